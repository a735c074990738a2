// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Main Mode PSK, transport mode, through the e2e bed's NAT topologies
 * (rw-nat, double-nat, gw-static-nat, both-nat; tests/e2e/topologies),
 * two engines in the simulator. The gateway answers Quick Mode either with
 * the initiator's IDs unchanged (as Libreswan does) or rewritten to the
 * addresses it sees (as strongSwan does: RFC 3947 s5.2 "changing received
 * traffic selectors ... due to NAT"). Whatever the IDs, both ends must
 * install UDP-encapsulated transport SAs whose selectors are the local
 * address and the peer's address as seen on the wire (what a decapsulated
 * packet carries), with the peer's NAT-OA as encap_oa.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/engine_status.h"
#include "ike/ikev1_states.h"
#include "natt/method.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/sim/nat.h"

struct topo {
	const char *name;
	const char *rw_own, *rw_nat1, *rw_seen; /* rw_nat1: an inner NAT (double), or NULL */
	const char *gw_own, *gw_seen;		/* equal: no NAT in front of the gateway */
};

static const struct topo topos[] = {
	{ "rw-nat", "10.1.0.2", NULL, "198.51.100.2", "192.0.2.1", "192.0.2.1" },
	{ "double-nat", "10.1.0.2", "10.100.0.2", "198.51.100.2", "192.0.2.1", "192.0.2.1" },
	{ "gw-static-nat", "198.51.100.2", NULL, "198.51.100.2", "10.2.0.1", "203.0.113.1" },
	{ "both-nat", "10.1.0.2", NULL, "198.51.100.2", "10.2.0.1", "203.0.113.1" },
};

/* Up to three NATs chained as one middlebox (tests/lib/sim/net.c has one). */
struct chain {
	struct sim_nat *rw_inner, *rw_outer, *gw;
	struct sockaddr_storage rw_inner_pub, rw_pub, gw_pub;
};

static bool same(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	return sim_addr_same_host(a, b);
}

/* From an inside node: through its own NAT(s), then, if it is addressed to
 * the other side's NAT, in through that one (both-nat). */
static enum sim_verdict chain_out(void *ctx, struct sim_dgram *d, uint64_t now)
{
	struct chain *c = ctx;

	if (c->gw && c->rw_outer == NULL) { /* gw-static-nat: only the gateway inside */
		return sim_nat_outbound(c->gw, d, now);
	}
	if (c->gw && same(&d->dst, &c->gw_pub)) { /* both-nat, rw -> gw */
		if (sim_nat_outbound(c->rw_outer, d, now) != SIM_PASS)
			return SIM_DROP;
		return sim_nat_inbound(c->gw, d, now);
	}
	if (c->gw && same(&d->dst, &c->rw_pub)) /* both-nat, gw -> rw */
		return sim_nat_outbound(c->gw, d, now) == SIM_PASS
			       ? sim_nat_inbound(c->rw_outer, d, now)
			       : SIM_DROP;
	if (c->rw_inner && sim_nat_outbound(c->rw_inner, d, now) != SIM_PASS)
		return SIM_DROP;
	return sim_nat_outbound(c->rw_outer, d, now);
}

static enum sim_verdict chain_in(void *ctx, struct sim_dgram *d, uint64_t now)
{
	struct chain *c = ctx;

	if (c->rw_outer == NULL)
		return sim_nat_inbound(c->gw, d, now);
	if (sim_nat_inbound(c->rw_outer, d, now) != SIM_PASS)
		return SIM_DROP;
	return c->rw_inner ? sim_nat_inbound(c->rw_inner, d, now) : SIM_PASS;
}

static struct sim_nat *napt(const char *pub, uint64_t seed)
{
	struct sim_nat_cfg nc;
	struct sim_nat *n;

	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, pub, 0);
	nc.mapping = SIM_NAT_APD;
	nc.filtering = SIM_NAT_APD;
	nc.seed = seed;
	n = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(n);
	return n;
}

static void set_fqdn(struct ike_id *id, const char *name)
{
	id->type = 2; /* ID_FQDN */
	id->len = (uint8_t)strlen(name);
	memcpy(id->data, name, id->len);
}

struct world {
	struct sim_net *net;
	struct chain ch;
	struct ike_conn_cfg gwc, rwc[2];
	struct peer gw, rw[2];
	int nrw;
};

/* The topology with nrw road warriors (the second at .3 behind the same
 * NAT); transport mode; the gateway answers QM IDs in @reply style. */
static void world_init(struct world *w, const struct topo *t, int nrw,
		       enum natt_transport_reply reply)
{
	static const char *const names[2] = { "rw1.example", "rw2.example" };
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct sim_mbox mb;
	bool gw_nat = strcmp(t->gw_own, t->gw_seen) != 0;
	bool rw_nat = strcmp(t->rw_own, t->rw_seen) != 0;
	char rw2[32];

