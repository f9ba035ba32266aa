/* boot: configuration -> device check -> collect (initramfs, config disk, boot media)
 * -> check everything -> add -> lock -> required -> retrieve -> status.json.
 * cleanup: wipe and remove /run/uvsecret/keys. */
#include "boot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bearssl.h>

#include "asr.h"
#include "cmd.h"
#include "conf.h"
#include "disk.h"
#include "hex.h"
#include "ids.h"
#include "policy.h"
#include "sig.h"
#include "util.h"
#include "uvcall.h"

enum cand_state { C_PENDING, C_ADDED, C_SKIPPED, C_IGNORED, C_REJECTED };
static const char *const state_names[] = { "pending", "added", "skipped", "ignored", "rejected" };

struct cand {
    const char *source;              /* "initramfs", "disk", "boot"          */
    char name[256];                  /* file name as found (sanitised)       */
    uint8_t *buf;
    size_t len;
    struct asr_view v;
    enum cand_state state;
    int is_toc;                      /* the TOC request itself               */
    int in_toc;                      /* listed in toc.pol                    */
    int toc_pos;
    char reason[200];
};

static uint8_t pool[BOOT_MAX_REQUESTS][ASR_LARGEST_VALID];
static struct cand cands[BOOT_MAX_REQUESTS];
static size_t ncand;
static char names[BOOT_MAX_REQUESTS][256];
static uint8_t list_buf[UVCALL_LIST_CAP];
static uint8_t file_buf[TOC_FILE_MAX];
static uint8_t secret_buf[UVIO_RETR_SECRET_MAX_LEN];
static struct sig_key signers[SIG_MAX_KEYS];
static size_t nsigners;
static char status[65536];

struct boot {
    const struct gopts *g;
    const char *root;
    struct early_conf conf;
    char run[EARLY_PATH_MAX];        /* ROOT/run/uvsecret                    */
    int kmsg;
    int locked;
    int lock_tried;
    char result_reason[256];
    char retrieved[CONF_LIST_MAX];
    char missing[CONF_LIST_MAX];
    unsigned copy_seq;
};

static int wipe_dir(const char *path, int do_wipe);

/* ---- logging -------------------------------------------------------------------- */

