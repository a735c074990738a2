# natt/: every RFC 3947/3948 rule, as small pure functions.
noinst_LIBRARIES += natt/libnatt.a
natt_libnatt_a_SOURCES = \
	natt/framing.c natt/framing.h \
	natt/method.c natt/method.h \
	natt/endpoint.c natt/endpoint.h \
	natt/natd.c natt/natd.h \
	natt/ports.c natt/ports.h \
	natt/encap.c natt/encap.h \
	natt/natoa.c natt/natoa.h \
	natt/transport.c natt/transport.h \
	natt/keepalive.c natt/keepalive.h \
	natt/adaptka.c natt/adaptka.h \
	natt/mapping.c natt/mapping.h \
	natt/diag.c natt/diag.h \
	natt/stun.c natt/stun.h \
	natt/natcheck.c natt/natcheck.h \
	natt/natcheck_state.c natt/natcheck_state.h
