// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NAT traversal end to end: road warriors behind simulated RFC 4787 NATs
 * (tests/lib/sim/nat.c) reach a gateway with Main and Aggressive Mode, detect
 * the NAT, float to 4500, negotiate UDP-encapsulated ESP, send keepalives;
 * the gateway follows authenticated mapping changes only, and
 * INITIAL-CONTACT acts on identities, not on the shared NAT address.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "ike/engine_status.h"
#include "natt/framing.h"
#include "natt/method.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/sim/nat.h"

#define GW  "198.51.100.1"
#define NAT "203.0.113.7"
#define RW1 "10.0.0.2"
#define RW2 "10.0.0.3"

struct world {
	struct sim_net *net;
	struct sim_nat *nat;
	struct ike_conn_cfg gwc, rwc[2];
	struct peer gw, rw[2];
	int nrw;
};

static void set_fqdn(struct ike_id *id, const char *name)
{
	id->type = 2;
	id->len = (uint8_t)strlen(name);
	memcpy(id->data, name, id->len);
}

/* gw (any peer, PSK) <- NAT (APD mapping/filtering) <- nrw road warriors. */
static void world_init(struct world *w, int nrw, bool aggressive, enum sim_nat_behaviour beh)
{
	static const char *const rw_addr[2] = { RW1, RW2 };
	static const char *const rw_name[2] = { "rw1.example", "rw2.example" };
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct sim_nat_cfg nc;

	memset(w, 0, sizeof(*w));
	w->nrw = nrw;
	conn_psk(&w->gwc, "gw-any", GW, NULL, "group secret");
	conn_client_allow(&w->gwc, "10.0.0.0", 8); /* the road warriors' private network */
	w->gwc.client_hosts_only = true;	   /* vhost:%priv */
	w->gwc.aggressive = w->gwc.aggr_psk_responder = aggressive;
	w->gwc.keepalive_s = 20;
	w->net = sim_net_new(21, 10);
	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, NAT, 0);
	nc.mapping = beh;
	nc.filtering = beh;
	nc.seed = 99;
	w->nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(w->nat);
	harness_nat_attach(w->net, w->nat);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	for (int i = 0; i < nrw; i++) {
		struct ike_engine_cfg rcfg = { .conns = &w->rwc[i], .n_conns = 1 };

		conn_psk(&w->rwc[i], "rw-gw", rw_addr[i], GW, "group secret");
		w->rwc[i].aggressive = aggressive;
		set_fqdn(&w->rwc[i].local_id, rw_name[i]);
		peer_init(&w->rw[i], "rw", w->net, rw_addr[i], true, &rcfg);
		w->rw[i].next_spi = 0xd0000100u + 0x1000u * (uint32_t)i;
	}
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	for (int i = 0; i < w->nrw; i++)
		peer_free(&w->rw[i]);
	sim_nat_free(w->nat);
	sim_net_free(w->net);
}

static const struct xk_sa *outbound_sa(const struct peer *p)
{
	for (unsigned i = p->n_sa; i-- > 0;)
		if (!p->sa_inbound[i])
			return &p->sa[i];
	return NULL;
}

static const struct xk_sa *inbound_sa(const struct peer *p)
{
	for (unsigned i = p->n_sa; i-- > 0;)
		if (p->sa_inbound[i])
			return &p->sa[i];
	return NULL;
}

