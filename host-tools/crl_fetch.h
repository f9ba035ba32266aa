/* Online CRL retrieval (HKV §6): CRL distribution points of a certificate and an HTTP(S)
 * GET of each, through libcurl.  Redirects are followed, only http and https are
 * allowed, the whole transfer is bounded by a timeout and by CRL_FILE_MAX bytes. */
#ifndef UVS_CRL_FETCH_H
#define UVS_CRL_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/x509_crt.h>

#include "crl_cache.h"

#define CRL_DP_MAX 8           /* distribution-point URIs considered per certificate */
#define CRL_URI_MAX 512
#define CRL_FETCH_TIMEOUT_MS 3000u
#define CRL_USER_AGENT "s390-tools-pv-crl"

/* The full-name URIs of crt's CRL Distribution Points extension, in order (at most
 * CRL_DP_MAX; URIs longer than CRL_URI_MAX-1 or holding NUL bytes are skipped).
 * Returns their number (0 without the extension or if it is malformed). */
size_t crl_dp_uris(const mbedtls_x509_crt *crt, char uris[CRL_DP_MAX][CRL_URI_MAX]);

/* GET url (http/https only, redirects followed, timeout_ms for the whole transfer,
 * 0 = CRL_FETCH_TIMEOUT_MS).  Returns 0 with a fresh NUL-terminated *body (free with
 * crl_buf_free), or -1 with a reason ("HTTP 404", "Timeout was reached", ...). */
int crl_fetch_url(const char *url, unsigned timeout_ms, uint8_t **body, size_t *len,
                  char reason[CRL_REASON_MAX]);

#endif
