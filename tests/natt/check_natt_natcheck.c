// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The RFC 5780 discovery engine (natt/natcheck.*) against a simulated STUN
 * server with two addresses and two ports, behind the simulator's RFC 4787
 * NATs (tests/lib/sim/nat.*): every mapping and filtering class, port
 * preservation, hairpinning, short binding lifetimes (measured within 20%),
 * both lifetime methods, loss, no NAT and blocked UDP.
 *
 * The loop delivers datagrams at once (no latency), drops them with a
 * seeded generator, and jumps the clock to the engine's next timeout.
 */
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natt/natcheck.h"
#include "natt/stun.h"
#include "tests/lib/natt_test.h"
#include "tests/lib/sim/nat.h"

#define PRIV   "10.0.0.2"
#define PUB    "198.51.100.2"
#define A1     "192.0.2.1"
#define A2     "192.0.2.2"
#define P1     3478
#define P2     3479
#define LPORT0 40001

struct server {
	bool rfc5780;	    /* sends OTHER-ADDRESS, honours CHANGE-REQUEST */
	bool response_port; /* honours RESPONSE-PORT (else 420) */
	bool dead;	    /* answers nothing */
	bool ignore_change; /* answers CHANGE-REQUEST from where it was asked */
};

struct world {
	struct sim_nat *nat; /* NULL: no NAT */
	bool hairpin;	     /* the NAT loops back datagrams to its own address */
	struct server srv;
	uint32_t loss_pct; /* per datagram, each direction */
	uint64_t rng;
	uint64_t now;
	struct natcheck *nc;
	struct sockaddr_storage local[NATCHECK_SOCKS];
	unsigned dropped;
};

static struct sim_dgram dg;

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

static bool same_addr(const struct sockaddr_storage *a, const char *text)
{
	struct sockaddr_storage b = natt_test_ep(text, 0);

	return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
	       ((const struct sockaddr_in *)&b)->sin_addr.s_addr;
}

static bool lost(struct world *w)
{
	uint64_t x = w->rng;

	if (!w->loss_pct)
		return false;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	w->rng = x;
	if ((x * 0x2545F4914F6CDD1DULL) % 100 < w->loss_pct) {
		w->dropped++;
		return true;
	}
	return false;
}

static void test_random(uint8_t *buf, size_t n, void *arg)
{
	uint64_t *s = arg;

	for (size_t i = 0; i < n; i++) {
		*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
		buf[i] = (uint8_t)(*s >> 56);
	}
}

/* The datagram in dg reaches the client side (dst = public or private). */
static void to_client(struct world *w)
{
	if (w->nat && sim_nat_inbound(w->nat, &dg, w->now) != SIM_PASS)
		return;
	if (lost(w))
		return;
	for (int s = 0; s < NATCHECK_SOCKS; s++)
		if (port_of(&dg.dst) == port_of(&w->local[s]) && same_addr(&dg.dst, PRIV))
			natcheck_on_datagram(w->nc, w->now, (enum natcheck_sock)s,
					     (const struct sockaddr *)&dg.src, dg.buf, dg.len);
}

