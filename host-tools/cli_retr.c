/* The secret value of `create` (see cli_retr.h). */
#include "cli_retr.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_file.h"

int cli_secret_value(struct uvs_rng *rng, const struct cli_create *c, struct uvs_secret *s)
{
    char reason[CLI_REASON_MAX], err[SECRET_ERR_MAX];
    const char *path = NULL;
    uint8_t *buf = NULL;
    size_t len = 0;
    int kind = 0, r;

    memset(s, 0, sizeof(*s));
    if (c->sub == SUB_META) {
        uvs_secret_meta(s);
        return 0;
    }
    if (c->sub == SUB_RETR) {
        kind = uvs_secret_kind_from_name(c->type);
        if (kind < 0) {
            cli_err("--type", "unknown secret type '%s' (%s)", c->type, UVS_SECRET_KIND_NAMES);
            return -1;
        }
    }
    path = c->sub == SUB_ASSOC ? c->input_secret : c->secret;
    if (path != NULL && cli_read_file(path, UVS_SECRET_INPUT_MAX, &buf, &len, reason) != 0) {
        cli_err(path, "%s", reason);
        return -1;
    }
    err[0] = '\0';
    if (c->sub == SUB_ASSOC)
        r = uvs_secret_association(rng, buf, len, s, err);
    else if (c->sub == SUB_CCK)
        r = uvs_secret_update_cck(buf, len, s, err);
    else
        r = uvs_secret_retrievable(rng, kind, buf, len, NULL, s, err);
    cli_buf_free(buf, len);
    if (r != 0) {
        /* Always "FILE: reason" (the reason itself never names the file). */
        cli_err(path, "%s", err[0] != '\0' ? err : "invalid secret");
        uvs_secret_wipe(s);
        return -1;
    }
    return 0;
}

void cli_hkd_opts_extra(struct hkd_verify_opts *o, const struct cli_create *c)
{
    o->crl_cache_dir = c->crl_cache;
    o->no_crl_cache = c->no_crl_cache;
    /* Checked (1..3600) by create before verification starts. */
    o->crl_timeout_ms = c->crl_timeout != NULL ? (unsigned)strtoul(c->crl_timeout, NULL, 10) * 1000u : 0;
}
