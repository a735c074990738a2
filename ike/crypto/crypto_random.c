// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Random bytes from OpenSSL's DRBGs, drawn in blocks.
 *
 * Every RAND_bytes() call costs system calls: OpenSSL 3.0's DRBG reads
 * getpid() (fork detection) and time() (reseed interval) per call. Natively
 * they are cheap; in user-mode-linux, under seccomp filters or without a
 * vDSO each is a real system call (about 55 us in the bed), and a tunnel
 * drew random bytes four times (two nonces, two key pairs): eight of its
 * ~33 system calls. So each thread keeps a block of DRBG output and serves
 * requests from it: one refill per RANDOM_POOL_LEN bytes (a tunnel takes
 * about 150).
 *
 * Two pools, as OpenSSL keeps two DRBGs: public values (nonces, cookies,
 * message IDs, SPIs) come from RAND_bytes(), secrets (Diffie-Hellman private
 * values) from RAND_priv_bytes(), so bytes that go on the wire and bytes
 * that must not are never drawn from the same generator.
 *
 * Bytes handed out are wiped from the pool at once: a later memory
 * disclosure shows only bytes not used yet. A forked child must not hand
 * out the parent's bytes again (both would use the same nonces and keys):
 * pthread_atfork() wipes the pools of the child's only thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "ike/crypto/crypto.h"

#define RANDOM_POOL_LEN 2048

struct random_pool {
	uint8_t buf[RANDOM_POOL_LEN];
	size_t left; /* unused bytes at the end of buf */
};

static __thread struct random_pool pool_public, pool_secret;
static pthread_once_t pool_atfork_once = PTHREAD_ONCE_INIT;

static void pool_wipe(struct random_pool *p)
{
	OPENSSL_cleanse(p->buf, sizeof(p->buf));
	p->left = 0;
}

static void pools_wipe_in_child(void)
{
	pool_wipe(&pool_public);
	pool_wipe(&pool_secret);
}

static void pool_atfork_register(void)
{
	(void)pthread_atfork(NULL, NULL, pools_wipe_in_child);
}

static int pool_draw(struct random_pool *p, bool secret, uint8_t *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (buf == NULL || len > INT32_MAX)
		return -EINVAL;
	/* Large requests skip the pool: they would empty it for one call. */
	if (len > RANDOM_POOL_LEN / 4)
		return (secret ? RAND_priv_bytes(buf, (int)len) : RAND_bytes(buf, (int)len)) == 1
			       ? 0
			       : -EIO;
	if (p->left < len) {
		pthread_once(&pool_atfork_once, pool_atfork_register);
		/* The remainder is dropped, not mixed: wiped, then refilled. */
		pool_wipe(p);
		if ((secret ? RAND_priv_bytes(p->buf, RANDOM_POOL_LEN)
			    : RAND_bytes(p->buf, RANDOM_POOL_LEN)) != 1)
			return -EIO;
		p->left = RANDOM_POOL_LEN;
	}
	/* Served from the end of what is left, then wiped there. */
	p->left -= len;
	memcpy(buf, p->buf + p->left, len);
	OPENSSL_cleanse(p->buf + p->left, len);
	return 0;
}

int crypto_random(uint8_t *buf, size_t len)
{
	return pool_draw(&pool_public, false, buf, len);
}

int crypto_random_secret(uint8_t *buf, size_t len)
{
	return pool_draw(&pool_secret, true, buf, len);
}
