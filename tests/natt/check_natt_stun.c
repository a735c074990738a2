// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the STUN codec (natt/stun.*): the RFC 5769 test vectors
 * (sample request, IPv4 and IPv6 responses: parse, MESSAGE-INTEGRITY and
 * FINGERPRINT; any flipped byte fails), round trips through the builder,
 * truncations and malformed attributes.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "natt/stun.h"
#include "tests/lib/natt_test.h"

/* RFC 5769 s2.1: "STUN test client", username "evtj:h6vY"; padding of
 * USERNAME is three spaces (s15: any value). */
static const uint8_t v_req[] = {
	0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
	0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x10, 0x53, 0x54, 0x55, 0x4e,
	0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x00, 0x24,
	0x00, 0x04, 0x6e, 0x00, 0x01, 0xff, 0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1,
	0x51, 0x26, 0x3b, 0x36, 0x00, 0x06, 0x00, 0x09, 0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68,
	0x36, 0x76, 0x59, 0x20, 0x20, 0x20, 0x00, 0x08, 0x00, 0x14, 0x9a, 0xea, 0xa7, 0x0c,
	0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5,
	0x71, 0xa2, 0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf,
};

/* RFC 5769 s2.2: "test vector", XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
static const uint8_t v_resp4[] = {
	0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
	0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74,
	0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x08, 0x00, 0x01,
	0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43, 0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99,
	0xfd, 0x9e, 0x90, 0xc3, 0x8c, 0x74, 0x89, 0xf9, 0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b,
	0xe7, 0xd7, 0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96,
};

/* RFC 5769 s2.3: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
static const uint8_t v_resp6[] = {
	0x01, 0x01, 0x00, 0x48, 0x21, 0x12, 0xa4, 0x42, 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
	0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae, 0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74,
	0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20, 0x00, 0x20, 0x00, 0x14, 0x00, 0x02,
	0xa1, 0x47, 0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79, 0xbc, 0x25, 0xf4, 0xb5,
	0xbe, 0xd2, 0xb9, 0xd9, 0x00, 0x08, 0x00, 0x14, 0xa3, 0x82, 0x95, 0x4e, 0x4b, 0xe6,
	0x7b, 0xf1, 0x17, 0x84, 0xc9, 0x7c, 0x82, 0x92, 0xc2, 0x75, 0xbf, 0xe3, 0xed, 0x41,
	0x80, 0x28, 0x00, 0x04, 0xc8, 0xfb, 0x0b, 0x4c,
};

static const char v_pwd[] = "VOkJxbRl1RmTxUk/WvJxBt";
static const uint8_t v_tid[STUN_TID_LEN] = { 0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34,
					     0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae };

struct vec {
	const char *what;
	const uint8_t *buf;
	size_t len;
	enum stun_class cls;
	const char *mapped; /* NULL: none */
	uint16_t port;
};

static const struct vec vecs[] = {
	{ "RFC 5769 s2.1 request", v_req, sizeof(v_req), STUN_CLASS_REQUEST, NULL, 0 },
	{ "RFC 5769 s2.2 IPv4 response", v_resp4, sizeof(v_resp4), STUN_CLASS_SUCCESS, "192.0.2.1",
	  32853 },
	{ "RFC 5769 s2.3 IPv6 response", v_resp6, sizeof(v_resp6), STUN_CLASS_SUCCESS,
	  "2001:db8:1234:5678:11:2233:4455:6677", 32853 },
};

static void ep_text(const struct sockaddr_storage *ss, char *out, size_t n, uint16_t *port)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s->sin_addr, out, (socklen_t)n);
		*port = ntohs(s->sin_port);
	} else {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s->sin6_addr, out, (socklen_t)n);
		*port = ntohs(s->sin6_port);
	}
}

