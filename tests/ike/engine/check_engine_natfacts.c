// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-peer NAT facts and the keepalive audit (issue 18), measured by the
 * engine through the simulator's RFC 4787 NATs (tests/lib/sim/nat.c): a
 * gateway (right=%any) and a road warrior behind a NAT with a chosen
 * behaviour; the gateway's view (ike_status_ike_list()) must show what the
 * NAT did: port preserved or not, split NAT, the binding lifetime after an
 * idle rebinding, keepalives counted with their interval, the audit once.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/engine_status.h"
#include "natt/diag.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/sim/nat.h"

#define GW     "198.51.100.1"
#define NAT    "203.0.113.7"
#define NAT_B  "203.0.113.8" /* the split NAT's address for private port 4500 */
#define RW     "10.0.0.2"
#define RW_CGN "100.64.1.2" /* a carrier-grade NAT's customer address */

struct nat_opts {
	enum sim_nat_behaviour beh;
	bool port_preservation;
	bool split; /* private port 4500 maps to NAT_B */
	uint32_t timeout_ms;
	uint32_t rw_keepalive_s;
	uint32_t rw_dpd_s;
	const char *rw_addr;
	bool rw_ip_id; /* the rw's identity is its address (ID_IPV4_ADDR) */
	bool direct;   /* the rw is on the public side (no NAT) */
	bool force;    /* the rw forces UDP encapsulation (fakes NAT-D) */
	uint32_t audit_ms;
};

struct world {
	struct sim_net *net;
	struct sim_nat *nat;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
};

static enum sim_verdict nat_out(void *ctx, struct sim_dgram *d, uint64_t now)
{
	return sim_nat_outbound(ctx, d, now);
}

static enum sim_verdict nat_in(void *ctx, struct sim_dgram *d, uint64_t now)
{
	return sim_nat_inbound(ctx, d, now);
}

static void world_init(struct world *w, const struct nat_opts *o)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };
	const char *rw_addr = o->rw_addr ? o->rw_addr : RW;
	struct sim_nat_cfg nc;
	struct sim_mbox mb;

	memset(w, 0, sizeof(*w));
	gcfg.nat_audit_ms = o->audit_ms;
	conn_psk(&w->gwc, "rw-any", GW, NULL, "group secret");
	conn_client_allow(&w->gwc, "10.0.0.0", 8);
	conn_client_allow(&w->gwc, "100.64.0.0", 10);
	w->gwc.client_hosts_only = true;
	w->gwc.keepalive_s = 20;
	w->net = sim_net_new(31, 10);
	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, NAT, 0);
	if (o->split)
		sim_addr4(&nc.pub_4500, NAT_B, 0);
	nc.mapping = o->beh;
	nc.filtering = o->beh;
	nc.port_preservation = o->port_preservation;
	nc.timeout_ms = o->timeout_ms;
	nc.seed = 7;
	w->nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(w->nat);
	memset(&mb, 0, sizeof(mb));
	mb.outbound = nat_out;
	mb.inbound = nat_in;
	mb.ctx = w->nat;
	sim_addr4(&mb.public_addr, NAT, 0);
	if (o->split)
		sim_addr4(&mb.public_addr2, NAT_B, 0);
	sim_net_mbox_set(w->net, &mb);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	conn_psk(&w->rwc, "gw", rw_addr, GW, "group secret");
	if (o->rw_ip_id) {
		w->rwc.local_id.type = 1;
		w->rwc.local_id.len = 4;
		inet_pton(AF_INET, rw_addr, w->rwc.local_id.data);
	} else {
		w->rwc.local_id.type = 2;
		w->rwc.local_id.len = (uint8_t)strlen("rw.example");
		memcpy(w->rwc.local_id.data, "rw.example", w->rwc.local_id.len);
	}
	w->rwc.keepalive_s = o->rw_keepalive_s ? o->rw_keepalive_s : 20;
	w->rwc.dpd_delay_s = o->rw_dpd_s;
	w->rwc.dpd_timeout_s = o->rw_dpd_s ? 4 * o->rw_dpd_s : 0;
	w->rwc.natt_force = o->force;
	peer_init(&w->rw, "rw", w->net, rw_addr, !o->direct, &rcfg);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_nat_free(w->nat);
	sim_net_free(w->net);
}

