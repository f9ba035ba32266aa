#!/bin/sh
# s390x smoke test (TAP): Debian's s390x kernel under qemu-system-s390x (TCG) with a minimal
# cpio initramfs: busybox + $BUILD/s390x/uvsecret-early + the dracut module's exit-code
# mapping (modules.d/91uvsecret/uvsecret-lib.sh) + one baked-in request.  There is no
# ultravisor under TCG, so the binary must report "not a Secure Execution guest" and the
# boot must continue with rd.uvsecret.nose=ok and fail closed with rd.uvsecret.nose=fail.
set -u
. "${QDIR:-qemu}/vm-lib.sh"
. tests/lib/tap.sh
S390_EARLY=${S390_EARLY:-$BUILD/s390x/uvsecret-early}
SD=$VMDIR/s390x
mkdir -p "$SD/debs"

fetch() { # PACKAGE -> extracted into $SD/root-PACKAGE
    _p=$1
    _x=$SD/root-${_p%%:*}
    [ -f "$_x/.done" ] && return 0
    ( cd "$SD/debs" && apt-get download "$_p" > /dev/null 2>&1 ) || {
        echo "s390x: apt-get download $_p failed" >&2; return 1; }
    rm -rf "$_x"; mkdir -p "$_x"
    dpkg-deb -x "$(ls -t "$SD"/debs/"${_p%%:*}"_*.deb | head -n 1)" "$_x" && : > "$_x/.done"
}

kernel() {
    _kpkg=$(apt-cache depends linux-image-s390x:s390x 2> /dev/null \
            | sed -n 's/.*Depends: \(linux-image-[0-9].*-s390x\).*/\1/p' | head -n 1)
    [ -n "$_kpkg" ] || return 1
    fetch "$_kpkg:s390x" || return 1
    ls "$SD/root-$_kpkg"/boot/vmlinuz-* | head -n 1
}

make_cpio() { # OUT
    _t=$SD/tree
    rm -rf "$_t"
    mkdir -p "$_t/bin" "$_t/sbin" "$_t/proc" "$_t/sys" "$_t/dev" "$_t/run" "$_t/tmp" \
             "$_t/usr/sbin" "$_t/usr/lib/uvsecret" "$_t/etc/uvsecret/requests" "$_t/lib"
    cp "$SD/root-busybox-static/bin/busybox" "$_t/bin/busybox"
    for _a in sh mount mkdir cat echo grep sed poweroff sleep cut ls; do ln -s busybox "$_t/bin/$_a"; done
    cp "$S390_EARLY" "$_t/usr/sbin/uvsecret-early"
    cp modules.d/91uvsecret/uvsecret-lib.sh "$_t/usr/lib/uvsecret/uvsecret-lib.sh"
    cp "$SD/req.asr" "$_t/etc/uvsecret/requests/01-test.asr"
    cat > "$_t/init" << 'EOI'
#!/bin/sh
export PATH=/bin:/sbin:/usr/sbin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o mode=0755 tmpfs /run
echo "S390X: init reached, uv firmware dir: $([ -d /sys/firmware/uv ] && echo present || echo absent)"
getarg() { return 1; }          # the mapping below needs no dracut helpers
. /usr/lib/uvsecret/uvsecret-lib.sh
if uvsecret_boot; then echo "S390X: path=continue"; else echo "S390X: path=fail-closed"; fi
poweroff -f
EOI
    chmod 0755 "$_t/init"
    ( cd "$_t" && find . | cpio -o -H newc --quiet ) | gzip -1 > "$1"
}

boot() { # NAME APPEND
    LOG=$VMDIR/logs/s390x-$1.log
    rm -f "$LOG"
    timeout -k 10 "$VM_TIMEOUT" qemu-system-s390x -M s390-ccw-virtio -m 512 -nographic \
        -no-reboot -kernel "$KERNEL" -initrd "$SD/initrd.cpio.gz" \
        -append "panic=-1 printk.time=1 $2" < /dev/null > "$LOG" 2>&1
    echo "vm: qemu exit $?" >> "$LOG"
}

has() { grep -Eq -- "$1" "$LOG"; }

run() {
    if [ ! -x "$S390_EARLY" ] || [ ! -x "$UVSECRET" ]; then
        echo "s390x: missing $S390_EARLY (make cross) or $UVSECRET" >&2
        ok 1 "s390x: binaries present"; return
    fi
    KERNEL=$(kernel) && fetch busybox-static:s390x; ok $? "s390x: Debian s390x kernel and busybox fetched"
    "$UVSECRET" create retrievable s390x-test --secret "$(vm_secret)" --type plain -k "$HOST_CRT" \
        --hdr "$TEST_HDR" --no-verify -o "$SD/req.asr" > "$SD/create.log" 2>&1
    ok $? "s390x: baked-in request made"
    make_cpio "$SD/initrd.cpio.gz"; ok $? "s390x: initramfs (cpio) built"
    file -L "$S390_EARLY" | grep -q 'IBM S/390.*statically linked'
    ok $? "s390x: uvsecret-early is a static s390x binary"
    for mode in ok fail; do
        boot "nose-$mode" "rd.uvsecret.disk=none rd.uvsecret.nose=$mode"
        has 'S390X: init reached'; ok $? "s390x nose=$mode: kernel booted to /init"
        has 'S390X: init reached, uv firmware dir: absent'; ok $? "s390x nose=$mode: no ultravisor under TCG"
        has 'uvsecret: not a Secure Execution guest \(exit 3\)|uvsecret: not-se: '
        ok $? "s390x nose=$mode: reports not a Secure Execution guest"
        case $mode in
        ok) has 'S390X: path=continue'; ok $? "s390x nose=ok: boot continues (fail open)" ;;
        fail) has 'uvsecret: policy failure \(exit 4\)' && has 'S390X: path=fail-closed'
              ok $? "s390x nose=fail: fails closed (exit 4)" ;;
        esac
        has '^vm: qemu exit 0$'; ok $? "s390x nose=$mode: guest powered itself off (qemu exit 0, no timeout)"
    done
}
run
tap_done
