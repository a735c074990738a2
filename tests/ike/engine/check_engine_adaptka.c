// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Adaptive NAT-keepalive through the simulator (ike/v1/ikev1_adaptka.c):
 * a natkeyd road warrior behind a simulated NAT with a binding lifetime
 * (tests/lib/sim/nat.c timeout_ms) and a natkeyd gateway. Keepalives per
 * hour, fixed 20 s vs nat_keepalive=auto with the lifetime the gateway
 * observed and told; the tunnel's way back still open after long idle; the
 * NATKEYD-BINDING-LIFETIME notify only between natkeyd ends and bounded;
 * refresh after idle moves the gateway to the new mapping before its
 * traffic comes.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "ike/engine_int.h"
#include "ike/v1/ikev1_adaptka.h"
#include "ike/v1/ikev1_exchanges.h"
#include "natt/adaptka.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/sim/nat.h"

#define GW  "198.51.100.1"
#define NAT "203.0.113.7"
#define RW  "10.0.0.2"

struct world {
	struct sim_net *net;
	struct sim_nat *nat;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
	uint32_t nat_timeout_ms;
	/* Fault hook: replace the natkeyd VID in Phase 1 messages from one side
	 * (the other end then sees an implementation that is not natkeyd). */
	bool strip_rw_vid, strip_gw_vid;
	unsigned stripped;
};

static void set_fqdn(struct ike_id *id, const char *name)
{
	id->type = 2;
	id->len = (uint8_t)strlen(name);
	memcpy(id->data, name, id->len);
}

static void world_cfg(struct world *w, uint32_t nat_timeout_ms)
{
	memset(w, 0, sizeof(*w));
	w->nat_timeout_ms = nat_timeout_ms;
	conn_psk(&w->gwc, "gw-any", GW, NULL, "group secret");
	conn_client_allow(&w->gwc, "10.0.0.0", 8);
	w->gwc.client_hosts_only = true;
	conn_psk(&w->rwc, "rw-gw", RW, GW, "group secret");
	set_fqdn(&w->rwc.local_id, "rw1.example");
	/* No rekey within the hour measured: only keepalives are counted. */
	w->gwc.ipsec_lifetime_s = w->rwc.ipsec_lifetime_s = 4 * 3600;
	w->gwc.ike_lifetime_s = w->rwc.ike_lifetime_s = 8 * 3600;
	w->rwc.keepalive_s = 20;
}

static void strip_hook(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	struct world *w = ctx;
	size_t klen;
	const uint8_t *vid = natkeyd_vid(&klen);
	struct sockaddr_storage rw, gw;
	bool from_rw, from_gw;

	(void)index;
	(void)f;
	sim_addr4(&rw, RW, 0);
	sim_addr4(&gw, GW, 0);
	from_rw = sim_addr_same_host(&d->src, &rw);
	from_gw = sim_addr_same_host(&d->src, &gw);
	if (!(from_rw && w->strip_rw_vid) && !(from_gw && w->strip_gw_vid))
		return;
	/* Main Mode 1/2 are in clear text; their VIDs are not authenticated
	 * (RFC 3947 s8), which is what an on-path change of one looks like
	 * too. The hook sees the datagram the network carries. */
	for (size_t i = 0; i + klen <= d->len; i++)
		if (!memcmp(d->buf + i, vid, klen)) {
			((struct sim_dgram *)d)->buf[i] ^= 0xff;
			w->stripped++;
		}
}

static void world_start(struct world *w)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };
	struct sim_nat_cfg nc;

	w->net = sim_net_new(23, 10);
	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, NAT, 0);
	nc.mapping = nc.filtering = SIM_NAT_APD;
	nc.timeout_ms = w->nat_timeout_ms;
	nc.seed = 5;
	w->nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(w->nat);
	harness_nat_attach(w->net, w->nat);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, true, &rcfg);
	sim_net_fault_set(w->net, strip_hook, w);
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w->rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 1);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_nat_free(w->nat);
	sim_net_free(w->net);
}

