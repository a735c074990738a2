# Tests of ike/conf.

# A check program of this folder is two lines, "IKE_CONF_CHECKS += PROGRAM" and
# "PROGRAM_LDADD = $(IKE_CONF_TEST_LDADD)" (unused archives add nothing); its
# source is PROGRAM.c, compiled with AM_CFLAGS.
IKE_CONF_CHECKS =
IKE_CONF_TEST_LDADD = ike/conf/libconf.a $(CHECK_LIBS) $(CRYPTO_LIBS)

IKE_CONF_CHECKS += tests/ike/conf/check_conf tests/ike/conf/check_conf_proposal tests/ike/conf/check_conf_secrets
tests_ike_conf_check_conf_CPPFLAGS = $(AM_CPPFLAGS) -DCONF_TEST_DATA='"$(abs_top_srcdir)/tests/data/conf"'
tests_ike_conf_check_conf_LDADD = $(IKE_CONF_TEST_LDADD)
tests_ike_conf_check_conf_proposal_LDADD = $(IKE_CONF_TEST_LDADD)
tests_ike_conf_check_conf_secrets_LDADD = $(IKE_CONF_TEST_LDADD)

# Sample configurations (valid and invalid) used by tests/ike/conf/check_conf.
EXTRA_DIST += tests/data/conf

# Man pages (both owned here); they must render without a groff warning.
dist_man_MANS += docs/natkeyd.conf.5 docs/natkeyctl.8
TESTS += tests/ike/conf/check_conf_man.sh
EXTRA_DIST += tests/ike/conf/check_conf_man.sh

# include lines in ipsec.conf and ipsec.secrets (files in a temporary folder).
IKE_CONF_CHECKS += tests/ike/conf/check_conf_include
tests_ike_conf_check_conf_include_CPPFLAGS = $(AM_CPPFLAGS) -DCONF_TEST_DATA='"$(abs_top_srcdir)/tests/data/conf"'
tests_ike_conf_check_conf_include_LDADD = $(IKE_CONF_TEST_LDADD)
check_PROGRAMS += $(IKE_CONF_CHECKS)
TESTS += $(IKE_CONF_CHECKS)
