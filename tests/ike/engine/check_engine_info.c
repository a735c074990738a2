// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Informational exchanges between two engines: Delete (honoured only under a
 * valid HASH(1)), rate-limited error notifies, INITIAL-CONTACT on first
 * contact and on a peer's reboot.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "ike/wire/isakmp_encode.h"
#include "tests/lib/engine_harness.h"

#define GW "198.51.100.1"
#define RW "203.0.113.5"

struct world {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
};

static void world_up(struct world *w)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	conn_psk(&w->gwc, "gw-rw", GW, RW, "sesame");
	conn_psk(&w->rwc, "rw-gw", RW, GW, "sesame");
	w->net = sim_net_new(11, 5);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w->rw).ipsec_sas, 1);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_net_free(w->net);
}

static bool deleted_spi(const struct peer *p, uint32_t spi)
{
	for (unsigned i = 0; i < p->n_sa_delete && i < PEER_SA_MAX; i++)
		if (p->sa_delete[i].spi == spi)
			return true;
	return false;
}

START_TEST(test_first_contact)
{
	struct world w;

	world_up(&w);
	/* MM5 carried INITIAL-CONTACT; the gw had nothing to remove. */
	ck_assert(peer_log_has(&w.gw, "INITIAL-CONTACT: removed 0 IKE SA(s) and 0 IPsec"));
	ck_assert_uint_eq(w.gw.reasons[IKE_R_INITIAL_CONTACT], 1);
	world_free(&w);
}
END_TEST

START_TEST(test_terminate_sends_delete)
{
	struct world w;
	struct ike_event ev = { .type = IKE_EV_TERMINATE };
	uint32_t rw_in, gw_in;

	world_up(&w);
	rw_in = w.rw.sa[w.rw.sa_inbound[0] ? 0 : 1].spi;
	gw_in = w.gw.sa[w.gw.sa_inbound[0] ? 0 : 1].spi;
	ev.u.conn = 0;
	peer_event(&w.rw, &ev);
	sim_net_run(w.net, 10000, 100000);
	/* The rw removed its own SAs and policies... */
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 0);
	ck_assert(deleted_spi(&w.rw, rw_in));
	ck_assert_uint_eq(w.rw.n_policy_delete, 3);
	/* ...and the gw honoured both protected Deletes. */
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 0);
	ck_assert(deleted_spi(&w.gw, gw_in));
	ck_assert(deleted_spi(&w.gw, rw_in));
	ck_assert_uint_ge(w.gw.reasons[IKE_R_PEER_DELETE], 2);
	world_free(&w);
}
END_TEST

/* Flip one bit inside the HASH(1) of every protected Informational the rw
 * sends: with CBC the damage stays inside the HASH payload, so the message
 * still decrypts and parses, and only HASH(1) fails. */
static void tamper_info(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	struct sim_dgram *m = (struct sim_dgram *)d;

	(void)ctx;
	(void)index;
	(void)f;
	if (d->len > 64 && d->buf[18] == 5 && (d->buf[19] & 1))
		m->buf[28 + 16] ^= 0x01;
}

START_TEST(test_delete_needs_valid_hash)
{
	struct world w;
	struct ike_event ev = { .type = IKE_EV_TERMINATE };

	world_up(&w);
	sim_net_fault_set(w.net, tamper_info, NULL);
	ev.u.conn = 0;
	peer_event(&w.rw, &ev);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);
	/* The gw ignored both Deletes: its SAs are still there. */
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_PEER_DELETE], 0);
	ck_assert(peer_log_has(&w.gw, "HASH(1) does not verify"));
	world_free(&w);
}
END_TEST

/* The rw reboots (loses all state) and comes back: its INITIAL-CONTACT makes
 * the gw drop the SAs of the old incarnation, matched by identity. */
START_TEST(test_initial_contact_after_reboot)
{
	struct world w;
	struct ike_engine_cfg rcfg;
	uint32_t old_gw_in;

	world_up(&w);
	old_gw_in = w.gw.sa[w.gw.sa_inbound[0] ? 0 : 1].spi;
	peer_free(&w.rw);
	rcfg = (struct ike_engine_cfg){ .conns = &w.rwc, .n_conns = 1 };
	ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw), 0);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 20000, 100000);
	ck_assert(peer_log_has(&w.gw, "INITIAL-CONTACT: removed 1 IKE SA(s) and 1 IPsec"));
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert(deleted_spi(&w.gw, old_gw_in));
	world_free(&w);
}
END_TEST

static unsigned log_count(const struct peer *p, const char *needle)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->n_log; i++)
		n += strstr(p->log[i], needle) != NULL;
	return n;
}

