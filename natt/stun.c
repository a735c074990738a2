// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * STUN codec (RFC 5389, RFC 5780 attributes). Every length is checked
 * before the bytes it covers are read: the header against the datagram,
 * each attribute header against what is left, each padded value against
 * what is left, then each known value against its own format.
 */
#include "natt/stun.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

uint32_t stun_crc32(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffffu;

	/* Bitwise, reflected polynomial 0xEDB88320: a few hundred bytes per
	 * message, no table needed. */
	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return crc ^ 0xffffffffu;
}

bool stun_is_stun(const uint8_t *buf, size_t len)
{
	/* s6: the most significant 2 bits are zero; s8: the magic cookie and
	 * a length that is a multiple of 4 tell STUN from other protocols. */
	return len >= STUN_HDR_LEN && (buf[0] & 0xc0) == 0 && (get16(buf + 2) & 3) == 0 &&
	       get32(buf + 4) == STUN_MAGIC_COOKIE;
}

int stun_attr_next(const uint8_t *buf, size_t len, size_t *pos, struct stun_attr *a)
{
	size_t left;

	if (*pos == len)
		return 0;
	if (*pos > len)
		return -EBADMSG;
	left = len - *pos;
	/* The four checks: a header fits, then its padded value fits. */
	if (left < STUN_ATTR_HDR_LEN)
		return -EBADMSG;
	a->off = *pos;
	a->type = get16(buf + *pos);
	a->len = get16(buf + *pos + 2);
	if (pad4(a->len) > left - STUN_ATTR_HDR_LEN)
		return -EBADMSG;
	a->val = buf + *pos + STUN_ATTR_HDR_LEN;
	*pos += STUN_ATTR_HDR_LEN + pad4(a->len);
	return 1;
}

/* s15.1/s15.2: family 0x01 (IPv4, 8 bytes) or 0x02 (IPv6, 20 bytes); the
 * first byte is reserved and ignored. XOR form: the port with the top 16
 * bits of the cookie, the address with the cookie (and, IPv6, the TID). */
static int addr_decode(const struct stun_attr *a, bool use_xor, const uint8_t *hdr,
		       struct sockaddr_storage *out)
{
	uint8_t mask[16];
	uint16_t port;

	if (a->len < 4)
		return -EBADMSG;
	memcpy(mask, hdr + 4, 16); /* cookie + transaction ID */
	port = get16(a->val + 2);
	if (use_xor)
		port ^= (uint16_t)(STUN_MAGIC_COOKIE >> 16);
	memset(out, 0, sizeof(*out));
	if (a->val[1] == 0x01) {
		struct sockaddr_in *sin = (struct sockaddr_in *)out;
		uint8_t ip[4];

		if (a->len != 8)
			return -EBADMSG;
		memcpy(ip, a->val + 4, 4);
		for (int i = 0; use_xor && i < 4; i++)
			ip[i] ^= mask[i];
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, ip, 4);
		return 0;
	}
	if (a->val[1] == 0x02) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;
		uint8_t ip[16];

		if (a->len != 20)
			return -EBADMSG;
		memcpy(ip, a->val + 4, 16);
		for (int i = 0; use_xor && i < 16; i++)
			ip[i] ^= mask[i];
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, ip, 16);
		return 0;
	}
	return -EBADMSG;
}

static void note_unknown(struct stun_msg *m, uint16_t type)
{
	/* s15: 0x0000-0x7FFF are comprehension-required. */
	if (type >= 0x8000)
		return;
	if (m->n_unknown < STUN_UNKNOWN_MAX)
		m->unknown[m->n_unknown] = type;
	m->n_unknown++;
}

static int addr_once(const struct stun_attr *a, bool use_xor, const uint8_t *hdr, bool *has,
		     struct sockaddr_storage *out)
{
	struct sockaddr_storage tmp;
	int rc = addr_decode(a, use_xor, hdr, &tmp);

