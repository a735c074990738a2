// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of ike/sa/pool.c: virtual-IP leases that stick to their owner, never
 * shared, exhaustion refused, and 10,000 connect/disconnect cycles without a
 * leak or a duplicate address.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "ike/sa/pool.h"

static struct pool_addr A(const char *s) {
	struct pool_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, a.bytes) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, a.bytes) == 1)
		a.family = AF_INET6;
	else
		ck_abort_msg("bad test address %s", s);
	return a;
}

static const char *
S(const struct pool_addr *a)
{
	static char buf[4][INET6_ADDRSTRLEN];
	static int n;
	char *b = buf[n++ % 4];

	return inet_ntop(a->family, a->bytes, b, INET6_ADDRSTRLEN);
}

static struct pool *mk(const char *first, uint32_t size)
{
	struct pool_addr f = A(first);
	struct pool *p = pool_create(&f, size);

	ck_assert_ptr_nonnull(p);
	return p;
}

static const char *take(struct pool *p, const char *owner)
{
	struct pool_addr a;

	ck_assert_int_eq(pool_acquire(p, owner, &a), 0);
	return S(&a);
}

static void give_back(struct pool *p, const char *addr)
{
	struct pool_addr a = A(addr);

	ck_assert_int_eq(pool_release(p, &a), 0);
}

START_TEST(test_create_bad)
{
	struct pool_addr f = A("10.3.0.1"), top = A("255.255.255.254"), v6 = A("ffff::");

	ck_assert_ptr_null(pool_create(&f, 0));
	ck_assert_ptr_null(pool_create(&f, POOL_SIZE_MAX + 1));
	ck_assert_ptr_null(pool_create(&top, 3)); /* would wrap past 255.255.255.255 */
	f.family = 0;
	ck_assert_ptr_null(pool_create(&f, 10));
	pool_free(pool_create(&top, 2)); /* exactly up to the top: fine */
	v6.bytes[2] = 0xff;
	pool_free(pool_create(&v6, POOL_SIZE_MAX));
}
END_TEST

START_TEST(test_order_and_sticky)
{
	struct pool *p = mk("10.3.0.1", 254);

	ck_assert_str_eq(take(p, "alice"), "10.3.0.1");
	ck_assert_str_eq(take(p, "bob"), "10.3.0.2");
	give_back(p, "10.3.0.1");
	ck_assert_uint_eq(pool_online(p), 1);
	ck_assert_uint_eq(pool_offline(p), 1);
	/* A newcomer does not take alice's remembered address ... */
	ck_assert_str_eq(take(p, "carol"), "10.3.0.3");
	/* ... and alice gets hers back. */
	ck_assert_str_eq(take(p, "alice"), "10.3.0.1");
	ck_assert_uint_eq(pool_online(p), 3);
	ck_assert_uint_eq(pool_offline(p), 0);
	pool_free(p);
}
END_TEST

START_TEST(test_same_owner_twice_not_shared)
{
	struct pool *p = mk("10.3.0.1", 10);

	/* One user on two devices at once: two tunnels, two addresses. */
	ck_assert_str_eq(take(p, "alice"), "10.3.0.1");
	ck_assert_str_eq(take(p, "alice"), "10.3.0.2");
	give_back(p, "10.3.0.2");
	ck_assert_str_eq(take(p, "alice"), "10.3.0.2");
	give_back(p, "10.3.0.1");
	give_back(p, "10.3.0.2");
	/* Both remembered; she gets one of them, then the other. */
	ck_assert_str_eq(take(p, "alice"), "10.3.0.2");
	ck_assert_str_eq(take(p, "alice"), "10.3.0.1");
	ck_assert_str_eq(take(p, "alice"), "10.3.0.3");
	pool_free(p);
}
END_TEST

