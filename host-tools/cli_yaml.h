/* The small YAML pieces the command line needs: NAME.yaml exactly as the reference
 * writes it (ASR §8.2), its file name, and reading a CUID from a file (CLI §2.5). */
#ifndef UVS_CLI_YAML_H
#define UVS_CLI_YAML_H

#include <stddef.h>
#include <stdint.h>

#include "cli_file.h"

/* Writes the YAML form of one scalar (plain, single- or double-quoted, or a literal
 * block) into out, NUL-terminated.  Returns the length, or -1 if cap is too small. */
int cli_yaml_scalar(const char *s, size_t n, char *out, size_t cap);

/* The secret description: "!Association\nname: ...\nid: 0x...\n" or the !Retrievable
 * form with "kind: <type> (<kind name>)".  Returns the length or -1. */
int cli_yaml_secret(uint16_t type, const char *name, const uint8_t id[32], char *out, size_t cap);

/* Path of NAME.yaml: directory of out_path ("" for none and for "-"), name with every
 * Unicode white space mapped to '_', extension replaced by "yaml".  Returns 0, or -1
 * with a reason for a name that cannot be a file name (empty, "/", "." or ".."). */
int cli_yaml_path(const char *out_path, const char *name, char *out, size_t cap,
                  char reason[CLI_REASON_MAX]);

/* CUID from a --cuid file: exactly 16 raw bytes, or YAML holding a string
 * "0x<32 hex>" as the whole document or as the first "cuid" key found.  Returns 0,
 * or -1 with a reason. */
int cli_cuid_from_file(const uint8_t *buf, size_t len, uint8_t cuid[16], char reason[CLI_REASON_MAX]);

#endif
