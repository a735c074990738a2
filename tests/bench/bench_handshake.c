// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Handshake benchmark: complete Main Mode PSK + Quick Mode negotiations
 * between two in-memory engines (datagrams handed over directly, a fake
 * kernel answering SPI allocations; batches of BATCH negotiations per
 * engine pair), one worker process per core, next to
 * the crypto bound measured in the same run: the DH, prf and cipher calls
 * one negotiation needs (both sides), timed alone through the same
 * ike/crypto/crypto.h and ike/crypto/keys.h functions the engine uses.
 *
 * Then the engine's memory per established tunnel (IKE SA + one IPsec SA
 * pair): mallinfo2() growth of one responder engine over 1000 tunnels, each
 * negotiated with a fresh initiator engine that is freed before the next.
 *
 * Output:
 *   BENCH handshake group=14 per_s=... bound_per_s=... ratio=...
 *   BENCH handshake group=19 per_s=... bound_per_s=... ratio=...
 *   BENCH memory bytes_per_tunnel=...
 * per_s and bound_per_s are per CPU second of each worker, summed over the
 * workers (see per_second()), best of five interleaved rounds.
 * Environment: BENCH_N (negotiations per worker and group, default 400; a
 * quarter of it for group 14), BENCH_WORKERS (default 2), BENCH_GROUP (only
 * that group), BENCH_ONLY=engine|bound (profiling), BENCH_NO_MEMORY.
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ike/crypto/crypto.h"
#include "ike/engine.h"
#include "ike/crypto/keys.h"

#define QMAX 64

struct side {
	struct ike_engine *eng;
	struct ike_actions out;
	uint32_t next_spi;
	unsigned n_pending;
	struct xk_result pending[8];
};

struct inflight {
	int to;
	struct sockaddr_storage src, dst;
	size_t len;
	uint8_t buf[2048];
};

static struct inflight q[QMAX];
static unsigned q_head, q_tail;
static uint64_t clock_ms;

static void fail(const char *what)
{
	fprintf(stderr, "bench_handshake: %s\n", what);
	exit(1);
}

static void feed(struct side *s, int self, const struct ike_event *ev);

static void take_actions(struct side *s, int self)
{
	for (size_t i = 0; i < s->out.n; i++) {
		const struct ike_action *a = &s->out.v[i];

		if (a->type == IKE_ACT_SEND) {
			struct inflight *f = &q[q_tail++ % QMAX];

			if (a->u.send.len > sizeof(f->buf) || q_tail - q_head > QMAX)
				fail("datagram queue overflow");
			f->to = 1 - self;
			f->src = a->u.send.local;
			f->dst = a->u.send.remote;
			f->len = a->u.send.len;
			memcpy(f->buf, ike_actions_data(&s->out, a), f->len);
		} else if (a->type == IKE_ACT_LOG && getenv("BENCH_VERBOSE")) {
			fprintf(stderr, "%d: %s %s\n", self, ike_reason_name(a->u.log.reason),
				a->u.log.text);
		} else if (a->type == IKE_ACT_KERNEL && a->u.kernel.type == XK_REQ_SPI_ALLOC) {
			struct xk_result *r = &s->pending[s->n_pending++];

			memset(r, 0, sizeof(*r));
			r->cookie = a->u.kernel.cookie;
			r->spi = s->next_spi++;
		}
	}
	ike_actions_wipe(&s->out);
}

static void feed(struct side *s, int self, const struct ike_event *ev)
{
	ike_actions_init(&s->out);
	if (ike_engine_handle(s->eng, ev, clock_ms, &s->out) < 0)
		fail("ike_engine_handle");
	take_actions(s, self);
	while (s->n_pending) {
		struct ike_event r = { .type = IKE_EV_KERNEL_RESULT };

		r.u.result = s->pending[--s->n_pending];
		feed(s, self, &r);
	}
}

static void pump(struct side sides[2])
{
	while (q_head != q_tail) {
		struct inflight *f = &q[q_head++ % QMAX];
		struct ike_event ev = { .type = IKE_EV_DGRAM };

		clock_ms++;
		ev.u.dgram.local = f->dst;
		ev.u.dgram.remote = f->src;
		ev.u.dgram.buf = f->buf;
		ev.u.dgram.len = f->len;
		feed(&sides[f->to], f->to, &ev);
	}
}

static void addr4(struct sockaddr_storage *ss, const char *ip, uint16_t port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	inet_pton(AF_INET, ip, &sin->sin_addr);
}

