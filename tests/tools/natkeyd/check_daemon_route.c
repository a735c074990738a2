// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's datagram routing (tools/natkeyd/natkeyd_route.c) with real
 * engines: a gateway made of natkeyd connections (one engine each, as the
 * daemon runs them), 300 road warriors behind one NAT on its right=%any
 * connection, coming up 50 at a time, DPD every 5 s, and a junk sender that
 * sends 1,000 28-byte ISAKMP headers with random cookies per second
 * throughout. Every road warrior's message must
 * reach the engine holding its IKE SA: all tunnels up, every DPD answered,
 * not one message of a road warrior unroutable. (The 16-entry cookie ring
 * the daemon had before routed only the 16 newest initiator cookies.)
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "natt/framing.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/sim/nat.h"
#include "tools/natkeyd/natkeyd.h"

#define GW	 "198.51.100.1"
#define NAT	 "203.0.113.7"
#define JUNK	 "192.0.2.66"
#define SITE	 "192.0.2.99"
#define N_RW	 300
#define JUNK_GAP 1 /* ms between junk headers: 1000 per second */

/* The gateway: natkeyd's connections and its routing, on a simulator node. */
struct gwd {
	struct sim_net *net;
	int node;
	struct nkd_conn *conns[2];
	unsigned n_conns;
	uint32_t next_spi;
	unsigned pending_n;
	struct xk_result pending[64];
	struct nkd_conn *pending_conn[64];
	uint64_t routed, unroutable_rw, junk_seen;
	unsigned reasons[IKE_R_COUNT];
	unsigned dropped;
	bool verbose;
};

struct junk {
	struct sim_net *net;
	int node;
	uint64_t sent;
	uint64_t until;
};

static void gw_rearm(struct gwd *g)
{
	uint64_t at = UINT64_MAX;

	for (unsigned i = 0; i < g->n_conns; i++)
		if (g->conns[i]->timer_at < at)
			at = g->conns[i]->timer_at;
	sim_net_timer_set(g->net, g->node, at);
}

static void gw_event(struct gwd *g, struct nkd_conn *c, const struct ike_event *ev)
{
	struct ike_actions *out = malloc(sizeof(*out));
	uint64_t now = sim_net_now(g->net);

	ck_assert_ptr_nonnull(out);
	ike_actions_init(out);
	ike_engine_handle(c->eng, ev, now, out);
	g->dropped += out->dropped;
	for (size_t i = 0; i < out->n; i++) {
		const struct ike_action *a = &out->v[i];

		switch (a->type) {
		case IKE_ACT_SEND: {
			static struct sim_dgram d;

			d.src = a->u.send.local;
			d.dst = a->u.send.remote;
			d.len = a->u.send.len;
			memcpy(d.buf, ike_actions_data(out, a), d.len);
			sim_net_send(g->net, &d);
			break;
		}
		case IKE_ACT_KERNEL:
			if (a->u.kernel.type == XK_REQ_SPI_ALLOC && g->pending_n < 64) {
				struct xk_result *r = &g->pending[g->pending_n];

				memset(r, 0, sizeof(*r));
				r->cookie = a->u.kernel.cookie;
				r->spi = g->next_spi++;
				g->pending_conn[g->pending_n++] = c;
			}
			break;
		case IKE_ACT_TIMER:
			c->timer_at = a->u.timer_at_ms;
			break;
		case IKE_ACT_XAUTH_CHECK:
		case IKE_ACT_MODECFG:
		case IKE_ACT_OCSP_FETCH:
			break; /* no XAUTH, Mode Config or certificate conns here */
		case IKE_ACT_CRYPTO:
			/* The engine in this test computes in line (crypto_async
			 * false): a job would be a bug of the test's setup. */
			ck_abort_msg("crypto job from a synchronous engine");
			break;
		case IKE_ACT_LOG:
			if ((unsigned)a->u.log.reason < IKE_R_COUNT)
				g->reasons[a->u.log.reason]++;
			if (g->verbose)
				fprintf(stderr, "[%8llu] gw %s: %s %s\n", (unsigned long long)now,
					c->name, ike_reason_name(a->u.log.reason), a->u.log.text);
			break;
		}
	}
	ike_actions_wipe(out);
	free(out);
	while (g->pending_n) {
		struct ike_event rev = { .type = IKE_EV_KERNEL_RESULT };
		struct nkd_conn *pc = g->pending_conn[0];

		rev.u.result = g->pending[0];
		g->pending_n--;
		memmove(g->pending, g->pending + 1, g->pending_n * sizeof(g->pending[0]));
		memmove(g->pending_conn, g->pending_conn + 1,
			g->pending_n * sizeof(g->pending_conn[0]));
		gw_event(g, pc, &rev);
	}
	gw_rearm(g);
}

