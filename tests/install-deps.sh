#!/bin/sh
# Installs the Debian packages uvsecret needs to build, test and run its VM demo.
# Idempotent: does nothing when everything is already installed.  Groups:
#   host   the host tool (mbedTLS, libcurl for online CRLs)
#   guest  the static guest binary, x86_64 and s390x (musl, BearSSL, cross gcc, qemu-user)
#   sim    the simulated ultravisor (libfuse3 for CUSE)
#   vm     the end-to-end VM (qemu, Debian kernel, dracut, cryptsetup, disk tools)
# Usage: tests/install-deps.sh [GROUP...]   (default: all groups)
set -eu
groups=${*:-host guest sim vm}
pkgs="build-essential make pkg-config ca-certificates file xxd openssl"
native=""
s390x=""
for g in $groups; do
    case $g in
    host) native="$native libmbedtls-dev libcurl4-openssl-dev python3" ;;
    guest) native="$native libbearssl-dev musl-tools musl-dev gcc-s390x-linux-gnu qemu-user-static clang"
           s390x="libbearssl-dev:s390x musl-dev:s390x" ;;
    sim) native="$native libfuse3-dev" ;;
    vm) native="$native qemu-system-x86 qemu-system-misc linux-image-amd64 dracut-core dracut \
               systemd cryptsetup-bin cryptsetup kmod libkmod-dev dosfstools mtools xorriso cpio \
               zstd e2fsprogs busybox-static" ;;
    *) echo "install-deps: unknown group '$g'" >&2; exit 2 ;;
    esac
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
missing=""
for p in $pkgs $native $s390x; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
echo "install-deps: installing:$missing"
if [ -n "$s390x" ] && ! dpkg --print-foreign-architectures | grep -qx s390x; then
    $SUDO dpkg --add-architecture s390x
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