/* Loop over: Main / Aggressive Mode x endpoint-independent / APD NAT. */
START_TEST(test_rw_behind_nat)
{
	bool aggressive = _i & 1;
	enum sim_nat_behaviour beh = (_i & 2) ? SIM_NAT_APD : SIM_NAT_EI;
	struct world w;
	const struct xk_sa *rw_out, *gw_out, *gw_in;

	world_init(&w, 1, aggressive, beh);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_ge(w.rw[0].reasons[IKE_R_NAT_DETECTED], 1);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_NAT_DETECTED], 1);
	/* The initiator floated; the gw followed the packet to port 4500. */
	ck_assert(peer_log_has(&w.rw[0], "moving IKE to port 4500"));
	ck_assert(peer_log_has(&w.gw, "peer moved IKE to port 4500"));
	ck_assert_int_eq(keys_match(&w.rw[0], &w.gw), 2);
	/* UDP-encapsulated tunnel on both ends, with the IKE ports. */
	rw_out = outbound_sa(&w.rw[0]);
	gw_out = outbound_sa(&w.gw);
	gw_in = inbound_sa(&w.gw);
	ck_assert(rw_out->encap.enabled && gw_out->encap.enabled && gw_in->encap.enabled);
	ck_assert_uint_eq(rw_out->encap.sport, 4500);
	ck_assert_uint_eq(rw_out->encap.dport, 4500);
	ck_assert_uint_eq(gw_out->encap.sport, 4500);
	ck_assert_uint_ne(gw_out->encap.dport, 4500); /* the NAT-mapped port Y */
	ck_assert_uint_eq(gw_in->encap.sport, gw_out->encap.dport);
	/* The gw's outbound SA goes to the NAT's public address. */
	ck_assert_mem_eq(gw_out->dst.bytes, "\xcb\x00\x71\x07", 4);
	/* The rw's own SA uses its private address. */
	ck_assert_mem_eq(rw_out->src.bytes, "\x0a\x00\x00\x02", 4);
	/* Tunnel mode through NAT: no NAT-OA needed, none recorded. */
	ck_assert_uint_eq(gw_in->encap.oa.family, 0);
	world_free(&w);
}
END_TEST

START_TEST(test_transport_natoa)
{
	struct world w;
	const struct xk_sa *gw_in;
	struct ike_engine_cfg gcfg, rcfg;

	world_init(&w, 1, false, SIM_NAT_EI);
	/* Re-create both engines in transport mode. */
	peer_free(&w.gw);
	peer_free(&w.rw[0]);
	w.gwc.mode = w.rwc[0].mode = XK_MODE_TRANSPORT;
	gcfg = (struct ike_engine_cfg){ .conns = &w.gwc, .n_conns = 1 };
	rcfg = (struct ike_engine_cfg){ .conns = &w.rwc[0], .n_conns = 1 };
	ck_assert_int_eq(peer_engine_new(&gcfg, &w.gw), 0);
	ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw[0]), 0);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	gw_in = inbound_sa(&w.gw);
	ck_assert_uint_eq(gw_in->mode, XK_MODE_TRANSPORT);
	ck_assert(gw_in->encap.enabled);
	/* RFC 3947 s5.2: the gw learned the rw's original (private) address. */
	ck_assert_uint_eq(gw_in->encap.oa.family, XK_AF_INET);
	ck_assert_mem_eq(gw_in->encap.oa.bytes, "\x0a\x00\x00\x02", 4);
	ck_assert_int_eq(keys_match(&w.rw[0], &w.gw), 2);
	world_free(&w);
}
END_TEST

START_TEST(test_keepalives)
{
	struct world w;
	struct ike_status st;

	world_init(&w, 1, false, SIM_NAT_APD);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 100000, 1000000);
	/* Only the side behind the NAT sends them, about every 20 s. */
	ck_assert_uint_ge(w.rw[0].keepalives, 4);
	ck_assert_uint_le(w.rw[0].keepalives, 5);
	ck_assert_uint_eq(w.gw.keepalives, 0);
	st = peer_status(&w.gw);
	ck_assert_uint_eq(st.ipsec_sas, 1);
	world_free(&w);
}
END_TEST

/* The NAT reboots: the rw's next authenticated IKE message (DPD) comes
 * from a new port; the gw follows it (audit) and moves the ESP SAs. */
