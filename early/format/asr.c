/* Add-secret request layout: parse, validate and serialise (see asr.h). */
#include "asr.h"

#include <string.h>

#include "be.h"

static const struct asr_type_info asr_types[] = {
    { ASR_T_NULL, NULL, 0, 0, 0, 0 },
    { ASR_T_ASSOC, "Association", 32, 32, 1, 0 },
    { ASR_T_PLAIN, "PLAINTEXT", 0, 0, 1, 1 },
    { ASR_T_AES128, "AES-128-KEY", 16, 48, 1, 1 },
    { ASR_T_AES192, "AES-192-KEY", 24, 56, 1, 1 },
    { ASR_T_AES256, "AES-256-KEY", 32, 64, 1, 1 },
    { ASR_T_AESXTS128, "AES-XTS-128-KEY", 32, 64, 1, 1 },
    { ASR_T_AESXTS256, "AES-XTS-256-KEY", 64, 96, 1, 1 },
    { ASR_T_HMAC256, "HMAC-SHA-256-KEY", 64, 96, 1, 1 },
    { ASR_T_HMAC512, "HMAC-SHA-512-KEY", 128, 160, 1, 1 },
    { ASR_T_EC_P256, "EC-SECP256R1-PRIVATE-KEY", 32, 64, 1, 1 },
    { ASR_T_EC_P384, "EC-SECP384R1-PRIVATE-KEY", 48, 80, 1, 1 },
    { ASR_T_EC_P521, "EC-SECP521R1-PRIVATE-KEY", 80, 112, 1, 1 },
    { ASR_T_ED25519, "EC-ED25519-PRIVATE-KEY", 32, 64, 1, 1 },
    { ASR_T_ED448, "EC-ED448-PRIVATE-KEY", 64, 96, 1, 1 },
    { ASR_T_UPDATE_CCK, NULL, 32, 0, 0, 0 },
};

const struct asr_type_info *asr_type_lookup(uint16_t type)
{
    for (size_t i = 0; i < sizeof(asr_types) / sizeof(asr_types[0]); i++)
        if (asr_types[i].type == type)
            return &asr_types[i];
    return NULL;
}

int asr_secret_len_valid(uint16_t type, uint32_t secret_len)
{
    const struct asr_type_info *t = asr_type_lookup(type);
    if (!t)
        return 0;
    if (type == ASR_T_PLAIN)
        return secret_len >= 16 && secret_len <= ASR_PLAIN_MAX_LEN && secret_len % 16 == 0;
    return secret_len == t->len;
}

static void put_hex4(char *p, uint16_t v)
{
    static const char hx[] = "0123456789abcdef";
    p[0] = hx[(v >> 12) & 15];
    p[1] = hx[(v >> 8) & 15];
    p[2] = hx[(v >> 4) & 15];
    p[3] = hx[v & 15];
}

const char *asr_type_name(uint16_t type, char out[ASR_TYPE_NAME_MAX])
{
    const struct asr_type_info *t = asr_type_lookup(type);
    const char *prefix;
    size_t n;

    if (t && t->name) {
        n = strlen(t->name);
        memcpy(out, t->name, n + 1);
        return out;
    }
    /* Meta, update-CCK and the reserved 0x0000 are "Invalid", the rest "Unknown". */
    prefix = (t || type == 0) ? "Invalid(0x" : "Unknown(0x";
    n = strlen(prefix);
    memcpy(out, prefix, n);
    put_hex4(out + n, type);
    out[n + 4] = ')';
    out[n + 5] = '\0';
    return out;
}

size_t asr_ud_capacity(uint16_t ud_type)
{
    switch (ud_type) {
    case ASR_UD_UNSIGNED:
        return 512;
    case ASR_UD_ECDSA_P521:
    case ASR_UD_RSA2048:
        return 256;
    case ASR_UD_RSA3072:
        return 128;
    default:
        return 0;
    }
}

size_t asr_ud_rsa_sig_len(uint16_t ud_type)
{
    return ud_type == ASR_UD_RSA2048 ? 256 : ud_type == ASR_UD_RSA3072 ? 384 : 0;
}

const char *asr_ud_kind_name(uint16_t ud_type)
{
    switch (ud_type) {
    case ASR_UD_NONE:
        return "None";
    case ASR_UD_UNSIGNED:
        return "unsigned";
    case ASR_UD_ECDSA_P521:
        return "ECDSA signed";
    case ASR_UD_RSA2048:
        return "RSA 2048 signed";
    case ASR_UD_RSA3072:
        return "RSA 3072 signed";
    default:
        return "unknown";
    }
}

