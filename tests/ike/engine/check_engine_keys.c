// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Connection keys admins bring from strongSwan and Libreswan (issue 20), as
 * engine behaviour between two engines: rekey=no (never start a rekey, let
 * the SA expire or the peer rekey), keyingtries= (Phase 1 attempts when the
 * peer does not answer), uniqueids=no (INITIAL-CONTACT removes nothing),
 * uniqueids=keep (the newer IKE SA of an identity is refused).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "ike/wire/isakmp.h"
#include "tests/lib/engine_harness.h"

#define GW "198.51.100.1"
#define RW "203.0.113.5"

static unsigned log_count(const struct peer *p, const char *needle)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->n_log; i++)
		n += strstr(p->log[i], needle) != NULL;
	return n;
}

struct pair {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
};

/* Short lifetimes: Phase 1 60 s, Phase 2 120 s, rekey margin 30 s. */
static void pair_init(struct pair *p, bool rw_no_rekey, bool gw_no_rekey)
{
	struct ike_engine_cfg gcfg = { .conns = &p->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &p->rwc, .n_conns = 1 };

	conn_psk(&p->gwc, "gw-rw", GW, RW, "k");
	conn_psk(&p->rwc, "rw-gw", RW, GW, "k");
	p->gwc.ike_lifetime_s = p->rwc.ike_lifetime_s = 60;
	p->gwc.ipsec_lifetime_s = p->rwc.ipsec_lifetime_s = 120;
	p->gwc.rekey_margin_s = p->rwc.rekey_margin_s = 30;
	p->rwc.no_rekey = rw_no_rekey;
	p->gwc.no_rekey = gw_no_rekey;
	p->net = sim_net_new(7, 5);
	peer_init(&p->gw, "gw", p->net, GW, false, &gcfg);
	peer_init(&p->rw, "rw", p->net, RW, false, &rcfg);
	peer_initiate(&p->rw, 0);
	sim_net_run(p->net, 1000, 100000);
	ck_assert_uint_eq(peer_status(&p->rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&p->gw).ipsec_sas, 1);
}

static void pair_free(struct pair *p)
{
	peer_free(&p->gw);
	peer_free(&p->rw);
	sim_net_free(p->net);
}

/* rekey=no on both ends: nobody rekeys; Phase 1 goes at 60 s, the IPsec SA
 * at 120 s, and nothing replaces them. */
START_TEST(test_rekey_no_both)
{
	struct pair p;

	pair_init(&p, true, true);
	sim_net_run(p.net, 130000, 1000000);
	ck_assert_uint_eq(log_count(&p.rw, "rekeying"), 0);
	ck_assert_uint_eq(log_count(&p.gw, "rekeying"), 0);
	ck_assert_uint_ge(log_count(&p.rw, "not rekeyed (rekey=no)"), 2); /* IKE and IPsec */
	ck_assert_uint_eq(p.rw.reasons[IKE_R_IPSEC_ESTABLISHED], 1);
	ck_assert_uint_ge(p.rw.reasons[IKE_R_EXPIRED] + p.gw.reasons[IKE_R_EXPIRED], 2);
	ck_assert_uint_eq(peer_status(&p.rw).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&p.gw).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&p.rw).ike_sas, 0);
	pair_free(&p);
}
END_TEST

/* rekey=no on the initiator only: it never rekeys, the peer (as responder)
 * does, so the tunnel stays up past both lifetimes. */
START_TEST(test_rekey_no_peer_rekeys)
{
	struct pair p;

	pair_init(&p, true, false);
	for (uint64_t t = 2000; t <= 250000; t += 1000) {
		sim_net_run(p.net, t, 1000000);
		ck_assert_uint_ge(peer_status(&p.rw).ipsec_sas, 1);
		ck_assert_uint_ge(peer_status(&p.gw).ipsec_sas, 1);
	}
	ck_assert_uint_eq(log_count(&p.rw, "rekeying"), 0);
	ck_assert_uint_ge(log_count(&p.gw, "rekeying IPsec SA"), 1);
	ck_assert_uint_ge(log_count(&p.gw, "(as responder: the initiator did not)"), 1);
	ck_assert_uint_ge(p.rw.reasons[IKE_R_IPSEC_ESTABLISHED], 2);
	pair_free(&p);
}
END_TEST