static void conn_fill(struct ike_conn_cfg *c, const char *local, uint16_t lport, const char *remote,
		      uint16_t group)
{
	static const char psk[] = "benchmark pre-shared key";

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "bench");
	addr4(&c->local, local, lport);
	if (remote)
		addr4(&c->remote, remote, 500);
	c->auth = IKE_AUTH_PSK;
	memcpy(c->psk, psk, sizeof(psk) - 1);
	c->psk_len = sizeof(psk) - 1;
	/* The suite crypto_bound() times: AES-128-CBC, SHA2-256, ESP AES-128/SHA1. */
	c->p1[0] = (struct ike_p1_proposal){ IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA2_256, group };
	c->n_p1 = 1;
	c->p2[0] = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 };
	c->n_p2 = 1;
	c->mode = XK_MODE_TUNNEL;
	c->natt = false; /* no NAT between them: plain MM PSK + QM */
}

static bool up(const struct side *s)
{
	struct ike_status st;

	ike_engine_status(s->eng, &st);
	return st.ipsec_sas == 1;
}

#define BATCH 50

/*
 * BATCH complete negotiations on one pair of engines, as a gateway sees
 * them: the initiator engine holds BATCH connections from distinct
 * addresses, the responder one connection for any peer. Engines are
 * created once per batch so their set-up cost is amortised as in a daemon,
 * and their SA tables stay small.
 */
static void negotiate_batch(uint16_t group)
{
	static struct side sides[2];
	static struct ike_conn_cfg ic[BATCH];
	struct ike_conn_cfg rc;
	struct ike_engine_cfg icfg = { .conns = ic, .n_conns = BATCH };
	struct ike_engine_cfg rcfg = { .conns = &rc, .n_conns = 1 };
	struct ike_status st;

	for (unsigned i = 0; i < BATCH; i++) {
		char addr[32];

		snprintf(addr, sizeof(addr), "10.2.0.%u", i + 1);
		conn_fill(&ic[i], addr, 500, "198.51.100.1", group);
	}
	conn_fill(&rc, "198.51.100.1", 500, NULL, group);
	if (ike_engine_new(&icfg, &sides[0].eng) || ike_engine_new(&rcfg, &sides[1].eng))
		fail("ike_engine_new");
	sides[0].next_spi = 0xd0000100;
	sides[1].next_spi = 0xc0000100;
	for (unsigned i = 0; i < BATCH; i++) {
		struct ike_event ev = { .type = IKE_EV_INITIATE };

		ev.u.conn = i;
		feed(&sides[0], 0, &ev);
		pump(sides);
	}
	for (int s = 0; s < 2; s++) {
		ike_engine_status(sides[s].eng, &st);
		if (st.ipsec_sas != BATCH)
			fail("a negotiation did not complete");
		ike_engine_free(sides[s].eng);
	}
}

/* One complete negotiation on fresh engines (the memory run's warm-up). */
static void negotiate_once(uint16_t group)
{
	static struct side sides[2];
	struct ike_conn_cfg ic, rc;
	struct ike_engine_cfg icfg = { .conns = &ic, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &rc, .n_conns = 1 };
	struct ike_event ev = { .type = IKE_EV_INITIATE };

	conn_fill(&ic, "203.0.113.5", 500, "198.51.100.1", group);
	conn_fill(&rc, "198.51.100.1", 500, "203.0.113.5", group);
	if (ike_engine_new(&icfg, &sides[0].eng) || ike_engine_new(&rcfg, &sides[1].eng))
		fail("ike_engine_new");
	sides[0].next_spi = 0xd0000100;
	sides[1].next_spi = 0xc0000100;
	ev.u.conn = 0;
	feed(&sides[0], 0, &ev);
	pump(sides);
	if (!up(&sides[0]) || !up(&sides[1]))
		fail("negotiation did not complete");
	ike_engine_free(sides[0].eng);
	ike_engine_free(sides[1].eng);
}

/* ---- the crypto bound: the same calls, nothing else ---- */

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if ((x) < 0)                                                                       \
			fail(#x);                                                                  \
	} while (0)

static void cbc_roundtrip(const struct keys_phase1 *k, size_t len)
{
	uint8_t buf[512], out[512], iv[CRYPTO_BLOCK_MAX_LEN];

	memset(buf, 0x42, len);
	memcpy(iv, k->iv, sizeof(iv));
	CHECK(crypto_cbc_encrypt(k->cipher, k->enc_key, k->enc_key_len, iv, buf, len, out, iv));
	CHECK(crypto_cbc_decrypt(k->cipher, k->enc_key, k->enc_key_len, k->iv, out, len, buf, iv));
}

/* Both sides of MM PSK + QM (no PFS): keygen, DH, SKEYID & co., HASH_I/R
 * made and checked, MM5/MM6 and QM1-3 encrypted and decrypted, HASH(1-3)
 * made and checked, four KEYMATs. */