/* Short lifetimes for 200 s: the initiator rekeys Phase 1 before it expires
 * (never without an established IKE SA, never an INITIAL-CONTACT again, no
 * Quick Mode for a Phase 1 rekey) and Phase 2 before it expires (old pair
 * deleted only once the new one is installed, keys agree). */
START_TEST(test_rekeys)
{
	struct sim_net *net = sim_net_new(5, 5);
	struct ike_conn_cfg gwc, rwc;
	struct ike_engine_cfg gcfg = { .conns = &gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &rwc, .n_conns = 1 };
	struct peer gw, rw;
	uint32_t first_out;
	unsigned ipsec_rekeys;

	conn_psk(&gwc, "gw-rw", GW, RW, "k");
	conn_psk(&rwc, "rw-gw", RW, GW, "k");
	gwc.ike_lifetime_s = rwc.ike_lifetime_s = 60;
	gwc.ipsec_lifetime_s = rwc.ipsec_lifetime_s = 120;
	rwc.rekey_margin_s = 30;
	rwc.rekey_fuzz_pct = 50; /* IPsec: rekey 30..45 s before the end */
	peer_init(&gw, "gw", net, GW, false, &gcfg);
	peer_init(&rw, "rw", net, RW, false, &rcfg);
	peer_initiate(&rw, 0);
	sim_net_run(net, 1000, 100000);
	ck_assert_uint_eq(peer_status(&rw).ipsec_sas, 1);
	first_out = rw.sa[rw.sa_inbound[0] ? 1 : 0].spi;
	for (uint64_t t = 2000; t <= 200000; t += 1000) {
		sim_net_run(net, t, 100000);
		ck_assert_uint_ge(peer_status(&rw).ike_established, 1);
		ck_assert_uint_ge(peer_status(&gw).ike_established, 1);
		ck_assert_uint_ge(peer_status(&rw).ipsec_sas, 1);
		ck_assert_uint_ge(peer_status(&gw).ipsec_sas, 1);
	}
	/* Phase 1 (60 s, margin capped at 15 s) rekeyed every 38..45 s. */
	ck_assert_uint_ge(log_count(&rw, "rekeying the IKE SA"), 4);
	ck_assert_uint_le(log_count(&rw, "rekeying the IKE SA"), 5);
	ck_assert_uint_ge(gw.reasons[IKE_R_IKE_ESTABLISHED], 5);
	ck_assert_uint_eq(gw.reasons[IKE_R_INITIAL_CONTACT], 1);
	/* Phase 2 rekeyed before each expiry; no Quick Mode for Phase 1 rekeys. */
	ipsec_rekeys = log_count(&rw, "rekeying IPsec SA");
	ck_assert_uint_ge(ipsec_rekeys, 2);
	ck_assert_uint_eq(rw.reasons[IKE_R_IPSEC_ESTABLISHED], 1 + ipsec_rekeys);
	ck_assert_uint_eq(gw.reasons[IKE_R_IPSEC_ESTABLISHED], 1 + ipsec_rekeys);
	ck_assert_uint_eq(rw.reasons[IKE_R_EXPIRED] + gw.reasons[IKE_R_EXPIRED] > 0, 1);
	ck_assert_uint_eq(peer_status(&rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&gw).ipsec_sas, 1);
	ck_assert(deleted_spi(&gw, first_out));
	ck_assert_int_eq(keys_match(&rw, &gw), (int)(2 * (1 + ipsec_rekeys)));
	peer_free(&gw);
	peer_free(&rw);
	sim_net_free(net);
}
END_TEST

/* 50 copies of an MM1 from a peer without a connection: a handful of
 * NO-PROPOSAL-CHOSEN notifies, not 50. */
static void copy_first(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	(void)ctx;
	(void)d;
	if (index == 0)
		f->copies = 49;
}

START_TEST(test_notify_rate_limit)
{
	struct sim_net *net = sim_net_new(3, 5);
	struct ike_conn_cfg gwc, rwc;
	struct ike_engine_cfg gcfg = { .conns = &gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &rwc, .n_conns = 1 };
	struct peer gw, rw;

	conn_psk(&gwc, "gw-other", GW, "192.0.2.99", "k");
	conn_psk(&rwc, "rw-gw", RW, GW, "k");
	peer_init(&gw, "gw", net, GW, false, &gcfg);
	peer_init(&rw, "rw", net, RW, false, &rcfg);
	sim_net_fault_set(net, copy_first, NULL);
	peer_initiate(&rw, 0);
	sim_net_run(net, 300, 100000);
	ck_assert_uint_eq(gw.reasons[IKE_R_NO_CONN], 50);
	ck_assert_uint_eq(gw.sent, 5);
	ck_assert_uint_eq(peer_status(&gw).ike_sas, 0);
	peer_free(&gw);
	peer_free(&rw);
	sim_net_free(net);
}
END_TEST