START_TEST(test_exhaustion_and_reclaim)
{
	struct pool *p = mk("10.3.0.10", 3);
	struct pool_addr a;
	struct pool_lease l;

	ck_assert_str_eq(take(p, "u1"), "10.3.0.10");
	ck_assert_str_eq(take(p, "u2"), "10.3.0.11");
	ck_assert_str_eq(take(p, "u3"), "10.3.0.12");
	ck_assert_int_eq(pool_acquire(p, "u4", &a), -ENOSPC);
	ck_assert_uint_eq(pool_online(p), 3);
	give_back(p, "10.3.0.12");
	give_back(p, "10.3.0.10");
	/* The address offline longest goes to the newcomer; its former
	 * owner loses it. */
	ck_assert_str_eq(take(p, "u4"), "10.3.0.12");
	ck_assert_int_eq(pool_lease_get(p, 2, &l), 0);
	ck_assert_str_eq(l.owner, "u4");
	ck_assert(l.online);
	ck_assert_str_eq(take(p, "u3"), "10.3.0.10");
	ck_assert_int_eq(pool_acquire(p, "u1", &a), -ENOSPC);
	ck_assert_int_eq(pool_lease_get(p, 3, &l), -ERANGE);
	pool_free(p);
}
END_TEST

START_TEST(test_release_errors)
{
	struct pool *p = mk("10.3.0.1", 4);
	struct pool_addr out = A("10.3.0.5"), below = A("10.3.0.0"), v6 = A("::1");
	struct pool_addr a;

	ck_assert_str_eq(take(p, "u1"), "10.3.0.1");
	ck_assert_int_eq(pool_release(p, &out), -ENOENT);
	ck_assert_int_eq(pool_release(p, &below), -ENOENT);
	ck_assert_int_eq(pool_release(p, &v6), -ENOENT);
	a = A("10.3.0.2"); /* inside, never leased */
	ck_assert_int_eq(pool_release(p, &a), -ENOENT);
	give_back(p, "10.3.0.1");
	a = A("10.3.0.1");
	ck_assert_int_eq(pool_release(p, &a), -ENOENT); /* double release */
	ck_assert_uint_eq(pool_offline(p), 1);
	ck_assert_int_eq(pool_acquire(p, "", &a), -EINVAL);
	ck_assert_int_eq(pool_acquire(p, NULL, &a), -EINVAL);
	{
		char big[POOL_OWNER_MAX + 2];

		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		ck_assert_int_eq(pool_acquire(p, big, &a), -EINVAL);
		big[POOL_OWNER_MAX] = '\0';
		ck_assert_int_eq(pool_acquire(p, big, &a), 0);
	}
	ck_assert(pool_contains(p, &a));
	ck_assert(!pool_contains(p, &out));
	ck_assert(!pool_contains(p, &v6));
	pool_free(p);
}
END_TEST

START_TEST(test_ipv6_carry)
{
	struct pool *p = mk("2001:db8::fffe", 4);
	struct pool_addr far = A("2001:db9::1");

	ck_assert_str_eq(take(p, "a"), "2001:db8::fffe");
	ck_assert_str_eq(take(p, "b"), "2001:db8::ffff");
	ck_assert_str_eq(take(p, "c"), "2001:db8::1:0");
	give_back(p, "2001:db8::1:0");
	ck_assert(!pool_contains(p, &far));
	pool_free(p);
}
END_TEST

/* xorshift32: deterministic churn. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

#define USERS 600

/* 10,000 cycles of a random user connecting or its tunnel going, on a /24
 * pool (254 addresses) with more users than addresses (about 300 want to be
 * online at once, so the pool is often full). After every step:
 * no address online twice, counts agree with the model, a returning user
 * whose address nobody reclaimed gets it back; at the end nothing is online
 * and the pool frees cleanly (ASan/LSan builds catch a leak). */
