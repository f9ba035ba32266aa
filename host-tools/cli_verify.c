/* `uvsecret verify [--user-cert CERT] (INPUT | -i FILE) [OUTPUT | -o FILE]`: structural
 * check of a request, signature check of signed user data, user data out
 * (pvsecret-cli.md §3, ASR §10.4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "asr.h"
#include "cli.h"
#include "cli_file.h"
#include "cli_opts.h"
#include "request.h"

#define CERT_FILE_MAX (256u * 1024u)

static void verify_usage(FILE *f)
{
    fputs("Usage: uvsecret verify [--user-cert FILE] (INPUT | -i FILE) [OUTPUT | -o FILE]\n"
          "\n"
          "Check an add-secret request and write its user data (nothing for none, 512 bytes\n"
          "for unsigned, the 256/128-byte message for signed user data).  Signed user data\n"
          "is verified with the public key of that certificate (X.509, DER or PEM; no chain\n"
          "check).\n"
          "\n"
          "  -i, --input FILE      the request ('-' = stdin)\n"
          "  -o, --output FILE     where the user data goes (default stdout)\n"
          "      --user-cert FILE  certificate for signed user data\n"
          "  -v, --verbose         more output (repeatable)\n"
          "  -q, --quiet           less output (repeatable)\n"
          "  -h, --help            this help\n",
          f);
}

static const char *key_desc(mbedtls_pk_context *pk, char buf[32])
{
    mbedtls_pk_type_t t = mbedtls_pk_get_type(pk);

    if (t == MBEDTLS_PK_ECKEY || t == MBEDTLS_PK_ECDSA || t == MBEDTLS_PK_ECKEY_DH)
        return "EC";
    if (t == MBEDTLS_PK_RSA) {
        snprintf(buf, 32, "RSA %zu", mbedtls_pk_get_bitlen(pk));
        return buf;
    }
    return "Unknown";
}

static int load_cert(const char *path, mbedtls_x509_crt *crt)
{
    char reason[CLI_REASON_MAX];
    uint8_t *buf, *z;
    size_t len;
    int r;

    if (cli_read_file(path, CERT_FILE_MAX, &buf, &len, reason) != 0) {
        cli_err(path, "%s", reason);
        return -1;
    }
    r = mbedtls_x509_crt_parse_der(crt, buf, len);
    if (r != 0) {
        z = malloc(len + 1);
        if (z == NULL) {
            cli_buf_free(buf, len);
            return -1;
        }
        memcpy(z, buf, len);
        z[len] = 0;
        mbedtls_x509_crt_free(crt);
        mbedtls_x509_crt_init(crt);
        /* PEM: the first certificate is used (parse returns > 0 if some failed). */
        r = mbedtls_x509_crt_parse(crt, z, len + 1);
        free(z);
        if (r > 0 && crt->raw.len > 0)
            r = 0;
    }
    cli_buf_free(buf, len);
    if (r != 0) {
        cli_err(path, "not an X.509 certificate in DER or PEM format");
        return -1;
    }
    return 0;
}

static const char *parse_error(enum asr_err e, uint16_t ud)
{
    static char b[64];

    switch (e) {
    case ASR_E_MAGIC:
        return "Input does not contain an add-secret request";
    case ASR_E_UDTYPE:
        snprintf(b, sizeof(b), "Input contains unsupported user-data type: 0x%04x", ud);
        return b;
    case ASR_E_SHORT:
        return "Provided binary request is too small";
    case ASR_E_VERSION:
        return "Input does not contain an add-secret request version 1";
    default:
        return asr_strerror(e);
    }
}

enum { O_IN = 1, O_OUT, O_CERT, O_HELP, O_VERBOSE, O_QUIET };

