#!/bin/sh
# uvsecret create: the IBM documentation examples (fake PKI renamed as in the docs),
# every sub-command and option, NAME.yaml, file modes, refusal to overwrite, no partial
# outputs, --input-secret/--output-secret round trip.  Requests are decoded with
# `uvsecret info --json`, opened with the test host key (test_cli_units open) and
# checked by the simulated ultravisor (uvsim check).
. tests/host/cli_common.inc

TAG_PLAIN=f3a8318427e80fa0edd4389abbb134ad
EXT_CCKEXT=dfbc6ac4f424d78e4c9e3c4f5b77ca3ff70860796e3ea21fad9d4d85243529c6
PHKH_HOST=24933f75ee107c806fe602a7da7b610e54369af96a847f2dcc4fcfdbd81fbc05
PHKH_HOST2=491bc0601fe89fd793f1ec8534f1ae63e9c280331c245c453d64afc8b5aa1bcc
ZERO32=$(rep 0 32 | hexof)

opened() { "$OPENER" open "$1" "$PKI/${2:-host}.key" "$PKI/${2:-host}.crt" >"$T/open.txt" 2>&1; }
secret_of() { sed -n 's/^secret //p' "$T/open.txt"; }
ext_of() { sed -n 's/^ext //p' "$T/open.txt"; }
uvcheck() { "$UVSIM" check --hdr "$1" --host-key "$PKI/host.key" --state "$T/uv.$3" "$2" >"$T/uv.out" 2>&1 && grep -q accepted "$T/uv.out"; }

# ---- The two IBM documentation examples, verbatim apart from the fake-PKI options ----
D=$T/doc; mkdir "$D"
cp "$PKI/host.crt" "$D/z16.crt"; cp "$PKI/inter_ca.crt" "$D/DigiCertCA.crt"; cp "$PKI/ibm.crt" "$D/ibm-sign.crt"
cp "$HDR/test_hdr_plain.hdr" "$D/se.hdr"
FAKEROOT="--root-ca $PKI/root_ca.chained.crt --crl $PKI/inter_ca.crl --crl $PKI/ibm.crl --offline"
(cd "$D" && "$UVS" create association -k z16.crt --hdr se.hdr -o addSecretReq -C DigiCertCA.crt -C ibm-sign.crt \
    "myConfidentialSecret" --output-secret my_random_secret $FAKEROOT) >"$T/doc1.out" 2>"$T/doc1.err"
ok $? "doc example 1: create association ... --output-secret my_random_secret"
[ "$(stat -c %s "$D/addSecretReq")" = 1416 ]; ok $? "doc example 1: 1416-byte request"
[ "$(stat -c %s:%a "$D/my_random_secret")" = 32:600 ]; ok $? "doc example 1: secret file of 32 bytes, mode 0600"
printf '!Association\nname: myConfidentialSecret\nid: 0x%s\n' "$(sha256s myConfidentialSecret)" >"$T/want.yaml"
cmp -s "$T/want.yaml" "$D/myConfidentialSecret.yaml"; ok $? "doc example 1: myConfidentialSecret.yaml exactly as the reference writes it"
grep -q "^Successfully generated the request\$" "$T/doc1.err" &&
    grep -q "^Successfully wrote secret info to 'myConfidentialSecret.yaml'\$" "$T/doc1.err"; ok $? "doc example 1: success messages"
! grep -q 'verification is disabled' "$T/doc1.err"; ok $? "doc example 1: host key verified (no --no-verify warning)"
"$UVS" info --json "$D/addSecretReq" >"$T/d1.json" 2>&1
[ "$(jget "$T/d1.json" secret_id)" = "$(sha256s myConfidentialSecret)" ] && [ "$(jget "$T/d1.json" se_header_tag)" = $TAG_PLAIN ] &&
    grep -q "\"$PHKH_HOST\"" "$T/d1.json"; ok $? "doc example 1: ID, header tag and keyslot in the request"
opened "$D/addSecretReq"; ok $? "doc example 1: request opens with the host private key"
[ "$(secret_of)" = "$(hexof "$D/my_random_secret")" ] && [ "$(ext_of)" = "$ZERO32" ]; ok $? "doc example 1: encrypted secret = my_random_secret, no extension secret"
uvcheck "$HDR/test_hdr_plain.hdr" "$D/addSecretReq" d1; ok $? "doc example 1: the simulated UV accepts the request"

