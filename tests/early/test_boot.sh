#!/bin/sh
# uvsecret-early boot / cleanup per docs/boot-contract.md against the simulated UV core,
# with a temporary directory as "/" (--root) and a directory standing in for each disk.
. tests/early/lib.sh
R=$TMP/root
D=tests/early/data
Q=$TMP/q     # request pool
mkdir -p "$Q"
mkreq --type assoc --name baked -o "$Q/baked.asr"
mkreq --type plain --use-name luks --secret "s3cr3t-passphrase" -o "$Q/luks.asr"
mkreq --type assoc --name other -o "$Q/other.asr"
mkreq --type assoc --name foreign --hdr $S/vectors/sehdr/secure_guest.hdr -o "$Q/foreign.asr"

fresh() {   # fresh root, fresh store; $1 = kernel command line
    rm -rf "$R" "$TMP/state"
    mkdir -p "$R/proc" "$R/run" "$R/etc/uvsecret/requests" "$R/cfg/uvsecret" "$R/boot/sics"
    printf '%s\n' "rd.uvsecret.disk=/cfg rd.uvsecret.timeout=0 $1" >"$R/proc/cmdline"
    sim_on "$TMP/state"
}
boot() { "$E" boot --root "$R" "$@" >"$TMP/out" 2>"$TMP/err"; }
status() { cat "$R/run/uvsecret/status.json"; }
untouched() { [ "$(total)" = 0 ]; }

# ---- switches and the not-SE paths
fresh "rd.uvsecret=0"
cp "$Q/baked.asr" "$R/etc/uvsecret/requests/"
boot; [ $? -eq 2 ]; ok $? "rd.uvsecret=0: exit 2"
untouched; ok $? "disabled: store untouched"
status | grep -q '"result":"disabled"'; ok $? "disabled: status.json says so"
fresh ""
cp "$Q/baked.asr" "$R/etc/uvsecret/requests/"
UVSIM_HDR= boot; [ $? -eq 3 ]; ok $? "no /dev/uv: exit 3"
status | grep -q '"result":"not-se"'; ok $? "not-se status"
fresh "rd.uvsecret.required=baked"
UVSIM_HDR= boot; [ $? -eq 4 ]; ok $? "no /dev/uv with required set: exit 4"
fresh "rd.uvsecret.nose=fail"
UVSIM_HDR= boot; [ $? -eq 4 ]; ok $? "no /dev/uv with nose=fail: exit 4"
fresh "rd.uvsecret.retrieve=luks"
UVSIM_HDR= boot; [ $? -eq 4 ]; ok $? "no /dev/uv with retrieve set (no key file would follow): exit 4"
[ ! -e "$R/run/uvsecret/keys/luks" ]; ok $? "no /dev/uv with retrieve set: no key file"
fresh "rd.uvsecret.requierd=x"
boot; [ $? -eq 1 ]; ok $? "misspelt option: exit 1 (fail closed)"
grep -q "unknown setting 'requierd'" "$TMP/err"; ok $? "misspelt option named"
fresh ""
printf 'lock=maybe\n' >"$R/etc/uvsecret/uvsecret.conf"
boot; [ $? -eq 1 ]; ok $? "bad conf file: exit 1"
grep -q 'uvsecret.conf: line 1' "$TMP/err"; ok $? "conf error names file and line"

