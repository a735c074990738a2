// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Client address policy of a right=%any gateway (ike/sa/ikev1_ids.c): road
 * warriors behind one NAT and one outside it claim clients in Quick Mode;
 * the gateway accepts only what its allow-list gives (virtual-private= with
 * vhost:/vnet:, or rightsubnet=), the peer's own address as the wire shows
 * it, never what the gateway protects itself, never another identity's
 * live client; every refusal is INVALID-ID-INFORMATION and one log line
 * naming the peer and the claim. Policies are ordered by prefix length.
 * Group PSK: an identity pattern limits who may connect; Aggressive Mode
 * with a PSK is answered only with the responder opt-in.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/sa/ikev1_ids.h"
#include "ike/wire/isakmp.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/sim/nat.h"

#define GW     "198.51.100.1"
#define NAT    "203.0.113.7"
#define OUT_RW "192.0.2.44" /* a road warrior not behind the NAT */
#define N_RW   3

struct world {
	struct sim_net *net;
	struct sim_nat *nat;
	struct ike_conn_cfg gwc, rwc[N_RW + 1];
	struct peer gw, rw[N_RW + 1]; /* rw[N_RW] is OUT_RW */
};

static void ts_set(struct ike_ts *ts, const char *addr, unsigned plen)
{
	memset(ts, 0, sizeof(*ts));
	ts->addr.family = XK_AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, addr, ts->addr.bytes), 1);
	ts->plen = (uint8_t)plen;
}

/* The gateway protects 10.9.0.0/24 for %any; rw i is 10.0.0.(2+i) behind
 * the NAT with identity rw<i>.example, the last one is OUT_RW outside. */
static void world_init(struct world *w)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct sim_nat_cfg nc;

	memset(w, 0, sizeof(*w));
	conn_psk(&w->gwc, "rw-any", GW, NULL, "group secret");
	ts_set(&w->gwc.local_ts, "10.9.0.0", 24);
	w->gwc.dpd_delay_s = 0;
	w->net = sim_net_new(41, 10);
	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, NAT, 0);
	nc.mapping = nc.filtering = SIM_NAT_EI;
	nc.seed = 3;
	w->nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(w->nat);
	harness_nat_attach(w->net, w->nat);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	for (int i = 0; i <= N_RW; i++) {
		struct ike_engine_cfg rcfg = { .conns = &w->rwc[i], .n_conns = 1 };
		char addr[32];

		if (i < N_RW)
			snprintf(addr, sizeof(addr), "10.0.0.%d", 2 + i);
		else
			snprintf(addr, sizeof(addr), "%s", OUT_RW);
		conn_psk(&w->rwc[i], "gw", addr, GW, "group secret");
		ts_set(&w->rwc[i].remote_ts, "10.9.0.0", 24);
		w->rwc[i].dpd_delay_s = 0;
		w->rwc[i].local_id.type = ISAKMP_ID_FQDN;
		w->rwc[i].local_id.len =
			(uint8_t)snprintf((char *)w->rwc[i].local_id.data,
					  sizeof(w->rwc[i].local_id.data), "rw%d.example", i + 1);
		peer_init(&w->rw[i], "rw", w->net, addr, i < N_RW, &rcfg);
		w->rw[i].next_spi = 0xd0000100u + 0x1000u * (uint32_t)i;
	}
}

/* The gateway's configuration changed: a new gateway engine. */
static void world_gw_renew(struct world *w)
{
	ck_assert_int_eq(peer_renew(&w->gw, &w->gwc), 0);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	for (int i = 0; i <= N_RW; i++)
		peer_free(&w->rw[i]);
	sim_nat_free(w->nat);
	sim_net_free(w->net);
}

/* rw @i claims @net/@plen as its client and tries to bring the tunnel up. */
static bool claim(struct world *w, int i, const char *net, unsigned plen)
{
	unsigned before = peer_status(&w->gw).ipsec_sas;

	ts_set(&w->rwc[i].local_ts, net, plen);
	ck_assert_int_eq(peer_renew(&w->rw[i], &w->rwc[i]), 0);
	peer_initiate(&w->rw[i], 0);
	sim_net_run(w->net, sim_net_now(w->net) + 20000, 200000);
	return peer_status(&w->gw).ipsec_sas == before + 1 && peer_status(&w->rw[i]).ipsec_sas == 1;
}

/* One log line of @p holds both @a and @b. */
static bool log_line_has(const struct peer *p, const char *a, const char *b)
{
	for (unsigned i = 0; i < p->n_log; i++)
		if (strstr(p->log[i], a) && strstr(p->log[i], b))
			return true;
	return false;
}

