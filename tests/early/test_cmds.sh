#!/bin/sh
# uvsecret-early add / list / lock / retrieve / verify against the simulated UV core
# (pvsecret-compatible outputs, uvdevice.md §10), and the static musl binary's verify.
. tests/early/lib.sh
sim_on "$TMP/state"
R=$TMP/req
mkdir -p "$R"
mkreq --type assoc --name "association secret" -o "$R/assoc.asr"
mkreq --type plain --use-name "luks key" --secret "correct horse" -o "$R/plain.asr"
mkreq --type aes256 --use-name aeskey -o "$R/aes.asr"
mkreq --type plain --use-name "luks key" --secret "other" -o "$R/plain2.asr"

"$E" list >"$TMP/out" 2>&1
printf 'Total number of secrets: 0\n' | cmp -s - "$TMP/out"; ok $? "list: empty store is one line"
"$E" list --format yaml >"$TMP/out"
printf 'total_num_secrets: 0\nsecrets: []\n' | cmp -s - "$TMP/out"; ok $? "list yaml: empty store"

"$E" add "$R/assoc.asr" 2>"$TMP/err"; ok $? "add association"
grep -q 'Successfully added the secret' "$TMP/err"; ok $? "add prints the pvsecret confirmation"
"$E" add "$R/plain.asr" 2>/dev/null; ok $? "add plaintext"
"$E" add "$R/plain2.asr" 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "add with an ID already stored is refused"
grep -q 'Unable to add the secret due to duplicated IDs' "$TMP/err"; ok $? "duplicate message"
[ "$(total)" = 2 ]; ok $? "refused duplicate did not reach the store"
"$E" add "$R/plain2.asr" --force 2>"$TMP/err"; ok $? "add --force adds the duplicate"
grep -q "'--force' specified" "$TMP/err"; ok $? "--force message"
"$E" add "$R/aes.asr" 2>/dev/null; ok $? "add AES-256 key"

"$E" list >"$TMP/out"
AID=$(printf 'association secret' | sha256sum | cut -c1-64)
cat >"$TMP/want" <<EOT
Total number of secrets: 4

0 Association:
 0x$AID
1 PLAINTEXT:
 luks key | 0x6c756b73206b6579000000000000000000000000000000000000000000000000
2 PLAINTEXT:
 luks key | 0x6c756b73206b6579000000000000000000000000000000000000000000000000
3 AES-256-KEY:
 aeskey | 0x6165736b65790000000000000000000000000000000000000000000000000000
EOT
cmp -s "$TMP/want" "$TMP/out"; ok $? "list human: exact pvsecret shape"
"$E" list --format yaml >"$TMP/out"
head -6 "$TMP/out" | cmp -s - /dev/stdin <<EOT
total_num_secrets: 4
secrets:
- index: 0
  stype: 2
  len: 32
  id: 0x$AID
EOT
ok $? "list yaml: exact shape"
"$E" list --format json >"$TMP/out"
grep -q '^{"total_num_secrets":4,"secrets":\[{"index":0,"stype":2,"len":32,"id":"0x'"$AID"'"}' "$TMP/out"; ok $? "list json"
"$E" list --format bin -o "$TMP/list.bin" 2>"$TMP/err"; ok $? "list bin to a file"
[ "$(stat -c %s "$TMP/list.bin")" -eq $((16 + 4 * 48)) ]; ok $? "list bin: header + 4 entries"
[ "$(od -An -tx1 -N4 "$TMP/list.bin" | tr -d ' ')" = 00040004 ]; ok $? "list bin: big-endian counts"
grep -q "Successfully wrote the list of secrets to '$TMP/list.bin'" "$TMP/err"; ok $? "list -o message"
"$E" list -o "$TMP/list.bin" 2>/dev/null && grep -q '^Total number of secrets: 4$' "$TMP/list.bin"; ok $? "list -o replaces an existing file (like pvsecret)"
"$E" list --format xml >/dev/null 2>&1; [ $? -eq 1 ]; ok $? "unknown list format refused"