static void logline(struct boot *b, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void logline(struct boot *b, const char *f, ...)
{
    char line[768];
    va_list ap;
    size_t n;
    memcpy(line, "uvsecret: ", 10);
    va_start(ap, f);
    vsnprintf(line + 10, sizeof(line) - 11, f, ap);
    va_end(ap);
    n = strlen(line);
    line[n++] = '\n';
    (void)write_all(2, line, n);
    if (b->kmsg >= 0) {
        char k[800];
        int kl = snprintf(k, sizeof(k), "<5>%.*s", (int)n, line);
        if (kl > 0)
            (void)write(b->kmsg, k, (size_t)kl < sizeof(k) ? (size_t)kl : sizeof(k) - 1);
    }
}

static void sanitize(const char *in, char *out, size_t cap)
{
    size_t i;
    for (i = 0; in[i] && i + 1 < cap; i++)
        out[i] = ((unsigned char)in[i] < 0x20 || (unsigned char)in[i] > 0x7e) ? '?' : in[i];
    out[i] = 0;
}

static void cand_set(struct cand *c, enum cand_state s, const char *f, ...)
    __attribute__((format(printf, 3, 4)));
static void cand_set(struct cand *c, enum cand_state s, const char *f, ...)
{
    va_list ap;
    c->state = s;
    va_start(ap, f);
    vsnprintf(c->reason, sizeof(c->reason), f, ap);
    va_end(ap);
}

/* The job's result reason; long names are cut (the reason stays one line). */
static void set_reason(struct boot *b, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void set_reason(struct boot *b, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(b->result_reason, sizeof(b->result_reason), f, ap);
    va_end(ap);
}

/* The request's kind for the boot log and status.json: pvsecret's list name for
 * listable types ("Association", "AES-256-KEY", ...), but "meta" and "update-CCK" for
 * the two kinds pvsecret lists as "Invalid(0x....)" (they never appear in a list; a
 * valid TOC request is a meta request).  `list` keeps pvsecret's names. */
static const char *kind_name(uint16_t type, char out[ASR_TYPE_NAME_MAX])
{
    if (type == ASR_T_NULL)
        return "meta";
    if (type == ASR_T_UPDATE_CCK)
        return "update-CCK";
    return asr_type_name(type, out);
}

/* ---- status.json ---------------------------------------------------------------- */

static void write_status(struct boot *b, int code, const char *result)
{
    char path[EARLY_PATH_MAX];
    size_t pos = 0;
    int bad = 0;

    bad |= json_add(status, sizeof(status), &pos, "{\"result\":");
    bad |= json_str(status, sizeof(status), &pos, result, strlen(result));
    bad |= json_add(status, sizeof(status), &pos, ",\"exit\":%d,\"reason\":", code);
    bad |= json_str(status, sizeof(status), &pos, b->result_reason, strlen(b->result_reason));
    bad |= json_add(status, sizeof(status), &pos, ",\"locked\":%s,\"requests\":[",
                    b->locked ? "true" : "false");
    for (size_t i = 0; i < ncand; i++) {
        struct cand *c = &cands[i];
        char name[ASR_TYPE_NAME_MAX], hex[65] = "";
        if (c->v.id)
            hex_encode(c->v.id, 32, hex);
        bad |= json_add(status, sizeof(status), &pos, "%s{\"source\":\"%s\",\"file\":",
                        i ? "," : "", c->source);
        bad |= json_str(status, sizeof(status), &pos, c->name, strlen(c->name));
        bad |= json_add(status, sizeof(status), &pos, ",\"state\":\"%s\",\"reason\":",
                        state_names[c->state]);
        bad |= json_str(status, sizeof(status), &pos, c->reason, strlen(c->reason));
        if (c->v.buf) {
            bad |= json_add(status, sizeof(status), &pos, ",\"type\":\"%s\"",
                            kind_name(c->v.secret_type, name));
            if (c->v.id)
                bad |= json_add(status, sizeof(status), &pos, ",\"id\":\"0x%s\"", hex);
            bad |= json_add(status, sizeof(status), &pos, ",\"user_data\":\"%s\"",
                            asr_ud_kind_name(c->v.ud_type));
        }
        if (c->is_toc)
            bad |= json_add(status, sizeof(status), &pos, ",\"toc\":true");
        bad |= json_add(status, sizeof(status), &pos, "}");
    }
    bad |= json_add(status, sizeof(status), &pos, "],\"retrieved\":");
    bad |= json_str(status, sizeof(status), &pos, b->retrieved, strlen(b->retrieved));
    bad |= json_add(status, sizeof(status), &pos, ",\"missing\":");
    bad |= json_str(status, sizeof(status), &pos, b->missing, strlen(b->missing));
    bad |= json_add(status, sizeof(status), &pos, "}\n");
    if (bad) {
        pos = 0;
        json_add(status, sizeof(status), &pos, "{\"result\":\"%s\",\"exit\":%d,\"truncated\":true}\n",
                 result, code);
    }
    if (fmt(path, sizeof(path), "%s/status.json", b->run) != 0 ||
        write_file_atomic(path, status, pos, 0644, 1) != 0)
        msg("%s/status.json: %s", b->run, strerror(errno));
}

static int finish(struct boot *b, int code, const char *result, const char *f, ...)
    __attribute__((format(printf, 4, 5)));
static int finish(struct boot *b, int code, const char *result, const char *f, ...)
{
    char reason[sizeof(b->result_reason)];
    va_list ap;
    va_start(ap, f);
    vsnprintf(reason, sizeof(reason), f, ap);
    va_end(ap);
    memcpy(b->result_reason, reason, sizeof(reason));
    logline(b, "%s: %s (exit %d)", result, b->result_reason, code);
    write_status(b, code, result);
    if (b->kmsg >= 0)
        close(b->kmsg);
    return code;
}

/* ---- directories ---------------------------------------------------------------- */

static int mkdir_private(const char *path, unsigned mode)
{
    struct stat st;
    if (mkdir(path, mode) != 0 && errno != EEXIST)
        return -1;
    if (lstat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return chmod(path, mode);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcmp(s + n - m, suf) == 0;
}

/* Lists the *.asr names in dirfd (sorted) into names[]; refuses more than
 * BOOT_MAX_DIR_ENTRIES entries or more *.asr files than slots left. */
static int scan_dir(int dirfd, size_t slots, size_t *count, char *why, size_t wl)
{
    int fd = dup(dirfd);
    DIR *d;
    struct dirent *de;
    size_t entries = 0;

    *count = 0;
    if (fd < 0 || (d = fdopendir(fd)) == NULL) {
        if (fd >= 0)
            close(fd);
        (void)fmt(why, wl, "cannot read directory: %s", strerror(errno));
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (++entries > BOOT_MAX_DIR_ENTRIES) {
            closedir(d);
            (void)fmt(why, wl, "too many directory entries (more than %d)", BOOT_MAX_DIR_ENTRIES);
            return -1;
        }
        if (!ends_with(de->d_name, ".asr"))
            continue;
        if (*count >= slots) {
            closedir(d);
            (void)fmt(why, wl, "too many request files (more than %d in all)", BOOT_MAX_REQUESTS);
            return -1;
        }
        if (strlen(de->d_name) >= sizeof(names[0])) {
            closedir(d);
            (void)fmt(why, wl, "file name too long");
            return -1;
        }
        memcpy(names[*count], de->d_name, strlen(de->d_name) + 1);
        (*count)++;
    }
    closedir(d);
    qsort(names, *count, sizeof(names[0]), name_cmp);
    return 0;
}

/* Reads one candidate from an untrusted directory into the pool and keeps a copy in
 * the private work directory.  -1 with the reason in the candidate. */
static int take_file(struct boot *b, int dirfd, const char *name, const char *source,
                     struct cand **out)
{
    struct cand *c = &cands[ncand];
    char copy[EARLY_PATH_MAX];
    const char *why;
    enum asr_err e;

    memset(c, 0, sizeof(*c));
    c->source = source;
    sanitize(name, c->name, sizeof(c->name));
    c->buf = pool[ncand];
    ncand++;
    *out = c;
    if (read_file_safe(dirfd, name, c->buf, ASR_LARGEST_VALID, &c->len, &why) != 0) {
        cand_set(c, C_REJECTED, "%s", strcmp(why, "file too large") == 0
                                          ? "file too large for a request"
                                          : why);
        return -1;
    }
    if (fmt(copy, sizeof(copy), "%s/work/%03u-%s.asr", b->run, b->copy_seq++, source) != 0 ||
        write_file_atomic(copy, c->buf, c->len, 0600, 0) != 0) {
        cand_set(c, C_REJECTED, "cannot copy to tmpfs: %s", strerror(errno));
        return -2;
    }
    e = asr_parse(c->buf, c->len, &c->v);
    if (e != ASR_OK) {
        cand_set(c, C_REJECTED, "%s", asr_strerror(e));
        return -1;
    }
    return 0;
}

/* Collects every *.asr of dirfd.  0, -1 policy failure (logged), -2 tmpfs failure. */
static int collect_dir(struct boot *b, int dirfd, const char *source, const char *label)
{
    char why[160];
    size_t n;

    if (scan_dir(dirfd, BOOT_MAX_REQUESTS - ncand, &n, why, sizeof(why)) != 0) {
        set_reason(b, "%s: %s", label, why);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        struct cand *c;
        int r = take_file(b, dirfd, names[i], source, &c);
        if (r != 0) {
            set_reason(b, "%s/%s: %s", label, c->name,
                     c->reason);
            return r;
        }
    }
    return 0;
}

/* ---- checks --------------------------------------------------------------------- */

static int load_signers(struct boot *b, char *why, size_t wl)
{
    char path[EARLY_PATH_MAX];
    int dfd;
    size_t n;
    const char *w;

    nsigners = 0;
    if (fmt(path, sizeof(path), "%s/etc/uvsecret/signers", b->root) != 0)
        return -1;
    dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return errno == ENOENT ? 0 : ((void)fmt(why, wl, "%s: %s", path, strerror(errno)), -1);
    {
        DIR *d = fdopendir(dfd);
        struct dirent *de;
        size_t cnt = 0;
        static char snames[BOOT_MAX_SIGNER_FILES][256];
        if (!d) {
            close(dfd);
            (void)fmt(why, wl, "%s: %s", path, strerror(errno));
            return -1;
        }
        while ((de = readdir(d)) != NULL) {
            if (!ends_with(de->d_name, ".pem") && !ends_with(de->d_name, ".der") &&
                !ends_with(de->d_name, ".crt"))
                continue;
            if (cnt >= BOOT_MAX_SIGNER_FILES || strlen(de->d_name) >= 256) {
                closedir(d);
                (void)fmt(why, wl, "%s: too many signer files", path);
                return -1;
            }
            memcpy(snames[cnt++], de->d_name, strlen(de->d_name) + 1);
        }
        qsort(snames, cnt, sizeof(snames[0]), name_cmp);
        for (size_t i = 0; i < cnt; i++) {
            if (read_file_safe(dirfd(d), snames[i], file_buf, sizeof(file_buf), &n, &w) != 0 ||
                sig_load_certs(file_buf, n, signers, SIG_MAX_KEYS, &nsigners, &w) < 0) {
                (void)fmt(why, wl, "%s/%s: %s", path, snames[i], w);
                closedir(d);
                wipe(file_buf, sizeof(file_buf));
                return -1;
            }
        }
        wipe(file_buf, sizeof(file_buf));
        closedir(d);
    }
    return 0;
}

static int check_signature(struct cand *c)
{
    const char *why = "no signer key matches the user-data type";
    int any = 0;
    for (size_t k = 0; k < nsigners; k++) {
        if (sig_key_ud_type(&signers[k]) != (int)c->v.ud_type)
            continue;
        any = 1;
        if (sig_verify_request(&c->v, &signers[k], &why) == 0)
            return 0;
    }
    if (c->v.ud_type == ASR_UD_NONE || c->v.ud_type == ASR_UD_UNSIGNED)
        cand_set(c, C_REJECTED, "not signed, but trusted signers are configured");
    else
        cand_set(c, C_REJECTED, "%s", any ? "signature does not verify with any trusted signer"
                                          : why);
    return -1;
}

static void sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
    br_sha256_context h;
    br_sha256_init(&h);
    br_sha256_update(&h, p, n);
    br_sha256_out(&h, out);
}

/* Reads the policy file pname of dirfd into file_buf (*n bytes) and checks it against
 * its SHA-256 reference.  0, or -1 with *why. */
static int read_pinned(int dirfd, const char *pname, const uint8_t want[32], size_t *n,
                       const char **why)
{
    uint8_t got[32];
    if (read_file_safe(dirfd, pname, file_buf, sizeof(file_buf), n, why) != 0)
        return -1;
    sha256(file_buf, *n, got);
    if (memcmp(want, got, 32) != 0) {
        *why = "does not match its SHA-256 reference";
        return -1;
    }
    return 0;
}

/* Checks a non-zero PolicyReference of a request against a file of dirfd. */
static int check_policy_ref(struct cand *c, int dirfd)
{
    uint8_t want[32];
    char pname[POLICY_NAME_MAX + 1];
    const char *why;
    size_t n;
    int r;

    if (c->v.ud_type != ASR_UD_UNSIGNED)
        return 0;
    r = policy_ref_parse(c->v.user_data, want, pname, &why);
    if (r < 0)
        cand_set(c, C_REJECTED, "%s", why);
    else if (r > 0 && read_pinned(dirfd, pname, want, &n, &why) != 0)
        cand_set(c, C_REJECTED, "policy file %s: %s", pname, why);
    else
        return 0;
    return -1;
}

/* TOC mode on the candidates [first, ncand) read from dirfd. */
static int check_toc(struct boot *b, int dirfd, size_t first, const char *label)
{
    struct cand *toc = NULL;
    uint8_t want[32], tags[TOC_MAX_TAGS][16];
    char pname[POLICY_NAME_MAX + 1];
    const char *why;
    size_t n, ntags;
    unsigned line;
    int r;

    for (size_t i = first; i < ncand; i++)
        if (strcmp(cands[i].name, b->conf.toc) == 0)
            toc = &cands[i];
    if (!toc) {
        set_reason(b, "%s/%s: TOC request not found",
                 label, b->conf.toc);
        return -1;
    }
    toc->is_toc = 1;
    /* The TOC request is the one request exempt from the signer check (its user data is
     * the policy reference): it may carry no secret, or a host could make its own toc.pol
     * and a toc.asr holding its own secret (e.g. the LUKS key) past trusted signers. */
    if (toc->v.secret_type != ASR_T_NULL) {
        cand_set(toc, C_REJECTED, "TOC request is not a meta request");
        goto bad;
    }
    if (toc->v.ud_type != ASR_UD_UNSIGNED ||
        (r = policy_ref_parse(toc->v.user_data, want, pname, &why)) == 0) {
        cand_set(toc, C_REJECTED, "TOC request carries no policy reference");
        goto bad;
    }
    if (r < 0) {
        cand_set(toc, C_REJECTED, "%s", why);
        goto bad;
    }
    if (read_pinned(dirfd, pname, want, &n, &why) != 0) {
        cand_set(toc, C_REJECTED, "TOC policy %s: %s", pname, why);
        goto bad;
    }
    if (toc_parse(file_buf, n, tags, TOC_MAX_TAGS, &ntags, &line, &why) != 0) {
        cand_set(toc, C_REJECTED, "TOC policy %s line %u: %s", pname, line, why);
        goto bad;
    }
    for (size_t t = 0; t < ntags; t++) {
        struct cand *hit = NULL;
        char hex[33];
        for (size_t i = first; i < ncand && !hit; i++)
            if (&cands[i] != toc && !cands[i].in_toc &&
                memcmp(cands[i].buf + cands[i].len - 16, tags[t], 16) == 0)
                hit = &cands[i];
        if (!hit) {
            hex_encode(tags[t], 16, hex);
            cand_set(toc, C_REJECTED, "no request with tag %s (line %zu of %s)", hex, t + 1,
                     pname);
            goto bad;
        }
        hit->in_toc = 1;
        hit->toc_pos = (int)t;
        if (check_policy_ref(hit, dirfd) != 0) {
            set_reason(b, "%s/%s: %s", label, hit->name,
                     hit->reason);
            return -1;
        }
    }
    for (size_t i = first; i < ncand; i++)
        if (&cands[i] != toc && !cands[i].in_toc)
            cand_set(&cands[i], C_IGNORED, "not listed in the TOC policy");
    /* Add order within this source: toc.asr, then toc.pol order. */
    {
        static struct cand tmp[BOOT_MAX_REQUESTS];
        size_t k = 0;
        tmp[k++] = *toc;
        for (size_t t = 0; t < ntags; t++)
            for (size_t i = first; i < ncand; i++)
                if (cands[i].in_toc && cands[i].toc_pos == (int)t)
                    tmp[k++] = cands[i];
        for (size_t i = first; i < ncand; i++)
            if (!cands[i].is_toc && !cands[i].in_toc)
                tmp[k++] = cands[i];
        memcpy(&cands[first], tmp, k * sizeof(tmp[0]));
    }
    return 0;
bad:
    set_reason(b, "%s/%s: %s", label, toc->name,
             toc->reason);
    return -1;
}

/* ---- required / retrieve -------------------------------------------------------- */

static int id_known(const struct uvlist_view *lv, const uint8_t id[32])
{
    unsigned dups;
    if (lv && id_find(lv, id, &dups) >= 0)
        return 1;
    for (size_t i = 0; i < ncand; i++)
        if (cands[i].state == C_PENDING && cands[i].v.id && memcmp(cands[i].v.id, id, 32) == 0)
            return 1;
    return 0;
}

/* Every secret of list (required, or to retrieve) is in the store or among the pending
 * requests: 1 yes, 0 no (b->missing names them), -1 bad list. */
static int present_ok(struct boot *b, const struct uvlist_view *lv, const char *list)
{
    char item[CONF_VAL_MAX];
    size_t pos = 0;
    int r, all = 1;

    while ((r = conf_list_next(list, &pos, item, sizeof(item))) > 0) {
        uint8_t ids[2][32];
        int found = 0, n;
        if (strncmp(item, "0x", 2) == 0 && id_parse_hex(item, ids[0]) == 0)
            n = 1;
        else
            n = id_name_ids(item, ids);
        for (int k = 0; k < n && !found; k++)
            found = id_known(lv, ids[k]);
        if (!found) {
            size_t ml = strlen(b->missing);
            snprintf(b->missing + ml, sizeof(b->missing) - ml, "%s%s", ml ? "," : "", item);
            all = 0;
        }
    }
    return r < 0 ? -1 : all;
}

static int do_retrieve(struct boot *b, struct uv_dev *d)
{
    char item[CONF_VAL_MAX], keys[EARLY_PATH_MAX], path[EARLY_PATH_MAX], why[160];
    struct uvlist_view lv;
    struct uvcall_res res;
    size_t pos = 0, len;
    int partial, r;

    if (!b->conf.retrieve[0])
        return BOOT_OK;
    if (fmt(keys, sizeof(keys), "%s/keys", b->run) != 0 || mkdir_private(keys, 0700) != 0) {
        set_reason(b, "%s: %s", keys, strerror(errno));
        return BOOT_ERROR;
    }
    if (uvcall_list(d, list_buf, &len, &partial, &res) != 0 ||
        uvlist_parse(list_buf, len, &lv) != 0) {
        uvcall_describe(UVC_CALL_LIST, &res, why, sizeof(why));
        set_reason(b, "listing the store: %s", why);
        return BOOT_UV_REFUSED;
    }
    while ((r = conf_list_next(b->conf.retrieve, &pos, item, sizeof(item))) > 0) {
        uint8_t id[32];
        struct uvlist_entry e;
        const uint8_t *data = secret_buf;
        size_t n, dlen;
        int at = id_find_name(&lv, item, id);
        if (at < 0) {
            set_reason(b, "secret '%s' to retrieve is not in the store", item);
            size_t ml = strlen(b->missing);
            snprintf(b->missing + ml, sizeof(b->missing) - ml, "%s%s", ml ? "," : "", item);
            return BOOT_POLICY;
        }
        uvlist_entry_at(&lv, (unsigned)at, &e);
        n = e.length < 2 ? 2 : e.length;
        if (e.length > UVIO_RETR_SECRET_MAX_LEN) {
            set_reason(b, "secret '%s' too large (%u)",
                     item, (unsigned)e.length);
            return BOOT_UV_REFUSED;
        }
        if (uvcall_retrieve(d, e.index, secret_buf, n, &res) != 0) {
            uvcall_describe(UVC_CALL_RETR, &res, why, sizeof(why));
            set_reason(b, "retrieving '%s': %s", item, why);
            wipe(secret_buf, sizeof(secret_buf));
            return BOOT_UV_REFUSED;
        }
        dlen = n;
        if (e.type == ASR_T_PLAIN && asr_plain_decode(secret_buf, n, &dlen))
            data = secret_buf + 2;
        if (fmt(path, sizeof(path), "%s/%s", keys, item) != 0 ||
            write_file_atomic(path, data, dlen, 0400, 1) != 0) {
            set_reason(b, "%s/%s: %s", keys, item,
                     strerror(errno));
            wipe(secret_buf, sizeof(secret_buf));
            return BOOT_ERROR;
        }
        wipe(secret_buf, sizeof(secret_buf));
        logline(b, "retrieved '%s' to %s", item, path);
        size_t rl = strlen(b->retrieved);
        snprintf(b->retrieved + rl, sizeof(b->retrieved) - rl, "%s%s", rl ? "," : "", item);
    }
    return r < 0 ? BOOT_ERROR : BOOT_OK;
}

/* ---- main flow ------------------------------------------------------------------ */

static int read_trusted(const char *path, char *buf, size_t cap, size_t *len)
{
    const char *why;
    if (read_file_safe(AT_FDCWD, path, (uint8_t *)buf, cap - 1, len, &why) != 0) {
        if (errno == ENOENT)
            return 1;
        msg("%s: %s", path, why);
        return -1;
    }
    buf[*len] = 0;
    return 0;
}

static char text[CONF_FILE_MAX + 1];

/* Applies a command-line style file (absent is fine).  0, or -1 after one message. */
static int apply_cmdline_file(struct boot *b, const char *path)
{
    char err[256];
    size_t len;
    int r = read_trusted(path, text, sizeof(text), &len);
    if (r < 0)
        return -1;
    if (r == 0 && conf_parse_cmdline(&b->conf, text, len, err, sizeof(err)) != 0) {
        msg("%s: %s", path, err);
        return -1;
    }
    return 0;
}

static int load_conf(struct boot *b, const char *cmdline)
{
    char path[EARLY_PATH_MAX], err[256];
    size_t len;
    int r;

    conf_defaults(&b->conf);
    if (fmt(path, sizeof(path), "%s/etc/uvsecret/uvsecret.conf", b->root) != 0)
        return -1;
    errno = 0;
    r = read_trusted(path, text, sizeof(text), &len);
    if (r < 0)
        return -1;
    if (r == 0 && conf_parse_file(&b->conf, text, len, err, sizeof(err)) != 0) {
        msg("%s: %s", path, err);
        return -1;
    }
    /* dracut's sources of the command line, in its order (early-boot.md §3.7):
     * /etc/cmdline.d/NAME.conf, /etc/cmdline, then /proc/cmdline; the last word wins. */
    if (fmt(path, sizeof(path), "%s/etc/cmdline.d", b->root) == 0) {
        static char cnames[BOOT_MAX_SIGNER_FILES][256];
        size_t cnt = 0;
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d)) != NULL) {
            if (!ends_with(de->d_name, ".conf") || strlen(de->d_name) >= 256)
                continue;
            if (cnt >= BOOT_MAX_SIGNER_FILES) {
                msg("%s: too many files", path);
                closedir(d);
                return -1;
            }
            memcpy(cnames[cnt++], de->d_name, strlen(de->d_name) + 1);
        }
        if (d)
            closedir(d);
        qsort(cnames, cnt, sizeof(cnames[0]), name_cmp);
        for (size_t i = 0; i < cnt; i++) {
            char f[EARLY_PATH_MAX];
            if (fmt(f, sizeof(f), "%s/%s", path, cnames[i]) != 0 || apply_cmdline_file(b, f) != 0)
                return -1;
        }
    }
    if (fmt(path, sizeof(path), "%s/etc/cmdline", b->root) != 0 || apply_cmdline_file(b, path) != 0)
        return -1;
    if (cmdline ? fmt(path, sizeof(path), "%s", cmdline) != 0
                : fmt(path, sizeof(path), "%s/proc/cmdline", b->root) != 0)
        return -1;
    if (apply_cmdline_file(b, path) != 0)
        return -1;
    conf_finish(&b->conf);
    /* Names for retrieve become file names. */
    {
        char item[CONF_VAL_MAX];
        size_t pos = 0;
        while ((r = conf_list_next(b->conf.retrieve, &pos, item, sizeof(item))) > 0)
            if (!conf_safe_name(item)) {
                msg("retrieve: '%s' is not a safe file name", item);
                return -1;
            }
        if (r < 0) {
            msg("retrieve: item too long");
            return -1;
        }
        pos = 0;
        while ((r = conf_list_next(b->conf.required, &pos, item, sizeof(item))) > 0)
            ;
        if (r < 0) {
            msg("required: item too long");
            return -1;
        }
    }
    return 0;
}

