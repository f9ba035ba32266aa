#!/bin/sh
# Prints /run/uvsecret/status.json to the console between markers (test only).
{
    echo "UVTEST: status-begin $1 t=$(cut -d' ' -f1 /proc/uptime)"
    if [ -f /run/uvsecret/status.json ]; then
        cat /run/uvsecret/status.json
        echo
    else
        echo "(no status file)"
    fi
    echo "UVTEST: status-end"
} > /dev/console 2>&1
exit 0
