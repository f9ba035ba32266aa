/* Unit tests of the uvsecret command-line helpers (YAML quoting, NAME.yaml path, --cuid
 * files, --pcf, safe file output).  Also a helper for the shell tests:
 *   test_cli_units open REQUEST HOST_KEY HOST_CERT
 * opens a request the UV way (req_util.h) and prints "secret <hex>" and "ext <hex>". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_create.h"
#include "cli_file.h"
#include "cli_yaml.h"
#include "hex.h"
#include "req_util.h"
#include "tap.h"

static int open_main(const char *req_path, const char *key_path, const char *crt_path)
{
    static uint8_t req[ASR_MAX_LEN], plain[ASR_PLAIN_MAX_LEN + 64];
    uint8_t priv[66], pub[160];
    struct uvs_rng rng;
    struct asr_view v;
    size_t len, plen;
    char *h;
    int rc;

    len = req_slurp(req_path, req, sizeof(req));
    if (len == (size_t)-1 || asr_parse(req, len, &v) != ASR_OK || uvs_rng_init(&rng) != 0) {
        fprintf(stderr, "open: cannot read %s\n", req_path);
        return 1;
    }
    if (req_key_scalar(key_path, &rng, priv) != 0 || req_cert_coords(crt_path, pub) != 0) {
        fprintf(stderr, "open: cannot read the host key\n");
        return 1;
    }
    rc = req_open(&rng, req, len, priv, sizeof(priv), pub, NULL, plain, sizeof(plain), &plen);
    uvs_rng_free(&rng);
    if (rc != 0) {
        fprintf(stderr, "open: request does not open (step %d)\n", rc);
        return 1;
    }
    h = malloc(2 * plen + 1);
    if (h == NULL)
        return 1;
    hex_encode(plain, plen - 32, h);
    printf("secret %s\n", h);
    hex_encode(plain + plen - 32, 32, h);
    printf("ext %s\n", h);
    free(h);
    return 0;
}

static void scalar(const char *in, const char *want)
{
    char out[256], what[160];
    int n = cli_yaml_scalar(in, strlen(in), out, sizeof(out));

    snprintf(what, sizeof(what), "yaml scalar %.40s -> %.60s", in, want);
    for (char *p = what; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = '|';
    if (!OK(n >= 0 && strcmp(out, want) == 0, what))
        printf("#   got: %s\n", n >= 0 ? out : "(error)");
}

static void test_scalars(void)
{
    scalar("EXAMPLE", "EXAMPLE");
    scalar("add_secret_request", "add_secret_request");
    scalar("", "''");
    scalar("123", "'123'");
    scalar("-17", "'-17'");
    scalar("0x1F", "'0x1F'");
    scalar("0b101", "'0b101'");
    scalar("1e5", "'1e5'");
    scalar(".5", "'.5'");
    scalar("5.", "'5.'");
    scalar("0123", "'0123'");
    scalar("true", "'true'");
    scalar("False", "'False'");
    scalar("null", "'null'");
    scalar("~", "'~'");
    scalar(".inf", "'.inf'");
    scalar("-.INF", "'-.INF'");
    scalar(".NaN", "'.NaN'");
    scalar("yes", "yes");
    scalar("inf", "inf");
    scalar("1e999", "1e999");
    scalar("a: b", "'a: b'");
    scalar("a #b", "'a #b'");
    scalar("#x", "'#x'");
    scalar("end:", "'end:'");
    scalar("- x", "'- x'");
    scalar("-x", "-x");
    scalar(" lead", "' lead'");
    scalar("trail ", "'trail '");
    scalar("'q", "'''q'");
    scalar("it's", "it's");
    scalar("luks key", "luks key");
    scalar("a\tb", "\"a\\tb\"");
    scalar("a\nb", "|-\n  a\n  b");
    scalar("a\nb\n", "|\n  a\n  b");
    scalar("\xc3\xa4rger", "\xc3\xa4rger");
    scalar("--- x", "'--- x'");
    scalar("0x70dc758d711fef605b1b1b1774a2a4ab701020ea4b2cb399ebbdd5a3971c76a9",
           "0x70dc758d711fef605b1b1b1774a2a4ab701020ea4b2cb399ebbdd5a3971c76a9");
}

static void test_secret_yaml(void)
{
    uint8_t id[32];
    char out[512];
    int n;

    uvs_sha256("add_secret_request", 18, id);
    n = cli_yaml_secret(ASR_T_ASSOC, "add_secret_request", id, out, sizeof(out));
    OK(n > 0 && strcmp(out, "!Association\nname: add_secret_request\n"
                            "id: 0x70dc758d711fef605b1b1b1774a2a4ab701020ea4b2cb399ebbdd5a3971c76a9\n") == 0,
       "association YAML matches ASR 8.2");
    n = cli_yaml_secret(ASR_T_AES256, "123", id, out, sizeof(out));
    OK(n > 0 && strncmp(out, "!Retrievable\nkind: 6 (AES-256-KEY)\nname: '123'\nid: 0x70dc", 52) == 0,
       "retrievable YAML: kind line and quoted numeric name");
    memset(id, 0, 16);
    n = cli_yaml_secret(ASR_T_ASSOC, "x", id, out, sizeof(out));
    OK(n > 0 && strstr(out, "id: '0x00000000000000000000000000000000") != NULL,
       "an ID whose first 16 bytes are zero is quoted (fits 128 bits)");
    OK(cli_yaml_secret(ASR_T_ASSOC, "x", id, out, 20) < 0, "short buffer reported");
}

static void path(const char *o, const char *name, const char *want)
{
    char out[256], reason[CLI_REASON_MAX], what[160];
    int r = cli_yaml_path(o, name, out, sizeof(out), reason);

    snprintf(what, sizeof(what), "yaml path (-o %s, %s) -> %s", o, name, want ? want : "error");
    if (want == NULL)
        OK(r != 0, what);
    else if (!OK(r == 0 && strcmp(out, want) == 0, what))
        printf("#   got: %s\n", r == 0 ? out : reason);
}

static void test_paths(void)
{
    path("req.bin", "EXAMPLE", "EXAMPLE.yaml");
    path("dir/req.bin", "EXAMPLE", "dir/EXAMPLE.yaml");
    path("/abs/dir/req", "EXAMPLE", "/abs/dir/EXAMPLE.yaml");
    path("-", "EXAMPLE", "EXAMPLE.yaml");
    path("o", "my.key", "my.yaml");
    path("o", "v1.2 key", "v1.yaml");
    path("o", "x.", "x.yaml");
    path("o", ".hidden", ".hidden.yaml");
    path("o", "a b\tc", "a_b_c.yaml");
    path("o", "nb\xc2\xa0sp", "nb_sp.yaml");
    path("o", "ideo\xe3\x80\x80sp", "ideo_sp.yaml");
    path("o", "my Confidential Secret", "my_Confidential_Secret.yaml");
    path("o", "a/b", NULL);
    path("o", "", NULL);
    path("o", "..", NULL);
}

static void cuid(const char *text, const char *want_hex, const char *want_err)
{
    uint8_t c[16], w[16];
    char reason[CLI_REASON_MAX], what[200];
    int r = cli_cuid_from_file((const uint8_t *)text, strlen(text), c, reason);

    snprintf(what, sizeof(what), "cuid file '%.50s' -> %s", text, want_hex ? want_hex : want_err);
    for (char *p = what; *p; p++)
        if (*p == '\n')
            *p = '|';
    if (want_hex != NULL) {
        hex_decode_exact(want_hex, w, 16, 1);
        if (!OK(r == 0 && memcmp(c, w, 16) == 0, what))
            printf("#   %s\n", r == 0 ? "wrong value" : reason);
    } else if (!OK(r != 0 && strstr(reason, want_err) != NULL, what)) {
        printf("#   got: %s\n", r == 0 ? "success" : reason);
    }
}

static void test_cuid(void)
{
    const char *h = "0x00112233445566778899aabbccddeeff";
    uint8_t raw[16], c[16];
    char reason[CLI_REASON_MAX];

    for (int i = 0; i < 16; i++)
        raw[i] = (uint8_t)(0xa0 + i);
    OK(cli_cuid_from_file(raw, 16, c, reason) == 0 && memcmp(c, raw, 16) == 0, "16 raw bytes are the CUID");
    cuid("0x00112233445566778899aabbccddeeff\n", h, NULL);
    cuid("'0x00112233445566778899AABBCCDDEEFF'\n", h, NULL);
    cuid("cuid: '0x00112233445566778899aabbccddeeff'\n", h, NULL);
    cuid("cuid: 0x00112233445566778899aabbccddeeff\n", h, NULL);
    cuid("---\nversion: 1\nresult:\n  valid: true\n  cuid: \"0x00112233445566778899aabbccddeeff\"\n", h, NULL);
    cuid("inner:\n  cuid: '0xffffffffffffffffffffffffffffffff'\ncuid: '0x00112233445566778899aabbccddeeff'\n", h, NULL);
    cuid("other: 1\n", NULL, "No 'cuid' entry found");
    cuid("cuid: '00112233445566778899aabbccddeeff'\n", NULL, "starts not with 0x");
    cuid("cuid: '0x112233445566778899aabbccddeeff'\n", NULL, "len invalid (30)");
    cuid("cuid: '0x00112233445566778899aabbccddeefg'\n", NULL, "not hexadecimal");
    cuid("just words here\nmore words\n", NULL, "does not contain a 128bit value");
}

static void test_pcf(void)
{
    struct cli_create c;
    uint64_t f = 0;

    memset(&c, 0, sizeof(c));
    c.pcf = "0x8000000000000000";
    OK(cli_flags_value(&c, &f) == 0 && f == 0x8000000000000000ull, "--pcf 0x8000000000000000");
    c.pcf = "1";
    OK(cli_flags_value(&c, &f) == 0 && f == 1, "--pcf 1 is bit 63, not disable-dump");
    c.pcf = "12345678901234567";
    OK(cli_flags_value(&c, &f) != 0, "--pcf with 17 digits rejected");
    c.pcf = "0xzz";
    OK(cli_flags_value(&c, &f) != 0, "--pcf with non-hex rejected");
    c.pcf = NULL;
    c.flags = 0x8000000000000000ull;
    OK(cli_flags_value(&c, &f) == 0 && f == 0x8000000000000000ull, "--flags value passes through");
}

static void test_files(void)
{
    char dir[] = "/tmp/uvs-cli-units-XXXXXX", p[256], q[256], reason[CLI_REASON_MAX];
    struct stat st;
    uint8_t *buf;
    size_t len;
    mode_t old = umask(022);

    if (!OK(mkdtemp(dir) != NULL, "temporary directory"))
        return;
    snprintf(p, sizeof(p), "%s/secret", dir);
    OK(cli_write_file(p, "0123456789abcdef", 16, CLI_W_SECRET, reason) == 0, "secret file written");
    OK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600 && st.st_size == 16, "secret file mode 0600, 16 bytes");
    OK(cli_write_file(p, "x", 1, CLI_W_SECRET, reason) != 0 && strstr(reason, "refusing") != NULL,
       "secret file never overwritten");
    OK(stat(p, &st) == 0 && st.st_size == 16, "existing secret file unchanged");
    snprintf(q, sizeof(q), "%s/link", dir);
    OK(symlink("nowhere", q) == 0 && cli_write_file(q, "x", 1, CLI_W_SECRET, reason) != 0,
       "secret output through a dangling symlink refused");
    OK(lstat(q, &st) == 0 && S_ISLNK(st.st_mode) && lstat(p, &st) == 0, "symlink left alone");
    snprintf(q, sizeof(q), "%s/out", dir);
    OK(cli_write_file(q, "abc", 3, CLI_W_REPLACE, reason) == 0 && cli_write_file(q, "de", 2, CLI_W_REPLACE, reason) == 0 &&
       stat(q, &st) == 0 && st.st_size == 2 && (st.st_mode & 0777) == 0644, "normal output replaced atomically, mode 0666&~umask");
    OK(cli_read_file(q, 2, &buf, &len, reason) == 0 && len == 2 && memcmp(buf, "de", 2) == 0, "read back");
    cli_buf_free(buf, len);
    OK(cli_read_file(q, 1, &buf, &len, reason) != 0 && strstr(reason, "too large") != NULL, "oversized input refused");
    snprintf(p, sizeof(p), "%s/link2", dir);
    OK(symlink(q, p) == 0 && cli_read_file(p, 100, &buf, &len, reason) != 0 && strstr(reason, "symbolic link") != NULL,
       "symlinked input refused");
    OK(cli_read_file(dir, 100, &buf, &len, reason) != 0 && strstr(reason, "regular") != NULL, "directory input refused");
    snprintf(p, sizeof(p), "%s/nodir/out", dir);
    OK(cli_write_file(p, "x", 1, CLI_W_REPLACE, reason) != 0, "output into a missing directory fails");
    snprintf(p, sizeof(p), "%s/toc", dir);
    {
        struct cli_append_undo u1 = { 99, 99 }, u2 = { 99, 99 };
        OK(cli_append_file(p, "aa\n", &u1, reason) == 0 && u1.old_size == 0 && u1.created == 1 &&
               cli_append_file(p, "bb\n", &u2, reason) == 0 && u2.old_size == 3 && u2.created == 0 &&
               cli_read_file(p, 100, &buf, &len, reason) == 0 && len == 6 && memcmp(buf, "aa\nbb\n", 6) == 0,
           "append creates and appends, reporting the old size and whether it created the file");
        cli_buf_free(buf, len);
        cli_append_undo(p, &u2);
        OK(stat(p, &st) == 0 && st.st_size == 3, "an append is undone by truncating back");
        cli_append_undo(p, &u1);
        OK(lstat(p, &st) != 0 && errno == ENOENT, "undoing the append that created the file removes it");
        OK(cli_append_file(p, "aa\n", &u1, reason) == 0 && u1.created == 1, "append creates the file again");
    }
    {
        char cmd[300];
        snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 5", dir);
        OK(system(cmd) == 0, "no temporary files left behind");
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        (void)system(cmd);
    }
    umask(old);
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "open") == 0)
        return open_main(argv[2], argv[3], argv[4]);
    test_scalars();
    test_secret_yaml();
    test_paths();
    test_cuid();
    test_pcf();
    test_files();
    printf("1..%d\n", tap_n);
    return tap_failed != 0;
}
