// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xfrm/route.c: RTM_GETROUTE requests byte for byte, and the reply parser over kernel replies
 * captured by tests/vectors/route/capture.py (Linux 6.x, a scratch namespace with two IPv4
 * default routes of metric 100 and 200, the second with src=, and one IPv6 default route).
 * The expected values are the namespace's configuration, not this parser's output. Then every
 * truncation and a set of targeted corruptions, which must be refused without reading outside
 * the buffer (the ASan build checks the latter).
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "xfrm/route.h"

#ifndef ROUTE_VECTORS_DIR
#error "ROUTE_VECTORS_DIR must name tests/vectors/route"
#endif

#define SEQ_DUMP 7 /* capture.py's sequence numbers */
#define SEQ_GET	 8

static uint8_t *load(const char *name, size_t *len)
{
	char path[512];
	uint8_t *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", ROUTE_VECTORS_DIR, name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_gt(n, 0);
	rewind(f);
	/* An exact-size heap buffer: ASan sees any read past the reply. */
	buf = malloc((size_t)n);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void addr_parse(int family, const char *text, uint8_t *out)
{
	memset(out, 0, 16);
	ck_assert_int_eq(inet_pton(family, text, out), 1);
}

/* ---- requests ---- */

START_TEST(test_build_get_v4)
{
	/* nlmsghdr {36, RTM_GETROUTE=26, NLM_F_REQUEST, seq 0x01020304, pid 0}, rtmsg {AF_INET,
	 * dst_len 32, rest 0}, RTA_DST {len 8, type 1, 192.0.2.1}; host byte order (x86). */
	static const uint8_t want[36] = {
		36, 0, 0, 0, 26, 0, 1, 0, 4, 3, 2, 1, 0, 0, 0,	 0, 2, 32,
		0,  0, 0, 0, 0,	 0, 0, 0, 0, 0, 8, 0, 1, 0, 192, 0, 2, 1,
	};
	uint8_t buf[128], dst[16];

	addr_parse(AF_INET, "192.0.2.1", dst);
	ck_assert_int_eq(route_msg_build_get(buf, sizeof(buf), 0x01020304, AF_INET, dst), 36);
	ck_assert_mem_eq(buf, want, sizeof(want));
}
END_TEST

START_TEST(test_build_get_v6)
{
	uint8_t buf[128], dst[16];
	const struct rtmsg *rtm = (const struct rtmsg *)(buf + 16);

	addr_parse(AF_INET6, "2001:db8::1", dst);
	/* 16 header + 12 rtmsg + 4 attribute header + 16 address */
	ck_assert_int_eq(route_msg_build_get(buf, sizeof(buf), 5, AF_INET6, dst), 48);
	ck_assert_uint_eq(rtm->rtm_family, AF_INET6);
	ck_assert_uint_eq(rtm->rtm_dst_len, 128);
	ck_assert_uint_eq(buf[28], 20); /* RTA_DST length */
	ck_assert_uint_eq(buf[30], RTA_DST);
	ck_assert_mem_eq(buf + 32, dst, 16);
}
END_TEST

START_TEST(test_build_dump)
{
	/* {28, 26, NLM_F_REQUEST|NLM_F_DUMP = 0x301, seq 7, pid 0}, rtmsg {AF_INET}. */
	static const uint8_t want[28] = {
		28, 0, 0, 0, 26, 0, 0x01, 0x03, 7, 0, 0, 0, 0, 0,
		0,  0, 2, 0, 0,	 0, 0,	  0,	0, 0, 0, 0, 0, 0,
	};
	uint8_t buf[64];

	ck_assert_int_eq(route_msg_build_dump(buf, sizeof(buf), SEQ_DUMP, AF_INET), 28);
	ck_assert_mem_eq(buf, want, sizeof(want));
}
END_TEST

START_TEST(test_build_limits)
{
	uint8_t buf[64], dst[16] = { 192, 0, 2, 1 };

	ck_assert_int_eq(route_msg_build_get(buf, 35, 1, AF_INET, dst), -EMSGSIZE);
	ck_assert_int_eq(route_msg_build_get(buf, 27, 1, AF_INET, dst), -EMSGSIZE);
	ck_assert_int_eq(route_msg_build_get(buf, 47, 1, AF_INET6, dst), -EMSGSIZE);
	ck_assert_int_eq(route_msg_build_dump(buf, 27, 1, AF_INET), -EMSGSIZE);
	ck_assert_int_eq(route_msg_build_get(buf, sizeof(buf), 1, AF_UNSPEC, dst), -EINVAL);
	ck_assert_int_eq(route_msg_build_dump(buf, sizeof(buf), 1, 7), -EINVAL);
}
END_TEST

/* ---- changes: addresses and routes of a Mode Config client ---- */

/* Expected bytes written from the netlink ABI (linux/netlink.h, if_addr.h, rtnetlink.h), host
 * byte order (x86): RTM_NEWADDR 20, RTM_DELADDR 21, RTM_NEWROUTE 24, RTM_DELROUTE 25;
 * NLM_F_REQUEST|NLM_F_ACK = 0x005, + NLM_F_EXCL|NLM_F_CREATE = 0x605. */
START_TEST(test_build_addr)
{
	static const uint8_t add[40] = {
		40, 0,	0, 0, 20, 0, 0x05, 0x06, 9, 0, 0, 0, 0, 0, 0, 0, /* nlmsghdr */
		2,  32, 0, 0, 3,  0, 0,	   0,				 /* ifaddrmsg, index 3 */
		8,  0,	2, 0, 10, 3, 0,	   1,				 /* IFA_LOCAL 10.3.0.1 */
		8,  0,	1, 0, 10, 3, 0,	   1,				 /* IFA_ADDRESS */
	};
	uint8_t buf[128], a[4] = { 10, 3, 0, 1 };

	ck_assert_int_eq(route_msg_build_addr(buf, sizeof(buf), 9, true, AF_INET, a, 32, 3), 40);
	ck_assert_mem_eq(buf, add, sizeof(add));
	ck_assert_int_eq(route_msg_build_addr(buf, sizeof(buf), 9, false, AF_INET, a, 32, 3), 40);
	ck_assert_uint_eq(buf[4], 21);
	ck_assert_uint_eq(buf[6], 0x05);
	ck_assert_uint_eq(buf[7], 0x00);
	ck_assert_mem_eq(buf + 16, add + 16, sizeof(add) - 16);
	ck_assert_int_eq(route_msg_build_addr(buf, 39, 9, true, AF_INET, a, 32, 3), -EMSGSIZE);
	ck_assert_int_eq(route_msg_build_addr(buf, sizeof(buf), 9, true, AF_INET, a, 33, 3),
			 -EINVAL);
	ck_assert_int_eq(route_msg_build_addr(buf, sizeof(buf), 9, true, AF_INET, a, 32, 0),
			 -EINVAL);
	ck_assert_int_eq(route_msg_build_addr(buf, sizeof(buf), 9, true, 7, a, 32, 3), -EINVAL);
}
END_TEST

START_TEST(test_build_route)
{
	static const uint8_t add[60] = {
		60, 0,	0, 0, 24,  0,  0x05, 0x06, 9, 0, 0, 0, 0, 0, 0, 0, /* nlmsghdr */
		2,  24, 0, 0, 254, 78, 0,    1,	   0, 0, 0, 0, /* rtmsg: main, proto 78, universe,
								  unicast */
		8,  0,	1, 0, 10,  9,  0,    0,		       /* RTA_DST 10.9.0.0 */
		8,  0,	4, 0, 3,   0,  0,    0,		       /* RTA_OIF 3 */
		8,  0,	5, 0, 192, 0,  2,    1,		       /* RTA_GATEWAY */
		8,  0,	7, 0, 10,  3,  0,    1,		       /* RTA_PREFSRC */
	};
	static const uint8_t del[36] = {
		36, 0, 0, 0,  25, 0, 0x05, 0x00, 9,   0, 0, 0, 0, 0,
		0,  0, 2, 24, 0,  0, 254,  78,	 255, 1, 0, 0, 0, 0, /* scope nowhere: any */
		8,  0, 1, 0,  10, 9, 0,	   0,
	};
	uint8_t buf[128], dst[4] = { 10, 9, 0, 0 }, gw[4] = { 192, 0, 2, 1 },
			  src[4] = { 10, 3, 0, 1 };
	struct route_change r = { .family = AF_INET,
				  .dst = dst,
				  .dst_len = 24,
				  .oif = 3,
				  .gateway = gw,
				  .prefsrc = src };

	ck_assert_int_eq(route_msg_build_route(buf, sizeof(buf), 9, true, &r), 60);
	ck_assert_mem_eq(buf, add, sizeof(add));
	ck_assert_int_eq(route_msg_build_route(buf, 59, 9, true, &r), -EMSGSIZE);
	r.oif = 0;
	r.gateway = r.prefsrc = NULL;
	ck_assert_int_eq(route_msg_build_route(buf, sizeof(buf), 9, false, &r), 36);
	ck_assert_mem_eq(buf, del, sizeof(del));
	r.dst_len = 33;
	ck_assert_int_eq(route_msg_build_route(buf, sizeof(buf), 9, true, &r), -EINVAL);
}
END_TEST

/* The answer to a change: an ack (error 0) completes it; an error is the kernel's errno; a
 * route message in between is skipped; another sequence number is not ours. */
START_TEST(test_reply_ack)
{
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} m;
	struct route_reply st;

	memset(&m, 0, sizeof(m));
	m.h.nlmsg_len = sizeof(m);
	m.h.nlmsg_type = NLMSG_ERROR;
	m.h.nlmsg_seq = 1;
	memset(&st, 0, sizeof(st));
	st.query = ROUTE_QUERY_ACK;
	st.seq = 1;
	ck_assert_int_eq(route_reply_parse(&st, &m, sizeof(m)), 1);
	m.e.error = -EEXIST;
	ck_assert_int_eq(route_reply_parse(&st, &m, sizeof(m)), -EEXIST);
	m.h.nlmsg_seq = 2;
	ck_assert_int_eq(route_reply_parse(&st, &m, sizeof(m)), 0);
	m.h.nlmsg_seq = 1;
	m.e.error = 5; /* a positive errno is no answer the kernel gives */
	ck_assert_int_eq(route_reply_parse(&st, &m, sizeof(m)), -EBADMSG);
	ck_assert_int_eq(route_reply_parse(&st, &m, sizeof(m) - 1), -EBADMSG);
}
END_TEST

