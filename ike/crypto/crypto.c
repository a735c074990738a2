// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKEv1 primitives over OpenSSL 3 EVP: hash, HMAC prf and its App. B
 * expansion, CBC ciphers, ISAKMP padding. Diffie-Hellman is in
 * crypto_dh.c, random bytes in crypto_random.c.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "ike/crypto/crypto.h"

/* ---- fetched algorithms ------------------------------------------------ */

/*
 * OpenSSL 3 looks an algorithm up in its provider tables on every
 * EVP_DigestInit_ex2()/EVP_CipherInit_ex2() given a legacy EVP_sha256()-style
 * object, and a PRF through EVP_MAC_fetch() and the HMAC digest parameter
 * fetched twice: 0.4 us of the 1.1 us of a PRF, for dozens of PRFs, hashes
 * and CBC operations per tunnel on the event loop. So each algorithm is
 * fetched once (pthread_once) and shared read-only by every thread, HMAC as
 * one template context per hash with the digest set and no key
 * (EVP_MAC_CTX_dup() per PRF). A failed fetch leaves NULL: that algorithm
 * takes the old path.
 */
#define HASH_SLOTS 7 /* enum ike_hash_alg values are 1..6 */

static struct {
	EVP_MD *md[HASH_SLOTS];
	EVP_MAC_CTX *hmac[HASH_SLOTS];
	EVP_CIPHER *aes_cbc[3]; /* 128, 192, 256 */
	EVP_CIPHER *des3_cbc;
} fetched;
static pthread_once_t fetched_once = PTHREAD_ONCE_INIT;

static void fetch_all(void)
{
	static const enum ike_hash_alg hashes[] = { IKE_HASH_MD5, IKE_HASH_SHA1, IKE_HASH_SHA2_256,
						    IKE_HASH_SHA2_384, IKE_HASH_SHA2_512 };
	static const char *const aes[] = { "AES-128-CBC", "AES-192-CBC", "AES-256-CBC" };
	EVP_MAC *mac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);

	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		enum ike_hash_alg alg = hashes[i];
		OSSL_PARAM params[2];

		fetched.md[alg] = EVP_MD_fetch(NULL, crypto_hash_name(alg), NULL);
		if (mac == NULL || fetched.md[alg] == NULL)
			continue;
		fetched.hmac[alg] = EVP_MAC_CTX_new(mac);
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_MAC_PARAM_DIGEST, (char *)EVP_MD_get0_name(fetched.md[alg]), 0);
		params[1] = OSSL_PARAM_construct_end();
		if (fetched.hmac[alg] != NULL &&
		    EVP_MAC_CTX_set_params(fetched.hmac[alg], params) != 1) {
			EVP_MAC_CTX_free(fetched.hmac[alg]);
			fetched.hmac[alg] = NULL;
		}
	}
	EVP_MAC_free(mac); /* the contexts hold their own reference */
	for (size_t i = 0; i < 3; i++)
		fetched.aes_cbc[i] = EVP_CIPHER_fetch(NULL, aes[i], NULL);
	fetched.des3_cbc = EVP_CIPHER_fetch(NULL, "DES-EDE3-CBC", NULL);
}

static void fetch_once(void)
{
	pthread_once(&fetched_once, fetch_all);
}

/* ---- hash and prf ------------------------------------------------------ */

bool crypto_hash_allowed(enum ike_hash_alg alg, unsigned int flags)
{
	switch (alg) {
	case IKE_HASH_MD5:
		return (flags & CRYPTO_F_LEGACY) != 0;
	case IKE_HASH_SHA1:
	case IKE_HASH_SHA2_256:
	case IKE_HASH_SHA2_384:
	case IKE_HASH_SHA2_512:
		return true;
	}
	return false;
}

const EVP_MD *crypto_hash_md(enum ike_hash_alg alg)
{
	if ((unsigned)alg < HASH_SLOTS) {
		fetch_once();
		if (fetched.md[alg] != NULL)
			return fetched.md[alg];
	}
	/* Not fetched: the legacy getters (fetched at each use). */
	switch (alg) {
	case IKE_HASH_MD5:
		return EVP_md5();
	case IKE_HASH_SHA1:
		return EVP_sha1();
	case IKE_HASH_SHA2_256:
		return EVP_sha256();
	case IKE_HASH_SHA2_384:
		return EVP_sha384();
	case IKE_HASH_SHA2_512:
		return EVP_sha512();
	}
	return NULL;
}

size_t crypto_hash_len(enum ike_hash_alg alg)
{
	switch (alg) {
	case IKE_HASH_MD5:
		return 16;
	case IKE_HASH_SHA1:
		return 20;
	case IKE_HASH_SHA2_256:
		return 32;
	case IKE_HASH_SHA2_384:
		return 48;
	case IKE_HASH_SHA2_512:
		return 64;
	}
	return 0;
}

