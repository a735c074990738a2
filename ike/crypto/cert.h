/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * X.509 certificates for RSA signature authentication: loading, chain
 * verification against trusted CAs, and matching an IKE identity against
 * the certificate subject / subjectAltName.
 *
 * Certificates are OpenSSL X509 objects owned by the caller (X509_free()).
 * Verification takes the current time as an argument (sans-I/O: no clock).
 * Return 0 or a negative errno (see crypto.h).
 */
#ifndef NATKEYD_IKE_CERT_H
#define NATKEYD_IKE_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

/*
 * IKE identification types (RFC 2407 4.6.2.1). The values are those of the
 * ID payload, so the codec's ID type converts by value.
 */
enum cert_id_type {
	CERT_ID_IPV4_ADDR = 1,
	CERT_ID_FQDN = 2,
	CERT_ID_USER_FQDN = 3,
	CERT_ID_IPV6_ADDR = 5,
	CERT_ID_DER_ASN1_DN = 9,
};

/* Why a certificate was rejected (cert_chain_verify()). */
enum cert_verdict {
	CERT_OK = 0,
	CERT_UNTRUSTED,	  /* no chain to a trusted CA, bad signature in chain */
	CERT_EXPIRED,	  /* a certificate in the chain is expired */
	CERT_NOT_YET,	  /* a certificate in the chain is not yet valid */
	CERT_BAD,	  /* other verification failure */
	CERT_REVOKED,	  /* listed in its issuer's CRL */
	CERT_CRL_MISSING, /* strictcrlpolicy: no current CRL for an issuer */
	CERT_EKU,	  /* the leaf's extendedKeyUsage excludes IKE */
	CERT_CA_MISMATCH, /* the chain does not pass through rightca= */
};

/**
 * cert_from_pem() - parse one PEM certificate from memory.
 * Return: 0, -EBADMSG if it does not parse, -ENOMEM.
 */
int cert_from_pem(const uint8_t *pem, size_t len, X509 **out);

/**
 * cert_from_der() - parse a DER certificate (CERT payload data, encoding 4
 * "X.509 Certificate - Signature", RFC 2408 3.9).
 * Return: 0 or -EBADMSG (also when trailing bytes follow the certificate).
 */
int cert_from_der(const uint8_t *der, size_t len, X509 **out);

/**
 * cert_to_der() - DER encoding of @cert for a CERT payload.
 * @out:      output buffer (may be NULL with @out_size 0 to ask the length).
 * @out_size: its size.
 * @out_len:  receives the DER length.
 * Return: 0, -ENOBUFS if @out is too small (with @out_len set), -EIO.
 */
int cert_to_der(X509 *cert, uint8_t *out, size_t out_size, size_t *out_len);

/**
 * cert_subject_der() - DER of the certificate's subject Name, the body of
 * an ID_DER_ASN1_DN identification payload.
 * Parameters and return as cert_to_der().
 */
int cert_subject_der(X509 *cert, uint8_t *out, size_t out_size, size_t *out_len);

/**
 * cert_store_new() - an empty trust store (X509_STORE); free with
 * X509_STORE_free().
 * Return: 0 or -ENOMEM.
 */
int cert_store_new(X509_STORE **out);

/**
 * cert_store_add_pem() - add every certificate in a PEM buffer as a trusted
 * CA to @store.
 * Return: 0 if at least one certificate was added, -EBADMSG otherwise.
 */
int cert_store_add_pem(X509_STORE *store, const uint8_t *pem, size_t len);

/**
 * cert_chain_verify() - verify @leaf up to a trusted CA of @store.
 * @store:  trusted CAs.
 * @leaf:   the peer's end-entity certificate.
 * @chain:  untrusted intermediates sent by the peer (may be NULL).
 * @now:    the time to check validity against (caller's clock).
 * @verdict: receives the classification (CERT_OK on success).
 *
 * Return: 0 if the chain verifies, -EACCES if it does not (see @verdict),
 * -ENOMEM / -EIO on internal failure.
 */
int cert_chain_verify(X509_STORE *store, X509 *leaf, STACK_OF(X509) * chain, time_t now,
		      enum cert_verdict *verdict);

/**
 * cert_verdict_name() - printable name of a verdict, for logs.
 */
const char *cert_verdict_name(enum cert_verdict v);

