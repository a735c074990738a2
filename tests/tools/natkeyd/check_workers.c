// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's crypto worker pool (tools/natkeyd/natkeyd_workers.c) with
 * real threads: a gateway engine and twelve road warriors, both with
 * crypto_async, their jobs run by 2 worker threads and handed back through
 * the pool's eventfd as natkeyd's loop does; every tunnel comes up with
 * matching keys. The pool's cap, and jobs still out when everything is
 * freed (wiped and freed, not leaked: the sanitizer runs see it).
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "tests/lib/engine_harness.h"
#include "tools/natkeyd/natkeyd_workers.h"

#define GW    "192.0.2.1"
#define CROWD 12

static void crowd_addr(unsigned i, char *buf, size_t len)
{
	snprintf(buf, len, "203.0.113.%u", 10 + i);
}

struct world {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rc[CROWD];
	struct peer gw, rws;
};

static void world_init(struct world *w, uint16_t group)
{
	char addr[32];

	memset(w, 0, sizeof(*w));
	w->net = sim_net_new(13, 5);
	conn_psk(&w->gwc, "gw-any", GW, NULL, "group secret");
	w->gwc.p1[0].group = group;
	for (unsigned i = 0; i < CROWD; i++) {
		crowd_addr(i, addr, sizeof(addr));
		conn_psk(&w->rc[i], "rw", addr, GW, "group secret");
		w->rc[i].p1[0].group = group;
	}
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1, .crypto_async = true };
	struct ike_engine_cfg rcfg = { .conns = w->rc, .n_conns = CROWD, .crypto_async = true };

	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	crowd_addr(0, addr, sizeof(addr));
	peer_init(&w->rws, "rws", w->net, addr, false, &rcfg);
	for (unsigned i = 1; i < CROWD; i++) {
		crowd_addr(i, addr, sizeof(addr));
		ck_assert_int_ge(peer_alias(&w->rws, addr, false), 0);
	}
	/* The harness keeps the jobs; the test gives them to the pool. */
	w->gw.crypto_hold = w->rws.crypto_hold = true;
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rws);
	sim_net_free(w->net);
}

/* The jobs both engines made go to the pool. */
static unsigned submit_all(struct nkd_workers *pool, struct world *w)
{
	struct peer *ps[2] = { &w->gw, &w->rws };
	unsigned n = 0;

	for (int k = 0; k < 2; k++)
		while (ps[k]->n_jobs) {
			struct ike_crypto_job *j = peer_crypto_take(ps[k], 0);

			ck_assert_int_eq(nkd_workers_submit(pool, j, ps[k]), 0);
			n++;
		}
	return n;
}

/* Whatever the workers finished goes back to its engine. */
static unsigned take_all(struct nkd_workers *pool)
{
	struct nkd_job_done done[16];
	unsigned total = 0;
	size_t n;

	while ((n = nkd_workers_take(pool, done, 16)) > 0) {
		for (size_t i = 0; i < n; i++) {
			struct ike_event ev = { .type = IKE_EV_CRYPTO_DONE };

			ev.u.crypto = done[i].job;
			peer_event(done[i].tag, &ev);
		}
		total += (unsigned)n;
	}
	return total;
}

START_TEST(test_pool_handshakes)
{
	struct world *w = calloc(1, sizeof(*w));
	struct nkd_workers *pool;
	unsigned jobs = 0, back = 0;

	ck_assert_int_eq(nkd_workers_new(2, 0, &pool), 0);
	world_init(w, _i ? IKE_DH_MODP_2048 : IKE_DH_ECP_256);
	for (unsigned i = 0; i < CROWD; i++)
		peer_initiate(&w->rws, i);
	for (unsigned step = 0; step < 2000 && peer_status(&w->gw).ipsec_sas < CROWD; step++) {
		struct pollfd pfd = { .fd = nkd_workers_fd(pool), .events = POLLIN };

		sim_net_run(w->net, sim_net_now(w->net) + 5, 1000000);
		jobs += submit_all(pool, w);
		/* The loop sleeps until a worker is done, as natkeyd's does. */
		if (nkd_workers_out(pool))
			ck_assert_int_eq(poll(&pfd, 1, 10000), 1);
		back += take_all(pool);
	}
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, CROWD);
	sim_net_run(w->net, sim_net_now(w->net) + 1000, 1000000);
	ck_assert_uint_eq(peer_status(&w->rws).ipsec_sas, CROWD);
	ck_assert_int_eq(keys_match(&w->gw, &w->rws), 2 * CROWD);
	/* Per tunnel: gw key pair+secret; rw key pair, secret. */
	ck_assert_uint_eq(jobs, 3 * CROWD);
	ck_assert_uint_eq(back, jobs);
	ck_assert_uint_eq(nkd_workers_out(pool), 0);
	nkd_workers_free(pool);
	world_free(w);
	free(w);
}
END_TEST

/* Over the cap the pool refuses (the daemon then computes in the loop). */
START_TEST(test_pool_cap)
{
	struct world *w = calloc(1, sizeof(*w));
	struct nkd_workers *pool;
	struct ike_crypto_job *j;

	ck_assert_int_eq(nkd_workers_new(1, 2, &pool), 0);
	world_init(w, IKE_DH_ECP_256);
	for (unsigned i = 0; i < 3; i++)
		peer_initiate(&w->rws, i);
	sim_net_run(w->net, 12, 100000); /* three MM2s at the road warriors */
	ck_assert_uint_eq(w->rws.n_jobs, 3);
	ck_assert_int_eq(nkd_workers_submit(pool, peer_crypto_take(&w->rws, 0), &w->rws), 0);
	ck_assert_int_eq(nkd_workers_submit(pool, peer_crypto_take(&w->rws, 0), &w->rws), 0);
	j = peer_crypto_take(&w->rws, 0);
	ck_assert_int_eq(nkd_workers_submit(pool, j, &w->rws), -EAGAIN);
	ike_crypto_job_free(j);
	/* Freed with two jobs out: they are wiped and freed. */
	nkd_workers_free(pool);
	world_free(w);
	free(w);
}
END_TEST

START_TEST(test_pool_bad_args)
{
	struct nkd_workers *pool = NULL;

	ck_assert_int_eq(nkd_workers_new(0, 0, &pool), -EINVAL);
	ck_assert_int_eq(nkd_workers_new(65, 0, &pool), -EINVAL);
	ck_assert_ptr_null(pool);
	ck_assert_uint_ge(nkd_workers_default(), 1);
	/* One CPU: no thread (it would only add two switches per job). */
	ck_assert_uint_eq(nkd_workers_for_cpus(1), 0);
	ck_assert_uint_eq(nkd_workers_for_cpus(2), 2);
	ck_assert_uint_eq(nkd_workers_for_cpus(64), 64);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("workers");
	TCase *tc = tcase_create("pool");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_pool_handshakes, 0, 2);
	tcase_add_test(tc, test_pool_cap);
	tcase_add_test(tc, test_pool_bad_args);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
