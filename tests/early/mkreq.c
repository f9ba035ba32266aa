/* Test helper: makes add-secret requests for the uvsecret-early tests with the request
 * builder (host-tools/request.c).
 *   mkreq --hdr HDR [--host CRT]... [--nks N] --type meta|cck|assoc|plain|aes256
 *         [--name NAME | --use-name NAME] [--secret TEXT] [--sign KEY]
 *         [--user-data TEXT | --policy FILE] [--toc-policy FILE] -o OUT
 * Defaults: host key certificate $UVS_SHARED/vectors/pki/host.crt.  Exit 0 or 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../host/req_util.h"
#include "hex.h"
#include "request.h"
#include "sehdr.h"

static uint8_t hdrbuf[1 << 20], out[ASR_LARGEST_VALID], pol[1 << 16];
static uint8_t hosts[255][160];

static int die(const char *m, const char *a)
{
    fprintf(stderr, "mkreq: %s%s%s\n", m, a ? ": " : "", a ? a : "");
    return 2;
}

int main(int argc, char **argv)
{
    const char *hdr = NULL, *type = "assoc", *name = NULL, *use_name = NULL, *secret = NULL;
    const char *sign = NULL, *user_data = NULL, *policy = NULL, *toc = NULL, *o = NULL;
    const char *host_paths[16];
    size_t nhost_paths = 0, nks = 1, n, len;
    struct sehdr_view hv;
    struct asr_request_params p;
    struct uvs_rng rng;
    mbedtls_pk_context key;
    uint8_t tags[ASR_TAGS_LEN], id[32], sec[ASR_PLAIN_MAX_LEN], ud[512];
    char err[REQ_ERR_MAX];

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return die("missing value for", a);
        i++;
        if (!strcmp(a, "--hdr")) hdr = v;
        else if (!strcmp(a, "--host") && nhost_paths < 16) host_paths[nhost_paths++] = v;
        else if (!strcmp(a, "--nks")) nks = strtoul(v, NULL, 10);
        else if (!strcmp(a, "--type")) type = v;
        else if (!strcmp(a, "--name")) name = v;
        else if (!strcmp(a, "--use-name")) use_name = v;
        else if (!strcmp(a, "--secret")) secret = v;
        else if (!strcmp(a, "--sign")) sign = v;
        else if (!strcmp(a, "--user-data")) user_data = v;
        else if (!strcmp(a, "--policy")) policy = v;
        else if (!strcmp(a, "--toc-policy")) toc = v;
        else if (!strcmp(a, "-o")) o = v;
        else return die("unknown option", a);
    }
    if (!hdr || !o)
        return die("--hdr and -o are required", NULL);
    if (nhost_paths == 0)
        host_paths[nhost_paths++] = req_shared("vectors/pki/host.crt");
    if (nks < 1 || nks > 255)
        return die("bad --nks", NULL);
    n = req_slurp(hdr, hdrbuf, sizeof(hdrbuf));
    if (n == (size_t)-1 || sehdr_locate(hdrbuf, n, &hv) != SEHDR_OK)
        return die("cannot read the SE header", hdr);
    memcpy(tags, hv.pld, 64);
    memcpy(tags + 64, hv.ald, 64);
    memcpy(tags + 128, hv.tld, 64);
    memcpy(tags + 192, hv.tag, 16);
    for (size_t i = 0; i < nks; i++)
        if (req_cert_coords(host_paths[i % nhost_paths], hosts[i]) != 0)
            return die("cannot read host key certificate", host_paths[i % nhost_paths]);
    if (uvs_rng_init(&rng) != 0)
        return die("rng", NULL);
    memset(&p, 0, sizeof(p));
    p.tags = tags;
    p.host_keys = (const uint8_t (*)[160])hosts;
    p.n_host_keys = nks;
    if (use_name)
        asr_id_from_name(use_name, strlen(use_name), id);
    else
        uvs_sha256(name ? name : "mkreq", strlen(name ? name : "mkreq"), id);
    p.id = id;
    if (!strcmp(type, "meta")) {
        p.secret_type = ASR_T_NULL;
    } else if (!strcmp(type, "assoc") || !strcmp(type, "aes256") || !strcmp(type, "cck")) {
        /* 32 bytes: --secret of 32 characters, else random (cck: the new update-CCK key). */
        p.secret_type = !strcmp(type, "assoc") ? ASR_T_ASSOC : !strcmp(type, "cck") ? ASR_T_UPDATE_CCK : ASR_T_AES256;
        if (secret && strlen(secret) == 32)
            memcpy(sec, secret, 32);
        else
            uvs_random(&rng, sec, 32);
        p.secret = sec;
        p.secret_len = 32;
    } else if (!strcmp(type, "plain")) {
        const char *s = secret ? secret : "secret";
        p.secret_type = ASR_T_PLAIN;
        p.secret_len = (uint32_t)asr_plain_encode((const uint8_t *)s, strlen(s), sec, sizeof(sec));
        p.secret = sec;
    } else {
        return die("unknown type", type);
    }
    if (user_data) {
        p.user_msg = (const uint8_t *)user_data;
        p.user_msg_len = strlen(user_data);
        p.user_unsigned = 1;
    }
    if (policy) {
        size_t pl = req_slurp(policy, pol, sizeof(pol));
        const char *base = strrchr(policy, '/');
        base = base ? base + 1 : policy;
        if (pl == (size_t)-1)
            return die("cannot read policy", policy);
        memset(ud, 0, sizeof(ud));
        uvs_sha256(pol, pl, ud);
        memcpy(ud + 32, base, strlen(base) < 480 ? strlen(base) : 480);
        p.user_msg = ud;
        p.user_msg_len = 512;
        p.user_unsigned = 1;
    }
    mbedtls_pk_init(&key);
    if (sign) {
        if (req_parse_keyfile(&key, sign, &rng) != 0)
            return die("cannot read signing key", sign);
        p.sign_key = &key;
        p.user_unsigned = 0;
    }
    if (asr_request_build(&rng, &p, NULL, out, sizeof(out), &len, err) != 0)
        return die("build", err);
    if (toc) {
        FILE *f = fopen(toc, "a");
        char hex[33];
        hex_encode(out + len - 16, 16, hex);
        if (!f || fprintf(f, "%s\n", hex) < 0 || fclose(f) != 0)
            return die("cannot append to", toc);
    }
    {
        FILE *f = fopen(o, "wb");
        if (!f || fwrite(out, 1, len, f) != len || fclose(f) != 0)
            return die("cannot write", o);
    }
    mbedtls_pk_free(&key);
    uvs_rng_free(&rng);
    return 0;
}
