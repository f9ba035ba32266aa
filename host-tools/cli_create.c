/* `uvsecret create`: reads and checks every input in the reference's order
 * (pvsecret-cli.md §2.4), builds the request with asr_request_build and writes the
 * outputs without ever leaving a partial file. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/x509_crt.h>

#include "asr.h"
#include "cli.h"
#include "cli_create.h"
#include "cli_file.h"
#include "cli_hdr.h"
#include "cli_retr.h"
#include "cli_yaml.h"
#include "crypto.h"
#include "hex.h"
#include "hkd.h"
#include "request.h"

#define CLI_USER_DATA_MAX 512u

/* Everything create holds; secrets are wiped in create_free. */
struct create_state {
    struct cli_create c;
    struct uvs_rng rng;
    int rng_ok;
    struct uvs_secret sec;           /* type and encoded value                     */
    uint8_t id[ASR_ID_LEN];
    uint64_t flags;
    struct cli_sehdr hdr;
    uint8_t tags[ASR_TAGS_LEN];
    uint8_t cuid[16];
    int have_cuid;
    uint8_t ext[32];
    int have_ext;
    uint8_t user[ASR_USER_LEN];
    size_t user_len;
    int user_given, user_unsigned;
    mbedtls_pk_context sign_key;
    int have_key;
    uint8_t (*host_keys)[160];
    uint8_t *req;
    size_t req_len;
    char yaml_path[4096];
};

static void create_free(struct create_state *st)
{
    uvs_secret_wipe(&st->sec);
    if (st->req != NULL) {
        uvs_wipe(st->req, st->req_len);
        free(st->req);
    }
    free(st->host_keys);
    mbedtls_pk_free(&st->sign_key);
    if (st->rng_ok)
        uvs_rng_free(&st->rng);
    uvs_wipe(st->ext, sizeof(st->ext));
    uvs_wipe(st->user, sizeof(st->user));
}

/* Step 1: refuse to run inside an SE guest without -f (s390x only). */
static int guest_check(const struct cli_create *c)
{
#if defined(__s390x__)
    FILE *f = fopen("/sys/firmware/uv/prot_virt_guest", "r");
    int ch = f != NULL ? fgetc(f) : EOF;

    if (f != NULL)
        fclose(f);
    if (ch == '1') {
        if (!c->force) {
            cli_err(NULL, "Do NOT generate Add-secret requests on a machine where you want to use the secret! Overwrite with '-f'");
            return -1;
        }
        cli_log(CLI_WARN, "WARNING: generating an add-secret request inside an SE guest ('-f' given)");
    }
#else
    (void)c;
#endif
    return 0;
}

static void make_id(struct create_state *st)
{
    const char *name = st->c.name;

    memset(st->id, 0, sizeof(st->id));
    if (st->c.sub != SUB_ASSOC && st->c.sub != SUB_RETR)
        return;
    if (st->c.use_name && strlen(name) > ASR_ID_NAME_MAX)
        cli_log(CLI_WARN, "WARNING: --use-name keeps only the first %u bytes of '%s' as the secret ID "
                          "(NAME.yaml has the whole name)", ASR_ID_NAME_MAX, name);
    uvs_secret_id(name, strlen(name), st->c.use_name, st->id);
}

/* Step 6: extension secret, plain or derived from the CCK and the header tag. */
static int ext_secret(struct create_state *st)
{
    uint8_t cck[32];
    int r;

    if (st->c.ext_secret != NULL) {
        if (cli_read_exact(st->c.ext_secret, st->ext, 32, "the extension secret") != 0)
            return -1;
        st->have_ext = 1;
        return 0;
    }
    if (st->c.cck == NULL)
        return 0;
    if (cli_read_exact(st->c.cck, cck, 32, "the CCK") != 0)
        return -1;
    r = uvs_cck_ext_secret(cck, st->tags + 192, st->ext);
    uvs_wipe(cck, sizeof(cck));
    if (r != 0) {
        cli_err(st->c.cck, "cannot derive the extension secret");
        return -1;
    }
    st->have_ext = 1;
    return 0;
}

