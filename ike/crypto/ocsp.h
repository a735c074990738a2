/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OCSP (RFC 6960) for the peer's certificate, without I/O: the engine builds
 * the request and checks the response; the daemon only carries the bytes to
 * the responder over HTTP and back (tools/natkeyd/natkeyd_ocsp.c).
 * Return 0 or a negative errno.
 */
#ifndef NATKEYD_IKE_OCSP_H
#define NATKEYD_IKE_OCSP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

#define OCSP_REQ_MAX 256 /* a one-certificate request without extensions */

enum ocsp_verdict {
	OCSP_V_GOOD = 0,
	OCSP_V_REVOKED,
	OCSP_V_UNKNOWN, /* the responder does not know the certificate */
	OCSP_V_ERROR,	/* no usable answer: malformed, unsigned, stale, error status */
};

/**
 * ocsp_uri() - the first OCSP responder URL of @cert's Authority
 * Information Access extension.
 * Return: 0 with @out set, -ENOENT if there is none, -ENOBUFS.
 */
int ocsp_uri(X509 *cert, char *out, size_t len);

/**
 * ocsp_request() - DER OCSPRequest for @cert issued by @issuer (SHA-1
 * CertID, no nonce: responses can be cached and shared).
 * Return: 0, -ENOBUFS if @out_size is too small, -EIO.
 */
int ocsp_request(X509 *cert, X509 *issuer, uint8_t *out, size_t out_size, size_t *out_len);

/**
 * ocsp_response_check() - what a DER OCSPResponse says about @cert.
 * @store: trust anchors; the response must be signed by @issuer or by a
 *         responder certificate @issuer delegated (id-kp-OCSPSigning).
 * @chain: untrusted certificates to build the signer's chain (may be NULL).
 * @now:   the caller's wall clock: thisUpdate <= now (+5 min) and
 *         now <= nextUpdate (when present).
 * @until: receives how long the answer may be cached (nextUpdate, or
 *         @now + 1 h without one).
 * @why:   one line for a log on anything but GOOD.
 * Return: the verdict.
 */
enum ocsp_verdict ocsp_response_check(const uint8_t *der, size_t len, X509 *cert, X509 *issuer,
				      X509_STORE *store, STACK_OF(X509) * chain, time_t now,
				      time_t *until, char *why, size_t why_len);

#endif /* NATKEYD_IKE_OCSP_H */
