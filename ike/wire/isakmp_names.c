// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Name tables for every ISAKMP constant (see ike/wire/isakmp.h for the sources).
 * Data only: adding a value is adding a row.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ike/wire/isakmp_names.h"

#define TABLE(rows)                                                                                \
	{                                                                                          \
		rows, sizeof(rows) / sizeof(rows[0])                                               \
	}

const char *isakmp_name_lookup(const struct isakmp_name_table *table, uint32_t value)
{
	size_t i;

	if (!table)
		return NULL;
	for (i = 0; i < table->n; i++)
		if (table->rows[i].value == value)
			return table->rows[i].name;
	return NULL;
}

const char *isakmp_name_fmt(const char *name, uint32_t value, char *buf, size_t cap)
{
	if (name)
		return name;
	snprintf(buf, cap, "UNKNOWN(%u)", (unsigned)value);
	return buf;
}

static const struct isakmp_name payload_rows[] = {
	{ ISAKMP_NP_NONE, "NONE" },
	{ ISAKMP_NP_SA, "SA" },
	{ ISAKMP_NP_P, "Proposal" },
	{ ISAKMP_NP_T, "Transform" },
	{ ISAKMP_NP_KE, "KE" },
	{ ISAKMP_NP_ID, "ID" },
	{ ISAKMP_NP_CERT, "CERT" },
	{ ISAKMP_NP_CR, "CR" },
	{ ISAKMP_NP_HASH, "HASH" },
	{ ISAKMP_NP_SIG, "SIG" },
	{ ISAKMP_NP_NONCE, "NONCE" },
	{ ISAKMP_NP_N, "Notification" },
	{ ISAKMP_NP_D, "Delete" },
	{ ISAKMP_NP_VID, "Vendor ID" },
	{ ISAKMP_NP_ATTR, "Attribute" },
	{ ISAKMP_NP_NATD_DRAFT, "NAT-D (draft-04..08)" },
	{ ISAKMP_NP_NATOA_DRAFT, "NAT-OA (draft-04..08)" },
	{ ISAKMP_NP_NATD, "NAT-D" },
	{ ISAKMP_NP_NATOA, "NAT-OA" },
	{ ISAKMP_NP_NATD_OLD, "NAT-D (draft-00..03)" },
	{ ISAKMP_NP_NATOA_OLD, "NAT-OA (draft-00..03)" },
	{ ISAKMP_NP_FRAG, "Fragment" },
};
const struct isakmp_name_table isakmp_payload_names = TABLE(payload_rows);

static const struct isakmp_name exchange_rows[] = {
	{ ISAKMP_XCHG_NONE, "NONE" },
	{ ISAKMP_XCHG_BASE, "Base" },
	{ ISAKMP_XCHG_IDPROT, "Main Mode" },
	{ ISAKMP_XCHG_AUTH_ONLY, "Authentication Only" },
	{ ISAKMP_XCHG_AGGR, "Aggressive Mode" },
	{ ISAKMP_XCHG_INFO, "Informational" },
	{ ISAKMP_XCHG_TRANSACTION, "Transaction" },
	{ ISAKMP_XCHG_QUICK, "Quick Mode" },
	{ ISAKMP_XCHG_NGM, "New Group Mode" },
};
const struct isakmp_name_table isakmp_exchange_names = TABLE(exchange_rows);

