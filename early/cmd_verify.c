/* verify REQUEST [--signer CERT|KEY] [-o FILE]: structure (ASR §12) and the user-data
 * signature (ASR §10.4); writes the user data like `pvsecret verify`. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "asr.h"
#include "cmd.h"
#include "sig.h"
#include "util.h"

static uint8_t vreq[ASR_LARGEST_VALID];
static uint8_t keyfile[SIG_FILE_MAX];
static struct sig_key vkeys[SIG_MAX_KEYS];

int cmd_verify(int argc, char **argv, const struct gopts *g)
{
    const char *input = NULL, *signer = NULL, *out_path = NULL, *why;
    struct asr_view v;
    size_t len, nkeys = 0, out_len = 0;
    enum asr_err e;
    int miss;
    (void)g;

    for (int i = 1; i < argc; i++) {
        const char *val;
        if (cmd_is_help(argv[i]))
            return cmd_help("verify");
        if ((val = cmd_optval(argc, argv, &i, "--signer", &miss)) != NULL ||
            (!miss && (val = cmd_optval(argc, argv, &i, "--user-cert", &miss)) != NULL))
            signer = val;
        else if (!miss && ((val = cmd_optval(argc, argv, &i, "-o", &miss)) != NULL ||
                           (!miss && (val = cmd_optval(argc, argv, &i, "--output", &miss)) != NULL)))
            out_path = val;
        else if (miss)
            return cmd_usage_error("verify", "option '%s' needs a value", argv[i]);
        else if ((argv[i][0] != '-' || argv[i][1] == 0) && !input)
            input = argv[i];
        else
            return cmd_bad_arg("verify", argv[i]);
    }
    if (!input)
        return cmd_usage_error("verify", "missing REQUEST");
    if (cmd_read_input(input, vreq, sizeof(vreq), &len) != 0)
        return 1;
    e = asr_parse(vreq, len, &v);
    if (e != ASR_OK) {
        msg("%s: %s", input, asr_strerror(e));
        return 1;
    }
    if (signer) {
        size_t klen;
        if (read_file_safe(AT_FDCWD, signer, keyfile, sizeof(keyfile), &klen, &why) != 0) {
            msg("%s: %s", signer, why);
            return 1;
        }
        if (sig_load_keys(keyfile, klen, vkeys, SIG_MAX_KEYS, &nkeys, &why) < 0) {
            wipe(keyfile, sizeof(keyfile));
            msg("%s: %s", signer, why);
            return 1;
        }
        wipe(keyfile, sizeof(keyfile));
    }
    switch (v.ud_type) {
    case ASR_UD_NONE:
        break;
    case ASR_UD_UNSIGNED:
        if (signer) {
            char kn[32];
            sig_key_name(&vkeys[0], kn);
            msg("%s: Provided user-data key type (%s) does not match with the user-data (%s)",
                input, kn, asr_ud_kind_name(v.ud_type));
            return 1;
        }
        out_len = ASR_USER_LEN;
        break;
    default:
        if (!signer) {
            msg("%s: No user-key for verification provided and user-data is signed", input);
            return 1;
        }
        if (sig_key_ud_type(&vkeys[0]) != (int)v.ud_type) {
            char kn[32];
            sig_key_name(&vkeys[0], kn);
            msg("%s: Provided user-data key type (%s) does not match with the user-data (%s)",
                input, kn, asr_ud_kind_name(v.ud_type));
            return 1;
        }
        if (sig_verify_request(&v, &vkeys[0], &why) != 0) {
            msg("%s: The user-defined request signature could not be verified with the "
                "provided certificate",
                input);
            return 1;
        }
        out_len = asr_ud_capacity(v.ud_type);
        break;
    }
    if (out_len) {
        int r;
        if (!out_path || strcmp(out_path, "-") == 0)
            r = write_all(1, v.user_data, out_len);
        else
            r = write_file_atomic(out_path, v.user_data, out_len, 0644, 1);
        if (r != 0) {
            msg("%s: cannot write the user data", out_path ? out_path : "stdout");
            return 1;
        }
    }
    msg("Successfully verified the request.");
    return 0;
}
