// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKEv1 fragmentation between two engines: Main and Aggressive Mode with
 * RSA certificates (a leaf under a sub CA, sent along: MM5 is about 2.1 KB,
 * MM6 about 1.2 KB) from a road warrior behind a NAT, through a path with
 * a 1200-byte MTU whose NAT drops IP fragments, so every message above
 * 1172 bytes is lost unless it is sent in IKE fragments.
 *
 *  - fragmentation=yes on both (the default): the first copy of MM5 is
 *    lost, its first retransmission goes out in fragments, the gateway
 *    answers MM6 in fragments at once; the tunnel comes up.
 *  - force: nothing ever leaves in IP fragments.
 *  - fragmentation=no on either side: no fragments, the tunnel fails and
 *    the initiator's log says why.
 *  - accept: the side announces and reassembles but never fragments.
 *  - hostile fragments fed into an engine: for an SA that does not exist,
 *    with fragmentation=no, conflicting fragments; each refused.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "ike/crypto/crypto.h"
#include "ike/wire/isakmp_encode.h"
#include "ike/wire/isakmp_frag.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/engine_pki.h"
#include "tests/lib/sim/nat.h"

#define GW  "192.0.2.1" /* in gw.pem's subjectAltName */
#define RW  "10.1.0.2"
#define NAT "198.51.100.2"
#define MTU 1200 /* a path through a tunnel: below MM5 (~2.1 KB) and MM6 (~1.2 KB) */

struct world {
	struct sim_net *net;
	struct sim_nat *nat;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
	unsigned frags_rw, frags_gw; /* fragment messages each side sent */
	uint64_t biggest_rw, biggest_gw, biggest_frag;
	uint8_t icky[8], rcky[8];
	bool have_icky, have_rcky;
	unsigned vid_rw, vid_gw; /* messages carrying the FRAGMENTATION vendor ID */
};

static void conn_rsa(struct ike_conn_cfg *c, const char *name, const char *local,
		     const char *remote, const char *cert, const char *inter)
{
	conn_psk(c, name, local, remote, "unused");
	pki_conn_rsa(c, cert, inter);
}

/* Count fragment messages on the wire (after the non-ESP marker on 4500),
 * and note the cookies of the first Phase 1 (MM1's CKY-I, MM2's CKY-R). */
static void count_frags(void *ctx, uint64_t index, const struct sim_dgram *d,
			struct sim_fault *fault)
{
	static const uint8_t zero[8];
	struct world *w = ctx;
	size_t at = d->len > 4 && memcmp(d->buf, zero, 4) == 0 ? 4 : 0;
	bool is_msg = d->len >= at + ISAKMP_HDR_LEN;
	bool is_frag = is_msg && d->buf[at + 16] == ISAKMP_NP_FRAG;
	struct sockaddr_storage gw;

	(void)index;
	(void)fault;
	sim_addr4(&gw, GW, 0);
	bool vid = memmem(d->buf, d->len, isakmp_frag_vid, sizeof(isakmp_frag_vid)) != NULL;

	if (is_frag && d->len > w->biggest_frag)
		w->biggest_frag = d->len;
	if (sim_addr_same_host(&d->src, &gw)) {
		w->frags_gw += is_frag;
		w->vid_gw += vid;
		if (d->len > w->biggest_gw)
			w->biggest_gw = d->len;
		if (is_msg && !w->have_rcky) {
			memcpy(w->rcky, d->buf + at + 8, 8);
			w->have_rcky = true;
		}
	} else {
		w->frags_rw += is_frag;
		w->vid_rw += vid;
		if (d->len > w->biggest_rw)
			w->biggest_rw = d->len;
		if (is_msg && !w->have_icky) {
			memcpy(w->icky, d->buf + at, 8);
			w->have_icky = true;
		}
	}
}

