/* Key/value output for `uvsecret info`: human ("key: value", YAML-like) or JSON (one
 * member per line so that shell tests can grep it). */
#ifndef UVS_CLI_OUT_H
#define UVS_CLI_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct cli_out {
    FILE *f;
    int json;
    int first;       /* no member written yet at this level */
    int in_array;
};

void cli_out_begin(struct cli_out *o, FILE *f, int json);
void cli_out_end(struct cli_out *o);
void cli_out_str(struct cli_out *o, const char *key, const char *val);
void cli_out_u64(struct cli_out *o, const char *key, uint64_t val);
void cli_out_hex(struct cli_out *o, const char *key, const uint8_t *b, size_t n);
/* "0x" + 16 hex digits. */
void cli_out_x64(struct cli_out *o, const char *key, uint64_t val);
void cli_out_bool(struct cli_out *o, const char *key, int val);
void cli_out_array_begin(struct cli_out *o, const char *key);
void cli_out_array_hex(struct cli_out *o, const uint8_t *b, size_t n);
void cli_out_array_str(struct cli_out *o, const char *val);
void cli_out_array_end(struct cli_out *o);

#endif
