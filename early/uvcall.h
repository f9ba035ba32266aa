/* The four secret-store calls on top of the transport (uvdevice.md §5), with the
 * client rules of §6: list with 4 pages and a 1-page fallback on EINVAL; uv_rc checked. */
#ifndef EARLY_UVCALL_H
#define EARLY_UVCALL_H

#include <stddef.h>
#include <stdint.h>

#include "uv.h"

#define UVCALL_LIST_PAGES 4
#define UVCALL_LIST_CAP (UVCALL_LIST_PAGES * UVIO_LIST_SECRETS_LEN)   /* 340 entries */

struct uvcall_res {
    int err;          /* 0 or -errno of the ioctl                    */
    uint16_t rc, rrc; /* UV codes (valid when err == 0)               */
};

/* 0 when the UV accepted (rc 0x0001), -1 otherwise (*res says why). */
int uvcall_add(struct uv_dev *d, const uint8_t *req, size_t len, struct uvcall_res *res);
int uvcall_lock(struct uv_dev *d, struct uvcall_res *res);
/* Lists into buf (UVCALL_LIST_CAP bytes, zeroed first); rc 0x0001 and 0x0100 both
 * count as success (*partial = 1 for the latter).  On success *len = 16 + 48 * entries
 * and the buffer passed uvlist_parse. */
int uvcall_list(struct uv_dev *d, uint8_t *buf, size_t *len, int *partial, struct uvcall_res *res);
/* Retrieves secret index into buf[0, n), n in 2..0x2000. */
int uvcall_retrieve(struct uv_dev *d, uint16_t index, uint8_t *buf, size_t n,
                    struct uvcall_res *res);

/* "Ultravisor: 'TEXT' (0xRRRR,0xQQQQ)" or "ioctl failed: strerror" into out. */
void uvcall_describe(enum uvc_call call, const struct uvcall_res *res, char *out, size_t cap);

#endif
