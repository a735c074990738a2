# Tests of the engine (ike/): the state table, two engines through the simulator.

# A check program of this folder is two lines, "IKE_ENGINE_CHECKS += PROGRAM" and
# "PROGRAM_LDADD = $(IKE_ENGINE_TEST_LDADD)" (unused archives add nothing); its
# source is PROGRAM.c, compiled with AM_CFLAGS.
IKE_ENGINE_CHECKS =
# Tests that sign with the committed test PKI (tests/lib/engine_pki.h).
IKE_ENGINE_PKI_CPPFLAGS = $(AM_CPPFLAGS) -DENGINE_PKI_DIR='"$(abs_top_srcdir)/tests/data/pki"'
IKE_ENGINE_TEST_LDADD = ike/libenginestatus.a tests/lib/libenginetest.a tests/lib/sim/libsimnet.a \
	tests/lib/sim/libsimnat.a $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_table
tests_ike_engine_check_engine_table_SOURCES = tests/ike/engine/check_engine_table.c tests/lib/engine_pki.h
tests_ike_engine_check_engine_table_CPPFLAGS = $(IKE_ENGINE_PKI_CPPFLAGS)
tests_ike_engine_check_engine_table_LDADD = $(IKE_ENGINE_TEST_LDADD)

# XAUTH and Mode Config through a simulated NAT (ike/v1/ikev1_cfg.c, ikev1_xauth.c, ikev1_modecfg.c).
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_xauth
tests_ike_engine_check_engine_xauth_SOURCES = tests/ike/engine/check_engine_xauth.c tests/lib/engine_pki.h
tests_ike_engine_check_engine_xauth_CPPFLAGS = $(IKE_ENGINE_PKI_CPPFLAGS)
tests_ike_engine_check_engine_xauth_LDADD = $(IKE_ENGINE_TEST_LDADD)

# Per-peer NAT facts and the keepalive audit through simulated NATs (issue 18).
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_natfacts
tests_ike_engine_check_engine_natfacts_LDADD = $(IKE_ENGINE_TEST_LDADD)

IKE_ENGINE_CHECKS += tests/ike/engine/check_engine
tests_ike_engine_check_engine_LDADD = $(IKE_ENGINE_TEST_LDADD)

IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_info
tests_ike_engine_check_engine_info_LDADD = $(IKE_ENGINE_TEST_LDADD)

IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_loss
tests_ike_engine_check_engine_loss_LDADD = $(IKE_ENGINE_TEST_LDADD)

IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_nat
tests_ike_engine_check_engine_nat_LDADD = $(IKE_ENGINE_TEST_LDADD)

# Adaptive NAT-keepalive and refresh after idle (ike/v1/ikev1_adaptka.c).
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_adaptka
tests_ike_engine_check_engine_adaptka_LDADD = $(IKE_ENGINE_TEST_LDADD)

IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_nat_transport
tests_ike_engine_check_engine_nat_transport_LDADD = $(IKE_ENGINE_TEST_LDADD)

IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_rsa
tests_ike_engine_check_engine_rsa_SOURCES = tests/ike/engine/check_engine_rsa.c tests/lib/engine_pki.h
tests_ike_engine_check_engine_rsa_CPPFLAGS = $(IKE_ENGINE_PKI_CPPFLAGS)
tests_ike_engine_check_engine_rsa_LDADD = $(IKE_ENGINE_TEST_LDADD)

IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_mutate
tests_ike_engine_check_engine_mutate_LDADD = $(IKE_ENGINE_TEST_LDADD)

IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_kernel
tests_ike_engine_check_engine_kernel_LDADD = $(IKE_ENGINE_TEST_LDADD)

# Quick Mode lifetimes (seconds, kilobytes), RESPONDER-LIFETIME, commit bit.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_life
tests_ike_engine_check_engine_life_LDADD = $(IKE_ENGINE_TEST_LDADD)

# DPD actions after a dead peer: clear, hold, restart.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_dpd
tests_ike_engine_check_engine_dpd_LDADD = $(IKE_ENGINE_TEST_LDADD)

# Mode x auth x group x PFS x tunnel/transport, all pairs with the algorithms.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_matrix
tests_ike_engine_check_engine_matrix_SOURCES = tests/ike/engine/check_engine_matrix.c tests/lib/engine_pki.h
tests_ike_engine_check_engine_matrix_CPPFLAGS = $(IKE_ENGINE_PKI_CPPFLAGS)
tests_ike_engine_check_engine_matrix_LDADD = $(IKE_ENGINE_TEST_LDADD)

IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_status
tests_ike_engine_check_engine_status_LDADD = $(IKE_ENGINE_TEST_LDADD)

