#!/bin/sh
# Shared helpers of the uvsecret dracut module (POSIX sh; sourced, never executed).

type getarg > /dev/null 2>&1 || . /lib/dracut-lib.sh

UVSECRET_BIN=/usr/sbin/uvsecret-early
UVSECRET_RUN=/run/uvsecret

# One line to the console and the kernel log (kmsg gives it a timestamp).
uvsecret_log() {
    echo "uvsecret: $*" > /dev/console 2> /dev/null
    echo "<30>uvsecret-dracut: $*" > /dev/kmsg 2> /dev/null
    return 0
}

# Runs the binary and maps its exit code (docs/boot-contract.md) to 0 = continue the boot,
# 1 = fail closed.  The reason is already on the console (one line per request); this adds
# one summary line.
uvsecret_boot() {
    local rc
    echo "<30>uvsecret-dracut: job started" > /dev/kmsg 2> /dev/null
    modprobe -q uvdevice > /dev/null 2>&1
    "$UVSECRET_BIN" boot
    rc=$?
    case $rc in
        0) uvsecret_log "secrets added (exit 0)"; return 0 ;;
        2) uvsecret_log "nothing to do (exit 2), continuing"; return 0 ;;
        3) uvsecret_log "not a Secure Execution guest (exit 3), continuing"; return 0 ;;
        1) uvsecret_log "usage or internal error (exit 1): failing closed" ;;
        4) uvsecret_log "policy failure (exit 4): failing closed" ;;
        5) uvsecret_log "ultravisor refused a request (exit 5): failing closed" ;;
        *) uvsecret_log "unexpected exit status $rc: failing closed" ;;
    esac
    return 1
}