/* The default (rekey=yes) rekeys as before: the same world, rw rekeys. */
START_TEST(test_rekey_yes)
{
	struct pair p;

	pair_init(&p, false, false);
	sim_net_run(p.net, 130000, 1000000);
	ck_assert_uint_ge(log_count(&p.rw, "rekeying IPsec SA"), 1);
	ck_assert_uint_eq(log_count(&p.rw, "not rekeyed (rekey=no)"), 0);
	ck_assert_uint_ge(peer_status(&p.rw).ipsec_sas, 1);
	pair_free(&p);
}
END_TEST

/* keyingtries= counts every failed attempt, not only those the peer never
 * answers: (0) the peer refuses our proposal (NO-PROPOSAL-CHOSEN in the
 * clear), (1) its answer does not verify here (another identity than
 * rightid=: INVALID-ID-INFORMATION on our side). With keyingtries=3 the
 * three attempts are over long before three retransmission timeouts
 * (about 30 s each); the last one ends by its timer, and no fourth starts. */
START_TEST(test_keyingtries_failures)
{
	struct sim_net *net = sim_net_new(5, 5);
	struct ike_conn_cfg gwc, rwc;
	struct ike_engine_cfg gcfg = { .conns = &gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &rwc, .n_conns = 1 };
	struct peer gw, rw;
	const char *why =
		_i == 0 ? "failed: peer sent NO-PROPOSAL-CHOSEN" : "failed: peer identity";

	conn_psk(&gwc, "gw-rw", GW, RW, "k");
	conn_psk(&rwc, "rw-gw", RW, GW, "k");
	rwc.keying_tries = 3;
	if (_i == 0) {
		gwc.p1[0].group = IKE_DH_MODP_3072;
	} else {
		rwc.remote_id.type = ISAKMP_ID_FQDN;
		rwc.remote_id.len = (uint8_t)snprintf((char *)rwc.remote_id.data,
						      sizeof(rwc.remote_id.data), "other.example");
	}
	peer_init(&gw, "gw", net, GW, false, &gcfg);
	peer_init(&rw, "rw", net, RW, false, &rcfg);
	peer_initiate(&rw, 0);
	sim_net_run(net, 20000, 1000000);
	ck_assert_uint_eq(log_count(&rw, why), 2);
	ck_assert(peer_log_has(&rw, "rw-gw: keying attempt 2 of 3"));
	ck_assert(peer_log_has(&rw, "rw-gw: keying attempt 3 of 3"));
	sim_net_run(net, 200000, 1000000);
	ck_assert_uint_eq(log_count(&rw, why), 2);
	ck_assert_uint_eq(log_count(&rw, "keying attempt"), 2 + 2);
	ck_assert_uint_eq(peer_status(&rw).ike_sas + peer_status(&rw).half_open, 0);
	ck_assert_uint_eq(peer_status(&rw).ipsec_sas, 0);
	peer_free(&gw);
	peer_free(&rw);
	sim_net_free(net);
}
END_TEST

static void drop_all(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	(void)ctx;
	(void)index;
	(void)d;
	f->drop = true;
}

struct tries_case {
	uint32_t keying_tries;
	unsigned attempts; /* Phase 1 starts seen in 300 s (at least, for forever) */
	bool at_least;
};

static const struct tries_case tries_cases[] = {
	{ 0, 1, false }, /* unset: one attempt, as before keyingtries= existed */
	{ 1, 1, false },
	{ 3, 3, false },
	{ IKE_TRIES_FOREVER, 5, true },
};

/* A peer that never answers: each attempt gives up after its
 * retransmissions, then the next starts, up to keyingtries. */
START_TEST(test_keyingtries)
{
	const struct tries_case *t = &tries_cases[_i];
	struct sim_net *net = sim_net_new(3, 5);
	struct ike_conn_cfg rwc;
	struct ike_engine_cfg rcfg = { .conns = &rwc, .n_conns = 1 };
	struct peer rw;
	unsigned gave_up;

	conn_psk(&rwc, "rw-gw", RW, GW, "k");
	rwc.keying_tries = t->keying_tries;
	peer_init(&rw, "rw", net, RW, false, &rcfg);
	sim_net_fault_set(net, drop_all, NULL);
	peer_initiate(&rw, 0);
	sim_net_run(net, 300000, 1000000);
	gave_up = log_count(&rw, "gave up in");
	if (t->at_least) {
		ck_assert_uint_ge(gave_up, t->attempts);
		ck_assert_uint_ge(log_count(&rw, "(keyingtries=%forever)"), t->attempts - 1);
		ck_assert_uint_eq(peer_status(&rw).half_open + peer_status(&rw).ike_sas > 0, 1);
	} else {
		ck_assert_uint_eq(gave_up, t->attempts);
		ck_assert_uint_eq(log_count(&rw, "keying attempt"), t->attempts - 1);
		ck_assert_uint_eq(peer_status(&rw).ike_sas, 0);
	}
	if (t->keying_tries == 3) {
		ck_assert(peer_log_has(&rw, "rw-gw: keying attempt 2 of 3"));
		ck_assert(peer_log_has(&rw, "rw-gw: keying attempt 3 of 3"));
	}
	peer_free(&rw);
	sim_net_free(net);
}
END_TEST

