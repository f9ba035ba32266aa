#include "sig.h"

#include <stdio.h>
#include <string.h>

#include <bearssl.h>

#include "be.h"

/* ---- loading ------------------------------------------------------------------ */

static uint8_t der_buf[SIG_FILE_MAX];
static size_t der_len;
static int der_over;

static void wipe_mem(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n--)
        *v++ = 0;
}

static void der_append(void *ctx, const void *src, size_t len)
{
    (void)ctx;
    if (der_over || len > sizeof(der_buf) - der_len) {
        der_over = 1;
        return;
    }
    memcpy(der_buf + der_len, src, len);
    der_len += len;
}

static int copy_rsa(struct sig_key *k, const uint8_t *n, size_t nlen, const uint8_t *e,
                    size_t elen)
{
    while (nlen > 0 && n[0] == 0) {
        n++;
        nlen--;
    }
    while (elen > 0 && e[0] == 0) {
        e++;
        elen--;
    }
    if (nlen == 0 || nlen > sizeof(k->n) || elen == 0 || elen > sizeof(k->e))
        return -1;
    memset(k, 0, sizeof(*k));
    k->kind = SIG_RSA;
    memcpy(k->n, n, nlen);
    k->nlen = nlen;
    memcpy(k->e, e, elen);
    k->elen = elen;
    return 0;
}

static int copy_ec(struct sig_key *k, int curve, const uint8_t *q, size_t qlen)
{
    if (qlen == 0 || qlen > sizeof(k->q))
        return -1;
    memset(k, 0, sizeof(*k));
    k->kind = SIG_EC;
    k->curve = curve;
    memcpy(k->q, q, qlen);
    k->qlen = qlen;
    return 0;
}

static int from_cert(const uint8_t *der, size_t len, struct sig_key *k)
{
    br_x509_decoder_context dc;
    const br_x509_pkey *pk;

    br_x509_decoder_init(&dc, NULL, NULL);
    br_x509_decoder_push(&dc, der, len);
    if (br_x509_decoder_last_error(&dc) != 0)
        return -1;
    pk = br_x509_decoder_get_pkey(&dc);
    if (pk == NULL)
        return -1;
    if (pk->key_type == BR_KEYTYPE_RSA)
        return copy_rsa(k, pk->key.rsa.n, pk->key.rsa.nlen, pk->key.rsa.e, pk->key.rsa.elen);
    if (pk->key_type == BR_KEYTYPE_EC)
        return copy_ec(k, pk->key.ec.curve, pk->key.ec.q, pk->key.ec.qlen);
    return -1;
}

/* BearSSL recomputes e only when p and q are 3 mod 4 (not true for most OpenSSL keys):
 * try the usual exponents and keep the one for which private(public(x)) == x. */
static uint32_t guess_pubexp(const br_rsa_private_key *sk, const uint8_t *n, size_t nlen)
{
    static const uint32_t cand[] = { 65537, 3, 17, 5 };
    uint8_t x[SIG_RSA_MAX], y[SIG_RSA_MAX], e[4];
    br_rsa_public_key pk;

    for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
        memset(x, 0, nlen);
        for (size_t j = 1; j < nlen; j++)
            x[j] = (uint8_t)(j * 7 + 1);
        memcpy(y, x, nlen);
        be32_store(e, cand[i]);
        pk.n = (unsigned char *)(uintptr_t)n;
        pk.nlen = nlen;
        pk.e = e;
        pk.elen = 4;
        if (br_rsa_i31_public(y, nlen, &pk) && br_rsa_i31_private(y, sk) &&
            memcmp(x, y, nlen) == 0)
            return cand[i];
    }
    return 0;
}