/* ---- captured replies ---- */

struct reply_vec {
	const char *file;
	enum route_query query;
	int family;
	int rc;
	bool found;
	uint8_t type;
	const char *prefsrc; /* NULL: none */
	const char *gateway; /* NULL: none */
	uint32_t priority;
	unsigned n_default;
};

static const struct reply_vec reply_vecs[] = {
	/* Two default routes: metric 100 via 192.0.2.1 (no src) wins over metric 200. */
	{ "dump4-two-defaults.bin", ROUTE_QUERY_DEFAULT, AF_INET, 1, true, RTN_UNICAST, NULL,
	  "192.0.2.1", 100, 2 },
	{ "dump4-prefsrc.bin", ROUTE_QUERY_DEFAULT, AF_INET, 1, true, RTN_UNICAST, "198.51.100.7",
	  "198.51.100.1", 200, 1 },
	{ "dump4-none.bin", ROUTE_QUERY_DEFAULT, AF_INET, 1, false, 0, NULL, NULL, 0, 0 },
	{ "get4-gateway.bin", ROUTE_QUERY_GET, AF_INET, 1, true, RTN_UNICAST, "192.0.2.10", NULL, 0,
	  0 },
	{ "get4-local.bin", ROUTE_QUERY_GET, AF_INET, 1, true, RTN_LOCAL, "192.0.2.10", NULL, 0,
	  0 },
	{ "get4-unreach.bin", ROUTE_QUERY_GET, AF_INET, -ENETUNREACH, false, 0, NULL, NULL, 0, 0 },
	{ "dump6.bin", ROUTE_QUERY_DEFAULT, AF_INET6, 1, true, RTN_UNICAST, NULL, "2001:db8::1",
	  1024, 1 },
	/* IPv6 answers carry the matching route's metric: 256 for the connected 2001:db8::/64. */
	{ "get6-gateway.bin", ROUTE_QUERY_GET, AF_INET6, 1, true, RTN_UNICAST, "2001:db8::10", NULL,
	  256, 0 },
	{ "get6-local.bin", ROUTE_QUERY_GET, AF_INET6, 1, true, RTN_LOCAL, "2001:db8::10", NULL, 0,
	  0 },
};

