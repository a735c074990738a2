// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the RFC 3947 s3/s4 port rules. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "natt/endpoint.h"
#include "natt/ports.h"
#include "tests/lib/natt_test.h"

struct float_case {
	enum natt_method m;
	bool nat, force, on4500;
	bool want;
};

static const struct float_case float_cases[] = {
	{ NATT_METHOD_RFC3947, true, false, false, true },
	{ NATT_METHOD_RFC3947, false, false, false, false }, /* no NAT: stay on 500 */
	{ NATT_METHOD_RFC3947, false, true, false, true },   /* forced */
	{ NATT_METHOD_RFC3947, true, false, true, false },   /* began on 4500 (4.h) */
	{ NATT_METHOD_DRAFT_02N, true, false, false, true },
	{ NATT_METHOD_DRAFT_03, true, false, false, true },
	{ NATT_METHOD_DRAFT_08, true, false, false, true },
	{ NATT_METHOD_DRAFT_00, true, false, false, false }, /* -00/-01 never float */
	{ NATT_METHOD_DRAFT_01, true, true, false, false },
	{ NATT_METHOD_NONE, true, true, false, false }, /* no VID exchanged (3.1.b) */
};

START_TEST(test_float_needed)
{
	const struct float_case *c = &float_cases[_i];

	ck_assert_msg(natt_float_needed(c->m, c->nat, c->force, c->on4500) == c->want, "case %d",
		      _i);
}
END_TEST

struct follow_case {
	enum natt_method m;
	bool floated;
	uint16_t port;
	bool ok;
	bool want;
};

static const struct follow_case follow_cases[] = {
	{ NATT_METHOD_RFC3947, false, 4500, true, true },   /* MM5 on 4500, decrypted */
	{ NATT_METHOD_RFC3947, false, 4500, false, false }, /* forged: fails decryption */
	{ NATT_METHOD_RFC3947, false, 500, true, false },   /* still on 500 */
	{ NATT_METHOD_RFC3947, true, 4500, true, false },   /* already floated */
	{ NATT_METHOD_DRAFT_02N, false, 4500, true, true },
	{ NATT_METHOD_DRAFT_01, false, 4500, true, false }, /* -01 does not float */
	{ NATT_METHOD_NONE, false, 4500, true, false },
};

START_TEST(test_float_follow)
{
	const struct follow_case *c = &follow_cases[_i];

	ck_assert_msg(natt_float_follow(c->m, c->floated, c->port, c->ok) == c->want, "case %d",
		      _i);
}
END_TEST

START_TEST(test_float_dest_and_reply)
{
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(500) };
	struct sockaddr_in6 peer6 = { .sin6_family = AF_INET6, .sin6_port = htons(500) };
	struct sockaddr_in natted = { .sin_family = AF_INET, .sin_port = htons(61001) };
	struct sockaddr_storage out;
	struct sockaddr bad = { .sa_family = AF_UNIX };

	inet_pton(AF_INET, "198.51.100.1", &peer.sin_addr);
	inet_pton(AF_INET6, "2001:db8::7", &peer6.sin6_addr);
	inet_pton(AF_INET, "203.0.113.8", &natted.sin_addr);

	/* UDP(4500,4500) to the same address. */
	ck_assert_int_eq(natt_float_dest((struct sockaddr *)&peer, &out), 0);
	ck_assert_uint_eq(natt_endpoint_port((struct sockaddr *)&out), 4500);
	ck_assert(natt_endpoint_addr_equal((struct sockaddr *)&out, (struct sockaddr *)&peer));
	ck_assert_int_eq(natt_float_dest((struct sockaddr *)&peer6, &out), 0);
	ck_assert_uint_eq(natt_endpoint_port((struct sockaddr *)&out), 4500);
	ck_assert(natt_endpoint_addr_equal((struct sockaddr *)&out, (struct sockaddr *)&peer6));
	ck_assert_int_eq(natt_float_dest(&bad, &out), -EAFNOSUPPORT);

	/* Reply to the NAT-rewritten source, port included (3947-3.b). */
	ck_assert_int_eq(natt_reply_dest((struct sockaddr *)&natted, &out), 0);
	ck_assert(natt_endpoint_equal((struct sockaddr *)&out, (struct sockaddr *)&natted));
	ck_assert_uint_eq(natt_endpoint_port((struct sockaddr *)&out), 61001);
	ck_assert_int_eq(natt_reply_dest(&bad, &out), -EAFNOSUPPORT);

	/* In place: the engine updates its stored peer endpoint. */
	memset(&out, 0, sizeof(out));
	memcpy(&out, &peer, sizeof(peer));
	ck_assert_int_eq(natt_float_dest((struct sockaddr *)&out, &out), 0);
	ck_assert_uint_eq(natt_endpoint_port((struct sockaddr *)&out), 4500);
	ck_assert(natt_endpoint_addr_equal((struct sockaddr *)&out, (struct sockaddr *)&peer));
	ck_assert_int_eq(natt_reply_dest((struct sockaddr *)&out, &out), 0);
	ck_assert_uint_eq(natt_endpoint_port((struct sockaddr *)&out), 4500);
}
END_TEST

