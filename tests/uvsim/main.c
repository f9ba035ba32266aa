/* uvsim: command line of the simulated ultravisor (test infrastructure).
 *
 *   uvsim mkhdr --host-cert CRT [--host-cert CRT...] [--cck FILE] [--require-cck-ext]
 *               [--cck-update] [--no-dump | --dump] [--image] -o HDR
 *   uvsim check    SIMOPTS REQUEST...        per request: accepted | rejected rc= rrc= why
 *   uvsim list     SIMOPTS [--pages N]
 *   uvsim lock     SIMOPTS
 *   uvsim retrieve SIMOPTS --index N [--len L] -o FILE
 *   uvsim info     SIMOPTS
 *   uvsim state    SIMOPTS
 *   uvsim reboot   SIMOPTS
 *   uvsim sysfs    SIMOPTS -o DIR            a fake /sys/firmware/uv tree (for --sysfs)
 * SIMOPTS: --hdr HDR --host-key KEY [--host-key KEY...] [--state DIR] [--cuid HEX32]
 *          [--max-assoc N] [--max-retr N] [--legacy-kernel] [--dump-in-progress]
 *          (--hdr, --host-key and --state default to $UVSIM_HDR, $UVSIM_HOST_KEYS
 *          (colon-separated) and $UVSIM_STATE)
 * Exit status: 0 success (check: every request accepted), 1 a UV refusal, 2 usage or
 * file error (one line "uvsim: ..." on stderr). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "asr.h"
#include "be.h"
#include "hex.h"
#include "sehdr.h"
#include "sim.h"
#include "uvsim.h"

#define PROG "uvsim"
#define MAX_KEYS 95

static void usage_to(FILE *f)
{
    fprintf(f,
            "usage: " PROG " mkhdr --host-cert CRT [--host-cert CRT...] [--cck FILE] [--require-cck-ext]\n"
            "                   [--cck-update] [--no-dump | --dump] [--image] -o HDR\n"
            "       " PROG " check|list|lock|retrieve|info|state|reboot|sysfs --hdr HDR --host-key KEY\n"
            "                   [--host-key KEY...] [--state DIR] [--cuid HEX] [--max-assoc N]\n"
            "                   [--max-retr N] [--legacy-kernel] [--dump-in-progress] [ARGS]\n"
            "       check REQUEST...; list [--pages N]; retrieve --index N [--len L] -o FILE\n"
            "       sysfs -o DIR (a fake /sys/firmware/uv tree)\n");
}

/* A usage error: the usage on stderr, exit 2. */
static int usage(void)
{
    usage_to(stderr);
    return 2;
}

