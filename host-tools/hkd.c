/* Host-key document verification on mbedTLS (hkd.h; shared/spec/host-key-verification.md,
 * "HKV §n").  Public mbedTLS API only, so it builds on 2.28 and 3.6: signatures, AKID,
 * SKID, names and the host key come from hkd_x509.c, which reads the DER buffers mbedTLS
 * exposes; no private struct fields.
 *
 * mbedTLS checks the chain (signatures, validity, CA flags, key usage, profile); every
 * CRL decision is taken here (mbedTLS only uses CRLs it has and stops at the first
 * badly signed one, OpenSSL's CRL_CHECK_ALL demands one per link and picks the good one). */
#define _GNU_SOURCE 1 /* memmem */
#include "hkd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509.h>

#include "crl_cache.h"
#include "crl_fetch.h"
#include "crypto.h"
#include "hkd_x509.h"

#define MAX_CHAIN 8              /* depths recorded by the verify callback           */
#define MAX_CHAIN_LEN 4          /* signing key + at most 2 intermediates + root     */
#define WHERE_MAX 640
#define SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
#define SYSTEM_CA_DIR "/etc/ssl/certs"

struct hkd_crl_src {
    const mbedtls_x509_crl *crl;     /* NULL: a failed-download log for for_crt     */
    const mbedtls_x509_crt *for_crt; /* the certificate whose DP it was fetched for */
    int from_net;                    /* downloaded now: cache it once verified      */
    char url[CRL_URI_MAX];
    char where[WHERE_MAX];           /* "file X", "URL", "cache F (URL)", or a log  */
};

/* ---------------------------------------------------------------------------------- */
/* Small helpers                                                                      */

static time_t now_of(time_t t)
{
    return t ? t : time(NULL);
}

static void dn_of(const mbedtls_x509_crt *c, char *out, size_t n)
{
    if (mbedtls_x509_dn_gets(out, n, &c->subject) < 0)
        snprintf(out, n, "(unprintable name)");
}

static int crl_present(const mbedtls_x509_crl *c)
{
    return c != NULL && c->version != 0;
}

static size_t crl_count(const mbedtls_x509_crl *c)
{
    size_t n = 0;
    for (; crl_present(c); c = c->next)
        n++;
    return n;
}

static size_t crt_count(const mbedtls_x509_crt *c)
{
    size_t n = 0;
    for (; c != NULL && c->raw.len != 0; c = c->next)
        n++;
    return n;
}

static const mbedtls_x509_crl *crl_at(const mbedtls_x509_crl *c, size_t i)
{
    for (; i > 0 && crl_present(c); i--)
        c = c->next;
    return crl_present(c) ? c : NULL;
}

static int add_src(struct hkd_verifier *v, const mbedtls_x509_crl *crl, const mbedtls_x509_crt *for_crt,
                   int from_net, const char *url, const char *where)
{
    if (v->n_srcs == v->cap_srcs) {
        size_t cap = v->cap_srcs ? 2 * v->cap_srcs : 16;
        struct hkd_crl_src *n = realloc(v->srcs, cap * sizeof *n);
        if (n == NULL)
            return -1;
        v->srcs = n;
        v->cap_srcs = cap;
    }
    struct hkd_crl_src *s = &v->srcs[v->n_srcs++];
    s->crl = crl;
    s->for_crt = for_crt;
    s->from_net = from_net;
    snprintf(s->url, sizeof s->url, "%s", url ? url : "");
    snprintf(s->where, sizeof s->where, "%s", where);
    return 0;
}

/* Records the origin of every CRL of chain from index `first` on. */
static int add_srcs_from(struct hkd_verifier *v, const mbedtls_x509_crl *chain, size_t first,
                         const mbedtls_x509_crt *for_crt, int from_net, const char *url,
                         const char *where)
{
    for (const mbedtls_x509_crl *c = crl_at(chain, first); crl_present(c); c = c->next)
        if (add_src(v, c, for_crt, from_net, url, where) != 0)
            return -1;
    return 0;
}

static const struct hkd_crl_src *src_of(const struct hkd_verifier *v, const mbedtls_x509_crl *crl)
{
    for (size_t i = 0; i < v->n_srcs; i++)
        if (v->srcs[i].crl == crl)
            return &v->srcs[i];
    return NULL;
}

