# Kernel test driver (run inside user-mode-linux by tests/e2e/scenarios/xfrm/xfrm-*.sh).

# A check program of this folder is two lines, "XFRM_CHECKS += PROGRAM" and
# "PROGRAM_LDADD = $(XFRM_TEST_LDADD)" (unused archives add nothing); its
# source is PROGRAM.c, compiled with AM_CFLAGS.
XFRM_CHECKS =
XFRM_TEST_LDADD = xfrm/libxfrm.a $(CHECK_LIBS) $(MNL_LIBS) $(CRYPTO_LIBS)

noinst_PROGRAMS += tests/xfrm/xfrm_ktest
tests_xfrm_xfrm_ktest_SOURCES = tests/xfrm/xfrm_ktest.c
tests_xfrm_xfrm_ktest_LDADD = xfrm/libxfrm.a $(MNL_LIBS) $(CRYPTO_LIBS)

XFRM_CHECKS += tests/xfrm/check_xfrm
tests_xfrm_check_xfrm_SOURCES = tests/xfrm/check_xfrm.c tests/fuzz/fuzz_xfrm_parse.c
tests_xfrm_check_xfrm_CPPFLAGS = $(AM_CPPFLAGS) -DXFRM_VECTORS_DIR='"$(top_srcdir)/tests/vectors/xfrm"'
tests_xfrm_check_xfrm_LDADD = $(XFRM_TEST_LDADD)

# Kernel replies and events captured from the 6.1 UML kernel (see tests/xfrm/check_xfrm.c).
EXTRA_DIST += \
	tests/vectors/xfrm/ack.bin \
	tests/vectors/xfrm/acquire.bin \
	tests/vectors/xfrm/allocspi-reply.bin \
	tests/vectors/xfrm/error-extack.bin \
	tests/vectors/xfrm/expire-hard.bin \
	tests/vectors/xfrm/expire-soft.bin \
	tests/vectors/xfrm/fuzz-huge-nlmsg-len.bin \
	tests/vectors/xfrm/fuzz-misaligned-usersa.bin \
	tests/vectors/xfrm/getsa-3des-sha512-transport-encap.bin \
	tests/vectors/xfrm/getsa-cbc-sha1-transport.bin \
	tests/vectors/xfrm/getsa-gcm-tunnel-encap-esn.bin \
	tests/vectors/xfrm/mapping-addr.bin \
	tests/vectors/xfrm/mapping-port.bin

# UML scenarios: tests/e2e/scenarios/xfrm/xfrm-*.sh (distributed with the whole tests/e2e folder).

# Route lookups (xfrm/route.c) against captured rtnetlink replies.
XFRM_CHECKS += tests/xfrm/check_xfrm_route
tests_xfrm_check_xfrm_route_CPPFLAGS = $(AM_CPPFLAGS) -DROUTE_VECTORS_DIR='"$(top_srcdir)/tests/vectors/route"'
tests_xfrm_check_xfrm_route_LDADD = $(XFRM_TEST_LDADD)
# Kernel replies captured by capture.py (see tests/xfrm/check_xfrm_route.c).
EXTRA_DIST += \
	tests/vectors/route/capture.py \
	tests/vectors/route/dump4-none.bin \
	tests/vectors/route/dump4-prefsrc.bin \
	tests/vectors/route/dump4-two-defaults.bin \
	tests/vectors/route/dump6.bin \
	tests/vectors/route/get4-gateway.bin \
	tests/vectors/route/get4-local.bin \
	tests/vectors/route/get4-unreach.bin \
	tests/vectors/route/get6-gateway.bin \
	tests/vectors/route/get6-local.bin

check_PROGRAMS += $(XFRM_CHECKS)
TESTS += $(XFRM_CHECKS)