static const struct isakmp_name notify_rows[] = {
	{ ISAKMP_N_INVALID_PAYLOAD_TYPE, "INVALID-PAYLOAD-TYPE" },
	{ ISAKMP_N_DOI_NOT_SUPPORTED, "DOI-NOT-SUPPORTED" },
	{ ISAKMP_N_SITUATION_NOT_SUPPORTED, "SITUATION-NOT-SUPPORTED" },
	{ ISAKMP_N_INVALID_COOKIE, "INVALID-COOKIE" },
	{ ISAKMP_N_INVALID_MAJOR_VERSION, "INVALID-MAJOR-VERSION" },
	{ ISAKMP_N_INVALID_MINOR_VERSION, "INVALID-MINOR-VERSION" },
	{ ISAKMP_N_INVALID_EXCHANGE_TYPE, "INVALID-EXCHANGE-TYPE" },
	{ ISAKMP_N_INVALID_FLAGS, "INVALID-FLAGS" },
	{ ISAKMP_N_INVALID_MESSAGE_ID, "INVALID-MESSAGE-ID" },
	{ ISAKMP_N_INVALID_PROTOCOL_ID, "INVALID-PROTOCOL-ID" },
	{ ISAKMP_N_INVALID_SPI, "INVALID-SPI" },
	{ ISAKMP_N_INVALID_TRANSFORM_ID, "INVALID-TRANSFORM-ID" },
	{ ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED, "ATTRIBUTES-NOT-SUPPORTED" },
	{ ISAKMP_N_NO_PROPOSAL_CHOSEN, "NO-PROPOSAL-CHOSEN" },
	{ ISAKMP_N_BAD_PROPOSAL_SYNTAX, "BAD-PROPOSAL-SYNTAX" },
	{ ISAKMP_N_PAYLOAD_MALFORMED, "PAYLOAD-MALFORMED" },
	{ ISAKMP_N_INVALID_KEY_INFORMATION, "INVALID-KEY-INFORMATION" },
	{ ISAKMP_N_INVALID_ID_INFORMATION, "INVALID-ID-INFORMATION" },
	{ ISAKMP_N_INVALID_CERT_ENCODING, "INVALID-CERT-ENCODING" },
	{ ISAKMP_N_INVALID_CERTIFICATE, "INVALID-CERTIFICATE" },
	{ ISAKMP_N_CERT_TYPE_UNSUPPORTED, "CERT-TYPE-UNSUPPORTED" },
	{ ISAKMP_N_INVALID_CERT_AUTHORITY, "INVALID-CERT-AUTHORITY" },
	{ ISAKMP_N_INVALID_HASH_INFORMATION, "INVALID-HASH-INFORMATION" },
	{ ISAKMP_N_AUTHENTICATION_FAILED, "AUTHENTICATION-FAILED" },
	{ ISAKMP_N_INVALID_SIGNATURE, "INVALID-SIGNATURE" },
	{ ISAKMP_N_ADDRESS_NOTIFICATION, "ADDRESS-NOTIFICATION" },
	{ ISAKMP_N_NOTIFY_SA_LIFETIME, "NOTIFY-SA-LIFETIME" },
	{ ISAKMP_N_CERTIFICATE_UNAVAILABLE, "CERTIFICATE-UNAVAILABLE" },
	{ ISAKMP_N_UNSUPPORTED_EXCHANGE_TYPE, "UNSUPPORTED-EXCHANGE-TYPE" },
	{ ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, "UNEQUAL-PAYLOAD-LENGTHS" },
	{ ISAKMP_N_CONNECTED, "CONNECTED" },
	{ ISAKMP_N_RESPONDER_LIFETIME, "RESPONDER-LIFETIME" },
	{ ISAKMP_N_REPLAY_STATUS, "REPLAY-STATUS" },
	{ ISAKMP_N_INITIAL_CONTACT, "INITIAL-CONTACT" },
	{ ISAKMP_N_R_U_THERE, "R-U-THERE" },
	{ ISAKMP_N_R_U_THERE_ACK, "R-U-THERE-ACK" },
};
const struct isakmp_name_table isakmp_notify_names = TABLE(notify_rows);

static const struct isakmp_name doi_rows[] = {
	{ ISAKMP_DOI_ISAKMP, "ISAKMP" },
	{ ISAKMP_DOI_IPSEC, "IPsec" },
};

static const struct isakmp_name proto_rows[] = {
	{ ISAKMP_PROTO_ISAKMP, "ISAKMP" },
	{ ISAKMP_PROTO_AH, "AH" },
	{ ISAKMP_PROTO_ESP, "ESP" },
	{ ISAKMP_PROTO_IPCOMP, "IPCOMP" },
};

