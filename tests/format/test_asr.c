/* Format layer against the reference vectors: parse every request in
 * shared/vectors/asrcb, rebuild its authenticated part field by field, and refuse
 * malformed variants with the right error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "be.h"
#include "hex.h"
#include "sehdr.h"
#include "tap.h"

#define VEC "vectors/"

static uint8_t req[4096], copy[4096];

struct vec {
    const char *name;
    uint16_t type;
    uint64_t flags;
    int cuid;
};

static void check_vector(const struct vec *t)
{
    char path[256], what[256];
    struct asr_view v;
    struct asr_fields f;
    uint8_t tags[208], cuid[16];
    size_t n;

    snprintf(path, sizeof(path), VEC "asrcb/%s", t->name);
    n = tap_slurp_shared(path, req, sizeof(req));
    snprintf(what, sizeof(what), "%s parses", t->name);
    if (!OK(asr_parse(req, n, &v) == ASR_OK, what))
        return;
    snprintf(what, sizeof(what), "%s type/flags/nks", t->name);
    OK(v.secret_type == t->type && v.flags == t->flags && v.nks == 1 &&
           v.len == asr_request_len(1, t->type, v.secret_len), what);
    memset(tags, 1, 64);
    memset(tags + 64, 2, 64);
    memset(tags + 128, 3, 64);
    memset(tags + 192, 4, 16);
    memset(cuid, 0x42, 16);
    snprintf(what, sizeof(what), "%s boot tags", t->name);
    EQ_MEM(v.tags, tags, 208, what);

    /* Rebuild the authenticated part and compare everything except the customer key
     * and keyslot, which the crypto layer fills. */
    memset(&f, 0, sizeof(f));
    f.nks = 1;
    f.flags = t->flags;
    f.tags = tags;
    f.cuid = t->cuid ? cuid : NULL;
    f.iv = v.iv;
    f.secret_type = t->type;
    f.secret_len = v.secret_len;
    f.id = v.id;
    memset(copy, 0xEE, sizeof(copy));
    OK(asr_write_aad(copy, sizeof(copy), &f) == ASR_OK, "asr_write_aad succeeds");
    memcpy(copy + ASR_OFF_CUSTKEY, req + ASR_OFF_CUSTKEY, ASR_CUSTKEY_LEN + ASR_KEYSLOT_LEN);
    snprintf(what, sizeof(what), "%s AAD rebuilt byte for byte", t->name);
    EQ_MEM(copy, req, v.aad_len, what);
}

static enum asr_err parse_mutated(size_t n, size_t off, uint8_t val)
{
    struct asr_view v;
    memcpy(copy, req, n);
    copy[off] = val;
    return asr_parse(copy, n, &v);
}