/* The established IKE SA of @p (one peer in these tests). */
static struct ike_sa *ike_of(struct peer *p)
{
	for (struct ike_sa *sa = p->eng->sas; sa; sa = sa->next)
		if (ikev1_state_info(sa->x.state)->established)
			return sa;
	ck_abort_msg("%s: no established IKE SA", p->name);
	return NULL;
}

static void run_for(struct world *w, uint64_t ms)
{
	sim_net_run(w->net, sim_net_now(w->net) + ms, 10000000);
}

/* The gateway's observation (what the NAT facts code will report). */
static void observed(struct world *w, uint32_t ms)
{
	struct ike_actions *out = malloc(sizeof(*out));

	ck_assert_ptr_nonnull(out);
	ike_actions_init(out);
	ike_peer_binding_lifetime_observed(w->gw.eng, ike_of(&w->gw), ms, sim_net_now(w->net), out);
	peer_process(&w->gw, out);
	ike_actions_wipe(out);
	free(out);
}

/* A NATKEYD-BINDING-LIFETIME with any content, sent by the gateway as if
 * it were hostile or broken. */
static void gw_notify_raw(struct world *w, const void *data, size_t len)
{
	struct ike_actions *out = malloc(sizeof(*out));

	ck_assert_ptr_nonnull(out);
	ike_actions_init(out);
	ck_assert_int_eq(info_send_notify(w->gw.eng, ike_of(&w->gw), NATKEYD_N_BINDING_LIFETIME,
					  data, len, sim_net_now(w->net), out),
			 0);
	peer_process(&w->gw, out);
	ike_actions_wipe(out);
	free(out);
	run_for(w, 1000);
}

static void gw_notify_ms(struct world *w, uint32_t ms)
{
	uint32_t n = htonl(ms);

	gw_notify_raw(w, &n, sizeof(n));
}

/* ESP from the gateway to where it believes the road warrior is (its IKE
 * SA's endpoint, which its SAs follow): does it get through the NAT to
 * the road warrior? */
static bool way_back_open(struct world *w)
{
	const struct ike_sa *sa = ike_of(&w->gw);
	struct sim_dgram d;
	struct sockaddr_storage rw;

	memset(&d, 0, sizeof(d));
	sim_addr4(&d.src, GW, 4500);
	memcpy(&d.dst, &sa->remote, sizeof(sa->remote.in));
	d.len = 64;
	sim_addr4(&rw, RW, 4500);
	if (sim_nat_inbound(w->nat, &d, sim_net_now(w->net)) != SIM_PASS)
		return false;
	return sim_addr_same_host(&d.dst, &rw) && sim_addr_port(&d.dst) == 4500;
}

START_TEST(test_vid)
{
	struct world w;
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	size_t klen;
	const uint8_t *vid = natkeyd_vid(&klen);
	static const char text[] = "natkeyd NAT-T diagnostics 1";

	ck_assert(EVP_Digest(text, strlen(text), md, &mdlen, EVP_md5(), NULL));
	ck_assert_uint_eq(klen, 16);
	ck_assert_uint_eq(mdlen, 16);
	ck_assert_mem_eq(vid, md, 16);
	/* Both natkeyd ends announce and recognise it. */
	world_cfg(&w, 0);
	world_start(&w);
	ck_assert(ike_of(&w.gw)->peer_natkeyd);
	ck_assert(ike_of(&w.rw)->peer_natkeyd);
	ck_assert_uint_eq(w.stripped, 0);
	world_free(&w);
}
END_TEST

/*
 * One idle hour behind a NAT with a 120 s binding lifetime: keepalives of
 * the road warrior, with @auto_ka and the gateway's observation told, or
 * the fixed 20 s. The tunnel's way back is open at the end and the
 * mapping never changed.
 */
