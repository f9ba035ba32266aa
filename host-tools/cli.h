/* uvsecret command line: shared context, logging and the sub-command entry points.
 * Messages follow one rule: one line "uvsecret: WHAT: reason" on stderr for a failure
 * (WHAT = the file or option at fault), exit status 1. */
#ifndef UVS_CLI_H
#define UVS_CLI_H

#include <stddef.h>

#define CLI_PROG "uvsecret"
#define CLI_VERSION "0.1"

/* Verbosity levels as the reference counts them (2 + #v - #q). */
enum cli_level {
    CLI_OFF = 0,
    CLI_ERROR = 1,
    CLI_WARN = 2,
    CLI_INFO = 3,
    CLI_DEBUG = 4,
};

/* Process-wide verbosity, set once by main() from the global and command options. */
extern int cli_verbosity;
/* -v (+1) or -q (-1) given after a command word; never below CLI_OFF. */
void cli_verbosity_step(int delta);

/* One error line "uvsecret: <what>: <fmt...>" (what may be NULL), always printed. */
void cli_err(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A log line at a level (bare text; DEBUG lines are prefixed "DEBUG: "). */
void cli_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sub-commands: argc/argv start at the sub-command's own arguments (argv[0] is the
 * command word).  Return the process exit status. */
int cli_create_main(int argc, char **argv);
int cli_verify_main(int argc, char **argv);
int cli_info_main(int argc, char **argv);

#endif
