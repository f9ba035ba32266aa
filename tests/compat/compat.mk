# make check-mbedtls3: every test but the VM boots, built against mbedTLS 3.6 (Debian
# trixie's archives, fetched by tests/compat/mbedtls3.sh; bookworm has 2.28 only).
check-mbedtls3:
	@BUILD=$(BUILD) tests/compat/mbedtls3.sh

.PHONY: check-mbedtls3
CLEAN_EXTRA += build-mbedtls3
