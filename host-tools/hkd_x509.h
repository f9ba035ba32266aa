/* X.509 pieces the host-key verifier needs beyond mbedTLS's public API, read from the DER
 * buffers mbedTLS exposes (raw, v3_ext, crl_ext, pk_raw) with the mbedtls_asn1_* parsers,
 * so they work on mbedTLS 2.28 and 3.6 without private fields: extensions, key
 * identifiers, signatures, names (shared/spec/host-key-verification.md, "HKV §n"). */
#ifndef UVS_HKD_X509_H
#define UVS_HKD_X509_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/pk.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#define NAME_MAX_ENTRIES 16

/* Finds extension oid in an Extensions SEQUENCE as mbedTLS keeps it (crt->v3_ext,
 * crl->crl_ext).  0 with the extnValue contents, -1 if absent or malformed. */
int hkd_find_ext(const mbedtls_x509_buf *exts, const unsigned char *oid, size_t oid_len,
                 unsigned char **val, size_t *val_len);
/* Reads the next element of a constructed value's contents, whatever its tag:
 * *tag, and *val, *val_len its contents (checked to lie before end); advances *p past it.
 * 0, or -1 if nothing or only a malformed element is left. */
int hkd_next_tlv(unsigned char **p, const unsigned char *end, unsigned char *tag, unsigned char **val,
                 size_t *val_len);
/* Subject Key Identifier: 0 with the key id bytes, -1 if absent or malformed. */
int hkd_skid(const mbedtls_x509_crt *c, const unsigned char **id, size_t *id_len);
/* OpenSSL's X509_check_akid: 1 if the Authority Key Identifier in exts (absent = 1)
 * names the certificate c (key id = c's SKID; issuer and serial, if given, = c's). */
int hkd_akid_matches(const mbedtls_x509_buf *exts, const mbedtls_x509_crt *c);
/* Serial numbers equal after dropping leading zero bytes. */
int hkd_serial_eq(const unsigned char *a, size_t an, const unsigned char *b, size_t bn);
/* Verifies the signature of a certificate or CRL (its raw DER) with key, using the
 * object's own algorithm (PKCS#1 v1.5, RSASSA-PSS, ECDSA; SHA-224..512 only).
 * 0 if the signature is good. */
int hkd_sig_check(const mbedtls_x509_buf *raw, const mbedtls_pk_context *key);
/* Approximate security bits of a public key (OpenSSL's level 2 wants >= 112). */
int hkd_security_bits(const mbedtls_pk_context *pk);
/* secp521r1 SubjectPublicKeyInfo -> X80|Y80 (left-padded), point checked on the curve.
 * 0, or -1 if the certificate does not hold such a key. */
int hkd_p521_coords(const mbedtls_x509_crt *c, uint8_t coords[160]);

/* A name as a flat list of attributes (pointers into the certificate or CRL). */
struct hkd_name_ent {
    const unsigned char *oid, *val;
    size_t oid_len, val_len;
};
struct hkd_name {
    struct hkd_name_ent e[NAME_MAX_ENTRIES];
    size_t n;
};

/* 0, or -1 if the name has more than NAME_MAX_ENTRIES attributes. */
int hkd_name_from(const mbedtls_x509_name *x, struct hkd_name *out);
/* The first attribute of type oid, or NULL. */
const struct hkd_name_ent *hkd_name_first(const struct hkd_name *n, const char *oid, size_t oid_len);
/* 1 if the attribute's value is exactly s. */
int hkd_name_val_is(const struct hkd_name_ent *e, const char *s);
/* OpenSSL's X509_NAME_cmp: same attributes in the same order, values equal after
 * ASCII case folding and white-space normalisation.  1 if equal. */
int hkd_name_eq(const struct hkd_name *a, const struct hkd_name *b);
/* The name reordered C, O, OU, L, ST, CN (first entry of each type; HKV §5.6). */
void hkd_name_reorder(const struct hkd_name *in, struct hkd_name *out);
/* HKV §3: 1 if c's subject is that of an IBM Z signing key. */
int hkd_is_signing_key(const mbedtls_x509_crt *c);

#endif
