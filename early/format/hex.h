/* Lower-case hex encoding and strict hex decoding. */
#ifndef UVS_HEX_H
#define UVS_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Writes 2n lower-case digits and a NUL into out (2n + 1 bytes). */
void hex_encode(const uint8_t *in, size_t n, char *out);
/* Decodes exactly 2n hex digits (either case) from s into out.  An optional "0x"/"0X"
 * prefix is accepted when allow_0x is set.  Returns 0, or -1 on a wrong length or a
 * non-hex character. */
int hex_decode_exact(const char *s, uint8_t *out, size_t n, int allow_0x);

#endif
