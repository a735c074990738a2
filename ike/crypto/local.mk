# ike/ crypto: OpenSSL 3 EVP primitives and IKEv1 key derivation.
noinst_LIBRARIES += ike/crypto/libikecrypto.a
ike_crypto_libikecrypto_a_SOURCES = \
	ike/crypto/crypto.c ike/crypto/crypto.h \
	ike/crypto/crypto_dh.c ike/crypto/crypto_random.c \
	ike/crypto/keys.c ike/crypto/keys.h \
	ike/crypto/sig.c ike/crypto/sig.h \
	ike/crypto/cert.c ike/crypto/cert.h \
	ike/crypto/ocsp.c ike/crypto/ocsp.h
