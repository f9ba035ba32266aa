/* Host-key document verification against the reference's fake PKI
 * ($UVS_SHARED/vectors/pki, default ../shared): every verdict of
 * shared/spec/host-key-verification.md §9 and shared/vectors/pki/README.md.
 * Runs offline (no network); date-relative cases pin opts.now. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#include "crypto.h"
#include "hkd.h"
#include "tap.h"

static char pki[400];

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE ((const char *const[]){NULL})

static const char *path(const char *name)
{
    static char buf[32][512];
    static int i;
    i = (i + 1) % 32;
    if (name[0] == '/')
        snprintf(buf[i], sizeof buf[i], "%s", name);
    else
        snprintf(buf[i], sizeof buf[i], "%s/%s", pki, name);
    return buf[i];
}

/* Runs part A (and part B for hkd when non-NULL).  Returns 0 = OK, 'A' = part A failed,
 * 'R' = reading the document failed, 'B' = part B failed; err holds the message. */
static int run(const char *const *certs, const char *const *crls, const char *root, const char *hkd,
               time_t now, char err[HKD_ERR_MAX])
{
    const char *c[16], *l[16];
    size_t nc = 0, nl = 0;
    for (; certs[nc] != NULL; nc++)
        c[nc] = path(certs[nc]);
    for (; crls[nl] != NULL; nl++)
        l[nl] = path(crls[nl]);
    struct hkd_verify_opts o;
    memset(&o, 0, sizeof o);
    o.certs = c;
    o.n_certs = nc;
    o.crls = l;
    o.n_crls = nl;
    o.root_ca = root ? path(root) : NULL;
    o.offline = 1;
    o.now = now;
    struct hkd_verifier v;
    err[0] = 0;
    if (hkd_verifier_init(&v, &o, err) != 0)
        return 'A';
    int ret = 0;
    if (hkd != NULL) {
        mbedtls_x509_crt crt;
        uint8_t coords[160];
        const char *p = path(hkd);
        mbedtls_x509_crt_init(&crt);
        if (hkd_read(p, &crt, coords, err) != 0)
            ret = 'R';
        else if (hkd_verify_one(&v, p, &crt, err) != 0)
            ret = 'B';
        mbedtls_x509_crt_free(&crt);
        if (ret != 0 && strstr(err, p) == NULL)
            ret = 'N'; /* every message must name the document (the CLI prints it as is) */
    }
    hkd_verifier_free(&v);
    return ret;
}

static void expect(const char *what, int got, int want, const char *err, const char *needle,
                   const char *needle2)
{
    int ok = got == want && (needle == NULL || strstr(err, needle) != NULL) &&
             (needle2 == NULL || strstr(err, needle2) != NULL);
    if (!OK(ok, what))
        printf("#   got %c (%s), want %c with '%s'%s%s\n", got ? got : '0', err, want ? want : '0',
               needle ? needle : "", needle2 ? " and " : "", needle2 ? needle2 : "");
}

/* Part A rows: the chain of the signing key. */
#define A_OK(what, certs, crls, root)                                                          \
    do {                                                                                       \
        char e_[HKD_ERR_MAX];                                                                  \
        int r_ = run(certs, crls, root, NULL, 0, e_);                                          \
        expect(what, r_, 0, e_, NULL, NULL);                                                   \
    } while (0)
#define A_FAIL(what, certs, crls, root, n1, n2)                                                \
    do {                                                                                       \
        char e_[HKD_ERR_MAX];                                                                  \
        int r_ = run(certs, crls, root, NULL, 0, e_);                                          \
        expect(what, r_, 'A', e_, n1, n2);                                                     \
    } while (0)
/* Part B rows. */
#define B_RUN(what, certs, crls, root, hkd, now, want, n1)                                     \
    do {                                                                                       \
        char e_[HKD_ERR_MAX];                                                                  \
        int r_ = run(certs, crls, root, hkd, now, e_);                                         \
        expect(what, r_, want, e_, n1, NULL);                                                  \
    } while (0)

#define GOOD_C L("ibm.crt", "inter_ca.crt")
#define ROOT "root_ca.chained.crt"
#define CHAIN_ERR "The IBM Z signing key could not be verified. Error occurred at level "
#define HKV "Host-key verification failed: "

