// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every kernel request that installs an IPsec SA or a policy carries a tag
 * whose answer reaches the engine: a kernel that refuses one fails the
 * IPsec SA (logged as KERNEL, Delete to the peer, what was installed is
 * removed) instead of leaving status "up" over an empty kernel.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/engine_harness.h"

#define GW "198.51.100.1"
#define RW "203.0.113.5"

struct world {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
};

static void world_start(struct world *w)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	conn_psk(&w->gwc, "gw-rw", GW, RW, "kernel says no");
	conn_psk(&w->rwc, "rw-gw", RW, GW, "kernel says no");
	w->net = sim_net_new(7, 5);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_net_free(w->net);
}

/* SAs the fake kernel still holds: installed (or updated) and not deleted. */
static unsigned kernel_sas_left(const struct peer *p)
{
	unsigned left = 0;

	for (unsigned i = 0; i < p->n_sa; i++) {
		bool gone = false;

		for (unsigned j = 0; j < p->n_sa_delete && j < PEER_SA_MAX; j++)
			if (p->sa_delete[j].spi == p->sa[i].spi)
				gone = true;
		left += !gone;
	}
	return left;
}

static void refused(bool sa, bool gw_refuses)
{
	struct world w;
	struct peer *victim;

	world_start(&w);
	victim = gw_refuses ? &w.gw : &w.rw;
	if (sa)
		victim->fail_sa_add = true;
	else
		victim->fail_policy = true;
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 20000, 100000);

	ck_assert_uint_ge(victim->n_refused, 1);
	ck_assert_uint_ge(victim->reasons[IKE_R_KERNEL], 1);
	ck_assert(peer_log_has(victim, "kernel refused the IPsec SA"));
	/* Neither side believes in the tunnel: the refusing side removed it and
	 * told the other with a Delete. */
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 0);
	/* Nothing half-configured stays in either fake kernel. */
	ck_assert_uint_eq(kernel_sas_left(&w.gw), 0);
	ck_assert_uint_eq(kernel_sas_left(&w.rw), 0);
	/* No policy left pointing at SAs the refusing kernel never had (the
	 * other side keeps its own after the Delete, as after any Delete). */
	ck_assert_uint_eq(victim->k.n_pol, 0);
	/* Phase 1 is not the kernel's business: it stays up. */
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 1);
	world_free(&w);
}

START_TEST(test_gw_refuses_sa)
{
	refused(true, true);
}
END_TEST

START_TEST(test_gw_refuses_policy)
{
	refused(false, true);
}
END_TEST

START_TEST(test_rw_refuses_sa)
{
	refused(true, false);
}
END_TEST

START_TEST(test_rw_refuses_policy)
{
	refused(false, false);
}
END_TEST

/*
 * A rekey the kernel refuses: the new SA goes, but the policies stay, as
 * the SA it was to replace is still installed then and uses them.
 */
START_TEST(test_refused_rekey_keeps_policies)
{
	struct world w;

	world_start(&w);
	peer_free(&w.rw);
	w.rwc.ipsec_lifetime_s = 120;
	w.rwc.rekey_margin_s = 30;
	w.rwc.rekey_fuzz_pct = 0;
	{
		struct ike_engine_cfg rcfg = { .conns = &w.rwc, .n_conns = 1 };

		peer_init(&w.rw, "rw", w.net, RW, false, &rcfg);
	}
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 20000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(w.gw.k.n_pol, 3);
	w.gw.fail_sa_add = true;
	/* The road warrior rekeys 30 s before the end of its 120 s. */
	sim_net_run(w.net, 100000, 1000000);
	ck_assert_uint_ge(w.gw.n_refused, 1);
	ck_assert(peer_log_has(&w.gw, "kernel refused the IPsec SA"));
	/* The refusal removed no policy (the road warrior then deletes the
	 * old pair, as a peer's Delete does, which keeps policies too). */
	ck_assert_uint_eq(w.gw.n_policy_delete, 0);
	ck_assert_uint_eq(w.gw.k.n_pol, 3);
	world_free(&w);
}
END_TEST

/* The control: the same world with a kernel that accepts everything. */
START_TEST(test_accepted)
{
	struct world w;

	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 20000, 100000);
	ck_assert_uint_eq(w.gw.n_refused + w.rw.n_refused, 0);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_KERNEL], 0);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(kernel_sas_left(&w.gw), 2);
	ck_assert_uint_eq(kernel_sas_left(&w.rw), 2);
	world_free(&w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_krefuse");
	TCase *tc = tcase_create("refuse");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_accepted);
	tcase_add_test(tc, test_gw_refuses_sa);
	tcase_add_test(tc, test_gw_refuses_policy);
	tcase_add_test(tc, test_rw_refuses_sa);
	tcase_add_test(tc, test_rw_refuses_policy);
	tcase_add_test(tc, test_refused_rekey_keeps_policies);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
