// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the RFC 3948 s2.2/s2.3 framing of UDP 4500. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "natt/framing.h"
#include "tests/lib/natt_test.h"

struct classify_vector {
	const char *what;
	uint8_t bytes[16];
	size_t len;
	enum natt_frame_kind want;
};

static const struct classify_vector classify_vectors[] = {
	{ "keepalive", { 0xff }, 1, NATT_FRAME_KEEPALIVE },
	{ "one non-0xff byte", { 0xfe }, 1, NATT_FRAME_INVALID },
	{ "empty", { 0 }, 0, NATT_FRAME_INVALID },
	{ "marker alone", { 0, 0, 0, 0 }, 4, NATT_FRAME_INVALID },
	{ "marker + 1", { 0, 0, 0, 0, 0x11 }, 5, NATT_FRAME_IKE },
	{ "three zeros", { 0, 0, 0 }, 3, NATT_FRAME_INVALID },
	{ "esp header", { 0xc0, 0x01, 0x02, 0x03, 0, 0, 0, 1 }, 8, NATT_FRAME_ESP },
	{ "esp short", { 0xc0, 0x01, 0x02, 0x03, 0, 0, 0 }, 7, NATT_FRAME_INVALID },
	{ "spi with zero tail", { 0, 0, 0, 1, 0, 0, 0, 1 }, 8, NATT_FRAME_ESP },
	{ "two 0xff", { 0xff, 0xff }, 2, NATT_FRAME_INVALID },
};

START_TEST(test_classify)
{
	const struct classify_vector *v = &classify_vectors[_i];

	ck_assert_msg(natt_frame_classify(v->bytes, v->len) == v->want, "%s: got %s want %s",
		      v->what, natt_frame_kind_name(natt_frame_classify(v->bytes, v->len)),
		      natt_frame_kind_name(v->want));
}
END_TEST

START_TEST(test_marker_round_trip)
{
	static const uint8_t ike[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 };
	uint8_t framed[64];
	const uint8_t *out;
	size_t out_len;
	ssize_t n;

	n = natt_marker_prepend(framed, sizeof(framed), ike, sizeof(ike));
	ck_assert_int_eq(n, (ssize_t)sizeof(ike) + 4);
	ck_assert_mem_eq(framed, "\0\0\0\0", 4);
	ck_assert_int_eq(natt_frame_classify(framed, (size_t)n), NATT_FRAME_IKE);
	ck_assert_int_eq(natt_marker_strip(framed, (size_t)n, &out, &out_len), 0);
	ck_assert_uint_eq(out_len, sizeof(ike));
	ck_assert_mem_eq(out, ike, sizeof(ike));
}
END_TEST

START_TEST(test_marker_bounds)
{
	static const uint8_t ike[8] = { 1 };
	uint8_t framed[11];
	const uint8_t *out;
	size_t out_len;

	ck_assert_int_eq(natt_marker_prepend(framed, sizeof(framed), ike, sizeof(ike)), -ENOSPC);
	ck_assert_int_eq(natt_marker_prepend(framed, 3, ike, 0), -ENOSPC);
	ck_assert_int_eq(natt_marker_prepend(framed, 12 - 1, ike, 7), 11);
	ck_assert_int_eq(natt_marker_strip(ike, sizeof(ike), &out, &out_len), -EINVAL);
	ck_assert_int_eq(natt_marker_strip((const uint8_t *)"\0\0\0\0", 4, &out, &out_len),
			 -EINVAL);
}
END_TEST

START_TEST(test_keepalive)
{
	uint8_t b[2] = { 0, 0 };

	ck_assert_int_eq(natt_keepalive_build(b, 0), -ENOSPC);
	ck_assert_int_eq(natt_keepalive_build(b, sizeof(b)), 1);
	ck_assert_uint_eq(b[0], 0xff);
	ck_assert_int_eq(natt_frame_classify(b, 1), NATT_FRAME_KEEPALIVE);
}
END_TEST

struct classify500_vector {
	const char *what;
	uint8_t bytes[40];
	size_t len;
	enum natt_frame_kind want;
};

static const struct classify500_vector classify500_vectors[] = {
	{ "non-IKE marker + ESP header",
	  { 0, 0, 0, 0, 0, 0, 0, 0, 0xc0, 1, 2, 3, 0, 0, 0, 1 },
	  16,
	  NATT_FRAME_ESP },
	{ "non-IKE marker + short ESP", { 0 }, 15, NATT_FRAME_INVALID },
	{ "marker alone", { 0 }, 8, NATT_FRAME_INVALID },
	{ "ISAKMP header", { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 }, 28, NATT_FRAME_IKE },
	{ "cookie with seven zero bytes", { 0, 0, 0, 0, 0, 0, 0, 1 }, 28, NATT_FRAME_IKE },
	{ "27 bytes", { 0x11 }, 27, NATT_FRAME_INVALID },
	{ "keepalive is not special on 500", { 0xff }, 1, NATT_FRAME_INVALID },
	{ "empty", { 0 }, 0, NATT_FRAME_INVALID },
};

START_TEST(test_classify_500)
{
	const struct classify500_vector *v = &classify500_vectors[_i];
	enum natt_frame_kind got = natt_frame_classify_500(v->bytes, v->len);

	ck_assert_msg(got == v->want, "%s: got %s want %s", v->what, natt_frame_kind_name(got),
		      natt_frame_kind_name(v->want));
}
END_TEST

START_TEST(test_spi)
{
	ck_assert(!natt_spi_acceptable(0));
	ck_assert(!natt_spi_acceptable(1));
	ck_assert(!natt_spi_acceptable(255));
	ck_assert(natt_spi_acceptable(256));
	ck_assert(natt_spi_acceptable(0xffffffffu));
}
END_TEST

static Suite *framing_suite(void)
{
	Suite *s = suite_create("natt_framing");
	TCase *tc = tcase_create("framing");

	tcase_add_loop_test(tc, test_classify, 0, (int)N(classify_vectors));
	tcase_add_test(tc, test_marker_round_trip);
	tcase_add_test(tc, test_marker_bounds);
	tcase_add_test(tc, test_keepalive);
	tcase_add_loop_test(tc, test_classify_500, 0, (int)N(classify500_vectors));
	tcase_add_test(tc, test_spi);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(framing_suite());
}
