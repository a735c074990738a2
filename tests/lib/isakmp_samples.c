// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sample ISAKMP messages built with the encoder (see isakmp_samples.h).
 * Values are fixed patterns, so every run builds the same bytes.
 */
#include <string.h>

#include "ike/wire/isakmp_encode.h"
#include "tests/lib/isakmp_samples.h"

/* MD5("RFC 3947"), RFC 3947 s3.1. */
const uint8_t sample_vid_rfc3947[16] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
					 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };
/* MD5("draft-ietf-ipsec-nat-t-ike-02"). */
const uint8_t sample_vid_draft02[16] = { 0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf, 0x21, 0xf8,
					 0x7c, 0xfd, 0xb2, 0xfc, 0x68, 0xb6, 0xa4, 0x48 };
/* MD5("draft-ietf-ipsec-nat-t-ike-02\n"), the value printed in draft -02. */
const uint8_t sample_vid_draft02n[16] = { 0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e,
					  0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f };
/* MD5("draft-ietf-ipsec-nat-t-ike-03"). */
const uint8_t sample_vid_draft03[16] = { 0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10, 0xca, 0x6f,
					 0x2c, 0x17, 0x9d, 0x92, 0x15, 0x52, 0x9d, 0x56 };
/* RFC 3706 s5.1. */
const uint8_t sample_vid_dpd[16] = { 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
				     0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 };
/* xauth-06 s2. */
const uint8_t sample_vid_xauth[8] = { 0x09, 0x00, 0x26, 0x89, 0xdf, 0xd6, 0xb7, 0x12 };

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static void hdr_init(struct isakmp_enc *e, uint8_t *buf, size_t cap, uint8_t exch, uint8_t flags,
		     uint32_t msgid, uint8_t seed, int responder)
{
	struct isakmp_hdr h;

	memset(&h, 0, sizeof(h));
	fill(h.icookie, sizeof(h.icookie), seed);
	if (responder)
		fill(h.rcookie, sizeof(h.rcookie), (uint8_t)(seed + 0x40));
	h.exchange = exch;
	h.flags = flags;
	h.msgid = msgid;
	isakmp_enc_init(e, buf, cap);
	isakmp_enc_hdr(e, &h);
}

/* One Phase 1 transform: cipher/hash/auth/group with seconds lifetime. */
static void p1_xform(struct isakmp_enc *e, uint8_t num, uint16_t encr, uint16_t keylen,
		     uint16_t hash, uint16_t auth, uint16_t group, uint64_t life)
{
	isakmp_enc_xform_begin(e, num, ISAKMP_KEY_IKE);
	isakmp_enc_attr_tv(e, ISAKMP_IKE_ENCR, encr);
	if (keylen)
		isakmp_enc_attr_tv(e, ISAKMP_IKE_KEY_LENGTH, keylen);
	isakmp_enc_attr_tv(e, ISAKMP_IKE_HASH, hash);
	isakmp_enc_attr_tv(e, ISAKMP_IKE_AUTH, auth);
	isakmp_enc_attr_tv(e, ISAKMP_IKE_GROUP_DESC, group);
	isakmp_enc_attr_tv(e, ISAKMP_IKE_LIFE_TYPE, ISAKMP_LIFE_SECONDS);
	isakmp_enc_attr_uint(e, ISAKMP_IKE_LIFE_DURATION, life);
	isakmp_enc_xform_end(e);
}

