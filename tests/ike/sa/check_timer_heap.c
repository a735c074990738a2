// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of ike/sa/timer_heap.c on its own: order (deadline, then serial),
 * moving an entry sooner and later, removal anywhere (the top, the last,
 * the middle), slots handed back and reused, growth past the first
 * allocations, and a randomized comparison with a plain array scanned for
 * its minimum (the reference) over 200,000 operations.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ike/sa/timer_heap.h"

struct owner {
	uint32_t slot;
	uint32_t serial;
	uint64_t at; /* the reference: UINT64_MAX = no entry */
};

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Every entry's slot knows its position; the heap property holds; every
 * owner with an entry is in it once. */
static void check_consistent(const struct timer_heap *h, const struct owner *o, size_t n_own)
{
	size_t with = 0;

	for (size_t i = 0; i < h->n; i++) {
		const struct th_ent *e = &h->v[i];
		const struct owner *w = th_owner(h, e);

		ck_assert_uint_eq(h->pos[e->slot], i);
		ck_assert_ptr_nonnull(w);
		ck_assert_uint_eq(w->slot, e->slot);
		ck_assert_uint_eq(w->at, e->at);
		ck_assert_uint_eq(w->serial, e->serial);
		if (i > 0) {
			const struct th_ent *p = &h->v[(i - 1) / 4];

			ck_assert(p->at < e->at || (p->at == e->at && p->serial < e->serial));
		}
	}
	for (size_t i = 0; i < n_own; i++)
		with += o[i].slot != TH_NONE;
	ck_assert_uint_eq(with, h->n);
}

/* The reference's earliest: lowest (at, serial). */
static struct owner *ref_min(struct owner *o, size_t n)
{
	struct owner *m = NULL;

	for (size_t i = 0; i < n; i++)
		if (o[i].at != UINT64_MAX &&
		    (!m || o[i].at < m->at || (o[i].at == m->at && o[i].serial < m->serial)))
			m = &o[i];
	return m;
}

START_TEST(test_order_and_ties)
{
	struct timer_heap h = { 0 };
	struct owner o[6] = { { 0, 5, 300 }, { 0, 3, 100 }, { 0, 9, 100 },
			      { 0, 1, 200 }, { 0, 2, 100 }, { 0, 7, 50 } };
	const uint32_t want[6] = { 7, 2, 3, 9, 1, 5 };

	for (size_t i = 0; i < 6; i++)
		ck_assert_int_eq(th_set(&h, &o[i].slot, o[i].at, o[i].serial, &o[i]), 0);
	check_consistent(&h, o, 6);
	for (size_t i = 0; i < 6; i++) {
		struct owner *w = th_owner(&h, th_top(&h));

		ck_assert_uint_eq(w->serial, want[i]);
		th_del(&h, &w->slot);
		ck_assert_uint_eq(w->slot, TH_NONE);
		w->at = UINT64_MAX;
		check_consistent(&h, o, 6);
	}
	ck_assert_ptr_null(th_top(&h));
	th_free(&h);
}
END_TEST

START_TEST(test_move_and_remove)
{
	struct timer_heap h = { 0 };
	struct owner o[40];

	memset(o, 0, sizeof(o));
	for (uint32_t i = 0; i < 40; i++) {
		o[i].serial = i + 1;
		o[i].at = 1000 + 10 * i;
		ck_assert_int_eq(th_set(&h, &o[i].slot, o[i].at, o[i].serial, &o[i]), 0);
	}
	/* Sooner: to the top. Later: to the bottom. */
	o[30].at = 5;
	ck_assert_int_eq(th_set(&h, &o[30].slot, 5, o[30].serial, &o[30]), 0);
	ck_assert_ptr_eq(th_owner(&h, th_top(&h)), &o[30]);
	o[30].at = 99999;
	ck_assert_int_eq(th_set(&h, &o[30].slot, 99999, o[30].serial, &o[30]), 0);
	ck_assert_ptr_eq(th_owner(&h, th_top(&h)), &o[0]);
	check_consistent(&h, o, 40);
	/* Remove from the middle, the last position and the top. */
	th_del(&h, &o[17].slot);
	o[17].at = UINT64_MAX;
	th_del(&h, &o[0].slot);
	o[0].at = UINT64_MAX;
	{
		struct owner *last = th_owner(&h, &h.v[h.n - 1]);

		th_del(&h, &last->slot);
		last->at = UINT64_MAX;
	}
	check_consistent(&h, o, 40);
	ck_assert_uint_eq(h.n, 37);
	/* Removing what has no entry changes nothing. */
	th_del(&h, &o[17].slot);
	ck_assert_uint_eq(h.n, 37);
	/* Freed slots come back before new ones. */
	{
		uint32_t slots = h.nslots;
		struct owner extra = { 0, 100, 7 };

		ck_assert_int_eq(th_set(&h, &extra.slot, 7, 100, &extra), 0);
		ck_assert_uint_eq(h.nslots, slots);
		ck_assert_ptr_eq(th_owner(&h, th_top(&h)), &extra);
		th_del(&h, &extra.slot);
	}
	th_clear(&h);
	ck_assert_ptr_null(th_top(&h));
	th_free(&h);
}
END_TEST

