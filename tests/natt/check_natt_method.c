// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the NAT-T method table: every VID against the MD5 of its
 * string (hashlib vectors, and again with OpenSSL), the per-method numbers
 * against the RFC/draft texts, method choice, and what is sent/echoed.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "natt/method.h"
#include "tests/lib/natt_test.h"
#include "tests/vectors/vid_vectors.h"

#define B(m) NATT_METHOD_BIT(NATT_METHOD_##m)

START_TEST(test_vid_vector)
{
	const struct vid_vector *v = &vid_vectors[_i];
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	/* The hashlib value is the MD5 of the text (OpenSSL agrees). */
	ck_assert_int_eq(EVP_Digest(v->text, strlen(v->text), md, &len, EVP_md5(), NULL), 1);
	ck_assert_uint_eq(len, 16);
	ck_assert_mem_eq(md, v->md5, 16);
	ck_assert_int_eq(natt_vid_lookup(v->md5, 16), v->method);
	if (v->method == NATT_METHOD_NONE) {
		ck_assert(natt_vid_is_unversioned(v->md5, 16));
		return;
	}
	ck_assert(!natt_vid_is_unversioned(v->md5, 16));
	ck_assert_mem_eq(natt_method_info(v->method)->vid, v->md5, 16);
	ck_assert_int_eq(natt_method_info(v->method)->method, v->method);
	/* A VID with trailing bytes or truncated is not NAT-T. */
	ck_assert_int_eq(natt_vid_lookup(v->md5, 15), NATT_METHOD_NONE);
	ck_assert_int_eq(natt_vid_lookup(v->md5, 17), NATT_METHOD_NONE);
}
END_TEST

/* Every method is covered by a vector, so no VID in the table is untested. */
START_TEST(test_vid_vectors_complete)
{
	natt_method_set seen = 0;

	for (size_t i = 0; i < N(vid_vectors); i++)
		if (vid_vectors[i].method != NATT_METHOD_NONE)
			seen |= NATT_METHOD_BIT(vid_vectors[i].method);
	ck_assert_uint_eq(seen, NATT_METHODS_ALL);
	ck_assert_ptr_null(natt_method_info(NATT_METHOD_NONE));
	ck_assert_ptr_null(natt_method_info(NATT_METHOD_COUNT));
	ck_assert_str_eq(natt_method_name(NATT_METHOD_NONE), "none");
	ck_assert_int_eq(natt_vid_lookup(NULL, 16), NATT_METHOD_NONE);
}
END_TEST

/* Numbers read from the documents (docs/requirements.md NT-a..NT-f, RFC 3947 s9). */
struct method_numbers {
	enum natt_method m;
	uint8_t natd, natoa;
	uint16_t tunnel, transport;
	bool floats;
	enum natt_udp_encap encap;
	uint8_t natoa_count;
};

static const struct method_numbers numbers[] = {
	{ NATT_METHOD_DRAFT_00, 130, 131, 61443, 61444, false, NATT_UDP_ENCAP_NON_IKE, 1 },
	{ NATT_METHOD_DRAFT_01, 130, 131, 61443, 61444, false, NATT_UDP_ENCAP_NON_IKE, 1 },
	{ NATT_METHOD_DRAFT_02N, 130, 131, 61443, 61444, true, NATT_UDP_ENCAP_NON_ESP, 1 },
	{ NATT_METHOD_DRAFT_02, 130, 131, 61443, 61444, true, NATT_UDP_ENCAP_NON_ESP, 1 },
	{ NATT_METHOD_DRAFT_03, 130, 131, 61443, 61444, true, NATT_UDP_ENCAP_NON_ESP, 1 },
	{ NATT_METHOD_DRAFT_04, 15, 16, 3, 4, true, NATT_UDP_ENCAP_NON_ESP, 1 },
	{ NATT_METHOD_DRAFT_05, 15, 16, 3, 4, true, NATT_UDP_ENCAP_NON_ESP, 2 },
	{ NATT_METHOD_DRAFT_06, 15, 16, 3, 4, true, NATT_UDP_ENCAP_NON_ESP, 2 },
	{ NATT_METHOD_DRAFT_07, 15, 16, 3, 4, true, NATT_UDP_ENCAP_NON_ESP, 2 },
	{ NATT_METHOD_DRAFT_08, 15, 16, 3, 4, true, NATT_UDP_ENCAP_NON_ESP, 2 },
	{ NATT_METHOD_RFC3947, 20, 21, 3, 4, true, NATT_UDP_ENCAP_NON_ESP, 2 },
};

START_TEST(test_method_numbers)
{
	const struct method_numbers *w = &numbers[_i];
	const struct natt_method_info *mi = natt_method_info(w->m);

	ck_assert_ptr_nonnull(mi);
	ck_assert_uint_eq(mi->natd_payload, w->natd);
	ck_assert_uint_eq(mi->natoa_payload, w->natoa);
	ck_assert_uint_eq(mi->encap_udp_tunnel, w->tunnel);
	ck_assert_uint_eq(mi->encap_udp_transport, w->transport);
	ck_assert(mi->floats == w->floats);
	ck_assert_int_eq(mi->udp_encap, w->encap);
	ck_assert_uint_eq(mi->natoa_count, w->natoa_count);
}
END_TEST