const char *asr_strerror(enum asr_err e)
{
    switch (e) {
    case ASR_OK:
        return "no error";
    case ASR_E_SHORT:
        return "too short for an add-secret request";
    case ASR_E_TOO_LARGE:
        return "larger than the 1 MiB limit of an add-secret request";
    case ASR_E_MAGIC:
        return "does not contain an add-secret request (bad magic)";
    case ASR_E_UDTYPE:
        return "unsupported user-data type";
    case ASR_E_VERSION:
        return "does not contain an add-secret request version 1";
    case ASR_E_RQL:
        return "request length field does not match the file size";
    case ASR_E_SEA:
        return "encrypted-area size field is invalid";
    case ASR_E_NKS:
        return "request has no keyslot";
    case ASR_E_LAYOUT:
        return "keyslots and secret header do not fit the request";
    case ASR_E_TYPE:
        return "unknown secret type";
    case ASR_E_SECLEN:
        return "secret length is invalid for its type";
    case ASR_E_RESERVED:
        return "a reserved field is not zero";
    case ASR_E_USERDATA:
        return "user-data area does not match its type";
    }
    return "unknown error";
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

static size_t sechdr_len_for(uint16_t type)
{
    return type == ASR_T_NULL ? ASR_SECHDR_META_LEN : ASR_SECHDR_LEN;
}

static enum asr_err check_user_data(uint16_t ud_type, const uint8_t *ud)
{
    uint16_t sig_len;

    switch (ud_type) {
    case ASR_UD_NONE:
        return all_zero(ud, ASR_USER_LEN) ? ASR_OK : ASR_E_USERDATA;
    case ASR_UD_ECDSA_P521:
        sig_len = be16_load(ud + ASR_UD_ECDSA_LEN_OFF);
        if (sig_len > ASR_UD_ECDSA_SIG_MAX)
            return ASR_E_USERDATA;
        if (!all_zero(ud + ASR_UD_ECDSA_SIG_OFF + sig_len,
                      ASR_UD_ECDSA_LEN_OFF - ASR_UD_ECDSA_SIG_OFF - sig_len))
            return ASR_E_USERDATA;
        if (!all_zero(ud + ASR_UD_ECDSA_LEN_OFF + 2, ASR_USER_LEN - ASR_UD_ECDSA_LEN_OFF - 2))
            return ASR_E_USERDATA;
        return ASR_OK;
    default:
        return ASR_OK;
    }
}

enum asr_err asr_parse(const uint8_t *buf, size_t len, struct asr_view *v)
{
    struct asr_view r;
    size_t s, h;
    enum asr_err e;

    memset(v, 0, sizeof(*v));
    memset(&r, 0, sizeof(r));
    if (len < ASR_HDR_LEN)
        return ASR_E_SHORT;
    if (len > ASR_MAX_LEN)
        return ASR_E_TOO_LARGE;
    if (memcmp(buf, ASR_MAGIC, ASR_MAGIC_LEN) != 0)
        return ASR_E_MAGIC;
    r.ud_type = be16_load(buf + ASR_OFF_UDTYPE);
    if (r.ud_type > ASR_UD_RSA3072)
        return ASR_E_UDTYPE;
    if (be32_load(buf + ASR_OFF_RQVN) != ASR_VERSION)
        return ASR_E_VERSION;
    r.rql = be32_load(buf + ASR_OFF_RQL);
    if (r.rql != len)
        return ASR_E_RQL;
    r.sea = be32_load(buf + ASR_OFF_SEA);
    if (r.sea < ASR_EXT_LEN || r.sea > r.rql - ASR_TAG_LEN)
        return ASR_E_SEA;
    r.aad_len = (size_t)r.rql - r.sea - ASR_TAG_LEN;
    if (r.aad_len < ASR_HDR_LEN)
        return ASR_E_SEA;
    r.nks = buf[ASR_OFF_NKS];
    if (r.nks == 0)
        return ASR_E_NKS;
    s = asr_keyslot_off(r.nks);
    if (s + ASR_SECHDR_META_LEN > r.aad_len)
        return ASR_E_LAYOUT;
    r.secret_type = be16_load(buf + s + 2);
    if (!asr_type_lookup(r.secret_type))
        return ASR_E_TYPE;
    h = sechdr_len_for(r.secret_type);
    if (s + h != r.aad_len)
        return ASR_E_LAYOUT;
    r.secret_len = be32_load(buf + s + 4);
    if (r.secret_len != r.sea - ASR_EXT_LEN || !asr_secret_len_valid(r.secret_type, r.secret_len))
        return ASR_E_SECLEN;
    /* Reserved fields (ASR §12 item 10). */
    if (!all_zero(buf + 0x1C, 0x27 - 0x1C) || !all_zero(buf + 0x28, 4) ||
        !all_zero(buf + ASR_OFF_RESERVED, ASR_RESERVED_LEN) || !all_zero(buf + s, 2) ||
        !all_zero(buf + s + 8, 8))
        return ASR_E_RESERVED;
    if (r.secret_type == ASR_T_UPDATE_CCK && !all_zero(buf + s + 16, ASR_ID_LEN))
        return ASR_E_RESERVED;
    e = check_user_data(r.ud_type, buf + ASR_OFF_USER);
    if (e != ASR_OK)
        return e;

    r.buf = buf;
    r.len = len;
    r.flags = be64_load(buf + ASR_OFF_FLAGS);
    r.sechdr_off = s;
    r.sechdr_len = h;
    r.iv = buf + ASR_OFF_IV;
    r.tags = buf + ASR_OFF_TAGS;
    r.cuid = buf + ASR_OFF_CUID;
    r.user_data = buf + ASR_OFF_USER;
    r.cust_key = buf + ASR_OFF_CUSTKEY;
    r.keyslots = buf + ASR_OFF_KEYSLOTS;
    r.id = asr_type_lookup(r.secret_type)->listable ? buf + s + 16 : NULL;
    r.encrypted = buf + r.aad_len;
    r.tag = buf + len - ASR_TAG_LEN;
    *v = r;
    return ASR_OK;
}

int asr_cuid_is_zero(const struct asr_view *v)
{
    return all_zero(v->cuid, ASR_CUID_LEN);
}

size_t asr_aad_len(unsigned nks, uint16_t secret_type)
{
    if (nks < 1 || nks > ASR_MAX_NKS || !asr_type_lookup(secret_type))
        return 0;
    return asr_keyslot_off(nks) + sechdr_len_for(secret_type);
}

size_t asr_request_len(unsigned nks, uint16_t secret_type, uint32_t secret_len)
{
    size_t aad = asr_aad_len(nks, secret_type);
    if (aad == 0 || !asr_secret_len_valid(secret_type, secret_len))
        return 0;
    return aad + secret_len + ASR_EXT_LEN + ASR_TAG_LEN;
}

enum asr_err asr_write_aad(uint8_t *out, size_t out_len, const struct asr_fields *f)
{
    size_t rql, aad, s;

    if (f->nks == 0)
        return ASR_E_NKS;
    if (!asr_type_lookup(f->secret_type))
        return ASR_E_TYPE;
    if (f->ud_type > ASR_UD_RSA3072)
        return ASR_E_UDTYPE;
    rql = asr_request_len(f->nks, f->secret_type, f->secret_len);
    if (rql == 0)
        return ASR_E_SECLEN;
    if (out_len < rql)
        return ASR_E_SHORT;
    aad = asr_aad_len(f->nks, f->secret_type);
    s = asr_keyslot_off(f->nks);

    memset(out, 0, aad);
    memcpy(out, ASR_MAGIC, ASR_MAGIC_LEN);
    be16_store(out + ASR_OFF_UDTYPE, f->ud_type);
    be32_store(out + ASR_OFF_RQVN, ASR_VERSION);
    be32_store(out + ASR_OFF_RQL, (uint32_t)rql);
    memcpy(out + ASR_OFF_IV, f->iv, ASR_IV_LEN);
    out[ASR_OFF_NKS] = f->nks;
    be32_store(out + ASR_OFF_SEA, f->secret_len + ASR_EXT_LEN);
    be64_store(out + ASR_OFF_FLAGS, f->flags);
    memcpy(out + ASR_OFF_TAGS, f->tags, ASR_TAGS_LEN);
    if (f->cuid)
        memcpy(out + ASR_OFF_CUID, f->cuid, ASR_CUID_LEN);
    if (f->user_data)
        memcpy(out + ASR_OFF_USER, f->user_data, ASR_USER_LEN);
    be16_store(out + s + 2, f->secret_type);
    be32_store(out + s + 4, f->secret_len);
    if (asr_type_lookup(f->secret_type)->listable)
        memcpy(out + s + 16, f->id, ASR_ID_LEN);
    return ASR_OK;
}

size_t asr_plain_encoded_len(size_t n)
{
    if (n > ASR_PLAIN_MAX_DATA)
        return 0;
    return (n + 2 + 15) / 16 * 16;
}

size_t asr_plain_encode(const uint8_t *data, size_t n, uint8_t *out, size_t out_cap)
{
    size_t enc = asr_plain_encoded_len(n);
    if (enc == 0 || out_cap < enc)
        return 0;
    memset(out, 0, enc);
    be16_store(out, (uint16_t)n);
    if (n)
        memcpy(out + 2, data, n);
    return enc;
}

int asr_plain_decode(const uint8_t *buf, size_t len, size_t *data_len)
{
    size_t n;
    if (len < 2)
        return 0;
    n = be16_load(buf);
    if (n > ASR_PLAIN_MAX_DATA || n + 2 > len || len - (n + 2) >= 16)
        return 0;
    if (!all_zero(buf + 2 + n, len - 2 - n))
        return 0;
    *data_len = n;
    return 1;
}

void asr_id_from_name(const char *name, size_t n, uint8_t id[ASR_ID_LEN])
{
    memset(id, 0, ASR_ID_LEN);
    memcpy(id, name, n < ASR_ID_NAME_MAX ? n : ASR_ID_NAME_MAX);
}
