/* add, list, lock, retrieve: the pvsecret guest commands. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bearssl.h>

#include "asr.h"
#include "be.h"
#include "cmd.h"
#include "hex.h"
#include "ids.h"
#include "util.h"
#include "uvcall.h"

static uint8_t req_buf[ASR_LARGEST_VALID];
static uint8_t list_buf[UVCALL_LIST_CAP];
static uint8_t secret_buf[UVIO_RETR_SECRET_MAX_LEN];
static char out_buf[16384];
/* 340 entries of the longest rendering (text ID: ~150 bytes) fit. */
static char list_out[98304];

const char *cmd_optval(int argc, char **argv, int *i, const char *name, int *missing)
{
    size_t n = strlen(name);
    *missing = 0;
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != 0)
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    (*i)++;
    return argv[*i];
}

int cmd_read_input(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
    const char *why;
    if (strcmp(path, "-") == 0) {
        size_t got = 0;
        for (;;) {
            ssize_t r = read(0, buf + got, cap - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                msg("-: %s", strerror(errno));
                return -1;
            }
            if (r == 0)
                break;
            got += (size_t)r;
            if (got == cap) {
                uint8_t extra;
                if (read(0, &extra, 1) > 0) {
                    msg("-: input too large (over %zu bytes)", cap);
                    return -1;
                }
                break;
            }
        }
        *len = got;
        return 0;
    }
    if (read_file_safe(AT_FDCWD, path, buf, cap, len, &why) != 0) {
        msg("%s: %s", path, why);
        return -1;
    }
    return 0;
}

static int open_dev(const struct gopts *g, struct uv_dev *d)
{
    int r = uv_open(d, g->device);
    if (r != 0) {
        msg("error: Cannot open `%s`: %s", g->device, strerror(-r));
        return -1;
    }
    return 0;
}

/* Lists the store into list_buf.  0 or -1 (message printed). */
static int list_store(struct uv_dev *d, struct uvlist_view *v, int warn_partial)
{
    struct uvcall_res res;
    size_t len;
    int partial;
    char why[160];

    if (uvcall_list(d, list_buf, &len, &partial, &res) != 0) {
        uvcall_describe(UVC_CALL_LIST, &res, why, sizeof(why));
        msg("error: listing the secret store: %s", why);
        return -1;
    }
    if (partial && warn_partial)
        msg("The secret list contains more data but the uvdevice cannot show all.");
    return uvlist_parse(list_buf, len, v);
}

int cmd_add(int argc, char **argv, const struct gopts *g)
{
    const char *input = NULL;
    int force = 0;
    struct uv_dev d;
    struct asr_view v;
    struct uvcall_res res;
    size_t len;
    enum asr_err e;
    char why[160];

    for (int i = 1; i < argc; i++) {
        if (cmd_is_help(argv[i]))
            return cmd_help("add");
        if (strcmp(argv[i], "--force") == 0 || strcmp(argv[i], "-f") == 0)
            force = 1;
        else if (argv[i][0] == '-' && argv[i][1] != 0)
            return cmd_usage_error("add", "unknown option '%s'", argv[i]);
        else if (!input)
            input = argv[i];
        else
            return cmd_usage_error("add", "unexpected argument '%s'", argv[i]);
    }
    if (!input)
        return cmd_usage_error("add", "missing REQUEST");
    if (open_dev(g, &d) != 0)
        return 1;
    if (cmd_read_input(input, req_buf, sizeof(req_buf), &len) != 0)
        goto fail;
    e = asr_parse(req_buf, len, &v);
    if (e != ASR_OK) {
        msg("%s: %s", input, asr_strerror(e));
        goto fail;
    }
    if (v.id) {
        struct uvlist_view lv;
        unsigned dups;
        if (list_store(&d, &lv, 0) != 0)
            goto fail;
        if (id_find(&lv, v.id, &dups) >= 0) {
            msg("There is already a secret in the secret store with that id.");
            if (!force) {
                msg("error: Unable to add the secret due to duplicated IDs");
                goto fail;
            }
            msg("'--force' specified: Adding the secret anyways.");
        }
    }
    if (uvcall_add(&d, v.buf, v.len, &res) != 0) {
        uvcall_describe(UVC_CALL_ADD, &res, why, sizeof(why));
        msg("error: %s: %s", input, why);
        goto fail;
    }
    uv_close(&d);
    msg("Successfully added the secret");
    return 0;
fail:
    uv_close(&d);
    return 1;
}

