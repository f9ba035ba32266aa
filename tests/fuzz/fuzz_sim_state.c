/* libFuzzer target: the simulator's state-file loader (STATE_DIR/uvsim.state) on
 * arbitrary bytes, bound to sehdr/test_hdr_plain.hdr opened with pki/host.key.  Input
 * not starting with the state magic gets the magic and the right header tag in front
 * (so the fuzzer reaches the body).  A loaded store is listed, every entry retrieved,
 * and it must save and load back to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_host_tmp.h"
#include "sim.h"
#include "uvabi.h"

#define MAGIC "UVSIMST1"

static struct sim_uv uv;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    uint8_t *hdr;
    size_t len;
    char err[SIM_ERR_MAX];

    (void)argc;
    (void)argv;
    if (uvs_rng_init(&uv.rng) != 0 ||
        sim_load_host_key(fuzz_vector("pki/host.key"), uv.host_priv, uv.host_pub, err, sizeof(err)) != 0 ||
        sim_read_file(fuzz_vector("sehdr/test_hdr_plain.hdr"), 65536, &hdr, &len, err, sizeof(err)) != 0 ||
        sim_hdr_open(&uv.rng, hdr, len, uv.host_priv, uv.host_pub, &uv.guest, err, sizeof(err)) != SIM_HDR_OK)
        abort();
    sim_free_file(hdr, len + 1);
    return 0;
}

static int load(struct sim_store *s)
{
    char err[SIM_ERR_MAX];
    int found = 0, r;

    sim_store_init(s);
    err[0] = '\0';
    r = sim_state_load(fuzz_tmpdir(), &uv.guest, s, &found, err, sizeof(err));
    if ((r == 0 && !found) || (r != 0 && err[0] == '\0'))
        abort();
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t page[UVIO_LIST_SECRETS_LEN];
    struct sim_store again;
    char err[SIM_ERR_MAX];
    uint8_t *file, *buf;
    size_t flen = size;

    if (size > 1u << 20)
        return 0;
    file = malloc(size + 24);
    if (file == NULL)
        abort();
    if (size >= 8 && memcmp(data, MAGIC, 8) == 0) {
        memcpy(file, data, size);
    } else {
        memcpy(file, MAGIC, 8);
        memcpy(file + 8, uv.guest.hdr_tag, 16);
        memcpy(file + 24, data, size);
        flen += 24;
    }
    fuzz_write("uvsim.state", file, flen);
    free(file);
    if (load(&uv.store) != 0) {
        sim_store_free(&uv.store);
        return 0;
    }
    for (uint32_t start = 0; start < uv.store.next_index && start < 0x10000; start += 85)
        (void)sim_list_page(&uv, (uint16_t)start, page);
    for (size_t i = 0; i < uv.store.n_entries; i++) {
        size_t n = uv.store.entries[i].list_len;
        buf = malloc(n ? n : 1);
        if (buf == NULL)
            abort();
        (void)sim_retrieve(&uv, uv.store.entries[i].index, buf, n);
        free(buf);
    }
    /* Round trip: what was loaded saves and loads back identically. */
    if (sim_state_save(fuzz_tmpdir(), &uv.guest, &uv.store, err, sizeof(err)) != 0 || load(&again) != 0 ||
        again.n_entries != uv.store.n_entries || again.n_stream != uv.store.n_stream ||
        again.next_index != uv.store.next_index || memcmp(again.cuid, uv.store.cuid, 16) != 0)
        abort();
    for (size_t i = 0; i < again.n_entries; i++)
        if (again.entries[i].value_len != uv.store.entries[i].value_len ||
            memcmp(again.entries[i].value, uv.store.entries[i].value, again.entries[i].value_len) != 0)
            abort();
    sim_store_free(&again);
    sim_store_free(&uv.store);
    return 0;
}
