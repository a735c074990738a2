// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for the Quick Mode side of NAT-T: encapsulation-mode choice,
 * numbering and responder check (RFC 3947 s5.1), and the NAT-OA contents
 * for the two examples of RFC 3947 s5.2.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "natt/encap.h"
#include "natt/endpoint.h"
#include "natt/natoa.h"
#include "tests/lib/natt_test.h"

struct choose_case {
	bool tunnel, nat, force;
	enum natt_encap want;
};

static const struct choose_case choose_cases[] = {
	{ true, false, false, NATT_ENCAP_TUNNEL },
	{ false, false, false, NATT_ENCAP_TRANSPORT },
	{ true, true, false, NATT_ENCAP_UDP_TUNNEL },
	{ false, true, false, NATT_ENCAP_UDP_TRANSPORT },
	{ true, false, true, NATT_ENCAP_UDP_TUNNEL },
	{ false, false, true, NATT_ENCAP_UDP_TRANSPORT },
};

START_TEST(test_encap_choose)
{
	const struct choose_case *c = &choose_cases[_i];
	enum natt_encap e = natt_encap_choose(c->tunnel, c->nat, c->force);

	ck_assert_msg(e == c->want, "case %d: %s", _i, natt_encap_name(e));
	ck_assert(natt_encap_is_tunnel(e) == c->tunnel);
	ck_assert(natt_encap_is_udp(e) == (c->nat || c->force));
	/* Whatever we propose, our own responder check accepts it. */
	ck_assert_int_eq(natt_encap_check(e, c->nat, c->force), NATT_ENCAP_OK);
}
END_TEST

/* Wire values (RFC 2407 s4.5, RFC 3947 s5.1, drafts s5.1). */
struct value_case {
	enum natt_method m;
	enum natt_encap e;
	int ret;
	uint16_t value;
};

static const struct value_case value_cases[] = {
	{ NATT_METHOD_NONE, NATT_ENCAP_TUNNEL, 0, 1 },
	{ NATT_METHOD_NONE, NATT_ENCAP_TRANSPORT, 0, 2 },
	{ NATT_METHOD_NONE, NATT_ENCAP_UDP_TUNNEL, -EINVAL, 0 },
	{ NATT_METHOD_RFC3947, NATT_ENCAP_TUNNEL, 0, 1 },
	{ NATT_METHOD_RFC3947, NATT_ENCAP_UDP_TUNNEL, 0, 3 },
	{ NATT_METHOD_RFC3947, NATT_ENCAP_UDP_TRANSPORT, 0, 4 },
	{ NATT_METHOD_DRAFT_08, NATT_ENCAP_UDP_TRANSPORT, 0, 4 },
	{ NATT_METHOD_DRAFT_04, NATT_ENCAP_UDP_TUNNEL, 0, 3 },
	{ NATT_METHOD_DRAFT_03, NATT_ENCAP_UDP_TUNNEL, 0, 61443 },
	{ NATT_METHOD_DRAFT_02N, NATT_ENCAP_UDP_TRANSPORT, 0, 61444 },
	{ NATT_METHOD_DRAFT_00, NATT_ENCAP_UDP_TRANSPORT, 0, 61444 },
};

START_TEST(test_encap_value)
{
	const struct value_case *c = &value_cases[_i];
	uint16_t v = 0;
	enum natt_encap back;

	ck_assert_int_eq(natt_encap_value(c->m, c->e, &v), c->ret);
	if (c->ret != 0)
		return;
	ck_assert_uint_eq(v, c->value);
	ck_assert_int_eq(natt_encap_parse(c->m, v, &back), 0);
	ck_assert_int_eq(back, c->e);
}
END_TEST

struct parse_case {
	enum natt_method m;
	uint16_t value;
	int ret;
	enum natt_encap want;
};