START_TEST(test_vector_parse)
{
	const struct vec *v = &vecs[_i];
	struct stun_msg m;

	ck_assert_int_eq(stun_decode(v->buf, v->len, &m), 0);
	ck_assert(stun_is_stun(v->buf, v->len));
	ck_assert_uint_eq(m.method, STUN_METHOD_BINDING);
	ck_assert_int_eq(m.cls, v->cls);
	ck_assert_mem_eq(m.tid, v_tid, STUN_TID_LEN);
	ck_assert(m.has_integrity);
	ck_assert(m.has_fingerprint);
	ck_assert_uint_eq(m.fingerprint_off, v->len - 8);
	ck_assert_uint_eq(m.integrity_off, v->len - 32);
	ck_assert_int_eq(stun_check_fingerprint(v->buf, &m), 0);
	ck_assert_int_eq(stun_check_integrity(v->buf, &m, (const uint8_t *)v_pwd, strlen(v_pwd)),
			 0);
	ck_assert_int_eq(stun_check_integrity(v->buf, &m, (const uint8_t *)"wrong", 5), -EBADMSG);
	if (v->mapped) {
		char text[INET6_ADDRSTRLEN];
		uint16_t port;

		ck_assert(m.has_xor_mapped);
		ep_text(&m.xor_mapped, text, sizeof(text), &port);
		ck_assert_str_eq(text, v->mapped);
		ck_assert_uint_eq(port, v->port);
		ck_assert_uint_eq(m.software_len, 11);
		ck_assert_mem_eq(m.software, "test vector", 11);
		ck_assert_uint_eq(m.n_unknown, 0);
	} else {
		ck_assert(!m.has_xor_mapped);
		ck_assert_uint_eq(m.software_len, 16);
		ck_assert_mem_eq(m.software, "STUN test client", 16);
		ck_assert_uint_eq(m.username_len, 9);
		ck_assert_mem_eq(m.username, "evtj:h6vY", 9);
		/* PRIORITY (0x0024, ICE) is comprehension-required and unknown
		 * here; ICE-CONTROLLED (0x8029) is optional and not listed. */
		ck_assert_uint_eq(m.n_unknown, 1);
		ck_assert_uint_eq(m.unknown[0], 0x0024);
	}
}
END_TEST

/* Each byte of each vector flipped: the message is rejected, or both checks
 * fail (the HMAC for every byte before FINGERPRINT, padding included; the
 * CRC for every byte). A check "fails" when it mismatches or when the flip
 * turned its attribute into another one (-ENOENT). */
START_TEST(test_vector_flip)
{
	const struct vec *v = &vecs[_i];
	uint8_t buf[256];

	ck_assert_uint_le(v->len, sizeof(buf));
	for (size_t i = 0; i < v->len; i++) {
		struct stun_msg m;
		int rc;

		memcpy(buf, v->buf, v->len);
		buf[i] ^= 0x01;
		rc = stun_decode(buf, v->len, &m);
		if (rc < 0)
			continue;
		if (i < v->len - 8)
			ck_assert_msg(stun_check_integrity(buf, &m, (const uint8_t *)v_pwd,
							   strlen(v_pwd)) != 0,
				      "%s: flip of byte %zu passed MESSAGE-INTEGRITY", v->what, i);
		ck_assert_msg(stun_check_fingerprint(buf, &m) != 0,
			      "%s: flip of byte %zu passed FINGERPRINT", v->what, i);
	}
}
END_TEST

/* Every proper prefix is rejected (the length field no longer matches,
 * or the header is short); so is the message with 4 extra bytes. */
START_TEST(test_vector_truncate)
{
	const struct vec *v = &vecs[_i];
	uint8_t buf[260];
	struct stun_msg m;

	for (size_t n = 0; n < v->len; n++)
		ck_assert_int_lt(stun_decode(v->buf, n, &m), 0);
	memcpy(buf, v->buf, v->len);
	memset(buf + v->len, 0, 4);
	ck_assert_int_eq(stun_decode(buf, v->len + 4, &m), -EBADMSG);
}
END_TEST

/* Rebuild the IPv4 response with the builder: byte for byte equal, except
 * that SOFTWARE's padding is zero here and a space in RFC 5769 (so the
 * HMAC and CRC differ): compare with the padding patched to zero. */
START_TEST(test_build_vector4)
{
	uint8_t out[256], ref[sizeof(v_resp4)];
	struct stun_builder b;
	struct sockaddr_storage ep = natt_test_ep("192.0.2.1", 32853);
	struct stun_msg m;
	int n;

	stun_build_start(&b, out, sizeof(out), STUN_METHOD_BINDING, STUN_CLASS_SUCCESS, v_tid);
	stun_build_attr(&b, STUN_ATTR_SOFTWARE, "test vector", 11);
	stun_build_address(&b, STUN_ATTR_XOR_MAPPED_ADDRESS, SA(ep));
	stun_build_integrity(&b, (const uint8_t *)v_pwd, strlen(v_pwd));
	stun_build_fingerprint(&b);
	n = stun_build_finish(&b);
	ck_assert_int_eq(n, (int)sizeof(v_resp4));
	memcpy(ref, v_resp4, sizeof(ref));
	/* Up to the padding byte, identical. */
	ck_assert_mem_eq(out, ref, 35);
	ck_assert_uint_eq(out[35], 0);
	ck_assert_mem_eq(out + 36, ref + 36, 12);
	ck_assert_int_eq(stun_decode(out, (size_t)n, &m), 0);
	ck_assert_int_eq(stun_check_integrity(out, &m, (const uint8_t *)v_pwd, strlen(v_pwd)), 0);
	ck_assert_int_eq(stun_check_fingerprint(out, &m), 0);
}
END_TEST