/* The STUN server at dg.dst answers the request in dg. */
static void server_rx(struct world *w)
{
	struct stun_msg m;
	struct stun_builder b;
	struct sockaddr_storage from = dg.dst, other, client = dg.src;
	bool at_a1 = same_addr(&dg.dst, A1);
	bool at_p1 = port_of(&dg.dst) == P1;
	int n;

	if (w->srv.dead || stun_decode(dg.buf, dg.len, &m) < 0 || m.cls != STUN_CLASS_REQUEST)
		return;
	/* RFC 5780 s4.1/s7.4: OTHER-ADDRESS is the other address and port. */
	other = natt_test_ep(at_a1 ? A2 : A1, at_p1 ? P2 : P1);
	stun_build_start(&b, dg.buf, sizeof(dg.buf), STUN_METHOD_BINDING, STUN_CLASS_SUCCESS,
			 m.tid);
	if (m.has_response_port && !w->srv.response_port) {
		uint8_t ua[4] = { 0x00, 0x27, 0, 0 };

		stun_build_start(&b, dg.buf, sizeof(dg.buf), STUN_METHOD_BINDING, STUN_CLASS_ERROR,
				 m.tid);
		stun_build_error(&b, STUN_ERR_UNKNOWN_ATTRIBUTE, "Unknown Attribute");
		stun_build_attr(&b, STUN_ATTR_UNKNOWN_ATTRIBUTES, ua, 2);
	} else {
		if (w->srv.rfc5780 && m.has_change && !w->srv.ignore_change) {
			/* s6: answer from the changed address and/or port. */
			bool a1 = (m.change & STUN_CHANGE_IP) ? !at_a1 : at_a1;
			bool p1 = (m.change & STUN_CHANGE_PORT) ? !at_p1 : at_p1;

			from = natt_test_ep(a1 ? A1 : A2, p1 ? P1 : P2);
		}
		if (m.has_response_port)
			((struct sockaddr_in *)&client)->sin_port = htons(m.response_port);
		stun_build_address(&b, STUN_ATTR_XOR_MAPPED_ADDRESS, SA(dg.src));
		if (w->srv.rfc5780) {
			stun_build_address(&b, STUN_ATTR_OTHER_ADDRESS, SA(other));
			stun_build_address(&b, STUN_ATTR_RESPONSE_ORIGIN, SA(from));
		}
	}
	stun_build_attr(&b, STUN_ATTR_SOFTWARE, "simstun", 7);
	stun_build_fingerprint(&b);
	n = stun_build_finish(&b);
	ck_assert_int_gt(n, 0);
	dg.len = (size_t)n;
	dg.src = from;
	dg.dst = client;
	to_client(w);
}

static void client_tx(struct world *w, const struct natcheck_tx *tx)
{
	memset(&dg.src, 0, sizeof(dg.src));
	dg.src = w->local[tx->sock];
	dg.dst = tx->to;
	dg.len = tx->len;
	memcpy(dg.buf, tx->buf, tx->len);
	if (lost(w))
		return;
	if (w->nat && sim_nat_outbound(w->nat, &dg, w->now) != SIM_PASS)
		return;
	if (w->nat && same_addr(&dg.dst, PUB)) {
		if (w->hairpin)
			to_client(w); /* RFC 4787 s6 hairpinning */
		return;
	}
	if (!w->nat && same_addr(&dg.dst, PRIV)) {
		to_client(w);
		return;
	}
	if ((same_addr(&dg.dst, A1) || same_addr(&dg.dst, A2)) &&
	    (port_of(&dg.dst) == P1 || port_of(&dg.dst) == P2))
		server_rx(w);
}

static const struct natcheck_result *run(struct world *w, uint32_t life_max_ms)
{
	static uint64_t seed = 7;
	struct natcheck_cfg cfg = { 0 };
	struct natcheck_tx tx;
	unsigned steps = 0;

	cfg.server = natt_test_ep(A1, P1);
	cfg.life_max_ms = life_max_ms;
	cfg.random = test_random;
	cfg.random_arg = &seed;
	for (int s = 0; s < NATCHECK_SOCKS; s++)
		w->local[s] = natt_test_ep(PRIV, (uint16_t)(LPORT0 + s));
	if (!w->rng)
		w->rng = 0x1234567;
	w->now = 1000;
	w->nc = natcheck_new(&cfg, w->local, w->now);
	ck_assert_ptr_nonnull(w->nc);
	while (!natcheck_done(w->nc)) {
		uint64_t t;

		while (natcheck_next_tx(w->nc, &tx))
			client_tx(w, &tx);
		if (natcheck_done(w->nc))
			break;
		t = natcheck_next_timeout(w->nc);
		ck_assert(t != NATCHECK_NEVER);
		ck_assert_uint_ge(t, w->now);
		w->now = t;
		natcheck_on_timer(w->nc, w->now);
		ck_assert_uint_lt(++steps, 100000);
	}
	ck_assert_uint_eq(natcheck_next_timeout(w->nc), NATCHECK_NEVER);
	return natcheck_result(w->nc);
}