int cli_verify_main(int argc, char **argv)
{
    static const struct cli_opt opts[] = {
        { "input", 'i', 1, O_IN },     { "output", 'o', 1, O_OUT }, { "user-cert", 0, 1, O_CERT },
        { "verbose", 'v', 0, O_VERBOSE }, { "quiet", 'q', 0, O_QUIET },
        { "help", 'h', 0, O_HELP },      { NULL, 0, 0, 0 },
    };
    struct cli_scan s;
    const char *arg, *in = NULL, *out = NULL, *cert = NULL;
    char reason[CLI_REASON_MAX], kd[32];
    mbedtls_x509_crt crt;
    struct asr_view v;
    enum asr_err e;
    uint8_t *buf = NULL;
    size_t len = 0;
    int r, rc = 1, npos = 0, in_opt = 0, out_opt = 0;

    mbedtls_x509_crt_init(&crt);
    cli_scan_init(&s, argc, argv, 1);
    while ((r = cli_scan_next(&s, opts, &arg)) != CLI_P_END) {
        switch (r) {
        case CLI_P_ERR:
            return 1;
        case O_HELP:
            verify_usage(stdout);
            return 0;
        case O_VERBOSE:
            cli_verbosity_step(1);
            break;
        case O_QUIET:
            cli_verbosity_step(-1);
            break;
        case O_IN:
            if (in != NULL) {
                cli_err("-i", "input given more than once");
                return 1;
            }
            in = arg;
            in_opt = 1;
            break;
        case O_OUT:
            if (out != NULL) {
                cli_err("-o", "output given more than once");
                return 1;
            }
            out = arg;
            out_opt = 1;
            break;
        case O_CERT:
            if (cert != NULL) {
                cli_err("--user-cert", "given more than once");
                return 1;
            }
            cert = arg;
            break;
        case CLI_P_ARG:
            npos++;
            if (npos == 1 && !in_opt && in == NULL) {
                in = arg;
            } else if (out == NULL && !out_opt) {
                out = arg;
            } else {
                cli_err(arg, "unexpected argument (INPUT and -i, or OUTPUT and -o, exclude each other)");
                return 1;
            }
            break;
        }
    }
    if (in == NULL) {
        cli_err(NULL, "verify: no INPUT given (see --help)");
        return 1;
    }
    if (cli_read_file(in, ASR_MAX_LEN, &buf, &len, reason) != 0) {
        cli_err(in, "%s", reason);
        return 1;
    }
    if (len < ASR_MAGIC_LEN || memcmp(buf, ASR_MAGIC, ASR_MAGIC_LEN) != 0) {
        cli_err(in, "Input does not contain an add-secret request");
        goto out;
    }
    e = asr_parse(buf, len, &v);
    if (e != ASR_OK) {
        cli_err(in, "%s", parse_error(e, len >= 8 ? (uint16_t)(buf[6] << 8 | buf[7]) : 0));
        goto out;
    }
    if (v.ud_type == ASR_UD_NONE) {
        rc = 0;
        cli_log(CLI_WARN, "Successfully verified the request.");
        goto out;
    }
    if (cert != NULL && load_cert(cert, &crt) != 0)
        goto out;
    if (v.ud_type == ASR_UD_UNSIGNED) {
        if (cert != NULL) {
            cli_err(cert, "Provided user-data key type (%s) does not match with the user-data (%s)",
                    key_desc(&crt.pk, kd), asr_ud_kind_name(v.ud_type));
            goto out;
        }
    } else {
        char err[REQ_ERR_MAX];
        int kt;
        if (cert == NULL) {
            cli_err(in, "No user-key for verification provided and user-data is signed");
            goto out;
        }
        kt = asr_ud_type_for_key(&crt.pk);
        if (kt != (int)v.ud_type) {
            cli_err(cert, "Provided user-data key type (%s) does not match with the user-data (%s)",
                    key_desc(&crt.pk, kd), asr_ud_kind_name(v.ud_type));
            goto out;
        }
        err[0] = '\0';
        if (asr_user_data_verify(&v, &crt.pk, err) != 0) {
            cli_err(in, "The user-defined request signature could not be verified with the provided certificate");
            cli_log(CLI_INFO, "%s", err);
            goto out;
        }
    }
    if (cli_write_file(out != NULL ? out : "-", v.user_data, asr_ud_capacity(v.ud_type), CLI_W_REPLACE,
                       reason) != 0) {
        cli_err(out != NULL ? out : "-", "%s", reason);
        goto out;
    }
    cli_log(CLI_WARN, "Successfully verified the request.");
    rc = 0;
out:
    mbedtls_x509_crt_free(&crt);
    cli_buf_free(buf, len);
    return rc;
}
