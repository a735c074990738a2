// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natt/diag.c: the NAT facts' rules in isolation: the CGN range, what
 * tells a real NAT from a faked NAT-D, port preservation and split NAT,
 * the history ring, the carry to a rekeyed SA, the audit (due times, once
 * per peer) and the diagnosis texts.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "natt/diag.h"

static struct sockaddr_storage ep4(const char *a, uint16_t port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;

	memset(&ss, 0, sizeof(ss));
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET, a, &in->sin_addr), 1);
	return ss;
}

static struct natt_ep nep(const char *a, uint16_t port)
{
	struct sockaddr_storage ss = ep4(a, port);
	struct natt_ep e;

	natt_ep_from_sa(&e, (struct sockaddr *)&ss);
	return e;
}

/* A NATed peer: NAT-D says so, legs on 500 and 4500 from @p500 / @p4500. */
static void natted(struct natt_facts *f, const char *a500, uint16_t p500, const char *a4500,
		   uint16_t p4500)
{
	struct sockaddr_storage s500 = ep4(a500, p500), s4500 = ep4(a4500, p4500);

	memset(f, 0, sizeof(*f));
	f->natt = f->natd_done = f->natd_peer = true;
	natt_diag_leg(f, 500, (struct sockaddr *)&s500);
	natt_diag_leg(f, 4500, (struct sockaddr *)&s4500);
	f->established_ms = 1000;
	natt_diag_auth(f, 1000);
}

START_TEST(test_cgn_range)
{
	struct natt_ep e;

	e = nep("100.64.0.0", 0);
	ck_assert(natt_diag_is_cgn(&e));
	e = nep("100.127.255.255", 0);
	ck_assert(natt_diag_is_cgn(&e));
	e = nep("100.63.255.255", 0);
	ck_assert(!natt_diag_is_cgn(&e));
	e = nep("100.128.0.0", 0);
	ck_assert(!natt_diag_is_cgn(&e));
	e = nep("10.64.0.1", 0);
	ck_assert(!natt_diag_is_cgn(&e));
	memset(&e, 0, sizeof(e));
	ck_assert(!natt_diag_is_cgn(&e));
}
END_TEST

START_TEST(test_legs_first_only)
{
	struct natt_facts f;
	struct sockaddr_storage b = ep4("203.0.113.9", 1234);
	struct natt_diag d;

	natted(&f, "203.0.113.7", 500, "203.0.113.7", 4500);
	natt_diag_leg(&f, 4500, (struct sockaddr *)&b); /* a later message: not the leg */
	natt_diag_leg(&f, 4501, (struct sockaddr *)&b); /* another port: ignored */
	ck_assert_uint_eq(f.ep4500.port, 4500);
	natt_diag_classify(&f, 2000, 0, &d);
	ck_assert_int_eq(d.port_preserved, NATT_YES);
	ck_assert_int_eq(d.split_nat, NATT_NO);
	ck_assert_int_eq(d.peer_nat, NATT_PEER_NAT_CLAIMED);

	natted(&f, "203.0.113.7", 500, "203.0.113.7", 61000);
	natt_diag_classify(&f, 2000, 0, &d);
	ck_assert_int_eq(d.port_preserved, NATT_NO);
	natted(&f, "203.0.113.7", 500, "203.0.113.8", 4500);
	natt_diag_classify(&f, 2000, 0, &d);
	ck_assert_int_eq(d.split_nat, NATT_YES);
	ck_assert_ptr_nonnull(strstr(d.text, "split NAT"));
	/* No float seen: unknown. */
	memset(&f, 0, sizeof(f));
	natt_diag_classify(&f, 2000, 0, &d);
	ck_assert_int_eq(d.port_preserved, NATT_UNKNOWN);
	ck_assert_int_eq(d.split_nat, NATT_UNKNOWN);
	ck_assert_int_eq(d.peer_nat, NATT_PEER_NAT_UNKNOWN);
	ck_assert_str_eq(d.text, "no NAT-T negotiated");
}
END_TEST

