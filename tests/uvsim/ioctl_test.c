/* uvsim-ioctl-test: exercises a /dev/uv-style device with plain ioctl(2) calls and
 * prints TAP.  Runs inside the VM against uvsim-cuse (the host kernel has no CUSE);
 * built with -DUVSIM_INPROC it runs the same checks against the in-process simulator
 * (uvsim_ioctl) as a unit test of the kernel layer.
 *
 *   uvsim-ioctl-test [[--dev] /dev/uv] [ACTION...]
 *     --expect HEX   expected uv_rc of the following --add actions (default 0x0001)
 *     --add FILE     ADD_SECRET with the request in FILE; on 0x0001 its ID (if any)
 *                    must then be listed
 *     --lock         LOCK_SECRETS must succeed, a second lock must give 0x0102
 *     --locked       LOCK_SECRETS must give 0x0102 (already locked)
 * First the ABI checks (uvdevice.md §4, §5): errno values, length rules, EFAULT for bad
 * addresses, info masks, list format, retrieve write-back.  Exit 0 iff all passed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "asr.h"
#include "be.h"
#include "uvabi.h"
#include "tap.h"

#ifdef UVSIM_INPROC
#include "uvsim.h"
static struct uvsim *g_sim;
/* errno-style wrapper with the ioctl(2) contract. */
static int dev_ioctl(int fd, unsigned long nr, void *cb)
{
    (void)fd;
    int e = uvsim_ioctl(g_sim, nr, cb);
    if (e != 0) {
        errno = -e;
        return -1;
    }
    return 0;
}
#else
static int dev_ioctl(int fd, unsigned long nr, void *cb)
{
    return ioctl(fd, nr, cb);
}
#endif

static int fd = -1;

/* ioctl returning -errno or 0. */
static int call(unsigned long nr, struct uvio_ioctl_cb *cb)
{
    return dev_ioctl(fd, nr, cb) == 0 ? 0 : -errno;
}

static int call_arg(unsigned long nr, void *arg, uint32_t len, struct uvio_ioctl_cb *cb)
{
    memset(cb, 0, sizeof *cb);
    cb->argument_addr = (uint64_t)(uintptr_t)arg;
    cb->argument_len = len;
    return call(nr, cb);
}

static int mainline;  /* driver reports retrieve (mask bit 5) */