static int fail(const char *msg)
{
    fprintf(stderr, PROG ": %s\n", msg);
    return 2;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || end == s || *end || v > max || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

/* ---- mkhdr --------------------------------------------------------------------- */

static int cmd_mkhdr(int argc, char **argv)
{
    const char *certs[MAX_KEYS], *cck_path = NULL, *out = NULL;
    size_t n = 0;
    int cck_ext = 0, cck_update = 0, no_dump = 0, dump = 0, image = 0;
    char err[SIM_ERR_MAX];
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--host-cert") && i + 1 < argc) {
            if (n == MAX_KEYS)
                return fail("at most 95 host keys");
            certs[n++] = argv[++i];
        } else if (!strcmp(a, "--cck") && i + 1 < argc)
            cck_path = argv[++i];
        else if (!strcmp(a, "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(a, "--require-cck-ext"))
            cck_ext = 1;
        else if (!strcmp(a, "--cck-update"))
            cck_update = 1;
        else if (!strcmp(a, "--no-dump"))
            no_dump = 1;
        else if (!strcmp(a, "--dump"))
            dump = 1;
        else if (!strcmp(a, "--image"))
            image = 1;
        else
            return usage();
    }
    if (n == 0 || !out)
        return usage();
    /* Sanity rules of se-header.md §9 (as pvimg). */
    if (cck_ext && !cck_path)
        return fail("--require-cck-ext needs --cck (nobody could derive the extension secret)");
    if (cck_ext && cck_update)
        return fail("--require-cck-ext and --cck-update exclude each other");
    if (dump && no_dump)
        return fail("--dump and --no-dump exclude each other");
    if (dump && !cck_path && !cck_update)
        return fail("--dump needs --cck or --cck-update");

    uint8_t (*keys)[UVS_P521_PUB_LEN] = calloc(n, UVS_P521_PUB_LEN);
    if (!keys)
        return fail("out of memory");
    for (size_t i = 0; i < n; i++) {
        if (sim_load_host_cert(certs[i], keys[i], err, sizeof err) != 0) {
            free(keys);
            return fail(err);
        }
    }
    uint8_t cck[32];
    if (cck_path) {
        uint8_t *b;
        size_t len;
        if (sim_read_file(cck_path, 32, &b, &len, err, sizeof err) != 0) {
            free(keys);
            return fail(err);
        }
        if (len != 32) {
            sim_free_file(b, len + 1);
            free(keys);
            fprintf(stderr, PROG ": %s: a CCK must be exactly 32 bytes\n", cck_path);
            return 2;
        }
        memcpy(cck, b, 32);
        sim_free_file(b, len + 1);
    }
    /* Defaults: pvimg's PCF (PCKMO bits); dumping allowed when the CCK is known to
     * the builder (--cck) or CCK update is on, unless --no-dump. */
    uint64_t pcf = 0xE0;
    if (dump || ((cck_path || cck_update) && !no_dump))
        pcf |= SEHDR_PCF_ALLOW_DUMP;
    struct sim_mkhdr_params p = {
        .host_keys = (const uint8_t(*)[UVS_P521_PUB_LEN])keys,
        .nks = n,
        .cck = cck_path ? cck : NULL,
        .nep = 1,
        .pcf = pcf,
        .scf = (cck_ext ? SEHDR_SCF_CCK_EXT : 0) | (cck_update ? SEHDR_SCF_CCK_UPDATE : 0),
        .psw_mask = 0x0000000180000000ull,
        .psw_addr = 0x14000,
    };
    struct uvs_rng rng;
    if (uvs_rng_init(&rng) != 0) {
        free(keys);
        return fail("cannot seed the random generator");
    }
    size_t base = image ? SEIMG_SCAN_LAST : 0;
    size_t total = base + SEHDR_MAX_SIZE;
    uint8_t *buf = calloc(1, total);
    size_t hlen = 0;
    int rc = buf ? sim_mkhdr(&rng, &p, buf + base, SEHDR_MAX_SIZE, &hlen, err, sizeof err) : -1;
    uvs_rng_free(&rng);
    uvs_wipe(cck, sizeof cck);
    free(keys);
    if (rc != 0) {
        free(buf);
        return fail(buf ? err : "out of memory");
    }
    if (image) {
        /* Image metadata record at 0xC000 naming the header at 0x14000 (se-header.md §1.2). */
        memcpy(buf + SEIMG_META_OFF, SEIMG_META_MAGIC, 8);
        be64_store(buf + SEIMG_META_OFF + 8, SEIMG_SCAN_LAST);
        be32_store(buf + SEIMG_META_OFF + 16, 1);
        be64_store(buf + SEIMG_META_OFF + 20, 0);
    }
    rc = sim_write_atomic(out, buf, base + hlen, 1, err, sizeof err);
    free(buf);
    if (rc != 0)
        return fail(err);
    return 0;
}

/* ---- simulator commands ---------------------------------------------------------- */

struct simopts {
    const char *hdr, *state;
    const char *keys[MAX_KEYS];
    size_t nkeys;
    const char *cuid;
    long max_assoc, max_retr;
    int legacy, dump_busy;
    /* command arguments */
    const char *files[4096];
    size_t nfiles;
    long pages, index, len;
    const char *out;
};

static int parse_simopts(int argc, char **argv, struct simopts *o)
{
    memset(o, 0, sizeof *o);
    o->max_assoc = o->max_retr = o->pages = o->index = o->len = -1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        unsigned long v;
        if (!strcmp(a, "--hdr") && has)
            o->hdr = argv[++i];
        else if (!strcmp(a, "--host-key") && has) {
            if (o->nkeys == MAX_KEYS)
                return -1;
            o->keys[o->nkeys++] = argv[++i];
        } else if (!strcmp(a, "--state") && has)
            o->state = argv[++i];
        else if (!strcmp(a, "--cuid") && has)
            o->cuid = argv[++i];
        else if (!strcmp(a, "--legacy-kernel"))
            o->legacy = 1;
        else if (!strcmp(a, "--dump-in-progress"))
            o->dump_busy = 1;
        else if (!strcmp(a, "-o") && has)
            o->out = argv[++i];
        else if ((!strcmp(a, "--max-assoc") || !strcmp(a, "--max-retr") || !strcmp(a, "--pages") ||
                  !strcmp(a, "--index") || !strcmp(a, "--len")) &&
                 has) {
            if (parse_uint(argv[++i], 0xFFFF, &v) != 0)
                return -1;
            long *dst = !strcmp(a, "--max-assoc") ? &o->max_assoc
                        : !strcmp(a, "--max-retr") ? &o->max_retr
                        : !strcmp(a, "--pages")    ? &o->pages
                        : !strcmp(a, "--index")    ? &o->index
                                                   : &o->len;
            *dst = (long)v;
        } else if (a[0] == '-' && a[1])
            return -1;
        else {
            if (o->nfiles == sizeof o->files / sizeof o->files[0])
                return -1;
            o->files[o->nfiles++] = a;
        }
    }
    /* The contract's environment (uvsim.h) fills what the options left open. */
    if (!o->hdr)
        o->hdr = getenv(UVSIM_ENV_HDR);
    if (!o->state)
        o->state = getenv(UVSIM_ENV_STATE);
    static char keybuf[4096];
    const char *env_keys = getenv(UVSIM_ENV_KEYS);
    if (!o->nkeys && env_keys && strlen(env_keys) < sizeof keybuf) {
        strcpy(keybuf, env_keys);
        for (char *k = strtok(keybuf, ":"); k && o->nkeys < MAX_KEYS; k = strtok(NULL, ":"))
            o->keys[o->nkeys++] = k;
    }
    return o->hdr && o->nkeys ? 0 : -1;
}

