// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target for the crypto entry points that take peer-supplied bytes:
 * CERT payload data (DER certificate), ID payload data matched against a
 * certificate, KE payload data (DH public value checks and computation) and
 * SIG payload data (RSA verification).
 *
 * Input: byte 0 selects the entry point, the rest is the peer data:
 *   0: cert_from_der(), then subject DER and every ID type on the result
 *   1: cert_id_match(gw.pem, ID type = byte 1, data = bytes 2..)
 *   2: crypto_dh_check_peer() / crypto_dh_compute() for group table[byte 1]
 *   3: sig_rsa_verify(gw.pem key, fixed hash, data)
 * Corpus: tests/vectors/crypto/corpus (gen_corpus.py).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "ike/crypto/cert.h"
#include "ike/crypto/crypto.h"
#include "ike/crypto/sig.h"
#include "tests/fuzz/fuzz.h"
#include "tests/vectors/crypto/sig_vectors.h"

static const enum ike_dh_group groups[] = {
	IKE_DH_MODP_1024, IKE_DH_MODP_1536, IKE_DH_MODP_2048, IKE_DH_MODP_3072,
	IKE_DH_MODP_4096, IKE_DH_ECP_256,   IKE_DH_ECP_384,   IKE_DH_ECP_521,
};

static const enum cert_id_type id_types[] = {
	CERT_ID_IPV4_ADDR, CERT_ID_FQDN, CERT_ID_USER_FQDN, CERT_ID_IPV6_ADDR, CERT_ID_DER_ASN1_DN,
};

static void fuzz_cert(const uint8_t *data, size_t size)
{
	X509 *x = NULL;
	uint8_t der[8192];
	size_t len = 0;

	if (cert_from_der(data, size, &x) < 0)
		return;
	if (cert_subject_der(x, der, sizeof(der), &len) == 0)
		(void)cert_id_match(x, CERT_ID_DER_ASN1_DN, der, len);
	(void)cert_to_der(x, der, sizeof(der), &len);
	for (size_t i = 0; i < sizeof(id_types) / sizeof(id_types[0]); i++)
		(void)cert_id_match(x, id_types[i], data, size < 16 ? size : 16);
	X509_free(x);
}

static void fuzz_id(const uint8_t *data, size_t size)
{
	X509 *gw = NULL;

	if (size < 1 || cert_from_der(gw_cert_der, sizeof(gw_cert_der), &gw) < 0)
		return;
	(void)cert_id_match(gw, (enum cert_id_type)data[0], data + 1, size - 1);
	X509_free(gw);
}

static void fuzz_dh(const uint8_t *data, size_t size)
{
	enum ike_dh_group g;
	struct crypto_dh *dh = NULL;
	uint8_t z[CRYPTO_DH_MAX_LEN];
	/* A fixed small private value keeps the replay fast. */
	static const uint8_t priv[] = { 0x5e, 0xc7, 0xe1, 0x23, 0x45, 0x67, 0x89, 0xab };

	if (size < 1)
		return;
	g = groups[data[0] % (sizeof(groups) / sizeof(groups[0]))];
	if (crypto_dh_check_peer(g, data + 1, size - 1) != 0)
		return;
	if (crypto_dh_from_private(g, priv, sizeof(priv), &dh) == 0)
		(void)crypto_dh_compute(dh, data + 1, size - 1, z, crypto_dh_secret_len(g));
	crypto_dh_free(dh);
}

/* SHA-1("natkeyd fuzz"): gen_corpus.py signs it with gw.key for the seed. */
static const uint8_t sig_hash[20] = {
	0xa7, 0x84, 0xcf, 0xd8, 0xf6, 0x92, 0xa7, 0x04, 0x5c, 0x97,
	0x87, 0x1b, 0xc7, 0x6f, 0x3d, 0x6f, 0xe5, 0x46, 0xc8, 0x99,
};

static void fuzz_sig(const uint8_t *data, size_t size)
{
	X509 *gw = NULL;

	if (cert_from_der(gw_cert_der, sizeof(gw_cert_der), &gw) < 0)
		return;
	(void)sig_rsa_verify(X509_get0_pubkey(gw), sig_hash, sizeof(sig_hash), data, size);
	X509_free(gw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		fuzz_cert(data + 1, size - 1);
		break;
	case 1:
		fuzz_id(data + 1, size - 1);
		break;
	case 2:
		fuzz_dh(data + 1, size - 1);
		break;
	case 3:
		fuzz_sig(data + 1, size - 1);
		break;
	}
	return 0;
}
