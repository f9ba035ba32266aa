/* Opening an SE header the UV way (SEH §10) and building one (SEH §9). */
#include "sim.h"

#include <stdio.h>
#include <string.h>

#include "be.h"
#include "sehdr.h"

#define SCF_KNOWN (SEHDR_SCF_CCK_EXT | SEHDR_SCF_CCK_UPDATE)

enum sim_hdr_rc sim_hdr_open(struct uvs_rng *rng, const uint8_t *buf, size_t len,
                             const uint8_t priv[UVS_P521_SCALAR_LEN], const uint8_t pub[UVS_P521_PUB_LEN],
                             struct sim_guest *g, char *err, size_t err_len)
{
    struct sehdr_view v;
    enum sehdr_err e = sehdr_locate(buf, len, &v);
    if (e == SEHDR_OK)
        e = sehdr_check_v1(&v);
    if (e != SEHDR_OK) {
        snprintf(err, err_len, "malformed SE header: %s", sehdr_strerror(e));
        return SIM_HDR_BAD;
    }
    if (!uvs_p521_pub_valid(v.cust_key)) {
        snprintf(err, err_len, "SE header: customer key is not a P-521 point");
        return SIM_HDR_BAD;
    }
    uint8_t phkh[32];
    uvs_phkh(pub, phkh);
    size_t slot = (size_t)v.nks;
    for (size_t i = 0; i < (size_t)v.nks; i++) {
        if (memcmp(v.hdr + SEHDR_OFF_KEYSLOTS + SEHDR_KEYSLOT_LEN * i, phkh, 32) == 0) {
            slot = i;
            break;
        }
    }
    if (slot == (size_t)v.nks) {
        snprintf(err, err_len, "SE header: no keyslot for this host key");
        return SIM_HDR_NO_SLOT;
    }
    uint8_t prot[32], plain[SEHDR_ENC_LEN];
    if (uvs_keyslot_unwrap(rng, priv, UVS_P521_SCALAR_LEN, v.cust_key,
                           v.hdr + SEHDR_OFF_KEYSLOTS + SEHDR_KEYSLOT_LEN * slot, prot) != 0) {
        snprintf(err, err_len, "SE header: keyslot %zu does not unwrap", slot);
        return SIM_HDR_BAD;
    }
    size_t e_off = SEHDR_OFF_KEYSLOTS + SEHDR_KEYSLOT_LEN * (size_t)v.nks;
    int rc = uvs_gcm_decrypt(prot, v.iv, 12, v.hdr, e_off, v.hdr + e_off, SEHDR_ENC_LEN, plain, v.tag);
    uvs_wipe(prot, sizeof prot);
    if (rc != 0) {
        snprintf(err, err_len, "SE header: authentication failed (GCM tag)");
        return SIM_HDR_BAD;
    }
    uint64_t scf = be64_load(plain + SEHDR_ENC_SCF);
    uint32_t noi = be32_load(plain + SEHDR_ENC_NOI), resv = be32_load(plain + SEHDR_ENC_NOI + 4);
    const char *why = NULL;
    if (noi != 0 || resv != 0)
        why = "optional items or reserved word not zero";
    else if (scf & ~SCF_KNOWN)
        why = "unknown SCF bits";
    else if ((scf & SCF_KNOWN) == SCF_KNOWN)
        why = "SCF sets both CCK extension secret and CCK update";
    if (why) {
        uvs_wipe(plain, sizeof plain);
        snprintf(err, err_len, "SE header: %s", why);
        return SIM_HDR_BAD;
    }
    memset(g, 0, sizeof *g);
    sehdr_boot_tags(&v, g->tags);
    memcpy(g->hdr_tag, v.tag, 16);
    memcpy(g->cck, plain + SEHDR_ENC_CCK, 32);
    g->scf = scf;
    g->pcf = v.pcf;
    g->slot = (unsigned)slot;
    uvs_wipe(plain, sizeof plain);
    return SIM_HDR_OK;
}

