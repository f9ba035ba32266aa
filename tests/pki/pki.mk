# Fake IBM Z PKI maker and the host-key verification test driver.
#   $(BUILD)/mkpki               mints a fresh PKI (usage at the top of tests/pki/mkpki.sh)
#   $(BUILD)/test/pki/hkdverify  maps command-line arguments onto hkd_verify_opts (tests)
# Used by tests/host/test_crl_online.sh (loopback HTTP server tests/pki/crl_server.py).
$(BUILD)/mkpki: tests/pki/mkpki.sh
	@mkdir -p $(dir $@)
	install -m 0755 $< $@

$(BUILD)/test/pki/hkdverify: tests/pki/hkdverify.c $(HOST_LIB_SRCS:%.c=$(BUILD)/san/%.o) $(FORMAT_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Ihost-tools -o $@ $^ $(HOST_LIBS)

ALL_TARGETS += $(BUILD)/mkpki $(BUILD)/test/pki/hkdverify
