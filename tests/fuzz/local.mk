# Fuzz targets: message decode and attribute decode. With --enable-fuzzing
# they are libFuzzer binaries (tests/stages/fuzz.sh runs them); otherwise the
# replay driver feeds them the committed corpus and crash reproducers.
ISAKMP_FUZZ = tests/fuzz/fuzz_isakmp_msg tests/fuzz/fuzz_isakmp_attr
ISAKMP_REENCODE_SRC = tests/lib/isakmp_reencode.c tests/lib/isakmp_reencode.h
EXTRA_DIST += tests/fuzz/fuzz_isakmp_replay.sh tests/stages/fuzz.sh \
	tests/fuzz/corpus/isakmp_msg tests/fuzz/corpus/isakmp_attr \
	tests/fuzz/crashes/isakmp_msg tests/fuzz/crashes/isakmp_attr
if ENABLE_FUZZING
# The codec is compiled into each target so that libFuzzer sees its coverage.
noinst_PROGRAMS += $(ISAKMP_FUZZ)
tests_fuzz_fuzz_isakmp_msg_SOURCES = tests/fuzz/fuzz_isakmp_msg.c $(ISAKMP_REENCODE_SRC) \
	$(ISAKMP_CODEC_SRC)
tests_fuzz_fuzz_isakmp_attr_SOURCES = tests/fuzz/fuzz_isakmp_attr.c $(ISAKMP_CODEC_SRC)
tests_fuzz_fuzz_isakmp_msg_LDADD =
tests_fuzz_fuzz_isakmp_attr_LDADD =
tests_fuzz_fuzz_isakmp_msg_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_isakmp_attr_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_isakmp_msg_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_isakmp_attr_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
else
check_PROGRAMS += $(ISAKMP_FUZZ)
TESTS += tests/fuzz/fuzz_isakmp_replay.sh
tests_fuzz_fuzz_isakmp_msg_SOURCES = tests/fuzz/fuzz_isakmp_msg.c $(ISAKMP_REENCODE_SRC) \
	tests/fuzz/replay_main.c
tests_fuzz_fuzz_isakmp_attr_SOURCES = tests/fuzz/fuzz_isakmp_attr.c tests/fuzz/replay_main.c
tests_fuzz_fuzz_isakmp_msg_CFLAGS = $(AM_CFLAGS)
tests_fuzz_fuzz_isakmp_attr_CFLAGS = $(AM_CFLAGS)
tests_fuzz_fuzz_isakmp_msg_LDFLAGS = $(AM_LDFLAGS)
tests_fuzz_fuzz_isakmp_attr_LDFLAGS = $(AM_LDFLAGS)
tests_fuzz_fuzz_isakmp_msg_LDADD = ike/wire/libisakmp.a
tests_fuzz_fuzz_isakmp_attr_LDADD = ike/wire/libisakmp.a
endif

# Fuzz target for peer-supplied bytes (CERT DER, ID vs cert, KE, SIG).
# Without --enable-fuzzing its seed corpus replays in `make check`.
tests_fuzz_fuzz_crypto_peer_SOURCES = tests/fuzz/fuzz_crypto_peer.c tests/vectors/crypto/sig_vectors.h
tests_fuzz_fuzz_crypto_peer_LDADD = ike/crypto/libikecrypto.a $(CRYPTO_LIBS)
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_crypto_peer
tests_fuzz_fuzz_crypto_peer_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_crypto_peer_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
else
check_PROGRAMS += tests/fuzz/fuzz_crypto_peer
# Per-target flags must be set in both branches, or the other branch loses
# AM_CFLAGS/AM_LDFLAGS (sanitizer builds then fail to link).
tests_fuzz_fuzz_crypto_peer_CFLAGS = $(AM_CFLAGS)
tests_fuzz_fuzz_crypto_peer_LDFLAGS = $(AM_LDFLAGS)
tests_fuzz_fuzz_crypto_peer_SOURCES += tests/fuzz/replay_main.c
TESTS += tests/fuzz/fuzz_crypto_replay.sh
endif
EXTRA_DIST += tests/fuzz/fuzz_crypto_replay.sh tests/vectors/crypto/gen_corpus.py \
	tests/vectors/crypto/corpus

