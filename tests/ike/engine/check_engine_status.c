// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The engine's status read-out (ike/engine_status.h) after real
 * negotiations in the simulator: both ends are queried and every field is
 * held against an independent source: the configuration, the simulated
 * NAT's public address, the datagrams' endpoints and the kernel requests
 * the fake kernel recorded.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "ike/engine_status.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/sim/nat.h"

#define GW  "198.51.100.1"
#define NAT "203.0.113.7"
#define RW  "10.0.0.2"
#define RWP "192.0.2.2" /* the rw's public address when there is no NAT */

#define IKE_LIFE   3600
#define IPSEC_LIFE 1200
#define MARGIN	   120
#define FUZZ_PCT   50

static uint32_t rw_dpd_s; /* DPD on the rw (0 = off) */

struct world {
	struct sim_net *net;
	struct sim_nat *nat;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
};

static void lifetimes(struct ike_conn_cfg *c)
{
	c->ike_lifetime_s = IKE_LIFE;
	c->ipsec_lifetime_s = IPSEC_LIFE;
	c->rekey_margin_s = MARGIN;
	c->rekey_fuzz_pct = FUZZ_PCT;
}

/* gw (any peer) <- [NAT] <- rw, both PSK with the harness's suite but
 * AES-256 in Phase 1, run until the IPsec SA is up. */
static void world_run(struct world *w, bool nat, bool aggressive, enum sim_nat_behaviour beh)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };
	const char *rw_addr = nat ? RW : RWP;

	memset(w, 0, sizeof(*w));
	conn_psk(&w->gwc, "gw-any", GW, NULL, "group secret");
	conn_client_allow(&w->gwc, "10.0.0.0", 8); /* the road warrior's private network */
	w->gwc.client_hosts_only = true;	   /* vhost:%priv */
	conn_psk(&w->rwc, "rw-gw", rw_addr, GW, "group secret");
	w->gwc.aggressive = w->rwc.aggressive = aggressive;
	w->gwc.aggr_psk_responder = aggressive;
	w->gwc.p1[0].key_bits = w->rwc.p1[0].key_bits = 256;
	w->rwc.keepalive_s = 15;
	w->rwc.dpd_delay_s = rw_dpd_s;
	lifetimes(&w->gwc);
	lifetimes(&w->rwc);
	w->net = sim_net_new(33, 10);
	if (nat) {
		struct sim_nat_cfg nc;

		memset(&nc, 0, sizeof(nc));
		sim_addr4(&nc.pub, NAT, 0);
		nc.mapping = beh;
		nc.filtering = beh;
		nc.seed = 5;
		w->nat = sim_nat_new(&nc);
		ck_assert_ptr_nonnull(w->nat);
		harness_nat_attach(w->net, w->nat);
	}
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, rw_addr, nat, &rcfg);
	w->rw.next_spi = 0xd0000100u;
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w->rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 1);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	if (w->nat)
		sim_nat_free(w->nat);
	sim_net_free(w->net);
}

static const char *ss_ip(const struct sockaddr_storage *ss, char *buf)
{
	ck_assert_int_eq(ss->ss_family, AF_INET);
	return inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, buf,
			 INET_ADDRSTRLEN);
}

