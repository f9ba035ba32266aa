/* The add-secret checks of ultravisor-add-secret.md §2 in order, with the rc each
 * failure must give; effects (§3), extension-secret rules (§4), CUID (§5), meta and
 * dump flags (§6), update-CCK (§7), lock/list/retrieve (§8), stream hash (§9), and
 * persistence in a state directory.  Requests are made with asr_request_build. */
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "testlib.h"

#include "hex.h"
#include "uvabi.h"

#define PLAIN_HDR "vectors/sehdr/test_hdr_plain.hdr"
#define CCKEXT_HDR "vectors/sehdr/test_hdr_cckext.hdr"
#define PLAIN_TEXT "correct horse battery staple, a 40-byte."

static uint8_t host1[160], host2[160];
static uint8_t tags_plain[208], tags_cckext[208];
static const uint8_t cuid42[16] = { 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42,
                                    0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42 };

static struct uvsim *sim_open(const char *hdr, const char *key, const char *state)
{
    char err[SIM_ERR_MAX];
    const char *keys[1] = { tl_shared(key) };
    struct uvsim *sim = uvsim_open(tl_shared(hdr), keys, 1, state, err, sizeof err);
    if (!sim)
        printf("# uvsim_open: %s\n", err);
    else if (uvsim_set_cuid(sim, cuid42, err, sizeof err) != 0)
        printf("# set cuid: %s\n", err);
    return sim;
}

/* A request with sensible defaults; fields overridable by the caller. */
struct rq {
    uint16_t type;
    const uint8_t *secret;
    uint32_t len;
    uint8_t id[32];
    uint64_t flags;
    const uint8_t *tags;
    const uint8_t *cuid;
    const uint8_t *ext;
    const uint8_t *cck;
    const uint8_t (*keys)[160];
    size_t nkeys;
};

static uint8_t val32[32], val24[24], plain_block[48], aes256[32];

static struct rq rq_assoc(void)
{
    struct rq r = { 0 };
    r.type = ASR_T_ASSOC;
    r.secret = val32;
    r.len = 32;
    uvs_sha256("association secret", 18, r.id);
    r.tags = tags_plain;
    r.cuid = cuid42;
    r.keys = (const uint8_t(*)[160])host1;
    r.nkeys = 1;
    return r;
}

/* out must hold 4096 bytes, or make_big's cap. */
static size_t make_cap(const struct rq *r, uint8_t *out, size_t cap);
static size_t make(const struct rq *r, uint8_t *out)
{
    return make_cap(r, out, 4096);
}

static size_t make_cap(const struct rq *r, uint8_t *out, size_t cap)
{
    struct asr_request_params p = { 0 };
    p.secret_type = r->type;
    p.secret = r->secret;
    p.secret_len = r->len;
    p.id = r->id;
    p.flags = r->flags;
    p.tags = r->tags;
    p.cuid = r->cuid;
    p.ext_secret = r->ext;
    p.cck = r->cck;
    p.host_keys = r->keys;
    p.n_host_keys = r->nkeys;
    return tl_request(&p, out, cap);
}

static int quiet;

static uint16_t add(struct uvsim *sim, const uint8_t *req, size_t len)
{
    const char *why = "";
    uint16_t rc = uvsim_add_secret(sim, req, len, &why);
    if (rc != UVC_RC_OK && !quiet)
        printf("#   rc 0x%04x: %s\n", rc, why);
    return rc;
}

static size_t n_secrets(struct uvsim *sim)
{
    struct uvsim_status st;
    uvsim_get_status(sim, &st);
    return st.n_secrets;
}

