// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IKEv1 state table is complete and consistent (ike/ikev1_states.c),
 * and what its rows require is enforced by the dispatcher before any
 * handler runs: the payloads of the IKE SA's authentication method
 * (HASH_I/HASH_R with a pre-shared key, SIG_I/SIG_R with signatures) and
 * the HASH(1)/(2)/(3) a protected message opens with.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ike/ikev1_states.h"
#include "ike/wire/isakmp.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/engine_pki.h"

START_TEST(test_table_check)
{
	char why[256] = "";

	ck_assert_msg(ikev1_table_check(why, sizeof(why)) == 0, "%s", why);
}
END_TEST

/* Every state has a name and a story, and rows for it can be looked up. */
START_TEST(test_state_names)
{
	for (int s = 0; s < V1_STATE_COUNT; s++) {
		const struct ikev1_state_info *si = ikev1_state_info((enum ikev1_state)s);

		ck_assert_int_eq(si->state, s);
		ck_assert_ptr_nonnull(si->name);
		ck_assert_ptr_nonnull(si->story);
		ck_assert_int_ne(strlen(si->name), 0);
		for (int t = s + 1; t < V1_STATE_COUNT; t++)
			ck_assert_str_ne(si->name, ikev1_state_name((enum ikev1_state)t));
	}
	ck_assert_str_eq(ikev1_state_name(V1_MAIN_I1), "MAIN_I1");
	ck_assert_str_eq(ikev1_state_name(V1_QUICK_R0W), "QUICK_R0W");
}
END_TEST

/* The message flow of RFC 2409 as rows: (state, input) -> next state. */
struct flow_vector {
	enum ikev1_state from;
	enum ikev1_input in;
	enum ikev1_state to;
	uint32_t must_require;
};

static const struct flow_vector flows[] = {
	{ V1_NONE, V1_IN_START_MM, V1_MAIN_I1, 0 },
	{ V1_MAIN_I1, V1_IN_MM, V1_MAIN_I2, V1_P(ISAKMP_NP_SA) },
	{ V1_MAIN_I2, V1_IN_MM, V1_MAIN_I3, V1_P(ISAKMP_NP_KE) | V1_P(ISAKMP_NP_NONCE) },
	{ V1_MAIN_I3, V1_IN_MM, V1_MAIN_I4, V1_P(ISAKMP_NP_ID) },
	{ V1_MAIN_R0, V1_IN_MM, V1_MAIN_R1, V1_P(ISAKMP_NP_SA) },
	{ V1_MAIN_R1, V1_IN_MM, V1_MAIN_R2, V1_P(ISAKMP_NP_KE) | V1_P(ISAKMP_NP_NONCE) },
	{ V1_MAIN_R2, V1_IN_MM, V1_MAIN_R3, V1_P(ISAKMP_NP_ID) },
	{ V1_NONE, V1_IN_START_AM, V1_AGGR_I1, 0 },
	{ V1_AGGR_I1, V1_IN_AM, V1_AGGR_I2,
	  V1_P(ISAKMP_NP_SA) | V1_P(ISAKMP_NP_KE) | V1_P(ISAKMP_NP_NONCE) | V1_P(ISAKMP_NP_ID) },
	{ V1_AGGR_R0, V1_IN_AM, V1_AGGR_R1,
	  V1_P(ISAKMP_NP_SA) | V1_P(ISAKMP_NP_KE) | V1_P(ISAKMP_NP_NONCE) | V1_P(ISAKMP_NP_ID) },
	{ V1_AGGR_R1, V1_IN_AM, V1_AGGR_R2, 0 },
	{ V1_NONE, V1_IN_START_QM, V1_QUICK_I0, 0 },
	{ V1_QUICK_I0, V1_IN_SPI, V1_QUICK_I1, 0 },
	{ V1_QUICK_I1, V1_IN_QM, V1_QUICK_I2,
	  V1_P(ISAKMP_NP_HASH) | V1_P(ISAKMP_NP_SA) | V1_P(ISAKMP_NP_NONCE) },
	{ V1_QUICK_R0, V1_IN_QM, V1_QUICK_R0W,
	  V1_P(ISAKMP_NP_HASH) | V1_P(ISAKMP_NP_SA) | V1_P(ISAKMP_NP_NONCE) },
	{ V1_QUICK_R0W, V1_IN_SPI, V1_QUICK_R1, 0 },
	{ V1_QUICK_R1, V1_IN_QM, V1_QUICK_R2, V1_P(ISAKMP_NP_HASH) },
	{ V1_INFO_PROTECTED, V1_IN_INFO, V1_INFO_PROTECTED, V1_P(ISAKMP_NP_HASH) },
};

