// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tools/natkeyd/natkeyd_vip.c: a Mode Config client's virtual IP and routes
 * through their whole life against a fake kernel that records every
 * address and route: installed on the interface of the route to the
 * gateway, routes for the split networks (else the conn's subnets) via that
 * route's next hop with the virtual IP as source; removed when the IKE SA
 * goes; kept while a rekeyed IKE SA holds the same address; what was there
 * before (EEXIST) is never removed; a failure leaves nothing.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/natkeyd/natkeyd_vip.h"

#define MAXE 16

static struct fake {
	char addrs[MAXE][40];  /* "10.3.0.1/32@3" */
	char routes[MAXE][80]; /* "10.9.0.0/24 via 192.0.2.254 dev 3 src 10.3.0.1" */
	int n_addrs, n_routes;
	int addr_rc, route_rc, lookup_rc; /* forced answers (0: normal) */
	bool has_gw;
	unsigned calls;
	char log[4096];
} fk;

static int find(char (*v)[80], int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return i;
	return -1;
}

static int f_lookup(int family, const uint8_t *dst, struct route_info *out)
{
	ck_assert_int_eq(family, AF_INET);
	ck_assert_mem_eq(dst, "\xc0\x00\x02\x01", 4); /* the gateway 192.0.2.1 */
	if (fk.lookup_rc)
		return fk.lookup_rc;
	memset(out, 0, sizeof(*out));
	out->family = AF_INET;
	out->oif = 3;
	out->has_gateway = fk.has_gw;
	memcpy(out->gateway, "\xc6\x33\x64\xfe", 4); /* 198.51.100.254 */
	return 0;
}

static int f_addr(bool add, int family, const uint8_t *a, uint8_t plen, uint32_t ifindex)
{
	char s[40], t[INET_ADDRSTRLEN];
	int i;

	ck_assert_int_eq(family, AF_INET);
	fk.calls++;
	snprintf(s, sizeof(s), "%s/%u@%u", inet_ntop(AF_INET, a, t, sizeof(t)), plen, ifindex);
	for (i = 0; i < fk.n_addrs && strcmp(fk.addrs[i], s); i++)
		;
	if (add) {
		if (fk.addr_rc)
			return fk.addr_rc;
		if (i < fk.n_addrs)
			return -EEXIST;
		snprintf(fk.addrs[fk.n_addrs++], sizeof(fk.addrs[0]), "%s", s);
		return 0;
	}
	if (i == fk.n_addrs)
		return -EADDRNOTAVAIL;
	memmove(fk.addrs[i], fk.addrs[i + 1], (size_t)(fk.n_addrs - i - 1) * sizeof(fk.addrs[0]));
	fk.n_addrs--;
	return 0;
}

static int f_route(bool add, const struct route_change *r)
{
	char s[80], d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];
	int i;

	fk.calls++;
	snprintf(s, sizeof(s), "%s/%u via %s dev %u src %s",
		 inet_ntop(AF_INET, r->dst, d, sizeof(d)), r->dst_len,
		 r->gateway ? inet_ntop(AF_INET, r->gateway, g, sizeof(g)) : "-", r->oif,
		 r->prefsrc ? inet_ntop(AF_INET, r->prefsrc, p, sizeof(p)) : "-");
	i = find(fk.routes, fk.n_routes, s);
	if (add) {
		if (fk.route_rc)
			return fk.route_rc;
		if (i >= 0)
			return -EEXIST;
		snprintf(fk.routes[fk.n_routes++], sizeof(fk.routes[0]), "%s", s);
		return 0;
	}
	if (i < 0)
		return -ESRCH;
	memmove(fk.routes[i], fk.routes[i + 1],
		(size_t)(fk.n_routes - i - 1) * sizeof(fk.routes[0]));
	fk.n_routes--;
	return 0;
}

static void f_log(void *arg, bool warn, const char *text)
{
	size_t o = strlen(fk.log);

	(void)arg;
	snprintf(fk.log + o, sizeof(fk.log) - o, "%s%s\n", warn ? "WARN " : "", text);
}

static const struct nkd_vip_ops ops = {
	.lookup = f_lookup, .addr = f_addr, .route = f_route, .log = f_log
};

static struct sockaddr_storage peer;
static struct ike_ts nets[2];