static void abi_checks(void)
{
    struct uvio_ioctl_cb cb;
    uint8_t info[32];
    memset(info, 0xAA, sizeof info);
    int e = call_arg(UVIO_IOCTL_UVDEV_INFO, info, 32, &cb);
    EQ_INT(e, 0, "info: ioctl succeeds");
    EQ_INT(cb.uv_rc, UVC_RC_OK, "info: uv_rc 0x0001");
    uint64_t uvio, uvc;
    memcpy(&uvio, info, 8);
    memcpy(&uvc, info + 8, 8);
    OK((uvio & 0x1F) == 0x1F && (uvio == 0x1F || uvio == 0x3F), "info: supp_uvio_cmds is 0x1f or 0x3f");
    OK((uvc & 1) == 0 && (uvc & ~uvio) == 0, "info: supp_uv_cmds bit 0 clear and within supp_uvio_cmds");
    OK(info[16] == 0xAA && info[31] == 0xAA, "info: only 16 bytes written");
    mainline = (uvio >> 5) & 1;

    EQ_INT(call_arg(UVIO_IOCTL_UVDEV_INFO, info, 15, &cb), -EINVAL, "info: argument_len 15 -> EINVAL");
    EQ_INT(call_arg(UVIO_IOCTL_UVDEV_INFO, NULL, 16, &cb), -EFAULT, "info: NULL argument -> EFAULT");

    memset(&cb, 0, sizeof cb);
    cb.argument_addr = (uint64_t)(uintptr_t)info;
    cb.argument_len = 16;
    cb.flags = 1;
    cb.uv_rc = 0x7777;
    EQ_INT(call(UVIO_IOCTL_UVDEV_INFO, &cb), -EINVAL, "flags != 0 -> EINVAL");
    EQ_INT(cb.uv_rc, 0x7777, "uv_rc untouched on errno failure");
    cb.flags = 0;
    cb.reserved14[43] = 1;
    EQ_INT(call(UVIO_IOCTL_UVDEV_INFO, &cb), -EINVAL, "reserved14 != 0 -> EINVAL");
    cb.reserved14[43] = 0;
    EQ_INT(call(UVIO_IOCTL(6), &cb), -ENOTTY, "nr 6 (never merged list-ext) -> ENOTTY");
    EQ_INT(call(0x80407500ul, &cb), -ENOTTY, "_IOR form -> ENOTTY");
    EQ_INT(call(0xC0387500ul, &cb), -ENOTTY, "wrong encoded size -> ENOTTY");
    EQ_INT(call(0xC0407600ul, &cb), -ENOTTY, "wrong type 'v' -> ENOTTY");
    EQ_INT(call(UVIO_IOCTL_UVDEV_INFO, NULL), -EFAULT, "NULL control block -> EFAULT");

    /* add secret */
    uint8_t junk[64] = { 0 };
    EQ_INT(call_arg(UVIO_IOCTL_ADD_SECRET, junk, 0, &cb), -EINVAL, "add: length 0 -> EINVAL");
    EQ_INT(call_arg(UVIO_IOCTL_ADD_SECRET, junk, UVIO_ADD_SECRET_MAX_LEN + 1, &cb), -EINVAL,
           "add: length 1 MiB + 1 -> EINVAL");
    EQ_INT(call_arg(UVIO_IOCTL_ADD_SECRET, NULL, 64, &cb), -EFAULT, "add: NULL argument -> EFAULT");
    e = call_arg(UVIO_IOCTL_ADD_SECRET, junk, sizeof junk, &cb);
    OK(e == 0 && (cb.uv_rc == UVC_RC_VERSION || cb.uv_rc == UVC_RC_LOCKED),
       "add: 64 zero bytes -> ioctl 0, uv_rc 0x0104 (0x0102 if locked)");

    /* list */
    static uint8_t list[0x2000];
    EQ_INT(call_arg(UVIO_IOCTL_LIST_SECRETS, list, 0, &cb), -EINVAL, "list: length 0 -> EINVAL");
    EQ_INT(call_arg(UVIO_IOCTL_LIST_SECRETS, list, 0x1001, &cb), -EINVAL, "list: length 0x1001 -> EINVAL");
    EQ_INT(call_arg(UVIO_IOCTL_LIST_SECRETS, NULL, 0x1000, &cb), -EFAULT, "list: NULL argument -> EFAULT");
    memset(list, 0, sizeof list);
    e = call_arg(UVIO_IOCTL_LIST_SECRETS, list, 0x1000, &cb);
    struct uvlist_view v;
    OK(e == 0 && (cb.uv_rc == UVC_RC_OK || cb.uv_rc == UVC_RC_MORE_DATA), "list: one page, uv_rc 1 or 0x100");
    OK(uvlist_parse(list, 0x1000, &v) == 0 && v.num_stored <= UVLIST_PER_PAGE && v.num_stored <= v.total,
       "list: header consistent, at most 85 entries");
    OK((cb.uv_rc == UVC_RC_MORE_DATA) == (v.next_index != 0), "list: next index set iff more data");
    e = call_arg(UVIO_IOCTL_LIST_SECRETS, list, 0x2000, &cb);
    if (mainline)
        OK(e == 0, "list: two pages accepted (mainline driver)");
    else
        EQ_INT(e, -EINVAL, "list: two pages -> EINVAL (legacy driver)");
    uint8_t *none = mmap(NULL, 0x1000, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (OK(none != MAP_FAILED, "mmap a PROT_NONE page")) {
        EQ_INT(call_arg(UVIO_IOCTL_LIST_SECRETS, none, 0x1000, &cb), -EFAULT, "list: PROT_NONE buffer -> EFAULT");
        munmap(none, 0x1000);
    }
    uint8_t *ro = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (OK(ro != MAP_FAILED, "mmap a page to make read-only")) {
        /* A read-only result buffer, then a read-only control block (copy-back fails). */
        mprotect(ro, 0x1000, PROT_READ);
        EQ_INT(call_arg(UVIO_IOCTL_LIST_SECRETS, ro, 0x1000, &cb), -EFAULT, "list: read-only buffer -> EFAULT");
        mprotect(ro, 0x1000, PROT_READ | PROT_WRITE);
        struct uvio_ioctl_cb *rcb = (struct uvio_ioctl_cb *)ro;
        memset(rcb, 0, sizeof *rcb);
        rcb->argument_addr = (uint64_t)(uintptr_t)info;
        rcb->argument_len = 16;
        mprotect(ro, 0x1000, PROT_READ);
        EQ_INT(call(UVIO_IOCTL_UVDEV_INFO, rcb), -EFAULT, "info: read-only control block -> EFAULT on copy-back");
        munmap(ro, 0x1000);
    }

    /* lock argument rules (no lock issued here) */
    EQ_INT(call_arg(UVIO_IOCTL_LOCK_SECRETS, list, 0, &cb), -EINVAL, "lock: non-zero address -> EINVAL");
    EQ_INT(call_arg(UVIO_IOCTL_LOCK_SECRETS, NULL, 16, &cb), -EINVAL, "lock: non-zero length -> EINVAL");

    /* retrieve */
    uint8_t rbuf[0x40];
    if (!mainline) {
        EQ_INT(call_arg(UVIO_IOCTL_RETR_SECRET, rbuf, sizeof rbuf, &cb), -ENOTTY, "retrieve: ENOTTY (legacy)");
        return;
    }
    EQ_INT(call_arg(UVIO_IOCTL_RETR_SECRET, rbuf, 1, &cb), -EINVAL, "retrieve: length 1 -> EINVAL");
    EQ_INT(call_arg(UVIO_IOCTL_RETR_SECRET, rbuf, 0x2001, &cb), -EINVAL, "retrieve: length 0x2001 -> EINVAL");
    EQ_INT(call_arg(UVIO_IOCTL_RETR_SECRET, NULL, 16, &cb), -EFAULT, "retrieve: NULL argument -> EFAULT");
    memset(rbuf, 0xFF, sizeof rbuf);
    e = call_arg(UVIO_IOCTL_RETR_SECRET, rbuf, sizeof rbuf, &cb);
    OK(e == 0 && (cb.uv_rc == UVC_RC_STORE_EMPTY || cb.uv_rc == UVC_RC_NO_INDEX),
       "retrieve: index 0xffff -> 0x010f or 0x0110");
    int zero = 1;
    for (size_t i = 0; i < sizeof rbuf; i++)
        zero &= rbuf[i] == 0;
    OK(zero, "retrieve: whole buffer written back on UV failure");
}

static uint8_t *read_req(const char *path, size_t *len)
{
    int f = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    if (f < 0 || fstat(f, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > ASR_MAX_LEN) {
        if (f >= 0)
            close(f);
        return NULL;
    }
    uint8_t *b = malloc((size_t)st.st_size);
    if (b && read(f, b, (size_t)st.st_size) != st.st_size) {
        free(b);
        b = NULL;
    }
    close(f);
    *len = (size_t)st.st_size;
    return b;
}

static int listed(const uint8_t id[32])
{
    static uint8_t list[0x4000];
    struct uvio_ioctl_cb cb;
    memset(list, 0, sizeof list);
    uint32_t len = mainline ? sizeof list : 0x1000;
    if (call_arg(UVIO_IOCTL_LIST_SECRETS, list, len, &cb) != 0)
        return 0;
    struct uvlist_view v;
    if (uvlist_parse(list, len, &v) != 0)
        return 0;
    for (unsigned i = 0; i < v.num_stored; i++) {
        struct uvlist_entry en;
        uvlist_entry_at(&v, i, &en);
        if (memcmp(en.id, id, 32) == 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *dev = "/dev/uv";
    int first = 1;
    if (argc > 2 && !strcmp(argv[1], "--dev")) {
        dev = argv[2];
        first = 3;
    } else if (argc > 1 && argv[1][0] != '-') {
        dev = argv[1];  /* the device path may also be given positionally */
        first = 2;
    }
#ifdef UVSIM_INPROC
    (void)dev;
    /* Default: the shared test header and host key (UVS_SHARED, default ../shared). */
    char err[512], hdr_buf[1024], key_buf[1024];
    const char *shared = getenv("UVS_SHARED") ? getenv("UVS_SHARED") : "../shared";
    const char *hdr = getenv(UVSIM_ENV_HDR), *key = getenv(UVSIM_ENV_KEYS);
    if (!hdr) {
        snprintf(hdr_buf, sizeof hdr_buf, "%s/vectors/sehdr/test_hdr_plain.hdr", shared);
        hdr = hdr_buf;
    }
    if (!key) {
        snprintf(key_buf, sizeof key_buf, "%s/vectors/pki/host.key", shared);
        key = key_buf;
    }
    g_sim = uvsim_open(hdr, &key, 1, getenv(UVSIM_ENV_STATE), err, sizeof err);
    if (!g_sim) {
        fprintf(stderr, "uvsim-ioctl-test: %s\n", err);
        return 2;
    }
    fd = 0;
#else
    fd = open(dev, O_RDWR | O_CLOEXEC);
    if (!OK(fd >= 0, "open the device read-write")) {
        fprintf(stderr, "uvsim-ioctl-test: %s: %s\n", dev, strerror(errno));
        return tap_done();
    }
#endif
    abi_checks();
#ifdef UVSIM_INPROC
    OK(mainline, "in-process simulator plays the mainline driver by default");
    uvsim_set_kernel(g_sim, UVSIM_KERNEL_LEGACY);
    abi_checks();
    OK(!mainline, "legacy driver: info mask without retrieve");
    uvsim_set_kernel(g_sim, UVSIM_KERNEL_MAINLINE);
    mainline = 1;
#endif
    unsigned long expect = UVC_RC_OK;
    char what[600];
    for (int i = first; i < argc; i++) {
        struct uvio_ioctl_cb cb;
        if (!strcmp(argv[i], "--expect") && i + 1 < argc) {
            expect = strtoul(argv[++i], NULL, 16);
        } else if (!strcmp(argv[i], "--add") && i + 1 < argc) {
            const char *path = argv[++i];
            size_t len = 0;
            uint8_t *req = read_req(path, &len);
            snprintf(what, sizeof what, "add %s: readable request", path);
            if (!OK(req != NULL, what))
                continue;
            int e = call_arg(UVIO_IOCTL_ADD_SECRET, req, (uint32_t)len, &cb);
            snprintf(what, sizeof what, "add %s: ioctl 0 and uv_rc 0x%04lx (got 0x%04x)", path, expect, cb.uv_rc);
            OK(e == 0 && cb.uv_rc == expect, what);
            struct asr_view av;
            if (e == 0 && cb.uv_rc == UVC_RC_OK && asr_parse(req, len, &av) == ASR_OK && av.id) {
                snprintf(what, sizeof what, "add %s: its ID is listed", path);
                OK(listed(av.id), what);
            }
            free(req);
        } else if (!strcmp(argv[i], "--lock")) {
            EQ_INT(call_arg(UVIO_IOCTL_LOCK_SECRETS, NULL, 0, &cb) == 0 ? cb.uv_rc : -1, UVC_RC_OK, "lock succeeds");
            EQ_INT(call_arg(UVIO_IOCTL_LOCK_SECRETS, NULL, 0, &cb) == 0 ? cb.uv_rc : -1, UVC_RC_LOCKED,
                   "second lock -> 0x0102");
        } else if (!strcmp(argv[i], "--locked")) {
            EQ_INT(call_arg(UVIO_IOCTL_LOCK_SECRETS, NULL, 0, &cb) == 0 ? cb.uv_rc : -1, UVC_RC_LOCKED,
                   "store already locked -> 0x0102");
        } else {
            fprintf(stderr, "uvsim-ioctl-test: unknown argument %s\n", argv[i]);
            OK(0, "command line understood");
        }
    }
#ifdef UVSIM_INPROC
    uvsim_close(g_sim);
#else
    close(fd);
#endif
    return tap_done();
}
