// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Certificate policy of ike/crypto/cert.c (chains from one file, CRLs in
 * PEM and DER, strictcrlpolicy=, rightca=, EKU, the failing certificate
 * named) and ECDSA signatures of ike/crypto/sig.c (RFC 4754 r | s), on the
 * PKI of tests/data/pki-ext/gen_certs.sh.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ike/crypto/cert.h"
#include "ike/crypto/ocsp.h"
#include "ike/crypto/sig.h"
#include "tests/lib/pki_file.h"

#define PKI(f) CRYPTO_PKI_EXT_DIR "/" f

#define NOW_OK	 ((time_t)1767225600) /* 2026-01-01 */
#define NOW_LATE ((time_t)2145916800) /* 2038-01-01: after every certificate */

static X509 *cert(const char *path)
{
	X509 *x = NULL;

	ck_assert_int_eq(pki_file_cert(path, &x), 0);
	return x;
}

static EVP_PKEY *key(const char *path)
{
	EVP_PKEY *k = NULL;

	ck_assert_int_eq(pki_file_key(path, &k), 0);
	return k;
}

/* The root trusted; @crls: which CRL files to add ("" = none). */
static X509_STORE *store(const char *root, const char *const *crls)
{
	X509_STORE *st = NULL;

	ck_assert_int_eq(cert_store_new(&st), 0);
	ck_assert_int_eq(pki_file_store(st, root), 0);
	for (; crls && *crls; crls++)
		ck_assert_int_gt(pki_file_crls(st, *crls), 0);
	return st;
}

static STACK_OF(X509) * intermediates(void)
{
	STACK_OF(X509) *sk = sk_X509_new_null();

	sk_X509_push(sk, cert(PKI("int2.pem")));
	sk_X509_push(sk, cert(PKI("int1.pem")));
	return sk;
}

static const char *const all_crls[] = { PKI("crls/int2.crl.pem"), PKI("crls/int1.crl.pem"),
					PKI("crls/ca.crl.der"), NULL };
static const char *const stale_crls[] = { PKI("crls-stale/int2.crl.pem"), PKI("crls/int1.crl.pem"),
					  PKI("crls/ca.crl.der"), NULL };

/* One check: @leaf under the root with @crls, policy @crl, at @now. */
static int check(const char *leaf, const char *const *crls, enum cert_crl_policy crl, time_t now,
		 struct cert_result *res)
{
	X509_STORE *st = store(PKI("ca.pem"), crls);
	STACK_OF(X509) *sk = intermediates();
	X509 *x = cert(leaf);
	struct cert_policy pol = { .crl = crl, .eku = true };
	int rc = cert_chain_check(st, x, sk, now, &pol, res);

	X509_free(x);
	sk_X509_pop_free(sk, X509_free);
	X509_STORE_free(st);
	return rc;
}

START_TEST(test_chain_file)
{
	STACK_OF(X509) *sk = NULL;

	ck_assert_int_eq(pki_file_chain(PKI("gw-chain.pem"), &sk), 0);
	ck_assert_int_eq(sk_X509_num(sk), 3);
	ck_assert_int_eq(X509_check_issued(sk_X509_value(sk, 1), sk_X509_value(sk, 0)), X509_V_OK);
	ck_assert_int_eq(X509_check_issued(sk_X509_value(sk, 2), sk_X509_value(sk, 1)), X509_V_OK);
	sk_X509_pop_free(sk, X509_free);
	ck_assert_int_eq(pki_file_chain(PKI("crls/int2.crl.pem"), &sk), -EBADMSG);
	ck_assert_int_eq(pki_file_chain(PKI("nonexistent.pem"), &sk), -ENOENT);
}
END_TEST

