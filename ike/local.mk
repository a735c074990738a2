# ike/: ISAKMP wire codec, IKEv1 engine, crypto over OpenSSL EVP.
