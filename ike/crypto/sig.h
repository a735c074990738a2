/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RSA signature authentication of IKEv1 Phase 1 (RFC 2409 5.1).
 *
 * SIG_I / SIG_R are PKCS #1 v1.5 type 1 "private key encryptions" of the raw
 * HASH_I / HASH_R bytes, with NO DigestInfo/OID around them (2409-5.1.d).
 * OpenSSL 3 EVP_PKEY_sign() with RSA_PKCS1_PADDING and no signature digest
 * set does exactly that.
 *
 * Keys are OpenSSL EVP_PKEY objects; the caller owns them (EVP_PKEY_free()).
 * Return 0 or a negative errno (see crypto.h); -EBADMSG = bad signature.
 */
#ifndef NATKEYD_IKE_SIG_H
#define NATKEYD_IKE_SIG_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/**
 * sig_key_from_pem() - parse a PEM private key (PKCS#8 or traditional RSA,
 * unencrypted) from memory.
 * @pem, @len: the PEM text.
 * @out:       receives the key.
 *
 * Return: 0, -EBADMSG if it does not parse, -ENOTSUP if it is neither RSA
 * nor ECDSA on P-256, P-384 or P-521.
 */
int sig_key_from_pem(const uint8_t *pem, size_t len, EVP_PKEY **out);

/**
 * sig_rsa_len() - signature length (modulus bytes) of an RSA key.
 *
 * Return: the length, or 0 if @key is not RSA.
 */
size_t sig_rsa_len(const EVP_PKEY *key);

/**
 * sig_rsa_sign() - SIG = RSA PKCS#1 v1.5 type 1 of the raw @hash (no DigestInfo).
 * @key:      RSA private key.
 * @hash:     HASH_I or HASH_R (must be shorter than the modulus - 11).
 * @hash_len: its length.
 * @sig:      output buffer of @sig_size >= sig_rsa_len(@key) bytes.
 * @sig_len:  receives the signature length (= modulus length).
 *
 * Return: 0 or a negative errno.
 */
int sig_rsa_sign(EVP_PKEY *key, const uint8_t *hash, size_t hash_len, uint8_t *sig, size_t sig_size,
		 size_t *sig_len);

/**
 * sig_rsa_verify() - check a peer's SIG_I/SIG_R against the HASH we computed.
 * @key:      the peer's RSA public key (e.g. X509_get0_pubkey() of its cert).
 * @hash:     the expected HASH_I/HASH_R.
 * @sig:      the SIG payload data; its length must equal the modulus length.
 *
 * Return: 0 if valid, -EBADMSG if not, other negative errno on error.
 */
int sig_rsa_verify(EVP_PKEY *key, const uint8_t *hash, size_t hash_len, const uint8_t *sig,
		   size_t sig_len);

/* Phase 1 Authentication Method numbers of signature keys (RFC 2409
 * App. A: 3 RSA; RFC 4754 s8: 9/10/11 ECDSA with SHA-256/384/512). */
enum sig_method {
	SIG_RSA = 3,
	SIG_ECDSA_256 = 9,
	SIG_ECDSA_384 = 10,
	SIG_ECDSA_521 = 11,
};

/**
 * sig_ecdsa_method() - SIG_ECDSA_* for an EC key on P-256/384/521, else 0.
 */
int sig_ecdsa_method(const EVP_PKEY *key);

/**
 * sig_auth_method() - the enum sig_method of @key (0: not usable).
 */
int sig_auth_method(const EVP_PKEY *key);

/**
 * sig_len() - length of a SIG payload made with @key (RSA: modulus
 * bytes; ECDSA: r | s, twice the field size). 0 if unusable.
 */
size_t sig_len(const EVP_PKEY *key);

/**
 * sig_ecdsa_sign() - ECDSA signature of IKEv1's HASH_I/HASH_R: @data is
 * the digest signed as it is (as strongSwan, SIGN_ECDSA_WITH_NULL), encoded
 * r | s, each padded to the field size (RFC 4754 s7).
 * Return: 0, -EINVAL, -ENOBUFS, -EIO.
 */
int sig_ecdsa_sign(EVP_PKEY *key, const uint8_t *data, size_t data_len, uint8_t *sig,
		   size_t sig_size, size_t *sig_len_out);

/**
 * sig_ecdsa_verify() - check an r | s signature of the digest @data.
 * Return: 0 if valid, -EBADMSG if not (also for a wrong length).
 */
int sig_ecdsa_verify(EVP_PKEY *key, const uint8_t *data, size_t data_len, const uint8_t *sig,
		     size_t sig_len_in);

/**
 * sig_sign() - sig_rsa_sign() or sig_ecdsa_sign() following @key's type.
 */
int sig_sign(EVP_PKEY *key, const uint8_t *hash, size_t hash_len, uint8_t *sig, size_t sig_size,
	     size_t *sig_len_out);

/**
 * sig_verify() - verify with the peer's public @key under the negotiated
 * @method (enum sig_method): a key of another type is a failure.
 * Return: 0 if valid, -EBADMSG if not.
 */
int sig_verify(EVP_PKEY *key, int method, const uint8_t *hash, size_t hash_len, const uint8_t *sig,
	       size_t sig_len_in);

#endif /* NATKEYD_IKE_SIG_H */
