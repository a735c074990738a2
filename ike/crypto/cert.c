// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * X.509 for RSA signature authentication: parsing, chain verification with
 * an X509_STORE and a caller-supplied time, IKE identity matching.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ike/crypto/cert.h"

int cert_from_pem(const uint8_t *pem, size_t len, X509 **out)
{
	BIO *bio;

	if (pem == NULL || out == NULL || len == 0 || len > INT32_MAX)
		return -EINVAL;
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio == NULL)
		return -ENOMEM;
	*out = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return *out != NULL ? 0 : -EBADMSG;
}

int cert_from_der(const uint8_t *der, size_t len, X509 **out)
{
	const unsigned char *p = der;
	X509 *x;

	if (der == NULL || out == NULL || len == 0 || len > INT32_MAX)
		return -EINVAL;
	*out = NULL;
	x = d2i_X509(NULL, &p, (long)len);
	if (x == NULL)
		return -EBADMSG;
	/* The CERT payload holds exactly one certificate: no trailing bytes. */
	if (p != der + len) {
		X509_free(x);
		return -EBADMSG;
	}
	*out = x;
	return 0;
}

/* Common tail of the i2d_*() wrappers: size query, then encode. */
static int der_out(int need, uint8_t *out, size_t out_size, size_t *out_len, bool name,
		   const void *obj)
{
	unsigned char *p = out;
	int got;

	if (need <= 0)
		return -EIO;
	*out_len = (size_t)need;
	if (out == NULL || out_size < (size_t)need)
		return -ENOBUFS;
	got = name ? i2d_X509_NAME(obj, &p) : i2d_X509(obj, &p);
	return got == need ? 0 : -EIO;
}

int cert_to_der(X509 *cert, uint8_t *out, size_t out_size, size_t *out_len)
{
	if (cert == NULL || out_len == NULL)
		return -EINVAL;
	return der_out(i2d_X509(cert, NULL), out, out_size, out_len, false, cert);
}

int cert_subject_der(X509 *cert, uint8_t *out, size_t out_size, size_t *out_len)
{
	const X509_NAME *name;

	if (cert == NULL || out_len == NULL)
		return -EINVAL;
	name = X509_get_subject_name(cert);
	if (name == NULL)
		return -EIO;
	return der_out(i2d_X509_NAME(name, NULL), out, out_size, out_len, true, name);
}

int cert_store_new(X509_STORE **out)
{
	if (out == NULL)
		return -EINVAL;
	*out = X509_STORE_new();
	return *out != NULL ? 0 : -ENOMEM;
}

int cert_store_add_pem(X509_STORE *store, const uint8_t *pem, size_t len)
{
	BIO *bio;
	X509 *x;
	int added = 0, ret = 0;

	if (store == NULL || pem == NULL || len == 0 || len > INT32_MAX)
		return -EINVAL;
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio == NULL)
		return -ENOMEM;
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		/* X509_STORE_add_cert() takes its own reference. */
		if (X509_STORE_add_cert(store, x) != 1)
			ret = -EIO;
		else
			added++;
		X509_free(x);
	}
	BIO_free(bio);
	/* PEM_read_bio_X509 ends the loop with "no start line": not an error. */
	ERR_clear_error();
	if (ret < 0)
		return ret;
	return added > 0 ? 0 : -EBADMSG;
}

static enum cert_verdict verdict_from_x509(int err)
{
	switch (err) {
	case X509_V_OK:
		return CERT_OK;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return CERT_EXPIRED;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return CERT_NOT_YET;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
		return CERT_UNTRUSTED;
	default:
		return CERT_BAD;
	}
}

int cert_chain_verify(X509_STORE *store, X509 *leaf, STACK_OF(X509) * chain, time_t now,
		      enum cert_verdict *verdict)
{
	X509_STORE_CTX *ctx;
	int ret = -EIO;