/* Reads one disk source.  0 ok (also: absent), -1 policy failure, -2 tmpfs failure,
 * -3 configuration/mount error. */
static int collect_disk(struct boot *b, const char *spec, const char *dir, const char *source,
                        int toc_here)
{
    char mnt[EARLY_PATH_MAX], why[256], label[600];
    int top, sub, mounted, r;
    size_t first = ncand;

    if (strcmp(spec, "none") == 0)
        return 0;
    if (fmt(mnt, sizeof(mnt), "%s/mnt-%s", b->run, source) != 0)
        return -3;
    r = disk_open(b->root, spec, b->conf.timeout, mnt, &top, &mounted, why, sizeof(why));
    if (r == 1) {
        logline(b, "%s %s not found after %u s", source, spec, b->conf.timeout);
        if (toc_here) {
            set_reason(b, "%s %s with the TOC not found", source, spec);
            return -1;
        }
        return 0;
    }
    if (r < 0) {
        set_reason(b, "%s %s: %s", source, spec, why);
        return toc_here ? -1 : -3;
    }
    snprintf(label, sizeof(label), "%s:%s", spec, dir);
    sub = open_subdir(top, dir);
    if (sub < 0) {
        if (errno == ENOENT && !toc_here) {
            logline(b, "%s: no directory %s", spec, dir);
            disk_close(mnt, top, mounted);
            return 0;
        }
        set_reason(b, "%s: %s", label,
                 errno == ELOOP || errno == ENOTDIR ? "not a directory (or a symbolic link)"
                                                    : strerror(errno));
        disk_close(mnt, top, mounted);
        return -1;
    }
    r = collect_dir(b, sub, source, label);
    if (r == 0 && toc_here)
        r = check_toc(b, sub, first, label);
    close(sub);
    disk_close(mnt, top, mounted);
    return r;
}