static unsigned hour_120s(bool auto_ka)
{
	struct world w;
	unsigned before, n;

	world_cfg(&w, 120000);
	w.rwc.keepalive_auto = auto_ka;
	world_start(&w);
	if (auto_ka) {
		observed(&w, 120000);
		run_for(&w, 1000);
		ck_assert_uint_eq(ike_of(&w.gw)->bl_src, NATT_LT_OBSERVED);
		ck_assert_uint_eq(ike_of(&w.rw)->bl_src, NATT_LT_PEER);
		ck_assert_uint_eq(ike_of(&w.rw)->bl_ms, 120000);
		ck_assert(peer_log_has(&w.gw, "told the peer its NAT binding lifetime (120 s)"));
	}
	before = w.rw.keepalives;
	run_for(&w, 3600000);
	n = w.rw.keepalives - before;
	ck_assert_uint_eq(w.gw.keepalives, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 1);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_MAPPING_CHANGED], 0);
	ck_assert(way_back_open(&w));
	world_free(&w);
	return n;
}

START_TEST(test_hour_fixed_vs_auto)
{
	unsigned fixed = hour_120s(false);
	unsigned adapt = hour_120s(true);

	printf("engine_adaptka: NAT binding lifetime 120 s, 1 h idle after the tunnel came up: "
	       "fixed 20 s %u keepalives/h, auto %u keepalives/h\n",
	       fixed, adapt);
	ck_assert_uint_ge(fixed, 178);
	ck_assert_uint_le(fixed, 181);
	ck_assert_uint_ge(adapt, 58);
	ck_assert_uint_le(adapt, 61);
	ck_assert_uint_lt(adapt, fixed);
}
END_TEST

/* auto without any lifetime known: RFC 3948's 20 s. */
START_TEST(test_auto_unknown_is_20s)
{
	struct world w;
	unsigned before;

	world_cfg(&w, 0);
	w.rwc.keepalive_auto = true;
	world_start(&w);
	ck_assert_uint_eq(ike_of(&w.rw)->bl_src, NATT_LT_NONE);
	ck_assert(peer_log_has(&w.rw, "nat_keepalive=auto: NAT binding lifetime 0 s (unknown), "
				      "keepalive every 20 s"));
	before = w.rw.keepalives;
	run_for(&w, 200000);
	ck_assert_uint_ge(w.rw.keepalives - before, 9);
	ck_assert_uint_le(w.rw.keepalives - before, 10);
	world_free(&w);
}
END_TEST

/* A 60 s NAT: auto (told 60 s) keeps the tunnel through 10 minutes idle;
 * a fixed 70 s interval, longer than the lifetime, does not (the check can
 * fail). Loop: 0 auto, 1 fixed 70 s. */
START_TEST(test_60s_nat)
{
	struct world w;
	unsigned before;

	world_cfg(&w, 60000);
	if (_i == 0)
		w.rwc.keepalive_auto = true;
	else
		w.rwc.keepalive_s = 70;
	world_start(&w);
	if (_i == 0) {
		observed(&w, 60000);
		run_for(&w, 1000);
		ck_assert_uint_eq(ike_of(&w.rw)->bl_ms, 60000);
	}
	before = w.rw.keepalives;
	run_for(&w, 600000);
	if (_i == 0) {
		/* 30 s: 20 in 10 minutes. */
		ck_assert_uint_ge(w.rw.keepalives - before, 19);
		ck_assert_uint_le(w.rw.keepalives - before, 21);
		ck_assert(way_back_open(&w));
		ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	} else {
		ck_assert(!way_back_open(&w));
	}
	world_free(&w);
}
END_TEST

/* Only to a peer that sent the natkeyd VID: the gateway observes, records,
 * and sends nothing to a road warrior whose VID it did not see. */
START_TEST(test_notify_not_to_others)
{
	struct world w;
	unsigned sent;

	world_cfg(&w, 0);
	w.rwc.keepalive_auto = true;
	w.strip_rw_vid = true;
	world_start(&w);
	ck_assert_uint_ge(w.stripped, 1);
	ck_assert(!ike_of(&w.gw)->peer_natkeyd);
	ck_assert(ike_of(&w.rw)->peer_natkeyd);
	sent = w.gw.sent;
	observed(&w, 90000);
	run_for(&w, 1000);
	ck_assert_uint_eq(w.gw.sent, sent);
	ck_assert_uint_eq(ike_of(&w.gw)->bl_src, NATT_LT_OBSERVED);
	ck_assert_uint_eq(ike_of(&w.gw)->bl_ms, 90000);
	ck_assert_uint_eq(ike_of(&w.rw)->bl_src, NATT_LT_NONE);
	ck_assert(!peer_log_has(&w.gw, "told the peer"));
	world_free(&w);
}
END_TEST

