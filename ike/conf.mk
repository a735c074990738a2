# ike/ conf: ipsec.conf / ipsec.secrets parsing.
noinst_LIBRARIES += ike/libconf.a
ike_libconf_a_SOURCES = \
	ike/conf.h ike/conf_internal.h \
	ike/conf_proposal.c ike/conf_proposal.h \
	ike/conf_values.c ike/conf_keys.c ike/conf_parse.c \
	ike/conf_validate.c ike/conf_print.c ike/conf_diff.c \
	ike/conf_secrets.c ike/conf_secrets.h

check_PROGRAMS += tests/check_conf tests/check_conf_proposal tests/check_conf_secrets
TESTS += tests/check_conf tests/check_conf_proposal tests/check_conf_secrets
tests_check_conf_SOURCES = tests/check_conf.c
tests_check_conf_CPPFLAGS = $(AM_CPPFLAGS) -DCONF_TEST_DATA='"$(abs_top_srcdir)/tests/data/conf"'
tests_check_conf_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_conf_LDADD = ike/libconf.a $(CHECK_LIBS) $(CRYPTO_LIBS)
tests_check_conf_proposal_SOURCES = tests/check_conf_proposal.c
tests_check_conf_proposal_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_conf_proposal_LDADD = ike/libconf.a $(CHECK_LIBS) $(CRYPTO_LIBS)
tests_check_conf_secrets_SOURCES = tests/check_conf_secrets.c
tests_check_conf_secrets_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_conf_secrets_LDADD = ike/libconf.a $(CHECK_LIBS) $(CRYPTO_LIBS)

# Sample configurations (valid and invalid) used by tests/check_conf.
EXTRA_DIST += tests/data/conf

# Man pages (both owned here); they must render without a groff warning.
dist_man_MANS = docs/natkeyd.conf.5 docs/natkeyctl.8
TESTS += tests/check_conf_man.sh
EXTRA_DIST += tests/check_conf_man.sh

# Fuzz targets: libFuzzer with --enable-fuzzing, otherwise linked with the
# replay driver and run over their committed corpus in make check.
tests_fuzz_fuzz_conf_SOURCES = tests/fuzz/fuzz_conf.c
tests_fuzz_fuzz_conf_LDADD = ike/libconf.a $(CRYPTO_LIBS)
tests_fuzz_fuzz_conf_secrets_SOURCES = tests/fuzz/fuzz_conf_secrets.c
tests_fuzz_fuzz_conf_secrets_LDADD = ike/libconf.a $(CRYPTO_LIBS)
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
