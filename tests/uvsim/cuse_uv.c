/* uvsim-cuse: the simulated ultravisor as a character device (CUSE, libfuse3 low level).
 *
 *   uvsim-cuse --hdr FILE --host-key FILE [--host-key FILE...] [--state DIR]
 *              [--devname uv] [--cuid HEX32] [--max-assoc N] [--max-retr N]
 *              [--legacy-kernel] [-f]
 *
 * Creates /dev/DEVNAME and serves the uvdevice ioctls through uvsim_ioctl_prepare/
 * uvsim_ioctl_exec.  CUSE_UNRESTRICTED_IOCTL: the first call gets no data, so the
 * daemon asks (fuse_reply_ioctl_retry) for the 64-byte control block, then for the
 * argument it names, then answers with fuse_reply_ioctl_iov (control block + the bytes
 * of the argument the driver writes back).  A bad argument address makes the kernel's
 * fetch fail: the caller sees EFAULT, as with the real driver.
 *
 * Without -f the process forks; the parent exits 0 only once the device is registered
 * (CUSE init done and /dev/DEVNAME present) or 1 if the child failed.  The header and
 * keys are loaded before that, so their errors reach the caller's stderr.
 * /sys/firmware/uv cannot be provided by CUSE (see docs/testing.md). */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <cuse_lowlevel.h>
#include <fuse_lowlevel.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "hex.h"
#include "uvsim.h"

#define PROG "uvsim-cuse"
#define MAX_KEYS 16
#define CB_LEN sizeof(struct uvio_ioctl_cb)

static struct uvsim *g_sim;
static int g_ready_fd = -1;

static void uv_init_done(void *userdata)
{
    (void)userdata;
    if (g_ready_fd >= 0) {
        char c = 'R';
        if (write(g_ready_fd, &c, 1) != 1)
            fprintf(stderr, PROG ": cannot notify the parent\n");
        close(g_ready_fd);
        g_ready_fd = -1;
        /* Detached now: drop the caller's stdio so nobody waits on our pipes. */
        int fd = open("/dev/null", O_RDWR);
        if (fd >= 0) {
            dup2(fd, 0);
            dup2(fd, 1);
            dup2(fd, 2);
            if (fd > 2)
                close(fd);
        }
    }
}

static void uv_open(fuse_req_t req, struct fuse_file_info *fi)
{
    fuse_reply_open(req, fi);
}

static void uv_ioctl(fuse_req_t req, int cmd, void *arg, struct fuse_file_info *fi, unsigned flags,
                     const void *in_buf, size_t in_bufsz, size_t out_bufsz)
{
    (void)fi;
    unsigned long nr = (unsigned int)cmd;
    if (flags & FUSE_IOCTL_COMPAT) {
        fuse_reply_err(req, ENOTTY);
        return;
    }
    struct iovec cb_iov = { arg, CB_LEN };
    if (in_bufsz < CB_LEN) {
        /* Stage 1: nothing fetched yet.  Unknown numbers fail before any access. */
        struct uvio_ioctl_cb zero = { 0 };
        size_t i, o;
        if (uvsim_ioctl_prepare(g_sim, nr, &zero, &i, &o) == -ENOTTY) {
            fuse_reply_err(req, ENOTTY);
            return;
        }
        fuse_reply_ioctl_retry(req, &cb_iov, 1, &cb_iov, 1);
        return;
    }
    struct uvio_ioctl_cb cb;
    memcpy(&cb, in_buf, CB_LEN);
    size_t in_len, out_len;
    int e = uvsim_ioctl_prepare(g_sim, nr, &cb, &in_len, &out_len);
    if (e != 0) {
        fuse_reply_err(req, -e);
        return;
    }
    if (in_bufsz != CB_LEN + in_len || out_bufsz != CB_LEN + out_len) {
        /* Stage 2: fetch the argument and map the bytes to write back. */
        struct iovec in_iov[2] = { cb_iov, { (void *)(uintptr_t)cb.argument_addr, in_len } };
        struct iovec out_iov[2] = { cb_iov, { (void *)(uintptr_t)cb.argument_addr, out_len } };
        fuse_reply_ioctl_retry(req, in_iov, in_len ? 2 : 1, out_iov, out_len ? 2 : 1);
        return;
    }
    /* Stage 3: everything is here. */
    size_t cap = in_len > out_len ? in_len : out_len;
    uint8_t *buf = calloc(1, cap ? cap : 1);
    if (!buf) {
        fuse_reply_err(req, ENOMEM);
        return;
    }
    memcpy(buf, (const uint8_t *)in_buf + CB_LEN, in_len);
    size_t wrote = 0;
    e = uvsim_ioctl_exec(g_sim, nr, &cb, buf, cap, &wrote);
    if (e != 0) {
        fuse_reply_err(req, -e);
    } else {
        struct iovec rep[2] = { { &cb, CB_LEN }, { buf, wrote } };
        fuse_reply_ioctl_iov(req, 0, rep, wrote ? 2 : 1);
    }
    memset(buf, 0, cap);
    free(buf);
}

static const struct cuse_lowlevel_ops uv_ops = {
    .init_done = uv_init_done,
    .open = uv_open,
    .ioctl = uv_ioctl,
};

