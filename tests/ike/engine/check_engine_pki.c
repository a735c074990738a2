// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Certificate policy between two engines (issue 17), on the PKI of
 * tests/data/pki-ext (root -> int1 -> int2 -> gw, rw): the chain sent
 * with the certificate, leftsendcert=, CRLs in the trust store and
 * strictcrlpolicy=, rightca=, the EKU check, and ECDSA (RFC 4754).
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "ike/crypto/cert.h"
#include "ike/crypto/crypto.h"
#include "ike/crypto/sig.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/engine_pki.h"

#define GW "192.0.2.1"
#define RW "203.0.113.5"

struct world {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
};

/* A store with the root @ca (and the CRLs of crls/ when @crls). */
static X509_STORE *store_of(const char *ca, bool crls)
{
	X509_STORE *st = X509_STORE_new();
	X509 *x = load_cert(ca);

	X509_STORE_add_cert(st, x);
	X509_free(x);
	if (crls) {
		ck_assert_int_gt(cert_store_load_crls(st, ENGINE_PKI_DIR "/crls/int2.crl.pem"), 0);
		ck_assert_int_gt(cert_store_load_crls(st, ENGINE_PKI_DIR "/crls/int1.crl.pem"), 0);
		/* The root's CRL (about int1) is DER. */
		ck_assert_int_gt(cert_store_load_crls(st, ENGINE_PKI_DIR "/crls/ca.crl.der"), 0);
	}
	return st;
}

static void conn_cert(struct ike_conn_cfg *c, const char *name, const char *local,
		      const char *remote, const char *cert, const char *ca, const char *fqdn)
{
	conn_psk(c, name, local, remote, "unused");
	c->psk_len = 0;
	c->cert = load_cert(cert);
	c->key = load_key(cert);
	c->auth = (enum ike_auth_method)sig_auth_method(c->key);
	c->ca = store_of(ca, false);
	c->certreq_names = true;
	c->local_id.type = 2;
	c->local_id.len = (uint8_t)strlen(fqdn);
	memcpy(c->local_id.data, fqdn, c->local_id.len);
}

static void chain_set(struct ike_conn_cfg *c)
{
	c->cert_chain[0] = load_cert("int2");
	c->cert_chain[1] = load_cert("int1");
}

static void conn_drop(struct ike_conn_cfg *c)
{
	EVP_PKEY_free(c->key);
	X509_free(c->cert);
	for (int i = 0; i < IKE_CERT_CHAIN_MAX; i++)
		X509_free(c->cert_chain[i]);
	X509_STORE_free(c->ca);
}

/* RSA under two intermediates, both sending their chain, trusting the root. */
static void world_rsa(struct world *w, const char *rw_cert)
{
	conn_cert(&w->gwc, "gw-rw", GW, RW, "gw", "ca", "gw.natkeyd.test");
	conn_cert(&w->rwc, "rw-gw", RW, GW, rw_cert, "ca", "rw.natkeyd.test");
	chain_set(&w->gwc);
	chain_set(&w->rwc);
}

static void world_start(struct world *w)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	w->net = sim_net_new(37, 5);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
	conn_drop(&w->gwc);
	conn_drop(&w->rwc);
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, 30000, 100000);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_net_free(w->net);
}

static void assert_up(struct world *w)
{
	ck_assert_uint_eq(peer_status(&w->rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w->rw, &w->gw), 2);
}

START_TEST(test_chain_main_mode)
{
	struct world w;

	world_rsa(&w, "rw");
	world_start(&w);
	assert_up(&w);
	world_free(&w);
}
END_TEST

START_TEST(test_chain_aggressive)
{
	struct world w;

	world_rsa(&w, "rw");
	w.gwc.aggressive = w.rwc.aggressive = true;
	world_start(&w);
	assert_up(&w);
	world_free(&w);
}
END_TEST

/* Control: without the intermediates the peer trusting only the root refuses. */
START_TEST(test_chain_missing)
{
	struct world w;

	world_rsa(&w, "rw");
	X509_free(w.rwc.cert_chain[0]);
	X509_free(w.rwc.cert_chain[1]);
	w.rwc.cert_chain[0] = w.rwc.cert_chain[1] = NULL;
	world_start(&w);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert(peer_log_has(&w.gw, "unable to get local issuer certificate"));
	world_free(&w);
}
END_TEST

START_TEST(test_sendcert_never)
{
	struct world w;

	world_rsa(&w, "rw");
	w.rwc.sendcert = IKE_SENDCERT_NEVER;
	world_start(&w);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert(peer_log_has(&w.gw, "no X.509 certificate from the peer"));
	world_free(&w);
}
END_TEST