static void p1_sa(struct isakmp_enc *e, uint16_t auth)
{
	isakmp_enc_sa_begin(e, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	isakmp_enc_prop_begin(e, 1, ISAKMP_PROTO_ISAKMP, NULL, 0);
	p1_xform(e, 1, ISAKMP_ENCR_AES_CBC, 256, ISAKMP_HASH_SHA2_256, auth, ISAKMP_GROUP_MODP2048,
		 28800);
	p1_xform(e, 2, ISAKMP_ENCR_AES_CBC, 128, ISAKMP_HASH_SHA, auth, ISAKMP_GROUP_ECP256, 86400);
	p1_xform(e, 3, ISAKMP_ENCR_3DES_CBC, 0, ISAKMP_HASH_MD5, auth, ISAKMP_GROUP_MODP1024,
		 0x100000000ull);
	isakmp_enc_prop_end(e);
	isakmp_enc_sa_end(e);
}

static ssize_t mm1_sa_vids(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;

	hdr_init(&e, buf, cap, ISAKMP_XCHG_IDPROT, 0, 0, 0x11, 0);
	p1_sa(&e, ISAKMP_AUTH_PSK);
	isakmp_enc_generic(&e, ISAKMP_NP_VID, sample_vid_rfc3947, 16);
	isakmp_enc_generic(&e, ISAKMP_NP_VID, sample_vid_draft02, 16);
	isakmp_enc_generic(&e, ISAKMP_NP_VID, sample_vid_draft02n, 16);
	isakmp_enc_generic(&e, ISAKMP_NP_VID, sample_vid_draft03, 16);
	isakmp_enc_generic(&e, ISAKMP_NP_VID, sample_vid_dpd, 16);
	return isakmp_enc_finish(&e);
}

static ssize_t mm3_ke_nonce_natd(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t ke[256], nonce[32], h1[32], h2[32];

	fill(ke, sizeof(ke), 1);
	fill(nonce, sizeof(nonce), 2);
	fill(h1, sizeof(h1), 3);
	fill(h2, sizeof(h2), 4);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_IDPROT, 0, 0, 0x12, 1);
	isakmp_enc_generic(&e, ISAKMP_NP_KE, ke, sizeof(ke));
	isakmp_enc_generic(&e, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
	isakmp_enc_generic(&e, ISAKMP_NP_NATD, h1, sizeof(h1));
	isakmp_enc_generic(&e, ISAKMP_NP_NATD, h2, sizeof(h2));
	return isakmp_enc_finish(&e);
}

static ssize_t mm3_draft_natd(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t ke[128], nonce[16], h1[20], h2[20];

	fill(ke, sizeof(ke), 5);
	fill(nonce, sizeof(nonce), 6);
	fill(h1, sizeof(h1), 7);
	fill(h2, sizeof(h2), 8);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_IDPROT, 0, 0, 0x13, 1);
	isakmp_enc_generic(&e, ISAKMP_NP_KE, ke, sizeof(ke));
	isakmp_enc_generic(&e, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
	isakmp_enc_generic(&e, ISAKMP_NP_NATD_OLD, h1, sizeof(h1));
	isakmp_enc_generic(&e, ISAKMP_NP_NATD_OLD, h2, sizeof(h2));
	return isakmp_enc_finish(&e);
}

static ssize_t mm5_encrypted(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t ct[64];
	ssize_t at;

	/* The encoder writes plaintext chains only: the ciphertext is appended
	 * as an opaque body after a header with the E flag and NP = ID. */
	fill(ct, sizeof(ct), 9);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_IDPROT, ISAKMP_FLAG_E, 0, 0x14, 1);
	at = isakmp_enc_finish(&e);
	if (at < 0 || cap < (size_t)at + sizeof(ct))
		return -1;
	buf[16] = ISAKMP_NP_ID;
	memcpy(buf + at, ct, sizeof(ct));
	buf[27] = (uint8_t)(at + sizeof(ct));
	return at + (ssize_t)sizeof(ct);
}

static ssize_t mm5_plain_ipv6(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t addr[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	uint8_t hash[32], spi[16];

	fill(hash, sizeof(hash), 10);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_IDPROT, 0, 0, 0x15, 1);
	memcpy(spi, buf, 16);
	isakmp_enc_id(&e, ISAKMP_ID_IPV6_ADDR, 17, 500, addr, sizeof(addr));
	isakmp_enc_generic(&e, ISAKMP_NP_HASH, hash, sizeof(hash));
	isakmp_enc_notify(&e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, ISAKMP_N_INITIAL_CONTACT, spi,
			  16, NULL, 0);
	return isakmp_enc_finish(&e);
}

