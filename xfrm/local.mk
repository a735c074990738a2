# xfrm/: the only code that speaks netlink (libmnl), plus the IKE sockets' kernel options.
noinst_LIBRARIES += xfrm/libxfrm.a
EXTRA_DIST += xfrm/README.md
xfrm_libxfrm_a_SOURCES = \
	xfrm/kernel_req.h \
	xfrm/xfrm_msg.c xfrm/xfrm_msg.h \
	xfrm/xfrm_io.c xfrm/xfrm_io.h \
	xfrm/ike_socket.c xfrm/ike_socket.h

# Route lookups (rtnetlink) for left=%defaultroute and the local-address check of left= names.
xfrm_libxfrm_a_SOURCES += xfrm/route.c xfrm/route.h