	if (rc < 0)
		return rc;
	/* s15: only the first occurrence of an attribute counts. */
	if (!*has) {
		*out = tmp;
		*has = true;
	}
	return 0;
}

static int attr_decode(const uint8_t *buf, const struct stun_attr *a, struct stun_msg *m)
{
	switch (a->type) {
	case STUN_ATTR_XOR_MAPPED_ADDRESS:
		return addr_once(a, true, buf, &m->has_xor_mapped, &m->xor_mapped);
	case STUN_ATTR_MAPPED_ADDRESS:
		return addr_once(a, false, buf, &m->has_mapped, &m->mapped);
	case STUN_ATTR_OTHER_ADDRESS:
	case STUN_ATTR_CHANGED_ADDRESS:
		return addr_once(a, false, buf, &m->has_other, &m->other);
	case STUN_ATTR_RESPONSE_ORIGIN:
		return addr_once(a, false, buf, &m->has_origin, &m->origin);
	case STUN_ATTR_CHANGE_REQUEST:
		/* RFC 5780 s7.2: 32 bits, flags A (change IP) and B (change port). */
		if (a->len != 4)
			return -EBADMSG;
		if (!m->has_change) {
			m->change = get32(a->val) & (STUN_CHANGE_IP | STUN_CHANGE_PORT);
			m->has_change = true;
		}
		return 0;
	case STUN_ATTR_RESPONSE_PORT:
		/* RFC 5780 s7.5: a 16-bit port and 2 bytes of padding. */
		if (a->len != 4)
			return -EBADMSG;
		if (!m->has_response_port) {
			m->response_port = get16(a->val);
			m->has_response_port = true;
		}
		return 0;
	case STUN_ATTR_ERROR_CODE: {
		unsigned cls, num;

		/* s15.6: 21 reserved bits, class 3..6, number 0..99, reason. */
		if (a->len < 4 || a->len - 4u > STUN_REASON_MAX)
			return -EBADMSG;
		cls = a->val[2] & 7u;
		num = a->val[3];
		if (cls < 3 || cls > 6 || num > 99)
			return -EBADMSG;
		if (!m->has_error) {
			m->has_error = true;
			m->error_code = (uint16_t)(cls * 100 + num);
			m->reason = a->val + 4;
			m->reason_len = a->len - 4u;
		}
		return 0;
	}
	case STUN_ATTR_SOFTWARE:
		if (a->len > STUN_SOFTWARE_MAX)
			return -EBADMSG;
		if (!m->software) {
			m->software = a->val;
			m->software_len = a->len;
		}
		return 0;
	case STUN_ATTR_USERNAME:
		if (a->len > STUN_USERNAME_MAX)
			return -EBADMSG;
		if (!m->username) {
			m->username = a->val;
			m->username_len = a->len;
		}
		return 0;
	case STUN_ATTR_UNKNOWN_ATTRIBUTES:
		/* s15.9: a list of 16-bit types. */
		return (a->len & 1) ? -EBADMSG : 0;
	case STUN_ATTR_PADDING:
	case STUN_ATTR_REALM:
	case STUN_ATTR_NONCE:
	case STUN_ATTR_ALTERNATE_SERVER:
		return 0; /* understood enough to skip */
	default:
		note_unknown(m, a->type);
		return 0;
	}
}

