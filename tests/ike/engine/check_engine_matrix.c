// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The combination matrix: two engines negotiate through the simulator for
 *
 *   mode {Main, Aggressive} x auth {PSK, RSA signatures} x
 *   DH group {14, 15, 16, 19, 20, 21, legacy 2, 5} x PFS {off, on (same
 *   group)} x {tunnel, transport}
 *
 * as a complete product (2 x 2 x 8 x 2 x 2 = 128 cases), and in each case
 * one Phase 1 cipher/hash out of {aes128-sha1, aes192-sha256,
 * aes256-sha384, aes256-sha512, legacy 3des-md5} and one Phase 2 ESP suite
 * out of {aes128-sha1-96, aes256-sha256-128, aes192-sha384-192,
 * aes128-sha512-256, aes-gcm16-128, aes-gcm16-256, legacy 3des-sha1}.
 *
 * The two algorithm axes are not crossed in full with the rest (that would
 * be 35 times more cases): they follow a covering design, computed by
 * matrix_design() below, in which every value of every one of the seven
 * axes meets every value of every other axis in at least one case (all
 * pairs). test_matrix_design asserts that property, so a change of the
 * design cannot silently drop a pair.
 *
 * Each case: both engines reach an established Phase 1 with the configured
 * suite (their log lines) and one installed IPsec SA pair; every SA one side
 * installs has a twin on the other (same SPI, algorithms, keys, mode,
 * opposite direction: our outbound = the peer's inbound), and the SAs carry
 * the configured algorithms, key lengths and mode. Legacy values (groups 2
 * and 5, 3DES, MD5) are used with the legacy opt-in on both sides, and
 * test_legacy_needs_optin shows that without it they are refused.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "ike/crypto/crypto.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/engine_pki.h"

#define GW "192.0.2.1" /* in gw.pem's subjectAltName */
#define RW "203.0.113.5"

/* ---- the axes ---- */

static const uint16_t groups[] = { IKE_DH_MODP_2048, IKE_DH_MODP_3072, IKE_DH_MODP_4096,
				   IKE_DH_ECP_256,   IKE_DH_ECP_384,   IKE_DH_ECP_521,
				   IKE_DH_MODP_1024, IKE_DH_MODP_1536 };
#define N_GROUPS (sizeof(groups) / sizeof(groups[0]))

struct p1_suite {
	const char *name;
	struct ike_p1_proposal p; /* group filled per case */
	bool legacy;
};

static const struct p1_suite p1s[] = {
	{ "aes128-sha1", { IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA1, 0 }, false },
	{ "aes192-sha256", { IKE_CIPHER_AES_CBC, 192, IKE_HASH_SHA2_256, 0 }, false },
	{ "aes256-sha384", { IKE_CIPHER_AES_CBC, 256, IKE_HASH_SHA2_384, 0 }, false },
	{ "aes256-sha512", { IKE_CIPHER_AES_CBC, 256, IKE_HASH_SHA2_512, 0 }, false },
	{ "3des-md5", { IKE_CIPHER_3DES_CBC, 0, IKE_HASH_MD5, 0 }, true },
};
#define N_P1 (sizeof(p1s) / sizeof(p1s[0]))

struct p2_suite {
	const char *name;
	struct ike_p2_proposal p;
	size_t enc_key_len; /* what the kernel SA must carry (GCM: + 4 salt) */
	size_t auth_key_len;
	bool legacy;
};

static const struct p2_suite p2s[] = {
	{ "aes128-sha1-96", { XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 }, 16, 20, false },
	{ "aes256-sha256-128", { XK_ENC_AES_CBC, 256, XK_AUTH_HMAC_SHA256_128 }, 32, 32, false },
	{ "aes192-sha384-192", { XK_ENC_AES_CBC, 192, XK_AUTH_HMAC_SHA384_192 }, 24, 48, false },
	{ "aes128-sha512-256", { XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA512_256 }, 16, 64, false },
	{ "aes-gcm16-128", { XK_ENC_AES_GCM_16, 128, XK_AUTH_NONE }, 20, 0, false },
	{ "aes-gcm16-256", { XK_ENC_AES_GCM_16, 256, XK_AUTH_NONE }, 36, 0, false },
	{ "3des-sha1", { XK_ENC_3DES_CBC, 0, XK_AUTH_HMAC_SHA1_96 }, 24, 20, true },
};
#define N_P2 (sizeof(p2s) / sizeof(p2s[0]))

/* Axes in case order: 0 mode, 1 auth, 2 group, 3 pfs, 4 tunnel, 5 p1, 6 p2. */
#define N_AXES	7
#define N_CASES (2 * 2 * N_GROUPS * 2 * 2)
static const unsigned axis_size[N_AXES] = { 2, 2, N_GROUPS, 2, 2, N_P1, N_P2 };

static unsigned design[N_CASES][N_AXES];

/* pair_seen[a][b][va][vb]: values va of axis a and vb of axis b met. */
static bool pair_seen[N_AXES][N_AXES][8][8];

static unsigned row_gain(const unsigned *row)
{
	unsigned g = 0;

	for (unsigned a = 0; a < N_AXES; a++)
		for (unsigned b = a + 1; b < N_AXES; b++)
			g += !pair_seen[a][b][row[a]][row[b]];
	return g;
}

static void row_mark(const unsigned *row)
{
	for (unsigned a = 0; a < N_AXES; a++)
		for (unsigned b = a + 1; b < N_AXES; b++)
			pair_seen[a][b][row[a]][row[b]] = true;
}

/*
 * The complete product of the first five axes, in order; for each case the
 * (Phase 1, Phase 2) pair that covers the most pairs not yet covered (first
 * one on a tie), a deterministic greedy covering design.
 */
static void matrix_design(void)
{
	memset(pair_seen, 0, sizeof(pair_seen));
	for (unsigned i = 0; i < N_CASES; i++) {
		unsigned *row = design[i], best = 0, best_g = 0, r = i;

		row[4] = r % 2, r /= 2;
		row[3] = r % 2, r /= 2;
		row[2] = r % N_GROUPS, r /= N_GROUPS;
		row[1] = r % 2, r /= 2;
		row[0] = r;
		for (unsigned k = 0; k < N_P1 * N_P2; k++) {
			unsigned g;

			row[5] = k / N_P2;
			row[6] = k % N_P2;
			g = row_gain(row);
			if (g > best_g) {
				best_g = g;
				best = k;
			}
		}
		row[5] = best / N_P2;
		row[6] = best % N_P2;
		row_mark(row);
	}
}

/* ---- the test PKI: tests/lib/engine_pki.h ---- */

/* ---- one case ---- */

struct world {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
};

static void conn_case(struct ike_conn_cfg *c, const unsigned *row, bool gw)
{
	const struct p1_suite *s1 = &p1s[row[5]];
	const struct p2_suite *s2 = &p2s[row[6]];
	uint16_t group = groups[row[2]];

	conn_psk(c, gw ? "gw-rw" : "rw-gw", gw ? GW : RW, gw ? RW : GW, "matrix-secret");
	c->aggressive = c->aggr_psk_responder = row[0] == 1;
	if (row[1] == 1) {
		pki_conn_rsa(c, gw ? "gw" : "leaf2", gw ? NULL : "sub-ca");
		if (!gw) {
			c->local_id.type = 2; /* FQDN, in leaf2.pem */
			c->local_id.len = 16;
			memcpy(c->local_id.data, "road.example.net", 16);
		}
	}
	c->p1[0] = s1->p;
	c->p1[0].group = group;
	c->p2[0] = s2->p;
	c->pfs_group = row[3] ? group : 0;
	c->mode = row[4] ? XK_MODE_TRANSPORT : XK_MODE_TUNNEL;
	c->allow_legacy =
		s1->legacy || s2->legacy || group == IKE_DH_MODP_1024 || group == IKE_DH_MODP_1536;
}

static void world_run(struct world *w)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	w->net = sim_net_new(41, 5);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
	if (w->gwc.auth == IKE_AUTH_RSA_SIG) {
		/* The engines hold their own references now. */
		pki_conn_drop(&w->gwc);
		pki_conn_drop(&w->rwc);
	}
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, 30000, 100000);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_net_free(w->net);
}

