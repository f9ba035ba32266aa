/* Request cryptography on mbedTLS (see crypto.h). */
#include "crypto.h"

#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecdh.h>
#include <mbedtls/ecp.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/version.h>

static const char kdf_info[] = "IBM Z Ultravisor Add-Secret";

void uvs_wipe(void *p, size_t n)
{
    mbedtls_platform_zeroize(p, n);
}

int uvs_ct_memcmp(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = a, *y = b;
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= (uint8_t)(x[i] ^ y[i]);
    return acc != 0;
}

int uvs_rng_init(struct uvs_rng *r)
{
    static const char pers[] = "uvsecret";
    mbedtls_entropy_init(&r->entropy);
    mbedtls_ctr_drbg_init(&r->drbg);
    if (mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func, &r->entropy,
                              (const unsigned char *)pers, sizeof(pers) - 1) != 0) {
        uvs_rng_free(r);
        return -1;
    }
    return 0;
}

void uvs_rng_free(struct uvs_rng *r)
{
    mbedtls_ctr_drbg_free(&r->drbg);
    mbedtls_entropy_free(&r->entropy);
}

int uvs_rng_fn(void *p_rng, unsigned char *buf, size_t n)
{
    struct uvs_rng *r = p_rng;
    return mbedtls_ctr_drbg_random(&r->drbg, buf, n);
}

int uvs_random(struct uvs_rng *r, uint8_t *buf, size_t n)
{
    return mbedtls_ctr_drbg_random(&r->drbg, buf, n) == 0 ? 0 : -1;
}

static void md(mbedtls_md_type_t t, const void *in, size_t n, uint8_t *out)
{
    /* Cannot fail for SHA-256/512 with valid pointers. */
    (void)mbedtls_md(mbedtls_md_info_from_type(t), in, n, out);
}

void uvs_sha256(const void *in, size_t n, uint8_t out[32])
{
    md(MBEDTLS_MD_SHA256, in, n, out);
}

void uvs_sha512(const void *in, size_t n, uint8_t out[64])
{
    md(MBEDTLS_MD_SHA512, in, n, out);
}

/* Point <-> X80|Y80.  The 14 padding bytes of each coordinate must be zero. */
static int point_read(const mbedtls_ecp_group *grp, mbedtls_ecp_point *q, const uint8_t pub[160])
{
    uint8_t raw[1 + 2 * UVS_P521_SCALAR_LEN];
    const size_t pad = UVS_P521_COORD_LEN - UVS_P521_SCALAR_LEN;

    for (size_t i = 0; i < pad; i++)
        if (pub[i] != 0 || pub[UVS_P521_COORD_LEN + i] != 0)
            return -1;
    raw[0] = 0x04;
    memcpy(raw + 1, pub + pad, UVS_P521_SCALAR_LEN);
    memcpy(raw + 1 + UVS_P521_SCALAR_LEN, pub + UVS_P521_COORD_LEN + pad, UVS_P521_SCALAR_LEN);
    if (mbedtls_ecp_point_read_binary(grp, q, raw, sizeof(raw)) != 0)
        return -1;
    return mbedtls_ecp_check_pubkey(grp, q) == 0 ? 0 : -1;
}

static int point_write(const mbedtls_ecp_group *grp, const mbedtls_ecp_point *q, uint8_t pub[160])
{
    uint8_t raw[1 + 2 * UVS_P521_SCALAR_LEN];
    size_t olen = 0;
    const size_t pad = UVS_P521_COORD_LEN - UVS_P521_SCALAR_LEN;

    if (mbedtls_ecp_point_write_binary(grp, q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, raw,
                                       sizeof(raw)) != 0 ||
        olen != sizeof(raw))
        return -1;
    memset(pub, 0, UVS_P521_PUB_LEN);
    memcpy(pub + pad, raw + 1, UVS_P521_SCALAR_LEN);
    memcpy(pub + UVS_P521_COORD_LEN + pad, raw + 1 + UVS_P521_SCALAR_LEN, UVS_P521_SCALAR_LEN);
    return 0;
}

int uvs_p521_keygen(struct uvs_rng *r, uint8_t priv[UVS_P521_SCALAR_LEN], uint8_t pub[UVS_P521_PUB_LEN])
{
    mbedtls_ecp_group grp;
    mbedtls_mpi d;
    mbedtls_ecp_point q;
    int rc = -1;

    mbedtls_ecp_group_init(&grp);
    mbedtls_mpi_init(&d);
    mbedtls_ecp_point_init(&q);
    if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP521R1) == 0 &&
        mbedtls_ecp_gen_keypair(&grp, &d, &q, uvs_rng_fn, r) == 0 &&
        mbedtls_mpi_write_binary(&d, priv, UVS_P521_SCALAR_LEN) == 0 && point_write(&grp, &q, pub) == 0)
        rc = 0;
    mbedtls_ecp_point_free(&q);
    mbedtls_mpi_free(&d);
    mbedtls_ecp_group_free(&grp);
    return rc;
}

