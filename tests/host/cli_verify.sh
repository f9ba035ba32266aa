#!/bin/sh
# uvsecret verify: argument forms, outputs per user-data type, and the reference's
# failure messages for malformed requests.
. tests/host/cli_common.inc

cd "$T" || exit 1
A=$V/asrcb/assoc_none_default_cuid_one
NV="--no-verify --hdr $HDR/test_hdr_plain.hdr"

"$UVS" verify "$A" >out 2>err && [ ! -s out ] && grep -q '^Successfully verified the request.$' err; ok $? "no user data: success, nothing written"
"$UVS" verify -i "$A" -o none.out 2>/dev/null && [ ! -e none.out ]; ok $? "-i/-o forms (no user data: no output file)"
"$UVS" verify - <"$A" >/dev/null 2>&1; ok $? "INPUT - reads standard input"
"$UVS" -q verify "$A" 2>err && [ ! -s err ]; ok $? "-q hides the success message"
"$UVS" verify --user-cert "$PKI/host.crt" "$A" >/dev/null 2>&1; ok $? "a certificate is ignored for a request without user data"
head -c 300 /dev/urandom >ud
"$UVS" create -k "$PKI/host.crt" $NV -o u.req --user-data ud meta 2>/dev/null; ok $? "request with 300 bytes of unsigned user data"
"$UVS" verify u.req u.out 2>/dev/null && [ "$(stat -c %s u.out)" = 512 ] && [ "$(head -c 300 u.out | hexof)" = "$(hexof ud)" ] &&
    [ "$(tail -c 212 u.out | hexof)" = "$(rep 0 212 | hexof)" ]; ok $? "unsigned: the 512-byte area = data + zero padding"
head -c 256 /dev/urandom >ud256
"$UVS" create -k "$PKI/host.crt" $NV -o s.req --user-data ud256 --user-sign-key "$PKI/host2.key" association s 2>/dev/null
ok $? "request signed with EC P-521, 256 bytes (the maximum)"
"$UVS" verify --user-cert "$PKI/host2.crt" s.req s.out 2>/dev/null && cmp -s s.out ud256; ok $? "signed: message out equals the user data"
# Any flipped byte of the signed part breaks the signature.
cp s.req flip.req
printf 'Z' | dd of=flip.req bs=1 seek=$((0x218 + 10)) conv=notrunc 2>/dev/null
expect_err "flipped user-data byte: signature fails" "could not be verified" "$UVS" verify --user-cert "$PKI/host2.crt" flip.req
cp s.req flip2.req
printf 'Z' | dd of=flip2.req bs=1 seek=1350 conv=notrunc 2>/dev/null
expect_err "flipped ciphertext byte: signature fails" "could not be verified" "$UVS" verify --user-cert "$PKI/host2.crt" flip2.req
[ ! -e s2.out ] && ! "$UVS" verify --user-cert "$PKI/host2.crt" flip.req s2.out 2>/dev/null && [ ! -e s2.out ]; ok $? "no output file on failure"

# Malformed requests (reference messages, ASR 10.4).
printf 'notarequest-----' >bad_magic
expect_err "wrong magic" "bad_magic: Input does not contain an add-secret request" "$UVS" verify bad_magic
{ head -c 7 "$A"; printf '\005'; tail -c +9 "$A"; } >bad_ud
expect_err "user-data type 5" "bad_ud: Input contains unsupported user-data type: 0x0005" "$UVS" verify bad_ud
printf 'asrcbM\000\000' >short
expect_err "8-byte request" "short: Provided binary request is too small" "$UVS" verify short
{ head -c 8 "$A"; printf '\000\000\002\000'; tail -c +13 "$A"; } >bad_ver
expect_err "version 0x200" "bad_ver: Input does not contain an add-secret request version 1" "$UVS" verify bad_ver
head -c 1000 "$A" >trunc
expect_err "truncated request" "trunc: " "$UVS" verify trunc
head -c $((0x100001)) /dev/zero >huge
expect_err "request over 1 MiB" "huge: .*too large" "$UVS" verify huge
expect_err "missing input" "verify: no INPUT" "$UVS" verify
expect_err "INPUT and -i together" "given more than once" "$UVS" verify "$A" -i "$A" x y
expect_err "unreadable --user-cert" "ud: not an X.509" "$UVS" verify --user-cert ud s.req
tap_done