static const struct isakmp_name id_rows[] = {
	{ ISAKMP_ID_IPV4_ADDR, "ID_IPV4_ADDR" },
	{ ISAKMP_ID_FQDN, "ID_FQDN" },
	{ ISAKMP_ID_USER_FQDN, "ID_USER_FQDN" },
	{ ISAKMP_ID_IPV4_ADDR_SUBNET, "ID_IPV4_ADDR_SUBNET" },
	{ ISAKMP_ID_IPV6_ADDR, "ID_IPV6_ADDR" },
	{ ISAKMP_ID_IPV6_ADDR_SUBNET, "ID_IPV6_ADDR_SUBNET" },
	{ ISAKMP_ID_IPV4_ADDR_RANGE, "ID_IPV4_ADDR_RANGE" },
	{ ISAKMP_ID_IPV6_ADDR_RANGE, "ID_IPV6_ADDR_RANGE" },
	{ ISAKMP_ID_DER_ASN1_DN, "ID_DER_ASN1_DN" },
	{ ISAKMP_ID_DER_ASN1_GN, "ID_DER_ASN1_GN" },
	{ ISAKMP_ID_KEY_ID, "ID_KEY_ID" },
};

static const struct isakmp_name cert_rows[] = {
	{ ISAKMP_CERT_PKCS7, "PKCS #7 wrapped X.509" },
	{ ISAKMP_CERT_PGP, "PGP" },
	{ ISAKMP_CERT_DNS, "DNS signed key" },
	{ ISAKMP_CERT_X509_SIG, "X.509 signature" },
	{ ISAKMP_CERT_X509_KE, "X.509 key exchange" },
	{ ISAKMP_CERT_KERBEROS, "Kerberos tokens" },
	{ ISAKMP_CERT_CRL, "CRL" },
	{ ISAKMP_CERT_ARL, "ARL" },
	{ ISAKMP_CERT_SPKI, "SPKI" },
	{ ISAKMP_CERT_X509_ATTR, "X.509 attribute" },
};

static const struct isakmp_name cfg_type_rows[] = {
	{ ISAKMP_CFG_REQUEST, "ISAKMP_CFG_REQUEST" },
	{ ISAKMP_CFG_REPLY, "ISAKMP_CFG_REPLY" },
	{ ISAKMP_CFG_SET, "ISAKMP_CFG_SET" },
	{ ISAKMP_CFG_ACK, "ISAKMP_CFG_ACK" },
};

static const struct isakmp_name isakmp_xform_rows[] = {
	{ ISAKMP_KEY_IKE, "KEY_IKE" },
};

static const struct isakmp_name esp_rows[] = {
	{ ISAKMP_ESP_DES_IV64, "ESP_DES_IV64" },
	{ ISAKMP_ESP_DES, "ESP_DES" },
	{ ISAKMP_ESP_3DES, "ESP_3DES" },
	{ ISAKMP_ESP_RC5, "ESP_RC5" },
	{ ISAKMP_ESP_IDEA, "ESP_IDEA" },
	{ ISAKMP_ESP_CAST, "ESP_CAST" },
	{ ISAKMP_ESP_BLOWFISH, "ESP_BLOWFISH" },
	{ ISAKMP_ESP_3IDEA, "ESP_3IDEA" },
	{ ISAKMP_ESP_DES_IV32, "ESP_DES_IV32" },
	{ ISAKMP_ESP_RC4, "ESP_RC4" },
	{ ISAKMP_ESP_NULL, "ESP_NULL" },
	{ ISAKMP_ESP_AES, "ESP_AES" },
	{ ISAKMP_ESP_AES_GCM_8, "ESP_AES_GCM_8" },
	{ ISAKMP_ESP_AES_GCM_12, "ESP_AES_GCM_12" },
	{ ISAKMP_ESP_AES_GCM_16, "ESP_AES_GCM_16" },
};

static const struct isakmp_name ah_rows[] = {
	{ ISAKMP_AH_MD5, "AH_MD5" },
	{ ISAKMP_AH_SHA, "AH_SHA" },
	{ ISAKMP_AH_DES, "AH_DES" },
};

