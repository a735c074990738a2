// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKEv1 key derivation (RFC 2409 s5, s5.5, s5.7, App. B).
 *
 * Derivations work on locals and copy into the caller's struct only after
 * every step succeeded; one out: label wipes every intermediate secret.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/crypto/keys.h"

/* 2409-5.e: nonce data is 8..256 bytes; SIG SKEYID keys on Ni_b | Nr_b. */
#define KEYS_NONCE_MAX 256

static void msgid_encode(uint32_t msgid, uint8_t out[4])
{
	/* The M-ID as it appears in the ISAKMP header: network order. */
	out[0] = (uint8_t)(msgid >> 24);
	out[1] = (uint8_t)(msgid >> 16);
	out[2] = (uint8_t)(msgid >> 8);
	out[3] = (uint8_t)msgid;
}

static bool chunk_ok(struct crypto_chunk c)
{
	return c.len == 0 || c.ptr != NULL;
}

static bool chunk_set(struct crypto_chunk c)
{
	return c.len > 0 && c.ptr != NULL;
}

int keys_phase1_iv(enum ike_hash_alg hash, struct crypto_chunk gxi, struct crypto_chunk gxr,
		   size_t block_len, uint8_t *iv)
{
	uint8_t h[CRYPTO_HASH_MAX_LEN];
	const struct crypto_chunk in[] = { gxi, gxr };
	int ret;

	if (iv == NULL || block_len == 0 || !chunk_set(gxi) || !chunk_set(gxr))
		return -EINVAL;
	/* 2409-B.e: IV = hash(g^xi | g^xr), cut to the block size. */
	ret = crypto_hash(hash, in, 2, h, sizeof(h));
	if (ret < 0)
		return ret;
	if ((size_t)ret < block_len)
		return -EINVAL;
	memcpy(iv, h, block_len);
	return 0;
}

int keys_phase1_derive(const struct keys_phase1_in *in, struct keys_phase1 *out)
{
	struct keys_phase1 k;
	uint8_t nonces[2 * KEYS_NONCE_MAX];
	uint8_t kn[CRYPTO_HASH_MAX_LEN];
	const uint8_t zero = 0, one = 1, two = 2;
	int key_len, ret;

	if (in == NULL || out == NULL)
		return -EINVAL;
	memset(&k, 0, sizeof(k));
	k.hash = in->hash;
	k.cipher = in->cipher;
	k.prf_len = crypto_hash_len(in->hash);
	k.block_len = crypto_cipher_block_len(in->cipher);
	key_len = crypto_cipher_key_len(in->cipher, in->key_bits);
	ret = -EINVAL;
	if (k.prf_len == 0 || k.block_len == 0 || key_len < 0)
		goto out;
	k.enc_key_len = (size_t)key_len;
	if (!chunk_set(in->ni_b) || !chunk_set(in->nr_b) || !chunk_set(in->gxy) ||
	    in->ni_b.len > KEYS_NONCE_MAX || in->nr_b.len > KEYS_NONCE_MAX)
		goto out;

	/* SKEYID (2409-5.k / 5.l). */
	if (in->auth == KEYS_AUTH_PSK) {
		const struct crypto_chunk c[] = { in->ni_b, in->nr_b };

		if (!chunk_set(in->psk))
			goto out;
		ret = crypto_prf(k.hash, in->psk.ptr, in->psk.len, c, 2, k.skeyid,
				 sizeof(k.skeyid));
	} else if (in->auth == KEYS_AUTH_SIG) {
		const struct crypto_chunk c[] = { in->gxy };

		/* The nonces are the HMAC key: make them one contiguous key. */
		memcpy(nonces, in->ni_b.ptr, in->ni_b.len);
		memcpy(nonces + in->ni_b.len, in->nr_b.ptr, in->nr_b.len);
		ret = crypto_prf(k.hash, nonces, in->ni_b.len + in->nr_b.len, c, 1, k.skeyid,
				 sizeof(k.skeyid));
	} else {
		ret = -EINVAL;
	}
	if (ret < 0)
		goto out;

	/* SKEYID_d, _a, _e (2409-5.n). */
	{
		const struct crypto_chunk cd[] = { in->gxy, CRYPTO_CHUNK(in->cky_i, IKE_COOKIE_LEN),
						   CRYPTO_CHUNK(in->cky_r, IKE_COOKIE_LEN),
						   CRYPTO_CHUNK(&zero, 1) };
		const struct crypto_chunk ca[] = { CRYPTO_CHUNK(k.skeyid_d, k.prf_len), in->gxy,
						   CRYPTO_CHUNK(in->cky_i, IKE_COOKIE_LEN),
						   CRYPTO_CHUNK(in->cky_r, IKE_COOKIE_LEN),
						   CRYPTO_CHUNK(&one, 1) };
		const struct crypto_chunk ce[] = { CRYPTO_CHUNK(k.skeyid_a, k.prf_len), in->gxy,
						   CRYPTO_CHUNK(in->cky_i, IKE_COOKIE_LEN),
						   CRYPTO_CHUNK(in->cky_r, IKE_COOKIE_LEN),
						   CRYPTO_CHUNK(&two, 1) };

		ret = crypto_prf(k.hash, k.skeyid, k.prf_len, cd, 4, k.skeyid_d,
				 sizeof(k.skeyid_d));
		if (ret < 0)
			goto out;
		ret = crypto_prf(k.hash, k.skeyid, k.prf_len, ca, 5, k.skeyid_a,
				 sizeof(k.skeyid_a));
		if (ret < 0)
			goto out;
		ret = crypto_prf(k.hash, k.skeyid, k.prf_len, ce, 5, k.skeyid_e,
				 sizeof(k.skeyid_e));
		if (ret < 0)
			goto out;
	}

	/*
	 * Encryption key (2409-B.c): the first bytes of SKEYID_e if it is long
	 * enough, else of K1 | K2 | ... with K1 = prf(SKEYID_e, 0) and
	 * Kn+1 = prf(SKEYID_e, Kn). This is not the generic 2409-B.b
	 * expansion: Kn+1 has no "data" after Kn.
	 */
	if (k.prf_len >= k.enc_key_len) {
		memcpy(k.enc_key, k.skeyid_e, k.enc_key_len);
	} else {
		struct crypto_chunk c = CRYPTO_CHUNK(&zero, 1);
		size_t done = 0;

		while (done < k.enc_key_len) {
			size_t take = k.enc_key_len - done;

			ret = crypto_prf(k.hash, k.skeyid_e, k.prf_len, &c, 1, kn, sizeof(kn));
			if (ret < 0)
				goto out;
			if (take > k.prf_len)
				take = k.prf_len;
			memcpy(k.enc_key + done, kn, take);
			done += take;
			c = CRYPTO_CHUNK(kn, k.prf_len);
		}
	}

	ret = keys_phase1_iv(k.hash, in->gxi, in->gxr, k.block_len, k.iv);
	if (ret < 0)
		goto out;

	memcpy(out, &k, sizeof(k));
	ret = 0;
out:
	OPENSSL_cleanse(&k, sizeof(k));
	OPENSSL_cleanse(nonces, sizeof(nonces));
	OPENSSL_cleanse(kn, sizeof(kn));
	return ret;
}