/* What tells a real NAT from a faked NAT-D hash. */
START_TEST(test_faked_natd)
{
	struct natt_facts f;
	struct natt_diag d;

	/* NAT-OA equal to the wire address: untranslated, faked. */
	natted(&f, "192.0.2.5", 500, "192.0.2.5", 4500);
	f.natoa = nep("192.0.2.5", 0);
	natt_diag_classify(&f, 2000, 0, &d);
	ck_assert_int_eq(d.peer_nat, NATT_PEER_NAT_FAKED);
	ck_assert_ptr_nonnull(strstr(d.text, "faked NAT-D"));
	/* NAT-OA different: translated, whatever the ports. */
	f.natoa = nep("10.0.0.2", 0);
	natt_diag_classify(&f, 2000, 0, &d);
	ck_assert_int_eq(d.peer_nat, NATT_PEER_NAT_TRANSLATED);
	/* No NAT-OA, an address identity equal to the wire, port 500 kept: faked. */
	memset(&f.natoa, 0, sizeof(f.natoa));
	f.id_addr = nep("192.0.2.5", 0);
	natt_diag_classify(&f, 2000, 0, &d);
	ck_assert_int_eq(d.peer_nat, NATT_PEER_NAT_FAKED);
	/* ... but the 500 leg from another port is a translation. */
	natted(&f, "192.0.2.5", 1025, "192.0.2.5", 4500);
	f.id_addr = nep("192.0.2.5", 0);
	natt_diag_classify(&f, 2000, 0, &d);
	ck_assert_int_eq(d.peer_nat, NATT_PEER_NAT_TRANSLATED);
	/* An FQDN identity, ports kept, no NAT-OA: cannot be told. */
	natted(&f, "192.0.2.5", 500, "192.0.2.5", 4500);
	natt_diag_classify(&f, 2000, 0, &d);
	ck_assert_int_eq(d.peer_nat, NATT_PEER_NAT_CLAIMED);
	/* NAT-D matched: none. */
	f.natd_peer = false;
	natt_diag_classify(&f, 2000, 0, &d);
	ck_assert_int_eq(d.peer_nat, NATT_PEER_NAT_NONE);
	ck_assert_str_eq(d.text, "no NAT between us: fine");
	/* A faked peer is not audited. */
	f.natd_peer = true;
	f.natoa = nep("192.0.2.5", 0);
	ck_assert_int_eq(natt_diag_audit(&f, 1000000, 0, &(uint64_t){ 0 }), NATT_AUDIT_NONE);
}
END_TEST

START_TEST(test_history_ring)
{
	struct natt_facts f;
	struct natt_remap h[NATT_DIAG_HISTORY];
	char a[32], b[32];

	natted(&f, "203.0.113.7", 500, "203.0.113.7", 4500);
	for (unsigned i = 0; i < 11; i++) {
		struct sockaddr_storage o = ep4("203.0.113.7", (uint16_t)(4500 + i));
		struct sockaddr_storage n = ep4("203.0.113.7", (uint16_t)(4501 + i));
		uint64_t t = 1000 + 50000ull * (i + 1);

		natt_diag_remap(&f, t, (struct sockaddr *)&o, (struct sockaddr *)&n, i & 1);
	}
	ck_assert_uint_eq(f.remaps, 11);
	ck_assert_uint_eq(natt_diag_history(&f, h, NATT_DIAG_HISTORY), NATT_DIAG_HISTORY);
	/* The last 8, oldest first: changes 3..10. */
	for (unsigned i = 0; i < NATT_DIAG_HISTORY; i++) {
		ck_assert_uint_eq(h[i].old_ep.port, 4503 + i);
		ck_assert_uint_eq(h[i].idle_ms, 50000);
		ck_assert_int_eq(h[i].esp, (i + 3) & 1);
	}
	ck_assert_str_eq(natt_ep_format(&h[0].old_ep, true, a, sizeof(a)), "203.0.113.7:4503");
	ck_assert_str_eq(natt_ep_format(&h[7].new_ep, false, b, sizeof(b)), "203.0.113.7");
	ck_assert_uint_eq(f.last_auth_ms, 1000 + 50000ull * 11);
	natt_diag_free(&f);
}
END_TEST

