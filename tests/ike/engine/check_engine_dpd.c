// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What happens after DPD (RFC 3706) declares the peer dead, for each
 * configured action: clear (SAs and policies go), hold (SAs go, policies
 * stay, the next ACQUIRE negotiates again) and restart (SAs go, policies
 * stay, a new Main Mode starts at once and succeeds when the peer is back).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/engine_harness.h"

#define GW "198.51.100.1"
#define RW "203.0.113.5"

struct world {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
	uint32_t old_spi[2]; /* the rw's SAs before the gw died */
	uint64_t from;	     /* datagrams from this index on are dropped */
};

static void drop_from(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	(void)d;
	f->drop = index >= *(const uint64_t *)ctx;
}

static bool deleted_spi(const struct peer *p, uint32_t spi)
{
	for (unsigned i = 0; i < p->n_sa_delete && i < PEER_SA_MAX; i++)
		if (p->sa_delete[i].spi == spi)
			return true;
	return false;
}

/* Bring the tunnel up (rw initiates, DPD 10 s / 30 s on the rw), then kill
 * the gw and run until the rw declares it dead. */
static void world_up_and_kill(struct world *w, enum ike_dpd_action act)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	memset(w, 0, sizeof(*w));
	conn_psk(&w->gwc, "gw-rw", GW, RW, "sesame");
	conn_psk(&w->rwc, "rw-gw", RW, GW, "sesame");
	w->rwc.dpd_delay_s = 10;
	w->rwc.dpd_timeout_s = 30;
	w->rwc.dpd_action = act;
	w->net = sim_net_new(17, 5);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w->rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 1);
	ck_assert_uint_eq(w->rw.n_sa, 2);
	w->old_spi[0] = w->rw.sa[0].spi;
	w->old_spi[1] = w->rw.sa[1].spi;
	ck_assert_uint_eq(w->rw.n_policy, 3); /* tunnel: out, in, fwd */
	ck_assert_uint_eq(w->rw.n_sa_delete, 0);
	ck_assert_uint_eq(w->rw.n_policy_delete, 0);

	w->from = w->rw.sent + w->gw.sent;
	sim_net_fault_set(w->net, drop_from, &w->from);
	/* Three unanswered R-U-THEREs 10 s apart: not dead before 35 s. */
	sim_net_run(w->net, 35000, 100000);
	ck_assert_uint_eq(w->rw.reasons[IKE_R_DPD_DEAD], 0);
	while (!w->rw.reasons[IKE_R_DPD_DEAD] && sim_net_now(w->net) < 90000)
		sim_net_run(w->net, sim_net_now(w->net) + 500, 100000);
	ck_assert_uint_eq(w->rw.reasons[IKE_R_DPD_DEAD], 1);
	/* The SAs are gone from the kernel whatever the action. */
	ck_assert_uint_eq(w->rw.n_sa_delete, 2);
	ck_assert(deleted_spi(&w->rw, w->old_spi[0]));
	ck_assert(deleted_spi(&w->rw, w->old_spi[1]));
	ck_assert_uint_eq(peer_status(&w->rw).ipsec_sas, 0);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_net_free(w->net);
}

/* The tunnel is back with SAs other than the dead ones, keys identical. */
static void assert_reestablished(struct world *w, unsigned sa_before)
{
	ck_assert_uint_eq(peer_status(&w->rw).ipsec_sas, 1);
	ck_assert_uint_ge(peer_status(&w->gw).ipsec_sas, 1);
	ck_assert_uint_eq(w->rw.n_sa, sa_before + 2);
	for (unsigned i = sa_before; i < w->rw.n_sa; i++) {
		ck_assert_uint_ne(w->rw.sa[i].spi, w->old_spi[0]);
		ck_assert_uint_ne(w->rw.sa[i].spi, w->old_spi[1]);
	}
	ck_assert_int_ge(keys_match(&w->rw, &w->gw), 4);
	/* Re-installing refreshes the policies (UPDPOLICY): 3 more. */
	ck_assert_uint_eq(w->rw.n_policy, 6);
}