static void net4(struct ike_ts *t, const char *a, uint8_t plen)
{
	memset(t, 0, sizeof(*t));
	t->addr.family = XK_AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, a, t->addr.bytes), 1);
	t->plen = plen;
}

static void setup(void)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&peer;

	memset(&fk, 0, sizeof(fk));
	fk.has_gw = true;
	memset(&peer, 0, sizeof(peer));
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.1", &sin->sin_addr);
	net4(&nets[0], "10.9.0.0", 24);
	net4(&nets[1], "0.0.0.0", 0); /* rightsubnet=0.0.0.0/0: never a route */
}

static struct ike_modecfg report(uint32_t serial, bool up, const char *addr, int n_split)
{
	struct ike_modecfg m;

	memset(&m, 0, sizeof(m));
	m.serial = serial;
	m.up = up;
	m.addr.family = XK_AF_INET;
	inet_pton(AF_INET, addr, m.addr.bytes);
	m.plen = 32;
	m.n_dns = 1;
	m.dns[0].family = XK_AF_INET;
	inet_pton(AF_INET, "10.9.0.53", m.dns[0].bytes);
	m.n_split = (uint8_t)n_split;
	if (n_split > 0)
		net4(&m.split[0], "10.9.1.0", 24);
	if (n_split > 1)
		net4(&m.split[1], "172.16.0.0", 12);
	if (n_split > 2)
		net4(&m.split[2], "10.9.1.0", 24); /* a duplicate: one route */
	snprintf(m.domain, sizeof(m.domain), "corp.example");
	return m;
}

START_TEST(test_split_lifecycle)
{
	struct nkd_vip_set set;
	struct ike_modecfg m = report(5, true, "10.3.0.1", 3);

	memset(&set, 0, sizeof(set));
	ck_assert_int_eq(nkd_vip_apply(&set, &ops, "corp", &m, &peer, nets, 2), 0);
	ck_assert_int_eq(fk.n_addrs, 1);
	ck_assert_str_eq(fk.addrs[0], "10.3.0.1/32@3");
	ck_assert_int_eq(fk.n_routes, 2);
	ck_assert_str_eq(fk.routes[0], "10.9.1.0/24 via 198.51.100.254 dev 3 src 10.3.0.1");
	ck_assert_str_eq(fk.routes[1], "172.16.0.0/12 via 198.51.100.254 dev 3 src 10.3.0.1");
	ck_assert_uint_eq(nkd_vip_count(&set), 1);
	ck_assert_ptr_nonnull(strstr(fk.log, "corp: virtual IP 10.3.0.1/32 on "));
	ck_assert_ptr_nonnull(
		strstr(fk.log, "routes 10.9.1.0/24,172.16.0.0/12 through the tunnel"));
	ck_assert_ptr_nonnull(strstr(fk.log, "DNS 10.9.0.53 (not written to resolv.conf"));
	m.up = false;
	ck_assert_int_eq(nkd_vip_apply(&set, &ops, "corp", &m, &peer, nets, 2), 0);
	ck_assert_int_eq(fk.n_addrs, 0);
	ck_assert_int_eq(fk.n_routes, 0);
	ck_assert_uint_eq(nkd_vip_count(&set), 0);
	ck_assert_ptr_nonnull(
		strstr(fk.log, "corp: virtual IP 10.3.0.1 removed, 2 routes removed"));
}
END_TEST

/* No split network: the conn's subnets (not 0.0.0.0/0); an on-link gateway. */
START_TEST(test_conn_subnets)
{
	struct nkd_vip_set set;
	struct ike_modecfg m = report(5, true, "10.3.0.1", 0);

	memset(&set, 0, sizeof(set));
	fk.has_gw = false;
	ck_assert_int_eq(nkd_vip_apply(&set, &ops, "corp", &m, &peer, nets, 2), 0);
	ck_assert_int_eq(fk.n_routes, 1);
	ck_assert_str_eq(fk.routes[0], "10.9.0.0/24 via - dev 3 src 10.3.0.1");
	nkd_vip_flush(&set, &ops, "corp");
	ck_assert_int_eq(fk.n_addrs, 0);
	ck_assert_int_eq(fk.n_routes, 0);
}
END_TEST

