/* Test helpers for the request builder tests: locating the shared vectors, reading
 * files, P-521 keys from certificates and key files, and a UV-side request opener
 * (ASR §6.6) written against mbedTLS and crypto.h.  Header-only, included once. */
#ifndef UVS_REQ_UTIL_H
#define UVS_REQ_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/pk.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#include "asr.h"
#include "crypto.h"

#define REQ_UNUSED __attribute__((unused))

/* $UVS_SHARED/rel, or ../shared/rel (tests run from the repository root). */
REQ_UNUSED static const char *req_shared(const char *rel)
{
    static char path[4][1024];
    static unsigned next;
    const char *base = getenv("UVS_SHARED");
    char *p = path[next++ % 4];
    snprintf(p, sizeof(path[0]), "%s/%s", base && *base ? base : "../shared", rel);
    return p;
}

/* Whole file into buf; returns its length, or (size_t)-1 if missing or larger than cap. */
REQ_UNUSED static size_t req_slurp(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    int extra;
    if (!f)
        return (size_t)-1;
    n = fread(buf, 1, cap, f);
    extra = fgetc(f);
    fclose(f);
    return extra == EOF ? n : (size_t)-1;
}

REQ_UNUSED static int req_cert_coords(const char *path, uint8_t coords[160])
{
    mbedtls_x509_crt crt;
    int rc = -1;
    mbedtls_x509_crt_init(&crt);
    if (mbedtls_x509_crt_parse_file(&crt, path) == 0)
        rc = uvs_pk_p521_pub(&crt.pk, coords);
    mbedtls_x509_crt_free(&crt);
    return rc;
}

REQ_UNUSED static int req_parse_keyfile(mbedtls_pk_context *pk, const char *path, struct uvs_rng *rng)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_pk_parse_keyfile(pk, path, NULL, uvs_rng_fn, rng);
#else
    (void)rng;
    return mbedtls_pk_parse_keyfile(pk, path, NULL);
#endif
}

/* The 66-byte private scalar of a P-521 key file. */
REQ_UNUSED static int req_key_scalar(const char *path, struct uvs_rng *rng, uint8_t priv[66])
{
    mbedtls_pk_context pk;
    int rc = -1;
    mbedtls_pk_init(&pk);
    if (req_parse_keyfile(&pk, path, rng) == 0 && mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY &&
        uvs_pk_ec_scalar(&pk, priv, 66) == 0)
        rc = 0;
    mbedtls_pk_free(&pk);
    return rc;
}

/* Opens a request as the UV would (ASR §6.6): parse, find the keyslot of host_pub by
 * its hash, unwrap with host_priv and the request's customer key, GCM-open.  With
 * peer != NULL the KEK is computed against peer instead of the customer key (ECDH
 * symmetry: customer private key + host public key opens the public vectors).
 * plain gets sea bytes (secret | ext).  Returns 0, or a negative step number. */
REQ_UNUSED static int req_open(struct uvs_rng *rng, const uint8_t *req, size_t len, const uint8_t *host_priv,
                    size_t host_priv_len, const uint8_t host_pub[160], const uint8_t *peer, uint8_t *plain,
                    size_t cap, size_t *plain_len)
{
    struct asr_view v;
    uint8_t phkh[32], prot[32];
    const uint8_t *slot = NULL;
    int rc;

    if (asr_parse(req, len, &v) != ASR_OK)
        return -1;
    uvs_phkh(host_pub, phkh);
    for (unsigned i = 0; i < v.nks && !slot; i++)
        if (memcmp(v.keyslots + 80u * i, phkh, 32) == 0)
            slot = v.keyslots + 80u * i;
    if (!slot)
        return -2;
    if (v.sea > cap)
        return -3;
    if (uvs_keyslot_unwrap(rng, host_priv, host_priv_len, peer ? peer : v.cust_key, slot, prot) != 0)
        return -4;
    rc = uvs_gcm_decrypt(prot, v.iv, ASR_IV_LEN, req, v.aad_len, v.encrypted, v.sea, plain, v.tag);
    uvs_wipe(prot, sizeof(prot));
    if (rc != 0)
        return -5;
    *plain_len = v.sea;
    return 0;
}

#endif