static void gw_rx(void *ctx, struct sim_net *net, const struct sim_dgram *d, uint64_t now)
{
	struct gwd *g = ctx;
	struct ike_event ev = { .type = IKE_EV_DGRAM };
	struct sockaddr_storage junk;
	struct isakmp_hdr hdr;
	struct nkd_conn *c;

	(void)net;
	(void)now;
	if (nkd_dgram_hdr(d->buf, d->len, sim_addr_port(&d->dst) == NATT_PORT, &hdr) < 0)
		return; /* keepalives */
	sim_addr4(&junk, JUNK, 0);
	if (sim_addr_same_host(&d->src, &junk))
		g->junk_seen++;
	c = nkd_route(g->conns, g->n_conns, &hdr, &d->dst, &d->src);
	if (!c) {
		if (!sim_addr_same_host(&d->src, &junk))
			g->unroutable_rw++;
		return;
	}
	g->routed++;
	ev.u.dgram.local = d->dst;
	ev.u.dgram.remote = d->src;
	ev.u.dgram.buf = d->buf;
	ev.u.dgram.len = d->len;
	gw_event(g, c, &ev);
}

static void gw_timer(void *ctx, struct sim_net *net, uint64_t now)
{
	struct gwd *g = ctx;
	struct ike_event ev = { .type = IKE_EV_TIMER };

	(void)net;
	for (unsigned i = 0; i < g->n_conns; i++)
		if (g->conns[i]->timer_at <= now)
			gw_event(g, g->conns[i], &ev);
	gw_rearm(g);
}

/* A connection of the gateway; @set: the gateway's connections, asked for
 * clients held by other engines (as natkeyd_conn.c wires them), or NULL. */
static struct nkd_conn *gw_conn_new_in(const struct ike_conn_cfg *cfg, struct nkd_conn_set *set)
{
	struct nkd_conn *c = calloc(1, sizeof(*c));
	struct ike_engine_cfg ecfg = { .n_conns = 1 };

	ck_assert_ptr_nonnull(c);
	snprintf(c->name, sizeof(c->name), "%s", cfg->name);
	c->cfg = *cfg;
	c->timer_at = UINT64_MAX;
	ecfg.conns = &c->cfg;
	if (set) {
		ecfg.client_held = nkd_client_held;
		ecfg.client_held_arg = set;
	}
	ck_assert_int_eq(ike_engine_new(&ecfg, &c->eng), 0);
	return c;
}

static struct nkd_conn *gw_conn_new(const struct ike_conn_cfg *cfg)
{
	struct nkd_conn *c = calloc(1, sizeof(*c));
	struct ike_engine_cfg ecfg = { .n_conns = 1 };

	ck_assert_ptr_nonnull(c);
	snprintf(c->name, sizeof(c->name), "%s", cfg->name);
	c->cfg = *cfg;
	c->timer_at = UINT64_MAX;
	ecfg.conns = &c->cfg;
	ck_assert_int_eq(ike_engine_new(&ecfg, &c->eng), 0);
	return c;
}

/* 28-byte Main Mode headers, random initiator cookie, next payload SA but
 * none follows: the header passes, the message does not. */
static void junk_timer(void *ctx, struct sim_net *net, uint64_t now)
{
	struct junk *j = ctx;
	static struct sim_dgram d;
	uint8_t port[2];

	memset(d.buf, 0, ISAKMP_HDR_LEN);
	ck_assert_int_eq(crypto_random(d.buf, 8), 0);
	ck_assert_int_eq(crypto_random(port, 2), 0);
	d.buf[16] = 1;	  /* next payload: SA */
	d.buf[17] = 0x10; /* version 1.0 */
	d.buf[18] = 2;	  /* Identity Protection (Main Mode) */
	d.buf[27] = ISAKMP_HDR_LEN;
	d.len = ISAKMP_HDR_LEN;
	sim_addr4(&d.src, JUNK, (uint16_t)(1024 + ((port[0] << 8 | port[1]) % 60000)));
	sim_addr4(&d.dst, GW, 500);
	sim_net_send(net, &d);
	j->sent++;
	if (now + JUNK_GAP < j->until)
		sim_net_timer_set(net, j->node, now + JUNK_GAP);
}

