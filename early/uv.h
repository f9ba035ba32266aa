/* The transport under uvsecret-early: one /dev/uv-style ioctl.  The installed binary
 * uses uv_dev.c (ioctl(2) on the device); the test build links tests/early/uv_sim.c
 * (the simulated ultravisor in-process) and the bench build tests/early/uv_stub.c. */
#ifndef EARLY_UV_H
#define EARLY_UV_H

#include <stddef.h>

#include "uvabi.h"

struct uv_dev {
    int fd;          /* uv_dev.c */
    void *impl;      /* test transports */
};

/* Opens the device at path.  Returns 0, or -errno (-ENOENT / -ENODEV / -ENXIO mean
 * "no ultravisor device": not a Secure Execution guest). */
int uv_open(struct uv_dev *d, const char *path);
/* One ioctl with the kernel's semantics: 0 (cb->uv_rc set) or -errno. */
int uv_ioctl(struct uv_dev *d, unsigned long nr, struct uvio_ioctl_cb *cb);
void uv_close(struct uv_dev *d);

#endif
