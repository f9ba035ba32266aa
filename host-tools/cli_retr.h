/* Reading the secret value of `create` from its file (secret.h does the encoding), and
 * hkd option glue. */
#ifndef UVS_CLI_RETR_H
#define UVS_CLI_RETR_H

#include <stdint.h>

#include "cli_create.h"
#include "crypto.h"
#include "hkd.h"
#include "secret.h"

/* The secret of the sub-command: meta, association (--input-secret or random),
 * retrievable (--secret/--type), update-cck (--secret).  Prints one error line and
 * returns -1 on any problem. */
int cli_secret_value(struct uvs_rng *rng, const struct cli_create *c, struct uvs_secret *s);

/* Copies the online-CRL options (--crl-cache, --no-crl-cache, --crl-timeout) into the
 * verification options, where the verifier supports them. */
void cli_hkd_opts_extra(struct hkd_verify_opts *o, const struct cli_create *c);

#endif
