/* The request cryptography on mbedTLS (ASR §6, §7): P-521 keys and ECDH, the keyslot
 * KDF, AES-256-GCM, HKDF-SHA512 for the CCK-derived extension secret, hashes, and the
 * DRBG.  Shared by the host tool, the simulated ultravisor and the tests.
 * Uses only public mbedTLS functions (no struct fields), so it builds on 2.28 and 3.6. */
#ifndef UVS_CRYPTO_H
#define UVS_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>

#define UVS_P521_SCALAR_LEN 66       /* private scalar and ECDH X coordinate */
#define UVS_P521_COORD_LEN 80        /* request/header coordinate, left-padded */
#define UVS_P521_PUB_LEN 160         /* X80 | Y80 */

/* Caller-owned DRBG (CTR-DRBG seeded from the system entropy source). */
struct uvs_rng {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
};

int uvs_rng_init(struct uvs_rng *r);
void uvs_rng_free(struct uvs_rng *r);
int uvs_random(struct uvs_rng *r, uint8_t *buf, size_t n);
/* The mbedTLS f_rng shape, for mbedTLS calls that want one (p_rng = the uvs_rng). */
int uvs_rng_fn(void *p_rng, unsigned char *buf, size_t n);

void uvs_sha256(const void *in, size_t n, uint8_t out[32]);
void uvs_sha512(const void *in, size_t n, uint8_t out[64]);

/* A fresh P-521 key pair: priv = 66-byte big-endian scalar, pub = X80 | Y80. */
int uvs_p521_keygen(struct uvs_rng *r, uint8_t priv[UVS_P521_SCALAR_LEN], uint8_t pub[UVS_P521_PUB_LEN]);
/* Public key of a private scalar given as big-endian bytes of any length (e.g. the
 * 80-byte private_cust.bin).  Returns 0, or -1 if the scalar is out of range. */
int uvs_p521_pub_from_priv(const uint8_t *priv, size_t priv_len, uint8_t pub[UVS_P521_PUB_LEN]);
/* 1 if pub (X80|Y80) is a valid point on P-521 (padding bytes zero), else 0. */
int uvs_p521_pub_valid(const uint8_t pub[UVS_P521_PUB_LEN]);

/* Keyslot KEK (ASR §6.2): SHA-256(X(priv * peer) as 66 bytes | 00 00 00 01).
 * Returns 0, or -1 if peer is not a valid point or the scalar is invalid. */
int uvs_p521_kek(struct uvs_rng *r, const uint8_t *priv, size_t priv_len,
                 const uint8_t peer_pub[UVS_P521_PUB_LEN], uint8_t kek[32]);

/* Public host-key hash: SHA-256 over the 160-byte coordinate block. */
void uvs_phkh(const uint8_t pub[UVS_P521_PUB_LEN], uint8_t out[32]);

/* AES-256-GCM with a 16-byte tag.  in and out may be the same buffer.
 * decrypt returns 0, or -1 on a tag mismatch (checked in constant time by mbedTLS);
 * on failure out is wiped. */
int uvs_gcm_encrypt(const uint8_t key[32], const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                    size_t aad_len, const uint8_t *in, size_t n, uint8_t *out, uint8_t tag[16]);
int uvs_gcm_decrypt(const uint8_t key[32], const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                    size_t aad_len, const uint8_t *in, size_t n, uint8_t *out, const uint8_t tag[16]);

/* Keyslot (ASR §3.5, §6.3): PHKH(host) | GCM(KEK, IV 0^12, no AAD, prot_key) | tag.
 * cust_priv is the request's (or header's) customer private scalar. */
int uvs_keyslot_wrap(struct uvs_rng *r, const uint8_t *cust_priv, size_t cust_priv_len,
                     const uint8_t host_pub[UVS_P521_PUB_LEN], const uint8_t prot_key[32],
                     uint8_t slot[80]);
/* The UV side: the host private scalar and the customer public key give the same KEK.
 * Does not compare the PHKH (the caller picks the slot).  Returns 0 or -1. */
int uvs_keyslot_unwrap(struct uvs_rng *r, const uint8_t *host_priv, size_t host_priv_len,
                       const uint8_t cust_pub[UVS_P521_PUB_LEN], const uint8_t slot[80],
                       uint8_t prot_key[32]);

/* CCK-derived extension secret (ASR §7): HKDF-SHA512(ikm = CCK, salt = SE header tag,
 * info = "IBM Z Ultravisor Add-Secret", 32 bytes). */
int uvs_cck_ext_secret(const uint8_t cck[32], const uint8_t hdr_tag[16], uint8_t out[32]);

/* mbedTLS keys, for both library lines (2.28 and 3.x differ in these calls).
 * uvs_pk_parse_key: a private key in DER, or PEM with its terminating NUL counted in n;
 * 3.x uses rng for blinding.  Returns the mbedTLS code (0 on success). */
int uvs_pk_parse_key(mbedtls_pk_context *pk, const uint8_t *buf, size_t n, struct uvs_rng *rng);
/* The private scalar of an EC key, big-endian, left-padded to len bytes (len at least
 * the curve's size, at most 80).  Returns 0 or -1. */
int uvs_pk_ec_scalar(mbedtls_pk_context *pk, uint8_t *out, size_t len);
/* X80|Y80 of a P-521 key (public or private): -1 for any other key or an invalid point. */
int uvs_pk_p521_pub(mbedtls_pk_context *pk, uint8_t pub[UVS_P521_PUB_LEN]);

/* Constant-time comparison: 0 if equal. */
int uvs_ct_memcmp(const void *a, const void *b, size_t n);

/* Wipes memory (mbedtls_platform_zeroize). */
void uvs_wipe(void *p, size_t n);

#endif
