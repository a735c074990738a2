// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: hostile input that decrypts and verifies, for the handlers
 * behind the engine's cryptographic checks (Quick Mode, Informational:
 * Delete, notifications, DPD, INITIAL-CONTACT, CONNECTED).
 *
 * Every input starts from the same situation: a gateway engine (%any,
 * PSK, DPD) and a road warrior engine that negotiated Main Mode and one
 * Quick Mode in-process (datagrams handed from one to the other, the fake
 * kernel answering SPI allocations at once), every random byte from one
 * fixed seed (ike_engine_cfg.random), so an input replays exactly. The
 * fuzzer's bytes are the decrypted payloads of one protected message;
 * this file builds the rest as the peer would (header, HASH(1)/HASH(2)
 * with the shared SKEYID_a, padding, encryption with the exchange's IV) so
 * that the message passes decryption and the HASH check and reaches the
 * handler.
 *
 * Input:
 *   [0]     what: 0 Informational to the gw, 1 QM1 to the gw (a new Quick
 *           Mode), 2 QM2 to the rw (answering a Quick Mode it started),
 *           3 Informational to the rw
 *   [1..4]  M-ID (big endian; Informational and QM1; 0 = 1)
 *   [5]     flags: 1 deliver it twice (replay), 2 then 60 s of timers
 *           (DPD, retransmissions), 4 then 2 h of timers (lifetimes)
 *   [6..]   payloads: type (1 byte), length (2 bytes, big endian), body;
 *           at most 16. In bodies, the 4-byte tokens $CI0 $CI1 $CR0 $CR1
 *           become the halves of the IKE SA's cookies, $SPI the rw's
 *           inbound SPI (what the rw names in a Delete), $SPO the gw's
 *           inbound SPI, $MID the established Quick Mode's M-ID: the
 *           seeds reach past the "unknown SPI" checks.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/engine_int.h"
#include "ike/v1/ikev1_exchanges.h"
#include "ike/ikev1_msg.h"
#include "ike/wire/isakmp.h"
#include "tests/fuzz/fuzz.h"

#define FLIGHTS_MAX  32
#define PAYLOADS_MAX 16

struct flight {
	struct sockaddr_storage src, dst;
	size_t len;
	uint8_t buf[IKE_ENGINE_MAX_MSG + 8];
};

struct world {
	struct ike_engine *eng[2]; /* 0 = gw (responder, right=%any), 1 = rw */
	struct sockaddr_storage addr[2];
	uint32_t next_spi[2];
	bool hold[2]; /* drop what this engine sends */
	uint64_t seed[2];
	uint64_t now;
	bool verbose; /* FUZZ_ENGINE_VERBOSE set: print the engines' logs */
	struct flight q[FLIGHTS_MAX];
	unsigned qn;
};

static struct world W;

/* Every random byte of both engines from one fixed seed (ike_engine_cfg.
 * random): an input replays exactly, cookies, nonces, DH values included. */
static int seeded_random(void *arg, uint8_t *buf, size_t len)
{
	uint64_t *st = arg;

	for (size_t i = 0; i < len; i++) {
		uint64_t z = (*st += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		buf[i] = (uint8_t)(z ^ (z >> 31));
	}
	return 0;
}

static void feed(struct world *w, int i, const struct ike_event *ev);

static void addr4(struct sockaddr_storage *ss, const char *ip, uint16_t port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	inet_pton(AF_INET, ip, &in->sin_addr);
}

static void perform(struct world *w, int i, struct ike_actions *out)
{
	struct xk_result res[IKE_ACTIONS_MAX];
	unsigned nres = 0;

	for (size_t k = 0; k < out->n; k++) {
		const struct ike_action *a = &out->v[k];

		if (a->type == IKE_ACT_LOG && w->verbose)
			fprintf(stderr, "%s: %s %s\n", i ? "rw" : "gw",
				ike_reason_name(a->u.log.reason), a->u.log.text);

		if (a->type == IKE_ACT_SEND && !w->hold[i] && w->qn < FLIGHTS_MAX &&
		    a->u.send.len <= sizeof(w->q[0].buf)) {
			struct flight *f = &w->q[w->qn++];

			f->src = a->u.send.local;
			f->dst = a->u.send.remote;
			f->len = a->u.send.len;
			memcpy(f->buf, ike_actions_data(out, a), f->len);
		} else if (a->type == IKE_ACT_KERNEL && a->u.kernel.type == XK_REQ_SPI_ALLOC &&
			   a->u.kernel.cookie) {
			memset(&res[nres], 0, sizeof(res[nres]));
			res[nres].cookie = a->u.kernel.cookie;
			res[nres++].spi = w->next_spi[i]++;
		}
	}
	ike_actions_wipe(out);
	for (unsigned k = 0; k < nres; k++) {
		struct ike_event ev = { .type = IKE_EV_KERNEL_RESULT };

		ev.u.result = res[k];
		feed(w, i, &ev);
	}
}

static void feed(struct world *w, int i, const struct ike_event *ev)
{
	struct ike_actions *out = malloc(sizeof(*out));

	if (!out)
		abort();
	ike_actions_init(out);
	ike_engine_handle(w->eng[i], ev, w->now, out);
	perform(w, i, out);
	free(out);
}

static int node_of(const struct world *w, const struct sockaddr_storage *ss)
{
	for (int i = 0; i < 2; i++)
		if (!memcmp(&((const struct sockaddr_in *)ss)->sin_addr,
			    &((const struct sockaddr_in *)&w->addr[i])->sin_addr, 4))
			return i;
	return -1;
}

/* Deliver datagrams until none is in flight (bounded). */
static void pump(struct world *w)
{
	static struct flight f;

	for (unsigned steps = 0; w->qn && steps < 256; steps++) {
		struct ike_event ev = { .type = IKE_EV_DGRAM };
		int to;

		f = w->q[0];
		memmove(w->q, w->q + 1, --w->qn * sizeof(w->q[0]));
		to = node_of(w, &f.dst);
		if (to < 0)
			continue;
		ev.u.dgram.local = f.dst;
		ev.u.dgram.remote = f.src;
		ev.u.dgram.buf = f.buf;
		ev.u.dgram.len = f.len;
		feed(w, to, &ev);
	}
}

static void run_timers(struct world *w, uint64_t ms, uint64_t step)
{
	for (uint64_t t = 0; t < ms; t += step) {
		struct ike_event ev = { .type = IKE_EV_TIMER };

		w->now += step;
		feed(w, 0, &ev);
		feed(w, 1, &ev);
		pump(w);
	}
}

static void conn_fill(struct ike_conn_cfg *c, const char *local, const char *remote, const char *id)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->name, "fuzz");
	addr4(&c->local, local, 500);
	if (remote)
		addr4(&c->remote, remote, 500);
	c->auth = IKE_AUTH_PSK;
	c->psk_len = 6;
	memcpy(c->psk, "sesame", 6);
	c->p1[0] = (struct ike_p1_proposal){ IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA2_256,
					     IKE_DH_ECP_256 };
	c->n_p1 = 1;
	c->p2[0] = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 };
	c->n_p2 = 1;
	c->mode = XK_MODE_TUNNEL;
	c->dpd_delay_s = 10;
	if (id) {
		c->local_id.type = 2;
		c->local_id.len = (uint8_t)strlen(id);
		memcpy(c->local_id.data, id, c->local_id.len);
	}
}

