# natkeyctl: the control CLI (talks to natkeyd over tools/ctl).
sbin_PROGRAMS += tools/natkeyctl/natkeyctl
tools_natkeyctl_natkeyctl_SOURCES = tools/natkeyctl/natkeyctl.c
tools_natkeyctl_natkeyctl_LDADD = tools/ctl/libctl.a ike/conf/libconf.a $(CRYPTO_LIBS)
# natkeyctl natcheck: RFC 5780 NAT behaviour discovery (natt/natcheck.*), no daemon.
tools_natkeyctl_natkeyctl_SOURCES += tools/natkeyctl/natcheck.c tools/natkeyctl/natcheck.h
tools_natkeyctl_natkeyctl_LDADD += natt/libnatt.a $(CRYPTO_LIBS)
