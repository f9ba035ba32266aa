/* uvsecret: host tool for IBM Secure Execution add-secret requests.
 * Global options, then one of the commands create / verify / info. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_opts.h"

static void usage(FILE *f)
{
    fputs("Usage: uvsecret [OPTIONS] <COMMAND> [COMMAND OPTIONS] [ARGS]\n"
          "\n"
          "Create and inspect add-secret requests for IBM Secure Execution guests\n"
          "(compatible with `pvsecret create` and `pvsecret verify`).\n"
          "\n"
          "Commands:\n"
          "  create   build an add-secret request (meta, association, retrievable, update-cck)\n"
          "  verify   check a request and print its user data\n"
          "  info     describe a request, an SE header or an SE image (no secret values)\n"
          "  version  print the version\n"
          "\n"
          "Options:\n"
          "  -v, --verbose   more output (repeatable)\n"
          "  -q, --quiet     less output (repeatable)\n"
          "  -h, --help      this help; `uvsecret COMMAND --help` for a command\n"
          "      --version   print the version\n",
          f);
}

static int version(void)
{
    printf("%s version %s\n", CLI_PROG, CLI_VERSION);
    puts("Copyright the uvsecret authors; compatible with IBM s390-tools pvsecret 2.43");
    if (cli_verbosity >= CLI_INFO)
        puts("+create +verify +info (host side; add/list/lock/retrieve: uvsecret-early)");
    return 0;
}

enum { O_VERBOSE = 1, O_QUIET, O_DEPR_V, O_VERSION, O_HELP };

static const struct cli_opt global_opts[] = {
    { "verbose", 'v', 0, O_VERBOSE }, { "quiet", 'q', 0, O_QUIET }, { NULL, 'V', 0, O_DEPR_V },
    { "version", 0, 0, O_VERSION },   { "help", 'h', 0, O_HELP },   { NULL, 0, 0, 0 },
};

int main(int argc, char **argv)
{
    struct cli_scan s;
    const char *arg;
    int v = 0, q = 0, r;

    cli_scan_init(&s, argc, argv, 1);
    while ((r = cli_scan_next(&s, global_opts, &arg)) != CLI_P_END) {
        if (r == CLI_P_ERR)
            return 1;
        if (r == CLI_P_ARG)
            break;
        switch (r) {
        case O_DEPR_V:
            fputs("WARNING: Use of deprecated flag '-V'. Use '-v' or '--verbose' instead.\n", stderr);
            /* fall through */
        case O_VERBOSE:
            v++;
            break;
        case O_QUIET:
            q++;
            break;
        case O_VERSION:
            cli_verbosity = CLI_WARN + v;
            return version();
        case O_HELP:
            usage(stdout);
            return 0;
        }
    }
    if (v > 0 && q > 0) {
        cli_err(NULL, "--verbose and --quiet exclude each other");
        return 1;
    }
    cli_verbosity = CLI_WARN + v - q;
    if (cli_verbosity < CLI_OFF)
        cli_verbosity = CLI_OFF;
    if (r != CLI_P_ARG) {
        cli_err(NULL, "no command given (create, verify, info; see --help)");
        return 1;
    }
    /* arg = the command word at argv[s.i - 1]. */
    argc -= s.i - 1;
    argv += s.i - 1;
    if (strcmp(arg, "create") == 0)
        return cli_create_main(argc, argv);
    if (strcmp(arg, "verify") == 0)
        return cli_verify_main(argc, argv);
    if (strcmp(arg, "info") == 0)
        return cli_info_main(argc, argv);
    if (strcmp(arg, "version") == 0)
        return version();
    if (strcmp(arg, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(arg, "add") == 0 || strcmp(arg, "list") == 0 || strcmp(arg, "lock") == 0 ||
        strcmp(arg, "retrieve") == 0 || strcmp(arg, "retr") == 0) {
        cli_err(arg, "guest-side command; use uvsecret-early (or pvsecret) inside the SE guest");
        return 1;
    }
    cli_err(arg, "unknown command (see --help)");
    return 1;
}