static void world_free(struct world *w)
{
	natcheck_free(w->nc);
	sim_nat_free(w->nat);
}

static struct sim_nat *nat_new(enum sim_nat_behaviour map, enum sim_nat_behaviour filt,
			       bool preserve, uint32_t timeout_ms, uint64_t seed)
{
	struct sim_nat_cfg c = { 0 };

	c.pub = natt_test_ep(PUB, 0);
	c.mapping = map;
	c.filtering = filt;
	c.port_preservation = preserve;
	c.timeout_ms = timeout_ms;
	c.seed = seed;
	/* Linux conntrack: replies refresh the entry too. */
	c.inbound_refresh = true;
	return sim_nat_new(&c);
}

static const enum natcheck_class cls_of[] = {
	[SIM_NAT_EI] = NATCHECK_CLASS_EI,
	[SIM_NAT_AD] = NATCHECK_CLASS_AD,
	[SIM_NAT_APD] = NATCHECK_CLASS_APD,
};

/* Every mapping x filtering class, with and without port preservation. */
START_TEST(test_classes)
{
	enum sim_nat_behaviour map = (enum sim_nat_behaviour)(_i % 3);
	enum sim_nat_behaviour filt = (enum sim_nat_behaviour)((_i / 3) % 3);
	bool preserve = _i >= 9;
	struct world w = { .srv = { .rfc5780 = true, .response_port = true } };
	const struct natcheck_result *r;

	w.nat = nat_new(map, filt, preserve, 0, 100 + (uint64_t)_i);
	ck_assert_ptr_nonnull(w.nat);
	r = run(&w, 0);
	ck_assert(!r->udp_blocked);
	ck_assert(r->behind_nat);
	ck_assert(r->rfc5780);
	ck_assert(same_addr(&r->mapped, PUB));
	ck_assert_msg(r->mapping == cls_of[map], "case %d: mapping %s, want %s", _i,
		      natcheck_class_name(r->mapping), natcheck_class_name(cls_of[map]));
	ck_assert_msg(r->filtering == cls_of[filt], "case %d: filtering %s, want %s", _i,
		      natcheck_class_name(r->filtering), natcheck_class_name(cls_of[filt]));
	ck_assert_int_eq(r->port_preserved, preserve);
	ck_assert_int_eq(r->hairpin, NATCHECK_NO); /* hairpinning off */
	ck_assert_int_eq(r->life_method, NATCHECK_LIFE_NONE);
	ck_assert_str_eq(r->verdict, "behind NAT, binding lifetime not measured: keep the "
				     "RFC 3948 keep-alive of 20 s");
	world_free(&w);
}
END_TEST

struct life_case {
	const char *what;
	enum sim_nat_behaviour map, filt;
	bool preserve;
	bool response_port;
	uint32_t timeout_ms, max_ms, loss_pct;
	enum natcheck_life_method method;
	bool exceeds;
};

static const struct life_case life_cases[] = {
	{ "EI/EI 30 s, RESPONSE-PORT", SIM_NAT_EI, SIM_NAT_EI, true, true, 30000, 120000, 0,
	  NATCHECK_LIFE_RESPONSE_PORT, false },
	{ "APD/APD 45 s, RESPONSE-PORT", SIM_NAT_APD, SIM_NAT_APD, false, true, 45000, 120000, 0,
	  NATCHECK_LIFE_RESPONSE_PORT, false },
	{ "EI/AD 12 s, RESPONSE-PORT", SIM_NAT_EI, SIM_NAT_AD, true, true, 12000, 120000, 0,
	  NATCHECK_LIFE_RESPONSE_PORT, false },
	{ "EI/APD 60 s, no RESPONSE-PORT: re-probe", SIM_NAT_EI, SIM_NAT_APD, false, false, 60000,
	  300000, 0, NATCHECK_LIFE_REPROBE, false },
	{ "EI/EI 300 s, max 60 s: exceeds", SIM_NAT_EI, SIM_NAT_EI, true, true, 300000, 60000, 0,
	  NATCHECK_LIFE_RESPONSE_PORT, true },
	{ "APD/APD 30 s, 20% loss", SIM_NAT_APD, SIM_NAT_APD, false, true, 30000, 120000, 20,
	  NATCHECK_LIFE_RESPONSE_PORT, false },
	{ "EI/EI 90 s, 20% loss", SIM_NAT_EI, SIM_NAT_EI, true, true, 90000, 300000, 20,
	  NATCHECK_LIFE_RESPONSE_PORT, false },
};

