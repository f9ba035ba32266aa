#!/bin/sh
# pre-mount hook of the provisioning boot (test only).
getargbool 0 rd.uvprov || return 0
uvprov() {
    local root=/dev/disk/by-id/virtio-root payload=/dev/disk/by-id/virtio-payload uuid
    uuid=$(cat /etc/uvprov/uuid)
    [ -b "$root" ] && [ -b "$payload" ] || { echo "UVPROV: disks missing"; return 1; }
    DM_DISABLE_UDEV=1 cryptsetup luksFormat --batch-mode --type luks2 --pbkdf pbkdf2 \
        --pbkdf-force-iterations 1000 --uuid "$uuid" --label cryptroot \
        --key-file /etc/uvprov/passphrase "$root" || return 1
    DM_DISABLE_UDEV=1 cryptsetup open --key-file /etc/uvprov/passphrase "$root" uvprov || return 1
    dd if="$payload" of=/dev/mapper/uvprov bs=1M 2>&1 || return 1
    sync
    DM_DISABLE_UDEV=1 cryptsetup close uvprov || return 1
    sync
}
if uvprov; then echo "UVPROV: done"; else echo "UVPROV: FAILED"; fi
poweroff -f
