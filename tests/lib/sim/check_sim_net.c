// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the in-memory network simulator (tests/lib/sim/net.c). */
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/sim/net.h"

#define LOG_MAX 64

struct rx_log {
	unsigned n;
	uint64_t at[LOG_MAX];
	uint8_t first[LOG_MAX];
	uint16_t sport[LOG_MAX];
	char src[LOG_MAX][16];
	unsigned timers;
	uint64_t timer_at;
};

static void on_rx(void *ctx, struct sim_net *net, const struct sim_dgram *d, uint64_t now)
{
	struct rx_log *l = ctx;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&d->src;

	(void)net;
	if (l->n < LOG_MAX) {
		l->at[l->n] = now;
		l->first[l->n] = d->len ? d->buf[0] : 0;
		l->sport[l->n] = sim_addr_port(&d->src);
		memcpy(l->src[l->n], &sin->sin_addr, 4);
	}
	l->n++;
}

static void on_timer(void *ctx, struct sim_net *net, uint64_t now)
{
	struct rx_log *l = ctx;

	(void)net;
	l->timers++;
	l->timer_at = now;
}

static void make(struct sim_dgram *d, const char *src, uint16_t sp, const char *dst, uint16_t dp,
		 uint8_t tag)
{
	sim_addr4(&d->src, src, sp);
	sim_addr4(&d->dst, dst, dp);
	d->len = 1;
	d->buf[0] = tag;
}

/* The path MTU: 1472 bytes of UDP payload fit 1500 over IPv4, 1473 do not;
 * with the drop flag they are lost, without it only counted. */
START_TEST(test_mtu)
{
	struct sim_net *net = sim_net_new(1, 10);
	struct sockaddr_storage a, b;
	struct rx_log la = { 0 }, lb = { 0 };
	struct sim_net_stats st;
	static struct sim_dgram d;

	sim_addr4(&a, "192.0.2.1", 0);
	sim_addr4(&b, "198.51.100.1", 0);
	ck_assert_int_eq(sim_net_node_add(net, &a, false, on_rx, on_timer, &la), 0);
	ck_assert_int_eq(sim_net_node_add(net, &b, false, on_rx, on_timer, &lb), 1);
	sim_net_mtu_set(net, 1500, true);
	make(&d, "192.0.2.1", 500, "198.51.100.1", 500, 1);
	d.len = 1472;
	ck_assert_int_eq(sim_net_send(net, &d), 0);
	d.len = 1473;
	d.buf[0] = 2;
	ck_assert_int_eq(sim_net_send(net, &d), 0);
	sim_net_run(net, UINT64_MAX, 100);
	ck_assert_uint_eq(lb.n, 1);
	ck_assert_uint_eq(lb.first[0], 1);
	sim_net_stats_get(net, &st);
	ck_assert_uint_eq(st.ip_fragmented, 1);
	ck_assert_uint_eq(st.dropped_ipfrag, 1);
	/* Fragmented but carried. */
	sim_net_mtu_set(net, 1500, false);
	ck_assert_int_eq(sim_net_send(net, &d), 0);
	sim_net_run(net, UINT64_MAX, 100);
	ck_assert_uint_eq(lb.n, 2);
	sim_net_stats_get(net, &st);
	ck_assert_uint_eq(st.ip_fragmented, 2);
	ck_assert_uint_eq(st.dropped_ipfrag, 1);
	/* No limit. */
	sim_net_mtu_set(net, 0, true);
	d.len = 9000;
	ck_assert_int_eq(sim_net_send(net, &d), 0);
	sim_net_run(net, UINT64_MAX, 100);
	ck_assert_uint_eq(lb.n, 3);
	sim_net_free(net);
}
END_TEST

