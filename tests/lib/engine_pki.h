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

#endif
