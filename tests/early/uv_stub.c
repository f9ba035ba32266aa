/* Bench/unit transport: an ultravisor stand-in that accepts every add without any
 * cryptography (in memory only), lists what was added (by the ID in the request), locks,
 * and refuses retrieve.  It measures the boot job's own cost, not the UV's.
 * Device paths ending in "/absent" play a missing /dev/uv; "/nostore" a kernel without
 * the secret-store ioctls (every call but info fails with ENOTTY). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "asr.h"
#include "uv.h"

#define STUB_MAX 512

static struct {
    uint16_t type;
    uint32_t len;
    uint8_t id[32];
} store[STUB_MAX];
static unsigned nstore, locked, nostore;

int uv_open(struct uv_dev *d, const char *path)
{
    size_t plen = strlen(path);
    d->fd = -1;
    d->impl = NULL;
    if (plen >= 7 && strcmp(path + plen - 7, "/absent") == 0)
        return -ENOENT;
    nostore = plen >= 8 && strcmp(path + plen - 8, "/nostore") == 0;
    return 0;
}

int uv_ioctl(struct uv_dev *d, unsigned long nr, struct uvio_ioctl_cb *cb)
{
    uint8_t *arg = (uint8_t *)(uintptr_t)cb->argument_addr;
    (void)d;
    cb->uv_rrc = 0;
    if (nostore && nr != UVIO_IOCTL_UVDEV_INFO)
        return -ENOTTY;
    switch (nr) {
    case UVIO_IOCTL_ADD_SECRET: {
        struct asr_view v;
        if (cb->argument_len == 0 || cb->argument_len > UVIO_ADD_SECRET_MAX_LEN)
            return -EINVAL;
        if (locked) {
            cb->uv_rc = UVC_RC_LOCKED;
            return 0;
        }
        if (asr_parse(arg, cb->argument_len, &v) != ASR_OK) {
            cb->uv_rc = UVC_RC_SIZE;
            return 0;
        }
        if (v.id && nstore < STUB_MAX) {
            store[nstore].type = v.secret_type;
            store[nstore].len = v.secret_type == ASR_T_PLAIN ? v.secret_len
                                                             : asr_type_lookup(v.secret_type)->prot_len;
            memcpy(store[nstore].id, v.id, 32);
            nstore++;
        }
        cb->uv_rc = UVC_RC_OK;
        return 0;
    }
    case UVIO_IOCTL_LIST_SECRETS: {
        unsigned cap, n;
        if (cb->argument_len == 0 || cb->argument_len % UVIO_LIST_SECRETS_LEN)
            return -EINVAL;
        cap = (cb->argument_len / UVIO_LIST_SECRETS_LEN) * UVLIST_PER_PAGE;
        n = nstore < cap ? nstore : cap;
        for (unsigned i = 0; i < n; i++)
            uvlist_write_entry(arg, i, (uint16_t)i, store[i].type, store[i].len, store[i].id);
        uvlist_write_header(arg, (uint16_t)n, (uint16_t)nstore, (uint16_t)(n < nstore ? n : 0));
        cb->uv_rc = n < nstore ? UVC_RC_MORE_DATA : UVC_RC_OK;
        return 0;
    }
    case UVIO_IOCTL_LOCK_SECRETS:
        if (cb->argument_addr || cb->argument_len)
            return -EINVAL;
        cb->uv_rc = locked ? UVC_RC_LOCKED : UVC_RC_OK;
        locked = 1;
        return 0;
    case UVIO_IOCTL_RETR_SECRET:
        cb->uv_rc = UVC_RC_NOT_RETR;
        return 0;
    default:
        return -ENOTTY;
    }
}

void uv_close(struct uv_dev *d)
{
    (void)d;
}
