/* Building an add-secret request (ASR §6.5, §10.3) from checked inputs.  The command
 * line never fixes the randomness; tests inject it through struct asr_fixed_random. */
#ifndef UVS_REQUEST_H
#define UVS_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/pk.h>

#include "asr.h"
#include "crypto.h"

#define REQ_ERR_MAX 512

struct asr_request_params {
    /* The secret (ASR §9): type, encoded value (plaintext already framed), ID. */
    uint16_t secret_type;
    const uint8_t *secret;           /* secret_len bytes; NULL for meta            */
    uint32_t secret_len;
    const uint8_t *id;               /* 32 bytes for listable types                 */
    /* Authenticated fields. */
    uint64_t flags;
    const uint8_t *tags;             /* 208 bytes: PLD|ALD|TLD|tag of the SE header */
    const uint8_t *cuid;             /* 16 bytes or NULL                            */
    const uint8_t *ext_secret;       /* 32 bytes or NULL (= 32 zero bytes)          */
    const uint8_t *cck;              /* 32 bytes or NULL: --cck, the extension secret
                                      * is derived from it and the SE header tag
                                      * (ASR §7); excludes ext_secret                 */
    /* User data (ASR §10): either none, an unsigned 512-byte area (type 1, e.g. the
     * --user-data message or a policy reference), or a message signed with sign_key
     * (type 2/3/4 chosen from the key). */
    const uint8_t *user_msg;         /* message bytes, may be NULL with len 0       */
    size_t user_msg_len;
    int user_unsigned;               /* 1: type 1 with user_msg (<= 512 bytes)      */
    mbedtls_pk_context *sign_key;    /* non-NULL: signed user data                  */
    /* Host keys, one keyslot each, in order. */
    const uint8_t (*host_keys)[160];
    size_t n_host_keys;
};

/* Test-only injection of the per-request randomness (NULL in production). */
struct asr_fixed_random {
    const uint8_t *cust_priv;        /* big-endian scalar                           */
    size_t cust_priv_len;
    const uint8_t *prot_key;         /* 32 */
    const uint8_t *iv;               /* 12 */
};

/* Group of an EC key (public API only; MBEDTLS_ECP_DP_NONE for a key of another type). */
mbedtls_ecp_group_id asr_pk_ec_group(const mbedtls_pk_context *key);

/* User-data type for a signing key: ASR_UD_ECDSA_P521 / _RSA2048 / _RSA3072, or -1
 * for an unsupported key ("unsupported user-data signing key"). */
int asr_ud_type_for_key(const mbedtls_pk_context *key);
/* Short key description for messages: "EC secp521r1", "RSA 2048", "RSA 3072", or
 * "unsupported" for anything else (e.g. -1 from asr_ud_type_for_key). */
const char *asr_ud_key_desc(int ud_type);

/* Builds the complete request into out (cap >= asr_request_len()).  Returns 0 and sets
 * *out_len, or -1 with one line in err (no host key, too many host keys, user data too
 * long for its type, unsupported key, ...).  Wipes every intermediate secret. */
int asr_request_build(struct uvs_rng *rng, const struct asr_request_params *p,
                      const struct asr_fixed_random *fixed, uint8_t *out, size_t cap, size_t *out_len,
                      char err[REQ_ERR_MAX]);

/* Signature check of signed user data (ASR §10.4 step 4): 0 if the signature in the
 * request verifies with key (whose type must match the request's user-data type),
 * -1 with err otherwise.  Used by `uvsecret verify`. */
int asr_user_data_verify(const struct asr_view *v, mbedtls_pk_context *key, char err[REQ_ERR_MAX]);

#endif