/* §2: one byte flipped in every region of an accepted request. */
static void test_flips(void)
{
    struct uvsim *sim = sim_open(PLAIN_HDR, "vectors/pki/host.key", NULL);
    if (!OK(sim, "plain header opened"))
        return;
    uint8_t req[4096], bad[4096];
    struct rq r = rq_assoc();
    size_t len = make(&r, req);
    if (!OK(len == 1416, "association request of 1416 bytes"))
        return;
    static const struct {
        size_t off;
        uint8_t x;
        uint16_t rc;
        const char *what;
    } flips[] = {
        { 0x000, 0x01, UVC_RC_DECRYPT, "magic" },
        { 0x007, 0x01, UVC_RC_DECRYPT, "user-data type" },
        { 0x00B, 0x01, UVC_RC_VERSION, "version" },
        { 0x00F, 0x01, UVC_RC_SIZE, "rql" },
        { 0x010, 0x01, UVC_RC_DECRYPT, "IV" },
        { 0x01C, 0x01, UVC_RC_DECRYPT, "reserved header bytes" },
        { 0x027, 0x01, UVC_RC_SIZE, "nks" },
        { 0x02F, 0x10, UVC_RC_SIZE, "sea" },
        { 0x030, 0x80, UVC_RC_DECRYPT, "flags (disable-dump bit)" },
        { 0x037, 0x01, UVC_RC_FLAGS, "flags (unknown bit 63)" },
        { 0x030, 0x40, UVC_RC_FLAGS, "flags (unknown bit 1)" },
        { 0x038, 0x01, UVC_RC_DECRYPT, "PLD" },
        { 0x078, 0x01, UVC_RC_DECRYPT, "ALD" },
        { 0x0B8, 0x01, UVC_RC_DECRYPT, "TLD" },
        { 0x0F8, 0x01, UVC_RC_DECRYPT, "SE header tag" },
        { 0x108, 0x01, UVC_RC_DECRYPT, "CUID" },
        { 0x118, 0x01, UVC_RC_DECRYPT, "reserved area" },
        { 0x218, 0x01, UVC_RC_DECRYPT, "user data" },
        { 0x430, 0x01, UVC_RC_DECRYPT, "customer key X" },
        { 0x4A0, 0x01, UVC_RC_DECRYPT, "customer key Y" },
        { 0x4B8, 0x01, UVC_RC_DECRYPT, "keyslot host-key hash" },
        { 0x4D8, 0x01, UVC_RC_DECRYPT, "keyslot wrapped key" },
        { 0x4F8, 0x01, UVC_RC_DECRYPT, "keyslot tag" },
        { 0x509, 0x01, UVC_RC_DECRYPT, "secret header reserved" },
        { 0x50B, 0x01, UVC_RC_DECRYPT, "secret type (2 -> 3)" },
        { 0x50F, 0x01, UVC_RC_SIZE, "secret length" },
        { 0x518, 0x01, UVC_RC_DECRYPT, "secret ID" },
        { 0x538, 0x01, UVC_RC_DECRYPT, "encrypted secret" },
        { 0x560, 0x01, UVC_RC_DECRYPT, "encrypted extension secret" },
        { 0x580, 0x01, UVC_RC_DECRYPT, "GCM tag" },
    };
    for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
        char what[128];
        memcpy(bad, req, len);
        bad[flips[i].off] ^= flips[i].x;
        snprintf(what, sizeof what, "flipped %s -> rc 0x%04x", flips[i].what, flips[i].rc);
        EQ_INT(add(sim, bad, len), flips[i].rc, what);
    }
    EQ_INT(add(sim, req, len - 1), UVC_RC_SIZE, "truncated request -> 0x0105");
    EQ_INT(add(sim, req, 40), UVC_RC_VERSION, "40-byte buffer -> 0x0104");
    memcpy(bad, req, len);
    bad[len] = 0;
    be32_store(bad + ASR_OFF_RQL, (uint32_t)len + 1);
    EQ_INT(add(sim, bad, len + 1), UVC_RC_SIZE, "trailing byte (rql + 1, sizes inconsistent) -> 0x0105");
    struct uvsim_status st;
    uvsim_get_status(sim, &st);
    OK(st.n_secrets == 0 && !st.ext_set && st.n_accepted == 0, "rejected requests changed nothing");
    EQ_INT(add(sim, req, len), UVC_RC_OK, "the untouched request is accepted");
    EQ_INT(n_secrets(sim), 1, "one secret stored");
    uvsim_close(sim);
}

/* §2 steps 5, 7, 10-13 with crafted or re-sealed requests. */
static void test_checks(void)
{
    struct uvsim *sim = sim_open(PLAIN_HDR, "vectors/pki/host.key", NULL);
    if (!OK(sim, "plain header opened"))
        return;
    uint8_t req[4096];
    size_t len;

    /* nks 0 with self-consistent sizes: a meta layout without keyslots. */
    memset(req, 0, sizeof req);
    memcpy(req, "asrcbM", 6);
    be32_store(req + ASR_OFF_RQVN, ASR_VERSION);
    be32_store(req + ASR_OFF_RQL, 0x4B8 + 16 + 32 + 16);
    be32_store(req + ASR_OFF_SEA, 32);
    be16_store(req + 0x4B8 + 2, ASR_T_NULL);
    EQ_INT(add(sim, req, 0x4B8 + 64), UVC_RC_NKS, "nks 0 -> 0x0106");
    be32_store(req + ASR_OFF_RQVN, 0x200);
    EQ_INT(add(sim, req, 0x4B8 + 64), UVC_RC_VERSION, "version 0x200 -> 0x0104");

    /* Made for another image (the cckext header's tags). */
    struct rq r = rq_assoc();
    r.tags = tags_cckext;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_DECRYPT, "request for another image -> 0x0108");
    /* Another host key only. */
    r = rq_assoc();
    r.keys = (const uint8_t(*)[160])host2;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_DECRYPT, "request for another host key -> 0x0108");
    /* Wrong CUID; zero CUID is ignored. */
    uint8_t cuid_other[16];
    tl_fill(cuid_other, 0x43, 16);
    r = rq_assoc();
    r.cuid = cuid_other;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_DECRYPT, "wrong CUID -> 0x0108");
    EQ_INT(n_secrets(sim), 0, "nothing stored so far");
    r.cuid = NULL;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "zero CUID -> accepted");
    /* Two keyslots, ours second. */
    uint8_t both[2][160];
    memcpy(both[0], host2, 160);
    memcpy(both[1], host1, 160);
    r = rq_assoc();
    r.keys = (const uint8_t(*)[160])both;
    r.nkeys = 2;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "two keyslots, ours second -> accepted");

    /* Re-sealed requests: authentic, but invalid content. */
    uint8_t plain[64 + 32] = { 0 };
    r = rq_assoc();
    r.type = ASR_T_AES192;
    r.secret = val24;
    r.len = 24;
    len = make(&r, req);
    size_t S = asr_keyslot_off(1);
    be16_store(req + S + 2, ASR_T_AES128);  /* 24 bytes are invalid for AES-128 */
    memcpy(plain, val24, 24);
    tl_reseal(req, len, plain, 24 + 32);
    EQ_INT(add(sim, req, len), UVC_RC_SECLEN, "AES-128 with 24 bytes (authentic) -> 0x010A");
    be16_store(req + S + 2, 0x000B);
    tl_reseal(req, len, plain, 24 + 32);
    EQ_INT(add(sim, req, len), UVC_RC_TYPE, "reserved type 0x000B (authentic) -> 0x0109");
    be16_store(req + S + 2, ASR_T_AES192);
    req[S + 9] = 1;
    tl_reseal(req, len, plain, 24 + 32);
    EQ_INT(add(sim, req, len), UVC_RC_SECLEN, "non-zero secret header reserved bytes -> 0x010A");
    req[S + 9] = 0;
    tl_reseal(req, len, plain, 24 + 32);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "the same request re-sealed cleanly -> accepted");

    /* Update-CCK: this header does not allow it. */
    r = rq_assoc();
    r.type = ASR_T_UPDATE_CCK;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_TYPE, "update-CCK without SCF bit 2 -> 0x0109");

    /* Dump in progress (test hook), then gone. */
    r = rq_assoc();
    len = make(&r, req);
    uvsim_set_dump_in_progress(sim, 1);
    EQ_INT(add(sim, req, len), UVC_RC_DUMP, "dump in progress -> 0x010D");
    uvsim_set_dump_in_progress(sim, 0);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "same request after the dump -> accepted");
    uvsim_close(sim);
}

