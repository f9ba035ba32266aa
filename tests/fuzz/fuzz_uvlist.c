/* libFuzzer target: the secret-list reader (a buffer the kernel/UV hands back). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "uvabi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct uvlist_view v;
    struct uvlist_entry e;
    uint8_t *copy = malloc(size ? size : 1);

    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (uvlist_parse(copy, size, &v) == 0) {
        for (unsigned i = 0; i < v.num_stored; i++) {
            uvlist_entry_at(&v, i, &e);
            volatile uint8_t sink = e.id[31];
            (void)sink;
        }
    }
    free(copy);
    return 0;
}