/* ifasked: both send CERTREQs (MM3/MM4, AM1/AM2), so both send certificates. */
START_TEST(test_sendcert_ifasked)
{
	struct world w;

	world_rsa(&w, "rw");
	w.rwc.sendcert = w.gwc.sendcert = IKE_SENDCERT_IFASKED;
	w.gwc.aggressive = w.rwc.aggressive = _i == 1;
	world_start(&w);
	assert_up(&w);
	world_free(&w);
}
END_TEST

START_TEST(test_crl_revoked)
{
	struct world w;

	world_rsa(&w, "revoked/rw");
	X509_STORE_free(w.gwc.ca);
	w.gwc.ca = store_of("ca", true);
	world_start(&w);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_AUTH_FAILED], 1);
	ck_assert(peer_log_has(&w.gw, "OU=revoked"));
	ck_assert(peer_log_has(&w.gw, "revoked (CRL of O=natkeyd test, CN=natkeyd pki intermediate 2"));
	world_free(&w);
}
END_TEST

/* The same CRLs let a good certificate through, strict or not. */
START_TEST(test_crl_good)
{
	struct world w;

	world_rsa(&w, "rw");
	X509_STORE_free(w.gwc.ca);
	w.gwc.ca = store_of("ca", true);
	w.gwc.crl_policy = _i;
	world_start(&w);
	assert_up(&w);
	world_free(&w);
}
END_TEST

/* strictcrlpolicy=yes without CRLs: refused, naming the CRL problem. */
START_TEST(test_crl_strict_missing)
{
	struct world w;

	world_rsa(&w, "rw");
	w.gwc.crl_policy = CERT_CRL_YES;
	world_start(&w);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert(peer_log_has(&w.gw, "unable to get certificate CRL"));
	world_free(&w);
}
END_TEST

START_TEST(test_rightca)
{
	struct world w;
	const char *dn = _i ? "O=natkeyd test, CN=natkeyd pki intermediate 2"
			    : "O=natkeyd test, CN=some other CA";

	world_rsa(&w, "rw");
	ck_assert_int_eq(cert_dn_from_text(dn, w.gwc.rightca, sizeof(w.gwc.rightca),
					   &w.gwc.rightca_len),
			 0);
	world_start(&w);
	if (_i) {
		assert_up(&w);
	} else {
		ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
		ck_assert(peer_log_has(&w.gw, "does not pass through rightca"));
	}
	world_free(&w);
}
END_TEST

START_TEST(test_eku)
{
	struct world w;

	world_rsa(&w, "rw-eku");
	world_start(&w);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert(peer_log_has(&w.gw, "extended key usage"));
	world_free(&w);
}
END_TEST

/* ECDSA P-256 both ways, Main and Aggressive Mode (RFC 4754 method 9). */
START_TEST(test_ecdsa)
{
	struct world w;

	conn_cert(&w.gwc, "gw-rw", GW, RW, "ecdsa/gw", "ecdsa/ca", "gw.natkeyd.test");
	conn_cert(&w.rwc, "rw-gw", RW, GW, "ecdsa/rw", "ecdsa/ca", "rw.natkeyd.test");
	ck_assert_int_eq(w.gwc.auth, IKE_AUTH_ECDSA_256);
	w.gwc.aggressive = w.rwc.aggressive = _i == 1;
	world_start(&w);
	assert_up(&w);
	world_free(&w);
}
END_TEST

/* P-384 (method 10) against P-256 (method 9): no common proposal. */
START_TEST(test_ecdsa_method_mismatch)
{
	struct world w;

	conn_cert(&w.gwc, "gw-rw", GW, RW, "ecdsa/gw", "ecdsa/ca", "gw.natkeyd.test");
	conn_cert(&w.rwc, "rw-gw", RW, GW, "ecdsa/p384", "ecdsa/ca", "p384.natkeyd.test");
	ck_assert_int_eq(w.rwc.auth, IKE_AUTH_ECDSA_384);
	world_start(&w);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 0);
	world_free(&w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_pki");
	TCase *tc = tcase_create("pki");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_chain_main_mode);
	tcase_add_test(tc, test_chain_aggressive);
	tcase_add_test(tc, test_chain_missing);
	tcase_add_test(tc, test_sendcert_never);
	tcase_add_loop_test(tc, test_sendcert_ifasked, 0, 2);
	tcase_add_test(tc, test_crl_revoked);
	tcase_add_loop_test(tc, test_crl_good, CERT_CRL_NO, CERT_CRL_IFURI + 1);
	tcase_add_test(tc, test_crl_strict_missing);
	tcase_add_loop_test(tc, test_rightca, 0, 2);
	tcase_add_test(tc, test_eku);
	tcase_add_loop_test(tc, test_ecdsa, 0, 2);
	tcase_add_test(tc, test_ecdsa_method_mismatch);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