/* A keepalive between two changes shortens the idle time before the next. */
START_TEST(test_idle_counts_keepalives)
{
	struct natt_facts f;
	struct sockaddr_storage o = ep4("203.0.113.7", 4500), n = ep4("203.0.113.7", 4600);
	struct natt_diag d;

	natted(&f, "203.0.113.7", 500, "203.0.113.7", 4500);
	natt_diag_keepalive(&f, 21000);
	natt_diag_keepalive(&f, 41000);
	natt_diag_remap(&f, 86000, (struct sockaddr *)&o, (struct sockaddr *)&n, false);
	ck_assert_uint_eq(f.hist->v[0].idle_ms, 45000);
	ck_assert_uint_eq(f.ka_count, 2);
	ck_assert_uint_eq(f.ka_interval_ms, 20000);
	natt_diag_classify(&f, 90000, 0, &d);
	ck_assert_uint_eq(d.binding_ms, 45000);
	ck_assert_uint_eq(d.ka_interval_ms, 20000);
	ck_assert_int_eq(d.verdict, NATT_AUDIT_NONE);
	ck_assert_str_eq(d.text, "behind NAT, port preserved, keepalive every 20 s, NAT rebinds "
				 "after ~45 s idle: fine");
	natt_diag_free(&f);
}
END_TEST

START_TEST(test_audit_no_keepalive)
{
	struct natt_facts f;
	uint64_t next;
	struct natt_diag d;

	natted(&f, "203.0.113.7", 500, "203.0.113.7", 4500);
	/* Established at 1 s, threshold 60 s. */
	ck_assert_int_eq(natt_diag_audit(&f, 60999, 0, &next), NATT_AUDIT_NONE);
	ck_assert_uint_eq(next, 61000);
	ck_assert_int_eq(natt_diag_audit(&f, 61000, 0, &next), NATT_AUDIT_NO_KEEPALIVE);
	natt_diag_classify(&f, 61000, 0, &d);
	ck_assert_str_eq(d.text,
			 "behind NAT, port preserved, no keepalive for 60 s: the tunnel "
			 "breaks once the NAT drops the idle binding; enable NAT-keepalives "
			 "on the client (keep_alive=20s)");
	f.warned_none = true;
	ck_assert_int_eq(natt_diag_audit(&f, 1000000, 0, &next), NATT_AUDIT_NONE);
	ck_assert_uint_eq(next, UINT64_MAX);
	/* A keepalive moves the due time; a custom threshold applies. */
	natted(&f, "203.0.113.7", 500, "203.0.113.7", 4500);
	natt_diag_keepalive(&f, 30000);
	ck_assert_int_eq(natt_diag_audit(&f, 61000, 0, &next), NATT_AUDIT_NONE);
	ck_assert_uint_eq(next, 90000);
	ck_assert_int_eq(natt_diag_audit(&f, 61000, 20000, &next), NATT_AUDIT_NO_KEEPALIVE);
	/* Not established, or no NAT: never. */
	f.established_ms = 0;
	ck_assert_int_eq(natt_diag_audit(&f, 10000000, 0, &next), NATT_AUDIT_NONE);
	ck_assert_uint_eq(next, UINT64_MAX);
}
END_TEST

START_TEST(test_audit_slow_keepalive)
{
	struct natt_facts f;
	struct sockaddr_storage o = ep4("203.0.113.7", 4500), n = ep4("203.0.113.7", 4600);
	uint64_t next;
	struct natt_diag d;

	natted(&f, "203.0.113.7", 500, "203.0.113.7", 4500);
	natt_diag_keepalive(&f, 11000);
	natt_diag_keepalive(&f, 51000); /* every 40 s */
	ck_assert_int_eq(natt_diag_audit(&f, 52000, 0, &next), NATT_AUDIT_NONE);
	natt_diag_remap(&f, 76000, (struct sockaddr *)&o, (struct sockaddr *)&n, true); /* 25 s */
	ck_assert_int_eq(natt_diag_audit(&f, 76000, 0, &next), NATT_AUDIT_SLOW_KEEPALIVE);
	natt_diag_classify(&f, 76000, 0, &d);
	ck_assert_str_eq(d.text, "behind NAT, port preserved, keepalive every 40 s, NAT rebinds "
				 "after ~25 s idle: keepalives slower than the NAT's binding "
				 "lifetime, the tunnel breaks when idle; set keep_alive<25 on the "
				 "client");
	/* Once per peer: after one warning, no other. */
	f.warned_slow = true;
	ck_assert_int_eq(natt_diag_audit(&f, 1000000, 0, &next), NATT_AUDIT_NONE);
	ck_assert_uint_eq(next, UINT64_MAX);
	natt_diag_free(&f);
}
END_TEST

