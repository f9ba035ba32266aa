#include "conf.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

void conf_defaults(struct early_conf *c)
{
    memset(c, 0, sizeof(*c));
    c->enabled = 1;
    snprintf(c->disk, sizeof(c->disk), "LABEL=UVSECRETS");
    snprintf(c->dir, sizeof(c->dir), "uvsecret");
    snprintf(c->bootdev, sizeof(c->bootdev), "none");
    snprintf(c->bootdir, sizeof(c->bootdir), "sics");
    c->timeout = 10;
    c->lock = 1;
    c->nose = -1;
}

void conf_finish(struct early_conf *c)
{
    if (c->nose < 0)
        c->nose = c->required[0] || c->retrieve[0] ? 1 : 0;
}

int conf_safe_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || s[0] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == '-' || ch == '+'))
            return 0;
    }
    return 1;
}

int conf_safe_relpath(const char *s)
{
    const char *p = s;
    if (*s == 0 || *s == '/')
        return 0;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)p[i] < 0x21 || (unsigned char)p[i] > 0x7e)
                return 0;
        p += n;
        if (*p == '/')
            p++;
        if (e && *p == 0)
            return 0;   /* trailing slash */
    }
    return 1;
}

static int dev_spec_ok(const char *v)
{
    if (strcmp(v, "none") == 0)
        return 1;
    if (strncmp(v, "LABEL=", 6) == 0 || strncmp(v, "UUID=", 5) == 0)
        return strchr(v, '=')[1] != 0;
    return v[0] == '/';
}

static int copy_val(char *dst, size_t cap, const char *v, const char *key, char *err, size_t el)
{
    if (strlen(v) >= cap) {
        snprintf(err, el, "value of %s too long", key);
        return -1;
    }
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            snprintf(err, el, "control character in %s", key);
            return -1;
        }
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static int bool01(const char *v, int *out)
{
    if (strcmp(v, "0") == 0 || strcmp(v, "no") == 0 || strcmp(v, "off") == 0)
        *out = 0;
    else if (strcmp(v, "1") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "on") == 0)
        *out = 1;
    else
        return -1;
    return 0;
}

int conf_set(struct early_conf *c, const char *key, const char *val, char *err, size_t el)
{
    if (strcmp(key, "enabled") == 0) {
        if (bool01(val, &c->enabled) != 0)
            goto bad;
    } else if (strcmp(key, "disk") == 0 || strcmp(key, "bootdev") == 0) {
        if (!dev_spec_ok(val))
            goto bad;
        return copy_val(key[0] == 'd' ? c->disk : c->bootdev, CONF_VAL_MAX, val, key, err, el);
    } else if (strcmp(key, "dir") == 0 || strcmp(key, "bootdir") == 0) {
        if (!conf_safe_relpath(val))
            goto bad;
        return copy_val(key[0] == 'd' ? c->dir : c->bootdir, CONF_VAL_MAX, val, key, err, el);
    } else if (strcmp(key, "timeout") == 0) {
        unsigned long t;
        if (parse_uint(val, CONF_TIMEOUT_MAX, &t) != 0)
            goto bad;
        c->timeout = (unsigned)t;
    } else if (strcmp(key, "required") == 0) {
        return copy_val(c->required, CONF_LIST_MAX, val, key, err, el);
    } else if (strcmp(key, "retrieve") == 0) {
        return copy_val(c->retrieve, CONF_LIST_MAX, val, key, err, el);
    } else if (strcmp(key, "lock") == 0) {
        if (bool01(val, &c->lock) != 0)
            goto bad;
    } else if (strcmp(key, "toc") == 0) {
        if (val[0] && !conf_safe_name(val))
            goto bad;
        return copy_val(c->toc, CONF_VAL_MAX, val, key, err, el);
    } else if (strcmp(key, "nose") == 0) {
        if (strcmp(val, "fail") == 0)
            c->nose = 1;
        else if (strcmp(val, "ok") == 0)
            c->nose = 0;
        else
            goto bad;
    } else {
        snprintf(err, el, "unknown setting '%.64s'", key);
        return -1;
    }
    return 0;
bad:
    snprintf(err, el, "invalid value for %s: '%.64s'", key, val);
    return -1;
}

