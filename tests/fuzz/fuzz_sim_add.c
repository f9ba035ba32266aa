/* libFuzzer target: the simulator's add-secret path, through the kernel layer
 * (uvsim_ioctl ADD_SECRET), on an arbitrary request against sehdr/test_hdr_plain.hdr
 * opened with pki/host.key.  The store starts empty for every input (a reboot) and
 * is listed afterwards; the ioctl must answer, never crash. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_host_tmp.h"
#include "uvabi.h"
#include "uvsim.h"

static struct uvsim *sim;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static char key[512];
    const char *keys[1] = { key };
    char err[512];

    (void)argc;
    (void)argv;
    snprintf(key, sizeof(key), "%s", fuzz_vector("pki/host.key"));
    sim = uvsim_open(fuzz_vector("sehdr/test_hdr_plain.hdr"), keys, 1, NULL, err, sizeof(err));
    if (sim == NULL) {
        fprintf(stderr, "fuzz_sim_add: %s\n", err);
        abort();
    }
    return 0;
}

static int ioctl_arg(unsigned long nr, void *arg, size_t len, struct uvio_ioctl_cb *cb)
{
    memset(cb, 0, sizeof(*cb));
    cb->argument_addr = (uint64_t)(uintptr_t)arg;
    cb->argument_len = (uint32_t)len;
    return uvsim_ioctl(sim, nr, cb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t page[UVIO_LIST_SECRETS_LEN];
    struct uvio_ioctl_cb cb;
    struct uvsim_status st;
    char err[512];
    uint8_t *copy;
    int r;

    if (size > UVIO_ADD_SECRET_MAX_LEN + 1)
        return 0;
    if (uvsim_reboot(sim, err, sizeof(err)) != 0)
        abort();
    copy = malloc(size ? size : 1);
    if (copy == NULL)
        abort();
    memcpy(copy, data, size);
    r = ioctl_arg(UVIO_IOCTL_ADD_SECRET, copy, size, &cb);
    if (r != 0 && r != -EINVAL && r != -EFAULT && r != -ENOMEM)
        abort();
    uvsim_get_status(sim, &st);
    /* Only an accepted request changes the store. */
    if ((r != 0 || cb.uv_rc != 0x0001) && (st.n_accepted != 0 || st.n_secrets != 0))
        abort();
    if (ioctl_arg(UVIO_IOCTL_LIST_SECRETS, page, sizeof(page), &cb) != 0 || cb.uv_rc != 0x0001)
        abort();
    free(copy);
    return 0;
}
