// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loading certificates and keys for the engine. Every failure names the
 * connection and the file, so the admin reads one line and knows what to fix.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ike/conf/conf.h"
#include "ike/crypto/cert.h"
#include "ike/crypto/sig.h"
#include "tools/natkeyd/natkeyd_cred.h"

/* Files are read with libconf's one reader (wiped after the parse);
 * ike/crypto parses bytes and reads no files. */
static int cert_chain_parse(const uint8_t *buf, size_t len, void *out)
{
	return cert_chain_from_pem(buf, len, out);
}

static int key_parse(const uint8_t *buf, size_t len, void *out)
{
	return sig_key_from_pem(buf, len, out);
}

static int store_parse(const uint8_t *buf, size_t len, void *store)
{
	return cert_store_add_pem(store, buf, len);
}

static int crl_parse(const uint8_t *buf, size_t len, void *store)
{
	return cert_store_add_crls(store, buf, len);
}

void nkd_creds_free(struct ike_conn_cfg *o)
{
	EVP_PKEY_free(o->key);
	X509_free(o->cert);
	for (int i = 0; i < IKE_CERT_CHAIN_MAX; i++) {
		X509_free(o->cert_chain[i]);
		o->cert_chain[i] = NULL;
	}
	X509_STORE_free(o->ca);
	o->key = NULL;
	o->cert = NULL;
	o->ca = NULL;
}

/* The CRL folder next to the CA folder: /etc/ipsec.d/crls. */
static void crl_dir(const char *cacerts, char *out, size_t len)
{
	const char *slash = strrchr(cacerts, '/');
	size_t n = slash ? (size_t)(slash - cacerts) : 0;

	while (n > 1 && cacerts[n - 1] == '/')
		n--;
	if (slash && !slash[1]) { /* "/etc/ipsec.d/cacerts/": one more level */
		const char *p = cacerts + n;

		while (p > cacerts && p[-1] != '/')
			p--;
		n = p > cacerts ? (size_t)(p - cacerts - 1) : 0;
	}
	snprintf(out, len, "%.*s/crls", (int)n, n ? cacerts : ".");
}

/* Every file of @dir holding CRLs (PEM or DER) into @store. */
static unsigned crl_dir_load(const char *dir, X509_STORE *store)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	unsigned n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[1400];
		int r;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		r = conf_file_load(path, crl_parse, store);
		if (r > 0)
			n += (unsigned)r;
	}
	closedir(d);
	return n;
}

/* Our intermediates: the rest of the leftcert= file, or else the CA
 * certificates of @store that issued it, up to (not including) a root. */
static void chain_fill(struct ike_conn_cfg *o, STACK_OF(X509) * file, X509_STORE *store)
{
	int n = 0;

	for (int i = 1; i < sk_X509_num(file) && n < IKE_CERT_CHAIN_MAX; i++) {
		X509 *x = sk_X509_value(file, i);

		X509_up_ref(x);
		o->cert_chain[n++] = x;
	}
	if (n > 0)
		return;
	STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(store);
	X509 *cur = o->cert;

	while (n < IKE_CERT_CHAIN_MAX) {
		X509 *issuer = NULL;

		for (int i = 0; objs && i < sk_X509_OBJECT_num(objs); i++) {
			X509 *x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i));

			if (x && x != cur && X509_check_issued(x, cur) == X509_V_OK) {
				issuer = x;
				break;
			}
		}
		/* A self-signed issuer is a root: the peer has it or not. */
		if (!issuer || X509_check_issued(issuer, issuer) == X509_V_OK)
			break;
		X509_up_ref(issuer);
		o->cert_chain[n++] = issuer;
		cur = issuer;
	}
}

static int ca_dir_load(const char *dir, X509_STORE *store, unsigned *n)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	*n = 0;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[1024];
		size_t l = strlen(de->d_name);

		if (l < 5 ||
		    (strcmp(de->d_name + l - 4, ".pem") && strcmp(de->d_name + l - 4, ".crt")))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (conf_file_load(path, store_parse, store) == 0)
			(*n)++;
	}
	closedir(d);
	return 0;
}

/* leftca=: our certificate's chain (the intermediates we send, or our CA
 * store) passes through that CA. */
static bool leftca_ok(const struct ike_conn_cfg *o, const uint8_t *dn, size_t len)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(o->ca);
	X509 *cur = o->cert;
	bool ok = false;

	if (!sk)
		return false;
	for (int i = 0; i < IKE_CERT_CHAIN_MAX; i++)
		if (o->cert_chain[i])
			sk_X509_push(sk, o->cert_chain[i]);
	/* The issuer of the last certificate we have (a root in the store). */
	if (sk_X509_num(sk) > 0)
		cur = sk_X509_value(sk, sk_X509_num(sk) - 1);
	for (int i = 0; objs && i < sk_X509_OBJECT_num(objs); i++) {
		X509 *x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i));

		if (x && X509_check_issued(x, cur) == X509_V_OK)
			sk_X509_push(sk, x);
	}
	ok = cert_chain_has_dn(NULL, sk, dn, len);
	sk_X509_free(sk);
	return ok;
}

