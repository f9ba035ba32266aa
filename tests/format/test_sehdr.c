/* SE header location and tag extraction on the vectors in shared/vectors/sehdr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "be.h"
#include "hex.h"
#include "sehdr.h"
#include "tap.h"

static uint8_t img[0x16000];

int main(void)
{
    uint8_t hdr[1024], tag[16], pld4[4] = { 0xbe, 0x94, 0xb5, 0xea }, tags[208];
    struct sehdr_view v;
    size_t n = tap_slurp_shared("vectors/sehdr/secure_guest.hdr", hdr, sizeof(hdr));

    OK(n == 640, "secure_guest.hdr read");
    OK(sehdr_locate(hdr, n, &v) == SEHDR_OK && v.offset == 0 && v.size == 640, "bare header found");
    hex_decode_exact("92309d4589b9a85b427f8753171d1520", tag, 16, 0);
    EQ_MEM(v.tag, tag, 16, "tag of secure_guest.hdr");
    EQ_MEM(v.pld, pld4, 4, "PLD prefix");
    OK(sehdr_check_v1(&v) == SEHDR_OK, "strict v1 layout holds");
    sehdr_boot_tags(&v, tags);
    EQ_MEM(tags + 192, tag, 16, "boot tags end with the header tag");

    memset(img, 0, 0x13000);
    memcpy(img + 0x12000, hdr, n);
    OK(sehdr_locate(img, 0x13000, &v) == SEHDR_OK && v.offset == 0x12000, "page scan finds 0x12000");
    EQ_MEM(v.tag, tag, 16, "same tag at 0x12000");

    OK(sehdr_locate(hdr + 1, n - 1, &v) != SEHDR_OK, "first byte removed: malformed");
    memcpy(img, hdr, n);
    img[0] = hdr[1];
    img[1] = hdr[0];
    OK(sehdr_locate(img, n, &v) != SEHDR_OK, "bytes 0 and 1 swapped: malformed");
    memset(img, 0, 4096);
    memcpy(img + 8, hdr, n);
    OK(sehdr_locate(img, 4096, &v) != SEHDR_OK, "unaligned offset 8: malformed");

    /* Image with metadata at 0xC000 pointing to 0x14000. */
    memset(img, 0, sizeof(img));
    memcpy(img + 0xC000, "SeImgLnx", 8);
    be64_store(img + 0xC008, 0x14000);
    be32_store(img + 0xC010, 1);
    memcpy(img + 0x14000, hdr, n);
    OK(sehdr_locate(img, 0x14000 + n, &v) == SEHDR_OK && v.offset == 0x14000 && v.from_metadata,
       "image metadata gives 0x14000");
    be64_store(img + 0xC008, 0x13000);
    OK(sehdr_locate(img, 0x14000 + n, &v) == SEHDR_E_NOT_FOUND, "metadata pointing elsewhere");
    be64_store(img + 0xC008, 0xFFFFFFFFFFFFFF00ull);
    OK(sehdr_locate(img, 0x14000 + n, &v) == SEHDR_E_NOT_FOUND, "metadata pointing past the file");
    OK(sehdr_locate(img, 0xC010, &v) == SEHDR_E_META, "truncated metadata");

    memcpy(img, hdr, n);
    be32_store(img + SEHDR_OFF_SIZE, 0x10000);
    OK(sehdr_locate(img, n, &v) == SEHDR_E_SIZE, "size past the end");
    be32_store(img + SEHDR_OFF_SIZE, 0x100);
    OK(sehdr_locate(img, n, &v) == SEHDR_E_SIZE, "size below 0x1B0");
    be32_store(img + SEHDR_OFF_SIZE, 640);
    be32_store(img + SEHDR_OFF_VERSION, 0x200);
    OK(sehdr_locate(img, n, &v) == SEHDR_E_VERSION, "version 0x200");
    OK(sehdr_locate(hdr, 0x100, &v) == SEHDR_E_SIZE, "truncated head");

    n = tap_slurp_shared("vectors/sehdr/test_hdr_cckext.hdr", hdr, sizeof(hdr));
    hex_decode_exact("7083ab2ae8aedd087e5114933924736c", tag, 16, 0);
    OK(n == 720 && sehdr_locate(hdr, n, &v) == SEHDR_OK && v.nks == 2, "cckext header, 2 slots");
    EQ_MEM(v.tag, tag, 16, "cckext tag");
    OK(v.pcf == 0xE0, "cckext PCF");
    return tap_done();
}