/* ...and ignored from a peer that did not send it. */
START_TEST(test_notify_ignored_from_others)
{
	struct world w;

	world_cfg(&w, 0);
	w.rwc.keepalive_auto = true;
	w.strip_gw_vid = true;
	world_start(&w);
	ck_assert(!ike_of(&w.rw)->peer_natkeyd);
	gw_notify_ms(&w, 90000);
	ck_assert_uint_eq(ike_of(&w.rw)->bl_src, NATT_LT_NONE);
	ck_assert(peer_log_has(&w.rw, "from a peer without the natkeyd VID ignored"));
	world_free(&w);
}
END_TEST

/* A hostile or broken (authenticated) gateway: out-of-range or malformed
 * values are refused; the smallest accepted one cannot make us send more
 * than one keepalive per 10 s, the largest cannot stop us beyond the max. */
START_TEST(test_notify_hostile)
{
	struct world w;
	struct ike_sa *rsa;
	uint16_t shorty = htons(1000);
	uint8_t longer[8] = { 0, 0, 0x75, 0x30, 0, 0, 0, 0 };
	unsigned before;

	world_cfg(&w, 0);
	w.rwc.keepalive_auto = true;
	world_start(&w);
	rsa = ike_of(&w.rw);
	gw_notify_ms(&w, 0);
	gw_notify_ms(&w, 999);
	gw_notify_ms(&w, UINT32_MAX);
	gw_notify_ms(&w, NATT_ADAPTKA_PEER_MAX_MS + 1);
	ck_assert_uint_eq(rsa->bl_src, NATT_LT_NONE);
	ck_assert_uint_ge(w.rw.reasons[IKE_R_REJECTED], 4);
	gw_notify_raw(&w, &shorty, sizeof(shorty));
	gw_notify_raw(&w, longer, sizeof(longer));
	gw_notify_raw(&w, NULL, 0);
	ck_assert_uint_eq(rsa->bl_src, NATT_LT_NONE);
	ck_assert_uint_ge(w.rw.reasons[IKE_R_MALFORMED], 3);
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 1);
	/* The smallest accepted: 1 s, shorter than the 10 s floor, so each
	 * silence outlives it and every keepalive is an R-U-THERE (refresh
	 * after idle): still one packet per 10 s at most, of any kind. */
	gw_notify_ms(&w, 1000);
	ck_assert_uint_eq(rsa->bl_src, NATT_LT_PEER);
	ck_assert_uint_eq(rsa->bl_ms, 1000);
	before = w.rw.sent;
	run_for(&w, 100000);
	ck_assert_uint_le(w.rw.sent - before, 10);
	ck_assert_uint_ge(w.rw.sent - before, 9);
	/* The largest: 24 h, still one every 120 s (nat_keepalive_max), all
	 * lone keepalives now. */
	gw_notify_ms(&w, NATT_ADAPTKA_PEER_MAX_MS);
	ck_assert_uint_eq(rsa->bl_ms, NATT_ADAPTKA_PEER_MAX_MS);
	before = w.rw.keepalives;
	run_for(&w, 600000);
	ck_assert_uint_ge(w.rw.keepalives - before, 4);
	ck_assert_uint_le(w.rw.keepalives - before, 5);
	world_free(&w);
}
END_TEST

/*
 * Refresh after idle: a 60 s NAT, a road warrior that keeps alive only
 * every 200 s (the binding expires between two). With the lifetime known
 * (configured), the packet after the silence is an R-U-THERE: the gateway
 * follows the new mapping and its traffic reaches the road warrior. Without
 * (loop 1), a lone keepalive opens the new binding but the gateway still
 * sends to the old one: its traffic is lost.
 */