static void part_a(void)
{
    A_OK("A: GOOD", GOOD_C, L("inter_ca.crl", "ibm.crl"), ROOT);
    A_OK("A: CRLs inside the -C files (chained)", L("ibm.chained.crt", "inter_ca.chained.crt"), NONE, ROOT);
    A_OK("A: --root-ca root_ca.crt --crl root_ca.crl", GOOD_C, L("inter_ca.crl", "ibm.crl", "root_ca.crl"),
         "root_ca.crt");
    A_OK("A: fake_root_ca_valid.crl in place of root_ca.crl", GOOD_C,
         L("inter_ca.crl", "ibm.crl", "fake_root_ca_valid.crl"), "root_ca.crt");
    A_OK("A: der.crt instead of ibm.crt", L("der.crt", "inter_ca.crt"), L("inter_ca.crl", "ibm.crl"), ROOT);
    A_OK("A: ibm_armonk.crt instead of ibm.crt", L("ibm_armonk.crt", "inter_ca.crt"), L("inter_ca.crl"), ROOT);
    A_OK("A: -C order does not matter (intermediate first)", L("inter_ca.crt", "ibm.crt"), L("inter_ca.crl"), ROOT);
    A_FAIL("A: ibm.crt + ibm_rev.crt -> only one", L("ibm.crt", "ibm_rev.crt", "inter_ca.crt"),
           L("inter_ca.crl"), ROOT, "Specify only one IBM Z signing key", NULL);
    A_FAIL("A: ibm_rev.crt -> revoked at level 0", L("ibm_rev.crt", "inter_ca.crt"), L("inter_ca.crl"), ROOT,
           CHAIN_ERR "0: certificate revoked", NULL);
    A_FAIL("A: ibm_expired.crt -> expired at level 0", L("ibm_expired.crt", "inter_ca.crt"), L("inter_ca.crl"),
           ROOT, CHAIN_ERR "0: certificate has expired", NULL);
    A_FAIL("A: ibm_wrong_subject.crt -> no signing key", L("ibm_wrong_subject.crt", "inter_ca.crt"),
           L("inter_ca.crl"), ROOT, "Specify one IBM Z signing key", NULL);
    A_FAIL("A: a CRL file as -C -> no signing key", L("ibm_outdated_early.crl", "inter_ca.crt"),
           L("inter_ca.crl"), ROOT, "Specify one IBM Z signing key", NULL);
    A_FAIL("A: without inter_ca.crt -> no issuer at level 0", L("ibm.crt"), L("inter_ca.crl"), ROOT,
           CHAIN_ERR "0: unable to get local issuer certificate", NULL);
    A_FAIL("A: fake_inter_ca.crt + fake_inter_ca.crl", L("ibm.crt", "fake_inter_ca.crt"),
           L("fake_inter_ca.crl"), ROOT, CHAIN_ERR "0: unable to get local issuer certificate", NULL);
    A_FAIL("A: --root-ca root_ca.crt without root CRL -> no CRL at level 1", GOOD_C, L("inter_ca.crl"),
           "root_ca.crt", CHAIN_ERR "1: unable to get certificate CRL", "IBM Z Intermediate CA");
    A_FAIL("A: no inter_ca.crl -> no CRL at level 0", GOOD_C, L("ibm.crl"), ROOT,
           CHAIN_ERR "0: unable to get certificate CRL", "IBM Z Host Key Signing Service");
    A_FAIL("A: inter_ca.invalid_date.crl -> CRL has expired", GOOD_C, L("inter_ca.invalid_date.crl"), ROOT,
           CHAIN_ERR "0: CRL has expired", NULL);
    A_FAIL("A: inter_ca.invalid_signer.crl -> not selected (no CRL)", GOOD_C, L("inter_ca.invalid_signer.crl"),
           ROOT, CHAIN_ERR "0: unable to get certificate CRL", NULL);
    A_FAIL("A: ibm_wrong_issuer.crl as intermediate CRL -> CRL signature failure", GOOD_C,
           L("ibm_wrong_issuer.crl"), ROOT, CHAIN_ERR "0: CRL signature failure", NULL);
    A_OK("A: a bad CRL next to the good one is dropped, not fatal", GOOD_C,
         L("ibm_wrong_issuer.crl", "inter_ca.invalid_signer.crl", "inter_ca.crl"), ROOT);
    A_FAIL("A: no --root-ca (system store) -> untrusted", GOOD_C, L("inter_ca.crl"), NULL,
           "unable to get local issuer certificate", NULL);
    A_FAIL("A: --root-ca fake_root_ca.crt -> untrusted", GOOD_C, L("inter_ca.crl", "fake_root_ca.crl"),
           "fake_root_ca.crt", "unable to get local issuer certificate", NULL);
    A_FAIL("A: fake_root_ca.crl for the real root (AKID = fake root) -> no CRL at level 1", GOOD_C,
           L("inter_ca.crl", "fake_root_ca.crl"), "root_ca.crt", CHAIN_ERR "1: unable to get certificate CRL", NULL);
    A_OK("A: fake PKI, chain of two", L("fake_ibm.crt"), L("fake_root_ca.crl", "fake_ibm.crl"), "fake_root_ca.crt");
    /* OpenSSL (no PARTIAL_CHAIN) needs a self-signed anchor: an intermediate given as
     * --root-ca would skip its own revocation check against the root's CRL. */
    A_FAIL("A: --root-ca inter_ca.crt (not self-signed) -> no issuer at level 1", L("ibm.crt"),
           L("inter_ca.crl", "ibm.crl"), "inter_ca.crt", CHAIN_ERR "1: unable to get issuer certificate",
           "IBM Z Intermediate CA");
    A_FAIL("A: fake PKI without fake_root_ca.crl -> no CRL", L("fake_ibm.crt"), L("fake_ibm.crl"),
           "fake_root_ca.crt", CHAIN_ERR "0: unable to get certificate CRL", NULL);
    A_FAIL("A: --crl file without a CRL", GOOD_C, L("inter_ca.crt"), ROOT,
           "Cannot load CRL  from ", "inter_ca.crt");
    A_FAIL("A: --root-ca file without a certificate", GOOD_C, L("inter_ca.crl"), "root_ca.crl",
           "Cannot load certificate  from ", "root_ca.crl");
    A_FAIL("A: missing -C file", L("ibm.crt", "no_such_file.crt"), L("inter_ca.crl"), ROOT, "no_such_file.crt",
           NULL);
}