static int from_skey(const uint8_t *der, size_t len, struct sig_key *k)
{
    static br_skey_decoder_context dc;
    int r = -1;

    br_skey_decoder_init(&dc);
    br_skey_decoder_push(&dc, der, len);
    if (br_skey_decoder_last_error(&dc) != 0)
        goto out;
    if (br_skey_decoder_key_type(&dc) == BR_KEYTYPE_RSA) {
        const br_rsa_private_key *sk = br_skey_decoder_get_rsa(&dc);
        uint8_t n[SIG_RSA_MAX], e[4];
        size_t nlen = br_rsa_i31_compute_modulus(NULL, sk);
        uint32_t ev;
        if (nlen == 0 || nlen > sizeof(n))
            goto out;
        br_rsa_i31_compute_modulus(n, sk);
        ev = br_rsa_i31_compute_pubexp(sk);
        if (ev == 0)
            ev = guess_pubexp(sk, n, nlen);
        if (ev == 0)
            goto out;
        be32_store(e, ev);
        r = copy_rsa(k, n, nlen, e, 4);
    } else if (br_skey_decoder_key_type(&dc) == BR_KEYTYPE_EC) {
        const br_ec_private_key *sk = br_skey_decoder_get_ec(&dc);
        uint8_t q[BR_EC_KBUF_PUB_MAX_SIZE];
        size_t qlen = br_ec_compute_pub(br_ec_get_default(), NULL, q, sk);
        if (qlen > 0)
            r = copy_ec(k, sk->curve, q, qlen);
    }
out:
    memset(&dc, 0, sizeof(dc));
    return r;
}

static int from_der(const uint8_t *der, size_t len, struct sig_key *k)
{
    if (from_cert(der, len, k) == 0)
        return 0;
    return from_skey(der, len, k);
}

/* sig_load_certs: certificates only, a private key is an error. */
static int certs_only;

static int load_keys(const uint8_t *data, size_t len, struct sig_key *keys, size_t cap, size_t *n,
                  const char **why)
{
    static br_pem_decoder_context pc;
    size_t pos = 0;
    int added = 0, in_obj = 0, wanted = 0;
    static const char begin[] = "-----BEGIN ";
    size_t i;

    /* PEM if a BEGIN line appears anywhere near the start, else DER. */
    for (i = 0; i + sizeof(begin) - 1 <= len && i < 4096; i++)
        if (memcmp(data + i, begin, sizeof(begin) - 1) == 0)
            break;
    if (i + sizeof(begin) - 1 > len || i >= 4096) {
        if (*n >= cap) {
            *why = "too many signer keys";
            return -1;
        }
        if ((certs_only ? from_cert(data, len, &keys[*n]) : from_der(data, len, &keys[*n])) != 0) {
            *why = certs_only ? "not a certificate (DER)" : "not a certificate or private key (DER)";
            return -1;
        }
        (*n)++;
        return 1;
    }
    br_pem_decoder_init(&pc);
    while (pos < len) {
        size_t used = br_pem_decoder_push(&pc, data + pos, len - pos);
        int ev;
        pos += used;
        ev = br_pem_decoder_event(&pc);
        if (ev == BR_PEM_BEGIN_OBJ) {
            const char *name = br_pem_decoder_name(&pc);
            in_obj = 1;
            der_len = 0;
            der_over = 0;
            wanted = strcmp(name, "CERTIFICATE") == 0 || strcmp(name, "X509 CERTIFICATE") == 0 ||
                     strcmp(name, "PRIVATE KEY") == 0 || strcmp(name, "RSA PRIVATE KEY") == 0 ||
                     strcmp(name, "EC PRIVATE KEY") == 0;
            if (certs_only && strstr(name, "PRIVATE KEY") != NULL) {
                *why = "a private key: only certificates belong here (the image may be unencrypted)";
                return -1;
            }
            if (!wanted && strcmp(name, "PUBLIC KEY") == 0) {
                *why = "bare PUBLIC KEY objects are not supported, use a certificate";
                return -1;
            }
            br_pem_decoder_setdest(&pc, wanted ? der_append : NULL, NULL);
        } else if (ev == BR_PEM_END_OBJ) {
            if (in_obj && wanted) {
                if (der_over) {
                    *why = "PEM object too large";
                    return -1;
                }
                if (*n >= cap) {
                    *why = "too many signer keys";
                    return -1;
                }
                if (from_der(der_buf, der_len, &keys[*n]) != 0) {
                    *why = "cannot decode a PEM object as certificate or private key";
                    return -1;
                }
                (*n)++;
                added++;
            }
            in_obj = 0;
        } else if (ev == BR_PEM_ERROR) {
            *why = "malformed PEM";
            return -1;
        } else if (used == 0) {
            break;
        }
    }
    memset(der_buf, 0, sizeof(der_buf));
    if (in_obj) {
        *why = "truncated PEM object";
        return -1;
    }
    if (added == 0) {
        *why = "no certificate or key in the PEM file";
        return -1;
    }
    return added;
}

