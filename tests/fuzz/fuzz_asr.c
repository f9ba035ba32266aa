/* libFuzzer target: the add-secret request parser must never read out of bounds and
 * every accepted request must satisfy the layout invariants it promises. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct asr_view v;
    uint8_t *copy;

    /* An exact-size heap copy so ASan sees any read past the end. */
    copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (asr_parse(copy, size, &v) == ASR_OK) {
        if (v.len != size || v.aad_len + v.sea + ASR_TAG_LEN != size ||
            v.sechdr_off + v.sechdr_len != v.aad_len || v.secret_len + ASR_EXT_LEN != v.sea ||
            asr_request_len(v.nks, v.secret_type, v.secret_len) != size)
            abort();
        /* Touch every region the view points to. */
        volatile uint8_t sink = v.tag[ASR_TAG_LEN - 1] ^ v.encrypted[0] ^ v.keyslots[0];
        if (v.id)
            sink ^= v.id[31];
        (void)sink;
    }
    free(copy);
    return 0;
}