START_TEST(test_flow)
{
	const struct flow_vector *v = &flows[_i];
	const struct ikev1_row *r = ikev1_row_find(v->from, v->in);

	ck_assert_msg(r != NULL, "no row %s/%s", ikev1_state_name(v->from),
		      ikev1_input_name(v->in));
	ck_assert_msg(r->next == v->to, "%s/%s goes to %s", ikev1_state_name(v->from),
		      ikev1_input_name(v->in), ikev1_state_name(r->next));
	ck_assert_msg((r->req & v->must_require) == v->must_require, "%s: payloads not required",
		      r->handler_name);
}
END_TEST

/* Messages that must not be accepted in a state have no row. */
struct absent_vector {
	enum ikev1_state st;
	enum ikev1_input in;
};

static const struct absent_vector absent[] = {
	{ V1_MAIN_I4, V1_IN_MM },  { V1_MAIN_R3, V1_IN_MM },   { V1_MAIN_I1, V1_IN_QM },
	{ V1_MAIN_R0, V1_IN_AM },  { V1_QUICK_I2, V1_IN_QM },  { V1_QUICK_R2, V1_IN_QM },
	{ V1_QUICK_I0, V1_IN_QM }, { V1_QUICK_R0W, V1_IN_QM }, { V1_AGGR_I2, V1_IN_AM },
	{ V1_INFO, V1_IN_MM },
};

START_TEST(test_absent)
{
	ck_assert_ptr_null(ikev1_row_find(absent[_i].st, absent[_i].in));
}
END_TEST

/* Phase 2 rows demand encryption, Phase 1 rows before keys demand clear text. */
START_TEST(test_encryption_flags)
{
	size_t n;
	const struct ikev1_row *rows = ikev1_rows(&n);

	for (size_t i = 0; i < n; i++) {
		if (rows[i].input == V1_IN_QM)
			ck_assert_msg(rows[i].flags & V1_F_ENCRYPTED, "%s", rows[i].handler_name);
		if (rows[i].state == V1_MAIN_R0 || rows[i].state == V1_MAIN_I1 ||
		    rows[i].state == V1_AGGR_R0)
			ck_assert_msg(rows[i].flags & V1_F_CLEAR, "%s", rows[i].handler_name);
	}
}
END_TEST

/* ---- The dispatcher enforces the rows: two engines through the simulator ---- */

#define GW "192.0.2.1" /* in gw.pem's subjectAltName */
#define RW "203.0.113.5"

struct world {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
	const char *xauth_user; /* the gw's XAUTH backend: "user:password" */
};

static void world_init(struct world *w, bool rsa, bool aggressive)
{
	memset(w, 0, sizeof(*w));
	if (rsa) {
		conn_psk(&w->gwc, "gw-rw", GW, RW, "unused");
		conn_psk(&w->rwc, "rw-gw", RW, GW, "unused");
		pki_conn_rsa(&w->gwc, "gw", NULL);
		pki_conn_rsa(&w->rwc, "leaf2", "sub-ca");
		w->rwc.local_id.type = 2;
		w->rwc.local_id.len = 16;
		memcpy(w->rwc.local_id.data, "road.example.net", 16);
	} else {
		conn_psk(&w->gwc, "gw-rw", GW, RW, "sesame");
		conn_psk(&w->rwc, "rw-gw", RW, GW, "sesame");
	}
	w->gwc.aggressive = w->rwc.aggressive = aggressive;
	w->gwc.aggr_psk_responder = aggressive && !rsa;
}

static void world_start(struct world *w, bool rsa, sim_fault_fn fault, void *ctx)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	w->net = sim_net_new(41, 5);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
	w->gw.xauth_users[0] = w->xauth_user;
	if (rsa) { /* the engines hold their own references now */
		pki_conn_drop(&w->gwc);
		pki_conn_drop(&w->rwc);
	}
	sim_net_fault_set(w->net, fault, ctx);
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, 60000, 100000);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_net_free(w->net);
}

/* Retype one payload of AM2 (clear text: HDR, SA, KE, Nr, IDir, [CERT,]
 * HASH_R | SIG_R ...): the payload before it names another type. */
struct retype {
	uint8_t from, to;
	unsigned done;
};