static uint16_t ss_port(const struct sockaddr_storage *ss)
{
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

/* The last SA the fake kernel installed in direction @inbound. */
static const struct xk_sa *kernel_sa(const struct peer *p, bool inbound)
{
	for (unsigned i = p->n_sa; i-- > 0;)
		if (p->sa_inbound[i] == inbound)
			return &p->sa[i];
	return NULL;
}

static struct ike_sa_status ike_one(const struct peer *p, uint64_t now)
{
	struct ike_sa_status s[4];

	ck_assert_uint_eq(ike_status_ike_list(p->eng, now, s, 4), 1);
	return s[0];
}

static struct ipsec_sa_status ipsec_one(const struct peer *p, uint64_t now)
{
	struct ipsec_sa_status s[4];

	ck_assert_uint_eq(ike_status_ipsec_list(p->eng, now, s, 4), 1);
	return s[0];
}

/* Lifetimes as configured: expiry = life - age, rekey in the jitter window
 * [life - margin - fuzz, life - margin] (ike/engine.c), for a responder at
 * life - margin / 2 (it rekeys only if the initiator has not). */
static void check_times(bool initiator, uint32_t life, uint32_t age, int64_t rekey_in,
			int64_t expire_in)
{
	int64_t margin = MARGIN, fuzz_max = MARGIN * FUZZ_PCT / 100;

	ck_assert_int_ge(expire_in + age, (int64_t)life - 1);
	ck_assert_int_le(expire_in + age, (int64_t)life);
	if (!initiator) {
		ck_assert_int_ge(rekey_in + age, (int64_t)life - margin / 2 - 1);
		ck_assert_int_le(rekey_in + age, (int64_t)life - margin / 2);
		return;
	}
	ck_assert_int_ge(rekey_in + age, (int64_t)life - margin - fuzz_max - 1);
	ck_assert_int_le(rekey_in + age, (int64_t)life - margin);
}

static void check_ike(const struct ike_sa_status *s, const struct ike_conn_cfg *c, bool initiator,
		      bool aggressive, uint64_t now)
{
	ck_assert_str_eq(s->conn, c->name);
	ck_assert_uint_eq(s->conn_index, 0);
	ck_assert(s->initiator == initiator);
	ck_assert(s->aggressive == aggressive);
	ck_assert(s->established);
	ck_assert(!s->deleting);
	ck_assert_str_eq(s->state, aggressive ? (initiator ? "AGGR_I2" : "AGGR_R2")
					      : (initiator ? "MAIN_I4" : "MAIN_R3"));
	ck_assert_str_eq(s->proposal, "AES-CBC-256/SHA2-256/MODP-2048/PSK");
	ck_assert_uint_eq(s->p1.cipher, IKE_CIPHER_AES_CBC);
	ck_assert_uint_eq(s->p1.key_bits, 256);
	ck_assert_uint_eq(s->p1.hash, IKE_HASH_SHA2_256);
	ck_assert_uint_eq(s->p1.group, IKE_DH_MODP_2048);
	ck_assert_uint_eq(s->auth, IKE_AUTH_PSK);
	ck_assert_uint_eq(s->method, NATT_METHOD_RFC3947);
	ck_assert_uint_eq(s->life_s, IKE_LIFE);
	/* Established in the first 5 simulated seconds. */
	ck_assert_uint_le(s->age_s, now / 1000);
	check_times(initiator, s->life_s, s->age_s, s->rekey_in_s, s->expire_in_s);
}

/* Main and Aggressive Mode x no NAT / endpoint-independent / APD NAT. */
START_TEST(test_ike_sa_fields)
{
	bool aggressive = _i & 1;
	int natv = _i >> 1; /* 0 none, 1 EI, 2 APD */
	bool nat = natv != 0;
	struct world w;
	struct ike_sa_status r, g;
	uint64_t now;
	const struct xk_sa *gw_out;
	char ip[INET_ADDRSTRLEN];

	world_run(&w, nat, aggressive, natv == 2 ? SIM_NAT_APD : SIM_NAT_EI);
	now = sim_net_now(w.net);
	r = ike_one(&w.rw, now);
	g = ike_one(&w.gw, now);
	check_ike(&r, &w.rwc, true, aggressive, now);
	check_ike(&g, &w.gwc, false, aggressive, now);
	/* Both ends name the same SA. */
	ck_assert_mem_eq(r.cky_i, g.cky_i, 8);
	ck_assert_mem_eq(r.cky_r, g.cky_r, 8);
	ck_assert_mem_ne(r.cky_r, "\0\0\0\0\0\0\0\0", 8);
	ck_assert(r.natt && g.natt);
	ck_assert_str_eq(r.natt_method, "RFC 3947");
	ck_assert_str_eq(g.natt_method, "RFC 3947");
	ck_assert(!r.force_encap && !g.force_encap);
	gw_out = kernel_sa(&w.gw, false);
	ck_assert_ptr_nonnull(gw_out);
	/* The authenticated identities: each end's IP address ID (local_id
	 * type 0), the road warrior's private one behind the NAT. */
	{
		char id[64];

		ck_assert_str_eq(ike_status_id_format(&g.peer_id, id, sizeof(id)), nat ? RW : RWP);
		ck_assert_str_eq(ike_status_id_format(&r.peer_id, id, sizeof(id)), GW);
	}
	if (nat) {
		/* RFC 3947 s3.2: each end knows which side is translated. */
		ck_assert(r.local_behind_nat && !r.peer_behind_nat);
		ck_assert(!g.local_behind_nat && g.peer_behind_nat);
		/* Floated to 4500 (RFC 3947 s4); the gw talks to the NAT's mapping,
		 * the same port its outbound ESP-in-UDP SA uses. */
		ck_assert(r.floated && g.floated);
		ck_assert_str_eq(ss_ip(&r.local, ip), RW);
		ck_assert_uint_eq(ss_port(&r.local), 4500);
		ck_assert_str_eq(ss_ip(&r.remote, ip), GW);
		ck_assert_uint_eq(ss_port(&r.remote), 4500);
		ck_assert_str_eq(ss_ip(&g.local, ip), GW);
		ck_assert_uint_eq(ss_port(&g.local), 4500);
		ck_assert_str_eq(ss_ip(&g.remote, ip), NAT);
		ck_assert_uint_eq(ss_port(&g.remote), gw_out->encap.dport);
		/* Only the side behind the NAT keeps the mapping alive. */
		ck_assert_uint_eq(r.keepalive_s, 15);
		ck_assert_uint_eq(g.keepalive_s, 0);
	} else {
		ck_assert(!r.local_behind_nat && !r.peer_behind_nat);
		ck_assert(!g.local_behind_nat && !g.peer_behind_nat);
		ck_assert(!r.floated && !g.floated);
		ck_assert_str_eq(ss_ip(&r.local, ip), RWP);
		ck_assert_uint_eq(ss_port(&r.local), 500);
		ck_assert_str_eq(ss_ip(&g.remote, ip), RWP);
		ck_assert_uint_eq(ss_port(&g.remote), 500);
		ck_assert_uint_eq(ss_port(&g.local), 500);
		ck_assert_uint_eq(r.keepalive_s, 0);
		ck_assert_uint_eq(g.keepalive_s, 0);
	}
	world_free(&w);
}
END_TEST

static void check_ipsec(const struct ipsec_sa_status *s, const struct peer *p, bool initiator,
			bool nat)
{
	const struct xk_sa *in = kernel_sa(p, true), *out = kernel_sa(p, false);
	char ip[INET_ADDRSTRLEN];

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	ck_assert(s->installed && !s->replaced && !s->rekeying);
	ck_assert(s->initiator == initiator);
	ck_assert_str_eq(s->state, initiator ? "QUICK_I2" : "QUICK_R2");
	/* The SPIs and reqid are those the engine asked the kernel to install. */
	ck_assert_uint_eq(s->spi_in, in->spi);
	ck_assert_uint_eq(s->spi_out, out->spi);
	ck_assert_uint_eq(s->reqid, in->reqid);
	ck_assert_uint_eq(s->reqid, out->reqid);
	ck_assert_uint_eq(s->mode, XK_MODE_TUNNEL);
	ck_assert_uint_eq(in->mode, XK_MODE_TUNNEL);
	ck_assert(s->udp_encap == nat);
	ck_assert(out->encap.enabled == nat);
	ck_assert_str_eq(s->encap, nat ? "UDP-Encapsulated-Tunnel" : "Tunnel");
	ck_assert_uint_eq(s->esp.enc, XK_ENC_AES_CBC);
	ck_assert_uint_eq(s->esp.key_bits, 128);
	ck_assert_uint_eq(s->esp.auth, XK_AUTH_HMAC_SHA1_96);
	ck_assert_uint_eq(s->pfs_group, 0);
	ck_assert_str_eq(s->proposal, "AES-CBC-128/HMAC-SHA1-96");
	ck_assert_uint_eq(s->life_s, IPSEC_LIFE);
	ck_assert_uint_eq(out->lft.hard_add_s, IPSEC_LIFE);
	/* Outer endpoints: the outbound SA's destination (and its UDP port). */
	ck_assert_mem_eq(&((const struct sockaddr_in *)&s->remote)->sin_addr, out->dst.bytes, 4);
	ck_assert_mem_eq(&((const struct sockaddr_in *)&s->local)->sin_addr, out->src.bytes, 4);
	if (nat)
		ck_assert_uint_eq(ss_port(&s->remote), out->encap.dport);
	(void)ip;
}

START_TEST(test_ipsec_sa_fields)
{
	bool nat = _i;
	struct world w;
	struct ipsec_sa_status r, g, r2;
	uint64_t now;

	world_run(&w, nat, false, SIM_NAT_EI);
	now = sim_net_now(w.net);
	r = ipsec_one(&w.rw, now);
	g = ipsec_one(&w.gw, now);
	check_ipsec(&r, &w.rw, true, nat);
	check_ipsec(&g, &w.gw, false, nat);
	/* Both ends agree: my inbound SPI is your outbound one. */
	ck_assert_uint_eq(r.spi_in, g.spi_out);
	ck_assert_uint_eq(r.spi_out, g.spi_in);
	ck_assert_uint_eq(r.spi_in & 0xffff0000u, 0xd0000000u); /* the rw's fake kernel */
	ck_assert_uint_eq(r.ike_serial, ike_one(&w.rw, now).serial);
	/* Selectors: host to host when none are configured. */
	ck_assert_uint_eq(r.local_ts.addr.family, XK_AF_INET);
	ck_assert_uint_eq(r.local_ts.plen, 32);
	ck_assert_uint_eq(r.remote_ts.plen, 32);
	ck_assert_mem_eq(r.remote_ts.addr.bytes, "\xc6\x33\x64\x01", 4); /* GW */
	ck_assert_mem_eq(g.local_ts.addr.bytes, "\xc6\x33\x64\x01", 4);
	ck_assert_mem_eq(g.remote_ts.addr.bytes, r.local_ts.addr.bytes, 4);
	check_times(true, r.life_s, r.age_s, r.rekey_in_s, r.expire_in_s);
	check_times(false, g.life_s, g.age_s, g.rekey_in_s, g.expire_in_s);
	/* Ages and deadlines move with the caller's clock, and only with it. */
	r2 = ipsec_one(&w.rw, now + 100000);
	ck_assert_uint_eq(r2.age_s, r.age_s + 100);
	ck_assert_int_eq(r2.expire_in_s, r.expire_in_s - 100);
	ck_assert_int_eq(r2.rekey_in_s, r.rekey_in_s - 100);
	ck_assert_uint_eq(r2.spi_in, r.spi_in);
	world_free(&w);
}
END_TEST

/* PFS and transport mode show up in the proposal and mode. */
START_TEST(test_ipsec_transport_pfs)
{
	struct world w;
	struct ike_engine_cfg gcfg, rcfg;
	struct ipsec_sa_status r;

	world_run(&w, true, false, SIM_NAT_EI);
	peer_free(&w.gw);
	peer_free(&w.rw);
	w.gwc.mode = w.rwc.mode = XK_MODE_TRANSPORT;
	w.gwc.pfs_group = w.rwc.pfs_group = IKE_DH_MODP_2048;
	w.gwc.p2[0] = w.rwc.p2[0] =
		(struct ike_p2_proposal){ XK_ENC_AES_GCM_16, 256, XK_AUTH_NONE };
	gcfg = (struct ike_engine_cfg){ .conns = &w.gwc, .n_conns = 1 };
	rcfg = (struct ike_engine_cfg){ .conns = &w.rwc, .n_conns = 1 };
	ck_assert_int_eq(peer_engine_new(&gcfg, &w.gw), 0);
	ck_assert_int_eq(peer_engine_new(&rcfg, &w.rw), 0);
	w.rw.n_sa = w.gw.n_sa = 0;
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 10000, 100000);
	r = ipsec_one(&w.rw, sim_net_now(w.net));
	ck_assert(r.installed);
	ck_assert_uint_eq(r.mode, XK_MODE_TRANSPORT);
	ck_assert(r.udp_encap);
	ck_assert_str_eq(r.encap, "UDP-Encapsulated-Transport");
	ck_assert_str_eq(r.proposal, "AES-GCM-16-256/MODP-2048");
	ck_assert_uint_eq(r.spi_in, kernel_sa(&w.rw, true)->spi);
	world_free(&w);
}
END_TEST

