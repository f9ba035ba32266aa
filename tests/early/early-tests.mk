# Tests of uvsecret-early (glibc, ASan/UBSan, BearSSL from the static archive).
#   $(BUILD)/test/early/uvsecret-early-sim   the guest binary on the simulated UV core
#   $(BUILD)/test/early/uvsecret-early-stub  the same on a crypto-free stub UV (bench)
#   $(BUILD)/test/early/mkreq                makes requests (host-tools/request.c)
#   $(BUILD)/test/early/test_*               C unit tests (TAP)
#   tests/early/*.sh                         command-line and boot tests (TAP), run via
#                                            generated wrappers that know $(BUILD)
# The s390x build of the crypto-free/BearSSL unit tests runs under qemu-s390x-static.
.SECONDEXPANSION:

EARLY_TEST_CFLAGS = $(ALL_CFLAGS) $(SAN_FLAGS) -Iearly -Itests/lib
EARLY_SAN_LIB_OBJS := $(EARLY_LIB_SRCS:%.c=$(BUILD)/san/%.o)
EARLY_SAN_MAIN := $(BUILD)/san/early/main.o
EARLY_BEARSSL_LINK := /usr/lib/x86_64-linux-gnu/libbearssl.a

$(BUILD)/san/tests/early/%.o: tests/early/%.c
	@mkdir -p $(dir $@)
	$(CC) $(EARLY_TEST_CFLAGS) -I$(UVSIM_DIR) -Ihost-tools -MMD -MP -c $< -o $@

$(BUILD)/test/early/uvsecret-early-sim: $(EARLY_SAN_MAIN) $(EARLY_SAN_LIB_OBJS) \
        $(BUILD)/san/tests/early/uv_sim.o $$(UVSIM_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(EARLY_TEST_CFLAGS) -o $@ $(sort $^) $(EARLY_BEARSSL_LINK) $(UVSIM_LIBS)

$(BUILD)/test/early/uvsecret-early-stub: $(EARLY_SAN_MAIN) $(EARLY_SAN_LIB_OBJS) \
        $(BUILD)/san/tests/early/uv_stub.o $(FORMAT_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(EARLY_TEST_CFLAGS) -o $@ $^ $(EARLY_BEARSSL_LINK)

$(BUILD)/test/early/mkreq: $(BUILD)/san/tests/early/mkreq.o $(BUILD)/san/host-tools/request.o \
        $(BUILD)/san/host-tools/crypto.o $(FORMAT_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(EARLY_TEST_CFLAGS) -o $@ $^ $(MBEDTLS_LIBS)

# C unit tests: the guest library + stub transport + mbedTLS (to make signatures).
EARLY_UNIT_SRCS := $(wildcard tests/early/test_*.c)
EARLY_UNITS := $(EARLY_UNIT_SRCS:tests/early/%.c=$(BUILD)/test/early/%)
$(BUILD)/test/early/test_%: $(BUILD)/san/tests/early/test_%.o $(EARLY_SAN_LIB_OBJS) \
        $(BUILD)/san/tests/early/uv_stub.o $(BUILD)/san/host-tools/crypto.o $(FORMAT_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(EARLY_TEST_CFLAGS) -o $@ $^ $(EARLY_BEARSSL_LINK) $(MBEDTLS_LIBS)

# Shell tests: a generated wrapper per script passes the build directory.
EARLY_SH_SRCS := $(sort $(wildcard tests/early/test_*.sh))
EARLY_SH := $(EARLY_SH_SRCS:tests/early/%.sh=$(BUILD)/test/early/run-%)
$(BUILD)/test/early/run-%: tests/early/%.sh $(BUILD)/test/early/uvsecret-early-sim \
        $(BUILD)/test/early/uvsecret-early-stub $(BUILD)/test/early/mkreq $(BUILD)/uvsecret-early \
        $(BUILD)/s390x/uvsecret-early
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nEARLY_BUILD=%s exec sh %s "$$@"\n' '$(BUILD)' '$<' >$@
	chmod +x $@

# s390x: unit tests without mbedTLS (they read committed vectors), cross-built static
# with musl + BearSSL:s390x, run by one wrapper under qemu-s390x-static.
EARLY_S390X_UNIT_SRCS := tests/early/test_conf.c tests/early/test_policy.c tests/early/test_vectors.c
EARLY_S390X_UNITS := $(EARLY_S390X_UNIT_SRCS:tests/early/%.c=$(BUILD)/s390x/test/early/%)
$(BUILD)/s390x/test/early/%: tests/early/%.c $(EARLY_LIB_SRCS:%.c=$(BUILD)/early-s390x/%.o) \
        $(BUILD)/early-s390x/tests/early/uv_stub.o $(FORMAT_SRCS:%.c=$(BUILD)/early-s390x/%.o) \
        $(BUILD)/early-s390x/early/fortify.o
	@mkdir -p $(dir $@)
	$(EARLY_CROSS_CC) $(EARLY_CFLAGS) -Itests/lib -static -o $@ $^ $(EARLY_CROSS_BEARSSL_A)
$(BUILD)/test/early/s390x-units: $(EARLY_S390X_UNITS) tests/early/run-s390x.sh
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nexec sh tests/early/run-s390x.sh %s\n' '$(EARLY_S390X_UNITS)' >$@
	chmod +x $@

# libFuzzer targets for the guest's own parsers (conf, TOC policy, signer files).
$(BUILD)/fuzz/fuzz_early_%: tests/fuzz/fuzz_early_%.c $(EARLY_LIB_SRCS) $(FORMAT_SRCS) tests/early/uv_stub.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CSTD) $(FUZZ_FLAGS) -Iearly/format -Iearly -o $@ $^ -lbearssl
FUZZ_EXTRA += $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_early_*.c))

# The shipping build (musl, -Os, static) with the stub transport: what the bench times.
$(BUILD)/test/early/uvsecret-early-bench: $(filter-out %/uv_dev.o,$(EARLY_SRCS:%.c=$(BUILD)/early-musl/%.o)) \
        $(BUILD)/early-musl/tests/early/uv_stub.o
	@mkdir -p $(dir $@)
	$(EARLY_MUSL_CC) $(EARLY_CFLAGS) $(EARLY_LDFLAGS) -o $@ $^ $(EARLY_BEARSSL_A)

# Bench: the boot job for 1, 16 and 64 requests on the stub UV; static binary sizes.
$(BUILD)/test/early/bench: tests/early/bench_boot.sh $(BUILD)/test/early/uvsecret-early-bench $(BUILD)/s390x/uvsecret-early \
        $(BUILD)/test/early/mkreq $(BUILD)/uvsecret-early
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nEARLY_BUILD=%s exec sh tests/early/bench_boot.sh\n' '$(BUILD)' >$@
	chmod +x $@
BENCH_CMDS += $(BUILD)/test/early/bench

TEST_PROGS += $(EARLY_UNITS) $(EARLY_SH) $(BUILD)/test/early/s390x-units

-include $(shell find $(BUILD)/san/tests/early -name '*.d' 2>/dev/null)
