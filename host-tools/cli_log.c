/* Logging for the command line (see cli.h). */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

int cli_verbosity = CLI_WARN;

void cli_verbosity_step(int delta)
{
    cli_verbosity += delta;
    if (cli_verbosity < CLI_OFF)
        cli_verbosity = CLI_OFF;
}

void cli_err(const char *what, const char *fmt, ...)
{
    va_list ap;

    if (what != NULL)
        fprintf(stderr, "%s: %s: ", CLI_PROG, what);
    else
        fprintf(stderr, "%s: ", CLI_PROG);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_log(int level, const char *fmt, ...)
{
    va_list ap;

    if (level > cli_verbosity)
        return;
    if (level >= CLI_DEBUG)
        fputs("DEBUG: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
