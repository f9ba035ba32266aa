/* Helpers shared by the simulator's unit tests: vector paths (env UVS_SHARED, default
 * ../shared), file loading, and request making through asr_request_build with fixed
 * randomness (so a test can re-seal a modified request with the known protection key). */
#ifndef UVSIM_TESTLIB_H
#define UVSIM_TESTLIB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "be.h"
#include "crypto.h"
#include "request.h"
#include "sehdr.h"
#include "sim.h"
#include "uvsim.h"

static char tl_path_buf[8][1024];
static int tl_path_i;

/* Path of a file under the shared directory. */
static inline const char *tl_shared(const char *rel)
{
    const char *base = getenv("UVS_SHARED");
    char *p = tl_path_buf[tl_path_i++ % 8];
    snprintf(p, 1024, "%s/%s", base && *base ? base : "../shared", rel);
    return p;
}

static inline uint8_t *tl_load(const char *path, size_t *len)
{
    uint8_t *b;
    char err[SIM_ERR_MAX];
    if (sim_read_file(path, 1 << 26, &b, len, err, sizeof err) != 0) {
        printf("# %s\n", err);
        return NULL;
    }
    return b;
}

/* PLD|ALD|TLD|tag of a header file. */
static inline int tl_tags(const char *path, uint8_t tags[208])
{
    size_t len;
    uint8_t *b = tl_load(path, &len);
    struct sehdr_view v;
    int ok = b && sehdr_locate(b, len, &v) == SEHDR_OK;
    if (ok)
        sehdr_boot_tags(&v, tags);
    free(b);
    return ok ? 0 : -1;
}

static inline int tl_cert(const char *path, uint8_t pub[160])
{
    char err[SIM_ERR_MAX];
    if (sim_load_host_cert(path, pub, err, sizeof err) != 0) {
        printf("# %s\n", err);
        return -1;
    }
    return 0;
}

/* Fixed request randomness: the reference test customer key, protection key 0x17s,
 * IV 0x55s (ASR vectors README). */
static uint8_t tl_cust_priv[80];
static const uint8_t tl_prot[32] = { 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17,
                                     0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17,
                                     0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17 };
static const uint8_t tl_iv[12] = { 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55 };
static struct uvs_rng tl_rng;

static inline int tl_init(void)
{
    size_t len;
    uint8_t *b = tl_load(tl_shared("vectors/asrcb/private_cust.bin"), &len);
    if (!b || len != 80 || uvs_rng_init(&tl_rng) != 0) {
        free(b);
        return -1;
    }
    memcpy(tl_cust_priv, b, 80);
    free(b);
    return 0;
}

/* Builds a request; returns its length (0 on failure, with the reason printed). */
static inline size_t tl_request(const struct asr_request_params *p, uint8_t *out, size_t cap)
{
    struct asr_fixed_random fx = { tl_cust_priv, sizeof tl_cust_priv, tl_prot, tl_iv };
    char err[REQ_ERR_MAX];
    size_t len = 0;
    if (asr_request_build(&tl_rng, p, &fx, out, cap, &len, err) != 0) {
        printf("# asr_request_build: %s\n", err);
        return 0;
    }
    return len;
}

/* Re-encrypts a (modified) request with the fixed protection key: plaintext = secret
 * value | extension secret as given, new ciphertext and tag over the current AAD. */
static inline void tl_reseal(uint8_t *req, size_t len, const uint8_t *plain, size_t plain_len)
{
    size_t aad = len - plain_len - ASR_TAG_LEN;
    uvs_gcm_encrypt(tl_prot, req + ASR_OFF_IV, ASR_IV_LEN, req, aad, plain, plain_len, req + aad,
                    req + len - ASR_TAG_LEN);
}

static inline void tl_fill(uint8_t *p, uint8_t v, size_t n)
{
    memset(p, v, n);
}

#endif
