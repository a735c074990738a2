# ike/ codec: ISAKMP wire format (the only code that reads or writes ISAKMP bytes).
EXTRA_DIST += ike/isakmp.h ike/isakmp_decode.h ike/isakmp_encode.h ike/isakmp_names.h