int main(void)
{
    static const struct vec vecs[] = {
        { "assoc_none_default_cuid_one", ASR_T_ASSOC, 0, 1 },
        { "assoc_simple_default_cuid_one", ASR_T_ASSOC, 0, 1 },
        { "null_derived_default_cuid_one", ASR_T_NULL, 0, 1 },
        { "null_none_default_cuid_one", ASR_T_NULL, 0, 1 },
        { "null_none_default_ncuid_one", ASR_T_NULL, 0, 0 },
        { "null_none_dump_cuid_one", ASR_T_NULL, ASR_FLAG_DISABLE_DUMP, 1 },
        { "null_simple_default_cuid_one", ASR_T_NULL, 0, 1 },
    };
    struct asr_view v;
    size_t n;
    uint8_t id[32], enc[32];
    char name[ASR_TYPE_NAME_MAX];
    size_t dl;

    for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++)
        check_vector(&vecs[i]);

    n = tap_slurp_shared(VEC "asrcb/assoc_none_default_cuid_one", req, sizeof(req));
    OK(n == 1416, "association vector is 1416 bytes");
    OK(asr_parse(req, n, &v) == ASR_OK && v.id && v.sechdr_off == 0x508 && v.aad_len == 0x538,
       "association offsets");
    hex_decode_exact("70dc758d711fef605b1b1b1774a2a4ab701020ea4b2cb399ebbdd5a3971c76a9", id, 32, 0);
    EQ_MEM(v.id, id, 32, "association ID is SHA-256(add_secret_request)");

    /* Malformed inputs, one error class each. */
    OK(asr_parse(req, 47, &v) == ASR_E_SHORT, "47 bytes: too short");
    OK(asr_parse(req, n - 1, &v) == ASR_E_RQL, "truncated: rql mismatch");
    OK(parse_mutated(n, 0, 'b') == ASR_E_MAGIC, "wrong magic");
    OK(parse_mutated(n, 7, 5) == ASR_E_UDTYPE, "user-data type 5");
    OK(parse_mutated(n, 10, 2) == ASR_E_VERSION, "version 0x200");
    OK(parse_mutated(n, ASR_OFF_SEA + 3, 0x10) == ASR_E_SEA, "sea below 32");
    OK(parse_mutated(n, ASR_OFF_SEA, 0xFF) == ASR_E_SEA, "sea huge");
    OK(parse_mutated(n, ASR_OFF_NKS, 0) == ASR_E_NKS, "nks 0");
    OK(parse_mutated(n, ASR_OFF_NKS, 255) == ASR_E_LAYOUT, "nks 255 in a 1-slot request");
    OK(parse_mutated(n, 0x50B, 0x0B) == ASR_E_TYPE, "reserved secret type 0x0b");
    OK(parse_mutated(n, 0x50B, 0x01) == ASR_E_LAYOUT, "meta type with a 48-byte header");
    OK(parse_mutated(n, 0x50F, 0x21) == ASR_E_SECLEN, "secret_len 33");
    OK(parse_mutated(n, 0x1C, 1) == ASR_E_RESERVED, "reserved header byte");
    OK(parse_mutated(n, 0x200, 1) == ASR_E_RESERVED, "reserved area byte");
    OK(parse_mutated(n, 0x300, 1) == ASR_E_USERDATA, "user data without user-data type");
    memcpy(copy, req, n);
    be32_store(copy + ASR_OFF_RQL, 0xFFFFFFF0u);
    OK(asr_parse(copy, n, &v) == ASR_E_RQL, "lying rql");
    OK(asr_parse(req, ASR_MAX_LEN + 1, &v) == ASR_E_TOO_LARGE, "over 1 MiB");

    /* Sizes (ASR §5.2). */
    EQ_INT(asr_request_len(1, ASR_T_NULL, 0), 1352, "meta, 1 slot");
    EQ_INT(asr_request_len(7, ASR_T_NULL, 0), 1832, "meta, 7 slots");
    EQ_INT(asr_request_len(255, ASR_T_PLAIN, 8192), ASR_LARGEST_VALID, "largest request");
    EQ_INT(asr_request_len(0, ASR_T_ASSOC, 32), 0, "no keyslot");
    EQ_INT(asr_request_len(1, ASR_T_PLAIN, 24), 0, "plaintext length not a multiple of 16");

    /* Plaintext encoding (ASR §9.2). */
    memset(id, 7, 10);
    EQ_INT(asr_plain_encode(id, 10, enc, sizeof(enc)), 16, "10 bytes encode to 16");
    OK(enc[0] == 0 && enc[1] == 10 && enc[11] == 7 && enc[12] == 0 && enc[15] == 0,
       "plain framing: length, data, zero padding");
    OK(asr_plain_decode(enc, 16, &dl) && dl == 10, "plain decode strips framing");
    enc[15] = 1;
    OK(!asr_plain_decode(enc, 16, &dl), "non-zero padding is returned as is");
    EQ_INT(asr_plain_encoded_len(14), 16, "14 bytes: no padding");
    EQ_INT(asr_plain_encoded_len(8190), 8192, "8190 bytes: 8192");
    EQ_INT(asr_plain_encoded_len(8191), 0, "8191 bytes: too long");

    OK(strcmp(asr_type_name(2, name), "Association") == 0, "name Association");
    OK(strcmp(asr_type_name(0x16, name), "Invalid(0x0016)") == 0, "name update-CCK");
    OK(strcmp(asr_type_name(0xff, name), "Unknown(0x00ff)") == 0, "name unknown");
    asr_id_from_name("Nice Test 123", 13, id);
    OK(memcmp(id, "Nice Test 123", 13) == 0 && id[13] == 0 && id[31] == 0, "--use-name ID");
    return tap_done();
}
