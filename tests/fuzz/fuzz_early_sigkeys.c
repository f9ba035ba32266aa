/* libFuzzer target: signer key files (PEM / DER certificates and private keys) decoded
 * by early/sig.c on BearSSL, then used to verify a fixed signed request
 * (tests/early/data/ec521.asr, run from the repository root): no crash, no out-of-bounds
 * read under ASan/UBSan. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sig.h"

static uint8_t req[ASR_LARGEST_VALID];
static size_t req_len;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sig_key keys[SIG_MAX_KEYS];
    struct asr_view v;
    size_t n = 0;
    const char *why;
    uint8_t *copy;

    if (req_len == 0) {
        FILE *f = fopen("tests/early/data/ec521.asr", "rb");
        if (f) {
            req_len = fread(req, 1, sizeof(req), f);
            fclose(f);
        }
        if (req_len == 0)
            req_len = 1;
    }
    copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (sig_load_keys(copy, size, keys, SIG_MAX_KEYS, &n, &why) > 0 &&
        asr_parse(req, req_len, &v) == ASR_OK) {
        for (size_t i = 0; i < n; i++) {
            char name[32];
            sig_key_name(&keys[i], name);
            (void)sig_verify_request(&v, &keys[i], &why);
        }
    }
    free(copy);
    return 0;
}