/* clear: SAs and policies removed, nothing negotiates any more. */
START_TEST(test_dpd_clear)
{
	struct world w;
	unsigned sent;

	world_up_and_kill(&w, IKE_DPD_CLEAR);
	ck_assert(peer_log_has(&w.rw, "peer dead"));
	ck_assert(peer_log_has(&w.rw, "action clear"));
	ck_assert_uint_eq(w.rw.n_policy_delete, 3);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);
	sent = w.rw.sent;
	sim_net_fault_set(w.net, NULL, NULL);
	sim_net_run(w.net, sim_net_now(w.net) + 60000, 100000);
	ck_assert_uint_eq(w.rw.sent, sent);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 0);
	ck_assert_uint_eq(w.rw.n_policy, 3);
	world_free(&w);
}
END_TEST

/* hold: SAs removed, policies kept (traffic cannot leak in clear text), no
 * negotiation until the kernel ACQUIREs; then the tunnel comes back. */
START_TEST(test_dpd_hold)
{
	struct world w;
	struct ike_event ev = { .type = IKE_EV_KERNEL };
	unsigned sent, sa_before;

	world_up_and_kill(&w, IKE_DPD_HOLD);
	ck_assert(peer_log_has(&w.rw, "action hold"));
	ck_assert_uint_eq(w.rw.n_policy_delete, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);
	sent = w.rw.sent;
	sim_net_fault_set(w.net, NULL, NULL);
	sim_net_run(w.net, sim_net_now(w.net) + 30000, 100000);
	ck_assert_uint_eq(w.rw.sent, sent);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);

	sa_before = w.rw.n_sa;
	ev.u.kernel.type = XK_EV_ACQUIRE;
	ev.u.kernel.u.acquire.reqid = XK_REQID_MIN;
	ev.u.kernel.u.acquire.mode = XK_MODE_TUNNEL;
	ev.u.kernel.u.acquire.dir = XK_DIR_OUT;
	peer_event(&w.rw, &ev);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 1);
	ck_assert_uint_eq(w.rw.sent, sent + 1); /* MM1 */
	sim_net_run(w.net, sim_net_now(w.net) + 5000, 100000);
	assert_reestablished(&w, sa_before);
	ck_assert_uint_eq(w.rw.n_policy_delete, 0);
	world_free(&w);
}
END_TEST

/* restart: SAs removed, policies kept, a new Main Mode at once; it is
 * retransmitted while the gw is away and completes when it returns. */
START_TEST(test_dpd_restart)
{
	struct world w;
	struct ike_status st;
	unsigned sent, sa_before;

	world_up_and_kill(&w, IKE_DPD_RESTART);
	ck_assert(peer_log_has(&w.rw, "action restart"));
	ck_assert_uint_eq(w.rw.n_policy_delete, 0);
	st = peer_status(&w.rw);
	ck_assert_uint_eq(st.ike_sas, 1);
	ck_assert_uint_eq(st.ike_established, 0);
	sa_before = w.rw.n_sa;
	sent = w.rw.sent;
	sim_net_run(w.net, sim_net_now(w.net) + 2000, 100000);
	ck_assert_uint_gt(w.rw.sent, sent); /* MM1 retransmitted into the void */
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 0);

	sim_net_fault_set(w.net, NULL, NULL);
	sim_net_run(w.net, sim_net_now(w.net) + 20000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 1);
	assert_reestablished(&w, sa_before);
	ck_assert_uint_eq(w.rw.n_policy_delete, 0);
	world_free(&w);
}
END_TEST

/* The action is part of the validated configuration. */
START_TEST(test_dpd_bad_action)
{
	struct ike_conn_cfg c;
	struct ike_engine_cfg cfg = { .conns = &c, .n_conns = 1 };
	struct ike_engine *eng = NULL;

	conn_psk(&c, "x", RW, GW, "sesame");
	c.dpd_action = (enum ike_dpd_action)7;
	ck_assert_int_lt(ike_engine_new(&cfg, &eng), 0);
	ck_assert_ptr_null(eng);
	c.dpd_action = IKE_DPD_RESTART;
	ck_assert_int_eq(ike_engine_new(&cfg, &eng), 0);
	ike_engine_free(eng);
}
END_TEST

static Suite *dpd_suite(void)
{
	Suite *s = suite_create("engine_dpd");
	TCase *tc = tcase_create("dpd_action");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_dpd_clear);
	tcase_add_test(tc, test_dpd_hold);
	tcase_add_test(tc, test_dpd_restart);
	tcase_add_test(tc, test_dpd_bad_action);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dpd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
