// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel events and connection selection: ACQUIRE starts a negotiation for
 * the connection of its reqid, soft EXPIRE rekeys, hard EXPIRE removes;
 * a responder with several connections picks the one of the peer address;
 * IPv6 endpoints work the same way.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "tests/lib/engine_harness.h"

#define GW "198.51.100.1"
#define RW "203.0.113.5"

struct world {
	struct sim_net *net;
	struct ike_conn_cfg gwc[2], rwc;
	struct peer gw, rw;
};

static void world_init(struct world *w)
{
	struct ike_engine_cfg gcfg = { .conns = w->gwc, .n_conns = 2 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	/* gw: conn 0 for someone else (other key), conn 1 for the rw. */
	conn_psk(&w->gwc[0], "gw-other", GW, "192.0.2.77", "other key");
	conn_psk(&w->gwc[1], "gw-rw", GW, RW, "rw key");
	conn_psk(&w->rwc, "rw-gw", RW, GW, "rw key");
	w->net = sim_net_new(41, 5);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_net_free(w->net);
}

START_TEST(test_acquire_starts)
{
	struct world w;
	struct ike_event ev = { .type = IKE_EV_KERNEL };

	world_init(&w);
	ev.u.kernel.type = XK_EV_ACQUIRE;
	ev.u.kernel.u.acquire.reqid = XK_REQID_MIN; /* conn 0 of the rw */
	peer_event(&w.rw, &ev);
	/* A second ACQUIRE while negotiating does not start another one. */
	peer_event(&w.rw, &ev);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 1);
	/* The gw picked its conn 1 by the peer address; reqid follows it. */
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(w.gw.sa[0].reqid, XK_REQID_MIN + 1);
	ck_assert(peer_log_has(&w.gw, "gw-rw: IPsec SA established"));
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	/* An ACQUIRE for an unknown reqid does nothing. */
	ev.u.kernel.u.acquire.reqid = 12345;
	peer_event(&w.rw, &ev);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 1);
	world_free(&w);
}
END_TEST

START_TEST(test_expire_soft_rekeys_hard_removes)
{
	struct world w;
	struct ike_event ev = { .type = IKE_EV_KERNEL };
	uint32_t first_in;

	world_init(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 5000, 100000);
	first_in = w.rw.sa[w.rw.sa_inbound[0] ? 0 : 1].spi;
	ev.u.kernel.type = XK_EV_EXPIRE_SOFT;
	ev.u.kernel.u.expire.id.spi = first_in;
	peer_event(&w.rw, &ev);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(w.rw.reasons[IKE_R_REKEY], 1);
	ck_assert_uint_eq(w.rw.n_sa, 4);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 4);
	/* The new pair now: a hard expiry removes it and tells the gw. */
	ev.u.kernel.type = XK_EV_EXPIRE_HARD;
	ev.u.kernel.u.expire.id.spi = w.rw.sa[w.rw.sa_inbound[2] ? 2 : 3].spi;
	peer_event(&w.rw, &ev);
	sim_net_run(w.net, 15000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_ge(w.rw.reasons[IKE_R_EXPIRED], 1);
	world_free(&w);
}
END_TEST

static void addr6(struct sockaddr_storage *ss, const char *ip, uint16_t port)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(port);
	inet_pton(AF_INET6, ip, &s6->sin6_addr);
}

START_TEST(test_ipv6)
{
	struct sim_net *net = sim_net_new(43, 5);
	struct ike_conn_cfg gwc, rwc;
	struct ike_engine_cfg gcfg = { .conns = &gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &rwc, .n_conns = 1 };
	struct peer gw, rw;
	struct sockaddr_storage a;

	conn_psk(&gwc, "gw6", GW, RW, "v6 key");
	conn_psk(&rwc, "rw6", RW, GW, "v6 key");
	addr6(&gwc.local, "2001:db8::1", 500);
	addr6(&gwc.remote, "2001:db8:1::5", 500);
	addr6(&rwc.local, "2001:db8:1::5", 500);
	addr6(&rwc.remote, "2001:db8::1", 500);
	peer_init(&gw, "gw", net, GW, false, &gcfg);
	peer_init(&rw, "rw", net, RW, false, &rcfg);
	addr6(&a, "2001:db8::1", 0);
	sim_net_node_move(net, gw.node, &a);
	addr6(&a, "2001:db8:1::5", 0);
	sim_net_node_move(net, rw.node, &a);
	peer_initiate(&rw, 0);
	sim_net_run(net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&rw, &gw), 2);
	ck_assert_uint_eq(rw.sa[0].src.family, XK_AF_INET6);
	ck_assert_uint_eq(rw.sa[0].sel.src_plen, 128);
	peer_free(&gw);
	peer_free(&rw);
	sim_net_free(net);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_kernel");
	TCase *tc = tcase_create("kernel");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_acquire_starts);
	tcase_add_test(tc, test_expire_soft_rekeys_hard_removes);
	tcase_add_test(tc, test_ipv6);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
