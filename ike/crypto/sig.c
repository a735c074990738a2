// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RSA signatures of IKEv1 Phase 1 (RFC 2409 5.1): PKCS #1 v1.5 type 1 over
 * the raw HASH_I/HASH_R, no DigestInfo. EVP_PKEY_sign() with
 * RSA_PKCS1_PADDING and no signature md pads and exponentiates the input
 * as is, which is what 2409-5.1.d asks for.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include "ike/crypto/sig.h"

/* PKCS #1 v1.5 needs 11 octets of overhead (00 01 FF..FF(>=8) 00). */
#define PKCS1_OVERHEAD 11

int sig_key_from_pem(const uint8_t *pem, size_t len, EVP_PKEY **out)
{
	BIO *bio;
	EVP_PKEY *key;

	if (pem == NULL || out == NULL || len == 0 || len > INT32_MAX)
		return -EINVAL;
	*out = NULL;
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio == NULL)
		return -ENOMEM;
	/* No passphrase callback: encrypted keys are refused, not prompted for. */
	key = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"");
	BIO_free(bio);
	if (key == NULL)
		return -EBADMSG;
	if (!EVP_PKEY_is_a(key, "RSA") && sig_ecdsa_method(key) == 0) {
		EVP_PKEY_free(key);
		return -ENOTSUP;
	}
	*out = key;
	return 0;
}

size_t sig_rsa_len(const EVP_PKEY *key)
{
	int n;

	if (key == NULL || !EVP_PKEY_is_a(key, "RSA"))
		return 0;
	n = EVP_PKEY_get_size(key);
	return n > 0 ? (size_t)n : 0;
}

int sig_rsa_sign(EVP_PKEY *key, const uint8_t *hash, size_t hash_len, uint8_t *sig, size_t sig_size,
		 size_t *sig_len)
{
	size_t mod = sig_rsa_len(key);
	size_t len = sig_size;
	EVP_PKEY_CTX *ctx;
	int ret = -EIO;

	if (mod == 0 || hash == NULL || hash_len == 0 || sig == NULL || sig_len == NULL)
		return -EINVAL;
	if (hash_len + PKCS1_OVERHEAD > mod)
		return -EINVAL;
	if (sig_size < mod)
		return -ENOBUFS;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (ctx == NULL)
		return -ENOMEM;
	/* 2409-5.1.d: no EVP_PKEY_CTX_set_signature_md(), so no DigestInfo. */
	if (EVP_PKEY_sign_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_sign(ctx, sig, &len, hash, hash_len) != 1 || len != mod)
		goto out;
	*sig_len = len;
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

int sig_rsa_verify(EVP_PKEY *key, const uint8_t *hash, size_t hash_len, const uint8_t *sig,
		   size_t sig_len)
{
	size_t mod = sig_rsa_len(key);
	EVP_PKEY_CTX *ctx;
	int ret = -EIO, r;

	if (mod == 0 || hash == NULL || hash_len == 0 || sig == NULL)
		return -EINVAL;
	/* A SIG payload of any other length is malformed, not "almost right". */
	if (sig_len != mod)
		return -EBADMSG;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (ctx == NULL)
		return -ENOMEM;
	if (EVP_PKEY_verify_init(ctx) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1)
		goto out;
	/*
	 * Without a signature md OpenSSL recovers the padded block and compares
	 * it with @hash in full (length and bytes), so a DigestInfo-wrapped
	 * signature of the same hash does not verify.
	 */
	r = EVP_PKEY_verify(ctx, sig, sig_len, hash, hash_len);
	ret = r == 1 ? 0 : -EBADMSG;
out:
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

/* ---- ECDSA (RFC 4754) ---- */

int sig_ecdsa_method(const EVP_PKEY *key)
{
	char curve[64];
	size_t len = 0;

	if (key == NULL || !EVP_PKEY_is_a(key, "EC"))
		return 0;
	if (EVP_PKEY_get_utf8_string_param(key, "group", curve, sizeof(curve), &len) != 1)
		return 0;
	if (strcmp(curve, "prime256v1") == 0 || strcmp(curve, "P-256") == 0)
		return SIG_ECDSA_256;
	if (strcmp(curve, "secp384r1") == 0 || strcmp(curve, "P-384") == 0)
		return SIG_ECDSA_384;
	if (strcmp(curve, "secp521r1") == 0 || strcmp(curve, "P-521") == 0)
		return SIG_ECDSA_521;
	return 0;
}

int sig_auth_method(const EVP_PKEY *key)
{
	if (key == NULL)
		return 0;
	if (EVP_PKEY_is_a(key, "RSA"))
		return SIG_RSA;
	return sig_ecdsa_method(key);
}

/* RFC 4754 s7: each of r and s is the group's field size, big-endian. */
static size_t ecdsa_half(int method)
{
	return method == SIG_ECDSA_256 ? 32 : method == SIG_ECDSA_384 ? 48 : 66;
}

size_t sig_len(const EVP_PKEY *key)
{
	int m = sig_auth_method(key);

	if (m == SIG_RSA)
		return sig_rsa_len(key);
	return m ? 2 * ecdsa_half(m) : 0;
}

int sig_ecdsa_sign(EVP_PKEY *key, const uint8_t *data, size_t data_len, uint8_t *sig,
		   size_t sig_size, size_t *sig_len_out)
{
	int m = sig_ecdsa_method(key);
	size_t half = ecdsa_half(m), der_len = 0;
	uint8_t der[160];
	const unsigned char *p = der;
	EVP_PKEY_CTX *pc = NULL;
	ECDSA_SIG *es = NULL;
	const BIGNUM *r, *s;
	int ret = -EIO;

	if (m == 0 || data == NULL || data_len == 0 || sig == NULL || sig_len_out == NULL)
		return -EINVAL;
	if (sig_size < 2 * half)
		return -ENOBUFS;
	pc = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (pc == NULL)
		return -ENOMEM;
	der_len = sizeof(der);
	/* IKEv1 (strongSwan's SIGN_ECDSA_WITH_NULL): HASH_I/HASH_R is the
	 * digest ECDSA signs, not hashed again (a PRF output longer than the
	 * group order is truncated as any digest); r | s as RFC 4754 s7. */
	if (EVP_PKEY_sign_init(pc) != 1 || EVP_PKEY_sign(pc, der, &der_len, data, data_len) != 1)
		goto out;
	es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (es == NULL)
		goto out;
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, sig, (int)half) != (int)half ||
	    BN_bn2binpad(s, sig + half, (int)half) != (int)half)
		goto out;
	*sig_len_out = 2 * half;
	ret = 0;
out:
	ECDSA_SIG_free(es);
	EVP_PKEY_CTX_free(pc);
	return ret;
}

