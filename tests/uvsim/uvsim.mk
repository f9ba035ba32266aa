# The simulated ultravisor (test infrastructure, never installed).
#   build/uvsim               CLI: mkhdr, check, list, lock, retrieve, info, state, reboot, sysfs
#   build/uvsim-cuse          CUSE daemon serving /dev/uv (libfuse3)
#   build/uvsim-ioctl-test    guest-side ioctl(2) test of a device path (TAP)
#   build/static/...          static builds of the last two (make them by name)
# Usage and what is simulated: docs/testing.md.
# Others link the core through:
#   UVSIM_CORE_SRCS  the core's .c files (no main)
#   UVSIM_SAN_OBJS   sanitized objects of the core + host-tools/crypto.c + format layer
#   UVSIM_OBJS       the same, unsanitized
#   UVSIM_LIBS       libraries (mbedTLS)
#   UVSIM_CFLAGS     include flags for code that includes uvsim.h / sim.h
UVSIM_DIR := tests/uvsim
UVSIM_CORE_SRCS := $(addprefix $(UVSIM_DIR)/,uvsim.c sim_file.c sim_keys.c sim_hdr.c sim_store.c sim_state.c)
UVSIM_CFLAGS := -I$(UVSIM_DIR) -Ihost-tools
UVSIM_SAN_OBJS := $(UVSIM_CORE_SRCS:%.c=$(BUILD)/san/%.o) $(BUILD)/san/host-tools/crypto.o $(FORMAT_SAN_OBJS)
UVSIM_OBJS := $(UVSIM_CORE_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/host-tools/crypto.o $(FORMAT_OBJS)
UVSIM_LIBS := $(MBEDTLS_LIBS)

# The generic object rules only add -Iearly/format; the simulator's files need more.
$(UVSIM_DIR:%=$(BUILD)/obj/%)/%.o $(UVSIM_DIR:%=$(BUILD)/san/%)/%.o: ALL_CFLAGS += $(UVSIM_CFLAGS)

$(BUILD)/uvsim: $(BUILD)/obj/$(UVSIM_DIR)/main.o $(UVSIM_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(UVSIM_LIBS)

# The CUSE daemon (dynamic libfuse3; dracut copies the libraries it needs).
UVSIM_FUSE_CFLAGS := $(shell pkg-config --cflags fuse3 2>/dev/null)
UVSIM_FUSE_LIBS := $(shell pkg-config --libs fuse3 2>/dev/null || echo -lfuse3 -lpthread)
$(BUILD)/obj/$(UVSIM_DIR)/cuse_uv.o: ALL_CFLAGS += $(UVSIM_FUSE_CFLAGS)
$(BUILD)/uvsim-cuse: $(BUILD)/obj/$(UVSIM_DIR)/cuse_uv.o $(UVSIM_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(UVSIM_LIBS) $(UVSIM_FUSE_LIBS)

# Runs inside the VM against the CUSE device: plain ioctl(2), no mbedTLS.
$(BUILD)/obj/$(UVSIM_DIR)/ioctl_test.o: ALL_CFLAGS += -Itests/lib
$(BUILD)/uvsim-ioctl-test: $(BUILD)/obj/$(UVSIM_DIR)/ioctl_test.o $(FORMAT_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^

ALL_TARGETS += $(BUILD)/uvsim $(BUILD)/uvsim-cuse $(BUILD)/uvsim-ioctl-test

# The same ioctl checks against the in-process simulator (kernel layer unit test).
$(BUILD)/test/uvsim/ioctl_inproc: $(UVSIM_DIR)/ioctl_test.c $(UVSIM_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(UVSIM_CFLAGS) -Itests/lib -DUVSIM_INPROC -o $@ $^ $(UVSIM_LIBS)
TEST_PROGS += $(BUILD)/test/uvsim/ioctl_inproc

# Unit tests: tests/uvsim/test_NAME.c -> build/test/uvsim/test_NAME (sanitized; linked
# with the core and the request builder host-tools/request.c for making requests).
UVSIM_TEST_SRCS := $(wildcard $(UVSIM_DIR)/test_*.c)
UVSIM_TESTS := $(UVSIM_TEST_SRCS:$(UVSIM_DIR)/%.c=$(BUILD)/test/uvsim/%)
$(BUILD)/test/uvsim/%: $(UVSIM_DIR)/%.c $(UVSIM_DIR)/testlib.h $(UVSIM_SAN_OBJS) $(BUILD)/san/host-tools/request.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) $(UVSIM_CFLAGS) -Itests/lib -o $@ $(filter %.c %.o,$^) $(UVSIM_LIBS)

# Shell tests drive build/uvsim (they need it built).
UVSIM_SH_TESTS := $(sort $(wildcard $(UVSIM_DIR)/test_*.sh))
TEST_PROGS += $(UVSIM_TESTS) $(UVSIM_SH_TESTS)
# test_cli runs build/uvsim.
$(BUILD)/test/uvsim/test_cli: | $(BUILD)/uvsim

# Static variants for minimal VMs (busybox initramfs, tests/uvsim/cuse-vm-smoke.sh).
UVSIM_FUSE_STATIC_LIBS = $(shell pkg-config --static --libs fuse3 2>/dev/null || echo -lfuse3 -lpthread -ldl)
$(BUILD)/static/uvsim-cuse: $(BUILD)/obj/$(UVSIM_DIR)/cuse_uv.o $(UVSIM_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -o $@ $^ $(UVSIM_LIBS) $(UVSIM_FUSE_STATIC_LIBS)
$(BUILD)/static/uvsim-ioctl-test: $(BUILD)/obj/$(UVSIM_DIR)/ioctl_test.o $(FORMAT_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -static -o $@ $^