START_TEST(test_nat_reboot_follow)
{
	struct world w;
	const struct xk_sa *gw_out;
	uint16_t old_port;

	world_init(&w, 1, false, SIM_NAT_APD);
	w.rwc[0].dpd_delay_s = 10;
	w.gwc.dpd_delay_s = 0;
	peer_free(&w.rw[0]);
	{
		struct ike_engine_cfg rcfg = { .conns = &w.rwc[0], .n_conns = 1 };

		ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw[0]), 0);
	}
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	gw_out = outbound_sa(&w.gw);
	old_port = gw_out->encap.dport;
	sim_nat_reboot(w.nat);
	sim_net_run(w.net, 60000, 1000000);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_MAPPING_CHANGED], 1);
	ck_assert_uint_ge(w.gw.n_move, 3); /* out, in, fwd */
	ck_assert_uint_ne(w.gw.move[0].new_encap.dport, old_port);
	ck_assert_uint_eq(w.gw.move[1].new_encap.sport, w.gw.move[0].new_encap.dport);
	/* DPD kept working through the new mapping: nobody declared dead. */
	ck_assert_uint_eq(w.rw[0].reasons[IKE_R_DPD_DEAD], 0);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ike_established, 1);
	/* The rw is behind the NAT: it never moves its peer. */
	ck_assert_uint_eq(w.rw[0].reasons[IKE_R_MAPPING_CHANGED], 0);
	world_free(&w);
}
END_TEST

/* A kernel MAPPING event (authenticated ESP from a new port) moves the SAs;
 * the same event on the side behind the NAT is ignored. */
START_TEST(test_mapping_event)
{
	struct world w;
	struct ike_event ev = { .type = IKE_EV_KERNEL };
	const struct xk_sa *gw_in;

	world_init(&w, 1, false, SIM_NAT_EI);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 5000, 100000);
	gw_in = inbound_sa(&w.gw);
	ev.u.kernel.type = XK_EV_MAPPING;
	ev.u.kernel.u.mapping.dst = gw_in->dst;
	ev.u.kernel.u.mapping.spi = gw_in->spi;
	ev.u.kernel.u.mapping.old_addr = gw_in->src;
	ev.u.kernel.u.mapping.old_port = gw_in->encap.sport;
	ev.u.kernel.u.mapping.new_addr = gw_in->src;
	ev.u.kernel.u.mapping.new_port = 40404;
	peer_event(&w.gw, &ev);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_MAPPING_CHANGED], 1);
	ck_assert_uint_eq(w.gw.n_move, 3);
	ck_assert_uint_eq(w.gw.move[0].new_encap.dport, 40404); /* out: to the peer */
	ck_assert_uint_eq(w.gw.move[1].new_encap.sport, 40404); /* in: from the peer */

	gw_in = inbound_sa(&w.rw[0]);
	ev.u.kernel.u.mapping.dst = gw_in->dst;
	ev.u.kernel.u.mapping.spi = gw_in->spi;
	peer_event(&w.rw[0], &ev);
	ck_assert_uint_eq(w.rw[0].reasons[IKE_R_MAPPING_CHANGED], 0);
	ck_assert_uint_eq(w.rw[0].n_move, 0);
	world_free(&w);
}
END_TEST

/* Two road warriors behind the same NAT address: the second one's
 * INITIAL-CONTACT must not remove the first one's SAs; a reboot of the
 * first removes exactly its own old SAs. */
START_TEST(test_initial_contact_by_identity)
{
	struct world w;
	struct ike_engine_cfg rcfg;

	world_init(&w, 2, false, SIM_NAT_EI);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 5000, 100000);
	peer_initiate(&w.rw[1], 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 2);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 2);
	ck_assert(peer_log_has(&w.gw, "INITIAL-CONTACT: removed 0 IKE SA(s) and 0 IPsec"));
	ck_assert(!peer_log_has(&w.gw, "INITIAL-CONTACT: removed 1"));

	/* rw1 reboots and comes back (new cookies, maybe a new NAT port). */
	peer_free(&w.rw[0]);
	rcfg = (struct ike_engine_cfg){ .conns = &w.rwc[0], .n_conns = 1 };
	ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw[0]), 0);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 20000, 100000);
	ck_assert(peer_log_has(&w.gw, "INITIAL-CONTACT: removed 1 IKE SA(s) and 1 IPsec"));
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 2);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 2);
	ck_assert_uint_eq(peer_status(&w.rw[1]).ipsec_sas, 1);
	world_free(&w);
}
END_TEST