static void crypto_once(uint16_t group)
{
	static const uint8_t psk[] = "benchmark pre-shared key";
	const size_t pl = crypto_dh_public_len(group), sl = crypto_dh_secret_len(group);
	struct crypto_dh *dh[2];
	uint8_t pub[2][CRYPTO_DH_MAX_LEN], gxy[CRYPTO_DH_MAX_LEN], h[CRYPTO_HASH_MAX_LEN];
	uint8_t n[2][32], cky[2][8], sa[56], id[8], body[120], spi[4] = { 1, 2, 3, 4 };
	uint8_t qn[2][32], iv[CRYPTO_BLOCK_MAX_LEN];
	struct keys_phase1 k[2];
	struct keys_child child;
	struct crypto_chunk pc = CRYPTO_CHUNK(body, sizeof(body));

	memset(sa, 1, sizeof(sa));
	memset(id, 2, sizeof(id));
	memset(body, 3, sizeof(body));
	for (int i = 0; i < 2; i++) {
		CHECK(crypto_random(cky[i], 8));
		CHECK(crypto_random(n[i], 32));
		CHECK(crypto_dh_generate(group, &dh[i]));
		CHECK(crypto_dh_public(dh[i], pub[i], pl));
	}
	for (int i = 0; i < 2; i++) {
		struct keys_phase1_in in = {
			.hash = IKE_HASH_SHA2_256,
			.cipher = IKE_CIPHER_AES_CBC,
			.key_bits = 128,
			.auth = KEYS_AUTH_PSK,
			.psk = CRYPTO_CHUNK(psk, sizeof(psk) - 1),
			.ni_b = CRYPTO_CHUNK(n[0], 32),
			.nr_b = CRYPTO_CHUNK(n[1], 32),
			.gxy = CRYPTO_CHUNK(gxy, sl),
			.gxi = CRYPTO_CHUNK(pub[0], pl),
			.gxr = CRYPTO_CHUNK(pub[1], pl),
		};

		CHECK(crypto_dh_compute(dh[i], pub[1 - i], pl, gxy, sl));
		memcpy(in.cky_i, cky[0], 8);
		memcpy(in.cky_r, cky[1], 8);
		CHECK(keys_phase1_derive(&in, &k[i]));
		crypto_dh_free(dh[i]);
	}
	for (int i = 0; i < 2; i++) {
		CHECK(keys_hash_i(&k[i], CRYPTO_CHUNK(pub[0], pl), CRYPTO_CHUNK(pub[1], pl), cky[0],
				  cky[1], CRYPTO_CHUNK(sa, sizeof(sa)),
				  CRYPTO_CHUNK(id, sizeof(id)), h, sizeof(h)));
		CHECK(keys_hash_r(&k[i], CRYPTO_CHUNK(pub[0], pl), CRYPTO_CHUNK(pub[1], pl), cky[0],
				  cky[1], CRYPTO_CHUNK(sa, sizeof(sa)),
				  CRYPTO_CHUNK(id, sizeof(id)), h, sizeof(h)));
		cbc_roundtrip(&k[i], 48); /* MM5 or MM6, sent and received */
		CHECK(crypto_random(qn[i], 32));
		CHECK(keys_phase2_iv(&k[i], k[i].iv, 0x01020304, iv));
		CHECK(keys_qm_hash1(&k[i], 0x01020304, &pc, 1, h, sizeof(h)));
		CHECK(keys_qm_hash2(&k[i], 0x01020304, CRYPTO_CHUNK(qn[0], 32), &pc, 1, h,
				    sizeof(h)));
		CHECK(keys_qm_hash3(&k[i], 0x01020304, CRYPTO_CHUNK(qn[0], 32),
				    CRYPTO_CHUNK(qn[1], 32), h, sizeof(h)));
		cbc_roundtrip(&k[i], 160); /* QM1 + QM2 */
		cbc_roundtrip(&k[i], 48);  /* QM3 */
		for (int d = 0; d < 2; d++) {
			CHECK(keys_child_derive(&k[i], CRYPTO_CHUNK(NULL, 0), 3,
						CRYPTO_CHUNK(spi, 4), CRYPTO_CHUNK(qn[0], 32),
						CRYPTO_CHUNK(qn[1], 32), KEYS_ESP_AES_CBC, 128,
						KEYS_AUTH_HMAC_SHA1, &child));
			keys_child_wipe(&child);
		}
		keys_phase1_wipe(&k[i]);
	}
}

/*
 * Run @fn @n times in each of @workers processes (one per core); return
 * negotiations per second of the whole machine. The CPU time each worker
 * used (wait4() rusage) is the denominator, not the wall clock: the build
 * machine is shared, and time spent waiting for a core someone else holds
 * is not the engine's. Both the engine and the bound are measured this way.
 */
