/* X.509 helpers of the host-key verifier (hkd_x509.h). */
#include "hkd_x509.h"

#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>

#include "crypto.h"


static const unsigned char OID_AKID[] = {0x55, 0x1d, 0x23};  /* 2.5.29.35 */
static const unsigned char OID_SKID[] = {0x55, 0x1d, 0x0e};  /* 2.5.29.14 */

/* Finds extension oid in an Extensions SEQUENCE as mbedTLS keeps it (v3_ext, crl_ext). */
int hkd_find_ext(const mbedtls_x509_buf *exts, const unsigned char *oid, size_t oid_len,
                    unsigned char **val, size_t *val_len)
{
    if (exts->p == NULL || exts->len == 0)
        return -1;
    unsigned char *p = exts->p, *end = exts->p + exts->len;
    size_t len;
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0 ||
        len != (size_t)(end - p))
        return -1;
    while (p < end) {
        if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
            return -1;
        unsigned char *ext_end = p + len;
        size_t olen, vlen;
        if (mbedtls_asn1_get_tag(&p, ext_end, &olen, MBEDTLS_ASN1_OID) != 0)
            return -1;
        unsigned char *o = p;
        p += olen;
        int crit;
        if (p < ext_end && *p == MBEDTLS_ASN1_BOOLEAN && mbedtls_asn1_get_bool(&p, ext_end, &crit) != 0)
            return -1;
        if (mbedtls_asn1_get_tag(&p, ext_end, &vlen, MBEDTLS_ASN1_OCTET_STRING) != 0 || p + vlen != ext_end)
            return -1;
        if (olen == oid_len && memcmp(o, oid, oid_len) == 0) {
            *val = p;
            *val_len = vlen;
            return 0;
        }
        p = ext_end;
    }
    return -1;
}

int hkd_next_tlv(unsigned char **p, const unsigned char *end, unsigned char *tag, unsigned char **val,
                 size_t *val_len)
{
    if (*p >= end)
        return -1;
    *tag = *(*p)++;
    if (mbedtls_asn1_get_len(p, end, val_len) != 0) /* also checks that the contents fit */
        return -1;
    *val = *p;
    *p += *val_len;
    return 0;
}

/* Subject Key Identifier: 0 with the key id bytes, -1 if absent or malformed. */
int hkd_skid(const mbedtls_x509_crt *c, const unsigned char **id, size_t *id_len)
{
    unsigned char *p, *end;
    size_t len;
    if (hkd_find_ext(&c->v3_ext, OID_SKID, sizeof OID_SKID, &p, &len) != 0)
        return -1;
    end = p + len;
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_OCTET_STRING) != 0 || p + len != end)
        return -1;
    *id = p;
    *id_len = len;
    return 0;
}

struct akid {
    const unsigned char *keyid, *issuer, *serial; /* NULL when absent */
    size_t keyid_len, issuer_len, serial_len;
};

/* Parses an AuthorityKeyIdentifier value.  0 = parsed, -1 = malformed. */
static int akid_parse(unsigned char *p, size_t len, struct akid *a)
{
    unsigned char *end = p + len;
    memset(a, 0, sizeof *a);
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0 ||
        p + len != end)
        return -1;
    while (p < end) {
        unsigned char tag, *v;
        size_t l;
        if (hkd_next_tlv(&p, end, &tag, &v, &l) != 0)
            return -1;
        if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 0)) {
            a->keyid = v;
            a->keyid_len = l;
        } else if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 1)) {
            /* GeneralNames: the first directoryName [4] EXPLICIT Name */
            unsigned char *q = v, *gend = v + l;
            while (q < gend && a->issuer == NULL) {
                unsigned char t, *gv;
                size_t gl;
                if (hkd_next_tlv(&q, gend, &t, &gv, &gl) != 0)
                    return -1;
                if (t == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 4)) {
                    a->issuer = gv;
                    a->issuer_len = gl;
                }
            }
        } else if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2)) {
            a->serial = v;
            a->serial_len = l;
        }
    }
    return 0;
}

static void strip_zeros(const unsigned char **p, size_t *n)
{
    while (*n > 1 && (*p)[0] == 0) {
        (*p)++;
        (*n)--;
    }
}

int hkd_serial_eq(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    strip_zeros(&a, &an);
    strip_zeros(&b, &bn);
    return an == bn && memcmp(a, b, an) == 0;
}