START_TEST(test_crl_files)
{
	X509_STORE *st = NULL;

	ck_assert_int_eq(cert_store_new(&st), 0);
	ck_assert_int_eq(pki_file_crls(st, PKI("crls/int2.crl.pem")), 1); /* PEM */
	ck_assert_int_eq(pki_file_crls(st, PKI("crls/ca.crl.der")), 1);	  /* DER */
	ck_assert_int_eq(pki_file_crls(st, PKI("ca.pem")), -EBADMSG);	  /* not a CRL */
	X509_STORE_free(st);
}
END_TEST

START_TEST(test_good_every_policy)
{
	struct cert_result r;

	for (int p = CERT_CRL_NO; p <= CERT_CRL_IFURI; p++) {
		ck_assert_int_eq(check(PKI("rw.pem"), all_crls, p, NOW_OK, &r), 0);
		ck_assert_int_eq(r.verdict, CERT_OK);
	}
}
END_TEST

START_TEST(test_revoked_named)
{
	struct cert_result r;

	/* Revoked whatever the policy, even by a CRL past its next update. */
	for (int p = CERT_CRL_NO; p <= CERT_CRL_IFURI; p++) {
		ck_assert_int_eq(check(PKI("revoked/rw.pem"), all_crls, p, NOW_OK, &r), -EACCES);
		ck_assert_int_eq(r.verdict, CERT_REVOKED);
		ck_assert_int_eq(r.depth, 0);
		ck_assert_str_eq(r.subject, "O=natkeyd test, OU=revoked, CN=rw.natkeyd.test");
		ck_assert_uint_ge(strlen(r.serial), 8);
		ck_assert_ptr_nonnull(strstr(
			r.detail, "revoked (CRL of O=natkeyd test, CN=natkeyd pki intermediate 2"));
	}
	ck_assert_int_eq(check(PKI("revoked/rw.pem"), stale_crls, CERT_CRL_NO, NOW_OK, &r),
			 -EACCES);
	ck_assert_int_eq(r.verdict, CERT_REVOKED);
	/* Without the CRL the same certificate passes (policy no). */
	ck_assert_int_eq(check(PKI("revoked/rw.pem"), NULL, CERT_CRL_NO, NOW_OK, &r), 0);
}
END_TEST

START_TEST(test_missing_and_stale)
{
	struct cert_result r;

	ck_assert_int_eq(check(PKI("rw.pem"), NULL, CERT_CRL_NO, NOW_OK, &r), 0);
	/* No distribution point in these certificates: ifuri is lenient. */
	ck_assert_int_eq(check(PKI("rw.pem"), NULL, CERT_CRL_IFURI, NOW_OK, &r), 0);
	ck_assert_int_eq(check(PKI("rw.pem"), NULL, CERT_CRL_YES, NOW_OK, &r), -EACCES);
	ck_assert_int_eq(r.verdict, CERT_CRL_MISSING);
	ck_assert_int_eq(check(PKI("rw.pem"), stale_crls, CERT_CRL_NO, NOW_OK, &r), 0);
	ck_assert_int_eq(check(PKI("rw.pem"), stale_crls, CERT_CRL_YES, NOW_OK, &r), -EACCES);
	ck_assert_int_eq(r.verdict, CERT_CRL_MISSING);
	ck_assert_ptr_nonnull(strstr(r.detail, "CRL has expired"));
	ck_assert_ptr_nonnull(strstr(r.detail, "next update 2025-02-01"));
}
END_TEST

START_TEST(test_expired_named)
{
	struct cert_result r;

	ck_assert_int_eq(check(PKI("rw.pem"), NULL, CERT_CRL_NO, NOW_LATE, &r), -EACCES);
	ck_assert_int_eq(r.verdict, CERT_EXPIRED);
	ck_assert_ptr_nonnull(strstr(r.subject, "CN="));
	ck_assert_ptr_nonnull(strstr(r.detail, "expired (since 2037-12-31 23:59:59 UTC)"));
}
END_TEST

