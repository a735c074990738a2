// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Handshake benchmark: complete Main Mode PSK + Quick Mode negotiations
 * between two in-memory engines (datagrams handed over directly, a fake
 * kernel answering SPI allocations; batches of BATCH negotiations per
 * engine pair), next to the crypto bound: every cryptographic call one
 * negotiation makes (both sides), made alone through the same
 * ike/crypto/crypto.h and ike/crypto/keys.h functions the engine uses.
 *
 * The bound is a bound: the link counts every crypto.h call (ld --wrap), and
 * before timing, check_bound() compares the engine's calls per negotiation
 * with the bound's, kind by kind and byte by byte; any difference is a bench
 * error. The engine does all of the bound's work plus its own, so its rate
 * cannot exceed the bound's. Both are timed in this one process, in
 * alternating rounds of round_cpu_s CPU seconds each; ratio is the median of
 * the rounds' engine/bound ratios and spread half their range. A ratio above
 * 1 + spread is a measurement error: the line then ends in error=... and
 * the program exits 1.
 *
 * Then the engine's memory per established tunnel (IKE SA + one IPsec SA
 * pair): mallinfo2() growth of one responder engine over 1000 tunnels, each
 * negotiated with a fresh initiator engine that is freed before the next.
 *
 * Output:
 *   BENCH handshake group=14 per_s=... bound_per_s=... ratio=... spread=... ...
 *   BENCH handshake group=19 per_s=... bound_per_s=... ratio=... spread=... ...
 *   BENCH memory bytes_per_tunnel=...
 * per_s and bound_per_s: negotiations per CPU second of one core, medians of
 * the rounds. crypto_calls: crypto.h calls per negotiation (engine = bound).
 * Environment: BENCH_SHORT=1 (CI smoke: 7 rounds of 0.1 s, 200 tunnels;
 * default 7 rounds of 1.5 s), BENCH_ROUNDS, BENCH_ROUND_S, BENCH_GROUP (only
 * that group), BENCH_NO_MEMORY, BENCH_TRACE=1 (list the engine's and the
 * bound's crypto calls on stderr). Negative controls for
 * tests/stages/bench-smoke.sh: BENCH_ENGINE_SCALE multiplies the engine's
 * measured rate, BENCH_BOUND_WITHOUT_COOKIES=1 leaves the two cookie HMACs
 * out of the bound (as before issue 12); both must end in error=...
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
static void negotiate_batch(uint16_t group, unsigned n)
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
	for (unsigned i = 0; i < n; i++) {
		struct ike_event ev = { .type = IKE_EV_INITIATE };

		ev.u.conn = i;
		feed(&sides[0], 0, &ev);
		pump(sides);
	}
	for (int s = 0; s < 2; s++) {
		ike_engine_status(sides[s].eng, &st);
		if (st.ipsec_sas != n)
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

/* ---- every crypto call, counted (ld --wrap, see tests/bench/local.mk) ---- */

/*
 * The link wraps the crypto.h entry points below, and EVP_Digest() (the
 * NAT-D hashes of natt/ use it directly): every call the engine, keys.c or
 * the bound makes goes through a counter first. check_bound()
 * compares one engine negotiation with one crypto_once() call by call kind
 * and by bytes, so the bound provably does the engine's cryptography, no
 * less and no more. The counters cost a few nanoseconds per call, the same
 * on both sides of the ratio.
 */
enum op {
	OP_RANDOM,
	OP_HASH,
	OP_PRF,
	OP_PRF_EXPAND,
	OP_DH_GENERATE,
	OP_DH_GENERATE_FROM,
	OP_DH_FROM_PRIVATE,
	OP_DH_PUBLIC,
	OP_DH_CHECK_PEER,
	OP_DH_COMPUTE,
	OP_CBC_ENCRYPT,
	OP_CBC_DECRYPT,
	OP_EVP_DIGEST,
	OP_N
};

static const char *const op_names[OP_N] = {
	"random",	   "hash",	  "prf",
	"prf_expand",	   "dh_generate", "dh_generate_from",
	"dh_from_private", "dh_public",	  "dh_check_peer",
	"dh_compute",	   "cbc_encrypt", "cbc_decrypt",
	"EVP_Digest",
};

struct tally {
	unsigned long calls[OP_N], bytes[OP_N];
};

static struct tally tally;
static bool tracing;
static bool without_cookies; /* BENCH_BOUND_WITHOUT_COOKIES: negative control */

static void count(enum op o, size_t bytes)
{
	tally.calls[o]++;
	tally.bytes[o] += bytes;
	if (tracing)
		fprintf(stderr, "  %-15s %zu bytes\n", op_names[o], bytes);
}

static size_t chunks_len(const struct crypto_chunk *in, size_t n)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += in[i].len;
	return len;
}

int __real_crypto_random(uint8_t *buf, size_t len);
int __wrap_crypto_random(uint8_t *buf, size_t len);
int __real_crypto_hash(enum ike_hash_alg alg, const struct crypto_chunk *in, size_t n, uint8_t *out,
		       size_t out_size);
int __wrap_crypto_hash(enum ike_hash_alg alg, const struct crypto_chunk *in, size_t n, uint8_t *out,
		       size_t out_size);
int __real_crypto_prf(enum ike_hash_alg alg, const uint8_t *key, size_t key_len,
		      const struct crypto_chunk *in, size_t n, uint8_t *out, size_t out_size);
int __wrap_crypto_prf(enum ike_hash_alg alg, const uint8_t *key, size_t key_len,
		      const struct crypto_chunk *in, size_t n, uint8_t *out, size_t out_size);
int __real_crypto_prf_expand(enum ike_hash_alg alg, const uint8_t *key, size_t key_len,
			     const struct crypto_chunk *in, size_t n, uint8_t *out, size_t out_len);
int __wrap_crypto_prf_expand(enum ike_hash_alg alg, const uint8_t *key, size_t key_len,
			     const struct crypto_chunk *in, size_t n, uint8_t *out, size_t out_len);
int __real_crypto_dh_generate(enum ike_dh_group group, struct crypto_dh **out);
int __wrap_crypto_dh_generate(enum ike_dh_group group, struct crypto_dh **out);
int __real_crypto_dh_generate_from(enum ike_dh_group group, crypto_random_fn rnd, void *arg,
				   struct crypto_dh **out);
int __wrap_crypto_dh_generate_from(enum ike_dh_group group, crypto_random_fn rnd, void *arg,
				   struct crypto_dh **out);
int __real_crypto_dh_from_private(enum ike_dh_group group, const uint8_t *priv, size_t priv_len,
				  struct crypto_dh **out);
int __wrap_crypto_dh_from_private(enum ike_dh_group group, const uint8_t *priv, size_t priv_len,
				  struct crypto_dh **out);
int __real_crypto_dh_public(const struct crypto_dh *dh, uint8_t *out, size_t out_len);
int __wrap_crypto_dh_public(const struct crypto_dh *dh, uint8_t *out, size_t out_len);
int __real_crypto_dh_check_peer(enum ike_dh_group group, const uint8_t *peer, size_t peer_len);
int __wrap_crypto_dh_check_peer(enum ike_dh_group group, const uint8_t *peer, size_t peer_len);
int __real_crypto_dh_compute(const struct crypto_dh *dh, const uint8_t *peer, size_t peer_len,
			     uint8_t *secret, size_t secret_len);
int __wrap_crypto_dh_compute(const struct crypto_dh *dh, const uint8_t *peer, size_t peer_len,
			     uint8_t *secret, size_t secret_len);
int __real_crypto_cbc_encrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t key_len,
			      const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
			      uint8_t *next_iv);