static void part_b(void)
{
    static const char *const okc[] = {"inter_ca.crl", NULL};
    (void)okc;
#define IBM L("ibm.crt", "inter_ca.crt")
#define ARMONK L("ibm_armonk.crt", "inter_ca.crt")
#define CH L("ibm.chained.crt", "inter_ca.crt")
    B_RUN("B: host.crt, ibm.crl -> OK", IBM, L("inter_ca.crl", "ibm.crl"), ROOT, "host.crt", 0, 0, NULL);
    B_RUN("B: host2.crt, ibm.crl -> OK", IBM, L("inter_ca.crl", "ibm.crl"), ROOT, "host2.crt", 0, 0, NULL);
    B_RUN("B: host.crt, der.crl -> OK", IBM, L("inter_ca.crl", "der.crl"), ROOT, "host.crt", 0, 0, NULL);
    B_RUN("B: host.crt, ibm.chained.crt -> OK", CH, L("inter_ca.crl"), ROOT, "host.crt", 0, 0, NULL);
    B_RUN("B: host_rev.crt, ibm.crt/ibm.crl -> revoked", IBM, L("inter_ca.crl", "ibm.crl"), ROOT, "host_rev.crt",
          0, 'B', HKV);
    B_RUN("B: host_rev.crt, ibm.crt/ibm.crl -> revoked (text)", IBM, L("inter_ca.crl", "ibm.crl"), ROOT,
          "host_rev.crt", 0, 'B', "host_rev.crt: Host-key document is revoked.");
    B_RUN("B: host_rev.crt, ibm.crt/der.crl -> revoked", IBM, L("inter_ca.crl", "der.crl"), ROOT, "host_rev.crt",
          0, 'B', "Host-key document is revoked.");
    B_RUN("B: host_rev.crt, ibm.chained.crt -> revoked", CH, L("inter_ca.crl"), ROOT, "host_rev.crt", 0, 'B',
          "Host-key document is revoked.");
    B_RUN("B: host_rev.crt, ibm_armonk.crt/ibm_armonk.crl -> revoked", ARMONK, L("inter_ca.crl", "ibm_armonk.crl"),
          ROOT, "host_rev.crt", 0, 'B', "Host-key document is revoked.");
    B_RUN("B: host_rev.crt, ibm_armonk.crt/ibm.crl -> revoked", ARMONK, L("inter_ca.crl", "ibm.crl"), ROOT,
          "host_rev.crt", 0, 'B', "Host-key document is revoked.");
    B_RUN("B: host_crt_expired.crt -> After validity period", IBM, L("inter_ca.crl", "ibm.crl"), ROOT,
          "host_crt_expired.crt", 0, 'B', HKV);
    B_RUN("B: host_crt_expired.crt (text)", IBM, L("inter_ca.crl", "ibm.crl"), ROOT, "host_crt_expired.crt", 0,
          'B', "host_crt_expired.crt: After validity period");
    B_RUN("B: host_crt_expired.crt with ibm_armonk.crt -> After validity period", ARMONK,
          L("inter_ca.crl", "ibm_armonk.crl"), ROOT, "host_crt_expired.crt", 0, 'B', "After validity period");
    B_RUN("B: host_uri_na.crt offline with ibm.crl -> OK", IBM, L("inter_ca.crl", "ibm.crl"), ROOT,
          "host_uri_na.crt", 0, 0, NULL);
    B_RUN("B: host_uri_na.crt without a CRL -> No valid CRL found", IBM, L("inter_ca.crl"), ROOT,
          "host_uri_na.crt", 0, 'B', "No valid CRL found");
    B_RUN("B: host_armonk.crt with ibm.crt -> OK (issuer not compared)", IBM, L("inter_ca.crl", "ibm.crl"), ROOT,
          "host_armonk.crt", 0, 0, NULL);
    B_RUN("B: host_armonk.crt with ibm_armonk.crt/ibm_armonk.crl -> OK", ARMONK,
          L("inter_ca.crl", "ibm_armonk.crl"), ROOT, "host_armonk.crt", 0, 0, NULL);
    B_RUN("B: host_armonk.crt with ibm_armonk.crt/ibm.crl -> OK", ARMONK, L("inter_ca.crl", "ibm.crl"), ROOT,
          "host_armonk.crt", 0, 0, NULL);
    B_RUN("B: host.crt with ibm_armonk.crt/ibm.crl -> OK (locality fix-up)", ARMONK, L("inter_ca.crl", "ibm.crl"),
          ROOT, "host.crt", 0, 0, NULL);
    B_RUN("B: host.crt with ibm_armonk.crt/ibm_armonk.crl -> OK", ARMONK, L("inter_ca.crl", "ibm_armonk.crl"),
          ROOT, "host.crt", 0, 0, NULL);
    B_RUN("B: host.crt with ibm.crt/ibm_armonk.crl -> No valid CRL found", IBM,
          L("inter_ca.crl", "ibm_armonk.crl"), ROOT, "host.crt", 0, 'B', "host.crt: No valid CRL found");
    B_RUN("B: host.crt, no signing-key CRL -> No valid CRL found", IBM, L("inter_ca.crl"), ROOT, "host.crt", 0, 'B',
          HKV);
    B_RUN("B: host.crt, ibm_outdated_early.crl -> No valid CRL found", IBM,
          L("inter_ca.crl", "ibm_outdated_early.crl"), ROOT, "host.crt", 0, 'B', "No valid CRL found");
    B_RUN("B: host.crt, ibm_outdated_late.crl -> No valid CRL found", IBM,
          L("inter_ca.crl", "ibm_outdated_late.crl"), ROOT, "host.crt", 0, 'B', "No valid CRL found");
    B_RUN("B: host.crt, ibm_wrong_issuer.crl -> No valid CRL found", IBM,
          L("inter_ca.crl", "ibm_wrong_issuer.crl"), ROOT, "host.crt", 0, 'B', "No valid CRL found");
    B_RUN("B: host.crt, ibm_invalid_hash.crl (lists host.crt) -> No valid CRL found", IBM,
          L("inter_ca.crl", "ibm_invalid_hash.crl"), ROOT, "host.crt", 0, 'B', "No valid CRL found");
    B_RUN("B: host.crt, ibm_invalid_hash.crl + ibm.crl -> OK", IBM,
          L("inter_ca.crl", "ibm_invalid_hash.crl", "ibm.crl"), ROOT, "host.crt", 0, 0, NULL);
    B_RUN("B: host.crt, ibm_wrong_subject.crl -> No valid CRL found", IBM,
          L("inter_ca.crl", "ibm_wrong_subject.crl"), ROOT, "host.crt", 0, 'B', "No valid CRL found");
    B_RUN("B: host.crt, ibm.crt, fake_ibm.crl (same name, other key) -> No valid CRL found", IBM,
          L("inter_ca.crl", "fake_ibm.crl"), ROOT, "host.crt", 0, 'B', "No valid CRL found");
    B_RUN("B: host.crt, ibm.crt, all bad signing-key CRLs + der.crl -> OK", IBM,
          L("inter_ca.crl", "fake_ibm.crl", "ibm_outdated_early.crl", "ibm_outdated_late.crl", "ibm_invalid_hash.crl",
            "ibm_wrong_issuer.crl", "der.crl"),
          ROOT, "host.crt", 0, 0, NULL);
    B_RUN("B: host_invalid_signing_key.crt -> Authority Key Id mismatch", IBM, L("inter_ca.crl", "ibm.crl"), ROOT,
          "host_invalid_signing_key.crt", 0, 'B', HKV);
    B_RUN("B: host_invalid_signing_key.crt (text)", IBM, L("inter_ca.crl", "ibm.crl"), ROOT,
          "host_invalid_signing_key.crt", 0, 'B', "host_invalid_signing_key.crt: Authority Key Id mismatch");
    B_RUN("B: host_invalid_signing_key.crt with only ibm_wrong_subject.crt", L("ibm_wrong_subject.crt", "inter_ca.crt"),
          L("inter_ca.crl", "ibm_wrong_subject.crl"), ROOT, "host_invalid_signing_key.crt", 0, 'A',
          "Specify one IBM Z signing key");
    B_RUN("B: fake_host.crt with ibm.crt -> Authority Key Id mismatch", IBM, L("inter_ca.crl", "ibm.crl"), ROOT,
          "fake_host.crt", 0, 'B', "Authority Key Id mismatch");
    B_RUN("B: fake_host.crt in the fake PKI -> OK", L("fake_ibm.crt"), L("fake_root_ca.crl", "fake_ibm.crl"),
          "fake_root_ca.crt", "fake_host.crt", 0, 0, NULL);
    B_RUN("B: host.crt in the fake PKI -> Authority Key Id mismatch", L("fake_ibm.crt"),
          L("fake_root_ca.crl", "fake_ibm.crl"), "fake_root_ca.crt", "host.crt", 0, 'B', "Authority Key Id mismatch");
}

