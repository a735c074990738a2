# tools/ control protocol (natkeyctl <-> natkeyd).
noinst_LIBRARIES += tools/libctl.a
tools_libctl_a_SOURCES = tools/ctl_proto.c tools/ctl_proto.h tools/ctl_text.c

check_PROGRAMS += tests/check_ctl_proto
TESTS += tests/check_ctl_proto
tests_check_ctl_proto_SOURCES = tests/check_ctl_proto.c
tests_check_ctl_proto_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
# conf_conn_name_valid(): one rule for connection names, owned by ike/conf.
tests_check_ctl_proto_LDADD = tools/libctl.a ike/libconf.a $(CHECK_LIBS) $(CRYPTO_LIBS)

tests_fuzz_fuzz_ctl_SOURCES = tests/fuzz/fuzz_ctl.c
tests_fuzz_fuzz_ctl_LDADD = tools/libctl.a ike/libconf.a $(CRYPTO_LIBS)
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

# natkeyctl, the built binary, against a fake natkeyd on a UNIX socket (exit
# statuses, requests, pass-through, malformed answers), and the status view
# helpers of tools/natkeyd_view.
check_PROGRAMS += tests/check_natkeyctl
TESTS += tests/check_natkeyctl
tests_check_natkeyctl_SOURCES = tests/check_natkeyctl.c
tests_check_natkeyctl_CPPFLAGS = $(AM_CPPFLAGS) -DNATKEYCTL='"$(abs_top_builddir)/tools/natkeyctl"'
tests_check_natkeyctl_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_natkeyctl_LDADD = tools/libnatkeyd.a ike/libenginestatus.a tools/libctl.a ike/libconf.a \
	$(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)