# dracut's command-line sources: /etc/cmdline.d/*.conf, /etc/cmdline, /proc/cmdline (last wins)
fresh "rd.uvsecret.lock=0"
mkdir -p "$R/etc/cmdline.d"
echo "rd.uvsecret=0" >"$R/etc/cmdline.d/10-off.conf"
echo "rd.uvsecret.required=x" >"$R/etc/cmdline.d/20-req.conf"
boot; [ $? -eq 2 ]; ok $? "rd.uvsecret=0 from /etc/cmdline.d is honoured"
echo "rd.uvsecret=1" >"$R/etc/cmdline"
boot; [ $? -eq 4 ]; ok $? "/etc/cmdline overrides /etc/cmdline.d (required x missing: exit 4)"
fresh ""
mkdir -p "$TMP/sysfs"
echo 1 >"$TMP/sysfs/prot_virt_guest"
UVSIM_HDR= "$E" --sysfs "$TMP/sysfs" boot --root "$R" >/dev/null 2>"$TMP/err"; [ $? -eq 3 ]; ok $? "SE guest without /dev/uv: exit 3"
grep -q 'prot_virt_guest=1' "$TMP/err"; ok $? "--sysfs: SE guest without the device is told apart"

# ---- nothing to do
fresh ""
boot; [ $? -eq 2 ]; ok $? "no request anywhere: exit 2"
status | grep -q '"locked":true'; ok $? "store locked even when nothing was found"
fresh "rd.uvsecret.disk=LABEL=NOSUCH"
boot; [ $? -eq 2 ]; ok $? "absent config disk (timeout 0): exit 2"
grep -q 'LABEL=NOSUCH not found after 0 s' "$TMP/err"; ok $? "absent disk logged"

# ---- happy path: baked-in + config disk, retrieve, status, idempotence, cleanup
fresh "rd.uvsecret.retrieve=luks rd.uvsecret.required=luks,baked"
cp "$Q/baked.asr" "$R/etc/uvsecret/requests/"
cp "$Q/luks.asr" "$Q/other.asr" "$R/cfg/uvsecret/"
echo "not a request" >"$R/cfg/uvsecret/README.txt"
boot; ok $? "baked-in + disk requests: exit 0"
[ "$(total)" = 3 ]; ok $? "three secrets stored"
"$E" list >"$TMP/list"
sed -n '3p;5p;7p' "$TMP/list" | tr '\n' ' ' | grep -q '^0 Association: 1 PLAINTEXT: 2 Association: $'; ok $? "stable order: initramfs first, then disk files sorted"
K=$R/run/uvsecret/keys/luks
printf 's3cr3t-passphrase' | cmp -s - "$K"; ok $? "key file holds the unframed secret"
[ "$(stat -c %a "$K")" = 400 ] && [ "$(stat -c %a "$R/run/uvsecret/keys")" = 700 ]; ok $? "key file 0400 in a 0700 directory"
grep -c '^uvsecret: .*: added ' "$TMP/err" | grep -qx 3; ok $? "one uvsecret: line per added request"
status | grep -q '"result":"ok"' && status | grep -q '"retrieved":"luks"'; ok $? "status.json: ok, retrieved luks"
! grep -q 's3cr3t' "$R/run/uvsecret/status.json" "$TMP/err" "$TMP/out"; ok $? "the secret appears in no log or status"
"$E" add "$Q/other.asr" 2>/dev/null; [ $? -eq 1 ]; ok $? "store is locked after boot"
boot; ok $? "second boot in the same store: exit 0"
[ "$(total)" = 3 ]; ok $? "second boot adds nothing (IDs already stored)"
grep -c 'skipped' "$TMP/err" | grep -qx 3; ok $? "three requests skipped"
ln "$K" "$R/run/keylink"   # a second name shows what cleanup did to the bytes
"$E" cleanup --root "$R"; ok $? "cleanup"
[ ! -e "$R/run/uvsecret/keys" ]; ok $? "cleanup removed the key directory"
[ "$(stat -c %s "$R/run/keylink")" = 17 ] && ! tr -d '\000' <"$R/run/keylink" | grep -q .
ok $? "cleanup overwrote the 0400 key file with zeros before removing it"
rm -f "$R/run/keylink"
[ -e "$R/run/uvsecret/status.json" ]; ok $? "status.json stays"

