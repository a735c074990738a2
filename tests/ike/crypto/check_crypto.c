// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Primitives: hash/HMAC/prf expansion, CBC, padding, DH, random. Reference
 * values come from tests/vectors/crypto/gen_prims.py (hashlib/hmac,
 * python3-cryptography, RFC 2409/3526 primes, RFC 5114 ECP test data).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "tests/vectors/crypto/prims_vectors.h"

/* ---- hash / prf -------------------------------------------------------- */

START_TEST(test_hash_vectors)
{
	const struct hash_vector *v = &hash_vectors[_i];
	uint8_t out[CRYPTO_HASH_MAX_LEN + 1], exp[160];
	struct crypto_chunk one = CRYPTO_CHUNK(v->msg, v->msg_len);
	struct crypto_chunk three[3] = {
		CRYPTO_CHUNK(v->msg, 3),
		CRYPTO_CHUNK(NULL, 0),
		CRYPTO_CHUNK(v->msg + 3, v->msg_len - 3),
	};
	const EVP_MD *md = crypto_hash_md(v->alg);

	ck_assert_ptr_nonnull(md);
	ck_assert_int_eq(EVP_MD_get_size(md), (int)v->digest_len);
	ck_assert_uint_eq(crypto_hash_len(v->alg), v->digest_len);

	ck_assert_int_eq(crypto_hash(v->alg, &one, 1, out, sizeof(out)), (int)v->digest_len);
	ck_assert_mem_eq(out, v->digest, v->digest_len);
	ck_assert_int_eq(crypto_hash(v->alg, three, 3, out, sizeof(out)), (int)v->digest_len);
	ck_assert_mem_eq(out, v->digest, v->digest_len);

	ck_assert_int_eq(crypto_prf(v->alg, v->key, v->key_len, &one, 1, out, sizeof(out)),
			 (int)v->mac_len);
	ck_assert_mem_eq(out, v->mac, v->mac_len);
	ck_assert_int_eq(crypto_prf(v->alg, v->key, v->key_len, three, 3, out, sizeof(out)),
			 (int)v->mac_len);
	ck_assert_mem_eq(out, v->mac, v->mac_len);

	/* App. B expansion: full length, and a short request is a prefix. */
	ck_assert_int_eq(
		crypto_prf_expand(v->alg, v->key, v->key_len, three, 3, exp, v->expand_len), 0);
	ck_assert_mem_eq(exp, v->expand, v->expand_len);
	memset(exp, 0, sizeof(exp));
	ck_assert_int_eq(crypto_prf_expand(v->alg, v->key, v->key_len, &one, 1, exp, 5), 0);
	ck_assert_mem_eq(exp, v->expand, 5);
	ck_assert_uint_eq(exp[5], 0);

	/* Output buffers one byte short are refused. */
	ck_assert_int_eq(crypto_hash(v->alg, &one, 1, out, v->digest_len - 1), -ENOBUFS);
	ck_assert_int_eq(crypto_prf(v->alg, v->key, v->key_len, &one, 1, out, v->mac_len - 1),
			 -ENOBUFS);
}
END_TEST