/* §4: extension secrets. */
static void test_ext(void)
{
    uint8_t req[4096], ext17[32], ext_other[32];
    size_t len;
    tl_fill(ext17, 0x17, 32);
    tl_fill(ext_other, 0x18, 32);
    struct uvsim *sim = sim_open(PLAIN_HDR, "vectors/pki/host.key", NULL);
    struct rq r = rq_assoc();
    r.ext = ext17;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "plain header: first request (ext 0x17) fixes the value");
    r.ext = NULL;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_ADD_FAILED, "then a zero extension secret -> 0x010C");
    r.ext = ext_other;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_ADD_FAILED, "then another value -> 0x010C");
    r.ext = ext17;
    r.type = ASR_T_NULL;
    r.secret = NULL;
    r.len = 0;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "meta with the same value -> accepted");
    EQ_INT(n_secrets(sim), 1, "meta is not listed");
    uvsim_close(sim);

    sim = sim_open(PLAIN_HDR, "vectors/pki/host.key", NULL);
    r = rq_assoc();
    r.type = ASR_T_NULL;
    r.secret = NULL;
    r.len = 0;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "zeros prime like any value (meta request)");
    r.ext = ext17;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_ADD_FAILED, "then 0x17 -> 0x010C");
    uvsim_close(sim);

    /* SCF bit 1: the CCK-derived value is required, also on the first request. */
    static const char *keys[2] = { "vectors/pki/host.key", "vectors/pki/host2.key" };
    uint8_t cck[32], derived[32], want[32];
    tl_fill(cck, 0x66, 32);
    hex_decode_exact("dfbc6ac4f424d78e4c9e3c4f5b77ca3ff70860796e3ea21fad9d4d85243529c6", want, 32, 0);
    uvs_cck_ext_secret(cck, tags_cckext + 192, derived);
    EQ_MEM(derived, want, 32, "cckext header: derived extension secret is dfbc6ac4...");
    for (int k = 0; k < 2; k++) {
        char what[128];
        sim = sim_open(CCKEXT_HDR, keys[k], NULL);
        r = rq_assoc();
        r.tags = tags_cckext;
        r.keys = (const uint8_t(*)[160])(k ? host2 : host1);
        len = make(&r, req);
        snprintf(what, sizeof what, "cckext (%s): first request without extension secret -> 0x010C", keys[k]);
        EQ_INT(add(sim, req, len), UVC_RC_ADD_FAILED, what);
        r.ext = ext17;
        len = make(&r, req);
        snprintf(what, sizeof what, "cckext (%s): simple extension secret -> 0x010C", keys[k]);
        EQ_INT(add(sim, req, len), UVC_RC_ADD_FAILED, what);
        uint8_t wrong_cck[32];
        tl_fill(wrong_cck, 0x67, 32);
        r.ext = NULL;
        r.cck = wrong_cck;
        len = make(&r, req);
        snprintf(what, sizeof what, "cckext (%s): derived from the wrong CCK -> 0x010C", keys[k]);
        EQ_INT(add(sim, req, len), UVC_RC_ADD_FAILED, what);
        r.cck = cck;
        len = make(&r, req);
        snprintf(what, sizeof what, "cckext (%s): CCK-derived extension secret -> accepted", keys[k]);
        EQ_INT(add(sim, req, len), UVC_RC_OK, what);
        uvsim_close(sim);
    }
}