static void reply_init(struct route_reply *st, const struct reply_vec *v)
{
	memset(st, 0, sizeof(*st));
	st->query = v->query;
	st->family = v->family;
	st->seq = v->query == ROUTE_QUERY_GET ? SEQ_GET : SEQ_DUMP;
}

static void reply_check(const struct route_reply *st, const struct reply_vec *v)
{
	size_t alen = v->family == AF_INET ? 4 : 16;
	uint8_t a[16];

	ck_assert_int_eq(st->found, v->found);
	ck_assert_uint_eq(st->n_default, v->n_default);
	if (!v->found)
		return;
	ck_assert_int_eq(st->route.family, v->family);
	ck_assert_uint_eq(st->route.type, v->type);
	ck_assert_uint_eq(st->route.priority, v->priority);
	ck_assert_int_eq(st->route.has_prefsrc, v->prefsrc != NULL);
	ck_assert_int_eq(st->route.has_gateway, v->gateway != NULL);
	if (v->prefsrc) {
		addr_parse(v->family, v->prefsrc, a);
		ck_assert_mem_eq(st->route.prefsrc, a, alen);
	}
	if (v->gateway) {
		addr_parse(v->family, v->gateway, a);
		ck_assert_mem_eq(st->route.gateway, a, alen);
	}
	if (v->query == ROUTE_QUERY_DEFAULT) {
		ck_assert_uint_eq(st->route.dst_len, 0);
		ck_assert_uint_eq(st->route.table, RT_TABLE_MAIN);
		ck_assert_uint_ne(st->route.oif, 0);
	} else {
		ck_assert_uint_eq(st->route.dst_len, v->family == AF_INET ? 32 : 128);
	}
}

