/* Option parsing of `uvsecret create` (see cli_create.h, pvsecret-cli.md §2.1-§2.2).
 * Options may come before or after the sub-command word, as the IBM examples do. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_create.h"
#include "cli_opts.h"

enum {
    O_HKD = 1, O_NO_VERIFY, O_CERT, O_CRL, O_OFFLINE, O_ROOT_CA, O_HDR, O_FORCE, O_OUTPUT,
    O_EXT, O_CCK, O_CUID_HEX, O_CUID, O_FLAGS, O_PCF, O_USER_DATA, O_USER_KEY, O_POLICY,
    O_TOC, O_USE_NAME, O_INPUT_SECRET, O_OUTPUT_SECRET, O_SECRET, O_TYPE, O_STDOUT,
    O_CRL_CACHE, O_NO_CRL_CACHE, O_CRL_TIMEOUT, O_HELP, O_VERBOSE, O_QUIET,
};

static const struct cli_opt create_opts[] = {
    { "host-key-document", 'k', 1, O_HKD },
    { "no-verify", 0, 0, O_NO_VERIFY },
    { "cert", 'C', 1, O_CERT },
    { "crt", 0, 1, O_CERT },
    { "crl", 0, 1, O_CRL },
    { "offline", 0, 0, O_OFFLINE },
    { "root-ca", 0, 1, O_ROOT_CA },
    { "hdr", 0, 1, O_HDR },
    { "force", 'f', 0, O_FORCE },
    { "output", 'o', 1, O_OUTPUT },
    { "extension-secret", 0, 1, O_EXT },
    { "cck", 0, 1, O_CCK },
    { "cuid-hex", 0, 1, O_CUID_HEX },
    { "cuid", 0, 1, O_CUID },
    { "flags", 0, 1, O_FLAGS },
    { "pcf", 0, 1, O_PCF },
    { "user-data", 0, 1, O_USER_DATA },
    { "user-sign-key", 0, 1, O_USER_KEY },
    { "policy", 0, 1, O_POLICY },
    { "toc-policy", 0, 1, O_TOC },
    { "use-name", 0, 0, O_USE_NAME },
    { "input-secret", 0, 1, O_INPUT_SECRET },
    { "output-secret", 0, 1, O_OUTPUT_SECRET },
    { "secret", 0, 1, O_SECRET },
    { "type", 0, 1, O_TYPE },
    { "stdout", 0, 0, O_STDOUT },
    { "crl-cache", 0, 1, O_CRL_CACHE },
    { "no-crl-cache", 0, 0, O_NO_CRL_CACHE },
    { "crl-timeout", 0, 1, O_CRL_TIMEOUT },
    { "verbose", 'v', 0, O_VERBOSE },
    { "quiet", 'q', 0, O_QUIET },
    { "help", 'h', 0, O_HELP },
    { NULL, 0, 0, 0 },
};

static void create_usage(FILE *f, enum cli_sub sub)
{
    switch (sub) {
    case SUB_META:
        fputs("Usage: uvsecret create [OPTIONS] meta\n\n"
              "A request without a secret: carries flags, CUID, extension secret and user data.\n",
              f);
        return;
    case SUB_ASSOC:
        fputs("Usage: uvsecret create [OPTIONS] association NAME [--input-secret FILE | --output-secret FILE] [--stdout]\n\n"
              "An association secret (32 bytes) with ID SHA-256(NAME) (or NAME itself with --use-name).\n"
              "  --input-secret FILE   use these 32 bytes as the secret value\n"
              "  --output-secret FILE  save the random secret value (new file, mode 0600)\n"
              "  --stdout              print the YAML description instead of writing NAME.yaml\n",
              f);
        return;
    case SUB_RETR:
        fputs("Usage: uvsecret create [OPTIONS] retrievable NAME --secret FILE --type TYPE [--stdout]\n\n"
              "A retrievable secret.  TYPE: plain (0..8190 bytes), aes (16/24/32 bytes),\n"
              "aes-xts (32/64 bytes), hmac-sha (64/128 bytes), ec (private key file: secp256r1,\n"
              "secp384r1, secp521r1, ed25519, ed448).\n",
              f);
        return;
    case SUB_CCK:
        fputs("Usage: uvsecret create [OPTIONS] update-cck --secret FILE\n\n"
              "Replace the customer-communication key by the 32 bytes of FILE.\n",
              f);
        return;
    case SUB_NONE:
        break;
    }
    fputs("Usage: uvsecret create -k HKD [-k HKD...] (--no-verify | -C CERT... [--crl CRL...]\n"
          "                       [--offline] [--root-ca FILE]) --hdr FILE -o FILE [OPTIONS]\n"
          "                       <meta | association NAME | retrievable NAME | update-cck>\n"
          "\n"
          "Build an add-secret request bound to an SE header (pvsecret create compatible).\n"
          "\n"
          "  -k, --host-key-document FILE  host-key document (X.509, DER or PEM); repeatable, up to 255\n"
          "      --no-verify               do not verify the host-key documents (not safe)\n"
          "  -C, --cert FILE               IBM Z signing-key and intermediate CA certificates\n"
          "      --crl FILE                CRL (PEM or DER); repeatable\n"
          "      --offline                 never download CRLs\n"
          "      --root-ca FILE            trust anchor instead of the system CA store\n"
          "      --crl-cache DIR           cache downloaded CRLs in DIR\n"
          "      --no-crl-cache            do not use a CRL cache\n"
          "      --crl-timeout SEC         timeout of one CRL download\n"
          "      --hdr FILE                SE header or whole SE image the request is bound to\n"
          "  -o, --output FILE             where the request is written ('-' = stdout)\n"
          "  -f, --force                   allow running inside an SE guest\n"
          "      --extension-secret FILE   extension secret (32 bytes)\n"
          "      --cck FILE                customer-communication key (32 bytes): derive the extension secret\n"
          "      --cuid-hex HEX            configuration unique ID (0x + 32 hex digits)\n"
          "      --cuid FILE               CUID from a file (16 raw bytes or YAML with 'cuid')\n"
          "      --flags disable-dump      request flags\n"
          "      --user-data FILE          user data (up to 512 bytes; 256/128 when signed)\n"
          "      --user-sign-key FILE      sign the request (EC secp521r1, RSA 2048 or 3072)\n"
          "      --policy FILE             embed a policy reference to FILE (prints its SHA-256)\n"
          "      --toc-policy FILE         append the request tag to FILE\n"
          "      --use-name                secret ID = NAME bytes instead of SHA-256(NAME)\n"
          "  -v, --verbose                 more output (repeatable)\n"
          "  -q, --quiet                   less output (repeatable)\n"
          "  -h, --help                    this help\n"
          "\n"
          "`uvsecret create SUBCOMMAND --help` describes each sub-command.\n",
          f);
}

static int set_once(const char **slot, const char *val, const char *opt)
{
    if (*slot != NULL) {
        cli_err(opt, "given more than once");
        return -1;
    }
    *slot = val;
    return 0;
}

static enum cli_sub sub_from_word(const char *w)
{
    if (strcmp(w, "meta") == 0)
        return SUB_META;
    if (strcmp(w, "association") == 0)
        return SUB_ASSOC;
    if (strcmp(w, "retrievable") == 0 || strcmp(w, "retr") == 0)
        return SUB_RETR;
    if (strcmp(w, "update-cck") == 0 || strcmp(w, "cck") == 0)
        return SUB_CCK;
    return SUB_NONE;
}

static int add_list(const char **list, size_t cap, size_t *n, char *val, const char *opt)
{
    if (cli_list_add(list, cap, n, val) != 0) {
        cli_err(opt, "empty file name or too many files (at most %zu)", cap);
        return -1;
    }
    return 0;
}

static int flags_add(struct cli_create *c, char *val)
{
    const char *items[16];
    size_t n = 0;

    if (cli_list_add(items, 16, &n, val) != 0) {
        cli_err("--flags", "empty or too many values");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(items[i], "disable-dump") != 0) {
            cli_err("--flags", "unknown flag '%s' (possible: disable-dump)", items[i]);
            return -1;
        }
        c->flags |= ASR_FLAG_DISABLE_DUMP;
    }
    c->flags_given = 1;
    return 0;
}

/* Checks the relations between options (CLI §2.1). */
static int check_relations(const struct cli_create *c)
{
    static const char *const subname[] = { "", "meta", "association", "retrievable", "update-cck" };

    if (c->sub == SUB_NONE) {
        cli_err(NULL, "create: missing sub-command (meta, association, retrievable, update-cck)");
        return -1;
    }
    if ((c->sub == SUB_ASSOC || c->sub == SUB_RETR) && c->name == NULL) {
        cli_err(NULL, "create %s: missing NAME", subname[c->sub]);
        return -1;
    }
    if (c->n_hkd == 0) {
        cli_err(NULL, "create: at least one host-key document (-k) is required");
        return -1;
    }
    if (c->too_many_hkd) {
        cli_err("-k", "too many host-key documents (at most %u)", ASR_MAX_NKS);
        return -1;
    }
    if (c->hdr == NULL) {
        cli_err(NULL, "create: --hdr is required");
        return -1;
    }
    if (c->output == NULL) {
        cli_err(NULL, "create: -o/--output is required");
        return -1;
    }
    if (c->no_verify && c->n_certs > 0) {
        cli_err("--no-verify", "excludes -C/--cert");
        return -1;
    }
    if (!c->no_verify && c->n_certs == 0) {
        cli_err(NULL, "create: either -C/--cert (with the IBM Z signing key) or --no-verify is required");
        return -1;
    }
    if (c->n_certs == 0 && (c->n_crls > 0 || c->offline || c->root_ca != NULL)) {
        cli_err(c->n_crls > 0 ? "--crl" : c->offline ? "--offline" : "--root-ca", "requires -C/--cert");
        return -1;
    }
    if (c->ext_secret != NULL && c->cck != NULL) {
        cli_err("--extension-secret", "excludes --cck");
        return -1;
    }
    if (c->cuid_hex != NULL && c->cuid_file != NULL) {
        cli_err("--cuid-hex", "excludes --cuid");
        return -1;
    }
    if (c->flags_given && c->pcf != NULL) {
        cli_err("--flags", "excludes --pcf");
        return -1;
    }
    if (c->policy != NULL && c->user_data != NULL) {
        cli_err("--policy", "excludes --user-data");
        return -1;
    }
    if (c->policy != NULL && c->user_sign_key != NULL) {
        cli_err("--policy", "cannot be combined with --user-sign-key (a policy reference fills the unsigned user-data area)");
        return -1;
    }
    if ((c->input_secret != NULL || c->output_secret != NULL) && c->sub != SUB_ASSOC) {
        cli_err(c->input_secret != NULL ? "--input-secret" : "--output-secret", "only for 'association'");
        return -1;
    }
    if (c->input_secret != NULL && c->output_secret != NULL) {
        cli_err("--input-secret", "excludes --output-secret");
        return -1;
    }
    if (c->stdout_yaml && c->sub != SUB_ASSOC && c->sub != SUB_RETR) {
        cli_err("--stdout", "only for 'association' and 'retrievable'");
        return -1;
    }
    if (c->secret != NULL && c->sub != SUB_RETR && c->sub != SUB_CCK) {
        cli_err("--secret", "only for 'retrievable' and 'update-cck'");
        return -1;
    }
    if (c->type != NULL && c->sub != SUB_RETR) {
        cli_err("--type", "only for 'retrievable'");
        return -1;
    }
    if ((c->sub == SUB_RETR || c->sub == SUB_CCK) && c->secret == NULL) {
        cli_err(NULL, "create %s: --secret FILE is required", subname[c->sub]);
        return -1;
    }
    if (c->sub == SUB_RETR && c->type == NULL) {
        cli_err(NULL, "create retrievable: --type is required (plain, aes, aes-xts, hmac-sha, ec)");
        return -1;
    }
    if (c->no_crl_cache && c->crl_cache != NULL) {
        cli_err("--no-crl-cache", "excludes --crl-cache");
        return -1;
    }
    return 0;
}