START_TEST(test_lifetime)
{
	const struct life_case *c = &life_cases[_i];
	struct world w = { .srv = { .rfc5780 = true, .response_port = c->response_port } };
	const struct natcheck_result *r;

	w.nat = nat_new(c->map, c->filt, c->preserve, c->timeout_ms, 7 + (uint64_t)_i);
	w.loss_pct = c->loss_pct;
	w.rng = 0xabcdef + (uint64_t)_i;
	r = run(&w, c->max_ms);
	ck_assert_msg(r->mapping == cls_of[c->map], "%s: mapping %s", c->what,
		      natcheck_class_name(r->mapping));
	ck_assert_msg(r->filtering == cls_of[c->filt], "%s: filtering %s", c->what,
		      natcheck_class_name(r->filtering));
	ck_assert_int_eq(r->life_method, c->method);
	if (c->loss_pct)
		ck_assert_uint_gt(w.dropped, 0);
	if (c->exceeds) {
		ck_assert(!r->life_known);
		ck_assert(r->life_exceeds);
		ck_assert_uint_eq(r->life_low_ms, c->max_ms);
		ck_assert_uint_eq(r->keepalive_s, c->max_ms / 2000);
		world_free(&w);
		return;
	}
	ck_assert_msg(r->life_known, "%s: lifetime not found", c->what);
	/* Within 20% of the NAT's timeout, and the bracket holds it. */
	ck_assert_msg(r->life_ms * 10 >= c->timeout_ms * 8 && r->life_ms * 10 <= c->timeout_ms * 12,
		      "%s: measured %u ms for %u ms", c->what, r->life_ms, c->timeout_ms);
	ck_assert_uint_le(r->life_low_ms, c->timeout_ms);
	ck_assert_uint_ge(r->life_high_ms + (c->loss_pct ? 10000 : 0), c->timeout_ms);
	ck_assert_uint_eq(r->keepalive_s, natcheck_keepalive_s((r->life_ms + 500) / 1000));
	ck_assert_ptr_nonnull(strstr(r->verdict, "NAT rebinds after ~"));
	world_free(&w);
}
END_TEST

/* The verdict of a 30 s NAT, word for word. */
START_TEST(test_verdict_text)
{
	struct world w = { .srv = { .rfc5780 = true, .response_port = true } };
	const struct natcheck_result *r;
	char want[128];

	w.nat = nat_new(SIM_NAT_EI, SIM_NAT_EI, true, 30000, 1);
	r = run(&w, 120000);
	ck_assert(r->life_known);
	snprintf(want, sizeof(want),
		 "NAT rebinds after ~%u s idle: keep-alive every %u s is enough",
		 (r->life_ms + 500) / 1000, r->keepalive_s);
	ck_assert_str_eq(r->verdict, want);
	ck_assert_uint_ge(r->keepalive_s, 13);
	ck_assert_uint_le(r->keepalive_s, 16);
	world_free(&w);
}
END_TEST

START_TEST(test_hairpin)
{
	struct world w = { .srv = { .rfc5780 = true, .response_port = true }, .hairpin = true };
	const struct natcheck_result *r;

	w.nat = nat_new(SIM_NAT_EI, SIM_NAT_EI, true, 0, 3);
	r = run(&w, 0);
	ck_assert_int_eq(r->hairpin, NATCHECK_YES);
	world_free(&w);
	/* A NAT that hairpins but filters by address drops the loop-back. */
	memset(&w, 0, sizeof(w));
	w.srv = (struct server){ .rfc5780 = true, .response_port = true };
	w.hairpin = true;
	w.nat = nat_new(SIM_NAT_EI, SIM_NAT_APD, true, 0, 3);
	r = run(&w, 0);
	ck_assert_int_eq(r->hairpin, NATCHECK_NO);
	world_free(&w);
}
END_TEST

