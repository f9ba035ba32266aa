#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void msg(const char *f, ...)
{
    char line[1024];
    va_list ap;
    size_t n;
    int r;

    memcpy(line, EARLY_PROG ": ", sizeof(EARLY_PROG ": ") - 1);
    n = sizeof(EARLY_PROG ": ") - 1;
    va_start(ap, f);
    r = vsnprintf(line + n, sizeof(line) - n - 1, f, ap);
    va_end(ap);
    if (r < 0)
        r = 0;
    n += (size_t)r < sizeof(line) - n - 1 ? (size_t)r : sizeof(line) - n - 2;
    line[n++] = '\n';
    (void)write_all(2, line, n);
}

int write_all(int fd, const void *buf, size_t n)
{
    const uint8_t *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (w == 0) {
            errno = EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int read_file_safe(int dirfd, const char *name, uint8_t *buf, size_t cap, size_t *len,
                   const char **why)
{
    struct stat st;
    size_t got = 0;
    int fd;

    *len = 0;
    fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        *why = errno == ELOOP ? "is a symbolic link" : strerror(errno);
        return -1;
    }
    if (fstat(fd, &st) != 0) {
        *why = strerror(errno);
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
        close(fd);
        return -1;
    }
    if (st.st_size < 0 || (uint64_t)st.st_size > cap) {
        *why = "file too large";
        close(fd);
        return -1;
    }
    for (;;) {
        ssize_t r;
        if (got == cap) {
            /* The file may have grown after fstat: one more byte means too large. */
            uint8_t extra;
            r = read(fd, &extra, 1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r != 0) {
                *why = r > 0 ? "file too large" : strerror(errno);
                close(fd);
                return -1;
            }
            break;
        }
        r = read(fd, buf + got, cap - got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            *why = strerror(errno);
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    *len = got;
    return 0;
}

int write_file_atomic(const char *path, const void *buf, size_t n, unsigned mode, int replace)
{
    char tmp[EARLY_PATH_MAX];
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    struct stat st;
    int fd, saved;

    if (!replace && lstat(path, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
    if (fmt(tmp, sizeof(tmp), "%.*s.%s.tmp%ld", (int)dirlen, path, path + dirlen,
            (long)getpid()) != 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0)
        return -1;
    if (write_all(fd, buf, n) != 0 || fchmod(fd, mode) != 0 || fsync(fd) != 0) {
        saved = errno;
        close(fd);
        unlink(tmp);
        errno = saved;
        return -1;
    }
    if (close(fd) != 0) {
        saved = errno;
        unlink(tmp);
        errno = saved;
        return -1;
    }
    if (!replace) {
        /* link() fails on an existing target: no window where an old file is replaced. */
        if (link(tmp, path) != 0) {
            saved = errno;
            unlink(tmp);
            errno = saved;
            return -1;
        }
        unlink(tmp);
        return 0;
    }
    if (rename(tmp, path) != 0) {
        saved = errno;
        unlink(tmp);
        errno = saved;
        return -1;
    }
    return 0;
}

void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n--)
        *v++ = 0;
}

int fmt(char *out, size_t cap, const char *f, ...)
{
    va_list ap;
    int r;
    va_start(ap, f);
    r = vsnprintf(out, cap, f, ap);
    va_end(ap);
    return (r < 0 || (size_t)r >= cap) ? -1 : 0;
}

int json_add(char *out, size_t cap, size_t *pos, const char *f, ...)
{
    va_list ap;
    int r;
    if (*pos >= cap)
        return -1;
    va_start(ap, f);
    r = vsnprintf(out + *pos, cap - *pos, f, ap);
    va_end(ap);
    if (r < 0 || (size_t)r >= cap - *pos)
        return -1;
    *pos += (size_t)r;
    return 0;
}

int json_str(char *out, size_t cap, size_t *pos, const char *s, size_t n)
{
    if (json_add(out, cap, pos, "\"") != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int r;
        if (c == '"' || c == '\\')
            r = json_add(out, cap, pos, "\\%c", c);
        else if (c < 0x20 || c > 0x7e)
            r = json_add(out, cap, pos, "\\u%04x", c);
        else
            r = json_add(out, cap, pos, "%c", c);
        if (r != 0)
            return -1;
    }
    return json_add(out, cap, pos, "\"");
}

int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        if (v > (max - (unsigned long)(*s - '0')) / 10)
            return -1;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    *out = v;
    return 0;
}
