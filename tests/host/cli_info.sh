#!/bin/sh
# uvsecret info / --help / --version: the SE header vectors (tags from their README),
# SE images with and without metadata, the request vectors, malformed inputs.
. tests/host/cli_common.inc

# Expected values: vectors/sehdr/README.md and vectors/asrcb/README.md.
SG_PLD=be94b5eab3c1b118c757d7db7ea0f65d9b64823a8dc55bf8a8725b58072d9d4258c53e8a5da82dfb2192d91d07bc1c39b95d6321d3ba16a751a6e3e32f3e0161
SG_ALD=2858c3368b2a0af0c5ea0fde7905eb15af9cd1dd737165933cdaa2b850b6a8e2f0f42c7b36dd5381096288dc092daa8a6facec2534137bc94ca80bda4fcb9328
SG_TLD=4860ebcf7b9d24eb909a795356ad32c936b62165988a9ffcd66170dbc590c23010d7952fa882d1bb79558f9be0a549d8d7a94ae720e5c0760a825d479fe67af5
SG_TAG=92309d4589b9a85b427f8753171d1520
T_PLD=bc3184a960c8a13b24b4670ae7e3495984679dc44725db17c8ecbbf83bba4a1f808bdb80569da7124b91f30ebf0f8af8453fed2241d4bd9dc92a91ec7dc982f2
T_ALD=05839898db0c7ec78f8d2622d35f06109de24cba9069d2253601b1ee46ccb34e2b9fa75afc0b23f25f76f6e51fca4cc54c8f85c2224181f6cf82bca9fd445c82
T_TLD=76c9fd365f092376d6cb3b8849f3ed82d86e6c4e65b338e78fac7d3e71556c2818cecece449c102ee2f38e4d0b38eba3373f510cdfd399151d041c4f10d9444e
PHKH_HOST=24933f75ee107c806fe602a7da7b610e54369af96a847f2dcc4fcfdbd81fbc05
PHKH_HOST2=491bc0601fe89fd793f1ec8534f1ae63e9c280331c245c453d64afc8b5aa1bcc

