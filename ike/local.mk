# ike/ engine: the sans-I/O IKEv1 state machine. This folder holds its API,
# dispatcher, state table, timers and action emitters; the exchange handlers
# are in ike/v1/ and the SA records and lookups in ike/sa/ (their local.mk
# add to the same library).
noinst_LIBRARIES += ike/libengine.a
ike_libengine_a_SOURCES = \
	ike/engine.c ike/engine_actions.c ike/engine.h ike/engine_int.h ike/engine_route.c \
	ike/engine_crypto.c ike/engine_crypto.h \
	ike/engine_timers.c ike/engine_natfacts.c \
	ike/ikev1_states.c ike/ikev1_state_info.c ike/ikev1_states.h \
	ike/ikev1_dispatch.c ike/ikev1_kernel_event.c \
	ike/ikev1_msg.c ike/ikev1_msg.h ike/ikev1_frag.c ike/ikev1_frag.h

ENGINE_LIBS = ike/libengine.a ike/wire/libisakmp.a ike/crypto/libikecrypto.a natt/libnatt.a

# The engine's status read-out (ike/engine_status.*): read-only over the
# engine's internals, used by the daemon's status and by tests.
noinst_LIBRARIES += ike/libenginestatus.a
ike_libenginestatus_a_SOURCES = ike/engine_status.c ike/engine_status.h
