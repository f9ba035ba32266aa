/* Online CRL retrieval through libcurl (crl_fetch.h). */
#include "crl_fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <mbedtls/asn1.h>

#include "hkd_x509.h"

/* id-ce-cRLDistributionPoints 2.5.29.31 */
static const unsigned char OID_CRL_DP[] = {0x55, 0x1d, 0x1f};

size_t crl_dp_uris(const mbedtls_x509_crt *crt, char uris[CRL_DP_MAX][CRL_URI_MAX])
{
    unsigned char *p, *end;
    size_t len, n = 0;
    if (hkd_find_ext(&crt->v3_ext, OID_CRL_DP, sizeof OID_CRL_DP, &p, &len) != 0)
        return 0;
    end = p + len;
    /* CRLDistributionPoints ::= SEQUENCE OF DistributionPoint */
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0 ||
        p + len != end)
        return 0;
    while (p < end && n < CRL_DP_MAX) {
        if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0)
            return n;
        unsigned char *dp_end = p + len, *q = p;
        p = dp_end;
        /* distributionPoint [0] EXPLICIT DistributionPointName, fullName [0] IMPLICIT GeneralNames */
        size_t l0, l1;
        if (mbedtls_asn1_get_tag(&q, dp_end, &l0, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0) != 0)
            continue;
        unsigned char *dpn_end = q + l0;
        if (mbedtls_asn1_get_tag(&q, dpn_end, &l1, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0) != 0)
            continue;
        unsigned char *gn_end = q + l1;
        while (q < gn_end && n < CRL_DP_MAX) {
            unsigned char tag, *gv;
            size_t gl;
            if (hkd_next_tlv(&q, gn_end, &tag, &gv, &gl) != 0)
                break;
            /* uniformResourceIdentifier [6] IMPLICIT IA5String */
            if (tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 6) && gl < CRL_URI_MAX && memchr(gv, 0, gl) == NULL) {
                memcpy(uris[n], gv, gl);
                uris[n][gl] = 0;
                n++;
            }
        }
    }
    return n;
}

struct body {
    uint8_t *p;
    size_t len, cap;
    int too_big;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct body *b = ctx;
    size_t n = size * nmemb;
    if (nmemb != 0 && n / nmemb != size)
        return 0;
    if (n > CRL_FILE_MAX - b->len) {
        b->too_big = 1;
        return 0;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->len + n + 1)
            cap *= 2;
        uint8_t *np = realloc(b->p, cap);
        if (np == NULL)
            return 0;
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return n;
}

int crl_fetch_url(const char *url, unsigned timeout_ms, uint8_t **body, size_t *len,
                  char reason[CRL_REASON_MAX])
{
    *body = NULL;
    *len = 0;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        snprintf(reason, CRL_REASON_MAX, "not an http or https URL");
        return -1;
    }
    CURL *c = curl_easy_init();
    if (c == NULL) {
        snprintf(reason, CRL_REASON_MAX, "cannot initialise libcurl");
        return -1;
    }
    struct body b = {0};
    char cerr[CURL_ERROR_SIZE] = "";
    long ms = timeout_ms ? (long)timeout_ms : (long)CRL_FETCH_TIMEOUT_MS;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, CRL_USER_AGENT);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 1L);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK || status < 200 || status > 299 || b.len == 0) {
        if (b.too_big)
            snprintf(reason, CRL_REASON_MAX, "response larger than %u bytes", CRL_FILE_MAX);
        else if (rc != CURLE_OK)
            snprintf(reason, CRL_REASON_MAX, "%s", cerr[0] ? cerr : curl_easy_strerror(rc));
        else if (status < 200 || status > 299)
            snprintf(reason, CRL_REASON_MAX, "HTTP status %ld", status);
        else
            snprintf(reason, CRL_REASON_MAX, "empty response");
        free(b.p);
        return -1;
    }
    b.p[b.len] = 0;
    *body = b.p;
    *len = b.len;
    return 0;
}