START_TEST(test_latency_and_order)
{
	struct sim_net *net = sim_net_new(1, 10);
	struct sockaddr_storage a, b;
	struct rx_log la = { 0 }, lb = { 0 };
	static struct sim_dgram d;

	sim_addr4(&a, "192.0.2.1", 0);
	sim_addr4(&b, "198.51.100.1", 0);
	ck_assert_int_eq(sim_net_node_add(net, &a, false, on_rx, on_timer, &la), 0);
	ck_assert_int_eq(sim_net_node_add(net, &b, false, on_rx, on_timer, &lb), 1);
	for (uint8_t i = 0; i < 5; i++) {
		make(&d, "192.0.2.1", 500, "198.51.100.1", 500, i);
		ck_assert_int_eq(sim_net_send(net, &d), 0);
	}
	ck_assert_uint_eq(sim_net_run(net, UINT64_MAX, 100), 5);
	ck_assert_uint_eq(lb.n, 5);
	ck_assert_uint_eq(la.n, 0);
	for (unsigned i = 0; i < 5; i++) {
		ck_assert_uint_eq(lb.first[i], i);
		ck_assert_uint_eq(lb.at[i], 10);
	}
	sim_net_free(net);
}
END_TEST

struct fault_plan {
	uint64_t drop_index, dup_index, delay_index;
};

static void plan_fault(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	const struct fault_plan *p = ctx;

	(void)d;
	if (index == p->drop_index)
		f->drop = true;
	if (index == p->dup_index)
		f->copies = 2;
	if (index == p->delay_index)
		f->delay_ms = 100;
}

START_TEST(test_faults)
{
	struct sim_net *net = sim_net_new(1, 1);
	struct sockaddr_storage a, b;
	struct rx_log lb = { 0 };
	struct fault_plan plan = { .drop_index = 1, .dup_index = 2, .delay_index = 0 };
	static struct sim_dgram d;
	struct sim_net_stats st;

	sim_addr4(&a, "192.0.2.1", 0);
	sim_addr4(&b, "198.51.100.1", 0);
	sim_net_node_add(net, &a, false, on_rx, NULL, NULL);
	sim_net_node_add(net, &b, false, on_rx, NULL, &lb);
	sim_net_fault_set(net, plan_fault, &plan);
	for (uint8_t i = 0; i < 4; i++) {
		make(&d, "192.0.2.1", 500, "198.51.100.1", 500, i);
		sim_net_send(net, &d);
	}
	sim_net_run(net, UINT64_MAX, 100);
	/* 0 delayed to the end, 1 lost, 2 three times, 3 once. */
	ck_assert_uint_eq(lb.n, 5);
	ck_assert_uint_eq(lb.first[0], 2);
	ck_assert_uint_eq(lb.first[1], 3);
	ck_assert_uint_eq(lb.first[2], 2);
	ck_assert_uint_eq(lb.first[3], 2);
	ck_assert_uint_eq(lb.first[4], 0);
	sim_net_stats_get(net, &st);
	ck_assert_uint_eq(st.sent, 4);
	ck_assert_uint_eq(st.dropped_fault, 1);
	ck_assert_uint_eq(st.duplicated, 2);
	sim_net_free(net);
}
END_TEST

START_TEST(test_random_loss_is_reproducible)
{
	unsigned got[2];

	for (int run = 0; run < 2; run++) {
		struct sim_net *net = sim_net_new(42, 1);
		struct sockaddr_storage a, b;
		struct rx_log lb = { 0 };
		static struct sim_dgram d;

		sim_addr4(&a, "192.0.2.1", 0);
		sim_addr4(&b, "198.51.100.1", 0);
		sim_net_node_add(net, &a, false, on_rx, NULL, NULL);
		sim_net_node_add(net, &b, false, on_rx, NULL, &lb);
		sim_net_random_set(net, 300, 0, 0, 0);
		for (unsigned i = 0; i < 1000; i++) {
			make(&d, "192.0.2.1", 500, "198.51.100.1", 500, (uint8_t)i);
			sim_net_send(net, &d);
		}
		sim_net_run(net, UINT64_MAX, 2000);
		got[run] = lb.n;
		sim_net_free(net);
	}
	ck_assert_uint_eq(got[0], got[1]);
	/* 30% loss of 1000: well inside 600..800 for any sane generator. */
	ck_assert_uint_gt(got[0], 600);
	ck_assert_uint_lt(got[0], 800);
}
END_TEST