"$E" retrieve --name "luks key" --outform bin >"$TMP/out" 2>"$TMP/err"
ok $? "retrieve by name"
printf 'correct horse' | cmp -s - "$TMP/out"; ok $? "retrieved plaintext is unframed (first of the duplicates)"
grep -q 'multiple' "$TMP/err"; [ $? -ne 0 ]; ok $? "name lookup takes the first entry"
"$E" retrieve 0x6c756b73206b6579000000000000000000000000000000000000000000000000 >"$TMP/out" 2>"$TMP/err"
ok $? "retrieve by hex ID (PEM)"
grep -q 'multiple secrets' "$TMP/err"; ok $? "hex ID with duplicates warns"
printf -- '-----BEGIN PLAINTEXT SECRET-----\nY29ycmVjdCBob3JzZQ==\n-----END PLAINTEXT SECRET-----\n' | cmp -s - "$TMP/out"
ok $? "PEM output of a plaintext secret"
"$E" retrieve --index 2 --outform bin -o "$TMP/k2" 2>/dev/null; ok $? "retrieve by index to a file"
printf 'other' | cmp -s - "$TMP/k2"; ok $? "index 2 holds the forced duplicate"
[ "$(stat -c %a "$TMP/k2")" = 600 ]; ok $? "secret output file is 0600"
"$E" retrieve --index 1 -o "$TMP/k2" 2>/dev/null; [ $? -eq 1 ]; ok $? "existing output file is not overwritten"
printf 'other' | cmp -s - "$TMP/k2"; ok $? "existing file unchanged"
"$E" retrieve --index 3 >"$TMP/out" 2>/dev/null; ok $? "retrieve the AES key"
head -3 "$TMP/out" | sed -n 2p | grep -qx 'kind: AES-256-KEY'; ok $? "protected key PEM has the kind header"
"$E" retrieve --index 0 -o "$TMP/none" 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "association is not retrievable"
[ ! -e "$TMP/none" ]; ok $? "failed retrieve leaves no output file"
grep -q "not retrievable\|0x0111" "$TMP/err"; ok $? "UV code in the message"
"$E" retrieve --index 9 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "unknown index refused"
grep -q 'no secret with the index 9' "$TMP/err"; ok $? "unknown index message"
"$E" retrieve 0x1234 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "malformed ID refused"
grep -q 'Cannot parse SecretId' "$TMP/err"; ok $? "malformed ID message"

"$E" lock 2>"$TMP/err"; ok $? "lock"
grep -q 'Successfully locked secret store' "$TMP/err"; ok $? "lock message"
"$E" lock 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "second lock fails"
grep -q "error: Ultravisor: 'secret store already locked' (0x0102,0x0000)" "$TMP/err"; ok $? "already-locked message"
mkreq --type assoc --name late -o "$R/late.asr"
"$E" add "$R/late.asr" 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "add after lock fails"
grep -q "secret store locked" "$TMP/err"; ok $? "locked message"

# Malformed inputs to add: one clear line, nothing stored.
before=$(total)
head -c 100 "$R/assoc.asr" >"$R/trunc.asr"
"$E" add "$R/trunc.asr" 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "truncated request refused"
grep -q "^uvsecret-early: $R/trunc.asr: " "$TMP/err"; ok $? "error line names the file"
: >"$R/empty.asr"
"$E" add "$R/empty.asr" 2>/dev/null; [ $? -eq 1 ]; ok $? "empty request refused"
mkdir "$R/dir.asr"
"$E" add "$R/dir.asr" 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "directory refused"
grep -q 'is a directory' "$TMP/err"; ok $? "directory reason"
ln -s "$R/assoc.asr" "$R/link.asr"
"$E" add "$R/link.asr" 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "symlink refused"
grep -q 'symbolic link' "$TMP/err"; ok $? "symlink reason"
[ "$(total)" = "$before" ]; ok $? "store untouched by malformed inputs"
UVSIM_HDR= "$E" list 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "list without a device fails"
grep -q 'Cannot open `/dev/uv`' "$TMP/err"; ok $? "cannot-open message"

