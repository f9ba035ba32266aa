/* `uvsecret-early boot` and `cleanup` (docs/boot-contract.md). */
#ifndef EARLY_BOOT_H
#define EARLY_BOOT_H

#define BOOT_MAX_REQUESTS 64         /* requests considered per boot (all sources)   */
#define BOOT_MAX_DIR_ENTRIES 4096    /* directory entries scanned per directory      */
#define BOOT_MAX_SIGNER_FILES 16

enum boot_exit {
    BOOT_OK = 0,
    BOOT_ERROR = 1,
    BOOT_NOTHING = 2,
    BOOT_NOT_SE = 3,
    BOOT_POLICY = 4,
    BOOT_UV_REFUSED = 5,
};

#endif