static const struct parse_case parse_cases[] = {
	{ NATT_METHOD_RFC3947, 61443, -EINVAL, 0 }, /* draft value in an RFC SA */
	{ NATT_METHOD_RFC3947, 5, -EINVAL, 0 },
	{ NATT_METHOD_RFC3947, 0, -EINVAL, 0 },
	{ NATT_METHOD_DRAFT_03, 3, -EINVAL, 0 },		   /* RFC value in a draft-03 SA */
	{ NATT_METHOD_DRAFT_04, 61443, 0, NATT_ENCAP_UDP_TUNNEL }, /* -04 lists both */
	{ NATT_METHOD_DRAFT_04, 61444, 0, NATT_ENCAP_UDP_TRANSPORT },
	{ NATT_METHOD_DRAFT_05, 61444, -EINVAL, 0 },
	{ NATT_METHOD_NONE, 3, -EINVAL, 0 },
	{ NATT_METHOD_NONE, 61443, -EINVAL, 0 },
	{ NATT_METHOD_NONE, 2, 0, NATT_ENCAP_TRANSPORT },
};

START_TEST(test_encap_parse)
{
	const struct parse_case *c = &parse_cases[_i];
	enum natt_encap e;

	ck_assert_int_eq(natt_encap_parse(c->m, c->value, &e), c->ret);
	if (c->ret == 0)
		ck_assert_int_eq(e, c->want);
}
END_TEST

START_TEST(test_encap_mixed)
{
	static const enum natt_encap plain[] = { NATT_ENCAP_TUNNEL, NATT_ENCAP_TRANSPORT };
	static const enum natt_encap udp[] = { NATT_ENCAP_UDP_TUNNEL, NATT_ENCAP_UDP_TRANSPORT };
	static const enum natt_encap mixed[] = { NATT_ENCAP_UDP_TUNNEL, NATT_ENCAP_TUNNEL };
	static const enum natt_encap mixed2[] = { NATT_ENCAP_TRANSPORT, NATT_ENCAP_TRANSPORT,
						  NATT_ENCAP_UDP_TRANSPORT };

	ck_assert(natt_encap_proposals_consistent(plain, N(plain)));
	ck_assert(natt_encap_proposals_consistent(udp, N(udp)));
	ck_assert(!natt_encap_proposals_consistent(mixed, N(mixed)));
	ck_assert(!natt_encap_proposals_consistent(mixed2, N(mixed2)));
	ck_assert(natt_encap_proposals_consistent(NULL, 0));
}
END_TEST

struct check_case {
	enum natt_encap proposed;
	bool nat, force;
	enum natt_encap_verdict want;
};

static const struct check_case check_cases[] = {
	{ NATT_ENCAP_TUNNEL, false, false, NATT_ENCAP_OK },
	{ NATT_ENCAP_TUNNEL, true, false, NATT_ENCAP_NEED_UDP },
	{ NATT_ENCAP_TRANSPORT, false, true, NATT_ENCAP_NEED_UDP },
	{ NATT_ENCAP_UDP_TUNNEL, true, false, NATT_ENCAP_OK },
	{ NATT_ENCAP_UDP_TRANSPORT, false, true, NATT_ENCAP_OK },
	{ NATT_ENCAP_UDP_TUNNEL, false, false, NATT_ENCAP_UNEXPECTED_UDP },
	{ NATT_ENCAP_UDP_TRANSPORT, false, false, NATT_ENCAP_UNEXPECTED_UDP },
};

START_TEST(test_encap_check)
{
	const struct check_case *c = &check_cases[_i];

	ck_assert_int_eq(natt_encap_check(c->proposed, c->nat, c->force), c->want);
}
END_TEST

/*
 * RFC 3947 s5.2 examples. Example 1: Iaddr -- NAT(NatPub) -- Raddr.
 * Example 2: Iaddr -- NAT1(Nat1Pub) -- NAT2(Nat2Pub, publishes Raddr) -- Raddr.
 * Each side's local address and its view of the peer; the expected
 * NAT-OAi/NAT-OAr are copied from the RFC text.
 */
