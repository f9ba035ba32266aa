/* The store persisted in STATE_DIR/uvsim.state (binary, big-endian, 0600, replaced
 * atomically).  It is bound to the header it was made for (header tag); a state of
 * another header is refused.  Layout:
 *   "UVSIMST1" | header tag 16 | CUID 16 | CCK 32 | ext 32 | u32 bits (locked 1,
 *   dump_disabled 2, ext_set 4, cck_updated 8) | u16 max_assoc | u16 max_retr |
 *   u32 next_index | u32 n_entries | u32 n_stream |
 *   entries: u16 index | u16 type | u32 list_len | id 32 | u32 value_len | value |
 *   stream tags 16 each. */
#include "sim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asr.h"
#include "be.h"

#define STATE_MAGIC "UVSIMST1"
#define STATE_FIXED (8 + 16 + 16 + 32 + 32 + 4 + 2 + 2 + 4 + 4 + 4)
#define STATE_MAX (64u * 1024 * 1024)
#define MAX_STREAM (1u << 20)

static int state_path(const char *dir, char *out, size_t cap)
{
    return (size_t)snprintf(out, cap, "%s/uvsim.state", dir) < cap ? 0 : -1;
}

int sim_state_save(const char *state_dir, const struct sim_guest *g, const struct sim_store *s, char *err,
                   size_t err_len)
{
    char path[4096];
    if (state_path(state_dir, path, sizeof path) != 0) {
        snprintf(err, err_len, "%s: path too long", state_dir);
        return -1;
    }
    size_t n = STATE_FIXED + 16 * s->n_stream;
    for (size_t i = 0; i < s->n_entries; i++)
        n += 44 + s->entries[i].value_len;
    uint8_t *b = calloc(1, n), *p = b;
    if (!b) {
        snprintf(err, err_len, "%s: out of memory", path);
        return -1;
    }
    memcpy(p, STATE_MAGIC, 8), p += 8;
    memcpy(p, g->hdr_tag, 16), p += 16;
    memcpy(p, s->cuid, 16), p += 16;
    memcpy(p, s->cck, 32), p += 32;
    memcpy(p, s->ext, 32), p += 32;
    be32_store(p, (s->locked ? 1u : 0) | (s->dump_disabled ? 2u : 0) | (s->ext_set ? 4u : 0) |
                      (s->cck_updated ? 8u : 0)), p += 4;
    be16_store(p, s->max_assoc), p += 2;
    be16_store(p, s->max_retr), p += 2;
    be32_store(p, s->next_index), p += 4;
    be32_store(p, (uint32_t)s->n_entries), p += 4;
    be32_store(p, (uint32_t)s->n_stream), p += 4;
    for (size_t i = 0; i < s->n_entries; i++) {
        const struct sim_entry *e = &s->entries[i];
        be16_store(p, e->index), p += 2;
        be16_store(p, e->type), p += 2;
        be32_store(p, e->list_len), p += 4;
        memcpy(p, e->id, 32), p += 32;
        be32_store(p, e->value_len), p += 4;
        memcpy(p, e->value, e->value_len), p += e->value_len;
    }
    for (size_t i = 0; i < s->n_stream; i++)
        memcpy(p, s->stream[i], 16), p += 16;
    int rc = sim_write_atomic(path, b, n, 0, err, err_len);
    uvs_wipe(b, n);
    free(b);
    return rc;
}

/* Bounds-checked reader. */
struct rd {
    const uint8_t *p;
    size_t left;
};

static const uint8_t *take(struct rd *r, size_t n)
{
    if (n > r->left)
        return NULL;
    const uint8_t *q = r->p;
    r->p += n;
    r->left -= n;
    return q;
}

int sim_state_load(const char *state_dir, const struct sim_guest *g, struct sim_store *s, int *found,
                   char *err, size_t err_len)
{
    char path[4096];
    *found = 0;
    if (state_path(state_dir, path, sizeof path) != 0) {
        snprintf(err, err_len, "%s: path too long", state_dir);
        return -1;
    }
    struct stat st;
    if (lstat(path, &st) != 0 && errno == ENOENT)
        return 0;
    uint8_t *buf;
    size_t len;
    if (sim_read_file(path, STATE_MAX, &buf, &len, err, err_len) != 0)
        return -1;
    struct rd r = { buf, len };
    const char *why = NULL;
    const uint8_t *f = take(&r, STATE_FIXED);
    if (!f || memcmp(f, STATE_MAGIC, 8) != 0) {
        why = "not a uvsim state file";
        goto bad;
    }
    if (memcmp(f + 8, g->hdr_tag, 16) != 0) {
        why = "state belongs to another SE header (use a fresh --state directory)";
        goto bad;
    }
    memcpy(s->cuid, f + 24, 16);
    memcpy(s->cck, f + 40, 32);
    memcpy(s->ext, f + 72, 32);
    uint32_t bits = be32_load(f + 104);
    s->locked = !!(bits & 1);
    s->dump_disabled = !!(bits & 2);
    s->ext_set = !!(bits & 4);
    s->cck_updated = !!(bits & 8);
    if (!s->cck_updated)
        memcpy(s->cck, g->cck, 32);
    s->max_assoc = be16_load(f + 108);
    s->max_retr = be16_load(f + 110);
    s->next_index = be32_load(f + 112);
    uint32_t ne = be32_load(f + 116), ns = be32_load(f + 120);
    if (ne > SIM_MAX_STORED || ns > MAX_STREAM || s->next_index > 0x10000) {
        why = "counts out of range";
        goto bad;
    }
    s->entries = calloc(ne ? ne : 1, sizeof *s->entries);
    s->stream = calloc(ns ? ns : 1, 16);
    if (!s->entries || !s->stream) {
        why = "out of memory";
        goto bad;
    }
    s->cap_entries = ne ? ne : 1;
    s->cap_stream = ns ? ns : 1;
    for (uint32_t i = 0; i < ne; i++) {
        const uint8_t *h = take(&r, 44);
        if (!h) {
            why = "truncated";
            goto bad;
        }
        struct sim_entry *e = &s->entries[i];
        e->index = be16_load(h);
        e->type = be16_load(h + 2);
        e->list_len = be32_load(h + 4);
        memcpy(e->id, h + 8, 32);
        e->value_len = be32_load(h + 40);
        const struct asr_type_info *t = asr_type_lookup(e->type);
        const uint8_t *v = take(&r, e->value_len);
        if (!t || !t->listable || !asr_secret_len_valid(e->type, e->value_len) || !v ||
            e->index >= s->next_index || (i > 0 && e->index <= s->entries[i - 1].index) ||
            e->list_len < e->value_len || e->list_len > e->value_len + 32) {
            why = "bad entry";
            goto bad;
        }
        e->value = malloc(e->value_len ? e->value_len : 1);
        if (!e->value) {
            why = "out of memory";
            goto bad;
        }
        memcpy(e->value, v, e->value_len);
        s->n_entries = i + 1;
    }
    for (uint32_t i = 0; i < ns; i++) {
        const uint8_t *t = take(&r, 16);
        if (!t) {
            why = "truncated";
            goto bad;
        }
        memcpy(s->stream[i], t, 16);
    }
    s->n_stream = ns;
    if (r.left != 0) {
        why = "trailing bytes";
        goto bad;
    }
    sim_free_file(buf, len + 1);
    *found = 1;
    return 0;
bad:
    snprintf(err, err_len, "%s: %s", path, why);
    sim_free_file(buf, len + 1);
    return -1;
}