static void retype_am2(void *ctx, uint64_t index, const struct sim_dgram *cd, struct sim_fault *f)
{
	struct retype *r = ctx;
	struct sim_dgram *d = (struct sim_dgram *)cd;
	size_t off = ISAKMP_HDR_LEN;
	uint8_t *np = &d->buf[16];
	bool ke = false;

	(void)index;
	(void)f;
	if (d->len < ISAKMP_HDR_LEN || d->buf[18] != ISAKMP_XCHG_AGGR || (d->buf[19] & 1))
		return;
	while (*np != ISAKMP_NP_NONE && off + 4 <= d->len) {
		size_t plen = (size_t)d->buf[off + 2] << 8 | d->buf[off + 3];

		ke |= *np == ISAKMP_NP_KE;
		if (*np == r->from && ke) {
			*np = r->to;
			r->done++;
			return;
		}
		if (plen < 4)
			return;
		np = &d->buf[off];
		off += plen;
	}
}

/* The gw answers AM1 with AM2 whose authentication payload is of the other
 * method's type: the rw's dispatcher refuses it, naming the row, before
 * aggr_i1_recv_am2 runs (which would not find the payload it needs: with
 * the requirement gone from the row it reads a NULL payload). */
static void am2_refused(bool rsa, uint8_t from, uint8_t to, const char *want)
{
	struct world w;
	struct retype r = { .from = from, .to = to };

	world_init(&w, rsa, true);
	world_start(&w, rsa, retype_am2, &r);
	ck_assert_uint_ge(r.done, 1);
	ck_assert_msg(peer_log_has(&w.rw, want), "no \"%s\" in the rw's log", want);
	/* Dropped, not failed: the gw's retransmission comes in IKE fragments
	 * the hook leaves alone, and that one completes. */
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	world_free(&w);
}

/* With a pre-shared key a SIG does not stand in for HASH_R ... */
START_TEST(test_psk_needs_hash)
{
	am2_refused(false, ISAKMP_NP_HASH, ISAKMP_NP_SIG,
		    "dropped Aggressive Mode in AGGR_I1 (aggr_i1_recv_am2): payload HASH missing");
}
END_TEST

/* ... and with signatures a HASH does not stand in for SIG_R. */
START_TEST(test_rsa_needs_sig)
{
	am2_refused(true, ISAKMP_NP_SIG, ISAKMP_NP_HASH,
		    "dropped Aggressive Mode in AGGR_I1 (aggr_i1_recv_am2): payload SIG missing");
}
END_TEST

/* The same rows untouched negotiate (the hook changes nothing). */
START_TEST(test_methods_pass)
{
	for (int rsa = 0; rsa < 2; rsa++) {
		struct world w;
		struct retype r = { .from = 0xff, .to = 0xff };

		world_init(&w, rsa, true);
		world_start(&w, rsa, retype_am2, &r);
		ck_assert_uint_eq(r.done, 0);
		ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
		ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
		world_free(&w);
	}
}
END_TEST

/* Flip one bit inside the HASH(n) of the @which-th Quick Mode message
 * (0 = QM1, 1 = QM2, 2 = QM3), once. With CBC the damage stays inside the
 * HASH payload (prf SHA-256: body bytes 4..35), so the message still
 * decrypts and parses and only its hash is wrong. */
struct qm_flip {
	unsigned which, seen;
	bool done;
};

static void flip_qm(void *ctx, uint64_t index, const struct sim_dgram *cd, struct sim_fault *f)
{
	struct qm_flip *q = ctx;
	struct sim_dgram *d = (struct sim_dgram *)cd;

	(void)index;
	(void)f;
	if (q->done || d->len < ISAKMP_HDR_LEN + 48 || d->buf[18] != ISAKMP_XCHG_QUICK)
		return;
	if (q->seen++ != q->which)
		return;
	d->buf[ISAKMP_HDR_LEN + 16] ^= 0x01;
	q->done = true;
}

struct hash_vector {
	unsigned which;
	bool at_gw; /* which side receives it */
	const char *want;
};

static const struct hash_vector hashes[] = {
	{ 0, true, "dropped Quick Mode in QUICK_R0 (quick_r0_recv_qm1): HASH(1) does not verify" },
	{ 1, false, "dropped Quick Mode in QUICK_I1 (quick_i1_recv_qm2): HASH(2) does not verify" },
	{ 2, true, "dropped Quick Mode in QUICK_R1 (quick_r1_recv_qm3): HASH(3) does not verify" },
};

/* A Quick Mode message whose HASH(n) is wrong is dropped by the dispatcher
 * with its row named; the retransmission (intact) then completes. */