static struct uvsim *open_sim(const struct simopts *o)
{
    char err[SIM_ERR_MAX];
    struct uvsim *sim = uvsim_open(o->hdr, o->keys, o->nkeys, o->state, err, sizeof err);
    if (!sim) {
        fail(err);
        return NULL;
    }
    if (o->cuid) {
        uint8_t cuid[16];
        if (hex_decode_exact(o->cuid, cuid, 16, 1) != 0 || uvsim_set_cuid(sim, cuid, err, sizeof err) != 0) {
            fail(o->cuid && hex_decode_exact(o->cuid, cuid, 16, 1) != 0 ? "--cuid: need 32 hex digits" : err);
            uvsim_close(sim);
            return NULL;
        }
    }
    if (o->max_assoc >= 0 || o->max_retr >= 0) {
        struct uvsim_status st;
        uvsim_get_status(sim, &st);
        unsigned ma = o->max_assoc >= 0 ? (unsigned)o->max_assoc : st.max_assoc;
        unsigned mr = o->max_retr >= 0 ? (unsigned)o->max_retr : st.max_retr;
        if (uvsim_set_limits(sim, ma, mr, err, sizeof err) != 0) {
            fail(err);
            uvsim_close(sim);
            return NULL;
        }
    }
    uvsim_set_kernel(sim, o->legacy ? UVSIM_KERNEL_LEGACY : UVSIM_KERNEL_MAINLINE);
    uvsim_set_dump_in_progress(sim, o->dump_busy);
    return sim;
}