void keys_phase1_wipe(struct keys_phase1 *k)
{
	if (k != NULL)
		OPENSSL_cleanse(k, sizeof(*k));
}

static bool phase1_ok(const struct keys_phase1 *k)
{
	return k != NULL && k->prf_len > 0 && k->prf_len == crypto_hash_len(k->hash);
}

/* prf(SKEYID, a | b | c1 | c2 | sa | id): the common shape of HASH_I and HASH_R. */
static int auth_hash(const struct keys_phase1 *k, struct crypto_chunk a, struct crypto_chunk b,
		     const uint8_t *c1, const uint8_t *c2, struct crypto_chunk sa,
		     struct crypto_chunk id, uint8_t *out, size_t out_size)
{
	const struct crypto_chunk in[] = {
		a, b, CRYPTO_CHUNK(c1, IKE_COOKIE_LEN), CRYPTO_CHUNK(c2, IKE_COOKIE_LEN), sa, id
	};

	if (!phase1_ok(k) || c1 == NULL || c2 == NULL || !chunk_set(a) || !chunk_set(b) ||
	    !chunk_set(sa) || !chunk_set(id))
		return -EINVAL;
	return crypto_prf(k->hash, k->skeyid, k->prf_len, in, 6, out, out_size);
}

int keys_hash_i(const struct keys_phase1 *k, struct crypto_chunk gxi, struct crypto_chunk gxr,
		const uint8_t *cky_i, const uint8_t *cky_r, struct crypto_chunk sai_b,
		struct crypto_chunk idii_b, uint8_t *out, size_t out_size)
{
	/* 2409-5.o: HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b) */
	return auth_hash(k, gxi, gxr, cky_i, cky_r, sai_b, idii_b, out, out_size);
}

int keys_hash_r(const struct keys_phase1 *k, struct crypto_chunk gxi, struct crypto_chunk gxr,
		const uint8_t *cky_i, const uint8_t *cky_r, struct crypto_chunk sai_b,
		struct crypto_chunk idir_b, uint8_t *out, size_t out_size)
{
	/* 2409-5.o: HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b) */
	return auth_hash(k, gxr, gxi, cky_r, cky_i, sai_b, idir_b, out, out_size);
}