int sim_mkhdr(struct uvs_rng *rng, const struct sim_mkhdr_params *p, uint8_t *out, size_t cap,
              size_t *out_len, char *err, size_t err_len)
{
    if (p->nks == 0 || sehdr_v1_size(p->nks) > SEHDR_MAX_SIZE) {
        snprintf(err, err_len, "need 1..95 host keys, got %zu", p->nks);
        return -1;
    }
    if ((p->scf & ~SCF_KNOWN) || (p->scf & SCF_KNOWN) == SCF_KNOWN) {
        snprintf(err, err_len, "invalid SCF %016llx", (unsigned long long)p->scf);
        return -1;
    }
    size_t size = sehdr_v1_size(p->nks);
    if (cap < size) {
        snprintf(err, err_len, "output buffer too small");
        return -1;
    }
    uint8_t cust_priv[UVS_P521_SCALAR_LEN], cust_pub[UVS_P521_PUB_LEN], prot[32], iv[12];
    uint8_t plain[SEHDR_ENC_LEN];
    int rc = -1;
    memset(plain, 0, sizeof plain);
    memset(out, 0, size);

    const uint8_t *cpriv = cust_priv;
    size_t cpriv_len = sizeof cust_priv;
    if (p->cust_priv) {
        cpriv = p->cust_priv;
        cpriv_len = p->cust_priv_len;
        if (uvs_p521_pub_from_priv(cpriv, cpriv_len, cust_pub) != 0) {
            snprintf(err, err_len, "invalid fixed customer key");
            goto out;
        }
    } else if (uvs_p521_keygen(rng, cust_priv, cust_pub) != 0) {
        snprintf(err, err_len, "P-521 key generation failed");
        goto out;
    }
    if (p->prot_key)
        memcpy(prot, p->prot_key, 32);
    if (p->iv)
        memcpy(iv, p->iv, 12);
    if ((!p->prot_key && uvs_random(rng, prot, 32) != 0) || (!p->iv && uvs_random(rng, iv, 12) != 0)) {
        snprintf(err, err_len, "random generator failed");
        goto out;
    }

    memcpy(out, SEHDR_MAGIC, SEHDR_MAGIC_LEN);
    be32_store(out + SEHDR_OFF_VERSION, SEHDR_VERSION);
    be32_store(out + SEHDR_OFF_SIZE, (uint32_t)size);
    memcpy(out + SEHDR_OFF_IV, iv, 12);
    be64_store(out + SEHDR_OFF_NKS, p->nks);
    be64_store(out + SEHDR_OFF_SEA, SEHDR_ENC_LEN);
    be64_store(out + SEHDR_OFF_NEP, p->nep);
    be64_store(out + SEHDR_OFF_PCF, p->pcf);
    memcpy(out + SEHDR_OFF_CUSTKEY, cust_pub, UVS_P521_PUB_LEN);
    const uint8_t *const dig[3] = { p->pld, p->ald, p->tld };
    const size_t dig_off[3] = { SEHDR_OFF_PLD, SEHDR_OFF_ALD, SEHDR_OFF_TLD };
    for (int i = 0; i < 3; i++) {
        if (dig[i])
            memcpy(out + dig_off[i], dig[i], 64);
        else if (uvs_random(rng, out + dig_off[i], 64) != 0) {
            snprintf(err, err_len, "random generator failed");
            goto out;
        }
    }
    for (size_t i = 0; i < p->nks; i++) {
        if (uvs_keyslot_wrap(rng, cpriv, cpriv_len, p->host_keys[i], prot,
                             out + SEHDR_OFF_KEYSLOTS + SEHDR_KEYSLOT_LEN * i) != 0) {
            snprintf(err, err_len, "host key %zu: not a valid P-521 key", i + 1);
            goto out;
        }
    }
    if (p->cck)
        memcpy(plain + SEHDR_ENC_CCK, p->cck, 32);
    else if (uvs_random(rng, plain + SEHDR_ENC_CCK, 32) != 0)
        goto rngfail;
    if (p->image_key)
        memcpy(plain + SEHDR_ENC_IMGKEY, p->image_key, 64);
    else if (uvs_random(rng, plain + SEHDR_ENC_IMGKEY, 64) != 0)
        goto rngfail;
    be64_store(plain + SEHDR_ENC_PSW_MASK, p->psw_mask);
    be64_store(plain + SEHDR_ENC_PSW_ADDR, p->psw_addr);
    be64_store(plain + SEHDR_ENC_SCF, p->scf);
    size_t e_off = SEHDR_OFF_KEYSLOTS + SEHDR_KEYSLOT_LEN * p->nks;
    if (uvs_gcm_encrypt(prot, iv, 12, out, e_off, plain, SEHDR_ENC_LEN, out + e_off,
                        out + e_off + SEHDR_ENC_LEN) != 0) {
        snprintf(err, err_len, "AES-GCM failed");
        goto out;
    }
    *out_len = size;
    rc = 0;
    goto out;
rngfail:
    snprintf(err, err_len, "random generator failed");
out:
    uvs_wipe(cust_priv, sizeof cust_priv);
    uvs_wipe(prot, sizeof prot);
    uvs_wipe(plain, sizeof plain);
    if (rc != 0)
        uvs_wipe(out, size);
    return rc;
}