/* Step 7: user data, policy reference, signing key. */
static int user_data(struct create_state *st)
{
    const struct cli_create *c = &st->c;
    char reason[CLI_REASON_MAX];

    if (c->user_data != NULL) {
        uint8_t *buf;
        size_t len;
        if (cli_read_file(c->user_data, CLI_USER_DATA_MAX, &buf, &len, reason) != 0) {
            cli_err(c->user_data, "%s", reason);
            return -1;
        }
        memcpy(st->user, buf, len);
        st->user_len = len;
        st->user_given = 1;
        cli_buf_free(buf, len);
        if (len == 0)
            cli_log(CLI_WARN, "Added empty user-data file.");
    }
    if (c->policy != NULL) {
        if (cli_policy_area(c->policy, st->user) != 0)
            return -1;
        st->user_len = ASR_USER_LEN;
        st->user_given = 1;
    }
    if (c->user_sign_key != NULL) {
        int t;
        size_t cap;
        if (cli_load_private_key(c->user_sign_key, &st->sign_key, &st->rng) != 0)
            return -1;
        st->have_key = 1;
        t = asr_ud_type_for_key(&st->sign_key);
        if (t < 0) {
            cli_err(c->user_sign_key, "unsupported user-data signing key (EC secp521r1, RSA 2048 or RSA 3072)");
            return -1;
        }
        cap = asr_ud_capacity((uint16_t)t);
        if (st->user_len > cap) {
            cli_err(c->user_data, "user data too large for a %s request (%zu bytes, at most %zu)",
                    asr_ud_kind_name((uint16_t)t), st->user_len, cap);
            return -1;
        }
    } else {
        st->user_unsigned = st->user_given;
    }
    return 0;
}

/* Step 8: read (and verify) every host-key document. */
static int host_keys(struct create_state *st)
{
    const struct cli_create *c = &st->c;
    struct hkd_verifier ver;
    struct hkd_verify_opts o;
    char err[HKD_ERR_MAX];
    int ok = 0;

    st->host_keys = calloc(c->n_hkd, sizeof(*st->host_keys));
    if (st->host_keys == NULL)
        return -1;
    if (c->no_verify) {
        cli_log(CLI_WARN, "Host-key document verification is disabled. The secret may not be protected.");
    } else {
        memset(&o, 0, sizeof(o));
        o.certs = c->certs;
        o.n_certs = c->n_certs;
        o.crls = c->crls;
        o.n_crls = c->n_crls;
        o.root_ca = c->root_ca;
        o.offline = c->offline;
        o.verbose = cli_verbosity >= CLI_INFO;
        cli_hkd_opts_extra(&o, c);
        err[0] = '\0';
        if (hkd_verifier_init(&ver, &o, err) != 0) {
            cli_err(NULL, "%s", err[0] != '\0' ? err : "Host-key verification failed");
            return -1;
        }
    }
    for (size_t i = 0; i < c->n_hkd; i++) {
        mbedtls_x509_crt crt;
        mbedtls_x509_crt_init(&crt);
        err[0] = '\0';
        cli_log(CLI_INFO, "Use host-key document at '%s'", c->hkd[i]);
        if (hkd_read(c->hkd[i], &crt, st->host_keys[i], err) != 0 ||
            (!c->no_verify && hkd_verify_one(&ver, c->hkd[i], &crt, err) != 0)) {
            /* hkd_read and hkd_verify_one name the file in every message they set. */
            if (err[0] != '\0')
                cli_err(NULL, "%s", err);
            else
                cli_err(c->hkd[i], "invalid host-key document");
            mbedtls_x509_crt_free(&crt);
            ok = -1;
            break;
        }
        mbedtls_x509_crt_free(&crt);
    }
    if (!c->no_verify)
        hkd_verifier_free(&ver);
    return ok;
}

/* Step 9: the request itself. */
static int build(struct create_state *st)
{
    struct asr_request_params p;
    char err[REQ_ERR_MAX];
    size_t cap = asr_request_len((unsigned)st->c.n_hkd, st->sec.type, st->sec.len);

    if (cap == 0) {
        cli_err(NULL, "invalid request parameters");
        return -1;
    }
    st->req = calloc(1, cap);
    if (st->req == NULL)
        return -1;
    memset(&p, 0, sizeof(p));
    p.secret_type = st->sec.type;
    p.secret = st->sec.type == ASR_T_NULL ? NULL : st->sec.value;
    p.secret_len = st->sec.len;
    p.id = st->id;
    p.flags = st->flags;
    p.tags = st->tags;
    p.cuid = st->have_cuid ? st->cuid : NULL;
    p.ext_secret = st->have_ext ? st->ext : NULL;
    p.user_msg = st->user_given ? st->user : NULL;
    p.user_msg_len = st->user_len;
    p.user_unsigned = st->user_unsigned;
    p.sign_key = st->have_key ? &st->sign_key : NULL;
    p.host_keys = (const uint8_t(*)[160])st->host_keys;
    p.n_host_keys = st->c.n_hkd;
    err[0] = '\0';
    if (asr_request_build(&st->rng, &p, NULL, st->req, cap, &st->req_len, err) != 0) {
        cli_err(NULL, "%s", err[0] != '\0' ? err : "cannot build the request");
        st->req_len = cap;
        return -1;
    }
    return 0;
}