int stun_decode(const uint8_t *buf, size_t len, struct stun_msg *m)
{
	struct stun_attr a;
	bool after_mi = false, after_fp = false;
	size_t pos = STUN_HDR_LEN;
	uint16_t type;
	int rc;

	memset(m, 0, sizeof(*m));
	if (len < STUN_HDR_LEN)
		return -EBADMSG;
	if ((buf[0] & 0xc0) || get32(buf + 4) != STUN_MAGIC_COOKIE)
		return -EPROTO;
	/* s6: the length excludes the header, is a multiple of 4, and over
	 * UDP the message is the whole datagram. */
	if (get16(buf + 2) & 3 || (size_t)get16(buf + 2) != len - STUN_HDR_LEN)
		return -EBADMSG;
	type = get16(buf);
	m->method = (uint16_t)((type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2));
	m->cls = (enum stun_class)(((type >> 4) & 1) | ((type >> 7) & 2));
	memcpy(m->tid, buf + 8, STUN_TID_LEN);
	m->len = len;
	while ((rc = stun_attr_next(buf, len, &pos, &a)) > 0) {
		/* s15.5: FINGERPRINT is the last attribute. */
		if (after_fp)
			return -EBADMSG;
		if (a.type == STUN_ATTR_FINGERPRINT) {
			if (a.len != 4)
				return -EBADMSG;
			m->has_fingerprint = true;
			m->fingerprint_off = a.off;
			m->fingerprint = get32(a.val);
			after_fp = true;
			continue;
		}
		/* s15.4: after MESSAGE-INTEGRITY, all but FINGERPRINT is ignored. */
		if (after_mi)
			continue;
		if (a.type == STUN_ATTR_MESSAGE_INTEGRITY) {
			if (a.len != STUN_HMAC_LEN)
				return -EBADMSG;
			m->has_integrity = true;
			m->integrity_off = a.off;
			after_mi = true;
			continue;
		}
		m->n_attrs++;
		rc = attr_decode(buf, &a, m);
		if (rc < 0)
			return rc;
	}
	return rc;
}

int stun_check_fingerprint(const uint8_t *buf, const struct stun_msg *m)
{
	if (!m->has_fingerprint)
		return -ENOENT;
	if ((stun_crc32(buf, m->fingerprint_off) ^ STUN_FINGERPRINT_XOR) != m->fingerprint)
		return -EBADMSG;
	return 0;
}

/* HMAC-SHA1 over a 20-byte header copy and then @rest. */
static int hmac_sha1(const uint8_t *key, size_t key_len, const uint8_t hdr[STUN_HDR_LEN],
		     const uint8_t *rest, size_t rest_len, uint8_t out[STUN_HMAC_LEN])
{
	OSSL_PARAM params[2];
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	size_t outl = 0;
	int rc = -EIO;

	if (!key || !key_len)
		return -EINVAL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA1", 0);
	params[1] = OSSL_PARAM_construct_end();
	mac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
	if (!mac)
		goto out;
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx || EVP_MAC_init(ctx, key, key_len, params) != 1 ||
	    EVP_MAC_update(ctx, hdr, STUN_HDR_LEN) != 1 ||
	    (rest_len && EVP_MAC_update(ctx, rest, rest_len) != 1) ||
	    EVP_MAC_final(ctx, out, &outl, STUN_HMAC_LEN) != 1 || outl != STUN_HMAC_LEN)
		goto out;
	rc = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return rc;
}

int stun_check_integrity(const uint8_t *buf, const struct stun_msg *m, const uint8_t *key,
			 size_t key_len)
{
	uint8_t hdr[STUN_HDR_LEN], mac[STUN_HMAC_LEN];
	int rc;

	if (!m->has_integrity)
		return -ENOENT;
	/* s15.4: the length field covers up to and including
	 * MESSAGE-INTEGRITY, as if it were the last attribute. */
	memcpy(hdr, buf, STUN_HDR_LEN);
	put16(hdr + 2,
	      (uint16_t)(m->integrity_off + STUN_ATTR_HDR_LEN + STUN_HMAC_LEN - STUN_HDR_LEN));
	rc = hmac_sha1(key, key_len, hdr, buf + STUN_HDR_LEN, m->integrity_off - STUN_HDR_LEN, mac);
	if (rc < 0)
		return rc;
	if (CRYPTO_memcmp(mac, buf + m->integrity_off + STUN_ATTR_HDR_LEN, STUN_HMAC_LEN))
		return -EBADMSG;
	return 0;
}

