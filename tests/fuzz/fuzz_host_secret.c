/* libFuzzer target: the secret-value parsers of `create` (every retrievable --type,
 * EC/Ed key files in DER and PEM, association and update-CCK values) on arbitrary
 * file contents.  A success must be a value the request format accepts; a failure
 * must say why and leave no value behind. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "crypto.h"
#include "secret.h"

static struct uvs_rng rng;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (uvs_rng_init(&rng) != 0)
        abort();
    return 0;
}

static int all_zero(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint8_t acc = 0;

    for (size_t i = 0; i < n; i++)
        acc |= b[i];
    return acc == 0;
}

static void check(int r, const struct uvs_secret *s, const char *err)
{
    if (r == 0) {
        if (!asr_secret_len_valid(s->type, s->len) || s->len > sizeof(s->value) ||
            !all_zero(s->value + s->len, sizeof(s->value) - s->len))
            abort();
    } else if (err[0] == '\0' || !all_zero(s, sizeof(*s))) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct uvs_secret s;
    char err[SECRET_ERR_MAX];
    uint8_t *copy;

    if (size > UVS_SECRET_INPUT_MAX)
        return 0;
    copy = malloc(size ? size : 1);
    if (copy == NULL)
        abort();
    memcpy(copy, data, size);
    for (int kind = UVS_KIND_PLAIN; kind <= UVS_KIND_EC + 1; kind++) {
        uvs_secret_wipe(&s);
        err[0] = '\0';
        int r = uvs_secret_retrievable(&rng, kind, copy, size, "FUZZ", &s, err);
        if (kind > UVS_KIND_EC && r == 0)
            abort();
        check(r, &s, err);
    }
    uvs_secret_wipe(&s);
    err[0] = '\0';
    check(uvs_secret_association(&rng, copy, size, &s, err), &s, err);
    uvs_secret_wipe(&s);
    err[0] = '\0';
    check(uvs_secret_update_cck(copy, size, &s, err), &s, err);
    uvs_secret_wipe(&s);
    free(copy);
    return 0;
}
