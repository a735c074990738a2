# natt/: every RFC 3947/3948 rule, as small pure functions.
noinst_LIBRARIES += natt/libnatt.a
natt_libnatt_a_SOURCES = \
	natt/framing.c natt/framing.h \
	natt/method.c natt/method.h \
	natt/endpoint.c natt/endpoint.h \
	natt/natd.c natt/natd.h \
	natt/ports.c natt/ports.h \
	natt/encap.c natt/encap.h \
	natt/natoa.c natt/natoa.h \
	natt/transport.c natt/transport.h \
	natt/keepalive.c natt/keepalive.h \
	natt/mapping.c natt/mapping.h

# Helpers shared by the tests below.
noinst_LIBRARIES += tests/libnatttest.a
tests_libnatttest_a_SOURCES = tests/natt_test.c tests/natt_test.h
tests_libnatttest_a_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)

check_PROGRAMS += tests/check_natt_framing
TESTS += tests/check_natt_framing
tests_check_natt_framing_SOURCES = tests/check_natt_framing.c
tests_check_natt_framing_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_natt_framing_LDADD = tests/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_natt_method
TESTS += tests/check_natt_method
tests_check_natt_method_SOURCES = tests/check_natt_method.c tests/vectors/vid_vectors.h
tests_check_natt_method_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_natt_method_LDADD = tests/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_natt_natd
TESTS += tests/check_natt_natd
tests_check_natt_natd_SOURCES = tests/check_natt_natd.c tests/vectors/natd_vectors.h
tests_check_natt_natd_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_natt_natd_LDADD = tests/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_natt_ports
TESTS += tests/check_natt_ports
tests_check_natt_ports_SOURCES = tests/check_natt_ports.c
tests_check_natt_ports_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_natt_ports_LDADD = tests/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_natt_qm
TESTS += tests/check_natt_qm
tests_check_natt_qm_SOURCES = tests/check_natt_qm.c
tests_check_natt_qm_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_natt_qm_LDADD = tests/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_natt_transport
TESTS += tests/check_natt_transport
tests_check_natt_transport_SOURCES = tests/check_natt_transport.c
tests_check_natt_transport_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_natt_transport_LDADD = tests/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_natt_keepalive
TESTS += tests/check_natt_keepalive
tests_check_natt_keepalive_SOURCES = tests/check_natt_keepalive.c
tests_check_natt_keepalive_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_natt_keepalive_LDADD = tests/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_natt_mapping
TESTS += tests/check_natt_mapping
tests_check_natt_mapping_SOURCES = tests/check_natt_mapping.c
tests_check_natt_mapping_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_natt_mapping_LDADD = tests/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

# The generator of the reference vectors above (run by hand, output committed).
EXTRA_DIST += tests/vectors/natt_vectors.py

# Simulated NATs (tests/sim/nat.*), plugged into the engine's simulator.
noinst_LIBRARIES += tests/sim/libsimnat.a
tests_sim_libsimnat_a_SOURCES = tests/sim/nat.c tests/sim/nat.h tests/sim/dgram.h

check_PROGRAMS += tests/check_sim_nat
TESTS += tests/check_sim_nat
tests_check_sim_nat_SOURCES = tests/check_sim_nat.c
tests_check_sim_nat_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_sim_nat_LDADD = tests/libnatttest.a tests/sim/libsimnat.a $(CHECK_LIBS)

# Fuzz target for the NAT-T entry points that see peer bytes; without
# libFuzzer its committed corpus replays in `make check`.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz_natt
tests_fuzz_natt_SOURCES = tests/fuzz/fuzz_natt.c
tests_fuzz_natt_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_natt_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
else
check_PROGRAMS += tests/fuzz_natt
tests_fuzz_natt_SOURCES = tests/fuzz/fuzz_natt.c tests/fuzz/replay_main.c
# Set in both branches: a per-target flag defined in one branch only would
# replace AM_CFLAGS/AM_LDFLAGS with nothing in the other.
tests_fuzz_natt_CFLAGS = $(AM_CFLAGS)
tests_fuzz_natt_LDFLAGS = $(AM_LDFLAGS)
TESTS += tests/fuzz/fuzz_natt.sh
endif
tests_fuzz_natt_LDADD = natt/libnatt.a $(CRYPTO_LIBS)
EXTRA_DIST += tests/fuzz/fuzz_natt.sh tests/fuzz/corpus/natt

# natt/ rules composed across the simulated NATs (no engine involved).
check_PROGRAMS += tests/check_natt_scenario
TESTS += tests/check_natt_scenario
tests_check_natt_scenario_SOURCES = tests/check_natt_scenario.c
tests_check_natt_scenario_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_natt_scenario_LDADD = tests/libnatttest.a tests/sim/libsimnat.a natt/libnatt.a \
	$(CHECK_LIBS) $(CRYPTO_LIBS)
