# The in-memory network simulator (datagrams between engines, impairments,
# one middlebox hook for the simulated NATs of tests/lib/sim/nat.*).

# A check program of this folder is two lines, "TESTLIB_CHECKS += PROGRAM" and
# "PROGRAM_LDADD = $(TESTLIB_TEST_LDADD)" (unused archives add nothing); its
# source is PROGRAM.c, compiled with AM_CFLAGS.
TESTLIB_CHECKS =
TESTLIB_TEST_LDADD = tests/lib/libnatttest.a tests/lib/sim/libsimnet.a tests/lib/sim/libsimnat.a $(CHECK_LIBS)

noinst_LIBRARIES += tests/lib/sim/libsimnet.a
tests_lib_sim_libsimnet_a_SOURCES = tests/lib/sim/net.c tests/lib/sim/net.h

TESTLIB_CHECKS += tests/lib/sim/check_sim_net
tests_lib_sim_check_sim_net_LDADD = $(TESTLIB_TEST_LDADD)

# Two engines through the simulator, with a fake kernel (tests/lib/engine_harness.*).
noinst_LIBRARIES += tests/lib/libenginetest.a
tests_lib_libenginetest_a_SOURCES = tests/lib/engine_harness.c tests/lib/engine_harness.h

# Helpers shared by the tests below.
noinst_LIBRARIES += tests/lib/libnatttest.a
tests_lib_libnatttest_a_SOURCES = tests/lib/natt_test.c tests/lib/natt_test.h
tests_lib_libnatttest_a_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)

# Simulated NATs (tests/lib/sim/nat.*), plugged into the engine's simulator.
noinst_LIBRARIES += tests/lib/sim/libsimnat.a
tests_lib_sim_libsimnat_a_SOURCES = tests/lib/sim/nat.c tests/lib/sim/nat.h tests/lib/sim/dgram.h

TESTLIB_CHECKS += tests/lib/sim/check_sim_nat
tests_lib_sim_check_sim_nat_LDADD = $(TESTLIB_TEST_LDADD)

# Calls between the engine's (and the daemon's) files run one way; the
# remaining debts are listed in docs/architecture.md.
TESTS += tests/lib/check_layers.sh
EXTRA_DIST += tests/lib/check_layers.sh tests/lib/check_layers.py docs/architecture.md

check_PROGRAMS += $(TESTLIB_CHECKS)
TESTS += $(TESTLIB_CHECKS)