struct natoa_example {
	const char *what;
	enum natt_role role;
	const char *local, *peer_seen; /* with ports, which NAT-OA must drop */
	const char *oai, *oar;
};

static const struct natoa_example natoa_examples[] = {
	{ "ex1 initiator", NATT_ROLE_INITIATOR, "10.0.0.2", "198.51.100.10", "10.0.0.2",
	  "198.51.100.10" },
	{ "ex1 responder", NATT_ROLE_RESPONDER, "198.51.100.10", "203.0.113.1", "203.0.113.1",
	  "198.51.100.10" },
	{ "ex2 initiator", NATT_ROLE_INITIATOR, "10.0.0.2", "192.0.2.1", "10.0.0.2", "192.0.2.1" },
	{ "ex2 responder", NATT_ROLE_RESPONDER, "10.1.0.5", "203.0.113.1", "203.0.113.1",
	  "10.1.0.5" },
	{ "IPv6 initiator", NATT_ROLE_INITIATOR, "2001:db8:a::2", "2001:db8:b::1", "2001:db8:a::2",
	  "2001:db8:b::1" },
};

START_TEST(test_natoa_example)
{
	const struct natoa_example *x = &natoa_examples[_i];
	struct sockaddr_storage local = natt_test_ep(x->local, 4500),
				peer = natt_test_ep(x->peer_seen, 61000);
	struct sockaddr_storage oai = natt_test_ep(x->oai, 0), oar = natt_test_ep(x->oar, 0);
	struct natt_natoa_plan plan;

	ck_assert_int_eq(
		natt_natoa_plan(x->role, NATT_METHOD_RFC3947, true, SA(local), SA(peer), &plan), 0);
	ck_assert_uint_eq(plan.count, 2);
	ck_assert_msg(natt_endpoint_equal(SA(plan.oa[0]), SA(oai)), "%s NAT-OAi", x->what);
	ck_assert_msg(natt_endpoint_equal(SA(plan.oa[1]), SA(oar)), "%s NAT-OAr", x->what);
	/* Tunnel mode: nothing (5.2.c); responder that picked tunnel: nothing (5.2.e). */
	ck_assert_int_eq(
		natt_natoa_plan(x->role, NATT_METHOD_RFC3947, false, SA(local), SA(peer), &plan),
		0);
	ck_assert_uint_eq(plan.count, 0);
	/* No NAT-T: nothing. */
	ck_assert_int_eq(
		natt_natoa_plan(x->role, NATT_METHOD_NONE, true, SA(local), SA(peer), &plan), 0);
	ck_assert_uint_eq(plan.count, 0);
}
END_TEST

/* What each side learns from the other's NAT-OA in the two examples. */
START_TEST(test_natoa_original_examples)
{
	struct sockaddr_storage iaddr = natt_test_ep("10.0.0.2", 0),
				natpub = natt_test_ep("203.0.113.1", 0);
	struct sockaddr_storage raddr = natt_test_ep("198.51.100.10", 0);
	struct sockaddr_storage from_r[2] = { natpub, raddr }, from_i[2] = { iaddr, raddr };
	struct natt_natoa_orig o;

	/* Ex1 initiator gets the responder's (NATPub, Raddr). */
	ck_assert_int_eq(
		natt_natoa_original(NATT_ROLE_INITIATOR, NATT_METHOD_RFC3947, from_r, 2, &o), 0);
	ck_assert(o.have_src && o.have_dst);
	ck_assert(natt_endpoint_equal(SA(o.src), SA(raddr)));
	ck_assert(natt_endpoint_equal(SA(o.dst), SA(natpub)));
	/* Ex1 responder gets the initiator's (Iaddr, Raddr): Iaddr is the
	 * kernel's encap_oa for the checksum fix-up. */
	ck_assert_int_eq(
		natt_natoa_original(NATT_ROLE_RESPONDER, NATT_METHOD_RFC3947, from_i, 2, &o), 0);
	ck_assert(natt_endpoint_equal(SA(o.src), SA(iaddr)));
	ck_assert(natt_endpoint_equal(SA(o.dst), SA(raddr)));
	/* Nothing received is legal. */
	ck_assert_int_eq(
		natt_natoa_original(NATT_ROLE_RESPONDER, NATT_METHOD_RFC3947, from_i, 0, &o), 0);
	ck_assert(!o.have_src && !o.have_dst);
	/* One NAT-OA in an RFC SA is ambiguous; three is too many. */
	ck_assert_int_eq(
		natt_natoa_original(NATT_ROLE_RESPONDER, NATT_METHOD_RFC3947, from_i, 1, &o),
		-EINVAL);
	ck_assert_int_eq(
		natt_natoa_original(NATT_ROLE_RESPONDER, NATT_METHOD_RFC3947, from_i, 3, &o),
		-EINVAL);
	/* Draft-03: one NAT-OA, the sender's own address. */
	ck_assert_int_eq(
		natt_natoa_original(NATT_ROLE_INITIATOR, NATT_METHOD_DRAFT_03, from_i, 1, &o), 0);
	ck_assert(o.have_src && !o.have_dst);
	ck_assert(natt_endpoint_equal(SA(o.src), SA(iaddr)));
	ck_assert_int_eq(
		natt_natoa_original(NATT_ROLE_INITIATOR, NATT_METHOD_DRAFT_03, from_i, 2, &o),
		-EINVAL);
}
END_TEST

