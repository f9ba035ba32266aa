/* SE header (version 1) and SE boot image: locating the header and reading the fields
 * an add-secret request binds to.  Crypto-free; shared/spec/se-header.md is normative. */
#ifndef UVS_SEHDR_H
#define UVS_SEHDR_H

#include <stddef.h>
#include <stdint.h>

#define SEHDR_MAGIC "IBMSecEx"
#define SEHDR_MAGIC_LEN 8
#define SEHDR_VERSION 0x00000100u
#define SEHDR_OFF_VERSION 0x008
#define SEHDR_OFF_SIZE 0x00C
#define SEHDR_OFF_IV 0x010
#define SEHDR_OFF_NKS 0x020
#define SEHDR_OFF_SEA 0x028
#define SEHDR_OFF_NEP 0x030
#define SEHDR_OFF_PCF 0x038
#define SEHDR_OFF_CUSTKEY 0x040
#define SEHDR_OFF_PLD 0x0E0
#define SEHDR_OFF_ALD 0x120
#define SEHDR_OFF_TLD 0x160
#define SEHDR_OFF_KEYSLOTS 0x1A0
#define SEHDR_HEAD_LEN 0x1A0
#define SEHDR_MIN_SIZE 0x1B0         /* head + tag, the least that can hold tags    */
#define SEHDR_ENC_LEN 128            /* v1 encrypted part                           */
#define SEHDR_KEYSLOT_LEN 80
#define SEHDR_TAG_LEN 16
#define SEHDR_MAX_SIZE 8192          /* pvimg's limit (nks <= 95)                   */

/* Image metadata record "SeImgLnx" at 0xC000 (se-header.md §1.2). */
#define SEIMG_META_OFF 0xC000
#define SEIMG_META_MAGIC "SeImgLnx"
#define SEIMG_META_LEN 28
#define SEIMG_SCAN_LAST 0x14000      /* last page start tried without metadata      */
#define SEIMG_PAGE 0x1000

/* Plaintext control flags (MSB-0 bit n = 1 << (63 - n)). */
#define SEHDR_PCF_ALLOW_DUMP 0x0000000020000000ull  /* bit 34 */
#define SEHDR_PCF_NO_IMAGE_ENC 0x0000000010000000ull
#define SEHDR_PCF_BACKUP_KEYS 0x0000000000000002ull
/* Secret control flags (encrypted part +0x70). */
#define SEHDR_SCF_CCK_EXT 0x4000000000000000ull    /* bit 1: CCK extension secret */
#define SEHDR_SCF_CCK_UPDATE 0x2000000000000000ull /* bit 2: CCK update allowed   */

/* Offsets inside the 128-byte decrypted part. */
#define SEHDR_ENC_CCK 0x00
#define SEHDR_ENC_IMGKEY 0x20
#define SEHDR_ENC_PSW_MASK 0x60
#define SEHDR_ENC_PSW_ADDR 0x68
#define SEHDR_ENC_SCF 0x70
#define SEHDR_ENC_NOI 0x78

enum sehdr_err {
    SEHDR_OK = 0,
    SEHDR_E_NOT_FOUND,   /* no magic at any place the search tries                  */
    SEHDR_E_META,        /* metadata record truncated or pointing outside the file  */
    SEHDR_E_VERSION,     /* header version is not 0x100                             */
    SEHDR_E_SIZE,        /* size field below 0x1B0 or past the end of the file      */
    SEHDR_E_LAYOUT,      /* nks/sea/size inconsistent (strict v1 check only)        */
};

const char *sehdr_strerror(enum sehdr_err e);

struct sehdr_view {
    const uint8_t *hdr;          /* start of the header inside the caller's buffer */
    size_t offset;               /* file offset of the header                      */
    int from_metadata;           /* found through the SeImgLnx record              */
    uint32_t meta_version;       /* metadata version (1 expected), 0 if none       */
    uint32_t size;
    uint64_t nks, sea, nep, pcf;
    const uint8_t *iv;           /* 12  */
    const uint8_t *cust_key;     /* 160 */
    const uint8_t *pld, *ald, *tld; /* 64 each */
    const uint8_t *tag;          /* 16, at hdr + size - 16 */
};

/* Finds the header in a bare header or a whole SE image (se-header.md §1.3) and checks
 * what the reference checks plus 0x1B0 <= size <= remaining file.  Pointers into buf. */
enum sehdr_err sehdr_locate(const uint8_t *buf, size_t len, struct sehdr_view *v);

/* Strict version-1 layout, as the simulator needs it: nks >= 1, sea == 128,
 * size == 0x1A0 + 80 * nks + 128 + 16 and size <= 8192. */
enum sehdr_err sehdr_check_v1(const struct sehdr_view *v);

/* PLD | ALD | TLD | tag, the 208 bytes an add-secret request carries at 0x038. */
void sehdr_boot_tags(const struct sehdr_view *v, uint8_t out[208]);

/* Size of a v1 header with nks keyslots. */
static inline size_t sehdr_v1_size(size_t nks)
{
    return SEHDR_HEAD_LEN + SEHDR_KEYSLOT_LEN * nks + SEHDR_ENC_LEN + SEHDR_TAG_LEN;
}

#endif
