// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Connection keys admins bring from strongSwan and Libreswan (issue 20), as
 * engine behaviour between two engines: rekey=no (never start a rekey, let
 * the SA expire or the peer rekey), keyingtries= (Phase 1 attempts when the
 * peer does not answer), uniqueids=no (INITIAL-CONTACT removes nothing).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static Suite *keys_suite(void)
{
	Suite *s = suite_create("engine_keys");
	TCase *tc = tcase_create("keys");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rekey_no_both);
	tcase_add_test(tc, test_rekey_no_peer_rekeys);
	tcase_add_test(tc, test_rekey_yes);
	tcase_add_loop_test(tc, test_keyingtries, 0, sizeof(tries_cases) / sizeof(tries_cases[0]));
	tcase_add_loop_test(tc, test_uniqueids_no, 0, 2);
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