START_TEST(test_refresh_after_idle)
{
	struct world w;
	bool known = _i == 0;
	uint16_t port0;

	world_cfg(&w, 60000);
	w.rwc.keepalive_s = 200;
	if (known) {
		w.rwc.binding_lifetime_ms = 60000;
		w.rwc.binding_lifetime_src = NATT_LT_CONFIGURED;
	}
	world_start(&w);
	ck_assert_uint_eq(ike_of(&w.rw)->bl_src, known ? NATT_LT_CONFIGURED : NATT_LT_NONE);
	port0 = ntohs(ike_of(&w.gw)->remote.in.sin_port);
	run_for(&w, 210000);
	if (known) {
		ck_assert(way_back_open(&w));
		ck_assert_uint_ge(w.gw.reasons[IKE_R_MAPPING_CHANGED], 1);
		ck_assert_uint_ge(w.gw.n_move, 3);
		ck_assert_uint_ne(ntohs(ike_of(&w.gw)->remote.in.sin_port), port0);
		ck_assert(peer_log_has(&w.rw, "R-U-THERE so the peer learns our new mapping"));
	} else {
		ck_assert_uint_eq(w.gw.reasons[IKE_R_MAPPING_CHANGED], 0);
		ck_assert(!way_back_open(&w));
	}
	world_free(&w);
}
END_TEST

/*
 * The whole path, no test hook: a road warrior with nat_keepalive=auto
 * whose admin configured a binding lifetime of 200 s (keepalive every
 * 100 s) behind a NAT that forgets after 60 s. Its R-U-THERE (DPD after
 * 90 s without news) comes from a new port; the gateway follows it,
 * records the idle time before the change as the NAT's binding lifetime
 * (an upper bound) and tells the road warrior, whose interval then keeps
 * the mapping: no further change in 10 minutes and the way back is open.
 * A road warrior with a fixed nat_keepalive ignores the value (a NAT
 * reboot makes such observations too); loop: 0 auto, 1 fixed.
 */
START_TEST(test_learned_from_gateway)
{
	struct world w;
	const struct ike_sa *g, *r;
	unsigned moves;

	world_cfg(&w, 60000);
	w.rwc.keepalive_auto = _i == 0;
	w.rwc.keepalive_s = 100;
	w.rwc.binding_lifetime_ms = 200000;
	w.rwc.binding_lifetime_src = NATT_LT_CONFIGURED;
	w.rwc.dpd_delay_s = 90;
	w.rwc.dpd_timeout_s = 30;
	world_start(&w);
	run_for(&w, 200000);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_MAPPING_CHANGED], 1);
	g = ike_of(&w.gw);
	r = ike_of(&w.rw);
	ck_assert_uint_eq(g->bl_src, NATT_LT_OBSERVED);
	ck_assert_uint_ge(g->bl_ms, 60000);
	ck_assert_uint_le(g->bl_ms, 120000);
	if (_i == 1) {
		ck_assert_uint_eq(r->bl_src, NATT_LT_CONFIGURED);
		ck_assert(peer_log_has(&w.rw, "ignored: nat_keepalive is fixed"));
		world_free(&w);
		return;
	}
	ck_assert_uint_eq(r->bl_src, NATT_LT_PEER);
	ck_assert_uint_eq(r->bl_ms, g->bl_ms);
	moves = w.gw.reasons[IKE_R_MAPPING_CHANGED];
	run_for(&w, 600000);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_MAPPING_CHANGED], moves);
	ck_assert(way_back_open(&w));
	world_free(&w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("engine_adaptka");
	TCase *tc = tcase_create("adaptka");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_vid);
	tcase_add_test(tc, test_hour_fixed_vs_auto);
	tcase_add_test(tc, test_auto_unknown_is_20s);
	tcase_add_loop_test(tc, test_60s_nat, 0, 2);
	tcase_add_test(tc, test_notify_not_to_others);
	tcase_add_test(tc, test_notify_ignored_from_others);
	tcase_add_test(tc, test_notify_hostile);
	tcase_add_loop_test(tc, test_refresh_after_idle, 0, 2);
	tcase_add_loop_test(tc, test_learned_from_gateway, 0, 2);
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