/* Before the peer answers: a negotiating SA with no proposal and no times. */
START_TEST(test_negotiating)
{
	struct world w;
	struct ike_sa_status s;
	struct ike_engine_cfg rcfg;

	memset(&w, 0, sizeof(w));
	conn_psk(&w.rwc, "rw-gw", RWP, GW, "group secret");
	rcfg = (struct ike_engine_cfg){ .conns = &w.rwc, .n_conns = 1 };
	w.net = sim_net_new(1, 10);
	peer_init(&w.rw, "rw", w.net, RWP, false, &rcfg); /* nobody at GW */
	peer_initiate(&w.rw, 0);
	s = ike_one(&w.rw, sim_net_now(w.net));
	ck_assert(!s.established);
	ck_assert_str_eq(s.state, "MAIN_I1");
	ck_assert_str_eq(s.proposal, "");
	ck_assert_str_eq(s.natt_method, "none");
	ck_assert_uint_eq(s.method, NATT_METHOD_NONE);
	ck_assert_uint_eq(s.auth, 0);
	ck_assert_int_eq(s.rekey_in_s, IKE_STATUS_NO_TIME);
	ck_assert_int_eq(s.expire_in_s, IKE_STATUS_NO_TIME);
	ck_assert_uint_eq(s.age_s, 0);
	ck_assert_uint_eq(s.peer_id.type, 0); /* nobody authenticated yet */
	ck_assert_uint_eq(ike_status_ipsec_list(w.rw.eng, 0, NULL, 0), 0);
	/* max smaller than the count: nothing written past it. */
	ck_assert_uint_eq(ike_status_ike_list(w.rw.eng, 0, NULL, 0), 1);
	peer_free(&w.rw);
	sim_net_free(w.net);
}
END_TEST

