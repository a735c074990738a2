# ike/ codec: ISAKMP wire format (the only code that reads or writes ISAKMP bytes).
noinst_LIBRARIES += ike/libisakmp.a
ike_libisakmp_a_SOURCES = \
	ike/isakmp.h ike/isakmp_decode.h ike/isakmp_encode.h ike/isakmp_names.h \
	ike/isakmp_wire.h \
	ike/isakmp_chain.c ike/isakmp_payload.c ike/isakmp_sa.c ike/isakmp_attr.c \
	ike/isakmp_id.c ike/isakmp_notify.c ike/isakmp_encode.c ike/isakmp_names.c

# Unit tests: golden vectors, rejections, round trips, attributes.
check_PROGRAMS += tests/check_isakmp
TESTS += tests/check_isakmp
tests_check_isakmp_SOURCES = tests/check_isakmp.c \
	tests/check_isakmp_samples.c tests/check_isakmp_samples.h
tests_check_isakmp_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_isakmp_LDADD = ike/libisakmp.a $(CHECK_LIBS)

# tshark as independent judge of the encoder (needs the tshark package).
check_PROGRAMS += tests/check_isakmp_tshark
TESTS += tests/check_isakmp_tshark
tests_check_isakmp_tshark_SOURCES = tests/check_isakmp_tshark.c \
	tests/check_isakmp_samples.c tests/check_isakmp_samples.h \
	tests/tshark/isakmp_pcap.c tests/tshark/isakmp_pcap.h
tests_check_isakmp_tshark_LDADD = ike/libisakmp.a natt/libnatt.a