# Many road warriors on one %any conn: per-peer scope of DPD, Delete,
# INITIAL-CONTACT; nothing before authentication; replays; 1,000-peer teardown.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_peers
tests_ike_engine_check_engine_peers_LDADD = $(IKE_ENGINE_TEST_LDADD)

# One seed, one run: the engine's randomness comes through its configuration.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_seed
tests_ike_engine_check_engine_seed_LDADD = $(IKE_ENGINE_TEST_LDADD)

# A kernel that refuses an SA or a policy fails the IPsec SA.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_krefuse
tests_ike_engine_check_engine_krefuse_LDADD = $(IKE_ENGINE_TEST_LDADD)

# RFC 3947/3948 conformance rows proven on the wire (docs/conformance.md).
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_conform
tests_ike_engine_check_engine_conform_LDADD = $(IKE_ENGINE_TEST_LDADD)

# Spoofed Main and Aggressive Mode floods while road warriors connect:
# half-open caps, no amplification, bounded memory and logs, flat cost.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_flood
tests_ike_engine_check_engine_flood_LDADD = $(IKE_ENGINE_TEST_LDADD)

# Client address policy of a %any gateway: allow-lists, hostile claims,
# overlaps, policy priorities.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_clients
tests_ike_engine_check_engine_clients_LDADD = $(IKE_ENGINE_TEST_LDADD)

# IKEv1 fragmentation through a path that drops IP fragments.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_frag
tests_ike_engine_check_engine_frag_SOURCES = tests/ike/engine/check_engine_frag.c tests/lib/engine_pki.h
tests_ike_engine_check_engine_frag_CPPFLAGS = $(IKE_ENGINE_PKI_CPPFLAGS)
tests_ike_engine_check_engine_frag_LDADD = $(IKE_ENGINE_TEST_LDADD)

# Keys admins bring from strongSwan/Libreswan: rekey=no, keyingtries=, uniqueids=no.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_keys
tests_ike_engine_check_engine_keys_LDADD = $(IKE_ENGINE_TEST_LDADD)

# Certificate policy (issue 17): chains, leftsendcert=, CRLs, rightca=, EKU, ECDSA.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_pki
tests_ike_engine_check_engine_pki_SOURCES = tests/ike/engine/check_engine_pki.c tests/lib/engine_pki.h \
	tests/lib/pki_file.h
tests_ike_engine_check_engine_pki_CPPFLAGS = $(AM_CPPFLAGS) -DENGINE_PKI_DIR='"$(abs_top_srcdir)/tests/data/pki-ext"'
tests_ike_engine_check_engine_pki_LDADD = $(IKE_ENGINE_TEST_LDADD) ike/conf/libconf.a

# Client profiles (issues 16 and 17): real clients' proposal lists
# (tests/data/clients) against the documented gateway profiles, built as the
# daemon builds them; sha2-truncbug in the kernel SAs.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_profiles
EXTRA_DIST += tests/data/clients
tests_ike_engine_check_engine_profiles_CPPFLAGS = $(AM_CPPFLAGS) \
	-DCLIENTS_DIR='"$(abs_top_srcdir)/tests/data/clients"' \
	-DMAN_PAGE='"$(abs_top_srcdir)/docs/natkeyd.conf.5"'
tests_ike_engine_check_engine_profiles_LDADD = tools/natkeyd/libnatkeyd.a $(IKE_ENGINE_TEST_LDADD) \
	ike/conf/libconf.a

# Crypto jobs off the event loop (ike/engine_crypto.c): async = sync, late, out of order, cap.
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_async
tests_ike_engine_check_engine_async_SOURCES = tests/ike/engine/check_engine_async.c tests/lib/engine_pki.h
tests_ike_engine_check_engine_async_CPPFLAGS = $(IKE_ENGINE_PKI_CPPFLAGS)
tests_ike_engine_check_engine_async_LDADD = $(IKE_ENGINE_TEST_LDADD)

# natkeyd as Mode Config client: the report to the daemon, hostile SETs (ike/v1/ikev1_modecfg.c).
IKE_ENGINE_CHECKS += tests/ike/engine/check_engine_mcclient
tests_ike_engine_check_engine_mcclient_LDADD = $(IKE_ENGINE_TEST_LDADD)

# Message crypto on its own (ike/ikev1_msg.c): CBC with known IVs and their
# chaining, HASH(1)/(2)/(3) against OpenSSL HMACs, bad ciphertext refused.
IKE_ENGINE_CHECKS += tests/ike/engine/check_msg
tests_ike_engine_check_msg_LDADD = $(IKE_ENGINE_TEST_LDADD)

check_PROGRAMS += $(IKE_ENGINE_CHECKS)
TESTS += $(IKE_ENGINE_CHECKS)
