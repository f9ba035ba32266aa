/* Host-key documents: reading them and verifying them against the IBM Z signing key,
 * its CA chain and CRLs (shared/spec/host-key-verification.md, "HKV §n").  mbedTLS. */
#ifndef UVS_HKD_H
#define UVS_HKD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

/* Error text buffer: every failure is described in one line naming the file. */
#define HKD_ERR_MAX 512

/* Inputs of a verification run, exactly the create options (HKV §1). */
struct hkd_verify_opts {
    const char *const *certs;    /* -C files (DER or PEM, may hold CRLs too)      */
    size_t n_certs;
    const char *const *crls;     /* --crl files (each must yield >= 1 CRL)        */
    size_t n_crls;
    const char *root_ca;         /* --root-ca file, NULL = system store           */
    int offline;                 /* --offline: never download CRLs                */
    int verbose;                 /* log where each CRL came from (stderr)         */
    /* Added fields; a zero-initialised struct gives the defaults. */
    time_t now;                  /* 0 = current time; else the "now" of HKV §5.3/§5.7
                                    and of every CRL date check (tests)            */
    const char *crl_cache_dir;   /* --crl-cache DIR; NULL = $XDG_CACHE_HOME/uvsecret/crl
                                    or ~/.cache/uvsecret/crl                       */
    int no_crl_cache;            /* --no-crl-cache: neither read nor write the cache */
    unsigned crl_timeout_ms;     /* --crl-timeout SEC * 1000; 0 = 3000 ms per URL  */
};

struct hkd_crl_src;              /* where a loaded CRL came from (hkd.c)           */

/* What stays loaded after the signing key was verified (part A).  Filled by
 * hkd_verifier_init; do not copy it (CRL origins point into it).  Unless `offline`, part
 * A downloads the first CRL of each -C certificate's distribution points and
 * hkd_verify_one that of each document (HKV §6; cache and details: docs/revocation.md);
 * with `verbose`, one line per certificate on stderr names where its CRL came from. */
struct hkd_verifier {
    mbedtls_x509_crt certs;      /* every -C certificate                           */
    mbedtls_x509_crt roots;      /* trust anchors                                  */
    mbedtls_x509_crl crls;       /* every CRL from --crl, -C, --root-ca, downloads */
    const mbedtls_x509_crt *signing_key; /* points into certs                      */
    int offline;
    int verbose;
    time_t now;                  /* 0 = current time at each check                 */
    const char *cache_dir;       /* NULL = no cache                                */
    unsigned timeout_ms;
    struct hkd_crl_src *srcs;    /* origin of every CRL in crls                    */
    size_t n_srcs, cap_srcs;
    char *cache_dir_buf;         /* owned copy behind cache_dir                    */
};

/* Loads everything and verifies the signing key's chain (HKV §2-§4).
 * Returns 0, or -1 with err set ("Specify one IBM Z signing key", "The IBM Z signing
 * key could not be verified. Error occurred at level N: <reason>", "Cannot load CRL
 * from FILE", ...).  On error the verifier is freed. */
int hkd_verifier_init(struct hkd_verifier *v, const struct hkd_verify_opts *o, char err[HKD_ERR_MAX]);
void hkd_verifier_free(struct hkd_verifier *v);

/* Reads one host-key document (DER, else PEM; first certificate; warns on stderr about
 * more than one) and requires an EC secp521r1 key (also for --no-verify).  On success
 * fills the 160-byte X80|Y80 coordinate block.  `crt` must be initialised by the caller
 * and is freed by it.  Every message set in err names the file. */
int hkd_read(const char *path, mbedtls_x509_crt *crt, uint8_t coords[160], char err[HKD_ERR_MAX]);

/* Part B for one document (HKV §5): key strength, validity, AKID, signature, CRLs,
 * revocation.  Returns 0, or -1 with err = "Host-key verification failed: <reason>"
 * naming the file. */
int hkd_verify_one(const struct hkd_verifier *v, const char *path, const mbedtls_x509_crt *hkd,
                   char err[HKD_ERR_MAX]);

#endif