/* The gateway's newest established IKE SA (with its NAT facts and diagnosis). */
static void gw_sa(struct world *w, struct ike_sa_status *out)
{
	static struct ike_sa_status v[8];
	size_t n = ike_status_ike_list(w->gw.eng, sim_net_now(w->net), v, 8);

	for (size_t i = 0; i < n && i < 8; i++)
		if (v[i].established) {
			*out = v[i];
			return;
		}
	ck_abort_msg("gateway has no established IKE SA");
}

static void up(struct world *w)
{
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 1);
}

/* A port-preserving NAT keeps 500 and 4500: preserved, no split; the rw's
 * FQDN identity cannot tell a real NAT from a faked NAT-D ("claimed"). */
START_TEST(test_port_preserved)
{
	struct nat_opts o = { .beh = SIM_NAT_EI, .port_preservation = true };
	struct world w;
	static struct ike_sa_status s;

	world_init(&w, &o);
	up(&w);
	gw_sa(&w, &s);
	ck_assert(s.nat.natt && s.nat.natd_done && s.nat.natd_peer);
	ck_assert_uint_eq(s.nat.ep500.port, 500);
	ck_assert_uint_eq(s.nat.ep4500.port, 4500);
	ck_assert_int_eq(s.nat_diag.port_preserved, NATT_YES);
	ck_assert_int_eq(s.nat_diag.split_nat, NATT_NO);
	ck_assert_int_eq(s.nat_diag.peer_nat, NATT_PEER_NAT_CLAIMED);
	ck_assert(!s.nat_diag.cgn);
	ck_assert(strstr(s.nat_diag.text, "behind NAT, port preserved"));
	ck_assert_uint_gt(s.nat.last_auth_ms, 0);
	world_free(&w);
}
END_TEST

/* A port-randomising NAT: not preserved, and the rewritten 500 proves a
 * translation. */
START_TEST(test_port_not_preserved)
{
	struct nat_opts o = { .beh = SIM_NAT_APD, .port_preservation = false };
	struct world w;
	static struct ike_sa_status s;

	world_init(&w, &o);
	up(&w);
	gw_sa(&w, &s);
	ck_assert_uint_ne(s.nat.ep500.port, 500);
	ck_assert_uint_ne(s.nat.ep4500.port, 4500);
	ck_assert_int_eq(s.nat_diag.port_preserved, NATT_NO);
	ck_assert_int_eq(s.nat_diag.split_nat, NATT_NO);
	ck_assert_int_eq(s.nat_diag.peer_nat, NATT_PEER_NAT_TRANSLATED);
	ck_assert(strstr(s.nat_diag.text, "port not preserved"));
	world_free(&w);
}
END_TEST

/* 4500 leaves from another public address than 500: split NAT. */
START_TEST(test_split_nat)
{
	struct nat_opts o = { .beh = SIM_NAT_EI, .port_preservation = true, .split = true };
	struct world w;
	static struct ike_sa_status s;
	char a[64];

	world_init(&w, &o);
	up(&w);
	gw_sa(&w, &s);
	ck_assert_str_eq(natt_ep_format(&s.nat.ep500, false, a, sizeof(a)), NAT);
	ck_assert_str_eq(natt_ep_format(&s.nat.ep4500, false, a, sizeof(a)), NAT_B);
	ck_assert_int_eq(s.nat_diag.split_nat, NATT_YES);
	ck_assert(strstr(s.nat_diag.text, "split NAT"));
	world_free(&w);
}
END_TEST

