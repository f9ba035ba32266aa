/* The uvsim command line: mkhdr (flags, image, errors), check (output lines and exit
 * status), and list/lock/retrieve/state over a --state directory so that duplicates,
 * capacity and lock can be scripted.  Runs BUILD/uvsim next to this test's BUILD
 * directory (argv[0] = BUILD/test/uvsim/test_cli) or $UVSIM_BIN. */
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "testlib.h"

static char bin[1024], tmp[64];
static char out[65536];

/* Runs a shell command line, captures stdout (and stderr when merge) into out,
 * returns the exit status (or -1). */
static int run(int merge, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(int merge, const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(cmd, sizeof cmd - 8, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof cmd - 8)
        return -1;
    if (merge)
        strcat(cmd, " 2>&1");
    else
        strcat(cmd, " 2>/dev/null");
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t got = fread(out, 1, sizeof out - 1, p);
    out[got] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int write_file(const char *name, const uint8_t *data, size_t len)
{
    char path[256], err[SIM_ERR_MAX];
    snprintf(path, sizeof path, "%s/%s", tmp, name);
    unlink(path);
    return sim_write_new(path, data, len, 1, err, sizeof err);
}

static size_t request(const char *hdr, uint16_t type, const uint8_t *secret, uint32_t len, const char *name,
                      const char *file, int flip)
{
    uint8_t tags[208], host[160], id[32], req[4096];
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmp, hdr);
    if (tl_tags(path, tags) != 0 || tl_cert(tl_shared("vectors/pki/host.crt"), host) != 0)
        return 0;
    uvs_sha256(name, strlen(name), id);
    struct asr_request_params p = { 0 };
    p.secret_type = type;
    p.secret = secret;
    p.secret_len = len;
    p.id = id;
    p.tags = tags;
    p.host_keys = (const uint8_t(*)[160])host;
    p.n_host_keys = 1;
    size_t n = tl_request(&p, req, sizeof req);
    if (n && flip)
        req[n - 1] ^= 1;
    return n && write_file(file, req, n) == 0 ? n : 0;
}

#define SIMOPTS "--hdr %s/h.hdr --host-key %s --state %s/st"

static void test_mkhdr(void)
{
    uint8_t cck[32];
    tl_fill(cck, 0x31, 32);
    write_file("cck", cck, 32);
    const char *crt = tl_shared("vectors/pki/host.crt"), *key = tl_shared("vectors/pki/host.key");
    EQ_INT(run(1, "%s mkhdr --host-cert %s --cck %s/cck -o %s/h.hdr", bin, crt, tmp, tmp), 0, "mkhdr with --cck");
    struct stat st;
    char path[256];
    snprintf(path, sizeof path, "%s/h.hdr", tmp);
    OK(stat(path, &st) == 0 && st.st_size == 640 && (st.st_mode & 0777) == 0644, "header: 640 bytes, mode 0644");
    EQ_INT(run(1, "%s state --hdr %s/h.hdr --host-key %s", bin, tmp, key), 0, "uvsim state opens it");
    OK(strstr(out, "pcf: 00000000200000e0\n") && strstr(out, "scf: 0000000000000000\n") &&
           strstr(out, "dump_allowed: 1\n"),
       "default with --cck: PCKMO + allow dump, SCF 0");

    EQ_INT(run(1, "%s mkhdr --host-cert %s --cck %s/cck --no-dump --require-cck-ext -o %s/x.hdr", bin, crt, tmp,
               tmp),
           0, "mkhdr --no-dump --require-cck-ext");
    run(1, "%s state --hdr %s/x.hdr --host-key %s", bin, tmp, key);
    OK(strstr(out, "pcf: 00000000000000e0\n") && strstr(out, "scf: 4000000000000000\n"),
       "--no-dump clears PCF bit 34, --require-cck-ext sets SCF bit 1");

    EQ_INT(run(1, "%s mkhdr --host-cert %s -o %s/r.hdr", bin, crt, tmp), 0, "mkhdr with a random CCK");
    run(1, "%s state --hdr %s/r.hdr --host-key %s", bin, tmp, key);
    OK(strstr(out, "pcf: 00000000000000e0\n") != NULL, "random CCK: dump not allowed by default");

    EQ_INT(run(1, "%s mkhdr --host-cert %s --require-cck-ext -o %s/bad.hdr", bin, crt, tmp), 2,
           "--require-cck-ext without --cck refused");
    OK(!strncmp(out, "uvsim: ", 7) && strchr(out, '\n') == out + strlen(out) - 1, "one error line 'uvsim: ...'");
    EQ_INT(run(1, "%s mkhdr --host-cert %s/nonexistent.crt -o %s/bad.hdr", bin, tmp, tmp), 2, "missing cert refused");
    OK(strstr(out, "nonexistent.crt") != NULL, "the error names the file");
    EQ_INT(run(1, "%s mkhdr --host-cert %s -o %s/bad.hdr", bin, key, tmp), 2, "a private key is not a certificate");
    snprintf(path, sizeof path, "%s/bad.hdr", tmp);
    OK(access(path, F_OK) != 0, "no output file left after failures");
    write_file("short.cck", cck, 31);
    EQ_INT(run(1, "%s mkhdr --host-cert %s --cck %s/short.cck -o %s/bad.hdr", bin, crt, tmp, tmp), 2,
           "31-byte CCK refused");

    EQ_INT(run(1, "%s mkhdr --host-cert %s --host-cert %s --image -o %s/img", bin, crt,
               tl_shared("vectors/pki/host2.crt"), tmp),
           0, "mkhdr --image with two hosts");
    snprintf(path, sizeof path, "%s/img", tmp);
    size_t len;
    uint8_t *img = tl_load(path, &len);
    struct sehdr_view v;
    OK(img && sehdr_locate(img, len, &v) == SEHDR_OK && v.from_metadata && v.offset == 0x14000 && v.nks == 2,
       "image: header found through SeImgLnx at 0x14000, 2 keyslots");
    free(img);
    EQ_INT(run(1, "%s state --hdr %s/img --host-key %s", bin, tmp, tl_shared("vectors/pki/host2.key")), 0,
           "image opens with host2.key");
}

static void test_sim_cmds(void)
{
    const char *key = tl_shared("vectors/pki/host.key");
    uint8_t v32[32], plain[48];
    tl_fill(v32, 0x11, 32);
    memset(plain, 0, sizeof plain);
    asr_plain_encode((const uint8_t *)"0123456789abcdef0123456789abcdef01234567", 40, plain, sizeof plain);
    OK(request("h.hdr", ASR_T_ASSOC, v32, 32, "assoc", "a.req", 0) == 1416, "association request written");
    OK(request("h.hdr", ASR_T_ASSOC, v32, 32, "assoc", "bad.req", 1) == 1416, "tampered request written");
    OK(request("h.hdr", ASR_T_PLAIN, plain, 48, "pass", "p.req", 0) > 0, "plaintext request written");
    OK(request("x.hdr", ASR_T_ASSOC, v32, 32, "assoc", "other.req", 0) > 0, "request for another header written");

    EQ_INT(run(0, "%s check " SIMOPTS " --max-assoc 2 %s/a.req", bin, tmp, key, tmp, tmp), 0, "check: accepted");
    OK(!strcmp(out, "accepted\n"), "check prints 'accepted'");
    EQ_INT(run(0, "%s check " SIMOPTS " %s/a.req %s/bad.req %s/other.req", bin, tmp, key, tmp, tmp, tmp, tmp), 1,
           "check with bad requests exits 1");
    OK(!strncmp(out, "accepted\nrejected rc=0x0108 rrc=0x0000 ", 39) &&
           strstr(out, "\nrejected rc=0x0108 rrc=0x0000 boot tags") != NULL,
       "duplicate accepted; tampered and foreign requests rejected with 0x0108");
    EQ_INT(run(0, "%s check " SIMOPTS " %s/a.req", bin, tmp, key, tmp, tmp), 1, "third association: store full");
    OK(!strncmp(out, "rejected rc=0x010b rrc=0x0000 ", 30), "capacity (--max-assoc 2 persisted) -> 0x010b");
    EQ_INT(run(0, "%s check " SIMOPTS " %s/p.req", bin, tmp, key, tmp, tmp), 0, "plaintext accepted");

    EQ_INT(run(0, "%s list " SIMOPTS, bin, tmp, key, tmp), 0, "list");
    OK(!strncmp(out, "rc=0x0001 total=3 stored=3 next=0\n0 Association 32 0x", 52) &&
           strstr(out, "\n2 PLAINTEXT 48 0x") != NULL,
       "list shows index, type, length, ID");
    EQ_INT(run(0, "%s list " SIMOPTS " --pages 1 --legacy-kernel", bin, tmp, key, tmp), 0, "list, legacy driver");

    EQ_INT(run(0, "%s retrieve " SIMOPTS " --index 2 -o %s/secret", bin, tmp, key, tmp, tmp), 0, "retrieve index 2");
    char path[256];
    snprintf(path, sizeof path, "%s/secret", tmp);
    size_t len;
    uint8_t *got = tl_load(path, &len);
    struct stat st;
    OK(got && len == 48 && !memcmp(got, plain, 48) && stat(path, &st) == 0 && (st.st_mode & 0777) == 0600,
       "retrieved plaintext block as stored, file 0600");
    free(got);
    EQ_INT(run(0, "%s retrieve " SIMOPTS " --index 2 -o %s/secret", bin, tmp, key, tmp, tmp), 2,
           "retrieve refuses to overwrite its output");
    EQ_INT(run(0, "%s retrieve " SIMOPTS " --index 0 -o %s/s0", bin, tmp, key, tmp, tmp), 1, "retrieve association");
    OK(!strncmp(out, "rejected rc=0x0111", 18), "association is not retrievable (0x0111)");

    EQ_INT(run(0, "%s lock " SIMOPTS, bin, tmp, key, tmp), 0, "lock");
    OK(!strcmp(out, "locked\n"), "lock prints 'locked'");
    EQ_INT(run(0, "%s lock " SIMOPTS, bin, tmp, key, tmp), 1, "second lock fails");
    OK(!strncmp(out, "rejected rc=0x0102", 18), "second lock -> 0x0102");
    EQ_INT(run(0, "%s check " SIMOPTS " %s/p.req", bin, tmp, key, tmp, tmp), 1, "check after lock fails");
    OK(!strncmp(out, "rejected rc=0x0102", 18), "add after lock -> 0x0102");
    EQ_INT(run(0, "%s state " SIMOPTS, bin, tmp, key, tmp), 0, "state");
    OK(strstr(out, "locked: 1\n") && strstr(out, "secrets: 3\n") && strstr(out, "accepted_requests: 3\n"),
       "state: locked, 3 secrets, 3 accepted requests");
    EQ_INT(run(0, "%s info " SIMOPTS, bin, tmp, key, tmp), 0, "info");
    OK(strstr(out, "supp_uvio_cmds=0x000000000000003f") != NULL, "info: mainline mask 0x3f");
    EQ_INT(run(0, "%s sysfs " SIMOPTS " -o %s/fs", bin, tmp, key, tmp, tmp), 0, "sysfs tree written");
    char fpath[256];
    snprintf(fpath, sizeof fpath, "%s/fs/query/max_secrets", tmp);
    uint8_t *ms = tl_load(fpath, &len);
    OK(ms && len == 3 && !memcmp(ms, "10\n", 3), "sysfs: max_secrets = max_assoc 2 (persisted) + max_retr 8");
    free(ms);
    snprintf(fpath, sizeof fpath, "%s/fs/query/facilities", tmp);
    ms = tl_load(fpath, &len);
    OK(ms && len == 16 && !memcmp(ms, "f40000000\n0\n0\n0\n", 16), "sysfs: facilities has calls 28-31 and 33");
    free(ms);
    EQ_INT(run(0, "%s sysfs " SIMOPTS " -o %s/fs", bin, tmp, key, tmp, tmp), 2, "sysfs refuses an existing directory");
    EQ_INT(run(0, "%s reboot " SIMOPTS, bin, tmp, key, tmp), 0, "reboot");
    EQ_INT(run(0, "%s check " SIMOPTS " %s/p.req", bin, tmp, key, tmp, tmp), 0, "after reboot: accepted again");
    EQ_INT(run(1, "%s check " SIMOPTS " %s/missing.req", bin, tmp, key, tmp, tmp), 2, "missing request file: exit 2");
    OK(strstr(out, "missing.req") != NULL, "the error names the file");
    EQ_INT(run(0, "UVSIM_HDR=%s/h.hdr UVSIM_HOST_KEYS=%s:%s UVSIM_STATE=%s/st %s list", tmp,
               tl_shared("vectors/pki/host2.key"), key, tmp, bin),
           0, "configuration from UVSIM_HDR/UVSIM_HOST_KEYS/UVSIM_STATE");
    OK(!strncmp(out, "rc=0x0001 total=1 stored=1 next=0\n", 34), "the environment's state is listed");
    EQ_INT(run(1, "%s frobnicate", bin), 2, "unknown command: usage, exit 2");
    EQ_INT(run(0, "%s --help", bin), 0, "--help: exit 0");
    OK(!strncmp(out, "usage: uvsim mkhdr", 18), "--help: the usage on stdout");
    EQ_INT(run(0, "%s check --help", bin), 0, "CMD --help: exit 0");
    /* A FIFO (nobody writing) as header, host key or request: refused at once, no hang. */
    char fifo[256];
    snprintf(fifo, sizeof fifo, "%s/fifo", tmp);
    OK(mkfifo(fifo, 0600) == 0, "fifo made");
    EQ_INT(run(1, "timeout 10 %s check --hdr %s --host-key %s --state %s/st %s/p.req", bin, fifo, key, tmp, tmp), 2,
           "FIFO as --hdr: refused (exit 2, no hang)");
    OK(strstr(out, "fifo: not a regular") != NULL, "FIFO as --hdr: the error names the file and the reason");
    EQ_INT(run(1, "timeout 10 %s check --hdr %s/h.hdr --host-key %s --state %s/st %s/p.req", bin, tmp, fifo, tmp, tmp),
           2, "FIFO as --host-key: refused (exit 2, no hang)");
    OK(strstr(out, "fifo: not a regular") != NULL, "FIFO as --host-key: the error names the file and the reason");
    EQ_INT(run(1, "timeout 10 %s check " SIMOPTS " %s", bin, tmp, key, tmp, fifo), 2,
           "FIFO as a request: refused (exit 2, no hang)");
    OK(strstr(out, "fifo: not a regular") != NULL, "FIFO as a request: the error names the file and the reason");
    /* The header is read into memory (not mapped): an empty one is refused by name. */
    EQ_INT(run(1, "timeout 10 sh -c ': > %s/empty.hdr' && %s check --hdr %s/empty.hdr --host-key %s %s/p.req", tmp, bin,
               tmp, key, tmp),
           2, "empty --hdr: refused (exit 2)");
    OK(strstr(out, "empty.hdr: empty file") != NULL, "empty --hdr: the error names the file and the reason");
}

int main(int argc, char **argv)
{
    (void)argc;
    const char *env = getenv("UVSIM_BIN");
    if (env)
        snprintf(bin, sizeof bin, "%s", env);
    else {
        snprintf(bin, sizeof bin, "%s", argv[0]);
        char *p = strstr(bin, "/test/uvsim/");
        if (p)
            strcpy(p, "/uvsim");
        else
            snprintf(bin, sizeof bin, "build/uvsim");
    }
    if (!OK(tl_init() == 0, "shared vectors found (UVS_SHARED)") || !OK(access(bin, X_OK) == 0, "uvsim binary built"))
        return tap_done();
    snprintf(tmp, sizeof tmp, "/tmp/uvsim-cli-XXXXXX");
    if (!OK(mkdtemp(tmp) != NULL, "temporary directory"))
        return tap_done();
    test_mkhdr();
    test_sim_cmds();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", tmp);
    uvs_rng_free(&tl_rng);
    return tap_done();
}
