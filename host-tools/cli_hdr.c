/* Loading the --hdr input (see cli_hdr.h). */
#include "cli_hdr.h"

#include <stdio.h>
#include <string.h>

#include "be.h"

static int set_malformed(char reason[CLI_REASON_MAX], const char *why)
{
    snprintf(reason, CLI_REASON_MAX, "malformed SE header: %.120s", why);
    return -1;
}

static int keep(struct cli_sehdr *h, const struct sehdr_view *v, uint64_t file_size)
{
    size_t off = v->offset;

    if (v->size > sizeof(h->bytes))
        return -1;
    memcpy(h->bytes, v->hdr, v->size);
    h->v = *v;
    h->v.hdr = h->bytes;
    h->v.offset = off;
    h->v.iv = h->bytes + SEHDR_OFF_IV;
    h->v.cust_key = h->bytes + SEHDR_OFF_CUSTKEY;
    h->v.pld = h->bytes + SEHDR_OFF_PLD;
    h->v.ald = h->bytes + SEHDR_OFF_ALD;
    h->v.tld = h->bytes + SEHDR_OFF_TLD;
    h->v.tag = h->bytes + v->size - SEHDR_TAG_LEN;
    h->file_size = file_size;
    return 0;
}

int cli_sehdr_from_prefix(const char *path, const uint8_t *buf, size_t len, uint64_t file_size,
                          struct cli_sehdr *h, char reason[CLI_REASON_MAX])
{
    struct sehdr_view v;
    enum sehdr_err e = sehdr_locate(buf, len, &v);

    memset(h, 0, sizeof(*h));
    /* Image metadata naming a header that does not lie wholly inside the prefix read:
     * fetch it from the file. */
    if (e != SEHDR_OK && len >= SEIMG_META_OFF + SEIMG_META_LEN &&
        memcmp(buf + SEIMG_META_OFF, SEIMG_META_MAGIC, 8) == 0 && len < file_size) {
        uint64_t off = be64_load(buf + SEIMG_META_OFF + 8);
        uint32_t mver = be32_load(buf + SEIMG_META_OFF + 16);
        uint8_t tmp[SEHDR_MAX_SIZE];
        size_t n;
        char r2[CLI_REASON_MAX];

        if (off < file_size && len - (off < len ? off : len) < SEHDR_MAX_SIZE) {
            n = file_size - off < sizeof(tmp) ? (size_t)(file_size - off) : sizeof(tmp);
            if (cli_read_at(path, off, tmp, n, r2) != 0)
                return set_malformed(reason, r2);
            if (n < SEHDR_MAGIC_LEN || memcmp(tmp, SEHDR_MAGIC, SEHDR_MAGIC_LEN) != 0)
                return set_malformed(reason, sehdr_strerror(SEHDR_E_NOT_FOUND));
            e = sehdr_locate(tmp, n, &v);
            if (e != SEHDR_OK)
                return set_malformed(reason, sehdr_strerror(e));
            v.offset = (size_t)off;
            v.from_metadata = 1;
            v.meta_version = mver;
            if (keep(h, &v, file_size) != 0)
                return set_malformed(reason, "header larger than 8192 bytes");
            return 0;
        }
    }
    if (e != SEHDR_OK)
        return set_malformed(reason, sehdr_strerror(e));
    if (keep(h, &v, file_size) != 0)
        return set_malformed(reason, "header larger than 8192 bytes");
    return 0;
}

int cli_sehdr_load(const char *path, struct cli_sehdr *h, char reason[CLI_REASON_MAX])
{
    uint8_t *buf;
    size_t len;
    uint64_t size;
    int r;

    if (cli_read_prefix(path, CLI_HDR_WINDOW, &buf, &len, &size, reason) != 0)
        return -1;
    r = cli_sehdr_from_prefix(path, buf, len, size, h, reason);
    cli_buf_free(buf, CLI_HDR_WINDOW + 1);
    return r;
}

uint64_t cli_sehdr_keyslots(const struct cli_sehdr *h)
{
    uint64_t room = 0;

    if (h->v.size >= SEHDR_HEAD_LEN + SEHDR_TAG_LEN)
        room = (h->v.size - SEHDR_HEAD_LEN - SEHDR_TAG_LEN) / SEHDR_KEYSLOT_LEN;
    return h->v.nks < room ? h->v.nks : room;
}