static int usage(void)
{
    fprintf(stderr, "usage: " PROG " --hdr FILE --host-key FILE [--host-key FILE...] [--state DIR]\n"
                    "                  [--devname uv] [--cuid HEX32] [--max-assoc N] [--max-retr N]\n"
                    "                  [--legacy-kernel] [-f]\n");
    return 2;
}

static int devname_ok(const char *s)
{
    if (!*s || strlen(s) > 64)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
              *p == '-' || *p == '.'))
            return 0;
    return s[0] != '.';
}

/* Parent side of the daemonisation: wait for the child's "ready", then for the node. */
static int wait_ready(int rfd, pid_t child, const char *devname)
{
    char c;
    ssize_t r;
    do
        r = read(rfd, &c, 1);
    while (r < 0 && errno == EINTR);
    close(rfd);
    if (r != 1) {
        fprintf(stderr, PROG ": the daemon (pid %ld) exited before the device was registered\n", (long)child);
        return 1;
    }
    char path[128];
    snprintf(path, sizeof path, "/dev/%s", devname);
    for (int i = 0; i < 100; i++) {  /* devtmpfs creates it at once; udev may take a moment */
        struct stat st;
        if (stat(path, &st) == 0)
            return 0;
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, PROG ": %s: device registered but the node did not appear\n", path);
    return 1;
}

int main(int argc, char **argv)
{
    const char *hdr = NULL, *state = NULL, *devname = "uv", *cuid = NULL;
    const char *keys[MAX_KEYS];
    size_t nkeys = 0;
    int foreground = 0, legacy = 0;
    long max_assoc = -1, max_retr = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--hdr") && has)
            hdr = argv[++i];
        else if (!strcmp(a, "--host-key") && has) {
            if (nkeys == MAX_KEYS)
                return usage();
            keys[nkeys++] = argv[++i];
        } else if (!strcmp(a, "--state") && has)
            state = argv[++i];
        else if (!strcmp(a, "--devname") && has)
            devname = argv[++i];
        else if (!strcmp(a, "--cuid") && has)
            cuid = argv[++i];
        else if ((!strcmp(a, "--max-assoc") || !strcmp(a, "--max-retr")) && has) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || end == argv[i] || v < 0 || v > 4096)
                return usage();
            *(!strcmp(a, "--max-assoc") ? &max_assoc : &max_retr) = v;
        } else if (!strcmp(a, "--legacy-kernel"))
            legacy = 1;
        else if (!strcmp(a, "-f"))
            foreground = 1;
        else
            return usage();
    }
    if (!hdr || !nkeys)
        return usage();
    if (!devname_ok(devname)) {
        fprintf(stderr, PROG ": --devname: invalid device name\n");
        return 2;
    }
    char err[512];
    g_sim = uvsim_open(hdr, keys, nkeys, state, err, sizeof err);
    if (!g_sim) {
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    if (cuid) {
        uint8_t c[16];
        if (hex_decode_exact(cuid, c, 16, 1) != 0) {
            fprintf(stderr, PROG ": --cuid: need 32 hex digits\n");
            uvsim_close(g_sim);
            return 2;
        }
        if (uvsim_set_cuid(g_sim, c, err, sizeof err) != 0) {
            fprintf(stderr, PROG ": %s\n", err);
            uvsim_close(g_sim);
            return 1;
        }
    }
    if (max_assoc >= 0 || max_retr >= 0) {
        struct uvsim_status st;
        uvsim_get_status(g_sim, &st);
        if (uvsim_set_limits(g_sim, max_assoc >= 0 ? (unsigned)max_assoc : st.max_assoc,
                             max_retr >= 0 ? (unsigned)max_retr : st.max_retr, err, sizeof err) != 0) {
            fprintf(stderr, PROG ": %s\n", err);
            uvsim_close(g_sim);
            return 1;
        }
    }
    uvsim_set_kernel(g_sim, legacy ? UVSIM_KERNEL_LEGACY : UVSIM_KERNEL_MAINLINE);

    if (!foreground) {
        int pfd[2];
        if (pipe(pfd) != 0) {
            fprintf(stderr, PROG ": pipe: %s\n", strerror(errno));
            return 1;
        }
        pid_t pid = fork();
        if (pid < 0) {
            fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
            return 1;
        }
        if (pid > 0) {
            close(pfd[1]);
            int rc = wait_ready(pfd[0], pid, devname);
            if (rc == 0)
                printf("%ld\n", (long)pid);  /* the daemon's pid, for the caller to stop it */
            return rc;
        }
        close(pfd[0]);
        setsid();
        g_ready_fd = pfd[1];
    }

    char devarg[128];
    snprintf(devarg, sizeof devarg, "DEVNAME=%s", devname);
    const char *dev_info_argv[] = { devarg };
    struct cuse_info ci = { .dev_info_argc = 1, .dev_info_argv = dev_info_argv, .flags = CUSE_UNRESTRICTED_IOCTL };
    /* libfuse runs in the foreground, single-threaded (the simulator is not thread-safe);
     * the daemonisation above is ours so that it waits for the device. */
    char *fargv[] = { argv[0], "-f", "-s", NULL };
    int rc = cuse_lowlevel_main(3, fargv, &ci, &uv_ops, NULL);
    if (rc != 0)
        fprintf(stderr, PROG ": CUSE setup failed (is the cuse module loaded, /dev/cuse writable?)\n");
    uvsim_close(g_sim);
    return rc == 0 ? 0 : 1;
}