static const char *dl_log_of(const struct hkd_verifier *v, const mbedtls_x509_crt *crt)
{
    for (size_t i = 0; i < v->n_srcs; i++)
        if (v->srcs[i].crl == NULL && v->srcs[i].for_crt == crt)
            return v->srcs[i].where;
    return NULL;
}

/* ---------------------------------------------------------------------------------- */
/* Loading                                                                            */

static void set_err(char err[HKD_ERR_MAX], const char *fmt, const char *a, const char *b)
{
    snprintf(err, HKD_ERR_MAX, fmt, a, b);
}

static size_t count_str(const uint8_t *buf, size_t len, const char *s)
{
    size_t n = 0, sl = strlen(s);
    const uint8_t *p = buf, *end = buf + len;
    while ((p = memmem(p, (size_t)(end - p), s, sl)) != NULL) {
        n++;
        p += sl;
    }
    return n;
}

/* Parses every certificate (DER, or PEM blocks) and every CRL in buf into the chains.
 * Returns the number of certificates and sets *n_crl; -1 if the data is neither, or if
 * a PEM certificate or CRL block does not parse.  (mbedtls_x509_crl_parse reports an
 * error after the last CRL when more PEM follows, so blocks are counted instead.) */
static int parse_mixed(const uint8_t *buf, size_t len, mbedtls_x509_crt *crts, mbedtls_x509_crl *crls,
                       size_t *n_crl)
{
    size_t c0 = crt_count(crts), l0 = crl_count(crls);
    int is_pem = memmem(buf, len, "-----BEGIN ", 11) != NULL;
    if (!is_pem) {
        if (mbedtls_x509_crt_parse_der(crts, buf, len) != 0 && mbedtls_x509_crl_parse_der(crls, buf, len) != 0)
            return -1;
    } else {
        /* Buffers carry a NUL after len (crl_read_file, crl_fetch_url). */
        (void)mbedtls_x509_crt_parse(crts, buf, len + 1);
        (void)mbedtls_x509_crl_parse(crls, buf, len + 1);
        if (crt_count(crts) - c0 != count_str(buf, len, "-----BEGIN CERTIFICATE-----") ||
            crl_count(crls) - l0 != count_str(buf, len, "-----BEGIN X509 CRL-----"))
            return -1;
    }
    *n_crl = crl_count(crls) - l0;
    return (int)(crt_count(crts) - c0);
}

static int load_file(struct hkd_verifier *v, const char *path, mbedtls_x509_crt *crts, size_t *n_crt,
                     size_t *n_crl, char err[HKD_ERR_MAX])
{
    uint8_t *buf;
    size_t len;
    char reason[CRL_REASON_MAX], where[WHERE_MAX];
    if (crl_read_file(path, CRL_FILE_MAX, &buf, &len, reason) != 0) {
        set_err(err, "%s: %s", path, reason);
        return -1;
    }
    size_t l0 = crl_count(&v->crls);
    int n = parse_mixed(buf, len, crts, &v->crls, n_crl);
    crl_buf_free(buf, len);
    if (n < 0) {
        *n_crt = 0;
        *n_crl = 0;
        return 1;
    }
    *n_crt = (size_t)n;
    snprintf(where, sizeof where, "file %s", path);
    if (add_srcs_from(v, &v->crls, l0, NULL, 0, NULL, where) != 0) {
        set_err(err, "%s: %s", path, "out of memory");
        return -1;
    }
    return 0;
}

/* Online: the first CRL of crt's distribution points (HKV §6), from the cache or the
 * network, appended to into (origins recorded in v).  A log of the failures is kept
 * for the error message.  Returns 1 if a CRL was added. */
/* 1 if some certificate of chain issued crl: same name and a good signature. */
static int issued_by_one_of(const mbedtls_x509_crl *crl, const mbedtls_x509_crt *chain)
{
    struct hkd_name cn, sn;
    if (hkd_name_from(&crl->issuer, &cn) != 0)
        return 0;
    for (const mbedtls_x509_crt *c = chain; c != NULL && c->raw.len != 0; c = c->next)
        if (hkd_name_from(&c->subject, &sn) == 0 && hkd_name_eq(&cn, &sn) && hkd_sig_check(&crl->raw, &c->pk) == 0)
            return 1;
    return 0;
}

