/* Command-line scanner (see cli_opts.h). */
#include "cli_opts.h"

#include <string.h>

#include "cli.h"

void cli_scan_init(struct cli_scan *s, int argc, char **argv, int first)
{
    s->argc = argc;
    s->argv = argv;
    s->i = first;
    s->cluster = NULL;
    s->only_args = 0;
}

static const struct cli_opt *find_long(const struct cli_opt *opts, const char *name, size_t n)
{
    for (; opts->id != 0; opts++)
        if (opts->lng != NULL && strlen(opts->lng) == n && memcmp(opts->lng, name, n) == 0)
            return opts;
    return NULL;
}

static const struct cli_opt *find_short(const struct cli_opt *opts, char c)
{
    for (; opts->id != 0; opts++)
        if (opts->shrt == c)
            return opts;
    return NULL;
}

int cli_scan_next(struct cli_scan *s, const struct cli_opt *opts, const char **arg)
{
    const struct cli_opt *o;
    const char *a;

    *arg = NULL;
    if (s->cluster != NULL && *s->cluster != '\0') {
        char c = *s->cluster++;
        o = find_short(opts, c);
        if (o == NULL) {
            cli_err(NULL, "unknown option '-%c' (see --help)", c);
            return CLI_P_ERR;
        }
        if (o->has_arg) {
            if (*s->cluster != '\0') {
                *arg = s->cluster;
            } else if (s->i < s->argc) {
                *arg = s->argv[s->i++];
            } else {
                cli_err(NULL, "option '-%c' needs a value", c);
                return CLI_P_ERR;
            }
            s->cluster = NULL;
        }
        return o->id;
    }
    s->cluster = NULL;
    if (s->i >= s->argc)
        return CLI_P_END;
    a = s->argv[s->i++];
    if (s->only_args || a[0] != '-' || strcmp(a, "-") == 0) {
        *arg = a;
        return CLI_P_ARG;
    }
    if (strcmp(a, "--") == 0) {
        s->only_args = 1;
        return cli_scan_next(s, opts, arg);
    }
    if (a[1] == '-') {
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t n = eq != NULL ? (size_t)(eq - name) : strlen(name);
        o = find_long(opts, name, n);
        if (o == NULL) {
            cli_err(NULL, "unknown option '--%.*s' (see --help)", (int)n, name);
            return CLI_P_ERR;
        }
        if (!o->has_arg) {
            if (eq != NULL) {
                cli_err(NULL, "option '--%s' takes no value", o->lng);
                return CLI_P_ERR;
            }
            return o->id;
        }
        if (eq != NULL) {
            *arg = eq + 1;
        } else if (s->i < s->argc) {
            *arg = s->argv[s->i++];
        } else {
            cli_err(NULL, "option '--%s' needs a value", o->lng);
            return CLI_P_ERR;
        }
        return o->id;
    }
    s->cluster = a + 1;
    return cli_scan_next(s, opts, arg);
}

int cli_list_add(const char **list, size_t cap, size_t *n, char *value)
{
    char *p = value;

    for (;;) {
        char *comma = strchr(p, ',');
        if (comma != NULL)
            *comma = '\0';
        if (*p == '\0' || *n >= cap)
            return -1;
        list[(*n)++] = p;
        if (comma == NULL)
            return 0;
        p = comma + 1;
    }
}