static void junk_rx(void *ctx, struct sim_net *net, const struct sim_dgram *d, uint64_t now)
{
	(void)ctx;
	(void)net;
	(void)d;
	(void)now;
}

static void rw_addr(int i, char *buf, size_t len)
{
	snprintf(buf, len, "10.0.%d.%d", 1 + i / 200, 2 + i % 200);
}

/*
 * 300 road warriors, Main Mode PSK, DPD every 5 s, all behind one NAT, on
 * the gateway's %any connection (a connection for one named site comes
 * first in the gateway's list), with junk headers at 1,000/s throughout.
 */
START_TEST(test_300_road_warriors_and_junk)
{
	struct sim_net *net = sim_net_new(7, 10);
	struct sim_nat_cfg nc;
	struct sim_nat *nat;
	struct gwd *g = calloc(1, sizeof(*g));
	struct junk j = { 0 };
	struct peer *rw = calloc(N_RW, sizeof(*rw));
	struct ike_conn_cfg any, site, rwc;
	struct sockaddr_storage ss;
	unsigned up = 0, dead = 0, gw_sas;

	ck_assert_ptr_nonnull(net);
	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_nonnull(rw);
	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, NAT, 0);
	nc.mapping = SIM_NAT_EI;
	nc.filtering = SIM_NAT_EI;
	nc.seed = 5;
	nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(nat);
	harness_nat_attach(net, nat);

	/* The gateway: a site connection for someone else, then %any. */
	conn_psk(&site, "site", GW, SITE, "site secret");
	conn_psk(&any, "rw-any", GW, NULL, "group secret");
	conn_client_allow(&any, "10.0.0.0", 8); /* the road warriors' private network */
	any.client_hosts_only = true;		/* vhost:%priv */
	any.p1[0].group = IKE_DH_ECP_256;
	any.dpd_delay_s = 5;
	any.dpd_timeout_s = 20;
	g->net = net;
	g->next_spi = 0xc0000100u;
	g->verbose = getenv("ENGINE_VERBOSE") != NULL;
	g->conns[g->n_conns++] = gw_conn_new(&site);
	g->conns[g->n_conns++] = gw_conn_new(&any);
	sim_addr4(&ss, GW, 0);
	g->node = sim_net_node_add(net, &ss, false, gw_rx, gw_timer, g);
	ck_assert_int_ge(g->node, 0);

	j.net = net;
	j.until = 200000;
	sim_addr4(&ss, JUNK, 0);
	j.node = sim_net_node_add(net, &ss, false, junk_rx, junk_timer, &j);
	ck_assert_int_ge(j.node, 0);
	sim_net_timer_set(net, j.node, 1);

	for (int i = 0; i < N_RW; i++) {
		struct ike_engine_cfg rcfg = { .conns = &rwc, .n_conns = 1 };
		char addr[32];

		rw_addr(i, addr, sizeof(addr));
		conn_psk(&rwc, "gw", addr, GW, "group secret");
		rwc.p1[0].group = IKE_DH_ECP_256;
		rwc.dpd_delay_s = 5;
		rwc.dpd_timeout_s = 20;
		rwc.local_id.type = 2;
		rwc.local_id.len = (uint8_t)snprintf((char *)rwc.local_id.data,
						     sizeof(rwc.local_id.data), "rw%d.example", i);
		peer_init(&rw[i], "rw", net, addr, true, &rcfg);
		rw[i].verbose = false;
		rw[i].next_spi = 0xd0000100u + 0x100u * (uint32_t)i;
	}
	/* They come up 50 at a time, a burst every 2 s, while junk arrives. */
	for (int i = 0; i < N_RW; i++) {
		peer_initiate(&rw[i], 0);
		if (i % 50 == 49)
			sim_net_run(net, sim_net_now(net) + 2000, 10000000);
	}
	/* Two minutes of DPD (every road warrior and the gateway probe every
	 * 5 s when idle), junk throughout. */
	sim_net_run(net, sim_net_now(net) + 120000, 50000000);

	for (int i = 0; i < N_RW; i++) {
		up += peer_status(&rw[i]).ipsec_sas == 1;
		dead += rw[i].reasons[IKE_R_DPD_DEAD];
	}
	{
		struct ike_status st;

		ike_engine_status(g->conns[1]->eng, &st);
		gw_sas = st.ipsec_sas;
	}
	fprintf(stderr,
		"route: %u/%d road warriors up, gw %u IPsec SAs, %llu messages routed, "
		"%llu unroutable, %llu junk headers, %u DPD deaths\n",
		up, N_RW, gw_sas, (unsigned long long)g->routed,
		(unsigned long long)g->unroutable_rw, (unsigned long long)j.sent,
		dead + g->reasons[IKE_R_DPD_DEAD]);
	ck_assert_uint_ge(j.sent, 130000);
	ck_assert_uint_ge(g->junk_seen + 20, j.sent); /* 10 ms in flight */
	ck_assert_uint_eq(g->unroutable_rw, 0);
	ck_assert_uint_eq(up, N_RW);
	ck_assert_uint_eq(gw_sas, N_RW);
	{
		struct ike_status st;

		/* Junk left no IKE SA behind: one per road warrior. */
		ike_engine_status(g->conns[1]->eng, &st);
		ck_assert_uint_eq(st.ike_sas, N_RW);
	}
	ck_assert_uint_eq(dead, 0);
	ck_assert_uint_eq(g->reasons[IKE_R_DPD_DEAD], 0);
	ck_assert_uint_eq(g->dropped, 0);
	{
		struct ike_status st;

		/* The named site connection saw none of it. */
		ike_engine_status(g->conns[0]->eng, &st);
		ck_assert_uint_eq(st.ike_sas, 0);
	}

	for (int i = 0; i < N_RW; i++)
		peer_free(&rw[i]);
	for (unsigned i = 0; i < g->n_conns; i++) {
		ike_engine_free(g->conns[i]->eng);
		free(g->conns[i]);
	}
	free(rw);
	free(g);
	sim_nat_free(nat);
	sim_net_free(net);
}
END_TEST

