/* The UV calls of the secret store: Add Secret with the ordered checks of UVA §2,
 * Lock, List (one page per call), Retrieve (UVA §3, §8), stream hash (UVA §9). */
#include "sim.h"

#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "be.h"
#include "sehdr.h"
#include "uvabi.h"

void sim_store_init(struct sim_store *s)
{
    memset(s, 0, sizeof *s);
    s->max_assoc = SIM_DEFAULT_MAX_ASSOC;
    s->max_retr = SIM_DEFAULT_MAX_RETR;
}

void sim_store_free(struct sim_store *s)
{
    for (size_t i = 0; i < s->n_entries; i++) {
        if (s->entries[i].value) {
            uvs_wipe(s->entries[i].value, s->entries[i].value_len);
            free(s->entries[i].value);
        }
    }
    free(s->entries);
    free(s->stream);
    uvs_wipe(s, sizeof *s);
}

size_t sim_store_listed(const struct sim_store *s)
{
    return s->n_entries;  /* only listable types are stored as entries */
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

/* Step 7-9: find our keyslot (then a backup key's, if the header allows backup keys),
 * unwrap the protection key, open the request.  plain gets sea bytes. */
static int open_request(struct sim_uv *uv, const uint8_t *req, size_t aad_len, unsigned nks, uint32_t sea,
                        uint8_t *plain)
{
    const uint8_t *cust = req + ASR_OFF_CUSTKEY;
    size_t nkeys = 1 + ((uv->guest.pcf & SEHDR_PCF_BACKUP_KEYS) ? uv->n_backup : 0);
    for (size_t k = 0; k < nkeys; k++) {
        const uint8_t *priv = k == 0 ? uv->host_priv : uv->backup_priv[k - 1];
        const uint8_t *pub = k == 0 ? uv->host_pub : uv->backup_pub[k - 1];
        uint8_t phkh[32];
        uvs_phkh(pub, phkh);
        for (unsigned i = 0; i < nks; i++) {
            const uint8_t *slot = req + asr_keyslot_off(i);
            if (memcmp(slot, phkh, 32) != 0)
                continue;
            /* First match decides (UVA §2 step 7). */
            uint8_t prot[32];
            if (!uvs_p521_pub_valid(cust) ||
                uvs_keyslot_unwrap(&uv->rng, priv, UVS_P521_SCALAR_LEN, cust, slot, prot) != 0)
                return -1;
            int rc = uvs_gcm_decrypt(prot, req + ASR_OFF_IV, ASR_IV_LEN, req, aad_len, req + aad_len, sea, plain,
                                     req + aad_len + sea);
            uvs_wipe(prot, sizeof prot);
            return rc;
        }
    }
    return -1;
}

static size_t count_class(const struct sim_store *s, int retrievable)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_entries; i++) {
        const struct asr_type_info *t = asr_type_lookup(s->entries[i].type);
        if (t && !!t->retrievable == retrievable)
            n++;
    }
    return n;
}

static int stream_append(struct sim_store *s, const uint8_t tag[16])
{
    if (s->n_stream == s->cap_stream) {
        size_t cap = s->cap_stream ? 2 * s->cap_stream : 16;
        void *p = realloc(s->stream, cap * 16);
        if (!p)
            return -1;
        s->stream = p;
        s->cap_stream = cap;
    }
    memcpy(s->stream[s->n_stream++], tag, 16);
    return 0;
}

static int entry_reserve(struct sim_store *s)
{
    if (s->n_entries < s->cap_entries)
        return 0;
    size_t cap = s->cap_entries ? 2 * s->cap_entries : 8;
    void *p = realloc(s->entries, cap * sizeof *s->entries);
    if (!p)
        return -1;
    s->entries = p;
    s->cap_entries = cap;
    return 0;
}