	if (store == NULL || leaf == NULL || verdict == NULL)
		return -EINVAL;
	*verdict = CERT_BAD;
	ctx = X509_STORE_CTX_new();
	if (ctx == NULL)
		return -ENOMEM;
	if (X509_STORE_CTX_init(ctx, store, leaf, chain) != 1)
		goto out;
	/* Sans-I/O: the caller's clock, not time(NULL) inside OpenSSL. */
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), now);
	if (X509_verify_cert(ctx) == 1) {
		*verdict = CERT_OK;
		ret = 0;
	} else {
		*verdict = verdict_from_x509(X509_STORE_CTX_get_error(ctx));
		if (*verdict == CERT_OK)
			*verdict = CERT_BAD;
		ret = -EACCES;
	}
out:
	X509_STORE_CTX_free(ctx);
	return ret;
}

const char *cert_verdict_name(enum cert_verdict v)
{
	switch (v) {
	case CERT_OK:
		return "ok";
	case CERT_UNTRUSTED:
		return "untrusted";
	case CERT_EXPIRED:
		return "expired";
	case CERT_NOT_YET:
		return "not yet valid";
	case CERT_BAD:
		return "invalid";
	case CERT_REVOKED:
		return "revoked";
	case CERT_CRL_MISSING:
		return "no current CRL";
	case CERT_EKU:
		return "extended key usage excludes IKE";
	case CERT_CA_MISMATCH:
		return "not issued under the required CA";
	}
	return "unknown";
}