/* The gw's IKE SA with @rw's identity (rw1.example / rw2.example). */
static bool gw_ike_of(const struct world *w, int rw, struct ike_sa_status *out)
{
	struct ike_sa_status v[8];
	struct ipsec_sa_status c[8];
	size_t n = ike_status_ike_list(w->gw.eng, sim_net_now(w->net), v, 8);
	size_t nc = ike_status_ipsec_list(w->gw.eng, sim_net_now(w->net), c, 8);

	/* The IKE SA that negotiated the IPsec SA whose remote selector is
	 * the rw's inner address (10.0.0.2 / 10.0.0.3). */
	for (size_t j = 0; j < nc; j++) {
		if (!c[j].installed || c[j].replaced ||
		    c[j].remote_ts.addr.bytes[3] != (uint8_t)(2 + rw))
			continue;
		for (size_t i = 0; i < n; i++)
			if (v[i].serial == c[j].ike_serial && v[i].established) {
				*out = v[i];
				return true;
			}
	}
	return false;
}

static uint16_t port_of(const struct sockaddr_storage *ss)
{
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

/* Two road warriors on the gw's one %any conn (rw1 first, so the conn's
 * newest IKE SA is rw2's). Each SA event must act on its own peer: a MAPPING
 * event of rw1's ESP moves rw1's IKE SA, not rw2's; a late initiator's
 * IPsec SAs are rekeyed by the gw through each peer's own IKE SA, with the
 * selectors of the peer's IDs, twice; the teardown's Deletes reach both. */
START_TEST(test_two_rw_each_own_peer)
{
	struct world w;
	struct ike_event ev = { .type = IKE_EV_KERNEL };
	struct ike_sa_status s1, s2;
	const struct xk_sa *in1 = NULL;
	uint16_t rw2_port;

	world_init(&w, 2, false, SIM_NAT_EI);
	w.gwc.ipsec_lifetime_s = 1200;
	w.gwc.rekey_margin_s = 120;
	w.gwc.dpd_delay_s = 0;
	for (int i = 0; i < 2; i++) {
		w.rwc[i].ipsec_lifetime_s = 1200;
		w.rwc[i].rekey_margin_s = 1; /* late: leaves the rekey to the gw */
		w.rwc[i].rekey_fuzz_pct = 1;
		ck_assert_int_eq(peer_renew(&w.rw[i], &w.rwc[i]), 0);
	}
	ck_assert_int_eq(peer_renew(&w.gw, &w.gwc), 0);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 5000, 100000);
	peer_initiate(&w.rw[1], 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 2);
	ck_assert(gw_ike_of(&w, 0, &s1) && gw_ike_of(&w, 1, &s2));
	rw2_port = port_of(&s2.remote);

	/* rw1's ESP from a new port: its inbound SA is the gw's first. */
	for (unsigned i = 0; i < w.gw.n_sa && !in1; i++)
		if (w.gw.sa_inbound[i])
			in1 = &w.gw.sa[i];
	ev.u.kernel.type = XK_EV_MAPPING;
	ev.u.kernel.u.mapping.dst = in1->dst;
	ev.u.kernel.u.mapping.spi = in1->spi;
	ev.u.kernel.u.mapping.old_addr = in1->src;
	ev.u.kernel.u.mapping.old_port = in1->encap.sport;
	ev.u.kernel.u.mapping.new_addr = in1->src;
	ev.u.kernel.u.mapping.new_port = 40404;
	peer_event(&w.gw, &ev);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_MAPPING_CHANGED], 1);
	ck_assert(gw_ike_of(&w, 0, &s1) && gw_ike_of(&w, 1, &s2));
	ck_assert_uint_eq(port_of(&s1.remote), 40404);
	ck_assert_uint_eq(port_of(&s2.remote), rw2_port);
	/* (The NAT has no 40404 mapping: put rw1's IKE SA back where the NAT
	 * delivers, as the next authenticated packet would.) */
	ev.u.kernel.u.mapping.old_port = 40404;
	ev.u.kernel.u.mapping.new_port = in1->encap.sport;
	peer_event(&w.gw, &ev);

	/* Two rekeys per road warrior, each by the gw as responder. */
	sim_net_run(w.net, 2300 * 1000, 2000000);
	ck_assert(peer_log_has(&w.gw, "as responder: the initiator did not"));
	ck_assert_uint_eq(w.gw.reasons[IKE_R_EXPIRED], 0);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_PEER_NOTIFY], 0);
	for (int i = 0; i < 2; i++) {
		ck_assert_uint_eq(w.rw[i].reasons[IKE_R_EXPIRED], 0);
		ck_assert_uint_eq(w.rw[i].reasons[IKE_R_REKEY], 0);
		ck_assert_uint_eq(peer_status(&w.rw[i]).ipsec_sas, 1);
		ck_assert_int_ge(keys_match(&w.rw[i], &w.gw), 6);
	}
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 2);
	ck_assert(gw_ike_of(&w, 0, &s1) && gw_ike_of(&w, 1, &s2));

	/* The gw's teardown: every road warrior hears its own Delete. */
	{
		struct ike_event t = { .type = IKE_EV_TERMINATE, .u.conn = 0 };

		peer_event(&w.gw, &t);
	}
	sim_net_run(w.net, 2310 * 1000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw[1]).ipsec_sas, 0);
	world_free(&w);
}
END_TEST