START_TEST(test_natoa_drafts_and_errors)
{
	struct sockaddr_storage local = natt_test_ep("10.0.0.2", 4500),
				peer = natt_test_ep("198.51.100.10", 4500);
	struct sockaddr_storage want = natt_test_ep("10.0.0.2", 0),
				peer6 = natt_test_ep("2001:db8::1", 500);
	struct natt_natoa_plan plan;

	/* Drafts up to -04: one NAT-OA, our own address, whatever the role. */
	ck_assert_int_eq(natt_natoa_plan(NATT_ROLE_RESPONDER, NATT_METHOD_DRAFT_02N, true,
					 SA(local), SA(peer), &plan),
			 0);
	ck_assert_uint_eq(plan.count, 1);
	ck_assert(natt_endpoint_equal(SA(plan.oa[0]), SA(want)));
	ck_assert_int_eq(natt_natoa_plan(NATT_ROLE_INITIATOR, NATT_METHOD_DRAFT_04, true, SA(local),
					 SA(peer), &plan),
			 0);
	ck_assert_uint_eq(plan.count, 1);
	/* -05 introduced the pair. */
	ck_assert_int_eq(natt_natoa_plan(NATT_ROLE_INITIATOR, NATT_METHOD_DRAFT_05, true, SA(local),
					 SA(peer), &plan),
			 0);
	ck_assert_uint_eq(plan.count, 2);
	ck_assert_int_eq(natt_natoa_plan(NATT_ROLE_INITIATOR, NATT_METHOD_RFC3947, true, SA(local),
					 SA(peer6), &plan),
			 -EINVAL);
}
END_TEST

static Suite *qm_suite(void)
{
	Suite *s = suite_create("natt_qm");
	TCase *tc = tcase_create("encap");
	TCase *oa = tcase_create("natoa");

	tcase_add_loop_test(tc, test_encap_choose, 0, (int)N(choose_cases));
	tcase_add_loop_test(tc, test_encap_value, 0, (int)N(value_cases));
	tcase_add_loop_test(tc, test_encap_parse, 0, (int)N(parse_cases));
	tcase_add_test(tc, test_encap_mixed);
	tcase_add_loop_test(tc, test_encap_check, 0, (int)N(check_cases));
	suite_add_tcase(s, tc);
	tcase_add_loop_test(oa, test_natoa_example, 0, (int)N(natoa_examples));
	tcase_add_test(oa, test_natoa_original_examples);
	tcase_add_test(oa, test_natoa_drafts_and_errors);
	suite_add_tcase(s, oa);
	return s;
}

int main(void)
{
	return natt_test_run(qm_suite());
}