struct port500_case {
	bool floated;
	enum natt_exchange exch;
	bool allow_info;
	enum natt_port500_verdict want;
};

static const struct port500_case port500_cases[] = {
	/* 4.j: stale MM/AM with the same cookies after the float. */
	{ true, NATT_EXCH_MAIN, false, NATT_PORT500_DROP },
	{ true, NATT_EXCH_AGGRESSIVE, true, NATT_PORT500_DROP },
	/* 4.i: informational only if policy allows. */
	{ true, NATT_EXCH_INFORMATIONAL, false, NATT_PORT500_DROP },
	{ true, NATT_EXCH_INFORMATIONAL, true, NATT_PORT500_PROCESS },
	/* 4.c: the rest must use 4500. */
	{ true, NATT_EXCH_QUICK, true, NATT_PORT500_DROP },
	{ true, NATT_EXCH_TRANSACTION, true, NATT_PORT500_DROP },
	/* New exchange / not floated: normal processing (peer may have rebooted). */
	{ false, NATT_EXCH_MAIN, false, NATT_PORT500_PROCESS },
	{ false, NATT_EXCH_AGGRESSIVE, false, NATT_PORT500_PROCESS },
	{ false, NATT_EXCH_INFORMATIONAL, false, NATT_PORT500_PROCESS },
	{ false, NATT_EXCH_QUICK, false, NATT_PORT500_PROCESS },
};

START_TEST(test_port500)
{
	const struct port500_case *c = &port500_cases[_i];

	ck_assert_msg(natt_port500_check(c->floated, c->exch, c->allow_info) == c->want, "case %d",
		      _i);
}
END_TEST

struct idport_case {
	bool natt_on;
	uint16_t port;
	bool ok;
};

static const struct idport_case idport_cases[] = {
	{ true, 0, true },    { true, 500, true },    { true, 4500, true },
	{ true, 1, false },   { true, 61000, false }, { false, 0, true },
	{ false, 500, true }, { false, 4500, false }, { false, 65535, false },
};

START_TEST(test_id_port)
{
	const struct idport_case *c = &idport_cases[_i];

	ck_assert(natt_id_port_acceptable(c->natt_on, c->port) == c->ok);
}
END_TEST

START_TEST(test_id_port_send)
{
	ck_assert_uint_eq(natt_id_port_to_send(true), 0); /* 3947-4.l */
	ck_assert_uint_eq(natt_id_port_to_send(false), 500);
	ck_assert(natt_id_port_acceptable(true, natt_id_port_to_send(true)));
	ck_assert(natt_id_port_acceptable(false, natt_id_port_to_send(false)));
}
END_TEST

