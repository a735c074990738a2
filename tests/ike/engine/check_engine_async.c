// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Crypto off the event loop (ike/engine_crypto.c, ike_engine_cfg.
 * crypto_async): DH and RSA work leaves the engine as IKE_ACT_CRYPTO jobs
 * and comes back as IKE_EV_CRYPTO_DONE events. The engine stays
 * deterministic: with one seed an asynchronous run carries the same
 * datagrams byte for byte and installs the same keys as a synchronous one,
 * whether the jobs come back at once, late, or out of order; a job whose SA
 * died is discarded; a retransmission never starts a second job; over the
 * cap new half-open work waits for the peer's retransmission.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/engine_pki.h"

#define GW "192.0.2.1" /* in gw.pem's subjectAltName */
#define RW "203.0.113.5"

static int seeded_random(void *arg, uint8_t *buf, size_t len)
{
	uint64_t *s = arg;

	for (size_t i = 0; i < len; i++) {
		uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		buf[i] = (uint8_t)(z ^ (z >> 31));
	}
	return 0;
}

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

static X509_STORE *load_ca(const char *name)
{
	X509_STORE *st = X509_STORE_new();
	X509 *ca = load_cert(name);

	X509_STORE_add_cert(st, ca);
	X509_free(ca);
	return st;
}

static void conn_rsa(struct ike_conn_cfg *c, const char *name, const char *local,
		     const char *remote, const char *cert, const char *inter)
{
	conn_psk(c, name, local, remote, "unused");
	c->psk_len = 0;
	c->auth = IKE_AUTH_RSA_SIG;
	c->cert = load_cert(cert);
	c->key = load_key(cert);
	c->cert_chain[0] = inter ? load_cert(inter) : NULL;
	c->ca = load_ca("ca");
}

static void conn_drop(struct ike_conn_cfg *c)
{
	EVP_PKEY_free(c->key);
	X509_free(c->cert);
	X509_free(c->cert_chain[0]);
	X509_STORE_free(c->ca);
}

enum kind {
	MM_PSK,
	AM_PSK,
	MM_RSA,
	AM_RSA,
	MM_PSK_PFS_ECP,
	MM_RSA_FORCE, /* forceencaps: on port 4500 from MM5 / AM3 */
	AM_RSA_FORCE,
};

static const char *const kind_name[] = { "MM PSK",     "AM PSK",      "MM RSA",	    "AM RSA",
					 "MM PSK PFS", "MM RSA 4500", "AM RSA 4500" };

struct run {
	struct transcript t;
	struct xk_sa sa[PEER_SA_MAX];
	unsigned n_sa, jobs_gw, jobs_rw;
	bool up;
};

/*
 * One negotiation of @k between two engines from one seed; @async: jobs go
 * out; @late: the gateway holds its jobs and hands them back only after the
 * network ran @late ms (the road warrior's retransmissions come meanwhile).
 */
