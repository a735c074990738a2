// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the RFC 3948 s4 / RFC 3947 s4 NAT-keepalive scheduler. */
#include <check.h>
#include <stdlib.h>

#include "natt/keepalive.h"
#include "tests/lib/natt_test.h"

#define NEVER NATT_KEEPALIVE_NEVER

struct ka_case {
	const char *what;
	struct natt_keepalive_in in;
	bool send;
	uint64_t next;
};

static const struct ka_case ka_cases[] = {
	{ "not behind NAT: never",
	  { .behind_nat = false,
	    .floated = true,
	    .sa_exists = true,
	    .last_sent_ms = 0,
	    .now_ms = 100000 },
	  false,
	  NEVER },
	{ "behind NAT but still on 500: no keepalive to port 500",
	  { .behind_nat = true,
	    .floated = false,
	    .sa_exists = true,
	    .last_sent_ms = 0,
	    .now_ms = 100000 },
	  false,
	  NEVER },
	{ "just floated: first timer = float + 20 s",
	  { .behind_nat = true,
	    .floated = true,
	    .sa_exists = true,
	    .last_sent_ms = 5000,
	    .now_ms = 5000 },
	  false,
	  25000 },
	{ "19.999 s idle: wait",
	  { .behind_nat = true,
	    .floated = true,
	    .sa_exists = true,
	    .last_sent_ms = 5000,
	    .now_ms = 24999 },
	  false,
	  25000 },
	{ "20 s idle: send, next in 20 s",
	  { .behind_nat = true,
	    .floated = true,
	    .sa_exists = true,
	    .last_sent_ms = 5000,
	    .now_ms = 25000 },
	  true,
	  45000 },
	{ "late wakeup: send once, next from now",
	  { .behind_nat = true,
	    .floated = true,
	    .sa_exists = true,
	    .last_sent_ms = 5000,
	    .now_ms = 90000 },
	  true,
	  110000 },
	{ "other traffic postpones it",
	  { .behind_nat = true,
	    .floated = true,
	    .sa_exists = true,
	    .last_sent_ms = 30000,
	    .now_ms = 31000 },
	  false,
	  50000 },
	{ "configured 5 s interval",
	  { .behind_nat = true,
	    .floated = true,
	    .sa_exists = true,
	    .interval_ms = 5000,
	    .last_sent_ms = 1000,
	    .now_ms = 6000 },
	  true,
	  11000 },
	{ "last SA gone 1 min ago: still sending",
	  { .behind_nat = true,
	    .floated = true,
	    .sa_exists = false,
	    .sa_gone_ms = 40000,
	    .last_sent_ms = 60000,
	    .now_ms = 100000 },
	  true,
	  120000 },
	{ "last SA gone 5 min ago: stop",
	  { .behind_nat = true,
	    .floated = true,
	    .sa_exists = false,
	    .sa_gone_ms = 40000,
	    .last_sent_ms = 330000,
	    .now_ms = 340000 },
	  false,
	  NEVER },
	{ "next deadline past the linger end: none",
	  { .behind_nat = true,
	    .floated = true,
	    .sa_exists = false,
	    .sa_gone_ms = 40000,
	    .last_sent_ms = 330000,
	    .now_ms = 335000 },
	  false,
	  NEVER },
	{ "next deadline before the linger end",
	  { .behind_nat = true,
	    .floated = true,
	    .sa_exists = false,
	    .sa_gone_ms = 40000,
	    .last_sent_ms = 300000,
	    .now_ms = 310000 },
	  false,
	  320000 },
	{ "no overflow near the end of time",
	  { .behind_nat = true,
	    .floated = true,
	    .sa_exists = true,
	    .last_sent_ms = UINT64_MAX - 5,
	    .now_ms = UINT64_MAX - 1 },
	  false,
	  NEVER },
};

START_TEST(test_keepalive)
{
	const struct ka_case *c = &ka_cases[_i];
	struct natt_keepalive_out out;

	natt_keepalive_schedule(&c->in, &out);
	ck_assert_msg(out.send == c->send, "%s: send %d", c->what, out.send);
	ck_assert_msg(out.next_ms == c->next, "%s: next %llu", c->what,
		      (unsigned long long)out.next_ms);
}
END_TEST

/* Drive the scheduler like the engine: one keepalive per idle interval. */
START_TEST(test_keepalive_run)
{
	struct natt_keepalive_in in = { .behind_nat = true,
					.floated = true,
					.sa_exists = true,
					.last_sent_ms = 1000,
					.now_ms = 1000 };
	struct natt_keepalive_out out;
	unsigned sent = 0;

	for (int step = 0; step < 10; step++) {
		natt_keepalive_schedule(&in, &out);
		if (out.send) {
			sent++;
			in.last_sent_ms = in.now_ms;
		}
		ck_assert(out.next_ms != NEVER);
		ck_assert(out.next_ms > in.now_ms);
		in.now_ms = out.next_ms;
	}
	/* t = 1 s float, then 21, 41, ... 181 s: 9 sends in 10 wakeups. */
	ck_assert_uint_eq(sent, 9);
	ck_assert_uint_eq(in.now_ms, 201000);
}
END_TEST

static Suite *keepalive_suite(void)
{
	Suite *s = suite_create("natt_keepalive");
	TCase *tc = tcase_create("keepalive");

	tcase_add_loop_test(tc, test_keepalive, 0, (int)N(ka_cases));
	tcase_add_test(tc, test_keepalive_run);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(keepalive_suite());
}