/* The NAT drops its bindings: the gw follows the authenticated new mapping
 * (RFC 3947 s7) and its read-out shows the new port. */
START_TEST(test_mapping_change)
{
	struct world w;
	struct ike_sa_status g;
	struct ipsec_sa_status gi;
	uint16_t old_port;

	rw_dpd_s = 10;
	world_run(&w, true, false, SIM_NAT_APD);
	rw_dpd_s = 0;
	sim_net_run(w.net, 15000, 100000);
	g = ike_one(&w.gw, sim_net_now(w.net));
	old_port = ss_port(&g.remote);
	sim_nat_reboot(w.nat);
	sim_net_run(w.net, 75000, 1000000);
	ck_assert_uint_ge(w.gw.n_move, 1);
	g = ike_one(&w.gw, sim_net_now(w.net));
	ck_assert_uint_ne(ss_port(&g.remote), old_port);
	ck_assert_uint_eq(ss_port(&g.remote), w.gw.move[0].new_encap.dport);
	gi = ipsec_one(&w.gw, sim_net_now(w.net));
	ck_assert_uint_eq(ss_port(&gi.remote), w.gw.move[0].new_encap.dport);
	world_free(&w);
}
END_TEST

/* Past the Quick Mode rekey: the newest pair carries the SPIs last
 * installed; any older pair still listed is marked replaced; the rekey
 * deadline is the new pair's. */
