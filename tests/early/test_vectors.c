/* User-data signatures on committed vectors (tests/early/data, made by make-data.sh):
 * ECDSA P-521 and RSA-PSS 2048/3072 with the builder's salt, openssl's maximum salt and
 * salt 0; keys from PEM/DER certificates and private keys; tampering; type mismatches;
 * malformed key files.  No mbedTLS: also built for s390x and run under qemu. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <bearssl.h>

#include "asr.h"
#include "sig.h"
#include "tap.h"
#include "util.h"

#define DATA "tests/early/data/"

static uint8_t req[ASR_LARGEST_VALID], file[SIG_FILE_MAX];
static struct sig_key keys[SIG_MAX_KEYS];

static int load_req(const char *name, struct asr_view *v)
{
    size_t n;
    const char *why;
    if (read_file_safe(AT_FDCWD, name, req, sizeof(req), &n, &why) != 0) {
        printf("# %s: %s\n", name, why);
        return -1;
    }
    return asr_parse(req, n, v) == ASR_OK ? 0 : -1;
}

static int load_key(const char *name, struct sig_key *k)
{
    size_t n, cnt = 0;
    const char *why;
    if (read_file_safe(AT_FDCWD, name, file, sizeof(file), &n, &why) != 0)
        return -1;
    if (sig_load_keys(file, n, k, 1, &cnt, &why) != 1 || cnt != 1) {
        printf("# %s: %s\n", name, why);
        return -1;
    }
    return 0;
}

struct vec {
    const char *req, *key;
    uint16_t ud;
};

static const struct vec good[] = {
    { DATA "ec521.asr", DATA "ec521.crt", ASR_UD_ECDSA_P521 },
    { DATA "ec521.asr", DATA "ec521.key", ASR_UD_ECDSA_P521 },
    { DATA "rsa2048.asr", DATA "rsa2048.crt", ASR_UD_RSA2048 },
    { DATA "rsa2048.asr", DATA "rsa2048.der", ASR_UD_RSA2048 },
    { DATA "rsa2048.asr", DATA "rsa2048.key", ASR_UD_RSA2048 },
    { DATA "rsa2048-maxsalt.asr", DATA "rsa2048.crt", ASR_UD_RSA2048 },
    { DATA "rsa2048-salt0.asr", DATA "rsa2048.crt", ASR_UD_RSA2048 },
    { DATA "rsa3072.asr", DATA "rsa3072.crt", ASR_UD_RSA3072 },
    { DATA "rsa3072.asr", DATA "rsa3072.key", ASR_UD_RSA3072 },
    { DATA "rsa3072-maxsalt.asr", DATA "rsa3072.crt", ASR_UD_RSA3072 },
};

static void test_good(void)
{
    char what[200];
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        const struct vec *t = &good[i];
        struct asr_view v;
        struct sig_key k;
        const char *why = "";
        snprintf(what, sizeof(what), "%s parses with user-data type %u", t->req, t->ud);
        if (!OK(load_req(t->req, &v) == 0 && v.ud_type == t->ud, what))
            continue;
        snprintf(what, sizeof(what), "%s loads", t->key);
        if (!OK(load_key(t->key, &k) == 0, what))
            continue;
        snprintf(what, sizeof(what), "%s verifies with %s", t->req, t->key);
        OK(sig_verify_request(&v, &k, &why) == 0, what);
        /* Tamper: one bit in the ciphertext (signed), then in the message. */
        req[v.len - 20] ^= 1;
        snprintf(what, sizeof(what), "%s: flipped ciphertext bit fails", t->req);
        OK(sig_verify_request(&v, &k, &why) != 0, what);
        req[v.len - 20] ^= 1;
        req[ASR_OFF_USER + 3] ^= 0x80;
        snprintf(what, sizeof(what), "%s: flipped message bit fails", t->req);
        OK(sig_verify_request(&v, &k, &why) != 0, what);
        req[ASR_OFF_USER + 3] ^= 0x80;
        req[ASR_OFF_USER + asr_ud_capacity(v.ud_type) + 10] ^= 4;
        snprintf(what, sizeof(what), "%s: flipped signature bit fails", t->req);
        OK(sig_verify_request(&v, &k, &why) != 0, what);
        req[ASR_OFF_USER + asr_ud_capacity(v.ud_type) + 10] ^= 4;
        snprintf(what, sizeof(what), "%s: restored request verifies again", t->req);
        OK(sig_verify_request(&v, &k, &why) == 0, what);
    }
}

