/* A small command-line scanner: short options (clustered, "-kFILE" or "-k FILE"), long
 * options ("--opt VALUE", "--opt=VALUE"), positionals, and "--" ending the options. */
#ifndef UVS_CLI_OPTS_H
#define UVS_CLI_OPTS_H

#include <stddef.h>

struct cli_opt {
    const char *lng;     /* long name without "--", or NULL   */
    char shrt;           /* short letter, or 0                */
    int has_arg;
    int id;              /* > 0                               */
};

#define CLI_P_END 0
#define CLI_P_ARG (-1)   /* a positional argument in *arg     */
#define CLI_P_ERR (-2)   /* an error line was printed         */

struct cli_scan {
    int argc;
    char **argv;
    int i;               /* next argv index                   */
    const char *cluster; /* rest of a short-option cluster    */
    int only_args;       /* after "--"                        */
};

void cli_scan_init(struct cli_scan *s, int argc, char **argv, int first);
/* Next option id (with *arg for an option taking a value), CLI_P_ARG, CLI_P_END or
 * CLI_P_ERR (unknown option, missing value, value given to a flag). */
int cli_scan_next(struct cli_scan *s, const struct cli_opt *opts, const char **arg);

/* Appends the comma-separated items of value to list (capacity cap, count *n).
 * Returns 0, or -1 if the list would exceed cap or an item is empty. */
int cli_list_add(const char **list, size_t cap, size_t *n, char *value);

#endif