START_TEST(test_eku)
{
	struct cert_result r;
	X509_STORE *st = store(PKI("ca.pem"), NULL);
	STACK_OF(X509) *sk = intermediates();
	X509 *x = cert(PKI("rw-eku.pem"));
	struct cert_policy pol = { 0 };

	ck_assert_int_eq(check(PKI("rw-eku.pem"), NULL, CERT_CRL_NO, NOW_OK, &r), -EACCES);
	ck_assert_int_eq(r.verdict, CERT_EKU);
	ck_assert_str_eq(r.subject, "O=natkeyd test, OU=eku, CN=rw.natkeyd.test");
	/* The check is the policy's: off, the chain itself is fine. */
	ck_assert_int_eq(cert_chain_check(st, x, sk, NOW_OK, &pol, &r), 0);
	X509_free(x);
	sk_X509_pop_free(sk, X509_free);
	X509_STORE_free(st);
}
END_TEST

START_TEST(test_rightca)
{
	static const struct {
		const char *dn;
		int ret;
	} v[] = {
		{ "O=natkeyd test, CN=natkeyd pki intermediate 2", 0 },
		{ "/O=natkeyd test/CN=natkeyd pki intermediate 1", 0 },
		{ "O=natkeyd test, CN=natkeyd pki root CA", 0 },
		{ "O=natkeyd test, CN=rw.natkeyd.test", -EACCES }, /* the leaf: not a CA */
		{ "O=natkeyd test, CN=other CA", -EACCES },
	};
	X509_STORE *st = store(PKI("ca.pem"), NULL);
	STACK_OF(X509) *sk = intermediates();
	X509 *x = cert(PKI("rw.pem"));

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t der[256];
		size_t len;
		struct cert_policy pol = { .ca_der = der };
		struct cert_result r;

		ck_assert_int_eq(cert_dn_from_text(v[i].dn, der, sizeof(der), &len), 0);
		pol.ca_der_len = len;
		ck_assert_msg(cert_chain_check(st, x, sk, NOW_OK, &pol, &r) == v[i].ret, "%s",
			      v[i].dn);
		if (v[i].ret)
			ck_assert_int_eq(r.verdict, CERT_CA_MISMATCH);
	}
	X509_free(x);
	sk_X509_pop_free(sk, X509_free);
	X509_STORE_free(st);
}
END_TEST

START_TEST(test_dn_text)
{
	uint8_t a[256], b[256], c[8];
	size_t la, lb, lc;
	X509 *x = cert(PKI("int2.pem"));

	ck_assert_int_eq(cert_dn_from_text("O=natkeyd test, CN=natkeyd pki intermediate 2", a,
					   sizeof(a), &la),
			 0);
	ck_assert_int_eq(cert_dn_from_text("/O=natkeyd test/CN=natkeyd pki intermediate 2", b,
					   sizeof(b), &lb),
			 0);
	ck_assert_uint_eq(la, lb);
	ck_assert_mem_eq(a, b, la);
	/* The same DER as the certificate's subject. */
	ck_assert_int_eq(cert_subject_der(x, b, sizeof(b), &lb), 0);
	ck_assert_uint_eq(la, lb);
	ck_assert_mem_eq(a, b, la);
	ck_assert_int_eq(cert_dn_from_text("no equals sign", a, sizeof(a), &la), -EINVAL);
	ck_assert_int_eq(cert_dn_from_text("XX=unknown attribute", a, sizeof(a), &la), -EINVAL);
	ck_assert_int_eq(cert_dn_from_text("", a, sizeof(a), &la), -EINVAL);
	ck_assert_int_eq(cert_dn_from_text("CN=x", c, 2, &lc), -ENOBUFS);
	X509_free(x);
}
END_TEST

static void count_name(void *arg, const uint8_t *der, size_t len)
{
	(void)der;
	ck_assert_uint_gt(len, 0);
	(*(unsigned *)arg)++;
}