	memset(w, 0, sizeof(*w));
	w->nrw = nrw;
	w->net = sim_net_new(7, 10);
	memset(&mb, 0, sizeof(mb));
	if (rw_nat) {
		w->ch.rw_outer = napt(t->rw_seen, 11);
		sim_addr4(&w->ch.rw_pub, t->rw_seen, 0);
		if (t->rw_nat1) {
			w->ch.rw_inner = napt(t->rw_nat1, 13);
			sim_addr4(&w->ch.rw_inner_pub, t->rw_nat1, 0);
		}
	}
	if (gw_nat) {
		struct sim_nat_cfg nc;

		memset(&nc, 0, sizeof(nc));
		sim_addr4(&nc.pub, t->gw_seen, 0);
		sim_addr4(&nc.private_1to1, t->gw_own, 0);
		w->ch.gw = sim_nat_new(&nc);
		ck_assert_ptr_nonnull(w->ch.gw);
		sim_addr4(&w->ch.gw_pub, t->gw_seen, 0);
	}
	mb.outbound = chain_out;
	mb.inbound = chain_in;
	mb.ctx = &w->ch;
	/* Where outside nodes send to: the rw's NAT, or the gateway's. */
	sim_addr4(&mb.public_addr, rw_nat ? t->rw_seen : t->gw_seen, 0);
	sim_net_mbox_set(w->net, &mb);

	conn_psk(&w->gwc, "rw", t->gw_own, NULL, "transport secret");
	w->gwc.mode = XK_MODE_TRANSPORT;
	set_fqdn(&w->gwc.local_id, "gw.natkeyd.test");
	peer_init(&w->gw, "gw", w->net, t->gw_own, gw_nat, &gcfg);
	w->gw.eng->transport_reply = reply;
	w->gw.next_spi = 0xc0000100u;
	snprintf(rw2, sizeof(rw2), "%.*s3", (int)strlen(t->rw_own) - 1, t->rw_own);
	for (int i = 0; i < nrw; i++) {
		struct ike_engine_cfg rcfg = { .conns = &w->rwc[i], .n_conns = 1 };
		const char *addr = i ? rw2 : t->rw_own;

		conn_psk(&w->rwc[i], "gw", addr, t->gw_seen, "transport secret");
		w->rwc[i].mode = XK_MODE_TRANSPORT;
		set_fqdn(&w->rwc[i].local_id, names[i]);
		peer_init(&w->rw[i], "rw", w->net, addr, rw_nat, &rcfg);
		w->rw[i].next_spi = 0xd0000100u + 0x1000u * (uint32_t)i;
	}
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	for (int i = 0; i < w->nrw; i++)
		peer_free(&w->rw[i]);
	sim_nat_free(w->ch.rw_inner);
	sim_nat_free(w->ch.rw_outer);
	sim_nat_free(w->ch.gw);
	sim_net_free(w->net);
}

static const struct xk_sa *last_sa(const struct peer *p, bool inbound)
{
	for (unsigned i = p->n_sa; i-- > 0;)
		if (p->sa_inbound[i] == inbound)
			return &p->sa[i];
	return NULL;
}

static void assert_addr(const struct xk_addr *a, const char *want, const char *what)
{
	uint8_t b[4];

	ck_assert_int_eq(inet_pton(AF_INET, want, b), 1);
	ck_assert_msg(a->family == XK_AF_INET && memcmp(a->bytes, b, 4) == 0,
		      "%s: %u.%u.%u.%u, want %s", what, a->bytes[0], a->bytes[1], a->bytes[2],
		      a->bytes[3], want);
}

/* One side's pair: transport, UDP-encapsulated, selectors local <-> peer as
 * seen (/32), encap_oa = the peer's own address (its NAT-OA). */
static void assert_side(const struct peer *p, const char *local, const char *peer_seen,
			const char *peer_own)
{
	const struct xk_sa *in = last_sa(p, true), *out = last_sa(p, false);
	struct ipsec_sa_status st[2];

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(in->mode, XK_MODE_TRANSPORT);
	ck_assert_uint_eq(out->mode, XK_MODE_TRANSPORT);
	ck_assert(in->encap.enabled && out->encap.enabled);
	assert_addr(&out->src, local, "outbound SA src");
	assert_addr(&out->dst, peer_seen, "outbound SA dst");
	assert_addr(&out->sel.src, local, "outbound selector src");
	assert_addr(&out->sel.dst, peer_seen, "outbound selector dst");
	assert_addr(&in->sel.src, peer_seen, "inbound selector src");
	assert_addr(&in->sel.dst, local, "inbound selector dst");
	ck_assert_uint_eq(out->sel.src_plen, 32);
	ck_assert_uint_eq(out->sel.dst_plen, 32);
	ck_assert_uint_eq(in->sel.src_plen, 32);
	ck_assert_uint_eq(in->sel.dst_plen, 32);
	assert_addr(&in->encap.oa, peer_own, "encap_oa");
	/* Transport mode: out and in, no fwd policy. */
	ck_assert_uint_eq(p->n_policy, 2);
	/* The status (and every later policy removal or move) carries what
	 * the kernel holds. */
	ck_assert_uint_eq(ike_status_ipsec_list(p->eng, sim_net_now(p->net), st, 2), 1);
	assert_addr(&st[0].local_ts.addr, local, "status local selector");
	assert_addr(&st[0].remote_ts.addr, peer_seen, "status remote selector");
}

