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
 * of the n PEM/DER EC P-521 private keys that matches one of its keyslots.  state_dir
 * (NULL = in memory only) persists the store between processes: loaded here if present,
 * written atomically after every change.  Returns NULL with one line in err on failure. */
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

#endif