/* Random sets, moves and removals against the reference, growing past
 * every initial capacity, the owners' deadlines colliding often. */
START_TEST(test_random_vs_reference)
{
	enum {
		N = 3000,
		OPS = 200000
	};
	struct timer_heap h = { 0 };
	struct owner *o = calloc(N, sizeof(*o));
	uint64_t now = 0;

	ck_assert_ptr_nonnull(o);
	rng_state = 42;
	for (uint32_t i = 0; i < N; i++) {
		o[i].serial = (uint32_t)(rng() % 1000); /* equal serials too */
		o[i].at = UINT64_MAX;
	}
	for (unsigned op = 0; op < OPS; op++) {
		unsigned what = (unsigned)(rng() % 10);
		struct owner *w = &o[rng() % N];

		if (what < 5) { /* set or move */
			w->at = now + rng() % 500;
			ck_assert_int_eq(th_set(&h, &w->slot, w->at, w->serial, w), 0);
		} else if (what < 7) { /* remove anywhere */
			th_del(&h, &w->slot);
			w->at = UINT64_MAX;
		} else { /* pop the earliest: the reference's */
			struct owner *m = ref_min(o, N);

			if (!m) {
				ck_assert_ptr_null(th_top(&h));
				continue;
			}
			ck_assert_ptr_nonnull(th_top(&h));
			ck_assert_uint_eq(th_top(&h)->at, m->at);
			ck_assert_uint_eq(th_top(&h)->serial, m->serial);
			w = th_owner(&h, th_top(&h));
			ck_assert_uint_eq(w->at, m->at);
			ck_assert_uint_eq(w->serial, m->serial);
			now = w->at;
			th_del(&h, &w->slot);
			w->at = UINT64_MAX;
		}
		if (op % 20000 == 0)
			check_consistent(&h, o, N);
	}
	check_consistent(&h, o, N);
	ck_assert_uint_ge(h.cap, 256);
	/* Drain in order. */
	for (struct owner *m; (m = ref_min(o, N));) {
		struct owner *w = th_owner(&h, th_top(&h));

		/* Equal (deadline, serial): either may come first. */
		ck_assert_uint_eq(w->at, m->at);
		ck_assert_uint_eq(w->serial, m->serial);
		th_del(&h, &w->slot);
		w->at = UINT64_MAX;
	}
	ck_assert_uint_eq(h.n, 0);
	th_free(&h);
	free(o);
}
END_TEST

/* Thousands of owners: the arrays grow; order holds throughout. */
START_TEST(test_growth)
{
	enum {
		N = 70000
	};
	struct timer_heap h = { 0 };
	struct owner *o = calloc(N, sizeof(*o));
	uint64_t last = 0;

	ck_assert_ptr_nonnull(o);
	rng_state = 7;
	for (uint32_t i = 0; i < N; i++) {
		o[i].serial = i;
		o[i].at = rng() % 100000;
		ck_assert_int_eq(th_set(&h, &o[i].slot, o[i].at, i, &o[i]), 0);
	}
	ck_assert_uint_eq(h.n, N);
	ck_assert_uint_ge(h.slot_cap, N + 1);
	check_consistent(&h, o, N);
	for (uint32_t i = 0; i < N; i++) {
		struct owner *w = th_owner(&h, th_top(&h));

		ck_assert_uint_ge(w->at, last);
		last = w->at;
		th_del(&h, &w->slot);
		w->at = UINT64_MAX;
	}
	ck_assert_ptr_null(th_top(&h));
	th_free(&h);
	free(o);
}
END_TEST

static Suite *heap_suite(void)
{
	Suite *s = suite_create("timer_heap");
	TCase *tc = tcase_create("heap");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_order_and_ties);
	tcase_add_test(tc, test_move_and_remove);
	tcase_add_test(tc, test_random_vs_reference);
	tcase_add_test(tc, test_growth);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(heap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