/* The rw's address identity is in 100.64.0.0/10: CGN likely. */
START_TEST(test_cgn_identity)
{
	struct nat_opts o = { .beh = SIM_NAT_EI, .rw_addr = RW_CGN, .rw_ip_id = true };
	struct world w;
	static struct ike_sa_status s;

	world_init(&w, &o);
	up(&w);
	gw_sa(&w, &s);
	ck_assert(s.nat_diag.cgn);
	/* Its identity (100.64.1.2) is not the address it arrives from. */
	ck_assert_int_eq(s.nat_diag.peer_nat, NATT_PEER_NAT_TRANSLATED);
	ck_assert(strstr(s.nat_diag.text, "CGN likely (100.64/10)"));
	world_free(&w);
}
END_TEST

/* A rw on the public side that forces encapsulation fakes NAT-D; its
 * address identity arrives untranslated from port 500: "faked", not
 * audited. With an FQDN identity the same peer cannot be told from a
 * port-preserving NAT: "claimed". */
START_TEST(test_forced_encap_faked)
{
	struct nat_opts o = { .beh = SIM_NAT_EI,
			      .rw_addr = "192.0.2.9",
			      .rw_ip_id = true,
			      .direct = true,
			      .force = true,
			      .rw_keepalive_s = 100000 };
	struct world w;
	static struct ike_sa_status s;

	world_init(&w, &o);
	up(&w);
	gw_sa(&w, &s);
	ck_assert(s.nat.natd_peer);
	ck_assert(s.floated);
	ck_assert_int_eq(s.nat_diag.peer_nat, NATT_PEER_NAT_FAKED);
	ck_assert(strstr(s.nat_diag.text, "faked NAT-D"));
	sim_net_run(w.net, 300000, 1000000);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_NAT_AUDIT], 0);
	world_free(&w);

	o.rw_ip_id = false;
	world_init(&w, &o);
	up(&w);
	gw_sa(&w, &s);
	ck_assert_int_eq(s.nat_diag.peer_nat, NATT_PEER_NAT_CLAIMED);
	world_free(&w);
}
END_TEST

/* No keepalives, DPD every 60 s, a NAT that drops idle bindings after 45 s:
 * each DPD comes from a new port; the gw follows and records the change
 * with the idle time before it (the 60 s of silence), and the audit warns
 * once, not once per packet nor per change. */
START_TEST(test_rebind_after_idle)
{
	struct nat_opts o = { .beh = SIM_NAT_APD,
			      .timeout_ms = 45000,
			      .rw_keepalive_s = 100000, /* never within the test */
			      .rw_dpd_s = 60 };
	struct world w;
	static struct ike_sa_status s;
	struct natt_remap h[NATT_DIAG_HISTORY];
	size_t n;

	world_init(&w, &o);
	up(&w);
	sim_net_run(w.net, 600000, 10000000); /* 10 minutes */
	gw_sa(&w, &s);
	ck_assert_uint_eq(w.rw.keepalives, 0);
	ck_assert_uint_eq(s.nat.ka_count, 0);
	/* The gw answered each R-U-THERE on the new binding (the old one
	 * was gone): the rw never declared it dead. */
	ck_assert_uint_eq(w.rw.reasons[IKE_R_DPD_DEAD], 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_MAPPING_CHANGED], 5);
	ck_assert_uint_eq(s.nat.remaps, w.gw.reasons[IKE_R_MAPPING_CHANGED]);
	n = natt_diag_history(&s.nat, h, NATT_DIAG_HISTORY);
	ck_assert_uint_ge(n, 5);
	for (size_t i = 0; i < n; i++) {
		/* DPD every 60 s on the rw's clock: 60 s +- the round trips. */
		ck_assert_uint_ge(h[i].idle_ms, 59000);
		ck_assert_uint_le(h[i].idle_ms, 61000);
		ck_assert(!natt_ep_equal(&h[i].old_ep, &h[i].new_ep));
		ck_assert(!h[i].esp);
		if (i)
			ck_assert(natt_ep_equal(&h[i].old_ep, &h[i - 1].new_ep));
	}
	ck_assert_uint_ge(s.nat_diag.binding_ms, 59000);
	ck_assert_uint_le(s.nat_diag.binding_ms, 61000);
	ck_assert_int_eq(s.nat_diag.verdict, NATT_AUDIT_NO_KEEPALIVE);
	ck_assert_msg(strstr(s.nat_diag.text,
			     "NAT rebinds after ~60 s idle and the peer sends no keepalives: "
			     "tunnel will break when idle; set keep_alive<60 on the client"),
		      "%s", s.nat_diag.text);
	/* Once per peer. */
	ck_assert_uint_eq(w.gw.reasons[IKE_R_NAT_AUDIT], 1);
	ck_assert(peer_log_has(&w.gw, "keep_alive"));
	world_free(&w);
}
END_TEST