int __wrap_crypto_cbc_encrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t key_len,
			      const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
			      uint8_t *next_iv);
int __real_crypto_cbc_decrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t key_len,
			      const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
			      uint8_t *next_iv);
int __wrap_crypto_cbc_decrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t key_len,
			      const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
			      uint8_t *next_iv);

int __real_EVP_Digest(const void *data, size_t n, unsigned char *md, unsigned int *size,
		      const EVP_MD *type, ENGINE *impl);
int __wrap_EVP_Digest(const void *data, size_t n, unsigned char *md, unsigned int *size,
		      const EVP_MD *type, ENGINE *impl);

int __wrap_crypto_random(uint8_t *buf, size_t len)
{
	count(OP_RANDOM, len);
	return __real_crypto_random(buf, len);
}

int __wrap_crypto_hash(enum ike_hash_alg alg, const struct crypto_chunk *in, size_t n, uint8_t *out,
		       size_t out_size)
{
	count(OP_HASH, chunks_len(in, n));
	return __real_crypto_hash(alg, in, n, out, out_size);
}

/* prf bytes: key and data (a key longer than the block is hashed first). */
int __wrap_crypto_prf(enum ike_hash_alg alg, const uint8_t *key, size_t key_len,
		      const struct crypto_chunk *in, size_t n, uint8_t *out, size_t out_size)
{
	count(OP_PRF, key_len + chunks_len(in, n));
	return __real_crypto_prf(alg, key, key_len, in, n, out, out_size);
}