static int boot_run(struct boot *b)
{
    char path[EARLY_PATH_MAX], why[256];
    struct uv_dev d;
    struct uvlist_view lv;
    struct uvcall_res res;
    size_t len, pending = 0;
    int r, partial, have_list = 0;

    if (!b->conf.enabled)
        return finish(b, BOOT_NOTHING, "disabled", "rd.uvsecret=0");
    r = uv_open(&d, b->g->device);
    if (r != 0) {
        int code = b->conf.nose ? BOOT_POLICY : BOOT_NOT_SE;
        char pvg[8] = "";
        size_t pl;
        /* Tell "not an SE guest" from "SE guest without the uvdevice driver". */
        if (fmt(path, sizeof(path), "%s/prot_virt_guest", b->g->sysfs) == 0 &&
            read_trusted(path, pvg, sizeof(pvg), &pl) == 0 && pl > 0 && pvg[0] == '1')
            snprintf(why, sizeof(why), "an SE guest (prot_virt_guest=1) without %s", b->g->device);
        else
            snprintf(why, sizeof(why), "not an SE guest");
        return finish(b, code, "not-se", "%s: no ultravisor device %s (%s)%s", why, b->g->device,
                      strerror(-r), code == BOOT_POLICY ? "; nose=fail or required set" : "");
    }
    if (load_signers(b, why, sizeof(why)) != 0) {
        uv_close(&d);
        return finish(b, BOOT_ERROR, "error", "trusted signers: %s", why);
    }
    /* 1. baked-in requests (trusted place, still checked like the others). */
    if (fmt(path, sizeof(path), "%s/etc/uvsecret/requests", b->root) == 0) {
        int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            r = collect_dir(b, dfd, "initramfs", "/etc/uvsecret/requests");
            close(dfd);
            if (r != 0)
                goto collect_failed;
        }
    }
    /* 2. config disk, 3. boot media. */
    {
        int toc_on_boot = b->conf.toc[0] && strcmp(b->conf.bootdev, "none") != 0;
        int toc_on_disk = b->conf.toc[0] && !toc_on_boot;
        if (toc_on_disk && strcmp(b->conf.disk, "none") == 0) {
            uv_close(&d);
            return finish(b, BOOT_ERROR, "error", "toc is set but bootdev and disk are none");
        }
        /* TOC mode: the TOC is the whole set of disk requests, so the other disk is not
         * read at all (as pvebc reads only the boot partition). */
        if (toc_on_boot && strcmp(b->conf.disk, "none") != 0) {
            logline(b, "disk %s not read: TOC mode takes disk requests only from the TOC's directory",
                    b->conf.disk);
            r = 0;
        } else {
            r = collect_disk(b, b->conf.disk, b->conf.dir, "disk", toc_on_disk);
        }
        if (r == 0)
            r = collect_disk(b, b->conf.bootdev, b->conf.bootdir, "boot", toc_on_boot);
    }
    if (r != 0) {
collect_failed:
        uv_close(&d);
        if (r == -2)
            return finish(b, BOOT_ERROR, "error", "%s", b->result_reason);
        if (r == -3)
            return finish(b, BOOT_ERROR, "error", "%s", b->result_reason);
        return finish(b, BOOT_POLICY, "rejected", "%s; nothing was added", b->result_reason);
    }
    /* Check every request before adding any. */
    for (size_t i = 0; i < ncand; i++) {
        struct cand *c = &cands[i];
        if (c->state != C_PENDING && c->state != C_REJECTED)
            continue;
        if (c->state == C_REJECTED)
            goto rejected;
        if (nsigners > 0 && !c->is_toc && check_signature(c) != 0)
            goto rejected;
        continue;
rejected:
        logline(b, "%s/%s: rejected: %s", c->source, c->name, c->reason);
        uv_close(&d);
        return finish(b, BOOT_POLICY, "rejected", "%s/%s: %s; nothing was added", c->source,
                      c->name, c->reason);
    }
    /* What is already stored, duplicates within the set. */
    if (uvcall_list(&d, list_buf, &len, &partial, &res) == 0 &&
        uvlist_parse(list_buf, len, &lv) == 0)
        have_list = 1;
    else {
        uvcall_describe(UVC_CALL_LIST, &res, why, sizeof(why));
        logline(b, "cannot list the secret store: %s", why);
    }
    for (size_t i = 0; i < ncand; i++) {
        struct cand *c = &cands[i];
        unsigned dups;
        char idtxt[ID_RENDER_MAX];
        if (c->state != C_PENDING)
            continue;
        if (c->v.id && have_list && id_find(&lv, c->v.id, &dups) >= 0) {
            cand_set(c, C_SKIPPED, "ID already in the secret store");
        } else if (c->v.id) {
            for (size_t j = 0; j < i; j++)
                if (cands[j].state == C_PENDING && cands[j].v.id &&
                    memcmp(cands[j].v.id, c->v.id, 32) == 0) {
                    cand_set(c, C_SKIPPED, "same ID as %s/%s", cands[j].source, cands[j].name);
                    break;
                }
        }
        if (c->state == C_SKIPPED) {
            id_render(c->v.id, idtxt);
            logline(b, "%s/%s: skipped (%s): %s", c->source, c->name, idtxt, c->reason);
        } else
            pending++;
    }
    r = present_ok(b, have_list ? &lv : NULL, b->conf.required);
    if (r > 0)
        r = present_ok(b, have_list ? &lv : NULL, b->conf.retrieve);
    if (r <= 0) {
        uv_close(&d);
        return finish(b, r < 0 ? BOOT_ERROR : BOOT_POLICY, "rejected",
                      "required or to-be-retrieved secret(s) missing: %s; nothing was added", b->missing);
    }
    /* Add in stable order. */
    for (size_t i = 0; i < ncand; i++) {
        struct cand *c = &cands[i];
        char name[ASR_TYPE_NAME_MAX], idtxt[ID_RENDER_MAX] = "no ID";
        if (c->state != C_PENDING)
            continue;
        if (c->v.id)
            id_render(c->v.id, idtxt);
        if (uvcall_add(&d, c->v.buf, c->v.len, &res) != 0) {
            uvcall_describe(UVC_CALL_ADD, &res, why, sizeof(why));
            cand_set(c, C_REJECTED, "%s", why);
            logline(b, "%s/%s: refused by the ultravisor: %s", c->source, c->name, why);
            uv_close(&d);
            return finish(b, BOOT_UV_REFUSED, "uv-refused", "%s/%s: %s", c->source, c->name, why);
        }
        cand_set(c, C_ADDED, "added");
        logline(b, "%s/%s: added %s (%s)", c->source, c->name, kind_name(c->v.secret_type, name),
                idtxt);
    }
    for (size_t i = 0; i < ncand; i++)
        if (cands[i].state == C_IGNORED)
            logline(b, "%s/%s: ignored: %s", cands[i].source, cands[i].name, cands[i].reason);
    if (b->conf.lock) {
        if (uvcall_lock(&d, &res) == 0 || (res.err == 0 && res.rc == UVC_RC_LOCKED)) {
            b->locked = 1;
            logline(b, "secret store locked");
        } else if (ncand == 0 && !b->conf.required[0] && !b->conf.retrieve[0] &&
                   (res.err == -ENOTTY || (res.err == 0 && res.rc == UVC_RC_INV_CMD))) {
            /* A kernel or UV without the secret store, and nothing asked of it: there is
             * no store to protect, so this is "nothing to do", not a refusal. */
            uvcall_describe(UVC_CALL_LOCK, &res, why, sizeof(why));
            logline(b, "secret store cannot be locked (no secret-store support: %s)", why);
        } else {
            uvcall_describe(UVC_CALL_LOCK, &res, why, sizeof(why));
            uv_close(&d);
            return finish(b, BOOT_UV_REFUSED, "uv-refused", "lock: %s", why);
        }
    }
    r = do_retrieve(b, &d);
    uv_close(&d);
    if (r != BOOT_OK && b->retrieved[0]) {
        /* Fail closed without leaving some of the keys behind. */
        char keys[EARLY_PATH_MAX];
        if (fmt(keys, sizeof(keys), "%s/keys", b->run) == 0 && wipe_dir(keys, 1) != 0)
            logline(b, "%s: cannot remove every key file", keys);
        b->retrieved[0] = 0;
    }
    if (r != BOOT_OK)
        return finish(b, r, r == BOOT_POLICY ? "rejected" : r == BOOT_ERROR ? "error" : "uv-refused",
                      "%s", b->result_reason);
    if (ncand == 0 && !b->conf.required[0] && !b->conf.retrieve[0])
        return finish(b, BOOT_NOTHING, "nothing", "no request found");
    return finish(b, BOOT_OK, "ok", "%zu added, %zu found", pending, ncand);
}