int sig_ecdsa_verify(EVP_PKEY *key, const uint8_t *data, size_t data_len, const uint8_t *sig,
		     size_t sig_len_in)
{
	int m = sig_ecdsa_method(key);
	size_t half = ecdsa_half(m);
	unsigned char *der = NULL;
	EVP_PKEY_CTX *pc = NULL;
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;
	int der_len, ret = -EIO;

	if (m == 0 || data == NULL || data_len == 0 || sig == NULL)
		return -EINVAL;
	if (sig_len_in != 2 * half)
		return -EBADMSG;
	es = ECDSA_SIG_new();
	r = BN_bin2bn(sig, (int)half, NULL);
	s = BN_bin2bn(sig + half, (int)half, NULL);
	if (es == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(es, r, s) != 1) {
		BN_free(r);
		BN_free(s);
		ret = -ENOMEM;
		goto out;
	}
	der_len = i2d_ECDSA_SIG(es, &der);
	pc = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	if (der_len <= 0 || pc == NULL || EVP_PKEY_verify_init(pc) != 1)
		goto out;
	ret = EVP_PKEY_verify(pc, der, (size_t)der_len, data, data_len) == 1 ? 0 : -EBADMSG;
out:
	OPENSSL_free(der);
	EVP_PKEY_CTX_free(pc);
	ECDSA_SIG_free(es);
	return ret;
}

int sig_sign(EVP_PKEY *key, const uint8_t *hash, size_t hash_len, uint8_t *sig, size_t sig_size,
	     size_t *sig_len_out)
{
	if (sig_auth_method(key) == SIG_RSA)
		return sig_rsa_sign(key, hash, hash_len, sig, sig_size, sig_len_out);
	return sig_ecdsa_sign(key, hash, hash_len, sig, sig_size, sig_len_out);
}

int sig_verify(EVP_PKEY *key, int method, const uint8_t *hash, size_t hash_len, const uint8_t *sig,
	       size_t sig_len_in)
{
	int m = sig_auth_method(key);

	/* The negotiated method fixes the key type (RFC 4754 s3). */
	if (m == 0 || m != method)
		return -EBADMSG;
	if (m == SIG_RSA)
		return sig_rsa_verify(key, hash, hash_len, sig, sig_len_in);
	return sig_ecdsa_verify(key, hash, hash_len, sig, sig_len_in);
}