static const struct isakmp_name ipcomp_rows[] = {
	{ ISAKMP_IPCOMP_OUI, "IPCOMP_OUI" },
	{ ISAKMP_IPCOMP_DEFLATE, "IPCOMP_DEFLATE" },
	{ ISAKMP_IPCOMP_LZS, "IPCOMP_LZS" },
};

/* Attribute values. */
static const struct isakmp_name encr_rows[] = {
	{ ISAKMP_ENCR_DES_CBC, "DES-CBC" },	      { ISAKMP_ENCR_IDEA_CBC, "IDEA-CBC" },
	{ ISAKMP_ENCR_BLOWFISH_CBC, "Blowfish-CBC" }, { ISAKMP_ENCR_RC5_CBC, "RC5-R16-B64-CBC" },
	{ ISAKMP_ENCR_3DES_CBC, "3DES-CBC" },	      { ISAKMP_ENCR_CAST_CBC, "CAST-CBC" },
	{ ISAKMP_ENCR_AES_CBC, "AES-CBC" },
};

static const struct isakmp_name hash_rows[] = {
	{ ISAKMP_HASH_MD5, "MD5" },	      { ISAKMP_HASH_SHA, "SHA" },
	{ ISAKMP_HASH_TIGER, "Tiger" },	      { ISAKMP_HASH_SHA2_256, "SHA2-256" },
	{ ISAKMP_HASH_SHA2_384, "SHA2-384" }, { ISAKMP_HASH_SHA2_512, "SHA2-512" },
};

static const struct isakmp_name auth_rows[] = {
	{ ISAKMP_AUTH_PSK, "Pre-shared key" },
	{ ISAKMP_AUTH_DSS_SIG, "DSS signatures" },
	{ ISAKMP_AUTH_RSA_SIG, "RSA signatures" },
	{ ISAKMP_AUTH_RSA_ENC, "Encryption with RSA" },
	{ ISAKMP_AUTH_RSA_ENC_REV, "Revised encryption with RSA" },
	{ ISAKMP_AUTH_HYBRID_INIT_RSA, "HybridInitRSA" },
	{ ISAKMP_AUTH_HYBRID_RESP_RSA, "HybridRespRSA" },
	{ ISAKMP_AUTH_HYBRID_INIT_DSS, "HybridInitDSS" },
	{ ISAKMP_AUTH_HYBRID_RESP_DSS, "HybridRespDSS" },
	{ ISAKMP_AUTH_XAUTH_INIT_PSK, "XAUTHInitPreShared" },
	{ ISAKMP_AUTH_XAUTH_RESP_PSK, "XAUTHRespPreShared" },
	{ ISAKMP_AUTH_XAUTH_INIT_DSS, "XAUTHInitDSS" },
	{ ISAKMP_AUTH_XAUTH_RESP_DSS, "XAUTHRespDSS" },
	{ ISAKMP_AUTH_XAUTH_INIT_RSA, "XAUTHInitRSA" },
	{ ISAKMP_AUTH_XAUTH_RESP_RSA, "XAUTHRespRSA" },
	{ ISAKMP_AUTH_XAUTH_INIT_RSA_ENC, "XAUTHInitRSAEncryption" },
	{ ISAKMP_AUTH_XAUTH_RESP_RSA_ENC, "XAUTHRespRSAEncryption" },
	{ ISAKMP_AUTH_XAUTH_INIT_RSA_ENC_REV, "XAUTHInitRSARevisedEncryption" },
	{ ISAKMP_AUTH_XAUTH_RESP_RSA_ENC_REV, "XAUTHRespRSARevisedEncryption" },
};