/* prf_expand bytes: key, data and output (its length sets the prf rounds). */
int __wrap_crypto_prf_expand(enum ike_hash_alg alg, const uint8_t *key, size_t key_len,
			     const struct crypto_chunk *in, size_t n, uint8_t *out, size_t out_len)
{
	count(OP_PRF_EXPAND, key_len + chunks_len(in, n) + out_len);
	return __real_crypto_prf_expand(alg, key, key_len, in, n, out, out_len);
}

int __wrap_crypto_dh_generate(enum ike_dh_group group, struct crypto_dh **out)
{
	count(OP_DH_GENERATE, crypto_dh_public_len(group));
	return __real_crypto_dh_generate(group, out);
}

/* The engine's key pairs (its random source, NULL here: OpenSSL's). */
int __wrap_crypto_dh_generate_from(enum ike_dh_group group, crypto_random_fn rnd, void *arg,
				   struct crypto_dh **out)
{
	count(OP_DH_GENERATE_FROM, crypto_dh_public_len(group));
	return __real_crypto_dh_generate_from(group, rnd, arg, out);
}

int __wrap_crypto_dh_from_private(enum ike_dh_group group, const uint8_t *priv, size_t priv_len,
				  struct crypto_dh **out)
{
	count(OP_DH_FROM_PRIVATE, priv_len);
	return __real_crypto_dh_from_private(group, priv, priv_len, out);
}

int __wrap_crypto_dh_public(const struct crypto_dh *dh, uint8_t *out, size_t out_len)
{
	count(OP_DH_PUBLIC, out_len);
	return __real_crypto_dh_public(dh, out, out_len);
}

int __wrap_crypto_dh_check_peer(enum ike_dh_group group, const uint8_t *peer, size_t peer_len)
{
	count(OP_DH_CHECK_PEER, peer_len);
	return __real_crypto_dh_check_peer(group, peer, peer_len);
}

int __wrap_crypto_dh_compute(const struct crypto_dh *dh, const uint8_t *peer, size_t peer_len,
			     uint8_t *secret, size_t secret_len)
{
	count(OP_DH_COMPUTE, peer_len);
	return __real_crypto_dh_compute(dh, peer, peer_len, secret, secret_len);
}

int __wrap_crypto_cbc_encrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t key_len,
			      const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
			      uint8_t *next_iv)
{
	count(OP_CBC_ENCRYPT, len);
	return __real_crypto_cbc_encrypt(alg, key, key_len, iv, in, len, out, next_iv);
}

int __wrap_crypto_cbc_decrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t key_len,
			      const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
			      uint8_t *next_iv)
{
	count(OP_CBC_DECRYPT, len);
	return __real_crypto_cbc_decrypt(alg, key, key_len, iv, in, len, out, next_iv);
}

/* Hashing outside crypto.h: the NAT-D hashes (natt/natd.c; none here, no NAT-T). */
int __wrap_EVP_Digest(const void *data, size_t n, unsigned char *md, unsigned int *size,
		      const EVP_MD *type, ENGINE *impl)
{
	count(OP_EVP_DIGEST, n);
	return __real_EVP_Digest(data, n, md, size, type, impl);
}

/* ---- the crypto bound: the engine's crypto calls, nothing else ---- */

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if ((x) < 0)                                                                       \
			fail(#x);                                                                  \
	} while (0)

/*
 * Sizes of what the engine feeds its crypto in this negotiation (suite of
 * conn_fill(), IPv4 identities, no NAT-T): Phase 1 SA payload body, ID
 * payload body, the Quick Mode payloads after HASH, and each encrypted
 * message body with its padding. check_bound() proves them right: a change
 * in the engine's encoding shows up as a byte difference there.
 */