# ---- LABEL= resolution (udev's \xNN escaping) and --cmdline
fresh ""
printf '%s\n' 'rd.uvsecret.disk="LABEL=MY KEYS" rd.uvsecret.timeout=0' >"$R/proc/cmdline"
mkdir -p "$R/dev/disk/by-label/MY\x20KEYS/uvsecret"
cp "$Q/luks.asr" "$R/dev/disk/by-label/MY\x20KEYS/uvsecret/"
boot; ok $? "LABEL with a space found as /dev/disk/by-label/MY\\x20KEYS"
[ "$(total)" = 1 ]; ok $? "request from the labelled disk added"
fresh ""
cp "$Q/luks.asr" "$R/cfg/uvsecret/"
echo "rd.uvsecret=0" >"$TMP/cmdline"
"$E" boot --root "$R" --cmdline "$TMP/cmdline" >/dev/null 2>&1; [ $? -eq 2 ]; ok $? "--cmdline replaces /proc/cmdline"
untouched; ok $? "--cmdline: nothing added"

# ---- lock=0, duplicates inside the set
fresh "rd.uvsecret.lock=0"
cp "$Q/luks.asr" "$R/cfg/uvsecret/a.asr"
cp "$Q/luks.asr" "$R/cfg/uvsecret/b.asr"
boot; ok $? "same request twice: exit 0"
[ "$(total)" = 1 ]; ok $? "duplicate ID inside the set added once"
grep -q 'b.asr: skipped.*same ID as disk/a.asr' "$TMP/err"; ok $? "duplicate named in the log"
"$E" add "$Q/other.asr" 2>/dev/null; ok $? "lock=0 leaves the store open"

# ---- malformed inputs: exit 4, store untouched, file and reason named
bad_case() {   # $1 what, $2 expected reason (grep), then commands creating cfg/uvsecret/bad.asr
    what=$1 reason=$2
    shift 2
    fresh ""
    cp "$Q/baked.asr" "$R/etc/uvsecret/requests/"
    cp "$Q/luks.asr" "$R/cfg/uvsecret/good.asr"
    "$@"
    boot; rc=$?
    [ $rc -eq 4 ]; ok $? "$what: exit 4"
    untouched; ok $? "$what: store untouched"
    grep -q "$reason" "$TMP/err"; ok $? "$what: reason given"
}
bad_case "truncated request" "bad.asr: .*" sh -c "head -c 700 '$Q/other.asr' >'$R/cfg/uvsecret/bad.asr'"
bad_case "wrong magic" "bad.asr: .*magic\|bad.asr: .*asrcb" sh -c "(printf 'XXXXXX'; tail -c +7 '$Q/other.asr') >'$R/cfg/uvsecret/bad.asr'"
bad_case "zero length" "bad.asr: " sh -c ": >'$R/cfg/uvsecret/bad.asr'"
bad_case "lying size field (rql)" "bad.asr: " sh -c "cp '$Q/other.asr' '$R/cfg/uvsecret/bad.asr'; printf '\377' | dd of='$R/cfg/uvsecret/bad.asr' bs=1 seek=12 conv=notrunc 2>/dev/null"
bad_case "huge keyslot count" "bad.asr: " sh -c "cp '$Q/other.asr' '$R/cfg/uvsecret/bad.asr'; printf '\377' | dd of='$R/cfg/uvsecret/bad.asr' bs=1 seek=39 conv=notrunc 2>/dev/null"
bad_case "directory named *.asr" "bad.asr: is a directory" mkdir "$R/cfg/uvsecret/bad.asr"
bad_case "symlink named *.asr" "bad.asr: is a symbolic link" ln -s ../../etc/uvsecret/requests/baked.asr "$R/cfg/uvsecret/bad.asr"
bad_case "FIFO named *.asr" "bad.asr: not a regular file" mkfifo "$R/cfg/uvsecret/bad.asr"
bad_case "oversize file" "bad.asr: file too large" sh -c "head -c 40000 /dev/zero >'$R/cfg/uvsecret/bad.asr'"
bad_case "symlinked request directory" "not a directory (or a symbolic link)" sh -c "rm -rf '$R/cfg/uvsecret'; mkdir '$R/elsewhere'; cp '$Q/luks.asr' '$R/elsewhere/'; ln -s ../elsewhere '$R/cfg/uvsecret'"

