// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RSA signatures without DigestInfo (RFC 2409 5.1) against Python-computed
 * signatures (tests/vectors/crypto/gen_sig.py), and X.509 chain / identity
 * checks against the committed test PKI (tests/data/pki/gen_pki.sh).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "ike/crypto/cert.h"
#include "ike/crypto/sig.h"
#include "tests/vectors/crypto/sig_vectors.h"
#include "tests/lib/pki_file.h"

#define PKI(f) CRYPTO_PKI_DIR "/" f

/* 2026-01-01: inside every good certificate, after "expired" ended. */
#define NOW_OK ((time_t)1767225600)
/* 2024-01-01: before every good certificate starts. */
#define NOW_EARLY ((time_t)1704067200)

static EVP_PKEY *load_key(const char *path)
{
	EVP_PKEY *k = NULL;

	ck_assert_int_eq(pki_file_key(path, &k), 0);
	return k;
}

static X509 *load_cert(const char *path)
{
	X509 *x = NULL;

	ck_assert_int_eq(pki_file_cert(path, &x), 0);
	return x;
}

START_TEST(test_sign_matches_python)
{
	const struct sig_vector *v = &sig_vectors[_i];
	EVP_PKEY *key = load_key(PKI("gw.key"));
	uint8_t sig[512];
	size_t len = 0;

	ck_assert_uint_eq(sig_rsa_len(key), v->sig_len);
	ck_assert_int_eq(sig_rsa_sign(key, v->hash, v->hash_len, sig, sizeof(sig), &len), 0);
	ck_assert_uint_eq(len, v->sig_len);
	/* PKCS #1 v1.5 is deterministic: byte-identical to the raw-RSA reference. */
	ck_assert_mem_eq(sig, v->sig, v->sig_len);
	ck_assert_int_eq(sig_rsa_sign(key, v->hash, v->hash_len, sig, v->sig_len - 1, &len),
			 -ENOBUFS);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(test_verify)
{
	const struct sig_vector *v = &sig_vectors[_i];
	X509 *gw = load_cert(PKI("gw.pem"));
	X509 *rogue = load_cert(PKI("rogue.pem"));
	EVP_PKEY *pub = X509_get0_pubkey(gw);
	uint8_t bad[256], h[64];

	ck_assert_int_eq(sig_rsa_verify(pub, v->hash, v->hash_len, v->sig, v->sig_len), 0);
	/* Flipped signature bit, flipped hash bit, truncated hash, wrong key. */
	memcpy(bad, v->sig, v->sig_len);
	bad[v->sig_len / 2] ^= 0x01;
	ck_assert_int_eq(sig_rsa_verify(pub, v->hash, v->hash_len, bad, v->sig_len), -EBADMSG);
	memcpy(h, v->hash, v->hash_len);
	h[0] ^= 0x80;
	ck_assert_int_eq(sig_rsa_verify(pub, h, v->hash_len, v->sig, v->sig_len), -EBADMSG);
	ck_assert_int_eq(sig_rsa_verify(pub, v->hash, v->hash_len - 1, v->sig, v->sig_len),
			 -EBADMSG);
	ck_assert_int_eq(
		sig_rsa_verify(X509_get0_pubkey(rogue), v->hash, v->hash_len, v->sig, v->sig_len),
		-EBADMSG);
	/* Length must equal the modulus. */
	ck_assert_int_eq(sig_rsa_verify(pub, v->hash, v->hash_len, v->sig, v->sig_len - 1),
			 -EBADMSG);
	X509_free(gw);
	X509_free(rogue);
}
END_TEST

/* A standard PKCS #1 signature (with DigestInfo) is not an IKEv1 SIG. */
START_TEST(test_digestinfo_rejected)
{
	X509 *gw = load_cert(PKI("gw.pem"));
	EVP_PKEY *key = load_key(PKI("gw.key"));
	uint8_t sig[512];
	size_t len = 0;

	ck_assert_int_eq(sig_rsa_verify(X509_get0_pubkey(gw), digi_hash, sizeof(digi_hash),
					digi_sig, sizeof(digi_sig)),
			 -EBADMSG);
	/* And ours over the same hash differs from the DigestInfo one. */
	ck_assert_int_eq(sig_rsa_sign(key, digi_hash, sizeof(digi_hash), sig, sizeof(sig), &len),
			 0);
	ck_assert_uint_eq(len, sizeof(digi_sig));
	ck_assert_mem_ne(sig, digi_sig, len);
	ck_assert_int_eq(
		sig_rsa_verify(X509_get0_pubkey(gw), digi_hash, sizeof(digi_hash), sig, len), 0);
	X509_free(gw);
	EVP_PKEY_free(key);
}
END_TEST

START_TEST(test_key_load_errors)
{
	EVP_PKEY *k = NULL;
	static const uint8_t junk[] =
		"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";

	ck_assert_int_eq(pki_file_key(PKI("does-not-exist.key"), &k), -ENOENT);
	ck_assert_int_eq(pki_file_key(PKI("gw.pem"), &k), -EBADMSG);
	ck_assert_int_eq(sig_key_from_pem(junk, sizeof(junk) - 1, &k), -EBADMSG);
	ck_assert_ptr_null(k);
	ck_assert_uint_eq(sig_rsa_len(NULL), 0);
}
END_TEST

/* ---- certificates ------------------------------------------------------ */

struct chain_case {
	const char *name;
	const char *ca;
	const char *leaf;
	const char *intermediate; /* or NULL */
	time_t now;
	int ret;
	enum cert_verdict verdict;
};

static const struct chain_case chain_cases[] = {
	{ "gw", "ca.pem", "gw.pem", NULL, NOW_OK, 0, CERT_OK },
	{ "leaf2 via sub-ca", "ca.pem", "leaf2.pem", "sub-ca.pem", NOW_OK, 0, CERT_OK },
	{ "leaf2 without sub-ca", "ca.pem", "leaf2.pem", NULL, NOW_OK, -EACCES, CERT_UNTRUSTED },
	{ "rogue (other CA, same names)", "ca.pem", "rogue.pem", NULL, NOW_OK, -EACCES,
	  CERT_UNTRUSTED },
	{ "gw under the wrong CA", "other-ca.pem", "gw.pem", NULL, NOW_OK, -EACCES,
	  CERT_UNTRUSTED },
	{ "expired", "ca.pem", "expired.pem", NULL, NOW_OK, -EACCES, CERT_EXPIRED },
	{ "expired, checked in 2020", "ca.pem", "expired.pem", NULL, (time_t)1600000000, -EACCES,
	  CERT_NOT_YET /* the CA starts in 2025 */ },
	{ "gw not yet valid", "ca.pem", "gw.pem", NULL, NOW_EARLY, -EACCES, CERT_NOT_YET },
	{ "self-signed other CA as leaf", "ca.pem", "other-ca.pem", NULL, NOW_OK, -EACCES,
	  CERT_UNTRUSTED },
};

START_TEST(test_chain)
{
	const struct chain_case *c = &chain_cases[_i];
	char path[512];
	X509_STORE *store = NULL;
	X509 *leaf, *mid = NULL;
	STACK_OF(X509) *chain = NULL;
	enum cert_verdict verdict = CERT_OK;

	ck_assert_int_eq(cert_store_new(&store), 0);
	snprintf(path, sizeof(path), "%s/%s", CRYPTO_PKI_DIR, c->ca);
	ck_assert_int_eq(pki_file_store(store, path), 0);
	snprintf(path, sizeof(path), "%s/%s", CRYPTO_PKI_DIR, c->leaf);
	leaf = load_cert(path);
	if (c->intermediate != NULL) {
		snprintf(path, sizeof(path), "%s/%s", CRYPTO_PKI_DIR, c->intermediate);
		mid = load_cert(path);
		chain = sk_X509_new_null();
		ck_assert_ptr_nonnull(chain);
		ck_assert_int_gt(sk_X509_push(chain, mid), 0);
	}
	ck_assert_msg(cert_chain_verify(store, leaf, chain, c->now, &verdict) == c->ret,
		      "%s: wrong return", c->name);
	ck_assert_msg(verdict == c->verdict, "%s: verdict %s, want %s", c->name,
		      cert_verdict_name(verdict), cert_verdict_name(c->verdict));
	sk_X509_free(chain);
	X509_free(mid);
	X509_free(leaf);
	X509_STORE_free(store);
}
END_TEST

struct id_case {
	enum cert_id_type type;
	const char *text; /* FQDN / USER_FQDN */
	uint8_t addr[16];
	size_t addr_len;
	int ret;
};

static const struct id_case id_cases[] = {
	{ CERT_ID_IPV4_ADDR, NULL, { 192, 0, 2, 1 }, 4, 0 },
	{ CERT_ID_IPV4_ADDR, NULL, { 192, 0, 2, 2 }, 4, -EACCES },
	{ CERT_ID_IPV4_ADDR, NULL, { 192, 0, 2 }, 3, -EBADMSG },
	{ CERT_ID_IPV6_ADDR, NULL, { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, 16, 0 },
	{ CERT_ID_IPV6_ADDR, NULL, { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 }, 16, -EACCES },
	{ CERT_ID_IPV6_ADDR, NULL, { 192, 0, 2, 1 }, 4, -EBADMSG },
	{ CERT_ID_FQDN, "gw.example.org", { 0 }, 0, 0 },
	{ CERT_ID_FQDN, "GW.Example.ORG", { 0 }, 0, 0 },
	{ CERT_ID_FQDN, "example.org", { 0 }, 0, -EACCES },
	{ CERT_ID_FQDN, "gw.example.org.evil", { 0 }, 0, -EACCES },
	{ CERT_ID_FQDN,
	  "vpn@example.org",
	  { 0 },
	  0,
	  -EACCES }, /* an rfc822Name is not a DNS name */
	{ CERT_ID_USER_FQDN, "vpn@example.org", { 0 }, 0, 0 },
	{ CERT_ID_USER_FQDN, "VPN@EXAMPLE.org", { 0 }, 0, 0 },
	{ CERT_ID_USER_FQDN, "admin@example.org", { 0 }, 0, -EACCES },
	{ CERT_ID_USER_FQDN, "gw.example.org", { 0 }, 0, -EACCES },
	{ (enum cert_id_type)11, "keyid", { 0 }, 0, -ENOTSUP }, /* ID_KEY_ID */
};

START_TEST(test_id_match)
{
	const struct id_case *c = &id_cases[_i];
	X509 *gw = load_cert(PKI("gw.pem"));
	int ret;

	if (c->text != NULL)
		ret = cert_id_match(gw, c->type, (const uint8_t *)c->text, strlen(c->text));
	else
		ret = cert_id_match(gw, c->type, c->addr, c->addr_len);
	ck_assert_int_eq(ret, c->ret);
	X509_free(gw);
}
END_TEST

START_TEST(test_id_dn)
{
	X509 *gw = load_cert(PKI("gw.pem"));
	uint8_t der[512], bad[sizeof(gw_subject_der) + 1];
	size_t len = 0;

	/* DER of the subject for ID_DER_ASN1_DN, as python3-cryptography encodes it. */
	ck_assert_int_eq(cert_subject_der(gw, NULL, 0, &len), -ENOBUFS);
	ck_assert_uint_eq(len, sizeof(gw_subject_der));
	ck_assert_int_eq(cert_subject_der(gw, der, sizeof(der), &len), 0);
	ck_assert_mem_eq(der, gw_subject_der, len);

	ck_assert_int_eq(
		cert_id_match(gw, CERT_ID_DER_ASN1_DN, gw_subject_der, sizeof(gw_subject_der)), 0);
	ck_assert_int_eq(cert_id_match(gw, CERT_ID_DER_ASN1_DN, leaf2_subject_der,
				       sizeof(leaf2_subject_der)),
			 -EACCES);
	/* Truncated and trailing-garbage DNs are malformed, not mismatches. */
	ck_assert_int_eq(
		cert_id_match(gw, CERT_ID_DER_ASN1_DN, gw_subject_der, sizeof(gw_subject_der) - 1),
		-EBADMSG);
	memcpy(bad, gw_subject_der, sizeof(gw_subject_der));
	bad[sizeof(gw_subject_der)] = 0;
	ck_assert_int_eq(cert_id_match(gw, CERT_ID_DER_ASN1_DN, bad, sizeof(bad)), -EBADMSG);
	X509_free(gw);
}
END_TEST

START_TEST(test_cert_der)
{
	X509 *gw = load_cert(PKI("gw.pem")), *back = NULL;
	uint8_t der[4096], trail[sizeof(gw_cert_der) + 1];
	size_t len = 0;

	ck_assert_int_eq(cert_to_der(gw, der, 10, &len), -ENOBUFS);
	ck_assert_uint_eq(len, sizeof(gw_cert_der));
	ck_assert_int_eq(cert_to_der(gw, der, sizeof(der), &len), 0);
	ck_assert_mem_eq(der, gw_cert_der, len);
	ck_assert_int_eq(cert_from_der(gw_cert_der, sizeof(gw_cert_der), &back), 0);
	ck_assert_int_eq(X509_cmp(gw, back), 0);
	X509_free(back);
	back = NULL;
	memcpy(trail, gw_cert_der, sizeof(gw_cert_der));
	trail[sizeof(gw_cert_der)] = 0;
	ck_assert_int_eq(cert_from_der(trail, sizeof(trail), &back), -EBADMSG);
	ck_assert_int_eq(cert_from_der(gw_cert_der, sizeof(gw_cert_der) - 1, &back), -EBADMSG);
	ck_assert_ptr_null(back);
	X509_free(gw);
}
END_TEST

START_TEST(test_store_errors)
{
	X509_STORE *store = NULL;
	static const uint8_t junk[] = "not a certificate";

	ck_assert_int_eq(cert_store_new(&store), 0);
	ck_assert_int_eq(cert_store_add_pem(store, junk, sizeof(junk) - 1), -EBADMSG);
	ck_assert_int_eq(pki_file_store(store, PKI("nope.pem")), -ENOENT);
	X509_STORE_free(store);
}
END_TEST

static Suite *sig_suite(void)
{
	Suite *s = suite_create("crypto_sig");
	TCase *tc = tcase_create("rsa");

	tcase_add_loop_test(tc, test_sign_matches_python, 0,
			    sizeof(sig_vectors) / sizeof(sig_vectors[0]));
	tcase_add_loop_test(tc, test_verify, 0, sizeof(sig_vectors) / sizeof(sig_vectors[0]));
	tcase_add_test(tc, test_digestinfo_rejected);
	tcase_add_test(tc, test_key_load_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("x509");
	tcase_add_loop_test(tc, test_chain, 0, sizeof(chain_cases) / sizeof(chain_cases[0]));
	tcase_add_loop_test(tc, test_id_match, 0, sizeof(id_cases) / sizeof(id_cases[0]));
	tcase_add_test(tc, test_id_dn);
	tcase_add_test(tc, test_cert_der);
	tcase_add_test(tc, test_store_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sig_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