static bool deleted_spi(const struct peer *p, uint32_t spi)
{
	for (unsigned i = 0; i < p->n_sa_delete && i < PEER_SA_MAX; i++)
		if (p->sa_delete[i].spi == spi)
			return true;
	return false;
}

/* uniqueids=no: a second peer with the same identity (here: the same rw
 * after a reboot) sends INITIAL-CONTACT; the gateway removes nothing. With
 * the default it removes the old SAs (check_engine_info.c). */
START_TEST(test_uniqueids_no)
{
	struct pair p;
	struct ike_engine_cfg rcfg;
	uint32_t old_gw_in;
	bool ignore = _i == 1;

	memset(&p, 0, sizeof(p));
	pair_init(&p, false, false);
	/* The gateway's engine with the setting under test. */
	p.gwc.ignore_initial_contact = ignore;
	ck_assert_int_eq(peer_renew(&p.gw, &p.gwc), 0);
	peer_free(&p.rw);
	rcfg = (struct ike_engine_cfg){ .conns = &p.rwc, .n_conns = 1 };
	ck_assert_int_eq(peer_engine_new(&rcfg, &p.rw), 0);
	peer_initiate(&p.rw, 0);
	sim_net_run(p.net, 3000, 100000);
	/* Reconnect once more, so that the gateway holds SAs of the identity. */
	old_gw_in = 0;
	for (unsigned i = 0; i < p.gw.n_sa; i++)
		if (p.gw.sa_inbound[i])
			old_gw_in = p.gw.sa[i].spi;
	ck_assert_uint_ne(old_gw_in, 0);
	peer_free(&p.rw);
	ck_assert_int_eq(peer_engine_new(&rcfg, &p.rw), 0);
	peer_initiate(&p.rw, 0);
	sim_net_run(p.net, 6000, 100000);
	ck_assert_uint_eq(peer_status(&p.rw).ipsec_sas, 1);
	if (ignore) {
		ck_assert(peer_log_has(&p.gw, "INITIAL-CONTACT: nothing removed (uniqueids=no"));
		ck_assert_uint_ge(peer_status(&p.gw).ike_sas, 2);
		ck_assert(!deleted_spi(&p.gw, old_gw_in));
	} else {
		ck_assert(peer_log_has(&p.gw, "INITIAL-CONTACT: removed 1 IKE SA(s) and 1 IPsec"));
		ck_assert_uint_eq(peer_status(&p.gw).ike_sas, 1);
		ck_assert(deleted_spi(&p.gw, old_gw_in));
	}
	pair_free(&p);
}
END_TEST

/* uniqueids= with two peers of one identity at two addresses (two road
 * warriors that share a certificate or an FQDN): rw1 comes up first, then
 * rw2. keep (strongSwan): the gateway keeps rw1 and refuses rw2's Phase 1
 * (AUTHENTICATION-FAILED). yes/replace (the default): rw2 replaces rw1 (its
 * first Phase 1 says INITIAL-CONTACT). no/never: both stay up. */
enum unique_case {
	UQ_KEEP,
	UQ_REPLACE,
	UQ_NEVER
};

