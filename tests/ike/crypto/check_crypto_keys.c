// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKEv1 key derivation against reference values computed independently by
 * tests/vectors/crypto/gen_keys.py (Python hmac/hashlib, written from RFC
 * 2409): every intermediate value for eight hash/cipher/auth combinations.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "ike/crypto/keys.h"
#include "tests/vectors/crypto/keys_vectors.h"

#define CH(v, f) CRYPTO_CHUNK((v)->f, (v)->f##_len)

static void expect_bytes(const char *what, const char *name, const uint8_t *got, size_t got_len,
			 const uint8_t *want, size_t want_len)
{
	ck_assert_msg(got_len == want_len, "%s %s: length %zu, want %zu", name, what, got_len,
		      want_len);
	ck_assert_msg(memcmp(got, want, want_len) == 0, "%s %s differs", name, what);
}

#define EXPECT(name, what, got, got_len, v)                                                        \
	expect_bytes(#what, name, got, got_len, (v)->what, (v)->what##_len)

static void phase1_in(const struct keys_vector *v, struct keys_phase1_in *in)
{
	memset(in, 0, sizeof(*in));
	in->hash = v->hash;
	in->cipher = v->cipher;
	in->key_bits = v->key_bits;
	in->auth = v->auth;
	in->psk = CH(v, psk);
	in->ni_b = CH(v, ni_b);
	in->nr_b = CH(v, nr_b);
	in->gxy = CH(v, gxy);
	in->gxi = CH(v, gxi);
	in->gxr = CH(v, gxr);
	memcpy(in->cky_i, v->cky_i, IKE_COOKIE_LEN);
	memcpy(in->cky_r, v->cky_r, IKE_COOKIE_LEN);
}

static void derive(const struct keys_vector *v, struct keys_phase1 *k)
{
	struct keys_phase1_in in;

	phase1_in(v, &in);
	ck_assert_int_eq(keys_phase1_derive(&in, k), 0);
}

START_TEST(test_phase1_derive)
{
	const struct keys_vector *v = &keys_vectors[_i];
	struct keys_phase1 k;
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN];

	derive(v, &k);
	ck_assert_uint_eq(k.prf_len, crypto_hash_len(v->hash));
	EXPECT(v->name, skeyid, k.skeyid, k.prf_len, v);
	EXPECT(v->name, skeyid_d, k.skeyid_d, k.prf_len, v);
	EXPECT(v->name, skeyid_a, k.skeyid_a, k.prf_len, v);
	EXPECT(v->name, skeyid_e, k.skeyid_e, k.prf_len, v);
	EXPECT(v->name, enc_key, k.enc_key, k.enc_key_len, v);
	EXPECT(v->name, iv, k.iv, k.block_len, v);
	/* The stand-alone IV function agrees with the one inside the derivation. */
	ck_assert_int_eq(keys_phase1_iv(v->hash, CH(v, gxi), CH(v, gxr), k.block_len, iv), 0);
	EXPECT(v->name, iv, iv, k.block_len, v);
	keys_phase1_wipe(&k);
	ck_assert_uint_eq(k.prf_len, 0);
	ck_assert_uint_eq(k.skeyid[0] | k.enc_key[0], 0);
}
END_TEST

START_TEST(test_auth_hashes)
{
	const struct keys_vector *v = &keys_vectors[_i];
	struct keys_phase1 k;
	uint8_t out[CRYPTO_HASH_MAX_LEN];
	int n;

	derive(v, &k);
	n = keys_hash_i(&k, CH(v, gxi), CH(v, gxr), v->cky_i, v->cky_r, CH(v, sai_b), CH(v, idii_b),
			out, sizeof(out));
	ck_assert_int_eq(n, (int)k.prf_len);
	EXPECT(v->name, hash_i, out, (size_t)n, v);
	/* Same argument order for HASH_R: the function swaps (2409-5.o). */
	n = keys_hash_r(&k, CH(v, gxi), CH(v, gxr), v->cky_i, v->cky_r, CH(v, sai_b), CH(v, idir_b),
			out, sizeof(out));
	ck_assert_int_eq(n, (int)k.prf_len);
	EXPECT(v->name, hash_r, out, (size_t)n, v);
	/* Too small an output buffer is refused, not truncated. */
	ck_assert_int_eq(keys_hash_i(&k, CH(v, gxi), CH(v, gxr), v->cky_i, v->cky_r, CH(v, sai_b),
				     CH(v, idii_b), out, k.prf_len - 1),
			 -ENOBUFS);
	keys_phase1_wipe(&k);
}
END_TEST