static bool asn1_eq(const ASN1_STRING *s, const uint8_t *data, size_t len, bool icase)
{
	const unsigned char *p = ASN1_STRING_get0_data(s);
	int n = ASN1_STRING_length(s);

	if (p == NULL || n < 0 || (size_t)n != len)
		return false;
	if (!icase)
		return memcmp(p, data, len) == 0;
	/* DNS names and mailboxes are ASCII (IA5String): compare without case. */
	for (size_t i = 0; i < len; i++) {
		unsigned char a = p[i], b = data[i];

		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

int cert_id_match(X509 *cert, enum cert_id_type type, const uint8_t *data, size_t len)
{
	GENERAL_NAMES *sans = NULL;
	X509_NAME *dn = NULL;
	int want, ret = -EACCES;

	if (cert == NULL || data == NULL || len == 0 || len > INT32_MAX)
		return -EINVAL;
	switch (type) {
	case CERT_ID_IPV4_ADDR:
		if (len != 4)
			return -EBADMSG;
		want = GEN_IPADD;
		break;
	case CERT_ID_IPV6_ADDR:
		if (len != 16)
			return -EBADMSG;
		want = GEN_IPADD;
		break;
	case CERT_ID_FQDN:
		want = GEN_DNS;
		break;
	case CERT_ID_USER_FQDN:
		want = GEN_EMAIL;
		break;
	case CERT_ID_DER_ASN1_DN: {
		const unsigned char *p = data;

		want = GEN_DIRNAME;
		dn = d2i_X509_NAME(NULL, &p, (long)len);
		if (dn == NULL || p != data + len) {
			X509_NAME_free(dn);
			return -EBADMSG;
		}
		if (X509_NAME_cmp(dn, X509_get_subject_name(cert)) == 0) {
			ret = 0;
			goto out;
		}
		break;
	}
	default:
		return -ENOTSUP;
	}
	/* Only subjectAltName entries: a CN is not an identity claim. */
	sans = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	for (int i = 0; sans != NULL && i < sk_GENERAL_NAME_num(sans); i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(sans, i);

		if (gn->type != want)
			continue;
		if ((want == GEN_IPADD && asn1_eq(gn->d.iPAddress, data, len, false)) ||
		    (want == GEN_DNS && asn1_eq(gn->d.dNSName, data, len, true)) ||
		    (want == GEN_EMAIL && asn1_eq(gn->d.rfc822Name, data, len, true)) ||
		    (want == GEN_DIRNAME && X509_NAME_cmp(gn->d.directoryName, dn) == 0)) {
			ret = 0;
			break;
		}
	}
out:
	GENERAL_NAMES_free(sans);
	X509_NAME_free(dn);
	return ret;
}

/* ---- chain check with CRLs, constraints and a named culprit ---- */

static void name_line(const X509_NAME *n, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	int got;

	buf[0] = '\0';
	if (!b)
		return;
	/* "O=example, CN=name", in the certificate's order (strongSwan's). */
	if (X509_NAME_print_ex(b, n, 0,
			       XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN |
				       (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB)) >= 0) {
		got = BIO_read(b, buf, (int)len - 1);
		buf[got > 0 ? got : 0] = '\0';
	}
	BIO_free(b);
}

static void time_line(const ASN1_TIME *t, char *buf, size_t len)
{
	struct tm tm;

	buf[0] = '\0';
	if (t && ASN1_TIME_to_tm(t, &tm) == 1)
		strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
	else
		snprintf(buf, len, "?");
}

static void serial_hex(X509 *cert, char *buf, size_t len)
{
	const ASN1_INTEGER *sn = X509_get0_serialNumber(cert);
	BIGNUM *bn = sn ? ASN1_INTEGER_to_BN(sn, NULL) : NULL;
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	snprintf(buf, len, "%s", hex ? hex : "?");
	OPENSSL_free(hex);
	BN_free(bn);
}

const char *cert_describe(X509 *cert, char *buf, size_t len)
{
	char subj[256] = "?", ser[64] = "?";

	if (len == 0)
		return buf;
	if (cert) {
		name_line(X509_get_subject_name(cert), subj, sizeof(subj));
		serial_hex(cert, ser, sizeof(ser));
	}
	snprintf(buf, len, "\"%s\" (serial %s)", subj, ser);
	return buf;
}

static void result_cert(struct cert_result *res, X509 *cert, int depth)
{
	res->depth = depth;
	res->subject[0] = res->serial[0] = '\0';
	if (!cert)
		return;
	name_line(X509_get_subject_name(cert), res->subject, sizeof(res->subject));
	serial_hex(cert, res->serial, sizeof(res->serial));
}

static void crl_line(const X509_CRL *crl, bool next_too, char *buf, size_t len)
{
	char iss[200], upd[40], next[40];

	if (!crl) {
		snprintf(buf, len, "no CRL");
		return;
	}
	name_line(X509_CRL_get_issuer(crl), iss, sizeof(iss));
	time_line(X509_CRL_get0_lastUpdate(crl), upd, sizeof(upd));
	time_line(X509_CRL_get0_nextUpdate(crl), next, sizeof(next));
	if (next_too)
		snprintf(buf, len, "CRL of %s, next update %s", iss, next);
	else
		snprintf(buf, len, "CRL of %s of %s", iss, upd);
}

struct check_state {
	const struct cert_policy *pol;
	struct cert_result *res;
	bool noted; /* res names the first real failure */
};

static int check_idx = -1;

/* A certificate names a CRL distribution point (strictcrlpolicy=ifuri). */
static bool has_cdp(X509 *cert)
{
	int crit = 0;
	STACK_OF(DIST_POINT) *dp = X509_get_ext_d2i(cert, NID_crl_distribution_points, &crit, NULL);
	bool yes = dp && sk_DIST_POINT_num(dp) > 0;

	sk_DIST_POINT_pop_free(dp, DIST_POINT_free);
	return yes;
}

static int check_cb(int ok, X509_STORE_CTX *ctx)
{
	struct check_state *st = X509_STORE_CTX_get_ex_data(ctx, check_idx);
	int err = X509_STORE_CTX_get_error(ctx);
	X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
	enum cert_verdict v;
	char crl[320];

	if (ok || !st)
		return ok;
	switch (err) {
	case X509_V_ERR_UNABLE_TO_GET_CRL:
	case X509_V_ERR_CRL_HAS_EXPIRED:
	case X509_V_ERR_CRL_NOT_YET_VALID:
		/* strictcrlpolicy=no, or ifuri without a distribution point:
		 * an unknown revocation status is accepted (strongSwan). */
		if (st->pol->crl == CERT_CRL_NO ||
		    (st->pol->crl == CERT_CRL_IFURI && cur && !has_cdp(cur)))
			return 1;
		/* A trust anchor is trusted as configured, CRL or not. */
		if (cur && X509_self_signed(cur, 0) == 1)
			return 1;
		v = CERT_CRL_MISSING;
		break;
	case X509_V_ERR_CERT_REVOKED:
		v = CERT_REVOKED;
		break;
	default:
		v = verdict_from_x509(err);
		if (v == CERT_OK)
			v = CERT_BAD;
		break;
	}
	if (!st->noted) {
		st->noted = true;
		st->res->verdict = v;
		result_cert(st->res, cur, X509_STORE_CTX_get_error_depth(ctx));
		if (v == CERT_REVOKED || v == CERT_CRL_MISSING) {
			crl_line(X509_STORE_CTX_get0_current_crl(ctx), v != CERT_REVOKED, crl,
				 sizeof(crl));
			snprintf(st->res->detail, sizeof(st->res->detail), "%s (%s)",
				 v == CERT_REVOKED ? "revoked" : X509_verify_cert_error_string(err),
				 crl);
		} else if (v == CERT_EXPIRED || v == CERT_NOT_YET) {
			char t[40];

			time_line(v == CERT_EXPIRED ? X509_get0_notAfter(cur)
						    : X509_get0_notBefore(cur),
				  t, sizeof(t));
			snprintf(st->res->detail, sizeof(st->res->detail), "%s (%s %s)",
				 cert_verdict_name(v), v == CERT_EXPIRED ? "since" : "until", t);
		} else {
			snprintf(st->res->detail, sizeof(st->res->detail), "%s: %s",
				 cert_verdict_name(v), X509_verify_cert_error_string(err));
		}
	}
	return 0;
}

/* RFC 4945 5.1.3.12: no extendedKeyUsage, or one that allows IKE. */
static bool eku_allows_ike(X509 *leaf)
{
	static const char *const ok[] = {
		"1.3.6.1.5.5.7.3.1",  /* serverAuth */
		"1.3.6.1.5.5.7.3.2",  /* clientAuth */
		"1.3.6.1.5.5.7.3.5",  /* ipsecEndSystem */
		"1.3.6.1.5.5.7.3.6",  /* ipsecTunnel */
		"1.3.6.1.5.5.7.3.7",  /* ipsecUser */
		"1.3.6.1.5.5.7.3.17", /* id-kp-ipsecIKE */
		"2.5.29.37.0",	      /* anyExtendedKeyUsage */
	};
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(leaf, NID_ext_key_usage, NULL, NULL);
	bool allowed = eku == NULL;

	for (int i = 0; eku && !allowed && i < sk_ASN1_OBJECT_num(eku); i++) {
		char oid[64];

		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1);
		for (size_t j = 0; j < sizeof(ok) / sizeof(ok[0]); j++)
			if (strcmp(oid, ok[j]) == 0)
				allowed = true;
	}
	EXTENDED_KEY_USAGE_free(eku);
	return allowed;
}

bool cert_chain_has_dn(X509 *cert, STACK_OF(X509) * chain, const uint8_t *der, size_t len)
{
	const unsigned char *p = der;
	X509_NAME *want = d2i_X509_NAME(NULL, &p, (long)len);
	bool found = false;

	if (!want)
		return false;
	if (cert && X509_NAME_cmp(X509_get_subject_name(cert), want) == 0)
		found = true;
	for (int i = 0; chain && !found && i < sk_X509_num(chain); i++)
		if (X509_NAME_cmp(X509_get_subject_name(sk_X509_value(chain, i)), want) == 0)
			found = true;
	X509_NAME_free(want);
	return found;
}

int cert_chain_check(X509_STORE *store, X509 *leaf, STACK_OF(X509) * chain, time_t now,
		     const struct cert_policy *pol, struct cert_result *res)
{
	static const struct cert_policy none = { 0 };
	struct check_state st;
	X509_STORE_CTX *ctx;
	int ret = -EIO;

	if (store == NULL || leaf == NULL || res == NULL)
		return -EINVAL;
	if (!pol)
		pol = &none;
	memset(res, 0, sizeof(*res));
	res->verdict = CERT_BAD;
	st.pol = pol;
	st.res = res;
	st.noted = false;
	if (check_idx < 0) {
		check_idx = X509_STORE_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
		if (check_idx < 0)
			return -ENOMEM;
	}
	ctx = X509_STORE_CTX_new();
	if (ctx == NULL)
		return -ENOMEM;
	if (X509_STORE_CTX_init(ctx, store, leaf, chain) != 1 ||
	    X509_STORE_CTX_set_ex_data(ctx, check_idx, &st) != 1)
		goto out;
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), now);
	/* Every authentication consults the CRLs the store holds. */
	X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx),
				    X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
	X509_STORE_CTX_set_verify_cb(ctx, check_cb);
	if (X509_verify_cert(ctx) != 1) {
		if (!st.noted) {
			int err = X509_STORE_CTX_get_error(ctx);

			res->verdict = verdict_from_x509(err);
			if (res->verdict == CERT_OK)
				res->verdict = CERT_BAD;
			result_cert(res, X509_STORE_CTX_get_current_cert(ctx),
				    X509_STORE_CTX_get_error_depth(ctx));
			snprintf(res->detail, sizeof(res->detail), "%s: %s",
				 cert_verdict_name(res->verdict),
				 X509_verify_cert_error_string(err));
		}
		ret = -EACCES;
		goto out;
	}
	if (pol->eku && !eku_allows_ike(leaf)) {
		res->verdict = CERT_EKU;
		result_cert(res, leaf, 0);
		snprintf(res->detail, sizeof(res->detail),
			 "extended key usage has none of serverAuth, clientAuth, ipsecIKE");
		ret = -EACCES;
		goto out;
	}
	if (pol->ca_der && pol->ca_der_len) {
		STACK_OF(X509) *built = X509_STORE_CTX_get1_chain(ctx);
		bool ok = built && cert_chain_has_dn(NULL, built, pol->ca_der, pol->ca_der_len);

		/* The leaf itself does not count: it is issued, not issuing. */
		if (ok && sk_X509_num(built) > 0) {
			const unsigned char *p = pol->ca_der;
			X509_NAME *want = d2i_X509_NAME(NULL, &p, (long)pol->ca_der_len);

			ok = false;
			for (int i = 1; want && i < sk_X509_num(built); i++)
				if (X509_NAME_cmp(X509_get_subject_name(sk_X509_value(built, i)),
						  want) == 0)
					ok = true;
			X509_NAME_free(want);
		}
		sk_X509_pop_free(built, X509_free);
		if (!ok) {
			const unsigned char *p = pol->ca_der;
			X509_NAME *want = d2i_X509_NAME(NULL, &p, (long)pol->ca_der_len);
			char dn[200] = "?";

			if (want)
				name_line(want, dn, sizeof(dn));
			X509_NAME_free(want);
			res->verdict = CERT_CA_MISMATCH;
			result_cert(res, leaf, 0);
			snprintf(res->detail, sizeof(res->detail),
				 "its chain does not pass through rightca \"%s\"", dn);
			ret = -EACCES;
			goto out;
		}
	}
	res->verdict = CERT_OK;
	result_cert(res, leaf, 0);
	if (pol->keep_chain)
		res->built = X509_STORE_CTX_get1_chain(ctx);
	ret = 0;
