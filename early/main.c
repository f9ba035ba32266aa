/* uvsecret-early: guest-side secret-store tool for IBM Secure Execution, static musl +
 * BearSSL.  pvsecret-compatible add/list/lock/retrieve/verify, plus boot/cleanup for
 * the initramfs (docs/boot-contract.md, uvsecret-early(8)). */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"

#ifndef EARLY_VERSION
#define EARLY_VERSION "0.1"
#endif

int main(int argc, char **argv)
{
    struct gopts g = { "/dev/uv", "/sys/firmware/uv" };
    int i, miss;

    for (i = 1; i < argc; i++) {
        const char *val;
        if ((val = cmd_optval(argc, argv, &i, "--device", &miss)) != NULL)
            g.device = val;
        else if (!miss && (val = cmd_optval(argc, argv, &i, "--sysfs", &miss)) != NULL)
            g.sysfs = val;
        else if (miss) {
            msg("option '%s' needs a value", argv[i]);
            return 1;
        } else
            break;
    }
    if (i >= argc) {
        cmd_summary(2);
        return 1;
    }
    argc -= i;
    argv += i;
    if (strcmp(argv[0], "add") == 0)
        return cmd_add(argc, argv, &g);
    if (strcmp(argv[0], "list") == 0)
        return cmd_list(argc, argv, &g);
    if (strcmp(argv[0], "lock") == 0)
        return cmd_lock(argc, argv, &g);
    if (strcmp(argv[0], "retrieve") == 0 || strcmp(argv[0], "retr") == 0)
        return cmd_retrieve(argc, argv, &g);
    if (strcmp(argv[0], "verify") == 0)
        return cmd_verify(argc, argv, &g);
    if (strcmp(argv[0], "boot") == 0)
        return cmd_boot(argc, argv, &g);
    if (strcmp(argv[0], "cleanup") == 0)
        return cmd_cleanup(argc, argv, &g);
    if (cmd_is_help(argv[0])) {
        cmd_summary(1);
        return 0;
    }
    if (strcmp(argv[0], "--version") == 0 || strcmp(argv[0], "version") == 0) {
        static const char v[] = EARLY_PROG " version " EARLY_VERSION "\n";
        return write_all(1, v, sizeof(v) - 1) ? 1 : 0;
    }
    msg("unknown command '%s' (commands: add list lock retrieve verify boot cleanup; "
        "see " EARLY_PROG " --help)", argv[0]);
    return 1;
}