/* A request as natcheck sends it, and a full RFC 5780 response, both ways. */
START_TEST(test_round_trip)
{
	static const char *const addrs[] = { "198.51.100.7", "2001:db8::7" };
	uint8_t out[512], tid[STUN_TID_LEN];
	struct stun_builder b;
	struct stun_msg m;
	int n;

	for (size_t i = 0; i < STUN_TID_LEN; i++)
		tid[i] = (uint8_t)(i * 17 + 3);
	stun_build_start(&b, out, sizeof(out), STUN_METHOD_BINDING, STUN_CLASS_REQUEST, tid);
	stun_build_u32(&b, STUN_ATTR_CHANGE_REQUEST, STUN_CHANGE_IP | STUN_CHANGE_PORT);
	stun_build_response_port(&b, 40001);
	stun_build_attr(&b, STUN_ATTR_SOFTWARE, "natkeyd", 7);
	stun_build_fingerprint(&b);
	n = stun_build_finish(&b);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(stun_decode(out, (size_t)n, &m), 0);
	ck_assert_int_eq(m.cls, STUN_CLASS_REQUEST);
	ck_assert(m.has_change);
	ck_assert_uint_eq(m.change, STUN_CHANGE_IP | STUN_CHANGE_PORT);
	ck_assert(m.has_response_port);
	ck_assert_uint_eq(m.response_port, 40001);
	ck_assert_int_eq(stun_check_fingerprint(out, &m), 0);
	ck_assert_int_eq(stun_check_integrity(out, &m, (const uint8_t *)"k", 1), -ENOENT);

	for (size_t k = 0; k < N(addrs); k++) {
		struct sockaddr_storage a = natt_test_ep(addrs[k], 4500);
		struct sockaddr_storage o = natt_test_ep(addrs[k], 3479);

		stun_build_start(&b, out, sizeof(out), STUN_METHOD_BINDING, STUN_CLASS_SUCCESS,
				 tid);
		stun_build_address(&b, STUN_ATTR_XOR_MAPPED_ADDRESS, SA(a));
		stun_build_address(&b, STUN_ATTR_MAPPED_ADDRESS, SA(a));
		stun_build_address(&b, STUN_ATTR_OTHER_ADDRESS, SA(o));
		stun_build_address(&b, STUN_ATTR_RESPONSE_ORIGIN, SA(o));
		stun_build_integrity(&b, (const uint8_t *)"secret", 6);
		stun_build_fingerprint(&b);
		n = stun_build_finish(&b);
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(stun_decode(out, (size_t)n, &m), 0);
		ck_assert_int_eq(m.cls, STUN_CLASS_SUCCESS);
		ck_assert(m.has_xor_mapped && m.has_mapped && m.has_other && m.has_origin);
		ck_assert_mem_eq(&m.xor_mapped, &a, sizeof(a));
		ck_assert_mem_eq(&m.mapped, &a, sizeof(a));
		ck_assert_mem_eq(&m.other, &o, sizeof(o));
		ck_assert_mem_eq(&m.origin, &o, sizeof(o));
		ck_assert_int_eq(stun_check_integrity(out, &m, (const uint8_t *)"secret", 6), 0);
		ck_assert_int_eq(stun_check_fingerprint(out, &m), 0);
	}

	stun_build_start(&b, out, sizeof(out), STUN_METHOD_BINDING, STUN_CLASS_ERROR, tid);
	stun_build_error(&b, 420, "Unknown Attribute");
	stun_build_u32(&b, STUN_ATTR_UNKNOWN_ATTRIBUTES, 0x00270000);
	n = stun_build_finish(&b);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(stun_decode(out, (size_t)n, &m), 0);
	ck_assert_int_eq(m.cls, STUN_CLASS_ERROR);
	ck_assert(m.has_error);
	ck_assert_uint_eq(m.error_code, 420);
	ck_assert_uint_eq(m.reason_len, 17);
	ck_assert_mem_eq(m.reason, "Unknown Attribute", 17);
}
END_TEST