/* NAT-T off on the rw: no VID, so no NAT-D and no float (RFC 3947 s3.1).
 * Phase 1 still works through the NAT on port 500, but the gw sees a host
 * ID (10.0.0.2) that is not the address the packets come from and, with no
 * NAT detected, refuses the client ID instead of installing plain ESP that
 * the NAT would break. */
START_TEST(test_natt_disabled_one_side)
{
	struct world w;

	world_init(&w, 1, false, SIM_NAT_EI);
	peer_free(&w.rw[0]);
	w.rwc[0].natt = false;
	{
		struct ike_engine_cfg rcfg = { .conns = &w.rwc[0], .n_conns = 1 };

		ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw[0]), 0);
	}
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_NAT_DETECTED], 0);
	ck_assert(!peer_log_has(&w.rw[0], "moving IKE to port 4500"));
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_TS_MISMATCH], 1);
	world_free(&w);
}
END_TEST

/* Rekeys behind the NAT: Phase 1 rekeys start on 4500 where the old SA
 * lives (RFC 3947 4.h), Phase 2 rekeys keep UDP encapsulation, nothing
 * moves the peer spuriously. */
START_TEST(test_rekeys_behind_nat)
{
	struct world w;
	struct ike_engine_cfg gcfg, rcfg;

	world_init(&w, 1, false, SIM_NAT_APD);
	peer_free(&w.gw);
	peer_free(&w.rw[0]);
	w.gwc.ike_lifetime_s = w.rwc[0].ike_lifetime_s = 60;
	w.gwc.ipsec_lifetime_s = w.rwc[0].ipsec_lifetime_s = 120;
	w.rwc[0].rekey_margin_s = 30;
	gcfg = (struct ike_engine_cfg){ .conns = &w.gwc, .n_conns = 1 };
	rcfg = (struct ike_engine_cfg){ .conns = &w.rwc[0], .n_conns = 1 };
	ck_assert_int_eq(peer_engine_new(&gcfg, &w.gw), 0);
	ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw[0]), 0);
	peer_initiate(&w.rw[0], 0);
	for (uint64_t t = 2000; t <= 200000; t += 1000) {
		sim_net_run(w.net, t, 1000000);
		ck_assert_uint_ge(peer_status(&w.rw[0]).ike_established, 1);
		ck_assert_uint_ge(peer_status(&w.gw).ipsec_sas, 1);
	}
	ck_assert_uint_ge(w.gw.reasons[IKE_R_IKE_ESTABLISHED], 4);
	ck_assert_uint_ge(w.rw[0].reasons[IKE_R_IPSEC_ESTABLISHED], 2);
	/* Only the first Phase 1 floated; the rekeys began on 4500. */
	ck_assert_uint_eq(w.rw[0].reasons[IKE_R_FLOAT], 1);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_MAPPING_CHANGED], 0);
	ck_assert(outbound_sa(&w.gw)->encap.enabled);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_ge(keys_match(&w.rw[0], &w.gw), 4);
	world_free(&w);
}
END_TEST