cp "$HDR/test_hdr_cckext.hdr" "$D/se.hdr"
rep 102 32 >"$D/cck"
(cd "$D" && "$UVS" create association -k z16.crt --hdr se.hdr -o addSecretReqCCK -C DigiCertCA.crt -C ibm-sign.crt \
    --cck cck "myConfidentialSecret" $FAKEROOT) >"$T/doc2.out" 2>"$T/doc2.err"
ok $? "doc example 2: create association ... --cck cck"
opened "$D/addSecretReqCCK" && [ "$(ext_of)" = $EXT_CCKEXT ]; ok $? "doc example 2: extension secret = HKDF(CCK, header tag) from the README"
uvcheck "$HDR/test_hdr_cckext.hdr" "$D/addSecretReqCCK" d2; ok $? "doc example 2: the simulated UV (CCK enforced) accepts it"

# ---- --input-secret re-uses the saved secret: same ID, same value, fresh request ----
(cd "$D" && "$UVS" create association -k z16.crt --hdr se.hdr -o again -C DigiCertCA.crt -C ibm-sign.crt \
    --cck cck "myConfidentialSecret" --input-secret my_random_secret $FAKEROOT) >/dev/null 2>"$T/re.err"
ok $? "create with --input-secret my_random_secret"
"$UVS" info --json "$D/again" >"$T/again.json" 2>&1
[ "$(jget "$T/again.json" secret_id)" = "$(jget "$T/d1.json" secret_id)" ]; ok $? "re-used secret: same secret ID"
opened "$D/again" && [ "$(secret_of)" = "$(hexof "$D/my_random_secret")" ]; ok $? "re-used secret: same secret value inside"
[ "$(jget "$T/again.json" customer_key_x)" != "$(jget "$T/d1.json" customer_key_x)" ] &&
    [ "$(jget "$T/again.json" iv)" != "$(jget "$T/d1.json" iv)" ]; ok $? "re-used secret: fresh customer key and IV"
[ "$(stat -c %s "$D/my_random_secret")" = 32 ]; ok $? "--input-secret file left as it was"

