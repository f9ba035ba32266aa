/* hkdverify — test driver for host-tools/hkd.c (the uvsecret command line owns the real
 * options; this only maps arguments onto struct hkd_verify_opts).
 *   hkdverify [-C FILE]... [--crl FILE]... [--root-ca FILE] [--offline] [--crl-cache DIR]
 *             [--no-crl-cache] [--crl-timeout-ms N] [--now EPOCH] [-v] [--no-verify] -k HKD...
 * Prints "OK HKD PHKH" per verified document; on failure one line "hkdverify: reason"
 * on stderr and exit status 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "hkd.h"

#define MAXF 32

static int need(int i, int argc, const char *opt)
{
    if (i + 1 >= argc) {
        fprintf(stderr, "hkdverify: %s needs an argument\n", opt);
        exit(2);
    }
    return i + 1;
}

int main(int argc, char **argv)
{
    const char *certs[MAXF], *crls[MAXF], *hkds[MAXF];
    size_t nk = 0;
    int no_verify = 0;
    struct hkd_verify_opts o;
    memset(&o, 0, sizeof o);
    o.certs = certs;
    o.crls = crls;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-C") && o.n_certs < MAXF)
            certs[o.n_certs++] = argv[i = need(i, argc, a)];
        else if (!strcmp(a, "--crl") && o.n_crls < MAXF)
            crls[o.n_crls++] = argv[i = need(i, argc, a)];
        else if (!strcmp(a, "-k") && nk < MAXF)
            hkds[nk++] = argv[i = need(i, argc, a)];
        else if (!strcmp(a, "--root-ca"))
            o.root_ca = argv[i = need(i, argc, a)];
        else if (!strcmp(a, "--crl-cache"))
            o.crl_cache_dir = argv[i = need(i, argc, a)];
        else if (!strcmp(a, "--crl-timeout-ms"))
            o.crl_timeout_ms = (unsigned)strtoul(argv[i = need(i, argc, a)], NULL, 10);
        else if (!strcmp(a, "--now"))
            o.now = (time_t)strtoll(argv[i = need(i, argc, a)], NULL, 10);
        else if (!strcmp(a, "--offline"))
            o.offline = 1;
        else if (!strcmp(a, "--no-crl-cache"))
            o.no_crl_cache = 1;
        else if (!strcmp(a, "--no-verify"))
            no_verify = 1;
        else if (!strcmp(a, "-v"))
            o.verbose = 1;
        else {
            fprintf(stderr, "hkdverify: unknown argument '%s'\n", a);
            return 2;
        }
    }
    char err[HKD_ERR_MAX];
    struct hkd_verifier v;
    if (!no_verify && hkd_verifier_init(&v, &o, err) != 0) {
        fprintf(stderr, "hkdverify: %s\n", err);
        return 1;
    }
    int rc = 0;
    for (size_t i = 0; i < nk && rc == 0; i++) {
        mbedtls_x509_crt c;
        uint8_t xy[160], h[32];
        mbedtls_x509_crt_init(&c);
        if (hkd_read(hkds[i], &c, xy, err) != 0 || (!no_verify && hkd_verify_one(&v, hkds[i], &c, err) != 0)) {
            fprintf(stderr, "hkdverify: %s\n", err);
            rc = 1;
        } else {
            uvs_phkh(xy, h);
            printf("OK %s ", hkds[i]);
            for (int j = 0; j < 32; j++)
                printf("%02x", h[j]);
            printf("\n");
        }
        mbedtls_x509_crt_free(&c);
    }
    if (!no_verify)
        hkd_verifier_free(&v);
    return rc;
}