START_TEST(test_no_nat)
{
	struct world w = { .srv = { .rfc5780 = true, .response_port = true } };
	const struct natcheck_result *r = run(&w, 120000);

	ck_assert(!r->behind_nat);
	ck_assert(r->port_preserved);
	ck_assert_int_eq(r->mapping, NATCHECK_CLASS_EI);
	ck_assert_int_eq(r->filtering, NATCHECK_CLASS_EI);
	ck_assert_int_eq(r->hairpin, NATCHECK_UNTESTED);
	ck_assert_int_eq(r->life_method, NATCHECK_LIFE_NONE);
	ck_assert_uint_eq(r->keepalive_s, 0);
	ck_assert_str_eq(r->verdict, "no NAT: NAT-T keepalives are not needed");
	world_free(&w);
}
END_TEST

START_TEST(test_udp_blocked)
{
	struct world w = { .srv = { .dead = true } };
	const struct natcheck_result *r;

	w.nat = nat_new(SIM_NAT_EI, SIM_NAT_EI, true, 0, 1);
	r = run(&w, 120000);
	ck_assert(r->udp_blocked);
	ck_assert(!r->behind_nat);
	ck_assert_ptr_nonnull(strstr(r->verdict, "UDP blocked"));
	/* 7 transmissions per request, then the last wait: 0.5+1+1.6x5 s. */
	ck_assert_uint_eq(r->sent, 14);
	ck_assert_uint_eq(w.now - 1000, 500 + 1000 + 1600 * 5);
	world_free(&w);
}
END_TEST

/* A plain RFC 5389 server (no OTHER-ADDRESS): mapping and filtering stay
 * unknown; the lifetime is still measured (re-probing). */
START_TEST(test_plain_server)
{
	struct world w = { .srv = { .rfc5780 = false, .response_port = false } };
	const struct natcheck_result *r;

	w.nat = nat_new(SIM_NAT_EI, SIM_NAT_EI, false, 20000, 5);
	r = run(&w, 60000);
	ck_assert(r->behind_nat);
	ck_assert(!r->rfc5780);
	ck_assert_int_eq(r->mapping, NATCHECK_CLASS_UNKNOWN);
	ck_assert_int_eq(r->filtering, NATCHECK_CLASS_UNKNOWN);
	ck_assert_int_eq(r->life_method, NATCHECK_LIFE_REPROBE);
	ck_assert(r->life_known);
	ck_assert_uint_ge(r->life_ms, 16000);
	ck_assert_uint_le(r->life_ms, 24000);
	world_free(&w);
}
END_TEST

/* A server that announces OTHER-ADDRESS but answers CHANGE-REQUEST from
 * the address asked: its answers must not pass for endpoint-independent
 * filtering (RFC 5780 s4.4 expects them from the changed address). */
START_TEST(test_server_ignores_change)
{
	struct world w = { .srv = { .rfc5780 = true, .ignore_change = true } };
	const struct natcheck_result *r;

	w.nat = nat_new(SIM_NAT_APD, SIM_NAT_APD, false, 0, 9);
	r = run(&w, 0);
	ck_assert_int_eq(r->mapping, NATCHECK_CLASS_APD);
	ck_assert_int_eq(r->filtering, NATCHECK_CLASS_UNKNOWN);
	world_free(&w);
}
END_TEST

