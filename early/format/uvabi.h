/* The kernel's /dev/uv ioctl ABI (uvdevice) and the secret-list format.
 * Shared by the guest binary and the CUSE simulator; shared/spec/uvdevice.md is
 * normative.  The control block is host-native; every payload is big-endian. */
#ifndef UVS_UVABI_H
#define UVS_UVABI_H

#include <stddef.h>
#include <stdint.h>

struct uvio_ioctl_cb {
    uint32_t flags;              /* must be 0                                    */
    uint16_t uv_rc;              /* out: UV return code                          */
    uint16_t uv_rrc;             /* out: UV reason code                          */
    uint64_t argument_addr;
    uint32_t argument_len;
    uint8_t reserved14[44];      /* must be 0                                    */
};
_Static_assert(sizeof(struct uvio_ioctl_cb) == 64, "uvio_ioctl_cb is 64 bytes");

/* _IOWR('u', nr, struct uvio_ioctl_cb), written out so no kernel header is needed. */
#define UVIO_IOCTL(nr) (0xC0407500u | (unsigned)(nr))
#define UVIO_IOCTL_UVDEV_INFO UVIO_IOCTL(0)
#define UVIO_IOCTL_ATT UVIO_IOCTL(1)
#define UVIO_IOCTL_ADD_SECRET UVIO_IOCTL(2)
#define UVIO_IOCTL_LIST_SECRETS UVIO_IOCTL(3)
#define UVIO_IOCTL_LOCK_SECRETS UVIO_IOCTL(4)
#define UVIO_IOCTL_RETR_SECRET UVIO_IOCTL(5)
#define UVIO_IOCTL_NUM 6

#define UVIO_ADD_SECRET_MAX_LEN 0x100000u
#define UVIO_LIST_SECRETS_LEN 0x1000u
#define UVIO_RETR_SECRET_MAX_LEN 0x2000u
#define UVIO_INFO_LEN 16

/* UV return codes (uvdevice.md §7, ultravisor-add-secret.md §10). */
#define UVC_RC_OK 0x0001
#define UVC_RC_INV_CMD 0x0002
#define UVC_RC_MORE_DATA 0x0100
#define UVC_RC_NOT_ALLOWED 0x0101
#define UVC_RC_LOCKED 0x0102
#define UVC_RC_ACCESS 0x0103
#define UVC_RC_VERSION 0x0104
#define UVC_RC_SIZE 0x0105
#define UVC_RC_NKS 0x0106
#define UVC_RC_FLAGS 0x0107
#define UVC_RC_DECRYPT 0x0108
#define UVC_RC_TYPE 0x0109        /* add: unsupported secret; retrieve: buffer small */
#define UVC_RC_SECLEN 0x010A
#define UVC_RC_FULL 0x010B
#define UVC_RC_ADD_FAILED 0x010C
#define UVC_RC_DUMP 0x010D
#define UVC_RC_STORE_EMPTY 0x010F
#define UVC_RC_NO_INDEX 0x0110
#define UVC_RC_NOT_RETR 0x0111

/* Text `pvsecret` prints for an rc of the given call ("unexpected error-code" else). */
enum uvc_call { UVC_CALL_ADD, UVC_CALL_LIST, UVC_CALL_LOCK, UVC_CALL_RETR };
const char *uvc_rc_text(enum uvc_call call, uint16_t rc);

/* ---- Secret list (uvdevice.md §5.4) ------------------------------------------- */
#define UVLIST_HDR_LEN 16
#define UVLIST_ENTRY_LEN 48
#define UVLIST_PER_PAGE 85

struct uvlist_entry {
    uint16_t index;
    uint16_t type;
    uint32_t length;
    const uint8_t *id;           /* 32 bytes inside the caller's buffer */
};

struct uvlist_view {
    const uint8_t *buf;
    uint16_t num_stored;         /* entries present in this buffer       */
    uint16_t total;              /* secrets in the store                  */
    uint16_t next_index;         /* 0 when complete                       */
};

/* Checks 16 + 48 * num_stored <= len.  Returns 0 on success, -1 if the buffer is too
 * short for its header or for the entries its header claims. */
int uvlist_parse(const uint8_t *buf, size_t len, struct uvlist_view *v);
/* Entry i (< num_stored) of a parsed list. */
void uvlist_entry_at(const struct uvlist_view *v, unsigned i, struct uvlist_entry *e);
/* Writes a list header / entry (the simulator's side). */
void uvlist_write_header(uint8_t *buf, uint16_t num_stored, uint16_t total, uint16_t next_index);
void uvlist_write_entry(uint8_t *buf, unsigned i, uint16_t index, uint16_t type, uint32_t length,
                        const uint8_t id[32]);

#endif
