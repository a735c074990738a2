# natt/: every RFC 3947/3948 rule, as small pure functions.
noinst_LIBRARIES += natt/libnatt.a
natt_libnatt_a_SOURCES = \
	natt/framing.c natt/framing.h \
	natt/method.h natt/endpoint.h natt/natd.h natt/ports.h \
	natt/encap.h natt/natoa.h natt/keepalive.h natt/mapping.h

check_PROGRAMS += tests/check_natt_framing
TESTS += tests/check_natt_framing
tests_check_natt_framing_SOURCES = tests/check_natt_framing.c
tests_check_natt_framing_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_natt_framing_LDADD = natt/libnatt.a $(CHECK_LIBS)

# Simulated NATs (tests/sim/nat.*), plugged into the engine's simulator.
EXTRA_DIST += tests/sim/nat.h
