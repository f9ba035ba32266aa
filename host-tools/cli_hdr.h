/* Loading the --hdr input: a bare SE header or a whole SE image (se-header.md §1),
 * located with sehdr_locate.  Only a bounded prefix of an image is read. */
#ifndef UVS_CLI_HDR_H
#define UVS_CLI_HDR_H

#include <stdint.h>

#include "cli_file.h"
#include "sehdr.h"

struct cli_sehdr {
    uint8_t bytes[SEHDR_MAX_SIZE];   /* copy of the header (size bytes)            */
    struct sehdr_view v;             /* points into bytes; offset = file offset    */
    uint64_t file_size;
};

/* Reads the prefix of a file (at most max bytes; at least the SE scan window). */
#define CLI_HDR_WINDOW (SEIMG_SCAN_LAST + SEHDR_MAX_SIZE)

/* Locates the header in buf (a prefix of path, file_size bytes in all) and copies it
 * into h.  When image metadata points past the prefix the header is read from path.
 * Returns 0, or -1 with a reason ("malformed SE header: ..."). */
int cli_sehdr_from_prefix(const char *path, const uint8_t *buf, size_t len, uint64_t file_size,
                          struct cli_sehdr *h, char reason[CLI_REASON_MAX]);
/* The same, reading the file itself. */
int cli_sehdr_load(const char *path, struct cli_sehdr *h, char reason[CLI_REASON_MAX]);

/* Number of keyslots that really fit in the header (min(nks, room)). */
uint64_t cli_sehdr_keyslots(const struct cli_sehdr *h);

#endif