uint16_t sim_add_secret(struct sim_uv *uv, const uint8_t *req, size_t len, const char **why)
{
    struct sim_store *s = &uv->store;
    /* 1, 2 */
    if (s->locked) {
        *why = "secret store locked";
        return UVC_RC_LOCKED;
    }
    if (uv->dump_in_progress) {
        *why = "dump in progress";
        return UVC_RC_DUMP;
    }
    /* 3 */
    if (len < ASR_HDR_LEN || be32_load(req + ASR_OFF_RQVN) != ASR_VERSION) {
        *why = "unsupported request version";
        return UVC_RC_VERSION;
    }
    /* 4: sizes, overflow-free. */
    uint32_t rql = be32_load(req + ASR_OFF_RQL), sea = be32_load(req + ASR_OFF_SEA);
    unsigned nks = req[ASR_OFF_NKS];
    size_t S = asr_keyslot_off(nks);
    *why = "invalid request size";
    if (rql != len || rql > ASR_MAX_LEN || sea < ASR_EXT_LEN || (uint64_t)sea + ASR_TAG_LEN > rql)
        return UVC_RC_SIZE;
    size_t aad_len = rql - sea - ASR_TAG_LEN;
    if (aad_len < S + ASR_SECHDR_META_LEN)
        return UVC_RC_SIZE;
    uint16_t type = be16_load(req + S + 2);
    uint32_t secret_len = be32_load(req + S + 4);
    if (aad_len != S + (type == ASR_T_NULL ? ASR_SECHDR_META_LEN : ASR_SECHDR_LEN) ||
        (uint64_t)secret_len + ASR_EXT_LEN != sea)
        return UVC_RC_SIZE;
    /* 5, 6 */
    if (nks < 1) {
        *why = "no keyslot";
        return UVC_RC_NKS;
    }
    if (be64_load(req + ASR_OFF_FLAGS) & ~ASR_FLAG_DISABLE_DUMP) {
        *why = "unsupported flags";
        return UVC_RC_FLAGS;
    }
    /* 7-9 */
    uint8_t *plain = malloc(sea);
    if (!plain) {
        *why = "out of memory";
        return UVC_RC_ADD_FAILED;
    }
    uint16_t rc = UVC_RC_DECRYPT;
    if (open_request(uv, req, aad_len, nks, sea, plain) != 0) {
        *why = "no usable keyslot, or authentication failed";
        goto out;
    }
    /* 10, 11 */
    if (memcmp(req + ASR_OFF_TAGS, uv->guest.tags, ASR_TAGS_LEN) != 0) {
        *why = "boot tags differ from the guest's SE header";
        goto out;
    }
    if (!all_zero(req + ASR_OFF_CUID, ASR_CUID_LEN) && memcmp(req + ASR_OFF_CUID, s->cuid, ASR_CUID_LEN) != 0) {
        *why = "CUID differs from the guest's";
        goto out;
    }
    /* 12 */
    const struct asr_type_info *t = asr_type_lookup(type);
    rc = UVC_RC_TYPE;
    if (!t) {
        *why = "unsupported secret type";
        goto out;
    }
    if (type == ASR_T_UPDATE_CCK && !(uv->guest.scf & SEHDR_SCF_CCK_UPDATE)) {
        *why = "CCK update not allowed by the SE header";
        goto out;
    }
    /* 13 */
    rc = UVC_RC_SECLEN;
    if (!asr_secret_len_valid(type, secret_len) || !all_zero(req + S, 2) || !all_zero(req + S + 8, 8) ||
        (type == ASR_T_UPDATE_CCK && !all_zero(req + S + 16, ASR_ID_LEN))) {
        *why = "invalid secret length or reserved field";
        goto out;
    }
    /* 14 */
    const uint8_t *ext = plain + secret_len;
    rc = UVC_RC_ADD_FAILED;
    if (uv->guest.scf & SEHDR_SCF_CCK_EXT) {
        uint8_t want[32];
        if (uvs_cck_ext_secret(s->cck, uv->guest.hdr_tag, want) != 0 || uvs_ct_memcmp(want, ext, 32) != 0) {
            uvs_wipe(want, sizeof want);
            *why = "extension secret is not the CCK-derived one";
            goto out;
        }
        uvs_wipe(want, sizeof want);
    } else if (s->ext_set && uvs_ct_memcmp(s->ext, ext, 32) != 0) {
        *why = "extension secret differs from the first request's";
        goto out;
    }
    /* 15 */
    if (t->listable) {
        size_t have = count_class(s, t->retrievable);
        size_t max = t->retrievable ? s->max_retr : s->max_assoc;
        if (have + 1 > max || s->n_entries >= SIM_MAX_STORED || s->next_index > 0xFFFF) {
            rc = UVC_RC_FULL;
            *why = "secret store full";
            goto out;
        }
    }
    /* 16: apply; allocate everything first so that nothing changes on failure. */
    uint8_t *value = NULL;
    if (t->listable) {
        value = malloc(secret_len ? secret_len : 1);
        if (!value || entry_reserve(s) != 0) {
            free(value);
            *why = "out of memory";
            goto out;
        }
    }
    if (stream_append(s, req + rql - ASR_TAG_LEN) != 0) {
        free(value);
        *why = "out of memory";
        goto out;
    }
    if (t->listable) {
        struct sim_entry *e = &s->entries[s->n_entries++];
        memset(e, 0, sizeof *e);
        e->index = (uint16_t)s->next_index++;
        e->type = type;
        e->list_len = type == ASR_T_PLAIN ? secret_len : (t->prot_len ? t->prot_len : secret_len);
        memcpy(e->id, req + S + 16, 32);
        e->value_len = secret_len;
        e->value = value;
        memcpy(value, plain, secret_len);
    } else if (type == ASR_T_UPDATE_CCK) {
        memcpy(s->cck, plain, 32);
        s->cck_updated = 1;
    }
    if (be64_load(req + ASR_OFF_FLAGS) & ASR_FLAG_DISABLE_DUMP)
        s->dump_disabled = 1;
    if (!s->ext_set && !(uv->guest.scf & SEHDR_SCF_CCK_EXT)) {
        memcpy(s->ext, ext, 32);
        s->ext_set = 1;
    }
    rc = UVC_RC_OK;
    *why = "accepted";
out:
    uvs_wipe(plain, sea);
    free(plain);
    return rc;
}

