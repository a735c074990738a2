// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests for natt/transport.c: which addresses UDP-Encapsulated-
 * Transport client IDs may carry, what a responder answers, and the kernel
 * selectors, for the e2e bed's NAT topologies (tests/e2e/topologies) with
 * natkeyd in either role and a peer that keeps the IDs (Libreswan) or
 * rewrites them to what it sees (strongSwan). The NAT-OA each side holds
 * comes from natt_natoa_plan() on the sender and natt_natoa_original() on
 * the receiver, so the composition is what is tested.
 */
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "natt/endpoint.h"
#include "natt/natoa.h"
#include "natt/transport.h"
#include "tests/lib/natt_test.h"

/* One topology: each host's own address and the address the other sees. */
struct topo {
	const char *name;
	const char *rw_own, *rw_seen; /* road warrior (natkeyd's initiator side) */
	const char *gw_own, *gw_seen; /* gateway (responder) */
};

static const struct topo topos[] = {
	{ "direct (forced encapsulation)", "198.51.100.2", "198.51.100.2", "192.0.2.1",
	  "192.0.2.1" },
	{ "rw-nat", "10.1.0.2", "198.51.100.2", "192.0.2.1", "192.0.2.1" },
	{ "double-nat", "10.1.0.2", "198.51.100.2", "192.0.2.1", "192.0.2.1" },
	{ "gw-static-nat", "198.51.100.2", "198.51.100.2", "10.2.0.1", "203.0.113.1" },
	{ "both-nat", "10.1.0.2", "198.51.100.2", "10.2.0.1", "203.0.113.1" },
	{ "IPv6 both behind NAT66", "fd00:1::2", "2001:db8:100::2", "fd00:2::1",
	  "2001:db8:203::1" },
};

/* What the peer answers / sends, and which verdicts natkeyd must reach. */
enum who {
	NK_INITIATOR,
	NK_RESPONDER
};

struct id_case {
	unsigned topo;
	enum who nk;
	enum natt_transport_reply peer_style; /* NK_INITIATOR: the responder's */
	enum natt_transport_id want_ours, want_peer;
};

#define OWN  NATT_TID_OWN
#define SEEN NATT_TID_SEEN
#define ECHO NATT_REPLY_ECHO
#define ASIS NATT_REPLY_AS_SEEN

static const struct id_case id_cases[] = {
	/* direct: every address is both own and seen; "seen" is checked first
	 * for the peer, "own" first for us. */
	{ 0, NK_INITIATOR, ECHO, OWN, SEEN },
	{ 0, NK_INITIATOR, ASIS, OWN, SEEN },
	{ 0, NK_RESPONDER, ECHO, OWN, SEEN },
	/* rw-nat, issue 3: strongSwan answers IDci = the NAT's address. */
	{ 1, NK_INITIATOR, ECHO, OWN, SEEN },
	{ 1, NK_INITIATOR, ASIS, SEEN, SEEN },
	/* rw-nat, issue 4: the road warrior claims its private address. */
	{ 1, NK_RESPONDER, ECHO, OWN, OWN },
	{ 2, NK_INITIATOR, ECHO, OWN, SEEN },
	{ 2, NK_INITIATOR, ASIS, SEEN, SEEN },
	{ 2, NK_RESPONDER, ECHO, OWN, OWN },
	/* gw-static-nat: strongSwan names itself by its private address;
	 * issue 5: the road warrior's IDcr is our public address. */
	{ 3, NK_INITIATOR, ECHO, OWN, SEEN },
	{ 3, NK_INITIATOR, ASIS, OWN, OWN },
	{ 3, NK_RESPONDER, ECHO, SEEN, SEEN },
	{ 4, NK_INITIATOR, ECHO, OWN, SEEN },
	{ 4, NK_INITIATOR, ASIS, SEEN, OWN },
	{ 4, NK_RESPONDER, ECHO, SEEN, OWN },
	{ 5, NK_INITIATOR, ECHO, OWN, SEEN },
	{ 5, NK_INITIATOR, ASIS, SEEN, OWN },
	{ 5, NK_RESPONDER, ECHO, SEEN, OWN },
};

static bool differs(const char *a, const char *b)
{
	return strcmp(a, b) != 0;
}