/* Validity boundaries (HKV §5.3): notBefore <= now < notAfter; host.crt is valid
 * 2024-03-21 14:52:39 .. 2388-12-23 14:52:39 UTC, the CRLs from 2024-03-11 to 15:52 on
 * 2388-12-23, so every "now" below keeps the CRLs valid. */
static void dates(void)
{
    struct tm nb = {.tm_year = 2024 - 1900, .tm_mon = 2, .tm_mday = 21, .tm_hour = 14, .tm_min = 52, .tm_sec = 39};
    struct tm na = {.tm_year = 2388 - 1900, .tm_mon = 11, .tm_mday = 23, .tm_hour = 14, .tm_min = 52, .tm_sec = 39};
    time_t t_nb = timegm(&nb), t_na = timegm(&na);
#define G IBM, L("inter_ca.crl", "ibm.crl"), ROOT, "host.crt"
#define B_RUNV(...) B_RUN(__VA_ARGS__)
    B_RUNV("dates: now = notBefore - 1 s -> Before validity period", G, t_nb - 1, 'B', "Before validity period");
    B_RUNV("dates: now = notBefore -> OK", G, t_nb, 0, NULL);
    B_RUNV("dates: now = notAfter - 1 s -> OK", G, t_na - 1, 0, NULL);
    B_RUNV("dates: now = notAfter -> After validity period", G, t_na, 'B', "After validity period");
    /* ibm_outdated_early.crl is valid from 3023-07-23 15:52:39; by then every chain CRL has
     * expired, so part A fails (the CRL dates follow opts.now too). */
    struct tm e = {.tm_year = 3023 - 1900, .tm_mon = 7, .tm_mday = 1};
    B_RUNV("dates: in 3023 the chain CRLs have expired", G, timegm(&e), 'A', "CRL has expired");
    /* In 2022 the chain CRLs (lastUpdate 2024-03-11) are not valid yet. */
    struct tm l = {.tm_year = 2022 - 1900, .tm_mon = 5, .tm_mday = 1};
    B_RUNV("dates: in 2022 the chain CRLs are not yet valid", G, timegm(&l), 'A', "CRL is not yet valid");
#undef G
}