/* A cache hit for url, appended to into only if its signature verifies with one of the
 * certificates of trust (-C and trust anchors); otherwise it counts as a miss and the
 * URL is downloaded again (a verified download then replaces the entry). */
static int cache_hit(const struct hkd_verifier *v, const struct hkd_verifier *trust, const char *url,
                     mbedtls_x509_crl *into, char path[CRL_CACHE_PATH_MAX])
{
    mbedtls_x509_crl one;
    mbedtls_x509_crl_init(&one);
    int hit = crl_cache_get(v->cache_dir, url, now_of(v->now), &one, path) &&
              (issued_by_one_of(&one, &trust->certs) || issued_by_one_of(&one, &trust->roots)) &&
              mbedtls_x509_crl_parse_der(into, one.raw.p, one.raw.len) == 0;
    mbedtls_x509_crl_free(&one);
    if (!hit && v->verbose && path[0] != 0 && access(path, F_OK) == 0)
        fprintf(stderr, "CRL cache: ignoring %s (outdated or not signed by a known issuer)\n", path);
    return hit;
}

static int fetch_crls(struct hkd_verifier *v, const struct hkd_verifier *trust, const mbedtls_x509_crt *crt,
                      mbedtls_x509_crl *into)
{
    char uris[CRL_DP_MAX][CRL_URI_MAX];
    size_t n = crl_dp_uris(crt, uris);
    char log[WHERE_MAX] = "";
    size_t used = 0;
    if (n == 0)
        snprintf(log, sizeof log, "no CRL distribution point URI");
    for (size_t i = 0; i < n; i++) {
        size_t l0 = crl_count(into);
        char path[CRL_CACHE_PATH_MAX], where[WHERE_MAX], reason[CRL_REASON_MAX];
        path[0] = 0;
        if (v->cache_dir != NULL && cache_hit(v, trust, uris[i], into, path)) {
            snprintf(where, sizeof where, "cache %s (%s)", path, uris[i]);
            return add_srcs_from(v, into, l0, crt, 0, uris[i], where) == 0;
        }
        uint8_t *body;
        size_t len, nc;
        if (crl_fetch_url(uris[i], v->timeout_ms, &body, &len, reason) == 0) {
            mbedtls_x509_crt junk;
            mbedtls_x509_crl got;
            mbedtls_x509_crt_init(&junk);
            mbedtls_x509_crl_init(&got);
            int r = parse_mixed(body, len, &junk, &got, &nc);
            crl_buf_free(body, len);
            if (r >= 0 && nc > 0)
                for (const mbedtls_x509_crl *c = &got; crl_present(c); c = c->next)
                    if (mbedtls_x509_crl_parse_der(into, c->raw.p, c->raw.len) != 0)
                        r = -1;
            mbedtls_x509_crt_free(&junk);
            mbedtls_x509_crl_free(&got);
            if (r >= 0 && nc > 0)
                return add_srcs_from(v, into, l0, crt, 1, uris[i], uris[i]) == 0;
            snprintf(reason, sizeof reason, "no CRL in the response");
        }
        if (v->verbose)
            fprintf(stderr, "CRL download failed: %s: %s\n", uris[i], reason);
        int w = snprintf(log + used, sizeof log - used, "%s%s: %s", used ? "; " : "", uris[i], reason);
        if (w > 0)
            used = used + (size_t)w < sizeof log ? used + (size_t)w : sizeof log - 1;
    }
    (void)add_src(v, NULL, crt, 0, NULL, log);
    return 0;
}

static int load_roots(struct hkd_verifier *v, const char *path, char err[HKD_ERR_MAX])
{
    if (path != NULL) {
        size_t nc, nl;
        int r = load_file(v, path, &v->roots, &nc, &nl, err);
        if (r < 0)
            return -1;
        if (r > 0 || nc == 0) {
            set_err(err, "Cannot load certificate  from %s%s", path, "");
            return -1;
        }
        return 0;
    }
    if (mbedtls_x509_crt_parse_file(&v->roots, SYSTEM_CA_FILE) < 0 || crt_count(&v->roots) == 0)
        (void)mbedtls_x509_crt_parse_path(&v->roots, SYSTEM_CA_DIR);
    return 0; /* an empty system store just means nothing is trusted */
}