/* §3/§6/§7: effects. */
static void test_effects(const char *tmp)
{
    uint8_t req[4096];
    size_t len;
    struct uvsim_status st;
    struct uvsim *sim = sim_open(PLAIN_HDR, "vectors/pki/host.key", NULL);
    uvsim_get_status(sim, &st);
    OK(st.dump_allowed && !st.dump_disabled, "plain header allows dumps initially");
    struct rq r = rq_assoc();
    r.type = ASR_T_NULL;
    r.secret = NULL;
    r.len = 0;
    r.flags = ASR_FLAG_DISABLE_DUMP;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "meta with disable-dump accepted");
    uvsim_get_status(sim, &st);
    OK(!st.dump_allowed && st.dump_disabled && st.n_secrets == 0, "dumping now disabled, nothing listed");
    uvsim_close(sim);

    /* Update-CCK on a header that allows it (made here). */
    uint8_t out[SEHDR_MAX_SIZE], cck[32], newcck[32];
    size_t olen;
    char err[SIM_ERR_MAX], path[1024];
    tl_fill(cck, 0x21, 32);
    tl_fill(newcck, 0x22, 32);
    struct sim_mkhdr_params p = { 0 };
    p.host_keys = (const uint8_t(*)[160])host1;
    p.nks = 1;
    p.cck = cck;
    p.scf = SEHDR_SCF_CCK_UPDATE;
    snprintf(path, sizeof path, "%s/upd.hdr", tmp);
    if (!OK(sim_mkhdr(&tl_rng, &p, out, sizeof out, &olen, err, sizeof err) == 0 &&
                sim_write_atomic(path, out, olen, 1, err, sizeof err) == 0,
            "CCK-update header made"))
        return;
    uint8_t tags[208];
    tl_tags(path, tags);
    const char *keys[1] = { tl_shared("vectors/pki/host.key") };
    sim = uvsim_open(path, keys, 1, NULL, err, sizeof err);
    if (!OK(sim, "CCK-update header opens"))
        return;
    r = rq_assoc();
    r.tags = tags;
    r.cuid = NULL;
    r.type = ASR_T_UPDATE_CCK;
    r.secret = newcck;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "update-CCK accepted with SCF bit 2");
    uint8_t got[32];
    uvsim_get_cck(sim, got);
    EQ_MEM(got, newcck, 32, "the guest's CCK is replaced");
    EQ_INT(n_secrets(sim), 0, "update-CCK is not listed");
    /* A non-zero ID in an update-CCK request (authentic) -> 0x010A. */
    size_t S = asr_keyslot_off(1);
    uint8_t plain[64] = { 0 };
    memcpy(plain, newcck, 32);
    req[S + 16] = 1;
    tl_reseal(req, len, plain, 64);
    EQ_INT(add(sim, req, len), UVC_RC_SECLEN, "update-CCK with a non-zero ID -> 0x010A");
    uvsim_close(sim);
}

