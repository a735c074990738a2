// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RSA signature authentication with X.509 certificates (RFC 2409 5.1)
 * between two engines, on the test PKI of tests/data/pki: a gateway
 * certificate from the root CA, a road warrior certificate from a sub CA
 * (sent as an intermediate), and the ways it must fail: a certificate from
 * another CA, an expired one, an identity the certificate does not name.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "ike/crypto/crypto.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/engine_pki.h"

#define GW "192.0.2.1" /* in gw.pem's subjectAltName */
#define RW "203.0.113.5"

struct world {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
};

static void conn_rsa(struct ike_conn_cfg *c, const char *name, const char *local,
		     const char *remote, const char *cert, const char *inter)
{
	conn_psk(c, name, local, remote, "unused");
	pki_conn_rsa(c, cert, inter);
}

/* gw: gw.pem (root CA); rw: leaf2.pem (sub CA, sent along), FQDN identity. */
static void world_init(struct world *w, const char *gw_cert)
{
	conn_rsa(&w->gwc, "gw-rw", GW, RW, gw_cert, NULL);
	conn_rsa(&w->rwc, "rw-gw", RW, GW, "leaf2", "sub-ca");
	w->rwc.local_id.type = 2;
	w->rwc.local_id.len = 16;
	memcpy(w->rwc.local_id.data, "road.example.net", 16);
}

static void world_start(struct world *w)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	w->net = sim_net_new(31, 5);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
	/* The engines hold their own references now. */
	pki_conn_drop(&w->gwc);
	pki_conn_drop(&w->rwc);
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, 30000, 100000);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_net_free(w->net);
}

START_TEST(test_rsa_main_mode)
{
	struct world w;

	world_init(&w, "gw");
	w.gwc.pfs_group = w.rwc.pfs_group = IKE_DH_ECP_256;
	world_start(&w);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	world_free(&w);
}
END_TEST

START_TEST(test_rsa_aggressive)
{
	struct world w;

	world_init(&w, "gw");
	w.gwc.aggressive = w.rwc.aggressive = true;
	world_start(&w);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	world_free(&w);
}
END_TEST

/* The gw presents a certificate the rw's CA did not issue. */
START_TEST(test_rsa_untrusted)
{
	struct world w;

	world_init(&w, "rogue");
	world_start(&w);
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 0);
	ck_assert_uint_ge(w.rw.reasons[IKE_R_AUTH_FAILED], 1);
	ck_assert(peer_log_has(&w.rw, "peer certificate rejected"));
	ck_assert_uint_eq(w.rw.n_sa + w.gw.n_sa, 0);
	world_free(&w);
}
END_TEST

START_TEST(test_rsa_expired)
{
	struct world w;

	world_init(&w, "expired");
	world_start(&w);
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 0);
	ck_assert(peer_log_has(&w.rw, "peer certificate rejected"));
	world_free(&w);
}
END_TEST

/* The rw claims an identity its certificate does not name. */
START_TEST(test_rsa_identity_not_in_cert)
{
	struct world w;

	world_init(&w, "gw");
	w.rwc.local_id.len = 17;
	memcpy(w.rwc.local_id.data, "other.example.net", 17);
	world_start(&w);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_ID_MISMATCH], 1);
	ck_assert(peer_log_has(&w.gw, "is not in its certificate"));
	world_free(&w);
}
END_TEST

/* The rw's sub-CA intermediate is not sent: its chain does not verify. */
START_TEST(test_rsa_missing_intermediate)
{
	struct world w;

	world_init(&w, "gw");
	X509_free(w.rwc.cert_chain[0]);
	w.rwc.cert_chain[0] = NULL;
	world_start(&w);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert(peer_log_has(&w.gw, "peer certificate rejected"));
	world_free(&w);
}
END_TEST

START_TEST(test_rsa_config_checked)
{
	struct ike_conn_cfg c;
	struct ike_engine_cfg cfg = { .conns = &c, .n_conns = 1 };
	struct ike_engine *e;

	conn_rsa(&c, "x", GW, RW, "gw", NULL);
	EVP_PKEY_free(c.key);
	c.key = NULL;
	ck_assert_int_eq(ike_engine_new(&cfg, &e), -EINVAL);
	pki_conn_drop(&c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_rsa");
	TCase *tc = tcase_create("rsa");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rsa_main_mode);
	tcase_add_test(tc, test_rsa_aggressive);
	tcase_add_test(tc, test_rsa_untrusted);
	tcase_add_test(tc, test_rsa_expired);
	tcase_add_test(tc, test_rsa_identity_not_in_cert);
	tcase_add_test(tc, test_rsa_missing_intermediate);
	tcase_add_test(tc, test_rsa_config_checked);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
