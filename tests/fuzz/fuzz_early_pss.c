/* libFuzzer target: EMSA-PSS-VERIFY (early/sig.c) on arbitrary encoded messages of every
 * length up to 512 bytes and every emBits of that length, and the full RSA-PSS verify with
 * the test key tests/early/data/rsa2048.crt (run from the repository root) on arbitrary
 * 256-byte signatures: no crash, no out-of-bounds access. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sig_key key;
    static int have_key = -1;
    static const uint8_t mhash[64] = { 1, 2, 3 };
    uint8_t *em;
    size_t em_len, em_bits;

    if (have_key < 0) {
        static uint8_t file[SIG_FILE_MAX];
        size_t n = 0, cnt = 0;
        const char *why;
        FILE *f = fopen("tests/early/data/rsa2048.crt", "rb");
        if (f) {
            n = fread(file, 1, sizeof(file), f);
            fclose(f);
        }
        have_key = n > 0 && sig_load_keys(file, n, &key, 1, &cnt, &why) == 1;
    }
    if (size < 1 || size > 1 + SIG_RSA_MAX)
        return 0;
    em_len = size - 1;
    em_bits = em_len * 8 - (data[0] & 7);
    em = malloc(em_len ? em_len : 1);
    if (!em)
        return 0;
    memcpy(em, data + 1, em_len);
    (void)sig_emsa_pss_sha512_check(em, em_len, em_bits, mhash);
    (void)sig_emsa_pss_sha512_check(em, em_len, (size_t)data[0] * 4, mhash);
    if (have_key)
        (void)sig_rsa_pss_sha512_verify(&key, em, em_len, mhash);
    free(em);
    return 0;
}