/* The builder refuses what does not fit and stays failed. */
START_TEST(test_build_limits)
{
	uint8_t out[32], tid[STUN_TID_LEN] = { 0 };
	struct stun_builder b;
	struct sockaddr_storage un = { .ss_family = AF_UNIX };

	stun_build_start(&b, out, sizeof(out), STUN_METHOD_BINDING, STUN_CLASS_REQUEST, tid);
	stun_build_u32(&b, STUN_ATTR_CHANGE_REQUEST, 0); /* 28 bytes */
	ck_assert_int_eq(stun_build_finish(&b), 28);
	stun_build_fingerprint(&b); /* 36 > 32 */
	ck_assert_int_eq(stun_build_finish(&b), -EMSGSIZE);
	stun_build_start(&b, out, 19, STUN_METHOD_BINDING, STUN_CLASS_REQUEST, tid);
	ck_assert_int_eq(stun_build_finish(&b), -EMSGSIZE);
	stun_build_start(&b, out, sizeof(out), 0x1000, STUN_CLASS_REQUEST, tid);
	ck_assert_int_eq(stun_build_finish(&b), -EINVAL);
	stun_build_start(&b, out, sizeof(out), STUN_METHOD_BINDING, STUN_CLASS_REQUEST, tid);
	stun_build_address(&b, STUN_ATTR_MAPPED_ADDRESS, SA(un));
	ck_assert_int_eq(stun_build_finish(&b), -EAFNOSUPPORT);
	stun_build_start(&b, out, sizeof(out), STUN_METHOD_BINDING, STUN_CLASS_ERROR, tid);
	stun_build_error(&b, 299, NULL);
	ck_assert_int_eq(stun_build_finish(&b), -EINVAL);
}
END_TEST

/* A header plus one attribute given as raw bytes. */
static size_t one_attr(uint8_t *buf, uint16_t type, const uint8_t *val, uint16_t vlen,
		       uint16_t decl_len)
{
	size_t n = 20 + 4 + ((vlen + 3u) & ~3u);

	memset(buf, 0, n);
	buf[1] = 0x01;
	buf[2] = (uint8_t)((n - 20) >> 8);
	buf[3] = (uint8_t)(n - 20);
	buf[4] = 0x21;
	buf[5] = 0x12;
	buf[6] = 0xa4;
	buf[7] = 0x42;
	buf[20] = (uint8_t)(type >> 8);
	buf[21] = (uint8_t)type;
	buf[22] = (uint8_t)(decl_len >> 8);
	buf[23] = (uint8_t)decl_len;
	memcpy(buf + 24, val, vlen);
	return n;
}

struct bad {
	const char *what;
	uint16_t type;
	uint8_t val[24];
	uint16_t vlen, decl;
	int rc;
};

static const struct bad bads[] = {
	{ "XOR-MAPPED IPv4 with 7 bytes", STUN_ATTR_XOR_MAPPED_ADDRESS, { 0, 1 }, 8, 7, -EBADMSG },
	{ "MAPPED IPv4 declared 20 bytes", STUN_ATTR_MAPPED_ADDRESS, { 0, 1 }, 20, 20, -EBADMSG },
	{ "MAPPED IPv6 with 8 bytes", STUN_ATTR_MAPPED_ADDRESS, { 0, 2 }, 8, 8, -EBADMSG },
	{ "OTHER-ADDRESS family 3", STUN_ATTR_OTHER_ADDRESS, { 0, 3 }, 8, 8, -EBADMSG },
	{ "address of 2 bytes", STUN_ATTR_RESPONSE_ORIGIN, { 0, 1 }, 4, 2, -EBADMSG },
	{ "CHANGE-REQUEST of 8 bytes", STUN_ATTR_CHANGE_REQUEST, { 0 }, 8, 8, -EBADMSG },
	{ "RESPONSE-PORT of 2 bytes", STUN_ATTR_RESPONSE_PORT, { 0 }, 4, 2, -EBADMSG },
	{ "ERROR-CODE class 2", STUN_ATTR_ERROR_CODE, { 0, 0, 2, 0 }, 4, 4, -EBADMSG },
	{ "ERROR-CODE number 100", STUN_ATTR_ERROR_CODE, { 0, 0, 4, 100 }, 4, 4, -EBADMSG },
	{ "ERROR-CODE of 3 bytes", STUN_ATTR_ERROR_CODE, { 0, 0, 4 }, 4, 3, -EBADMSG },
	{ "MESSAGE-INTEGRITY of 16 bytes", STUN_ATTR_MESSAGE_INTEGRITY, { 0 }, 16, 16, -EBADMSG },
	{ "FINGERPRINT of 8 bytes", STUN_ATTR_FINGERPRINT, { 0 }, 8, 8, -EBADMSG },
	{ "UNKNOWN-ATTRIBUTES odd", STUN_ATTR_UNKNOWN_ATTRIBUTES, { 0 }, 4, 3, -EBADMSG },
	{ "value longer than the message", STUN_ATTR_SOFTWARE, { 0 }, 4, 5, -EBADMSG },
	{ "unknown comprehension-optional: skipped", 0x8fff, { 0 }, 4, 4, 0 },
	{ "unknown comprehension-required: listed", 0x7fff, { 0 }, 4, 4, 0 },
	{ "ERROR-CODE 699 is fine", STUN_ATTR_ERROR_CODE, { 0, 0, 6, 99 }, 4, 4, 0 },
};

