/* Boot configuration (docs/boot-contract.md): defaults, /etc/uvsecret/uvsecret.conf,
 * then the kernel command line (last wins).  Only trusted sources are read here. */
#ifndef EARLY_CONF_H
#define EARLY_CONF_H

#include <stddef.h>

#define CONF_VAL_MAX 256
#define CONF_LIST_MAX 1024
#define CONF_FILE_MAX 16384
#define CONF_CMDLINE_MAX 8192
#define CONF_TIMEOUT_MAX 300

struct early_conf {
    int enabled;                     /* rd.uvsecret / enabled            */
    char disk[CONF_VAL_MAX];         /* "none", LABEL=, UUID=, /path      */
    char dir[CONF_VAL_MAX];
    char bootdev[CONF_VAL_MAX];
    char bootdir[CONF_VAL_MAX];
    unsigned timeout;
    char required[CONF_LIST_MAX];    /* comma list                        */
    char retrieve[CONF_LIST_MAX];
    int lock;
    char toc[CONF_VAL_MAX];          /* empty: no TOC mode                */
    int nose;                        /* -1 unset, 0 ok, 1 fail            */
};

void conf_defaults(struct early_conf *c);
/* Sets one key (the conf-file name: enabled, disk, dir, ...).  0, or -1 with err. */
int conf_set(struct early_conf *c, const char *key, const char *val, char *err, size_t err_len);
/* key=value lines, '#' comments, blank lines.  0, or -1 with err ("line N: ..."). */
int conf_parse_file(struct early_conf *c, const char *text, size_t len, char *err, size_t err_len);
/* Kernel command line: rd.uvsecret[=V] and rd.uvsecret.KEY=V words (double quotes as
 * the kernel handles them); other words are ignored.  0, or -1 with err. */
int conf_parse_cmdline(struct early_conf *c, const char *text, size_t len, char *err,
                       size_t err_len);
/* Applies the derived default of nose (fail if required or retrieve is set, else ok). */
void conf_finish(struct early_conf *c);

/* Iterates a comma list: copies the next non-empty item into item (cap bytes) and
 * advances *pos.  1 if an item was produced, 0 at the end, -1 for an item too long. */
int conf_list_next(const char *list, size_t *pos, char *item, size_t cap);

/* A file name we create under /run/uvsecret/keys: 1..64 of [A-Za-z0-9._+-], not
 * starting with '.'. */
int conf_safe_name(const char *s);
/* A relative directory on a disk: no leading '/', no "." or ".." component, no empty
 * component, printable characters only. */
int conf_safe_relpath(const char *s);

#endif
