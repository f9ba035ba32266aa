# Unit tests of the crypto-free format layer: tests/format/test_NAME.c.
FORMAT_TEST_SRCS := $(wildcard tests/format/test_*.c)
FORMAT_TESTS := $(FORMAT_TEST_SRCS:tests/format/%.c=$(BUILD)/test/format/%)
$(BUILD)/test/format/%: tests/format/%.c $(FORMAT_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Itests/lib -o $@ $^
TEST_PROGS += $(FORMAT_TESTS)
