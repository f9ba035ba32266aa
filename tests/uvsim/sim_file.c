/* Hostile-file reading and atomic writing for the simulator (see sim.h). */
#include "sim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sim_read_file(const char *path, size_t max, uint8_t **buf, size_t *len, char *err, size_t err_len)
{
    *buf = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO must not hang (reads of a regular file ignore it). */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        snprintf(err, err_len, "%s: %s", path, errno == ELOOP ? "is a symbolic link" : strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, err_len, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    if ((uint64_t)st.st_size > max) {
        snprintf(err, err_len, "%s: too large (%lld bytes, at most %zu)", path, (long long)st.st_size, max);
        close(fd);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *b = malloc(n + 1);
    if (!b) {
        snprintf(err, err_len, "%s: out of memory", path);
        close(fd);
        return -1;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, b + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            snprintf(err, err_len, "%s: %s", path, r < 0 ? strerror(errno) : "file shrank while reading");
            sim_free_file(b, n + 1);
            close(fd);
            return -1;
        }
        got += (size_t)r;
    }
    /* A file that grew meanwhile is refused rather than silently cut. */
    uint8_t extra;
    ssize_t r = read(fd, &extra, 1);
    close(fd);
    if (r != 0) {
        snprintf(err, err_len, "%s: file changed while reading", path);
        sim_free_file(b, n + 1);
        return -1;
    }
    b[n] = 0;
    *buf = b;
    *len = n;
    return 0;
}

void sim_free_file(uint8_t *buf, size_t len)
{
    if (buf) {
        uvs_wipe(buf, len);
        free(buf);
    }
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int sim_write_atomic(const char *path, const uint8_t *data, size_t len, int public_file, char *err,
                     size_t err_len)
{
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(err, err_len, "%s: exists and is not a regular file", path);
        return -1;
    }
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp) {
        snprintf(err, err_len, "%s: path too long", path);
        return -1;
    }
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, public_file ? 0644 : 0600);
    if (fd < 0) {
        snprintf(err, err_len, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        snprintf(err, err_len, "%s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        return -1;
    }
    if (close(fd) != 0 || rename(tmp, path) != 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int sim_write_new(const char *path, const uint8_t *data, size_t len, int public_file, char *err,
                  size_t err_len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, public_file ? 0644 : 0600);
    if (fd < 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    int bad = write_all(fd, data, len) != 0 || fsync(fd) != 0;
    int saved = errno;
    if (close(fd) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    if (bad) {
        snprintf(err, err_len, "%s: %s", path, strerror(saved));
        unlink(path);
        return -1;
    }
    return 0;
}
