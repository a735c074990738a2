# Tests of ike/conf.
check_PROGRAMS += tests/ike/conf/check_conf tests/ike/conf/check_conf_proposal tests/ike/conf/check_conf_secrets
TESTS += tests/ike/conf/check_conf tests/ike/conf/check_conf_proposal tests/ike/conf/check_conf_secrets
tests_ike_conf_check_conf_SOURCES = tests/ike/conf/check_conf.c
tests_ike_conf_check_conf_CPPFLAGS = $(AM_CPPFLAGS) -DCONF_TEST_DATA='"$(abs_top_srcdir)/tests/data/conf"'
tests_ike_conf_check_conf_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_conf_check_conf_LDADD = ike/conf/libconf.a $(CHECK_LIBS) $(CRYPTO_LIBS)
tests_ike_conf_check_conf_proposal_SOURCES = tests/ike/conf/check_conf_proposal.c
tests_ike_conf_check_conf_proposal_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_conf_check_conf_proposal_LDADD = ike/conf/libconf.a $(CHECK_LIBS) $(CRYPTO_LIBS)
tests_ike_conf_check_conf_secrets_SOURCES = tests/ike/conf/check_conf_secrets.c
tests_ike_conf_check_conf_secrets_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_conf_check_conf_secrets_LDADD = ike/conf/libconf.a $(CHECK_LIBS) $(CRYPTO_LIBS)

# Sample configurations (valid and invalid) used by tests/ike/conf/check_conf.
EXTRA_DIST += tests/data/conf

# Man pages (both owned here); they must render without a groff warning.
dist_man_MANS += docs/natkeyd.conf.5 docs/natkeyctl.8
TESTS += tests/ike/conf/check_conf_man.sh
EXTRA_DIST += tests/ike/conf/check_conf_man.sh

# include lines in ipsec.conf and ipsec.secrets (files in a temporary folder).
check_PROGRAMS += tests/ike/conf/check_conf_include
TESTS += tests/ike/conf/check_conf_include
tests_ike_conf_check_conf_include_SOURCES = tests/ike/conf/check_conf_include.c
tests_ike_conf_check_conf_include_CPPFLAGS = $(AM_CPPFLAGS) -DCONF_TEST_DATA='"$(abs_top_srcdir)/tests/data/conf"'
tests_ike_conf_check_conf_include_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_ike_conf_check_conf_include_LDADD = ike/conf/libconf.a $(CHECK_LIBS) $(CRYPTO_LIBS)
