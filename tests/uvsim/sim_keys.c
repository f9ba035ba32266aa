/* Host private keys and host-key certificates for the simulator (see sim.h).
 * mbedTLS public API only, through crypto.h's uvs_pk_* helpers. */
#include "sim.h"

#include <stdio.h>
#include <string.h>

#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#define KEY_FILE_MAX (64 * 1024)

int sim_load_host_key(const char *path, uint8_t priv[UVS_P521_SCALAR_LEN], uint8_t pub[UVS_P521_PUB_LEN],
                      char *err, size_t err_len)
{
    uint8_t *buf;
    size_t len;
    if (sim_read_file(path, KEY_FILE_MAX, &buf, &len, err, err_len) != 0)
        return -1;
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    struct uvs_rng rng;
    if (uvs_rng_init(&rng) != 0) {
        snprintf(err, err_len, "%s: cannot seed the random generator", path);
        sim_free_file(buf, len + 1);
        return -1;
    }
    /* PEM needs the terminating NUL counted; try DER (exact length) first. */
    int rc = uvs_pk_parse_key(&pk, buf, len, &rng);
    if (rc != 0)
        rc = uvs_pk_parse_key(&pk, buf, len + 1, &rng);
    uvs_rng_free(&rng);
    sim_free_file(buf, len + 1);
    if (rc != 0) {
        snprintf(err, err_len, "%s: not a PEM or DER private key", path);
        mbedtls_pk_free(&pk);
        return -1;
    }
    uint8_t check[UVS_P521_PUB_LEN];
    if (uvs_pk_p521_pub(&pk, pub) != 0 || uvs_pk_ec_scalar(&pk, priv, UVS_P521_SCALAR_LEN) != 0 ||
        uvs_p521_pub_from_priv(priv, UVS_P521_SCALAR_LEN, check) != 0 || memcmp(check, pub, sizeof check) != 0) {
        snprintf(err, err_len, "%s: not an EC secp521r1 private key", path);
        mbedtls_pk_free(&pk);
        uvs_wipe(priv, UVS_P521_SCALAR_LEN);
        return -1;
    }
    mbedtls_pk_free(&pk);
    return 0;
}

int sim_load_host_cert(const char *path, uint8_t pub[UVS_P521_PUB_LEN], char *err, size_t err_len)
{
    uint8_t *buf;
    size_t len;
    if (sim_read_file(path, KEY_FILE_MAX, &buf, &len, err, err_len) != 0)
        return -1;
    if (len == UVS_P521_PUB_LEN) {
        memcpy(pub, buf, UVS_P521_PUB_LEN);
        sim_free_file(buf, len + 1);
        if (!uvs_p521_pub_valid(pub)) {
            snprintf(err, err_len, "%s: not a P-521 public key (X80|Y80)", path);
            return -1;
        }
        return 0;
    }
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    int rc = mbedtls_x509_crt_parse_der(&crt, buf, len);
    if (rc != 0) {
        mbedtls_x509_crt_free(&crt);
        mbedtls_x509_crt_init(&crt);
        rc = mbedtls_x509_crt_parse(&crt, buf, len + 1);
    }
    sim_free_file(buf, len + 1);
    if (rc != 0) {
        snprintf(err, err_len, "%s: not a PEM or DER X.509 certificate", path);
        mbedtls_x509_crt_free(&crt);
        return -1;
    }
    rc = uvs_pk_p521_pub(&crt.pk, pub);
    mbedtls_x509_crt_free(&crt);
    if (rc != 0) {
        snprintf(err, err_len, "%s: the certificate's key is not EC secp521r1", path);
        return -1;
    }
    return 0;
}