/* A rw that keeps alive every 20 s behind a NAT with 120 s bindings: the
 * gw counts them with their interval, the diagnosis says fine, the audit
 * never fires. */
START_TEST(test_keepalives_counted)
{
	struct nat_opts o = { .beh = SIM_NAT_APD, .rw_keepalive_s = 20 };
	struct world w;
	static struct ike_sa_status s;

	world_init(&w, &o);
	up(&w);
	sim_net_run(w.net, 600000, 10000000);
	gw_sa(&w, &s);
	ck_assert_uint_ge(w.rw.keepalives, 25);
	/* Every keepalive the rw sent reached the gw's SA. */
	ck_assert_uint_eq(s.nat.ka_count, w.rw.keepalives);
	ck_assert_uint_ge(s.nat.ka_interval_ms, 19000);
	ck_assert_uint_le(s.nat.ka_interval_ms, 21000);
	ck_assert_uint_eq(s.nat.remaps, 0);
	ck_assert_int_eq(s.nat_diag.verdict, NATT_AUDIT_NONE);
	ck_assert_msg(strstr(s.nat_diag.text, "keepalive every 20 s: fine"), "%s", s.nat_diag.text);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_NAT_AUDIT], 0);
	world_free(&w);
}
END_TEST

/* Keepalives every 40 s while the NAT is seen rebinding after 25 s idle
 * (a MAPPING event of verified ESP): "slower than the binding lifetime",
 * once. */
START_TEST(test_keepalives_too_slow)
{
	struct nat_opts o = { .beh = SIM_NAT_EI, .rw_keepalive_s = 40 };
	struct world w;
	static struct ike_sa_status s;
	struct ike_event ev = { .type = IKE_EV_KERNEL };
	const struct xk_sa *in = NULL;

	world_init(&w, &o);
	up(&w);
	sim_net_run(w.net, 130000, 1000000);
	gw_sa(&w, &s);
	ck_assert_uint_ge(s.nat.ka_count, 2);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_NAT_AUDIT], 0);
	/* 25 s after the last keepalive, ESP arrives from a new port. */
	sim_net_run(w.net, s.nat.ka_last_ms + 25000, 1000000);
	for (unsigned i = w.gw.n_sa; i-- > 0;)
		if (w.gw.sa_inbound[i]) {
			in = &w.gw.sa[i];
			break;
		}
	ck_assert_ptr_nonnull(in);
	ev.u.kernel.type = XK_EV_MAPPING;
	ev.u.kernel.u.mapping.dst = in->dst;
	ev.u.kernel.u.mapping.spi = in->spi;
	ev.u.kernel.u.mapping.old_addr = in->src;
	ev.u.kernel.u.mapping.old_port = in->encap.sport;
	ev.u.kernel.u.mapping.new_addr = in->src;
	ev.u.kernel.u.mapping.new_port = 40404;
	peer_event(&w.gw, &ev);
	gw_sa(&w, &s);
	ck_assert_uint_eq(s.nat.remaps, 1);
	ck_assert_ptr_nonnull(s.nat.hist);
	ck_assert(s.nat.hist->v[0].esp);
	ck_assert_uint_ge(s.nat_diag.binding_ms, 24000);
	ck_assert_uint_le(s.nat_diag.binding_ms, 26000);
	ck_assert_int_eq(s.nat_diag.verdict, NATT_AUDIT_SLOW_KEEPALIVE);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_NAT_AUDIT], 1);
	ck_assert(peer_log_has(&w.gw, "set keep_alive<25 on the client"));
	/* Later keepalives and timers do not repeat it. */
	sim_net_run(w.net, sim_net_now(w.net) + 300000, 1000000);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_NAT_AUDIT], 1);
	world_free(&w);
}
END_TEST

