#!/bin/sh
# Shared code of the VM harness (sourced).  Everything it builds lives under $BUILD/vm/:
#   cache/   artefacts keyed by the hash of their inputs (initramfs, disks)
#   logs/    one serial-console log per VM run
#   run/     per-scenario scratch (config disks, copies of the root disk)
# Inputs from other parts of the project (looked up in $BUILD, overridable):
#   UVSECRET_EARLY  ($BUILD/uvsecret-early)   static guest binary
#   UVSIM_CUSE      ($BUILD/uvsim-cuse)       simulated /dev/uv (CUSE daemon)
#   UVSIM           ($BUILD/uvsim)            simulator CLI (mkhdr)
#   UVSIM_IOCTL     ($BUILD/uvsim-ioctl-test) ioctl ABI checks run inside a VM
#   UVSECRET        ($BUILD/uvsecret)         host tool making the requests
set -u
BUILD=${BUILD:-build}
VMDIR=${VMDIR:-$BUILD/vm}
QDIR=${QDIR:-qemu}
UVSECRET_EARLY=${UVSECRET_EARLY:-$BUILD/uvsecret-early}
UVSIM_CUSE=${UVSIM_CUSE:-$BUILD/uvsim-cuse}
UVSIM=${UVSIM:-$BUILD/uvsim}
UVSIM_IOCTL=${UVSIM_IOCTL:-$BUILD/uvsim-ioctl-test}
UVSECRET=${UVSECRET:-$BUILD/uvsecret}
VECTORS=${VECTORS:-/work/shared/vectors}
HOST_CRT=${HOST_CRT:-$VECTORS/pki/host.crt}
HOST_KEY=${HOST_KEY:-$VECTORS/pki/host.key}
TEST_HDR=${TEST_HDR:-$VECTORS/sehdr/test_hdr_plain.hdr}
VM_TIMEOUT=${VM_TIMEOUT:-240}
VM_MEM=${VM_MEM:-768}
LUKS_UUID=5e0c7a1e-0000-4000-8000-75f5ec2e7001
LUKS_NAME=luks-root
SECRET_NAME=luks-root
MARKER="uvsecret-real-root-7c1f"

mkdir -p "$VMDIR/cache" "$VMDIR/logs" "$VMDIR/run"

vm_msg() { echo "vm: $*" >&2; }
vm_die() { echo "vm: error: $*" >&2; exit 1; }

# Absolute path (the harness cds nowhere, but dracut and qemu get absolute names).
vm_abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

# Newest installed Debian amd64 kernel.
vm_kver() {
    ls /boot/vmlinuz-*-amd64 2> /dev/null | sed 's|.*/vmlinuz-||' | sort -V | tail -n 1
}

# Hash of files (contents and names) and extra words: the cache key of an artefact.
vm_hash() {
    for _f in "$@"; do
        if [ -d "$_f" ]; then
            find "$_f" -type f | LC_ALL=C sort | while read -r _g; do
                printf '%s ' "$_g"; sha256sum < "$_g"
            done
        elif [ -f "$_f" ]; then
            printf '%s ' "$_f"; sha256sum < "$_f"
        else
            printf 'word %s\n' "$_f"
        fi
    done | sha256sum | cut -c1-16
}

