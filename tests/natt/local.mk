# Tests of natt/ (one check program per natt/ module, vectors from tests/vectors).
check_PROGRAMS += tests/natt/check_natt_framing
TESTS += tests/natt/check_natt_framing
tests_natt_check_natt_framing_SOURCES = tests/natt/check_natt_framing.c
tests_natt_check_natt_framing_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_natt_check_natt_framing_LDADD = tests/lib/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/natt/check_natt_method
TESTS += tests/natt/check_natt_method
tests_natt_check_natt_method_SOURCES = tests/natt/check_natt_method.c tests/vectors/vid_vectors.h
tests_natt_check_natt_method_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_natt_check_natt_method_LDADD = tests/lib/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/natt/check_natt_natd
TESTS += tests/natt/check_natt_natd
tests_natt_check_natt_natd_SOURCES = tests/natt/check_natt_natd.c tests/vectors/natd_vectors.h
tests_natt_check_natt_natd_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_natt_check_natt_natd_LDADD = tests/lib/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/natt/check_natt_ports
TESTS += tests/natt/check_natt_ports
tests_natt_check_natt_ports_SOURCES = tests/natt/check_natt_ports.c
tests_natt_check_natt_ports_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_natt_check_natt_ports_LDADD = tests/lib/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/natt/check_natt_encap
TESTS += tests/natt/check_natt_encap
tests_natt_check_natt_encap_SOURCES = tests/natt/check_natt_encap.c
tests_natt_check_natt_encap_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_natt_check_natt_encap_LDADD = tests/lib/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/natt/check_natt_transport
TESTS += tests/natt/check_natt_transport
tests_natt_check_natt_transport_SOURCES = tests/natt/check_natt_transport.c
tests_natt_check_natt_transport_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_natt_check_natt_transport_LDADD = tests/lib/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/natt/check_natt_keepalive
TESTS += tests/natt/check_natt_keepalive
tests_natt_check_natt_keepalive_SOURCES = tests/natt/check_natt_keepalive.c
tests_natt_check_natt_keepalive_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_natt_check_natt_keepalive_LDADD = tests/lib/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/natt/check_natt_mapping
TESTS += tests/natt/check_natt_mapping
tests_natt_check_natt_mapping_SOURCES = tests/natt/check_natt_mapping.c
tests_natt_check_natt_mapping_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_natt_check_natt_mapping_LDADD = tests/lib/libnatttest.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

# The generator of the reference vectors above (run by hand, output committed).
EXTRA_DIST += tests/vectors/natt_vectors.py

# natt/ rules composed across the simulated NATs (no engine involved).
check_PROGRAMS += tests/natt/check_natt_scenario
TESTS += tests/natt/check_natt_scenario
tests_natt_check_natt_scenario_SOURCES = tests/natt/check_natt_scenario.c
tests_natt_check_natt_scenario_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_natt_check_natt_scenario_LDADD = tests/lib/libnatttest.a tests/lib/sim/libsimnat.a natt/libnatt.a \
	$(CHECK_LIBS) $(CRYPTO_LIBS)