static double per_second(void (*fn)(uint16_t), unsigned per_call, uint16_t group, unsigned n,
			 unsigned workers)
{
	unsigned ok = 0;
	double cpu = 0;

	n = (n + per_call - 1) / per_call * per_call;
	fn(group); /* warm up (OpenSSL lazy init) before forking */
	for (unsigned w = 0; w < workers; w++) {
		pid_t pid = fork();

		if (pid < 0)
			fail("fork");
		if (pid == 0) {
			for (unsigned i = 0; i < n / per_call; i++)
				fn(group);
			_exit(0);
		}
	}
	for (unsigned w = 0; w < workers; w++) {
		struct rusage ru;
		int st;

		if (wait4(-1, &st, 0, &ru) > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			ok++;
			cpu += (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
			       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
		}
	}
	if (ok != workers || cpu <= 0)
		fail("a worker failed");
	/* Each worker's rate, summed over the workers (cores). */
	return (double)n * workers / (cpu / workers);
}

/* ---- memory per tunnel ---- */

static size_t heap_used(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

static double bytes_per_tunnel(unsigned tunnels)
{
	static struct side sides[2];
	struct ike_conn_cfg rc;
	struct ike_engine_cfg rcfg = { .conns = &rc, .n_conns = 1 };
	size_t before, after;
	struct ike_status st;

	conn_fill(&rc, "198.51.100.1", 500, NULL, IKE_DH_ECP_256); /* any peer */
	if (ike_engine_new(&rcfg, &sides[1].eng))
		fail("ike_engine_new");
	sides[1].next_spi = 0xc0000100;
	negotiate_once(IKE_DH_ECP_256); /* warm up allocator caches */
	before = heap_used();
	for (unsigned i = 0; i < tunnels; i++) {
		struct ike_conn_cfg ic;
		struct ike_engine_cfg icfg = { .conns = &ic, .n_conns = 1 };
		struct ike_event ev = { .type = IKE_EV_INITIATE };

		char addr[32];

		/* Each tunnel from its own (in-memory) address: its own IKE SA and
		 * its own inner address (one peer may not take another's). */
		snprintf(addr, sizeof(addr), "10.1.%u.%u", i / 250, i % 250 + 1);
		conn_fill(&ic, addr, 500, "198.51.100.1", IKE_DH_ECP_256);
		/* ... and its own identity: INITIAL-CONTACT removes by identity. */
		ic.local_id.type = 2; /* FQDN */
		ic.local_id.len = (uint8_t)snprintf((char *)ic.local_id.data,
						    sizeof(ic.local_id.data), "rw%u.example", i);
		if (ike_engine_new(&icfg, &sides[0].eng))
			fail("ike_engine_new");
		sides[0].next_spi = 0xd0000100 + i;
		ev.u.conn = 0;
		feed(&sides[0], 0, &ev);
		pump(sides);
		if (!up(&sides[0]))
			fail("memory run: negotiation did not complete");
		ike_engine_free(sides[0].eng);
	}
	after = heap_used();
	ike_engine_status(sides[1].eng, &st);
	if (st.ike_established != tunnels || st.ipsec_sas != tunnels)
		fail("memory run: not every tunnel is up");
	ike_engine_free(sides[1].eng);
	return (double)(after - before) / tunnels;
}

int main(void)
{
	const char *env_n = getenv("BENCH_N"), *env_w = getenv("BENCH_WORKERS");
	unsigned n = env_n ? (unsigned)atoi(env_n) : 400;
	unsigned workers = env_w ? (unsigned)atoi(env_w) : 2;
	static const uint16_t groups[] = { IKE_DH_MODP_2048, IKE_DH_ECP_256 };

	if (!n || !workers)
		fail("BENCH_N and BENCH_WORKERS must be positive");
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		if (getenv("BENCH_GROUP") && (unsigned)atoi(getenv("BENCH_GROUP")) != groups[g])
			continue;
		unsigned ng = groups[g] == IKE_DH_MODP_2048 ? (n + 3) / 4 : n;
		double bound = 0, eng = 0;

		/* The machine is shared: interleave five rounds, keep the best of
		 * each, so a burst of foreign load does not skew the ratio. */
		for (int r = 0; r < 5; r++) {
			const char *only =
				getenv("BENCH_ONLY"); /* "engine" or "bound": profiling */
			double b = only && !strcmp(only, "engine")
					   ? 1
					   : per_second(crypto_once, 1, groups[g], ng, workers);
			double e = only && !strcmp(only, "bound")
					   ? 1
					   : per_second(negotiate_batch, BATCH, groups[g], ng,
							workers);

			bound = b > bound ? b : bound;
			eng = e > eng ? e : eng;
		}

		printf("BENCH handshake group=%u per_s=%.1f bound_per_s=%.1f ratio=%.3f\n",
		       groups[g], eng, bound, eng / bound);
		fflush(stdout);
	}
	if (!getenv("BENCH_NO_MEMORY"))
		printf("BENCH memory bytes_per_tunnel=%.0f\n", bytes_per_tunnel(1000));
	return 0;
}
