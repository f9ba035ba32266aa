/* Secret values for `create` (see secret.h; ASR §8.1, §9.2).  Public mbedTLS API only. */
#include "secret.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/version.h>

#include "request.h"

static void sec_err(char err[SECRET_ERR_MAX], const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sec_err(char err[SECRET_ERR_MAX], const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(err, SECRET_ERR_MAX, fmt, ap);
    va_end(ap);
}

static const char *const kind_names[] = {"plain", "aes", "aes-xts", "hmac-sha", "ec"};

int uvs_secret_kind_from_name(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
        if (strcmp(name, kind_names[i]) == 0)
            return (int)i;
    return -1;
}

void uvs_secret_wipe(struct uvs_secret *s)
{
    uvs_wipe(s, sizeof(*s));
}

void uvs_secret_meta(struct uvs_secret *s)
{
    uvs_secret_wipe(s);
    s->type = ASR_T_NULL;
}

static int set_raw(struct uvs_secret *s, uint16_t type, const uint8_t *in, size_t n)
{
    uvs_secret_wipe(s);
    s->type = type;
    s->len = (uint32_t)n;
    memcpy(s->value, in, n);
    return 0;
}

void uvs_secret_id(const char *name, size_t n, int use_name, uint8_t id[ASR_ID_LEN])
{
    if (use_name)
        asr_id_from_name(name, n, id);
    else
        uvs_sha256(name, n, id);
}

int uvs_secret_association(struct uvs_rng *rng, const uint8_t *in, size_t n, struct uvs_secret *s,
                           char err[SECRET_ERR_MAX])
{
    if (in) {
        if (n != 32) {
            sec_err(err, "the association secret must be exactly 32 bytes long (is %zu bytes)", n);
            return -1;
        }
        return set_raw(s, ASR_T_ASSOC, in, n);
    }
    uvs_secret_wipe(s);
    s->type = ASR_T_ASSOC;
    s->len = 32;
    if (!rng || uvs_random(rng, s->value, 32) != 0) {
        uvs_secret_wipe(s);
        sec_err(err, "random number generator failed");
        return -1;
    }
    return 0;
}

int uvs_secret_update_cck(const uint8_t *in, size_t n, struct uvs_secret *s, char err[SECRET_ERR_MAX])
{
    if (!in || n != 32) {
        sec_err(err, "the new CCK must be exactly 32 bytes long (is %zu bytes)", in ? n : 0);
        return -1;
    }
    return set_raw(s, ASR_T_UPDATE_CCK, in, n);
}

/* ---- EC keys ----------------------------------------------------------------------- */

#define EC_EXPECTED "expected: secp256r1, secp384r1, secp521r1, ed25519, or ed448"

/* RFC 8410 OneAsymmetricKey for Ed25519 / Ed448: version 0 or 1, algorithm without
 * parameters, CurvePrivateKey OCTET STRING in an OCTET STRING, then optionally
 * [0] attributes and [1] public key.  Returns 0x14/0x15 and sets *key and *key_len, 0 if
 * the DER is not such a structure. */
static int edwards_parse(const uint8_t *der, size_t n, const uint8_t **key, size_t *key_len)
{
    static const uint8_t oid_prefix[2] = {0x2B, 0x65};
    unsigned char *p = (unsigned char *)der, *end = (unsigned char *)der + n, *inner_end;
    mbedtls_asn1_buf alg, params;
    size_t len;
    int ver, type;

    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0 ||
        len != (size_t)(end - p))
        return 0;
    if (mbedtls_asn1_get_int(&p, end, &ver) != 0 || (ver != 0 && ver != 1))
        return 0;
    memset(&params, 0, sizeof(params));
    if (mbedtls_asn1_get_alg(&p, end, &alg, &params) != 0 || alg.len != 3 || memcmp(alg.p, oid_prefix, 2) != 0 ||
        params.len != 0 || (params.tag != 0 && params.tag != MBEDTLS_ASN1_NULL))
        return 0;
    if (alg.p[2] == 0x70)
        type = ASR_T_ED25519;
    else if (alg.p[2] == 0x71)
        type = ASR_T_ED448;
    else
        return 0;
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_OCTET_STRING) != 0)
        return 0;
    inner_end = p + len;
    if (mbedtls_asn1_get_tag(&p, inner_end, &len, MBEDTLS_ASN1_OCTET_STRING) != 0 || p + len != inner_end)
        return 0;
    if (len != (type == ASR_T_ED25519 ? 32u : 57u))
        return 0;
    *key = p;
    *key_len = len;
    p = inner_end;
    /* Optional attributes [0] and public key [1] (version 1), in this order. */
    if (p < end && *p == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0)) {
        if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0) != 0)
            return 0;
        p += len;
    }
    if (p < end && ver == 1 && *p == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 1)) {
        if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONTEXT_SPECIFIC | 1) != 0)
            return 0;
        p += len;
    }
    return p == end ? type : 0;
}