START_TEST(test_topology_ids)
{
	const struct id_case *tc = &id_cases[_i];
	const struct topo *t = &topos[tc->topo];
	struct sockaddr_storage rw_own = natt_test_ep(t->rw_own, 4500);
	struct sockaddr_storage rw_seen = natt_test_ep(t->rw_seen, 4500);
	struct sockaddr_storage gw_own = natt_test_ep(t->gw_own, 4500);
	struct sockaddr_storage gw_seen = natt_test_ep(t->gw_seen, 4500);
	bool nat_rw = differs(t->rw_own, t->rw_seen), nat_gw = differs(t->gw_own, t->gw_seen);
	struct natt_natoa_plan plan;
	struct natt_natoa_orig oa;
	struct natt_transport_view me, peer;
	struct sockaddr_storage ci, cr, sl, sr;
	enum natt_transport_id ours, theirs;

	if (tc->nk == NK_INITIATOR) {
		/* We are the road warrior; QM1 carried IDci = us, IDcr = the
		 * gateway as configured (its public address). The responder's
		 * NAT-OA tells us its view. */
		me = (struct natt_transport_view){ SA(rw_own), SA(gw_seen), nat_rw, nat_gw, &oa };
		peer = (struct natt_transport_view){ SA(gw_own), SA(rw_seen), nat_gw, nat_rw,
						     NULL };
		ck_assert_int_eq(natt_natoa_plan(NATT_ROLE_RESPONDER, NATT_METHOD_RFC3947, true,
						 SA(gw_own), SA(rw_seen), &plan),
				 0);
		ck_assert_uint_eq(plan.count, 2);
		ck_assert_int_eq(natt_natoa_original(NATT_ROLE_INITIATOR, NATT_METHOD_RFC3947,
						     plan.oa, plan.count, &oa),
				 0);
		ck_assert_int_eq(natt_transport_reply(tc->peer_style, &peer, SA(rw_own),
						      SA(gw_seen), &ci, &cr),
				 0);
		ours = natt_transport_id_check(&me, true, SA(ci));
		theirs = natt_transport_id_check(&me, false, SA(cr));
	} else {
		/* We are the gateway; the road warrior proposed IDci = itself,
		 * IDcr = us as it knows us, with NAT-OAi/NAT-OAr of its view. */
		me = (struct natt_transport_view){ SA(gw_own), SA(rw_seen), nat_gw, nat_rw, &oa };
		ck_assert_int_eq(natt_natoa_plan(NATT_ROLE_INITIATOR, NATT_METHOD_RFC3947, true,
						 SA(rw_own), SA(gw_seen), &plan),
				 0);
		ck_assert_int_eq(natt_natoa_original(NATT_ROLE_RESPONDER, NATT_METHOD_RFC3947,
						     plan.oa, plan.count, &oa),
				 0);
		ci = rw_own;
		cr = gw_seen;
		ours = natt_transport_id_check(&me, true, SA(cr));
		theirs = natt_transport_id_check(&me, false, SA(ci));
		/* What we answer (echo) passes the initiator's own check. */
		{
			struct natt_transport_view them = { SA(rw_own), SA(gw_seen), nat_rw, nat_gw,
							    NULL };
			struct natt_natoa_orig ioa;
			struct sockaddr_storage aci, acr;

			ck_assert_int_eq(natt_transport_reply(NATT_REPLY_ECHO, &me, SA(ci), SA(cr),
							      &aci, &acr),
					 0);
			ck_assert_int_eq(natt_natoa_plan(NATT_ROLE_RESPONDER, NATT_METHOD_RFC3947,
							 true, SA(gw_own), SA(rw_seen), &plan),
					 0);
			ck_assert_int_eq(natt_natoa_original(NATT_ROLE_INITIATOR,
							     NATT_METHOD_RFC3947, plan.oa,
							     plan.count, &ioa),
					 0);
			them.oa = &ioa;
			ck_assert_int_ne(natt_transport_id_check(&them, true, SA(aci)),
					 NATT_TID_REFUSED);
			ck_assert_int_ne(natt_transport_id_check(&them, false, SA(acr)),
					 NATT_TID_REFUSED);
		}
	}
	ck_assert_msg(ours == tc->want_ours, "%s: our ID: %s, want %s", t->name,
		      natt_transport_id_name(ours), natt_transport_id_name(tc->want_ours));
	ck_assert_msg(theirs == tc->want_peer, "%s: peer ID: %s, want %s", t->name,
		      natt_transport_id_name(theirs), natt_transport_id_name(tc->want_peer));
	/* Kernel selectors: our own address and the peer as seen, no ports. */
	ck_assert_int_eq(natt_transport_selector(&me, &sl, &sr), 0);
	ck_assert(natt_endpoint_addr_equal(SA(sl), me.local));
	ck_assert(natt_endpoint_addr_equal(SA(sr), me.peer_seen));
	ck_assert_uint_eq(natt_endpoint_port(SA(sl)), 0);
	ck_assert_uint_eq(natt_endpoint_port(SA(sr)), 0);
	ck_assert(natt_endpoint_addr_equal(SA(sr),
					   tc->nk == NK_INITIATOR ? SA(gw_seen) : SA(rw_seen)));
}
END_TEST

