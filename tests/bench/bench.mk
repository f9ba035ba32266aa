# `make bench`: the uvsecret command line against the bare request cryptography.
#   build/bench/bench_crypto   one request's crypto (P-521 keygen, ECDH/keyslots, GCM)
#   tests/bench/bench-cli.sh   create association with 1/8/64 host keys, a batch of 200,
#                              and the overhead ratio CLI / bare crypto
$(BUILD)/bench/bench_crypto: tests/bench/bench_crypto.c $(HOST_LIB_SRCS:%.c=$(BUILD)/obj/%.o) $(FORMAT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ihost-tools -o $@ $^ $(HOST_LIBS)

ALL_TARGETS += $(BUILD)/bench/bench_crypto
BENCH_CMDS += tests/bench/bench-cli.sh