static void assert_side(const struct peer *p, const unsigned *row, const char *what)
{
	const struct p1_suite *s1 = &p1s[row[5]];
	const struct p2_suite *s2 = &p2s[row[6]];
	enum xk_mode mode = row[4] ? XK_MODE_TRANSPORT : XK_MODE_TUNNEL;
	struct ike_status st = peer_status(p);
	char suite[96];

	ck_assert_msg(st.ike_established == 1 && st.ipsec_sas == 1,
		      "%s %s: %u IKE SAs established, %u IPsec SAs", what, p->name,
		      st.ike_established, st.ipsec_sas);
	ck_assert_uint_eq(p->dropped, 0);
	snprintf(suite, sizeof(suite), "IKE SA established (%s, %s, group %u",
		 crypto_cipher_name(s1->p.cipher), crypto_hash_name(s1->p.hash), groups[row[2]]);
	ck_assert_msg(peer_log_has(p, suite), "%s %s: no '%s'", what, p->name, suite);
	ck_assert_uint_eq(p->n_sa, 2);
	ck_assert(p->sa_inbound[0] != p->sa_inbound[1]);
	for (unsigned i = 0; i < p->n_sa; i++) {
		const struct xk_sa *x = &p->sa[i];

		ck_assert_msg(x->enc == s2->p.enc && x->enc_key_len == s2->enc_key_len &&
				      x->auth == s2->p.auth &&
				      x->auth_key_len == s2->auth_key_len && x->mode == mode,
			      "%s %s: SA %08x enc %d/%zu auth %d/%zu mode %d", what, p->name,
			      x->spi, x->enc, x->enc_key_len, x->auth, x->auth_key_len, x->mode);
	}
}

