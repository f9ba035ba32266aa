# Shell side of the TAP helpers; source it from test scripts.
#   ok COND_EXIT_STATUS "what"   -- usage:  some_command; ok $? "what"
#   expect_fail "what" cmd...    -- passes if cmd exits non-zero
#   expect_ok "what" cmd...      -- passes if cmd exits zero
tap_n=0
tap_failed=0
ok() {
    tap_n=$((tap_n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $tap_n - $2"; else tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $2"; fi
}
expect_ok() { what=$1; shift; "$@" >"${TAP_OUT:-/dev/null}" 2>&1; ok $? "$what"; }
expect_fail() { what=$1; shift; if "$@" >"${TAP_OUT:-/dev/null}" 2>&1; then ok 1 "$what"; else ok 0 "$what"; fi; }
tap_done() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