static const struct isakmp_name group_rows[] = {
	{ ISAKMP_GROUP_MODP768, "MODP-768" },
	{ ISAKMP_GROUP_MODP1024, "MODP-1024" },
	{ ISAKMP_GROUP_EC2N155, "EC2N-155" },
	{ ISAKMP_GROUP_EC2N185, "EC2N-185" },
	{ ISAKMP_GROUP_MODP1536, "MODP-1536" },
	{ ISAKMP_GROUP_MODP2048, "MODP-2048" },
	{ ISAKMP_GROUP_MODP3072, "MODP-3072" },
	{ ISAKMP_GROUP_MODP4096, "MODP-4096" },
	{ ISAKMP_GROUP_MODP6144, "MODP-6144" },
	{ ISAKMP_GROUP_MODP8192, "MODP-8192" },
	{ ISAKMP_GROUP_ECP256, "ECP-256" },
	{ ISAKMP_GROUP_ECP384, "ECP-384" },
	{ ISAKMP_GROUP_ECP521, "ECP-521" },
	{ ISAKMP_GROUP_MODP1024_S160, "MODP-1024-S160" },
	{ ISAKMP_GROUP_MODP2048_S224, "MODP-2048-S224" },
	{ ISAKMP_GROUP_MODP2048_S256, "MODP-2048-S256" },
	{ ISAKMP_GROUP_ECP192, "ECP-192" },
	{ ISAKMP_GROUP_ECP224, "ECP-224" },
};

static const struct isakmp_name group_type_rows[] = {
	{ ISAKMP_GROUP_TYPE_MODP, "MODP" },
	{ ISAKMP_GROUP_TYPE_ECP, "ECP" },
	{ ISAKMP_GROUP_TYPE_EC2N, "EC2N" },
};

static const struct isakmp_name life_rows[] = {
	{ ISAKMP_LIFE_SECONDS, "Seconds" },
	{ ISAKMP_LIFE_KILOBYTES, "Kilobytes" },
};

static const struct isakmp_name encap_rows[] = {
	{ ISAKMP_ENCAP_TUNNEL, "Tunnel" },
	{ ISAKMP_ENCAP_TRANSPORT, "Transport" },
	{ ISAKMP_ENCAP_UDP_TUNNEL, "UDP-Encapsulated-Tunnel" },
	{ ISAKMP_ENCAP_UDP_TRANSPORT, "UDP-Encapsulated-Transport" },
	{ ISAKMP_ENCAP_UDP_TUNNEL_DRAFT, "UDP-Encapsulated-Tunnel (draft)" },
	{ ISAKMP_ENCAP_UDP_TRANSPORT_DRAFT, "UDP-Encapsulated-Transport (draft)" },
};

static const struct isakmp_name auth_alg_rows[] = {
	{ ISAKMP_AUTH_ALG_HMAC_MD5, "HMAC-MD5" },
	{ ISAKMP_AUTH_ALG_HMAC_SHA, "HMAC-SHA" },
	{ ISAKMP_AUTH_ALG_DES_MAC, "DES-MAC" },
	{ ISAKMP_AUTH_ALG_KPDK, "KPDK" },
	{ ISAKMP_AUTH_ALG_HMAC_SHA2_256, "HMAC-SHA2-256" },
	{ ISAKMP_AUTH_ALG_HMAC_SHA2_384, "HMAC-SHA2-384" },
	{ ISAKMP_AUTH_ALG_HMAC_SHA2_512, "HMAC-SHA2-512" },
};

static const struct isakmp_name xauth_type_rows[] = {
	{ ISAKMP_XAUTH_TYPE_GENERIC, "Generic" },
	{ ISAKMP_XAUTH_TYPE_RADIUS_CHAP, "RADIUS-CHAP" },
	{ ISAKMP_XAUTH_TYPE_OTP, "OTP" },
	{ ISAKMP_XAUTH_TYPE_SKEY, "S/KEY" },
};

static const struct isakmp_name xauth_status_rows[] = {
	{ ISAKMP_XAUTH_STATUS_FAIL, "FAIL" },
	{ ISAKMP_XAUTH_STATUS_OK, "OK" },
};

