# Tests of ike/wire. Unit tests: golden vectors, rejections, round trips, attributes.

# A check program of this folder is two lines, "IKE_WIRE_CHECKS += PROGRAM" and
# "PROGRAM_LDADD = $(IKE_WIRE_TEST_LDADD)" (unused archives add nothing); its
# source is PROGRAM.c, compiled with AM_CFLAGS.
IKE_WIRE_CHECKS =
IKE_WIRE_TEST_LDADD = ike/wire/libisakmp.a natt/libnatt.a $(CHECK_LIBS) $(CRYPTO_LIBS)

IKE_WIRE_CHECKS += tests/ike/wire/check_isakmp
tests_ike_wire_check_isakmp_SOURCES = tests/ike/wire/check_isakmp.c \
	tests/lib/isakmp_samples.c tests/lib/isakmp_samples.h \
	tests/lib/isakmp_reencode.c tests/lib/isakmp_reencode.h
tests_ike_wire_check_isakmp_LDADD = $(IKE_WIRE_TEST_LDADD)

# tshark as independent judge of the encoder (needs the tshark package).
IKE_WIRE_CHECKS += tests/ike/wire/check_isakmp_tshark
tests_ike_wire_check_isakmp_tshark_SOURCES = tests/ike/wire/check_isakmp_tshark.c \
	tests/lib/isakmp_samples.c tests/lib/isakmp_samples.h \
	tests/lib/isakmp_pcap.c tests/lib/isakmp_pcap.h
tests_ike_wire_check_isakmp_tshark_LDADD = $(IKE_WIRE_TEST_LDADD)

# Captured traffic must decode; every input truncated and mutated never crashes.
IKE_WIRE_CHECKS += tests/ike/wire/check_isakmp_corpus
tests_ike_wire_check_isakmp_corpus_SOURCES = tests/ike/wire/check_isakmp_corpus.c \
	tests/lib/isakmp_samples.c tests/lib/isakmp_samples.h $(ISAKMP_REENCODE_SRC)
tests_ike_wire_check_isakmp_corpus_LDADD = $(IKE_WIRE_TEST_LDADD)

# IKEv1 fragments: splitter, decoder, reassembler rules (ike/wire/isakmp_frag.c).
IKE_WIRE_CHECKS += tests/ike/wire/check_isakmp_frag
tests_ike_wire_check_isakmp_frag_LDADD = $(IKE_WIRE_TEST_LDADD)

check_PROGRAMS += $(IKE_WIRE_CHECKS)
TESTS += $(IKE_WIRE_CHECKS)
