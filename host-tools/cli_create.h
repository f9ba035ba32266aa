/* `uvsecret create`: the parsed command line and the input readers (cli_create_in.c). */
#ifndef UVS_CLI_CREATE_H
#define UVS_CLI_CREATE_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/pk.h>

#include "asr.h"

#define CLI_MAX_HKD 256       /* one more than allowed, to report "too many" */
#define CLI_MAX_CERTS 64
#define CLI_MAX_CRLS 64

enum cli_sub { SUB_NONE = 0, SUB_META, SUB_ASSOC, SUB_RETR, SUB_CCK };

struct cli_create {
    enum cli_sub sub;
    const char *name;                  /* association / retrievable NAME            */
    const char *hkd[CLI_MAX_HKD];
    size_t n_hkd;
    int too_many_hkd;
    const char *certs[CLI_MAX_CERTS];
    size_t n_certs;
    const char *crls[CLI_MAX_CRLS];
    size_t n_crls;
    const char *root_ca, *hdr, *output, *ext_secret, *cck, *cuid_hex, *cuid_file;
    const char *pcf, *user_data, *user_sign_key, *policy, *toc_policy;
    const char *input_secret, *output_secret, *secret, *type;
    const char *crl_cache, *crl_timeout;
    int offline, no_verify, force, use_name, stdout_yaml, no_crl_cache, help;
    int flags_given;
    uint64_t flags;
};

/* Parses argv (argv[0] = "create").  Returns 0, 1 (help printed, exit 0) or -1
 * (usage error printed). */
int cli_create_parse(int argc, char **argv, struct cli_create *c);

/* Input readers; each prints its own "uvsecret: FILE: reason" line and returns -1. */
int cli_read_exact(const char *path, uint8_t *out, size_t n, const char *what);
int cli_flags_value(const struct cli_create *c, uint64_t *flags);
int cli_cuid_value(const struct cli_create *c, uint8_t cuid[16], int *have);
/* Loads a private key file (DER or PEM) for --user-sign-key. */
int cli_load_private_key(const char *path, mbedtls_pk_context *pk, void *rng);
/* --policy: SHA-256 of the file and the path as typed, in a 512-byte area; prints the
 * hash hex on stdout. */
int cli_policy_area(const char *path, uint8_t area[ASR_USER_LEN]);

#endif
