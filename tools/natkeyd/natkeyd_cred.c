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

#include "ike/crypto/cert.h"
#include "ike/crypto/sig.h"
#include "tools/natkeyd/natkeyd_cred.h"

void nkd_creds_free(struct ike_conn_cfg *o)
{
	EVP_PKEY_free(o->key);
	X509_free(o->cert);
	X509_STORE_free(o->ca);
	o->key = NULL;
	o->cert = NULL;
	o->ca = NULL;
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
		if (cert_store_load_pem(store, path) == 0)
			(*n)++;
	}
	closedir(d);
	return 0;
}

int nkd_creds_load(const struct conf_conn *c, const struct conf_secrets *secrets,
		   const char *cacerts, struct ike_conn_cfg *o, char *err, size_t err_len)
{
	unsigned n_ca = 0;
	int rc;

	if (c->authby != CONF_AUTHBY_RSASIG)
		return 0;
	if (!c->left.cert[0]) {
		snprintf(err, err_len, "conn %s: authby=rsasig needs leftcert=", c->name);
		return -EINVAL;
	}
	rc = cert_load_pem(c->left.cert, &o->cert);
	if (rc < 0) {
		snprintf(err, err_len, "conn %s: leftcert %s cannot be loaded: %s", c->name,
			 c->left.cert, strerror(-rc));
		goto fail;
	}
	/* The private key: the `: RSA FILE` entry whose key matches leftcert. */
	for (size_t i = 0; secrets && i < secrets->n && !o->key; i++) {
		const struct conf_secret *s = &secrets->v[i];
		EVP_PKEY *k = NULL;

		if (s->type != CONF_SECRET_RSA || sig_key_load_pem(s->path, &k) < 0)
			continue;
		if (X509_check_private_key(o->cert, k) == 1)
			o->key = k;
		else
			EVP_PKEY_free(k);
	}
	if (!o->key) {
		snprintf(err, err_len,
			 "conn %s: no private key in %s matches leftcert %s (add \": RSA "
			 "/path/to/key.pem\")",
			 c->name, secrets ? secrets->file : "ipsec.secrets", c->left.cert);
		rc = -ENOENT;
		goto fail;
	}
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
	if (c->left.id.type == CONF_ID_DER_ASN1_DN || c->left.id.type == CONF_ID_FROMCERT) {
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
	return 0;
fail:
	nkd_creds_free(o);
	return rc;
}
