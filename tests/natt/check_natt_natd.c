// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for RFC 3947 s3.2 NAT discovery: hash vectors computed with
 * Python hashlib (tests/vectors/natt_vectors.py), the order of the payloads
 * we build, and detection in every NAT arrangement, by letting one side
 * build with its view of the addresses and the other side detect with its
 * own view.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "natt/natd.h"
#include "tests/lib/natt_test.h"
#include "tests/vectors/natd_vectors.h"

START_TEST(test_natd_vector)
{
	const struct natd_vector *v = &natd_vectors[_i];
	const EVP_MD *md = EVP_get_digestbyname(v->hash);
	struct sockaddr_storage e = natt_test_ep(v->addr, v->port);
	struct natt_natd_hash h;

	ck_assert_ptr_nonnull(md);
	ck_assert_int_eq(natt_natd_compute(md, v->cky_i, v->cky_r, SA(e), &h), 0);
	ck_assert_uint_eq(h.len, v->len);
	ck_assert_mem_eq(h.h, v->digest, v->len);
}
END_TEST

START_TEST(test_natd_compute_errors)
{
	static const uint8_t c[8];
	struct sockaddr_storage e = natt_test_ep("192.0.2.1", 500);
	struct sockaddr_storage bad;
	struct natt_natd_hash h;

	memset(&bad, 0, sizeof(bad));
	bad.ss_family = AF_UNIX;
	ck_assert_int_eq(natt_natd_compute(NULL, c, c, SA(e), &h), -EINVAL);
	ck_assert_int_eq(natt_natd_compute(EVP_sha1(), c, c, SA(bad), &h), -EAFNOSUPPORT);
	ck_assert_int_eq(natt_natd_compute(EVP_sha1(), c, c, NULL, &h), -EAFNOSUPPORT);
}
END_TEST

/* The hash covers the port: the same address on 500 and 4500 differs, and
 * the cookies are in the order CKY-I, CKY-R. */
START_TEST(test_natd_inputs_matter)
{
	static const uint8_t a[8] = { 1 }, b[8] = { 2 };
	struct sockaddr_storage e500 = natt_test_ep("192.0.2.1", 500),
				e4500 = natt_test_ep("192.0.2.1", 4500);
	struct natt_natd_hash h1, h2, h3;

	ck_assert_int_eq(natt_natd_compute(EVP_sha256(), a, b, SA(e500), &h1), 0);
	ck_assert_int_eq(natt_natd_compute(EVP_sha256(), a, b, SA(e4500), &h2), 0);
	ck_assert_int_eq(natt_natd_compute(EVP_sha256(), b, a, SA(e500), &h3), 0);
	ck_assert_mem_ne(h1.h, h2.h, h1.len);
	ck_assert_mem_ne(h1.h, h3.h, h1.len);
}
END_TEST

/* Build: destination first, then one per local endpoint (RFC 3947 s3.2),
 * checked against the hashlib vectors 0 (dest) and 1 (local), both made
 * with the same cookies. */
START_TEST(test_natd_build_order)
{
	const struct natd_vector *d = &natd_vectors[0], *l = &natd_vectors[1];
	struct sockaddr_storage peer = natt_test_ep(d->addr, d->port),
				loc = natt_test_ep(l->addr, l->port);
	const struct sockaddr *locals[] = { SA(loc) };
	struct natt_natd_hash out[4];

	ck_assert_mem_eq(d->cky_i, l->cky_i, 8);
	ck_assert_str_eq(d->hash, "MD5");
	ck_assert_int_eq(natt_natd_build(EVP_md5(), d->cky_i, d->cky_r, SA(peer), locals, 1, false,
					 out, N(out)),
			 2);
	ck_assert_mem_eq(out[0].h, d->digest, 16);
	ck_assert_mem_eq(out[1].h, l->digest, 16);
	ck_assert_int_eq(
		natt_natd_build(EVP_md5(), d->cky_i, d->cky_r, SA(peer), locals, 1, false, out, 1),
		-ENOSPC);
	ck_assert_int_eq(natt_natd_build(EVP_md5(), d->cky_i, d->cky_r, SA(peer), locals, 0, false,
					 out, N(out)),
			 -EINVAL);
}
END_TEST