START_TEST(test_ipsec_rekey)
{
	struct world w;
	struct ipsec_sa_status v[4];
	size_t n;
	uint64_t now;

	world_run(&w, true, false, SIM_NAT_EI);
	sim_net_run(w.net, (IPSEC_LIFE - MARGIN + 30) * 1000ull, 1000000);
	now = sim_net_now(w.net);
	ck_assert_uint_ge(w.rw.reasons[IKE_R_IPSEC_ESTABLISHED], 2);
	n = ike_status_ipsec_list(w.rw.eng, now, v, 4);
	ck_assert_uint_ge(n, 1);
	ck_assert_uint_le(n, 2);
	ck_assert(v[0].installed && !v[0].replaced);
	ck_assert_uint_eq(v[0].spi_in, kernel_sa(&w.rw, true)->spi);
	ck_assert_uint_eq(v[0].spi_out, kernel_sa(&w.rw, false)->spi);
	ck_assert_uint_le(v[0].age_s, MARGIN + FUZZ_PCT * MARGIN / 100 + 30);
	check_times(true, v[0].life_s, v[0].age_s, v[0].rekey_in_s, v[0].expire_in_s);
	for (size_t i = 1; i < n; i++) {
		ck_assert(v[i].replaced);
		ck_assert_uint_ne(v[i].spi_in, v[0].spi_in);
	}
	/* The gw agrees on the current pair. */
	n = ike_status_ipsec_list(w.gw.eng, now, v + 2, 2);
	ck_assert_uint_ge(n, 1);
	ck_assert_uint_eq(v[2].spi_out, v[0].spi_in);
	ck_assert_uint_eq(v[2].spi_in, v[0].spi_out);
	world_free(&w);
}
END_TEST

