// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The engine draws every random byte from ike_engine_cfg.random, so a
 * simulation replays exactly from one seed: two runs with one seed send the
 * same datagrams byte for byte and install the same keys; another seed
 * changes them (so the comparison can fail).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "tests/lib/engine_harness.h"

#define GW "198.51.100.1"
#define RW "203.0.113.5"

/* splitmix64: a test-only deterministic byte source. */
struct seeded {
	uint64_t state;
	unsigned calls;
};

static int seeded_random(void *arg, uint8_t *buf, size_t len)
{
	struct seeded *s = arg;

	s->calls++;
	for (size_t i = 0; i < len; i++) {
		uint64_t z = (s->state += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		buf[i] = (uint8_t)(z ^ (z >> 31));
	}
	return 0;
}

/* Every datagram the network carried, concatenated with its length. */
struct transcript {
	uint8_t *buf;
	size_t len, cap;
	unsigned n;
};

static void record(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	struct transcript *t = ctx;

	(void)index;
	(void)f;
	if (t->len + d->len + sizeof(d->len) > t->cap) {
		t->cap = (t->len + d->len + sizeof(d->len)) * 2;
		t->buf = realloc(t->buf, t->cap);
		ck_assert_ptr_nonnull(t->buf);
	}
	memcpy(t->buf + t->len, &d->len, sizeof(d->len));
	memcpy(t->buf + t->len + sizeof(d->len), d->buf, d->len);
	t->len += d->len + sizeof(d->len);
	t->n++;
}

struct run {
	struct transcript t;
	struct xk_sa sa[PEER_SA_MAX];
	unsigned n_sa;
	unsigned calls;
};

/* Main Mode PSK + Quick Mode with PFS in @group, then a DPD exchange and an
 * Informational Delete: cookies, nonces, DH values, message IDs and DPD
 * sequence numbers all come from the seed. */
static void negotiate(uint64_t seed, uint16_t group, struct run *r)
{
	struct seeded gs = { seed, 0 }, rs = { seed ^ 0x5555, 0 };
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
	struct sim_net *net = sim_net_new(7, 5);

	conn_psk(&gwc, "gw-rw", GW, RW, "seeded secret");
	conn_psk(&rwc, "rw-gw", RW, GW, "seeded secret");
	gwc.p1[0].group = rwc.p1[0].group = group;
	gwc.pfs_group = rwc.pfs_group = group;
	rwc.dpd_delay_s = gwc.dpd_delay_s = 10;
	rwc.dpd_timeout_s = gwc.dpd_timeout_s = 60;

	struct ike_engine_cfg gcfg = {
		.conns = &gwc, .n_conns = 1, .random = seeded_random, .random_arg = &gs
	};
	struct ike_engine_cfg rcfg = {
		.conns = &rwc, .n_conns = 1, .random = seeded_random, .random_arg = &rs
	};

	memset(r, 0, sizeof(*r));
	sim_net_fault_set(net, record, &r->t);
	peer_init(&gw, "gw", net, GW, false, &gcfg);
	peer_init(&rw, "rw", net, RW, false, &rcfg);
	peer_initiate(&rw, 0);
	sim_net_run(net, 60000, 100000);
	ck_assert_int_eq(keys_match(&gw, &rw), 2);
	memcpy(r->sa, rw.sa, sizeof(r->sa));
	r->n_sa = rw.n_sa;
	peer_event(&rw, &(struct ike_event){ .type = IKE_EV_TERMINATE, .u.conn = 0 });
	sim_net_run(net, 70000, 100000);
	r->calls = gs.calls + rs.calls;
	peer_free(&gw);
	peer_free(&rw);
	sim_net_free(net);
}

static bool same_keys(const struct run *a, const struct run *b)
{
	if (a->n_sa != b->n_sa)
		return false;
	for (unsigned i = 0; i < a->n_sa; i++)
		if (a->sa[i].spi != b->sa[i].spi ||
		    memcmp(a->sa[i].enc_key, b->sa[i].enc_key, a->sa[i].enc_key_len) != 0 ||
		    memcmp(a->sa[i].auth_key, b->sa[i].auth_key, a->sa[i].auth_key_len) != 0)
			return false;
	return true;
}

static const uint16_t groups[] = { IKE_DH_MODP_2048, IKE_DH_ECP_256, IKE_DH_ECP_384 };

START_TEST(test_one_seed_replays)
{
	struct run *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));

	negotiate(42, groups[_i], a);
	negotiate(42, groups[_i], b);
	/* Main Mode 6 + Quick Mode 3 + Delete(s): more than ten datagrams. */
	ck_assert_uint_ge(a->t.n, 10);
	ck_assert_uint_gt(a->calls, 0);
	ck_assert_uint_eq(a->t.n, b->t.n);
	ck_assert_uint_eq(a->t.len, b->t.len);
	ck_assert_mem_eq(a->t.buf, b->t.buf, a->t.len);
	ck_assert(same_keys(a, b));
	free(a->t.buf);
	free(b->t.buf);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_other_seed_differs)
{
	struct run *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));

	negotiate(42, groups[_i], a);
	negotiate(43, groups[_i], b);
	ck_assert(a->t.len != b->t.len || memcmp(a->t.buf, b->t.buf, a->t.len) != 0);
	/* The first message already differs (initiator cookie). */
	ck_assert(memcmp(a->t.buf + sizeof(size_t), b->t.buf + sizeof(size_t), 8) != 0);
	ck_assert(!same_keys(a, b));
	free(a->t.buf);
	free(b->t.buf);
	free(a);
	free(b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_seed");
	TCase *tc = tcase_create("seed");
	SRunner *sr;
	int failed;
	int n = (int)(sizeof(groups) / sizeof(groups[0]));

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_one_seed_replays, 0, n);
	tcase_add_loop_test(tc, test_other_seed_differs, 0, n);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