START_TEST(test_reply_whole)
{
	const struct reply_vec *v = &reply_vecs[_i];
	struct route_reply st;
	size_t len;
	uint8_t *buf = load(v->file, &len);

	reply_init(&st, v);
	ck_assert_int_eq(route_reply_parse(&st, buf, len), v->rc);
	reply_check(&st, v);
	free(buf);
}
END_TEST

/* The same reply one message per recv(): "more" until the last, same result. */
START_TEST(test_reply_chunked)
{
	const struct reply_vec *v = &reply_vecs[_i];
	struct route_reply st;
	size_t len, off = 0;
	uint8_t *buf = load(v->file, &len);
	int rc = 0;

	reply_init(&st, v);
	while (off < len) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(buf + off);
		size_t n = NLMSG_ALIGN(nlh->nlmsg_len);
		uint8_t *chunk = malloc(n);

		ck_assert_int_eq(rc, 0);
		ck_assert_ptr_nonnull(chunk);
		memcpy(chunk, buf + off, n);
		rc = route_reply_parse(&st, chunk, n);
		free(chunk);
		off += n;
	}
	ck_assert_int_eq(rc, v->rc);
	reply_check(&st, v);
	free(buf);
}
END_TEST

/* A reply to another request (another sequence number) is not ours. */
START_TEST(test_reply_other_seq)
{
	const struct reply_vec *v = &reply_vecs[_i];
	struct route_reply st;
	size_t len;
	uint8_t *buf = load(v->file, &len);

	reply_init(&st, v);
	st.seq += 100;
	ck_assert_int_eq(route_reply_parse(&st, buf, len), 0);
	ck_assert(!st.found);
	free(buf);
}
END_TEST