/* The keepalive event of the daemon's raw observer (IKE_EV_KEEPALIVE)
 * counts like a 0xFF datagram; from an endpoint no SA has, nothing. */
START_TEST(test_keepalive_event)
{
	struct nat_opts o = { .beh = SIM_NAT_EI, .rw_keepalive_s = 100000 };
	struct world w;
	static struct ike_sa_status s;
	struct ike_event ev = { .type = IKE_EV_KEEPALIVE };

	world_init(&w, &o);
	up(&w);
	gw_sa(&w, &s);
	ck_assert_uint_eq(s.nat.ka_count, 0);
	ev.u.dgram.local = s.local;
	ev.u.dgram.remote = s.remote;
	peer_event(&w.gw, &ev);
	sim_net_run(w.net, sim_net_now(w.net) + 15000, 100000);
	peer_event(&w.gw, &ev);
	sim_addr4(&ev.u.dgram.remote, NAT, 1);
	peer_event(&w.gw, &ev); /* nobody's */
	gw_sa(&w, &s);
	ck_assert_uint_eq(s.nat.ka_count, 2);
	ck_assert_uint_eq(s.nat.ka_interval_ms, 15000);
	/* Read in a batch (the daemon drains its observer every 2 s): the
	 * time the kernel received it counts, not the time of the event. */
	ev.u.dgram.remote = s.remote;
	sim_net_run(w.net, sim_net_now(w.net) + 20000, 100000);
	ev.u.dgram.rx_ms = sim_net_now(w.net) - 4000;
	peer_event(&w.gw, &ev);
	gw_sa(&w, &s);
	ck_assert_uint_eq(s.nat.ka_count, 3);
	ck_assert_uint_eq(s.nat.ka_interval_ms, 16000);
	/* A receive time after the event's (a clock step): the event's. */
	sim_net_run(w.net, sim_net_now(w.net) + 10000, 100000);
	ev.u.dgram.rx_ms = sim_net_now(w.net) + 5000;
	peer_event(&w.gw, &ev);
	gw_sa(&w, &s);
	ck_assert_uint_eq(s.nat.ka_count, 4);
	ck_assert_uint_eq(s.nat.ka_interval_ms, 14000);
	world_free(&w);
}
END_TEST

/* The gw rekeys Phase 1 (short lifetime): the new IKE SA of the same peer
 * carries the history of mapping changes and the keepalive counts. */
