/* uvsim_open/close and the kernel driver's side of /dev/uv (uvdevice.md §2-§5):
 * ioctl number, control block and argument checks with the driver's errno values,
 * copying in and out (EFAULT through process_vm_readv/writev on this process), list
 * paging, retrieve write-back.  The UV calls themselves are in sim_store.c.
 *
 * Several processes may share a state directory (the CUSE daemon and `uvsim lock`, say):
 * every operation runs under an exclusive flock on STATE_DIR/lock and starts by reading
 * the state file again, so each process sees the others' changes. */
#define _GNU_SOURCE
#include "uvsim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "asr.h"
#include "be.h"
#include "hex.h"
#include "sehdr.h"
#include "sim.h"

struct uvsim {
    struct sim_uv uv;
    char *state_dir;
    enum uvsim_kernel kernel;
    int lock_fd;                 /* STATE_DIR/lock, -1 without a state directory */
};

#define HDR_FILE_MAX ((size_t)1 << 30) /* an SE image: kernel, initramfs, header */
#define ATT_ARG_LEN 0x138

/* Reads the header/image file into memory (no symlinks, regular files only).  Not
 * mmap: a file truncated by someone else meanwhile would raise SIGBUS. */
static int read_hdr_file(const char *path, uint8_t **buf, size_t *len, char *err, size_t err_len)
{
    if (sim_read_file(path, HDR_FILE_MAX, buf, len, err, err_len) != 0)
        return -1;
    if (*len == 0) {
        snprintf(err, err_len, "%s: empty file", path);
        sim_free_file(*buf, 1);
        *buf = NULL;
        return -1;
    }
    return 0;
}

static int save(struct uvsim *sim, char *err, size_t err_len)
{
    if (!sim->state_dir)
        return 0;
    return sim_state_save(sim->state_dir, &sim->uv.guest, &sim->uv.store, err, err_len);
}

/* Enter an operation: take the lock, pick up what other processes wrote (the state
 * file is small: it is simply read again). */
static void sync_begin(struct uvsim *sim)
{
    if (sim->lock_fd < 0)
        return;
    while (flock(sim->lock_fd, LOCK_EX) != 0 && errno == EINTR)
        ;
    struct sim_store fresh;
    char err[SIM_ERR_MAX];
    int found = 0;
    sim_store_init(&fresh);
    int rc = sim_state_load(sim->state_dir, &sim->uv.guest, &fresh, &found, err, sizeof err);
    if (rc == 0 && found) {
        sim_store_free(&sim->uv.store);
        sim->uv.store = fresh;
        return;
    }
    sim_store_free(&fresh);
    fprintf(stderr, "uvsim: %s (keeping the state in memory)\n", rc ? err : "state file vanished");
}

static void sync_end(struct uvsim *sim)
{
    if (sim->lock_fd >= 0)
        flock(sim->lock_fd, LOCK_UN);
}

/* After a state change inside an ioctl there is no error channel: report on stderr. */
static void save_or_warn(struct uvsim *sim)
{
    char err[SIM_ERR_MAX];
    if (save(sim, err, sizeof err) != 0)
        fprintf(stderr, "uvsim: %s\n", err);
}

static int fresh_store(struct uvsim *sim)
{
    struct sim_store *s = &sim->uv.store;
    unsigned ma = s->max_assoc ? s->max_assoc : SIM_DEFAULT_MAX_ASSOC;
    unsigned mr = s->max_retr ? s->max_retr : SIM_DEFAULT_MAX_RETR;
    sim_store_free(s);
    sim_store_init(s);
    s->max_assoc = (uint16_t)ma;
    s->max_retr = (uint16_t)mr;
    memcpy(s->cck, sim->uv.guest.cck, 32);
    return uvs_random(&sim->uv.rng, s->cuid, sizeof s->cuid);
}

