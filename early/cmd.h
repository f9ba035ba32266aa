/* Subcommands of uvsecret-early. */
#ifndef EARLY_CMD_H
#define EARLY_CMD_H

#include <stddef.h>
#include <stdint.h>

struct gopts {
    const char *device;   /* --device, default /dev/uv           */
    const char *sysfs;    /* --sysfs, default /sys/firmware/uv   */
};

int cmd_add(int argc, char **argv, const struct gopts *g);
int cmd_list(int argc, char **argv, const struct gopts *g);
int cmd_lock(int argc, char **argv, const struct gopts *g);
int cmd_retrieve(int argc, char **argv, const struct gopts *g);
int cmd_verify(int argc, char **argv, const struct gopts *g);
int cmd_boot(int argc, char **argv, const struct gopts *g);
int cmd_cleanup(int argc, char **argv, const struct gopts *g);

struct uvlist_view;
/* Renders a parsed secret list like `pvsecret list --format human|yaml|json` into
 * out[0, cap) from the start (*pos = length).  0, or -1 if out is too small. */
int list_render(const struct uvlist_view *v, const char *format, char *out, size_t cap,
                size_t *pos);

/* Reads a request file ("-" = stdin) of at most cap bytes into buf.  0, or -1 after
 * printing "uvsecret-early: PATH: reason". */
int cmd_read_input(const char *path, uint8_t *buf, size_t cap, size_t *len);

/* Option matching: "--opt VALUE" or "--opt=VALUE".  Returns the value (advancing *i)
 * or NULL if argv[*i] is not this option; *missing set when the value is absent. */
const char *cmd_optval(int argc, char **argv, int *i, const char *name, int *missing);

/* Usage (early/usage.c).  cmd_is_help: "--help" or "-h".  cmd_help prints
 * "usage: uvsecret-early CMD SYNOPSIS" and CMD's options on stdout (0, or 1 if stdout
 * fails).  cmd_summary prints every command's synopsis to fd.  cmd_usage_error prints one
 * line "uvsecret-early: CMD: WHAT (usage: uvsecret-early CMD SYNOPSIS)" and returns 1. */
int cmd_is_help(const char *arg);
int cmd_help(const char *cmd);
void cmd_summary(int fd);
int cmd_usage_error(const char *cmd, const char *f, ...) __attribute__((format(printf, 2, 3)));
/* cmd_usage_error for an argument CMD does not take: "unknown option" for a dash word,
 * else "unexpected argument". */
int cmd_bad_arg(const char *cmd, const char *arg);

#endif
