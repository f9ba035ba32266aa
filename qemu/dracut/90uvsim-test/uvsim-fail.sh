#!/bin/sh
# emergency / shutdown-emergency hook (test only): the boot failed closed.
if [ ! -e /run/uvtest-fail-printed ]; then
    : > /run/uvtest-fail-printed
    echo "UVTEST: failed-closed t=$(cut -d' ' -f1 /proc/uptime)" > /dev/console
    [ -b /dev/mapper/luks-root ] && echo "UVTEST: luks-open yes" > /dev/console
    /usr/lib/uvsim/uvsim-status.sh failed
fi
