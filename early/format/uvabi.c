/* Secret-list parsing and UV return-code texts (see uvabi.h). */
#include "uvabi.h"

#include <string.h>

#include "be.h"

const char *uvc_rc_text(enum uvc_call call, uint16_t rc)
{
    switch (rc) {
    case UVC_RC_OK:
        return "success";
    case UVC_RC_INV_CMD:
        return "invalid UV command";
    case 0x0005:
        return "invalid UVCB size";
    case UVC_RC_MORE_DATA:
        return call == UVC_CALL_LIST ? "more data available" : "unexpected error-code";
    case UVC_RC_NOT_ALLOWED:
        return "not allowed to modify the secret store";
    case UVC_RC_LOCKED:
        if (call == UVC_CALL_LOCK)
            return "secret store already locked";
        if (call == UVC_CALL_RETR)
            return "access exception when accessing the result buffer";
        return "secret store locked";
    case UVC_RC_ACCESS:
        return "access exception when accessing request control block";
    case UVC_RC_VERSION:
        return "unsupported add secret version";
    case UVC_RC_SIZE:
        return "invalid request size";
    case UVC_RC_NKS:
        return "invalid number of host-keys";
    case UVC_RC_FLAGS:
        return "unsupported flags specified";
    case UVC_RC_DECRYPT:
        return "unable to decrypt the request";
    case UVC_RC_TYPE:
        return call == UVC_CALL_RETR ? "buffer too small" : "unsupported secret provided";
    case UVC_RC_SECLEN:
        return "invalid length for the specified secret";
    case UVC_RC_FULL:
        return "secret store full";
    case UVC_RC_ADD_FAILED:
        return "unable to add secret";
    case UVC_RC_DUMP:
        return "dump in progress, try again later";
    case UVC_RC_STORE_EMPTY:
        return "secret store empty";
    case UVC_RC_NO_INDEX:
        return "no secret with that index";
    case UVC_RC_NOT_RETR:
        return "the secret is not retrievable";
    }
    return "unexpected error-code";
}

int uvlist_parse(const uint8_t *buf, size_t len, struct uvlist_view *v)
{
    memset(v, 0, sizeof(*v));
    if (len < UVLIST_HDR_LEN)
        return -1;
    v->num_stored = be16_load(buf);
    v->total = be16_load(buf + 2);
    v->next_index = be16_load(buf + 4);
    if ((len - UVLIST_HDR_LEN) / UVLIST_ENTRY_LEN < v->num_stored)
        return -1;
    v->buf = buf;
    return 0;
}

void uvlist_entry_at(const struct uvlist_view *v, unsigned i, struct uvlist_entry *e)
{
    const uint8_t *p = v->buf + UVLIST_HDR_LEN + (size_t)UVLIST_ENTRY_LEN * i;
    e->index = be16_load(p);
    e->type = be16_load(p + 2);
    e->length = be32_load(p + 4);
    e->id = p + 16;
}

void uvlist_write_header(uint8_t *buf, uint16_t num_stored, uint16_t total, uint16_t next_index)
{
    memset(buf, 0, UVLIST_HDR_LEN);
    be16_store(buf, num_stored);
    be16_store(buf + 2, total);
    be16_store(buf + 4, next_index);
}

void uvlist_write_entry(uint8_t *buf, unsigned i, uint16_t index, uint16_t type, uint32_t length,
                        const uint8_t id[32])
{
    uint8_t *p = buf + UVLIST_HDR_LEN + (size_t)UVLIST_ENTRY_LEN * i;
    memset(p, 0, UVLIST_ENTRY_LEN);
    be16_store(p, index);
    be16_store(p + 2, type);
    be32_store(p + 4, length);
    memcpy(p + 16, id, 32);
}