int cli_create_parse(int argc, char **argv, struct cli_create *c)
{
    struct cli_scan s;
    const char *arg;
    int r;

    memset(c, 0, sizeof(*c));
    cli_scan_init(&s, argc, argv, 1);
    while ((r = cli_scan_next(&s, create_opts, &arg)) != CLI_P_END) {
        int e = 0;
        char *val = (char *)arg;
        switch (r) {
        case CLI_P_ERR:
            return -1;
        case CLI_P_ARG:
            if (c->sub == SUB_NONE) {
                c->sub = sub_from_word(arg);
                if (c->sub == SUB_NONE) {
                    cli_err(arg, "unknown create sub-command (meta, association, retrievable, update-cck)");
                    return -1;
                }
            } else if ((c->sub == SUB_ASSOC || c->sub == SUB_RETR) && c->name == NULL) {
                c->name = arg;
            } else {
                cli_err(arg, "unexpected argument");
                return -1;
            }
            break;
        case O_HKD:
            if (cli_list_add(c->hkd, CLI_MAX_HKD, &c->n_hkd, val) != 0) {
                if (c->n_hkd >= CLI_MAX_HKD)
                    c->too_many_hkd = 1;
                else {
                    cli_err("-k", "empty file name");
                    return -1;
                }
            }
            if (c->n_hkd > ASR_MAX_NKS)
                c->too_many_hkd = 1;
            break;
        case O_NO_VERIFY: c->no_verify = 1; break;
        case O_CERT: e = add_list(c->certs, CLI_MAX_CERTS, &c->n_certs, val, "-C"); break;
        case O_CRL: e = add_list(c->crls, CLI_MAX_CRLS, &c->n_crls, val, "--crl"); break;
        case O_OFFLINE: c->offline = 1; break;
        case O_ROOT_CA: e = set_once(&c->root_ca, arg, "--root-ca"); break;
        case O_HDR: e = set_once(&c->hdr, arg, "--hdr"); break;
        case O_FORCE: c->force = 1; break;
        case O_OUTPUT: e = set_once(&c->output, arg, "-o"); break;
        case O_EXT: e = set_once(&c->ext_secret, arg, "--extension-secret"); break;
        case O_CCK: e = set_once(&c->cck, arg, "--cck"); break;
        case O_CUID_HEX: e = set_once(&c->cuid_hex, arg, "--cuid-hex"); break;
        case O_CUID: e = set_once(&c->cuid_file, arg, "--cuid"); break;
        case O_FLAGS: e = flags_add(c, val); break;
        case O_PCF: e = set_once(&c->pcf, arg, "--pcf"); break;
        case O_USER_DATA: e = set_once(&c->user_data, arg, "--user-data"); break;
        case O_USER_KEY: e = set_once(&c->user_sign_key, arg, "--user-sign-key"); break;
        case O_POLICY: e = set_once(&c->policy, arg, "--policy"); break;
        case O_TOC: e = set_once(&c->toc_policy, arg, "--toc-policy"); break;
        case O_USE_NAME: c->use_name = 1; break;
        case O_INPUT_SECRET: e = set_once(&c->input_secret, arg, "--input-secret"); break;
        case O_OUTPUT_SECRET: e = set_once(&c->output_secret, arg, "--output-secret"); break;
        case O_SECRET: e = set_once(&c->secret, arg, "--secret"); break;
        case O_TYPE: e = set_once(&c->type, arg, "--type"); break;
        case O_STDOUT: c->stdout_yaml = 1; break;
        case O_CRL_CACHE: e = set_once(&c->crl_cache, arg, "--crl-cache"); break;
        case O_NO_CRL_CACHE: c->no_crl_cache = 1; break;
        case O_CRL_TIMEOUT: e = set_once(&c->crl_timeout, arg, "--crl-timeout"); break;
        case O_VERBOSE: cli_verbosity_step(1); break;
        case O_QUIET: cli_verbosity_step(-1); break;
        case O_HELP: c->help = 1; break;
        }
        if (e != 0)
            return -1;
    }
    if (c->help) {
        create_usage(stdout, c->sub);
        return 1;
    }
    return check_relations(c);
}
