// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Robustness: every message of a Main Mode + Quick Mode negotiation, in
 * turn, is replaced by a mutated copy (bit flips, truncation, garbage
 * appended, header fields rewritten). Whatever the mutation, neither engine
 * may crash or misbehave under ASan, nothing may stay half-open forever,
 * and if both ends install SAs their keys must agree. The original message
 * is lost, so a correct engine usually recovers by retransmission.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "tests/lib/engine_harness.h"

#define GW	 "198.51.100.1"
#define RW	 "203.0.113.5"
#define MESSAGES 9
#define MUTANTS	 24

struct mutation {
	uint64_t index; /* which datagram */
	uint64_t seed;
};

static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void mutate(void *ctx, uint64_t index, const struct sim_dgram *cd, struct sim_fault *f)
{
	const struct mutation *m = ctx;
	struct sim_dgram *d = (struct sim_dgram *)cd;
	uint64_t s = m->seed;
	unsigned kind;

	(void)f;
	if (index != m->index || d->len == 0)
		return;
	kind = (unsigned)(next_rand(&s) % 6);
	switch (kind) {
	case 0: /* a few bit flips anywhere */
		for (int i = 0; i < 1 + (int)(next_rand(&s) % 3); i++)
			d->buf[next_rand(&s) % d->len] ^= (uint8_t)(1u << (next_rand(&s) % 8));
		break;
	case 1: /* truncation */
		d->len = (size_t)(next_rand(&s) % d->len);
		break;
	case 2: /* garbage appended */
		for (int i = 0; i < 1 + (int)(next_rand(&s) % 64); i++)
			d->buf[d->len++] = (uint8_t)next_rand(&s);
		break;
	case 3: /* a header byte rewritten: NP, version, exchange, flags, M-ID */
		if (d->len > 27)
			d->buf[16 + next_rand(&s) % 12] = (uint8_t)next_rand(&s);
		break;
	case 4: /* a byte of the payload area rewritten (lengths, types) */
		if (d->len > 32)
			d->buf[28 + next_rand(&s) % (d->len - 28)] = (uint8_t)next_rand(&s);
		break;
	default: /* the responder cookie zeroed (looks like a new MM1) */
		if (d->len > 16)
			memset(d->buf + 8, 0, 8);
		break;
	}
}

START_TEST(test_mutated_message)
{
	struct mutation m = { (uint64_t)(_i / MUTANTS), 0x5eed0000u + (uint64_t)_i };
	struct sim_net *net = sim_net_new((uint64_t)_i, 10);
	struct ike_conn_cfg gwc, rwc;
	struct ike_engine_cfg gcfg = { .conns = &gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &rwc, .n_conns = 1 };
	struct peer gw, rw;
	struct ike_status gs, rs;

	conn_psk(&gwc, "gw-rw", GW, RW, "sesame");
	conn_psk(&rwc, "rw-gw", RW, GW, "sesame");
	gwc.p1[0].group = rwc.p1[0].group = IKE_DH_ECP_256;
	peer_init(&gw, "gw", net, GW, false, &gcfg);
	peer_init(&rw, "rw", net, RW, false, &rcfg);
	sim_net_fault_set(net, mutate, &m);
	peer_initiate(&rw, 0);
	sim_net_run(net, 200000, 1000000);
	gs = peer_status(&gw);
	rs = peer_status(&rw);
	/* Nothing is left hanging once every timer has run. */
	ck_assert_uint_eq(gs.half_open, 0);
	ck_assert_uint_eq(rs.half_open, 0);
	/* Whatever got installed agrees on both ends. */
	ck_assert_int_ge(keys_match(&rw, &gw), 0);
	ck_assert_int_ge(keys_match(&gw, &rw), 0);
	ck_assert_uint_le(gs.ipsec_sas, 1);
	ck_assert_uint_le(rs.ipsec_sas, 1);
	peer_free(&gw);
	peer_free(&rw);
	sim_net_free(net);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_mutate");
	TCase *tc = tcase_create("mutate");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_mutated_message, 0, MESSAGES * MUTANTS);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
