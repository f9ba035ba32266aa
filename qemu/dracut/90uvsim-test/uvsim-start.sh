#!/bin/sh
# Starts the simulated ultravisor on /dev/uv (test only).
type getarg > /dev/null 2>&1 || . /lib/dracut-lib.sh
if getargbool 0 uvtest.nouv; then
    echo "uvsim-test: no simulated ultravisor (uvtest.nouv)" > /dev/kmsg
    exit 0
fi
modprobe cuse || { echo "uvsim-test: modprobe cuse failed" > /dev/kmsg; exit 1; }
mkdir -p /run/uvsim
/usr/sbin/uvsim-cuse --hdr /etc/uvsim/test.hdr --host-key /etc/uvsim/host.key \
    --state /run/uvsim --devname uv > /dev/console 2>&1
i=0
while [ ! -c /dev/uv ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ -c /dev/uv ]; then
    echo "uvsim-test: /dev/uv ready (simulated ultravisor)" > /dev/kmsg
    exit 0
fi
echo "uvsim-test: /dev/uv did not appear" > /dev/kmsg
exit 1
