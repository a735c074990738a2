# ike/ codec: ISAKMP wire format (the only code that reads or writes ISAKMP bytes).
noinst_LIBRARIES += ike/wire/libisakmp.a
ISAKMP_CODEC_SRC = \
	ike/wire/isakmp.h ike/wire/isakmp_decode.h ike/wire/isakmp_encode.h ike/wire/isakmp_names.h \
	ike/wire/isakmp_wire.h ike/wire/isakmp_frag.h ike/wire/isakmp_frag.c \
	ike/wire/isakmp_chain.c ike/wire/isakmp_payload.c ike/wire/isakmp_sa.c ike/wire/isakmp_attr.c \
	ike/wire/isakmp_id.c ike/wire/isakmp_notify.c ike/wire/isakmp_encode.c ike/wire/isakmp_names.c
ike_wire_libisakmp_a_SOURCES = $(ISAKMP_CODEC_SRC)
