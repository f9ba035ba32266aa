#!/bin/sh
# uvsecret job: run by uvsecret.service (systemd initramfs) or as a settled initqueue job
# named 00-uvsecret (initramfs without systemd), before any cryptsetup.
. /usr/lib/uvsecret/uvsecret-lib.sh

if uvsecret_boot; then
    [ -n "$DRACUT_SYSTEMD" ] || : > "$UVSECRET_RUN/.job-done"
    exit 0
fi

# Fail closed.
if [ -n "$DRACUT_SYSTEMD" ]; then
    # uvsecret.service fails: OnFailure=emergency.target, and the cryptsetup instances
    # (drop-in Requires=uvsecret.service) never start.
    exit 1
fi
# Without systemd this job is a child of /init's initqueue loop: die() would only end this
# process, so act here.  The done marker is never written, so the loop cannot move on.
mkdir -p /run/initramfs
: > /run/initramfs/.die
echo "<24>dracut: FATAL: uvsecret: failing closed" > /dev/kmsg 2> /dev/null
if getargbool 0 rd.shell; then
    emergency_shell -n uvsecret "uvsecret: failing closed"
else
    source_hook shutdown-emergency
fi
case "$(getarg rd.emergency)" in
    reboot) reboot -f ;;
    halt) halt -f ;;
    *) poweroff -f ;;
esac
# Should the action itself fail: stop the machine the hard way, never continue.
echo o > /proc/sysrq-trigger 2> /dev/null
while :; do sleep 60; done
