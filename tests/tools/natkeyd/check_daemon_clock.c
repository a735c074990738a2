// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event loop's clock cache (tools/natkeyd/natkeyd_clock.c) against a
 * fake clock that counts its reads: one read of each clock per wakeup while
 * held, a fresh read after a refresh, and every call a read outside a hold.
 */
#include <check.h>
#include <stdlib.h>

#include "tools/natkeyd/natkeyd_clock.h"

static unsigned reads_mono, reads_wall;
static struct timespec fake_mono, fake_wall;

static int fake_gettime(clockid_t id, struct timespec *ts)
{
	if (id == CLOCK_MONOTONIC) {
		reads_mono++;
		*ts = fake_mono;
	} else {
		reads_wall++;
		*ts = fake_wall;
	}
	return 0;
}

static struct nkd_clock fresh(void)
{
	struct nkd_clock k = { .gettime = fake_gettime };

	reads_mono = reads_wall = 0;
	fake_mono = (struct timespec){ 100, 250 * 1000000L };
	fake_wall = (struct timespec){ 1700000000, 0 };
	return k;
}

START_TEST(test_unheld_reads_every_time)
{
	struct nkd_clock k = fresh();

	ck_assert_uint_eq(nkd_clock_mono_ms(&k), 100250);
	fake_mono.tv_sec = 101;
	ck_assert_uint_eq(nkd_clock_mono_ms(&k), 101250);
	ck_assert_int_eq(nkd_clock_wall(&k).tv_sec, 1700000000);
	fake_wall.tv_sec++;
	ck_assert_int_eq(nkd_clock_wall(&k).tv_sec, 1700000001);
	ck_assert_uint_eq(reads_mono, 2);
	ck_assert_uint_eq(reads_wall, 2);
}
END_TEST

START_TEST(test_held_reads_once_per_wakeup)
{
	struct nkd_clock k = fresh();

	/* One wakeup: many events, one read of each clock. */
	nkd_clock_hold(&k, true);
	for (int i = 0; i < 50; i++) {
		ck_assert_uint_eq(nkd_clock_mono_ms(&k), 100250);
		ck_assert_int_eq(nkd_clock_wall(&k).tv_sec, 1700000000);
		fake_mono.tv_sec++; /* the real clock moves on: the reading stays */
	}
	ck_assert_uint_eq(reads_mono, 1);
	ck_assert_uint_eq(reads_wall, 1);
	/* A long computation: the next events see the new time. */
	nkd_clock_refresh(&k);
	ck_assert_uint_eq(nkd_clock_mono_ms(&k), 150250);
	ck_assert_uint_eq(nkd_clock_mono_ms(&k), 150250);
	ck_assert_uint_eq(reads_mono, 2);
	/* Asleep: nothing kept; the next wakeup reads again. */
	nkd_clock_hold(&k, false);
	fake_mono.tv_sec = 200;
	ck_assert_uint_eq(nkd_clock_mono_ms(&k), 200250);
	nkd_clock_hold(&k, true);
	fake_mono.tv_sec = 300;
	ck_assert_uint_eq(nkd_clock_mono_ms(&k), 300250);
	ck_assert_uint_eq(nkd_clock_mono_ms(&k), 300250);
	ck_assert_uint_eq(reads_mono, 4);
	/* A wall clock not read in a wakeup is not read at all. */
	ck_assert_uint_eq(reads_wall, 1);
}
END_TEST

START_TEST(test_wall_from_monotonic)
{
	struct nkd_clock k = fresh();
	struct timespec w;

	fake_wall = (struct timespec){ 1700000000, 900 * 1000000L };
	/* First wakeup: a real reading of both. */
	nkd_clock_hold(&k, true);
	w = nkd_clock_wall(&k);
	ck_assert_int_eq(w.tv_sec, 1700000000);
	ck_assert_int_eq(w.tv_nsec, 900 * 1000000L);
	ck_assert_uint_eq(reads_wall, 1);
	/* Next wakeups within a second: the wall clock follows the monotonic
	 * one without a read (and carries into the next second). */
	nkd_clock_hold(&k, false);
	nkd_clock_hold(&k, true);
	fake_mono.tv_nsec += 300 * 1000000L; /* +300 ms */
	w = nkd_clock_wall(&k);
	ck_assert_int_eq(w.tv_sec, 1700000001);
	ck_assert_int_eq(w.tv_nsec, 200 * 1000000L);
	ck_assert_uint_eq(reads_wall, 1);
	ck_assert_uint_eq(reads_mono, 2);
	/* A second later: read again, so a step of the wall clock shows. */
	nkd_clock_hold(&k, false);
	nkd_clock_hold(&k, true);
	fake_mono.tv_sec += 1;
	fake_wall = (struct timespec){ 1800000000, 0 }; /* stepped */
	ck_assert_int_eq(nkd_clock_wall(&k).tv_sec, 1800000000);
	ck_assert_uint_eq(reads_wall, 2);
	/* Outside a hold: always a read. */
	nkd_clock_hold(&k, false);
	fake_wall.tv_sec = 1800000005;
	ck_assert_int_eq(nkd_clock_wall(&k).tv_sec, 1800000005);
	ck_assert_uint_eq(reads_wall, 3);
}
END_TEST

START_TEST(test_real_clock_default)
{
	struct nkd_clock k = { 0 };
	struct timespec ts;
	uint64_t a, b;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	a = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	b = nkd_clock_mono_ms(&k);
	ck_assert_uint_ge(b, a);
	ck_assert_uint_lt(b - a, 5000);
	ck_assert_int_gt(nkd_clock_wall(&k).tv_sec, 1600000000);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("daemon_clock");
	TCase *tc = tcase_create("clock");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_unheld_reads_every_time);
	tcase_add_test(tc, test_held_reads_once_per_wakeup);
	tcase_add_test(tc, test_wall_from_monotonic);
	tcase_add_test(tc, test_real_clock_default);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
