#!/bin/sh
# pre-mount hook (both modes; after cryptsetup): what the root looks like now (test only).
{
    echo "UVTEST: pre-mount t=$(cut -d' ' -f1 /proc/uptime)"
    [ -b /dev/mapper/luks-root ] && echo "UVTEST: luks-open yes"
    [ -f /run/uvsecret/keys/luks-root ] && echo "UVTEST: keyfile-in-initramfs yes"
} > /dev/console 2>&1
echo "uvsim-test: pre-mount reached" > /dev/kmsg
[ -n "$DRACUT_SYSTEMD" ] || /usr/lib/uvsim/uvsim-status.sh pre-mount
if getargbool 0 uvtest.ioctl && [ -x /usr/sbin/uvsim-ioctl-test ]; then
    echo "UVTEST: ioctl-begin" > /dev/console
    /usr/sbin/uvsim-ioctl-test /dev/uv 2>&1 | sed 's/^/UVIOCTL: /' > /dev/console
    echo "UVTEST: ioctl-end" > /dev/console
    poweroff -f
fi