START_TEST(test_uniqueids_two_peers)
{
	enum unique_case uq = (enum unique_case)_i;
	struct ike_conn_cfg gwc, rwc[2];
	struct ike_engine_cfg gcfg = { .conns = &gwc, .n_conns = 1 };
	static const char *const addr[2] = { RW, "203.0.113.6" };
	struct sim_net *net = sim_net_new(11, 5);
	struct peer gw, rw[2];

	conn_psk(&gwc, "gw-any", GW, NULL, "k");
	gwc.unique_keep = uq == UQ_KEEP;
	gwc.ignore_initial_contact = uq == UQ_NEVER;
	peer_init(&gw, "gw", net, GW, false, &gcfg);
	for (int i = 0; i < 2; i++) {
		struct ike_engine_cfg rcfg = { .conns = &rwc[i], .n_conns = 1 };

		conn_psk(&rwc[i], "rw-gw", addr[i], GW, "k");
		rwc[i].local_id.type = ISAKMP_ID_FQDN;
		rwc[i].local_id.len = (uint8_t)snprintf((char *)rwc[i].local_id.data,
							sizeof(rwc[i].local_id.data), "rw.example");
		peer_init(&rw[i], i ? "rw2" : "rw1", net, addr[i], false, &rcfg);
		rw[i].next_spi = 0xd0000100u + 0x1000u * (uint32_t)i;
	}
	peer_initiate(&rw[0], 0);
	sim_net_run(net, 3000, 100000);
	ck_assert_uint_eq(peer_status(&rw[0]).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&gw).ike_sas, 1);
	peer_initiate(&rw[1], 0);
	sim_net_run(net, 60000, 1000000);
	switch (uq) {
	case UQ_KEEP:
		ck_assert(peer_log_has(&gw, "uniqueids=keep: the identity already has IKE SA"));
		ck_assert_uint_eq(peer_status(&gw).ike_sas, 1);
		ck_assert_uint_eq(peer_status(&gw).ipsec_sas, 1);
		ck_assert_uint_eq(peer_status(&rw[0]).ipsec_sas, 1);
		ck_assert_uint_eq(peer_status(&rw[1]).ipsec_sas, 0);
		ck_assert_uint_eq(peer_status(&rw[1]).ike_sas, 0);
		break;
	case UQ_REPLACE:
		ck_assert(!peer_log_has(&gw, "uniqueids=keep"));
		ck_assert(peer_log_has(&gw, "INITIAL-CONTACT: removed 1 IKE SA(s) and 1 IPsec"));
		ck_assert_uint_eq(peer_status(&gw).ike_sas, 1);
		ck_assert_uint_eq(peer_status(&gw).ipsec_sas, 1);
		ck_assert_uint_eq(peer_status(&rw[1]).ipsec_sas, 1);
		break;
	case UQ_NEVER:
		ck_assert(peer_log_has(&gw, "INITIAL-CONTACT: nothing removed"));
		ck_assert_uint_eq(peer_status(&gw).ike_sas, 2);
		ck_assert_uint_eq(peer_status(&gw).ipsec_sas, 2);
		ck_assert_uint_eq(peer_status(&rw[0]).ipsec_sas, 1);
		ck_assert_uint_eq(peer_status(&rw[1]).ipsec_sas, 1);
		break;
	}
	/* keep: the same peer re-authenticating from its endpoint is no
	 * duplicate (a Phase 1 rekey must not be refused). */
	if (uq == UQ_KEEP) {
		peer_initiate(&rw[0], 0);
		sim_net_run(net, 65000, 1000000);
		ck_assert_uint_eq(log_count(&gw, "uniqueids=keep"), 1);
	}
	peer_free(&gw);
	peer_free(&rw[0]);
	peer_free(&rw[1]);
	sim_net_free(net);
}
END_TEST

/* ---- leftsubnet=a,b / leftsubnets={a b}: a group of conns, one per pair ---- */

static void ts4(struct ike_ts *t, uint8_t a, uint8_t b, uint8_t plen)
{
	memset(t, 0, sizeof(*t));
	t->addr.family = XK_AF_INET;
	t->addr.bytes[0] = a;
	t->addr.bytes[1] = b;
	t->plen = plen;
}

struct group_world {
	struct sim_net *net;
	struct ike_conn_cfg gwc[4], rwc[4];
	struct peer gw, rw;
};

/* Site A (rw side) 10.1/16 and 10.2/16, site B (gw side) 10.3/16 and 10.4/16:
 * four pairs, four conns of group 1 on each side, in opposite orders so that
 * the responder has to pick its conn by the proposed selectors. */