/* Private keys pass through der_buf: wipe it whatever the outcome. */
int sig_load_keys(const uint8_t *data, size_t len, struct sig_key *keys, size_t cap, size_t *n,
                  const char **why)
{
    int r = load_keys(data, len, keys, cap, n, why);
    wipe_mem(der_buf, sizeof(der_buf));
    der_len = 0;
    return r;
}

int sig_load_certs(const uint8_t *data, size_t len, struct sig_key *keys, size_t cap, size_t *n,
                   const char **why)
{
    int r;
    certs_only = 1;
    r = sig_load_keys(data, len, keys, cap, n, why);
    certs_only = 0;
    return r;
}

int sig_key_ud_type(const struct sig_key *k)
{
    if (k->kind == SIG_EC)
        return k->curve == BR_EC_secp521r1 ? ASR_UD_ECDSA_P521 : -1;
    if (k->kind == SIG_RSA) {
        if (k->nlen == 256)
            return ASR_UD_RSA2048;
        if (k->nlen == 384)
            return ASR_UD_RSA3072;
    }
    return -1;
}

void sig_key_name(const struct sig_key *k, char out[32])
{
    if (k->kind == SIG_EC) {
        snprintf(out, 32, "EC");
    } else if (k->kind == SIG_RSA) {
        unsigned bits = (unsigned)k->nlen * 8;
        for (uint8_t top = k->n[0]; top < 0x80; top = (uint8_t)(top << 1))
            bits--;
        snprintf(out, 32, "RSA %u", bits);
    } else {
        snprintf(out, 32, "Unknown");
    }
}

/* ---- verifying ---------------------------------------------------------------- */

void sig_request_hash(const struct asr_view *v, uint8_t out[64])
{
    br_sha512_context h;
    static const uint8_t zero[ASR_USER_LEN];
    size_t cap = asr_ud_capacity(v->ud_type);
    size_t end = v->len - ASR_TAG_LEN;

    br_sha512_init(&h);
    br_sha512_update(&h, v->buf, ASR_OFF_USER + cap);
    br_sha512_update(&h, zero, ASR_USER_LEN - cap);
    br_sha512_update(&h, v->buf + ASR_OFF_CUSTKEY, end - ASR_OFF_CUSTKEY);
    br_sha512_out(&h, out);
}

static void mgf1_sha512_xor(const uint8_t *seed, size_t seed_len, uint8_t *out, size_t n)
{
    uint32_t counter = 0;
    size_t done = 0;
    while (done < n) {
        br_sha512_context h;
        uint8_t c[4], md[64];
        size_t take = n - done < 64 ? n - done : 64;
        be32_store(c, counter++);
        br_sha512_init(&h);
        br_sha512_update(&h, seed, seed_len);
        br_sha512_update(&h, c, 4);
        br_sha512_out(&h, md);
        for (size_t i = 0; i < take; i++)
            out[done + i] ^= md[i];
        done += take;
    }
}