const char *crypto_hash_name(enum ike_hash_alg alg)
{
	switch (alg) {
	case IKE_HASH_MD5:
		return "MD5";
	case IKE_HASH_SHA1:
		return "SHA1";
	case IKE_HASH_SHA2_256:
		return "SHA2-256";
	case IKE_HASH_SHA2_384:
		return "SHA2-384";
	case IKE_HASH_SHA2_512:
		return "SHA2-512";
	}
	return "unknown";
}

static bool chunks_valid(const struct crypto_chunk *in, size_t n)
{
	if (n > 0 && in == NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		if (in[i].len > 0 && in[i].ptr == NULL)
			return false;
	return true;
}

int crypto_hash(enum ike_hash_alg alg, const struct crypto_chunk *in, size_t n, uint8_t *out,
		size_t out_size)
{
	const EVP_MD *md = crypto_hash_md(alg);
	size_t len = crypto_hash_len(alg);
	unsigned int got = 0;
	EVP_MD_CTX *ctx;
	int ret = -EIO;

	if (md == NULL || out == NULL || !chunks_valid(in, n))
		return -EINVAL;
	if (out_size < len)
		return -ENOBUFS;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return -ENOMEM;
	if (EVP_DigestInit_ex2(ctx, md, NULL) != 1)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (in[i].len > 0 && EVP_DigestUpdate(ctx, in[i].ptr, in[i].len) != 1)
			goto out;
	if (EVP_DigestFinal_ex(ctx, out, &got) != 1 || got != len)
		goto out;
	ret = (int)len;
out:
	EVP_MD_CTX_free(ctx);
	return ret;
}

int crypto_prf(enum ike_hash_alg alg, const uint8_t *key, size_t key_len,
	       const struct crypto_chunk *in, size_t n, uint8_t *out, size_t out_size)
{
	const char *mdname;
	size_t len = crypto_hash_len(alg);
	size_t got = 0;
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[2];
	int ret = -EIO;

	if (len == 0 || key == NULL || key_len == 0 || out == NULL || !chunks_valid(in, n))
		return -EINVAL;
	if (out_size < len)
		return -ENOBUFS;
	fetch_once();
	if (fetched.hmac[alg] != NULL) {
		ctx = EVP_MAC_CTX_dup(fetched.hmac[alg]);
		if (ctx == NULL)
			return -ENOMEM;
		params[0] = OSSL_PARAM_construct_end();
	} else {
		mdname = EVP_MD_get0_name(crypto_hash_md(alg));
		mac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
		if (mac == NULL)
			return -ENOTSUP;
		ctx = EVP_MAC_CTX_new(mac);
		if (ctx == NULL) {
			ret = -ENOMEM;
			goto out;
		}
		params[0] =
			OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)mdname, 0);
		params[1] = OSSL_PARAM_construct_end();
	}
	if (EVP_MAC_init(ctx, key, key_len, params) != 1) {
		ret = -ENOTSUP;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (in[i].len > 0 && EVP_MAC_update(ctx, in[i].ptr, in[i].len) != 1)
			goto out;
	if (EVP_MAC_final(ctx, out, &got, out_size) != 1 || got != len)
		goto out;
	ret = (int)len;
out:
	/* The MAC context holds the (derived) key: freeing it clears it. */
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

/* Enough chunks for any caller of the expansion (App. B inputs are short). */
#define PRF_EXPAND_MAX_CHUNKS 15

int crypto_prf_expand(enum ike_hash_alg alg, const uint8_t *key, size_t key_len,
		      const struct crypto_chunk *in, size_t n, uint8_t *out, size_t out_len)
{
	struct crypto_chunk chain[PRF_EXPAND_MAX_CHUNKS + 1];
	uint8_t block[CRYPTO_HASH_MAX_LEN];
	size_t len = crypto_hash_len(alg);
	size_t done = 0;
	int ret = 0;

	if (len == 0 || out == NULL || n > PRF_EXPAND_MAX_CHUNKS || !chunks_valid(in, n))
		return -EINVAL;
	/* 2409-B.b: BLOCK1 = prf(K, data), BLOCKn+1 = prf(K, BLOCKn | data). */
	chain[0] = CRYPTO_CHUNK(block, 0);
	for (size_t i = 0; i < n; i++)
		chain[i + 1] = in[i];
	while (done < out_len) {
		size_t take = out_len - done < len ? out_len - done : len;

		ret = crypto_prf(alg, key, key_len, chain, n + 1, block, sizeof(block));
		if (ret < 0)
			goto out;
		memcpy(out + done, block, take);
		done += take;
		chain[0].len = len;
	}
	ret = 0;
out:
	OPENSSL_cleanse(block, sizeof(block));
	if (ret < 0)
		OPENSSL_cleanse(out, out_len);
	return ret;
}

/* ---- ciphers ----------------------------------------------------------- */

bool crypto_cipher_allowed(enum ike_cipher_alg alg, unsigned int key_bits, unsigned int flags)
{
	if (crypto_cipher_key_len(alg, key_bits) < 0)
		return false;
	if (alg == IKE_CIPHER_3DES_CBC)
		return (flags & CRYPTO_F_LEGACY) != 0;
	return true;
}

int crypto_cipher_key_len(enum ike_cipher_alg alg, unsigned int key_bits)
{
	switch (alg) {
	case IKE_CIPHER_3DES_CBC:
		/* 2409-A.b: no Key Length for fixed-length ciphers; tolerate 192. */
		return key_bits == 0 || key_bits == 192 ? 24 : -EINVAL;
	case IKE_CIPHER_AES_CBC:
		if (key_bits == 128 || key_bits == 192 || key_bits == 256)
			return (int)(key_bits / 8);
		return -EINVAL;
	}
	return -EINVAL;
}

size_t crypto_cipher_block_len(enum ike_cipher_alg alg)
{
	switch (alg) {
	case IKE_CIPHER_3DES_CBC:
		return 8;
	case IKE_CIPHER_AES_CBC:
		return 16;
	}
	return 0;
}

const char *crypto_cipher_name(enum ike_cipher_alg alg)
{
	switch (alg) {
	case IKE_CIPHER_3DES_CBC:
		return "3DES-CBC";
	case IKE_CIPHER_AES_CBC:
		return "AES-CBC";
	}
	return "unknown";
}

static const EVP_CIPHER *cipher_evp(enum ike_cipher_alg alg, size_t key_len)
{
	fetch_once();
	switch (alg) {
	case IKE_CIPHER_3DES_CBC:
		if (key_len != 24)
			return NULL;
		return fetched.des3_cbc ? fetched.des3_cbc : EVP_des_ede3_cbc();
	case IKE_CIPHER_AES_CBC:
		switch (key_len) {
		case 16:
			return fetched.aes_cbc[0] ? fetched.aes_cbc[0] : EVP_aes_128_cbc();
		case 24:
			return fetched.aes_cbc[1] ? fetched.aes_cbc[1] : EVP_aes_192_cbc();
		case 32:
			return fetched.aes_cbc[2] ? fetched.aes_cbc[2] : EVP_aes_256_cbc();
		}
		return NULL;
	}
	return NULL;
}

static int cbc_crypt(enum ike_cipher_alg alg, const uint8_t *key, size_t key_len, const uint8_t *iv,
		     const uint8_t *in, size_t len, uint8_t *out, uint8_t *next_iv, int enc)
{
	const EVP_CIPHER *cipher = cipher_evp(alg, key_len);
	size_t block = crypto_cipher_block_len(alg);
	uint8_t last[CRYPTO_BLOCK_MAX_LEN];
	EVP_CIPHER_CTX *ctx;
	int outl = 0, fin = 0;
	int ret = -EIO;

	if (cipher == NULL || key == NULL || iv == NULL || in == NULL || out == NULL)
		return -EINVAL;
	if (len == 0 || len % block != 0 || len > INT32_MAX)
		return enc ? -EINVAL : -EBADMSG;
	/* Save the last ciphertext block before an in-place decryption overwrites it. */
	if (!enc)
		memcpy(last, in + len - block, block);
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL)
		return -ENOMEM;
	if (EVP_CipherInit_ex2(ctx, cipher, key, iv, enc, NULL) != 1)
		goto out;
	/* IKE pads itself (2409-B.g); OpenSSL must not add or strip PKCS#7. */
	if (EVP_CIPHER_CTX_set_padding(ctx, 0) != 1)
		goto out;
	if (EVP_CipherUpdate(ctx, out, &outl, in, (int)len) != 1 || (size_t)outl != len)
		goto out;
	if (EVP_CipherFinal_ex(ctx, out + outl, &fin) != 1 || fin != 0)
		goto out;
	if (enc)
		memcpy(last, out + len - block, block);
	if (next_iv != NULL)
		memcpy(next_iv, last, block);
	ret = 0;
out:
	/* The context holds the key schedule: freeing it clears it. */
	EVP_CIPHER_CTX_free(ctx);
	if (ret < 0)
		OPENSSL_cleanse(out, len);
	return ret;
}

int crypto_cbc_encrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t key_len,
		       const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
		       uint8_t *next_iv)
{
	return cbc_crypt(alg, key, key_len, iv, in, len, out, next_iv, 1);
}

int crypto_cbc_decrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t key_len,
		       const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
		       uint8_t *next_iv)
{
	return cbc_crypt(alg, key, key_len, iv, in, len, out, next_iv, 0);
}

/* ---- padding ----------------------------------------------------------- */

size_t crypto_pad_len(size_t plain_len, size_t block_len)
{
	if (block_len == 0)
		return 0;
	/* Always at least one byte, so the last byte can carry the count. */
	return block_len - plain_len % block_len;
}

void crypto_pad_write(uint8_t *dst, size_t pad_len)
{
	if (dst == NULL || pad_len == 0)
		return;
	memset(dst, 0, pad_len);
	/* Number of pad bytes before this one (racoon pad_excltail). */
	dst[pad_len - 1] = (uint8_t)(pad_len - 1);
}

/* ---- comparison --------------------------------------------------------- */

bool crypto_memeq(const void *a, const void *b, size_t len)
{
	/* No early exit: the time must not depend on where a forged hash differs. */
	return CRYPTO_memcmp(a, b, len) == 0;
}
