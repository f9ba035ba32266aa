# uvsecret, the host tool (mbedTLS).  host-tools/main.c holds main(); every other .c
# file here is library code that tests link too.
HOST_MAIN := host-tools/main.c
HOST_LIB_SRCS := $(filter-out $(HOST_MAIN),$(wildcard host-tools/*.c))
HOST_LIBS := $(MBEDTLS_LIBS) $(HOST_EXTRA_LIBS)

$(BUILD)/uvsecret: $(BUILD)/obj/host-tools/main.o $(HOST_LIB_SRCS:%.c=$(BUILD)/obj/%.o) $(FORMAT_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(HOST_LIBS)

# The same tool with ASan/UBSan, used by the command-line tests.
$(BUILD)/san/uvsecret: $(BUILD)/san/host-tools/main.o $(HOST_LIB_SRCS:%.c=$(BUILD)/san/%.o) $(FORMAT_SAN_OBJS)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $^ $(HOST_LIBS)

ALL_TARGETS += $(BUILD)/uvsecret $(BUILD)/san/uvsecret

# C unit tests: tests/host/test_NAME.c -> build/test/host/test_NAME (sanitized, linked
# with the host library and the format layer).
HOST_TEST_SRCS := $(wildcard tests/host/test_*.c)
HOST_TESTS := $(HOST_TEST_SRCS:tests/host/%.c=$(BUILD)/test/host/%)
$(BUILD)/test/host/%: tests/host/%.c $(HOST_LIB_SRCS:%.c=$(BUILD)/san/%.o) $(FORMAT_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Ihost-tools -Itests/lib -o $@ $^ $(HOST_LIBS)

# Shell tests of the command line: tests/host/*.sh (run from the repository root).
TEST_PROGS += $(HOST_TESTS) $(sort $(wildcard tests/host/*.sh))
