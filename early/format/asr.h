/* Add-secret request (ASRCB) — byte layout, constants, parsing and serialising.
 *
 * Crypto-free and allocation-free: shared by the host tool (mbedTLS), the guest binary
 * (BearSSL) and the simulated ultravisor.  Normative text: shared/spec/add-secret-request.md
 * ("ASR §n" below).  All integers in a request are big-endian.
 */
#ifndef UVS_ASR_H
#define UVS_ASR_H

#include <stddef.h>
#include <stdint.h>

/* ---- Fixed layout (ASR §2, §3, §5) --------------------------------------------- */
#define ASR_MAGIC "asrcbM"           /* bytes 0..5; bytes 6..7 = user-data type   */
#define ASR_MAGIC_LEN 6
#define ASR_VERSION 0x00000100u      /* rqvn, the only valid value                 */
#define ASR_HDR_LEN 48

#define ASR_OFF_UDTYPE 0x006
#define ASR_OFF_RQVN 0x008
#define ASR_OFF_RQL 0x00C
#define ASR_OFF_IV 0x010
#define ASR_OFF_NKS 0x027
#define ASR_OFF_SEA 0x02C
#define ASR_OFF_FLAGS 0x030
#define ASR_OFF_TAGS 0x038           /* PLD | ALD | TLD | SE header tag          */
#define ASR_OFF_PLD 0x038
#define ASR_OFF_ALD 0x078
#define ASR_OFF_TLD 0x0B8
#define ASR_OFF_HDRTAG 0x0F8
#define ASR_OFF_CUID 0x108
#define ASR_OFF_RESERVED 0x118
#define ASR_OFF_USER 0x218
#define ASR_OFF_CUSTKEY 0x418        /* X (80) | Y (80)                          */
#define ASR_OFF_KEYSLOTS 0x4B8

#define ASR_IV_LEN 12
#define ASR_DIGEST_LEN 64            /* PLD, ALD, TLD                            */
#define ASR_HDRTAG_LEN 16
#define ASR_TAGS_LEN 208             /* PLD|ALD|TLD|tag                          */
#define ASR_CUID_LEN 16
#define ASR_RESERVED_LEN 256
#define ASR_USER_LEN 512
#define ASR_COORD_LEN 80             /* one P-521 coordinate, left-padded        */
#define ASR_CUSTKEY_LEN 160
#define ASR_KEYSLOT_LEN 80           /* PHKH (32) | wrapped key (32) | tag (16)  */
#define ASR_PHKH_LEN 32
#define ASR_ID_LEN 32
#define ASR_ID_NAME_MAX 31u          /* --use-name: name bytes kept in the ID    */
#define ASR_EXT_LEN 32               /* extension secret                         */
#define ASR_TAG_LEN 16               /* request GCM tag                          */
#define ASR_KEY_LEN 32               /* protection key, AES-256                  */
#define ASR_SECHDR_META_LEN 16
#define ASR_SECHDR_LEN 48
#define ASR_MAX_NKS 255
#define ASR_MAX_LEN 0x100000u        /* kernel UVIO_ADD_SECRET_MAX_LEN           */
#define ASR_PLAIN_MAX_DATA 8190u     /* plaintext secret: data bytes             */
#define ASR_PLAIN_MAX_LEN 8192u      /* plaintext secret: encoded length         */
/* Largest well-formed request: 255 keyslots and an 8192-byte plaintext value. */
#define ASR_LARGEST_VALID (1304u + 80u * ASR_MAX_NKS + ASR_PLAIN_MAX_LEN)

#define ASR_FLAG_DISABLE_DUMP 0x8000000000000000ull

static inline size_t asr_keyslot_off(unsigned i)
{
    return ASR_OFF_KEYSLOTS + (size_t)ASR_KEYSLOT_LEN * i;
}

