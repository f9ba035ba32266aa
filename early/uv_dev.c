/* Real transport: ioctl(2) on the uvdevice. */
#include "uv.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

int uv_open(struct uv_dev *d, const char *path)
{
    d->impl = NULL;
    d->fd = open(path, O_RDWR | O_CLOEXEC);
    return d->fd < 0 ? -errno : 0;
}

int uv_ioctl(struct uv_dev *d, unsigned long nr, struct uvio_ioctl_cb *cb)
{
    int r;
    do
        r = ioctl(d->fd, nr, cb);
    while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : 0;
}

void uv_close(struct uv_dev *d)
{
    if (d->fd >= 0)
        close(d->fd);
    d->fd = -1;
}