/* Both sides idle with DPD on: R-U-THERE every 10 s, always acknowledged. */
START_TEST(test_dpd_alive)
{
	struct world w;

	world_up(&w);
	peer_free(&w.gw);
	peer_free(&w.rw);
	sim_net_free(w.net);
	{
		struct ike_engine_cfg gcfg = { .conns = &w.gwc, .n_conns = 1 };
		struct ike_engine_cfg rcfg = { .conns = &w.rwc, .n_conns = 1 };

		w.rwc.dpd_delay_s = 10;
		w.rwc.dpd_timeout_s = 30;
		w.net = sim_net_new(12, 5);
		peer_init(&w.gw, "gw", w.net, GW, false, &gcfg);
		peer_init(&w.rw, "rw", w.net, RW, false, &rcfg);
	}
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	{
		unsigned before = w.rw.sent, gw_before = w.gw.sent;

		sim_net_run(w.net, 105000, 100000);
		/* Ten R-U-THEREs and ten ACKs in 100 s. */
		ck_assert_uint_eq(w.rw.sent - before, 10);
		ck_assert_uint_eq(w.gw.sent - gw_before, 10);
	}
	ck_assert_uint_eq(w.rw.reasons[IKE_R_DPD_DEAD], 0);
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 1);
	world_free(&w);
}
END_TEST

static void drop_from(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	(void)d;
	f->drop = index >= *(const uint64_t *)ctx;
}

/* The gw vanishes: three unanswered R-U-THEREs, then the rw deletes the IKE
 * SA and its IPsec SA (kernel deletes for both SPIs). */
START_TEST(test_dpd_dead)
{
	struct world w;
	uint64_t from;
	struct ike_engine_cfg gcfg, rcfg;

	memset(&w, 0, sizeof(w));
	conn_psk(&w.gwc, "gw-rw", GW, RW, "sesame");
	conn_psk(&w.rwc, "rw-gw", RW, GW, "sesame");
	w.rwc.dpd_delay_s = 10;
	w.rwc.dpd_timeout_s = 30;
	gcfg = (struct ike_engine_cfg){ .conns = &w.gwc, .n_conns = 1 };
	rcfg = (struct ike_engine_cfg){ .conns = &w.rwc, .n_conns = 1 };
	w.net = sim_net_new(13, 5);
	peer_init(&w.gw, "gw", w.net, GW, false, &gcfg);
	peer_init(&w.rw, "rw", w.net, RW, false, &rcfg);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	from = w.rw.sent + w.gw.sent;
	sim_net_fault_set(w.net, drop_from, &from);
	sim_net_run(w.net, 35000, 100000);
	ck_assert_uint_eq(w.rw.reasons[IKE_R_DPD_DEAD], 0);
	sim_net_run(w.net, 60000, 100000);
	ck_assert_uint_eq(w.rw.reasons[IKE_R_DPD_DEAD], 1);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 0);
	ck_assert_uint_eq(w.rw.n_sa_delete, 2);
	world_free(&w);
}
END_TEST

/* Remember the cookies of the negotiation (from MM2, gw -> rw). */
static uint8_t seen_cookies[16];

static void grab_cookies(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	(void)ctx;
	(void)f;
	if (index == 1 && d->len >= 16)
		memcpy(seen_cookies, d->buf, 16);
}

/* A Delete for the IKE SA in a clear Informational, with the right cookies
 * and from the rw's address: ignored (2409-5.7, only protected ones count). */