static int cmd_check(struct uvsim *sim, const struct simopts *o)
{
    int all = 1;
    char err[SIM_ERR_MAX];
    if (o->nfiles == 0)
        return usage();
    for (size_t i = 0; i < o->nfiles; i++) {
        uint8_t *req;
        size_t len;
        if (sim_read_file(o->files[i], ASR_MAX_LEN, &req, &len, err, sizeof err) != 0)
            return fail(err);
        const char *why = "";
        uint16_t rc = len ? uvsim_add_secret(sim, req, len, &why) : UVC_RC_VERSION;
        sim_free_file(req, len + 1);
        if (rc == UVC_RC_OK) {
            printf("accepted\n");
        } else {
            all = 0;
            printf("rejected rc=0x%04x rrc=0x%04x %s\n", rc, 0, len ? why : "empty request");
        }
    }
    fflush(stdout);
    return all ? 0 : 1;
}

static int ioctl_or_fail(struct uvsim *sim, unsigned long nr, struct uvio_ioctl_cb *cb)
{
    int e = uvsim_ioctl(sim, nr, cb);
    if (e != 0) {
        fprintf(stderr, PROG ": ioctl failed: %s\n", strerror(-e));
        return -1;
    }
    return 0;
}

static int cmd_list(struct uvsim *sim, const struct simopts *o)
{
    size_t pages = o->pages > 0 ? (size_t)o->pages : 4;
    uint8_t *buf = calloc(pages, UVIO_LIST_SECRETS_LEN);
    if (!buf)
        return fail("out of memory");
    struct uvio_ioctl_cb cb = { .argument_addr = (uint64_t)(uintptr_t)buf,
                                .argument_len = (uint32_t)(pages * UVIO_LIST_SECRETS_LEN) };
    if (ioctl_or_fail(sim, UVIO_IOCTL_LIST_SECRETS, &cb) != 0) {
        free(buf);
        return 2;
    }
    struct uvlist_view v;
    if (uvlist_parse(buf, pages * UVIO_LIST_SECRETS_LEN, &v) != 0) {
        free(buf);
        return fail("list buffer inconsistent");
    }
    printf("rc=0x%04x total=%u stored=%u next=%u\n", cb.uv_rc, v.total, v.num_stored, v.next_index);
    for (unsigned i = 0; i < v.num_stored; i++) {
        struct uvlist_entry e;
        char id[65], name[ASR_TYPE_NAME_MAX];
        uvlist_entry_at(&v, i, &e);
        hex_encode(e.id, 32, id);
        printf("%u %s %u 0x%s\n", e.index, asr_type_name(e.type, name), e.length, id);
    }
    free(buf);
    return cb.uv_rc == UVC_RC_OK || cb.uv_rc == UVC_RC_MORE_DATA ? 0 : 1;
}

static int cmd_lock(struct uvsim *sim)
{
    struct uvio_ioctl_cb cb = { 0 };
    if (ioctl_or_fail(sim, UVIO_IOCTL_LOCK_SECRETS, &cb) != 0)
        return 2;
    if (cb.uv_rc == UVC_RC_OK) {
        printf("locked\n");
        return 0;
    }
    printf("rejected rc=0x%04x rrc=0x%04x %s\n", cb.uv_rc, cb.uv_rrc, uvc_rc_text(UVC_CALL_LOCK, cb.uv_rc));
    return 1;
}

/* The listed length of an entry (what a retrieve needs), 2 when not listed. */
static size_t entry_len(struct uvsim *sim, uint16_t index)
{
    static uint8_t buf[4 * UVIO_LIST_SECRETS_LEN];
    memset(buf, 0, sizeof buf);
    struct uvio_ioctl_cb cb = { .argument_addr = (uint64_t)(uintptr_t)buf, .argument_len = sizeof buf };
    struct uvlist_view v;
    if (uvsim_ioctl(sim, UVIO_IOCTL_LIST_SECRETS, &cb) != 0) {
        cb.argument_len = UVIO_LIST_SECRETS_LEN;
        if (uvsim_ioctl(sim, UVIO_IOCTL_LIST_SECRETS, &cb) != 0)
            return 2;
    }
    if (uvlist_parse(buf, sizeof buf, &v) != 0)
        return 2;
    for (unsigned i = 0; i < v.num_stored; i++) {
        struct uvlist_entry e;
        uvlist_entry_at(&v, i, &e);
        if (e.index == index)
            return e.length < 2 ? 2 : e.length > UVIO_RETR_SECRET_MAX_LEN ? UVIO_RETR_SECRET_MAX_LEN : e.length;
    }
    return 2;
}

