#!/bin/sh
# Big-endian check of the simulator core: cross-builds test_hdr, test_store and the
# in-process ioctl test for s390x (static, glibc) and runs them under qemu-s390x-static.
# Not part of `make check`: it needs an s390x sysroot with libc6-dev and libmbedtls-dev,
# e.g.   mkdir sys && cd sys && apt-get download libc6-dev:s390x linux-libc-dev:s390x \
#            libmbedtls-dev:s390x && for d in *.deb; do dpkg-deb -x "$d" root; done
#   tests/uvsim/s390x-check.sh sys/root [OUTDIR]
set -eu
R=$1
O=${2:-build/s390x-uvsim}
S=$R/usr/lib/s390x-linux-gnu
mkdir -p "$O"
CF="-std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2
    -Wno-format-nonliteral -O2 -Iearly/format -Itests/uvsim -Ihost-tools -Itests/lib
    -isystem $R/usr/include/s390x-linux-gnu -isystem $R/usr/include -idirafter /usr/include"
LF="-static -B$S -L$S"
CORE="tests/uvsim/uvsim.c tests/uvsim/sim_file.c tests/uvsim/sim_keys.c tests/uvsim/sim_hdr.c
      tests/uvsim/sim_store.c tests/uvsim/sim_state.c host-tools/crypto.c $(ls early/format/*.c)"
LIBS="$S/libmbedtls.a $S/libmbedx509.a $S/libmbedcrypto.a"
# shellcheck disable=SC2086
{
    s390x-linux-gnu-gcc $CF $LF -o "$O/test_hdr" tests/uvsim/test_hdr.c $CORE host-tools/request.c $LIBS
    s390x-linux-gnu-gcc $CF $LF -o "$O/test_store" tests/uvsim/test_store.c $CORE host-tools/request.c $LIBS
    s390x-linux-gnu-gcc $CF $LF -DUVSIM_INPROC -o "$O/ioctl_inproc" tests/uvsim/ioctl_test.c $CORE $LIBS
} 2>&1 | grep -v 'statically linked applications' || true
fail=0
for t in test_hdr test_store ioctl_inproc; do
    if qemu-s390x-static "$O/$t" >"$O/$t.log" 2>&1 && ! grep -q '^not ok' "$O/$t.log"; then
        echo "PASS s390x $t: $(grep -c '^ok' "$O/$t.log") checks"
    else
        echo "FAIL s390x $t (see $O/$t.log)"
        fail=1
    fi
done
exit $fail