int sig_emsa_pss_sha512_check(const uint8_t *em, size_t em_len, size_t em_bits,
                              const uint8_t mhash[64])
{
    uint8_t db[SIG_RSA_MAX], hp[64];
    br_sha512_context h;
    static const uint8_t zero8[8];
    size_t db_len, i;
    unsigned diff = 0;
    uint8_t top;

    /* 3. emLen >= hLen + sLen + 2 for some sLen >= 0. */
    if (em_len != (em_bits + 7) / 8 || em_len > sizeof(db) || em_len < 64 + 2)
        return 0;
    /* 4. the rightmost octet is 0xbc. */
    if (em[em_len - 1] != 0xbc)
        return 0;
    /* 5.-6. maskedDB = em[0 .. db_len), H = em[db_len .. db_len + 64); the leftmost
     * 8*emLen - emBits bits of maskedDB are zero. */
    db_len = em_len - 64 - 1;
    top = (uint8_t)(0xff >> (8 * em_len - em_bits));
    if (em[0] & (uint8_t)~top)
        return 0;
    /* 7.-9. DB = maskedDB xor MGF1(H, db_len), leftmost bits cleared. */
    memcpy(db, em, db_len);
    mgf1_sha512_xor(em + db_len, 64, db, db_len);
    db[0] &= top;
    /* 10. PS (zeros) then 0x01; the salt length is what follows. */
    for (i = 0; i < db_len && db[i] == 0; i++)
        ;
    if (i == db_len || db[i] != 0x01)
        return 0;
    i++;
    /* 11.-14. H' = SHA-512(0^8 || mHash || salt) == H, compared in constant time. */
    br_sha512_init(&h);
    br_sha512_update(&h, zero8, 8);
    br_sha512_update(&h, mhash, 64);
    br_sha512_update(&h, db + i, db_len - i);
    br_sha512_out(&h, hp);
    for (size_t j = 0; j < 64; j++)
        diff |= hp[j] ^ em[db_len + j];
    return diff == 0;
}

int sig_rsa_pss_sha512_verify(const struct sig_key *key, const uint8_t *sig, size_t sig_len,
                              const uint8_t hash[64])
{
    uint8_t x[SIG_RSA_MAX];
    br_rsa_public_key pk;
    size_t mod_bits, em_len;
    uint8_t top;

    if (key->kind != SIG_RSA || sig_len != key->nlen || key->nlen < 2 || key->n[0] == 0)
        return 0;
    /* RSAVP1: m = s^e mod n; BearSSL refuses s >= n. */
    memcpy(x, sig, sig_len);
    pk.n = (unsigned char *)(uintptr_t)key->n;
    pk.nlen = key->nlen;
    pk.e = (unsigned char *)(uintptr_t)key->e;
    pk.elen = key->elen;
    if (!br_rsa_i31_public(x, sig_len, &pk))
        return 0;
    /* EM = I2OSP(m, emLen) with emBits = modBits - 1: when emLen < k the extra leading
     * octet of m must be zero. */
    mod_bits = key->nlen * 8;
    for (top = key->n[0]; top < 0x80; top = (uint8_t)(top << 1))
        mod_bits--;
    em_len = (mod_bits - 1 + 7) / 8;
    if (em_len < key->nlen && x[0] != 0)
        return 0;
    return sig_emsa_pss_sha512_check(x + (key->nlen - em_len), em_len, mod_bits - 1, hash);
}

int sig_verify_request(const struct asr_view *v, const struct sig_key *key, const char **why)
{
    uint8_t hash[64];
    const uint8_t *ud = v->user_data;

    if (v->ud_type != ASR_UD_ECDSA_P521 && v->ud_type != ASR_UD_RSA2048 &&
        v->ud_type != ASR_UD_RSA3072) {
        *why = v->ud_type == ASR_UD_NONE ? "request has no signed user data"
                                         : "request has unsigned user data";
        return -1;
    }
    if (sig_key_ud_type(key) != (int)v->ud_type) {
        *why = "signer key type does not match the user-data type";
        return -1;
    }
    sig_request_hash(v, hash);
    if (v->ud_type == ASR_UD_ECDSA_P521) {
        br_ec_public_key pk;
        size_t slen = be16_load(ud + ASR_UD_ECDSA_LEN_OFF);
        pk.curve = key->curve;
        pk.q = (unsigned char *)(uintptr_t)key->q;
        pk.qlen = key->qlen;
        if (slen == 0 || slen > ASR_UD_ECDSA_SIG_MAX ||
            !br_ecdsa_i31_vrfy_asn1(br_ec_get_default(), hash, 64, &pk, ud + ASR_UD_ECDSA_SIG_OFF,
                                    slen)) {
            *why = "signature does not verify";
            return -1;
        }
        return 0;
    }
    {
        size_t cap = asr_ud_capacity(v->ud_type);
        size_t slen = asr_ud_rsa_sig_len(v->ud_type);
        if (!sig_rsa_pss_sha512_verify(key, ud + cap, slen, hash)) {
            *why = "signature does not verify";
            return -1;
        }
    }
    return 0;
}