static void test_keys(void)
{
    struct sig_key a, b;
    char name[32];
    const char *why = "";
    struct asr_view v;

    OK(load_key(DATA "rsa2048.crt", &a) == 0 && load_key(DATA "rsa2048.key", &b) == 0 &&
           a.nlen == 256 && a.nlen == b.nlen && memcmp(a.n, b.n, a.nlen) == 0 &&
           a.elen == b.elen && memcmp(a.e, b.e, a.elen) == 0,
       "RSA key from private key equals the certificate's");
    OK(load_key(DATA "ec521.crt", &a) == 0 && load_key(DATA "ec521.key", &b) == 0 &&
           a.qlen == 133 && a.qlen == b.qlen && memcmp(a.q, b.q, a.qlen) == 0,
       "EC key from private key equals the certificate's");
    sig_key_name(&a, name);
    OK(strcmp(name, "EC") == 0 && sig_key_ud_type(&a) == ASR_UD_ECDSA_P521, "P-521 key: EC, type 2");
    OK(load_key(DATA "rsa3072.crt", &a) == 0, "rsa3072.crt loads");
    sig_key_name(&a, name);
    OK(strcmp(name, "RSA 3072") == 0 && sig_key_ud_type(&a) == ASR_UD_RSA3072, "RSA 3072: type 4");
    OK(load_key(DATA "ec256.crt", &a) == 0 && sig_key_ud_type(&a) == -1, "P-256 key fits no user-data type");
    /* Mismatches. */
    OK(load_req(DATA "rsa3072.asr", &v) == 0 && load_key(DATA "rsa2048.crt", &a) == 0 &&
           sig_verify_request(&v, &a, &why) != 0 && strstr(why, "type") != NULL,
       "RSA 2048 key on an RSA 3072 request: type mismatch");
    OK(load_req(DATA "ec521.asr", &v) == 0 && load_key(DATA "rsa2048.crt", &a) == 0 &&
           sig_verify_request(&v, &a, &why) != 0,
       "RSA key on an ECDSA request fails");
    OK(load_req(DATA "unsigned.asr", &v) == 0 && v.ud_type == ASR_UD_UNSIGNED &&
           load_key(DATA "ec521.crt", &a) == 0 && sig_verify_request(&v, &a, &why) != 0,
       "unsigned user data never verifies");
    OK(load_req(DATA "none.asr", &v) == 0 && v.ud_type == ASR_UD_NONE &&
           sig_verify_request(&v, &a, &why) != 0,
       "no user data never verifies");
    OK(load_req(DATA "ec521.asr", &v) == 0 && load_key(DATA "rsa2048.crt", &b) == 0 &&
           load_key(DATA "ec521.crt", &a) == 0, "reload");
    /* Another P-521 key: the signature must not verify. */
    OK(load_key(DATA "rsa3072.crt", &b) == 0 && b.kind == SIG_RSA, "kind RSA");
    {
        struct sig_key other = a;
        other.q[40] ^= 1;   /* a different (invalid) point */
        OK(sig_verify_request(&v, &other, &why) != 0, "ECDSA with a different public point fails");
    }
}

static void test_pss_direct(void)
{
    struct sig_key k;
    uint8_t sig[512], hash[64];
    memset(hash, 0x5a, 64);
    memset(sig, 0x33, sizeof(sig));
    OK(load_key(DATA "rsa2048.crt", &k) == 0, "rsa2048.crt");
    OK(!sig_rsa_pss_sha512_verify(&k, sig, 256, hash), "random signature block rejected");
    OK(!sig_rsa_pss_sha512_verify(&k, sig, 255, hash), "short signature rejected");
    memset(sig, 0xff, 256);
    OK(!sig_rsa_pss_sha512_verify(&k, sig, 256, hash), "signature >= modulus rejected");
}

/* EMSA-PSS-VERIFY step by step (RFC 8017 §9.1.2) on the encoded messages of real
 * signatures (salt 0: DB = PS || 0x01; maximum salt: DB = 0x01 || salt): one field
 * changed at a time.  A change of maskedDB changes DB by the same bits. */