static void negotiate(enum kind k, bool async, uint64_t late, struct run *r)
{
	uint64_t gs = 42, rs = 42 ^ 0x5555;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
	struct sim_net *net = sim_net_new(7, 5);
	bool rsa = k == MM_RSA || k == AM_RSA || k == MM_RSA_FORCE || k == AM_RSA_FORCE;

	if (rsa) {
		conn_rsa(&gwc, "gw-rw", GW, RW, "gw", NULL);
		conn_rsa(&rwc, "rw-gw", RW, GW, "leaf2", "sub-ca");
		rwc.local_id.type = 2;
		rwc.local_id.len = 16;
		memcpy(rwc.local_id.data, "road.example.net", 16);
	} else {
		conn_psk(&gwc, "gw-rw", GW, RW, "seeded secret");
		conn_psk(&rwc, "rw-gw", RW, GW, "seeded secret");
	}
	/* The initiator moves to port 4500 between its two jobs of MM4
	 * (secret, then signature): the replay is the message that made it
	 * move, not one for port 500 after the move. */
	if (k == MM_RSA_FORCE || k == AM_RSA_FORCE)
		gwc.natt_force = rwc.natt_force = true;
	if (k == AM_PSK || k == AM_RSA || k == AM_RSA_FORCE)
		gwc.aggressive = rwc.aggressive = gwc.aggr_psk_responder = true;
	if (k == MM_PSK_PFS_ECP)
		gwc.pfs_group = rwc.pfs_group = IKE_DH_ECP_256;

	struct ike_engine_cfg gcfg = { .conns = &gwc,
				       .n_conns = 1,
				       .random = seeded_random,
				       .random_arg = &gs,
				       .crypto_async = async };
	struct ike_engine_cfg rcfg = { .conns = &rwc,
				       .n_conns = 1,
				       .random = seeded_random,
				       .random_arg = &rs,
				       .crypto_async = async };

	memset(r, 0, sizeof(*r));
	sim_net_fault_set(net, record, &r->t);
	peer_init(&gw, "gw", net, GW, false, &gcfg);
	peer_init(&rw, "rw", net, RW, false, &rcfg);
	if (rsa) {
		conn_drop(&gwc);
		conn_drop(&rwc);
	}
	gw.crypto_seed = 3;
	rw.crypto_seed = 5;
	gw.crypto_hold = late != 0;
	peer_initiate(&rw, 0);
	if (late) {
		/* Each of the gateway's jobs waits @late ms. */
		for (int i = 0; i < 40 && (gw.n_jobs || peer_status(&gw).ipsec_sas == 0); i++) {
			sim_net_run(net, sim_net_now(net) + late, 100000);
			ck_assert_uint_le(gw.n_jobs, 1); /* one job per message, ever */
			peer_crypto_run(&gw, (uint64_t)i, 0);
		}
	}
	sim_net_run(net, sim_net_now(net) + 30000, 100000);
	r->up = peer_status(&gw).ipsec_sas == 1 && peer_status(&rw).ipsec_sas == 1 &&
		keys_match(&gw, &rw) == 2;
	memcpy(r->sa, rw.sa, sizeof(r->sa));
	r->n_sa = rw.n_sa;
	r->jobs_gw = gw.jobs_made;
	r->jobs_rw = rw.jobs_made;
	ck_assert_uint_eq(gw.dropped + rw.dropped, 0);
	peer_free(&gw);
	peer_free(&rw);
	sim_net_free(net);
}

static bool same_keys(const struct run *a, const struct run *b)
{
	if (a->n_sa != b->n_sa || a->n_sa == 0)
		return false;
	for (unsigned i = 0; i < a->n_sa; i++)
		if (a->sa[i].spi != b->sa[i].spi || a->sa[i].enc_key_len != b->sa[i].enc_key_len ||
		    memcmp(a->sa[i].enc_key, b->sa[i].enc_key, a->sa[i].enc_key_len) != 0 ||
		    memcmp(a->sa[i].auth_key, b->sa[i].auth_key, a->sa[i].auth_key_len) != 0)
			return false;
	return true;
}

/* Jobs answered at once: the same datagrams, byte for byte, and keys. */
START_TEST(test_async_same_as_sync)
{
	struct run *s = calloc(1, sizeof(*s)), *a = calloc(1, sizeof(*a));
	bool rsa = _i == MM_RSA || _i == AM_RSA || _i == MM_RSA_FORCE || _i == AM_RSA_FORCE;
	bool am = _i == AM_PSK || _i == AM_RSA || _i == AM_RSA_FORCE;

	negotiate((enum kind)_i, false, 0, s);
	negotiate((enum kind)_i, true, 0, a);
	ck_assert_msg(s->up, "%s: sync run failed", kind_name[_i]);
	ck_assert_msg(a->up, "%s: async run failed", kind_name[_i]);
	ck_assert_uint_eq(s->jobs_gw + s->jobs_rw, 0);
	/* Responder: key pair and secret in one job; initiator: key pair
	 * (Aggressive Mode: made with AM1, an internal event, in the call),
	 * secret; RSA: a signature and a verification on each side. */
	ck_assert_uint_eq(a->jobs_gw, 1 + 2 * rsa);
	ck_assert_uint_eq(a->jobs_rw, 1 + !am + 2 * rsa);
	ck_assert_uint_eq(s->t.n, a->t.n);
	ck_assert_uint_eq(s->t.len, a->t.len);
	ck_assert_mem_eq(s->t.buf, a->t.buf, s->t.len);
	ck_assert(same_keys(s, a));
	free(s->t.buf);
	free(a->t.buf);
	free(s);
	free(a);
}
END_TEST