int uvs_p521_pub_from_priv(const uint8_t *priv, size_t priv_len, uint8_t pub[UVS_P521_PUB_LEN])
{
    mbedtls_ecp_group grp;
    mbedtls_mpi d;
    mbedtls_ecp_point q;
    struct uvs_rng rng;
    int rc = -1;

    if (uvs_rng_init(&rng) != 0)
        return -1;
    mbedtls_ecp_group_init(&grp);
    mbedtls_mpi_init(&d);
    mbedtls_ecp_point_init(&q);
    if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP521R1) == 0 &&
        mbedtls_mpi_read_binary(&d, priv, priv_len) == 0 && mbedtls_ecp_check_privkey(&grp, &d) == 0 &&
        mbedtls_ecp_mul(&grp, &q, &d, &grp.G, uvs_rng_fn, &rng) == 0 && point_write(&grp, &q, pub) == 0)
        rc = 0;
    mbedtls_ecp_point_free(&q);
    mbedtls_mpi_free(&d);
    mbedtls_ecp_group_free(&grp);
    uvs_rng_free(&rng);
    return rc;
}

int uvs_p521_pub_valid(const uint8_t pub[UVS_P521_PUB_LEN])
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    int ok;

    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    ok = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP521R1) == 0 && point_read(&grp, &q, pub) == 0;
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    return ok;
}

int uvs_p521_kek(struct uvs_rng *r, const uint8_t *priv, size_t priv_len,
                 const uint8_t peer_pub[UVS_P521_PUB_LEN], uint8_t kek[32])
{
    mbedtls_ecp_group grp;
    mbedtls_mpi d, z;
    mbedtls_ecp_point q;
    uint8_t buf[UVS_P521_SCALAR_LEN + 4];
    int rc = -1;

    mbedtls_ecp_group_init(&grp);
    mbedtls_mpi_init(&d);
    mbedtls_mpi_init(&z);
    mbedtls_ecp_point_init(&q);
    if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP521R1) != 0 || point_read(&grp, &q, peer_pub) != 0 ||
        mbedtls_mpi_read_binary(&d, priv, priv_len) != 0 || mbedtls_ecp_check_privkey(&grp, &d) != 0)
        goto out;
    if (mbedtls_ecdh_compute_shared(&grp, &z, &q, &d, uvs_rng_fn, r) != 0 ||
        mbedtls_mpi_write_binary(&z, buf, UVS_P521_SCALAR_LEN) != 0)
        goto out;
    buf[UVS_P521_SCALAR_LEN] = 0;
    buf[UVS_P521_SCALAR_LEN + 1] = 0;
    buf[UVS_P521_SCALAR_LEN + 2] = 0;
    buf[UVS_P521_SCALAR_LEN + 3] = 1;
    uvs_sha256(buf, sizeof(buf), kek);
    rc = 0;
out:
    uvs_wipe(buf, sizeof(buf));
    mbedtls_ecp_point_free(&q);
    mbedtls_mpi_free(&z);
    mbedtls_mpi_free(&d);
    mbedtls_ecp_group_free(&grp);
    return rc;
}

void uvs_phkh(const uint8_t pub[UVS_P521_PUB_LEN], uint8_t out[32])
{
    uvs_sha256(pub, UVS_P521_PUB_LEN, out);
}

int uvs_gcm_encrypt(const uint8_t key[32], const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                    size_t aad_len, const uint8_t *in, size_t n, uint8_t *out, uint8_t tag[16])
{
    mbedtls_gcm_context g;
    int rc;

    mbedtls_gcm_init(&g);
    rc = mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key, 256);
    if (rc == 0)
        rc = mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, n, iv, iv_len, aad, aad_len, in, out, 16, tag);
    mbedtls_gcm_free(&g);
    return rc == 0 ? 0 : -1;
}

int uvs_gcm_decrypt(const uint8_t key[32], const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                    size_t aad_len, const uint8_t *in, size_t n, uint8_t *out, const uint8_t tag[16])
{
    mbedtls_gcm_context g;
    int rc;

    mbedtls_gcm_init(&g);
    rc = mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key, 256);
    if (rc == 0)
        rc = mbedtls_gcm_auth_decrypt(&g, n, iv, iv_len, aad, aad_len, tag, 16, in, out);
    mbedtls_gcm_free(&g);
    if (rc != 0) {
        uvs_wipe(out, n);
        return -1;
    }
    return 0;
}

