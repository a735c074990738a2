// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKEv1 fragments (ike/wire/isakmp_frag.c): the vendor ID, splitting,
 * decoding, and every rule of the reassembler, one case each (the shapes
 * of CVE-2016-10396 and CVE-2009-1574: index 0, more than allowed,
 * overlapping/duplicate fragments, disagreeing LAST flags, oversized
 * totals), plus round trips in every arrival order.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ike/wire/isakmp_encode.h"
#include "ike/wire/isakmp_frag.h"

#define MSG_LEN 2096 /* a Main Mode 5 with a certificate chain */

static uint8_t msg[ISAKMP_REASM_MAX_LEN];

/* A message with an encrypted-looking body: header, E flag, Main Mode. */
static size_t make_msg(size_t len)
{
	struct isakmp_hdr h;

	memset(&h, 0, sizeof(h));
	memset(h.icookie, 0x11, 8);
	memset(h.rcookie, 0x22, 8);
	h.np = ISAKMP_NP_ID;
	h.version = ISAKMP_VERSION;
	h.exchange = ISAKMP_XCHG_IDPROT;
	h.flags = ISAKMP_FLAG_E;
	h.length = (uint32_t)len;
	ck_assert_int_eq(isakmp_hdr_encode(msg, sizeof(msg), &h), ISAKMP_HDR_LEN);
	for (size_t i = ISAKMP_HDR_LEN; i < len; i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	return len;
}

static struct isakmp_frag frag(uint16_t id, uint8_t number, uint8_t flags, const void *data,
			       size_t len)
{
	struct isakmp_frag f = { .id = id, .number = number, .flags = flags };

	f.data = data;
	f.len = len;
	return f;
}

START_TEST(test_vid)
{
	uint8_t v[20];

	memcpy(v, isakmp_frag_vid, 16);
	memcpy(v + 16, "\xc0\x00\x00\x00", 4);
	ck_assert(isakmp_frag_vid_match(v, 16));
	ck_assert(isakmp_frag_vid_match(v, 20)); /* Cisco's capability word */
	memcpy(v + 16, "\x40\x00\x00\x00", 4);	 /* base ISAKMP messages only */
	ck_assert(!isakmp_frag_vid_match(v, 20));
	memcpy(v + 16, "\x80\x00\x00\x00", 4); /* strongSwan's */
	ck_assert(isakmp_frag_vid_match(v, 20));
	ck_assert(!isakmp_frag_vid_match(v, 15));
	ck_assert(!isakmp_frag_vid_match(v, 17));
	v[3] ^= 1;
	ck_assert(!isakmp_frag_vid_match(v, 16));
}
END_TEST

START_TEST(test_count)
{
	ck_assert_uint_eq(ISAKMP_FRAG_MSG_DEFAULT, 544);
	ck_assert_uint_eq(isakmp_frag_count(508, 544), 1);
	ck_assert_uint_eq(isakmp_frag_count(509, 544), 2);
	ck_assert_uint_eq(isakmp_frag_count(MSG_LEN, 544), 5);
	ck_assert_uint_eq(isakmp_frag_count(16 * 508, 544), 16);
	ck_assert_uint_eq(isakmp_frag_count(16 * 508 + 1, 544), 0); /* > 16 fragments */
	ck_assert_uint_eq(isakmp_frag_count(100, ISAKMP_FRAG_OVERHEAD), 0);
	ck_assert_uint_eq(isakmp_frag_count(0, 544), 0);
}
END_TEST

/* Every fragment decodes, carries the original's header fields, fits. */
START_TEST(test_build_decode)
{
	size_t len = make_msg(MSG_LEN), total = 0;
	unsigned count = isakmp_frag_count(len, 544);
	uint8_t out[1024];

	for (unsigned n = 1; n <= count; n++) {
		ssize_t fl = isakmp_frag_build(msg, len, 544, 9, n, out, sizeof(out));
		struct isakmp_hdr h;
		struct isakmp_frag f;
		struct isakmp_err err;

		ck_assert_int_gt(fl, 0);
		ck_assert_uint_le((size_t)fl, 544);
		ck_assert_int_eq(isakmp_frag_decode(out, (size_t)fl, &h, &f, &err), 0);
		ck_assert_uint_eq(h.np, ISAKMP_NP_FRAG);
		ck_assert_uint_eq(h.flags & ISAKMP_FLAG_E, 0);
		ck_assert_uint_eq(h.exchange, ISAKMP_XCHG_IDPROT);
		ck_assert_mem_eq(h.icookie, msg, 8);
		ck_assert_mem_eq(h.rcookie, msg + 8, 8);
		ck_assert_uint_eq(f.id, 9);
		ck_assert_uint_eq(f.number, n);
		ck_assert_uint_eq(!!(f.flags & ISAKMP_FRAG_LAST), n == count);
		ck_assert_mem_eq(f.data, msg + total, f.len);
		total += f.len;
	}
	ck_assert_uint_eq(total, len);
	ck_assert_int_eq(isakmp_frag_build(msg, len, 544, 9, 0, out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(isakmp_frag_build(msg, len, 544, 9, count + 1, out, sizeof(out)), -EINVAL);
	ck_assert_int_eq(isakmp_frag_build(msg, len, 544, 9, 1, out, 100), -ENOSPC);
}
END_TEST

/* Fragment headers: Aggressive Mode stays, everything else travels as Main
 * Mode with Message ID 0 (Quick Mode here); no flags. */
START_TEST(test_build_header)
{
	size_t len = make_msg(1000);
	uint8_t out[1024];
	struct isakmp_hdr h;
	struct isakmp_frag f;
	struct isakmp_err err;
	ssize_t fl;

	msg[18] = ISAKMP_XCHG_QUICK;
	msg[19] = ISAKMP_FLAG_E | ISAKMP_FLAG_C;
	msg[20] = 0x12;
	msg[23] = 0x78;
	fl = isakmp_frag_build(msg, len, 544, 1, 2, out, sizeof(out));
	ck_assert_int_eq(isakmp_frag_decode(out, (size_t)fl, &h, &f, &err), 0);
	ck_assert_uint_eq(h.exchange, ISAKMP_XCHG_IDPROT);
	ck_assert_uint_eq(h.msgid, 0);
	ck_assert_uint_eq(h.flags, 0);
	msg[18] = ISAKMP_XCHG_AGGR;
	fl = isakmp_frag_build(msg, len, 544, 1, 1, out, sizeof(out));
	ck_assert_int_eq(isakmp_frag_decode(out, (size_t)fl, &h, &f, &err), 0);
	ck_assert_uint_eq(h.exchange, ISAKMP_XCHG_AGGR);
	/* The original header travels inside the first slice, untouched. */
	ck_assert_mem_eq(f.data, msg, ISAKMP_HDR_LEN);
}
END_TEST

/* Fragment messages the decoder must refuse. */
START_TEST(test_decode_refuses)
{
	uint8_t m[256], data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct isakmp_hdr h;
	struct isakmp_frag f;
	struct isakmp_err err;
	struct isakmp_enc e;
	ssize_t n;

	memset(&h, 0, sizeof(h));
	memset(h.icookie, 1, 8);
	h.exchange = ISAKMP_XCHG_IDPROT;
#define BUILD(number, extra)                                                                       \
	do {                                                                                       \
		isakmp_enc_init(&e, m, sizeof(m));                                                 \
		isakmp_enc_hdr(&e, &h);                                                            \
		isakmp_enc_frag(&e, 1, number, 0, data, sizeof(data));                             \
		if (extra)                                                                         \
			isakmp_enc_generic(&e, ISAKMP_NP_VID, data, sizeof(data));                 \
		n = isakmp_enc_finish(&e);                                                         \
		ck_assert_int_gt(n, 0);                                                            \
	} while (0)
	BUILD(1, false);
	ck_assert_int_eq(isakmp_frag_decode(m, (size_t)n, &h, &f, &err), 0);
	/* E flag set. */
	m[19] |= ISAKMP_FLAG_E;
	ck_assert_int_eq(isakmp_frag_decode(m, (size_t)n, &h, &f, &err), -EBADMSG);
	ck_assert_str_eq(err.reason, "fragment message with the E flag set");
	/* Another payload after the fragment. */
	h.flags = 0;
	BUILD(1, true);
	ck_assert_int_eq(isakmp_frag_decode(m, (size_t)n, &h, &f, &err), -EBADMSG);
	/* Index 0 and above 16. */
	BUILD(0, false);
	ck_assert_int_eq(isakmp_frag_decode(m, (size_t)n, &h, &f, &err), -EBADMSG);
	BUILD(17, false);
	ck_assert_int_eq(isakmp_frag_decode(m, (size_t)n, &h, &f, &err), -EBADMSG);
	ck_assert_str_eq(err.reason, "fragment number above 16");
	/* Payload length shorter than the rest of the message. */
	BUILD(1, false);
	m[ISAKMP_HDR_LEN + 3] -= 1;
	ck_assert_int_eq(isakmp_frag_decode(m, (size_t)n, &h, &f, &err), -EBADMSG);
	/* Not a fragment at all. */
	BUILD(1, false);
	m[16] = ISAKMP_NP_VID;
	ck_assert_int_eq(isakmp_frag_decode(m, (size_t)n, &h, &f, &err), -EBADMSG);
	/* Truncated: header only. */
	BUILD(1, false);
	m[24] = 0;
	m[25] = 0;
	m[26] = 0;
	m[27] = ISAKMP_HDR_LEN;
	ck_assert_int_eq(isakmp_frag_decode(m, ISAKMP_HDR_LEN, &h, &f, &err), -EBADMSG);
#undef BUILD
}
END_TEST

/* Round trips in order, reversed and interleaved with duplicates. */
static const unsigned orders[][5] = {
	{ 1, 2, 3, 4, 5 },
	{ 5, 4, 3, 2, 1 },
	{ 3, 1, 5, 2, 4 },
	{ 2, 5, 1, 4, 3 },
};

START_TEST(test_roundtrip)
{
	static struct isakmp_reasm r;
	static uint8_t out[ISAKMP_REASM_MAX_LEN];
	size_t len = make_msg(MSG_LEN), got = 0;
	uint8_t f8[5][1024];
	ssize_t fl[5];
	struct isakmp_hdr h;
	struct isakmp_frag f;
	struct isakmp_err err;

	ck_assert_uint_eq(isakmp_frag_count(len, 544), 5);
	for (unsigned n = 1; n <= 5; n++)
		fl[n - 1] = isakmp_frag_build(msg, len, 544, 3, n, f8[n - 1], sizeof(f8[0]));
	isakmp_reasm_init(&r);
	for (unsigned k = 0; k < 5; k++) {
		unsigned n = orders[_i][k];
		enum isakmp_reasm_result res;

		ck_assert_int_eq(isakmp_frag_decode(f8[n - 1], (size_t)fl[n - 1], &h, &f, &err), 0);
		res = isakmp_reasm_add(&r, &f, 100 + k, out, sizeof(out), &got, NULL);
		ck_assert_int_eq(res, k == 4 ? ISAKMP_REASM_DONE : ISAKMP_REASM_MORE);
		/* A duplicate of what just arrived changes nothing. */
		if (k < 4)
			ck_assert_int_eq(
				isakmp_reasm_add(&r, &f, 100 + k, out, sizeof(out), &got, NULL),
				ISAKMP_REASM_DUP);
	}
	ck_assert_uint_eq(got, len);
	ck_assert_mem_eq(out, msg, len);
	ck_assert(!r.active);
}
END_TEST

/* One inconsistency per row: every one abandons what was held. */
struct bad_seq {
	const char *name;
	unsigned n;
	struct {
		uint8_t number, flags, fill;
		uint16_t len;
	} f[16];
	enum isakmp_reasm_result last;
	const char *why;
};

static const struct bad_seq bad[] = {
	{ "overlapping: same number, other bytes",
	  2,
	  { { 1, 0, 0xaa, 100 }, { 1, 0, 0xbb, 100 } },
	  ISAKMP_REASM_ABANDONED,
	  "the same fragment number with other contents" },
	{ "overlapping: same number, other length",
	  2,
	  { { 2, 0, 0xaa, 100 }, { 2, 0, 0xaa, 99 } },
	  ISAKMP_REASM_ABANDONED,
	  "the same fragment number with other contents" },
	{ "above last",
	  2,
	  { { 2, 1, 0xaa, 100 }, { 3, 0, 0xaa, 100 } },
	  ISAKMP_REASM_ABANDONED,
	  "a fragment numbered above the one flagged last" },
	{ "second last",
	  2,
	  { { 3, 1, 0xaa, 100 }, { 2, 1, 0xaa, 100 } },
	  ISAKMP_REASM_ABANDONED,
	  "two fragments flagged last" },
	{ "last below held",
	  2,
	  { { 4, 0, 0xaa, 100 }, { 2, 1, 0xaa, 100 } },
	  ISAKMP_REASM_ABANDONED,
	  "last flag below a fragment already received" },
	{ "index 0",
	  2,
	  { { 1, 0, 0xaa, 100 }, { 0, 1, 0xaa, 100 } },
	  ISAKMP_REASM_REFUSED,
	  "fragment number 0" },
	{ "index 17",
	  2,
	  { { 1, 0, 0xaa, 100 }, { 17, 1, 0xaa, 100 } },
	  ISAKMP_REASM_REFUSED,
	  "fragment number above 16" },
	{ "index 255",
	  1,
	  { { 255, 1, 0xaa, 100 } },
	  ISAKMP_REASM_REFUSED,
	  "fragment number above 16" },
	{ "empty", 1, { { 1, 1, 0xaa, 0 } }, ISAKMP_REASM_REFUSED, "empty fragment" },
	{ "total too large",
	  14,
	  { { 1, 0, 1, 600 },
	    { 2, 0, 1, 600 },
	    { 3, 0, 1, 600 },
	    { 4, 0, 1, 600 },
	    { 5, 0, 1, 600 },
	    { 6, 0, 1, 600 },
	    { 7, 0, 1, 600 },
	    { 8, 0, 1, 600 },
	    { 9, 0, 1, 600 },
	    { 10, 0, 1, 600 },
	    { 11, 0, 1, 600 },
	    { 12, 0, 1, 600 },
	    { 13, 0, 1, 600 },
	    { 14, 1, 1, 600 } },
	  ISAKMP_REASM_ABANDONED,
	  "reassembled message too large" },
};

START_TEST(test_bad_sequences)
{
	static struct isakmp_reasm r;
	static uint8_t out[ISAKMP_REASM_MAX_LEN], data[1024];
	const struct bad_seq *b = &bad[_i];
	enum isakmp_reasm_result res = ISAKMP_REASM_MORE;
	const char *why = NULL;
	size_t got = 0;
	bool was_active = false;

	isakmp_reasm_init(&r);
	for (unsigned k = 0; k < b->n; k++) {
		struct isakmp_frag f;

		memset(data, b->f[k].fill, b->f[k].len);
		f = frag(5, b->f[k].number, b->f[k].flags, data, b->f[k].len);
		was_active = r.active;
		res = isakmp_reasm_add(&r, &f, 1000, out, sizeof(out), &got, &why);
		if (k + 1 < b->n)
			ck_assert_msg(res == ISAKMP_REASM_MORE, "%s: step %u: %s", b->name, k,
				      isakmp_reasm_result_name(res));
	}
	ck_assert_msg(res == b->last, "%s: %s", b->name, isakmp_reasm_result_name(res));
	ck_assert_str_eq(why, b->why);
	if (res == ISAKMP_REASM_ABANDONED)
		ck_assert_msg(!r.active, "%s: state kept", b->name);
	else /* refused: what was held stays */
		ck_assert_int_eq(r.active, was_active);
}
END_TEST

START_TEST(test_timeout_and_new_id)
{
	static struct isakmp_reasm r;
	static uint8_t out[ISAKMP_REASM_MAX_LEN];
	uint8_t a[50], b[50];
	struct isakmp_frag f;
	const char *why;
	size_t got = 0;

	memset(a, 0xaa, sizeof(a));
	memset(b, 0xbb, sizeof(b));
	isakmp_reasm_init(&r);
	f = frag(1, 1, 0, a, sizeof(a));
	ck_assert_int_eq(isakmp_reasm_add(&r, &f, 0, out, sizeof(out), &got, &why),
			 ISAKMP_REASM_MORE);
	ck_assert(!isakmp_reasm_expired(&r, ISAKMP_REASM_TIMEOUT_MS));
	ck_assert(isakmp_reasm_expired(&r, ISAKMP_REASM_TIMEOUT_MS + 1));
	/* After the timeout, fragment 2 (last) does not complete the stale 1. */
	f = frag(1, 2, ISAKMP_FRAG_LAST, b, sizeof(b));
	ck_assert_int_eq(
		isakmp_reasm_add(&r, &f, ISAKMP_REASM_TIMEOUT_MS + 1, out, sizeof(out), &got, &why),
		ISAKMP_REASM_MORE);
	ck_assert_str_eq(why, "an earlier partial message timed out");
	/* A new Fragment ID drops the partial message. */
	f = frag(2, 1, 0, a, sizeof(a));
	ck_assert_int_eq(
		isakmp_reasm_add(&r, &f, ISAKMP_REASM_TIMEOUT_MS + 2, out, sizeof(out), &got, &why),
		ISAKMP_REASM_MORE);
	ck_assert_str_eq(why, "another Fragment ID: the partial message was dropped");
	f = frag(2, 2, ISAKMP_FRAG_LAST, b, sizeof(b));
	ck_assert_int_eq(
		isakmp_reasm_add(&r, &f, ISAKMP_REASM_TIMEOUT_MS + 3, out, sizeof(out), &got, &why),
		ISAKMP_REASM_DONE);
	ck_assert_uint_eq(got, 100);
	ck_assert_mem_eq(out, a, 50);
	ck_assert_mem_eq(out + 50, b, 50);
}
END_TEST

START_TEST(test_output_too_small)
{
	static struct isakmp_reasm r;
	uint8_t out[60], a[50];
	struct isakmp_frag f;
	const char *why;
	size_t got = 0;

	memset(a, 1, sizeof(a));
	isakmp_reasm_init(&r);
	f = frag(1, 1, 0, a, sizeof(a));
	isakmp_reasm_add(&r, &f, 0, out, sizeof(out), &got, &why);
	f = frag(1, 2, ISAKMP_FRAG_LAST, a, sizeof(a));
	ck_assert_int_eq(isakmp_reasm_add(&r, &f, 0, out, sizeof(out), &got, &why),
			 ISAKMP_REASM_ABANDONED);
	ck_assert(!r.active);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("isakmp_frag");
	TCase *tc = tcase_create("frag");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_vid);
	tcase_add_test(tc, test_count);
	tcase_add_test(tc, test_build_decode);
	tcase_add_test(tc, test_build_header);
	tcase_add_test(tc, test_decode_refuses);
	tcase_add_loop_test(tc, test_roundtrip, 0, (int)(sizeof(orders) / sizeof(orders[0])));
	tcase_add_loop_test(tc, test_bad_sequences, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_timeout_and_new_id);
	tcase_add_test(tc, test_output_too_small);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