/* A refusal: no SA on the road warrior, which was told; one gateway line
 * naming the claim and the peer (@who: "CLAIM of ID at ADDR:") and @why. */
static void assert_refused(const struct world *w, int i, const char *who, const char *why)
{
	char line[160];

	snprintf(line, sizeof(line), "rw-any: refused client %s", who);
	ck_assert_uint_eq(peer_status(&w->rw[i]).ipsec_sas, 0);
	ck_assert_msg(log_line_has(&w->gw, line, why), "gw log lacks \"%s ... %s\"", line, why);
	ck_assert_msg(peer_log_has(&w->rw[i], "INVALID-ID-INFORMATION"),
		      "rw%d was not told INVALID-ID-INFORMATION", i + 1);
}

/* No allow-list (the documented default): a road warrior behind the NAT
 * may claim neither an Internet host nor its own private address; one not
 * behind a NAT gets its own address. */
START_TEST(test_no_allow_list)
{
	struct world w;

	world_init(&w);
	ck_assert(!claim(&w, 0, "8.8.8.8", 32));
	assert_refused(&w, 0, "8.8.8.8/32 of rw1.example at 203.0.113.7:",
		       "not its own address, and no allow-list");
	ck_assert(!claim(&w, 1, "10.0.0.3", 32));
	assert_refused(&w, 1, "10.0.0.3/32 of rw2.example at 203.0.113.7:",
		       "not its own address, and no allow-list");
	ck_assert(claim(&w, N_RW, OUT_RW, 32));
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	world_free(&w);
}
END_TEST

/* vhost:%priv with virtual-private=%v4:10.0.0.0/8: single private addresses
 * from behind the NAT, nothing outside the list, nothing of the gateway's
 * own 10.9.0.0/24 although it lies inside 10.0.0.0/8, no network. */
START_TEST(test_vhost)
{
	struct world w;

	world_init(&w);
	ts_set(&w.gwc.client_allow[w.gwc.n_client_allow++], "10.0.0.0", 8);
	w.gwc.client_hosts_only = true;
	world_gw_renew(&w);
	ck_assert(claim(&w, 0, "10.0.0.2", 32));
	ck_assert(!claim(&w, 1, "8.8.8.8", 32));
	assert_refused(&w, 1,
		       "8.8.8.8/32 of rw2.example at 203.0.113.7:", "outside the allow-list");
	ck_assert(!claim(&w, 1, "10.9.0.7", 32));
	assert_refused(&w, 1, "10.9.0.7/32 of rw2.example at 203.0.113.7:",
		       "overlaps what this gateway protects");
	ck_assert(!claim(&w, 1, "10.3.0.0", 16));
	assert_refused(&w, 1, "10.3.0.0/16 of rw2.example at 203.0.113.7:",
		       "a network where vhost: allows single addresses");
	/* A private address through no NAT: refused (its ESP would not arrive). */
	ck_assert(!claim(&w, N_RW, "10.44.0.1", 32));
	assert_refused(&w, N_RW, "10.44.0.1/32 of rw4.example at 192.0.2.44:500",
		       "a vhost: address from a peer not behind a NAT");
	/* Another identity's client is taken, the first tunnel stays. */
	ck_assert(!claim(&w, 2, "10.0.0.2", 32));
	assert_refused(&w, 2, "10.0.0.2/32 of rw3.example at 203.0.113.7:",
		       "overlaps another peer's 10.0.0.2/32");
	ck_assert(claim(&w, 2, "10.0.0.4", 32));
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 2);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	world_free(&w);
}
END_TEST

/* vnet:%priv with an exclusion (virtual-private=%v4:10.0.0.0/8,%v4:!10.5.0.0/16):
 * networks inside the list, none overlapping an exclusion or another
 * identity's client, and the narrower policy wins in the kernel. */