/* Forced encapsulation: exactly two hashes, the second matches no real
 * local endpoint, so the peer concludes we are behind a NAT. */
START_TEST(test_natd_build_forced)
{
	static const uint8_t ci[8] = { 9, 8, 7 }, cr[8] = { 1, 2, 3 };
	struct sockaddr_storage peer = natt_test_ep("198.51.100.1", 500),
				loc = natt_test_ep("192.0.2.10", 500);
	const struct sockaddr *locals[] = { SA(loc) };
	const struct sockaddr *rlocals[] = { SA(peer) };
	struct natt_natd_hash out[4], real;
	struct natt_natd_in in[4];
	struct natt_natd_result res;
	int n;

	n = natt_natd_build(EVP_sha1(), ci, cr, SA(peer), locals, 1, true, out, N(out));
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(natt_natd_compute(EVP_sha1(), ci, cr, SA(loc), &real), 0);
	ck_assert_mem_ne(out[1].h, real.h, real.len);
	for (int i = 0; i < n; i++)
		in[i] = (struct natt_natd_in){ out[i].h, out[i].len };
	/* No NAT in the path, yet the responder sees one on our side. */
	ck_assert_int_eq(
		natt_natd_detect(EVP_sha1(), ci, cr, rlocals, 1, SA(loc), in, (size_t)n, &res), 0);
	ck_assert_int_eq(res.status, NATT_NATD_OK);
	ck_assert(!res.we_behind_nat);
	ck_assert(res.peer_behind_nat);
}
END_TEST

/*
 * Detection scenarios. The sender (S) builds NAT-D with its view: it sends
 * to s_dst from s_src (plus s_extra, a second local address). The receiver
 * (R) got the packet at r_local from r_peer. The expected facts are those
 * of the arrangement, not computed values.
 */
struct detect_case {
	const char *what;
	const char *hash;
	const char *s_dst;
	uint16_t s_dst_port;
	const char *s_src;
	uint16_t s_src_port;
	const char *s_extra; /* NULL: one local address */
	const char *r_local;
	uint16_t r_local_port;
	const char *r_peer;
	uint16_t r_peer_port;
	bool r_behind; /* receiver behind NAT */
	bool s_behind; /* sender (the receiver's peer) behind NAT */
};

static const struct detect_case detect_cases[] = {
	{ "no NAT", "SHA1", "198.51.100.1", 500, "192.0.2.10", 500, NULL, "198.51.100.1", 500,
	  "192.0.2.10", 500, false, false },
	{ "sender behind NAPT", "SHA1", "198.51.100.1", 500, "10.0.0.2", 500, NULL, "198.51.100.1",
	  500, "203.0.113.5", 40000, false, true },
	{ "sender behind NAPT, port kept", "MD5", "198.51.100.1", 500, "10.0.0.2", 500, NULL,
	  "198.51.100.1", 500, "203.0.113.5", 500, false, true },
	{ "sender behind NAT, address kept, port changed", "SHA256", "198.51.100.1", 500,
	  "192.0.2.10", 500, NULL, "198.51.100.1", 500, "192.0.2.10", 1025, false, true },
	{ "receiver behind 1:1 NAT", "SHA256", "203.0.113.9", 500, "192.0.2.10", 500, NULL,
	  "10.1.0.1", 500, "192.0.2.10", 500, true, false },
	{ "both behind NAT", "SHA384", "203.0.113.9", 500, "10.0.0.2", 500, NULL, "10.1.0.1", 500,
	  "192.0.2.77", 1234, true, true },
	{ "IPv6 no NAT", "SHA512", "2001:db8::1", 500, "2001:db8::2", 500, NULL, "2001:db8::1", 500,
	  "2001:db8::2", 500, false, false },
	{ "IPv6 sender behind NPT", "SHA512", "2001:db8::1", 4500, "2001:db8:1::2", 4500, NULL,
	  "2001:db8::1", 4500, "2001:db8:2::2", 4500, false, true },
	{ "sender unsure of source, 2nd local matches", "SHA1", "198.51.100.1", 500, "10.9.9.9",
	  500, "192.0.2.10", "198.51.100.1", 500, "192.0.2.10", 500, false, false },
	{ "sender unsure of source, none matches", "SHA1", "198.51.100.1", 500, "10.9.9.9", 500,
	  "10.8.8.8", "198.51.100.1", 500, "203.0.113.5", 500, false, true },
};