static const struct isakmp_name_table encr_values = TABLE(encr_rows);
static const struct isakmp_name_table hash_values = TABLE(hash_rows);
static const struct isakmp_name_table auth_values = TABLE(auth_rows);
static const struct isakmp_name_table group_values = TABLE(group_rows);
static const struct isakmp_name_table group_type_values = TABLE(group_type_rows);
static const struct isakmp_name_table life_values = TABLE(life_rows);
static const struct isakmp_name_table encap_values = TABLE(encap_rows);
static const struct isakmp_name_table auth_alg_values = TABLE(auth_alg_rows);
static const struct isakmp_name_table xauth_type_values = TABLE(xauth_type_rows);
static const struct isakmp_name_table xauth_status_values = TABLE(xauth_status_rows);

/* Attribute classes: name, whether defined as basic (B) or variable (V), values. */
struct attr_desc {
	uint16_t type;
	const char *name;
	bool basic;
	const struct isakmp_name_table *values;
};

/* RFC 2409 App. A. */
static const struct attr_desc ike_attrs[] = {
	{ ISAKMP_IKE_ENCR, "Encryption-Algorithm", true, &encr_values },
	{ ISAKMP_IKE_HASH, "Hash-Algorithm", true, &hash_values },
	{ ISAKMP_IKE_AUTH, "Authentication-Method", true, &auth_values },
	{ ISAKMP_IKE_GROUP_DESC, "Group-Description", true, &group_values },
	{ ISAKMP_IKE_GROUP_TYPE, "Group-Type", true, &group_type_values },
	{ ISAKMP_IKE_GROUP_PRIME, "Group-Prime/Irreducible-Polynomial", false, NULL },
	{ ISAKMP_IKE_GROUP_GEN_ONE, "Group-Generator-One", false, NULL },
	{ ISAKMP_IKE_GROUP_GEN_TWO, "Group-Generator-Two", false, NULL },
	{ ISAKMP_IKE_GROUP_CURVE_A, "Group-Curve-A", false, NULL },
	{ ISAKMP_IKE_GROUP_CURVE_B, "Group-Curve-B", false, NULL },
	{ ISAKMP_IKE_LIFE_TYPE, "Life-Type", true, &life_values },
	{ ISAKMP_IKE_LIFE_DURATION, "Life-Duration", false, NULL },
	{ ISAKMP_IKE_PRF, "PRF", true, NULL },
	{ ISAKMP_IKE_KEY_LENGTH, "Key-Length", true, NULL },
	{ ISAKMP_IKE_FIELD_SIZE, "Field-Size", true, NULL },
	{ ISAKMP_IKE_GROUP_ORDER, "Group-Order", false, NULL },
};

/* RFC 2407 s4.5. */
static const struct attr_desc ipsec_attrs[] = {
	{ ISAKMP_IPSEC_LIFE_TYPE, "SA-Life-Type", true, &life_values },
	{ ISAKMP_IPSEC_LIFE_DURATION, "SA-Life-Duration", false, NULL },
	{ ISAKMP_IPSEC_GROUP_DESC, "Group-Description", true, &group_values },
	{ ISAKMP_IPSEC_ENCAP_MODE, "Encapsulation-Mode", true, &encap_values },
	{ ISAKMP_IPSEC_AUTH_ALG, "Authentication-Algorithm", true, &auth_alg_values },
	{ ISAKMP_IPSEC_KEY_LENGTH, "Key-Length", true, NULL },
	{ ISAKMP_IPSEC_KEY_ROUNDS, "Key-Rounds", true, NULL },
	{ ISAKMP_IPSEC_COMP_DICT_SIZE, "Compress-Dictionary-Size", true, NULL },
	{ ISAKMP_IPSEC_COMP_PRIV_ALG, "Compress-Private-Algorithm", false, NULL },
};

/* mode-cfg-05 s3.4, dukes-02, xauth-06 s4.2, beaulieu-02, Cisco Unity. Basic
 * flags are informative here: Mode Config lists are not checked for form. */