static int cmd_retrieve(struct uvsim *sim, const struct simopts *o)
{
    if (o->index < 0 || !o->out)
        return usage();
    size_t len = o->len > 0 ? (size_t)o->len : entry_len(sim, (uint16_t)o->index);
    uint8_t *buf = calloc(1, len < 2 ? 2 : len);
    if (!buf)
        return fail("out of memory");
    be16_store(buf, (uint16_t)o->index);
    struct uvio_ioctl_cb cb = { .argument_addr = (uint64_t)(uintptr_t)buf, .argument_len = (uint32_t)len };
    if (ioctl_or_fail(sim, UVIO_IOCTL_RETR_SECRET, &cb) != 0) {
        free(buf);
        return 2;
    }
    int rc = 0;
    if (cb.uv_rc != UVC_RC_OK) {
        printf("rejected rc=0x%04x rrc=0x%04x %s\n", cb.uv_rc, cb.uv_rrc, uvc_rc_text(UVC_CALL_RETR, cb.uv_rc));
        rc = 1;
    } else {
        char err[SIM_ERR_MAX];
        if (sim_write_new(o->out, buf, len, 0, err, sizeof err) != 0)
            rc = fail(err);
        else
            printf("retrieved %zu bytes\n", len);
    }
    uvs_wipe(buf, len);
    free(buf);
    return rc;
}

static int cmd_info(struct uvsim *sim)
{
    uint8_t info[UVIO_INFO_LEN];
    struct uvio_ioctl_cb cb = { .argument_addr = (uint64_t)(uintptr_t)info, .argument_len = sizeof info };
    if (ioctl_or_fail(sim, UVIO_IOCTL_UVDEV_INFO, &cb) != 0)
        return 2;
    uint64_t a, b;
    memcpy(&a, info, 8);
    memcpy(&b, info + 8, 8);
    printf("uv_rc=0x%04x supp_uvio_cmds=0x%016llx supp_uv_cmds=0x%016llx\n", cb.uv_rc, (unsigned long long)a,
           (unsigned long long)b);
    return 0;
}

static int cmd_state(struct uvsim *sim)
{
    struct uvsim_status st;
    char cuid[33], tag[33], hash[129];
    uvsim_get_status(sim, &st);
    hex_encode(st.cuid, 16, cuid);
    hex_encode(st.hdr_tag, 16, tag);
    hex_encode(st.stream_hash, 64, hash);
    printf("cuid: %s\nheader_tag: %s\npcf: %016llx\nscf: %016llx\nlocked: %d\ndump_disabled: %d\n"
           "dump_allowed: %d\nextension_secret_set: %d\nsecrets: %zu\nmax_assoc_secrets: %u\n"
           "max_retr_secrets: %u\naccepted_requests: %lu\nstream_hash: %s\n",
           cuid, tag, (unsigned long long)st.pcf, (unsigned long long)st.scf, st.locked, st.dump_disabled,
           st.dump_allowed, st.ext_set, st.n_secrets, st.max_assoc, st.max_retr, st.n_accepted, hash);
    return 0;
}

/* A fake /sys/firmware/uv tree for the tools' --sysfs option (uvdevice.md §9): what an
 * SE guest with the secret-store calls and this simulator's capacities would show. */