int nkd_creds_load(const struct conf_conn *c, const struct conf_secrets *secrets,
		   const char *cacerts, struct ike_conn_cfg *o, char *err, size_t err_len)
{
	STACK_OF(X509) *file = NULL;
	unsigned n_ca = 0;
	char crls[1100];
	bool hybrid_client;
	int rc;

	if (c->authby != CONF_AUTHBY_RSASIG)
		return 0;
	/* A hybrid RSA client (hybrid-auth-05) signs nothing: no leftcert,
	 * no key; it only verifies the gateway's certificate. */
	hybrid_client = c->hybrid && conf_conn_xauth_role(c) == CONF_ROLE_CLIENT;
	if (hybrid_client)
		goto cas;
	if (!c->left.cert[0]) {
		snprintf(err, err_len, "conn %s: authby=rsasig needs leftcert=", c->name);
		return -EINVAL;
	}
	rc = conf_file_load(c->left.cert, cert_chain_parse, &file);
	if (rc == 0) {
		o->cert = sk_X509_value(file, 0);
		X509_up_ref(o->cert);
	}
	if (rc < 0) {
		snprintf(err, err_len, "conn %s: leftcert %s cannot be loaded: %s", c->name,
			 c->left.cert, strerror(-rc));
		goto fail;
	}
	/* The private key: the `: RSA FILE` entry whose key matches leftcert. */
	for (size_t i = 0; secrets && i < secrets->n && !o->key; i++) {
		const struct conf_secret *s = &secrets->v[i];
		EVP_PKEY *k = NULL;

		if (s->type != CONF_SECRET_RSA || conf_file_load(s->path, key_parse, &k) < 0)
			continue;
		if (X509_check_private_key(o->cert, k) == 1 && sig_auth_method(k))
			o->key = k;
		else
			EVP_PKEY_free(k);
	}
	if (!o->key) {
		snprintf(err, err_len,
			 "conn %s: no private key in %s matches leftcert %s (add \": RSA "
			 "/path/to/key.pem\", or \": ECDSA ...\" for a P-256/384/521 key)",
			 c->name, secrets ? secrets->file : "ipsec.secrets", c->left.cert);
		rc = -ENOENT;
		goto fail;
	}
cas:
	rc = cert_store_new(&o->ca);
	if (rc == 0)
		rc = ca_dir_load(cacerts, o->ca, &n_ca);
	if (rc < 0 || n_ca == 0) {
		snprintf(err, err_len,
			 "conn %s: no CA certificate in %s to verify the peer's certificate%s%s",
			 c->name, cacerts, rc < 0 ? ": " : "", rc < 0 ? strerror(-rc) : "");
		rc = rc < 0 ? rc : -ENOENT;
		goto fail;
	}
	/* RFC 4754: an ECDSA key negotiates its own Authentication Method;
	 * hybrid RSA is HybridInitRSA, an RSA method (the gateway's key). */
	o->auth = hybrid_client ? IKE_AUTH_RSA_SIG : (enum ike_auth_method)sig_auth_method(o->key);
	if (!hybrid_client)
		chain_fill(o, file, o->ca);
	crl_dir(cacerts, crls, sizeof(crls));
	/* Checked on every authentication (the engine's chain check);
	 * re-read with the configuration (natkeyctl reload). */
	crl_dir_load(crls, o->ca);
	o->crl_policy = (uint8_t)c->crlpolicy;
	o->sendcert = c->sendcert == CONF_SENDCERT_IFASKED ? IKE_SENDCERT_IFASKED
		      : c->sendcert == CONF_SENDCERT_NEVER ? IKE_SENDCERT_NEVER
							   : IKE_SENDCERT_ALWAYS;
	o->certreq_names = true;
	snprintf(o->ocsp_uri, sizeof(o->ocsp_uri), "%s", c->ocspuri);
	if (c->right.ca[0] && strcmp(c->right.ca, "%same")) {
		rc = cert_dn_from_text(c->right.ca, o->rightca, sizeof(o->rightca),
				       &o->rightca_len);
		if (rc < 0) {
			snprintf(err, err_len,
				 "conn %s: rightca \"%s\" is not a DN natkeyd can use", c->name,
				 c->right.ca);
			goto fail;
		}
	}
	if (!hybrid_client && c->left.ca[0] && strcmp(c->left.ca, "%same")) {
		uint8_t dn[IKE_CA_DN_MAX];
		size_t dn_len;

		rc = cert_dn_from_text(c->left.ca, dn, sizeof(dn), &dn_len);
		if (rc < 0 || !leftca_ok(o, dn, dn_len)) {
			snprintf(err, err_len,
				 "conn %s: leftcert %s is not issued under leftca \"%s\"", c->name,
				 c->left.cert, c->left.ca);
			rc = -EINVAL;
			goto fail;
		}
	}
	if (c->right.ca[0] && !strcmp(c->right.ca, "%same") && c->left.ca[0] &&
	    strcmp(c->left.ca, "%same"))
		cert_dn_from_text(c->left.ca, o->rightca, sizeof(o->rightca), &o->rightca_len);
	if (!hybrid_client &&
	    (c->left.id.type == CONF_ID_DER_ASN1_DN || c->left.id.type == CONF_ID_FROMCERT)) {
		size_t len;

		/* RFC 2407 4.6.2.1: ID_DER_ASN1_DN carries the DER subject. */
		rc = cert_subject_der(o->cert, o->local_id.data, sizeof(o->local_id.data), &len);
		if (rc < 0) {
			snprintf(err, err_len, "conn %s: subject of %s longer than %d bytes",
				 c->name, c->left.cert, IKE_ID_DATA_MAX);
			goto fail;
		}
		o->local_id.type = 9;
		o->local_id.len = (uint8_t)len;
	}
	sk_X509_pop_free(file, X509_free);
	return 0;
fail:
	sk_X509_pop_free(file, X509_free);
	nkd_creds_free(o);
	return rc;
}
