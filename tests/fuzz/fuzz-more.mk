# libFuzzer targets for the host tool (tests/fuzz/fuzz_host_*.c: --cuid/YAML, --hdr
# loader, `info`, `verify`, secret values) and the simulated ultravisor
# (tests/fuzz/fuzz_sim_*.c: add-secret through the ioctl layer, the state file).
# Built by `make fuzz` / `make fuzz-build` (tests/fuzz/fuzz.mk), never by `make check`.
# They read the vectors from $UVS_SHARED (default ../shared).
FUZZ_HOST_SRCS = $(HOST_LIB_SRCS) $(FORMAT_SRCS)
# (tests/uvsim/uvsim.mk is read after this file: name the core's files here.)
FUZZ_SIM_SRCS = tests/uvsim/uvsim.c $(wildcard tests/uvsim/sim_*.c) host-tools/crypto.c $(FORMAT_SRCS)

$(BUILD)/fuzz/fuzz_host_%: tests/fuzz/fuzz_host_%.c tests/fuzz/fuzz_host_tmp.h $(FUZZ_HOST_SRCS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CSTD) $(FUZZ_FLAGS) -Iearly/format -Ihost-tools -Itests/fuzz -o $@ \
	    $(filter %.c,$^) $(HOST_LIBS)

$(BUILD)/fuzz/fuzz_sim_%: tests/fuzz/fuzz_sim_%.c tests/fuzz/fuzz_host_tmp.h $(FUZZ_SIM_SRCS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CSTD) $(FUZZ_FLAGS) -Iearly/format $(UVSIM_CFLAGS) -Itests/fuzz -o $@ \
	    $(filter %.c,$^) $(UVSIM_LIBS)

FUZZ_EXTRA += $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_host_*.c tests/fuzz/fuzz_sim_*.c))