static int cmd_sysfs(struct uvsim *sim, const struct simopts *o)
{
    if (!o->out)
        return usage();
    struct uvsim_status st;
    uvsim_get_status(sim, &st);
    /* Installed calls (MSB0): 28 attestation measurement, 29 add, 30 list, 31 lock,
     * 33 retrieve (not with the legacy driver's generation). */
    unsigned long long fac = (1ull << (63 - 28)) | (1ull << (63 - 29)) | (1ull << (63 - 30)) | (1ull << (63 - 31));
    if (!o->legacy)
        fac |= 1ull << (63 - 33);
    char fac_s[96], ma[16], mr[16], ms[16];
    snprintf(fac_s, sizeof fac_s, "%llx\n0\n0\n0\n", fac);
    snprintf(ma, sizeof ma, "%u\n", st.max_assoc);
    snprintf(mr, sizeof mr, "%u\n", st.max_retr);
    snprintf(ms, sizeof ms, "%u\n", st.max_assoc + st.max_retr);
    const struct {
        const char *name, *value;
    } files[] = {
        { "prot_virt_guest", "1\n" },
        { "prot_virt_host", "0\n" },
        { "query/facilities", fac_s },
        { "query/feature_indications", "0\n" },
        { "query/max_cpus", "8\n" },
        { "query/max_guests", "0\n" },
        { "query/max_address", "0\n" },
        { "query/supp_se_hdr_ver", "8000000000000000\n" },
        { "query/supp_se_hdr_pcf", "300050e3\n" },
        { "query/dump_storage_state_len", "0\n" },
        { "query/dump_finalize_len", "0\n" },
        { "query/uv_query_dump_cpu_len", "0\n" },
        { "query/supp_att_req_hdr_ver", "8000000000000000\n" },
        { "query/supp_att_pflags", "0\n" },
        { "query/supp_add_secret_req_ver", "8000000000000000\n" },
        { "query/supp_add_secret_pcf", "8000000000000000\n" },
        { "query/supp_secret_types", "7fe07e0000000000\n" },
        { "query/max_assoc_secrets", ma },
        { "query/max_retr_secrets", mr },
        { "query/max_secrets", ms },
    };
    char path[4096], err[SIM_ERR_MAX];
    if (mkdir(o->out, 0755) != 0) {
        fprintf(stderr, PROG ": %s: %s\n", o->out, strerror(errno));
        return 2;
    }
    snprintf(path, sizeof path, "%s/query", o->out);
    if (mkdir(path, 0755) != 0) {
        fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
        return 2;
    }
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if ((size_t)snprintf(path, sizeof path, "%s/%s", o->out, files[i].name) >= sizeof path)
            return fail("path too long");
        if (sim_write_new(path, (const uint8_t *)files[i].value, strlen(files[i].value), 1, err, sizeof err) != 0)
            return fail(err);
        chmod(path, 0444);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *cmd = argv[1];
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage_to(stdout);
            return 0;
        }
    if (!strcmp(cmd, "mkhdr"))
        return cmd_mkhdr(argc - 2, argv + 2);
    static struct simopts o;
    if (parse_simopts(argc - 2, argv + 2, &o) != 0)
        return usage();
    int known = !strcmp(cmd, "check") || !strcmp(cmd, "list") || !strcmp(cmd, "lock") ||
                !strcmp(cmd, "retrieve") || !strcmp(cmd, "info") || !strcmp(cmd, "state") ||
                !strcmp(cmd, "reboot") || !strcmp(cmd, "sysfs");
    if (!known)
        return usage();
    if (strcmp(cmd, "check") && o.nfiles)
        return usage();
    struct uvsim *sim = open_sim(&o);
    if (!sim)
        return 2;
    int rc;
    char err[SIM_ERR_MAX];
    if (!strcmp(cmd, "check"))
        rc = cmd_check(sim, &o);
    else if (!strcmp(cmd, "list"))
        rc = cmd_list(sim, &o);
    else if (!strcmp(cmd, "lock"))
        rc = cmd_lock(sim);
    else if (!strcmp(cmd, "retrieve"))
        rc = cmd_retrieve(sim, &o);
    else if (!strcmp(cmd, "info"))
        rc = cmd_info(sim);
    else if (!strcmp(cmd, "state"))
        rc = cmd_state(sim);
    else if (!strcmp(cmd, "sysfs"))
        rc = cmd_sysfs(sim, &o);
    else
        rc = uvsim_reboot(sim, err, sizeof err) == 0 ? (printf("rebooted\n"), 0) : fail(err);
    uvsim_close(sim);
    return rc;
}