# Fuzz targets: libFuzzer with --enable-fuzzing, otherwise linked with the
# replay driver and run over their committed corpus in make check.
tests_fuzz_fuzz_conf_SOURCES = tests/fuzz/fuzz_conf.c
tests_fuzz_fuzz_conf_LDADD = ike/conf/libconf.a $(CRYPTO_LIBS)
tests_fuzz_fuzz_conf_secrets_SOURCES = tests/fuzz/fuzz_conf_secrets.c
tests_fuzz_fuzz_conf_secrets_LDADD = ike/conf/libconf.a $(CRYPTO_LIBS)
EXTRA_DIST += tests/fuzz/corpus/conf tests/fuzz/corpus/conf_secrets \
	tests/fuzz/fuzz_conf_replay.sh tests/fuzz/fuzz_conf_secrets_replay.sh
if ENABLE_FUZZING
conf_fuzz_flags = -fsanitize=fuzzer
noinst_PROGRAMS += tests/fuzz/fuzz_conf tests/fuzz/fuzz_conf_secrets
else
conf_fuzz_flags =
check_PROGRAMS += tests/fuzz/fuzz_conf tests/fuzz/fuzz_conf_secrets
tests_fuzz_fuzz_conf_SOURCES += tests/fuzz/replay_main.c
tests_fuzz_fuzz_conf_secrets_SOURCES += tests/fuzz/replay_main.c
TESTS += tests/fuzz/fuzz_conf_replay.sh tests/fuzz/fuzz_conf_secrets_replay.sh
endif
# Per-target flags in both branches: a conditional-only _LDFLAGS would
# drop AM_LDFLAGS (the sanitizer runtime) from the replay build.
tests_fuzz_fuzz_conf_CFLAGS = $(AM_CFLAGS) $(conf_fuzz_flags)
tests_fuzz_fuzz_conf_LDFLAGS = $(AM_LDFLAGS) $(conf_fuzz_flags)
tests_fuzz_fuzz_conf_secrets_CFLAGS = $(AM_CFLAGS) $(conf_fuzz_flags)
tests_fuzz_fuzz_conf_secrets_LDFLAGS = $(AM_LDFLAGS) $(conf_fuzz_flags)

# Fuzz target for the NAT-T entry points that see peer bytes; without
# libFuzzer its committed corpus replays in `make check`.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_natt
tests_fuzz_fuzz_natt_SOURCES = tests/fuzz/fuzz_natt.c
tests_fuzz_fuzz_natt_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_natt_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
else
check_PROGRAMS += tests/fuzz/fuzz_natt
tests_fuzz_fuzz_natt_SOURCES = tests/fuzz/fuzz_natt.c tests/fuzz/replay_main.c
# Set in both branches: a per-target flag defined in one branch only would
# replace AM_CFLAGS/AM_LDFLAGS with nothing in the other.
tests_fuzz_fuzz_natt_CFLAGS = $(AM_CFLAGS)
tests_fuzz_fuzz_natt_LDFLAGS = $(AM_LDFLAGS)
TESTS += tests/fuzz/fuzz_natt.sh
endif
tests_fuzz_fuzz_natt_LDADD = natt/libnatt.a $(CRYPTO_LIBS)
EXTRA_DIST += tests/fuzz/fuzz_natt.sh tests/fuzz/corpus/natt

# Fuzz target for the netlink parsers (corpus: tests/vectors/xfrm). Without --enable-fuzzing it
# is linked into check_xfrm, which replays the corpus through it.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_xfrm_parse
tests_fuzz_fuzz_xfrm_parse_SOURCES = tests/fuzz/fuzz_xfrm_parse.c xfrm/xfrm_msg.c
tests_fuzz_fuzz_xfrm_parse_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_xfrm_parse_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_xfrm_parse_LDADD = $(MNL_LIBS) $(CRYPTO_LIBS)
endif

tests_fuzz_fuzz_ctl_SOURCES = tests/fuzz/fuzz_ctl.c
tests_fuzz_fuzz_ctl_LDADD = tools/ctl/libctl.a ike/conf/libconf.a $(CRYPTO_LIBS)
EXTRA_DIST += tests/fuzz/corpus/ctl tests/fuzz/fuzz_ctl_replay.sh
if ENABLE_FUZZING
ctl_fuzz_flags = -fsanitize=fuzzer
noinst_PROGRAMS += tests/fuzz/fuzz_ctl
else
ctl_fuzz_flags =
check_PROGRAMS += tests/fuzz/fuzz_ctl
tests_fuzz_fuzz_ctl_SOURCES += tests/fuzz/replay_main.c
TESTS += tests/fuzz/fuzz_ctl_replay.sh
endif
# Per-target flags in both branches: a conditional-only _LDFLAGS would
# drop AM_LDFLAGS (the sanitizer runtime) from the replay build.
tests_fuzz_fuzz_ctl_CFLAGS = $(AM_CFLAGS) $(ctl_fuzz_flags)
tests_fuzz_fuzz_ctl_LDFLAGS = $(AM_LDFLAGS) $(ctl_fuzz_flags)