/**
 * cert_id_match() - whether an IKE identity names the certificate holder.
 * @cert: the peer's (verified) certificate.
 * @type: ID type of the ID payload.
 * @data: ID payload identification data (after the 4-byte type/proto/port).
 * @len:  its length.
 *
 * IPV4/IPV6: a subjectAltName iPAddress equal to @data (4 / 16 bytes).
 * FQDN: a subjectAltName dNSName equal ignoring ASCII case.
 * USER_FQDN: a subjectAltName rfc822Name equal ignoring ASCII case.
 * DER_ASN1_DN: @data decodes as a Name equal to the subject (X509_NAME_cmp)
 * or to a subjectAltName directoryName.
 *
 * Return: 0 on match, -EACCES on mismatch, -EBADMSG for malformed @data,
 * -ENOTSUP for other ID types.
 */
int cert_id_match(X509 *cert, enum cert_id_type type, const uint8_t *data, size_t len);

/* strictcrlpolicy= (strongSwan's meaning). */
enum cert_crl_policy {
	CERT_CRL_NO = 0, /* a missing or expired CRL is not an error (default) */
	CERT_CRL_YES,	 /* every CA in the chain needs a current CRL */
	CERT_CRL_IFURI,	 /* as yes for certificates naming a CRL distribution point */
};

/* What cert_chain_check() enforces beyond the chain itself. */
struct cert_policy {
	enum cert_crl_policy crl; /* how to treat missing/expired CRLs */
	const uint8_t *ca_der;	  /* rightca=: DER Name the chain must pass through (NULL = any) */
	size_t ca_der_len;
	bool eku;	 /* refuse a leaf whose extendedKeyUsage excludes IKE */
	bool keep_chain; /* return the verified chain in cert_result.built */
};

/* The outcome of cert_chain_check(), with what a log line needs. */
struct cert_result {
	enum cert_verdict verdict;
	int depth;		/* the failing certificate: 0 = leaf, 1 = its issuer, ... */
	char subject[256];	/* its subject, one line (RFC 2253) */
	char serial[64];	/* its serial, hex */
	char detail[384];	/* why, e.g. "revoked (CRL of CN=..., issued ...)" */
	STACK_OF(X509) * built; /* keep_chain and success: leaf first, the caller frees
				 * (sk_X509_pop_free(built, X509_free)) */
};

/**
 * cert_chain_check() - cert_chain_verify() with CRLs (those in @store, see
 * cert_store_add_crls()), the @pol constraints and a result naming the
 * failing certificate.
 * Return: 0 if the chain verifies, -EACCES if not (see @res), -ENOMEM/-EIO.
 */
int cert_chain_check(X509_STORE *store, X509 *leaf, STACK_OF(X509) * chain, time_t now,
		     const struct cert_policy *pol, struct cert_result *res);

/**
 * cert_store_add_crls() - add every CRL in a PEM or DER buffer to @store.
 * Return: the number added (> 0), -EBADMSG if none parses.
 */
int cert_store_add_crls(X509_STORE *store, const uint8_t *buf, size_t len);

/**
 * cert_chain_from_pem() - every certificate of the PEM text @buf, in order
 * (a leftcert= file with its chain). Free with sk_X509_pop_free(*out,
 * X509_free). ike/crypto reads no files: the caller reads them (the daemon
 * with conf_file_load()).
 * Return: 0 with at least one certificate, -EINVAL, -ENOMEM, -EBADMSG.
 */
int cert_chain_from_pem(const uint8_t *buf, size_t len, STACK_OF(X509) * *out);

/**
 * cert_dn_from_text() - DER of a Name written as in ipsec.conf
 * ("C=CH, O=strongSwan, CN=ca" or "/C=CH/O=strongSwan/CN=ca").
 * Return: 0, -EINVAL for text that is not a DN, -ENOBUFS.
 */
int cert_dn_from_text(const char *text, uint8_t *out, size_t out_size, size_t *out_len);

/**
 * cert_chain_has_dn() - whether @cert or one of @chain has subject @der.
 */
bool cert_chain_has_dn(X509 *cert, STACK_OF(X509) * chain, const uint8_t *der, size_t len);

/**
 * cert_describe() - "\"subject\" (serial HEX)" of @cert in @buf, for logs.
 */
const char *cert_describe(X509 *cert, char *buf, size_t len);

/**
 * cert_store_ca_names() - DER subjects of the CA certificates of @store
 * (CERTREQ payloads, RFC 2408 3.10), calling @fn for each, at most @max.
 * Return: the number reported.
 */
unsigned cert_store_ca_names(X509_STORE *store, unsigned max,
			     void (*fn)(void *arg, const uint8_t *der, size_t len), void *arg);

#endif /* NATKEYD_IKE_CERT_H */