START_TEST(test_hash_invalid)
{
	uint8_t out[CRYPTO_HASH_MAX_LEN];
	struct crypto_chunk c = CRYPTO_CHUNK("abc", 3);
	struct crypto_chunk bad = CRYPTO_CHUNK(NULL, 3);

	ck_assert_ptr_null(crypto_hash_md((enum ike_hash_alg)3)); /* Tiger */
	ck_assert_uint_eq(crypto_hash_len((enum ike_hash_alg)7), 0);
	ck_assert_int_eq(crypto_hash((enum ike_hash_alg)3, &c, 1, out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(crypto_hash(IKE_HASH_SHA1, &bad, 1, out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(crypto_prf(IKE_HASH_SHA1, NULL, 0, &c, 1, out, sizeof(out)), -EINVAL);
	ck_assert_str_eq(crypto_hash_name(IKE_HASH_SHA2_256), "SHA2-256");
	ck_assert_str_eq(crypto_hash_name((enum ike_hash_alg)99), "unknown");
}
END_TEST

START_TEST(test_policy_legacy)
{
	ck_assert(!crypto_hash_allowed(IKE_HASH_MD5, 0));
	ck_assert(crypto_hash_allowed(IKE_HASH_MD5, CRYPTO_F_LEGACY));
	ck_assert(crypto_hash_allowed(IKE_HASH_SHA1, 0));
	ck_assert(crypto_hash_allowed(IKE_HASH_SHA2_512, 0));
	ck_assert(!crypto_hash_allowed((enum ike_hash_alg)3, CRYPTO_F_LEGACY));

	ck_assert(!crypto_cipher_allowed(IKE_CIPHER_3DES_CBC, 0, 0));
	ck_assert(crypto_cipher_allowed(IKE_CIPHER_3DES_CBC, 0, CRYPTO_F_LEGACY));
	ck_assert(crypto_cipher_allowed(IKE_CIPHER_AES_CBC, 128, 0));
	ck_assert(!crypto_cipher_allowed(IKE_CIPHER_AES_CBC, 0, 0)); /* Key Length required */
	ck_assert(!crypto_cipher_allowed(IKE_CIPHER_AES_CBC, 512, CRYPTO_F_LEGACY));
	ck_assert(!crypto_cipher_allowed((enum ike_cipher_alg)1, 0, CRYPTO_F_LEGACY)); /* DES */

	ck_assert(!crypto_dh_allowed(IKE_DH_MODP_1024, 0));
	ck_assert(!crypto_dh_allowed(IKE_DH_MODP_1536, 0));
	ck_assert(crypto_dh_allowed(IKE_DH_MODP_1024, CRYPTO_F_LEGACY));
	ck_assert(crypto_dh_allowed(IKE_DH_MODP_2048, 0));
	ck_assert(crypto_dh_allowed(IKE_DH_ECP_521, 0));
	ck_assert(!crypto_dh_allowed((enum ike_dh_group)1, CRYPTO_F_LEGACY));
}
END_TEST

/* ---- CBC --------------------------------------------------------------- */

START_TEST(test_cbc_vectors)
{
	const struct cbc_vector *v = &cbc_vectors[_i];
	size_t bl = crypto_cipher_block_len(v->alg);
	uint8_t buf[80], next[CRYPTO_BLOCK_MAX_LEN], iv2[CRYPTO_BLOCK_MAX_LEN];

	ck_assert_int_eq(crypto_cipher_key_len(v->alg, v->key_bits), (int)v->key_len);
	ck_assert_uint_eq(bl, v->iv_len);

	ck_assert_int_eq(
		crypto_cbc_encrypt(v->alg, v->key, v->key_len, v->iv, v->pt, v->pt_len, buf, next),
		0);
	ck_assert_mem_eq(buf, v->ct, v->ct_len);
	/* 2409-B.f: the next IV is the last ciphertext block. */
	ck_assert_mem_eq(next, v->ct + v->ct_len - bl, bl);

	ck_assert_int_eq(
		crypto_cbc_decrypt(v->alg, v->key, v->key_len, v->iv, v->ct, v->ct_len, buf, next),
		0);
	ck_assert_mem_eq(buf, v->pt, v->pt_len);
	ck_assert_mem_eq(next, v->ct + v->ct_len - bl, bl);

	/* In place, both directions; the next IV survives in-place decryption. */
	memcpy(buf, v->pt, v->pt_len);
	ck_assert_int_eq(
		crypto_cbc_encrypt(v->alg, v->key, v->key_len, v->iv, buf, v->pt_len, buf, NULL),
		0);
	ck_assert_mem_eq(buf, v->ct, v->ct_len);
	ck_assert_int_eq(
		crypto_cbc_decrypt(v->alg, v->key, v->key_len, v->iv, buf, v->ct_len, buf, next),
		0);
	ck_assert_mem_eq(buf, v->pt, v->pt_len);
	ck_assert_mem_eq(next, v->ct + v->ct_len - bl, bl);

	/* Chaining: first block, then the rest with the returned IV = one call. */
	if (v->pt_len > bl) {
		ck_assert_int_eq(
			crypto_cbc_encrypt(v->alg, v->key, v->key_len, v->iv, v->pt, bl, buf, iv2),
			0);
		ck_assert_int_eq(crypto_cbc_encrypt(v->alg, v->key, v->key_len, iv2, v->pt + bl,
						    v->pt_len - bl, buf + bl, NULL),
				 0);
		ck_assert_mem_eq(buf, v->ct, v->ct_len);
	}

	/* No OpenSSL padding: partial blocks are refused, not padded. */
	ck_assert_int_eq(crypto_cbc_encrypt(v->alg, v->key, v->key_len, v->iv, v->pt, v->pt_len - 1,
					    buf, NULL),
			 -EINVAL);
	ck_assert_int_eq(crypto_cbc_decrypt(v->alg, v->key, v->key_len, v->iv, v->ct, v->ct_len - 1,
					    buf, NULL),
			 -EBADMSG);
	ck_assert_int_eq(crypto_cbc_decrypt(v->alg, v->key, v->key_len, v->iv, v->ct, 0, buf, NULL),
			 -EBADMSG);
	/* Wrong key length for the algorithm. */
	ck_assert_int_eq(crypto_cbc_encrypt(v->alg, v->key, v->key_len - 1, v->iv, v->pt, v->pt_len,
					    buf, NULL),
			 -EINVAL);
}
END_TEST

START_TEST(test_cipher_params)
{
	ck_assert_int_eq(crypto_cipher_key_len(IKE_CIPHER_AES_CBC, 128), 16);
	ck_assert_int_eq(crypto_cipher_key_len(IKE_CIPHER_AES_CBC, 192), 24);
	ck_assert_int_eq(crypto_cipher_key_len(IKE_CIPHER_AES_CBC, 256), 32);
	ck_assert_int_eq(crypto_cipher_key_len(IKE_CIPHER_AES_CBC, 0), -EINVAL);
	ck_assert_int_eq(crypto_cipher_key_len(IKE_CIPHER_AES_CBC, 64), -EINVAL);
	ck_assert_int_eq(crypto_cipher_key_len(IKE_CIPHER_3DES_CBC, 0), 24);
	ck_assert_int_eq(crypto_cipher_key_len(IKE_CIPHER_3DES_CBC, 128), -EINVAL);
	ck_assert_uint_eq(crypto_cipher_block_len(IKE_CIPHER_AES_CBC), 16);
	ck_assert_uint_eq(crypto_cipher_block_len(IKE_CIPHER_3DES_CBC), 8);
	ck_assert_uint_eq(crypto_cipher_block_len((enum ike_cipher_alg)1), 0);
	ck_assert_str_eq(crypto_cipher_name(IKE_CIPHER_3DES_CBC), "3DES-CBC");
}
END_TEST

/* ---- padding ----------------------------------------------------------- */

START_TEST(test_padding)
{
	static const size_t blocks[] = { 8, 16 };
	uint8_t buf[32];

	for (size_t b = 0; b < 2; b++) {
		size_t bl = blocks[b];

		for (size_t len = 0; len <= 3 * bl; len++) {
			size_t pad = crypto_pad_len(len, bl);

			/* 1..block bytes, and the total is a whole number of blocks. */
			ck_assert_uint_ge(pad, 1);
			ck_assert_uint_le(pad, bl);
			ck_assert_uint_eq((len + pad) % bl, 0);
			memset(buf, 0xEE, sizeof(buf));
			crypto_pad_write(buf, pad);
			ck_assert_uint_eq(buf[pad - 1], pad - 1);
			for (size_t i = 0; i + 1 < pad; i++)
				ck_assert_uint_eq(buf[i], 0);
			ck_assert_uint_eq(buf[pad], 0xEE);
		}
	}
	ck_assert_uint_eq(crypto_pad_len(40, 16), 8);
	ck_assert_uint_eq(crypto_pad_len(48, 16), 16);
	ck_assert_uint_eq(crypto_pad_len(7, 0), 0);
}
END_TEST

/* ---- DH ---------------------------------------------------------------- */

/* Big-endian arithmetic helpers for building invalid peer values. */
static void be_add(uint8_t *v, size_t len, int delta)
{
	int carry = delta;

	for (size_t i = len; i-- > 0 && carry != 0;) {
		int x = v[i] + carry;

		v[i] = (uint8_t)(x & 0xff);
		carry = x >> 8; /* arithmetic shift: -1 for a borrow */
	}
}

START_TEST(test_modp_vectors)
{
	const struct modp_vector *v = &modp_vectors[_i];
	struct crypto_dh *a = NULL, *b = NULL;
	uint8_t pub[CRYPTO_DH_MAX_LEN], z[CRYPTO_DH_MAX_LEN];

	ck_assert_uint_eq(crypto_dh_public_len(v->group), v->p_len);
	ck_assert_uint_eq(crypto_dh_secret_len(v->group), v->p_len);
	ck_assert_int_eq(crypto_dh_from_private(v->group, v->xa, v->xa_len, &a), 0);
	ck_assert_int_eq(crypto_dh_from_private(v->group, v->xb, v->xb_len, &b), 0);
	ck_assert_int_eq(crypto_dh_group(a), v->group);

	/* g^xa with the RFC prime: also proves OpenSSL's named group is the RFC's. */
	ck_assert_int_eq(crypto_dh_public(a, pub, v->ya_len), 0);
	ck_assert_uint_eq(pub[0], 0); /* the vector was chosen with a leading zero */
	ck_assert_mem_eq(pub, v->ya, v->ya_len);
	ck_assert_int_eq(crypto_dh_public(b, pub, v->yb_len), 0);
	ck_assert_mem_eq(pub, v->yb, v->yb_len);
	ck_assert_int_eq(crypto_dh_public(a, pub, v->ya_len - 1), -EINVAL);

	ck_assert_int_eq(crypto_dh_check_peer(v->group, v->yb, v->yb_len), 0);
	ck_assert_int_eq(crypto_dh_compute(a, v->yb, v->yb_len, z, v->z_len), 0);
	ck_assert_uint_eq(z[0], 0); /* left-padded to the prime length */
	ck_assert_mem_eq(z, v->z, v->z_len);
	ck_assert_int_eq(crypto_dh_compute(b, v->ya, v->ya_len, z, v->z_len), 0);
	ck_assert_mem_eq(z, v->z, v->z_len);

	crypto_dh_free(a);
	crypto_dh_free(b);
}
END_TEST

/* Invalid MODP peer values: 0, 1, p-1, p, p+1, 2^n-1, short; 2 and p-2 are valid. */
START_TEST(test_modp_invalid_peer)
{
	const struct modp_vector *v = &modp_vectors[_i];
	struct crypto_dh *a = NULL;
	uint8_t bad[CRYPTO_DH_MAX_LEN], z[CRYPTO_DH_MAX_LEN];
	const size_t n = v->p_len;
	const int deltas[] = { -1, 0, 1 };

	ck_assert_int_eq(crypto_dh_from_private(v->group, v->xa, v->xa_len, &a), 0);
	memset(bad, 0, n);
	ck_assert_int_eq(crypto_dh_check_peer(v->group, bad, n), -EBADMSG);
	memset(z, 0x55, n);
	ck_assert_int_eq(crypto_dh_compute(a, bad, n, z, n), -EBADMSG);
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(z[i], 0); /* wiped on failure */
	bad[n - 1] = 1;
	ck_assert_int_eq(crypto_dh_check_peer(v->group, bad, n), -EBADMSG);
	ck_assert_int_eq(crypto_dh_compute(a, bad, n, z, n), -EBADMSG);
	for (size_t d = 0; d < sizeof(deltas) / sizeof(deltas[0]); d++) {
		memcpy(bad, v->p, n);
		be_add(bad, n, deltas[d]);
		ck_assert_msg(crypto_dh_check_peer(v->group, bad, n) == -EBADMSG,
			      "group %d: p%+d accepted", v->group, deltas[d]);
		ck_assert_int_eq(crypto_dh_compute(a, bad, n, z, n), -EBADMSG);
	}
	memset(bad, 0xff, n);
	ck_assert_int_eq(crypto_dh_check_peer(v->group, bad, n), -EBADMSG);
	/* Range boundaries that are valid: 2 and p-2 (RFC 6989 s2.2: 1 < y < p-1). */
	memset(bad, 0, n);
	bad[n - 1] = 2;
	ck_assert_int_eq(crypto_dh_check_peer(v->group, bad, n), 0);
	memcpy(bad, v->p, n);
	be_add(bad, n, -2);
	ck_assert_int_eq(crypto_dh_check_peer(v->group, bad, n), 0);
	/* Exact length only (2409-5.d): a valid value one byte short or long. */
	ck_assert_int_eq(crypto_dh_check_peer(v->group, v->yb + 1, n - 1), -EBADMSG);
	ck_assert_int_eq(crypto_dh_compute(a, v->yb + 1, n - 1, z, n), -EBADMSG);
	crypto_dh_free(a);
}
END_TEST

START_TEST(test_ecp_vectors)
{
	const struct ecp_vector *v = &ecp_vectors[_i];
	struct crypto_dh *a = NULL, *b = NULL;
	uint8_t pub[CRYPTO_DH_MAX_LEN], z[CRYPTO_DH_MAX_LEN];

	ck_assert_uint_eq(crypto_dh_public_len(v->group), v->qa_len);
	ck_assert_uint_eq(crypto_dh_secret_len(v->group), v->z_len);
	ck_assert_int_eq(crypto_dh_from_private(v->group, v->da, v->da_len, &a), 0);
	ck_assert_int_eq(crypto_dh_from_private(v->group, v->db, v->db_len, &b), 0);
	ck_assert_int_eq(crypto_dh_public(a, pub, v->qa_len), 0);
	ck_assert_msg(memcmp(pub, v->qa, v->qa_len) == 0, "%s: public A", v->src);
	ck_assert_int_eq(crypto_dh_public(b, pub, v->qb_len), 0);
	ck_assert_msg(memcmp(pub, v->qb, v->qb_len) == 0, "%s: public B", v->src);
	ck_assert_int_eq(crypto_dh_check_peer(v->group, v->qb, v->qb_len), 0);
	ck_assert_int_eq(crypto_dh_compute(a, v->qb, v->qb_len, z, v->z_len), 0);
	ck_assert_msg(memcmp(z, v->z, v->z_len) == 0, "%s: shared x", v->src);
	ck_assert_int_eq(crypto_dh_compute(b, v->qa, v->qa_len, z, v->z_len), 0);
	ck_assert_msg(memcmp(z, v->z, v->z_len) == 0, "%s: shared x (B)", v->src);
	crypto_dh_free(a);
	crypto_dh_free(b);
}
END_TEST

/* Invalid ECP peer values: off-curve, coordinate = p, all zero, 0x04-prefixed, short. */
START_TEST(test_ecp_invalid_peer)
{
	const struct ecp_vector *v = &ecp_vectors[_i];
	const size_t n = v->z_len;
	struct crypto_dh *a = NULL;
	uint8_t bad[CRYPTO_DH_MAX_LEN + 1], z[CRYPTO_DH_MAX_LEN];

	ck_assert_int_eq(crypto_dh_from_private(v->group, v->da, v->da_len, &a), 0);
	memcpy(bad, v->qb, 2 * n);
	be_add(bad + n, n, 1); /* y + 1: not on the curve */
	ck_assert_int_eq(crypto_dh_check_peer(v->group, bad, 2 * n), -EBADMSG);
	ck_assert_int_eq(crypto_dh_compute(a, bad, 2 * n, z, n), -EBADMSG);
	memcpy(bad, v->p, n); /* x = p */
	ck_assert_int_eq(crypto_dh_check_peer(v->group, bad, 2 * n), -EBADMSG);
	memcpy(bad, v->qb, 2 * n);
	memcpy(bad + n, v->p, n); /* y = p */
	ck_assert_int_eq(crypto_dh_check_peer(v->group, bad, 2 * n), -EBADMSG);
	memset(bad, 0, 2 * n);
	ck_assert_int_eq(crypto_dh_check_peer(v->group, bad, 2 * n), -EBADMSG);
	ck_assert_int_eq(crypto_dh_compute(a, bad, 2 * n, z, n), -EBADMSG);
	/* RFC 5903: no point-format octet; 0x04 | x | y is the wrong length. */
	bad[0] = 0x04;
	memcpy(bad + 1, v->qb, 2 * n);
	ck_assert_int_eq(crypto_dh_check_peer(v->group, bad, 2 * n + 1), -EBADMSG);
	ck_assert_int_eq(crypto_dh_check_peer(v->group, v->qb, 2 * n - 1), -EBADMSG);
	crypto_dh_free(a);
}
END_TEST

static const enum ike_dh_group all_groups[] = {
	IKE_DH_MODP_1024, IKE_DH_MODP_1536, IKE_DH_MODP_2048, IKE_DH_MODP_3072,
	IKE_DH_MODP_4096, IKE_DH_ECP_256,   IKE_DH_ECP_384,   IKE_DH_ECP_521,
};
static const size_t all_public_len[] = { 128, 192, 256, 384, 512, 64, 96, 132 };
static const size_t all_secret_len[] = { 128, 192, 256, 384, 512, 32, 48, 66 };

/* Two fresh parties agree, with exact lengths, for every group. */
START_TEST(test_dh_agree)
{
	enum ike_dh_group g = all_groups[_i];
	struct crypto_dh *a = NULL, *b = NULL;
	uint8_t pa[CRYPTO_DH_MAX_LEN], pb[CRYPTO_DH_MAX_LEN];
	uint8_t za[CRYPTO_DH_MAX_LEN], zb[CRYPTO_DH_MAX_LEN];
	size_t pl = crypto_dh_public_len(g), sl = crypto_dh_secret_len(g);

	ck_assert_uint_eq(pl, all_public_len[_i]);
	ck_assert_uint_eq(sl, all_secret_len[_i]);
	ck_assert_int_eq(crypto_dh_generate(g, &a), 0);
	ck_assert_int_eq(crypto_dh_generate(g, &b), 0);
	ck_assert_int_eq(crypto_dh_public(a, pa, pl), 0);
	ck_assert_int_eq(crypto_dh_public(b, pb, pl), 0);
	ck_assert_mem_ne(pa, pb, pl);
	ck_assert_int_eq(crypto_dh_check_peer(g, pa, pl), 0);
	ck_assert_int_eq(crypto_dh_compute(a, pb, pl, za, sl), 0);
	ck_assert_int_eq(crypto_dh_compute(b, pa, pl, zb, sl), 0);
	ck_assert_mem_eq(za, zb, sl);
	/* Wrong output length is refused. */
	ck_assert_int_eq(crypto_dh_compute(a, pb, pl, za, sl - 1), -EINVAL);
	/* A public value of another group's length is refused. */
	ck_assert_int_eq(crypto_dh_compute(a, pb, pl - 1, za, sl), -EBADMSG);
	crypto_dh_free(a);
	crypto_dh_free(b);
}
END_TEST

START_TEST(test_dh_unknown_group)
{
	struct crypto_dh *a = (struct crypto_dh *)1;
	uint8_t x = 5;

	ck_assert_int_eq(crypto_dh_generate((enum ike_dh_group)1, &a), -EINVAL);
	ck_assert_int_eq(crypto_dh_from_private((enum ike_dh_group)22, &x, 1, &a), -EINVAL);
	ck_assert_uint_eq(crypto_dh_public_len((enum ike_dh_group)1), 0);
	ck_assert_int_eq(crypto_dh_check_peer((enum ike_dh_group)1, &x, 1), -EINVAL);
	ck_assert_str_eq(crypto_dh_group_name(IKE_DH_ECP_384), "ECP-384");
	crypto_dh_free(NULL);
}
END_TEST

/* ---- random ------------------------------------------------------------ */

START_TEST(test_random)
{
	uint8_t a[32] = { 0 }, b[32] = { 0 }, zero[32] = { 0 };

	ck_assert_int_eq(crypto_random(a, sizeof(a)), 0);
	ck_assert_int_eq(crypto_random(b, sizeof(b)), 0);
	ck_assert_mem_ne(a, b, sizeof(a));
	ck_assert_mem_ne(a, zero, sizeof(a));
	ck_assert_int_eq(crypto_random(NULL, 0), 0);
	ck_assert_int_eq(crypto_random(NULL, 4), -EINVAL);
}
END_TEST

START_TEST(test_memeq)
{
	uint8_t a[20], b[20];

	memset(a, 7, sizeof(a));
	memcpy(b, a, sizeof(b));
	ck_assert(crypto_memeq(a, b, sizeof(a)));
	b[19] ^= 1;
	ck_assert(!crypto_memeq(a, b, sizeof(a)));
	ck_assert(crypto_memeq(a, b, 19));
	b[0] ^= 0x80;
	ck_assert(!crypto_memeq(a, b, 19));
}
END_TEST

static Suite *crypto_suite(void)
{
	Suite *s = suite_create("crypto");
	TCase *tc = tcase_create("hash");

	tcase_add_loop_test(tc, test_hash_vectors, 0, N_ELEM(hash_vectors));
	tcase_add_test(tc, test_hash_invalid);
	tcase_add_test(tc, test_policy_legacy);
	suite_add_tcase(s, tc);

	tc = tcase_create("cipher");
	tcase_add_loop_test(tc, test_cbc_vectors, 0, N_ELEM(cbc_vectors));
	tcase_add_test(tc, test_cipher_params);
	tcase_add_test(tc, test_padding);
	suite_add_tcase(s, tc);

	tc = tcase_create("dh");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_modp_vectors, 0, N_ELEM(modp_vectors));
	tcase_add_loop_test(tc, test_modp_invalid_peer, 0, N_ELEM(modp_vectors));
	tcase_add_loop_test(tc, test_ecp_vectors, 0, N_ELEM(ecp_vectors));
	tcase_add_loop_test(tc, test_ecp_invalid_peer, 0, N_ELEM(ecp_vectors));
	tcase_add_loop_test(tc, test_dh_agree, 0, N_ELEM(all_groups));
	tcase_add_test(tc, test_dh_unknown_group);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_memeq);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(crypto_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
