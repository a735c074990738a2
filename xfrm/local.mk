# xfrm/: the only code that speaks netlink (libmnl), plus the IKE sockets' kernel options.
noinst_LIBRARIES += xfrm/libxfrm.a
EXTRA_DIST += xfrm/README.md
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
tests_check_xfrm_SOURCES = tests/check_xfrm.c tests/check_xfrm_fuzz.c
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
	tests/vectors/xfrm/fuzz-huge-nlmsg-len.bin \
	tests/vectors/xfrm/fuzz-misaligned-usersa.bin \
	tests/vectors/xfrm/getsa-3des-sha512-transport-encap.bin \
	tests/vectors/xfrm/getsa-cbc-sha1-transport.bin \
	tests/vectors/xfrm/getsa-gcm-tunnel-encap-esn.bin \
	tests/vectors/xfrm/mapping-addr.bin \
	tests/vectors/xfrm/mapping-port.bin

# UML scenarios: tests/e2e/scenarios/xfrm-*.sh (distributed with the whole tests/e2e folder).

# Benchmark (runs inside user-mode-linux through the bed): natkeyd vs ip -batch.
BENCH_SHELL += tests/bench_xfrm.sh
dist_noinst_SCRIPTS += tests/bench_xfrm.sh

# Fuzz target for the netlink parsers (corpus: tests/vectors/xfrm). Without --enable-fuzzing it
# is linked into check_xfrm, which replays the corpus through it.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz_xfrm_parse
tests_fuzz_xfrm_parse_SOURCES = tests/check_xfrm_fuzz.c xfrm/xfrm_msg.c
tests_fuzz_xfrm_parse_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_xfrm_parse_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_xfrm_parse_LDADD = $(MNL_LIBS) $(CRYPTO_LIBS)
endif

# Route lookups (rtnetlink) for left=%defaultroute and the local-address check of left= names.
xfrm_libxfrm_a_SOURCES += xfrm/route.c xfrm/route.h
check_PROGRAMS += tests/check_xfrm_route
TESTS += tests/check_xfrm_route
tests_check_xfrm_route_SOURCES = tests/check_xfrm_route.c
tests_check_xfrm_route_CPPFLAGS = $(AM_CPPFLAGS) -DROUTE_VECTORS_DIR='"$(top_srcdir)/tests/vectors/route"'
tests_check_xfrm_route_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_xfrm_route_LDADD = xfrm/libxfrm.a $(CHECK_LIBS) $(MNL_LIBS)
# Kernel replies captured by capture.py (see tests/check_xfrm_route.c).
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
