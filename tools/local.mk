# tools/: natkeyd, natkeyctl and diagnostic tools, thin shells over library code.

# The daemon's pure glue (conf -> engine config, trap policies, status view),
# in a library so that tests/check_daemon_* link it without the daemon.
noinst_LIBRARIES += tools/libnatkeyd.a
tools_libnatkeyd_a_SOURCES = \
	tools/natkeyd_glue.c tools/natkeyd_glue.h \
	tools/natkeyd_view.c tools/natkeyd_view.h \
	tools/natkeyd_cred.c tools/natkeyd_cred.h

sbin_PROGRAMS += tools/natkeyd
tools_natkeyd_SOURCES = \
	tools/natkeyd.c tools/natkeyd.h \
	tools/natkeyd_conn.c tools/natkeyd_ctl.c \
	tools/natkeyd_log.c tools/natkeyd_log.h \
	tools/natkeyd_os.c tools/natkeyd_os.h
tools_natkeyd_LDADD = tools/libnatkeyd.a ike/libenginestatus.a tools/libctl.a ike/libconf.a $(ENGINE_LIBS) \
	xfrm/libxfrm.a $(MNL_LIBS) $(CRYPTO_LIBS)

sbin_PROGRAMS += tools/natkeyctl
tools_natkeyctl_SOURCES = tools/natkeyctl.c
tools_natkeyctl_LDADD = tools/libctl.a ike/libconf.a $(CRYPTO_LIBS)

check_PROGRAMS += tests/check_daemon_glue
TESTS += tests/check_daemon_glue
tests_check_daemon_glue_SOURCES = tests/check_daemon_glue.c
tests_check_daemon_glue_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_daemon_glue_CPPFLAGS = $(AM_CPPFLAGS) -DNKD_TEST_PKI='"$(abs_top_srcdir)/tests/data/pki"'
tests_check_daemon_glue_LDADD = tools/libnatkeyd.a ike/libenginestatus.a \
	tests/libenginetest.a tests/sim/libsimnet.a tests/sim/libsimnat.a ike/libconf.a $(ENGINE_LIBS) \
	$(CHECK_LIBS) $(CRYPTO_LIBS)

dist_man_MANS += docs/natkeyd.8
EXTRA_DIST += tools/natkeyd.service scripts/packages/daemon.txt

# The engine's status read-out (ike/engine_status.*): read-only over the
# engine's internals, used by the daemon's status and by tests.
noinst_LIBRARIES += ike/libenginestatus.a
ike_libenginestatus_a_SOURCES = ike/engine_status.c ike/engine_status.h

check_PROGRAMS += tests/check_engine_status
TESTS += tests/check_engine_status
tests_check_engine_status_SOURCES = tests/check_engine_status.c
tests_check_engine_status_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_check_engine_status_LDADD = ike/libenginestatus.a tests/libenginetest.a \
	tests/sim/libsimnet.a tests/sim/libsimnat.a $(ENGINE_LIBS) $(CHECK_LIBS) $(CRYPTO_LIBS)
