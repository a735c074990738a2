# ike/ codec: ISAKMP wire format (the only code that reads or writes ISAKMP bytes).
noinst_LIBRARIES += ike/libisakmp.a
ISAKMP_CODEC_SRC = \
	ike/isakmp.h ike/isakmp_decode.h ike/isakmp_encode.h ike/isakmp_names.h \
	ike/isakmp_wire.h \
	ike/isakmp_chain.c ike/isakmp_payload.c ike/isakmp_sa.c ike/isakmp_attr.c \
	ike/isakmp_id.c ike/isakmp_notify.c ike/isakmp_encode.c ike/isakmp_names.c
ike_libisakmp_a_SOURCES = $(ISAKMP_CODEC_SRC)

# Unit tests: golden vectors, rejections, round trips, attributes.
check_PROGRAMS += tests/check_isakmp
TESTS += tests/check_isakmp
tests_check_isakmp_SOURCES = tests/check_isakmp.c \
	tests/check_isakmp_samples.c tests/check_isakmp_samples.h \
	tests/check_isakmp_reencode.c tests/check_isakmp_reencode.h
tests_check_isakmp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_isakmp_LDADD = ike/libisakmp.a $(CHECK_LIBS)

# tshark as independent judge of the encoder (needs the tshark package).
check_PROGRAMS += tests/check_isakmp_tshark
TESTS += tests/check_isakmp_tshark
tests_check_isakmp_tshark_SOURCES = tests/check_isakmp_tshark.c \
	tests/check_isakmp_samples.c tests/check_isakmp_samples.h \
	tests/tshark/isakmp_pcap.c tests/tshark/isakmp_pcap.h
tests_check_isakmp_tshark_LDADD = ike/libisakmp.a natt/libnatt.a $(CRYPTO_LIBS)

# Captured traffic must decode; every input truncated and mutated never crashes.
check_PROGRAMS += tests/check_isakmp_corpus
TESTS += tests/check_isakmp_corpus
tests_check_isakmp_corpus_SOURCES = tests/check_isakmp_corpus.c \
	tests/check_isakmp_samples.c tests/check_isakmp_samples.h $(ISAKMP_REENCODE_SRC)
tests_check_isakmp_corpus_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_isakmp_corpus_LDADD = ike/libisakmp.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

# Fuzz targets: message decode and attribute decode. With --enable-fuzzing
# they are libFuzzer binaries (tests/stages/fuzz.sh runs them); otherwise the
# replay driver feeds them the committed corpus and crash reproducers.
ISAKMP_FUZZ = tests/fuzz/fuzz_isakmp_msg tests/fuzz/fuzz_isakmp_attr
ISAKMP_REENCODE_SRC = tests/check_isakmp_reencode.c tests/check_isakmp_reencode.h
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
# tests/fuzz/replay_main.c redefines MAX_INPUT from <limits.h>, which
# --enable-werror turns into an error; until it is renamed, it is built here
# with -Wno-error (the only file that gets it).
noinst_LIBRARIES += tests/fuzz/libisakmp_replay.a
tests_fuzz_libisakmp_replay_a_SOURCES = tests/fuzz/replay_main.c
tests_fuzz_libisakmp_replay_a_CFLAGS = $(AM_CFLAGS) -Wno-error
check_PROGRAMS += $(ISAKMP_FUZZ)
TESTS += tests/fuzz/fuzz_isakmp_replay.sh
tests_fuzz_fuzz_isakmp_msg_SOURCES = tests/fuzz/fuzz_isakmp_msg.c $(ISAKMP_REENCODE_SRC)
tests_fuzz_fuzz_isakmp_attr_SOURCES = tests/fuzz/fuzz_isakmp_attr.c
tests_fuzz_fuzz_isakmp_msg_CFLAGS = $(AM_CFLAGS)
tests_fuzz_fuzz_isakmp_attr_CFLAGS = $(AM_CFLAGS)
tests_fuzz_fuzz_isakmp_msg_LDFLAGS = $(AM_LDFLAGS)
tests_fuzz_fuzz_isakmp_attr_LDFLAGS = $(AM_LDFLAGS)
tests_fuzz_fuzz_isakmp_msg_LDADD = tests/fuzz/libisakmp_replay.a ike/libisakmp.a
tests_fuzz_fuzz_isakmp_attr_LDADD = tests/fuzz/libisakmp_replay.a ike/libisakmp.a
endif

# ikedump: the human decoder (hex on stdin or a pcap), and its test.
bin_PROGRAMS += tools/ikedump
tools_ikedump_SOURCES = tools/ikedump.c tools/ikedump_print.c tools/ikedump_print.h
tools_ikedump_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
tools_ikedump_LDADD = ike/libisakmp.a natt/libnatt.a $(PCAP_LIBS) $(CRYPTO_LIBS)
TESTS += tests/check_isakmp_ikedump.sh
EXTRA_DIST += tests/check_isakmp_ikedump.sh

# Benchmark: decode cost next to one ECDH P-256 derivation.
noinst_PROGRAMS += tests/bench_codec
BENCH_BINS += tests/bench_codec
tests_bench_codec_SOURCES = tests/bench_codec.c \
	tests/check_isakmp_samples.c tests/check_isakmp_samples.h
tests_bench_codec_CPPFLAGS = $(AM_CPPFLAGS) -DNATKEYD_SRCDIR='"$(abs_top_srcdir)"'
tests_bench_codec_LDADD = ike/libisakmp.a natt/libnatt.a $(CRYPTO_LIBS)