int cmd_boot(int argc, char **argv, const struct gopts *g)
{
    static struct boot b;
    const char *cmdline = NULL;
    char path[EARLY_PATH_MAX];
    int miss;

    memset(&b, 0, sizeof(b));
    b.g = g;
    b.root = "";
    b.kmsg = -1;
    ncand = 0;
    for (int i = 1; i < argc; i++) {
        const char *val;
        if (cmd_is_help(argv[i]))
            return cmd_help("boot");
        if ((val = cmd_optval(argc, argv, &i, "--root", &miss)) != NULL)
            b.root = val;
        else if (!miss && (val = cmd_optval(argc, argv, &i, "--cmdline", &miss)) != NULL)
            cmdline = val;
        else if (miss)
            return cmd_usage_error("boot", "option '%s' needs a value", argv[i]);
        else
            return cmd_bad_arg("boot", argv[i]);
    }
    if (strcmp(b.root, "/") == 0)
        b.root = "";
    /* Every path below is ROOT + at most ~300 bytes: refuse a root that cannot fit once,
     * with a message, instead of failing silently later. */
    if (strlen(b.root) > EARLY_PATH_MAX / 2) {
        msg("boot: --root %.64s...: path too long", b.root);
        return BOOT_ERROR;
    }
    if (load_conf(&b, cmdline) != 0)
        return BOOT_ERROR;
    if (fmt(path, sizeof(path), "%s/dev/kmsg", b.root) == 0)
        b.kmsg = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW);
    if (fmt(b.run, sizeof(b.run), "%s/run/uvsecret", b.root) != 0 ||
        fmt(path, sizeof(path), "%s/run/uvsecret/work", b.root) != 0 ||
        mkdir_private(b.run, 0755) != 0 || wipe_dir(path, 0) != 0 ||
        mkdir_private(path, 0700) != 0) {
        msg("%s: %s", b.run, strerror(errno));
        if (b.kmsg >= 0)
            close(b.kmsg);
        return BOOT_ERROR;
    }
    return boot_run(&b);
}