START_TEST(test_ca_names)
{
	X509_STORE *st = store(PKI("ca.pem"), all_crls);
	unsigned n = 0;

	ck_assert_int_eq(pki_file_store(st, PKI("int1.pem")), 0);
	ck_assert_int_eq(pki_file_store(st, PKI("int2.pem")), 0);
	/* CRLs in the store are not CAs; the bound holds. */
	ck_assert_uint_eq(cert_store_ca_names(st, 8, count_name, &n), 3);
	ck_assert_uint_eq(n, 3);
	n = 0;
	ck_assert_uint_eq(cert_store_ca_names(st, 2, count_name, &n), 2);
	X509_STORE_free(st);
}
END_TEST

/* RFC 4754: method by curve, r | s of the field size; HASH_I signed as the
 * digest (strongSwan's IKEv1 ECDSA), checked against OpenSSL's own DER
 * ECDSA of the same digest. */
START_TEST(test_ecdsa)
{
	static const struct {
		const char *name;
		int method;
		size_t len;
	} v[] = {
		{ PKI("ecdsa/gw"), SIG_ECDSA_256, 64 },
		{ PKI("ecdsa/p384"), SIG_ECDSA_384, 96 },
	};
	const uint8_t hash[32] = "HASH_I of a Main Mode exchange.";

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char kp[256], cp[256];
		EVP_PKEY *k;
		X509 *x;
		EVP_PKEY *pub;
		uint8_t sig[200], bad[200];
		size_t len, half = v[i].len / 2;
		EVP_PKEY_CTX *pc;
		unsigned char der[160];
		size_t der_len = sizeof(der);
		const unsigned char *p = der;
		ECDSA_SIG *es;
		const BIGNUM *r, *s;
		uint8_t rs[200];

		snprintf(kp, sizeof(kp), "%s.key", v[i].name);
		snprintf(cp, sizeof(cp), "%s.pem", v[i].name);
		k = key(kp);
		x = cert(cp);
		pub = X509_get0_pubkey(x);
		ck_assert_int_eq(sig_auth_method(k), v[i].method);
		ck_assert_uint_eq(sig_len(k), v[i].len);
		ck_assert_int_eq(sig_sign(k, hash, sizeof(hash), sig, sizeof(sig), &len), 0);
		ck_assert_uint_eq(len, v[i].len);
		ck_assert_int_eq(sig_verify(pub, v[i].method, hash, sizeof(hash), sig, len), 0);
		memcpy(bad, sig, len);
		bad[3] ^= 1;
		ck_assert_int_eq(sig_verify(pub, v[i].method, hash, sizeof(hash), bad, len),
				 -EBADMSG);
		ck_assert_int_eq(sig_verify(pub, v[i].method, hash, sizeof(hash), sig, len - 1),
				 -EBADMSG);
		/* Another method than the key's: refused. */
		ck_assert_int_eq(sig_verify(pub, SIG_RSA, hash, sizeof(hash), sig, len), -EBADMSG);
		ck_assert_int_eq(sig_ecdsa_sign(k, hash, sizeof(hash), sig, len - 1, &len),
				 -ENOBUFS);
		/* Independent: OpenSSL's DER signature, turned into r | s here. */
		pc = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
		ck_assert_int_eq(EVP_PKEY_sign_init(pc), 1);
		ck_assert_int_eq(EVP_PKEY_sign(pc, der, &der_len, hash, sizeof(hash)), 1);
		es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
		ck_assert_ptr_nonnull(es);
		ECDSA_SIG_get0(es, &r, &s);
		BN_bn2binpad(r, rs, (int)half);
		BN_bn2binpad(s, rs + half, (int)half);
		ck_assert_int_eq(sig_ecdsa_verify(pub, hash, sizeof(hash), rs, 2 * half), 0);
		ECDSA_SIG_free(es);
		EVP_PKEY_CTX_free(pc);
		EVP_PKEY_free(k);
		X509_free(x);
	}
}
END_TEST

START_TEST(test_key_types)
{
	EVP_PKEY *k = key(PKI("gw.key"));

	ck_assert_int_eq(sig_auth_method(k), SIG_RSA);
	ck_assert_int_eq(sig_ecdsa_method(k), 0);
	ck_assert_uint_eq(sig_len(k), 256);
	EVP_PKEY_free(k);
	ck_assert_int_eq(sig_auth_method(NULL), 0);
}
END_TEST

