#!/bin/sh
# Judging of VM scenarios from the serial-console log (sourced by vm.sh).  Every check is a
# TAP line; the status file is printed to the console by the test-only dracut module between
# "UVTEST: status-begin" and "UVTEST: status-end".
. tests/lib/tap.sh

has() { grep -Eq -- "$1" "$LOG"; }
hasnt() { ! grep -Eq -- "$1" "$LOG"; }
# First line number of a pattern (0 if absent).
lineof() { _l=$(grep -En -- "$1" "$LOG" | head -n 1 | cut -d: -f1); echo "${_l:-0}"; }

# The first printed status block -> $STATUS (file).
extract_status() {
    STATUS=$VMDIR/run/$1/status.json
    awk '/UVTEST: status-begin/ { on = 1; next } /UVTEST: status-end/ { if (on) exit } on' \
        "$LOG" | tr -d '\r' > "$STATUS"
    RERUN=$VMDIR/run/$1/rerun-status.json
    awk '/REALROOT: rerun-exit/ { on = 1; next } /REALROOT: rerun-end/ { exit } on' \
        "$LOG" | tr -d '\r' > "$RERUN"
}
st_has() { grep -Eq -- "$1" "$STATUS"; }

# No secret on the console, neither as hex nor as base64 (the values are random bytes).
no_secret_in_log() {
    for _sf in "$@"; do
        _hex=$(od -An -tx1 -v "$_sf" | tr -d ' \n')
        grep -qi -- "$_hex" "$LOG" && return 1
        _b64=$(base64 -w0 < "$_sf")
        grep -qF -- "$_b64" "$LOG" && return 1
    done
    return 0
}

powered_off() { has 'reboot: Power down' && hasnt 'Kernel panic'; }

judge_common_boot() { # NAME
    ok $? "$1: VM ran (qemu status $2)"
    powered_off; ok $? "$1: guest powered itself off (no panic, no timeout)"
}

judge_happy() { # NAME
    _n=$1
    has 'uvsim-test: /dev/uv ready'; ok $? "$_n: simulated ultravisor served /dev/uv"
    has 'uvsecret: secrets added \(exit 0\)'; ok $? "$_n: uvsecret job succeeded (exit 0)"
    [ -s "$STATUS" ]; ok $? "$_n: status file printed"
    st_has '"result":"ok"' && st_has '"exit":0'; ok $? "$_n: status result ok, exit 0"
    st_has '01-extra.asr' && st_has "02-$SECRET_NAME.asr"; ok $? "$_n: status names both requests"
    [ "$(grep -o '"state":"added"' "$STATUS" | wc -l)" -eq 2 ]; ok $? "$_n: status reports both requests added"
    st_has '"locked":true'; ok $? "$_n: status reports the store locked"
    st_has "\"retrieved\":\"[^\"]*$SECRET_NAME"; ok $? "$_n: status reports $SECRET_NAME retrieved"
    has 'UVTEST: keyfile-in-initramfs yes'; ok $? "$_n: key file under /run/uvsecret/keys before switch-root"
    has 'UVTEST: luks-open yes'; ok $? "$_n: LUKS root opened with the retrieved key"
    _a=$(lineof 'uvsecret: secrets added'); _b=$(lineof 'UVTEST: luks-open yes')
    [ "$_a" -gt 0 ] && [ "$_b" -gt "$_a" ]; ok $? "$_n: secrets added before the LUKS root was opened"
    has "REALROOT: root /dev/mapper/$LUKS_NAME"; ok $? "$_n: real root mounted from /dev/mapper/$LUKS_NAME"
    has "REALROOT: marker $MARKER"; ok $? "$_n: marker file of the real root printed"
    has 'REALROOT: run-carried-over yes'; ok $? "$_n: /run of the initramfs (with status.json) seen in the booted system"
    has 'REALROOT: keys-dir absent'; ok $? "$_n: retrieved key file gone from /run in the booted system"
    no_secret_in_log "$(vm_secret)" "$(extra_secret)"; ok $? "$_n: no secret value on the console"
}