# Drop older cached variants of an artefact: vm_prune PREFIX KEEP
vm_prune() {
    for _o in "$1"*; do
        case ${_o#"$1"} in *.tmp.*|*-*) continue ;; esac   # not initrd-sd-plain for sd
        [ "$_o" = "$2" ] || rm -f "$_o"
    done
}

# Which project binaries are missing (one name per line; empty if all there).
vm_missing() {
    for _b in "$@"; do
        [ -x "$_b" ] || echo "$_b"
    done
}

# A private copy of /usr/lib/dracut with our modules added (dracutbasedir).
vm_dracut_base() {
    _base=$VMDIR/dracut-base
    if [ ! -f "$_base/.copied" ]; then
        rm -rf "$_base"
        cp -a /usr/lib/dracut "$_base"
        : > "$_base/.copied"
    fi
    rm -rf "$_base/modules.d/91uvsecret" "$_base/modules.d/90uvsim-test" "$_base/modules.d/89uvsim-prov"
    cp -a modules.d/91uvsecret "$_base/modules.d/"
    cp -a "$QDIR/dracut/90uvsim-test" "$QDIR/dracut/89uvsim-prov" "$_base/modules.d/"
    echo "$_base"
}

# Bump when the way images are built changes (the harness script itself is not hashed).
VM_INITRD_REV=1
VM_DRIVERS="virtio_blk virtio_pci ext4 vfat isofs nls_cp437 nls_utf8 nls_iso8859-1 dm_crypt cuse xts aesni_intel"
VM_MODS_NOSD="bash base udev-rules kernel-modules rootfs-block dm crypt"
VM_MODS_SD="bash systemd systemd-initrd dracut-systemd base udev-rules kernel-modules rootfs-block dm crypt"

# vm_initrd KIND -> prints the path of a cached initramfs.
#   KIND: sd | nosd        systemd / no systemd, with uvsecret + uvsim-test
#         sd-plain | nosd-plain   the same without either (bench baseline)
#         prov             provisioning image (formats the LUKS root)
vm_initrd() {
    _kind=$1
    _kver=$(vm_kver)
    [ -n "$_kver" ] || vm_die "no kernel in /boot (install linux-image-amd64)"
    _mods=""; _extra=""; _inputs=""
    case $_kind in
    sd) _mods="$VM_MODS_SD uvsim-test" ;;
    nosd) _mods="$VM_MODS_NOSD uvsim-test" ;;
    sd-plain) _mods="$VM_MODS_SD" ;;
    nosd-plain) _mods="$VM_MODS_NOSD" ;;
    sd-uvs) _mods="$VM_MODS_SD" ;;      # + uvsecret through its conf snippet, no simulator
    nosd-uvs) _mods="$VM_MODS_NOSD" ;;
    prov) _mods="$VM_MODS_NOSD uvsim-prov" ;;
    *) vm_die "unknown initramfs kind $_kind" ;;
    esac
    _uvs=""
    case $_kind in sd|nosd|sd-uvs|nosd-uvs) _uvs=1 ;; esac
    case $_uvs in
    1) _inputs="$UVSECRET_EARLY $UVSIM_CUSE $TEST_HDR $HOST_KEY modules.d/91uvsecret $QDIR/dracut/90uvsim-test"
                    [ -x "$UVSIM_IOCTL" ] && _inputs="$_inputs $UVSIM_IOCTL" ;;
    esac
    case $_kind in prov) _inputs="$QDIR/dracut/89uvsim-prov $(vm_secret)" ;; esac
    _h=$(vm_hash "$_kver" "$_kind" "$_mods" "$VM_DRIVERS" $_inputs "rev$VM_INITRD_REV")
    _out=$VMDIR/cache/initrd-$_kind-$_h.img
    if [ -f "$_out" ]; then echo "$_out"; return 0; fi
    _base=$(vm_dracut_base)
    _conf=$VMDIR/cache/dracut-$_kind.conf.d
    rm -rf "$_conf"; mkdir -p "$_conf"
    # The product's own snippet adds the module (tested here as shipped).
    case $_uvs in 1) cp modules.d/91uvsecret/50-uvsecret.conf "$_conf/" ;; esac
    {
        echo "uvsecret_binary=\"$(vm_abs "$UVSECRET_EARLY")\""
        echo "uvsecret_confdir=\"$(vm_abs "$VMDIR/cache/etc-uvsecret")\""
        echo "uvsim_cuse=\"$(vm_abs "$UVSIM_CUSE")\""
        echo "uvsim_hdr=\"$(vm_abs "$TEST_HDR")\""
        echo "uvsim_host_key=\"$(vm_abs "$HOST_KEY")\""
        echo "uvsim_ioctl_test=\"$(vm_abs "$UVSIM_IOCTL")\""
        echo "uvsim_prov_key=\"$(vm_abs "$(vm_secret)")\""
        echo "uvsim_luks_uuid=\"$LUKS_UUID\""
    } > "$_conf/90-vm-test.conf"
    mkdir -p "$VMDIR/cache/etc-uvsecret"
    printf '%s UUID=%s /run/uvsecret/keys/%s luks\n' "$LUKS_NAME" "$LUKS_UUID" "$SECRET_NAME" \
        > "$VMDIR/cache/crypttab"
    _t0=$(date +%s)
    vm_msg "building initramfs '$_kind' (dracut, ~20-60 s) ..."
    # shellcheck disable=SC2086
    if ! dracutbasedir=$(vm_abs "$_base") dracut --force --quiet --no-hostonly \
            --no-hostonly-cmdline --conf /dev/null --confdir "$(vm_abs "$_conf")" \
            --kver "$_kver" -m "$_mods" --add-drivers "$VM_DRIVERS" --compress "gzip -1 -n" \
            --include "$(vm_abs "$VMDIR/cache/crypttab")" /etc/crypttab \
            "$_out.tmp.$$" > "$VMDIR/logs/dracut-$_kind.log" 2>&1; then
        tail -n 20 "$VMDIR/logs/dracut-$_kind.log" >&2
        rm -f "$_out.tmp.$$"
        vm_die "dracut failed for '$_kind' (log: $VMDIR/logs/dracut-$_kind.log)"
    fi
    mv "$_out.tmp.$$" "$_out"
    vm_prune "$VMDIR/cache/initrd-$_kind-" "$_out"
    vm_msg "initramfs '$_kind' built in $(( $(date +%s) - _t0 )) s: $_out"
    echo "$_out"
}

# The LUKS passphrase (32 random bytes, made once per build tree).  Test material only.
vm_secret() {
    _s=$VMDIR/cache/luks-passphrase.bin
    if [ ! -s "$_s" ]; then
        ( umask 077; head -c 32 /dev/urandom > "$_s.tmp" && mv "$_s.tmp" "$_s" )
    fi
    echo "$_s"
}