static ssize_t am1_id_fqdn(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t ke[128], nonce[16];
	static const char fqdn[] = "vpn.example.org";

	fill(ke, sizeof(ke), 11);
	fill(nonce, sizeof(nonce), 12);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_AGGR, 0, 0, 0x16, 0);
	p1_sa(&e, ISAKMP_AUTH_XAUTH_INIT_PSK);
	isakmp_enc_generic(&e, ISAKMP_NP_KE, ke, sizeof(ke));
	isakmp_enc_generic(&e, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
	isakmp_enc_id(&e, ISAKMP_ID_FQDN, 17, 500, fqdn, sizeof(fqdn) - 1);
	isakmp_enc_generic(&e, ISAKMP_NP_VID, sample_vid_xauth, sizeof(sample_vid_xauth));
	isakmp_enc_generic(&e, ISAKMP_NP_VID, sample_vid_rfc3947, 16);
	return isakmp_enc_finish(&e);
}

static ssize_t am1_user_fqdn(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t ke[64], nonce[8];
	static const char ufqdn[] = "alice@example.org";

	fill(ke, sizeof(ke), 13);
	fill(nonce, sizeof(nonce), 14);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_AGGR, 0, 0, 0x17, 0);
	p1_sa(&e, ISAKMP_AUTH_PSK);
	isakmp_enc_generic(&e, ISAKMP_NP_KE, ke, sizeof(ke));
	isakmp_enc_generic(&e, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
	isakmp_enc_id(&e, ISAKMP_ID_USER_FQDN, 0, 0, ufqdn, sizeof(ufqdn) - 1);
	return isakmp_enc_finish(&e);
}

/* A self-signed P-256 certificate for CN=vpn1 (openssl req -x509, DER), so
 * that dissectors see a real X.509 structure. */
