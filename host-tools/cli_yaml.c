/* NAME.yaml, its path, and --cuid files (see cli_yaml.h). */
#include "cli_yaml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "hex.h"

/* ---- Scalar quoting (ASR §8.2) -------------------------------------------------- */

static int is_digit_base(char c, unsigned base)
{
    if (base == 2)
        return c == '0' || c == '1';
    if (base == 8)
        return c >= '0' && c <= '7';
    if (base == 10)
        return c >= '0' && c <= '9';
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* An integer as the YAML reader would see it: [+-]? then decimal, 0x, 0o or 0b digits,
 * fitting in 128 bits. */
static int looks_int(const char *s, size_t n)
{
    unsigned __int128 v = 0, lim = ~(unsigned __int128)0;
    unsigned base = 10;
    size_t i = 0;

    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o' || s[i + 1] == 'b')) {
        base = s[i + 1] == 'x' ? 16 : s[i + 1] == 'o' ? 8 : 2;
        i += 2;
    }
    if (i == n)
        return 0;
    for (; i < n; i++) {
        unsigned d;
        if (!is_digit_base(s[i], base))
            return 0;
        d = (unsigned)(s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
        if (v > (lim - d) / base)
            return 0;
        v = v * base + d;
    }
    return 1;
}

/* A finite float in Rust's f64 syntax: [+-]? digits? (. digits?)? ([eE][+-]?digits)?
 * with at least one mantissa digit. */
static int looks_float(const char *s, size_t n)
{
    size_t i = 0, mant = 0;
    char tmp[64];

    if (n == 0 || n >= sizeof(tmp))
        return 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, mant++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, mant++;
    }
    if (mant == 0)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t d = 0;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, d++;
        if (d == 0)
            return 0;
    }
    if (i != n)
        return 0;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    return isfinite(strtod(tmp, NULL));
}

static int is_special_word(const char *s, size_t n)
{
    static const char *const words[] = {
        "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
        ".nan", ".NaN", ".NAN",
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
            return 1;
    return 0;
}

static int leading_zero_digits(const char *s, size_t n)
{
    if (n < 2 || s[0] != '0')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int needs_single_quotes(const char *s, size_t n)
{
    static const char starts[] = ",[]{}#&*!|>'\"%@`";
    char c = s[0];

    if (strchr(starts, c) != NULL)
        return 1;
    if ((c == '-' || c == '?' || c == ':') && (n == 1 || s[1] == ' '))
        return 1;
    if (n >= 3 && (memcmp(s, "---", 3) == 0 || memcmp(s, "...", 3) == 0) && (n == 3 || s[3] == ' '))
        return 1;
    for (size_t i = 0; i + 1 < n; i++)
        if ((s[i] == ':' && s[i + 1] == ' ') || (s[i] == ' ' && s[i + 1] == '#'))
            return 1;
    return s[n - 1] == ':' || s[0] == ' ' || s[n - 1] == ' ';
}

struct sbuf {
    char *p;
    size_t cap, len;
    int overflow;
};

static void put(struct sbuf *b, const char *s, size_t n)
{
    if (b->overflow || n >= b->cap - b->len) {
        b->overflow = 1;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void putc_(struct sbuf *b, char c)
{
    put(b, &c, 1);
}

static void put_double_quoted(struct sbuf *b, const char *s, size_t n)
{
    putc_(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        switch (c) {
        case '"': put(b, "\\\"", 2); break;
        case '\\': put(b, "\\\\", 2); break;
        case '\0': put(b, "\\0", 2); break;
        case '\a': put(b, "\\a", 2); break;
        case '\b': put(b, "\\b", 2); break;
        case '\t': put(b, "\\t", 2); break;
        case '\n': put(b, "\\n", 2); break;
        case '\v': put(b, "\\v", 2); break;
        case '\f': put(b, "\\f", 2); break;
        case '\r': put(b, "\\r", 2); break;
        case 0x1b: put(b, "\\e", 2); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                snprintf(esc, sizeof(esc), "\\x%02X", c);
                put(b, esc, 4);
            } else {
                putc_(b, (char)c);
            }
        }
    }
    putc_(b, '"');
}

int cli_yaml_scalar(const char *s, size_t n, char *out, size_t cap)
{
    struct sbuf b = { out, cap, 0, 0 };
    int has_break = 0, nonprint = 0;

    if (cap == 0)
        return -1;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            has_break = 1;
        else if (c < 0x20 || c == 0x7f)
            nonprint = 1;
    }
    if (n == 0 || is_special_word(s, n) || looks_int(s, n) || looks_float(s, n) ||
        leading_zero_digits(s, n)) {
        putc_(&b, '\'');
        put(&b, s, n);
        putc_(&b, '\'');
    } else if (nonprint) {
        put_double_quoted(&b, s, n);
    } else if (has_break) {
        /* Literal block: "|" keeps one final newline, "|-" strips it. */
        size_t end = n;
        int keep = s[n - 1] == '\n';
        if (keep)
            end--;
        put(&b, keep ? "|" : "|-", keep ? 1 : 2);
        for (size_t i = 0; i <= end;) {
            size_t j = i;
            while (j < end && s[j] != '\n')
                j++;
            putc_(&b, '\n');
            if (j > i) {
                put(&b, "  ", 2);
                put(&b, s + i, j - i);
            }
            i = j + 1;
        }
    } else if (needs_single_quotes(s, n)) {
        putc_(&b, '\'');
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '\'')
                putc_(&b, '\'');
            putc_(&b, s[i]);
        }
        putc_(&b, '\'');
    } else {
        put(&b, s, n);
    }
    return b.overflow ? -1 : (int)b.len;
}

