/* Small helpers of uvsecret-early: messages, whole-buffer I/O, bounded safe reads of
 * untrusted files, wiping.  No allocation anywhere. */
#ifndef EARLY_UTIL_H
#define EARLY_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define EARLY_PROG "uvsecret-early"
#define EARLY_PATH_MAX 1024

/* One line "uvsecret-early: MESSAGE\n" on stderr. */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes all n bytes (retrying on EINTR / short writes).  0 or -1 (errno set). */
int write_all(int fd, const void *buf, size_t n);

/* Opens an untrusted file relative to dirfd (AT_FDCWD for a path) refusing symlinks
 * (O_NOFOLLOW), FIFOs and devices (O_NONBLOCK + fstat S_ISREG), and reads it whole into
 * buf.  Files larger than cap are refused without reading them whole.
 * Returns 0 and sets *len, or -1 with a short reason in *why ("not a regular file",
 * "larger than N bytes", strerror text ...). */
int read_file_safe(int dirfd, const char *name, uint8_t *buf, size_t cap, size_t *len,
                   const char **why);

/* Creates path (mode, O_EXCL|O_NOFOLLOW) via a temporary name in the same directory and
 * renames it into place only after every byte was written and synced: never a partial
 * file.  replace: 0 refuses an existing target.  Returns 0 or -1 (errno set). */
int write_file_atomic(const char *path, const void *buf, size_t n, unsigned mode, int replace);

/* Zeroes memory in a way the compiler may not drop. */
void wipe(void *p, size_t n);

/* snprintf that reports truncation: 0 if the whole string fitted, else -1. */
int fmt(char *out, size_t cap, const char *f, ...) __attribute__((format(printf, 3, 4)));

/* Appends a JSON string literal (with quotes) for s[0..n) to out, escaping every byte
 * outside printable ASCII as \u00XX.  Returns 0, or -1 if out (cap bytes incl. NUL,
 * current length *pos) is too small. */
int json_str(char *out, size_t cap, size_t *pos, const char *s, size_t n);
/* Appends formatted text to out at *pos. 0 or -1 on truncation. */
int json_add(char *out, size_t cap, size_t *pos, const char *f, ...)
    __attribute__((format(printf, 4, 5)));

/* Parses a decimal unsigned number <= max (the whole string).  0 or -1. */
int parse_uint(const char *s, unsigned long max, unsigned long *out);

#endif