# ---- the ultravisor refuses one request: exit 5, earlier ones stay
fresh ""
cp "$Q/baked.asr" "$R/etc/uvsecret/requests/"
cp "$Q/foreign.asr" "$R/cfg/uvsecret/"
boot; [ $? -eq 5 ]; ok $? "request for another SE header: exit 5"
grep -q 'foreign.asr: refused by the ultravisor: Ultravisor: .*(0x' "$TMP/err"; ok $? "UV rc in the log line"
status | grep -q '"result":"uv-refused"'; ok $? "status uv-refused"

# ---- 10 000 junk files: clear error, fast, nothing added
fresh ""
cp "$Q/luks.asr" "$R/cfg/uvsecret/"
( cd "$R/cfg/uvsecret" && i=0 && while [ $i -lt 10000 ]; do : >"junk$i"; i=$((i + 1)); done )
start=$(date +%s)
boot; rc=$?
[ $rc -eq 4 ]; ok $? "10 000 junk files: exit 4"
[ $(( $(date +%s) - start )) -lt 20 ]; ok $? "10 000 junk files: no hang"
grep -q 'too many directory entries' "$TMP/err"; ok $? "10 000 junk files: clear reason"
untouched; ok $? "10 000 junk files: store untouched"
fresh ""
( cd "$R/cfg/uvsecret" && i=0 && while [ $i -lt 65 ]; do cp "$Q/other.asr" "r$i.asr"; i=$((i + 1)); done )
boot; [ $? -eq 4 ]; ok $? "65 request files: exit 4"
grep -q 'too many request files' "$TMP/err"; ok $? "65 request files: reason"

# ---- required / retrieve
fresh "rd.uvsecret.required=luks,missing-one"
cp "$Q/luks.asr" "$R/cfg/uvsecret/"
boot; [ $? -eq 4 ]; ok $? "required secret missing: exit 4"
untouched; ok $? "required missing: nothing was added"
status | grep -q '"missing":"missing-one"'; ok $? "status names the missing secret"
AID=$(printf 'baked' | sha256sum | cut -c1-64)
fresh "rd.uvsecret.required=0x$AID,luks"
cp "$Q/baked.asr" "$Q/luks.asr" "$R/cfg/uvsecret/"
boot; ok $? "required by hex ID and by name: exit 0"
fresh "rd.uvsecret.required=baked"
cp "$Q/baked.asr" "$R/cfg/uvsecret/"
boot; ok $? "required by name (SHA-256 ID): exit 0"
fresh "rd.uvsecret.retrieve=nothere"
cp "$Q/baked.asr" "$R/cfg/uvsecret/"
boot; [ $? -eq 4 ]; ok $? "retrieve of an absent secret: exit 4"
untouched; ok $? "retrieve of an absent secret: checked before anything is added"
fresh "rd.uvsecret.retrieve=../etc"
boot; [ $? -eq 1 ]; ok $? "unsafe retrieve name: exit 1"