/* ---- OCSP messages (ike/crypto/ocsp.c) ---- */

/* A response about @leaf by @signer (int2 or a wrong one), at @at. */
static size_t ocsp_resp(const uint8_t *req, size_t req_len, int status, const char *signer,
			time_t at, int resp_status, uint8_t *out)
{
	const unsigned char *p = req;
	OCSP_REQUEST *rq = d2i_OCSP_REQUEST(NULL, &p, (long)req_len);
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	OCSP_RESPONSE *resp;
	ASN1_TIME *tu = ASN1_TIME_set(NULL, at - 60), *nu = ASN1_TIME_set(NULL, at + 3600);
	ASN1_TIME *rv = ASN1_TIME_set(NULL, 1748736000);
	char cp[256], kp[256];
	X509 *sc;
	EVP_PKEY *sk;
	unsigned char *o = out;
	int len;

	snprintf(cp, sizeof(cp), CRYPTO_PKI_EXT_DIR "/%s.pem", signer);
	snprintf(kp, sizeof(kp), CRYPTO_PKI_EXT_DIR "/%s.key", signer);
	sc = cert(cp);
	sk = key(kp);
	ck_assert_ptr_nonnull(rq);
	ck_assert_ptr_nonnull(
		OCSP_basic_add1_status(bs, OCSP_onereq_get0_id(OCSP_request_onereq_get0(rq, 0)),
				       status, OCSP_REVOKED_STATUS_SUPERSEDED,
				       status == V_OCSP_CERTSTATUS_REVOKED ? rv : NULL, tu, nu));
	ck_assert_int_eq(OCSP_basic_sign(bs, sc, sk, EVP_sha256(), NULL, 0), 1);
	resp = OCSP_response_create(resp_status, resp_status ? NULL : bs);
	len = i2d_OCSP_RESPONSE(resp, &o);
	ck_assert_int_gt(len, 0);
	OCSP_RESPONSE_free(resp);
	OCSP_BASICRESP_free(bs);
	OCSP_REQUEST_free(rq);
	ASN1_TIME_free(tu);
	ASN1_TIME_free(nu);
	ASN1_TIME_free(rv);
	X509_free(sc);
	EVP_PKEY_free(sk);
	return (size_t)len;
}