START_TEST(test_churn_10000)
{
	struct pool *p = mk("10.3.0.1", 254);
	static uint32_t holder[254]; /* online user + 1 per slot, 0 = free */
	static int online_at[USERS]; /* slot, or -1 */
	static int last_at[USERS];   /* the user's last slot, or -1 */
	uint32_t seed = 0x5eed1234u, online = 0, refused = 0, sticky = 0, cycles;
	char name[16];
	int i;

	for (i = 0; i < USERS; i++)
		online_at[i] = last_at[i] = -1;
	for (cycles = 0; cycles < 10000; cycles++) {
		uint32_t u = rnd(&seed) % USERS;
		struct pool_addr a;
		int rc, slot;

		snprintf(name, sizeof(name), "user%u", u);
		if (online_at[u] >= 0) {
			slot = online_at[u];
			ck_assert_int_eq(holder[slot], u + 1);
			a = A("10.3.0.1");
			a.bytes[3] = (uint8_t)(1 + slot);
			ck_assert_int_eq(pool_release(p, &a), 0);
			holder[slot] = 0;
			online_at[u] = -1;
			online--;
			continue;
		}
		rc = pool_acquire(p, name, &a);
		if (online == 254) {
			ck_assert_int_eq(rc, -ENOSPC);
			refused++;
			continue;
		}
		ck_assert_int_eq(rc, 0);
		ck_assert(pool_contains(p, &a));
		slot = a.bytes[3] - 1;
		ck_assert_msg(holder[slot] == 0,
			      "cycle %u: %s given to user%u while user%u holds it", cycles, S(&a),
			      u, holder[slot] - 1);
		if (last_at[u] >= 0) {
			struct pool_lease l;

			/* Its old address was either still remembered for it
			 * (then it must get exactly that one) or reclaimed. */
			if (slot == last_at[u])
				sticky++;
			ck_assert_int_eq(pool_lease_get(p, (uint32_t)last_at[u], &l), 0);
			ck_assert_msg(slot == last_at[u] || strcmp(l.owner, name),
				      "user%u got %s but its old lease is still its own", u, S(&a));
		}
		holder[slot] = u + 1;
		online_at[u] = last_at[u] = slot;
		online++;
		ck_assert_uint_eq(pool_online(p), online);
		ck_assert_uint_le(pool_online(p) + pool_offline(p), 254);
	}
	for (i = 0; i < USERS; i++)
		if (online_at[i] >= 0) {
			struct pool_addr a = A("10.3.0.1");

			a.bytes[3] = (uint8_t)(1 + online_at[i]);
			ck_assert_int_eq(pool_release(p, &a), 0);
		}
	ck_assert_uint_eq(pool_online(p), 0);
	ck_assert_uint_eq(pool_offline(p), 254);
	/* The churn exercised every path. */
	ck_assert_uint_gt(refused, 0);
	ck_assert_uint_gt(sticky, 0);
	printf("pool churn: 10000 cycles, %u sticky reconnects, %u refused when full\n", sticky,
	       refused);
	pool_free(p);
}
END_TEST

/* A full /16: fill, release all, refill with new owners; each operation
 * must be O(1), so 3 x 65,536 operations take well under a second. */
START_TEST(test_full_16_speed)
{
	struct pool *p = mk("10.64.0.0", POOL_SIZE_MAX);
	struct timespec t0, t1;
	struct pool_addr a;
	char name[24];
	uint32_t i, bad = 0;
	double ms;

	/* No ck_assert inside the timed loops: check marks every assertion
	 * point through a pipe, which would dominate the time measured. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < POOL_SIZE_MAX; i++) {
		snprintf(name, sizeof(name), "u%u", i);
		bad += pool_acquire(p, name, &a) != 0;
	}
	bad += pool_acquire(p, "late", &a) != -ENOSPC;
	for (i = 0; i < POOL_SIZE_MAX; i++) {
		a.family = AF_INET;
		a.bytes[0] = 10;
		a.bytes[1] = (uint8_t)(64 + (i >> 16));
		a.bytes[2] = (uint8_t)(i >> 8);
		a.bytes[3] = (uint8_t)i;
		bad += pool_release(p, &a) != 0;
	}
	for (i = 0; i < POOL_SIZE_MAX; i++) {
		snprintf(name, sizeof(name), "v%u", i);
		bad += pool_acquire(p, name, &a) != 0;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	printf("pool /16: 196,608 operations in %.1f ms\n", ms);
	ck_assert_uint_eq(bad, 0);
	ck_assert_double_lt(ms, 1000.0);
	ck_assert_uint_eq(pool_online(p), POOL_SIZE_MAX);
	ck_assert_uint_eq(pool_offline(p), 0);
	pool_free(p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pool");
	TCase *tc = tcase_create("pool");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_create_bad);
	tcase_add_test(tc, test_order_and_sticky);
	tcase_add_test(tc, test_same_owner_twice_not_shared);
	tcase_add_test(tc, test_exhaustion_and_reclaim);
	tcase_add_test(tc, test_release_errors);
	tcase_add_test(tc, test_ipv6_carry);
	tcase_add_test(tc, test_churn_10000);
	tcase_add_test(tc, test_full_16_speed);
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