/* A trivial NAPT for the test: inside 10.0.0.2:p <-> 203.0.113.7:p+1000. */
static enum sim_verdict mb_out(void *ctx, struct sim_dgram *d, uint64_t now)
{
	(void)ctx;
	(void)now;
	sim_addr4(&d->src, "203.0.113.7", (uint16_t)(sim_addr_port(&d->src) + 1000));
	return SIM_PASS;
}

static enum sim_verdict mb_in(void *ctx, struct sim_dgram *d, uint64_t now)
{
	(void)ctx;
	(void)now;
	if (sim_addr_port(&d->dst) < 1000)
		return SIM_DROP;
	sim_addr4(&d->dst, "10.0.0.2", (uint16_t)(sim_addr_port(&d->dst) - 1000));
	return SIM_PASS;
}

START_TEST(test_mbox)
{
	struct sim_net *net = sim_net_new(1, 5);
	struct sockaddr_storage in, out;
	struct rx_log lin = { 0 }, lout = { 0 };
	struct sim_mbox mb = { .outbound = mb_out, .inbound = mb_in };
	static struct sim_dgram d;
	struct sim_net_stats st;

	sim_addr4(&in, "10.0.0.2", 0);
	sim_addr4(&out, "198.51.100.1", 0);
	sim_addr4(&mb.public_addr, "203.0.113.7", 0);
	sim_net_node_add(net, &in, true, on_rx, NULL, &lin);
	sim_net_node_add(net, &out, false, on_rx, NULL, &lout);
	sim_net_mbox_set(net, &mb);

	make(&d, "10.0.0.2", 500, "198.51.100.1", 500, 7);
	sim_net_send(net, &d);
	sim_net_run(net, UINT64_MAX, 10);
	ck_assert_uint_eq(lout.n, 1);
	ck_assert_uint_eq(lout.sport[0], 1500);
	ck_assert_mem_eq(lout.src[0], "\xcb\x00\x71\x07", 4);

	/* Reply to the mapping reaches the inside node. */
	make(&d, "198.51.100.1", 500, "203.0.113.7", 1500, 8);
	sim_net_send(net, &d);
	/* Unmapped port: dropped by the mbox. */
	make(&d, "198.51.100.1", 500, "203.0.113.7", 500, 9);
	sim_net_send(net, &d);
	/* Straight to the private address: not routable from outside. */
	make(&d, "198.51.100.1", 500, "10.0.0.2", 500, 10);
	sim_net_send(net, &d);
	sim_net_run(net, UINT64_MAX, 10);
	ck_assert_uint_eq(lin.n, 1);
	ck_assert_uint_eq(lin.first[0], 8);
	sim_net_stats_get(net, &st);
	ck_assert_uint_eq(st.dropped_mbox, 1);
	ck_assert_uint_eq(st.undeliverable, 1);
	sim_net_free(net);
}
END_TEST

START_TEST(test_timers)
{
	struct sim_net *net = sim_net_new(1, 5);
	struct sockaddr_storage a;
	struct rx_log la = { 0 };

	sim_addr4(&a, "192.0.2.1", 0);
	sim_net_node_add(net, &a, false, on_rx, on_timer, &la);
	sim_net_timer_set(net, 0, 1234);
	ck_assert_uint_eq(sim_net_run(net, 1000, 10), 0);
	ck_assert_uint_eq(sim_net_now(net), 1000);
	ck_assert_uint_eq(sim_net_run(net, 2000, 10), 1);
	ck_assert_uint_eq(la.timers, 1);
	ck_assert_uint_eq(la.timer_at, 1234);
	/* A fired timer is disarmed. */
	ck_assert_uint_eq(sim_net_run(net, 5000, 10), 0);
	sim_net_free(net);
}
END_TEST

static Suite *sim_net_suite(void)
{
	Suite *s = suite_create("sim_net");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_latency_and_order);
	tcase_add_test(tc, test_faults);
	tcase_add_test(tc, test_random_loss_is_reproducible);
	tcase_add_test(tc, test_mbox);
	tcase_add_test(tc, test_timers);
	tcase_add_test(tc, test_mtu);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sim_net_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