# ---- trusted signers
fresh ""
mkdir -p "$R/etc/uvsecret/signers"
cp $D/ec521.crt "$R/etc/uvsecret/signers/owner.pem"
cp $D/rsa2048.der "$R/etc/uvsecret/signers/backup.der"
mkreq --type assoc --name signed-ec --sign $D/ec521.key --user-data "ok" -o "$R/cfg/uvsecret/a.asr"
mkreq --type plain --use-name signed-rsa --sign $D/rsa2048.key -o "$R/cfg/uvsecret/b.asr"
boot; ok $? "requests signed by trusted signers: exit 0"
[ "$(total)" = 2 ]; ok $? "both signed requests added"
fresh ""
mkdir -p "$R/etc/uvsecret/signers"
cp $D/ec521.crt "$R/etc/uvsecret/signers/owner.pem"
mkreq --type assoc --name signed-ec --sign $D/ec521.key -o "$R/cfg/uvsecret/a.asr"
cp "$Q/luks.asr" "$R/cfg/uvsecret/b.asr"
boot; [ $? -eq 4 ]; ok $? "unsigned request with signers configured: exit 4"
untouched; ok $? "unsigned request: nothing added (not even the signed one)"
grep -q 'b.asr: .*not signed' "$TMP/err"; ok $? "unsigned request named"
fresh ""
mkdir -p "$R/etc/uvsecret/signers"
cp $D/ec521.crt "$R/etc/uvsecret/signers/owner.pem"
openssl ecparam -name secp521r1 -genkey -noout -out "$TMP/intruder.key" 2>/dev/null
mkreq --type assoc --name evil --sign "$TMP/intruder.key" -o "$R/cfg/uvsecret/a.asr"
boot; [ $? -eq 4 ]; ok $? "request signed by an unknown key: exit 4"
grep -q 'signature does not verify' "$TMP/err"; ok $? "bad signature named"
fresh ""
mkdir -p "$R/etc/uvsecret/signers"
echo garbage >"$R/etc/uvsecret/signers/broken.pem"
boot; [ $? -eq 1 ]; ok $? "unreadable signer file: exit 1"
# The image may be unencrypted (the threat model): a signing key placed among the signers
# would hand it to the host, which could then sign its own requests.  Refused, fail closed.
for k in ec521.key rsa2048.key; do
    fresh ""
    mkdir -p "$R/etc/uvsecret/signers"
    cp $D/$k "$R/etc/uvsecret/signers/owner.pem"
    mkreq --type assoc --name signed-ec --sign $D/ec521.key -o "$R/cfg/uvsecret/a.asr"
    boot; [ $? -eq 1 ]; ok $? "private key ($k, PEM) among the signers: exit 1"
    untouched; ok $? "private key among the signers: nothing added"
    grep -q 'owner.pem: a private key' "$TMP/err"; ok $? "private key among the signers: named"
done
fresh ""
mkdir -p "$R/etc/uvsecret/signers"
openssl pkey -in $D/ec521.key -outform DER -out "$R/etc/uvsecret/signers/owner.der" 2>/dev/null
boot; [ $? -eq 1 ]; ok $? "private key (DER) among the signers: exit 1"