/* _i: topology x gateway reply style (echo = Libreswan, as seen = strongSwan). */
START_TEST(test_transport_topologies)
{
	const struct topo *t = &topos[_i / 2];
	enum natt_transport_reply reply = (_i & 1) ? NATT_REPLY_AS_SEEN : NATT_REPLY_ECHO;
	struct world w;

	world_init(&w, t, 1, reply);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_msg(peer_status(&w.rw[0]).ipsec_sas == 1, "%s: rw has no IPsec SA", t->name);
	ck_assert_msg(peer_status(&w.gw).ipsec_sas == 1, "%s: gw has no IPsec SA", t->name);
	ck_assert_uint_eq(w.rw[0].reasons[IKE_R_TS_MISMATCH], 0);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_TS_MISMATCH], 0);
	ck_assert_int_eq(keys_match(&w.rw[0], &w.gw), 2);
	assert_side(&w.rw[0], t->rw_own, t->gw_seen, t->gw_own);
	assert_side(&w.gw, t->gw_own, t->rw_seen, t->rw_own);
	/* The rewritten IDs reached the initiator and natt/ named them. */
	if (reply == NATT_REPLY_AS_SEEN && strcmp(t->rw_own, t->rw_seen) != 0)
		ck_assert(peer_log_has(&w.rw[0], "transport IDci 198.51.100.2"));
	if (reply == NATT_REPLY_AS_SEEN && strcmp(t->gw_own, t->gw_seen) != 0)
		ck_assert(peer_log_has(&w.rw[0], "transport IDcr 10.2.0.1"));
	/* The gateway behind its static NAT accepted its public address. */
	if (strcmp(t->gw_own, t->gw_seen) != 0)
		ck_assert(peer_log_has(&w.gw, "transport IDcr 203.0.113.1"));
	world_free(&w);
}
END_TEST

/* A rekey keeps the selectors: the new pair replaces the old one's policies
 * (same selectors, UPDPOLICY) and the old SAs go. */
START_TEST(test_transport_rekey)
{
	struct world w;

	world_init(&w, &topos[3], 1, NATT_REPLY_AS_SEEN);
	peer_free(&w.rw[0]);
	w.rwc[0].ipsec_lifetime_s = 60;
	w.rwc[0].rekey_margin_s = 20;
	{
		struct ike_engine_cfg rcfg = { .conns = &w.rwc[0], .n_conns = 1 };

		ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw[0]), 0);
	}
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 70000, 1000000);
	ck_assert_uint_ge(w.rw[0].reasons[IKE_R_IPSEC_ESTABLISHED], 2);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	ck_assert_uint_eq(w.rw[0].reasons[IKE_R_TS_MISMATCH] + w.gw.reasons[IKE_R_TS_MISMATCH], 0);
	assert_addr(&last_sa(&w.gw, true)->sel.src, "198.51.100.2", "rekeyed inbound selector");
	assert_addr(&last_sa(&w.rw[0], false)->sel.dst, "203.0.113.1", "rekeyed outbound selector");
	world_free(&w);
}
END_TEST

/* Two hosts behind one NAT in transport mode would share the selectors
 * (NAT address <-> gateway): the second is refused, with a notify, and the
 * first keeps its SAs (RFC 3948 s5.2). */
START_TEST(test_transport_conflict)
{
	struct world w;

	world_init(&w, &topos[0], 2, NATT_REPLY_ECHO);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	peer_initiate(&w.rw[1], 0);
	sim_net_run(w.net, 30000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.rw[1]).ipsec_sas, 0);
	ck_assert(peer_log_has(&w.gw, "overlaps another peer's "));
	ck_assert(peer_log_has(&w.rw[1], "INVALID-ID-INFORMATION"));
	/* The refused initiator ends its Quick Mode at once: no QM1 is
	 * retransmitted into the same refusal until it gives up. */
	ck_assert(peer_log_has(&w.rw[1], "peer refused our Quick Mode: INVALID-ID-INFORMATION"));
	ck_assert_uint_eq(w.rw[1].reasons[IKE_R_TIMEOUT], 0);
	world_free(&w);
}
END_TEST

