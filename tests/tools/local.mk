# Tests of tools/: the daemon glue, the control protocol, natkeyctl, ikedump.
check_PROGRAMS += tests/tools/natkeyd/check_daemon_glue
TESTS += tests/tools/natkeyd/check_daemon_glue
tests_tools_natkeyd_check_daemon_glue_SOURCES = tests/tools/natkeyd/check_daemon_glue.c
tests_tools_natkeyd_check_daemon_glue_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_tools_natkeyd_check_daemon_glue_CPPFLAGS = $(AM_CPPFLAGS) -DNKD_TEST_PKI='"$(abs_top_srcdir)/tests/data/pki"' \
	-DNKD_TEST_CONF='"$(abs_top_srcdir)/tests/data/conf"'
tests_tools_natkeyd_check_daemon_glue_LDADD = tools/natkeyd/libnatkeyd.a ike/libenginestatus.a \
	tests/lib/libenginetest.a tests/lib/sim/libsimnet.a tests/lib/sim/libsimnat.a ike/conf/libconf.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

# The crypto worker pool with real threads (tools/natkeyd/natkeyd_workers.c).
check_PROGRAMS += tests/tools/natkeyd/check_workers
TESTS += tests/tools/natkeyd/check_workers
tests_tools_natkeyd_check_workers_SOURCES = tests/tools/natkeyd/check_workers.c
tests_tools_natkeyd_check_workers_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_tools_natkeyd_check_workers_LDADD = tools/natkeyd/libnatkeyd.a tests/lib/libenginetest.a \
	tests/lib/sim/libsimnet.a $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS) -lpthread

# A Mode Config client's virtual IP and routes (natkeyd_vip.c) against a fake kernel.
check_PROGRAMS += tests/tools/natkeyd/check_daemon_vip
TESTS += tests/tools/natkeyd/check_daemon_vip
tests_tools_natkeyd_check_daemon_vip_SOURCES = tests/tools/natkeyd/check_daemon_vip.c
tests_tools_natkeyd_check_daemon_vip_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_tools_natkeyd_check_daemon_vip_LDADD = tools/natkeyd/libnatkeyd.a xfrm/libxfrm.a $(CHECK_LIBS) $(MNL_LIBS)

check_PROGRAMS += tests/tools/ctl/check_ctl_proto
TESTS += tests/tools/ctl/check_ctl_proto
tests_tools_ctl_check_ctl_proto_SOURCES = tests/tools/ctl/check_ctl_proto.c
tests_tools_ctl_check_ctl_proto_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
# conf_conn_name_valid(): one rule for connection names, owned by ike/conf.
tests_tools_ctl_check_ctl_proto_LDADD = tools/ctl/libctl.a ike/conf/libconf.a $(CHECK_LIBS) $(CRYPTO_LIBS)

# natkeyctl, the built binary, against a fake natkeyd on a UNIX socket (exit
# statuses, requests, pass-through, malformed answers), and the status view
# helpers of tools/natkeyd_view.
check_PROGRAMS += tests/tools/natkeyctl/check_natkeyctl
TESTS += tests/tools/natkeyctl/check_natkeyctl
tests_tools_natkeyctl_check_natkeyctl_SOURCES = tests/tools/natkeyctl/check_natkeyctl.c
tests_tools_natkeyctl_check_natkeyctl_CPPFLAGS = $(AM_CPPFLAGS) -DNATKEYCTL='"$(abs_top_builddir)/tools/natkeyctl/natkeyctl"'
tests_tools_natkeyctl_check_natkeyctl_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_tools_natkeyctl_check_natkeyctl_LDADD = tools/natkeyd/libnatkeyd.a ike/libenginestatus.a tools/ctl/libctl.a ike/conf/libconf.a \
	$(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

# The daemon's datagram routing with real engines: 300 road warriors behind
# one NAT on a %any connection, DPD, and random-cookie junk throughout.
check_PROGRAMS += tests/tools/natkeyd/check_daemon_route
TESTS += tests/tools/natkeyd/check_daemon_route
tests_tools_natkeyd_check_daemon_route_SOURCES = tests/tools/natkeyd/check_daemon_route.c
tests_tools_natkeyd_check_daemon_route_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_tools_natkeyd_check_daemon_route_LDADD = tools/natkeyd/libnatkeyd.a \
	tests/lib/libenginetest.a tests/lib/sim/libsimnet.a tests/lib/sim/libsimnat.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

# leftupdown=: the SA diff, the environment, and the script runner (real /bin/sh).
check_PROGRAMS += tests/tools/natkeyd/check_updown
TESTS += tests/tools/natkeyd/check_updown
tests_tools_natkeyd_check_updown_SOURCES = tests/tools/natkeyd/check_updown.c
tests_tools_natkeyd_check_updown_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_tools_natkeyd_check_updown_LDADD = tools/natkeyd/libnatkeyd.a ike/libenginestatus.a \
	tests/lib/libenginetest.a tests/lib/sim/libsimnet.a ike/conf/libconf.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

# --check-config with include lines (the built natkeyd on tests/data/conf).
TESTS += tests/tools/natkeyd/check_config_include.sh
EXTRA_DIST += tests/tools/natkeyd/check_config_include.sh
# xauthby=pam: the runner (a child per check, timeout, limit) and the real PAM
# conversation through a PAM stack of the test's own (pam_exec.so).
check_PROGRAMS += tests/tools/natkeyd/check_pam
TESTS += tests/tools/natkeyd/check_pam
tests_tools_natkeyd_check_pam_SOURCES = tests/tools/natkeyd/check_pam.c
tests_tools_natkeyd_check_pam_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_tools_natkeyd_check_pam_LDADD = tools/natkeyd/libnatkeyd.a $(CHECK_LIBS) $(CRYPTO_LIBS) \
	$(PAM_LIBS)