struct uvsim *uvsim_open(const char *hdr_path, const char *const *host_key_paths, size_t n,
                         const char *state_dir, char *err, size_t err_len)
{
    if (n == 0) {
        snprintf(err, err_len, "%s: no host key given", hdr_path);
        return NULL;
    }
    struct uvsim *sim = calloc(1, sizeof *sim);
    if (!sim) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    sim->lock_fd = -1;
    sim_store_init(&sim->uv.store);
    if (uvs_rng_init(&sim->uv.rng) != 0) {
        snprintf(err, err_len, "cannot seed the random generator");
        free(sim);
        return NULL;
    }
    sim->uv.backup_priv = calloc(n, sizeof *sim->uv.backup_priv);
    sim->uv.backup_pub = calloc(n, sizeof *sim->uv.backup_pub);
    uint8_t *map = NULL;
    size_t map_len = 0;
    int have_primary = 0, locked = 0;
    if (!sim->uv.backup_priv || !sim->uv.backup_pub) {
        snprintf(err, err_len, "out of memory");
        goto fail;
    }
    if (read_hdr_file(hdr_path, &map, &map_len, err, err_len) != 0)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        uint8_t priv[UVS_P521_SCALAR_LEN], pub[UVS_P521_PUB_LEN];
        if (sim_load_host_key(host_key_paths[i], priv, pub, err, err_len) != 0)
            goto fail;
        enum sim_hdr_rc rc = SIM_HDR_NO_SLOT;
        char herr[SIM_ERR_MAX];
        if (!have_primary)
            rc = sim_hdr_open(&sim->uv.rng, map, map_len, priv, pub, &sim->uv.guest, herr, sizeof herr);
        if (rc == SIM_HDR_BAD) {
            snprintf(err, err_len, "%s: %s", hdr_path, herr);
            uvs_wipe(priv, sizeof priv);
            goto fail;
        }
        if (rc == SIM_HDR_OK) {
            have_primary = 1;
            memcpy(sim->uv.host_priv, priv, sizeof priv);
            memcpy(sim->uv.host_pub, pub, sizeof pub);
        } else {
            memcpy(sim->uv.backup_priv[sim->uv.n_backup], priv, sizeof priv);
            memcpy(sim->uv.backup_pub[sim->uv.n_backup++], pub, sizeof pub);
        }
        uvs_wipe(priv, sizeof priv);
    }
    sim_free_file(map, map_len + 1);
    map = NULL;
    if (!have_primary) {
        snprintf(err, err_len, "%s: no keyslot for any of the given host keys", hdr_path);
        goto fail;
    }
    memcpy(sim->uv.store.cck, sim->uv.guest.cck, 32);
    int found = 0;
    if (state_dir) {
        sim->state_dir = strdup(state_dir);
        struct stat st;
        if (!sim->state_dir) {
            snprintf(err, err_len, "out of memory");
            goto fail;
        }
        if (lstat(state_dir, &st) != 0 && errno == ENOENT && mkdir(state_dir, 0700) != 0) {
            snprintf(err, err_len, "%s: %s", state_dir, strerror(errno));
            goto fail;
        }
        if (lstat(state_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            snprintf(err, err_len, "%s: not a directory", state_dir);
            goto fail;
        }
        char lock_path[4096];
        snprintf(lock_path, sizeof lock_path, "%s/lock", state_dir);
        sim->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (sim->lock_fd < 0) {
            snprintf(err, err_len, "%s: %s", lock_path, strerror(errno));
            goto fail;
        }
        while (flock(sim->lock_fd, LOCK_EX) != 0 && errno == EINTR)
            ;
        locked = 1;
        if (sim_state_load(state_dir, &sim->uv.guest, &sim->uv.store, &found, err, err_len) != 0)
            goto fail;
    }
    if (!found && fresh_store(sim) != 0) {
        snprintf(err, err_len, "random generator failed");
        goto fail;
    }
    const char *cuid_hex = getenv(UVSIM_ENV_CUID);
    if (cuid_hex && *cuid_hex) {
        uint8_t cuid[16];
        if (hex_decode_exact(cuid_hex, cuid, sizeof cuid, 1) != 0) {
            snprintf(err, err_len, "%s: not 32 hex digits", UVSIM_ENV_CUID);
            goto fail;
        }
        memcpy(sim->uv.store.cuid, cuid, 16);
        found = 0;
    }
    if (!found && save(sim, err, err_len) != 0)
        goto fail;
    if (locked)
        sync_end(sim);
    return sim;
fail:
    if (map)
        sim_free_file(map, map_len + 1);
    uvsim_close(sim);
    return NULL;
}