START_TEST(test_matrix)
{
	const unsigned *row = design[_i];
	struct world w;
	char what[160];

	snprintf(what, sizeof(what), "case %d: %s %s group %u %s %s p1 %s p2 %s", _i,
		 row[0] ? "aggressive" : "main", row[1] ? "rsa" : "psk", groups[row[2]],
		 row[3] ? "pfs" : "no-pfs", row[4] ? "transport" : "tunnel", p1s[row[5]].name,
		 p2s[row[6]].name);
	memset(&w, 0, sizeof(w));
	conn_case(&w.gwc, row, true);
	conn_case(&w.rwc, row, false);
	world_run(&w);
	assert_side(&w.rw, row, what);
	assert_side(&w.gw, row, what);
	/* Crosswise identical: each side's SAs have twins on the other. */
	ck_assert_msg(keys_match(&w.rw, &w.gw) == 2 && keys_match(&w.gw, &w.rw) == 2,
		      "%s: keys differ", what);
	world_free(&w);
}
END_TEST

/* The design is all-pairs over the seven axes and complete over the first five. */
START_TEST(test_matrix_design)
{
	static bool full[2][2][N_GROUPS][2][2];

	memset(full, 0, sizeof(full));
	for (unsigned i = 0; i < N_CASES; i++) {
		const unsigned *r = design[i];

		ck_assert(!full[r[0]][r[1]][r[2]][r[3]][r[4]]);
		full[r[0]][r[1]][r[2]][r[3]][r[4]] = true;
	}
	for (unsigned a = 0; a < N_AXES; a++)
		for (unsigned b = a + 1; b < N_AXES; b++)
			for (unsigned va = 0; va < axis_size[a]; va++)
				for (unsigned vb = 0; vb < axis_size[b]; vb++)
					ck_assert_msg(pair_seen[a][b][va][vb],
						      "axes %u/%u values %u/%u never meet", a, b,
						      va, vb);
}
END_TEST

/* Without the opt-in, legacy groups and the legacy Phase 1 suite are refused. */
START_TEST(test_legacy_needs_optin)
{
	static const unsigned rows[][N_AXES] = {
		{ 0, 0, 6, 0, 0, 0, 0 }, /* MODP 1024 */
		{ 0, 0, 7, 0, 0, 0, 0 }, /* MODP 1536 */
		{ 0, 0, 0, 0, 0, 4, 0 }, /* 3des-md5 */
		{ 1, 0, 6, 0, 0, 0, 0 }, /* MODP 1024, Aggressive Mode */
	};
	struct world w;

	memset(&w, 0, sizeof(w));
	conn_case(&w.gwc, rows[_i], true);
	conn_case(&w.rwc, rows[_i], false);
	ck_assert(w.gwc.allow_legacy);
	w.gwc.allow_legacy = w.rwc.allow_legacy = false;
	world_run(&w);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 0);
	ck_assert_uint_eq(w.gw.n_sa + w.rw.n_sa, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_NO_PROPOSAL], 1);
	world_free(&w);
}
END_TEST

static Suite *matrix_suite(void)
{
	Suite *s = suite_create("engine_matrix");
	TCase *tc = tcase_create("matrix");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_matrix_design);
	tcase_add_loop_test(tc, test_matrix, 0, N_CASES);
	tcase_add_loop_test(tc, test_legacy_needs_optin, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	matrix_design();
	sr = srunner_create(matrix_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