static int edwards_set(struct uvs_secret *s, int type, const uint8_t *key, size_t key_len)
{
    const size_t L = type == ASR_T_ED25519 ? 32 : 64;
    uvs_secret_wipe(s);
    s->type = (uint16_t)type;
    s->len = (uint32_t)L;
    memcpy(s->value + (L - key_len), key, key_len);
    return 0;
}

/* Ed25519/Ed448 from DER, or from PEM "PRIVATE KEY" (pem = NUL-terminated copy). */
static int edwards_read(const uint8_t *in, size_t n, const char *pem, struct uvs_secret *s)
{
    mbedtls_pem_context ctx;
    const uint8_t *key, *der;
    size_t key_len, use_len = 0, der_len;
    int type;

    type = edwards_parse(in, n, &key, &key_len);
    if (type)
        return edwards_set(s, type, key, key_len);
    mbedtls_pem_init(&ctx);
    if (mbedtls_pem_read_buffer(&ctx, "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----",
                                (const unsigned char *)pem, NULL, 0, &use_len) == 0) {
#if MBEDTLS_VERSION_MAJOR >= 3
        der = mbedtls_pem_get_buffer(&ctx, &der_len);
#else
        der = ctx.buf;
        der_len = ctx.buflen;
#endif
        type = der ? edwards_parse(der, der_len, &key, &key_len) : 0;
        if (type)
            edwards_set(s, type, key, key_len);
    }
    mbedtls_pem_free(&ctx);
    return type ? 0 : -1;
}


int uvs_pk_parse_private(mbedtls_pk_context *pk, const uint8_t *in, size_t n, struct uvs_rng *rng)
{
    uint8_t *z;
    int r;

    if (n == 0)
        return -1;
    if (uvs_pk_parse_key(pk, in, n, rng) == 0)
        return 0;
    mbedtls_pk_free(pk);
    mbedtls_pk_init(pk);
    /* PEM: mbedTLS wants the terminating NUL counted in the length. */
    if (memchr(in, '\0', n) != NULL || (z = malloc(n + 1)) == NULL)
        return -1;
    memcpy(z, in, n);
    z[n] = '\0';
    r = uvs_pk_parse_key(pk, z, n + 1, rng);
    uvs_wipe(z, n + 1);
    free(z);
    if (r != 0) {
        mbedtls_pk_free(pk);
        mbedtls_pk_init(pk);
        return -1;
    }
    return 0;
}