int cli_yaml_secret(uint16_t type, const char *name, const uint8_t id[32], char *out, size_t cap)
{
    struct sbuf b = { out, cap, 0, 0 };
    char idhex[2 * 32 + 3], qid[80], tname[ASR_TYPE_NAME_MAX], line[64];
    size_t nlen = strlen(name);
    char *q;
    int ql, idl;

    if (cap == 0)
        return -1;
    out[0] = '\0';
    q = malloc(4 * nlen + 16);
    if (q == NULL)
        return -1;
    ql = cli_yaml_scalar(name, nlen, q, 4 * nlen + 16);
    idhex[0] = '0';
    idhex[1] = 'x';
    hex_encode(id, 32, idhex + 2);
    if (type == ASR_T_ASSOC) {
        put(&b, "!Association\n", 13);
    } else {
        put(&b, "!Retrievable\n", 13);
        snprintf(line, sizeof(line), "kind: %u (%s)\n", (unsigned)type, asr_type_name(type, tname));
        put(&b, line, strlen(line));
    }
    put(&b, "name: ", 6);
    if (ql >= 0)
        put(&b, q, (size_t)ql);
    else
        b.overflow = 1;
    put(&b, "\nid: ", 5);
    /* The id is quoted only in the case the quoting rules demand (an all-digit value). */
    idl = cli_yaml_scalar(idhex, strlen(idhex), qid, sizeof(qid));
    if (idl < 0)
        b.overflow = 1;
    else
        put(&b, qid, (size_t)idl);
    putc_(&b, '\n');
    free(q);
    return b.overflow ? -1 : (int)b.len;
}

/* ---- NAME.yaml path -------------------------------------------------------------- */

/* Length of a Unicode white-space character at s (UTF-8), 0 if none. */
static size_t ws_len(const unsigned char *s, size_t n)
{
    uint32_t cp;

    if (n >= 1 && (s[0] == ' ' || (s[0] >= 0x09 && s[0] <= 0x0d)))
        return 1;
    if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
        return 2;
    if (n >= 3 && (s[0] & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
        cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
        if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
            cp == 0x202f || cp == 0x205f || cp == 0x3000)
            return 3;
    }
    return 0;
}

