#include "ids.h"

#include <string.h>

#include <bearssl.h>

#include "asr.h"
#include "hex.h"

int id_is_text(const uint8_t id[32])
{
    size_t nul = 0;
    while (nul < 32 && id[nul] != 0)
        nul++;
    if (nul == 0 || nul == 32)
        return 0;
    for (size_t i = 0; i < nul; i++) {
        uint8_t c = id[i];
        if (!((c >= 0x21 && c <= 0x7e) || c == ' ' || c == '\t' || c == '\n' || c == '\f' ||
              c == '\r'))
            return 0;
    }
    for (size_t i = nul; i < 32; i++)
        if (id[i] != 0)
            return 0;
    return 1;
}

void id_render(const uint8_t id[32], char out[ID_RENDER_MAX])
{
    size_t n = 0;
    if (id_is_text(id)) {
        while (id[n])
            n++;
        memcpy(out, id, n);
        memcpy(out + n, " | ", 3);
        n += 3;
    }
    out[n++] = '0';
    out[n++] = 'x';
    hex_encode(id, 32, out + n);
}

int id_find(const struct uvlist_view *v, const uint8_t id[32], unsigned *dups)
{
    int first = -1;
    *dups = 0;
    for (unsigned i = 0; i < v->num_stored; i++) {
        struct uvlist_entry e;
        uvlist_entry_at(v, i, &e);
        if (memcmp(e.id, id, 32) == 0) {
            if (first < 0)
                first = (int)i;
            (*dups)++;
        }
    }
    return first;
}

int id_name_ids(const char *name, uint8_t ids[2][32])
{
    br_sha256_context c;

    asr_id_from_name(name, strlen(name), ids[0]);
    if (!id_is_text(ids[0]))
        return 1;
    br_sha256_init(&c);
    br_sha256_update(&c, ids[0], strlen((const char *)ids[0]));
    br_sha256_out(&c, ids[1]);
    return 2;
}

int id_find_name(const struct uvlist_view *v, const char *name, uint8_t id_out[32])
{
    uint8_t ids[2][32];
    unsigned dups;
    int n = id_name_ids(name, ids), at = -1;

    memcpy(id_out, ids[0], 32);
    for (int i = 0; i < n && at < 0; i++) {
        at = id_find(v, ids[i], &dups);
        if (at >= 0)
            memcpy(id_out, ids[i], 32);
    }
    return at;
}

int id_parse_hex(const char *s, uint8_t id[32])
{
    if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
        return -1;
    return hex_decode_exact(s, id, 32, 1);
}
