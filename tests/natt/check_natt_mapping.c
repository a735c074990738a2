// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the RFC 3947 s7 mapping-change policy and s6 INITIAL-CONTACT rule. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "natt/mapping.h"
#include "tests/lib/natt_test.h"

struct map_case {
	const char *what;
	bool natt_active, behind;
	enum natt_auth auth;
	const char *old_a;
	uint16_t old_p;
	const char *new_a;
	uint16_t new_p;
	enum natt_mapping_decision want;
};

static const struct map_case map_cases[] = {
	{ "authenticated IKE from new port", true, false, NATT_AUTH_IKE, "203.0.113.5", 4500,
	  "203.0.113.5", 61000, NATT_MAPPING_MOVE },
	{ "kernel ESP from new address", true, false, NATT_AUTH_ESP, "203.0.113.5", 4500,
	  "203.0.113.99", 4500, NATT_MAPPING_MOVE },
	{ "forged: valid cookies, new port, decryption failed", true, false, NATT_AUTH_NONE,
	  "203.0.113.5", 4500, "203.0.113.5", 61000, NATT_MAPPING_IGNORE },
	{ "keepalive from new port", true, false, NATT_AUTH_KEEPALIVE, "203.0.113.5", 4500,
	  "203.0.113.5", 61000, NATT_MAPPING_IGNORE },
	{ "we are behind the NAT: never follow", true, true, NATT_AUTH_IKE, "198.51.100.1", 4500,
	  "198.51.100.2", 4500, NATT_MAPPING_IGNORE },
	{ "we are behind the NAT, ESP", true, true, NATT_AUTH_ESP, "198.51.100.1", 4500,
	  "198.51.100.1", 4501, NATT_MAPPING_IGNORE },
	{ "NAT-T not in use", false, false, NATT_AUTH_IKE, "198.51.100.1", 500, "198.51.100.1", 501,
	  NATT_MAPPING_IGNORE },
	{ "same endpoint", true, false, NATT_AUTH_IKE, "203.0.113.5", 4500, "203.0.113.5", 4500,
	  NATT_MAPPING_UNCHANGED },
	{ "same endpoint, unauthenticated", true, false, NATT_AUTH_NONE, "203.0.113.5", 4500,
	  "203.0.113.5", 4500, NATT_MAPPING_UNCHANGED },
	{ "family change", true, false, NATT_AUTH_IKE, "203.0.113.5", 4500, "2001:db8::5", 4500,
	  NATT_MAPPING_IGNORE },
	{ "IPv6 authenticated move", true, false, NATT_AUTH_IKE, "2001:db8::5", 4500, "2001:db8::6",
	  4500, NATT_MAPPING_MOVE },
};

START_TEST(test_mapping)
{
	const struct map_case *c = &map_cases[_i];
	struct sockaddr_storage o = natt_test_ep(c->old_a, c->old_p),
				n = natt_test_ep(c->new_a, c->new_p);
	struct natt_mapping_in in = { .natt_active = c->natt_active,
				      .we_behind_nat = c->behind,
				      .auth = c->auth,
				      .old_ep = (struct sockaddr *)&o,
				      .new_ep = (struct sockaddr *)&n };
	const char *why = NULL;
	enum natt_mapping_decision d = natt_mapping_decide(&in, &why);

	ck_assert_msg(d == c->want, "%s: %s (%s)", c->what, natt_mapping_decision_name(d), why);
	ck_assert_ptr_nonnull(why);
}
END_TEST

/* Every authentication status: only IKE and ESP ever move the peer. */
START_TEST(test_mapping_auth_sweep)
{
	struct sockaddr_storage o = natt_test_ep("203.0.113.5", 4500),
				n = natt_test_ep("203.0.113.5", 4501);
	struct natt_mapping_in in = { .natt_active = true,
				      .old_ep = (struct sockaddr *)&o,
				      .new_ep = (struct sockaddr *)&n };

	for (int a = NATT_AUTH_NONE; a <= NATT_AUTH_ESP; a++) {
		in.auth = (enum natt_auth)a;
		ck_assert_int_eq(natt_mapping_decide(&in, NULL),
				 a == NATT_AUTH_IKE || a == NATT_AUTH_ESP ? NATT_MAPPING_MOVE
									  : NATT_MAPPING_IGNORE);
		ck_assert_str_ne(natt_auth_name(in.auth), "unknown");
	}
	in.new_ep = NULL;
	in.auth = NATT_AUTH_IKE;
	ck_assert_int_eq(natt_mapping_decide(&in, NULL), NATT_MAPPING_IGNORE);
}
END_TEST

START_TEST(test_initial_contact)
{
	static const uint8_t fqdn_a[] = "roadwarrior.example.org";
	static const uint8_t fqdn_b[] = "roadwarrior.example.net";
	static const uint8_t ipv4[] = { 192, 0, 2, 1 };
	struct natt_identity sa = { 2 /* ID_FQDN */, fqdn_a, sizeof(fqdn_a) - 1 };
	struct natt_identity same = { 2, fqdn_a, sizeof(fqdn_a) - 1 };
	struct natt_identity other = { 2, fqdn_b, sizeof(fqdn_b) - 1 };
	struct natt_identity prefix = { 2, fqdn_a, sizeof(fqdn_a) - 2 };
	struct natt_identity addr = { 1 /* ID_IPV4_ADDR */, ipv4, 4 };
	struct natt_identity addr_as_fqdn = { 2, ipv4, 4 };

	ck_assert(natt_initial_contact_matches(&sa, &same));
	ck_assert(!natt_initial_contact_matches(&sa, &other));
	ck_assert(!natt_initial_contact_matches(&sa, &prefix));
	ck_assert(!natt_initial_contact_matches(&addr, &addr_as_fqdn));
	ck_assert(natt_initial_contact_matches(&addr, &addr));
	ck_assert(!natt_initial_contact_matches(NULL, &addr));
}
END_TEST

static Suite *mapping_suite(void)
{
	Suite *s = suite_create("natt_mapping");
	TCase *tc = tcase_create("mapping");

	tcase_add_loop_test(tc, test_mapping, 0, (int)N(map_cases));
	tcase_add_test(tc, test_mapping_auth_sweep);
	tcase_add_test(tc, test_initial_contact);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(mapping_suite());
}
