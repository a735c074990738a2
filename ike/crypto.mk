# ike/ crypto: OpenSSL 3 EVP primitives and IKEv1 key derivation.