START_TEST(test_vnet_overlap_priority)
{
	struct world w;
	const struct xk_policy *p24 = NULL, *p32 = NULL;

	world_init(&w);
	ts_set(&w.gwc.client_allow[w.gwc.n_client_allow++], "10.0.0.0", 8);
	ts_set(&w.gwc.client_deny[w.gwc.n_client_deny++], "10.5.0.0", 16);
	world_gw_renew(&w);
	ck_assert(claim(&w, 0, "10.0.0.2", 32));
	ck_assert(!claim(&w, 1, "10.5.1.0", 24));
	assert_refused(&w, 1, "10.5.1.0/24 of rw2.example at 203.0.113.7:",
		       "in a network virtual-private= excludes");
	/* 10.0.0.0/24 would shadow rw1's 10.0.0.2/32. */
	ck_assert(!claim(&w, 1, "10.0.0.0", 24));
	assert_refused(&w, 1, "10.0.0.0/24 of rw2.example at 203.0.113.7:",
		       "overlaps another peer's 10.0.0.2/32");
	ck_assert(claim(&w, 1, "10.0.7.0", 24));
	for (unsigned i = 0; i < w.gw.n_policy && i < PEER_SA_MAX; i++) {
		const struct xk_policy *p = &w.gw.policy[i];

		if (p->dir != XK_DIR_OUT)
			continue;
		if (p->sel.dst_plen == 32)
			p32 = p;
		else if (p->sel.dst_plen == 24)
			p24 = p;
	}
	ck_assert_ptr_nonnull(p24);
	ck_assert_ptr_nonnull(p32);
	/* 4 x (1024 - 24 - 32) + 3 and 4 x (1024 - 24 - 24) + 3: lower wins. */
	ck_assert_uint_eq(p32->priority, 3875);
	ck_assert_uint_eq(p24->priority, 3907);
	ck_assert_uint_eq(p32->priority, ike_policy_priority(&p32->sel));
	world_free(&w);
}
END_TEST

/* Two identities race for one client: both Quick Modes reach the gateway
 * before either finished; only one may get it. */
START_TEST(test_claim_race)
{
	struct world w;
	unsigned up = 0;

	world_init(&w);
	ts_set(&w.gwc.client_allow[w.gwc.n_client_allow++], "10.0.0.0", 8);
	w.gwc.client_hosts_only = true;
	world_gw_renew(&w);
	for (int i = 0; i < 2; i++) {
		ts_set(&w.rwc[i].local_ts, "10.0.0.2", 32);
		ck_assert_int_eq(peer_renew(&w.rw[i], &w.rwc[i]), 0);
		peer_initiate(&w.rw[i], 0);
	}
	sim_net_run(w.net, sim_net_now(w.net) + 20000, 200000);
	for (int i = 0; i < 2; i++)
		up += peer_status(&w.rw[i]).ipsec_sas;
	ck_assert_uint_eq(up, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert(peer_log_has(&w.gw, "overlaps another peer's 10.0.0.2/32"));
	world_free(&w);
}
END_TEST

/* strongSwan style: rightsubnet=10.0.0.0/24,10.1.0.0/24 on the %any conn
 * (networks, behind a NAT or not). */
START_TEST(test_rightsubnet_list)
{
	struct world w;

	world_init(&w);
	ts_set(&w.gwc.client_allow[w.gwc.n_client_allow++], "10.0.0.0", 24);
	ts_set(&w.gwc.client_allow[w.gwc.n_client_allow++], "10.1.0.0", 24);
	world_gw_renew(&w);
	ck_assert(claim(&w, 0, "10.1.0.0", 25));
	ck_assert(claim(&w, N_RW, "10.0.0.128", 25));
	ck_assert(!claim(&w, 1, "10.2.0.0", 24));
	assert_refused(&w, 1,
		       "10.2.0.0/24 of rw2.example at 203.0.113.7:", "outside the allow-list");
	world_free(&w);
}
END_TEST

/* Aggressive Mode PSK as responder: off unless the connection opts in; the
 * gateway then sends no AM2 (no HASH_R to crack) and says why. */
START_TEST(test_aggressive_psk_needs_optin)
{
	struct world w;

	world_init(&w);
	w.gwc.aggressive = true;
	world_gw_renew(&w);
	w.rwc[N_RW].aggressive = true;
	ck_assert(!claim(&w, N_RW, OUT_RW, 32));
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw[N_RW]).ike_established, 0);
	ck_assert(peer_log_has(&w.gw, "rw-any: Aggressive Mode PSK as responder is off (its HASH_R "
				      "allows offline PSK cracking)"));
	/* Whatever the gateway sent (a NO-PROPOSAL-CHOSEN notify, rate-limited)
	 * is an unencrypted Informational, never an Aggressive Mode answer. */
	ck_assert_uint_eq(w.rw[N_RW].reasons[IKE_R_AUTH_FAILED], 0);
	w.gwc.aggr_psk_responder = true;
	world_gw_renew(&w);
	ck_assert(claim(&w, N_RW, OUT_RW, 32));
	world_free(&w);
}
END_TEST

/* A group PSK limited by an identity pattern: rightid=@*.rw.example lets in
 * rw1.rw.example, not rw2.example (who knows the PSK too). */
