/* SE header side of the simulator: opening the shared test headers with the PKI host
 * keys (CCK, SCF, PCF, tag as the vectors README lists them), refusing wrong keys and
 * tampered headers, and the header maker (byte-exact against the reference builder
 * vector and the generated test header; random headers open again, also inside an
 * SE image). */
#include "tap.h"
#include "testlib.h"

#include "hex.h"

static struct uvsim *open1(const char *hdr, const char *key, char *err)
{
    const char *keys[1] = { key };
    return uvsim_open(hdr, keys, 1, NULL, err, SIM_ERR_MAX);
}

static void check_vector(const char *name, const char *key, uint8_t cck_byte, uint64_t pcf, uint64_t scf,
                         const char *tag_hex)
{
    char err[SIM_ERR_MAX], what[256];
    struct uvsim *sim = open1(tl_shared(name), tl_shared(key), err);
    snprintf(what, sizeof what, "%s opens with %s", name, key);
    if (!OK(sim, what)) {
        printf("# %s\n", err);
        return;
    }
    struct uvsim_status st;
    uint8_t cck[32], want[32], tag[16];
    uvsim_get_status(sim, &st);
    uvsim_get_cck(sim, cck);
    tl_fill(want, cck_byte, 32);
    hex_decode_exact(tag_hex, tag, 16, 0);
    snprintf(what, sizeof what, "%s: CCK recovered", name);
    EQ_MEM(cck, want, 32, what);
    snprintf(what, sizeof what, "%s: PCF", name);
    EQ_INT(st.pcf, pcf, what);
    snprintf(what, sizeof what, "%s: SCF", name);
    EQ_INT(st.scf, scf, what);
    snprintf(what, sizeof what, "%s: header tag", name);
    EQ_MEM(st.hdr_tag, tag, 16, what);
    snprintf(what, sizeof what, "%s: dump allowed iff PCF bit 34", name);
    EQ_INT(st.dump_allowed, !!(pcf & SEHDR_PCF_ALLOW_DUMP), what);
    uvsim_close(sim);
}

static void test_vectors(void)
{
    check_vector("vectors/sehdr/test_hdr_plain.hdr", "vectors/pki/host.key", 0x67, 0x200000E0, 0,
                 "f3a8318427e80fa0edd4389abbb134ad");
    check_vector("vectors/sehdr/test_hdr_cckext.hdr", "vectors/pki/host.key", 0x66, 0xE0, SEHDR_SCF_CCK_EXT,
                 "7083ab2ae8aedd087e5114933924736c");
    check_vector("vectors/sehdr/test_hdr_cckext.hdr", "vectors/pki/host2.key", 0x66, 0xE0, SEHDR_SCF_CCK_EXT,
                 "7083ab2ae8aedd087e5114933924736c");

    char err[SIM_ERR_MAX];
    struct uvsim *sim = open1(tl_shared("vectors/sehdr/test_hdr_plain.hdr"), tl_shared("vectors/pki/host2.key"), err);
    OK(!sim && strstr(err, "no keyslot"), "test_hdr_plain.hdr refuses host2.key (no keyslot)");
    uvsim_close(sim);
    sim = open1(tl_shared("vectors/sehdr/test_hdr_cckext.hdr"), tl_shared("vectors/pki/fake_host.key"), err);
    OK(!sim, "test_hdr_cckext.hdr refuses fake_host.key");
    uvsim_close(sim);
    sim = open1(tl_shared("vectors/sehdr/secure_guest.hdr"), tl_shared("vectors/pki/host.key"), err);
    OK(!sim, "secure_guest.hdr cannot be opened with any test key");
    uvsim_close(sim);
    sim = open1(tl_shared("vectors/sehdr/test_hdr_plain.hdr"), tl_shared("vectors/pki/host.crt"), err);
    OK(!sim && strstr(err, "host.crt"), "a certificate is not a host private key (error names the file)");
    uvsim_close(sim);
    /* Key order: the second key opens it, the first one is kept as a backup key. */
    const char *two[2] = { tl_shared("vectors/pki/host2.key"), tl_shared("vectors/pki/host.key") };
    sim = uvsim_open(tl_shared("vectors/sehdr/test_hdr_plain.hdr"), two, 2, NULL, err, sizeof err);
    OK(sim, "the first matching key of several opens the header");
    uvsim_close(sim);
}