static const uint8_t sample_cert[] = {
	0x30, 0x82, 0x01, 0x75, 0x30, 0x82, 0x01, 0x1b, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x14,
	0x0f, 0xb5, 0x3d, 0x5d, 0xb5, 0x4f, 0xe1, 0xcd, 0xb0, 0xd7, 0x66, 0x45, 0x77, 0xdc, 0x76,
	0x1d, 0x5f, 0x11, 0x7a, 0x88, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04,
	0x03, 0x02, 0x30, 0x0f, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x04,
	0x76, 0x70, 0x6e, 0x31, 0x30, 0x20, 0x17, 0x0d, 0x32, 0x36, 0x31, 0x31, 0x32, 0x31, 0x31,
	0x35, 0x30, 0x32, 0x31, 0x31, 0x5a, 0x18, 0x0f, 0x32, 0x31, 0x32, 0x36, 0x31, 0x30, 0x32,
	0x38, 0x31, 0x35, 0x30, 0x32, 0x31, 0x31, 0x5a, 0x30, 0x0f, 0x31, 0x0d, 0x30, 0x0b, 0x06,
	0x03, 0x55, 0x04, 0x03, 0x0c, 0x04, 0x76, 0x70, 0x6e, 0x31, 0x30, 0x59, 0x30, 0x13, 0x06,
	0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
	0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04, 0xd0, 0xe8, 0x01, 0xb9, 0xc6, 0xec, 0xd6, 0x65,
	0xb8, 0x1f, 0x51, 0x34, 0x5e, 0x4c, 0x72, 0x8d, 0xa0, 0x94, 0x4e, 0xfd, 0xba, 0xdc, 0x23,
	0x98, 0x9e, 0x15, 0x3f, 0x14, 0xe8, 0x41, 0x42, 0x67, 0xf1, 0xfa, 0x0c, 0xdb, 0x26, 0xad,
	0xc6, 0x64, 0x5d, 0x1b, 0xe9, 0x55, 0x8f, 0x96, 0xfa, 0x63, 0xfc, 0xe7, 0xa9, 0x73, 0x48,
	0x24, 0x52, 0xed, 0xb9, 0xb4, 0xa1, 0x5c, 0x51, 0x0d, 0xca, 0x8f, 0xa3, 0x53, 0x30, 0x51,
	0x30, 0x1d, 0x06, 0x03, 0x55, 0x1d, 0x0e, 0x04, 0x16, 0x04, 0x14, 0x77, 0x9c, 0x34, 0xe3,
	0x01, 0xf1, 0xc5, 0x9e, 0x10, 0x58, 0x15, 0x0f, 0x7c, 0x9a, 0x3c, 0xe2, 0x2b, 0xa4, 0x51,
	0xd5, 0x30, 0x1f, 0x06, 0x03, 0x55, 0x1d, 0x23, 0x04, 0x18, 0x30, 0x16, 0x80, 0x14, 0x77,
	0x9c, 0x34, 0xe3, 0x01, 0xf1, 0xc5, 0x9e, 0x10, 0x58, 0x15, 0x0f, 0x7c, 0x9a, 0x3c, 0xe2,
	0x2b, 0xa4, 0x51, 0xd5, 0x30, 0x0f, 0x06, 0x03, 0x55, 0x1d, 0x13, 0x01, 0x01, 0xff, 0x04,
	0x05, 0x30, 0x03, 0x01, 0x01, 0xff, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
	0x04, 0x03, 0x02, 0x03, 0x48, 0x00, 0x30, 0x45, 0x02, 0x21, 0x00, 0xff, 0x1c, 0xf4, 0x5f,
	0x39, 0x4b, 0x06, 0x2d, 0x26, 0xd3, 0x94, 0x7b, 0xcc, 0x61, 0x44, 0x18, 0x42, 0x39, 0x99,
	0xfa, 0x0c, 0xd7, 0x2d, 0xa5, 0x68, 0xe0, 0x05, 0x0c, 0xdd, 0x34, 0x4f, 0xf0, 0x02, 0x20,
	0x74, 0x36, 0xfc, 0xa2, 0xe4, 0x78, 0xb1, 0xfc, 0x0c, 0x23, 0x42, 0x97, 0x6a, 0x24, 0x77,
	0xe1, 0xda, 0x05, 0xeb, 0x5d, 0xbe, 0x26, 0xec, 0x52, 0x4d, 0x47, 0xef, 0xc1, 0xa4, 0x85,
	0xd6, 0x78
};