/* §2 step 15, §8: capacity, lock, list, retrieve. */
static void test_store_ops(void)
{
    uint8_t req[4096], areq[4096];
    size_t len, alen;
    char err[SIM_ERR_MAX];
    struct uvsim *sim = sim_open(PLAIN_HDR, "vectors/pki/host.key", NULL);
    OK(uvsim_set_limits(sim, 2, 2, err, sizeof err) == 0, "limits 2/2 set");

    uint8_t rb[0x2000];
    struct uvio_ioctl_cb cb = { .argument_addr = (uint64_t)(uintptr_t)rb, .argument_len = 64 };
    memset(rb, 0, sizeof rb);
    EQ_INT(uvsim_ioctl(sim, UVIO_IOCTL_RETR_SECRET, &cb), 0, "retrieve on an empty store: ioctl 0");
    EQ_INT(cb.uv_rc, UVC_RC_STORE_EMPTY, "retrieve on an empty store -> 0x010F");

    struct rq r = rq_assoc();
    alen = make(&r, areq);
    EQ_INT(add(sim, areq, alen), UVC_RC_OK, "association 1 accepted (index 0)");
    EQ_INT(add(sim, areq, alen), UVC_RC_OK, "the same request again: duplicate accepted (index 1)");
    EQ_INT(add(sim, areq, alen), UVC_RC_FULL, "third association -> 0x010B (max_assoc 2)");
    r.type = ASR_T_PLAIN;
    r.secret = plain_block;
    r.len = 48;
    uvs_sha256("test retr secret", 16, r.id);
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "plaintext secret accepted (index 2)");
    r.type = ASR_T_AES256;
    r.secret = aes256;
    r.len = 32;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "AES-256 key accepted (index 3)");
    EQ_INT(add(sim, req, len), UVC_RC_FULL, "third retrievable -> 0x010B (max_retr 2)");
    r.type = ASR_T_NULL;
    r.secret = NULL;
    r.len = 0;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "meta still accepted when full");

    /* List: entries in insertion order, type-dependent lengths. */
    static uint8_t list[0x4000];
    memset(list, 0, sizeof list);
    cb = (struct uvio_ioctl_cb){ .argument_addr = (uint64_t)(uintptr_t)list, .argument_len = sizeof list };
    EQ_INT(uvsim_ioctl(sim, UVIO_IOCTL_LIST_SECRETS, &cb), 0, "list ioctl");
    EQ_INT(cb.uv_rc, UVC_RC_OK, "list complete -> 0x0001");
    struct uvlist_view v;
    OK(uvlist_parse(list, sizeof list, &v) == 0 && v.num_stored == 4 && v.total == 4 && v.next_index == 0,
       "list: 4 entries, total 4, next 0");
    static const uint16_t want_type[4] = { 2, 2, 3, 6 };
    static const uint32_t want_len[4] = { 32, 32, 48, 64 };
    int good = 1;
    for (unsigned i = 0; i < 4 && i < v.num_stored; i++) {
        struct uvlist_entry e;
        uvlist_entry_at(&v, i, &e);
        good &= e.index == i && e.type == want_type[i] && e.length == want_len[i];
    }
    OK(good, "list: indices 0..3, types 2 2 3 6, lengths 32 32 48 64");
    uint8_t id[32];
    uvs_sha256("association secret", 18, id);
    EQ_MEM(list + 16 + 16, id, 32, "list: first entry's ID");

    /* Retrieve. */
    struct {
        uint16_t idx;
        uint32_t len;
        uint16_t rc;
        const char *what;
    } rt[] = {
        { 0, 32, UVC_RC_NOT_RETR, "retrieve association -> 0x0111" },
        { 9, 64, UVC_RC_NO_INDEX, "retrieve unknown index -> 0x0110" },
        { 2, 47, UVC_RC_TYPE, "retrieve into 47 bytes for a 48-byte secret -> 0x0109" },
        { 2, 48, UVC_RC_OK, "retrieve plaintext" },
        { 3, 64, UVC_RC_OK, "retrieve AES-256 key" },
    };
    for (size_t i = 0; i < sizeof rt / sizeof rt[0]; i++) {
        memset(rb, 0xEE, sizeof rb);
        be16_store(rb, rt[i].idx);
        cb = (struct uvio_ioctl_cb){ .argument_addr = (uint64_t)(uintptr_t)rb, .argument_len = rt[i].len };
        int e = uvsim_ioctl(sim, UVIO_IOCTL_RETR_SECRET, &cb);
        OK(e == 0 && cb.uv_rc == rt[i].rc, rt[i].what);
        if (rt[i].idx == 2 && rt[i].rc == UVC_RC_OK) {
            EQ_MEM(rb, plain_block, 48, "plaintext comes back exactly as stored");
            size_t dl = 0;
            OK(asr_plain_decode(rb, 48, &dl) && dl == 40 && !memcmp(rb + 2, PLAIN_TEXT, 40),
               "plaintext block decodes to the secret");
            OK(rb[48] == 0xEE, "nothing written past argument_len");
        }
        if (rt[i].idx == 3 && rt[i].rc == UVC_RC_OK) {
            uint8_t in[26], wkvp[32];
            struct uvsim_status st;
            uvsim_get_status(sim, &st);
            memcpy(in, "uvsim-wkvp", 10);
            memcpy(in + 10, st.cuid, 16);
            uvs_sha256(in, 26, wkvp);
            EQ_MEM(rb, aes256, 32, "protected key: raw key first");
            EQ_MEM(rb + 32, wkvp, 32, "protected key: then SHA-256(\"uvsim-wkvp\" | CUID)");
        }
        if (rt[i].rc != UVC_RC_OK) {
            int z = 1;
            for (size_t k = 0; k < rt[i].len; k++)
                z &= rb[k] == 0;
            OK(z, "failed retrieve: buffer written back zeroed");
        }
    }

    /* Lock. */
    cb = (struct uvio_ioctl_cb){ 0 };
    OK(uvsim_ioctl(sim, UVIO_IOCTL_LOCK_SECRETS, &cb) == 0 && cb.uv_rc == UVC_RC_OK, "lock -> 0x0001");
    cb = (struct uvio_ioctl_cb){ 0 };
    OK(uvsim_ioctl(sim, UVIO_IOCTL_LOCK_SECRETS, &cb) == 0 && cb.uv_rc == UVC_RC_LOCKED, "lock again -> 0x0102");
    EQ_INT(add(sim, req, len), UVC_RC_LOCKED, "add after lock -> 0x0102 (before any other check)");
    uint8_t junk[8] = { 0 };
    EQ_INT(add(sim, junk, sizeof junk), UVC_RC_LOCKED, "even garbage after lock -> 0x0102");
    cb = (struct uvio_ioctl_cb){ .argument_addr = (uint64_t)(uintptr_t)list, .argument_len = 0x1000 };
    OK(uvsim_ioctl(sim, UVIO_IOCTL_LIST_SECRETS, &cb) == 0 && cb.uv_rc == UVC_RC_OK, "list works after lock");
    memset(rb, 0, sizeof rb);
    be16_store(rb, 2);
    cb = (struct uvio_ioctl_cb){ .argument_addr = (uint64_t)(uintptr_t)rb, .argument_len = 48 };
    OK(uvsim_ioctl(sim, UVIO_IOCTL_RETR_SECRET, &cb) == 0 && cb.uv_rc == UVC_RC_OK, "retrieve works after lock");
    uvsim_close(sim);
}

