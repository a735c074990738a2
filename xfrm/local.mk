# xfrm/: the only code that speaks netlink (libmnl).