out:
	X509_STORE_CTX_free(ctx);
	return ret;
}

int cert_store_add_crls(X509_STORE *store, const uint8_t *buf, size_t len)
{
	int added = 0;
	BIO *bio;
	X509_CRL *crl;

	if (store == NULL || buf == NULL || len == 0 || len > INT32_MAX)
		return -EINVAL;
	bio = BIO_new_mem_buf(buf, (int)len);
	if (bio == NULL)
		return -ENOMEM;
	while ((crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
		if (X509_STORE_add_crl(store, crl) == 1)
			added++;
		X509_CRL_free(crl);
	}
	BIO_free(bio);
	ERR_clear_error();
	if (added == 0) {
		const unsigned char *p = buf;

		crl = d2i_X509_CRL(NULL, &p, (long)len);
		if (crl && X509_STORE_add_crl(store, crl) == 1)
			added++;
		X509_CRL_free(crl);
		ERR_clear_error();
	}
	return added > 0 ? added : -EBADMSG;
}

int cert_chain_from_pem(const uint8_t *buf, size_t len, STACK_OF(X509) * *out)
{
	STACK_OF(X509) * sk;
	BIO *bio;
	X509 *x;

	if (buf == NULL || out == NULL || len > (size_t)INT_MAX)
		return -EINVAL;
	*out = NULL;
	sk = sk_X509_new_null();
	if (!sk)
		return -ENOMEM;
	bio = BIO_new_mem_buf(buf, (int)len);
	if (!bio) {
		sk_X509_free(sk);
		return -ENOMEM;
	}
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL)
		if (!sk_X509_push(sk, x))
			X509_free(x);
	BIO_free(bio);
	ERR_clear_error();
	if (sk_X509_num(sk) == 0) {
		sk_X509_free(sk);
		return -EBADMSG;
	}
	*out = sk;
	return 0;
}