# The real root filesystem (ext4 image made with mke2fs -d, no loop device): busybox-static,
# an init script and a marker file.
vm_rootfs() {
    _bb=/bin/busybox
    [ -x "$_bb" ] || vm_die "busybox-static is not installed"
    _h=$(vm_hash "$_bb" "$QDIR/rootfs" "$MARKER" os-release)
    _out=$VMDIR/cache/rootfs-$_h.ext4
    if [ -f "$_out" ]; then echo "$_out"; return 0; fi
    _d=$VMDIR/cache/rootfs-tree
    rm -rf "$_d"
    mkdir -p "$_d/bin" "$_d/sbin" "$_d/etc" "$_d/proc" "$_d/sys" "$_d/dev" "$_d/run" "$_d/tmp" \
             "$_d/mnt" "$_d/usr/bin" "$_d/usr/sbin"
    cp "$_bb" "$_d/bin/busybox"
    for _a in $("$_bb" --list); do
        [ -e "$_d/bin/$_a" ] || ln -s busybox "$_d/bin/$_a"
    done
    cp "$QDIR/rootfs/init" "$_d/sbin/init"
    chmod 0755 "$_d/sbin/init"
    echo "$MARKER" > "$_d/etc/uvtest-marker"
    # systemd's switch-root insists on an OS tree (os-release).
    printf 'ID=uvtest\nNAME="uvsecret test root"\n' > "$_d/etc/os-release"
    rm -f "$_out.tmp"
    mke2fs -q -t ext4 -L realroot -d "$_d" "$_out.tmp" 24M >/dev/null || vm_die "mke2fs failed"
    mv "$_out.tmp" "$_out"
    echo "$_out"
}

# run a VM: vm_run LOG KERNEL INITRD APPEND [qemu args...]; returns qemu's (or timeout's) status
vm_run() {
    _log=$1; _k=$2; _i=$3; _append=$4; shift 4
    rm -f "$_log"
    _t0=$(date +%s)
    timeout -k 10 "$VM_TIMEOUT" qemu-system-x86_64 -machine pc -accel tcg -m "$VM_MEM" -smp 1 \
        -nodefaults -display none -no-reboot -monitor none -serial "file:$_log" \
        -kernel "$_k" -initrd "$_i" -append "$_append" "$@" < /dev/null
    _rc=$?
    echo "vm: qemu exit $_rc after $(( $(date +%s) - _t0 )) s" >> "$_log"
    return $_rc
}

# virtio disk with a serial (-> /dev/disk/by-id/virtio-SERIAL); disk order is not stable.
vm_disk() { echo "-drive if=none,id=$2,file=$1,format=raw${3:+,$3} -device virtio-blk-pci,drive=$2,serial=$2"; }

VM_APPEND_BASE="console=ttyS0 panic=-1 printk.time=1 rd.shell=0 rd.emergency=poweroff loglevel=6"

# The LUKS2 root disk, made by a provisioning boot: luksFormat (pbkdf2, 1000 iterations,
# fixed UUID) + the rootfs image copied into the opened volume.  Cached by the rootfs and key.
vm_luks_root() {
    _rootfs=$(vm_rootfs)
    _key=$(vm_secret)
    _h=$(vm_hash "$_rootfs" "$_key" "$LUKS_UUID" "$QDIR/dracut/89uvsim-prov")
    _out=$VMDIR/cache/luksroot-$_h.img
    if [ -f "$_out" ]; then echo "$_out"; return 0; fi
    _initrd=$(vm_initrd prov) || exit 1
    _tmp=$_out.tmp.$$; _pay=$VMDIR/run/prov-payload.$$.img
    rm -f "$_tmp"
    truncate -s 48M "$_tmp"
    cp "$_rootfs" "$_pay"
    _log=$VMDIR/logs/provision.log
    vm_msg "provisioning the LUKS root disk in a VM ..."
    # shellcheck disable=SC2046
    vm_run "$_log" "/boot/vmlinuz-$(vm_kver)" "$_initrd" \
        "$VM_APPEND_BASE root=/dev/disk/by-id/virtio-payload rd.uvprov=1" \
        $(vm_disk "$_tmp" root) $(vm_disk "$_pay" payload)
    if ! grep -q 'UVPROV: done' "$_log"; then
        tail -n 30 "$_log" >&2
        rm -f "$_tmp" "$_pay"
        vm_die "provisioning failed (log: $_log)"
    fi
    rm -f "$_pay"
    mv "$_tmp" "$_out"
    vm_prune "$VMDIR/cache/luksroot-" "$_out"
    echo "$_out"
}

# Config disk (vfat, label $2 default UVSECRETS, requests in uvsecret/): vm_configdisk IMG FILE...
vm_configdisk() {
    _img=$1; shift
    _label=${CONFIG_LABEL:-UVSECRETS}
    rm -f "$_img"
    mkfs.vfat -C -n "$_label" "$_img" 4096 > /dev/null || vm_die "mkfs.vfat failed"
    mmd -i "$_img" ::/uvsecret || vm_die "mmd failed"
    for _f in "$@"; do
        mcopy -i "$_img" "$_f" ::/uvsecret/ || vm_die "mcopy $_f failed"
    done
}
