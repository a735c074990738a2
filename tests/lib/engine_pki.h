/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The committed test PKI (tests/data/pki) for engine tests that authenticate
 * with RSA signatures. The including test defines ENGINE_PKI_DIR.
 */
#ifndef NATKEYD_TESTS_CHECK_ENGINE_PKI_H
#define NATKEYD_TESTS_CHECK_ENGINE_PKI_H

#include <check.h>
#include <openssl/pem.h>
#include <stdio.h>

#include "ike/engine.h"

/* A PEM file of the test PKI, opened or the test fails. */
static inline FILE *pki_open(const char *name, const char *ext)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.%s", ENGINE_PKI_DIR, name, ext);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s", path);
	return f;
}

static inline X509 *load_cert(const char *name)
{
	FILE *f = pki_open(name, "pem");
	X509 *x = PEM_read_X509(f, NULL, NULL, NULL);

	fclose(f);
	ck_assert_ptr_nonnull(x);
	return x;
}

static inline EVP_PKEY *load_key(const char *name)
{
	FILE *f = pki_open(name, "key");
	EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);

	fclose(f);
	ck_assert_ptr_nonnull(k);
	return k;
}

/* Signature authentication for @c: @cert and its key, @inter (or NULL)
 * sent along, the root CA trusted. The engine takes its own references:
 * pki_conn_drop() once it has them. */
static inline void pki_conn_rsa(struct ike_conn_cfg *c, const char *cert, const char *inter)
{
	X509 *ca = load_cert("ca");

	c->psk_len = 0;
	c->auth = IKE_AUTH_RSA_SIG;
	c->cert = load_cert(cert);
	c->key = load_key(cert);
	c->cert_chain[0] = inter ? load_cert(inter) : NULL;
	c->ca = X509_STORE_new();
	X509_STORE_add_cert(c->ca, ca);
	X509_free(ca);
}

static inline void pki_conn_drop(struct ike_conn_cfg *c)
{
	EVP_PKEY_free(c->key);
	X509_free(c->cert);
	X509_free(c->cert_chain[0]);
	X509_STORE_free(c->ca);
}

#endif
