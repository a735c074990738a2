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

#include <openssl/ocsp.h>
#include <openssl/pem.h>

#include "ike/crypto/cert.h"
#include "ike/crypto/crypto.h"
#include "ike/crypto/sig.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/engine_pki.h"
#include "tests/lib/pki_file.h"

#define GW "192.0.2.1"
#define RW "203.0.113.5"

/* Crypto off the engine (ike_engine_cfg.crypto_async), as the daemon runs
 * it with crypto-workers: the *_async test cases set it. */
static bool g_async;

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
		ck_assert_int_gt(pki_file_crls(st, ENGINE_PKI_DIR "/crls/int2.crl.pem"), 0);
		ck_assert_int_gt(pki_file_crls(st, ENGINE_PKI_DIR "/crls/int1.crl.pem"), 0);
		/* The root's CRL (about int1) is DER. */
		ck_assert_int_gt(pki_file_crls(st, ENGINE_PKI_DIR "/crls/ca.crl.der"), 0);
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
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1, .crypto_async = g_async };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1, .crypto_async = g_async };

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
	ck_assert(peer_log_has(&w.gw,
			       "revoked (CRL of O=natkeyd test, CN=natkeyd pki intermediate 2"));
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
	ck_assert_int_eq(
		cert_dn_from_text(dn, w.gwc.rightca, sizeof(w.gwc.rightca), &w.gwc.rightca_len), 0);
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
	ck_assert(peer_log_has(&w.gw, "peer authenticated by certificate \"O=natkeyd test, "
				      "CN=rw.natkeyd.test\""));
	ck_assert(peer_log_has(&w.rw, "ECDSA-256 signature"));
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

/* ---- OCSP: the fake daemon answers as a responder would ---- */

struct responder {
	int status;	/* V_OCSP_CERTSTATUS_* */
	bool wrong_key; /* sign with a key that is not the issuer's */
	bool silent;	/* no answer (timeout) */
	unsigned asked;
};

static size_t ocsp_answer(void *arg, const struct ike_ocsp_fetch *f, uint8_t *out, size_t cap)
{
	struct responder *r = arg;
	const unsigned char *p = f->req;
	OCSP_REQUEST *req = d2i_OCSP_REQUEST(NULL, &p, (long)f->req_len);
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	OCSP_RESPONSE *resp;
	/* The harness's wall clock is 1800000000 + simulated seconds. */
	ASN1_TIME *thisupd = ASN1_TIME_set(NULL, 1800000000 - 60);
	ASN1_TIME *nextupd = ASN1_TIME_set(NULL, 1800000000 + 86400);
	ASN1_TIME *revt = ASN1_TIME_set(NULL, 1748736000); /* 2025-06-01 */
	X509 *signer = load_cert(r->wrong_key ? "rw" : "int2");
	EVP_PKEY *key = load_key(r->wrong_key ? "rw" : "int2");
	unsigned char *o = out;
	int len;

	r->asked++;
	ck_assert_ptr_nonnull(req);
	ck_assert_int_eq(OCSP_request_onereq_count(req), 1);
	if (r->silent)
		len = 0;
	else {
		OCSP_CERTID *id = OCSP_onereq_get0_id(OCSP_request_onereq_get0(req, 0));

		ck_assert_ptr_nonnull(OCSP_basic_add1_status(
			bs, id, r->status, OCSP_REVOKED_STATUS_KEYCOMPROMISE,
			r->status == V_OCSP_CERTSTATUS_REVOKED ? revt : NULL, thisupd, nextupd));
		ck_assert_int_eq(OCSP_basic_sign(bs, signer, key, EVP_sha256(), NULL, 0), 1);
		resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
		len = i2d_OCSP_RESPONSE(resp, NULL);
		ck_assert_int_gt(len, 0);
		ck_assert_int_le(len, (int)cap);
		i2d_OCSP_RESPONSE(resp, &o);
		OCSP_RESPONSE_free(resp);
	}
	ASN1_TIME_free(thisupd);
	ASN1_TIME_free(nextupd);
	ASN1_TIME_free(revt);
	X509_free(signer);
	EVP_PKEY_free(key);
	OCSP_BASICRESP_free(bs);
	OCSP_REQUEST_free(req);
	return (size_t)len;
}

/* The gw asks about the rw's certificate (responder URL from ocspuri=, or
 * from rw-aia's AIA); both ask when @both. */
static void world_ocsp(struct world *w, struct responder *r, const char *rw_cert, bool both)
{
	world_rsa(w, rw_cert);
	if (strcmp(rw_cert, "rw-aia"))
		snprintf(w->gwc.ocsp_uri, sizeof(w->gwc.ocsp_uri), "http://192.0.2.9:8888/ocsp");
	if (both)
		snprintf(w->rwc.ocsp_uri, sizeof(w->rwc.ocsp_uri), "http://192.0.2.9:8888/ocsp");
	w->net = sim_net_new(41, 5);
	{
		struct ike_engine_cfg gcfg = { .conns = &w->gwc,
					       .n_conns = 1,
					       .crypto_async = g_async };
		struct ike_engine_cfg rcfg = { .conns = &w->rwc,
					       .n_conns = 1,
					       .crypto_async = g_async };

		peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
		peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
	}
	conn_drop(&w->gwc);
	conn_drop(&w->rwc);
	w->gw.ocsp_answer = w->rw.ocsp_answer = ocsp_answer;
	w->gw.ocsp_arg = w->rw.ocsp_arg = r;
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, 30000, 100000);
}

