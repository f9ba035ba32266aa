/* PolicyReference user data and TOC policy files (ASR §11; pvebc, early-boot.md §2.4).
 * Crypto-free: the caller hashes.  Stricter than pvebc where pvebc is loose: policy names
 * must be plain file names in the request's directory, toc.pol lines must be exactly one
 * 16-byte tag, and a tag may appear only once. */
#ifndef EARLY_POLICY_H
#define EARLY_POLICY_H

#include <stddef.h>
#include <stdint.h>

#define POLICY_NAME_MAX 480
#define TOC_MAX_TAGS 64
#define TOC_FILE_MAX 65536

/* Reads a PolicyReference from a 512-byte user-data area.  Returns 1 with hash and the
 * NUL-terminated name when one is referenced, 0 when the hash is all zero (no policy),
 * -1 with *why when the name is empty, not printable ASCII, contains '/' or "..". */
int policy_ref_parse(const uint8_t ud[512], uint8_t hash[32], char name[POLICY_NAME_MAX + 1],
                     const char **why);

/* Parses toc.pol: one line per request, 32 hex digits (either case), '\n' or "\r\n" line
 * ends, the last line end optional.  Fills tags[0 .. *n).  0, or -1 with *why and the
 * 1-based *line of the problem. */
int toc_parse(const uint8_t *text, size_t len, uint8_t (*tags)[16], size_t cap, size_t *n,
              unsigned *line, const char **why);

#endif