/* The gateway's jobs come back 700 ms late (after the road warrior's first
 * retransmission): one job per message still, the same keys. */
START_TEST(test_async_late)
{
	struct run *s = calloc(1, sizeof(*s)), *a = calloc(1, sizeof(*a));

	negotiate((enum kind)_i, false, 0, s);
	negotiate((enum kind)_i, true, 700, a);
	ck_assert_msg(a->up, "%s: late run failed", kind_name[_i]);
	ck_assert(same_keys(s, a));
	free(s->t.buf);
	free(a->t.buf);
	free(s);
	free(a);
}
END_TEST

#define CROWD 12

static void crowd_addr(unsigned i, char *buf, size_t len)
{
	snprintf(buf, len, "203.0.113.%u", 10 + i);
}

struct crowd {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rc[CROWD];
	struct peer gw, rws;
	uint64_t gs, rs;
	struct transcript t;
};

static void crowd_init(struct crowd *c, uint32_t max_jobs)
{
	char addr[32];

	memset(c, 0, sizeof(*c));
	c->gs = 7;
	c->rs = 11;
	c->net = sim_net_new(9, 5);
	sim_net_fault_set(c->net, record, &c->t);
	conn_psk(&c->gwc, "gw-any", GW, NULL, "group secret");
	c->gwc.p1[0].group = IKE_DH_ECP_256;
	for (unsigned i = 0; i < CROWD; i++) {
		crowd_addr(i, addr, sizeof(addr));
		conn_psk(&c->rc[i], "rw", addr, GW, "group secret");
		c->rc[i].p1[0].group = IKE_DH_ECP_256;
	}
	struct ike_engine_cfg gcfg = { .conns = &c->gwc,
				       .n_conns = 1,
				       .random = seeded_random,
				       .random_arg = &c->gs,
				       .crypto_async = true,
				       .crypto_max_jobs = max_jobs };
	struct ike_engine_cfg rcfg = {
		.conns = c->rc, .n_conns = CROWD, .random = seeded_random, .random_arg = &c->rs
	};
	peer_init(&c->gw, "gw", c->net, GW, false, &gcfg);
	crowd_addr(0, addr, sizeof(addr));
	peer_init(&c->rws, "rws", c->net, addr, false, &rcfg);
	for (unsigned i = 1; i < CROWD; i++) {
		crowd_addr(i, addr, sizeof(addr));
		ck_assert_int_ge(peer_alias(&c->rws, addr, false), 0);
	}
	c->gw.crypto_hold = true;
}

static void crowd_free(struct crowd *c)
{
	peer_free(&c->gw);
	peer_free(&c->rws);
	sim_net_free(c->net);
	free(c->t.buf);
}

/* Twelve road warriors at once; the gateway's jobs pile up and come back
 * in an order drawn from @seed, a few per step. */
static unsigned crowd_run(struct crowd *c, uint64_t seed, unsigned *peak)
{
	for (unsigned i = 0; i < CROWD; i++)
		peer_initiate(&c->rws, i);
	*peak = 0;
	for (unsigned step = 0; step < 400 && peer_status(&c->gw).ipsec_sas < CROWD; step++) {
		sim_net_run(c->net, sim_net_now(c->net) + 20, 1000000);
		if (c->gw.n_jobs > *peak)
			*peak = c->gw.n_jobs;
		peer_crypto_run(&c->gw, seed + step, 1 + (unsigned)(seed + step) % 3);
	}
	peer_crypto_run(&c->gw, seed, 0);
	sim_net_run(c->net, sim_net_now(c->net) + 5000, 1000000);
	return peer_status(&c->gw).ipsec_sas;
}

