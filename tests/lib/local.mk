# The in-memory network simulator (datagrams between engines, impairments,
# one middlebox hook for the simulated NATs of tests/lib/sim/nat.*).
noinst_LIBRARIES += tests/lib/sim/libsimnet.a
tests_lib_sim_libsimnet_a_SOURCES = tests/lib/sim/net.c tests/lib/sim/net.h

check_PROGRAMS += tests/lib/sim/check_sim_net
TESTS += tests/lib/sim/check_sim_net
tests_lib_sim_check_sim_net_SOURCES = tests/lib/sim/check_sim_net.c
tests_lib_sim_check_sim_net_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_sim_check_sim_net_LDADD = tests/lib/sim/libsimnet.a $(CHECK_LIBS)

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

check_PROGRAMS += tests/lib/sim/check_sim_nat
TESTS += tests/lib/sim/check_sim_nat
tests_lib_sim_check_sim_nat_SOURCES = tests/lib/sim/check_sim_nat.c
tests_lib_sim_check_sim_nat_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_lib_sim_check_sim_nat_LDADD = tests/lib/libnatttest.a tests/lib/sim/libsimnat.a $(CHECK_LIBS)

# Calls between the engine's (and the daemon's) files run one way; the
# remaining debts are listed in docs/architecture.md.
TESTS += tests/lib/check_layers.sh
EXTRA_DIST += tests/lib/check_layers.sh tests/lib/check_layers.py docs/architecture.md