/* mbedTLS 3.x deprecates the MPI serial setter. */
static int set_serial(mbedtls_x509write_cert *w, const mbedtls_mpi *serial)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    static unsigned char one = 7;
    (void)serial;
    return mbedtls_x509write_crt_set_serial_raw(w, &one, 1);
#else
    return mbedtls_x509write_crt_set_serial(w, serial);
#endif
}

/* A self-signed certificate of a P-256 key, DER, written to path (a document of the wrong key type). */
static int mint_p256(const char *out)
{
    struct uvs_rng rng;
    mbedtls_pk_context k;
    mbedtls_x509write_cert w;
    unsigned char der[2048];
    int ret = -1;
    if (uvs_rng_init(&rng) != 0)
        return -1;
    mbedtls_pk_init(&k);
    mbedtls_x509write_crt_init(&w);
    mbedtls_mpi serial;
    mbedtls_mpi_init(&serial);
    if (mbedtls_pk_setup(&k, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) == 0 &&
        mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(k), uvs_rng_fn, &rng) == 0 &&
        mbedtls_mpi_lset(&serial, 7) == 0) {
        mbedtls_x509write_crt_set_subject_key(&w, &k);
        mbedtls_x509write_crt_set_issuer_key(&w, &k);
        mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
        if (mbedtls_x509write_crt_set_subject_name(&w, "C=US,O=Test,CN=p256 host") == 0 &&
            mbedtls_x509write_crt_set_issuer_name(&w, "C=US,O=Test,CN=p256 host") == 0 &&
            set_serial(&w, &serial) == 0 &&
            mbedtls_x509write_crt_set_validity(&w, "20240101000000", "20991231000000") == 0) {
            int n = mbedtls_x509write_crt_der(&w, der, sizeof der, uvs_rng_fn, &rng);
            FILE *f = n > 0 ? fopen(out, "wb") : NULL;
            if (f != NULL) {
                ret = fwrite(der + sizeof der - n, 1, (size_t)n, f) == (size_t)n ? 0 : -1;
                fclose(f);
            }
        }
    }
    mbedtls_mpi_free(&serial);
    mbedtls_x509write_crt_free(&w);
    mbedtls_pk_free(&k);
    uvs_rng_free(&rng);
    return ret;
}

