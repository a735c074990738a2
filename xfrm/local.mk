# xfrm/: the only code that speaks netlink (libmnl), plus the IKE sockets' kernel options.
noinst_LIBRARIES += xfrm/libxfrm.a
xfrm_libxfrm_a_SOURCES = \
	xfrm/kernel_req.h \
	xfrm/xfrm_msg.c xfrm/xfrm_msg.h \
	xfrm/xfrm_io.c xfrm/xfrm_io.h \
	xfrm/ike_socket.c xfrm/ike_socket.h

# Kernel test driver (run inside user-mode-linux by tests/e2e/scenarios/xfrm-*.sh).
noinst_PROGRAMS += tests/xfrm_ktest
tests_xfrm_ktest_SOURCES = tests/xfrm_ktest.c
tests_xfrm_ktest_LDADD = xfrm/libxfrm.a $(MNL_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_xfrm
TESTS += tests/check_xfrm
tests_check_xfrm_SOURCES = tests/check_xfrm.c
tests_check_xfrm_CPPFLAGS = $(AM_CPPFLAGS) -DXFRM_VECTORS_DIR='"$(top_srcdir)/tests/vectors/xfrm"'
tests_check_xfrm_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_xfrm_LDADD = xfrm/libxfrm.a $(CHECK_LIBS) $(MNL_LIBS) $(CRYPTO_LIBS)

# Kernel replies and events captured from the 6.1 UML kernel (see tests/check_xfrm.c).
EXTRA_DIST += \
	tests/vectors/xfrm/ack.bin \
	tests/vectors/xfrm/acquire.bin \
	tests/vectors/xfrm/allocspi-reply.bin \
	tests/vectors/xfrm/error-extack.bin \
	tests/vectors/xfrm/expire-hard.bin \
	tests/vectors/xfrm/expire-soft.bin \
	tests/vectors/xfrm/getsa-3des-sha512-transport-encap.bin \
	tests/vectors/xfrm/getsa-cbc-sha1-transport.bin \
	tests/vectors/xfrm/getsa-gcm-tunnel-encap-esn.bin \
	tests/vectors/xfrm/mapping-addr.bin \
	tests/vectors/xfrm/mapping-port.bin

# UML scenarios (run by the tests/e2e bed) and their driver's scripts.
EXTRA_DIST += \
	tests/e2e/scenarios/xfrm-matrix.sh \
	tests/e2e/scenarios/xfrm-owner.sh \
	tests/e2e/scenarios/xfrm-errors.sh \
	tests/e2e/scenarios/xfrm-events.sh \
	tests/e2e/scenarios/xfrm-nat-move.sh \
	tests/e2e/scenarios/xfrm-move-alternatives.sh \
	tests/e2e/scenarios/xfrm-sockets.sh
