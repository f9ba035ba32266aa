/* Internals of the simulated ultravisor, shared by its small files:
 *   sim_file.c   hostile-file reading, atomic writes
 *   sim_keys.c   host private keys (PEM/DER) and host-key certificates
 *   sim_hdr.c    opening an SE header the UV way, and building one (mkhdr)
 *   sim_store.c  the UV calls: add secret (ordered checks), list, lock, retrieve
 *   sim_state.c  persisting the store in a state directory
 *   uvsim.c      uvsim_open/close and the kernel driver's ioctl semantics
 * Specs: shared/spec/ultravisor-add-secret.md ("UVA §n"), uvdevice.md ("UVD §n"),
 * se-header.md ("SEH §n").  Test infrastructure only. */
#ifndef UVSIM_SIM_H
#define UVSIM_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define SIM_ERR_MAX 512

/* ---- files (sim_file.c) -------------------------------------------------------- */
/* Reads a regular file (no symlink, at most max bytes) into a fresh malloc'ed buffer
 * with one extra NUL byte after the data.  Returns 0, or -1 with "FILE: reason". */
int sim_read_file(const char *path, size_t max, uint8_t **buf, size_t *len, char *err, size_t err_len);
/* Frees a buffer from sim_read_file after wiping it. */
void sim_free_file(uint8_t *buf, size_t len);
/* Writes data to path atomically (temporary file in the same directory, fsync, rename),
 * mode 0600 (0644 if public_file), refusing to replace a symlink.  Returns 0 or -1 with err. */
int sim_write_atomic(const char *path, const uint8_t *data, size_t len, int public_file, char *err,
                     size_t err_len);
/* Creates path with O_EXCL|O_NOFOLLOW, mode 0600 (0644 if public), writes data; on any
 * failure nothing is left behind. */
int sim_write_new(const char *path, const uint8_t *data, size_t len, int public_file, char *err,
                  size_t err_len);

/* ---- keys (sim_keys.c) --------------------------------------------------------- */
/* An EC P-521 private key file (PEM or DER, SEC1 or PKCS#8): the 66-byte scalar and
 * the X80|Y80 public block. */
int sim_load_host_key(const char *path, uint8_t priv[UVS_P521_SCALAR_LEN], uint8_t pub[UVS_P521_PUB_LEN],
                      char *err, size_t err_len);
/* The EC P-521 public key of an X.509 certificate (PEM or DER), or of a raw 160-byte
 * X80|Y80 file. */
int sim_load_host_cert(const char *path, uint8_t pub[UVS_P521_PUB_LEN], char *err, size_t err_len);

/* ---- SE header (sim_hdr.c) ----------------------------------------------------- */
/* What the UV keeps from a header it opened (SEH §10 step 6). */
struct sim_guest {
    uint8_t tags[208];           /* PLD|ALD|TLD|header tag */
    uint8_t hdr_tag[16];
    uint8_t cck[32];
    uint64_t pcf, scf;
    unsigned slot;               /* keyslot that opened it */
};

enum sim_hdr_rc { SIM_HDR_OK = 0, SIM_HDR_NO_SLOT = 1, SIM_HDR_BAD = -1 };

/* Opens buf (bare header or SE image) with one host key.  SIM_HDR_NO_SLOT: the header
 * has no keyslot for this key; SIM_HDR_BAD: malformed or not authentic (err says why). */
enum sim_hdr_rc sim_hdr_open(struct uvs_rng *rng, const uint8_t *buf, size_t len,
                             const uint8_t priv[UVS_P521_SCALAR_LEN], const uint8_t pub[UVS_P521_PUB_LEN],
                             struct sim_guest *g, char *err, size_t err_len);

