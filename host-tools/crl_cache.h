/* CRL cache for online revocation checking (docs/revocation.md) and the small, hostile-
 * input-safe file reader the host-key verifier shares with it.
 *
 * One DER file per distribution-point URL: DIR/<sha256(URL) in hex>.crl.  A cached CRL
 * is reused while now < nextUpdate; it is only written after its signature was verified
 * by the caller, and the caller re-verifies it on every use (the cache is not trusted). */
#ifndef UVS_CRL_CACHE_H
#define UVS_CRL_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <mbedtls/x509_crl.h>

#define CRL_REASON_MAX 160
#define CRL_FILE_MAX (8u << 20)     /* largest certificate/CRL file or download */
#define CRL_CACHE_PATH_MAX 512

/* Reads a regular file (no symlinks, at most max bytes) into a fresh buffer with one
 * extra NUL byte after the data (PEM parsers want it; *len excludes it).  Returns 0,
 * or -1 with a reason.  Free with crl_buf_free. */
int crl_read_file(const char *path, size_t max, uint8_t **buf, size_t *len,
                  char reason[CRL_REASON_MAX]);
void crl_buf_free(uint8_t *buf, size_t len);

/* The cache directory: dir if non-NULL, else $XDG_CACHE_HOME/uvsecret/crl, else
 * $HOME/.cache/uvsecret/crl.  Returns 0, or -1 if no directory can be named. */
int crl_cache_dir(const char *dir, char out[CRL_CACHE_PATH_MAX]);

/* Looks url up in the cache directory.  On a hit (file parses as one CRL that has a
 * nextUpdate later than now) appends the CRL to chain, names the file in path and
 * returns 1; returns 0 on a miss (absent, unreadable, unparsable or outdated, or dir
 * not private: a symbolic link, not owned by the effective user, or group/other
 * writable). */
int crl_cache_get(const char *dir, const char *url, time_t now, mbedtls_x509_crl *chain,
                  char path[CRL_CACHE_PATH_MAX]);

/* Stores a DER CRL for url (directories created 0700, file written to a temporary name
 * and renamed; refused if dir is not private, as above).  Returns 0, or -1 with a
 * reason. */
int crl_cache_put(const char *dir, const char *url, const uint8_t *der, size_t len,
                  char reason[CRL_REASON_MAX]);

/* 1 if the time t (an X.509 time) is strictly before now, 0 otherwise. */
int crl_time_before(const mbedtls_x509_time *t, time_t now);
/* -1, 0, 1 as t is before, equal to, after now (second resolution, UTC). */
int crl_time_cmp(const mbedtls_x509_time *t, time_t now);

#endif
