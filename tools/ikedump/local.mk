# ikedump: the human decoder (hex on stdin or a pcap), and its test.
bin_PROGRAMS += tools/ikedump/ikedump
tools_ikedump_ikedump_SOURCES = tools/ikedump/ikedump.c tools/ikedump/ikedump_print.c tools/ikedump/ikedump_print.h
tools_ikedump_ikedump_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
tools_ikedump_ikedump_LDADD = ike/wire/libisakmp.a natt/libnatt.a $(PCAP_LIBS) $(CRYPTO_LIBS)
TESTS += tests/tools/ikedump/check_ikedump.sh
EXTRA_DIST += tests/tools/ikedump/check_ikedump.sh