/* ---------------------------------------------------------------------------------- */
/* CRL selection                                                                      */

enum { CRL_NONE, CRL_KU, CRL_SIG, CRL_DATE };

struct crl_verdict {
    int valid, revoked, fail;      /* fail: best reason among rejected candidates */
    const char *fail_text;
};

/* One candidate CRL for certificates issued by `issuer` (§4 chain links and §5.7). */
static int crl_usable(const struct hkd_verifier *v, const mbedtls_x509_crl *crl, const mbedtls_x509_crt *issuer,
                      int chain_link, struct crl_verdict *vd)
{
    time_t now = now_of(v->now);
    if (!hkd_akid_matches(&crl->crl_ext, issuer))
        return 0;
    /* Chain links follow OpenSSL (issuer needs cRLSign if it has a keyUsage); the
     * signing key (keyUsage digitalSignature) signs its CRLs without it (HKV §5.7). */
    int need_next_update = !chain_link;
    if (chain_link && mbedtls_x509_crt_check_key_usage(issuer, MBEDTLS_X509_KU_CRL_SIGN) != 0) {
        if (vd->fail < CRL_KU) {
            vd->fail = CRL_KU;
            vd->fail_text = "key usage does not include CRL signing";
        }
        return 0;
    }
    if (hkd_sig_check(&crl->raw, &issuer->pk) != 0) {
        if (vd->fail < CRL_SIG) {
            vd->fail = CRL_SIG;
            vd->fail_text = "CRL signature failure";
        }
        return 0;
    }
    int has_next = crl->next_update.year != 0;
    if (crl_time_cmp(&crl->this_update, now) > 0) {
        vd->fail = CRL_DATE;
        vd->fail_text = "CRL is not yet valid";
        return 0;
    }
    if ((need_next_update && !has_next) || (has_next && crl_time_cmp(&crl->next_update, now) <= 0)) {
        vd->fail = CRL_DATE;
        vd->fail_text = has_next ? "CRL has expired" : "CRL has no nextUpdate";
        return 0;
    }
    return 1;
}

static int listed(const mbedtls_x509_crl *crl, const mbedtls_x509_crt *c)
{
    for (const mbedtls_x509_crl_entry *e = &crl->entry; e != NULL && e->serial.len != 0; e = e->next)
        if (hkd_serial_eq(e->serial.p, e->serial.len, c->serial.p, c->serial.len))
            return 1;
    return 0;
}

/* A kept CRL: log its origin and cache it if it was just downloaded. */
static void crl_kept(const struct hkd_verifier *v, const struct hkd_crl_src *s, char *where, size_t wn)
{
    if (s == NULL)
        return;
    size_t u = strlen(where);
    if (u + 4 < wn && snprintf(where + u, wn - u, "%s%s", u ? ", " : "", s->where) >= (int)(wn - u))
        where[wn - 1] = 0; /* truncated log text */
    if (s->from_net && v->cache_dir != NULL) {
        char reason[CRL_REASON_MAX];
        if (crl_cache_put(v->cache_dir, s->url, s->crl->raw.p, s->crl->raw.len, reason) != 0 && v->verbose)
            fprintf(stderr, "CRL cache: %s\n", reason);
    }
}

static void log_crl(const struct hkd_verifier *v, const char *what, const char *where)
{
    if (v->verbose)
        fprintf(stderr, "CRL for %s: from %s\n", what, where);
}

/* ---------------------------------------------------------------------------------- */
/* Part A                                                                             */

struct chain_rec {
    const mbedtls_x509_crt *crt[MAX_CHAIN];
    uint32_t flags[MAX_CHAIN];
    int n;
};

static int on_verify(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    struct chain_rec *r = ctx;
    if (depth >= 0 && depth < MAX_CHAIN) {
        r->crt[depth] = crt;
        r->flags[depth] = *flags;
        if (depth + 1 > r->n)
            r->n = depth + 1;
    }
    return 0;
}

