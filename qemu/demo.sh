#!/bin/sh
# make demo: the happy path in a systemd initramfs, then a short account of what happened,
# with guest-uptime stamps from the kernel log (printk.time) of the booted system.
set -u
. "${QDIR:-qemu}/vm-lib.sh"
SCEN=${DEMO_SCENARIO:-happy-sd}
echo "== uvsecret demo: $SCEN (x86_64 VM under TCG; simulated ultravisor on /dev/uv) =="
BUILD=$BUILD qemu/vm.sh test "$SCEN" > "$VMDIR/logs/demo-tap.txt"
rc=$?
LOG=$VMDIR/logs/$SCEN.log
[ -f "$LOG" ] || { cat "$VMDIR/logs/demo-tap.txt"; exit 1; }
# kmsg stamp of the first line matching a pattern, as seen by dmesg in the booted system.
r2() { [ -n "$1" ] && awk -v a="$1" 'BEGIN { printf "%.2f", a }'; }
at() { r2 "$(grep -E "REALROOT: kmsg \[ *[0-9.]+\] .*$1" "$LOG" | head -n 1 | sed 's/^REALROOT: kmsg \[ *\([0-9.]*\)\].*/\1/')"; }
lastat() { r2 "$(grep -E "REALROOT: kmsg \[ *[0-9.]+\] .*$1" "$LOG" | tail -n 1 | sed 's/^REALROOT: kmsg \[ *\([0-9.]*\)\].*/\1/')"; }
val() { grep -o "$1" "$LOG" | head -n 1 | sed 's/.*t=//'; }
d() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.2f s", b - a }' || echo "?"; }
t_uv=$(at 'uvsim-test: /dev/uv ready')
t_start=$(at 'uvsecret-dracut: job started')
t_add1=$(at 'uvsecret: .*: added ')
t_addn=$(lastat 'uvsecret: .*: added ')
t_lock=$(at 'uvsecret: secret store locked')
t_retr=$(at 'uvsecret: retrieved ')
t_pre=$(val 'UVTEST: pre-mount t=[0-9.]*')
t_mnt=$(at 'EXT4-fs \(dm-[0-9]+\): mounted')
t_clean=$(at 'uvsecret-dracut: key files removed')
t_real=$(val 'REALROOT: reached t=[0-9.]*')
n_found=$(grep -o '"reason":"[0-9]* added, [0-9]* found"' "$LOG" | head -n 1 | sed 's/.*, \([0-9]*\) found.*/\1/')
n_added=$(awk '/UVTEST: status-begin/ { on = 1; next } /UVTEST: status-end/ { if (on) exit } on' "$LOG" \
          | grep -o '"state":"added"' | wc -l)
echo
echo "  time (guest uptime)  step"
printf '  %8s s            simulated ultravisor serves /dev/uv\n' "${t_uv:-?}"
printf '  %8s s            uvsecret job started (before cryptsetup)\n' "${t_start:-?}"
printf '  %8s s  (%s)  %s requests found on the config disk and verified, first one added\n' "${t_add1:-?}" "$(d "$t_start" "$t_add1")" "${n_found:-?}"
printf '  %8s s  (%s)  all %s added\n' "${t_addn:-?}" "$(d "$t_add1" "$t_addn")" "${n_added:-?}"
printf '  %8s s  (%s)  secret store locked\n' "${t_lock:-?}" "$(d "$t_addn" "$t_lock")"
printf '  %8s s  (%s)  LUKS key retrieved to /run/uvsecret/keys/%s\n' "${t_retr:-?}" "$(d "$t_lock" "$t_retr")" "$SECRET_NAME"
printf '  %8s s  (%s)  root unlocked by cryptsetup (pre-mount reached)\n' "${t_pre:-?}" "$(d "$t_retr" "$t_pre")"
printf '  %8s s  (%s)  root filesystem mounted from /dev/mapper/%s\n' "${t_mnt:-?}" "$(d "$t_pre" "$t_mnt")" "$LUKS_NAME"
printf '  %8s s  (%s)  key file wiped and removed before switch-root\n' "${t_clean:-?}" "$(d "$t_mnt" "$t_clean")"
printf '  %8s s  (%s)  real root running; marker: %s\n' "${t_real:-?}" "$(d "$t_clean" "$t_real")" \
    "$(grep -o 'REALROOT: marker .*' "$LOG" | head -n 1 | sed 's/REALROOT: marker //')"
echo
echo "  status file (/run/uvsecret/status.json, as printed on the console):"
awk '/UVTEST: status-begin/ { on = 1; next } /UVTEST: status-end/ { if (on) exit } on' "$LOG" | sed 's/^/    /'
echo
p=$(grep -c '^ok ' "$VMDIR/logs/demo-tap.txt"); f=$(grep -c '^not ok ' "$VMDIR/logs/demo-tap.txt")
grep '^not ok ' "$VMDIR/logs/demo-tap.txt"
echo "== checks: $p passed, $f failed (console log: $LOG) =="
[ "$rc" -eq 0 ] && [ "$f" -eq 0 ]
