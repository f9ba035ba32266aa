/* Per-command usage of uvsecret-early: the summary of --help, each command's own
 * --help text, and one-line usage errors.  One table, so the three never disagree. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

struct cmd_usage {
    const char *name;
    const char *synopsis;  /* after "uvsecret-early NAME" */
    const char *help;      /* option lines, each "  OPTION  text\n" */
};

#define HELP_LINE "  -h, --help             print this help and exit\n"

static const struct cmd_usage usages[] = {
    { "add", "REQUEST [--force]",
      "Checks the add-secret request REQUEST (- reads standard input) and submits it to the\n"
      "ultravisor; a request whose secret ID is already stored is refused.\n"
      "  -f, --force            submit it even if its ID is already stored\n" },
    { "list", "[--format human|yaml|json|bin] [-o FILE]",
      "Lists the secret store.\n"
      "  --format FORMAT        human (default), yaml, json or bin (the kernel's buffer)\n"
      "  -o, --output FILE      write to FILE instead of standard output (or FILE alone)\n" },
    { "lock", "",
      "Locks the secret store until the guest restarts.\n" },
    { "retrieve", "ID|--name NAME|--index N [-o FILE] [--outform bin|pem]",
      "Retrieves one retrievable secret (alias: retr).\n"
      "  ID                     the secret ID: 0x and 64 hex digits\n"
      "  --name NAME            the secret's name (zero-padded, else its SHA-256)\n"
      "  --index N              the secret's index in the store (see list)\n"
      "  -o, --output FILE      write to FILE (new, mode 0600) instead of standard output\n"
      "  --outform bin|pem      output form (default pem)\n" },
    { "verify", "REQUEST [--signer CERT|KEY] [-o FILE]",
      "Checks a request's structure and user-data signature; writes the user data.\n"
      "  --signer FILE          certificate or key of the signer, PEM or DER\n"
      "                         (also --user-cert)\n"
      "  -o, --output FILE      write the user data to FILE instead of standard output\n" },
    { "boot", "[--root DIR] [--cmdline FILE]",
      "The initramfs job: checks, adds, locks and retrieves as configured\n"
      "(exit codes 0-5, see uvsecret-early(8)).\n"
      "  --root DIR             prefix every path with DIR (tests)\n"
      "  --cmdline FILE         read FILE instead of /proc/cmdline\n" },
    { "cleanup", "[--root DIR]",
      "Wipes and removes /run/uvsecret/keys/ and the work copies in /run/uvsecret/work/.\n"
      "  --root DIR             prefix every path with DIR (tests)\n" },
};

static const struct cmd_usage *find(const char *cmd)
{
    for (size_t i = 0; i < sizeof(usages) / sizeof(usages[0]); i++)
        if (strcmp(usages[i].name, cmd) == 0)
            return &usages[i];
    return &usages[0];
}

static int put(int fd, const char *s)
{
    return write_all(fd, s, strlen(s));
}

int cmd_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int cmd_help(const char *cmd)
{
    const struct cmd_usage *u = find(cmd);
    char text[1024];
    if (fmt(text, sizeof(text), "usage: " EARLY_PROG " %s%s%s\n%s" HELP_LINE, u->name,
            u->synopsis[0] ? " " : "", u->synopsis, u->help) != 0)
        return 1;
    return put(1, text) ? 1 : 0;
}

void cmd_summary(int fd)
{
    (void)put(fd, "usage: " EARLY_PROG " [--device PATH] [--sysfs PATH] COMMAND [ARGS]\n");
    for (size_t i = 0; i < sizeof(usages) / sizeof(usages[0]); i++) {
        (void)put(fd, "  ");
        (void)put(fd, usages[i].name);
        if (usages[i].synopsis[0]) {
            (void)put(fd, " ");
            (void)put(fd, usages[i].synopsis);
        }
        (void)put(fd, "\n");
    }
    (void)put(fd, "Options of a command: " EARLY_PROG " COMMAND --help\n");
}

int cmd_usage_error(const char *cmd, const char *f, ...)
{
    const struct cmd_usage *u = find(cmd);
    char what[160];
    va_list ap;
    va_start(ap, f);
    vsnprintf(what, sizeof(what), f, ap);
    va_end(ap);
    msg("%s: %s (usage: " EARLY_PROG " %s%s%s)", u->name, what, u->name, u->synopsis[0] ? " " : "",
        u->synopsis);
    return 1;
}

int cmd_bad_arg(const char *cmd, const char *arg)
{
    return cmd_usage_error(cmd, "%s '%s'", arg[0] == '-' && arg[1] ? "unknown option" : "unexpected argument",
                           arg);
}