# ---- TOC mode (pvebc layout on the boot media)
toc_setup() {   # $1: extra command line (default: no config disk)
    fresh "${1-rd.uvsecret.disk=none} rd.uvsecret.bootdev=/boot rd.uvsecret.toc=toc.asr"
    B2=$R/boot/sics
    rm -f "$TMP/toc.pol"
    mkreq --type plain --use-name luks-rfs-passphrase --secret pp --toc-policy "$TMP/toc.pol" -o "$B2/luks-rfs-passphrase.asr"
    mkreq --type aes256 --use-name rfs-key --toc-policy "$TMP/toc.pol" -o "$B2/rfs.asr"
    cp "$TMP/toc.pol" "$B2/toc.pol"
    mkreq --type meta --policy "$B2/toc.pol" -o "$B2/toc.asr"
    cp "$Q/other.asr" "$B2/unlisted.asr"
}
toc_setup
boot; ok $? "TOC mode: exit 0"
[ "$(total)" = 2 ]; ok $? "TOC mode: the two listed requests added (meta is not listed)"
grep -q 'unlisted.asr: ignored: not listed' "$TMP/err"; ok $? "TOC mode: unlisted request ignored"
grep -n 'added' "$TMP/err" | head -1 | grep -q 'toc.asr'; ok $? "TOC mode: toc.asr added first"
grep -q '^uvsecret: boot/toc.asr: added meta (no ID)$' "$TMP/err"; ok $? "TOC mode: the log names the TOC request's kind: meta"
! grep -q 'Invalid(' "$TMP/err"; ok $? "TOC mode: no request is logged as Invalid(...)"
status | grep -q '"file":"toc.asr","state":"added","reason":"added","type":"meta"'; ok $? "TOC mode: status.json type of the TOC request is meta"
grep -q '^uvsecret: boot/rfs.asr: added AES-256-KEY (rfs-key | 0x' "$TMP/err"; ok $? "TOC mode: listable kinds keep pvsecret's name in the log"
toc_setup ""   # a config disk (/cfg) is configured too, but the TOC is the whole set of disk requests
cp "$Q/other.asr" "$R/cfg/uvsecret/other.asr"
echo junk >"$R/cfg/uvsecret/junk.asr"
cp "$Q/baked.asr" "$R/etc/uvsecret/requests/"
boot; ok $? "TOC mode with a config disk: exit 0"
[ "$(total)" = 3 ]; ok $? "TOC mode with a config disk: the two listed and the baked-in request added"
grep -q '^uvsecret: disk /cfg not read: TOC mode' "$TMP/err" && ! grep -q 'other.asr\|junk.asr' "$TMP/err"
ok $? "TOC mode: the config disk is not read, and the log says so"
toc_setup
echo "00112233445566778899aabbccddeeff" >>"$B2/toc.pol"
boot; [ $? -eq 4 ]; ok $? "TOC mode: changed toc.pol: exit 4"
grep -q 'does not match its SHA-256 reference' "$TMP/err"; ok $? "TOC mode: hash mismatch named"
untouched; ok $? "TOC mode: nothing added (not even toc.asr)"
toc_setup
mkreq --type aes256 --use-name rfs-key -o "$B2/rfs.asr"
boot; [ $? -eq 4 ]; ok $? "TOC mode: replaced request: exit 4"
grep -q 'no request with tag' "$TMP/err"; ok $? "TOC mode: missing tag named"
untouched; ok $? "TOC mode: replaced request: nothing added"
toc_setup
rm "$B2/toc.asr"
boot; [ $? -eq 4 ]; ok $? "TOC mode: toc.asr missing: exit 4"
toc_setup
printf 'x' >"$B2/pol2"
mkreq --type assoc --name withpol --policy "$B2/pol2" --toc-policy "$B2/toc.pol" -o "$B2/withpol.asr"
mkreq --type meta --policy "$B2/toc.pol" -o "$B2/toc.asr"
boot; ok $? "TOC mode: listed request with its own policy reference: exit 0"
toc_setup
printf 'x' >"$B2/pol2"
mkreq --type assoc --name withpol --policy "$B2/pol2" --toc-policy "$B2/toc.pol" -o "$B2/withpol.asr"
mkreq --type meta --policy "$B2/toc.pol" -o "$B2/toc.asr"
printf 'y' >"$B2/pol2"
boot; [ $? -eq 4 ]; ok $? "TOC mode: request's own policy changed: exit 4"
untouched; ok $? "TOC mode: own policy changed: nothing added"

