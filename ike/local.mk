# ike/ engine: the sans-I/O IKEv1 state machine.
noinst_LIBRARIES += ike/libengine.a
ike_libengine_a_SOURCES = \
	ike/engine.c ike/engine_actions.c ike/engine.h ike/engine_int.h ike/engine_route.c \
	ike/ikev1_states.c ike/ikev1_state_info.c ike/ikev1_states.h ike/ikev1_handlers.h ike/ikev1_exchanges.h \
	ike/ikev1_dispatch.c \
	ike/ikev1_msg.c ike/ikev1_msg.h ike/ikev1_frag.c ike/ikev1_frag.h \
	ike/ikev1_phase1.c ike/ikev1_main.c ike/ikev1_aggr.c \
	ike/ikev1_quick.c ike/ikev1_ids.c ike/ikev1_ids.h ike/ikev1_info.c ike/ikev1_info_send.c ike/ikev1_dpd.c \
	ike/ikev1_lifetime.c ike/ikev1_kernel_event.c ike/ikev1_delete.c ike/ipsec_kernel.c \
	ike/ikev1_cfg.c ike/ikev1_cfg.h ike/ikev1_xauth.c ike/ikev1_modecfg.c \
	ike/sa_store.c ike/sa_store.h ike/sa_ep.c \
	ike/halfopen.c ike/halfopen.h \
	ike/sa_index.c ike/sa_index.h \
	ike/timer_heap.c ike/timer_heap.h ike/engine_timers.c \
	ike/proposal.c ike/proposal.h \
	ike/pool.c ike/pool.h

ENGINE_LIBS = ike/libengine.a ike/wire/libisakmp.a ike/crypto/libikecrypto.a natt/libnatt.a

# The engine's status read-out (ike/engine_status.*): read-only over the
# engine's internals, used by the daemon's status and by tests.
noinst_LIBRARIES += ike/libenginestatus.a
ike_libenginestatus_a_SOURCES = ike/engine_status.c ike/engine_status.h
