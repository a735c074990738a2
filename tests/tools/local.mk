# Tests of tools/: the daemon glue, the control protocol, natkeyctl, ikedump.

# A check program of this folder is two lines, "TOOLS_CHECKS += PROGRAM" and
# "PROGRAM_LDADD = $(TOOLS_TEST_LDADD)" (unused archives add nothing); its
# source is PROGRAM.c, compiled with AM_CFLAGS.
TOOLS_CHECKS =
TOOLS_TEST_LDADD = tools/natkeyd/libnatkeyd.a ike/libenginestatus.a tests/lib/libenginetest.a \
	tests/lib/sim/libsimnet.a tests/lib/sim/libsimnat.a tools/ctl/libctl.a ike/conf/libconf.a \
	$(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)

TOOLS_CHECKS += tests/tools/natkeyd/check_daemon_glue
tests_tools_natkeyd_check_daemon_glue_CPPFLAGS = $(AM_CPPFLAGS) -DNKD_TEST_PKI='"$(abs_top_srcdir)/tests/data/pki"' \
	-DNKD_TEST_CONF='"$(abs_top_srcdir)/tests/data/conf"'
tests_tools_natkeyd_check_daemon_glue_LDADD = $(TOOLS_TEST_LDADD)

# The crypto worker pool with real threads (tools/natkeyd/natkeyd_workers.c).
TOOLS_CHECKS += tests/tools/natkeyd/check_workers
tests_tools_natkeyd_check_workers_LDADD = $(TOOLS_TEST_LDADD) -lpthread

# A Mode Config client's virtual IP and routes (natkeyd_vip.c) against a fake kernel.
TOOLS_CHECKS += tests/tools/natkeyd/check_daemon_vip
tests_tools_natkeyd_check_daemon_vip_LDADD = tools/natkeyd/libnatkeyd.a xfrm/libxfrm.a $(CHECK_LIBS) $(MNL_LIBS)

TOOLS_CHECKS += tests/tools/ctl/check_ctl_proto
tests_tools_ctl_check_ctl_proto_LDADD = $(TOOLS_TEST_LDADD)

# natkeyctl, the built binary, against a fake natkeyd on a UNIX socket (exit
# statuses, requests, pass-through, malformed answers), and the status view
# helpers of tools/natkeyd_view.
TOOLS_CHECKS += tests/tools/natkeyctl/check_natkeyctl
tests_tools_natkeyctl_check_natkeyctl_CPPFLAGS = $(AM_CPPFLAGS) -DNATKEYCTL='"$(abs_top_builddir)/tools/natkeyctl/natkeyctl"'
tests_tools_natkeyctl_check_natkeyctl_LDADD = $(TOOLS_TEST_LDADD)

# The daemon's datagram routing with real engines: 300 road warriors behind
# one NAT on a %any connection, DPD, and random-cookie junk throughout.
TOOLS_CHECKS += tests/tools/natkeyd/check_daemon_route
tests_tools_natkeyd_check_daemon_route_LDADD = $(TOOLS_TEST_LDADD)

# The event loop's clock cache: one read of each clock per wakeup (fake clock).
TOOLS_CHECKS += tests/tools/natkeyd/check_daemon_clock
tests_tools_natkeyd_check_daemon_clock_LDADD = tools/natkeyd/libnatkeyd.a $(CHECK_LIBS)

# The foreground log buffer: when lines go out, and on a crash (fake clock).
TOOLS_CHECKS += tests/tools/natkeyd/check_daemon_log
tests_tools_natkeyd_check_daemon_log_LDADD = tools/natkeyd/libnatkeyd.a $(CHECK_LIBS)

# The NAT-keepalive observer: its parser, and its raw socket's kernel filter on
# loopback (needs CAP_NET_RAW: SKIP without it, unless run as root).
TOOLS_CHECKS += tests/tools/natkeyd/check_ka_observer
tests_tools_natkeyd_check_ka_observer_LDADD = $(TOOLS_TEST_LDADD)

# leftupdown=: the SA diff, the environment, and the script runner (real /bin/sh).
TOOLS_CHECKS += tests/tools/natkeyd/check_updown
tests_tools_natkeyd_check_updown_LDADD = $(TOOLS_TEST_LDADD)

# --check-config with include lines (the built natkeyd on tests/data/conf).
TESTS += tests/tools/natkeyd/check_config_include.sh
EXTRA_DIST += tests/tools/natkeyd/check_config_include.sh
# xauthby=pam: the runner (a child per check, timeout, limit) and the real PAM
# conversation through a PAM stack of the test's own (pam_exec.so).
TOOLS_CHECKS += tests/tools/natkeyd/check_pam
tests_tools_natkeyd_check_pam_LDADD = tools/natkeyd/libnatkeyd.a $(CHECK_LIBS) $(CRYPTO_LIBS) $(PAM_LIBS)

check_PROGRAMS += $(TOOLS_CHECKS)
TESTS += $(TOOLS_CHECKS)