/* gw (any peer, gw.pem) <- NAT dropping IP fragments, MTU 1500 <- rw (leaf2 + sub-ca). */
static void world_init(struct world *w, enum ike_frag_mode gw_mode, enum ike_frag_mode rw_mode,
		       bool aggressive)
{
	struct sim_nat_cfg nc;

	memset(w, 0, sizeof(*w));
	conn_rsa(&w->gwc, "gw-rw", GW, NULL, "gw", NULL);
	conn_rsa(&w->rwc, "rw-gw", RW, GW, "leaf2", "sub-ca");
	w->rwc.local_id.type = 2;
	w->rwc.local_id.len = 16;
	memcpy(w->rwc.local_id.data, "road.example.net", 16);
	conn_client_allow(&w->gwc, "10.0.0.0", 8); /* the road warrior's private network */
	w->gwc.fragmentation = gw_mode;
	w->rwc.fragmentation = rw_mode;
	w->gwc.aggressive = w->rwc.aggressive = aggressive;
	w->net = sim_net_new(17, 5);
	sim_net_mtu_set(w->net, MTU, true);
	sim_net_fault_set(w->net, count_frags, w);
	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, NAT, 0);
	nc.mapping = nc.filtering = SIM_NAT_APD;
	nc.seed = 5;
	w->nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(w->nat);
	harness_nat_attach(w->net, w->nat);
}

static void world_start(struct world *w, uint64_t run_ms)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, true, &rcfg);
	pki_conn_drop(&w->gwc);
	pki_conn_drop(&w->rwc);
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, run_ms, 200000);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_nat_free(w->nat);
	sim_net_free(w->net);
}

static void assert_up(struct world *w)
{
	ck_assert_uint_eq(peer_status(&w->rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w->rw, &w->gw), 2);
	ck_assert_uint_eq(w->rw.dropped, 0);
	ck_assert_uint_eq(w->gw.dropped, 0);
}

static void assert_down(struct world *w)
{
	ck_assert_uint_eq(peer_status(&w->rw).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 0);
	ck_assert_uint_ge(w->rw.reasons[IKE_R_TIMEOUT], 1);
}

static struct sim_net_stats stats(const struct world *w)
{
	struct sim_net_stats st;

	sim_net_stats_get(w->net, &st);
	return st;
}

/* The control: without the MTU the same exchange needs no fragments. */
START_TEST(test_no_mtu_no_fragments)
{
	struct world w;

	world_init(&w, IKE_FRAG_YES, IKE_FRAG_YES, false);
	sim_net_mtu_set(w.net, 0, false);
	world_start(&w, 30000);
	assert_up(&w);
	ck_assert_uint_eq(w.frags_rw + w.frags_gw, 0);
	/* ... and the messages are really too big for the path. */
	ck_assert_uint_gt(w.biggest_rw, MTU - 28);
	ck_assert_uint_gt(w.biggest_gw, MTU - 28);
	world_free(&w);
}
END_TEST

START_TEST(test_main_mode_yes)
{
	struct world w;
	struct sim_net_stats st;

	world_init(&w, IKE_FRAG_YES, IKE_FRAG_YES, false);
	world_start(&w, 30000);
	assert_up(&w);
	st = stats(&w);
	/* MM5 went out whole once (lost), then in fragments; MM6 in
	 * fragments at once (the rw had sent fragments). */
	ck_assert_uint_eq(st.dropped_ipfrag, 1);
	ck_assert_uint_ge(w.frags_rw, 3);
	ck_assert_uint_ge(w.frags_gw, 2);
	/* Every fragment fits a 576-byte path (marker included on 4500). */
	ck_assert_uint_le(w.biggest_frag, ISAKMP_FRAG_MSG_DEFAULT + 4);
	ck_assert_uint_ge(w.biggest_frag, ISAKMP_FRAG_MSG_DEFAULT);
	ck_assert(peer_log_has(&w.rw, "resending a "));
	ck_assert_uint_eq(w.vid_rw, 1); /* MM1 */
	ck_assert_uint_eq(w.vid_gw, 1); /* MM2 */
	ck_assert(peer_log_has(&w.gw, "reassembled a "));
	ck_assert(peer_log_has(&w.rw, "reassembled a "));
	world_free(&w);
}
END_TEST