static ssize_t am2_cert_sig(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t ke[64], nonce[256], sig[128], h1[20], h2[20];
	/* DER of the DN "CN=vpn1": SEQUENCE { SET { SEQUENCE { 2.5.4.3, "vpn1" } } }. */
	static const uint8_t dn[] = { 0x30, 0x0f, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55,
				      0x04, 0x03, 0x0c, 0x04, 'v',  'p',  'n',	'1' };

	fill(ke, sizeof(ke), 15);
	fill(nonce, sizeof(nonce), 16);
	fill(sig, sizeof(sig), 19);
	fill(h1, sizeof(h1), 20);
	fill(h2, sizeof(h2), 21);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_AGGR, 0, 0, 0x18, 1);
	isakmp_enc_sa_begin(&e, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	isakmp_enc_prop_begin(&e, 1, ISAKMP_PROTO_ISAKMP, NULL, 0);
	p1_xform(&e, 1, ISAKMP_ENCR_AES_CBC, 128, ISAKMP_HASH_SHA, ISAKMP_AUTH_RSA_SIG,
		 ISAKMP_GROUP_MODP2048, 3600);
	isakmp_enc_prop_end(&e);
	isakmp_enc_sa_end(&e);
	isakmp_enc_generic(&e, ISAKMP_NP_KE, ke, sizeof(ke));
	isakmp_enc_generic(&e, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
	isakmp_enc_id(&e, ISAKMP_ID_DER_ASN1_DN, 0, 0, dn, sizeof(dn));
	isakmp_enc_cert(&e, ISAKMP_NP_CERT, ISAKMP_CERT_X509_SIG, sample_cert, sizeof(sample_cert));
	isakmp_enc_cert(&e, ISAKMP_NP_CR, ISAKMP_CERT_X509_SIG, NULL, 0);
	isakmp_enc_generic(&e, ISAKMP_NP_SIG, sig, sizeof(sig));
	isakmp_enc_generic(&e, ISAKMP_NP_NATD, h1, sizeof(h1));
	isakmp_enc_generic(&e, ISAKMP_NP_NATD, h2, sizeof(h2));
	isakmp_enc_generic(&e, ISAKMP_NP_VID, sample_vid_rfc3947, 16);
	return isakmp_enc_finish(&e);
}

/* One ESP transform with the Phase 2 attributes of RFC 2407 s4.5. */
static void esp_xform(struct isakmp_enc *e, uint8_t num, uint8_t id, uint16_t keylen,
		      uint16_t encap, uint16_t group)
{
	isakmp_enc_xform_begin(e, num, id);
	isakmp_enc_attr_tv(e, ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_SECONDS);
	isakmp_enc_attr_uint(e, ISAKMP_IPSEC_LIFE_DURATION, 3600);
	isakmp_enc_attr_tv(e, ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_KILOBYTES);
	isakmp_enc_attr_uint(e, ISAKMP_IPSEC_LIFE_DURATION, 4608000);
	isakmp_enc_attr_tv(e, ISAKMP_IPSEC_ENCAP_MODE, encap);
	isakmp_enc_attr_tv(e, ISAKMP_IPSEC_AUTH_ALG, ISAKMP_AUTH_ALG_HMAC_SHA2_256);
	if (keylen)
		isakmp_enc_attr_tv(e, ISAKMP_IPSEC_KEY_LENGTH, keylen);
	if (group)
		isakmp_enc_attr_tv(e, ISAKMP_IPSEC_GROUP_DESC, group);
	isakmp_enc_xform_end(e);
}

static ssize_t qm1_natoa(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t hash[20], nonce[16], ke[256];
	static const uint8_t spi[4] = { 0xc0, 0xff, 0xee, 0x01 };
	static const uint8_t ci[8] = { 10, 0, 0, 0, 255, 255, 255, 0 };
	static const uint8_t cr[4] = { 192, 0, 2, 1 };
	static const uint8_t oai[4] = { 192, 168, 0, 100 };
	static const uint8_t oar[4] = { 203, 0, 113, 5 };

	fill(hash, sizeof(hash), 22);
	fill(nonce, sizeof(nonce), 23);
	fill(ke, sizeof(ke), 24);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_QUICK, 0, 0x11223344, 0x19, 1);
	isakmp_enc_generic(&e, ISAKMP_NP_HASH, hash, sizeof(hash));
	isakmp_enc_sa_begin(&e, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	isakmp_enc_prop_begin(&e, 1, ISAKMP_PROTO_ESP, spi, sizeof(spi));
	esp_xform(&e, 1, ISAKMP_ESP_AES, 256, ISAKMP_ENCAP_UDP_TRANSPORT, ISAKMP_GROUP_MODP2048);
	esp_xform(&e, 2, ISAKMP_ESP_AES_GCM_16, 128, ISAKMP_ENCAP_UDP_TRANSPORT,
		  ISAKMP_GROUP_MODP2048);
	isakmp_enc_prop_end(&e);
	isakmp_enc_prop_begin(&e, 2, ISAKMP_PROTO_ESP, spi, sizeof(spi));
	esp_xform(&e, 1, ISAKMP_ESP_3DES, 0, ISAKMP_ENCAP_UDP_TUNNEL, ISAKMP_GROUP_MODP2048);
	isakmp_enc_prop_end(&e);
	isakmp_enc_sa_end(&e);
	isakmp_enc_generic(&e, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
	isakmp_enc_generic(&e, ISAKMP_NP_KE, ke, sizeof(ke));
	isakmp_enc_id(&e, ISAKMP_ID_IPV4_ADDR_SUBNET, 17, 1701, ci, sizeof(ci));
	isakmp_enc_id(&e, ISAKMP_ID_IPV4_ADDR, 17, 1701, cr, sizeof(cr));
	isakmp_enc_natoa(&e, ISAKMP_NP_NATOA, ISAKMP_ID_IPV4_ADDR, oai);
	isakmp_enc_natoa(&e, ISAKMP_NP_NATOA, ISAKMP_ID_IPV4_ADDR, oar);
	return isakmp_enc_finish(&e);
}

static ssize_t qm1_ipv6_ah_esp(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t hash[32], nonce[32], ci[32], cr[32], oa[16];
	static const uint8_t spi_ah[4] = { 0x00, 0x00, 0x10, 0x01 };
	static const uint8_t spi_esp[4] = { 0x00, 0x00, 0x10, 0x02 };

	fill(hash, sizeof(hash), 25);
	fill(nonce, sizeof(nonce), 26);
	memset(ci, 0, sizeof(ci));
	ci[0] = 0x20, ci[1] = 0x01, ci[2] = 0x0d, ci[3] = 0xb8; /* 2001:db8::/64 */
	memset(ci + 16, 0xff, 8);
	memcpy(cr, ci, 16);
	cr[7] = 1; /* range 2001:db8:0:1:: - 2001:db8:0:1::ff */
	memcpy(cr + 16, cr, 16);
	cr[31] = 0xff;
	memcpy(oa, ci, 16);
	oa[15] = 0x42;
	hdr_init(&e, buf, cap, ISAKMP_XCHG_QUICK, 0, 0x55667788, 0x1a, 1);
	isakmp_enc_generic(&e, ISAKMP_NP_HASH, hash, sizeof(hash));
	isakmp_enc_sa_begin(&e, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	/* AH and ESP with the same proposal number: both together (RFC 2408 s4.2). */
	isakmp_enc_prop_begin(&e, 1, ISAKMP_PROTO_AH, spi_ah, sizeof(spi_ah));
	isakmp_enc_xform_begin(&e, 1, ISAKMP_AH_SHA);
	isakmp_enc_attr_tv(&e, ISAKMP_IPSEC_AUTH_ALG, ISAKMP_AUTH_ALG_HMAC_SHA);
	isakmp_enc_attr_tv(&e, ISAKMP_IPSEC_ENCAP_MODE, ISAKMP_ENCAP_TUNNEL);
	isakmp_enc_xform_end(&e);
	isakmp_enc_prop_end(&e);
	isakmp_enc_prop_begin(&e, 1, ISAKMP_PROTO_ESP, spi_esp, sizeof(spi_esp));
	esp_xform(&e, 1, ISAKMP_ESP_AES, 128, ISAKMP_ENCAP_TUNNEL, 0);
	isakmp_enc_prop_end(&e);
	isakmp_enc_sa_end(&e);
	isakmp_enc_generic(&e, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
	isakmp_enc_id(&e, ISAKMP_ID_IPV6_ADDR_SUBNET, 0, 0, ci, sizeof(ci));
	isakmp_enc_id(&e, ISAKMP_ID_IPV6_ADDR_RANGE, 6, 443, cr, sizeof(cr));
	isakmp_enc_natoa(&e, ISAKMP_NP_NATOA, ISAKMP_ID_IPV6_ADDR, oa);
	return isakmp_enc_finish(&e);
}

static ssize_t qm1_draft_natoa(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t hash[20], nonce[16];
	static const uint8_t spi[4] = { 0x12, 0x34, 0x56, 0x78 };
	static const uint8_t ci[8] = { 198, 51, 100, 10, 198, 51, 100, 20 };
	static const uint8_t cr[4] = { 203, 0, 113, 1 };
	static const uint8_t oa[4] = { 10, 1, 2, 3 };

	fill(hash, sizeof(hash), 27);
	fill(nonce, sizeof(nonce), 28);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_QUICK, 0, 0x01020304, 0x1b, 1);
	isakmp_enc_generic(&e, ISAKMP_NP_HASH, hash, sizeof(hash));
	isakmp_enc_sa_begin(&e, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	isakmp_enc_prop_begin(&e, 1, ISAKMP_PROTO_ESP, spi, sizeof(spi));
	esp_xform(&e, 1, ISAKMP_ESP_AES, 128, ISAKMP_ENCAP_UDP_TRANSPORT_DRAFT, 0);
	esp_xform(&e, 2, ISAKMP_ESP_AES, 128, ISAKMP_ENCAP_UDP_TUNNEL_DRAFT, 0);
	isakmp_enc_prop_end(&e);
	isakmp_enc_sa_end(&e);
	isakmp_enc_generic(&e, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
	isakmp_enc_id(&e, ISAKMP_ID_IPV4_ADDR_RANGE, 0, 0, ci, sizeof(ci));
	isakmp_enc_id(&e, ISAKMP_ID_IPV4_ADDR, 0, 0, cr, sizeof(cr));
	isakmp_enc_natoa(&e, ISAKMP_NP_NATOA_OLD, ISAKMP_ID_IPV4_ADDR, oa);
	return isakmp_enc_finish(&e);
}

static ssize_t info_notify_delete(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t hash[20], cky[16];
	static const uint8_t seq[4] = { 0x00, 0x00, 0x30, 0x39 };
	static const uint8_t spis[8] = { 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22 };

	fill(hash, sizeof(hash), 29);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_INFO, 0, 0xdeadbeef, 0x1c, 1);
	memcpy(cky, buf, sizeof(cky));
	isakmp_enc_generic(&e, ISAKMP_NP_HASH, hash, sizeof(hash));
	isakmp_enc_notify(&e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, ISAKMP_N_R_U_THERE, cky,
			  sizeof(cky), seq, sizeof(seq));
	isakmp_enc_notify(&e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ESP, ISAKMP_N_RESPONDER_LIFETIME, spis,
			  4, NULL, 0);
	isakmp_enc_delete(&e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ESP, 4, spis, 2);
	isakmp_enc_delete(&e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, 16, cky, 1);
	return isakmp_enc_finish(&e);
}

static ssize_t info_no_proposal(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;

	/* Before keys exist: in the clear, no HASH (RFC 2409 s5.7). */
	hdr_init(&e, buf, cap, ISAKMP_XCHG_INFO, 0, 0, 0x1d, 0);
	isakmp_enc_notify(&e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, ISAKMP_N_NO_PROPOSAL_CHOSEN,
			  NULL, 0, NULL, 0);
	return isakmp_enc_finish(&e);
}

static ssize_t cfg_xauth_request(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t hash[20];
	static const char msg[] = "Enter your password";

	fill(hash, sizeof(hash), 30);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_TRANSACTION, 0, 0x0badcafe, 0x1e, 1);
	isakmp_enc_generic(&e, ISAKMP_NP_HASH, hash, sizeof(hash));
	isakmp_enc_cfg_begin(&e, ISAKMP_CFG_REQUEST, 0x4242);
	isakmp_enc_attr_tv(&e, ISAKMP_CFG_XAUTH_TYPE, ISAKMP_XAUTH_TYPE_GENERIC);
	isakmp_enc_attr_tlv(&e, ISAKMP_CFG_XAUTH_USER_NAME, NULL, 0);
	isakmp_enc_attr_tlv(&e, ISAKMP_CFG_XAUTH_USER_PASSWORD, NULL, 0);
	isakmp_enc_attr_tlv(&e, ISAKMP_CFG_XAUTH_MESSAGE, msg, sizeof(msg) - 1);
	isakmp_enc_cfg_end(&e);
	return isakmp_enc_finish(&e);
}

static ssize_t cfg_modecfg_reply(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t hash[20];
	static const uint8_t addr[4] = { 10, 8, 0, 2 }, mask[4] = { 255, 255, 255, 0 };
	static const uint8_t dns[4] = { 10, 8, 0, 1 };
	static const uint8_t addr6[17] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
					   0,	 0,    0,    0,	   0, 0, 2, 64 };
	static const char ver[] = "natkeyd 0.1";
	static const uint8_t expiry[4] = { 0, 0, 0x0e, 0x10 };

	fill(hash, sizeof(hash), 31);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_TRANSACTION, 0, 0x0badf00d, 0x1f, 1);
	isakmp_enc_generic(&e, ISAKMP_NP_HASH, hash, sizeof(hash));
	isakmp_enc_cfg_begin(&e, ISAKMP_CFG_REPLY, 7);
	isakmp_enc_attr_tlv(&e, ISAKMP_CFG_INTERNAL_IP4_ADDRESS, addr, sizeof(addr));
	isakmp_enc_attr_tlv(&e, ISAKMP_CFG_INTERNAL_IP4_NETMASK, mask, sizeof(mask));
	isakmp_enc_attr_tlv(&e, ISAKMP_CFG_INTERNAL_IP4_DNS, dns, sizeof(dns));
	isakmp_enc_attr_tlv(&e, ISAKMP_CFG_INTERNAL_ADDRESS_EXPIRY, expiry, sizeof(expiry));
	isakmp_enc_attr_tlv(&e, ISAKMP_CFG_INTERNAL_IP6_ADDRESS, addr6, sizeof(addr6));
	isakmp_enc_attr_tlv(&e, ISAKMP_CFG_APPLICATION_VERSION, ver, sizeof(ver) - 1);
	isakmp_enc_cfg_end(&e);
	return isakmp_enc_finish(&e);
}

static ssize_t frag_last(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t data[100];

	fill(data, sizeof(data), 32);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_IDPROT, 0, 0, 0x20, 1);
	isakmp_enc_frag(&e, 1, 2, ISAKMP_FRAG_LAST, data, sizeof(data));
	return isakmp_enc_finish(&e);
}