/* ---- Secret types (ASR §9.1) --------------------------------------------------- */
enum asr_secret_type {
    ASR_T_NULL = 0x0001,             /* meta: carries flags only                 */
    ASR_T_ASSOC = 0x0002,
    ASR_T_PLAIN = 0x0003,
    ASR_T_AES128 = 0x0004,
    ASR_T_AES192 = 0x0005,
    ASR_T_AES256 = 0x0006,
    ASR_T_AESXTS128 = 0x0007,
    ASR_T_AESXTS256 = 0x0008,
    ASR_T_HMAC256 = 0x0009,
    ASR_T_HMAC512 = 0x000A,
    ASR_T_EC_P256 = 0x0011,
    ASR_T_EC_P384 = 0x0012,
    ASR_T_EC_P521 = 0x0013,
    ASR_T_ED25519 = 0x0014,
    ASR_T_ED448 = 0x0015,
    ASR_T_UPDATE_CCK = 0x0016,
};

struct asr_type_info {
    uint16_t type;
    const char *name;        /* YAML / PEM / list name; NULL for meta and update-CCK */
    uint32_t len;            /* exact secret_len; 0 for plaintext (range instead)    */
    uint32_t prot_len;       /* length a UV lists for it (key + 32 for key types)    */
    uint8_t listable;        /* carries an ID and gets a list entry                  */
    uint8_t retrievable;
};

/* NULL for a type no request may carry (0x0000, 0x000B..0x0010, > 0x0016). */
const struct asr_type_info *asr_type_lookup(uint16_t type);
/* 1 if secret_len is valid for the type (ASR §9.1/§12 item 9), else 0. */
int asr_secret_len_valid(uint16_t type, uint32_t secret_len);
/* Name as `pvsecret list` prints it: "Association", "AES-256-KEY", "Invalid(0x0016)",
 * "Unknown(0x00ff)".  out must hold ASR_TYPE_NAME_MAX bytes; returns out. */
#define ASR_TYPE_NAME_MAX 32
const char *asr_type_name(uint16_t type, char out[ASR_TYPE_NAME_MAX]);

/* ---- User data (ASR §10) ------------------------------------------------------- */
enum asr_ud_type {
    ASR_UD_NONE = 0,
    ASR_UD_UNSIGNED = 1,
    ASR_UD_ECDSA_P521 = 2,
    ASR_UD_RSA2048 = 3,
    ASR_UD_RSA3072 = 4,
};
#define ASR_UD_ECDSA_SIG_OFF 0x100   /* area-relative */
#define ASR_UD_ECDSA_SIG_MAX 139
#define ASR_UD_ECDSA_LEN_OFF 0x190   /* BE u16 signature length */

/* Message capacity of the type: 0, 512, 256, 256, 128; 0 for an unknown type. */
size_t asr_ud_capacity(uint16_t ud_type);
/* Signature length for RSA types (256, 384), 0 otherwise. */
size_t asr_ud_rsa_sig_len(uint16_t ud_type);
/* Human name used by verify/info: "None", "unsigned", "ECDSA signed", "RSA 2048 signed",
 * "RSA 3072 signed", or "unknown". */
const char *asr_ud_kind_name(uint16_t ud_type);

/* ---- Parsing an untrusted request (ASR §12) ------------------------------------ */
enum asr_err {
    ASR_OK = 0,
    ASR_E_SHORT,        /* fewer than 48 bytes, or fewer than the fixed area       */
    ASR_E_TOO_LARGE,    /* over ASR_MAX_LEN                                        */
    ASR_E_MAGIC,        /* not "asrcbM"                                            */
    ASR_E_UDTYPE,       /* user-data type not 0..4                                 */
    ASR_E_VERSION,      /* rqvn != 0x100                                           */
    ASR_E_RQL,          /* rql differs from the number of bytes                    */
    ASR_E_SEA,          /* sea < 32 or larger than the request                     */
    ASR_E_NKS,          /* nks == 0                                                */
    ASR_E_LAYOUT,       /* keyslots/secret header do not fit the authenticated part*/
    ASR_E_TYPE,         /* unknown secret type                                     */
    ASR_E_SECLEN,       /* secret_len inconsistent with sea or invalid for type    */
    ASR_E_RESERVED,     /* a reserved field is not zero                            */
    ASR_E_USERDATA,     /* user-data area inconsistent with its type               */
};

/* Human text for an error, one phrase without a trailing period. */
const char *asr_strerror(enum asr_err e);

