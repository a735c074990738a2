# ike/ engine: the sans-I/O IKEv1 state machine.

# The in-memory network simulator (datagrams between engines, impairments,
# one middlebox hook for the simulated NATs of tests/sim/nat.*).
noinst_LIBRARIES += tests/sim/libsimnet.a
tests_sim_libsimnet_a_SOURCES = tests/sim/net.c tests/sim/net.h tests/sim/dgram.h

check_PROGRAMS += tests/check_sim_net
TESTS += tests/check_sim_net
tests_check_sim_net_SOURCES = tests/check_sim_net.c
tests_check_sim_net_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_sim_net_LDADD = tests/sim/libsimnet.a $(CHECK_LIBS)
