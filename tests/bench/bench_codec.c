// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Benchmark (not a test): decode every sample message and every capture in
 * tests/corpus/isakmp/baseline in a loop, and put the cost next to one ECDH
 * P-256 derivation (EVP_PKEY_derive) measured in the same run, the cheapest
 * public-key step of a Phase 1. ratio = ECDH time / decode time: how many
 * messages can be decoded for the price of one key agreement.
 * Times are CPU time of this process, not wall time (the machine may be shared).
 * Last line: BENCH codec ns_per_msg=... msgs_per_s=... ecdh_p256_ns=... ratio=...
 * BENCH_SHORT=1: a CI smoke (200 decode rounds, 50 derivations instead of
 * 20000 and 2000). Both fail when a message stops decoding.
 */
#include <dirent.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ike/wire/isakmp_decode.h"
#include "natt/framing.h"
#include "tests/lib/isakmp_samples.h"

#ifndef NATKEYD_SRCDIR
#define NATKEYD_SRCDIR "."
#endif
#define MAXMSGS 512
#define MAXLEN	65536

static uint8_t *msgs[MAXMSGS];
static size_t lens[MAXMSGS];
static size_t nmsgs;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void add(const uint8_t *p, size_t n)
{
	const uint8_t *ike = p;
	size_t len = n;

	if (nmsgs == MAXMSGS)
		return;
	if (natt_frame_classify(p, n) == NATT_FRAME_IKE)
		natt_marker_strip(p, n, &ike, &len);
	msgs[nmsgs] = malloc(len ? len : 1);
	if (!msgs[nmsgs])
		exit(1);
	memcpy(msgs[nmsgs], ike, len);
	lens[nmsgs++] = len;
}

static void load(void)
{
	const char *src = getenv("srcdir");
	char dir[4096];
	struct dirent *de;
	DIR *d;
	size_t i;

	for (i = 0; i < isakmp_nsamples; i++) {
		static uint8_t buf[8192];
		ssize_t n = isakmp_samples[i].build(buf, sizeof(buf));

		if (n > 0)
			add(buf, (size_t)n);
	}
	snprintf(dir, sizeof(dir), "%s/tests/corpus/isakmp/baseline", src ? src : NATKEYD_SRCDIR);
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		static uint8_t buf[MAXLEN];
		char path[8192];
		FILE *f;
		size_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		add(buf, n);
	}
	if (d)
		closedir(d);
}

static double bench_decode(unsigned rounds, unsigned *ok)
{
	static struct isakmp_msg msg;
	struct isakmp_err err;
	double t0 = now_ns();
	unsigned r;
	size_t i;

	*ok = 0;
	for (r = 0; r < rounds; r++)
		for (i = 0; i < nmsgs; i++)
			*ok += isakmp_msg_decode(msgs[i], lens[i], &msg, &err) == 0;
	return (now_ns() - t0) / ((double)rounds * (double)nmsgs);
}

static double bench_ecdh(unsigned rounds)
{
	EVP_PKEY *a = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_PKEY *b = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	unsigned char secret[64];
	double t0, t = -1;
	unsigned r;

	if (!a || !b)
		goto out;
	t0 = now_ns();
	for (r = 0; r < rounds; r++) {
		EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(a, NULL);
		size_t len = sizeof(secret);

		if (!ctx || EVP_PKEY_derive_init(ctx) <= 0 ||
		    EVP_PKEY_derive_set_peer(ctx, b) <= 0 ||
		    EVP_PKEY_derive(ctx, secret, &len) <= 0) {
			EVP_PKEY_CTX_free(ctx);
			goto out;
		}
		EVP_PKEY_CTX_free(ctx);
	}
	t = (now_ns() - t0) / rounds;
out:
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
	return t;
}

int main(void)
{
	const bool short_run = getenv("BENCH_SHORT") && strcmp(getenv("BENCH_SHORT"), "0");
	unsigned rounds, ok;
	double ns, ecdh;
	size_t i, bytes = 0;

	load();
	for (i = 0; i < nmsgs; i++)
		bytes += lens[i];
	bench_decode(100, &ok); /* warm-up */
	rounds = short_run ? 200 : 20000;
	ns = bench_decode(rounds, &ok);
	ecdh = bench_ecdh(short_run ? 50 : 2000);
	printf("codec: %zu messages (%zu bytes, %u decoded per round), %u rounds\n", nmsgs, bytes,
	       ok / rounds, rounds);
	printf("decode: %.1f ns/message, %.0f messages/s\n", ns, 1e9 / ns);
	printf("ECDH P-256 (EVP_PKEY_derive): %.0f ns\n", ecdh);
	for (i = 0; i < nmsgs; i++)
		free(msgs[i]);
	/* Timing a decoder that rejects its input would measure error paths. */
	if (nmsgs == 0 || ok != rounds * nmsgs) {
		fprintf(stderr, "codec: %u of %zu messages decoded\n", ok / rounds, nmsgs);
		return 1;
	}
	if (ecdh < 0) {
		fprintf(stderr, "ECDH P-256 failed\n");
		return 1;
	}
	printf("BENCH codec ns_per_msg=%.1f msgs_per_s=%.0f ecdh_p256_ns=%.0f ratio=%.1f\n", ns,
	       1e9 / ns, ecdh, ecdh / ns);
	return 0;
}