/* Single rules, and what is refused. Addresses as in rw-nat / both-nat. */
struct rule_case {
	const char *what;
	const char *local, *seen;
	bool nat_we, nat_peer;
	int noa;	    /* -1: no NAT-OA at all; 1: one (drafts, src only); 2: both */
	const char *oa_src; /* the peer's own address, per its NAT-OA */
	const char *oa_dst; /* our address as the peer sees it */
	bool ours;	    /* which ID */
	const char *id;
	enum natt_transport_id want;
};

static const struct rule_case rule_cases[] = {
	{ "ours: local", "10.2.0.1", "198.51.100.2", true, true, 2, "10.1.0.2", "203.0.113.1", true,
	  "10.2.0.1", NATT_TID_OWN },
	{ "ours: public, as the peer's NAT-OA says", "10.2.0.1", "198.51.100.2", true, true, 2,
	  "10.1.0.2", "203.0.113.1", true, "203.0.113.1", NATT_TID_SEEN },
	{ "ours: some other host, NAT-OA present", "10.2.0.1", "198.51.100.2", true, true, 2,
	  "10.1.0.2", "203.0.113.1", true, "203.0.113.9", NATT_TID_REFUSED },
	{ "ours: other host, we are behind a NAT, no NAT-OA", "10.2.0.1", "198.51.100.2", true,
	  true, -1, NULL, NULL, true, "203.0.113.1", NATT_TID_UNVERIFIED },
	{ "ours: other host, draft NAT-OA (src only), we behind NAT", "10.2.0.1", "198.51.100.2",
	  true, true, 1, "10.1.0.2", NULL, true, "203.0.113.1", NATT_TID_UNVERIFIED },
	{ "ours: other host, no NAT in front of us, no NAT-OA", "192.0.2.1", "198.51.100.2", false,
	  true, -1, NULL, NULL, true, "192.0.2.99", NATT_TID_REFUSED },
	{ "peer: as seen", "192.0.2.1", "198.51.100.2", false, true, 2, "10.1.0.2", "192.0.2.1",
	  false, "198.51.100.2", NATT_TID_SEEN },
	{ "peer: own, per its NAT-OA", "192.0.2.1", "198.51.100.2", false, true, 2, "10.1.0.2",
	  "192.0.2.1", false, "10.1.0.2", NATT_TID_OWN },
	{ "peer: own, per a draft's single NAT-OA", "192.0.2.1", "198.51.100.2", false, true, 1,
	  "10.1.0.2", NULL, false, "10.1.0.2", NATT_TID_OWN },
	{ "peer: another private address than its NAT-OA", "192.0.2.1", "198.51.100.2", false, true,
	  2, "10.1.0.2", "192.0.2.1", false, "10.1.0.3", NATT_TID_REFUSED },
	{ "peer: behind NAT, no NAT-OA", "192.0.2.1", "198.51.100.2", false, true, -1, NULL, NULL,
	  false, "10.1.0.2", NATT_TID_UNVERIFIED },
	{ "peer: no NAT in front of it, no NAT-OA", "10.2.0.1", "198.51.100.2", true, false, -1,
	  NULL, NULL, false, "10.1.0.2", NATT_TID_REFUSED },
	{ "peer: IPv6 ID on an IPv4 SA", "192.0.2.1", "198.51.100.2", false, true, 2, "10.1.0.2",
	  "192.0.2.1", false, "2001:db8::1", NATT_TID_REFUSED },
	{ "ours: IPv6 ID on an IPv4 SA", "192.0.2.1", "198.51.100.2", true, true, -1, NULL, NULL,
	  true, "2001:db8::1", NATT_TID_REFUSED },
};

