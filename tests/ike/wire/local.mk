# Tests of ike/wire. Unit tests: golden vectors, rejections, round trips, attributes.
check_PROGRAMS += tests/ike/wire/check_isakmp
TESTS += tests/ike/wire/check_isakmp
tests_ike_wire_check_isakmp_SOURCES = tests/ike/wire/check_isakmp.c \
	tests/lib/isakmp_samples.c tests/lib/isakmp_samples.h \
	tests/lib/isakmp_reencode.c tests/lib/isakmp_reencode.h
tests_ike_wire_check_isakmp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_wire_check_isakmp_LDADD = ike/wire/libisakmp.a $(CHECK_LIBS)

# tshark as independent judge of the encoder (needs the tshark package).
check_PROGRAMS += tests/ike/wire/check_isakmp_tshark
TESTS += tests/ike/wire/check_isakmp_tshark
tests_ike_wire_check_isakmp_tshark_SOURCES = tests/ike/wire/check_isakmp_tshark.c \
	tests/lib/isakmp_samples.c tests/lib/isakmp_samples.h \
	tests/lib/isakmp_pcap.c tests/lib/isakmp_pcap.h
tests_ike_wire_check_isakmp_tshark_LDADD = ike/wire/libisakmp.a natt/libnatt.a $(CRYPTO_LIBS)

# Captured traffic must decode; every input truncated and mutated never crashes.
check_PROGRAMS += tests/ike/wire/check_isakmp_corpus
TESTS += tests/ike/wire/check_isakmp_corpus
tests_ike_wire_check_isakmp_corpus_SOURCES = tests/ike/wire/check_isakmp_corpus.c \
	tests/lib/isakmp_samples.c tests/lib/isakmp_samples.h $(ISAKMP_REENCODE_SRC)
tests_ike_wire_check_isakmp_corpus_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_wire_check_isakmp_corpus_LDADD = ike/wire/libisakmp.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

# IKEv1 fragments: splitter, decoder, reassembler rules (ike/wire/isakmp_frag.c).
check_PROGRAMS += tests/ike/wire/check_isakmp_frag
TESTS += tests/ike/wire/check_isakmp_frag
tests_ike_wire_check_isakmp_frag_SOURCES = tests/ike/wire/check_isakmp_frag.c
tests_ike_wire_check_isakmp_frag_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_wire_check_isakmp_frag_LDADD = ike/wire/libisakmp.a $(CHECK_LIBS)
