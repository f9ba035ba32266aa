#!/bin/sh
# pre-pivot hook (both modes; dracut-pre-pivot.service runs it with systemd): remove the
# retrieved key files before switch-root, since /run moves into the booted system.
if [ -x /usr/sbin/uvsecret-early ] && [ -d /run/uvsecret/keys ]; then
    if /usr/sbin/uvsecret-early cleanup; then
        echo "<30>uvsecret-dracut: key files removed before switch-root" > /dev/kmsg 2> /dev/null
    else
        warn "uvsecret: cleanup failed; removing /run/uvsecret/keys"
        rm -rf -- /run/uvsecret/keys
    fi
fi