START_TEST(test_clear_delete_ignored)
{
	struct world w;
	static struct sim_dgram d;
	struct isakmp_enc e;
	struct isakmp_hdr h;
	uint8_t body[128];
	ssize_t n;

	memset(&w, 0, sizeof(w));
	conn_psk(&w.gwc, "gw-rw", GW, RW, "sesame");
	conn_psk(&w.rwc, "rw-gw", RW, GW, "sesame");
	w.net = sim_net_new(17, 5);
	{
		struct ike_engine_cfg gcfg = { .conns = &w.gwc, .n_conns = 1 };
		struct ike_engine_cfg rcfg = { .conns = &w.rwc, .n_conns = 1 };

		peer_init(&w.gw, "gw", w.net, GW, false, &gcfg);
		peer_init(&w.rw, "rw", w.net, RW, false, &rcfg);
	}
	sim_net_fault_set(w.net, grab_cookies, NULL);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 1);

	/* The forgery, built with the codec. */
	isakmp_enc_init(&e, body, sizeof(body));
	isakmp_enc_delete(&e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, 16, seen_cookies, 1);
	n = isakmp_enc_finish(&e);
	ck_assert_int_gt(n, 0);
	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, seen_cookies, 8);
	memcpy(h.rcookie, seen_cookies + 8, 8);
	h.np = isakmp_enc_first_np(&e);
	h.version = ISAKMP_VERSION;
	h.exchange = ISAKMP_XCHG_INFO;
	h.msgid = 0x11223344;
	h.length = (uint32_t)(ISAKMP_HDR_LEN + (size_t)n);
	ck_assert_int_eq(isakmp_hdr_encode(d.buf, sizeof(d.buf), &h), ISAKMP_HDR_LEN);
	memcpy(d.buf + ISAKMP_HDR_LEN, body, (size_t)n);
	d.len = ISAKMP_HDR_LEN + (size_t)n;
	sim_addr4(&d.src, RW, 500);
	sim_addr4(&d.dst, GW, 500);
	sim_net_send(w.net, &d);
	sim_net_run(w.net, 6000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_PEER_DELETE], 0);
	world_free(&w);
}
END_TEST

/* 40 road warriors whose IKE SAs on the gw all expire in the same
 * millisecond: more work than one action buffer holds. The engine does
 * what fits, asks to be called again at once, and loses nothing. */
START_TEST(test_mass_expiry)
{
	enum {
		N = 40
	};
	struct sim_net *net = sim_net_new(19, 5);
	struct ike_conn_cfg gwc, *rwc = calloc(N, sizeof(*rwc));
	struct peer gw, *rw = calloc(N, sizeof(*rw));
	struct ike_engine_cfg gcfg = { .conns = &gwc, .n_conns = 1 };

	ck_assert(rwc && rw);
	conn_psk(&gwc, "gw-any", GW, NULL, "shared");
	gwc.ike_lifetime_s = 60;
	peer_init(&gw, "gw", net, GW, false, &gcfg);
	for (int i = 0; i < N; i++) {
		struct ike_engine_cfg rcfg = { .conns = &rwc[i], .n_conns = 1 };
		char addr[32];

		snprintf(addr, sizeof(addr), "203.0.113.%d", 10 + i);
		conn_psk(&rwc[i], "rw", addr, GW, "shared");
		rwc[i].ike_lifetime_s = 60;
		rwc[i].local_id.type = 2;
		rwc[i].local_id.len =
			(uint8_t)snprintf((char *)rwc[i].local_id.data,
					  sizeof(rwc[i].local_id.data), "rw%d.example", i);
		peer_init(&rw[i], "rw", net, addr, false, &rcfg);
		rw[i].next_spi = 0xd0000100u + 0x100u * (uint32_t)i;
	}
	for (int i = 0; i < N; i++)
		peer_initiate(&rw[i], 0);
	sim_net_run(net, 5000, 1000000);
	ck_assert_uint_eq(peer_status(&gw).ike_established, N);
	ck_assert_uint_eq(peer_status(&gw).ipsec_sas, N);
	sim_net_run(net, 70000, 1000000);
	ck_assert_uint_eq(gw.dropped, 0);
	ck_assert_uint_ge(gw.reasons[IKE_R_EXPIRED], N);
	for (int i = 0; i < N; i++) {
		ck_assert_uint_eq(rw[i].dropped, 0);
		/* Each rw rekeyed in time and heard about the old SA's end. */
		ck_assert_uint_ge(rw[i].reasons[IKE_R_PEER_DELETE] + rw[i].reasons[IKE_R_EXPIRED],
				  1);
		ck_assert_uint_ge(peer_status(&rw[i]).ike_established, 1);
		peer_free(&rw[i]);
	}
	ck_assert_uint_eq(peer_status(&gw).ipsec_sas, N);
	peer_free(&gw);
	sim_net_free(net);
	free(rw);
	free(rwc);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_info");
	TCase *tc = tcase_create("info");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_first_contact);
	tcase_add_test(tc, test_terminate_sends_delete);
	tcase_add_test(tc, test_delete_needs_valid_hash);
	tcase_add_test(tc, test_initial_contact_after_reboot);
	tcase_add_test(tc, test_rekeys);
	tcase_add_test(tc, test_notify_rate_limit);
	tcase_add_test(tc, test_dpd_alive);
	tcase_add_test(tc, test_dpd_dead);
	tcase_add_test(tc, test_clear_delete_ignored);
	tcase_add_test(tc, test_mass_expiry);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
