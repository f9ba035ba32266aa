/* Test transport: the simulated ultravisor core in-process (tests/uvsim/uvsim.h),
 * configured from UVSIM_HDR, UVSIM_HOST_KEYS (colon list) and UVSIM_STATE.  Without
 * UVSIM_HDR there is "no device" (ENOENT), which plays a non-SE guest.  The device path
 * is ignored except that a path ending in "/absent" also means no device. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uv.h"
#include "uvsim.h"

int uv_open(struct uv_dev *d, const char *path)
{
    static char keys[4096];
    const char *hdr = getenv(UVSIM_ENV_HDR), *k = getenv(UVSIM_ENV_KEYS);
    const char *state = getenv(UVSIM_ENV_STATE);
    const char *list[16];
    size_t n = 0, plen = strlen(path);
    char err[256];

    d->fd = -1;
    d->impl = NULL;
    if (!hdr || !*hdr || (plen >= 7 && strcmp(path + plen - 7, "/absent") == 0))
        return -ENOENT;
    if (!k || strlen(k) >= sizeof(keys))
        return -EINVAL;
    memcpy(keys, k, strlen(k) + 1);
    for (char *p = strtok(keys, ":"); p && n < 16; p = strtok(NULL, ":"))
        list[n++] = p;
    d->impl = uvsim_open(hdr, list, n, state && *state ? state : NULL, err, sizeof(err));
    if (!d->impl) {
        fprintf(stderr, "uv_sim: %s\n", err);
        return -ENODEV;
    }
    return 0;
}

int uv_ioctl(struct uv_dev *d, unsigned long nr, struct uvio_ioctl_cb *cb)
{
    return uvsim_ioctl(d->impl, nr, cb);
}

void uv_close(struct uv_dev *d)
{
    if (d->impl)
        uvsim_close(d->impl);
    d->impl = NULL;
}
