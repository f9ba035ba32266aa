# Crypto-free request-format layer: compiled into the host tool, the simulator and the
# guest binary (each with its own compiler and flags).
FORMAT_SRCS := $(wildcard early/format/*.c)
FORMAT_OBJS := $(FORMAT_SRCS:%.c=$(BUILD)/obj/%.o)
FORMAT_SAN_OBJS := $(FORMAT_SRCS:%.c=$(BUILD)/san/%.o)

# Generic object rules for every host-compiled part (normal and sanitizer builds).
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@

-include $(shell find $(BUILD)/obj $(BUILD)/san -name '*.d' 2>/dev/null)