static const struct attr_desc cfg_attrs[] = {
	{ ISAKMP_CFG_INTERNAL_IP4_ADDRESS, "INTERNAL_IP4_ADDRESS", false, NULL },
	{ ISAKMP_CFG_INTERNAL_IP4_NETMASK, "INTERNAL_IP4_NETMASK", false, NULL },
	{ ISAKMP_CFG_INTERNAL_IP4_DNS, "INTERNAL_IP4_DNS", false, NULL },
	{ ISAKMP_CFG_INTERNAL_IP4_NBNS, "INTERNAL_IP4_NBNS", false, NULL },
	{ ISAKMP_CFG_INTERNAL_ADDRESS_EXPIRY, "INTERNAL_ADDRESS_EXPIRY", false, NULL },
	{ ISAKMP_CFG_INTERNAL_IP4_DHCP, "INTERNAL_IP4_DHCP", false, NULL },
	{ ISAKMP_CFG_APPLICATION_VERSION, "APPLICATION_VERSION", false, NULL },
	{ ISAKMP_CFG_INTERNAL_IP6_ADDRESS, "INTERNAL_IP6_ADDRESS", false, NULL },
	{ ISAKMP_CFG_INTERNAL_IP6_NETMASK, "INTERNAL_IP6_NETMASK", false, NULL },
	{ ISAKMP_CFG_INTERNAL_IP6_DNS, "INTERNAL_IP6_DNS", false, NULL },
	{ ISAKMP_CFG_INTERNAL_IP6_NBNS, "INTERNAL_IP6_NBNS", false, NULL },
	{ ISAKMP_CFG_INTERNAL_IP6_DHCP, "INTERNAL_IP6_DHCP", false, NULL },
	{ ISAKMP_CFG_INTERNAL_IP4_SUBNET, "INTERNAL_IP4_SUBNET", false, NULL },
	{ ISAKMP_CFG_SUPPORTED_ATTRIBUTES, "SUPPORTED_ATTRIBUTES", false, NULL },
	{ ISAKMP_CFG_INTERNAL_IP6_SUBNET, "INTERNAL_IP6_SUBNET", false, NULL },
	{ ISAKMP_CFG_XAUTH_TYPE, "XAUTH_TYPE", true, &xauth_type_values },
	{ ISAKMP_CFG_XAUTH_USER_NAME, "XAUTH_USER_NAME", false, NULL },
	{ ISAKMP_CFG_XAUTH_USER_PASSWORD, "XAUTH_USER_PASSWORD", false, NULL },
	{ ISAKMP_CFG_XAUTH_PASSCODE, "XAUTH_PASSCODE", false, NULL },
	{ ISAKMP_CFG_XAUTH_MESSAGE, "XAUTH_MESSAGE", false, NULL },
	{ ISAKMP_CFG_XAUTH_CHALLENGE, "XAUTH_CHALLENGE", false, NULL },
	{ ISAKMP_CFG_XAUTH_DOMAIN, "XAUTH_DOMAIN", false, NULL },
	{ ISAKMP_CFG_XAUTH_STATUS, "XAUTH_STATUS", true, &xauth_status_values },
	{ ISAKMP_CFG_XAUTH_NEXT_PIN, "XAUTH_NEXT_PIN", false, NULL },
	{ ISAKMP_CFG_XAUTH_ANSWER, "XAUTH_ANSWER", false, NULL },
	{ ISAKMP_CFG_UNITY_BANNER, "UNITY_BANNER", false, NULL },
	{ ISAKMP_CFG_UNITY_SAVE_PASSWD, "UNITY_SAVE_PASSWD", false, NULL },
	{ ISAKMP_CFG_UNITY_DEF_DOMAIN, "UNITY_DEF_DOMAIN", false, NULL },
	{ ISAKMP_CFG_UNITY_SPLITDNS_NAME, "UNITY_SPLITDNS_NAME", false, NULL },
	{ ISAKMP_CFG_UNITY_SPLIT_INCLUDE, "UNITY_SPLIT_INCLUDE", false, NULL },
	{ ISAKMP_CFG_UNITY_NATT_PORT, "UNITY_NATT_PORT", false, NULL },
	{ ISAKMP_CFG_UNITY_LOCAL_LAN, "UNITY_LOCAL_LAN", false, NULL },
	{ ISAKMP_CFG_UNITY_PFS, "UNITY_PFS", false, NULL },
	{ ISAKMP_CFG_UNITY_FW_TYPE, "UNITY_FW_TYPE", false, NULL },
	{ ISAKMP_CFG_UNITY_BACKUP_SERVERS, "UNITY_BACKUP_SERVERS", false, NULL },
	{ ISAKMP_CFG_UNITY_DDNS_HOSTNAME, "UNITY_DDNS_HOSTNAME", false, NULL },
};

