#!/bin/sh
# VM harness entry point.  Usage (from the top of the tree; BUILD= selects the build dir):
#   qemu/vm.sh check                 are the binaries there? (clear message if not)
#   qemu/vm.sh run SCENARIO          boot one scenario, log in $BUILD/vm/logs/SCENARIO.log
#   qemu/vm.sh test SCENARIO...      run and judge scenarios, TAP on stdout
#   qemu/vm.sh list                  scenario names
# Scenarios (x86_64, TCG):
#   happy-sd      systemd initramfs: requests on the config disk -> added, locked, LUKS key
#                 retrieved, root unlocked, marker from the real root, key file gone
#   happy-nosd    the same without systemd, plus a rerun of the job in the booted system
#   tamper-sd     a tampered request on the config disk: fails closed before cryptsetup
#   tamper-nosd   the same without systemd
#   other-image   a request made for another image's SE header: the UV refuses, fails closed
#   nodisk-req    no config disk, a secret required: fails closed after the bounded wait
#   nodisk-opt    no config disk, nothing required: boots on (unencrypted root)
#   nose-ok       no /dev/uv (not an SE guest), nose=ok: boots on
#   nose-fail     no /dev/uv, nose=fail: fails closed
#   ioctl         uvsim-ioctl-test /dev/uv inside the VM
set -u
. "${QDIR:-qemu}/vm-lib.sh"

SCENARIOS="happy-sd happy-nosd tamper-sd tamper-nosd other-image nodisk-req nodisk-opt nose-ok nose-fail ioctl"

need_bins() {
    _m=$(vm_missing "$UVSECRET_EARLY" "$UVSIM_CUSE" "$UVSECRET" "$@")
    if [ -n "$_m" ]; then
        echo "vm: missing project binaries (build them first: make BUILD=$BUILD):" >&2
        for _x in $_m; do echo "vm:   $_x" >&2; done
        return 1
    fi
    return 0
}

# Requests made by the host tool for the VM's host key and test SE header.
make_request() { # OUT HDR NAME SECRETFILE
    "$UVSECRET" create retrievable "$3" --secret "$4" --type plain -k "$HOST_CRT" --hdr "$2" \
        --no-verify -o "$1" > "$VMDIR/logs/uvsecret-create.log" 2>&1 || {
        cat "$VMDIR/logs/uvsecret-create.log" >&2
        vm_die "uvsecret create failed for $1"
    }
}

# A second, non-LUKS secret so that a tamper of one request shows "nothing added".
extra_secret() {
    _e=$VMDIR/cache/extra-secret.bin
    [ -s "$_e" ] || head -c 24 /dev/urandom > "$_e"
    echo "$_e"
}

# Flip one byte of the request's authenticated header (the request version field, offset
# 8..11 per ASR: magic 8 bytes then version): structure checks reject it before any add.
tamper() { # FILE OFFSET
    _b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    _n=$(( _b ^ 0x5a ))
    printf "$(printf '\\%03o' "$_n")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# scenario_setup NAME -> sets KIND APPEND DISKS
scenario_setup() {
    _s=$1
    _r=$VMDIR/run/$_s
    rm -rf "$_r"; mkdir -p "$_r"
    KIND=nosd
    DISKS=""
    _uv="rd.uvsecret.timeout=20"
    _luksroot="root=/dev/mapper/$LUKS_NAME rd.luks.uuid=$LUKS_UUID"
    _plainroot="root=/dev/disk/by-id/virtio-payload rootfstype=ext4 rd.luks=0"
    _want="rd.uvsecret.retrieve=$SECRET_NAME rd.uvsecret.required=$SECRET_NAME"
    case $_s in
    happy-sd|happy-nosd|tamper-sd|tamper-nosd|other-image)
        _hdr=$TEST_HDR
        if [ "$_s" = other-image ]; then
            _hdr=$_r/other.hdr
            "$UVSIM" mkhdr --host-cert "$HOST_CRT" -o "$_hdr" > "$_r/mkhdr.log" 2>&1 \
                || { cat "$_r/mkhdr.log" >&2; vm_die "uvsim mkhdr failed"; }
        fi
        make_request "$_r/01-extra.asr" "$_hdr" extra "$(extra_secret)"
        make_request "$_r/02-$SECRET_NAME.asr" "$_hdr" "$SECRET_NAME" "$(vm_secret)"
        case $_s in tamper-*) tamper "$_r/02-$SECRET_NAME.asr" 9 ;; esac
        vm_configdisk "$_r/config.img" "$_r/01-extra.asr" "$_r/02-$SECRET_NAME.asr"
        DISKS="$(vm_disk "$_r/config.img" config) $(vm_disk "$(vm_luks_root)" root snapshot=on)"
        APPEND="$_luksroot $_uv $_want"
        ;;
    nodisk-req)
        DISKS="$(vm_disk "$(vm_luks_root)" root snapshot=on)"
        APPEND="$_luksroot rd.uvsecret.timeout=5 $_want" ;;
    nodisk-opt|nose-ok|nose-fail|ioctl)
        DISKS="$(vm_disk "$(vm_rootfs)" payload snapshot=on)"
        APPEND="$_plainroot rd.uvsecret.timeout=5"
        case $_s in
        nose-ok) APPEND="$APPEND uvtest.nouv" ;;
        nose-fail) APPEND="$APPEND uvtest.nouv rd.uvsecret.nose=fail" ;;
        ioctl) APPEND="$APPEND rd.uvsecret=0 uvtest.ioctl" ;;
        esac ;;
    *) vm_die "unknown scenario $_s" ;;
    esac
    case $_s in
    *-sd) KIND=sd ;;
    happy-nosd) APPEND="$APPEND uvtest.rerun" ;;
    esac
    APPEND="$VM_APPEND_BASE $APPEND"
}

run_scenario() {
    scenario_setup "$1" || return 1
    _initrd=$(vm_initrd "$KIND") || return 1
    LOG=$VMDIR/logs/$1.log
    vm_msg "booting scenario $1 ($KIND initramfs) ..."
    # DISKS is a list of words without blanks inside.
    # shellcheck disable=SC2086
    vm_run "$LOG" "/boot/vmlinuz-$(vm_kver)" "$_initrd" "$APPEND" $DISKS
}

. "${QDIR:-qemu}/vm-judge.sh"

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
check) need_bins "$UVSIM" ;;
list) echo "$SCENARIOS" ;;
run) need_bins || exit 1; for s in "$@"; do run_scenario "$s"; done ;;
test)
    for s in "$@"; do judge_scenario "$s"; done
    tap_done ;;
*) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac
