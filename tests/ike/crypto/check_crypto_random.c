// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crypto_random.c: the per-thread blocks of DRBG output, and the private
 * values crypto_dh.c draws from them. RAND_bytes() and RAND_priv_bytes()
 * are wrapped (-Wl,--wrap) to count how often the pools go to OpenSSL.
 */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/bn.h>

#include "ike/crypto/crypto.h"

int __real_RAND_bytes(unsigned char *buf, int num);
int __real_RAND_priv_bytes(unsigned char *buf, int num);
int __wrap_RAND_bytes(unsigned char *buf, int num);
int __wrap_RAND_priv_bytes(unsigned char *buf, int num);

static __thread unsigned n_public, n_secret;

int __wrap_RAND_bytes(unsigned char *buf, int num)
{
	n_public++;
	return __real_RAND_bytes(buf, num);
}

int __wrap_RAND_priv_bytes(unsigned char *buf, int num)
{
	n_secret++;
	return __real_RAND_priv_bytes(buf, num);
}

#define DRAWS 64

/* 64 nonces cost at most two calls into OpenSSL, and all differ. */
START_TEST(test_blocks)
{
	static uint8_t out[DRAWS][32];

	n_public = n_secret = 0;
	for (int i = 0; i < DRAWS; i++)
		ck_assert_int_eq(crypto_random(out[i], sizeof(out[i])), 0);
	ck_assert_uint_le(n_public, 2);
	ck_assert_uint_ge(n_public, 1);
	ck_assert_uint_eq(n_secret, 0);
	for (int i = 0; i < DRAWS; i++)
		for (int j = i + 1; j < DRAWS; j++)
			ck_assert_mem_ne(out[i], out[j], sizeof(out[i]));

	/* Secrets come from the private DRBG only. */
	n_public = 0;
	for (int i = 0; i < DRAWS; i++)
		ck_assert_int_eq(crypto_random_secret(out[i], sizeof(out[i])), 0);
	ck_assert_uint_eq(n_public, 0);
	ck_assert_uint_le(n_secret, 2);
	ck_assert_uint_ge(n_secret, 1);
}
END_TEST

/* A request of more than a quarter of a block goes straight to OpenSSL. */
START_TEST(test_large)
{
	static uint8_t big[1024], zero[1024];

	ck_assert_int_eq(crypto_random(big, 8), 0);
	n_public = 0;
	ck_assert_int_eq(crypto_random(big, sizeof(big)), 0);
	ck_assert_uint_eq(n_public, 1);
	ck_assert_mem_ne(big, zero, sizeof(big));
	ck_assert_int_eq(crypto_random(NULL, 0), 0);
	ck_assert_int_eq(crypto_random(NULL, 4), -EINVAL);
	ck_assert_int_eq(crypto_random_secret(NULL, 4), -EINVAL);
}
END_TEST

/*
 * After fork() the child must not hand out the bytes the parent hands out
 * next: both would use the same nonces and private values.
 */
START_TEST(test_fork)
{
	uint8_t mine[32], theirs[32];
	int fds[2];
	pid_t pid;
	int st;

	ck_assert_int_eq(crypto_random(mine, 8), 0); /* the pool is full now */
	ck_assert_int_eq(crypto_random_secret(mine, 8), 0);
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		uint8_t b[64];

		n_public = n_secret = 0;
		if (crypto_random(b, 32) < 0 || crypto_random_secret(b + 32, 32) < 0 ||
		    n_public != 1 || n_secret != 1) {
			fprintf(stderr, "child: %u %u\n", n_public, n_secret);
			_exit(1);
		}
		_exit(write(fds[1], b, sizeof(b)) == (ssize_t)sizeof(b) ? 0 : 1);
	}
	close(fds[1]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_int_eq(read(fds[0], theirs, 32), 32);
	ck_assert_int_eq(crypto_random(mine, 32), 0);
	ck_assert_mem_ne(mine, theirs, 32);
	ck_assert_int_eq(read(fds[0], theirs, 32), 32);
	ck_assert_int_eq(crypto_random_secret(mine, 32), 0);
	ck_assert_mem_ne(mine, theirs, 32);
	close(fds[0]);
}
END_TEST

static void *draw_thread(void *arg)
{
	uint8_t *out = arg;

	return crypto_random(out, 32) == 0 && crypto_random_secret(out + 32, 32) == 0 ? out : NULL;
}

/* Threads draw from their own pools: no two hand out the same bytes. */
START_TEST(test_threads)
{
	static uint8_t out[4][64];
	pthread_t t[4];
	void *r;

	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, draw_thread, out[i]), 0);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(t[i], &r), 0);
		ck_assert_ptr_eq(r, out[i]);
	}
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++) {
			ck_assert_mem_ne(out[i], out[j], 32);
			ck_assert_mem_ne(out[i] + 32, out[j] + 32, 32);
		}
}
END_TEST

