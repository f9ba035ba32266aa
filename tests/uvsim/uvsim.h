/* The simulated ultravisor: a guest configuration (SE header + the host private keys
 * that can open it) and its secret store, judged per shared/spec/ultravisor-add-secret.md
 * and served through the kernel's /dev/uv ioctl ABI (shared/spec/uvdevice.md).
 * Test infrastructure only (never installed).  Contract shared by the CUSE daemon
 * (tests/uvsim/cuse_uv.c), the uvsim command line, and the guest binary's test build
 * (which routes its ioctls here instead of to a device). */
#ifndef UVSIM_H
#define UVSIM_H

#include <stddef.h>
#include <stdint.h>

#include "uvabi.h"

struct uvsim;   /* opaque; owns the decrypted header secrets and the store */

/* Loads the SE header (bare header or SE image) at hdr_path and opens it with the first
 * of the n PEM/DER EC P-521 private keys that matches one of its keyslots (the other keys
 * are the machine's backup host keys, used when the header's PCF bit 62 allows).
 * state_dir (NULL = in memory only; created 0700 if missing) persists the store between
 * processes: loaded here if present, written atomically after every change, and re-read
 * under a flock before every operation so that processes can share it.  Returns NULL
 * with one line in err on failure. */
struct uvsim *uvsim_open(const char *hdr_path, const char *const *host_key_paths, size_t n,
                         const char *state_dir, char *err, size_t err_len);
void uvsim_close(struct uvsim *sim);

/* One /dev/uv ioctl, exactly as the kernel driver + UV would handle it: `nr` is the full
 * ioctl number (UVIO_IOCTL_*), cb the control block whose argument_addr points into this
 * process.  Returns 0 (cb->uv_rc/uv_rrc set, even when the UV refused) or -errno where the
 * kernel driver fails the syscall itself (EINVAL, EFAULT, ENOTTY, ENOMEM ...). */
int uvsim_ioctl(struct uvsim *sim, unsigned long nr, struct uvio_ioctl_cb *cb);

/* Environment variables that the guest binary's test build (and uvsim's own CLI) read to
 * find the configuration when no device is used:
 *   UVSIM_HDR=path  UVSIM_HOST_KEYS=key1.pem:key2.pem  UVSIM_STATE=dir */
#define UVSIM_ENV_HDR "UVSIM_HDR"
#define UVSIM_ENV_KEYS "UVSIM_HOST_KEYS"
#define UVSIM_ENV_STATE "UVSIM_STATE"

/* ---- Extensions (tests, the uvsim CLI, the CUSE daemon) -------------------------
 * Environment read by uvsim_open in addition: UVSIM_CUID=32 hex digits sets the
 * guest's configuration UID (else a new state gets 16 random bytes). */
#define UVSIM_ENV_CUID "UVSIM_CUID"

/* Which kernel driver to play (uvdevice.md §6): mainline (info mask 0x3F, multi-page
 * list, retrieve) or the first secret-store series (mask 0x1F, list exactly one page,
 * retrieve answers ENOTTY). */
enum uvsim_kernel { UVSIM_KERNEL_MAINLINE = 0, UVSIM_KERNEL_LEGACY = 1 };
void uvsim_set_kernel(struct uvsim *sim, enum uvsim_kernel k);

/* Setters persist the state (when a state_dir is used); 0 or -1 (save failed, err). */
int uvsim_set_cuid(struct uvsim *sim, const uint8_t cuid[16], char *err, size_t err_len);
int uvsim_set_limits(struct uvsim *sim, unsigned max_assoc, unsigned max_retr, char *err, size_t err_len);
/* Test hook: while set, add-secret answers 0x010D (ultravisor-add-secret.md §2 step 2). */
void uvsim_set_dump_in_progress(struct uvsim *sim, int on);
/* Guest reboot: empty unlocked store, no extension secret, the header's CCK, a new
 * random CUID (ultravisor-add-secret.md §1, §5). */
int uvsim_reboot(struct uvsim *sim, char *err, size_t err_len);

struct uvsim_status {
    uint8_t cuid[16];
    uint8_t hdr_tag[16];
    uint64_t pcf, scf;               /* of the opened header                      */
    int locked, dump_disabled, dump_allowed, ext_set;
    size_t n_secrets;                /* listed entries                            */
    unsigned max_assoc, max_retr;
    unsigned long n_accepted;        /* successful add-secret requests            */
    uint8_t stream_hash[64];         /* ultravisor-add-secret.md §9               */
};
void uvsim_get_status(const struct uvsim *sim, struct uvsim_status *st);
/* The current CCK (header's, or replaced by Update-CCK).  Tests only. */
void uvsim_get_cck(const struct uvsim *sim, uint8_t cck[32]);

/* The Add Secret UV call without the kernel layer: returns the UV rc and a short
 * reason text (static); persists the state on success. */
uint16_t uvsim_add_secret(struct uvsim *sim, const uint8_t *req, size_t len, const char **why);

/* The kernel layer split in two, for transports that cannot dereference the caller's
 * argument_addr themselves (the CUSE daemon):
 *   uvsim_ioctl_prepare: the driver's checks of nr and cb (uvdevice.md §4, §5) without
 *     touching the argument; returns 0 or -errno, and how many bytes at argument_addr
 *     the driver reads (*in_len) and at most writes back (*out_len);
 *   uvsim_ioctl_exec: arg holds the *in_len bytes read (capacity arg_cap >= both
 *     lengths, zero beyond in_len); runs the UV call, sets cb->uv_rc/uv_rrc and
 *     *out_len (bytes of arg to copy back, a prefix of the argument).  Returns 0 or
 *     -errno. */
int uvsim_ioctl_prepare(const struct uvsim *sim, unsigned long nr, const struct uvio_ioctl_cb *cb,
                        size_t *in_len, size_t *out_len);
int uvsim_ioctl_exec(struct uvsim *sim, unsigned long nr, struct uvio_ioctl_cb *cb, uint8_t *arg,
                     size_t arg_cap, size_t *out_len);

#endif