START_TEST(test_bad_attr)
{
	const struct bad *t = &bads[_i];
	uint8_t buf[64];
	struct stun_msg m;
	size_t n = one_attr(buf, t->type, t->val, t->vlen, t->decl);

	ck_assert_msg(stun_decode(buf, n, &m) == t->rc, "%s", t->what);
	if (t->type == 0x7fff) {
		ck_assert_uint_eq(m.n_unknown, 1);
		ck_assert_uint_eq(m.unknown[0], 0x7fff);
	}
}
END_TEST

/* Header rules (RFC 5389 s6) and attribute order (s15.4, s15.5). */
START_TEST(test_header_rules)
{
	uint8_t buf[sizeof(v_resp4) + 8];
	struct stun_msg m;
	size_t n = sizeof(v_resp4);

	memcpy(buf, v_resp4, n);
	buf[0] |= 0x80; /* top bit set: not STUN */
	ck_assert_int_eq(stun_decode(buf, n, &m), -EPROTO);
	ck_assert(!stun_is_stun(buf, n));
	memcpy(buf, v_resp4, n);
	buf[5] ^= 1; /* no magic cookie */
	ck_assert_int_eq(stun_decode(buf, n, &m), -EPROTO);
	memcpy(buf, v_resp4, n);
	buf[3] = 0x3d; /* length not a multiple of 4 */
	ck_assert_int_eq(stun_decode(buf, n, &m), -EBADMSG);
	/* An attribute after FINGERPRINT. */
	memcpy(buf, v_resp4, n);
	memcpy(buf + n, "\x80\x22\x00\x04test", 8);
	buf[3] = 0x44;
	ck_assert_int_eq(stun_decode(buf, n + 8, &m), -EBADMSG);
	/* An attribute between MESSAGE-INTEGRITY and FINGERPRINT: ignored
	 * (s15.4), so a bad one there does not matter. */
	memcpy(buf, v_resp4, n - 8);
	memcpy(buf + n - 8, "\x00\x20\x00\x04\xff\xff\xff\xff", 8);
	memcpy(buf + n, v_resp4 + n - 8, 8);
	buf[3] = 0x44;
	ck_assert_int_eq(stun_decode(buf, n + 8, &m), 0);
	ck_assert_uint_eq(m.n_attrs, 2);
	ck_assert(m.has_xor_mapped);
	/* The empty message is a valid Binding request. */
	ck_assert_int_eq(stun_decode((const uint8_t *)"\x00\x01\x00\x00\x21\x12\xa4\x42"
						      "abcdefghijkl",
				     20, &m),
			 0);
	ck_assert_int_eq(m.cls, STUN_CLASS_REQUEST);
	ck_assert_int_eq(stun_check_fingerprint(v_resp4, &m), -ENOENT);
	ck_assert_str_eq(stun_attr_name(STUN_ATTR_XOR_MAPPED_ADDRESS), "XOR-MAPPED-ADDRESS");
	ck_assert_ptr_null(stun_attr_name(0x7777));
}
END_TEST

START_TEST(test_crc32)
{
	/* The CRC-32 check value (zlib crc32("123456789")). */
	ck_assert_uint_eq(stun_crc32((const uint8_t *)"123456789", 9), 0xcbf43926u);
}
END_TEST

static Suite *stun_suite(void)
{
	Suite *s = suite_create("natt_stun");
	TCase *tc = tcase_create("stun");

	tcase_add_loop_test(tc, test_vector_parse, 0, (int)N(vecs));
	tcase_add_loop_test(tc, test_vector_flip, 0, (int)N(vecs));
	tcase_add_loop_test(tc, test_vector_truncate, 0, (int)N(vecs));
	tcase_add_test(tc, test_build_vector4);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_build_limits);
	tcase_add_loop_test(tc, test_bad_attr, 0, (int)N(bads));
	tcase_add_test(tc, test_header_rules);
	tcase_add_test(tc, test_crc32);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(stun_suite());
}
