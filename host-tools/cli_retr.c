/* Retrievable secret values (see cli_retr.h). */
#include "cli_retr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/version.h>

#include "asr.h"
#include "cli.h"
#include "cli_file.h"
#include "crypto.h"

#define RETR_FILE_MAX (64u * 1024u)

static int size_error(const char *path, const char *kind, size_t is, const char *expected)
{
    cli_err(path, "Incorrect key size for a %s. Is: %zu; expected: %s", kind, is, expected);
    return -1;
}

/* RFC 8410 PKCS#8 Ed25519 / Ed448 keys, which mbedTLS cannot parse: returns the raw
 * key length (32 / 57) with *key pointing at it, or 0. */
static size_t edwards_key(const uint8_t *der, size_t n, const uint8_t **key, uint16_t *type)
{
    static const uint8_t ed25519[] = { 0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                       0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20 };
    static const uint8_t ed448[] = { 0x30, 0x47, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                     0x03, 0x2b, 0x65, 0x71, 0x04, 0x3b, 0x04, 0x39 };
    /* Version-1 (OneAsymmetricKey) forms: longer outer SEQUENCE, version 1. */
    if (n >= sizeof(ed25519) + 32 && der[0] == 0x30 &&
        memcmp(der + 2, ed25519 + 2, 2) == 0 && (der[4] == 0 || der[4] == 1) &&
        memcmp(der + 5, ed25519 + 5, sizeof(ed25519) - 5) == 0 && (size_t)der[1] + 2 == n) {
        *key = der + sizeof(ed25519);
        *type = ASR_T_ED25519;
        return 32;
    }
    if (n >= sizeof(ed448) + 57 && der[0] == 0x30 && memcmp(der + 2, ed448 + 2, 2) == 0 &&
        (der[4] == 0 || der[4] == 1) && memcmp(der + 5, ed448 + 5, sizeof(ed448) - 5) == 0 &&
        (size_t)der[1] + 2 == n) {
        *key = der + sizeof(ed448);
        *type = ASR_T_ED448;
        return 57;
    }
    return 0;
}

static int ec_secret(const char *path, const uint8_t *buf, size_t len, uint16_t *stype, uint8_t *out,
                     uint32_t *olen)
{
    mbedtls_pk_context pk;
    struct uvs_rng rng;
    const uint8_t *key;
    uint8_t *z;
    size_t klen;
    int r;

    /* Edwards keys: DER directly, or inside a PEM "PRIVATE KEY" block. */
    klen = edwards_key(buf, len, &key, stype);
    if (klen == 0 && len > 0) {
        mbedtls_pem_context pem;
        size_t used;
        z = malloc(len + 1);
        if (z == NULL)
            return -1;
        memcpy(z, buf, len);
        z[len] = 0;
        mbedtls_pem_init(&pem);
        if (mbedtls_pem_read_buffer(&pem, "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----",
                                    z, NULL, 0, &used) == 0) {
            size_t dl;
#if MBEDTLS_VERSION_MAJOR >= 3
            const unsigned char *d = mbedtls_pem_get_buffer(&pem, &dl);
#else
            const unsigned char *d = pem.buf;
            dl = pem.buflen;
#endif
            klen = edwards_key(d, dl, &key, stype);
            if (klen > 0) {
                size_t outlen = *stype == ASR_T_ED25519 ? 32 : 64;
                memset(out, 0, outlen);
                memcpy(out + outlen - klen, key, klen);
                *olen = (uint32_t)outlen;
            }
        }
        mbedtls_pem_free(&pem);
        uvs_wipe(z, len + 1);
        free(z);
        if (klen > 0)
            return 0;
    } else if (klen > 0) {
        size_t outlen = *stype == ASR_T_ED25519 ? 32 : 64;
        memset(out, 0, outlen);
        memcpy(out + outlen - klen, key, klen);
        *olen = (uint32_t)outlen;
        return 0;
    }
    /* NIST curves through mbedTLS (DER first, then PEM). */
    if (uvs_rng_init(&rng) != 0)
        return -1;
    mbedtls_pk_init(&pk);
    z = malloc(len + 1);
    if (z == NULL) {
        uvs_rng_free(&rng);
        return -1;
    }
    memcpy(z, buf, len);
    z[len] = 0;
#if MBEDTLS_VERSION_MAJOR >= 3
    r = mbedtls_pk_parse_key(&pk, buf, len, NULL, 0, uvs_rng_fn, &rng);
    if (r != 0)
        r = mbedtls_pk_parse_key(&pk, z, len + 1, NULL, 0, uvs_rng_fn, &rng);
#else
    r = mbedtls_pk_parse_key(&pk, buf, len, NULL, 0);
    if (r != 0)
        r = mbedtls_pk_parse_key(&pk, z, len + 1, NULL, 0);
#endif
    uvs_wipe(z, len + 1);
    free(z);
    uvs_rng_free(&rng);
    if (r != 0 || mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY) {
        mbedtls_pk_free(&pk);
        if (r == 0) {
            cli_err(path, "Incorrect curve or format for a EC-PRIVATE-KEY. Is: %s; expected: secp256r1, secp384r1, secp521r1, ed25519, or ed448",
                    mbedtls_pk_get_name(&pk));
            return -1;
        }
        cli_err(path, "Cannot read %s as EC PRIVATE KEY from PEM or DER", path);
        return -1;
    }
    {
        mbedtls_ecp_keypair *ec = mbedtls_pk_ec(pk);
        mbedtls_ecp_group_id gid;
        const mbedtls_ecp_curve_info *ci;
        size_t field, outlen;
#if MBEDTLS_VERSION_MAJOR >= 3
        gid = mbedtls_ecp_keypair_get_group_id(ec);
#else
        gid = ec->grp.id;
#endif
        ci = mbedtls_ecp_curve_info_from_grp_id(gid);
        switch (gid) {
        case MBEDTLS_ECP_DP_SECP256R1: *stype = ASR_T_EC_P256; field = 32; outlen = 32; break;
        case MBEDTLS_ECP_DP_SECP384R1: *stype = ASR_T_EC_P384; field = 48; outlen = 48; break;
        case MBEDTLS_ECP_DP_SECP521R1: *stype = ASR_T_EC_P521; field = 66; outlen = 80; break;
        default:
            cli_err(path, "Incorrect curve or format for a EC-PRIVATE-KEY. Is: %s; expected: secp256r1, secp384r1, secp521r1, ed25519, or ed448",
                    ci != NULL ? ci->name : "unknown");
            mbedtls_pk_free(&pk);
            return -1;
        }
        memset(out, 0, outlen);
        r = mbedtls_ecp_write_key(ec, out + outlen - field, field);
        mbedtls_pk_free(&pk);
        if (r != 0) {
            uvs_wipe(out, outlen);
            cli_err(path, "Cannot read %s as EC PRIVATE KEY from PEM or DER", path);
            return -1;
        }
        *olen = (uint32_t)outlen;
    }
    return 0;
}

