# libFuzzer targets for every parser of the format layer (clang).  Not part of
# `make check`: `make fuzz FUZZ_SECONDS=60` runs each target for that long, seeded
# with the reference vectors, and fails on any crash or sanitizer report.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FORMAT_FUZZ := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FORMAT_SRCS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CSTD) $(FUZZ_FLAGS) -Iearly/format -o $@ $^

.PHONY: fuzz fuzz-build
fuzz-build: $(FORMAT_FUZZ) $(FUZZ_EXTRA)
fuzz: fuzz-build
	@tests/fuzz/run-fuzz.sh $(FUZZ_SECONDS) $(FORMAT_FUZZ) $(FUZZ_EXTRA)
