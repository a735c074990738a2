// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * OCSP requests and responses (RFC 6960) with OpenSSL, no I/O: see ocsp.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "ike/crypto/ocsp.h"

int ocsp_uri(X509 *cert, char *out, size_t len)
{
	STACK_OF(OPENSSL_STRING) * uris;
	int ret = -ENOENT;

	if (!cert || !out || !len)
		return -EINVAL;
	uris = X509_get1_ocsp(cert);
	if (uris && sk_OPENSSL_STRING_num(uris) > 0) {
		const char *u = sk_OPENSSL_STRING_value(uris, 0);

		ret = strlen(u) < len ? 0 : -ENOBUFS;
		if (ret == 0)
			memcpy(out, u, strlen(u) + 1);
	}
	X509_email_free(uris);
	return ret;
}

int ocsp_request(X509 *cert, X509 *issuer, uint8_t *out, size_t out_size, size_t *out_len)
{
	OCSP_REQUEST *req = OCSP_REQUEST_new();
	OCSP_CERTID *id = OCSP_cert_to_id(NULL, cert, issuer);
	unsigned char *p = out;
	int need, ret = -EIO;

	if (!req || !id)
		goto out;
	if (!OCSP_request_add0_id(req, id))
		goto out;
	id = NULL; /* the request owns it */
	need = i2d_OCSP_REQUEST(req, NULL);
	if (need <= 0)
		goto out;
	*out_len = (size_t)need;
	if (!out || out_size < (size_t)need) {
		ret = -ENOBUFS;
		goto out;
	}
	ret = i2d_OCSP_REQUEST(req, &p) == need ? 0 : -EIO;
out:
	OCSP_CERTID_free(id);
	OCSP_REQUEST_free(req);
	return ret;
}

static int asn1_cmp_time(const ASN1_GENERALIZEDTIME *t, time_t now)
{
	/* -1: t before now, 0: equal, 1: t after now (-2 on error). */
	return ASN1_TIME_cmp_time_t(t, now);
}

enum ocsp_verdict ocsp_response_check(const uint8_t *der, size_t len, X509 *cert, X509 *issuer,
				      X509_STORE *store, STACK_OF(X509) * chain, time_t now,
				      time_t *until, char *why, size_t why_len)
{
	const unsigned char *p = der;
	OCSP_RESPONSE *resp = NULL;
	OCSP_BASICRESP *bs = NULL;
	OCSP_CERTID *id = NULL;
	STACK_OF(X509) *signers = NULL;
	ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
	int st, reason = -1, status;
	enum ocsp_verdict v = OCSP_V_ERROR;

	*until = now + 60;
	snprintf(why, why_len, "malformed OCSP response");
	if (!der || !len || len > INT32_MAX || !cert || !issuer || !store)
		return OCSP_V_ERROR;
	resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
	if (!resp || p != der + len)
		goto out;
	st = OCSP_response_status(resp);
	if (st != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		snprintf(why, why_len, "OCSP responder answered %s", OCSP_response_status_str(st));
		goto out;
	}
	bs = OCSP_response_get1_basic(resp);
	if (!bs)
		goto out;
	signers = chain ? sk_X509_dup(chain) : sk_X509_new_null();
	if (!signers || !sk_X509_push(signers, issuer))
		goto out;
	/* The signer is the issuer, or a responder it delegated (RFC 6960
	 * 4.2.2.2), chained up to the trust store. */
	if (OCSP_basic_verify(bs, signers, store, 0) <= 0) {
		snprintf(why, why_len, "OCSP response signature does not verify");
		goto out;
	}
	id = OCSP_cert_to_id(NULL, cert, issuer);
	if (!id || !OCSP_resp_find_status(bs, id, &status, &reason, &rev, &thisupd, &nextupd)) {
		snprintf(why, why_len, "OCSP response says nothing about the certificate");
		goto out;
	}
	/* Fresh: issued no later than 5 minutes from now, not past nextUpdate. */
	if (!thisupd || asn1_cmp_time(thisupd, now + 300) > 0 ||
	    (nextupd && asn1_cmp_time(nextupd, now) < 0)) {
		snprintf(why, why_len, "OCSP response is not current");
		goto out;
	}
	if (nextupd) {
		ASN1_TIME *t = ASN1_TIME_set(NULL, now);
		int days = 0, secs = 0;

		if (t && ASN1_TIME_diff(&days, &secs, t, nextupd) == 1)
			*until = now + (time_t)days * 86400 + secs;
		ASN1_TIME_free(t);
	} else {
		*until = now + 3600;
	}
	if (status == V_OCSP_CERTSTATUS_GOOD) {
		v = OCSP_V_GOOD;
		snprintf(why, why_len, "good");
	} else if (status == V_OCSP_CERTSTATUS_REVOKED) {
		struct tm tm;
		char when[32] = "?";

		if (rev && ASN1_TIME_to_tm(rev, &tm) == 1)
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
		v = OCSP_V_REVOKED;
		snprintf(why, why_len, "revoked on %s%s%s", when, reason >= 0 ? ", reason " : "",
			 reason >= 0 ? OCSP_crl_reason_str(reason) : "");
	} else {
		v = OCSP_V_UNKNOWN;
		snprintf(why, why_len, "status unknown to the OCSP responder");
	}
out:
	ERR_clear_error();
	OCSP_CERTID_free(id);
	sk_X509_free(signers);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(resp);
	return v;
}