/* X509_check_akid: 1 if the AKID in exts (absent = match) names the certificate c. */
int hkd_akid_matches(const mbedtls_x509_buf *exts, const mbedtls_x509_crt *c)
{
    unsigned char *p;
    size_t len;
    struct akid a;
    if (hkd_find_ext(exts, OID_AKID, sizeof OID_AKID, &p, &len) != 0)
        return 1;
    if (akid_parse(p, len, &a) != 0)
        return 0;
    if (a.keyid != NULL) {
        const unsigned char *id;
        size_t id_len;
        if (hkd_skid(c, &id, &id_len) != 0 || id_len != a.keyid_len || memcmp(id, a.keyid, id_len) != 0)
            return 0;
    }
    if (a.issuer != NULL &&
        (a.issuer_len != c->issuer_raw.len || memcmp(a.issuer, c->issuer_raw.p, a.issuer_len) != 0))
        return 0;
    if (a.serial != NULL && !hkd_serial_eq(a.serial, a.serial_len, c->serial.p, c->serial.len))
        return 0;
    return 1;
}

/* An AlgorithmIdentifier naming a hash (RSASSA-PSS parameters). */
static int md_of_algid(unsigned char **p, const unsigned char *end, mbedtls_md_type_t *md)
{
    size_t len;
    mbedtls_asn1_buf oid;
    if (mbedtls_asn1_get_tag(p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
        return -1;
    const unsigned char *aend = *p + len;
    oid.tag = MBEDTLS_ASN1_OID;
    if (mbedtls_asn1_get_tag(p, aend, &oid.len, MBEDTLS_ASN1_OID) != 0)
        return -1;
    oid.p = *p;
    *p = (unsigned char *)aend;
    return mbedtls_oid_get_md_alg(&oid, md) == 0 ? 0 : -1;
}

/* RSASSA-PSS-params (RFC 4055).  The SHA-1 defaults are refused later as too weak. */
static int pss_params(unsigned char *p, const unsigned char *end, mbedtls_md_type_t *md,
                      mbedtls_pk_rsassa_pss_options *o)
{
    size_t len;
    *md = MBEDTLS_MD_SHA1;
    o->mgf1_hash_id = MBEDTLS_MD_SHA1;
    o->expected_salt_len = 20;
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0 ||
        p + len != end)
        return -1;
    while (p < end) {
        unsigned char tag, *q;
        size_t l;
        if (hkd_next_tlv(&p, end, &tag, &q, &l) != 0)
            return -1;
        unsigned char *qend = q + l;
        if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0)) {
            if (md_of_algid(&q, qend, md) != 0)
                return -1;
        } else if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 1)) {
            size_t ml, ol;
            if (mbedtls_asn1_get_tag(&q, qend, &ml, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0 ||
                mbedtls_asn1_get_tag(&q, qend, &ol, MBEDTLS_ASN1_OID) != 0 ||
                ol != MBEDTLS_OID_SIZE(MBEDTLS_OID_MGF1) || memcmp(q, MBEDTLS_OID_MGF1, ol) != 0)
                return -1;
            q += ol;
            if (md_of_algid(&q, qend, &o->mgf1_hash_id) != 0)
                return -1;
        } else if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 2)) {
            if (mbedtls_asn1_get_int(&q, qend, &o->expected_salt_len) != 0)
                return -1;
        }
    }
    return 0;
}

/* Verifies the signature of a certificate or CRL (SEQUENCE { tbs, AlgorithmIdentifier,
 * BIT STRING }) with key, using the object's own signature algorithm.  SHA-1 and MD5
 * are refused (security level 2).  Returns 0 if the signature is good. */
