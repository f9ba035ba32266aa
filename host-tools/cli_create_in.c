/* Input readers of `uvsecret create` (see cli_create.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "cli.h"
#include "cli_create.h"
#include "cli_file.h"
#include "cli_yaml.h"
#include "crypto.h"
#include "hex.h"
#include "secret.h"

#define CLI_SMALL_FILE_MAX (64u * 1024u)
#define CLI_POLICY_MAX (64u * 1024u * 1024u)

int cli_read_exact(const char *path, uint8_t *out, size_t n, const char *what)
{
    char reason[CLI_REASON_MAX];
    uint8_t *buf;
    size_t len;

    if (cli_read_file(path, CLI_SMALL_FILE_MAX, &buf, &len, reason) != 0) {
        cli_err(path, "%s", reason);
        return -1;
    }
    if (len != n) {
        cli_err(path, "%s must be exactly %zu bytes long (is %zu)", what, n, len);
        cli_buf_free(buf, len);
        return -1;
    }
    memcpy(out, buf, n);
    cli_buf_free(buf, len);
    return 0;
}

int cli_flags_value(const struct cli_create *c, uint64_t *flags)
{
    const char *s = c->pcf;
    size_t n;
    uint64_t v = 0;

    if (s == NULL) {
        *flags = c->flags;
        return 0;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    n = strlen(s);
    if (n == 0 || n > 16) {
        cli_err("--pcf", "'%s': expected 1 to 16 hex digits", c->pcf);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        unsigned d;
        if (ch >= '0' && ch <= '9')
            d = (unsigned)(ch - '0');
        else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
            d = (unsigned)((ch | 0x20) - 'a' + 10);
        else {
            cli_err("--pcf", "'%s': not a hex number", c->pcf);
            return -1;
        }
        v = v << 4 | d;
    }
    *flags = v;
    return 0;
}

int cli_cuid_value(const struct cli_create *c, uint8_t cuid[16], int *have)
{
    char reason[CLI_REASON_MAX];
    uint8_t *buf;
    size_t len;
    int r;

    *have = 0;
    if (c->cuid_hex != NULL) {
        if (hex_decode_exact(c->cuid_hex, cuid, 16, 1) != 0) {
            cli_err("--cuid-hex", "'%s': expected optional 0x and exactly 32 hex digits", c->cuid_hex);
            return -1;
        }
        *have = 1;
        return 0;
    }
    if (c->cuid_file == NULL)
        return 0;
    if (cli_read_file(c->cuid_file, CLI_SMALL_FILE_MAX, &buf, &len, reason) != 0) {
        cli_err(c->cuid_file, "%s", reason);
        return -1;
    }
    r = cli_cuid_from_file(buf, len, cuid, reason);
    cli_buf_free(buf, len);
    if (r != 0) {
        cli_err(c->cuid_file, "%s", reason);
        return -1;
    }
    *have = 1;
    return 0;
}

int cli_load_private_key(const char *path, mbedtls_pk_context *pk, void *rng)
{
    char reason[CLI_REASON_MAX];
    uint8_t *buf;
    size_t len;
    int r;

    if (cli_read_file(path, CLI_SMALL_FILE_MAX, &buf, &len, reason) != 0) {
        cli_err(path, "%s", reason);
        return -1;
    }
    r = uvs_pk_parse_private(pk, buf, len, rng);
    cli_buf_free(buf, len);
    if (r != 0) {
        cli_err(path, "cannot read the private key (DER or PEM, unencrypted)");
        return -1;
    }
    return 0;
}

int cli_policy_area(const char *path, uint8_t area[ASR_USER_LEN])
{
    char reason[CLI_REASON_MAX], hexs[65];
    uint8_t *buf;
    size_t len, plen = strlen(path);

    if (cli_read_file(path, CLI_POLICY_MAX, &buf, &len, reason) != 0) {
        cli_err(path, "%s", reason);
        return -1;
    }
    memset(area, 0, ASR_USER_LEN);
    uvs_sha256(buf, len, area);
    cli_buf_free(buf, len);
    memcpy(area + 32, path, plen > 480 ? 480 : plen);
    if (strchr(path, '/') != NULL)
        cli_log(CLI_WARN, "WARNING: --policy '%s': the request records the path as typed, and "
                          "uvsecret-early accepts only a plain file name there (run uvsecret in the "
                          "directory of the policy file)", path);
    hex_encode(area, 32, hexs);
    printf("%s\n", hexs);
    fflush(stdout);
    return 0;
}