/* An ID naming neither address of our host is refused, with a notify
 * (the road warrior proposes IDcr = some other host). */
START_TEST(test_transport_foreign_id)
{
	struct world w;

	world_init(&w, &topos[2], 1, NATT_REPLY_ECHO);
	peer_free(&w.rw[0]);
	w.rwc[0].remote_ts.addr.family = XK_AF_INET;
	memcpy(w.rwc[0].remote_ts.addr.bytes, "\xcb\x00\x71\x63", 4); /* 203.0.113.99 */
	w.rwc[0].remote_ts.plen = 32;
	{
		struct ike_engine_cfg rcfg = { .conns = &w.rwc[0], .n_conns = 1 };

		ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw[0]), 0);
	}
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 0);
	ck_assert(peer_log_has(&w.gw, "transport IDcr 203.0.113.99: refused"));
	ck_assert(peer_log_has(&w.rw[0], "INVALID-ID-INFORMATION"));
	ck_assert(peer_log_has(&w.rw[0], "peer refused our Quick Mode: INVALID-ID-INFORMATION"));
	ck_assert_uint_eq(w.rw[0].reasons[IKE_R_TIMEOUT], 0);
	world_free(&w);
}
END_TEST

/* Once the road warrior has sent QM1, pretend it had proposed IDci for
 * TCP only: the responder's echo (any protocol) then changes the protocol,
 * which no NAT explains. */
static void narrow_after_qm1(void *ctx, uint64_t index, const struct sim_dgram *d,
			     struct sim_fault *f)
{
	struct peer *rw = ctx;

	(void)index;
	(void)d;
	(void)f;
	for (struct ipsec_sa *c = rw->eng->children; c; c = c->next)
		if (c->initiator && c->x.state == V1_QUICK_I1)
			c->lts.proto = 6;
}

/* The initiator refuses QM2: it tells the responder (protected
 * INVALID-ID-INFORMATION), installs nothing, and releases its larval SPI.
 * The responder's QM2 retransmissions then find no exchange: with the
 * exchange gone their M-ID looks like a new Quick Mode, whose first IV is
 * not the one QM2 was encrypted with, so they are dropped as undecryptable
 * (debug), and nothing else happens. */
START_TEST(test_transport_qm2_refused)
{
	struct world w;

	world_init(&w, &topos[0], 1, NATT_REPLY_AS_SEEN);
	sim_net_fault_set(w.net, narrow_after_qm1, &w.rw[0]);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 6000, 100000);
	ck_assert_uint_ge(w.rw[0].reasons[IKE_R_TS_MISMATCH], 1);
	ck_assert(peer_log_has(&w.rw[0], "responder changed the client IDs"));
	ck_assert(peer_log_has(&w.gw, "peer says INVALID-ID-INFORMATION"));
	ck_assert_uint_eq(w.rw[0].n_sa, 0);
	ck_assert_uint_ge(w.rw[0].n_sa_delete, 1); /* the larval inbound SPI */
	ck_assert_uint_eq(w.rw[0].sa_delete[0].spi, 0xd0000100u);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ike_established, 1);
	world_free(&w);
}
END_TEST

/* A draft-02 peer sends one NAT-OA, its own address (docs/requirements.md NT-f):
 * the initiator cannot confirm its NATed address when the responder names
 * it so, and accepts it as unverified; selectors are the same as always. */
START_TEST(test_transport_draft_peer)
{
	struct world w;
	struct ike_engine_cfg rcfg;

	world_init(&w, &topos[0], 1, NATT_REPLY_AS_SEEN);
	peer_free(&w.rw[0]);
	w.rwc[0].natt_methods = NATT_METHOD_BIT(NATT_METHOD_DRAFT_02N);
	rcfg = (struct ike_engine_cfg){ .conns = &w.rwc[0], .n_conns = 1 };
	ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw[0]), 0);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert(peer_log_has(&w.gw, "NAT-T draft-ietf-ipsec-nat-t-ike-02"));
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert(peer_log_has(&w.rw[0], "transport IDci 198.51.100.2: unverified"));
	assert_side(&w.rw[0], "10.1.0.2", "192.0.2.1", "192.0.2.1");
	assert_side(&w.gw, "192.0.2.1", "198.51.100.2", "10.1.0.2");
	ck_assert_int_eq(keys_match(&w.rw[0], &w.gw), 2);
	world_free(&w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_nat_transport");
	TCase *tc = tcase_create("transport");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_transport_topologies, 0,
			    2 * (int)(sizeof(topos) / sizeof(topos[0])));
	tcase_add_test(tc, test_transport_rekey);
	tcase_add_test(tc, test_transport_conflict);
	tcase_add_test(tc, test_transport_foreign_id);
	tcase_add_test(tc, test_transport_qm2_refused);
	tcase_add_test(tc, test_transport_draft_peer);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