/* gw and rw with one established IKE SA and IPsec SA; false if that failed. */
static bool world_up(struct world *w)
{
	struct ike_conn_cfg gc, rc;
	struct ike_engine_cfg g = { .conns = &gc, .n_conns = 1 };
	struct ike_engine_cfg r = { .conns = &rc, .n_conns = 1 };
	struct ike_event ini = { .type = IKE_EV_INITIATE, .u.conn = 0 };

	memset(w, 0, sizeof(*w));
	w->verbose = getenv("FUZZ_ENGINE_VERBOSE") != NULL;
	w->now = 1000000;
	w->next_spi[0] = 0xc0000100u;
	w->next_spi[1] = 0xd0000100u;
	addr4(&w->addr[0], "198.51.100.1", 500);
	addr4(&w->addr[1], "203.0.113.5", 500);
	conn_fill(&gc, "198.51.100.1", NULL, NULL);
	conn_fill(&rc, "203.0.113.5", "198.51.100.1", "rw.example");
	g.log_debug = r.log_debug = w->verbose;
	w->seed[0] = 0x6777;
	w->seed[1] = 0x7277;
	g.random = r.random = seeded_random;
	g.random_arg = &w->seed[0];
	r.random_arg = &w->seed[1];
	if (ike_engine_new(&g, &w->eng[0]) < 0 || ike_engine_new(&r, &w->eng[1]) < 0)
		return false;
	feed(w, 1, &ini);
	pump(w);
	return w->eng[0]->sas && w->eng[1]->sas && w->eng[0]->children &&
	       w->eng[0]->children->installed && w->eng[1]->children &&
	       w->eng[1]->children->installed;
}

static void world_down(struct world *w)
{
	ike_engine_free(w->eng[0]);
	ike_engine_free(w->eng[1]);
	w->eng[0] = w->eng[1] = NULL;
	w->qn = 0;
}

static void put_token(uint8_t *body, size_t len, const char *tok, const uint8_t *val)
{
	for (size_t i = 0; i + 4 <= len; i++)
		if (!memcmp(body + i, tok, 4))
			memcpy(body + i, val, 4);
}

