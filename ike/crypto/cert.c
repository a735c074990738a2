// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * X.509 for RSA signature authentication: parsing, chain verification with
 * an X509_STORE and a caller-supplied time, IKE identity matching.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ike/crypto/cert.h"
#include "ike/crypto/crypto_file.h"

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

static int cert_parse(const uint8_t *buf, size_t len, void *out)
{
	return cert_from_pem(buf, len, out);
}

int cert_load_pem(const char *path, X509 **out)
{
	return crypto_file_load(path, cert_parse, out);
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

static int store_parse(const uint8_t *buf, size_t len, void *store)
{
	return cert_store_add_pem(store, buf, len);
}

int cert_store_load_pem(X509_STORE *store, const char *path)
{
	if (store == NULL)
		return -EINVAL;
	return crypto_file_load(path, store_parse, store);
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
