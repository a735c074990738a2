# Benchmarks (`make bench`); each prints one BENCH line.

# Decode cost next to one ECDH P-256 derivation.
noinst_PROGRAMS += tests/bench/bench_codec
BENCH_BINS += tests/bench/bench_codec
tests_bench_bench_codec_SOURCES = tests/bench/bench_codec.c \
	tests/lib/isakmp_samples.c tests/lib/isakmp_samples.h
tests_bench_bench_codec_CPPFLAGS = $(AM_CPPFLAGS) -DNATKEYD_SRCDIR='"$(abs_top_srcdir)"'
tests_bench_bench_codec_LDADD = ike/wire/libisakmp.a natt/libnatt.a $(CRYPTO_LIBS)

# Crypto bound of one Main Mode PSK + Quick Mode negotiation (both sides).
noinst_PROGRAMS += tests/bench/bench_crypto
BENCH_BINS += tests/bench/bench_crypto
tests_bench_bench_crypto_SOURCES = tests/bench/bench_crypto.c
tests_bench_bench_crypto_LDADD = ike/crypto/libikecrypto.a $(CRYPTO_LIBS)

# Negotiations per second vs the crypto bound, memory per tunnel.
noinst_PROGRAMS += tests/bench/bench_handshake
BENCH_BINS += tests/bench/bench_handshake
tests_bench_bench_handshake_SOURCES = tests/bench/bench_handshake.c
tests_bench_bench_handshake_LDADD = $(ENGINE_LIBS) $(CRYPTO_LIBS)
# Every crypto.h entry point the engine can call (and EVP_Digest, NAT-D) goes through a counter
# (bench_handshake.c): the bound is checked call for call against the engine.
tests_bench_bench_handshake_LDFLAGS = $(AM_LDFLAGS) \
	-Wl,--wrap=crypto_random,--wrap=crypto_hash,--wrap=crypto_prf,--wrap=crypto_prf_expand \
	-Wl,--wrap=crypto_dh_generate,--wrap=crypto_dh_generate_from,--wrap=crypto_dh_from_private \
	-Wl,--wrap=crypto_dh_public \
	-Wl,--wrap=crypto_dh_check_peer,--wrap=crypto_dh_compute \
	-Wl,--wrap=crypto_cbc_encrypt,--wrap=crypto_cbc_decrypt,--wrap=EVP_Digest

# Negotiations per second through the daemon's crypto worker pool, 1 and 2 workers.
noinst_PROGRAMS += tests/bench/bench_handshake_workers
BENCH_BINS += tests/bench/bench_handshake_workers
tests_bench_bench_handshake_workers_SOURCES = tests/bench/bench_handshake_workers.c
tests_bench_bench_handshake_workers_LDADD = tools/natkeyd/libnatkeyd.a $(ENGINE_LIBS) $(CRYPTO_LIBS) \
	-lpthread

# Benchmark (runs inside user-mode-linux through the bed): natkeyd vs ip -batch.
BENCH_SHELL += tests/bench/bench_xfrm.sh
dist_noinst_SCRIPTS += tests/bench/bench_xfrm.sh

# docs/benchmarks.md from a recorded `make bench` (tests/bench/bench-report);
# every benchmark's short form in CI (tests/stages/bench-smoke.sh).
dist_noinst_SCRIPTS += tests/bench/bench-report
EXTRA_DIST += tests/stages/bench-smoke.sh docs/benchmarks.md

# The cost of one engine event (SA timer, SPI lookup) at 1,000 and 100,000 tunnels.
noinst_PROGRAMS += tests/bench/bench_engine_scale
BENCH_BINS += tests/bench/bench_engine_scale
tests_bench_bench_engine_scale_SOURCES = tests/bench/bench_engine_scale.c
tests_bench_bench_engine_scale_LDADD = $(ENGINE_LIBS) $(CRYPTO_LIBS)

# Gateway benchmark (user-mode-linux, strongSwan's load-tester as the swarm):
# natkeyd, strongSwan and Libreswan as gateways for the same road warriors.
# Not part of `make bench` (it takes long): `make bench-gateway`.
dist_noinst_SCRIPTS += tests/bench/bench_gateway.sh
bench-gateway: all
	$(SHELL) $(top_srcdir)/tests/bench/bench_gateway.sh
.PHONY: bench-gateway