/* uvdevice.md §5.4: more than one page of entries. */
static void test_paging(void)
{
    uint8_t req[4096];
    char err[SIM_ERR_MAX];
    struct uvsim *sim = sim_open(PLAIN_HDR, "vectors/pki/host.key", NULL);
    uvsim_set_limits(sim, 200, 8, err, sizeof err);
    struct rq r = rq_assoc();
    size_t len = make(&r, req);
    int all = 1;
    for (int i = 0; i < 180; i++)
        all &= add(sim, req, len) == UVC_RC_OK;
    OK(all, "180 association entries accepted (duplicates)");
    static uint8_t list[0x4000];
    struct uvlist_view v;
    struct uvio_ioctl_cb cb;

    memset(list, 0, sizeof list);
    cb = (struct uvio_ioctl_cb){ .argument_addr = (uint64_t)(uintptr_t)list, .argument_len = 0x1000 };
    OK(uvsim_ioctl(sim, UVIO_IOCTL_LIST_SECRETS, &cb) == 0 && cb.uv_rc == UVC_RC_MORE_DATA,
       "one page: uv_rc 0x0100 (more data)");
    OK(uvlist_parse(list, 0x1000, &v) == 0 && v.num_stored == 85 && v.total == 180 && v.next_index == 85,
       "one page: 85 entries, total 180, next index 85");

    memset(list, 0xCC, sizeof list);
    cb = (struct uvio_ioctl_cb){ .argument_addr = (uint64_t)(uintptr_t)list, .argument_len = 0x2000 };
    OK(uvsim_ioctl(sim, UVIO_IOCTL_LIST_SECRETS, &cb) == 0 && cb.uv_rc == UVC_RC_MORE_DATA,
       "two pages: still more data");
    OK(uvlist_parse(list, 0x2000, &v) == 0 && v.num_stored == 170 && v.next_index == 170,
       "two pages: 170 entries merged, next index 170");
    struct uvlist_entry e;
    uvlist_entry_at(&v, 169, &e);
    OK(e.index == 169 && list[16 + 170 * 48] == 0xCC, "two pages: entries packed, tail not written");

    memset(list, 0, sizeof list);
    cb = (struct uvio_ioctl_cb){ .argument_addr = (uint64_t)(uintptr_t)list, .argument_len = 0x4000 };
    OK(uvsim_ioctl(sim, UVIO_IOCTL_LIST_SECRETS, &cb) == 0 && cb.uv_rc == UVC_RC_OK, "four pages: complete");
    OK(uvlist_parse(list, 0x4000, &v) == 0 && v.num_stored == 180 && v.next_index == 0, "four pages: all 180");
    int order = 1;
    for (unsigned i = 0; i < v.num_stored; i++) {
        uvlist_entry_at(&v, i, &e);
        order &= e.index == i;
    }
    OK(order, "four pages: indices 0..179 in order");

    /* A single UV call from a start index (the continuation the kernel uses). */
    uvsim_set_kernel(sim, UVSIM_KERNEL_LEGACY);
    memset(list, 0, sizeof list);
    cb = (struct uvio_ioctl_cb){ .argument_addr = (uint64_t)(uintptr_t)list, .argument_len = 0x1000 };
    OK(uvsim_ioctl(sim, UVIO_IOCTL_LIST_SECRETS, &cb) == 0 && cb.uv_rc == UVC_RC_MORE_DATA,
       "legacy driver: one page, 0x0100");
    uvsim_close(sim);
}

/* State directory: persistence, binding to the header, reboot. */
static void test_state(const char *tmp)
{
    char dir[1024], err[SIM_ERR_MAX];
    snprintf(dir, sizeof dir, "%s/state", tmp);
    uint8_t req[4096];
    struct uvsim *sim = sim_open(PLAIN_HDR, "vectors/pki/host.key", dir);
    if (!OK(sim, "open with a new state directory"))
        return;
    struct rq r = rq_assoc();
    size_t len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "request accepted (persisted)");
    struct uvio_ioctl_cb cb = { 0 };
    uvsim_ioctl(sim, UVIO_IOCTL_LOCK_SECRETS, &cb);
    struct uvsim_status before, after;
    uvsim_get_status(sim, &before);
    uvsim_close(sim);

    const char *keys[1] = { tl_shared("vectors/pki/host.key") };
    sim = uvsim_open(tl_shared(PLAIN_HDR), keys, 1, dir, err, sizeof err);
    if (!OK(sim, "reopen the state directory"))
        return;
    uvsim_get_status(sim, &after);
    OK(after.n_secrets == 1 && after.locked && after.ext_set && !memcmp(after.cuid, cuid42, 16),
       "state survives: secret, lock, extension secret, CUID");
    EQ_MEM(after.stream_hash, before.stream_hash, 64, "state survives: stream hash");
    EQ_INT(add(sim, req, len), UVC_RC_LOCKED, "still locked after reopening");
    struct stat st;
    char file[1100];
    snprintf(file, sizeof file, "%s/uvsim.state", dir);
    OK(stat(file, &st) == 0 && (st.st_mode & 077) == 0, "state file is 0600");
    OK(uvsim_reboot(sim, err, sizeof err) == 0, "reboot");
    uvsim_get_status(sim, &after);
    OK(after.n_secrets == 0 && !after.locked && !after.ext_set && memcmp(after.cuid, cuid42, 16) != 0,
       "reboot: empty unlocked store, new CUID");
    EQ_INT(add(sim, req, len), UVC_RC_DECRYPT, "request bound to the old CUID fails after reboot");

    /* Two handles (think: CUSE daemon and `uvsim lock`) on one state directory. */
    struct uvsim *other = uvsim_open(tl_shared(PLAIN_HDR), keys, 1, dir, err, sizeof err);
    OK(other != NULL, "a second handle on the same state directory");
    r = rq_assoc();
    r.cuid = NULL;
    len = make(&r, req);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "handle 1 adds a secret");
    EQ_INT(add(sim, req, len), UVC_RC_OK, "handle 1 adds a duplicate");
    memset(&cb, 0, sizeof cb);
    OK(other && uvsim_ioctl(other, UVIO_IOCTL_LOCK_SECRETS, &cb) == 0 && cb.uv_rc == UVC_RC_OK, "handle 2 locks");
    EQ_INT(add(sim, req, len), UVC_RC_LOCKED, "handle 1 sees the lock of handle 2");
    static uint8_t lst[0x1000];
    memset(lst, 0, sizeof lst);
    cb = (struct uvio_ioctl_cb){ .argument_addr = (uint64_t)(uintptr_t)lst, .argument_len = sizeof lst };
    struct uvlist_view lv;
    OK(other && uvsim_ioctl(other, UVIO_IOCTL_LIST_SECRETS, &cb) == 0 && uvlist_parse(lst, sizeof lst, &lv) == 0 &&
           lv.total == 2,
       "handle 2 lists both secrets of handle 1");
    uvsim_close(other);
    uvsim_close(sim);

    const char *keys2[1] = { tl_shared("vectors/pki/host.key") };
    sim = uvsim_open(tl_shared(CCKEXT_HDR), keys2, 1, dir, err, sizeof err);
    OK(!sim && strstr(err, "another SE header"), "a state directory of another header is refused");
    uvsim_close(sim);
    /* A corrupted state file is refused, not trusted. */
    FILE *f = fopen(file, "r+b");
    if (f) {
        fseek(f, 118, SEEK_SET);
        fputc(0xFF, f);
        fclose(f);
    }
    sim = uvsim_open(tl_shared(PLAIN_HDR), keys, 1, dir, err, sizeof err);
    OK(!sim, "a corrupted state file is refused");
    uvsim_close(sim);
}