static const struct {
	uint16_t type;
	const char *name;
} attr_names[] = {
	{ STUN_ATTR_MAPPED_ADDRESS, "MAPPED-ADDRESS" },
	{ STUN_ATTR_CHANGE_REQUEST, "CHANGE-REQUEST" },
	{ STUN_ATTR_CHANGED_ADDRESS, "CHANGED-ADDRESS" },
	{ STUN_ATTR_USERNAME, "USERNAME" },
	{ STUN_ATTR_MESSAGE_INTEGRITY, "MESSAGE-INTEGRITY" },
	{ STUN_ATTR_ERROR_CODE, "ERROR-CODE" },
	{ STUN_ATTR_UNKNOWN_ATTRIBUTES, "UNKNOWN-ATTRIBUTES" },
	{ STUN_ATTR_REALM, "REALM" },
	{ STUN_ATTR_NONCE, "NONCE" },
	{ STUN_ATTR_XOR_MAPPED_ADDRESS, "XOR-MAPPED-ADDRESS" },
	{ STUN_ATTR_PADDING, "PADDING" },
	{ STUN_ATTR_RESPONSE_PORT, "RESPONSE-PORT" },
	{ STUN_ATTR_SOFTWARE, "SOFTWARE" },
	{ STUN_ATTR_ALTERNATE_SERVER, "ALTERNATE-SERVER" },
	{ STUN_ATTR_FINGERPRINT, "FINGERPRINT" },
	{ STUN_ATTR_RESPONSE_ORIGIN, "RESPONSE-ORIGIN" },
	{ STUN_ATTR_OTHER_ADDRESS, "OTHER-ADDRESS" },
};

const char *stun_attr_name(uint16_t type)
{
	for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
		if (attr_names[i].type == type)
			return attr_names[i].name;
	return NULL;
}

/* Building. */

static void set_len(struct stun_builder *b, size_t body)
{
	put16(b->buf + 2, (uint16_t)body);
}

void stun_build_start(struct stun_builder *b, uint8_t *buf, size_t cap, uint16_t method,
		      enum stun_class cls, const uint8_t tid[STUN_TID_LEN])
{
	uint16_t type;

	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap < STUN_MSG_MAX ? cap : STUN_MSG_MAX;
	if (!buf || cap < STUN_HDR_LEN) {
		b->err = -EMSGSIZE;
		return;
	}
	if (method > 0xfff) {
		b->err = -EINVAL;
		return;
	}
	/* s6: M11..M7 C1 M6..M4 C0 M3..M0. */
	type = (uint16_t)((method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) |
			  ((cls & 1) << 4) | ((cls & 2) << 7));
	put16(buf, type);
	put16(buf + 2, 0);
	put32(buf + 4, STUN_MAGIC_COOKIE);
	memcpy(buf + 8, tid, STUN_TID_LEN);
	memcpy(b->tid, tid, STUN_TID_LEN);
	b->len = STUN_HDR_LEN;
}

void stun_build_attr(struct stun_builder *b, uint16_t type, const void *val, size_t len)
{
	size_t need;

	if (b->err)
		return;
	if (len > 0xffff) {
		b->err = -EMSGSIZE;
		return;
	}
	need = STUN_ATTR_HDR_LEN + pad4(len);
	if (need > b->cap - b->len) {
		b->err = -EMSGSIZE;
		return;
	}
	put16(b->buf + b->len, type);
	put16(b->buf + b->len + 2, (uint16_t)len);
	if (len)
		memcpy(b->buf + b->len + STUN_ATTR_HDR_LEN, val, len);
	memset(b->buf + b->len + STUN_ATTR_HDR_LEN + len, 0, pad4(len) - len);
	b->len += need;
	set_len(b, b->len - STUN_HDR_LEN);
}