static void tokens_replace(const struct world *w, uint8_t *body, size_t len)
{
	const struct ike_sa *sa = w->eng[0]->sas;
	uint32_t spi = htonl(w->eng[1]->children->spi_in);
	uint32_t spo = htonl(w->eng[0]->children->spi_in);
	uint32_t mid = htonl(w->eng[0]->children->msgid);

	put_token(body, len, "$CI0", sa->cky_i);
	put_token(body, len, "$CI1", sa->cky_i + 4);
	put_token(body, len, "$CR0", sa->cky_r);
	put_token(body, len, "$CR1", sa->cky_r + 4);
	put_token(body, len, "$SPI", (const uint8_t *)&spi);
	put_token(body, len, "$SPO", (const uint8_t *)&spo);
	put_token(body, len, "$MID", (const uint8_t *)&mid);
}

/*
 * Build and send, from engine @from over its IKE SA, one protected message:
 * HASH(@kind) then the payloads of @data, encrypted with @iv.
 */
static void send_protected(struct world *w, int from, uint8_t exch, uint32_t msgid, int kind,
			   const uint8_t *ni, size_t ni_len, uint8_t *iv, const uint8_t *data,
			   size_t size)
{
	static uint8_t buf[V1_BODY_MAX], body[V1_BODY_MAX];
	struct ike_actions *out = malloc(sizeof(*out));
	struct ike_sa *sa = w->eng[from]->sas;
	struct isakmp_enc e;
	struct ikev1_ctx ctx;
	ssize_t h;
	unsigned n = 0;

	if (!out)
		abort();
	ike_actions_init(out);
	memset(&ctx, 0, sizeof(ctx));
	ctx.eng = w->eng[from];
	ctx.now = w->now;
	ctx.out = out;
	ctx.sa = sa;
	v1_enc_init(&e, buf, sizeof(buf) - 64);
	h = v1_hash_reserve(&e, sa);
	while (size >= 3 && n++ < PAYLOADS_MAX) {
		uint8_t type = data[0];
		size_t len = (size_t)data[1] << 8 | data[2];

		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		memcpy(body, data, len);
		tokens_replace(w, body, len);
		isakmp_enc_generic(&e, type, body, len);
		data += len;
		size -= len;
	}
	if (h >= 0 && !e.err && v1_hash_fill(&e, h, sa, kind, msgid, ni, ni_len) == 0)
		v1_send(&ctx, NULL, exch, msgid, &e, iv);
	perform(w, from, out);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct world *w = &W;
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN];
	uint32_t msgid;
	uint8_t what, flags;

	if (size < 6)
		return 0;
	what = data[0] % 4;
	msgid = (uint32_t)data[1] << 24 | (uint32_t)data[2] << 16 | (uint32_t)data[3] << 8 |
		data[4];
	if (!msgid)
		msgid = 1;
	flags = data[5];
	data += 6;
	size -= 6;
	/* The starting point is fixed: if it cannot be reached, every input
	 * would test nothing. Fail loudly instead. */
	if (!world_up(w))
		abort();
	switch (what) {
	case 0: /* Informational, rw -> gw */
	case 3: /* Informational, gw -> rw */
		if (v1_phase2_iv(w->eng[what ? 0 : 1]->sas, msgid, iv) == 0)
			send_protected(w, what ? 0 : 1, ISAKMP_XCHG_INFO, msgid, 1, NULL, 0, iv,
				       data, size);
		break;
	case 1: /* QM1 of a new Quick Mode, rw -> gw */
		if (v1_phase2_iv(w->eng[1]->sas, msgid, iv) == 0)
			send_protected(w, 1, ISAKMP_XCHG_QUICK, msgid, 1, NULL, 0, iv, data, size);
		break;
	case 2: { /* QM2 answering a Quick Mode the rw started, gw -> rw */
		struct ike_actions *out = malloc(sizeof(*out));
		struct ipsec_sa *c;

		if (!out)
			abort();
		ike_actions_init(out);
		w->hold[1] = true; /* its QM1 never reaches the gw */
		quick_start(w->eng[1], w->eng[1]->sas, NULL, w->now, out);
		perform(w, 1, out);
		free(out);
		w->hold[1] = false;
		w->qn = 0;
		c = w->eng[1]->children;
		if (!c || c->x.state != V1_QUICK_I1 || !c->w)
			abort(); /* as above: the setup must work */
		memcpy(iv, c->iv, sizeof(iv));
		send_protected(w, 0, ISAKMP_XCHG_QUICK, c->msgid, 2, c->w->ni, c->w->ni_len, iv,
			       data, size);
		break;
	}
	}
	if ((flags & 1) && w->qn && w->qn < FLIGHTS_MAX) {
		w->q[w->qn] = w->q[w->qn - 1];
		w->qn++;
	}
	pump(w);
	if (flags & 2)
		run_timers(w, 60000, 5000);
	if (flags & 4)
		run_timers(w, 2 * 3600 * 1000, 600000);
	OPENSSL_cleanse(iv, sizeof(iv));
	world_down(w);
	return 0;
}
