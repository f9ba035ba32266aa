/* PolicyReference and toc.pol parsing (early/policy.c), secret-ID rendering and lookup
 * (early/ids.c).  Crypto-free except the SHA-256 name lookup; also run on s390x. */
#include <stdio.h>
#include <string.h>

#include "be.h"
#include "ids.h"
#include "policy.h"
#include "tap.h"

static void test_policy_ref(void)
{
    uint8_t ud[512], hash[32];
    char name[POLICY_NAME_MAX + 1];
    const char *why = NULL;

    memset(ud, 0, sizeof(ud));
    OK(policy_ref_parse(ud, hash, name, &why) == 0, "all-zero hash: no policy");
    ud[5] = 1;
    memcpy(ud + 32, "toc.pol", 7);
    OK(policy_ref_parse(ud, hash, name, &why) == 1 && strcmp(name, "toc.pol") == 0 && hash[5] == 1,
       "hash + name parsed");
    memset(ud + 32, 0, 480);
    memcpy(ud + 40, "x.pol", 5);
    OK(policy_ref_parse(ud, hash, name, &why) == 1 && strcmp(name, "x.pol") == 0,
       "NULs stripped at both ends");
    memset(ud + 32, 'a', 480);
    OK(policy_ref_parse(ud, hash, name, &why) == 1 && strlen(name) == 480, "480-byte name, no terminator");
    memset(ud + 32, 0, 480);
    OK(policy_ref_parse(ud, hash, name, &why) == -1, "hash without a name refused");
    memcpy(ud + 32, "../etc/x", 8);
    OK(policy_ref_parse(ud, hash, name, &why) == -1, "name with a slash refused");
    memset(ud + 32, 0, 480);
    memcpy(ud + 32, "a..b", 4);
    OK(policy_ref_parse(ud, hash, name, &why) == -1, "name with '..' refused");
    memcpy(ud + 32, "a\nb", 3);
    OK(policy_ref_parse(ud, hash, name, &why) == -1, "control character refused");
    memset(ud + 32, 0, 480);
    memcpy(ud + 32, "a\0b", 3);
    OK(policy_ref_parse(ud, hash, name, &why) == -1, "embedded NUL refused");
}

static int toc(const char *text, size_t *n, unsigned *line)
{
    static uint8_t tags[TOC_MAX_TAGS][16];
    const char *why;
    return toc_parse((const uint8_t *)text, strlen(text), tags, TOC_MAX_TAGS, n, line, &why);
}

static void test_toc(void)
{
    static const char a[] = "00112233445566778899aabbccddeeff";
    static const char b[] = "FFEEDDCCBBAA99887766554433221100";
    char text[4096];
    size_t n;
    unsigned line;
    uint8_t tags[2][16];
    const char *why;

    snprintf(text, sizeof(text), "%s\n%s\n", a, b);
    OK(toc_parse((const uint8_t *)text, strlen(text), tags, 2, &n, &line, &why) == 0 && n == 2 &&
           tags[0][0] == 0x00 && tags[0][15] == 0xff && tags[1][0] == 0xff,
       "two tags, either case");
    snprintf(text, sizeof(text), "%s\r\n%s", a, b);
    OK(toc(text, &n, &line) == 0 && n == 2, "CRLF and no final newline");
    snprintf(text, sizeof(text), "%s\n\n%s\n", a, b);
    OK(toc(text, &n, &line) == -1 && line == 2, "empty line refused (line 2)");
    snprintf(text, sizeof(text), "%s\n%s\n", a, a);
    OK(toc(text, &n, &line) == -1 && line == 2, "duplicate tag refused");
    snprintf(text, sizeof(text), "%.30s\n", a);
    OK(toc(text, &n, &line) == -1 && line == 1, "short line refused");
    snprintf(text, sizeof(text), "%s00\n", a);
    OK(toc(text, &n, &line) == -1, "long line refused");
    snprintf(text, sizeof(text), "%.31sg\n", a);
    OK(toc(text, &n, &line) == -1, "non-hex refused");
    OK(toc("", &n, &line) == -1, "empty file refused");
    OK(toc_parse((const uint8_t *)"00112233445566778899aabbccddeeff\n"
                                  "00112233445566778899aabbccddeefe\n"
                                  "00112233445566778899aabbccddeefd\n",
                 99, tags, 2, &n, &line, &why) == -1,
       "more tags than room refused");
}

static void test_ids(void)
{
    uint8_t id[32], list[16 + 3 * 48];
    char out[ID_RENDER_MAX];
    struct uvlist_view v;
    unsigned dups;

    memset(id, 0, 32);
    memcpy(id, "luks key", 8);
    OK(id_is_text(id), "zero-padded name reads as text");
    id_render(id, out);
    OK(strcmp(out, "luks key | 0x6c756b73206b6579000000000000000000000000000000000000000000000000") == 0,
       "text ID rendering (CLI §5.1 example)");
    id[3] = 0x0b;
    OK(!id_is_text(id), "VT is not whitespace");
    memset(id, 0, 32);
    OK(!id_is_text(id), "all-zero ID is not text");
    memset(id, 'a', 32);
    OK(!id_is_text(id), "no NUL: not text");
    memset(id, 0, 32);
    id[0] = 'a';
    id[20] = 1;
    OK(!id_is_text(id), "non-zero after the NUL: not text");
    id_render(id, out);
    OK(strncmp(out, "0x61", 4) == 0 && strlen(out) == 66, "binary ID: 0x + 64 digits");
    OK(id_parse_hex("0x6c756b73206b6579000000000000000000000000000000000000000000000000", id) == 0 &&
           memcmp(id, "luks key", 8) == 0, "hex ID parsed");
    OK(id_parse_hex("6c756b73206b6579000000000000000000000000000000000000000000000000", id) != 0,
       "hex ID without 0x refused");
    OK(id_parse_hex("0x6c75", id) != 0, "short hex ID refused");

    memset(list, 0, sizeof(list));
    memset(id, 0, 32);
    memcpy(id, "abc", 3);
    uvlist_write_entry(list, 0, 7, 3, 16, id);
    uvlist_write_entry(list, 1, 9, 3, 16, id);
    {
        uint8_t h[32] = { 0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                          0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                          0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
        uvlist_write_entry(list, 2, 11, 2, 32, h);   /* SHA-256("abc") */
    }
    uvlist_write_header(list, 3, 3, 0);
    OK(uvlist_parse(list, sizeof(list), &v) == 0, "list parses");
    OK(id_find(&v, id, &dups) == 0 && dups == 2, "find: first of two duplicates");
    OK(id_find_name(&v, "abc", id) == 0, "name lookup: padded ID first");
    OK(id_find_name(&v, "abcd", id) == -1, "unknown name: not found");
    list[16 + 16] = 'x';   /* entry 0 ID becomes "xbc" */
    list[16 + 48 + 16] = 'x';
    OK(id_find_name(&v, "abc", id) == 2 && id[0] == 0xba, "name lookup falls back to SHA-256 of the name");
}

int main(void)
{
    test_policy_ref();
    test_toc();
    test_ids();
    return tap_done();
}
