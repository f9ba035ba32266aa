/* libFuzzer target: the --hdr loader (bare SE header or SE image, image metadata
 * pointing anywhere in the file) on an arbitrary file, read whole and also from a
 * short prefix (so that metadata pointing past the prefix makes it read the header
 * from the file).  An accepted header must be the file's bytes at its offset, and its
 * keyslot count must fit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli_hdr.h"
#include "fuzz_host_tmp.h"

static void check(int r, const struct cli_sehdr *h, const char *reason, const uint8_t *data, size_t size)
{
    if (r != 0) {
        if (reason[0] == '\0')
            abort();
        return;
    }
    if (h->v.size > sizeof(h->bytes) || h->v.size < SEHDR_HEAD_LEN + SEHDR_TAG_LEN ||
        h->v.offset + h->v.size > size || h->file_size != size ||
        SEHDR_OFF_KEYSLOTS + SEHDR_KEYSLOT_LEN * cli_sehdr_keyslots(h) + SEHDR_TAG_LEN > h->v.size ||
        memcmp(h->bytes, data + h->v.offset, h->v.size) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cli_sehdr h;
    char reason[CLI_REASON_MAX];
    const char *path = fuzz_write("hdr", data, size);
    size_t cut;

    reason[0] = '\0';
    check(cli_sehdr_load(path, &h, reason), &h, reason, data, size);
    /* A prefix that ends just after the image metadata (or wherever the input says). */
    if (size > SEIMG_META_OFF + SEIMG_META_LEN) {
        cut = SEIMG_META_OFF + SEIMG_META_LEN + data[size - 1] * 64u;
        if (cut > size)
            cut = size;
        reason[0] = '\0';
        check(cli_sehdr_from_prefix(path, data, cut, size, &h, reason), &h, reason, data, size);
    }
    return 0;
}