void stun_build_u32(struct stun_builder *b, uint16_t type, uint32_t v)
{
	uint8_t val[4];

	put32(val, v);
	stun_build_attr(b, type, val, sizeof(val));
}

void stun_build_response_port(struct stun_builder *b, uint16_t port)
{
	uint8_t val[4] = { 0 };

	put16(val, port);
	stun_build_attr(b, STUN_ATTR_RESPONSE_PORT, val, sizeof(val));
}

void stun_build_address(struct stun_builder *b, uint16_t type, const struct sockaddr *sa)
{
	bool use_xor = type == STUN_ATTR_XOR_MAPPED_ADDRESS;
	uint8_t val[20] = { 0 }, mask[16];
	size_t n;
	uint16_t port;

	if (b->err)
		return;
	put32(mask, STUN_MAGIC_COOKIE);
	memcpy(mask + 4, b->tid, STUN_TID_LEN);
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

		val[1] = 0x01;
		port = ntohs(sin->sin_port);
		memcpy(val + 4, &sin->sin_addr, 4);
		n = 8;
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

		val[1] = 0x02;
		port = ntohs(sin6->sin6_port);
		memcpy(val + 4, &sin6->sin6_addr, 16);
		n = 20;
	} else {
		b->err = -EAFNOSUPPORT;
		return;
	}
	if (use_xor) {
		port ^= (uint16_t)(STUN_MAGIC_COOKIE >> 16);
		for (size_t i = 0; i < n - 4; i++)
			val[4 + i] ^= mask[i];
	}
	put16(val + 2, port);
	stun_build_attr(b, type, val, n);
}

void stun_build_error(struct stun_builder *b, uint16_t code, const char *reason)
{
	uint8_t val[4 + STUN_REASON_MAX] = { 0 };
	size_t rlen = reason ? strlen(reason) : 0;

	if (b->err)
		return;
	if (code < 300 || code > 699 || rlen > STUN_REASON_MAX) {
		b->err = -EINVAL;
		return;
	}
	val[2] = (uint8_t)(code / 100);
	val[3] = (uint8_t)(code % 100);
	if (rlen)
		memcpy(val + 4, reason, rlen);
	stun_build_attr(b, STUN_ATTR_ERROR_CODE, val, 4 + rlen);
}

void stun_build_integrity(struct stun_builder *b, const uint8_t *key, size_t key_len)
{
	uint8_t hdr[STUN_HDR_LEN], mac[STUN_HMAC_LEN];
	int rc;

	if (b->err)
		return;
	if (STUN_ATTR_HDR_LEN + STUN_HMAC_LEN > b->cap - b->len) {
		b->err = -EMSGSIZE;
		return;
	}
	memcpy(hdr, b->buf, STUN_HDR_LEN);
	put16(hdr + 2, (uint16_t)(b->len + STUN_ATTR_HDR_LEN + STUN_HMAC_LEN - STUN_HDR_LEN));
	rc = hmac_sha1(key, key_len, hdr, b->buf + STUN_HDR_LEN, b->len - STUN_HDR_LEN, mac);
	if (rc < 0) {
		b->err = rc;
		return;
	}
	stun_build_attr(b, STUN_ATTR_MESSAGE_INTEGRITY, mac, sizeof(mac));
}

void stun_build_fingerprint(struct stun_builder *b)
{
	if (b->err)
		return;
	if (STUN_ATTR_HDR_LEN + 4 > b->cap - b->len) {
		b->err = -EMSGSIZE;
		return;
	}
	/* s15.5: the length field already counts the FINGERPRINT attribute. */
	set_len(b, b->len + STUN_ATTR_HDR_LEN + 4 - STUN_HDR_LEN);
	stun_build_u32(b, STUN_ATTR_FINGERPRINT, stun_crc32(b->buf, b->len) ^ STUN_FINGERPRINT_XOR);
}

int stun_build_finish(const struct stun_builder *b)
{
	return b->err ? b->err : (int)b->len;
}