/* Every byte region of a header, flipped, makes it unopenable. */
static void test_tamper(void)
{
    size_t len;
    uint8_t *hdr = tl_load(tl_shared("vectors/sehdr/test_hdr_plain.hdr"), &len);
    uint8_t priv[UVS_P521_SCALAR_LEN], pub[UVS_P521_PUB_LEN];
    char err[SIM_ERR_MAX];
    if (!OK(hdr && sim_load_host_key(tl_shared("vectors/pki/host.key"), priv, pub, err, sizeof err) == 0,
            "load test header and key"))
        return;
    static const struct {
        size_t off;
        const char *what;
    } spots[] = {
        { 0x000, "magic" },   { 0x00B, "version" },  { 0x00F, "size" },      { 0x010, "IV" },
        { 0x027, "nks" },     { 0x02F, "sea" },      { 0x037, "nep" },       { 0x03F, "PCF" },
        { 0x060, "cust key" }, { 0x0E0, "PLD" },     { 0x120, "ALD" },       { 0x160, "TLD" },
        { 0x1A0, "keyslot PHKH" }, { 0x1C8, "keyslot key" }, { 0x1E8, "keyslot tag" },
        { 0x1F0, "encrypted CCK" }, { 0x260, "encrypted SCF" }, { 0x270, "header tag" },
    };
    struct sim_guest g;
    EQ_INT(sim_hdr_open(&tl_rng, hdr, len, priv, pub, &g, err, sizeof err), SIM_HDR_OK, "untouched header opens");
    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
        char what[128];
        hdr[spots[i].off] ^= 0x01;
        enum sim_hdr_rc rc = sim_hdr_open(&tl_rng, hdr, len, priv, pub, &g, err, sizeof err);
        hdr[spots[i].off] ^= 0x01;
        snprintf(what, sizeof what, "flipped %s byte: header refused", spots[i].what);
        OK(rc != SIM_HDR_OK, what);
    }
    EQ_INT(sim_hdr_open(&tl_rng, hdr, len - 1, priv, pub, &g, err, sizeof err), SIM_HDR_BAD, "truncated header refused");
    free(hdr);
    uvs_wipe(priv, sizeof priv);
}

