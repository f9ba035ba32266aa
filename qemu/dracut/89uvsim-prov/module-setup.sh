#!/bin/bash
# Test-only dracut module: provisioning boot of the VM harness.  Formats the disk with serial
# "root" as LUKS2 (pbkdf2, 1000 iterations: argon2 is far too slow under TCG) with the test
# passphrase, and copies the ext4 image on the disk with serial "payload" into it.  Needed
# because the build host has no device-mapper (see /work/shared/notes/build-env.md).
check() { return 255; }
depends() { echo crypt; }
installkernel() { hostonly='' instmods dm_crypt xts aesni_intel aes_generic sha256_generic; }
install() {
    inst_multiple cryptsetup dd sync poweroff
    inst_simple "$uvsim_prov_key" /etc/uvprov/passphrase
    echo "$uvsim_luks_uuid" > "$initdir/etc/uvprov/uuid"
    inst_hook pre-mount 10 "$moddir/uvprov.sh"
}