static const char *trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = 0;
    return s;
}

int conf_parse_file(struct early_conf *c, const char *text, size_t len, char *err, size_t el)
{
    char line[CONF_LIST_MAX + 64];
    size_t pos = 0;
    unsigned lineno = 0;

    while (pos < len) {
        size_t n = 0;
        char *eq;
        const char *key, *val;
        char why[160];
        lineno++;
        while (pos < len && text[pos] != '\n') {
            if (n + 1 >= sizeof(line)) {
                snprintf(err, el, "line %u: too long", lineno);
                return -1;
            }
            if (text[pos] == 0) {
                snprintf(err, el, "line %u: NUL byte", lineno);
                return -1;
            }
            line[n++] = text[pos++];
        }
        pos++;
        line[n] = 0;
        key = trim(line);
        if (*key == 0 || *key == '#')
            continue;
        eq = strchr(key, '=');
        if (!eq) {
            snprintf(err, el, "line %u: expected key=value", lineno);
            return -1;
        }
        *eq = 0;
        val = trim(eq + 1);
        key = trim((char *)(uintptr_t)key);
        if (conf_set(c, key, val, why, sizeof(why)) != 0) {
            snprintf(err, el, "line %u: %s", lineno, why);
            return -1;
        }
    }
    return 0;
}

int conf_parse_cmdline(struct early_conf *c, const char *text, size_t len, char *err, size_t el)
{
    char word[CONF_LIST_MAX + 64];
    size_t pos = 0;

    while (pos < len) {
        size_t n = 0;
        int quoted = 0, skip = 0;
        char *eq;
        const char *key;
        while (pos < len && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' ||
                             text[pos] == '\r'))
            pos++;
        if (pos >= len || text[pos] == 0)
            break;
        while (pos < len && text[pos] != 0 &&
               (quoted || !(text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n' ||
                            text[pos] == '\r'))) {
            if (text[pos] == '"') {
                quoted = !quoted;
                pos++;
                continue;
            }
            if (skip) {
                pos++;
                continue;
            }
            if (n + 1 >= sizeof(word)) {
                /* Only our own words must fit; any other (a long dyndbg="...") is not
                 * ours to refuse. */
                if (memcmp(word, "rd.uvsecret", 11) == 0) {
                    snprintf(err, el, "kernel command line word too long");
                    return -1;
                }
                skip = 1;
                continue;
            }
            word[n++] = text[pos++];
        }
        if (skip)
            continue;
        word[n] = 0;
        if (strncmp(word, "rd.uvsecret", 11) != 0)
            continue;
        eq = strchr(word, '=');
        if (eq)
            *eq = 0;
        if (strcmp(word, "rd.uvsecret") == 0) {
            if (!eq)
                c->enabled = 1;
            else if (conf_set(c, "enabled", eq + 1, err, el) != 0)
                return -1;
            continue;
        }
        if (word[11] != '.')
            continue;   /* rd.uvsecretX: not ours */
        key = word + 12;
        if (!eq) {
            snprintf(err, el, "rd.uvsecret.%.64s needs a value", key);
            return -1;
        }
        if (conf_set(c, key, eq + 1, err, el) != 0)
            return -1;
    }
    return 0;
}

int conf_list_next(const char *list, size_t *pos, char *item, size_t cap)
{
    for (;;) {
        size_t start = *pos, n;
        if (list[start] == 0)
            return 0;
        while (list[*pos] && list[*pos] != ',')
            (*pos)++;
        n = *pos - start;
        if (list[*pos] == ',')
            (*pos)++;
        while (n > 0 && list[start] == ' ') {
            start++;
            n--;
        }
        while (n > 0 && list[start + n - 1] == ' ')
            n--;
        if (n == 0)
            continue;
        if (n >= cap)
            return -1;
        memcpy(item, list + start, n);
        item[n] = 0;
        return 1;
    }
}