/* Backup host keys count only when the header's PCF bit 62 allows them. */
static void test_backup_keys(const char *tmp)
{
    uint8_t out[SEHDR_MAX_SIZE], req[4096], tags[208];
    size_t olen, len;
    char err[SIM_ERR_MAX], path[1024];
    const char *keys[2] = { tl_shared("vectors/pki/host.key"), tl_shared("vectors/pki/host2.key") };
    for (int allow = 0; allow < 2; allow++) {
        struct sim_mkhdr_params p = { 0 };
        p.host_keys = (const uint8_t(*)[160])host1;
        p.nks = 1;
        p.pcf = allow ? SEHDR_PCF_BACKUP_KEYS : 0;
        snprintf(path, sizeof path, "%s/backup%d.hdr", tmp, allow);
        if (sim_mkhdr(&tl_rng, &p, out, sizeof out, &olen, err, sizeof err) != 0 ||
            sim_write_atomic(path, out, olen, 1, err, sizeof err) != 0 || tl_tags(path, tags) != 0) {
            OK(0, err);
            return;
        }
        struct uvsim *sim = uvsim_open(path, keys, 2, NULL, err, sizeof err);
        if (!OK(sim, "header for host 1 opens with host.key + host2.key"))
            return;
        struct rq r = rq_assoc();
        r.tags = tags;
        r.cuid = NULL;
        r.keys = (const uint8_t(*)[160])host2;
        len = make(&r, req);
        EQ_INT(add(sim, req, len), allow ? UVC_RC_OK : UVC_RC_DECRYPT,
               allow ? "request for the backup key accepted with PCF bit 62"
                     : "request for the backup key refused without PCF bit 62");
        uvsim_close(sim);
    }
}

/* Random damage never crashes and is never accepted. */
static void test_mutations(void)
{
    struct uvsim *sim = sim_open(PLAIN_HDR, "vectors/pki/host.key", NULL);
    uint8_t req[4096], bad[4096];
    struct rq r = rq_assoc();
    size_t len = make(&r, req);
    uint32_t x = 0x12345678;
    quiet = 1;
    int accepted = 0, n = 0;
    for (int i = 0; i < 1000; i++) {
        memcpy(bad, req, len);
        size_t blen = len;
        int k = 1 + (int)((x = x * 1103515245u + 12345u) >> 16) % 4;
        for (int j = 0; j < k; j++) {
            x = x * 1103515245u + 12345u;
            size_t off = (x >> 8) % len;
            x = x * 1103515245u + 12345u;
            bad[off] ^= (uint8_t)(1 + (x >> 24) % 255);
        }
        if (i % 7 == 0) {
            x = x * 1103515245u + 12345u;
            blen = (x >> 8) % (len + 1);
        }
        if (blen == len && !memcmp(bad, req, len))
            continue;
        n++;
        if (add(sim, bad, blen) == UVC_RC_OK)
            accepted++;
    }
    char what[96];
    snprintf(what, sizeof what, "%d randomly damaged requests: none accepted, no crash", n);
    quiet = 0;
    EQ_INT(accepted, 0, what);
    EQ_INT(add(sim, req, len), UVC_RC_OK, "the undamaged request is still accepted");
    uvsim_close(sim);
}

/* Every retrievable type: listed length (raw + 32 for keys), retrieve content; the
 * plaintext extremes 16 and 8192 bytes. */