START_TEST(test_qm_hash)
{
	const struct hash_vector *v = &hashes[_i];
	struct qm_flip q = { .which = v->which };
	struct world w;

	world_init(&w, false, false);
	world_start(&w, false, flip_qm, &q);
	ck_assert(q.done);
	ck_assert_msg(peer_log_has(v->at_gw ? &w.gw : &w.rw, v->want), "no \"%s\"", v->want);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	world_free(&w);
}
END_TEST

/* Flip one bit inside the HASH of the first Transaction message (the gw's
 * XAUTH REQUEST), as above: the rw's dispatcher drops it, naming the row;
 * the gw's retransmission then completes XAUTH and Quick Mode. */
static void flip_cfg(void *ctx, uint64_t index, const struct sim_dgram *cd, struct sim_fault *f)
{
	bool *done = ctx;
	struct sim_dgram *d = (struct sim_dgram *)cd;

	(void)index;
	(void)f;
	if (*done || d->len < ISAKMP_HDR_LEN + 48 || d->buf[18] != ISAKMP_XCHG_TRANSACTION)
		return;
	d->buf[ISAKMP_HDR_LEN + 16] ^= 0x01;
	*done = true;
}

START_TEST(test_cfg_hash)
{
	static const char want[] =
		"dropped Transaction in XAUTH_C1 (xauth_c_recv_request): HASH(1) does not verify";
	bool done = false;
	struct world w;

	world_init(&w, false, false);
	w.gwc.xauth = IKE_CFG_SERVER;
	w.rwc.xauth = IKE_CFG_CLIENT;
	snprintf(w.rwc.xauth_user, sizeof(w.rwc.xauth_user), "alice");
	w.rwc.xauth_pass_len = 6;
	memcpy(w.rwc.xauth_pass, "sesame", 6);
	w.xauth_user = "alice:sesame";
	world_start(&w, false, flip_cfg, &done);
	ck_assert(done);
	ck_assert_msg(peer_log_has(&w.rw, want), "no \"%s\"", want);
	ck_assert_uint_eq(w.gw.n_xauth_ok, 1);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	world_free(&w);
}
END_TEST

/* The rows say it too: the table is where the rule lives. */
START_TEST(test_rows_carry_auth)
{
	static const struct {
		enum ikev1_state st;
		enum ikev1_input in;
		enum ikev1_hash hash;
		bool by_method;
	} v[] = {
		{ V1_MAIN_I3, V1_IN_MM, V1_HASH_NONE, true },
		{ V1_MAIN_R2, V1_IN_MM, V1_HASH_NONE, true },
		{ V1_AGGR_I1, V1_IN_AM, V1_HASH_NONE, true },
		{ V1_AGGR_R1, V1_IN_AM, V1_HASH_NONE, true },
		{ V1_QUICK_R0, V1_IN_QM, V1_HASH_1, false },
		{ V1_QUICK_I1, V1_IN_QM, V1_HASH_2, false },
		{ V1_QUICK_R1, V1_IN_QM, V1_HASH_3, false },
		{ V1_INFO_PROTECTED, V1_IN_INFO, V1_HASH_1, false },
		{ V1_XAUTH_S1, V1_IN_CFG_REPLY, V1_HASH_1, false },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const struct ikev1_row *r = ikev1_row_find(v[i].st, v[i].in);

		ck_assert_ptr_nonnull(r);
		ck_assert_msg(r->hash == v[i].hash, "%s: hash %d", r->handler_name, r->hash);
		if (v[i].by_method) {
			ck_assert_uint_eq(r->req_psk, V1_P(ISAKMP_NP_HASH));
			ck_assert_uint_eq(r->req_sig, V1_P(ISAKMP_NP_SIG));
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_table");
	TCase *tc = tcase_create("table");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_table_check);
	tcase_add_test(tc, test_state_names);
	tcase_add_loop_test(tc, test_flow, 0, sizeof(flows) / sizeof(flows[0]));
	tcase_add_loop_test(tc, test_absent, 0, sizeof(absent) / sizeof(absent[0]));
	tcase_add_test(tc, test_encryption_flags);
	tcase_add_test(tc, test_rows_carry_auth);
	suite_add_tcase(s, tc);
	tc = tcase_create("dispatcher");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_psk_needs_hash);
	tcase_add_test(tc, test_rsa_needs_sig);
	tcase_add_test(tc, test_methods_pass);
	tcase_add_loop_test(tc, test_qm_hash, 0, sizeof(hashes) / sizeof(hashes[0]));
	tcase_add_test(tc, test_cfg_hash);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