START_TEST(test_main_mode_force)
{
	struct world w;
	struct sim_net_stats st;

	world_init(&w, IKE_FRAG_YES, IKE_FRAG_FORCE, false);
	world_start(&w, 30000);
	assert_up(&w);
	st = stats(&w);
	ck_assert_uint_eq(st.ip_fragmented, 0);
	ck_assert_uint_eq(st.dropped_ipfrag, 0);
	ck_assert_uint_ge(w.frags_rw, 3);
	ck_assert_uint_ge(w.frags_gw, 2);
	world_free(&w);
}
END_TEST

/* fragment_size: the largest datagram, fragments included. */
START_TEST(test_fragment_size)
{
	struct world w;

	world_init(&w, IKE_FRAG_YES, IKE_FRAG_FORCE, false);
	w.rwc.fragment_size = 1000;
	world_start(&w, 30000);
	assert_up(&w);
	/* 1000 - IPv4 20 - UDP 8 = 972 with the marker: MM5 in 3 fragments. */
	ck_assert_uint_le(w.biggest_frag, 1000 - 28);
	ck_assert_uint_gt(w.biggest_frag, ISAKMP_FRAG_MSG_DEFAULT + 4);
	ck_assert_uint_eq(w.frags_rw, 3);
	world_free(&w);
}
END_TEST

START_TEST(test_aggressive_yes)
{
	struct world w;

	world_init(&w, IKE_FRAG_YES, IKE_FRAG_YES, true);
	world_start(&w, 30000);
	assert_up(&w);
	ck_assert_uint_ge(w.frags_gw + w.frags_rw, 2);
	world_free(&w);
}
END_TEST

/* natkeyd (the initiator here) with fragmentation=no: fails, and says why. */
START_TEST(test_main_mode_no_fails)
{
	struct world w;

	world_init(&w, IKE_FRAG_YES, IKE_FRAG_NO, false);
	world_start(&w, 120000);
	assert_down(&w);
	ck_assert_uint_eq(w.frags_rw + w.frags_gw, 0);
	ck_assert_uint_ge(stats(&w).dropped_ipfrag, 2);
	ck_assert(peer_log_has(&w.rw, "gave up in MAIN_I3"));
	ck_assert(peer_log_has(&w.rw, "unanswered after 5 retransmissions"));
	ck_assert(peer_log_has(&w.rw, "fragmentation=no, set fragmentation=yes"));
	/* Not announced by the rw, so not answered by the gw either. */
	ck_assert_uint_eq(w.vid_rw + w.vid_gw, 0);
	world_free(&w);
}
END_TEST

/* The gateway does not announce: the initiator cannot fragment. */
START_TEST(test_peer_no_fails)
{
	struct world w;

	world_init(&w, IKE_FRAG_NO, IKE_FRAG_YES, false);
	world_start(&w, 120000);
	assert_down(&w);
	ck_assert_uint_eq(w.frags_rw + w.frags_gw, 0);
	ck_assert(peer_log_has(&w.rw, "the peer did not announce IKE fragmentation"));
	ck_assert_uint_ge(w.vid_rw, 1);
	ck_assert_uint_eq(w.vid_gw, 0);
	world_free(&w);
}
END_TEST

/* accept: announces and reassembles, never fragments its own messages. */
START_TEST(test_accept_never_sends)
{
	struct world w;

	world_init(&w, IKE_FRAG_YES, IKE_FRAG_ACCEPT, false);
	world_start(&w, 120000);
	assert_down(&w);
	ck_assert_uint_eq(w.frags_rw, 0);
	ck_assert(peer_log_has(&w.rw, "fragmentation=accept, set fragmentation=yes"));
	world_free(&w);
}
END_TEST