static void reading(void)
{
    char err[HKD_ERR_MAX], tmpd[] = "/tmp/test_hkd.XXXXXX", f[600];
    uint8_t coords[160], phkh[32];
    mbedtls_x509_crt c;
    static const uint8_t want_host[32] = {0x24, 0x93, 0x3f, 0x75, 0xee, 0x10, 0x7c, 0x80, 0x6f, 0xe6, 0x02,
                                          0xa7, 0xda, 0x7b, 0x61, 0x0e, 0x54, 0x36, 0x9a, 0xf9, 0x6a, 0x84,
                                          0x7f, 0x2d, 0xcc, 0x4f, 0xcf, 0xdb, 0xd8, 0x1f, 0xbc, 0x05};
    static const uint8_t want_host2[32] = {0x49, 0x1b, 0xc0, 0x60, 0x1f, 0xe8, 0x9f, 0xd7, 0x93, 0xf1, 0xec,
                                           0x85, 0x34, 0xf1, 0xae, 0x63, 0xe9, 0xc2, 0x80, 0x33, 0x1c, 0x24,
                                           0x5c, 0x45, 0x3d, 0x64, 0xaf, 0xc8, 0xb5, 0xaa, 0x1b, 0xcc};

    mbedtls_x509_crt_init(&c);
    OK(hkd_read(path("host.crt"), &c, coords, err) == 0, "read: host.crt (PEM)");
    uvs_phkh(coords, phkh);
    EQ_MEM(phkh, want_host, 32, "read: host.crt PHKH as in the vectors' README");
    mbedtls_x509_crt_free(&c);
    mbedtls_x509_crt_init(&c);
    OK(hkd_read(path("host2.crt"), &c, coords, err) == 0, "read: host2.crt");
    uvs_phkh(coords, phkh);
    EQ_MEM(phkh, want_host2, 32, "read: host2.crt PHKH");
    mbedtls_x509_crt_free(&c);

    mbedtls_x509_crt_init(&c);
    int r = hkd_read(path("ibm.crt"), &c, coords, err);
    OK(r != 0 && strstr(err, "does not contain an EC secp521r1 key") && strstr(err, "ibm.crt"),
       "read: an RSA certificate is refused (wrong key type)");
    mbedtls_x509_crt_free(&c);

    if (mkdtemp(tmpd) == NULL) {
        OK(0, "mkdtemp");
        return;
    }
    snprintf(f, sizeof f, "%s/p256.der", tmpd);
    OK(mint_p256(f) == 0, "read: minted a P-256 certificate (DER)");
    mbedtls_x509_crt_init(&c);
    r = hkd_read(f, &c, coords, err);
    OK(r != 0 && strstr(err, "does not contain an EC secp521r1 key"), "read: a P-256 document is refused");
    mbedtls_x509_crt_free(&c);
    remove(f);

    mbedtls_x509_crt_init(&c);
    r = hkd_read(path("ibm.crl"), &c, coords, err);
    if (!OK(r != 0 && strstr(err, "The provided host key document in ") && strstr(err, "contains no certificate!"),
            "read: a PEM file without certificate"))
        printf("#   %s\n", err);
    mbedtls_x509_crt_free(&c);
    snprintf(f, sizeof f, "printf 'hello, not a certificate\\n' > '%s/junk'; "
             "sed 's/^MII/MIX/' '%s' > '%s/bad.pem'", tmpd, path("host.crt"), tmpd);
    OK(system(f) == 0, "read: made junk files");
    snprintf(f, sizeof f, "%s/junk", tmpd);
    mbedtls_x509_crt_init(&c);
    r = hkd_read(f, &c, coords, err);
    OK(r != 0 && strstr(err, "The provided Host Key Document in '") && strstr(err, "is not in PEM or DER format"),
       "read: neither PEM nor DER");
    mbedtls_x509_crt_free(&c);
    remove(f);
    snprintf(f, sizeof f, "%s/bad.pem", tmpd);
    mbedtls_x509_crt_init(&c);
    r = hkd_read(f, &c, coords, err);
    OK(r != 0 && strstr(err, "is not in PEM or DER format"), "read: a corrupt PEM certificate");
    mbedtls_x509_crt_free(&c);
    remove(f);
    mbedtls_x509_crt_init(&c);
    r = hkd_read(path("no_such_file.crt"), &c, coords, err);
    OK(r != 0 && strstr(err, "no_such_file.crt"), "read: missing file named");
    mbedtls_x509_crt_free(&c);
    snprintf(f, sizeof f, "%s/link.crt", tmpd);
    if (symlink(path("host.crt"), f) == 0) {
        mbedtls_x509_crt_init(&c);
        r = hkd_read(f, &c, coords, err);
        OK(r != 0 && strstr(err, "symbolic link"), "read: a symlink is refused");
        mbedtls_x509_crt_free(&c);
        remove(f);
    } else {
        OK(0, "symlink");
    }
    /* two certificates: the first one is used */
    snprintf(f, sizeof f, "cat '%s' '%s' > '%s/two.crt'", path("host2.crt"), path("host.crt"), tmpd);
    OK(system(f) == 0, "read: made a two-certificate PEM");
    snprintf(f, sizeof f, "%s/two.crt", tmpd);
    mbedtls_x509_crt_init(&c);
    OK(hkd_read(f, &c, coords, err) == 0, "read: two certificates accepted (warning)");
    uvs_phkh(coords, phkh);
    EQ_MEM(phkh, want_host2, 32, "read: the first certificate is used");
    mbedtls_x509_crt_free(&c);
    remove(f);
    rmdir(tmpd);
}