int hkd_sig_check(const mbedtls_x509_buf *raw, const mbedtls_pk_context *key)
{
    unsigned char *p = raw->p, *end;
    size_t len;
    if (p == NULL || mbedtls_asn1_get_tag(&p, raw->p + raw->len, &len,
                                          MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
        return -1;
    end = p + len;
    const unsigned char *tbs = p;
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
        return -1;
    p += len;
    size_t tbs_len = (size_t)(p - tbs);
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
        return -1;
    unsigned char *alg_end = p + len;
    mbedtls_asn1_buf oid;
    oid.tag = MBEDTLS_ASN1_OID;
    if (mbedtls_asn1_get_tag(&p, alg_end, &oid.len, MBEDTLS_ASN1_OID) != 0)
        return -1;
    oid.p = p;
    p += oid.len;
    unsigned char *params = p;
    p = alg_end;
    size_t sig_len;
    if (mbedtls_asn1_get_bitstring_null(&p, end, &sig_len) != 0 || p + sig_len != end)
        return -1;
    const unsigned char *sig = p;

    mbedtls_md_type_t md;
    mbedtls_pk_type_t pkt;
    mbedtls_pk_rsassa_pss_options pss;
    const void *opts = NULL;
    if (mbedtls_oid_get_sig_alg(&oid, &md, &pkt) != 0)
        return -1;
    if (pkt == MBEDTLS_PK_RSASSA_PSS) {
        if (pss_params(params, alg_end, &md, &pss) != 0)
            return -1;
        opts = &pss;
    }
    if (md != MBEDTLS_MD_SHA224 && md != MBEDTLS_MD_SHA256 && md != MBEDTLS_MD_SHA384 &&
        md != MBEDTLS_MD_SHA512)
        return -1;
    const mbedtls_md_info_t *mi = mbedtls_md_info_from_type(md);
    unsigned char hash[64];
    if (mi == NULL || mbedtls_md(mi, tbs, tbs_len, hash) != 0)
        return -1;
    int r = mbedtls_pk_verify_ext(pkt, opts, (mbedtls_pk_context *)key, md, hash,
                                  mbedtls_md_get_size(mi), sig, sig_len);
    return r == 0 ? 0 : -1;
}

/* Approximate security bits of a public key (OpenSSL's level-2 rule: >= 112). */
int hkd_security_bits(const mbedtls_pk_context *pk)
{
    size_t bits = mbedtls_pk_get_bitlen(pk);
    switch (mbedtls_pk_get_type(pk)) {
    case MBEDTLS_PK_RSA:
    case MBEDTLS_PK_RSASSA_PSS:
        return bits >= 15360 ? 256 : bits >= 7680 ? 192 : bits >= 3072 ? 128 : bits >= 2048 ? 112
               : bits >= 1024 ? 80 : 0;
    case MBEDTLS_PK_ECKEY:
    case MBEDTLS_PK_ECKEY_DH:
    case MBEDTLS_PK_ECDSA:
        return (int)(bits / 2);
    default:
        return 0;
    }
}

/* ---------------------------------------------------------------------------------- */
/* Names (HKV §3, §5.6)                                                               */

int hkd_name_from(const mbedtls_x509_name *x, struct hkd_name *out)
{
    out->n = 0;
    for (; x != NULL; x = x->next) {
        if (x->oid.p == NULL)
            continue;
        if (out->n == NAME_MAX_ENTRIES)
            return -1;
        struct hkd_name_ent *e = &out->e[out->n++];
        e->oid = x->oid.p;
        e->oid_len = x->oid.len;
        e->val = x->val.p;
        e->val_len = x->val.len;
    }
    return 0;
}

const struct hkd_name_ent *hkd_name_first(const struct hkd_name *n, const char *oid, size_t oid_len)
{
    for (size_t i = 0; i < n->n; i++)
        if (n->e[i].oid_len == oid_len && memcmp(n->e[i].oid, oid, oid_len) == 0)
            return &n->e[i];
    return NULL;
}

int hkd_name_val_is(const struct hkd_name_ent *e, const char *s)
{
    return e != NULL && e->val_len == strlen(s) && memcmp(e->val, s, e->val_len) == 0;
}

static int val_ends_with(const struct hkd_name_ent *e, const char *s)
{
    size_t n = strlen(s);
    return e != NULL && e->val_len >= n && memcmp(e->val + e->val_len - n, s, n) == 0;
}

/* HKV §3: the subject rule of the IBM Z signing key. */
int hkd_is_signing_key(const mbedtls_x509_crt *c)
{
    struct hkd_name n;
    if (hkd_name_from(&c->subject, &n) != 0 || n.n != 6)
        return 0;
#define F(o) hkd_name_first(&n, o, MBEDTLS_OID_SIZE(o))
    const struct hkd_name_ent *l = F(MBEDTLS_OID_AT_LOCALITY);
    return hkd_name_val_is(F(MBEDTLS_OID_AT_COUNTRY), "US") && hkd_name_val_is(F(MBEDTLS_OID_AT_STATE), "New York") &&
           (hkd_name_val_is(l, "Poughkeepsie") || hkd_name_val_is(l, "Armonk")) &&
           hkd_name_val_is(F(MBEDTLS_OID_AT_ORGANIZATION), "International Business Machines Corporation") &&
           hkd_name_val_is(F(MBEDTLS_OID_AT_CN), "International Business Machines Corporation") &&
           val_ends_with(F(MBEDTLS_OID_AT_ORG_UNIT), "Key Signing Service");
#undef F
}

/* OpenSSL's canonical value: leading/trailing white space dropped, inner runs collapsed
 * to one space, ASCII lower case.  Returns the length, or (size_t)-1 if it does not fit. */
static size_t canon(const unsigned char *v, size_t n, unsigned char *out, size_t cap)
{
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = v[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            space = o > 0;
            continue;
        }
        if (space) {
            if (o == cap)
                return (size_t)-1;
            out[o++] = ' ';
            space = 0;
        }
        if (o == cap)
            return (size_t)-1;
        out[o++] = (ch >= 'A' && ch <= 'Z') ? (unsigned char)(ch + 32) : ch;
    }
    return o;
}

int hkd_name_eq(const struct hkd_name *a, const struct hkd_name *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const struct hkd_name_ent *x = &a->e[i], *y = &b->e[i];
        unsigned char cx[256], cy[256];
        if (x->oid_len != y->oid_len || memcmp(x->oid, y->oid, x->oid_len) != 0)
            return 0;
        size_t lx = canon(x->val, x->val_len, cx, sizeof cx), ly = canon(y->val, y->val_len, cy, sizeof cy);
        if (lx == (size_t)-1 || ly == (size_t)-1) {
            if (x->val_len != y->val_len || memcmp(x->val, y->val, x->val_len) != 0)
                return 0;
        } else if (lx != ly || memcmp(cx, cy, lx) != 0) {
            return 0;
        }
    }
    return 1;
}