/* Answers that are not ours or not well-formed change nothing. */
START_TEST(test_ignores_junk)
{
	struct natcheck_cfg cfg = { 0 };
	struct sockaddr_storage local[NATCHECK_SOCKS], from = natt_test_ep(A1, P1);
	uint64_t seed = 1;
	struct natcheck *nc;
	struct natcheck_tx tx;
	struct stun_builder b;
	struct stun_msg m;
	uint8_t buf[128];
	int n;

	cfg.server = natt_test_ep(A1, P1);
	cfg.random = test_random;
	cfg.random_arg = &seed;
	for (int s = 0; s < NATCHECK_SOCKS; s++)
		local[s] = natt_test_ep(PRIV, (uint16_t)(LPORT0 + s));
	nc = natcheck_new(&cfg, local, 0);
	ck_assert(natcheck_next_tx(nc, &tx));
	ck_assert_int_eq(stun_decode(tx.buf, tx.len, &m), 0);
	ck_assert(!m.has_change);
	ck_assert_int_eq(stun_check_fingerprint(tx.buf, &m), 0);
	/* A response with the wrong transaction ID. */
	m.tid[0] ^= 1;
	stun_build_start(&b, buf, sizeof(buf), STUN_METHOD_BINDING, STUN_CLASS_SUCCESS, m.tid);
	stun_build_address(&b, STUN_ATTR_XOR_MAPPED_ADDRESS, SA(from));
	n = stun_build_finish(&b);
	natcheck_on_datagram(nc, 10, NATCHECK_SOCK_MAP, SA(from), buf, (size_t)n);
	/* The right one, with an unknown comprehension-required attribute. */
	m.tid[0] ^= 1;
	stun_build_start(&b, buf, sizeof(buf), STUN_METHOD_BINDING, STUN_CLASS_SUCCESS, m.tid);
	stun_build_address(&b, STUN_ATTR_XOR_MAPPED_ADDRESS, SA(from));
	stun_build_attr(&b, 0x7001, "x", 1);
	n = stun_build_finish(&b);
	natcheck_on_datagram(nc, 10, NATCHECK_SOCK_MAP, SA(from), buf, (size_t)n);
	/* The right one with a broken FINGERPRINT. */
	stun_build_start(&b, buf, sizeof(buf), STUN_METHOD_BINDING, STUN_CLASS_SUCCESS, m.tid);
	stun_build_address(&b, STUN_ATTR_XOR_MAPPED_ADDRESS, SA(from));
	stun_build_fingerprint(&b);
	n = stun_build_finish(&b);
	buf[n - 1] ^= 1;
	natcheck_on_datagram(nc, 10, NATCHECK_SOCK_MAP, SA(from), buf, (size_t)n);
	natcheck_on_datagram(nc, 10, NATCHECK_SOCK_MAP, SA(from), buf, 7);
	ck_assert_uint_eq(natcheck_result(nc)->received, 0);
	/* Still waiting for T1: its retransmission is due at 500 ms. */
	ck_assert_uint_eq(natcheck_next_timeout(nc), 500);
	buf[n - 1] ^= 1;
	natcheck_on_datagram(nc, 10, NATCHECK_SOCK_MAP, SA(from), buf, (size_t)n);
	ck_assert_uint_eq(natcheck_result(nc)->received, 1);
	natcheck_free(nc);
}
END_TEST

START_TEST(test_keepalive_interval)
{
	static const uint32_t in[] = { 600, 120, 30, 20, 19, 12, 10, 8, 1, 0 };
	static const uint32_t out[] = { 300, 60, 15, 10, 10, 10, 10, 4, 1, 1 };

	for (size_t i = 0; i < N(in); i++)
		ck_assert_uint_eq(natcheck_keepalive_s(in[i]), out[i]);
}
END_TEST

static Suite *natcheck_suite(void)
{
	Suite *s = suite_create("natt_natcheck");
	TCase *tc = tcase_create("natcheck");

	tcase_add_loop_test(tc, test_classes, 0, 18);
	tcase_add_loop_test(tc, test_lifetime, 0, (int)N(life_cases));
	tcase_add_test(tc, test_verdict_text);
	tcase_add_test(tc, test_hairpin);
	tcase_add_test(tc, test_no_nat);
	tcase_add_test(tc, test_udp_blocked);
	tcase_add_test(tc, test_plain_server);
	tcase_add_test(tc, test_server_ignores_change);
	tcase_add_test(tc, test_ignores_junk);
	tcase_add_test(tc, test_keepalive_interval);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(natcheck_suite());
}
