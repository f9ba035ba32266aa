#include "uvcall.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int call(struct uv_dev *d, unsigned long nr, void *arg, size_t len, struct uvcall_res *res)
{
    struct uvio_ioctl_cb cb;

    memset(&cb, 0, sizeof(cb));
    cb.argument_addr = (uint64_t)(uintptr_t)arg;
    cb.argument_len = (uint32_t)len;
    res->rc = res->rrc = 0;
    res->err = uv_ioctl(d, nr, &cb);
    if (res->err == 0) {
        res->rc = cb.uv_rc;
        res->rrc = cb.uv_rrc;
    }
    return res->err;
}

int uvcall_add(struct uv_dev *d, const uint8_t *req, size_t len, struct uvcall_res *res)
{
    if (call(d, UVIO_IOCTL_ADD_SECRET, (void *)(uintptr_t)req, len, res) != 0)
        return -1;
    return res->rc == UVC_RC_OK ? 0 : -1;
}

int uvcall_lock(struct uv_dev *d, struct uvcall_res *res)
{
    if (call(d, UVIO_IOCTL_LOCK_SECRETS, NULL, 0, res) != 0)
        return -1;
    return res->rc == UVC_RC_OK ? 0 : -1;
}

int uvcall_list(struct uv_dev *d, uint8_t *buf, size_t *len, int *partial, struct uvcall_res *res)
{
    struct uvlist_view v;
    size_t n = UVCALL_LIST_CAP;

    *len = 0;
    *partial = 0;
    memset(buf, 0, UVCALL_LIST_CAP);
    if (call(d, UVIO_IOCTL_LIST_SECRETS, buf, n, res) == -EINVAL) {
        n = UVIO_LIST_SECRETS_LEN;
        memset(buf, 0, UVCALL_LIST_CAP);
        call(d, UVIO_IOCTL_LIST_SECRETS, buf, n, res);
    }
    if (res->err != 0)
        return -1;
    if (res->rc != UVC_RC_OK && res->rc != UVC_RC_MORE_DATA)
        return -1;
    if (uvlist_parse(buf, n, &v) != 0) {
        res->err = -EPROTO;
        return -1;
    }
    *partial = res->rc == UVC_RC_MORE_DATA;
    *len = UVLIST_HDR_LEN + (size_t)UVLIST_ENTRY_LEN * v.num_stored;
    return 0;
}

int uvcall_retrieve(struct uv_dev *d, uint16_t index, uint8_t *buf, size_t n,
                    struct uvcall_res *res)
{
    if (n < 2 || n > UVIO_RETR_SECRET_MAX_LEN) {
        res->err = -EINVAL;
        return -1;
    }
    memset(buf, 0, n);
    buf[0] = (uint8_t)(index >> 8);
    buf[1] = (uint8_t)index;
    if (call(d, UVIO_IOCTL_RETR_SECRET, buf, n, res) != 0)
        return -1;
    return res->rc == UVC_RC_OK ? 0 : -1;
}

void uvcall_describe(enum uvc_call c, const struct uvcall_res *res, char *out, size_t cap)
{
    if (res->err == -EPROTO)
        snprintf(out, cap, "malformed secret list from the device");
    else if (res->err != 0)
        snprintf(out, cap, "ioctl failed: %s", strerror(-res->err));
    else
        snprintf(out, cap, "Ultravisor: '%s' (0x%04x,0x%04x)", uvc_rc_text(c, res->rc),
                 res->rc, res->rrc);
}
