/* CRL cache and the shared file reader (crl_cache.h). */
#include "crl_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

#include "crypto.h"

int crl_read_file(const char *path, size_t max, uint8_t **buf, size_t *len,
                  char reason[CRL_REASON_MAX])
{
    *buf = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        snprintf(reason, CRL_REASON_MAX, "%s", errno == ELOOP ? "is a symbolic link" : strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(reason, CRL_REASON_MAX, "not a regular file");
        close(fd);
        return -1;
    }
    if (st.st_size < 0 || (uint64_t)st.st_size > max) {
        snprintf(reason, CRL_REASON_MAX, "file too large (more than %zu bytes)", max);
        close(fd);
        return -1;
    }
    size_t want = (size_t)st.st_size;
    uint8_t *b = malloc(want + 1);
    if (b == NULL) {
        snprintf(reason, CRL_REASON_MAX, "out of memory");
        close(fd);
        return -1;
    }
    size_t got = 0;
    while (got < want) {
        ssize_t r = read(fd, b + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            snprintf(reason, CRL_REASON_MAX, "%s", r < 0 ? strerror(errno) : "file shrank while reading");
            close(fd);
            free(b);
            return -1;
        }
        got += (size_t)r;
    }
    close(fd);
    b[want] = 0;
    *buf = b;
    *len = want;
    return 0;
}

void crl_buf_free(uint8_t *buf, size_t len)
{
    if (buf == NULL)
        return;
    mbedtls_platform_zeroize(buf, len);
    free(buf);
}

int crl_cache_dir(const char *dir, char out[CRL_CACHE_PATH_MAX])
{
    int n;
    const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
    if (dir != NULL && dir[0] != 0)
        n = snprintf(out, CRL_CACHE_PATH_MAX, "%s", dir);
    else if (x != NULL && x[0] == '/')
        n = snprintf(out, CRL_CACHE_PATH_MAX, "%s/uvsecret/crl", x);
    else if (h != NULL && h[0] == '/')
        n = snprintf(out, CRL_CACHE_PATH_MAX, "%s/.cache/uvsecret/crl", h);
    else
        return -1;
    return n > 0 && n < CRL_CACHE_PATH_MAX ? 0 : -1;
}

static int entry_path(const char *dir, const char *url, char path[CRL_CACHE_PATH_MAX])
{
    uint8_t h[32];
    char hex[65];
    uvs_sha256(url, strlen(url), h);
    for (size_t i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", h[i]);
    int n = snprintf(path, CRL_CACHE_PATH_MAX, "%s/%s.crl", dir, hex);
    return n > 0 && n < CRL_CACHE_PATH_MAX ? 0 : -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (civil-from-days inverse). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int crl_time_cmp(const mbedtls_x509_time *t, time_t now)
{
    int64_t s = days_from_civil(t->year, t->mon, t->day) * 86400 + (int64_t)t->hour * 3600 +
                (int64_t)t->min * 60 + t->sec;
    int64_t n = (int64_t)now;
    return s < n ? -1 : s > n ? 1 : 0;
}

int crl_time_before(const mbedtls_x509_time *t, time_t now)
{
    return crl_time_cmp(t, now) < 0;
}

/* The cache directory must be ours alone: a real directory (not a symbolic link), owned
 * by the effective user, not writable by group or others.  Otherwise anyone who can
 * write there could plant an older, still current CRL of the right issuer (one that
 * does not list a revoked host-key document yet) and it would be used instead of a
 * download.  0 if usable, else -1 with a reason. */
static int dir_private(const char *dir, char reason[CRL_REASON_MAX])
{
    struct stat st;
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(reason, CRL_REASON_MAX, "%.120s is not a directory", dir);
        return -1;
    }
    if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        snprintf(reason, CRL_REASON_MAX, "%.100s is %s; not used", dir,
                 st.st_uid != geteuid() ? "owned by another user" : "writable by other users");
        return -1;
    }
    return 0;
}

int crl_cache_get(const char *dir, const char *url, time_t now, mbedtls_x509_crl *chain,
                  char path[CRL_CACHE_PATH_MAX])
{
    char reason[CRL_REASON_MAX];
    uint8_t *buf;
    size_t len;
    path[0] = 0;
    if (dir_private(dir, reason) != 0)
        return 0;
    if (entry_path(dir, url, path) != 0 || crl_read_file(path, CRL_FILE_MAX, &buf, &len, reason) != 0)
        return 0;
    mbedtls_x509_crl one;
    mbedtls_x509_crl_init(&one);
    int hit = mbedtls_x509_crl_parse_der(&one, buf, len) == 0 && one.next == NULL &&
              one.next_update.year != 0 && crl_time_cmp(&one.next_update, now) > 0;
    mbedtls_x509_crl_free(&one);
    if (hit)
        hit = mbedtls_x509_crl_parse_der(chain, buf, len) == 0;
    crl_buf_free(buf, len);
    return hit;
}

static int mkdirs(char *p)
{
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        int r = mkdir(p, 0700);
        *s = '/';
        if (r != 0 && errno != EEXIST)
            return -1;
    }
    return mkdir(p, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

int crl_cache_put(const char *dir, const char *url, const uint8_t *der, size_t len,
                  char reason[CRL_REASON_MAX])
{
    char d[CRL_CACHE_PATH_MAX], path[CRL_CACHE_PATH_MAX], tmp[CRL_CACHE_PATH_MAX + 16];
    snprintf(d, sizeof d, "%s", dir);
    if (mkdirs(d) != 0) {
        snprintf(reason, CRL_REASON_MAX, "cannot create %.96s: %.40s", dir, strerror(errno));
        return -1;
    }
    if (dir_private(dir, reason) != 0)
        return -1;
    if (entry_path(dir, url, path) != 0) {
        snprintf(reason, CRL_REASON_MAX, "cache path too long");
        return -1;
    }
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(reason, CRL_REASON_MAX, "cannot create %.96s: %.40s", tmp, strerror(errno));
        return -1;
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, der + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    int bad = off != len;
    if (fsync(fd) != 0)
        bad = 1;
    if (close(fd) != 0)
        bad = 1;
    if (bad) {
        snprintf(reason, CRL_REASON_MAX, "cannot write %.120s", tmp);
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        snprintf(reason, CRL_REASON_MAX, "cannot rename to %.96s: %.40s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
