/* Secret IDs as pvsecret shows and looks them up (uvdevice.md §10.2, §10.4). */
#ifndef EARLY_IDS_H
#define EARLY_IDS_H

#include <stddef.h>
#include <stdint.h>

#include "uvabi.h"

/* "0x<64 hex>", preceded by "<text> | " when the ID reads as text.  out >= 104. */
#define ID_RENDER_MAX 104
void id_render(const uint8_t id[32], char out[ID_RENDER_MAX]);
/* 1 if the ID reads as text (pvsecret's rule). */
int id_is_text(const uint8_t id[32]);

/* Finds an entry with this ID in a parsed list; returns its position or -1.  *dups gets
 * the number of entries with that ID. */
int id_find(const struct uvlist_view *v, const uint8_t id[32], unsigned *dups);

/* The IDs `pvsecret retrieve --inform name` tries for name, in order: the zero-padded
 * name (first 31 bytes), then, if that reads as text, the SHA-256 of that text.
 * Returns how many (1 or 2). */
int id_name_ids(const char *name, uint8_t ids[2][32]);

/* Looks a name up like `pvsecret retrieve --inform name`: the zero-padded name (first
 * 31 bytes), then, if that ID reads as text, SHA-256 of that text.  Position or -1;
 * id_out gets the ID that matched (or the padded one). */
int id_find_name(const struct uvlist_view *v, const char *name, uint8_t id_out[32]);

/* "0x" + exactly 64 hex digits. 0 or -1. */
int id_parse_hex(const char *s, uint8_t id[32]);

#endif
