#!/bin/sh
# cmdline hook (initramfs without systemd): queue the uvsecret job.
# It runs as a *settled* initqueue job named 00-uvsecret: settled jobs run one after the other
# in glob order, so it runs and returns before any cryptroot-ask-* job (90crypt) of the same
# round.  The finished condition keeps the main loop going until it ran, also when no root
# device is encrypted.  In a systemd initramfs uvsecret.service does the work instead.
[ -n "$DRACUT_SYSTEMD" ] && return 0
mkdir -m 0755 -p /run/uvsecret
/sbin/initqueue --settled --onetime --unique --name 00-uvsecret /usr/lib/uvsecret/uvsecret-job.sh
echo '[ -e /run/uvsecret/.job-done ]' > "$hookdir/initqueue/finished/90-uvsecret.sh"
