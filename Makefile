# uvsecret — top-level build.  Each part keeps its own rules in a fragment:
#   early/format/format.mk  crypto-free request-format layer (shared by host and guest)
#   host-tools/host.mk      uvsecret (mbedTLS)
#   tests/tests.mk          simulator, test programs, test runner
#   early/early.mk          uvsecret-early (static, musl + BearSSL)
# `make` builds build/uvsecret; `make check` runs every test and ends with
# "N passed, N failed".

BUILD    ?= build
CC       ?= cc
OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wvla -Wformat=2 -Wno-format-nonliteral
CSTD     := -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64
CFLAGS   ?= $(OPT)
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) -Iearly/format
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
MBEDTLS_LIBS := -lmbedtls -lmbedx509 -lmbedcrypto
HOST_EXTRA_LIBS ?= -lcurl
PREFIX   ?= /usr/local
DESTDIR  ?=

# Fragments append to these.
ALL_TARGETS   :=
TEST_PROGS    :=
BENCH_CMDS    :=
CLEAN_EXTRA   :=
INSTALL_TARGETS :=

.PHONY: all check check-run check-units bench clean deps demo e2e install
all: all-targets

# Every part's fragment; a new part adds its own NAME.mk beside its sources.
include $(sort $(wildcard early/*.mk early/*/*.mk host-tools/*.mk tests/*.mk tests/*/*.mk \
                          modules.d/*.mk qemu/*.mk))

all-targets: $(ALL_TARGETS)

# `make check` first installs the Debian packages (idempotent, quick when present; skip with
# NO_DEPS=1), then builds and runs every test.  The runner sums every program's TAP lines
# (tests/run-tests.sh) and ends with "N passed, N failed".
check:
	@[ -n "$(NO_DEPS)" ] || tests/install-deps.sh
	@$(MAKE) --no-print-directory check-run

check-run: $(ALL_TARGETS) $(TEST_PROGS)
	@TEST_LOGDIR=$(BUILD)/test-logs tests/run-tests.sh $(TEST_PROGS)

# Every test but the VM boots (no packages installed; used by `make check-mbedtls3`).
UNIT_TEST_PROGS = $(filter-out $(BUILD)/vm/%,$(TEST_PROGS))
check-units: $(ALL_TARGETS) $(UNIT_TEST_PROGS)
	@TEST_LOGDIR=$(BUILD)/test-logs tests/run-tests.sh $(UNIT_TEST_PROGS)

bench: $(ALL_TARGETS)
	@set -e; for c in $(BENCH_CMDS); do $$c; done

# Installs the Debian packages every part needs (used by .ci/run and `make demo`).
deps:
	@tests/install-deps.sh

# `make install DESTDIR=... PREFIX=...`: the host tool, its completion and the man pages here; each part's
# fragment adds its own install-* target to INSTALL_TARGETS.
install: $(BUILD)/uvsecret $(INSTALL_TARGETS)
	install -D -m 0755 $(BUILD)/uvsecret $(DESTDIR)$(PREFIX)/bin/uvsecret
	install -D -m 0644 host-tools/uvsecret.bash-completion \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/uvsecret
	@set -e; for m in docs/*.[1-8]; do [ -f "$$m" ] || continue; \
	    sec=$${m##*.}; install -D -m 0644 "$$m" "$(DESTDIR)$(PREFIX)/share/man/man$$sec/$${m##*/}"; done

clean:
	rm -rf $(BUILD) $(CLEAN_EXTRA)

$(BUILD)/%/:
	@mkdir -p $@