static void test_builder(void)
{
    size_t len, cl;
    uint8_t host[160], out[SEHDR_MAX_SIZE], prot[32], iv[12], cck[32], img[64], pld[64], ald[64], tld[64];
    char err[SIM_ERR_MAX];
    uint8_t *want = tl_load(tl_shared("vectors/sehdr/builder_test_hostpem.hdr"), &len);
    uint8_t *cust = tl_load(tl_shared("vectors/asrcb/private_cust.bin"), &cl);
    if (!OK(want && cust && tl_cert(tl_shared("vectors/asrcb/host.pem.crt"), host) == 0, "builder inputs load"))
        return;
    tl_fill(prot, 0x32, 32);
    tl_fill(iv, 0x33, 12);
    tl_fill(cck, 0x31, 32);
    tl_fill(img, 0x03, 64);
    tl_fill(pld, 0x02, 64);
    tl_fill(ald, 0x01, 64);
    tl_fill(tld, 0x03, 64);
    const uint8_t(*keys)[160] = (const uint8_t(*)[160])host;
    struct sim_mkhdr_params p = { keys, 1, cck, img, pld, ald, tld, 1, 0, 0, 5678, 1234, cust, cl, prot, iv };
    size_t olen = 0;
    int rc = sim_mkhdr(&tl_rng, &p, out, sizeof out, &olen, err, sizeof err);
    OK(rc == 0 && olen == len, "builder: reference builder_test inputs give 640 bytes");
    EQ_MEM(out, want, len, "builder: byte-exact pvimg builder_test_hostpem.hdr");
    free(want);

    /* test_hdr_plain.hdr from the parameters in the sehdr README. */
    want = tl_load(tl_shared("vectors/sehdr/test_hdr_plain.hdr"), &len);
    if (!OK(want && tl_cert(tl_shared("vectors/pki/host.crt"), host) == 0, "plain header inputs load"))
        return;
    tl_fill(prot, 0x45, 32);
    tl_fill(iv, 0x56, 12);
    tl_fill(cck, 0x67, 32);
    tl_fill(img, 0x77, 32);
    tl_fill(img + 32, 0x88, 32);
    hex_decode_exact("bc3184a960c8a13b24b4670ae7e3495984679dc44725db17c8ecbbf83bba4a1f"
                     "808bdb80569da7124b91f30ebf0f8af8453fed2241d4bd9dc92a91ec7dc982f2", pld, 64, 0);
    hex_decode_exact("05839898db0c7ec78f8d2622d35f06109de24cba9069d2253601b1ee46ccb34e"
                     "2b9fa75afc0b23f25f76f6e51fca4cc54c8f85c2224181f6cf82bca9fd445c82", ald, 64, 0);
    hex_decode_exact("76c9fd365f092376d6cb3b8849f3ed82d86e6c4e65b338e78fac7d3e71556c28"
                     "18cecece449c102ee2f38e4d0b38eba3373f510cdfd399151d041c4f10d9444e", tld, 64, 0);
    struct sim_mkhdr_params q = { keys, 1, cck, img, pld, ald, tld, 1, 0x200000E0, 0, 0x0000000180000000ull,
                                  0x14000, cust, cl, prot, iv };
    rc = sim_mkhdr(&tl_rng, &q, out, sizeof out, &olen, err, sizeof err);
    OK(rc == 0 && olen == len, "builder: test_hdr_plain parameters give 640 bytes");
    EQ_MEM(out, want, len, "builder: byte-exact test_hdr_plain.hdr");
    free(want);
    free(cust);

    /* Refusals (se-header.md §9). */
    struct sim_mkhdr_params r = { 0 };
    r.host_keys = keys;
    r.nks = 1;
    r.scf = SEHDR_SCF_CCK_EXT | SEHDR_SCF_CCK_UPDATE;
    OK(sim_mkhdr(&tl_rng, &r, out, sizeof out, &olen, err, sizeof err) != 0, "builder refuses SCF bits 1 and 2 together");
    r.scf = 1;
    OK(sim_mkhdr(&tl_rng, &r, out, sizeof out, &olen, err, sizeof err) != 0, "builder refuses unknown SCF bits");
    r.scf = 0;
    r.nks = 0;
    OK(sim_mkhdr(&tl_rng, &r, out, sizeof out, &olen, err, sizeof err) != 0, "builder refuses zero host keys");
    r.nks = 96;
    OK(sim_mkhdr(&tl_rng, &r, out, sizeof out, &olen, err, sizeof err) != 0, "builder refuses 96 host keys");

    /* Random header for two hosts opens with each; SCF and CCK come back. */
    uint8_t two[2][160], priv[66], pub[160];
    if (!OK(tl_cert(tl_shared("vectors/pki/host.crt"), two[0]) == 0 &&
                tl_cert(tl_shared("vectors/pki/host2.crt"), two[1]) == 0,
            "host certificates load"))
        return;
    tl_fill(cck, 0x5A, 32);
    struct sim_mkhdr_params s = { 0 };
    s.host_keys = (const uint8_t(*)[160])two;
    s.nks = 2;
    s.cck = cck;
    s.scf = SEHDR_SCF_CCK_UPDATE;
    rc = sim_mkhdr(&tl_rng, &s, out, sizeof out, &olen, err, sizeof err);
    OK(rc == 0 && olen == 720, "builder: random two-host header of 720 bytes");
    const char *keyfiles[2] = { "vectors/pki/host.key", "vectors/pki/host2.key" };
    for (int k = 0; k < 2; k++) {
        struct sim_guest g;
        char what[96];
        sim_load_host_key(tl_shared(keyfiles[k]), priv, pub, err, sizeof err);
        rc = sim_hdr_open(&tl_rng, out, olen, priv, pub, &g, err, sizeof err);
        snprintf(what, sizeof what, "random header opens with %s, CCK and SCF back", keyfiles[k]);
        OK(rc == SIM_HDR_OK && !memcmp(g.cck, cck, 32) && g.scf == SEHDR_SCF_CCK_UPDATE && g.slot == (unsigned)k,
           what);
    }
    /* The same header inside an SE image (metadata at 0xC000, header at 0x14000). */
    size_t ilen = 0x14000 + olen;
    uint8_t *image = calloc(1, ilen);
    memcpy(image, "SeImgLnx", 8);  /* a decoy magic at 0: only 0xC000 counts */
    memcpy(image + 0xC000, "SeImgLnx", 8);
    be64_store(image + 0xC008, 0x14000);
    be32_store(image + 0xC010, 1);
    memcpy(image + 0x14000, out, olen);
    struct sim_guest g;
    rc = sim_hdr_open(&tl_rng, image, ilen, priv, pub, &g, err, sizeof err);
    OK(rc == SIM_HDR_OK && !memcmp(g.cck, cck, 32), "header inside an SE image opens");
    free(image);
    uvs_wipe(priv, sizeof priv);
}

int main(void)
{
    if (!OK(tl_init() == 0, "shared vectors found (UVS_SHARED)"))
        return tap_done();
    test_vectors();
    test_tamper();
    test_builder();
    uvs_rng_free(&tl_rng);
    return tap_done();
}