struct choose_case {
	natt_method_set allowed, peer;
	enum natt_method want;
};

static const struct choose_case choose_cases[] = {
	{ NATT_METHODS_ALL, NATT_METHODS_SEND_DEFAULT, NATT_METHOD_RFC3947 },
	{ NATT_METHODS_ALL, B(DRAFT_02N) | B(DRAFT_03), NATT_METHOD_DRAFT_03 },
	{ NATT_METHODS_ALL, B(DRAFT_02N) | B(DRAFT_02), NATT_METHOD_DRAFT_02 },
	{ NATT_METHODS_ALL, B(DRAFT_02N) | B(DRAFT_01) | B(DRAFT_00), NATT_METHOD_DRAFT_02N },
	{ NATT_METHODS_ALL, B(DRAFT_00) | B(DRAFT_01), NATT_METHOD_DRAFT_01 },
	/* natkeyd's default set never picks the port-500 drafts. */
	{ NATT_METHODS_USABLE, B(DRAFT_00) | B(DRAFT_01), NATT_METHOD_NONE },
	{ NATT_METHODS_USABLE, B(DRAFT_01) | B(DRAFT_02N), NATT_METHOD_DRAFT_02N },
	{ NATT_METHODS_USABLE, NATT_METHODS_ALL, NATT_METHOD_RFC3947 },
	{ NATT_METHODS_ALL, B(DRAFT_04) | B(DRAFT_08) | B(DRAFT_06), NATT_METHOD_DRAFT_08 },
	{ NATT_METHODS_ALL, 0, NATT_METHOD_NONE },
	{ 0, NATT_METHODS_ALL, NATT_METHOD_NONE },		      /* NAT-T off */
	{ B(RFC3947), B(DRAFT_02N) | B(DRAFT_03), NATT_METHOD_NONE }, /* RFC only */
	{ B(RFC3947), NATT_METHODS_ALL, NATT_METHOD_RFC3947 },
	{ B(DRAFT_03) | B(DRAFT_02N), NATT_METHODS_ALL, NATT_METHOD_DRAFT_03 },
	{ NATT_METHODS_ALL, NATT_METHOD_BIT(NATT_METHOD_NONE), NATT_METHOD_NONE },
	{ NATT_METHODS_ALL, 0xffffffffu, NATT_METHOD_RFC3947 }, /* junk bits ignored */
};

START_TEST(test_method_choose)
{
	const struct choose_case *c = &choose_cases[_i];
	const struct natt_method_info *echo = natt_vid_to_echo(c->allowed, c->peer);

	ck_assert_int_eq(natt_method_choose(c->allowed, c->peer), c->want);
	if (c->want == NATT_METHOD_NONE)
		ck_assert_ptr_null(echo);
	else
		ck_assert_int_eq(echo->method, c->want);
}
END_TEST

START_TEST(test_vids_to_send)
{
	const struct natt_method_info *out[NATT_METHOD_COUNT];

	/* Default: RFC, then draft-03, then draft-02\n: most preferred first. */
	ck_assert_int_eq(natt_vids_to_send(NATT_METHODS_SEND_DEFAULT, out, N(out)), 3);
	ck_assert_int_eq(out[0]->method, NATT_METHOD_RFC3947);
	ck_assert_int_eq(out[1]->method, NATT_METHOD_DRAFT_03);
	ck_assert_int_eq(out[2]->method, NATT_METHOD_DRAFT_02N);
	ck_assert_int_eq(natt_vids_to_send(B(RFC3947), out, N(out)), 1);
	ck_assert_int_eq(out[0]->method, NATT_METHOD_RFC3947);
	ck_assert_int_eq(natt_vids_to_send(0, out, N(out)), 0);
	ck_assert_int_eq(natt_vids_to_send(NATT_METHODS_ALL, out, N(out)), NATT_METHOD_COUNT - 1);
	ck_assert_int_eq(natt_vids_to_send(NATT_METHODS_SEND_DEFAULT, out, 2), -ENOSPC);
}
END_TEST

static Suite *method_suite(void)
{
	Suite *s = suite_create("natt_method");
	TCase *tc = tcase_create("method");

	tcase_add_loop_test(tc, test_vid_vector, 0, (int)N(vid_vectors));
	tcase_add_test(tc, test_vid_vectors_complete);
	tcase_add_loop_test(tc, test_method_numbers, 0, (int)N(numbers));
	tcase_add_loop_test(tc, test_method_choose, 0, (int)N(choose_cases));
	tcase_add_test(tc, test_vids_to_send);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(method_suite());
}
