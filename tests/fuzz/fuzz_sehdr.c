/* libFuzzer target: SE header location in a bare header or an SE image. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sehdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sehdr_view v;
    uint8_t tags[208], *copy = malloc(size ? size : 1);

    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (sehdr_locate(copy, size, &v) == SEHDR_OK) {
        if (v.offset + v.size > size || v.size < SEHDR_MIN_SIZE)
            abort();
        sehdr_boot_tags(&v, tags);
        (void)sehdr_check_v1(&v);
    }
    free(copy);
    return 0;
}
