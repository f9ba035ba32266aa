#!/bin/bash
# dracut module "uvsecret": adds IBM Secure Execution secrets (add-secret requests) to the
# ultravisor before the root device is unlocked, using the static uvsecret-early binary.
# Contract with the binary: docs/boot-contract.md.  User documentation: dracut.uvsecret(7).
#
# Build-time settings (dracut.conf.d, bash syntax):
#   uvsecret_binary=PATH      the static guest binary (default: first uvsecret-early in
#                             /usr/sbin, /usr/local/sbin, /usr/bin, /usr/local/bin)
#   uvsecret_confdir=DIR      host directory copied to /etc/uvsecret in the image
#                             (uvsecret.conf, signers/*.pem|*.der|*.crt, requests/*.asr);
#                             default /etc/uvsecret
#   uvsecret_emergency=ACTION poweroff (default), reboot, halt, or "keep" (do not write the
#                             rd.shell=0 rd.emergency=ACTION default into the image)

uvsecret_find_binary() {
    local p
    if [[ -n ${uvsecret_binary-} ]]; then
        [[ -x $uvsecret_binary ]] && echo "$uvsecret_binary"
        return
    fi
    for p in /usr/sbin /usr/local/sbin /usr/bin /usr/local/bin /sbin /bin; do
        if [[ -x $dracutsysrootdir$p/uvsecret-early ]]; then
            echo "$dracutsysrootdir$p/uvsecret-early"
            return
        fi
    done
}

# called by dracut
check() {
    # Only on request (--add uvsecret / add_dracutmodules+=" uvsecret "): an image needs it
    # only when it is meant to become a Secure Execution image, which the build host cannot
    # know (SE images are usually built for a guest elsewhere).
    if [[ -z $(uvsecret_find_binary) ]]; then
        dinfo "dracut module 'uvsecret' will not be installed, because uvsecret-early is not found (set uvsecret_binary=)"
        return 1
    fi
    return 255
}

# called by dracut
depends() {
    # crypt: cryptsetup / systemd-cryptsetup consume the retrieved key file.
    echo crypt
    return 0
}

# called by dracut
installkernel() {
    # uvdevice exists only in s390x kernels: install it when present, never fail without
    # it (x86 test VMs), and independently of hostonly (the build host is usually not the
    # guest).  vfat/isofs + code pages: the config disk is mounted by the binary itself.
    hostonly='' instmods -s uvdevice
    hostonly='' instmods vfat isofs nls_cp437 nls_utf8 nls_iso8859-1
}

# called by dracut
install() {
    local bin confdir f action
    bin=$(uvsecret_find_binary)
    inst_binary "$bin" /usr/sbin/uvsecret-early || return 1

    confdir=${uvsecret_confdir:-/etc/uvsecret}
    inst_dir /etc/uvsecret
    inst_dir /etc/uvsecret/requests
    inst_dir /etc/uvsecret/signers
    if [[ -d $dracutsysrootdir$confdir ]]; then
        [[ -f $dracutsysrootdir$confdir/uvsecret.conf ]] \
            && inst_simple "$dracutsysrootdir$confdir/uvsecret.conf" /etc/uvsecret/uvsecret.conf
        for f in "$dracutsysrootdir$confdir"/signers/*.pem "$dracutsysrootdir$confdir"/signers/*.der \
                 "$dracutsysrootdir$confdir"/signers/*.crt; do
            [[ -f $f && ! -L $f ]] && inst_simple "$f" "/etc/uvsecret/signers/${f##*/}"
        done
        for f in "$dracutsysrootdir$confdir"/requests/*.asr "$dracutsysrootdir$confdir"/requests/*.pol; do
            [[ -f $f && ! -L $f ]] && inst_simple "$f" "/etc/uvsecret/requests/${f##*/}"
        done
    fi

    inst_multiple -o modprobe
    inst_script "$moddir/uvsecret-lib.sh" /usr/lib/uvsecret/uvsecret-lib.sh
    inst_script "$moddir/uvsecret-job.sh" /usr/lib/uvsecret/uvsecret-job.sh
    inst_hook pre-pivot 90 "$moddir/uvsecret-cleanup.sh"

    if dracut_module_included "systemd"; then
        inst_simple "$moddir/uvsecret.service" "$systemdsystemunitdir/uvsecret.service"
        inst_simple "$moddir/uvsecret-cryptsetup.conf" \
            "$systemdsystemunitdir/systemd-cryptsetup@.service.d/50-uvsecret.conf"
        $SYSTEMCTL -q --root "$initdir" add-wants initrd.target uvsecret.service
    else
        inst_hook cmdline 91 "$moddir/uvsecret-queue.sh"
        dracut_need_initqueue
    fi

    # Fail closed means: never an emergency shell on the host-visible console.  These are
    # defaults; the real kernel command line still wins (dracut: last value wins).
    action=${uvsecret_emergency:-poweroff}
    if [[ $action != keep ]]; then
        mkdir -p "$initdir/etc/cmdline.d"
        echo "rd.shell=0 rd.emergency=$action" > "$initdir/etc/cmdline.d/91uvsecret.conf"
    fi
}
