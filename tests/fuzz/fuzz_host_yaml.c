/* libFuzzer target: the --cuid file reader (raw 16 bytes or YAML) and the NAME.yaml
 * writers (scalar quoting, the secret description, the file name) on arbitrary bytes.
 * Every result must be NUL-terminated, fit its buffer, and agree with its length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli_yaml.h"

static void check_len(int r, const char *out, size_t cap)
{
    if (r < 0)
        return;
    if ((size_t)r >= cap || strlen(out) != (size_t)r)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char reason[CLI_REASON_MAX];
    uint8_t cuid[16], id[32] = { 0 };
    char *copy, *name, small[24], *big;
    size_t bigcap = 16 * size + 64;
    int r;

    /* An exact-size heap copy so ASan sees any read past the end. */
    copy = malloc(size ? size : 1);
    name = malloc(size + 1);
    big = malloc(bigcap);
    if (copy == NULL || name == NULL || big == NULL)
        abort();
    memcpy(copy, data, size);
    memcpy(name, data, size);
    name[size] = '\0';

    reason[0] = '\0';
    if (cli_cuid_from_file((const uint8_t *)copy, size, cuid, reason) != 0 &&
        (reason[0] == '\0' || strlen(reason) >= CLI_REASON_MAX))
        abort();

    r = cli_yaml_scalar(copy, size, big, bigcap);
    check_len(r, big, bigcap);
    check_len(cli_yaml_scalar(copy, size, small, sizeof(small)), small, sizeof(small));

    if (size > 0) {
        memcpy(id, data, size < 32 ? size : 32);
        check_len(cli_yaml_secret((uint16_t)(data[0] << 8 | (size > 1 ? data[1] : 0)), name, id, big, bigcap),
                  big, bigcap);
    }

    reason[0] = '\0';
    r = cli_yaml_path("dir/out.bin", name, big, bigcap, reason);
    if (r == 0)
        check_len((int)strlen(big), big, bigcap);
    else if (reason[0] == '\0')
        abort();
    r = cli_yaml_path(name, "x", small, sizeof(small), reason);
    if (r == 0)
        check_len((int)strlen(small), small, sizeof(small));

    free(big);
    free(name);
    free(copy);
    return 0;
}