#define SA_B_LEN  52
#define ID_B_LEN  8
#define QM_PL_LEN 112
#define MM5_LEN	  80
#define MM6_LEN	  64
#define QM1_LEN	  160
#define QM2_LEN	  160
#define QM3_LEN	  48

/* One encrypted message: the sender encrypts, the receiver decrypts. */
static void message(const struct keys_phase1 *k, const uint8_t *iv, size_t len)
{
	uint8_t buf[512], out[512], next[CRYPTO_BLOCK_MAX_LEN];

	memset(buf, 0x42, len);
	CHECK(crypto_cbc_encrypt(k->cipher, k->enc_key, k->enc_key_len, iv, buf, len, out, next));
	CHECK(crypto_cbc_decrypt(k->cipher, k->enc_key, k->enc_key_len, iv, out, len, buf, next));
}

/*
 * Every cryptographic operation of one Main Mode PSK + Quick Mode (no PFS)
 * negotiation, both sides, in the engine's order (BENCH_TRACE=1 lists the
 * engine's calls next to these):
 *   MM1, MM2  each side's cookie: prf(secret, peer | time | counter)
 *   MM3, MM4  each side: DH key pair, its public value, a nonce
 *   keys      each side: g^xy, SKEYID, SKEYID_d/a/e, Phase 1 IV
 *   MM5, MM6  HASH_I and HASH_R each made by one side and checked by the
 *             other; each message encrypted and decrypted; the initiator
 *             draws its IKE SA's rekey jitter
 *   QM1       message ID, Ni, HASH(1), the Phase 2 IV on each side
 *   QM2       Nr, HASH(2)
 *   QM3       HASH(3); on each side KEYMAT for both SAs; the initiator
 *             draws its IPsec SA's rekey jitter
 * Each QM message is encrypted by its sender and decrypted by its receiver,
 * and each HASH is made by the sender and checked by the receiver.
 */
static void crypto_once(uint16_t group)
{
	static const uint8_t psk[] = "benchmark pre-shared key";
	const size_t pl = crypto_dh_public_len(group), sl = crypto_dh_secret_len(group);
	uint8_t secret[2][32], peer[sizeof(struct sockaddr_in6)] = { 0 }, cky[2][32];
	uint8_t pub[2][CRYPTO_DH_MAX_LEN], gxy[CRYPTO_DH_MAX_LEN], h[CRYPTO_HASH_MAX_LEN];
	uint8_t n[2][32], qn[2][32], sa[SA_B_LEN], id[ID_B_LEN], qm[QM_PL_LEN], spi[4] = { 0 };
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN], jitter[8];
	uint64_t now = 1, ctr = 1;
	uint32_t msgid;
	struct crypto_dh *dh[2];
	struct keys_phase1 k[2];
	struct keys_child child;
	struct crypto_chunk ck[3] = { CRYPTO_CHUNK(peer, sizeof(peer)),
				      CRYPTO_CHUNK(&now, sizeof(now)),
				      CRYPTO_CHUNK(&ctr, sizeof(ctr)) };
	struct crypto_chunk qc = CRYPTO_CHUNK(qm, sizeof(qm));

	memset(secret, 7, sizeof(secret));
	memset(sa, 1, sizeof(sa));
	memset(id, 2, sizeof(id));
	memset(qm, 3, sizeof(qm));
	for (int i = 0; i < 2 && !without_cookies; i++) /* MM1, MM2 */
		CHECK(crypto_prf(IKE_HASH_SHA2_256, secret[i], sizeof(secret[i]), ck, 3, cky[i],
				 sizeof(cky[i])));
	for (int i = 0; i < 2; i++) { /* MM3, MM4 */
		CHECK(crypto_dh_generate_from(group, NULL, NULL, &dh[i]));
		CHECK(crypto_dh_public(dh[i], pub[i], pl));
		CHECK(crypto_random(n[i], sizeof(n[i])));
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
	for (int i = 0; i < 2; i++) { /* MM5 (HASH_I), MM6 (HASH_R) */
		for (int side = 0; side < 2; side++)
			CHECK((i ? keys_hash_r : keys_hash_i)(
				&k[side], CRYPTO_CHUNK(pub[0], pl), CRYPTO_CHUNK(pub[1], pl),
				cky[0], cky[1], CRYPTO_CHUNK(sa, sizeof(sa)),
				CRYPTO_CHUNK(id, sizeof(id)), h, sizeof(h)));
		message(&k[0], k[0].iv, i ? MM6_LEN : MM5_LEN);
	}
	CHECK(crypto_random(jitter, sizeof(jitter)));
	CHECK(crypto_random((uint8_t *)&msgid, sizeof(msgid))); /* QM1 */
	CHECK(crypto_random(qn[0], sizeof(qn[0])));
	for (int side = 0; side < 2; side++) {
		CHECK(keys_qm_hash1(&k[side], msgid, &qc, 1, h, sizeof(h)));
		CHECK(keys_phase2_iv(&k[side], k[side].iv, msgid, iv));
	}
	message(&k[0], iv, QM1_LEN);
	CHECK(crypto_random(qn[1], sizeof(qn[1]))); /* QM2 */
	for (int side = 0; side < 2; side++)
		CHECK(keys_qm_hash2(&k[side], msgid, CRYPTO_CHUNK(qn[0], 32), &qc, 1, h,
				    sizeof(h)));
	message(&k[0], iv, QM2_LEN);
	for (int side = 0; side < 2; side++) { /* QM3 */
		CHECK(keys_qm_hash3(&k[side], msgid, CRYPTO_CHUNK(qn[0], 32),
				    CRYPTO_CHUNK(qn[1], 32), h, sizeof(h)));
		for (int d = 0; d < 2; d++) {
			CHECK(keys_child_derive(&k[side], CRYPTO_CHUNK(NULL, 0), 3,
						CRYPTO_CHUNK(spi, 4), CRYPTO_CHUNK(qn[0], 32),
						CRYPTO_CHUNK(qn[1], 32), KEYS_ESP_AES_CBC, 128,
						KEYS_AUTH_HMAC_SHA1, &child));
			keys_child_wipe(&child);
		}
	}
	message(&k[0], iv, QM3_LEN);
	CHECK(crypto_random(jitter, sizeof(jitter)));
	for (int side = 0; side < 2; side++)
		keys_phase1_wipe(&k[side]);
}