START_TEST(test_rebinds_no_keepalive_text)
{
	struct natt_facts f;
	struct sockaddr_storage o = ep4("203.0.113.7", 4500), n = ep4("203.0.113.7", 4600);
	struct natt_diag d;

	natted(&f, "203.0.113.7", 500, "203.0.113.7", 4500);
	f.id_addr = nep("100.100.0.9", 0);
	natt_diag_remap(&f, 46000, (struct sockaddr *)&o, (struct sockaddr *)&n, false);
	natt_diag_classify(&f, 70000, 0, &d);
	ck_assert(d.cgn);
	ck_assert_str_eq(d.text, "behind NAT, port preserved, NAT rebinds after ~45 s idle and the "
				 "peer sends no keepalives: tunnel will break when idle; set "
				 "keep_alive<45 on the client; CGN likely (100.64/10)");
	natt_diag_free(&f);
}
END_TEST

/* A change right after the peer talked (a NAT reboot) is no idle expiry:
 * no binding lifetime, no "slower than the binding" warning. */
START_TEST(test_reboot_not_binding)
{
	struct natt_facts f;
	struct sockaddr_storage o = ep4("203.0.113.7", 4500), n = ep4("203.0.113.7", 4600);
	uint64_t next;
	struct natt_diag d;

	natted(&f, "203.0.113.7", 500, "203.0.113.7", 4500);
	natt_diag_keepalive(&f, 6000);
	natt_diag_keepalive(&f, 11000);
	natt_diag_remap(&f, 12000, (struct sockaddr *)&o, (struct sockaddr *)&n, true);
	ck_assert_uint_eq(f.hist->v[0].idle_ms, 1000);
	natt_diag_keepalive(&f, 16000);
	ck_assert_int_eq(natt_diag_audit(&f, 16000, 0, &next), NATT_AUDIT_NONE);
	natt_diag_classify(&f, 16000, 0, &d);
	ck_assert_uint_eq(d.binding_ms, 0);
	ck_assert_str_eq(d.text, "behind NAT, port preserved, keepalive every 5 s: fine");
	/* 9.9 s is still too short, 10 s counts. */
	natt_diag_remap(&f, 25900, (struct sockaddr *)&n, (struct sockaddr *)&o, true);
	natt_diag_classify(&f, 26000, 0, &d);
	ck_assert_uint_eq(d.binding_ms, 0);
	natt_diag_remap(&f, 35900, (struct sockaddr *)&o, (struct sockaddr *)&n, true);
	natt_diag_classify(&f, 36000, 0, &d);
	ck_assert_uint_eq(d.binding_ms, 10000);
	natt_diag_free(&f);
}
END_TEST

START_TEST(test_carry)
{
	struct natt_facts old, nw;
	struct natt_remap h[NATT_DIAG_HISTORY];

	natted(&old, "203.0.113.7", 500, "203.0.113.7", 4500);
	for (unsigned i = 0; i < 6; i++) {
		struct sockaddr_storage o = ep4("203.0.113.7", (uint16_t)(5000 + i));
		struct sockaddr_storage n = ep4("203.0.113.7", (uint16_t)(5001 + i));

		natt_diag_remap(&old, 10000 * (i + 2), (struct sockaddr *)&o, (struct sockaddr *)&n,
				false);
	}
	natt_diag_keepalive(&old, 80000);
	natt_diag_keepalive(&old, 100000);
	old.warned_none = true;
	/* The rekeyed SA started on 4500 and saw three changes itself. */
	memset(&nw, 0, sizeof(nw));
	nw.natt = nw.natd_done = nw.natd_peer = true;
	{
		struct sockaddr_storage l = ep4("203.0.113.7", 5006);

		natt_diag_leg(&nw, 4500, (struct sockaddr *)&l);
	}
	nw.established_ms = 200000;
	for (unsigned i = 0; i < 3; i++) {
		struct sockaddr_storage o = ep4("203.0.113.7", (uint16_t)(6000 + i));
		struct sockaddr_storage n = ep4("203.0.113.7", (uint16_t)(6001 + i));

		natt_diag_remap(&nw, 200000 + 1000 * i, (struct sockaddr *)&o,
				(struct sockaddr *)&n, false);
	}
	natt_diag_keepalive(&nw, 210000);
	natt_diag_carry(&nw, &old);
	ck_assert_uint_eq(nw.remaps, 9);
	ck_assert_uint_eq(natt_diag_history(&nw, h, NATT_DIAG_HISTORY), 8);
	ck_assert_uint_eq(h[0].old_ep.port, 5001); /* the oldest of the old SA's dropped */
	ck_assert_uint_eq(h[4].old_ep.port, 5005);
	ck_assert_uint_eq(h[5].old_ep.port, 6000);
	ck_assert_uint_eq(h[7].old_ep.port, 6002);
	ck_assert_uint_eq(nw.ka_count, 3);
	ck_assert_uint_eq(nw.ka_first_ms, 80000);
	ck_assert_uint_eq(nw.ka_last_ms, 210000);
	ck_assert(nw.warned_none);
	ck_assert_uint_eq(nw.established_ms, 1000);
	/* The first contact's legs (its 500 leg) replace the rekey's. */
	ck_assert_uint_eq(nw.ep500.port, 500);
	ck_assert_uint_eq(nw.ep4500.port, 4500);
	/* Adding keeps the ring consistent. */
	{
		struct sockaddr_storage o = ep4("203.0.113.7", 7000), n = ep4("203.0.113.7", 7001);

		natt_diag_remap(&nw, 300000, (struct sockaddr *)&o, (struct sockaddr *)&n, false);
	}
	natt_diag_history(&nw, h, NATT_DIAG_HISTORY);
	ck_assert_uint_eq(h[0].old_ep.port, 5002);
	ck_assert_uint_eq(h[7].old_ep.port, 7000);
	natt_diag_free(&old);
	natt_diag_free(&nw);
}
END_TEST