static const char *flag_text(uint32_t f)
{
    if (f & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
        return "unable to get local issuer certificate";
    if (f & MBEDTLS_X509_BADCERT_EXPIRED)
        return "certificate has expired";
    if (f & MBEDTLS_X509_BADCERT_FUTURE)
        return "certificate is not yet valid";
    if (f & MBEDTLS_X509_BADCERT_REVOKED)
        return "certificate revoked";
    if (f & (MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK | MBEDTLS_X509_BADCERT_BAD_KEY))
        return "insecure signature algorithm or key too weak";
    if (f & (MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE | MBEDTLS_X509_BADCERT_NS_CERT_TYPE))
        return "invalid CA certificate or key usage";
    return "certificate verification failed";
}

static void chain_err(char err[HKD_ERR_MAX], int depth, const char *reason, const mbedtls_x509_crt *c,
                      const char *extra)
{
    char dn[256] = "?";
    if (c != NULL)
        dn_of(c, dn, sizeof dn);
    snprintf(err, HKD_ERR_MAX,
             "The IBM Z signing key could not be verified. Error occurred at level %d: %s (certificate '%s')%s%s",
             depth, reason, dn, extra && *extra ? "; CRL download: " : "", extra ? extra : "");
}

static const mbedtls_x509_crt_profile PROFILE = {
    MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA256) | MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA384) |
        MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA512),
    0xFFFFFFF, /* any public-key algorithm */
    MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP256R1) | MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP384R1) |
        MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP521R1) | MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_BP256R1) |
        MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_BP384R1) | MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_BP512R1),
    2048,
};

static int verify_chain(struct hkd_verifier *v, char err[HKD_ERR_MAX])
{
    struct chain_rec r;
    memset(&r, 0, sizeof r);
    uint32_t flags = 0;
    int ret = mbedtls_x509_crt_verify_with_profile(&v->certs, &v->roots, NULL, &PROFILE, NULL, &flags,
                                                   on_verify, &r);
    if (ret != 0 && ret != MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        chain_err(err, 0, "certificate verification failed", &v->certs, NULL);
        return -1;
    }
    if (r.n == 0) {
        chain_err(err, 0, flag_text(flags ? flags : MBEDTLS_X509_BADCERT_OTHER), &v->certs, NULL);
        return -1;
    }
    for (int d = 0; d < r.n; d++)
        if (r.flags[d] & MBEDTLS_X509_BADCERT_NOT_TRUSTED) {
            chain_err(err, d, flag_text(MBEDTLS_X509_BADCERT_NOT_TRUSTED), r.crt[d], NULL);
            return -1;
        }
    if (ret != 0 && flags != 0) {
        int any = 0;
        for (int d = 0; d < r.n; d++)
            any |= r.flags[d] != 0;
        if (!any) {
            chain_err(err, 0, flag_text(flags), r.crt[0], NULL);
            return -1;
        }
    }
    if (r.n < 2) {
        chain_err(err, 0, "no trust anchor above the signing key (chain of one certificate)", r.crt[0], NULL);
        return -1;
    }
    if (r.n > MAX_CHAIN_LEN) {
        chain_err(err, r.n - 1, "certificate chain too long", r.crt[r.n - 1], NULL);
        return -1;
    }
    /* mbedTLS stops at any certificate of the trust store; OpenSSL (no PARTIAL_CHAIN)
     * only at a self-issued one.  An intermediate given as --root-ca would otherwise
     * end the chain early and its own CRL (from the root) would never be asked for. */
    const mbedtls_x509_crt *top = r.crt[r.n - 1];
    if (top->issuer_raw.len != top->subject_raw.len ||
        memcmp(top->issuer_raw.p, top->subject_raw.p, top->subject_raw.len) != 0) {
        chain_err(err, r.n - 1, "unable to get issuer certificate", top, NULL);
        return -1;
    }
    /* CRL_CHECK_ALL: every certificate below the anchor needs a valid CRL of its issuer. */
    for (int d = 0; d + 1 < r.n; d++) {
        const mbedtls_x509_crt *c = r.crt[d], *iss = r.crt[d + 1];
        struct hkd_name in;
        struct crl_verdict vd = {0, 0, CRL_NONE, "unable to get certificate CRL"};
        char where[WHERE_MAX] = "", dn[256];
        if (hkd_name_from(&iss->subject, &in) != 0) {
            chain_err(err, d, "issuer name too long", c, NULL);
            return -1;
        }
        for (const mbedtls_x509_crl *crl = &v->crls; crl_present(crl); crl = crl->next) {
            struct hkd_name cn;
            if (hkd_name_from(&crl->issuer, &cn) != 0 || !hkd_name_eq(&cn, &in) || !crl_usable(v, crl, iss, 1, &vd))
                continue;
            vd.valid++;
            vd.revoked |= listed(crl, c);
            crl_kept(v, src_of(v, crl), where, sizeof where);
        }
        if (vd.revoked) {
            chain_err(err, d, "certificate revoked", c, NULL);
            return -1;
        }
        if (!vd.valid) {
            chain_err(err, d, vd.fail_text, c, v->offline ? NULL : dl_log_of(v, c));
            return -1;
        }
        dn_of(c, dn, sizeof dn);
        log_crl(v, dn, where);
    }
    for (int d = r.n - 1; d >= 0; d--)
        if (r.flags[d] != 0) {
            chain_err(err, d, flag_text(r.flags[d]), r.crt[d], NULL);
            return -1;
        }
    if (hkd_sig_check(&top->raw, &top->pk) != 0) {
        chain_err(err, r.n - 1, "certificate signature failure (self-signature)", top, NULL);
        return -1;
    }
    return 0;
}

