# uvsecret-early: the static guest binary (musl + BearSSL, no other library).
#   make                 -> $(BUILD)/uvsecret-early         (x86_64, static, stripped)
#   make cross           -> $(BUILD)/s390x/uvsecret-early   (s390x big-endian, static)
# The request path allocates nothing: fixed limits in early/boot.h, early/sig.h,
# early/policy.h, early/uvcall.h.  BearSSL's Debian archive is fortified, so
# early/fortify.c supplies __memcpy_chk & co. for musl.
EARLY_MAIN := early/main.c early/uv_dev.c early/fortify.c
EARLY_LIB_SRCS := $(filter-out $(EARLY_MAIN),$(wildcard early/*.c))
# (early/format/format.mk is read after this file: name the sources here.)
EARLY_FORMAT_SRCS := $(wildcard early/format/*.c)
EARLY_SRCS := $(EARLY_LIB_SRCS) early/main.c early/uv_dev.c early/fortify.c $(EARLY_FORMAT_SRCS)

EARLY_MUSL_CC ?= musl-gcc
EARLY_CROSS_CC ?= s390x-linux-musl-gcc
EARLY_BEARSSL_A ?= /usr/lib/x86_64-linux-gnu/libbearssl.a
EARLY_CROSS_BEARSSL_A ?= /usr/lib/s390x-linux-gnu/libbearssl.a
EARLY_SIZE_MAX := 204800
# musl's wrapper does not search /usr/include: expose only the BearSSL headers.
EARLY_BEARSSL_INC := $(BUILD)/bearssl-inc
EARLY_CFLAGS = $(CSTD) $(WARN) -Os -ffunction-sections -fdata-sections -Iearly/format -Iearly \
               -isystem $(EARLY_BEARSSL_INC)
EARLY_LDFLAGS := -static -s -Wl,--gc-sections

$(EARLY_BEARSSL_INC)/bearssl.h:
	@mkdir -p $(dir $@)
	ln -sfn /usr/include/bearssl.h $@
	ln -sfn /usr/include/bearssl $(dir $@)bearssl

$(BUILD)/early-musl/%.o: %.c $(EARLY_BEARSSL_INC)/bearssl.h
	@mkdir -p $(dir $@)
	$(EARLY_MUSL_CC) $(EARLY_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/early-s390x/%.o: %.c $(EARLY_BEARSSL_INC)/bearssl.h
	@mkdir -p $(dir $@)
	$(EARLY_CROSS_CC) $(EARLY_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/uvsecret-early: $(EARLY_SRCS:%.c=$(BUILD)/early-musl/%.o)
	$(EARLY_MUSL_CC) $(EARLY_CFLAGS) $(EARLY_LDFLAGS) -o $@ $^ $(EARLY_BEARSSL_A)
	@sz=$$(stat -c %s $@); if [ $$sz -gt $(EARLY_SIZE_MAX) ]; then \
	    echo "$@: $$sz bytes, over the $(EARLY_SIZE_MAX)-byte budget" >&2; rm -f $@; exit 1; fi

$(BUILD)/s390x/uvsecret-early: $(EARLY_SRCS:%.c=$(BUILD)/early-s390x/%.o)
	@mkdir -p $(dir $@)
	$(EARLY_CROSS_CC) $(EARLY_CFLAGS) $(EARLY_LDFLAGS) -o $@ $^ $(EARLY_CROSS_BEARSSL_A)
	@sz=$$(stat -c %s $@); if [ $$sz -gt $(EARLY_SIZE_MAX) ]; then \
	    echo "$@: $$sz bytes, over the $(EARLY_SIZE_MAX)-byte budget" >&2; rm -f $@; exit 1; fi

.PHONY: cross install-early
cross: $(BUILD)/s390x/uvsecret-early

install-early: $(BUILD)/uvsecret-early
	install -D -m 0755 $(BUILD)/uvsecret-early $(DESTDIR)$(PREFIX)/sbin/uvsecret-early
	install -D -m 0644 early/uvsecret-early.bash-completion \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/uvsecret-early

ALL_TARGETS += $(BUILD)/uvsecret-early
INSTALL_TARGETS += install-early

-include $(shell find $(BUILD)/early-musl $(BUILD)/early-s390x -name '*.d' 2>/dev/null)
