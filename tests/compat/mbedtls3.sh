#!/bin/sh
# Builds uvsecret, the simulator and every test except the VM boots against mbedTLS 3.6
# and runs them (`make check-mbedtls3`).  Debian bookworm packages mbedTLS 2.28 only, so
# this fetches Debian trixie's libmbedtls-dev (headers and static archives) with
# `apt-get download` into a private apt state under $BUILD -- nothing is installed on the
# system -- and builds in a separate tree, build-mbedtls3/.
# Environment: BUILD (default build), MBEDTLS3_SUITE (default trixie).
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SUITE=${MBEDTLS3_SUITE:-trixie}
OUT=build-mbedtls3                 # relative: the test runner starts programs as ./PATH
state=$PWD/$BUILD/mbedtls3-apt
root=$PWD/$BUILD/mbedtls3-root
arch=$(dpkg --print-architecture)
pkgs="libmbedtls-dev libmbedcrypto16 libmbedtls21 libmbedx509-7"

die() { echo "check-mbedtls3: $*" >&2; exit 1; }

mkdir -p "$state/sources" "$state/lists/partial" "$state/cache/archives/partial" "$state/debs"
cat >"$state/sources/$SUITE.sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: $SUITE
Components: main
Architectures: $arch
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
: >"$state/status"
set -- -o Dir::Etc::sourcelist=/dev/null -o "Dir::Etc::sourceparts=$state/sources" \
    -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache" \
    -o "Dir::State::status=$state/status" -o Debug::NoLocking=1
[ "$(id -u)" -ne 0 ] || set -- "$@" -o APT::Sandbox::User=root

# A mirror caught mid-sync fails an index download; try a few times before giving up.
tries=0
until apt-get "$@" -q update >"$state/update.log" 2>&1 && ! grep -q '^[EW]: ' "$state/update.log"; do
    tries=$((tries + 1))
    [ "$tries" -lt 3 ] || die "apt-get update of $SUITE failed (see $state/update.log)"
    sleep 10
done
(cd "$state/debs" && rm -f ./*.deb && apt-get "$@" -q download $pkgs >"$state/download.log" 2>&1) ||
    die "apt-get download $pkgs failed (see $state/download.log)"
rm -rf "$root"
for d in "$state"/debs/*.deb; do dpkg-deb -x "$d" "$root"; done

inc=$root/usr/include
lib=$(dirname "$(find "$root" -name libmbedcrypto.a | head -n 1)")
[ -f "$lib/libmbedtls.a" ] && [ -f "$lib/libmbedx509.a" ] || die "no static mbedTLS archives in $root"
# The build must really see 3.x headers, not the system's 2.28 ones.
printf '#include <mbedtls/version.h>\n#if MBEDTLS_VERSION_MAJOR < 3\n#error mbedTLS 2\n#endif\n' |
    ${CC:-cc} -isystem "$inc" -E -x c - >/dev/null 2>&1 || die "$inc does not hold mbedTLS 3 headers"
ver=$(sed -n 's/^#define MBEDTLS_VERSION_STRING *"\(.*\)"/\1/p' "$inc"/mbedtls/build_info.h)
echo "check-mbedtls3: building against mbedTLS $ver ($SUITE) in $OUT/"

exec make --no-print-directory -j"$(nproc)" BUILD="$OUT" NO_DEPS=1 \
    CFLAGS="-O2 -g -isystem $inc" \
    MBEDTLS_LIBS="$lib/libmbedtls.a $lib/libmbedx509.a $lib/libmbedcrypto.a" check-units