static void verifier_zero(struct hkd_verifier *v)
{
    memset(v, 0, sizeof *v);
    mbedtls_x509_crt_init(&v->certs);
    mbedtls_x509_crt_init(&v->roots);
    mbedtls_x509_crl_init(&v->crls);
}

void hkd_verifier_free(struct hkd_verifier *v)
{
    mbedtls_x509_crt_free(&v->certs);
    mbedtls_x509_crt_free(&v->roots);
    mbedtls_x509_crl_free(&v->crls);
    free(v->srcs);
    free(v->cache_dir_buf);
    memset(v, 0, sizeof *v);
}

/* Puts the signing key first and the other -C certificates behind it (the shape
 * mbedtls_x509_crt_verify wants: leaf, then untrusted intermediates). */
static int reorder_certs(struct hkd_verifier *v, const mbedtls_x509_crt *sk)
{
    mbedtls_x509_crt ord;
    mbedtls_x509_crt_init(&ord);
    if (mbedtls_x509_crt_parse_der(&ord, sk->raw.p, sk->raw.len) != 0)
        goto fail;
    for (const mbedtls_x509_crt *c = &v->certs; c != NULL && c->raw.len != 0; c = c->next)
        if (c != sk && mbedtls_x509_crt_parse_der(&ord, c->raw.p, c->raw.len) != 0)
            goto fail;
    mbedtls_x509_crt_free(&v->certs);
    v->certs = ord; /* the head is a value; the rest of the list is on the heap */
    v->signing_key = &v->certs;
    return 0;
fail:
    mbedtls_x509_crt_free(&ord);
    return -1;
}

