// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Crypto bound of one IKEv1 negotiation: the exact crypto calls both sides
 * of a Main Mode PSK + Quick Mode (no PFS, two ESP SAs) make, as listed in
 * ike/crypto/crypto.h, without any codec or engine work. The engine benchmark can
 * compare its negotiations per second with this bound.
 * Times are CPU time of this process, not wall time (the machine may be shared).
 *
 * Output: one line
 *   BENCH crypto_ikev1 iterations=N <suite>_us=<microseconds per negotiation, both sides> ...
 * Iterations: the first argument, else 200, or 5 with BENCH_SHORT=1 (CI smoke).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ike/crypto/crypto.h"
#include "ike/crypto/keys.h"

struct suite {
	const char *name;
	enum ike_dh_group group;
	enum ike_hash_alg hash;
	unsigned int key_bits;
};

static const struct suite suites[] = {
	{ "modp2048_sha1_aes128", IKE_DH_MODP_2048, IKE_HASH_SHA1, 128 },
	{ "modp2048_sha256_aes256", IKE_DH_MODP_2048, IKE_HASH_SHA2_256, 256 },
	{ "ecp256_sha256_aes128", IKE_DH_ECP_256, IKE_HASH_SHA2_256, 128 },
};

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if ((x) < 0) {                                                                     \
			fprintf(stderr, "crypto_bench: %s failed at line %d\n", #x, __LINE__);     \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

/* One side's Phase 1 + Quick Mode crypto; the peer's values are given. */
struct side {
	struct crypto_dh *dh;
	uint8_t pub[CRYPTO_DH_MAX_LEN];
	uint8_t nonce[32];
	uint8_t cookie[8];
	struct keys_phase1 k;
};

static void encrypt_msg(const struct keys_phase1 *k, uint8_t *iv, size_t len)
{
	uint8_t buf[512], out[512];

	memset(buf, 0x42, sizeof(buf));
	CHECK(crypto_cbc_encrypt(k->cipher, k->enc_key, k->enc_key_len, iv, buf, len, out, iv));
	CHECK(crypto_cbc_decrypt(k->cipher, k->enc_key, k->enc_key_len, k->iv, out, len, buf,
				 NULL));
}

static void negotiate(const struct suite *s)
{
	struct side sd[2];
	const size_t pl = crypto_dh_public_len(s->group), sl = crypto_dh_secret_len(s->group);
	uint8_t gxy[CRYPTO_DH_MAX_LEN], h[CRYPTO_HASH_MAX_LEN], iv[CRYPTO_BLOCK_MAX_LEN];
	uint8_t sa[64], id[12], payloads[200], qni[32], qnr[32], spi[4] = { 1, 2, 3, 4 };
	static const uint8_t psk[] = "benchmark pre-shared key";
	struct keys_child child;

	memset(sa, 1, sizeof(sa));
	memset(id, 2, sizeof(id));
	memset(payloads, 3, sizeof(payloads));
	for (int i = 0; i < 2; i++) {
		CHECK(crypto_random(sd[i].cookie, 8));
		CHECK(crypto_random(sd[i].nonce, 32));
		CHECK(crypto_dh_generate(s->group, &sd[i].dh));
		CHECK(crypto_dh_public(sd[i].dh, sd[i].pub, pl));
	}
	for (int i = 0; i < 2; i++) {
		struct keys_phase1_in in = {
			.hash = s->hash,
			.cipher = IKE_CIPHER_AES_CBC,
			.key_bits = s->key_bits,
			.auth = KEYS_AUTH_PSK,
			.psk = CRYPTO_CHUNK(psk, sizeof(psk) - 1),
			.ni_b = CRYPTO_CHUNK(sd[0].nonce, 32),
			.nr_b = CRYPTO_CHUNK(sd[1].nonce, 32),
			.gxy = CRYPTO_CHUNK(gxy, sl),
			.gxi = CRYPTO_CHUNK(sd[0].pub, pl),
			.gxr = CRYPTO_CHUNK(sd[1].pub, pl),
		};

		memcpy(in.cky_i, sd[0].cookie, 8);
		memcpy(in.cky_r, sd[1].cookie, 8);
		CHECK(crypto_dh_compute(sd[i].dh, sd[1 - i].pub, pl, gxy, sl));
		CHECK(keys_phase1_derive(&in, &sd[i].k));
		/* HASH_I and HASH_R: one to send, one to verify. */
		CHECK(keys_hash_i(&sd[i].k, in.gxi, in.gxr, in.cky_i, in.cky_r,
				  CRYPTO_CHUNK(sa, sizeof(sa)), CRYPTO_CHUNK(id, sizeof(id)), h,
				  sizeof(h)));
		CHECK(keys_hash_r(&sd[i].k, in.gxi, in.gxr, in.cky_i, in.cky_r,
				  CRYPTO_CHUNK(sa, sizeof(sa)), CRYPTO_CHUNK(id, sizeof(id)), h,
				  sizeof(h)));
		/* MM5/MM6: one encryption and one decryption per side. */
		memcpy(iv, sd[i].k.iv, sd[i].k.block_len);
		encrypt_msg(&sd[i].k, iv, 96);

		/* Quick Mode. */
		CHECK(crypto_random(i == 0 ? qni : qnr, 32));
		CHECK(keys_phase2_iv(&sd[i].k, iv, 0x12345678u, iv));
		{
			struct crypto_chunk p = CRYPTO_CHUNK(payloads, sizeof(payloads));

			CHECK(keys_qm_hash1(&sd[i].k, 0x12345678u, &p, 1, h, sizeof(h)));
			CHECK(keys_qm_hash2(&sd[i].k, 0x12345678u, CRYPTO_CHUNK(qni, 32), &p, 1, h,
					    sizeof(h)));
			CHECK(keys_qm_hash3(&sd[i].k, 0x12345678u, CRYPTO_CHUNK(qni, 32),
					    CRYPTO_CHUNK(qnr, 32), h, sizeof(h)));
		}
		/* QM1, QM2, QM3: this side encrypts some and decrypts the others. */
		encrypt_msg(&sd[i].k, iv, 320);
		encrypt_msg(&sd[i].k, iv, 32);
		for (int dir = 0; dir < 2; dir++)
			CHECK(keys_child_derive(&sd[i].k, CRYPTO_CHUNK(NULL, 0), 3,
						CRYPTO_CHUNK(spi, 4), CRYPTO_CHUNK(qni, 32),
						CRYPTO_CHUNK(qnr, 32), KEYS_ESP_AES_CBC, 256,
						KEYS_AUTH_HMAC_SHA2_256, &child));
		keys_child_wipe(&child);
	}
	for (int i = 0; i < 2; i++) {
		keys_phase1_wipe(&sd[i].k);
		crypto_dh_free(sd[i].dh);
	}
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	const char *short_run = getenv("BENCH_SHORT");
	int iterations = argc > 1 ? atoi(argv[1]) : short_run && strcmp(short_run, "0") ? 5 : 200;
	char line[512];
	size_t off;

	if (iterations <= 0)
		iterations = 200;
	off = (size_t)snprintf(line, sizeof(line), "BENCH crypto_ikev1 iterations=%d", iterations);
	for (size_t s = 0; s < sizeof(suites) / sizeof(suites[0]); s++) {
		double t0;

		negotiate(&suites[s]); /* warm-up: provider fetches, tables */
		t0 = now_us();
		for (int i = 0; i < iterations; i++)
			negotiate(&suites[s]);
		off += (size_t)snprintf(line + off, sizeof(line) - off, " %s_us=%.1f",
					suites[s].name, (now_us() - t0) / iterations);
	}
	puts(line);
	return 0;
}
