# Tests of the engine (ike/): the state table, two engines through the simulator.
check_PROGRAMS += tests/ike/engine/check_engine_table
TESTS += tests/ike/engine/check_engine_table
tests_ike_engine_check_engine_table_SOURCES = tests/ike/engine/check_engine_table.c
tests_ike_engine_check_engine_table_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_table_LDADD = $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)


# XAUTH and Mode Config through a simulated NAT (ike/v1/ikev1_cfg.c, ikev1_xauth.c, ikev1_modecfg.c).
check_PROGRAMS += tests/ike/engine/check_engine_xauth
TESTS += tests/ike/engine/check_engine_xauth
tests_ike_engine_check_engine_xauth_SOURCES = tests/ike/engine/check_engine_xauth.c tests/lib/engine_pki.h
tests_ike_engine_check_engine_xauth_CPPFLAGS = $(AM_CPPFLAGS) -DENGINE_PKI_DIR='"$(abs_top_srcdir)/tests/data/pki"'
tests_ike_engine_check_engine_xauth_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_xauth_LDADD = ike/libenginestatus.a tests/lib/libenginetest.a tests/lib/sim/libsimnet.a \
	tests/lib/sim/libsimnat.a $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/ike/engine/check_engine
TESTS += tests/ike/engine/check_engine
tests_ike_engine_check_engine_SOURCES = tests/ike/engine/check_engine.c
tests_ike_engine_check_engine_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/ike/engine/check_engine_info
TESTS += tests/ike/engine/check_engine_info
tests_ike_engine_check_engine_info_SOURCES = tests/ike/engine/check_engine_info.c
tests_ike_engine_check_engine_info_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_info_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/ike/engine/check_engine_loss
TESTS += tests/ike/engine/check_engine_loss
tests_ike_engine_check_engine_loss_SOURCES = tests/ike/engine/check_engine_loss.c
tests_ike_engine_check_engine_loss_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_loss_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/ike/engine/check_engine_nat
TESTS += tests/ike/engine/check_engine_nat
tests_ike_engine_check_engine_nat_SOURCES = tests/ike/engine/check_engine_nat.c
tests_ike_engine_check_engine_nat_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_nat_LDADD = ike/libenginestatus.a tests/lib/libenginetest.a tests/lib/sim/libsimnet.a tests/lib/sim/libsimnat.a \
	$(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/ike/engine/check_engine_nat_transport
TESTS += tests/ike/engine/check_engine_nat_transport
tests_ike_engine_check_engine_nat_transport_SOURCES = tests/ike/engine/check_engine_nat_transport.c
tests_ike_engine_check_engine_nat_transport_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_nat_transport_LDADD = ike/libenginestatus.a tests/lib/libenginetest.a tests/lib/sim/libsimnet.a \
	tests/lib/sim/libsimnat.a $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/ike/engine/check_engine_rsa
TESTS += tests/ike/engine/check_engine_rsa
tests_ike_engine_check_engine_rsa_SOURCES = tests/ike/engine/check_engine_rsa.c tests/lib/engine_pki.h
tests_ike_engine_check_engine_rsa_CPPFLAGS = $(AM_CPPFLAGS) -DENGINE_PKI_DIR='"$(abs_top_srcdir)/tests/data/pki"'
tests_ike_engine_check_engine_rsa_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_rsa_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/ike/engine/check_engine_mutate
TESTS += tests/ike/engine/check_engine_mutate
tests_ike_engine_check_engine_mutate_SOURCES = tests/ike/engine/check_engine_mutate.c
tests_ike_engine_check_engine_mutate_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_mutate_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/ike/engine/check_engine_kernel
TESTS += tests/ike/engine/check_engine_kernel
tests_ike_engine_check_engine_kernel_SOURCES = tests/ike/engine/check_engine_kernel.c
tests_ike_engine_check_engine_kernel_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_kernel_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

# Quick Mode lifetimes (seconds, kilobytes), RESPONDER-LIFETIME, commit bit.
check_PROGRAMS += tests/ike/engine/check_engine_life
TESTS += tests/ike/engine/check_engine_life
tests_ike_engine_check_engine_life_SOURCES = tests/ike/engine/check_engine_life.c
tests_ike_engine_check_engine_life_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_life_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

# DPD actions after a dead peer: clear, hold, restart.
check_PROGRAMS += tests/ike/engine/check_engine_dpd
TESTS += tests/ike/engine/check_engine_dpd
tests_ike_engine_check_engine_dpd_SOURCES = tests/ike/engine/check_engine_dpd.c
tests_ike_engine_check_engine_dpd_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_dpd_LDADD = ike/libenginestatus.a tests/lib/libenginetest.a tests/lib/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

# Mode x auth x group x PFS x tunnel/transport, all pairs with the algorithms.
check_PROGRAMS += tests/ike/engine/check_engine_matrix
TESTS += tests/ike/engine/check_engine_matrix
tests_ike_engine_check_engine_matrix_SOURCES = tests/ike/engine/check_engine_matrix.c tests/lib/engine_pki.h
tests_ike_engine_check_engine_matrix_CPPFLAGS = $(AM_CPPFLAGS) -DENGINE_PKI_DIR='"$(abs_top_srcdir)/tests/data/pki"'
tests_ike_engine_check_engine_matrix_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_matrix_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

check_PROGRAMS += tests/ike/engine/check_engine_status
TESTS += tests/ike/engine/check_engine_status
tests_ike_engine_check_engine_status_SOURCES = tests/ike/engine/check_engine_status.c
tests_ike_engine_check_engine_status_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_status_LDADD = ike/libenginestatus.a tests/lib/libenginetest.a \
	tests/lib/sim/libsimnet.a tests/lib/sim/libsimnat.a $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# Many road warriors on one %any conn: per-peer scope of DPD, Delete,
# INITIAL-CONTACT; nothing before authentication; replays; 1,000-peer teardown.
check_PROGRAMS += tests/ike/engine/check_engine_peers
TESTS += tests/ike/engine/check_engine_peers
tests_ike_engine_check_engine_peers_SOURCES = tests/ike/engine/check_engine_peers.c
tests_ike_engine_check_engine_peers_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_peers_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a \
	tests/lib/sim/libsimnat.a $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# One seed, one run: the engine's randomness comes through its configuration.
check_PROGRAMS += tests/ike/engine/check_engine_seed
TESTS += tests/ike/engine/check_engine_seed
tests_ike_engine_check_engine_seed_SOURCES = tests/ike/engine/check_engine_seed.c
tests_ike_engine_check_engine_seed_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_seed_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a \
	$(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# A kernel that refuses an SA or a policy fails the IPsec SA.
check_PROGRAMS += tests/ike/engine/check_engine_krefuse
TESTS += tests/ike/engine/check_engine_krefuse
tests_ike_engine_check_engine_krefuse_SOURCES = tests/ike/engine/check_engine_krefuse.c
tests_ike_engine_check_engine_krefuse_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_krefuse_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a \
	$(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# RFC 3947/3948 conformance rows proven on the wire (docs/conformance.md).
check_PROGRAMS += tests/ike/engine/check_engine_conform
TESTS += tests/ike/engine/check_engine_conform
tests_ike_engine_check_engine_conform_SOURCES = tests/ike/engine/check_engine_conform.c
tests_ike_engine_check_engine_conform_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_conform_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a \
	tests/lib/sim/libsimnat.a $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# Spoofed Main and Aggressive Mode floods while road warriors connect:
# half-open caps, no amplification, bounded memory and logs, flat cost.
check_PROGRAMS += tests/ike/engine/check_engine_flood
TESTS += tests/ike/engine/check_engine_flood
tests_ike_engine_check_engine_flood_SOURCES = tests/ike/engine/check_engine_flood.c
tests_ike_engine_check_engine_flood_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_flood_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a tests/lib/sim/libsimnat.a \
	$(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# Client address policy of a %any gateway: allow-lists, hostile claims,
# overlaps, policy priorities.
check_PROGRAMS += tests/ike/engine/check_engine_clients
TESTS += tests/ike/engine/check_engine_clients
tests_ike_engine_check_engine_clients_SOURCES = tests/ike/engine/check_engine_clients.c
tests_ike_engine_check_engine_clients_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_clients_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a \
	tests/lib/sim/libsimnat.a $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# IKEv1 fragmentation through a path that drops IP fragments.
check_PROGRAMS += tests/ike/engine/check_engine_frag
TESTS += tests/ike/engine/check_engine_frag
tests_ike_engine_check_engine_frag_SOURCES = tests/ike/engine/check_engine_frag.c tests/lib/engine_pki.h
tests_ike_engine_check_engine_frag_CPPFLAGS = $(AM_CPPFLAGS) -DENGINE_PKI_DIR='"$(abs_top_srcdir)/tests/data/pki"'
tests_ike_engine_check_engine_frag_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_frag_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a \
	tests/lib/sim/libsimnat.a $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# Keys admins bring from strongSwan/Libreswan: rekey=no, keyingtries=, uniqueids=no.
check_PROGRAMS += tests/ike/engine/check_engine_keys
TESTS += tests/ike/engine/check_engine_keys
tests_ike_engine_check_engine_keys_SOURCES = tests/ike/engine/check_engine_keys.c
tests_ike_engine_check_engine_keys_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_keys_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

# Client profiles (issues 16 and 17): real clients' proposal lists
# (tests/data/clients) against the documented gateway profiles, built as the
# daemon builds them; sha2-truncbug in the kernel SAs.
check_PROGRAMS += tests/ike/engine/check_engine_profiles
TESTS += tests/ike/engine/check_engine_profiles
tests_ike_engine_check_engine_profiles_SOURCES = tests/ike/engine/check_engine_profiles.c
EXTRA_DIST += tests/data/clients
tests_ike_engine_check_engine_profiles_CPPFLAGS = $(AM_CPPFLAGS) \
	-DCLIENTS_DIR='"$(abs_top_srcdir)/tests/data/clients"' \
	-DMAN_PAGE='"$(abs_top_srcdir)/docs/natkeyd.conf.5"'
tests_ike_engine_check_engine_profiles_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_profiles_LDADD = tools/natkeyd/libnatkeyd.a ike/libenginestatus.a \
	tests/lib/libenginetest.a tests/lib/sim/libsimnet.a tests/lib/sim/libsimnat.a ike/conf/libconf.a \
	$(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# Crypto jobs off the event loop (ike/engine_crypto.c): async = sync, late, out of order, cap.
check_PROGRAMS += tests/ike/engine/check_engine_async
TESTS += tests/ike/engine/check_engine_async
tests_ike_engine_check_engine_async_SOURCES = tests/ike/engine/check_engine_async.c tests/lib/engine_pki.h
tests_ike_engine_check_engine_async_CPPFLAGS = $(AM_CPPFLAGS) -DENGINE_PKI_DIR='"$(abs_top_srcdir)/tests/data/pki"'
tests_ike_engine_check_engine_async_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_async_LDADD = tests/lib/libenginetest.a tests/lib/sim/libsimnet.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

# natkeyd as Mode Config client: the report to the daemon, hostile SETs (ike/v1/ikev1_modecfg.c).
check_PROGRAMS += tests/ike/engine/check_engine_mcclient
TESTS += tests/ike/engine/check_engine_mcclient
tests_ike_engine_check_engine_mcclient_SOURCES = tests/ike/engine/check_engine_mcclient.c
tests_ike_engine_check_engine_mcclient_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_engine_check_engine_mcclient_LDADD = ike/libenginestatus.a tests/lib/libenginetest.a tests/lib/sim/libsimnet.a \
	tests/lib/sim/libsimnat.a $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)