/* A rekeyed IKE SA gets the same address: installed once, removed only when
 * the last IKE SA holding it goes. */
START_TEST(test_rekey_shares)
{
	struct nkd_vip_set set;
	struct ike_modecfg a = report(5, true, "10.3.0.1", 1), b = report(9, true, "10.3.0.1", 1);

	memset(&set, 0, sizeof(set));
	ck_assert_int_eq(nkd_vip_apply(&set, &ops, "corp", &a, &peer, nets, 2), 0);
	ck_assert_int_eq(nkd_vip_apply(&set, &ops, "corp", &b, &peer, nets, 2), 0);
	ck_assert_int_eq(fk.n_addrs, 1);
	ck_assert_int_eq(fk.n_routes, 1);
	a.up = false;
	ck_assert_int_eq(nkd_vip_apply(&set, &ops, "corp", &a, &peer, nets, 2), 0);
	ck_assert_int_eq(fk.n_addrs, 1);
	ck_assert_int_eq(fk.n_routes, 1);
	ck_assert_ptr_nonnull(strstr(fk.log, "kept for the newer IKE SA"));
	b.up = false;
	ck_assert_int_eq(nkd_vip_apply(&set, &ops, "corp", &b, &peer, nets, 2), 0);
	ck_assert_int_eq(fk.n_addrs, 0);
	ck_assert_int_eq(fk.n_routes, 0);
}
END_TEST

/* An address and a route that were there before natkeyd stay after it. */
START_TEST(test_not_ours_left)
{
	struct nkd_vip_set set;
	struct ike_modecfg m = report(5, true, "10.3.0.1", 1);

	memset(&set, 0, sizeof(set));
	snprintf(fk.addrs[fk.n_addrs++], sizeof(fk.addrs[0]), "10.3.0.1/32@3");
	snprintf(fk.routes[fk.n_routes++], sizeof(fk.routes[0]),
		 "10.9.1.0/24 via 198.51.100.254 dev 3 src 10.3.0.1");
	ck_assert_int_eq(nkd_vip_apply(&set, &ops, "corp", &m, &peer, nets, 2), 0);
	ck_assert_ptr_nonnull(
		strstr(fk.log, "WARN corp: virtual IP 10.3.0.1 is already an address"));
	ck_assert_ptr_nonnull(strstr(fk.log, "(a route of someone else: left as it is)"));
	nkd_vip_flush(&set, &ops, "corp");
	ck_assert_int_eq(fk.n_addrs, 1);
	ck_assert_int_eq(fk.n_routes, 1);
}
END_TEST

/* No route to the gateway, or the kernel refuses the address: nothing
 * stays, nothing is remembered. */
START_TEST(test_failures_leave_nothing)
{
	struct nkd_vip_set set;
	struct ike_modecfg m = report(5, true, "10.3.0.1", 1);

	memset(&set, 0, sizeof(set));
	fk.lookup_rc = -ENETUNREACH;
	ck_assert_int_eq(nkd_vip_apply(&set, &ops, "corp", &m, &peer, nets, 2), -ENETUNREACH);
	ck_assert_ptr_nonnull(strstr(fk.log, "no route to the gateway"));
	fk.lookup_rc = 0;
	fk.addr_rc = -EPERM;
	ck_assert_int_eq(nkd_vip_apply(&set, &ops, "corp", &m, &peer, nets, 2), -EPERM);
	ck_assert_ptr_nonnull(strstr(fk.log, "cannot add the virtual IP 10.3.0.1/32"));
	ck_assert_int_eq(fk.n_addrs, 0);
	ck_assert_int_eq(fk.n_routes, 0);
	ck_assert_uint_eq(nkd_vip_count(&set), 0);
	/* A "gone" for an IKE SA that installed nothing touches nothing. */
	m.up = false;
	fk.calls = 0;
	ck_assert_int_eq(nkd_vip_apply(&set, &ops, "corp", &m, &peer, nets, 2), 0);
	ck_assert_uint_eq(fk.calls, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("daemon_vip");
	TCase *tc = tcase_create("vip");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_split_lifecycle);
	tcase_add_test(tc, test_conn_subnets);
	tcase_add_test(tc, test_rekey_shares);
	tcase_add_test(tc, test_not_ours_left);
	tcase_add_test(tc, test_failures_leave_nothing);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