int cli_yaml_path(const char *out_path, const char *name, char *out, size_t cap,
                  char reason[CLI_REASON_MAX])
{
    const char *slash = strrchr(out_path, '/');
    size_t dlen = (slash != NULL && strcmp(out_path, "-") != 0) ? (size_t)(slash - out_path + 1) : 0;
    size_t n = strlen(name), m = 0, dot = 0;
    char *mapped;
    int found_dot = 0;

    if (n == 0 || strchr(name, '/') != NULL || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        snprintf(reason, CLI_REASON_MAX, "secret name cannot be used as a file name (use --stdout)");
        return -1;
    }
    mapped = malloc(n + 1);
    if (mapped == NULL) {
        snprintf(reason, CLI_REASON_MAX, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n;) {
        size_t w = ws_len((const unsigned char *)name + i, n - i);
        if (w > 0) {
            mapped[m++] = '_';
            i += w;
        } else {
            mapped[m++] = name[i++];
        }
    }
    mapped[m] = '\0';
    /* Extension = after the last '.', unless that dot is the first character. */
    for (size_t i = m; i > 1; i--) {
        if (mapped[i - 1] == '.') {
            dot = i - 1;
            found_dot = 1;
            break;
        }
    }
    if (found_dot)
        mapped[dot] = '\0';
    if ((size_t)snprintf(out, cap, "%.*s%s.yaml", (int)dlen, out_path, mapped) >= cap) {
        free(mapped);
        snprintf(reason, CLI_REASON_MAX, "path too long");
        return -1;
    }
    free(mapped);
    return 0;
}

/* ---- --cuid FILE ------------------------------------------------------------------ */

static int cuid_from_string(const char *s, size_t n, uint8_t cuid[16], char reason[CLI_REASON_MAX])
{
    char tmp[40];

    if (n < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) {
        snprintf(reason, CLI_REASON_MAX, "CUID value starts not with 0x");
        return -1;
    }
    if (n - 2 != 32) {
        snprintf(reason, CLI_REASON_MAX, "len invalid (%zu)", n - 2);
        return -1;
    }
    memcpy(tmp, s + 2, 32);
    tmp[32] = '\0';
    if (hex_decode_exact(tmp, cuid, 16, 0) != 0) {
        snprintf(reason, CLI_REASON_MAX, "CUID value is not hexadecimal");
        return -1;
    }
    return 0;
}

/* Trims spaces, a trailing comment and matching quotes off a scalar in place. */
static void scalar_trim(const char **s, size_t *n)
{
    const char *p = *s;
    size_t len = *n;

    while (len > 0 && (*p == ' ' || *p == '\t'))
        p++, len--;
    if (len > 0 && (*p == '\'' || *p == '"')) {
        const char *end = memchr(p + 1, *p, len - 1);
        if (end != NULL) {
            *s = p + 1;
            *n = (size_t)(end - p - 1);
            return;
        }
    }
    for (size_t i = 0; i < len; i++)
        if (p[i] == '#' && (i == 0 || p[i - 1] == ' ' || p[i - 1] == '\t')) {
            len = i;
            break;
        }
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
        len--;
    *s = p;
    *n = len;
}

struct yline {
    size_t indent;
    const char *key, *val;
    size_t klen, vlen;
};

int cli_cuid_from_file(const uint8_t *buf, size_t len, uint8_t cuid[16], char reason[CLI_REASON_MAX])
{
    const char *t = (const char *)buf;
    struct yline lines[256];
    size_t nl = 0, min_indent = (size_t)-1, pos = 0;
    const char *doc = NULL;
    size_t doclen = 0;

    if (len == 16) {
        memcpy(cuid, buf, 16);
        return 0;
    }
    if (memchr(buf, '\0', len) != NULL)
        goto not_yaml;
    /* Line scan: "key: value" entries with their indentation ("- " items count as
     * indentation), or one document scalar. */
    while (pos < len) {
        const char *l = t + pos, *colon;
        size_t ll, ind = 0;
        const char *eol = memchr(l, '\n', len - pos);
        ll = eol != NULL ? (size_t)(eol - l) : len - pos;
        pos += ll + 1;
        while (ind < ll && (l[ind] == ' ' || (l[ind] == '-' && ind + 1 < ll && l[ind + 1] == ' ')))
            ind++;
        if (ind == ll || l[ind] == '#' || l[ind] == '\r')
            continue;
        if (ll - ind >= 3 && memcmp(l + ind, "---", 3) == 0 && ind == 0) {
            if (ll == 3 || l[3] == ' ' || l[3] == '\r')
                continue;
        }
        colon = NULL;
        for (size_t i = ind; i < ll; i++)
            if (l[i] == ':' && (i + 1 == ll || l[i + 1] == ' ' || l[i + 1] == '\r')) {
                colon = l + i;
                break;
            }
        if (colon == NULL) {
            if (nl == 0 && doc == NULL) {
                doc = l + ind;
                doclen = ll - ind;
                continue;
            }
            goto not_yaml;
        }
        if (doc != NULL || nl == sizeof(lines) / sizeof(lines[0]))
            goto not_yaml;
        lines[nl].indent = ind;
        lines[nl].key = l + ind;
        lines[nl].klen = (size_t)(colon - l) - ind;
        lines[nl].val = colon + 1;
        lines[nl].vlen = (size_t)(l + ll - colon - 1);
        scalar_trim(&lines[nl].key, &lines[nl].klen);
        scalar_trim(&lines[nl].val, &lines[nl].vlen);
        if (ind < min_indent)
            min_indent = ind;
        nl++;
    }
    if (doc != NULL) {
        scalar_trim(&doc, &doclen);
        return cuid_from_string(doc, doclen, cuid, reason);
    }
    if (nl == 0)
        goto not_yaml;
    /* This level first, then nested mappings (less than 8 levels deep) in order. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < nl; i++) {
            int top = lines[i].indent == min_indent;
            if ((pass == 0) != top)
                continue;
            if (lines[i].indent - min_indent > 16)
                continue;
            if (lines[i].klen == 4 && memcmp(lines[i].key, "cuid", 4) == 0) {
                if (lines[i].vlen == 0) {
                    snprintf(reason, CLI_REASON_MAX, "'cuid' value is not a string");
                    return -1;
                }
                return cuid_from_string(lines[i].val, lines[i].vlen, cuid, reason);
            }
        }
    }
    snprintf(reason, CLI_REASON_MAX, "No 'cuid' entry found");
    return -1;
not_yaml:
    snprintf(reason, CLI_REASON_MAX,
             "The CUID-file does not contain a 128bit value or a yaml with a 'cuid' field");
    return -1;
}
