/* User-data signatures of add-secret requests (ASR §10) on BearSSL: trusted signer keys
 * from X.509 certificates (PEM or DER) or private keys, ECDSA P-521 / SHA-512 and
 * RSA-PSS 2048/3072 / SHA-512 / MGF1-SHA-512 with any salt length. */
#ifndef EARLY_SIG_H
#define EARLY_SIG_H

#include <stddef.h>
#include <stdint.h>

#include "asr.h"

#define SIG_MAX_KEYS 16          /* signer keys kept at once               */
#define SIG_FILE_MAX 65536       /* largest certificate/key file read       */
#define SIG_RSA_MAX 512          /* modulus bytes (RSA-4096 is parsed, then refused) */
#define SIG_EC_MAX 133           /* uncompressed P-521 point               */

enum sig_kind { SIG_NONE = 0, SIG_RSA, SIG_EC };

struct sig_key {
    enum sig_kind kind;
    int curve;                   /* BR_EC_* for SIG_EC                      */
    uint8_t n[SIG_RSA_MAX];      /* RSA modulus without leading zeros       */
    size_t nlen;
    uint8_t e[8];
    size_t elen;
    uint8_t q[SIG_EC_MAX];       /* EC public point                         */
    size_t qlen;
};

/* Decodes every key in a file (PEM with any number of CERTIFICATE / PRIVATE KEY /
 * RSA PRIVATE KEY / EC PRIVATE KEY objects, or one DER certificate or private key) and
 * appends them to keys[*n .. cap).  Returns the number added (>= 1), or -1 with *why. */
int sig_load_keys(const uint8_t *data, size_t len, struct sig_key *keys, size_t cap, size_t *n,
                  const char **why);

/* As sig_load_keys, but certificates only: any private key (PEM or DER) is an error.
 * For the boot job's trusted signers, which live in a possibly unencrypted image. */
int sig_load_certs(const uint8_t *data, size_t len, struct sig_key *keys, size_t cap, size_t *n,
                   const char **why);

/* User-data type this key can verify (ASR_UD_ECDSA_P521, _RSA2048, _RSA3072) or -1. */
int sig_key_ud_type(const struct sig_key *k);
/* "EC", "RSA 2048", ..., "Unknown" (pvsecret's names). */
void sig_key_name(const struct sig_key *k, char out[32]);

/* SHA-512 over the signed bytes of a parsed request (ASR §10.4): everything but the
 * signature part of the user data (zeroed) and the final GCM tag. */
void sig_request_hash(const struct asr_view *v, uint8_t out[64]);

/* Verifies the user-data signature of a parsed request (type 2..4) with key.
 * 0 on success; -1 with *why ("key type does not match", "signature does not verify"). */
int sig_verify_request(const struct asr_view *v, const struct sig_key *key, const char **why);

/* EMSA-PSS verification (RFC 8017 §9.1.2) with SHA-512 and MGF1-SHA-512 after the raw
 * RSA public operation; the salt length is recovered from the encoding.  sig must be
 * exactly nlen bytes.  1 if valid, 0 otherwise. */
int sig_rsa_pss_sha512_verify(const struct sig_key *key, const uint8_t *sig, size_t sig_len,
                              const uint8_t hash[64]);
/* EMSA-PSS-VERIFY steps 3-14 on an encoded message em of em_len = ceil(em_bits / 8)
 * bytes (at most SIG_RSA_MAX), salt length recovered.  1 if consistent, 0 otherwise. */
int sig_emsa_pss_sha512_check(const uint8_t *em, size_t em_len, size_t em_bits,
                              const uint8_t mhash[64]);

#endif