/* Steps 10-12: outputs, all or nothing.  Every file is first written completely beside
 * its target; only then are they put in place: the new secret file (the one that can
 * still be refused, if it appeared meanwhile), the request, the YAML.  A failure before
 * that changes nothing; the TOC line and the secret file are taken back if a later step
 * fails. */
static int outputs(struct create_state *st)
{
    const struct cli_create *c = &st->c;
    char reason[CLI_REASON_MAX], yaml[8192], line[40];
    int ylen = 0, has_yaml = c->sub == SUB_ASSOC || c->sub == SUB_RETR;
    int yaml_file = has_yaml && !c->stdout_yaml;
    int secret_file = c->output_secret != NULL && c->input_secret == NULL;
    int wrote_toc = 0, wrote_secret = 0, secret_slot = -1;
    struct cli_append_undo toc_undo;
    struct cli_staged req_st, yaml_st, sec_st;
    const char *failed = NULL;

    memset(&req_st, 0, sizeof(req_st));
    memset(&yaml_st, 0, sizeof(yaml_st));
    memset(&sec_st, 0, sizeof(sec_st));
    if (has_yaml) {
        ylen = cli_yaml_secret(st->sec.type, c->name, st->id, yaml, sizeof(yaml));
        if (ylen < 0) {
            cli_err(NULL, "secret name too long for the YAML description");
            return -1;
        }
    }
    if (cli_stage_file(&req_st, c->output, st->req, st->req_len, CLI_W_REPLACE, reason) != 0)
        failed = c->output;
    else if (yaml_file && cli_stage_file(&yaml_st, st->yaml_path, yaml, (size_t)ylen, CLI_W_REPLACE, reason) != 0)
        failed = st->yaml_path;
    else if (secret_file &&
             cli_stage_file(&sec_st, c->output_secret, st->sec.value, st->sec.len, CLI_W_SECRET, reason) != 0)
        failed = c->output_secret;
    if (failed == NULL && c->toc_policy != NULL) {
        hex_encode(st->req + st->req_len - ASR_TAG_LEN, ASR_TAG_LEN, line);
        strcat(line, "\n");
        if (cli_append_file(c->toc_policy, line, &toc_undo, reason) != 0)
            failed = c->toc_policy;
        else
            wrote_toc = 1;
    }
    if (failed == NULL && secret_file) {
        if (cli_commit_file(&sec_st, reason) != 0)
            failed = c->output_secret;
        else {
            wrote_secret = 1;
            secret_slot = cli_doom(c->output_secret); /* until the request is in place */
        }
    }
    if (failed == NULL && cli_commit_file(&req_st, reason) != 0)
        failed = c->output;
    cli_undoom(secret_slot); /* the request and its secret are both in place (or both go) */
    if (failed == NULL && yaml_file && cli_commit_file(&yaml_st, reason) != 0)
        failed = st->yaml_path;
    if (failed != NULL) {
        cli_err(failed, "%s", reason);
        cli_discard_file(&req_st);
        cli_discard_file(&yaml_st);
        cli_discard_file(&sec_st);
        if (wrote_secret)
            remove(c->output_secret);
        if (wrote_toc)
            cli_append_undo(c->toc_policy, &toc_undo);
        return -1;
    }
    cli_log(CLI_WARN, "Successfully generated the request");
    cli_log(CLI_INFO, "Successfully wrote the request to '%s'", c->output);
    if (has_yaml && c->stdout_yaml) {
        fwrite(yaml, 1, (size_t)ylen, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    } else if (yaml_file) {
        cli_log(CLI_WARN, "Successfully wrote secret info to '%s'", st->yaml_path);
    }
    if (secret_file)
        cli_log(CLI_INFO, "Successfully wrote the secret to '%s'", c->output_secret);
    return 0;
}

/* Checks that need only the command line, done before any work. */
static int early_checks(struct create_state *st)
{
    const struct cli_create *c = &st->c;
    char reason[CLI_REASON_MAX];

    if (c->crl_timeout != NULL) {
        char *end;
        long t = strtol(c->crl_timeout, &end, 10);
        if (*c->crl_timeout == '\0' || *end != '\0' || t <= 0 || t > 3600) {
            cli_err("--crl-timeout", "'%s': expected seconds (1..3600)", c->crl_timeout);
            return -1;
        }
    }
    if ((c->sub == SUB_ASSOC || c->sub == SUB_RETR) && !c->stdout_yaml) {
        size_t n = strlen(c->name);
        char *lit = malloc(n + 6);
        int clash_secret, clash_out;
        if (lit == NULL)
            return -1;
        snprintf(lit, n + 6, "%s.yaml", c->name);
        clash_secret = c->output_secret != NULL && strcmp(c->output_secret, lit) == 0;
        clash_out = strcmp(c->output, lit) == 0;
        free(lit);
        if (clash_secret) {
            cli_err("--output-secret", "Secret output file and the secret name '%s.yaml' are the same.", c->name);
            return -1;
        }
        if (clash_out) {
            cli_err("-o", "output file and the secret name '%s.yaml' are the same.", c->name);
            return -1;
        }
        if (cli_yaml_path(c->output, c->name, st->yaml_path, sizeof(st->yaml_path), reason) != 0) {
            cli_err(c->name, "%s", reason);
            return -1;
        }
        {
            const char *base = strrchr(st->yaml_path, '/');
            if (strlen(base != NULL ? base + 1 : st->yaml_path) > 255) {
                cli_err(NULL, "secret name too long for a NAME.yaml file name (use --stdout)");
                return -1;
            }
        }
        /* Compared as directory entries: "./s" and "s" are one file (a later rename
         * would replace the secret file just written). */
        if ((strcmp(c->output, "-") != 0 && cli_same_entry(st->yaml_path, c->output)) ||
            (c->output_secret != NULL && cli_same_entry(st->yaml_path, c->output_secret))) {
            cli_err(st->yaml_path, "the secret description would overwrite another output");
            return -1;
        }
    }
    if (c->output_secret != NULL) {
        if (strcmp(c->output_secret, "-") == 0) {
            cli_err("--output-secret", "refusing to write a secret to standard output");
            return -1;
        }
        if (cli_path_exists(c->output_secret)) {
            cli_err(c->output_secret, "file exists; refusing to overwrite a secret file");
            return -1;
        }
        if (strcmp(c->output_secret, c->output) == 0 ||
            (strcmp(c->output, "-") != 0 && cli_same_entry(c->output_secret, c->output))) {
            cli_err(c->output_secret, "same file as the request output");
            return -1;
        }
    }
    return 0;
}

int cli_create_main(int argc, char **argv)
{
    static struct create_state st;
    char reason[CLI_REASON_MAX];
    int r, rc = 1;

    /* A closed pipe on stdout (-o - / --stdout) must be a write error that takes the
     * secret file and the temporary files back, not a signal that kills us midway. */
    signal(SIGPIPE, SIG_IGN);
    /* Ctrl-C or a kill during the output step takes staged files back too. */
    cli_cleanup_on_signals();
    memset(&st, 0, sizeof(st));
    mbedtls_pk_init(&st.sign_key);
    r = cli_create_parse(argc, argv, &st.c);
    if (r != 0)
        return r > 0 ? 0 : 1;
    if (early_checks(&st) != 0 || guest_check(&st.c) != 0)
        goto out;
    if (uvs_rng_init(&st.rng) != 0) {
        cli_err(NULL, "cannot seed the random generator");
        goto out;
    }
    st.rng_ok = 1;
    /* Step 2: the secret value and its ID. */
    if (cli_secret_value(&st.rng, &st.c, &st.sec) != 0)
        goto out;
    make_id(&st);
    if (cli_flags_value(&st.c, &st.flags) != 0)
        goto out;
    if (cli_sehdr_load(st.c.hdr, &st.hdr, reason) != 0) {
        cli_err(st.c.hdr, "%s", reason);
        goto out;
    }
    sehdr_boot_tags(&st.hdr.v, st.tags);
    if (cli_cuid_value(&st.c, st.cuid, &st.have_cuid) != 0 || ext_secret(&st) != 0 ||
        user_data(&st) != 0 || host_keys(&st) != 0 || build(&st) != 0 || outputs(&st) != 0)
        goto out;
    rc = 0;
out:
    create_free(&st);
    return rc;
}