START_TEST(test_natd_detect)
{
	const struct detect_case *c = &detect_cases[_i];
	static const uint8_t ci[8] = { 0xaa, 1, 2, 3, 4, 5, 6, 7 }, cr[8] = { 0xbb, 9, 8 };
	const EVP_MD *md = EVP_get_digestbyname(c->hash);
	struct sockaddr_storage s_dst = natt_test_ep(c->s_dst, c->s_dst_port);
	struct sockaddr_storage s_src = natt_test_ep(c->s_src, c->s_src_port), s_extra;
	struct sockaddr_storage r_local = natt_test_ep(c->r_local, c->r_local_port);
	struct sockaddr_storage r_peer = natt_test_ep(c->r_peer, c->r_peer_port);
	const struct sockaddr *slocals[2] = { SA(s_src), NULL };
	const struct sockaddr *rlocals[] = { SA(r_local) };
	struct natt_natd_hash out[NATT_NATD_MAX];
	struct natt_natd_in in[NATT_NATD_MAX];
	struct natt_natd_result res;
	size_t nl = 1;
	int n;

	if (c->s_extra != NULL) {
		s_extra = natt_test_ep(c->s_extra, c->s_src_port);
		slocals[nl++] = SA(s_extra);
	}
	n = natt_natd_build(md, ci, cr, SA(s_dst), slocals, nl, false, out, N(out));
	ck_assert_int_eq(n, (int)(1 + nl));
	for (int i = 0; i < n; i++)
		in[i] = (struct natt_natd_in){ out[i].h, out[i].len };
	ck_assert_int_eq(natt_natd_detect(md, ci, cr, rlocals, 1, SA(r_peer), in, (size_t)n, &res),
			 0);
	ck_assert_msg(res.status == NATT_NATD_OK, "%s: %s", c->what,
		      natt_natd_status_name(res.status));
	ck_assert_msg(res.we_behind_nat == c->r_behind, "%s: we_behind_nat %d", c->what,
		      res.we_behind_nat);
	ck_assert_msg(res.peer_behind_nat == c->s_behind, "%s: peer_behind_nat %d", c->what,
		      res.peer_behind_nat);
}
END_TEST

/* The receiver has two local addresses; the packet was sent to the second. */
START_TEST(test_natd_detect_several_locals)
{
	static const uint8_t ci[8] = { 1 }, cr[8] = { 2 };
	struct sockaddr_storage a = natt_test_ep("198.51.100.1", 500),
				b = natt_test_ep("198.51.100.2", 500);
	struct sockaddr_storage peer = natt_test_ep("192.0.2.3", 500);
	const struct sockaddr *slocals[] = { SA(peer) };
	const struct sockaddr *rlocals[] = { SA(a), SA(b) };
	struct natt_natd_hash out[4];
	struct natt_natd_in in[4];
	struct natt_natd_result res;

	ck_assert_int_eq(natt_natd_build(EVP_sha1(), ci, cr, SA(b), slocals, 1, false, out, 4), 2);
	for (int i = 0; i < 2; i++)
		in[i] = (struct natt_natd_in){ out[i].h, out[i].len };
	ck_assert_int_eq(natt_natd_detect(EVP_sha1(), ci, cr, rlocals, 2, SA(peer), in, 2, &res),
			 0);
	ck_assert(!res.we_behind_nat);
	ck_assert(!res.peer_behind_nat);
	/* With only the first address known, it looks like a NAT. */
	ck_assert_int_eq(natt_natd_detect(EVP_sha1(), ci, cr, rlocals, 1, SA(peer), in, 2, &res),
			 0);
	ck_assert(res.we_behind_nat);
}
END_TEST