/*
 * Two right=%any connections of one gateway (Main Mode and Aggressive Mode,
 * each its own engine): a road warrior of one cannot take the client a road
 * warrior of the other holds, because every engine asks the others
 * (nkd_client_held()).
 */
START_TEST(test_client_held_across_conns)
{
	struct sim_net *net = sim_net_new(9, 10);
	struct sim_nat_cfg nc;
	struct sim_nat *nat;
	struct gwd *g = calloc(1, sizeof(*g));
	struct peer *rw = calloc(2, sizeof(*rw));
	struct ike_conn_cfg mm, am, rwc;
	struct nkd_conn_set set;
	struct sockaddr_storage ss;
	bool wired = _i == 0;

	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_nonnull(rw);
	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, NAT, 0);
	nc.mapping = nc.filtering = SIM_NAT_EI;
	nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(nat);
	harness_nat_attach(net, nat);
	conn_psk(&mm, "rw-mm", GW, NULL, "group secret");
	conn_psk(&am, "rw-am", GW, NULL, "group secret");
	am.aggressive = am.aggr_psk_responder = true;
	for (struct ike_conn_cfg *c = &mm; c; c = c == &mm ? &am : NULL) {
		conn_client_allow(c, "10.0.0.0", 8);
		c->client_hosts_only = true;
	}
	g->net = net;
	g->next_spi = 0xc0000100u;
	set.v = g->conns;
	set.n = 2;
	g->conns[g->n_conns++] = gw_conn_new_in(&mm, wired ? &set : NULL);
	g->conns[g->n_conns++] = gw_conn_new_in(&am, wired ? &set : NULL);
	sim_addr4(&ss, GW, 0);
	g->node = sim_net_node_add(net, &ss, false, gw_rx, gw_timer, g);
	for (int i = 0; i < 2; i++) {
		struct ike_engine_cfg rcfg = { .conns = &rwc, .n_conns = 1 };
		const char *addr = i ? "10.0.0.3" : "10.0.0.2";

		conn_psk(&rwc, "gw", addr, GW, "group secret");
		rwc.aggressive = i == 1;
		rwc.local_id.type = 2;
		rwc.local_id.len = (uint8_t)snprintf((char *)rwc.local_id.data,
						     sizeof(rwc.local_id.data), "rw%d.example", i);
		/* Both claim rw0's address. */
		rwc.local_ts.addr.family = XK_AF_INET;
		memcpy(rwc.local_ts.addr.bytes, "\x0a\x00\x00\x02", 4);
		rwc.local_ts.plen = 32;
		peer_init(&rw[i], "rw", net, addr, true, &rcfg);
		rw[i].next_spi = 0xd0000100u + 0x100u * (uint32_t)i;
		peer_initiate(&rw[i], 0);
		sim_net_run(net, sim_net_now(net) + 5000, 1000000);
	}
	ck_assert_uint_eq(peer_status(&rw[0]).ipsec_sas, 1);
	/* Wired as the daemon does: refused; each engine on its own: taken. */
	ck_assert_uint_eq(peer_status(&rw[1]).ipsec_sas, wired ? 0 : 1);
	ck_assert_uint_eq(g->reasons[IKE_R_TS_MISMATCH], wired ? 1 : 0);
	for (int i = 0; i < 2; i++)
		peer_free(&rw[i]);
	for (unsigned i = 0; i < g->n_conns; i++) {
		ike_engine_free(g->conns[i]->eng);
		free(g->conns[i]);
	}
	free(rw);
	free(g);
	sim_nat_free(nat);
	sim_net_free(net);
}
END_TEST