static const uint8_t zero_iv[12];

int uvs_keyslot_wrap(struct uvs_rng *r, const uint8_t *cust_priv, size_t cust_priv_len,
                     const uint8_t host_pub[UVS_P521_PUB_LEN], const uint8_t prot_key[32], uint8_t slot[80])
{
    uint8_t kek[32];
    int rc = -1;

    if (uvs_p521_kek(r, cust_priv, cust_priv_len, host_pub, kek) == 0 &&
        uvs_gcm_encrypt(kek, zero_iv, sizeof(zero_iv), NULL, 0, prot_key, 32, slot + 32, slot + 64) == 0) {
        uvs_phkh(host_pub, slot);
        rc = 0;
    }
    uvs_wipe(kek, sizeof(kek));
    return rc;
}

int uvs_keyslot_unwrap(struct uvs_rng *r, const uint8_t *host_priv, size_t host_priv_len,
                       const uint8_t cust_pub[UVS_P521_PUB_LEN], const uint8_t slot[80], uint8_t prot_key[32])
{
    uint8_t kek[32];
    int rc = -1;

    if (uvs_p521_kek(r, host_priv, host_priv_len, cust_pub, kek) == 0 &&
        uvs_gcm_decrypt(kek, zero_iv, sizeof(zero_iv), NULL, 0, slot + 32, 32, prot_key, slot + 64) == 0)
        rc = 0;
    uvs_wipe(kek, sizeof(kek));
    return rc;
}

int uvs_cck_ext_secret(const uint8_t cck[32], const uint8_t hdr_tag[16], uint8_t out[32])
{
    return mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA512), hdr_tag, 16, cck, 32,
                        (const unsigned char *)kdf_info, sizeof(kdf_info) - 1, out, 32) == 0
               ? 0
               : -1;
}

int uvs_pk_parse_key(mbedtls_pk_context *pk, const uint8_t *buf, size_t n, struct uvs_rng *rng)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_pk_parse_key(pk, buf, n, NULL, 0, uvs_rng_fn, rng);
#else
    (void)rng;
    return mbedtls_pk_parse_key(pk, buf, n, NULL, 0);
#endif
}

int uvs_pk_ec_scalar(mbedtls_pk_context *pk, uint8_t *out, size_t len)
{
    uint8_t tmp[80];
    size_t olen = 0;
    int rc;

    if (!mbedtls_pk_can_do(pk, MBEDTLS_PK_ECKEY) || len > sizeof(tmp))
        return -1;
#if MBEDTLS_VERSION_NUMBER >= 0x03060000
    rc = mbedtls_ecp_write_key_ext(mbedtls_pk_ec(*pk), &olen, tmp, sizeof(tmp));
#else
    olen = (mbedtls_pk_get_bitlen(pk) + 7) / 8;
    rc = olen <= sizeof(tmp) ? mbedtls_ecp_write_key(mbedtls_pk_ec(*pk), tmp, olen) : -1;
#endif
    if (rc == 0 && olen <= len) {
        memset(out, 0, len - olen);
        memcpy(out + (len - olen), tmp, olen);
    }
    uvs_wipe(tmp, sizeof(tmp));
    return rc == 0 && olen <= len ? 0 : -1;
}

/* Through the SubjectPublicKeyInfo DER, whose last 133 bytes are 04 | X66 | Y66. */
int uvs_pk_p521_pub(mbedtls_pk_context *pk, uint8_t pub[UVS_P521_PUB_LEN])
{
    uint8_t der[512];
    const size_t pt_len = 1 + 2 * UVS_P521_SCALAR_LEN;
    const size_t pad = UVS_P521_COORD_LEN - UVS_P521_SCALAR_LEN;
    const uint8_t *pt;
    int n;

    if (!mbedtls_pk_can_do(pk, MBEDTLS_PK_ECKEY) || mbedtls_pk_get_bitlen(pk) != 521)
        return -1;
    n = mbedtls_pk_write_pubkey_der(pk, der, sizeof(der));
    if (n < (int)pt_len)
        return -1;
    pt = der + sizeof(der) - pt_len;
    if (pt[0] != 0x04)
        return -1;
    memset(pub, 0, UVS_P521_PUB_LEN);
    memcpy(pub + pad, pt + 1, UVS_P521_SCALAR_LEN);
    memcpy(pub + UVS_P521_COORD_LEN + pad, pt + 1 + UVS_P521_SCALAR_LEN, UVS_P521_SCALAR_LEN);
    return uvs_p521_pub_valid(pub) ? 0 : -1;
}