static void test_types(void)
{
    static const struct {
        uint16_t type;
        uint32_t len, listed;
    } types[] = {
        { ASR_T_AES128, 16, 48 },    { ASR_T_AES192, 24, 56 },     { ASR_T_AES256, 32, 64 },
        { ASR_T_AESXTS128, 32, 64 }, { ASR_T_AESXTS256, 64, 96 },  { ASR_T_HMAC256, 64, 96 },
        { ASR_T_HMAC512, 128, 160 }, { ASR_T_EC_P256, 32, 64 },    { ASR_T_EC_P384, 48, 80 },
        { ASR_T_EC_P521, 80, 112 },  { ASR_T_ED25519, 32, 64 },    { ASR_T_ED448, 64, 96 },
        { ASR_T_PLAIN, 16, 16 },     { ASR_T_PLAIN, 8192, 8192 },
    };
    const size_t nt = sizeof types / sizeof types[0];
    char err[SIM_ERR_MAX], what[128];
    struct uvsim *sim = sim_open(PLAIN_HDR, "vectors/pki/host.key", NULL);
    uvsim_set_limits(sim, 1, 20, err, sizeof err);
    static uint8_t value[8192], req[12000], rb[0x2000];
    struct uvsim_status st;
    uvsim_get_status(sim, &st);
    uint8_t in[26], wkvp[32];
    memcpy(in, "uvsim-wkvp", 10);
    memcpy(in + 10, st.cuid, 16);
    uvs_sha256(in, 26, wkvp);
    for (size_t i = 0; i < nt; i++) {
        for (uint32_t k = 0; k < types[i].len; k++)
            value[k] = (uint8_t)(i * 31 + k);
        if (types[i].type == ASR_T_PLAIN) {
            be16_store(value, (uint16_t)(types[i].len - 2));  /* a valid plaintext block */
        }
        struct rq r = rq_assoc();
        r.type = types[i].type;
        r.secret = value;
        r.len = types[i].len;
        r.id[0] = (uint8_t)i;
        size_t len = make_cap(&r, req, sizeof req);
        snprintf(what, sizeof what, "type 0x%04x with %u bytes accepted", types[i].type, types[i].len);
        EQ_INT(len ? add(sim, req, len) : 0, UVC_RC_OK, what);
        memset(rb, 0, sizeof rb);
        be16_store(rb, (uint16_t)i);
        struct uvio_ioctl_cb cb = { .argument_addr = (uint64_t)(uintptr_t)rb, .argument_len = types[i].listed };
        int e = uvsim_ioctl(sim, UVIO_IOCTL_RETR_SECRET, &cb);
        int good = e == 0 && cb.uv_rc == UVC_RC_OK && !memcmp(rb, value, types[i].len);
        if (types[i].listed > types[i].len)
            good &= !memcmp(rb + types[i].len, wkvp, 32);
        snprintf(what, sizeof what, "type 0x%04x: retrieve of %u bytes returns the value%s", types[i].type,
                 types[i].listed, types[i].listed > types[i].len ? " + verification pattern" : "");
        OK(good, what);
    }
    static uint8_t list[0x1000];
    struct uvio_ioctl_cb cb = { .argument_addr = (uint64_t)(uintptr_t)list, .argument_len = sizeof list };
    struct uvlist_view v;
    int good = uvsim_ioctl(sim, UVIO_IOCTL_LIST_SECRETS, &cb) == 0 && uvlist_parse(list, sizeof list, &v) == 0 &&
               v.num_stored == nt;
    for (unsigned i = 0; good && i < nt; i++) {
        struct uvlist_entry en;
        uvlist_entry_at(&v, i, &en);
        good &= en.type == types[i].type && en.length == types[i].listed && en.id[0] == i;
    }
    OK(good, "list: every type with its listed length (key types: raw + 32)");
    struct rq r = rq_assoc();
    r.type = ASR_T_PLAIN;
    r.secret = value;
    r.len = 8208;
    OK(make_cap(&r, req, sizeof req) == 0, "an 8208-byte plaintext cannot even be built");
    uvsim_close(sim);
}

static void test_stream_hash(void)
{
    struct sim_store s;
    uint8_t h[64], want[8];
    sim_store_init(&s);
    s.locked = 1;
    sim_stream_hash(&s, h);
    hex_decode_exact("7b54b66836c1fbdd", want, 8, 0);
    EQ_MEM(h, want, 8, "stream hash: no requests + locked = 7b54b66836c1fbdd...");
    sim_store_free(&s);
}

int main(void)
{
    if (!OK(tl_init() == 0, "shared vectors found (UVS_SHARED)"))
        return tap_done();
    if (!OK(tl_cert(tl_shared("vectors/pki/host.crt"), host1) == 0 &&
                tl_cert(tl_shared("vectors/pki/host2.crt"), host2) == 0 &&
                tl_tags(tl_shared(PLAIN_HDR), tags_plain) == 0 && tl_tags(tl_shared(CCKEXT_HDR), tags_cckext) == 0,
            "host certificates and header tags load"))
        return tap_done();
    tl_fill(val32, 0x11, 32);
    tl_fill(val24, 0x24, 24);
    tl_fill(aes256, 0x66, 32);
    memset(plain_block, 0, sizeof plain_block);
    if (!OK(asr_plain_encode((const uint8_t *)PLAIN_TEXT, 40, plain_block, sizeof plain_block) == 48,
            "40-byte plaintext encodes to 48 bytes"))
        return tap_done();
    char tmp[] = "/tmp/uvsim-test-XXXXXX";
    if (!OK(mkdtemp(tmp) != NULL, "temporary directory"))
        return tap_done();
    test_flips();
    test_checks();
    test_ext();
    test_effects(tmp);
    test_store_ops();
    test_paging();
    test_state(tmp);
    test_stream_hash();
    test_backup_keys(tmp);
    test_mutations();
    test_types();
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", tmp);
    uvs_rng_free(&tl_rng);
    return tap_done();
}
