/* The crypto layer against the reference values: customer public key from its private
 * scalar, the ECDH KEK, the keyslot of keyslot.bin, and the HKDF check value. */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "hex.h"
#include "tap.h"

static const char host_xy[] =
    "00000000000000000000000000000176881cd84b8b6de7123c7e900edf78e7f7b684999146b1263ba8b86c8447f08ab6d469c2b128ed9e1c35015805acd3d30233d39122f7e2f8aa1c2b147b7883b406"
    "000000000000000000000000000000c34556c25cf92f29ce66bd44114d6b7b3c78e13a3f90bdb90040f6876e5262f778a61a937d1b34802eb257e34e0672dd5f2a347addaa282035092a70c35c2e7973";

int main(void)
{
    uint8_t priv[80], pub[160], pub_want[160], host[160], kek[32], kek_want[32], slot[80], slot_want[80];
    uint8_t prot[32], back[32], cck[32], salt[16], ext[32], ext_want[32], phkh[32];
    uint8_t priv2[66], pub2[160], kek2[32], kek3[32];
    struct uvs_rng rng;

    OK(uvs_rng_init(&rng) == 0, "DRBG seeds");
    OK(tap_slurp_shared("vectors/asrcb/private_cust.bin", priv, 80) == 80, "private_cust.bin");
    OK(tap_slurp_shared("vectors/asrcb/public_cust.bin", pub_want, 160) == 160, "public_cust.bin");
    OK(tap_slurp_shared("vectors/asrcb/keyslot.bin", slot_want, 80) == 80, "keyslot.bin");
    OK(hex_decode_exact(host_xy, host, 160, 0) == 0, "host key coordinates");

    OK(uvs_p521_pub_from_priv(priv, 80, pub) == 0, "public key from the 80-byte scalar");
    EQ_MEM(pub, pub_want, 160, "customer public key = public_cust.bin");
    OK(uvs_p521_pub_valid(pub) && uvs_p521_pub_valid(host), "both points valid");
    pub[0] = 1;
    OK(!uvs_p521_pub_valid(pub), "non-zero padding byte rejected");
    pub[0] = 0;
    pub[100] ^= 1;
    OK(!uvs_p521_pub_valid(pub), "point off the curve rejected");

    OK(uvs_p521_kek(&rng, priv, 80, host, kek) == 0, "KEK computed");
    hex_decode_exact("753277558f3b6003419ef249ae3c4b55aad77d09d97fdd1fc88fd8f0cf22f149", kek_want, 32, 0);
    EQ_MEM(kek, kek_want, 32, "KEK matches the spec's check value");

    memset(prot, 0x17, 32);
    OK(uvs_keyslot_wrap(&rng, priv, 80, host, prot, slot) == 0, "keyslot wrapped");
    EQ_MEM(slot, slot_want, 80, "keyslot = keyslot.bin byte for byte");
    uvs_phkh(host, phkh);
    hex_decode_exact("415c25a5d19c381e619733e1c1b7fbd88bdd1c31d882d5ade04b97043c5010f0", kek_want, 32, 0);
    EQ_MEM(phkh, kek_want, 32, "host-key hash");

    /* The UV side with a fresh key pair: the host scalar opens what the customer wrapped. */
    OK(uvs_p521_keygen(&rng, priv2, pub2) == 0, "fresh key pair");
    OK(uvs_keyslot_wrap(&rng, priv, 80, pub2, prot, slot) == 0, "wrap for the fresh host key");
    OK(uvs_keyslot_unwrap(&rng, priv2, 66, pub_want, slot, back) == 0, "unwrap with the host scalar");
    EQ_MEM(back, prot, 32, "protection key recovered");
    slot[40] ^= 1;
    OK(uvs_keyslot_unwrap(&rng, priv2, 66, pub_want, slot, back) != 0, "flipped keyslot byte fails");
    OK(uvs_p521_kek(&rng, priv2, 66, pub_want, kek2) == 0 && uvs_p521_kek(&rng, priv, 80, pub2, kek3) == 0,
       "ECDH both ways");
    EQ_MEM(kek2, kek3, 32, "ECDH is symmetric");

    memset(cck, 0, 32);
    memset(salt, 4, 16);
    OK(uvs_cck_ext_secret(cck, salt, ext) == 0, "HKDF runs");
    hex_decode_exact("b7e28c1ed1ecd063afe5eb9b54c6685aca5c193163e82e2071c3150ed6ff6473", ext_want, 32, 0);
    EQ_MEM(ext, ext_want, 32, "CCK-derived extension secret check value");
    memset(cck, 0x66, 32);
    hex_decode_exact("7083ab2ae8aedd087e5114933924736c", salt, 16, 0);
    hex_decode_exact("dfbc6ac4f424d78e4c9e3c4f5b77ca3ff70860796e3ea21fad9d4d85243529c6", ext_want, 32, 0);
    OK(uvs_cck_ext_secret(cck, salt, ext) == 0, "HKDF for test_hdr_cckext");
    EQ_MEM(ext, ext_want, 32, "test_hdr_cckext extension secret");

    OK(uvs_ct_memcmp(ext, ext_want, 32) == 0 && uvs_ct_memcmp(ext, cck, 32) != 0, "constant-time compare");
    uvs_rng_free(&rng);
    return tap_done();
}
