# libFuzzer targets for every parser of the format layer (clang).  Not part of
# `make check`: `make fuzz FUZZ_SECONDS=60` runs each target for that long, seeded
# with the reference vectors, and fails on any crash or sanitizer report.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FORMAT_FUZZ := $(addprefix $(BUILD)/fuzz/,fuzz_asr fuzz_sehdr fuzz_uvlist)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FORMAT_SRCS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CSTD) $(FUZZ_FLAGS) -Iearly/format -o $@ $^

.PHONY: fuzz fuzz-build
# Other parts add their targets (with their own rules) to FUZZ_EXTRA.
fuzz-build: $(sort $(FORMAT_FUZZ) $(FUZZ_EXTRA))
fuzz: fuzz-build
	@tests/fuzz/run-fuzz.sh $(FUZZ_SECONDS) $(sort $(FORMAT_FUZZ) $(FUZZ_EXTRA))