uint16_t sim_lock(struct sim_uv *uv)
{
    if (uv->store.locked)
        return UVC_RC_LOCKED;
    uv->store.locked = 1;
    return UVC_RC_OK;
}

uint16_t sim_list_page(const struct sim_uv *uv, uint16_t start, uint8_t page[4096])
{
    const struct sim_store *s = &uv->store;
    memset(page, 0, 4096);
    unsigned n = 0;
    uint16_t next = 0;
    for (size_t i = 0; i < s->n_entries; i++) {
        const struct sim_entry *e = &s->entries[i];
        if (e->index < start)
            continue;
        if (n == UVLIST_PER_PAGE) {
            next = e->index;
            break;
        }
        uvlist_write_entry(page, n++, e->index, e->type, e->list_len, e->id);
    }
    size_t total = sim_store_listed(s);
    uvlist_write_header(page, (uint16_t)n, (uint16_t)(total > 0xFFFF ? 0xFFFF : total), next);
    return next ? UVC_RC_MORE_DATA : UVC_RC_OK;
}

uint16_t sim_retrieve(const struct sim_uv *uv, uint16_t index, uint8_t *buf, size_t len)
{
    const struct sim_store *s = &uv->store;
    if (s->n_entries == 0)
        return UVC_RC_STORE_EMPTY;
    const struct sim_entry *e = NULL;
    for (size_t i = 0; i < s->n_entries; i++)
        if (s->entries[i].index == index)
            e = &s->entries[i];
    if (!e)
        return UVC_RC_NO_INDEX;
    const struct asr_type_info *t = asr_type_lookup(e->type);
    if (!t || !t->retrievable)
        return UVC_RC_NOT_RETR;
    if (len < e->list_len)
        return UVC_RC_TYPE;  /* buffer too small: 0x0109 (UVA §8) */
    memcpy(buf, e->value, e->value_len);
    if (e->list_len > e->value_len) {
        /* Fake wrapping-key verification pattern SHA-256("uvsim-wkvp" | CUID) (UVA §3). */
        uint8_t in[10 + 16];
        memcpy(in, "uvsim-wkvp", 10);
        memcpy(in + 10, s->cuid, 16);
        uint8_t wkvp[32];
        uvs_sha256(in, sizeof in, wkvp);
        memcpy(buf + e->value_len, wkvp, e->list_len - e->value_len < 32 ? e->list_len - e->value_len : 32);
    }
    return UVC_RC_OK;
}

void sim_stream_hash(const struct sim_store *s, uint8_t out[64])
{
    size_t n = s->n_stream * 16 + 1;
    uint8_t *b = malloc(n);
    if (!b) {
        memset(out, 0, 64);
        return;
    }
    for (size_t i = 0; i < s->n_stream; i++)
        memcpy(b + 16 * i, s->stream[i], 16);
    b[n - 1] = s->locked ? 1 : 0;
    uvs_sha512(b, n, out);
    free(b);
}