/* Malformed and incomplete NAT-D sets. */
START_TEST(test_natd_detect_malformed)
{
	static const uint8_t ci[8] = { 1 }, cr[8] = { 2 };
	static const uint8_t junk[64] = { 0x55 };
	struct sockaddr_storage me = natt_test_ep("198.51.100.1", 500),
				peer = natt_test_ep("192.0.2.3", 500);
	const struct sockaddr *locals[] = { SA(me) };
	struct natt_natd_hash out[2];
	struct natt_natd_in in[NATT_NATD_MAX + 1];
	struct natt_natd_result res;

	ck_assert_int_eq(natt_natd_build(EVP_sha1(), ci, cr, SA(me),
					 (const struct sockaddr *[]){ SA(peer) }, 1, false, out, 2),
			 2);
	/* None: no NAT either way. */
	ck_assert_int_eq(natt_natd_detect(EVP_sha1(), ci, cr, locals, 1, SA(peer), NULL, 0, &res),
			 0);
	ck_assert_int_eq(res.status, NATT_NATD_ABSENT);
	ck_assert(!res.we_behind_nat && !res.peer_behind_nat);
	/* Only the destination hash: our side known, peer assumed NATed. */
	in[0] = (struct natt_natd_in){ out[0].h, out[0].len };
	ck_assert_int_eq(natt_natd_detect(EVP_sha1(), ci, cr, locals, 1, SA(peer), in, 1, &res), 0);
	ck_assert_int_eq(res.status, NATT_NATD_NO_PEER_HASH);
	ck_assert(!res.we_behind_nat);
	ck_assert(res.peer_behind_nat);
	/* An MD5-sized hash in a SHA1 SA. */
	in[1] = (struct natt_natd_in){ out[1].h, 16 };
	ck_assert_int_eq(natt_natd_detect(EVP_sha1(), ci, cr, locals, 1, SA(peer), in, 2, &res), 0);
	ck_assert_int_eq(res.status, NATT_NATD_BAD_LENGTH);
	ck_assert(!res.we_behind_nat && !res.peer_behind_nat);
	/* Empty payload body. */
	in[1] = (struct natt_natd_in){ out[1].h, 0 };
	ck_assert_int_eq(natt_natd_detect(EVP_sha1(), ci, cr, locals, 1, SA(peer), in, 2, &res), 0);
	ck_assert_int_eq(res.status, NATT_NATD_BAD_LENGTH);
	/* Too many. */
	for (size_t i = 0; i < N(in); i++)
		in[i] = (struct natt_natd_in){ junk, 20 };
	ck_assert_int_eq(natt_natd_detect(EVP_sha1(), ci, cr, locals, 1, SA(peer), in, N(in), &res),
			 0);
	ck_assert_int_eq(res.status, NATT_NATD_TOO_MANY);
	/* Junk of the right length: both sides look NATed. */
	ck_assert_int_eq(natt_natd_detect(EVP_sha1(), ci, cr, locals, 1, SA(peer), in, 2, &res), 0);
	ck_assert_int_eq(res.status, NATT_NATD_OK);
	ck_assert(res.we_behind_nat && res.peer_behind_nat);
	ck_assert_int_eq(natt_natd_detect(EVP_sha1(), ci, cr, locals, 0, SA(peer), in, 2, &res),
			 -EINVAL);
}
END_TEST

/* RFC 3947 s3.2: MM3/MM4 and AM2/AM3 only. */
START_TEST(test_natd_in_message)
{
	for (unsigned int m = 1; m <= 6; m++) {
		ck_assert(natt_natd_in_message(NATT_EXCH_MAIN, m) == (m == 3 || m == 4));
		ck_assert(natt_natd_in_message(NATT_EXCH_AGGRESSIVE, m) == (m == 2 || m == 3));
		ck_assert(!natt_natd_in_message(NATT_EXCH_QUICK, m));
		ck_assert(!natt_natd_in_message(NATT_EXCH_INFORMATIONAL, m));
	}
}
END_TEST

static Suite *natd_suite(void)
{
	Suite *s = suite_create("natt_natd");
	TCase *tc = tcase_create("natd");

	tcase_add_loop_test(tc, test_natd_vector, 0, (int)N(natd_vectors));
	tcase_add_test(tc, test_natd_compute_errors);
	tcase_add_test(tc, test_natd_inputs_matter);
	tcase_add_test(tc, test_natd_build_order);
	tcase_add_test(tc, test_natd_build_forced);
	tcase_add_loop_test(tc, test_natd_detect, 0, (int)N(detect_cases));
	tcase_add_test(tc, test_natd_detect_several_locals);
	tcase_add_test(tc, test_natd_detect_malformed);
	tcase_add_test(tc, test_natd_in_message);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(natd_suite());
}