static int em_of(const char *name, uint8_t em[256], uint8_t mhash[64])
{
    struct asr_view v;
    struct sig_key k;
    br_rsa_public_key pk;
    if (load_req(name, &v) != 0 || load_key(DATA "rsa2048.crt", &k) != 0 || k.nlen != 256)
        return -1;
    sig_request_hash(&v, mhash);
    memcpy(em, v.user_data + asr_ud_capacity(v.ud_type), 256);
    pk.n = k.n;
    pk.nlen = k.nlen;
    pk.e = k.e;
    pk.elen = k.elen;
    return br_rsa_i31_public(em, 256, &pk) ? 0 : -1;
}

static void test_pss_steps(void)
{
    static const struct {
        int maxsalt;
        size_t at;
        uint8_t x;
        const char *what;
    } bad[] = {
        { 0, 255, 0x01, "trailer not 0xbc" },
        { 0, 255, 0xbc, "trailer 0x00" },
        { 0, 0, 0x80, "leftmost bit (8*emLen - emBits) set" },
        { 1, 0, 0x80, "leftmost bit set (maximum salt)" },
        { 0, 190, 0x01, "separator 0x01 turned into 0x00 (DB all zero)" },
        { 0, 190, 0x03, "separator 0x01 turned into 0x02" },
        { 1, 0, 0x03, "separator 0x01 turned into 0x02 (maximum salt)" },
        { 0, 10, 0x40, "PS byte not zero" },
        { 0, 100, 0x01, "PS byte turned into 0x01 (salt changes)" },
        { 1, 150, 0x20, "salt byte changed" },
        { 0, 191, 0x01, "first byte of H changed" },
        { 0, 254, 0x80, "last byte of H changed" },
    };
    uint8_t em[2][256], mh[2][64], t[256], h[64];
    char what[120];
    int ok0 = em_of(DATA "rsa2048-salt0.asr", em[0], mh[0]) == 0;
    int ok1 = em_of(DATA "rsa2048-maxsalt.asr", em[1], mh[1]) == 0;

    OK(ok0 && ok1, "encoded messages of the salt-0 and maximum-salt vectors");
    if (!ok0 || !ok1)
        return;
    OK(sig_emsa_pss_sha512_check(em[0], 256, 2047, mh[0]) == 1, "salt 0: consistent");
    OK(sig_emsa_pss_sha512_check(em[1], 256, 2047, mh[1]) == 1, "maximum salt: consistent");
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(t, em[bad[i].maxsalt], 256);
        t[bad[i].at] ^= bad[i].x;
        snprintf(what, sizeof(what), "PSS: %s -> inconsistent", bad[i].what);
        OK(sig_emsa_pss_sha512_check(t, 256, 2047, mh[bad[i].maxsalt]) == 0, what);
    }
    memcpy(h, mh[0], 64);
    h[63] ^= 1;
    OK(sig_emsa_pss_sha512_check(em[0], 256, 2047, h) == 0, "PSS: other message hash -> inconsistent");
    OK(sig_emsa_pss_sha512_check(em[0], 256, 2040, mh[0]) == 0, "PSS: emLen != ceil(emBits/8)");
    OK(sig_emsa_pss_sha512_check(em[0] + 191, 65, 520, mh[0]) == 0, "PSS: emLen < hLen + 2");
}

static void test_bad_files(void)
{
    static const char *const bad[] = {
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nAAAA\n",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n",
        "\x30\x82\x01\x00garbage",
        "",
    };
    const char *names[] = { "truncated certificate DER", "unterminated PEM", "bare PUBLIC KEY",
                            "PEM without any key", "garbage DER", "empty file" };
    char what[100];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t cnt = 0;
        const char *why = NULL;
        int r = sig_load_keys((const uint8_t *)bad[i], strlen(bad[i]), keys, SIG_MAX_KEYS, &cnt, &why);
        snprintf(what, sizeof(what), "%s refused with a reason", names[i]);
        OK(r < 0 && cnt == 0 && why != NULL, what);
    }
    {
        size_t n, cnt = SIG_MAX_KEYS;
        const char *why = NULL;
        OK(read_file_safe(AT_FDCWD, DATA "ec521.crt", file, sizeof(file), &n, &why) == 0 &&
               sig_load_keys(file, n, keys, SIG_MAX_KEYS, &cnt, &why) < 0 && cnt == SIG_MAX_KEYS,
           "no room for more keys: refused");
    }
}

int main(void)
{
    test_good();
    test_keys();
    test_pss_direct();
    test_pss_steps();
    test_bad_files();
    return tap_done();
}