int keys_phase2_iv(const struct keys_phase1 *k, const uint8_t *last_block, uint32_t msgid,
		   uint8_t *iv)
{
	uint8_t m[4], h[CRYPTO_HASH_MAX_LEN];
	struct crypto_chunk in[2];
	int ret;

	if (!phase1_ok(k) || last_block == NULL || iv == NULL || k->block_len == 0 ||
	    k->block_len > CRYPTO_BLOCK_MAX_LEN)
		return -EINVAL;
	msgid_encode(msgid, m);
	in[0] = CRYPTO_CHUNK(last_block, k->block_len);
	in[1] = CRYPTO_CHUNK(m, 4);
	/* 2409-B.h/i: IV = hash(last Phase 1 CBC block | M-ID). */
	ret = crypto_hash(k->hash, in, 2, h, sizeof(h));
	if (ret < 0)
		return ret;
	if ((size_t)ret < k->block_len)
		return -EINVAL;
	memcpy(iv, h, k->block_len);
	return 0;
}

/* Up to this many payload chunks may follow the HASH payload. */
#define KEYS_MAX_PAYLOAD_CHUNKS 12

/* prf(SKEYID_a, [pre] | M-ID | [n1] | payloads): HASH(1), HASH(2) and Informational. */
static int msg_hash(const struct keys_phase1 *k, uint32_t msgid, struct crypto_chunk ni_b,
		    const struct crypto_chunk *payloads, size_t n, uint8_t *out, size_t out_size)
{
	struct crypto_chunk in[KEYS_MAX_PAYLOAD_CHUNKS + 2];
	uint8_t m[4];
	size_t c = 0;

	if (!phase1_ok(k) || n > KEYS_MAX_PAYLOAD_CHUNKS || (n > 0 && payloads == NULL) ||
	    !chunk_ok(ni_b))
		return -EINVAL;
	msgid_encode(msgid, m);
	in[c++] = CRYPTO_CHUNK(m, 4);
	if (ni_b.len > 0)
		in[c++] = ni_b;
	for (size_t i = 0; i < n; i++)
		in[c++] = payloads[i];
	return crypto_prf(k->hash, k->skeyid_a, k->prf_len, in, c, out, out_size);
}

int keys_qm_hash1(const struct keys_phase1 *k, uint32_t msgid, const struct crypto_chunk *payloads,
		  size_t n, uint8_t *out, size_t out_size)
{
	/* 2409-5.5.f: HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [| KE] [| IDci | IDcr]) */
	return msg_hash(k, msgid, CRYPTO_CHUNK(NULL, 0), payloads, n, out, out_size);
}

int keys_qm_hash2(const struct keys_phase1 *k, uint32_t msgid, struct crypto_chunk ni_b,
		  const struct crypto_chunk *payloads, size_t n, uint8_t *out, size_t out_size)
{
	/* 2409-5.5.g: HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr [| KE] [| IDci | IDcr]) */
	if (!chunk_set(ni_b))
		return -EINVAL;
	return msg_hash(k, msgid, ni_b, payloads, n, out, out_size);
}

int keys_qm_hash3(const struct keys_phase1 *k, uint32_t msgid, struct crypto_chunk ni_b,
		  struct crypto_chunk nr_b, uint8_t *out, size_t out_size)
{
	const uint8_t zero = 0;
	uint8_t m[4];
	struct crypto_chunk in[4];

	if (!phase1_ok(k) || !chunk_set(ni_b) || !chunk_set(nr_b))
		return -EINVAL;
	msgid_encode(msgid, m);
	/* 2409-5.5.h: HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) */
	in[0] = CRYPTO_CHUNK(&zero, 1);
	in[1] = CRYPTO_CHUNK(m, 4);
	in[2] = ni_b;
	in[3] = nr_b;
	return crypto_prf(k->hash, k->skeyid_a, k->prf_len, in, 4, out, out_size);
}

int keys_msg_hash(const struct keys_phase1 *k, uint32_t msgid, const struct crypto_chunk *payloads,
		  size_t n, uint8_t *out, size_t out_size)
{
	/* 2409-5.7.a: HASH(1) = prf(SKEYID_a, M-ID | N/D); MC5-3.1.a the same over ATTR. */
	return msg_hash(k, msgid, CRYPTO_CHUNK(NULL, 0), payloads, n, out, out_size);
}