/* The history is allocated on the first mapping change only (most peers
 * never move), carried only when there is one, copied into the caller's
 * storage for a snapshot, and freed. */
START_TEST(test_history_lazy)
{
	struct natt_facts f, g, snap;
	struct natt_history store;
	struct sockaddr_storage o = ep4("203.0.113.7", 4500), n = ep4("203.0.113.7", 4600);
	struct natt_remap h[NATT_DIAG_HISTORY];

	natted(&f, "203.0.113.7", 500, "203.0.113.7", 4500);
	natted(&g, "203.0.113.7", 500, "203.0.113.7", 4500);
	natt_diag_keepalive(&f, 21000);
	ck_assert_ptr_null(f.hist);
	ck_assert_uint_eq(natt_diag_history(&f, h, NATT_DIAG_HISTORY), 0);
	ck_assert_uint_eq(natt_diag_binding(&f), 0);
	/* Nothing to carry: the successor allocates nothing either. */
	natt_diag_carry(&g, &f);
	ck_assert_ptr_null(g.hist);
	ck_assert_uint_eq(g.ka_count, 1);
	natt_diag_copy(&snap, &f, &store);
	ck_assert_ptr_null(snap.hist);
	/* The first change allocates it. */
	natt_diag_remap(&f, 86000, (struct sockaddr *)&o, (struct sockaddr *)&n, true);
	ck_assert_ptr_nonnull(f.hist);
	ck_assert_uint_eq(f.hist->n, 1);
	/* A snapshot owns a copy: the original may go. */
	natt_diag_copy(&snap, &f, &store);
	ck_assert_ptr_eq(snap.hist, &store);
	ck_assert_uint_eq(store.v[0].idle_ms, 65000);
	/* Carried to a successor that had none. */
	natt_diag_carry(&g, &f);
	ck_assert_ptr_nonnull(g.hist);
	ck_assert(g.hist != f.hist);
	ck_assert_uint_eq(natt_diag_history(&g, h, NATT_DIAG_HISTORY), 1);
	ck_assert_uint_eq(h[0].new_ep.port, 4600);
	natt_diag_free(&f);
	ck_assert_ptr_null(f.hist);
	ck_assert_uint_eq(natt_diag_history(&snap, h, NATT_DIAG_HISTORY), 1);
	ck_assert_uint_eq(natt_diag_binding(&snap), 65000);
	natt_diag_free(&g);
	natt_diag_free(&g); /* twice is harmless */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("natt_diag");
	TCase *tc = tcase_create("diag");

	tcase_add_test(tc, test_cgn_range);
	tcase_add_test(tc, test_legs_first_only);
	tcase_add_test(tc, test_faked_natd);
	tcase_add_test(tc, test_history_ring);
	tcase_add_test(tc, test_history_lazy);
	tcase_add_test(tc, test_idle_counts_keepalives);
	tcase_add_test(tc, test_audit_no_keepalive);
	tcase_add_test(tc, test_audit_slow_keepalive);
	tcase_add_test(tc, test_rebinds_no_keepalive_text);
	tcase_add_test(tc, test_reboot_not_binding);
	tcase_add_test(tc, test_carry);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