START_TEST(test_ocsp_good)
{
	struct world w;
	struct responder r = { .status = V_OCSP_CERTSTATUS_GOOD };

	/* _i 1: both ask (the rw as Main Mode initiator waits at MM6). */
	world_ocsp(&w, &r, "rw", _i == 1);
	assert_up(&w);
	ck_assert_uint_eq(w.gw.n_ocsp, 1);
	ck_assert_uint_eq(w.rw.n_ocsp, _i == 1 ? 1 : 0);
	ck_assert_str_eq(w.gw.ocsp_last.uri, "http://192.0.2.9:8888/ocsp");
	ck_assert(peer_log_has(&w.gw, "OCSP http://192.0.2.9:8888/ocsp: good"));
	world_free(&w);
}
END_TEST

START_TEST(test_ocsp_revoked)
{
	struct world w;
	struct responder r = { .status = V_OCSP_CERTSTATUS_REVOKED };

	world_ocsp(&w, &r, "rw", false);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_AUTH_FAILED], 1);
	ck_assert(peer_log_has(&w.gw, "CN=rw.natkeyd.test\" (serial "));
	ck_assert(peer_log_has(&w.gw, "revoked on 2025-06-01 00:00:00 UTC, reason keyCompromise "
				      "(OCSP http://192.0.2.9:8888/ocsp)"));
	/* Asked once: the answer is cached for the retransmissions. */
	ck_assert_uint_eq(w.gw.n_ocsp, 1);
	world_free(&w);
}
END_TEST

/* The URL from the certificate's Authority Information Access. */
START_TEST(test_ocsp_aia)
{
	struct world w;
	struct responder r = { .status = V_OCSP_CERTSTATUS_GOOD };

	world_ocsp(&w, &r, "rw-aia", false);
	assert_up(&w);
	ck_assert_uint_eq(w.gw.n_ocsp, 1);
	ck_assert_str_eq(w.gw.ocsp_last.uri, "http://127.0.0.1:8888/ocsp");
	world_free(&w);
}
END_TEST

/* No answer, or one not signed by the issuer: accepted with
 * strictcrlpolicy=no (a line says so), refused with yes. */
START_TEST(test_ocsp_unusable)
{
	struct world w;
	struct responder r = { .silent = _i < 2, .wrong_key = _i >= 2 };
	bool strict = _i % 2;

	world_rsa(&w, "rw");
	/* world_ocsp() with the policy set first. */
	snprintf(w.gwc.ocsp_uri, sizeof(w.gwc.ocsp_uri), "http://192.0.2.9:8888/ocsp");
	X509_STORE_free(w.gwc.ca);
	w.gwc.ca = store_of("ca", true);
	w.gwc.crl_policy = strict ? CERT_CRL_YES : CERT_CRL_NO;
	w.net = sim_net_new(43, 5);
	{
		struct ike_engine_cfg gcfg = { .conns = &w.gwc, .n_conns = 1 };
		struct ike_engine_cfg rcfg = { .conns = &w.rwc, .n_conns = 1 };

		peer_init(&w.gw, "gw", w.net, GW, false, &gcfg);
		peer_init(&w.rw, "rw", w.net, RW, false, &rcfg);
	}
	conn_drop(&w.gwc);
	conn_drop(&w.rwc);
	w.gw.ocsp_answer = ocsp_answer;
	w.gw.ocsp_arg = &r;
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 30000, 100000);
	if (strict) {
		ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
		ck_assert(peer_log_has(&w.gw, "strictcrlpolicy)"));
	} else {
		assert_up(&w);
		ck_assert(peer_log_has(&w.gw, "accepted (strictcrlpolicy=no)"));
	}
	ck_assert(peer_log_has(&w.gw, r.silent ? "no answer from the OCSP responder"
					       : "OCSP response signature does not verify"));
	world_free(&w);
}
END_TEST

/* The same with signatures as crypto jobs (the daemon's default): the
 * OCSP wait composes with the job's replay of the message. */
START_TEST(test_async)
{
	g_async = true;
	switch (_i) {
	case 0:
		test_ecdsa_fn(0);
		test_ecdsa_fn(1);
		break;
	case 1:
		test_ocsp_good_fn(1);
		break;
	case 2:
		test_ocsp_revoked_fn(0);
		break;
	default:
		test_chain_main_mode_fn(0);
		test_crl_revoked_fn(0);
		break;
	}
	g_async = false;
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
	tcase_add_loop_test(tc, test_ocsp_good, 0, 2);
	tcase_add_test(tc, test_ocsp_revoked);
	tcase_add_test(tc, test_ocsp_aia);
	tcase_add_loop_test(tc, test_ocsp_unusable, 0, 4);
	tcase_add_loop_test(tc, test_async, 0, 4);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
