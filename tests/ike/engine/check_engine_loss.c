// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Retransmission: every message of MM + QM lost, duplicated or delayed in
 * turn, random impairments over many seeds, and a dead peer. Each run must
 * converge to one IPsec SA pair with identical keys, every duplicate must
 * be answered from the last response (not processed again), or the
 * initiator must give up after its exponential backoff.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "tests/lib/engine_harness.h"

#define GW	 "198.51.100.1"
#define RW	 "203.0.113.5"
#define MESSAGES 9 /* MM1..MM6 + QM1..QM3 in a clean run */

struct world {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
};

static void world_init(struct world *w, uint64_t seed)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	conn_psk(&w->gwc, "gw-rw", GW, RW, "sesame");
	conn_psk(&w->rwc, "rw-gw", RW, GW, "sesame");
	w->gwc.p1[0].group = w->rwc.p1[0].group = IKE_DH_ECP_256;
	w->net = sim_net_new(seed, 20);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_net_free(w->net);
}

static void assert_converged(struct world *w, const char *what)
{
	struct ike_status g = peer_status(&w->gw), r = peer_status(&w->rw);

	ck_assert_msg(g.ike_established == 1 && r.ike_established == 1, "%s: IKE %u/%u", what,
		      r.ike_established, g.ike_established);
	ck_assert_msg(g.ipsec_sas == 1 && r.ipsec_sas == 1, "%s: IPsec %u/%u", what, r.ipsec_sas,
		      g.ipsec_sas);
	/* Exactly one install per side: no message was processed twice. */
	ck_assert_msg(w->rw.n_sa == 2 && w->gw.n_sa == 2, "%s: %u/%u SAs installed", what,
		      w->rw.n_sa, w->gw.n_sa);
	ck_assert_msg(keys_match(&w->rw, &w->gw) == 2, "%s: keys differ", what);
	ck_assert_uint_eq(g.half_open, 0);
}

struct plan {
	uint64_t index;
	int kind; /* 0 drop, 1 duplicate, 2 delay */
};

static void plan_fault(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	const struct plan *p = ctx;

	(void)d;
	if (index != p->index)
		return;
	if (p->kind == 0)
		f->drop = true;
	else if (p->kind == 1)
		f->copies = 2;
	else
		f->delay_ms = 300; /* overtaken by later messages and retransmissions */
}

START_TEST(test_lose_each)
{
	struct world w;
	struct plan p = { (uint64_t)_i, 0 };

	world_init(&w, 1);
	sim_net_fault_set(w.net, plan_fault, &p);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 30000, 100000);
	assert_converged(&w, "lose one");
	/* Somebody retransmitted. */
	ck_assert_uint_ge(w.rw.reasons[IKE_R_RETRANSMIT] + w.gw.reasons[IKE_R_RETRANSMIT], 1);
	world_free(&w);
}
END_TEST

START_TEST(test_duplicate_each)
{
	struct world w;
	struct plan p = { (uint64_t)_i, 1 };

	world_init(&w, 1);
	sim_net_fault_set(w.net, plan_fault, &p);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 30000, 100000);
	assert_converged(&w, "duplicate one");
	/* The two extra copies were recognised as duplicates. */
	ck_assert_uint_ge(w.rw.reasons[IKE_R_RETRANSMIT] + w.gw.reasons[IKE_R_RETRANSMIT], 2);
	world_free(&w);
}
END_TEST

START_TEST(test_delay_each)
{
	struct world w;
	struct plan p = { (uint64_t)_i, 2 };

	world_init(&w, 1);
	sim_net_fault_set(w.net, plan_fault, &p);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 30000, 100000);
	assert_converged(&w, "delay one");
	world_free(&w);
}
END_TEST

/* Random loss 15%, duplication 10%, reordering 20% (up to 400 ms). */
START_TEST(test_random_impairments)
{
	struct world w;

	world_init(&w, 1000 + (uint64_t)_i);
	sim_net_random_set(w.net, 150, 100, 200, 400);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 60000, 200000);
	assert_converged(&w, "random");
	world_free(&w);
}
END_TEST

static void drop_all(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	(void)ctx;
	(void)index;
	(void)d;
	f->drop = true;
}

/* Nobody answers: 1 + 5 retransmissions at 0.5, 1, 2, 4, 8 s, then give up. */
START_TEST(test_backoff_and_give_up)
{
	struct world w;
	static const uint64_t want[] = { 0, 500, 1500, 3500, 7500, 15500 };

	world_init(&w, 1);
	sim_net_fault_set(w.net, drop_all, NULL);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 60000, 100000);
	ck_assert_uint_eq(w.rw.sent, 6);
	for (unsigned i = 0; i < 6; i++)
		ck_assert_uint_eq(w.rw.sent_at[i], want[i]);
	ck_assert_uint_eq(w.rw.reasons[IKE_R_TIMEOUT], 1);
	ck_assert(peer_log_has(&w.rw, "gave up in MAIN_I1"));
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);
	world_free(&w);
}
END_TEST

/* The gw answers MM1 and then falls silent: its half-open SA goes away too. */
static void drop_after_two(void *ctx, uint64_t index, const struct sim_dgram *d,
			   struct sim_fault *f)
{
	(void)ctx;
	(void)d;
	f->drop = index >= 2;
}

START_TEST(test_half_open_cleanup)
{
	struct world w;

	world_init(&w, 1);
	sim_net_fault_set(w.net, drop_after_two, NULL);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 120000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_TIMEOUT], 1);
	world_free(&w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_loss");
	TCase *tc = tcase_create("loss");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_lose_each, 0, MESSAGES);
	tcase_add_loop_test(tc, test_duplicate_each, 0, MESSAGES);
	tcase_add_loop_test(tc, test_delay_each, 0, MESSAGES);
	tcase_add_loop_test(tc, test_random_impairments, 0, 20);
	tcase_add_test(tc, test_backoff_and_give_up);
	tcase_add_test(tc, test_half_open_cleanup);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