static int fill_ff(void *arg, uint8_t *buf, size_t len)
{
	(void)arg;
	memset(buf, 0xff, len);
	return 0;
}

static int fill_00(void *arg, uint8_t *buf, size_t len)
{
	(void)arg;
	memset(buf, 0, len);
	return 0;
}

static const struct {
	enum ike_dh_group group;
	int bits; /* of the private value, whatever the random bytes */
} priv_lens[] = {
	{ IKE_DH_MODP_1024, 256 }, { IKE_DH_MODP_1536, 200 }, { IKE_DH_MODP_2048, 225 },
	{ IKE_DH_MODP_3072, 275 }, { IKE_DH_MODP_4096, 325 },
};

/* MODP private values have exactly OpenSSL keygen's length, top bit set. */
START_TEST(test_priv_bits)
{
	uint8_t x[CRYPTO_DH_MAX_LEN];
	size_t n;
	BIGNUM *bn;

	for (int k = 0; k < 2; k++) {
		ck_assert_int_eq(crypto_dh_private_draw(priv_lens[_i].group, k ? fill_ff : fill_00,
							NULL, x, sizeof(x), &n),
				 0);
		ck_assert_uint_eq(n, (size_t)(priv_lens[_i].bits + 7) / 8);
		bn = BN_bin2bn(x, (int)n, NULL);
		ck_assert_ptr_nonnull(bn);
		ck_assert_int_eq(BN_num_bits(bn), priv_lens[_i].bits);
		BN_free(bn);
	}
	/* ECP: the field length with a zero top byte. */
	ck_assert_int_eq(crypto_dh_private_draw(IKE_DH_ECP_256, fill_ff, NULL, x, sizeof(x), &n),
			 0);
	ck_assert_uint_eq(n, 32);
	ck_assert_uint_eq(x[0], 0);
	ck_assert_uint_eq(x[1], 0xff);
}
END_TEST

/*
 * Key pairs take their private values from the secret pool: 17 of them
 * cost at most two calls into OpenSSL's DRBGs (OpenSSL's own keygen made
 * one per key pair, with a getpid() and a time() each), and they agree
 * with each other.
 */
START_TEST(test_keygen_from_pool)
{
	static const enum ike_dh_group groups[] = { IKE_DH_MODP_2048, IKE_DH_ECP_256 };
	enum ike_dh_group g = groups[_i];
	struct crypto_dh *dh[16] = { NULL };
	uint8_t pub[2][CRYPTO_DH_MAX_LEN], z[2][CRYPTO_DH_MAX_LEN];
	size_t pl = crypto_dh_public_len(g), sl = crypto_dh_secret_len(g);

	/* Each test runs in a new process: the pools start empty, so the
	 * first key pair fills the secret one (OpenSSL's keygen would not). */
	n_public = n_secret = 0;
	ck_assert_int_eq(crypto_dh_generate(g, &dh[0]), 0);
	crypto_dh_free(dh[0]);
	ck_assert_uint_eq(n_secret, 1);
	ck_assert_uint_eq(n_public, 0);
	for (int i = 0; i < 16; i++)
		ck_assert_int_eq(crypto_dh_generate(g, &dh[i]), 0);
	ck_assert_uint_le(n_public + n_secret, 2);
	for (int i = 0; i + 1 < 16; i += 2) {
		ck_assert_int_eq(crypto_dh_public(dh[i], pub[0], pl), 0);
		ck_assert_int_eq(crypto_dh_public(dh[i + 1], pub[1], pl), 0);
		ck_assert_mem_ne(pub[0], pub[1], pl);
		ck_assert_int_eq(crypto_dh_compute(dh[i], pub[1], pl, z[0], sl), 0);
		ck_assert_int_eq(crypto_dh_compute(dh[i + 1], pub[0], pl, z[1], sl), 0);
		ck_assert_mem_eq(z[0], z[1], sl);
	}
	for (int i = 0; i < 16; i++)
		crypto_dh_free(dh[i]);
}
END_TEST

static Suite *random_suite(void)
{
	Suite *s = suite_create("crypto_random");
	TCase *tc = tcase_create("pool");

	tcase_add_test(tc, test_blocks);
	tcase_add_test(tc, test_large);
	tcase_add_test(tc, test_fork);
	tcase_add_test(tc, test_threads);
	suite_add_tcase(s, tc);

	tc = tcase_create("dh");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_priv_bits, 0, sizeof(priv_lens) / sizeof(priv_lens[0]));
	tcase_add_loop_test(tc, test_keygen_from_pool, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(random_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