/* Inputs of the header maker (SEH §9).  NULL pointers mean "random". */
struct sim_mkhdr_params {
    const uint8_t (*host_keys)[UVS_P521_PUB_LEN];
    size_t nks;
    const uint8_t *cck;          /* 32 */
    const uint8_t *image_key;    /* 64 */
    const uint8_t *pld, *ald, *tld; /* 64 each */
    uint64_t nep, pcf, scf, psw_mask, psw_addr;
    /* Fixed randomness for byte-exact tests. */
    const uint8_t *cust_priv;    /* big-endian scalar */
    size_t cust_priv_len;
    const uint8_t *prot_key;     /* 32 */
    const uint8_t *iv;           /* 12 */
};

/* Builds a v1 header into out (cap >= sehdr_v1_size(nks)).  Refuses nks 0 or > 95,
 * SCF bits other than 1 and 2, and SCF bits 1 and 2 together. */
int sim_mkhdr(struct uvs_rng *rng, const struct sim_mkhdr_params *p, uint8_t *out, size_t cap,
              size_t *out_len, char *err, size_t err_len);

/* ---- the store and the UV calls (sim_store.c) ---------------------------------- */
struct sim_entry {
    uint16_t index;
    uint16_t type;
    uint32_t list_len;           /* length listed (= size retrieve needs)          */
    uint8_t id[32];
    uint32_t value_len;          /* bytes of value (the request's secret)          */
    uint8_t *value;
};

struct sim_store {
    uint8_t cuid[16];
    uint8_t cck[32];             /* current CCK (header's, or replaced by update)  */
    int cck_updated;
    int locked;
    int dump_disabled;
    int ext_set;
    uint8_t ext[32];
    uint16_t max_assoc, max_retr;
    uint32_t next_index;
    struct sim_entry *entries;
    size_t n_entries, cap_entries;
    uint8_t (*stream)[16];       /* GCM tags of successful requests (UVA §9)       */
    size_t n_stream, cap_stream;
};

/* The simulated machine: its host key (and backup keys), the guest it runs. */
struct sim_uv {
    struct uvs_rng rng;
    uint8_t host_priv[UVS_P521_SCALAR_LEN];
    uint8_t host_pub[UVS_P521_PUB_LEN];
    uint8_t (*backup_priv)[UVS_P521_SCALAR_LEN];
    uint8_t (*backup_pub)[UVS_P521_PUB_LEN];
    size_t n_backup;
    struct sim_guest guest;
    struct sim_store store;
    int dump_in_progress;        /* test hook (UVA §2 step 2) */
};

#define SIM_MAX_STORED 4096      /* hard cap on entries, whatever the limits say */
#define SIM_DEFAULT_MAX_ASSOC 8
#define SIM_DEFAULT_MAX_RETR 8

void sim_store_init(struct sim_store *s);
void sim_store_free(struct sim_store *s);
/* Number of listable entries. */
size_t sim_store_listed(const struct sim_store *s);

/* Add Secret UVC on a request of len bytes.  Returns the rc; *why gets a short reason
 * (static text).  The store is unchanged unless rc == 0x0001. */
uint16_t sim_add_secret(struct sim_uv *uv, const uint8_t *req, size_t len, const char **why);
/* Lock Secret Store UVC. */
uint16_t sim_lock(struct sim_uv *uv);
/* One List Secrets UVC: fills a 4096-byte page with entries whose index >= start. */
uint16_t sim_list_page(const struct sim_uv *uv, uint16_t start, uint8_t page[4096]);
/* Retrieve Secret UVC: index from the caller, result into buf (len bytes, zeroed). */
uint16_t sim_retrieve(const struct sim_uv *uv, uint16_t index, uint8_t *buf, size_t len);
/* SHA-512 stream hash (UVA §9). */
void sim_stream_hash(const struct sim_store *s, uint8_t out[64]);

/* ---- state persistence (sim_state.c) -------------------------------------------- */
/* Loads state_dir/uvsim.state if present (returns 0 with *found = 0 when absent). */
int sim_state_load(const char *state_dir, const struct sim_guest *g, struct sim_store *s, int *found,
                   char *err, size_t err_len);
int sim_state_save(const char *state_dir, const struct sim_guest *g, const struct sim_store *s, char *err,
                   size_t err_len);

#endif