# ---- --no-verify, -k lists, NAME.yaml placement, --stdout, -o - -----------------------
NV="--no-verify --hdr $HDR/test_hdr_plain.hdr"
mkdir "$T/sub"
"$UVS" create -k "$PKI/host.crt,$PKI/host2.crt" $NV -o "$T/sub/req" association EXAMPLE >"$T/o" 2>"$T/e"
ok $? "create with -k A,B (comma list) and --no-verify"
grep -q '^Host-key document verification is disabled. The secret may not be protected.$' "$T/e"; ok $? "--no-verify warns loudly"
"$UVS" info --json "$T/sub/req" >"$T/two.json" 2>&1
[ "$(jget "$T/two.json" nks)" = 2 ] && [ "$(sed -n '/"keyslots"/{n;p;n;p}' "$T/two.json" | tr -d ' ",\n')" = "$PHKH_HOST$PHKH_HOST2" ]
ok $? "two keyslots, in command-line order"
[ "$(cat "$T/sub/EXAMPLE.yaml")" = "$(printf '!Association\nname: EXAMPLE\nid: 0xf2e8378c30d317abfcddf9e67472c7569cfaf24573095ccead2969adae665cff')" ]
ok $? "EXAMPLE.yaml in the directory of -o, ID of the spec example"
grep -q "wrote secret info to '$T/sub/EXAMPLE.yaml'" "$T/e"; ok $? "message names the YAML path"
opened "$T/sub/req" host2; ok $? "second keyslot opens with host2.key"
"$UVS" create -k "$PKI/host.crt" -k "$PKI/host2.crt" $NV -o "$T/k2" meta 2>/dev/null &&
    [ "$(stat -c %s "$T/k2")" = $((1272 + 160)) ]; ok $? "repeated -k: meta request of 1432 bytes"
(cd "$T/sub" && "$UVS" create -k "$PKI/host.crt" $NV -o req2 association "my secret name" --stdout) >"$T/so" 2>"$T/se"
ok $? "association --stdout"
printf '!Association\nname: my secret name\nid: 0x%s\n\n' "$(sha256s 'my secret name')" >"$T/want"
cmp -s "$T/want" "$T/so" && [ ! -e "$T/sub/my_secret_name.yaml" ]; ok $? "--stdout prints the YAML and an empty line, writes no file"
(cd "$T/sub" && "$UVS" create -k "$PKI/host.crt" $NV -o req3 association "v1.2 key" 2>/dev/null) && [ -f "$T/sub/v1.yaml" ]
ok $? "NAME.yaml: white space mapped, extension replaced (v1.2 key -> v1.yaml)"
"$UVS" create -k "$PKI/host.crt" $NV -o - meta >"$T/stdout.req" 2>/dev/null && [ "$(stat -c %s "$T/stdout.req")" = 1352 ] &&
    "$UVS" info "$T/stdout.req" >/dev/null 2>&1; ok $? "-o - writes the request to standard output"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/req9" -v association verbose 2>"$T/v.err" >/dev/null &&
    grep -q "^Use host-key document at '$PKI/host.crt'\$" "$T/v.err" && grep -q "^Successfully wrote the request to '$T/req9'\$" "$T/v.err"
ok $? "-v names each host-key document and the request file"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/req9q" -q association quiet 2>"$T/q.err" >/dev/null && [ -s "$T/req9q" ] &&
    ! grep -q Successfully "$T/q.err"; ok $? "-q after the command hides the success messages"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/req10" -f --crl-timeout 5 --no-crl-cache meta 2>/dev/null; ok $? "-f, --crl-timeout, --no-crl-cache accepted"
"$UVS" create -k "$PKI/host.crt" $VERIFY --crl-cache "$T/cache" --hdr "$HDR/test_hdr_plain.hdr" -o "$T/req11" meta 2>/dev/null; ok $? "--crl-cache DIR accepted with --offline"
"$UVS" create -k "$PKI/host.crt" --crt "$PKI/der.crt,$PKI/inter_ca.chained.crt" --root-ca "$PKI/root_ca.chained.crt" --crl "$PKI/der.crl" \
    --offline --hdr "$HDR/test_hdr_plain.hdr" -o "$T/req13" meta 2>"$T/e13"; ok $? "--crt alias, comma list, DER signing key, CRL inside a -C PEM file, DER CRL"
"$UVS" create -k "$PKI/host.crt" -C "$PKI/ibm.chained.crt" -C "$PKI/inter_ca.chained.crt" --root-ca "$PKI/root_ca.chained.crt" \
    --offline --hdr "$HDR/test_hdr_plain.hdr" -o "$T/req14" meta 2>/dev/null; ok $? "all CRLs carried inside the -C and --root-ca PEM files"
expect_err "same, without the signing key's CRL: no valid CRL" "No valid CRL" "$UVS" create -k "$PKI/host.crt" -C "$PKI/ibm.crt" \
    -C "$PKI/inter_ca.chained.crt" --root-ca "$PKI/root_ca.chained.crt" --offline --hdr "$HDR/test_hdr_plain.hdr" -o "$T/req15" meta
"$UVS" create --host-key-document="$PKI/host.crt" --no-verify --hdr="$HDR/test_hdr_plain.hdr" --output="$T/req12" meta 2>/dev/null; ok $? "--opt=VALUE forms"

# ---- --use-name, retrievable kinds, update-cck, meta flags ------------------------
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/un" --use-name retrievable "Nice Test 123" --secret "$PKI/host.key" --type ec 2>/dev/null
ok $? "retrievable --type ec with --use-name"
"$UVS" info --json "$T/un" >"$T/un.json" 2>&1
[ "$(jget "$T/un.json" secret_id)" = "4e69636520546573742031323300$(rep 0 18 | hexof)" ] && [ "$(jget "$T/un.json" secret_id_text)" = "Nice Test 123" ]
ok $? "--use-name: ID = name bytes zero-padded (ASR 8.1 check value)"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/un31" --use-name association "$(rep 0x61 31)" --stdout 2>"$T/un31.err" >/dev/null &&
    ! grep -q WARNING "$T/un31.err" &&
    "$UVS" create -k "$PKI/host.crt" $NV -o "$T/un32" --use-name association "$(rep 0x61 32)" --stdout 2>"$T/un32.err" >/dev/null &&
    grep -q "^WARNING: --use-name keeps only the first 31 bytes" "$T/un32.err"
ok $? "--use-name warns when the name is cut (32 bytes), not at 31"
[ "$(jget "$T/un.json" secret_type)" = 19 ] && [ "$(jget "$T/un.json" secret_len)" = 80 ]; ok $? "ec P-521 key: type 0x13, 80 bytes"
printf '!Retrievable\nkind: 19 (EC-SECP521R1-PRIVATE-KEY)\nname: Nice Test 123\nid: 0x4e69636520546573742031323300%s\n' "$(rep 0 18 | hexof)" >"$T/want"
cmp -s "$T/want" "$T/Nice_Test_123.yaml"; ok $? "retrievable YAML with kind line"
rep 17 32 >"$T/aes32"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/aes" retrievable aeskey --secret "$T/aes32" --type aes 2>/dev/null &&
    "$UVS" info --json "$T/aes" >"$T/aes.json" && [ "$(jget "$T/aes.json" secret_kind)" = AES-256-KEY ] &&
    opened "$T/aes" && [ "$(secret_of)" = "$(hexof "$T/aes32")" ]; ok $? "retrievable aes: AES-256-KEY holding the key bytes"
printf 'hello' >"$T/plain"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/pl" retr plainsecret --secret "$T/plain" --type plain 2>/dev/null &&
    opened "$T/pl" && [ "$(secret_of)" = "0005$(hexof "$T/plain")000000000000000000" ]; ok $? "retr plain: length-prefixed, padded to 16"
rep 7 64 >"$T/k64"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/xts" retrievable x --secret "$T/k64" --type aes-xts 2>/dev/null &&
    "$UVS" info --json "$T/xts" >"$T/x.json" && [ "$(jget "$T/x.json" secret_type)" = 8 ]; ok $? "aes-xts 64 bytes: type 8"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/hm" retrievable h --secret "$T/k64" --type hmac-sha 2>/dev/null &&
    "$UVS" info --json "$T/hm" >"$T/h.json" && [ "$(jget "$T/h.json" secret_type)" = 9 ]; ok $? "hmac-sha 64 bytes: type 9"
rep 9 32 >"$T/newcck"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/cck" update-cck --secret "$T/newcck" 2>/dev/null &&
    "$UVS" info --json "$T/cck" >"$T/c.json" && [ "$(jget "$T/c.json" secret_type)" = 22 ] && opened "$T/cck" &&
    [ "$(secret_of)" = "$(hexof "$T/newcck")" ] && [ ! -e "$T/.yaml" ]; ok $? "update-cck: type 0x16 with the new CCK"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/m1" --flags disable-dump meta 2>/dev/null && "$UVS" info --json "$T/m1" >"$T/m1.json" &&
    [ "$(jget "$T/m1.json" flags)" = 0x8000000000000000 ]; ok $? "--flags disable-dump"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/m2" --pcf 1 meta 2>/dev/null && "$UVS" info --json "$T/m2" >"$T/m2.json" &&
    [ "$(jget "$T/m2.json" flags)" = 0x0000000000000001 ]; ok $? "--pcf 1 stored unchanged"
uvcheck "$HDR/test_hdr_plain.hdr" "$T/m1" m1; ok $? "the simulated UV accepts the disable-dump meta request"

# ---- CUID, extension secret ----------------------------------------------------
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/cu" --cuid-hex 0X00112233445566778899AABBCCDDEEFF meta 2>/dev/null &&
    "$UVS" info --json "$T/cu" >"$T/cu.json" && [ "$(jget "$T/cu.json" cuid)" = 00112233445566778899aabbccddeeff ]; ok $? "--cuid-hex (upper case, 0X)"
printf 'version: 1\nattestation:\n  cuid: '"'"'0xffeeddccbbaa99887766554433221100'"'"'\n' >"$T/cuid.yaml"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/cu2" --cuid "$T/cuid.yaml" meta 2>/dev/null &&
    "$UVS" info --json "$T/cu2" >"$T/cu2.json" && [ "$(jget "$T/cu2.json" cuid)" = ffeeddccbbaa99887766554433221100 ]; ok $? "--cuid YAML file (nested cuid)"
rep 23 32 >"$T/ext"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/ex" --extension-secret "$T/ext" meta 2>/dev/null && opened "$T/ex" &&
    [ "$(ext_of)" = "$(hexof "$T/ext")" ] && [ -z "$(secret_of)" ]; ok $? "--extension-secret carried as the last 32 plaintext bytes"

# ---- user data, signing, policy, TOC -------------------------------------------
printf 'user message' >"$T/ud"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/u1" --user-data "$T/ud" meta 2>/dev/null && "$UVS" info --json "$T/u1" >"$T/u1.json" &&
    [ "$(jget "$T/u1.json" user_data_type)" = 1 ]; ok $? "--user-data: unsigned (type 1)"
"$UVS" verify "$T/u1" "$T/u1.out" 2>"$T/v.err" && [ "$(stat -c %s "$T/u1.out")" = 512 ] &&
    [ "$(head -c 12 "$T/u1.out")" = "user message" ] && grep -q '^Successfully verified the request.$' "$T/v.err"
ok $? "verify writes the 512-byte user-data area"
: >"$T/empty"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/u0" --user-data "$T/empty" meta 2>"$T/u0.err" && grep -q '^Added empty user-data file.$' "$T/u0.err"
ok $? "empty --user-data warns"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/s1" --user-data "$T/ud" --user-sign-key "$PKI/host.key" association signed 2>/dev/null &&
    "$UVS" info --json "$T/s1" >"$T/s1.json" && [ "$(jget "$T/s1.json" user_data_type)" = 2 ]; ok $? "--user-sign-key EC P-521: type 2"
"$UVS" verify --user-cert "$PKI/host.crt" "$T/s1" -o "$T/s1.out" 2>/dev/null && [ "$(stat -c %s "$T/s1.out")" = 256 ] &&
    [ "$(head -c 12 "$T/s1.out")" = "user message" ]; ok $? "verify --user-cert: signature good, 256-byte message out"
uvcheck "$HDR/test_hdr_plain.hdr" "$T/s1" s1; ok $? "the simulated UV accepts the signed request"
expect_err "verify with another certificate fails" "could not be verified" "$UVS" verify --user-cert "$PKI/host2.crt" "$T/s1"
expect_err "verify of signed data without a certificate fails" "No user-key" "$UVS" verify "$T/s1"
expect_err "verify with an RSA certificate: key type mismatch" "RSA 4096.*ECDSA signed" "$UVS" verify --user-cert "$PKI/ibm.crt" "$T/s1"
expect_err "verify of unsigned data with a certificate: mismatch" "does not match" "$UVS" verify --user-cert "$PKI/host.crt" "$T/u1"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$T/rsa3072.key" 2>/dev/null &&
    openssl req -new -x509 -key "$T/rsa3072.key" -subj /CN=u -days 2 -out "$T/rsa3072.crt" 2>/dev/null; ok $? "openssl: RSA-3072 test key"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/s3" --user-data "$T/ud" --user-sign-key "$T/rsa3072.key" meta 2>/dev/null &&
    "$UVS" info --json "$T/s3" >"$T/s3.json" && [ "$(jget "$T/s3.json" user_data_type)" = 4 ] &&
    "$UVS" verify --user-cert "$T/rsa3072.crt" "$T/s3" "$T/s3.out" 2>/dev/null && [ "$(stat -c %s "$T/s3.out")" = 128 ]
ok $? "RSA-3072 signing key: type 4, verifies, 128-byte message"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -outform DER -out "$T/rsa2048.der" 2>/dev/null
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/s2" --user-sign-key "$T/rsa2048.der" meta 2>/dev/null &&
    "$UVS" info --json "$T/s2" >"$T/s2.json" && [ "$(jget "$T/s2.json" user_data_type)" = 3 ]; ok $? "RSA-2048 DER signing key without user data: type 3"
printf 'policy v1\n' >"$T/toc.pol"
(cd "$T" && "$UVS" create -k "$PKI/host.crt" $NV -o pol.req --policy toc.pol meta) >"$T/pol.out" 2>/dev/null
[ "$(cat "$T/pol.out")" = "$(sha256 "$T/toc.pol")" ]; ok $? "--policy prints SHA-256 of the file"
[ "$(hexat "$T/pol.req" $((0x218)) 32)" = "$(sha256 "$T/toc.pol")" ] && [ "$(hexat "$T/pol.req" $((0x238)) 8)" = "$(printf 'toc.pol\0' | hexof)" ]
ok $? "--policy: hash and path as typed in the user-data area"
(cd "$T" && "$UVS" create -k "$PKI/host.crt" $NV -o pol.req --policy toc.pol meta) 2>"$T/pol.err" >/dev/null &&
    ! grep -q -- '--policy' "$T/pol.err" && "$UVS" create -k "$PKI/host.crt" $NV -o "$T/pol2.req" --policy "$T/toc.pol" meta 2>"$T/pol2.err" >/dev/null &&
    grep -q "^WARNING: --policy '$T/toc.pol': .*plain file name" "$T/pol2.err"
ok $? "--policy with a directory part warns that uvsecret-early needs a plain file name"
"$UVS" create -k "$PKI/host.crt" $NV -o "$T/t1" --toc-policy "$T/toc" meta 2>/dev/null &&
    "$UVS" create -k "$PKI/host.crt" $NV -o "$T/t2" --toc-policy "$T/toc" association t2 --stdout >/dev/null 2>&1
ok $? "two requests with --toc-policy"
[ "$(cat "$T/toc")" = "$(printf '%s\n%s' "$(tail -c 16 "$T/t1" | hexof)" "$(tail -c 16 "$T/t2" | hexof)")" ]; ok $? "--toc-policy: one line per request = its tag"

# ---- SE image as --hdr ----------------------------------------------------------
img=$T/se.img
head -c $((0x14000 + 4096)) /dev/zero >"$img"
dd if="$HDR/test_hdr_plain.hdr" of="$img" bs=1 seek=$((0x14000)) conv=notrunc 2>/dev/null
"$UVS" create -k "$PKI/host.crt" --no-verify --hdr "$img" -o "$T/img.req" meta 2>/dev/null &&
    "$UVS" info --json "$T/img.req" >"$T/img.json" && [ "$(jget "$T/img.json" se_header_tag)" = $TAG_PLAIN ]; ok $? "--hdr accepts a whole SE image"
uvcheck "$HDR/test_hdr_plain.hdr" "$T/img.req" img; ok $? "request made from the image is accepted for that header"
img2=$T/se2.img
head -c $((0x18000)) /dev/zero >"$img2"
printf 'SeImgLnx\000\000\000\000\000\001\137\000\000\000\000\001\000\000\000\000\000\000\000\000' |
    dd of="$img2" bs=1 seek=$((0xC000)) conv=notrunc 2>/dev/null
dd if="$HDR/test_hdr_cckext.hdr" of="$img2" bs=1 seek=$((0x15F00)) conv=notrunc 2>/dev/null
"$UVS" create -k "$PKI/host.crt" --no-verify --hdr "$img2" -o "$T/img2.req" meta 2>/dev/null &&
    "$UVS" info --json "$T/img2.req" >"$T/img2.json" && [ "$(jget "$T/img2.json" se_header_tag)" = 7083ab2ae8aedd087e5114933924736c ]
ok $? "--hdr image whose metadata names a header at 0x15F00 (past the first read window)"

# ---- The reference vectors: every field the command line controls, byte for byte ----
# A synthetic SE header with the vectors' tags (PLD 01.., ALD 02.., TLD 03.., tag 04..).
{ printf 'IBMSecEx\000\000\001\000\000\000\001\260'; rep 0 $((0xE0 - 16)); rep 1 64; rep 2 64; rep 3 64; rep 4 16; } >"$T/vec.hdr"
rep 17 32 >"$T/s11"; rep 23 32 >"$T/e17"; rep 0 32 >"$T/z32"
CU="--cuid-hex 0x42424242424242424242424242424242"
A=$V/asrcb
vec() {
    name=$1; shift
    "$UVS" create -k "$A/host.pem.crt" --no-verify --hdr "$T/vec.hdr" -o "$T/$name" "$@" >/dev/null 2>"$T/vec.err" &&
        [ "$(stat -c %s "$T/$name")" = "$(stat -c %s "$A/$name")" ] &&
        [ "$(hexat "$T/$name" 0 16)" = "$(hexat "$A/$name" 0 16)" ] &&
        [ "$(hexat "$T/$name" 28 $((0x418 - 28)))" = "$(hexat "$A/$name" 28 $((0x418 - 28)))" ] &&
        [ "$(hexat "$T/$name" $((0x4B8)) 32)" = "$(hexat "$A/$name" $((0x4B8)) 32)" ] &&
        [ "$(hexat "$T/$name" $((0x508)) 16)" = "$(hexat "$A/$name" $((0x508)) 16)" ] &&
        { [ "$(stat -c %s "$A/$name")" = 1352 ] || [ "$(hexat "$T/$name" $((0x518)) 32)" = "$(hexat "$A/$name" $((0x518)) 32)" ]; }
    ok $? "vector $name: header, flags, tags, CUID, user data, keyslot hash, secret header as the reference"
}
vec assoc_none_default_cuid_one $CU association add_secret_request --input-secret "$T/s11" --stdout
vec assoc_simple_default_cuid_one $CU --extension-secret "$T/e17" association add_secret_request --input-secret "$T/s11" --stdout
vec null_derived_default_cuid_one $CU --cck "$T/z32" meta
vec null_none_default_cuid_one $CU meta
vec null_none_default_ncuid_one meta
vec null_none_dump_cuid_one $CU --flags disable-dump meta
vec null_simple_default_cuid_one $CU --extension-secret "$T/e17" meta
[ "$(hexat "$T/null_none_default_cuid_one" 28 $((0x418 - 28)))" != "$(hexat "$A/null_none_dump_cuid_one" 28 $((0x418 - 28)))" ]
ok $? "the field comparison sees the flags difference between two vectors"

# ---- Files: overwriting, modes, partial outputs ----------------------------------
cd "$T/sub" || exit 1
printf 'old' >keep.secret
expect_err "--output-secret never overwrites" "keep.secret: .*refusing" "$UVS" create -k "$PKI/host.crt" $NV -o new.req association N2 --output-secret keep.secret
[ "$(cat keep.secret)" = old ] && [ ! -e new.req ] && [ ! -e N2.yaml ]; ok $? "refused: secret unchanged, no request, no YAML"
ln -s nowhere dangling
expect_err "--output-secret through a symlink refused" "dangling: " "$UVS" create -k "$PKI/host.crt" $NV -o new.req association N3 --output-secret dangling
[ ! -e nowhere ] && [ ! -e new.req ]; ok $? "symlink target not created"
printf "old request" >exists.req; head -c 500 "$HDR/test_hdr_plain.hdr" >"$T/se.img.trunc"
expect_err "failing create (bad header) keeps the old -o file" "se.img.trunc" "$UVS" create -k "$PKI/host.crt" --no-verify --hdr "$T/se.img.trunc" -o exists.req meta
[ "$(cat exists.req)" = "old request" ]; ok $? "no partial output over an existing file"
before=$(ls -A | wc -l)
expect_err "failing create in the middle (bad host key)" "ibm.crt" "$UVS" create -k "$PKI/ibm.crt" $NV -o fresh.req association N4 --output-secret fresh.secret
[ "$(ls -A | wc -l)" = "$before" ]; ok $? "nothing written (no request, YAML, secret or temporary file)"
expect_err "-o equal to NAME.yaml" "same" "$UVS" create -k "$PKI/host.crt" $NV -o N5.yaml association N5
expect_err "--output-secret equal to NAME.yaml" "same" "$UVS" create -k "$PKI/host.crt" $NV -o r association N6 --output-secret N6.yaml
printf 'first line\n' >toc.keep
expect_err "-o into a missing directory fails" "nodir/x.req" "$UVS" create -k "$PKI/host.crt" $NV -o nodir/x.req --toc-policy toc.keep meta
[ "$(cat toc.keep)" = "first line" ]; ok $? "the --toc-policy line of the failed request is taken back"
expect_err "-o into a missing directory fails (new --toc-policy file)" "nodir/x.req" "$UVS" create -k "$PKI/host.crt" $NV -o nodir/x.req --toc-policy toc.new meta
[ ! -e toc.new ]; ok $? "a --toc-policy file created for the failed request is removed"
printf 'old request' >late.req; printf 'old yaml' >L1.yaml; printf 'first line\n' >toc.late
expect_err "--output-secret into a missing directory fails" "nodir/late.secret" "$UVS" create -k "$PKI/host.crt" $NV \
    -o late.req --toc-policy toc.late association L1 --output-secret nodir/late.secret
[ "$(cat late.req)" = "old request" ] && [ "$(cat L1.yaml)" = "old yaml" ] && [ "$(cat toc.late)" = "first line" ]
ok $? "a late output failure leaves the old request, YAML and TOC policy as they were"
! grep -q Successfully "$T/.err"; ok $? "and claims no success"
[ -z "$(ls -A | grep '\.tmp')" ]; ok $? "and leaves no temporary file"
# Two spellings of one file: the later rename of the request or the YAML must not
# replace the secret file just written (the random secret would be lost, exit 0).
expect_err "-o ./S1 with --output-secret S1 refused" "same file" "$UVS" create -k "$PKI/host.crt" $NV -o ./S1 association A1 --output-secret S1
[ ! -e S1 ] && [ ! -e A1.yaml ]; ok $? "refused: no request, secret or YAML written"
expect_err "--output-secret ./B2.yaml (the NAME.yaml of B2) refused" "would overwrite" "$UVS" create -k "$PKI/host.crt" $NV -o r2 association B2 --output-secret ./B2.yaml
[ ! -e B2.yaml ] && [ ! -e r2 ]; ok $? "refused: no YAML, request or secret written"
ln -s . here
expect_err "-o here/S3 (here -> .) with --output-secret S3 refused" "same file" "$UVS" create -k "$PKI/host.crt" $NV -o here/S3 association A3 --output-secret S3
[ ! -e S3 ]; ok $? "refused: nothing written"
"$UVS" create -k "$PKI/host.crt" $NV -o here/r4 association A4 --output-secret S4 2>/dev/null &&
    [ "$(stat -c %s S4)" = 32 ] && [ "$(stat -c %s r4)" = 1416 ]; ok $? "distinct files through a symlinked directory still work"
# A reader that went away: a write error, not SIGPIPE; the secret file is taken back.
{ "$UVS" create -k "$PKI/host.crt" $NV -o - association P1 --output-secret P1.secret 2>"$T/pipe.err"; echo $? >"$T/pipe.rc"; } | :
[ "$(cat "$T/pipe.rc")" = 1 ] && grep -q "write error" "$T/pipe.err"; ok $? "request to a closed pipe: exit 1, write error (not killed by SIGPIPE)"
[ ! -e P1.secret ] && [ -z "$(ls -A | grep '\.tmp')" ]; ok $? "closed pipe: secret file and temporary YAML removed"
# Killed in the output step: the request write to stdout blocks on a full pipe after the
# secret file is in place; SIGTERM then must take the secret and the staged YAML back.
mkdir -p "$T/sig" && cd "$T/sig" || exit 1
( { head -c 65536 /dev/zero; sh -c 'echo $$ >"$0"; exec "$@"' "$T/sig.pid" "$UVS" create -k "$PKI/host.crt" $NV \
      -o - association SIG --output-secret sig.secret 2>/dev/null; } | sh -c 'echo $$ >"$0"; exec sleep 30' "$T/sleep.pid" ) &
sigjob=$!
i=0; while [ ! -e sig.secret ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -e sig.secret ] && [ -n "$(ls -A | grep '^\.SIG\.yaml\.tmp')" ]; ok $? "killed mid-output: staged (secret in place, YAML staged)"
kill -TERM "$(cat "$T/sig.pid")" 2>/dev/null
i=0; while kill -0 "$(cat "$T/sig.pid")" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ ! -e sig.secret ] && [ -z "$(ls -A)" ]; ok $? "killed mid-output: secret file and temporary files removed"
kill "$(cat "$T/sleep.pid")" 2>/dev/null; wait "$sigjob" 2>/dev/null
cd "$T/sub" || exit 1
umask 077
"$UVS" create -k "$PKI/host.crt" $NV -o mode.req association M1 2>/dev/null && [ "$(stat -c %a mode.req)" = 600 ]; ok $? "request mode follows the umask"
tap_done