int hkd_verifier_init(struct hkd_verifier *v, const struct hkd_verify_opts *o, char err[HKD_ERR_MAX])
{
    verifier_zero(v);
    v->offline = o->offline;
    v->verbose = o->verbose;
    v->now = o->now;
    v->timeout_ms = o->crl_timeout_ms ? o->crl_timeout_ms : CRL_FETCH_TIMEOUT_MS;
    err[0] = 0;
    if (!o->offline && !o->no_crl_cache) {
        char dir[CRL_CACHE_PATH_MAX];
        if (crl_cache_dir(o->crl_cache_dir, dir) == 0) {
            v->cache_dir_buf = strdup(dir);
            v->cache_dir = v->cache_dir_buf;
        }
    }
    for (size_t i = 0; i < o->n_certs; i++) {
        size_t nc, nl;
        int r = load_file(v, o->certs[i], &v->certs, &nc, &nl, err);
        if (r == 0 && nc == 0 && nl == 0)
            r = 1; /* neither a certificate nor a CRL in it */
        if (r > 0)
            set_err(err, "Cannot load certificate  from %s%s", o->certs[i], "");
        if (r != 0)
            goto fail;
    }
    for (size_t i = 0; i < o->n_crls; i++) {
        mbedtls_x509_crt junk;
        size_t nc, nl;
        mbedtls_x509_crt_init(&junk);
        int r = load_file(v, o->crls[i], &junk, &nc, &nl, err);
        mbedtls_x509_crt_free(&junk);
        if (r < 0)
            goto fail;
        if (r > 0 || nl == 0) {
            set_err(err, "Cannot load CRL  from %s%s", o->crls[i], "");
            goto fail;
        }
    }
    if (load_roots(v, o->root_ca, err) != 0)
        goto fail;

    const mbedtls_x509_crt *sk = NULL;
    size_t n_sk = 0;
    for (const mbedtls_x509_crt *c = &v->certs; c != NULL && c->raw.len != 0; c = c->next)
        if (hkd_is_signing_key(c)) {
            sk = c;
            n_sk++;
        }
    if (n_sk == 0) {
        set_err(err, "%s%s", "Specify one IBM Z signing key", "");
        goto fail;
    }
    if (n_sk > 1) {
        set_err(err, "%s%s", "Specify only one IBM Z signing key", "");
        goto fail;
    }
    if (reorder_certs(v, sk) != 0) {
        set_err(err, "%s%s", "out of memory", "");
        goto fail;
    }
    if (!v->offline)
        for (const mbedtls_x509_crt *c = &v->certs; c != NULL && c->raw.len != 0; c = c->next)
            (void)fetch_crls(v, v, c, &v->crls);
    if (verify_chain(v, err) != 0)
        goto fail;
    return 0;
fail:
    hkd_verifier_free(v);
    return -1;
}

/* ---------------------------------------------------------------------------------- */
/* Reading a host-key document                                                        */


