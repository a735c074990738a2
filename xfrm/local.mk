# xfrm/: the only code that speaks netlink (libmnl).
EXTRA_DIST += xfrm/kernel_req.h
