/* SE header location and field access (see sehdr.h). */
#include "sehdr.h"

#include <string.h>

#include "be.h"

const char *sehdr_strerror(enum sehdr_err e)
{
    switch (e) {
    case SEHDR_OK:
        return "no error";
    case SEHDR_E_NOT_FOUND:
        return "no SE header found (neither a bare header nor an SE image)";
    case SEHDR_E_META:
        return "SE image metadata is truncated or points outside the file";
    case SEHDR_E_VERSION:
        return "SE header version is not 0x100";
    case SEHDR_E_SIZE:
        return "SE header size field is invalid or runs past the end of the file";
    case SEHDR_E_LAYOUT:
        return "SE header fields are inconsistent with a version-1 header";
    }
    return "unknown error";
}

static int magic_at(const uint8_t *buf, size_t len, size_t off)
{
    return off <= len && len - off >= SEHDR_MAGIC_LEN &&
           memcmp(buf + off, SEHDR_MAGIC, SEHDR_MAGIC_LEN) == 0;
}

static enum sehdr_err find_start(const uint8_t *buf, size_t len, size_t *start, int *from_meta,
                                 uint32_t *meta_version)
{
    *from_meta = 0;
    *meta_version = 0;
    if (len >= SEIMG_META_OFF + 8 && memcmp(buf + SEIMG_META_OFF, SEIMG_META_MAGIC, 8) == 0) {
        uint64_t off;
        if (len - SEIMG_META_OFF < SEIMG_META_LEN)
            return SEHDR_E_META;
        off = be64_load(buf + SEIMG_META_OFF + 8);
        *meta_version = be32_load(buf + SEIMG_META_OFF + 16);
        *from_meta = 1;
        if (off >= len || !magic_at(buf, len, (size_t)off))
            return SEHDR_E_NOT_FOUND;
        *start = (size_t)off;
        return SEHDR_OK;
    }
    for (size_t off = 0; off <= SEIMG_SCAN_LAST && off < len; off += SEIMG_PAGE) {
        if (magic_at(buf, len, off)) {
            *start = off;
            return SEHDR_OK;
        }
    }
    return SEHDR_E_NOT_FOUND;
}

enum sehdr_err sehdr_locate(const uint8_t *buf, size_t len, struct sehdr_view *v)
{
    struct sehdr_view r;
    const uint8_t *h;
    size_t start, avail;
    enum sehdr_err e;

    memset(v, 0, sizeof(*v));
    memset(&r, 0, sizeof(r));
    e = find_start(buf, len, &start, &r.from_metadata, &r.meta_version);
    if (e != SEHDR_OK)
        return e;
    avail = len - start;
    if (avail < SEHDR_HEAD_LEN)
        return SEHDR_E_SIZE;
    h = buf + start;
    if (be32_load(h + SEHDR_OFF_VERSION) != SEHDR_VERSION)
        return SEHDR_E_VERSION;
    r.size = be32_load(h + SEHDR_OFF_SIZE);
    if (r.size < SEHDR_MIN_SIZE || r.size > avail)
        return SEHDR_E_SIZE;
    r.hdr = h;
    r.offset = start;
    r.nks = be64_load(h + SEHDR_OFF_NKS);
    r.sea = be64_load(h + SEHDR_OFF_SEA);
    r.nep = be64_load(h + SEHDR_OFF_NEP);
    r.pcf = be64_load(h + SEHDR_OFF_PCF);
    r.iv = h + SEHDR_OFF_IV;
    r.cust_key = h + SEHDR_OFF_CUSTKEY;
    r.pld = h + SEHDR_OFF_PLD;
    r.ald = h + SEHDR_OFF_ALD;
    r.tld = h + SEHDR_OFF_TLD;
    r.tag = h + r.size - SEHDR_TAG_LEN;
    *v = r;
    return SEHDR_OK;
}

enum sehdr_err sehdr_check_v1(const struct sehdr_view *v)
{
    if (v->nks < 1 || v->nks > (SEHDR_MAX_SIZE - SEHDR_HEAD_LEN) / SEHDR_KEYSLOT_LEN)
        return SEHDR_E_LAYOUT;
    if (v->sea != SEHDR_ENC_LEN || v->size > SEHDR_MAX_SIZE ||
        v->size != sehdr_v1_size((size_t)v->nks))
        return SEHDR_E_LAYOUT;
    return SEHDR_OK;
}

void sehdr_boot_tags(const struct sehdr_view *v, uint8_t out[208])
{
    memcpy(out, v->pld, 64);
    memcpy(out + 64, v->ald, 64);
    memcpy(out + 128, v->tld, 64);
    memcpy(out + 192, v->tag, 16);
}
