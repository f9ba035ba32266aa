#!/bin/bash
# The bash completions offer what the binaries' --help lists, and complete sub-commands and
# option values.
. tests/lib/tap.sh
B=${BUILD:-build}
. host-tools/uvsecret.bash-completion
. early/uvsecret-early.bash-completion

# comp FUNC WORD... : COMPREPLY for the last word, one per line
comp() {
    local f=$1; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
    "$f"
    printf '%s\n' "${COMPREPLY[@]}"
}
has() { grep -qx -- "$2" <<<"$1"; }

[ -x "$B/uvsecret" ] && [ -x "$B/uvsecret-early" ]; ok $? "binaries built in $B"
r=$(comp _uvsecret uvsecret "")
has "$r" create && has "$r" verify && has "$r" info; ok $? "uvsecret: sub-commands"
r=$(comp _uvsecret uvsecret create "")
[ "$(sort <<<"$r" | tr '\n' ' ')" = "association meta retrievable update-cck " ]; ok $? "create: the four kinds"
r=$(comp _uvsecret uvsecret create retrievable --type "")
[ "$(tr '\n' ' ' <<<"$r")" = "plain aes aes-xts hmac-sha ec " ]; ok $? "--type values"
for kind in meta association retrievable update-cck; do
    offered=$(comp _uvsecret uvsecret create "$kind" x --)
    missing=""
    listed=$({ "$B/uvsecret" create --help; "$B/uvsecret" create "$kind" --help; } 2>&1 |
             grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
    [ -n "$listed" ] || missing=" (no --help output)"
    for o in $listed; do
        has "$offered" "$o" || missing="$missing $o"
    done
    [ -z "$missing" ]; ok $? "create $kind: every option of create --help and its own is completed${missing:+ (missing:$missing)}"
done
for c in verify info; do
    offered=$(comp _uvsecret uvsecret "$c" --)
    missing=""
    for o in $("$B/uvsecret" "$c" --help 2>&1 | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
        has "$offered" "$o" || missing="$missing $o"
    done
    [ -z "$missing" ]; ok $? "$c: every option of --help is completed${missing:+ (missing:$missing)}"
done

r=$(comp _uvsecret_early uvsecret-early "")
missing=""
for c in $("$B/uvsecret-early" --help 2>&1 | awk '/^  [a-z]/ { print $1 }'); do
    has "$r" "$c" || missing="$missing $c"
done
[ -z "$missing" ] && [ -n "$r" ]; ok $? "uvsecret-early: every command of --help is completed${missing:+ (missing:$missing)}"
r=$(comp _uvsecret_early uvsecret-early list --format "")
[ "$(tr '\n' ' ' <<<"$r")" = "human yaml json bin " ]; ok $? "uvsecret-early list --format values"
tap_done