START_TEST(test_ocsp)
{
	X509 *leaf = cert(PKI("rw.pem")), *aia = cert(PKI("rw-aia.pem"));
	X509 *issuer = cert(PKI("int2.pem"));
	STACK_OF(X509) *chain = sk_X509_new_null();
	X509_STORE *st = store(PKI("ca.pem"), NULL);
	uint8_t req[OCSP_REQ_MAX], resp[8192];
	size_t req_len, len;
	char uri[128], why[128];
	time_t until;

	sk_X509_push(chain, cert(PKI("int1.pem")));
	ck_assert_int_eq(ocsp_uri(aia, uri, sizeof(uri)), 0);
	ck_assert_str_eq(uri, "http://127.0.0.1:8888/ocsp");
	ck_assert_int_eq(ocsp_uri(aia, uri, 10), -ENOBUFS);
	ck_assert_int_eq(ocsp_uri(leaf, uri, sizeof(uri)), -ENOENT);
	ck_assert_int_eq(ocsp_request(leaf, issuer, req, 8, &req_len), -ENOBUFS);
	ck_assert_int_eq(ocsp_request(leaf, issuer, req, sizeof(req), &req_len), 0);
	ck_assert_uint_gt(req_len, 40);

	len = ocsp_resp(req, req_len, V_OCSP_CERTSTATUS_GOOD, "int2", NOW_OK, 0, resp);
	ck_assert_int_eq(ocsp_response_check(resp, len, leaf, issuer, st, chain, NOW_OK, &until,
					     why, sizeof(why)),
			 OCSP_V_GOOD);
	ck_assert_int_eq(until, NOW_OK + 3600);
	/* Past its next update; before its this update. */
	ck_assert_int_eq(ocsp_response_check(resp, len, leaf, issuer, st, chain, NOW_OK + 7200,
					     &until, why, sizeof(why)),
			 OCSP_V_ERROR);
	ck_assert_str_eq(why, "OCSP response is not current");
	ck_assert_int_eq(ocsp_response_check(resp, len, leaf, issuer, st, chain, NOW_OK - 3600,
					     &until, why, sizeof(why)),
			 OCSP_V_ERROR);
	/* About another certificate than the one asked. */
	ck_assert_int_eq(ocsp_response_check(resp, len, aia, issuer, st, chain, NOW_OK, &until, why,
					     sizeof(why)),
			 OCSP_V_ERROR);
	ck_assert_str_eq(why, "OCSP response says nothing about the certificate");
	/* Trailing garbage, truncation. */
	resp[len] = 0;
	ck_assert_int_eq(ocsp_response_check(resp, len + 1, leaf, issuer, st, chain, NOW_OK, &until,
					     why, sizeof(why)),
			 OCSP_V_ERROR);
	ck_assert_int_eq(ocsp_response_check(resp, len - 1, leaf, issuer, st, chain, NOW_OK, &until,
					     why, sizeof(why)),
			 OCSP_V_ERROR);

	len = ocsp_resp(req, req_len, V_OCSP_CERTSTATUS_REVOKED, "int2", NOW_OK, 0, resp);
	ck_assert_int_eq(ocsp_response_check(resp, len, leaf, issuer, st, chain, NOW_OK, &until,
					     why, sizeof(why)),
			 OCSP_V_REVOKED);
	ck_assert_str_eq(why, "revoked on 2025-06-01 00:00:00 UTC, reason superseded");

	len = ocsp_resp(req, req_len, V_OCSP_CERTSTATUS_UNKNOWN, "int2", NOW_OK, 0, resp);
	ck_assert_int_eq(ocsp_response_check(resp, len, leaf, issuer, st, chain, NOW_OK, &until,
					     why, sizeof(why)),
			 OCSP_V_UNKNOWN);

	/* Signed by a certificate int2 did not delegate OCSP to. */
	len = ocsp_resp(req, req_len, V_OCSP_CERTSTATUS_GOOD, "gw", NOW_OK, 0, resp);
	ck_assert_int_eq(ocsp_response_check(resp, len, leaf, issuer, st, chain, NOW_OK, &until,
					     why, sizeof(why)),
			 OCSP_V_ERROR);
	ck_assert_str_eq(why, "OCSP response signature does not verify");

	len = ocsp_resp(req, req_len, V_OCSP_CERTSTATUS_GOOD, "int2", NOW_OK,
			OCSP_RESPONSE_STATUS_TRYLATER, resp);
	ck_assert_int_eq(ocsp_response_check(resp, len, leaf, issuer, st, chain, NOW_OK, &until,
					     why, sizeof(why)),
			 OCSP_V_ERROR);
	ck_assert_str_eq(why, "OCSP responder answered trylater");

	X509_free(leaf);
	X509_free(aia);
	X509_free(issuer);
	sk_X509_pop_free(chain, X509_free);
	X509_STORE_free(st);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("crypto_pki");
	TCase *tc = tcase_create("pki");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_chain_file);
	tcase_add_test(tc, test_crl_files);
	tcase_add_test(tc, test_good_every_policy);
	tcase_add_test(tc, test_revoked_named);
	tcase_add_test(tc, test_missing_and_stale);
	tcase_add_test(tc, test_expired_named);
	tcase_add_test(tc, test_eku);
	tcase_add_test(tc, test_rightca);
	tcase_add_test(tc, test_dn_text);
	tcase_add_test(tc, test_ca_names);
	tcase_add_test(tc, test_ecdsa);
	tcase_add_test(tc, test_key_types);
	tcase_add_test(tc, test_ocsp);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
