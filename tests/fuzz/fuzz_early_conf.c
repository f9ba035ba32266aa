/* libFuzzer target: uvsecret-early's configuration parsers (kernel command line and
 * uvsecret.conf) must never read out of bounds, and every accepted configuration must
 * satisfy the invariants the boot job relies on. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static void check(const struct early_conf *c)
{
    char item[CONF_VAL_MAX];
    size_t pos = 0;
    if (c->timeout > CONF_TIMEOUT_MAX || (c->lock != 0 && c->lock != 1) ||
        (c->enabled != 0 && c->enabled != 1) || !conf_safe_relpath(c->dir) ||
        !conf_safe_relpath(c->bootdir) || (c->toc[0] && !conf_safe_name(c->toc)))
        abort();
    if (strlen(c->disk) >= CONF_VAL_MAX || strlen(c->required) >= CONF_LIST_MAX)
        abort();
    while (conf_list_next(c->retrieve, &pos, item, sizeof(item)) > 0)
        if (strlen(item) == 0)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct early_conf c;
    char err[256];
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    conf_defaults(&c);
    if (conf_parse_cmdline(&c, copy, size, err, sizeof(err)) == 0)
        check(&c);
    conf_defaults(&c);
    if (conf_parse_file(&c, copy, size, err, sizeof(err)) == 0)
        check(&c);
    free(copy);
    return 0;
}
