/* Building an add-secret request (ASR §6.5, §10) and checking signed user data
 * (ASR §10.4) on mbedTLS.  Public mbedTLS API only; 2.28 and 3.x. */
#include "request.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/rsa.h>
#include <mbedtls/version.h>

#include "be.h"

/* Largest plaintext of the request GCM: an 8192-byte value and the extension secret. */
#define REQ_CONF_MAX (ASR_PLAIN_MAX_LEN + ASR_EXT_LEN)

static void req_err(char err[REQ_ERR_MAX], const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void req_err(char err[REQ_ERR_MAX], const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(err, REQ_ERR_MAX, fmt, ap);
    va_end(ap);
}

mbedtls_ecp_group_id asr_pk_ec_group(const mbedtls_pk_context *key)
{
    const mbedtls_ecp_keypair *ec;
    mbedtls_pk_type_t t = mbedtls_pk_get_type(key);

    /* mbedtls_pk_ec() of 2.28 casts whatever the context holds: check the type. */
    if (t != MBEDTLS_PK_ECKEY && t != MBEDTLS_PK_ECKEY_DH && t != MBEDTLS_PK_ECDSA)
        return MBEDTLS_ECP_DP_NONE;
    ec = mbedtls_pk_ec(*key);
    if (!ec)
        return MBEDTLS_ECP_DP_NONE;
#if MBEDTLS_VERSION_NUMBER >= 0x03050000
    return mbedtls_ecp_keypair_get_group_id(ec);
#elif MBEDTLS_VERSION_MAJOR >= 3
    return ec->MBEDTLS_PRIVATE(grp).id;
#else
    return ec->grp.id;
#endif
}

int asr_ud_type_for_key(const mbedtls_pk_context *key)
{
    if (!key)
        return -1;
    switch (mbedtls_pk_get_type(key)) {
    case MBEDTLS_PK_ECKEY:
    case MBEDTLS_PK_ECDSA:
        return asr_pk_ec_group(key) == MBEDTLS_ECP_DP_SECP521R1 ? ASR_UD_ECDSA_P521 : -1;
    case MBEDTLS_PK_RSA:
        if (mbedtls_pk_get_len(key) == 256)
            return ASR_UD_RSA2048;
        if (mbedtls_pk_get_len(key) == 384)
            return ASR_UD_RSA3072;
        return -1;
    default:
        return -1;
    }
}

const char *asr_ud_key_desc(int ud_type)
{
    switch (ud_type) {
    case ASR_UD_ECDSA_P521:
        return "EC secp521r1";
    case ASR_UD_RSA2048:
        return "RSA 2048";
    case ASR_UD_RSA3072:
        return "RSA 3072";
    default:
        return "unsupported";
    }
}

/* Start of the signature region inside the 512-byte area (ASR §10.2). */
static size_t sig_region_off(uint16_t ud_type)
{
    return asr_ud_capacity(ud_type);
}

/* SHA-512 over buf[0, n) with the signature region of the user-data area taken as
 * zero; buf itself is not modified. */
static int hash_signed_part(const uint8_t *buf, size_t n, uint16_t ud_type, uint8_t digest[64])
{
    static const uint8_t zeros[ASR_USER_LEN];
    const size_t rs = ASR_OFF_USER + sig_region_off(ud_type), re = ASR_OFF_USER + ASR_USER_LEN;
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type(MBEDTLS_MD_SHA512);
    mbedtls_md_context_t md;
    int rc;

    if (n < re)
        return -1;
    mbedtls_md_init(&md);
    rc = mbedtls_md_setup(&md, info, 0);
    if (rc == 0)
        rc = mbedtls_md_starts(&md);
    if (rc == 0)
        rc = mbedtls_md_update(&md, buf, rs);
    if (rc == 0)
        rc = mbedtls_md_update(&md, zeros, re - rs);
    if (rc == 0)
        rc = mbedtls_md_update(&md, buf + re, n - re);
    if (rc == 0)
        rc = mbedtls_md_finish(&md, digest);
    mbedtls_md_free(&md);
    return rc == 0 ? 0 : -1;
}

/* RSA keys sign and verify with PSS / MGF1-SHA-512 (ASR §10.2). */
static int rsa_use_pss(mbedtls_pk_context *key)
{
#if MBEDTLS_VERSION_MAJOR >= 3
    return mbedtls_rsa_set_padding(mbedtls_pk_rsa(*key), MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA512) == 0 ? 0 : -1;
#else
    mbedtls_rsa_set_padding(mbedtls_pk_rsa(*key), MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA512);
    return 0;
#endif
}

/* Signs the digest; writes the signature into the user-data area of out. */
static int sign_user_data(struct uvs_rng *rng, mbedtls_pk_context *key, uint16_t ud_type,
                          const uint8_t digest[64], uint8_t *area, char err[REQ_ERR_MAX])
{
    uint8_t sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
    size_t sig_len = 0;
    int rc;

    if (ud_type != ASR_UD_ECDSA_P521 && rsa_use_pss(key) != 0) {
        req_err(err, "cannot select RSA-PSS for the user-data signing key");
        return -1;
    }
#if MBEDTLS_VERSION_MAJOR >= 3
    rc = mbedtls_pk_sign(key, MBEDTLS_MD_SHA512, digest, 64, sig, sizeof(sig), &sig_len, uvs_rng_fn, rng);
#else
    rc = mbedtls_pk_sign(key, MBEDTLS_MD_SHA512, digest, 64, sig, &sig_len, uvs_rng_fn, rng);
#endif
    if (rc != 0) {
        req_err(err, "signing the user data failed (mbedTLS error -0x%04x)", (unsigned)-rc);
        return -1;
    }
    if (ud_type == ASR_UD_ECDSA_P521) {
        if (sig_len == 0 || sig_len > ASR_UD_ECDSA_SIG_MAX) {
            req_err(err, "ECDSA signature of %zu bytes does not fit %d bytes", sig_len, ASR_UD_ECDSA_SIG_MAX);
            return -1;
        }
        memcpy(area + ASR_UD_ECDSA_SIG_OFF, sig, sig_len);
        be16_store(area + ASR_UD_ECDSA_LEN_OFF, (uint16_t)sig_len);
    } else {
        if (sig_len != asr_ud_rsa_sig_len(ud_type)) {
            req_err(err, "RSA signature of %zu bytes, expected %zu", sig_len, asr_ud_rsa_sig_len(ud_type));
            return -1;
        }
        memcpy(area + sig_region_off(ud_type), sig, sig_len);
    }
    return 0;
}

/* Checks the parameters and lays out the 512-byte user-data area (message part only). */
static int layout_user_data(const struct asr_request_params *p, uint16_t *ud_type, uint8_t area[ASR_USER_LEN],
                            char err[REQ_ERR_MAX])
{
    size_t cap;
    int t;

    memset(area, 0, ASR_USER_LEN);
    if (p->user_msg_len && !p->user_msg) {
        req_err(err, "user data of %zu bytes without a buffer", p->user_msg_len);
        return -1;
    }
    if (p->sign_key && p->user_unsigned) {
        req_err(err, "unsigned user data and a user-data signing key exclude each other");
        return -1;
    }
    if (p->sign_key) {
        t = asr_ud_type_for_key(p->sign_key);
        if (t < 0) {
            req_err(err, "unsupported user-data signing key (EC secp521r1, RSA 2048 or RSA 3072 required)");
            return -1;
        }
    } else if (p->user_unsigned) {
        t = ASR_UD_UNSIGNED;
    } else {
        if (p->user_msg_len) {
            req_err(err, "user data given but neither unsigned nor signed");
            return -1;
        }
        *ud_type = ASR_UD_NONE;
        return 0;
    }
    cap = asr_ud_capacity((uint16_t)t);
    if (p->user_msg_len > cap) {
        req_err(err, "user data is %zu bytes; %s user data holds at most %zu bytes", p->user_msg_len,
                t == ASR_UD_UNSIGNED ? "unsigned" : asr_ud_key_desc(t), cap);
        return -1;
    }
    if (p->user_msg_len)
        memcpy(area, p->user_msg, p->user_msg_len);
    *ud_type = (uint16_t)t;
    return 0;
}

static int check_secret(const struct asr_request_params *p, char err[REQ_ERR_MAX])
{
    const struct asr_type_info *ti = asr_type_lookup(p->secret_type);
    char name[ASR_TYPE_NAME_MAX];

    if (!ti) {
        req_err(err, "unsupported secret type %s", asr_type_name(p->secret_type, name));
        return -1;
    }
    if (!asr_secret_len_valid(p->secret_type, p->secret_len)) {
        if (p->secret_type == ASR_T_PLAIN)
            req_err(err, "a plaintext secret value of %u bytes is invalid (multiple of 16 in 16..8192)",
                    (unsigned)p->secret_len);
        else
            req_err(err, "a %s secret value of %u bytes is invalid (expected %u bytes)",
                    ti->name ? ti->name : asr_type_name(p->secret_type, name), (unsigned)p->secret_len,
                    (unsigned)ti->len);
        return -1;
    }
    if (p->secret_len && !p->secret) {
        req_err(err, "secret value missing");
        return -1;
    }
    if (ti->listable && !p->id) {
        req_err(err, "secret ID missing for a %s secret", ti->name);
        return -1;
    }
    if (p->cck && p->ext_secret) {
        req_err(err, "an extension secret and a CCK exclude each other");
        return -1;
    }
    if (!p->tags) {
        req_err(err, "SE header tags missing");
        return -1;
    }
    return 0;
}

int asr_request_build(struct uvs_rng *rng, const struct asr_request_params *p,
                      const struct asr_fixed_random *fixed, uint8_t *out, size_t cap, size_t *out_len,
                      char err[REQ_ERR_MAX])
{
    uint8_t priv_buf[UVS_P521_SCALAR_LEN], prot_buf[ASR_KEY_LEN], iv_buf[ASR_IV_LEN];
    uint8_t area[ASR_USER_LEN], conf[REQ_CONF_MAX], tag[ASR_TAG_LEN], digest[64];
    const uint8_t *priv = priv_buf, *prot = prot_buf, *iv = iv_buf;
    size_t priv_len = sizeof(priv_buf), rql = 0, aad_len, conf_len;
    struct asr_fields f;
    uint16_t ud_type = ASR_UD_NONE;
    int rc = -1;

    if (out_len)
        *out_len = 0;
    if (err)
        err[0] = '\0';
    if (!p || !out || !out_len) {
        req_err(err, "invalid arguments");
        return -1;
    }
    if (p->n_host_keys == 0 || !p->host_keys) {
        req_err(err, "no host key");
        return -1;
    }
    if (p->n_host_keys > ASR_MAX_NKS) {
        req_err(err, "too many host keys (%zu; at most %d)", p->n_host_keys, ASR_MAX_NKS);
        return -1;
    }
    if (check_secret(p, err) != 0 || layout_user_data(p, &ud_type, area, err) != 0)
        return -1;
    rql = asr_request_len((unsigned)p->n_host_keys, p->secret_type, p->secret_len);
    aad_len = asr_aad_len((unsigned)p->n_host_keys, p->secret_type);
    if (rql == 0 || aad_len == 0) {
        req_err(err, "invalid request layout");
        return -1;
    }
    if (cap < rql) {
        req_err(err, "output buffer of %zu bytes is too small for a %zu-byte request", cap, rql);
        return -1;
    }
    for (size_t i = 0; i < p->n_host_keys; i++)
        if (!uvs_p521_pub_valid(p->host_keys[i])) {
            req_err(err, "host key %zu is not a valid P-521 public key", i + 1);
            return -1;
        }

    /* Per-request randomness (ASR §6.1), or the injected test values. */
    if (fixed && fixed->cust_priv) {
        priv = fixed->cust_priv;
        priv_len = fixed->cust_priv_len;
    }
    if (fixed && fixed->prot_key)
        prot = fixed->prot_key;
    if (fixed && fixed->iv)
        iv = fixed->iv;
    if ((prot == prot_buf && uvs_random(rng, prot_buf, sizeof(prot_buf)) != 0) ||
        (iv == iv_buf && uvs_random(rng, iv_buf, sizeof(iv_buf)) != 0)) {
        req_err(err, "random number generator failed");
        goto out;
    }

    memset(&f, 0, sizeof(f));
    f.ud_type = ud_type;
    f.nks = (uint8_t)p->n_host_keys;
    f.flags = p->flags;
    f.tags = p->tags;
    f.cuid = p->cuid;
    f.user_data = area;
    f.iv = iv;
    f.secret_type = p->secret_type;
    f.secret_len = p->secret_len;
    f.id = p->id;
    if (asr_write_aad(out, cap, &f) != ASR_OK) {
        req_err(err, "cannot lay out the request");
        goto out;
    }

    /* Customer key pair and keyslots (ASR §3.4, §3.5, §6.2, §6.3). */
    if (priv == priv_buf) {
        if (uvs_p521_keygen(rng, priv_buf, out + ASR_OFF_CUSTKEY) != 0) {
            req_err(err, "cannot generate the customer key");
            goto out;
        }
    } else if (uvs_p521_pub_from_priv(priv, priv_len, out + ASR_OFF_CUSTKEY) != 0) {
        req_err(err, "invalid customer private key");
        goto out;
    }
    for (size_t i = 0; i < p->n_host_keys; i++)
        if (uvs_keyslot_wrap(rng, priv, priv_len, p->host_keys[i], prot, out + asr_keyslot_off((unsigned)i)) !=
            0) {
            req_err(err, "cannot wrap the protection key for host key %zu", i + 1);
            goto out;
        }

    /* Plaintext: secret value | extension secret (ASR §4). */
    conf_len = (size_t)p->secret_len + ASR_EXT_LEN;
    if (p->secret_len)
        memcpy(conf, p->secret, p->secret_len);
    if (p->cck) {
        if (uvs_cck_ext_secret(p->cck, p->tags + (ASR_OFF_HDRTAG - ASR_OFF_TAGS), conf + p->secret_len) != 0) {
            req_err(err, "cannot derive the extension secret from the CCK");
            goto out;
        }
    } else if (p->ext_secret)
        memcpy(conf + p->secret_len, p->ext_secret, ASR_EXT_LEN);
    else
        memset(conf + p->secret_len, 0, ASR_EXT_LEN);

    if (uvs_gcm_encrypt(prot, iv, ASR_IV_LEN, out, aad_len, conf, conf_len, out + aad_len, tag) != 0) {
        req_err(err, "request encryption failed");
        goto out;
    }
    if (p->sign_key) {
        /* Two-pass (ASR §10.3): sign AAD | C with the signature region zero, then redo
         * the GCM over the completed AAD.  The first tag is never published. */
        if (hash_signed_part(out, rql - ASR_TAG_LEN, ud_type, digest) != 0) {
            req_err(err, "cannot hash the request for signing");
            goto out;
        }
        if (sign_user_data(rng, p->sign_key, ud_type, digest, out + ASR_OFF_USER, err) != 0)
            goto out;
        if (uvs_gcm_encrypt(prot, iv, ASR_IV_LEN, out, aad_len, conf, conf_len, out + aad_len, tag) != 0) {
            req_err(err, "request encryption failed");
            goto out;
        }
    }
    memcpy(out + rql - ASR_TAG_LEN, tag, ASR_TAG_LEN);
    *out_len = rql;
    rc = 0;
out:
    uvs_wipe(priv_buf, sizeof(priv_buf));
    uvs_wipe(prot_buf, sizeof(prot_buf));
    uvs_wipe(conf, sizeof(conf));
    uvs_wipe(tag, sizeof(tag));
    uvs_wipe(area, sizeof(area));
    uvs_wipe(digest, sizeof(digest));
    if (rc != 0)
        uvs_wipe(out, rql ? rql : 0);
    return rc;
}

int asr_user_data_verify(const struct asr_view *v, mbedtls_pk_context *key, char err[REQ_ERR_MAX])
{
    uint8_t digest[64];
    const uint8_t *sig;
    size_t sig_len;
    int kt, rc;

    if (err)
        err[0] = '\0';
    if (!v || !v->buf || v->len < ASR_OFF_CUSTKEY || v->rql != v->len || v->len < ASR_TAG_LEN) {
        req_err(err, "invalid request");
        return -1;
    }
    if (v->ud_type == ASR_UD_NONE || v->ud_type == ASR_UD_UNSIGNED) {
        if (v->ud_type == ASR_UD_UNSIGNED)
            req_err(err, "key type does not match user data (unsigned user data carries no signature)");
        else
            req_err(err, "the request has no user data to verify");
        return -1;
    }
    if (v->ud_type > ASR_UD_RSA3072) {
        req_err(err, "unsupported user-data type %u", (unsigned)v->ud_type);
        return -1;
    }
    if (!key) {
        req_err(err, "no user key for verification");
        return -1;
    }
    kt = asr_ud_type_for_key(key);
    if (kt != (int)v->ud_type) {
        req_err(err, "key type does not match user data (%s key, %s user data)", asr_ud_key_desc(kt),
                asr_ud_kind_name(v->ud_type));
        return -1;
    }
    if (v->ud_type == ASR_UD_ECDSA_P521) {
        sig_len = be16_load(v->user_data + ASR_UD_ECDSA_LEN_OFF);
        if (sig_len > ASR_UD_ECDSA_SIG_MAX)
            sig_len = ASR_UD_ECDSA_SIG_MAX;
        sig = v->user_data + ASR_UD_ECDSA_SIG_OFF;
    } else {
        sig_len = asr_ud_rsa_sig_len(v->ud_type);
        sig = v->user_data + sig_region_off(v->ud_type);
    }
    if (hash_signed_part(v->buf, v->len - ASR_TAG_LEN, v->ud_type, digest) != 0) {
        req_err(err, "cannot hash the request");
        return -1;
    }
    if (v->ud_type == ASR_UD_ECDSA_P521) {
        rc = mbedtls_pk_verify(key, MBEDTLS_MD_SHA512, digest, sizeof(digest), sig, sig_len);
    } else {
        mbedtls_pk_rsassa_pss_options o;
        o.mgf1_hash_id = MBEDTLS_MD_SHA512;
        o.expected_salt_len = MBEDTLS_RSA_SALT_LEN_ANY;
        rc = mbedtls_pk_verify_ext(MBEDTLS_PK_RSASSA_PSS, &o, key, MBEDTLS_MD_SHA512, digest, sizeof(digest), sig,
                                   sig_len);
    }
    if (rc != 0) {
        req_err(err, "signature could not be verified");
        return -1;
    }
    return 0;
}