void uvsim_close(struct uvsim *sim)
{
    if (!sim)
        return;
    sim_store_free(&sim->uv.store);
    if (sim->lock_fd >= 0)
        close(sim->lock_fd);  /* also releases the lock */
    if (sim->uv.backup_priv)
        uvs_wipe(sim->uv.backup_priv, sim->uv.n_backup * sizeof *sim->uv.backup_priv);
    free(sim->uv.backup_priv);
    free(sim->uv.backup_pub);
    uvs_rng_free(&sim->uv.rng);
    free(sim->state_dir);
    uvs_wipe(sim, sizeof *sim);
    free(sim);
}

void uvsim_set_kernel(struct uvsim *sim, enum uvsim_kernel k)
{
    sim->kernel = k;
}

int uvsim_set_cuid(struct uvsim *sim, const uint8_t cuid[16], char *err, size_t err_len)
{
    sync_begin(sim);
    memcpy(sim->uv.store.cuid, cuid, 16);
    int rc = save(sim, err, err_len);
    sync_end(sim);
    return rc;
}

int uvsim_set_limits(struct uvsim *sim, unsigned max_assoc, unsigned max_retr, char *err, size_t err_len)
{
    if (max_assoc > SIM_MAX_STORED || max_retr > SIM_MAX_STORED) {
        snprintf(err, err_len, "limits must be at most %u", SIM_MAX_STORED);
        return -1;
    }
    sync_begin(sim);
    sim->uv.store.max_assoc = (uint16_t)max_assoc;
    sim->uv.store.max_retr = (uint16_t)max_retr;
    int rc = save(sim, err, err_len);
    sync_end(sim);
    return rc;
}

void uvsim_set_dump_in_progress(struct uvsim *sim, int on)
{
    sim->uv.dump_in_progress = on;
}

int uvsim_reboot(struct uvsim *sim, char *err, size_t err_len)
{
    sync_begin(sim);
    int rc = -1;
    if (fresh_store(sim) != 0)
        snprintf(err, err_len, "random generator failed");
    else
        rc = save(sim, err, err_len);
    sync_end(sim);
    return rc;
}

void uvsim_get_status(const struct uvsim *sim, struct uvsim_status *st)
{
    const struct sim_store *s = &sim->uv.store;
    memset(st, 0, sizeof *st);
    memcpy(st->cuid, s->cuid, 16);
    memcpy(st->hdr_tag, sim->uv.guest.hdr_tag, 16);
    st->pcf = sim->uv.guest.pcf;
    st->scf = sim->uv.guest.scf;
    st->locked = s->locked;
    st->dump_disabled = s->dump_disabled;
    st->dump_allowed = (sim->uv.guest.pcf & SEHDR_PCF_ALLOW_DUMP) && !s->dump_disabled;
    st->ext_set = s->ext_set;
    st->n_secrets = sim_store_listed(s);
    st->max_assoc = s->max_assoc;
    st->max_retr = s->max_retr;
    st->n_accepted = (unsigned long)s->n_stream;
    sim_stream_hash(s, st->stream_hash);
}

void uvsim_get_cck(const struct uvsim *sim, uint8_t cck[32])
{
    memcpy(cck, sim->uv.store.cck, 32);
}

static uint16_t add_secret(struct uvsim *sim, const uint8_t *req, size_t len, const char **why)
{
    uint16_t rc = sim_add_secret(&sim->uv, req, len, why);
    if (rc == UVC_RC_OK)
        save_or_warn(sim);
    return rc;
}

uint16_t uvsim_add_secret(struct uvsim *sim, const uint8_t *req, size_t len, const char **why)
{
    sync_begin(sim);
    uint16_t rc = add_secret(sim, req, len, why);
    sync_end(sim);
    return rc;
}

/* ---- kernel layer ------------------------------------------------------------- */

static int nr_valid(const struct uvsim *sim, unsigned long nr)
{
    if ((nr & ~0xFFul) != 0xC0407500ul)
        return 0;  /* direction, size or type wrong */
    unsigned n = (unsigned)(nr & 0xFF);
    if (n >= UVIO_IOCTL_NUM)
        return 0;
    if (sim->kernel == UVSIM_KERNEL_LEGACY && n == 5)
        return 0;
    return 1;
}

