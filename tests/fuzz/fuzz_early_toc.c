/* libFuzzer target: TOC policy files and PolicyReference user data (early/policy.c).
 * Accepted tags are distinct; accepted policy names are plain, printable, without "..". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t tags[TOC_MAX_TAGS][16];
    uint8_t *copy = malloc(size ? size : 1), hash[32];
    char name[POLICY_NAME_MAX + 1];
    const char *why;
    size_t n;
    unsigned line;

    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (toc_parse(copy, size, tags, TOC_MAX_TAGS, &n, &line, &why) == 0) {
        if (n == 0 || n > TOC_MAX_TAGS)
            abort();
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++)
                if (memcmp(tags[i], tags[j], 16) == 0)
                    abort();
    }
    if (size >= 512 && policy_ref_parse(copy, hash, name, &why) == 1) {
        if (name[0] == 0 || strchr(name, '/') || strstr(name, "..") || strlen(name) > POLICY_NAME_MAX)
            abort();
    }
    free(copy);
    return 0;
}