static const struct attr_desc *attr_desc_find(enum isakmp_attr_space space, uint16_t type)
{
	const struct attr_desc *t;
	size_t n, i;

	switch (space) {
	case ISAKMP_ATTRS_IKE:
		t = ike_attrs;
		n = sizeof(ike_attrs) / sizeof(ike_attrs[0]);
		break;
	case ISAKMP_ATTRS_IPSEC:
		t = ipsec_attrs;
		n = sizeof(ipsec_attrs) / sizeof(ipsec_attrs[0]);
		break;
	case ISAKMP_ATTRS_CFG:
		t = cfg_attrs;
		n = sizeof(cfg_attrs) / sizeof(cfg_attrs[0]);
		break;
	default:
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (t[i].type == type)
			return &t[i];
	return NULL;
}

const char *isakmp_attr_name(enum isakmp_attr_space space, uint16_t type)
{
	const struct attr_desc *d = attr_desc_find(space, type);

	return d ? d->name : NULL;
}

const char *isakmp_attr_value_name(enum isakmp_attr_space space, uint16_t type, uint32_t value)
{
	const struct attr_desc *d = attr_desc_find(space, type);

	return d ? isakmp_name_lookup(d->values, value) : NULL;
}

int isakmp_attr_is_basic(enum isakmp_attr_space space, uint16_t type)
{
	const struct attr_desc *d = attr_desc_find(space, type);

	return d && d->basic;
}

#define LOOKUP(fn, argtype, rows)                                                                  \
	const char *fn(argtype v)                                                                  \
	{                                                                                          \
		static const struct isakmp_name_table t = TABLE(rows);                             \
		return isakmp_name_lookup(&t, v);                                                  \
	}

const char *isakmp_payload_name(uint8_t type)
{
	return isakmp_name_lookup(&isakmp_payload_names, type);
}

const char *isakmp_exchange_name(uint8_t type)
{
	return isakmp_name_lookup(&isakmp_exchange_names, type);
}

const char *isakmp_notify_name(uint16_t type)
{
	return isakmp_name_lookup(&isakmp_notify_names, type);
}

LOOKUP(isakmp_doi_name, uint32_t, doi_rows)
LOOKUP(isakmp_proto_name, uint8_t, proto_rows)
LOOKUP(isakmp_id_type_name, uint8_t, id_rows)
LOOKUP(isakmp_cert_encoding_name, uint8_t, cert_rows)
LOOKUP(isakmp_cfg_type_name, uint8_t, cfg_type_rows)

const char *isakmp_xform_name(uint8_t protocol, uint8_t id)
{
	static const struct isakmp_name_table isakmp_t = TABLE(isakmp_xform_rows);
	static const struct isakmp_name_table esp_t = TABLE(esp_rows);
	static const struct isakmp_name_table ah_t = TABLE(ah_rows);
	static const struct isakmp_name_table ipcomp_t = TABLE(ipcomp_rows);

	switch (protocol) {
	case ISAKMP_PROTO_ISAKMP:
		return isakmp_name_lookup(&isakmp_t, id);
	case ISAKMP_PROTO_ESP:
		return isakmp_name_lookup(&esp_t, id);
	case ISAKMP_PROTO_AH:
		return isakmp_name_lookup(&ah_t, id);
	case ISAKMP_PROTO_IPCOMP:
		return isakmp_name_lookup(&ipcomp_t, id);
	default:
		return NULL;
	}
}
