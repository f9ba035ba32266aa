# dracut module uvsecret (modules.d/91uvsecret): install only; it is tested in the VM harness
# (qemu/qemu.mk).  `make install` installs the module into $(DRACUTDIR)/modules.d/91uvsecret
# and the configuration snippet into $(DRACUTDIR)/dracut.conf.d/50-uvsecret.conf.
DRACUTDIR ?= $(PREFIX)/lib/dracut
UVSECRET_DRACUT_SCRIPTS := module-setup.sh uvsecret-lib.sh uvsecret-job.sh uvsecret-queue.sh \
                           uvsecret-cleanup.sh
UVSECRET_DRACUT_DATA := uvsecret.service uvsecret-cryptsetup.conf

.PHONY: install-dracut
install-dracut:
	install -d $(DESTDIR)$(DRACUTDIR)/modules.d/91uvsecret $(DESTDIR)$(DRACUTDIR)/dracut.conf.d
	install -m 0755 $(addprefix modules.d/91uvsecret/,$(UVSECRET_DRACUT_SCRIPTS)) \
	    $(DESTDIR)$(DRACUTDIR)/modules.d/91uvsecret/
	install -m 0644 $(addprefix modules.d/91uvsecret/,$(UVSECRET_DRACUT_DATA)) \
	    $(DESTDIR)$(DRACUTDIR)/modules.d/91uvsecret/
	install -m 0644 modules.d/91uvsecret/50-uvsecret.conf \
	    $(DESTDIR)$(DRACUTDIR)/dracut.conf.d/50-uvsecret.conf

INSTALL_TARGETS += install-dracut
