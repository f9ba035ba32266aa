#!/bin/sh
# make bench: initramfs size with and without the uvsecret module, and boot time to
# switch-root (uptime when the real root's init starts) with and without it, in the same VM
# set-up and the same run.  Root: the unencrypted test root (no LUKS in either), so the
# difference is the job itself: one request on the config disk, added and locked.
set -u
. "${QDIR:-qemu}/vm-lib.sh"
[ -z "$(vm_missing "$UVSECRET_EARLY" "$UVSIM_CUSE" "$UVSECRET")" ] \
    || vm_die "bench: build the project binaries first (make BUILD=$BUILD)"
plain=$(vm_initrd nosd-plain) || exit 1
uvs=$(vm_initrd nosd-uvs) || exit 1
full=$(vm_initrd nosd) || exit 1
sz() { stat -c %s "$1"; }
echo "bench: initramfs without uvsecret (no systemd, gzip -1): $(sz "$plain") bytes"
echo "bench: initramfs with uvsecret:                          $(sz "$uvs") bytes (+$(( $(sz "$uvs") - $(sz "$plain") )))"
echo "bench: uvsecret-early binary:                            $(sz "$UVSECRET_EARLY") bytes"
r=$VMDIR/run/bench; rm -rf "$r"; mkdir -p "$r"
"$UVSECRET" create retrievable bench --secret "$(vm_secret)" --type plain -k "$HOST_CRT" \
    --hdr "$TEST_HDR" --no-verify -o "$r/bench.asr" > "$r/create.log" 2>&1 || vm_die "create failed"
vm_configdisk "$r/config.img" "$r/bench.asr"
root="$(vm_disk "$(vm_rootfs)" payload snapshot=on)"
app="$VM_APPEND_BASE root=/dev/disk/by-id/virtio-payload rootfstype=ext4 rd.luks=0"
t() { grep -o 'REALROOT: reached t=[0-9.]*' "$1" | sed 's/.*t=//'; }
for i in 1 2; do
    # shellcheck disable=SC2086
    vm_run "$VMDIR/logs/bench-plain-$i.log" "/boot/vmlinuz-$(vm_kver)" "$plain" "$app" $root
    # shellcheck disable=SC2086
    vm_run "$VMDIR/logs/bench-uvsecret-$i.log" "/boot/vmlinuz-$(vm_kver)" "$full" \
        "$app rd.uvsecret.timeout=20" $root $(vm_disk "$r/config.img" config)
    echo "bench: run $i: switch-root reached at $(t "$VMDIR/logs/bench-plain-$i.log") s without," \
         "$(t "$VMDIR/logs/bench-uvsecret-$i.log") s with uvsecret (+simulated UV, 1 request added + lock; TCG guest uptime)"
done
