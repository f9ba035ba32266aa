#!/bin/sh
# Smoke test of uvsim-cuse in a throw-away x86_64 VM (the host kernel has no CUSE):
# a busybox initramfs with the static uvsim-cuse and uvsim-ioctl-test, fuse.ko and
# cuse.ko of the installed Debian kernel, a header made by `uvsim mkhdr` and requests
# made by `uvsecret create`.  Inside the VM: start the daemon (daemonising), run the
# ioctl ABI checks and add/list/lock through /dev/uv, print TAP.  Not part of
# `make check` (about 20 s under TCG); run it by hand:
#     tests/uvsim/cuse-vm-smoke.sh [BUILD_DIR]        (default: build)
# Needs: qemu-system-x86_64, linux-image-amd64, busybox-static, cpio.
set -eu
B=${1:-build}
SHARED=${UVS_SHARED:-../shared}
V=$SHARED/vectors
make --no-print-directory BUILD="$B" "$B/uvsim" "$B/uvsecret" "$B/static/uvsim-cuse" "$B/static/uvsim-ioctl-test" >/dev/null
B=$(cd "$B" && pwd)
V=$(cd "$V" && pwd)
KVER=$(ls /lib/modules | sort | tail -n 1)
KERNEL=/boot/vmlinuz-$KVER
W=$(mktemp -d /tmp/uvsim-vm-XXXXXX)
trap 'rm -rf "$W"' EXIT
R=$W/root
mkdir -p "$R/bin" "$R/t" "$R/proc" "$R/sys" "$R/dev" "$R/tmp"
cp /bin/busybox "$R/bin/busybox"
for m in fuse cuse; do
    f=$(find "/lib/modules/$KVER" -name "$m.ko*" | head -n 1)
    case $f in
    *.xz) xz -dc "$f" >"$R/$m.ko" ;;
    *.zst) zstd -dqc "$f" >"$R/$m.ko" ;;
    *) cp "$f" "$R/$m.ko" ;;
    esac
done
cp "$B/static/uvsim-cuse" "$B/static/uvsim-ioctl-test" "$R/"
cp "$V/pki/host.key" "$R/t/host.key"
head -c 32 /dev/urandom >"$W/cck"
"$B/uvsim" mkhdr --host-cert "$V/pki/host.crt" --cck "$W/cck" -o "$R/t/h.hdr"
mk() {
    h=$1 o=$2
    shift 2
    "$B/uvsecret" create -k "$V/pki/host.crt" --no-verify --hdr "$h" -o "$o" "$@" >/dev/null 2>&1
}
cd "$W"
mk "$R/t/h.hdr" "$R/t/a.req" --cuid-hex 0x42424242424242424242424242424242 association first
mk "$R/t/h.hdr" "$R/t/p.req" --cck "$W/cck" association second
"$B/uvsim" mkhdr --host-cert "$V/pki/host.crt" -o "$W/other.hdr"
mk "$W/other.hdr" "$R/t/o.req" association third
cd - >/dev/null
cat >"$R/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /fuse.ko 2>/dev/null
insmod /cuse.ko
echo "# starting uvsim-cuse"
if /uvsim-cuse --hdr /t/h.hdr --host-key /t/host.key --state /tmp/st --cuid 0x42424242424242424242424242424242 \
    --max-assoc 1 >/tmp/pid; then
    echo "ok - uvsim-cuse daemonised after registering /dev/uv (pid $(cat /tmp/pid))"
else
    echo "not ok - uvsim-cuse failed"
fi
[ -c /dev/uv ] && echo "ok - /dev/uv is a character device" || echo "not ok - /dev/uv missing"
/uvsim-ioctl-test --dev /dev/uv --add /t/a.req --expect 0x010c --add /t/p.req --expect 0x0108 --add /t/o.req \
    --expect 0x010b --add /t/a.req --lock --expect 0x0102 --add /t/a.req
echo "# ioctl-test exit $?"
kill "$(cat /tmp/pid)" 2>/dev/null
echo "# legacy driver on /dev/uv2, same state directory (the lock persisted)"
sleep 1
if /uvsim-cuse --hdr /t/h.hdr --host-key /t/host.key --state /tmp/st --devname uv2 --legacy-kernel >/tmp/pid2; then
    echo "ok - second daemon (legacy driver) on /dev/uv2"
else
    echo "not ok - second daemon failed"
fi
/uvsim-ioctl-test /dev/uv2 --locked --expect 0x0102 --add /t/a.req
echo "# ioctl-test exit $?"
kill "$(cat /tmp/pid2)" 2>/dev/null
echo "# done"
poweroff -f
EOF
chmod +x "$R/init"
(cd "$R" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$W/initrd.gz"
timeout 300 qemu-system-x86_64 -m 512 -nographic -no-reboot -kernel "$KERNEL" -initrd "$W/initrd.gz" \
    -append "console=ttyS0 quiet panic=-1" </dev/null >"$W/console.log" 2>&1 || true
grep -E '^(ok|not ok|#)' "$W/console.log" | tr -d '\r' >"$W/tap" || true
cat "$W/tap"
grep -q '^# done' "$W/tap" || { echo "not ok - VM did not finish (console log follows)"; tail -n 30 "$W/console.log"; exit 1; }
! grep -q '^not ok' "$W/tap"