int cli_retr_secret(const char *type, const char *path, uint16_t *stype, uint8_t **val, uint32_t *len)
{
    char reason[CLI_REASON_MAX];
    uint8_t *buf, *out;
    size_t n;
    int r = -1;

    *val = NULL;
    *len = 0;
    if (strcmp(type, "plain") != 0 && strcmp(type, "aes") != 0 && strcmp(type, "aes-xts") != 0 &&
        strcmp(type, "hmac-sha") != 0 && strcmp(type, "ec") != 0) {
        cli_err("--type", "unknown secret type '%s' (plain, aes, aes-xts, hmac-sha, ec)", type);
        return -1;
    }
    if (cli_read_file(path, RETR_FILE_MAX, &buf, &n, reason) != 0) {
        cli_err(path, "%s", reason);
        return -1;
    }
    out = calloc(1, ASR_PLAIN_MAX_LEN);
    if (out == NULL) {
        cli_buf_free(buf, n);
        return -1;
    }
    if (strcmp(type, "plain") == 0) {
        if (n > ASR_PLAIN_MAX_DATA) {
            cli_err(path, "Incorrect size for a PLAINTEXT. Is: %zu; expected: less than 8192", n);
        } else {
            *len = (uint32_t)asr_plain_encode(buf, n, out, ASR_PLAIN_MAX_LEN);
            *stype = ASR_T_PLAIN;
            r = *len > 0 ? 0 : -1;
        }
    } else if (strcmp(type, "aes") == 0) {
        if (n != 16 && n != 24 && n != 32) {
            size_error(path, "AES-KEY", n * 8, "128, 192, or 256");
        } else {
            *stype = n == 16 ? ASR_T_AES128 : n == 24 ? ASR_T_AES192 : ASR_T_AES256;
            memcpy(out, buf, n);
            *len = (uint32_t)n;
            r = 0;
        }
    } else if (strcmp(type, "aes-xts") == 0) {
        if (n != 32 && n != 64) {
            size_error(path, "AES-XTS-KEY", n * 4, "128, or 256");
        } else {
            *stype = n == 32 ? ASR_T_AESXTS128 : ASR_T_AESXTS256;
            memcpy(out, buf, n);
            *len = (uint32_t)n;
            r = 0;
        }
    } else if (strcmp(type, "hmac-sha") == 0) {
        if (n != 64 && n != 128) {
            size_error(path, "HMAC-SHA-KEY", n * 4, "256, or 512");
        } else {
            *stype = n == 64 ? ASR_T_HMAC256 : ASR_T_HMAC512;
            memcpy(out, buf, n);
            *len = (uint32_t)n;
            r = 0;
        }
    } else {
        r = ec_secret(path, buf, n, stype, out, len);
    }
    cli_buf_free(buf, n);
    if (r != 0 || !asr_secret_len_valid(*stype, *len)) {
        if (r == 0)
            cli_err(path, "invalid secret length");
        cli_buf_free(out, ASR_PLAIN_MAX_LEN);
        *len = 0;
        return -1;
    }
    *val = out;
    return 0;
}

void cli_hkd_opts_extra(struct hkd_verify_opts *o, const struct cli_create *c)
{
    /* The verifier has no CRL-cache or timeout fields yet; the options are accepted
     * and checked, and take effect once hkd.h carries them. */
    (void)o;
    (void)c;
}
