// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the adaptive NAT-keepalive rule (natt/adaptka.c), and the
 * rule composed with the RFC 3948 s4 scheduler (natt/keepalive.c) against a
 * simulated NAT with a binding lifetime: keepalives per hour, fixed 20 s vs
 * auto, and whether the binding survived.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natt/adaptka.h"
#include "natt/keepalive.h"
#include "tests/lib/natt_test.h"
#include "tests/lib/sim/nat.h"

struct iv_case {
	const char *what;
	uint32_t lifetime, max, want;
};

static const struct iv_case iv_cases[] = {
	{ "unknown: RFC 3948 20 s", 0, 0, 20000 },
	{ "unknown, max below 20 s: max", 0, 15000, 15000 },
	{ "120 s NAT: 60 s", 120000, 0, 60000 },
	{ "60 s NAT: 30 s", 60000, 0, 30000 },
	{ "30 s NAT: 15 s", 30000, 0, 15000 },
	{ "20 s NAT: the 10 s floor", 20000, 0, 10000 },
	{ "1 ms (hostile): the 10 s floor", 1, 0, 10000 },
	{ "RFC 4787 REQ-5 5 min NAT: default max 120 s", 300000, 0, 120000 },
	{ "huge: default max", UINT32_MAX, 0, 120000 },
	{ "1 h NAT, max 5 min", 3600000, 300000, 300000 },
	{ "max below the floor is raised to 10 s", 120000, 5000, 10000 },
	{ "odd lifetime rounds down", 61001, 0, 30500 },
};

START_TEST(test_interval)
{
	const struct iv_case *c = &iv_cases[_i];

	ck_assert_msg(natt_adaptka_interval(c->lifetime, c->max) == c->want, "%s: got %u, want %u",
		      c->what, natt_adaptka_interval(c->lifetime, c->max), c->want);
}
END_TEST

START_TEST(test_refresh)
{
	ck_assert(!natt_adaptka_refresh(0, 0, 1000000000));    /* unknown: never */
	ck_assert(!natt_adaptka_refresh(60000, 1000, 60999));  /* 59.999 s silent */
	ck_assert(natt_adaptka_refresh(60000, 1000, 61000));   /* the whole lifetime */
	ck_assert(natt_adaptka_refresh(60000, 1000, 500000));  /* long after */
	ck_assert(!natt_adaptka_refresh(60000, 90000, 80000)); /* sent "in the future" */
}
END_TEST

START_TEST(test_peer_bounds)
{
	ck_assert(!natt_adaptka_peer_ok(0));
	ck_assert(!natt_adaptka_peer_ok(999));
	ck_assert(natt_adaptka_peer_ok(1000));
	ck_assert(natt_adaptka_peer_ok(120000));
	ck_assert(natt_adaptka_peer_ok(86400000));
	ck_assert(!natt_adaptka_peer_ok(86400001));
	ck_assert(!natt_adaptka_peer_ok(UINT32_MAX));
	ck_assert_str_eq(natt_lifetime_src_name(NATT_LT_PEER), "peer");
	ck_assert_str_eq(natt_lifetime_src_name(NATT_LT_NONE), "unknown");
	ck_assert_str_eq(natt_lifetime_src_name((enum natt_lifetime_src)99), "unknown");
}
END_TEST

/*
 * One hour of an idle road warrior behind a NAT with binding lifetime
 * @nat_ms: the scheduler at @interval_ms, each keepalive through the NAT.
 * Returns the keepalives sent; *@kept: whether a packet from the gateway to
 * the first public endpoint reached the road warrior at the end (the
 * binding never changed).
 */
static unsigned one_hour(uint32_t nat_ms, uint32_t interval_ms, bool *kept)
{
	struct sim_nat_cfg nc;
	struct sim_nat *nat;
	struct natt_keepalive_in in;
	struct natt_keepalive_out out;
	struct sim_dgram d, back;
	struct sockaddr_storage first;
	unsigned sent = 0;
	bool same = true;

	memset(&nc, 0, sizeof(nc));
	nc.pub = natt_test_ep("203.0.113.7", 0);
	nc.mapping = nc.filtering = SIM_NAT_APD;
	nc.timeout_ms = nat_ms;
	nc.seed = 7;
	nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(nat);
	memset(&d, 0, sizeof(d));
	d.src = natt_test_ep("10.0.0.2", 4500);
	d.dst = natt_test_ep("198.51.100.1", 4500);
	d.len = 1;
	d.buf[0] = 0xff;
	/* The float: the last IKE message creates the binding. */
	back = d;
	ck_assert_int_eq(sim_nat_outbound(nat, &back, 0), SIM_PASS);
	first = back.src;
	memset(&in, 0, sizeof(in));
	in.behind_nat = in.floated = in.sa_exists = true;
	in.interval_ms = interval_ms;
	while (in.now_ms < 3600000) {
		natt_keepalive_schedule(&in, &out);
		if (out.send) {
			back = d;
			ck_assert_int_eq(sim_nat_outbound(nat, &back, in.now_ms), SIM_PASS);
			same = same && memcmp(&back.src, &first, sizeof(first)) == 0;
			in.last_sent_ms = in.now_ms;
			sent++;
		}
		ck_assert(out.next_ms > in.now_ms);
		in.now_ms = out.next_ms;
	}
	/* ESP from the gateway to the endpoint it learned at the float. */
	memset(&back, 0, sizeof(back));
	back.src = d.dst;
	back.dst = first;
	back.len = 8;
	*kept = same && sim_nat_inbound(nat, &back, 3600000) == SIM_PASS;
	sim_nat_free(nat);
	return sent;
}

START_TEST(test_hour_120s_nat)
{
	bool kept_fixed, kept_auto;
	unsigned fixed = one_hour(120000, NATT_KEEPALIVE_INTERVAL_MS_DEFAULT, &kept_fixed);
	unsigned adapt = one_hour(120000, natt_adaptka_interval(120000, 0), &kept_auto);

	printf("natt_adaptka: NAT binding lifetime 120 s, 1 h idle: fixed 20 s %u keepalives, "
	       "auto %u keepalives\n",
	       fixed, adapt);
	ck_assert(kept_fixed);
	ck_assert(kept_auto);
	ck_assert_uint_eq(fixed, 179); /* at 20, 40, ... 3580 s */
	ck_assert_uint_eq(adapt, 59);  /* at 60, 120, ... 3540 s */
}
END_TEST

/* A 60 s NAT keeps its binding at auto's 30 s; an interval of the whole
 * lifetime (what the fraction avoids) loses it. */
START_TEST(test_hour_60s_nat)
{
	bool kept;
	unsigned n = one_hour(60000, natt_adaptka_interval(60000, 0), &kept);

	ck_assert(kept);
	ck_assert_uint_eq(n, 119);
	(void)one_hour(60000, 60000, &kept);
	ck_assert(!kept);
}
END_TEST

static Suite *adaptka_suite(void)
{
	Suite *s = suite_create("natt_adaptka");
	TCase *tc = tcase_create("adaptka");

	tcase_add_loop_test(tc, test_interval, 0, (int)N(iv_cases));
	tcase_add_test(tc, test_refresh);
	tcase_add_test(tc, test_peer_bounds);
	tcase_add_test(tc, test_hour_120s_nat);
	tcase_add_test(tc, test_hour_60s_nat);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(adaptka_suite());
}