static void tally_sub(struct tally *a, const struct tally *b)
{
	for (int o = 0; o < OP_N; o++) {
		a->calls[o] -= b->calls[o];
		a->bytes[o] -= b->bytes[o];
	}
}

/*
 * The bound's calls against the engine's, per negotiation: the engine's
 * tally over BATCH negotiations minus that of engines that negotiate
 * nothing (their set-up), divided by BATCH. Set @calls to the bound's
 * crypto calls per negotiation; return false (after listing the
 * differences) when the bound does not make exactly the engine's calls with
 * exactly its byte counts.
 */
static bool check_bound(uint16_t group, unsigned long *calls)
{
	struct tally base, eng, bound;
	bool same = true;

	memset(&tally, 0, sizeof(tally));
	negotiate_batch(group, 0);
	base = tally;
	memset(&tally, 0, sizeof(tally));
	negotiate_batch(group, BATCH);
	eng = tally;
	tally_sub(&eng, &base);
	memset(&tally, 0, sizeof(tally));
	crypto_once(group);
	bound = tally;
	for (int o = 0; o < OP_N; o++) {
		if (eng.calls[o] % BATCH || eng.bytes[o] % BATCH ||
		    eng.calls[o] / BATCH != bound.calls[o] ||
		    eng.bytes[o] / BATCH != bound.bytes[o]) {
			fprintf(stderr,
				"bench_handshake: group %u %s: engine %.2f calls %.1f bytes per "
				"negotiation, bound %lu calls %lu bytes\n",
				group, op_names[o], (double)eng.calls[o] / BATCH,
				(double)eng.bytes[o] / BATCH, bound.calls[o], bound.bytes[o]);
			same = false;
		}
		*calls += bound.calls[o];
	}
	return same;
}

/* ---- timing: CPU time of this process, bound and engine interleaved ---- */