START_TEST(test_identity_pattern)
{
	struct world w;
	static const char pattern[] = "*.rw.example", name[] = "rw1.rw.example";

	world_init(&w);
	w.gwc.remote_id.type = ISAKMP_ID_FQDN;
	w.gwc.remote_id.len = sizeof(pattern) - 1;
	memcpy(w.gwc.remote_id.data, pattern, sizeof(pattern) - 1);
	world_gw_renew(&w);
	w.rwc[N_RW].local_id.len = sizeof(name) - 1;
	memcpy(w.rwc[N_RW].local_id.data, name, sizeof(name) - 1);
	ck_assert(claim(&w, N_RW, OUT_RW, 32));
	ck_assert(!claim(&w, 1, "203.0.113.7", 32));
	ck_assert_uint_eq(peer_status(&w.rw[1]).ike_established, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_ID_MISMATCH], 1);
	world_free(&w);
}
END_TEST

static const struct {
	const char *want;
	uint8_t type;
	const char *id;
	bool match;
} id_cases[] = {
	{ "*.rw.example", ISAKMP_ID_FQDN, "a.rw.example", true },
	{ "*.rw.example", ISAKMP_ID_FQDN, "A.RW.Example", true },
	{ "*.rw.example", ISAKMP_ID_FQDN, "x.y.rw.example", true },
	{ "*.rw.example", ISAKMP_ID_FQDN, "rw.example", false },
	{ "*.rw.example", ISAKMP_ID_FQDN, ".rw.example", false },
	{ "*.rw.example", ISAKMP_ID_FQDN, "evilrw.example", false },
	{ "*.rw.example", ISAKMP_ID_USER_FQDN, "a@x.rw.example", false },
	{ "*@example.org", ISAKMP_ID_USER_FQDN, "alice@example.org", true },
	{ "*@example.org", ISAKMP_ID_USER_FQDN, "alice@evil.example.org", false },
	{ "*@example.org", ISAKMP_ID_USER_FQDN, "@example.org", false },
	{ "gw.example", ISAKMP_ID_FQDN, "gw.example", true },
	{ "gw.example", ISAKMP_ID_FQDN, "GW.example", false },
	{ "*", ISAKMP_ID_FQDN, "anything", false },
};

START_TEST(test_id_patterns)
{
	struct ike_id want = { 0 };

	want.type = id_cases[_i].type == ISAKMP_ID_USER_FQDN && strchr(id_cases[_i].want, '@')
			    ? ISAKMP_ID_USER_FQDN
			    : ISAKMP_ID_FQDN;
	want.len = (uint8_t)strlen(id_cases[_i].want);
	memcpy(want.data, id_cases[_i].want, want.len);
	ck_assert_msg(ike_id_matches(&want, id_cases[_i].type, (const uint8_t *)id_cases[_i].id,
				     strlen(id_cases[_i].id)) == id_cases[_i].match,
		      "%s vs %s", id_cases[_i].want, id_cases[_i].id);
}
END_TEST

static const struct {
	unsigned s, d, proto, port, prio;
} prio_cases[] = {
	{ 0, 0, 0, 0, 4099 },	 /* 0/0 <-> 0/0 */
	{ 24, 32, 0, 0, 3875 },	 /* subnet <-> host */
	{ 32, 32, 0, 0, 3843 },	 /* host <-> host */
	{ 32, 32, 17, 0, 3842 }, /* with a protocol */
	{ 32, 32, 17, 1701, 3840 }, { 128, 128, 0, 0, 3075 },
};

START_TEST(test_priority_table)
{
	struct xk_selector sel;

	memset(&sel, 0, sizeof(sel));
	sel.src_plen = (uint8_t)prio_cases[_i].s;
	sel.dst_plen = (uint8_t)prio_cases[_i].d;
	sel.proto = (uint8_t)prio_cases[_i].proto;
	sel.dport = (uint16_t)prio_cases[_i].port;
	ck_assert_uint_eq(ike_policy_priority(&sel), prio_cases[_i].prio);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_clients");
	TCase *tc = tcase_create("clients");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_no_allow_list);
	tcase_add_test(tc, test_vhost);
	tcase_add_test(tc, test_vnet_overlap_priority);
	tcase_add_test(tc, test_rightsubnet_list);
	tcase_add_test(tc, test_claim_race);
	tcase_add_test(tc, test_aggressive_psk_needs_optin);
	tcase_add_test(tc, test_identity_pattern);
	tcase_add_loop_test(tc, test_id_patterns, 0, (int)(sizeof(id_cases) / sizeof(id_cases[0])));
	tcase_add_loop_test(tc, test_priority_table, 0,
			    (int)(sizeof(prio_cases) / sizeof(prio_cases[0])));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