# TOC mode with trusted signers: the TOC request is the one request exempt from the
# signature check, so it must be a meta request (no secret).  Otherwise a host writes its
# own toc.pol listing a genuine signed request, and its own unsigned PLAINTEXT "luks" with
# a policy reference to that toc.pol as toc.asr: a host-chosen LUKS key, retrieved.
toc_signed_setup() {
    fresh "rd.uvsecret.disk=none rd.uvsecret.bootdev=/boot rd.uvsecret.toc=toc.asr $1"
    mkdir -p "$R/etc/uvsecret/signers"
    cp $D/ec521.crt "$R/etc/uvsecret/signers/owner.pem"
    B2=$R/boot/sics
    rm -f "$TMP/toc.pol"
    mkreq --type assoc --name signed-ec --sign $D/ec521.key --toc-policy "$TMP/toc.pol" -o "$B2/signed.asr"
    cp "$TMP/toc.pol" "$B2/toc.pol"
}
toc_signed_setup ""
mkreq --type meta --policy "$B2/toc.pol" -o "$B2/toc.asr"
boot; ok $? "TOC mode with signers: meta TOC request, signed listed request: exit 0"
toc_signed_setup "rd.uvsecret.retrieve=luks"
mkreq --type plain --use-name luks --secret host-chosen --policy "$B2/toc.pol" -o "$B2/toc.asr"
boot; [ $? -eq 4 ]; ok $? "TOC mode with signers: a TOC request carrying a secret: exit 4"
untouched; ok $? "TOC mode with signers: secret-carrying TOC request: nothing added"
[ ! -e "$R/run/uvsecret/keys/luks" ]; ok $? "TOC mode with signers: no host-chosen key file"
grep -q 'toc.asr: .*TOC request is not a meta request' "$TMP/err"; ok $? "TOC mode: non-meta TOC request named"

# ---- a kernel without the secret-store ioctls (crypto-free stub transport)
STUB=$B/test/early/uvsecret-early-stub
fresh ""
"$STUB" --device "$TMP/nostore" boot --root "$R" >/dev/null 2>"$TMP/err"; [ $? -eq 2 ]; ok $? "no secret-store support, nothing configured: exit 2"
grep -q 'cannot be locked' "$TMP/err"; ok $? "unlockable store logged"
cp "$Q/luks.asr" "$R/cfg/uvsecret/"
"$STUB" --device "$TMP/nostore" boot --root "$R" >/dev/null 2>"$TMP/err"; [ $? -eq 5 ]; ok $? "no secret-store support with a request: exit 5"
"$STUB" boot --root "$R" >/dev/null 2>&1; ok $? "stub UV accepts the request: exit 0"
# update-CCK (accepted by the crypto-free stub): named update-CCK, not Invalid(0x0016)
fresh ""
mkreq --type cck -o "$R/cfg/uvsecret/cck.asr"
"$STUB" boot --root "$R" >/dev/null 2>"$TMP/err"; ok $? "update-CCK request on the stub UV: exit 0"
grep -q '^uvsecret: disk/cck.asr: added update-CCK (no ID)$' "$TMP/err"; ok $? "log names an update-CCK request update-CCK"
status | grep -q '"file":"cck.asr","state":"added","reason":"added","type":"update-CCK"'; ok $? "status.json type of an update-CCK request"

# ---- the static musl binary on a machine without /dev/uv
fresh ""
"$STATIC" --device "$TMP/absent" boot --root "$R" >/dev/null 2>"$TMP/err"; [ $? -eq 3 ]; ok $? "static binary: no device: exit 3"
"$STATIC" cleanup --root "$R"; ok $? "static binary: cleanup with nothing to clean"

# ---- a refused retrieve after a successful one leaves no key behind
fresh "rd.uvsecret.retrieve=luks,other"
cp "$Q/luks.asr" "$Q/other.asr" "$R/cfg/uvsecret/"
boot; [ $? -eq 5 ]; ok $? "association secret cannot be retrieved: exit 5"
grep -q "retrieved 'luks'" "$TMP/err" && [ ! -e "$R/run/uvsecret/keys/luks" ]; ok $? "the key retrieved before the refusal was removed"
status | grep -q '"retrieved":""'; ok $? "status.json: nothing retrieved"

# ---- a root path too long for the paths below it: one line, exit 1
LONG=$TMP/$(printf 'd%.0s' $(seq 1 600))
"$E" boot --root "$LONG" >/dev/null 2>"$TMP/err"; [ $? -eq 1 ]; ok $? "overlong --root: exit 1"
[ "$(wc -l <"$TMP/err")" = 1 ] && grep -q '^uvsecret-early: boot: --root .*: path too long$' "$TMP/err"
ok $? "overlong --root: one line naming the reason"
tap_done
