/* libFuzzer target: the `verify` path (asr_parse, then asr_user_data_verify) on an
 * arbitrary request with fixed keys made once (EC P-521, RSA 2048, RSA 3072) whose
 * private halves never sign anything.  Must never crash; nothing may verify (that
 * would be a forgery), and every refusal says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <mbedtls/ecp.h>

#include "asr.h"
#include "crypto.h"
#include "request.h"

static mbedtls_pk_context keys[3];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static struct uvs_rng rng;
    static const unsigned bits[2] = { 2048, 3072 };

    (void)argc;
    (void)argv;
    if (uvs_rng_init(&rng) != 0)
        abort();
    mbedtls_pk_init(&keys[0]);
    if (mbedtls_pk_setup(&keys[0], mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) != 0 ||
        mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP521R1, mbedtls_pk_ec(keys[0]), uvs_rng_fn, &rng) != 0)
        abort();
    for (int i = 0; i < 2; i++) {
        mbedtls_pk_init(&keys[1 + i]);
        if (mbedtls_pk_setup(&keys[1 + i], mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)) != 0 ||
            mbedtls_rsa_gen_key(mbedtls_pk_rsa(keys[1 + i]), uvs_rng_fn, &rng, bits[i], 65537) != 0)
            abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[REQ_ERR_MAX];
    struct asr_view v;
    uint8_t *copy = malloc(size ? size : 1);

    if (copy == NULL)
        abort();
    memcpy(copy, data, size);
    if (asr_parse(copy, size, &v) == ASR_OK) {
        for (int i = 0; i < 3; i++) {
            err[0] = '\0';
            if (asr_user_data_verify(&v, &keys[i], err) == 0)
                abort();   /* these keys never signed anything: a forgery */
            if (err[0] == '\0')
                abort();
        }
        err[0] = '\0';
        if (asr_user_data_verify(&v, NULL, err) == 0 || err[0] == '\0')
            abort();
    }
    free(copy);
    return 0;
}