START_TEST(test_phase2_hashes_ivs)
{
	const struct keys_vector *v = &keys_vectors[_i];
	struct keys_phase1 k;
	uint8_t out[CRYPTO_HASH_MAX_LEN], iv[CRYPTO_BLOCK_MAX_LEN];
	struct crypto_chunk p1 = CH(v, qm_p1), p2 = CH(v, qm_p2), info = CH(v, info_payload);
	struct crypto_chunk split[2];
	int n;

	derive(v, &k);
	ck_assert_int_eq(keys_phase2_iv(&k, v->last_block, v->msgid, iv), 0);
	EXPECT(v->name, p2_iv, iv, k.block_len, v);
	ck_assert_int_eq(keys_phase2_iv(&k, v->last_block, v->info_msgid, iv), 0);
	EXPECT(v->name, info_iv, iv, k.block_len, v);

	n = keys_qm_hash1(&k, v->msgid, &p1, 1, out, sizeof(out));
	ck_assert_int_eq(n, (int)k.prf_len);
	EXPECT(v->name, hash1, out, (size_t)n, v);
	/* The payloads may come in several chunks (e.g. SA, Ni, IDci, IDcr). */
	split[0] = CRYPTO_CHUNK(v->qm_p1, 7);
	split[1] = CRYPTO_CHUNK(v->qm_p1 + 7, v->qm_p1_len - 7);
	n = keys_qm_hash1(&k, v->msgid, split, 2, out, sizeof(out));
	EXPECT(v->name, hash1, out, (size_t)n, v);

	n = keys_qm_hash2(&k, v->msgid, CH(v, qm_ni_b), &p2, 1, out, sizeof(out));
	ck_assert_int_eq(n, (int)k.prf_len);
	EXPECT(v->name, hash2, out, (size_t)n, v);

	n = keys_qm_hash3(&k, v->msgid, CH(v, qm_ni_b), CH(v, qm_nr_b), out, sizeof(out));
	ck_assert_int_eq(n, (int)k.prf_len);
	EXPECT(v->name, hash3, out, (size_t)n, v);

	n = keys_msg_hash(&k, v->info_msgid, &info, 1, out, sizeof(out));
	ck_assert_int_eq(n, (int)k.prf_len);
	EXPECT(v->name, info_hash, out, (size_t)n, v);
	keys_phase1_wipe(&k);
}
END_TEST

START_TEST(test_keymat)
{
	const struct keys_vector *v = &keys_vectors[_i];
	struct keys_phase1 k;
	uint8_t km[600];
	struct keys_child c;

	derive(v, &k);
	ck_assert_int_eq(keys_keymat(&k, CRYPTO_CHUNK(NULL, 0), 3, CH(v, spi), CH(v, qm_ni_b),
				     CH(v, qm_nr_b), km, v->keymat_len),
			 0);
	EXPECT(v->name, keymat, km, v->keymat_len, v);
	ck_assert_int_eq(keys_keymat(&k, CH(v, gqm_xy), 3, CH(v, spi), CH(v, qm_ni_b),
				     CH(v, qm_nr_b), km, v->keymat_pfs_len),
			 0);
	EXPECT(v->name, keymat_pfs, km, v->keymat_pfs_len, v);
	/* A shorter request is a prefix of the longer one. */
	ck_assert_int_eq(keys_keymat(&k, CH(v, gqm_xy), 3, CH(v, spi), CH(v, qm_ni_b),
				     CH(v, qm_nr_b), km, 7),
			 0);
	ck_assert_mem_eq(km, v->keymat_pfs, 7);

	ck_assert_int_eq(keys_child_derive(&k, CH(v, gqm_xy), 3, CH(v, spi), CH(v, qm_ni_b),
					   CH(v, qm_nr_b), v->esp, v->esp_key_bits, v->esp_auth,
					   &c),
			 0);
	EXPECT(v->name, child_enc, c.enc, c.enc_len, v);
	EXPECT(v->name, child_integ, c.integ, c.integ_len, v);
	ck_assert_uint_eq(c.salt_len, v->child_salt_len);
	keys_child_wipe(&c);
	ck_assert_uint_eq(c.enc_len, 0);
	keys_phase1_wipe(&k);
}
END_TEST