/* The gw accepts (announces, reassembles MM5) and the rw fragments. */
START_TEST(test_accept_receives)
{
	struct world w;

	world_init(&w, IKE_FRAG_ACCEPT, IKE_FRAG_FORCE, false);
	/* MM6 (the gw's, ~1.2 KB) must fit the path whole: only MM5 needs fragments. */
	sim_net_mtu_set(w.net, 1500, true);
	world_start(&w, 30000);
	assert_up(&w);
	ck_assert_uint_eq(w.frags_gw, 0);
	ck_assert_uint_ge(w.frags_rw, 3);
	world_free(&w);
}
END_TEST

/* ---- hostile fragments fed straight into one engine ---- */

static void feed(struct peer *p, const char *from, const uint8_t *buf, size_t len)
{
	struct ike_event ev = { .type = IKE_EV_DGRAM };

	sim_addr4(&ev.u.dgram.local, GW, 500);
	sim_addr4(&ev.u.dgram.remote, from, 500);
	ev.u.dgram.buf = buf;
	ev.u.dgram.len = len;
	peer_event(p, &ev);
}

/* A fragment message with these cookies. */
static size_t frag_msg(uint8_t *out, const uint8_t *icky, const uint8_t *rcky, uint16_t id,
		       uint8_t number, uint8_t flags, const void *data, size_t len)
{
	struct isakmp_enc e;
	struct isakmp_hdr h;

	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, icky, 8);
	memcpy(h.rcookie, rcky, 8);
	h.exchange = ISAKMP_XCHG_IDPROT;
	isakmp_enc_init(&e, out, 2048);
	isakmp_enc_hdr(&e, &h);
	isakmp_enc_frag(&e, id, number, flags, data, len);
	return (size_t)isakmp_enc_finish(&e);
}

START_TEST(test_unknown_sa_refused)
{
	struct world w;
	uint8_t m[2048], data[100];
	static const uint8_t icky[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, zero[8];

	world_init(&w, IKE_FRAG_YES, IKE_FRAG_YES, false);
	world_start(&w, 0); /* engines exist; MM1 in flight, not delivered */
	memset(data, 0xaa, sizeof(data));
	feed(&w.gw, "203.0.113.9", m, frag_msg(m, icky, zero, 1, 1, 0, data, sizeof(data)));
	ck_assert(peer_log_has(&w.gw, "for unknown cookies"));
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 0);
	/* Malformed: number 0, number 17, E flag. */
	feed(&w.gw, "203.0.113.9", m, frag_msg(m, icky, zero, 1, 0, 0, data, sizeof(data)));
	feed(&w.gw, "203.0.113.9", m, frag_msg(m, icky, zero, 1, 17, 0, data, sizeof(data)));
	ck_assert_uint_ge(w.gw.reasons[IKE_R_MALFORMED], 2);
	world_free(&w);
}
END_TEST

/* Fragments with the cookies of the gw's half-open SA, from the NAT. */
static void feed_sa(struct world *w, uint16_t id, uint8_t number, uint8_t flags, uint8_t fill,
		    size_t len)
{
	uint8_t m[2048], data[1024];

	ck_assert(w->have_icky && w->have_rcky);
	ck_assert_uint_le(len, sizeof(data));
	memset(data, fill, len);
	feed(&w->gw, NAT, m, frag_msg(m, w->icky, w->rcky, id, number, flags, data, len));
}

/* Each malformed or inconsistent set is refused and forgotten; the real
 * exchange, whose fragments come later, still completes. */
