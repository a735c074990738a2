/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test PKI files read as the daemon reads them: libconf's one file reader
 * (conf_file_load()) hands the bytes to ike/crypto's from-memory parsers.
 */
#ifndef NATKEYD_TESTS_LIB_PKI_FILE_H
#define NATKEYD_TESTS_LIB_PKI_FILE_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ike/conf/conf.h"
#include "ike/crypto/cert.h"
#include "ike/crypto/sig.h"

static inline int pki_file_cert_parse(const uint8_t *buf, size_t len, void *out)
{
	return cert_from_pem(buf, len, out);
}

static inline int pki_file_key_parse(const uint8_t *buf, size_t len, void *out)
{
	return sig_key_from_pem(buf, len, out);
}

static inline int pki_file_store_parse(const uint8_t *buf, size_t len, void *store)
{
	return cert_store_add_pem(store, buf, len);
}

static inline int pki_file_crl_parse(const uint8_t *buf, size_t len, void *store)
{
	return cert_store_add_crls(store, buf, len);
}

static inline int pki_file_chain_parse(const uint8_t *buf, size_t len, void *out)
{
	return cert_chain_from_pem(buf, len, out);
}

/* The first certificate of @path. */
static inline int pki_file_cert(const char *path, X509 **out)
{
	return conf_file_load(path, pki_file_cert_parse, out);
}

/* The private key of @path. */
static inline int pki_file_key(const char *path, EVP_PKEY **out)
{
	return conf_file_load(path, pki_file_key_parse, out);
}

/* Every certificate of @path into @store. */
static inline int pki_file_store(X509_STORE *store, const char *path)
{
	return conf_file_load(path, pki_file_store_parse, store);
}

/* Every CRL (PEM or DER) of @path into @store: how many, or -errno. */
static inline int pki_file_crls(X509_STORE *store, const char *path)
{
	return conf_file_load(path, pki_file_crl_parse, store);
}

/* Every certificate of @path, in order. */
static inline int pki_file_chain(const char *path, STACK_OF(X509) * *out)
{
	return conf_file_load(path, pki_file_chain_parse, out);
}

#endif /* NATKEYD_TESTS_LIB_PKI_FILE_H */