/* Writes to stdout or atomically to a file; secrets (mode 0600) never replace a file. */
static int emit(const char *out_path, const void *buf, size_t n, unsigned mode)
{
    if (!out_path || strcmp(out_path, "-") == 0) {
        if (write_all(1, buf, n) != 0) {
            msg("stdout: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    if (write_file_atomic(out_path, buf, n, mode, mode != 0600) != 0) {
        msg("%s: %s", out_path, strerror(errno));
        return -1;
    }
    return 0;
}

int list_render(const struct uvlist_view *v, const char *format, char *out, size_t cap,
                size_t *pos)
{
    int human = strcmp(format, "human") == 0, yaml = strcmp(format, "yaml") == 0;
    int bad = 0;

    *pos = 0;
    if (human)
        bad |= json_add(out, cap, pos, "Total number of secrets: %u\n%s", v->total,
                        v->num_stored ? "\n" : "");
    else if (yaml)
        bad |= json_add(out, cap, pos, "total_num_secrets: %u\nsecrets:%s\n", v->total,
                        v->num_stored ? "" : " []");
    else
        bad |= json_add(out, cap, pos, "{\"total_num_secrets\":%u,\"secrets\":[", v->total);
    for (unsigned i = 0; i < v->num_stored && !bad; i++) {
        struct uvlist_entry e;
        char name[ASR_TYPE_NAME_MAX], id[ID_RENDER_MAX], hex[65];
        uvlist_entry_at(v, i, &e);
        hex_encode(e.id, 32, hex);
        if (human) {
            id_render(e.id, id);
            bad |= json_add(out, cap, pos, "%u %s:\n %s\n", e.index, asr_type_name(e.type, name),
                            id);
        } else if (yaml) {
            static const uint8_t z[16];
            const char *q = memcmp(e.id, z, 16) == 0 ? "'" : "";
            bad |= json_add(out, cap, pos, "- index: %u\n  stype: %u\n  len: %u\n  id: %s0x%s%s\n",
                            e.index, e.type, (unsigned)e.length, q, hex, q);
        } else {
            bad |= json_add(out, cap, pos, "%s{\"index\":%u,\"stype\":%u,\"len\":%u,\"id\":\"0x%s\"}",
                            i ? "," : "", e.index, e.type, (unsigned)e.length, hex);
        }
    }
    if (!human && !yaml)
        bad |= json_add(out, cap, pos, "]}\n");
    return bad ? -1 : 0;
}

int cmd_list(int argc, char **argv, const struct gopts *g)
{
    const char *format = "human", *out_path = NULL;
    struct uv_dev d;
    struct uvlist_view v;
    size_t pos = 0;
    int r = 1, miss;

    for (int i = 1; i < argc; i++) {
        const char *val;
        if (cmd_is_help(argv[i]))
            return cmd_help("list");
        if ((val = cmd_optval(argc, argv, &i, "--format", &miss)) != NULL)
            format = val;
        else if (!miss &&
                 ((val = cmd_optval(argc, argv, &i, "-o", &miss)) != NULL ||
                  (!miss && (val = cmd_optval(argc, argv, &i, "--output", &miss)) != NULL)))
            out_path = val;
        else if (miss)
            return cmd_usage_error("list", "option '%s' needs a value", argv[i]);
        else if (argv[i][0] != '-' && !out_path)
            out_path = argv[i];
        else
            return cmd_bad_arg("list", argv[i]);
    }
    if (strcmp(format, "human") && strcmp(format, "yaml") && strcmp(format, "json") &&
        strcmp(format, "bin")) {
        msg("list: unknown format '%s' (human, yaml, json, bin)", format);
        return 1;
    }
    if (open_dev(g, &d) != 0)
        return 1;
    if (list_store(&d, &v, 1) != 0)
        goto out;
    if (strcmp(format, "bin") == 0) {
        r = emit(out_path, list_buf, UVLIST_HDR_LEN + (size_t)UVLIST_ENTRY_LEN * v.num_stored,
                 0644) ? 1 : 0;
        goto done;
    }
    if (list_render(&v, format, list_out, sizeof(list_out), &pos) != 0) {
        msg("list: output buffer too small");
        goto out;
    }
    r = emit(out_path, list_out, pos, 0644) ? 1 : 0;
done:
    if (r == 0 && out_path && strcmp(out_path, "-"))
        msg("Successfully wrote the list of secrets to '%s'", out_path);
out:
    uv_close(&d);
    return r;
}

int cmd_lock(int argc, char **argv, const struct gopts *g)
{
    struct uv_dev d;
    struct uvcall_res res;
    char why[160];
    if (argc > 1 && cmd_is_help(argv[1]))
        return cmd_help("lock");
    if (argc > 1)
        return cmd_usage_error("lock", "unexpected argument '%s'", argv[1]);
    if (open_dev(g, &d) != 0)
        return 1;
    if (uvcall_lock(&d, &res) != 0) {
        uvcall_describe(UVC_CALL_LOCK, &res, why, sizeof(why));
        msg("error: %s", why);
        uv_close(&d);
        return 1;
    }
    uv_close(&d);
    msg("Successfully locked secret store");
    return 0;
}

/* PEM as pvsecret writes it: 64-character lines, optional "kind:" header. */
static size_t pem_encode(const uint8_t *data, size_t n, uint16_t type, char *out, size_t cap)
{
    char name[ASR_TYPE_NAME_MAX], hdr[64];
    const char *label = type == ASR_T_PLAIN ? "PLAINTEXT SECRET" : "IBM PROTECTED KEY";
    size_t len = br_pem_encode(NULL, data, n, label, BR_PEM_LINE64), hl = 0;
    char *nl;

    if (type != ASR_T_PLAIN) {
        if (fmt(hdr, sizeof(hdr), "kind: %s\n\n", asr_type_name(type, name)) != 0)
            return 0;
        hl = strlen(hdr);
    }
    if (len + hl + 1 > cap)
        return 0;
    br_pem_encode(out, data, n, label, BR_PEM_LINE64);
    if (hl) {
        nl = strchr(out, '\n') + 1;
        memmove(nl + hl, nl, len + 1 - (size_t)(nl - out));
        memcpy(nl, hdr, hl);
    }
    return len + hl;
}

int cmd_retrieve(int argc, char **argv, const struct gopts *g)
{
    const char *id_arg = NULL, *name = NULL, *idx_arg = NULL, *out_path = NULL, *outform = "pem";
    struct uv_dev d;
    struct uvlist_view v;
    struct uvlist_entry e;
    struct uvcall_res res;
    uint8_t id[32];
    unsigned long idx = 0;
    int at = -1, r = 1, miss;
    size_t n, dlen;
    const uint8_t *data;
    char why[160], idtxt[ID_RENDER_MAX];

    for (int i = 1; i < argc; i++) {
        const char *val;
        if (cmd_is_help(argv[i]))
            return cmd_help("retrieve");
        if ((val = cmd_optval(argc, argv, &i, "--name", &miss)) != NULL)
            name = val;
        else if (!miss && (val = cmd_optval(argc, argv, &i, "--index", &miss)) != NULL)
            idx_arg = val;
        else if (!miss && ((val = cmd_optval(argc, argv, &i, "-o", &miss)) != NULL ||
                           (!miss && (val = cmd_optval(argc, argv, &i, "--output", &miss)) != NULL)))
            out_path = val;
        else if (!miss && (val = cmd_optval(argc, argv, &i, "--outform", &miss)) != NULL)
            outform = val;
        else if (miss)
            return cmd_usage_error("retrieve", "option '%s' needs a value", argv[i]);
        else if (argv[i][0] != '-' && !id_arg)
            id_arg = argv[i];
        else
            return cmd_bad_arg("retrieve", argv[i]);
    }
    if ((id_arg != NULL) + (name != NULL) + (idx_arg != NULL) != 1)
        return cmd_usage_error("retrieve", "%s", id_arg || name || idx_arg
                                                     ? "more than one of ID, --name, --index"
                                                     : "missing ID, --name or --index");
    if (strcmp(outform, "pem") && strcmp(outform, "bin")) {
        msg("retrieve: unknown output form '%s' (pem, bin)", outform);
        return 1;
    }
    if (id_arg && id_parse_hex(id_arg, id) != 0) {
        msg("error: Cannot parse SecretId information");
        return 1;
    }
    if (idx_arg && parse_uint(idx_arg, 0xffff, &idx) != 0) {
        msg("error: Invalid index value");
        return 1;
    }
    if (name && strlen(name) == 0) {
        msg("retrieve: empty name");
        return 1;
    }
    if (open_dev(g, &d) != 0)
        return 1;
    if (list_store(&d, &v, 0) != 0)
        goto out;
    if (id_arg) {
        unsigned dups;
        at = id_find(&v, id, &dups);
        if (dups > 1)
            msg("There are multiple secrets in the secret store with that id.");
    } else if (name) {
        at = id_find_name(&v, name, id);
    } else {
        for (unsigned i = 0; i < v.num_stored; i++) {
            uvlist_entry_at(&v, i, &e);
            if (e.index == idx) {
                at = (int)i;
                break;
            }
        }
    }
    if (at < 0) {
        if (idx_arg)
            msg("error: The UV secret-store has no secret with the index %lu", idx);
        else {
            id_render(id, idtxt);
            msg("error: The UV secret-store has no secret with the ID %s", idtxt);
        }
        goto out;
    }
    uvlist_entry_at(&v, (unsigned)at, &e);
    if (e.length > UVIO_RETR_SECRET_MAX_LEN) {
        msg("error: The secret cannot be retrieved. The requested size is too large (%u)",
            (unsigned)e.length);
        goto out;
    }
    n = e.length < 2 ? 2 : e.length;
    if (uvcall_retrieve(&d, e.index, secret_buf, n, &res) != 0) {
        uvcall_describe(UVC_CALL_RETR, &res, why, sizeof(why));
        msg("error: Could not retrieve the secret from the UV secret store: %s", why);
        goto out;
    }
    data = secret_buf;
    dlen = n;
    if (e.type == ASR_T_PLAIN && asr_plain_decode(secret_buf, n, &dlen))
        data = secret_buf + 2;
    if (strcmp(outform, "bin") == 0) {
        r = emit(out_path, data, dlen, 0600) ? 1 : 0;
    } else {
        size_t pl = pem_encode(data, dlen, e.type, out_buf, sizeof(out_buf));
        r = pl && emit(out_path, out_buf, pl, 0600) == 0 ? 0 : 1;
        wipe(out_buf, sizeof(out_buf));
    }
out:
    wipe(secret_buf, sizeof(secret_buf));
    uv_close(&d);
    return r;
}