/* The subject reordered C, O, OU, L, ST, CN (first entry of each type). */
void hkd_name_reorder(const struct hkd_name *in, struct hkd_name *out)
{
    static const struct {
        const char *oid;
        size_t len;
    } order[] = {
        {MBEDTLS_OID_AT_COUNTRY, MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_COUNTRY)},
        {MBEDTLS_OID_AT_ORGANIZATION, MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_ORGANIZATION)},
        {MBEDTLS_OID_AT_ORG_UNIT, MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_ORG_UNIT)},
        {MBEDTLS_OID_AT_LOCALITY, MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_LOCALITY)},
        {MBEDTLS_OID_AT_STATE, MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_STATE)},
        {MBEDTLS_OID_AT_CN, MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_CN)},
    };
    out->n = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const struct hkd_name_ent *e = hkd_name_first(in, order[i].oid, order[i].len);
        if (e != NULL)
            out->e[out->n++] = *e;
    }
}

/* secp521r1 SubjectPublicKeyInfo -> X80|Y80 (left-padded).  0, or -1 if it is not one. */
int hkd_p521_coords(const mbedtls_x509_crt *c, uint8_t coords[160])
{
    static const unsigned char OID_EC[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
    static const unsigned char OID_P521[] = {0x2b, 0x81, 0x04, 0x00, 0x23};
    unsigned char *p = c->pk_raw.p, *end;
    size_t len, ol;
    if (p == NULL || mbedtls_asn1_get_tag(&p, c->pk_raw.p + c->pk_raw.len, &len,
                                          MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
        return -1;
    end = p + len;
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
        return -1;
    unsigned char *alg_end = p + len;
    if (mbedtls_asn1_get_tag(&p, alg_end, &ol, MBEDTLS_ASN1_OID) != 0 || ol != sizeof OID_EC ||
        memcmp(p, OID_EC, ol) != 0)
        return -1;
    p += ol;
    if (mbedtls_asn1_get_tag(&p, alg_end, &ol, MBEDTLS_ASN1_OID) != 0 || ol != sizeof OID_P521 ||
        memcmp(p, OID_P521, ol) != 0 || p + ol != alg_end)
        return -1;
    p = alg_end;
    if (mbedtls_asn1_get_bitstring_null(&p, end, &len) != 0 || p + len != end || len != 133 || p[0] != 0x04)
        return -1;
    memset(coords, 0, 160);
    memcpy(coords + 14, p + 1, 66);
    memcpy(coords + 80 + 14, p + 67, 66);
    return uvs_p521_pub_valid(coords) ? 0 : -1;
}