static void group_world_init(struct group_world *w, uint32_t ipsec_life)
{
	struct ike_engine_cfg gcfg = { .conns = w->gwc, .n_conns = 4 };
	struct ike_engine_cfg rcfg = { .conns = w->rwc, .n_conns = 4 };

	for (unsigned i = 0; i < 4; i++) {
		unsigned a = i / 2, b = i % 2, j = 3 - i;

		conn_psk(&w->rwc[i], "rw-gw", RW, GW, "k");
		ts4(&w->rwc[i].local_ts, 10, (uint8_t)(1 + a), 16);
		ts4(&w->rwc[i].remote_ts, 10, (uint8_t)(3 + b), 16);
		w->rwc[i].group = 1;
		conn_psk(&w->gwc[j], "gw-rw", GW, RW, "k");
		ts4(&w->gwc[j].local_ts, 10, (uint8_t)(3 + b), 16);
		ts4(&w->gwc[j].remote_ts, 10, (uint8_t)(1 + a), 16);
		w->gwc[j].group = 1;
		if (ipsec_life) {
			w->rwc[i].ipsec_lifetime_s = w->gwc[j].ipsec_lifetime_s = ipsec_life;
			w->rwc[i].rekey_margin_s = w->gwc[j].rekey_margin_s = 30;
		}
	}
	w->net = sim_net_new(9, 5);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
	for (unsigned i = 0; i < 4; i++) /* as the daemon initiates a group */
		peer_initiate(&w->rw, i);
	sim_net_run(w->net, 2000, 100000);
}

static void group_world_free(struct group_world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_net_free(w->net);
}

/* One Main Mode, four Quick Modes, four SA pairs with the four selector
 * pairs and four reqids, the same on both sides. */
START_TEST(test_group_up)
{
	struct group_world w;
	bool seen[4] = { false };
	uint32_t reqids[4] = { 0 };
	unsigned n_out = 0;

	group_world_init(&w, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 1);
	ck_assert_uint_eq(w.rw.reasons[IKE_R_IKE_ESTABLISHED], 1);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 4);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 4);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 8);
	/* The rw's outbound SAs: one per pair, each with its conn's reqid. */
	for (unsigned i = 0; i < w.rw.n_sa && i < PEER_SA_MAX; i++) {
		const struct xk_sa *s = &w.rw.sa[i];
		unsigned a, b;

		if (w.rw.sa_inbound[i])
			continue;
		a = s->sel.src.bytes[1] - 1;
		b = s->sel.dst.bytes[1] - 3;
		ck_assert_uint_lt(a, 2);
		ck_assert_uint_lt(b, 2);
		ck_assert_uint_eq(s->sel.src_plen, 16);
		ck_assert(!seen[a * 2 + b]);
		seen[a * 2 + b] = true;
		reqids[a * 2 + b] = s->reqid;
		n_out++;
	}
	ck_assert_uint_eq(n_out, 4);
	for (unsigned i = 0; i < 4; i++)
		for (unsigned k = i + 1; k < 4; k++)
			ck_assert_uint_ne(reqids[i], reqids[k]);
	/* Terminating one conn of the group tears the group down. */
	{
		struct ike_event e = { .type = IKE_EV_TERMINATE, .u.conn = 2 };

		peer_event(&w.rw, &e);
	}
	sim_net_run(w.net, 4000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	group_world_free(&w);
}
END_TEST

/* 120 s IPsec lifetimes over 250 s: each pair is rekeyed on the shared IKE
 * SA, all four stay up, no second Main Mode for the group. */
START_TEST(test_group_rekey)
{
	struct group_world w;

	group_world_init(&w, 120);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 4);
	for (uint64_t t = 3000; t <= 250000; t += 1000) {
		sim_net_run(w.net, t, 1000000);
		ck_assert_uint_ge(peer_status(&w.rw).ipsec_sas, 4);
		ck_assert_uint_ge(peer_status(&w.gw).ipsec_sas, 4);
	}
	ck_assert_uint_ge(log_count(&w.rw, "rekeying IPsec SA"), 8);
	ck_assert_uint_eq(w.rw.reasons[IKE_R_IKE_ESTABLISHED], 1);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 1);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 4);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 4);
	group_world_free(&w);
}
END_TEST

static Suite *keys_suite(void)
{
	Suite *s = suite_create("engine_keys");
	TCase *tc = tcase_create("keys");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rekey_no_both);
	tcase_add_test(tc, test_rekey_no_peer_rekeys);
	tcase_add_test(tc, test_rekey_yes);
	tcase_add_loop_test(tc, test_keyingtries, 0, sizeof(tries_cases) / sizeof(tries_cases[0]));
	tcase_add_loop_test(tc, test_keyingtries_failures, 0, 2);
	tcase_add_loop_test(tc, test_uniqueids_no, 0, 2);
	tcase_add_loop_test(tc, test_uniqueids_two_peers, UQ_KEEP, UQ_NEVER + 1);
	tcase_add_test(tc, test_group_up);
	tcase_add_test(tc, test_group_rekey);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(keys_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