int cert_dn_from_text(const char *text, uint8_t *out, size_t out_size, size_t *out_len)
{
	X509_NAME *n = X509_NAME_new();
	char buf[512], *p, *tok;
	char sep = ',';
	int need, ret = -EINVAL;
	unsigned char *o = out;

	if (!n)
		return -ENOMEM;
	if (!text || strlen(text) >= sizeof(buf))
		goto out;
	snprintf(buf, sizeof(buf), "%s", text);
	p = buf;
	while (*p == ' ')
		p++;
	if (*p == '/') {
		sep = '/';
		p++;
	}
	while (p && *p) {
		char *eq, *end = strchr(p, sep);

		if (end)
			*end = '\0';
		tok = p;
		p = end ? end + 1 : NULL;
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		eq = strchr(tok, '=');
		if (!eq || eq == tok)
			goto out;
		*eq = '\0';
		for (char *t = eq - 1; t > tok && *t == ' '; t--)
			*t = '\0';
		eq++;
		while (*eq == ' ')
			eq++;
		for (size_t l = strlen(eq); l && eq[l - 1] == ' '; l--)
			eq[l - 1] = '\0';
		if (!X509_NAME_add_entry_by_txt(n, tok, MBSTRING_UTF8, (const unsigned char *)eq,
						-1, -1, 0)) {
			ERR_clear_error();
			goto out;
		}
	}
	if (X509_NAME_entry_count(n) == 0)
		goto out;
	need = i2d_X509_NAME(n, NULL);
	if (need <= 0) {
		ret = -EIO;
		goto out;
	}
	*out_len = (size_t)need;
	if (!out || out_size < (size_t)need) {
		ret = -ENOBUFS;
		goto out;
	}
	ret = i2d_X509_NAME(n, &o) == need ? 0 : -EIO;
out:
	X509_NAME_free(n);
	return ret;
}

unsigned cert_store_ca_names(X509_STORE *store, unsigned max,
			     void (*fn)(void *arg, const uint8_t *der, size_t len), void *arg)
{
	STACK_OF(X509_OBJECT) * objs;
	unsigned n = 0;

	if (!store || !fn)
		return 0;
	objs = X509_STORE_get0_objects(store);
	for (int i = 0; objs && n < max && i < sk_X509_OBJECT_num(objs); i++) {
		X509 *x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i));
		uint8_t der[512];
		size_t len;

		if (!x || X509_check_ca(x) == 0)
			continue;
		if (cert_subject_der(x, der, sizeof(der), &len) < 0)
			continue;
		fn(arg, der, len);
		n++;
	}
	return n;
}
