/* Minimal TAP output for C test programs: one "ok N - what" or "not ok N - what"
 * line per check, summed by tests/run-tests.sh.  Header-only on purpose: every test
 * program includes it once. */
#ifndef UVS_TAP_H
#define UVS_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n;
static int tap_failed;

static inline int tap_check(int cond, const char *file, int line, const char *what)
{
    ++tap_n;
    if (cond) {
        printf("ok %d - %s\n", tap_n, what);
    } else {
        ++tap_failed;
        printf("not ok %d - %s\n#   at %s:%d\n", tap_n, what, file, line);
    }
    fflush(stdout);
    return cond;
}

/* OK(cond, "what") records one check. */
#define OK(cond, what) tap_check(!!(cond), __FILE__, __LINE__, (what))
/* EQ_MEM(a, b, n, "what") compares n bytes; prints both in hex on failure. */
#define EQ_MEM(a, b, n, what) tap_eq_mem((a), (b), (n), __FILE__, __LINE__, (what))
#define EQ_INT(a, b, what) tap_eq_long((long long)(a), (long long)(b), __FILE__, __LINE__, (what))

static inline void tap_hex(const char *tag, const unsigned char *p, size_t n)
{
    printf("#   %s: ", tag);
    for (size_t i = 0; i < n && i < 64; i++)
        printf("%02x", p[i]);
    printf("%s\n", n > 64 ? "..." : "");
}

static inline int tap_eq_mem(const void *a, const void *b, size_t n, const char *file,
                             int line, const char *what)
{
    int same = a && b && memcmp(a, b, n) == 0;
    if (!tap_check(same, file, line, what) && a && b) {
        tap_hex("got ", a, n);
        tap_hex("want", b, n);
    }
    return same;
}

static inline int tap_eq_long(long long a, long long b, const char *file, int line,
                              const char *what)
{
    int same = a == b;
    if (!tap_check(same, file, line, what))
        printf("#   got %lld, want %lld\n", a, b);
    return same;
}

/* Reads the shared test vector file $UVS_SHARED/rel (default ../shared: tests run from
 * the repository root) into buf.  Returns its length, or 0 (with a TAP comment) if it is
 * missing, unreadable or larger than cap; callers then fail their checks. */
static inline size_t tap_slurp_shared(const char *rel, unsigned char *buf, size_t cap)
{
    const char *base = getenv("UVS_SHARED");
    char path[1024];
    FILE *f;
    size_t n;
    snprintf(path, sizeof(path), "%s/%s", base && *base ? base : "../shared", rel);
    f = fopen(path, "rb");
    if (!f) {
        printf("# cannot open %s\n", path);
        return 0;
    }
    n = fread(buf, 1, cap, f);
    if (n == cap && fgetc(f) != EOF) {
        printf("# %s is larger than %zu bytes\n", path, cap);
        n = 0;
    }
    fclose(f);
    return n;
}

/* Exit status for main(): non-zero if any check failed. */
static inline int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