static ssize_t mm6_key_id(uint8_t *buf, size_t cap)
{
	struct isakmp_enc e;
	uint8_t hash[20];
	static const uint8_t keyid[6] = { 'k', 'e', 'y', '-', 0x01, 0x02 };

	fill(hash, sizeof(hash), 33);
	hdr_init(&e, buf, cap, ISAKMP_XCHG_IDPROT, 0, 0, 0x21, 1);
	isakmp_enc_id(&e, ISAKMP_ID_KEY_ID, 17, 4500, keyid, sizeof(keyid));
	isakmp_enc_generic(&e, ISAKMP_NP_HASH, hash, sizeof(hash));
	return isakmp_enc_finish(&e);
}

const struct isakmp_sample isakmp_samples[] = {
	{ "mm1_sa_vids", mm1_sa_vids, 500 },
	{ "mm3_ke_nonce_natd", mm3_ke_nonce_natd, 500 },
	{ "mm3_draft_natd", mm3_draft_natd, 500 },
	{ "mm5_encrypted", mm5_encrypted, 4500 },
	{ "mm5_plain_ipv6", mm5_plain_ipv6, 4500 },
	{ "mm6_key_id", mm6_key_id, 4500 },
	{ "am1_id_fqdn", am1_id_fqdn, 500 },
	{ "am1_user_fqdn", am1_user_fqdn, 500 },
	{ "am2_cert_sig", am2_cert_sig, 500 },
	{ "qm1_natoa", qm1_natoa, 4500 },
	{ "qm1_ipv6_ah_esp", qm1_ipv6_ah_esp, 500 },
	{ "qm1_draft_natoa", qm1_draft_natoa, 4500 },
	{ "info_notify_delete", info_notify_delete, 4500 },
	{ "info_no_proposal", info_no_proposal, 500 },
	{ "cfg_xauth_request", cfg_xauth_request, 4500 },
	{ "cfg_modecfg_reply", cfg_modecfg_reply, 4500 },
	{ "frag_last", frag_last, 4500 },
};
const size_t isakmp_nsamples = sizeof(isakmp_samples) / sizeof(isakmp_samples[0]);