static double cpu_s(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
		fail("clock_gettime");
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bound_unit(uint16_t group)
{
	crypto_once(group);
}

static void engine_unit(uint16_t group)
{
	negotiate_batch(group, BATCH);
}

/*
 * Negotiations per CPU second: @unit (@per_unit negotiations) repeated
 * until it used @secs of CPU time. CPU time, not wall time: the machine is
 * shared, and time spent waiting for a core someone else holds is neither
 * the engine's nor the bound's.
 */
static double rate(void (*unit)(uint16_t), unsigned per_unit, uint16_t group, double secs)
{
	double t0 = cpu_s(), t;
	unsigned long n = 0;

	do {
		unit(group);
		n += per_unit;
		t = cpu_s() - t0;
	} while (t < secs);
	return (double)n / t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define MAX_ROUNDS 64

/*
 * BENCH handshake line of one group; return false on a bench error.
 * @rounds alternating rounds (bound first in even rounds, engine first in
 * odd ones), each side @secs of CPU time per round. ratio is the median of
 * the rounds' engine/bound ratios, spread half their range. The engine does
 * the bound's work and more, so its ratio cannot exceed 1: a median above
 * 1 + spread is a measurement error and is reported as such.
 */
static bool bench_group(uint16_t group, unsigned rounds, double secs)
{
	double b[MAX_ROUNDS], e[MAX_ROUNDS], r[MAX_ROUNDS], lo, hi, ratio, spread;
	unsigned long calls = 0;
	const bool same = check_bound(group, &calls);
	const char *error = NULL, *env_scale = getenv("BENCH_ENGINE_SCALE");
	const double scale = env_scale ? atof(env_scale) : 1;

	rate(bound_unit, 1, group, secs / 4); /* warm-up */
	rate(engine_unit, BATCH, group, secs / 4);
	for (unsigned i = 0; i < rounds; i++) {
		if (i % 2 == 0) {
			b[i] = rate(bound_unit, 1, group, secs);
			e[i] = rate(engine_unit, BATCH, group, secs);
		} else {
			e[i] = rate(engine_unit, BATCH, group, secs);
			b[i] = rate(bound_unit, 1, group, secs);
		}
		e[i] *= scale;
		r[i] = e[i] / b[i];
	}
	ratio = median(r, rounds); /* sorts r */
	lo = r[0];
	hi = r[rounds - 1];
	spread = (hi - lo) / 2;
	if (!same)
		error = "bound_is_not_the_engines_crypto";
	else if (ratio - 1 > spread)
		error = "ratio_above_1_beyond_spread";
	printf("BENCH handshake group=%u per_s=%.1f bound_per_s=%.1f ratio=%.3f spread=%.3f "
	       "ratio_min=%.3f ratio_max=%.3f rounds=%u round_cpu_s=%.2f crypto_calls=%lu%s%s\n",
	       group, median(e, rounds), median(b, rounds), ratio, spread, lo, hi, rounds, secs,
	       calls, error ? " error=" : "", error ? error : "");
	fflush(stdout);
	return !error;
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
	static const uint16_t groups[] = { IKE_DH_MODP_2048, IKE_DH_ECP_256 };
	const bool short_run = getenv("BENCH_SHORT") && strcmp(getenv("BENCH_SHORT"), "0");
	const char *env_r = getenv("BENCH_ROUNDS"), *env_s = getenv("BENCH_ROUND_S");
	const char *env_g = getenv("BENCH_GROUP");
	unsigned rounds = env_r ? (unsigned)atoi(env_r) : 7;
	double secs = env_s ? atof(env_s) : short_run ? 0.1 : 1.5;
	bool ok = true;

	without_cookies = getenv("BENCH_BOUND_WITHOUT_COOKIES") != NULL;
	if (!rounds || rounds > MAX_ROUNDS || !(secs > 0))
		fail("BENCH_ROUNDS must be 1..64 and BENCH_ROUND_S positive");
	if (getenv("BENCH_TRACE")) {
		for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
			negotiate_batch(groups[g], 1); /* warm-up (OpenSSL lazy init) */
			fprintf(stderr,
				"engine, group %u (two engines created, one negotiation):\n",
				groups[g]);
			tracing = true;
			negotiate_batch(groups[g], 1);
			fprintf(stderr, "bound, group %u:\n", groups[g]);
			crypto_once(groups[g]);
			tracing = false;
		}
	}
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		if (!env_g || (unsigned)atoi(env_g) == groups[g])
			ok &= bench_group(groups[g], rounds, secs);
	if (!getenv("BENCH_NO_MEMORY"))
		printf("BENCH memory bytes_per_tunnel=%.0f\n",
		       bytes_per_tunnel(short_run ? 200 : 1000));
	return ok ? 0 : 1;
}
