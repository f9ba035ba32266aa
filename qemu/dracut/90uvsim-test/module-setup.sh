#!/bin/bash
# Test-only dracut module of the VM harness (never installed): serves a simulated ultravisor
# as /dev/uv through CUSE before the uvsecret job runs, and prints results to the console.
# Settings (dracut.conf.d): uvsim_cuse, uvsim_hdr, uvsim_host_key, uvsim_ioctl_test.
# Kernel command line:  uvtest.nouv       do not start the simulator (not an SE guest)
#                       uvtest.ioctl      run uvsim-ioctl-test /dev/uv in pre-mount
#                       uvtest.rerun      keep the binary in /run/uvtest for a rerun in the
#                                         booted system
check() { return 255; }
depends() { return 0; }
installkernel() { hostonly='' instmods cuse; }
install() {
    inst_binary "$uvsim_cuse" /usr/sbin/uvsim-cuse || return 1
    inst_simple "$uvsim_hdr" /etc/uvsim/test.hdr || return 1
    inst_simple "$uvsim_host_key" /etc/uvsim/host.key || return 1
    [[ -x $uvsim_ioctl_test ]] && inst_binary "$uvsim_ioctl_test" /usr/sbin/uvsim-ioctl-test
    inst_multiple -o modprobe cat cut sleep date cp sed poweroff
    inst_script "$moddir/uvsim-start.sh" /usr/lib/uvsim/uvsim-start.sh
    inst_script "$moddir/uvsim-status.sh" /usr/lib/uvsim/uvsim-status.sh
    inst_hook pre-mount 99 "$moddir/uvsim-report.sh"
    inst_hook pre-pivot 50 "$moddir/uvsim-prepivot.sh"
    inst_hook emergency 05 "$moddir/uvsim-fail.sh"
    inst_hook shutdown-emergency 05 "$moddir/uvsim-fail.sh"
    if dracut_module_included "systemd"; then
        inst_simple "$moddir/uvsim-cuse.service" "$systemdsystemunitdir/uvsim-cuse.service"
        inst_simple "$moddir/uvsim-status.service" "$systemdsystemunitdir/uvsim-status.service"
        $SYSTEMCTL -q --root "$initdir" add-wants initrd.target uvsim-cuse.service
        $SYSTEMCTL -q --root "$initdir" add-wants initrd.target uvsim-status.service
    else
        inst_hook pre-udev 10 "$moddir/uvsim-preudev.sh"
    fi
}
