# ike/ engine: the sans-I/O IKEv1 state machine.
noinst_LIBRARIES += ike/libengine.a
ike_libengine_a_SOURCES = \
	ike/engine.c ike/engine.h ike/engine_int.h \
	ike/ikev1_states.c ike/ikev1_states.h ike/ikev1_handlers.h ike/ikev1_exchanges.h \
	ike/ikev1_dispatch.c \
	ike/ikev1_msg.c ike/ikev1_msg.h \
	ike/ikev1_phase1.c ike/ikev1_main.c ike/ikev1_aggr.c \
	ike/ikev1_quick.c ike/ikev1_info.c ike/ikev1_dpd.c \
	ike/ikev1_lifetime.c ike/ikev1_kernel.c \
	ike/sa_store.c ike/sa_store.h \
	ike/proposal.c ike/proposal.h

ENGINE_LIBS = ike/libengine.a ike/libisakmp.a ike/libikecrypto.a natt/libnatt.a

# The in-memory network simulator (datagrams between engines, impairments,
# one middlebox hook for the simulated NATs of tests/sim/nat.*).
noinst_LIBRARIES += tests/sim/libsimnet.a
tests_sim_libsimnet_a_SOURCES = tests/sim/net.c tests/sim/net.h

check_PROGRAMS += tests/check_sim_net
TESTS += tests/check_sim_net
tests_check_sim_net_SOURCES = tests/check_sim_net.c
tests_check_sim_net_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_sim_net_LDADD = tests/sim/libsimnet.a $(CHECK_LIBS)

check_PROGRAMS += tests/check_engine_table
TESTS += tests/check_engine_table
tests_check_engine_table_SOURCES = tests/check_engine_table.c
tests_check_engine_table_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_table_LDADD = $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# Two engines through the simulator, with a fake kernel (tests/check_engine_harness.*).
noinst_LIBRARIES += tests/libenginetest.a
tests_libenginetest_a_SOURCES = tests/check_engine_harness.c tests/check_engine_harness.h

check_PROGRAMS += tests/check_engine
TESTS += tests/check_engine
tests_check_engine_SOURCES = tests/check_engine.c
tests_check_engine_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_LDADD = tests/libenginetest.a tests/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_engine_info
TESTS += tests/check_engine_info
tests_check_engine_info_SOURCES = tests/check_engine_info.c
tests_check_engine_info_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_info_LDADD = tests/libenginetest.a tests/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_engine_loss
TESTS += tests/check_engine_loss
tests_check_engine_loss_SOURCES = tests/check_engine_loss.c
tests_check_engine_loss_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_loss_LDADD = tests/libenginetest.a tests/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_engine_nat
TESTS += tests/check_engine_nat
tests_check_engine_nat_SOURCES = tests/check_engine_nat.c
tests_check_engine_nat_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_nat_LDADD = ike/libenginestatus.a tests/libenginetest.a tests/sim/libsimnet.a tests/sim/libsimnat.a \
	$(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_engine_nat_transport
TESTS += tests/check_engine_nat_transport
tests_check_engine_nat_transport_SOURCES = tests/check_engine_nat_transport.c
tests_check_engine_nat_transport_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_nat_transport_LDADD = ike/libenginestatus.a tests/libenginetest.a tests/sim/libsimnet.a \
	tests/sim/libsimnat.a $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# Negotiations per second vs the crypto bound, memory per tunnel.
noinst_PROGRAMS += tests/bench_handshake
BENCH_BINS += tests/bench_handshake
tests_bench_handshake_SOURCES = tests/bench_handshake.c
tests_bench_handshake_LDADD = $(ENGINE_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_engine_rsa
TESTS += tests/check_engine_rsa
tests_check_engine_rsa_SOURCES = tests/check_engine_rsa.c tests/check_engine_pki.h
tests_check_engine_rsa_CPPFLAGS = $(AM_CPPFLAGS) -DENGINE_PKI_DIR='"$(abs_top_srcdir)/tests/data/pki"'
tests_check_engine_rsa_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_rsa_LDADD = tests/libenginetest.a tests/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_engine_mutate
TESTS += tests/check_engine_mutate
tests_check_engine_mutate_SOURCES = tests/check_engine_mutate.c
tests_check_engine_mutate_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_mutate_LDADD = tests/libenginetest.a tests/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_engine_kernel
TESTS += tests/check_engine_kernel
tests_check_engine_kernel_SOURCES = tests/check_engine_kernel.c
tests_check_engine_kernel_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_kernel_LDADD = tests/libenginetest.a tests/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

# Quick Mode lifetimes (seconds, kilobytes), RESPONDER-LIFETIME, commit bit.
check_PROGRAMS += tests/check_engine_life
TESTS += tests/check_engine_life
tests_check_engine_life_SOURCES = tests/check_engine_life.c
tests_check_engine_life_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_life_LDADD = tests/libenginetest.a tests/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

# DPD actions after a dead peer: clear, hold, restart.
check_PROGRAMS += tests/check_engine_dpd
TESTS += tests/check_engine_dpd
tests_check_engine_dpd_SOURCES = tests/check_engine_dpd.c
tests_check_engine_dpd_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_dpd_LDADD = tests/libenginetest.a tests/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

# Mode x auth x group x PFS x tunnel/transport, all pairs with the algorithms.
check_PROGRAMS += tests/check_engine_matrix
TESTS += tests/check_engine_matrix
tests_check_engine_matrix_SOURCES = tests/check_engine_matrix.c tests/check_engine_pki.h
tests_check_engine_matrix_CPPFLAGS = $(AM_CPPFLAGS) -DENGINE_PKI_DIR='"$(abs_top_srcdir)/tests/data/pki"'
tests_check_engine_matrix_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_matrix_LDADD = tests/libenginetest.a tests/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)