# The fuzz replay driver every fuzz target links with when not built with libFuzzer.
EXTRA_DIST += tests/fuzz/fuzz.h tests/fuzz/replay_main.c

# Fuzz target for the engine's handlers behind decryption and the HASH check
# (Quick Mode, Delete, notifications, DPD): the input is the decrypted payload
# chain of one protected message on an established, keyed SA. Without
# libFuzzer its committed corpus replays in `make check`.
tests_fuzz_fuzz_engine_protected_SOURCES = tests/fuzz/fuzz_engine_protected.c
tests_fuzz_fuzz_engine_protected_LDADD = $(ENGINE_LIBS) $(CRYPTO_LIBS)
EXTRA_DIST += tests/fuzz/corpus/engine_protected tests/fuzz/fuzz_engine_replay.sh \
	tests/fuzz/gen_engine_corpus.py
if ENABLE_FUZZING
engine_fuzz_flags = -fsanitize=fuzzer
noinst_PROGRAMS += tests/fuzz/fuzz_engine_protected
else
engine_fuzz_flags =
check_PROGRAMS += tests/fuzz/fuzz_engine_protected
tests_fuzz_fuzz_engine_protected_SOURCES += tests/fuzz/replay_main.c
TESTS += tests/fuzz/fuzz_engine_replay.sh
endif
# Per-target flags in both branches (see fuzz_ctl above).
tests_fuzz_fuzz_engine_protected_CFLAGS = $(AM_CFLAGS) $(engine_fuzz_flags)
tests_fuzz_fuzz_engine_protected_LDFLAGS = $(AM_LDFLAGS) $(engine_fuzz_flags)

# Fuzz target for IKEv1 fragment reassembly (ike/wire/isakmp_frag.c); without
# libFuzzer its committed corpus replays in `make check`.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_frag
tests_fuzz_fuzz_frag_SOURCES = tests/fuzz/fuzz_frag.c $(ISAKMP_CODEC_SRC)
tests_fuzz_fuzz_frag_LDADD =
tests_fuzz_fuzz_frag_CFLAGS = $(AM_CFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_frag_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
else
check_PROGRAMS += tests/fuzz/fuzz_frag
tests_fuzz_fuzz_frag_SOURCES = tests/fuzz/fuzz_frag.c tests/fuzz/replay_main.c
tests_fuzz_fuzz_frag_LDADD = ike/wire/libisakmp.a
# Set in both branches (see fuzz_natt above).
tests_fuzz_fuzz_frag_CFLAGS = $(AM_CFLAGS)
tests_fuzz_fuzz_frag_LDFLAGS = $(AM_LDFLAGS)
TESTS += tests/fuzz/fuzz_frag_replay.sh
endif
EXTRA_DIST += tests/fuzz/fuzz_frag_replay.sh tests/fuzz/corpus/frag

# Fuzz target for the STUN decoder (natt/stun.c); without libFuzzer its
# committed corpus replays in `make check`.
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/fuzz_stun
tests_fuzz_fuzz_stun_SOURCES = tests/fuzz/fuzz_stun.c
stun_fuzz_flags = -fsanitize=fuzzer
else
check_PROGRAMS += tests/fuzz/fuzz_stun
tests_fuzz_fuzz_stun_SOURCES = tests/fuzz/fuzz_stun.c tests/fuzz/replay_main.c
stun_fuzz_flags =
TESTS += tests/fuzz/fuzz_stun_replay.sh
endif
# Per-target flags in both branches (see fuzz_ctl above).
tests_fuzz_fuzz_stun_CFLAGS = $(AM_CFLAGS) $(stun_fuzz_flags)
tests_fuzz_fuzz_stun_LDFLAGS = $(AM_LDFLAGS) $(stun_fuzz_flags)
tests_fuzz_fuzz_stun_LDADD = natt/libnatt.a $(CRYPTO_LIBS)
EXTRA_DIST += tests/fuzz/fuzz_stun_replay.sh tests/fuzz/corpus/stun
