# xfrm/: the only code that speaks netlink (libmnl), plus the IKE sockets' kernel options.
noinst_LIBRARIES += xfrm/libxfrm.a
xfrm_libxfrm_a_SOURCES = \
	xfrm/kernel_req.h \
	xfrm/xfrm_msg.c xfrm/xfrm_msg.h \
	xfrm/xfrm_io.c xfrm/xfrm_io.h \
	xfrm/ike_socket.c xfrm/ike_socket.h
