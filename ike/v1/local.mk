# ike/v1/: the IKEv1 exchanges (Main, Aggressive, Quick, Informational, DPD,
# XAUTH / Mode Config over the Transaction exchange), SA teardown and an
# IPsec SA's kernel requests. Part of ike/libengine.a.
ike_libengine_a_SOURCES += \
	ike/v1/ikev1_handlers.h ike/v1/ikev1_exchanges.h \
	ike/v1/ikev1_phase1.c ike/v1/ikev1_main.c ike/v1/ikev1_aggr.c \
	ike/v1/ikev1_quick.c ike/v1/ikev1_info.c ike/v1/ikev1_info_send.c ike/v1/ikev1_dpd.c \
	ike/v1/ikev1_lifetime.c ike/v1/ikev1_adaptka.c ike/v1/ikev1_adaptka.h ike/v1/ikev1_delete.c ike/v1/ipsec_kernel.c \
	ike/v1/ikev1_cfg.c ike/v1/ikev1_cfg.h ike/v1/ikev1_xauth.c ike/v1/ikev1_modecfg.c