int uvsim_ioctl_prepare(const struct uvsim *sim, unsigned long nr, const struct uvio_ioctl_cb *cb,
                        size_t *in_len, size_t *out_len)
{
    *in_len = *out_len = 0;
    if (!nr_valid(sim, nr))
        return -ENOTTY;
    if (cb->flags != 0)
        return -EINVAL;
    for (size_t i = 0; i < sizeof cb->reserved14; i++)
        if (cb->reserved14[i])
            return -EINVAL;
    uint32_t len = cb->argument_len;
    switch (nr & 0xFF) {
    case 0: /* info */
        if (len < UVIO_INFO_LEN)
            return -EINVAL;
        *out_len = UVIO_INFO_LEN;
        return 0;
    case 1: /* attestation */
        if (len != ATT_ARG_LEN)
            return -EINVAL;
        *in_len = ATT_ARG_LEN;
        return 0;
    case 2: /* add secret */
        if (len == 0 || len > UVIO_ADD_SECRET_MAX_LEN)
            return -EINVAL;
        *in_len = len;
        return 0;
    case 3: /* list */
        if (len == 0 || len % UVIO_LIST_SECRETS_LEN != 0 ||
            (sim->kernel == UVSIM_KERNEL_LEGACY && len != UVIO_LIST_SECRETS_LEN))
            return -EINVAL;
        *out_len = len;
        return 0;
    case 4: /* lock */
        if (cb->argument_addr != 0 || len != 0)
            return -EINVAL;
        return 0;
    case 5: /* retrieve */
        if (len < 2 || len > UVIO_RETR_SECRET_MAX_LEN)
            return -EINVAL;
        *in_len = 2;
        *out_len = len;
        return 0;
    }
    return -ENOTTY;
}

static void do_list(struct uvsim *sim, struct uvio_ioctl_cb *cb, uint8_t *arg, size_t cap, size_t *out_len)
{
    uint8_t page[4096];
    if (sim->kernel == UVSIM_KERNEL_LEGACY) {
        cb->uv_rc = sim_list_page(&sim->uv, 0, page);
        memcpy(arg, page, sizeof page);
        *out_len = sizeof page;
        return;
    }
    size_t used = UVLIST_HDR_LEN;
    unsigned sum = 0;
    uint16_t start = 0, rc;
    for (;;) {
        rc = sim_list_page(&sim->uv, start, page);
        unsigned n = be16_load(page);
        memcpy(arg + used, page + UVLIST_HDR_LEN, (size_t)n * UVLIST_ENTRY_LEN);
        used += (size_t)n * UVLIST_ENTRY_LEN;
        sum += n;
        if (rc != UVC_RC_MORE_DATA || used + 4096 > cap)
            break;
        start = be16_load(page + 4);
    }
    /* Merged header: the sum of entries; the rest of the last round's header. */
    memcpy(arg, page, UVLIST_HDR_LEN);
    be16_store(arg, (uint16_t)sum);
    cb->uv_rc = rc;
    *out_len = used;
}

static int ioctl_exec(struct uvsim *sim, unsigned long nr, struct uvio_ioctl_cb *cb, uint8_t *arg, size_t arg_cap,
                      size_t *out_len);

int uvsim_ioctl_exec(struct uvsim *sim, unsigned long nr, struct uvio_ioctl_cb *cb, uint8_t *arg,
                     size_t arg_cap, size_t *out_len)
{
    sync_begin(sim);
    int rc = ioctl_exec(sim, nr, cb, arg, arg_cap, out_len);
    sync_end(sim);
    return rc;
}

