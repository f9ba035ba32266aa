/* libFuzzer target: `uvsecret info [--json] FILE` on an arbitrary file (request, SE
 * header, SE image or garbage): must never crash, and must print nothing but the
 * description (stdout goes to /dev/null). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "fuzz_host_tmp.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (freopen("/dev/null", "w", stdout) == NULL)
        abort();
    cli_verbosity = CLI_OFF;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char cmd[] = "info", json[] = "--json";
    char path[128];
    char *argv_h[3], *argv_j[4];
    int r1, r2;

    snprintf(path, sizeof(path), "%s", fuzz_write("info", data, size));
    argv_h[0] = cmd, argv_h[1] = path, argv_h[2] = NULL;
    argv_j[0] = cmd, argv_j[1] = json, argv_j[2] = path, argv_j[3] = NULL;
    r1 = cli_info_main(2, argv_h);
    r2 = cli_info_main(3, argv_j);
    /* Both forms judge the file the same way. */
    if ((r1 != 0 && r1 != 1) || r1 != r2)
        abort();
    return 0;
}