/* A peer that only speaks a pre-RFC draft (draft-02 with the newline VID):
 * the gw follows its VID, NAT-D payload numbers and encapsulation values. */
START_TEST(test_draft_peer)
{
	struct world w;
	struct ike_engine_cfg rcfg;

	world_init(&w, 1, false, SIM_NAT_EI);
	peer_free(&w.rw[0]);
	w.rwc[0].natt_methods = NATT_METHOD_BIT(NATT_METHOD_DRAFT_02N);
	rcfg = (struct ike_engine_cfg){ .conns = &w.rwc[0], .n_conns = 1 };
	ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw[0]), 0);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert(peer_log_has(&w.gw, "NAT-T draft-ietf-ipsec-nat-t-ike-02"));
	ck_assert(peer_log_has(&w.rw[0], "moving IKE to port 4500"));
	ck_assert(outbound_sa(&w.gw)->encap.enabled);
	ck_assert_int_eq(keys_match(&w.rw[0], &w.gw), 2);
	world_free(&w);
}
END_TEST

/* The rw's MM3 (third datagram), kept to be replayed later. */
static struct sim_dgram saved_mm3;

static void save_mm3(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	(void)ctx;
	(void)f;
	if (index == 2)
		saved_mm3 = *d;
}

/* After the float, a Main Mode packet with the SA's cookies on port 500 is
 * discarded (RFC 3947 4.j), not processed. */
START_TEST(test_port500_after_float)
{
	struct world w;
	struct ike_status before;

	world_init(&w, 1, false, SIM_NAT_EI);
	sim_net_fault_set(w.net, save_mm3, NULL);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(sim_addr_port(&saved_mm3.dst), 500);
	before = peer_status(&w.gw);
	sim_net_send(w.net, &saved_mm3);
	sim_net_run(w.net, 11000, 100000);
	ck_assert(peer_log_has(&w.gw, "on port 500 after the move to 4500"));
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, before.ike_established);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	world_free(&w);
}
END_TEST

/* The SAs @p installed and has not deleted since. */
static bool sa_current(const struct peer *p, unsigned i)
{
	for (unsigned j = 0; j < p->n_sa_delete && j < PEER_SA_MAX; j++)
		if (p->sa_delete[j].spi == p->sa[i].spi)
			return false;
	return true;
}

static unsigned current_pairs(const struct peer *a, const struct peer *b)
{
	unsigned n = 0;

	for (unsigned i = 0; i < a->n_sa; i++) {
		bool twin = false;

		if (!sa_current(a, i))
			continue;
		for (unsigned j = 0; j < b->n_sa && !twin; j++)
			twin = sa_current(b, j) && b->sa[j].spi == a->sa[i].spi &&
			       b->sa_inbound[j] != a->sa_inbound[i] &&
			       b->sa[j].enc_key_len == a->sa[i].enc_key_len &&
			       memcmp(b->sa[j].enc_key, a->sa[i].enc_key, a->sa[i].enc_key_len) ==
				       0;
		ck_assert_msg(twin, "current SA %08x has no twin", a->sa[i].spi);
		n++;
	}
	return n;
}

/* An hour behind a NAT with 3% loss, some reordering, short lifetimes,
 * DPD, keepalives, and two NAT reboots: the tunnel keeps coming back, and
 * whatever both ends hold at the end agrees. */