/* Malformed input files: a broken PEM block is an error, not silently skipped. */
static void loading(void)
{
    char tmpd[] = "/tmp/test_hkd_load.XXXXXX", cmd[8192], bad_crl[600], bad_crt[600], mixed[600], der[600];
    char err[HKD_ERR_MAX];
    if (mkdtemp(tmpd) == NULL) {
        OK(0, "mkdtemp");
        return;
    }
    snprintf(bad_crl, sizeof bad_crl, "%s/bad.crl", tmpd);
    snprintf(bad_crt, sizeof bad_crt, "%s/bad_inter.crt", tmpd);
    snprintf(mixed, sizeof mixed, "%s/mixed.crt", tmpd);
    snprintf(der, sizeof der, "%s/inter_ca.der.crl", tmpd);
    snprintf(cmd, sizeof cmd,
             "sed 's/^MII/MIX/' '%s' > '%s' && cat '%s' > '%s' && sed 's/^MII/MIX/' '%s' >> '%s' && "
             "cat '%s' '%s' > '%s' && openssl crl -in '%s' -outform DER -out '%s'",
             path("ibm.crl"), bad_crl, path("ibm.crt"), bad_crt, path("inter_ca.crt"), bad_crt,
             path("inter_ca.crl"), path("inter_ca.crt"), mixed, path("inter_ca.crl"), der);
    OK(system(cmd) == 0, "load: made malformed files");
    int r = run(GOOD_C, L("inter_ca.crl", bad_crl), ROOT, NULL, 0, err);
    expect("load: --crl with a corrupt CRL block -> Cannot load CRL", r, 'A', err, "Cannot load CRL  from ", "bad.crl");
    r = run(L(bad_crt), L("inter_ca.crl"), ROOT, NULL, 0, err);
    expect("load: -C with a corrupt certificate block -> Cannot load certificate", r, 'A', err,
           "Cannot load certificate  from ", "bad_inter.crt");
    r = run(L("ibm.crt", mixed), NONE, ROOT, NULL, 0, err);
    expect("load: -C file with the CRL before the certificate loads both", r, 0, err, NULL, NULL);
    r = run(GOOD_C, L(der), ROOT, NULL, 0, err);
    expect("load: DER --crl file", r, 0, err, NULL, NULL);
    r = run(L("ibm.crt", "inter_ca.crt", "README.md"), L("inter_ca.crl"), ROOT, NULL, 0, err);
    expect("load: -C file that is neither certificate nor CRL", r, 'A', err, "Cannot load certificate  from ",
           "README.md");
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpd);
    OK(system(cmd) == 0, "load: cleaned up");
}