START_TEST(test_endpoint_helpers)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(500) };
	struct sockaddr_in6 b;
	struct sockaddr_in c = { .sin_family = AF_INET, .sin_port = htons(500) };
	struct sockaddr bad = { .sa_family = AF_UNIX };

	inet_pton(AF_INET6, "fe80::1", &a.sin6_addr);
	a.sin6_scope_id = 2;
	b = a;
	ck_assert(natt_endpoint_equal((struct sockaddr *)&a, (struct sockaddr *)&b));
	b.sin6_flowinfo = 7; /* not part of the endpoint */
	ck_assert(natt_endpoint_equal((struct sockaddr *)&a, (struct sockaddr *)&b));
	b.sin6_scope_id = 3;
	ck_assert(!natt_endpoint_equal((struct sockaddr *)&a, (struct sockaddr *)&b));
	b = a;
	b.sin6_port = htons(4500);
	ck_assert(!natt_endpoint_equal((struct sockaddr *)&a, (struct sockaddr *)&b));
	ck_assert(natt_endpoint_addr_equal((struct sockaddr *)&a, (struct sockaddr *)&b));
	ck_assert(!natt_endpoint_equal((struct sockaddr *)&a, (struct sockaddr *)&c));
	ck_assert(!natt_endpoint_equal(&bad, &bad));
	ck_assert(!natt_endpoint_equal(NULL, NULL));
	ck_assert_uint_eq(natt_endpoint_port(&bad), 0);
	ck_assert_int_eq(natt_endpoint_set_port(&bad, 1), -EAFNOSUPPORT);
	ck_assert_uint_eq(natt_endpoint_len(&bad), 0);
	ck_assert_uint_eq(natt_endpoint_len((struct sockaddr *)&c), sizeof(c));
	{
		struct sockaddr_storage o;

		memset(&o, 0xaa, sizeof(o));
		ck_assert_int_eq(natt_endpoint_addr_only((struct sockaddr *)&a, &o), 0);
		ck_assert_uint_eq(natt_endpoint_port((struct sockaddr *)&o), 0);
		ck_assert(natt_endpoint_addr_equal((struct sockaddr *)&o, (struct sockaddr *)&a));
		/* In place: the port goes, the address stays. */
		memcpy(&o, &c, sizeof(c));
		ck_assert_int_eq(natt_endpoint_addr_only((struct sockaddr *)&o, &o), 0);
		ck_assert_uint_eq(natt_endpoint_port((struct sockaddr *)&o), 0);
		ck_assert(natt_endpoint_addr_equal((struct sockaddr *)&o, (struct sockaddr *)&c));
		ck_assert_int_eq(natt_endpoint_addr_only(&bad, &o), -EAFNOSUPPORT);
	}
}
END_TEST

START_TEST(test_endpoint_format)
{
	struct sockaddr_in v4 = { .sin_family = AF_INET, .sin_port = htons(4500) };
	struct sockaddr_in6 v6 = { .sin6_family = AF_INET6, .sin6_port = htons(65535) };
	struct sockaddr bad = { .sa_family = AF_UNIX };
	char buf[NATT_ENDPOINT_STRLEN], small[8];

	inet_pton(AF_INET, "198.51.100.2", &v4.sin_addr);
	inet_pton(AF_INET6, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", &v6.sin6_addr);
	ck_assert_str_eq(natt_endpoint_format((struct sockaddr *)&v4, buf, sizeof(buf)),
			 "198.51.100.2:4500");
	ck_assert_str_eq(natt_endpoint_format((struct sockaddr *)&v6, buf, sizeof(buf)),
			 "[2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
	ck_assert_str_eq(natt_endpoint_format(&bad, buf, sizeof(buf)), "?");
	ck_assert_str_eq(natt_endpoint_format(NULL, buf, sizeof(buf)), "?");
	/* Truncation never yields half an address. */
	ck_assert_str_eq(natt_endpoint_format((struct sockaddr *)&v4, small, sizeof(small)), "?");
}
END_TEST

static Suite *ports_suite(void)
{
	Suite *s = suite_create("natt_ports");
	TCase *tc = tcase_create("ports");

	tcase_add_loop_test(tc, test_float_needed, 0, (int)N(float_cases));
	tcase_add_loop_test(tc, test_float_follow, 0, (int)N(follow_cases));
	tcase_add_test(tc, test_float_dest_and_reply);
	tcase_add_loop_test(tc, test_port500, 0, (int)N(port500_cases));
	tcase_add_loop_test(tc, test_id_port, 0, (int)N(idport_cases));
	tcase_add_test(tc, test_id_port_send);
	tcase_add_test(tc, test_endpoint_helpers);
	tcase_add_test(tc, test_endpoint_format);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(ports_suite());
}
