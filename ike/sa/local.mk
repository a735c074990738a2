# ike/sa/: what the engine's handlers work on: IKE and IPsec SA records and
# their hash indexes, the timer heap, the half-open pool, proposal matching,
# which clients a peer may claim, virtual-IP pools, the action helpers an SA
# needs (sa_ep.c). Part of ike/libengine.a.
ike_libengine_a_SOURCES += \
	ike/sa/sa_store.c ike/sa/sa_store.h ike/sa/sa_ep.c \
	ike/sa/sa_index.c ike/sa/sa_index.h \
	ike/sa/timer_heap.c ike/sa/timer_heap.h \
	ike/sa/halfopen.c ike/sa/halfopen.h \
	ike/sa/proposal.c ike/sa/proposal.h \
	ike/sa/ikev1_ids.c ike/sa/ikev1_ids.h \
	ike/sa/pool.c ike/sa/pool.h