/* Every prefix that ends inside a message is malformed; a prefix that ends between messages
 * asks for more (a dump) or is complete (the first message of a get). */
START_TEST(test_reply_truncated)
{
	const struct reply_vec *v = &reply_vecs[_i];
	size_t len, k, boundary = 0;
	uint8_t *buf = load(v->file, &len);

	for (k = 1; k < len; k++) {
		struct route_reply st;
		uint8_t *part = malloc(k);
		int rc;

		ck_assert_ptr_nonnull(part);
		memcpy(part, buf, k);
		while (boundary < k) {
			const struct nlmsghdr *nlh = (const struct nlmsghdr *)(buf + boundary);

			boundary += NLMSG_ALIGN(nlh->nlmsg_len);
		}
		reply_init(&st, v);
		rc = route_reply_parse(&st, part, k);
		if (boundary == k)
			ck_assert_msg(rc == 0 || rc == 1 || rc == v->rc, "%s[0..%zu): %d", v->file,
				      k, rc);
		else
			ck_assert_msg(rc == -EBADMSG, "%s[0..%zu): %d, want -EBADMSG", v->file, k,
				      rc);
		free(part);
	}
	free(buf);
}
END_TEST

/* Offset of the first attribute of @type in the first message of @buf. */
static size_t attr_offset(const uint8_t *buf, uint16_t type)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct rtmsg));

	while (off + 4 <= nlh->nlmsg_len) {
		uint16_t alen, atype;

		memcpy(&alen, buf + off, 2);
		memcpy(&atype, buf + off + 2, 2);
		if (atype == type)
			return off;
		ck_assert_uint_ge(alen, 4);
		off += NLMSG_ALIGN(alen);
	}
	ck_abort_msg("attribute %u not found", type);
	return 0;
}

enum mutation {
	MUT_PREFSRC_LEN,  /* RTA_PREFSRC of 6 bytes */
	MUT_OIF_LEN,	  /* RTA_OIF of 2 bytes */
	MUT_ATTR_OVERRUN, /* an attribute longer than the message */
	MUT_ATTR_TINY,	  /* an attribute length below its header */
	MUT_FAMILY,	  /* rtm_family 7 */
	MUT_FAMILY_OTHER, /* an IPv6 route in an IPv4 reply */
	MUT_DST_LEN,	  /* rtm_dst_len 33 for IPv4 */
	MUT_NLMSG_LONG,	  /* nlmsg_len past the buffer */
	MUT_NLMSG_SHORT,  /* nlmsg_len below the netlink header */
	MUT_RTMSG_SHORT,  /* no room for struct rtmsg */
	MUT_ERROR_SHORT,  /* NLMSG_ERROR without struct nlmsgerr */
	MUT_ERROR_POSITIVE,
	MUT_COUNT,
};

