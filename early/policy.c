#include "policy.h"

#include <string.h>

#include "hex.h"

int policy_ref_parse(const uint8_t ud[512], uint8_t hash[32], char name[POLICY_NAME_MAX + 1],
                     const char **why)
{
    const uint8_t *p = ud + 32;
    size_t a = 0, b = POLICY_NAME_MAX, zero = 0;

    for (size_t i = 0; i < 32; i++)
        zero |= ud[i];
    memcpy(hash, ud, 32);
    name[0] = 0;
    if (zero == 0)
        return 0;
    while (a < b && p[a] == 0)
        a++;
    while (b > a && p[b - 1] == 0)
        b--;
    if (a == b) {
        *why = "policy reference without a file name";
        return -1;
    }
    for (size_t i = a; i < b; i++) {
        if (p[i] < 0x21 || p[i] > 0x7e) {
            *why = "policy file name is not printable ASCII";
            return -1;
        }
        if (p[i] == '/') {
            *why = "policy file name is not a plain file name";
            return -1;
        }
    }
    memcpy(name, p + a, b - a);
    name[b - a] = 0;
    if (strstr(name, "..") != NULL) {
        *why = "policy file name contains '..'";
        return -1;
    }
    return 1;
}

int toc_parse(const uint8_t *text, size_t len, uint8_t (*tags)[16], size_t cap, size_t *n,
              unsigned *line, const char **why)
{
    size_t pos = 0;
    *n = 0;
    *line = 0;
    while (pos < len) {
        char hex[33];
        size_t start = pos, l;
        (*line)++;
        while (pos < len && text[pos] != '\n')
            pos++;
        l = pos - start;
        if (pos < len)
            pos++;   /* the '\n' */
        if (l > 0 && text[start + l - 1] == '\r')
            l--;
        if (l != 32) {
            *why = l == 0 ? "empty line" : "not a 32-digit hex tag";
            return -1;
        }
        memcpy(hex, text + start, 32);
        hex[32] = 0;
        if (*n >= cap) {
            *why = "too many tags";
            return -1;
        }
        if (hex_decode_exact(hex, tags[*n], 16, 0) != 0) {
            *why = "not a 32-digit hex tag";
            return -1;
        }
        for (size_t i = 0; i < *n; i++)
            if (memcmp(tags[i], tags[*n], 16) == 0) {
                *why = "tag listed twice";
                return -1;
            }
        (*n)++;
    }
    if (*n == 0) {
        *why = "no tags";
        return -1;
    }
    return 0;
}