# check_hdr FILE PLD ALD TLD TAG NKS PHKH...
check_hdr() {
    f=$1; name=${f##*/}
    "$UVS" info --json "$f" >"$T/i.json" 2>"$T/i.err"; ok $? "info --json $name succeeds"
    [ "$(jget "$T/i.json" pld)" = "$2" ] && [ "$(jget "$T/i.json" ald)" = "$3" ] &&
        [ "$(jget "$T/i.json" tld)" = "$4" ]; ok $? "$name: PLD, ALD, TLD as in the README"
    [ "$(jget "$T/i.json" se_header_tag)" = "$5" ]; ok $? "$name: header tag $5"
    [ "$(jget "$T/i.json" nks)" = "$6" ]; ok $? "$name: nks $6"
    shift 6
    for h in "$@"; do grep -q "\"$h\"" "$T/i.json"; ok $? "$name: keyslot hash ${h%${h#????????}}..."; done
}

check_hdr "$HDR/secure_guest.hdr" $SG_PLD $SG_ALD $SG_TLD $SG_TAG 1 782966a6298f6f5968780c3134ca4c55958d2dbca5292f59e9f5d2670befaf2f
[ "$(jget "$T/i.json" nep)" = 64549 ] && [ "$(jget "$T/i.json" iv)" = 4dc42a795fd9d2e4a40fcb33 ]; ok $? "secure_guest.hdr: nep 64549 and IV"
check_hdr "$HDR/builder_test_hostpem.hdr" \
    $(rep 2 64 | hexof) $(rep 1 64 | hexof) $(rep 3 64 | hexof) 7165174055f9fffa1e1c8887bb6d76de 1 \
    415c25a5d19c381e619733e1c1b7fbd88bdd1c31d882d5ade04b97043c5010f0
check_hdr "$HDR/test_hdr_cckext.hdr" $T_PLD $T_ALD $T_TLD 7083ab2ae8aedd087e5114933924736c 2 $PHKH_HOST $PHKH_HOST2
[ "$(jget "$T/i.json" pcf)" = 0x00000000000000e0 ]; ok $? "test_hdr_cckext.hdr: PCF e0"
check_hdr "$HDR/test_hdr_plain.hdr" $T_PLD $T_ALD $T_TLD f3a8318427e80fa0edd4389abbb134ad 1 $PHKH_HOST
[ "$(jget "$T/i.json" pcf)" = 0x00000000200000e0 ] && [ "$(jget "$T/i.json" pcf_allow_dump)" = true ]
ok $? "test_hdr_plain.hdr: PCF 200000e0 = allow dump"

# Human output carries the same tags.
"$UVS" info "$HDR/secure_guest.hdr" >"$T/h.txt" 2>&1 && grep -q "^se_header_tag: $SG_TAG\$" "$T/h.txt" &&
    grep -q "^kind: SE header\$" "$T/h.txt"; ok $? "human info shows kind and tag"
"$UVS" info -v "$HDR/secure_guest.hdr" >"$T/hv.txt" 2>&1 && "$UVS" info -q "$HDR/secure_guest.hdr" >"$T/hq.txt" 2>&1 &&
    cmp -s "$T/h.txt" "$T/hv.txt" && cmp -s "$T/h.txt" "$T/hq.txt"; ok $? "info takes -v and -q like every command"

# SE image with metadata at 0xC000 pointing at 0x14000 (sehdr README recipe).
img=$T/se.img
head -c $((0x14000 + 720 + 4096)) /dev/zero >"$img"
printf 'SeImgLnx\000\000\000\000\000\001\100\000\000\000\000\001\000\000\000\000\000\000\000\000' |
    dd of="$img" bs=1 seek=$((0xC000)) conv=notrunc 2>/dev/null
dd if="$HDR/test_hdr_cckext.hdr" of="$img" bs=1 seek=$((0x14000)) conv=notrunc 2>/dev/null
check_hdr "$img" $T_PLD $T_ALD $T_TLD 7083ab2ae8aedd087e5114933924736c 2 $PHKH_HOST $PHKH_HOST2
[ "$(jget "$T/i.json" header_offset)" = 81920 ] && [ "$(jget "$T/i.json" image_metadata)" = true ] &&
    [ "$(jget "$T/i.json" kind)" = "SE image" ]; ok $? "image: header found through the metadata at 0x14000"
# Metadata pointing past the first 88 KiB of a large image: the header is read from there.
big=$T/big.img
head -c $((0x40000 + 640)) /dev/zero >"$big"
printf 'SeImgLnx\000\000\000\000\000\004\000\000\000\000\000\001\000\000\000\000\000\000\000\000' |
    dd of="$big" bs=1 seek=$((0xC000)) conv=notrunc 2>/dev/null
dd if="$HDR/secure_guest.hdr" of="$big" bs=1 seek=$((0x40000)) conv=notrunc 2>/dev/null
"$UVS" info --json "$big" >"$T/b.json" 2>&1 && [ "$(jget "$T/b.json" header_offset)" = 262144 ] &&
    [ "$(jget "$T/b.json" se_header_tag)" = $SG_TAG ]; ok $? "image: metadata pointing at 0x40000 (beyond the scan window)"
# No metadata: page scan finds the header at 0x12000 of a 0x13000-byte file.
scan=$T/scan.img
head -c $((0x13000)) /dev/zero >"$scan"
dd if="$HDR/secure_guest.hdr" of="$scan" bs=1 seek=$((0x12000)) conv=notrunc 2>/dev/null
"$UVS" info --json "$scan" >"$T/s.json" 2>&1 && [ "$(jget "$T/s.json" header_offset)" = 73728 ] &&
    [ "$(jget "$T/s.json" se_header_tag)" = $SG_TAG ]; ok $? "image without metadata: page scan finds 0x12000"

# Malformed headers (the reference's negative cases and ours).
tail -c +2 "$HDR/secure_guest.hdr" >"$T/drop1.hdr"
expect_err "header with its first byte removed" "drop1.hdr: .*no SE header" "$UVS" info "$T/drop1.hdr"
{ hexat "$HDR/secure_guest.hdr" 1 1; hexat "$HDR/secure_guest.hdr" 0 1; hexat "$HDR/secure_guest.hdr" 2 638; } |
    xxd -r -p >"$T/swap.hdr"
expect_err "header with bytes 0 and 1 swapped (wrong magic)" "swap.hdr: " "$UVS" info "$T/swap.hdr"
{ head -c 8 /dev/zero; cat "$HDR/secure_guest.hdr"; head -c $((4096 - 648)) /dev/zero; } >"$T/off8.hdr"
expect_err "header at the unaligned offset 8" "off8.hdr: " "$UVS" info "$T/off8.hdr"
head -c 600 "$HDR/secure_guest.hdr" >"$T/trunc.hdr"
expect_err "truncated header (size field past the end)" "trunc.hdr: .*size" "$UVS" info "$T/trunc.hdr"
head -c 300 "$HDR/secure_guest.hdr" >"$T/short.hdr"
expect_err "header shorter than its fixed part" "short.hdr: " "$UVS" info "$T/short.hdr"
{ head -c 12 "$HDR/secure_guest.hdr"; printf '\000\000\100\000'; tail -c +17 "$HDR/secure_guest.hdr"; head -c 20000 /dev/zero; } >"$T/big.hdr"
expect_err "oversized header (size 0x4000 > 8192)" "big.hdr: .*8192" "$UVS" info "$T/big.hdr"
{ head -c 8 "$HDR/secure_guest.hdr"; printf '\000\000\002\000'; tail -c +13 "$HDR/secure_guest.hdr"; } >"$T/ver.hdr"
expect_err "wrong header version" "ver.hdr: .*version" "$UVS" info "$T/ver.hdr"
printf 'SeImgLnx' | dd of="$T/scan.img" bs=1 seek=$((0xC000)) conv=notrunc 2>/dev/null
head -c $((0xC010)) "$T/scan.img" >"$T/meta_trunc.img"
expect_err "image whose metadata record is truncated" "meta_trunc.img: " "$UVS" info "$T/meta_trunc.img"

# Request vectors.
A=$V/asrcb
"$UVS" info --json "$A/assoc_none_default_cuid_one" >"$T/r.json" 2>&1; ok $? "info on a request vector"
[ "$(jget "$T/r.json" kind)" = "add-secret request" ] && [ "$(jget "$T/r.json" size)" = 1416 ] &&
    [ "$(jget "$T/r.json" version)" = 0x100 ]; ok $? "request: kind, size 1416, version 0x100"
[ "$(jget "$T/r.json" secret_type)" = 2 ] && [ "$(jget "$T/r.json" secret_kind)" = Association ] &&
    [ "$(jget "$T/r.json" secret_id)" = "$(sha256s add_secret_request)" ]; ok $? "request: association with ID SHA-256(add_secret_request)"
[ "$(jget "$T/r.json" cuid)" = "$(rep 66 16 | hexof)" ]; ok $? "request: CUID 16x42"
grep -q '"415c25a5d19c381e619733e1c1b7fbd88bdd1c31d882d5ade04b97043c5010f0"' "$T/r.json"; ok $? "request: keyslot host-key hash"
[ "$(jget "$T/r.json" request_tag)" = "$(tail -c 16 "$A/assoc_none_default_cuid_one" | hexof)" ]; ok $? "request: MAC tag = last 16 bytes"
[ "$(jget "$T/r.json" pld)" = "$(rep 1 64 | hexof)" ] && [ "$(jget "$T/r.json" se_header_tag)" = "$(rep 4 16 | hexof)" ]
ok $? "request: boot tags PLD 01.., tag 04.."
enc=$(hexat "$A/assoc_none_default_cuid_one" 1336 32)
! grep -q "$enc" "$T/r.json"; ok $? "request: the encrypted secret is not printed"
"$UVS" info --json "$A/null_none_dump_cuid_one" >"$T/d.json" 2>&1 && [ "$(jget "$T/d.json" flags)" = 0x8000000000000000 ] &&
    [ "$(jget "$T/d.json" disable_dump)" = true ] && [ "$(jget "$T/d.json" secret_kind)" = meta ]
ok $? "meta request: disable-dump flag"
"$UVS" info --json "$A/null_none_default_ncuid_one" >"$T/n.json" 2>&1 && [ "$(jget "$T/n.json" cuid)" = none ] &&
    ! grep -q secret_id "$T/n.json"; ok $? "meta request without CUID: cuid none, no ID"
head -c 1400 "$A/assoc_none_default_cuid_one" >"$T/trunc.req"
expect_err "truncated request" "trunc.req: .*length" "$UVS" info "$T/trunc.req"
{ cat "$A/assoc_none_default_cuid_one"; printf x; } >"$T/long.req"
expect_err "request with trailing data" "long.req: " "$UVS" info "$T/long.req"
{ head -c 7 "$A/assoc_none_default_cuid_one"; printf '\011'; tail -c +9 "$A/assoc_none_default_cuid_one"; } >"$T/ud.req"
expect_err "request with user-data type 9" "ud.req: .*user-data" "$UVS" info "$T/ud.req"
printf 'asrcbM' >"$T/tiny.req"
expect_err "6-byte request" "tiny.req: " "$UVS" info "$T/tiny.req"
expect_err "keyslot.bin is neither request nor header" "keyslot.bin: " "$UVS" info "$A/keyslot.bin"

# Files: missing, symlink, directory, FIFO (must not hang), stdin.
expect_err "missing file" "nonexistent: .*No such file" "$UVS" info "$T/nonexistent"
ln -s "$HDR/secure_guest.hdr" "$T/link.hdr"
expect_err "symlinked input refused" "link.hdr: .*symbolic link" "$UVS" info "$T/link.hdr"
expect_err "directory input refused" "regular file" "$UVS" info "$T"
mkfifo "$T/fifo"
expect_err "FIFO input refused without hanging" "fifo: .*regular file" timeout 20 "$UVS" info "$T/fifo"
"$UVS" info --json - <"$HDR/secure_guest.hdr" >"$T/stdin.json" 2>&1 && [ "$(jget "$T/stdin.json" se_header_tag)" = $SG_TAG ]
ok $? "info - reads standard input"

# Mutated inputs: random bytes over the request and header vectors, random sizes.  Every
# run ends with status 0 or 1 -- never a sanitizer report (exit code 86) or a crash.
export ASAN_OPTIONS="$ASAN_OPTIONS:exitcode=86" UBSAN_OPTIONS="exitcode=86:halt_on_error=1"
bad=0; i=0
while [ $i -lt 40 ]; do
    for src in "$A/assoc_simple_default_cuid_one" "$HDR/test_hdr_cckext.hdr"; do
        cp "$src" "$T/m"
        n=$(( $(od -An -N2 -tu2 /dev/urandom) % 8 + 1 )); j=0
        while [ $j -lt $n ]; do
            pos=$(( $(od -An -N4 -tu4 /dev/urandom) % $(stat -c %s "$src") ))
            head -c 1 /dev/urandom | dd of="$T/m" bs=1 seek=$pos conv=notrunc 2>/dev/null
            j=$((j + 1))
        done
        [ $((i % 3)) -eq 0 ] && head -c $(( $(od -An -N2 -tu2 /dev/urandom) % $(stat -c %s "$src") )) "$T/m" >"$T/m2" && mv "$T/m2" "$T/m"
        "$UVS" info --json "$T/m" >/dev/null 2>&1; st=$?
        "$UVS" verify "$T/m" -o "$T/m.out" >/dev/null 2>&1; st2=$?
        if [ $st -gt 1 ] || [ $st2 -gt 1 ]; then bad=$((bad + 1)); cp "$T/m" "/tmp/uvsecret-crash.$$.$i"; fi
    done
    i=$((i + 1))
done
[ $bad -eq 0 ]; ok $? "80 mutated requests/headers: info and verify never crash (failures kept in /tmp/uvsecret-crash.*)"

# Help, version, usage errors.
"$UVS" --help >"$T/help" 2>&1 && grep -q create "$T/help" && grep -q verify "$T/help" && grep -q info "$T/help"; ok $? "--help lists the commands, exit 0"
"$UVS" --version >"$T/ver" 2>&1 && grep -q '^uvsecret version ' "$T/ver"; ok $? "--version"
"$UVS" info --help >"$T/ih" 2>&1 && grep -q -- --json "$T/ih"; ok $? "info --help"
"$UVS" create --help >"$T/ch" 2>&1 && grep -q -- --host-key-document "$T/ch" && grep -q -- --user-sign-key "$T/ch"; ok $? "create --help"
"$UVS" create association --help >"$T/ah" 2>&1 && grep -q -- --output-secret "$T/ah"; ok $? "create association --help"
"$UVS" create retrievable --help >"$T/rh" 2>&1 && grep -q -- hmac-sha "$T/rh"; ok $? "create retrievable --help"
"$UVS" verify --help >"$T/vh" 2>&1 && grep -q -- --user-cert "$T/vh"; ok $? "verify --help"
expect_err "unknown command" "frobnicate: unknown command" "$UVS" frobnicate
expect_err "unknown option" "unknown option '--frob'" "$UVS" info --frob x
expect_err "no command" "no command" "$UVS"
expect_err "-v and -q together" "exclude" "$UVS" -v -q info x
"$UVS" -v version >"$T/vf" 2>&1 && grep -q '^+create +verify' "$T/vf" && ! "$UVS" version | grep -q '^+create'; ok $? "-v version lists the features"
"$UVS" -V --version >"$T/vv" 2>&1 && grep -q "deprecated flag '-V'" "$T/vv"; ok $? "-V warns about deprecation"
# A --use-name ID with a line break cannot add lines to the human output.
nl='x
kind: SE header'
"$UVS" create -k "$PKI/host.crt" --no-verify --hdr "$HDR/test_hdr_plain.hdr" -o "$T/nl.req" --use-name --stdout \
    association "$nl" >/dev/null 2>&1 &&
    "$UVS" info "$T/nl.req" >"$T/nl.txt" 2>/dev/null && [ "$(grep -c '^kind:' "$T/nl.txt")" = 1 ] &&
    grep -q '^secret_id_text: x\\x0akind: SE header$' "$T/nl.txt"
ok $? "info: control characters of an ID text are written as \\xNN (one line per key)"
tap_done
