/* `uvsecret info FILE [--json]`: what a request, an SE header or an SE image holds —
 * never a secret value (the encrypted part is not even looked at). */
#include <stdio.h>
#include <string.h>

#include "asr.h"
#include "be.h"
#include "cli.h"
#include "cli_file.h"
#include "cli_hdr.h"
#include "cli_opts.h"
#include "cli_out.h"

static void info_usage(FILE *f)
{
    fputs("Usage: uvsecret info [--json] FILE\n"
          "\n"
          "Describe an add-secret request, an SE header or a whole SE image: kind, version,\n"
          "size, keyslots (host-key hashes), boot tags, flags, CUID, secret type and ID,\n"
          "user-data kind, request tag.  Secret values are never shown.\n"
          "\n"
          "Options:\n"
          "      --json      JSON output (one member per line)\n"
          "  -v, --verbose   more output (repeatable)\n"
          "  -q, --quiet     less output (repeatable)\n"
          "  -h, --help      this help\n",
          f);
}

/* 1 if the ID is a --use-name ID (printable text, then only zeros). */
static int id_is_text(const uint8_t id[32])
{
    size_t n = 0;

    while (n < 32 && id[n] != 0)
        n++;
    if (n == 0 || n == 32)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((id[i] >= 0x20 && id[i] < 0x7f) || (id[i] >= 0x09 && id[i] <= 0x0d)))
            return 0;
    for (size_t i = n; i < 32; i++)
        if (id[i] != 0)
            return 0;
    return 1;
}

static void cli_out_version(struct cli_out *o, uint32_t ver)
{
    char b[16];

    snprintf(b, sizeof(b), "0x%x", (unsigned)ver);
    cli_out_str(o, "version", b);
}

static void boot_tags(struct cli_out *o, const uint8_t *pld, const uint8_t *ald, const uint8_t *tld,
                      const uint8_t *tag)
{
    cli_out_hex(o, "pld", pld, 64);
    cli_out_hex(o, "ald", ald, 64);
    cli_out_hex(o, "tld", tld, 64);
    cli_out_hex(o, "se_header_tag", tag, 16);
}

static void info_request(struct cli_out *o, const char *path, const struct asr_view *v)
{
    char tname[ASR_TYPE_NAME_MAX];
    const char *sname;
    size_t last = 0;

    cli_out_str(o, "kind", "add-secret request");
    cli_out_str(o, "file", path);
    cli_out_version(o, be32_load(v->buf + ASR_OFF_RQVN));
    cli_out_u64(o, "size", v->rql);
    cli_out_u64(o, "encrypted_size", v->sea);
    cli_out_hex(o, "iv", v->iv, ASR_IV_LEN);
    cli_out_x64(o, "flags", v->flags);
    cli_out_bool(o, "disable_dump", (v->flags & ASR_FLAG_DISABLE_DUMP) != 0);
    boot_tags(o, v->tags, v->tags + 64, v->tags + 128, v->tags + 192);
    if (asr_cuid_is_zero(v))
        cli_out_str(o, "cuid", "none");
    else
        cli_out_hex(o, "cuid", v->cuid, ASR_CUID_LEN);
    cli_out_u64(o, "user_data_type", v->ud_type);
    cli_out_str(o, "user_data", asr_ud_kind_name(v->ud_type));
    if (v->ud_type == ASR_UD_UNSIGNED) {
        for (size_t i = 0; i < ASR_USER_LEN; i++)
            if (v->user_data[i] != 0)
                last = i + 1;
        cli_out_u64(o, "user_data_used_bytes", last);
    } else if (v->ud_type == ASR_UD_ECDSA_P521) {
        cli_out_u64(o, "user_data_signature_len", be16_load(v->user_data + ASR_UD_ECDSA_LEN_OFF));
    }
    cli_out_hex(o, "customer_key_x", v->cust_key, ASR_COORD_LEN);
    cli_out_hex(o, "customer_key_y", v->cust_key + ASR_COORD_LEN, ASR_COORD_LEN);
    cli_out_u64(o, "nks", v->nks);
    cli_out_array_begin(o, "keyslots");
    for (unsigned i = 0; i < v->nks; i++)
        cli_out_array_hex(o, v->keyslots + (size_t)ASR_KEYSLOT_LEN * i, ASR_PHKH_LEN);
    cli_out_array_end(o);
    cli_out_u64(o, "secret_type", v->secret_type);
    if (v->secret_type == ASR_T_NULL)
        sname = "meta";
    else if (v->secret_type == ASR_T_UPDATE_CCK)
        sname = "update-cck";
    else
        sname = asr_type_name(v->secret_type, tname);
    cli_out_str(o, "secret_kind", sname);
    cli_out_u64(o, "secret_len", v->secret_len);
    if (v->id != NULL) {
        cli_out_hex(o, "secret_id", v->id, ASR_ID_LEN);
        if (id_is_text(v->id))
            cli_out_str(o, "secret_id_text", (const char *)v->id);
    }
    cli_out_hex(o, "request_tag", v->tag, ASR_TAG_LEN);
}