/* A failing derivation leaves the caller's struct untouched (commit on success). */
START_TEST(test_derive_commit_only_on_success)
{
	const struct keys_vector *v = &keys_vectors[0];
	struct keys_phase1_in in;
	struct keys_phase1 k, ref;

	memset(&k, 0xA5, sizeof(k));
	memcpy(&ref, &k, sizeof(k));
	phase1_in(v, &in);
	in.key_bits = 100; /* not an AES key length */
	ck_assert_int_eq(keys_phase1_derive(&in, &k), -EINVAL);
	ck_assert_mem_eq(&k, &ref, sizeof(k));
	phase1_in(v, &in);
	in.psk = CRYPTO_CHUNK(NULL, 0);
	ck_assert_int_eq(keys_phase1_derive(&in, &k), -EINVAL);
	ck_assert_mem_eq(&k, &ref, sizeof(k));
	phase1_in(v, &in);
	in.hash = (enum ike_hash_alg)3; /* Tiger: not implemented */
	ck_assert_int_eq(keys_phase1_derive(&in, &k), -EINVAL);
	ck_assert_mem_eq(&k, &ref, sizeof(k));
	phase1_in(v, &in);
	in.gxi = CRYPTO_CHUNK(NULL, 0);
	ck_assert_int_eq(keys_phase1_derive(&in, &k), -EINVAL);
	ck_assert_mem_eq(&k, &ref, sizeof(k));
}
END_TEST

struct esp_len_case {
	enum keys_esp_transform t;
	unsigned int bits;
	enum keys_esp_auth a;
	int ret;
	size_t enc, salt, integ;
};

static const struct esp_len_case esp_len_cases[] = {
	{ KEYS_ESP_AES_CBC, 128, KEYS_AUTH_HMAC_SHA1, 0, 16, 0, 20 },
	{ KEYS_ESP_AES_CBC, 256, KEYS_AUTH_HMAC_SHA2_256, 0, 32, 0, 32 },
	{ KEYS_ESP_AES_CBC, 192, KEYS_AUTH_HMAC_SHA2_384, 0, 24, 0, 48 },
	{ KEYS_ESP_AES_CBC, 256, KEYS_AUTH_HMAC_SHA2_512, 0, 32, 0, 64 },
	{ KEYS_ESP_3DES, 0, KEYS_AUTH_HMAC_MD5, 0, 24, 0, 16 },
	{ KEYS_ESP_NULL, 0, KEYS_AUTH_HMAC_SHA1, 0, 0, 0, 20 },
	{ KEYS_ESP_AES_GCM_16, 128, KEYS_AUTH_NONE, 0, 20, 4, 0 },
	{ KEYS_ESP_AES_GCM_8, 256, KEYS_AUTH_NONE, 0, 36, 4, 0 },
	{ KEYS_ESP_AES_GCM_16, 256, KEYS_AUTH_HMAC_SHA1, -EINVAL, 0, 0, 0 },
	{ KEYS_ESP_AES_CBC, 256, KEYS_AUTH_NONE, -EINVAL, 0, 0, 0 },
	{ KEYS_ESP_AES_CBC, 0, KEYS_AUTH_HMAC_SHA1, -EINVAL, 0, 0, 0 },
	{ KEYS_ESP_3DES, 128, KEYS_AUTH_HMAC_SHA1, -EINVAL, 0, 0, 0 },
	{ (enum keys_esp_transform)2, 0, KEYS_AUTH_HMAC_SHA1, -EINVAL, 0, 0, 0 },
	{ KEYS_ESP_AES_CBC, 128, (enum keys_esp_auth)3, -EINVAL, 0, 0, 0 },
};

START_TEST(test_esp_lengths)
{
	const struct esp_len_case *c = &esp_len_cases[_i];
	size_t e = 99, s = 99, i = 99;

	ck_assert_int_eq(keys_esp_lengths(c->t, c->bits, c->a, &e, &s, &i), c->ret);
	if (c->ret == 0) {
		ck_assert_uint_eq(e, c->enc);
		ck_assert_uint_eq(s, c->salt);
		ck_assert_uint_eq(i, c->integ);
	} else {
		ck_assert_uint_eq(e, 99);
	}
}
END_TEST

static Suite *keys_suite(void)
{
	Suite *s = suite_create("crypto_keys");
	TCase *tc = tcase_create("vectors");

	tcase_add_loop_test(tc, test_phase1_derive, 0, KEYS_VECTORS_N);
	tcase_add_loop_test(tc, test_auth_hashes, 0, KEYS_VECTORS_N);
	tcase_add_loop_test(tc, test_phase2_hashes_ivs, 0, KEYS_VECTORS_N);
	tcase_add_loop_test(tc, test_keymat, 0, KEYS_VECTORS_N);
	tcase_add_test(tc, test_derive_commit_only_on_success);
	tcase_add_loop_test(tc, test_esp_lengths, 0,
			    sizeof(esp_len_cases) / sizeof(esp_len_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(keys_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
