/* The bare cryptography of one add-secret request, measured with the host library:
 * one P-521 key generation, one ECDH + keyslot wrap per host key, the request GCM.
 *   bench_crypto N [ITER]  ->  "bare_us N <microseconds per request>" and a breakdown
 * (used by bench-cli.sh to compute the command line's overhead). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
    static uint8_t aad[1304 + 80 * 255], conf[64], slot[80];
    uint8_t priv[UVS_P521_SCALAR_LEN], pub[UVS_P521_PUB_LEN], host_priv[UVS_P521_SCALAR_LEN];
    uint8_t host_pub[UVS_P521_PUB_LEN], prot[32], iv[12], tag[16];
    struct uvs_rng rng;
    int n = argc > 1 ? atoi(argv[1]) : 1, iter = argc > 2 ? atoi(argv[2]) : 20;
    double t0, t_keygen = 0, t_slots = 0, t_gcm = 0;

    if (n < 1 || n > 255 || iter < 1 || uvs_rng_init(&rng) != 0) {
        fprintf(stderr, "usage: bench_crypto N(1..255) [ITER]\n");
        return 1;
    }
    if (uvs_p521_keygen(&rng, host_priv, host_pub) != 0)
        return 1;
    for (int it = 0; it < iter; it++) {
        size_t aad_len = 1256 + 80 * (size_t)n;
        t0 = now_us();
        if (uvs_p521_keygen(&rng, priv, pub) != 0 || uvs_random(&rng, prot, 32) != 0 ||
            uvs_random(&rng, iv, 12) != 0)
            return 1;
        t_keygen += now_us() - t0;
        t0 = now_us();
        for (int k = 0; k < n; k++)
            if (uvs_keyslot_wrap(&rng, priv, sizeof(priv), host_pub, prot, slot) != 0)
                return 1;
        t_slots += now_us() - t0;
        t0 = now_us();
        if (uvs_gcm_encrypt(prot, iv, 12, aad, aad_len, conf, sizeof(conf), conf, tag) != 0)
            return 1;
        t_gcm += now_us() - t0;
    }
    uvs_wipe(priv, sizeof(priv));
    uvs_wipe(prot, sizeof(prot));
    uvs_rng_free(&rng);
    printf("keygen_us %.1f\nkeyslots_us %d %.1f\ngcm_us %.1f\nbare_us %d %.1f\n", t_keygen / iter, n,
           t_slots / iter, t_gcm / iter, n, (t_keygen + t_slots + t_gcm) / iter);
    return 0;
}
