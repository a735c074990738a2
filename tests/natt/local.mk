# Tests of natt/ (one check program per natt/ module, vectors from tests/vectors).

# A check program of this folder is two lines, "NATT_CHECKS += PROGRAM" and
# "PROGRAM_LDADD = $(NATT_TEST_LDADD)" (unused archives add nothing); its
# source is PROGRAM.c, compiled with AM_CFLAGS.
NATT_CHECKS =
NATT_TEST_LDADD = tests/lib/libnatttest.a tests/lib/sim/libsimnat.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

NATT_CHECKS += tests/natt/check_natt_framing
tests_natt_check_natt_framing_LDADD = $(NATT_TEST_LDADD)

NATT_CHECKS += tests/natt/check_natt_method
tests_natt_check_natt_method_SOURCES = tests/natt/check_natt_method.c tests/vectors/vid_vectors.h
tests_natt_check_natt_method_LDADD = $(NATT_TEST_LDADD)

NATT_CHECKS += tests/natt/check_natt_natd
tests_natt_check_natt_natd_SOURCES = tests/natt/check_natt_natd.c tests/vectors/natd_vectors.h
tests_natt_check_natt_natd_LDADD = $(NATT_TEST_LDADD)

NATT_CHECKS += tests/natt/check_natt_ports
tests_natt_check_natt_ports_LDADD = $(NATT_TEST_LDADD)

NATT_CHECKS += tests/natt/check_natt_encap
tests_natt_check_natt_encap_LDADD = $(NATT_TEST_LDADD)

NATT_CHECKS += tests/natt/check_natt_transport
tests_natt_check_natt_transport_LDADD = $(NATT_TEST_LDADD)

NATT_CHECKS += tests/natt/check_natt_keepalive
tests_natt_check_natt_keepalive_LDADD = $(NATT_TEST_LDADD)

NATT_CHECKS += tests/natt/check_natt_adaptka
tests_natt_check_natt_adaptka_LDADD = $(NATT_TEST_LDADD)

NATT_CHECKS += tests/natt/check_natt_mapping
tests_natt_check_natt_mapping_LDADD = $(NATT_TEST_LDADD)

NATT_CHECKS += tests/natt/check_natt_diag
tests_natt_check_natt_diag_LDADD = $(NATT_TEST_LDADD)

# The generator of the reference vectors above (run by hand, output committed).
EXTRA_DIST += tests/vectors/natt_vectors.py

# natt/ rules composed across the simulated NATs (no engine involved).
NATT_CHECKS += tests/natt/check_natt_scenario
tests_natt_check_natt_scenario_LDADD = $(NATT_TEST_LDADD)

# STUN codec (RFC 5389/5780) with the RFC 5769 vectors.
NATT_CHECKS += tests/natt/check_natt_stun
tests_natt_check_natt_stun_LDADD = $(NATT_TEST_LDADD)

# RFC 5780 NAT behaviour discovery against a simulated STUN server behind
# the simulated RFC 4787 NATs.
NATT_CHECKS += tests/natt/check_natt_natcheck
tests_natt_check_natt_natcheck_LDADD = $(NATT_TEST_LDADD)

# natkeyctl natcheck, the built binary, against a STUN server on loopback.
NATT_CHECKS += tests/natt/check_natt_natcheck_tool
tests_natt_check_natt_natcheck_tool_CPPFLAGS = $(AM_CPPFLAGS) \
	-DNATKEYCTL='"$(abs_top_builddir)/tools/natkeyctl/natkeyctl"'
tests_natt_check_natt_natcheck_tool_LDADD = $(NATT_TEST_LDADD)

# The natcheck state file (natkeyctl natcheck --save, nat_binding_lifetime=natcheck).
NATT_CHECKS += tests/natt/check_natt_natcheck_state
tests_natt_check_natt_natcheck_state_LDADD = $(NATT_TEST_LDADD)

check_PROGRAMS += $(NATT_CHECKS)
TESTS += $(NATT_CHECKS)
