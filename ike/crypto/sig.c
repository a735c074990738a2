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
#include <openssl/rsa.h>

#include "ike/crypto/crypto_file.h"
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
	if (!EVP_PKEY_is_a(key, "RSA")) {
		EVP_PKEY_free(key);
		return -ENOTSUP;
	}
	*out = key;
	return 0;
}

static int key_parse(const uint8_t *buf, size_t len, void *out)
{
	return sig_key_from_pem(buf, len, out);
}

int sig_key_load_pem(const char *path, EVP_PKEY **out)
{
	return crypto_file_load(path, key_parse, out);
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