int hkd_read(const char *path, mbedtls_x509_crt *crt, uint8_t coords[160], char err[HKD_ERR_MAX])
{
    uint8_t *buf;
    size_t len;
    char reason[CRL_REASON_MAX];
    if (crl_read_file(path, CRL_FILE_MAX, &buf, &len, reason) != 0) {
        set_err(err, "%s: %s", path, reason);
        return -1;
    }
    int ok = mbedtls_x509_crt_parse_der(crt, buf, len) == 0;
    if (!ok) {
        if (memmem(buf, len, "-----BEGIN ", 11) == NULL) {
            crl_buf_free(buf, len);
            set_err(err, "The provided Host Key Document in '%s' is not in PEM or DER format%s", path, "");
            return -1;
        }
        (void)mbedtls_x509_crt_parse(crt, buf, len + 1);
        if (crt_count(crt) == 0) {
            if (memmem(buf, len, "-----BEGIN CERTIFICATE-----", 27) == NULL)
                set_err(err, "The provided host key document in %s contains no certificate!%s", path, "");
            else
                set_err(err, "The provided Host Key Document in '%s' is not in PEM or DER format%s", path, "");
            crl_buf_free(buf, len);
            return -1;
        }
        if (crt_count(crt) > 1)
            fprintf(stderr, "The host-key document in '%s' contains more than one certificate!\n", path);
    }
    crl_buf_free(buf, len);
    if (hkd_p521_coords(crt, coords) != 0) {
        set_err(err, "Host-key document '%s' does not contain an EC secp521r1 key%s", path, "");
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------- */
/* Part B                                                                             */

static int fail_b(char err[HKD_ERR_MAX], const char *path, const char *reason, const char *extra)
{
    if (snprintf(err, HKD_ERR_MAX, "Host-key verification failed: %s: %s%s%s", path, reason,
                 extra && *extra ? "; CRL download: " : "", extra ? extra : "") >= HKD_ERR_MAX)
        err[HKD_ERR_MAX - 1] = 0; /* truncated */
    return -1;
}

/* Adds to cand every CRL of v->crls whose issuer equals name. */
static size_t crls_named(const struct hkd_verifier *v, const struct hkd_name *name, const mbedtls_x509_crl **cand,
                         size_t cap)
{
    size_t n = 0;
    for (const mbedtls_x509_crl *crl = &v->crls; crl_present(crl) && n < cap; crl = crl->next) {
        struct hkd_name cn;
        if (hkd_name_from(&crl->issuer, &cn) == 0 && hkd_name_eq(&cn, name))
            cand[n++] = crl;
    }
    return n;
}

#define MAX_CAND 64

int hkd_verify_one(const struct hkd_verifier *v, const char *path, const mbedtls_x509_crt *hkd,
                   char err[HKD_ERR_MAX])
{
    const mbedtls_x509_crt *sk = v->signing_key;
    time_t now = now_of(v->now);
    char tmp[64];
    err[0] = 0;
    if (sk == NULL)
        return fail_b(err, path, "no verified IBM Z signing key", NULL);
    /* 2. key strength */
    int bits = hkd_security_bits(&hkd->pk);
    if (bits < 112) {
        snprintf(tmp, sizeof tmp, "Not enough bits of security. (%d, 112 expected)", bits);
        return fail_b(err, path, tmp, NULL);
    }
    /* 3. validity: notBefore <= now < notAfter */
    if (crl_time_cmp(&hkd->valid_from, now) > 0)
        return fail_b(err, path, "Before validity period", NULL);
    if (crl_time_cmp(&hkd->valid_to, now) <= 0)
        return fail_b(err, path, "After validity period", NULL);
    /* 4. AKID */
    if (!hkd_akid_matches(&hkd->v3_ext, sk))
        return fail_b(err, path, "Authority Key Id mismatch", NULL);
    /* 5. signature (the issuer name is not compared, HKV §5.5) */
    if (hkd_sig_check(&hkd->raw, &sk->pk) != 0)
        return fail_b(err, path, "Signature verification failed", NULL);

    /* 6. CRLs of the signing key by name, with the reference's fall-backs */
    const mbedtls_x509_crl *cand[MAX_CAND];
    size_t n = 0;
    struct hkd_name s, s2, r;
    if (hkd_name_from(&sk->subject, &s) != 0)
        return fail_b(err, path, "signing-key subject too long", NULL);
    n = crls_named(v, &s, cand, MAX_CAND);
    const struct hkd_name_ent *loc = hkd_name_first(&s, MBEDTLS_OID_AT_LOCALITY, MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_LOCALITY));
    if (n == 0 && hkd_name_val_is(loc, "Armonk")) {
        s2 = s;
        struct hkd_name_ent *l2 = &s2.e[loc - s.e];
        l2->val = (const unsigned char *)"Poughkeepsie";
        l2->val_len = strlen("Poughkeepsie");
        n = crls_named(v, &s2, cand, MAX_CAND);
        if (n == 0) {
            hkd_name_reorder(&s2, &r);
            n = crls_named(v, &r, cand, MAX_CAND);
        }
    }
    if (n == 0) {
        hkd_name_reorder(&s, &r);
        n = crls_named(v, &r, cand, MAX_CAND);
    }
    /* ... plus, online, the first CRL of the document's own distribution points */
    struct hkd_verifier dl; /* a scratch verifier holding only the downloads */
    verifier_zero(&dl);
    dl.now = v->now;
    dl.timeout_ms = v->timeout_ms;
    dl.cache_dir = v->cache_dir;
    dl.verbose = v->verbose;
    if (!v->offline) {
        (void)fetch_crls(&dl, v, hkd, &dl.crls);
        for (const mbedtls_x509_crl *c = &dl.crls; crl_present(c) && n < MAX_CAND; c = c->next)
            cand[n++] = c;
    }
    /* 7. keep valid CRLs; 8. revocation */
    struct crl_verdict vd = {0, 0, CRL_NONE, NULL};
    char where[WHERE_MAX] = "";
    int revoked = 0;
    for (size_t i = 0; i < n; i++) {
        if (!crl_usable(v, cand[i], sk, 0, &vd))
            continue;
        vd.valid++;
        revoked |= listed(cand[i], hkd);
        const struct hkd_crl_src *src = src_of(v, cand[i]);
        crl_kept(v, src ? src : src_of(&dl, cand[i]), where, sizeof where);
    }
    int ret = 0;
    if (vd.valid == 0)
        ret = fail_b(err, path, "No valid CRL found", v->offline ? NULL : dl_log_of(&dl, hkd));
    else if (revoked)
        ret = fail_b(err, path, "Host-key document is revoked.", NULL);
    else if (v->verbose)
        log_crl(v, path, where);
    hkd_verifier_free(&dl);
    return ret;
}