START_TEST(test_rules)
{
	const struct rule_case *tc = &rule_cases[_i];
	struct sockaddr_storage local = natt_test_ep(tc->local, 500);
	struct sockaddr_storage seen = natt_test_ep(tc->seen, 4500);
	struct sockaddr_storage id = natt_test_ep(tc->id, 0);
	struct natt_natoa_orig oa;
	struct natt_transport_view v = { SA(local), SA(seen), tc->nat_we, tc->nat_peer, NULL };
	enum natt_transport_id got;

	memset(&oa, 0, sizeof(oa));
	if (tc->noa >= 1) {
		oa.have_src = true;
		oa.src = natt_test_ep(tc->oa_src, 0);
	}
	if (tc->noa == 2) {
		oa.have_dst = true;
		oa.dst = natt_test_ep(tc->oa_dst, 0);
	}
	if (tc->noa >= 0)
		v.oa = &oa;
	got = natt_transport_id_check(&v, tc->ours, SA(id));
	ck_assert_msg(got == tc->want, "%s: %s, want %s", tc->what, natt_transport_id_name(got),
		      natt_transport_id_name(tc->want));
}
END_TEST

START_TEST(test_reply)
{
	struct sockaddr_storage local = natt_test_ep("10.2.0.1", 4500);
	struct sockaddr_storage seen = natt_test_ep("198.51.100.2", 31000);
	struct sockaddr_storage ci = natt_test_ep("10.1.0.2", 7),
				cr = natt_test_ep("203.0.113.1", 9);
	struct sockaddr_storage v6 = natt_test_ep("2001:db8::1", 0), oci, ocr;
	struct natt_transport_view v = { SA(local), SA(seen), true, true, NULL };

	/* Echo: the initiator's addresses, ports dropped. */
	ck_assert_int_eq(natt_transport_reply(NATT_REPLY_ECHO, &v, SA(ci), SA(cr), &oci, &ocr), 0);
	ck_assert(natt_endpoint_addr_equal(SA(oci), SA(ci)));
	ck_assert(natt_endpoint_addr_equal(SA(ocr), SA(cr)));
	ck_assert_uint_eq(natt_endpoint_port(SA(oci)) + natt_endpoint_port(SA(ocr)), 0);
	/* As seen (strongSwan): the initiator as we see it, ourselves. */
	ck_assert_int_eq(natt_transport_reply(NATT_REPLY_AS_SEEN, &v, SA(ci), SA(cr), &oci, &ocr),
			 0);
	ck_assert(natt_endpoint_addr_equal(SA(oci), SA(seen)));
	ck_assert(natt_endpoint_addr_equal(SA(ocr), SA(local)));
	ck_assert_uint_eq(natt_endpoint_port(SA(oci)), 0);
	/* Aliasing: the output may be the input. */
	ck_assert_int_eq(natt_transport_reply(NATT_REPLY_ECHO, &v, SA(ci), SA(cr), &ci, &cr), 0);
	ck_assert_uint_eq(natt_endpoint_port(SA(ci)), 0);
	/* Mixed families, missing addresses. */
	ck_assert_int_eq(natt_transport_reply(NATT_REPLY_ECHO, &v, SA(v6), SA(cr), &oci, &ocr),
			 -EINVAL);
	v.local = NULL;
	ck_assert_int_eq(natt_transport_reply(NATT_REPLY_ECHO, &v, SA(ci), SA(cr), &oci, &ocr),
			 -EAFNOSUPPORT);
	ck_assert_int_eq(natt_transport_selector(&v, &oci, &ocr), -EAFNOSUPPORT);
	v.local = SA(v6);
	ck_assert_int_eq(natt_transport_selector(&v, &oci, &ocr), -EINVAL);
	ck_assert_int_eq(natt_transport_id_check(&v, true, SA(v6)), NATT_TID_REFUSED);
	ck_assert_int_eq(natt_transport_id_check(NULL, true, SA(ci)), NATT_TID_REFUSED);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(natt_transport_id_name(NATT_TID_REFUSED), "refused");
	ck_assert_str_eq(natt_transport_id_name(NATT_TID_OWN), "own address");
	ck_assert_str_eq(natt_transport_id_name(NATT_TID_SEEN), "address as seen");
	ck_assert_str_eq(natt_transport_id_name(NATT_TID_UNVERIFIED), "unverified");
	ck_assert_str_eq(natt_transport_id_name((enum natt_transport_id)42), "refused");
}
END_TEST

static Suite *transport_suite(void)
{
	Suite *s = suite_create("natt_transport");
	TCase *tc = tcase_create("transport");

	tcase_add_loop_test(tc, test_topology_ids, 0, (int)N(id_cases));
	tcase_add_loop_test(tc, test_rules, 0, (int)N(rule_cases));
	tcase_add_test(tc, test_reply);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(transport_suite());
}