/* A parsed request: pointers into the caller's buffer, valid as long as it is. */
struct asr_view {
    const uint8_t *buf;
    size_t len;                  /* == rql                                          */
    uint16_t ud_type;
    uint8_t nks;
    uint32_t rql;
    uint32_t sea;
    uint64_t flags;
    size_t aad_len;              /* bytes [0, aad_len) are the GCM AAD              */
    size_t sechdr_off;           /* S = 0x4B8 + 80*nks                              */
    size_t sechdr_len;           /* 16 or 48                                        */
    uint16_t secret_type;
    uint32_t secret_len;
    const uint8_t *iv;           /* 12 */
    const uint8_t *tags;         /* 208: PLD|ALD|TLD|tag */
    const uint8_t *cuid;         /* 16 */
    const uint8_t *user_data;    /* 512 */
    const uint8_t *cust_key;     /* 160 */
    const uint8_t *keyslots;     /* 80 * nks */
    const uint8_t *id;           /* 32, NULL for meta and update-CCK */
    const uint8_t *encrypted;    /* sea bytes */
    const uint8_t *tag;          /* 16, the last bytes */
};

/* Full structural check of buf[0, len) per ASR §12, in the spec's order.  Never reads
 * outside the buffer.  On ASR_OK *v describes the request; on error *v is zeroed. */
enum asr_err asr_parse(const uint8_t *buf, size_t len, struct asr_view *v);

/* 1 if the CUID field is all zero (the UV then ignores it). */
int asr_cuid_is_zero(const struct asr_view *v);

/* ---- Building a request (ASR §6.5) --------------------------------------------- */
struct asr_fields {
    uint16_t ud_type;            /* magic bytes 6..7                                */
    uint8_t nks;                 /* 1..255                                          */
    uint64_t flags;
    const uint8_t *tags;         /* 208 bytes from the SE header                    */
    const uint8_t *cuid;         /* 16 bytes, or NULL for none                      */
    const uint8_t *user_data;    /* 512 bytes (already laid out), or NULL           */
    const uint8_t *iv;           /* 12 bytes                                        */
    uint16_t secret_type;
    uint32_t secret_len;         /* length of the secret value                      */
    const uint8_t *id;           /* 32 bytes for listable types, else ignored       */
};

/* Sizes of a request with these properties; 0 for an unknown type, invalid
 * secret_len or nks outside 1..255. */
size_t asr_request_len(unsigned nks, uint16_t secret_type, uint32_t secret_len);
size_t asr_aad_len(unsigned nks, uint16_t secret_type);

/* Writes the authenticated part [0, aad_len) into out (out_len must be at least
 * asr_request_len()): header with rql/sea/nks/IV/magic, flags, tags, CUID, user data,
 * secret header.  The customer key and keyslots are left zero for the caller to fill
 * at ASR_OFF_CUSTKEY and asr_keyslot_off(i).  Returns ASR_OK or ASR_E_* for invalid
 * fields (unknown type, bad length, nks out of range, short buffer). */
enum asr_err asr_write_aad(uint8_t *out, size_t out_len, const struct asr_fields *f);

/* ---- Secret value encodings (ASR §9.2, §9.3) ----------------------------------- */
/* Plaintext secret: BE u16 length | data | zero padding to a multiple of 16.
 * Returns the encoded length (16..8192), or 0 if n > 8190 or out_cap is too small. */
size_t asr_plain_encode(const uint8_t *data, size_t n, uint8_t *out, size_t out_cap);
/* Encoded length for n data bytes (0 if n > 8190). */
size_t asr_plain_encoded_len(size_t n);
/* What a guest does with a retrieved plaintext block: if it is a valid encoding, sets
 * *data_len and returns 1 (data at buf + 2); else returns 0 (use the buffer as is). */
int asr_plain_decode(const uint8_t *buf, size_t len, size_t *data_len);

/* --use-name ID: first min(n, ASR_ID_NAME_MAX) bytes of the name, zero-padded to 32. */
void asr_id_from_name(const char *name, size_t n, uint8_t id[ASR_ID_LEN]);

#endif