START_TEST(test_conflicting_fragments)
{
	struct world w;
	unsigned base;

	world_init(&w, IKE_FRAG_YES, IKE_FRAG_YES, false);
	world_start(&w, 7); /* MM1 delivered at 5 ms: the gw has a half-open SA */
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 1);
	base = w.gw.reasons[IKE_R_MALFORMED];

	/* The same number with other contents ("overlapping"). */
	feed_sa(&w, 7, 1, 0, 0xaa, 100);
	feed_sa(&w, 7, 1, 0, 0xaa, 100); /* a true duplicate: ignored */
	ck_assert_uint_eq(w.gw.reasons[IKE_R_MALFORMED], base);
	ck_assert(peer_log_has(&w.gw, "duplicate fragment 1"));
	feed_sa(&w, 7, 1, 0, 0xbb, 100);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_MALFORMED], base + 1);
	ck_assert(peer_log_has(&w.gw, "the same fragment number with other contents"));

	/* A fragment above the one flagged last. */
	feed_sa(&w, 8, 3, ISAKMP_FRAG_LAST, 0xaa, 100);
	feed_sa(&w, 8, 4, 0, 0xaa, 100);
	ck_assert(peer_log_has(&w.gw, "a fragment numbered above the one flagged last"));

	/* LAST below a fragment already held. */
	feed_sa(&w, 9, 3, 0, 0xaa, 100);
	feed_sa(&w, 9, 2, ISAKMP_FRAG_LAST, 0xaa, 100);
	ck_assert(peer_log_has(&w.gw, "last flag below a fragment already received"));

	/* Two fragments flagged last. */
	feed_sa(&w, 10, 2, ISAKMP_FRAG_LAST, 0xaa, 100);
	feed_sa(&w, 10, 1, ISAKMP_FRAG_LAST, 0xaa, 100);
	ck_assert(peer_log_has(&w.gw, "two fragments flagged last"));

	/* More bytes than a whole message may have (14 x 600 > 8192). */
	for (uint8_t n = 1; n <= 14; n++)
		feed_sa(&w, 11, n, 0, 0xaa, 600);
	ck_assert(peer_log_has(&w.gw, "reassembled message too large"));

	/* Complete, but not a message of this SA. */
	feed_sa(&w, 12, 1, 0, 0xaa, 100);
	feed_sa(&w, 12, 2, ISAKMP_FRAG_LAST, 0xaa, 100);
	ck_assert(peer_log_has(&w.gw, "not a message of this SA"));
	ck_assert_uint_eq(w.gw.reasons[IKE_R_MALFORMED], base + 6);

	/* From another address than the peer's: not even stored. */
	{
		uint8_t m[2048], data[100];

		memset(data, 0xcc, sizeof(data));
		feed(&w.gw, "203.0.113.66", m,
		     frag_msg(m, w.icky, w.rcky, 14, 1, ISAKMP_FRAG_LAST, data, sizeof(data)));
		ck_assert(peer_log_has(&w.gw, "from another address than the peer's"));
	}

	/* A partial message left behind does not block the real one. */
	feed_sa(&w, 13, 1, 0, 0xaa, 100);
	sim_net_run(w.net, 30000, 200000);
	assert_up(&w);
	world_free(&w);
}
END_TEST

/* fragmentation=no: fragments are not even reassembled. */
START_TEST(test_no_refuses_fragments)
{
	struct world w;

	world_init(&w, IKE_FRAG_NO, IKE_FRAG_YES, false);
	world_start(&w, 7);
	feed_sa(&w, 1, 1, ISAKMP_FRAG_LAST, 0xaa, 100);
	ck_assert(peer_log_has(&w.gw, "fragmentation=no"));
	world_free(&w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_frag");
	TCase *tc = tcase_create("frag");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_no_mtu_no_fragments);
	tcase_add_test(tc, test_main_mode_yes);
	tcase_add_test(tc, test_main_mode_force);
	tcase_add_test(tc, test_fragment_size);
	tcase_add_test(tc, test_aggressive_yes);
	tcase_add_test(tc, test_main_mode_no_fails);
	tcase_add_test(tc, test_peer_no_fails);
	tcase_add_test(tc, test_accept_never_sends);
	tcase_add_test(tc, test_accept_receives);
	tcase_add_test(tc, test_unknown_sa_refused);
	tcase_add_test(tc, test_conflicting_fragments);
	tcase_add_test(tc, test_no_refuses_fragments);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