START_TEST(test_reply_mutations)
{
	struct route_reply st;
	size_t len;
	uint8_t *buf = load(_i == MUT_ERROR_SHORT || _i == MUT_ERROR_POSITIVE ? "get4-unreach.bin"
									      : "get4-gateway.bin",
			    &len);
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct rtmsg *rtm = (struct rtmsg *)(buf + NLMSG_HDRLEN);
	uint16_t v16;
	int32_t v32;
	size_t off;

	switch ((enum mutation)_i) {
	case MUT_PREFSRC_LEN:
		off = attr_offset(buf, RTA_PREFSRC);
		v16 = 6;
		memcpy(buf + off, &v16, 2);
		break;
	case MUT_OIF_LEN:
		off = attr_offset(buf, RTA_OIF);
		v16 = 6;
		memcpy(buf + off, &v16, 2);
		break;
	case MUT_ATTR_OVERRUN:
		off = attr_offset(buf, RTA_PREFSRC);
		v16 = (uint16_t)(nlh->nlmsg_len - off + 4);
		memcpy(buf + off, &v16, 2);
		break;
	case MUT_ATTR_TINY:
		off = attr_offset(buf, RTA_PREFSRC);
		v16 = 3;
		memcpy(buf + off, &v16, 2);
		break;
	case MUT_FAMILY:
		rtm->rtm_family = 7;
		break;
	case MUT_FAMILY_OTHER:
		rtm->rtm_family = AF_INET6; /* 4-byte addresses then fail the length check too */
		break;
	case MUT_DST_LEN:
		rtm->rtm_dst_len = 33;
		break;
	case MUT_NLMSG_LONG:
		nlh->nlmsg_len = (uint32_t)len + 4;
		break;
	case MUT_NLMSG_SHORT:
		nlh->nlmsg_len = 8;
		break;
	case MUT_RTMSG_SHORT:
		nlh->nlmsg_len = NLMSG_HDRLEN + 8;
		break;
	case MUT_ERROR_SHORT:
		nlh->nlmsg_len = NLMSG_HDRLEN + 2;
		break;
	case MUT_ERROR_POSITIVE:
		v32 = 101;
		memcpy(buf + NLMSG_HDRLEN, &v32, 4);
		break;
	case MUT_COUNT:
		break;
	}
	memset(&st, 0, sizeof(st));
	st.query = ROUTE_QUERY_GET;
	st.family = AF_INET;
	st.seq = SEQ_GET;
	ck_assert_int_eq(route_reply_parse(&st, buf, len), -EBADMSG);
	ck_assert(!st.found);
	free(buf);
}
END_TEST

/* The same reply asked for as IPv6: the route's family does not match the query. */
START_TEST(test_reply_family_mismatch)
{
	struct route_reply st;
	size_t len;
	uint8_t *buf = load("get4-gateway.bin", &len);

	memset(&st, 0, sizeof(st));
	st.query = ROUTE_QUERY_GET;
	st.family = AF_INET6;
	st.seq = SEQ_GET;
	ck_assert_int_eq(route_reply_parse(&st, buf, len), -EBADMSG);
	free(buf);
}
END_TEST

/* Every single-byte corruption of every reply: any result but a crash or an out-of-bounds
 * read (ASan), and a "found" route always has a family the query asked for. */
START_TEST(test_reply_bitflips)
{
	const struct reply_vec *v = &reply_vecs[_i];
	static const uint8_t xors[] = { 0x01, 0x80, 0xff };
	size_t len;
	uint8_t *buf = load(v->file, &len);

	for (size_t i = 0; i < len; i++)
		for (size_t x = 0; x < sizeof(xors); x++) {
			struct route_reply st;
			int rc;

			reply_init(&st, v);
			buf[i] ^= xors[x];
			rc = route_reply_parse(&st, buf, len);
			buf[i] ^= xors[x];
			ck_assert(rc <= 1);
			if (st.found)
				ck_assert_int_eq(st.route.family, v->family);
		}
	free(buf);
}
END_TEST

#define LOOP(tc, fn, table)                                                                        \
	tcase_add_loop_test(tc, fn, 0, (int)(sizeof(table) / sizeof((table)[0])))

int main(void)
{
	Suite *s = suite_create("xfrm_route");
	TCase *tc = tcase_create("build");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_build_get_v4);
	tcase_add_test(tc, test_build_get_v6);
	tcase_add_test(tc, test_build_dump);
	tcase_add_test(tc, test_build_limits);
	tcase_add_test(tc, test_build_addr);
	tcase_add_test(tc, test_build_route);
	tcase_add_test(tc, test_reply_ack);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse");
	LOOP(tc, test_reply_whole, reply_vecs);
	LOOP(tc, test_reply_chunked, reply_vecs);
	LOOP(tc, test_reply_other_seq, reply_vecs);
	LOOP(tc, test_reply_truncated, reply_vecs);
	tcase_add_loop_test(tc, test_reply_mutations, 0, MUT_COUNT);
	tcase_add_test(tc, test_reply_family_mismatch);
	LOOP(tc, test_reply_bitflips, reply_vecs);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
