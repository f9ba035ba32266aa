/* Secret values for `uvsecret create` (ASR §8.1, §9.2): the `retrievable --type`
 * names, the value encodings of every kind, association / update-CCK values and the
 * secret ID.  Inputs are file contents the caller has already read (size-checked
 * against UVS_SECRET_INPUT_MAX); nothing here touches files.  mbedTLS. */
#ifndef UVS_SECRET_H
#define UVS_SECRET_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/pk.h>

#include "asr.h"
#include "crypto.h"

#define SECRET_ERR_MAX 512
/* Largest encoded value (a plaintext secret of 8190 data bytes). */
#define UVS_SECRET_MAX ASR_PLAIN_MAX_LEN
/* Largest --secret file worth reading: a plaintext secret or a key file (PEM/DER). */
#define UVS_SECRET_INPUT_MAX 65536

/* `create retrievable --type KIND`. */
enum uvs_secret_kind {
    UVS_KIND_PLAIN = 0,      /* "plain"    -> 0x0003                                  */
    UVS_KIND_AES,            /* "aes"      -> 0x0004..0x0006 by size (16/24/32)       */
    UVS_KIND_AES_XTS,        /* "aes-xts"  -> 0x0007/0x0008 (32/64)                   */
    UVS_KIND_HMAC_SHA,       /* "hmac-sha" -> 0x0009/0x000A (64/128)                  */
    UVS_KIND_EC,             /* "ec"       -> 0x0011..0x0015 by curve                 */
};

/* A secret value ready for asr_request_params: type, encoded value, length.
 * Caller-owned; wipe it with uvs_secret_wipe() after use. */
struct uvs_secret {
    uint16_t type;
    uint32_t len;
    uint8_t value[UVS_SECRET_MAX];
};

/* The kind for a --type name (exact, lower case), or -1 ("plain, aes, aes-xts,
 * hmac-sha, ec" is UVS_SECRET_KIND_NAMES for the error message). */
#define UVS_SECRET_KIND_NAMES "plain, aes, aes-xts, hmac-sha, ec"
int uvs_secret_kind_from_name(const char *name);

/* `create retrievable --type KIND --secret FILE`: in/n = the file's content; what =
 * the file name for messages (may be NULL).  Fills s (type by kind and size/curve,
 * value per ASR §9.2) and returns 0, or -1 with one line in err, e.g.
 *   "Incorrect key size for a AES-KEY. Is: 800; expected: 128, 192, or 256"
 *   "Incorrect curve or format for a EC-PRIVATE-KEY. Is: secp256k1; expected: ..."
 *   "Cannot read FILE as EC PRIVATE KEY from PEM or DER"
 * EC keys: DER tried first, then PEM; PKCS#8 or SEC1 for the NIST curves (scalar,
 * left-padded to 32/48/80 bytes), RFC 8410 PKCS#8 for Ed25519/Ed448 (raw key,
 * 32 bytes / left-padded to 64).  rng is used by mbedTLS 3 key parsing only. */
int uvs_secret_retrievable(struct uvs_rng *rng, int kind, const uint8_t *in, size_t n, const char *what,
                           struct uvs_secret *s, char err[SECRET_ERR_MAX]);

/* `create association`: in = the --input-secret content (exactly 32 bytes), or NULL
 * for 32 random bytes from rng (the caller writes them to --output-secret if asked). */
int uvs_secret_association(struct uvs_rng *rng, const uint8_t *in, size_t n, struct uvs_secret *s,
                           char err[SECRET_ERR_MAX]);

/* `create update-cck --secret FILE`: exactly 32 bytes (the new CCK), type 0x0016. */
int uvs_secret_update_cck(const uint8_t *in, size_t n, struct uvs_secret *s, char err[SECRET_ERR_MAX]);

/* `create meta`: type 0x0001, no value. */
void uvs_secret_meta(struct uvs_secret *s);

/* An unencrypted private key file's content (any type mbedTLS reads): DER first, then
 * PEM (from a NUL-terminated copy, wiped after use; refused if the content holds a
 * NUL).  pk must be freshly initialised; on failure it is left initialised and empty.
 * rng is used by mbedTLS 3 only.  Returns 0 or -1. */
int uvs_pk_parse_private(mbedtls_pk_context *pk, const uint8_t *in, size_t n, struct uvs_rng *rng);

/* Zeroes the whole structure. */
void uvs_secret_wipe(struct uvs_secret *s);

/* Secret ID (ASR §8.1): SHA-256 of the name's n bytes, or with use_name the first
 * min(n, 31) bytes zero-padded to 32. */
void uvs_secret_id(const char *name, size_t n, int use_name, uint8_t id[ASR_ID_LEN]);

#endif
