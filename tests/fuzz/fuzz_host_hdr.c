/* libFuzzer target: the --hdr loader (bare SE header or SE image, image metadata
 * pointing anywhere in the file) on an arbitrary file.  An accepted header must lie
 * wholly inside its copy and its keyslot count must fit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli_hdr.h"
#include "fuzz_host_tmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cli_sehdr h;
    char reason[CLI_REASON_MAX];
    const char *path = fuzz_write("hdr", data, size);

    reason[0] = '\0';
    if (cli_sehdr_load(path, &h, reason) != 0) {
        if (reason[0] == '\0')
            abort();
        return 0;
    }
    if (h.v.size > sizeof(h.bytes) || h.v.size < SEHDR_HEAD_LEN + SEHDR_TAG_LEN ||
        h.v.offset + h.v.size > size || h.file_size != size ||
        SEHDR_OFF_KEYSLOTS + SEHDR_KEYSLOT_LEN * cli_sehdr_keyslots(&h) + SEHDR_TAG_LEN > h.v.size ||
        memcmp(h.bytes, data + h.v.offset, h.v.size) != 0)
        abort();
    return 0;
}