/* ---- cleanup -------------------------------------------------------------------- */

static int wipe_dir(const char *path, int do_wipe)
{
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d;
    struct dirent *de;
    int bad = 0;

    if (dfd < 0)
        return errno == ENOENT ? 0 : -1;
    d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        struct stat st;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            bad = 1;
            continue;
        }
        if (S_ISREG(st.st_mode) && do_wipe) {
            /* Key files are 0400: make them writable to overwrite them; a file that
             * cannot be overwritten is still removed, and reported. */
            int fd;
            (void)fchmodat(dirfd(d), de->d_name, 0600, 0);
            fd = openat(dirfd(d), de->d_name, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
            if (fd < 0) {
                bad = 1;
            } else {
                static const uint8_t zero[4096];
                off_t left = st.st_size;
                while (left > 0) {
                    size_t n = left > (off_t)sizeof(zero) ? sizeof(zero) : (size_t)left;
                    if (write_all(fd, zero, n) != 0) {
                        bad = 1;
                        break;
                    }
                    left -= (off_t)n;
                }
                if (fsync(fd) != 0 || close(fd) != 0)
                    bad = 1;
            }
        }
        if (unlinkat(dirfd(d), de->d_name, 0) != 0)
            bad = 1;
    }
    closedir(d);
    if (rmdir(path) != 0)
        bad = 1;
    return bad ? -1 : 0;
}

int cmd_cleanup(int argc, char **argv, const struct gopts *g)
{
    const char *root = "";
    char path[EARLY_PATH_MAX];
    int miss, bad = 0;
    (void)g;

    for (int i = 1; i < argc; i++) {
        const char *val;
        if (cmd_is_help(argv[i]))
            return cmd_help("cleanup");
        if ((val = cmd_optval(argc, argv, &i, "--root", &miss)) != NULL)
            root = val;
        else if (miss)
            return cmd_usage_error("cleanup", "option '%s' needs a value", argv[i]);
        else
            return cmd_bad_arg("cleanup", argv[i]);
    }
    if (fmt(path, sizeof(path), "%s/run/uvsecret/keys", root) != 0)
        return 1;
    if (wipe_dir(path, 1) != 0) {
        msg("%s: cannot remove every key file: %s", path, strerror(errno));
        bad = 1;
    }
    if (fmt(path, sizeof(path), "%s/run/uvsecret/work", root) != 0)
        return 1;
    if (wipe_dir(path, 0) != 0) {
        msg("%s: %s", path, strerror(errno));
        bad = 1;
    }
    return bad;
}
