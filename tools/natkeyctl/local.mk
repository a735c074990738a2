# natkeyctl: the control CLI (talks to natkeyd over tools/ctl).
sbin_PROGRAMS += tools/natkeyctl/natkeyctl
tools_natkeyctl_natkeyctl_SOURCES = tools/natkeyctl/natkeyctl.c
tools_natkeyctl_natkeyctl_LDADD = tools/ctl/libctl.a ike/conf/libconf.a $(CRYPTO_LIBS)
# natkeyctl natcheck: RFC 5780 NAT behaviour discovery (natt/natcheck.*), no daemon.
tools_natkeyctl_natkeyctl_SOURCES += tools/natkeyctl/natcheck.c tools/natkeyctl/natcheck.h
tools_natkeyctl_natkeyctl_LDADD += natt/libnatt.a $(CRYPTO_LIBS)
# natkeyctl natcheck --save writes, natkeyd (nat_binding_lifetime=natcheck)
# reads NATKEYD_STATEDIR/natcheck (natt/natcheck_state.h).
AM_CPPFLAGS += -DNATKEYD_STATEDIR='"$(localstatedir)/lib/natkeyd"'
