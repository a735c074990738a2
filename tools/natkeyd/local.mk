# tools/natkeyd: the daemon, a thin epoll loop around the engine, the kernel and the control socket.

# The daemon's pure glue (conf -> engine config, trap policies, status view),
# in a library so that tests/tools/natkeyd/check_daemon_glue link it without the daemon.
noinst_LIBRARIES += tools/natkeyd/libnatkeyd.a
tools_natkeyd_libnatkeyd_a_SOURCES = \
	tools/natkeyd/natkeyd_glue.c tools/natkeyd/natkeyd_glue.h \
	tools/natkeyd/natkeyd_view.c tools/natkeyd/natkeyd_view.h \
	tools/natkeyd/natkeyd_cred.c tools/natkeyd/natkeyd_cred.h \
	tools/natkeyd/natkeyd_natcheck.c tools/natkeyd/natkeyd_natcheck.h \
	tools/natkeyd/natkeyd_route.c \
	tools/natkeyd/natkeyd_updown.c tools/natkeyd/natkeyd_updown.h \
	tools/natkeyd/natkeyd_workers.c tools/natkeyd/natkeyd_workers.h \
	tools/natkeyd/natkeyd_pam.c tools/natkeyd/natkeyd_pam.h \
	tools/natkeyd/natkeyd_vip.c tools/natkeyd/natkeyd_vip.h \
	tools/natkeyd/natkeyd_ka.c tools/natkeyd/natkeyd_ka.h \
	tools/natkeyd/natkeyd_clock.c tools/natkeyd/natkeyd_clock.h \
	tools/natkeyd/natkeyd_log.c tools/natkeyd/natkeyd_log.h

sbin_PROGRAMS += tools/natkeyd/natkeyd
tools_natkeyd_natkeyd_SOURCES = \
	tools/natkeyd/natkeyd.c tools/natkeyd/natkeyd.h \
	tools/natkeyd/natkeyd_conn.c tools/natkeyd/natkeyd_config.c tools/natkeyd/natkeyd_ctl.c \
	tools/natkeyd/natkeyd_ocsp.c \
	tools/natkeyd/natkeyd_os.c tools/natkeyd/natkeyd_os.h
tools_natkeyd_natkeyd_LDADD = tools/natkeyd/libnatkeyd.a ike/libenginestatus.a tools/ctl/libctl.a ike/conf/libconf.a $(ENGINE_LIBS) \
	xfrm/libxfrm.a $(MNL_LIBS) $(CRYPTO_LIBS) $(PAM_LIBS) -lpthread

dist_man_MANS += docs/natkeyd.8
EXTRA_DIST += tools/natkeyd/natkeyd.service scripts/packages/daemon.txt