/* Out of order: every tunnel comes up with matching keys, and one seed
 * replays the same run byte for byte; another seed reorders it. */
START_TEST(test_async_out_of_order)
{
	struct crowd *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b)),
		     *c = calloc(1, sizeof(*c));
	unsigned peak;

	crowd_init(a, 0);
	ck_assert_uint_eq(crowd_run(a, 1, &peak), CROWD);
	ck_assert_uint_ge(peak, 4); /* jobs really were out together */
	ck_assert_int_eq(keys_match(&a->gw, &a->rws), 2 * CROWD);
	ck_assert_uint_eq(a->gw.reasons[IKE_R_AUTH_FAILED], 0);
	crowd_init(b, 0);
	ck_assert_uint_eq(crowd_run(b, 1, &peak), CROWD);
	ck_assert_uint_eq(a->t.len, b->t.len);
	ck_assert_mem_eq(a->t.buf, b->t.buf, a->t.len);
	crowd_init(c, 0);
	ck_assert_uint_eq(crowd_run(c, 2, &peak), CROWD);
	ck_assert_int_eq(keys_match(&c->gw, &c->rws), 2 * CROWD);
	ck_assert(c->t.len != a->t.len || memcmp(a->t.buf, c->t.buf, a->t.len) != 0);
	crowd_free(a);
	crowd_free(b);
	crowd_free(c);
	free(a);
	free(b);
	free(c);
}
END_TEST

/* Over the cap (8 jobs, 6 for half-open work) new half-open work is
 * dropped, not failed: the road warriors retransmit and all come up. */
START_TEST(test_async_cap)
{
	struct crowd *a = calloc(1, sizeof(*a));
	unsigned peak;

	crowd_init(a, 8);
	ck_assert_uint_eq(crowd_run(a, 5, &peak), CROWD);
	ck_assert_uint_le(peak, 6);
	ck_assert_uint_ge(peak, 6);
	ck_assert(peer_log_has(&a->gw, "too many crypto jobs out"));
	ck_assert_int_eq(keys_match(&a->gw, &a->rws), 2 * CROWD);
	crowd_free(a);
	free(a);
}
END_TEST

/* The gateway's half-open SA times out while its job is out: the job comes
 * back to nobody and is discarded; nothing else happens. */
START_TEST(test_async_sa_gone)
{
	struct crowd *a = calloc(1, sizeof(*a));
	struct ike_crypto_job *j;
	struct ike_event ev = { .type = IKE_EV_CRYPTO_DONE };
	unsigned sent;

	crowd_init(a, 0);
	peer_initiate(&a->rws, 0);
	sim_net_run(a->net, 200, 100000); /* MM1, MM2, MM3: the job is out */
	ck_assert_uint_eq(a->gw.n_jobs, 1);
	j = peer_crypto_take(&a->gw, 0);
	ike_crypto_job_run(j);
	ck_assert_uint_eq(peer_status(&a->gw).half_open, 1);
	/* The road warrior gives up meanwhile; so does the gateway's SA. */
	sim_net_run(a->net, 120000, 100000);
	ck_assert_uint_eq(peer_status(&a->gw).ike_sas, 0);
	sent = a->gw.sent;
	ev.u.crypto = j;
	peer_event(&a->gw, &ev);
	ck_assert(peer_log_has(&a->gw, "discarded: its SA is gone"));
	ck_assert_uint_eq(peer_status(&a->gw).ike_sas, 0);
	ck_assert_uint_eq(a->gw.sent, sent);
	ck_assert_uint_eq(a->gw.n_jobs, 0);
	crowd_free(a);
	free(a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("engine_async");
	TCase *tc = tcase_create("async");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_async_same_as_sync, MM_PSK, AM_RSA_FORCE + 1);
	tcase_add_loop_test(tc, test_async_late, MM_PSK, AM_RSA_FORCE + 1);
	tcase_add_test(tc, test_async_out_of_order);
	tcase_add_test(tc, test_async_cap);
	tcase_add_test(tc, test_async_sa_gone);
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