static int ec_read(struct uvs_rng *rng, const uint8_t *in, size_t n, const char *what, struct uvs_secret *s,
                   char err[SECRET_ERR_MAX])
{
    mbedtls_pk_context pk;
    char *pem;
    int rc = -1;

    pem = malloc(n + 1);
    if (!pem) {
        sec_err(err, "out of memory");
        return -1;
    }
    if (n)
        memcpy(pem, in, n);
    pem[n] = '\0';
    mbedtls_pk_init(&pk);
    if (uvs_pk_parse_private(&pk, in, n, rng) == 0) {
        mbedtls_ecp_group_id gid;
        const mbedtls_ecp_curve_info *ci;
        size_t L = 0;
        uint16_t type = 0;

        if (mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY) {
            sec_err(err, "Incorrect curve or format for a EC-PRIVATE-KEY. Is: %s; " EC_EXPECTED,
                    mbedtls_pk_get_name(&pk));
            goto out;
        }
        gid = asr_pk_ec_group(&pk);
        switch (gid) {
        case MBEDTLS_ECP_DP_SECP256R1:
            type = ASR_T_EC_P256;
            L = 32;
            break;
        case MBEDTLS_ECP_DP_SECP384R1:
            type = ASR_T_EC_P384;
            L = 48;
            break;
        case MBEDTLS_ECP_DP_SECP521R1:
            type = ASR_T_EC_P521;
            L = 80;
            break;
        default:
            ci = mbedtls_ecp_curve_info_from_grp_id(gid);
            sec_err(err, "Incorrect curve or format for a EC-PRIVATE-KEY. Is: %s; " EC_EXPECTED,
                    ci && ci->name ? ci->name : "unknown curve");
            goto out;
        }
        uvs_secret_wipe(s);
        if (uvs_pk_ec_scalar(&pk, s->value, L) != 0) {
            uvs_secret_wipe(s);
            sec_err(err, "cannot export the EC private key");
            goto out;
        }
        s->type = type;
        s->len = (uint32_t)L;
        rc = 0;
    } else if (edwards_read(in, n, pem, s) == 0) {
        rc = 0;
    } else {
        sec_err(err, "Cannot read %s as EC PRIVATE KEY from PEM or DER", what ? what : "the secret");
    }
out:
    mbedtls_pk_free(&pk);
    uvs_wipe(pem, n + 1);
    free(pem);
    return rc;
}

int uvs_secret_retrievable(struct uvs_rng *rng, int kind, const uint8_t *in, size_t n, const char *what,
                           struct uvs_secret *s, char err[SECRET_ERR_MAX])
{
    if (err)
        err[0] = '\0';
    if (!s || (!in && n)) {
        sec_err(err, "invalid arguments");
        return -1;
    }
    switch (kind) {
    case UVS_KIND_PLAIN: {
        size_t enc;
        if (n > ASR_PLAIN_MAX_DATA) {
            sec_err(err, "Incorrect size for a PLAINTEXT secret. Is: %zu; expected: less than 8192 "
                         "(with its 2-byte length prefix: at most %u bytes of data)",
                    n, ASR_PLAIN_MAX_DATA);
            return -1;
        }
        uvs_secret_wipe(s);
        enc = asr_plain_encode(in, n, s->value, sizeof(s->value));
        if (enc == 0)
            return -1;
        s->type = ASR_T_PLAIN;
        s->len = (uint32_t)enc;
        return 0;
    }
    case UVS_KIND_AES:
        if (n == 16 || n == 24 || n == 32)
            return set_raw(s, n == 16 ? ASR_T_AES128 : n == 24 ? ASR_T_AES192 : ASR_T_AES256, in, n);
        sec_err(err, "Incorrect key size for a AES-KEY. Is: %zu; expected: 128, 192, or 256", n * 8);
        return -1;
    case UVS_KIND_AES_XTS:
        if (n == 32 || n == 64)
            return set_raw(s, n == 32 ? ASR_T_AESXTS128 : ASR_T_AESXTS256, in, n);
        sec_err(err, "Incorrect key size for a AES-XTS-KEY. Is: %zu; expected: 128 or 256 (bits of each of the two "
                     "keys: a 32- or 64-byte file)",
                n * 4);
        return -1;
    case UVS_KIND_HMAC_SHA:
        if (n == 64 || n == 128)
            return set_raw(s, n == 64 ? ASR_T_HMAC256 : ASR_T_HMAC512, in, n);
        sec_err(err, "Incorrect key size for a HMAC-SHA-KEY. Is: %zu; expected: 256 or 512 (SHA size; a 64- or "
                     "128-byte file)",
                n * 4);
        return -1;
    case UVS_KIND_EC:
        return ec_read(rng, in, n, what, s, err);
    default:
        sec_err(err, "unknown secret type; expected one of: " UVS_SECRET_KIND_NAMES);
        return -1;
    }
}