int keys_keymat(const struct keys_phase1 *k, struct crypto_chunk gqm_xy, uint8_t protocol,
		struct crypto_chunk spi, struct crypto_chunk ni_b, struct crypto_chunk nr_b,
		uint8_t *out, size_t out_len)
{
	struct crypto_chunk in[5];
	size_t c = 0;

	if (!phase1_ok(k) || out == NULL || !chunk_ok(gqm_xy) || !chunk_set(spi) ||
	    !chunk_set(ni_b) || !chunk_set(nr_b))
		return -EINVAL;
	/*
	 * 2409-5.5.j/l: Kn+1 = prf(SKEYID_d, Kn | [g(qm)^xy |] protocol | SPI |
	 * Ni_b | Nr_b), which is exactly the App. B expansion (2409-B.b) with
	 * data = [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b.
	 */
	if (gqm_xy.len > 0)
		in[c++] = gqm_xy;
	in[c++] = CRYPTO_CHUNK(&protocol, 1);
	in[c++] = spi;
	in[c++] = ni_b;
	in[c++] = nr_b;
	return crypto_prf_expand(k->hash, k->skeyid_d, k->prf_len, in, c, out, out_len);
}

int keys_esp_lengths(enum keys_esp_transform transform, unsigned int key_bits,
		     enum keys_esp_auth auth, size_t *enc_len, size_t *salt_len, size_t *integ_len)
{
	size_t e, s = 0, i;
	bool aead = false;

	if (enc_len == NULL || salt_len == NULL || integ_len == NULL)
		return -EINVAL;
	switch (transform) {
	case KEYS_ESP_3DES:
		if (key_bits != 0 && key_bits != 192)
			return -EINVAL;
		e = 24;
		break;
	case KEYS_ESP_NULL:
		if (key_bits != 0)
			return -EINVAL;
		e = 0;
		break;
	case KEYS_ESP_AES_CBC:
	case KEYS_ESP_AES_GCM_8:
	case KEYS_ESP_AES_GCM_12:
	case KEYS_ESP_AES_GCM_16:
		/* 2407-4.5.d: Key Length is required for AES. */
		if (key_bits != 128 && key_bits != 192 && key_bits != 256)
			return -EINVAL;
		e = key_bits / 8;
		if (transform != KEYS_ESP_AES_CBC) {
			/* RFC 4106 8.1: KEYMAT = key | 4-byte salt. */
			aead = true;
			s = 4;
		}
		break;
	default:
		return -EINVAL;
	}
	switch (auth) {
	case KEYS_AUTH_NONE:
		i = 0;
		break;
	case KEYS_AUTH_HMAC_MD5:
		i = 16;
		break;
	case KEYS_AUTH_HMAC_SHA1:
		i = 20;
		break;
	case KEYS_AUTH_HMAC_SHA2_256:
		i = 32;
		break;
	case KEYS_AUTH_HMAC_SHA2_384:
		i = 48;
		break;
	case KEYS_AUTH_HMAC_SHA2_512:
		i = 64;
		break;
	default:
		return -EINVAL;
	}
	/* AEAD carries its own integrity; everything else needs an auth algorithm. */
	if (aead != (auth == KEYS_AUTH_NONE))
		return -EINVAL;
	*enc_len = e + s;
	*salt_len = s;
	*integ_len = i;
	return 0;
}

int keys_child_derive(const struct keys_phase1 *k, struct crypto_chunk gqm_xy, uint8_t protocol,
		      struct crypto_chunk spi, struct crypto_chunk ni_b, struct crypto_chunk nr_b,
		      enum keys_esp_transform transform, unsigned int key_bits,
		      enum keys_esp_auth auth, struct keys_child *out)
{
	uint8_t keymat[KEYS_CHILD_ENC_MAX + KEYS_CHILD_INTEG_MAX];
	struct keys_child c;
	int ret;

	if (out == NULL)
		return -EINVAL;
	memset(&c, 0, sizeof(c));
	ret = keys_esp_lengths(transform, key_bits, auth, &c.enc_len, &c.salt_len, &c.integ_len);
	if (ret < 0)
		goto out;
	ret = keys_keymat(k, gqm_xy, protocol, spi, ni_b, nr_b, keymat, c.enc_len + c.integ_len);
	if (ret < 0)
		goto out;
	/* 2409-5.5.m: encryption key from the left-most bits, integrity key next. */
	memcpy(c.enc, keymat, c.enc_len);
	memcpy(c.integ, keymat + c.enc_len, c.integ_len);
	memcpy(out, &c, sizeof(c));
	ret = 0;
out:
	OPENSSL_cleanse(keymat, sizeof(keymat));
	OPENSSL_cleanse(&c, sizeof(c));
	return ret;
}

void keys_child_wipe(struct keys_child *c)
{
	if (c != NULL)
		OPENSSL_cleanse(c, sizeof(*c));
}