static long file_bytes(const char *f, uint8_t *buf, size_t cap)
{
    FILE *fp = fopen(f, "rb");
    if (fp == NULL)
        return -1;
    size_t n = fread(buf, 1, cap, fp);
    fclose(fp);
    return (long)n;
}

static int write_bytes(const char *f, const uint8_t *buf, size_t n)
{
    FILE *fp = fopen(f, "wb");
    if (fp == NULL)
        return -1;
    size_t w = fwrite(buf, 1, n, fp);
    return fclose(fp) == 0 && w == n ? 0 : -1;
}

/* Every single-byte change of a DER host-key document, and of a DER signing-key CRL,
 * must be refused (and must not crash: this runs under ASan/UBSan). */
static void mutations(void)
{
    char tmpd[] = "/tmp/test_hkd_mut.XXXXXX", cmd[4096], hder[600], cder[600], mut[600], err[HKD_ERR_MAX];
    static uint8_t orig[4096], b[4096];
    if (mkdtemp(tmpd) == NULL) {
        OK(0, "mkdtemp");
        return;
    }
    snprintf(hder, sizeof hder, "%s/host.der", tmpd);
    snprintf(cder, sizeof cder, "%s/ibm.der.crl", tmpd);
    snprintf(mut, sizeof mut, "%s/mut", tmpd);
    snprintf(cmd, sizeof cmd, "openssl x509 -in '%s' -outform DER -out '%s'", path("host.crt"), hder);
    OK(system(cmd) == 0, "mutate: host.crt as DER");

    struct hkd_verify_opts o;
    const char *c[] = {path("ibm.crt"), path("inter_ca.crt")}, *l[] = {path("inter_ca.crl"), path("ibm.crl")};
    memset(&o, 0, sizeof o);
    o.certs = c;
    o.n_certs = 2;
    o.crls = l;
    o.n_crls = 2;
    o.root_ca = path(ROOT);
    o.offline = 1;
    struct hkd_verifier v;
    if (!OK(hkd_verifier_init(&v, &o, err) == 0, "mutate: GOOD verifier"))
        return;
    long n = file_bytes(hder, orig, sizeof orig);
    int accepted = 0, tried = 0;
    for (long i = 0; n > 0 && i < n; i++) {
        memcpy(b, orig, (size_t)n);
        b[i] ^= (uint8_t)(i % 2 ? 0x01 : 0x80);
        if (write_bytes(mut, b, (size_t)n) != 0)
            break;
        mbedtls_x509_crt crt;
        uint8_t xy[160];
        mbedtls_x509_crt_init(&crt);
        if (hkd_read(mut, &crt, xy, err) == 0 && hkd_verify_one(&v, mut, &crt, err) == 0)
            accepted++;
        mbedtls_x509_crt_free(&crt);
        tried++;
    }
    hkd_verifier_free(&v);
    OK(tried == n && tried > 1000, "mutate: every byte of host.crt (DER) changed once");
    EQ_INT(accepted, 0, "mutate: no changed host-key document verifies");

    long m = file_bytes(path("der.crl"), orig, sizeof orig);
    accepted = 0;
    tried = 0;
    for (long i = 0; m > 0 && i < m; i += 3) {
        memcpy(b, orig, (size_t)m);
        b[i] ^= 0x04;
        if (write_bytes(cder, b, (size_t)m) != 0)
            break;
        if (run(L("ibm.crt", "inter_ca.crt"), L("inter_ca.crl", cder), ROOT, "host.crt", 0, err) == 0)
            accepted++;
        tried++;
    }
    OK(tried > 250, "mutate: every third byte of der.crl changed once");
    EQ_INT(accepted, 0, "mutate: no changed signing-key CRL is accepted");
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpd);
    OK(system(cmd) == 0, "mutate: cleaned up");
}

int main(void)
{
    const char *sh = getenv("UVS_SHARED");
    snprintf(pki, sizeof pki, "%s/vectors/pki", sh && *sh ? sh : "../shared");
    part_a();
    part_b();
    dates();
    reading();
    loading();
    mutations();
    return tap_done();
}
