#!/bin/sh
# Regenerates the committed signature vectors of tests/early/data (not run by make check;
# the tests read the committed files so the s390x build can use them under qemu).
#   sh tests/early/data/make-data.sh BUILD_DIR     (from the repository root)
# Keys and certificates are throw-away test material made with openssl; requests are
# made with the request builder (mkreq); the *-maxsalt / *-salt0 variants re-sign the
# same request with openssl's RSA-PSS at other salt lengths.
set -eu
B=${1:-build}
D=tests/early/data
S=${UVS_SHARED:-../shared}
HDR=$S/vectors/sehdr/test_hdr_plain.hdr
cd "$(dirname "$0")/../../.."
openssl ecparam -name secp521r1 -genkey -noout -out $D/ec521.key
openssl ecparam -name prime256v1 -genkey -noout -out $D/ec256.key
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out $D/rsa2048.key
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out $D/rsa3072.key
for k in ec521 ec256 rsa2048 rsa3072; do
    openssl req -new -x509 -key $D/$k.key -subj "/CN=uvsecret test $k" -days 36500 -out $D/$k.crt
done
openssl x509 -in $D/rsa2048.crt -outform DER -out $D/rsa2048.der
M="$B/test/early/mkreq --hdr $HDR"
$M --type assoc --name ec521 --sign $D/ec521.key --user-data "signed by ec521" -o $D/ec521.asr
$M --type plain --name rsa2048 --secret s2048 --sign $D/rsa2048.key --user-data "signed by rsa2048" -o $D/rsa2048.asr
$M --type assoc --name rsa3072 --sign $D/rsa3072.key --user-data "signed by rsa3072" -o $D/rsa3072.asr
$M --type assoc --name unsigned --user-data "just text" -o $D/unsigned.asr
$M --type assoc --name none -o $D/none.asr
# RSA-PSS with other salt lengths over the same request (ASR §10.2 message).
python3 - "$D" <<'PY'
import subprocess, sys
d = sys.argv[1]
def resign(src, key, cap, siglen, salt, dst):
    r = bytearray(open(f"{d}/{src}", "rb").read())
    r[0x218 + cap:0x418] = bytes(0x418 - 0x218 - cap)
    msg = bytes(r[:len(r) - 16])
    sig = subprocess.run(["openssl", "dgst", "-sha512", "-sign", f"{d}/{key}", "-sigopt",
                          "rsa_padding_mode:pss", "-sigopt", f"rsa_pss_saltlen:{salt}"],
                         input=msg, capture_output=True, check=True).stdout
    assert len(sig) == siglen
    r[0x218 + cap:0x218 + cap + siglen] = sig
    open(f"{d}/{dst}", "wb").write(r)
resign("rsa2048.asr", "rsa2048.key", 256, 256, "max", "rsa2048-maxsalt.asr")
resign("rsa2048.asr", "rsa2048.key", 256, 256, "0", "rsa2048-salt0.asr")
resign("rsa3072.asr", "rsa3072.key", 128, 384, "max", "rsa3072-maxsalt.asr")
PY
