# xfrm/: the only code that speaks netlink (libmnl), plus the IKE sockets' kernel options.
noinst_LIBRARIES += xfrm/libxfrm.a
xfrm_libxfrm_a_SOURCES = \
	xfrm/kernel_req.h \
	xfrm/xfrm_msg.c xfrm/xfrm_msg.h \
	xfrm/xfrm_io.c xfrm/xfrm_io.h \
	xfrm/ike_socket.c xfrm/ike_socket.h

# Kernel test driver (run inside user-mode-linux by tests/e2e/scenarios/xfrm-*.sh).
noinst_PROGRAMS += tests/xfrm_ktest
tests_xfrm_ktest_SOURCES = tests/xfrm_ktest.c
tests_xfrm_ktest_LDADD = xfrm/libxfrm.a $(MNL_LIBS) $(CRYPTO_LIBS)