# verify (also with the static musl binary, which needs no device).
D=tests/early/data
for bin in "$E" "$STATIC"; do
    n=${bin##*/}
    "$bin" verify $D/ec521.asr --signer $D/ec521.crt -o "$TMP/ud" 2>"$TMP/err"; ok $? "$n verify ECDSA P-521"
    [ "$(stat -c %s "$TMP/ud")" -eq 256 ]; ok $? "$n verify writes the 256-byte message"
    rm -f "$TMP/ud"
    "$bin" verify $D/rsa3072-maxsalt.asr --signer $D/rsa3072.crt >/dev/null 2>&1; ok $? "$n verify RSA-PSS 3072, max salt"
    "$bin" verify $D/rsa2048.asr >/dev/null 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "$n signed request without signer fails"
    grep -q 'No user-key for verification provided' "$TMP/err"; ok $? "$n no-key message"
    "$bin" verify $D/rsa2048.asr --signer $D/rsa3072.crt >/dev/null 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "$n wrong key size fails"
    grep -q 'Provided user-data key type (RSA 3072) does not match with the user-data (RSA 2048 signed)' "$TMP/err"; ok $? "$n mismatch message"
    "$bin" verify $D/unsigned.asr >"$TMP/ud" 2>/dev/null; ok $? "$n unsigned user data verifies"
    [ "$(stat -c %s "$TMP/ud")" -eq 512 ] && head -c 9 "$TMP/ud" | grep -q 'just text'; ok $? "$n unsigned: 512 bytes of user data"
    cp $D/ec521.asr "$TMP/t.asr"
    printf 'X' | dd of="$TMP/t.asr" bs=1 seek=1200 conv=notrunc 2>/dev/null
    "$bin" verify "$TMP/t.asr" --signer $D/ec521.crt >/dev/null 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "$n tampered request fails"
    grep -q 'could not be verified' "$TMP/err"; ok $? "$n tamper message"
done
"$STATIC" --device "$TMP/nodev" list 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "static binary: list without /dev/uv fails"
"$STATIC" --version | grep -q 'uvsecret-early version'; ok $? "--version"
"$STATIC" frobnicate 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "unknown command: exit 1"
[ "$(wc -l <"$TMP/err")" = 1 ] && grep -q "^uvsecret-early: unknown command 'frobnicate' (" "$TMP/err"; ok $? "unknown command: one line"

# CMD --help / -h: that command's usage on stdout, exit 0 (also after other arguments).
for c in add list lock retrieve retr verify boot cleanup; do
    u=$c; [ $c = retr ] && u=retrieve
    for h in --help -h; do
        "$STATIC" $c $h >"$TMP/out" 2>"$TMP/err"; r=$?
        [ $r -eq 0 ] && [ ! -s "$TMP/err" ] && head -1 "$TMP/out" | grep -q "^usage: uvsecret-early $u\( \|\$\)" &&
            grep -q -- '-h, --help' "$TMP/out"
        ok $? "$c $h: its usage on stdout, exit 0"
    done
done
"$STATIC" add x.asr --force --help >"$TMP/out" 2>/dev/null && grep -q '^usage: uvsecret-early add ' "$TMP/out"; ok $? "add REQUEST --force --help: help, nothing added"
"$E" retrieve --help >"$TMP/out" 2>/dev/null && grep -q -- '--outform' "$TMP/out"; ok $? "retrieve --help lists its options"
"$STATIC" list -o -h --help >"$TMP/out" 2>/dev/null && grep -q '^usage: uvsecret-early list' "$TMP/out" && [ ! -e -h ]; ok $? "an option's value '-h' is a value, not a help request"
# Every long option a command's --help lists is completed.
if command -v bash >/dev/null; then
    for c in add list lock retrieve verify boot cleanup; do
        missing=$(bash -c '. early/uvsecret-early.bash-completion
            COMP_WORDS=(uvsecret-early "$1" --); COMP_CWORD=2; COMPREPLY=(); _uvsecret_early
            listed=$("$2" "$1" --help 2>/dev/null | grep -oE -- "--[a-z][a-z-]*" | sort -u)
            [ -n "$listed" ] || printf " (no --help output)"
            for o in $listed; do
                printf "%s\n" "${COMPREPLY[@]}" | grep -qx -- "$o" || printf " %s" "$o"
            done' sh "$c" "$STATIC")
        [ -z "$missing" ]; ok $? "completion of $c offers every option of $c --help${missing:+ (missing:$missing)}"
    done
fi

# Usage errors: one line "uvsecret-early: CMD: WHAT (usage: uvsecret-early CMD ...)", exit 1.
usage_err() {   # usage_err CMD ARGS...: the line on stderr, exit 1
    c=$1; shift
    "$STATIC" --device "$TMP/nodev" "$@" >"$TMP/out" 2>"$TMP/err"; r=$?
    [ $r -eq 1 ] && [ ! -s "$TMP/out" ] && [ "$(wc -l <"$TMP/err")" = 1 ] &&
        grep -q "^uvsecret-early: $c: [^(]* (usage: uvsecret-early $c[ )]" "$TMP/err" &&
        ! grep -q 'uvsecret-early: usage:' "$TMP/err"
}
usage_err add add; ok $? "add without REQUEST: one clean usage line, exit 1"
grep -q '^uvsecret-early: add: missing REQUEST (usage: uvsecret-early add REQUEST \[--force\])$' "$TMP/err"; ok $? "add without REQUEST: exact line"
usage_err add add --bogus; ok $? "add --bogus: usage line"
usage_err add add a b; ok $? "add with two requests: usage line"
usage_err list list --format; ok $? "list --format without a value: usage line"
grep -q "option '--format' needs a value" "$TMP/err"; ok $? "list --format without a value: named"
usage_err list list --bogus; ok $? "list --bogus: usage line"
usage_err lock lock now; ok $? "lock with an argument: usage line"
usage_err retrieve retrieve; ok $? "retrieve without a selector: usage line"
usage_err retrieve retr 0x00 --index 1; ok $? "retr with two selectors: usage line"
usage_err retrieve retrieve --name; ok $? "retrieve --name without a value: usage line"
usage_err verify verify; ok $? "verify without REQUEST: usage line"
usage_err verify verify a b; ok $? "verify with two requests: usage line"
usage_err boot boot --bogus; ok $? "boot --bogus: usage line, exit 1"
usage_err boot boot --root; ok $? "boot --root without a value: usage line"
usage_err cleanup cleanup extra; ok $? "cleanup with an argument: usage line"
# The shipping s390x binary (big-endian, static) under qemu-user: verify and the no-device boot.
S390=$B/s390x/uvsecret-early
QEMU=${QEMU_S390X:-qemu-s390x-static}
"$QEMU" "$S390" verify $D/ec521.asr --signer $D/ec521.crt -o /dev/null 2>/dev/null; ok $? "s390x binary: verify ECDSA P-521"
"$QEMU" "$S390" verify $D/rsa2048-maxsalt.asr --signer $D/rsa2048.key -o /dev/null 2>/dev/null; ok $? "s390x binary: verify RSA-PSS with a private key as signer"
"$QEMU" "$S390" verify $D/rsa2048.asr --signer $D/rsa3072.crt -o /dev/null 2>/dev/null; [ $? -eq 1 ]; ok $? "s390x binary: wrong signer refused"
mkdir -p "$TMP/s390root/proc" "$TMP/s390root/run"
: >"$TMP/s390root/proc/cmdline"
"$QEMU" "$S390" --device "$TMP/nodev" boot --root "$TMP/s390root" >/dev/null 2>&1; [ $? -eq 3 ]; ok $? "s390x binary: boot without /dev/uv exits 3"
grep -q '"result":"not-se"' "$TMP/s390root/run/uvsecret/status.json"; ok $? "s390x binary: status.json written"
tap_done
