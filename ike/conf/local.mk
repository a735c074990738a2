# ike/ conf: ipsec.conf / ipsec.secrets parsing.
noinst_LIBRARIES += ike/conf/libconf.a
ike_conf_libconf_a_SOURCES = \
	ike/conf/conf.h ike/conf/conf_internal.h \
	ike/conf/conf_proposal.c ike/conf/conf_proposal.h \
	ike/conf/conf_values.c ike/conf/conf_keys.c ike/conf/conf_parse.c \
	ike/conf/conf_file.c ike/conf/conf_validate.c ike/conf/conf_print.c ike/conf/conf_diff.c \
	ike/conf/conf_secrets.c ike/conf/conf_secrets.h \
	ike/conf/conf_modecfg.c