judge_rerun() {
    _n=$1
    has 'REALROOT: rerun-exit 0'; ok $? "$_n: rerun in the booted system exits 0"
    [ "$(grep -o '"state":"skipped","reason":"ID already in the secret store"' "$RERUN" | wc -l)" -eq 2 ]
    ok $? "$_n: rerun reports both IDs already present"
    [ -s "$RERUN" ] && ! grep -q '"state":"added"' "$RERUN"; ok $? "$_n: rerun added nothing"
    has 'REALROOT: rerun-keys-dir absent'; ok $? "$_n: rerun's key file removed by cleanup"
}

judge_failed_closed() { # NAME EXITLINE-REGEX
    _n=$1
    has "$2"; ok $? "$_n: uvsecret job failed closed: $(echo "$2" | tr -d '\\')"
    has 'UVTEST: failed-closed'; ok $? "$_n: emergency path (rd.emergency=poweroff) reached"
    hasnt 'UVTEST: luks-open yes' && hasnt 'Finished .*Cryptography Setup'; ok $? "$_n: no LUKS device opened"
    hasnt 'REALROOT:'; ok $? "$_n: the real root was never started"
    no_secret_in_log "$(vm_secret)" "$(extra_secret)"; ok $? "$_n: no secret value on the console"
}

judge_nothing_added() {
    [ -s "$STATUS" ] && ! grep -q '"state":"added"' "$STATUS"
    ok $? "$1: status file says nothing was added"
}

judge_booted_on() {
    has "REALROOT: marker $MARKER"; ok $? "$1: booted on to the real root"
}

judge_scenario() {
    _s=$1
    if ! need_bins; then
        ok 1 "$_s: project binaries present (see message above)"
        return
    fi
    run_scenario "$_s"
    _rc=$?
    extract_status "$_s"
    [ "$_rc" -eq 0 ]; judge_common_boot "$_s" "$_rc"
    case $_s in
    happy-sd) judge_happy "$_s"
              has 'Finished .*Cryptography Setup'; ok $? "$_s: systemd-cryptsetup opened the root" ;;
    happy-nosd) judge_happy "$_s"; judge_rerun "$_s" ;;
    tamper-*) judge_failed_closed "$_s" 'uvsecret: policy failure \(exit 4\)'
              case $_s in *-sd) has 'Dependency failed for .*Cryptography Setup'
                  ok $? "$_s: systemd-cryptsetup instance refused to start (drop-in Requires=uvsecret.service)" ;; esac
              judge_nothing_added "$_s" ;;
    other-image) judge_failed_closed "$_s" 'uvsecret: ultravisor refused a request \(exit 5\)'
                 has 'uvsecret: .*refused by the ultravisor: .*\(0x[0-9a-f]{4},0x[0-9a-f]{4}\)'; ok $? "$_s: the UV's reason and return code are on the console" ;;
    nodisk-req) judge_failed_closed "$_s" 'uvsecret: policy failure \(exit 4\)'
                _t=$(grep -o 'UVTEST: failed-closed t=[0-9]*' "$LOG" | head -n1 | sed 's/.*t=//')
                [ -n "$_t" ] && [ "$_t" -ge 5 ]; ok $? "$_s: failed only after the bounded wait (t=${_t:-?} s)" ;;
    nodisk-opt) has 'uvsecret: nothing to do \(exit 2\)'; ok $? "$_s: job reports nothing to do"
                judge_booted_on "$_s" ;;
    nose-ok) has 'uvsecret: not a Secure Execution guest \(exit 3\)'; ok $? "$_s: job reports not an SE guest"
             judge_booted_on "$_s" ;;
    nose-fail) judge_failed_closed "$_s" 'uvsecret: policy failure \(exit 4\)' ;;
    ioctl) _p=$(grep -c '^UVIOCTL: ok ' "$LOG"); _f=$(grep -c '^UVIOCTL: not ok ' "$LOG")
           [ "$_p" -gt 0 ]; ok $? "$_s: uvsim-ioctl-test ran in the VM ($_p checks passed)"
           [ "$_f" -eq 0 ]; ok $? "$_s: no ioctl check failed ($_f failed)"
           has 'UVTEST: ioctl-end'; ok $? "$_s: ioctl test completed" ;;
    esac
    vm_msg "log: $LOG"
}
