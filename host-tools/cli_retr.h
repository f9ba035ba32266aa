/* `create retrievable --secret FILE --type TYPE`: reading and encoding the secret value
 * (ASR §9.2), and hkd option glue. */
#ifndef UVS_CLI_RETR_H
#define UVS_CLI_RETR_H

#include <stdint.h>

#include "cli_create.h"
#include "hkd.h"

/* Reads FILE as a TYPE secret (plain, aes, aes-xts, hmac-sha, ec): sets the secret type,
 * a fresh buffer (free after wiping) and its length.  Prints one error line and
 * returns -1 on any problem (unknown type, wrong size, unreadable or wrong-curve key). */
int cli_retr_secret(const char *type, const char *path, uint16_t *stype, uint8_t **val, uint32_t *len);

/* Copies the online-CRL options (--crl-cache, --no-crl-cache, --crl-timeout) into the
 * verification options, where the verifier supports them. */
void cli_hkd_opts_extra(struct hkd_verify_opts *o, const struct cli_create *c);

#endif
