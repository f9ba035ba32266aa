/* info output (see cli_out.h). */
#include "cli_out.h"

#include <inttypes.h>
#include <stdlib.h>

#include "hex.h"

void cli_out_begin(struct cli_out *o, FILE *f, int json)
{
    o->f = f;
    o->json = json;
    o->first = 1;
    o->in_array = 0;
    if (json)
        fputs("{", f);
}

void cli_out_end(struct cli_out *o)
{
    if (o->json)
        fputs("\n}\n", o->f);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void key_only(struct cli_out *o, const char *k, int space)
{
    if (o->json) {
        fputs(o->first ? "\n  " : ",\n  ", o->f);
        json_string(o->f, k);
        fputs(": ", o->f);
    } else {
        fprintf(o->f, space ? "%s: " : "%s:", k);
    }
    o->first = 0;
}

static void key(struct cli_out *o, const char *k)
{
    key_only(o, k, 1);
}

/* Human output: one line per key, whatever the value holds (a request's ID text or a
 * file name may carry control characters): those are written as \xNN. */
static void human_string(FILE *f, const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || c == '\\')
            fprintf(f, "\\x%02x", c);
        else
            fputc(c, f);
    }
}

void cli_out_str(struct cli_out *o, const char *k, const char *val)
{
    key(o, k);
    if (o->json)
        json_string(o->f, val);
    else
        human_string(o->f, val);
    if (!o->json)
        fputc('\n', o->f);
}

void cli_out_u64(struct cli_out *o, const char *k, uint64_t val)
{
    key(o, k);
    fprintf(o->f, "%" PRIu64, val);
    if (!o->json)
        fputc('\n', o->f);
}

void cli_out_x64(struct cli_out *o, const char *k, uint64_t val)
{
    char b[24];

    snprintf(b, sizeof(b), "0x%016" PRIx64, val);
    cli_out_str(o, k, b);
}

void cli_out_bool(struct cli_out *o, const char *k, int val)
{
    key(o, k);
    fputs(val ? "true" : "false", o->f);
    if (!o->json)
        fputc('\n', o->f);
}

void cli_out_hex(struct cli_out *o, const char *k, const uint8_t *b, size_t n)
{
    char *h = malloc(2 * n + 1);

    if (h == NULL)
        return;
    hex_encode(b, n, h);
    cli_out_str(o, k, h);
    free(h);
}

void cli_out_array_begin(struct cli_out *o, const char *k)
{
    key_only(o, k, 0);
    if (o->json)
        fputs("[", o->f);
    else
        fputc('\n', o->f);
    o->in_array = 1;
    o->first = 1;
}

void cli_out_array_str(struct cli_out *o, const char *val)
{
    if (o->json) {
        fputs(o->first ? "\n    " : ",\n    ", o->f);
        json_string(o->f, val);
    } else {
        fputs("  - ", o->f);
        human_string(o->f, val);
        fputc('\n', o->f);
    }
    o->first = 0;
}

void cli_out_array_hex(struct cli_out *o, const uint8_t *b, size_t n)
{
    char *h = malloc(2 * n + 1);

    if (h == NULL)
        return;
    hex_encode(b, n, h);
    cli_out_array_str(o, h);
    free(h);
}

void cli_out_array_end(struct cli_out *o)
{
    if (o->json)
        fputs(o->first ? "]" : "\n  ]", o->f);
    o->in_array = 0;
    o->first = 0;
}