/* A new Phase 1 goes to the connection that names the peer, else the first
 * %any one on that local address, and only for Main/Aggressive Mode with a
 * zero responder cookie; the exchange type must match the connection's. */
START_TEST(test_new_phase1_choice)
{
	struct ike_conn_cfg any_mm, site, any_am;
	struct nkd_conn *conns[3];
	struct sockaddr_storage local, from_site, from_other;
	struct isakmp_hdr h;

	conn_psk(&any_mm, "any-mm", GW, NULL, "k");
	conn_psk(&site, "site", GW, SITE, "k");
	conn_psk(&any_am, "any-am", GW, NULL, "k");
	any_am.aggressive = any_am.aggr_psk_responder = true;
	conns[0] = gw_conn_new(&any_mm);
	conns[1] = gw_conn_new(&site);
	conns[2] = gw_conn_new(&any_am);
	sim_addr4(&local, GW, 500);
	sim_addr4(&from_site, SITE, 500);
	sim_addr4(&from_other, "192.0.2.77", 500);
	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	h.exchange = ISAKMP_XCHG_IDPROT;
	ck_assert_ptr_eq(nkd_route(conns, 3, &h, &local, &from_site), conns[1]);
	ck_assert_ptr_eq(nkd_route(conns, 3, &h, &local, &from_other), conns[0]);
	h.exchange = ISAKMP_XCHG_AGGR;
	ck_assert_ptr_eq(nkd_route(conns, 3, &h, &local, &from_other), conns[2]);
	ck_assert_ptr_eq(nkd_route(conns, 3, &h, &local, &from_site), conns[2]);
	/* Not a new Phase 1: an unknown responder cookie, or Quick Mode. */
	h.exchange = ISAKMP_XCHG_IDPROT;
	h.rcookie[0] = 1;
	ck_assert_ptr_null(nkd_route(conns, 3, &h, &local, &from_other));
	h.rcookie[0] = 0;
	h.exchange = ISAKMP_XCHG_QUICK;
	ck_assert_ptr_null(nkd_route(conns, 3, &h, &local, &from_other));
	/* Another local address: nobody. */
	h.exchange = ISAKMP_XCHG_IDPROT;
	sim_addr4(&local, "198.51.100.2", 500);
	ck_assert_ptr_null(nkd_route(conns, 3, &h, &local, &from_other));
	for (int i = 0; i < 3; i++) {
		ike_engine_free(conns[i]->eng);
		free(conns[i]);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("daemon_route");
	TCase *tc = tcase_create("route");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_new_phase1_choice);
	tcase_add_test(tc, test_300_road_warriors_and_junk);
	tcase_add_loop_test(tc, test_client_held_across_conns, 0, 2);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