static int ioctl_exec(struct uvsim *sim, unsigned long nr, struct uvio_ioctl_cb *cb, uint8_t *arg, size_t arg_cap,
                      size_t *out_len)
{
    size_t in_len, want_out;
    int e = uvsim_ioctl_prepare(sim, nr, cb, &in_len, &want_out);
    *out_len = 0;
    if (e != 0)
        return e;
    if (arg_cap < in_len || arg_cap < want_out)
        return -EFAULT;
    cb->uv_rrc = 0;
    switch (nr & 0xFF) {
    case 0: {
        uint64_t uvio = sim->kernel == UVSIM_KERNEL_LEGACY ? 0x1F : 0x3F;
        /* UV installed calls 28 (attestation measurement), 29-31, 33: the driver maps
         * ioctl 1 and 5 to bit 28, 2-4 to 29-31 (uvdevice.md §5.1). */
        uint64_t uvc = uvio & 0x3E;
        memcpy(arg, &uvio, 8);  /* native-endian u64 */
        memcpy(arg + 8, &uvc, 8);
        cb->uv_rc = UVC_RC_OK;
        *out_len = UVIO_INFO_LEN;
        return 0;
    }
    case 1:
        cb->uv_rc = UVC_RC_INV_CMD;  /* attestation is not simulated */
        return 0;
    case 2: {
        const char *why;
        cb->uv_rc = add_secret(sim, arg, in_len, &why);
        return 0;
    }
    case 3:
        memset(arg, 0, want_out);
        do_list(sim, cb, arg, want_out, out_len);
        return 0;
    case 4:
        cb->uv_rc = sim_lock(&sim->uv);
        if (cb->uv_rc == UVC_RC_OK)
            save_or_warn(sim);
        return 0;
    case 5: {
        /* The index is big-endian (as an s390x kernel reads it natively). */
        uint16_t idx = be16_load(arg);
        memset(arg, 0, want_out);
        cb->uv_rc = sim_retrieve(&sim->uv, idx, arg, want_out);
        if (cb->uv_rc != UVC_RC_OK)
            memset(arg, 0, want_out);
        *out_len = want_out;  /* written back whatever the UV said */
        return 0;
    }
    }
    return -ENOTTY;
}

/* Without process_vm_* (seccomp, qemu-user): let the kernel copy through a pipe, which
 * fails with EFAULT on a bad address just the same. */
static int copy_via_pipe(void *local, void *remote, size_t n, int to_user)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        return -EFAULT;
    int rc = 0;
    for (size_t off = 0; off < n && rc == 0;) {
        size_t c = n - off < 4096 ? n - off : 4096;
        uint8_t *src = to_user ? (uint8_t *)local + off : (uint8_t *)remote + off;
        uint8_t *dst = to_user ? (uint8_t *)remote + off : (uint8_t *)local + off;
        if (write(pfd[1], src, c) != (ssize_t)c || read(pfd[0], dst, c) != (ssize_t)c)
            rc = -EFAULT;
        off += c;
    }
    close(pfd[0]);
    close(pfd[1]);
    return rc;
}

/* Copies between this process's memory and a buffer the way copy_{from,to}_user
 * would: a bad address gives EFAULT instead of a crash. */
static int copy_user(void *local, uint64_t addr, size_t n, int to_user)
{
    if (n == 0)
        return 0;
    if (addr == 0)
        return -EFAULT;
    struct iovec l = { local, n }, r = { (void *)(uintptr_t)addr, n };
    ssize_t got = to_user ? process_vm_writev(getpid(), &l, 1, &r, 1, 0)
                          : process_vm_readv(getpid(), &l, 1, &r, 1, 0);
    if (got == (ssize_t)n)
        return 0;
    if (got < 0 && (errno == ENOSYS || errno == EPERM))
        return copy_via_pipe(local, r.iov_base, n, to_user);
    return -EFAULT;
}

int uvsim_ioctl(struct uvsim *sim, unsigned long nr, struct uvio_ioctl_cb *ucb)
{
    if (!nr_valid(sim, nr))
        return -ENOTTY;
    struct uvio_ioctl_cb cb;
    if (copy_user(&cb, (uint64_t)(uintptr_t)ucb, sizeof cb, 0) != 0)
        return -EFAULT;
    size_t in_len, out_len;
    int e = uvsim_ioctl_prepare(sim, nr, &cb, &in_len, &out_len);
    if (e != 0)
        return e;
    size_t cap = in_len > out_len ? in_len : out_len;
    uint8_t *arg = calloc(1, cap ? cap : 1);
    if (!arg)
        return -ENOMEM;
    if (copy_user(arg, cb.argument_addr, in_len, 0) != 0) {
        free(arg);
        return -EFAULT;
    }
    size_t wrote = 0;
    e = uvsim_ioctl_exec(sim, nr, &cb, arg, cap, &wrote);
    if (e == 0 && copy_user(arg, cb.argument_addr, wrote, 1) != 0)
        e = -EFAULT;
    if (e == 0 && copy_user(&cb, (uint64_t)(uintptr_t)ucb, sizeof cb, 1) != 0)
        e = -EFAULT;
    uvs_wipe(arg, cap);
    free(arg);
    return e;
}