START_TEST(test_soak_hour)
{
	struct world w;
	struct ike_engine_cfg gcfg, rcfg;
	unsigned down = 0;

	world_init(&w, 1, false, SIM_NAT_APD);
	peer_free(&w.gw);
	peer_free(&w.rw[0]);
	w.gwc.ike_lifetime_s = w.rwc[0].ike_lifetime_s = 600;
	w.gwc.ipsec_lifetime_s = w.rwc[0].ipsec_lifetime_s = 300;
	w.rwc[0].dpd_delay_s = 30;
	w.rwc[0].dpd_timeout_s = 120;
	gcfg = (struct ike_engine_cfg){ .conns = &w.gwc, .n_conns = 1 };
	rcfg = (struct ike_engine_cfg){ .conns = &w.rwc[0], .n_conns = 1 };
	ck_assert_int_eq(peer_engine_new(&gcfg, &w.gw), 0);
	ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw[0]), 0);
	sim_net_random_set(w.net, 30, 10, 50, 300);
	peer_initiate(&w.rw[0], 0);
	for (uint64_t t = 10000; t <= 3600000; t += 10000) {
		sim_net_run(w.net, t, 10000000);
		if (t == 1200000 || t == 2400000)
			sim_nat_reboot(w.nat);
		if (peer_status(&w.rw[0]).ipsec_sas == 0) {
			down++;
			peer_initiate(&w.rw[0], 0); /* what an ACQUIRE would do */
		}
	}
	/* Down in at most a few samples (NAT reboots, unlucky losses). */
	ck_assert_uint_le(down, 12);
	ck_assert_uint_eq(w.gw.dropped + w.rw[0].dropped, 0);
	ck_assert_uint_ge(w.rw[0].reasons[IKE_R_IPSEC_ESTABLISHED], 12);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_MAPPING_CHANGED], 1);
	ck_assert_uint_ge(w.rw[0].keepalives, 100);
	/* Let retransmissions settle, then compare what both hold. */
	sim_net_random_set(w.net, 0, 0, 0, 0);
	sim_net_run(w.net, 3700000, 10000000);
	ck_assert_uint_ge(current_pairs(&w.rw[0], &w.gw), 2);
	ck_assert_uint_ge(current_pairs(&w.gw, &w.rw[0]), 2);
	world_free(&w);
}
END_TEST

/* Two road warriors behind the NAT, the second claiming the first one's
 * inner address: refused, so it cannot steal the first one's traffic
 * (RFC 3948 s5.1); the first tunnel stays as it was. */
START_TEST(test_inner_address_conflict)
{
	struct world w;
	struct ike_engine_cfg rcfg;

	world_init(&w, 2, false, SIM_NAT_EI);
	peer_free(&w.rw[1]);
	w.rwc[1].local_ts.addr.family = XK_AF_INET;
	memcpy(w.rwc[1].local_ts.addr.bytes, "\x0a\x00\x00\x02", 4); /* RW1's */
	w.rwc[1].local_ts.plen = 32;
	rcfg = (struct ike_engine_cfg){ .conns = &w.rwc[1], .n_conns = 1 };
	ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw[1]), 0);
	peer_initiate(&w.rw[0], 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	peer_initiate(&w.rw[1], 0);
	sim_net_run(w.net, 60000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.rw[1]).ipsec_sas, 0);
	ck_assert(peer_log_has(&w.gw, "overlaps another peer's 10.0.0.2/32"));
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	/* The first rw itself may come back with its own address (reconnect). */
	world_free(&w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine_nat");
	TCase *tc = tcase_create("nat");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_rw_behind_nat, 0, 4);
	tcase_add_test(tc, test_transport_natoa);
	tcase_add_test(tc, test_keepalives);
	tcase_add_test(tc, test_nat_reboot_follow);
	tcase_add_test(tc, test_mapping_event);
	tcase_add_test(tc, test_initial_contact_by_identity);
	tcase_add_test(tc, test_two_rw_each_own_peer);
	tcase_add_test(tc, test_natt_disabled_one_side);
	tcase_add_test(tc, test_rekeys_behind_nat);
	tcase_add_test(tc, test_draft_peer);
	tcase_add_test(tc, test_port500_after_float);
	tcase_add_test(tc, test_soak_hour);
	tcase_add_test(tc, test_inner_address_conflict);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