START_TEST(test_history_carried_over_rekey)
{
	struct nat_opts o = {
		.beh = SIM_NAT_APD, .timeout_ms = 45000, .rw_keepalive_s = 100000, .rw_dpd_s = 60
	};
	struct world w;
	static struct ike_sa_status s;
	uint32_t first_serial;

	world_init(&w, &o);
	w.rwc.ike_lifetime_s = 300;
	w.rwc.rekey_margin_s = 60;
	w.rwc.rekey_fuzz_pct = 0;
	peer_free(&w.rw);
	{
		struct ike_engine_cfg rcfg = { .conns = &w.rwc, .n_conns = 1 };

		ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw), 0);
	}
	up(&w);
	gw_sa(&w, &s);
	first_serial = s.serial;
	/* The rw rekeys between 180 s and 240 s (margin 60 s plus fuzz). */
	sim_net_run(w.net, 170000, 10000000);
	gw_sa(&w, &s);
	ck_assert_uint_eq(s.serial, first_serial);
	ck_assert_uint_ge(s.nat.remaps, 2);
	while (s.serial == first_serial && sim_net_now(w.net) < 290000) {
		sim_net_run(w.net, sim_net_now(w.net) + 1000, 10000000);
		gw_sa(&w, &s);
	}
	ck_assert_uint_ne(s.serial, first_serial);
	/* A few seconds old: its own NAT-D and legs, the old SA's history. */
	ck_assert_uint_ge(s.nat.remaps, 2);
	ck_assert_ptr_nonnull(s.nat.hist);
	ck_assert_uint_ge(s.nat.hist->n, 2);
	ck_assert_uint_ge(s.nat_diag.binding_ms, 59000);
	ck_assert_uint_le(s.nat.established_ms, 1000);
	/* The audit warned on the first SA; the successor does not repeat it. */
	sim_net_run(w.net, 600000, 10000000);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_NAT_AUDIT], 1);
	world_free(&w);
}
END_TEST

/* 25 road warriors behind one NAT, none keeping alive, all up at once:
 * each is warned once, at most 20 warnings in one second (the rest a
 * second later), none again later. */
START_TEST(test_audit_rate_limited)
{
	enum {
		N = 25
	};
	struct nat_opts o = { .beh = SIM_NAT_EI, .rw_keepalive_s = 100000 };
	struct world w;
	static struct peer rws[N];
	static struct ike_conn_cfg rwc[N];
	uint64_t t0;
	unsigned n60;

	world_init(&w, &o);
	for (int i = 0; i < N; i++) {
		struct ike_engine_cfg rcfg = { .conns = &rwc[i], .n_conns = 1 };
		char addr[32], id[32];

		snprintf(addr, sizeof(addr), "10.0.1.%d", i + 10);
		snprintf(id, sizeof(id), "rw%d.example", i);
		conn_psk(&rwc[i], "gw", addr, GW, "group secret");
		rwc[i].local_id.type = 2;
		rwc[i].local_id.len = (uint8_t)strlen(id);
		memcpy(rwc[i].local_id.data, id, rwc[i].local_id.len);
		rwc[i].keepalive_s = 100000;
		peer_init(&rws[i], "rwN", w.net, addr, true, &rcfg);
		rws[i].next_spi = 0xe0000100u + 0x100u * (uint32_t)i;
	}
	t0 = sim_net_now(w.net);
	for (int i = 0; i < N; i++)
		peer_initiate(&rws[i], 0);
	sim_net_run(w.net, t0 + 5000, 10000000);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, N);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_NAT_AUDIT], 0);
	/* All established within 100 ms: all due 60 s later, in one second. */
	sim_net_run(w.net, t0 + 60500, 10000000);
	n60 = w.gw.reasons[IKE_R_NAT_AUDIT];
	ck_assert_uint_eq(n60, 20);
	/* The other 5 a second later. */
	sim_net_run(w.net, t0 + 61500, 10000000);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_NAT_AUDIT], N);
	sim_net_run(w.net, t0 + 400000, 10000000);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_NAT_AUDIT], N);
	for (int i = 0; i < N; i++)
		peer_free(&rws[i]);
	world_free(&w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("engine_natfacts");
	TCase *tc = tcase_create("natfacts");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_port_preserved);
	tcase_add_test(tc, test_port_not_preserved);
	tcase_add_test(tc, test_split_nat);
	tcase_add_test(tc, test_cgn_identity);
	tcase_add_test(tc, test_forced_encap_faked);
	tcase_add_test(tc, test_rebind_after_idle);
	tcase_add_test(tc, test_keepalives_counted);
	tcase_add_test(tc, test_keepalives_too_slow);
	tcase_add_test(tc, test_keepalive_event);
	tcase_add_test(tc, test_history_carried_over_rekey);
	tcase_add_test(tc, test_audit_rate_limited);
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