START_TEST(test_format_table)
{
	static const struct {
		struct ike_p1_proposal p;
		uint16_t auth;
		const char *want;
	} p1[] = {
		{ { IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA1, IKE_DH_MODP_2048 },
		  IKE_AUTH_PSK,
		  "AES-CBC-128/SHA1/MODP-2048/PSK" },
		{ { IKE_CIPHER_3DES_CBC, 0, IKE_HASH_SHA2_512, IKE_DH_ECP_384 },
		  IKE_AUTH_RSA_SIG,
		  "3DES-CBC/SHA2-512/ECP-384/RSA-SIG" },
	};
	char buf[IKE_STATUS_PROPOSAL_MAX], small[8];
	struct ike_p2_proposal p2 = { XK_ENC_3DES_CBC, 0, XK_AUTH_HMAC_SHA512_256 };

	for (size_t i = 0; i < sizeof(p1) / sizeof(p1[0]); i++)
		ck_assert_str_eq(ike_status_p1_format(&p1[i].p, p1[i].auth, buf, sizeof(buf)),
				 p1[i].want);
	ck_assert_str_eq(ike_status_p2_format(&p2, 0, buf, sizeof(buf)),
			 "3DES-CBC/HMAC-SHA2-512-256");
	ck_assert_str_eq(ike_status_p2_format(&p2, IKE_DH_MODP_3072, small, sizeof(small)),
			 "3DES-CB");
}
END_TEST

/* Identities as ipsec.conf writes them. The DN's DER was made with Python
 * cryptography (x509.Name([C=CH, O=Example, CN=gw]).public_bytes()). */
static const struct {
	uint8_t type;
	uint8_t len;
	const char *data;
	size_t cap;
	const char *want;
} id_vecs[] = {
	{ 0, 0, "", 64, "%any" },
	{ 1, 4, "\xc0\x00\x02\x01", 64, "192.0.2.1" },
	{ 1, 3, "\xc0\x00\x02", 64, "%bad-address:c00002" },
	{ 5, 16, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 64, "2001:db8::1" },
	{ 2, 15, "gw.natkeyd.test", 64, "@gw.natkeyd.test" },
	{ 2, 5, "a\x1b[2J", 64, "@a?[2J" }, /* ESC never reaches a terminal */
	{ 3, 16, "rw@natkeyd.test\x80", 64, "rw@natkeyd.test?" },
	{ 2, 15, "gw.natkeyd.test", 10, "@gw.na..." }, /* truncated to 9, marked */
	{ 11, 3, "\x01\xab\xff", 64, "@#01abff" },
	{ 9, 46,
	  "\x30\x2c\x31\x0b\x30\x09\x06\x03\x55\x04\x06\x13\x02\x43\x48\x31\x10\x30\x0e\x06"
	  "\x03\x55\x04\x0a\x0c\x07\x45\x78\x61\x6d\x70\x6c\x65\x31\x0b\x30\x09\x06\x03\x55"
	  "\x04\x03\x0c\x02\x67\x77",
	  64, "C=CH, O=Example, CN=gw" },
	{ 9, 3, "\x30\x05\x31", 64, "%bad-dn:300531" }, /* DER shorter than it says */
	{ 4, 2, "\x0a\x00", 64, "%id4:0a00" },
};

START_TEST(test_id_format)
{
	struct ike_id id;
	char buf[64];

	memset(&id, 0, sizeof(id));
	id.type = id_vecs[_i].type;
	id.len = id_vecs[_i].len;
	memcpy(id.data, id_vecs[_i].data, id.len);
	memset(buf, 'X', sizeof(buf));
	ck_assert_str_eq(ike_status_id_format(&id, buf, id_vecs[_i].cap), id_vecs[_i].want);
	ck_assert_uint_lt(strlen(buf), id_vecs[_i].cap);
}
END_TEST

static Suite *status_suite(void)
{
	Suite *s = suite_create("engine_status");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_ike_sa_fields, 0, 6);
	tcase_add_loop_test(tc, test_ipsec_sa_fields, 0, 2);
	tcase_add_test(tc, test_ipsec_transport_pfs);
	tcase_add_test(tc, test_negotiating);
	tcase_add_test(tc, test_mapping_change);
	tcase_add_test(tc, test_ipsec_rekey);
	tcase_add_test(tc, test_format_table);
	tcase_add_loop_test(tc, test_id_format, 0, (int)(sizeof(id_vecs) / sizeof(id_vecs[0])));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(status_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