static void info_header(struct cli_out *o, const char *path, const struct cli_sehdr *h)
{
    const struct sehdr_view *v = &h->v;
    uint64_t nslots = cli_sehdr_keyslots(h);

    cli_out_str(o, "kind", v->offset == 0 && !v->from_metadata ? "SE header" : "SE image");
    cli_out_str(o, "file", path);
    cli_out_u64(o, "header_offset", v->offset);
    cli_out_bool(o, "image_metadata", v->from_metadata);
    if (v->from_metadata)
        cli_out_u64(o, "image_metadata_version", v->meta_version);
    cli_out_version(o, be32_load(v->hdr + SEHDR_OFF_VERSION));
    cli_out_u64(o, "size", v->size);
    cli_out_hex(o, "iv", v->iv, 12);
    cli_out_u64(o, "nks", v->nks);
    cli_out_u64(o, "sea", v->sea);
    cli_out_u64(o, "nep", v->nep);
    cli_out_x64(o, "pcf", v->pcf);
    cli_out_bool(o, "pcf_allow_dump", (v->pcf & SEHDR_PCF_ALLOW_DUMP) != 0);
    cli_out_bool(o, "pcf_no_image_encryption", (v->pcf & SEHDR_PCF_NO_IMAGE_ENC) != 0);
    cli_out_bool(o, "strict_v1_layout", sehdr_check_v1(v) == SEHDR_OK);
    cli_out_hex(o, "customer_key_x", v->cust_key, 80);
    cli_out_hex(o, "customer_key_y", v->cust_key + 80, 80);
    cli_out_array_begin(o, "keyslots");
    for (uint64_t i = 0; i < nslots; i++)
        cli_out_array_hex(o, v->hdr + SEHDR_OFF_KEYSLOTS + SEHDR_KEYSLOT_LEN * i, 32);
    cli_out_array_end(o);
    boot_tags(o, v->pld, v->ald, v->tld, v->tag);
}

enum { O_JSON = 1, O_HELP, O_VERBOSE, O_QUIET };

int cli_info_main(int argc, char **argv)
{
    static const struct cli_opt opts[] = {
        { "json", 0, 0, O_JSON },         { "help", 'h', 0, O_HELP },
        { "verbose", 'v', 0, O_VERBOSE }, { "quiet", 'q', 0, O_QUIET }, { NULL, 0, 0, 0 },
    };
    struct cli_scan s;
    struct cli_out o;
    const char *arg, *path = NULL;
    char reason[CLI_REASON_MAX];
    uint8_t *buf;
    size_t len;
    uint64_t fsize;
    int json = 0, r;

    cli_scan_init(&s, argc, argv, 1);
    while ((r = cli_scan_next(&s, opts, &arg)) != CLI_P_END) {
        if (r == CLI_P_ERR)
            return 1;
        if (r == O_HELP) {
            info_usage(stdout);
            return 0;
        }
        if (r == O_JSON) {
            json = 1;
        } else if (r == O_VERBOSE || r == O_QUIET) {
            cli_verbosity_step(r == O_VERBOSE ? 1 : -1);
        } else if (path == NULL) {
            path = arg;
        } else {
            cli_err(arg, "unexpected argument (info takes one FILE)");
            return 1;
        }
    }
    if (path == NULL) {
        cli_err(NULL, "info: no FILE given (see --help)");
        return 1;
    }
    if (cli_read_prefix(path, ASR_MAX_LEN, &buf, &len, &fsize, reason) != 0) {
        cli_err(path, "%s", reason);
        return 1;
    }
    if (len >= ASR_MAGIC_LEN && memcmp(buf, ASR_MAGIC, ASR_MAGIC_LEN) == 0) {
        struct asr_view v;
        enum asr_err e = fsize > ASR_MAX_LEN ? ASR_E_TOO_LARGE : asr_parse(buf, len, &v);
        if (e != ASR_OK) {
            cli_err(path, "malformed add-secret request: %s", asr_strerror(e));
            cli_buf_free(buf, len);
            return 1;
        }
        cli_out_begin(&o, stdout, json);
        info_request(&o, path, &v);
        cli_out_end(&o);
    } else {
        static struct cli_sehdr h;
        if (cli_sehdr_from_prefix(path, buf, len, fsize, &h, reason) != 0) {
            cli_err(path, "neither an add-secret request nor an SE header/image (%s)", reason);
            cli_buf_free(buf, len);
            return 1;
        }
        cli_out_begin(&o, stdout, json);
        info_header(&o, path, &h);
        cli_out_end(&o);
    }
    cli_buf_free(buf, len);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_err(NULL, "write error on standard output");
        return 1;
    }
    return 0;
}
