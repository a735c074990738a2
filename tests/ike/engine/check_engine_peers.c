// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A gateway for many road warriors (issue 14): whatever one peer causes
 * stays with that peer's SAs, nothing is acted on before Phase 1
 * authentication, replays delete and move nothing, and no kernel deletion
 * is lost however many peers one teardown concerns.
 *
 * Three road warriors behind one NAT on the gateway's single %any
 * connection (one group PSK, an identity each), and attackers: a party that
 * never authenticates, a replayer, an authenticated road warrior naming
 * another one's SA. The fake kernel of the harness keeps what would be
 * installed, so "only its SAs went" and "nothing is left" are checked on the
 * kernel's state, not on counters.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ike/engine_int.h"
#include "ike/v1/ikev1_exchanges.h"
#include "ike/wire/isakmp.h"
#include "natt/endpoint.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/sim/nat.h"

#define GW	  "198.51.100.1"
#define NAT	  "203.0.113.7"
#define ELSEWHERE "192.0.2.99" /* an address no road warrior uses */
#define NRW_MAX	  4

/* rw[3] is the attacker of the Aggressive Mode test: it claims rw2's identity. */
static const char *const rw_addr[NRW_MAX] = { "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.9" };
static const char *const rw_name[NRW_MAX] = { "rw1.example", "rw2.example", "rw3.example",
					      "rw2.example" };

struct world {
	struct sim_net *net;
	struct sim_nat *nat;
	struct ike_conn_cfg gwc, rwc[NRW_MAX];
	struct peer gw, rw[NRW_MAX];
	int nrw;
	/* The fault hook: */
	const char *silent;    /* drop everything this inside address sends */
	const char *drop_from; /* drop what this address sends after ... */
	unsigned drop_after;   /* ... its first drop_after datagrams */
	unsigned drop_seen;
	const char *cap_from; /* capture the first datagram of exchange cap_exch from here */
	uint8_t cap_exch;
	bool cap_drop; /* and do not deliver it */
	bool captured;
	struct sim_dgram cap;
};

static void set_fqdn(struct ike_id *id, const char *name)
{
	id->type = 2;
	id->len = (uint8_t)strlen(name);
	memcpy(id->data, name, id->len);
}

/* The ISAKMP exchange type of a datagram (after the non-ESP marker), or 0. */
static uint8_t exch_of(const struct sim_dgram *d)
{
	size_t off = d->len > 4 && !d->buf[0] && !d->buf[1] && !d->buf[2] && !d->buf[3] ? 4 : 0;

	return d->len >= off + ISAKMP_HDR_LEN ? d->buf[off + 18] : 0;
}

static void tap(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	struct world *w = ctx;
	char a[INET_ADDRSTRLEN];

	(void)index;
	if (d->src.ss_family != AF_INET)
		return;
	inet_ntop(AF_INET, &((const struct sockaddr_in *)&d->src)->sin_addr, a, sizeof(a));
	if (w->silent && !strcmp(a, w->silent)) {
		f->drop = true;
		return;
	}
	if (w->drop_from && !strcmp(a, w->drop_from) && ++w->drop_seen > w->drop_after) {
		f->drop = true;
		return;
	}
	if (w->cap_from && !w->captured && !strcmp(a, w->cap_from) && d->len > 1 &&
	    exch_of(d) == w->cap_exch) {
		w->cap = *d;
		w->captured = true;
		f->drop = w->cap_drop;
	}
}

/* gw (%any, group PSK) <- NAT (endpoint-independent) <- nrw road warriors. */
static struct world *world_new(int nrw, bool aggressive)
{
	struct world *w = calloc(1, sizeof(*w));
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct sim_nat_cfg nc;

	ck_assert_ptr_nonnull(w);
	w->nrw = nrw;
	conn_psk(&w->gwc, "gw-any", GW, NULL, "group secret");
	/* What their private addresses need (virtual-private= + vhost:%priv). */
	conn_client_allow(&w->gwc, "10.0.0.0", 8);
	w->gwc.client_hosts_only = true;
	w->gwc.aggressive = w->gwc.aggr_psk_responder = aggressive;
	w->net = sim_net_new(14, 10);
	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, NAT, 0);
	nc.mapping = SIM_NAT_EI;
	nc.filtering = SIM_NAT_EI;
	nc.seed = 7;
	w->nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(w->nat);
	harness_nat_attach(w->net, w->nat);
	sim_net_fault_set(w->net, tap, w);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	for (int i = 0; i < nrw; i++) {
		struct ike_engine_cfg rcfg = { .conns = &w->rwc[i], .n_conns = 1 };

		conn_psk(&w->rwc[i], "rw-gw", rw_addr[i], GW, "group secret");
		w->rwc[i].aggressive = aggressive;
		set_fqdn(&w->rwc[i].local_id, rw_name[i]);
		peer_init(&w->rw[i], "rw", w->net, rw_addr[i], true, &rcfg);
		w->rw[i].next_spi = 0xd0000100u + 0x1000u * (uint32_t)i;
	}
	return w;
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	for (int i = 0; i < w->nrw; i++)
		peer_free(&w->rw[i]);
	sim_nat_free(w->nat);
	sim_net_free(w->net);
	free(w);
}

static void run_for(struct world *w, uint64_t ms)
{
	sim_net_run(w->net, sim_net_now(w->net) + ms, 10000000);
}

/* Bring up road warriors [0, n) one after the other. */
static void world_up(struct world *w, int n)
{
	for (int i = 0; i < n; i++) {
		peer_initiate(&w->rw[i], 0);
		run_for(w, 3000);
	}
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, (unsigned)n);
}

static bool id_is(const struct ike_id *id, const char *name)
{
	return id->type == 2 && id->len == strlen(name) && !memcmp(id->data, name, id->len);
}

/* The gw's newest established IKE SA authenticated as @name. */
static struct ike_sa *gw_ike(const struct world *w, const char *name)
{
	struct ike_sa *best = NULL;

	for (struct ike_sa *sa = w->gw.eng->sas; sa; sa = sa->next)
		if (ikev1_state_info(sa->x.state)->established && id_is(&sa->peer_id, name) &&
		    (!best || sa->x.serial > best->x.serial))
			best = sa;
	return best;
}

static unsigned gw_ike_count(const struct world *w, const char *name)
{
	unsigned n = 0;

	for (struct ike_sa *sa = w->gw.eng->sas; sa; sa = sa->next)
		n += ikev1_state_info(sa->x.state)->established && id_is(&sa->peer_id, name);
	return n;
}

/* The installed IPsec SA of an engine with @name as peer (NULL: any). */
static struct ipsec_sa *child_of(const struct peer *p, const char *name)
{
	for (struct ipsec_sa *c = p->eng->children; c; c = c->next)
		if (c->installed && !c->replaced && (!name || id_is(&c->peer_id, name)))
			return c;
	return NULL;
}

static bool kernel_has_spi(const struct peer *p, uint32_t spi)
{
	for (unsigned i = 0; i < p->k.n_sa; i++)
		if (p->k.sa[i].spi == spi)
			return true;
	return false;
}

/* Every road warrior's tunnel is in the gw's kernel: both SAs (our inbound
 * SPI, the road warrior's inbound SPI) and its three policies. */
static void assert_gw_has(const struct world *w, int i)
{
	const struct ipsec_sa *c = child_of(&w->rw[i], NULL);
	char src[INET_ADDRSTRLEN];

	ck_assert_ptr_nonnull(c);
	ck_assert(kernel_has_spi(&w->gw, c->spi_in));
	ck_assert(kernel_has_spi(&w->gw, c->spi_out));
	inet_ntop(AF_INET, &((const struct sockaddr_in *)&w->rwc[i].local)->sin_addr, src,
		  sizeof(src));
	ck_assert_ptr_nonnull(peer_kernel_out_policy(&w->gw, "198.51.100.1", src));
}

static uint16_t port_of(const union ike_ep *ep)
{
	return ntohs(ep->in.sin_port);
}

/* Feed @d to the gw as if it came from @from:@port to its port 4500. */
static void inject(struct world *w, const struct sim_dgram *d, const char *from, uint16_t port)
{
	struct ike_event ev = { .type = IKE_EV_DGRAM };

	sim_addr4(&ev.u.dgram.remote, from, port);
	sim_addr4(&ev.u.dgram.local, GW, 4500);
	ev.u.dgram.buf = d->buf;
	ev.u.dgram.len = d->len;
	peer_event(&w->gw, &ev);
}

/* Send what an engine's internals build (an attacker's crafted message). */
static void send_built(struct peer *p, void (*build)(struct peer *, void *, struct ike_actions *),
		       void *arg)
{
	struct ike_actions *out = malloc(sizeof(*out));

	ck_assert_ptr_nonnull(out);
	ike_actions_init(out);
	build(p, arg, out);
	peer_process(p, out);
	ike_actions_wipe(out);
	free(out);
}

static void build_ic(struct peer *p, void *arg, struct ike_actions *out)
{
	info_send_notify(p->eng, arg, ISAKMP_N_INITIAL_CONTACT, NULL, 0, sim_net_now(p->net), out);
}

static void build_auth_failed(struct peer *p, void *arg, struct ike_actions *out)
{
	info_send_notify(p->eng, arg, ISAKMP_N_AUTHENTICATION_FAILED, NULL, 0, sim_net_now(p->net),
			 out);
}

/*
 * One of three road warriors goes silent: DPD (clear) declares it dead and
 * removes its SAs and policies, and only those. Fails on 415b781: dpd_dead()
 * deleted every IPsec SA of the connection (0 left).
 */
START_TEST(test_dpd_dead_only_its_peer)
{
	struct world *w = world_new(3, false);

	w->gwc.dpd_delay_s = 5;
	w->gwc.dpd_timeout_s = 20;
	w->gwc.dpd_action = IKE_DPD_CLEAR;
	ck_assert_int_eq(peer_renew(&w->gw, &w->gwc), 0);
	world_up(w, 3);
	ck_assert_uint_eq(w->gw.k.n_sa, 6);
	ck_assert_uint_eq(w->gw.k.n_pol, 9);
	w->silent = rw_addr[1];
	run_for(w, 60000);
	ck_assert_uint_eq(w->gw.reasons[IKE_R_DPD_DEAD], 1);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 2);
	ck_assert_ptr_null(gw_ike(w, rw_name[1]));
	ck_assert_ptr_nonnull(gw_ike(w, rw_name[0]));
	ck_assert_ptr_nonnull(gw_ike(w, rw_name[2]));
	/* The kernel: rw1's and rw3's tunnels in, rw2's SAs and policies out. */
	ck_assert_uint_eq(w->gw.k.n_sa, 4);
	ck_assert_uint_eq(w->gw.k.n_pol, 6);
	assert_gw_has(w, 0);
	assert_gw_has(w, 2);
	ck_assert(!kernel_has_spi(&w->gw, child_of(&w->rw[1], NULL)->spi_in));
	ck_assert_ptr_null(peer_kernel_out_policy(&w->gw, GW, rw_addr[1]));
	ck_assert_uint_eq(w->gw.dropped, 0);
	world_free(w);
}
END_TEST

/*
 * The gw rekeys rw1's IPsec SA as responder (rw1 has rekey=no) and rw1 does
 * not answer; meanwhile rw2 connects. rw2's first IPsec SA replaces nothing
 * of rw1's. Failed on e1c4e30: a new IPsec SA without a named predecessor
 * replaced any SA of the connection being rekeyed, so rw1's SA was deleted
 * (and a Delete for it sent to rw2).
 */
START_TEST(test_rekey_of_one_peer_not_taken_by_another)
{
	struct world *w = world_new(2, false);
	const struct ipsec_sa *c;
	uint32_t spi_in, spi_out;

	w->gwc.rekey_margin_s = 60;
	w->gwc.rekey_fuzz_pct = 0;
	ck_assert_int_eq(peer_renew(&w->gw, &w->gwc), 0);
	w->rwc[0].ipsec_lifetime_s = 600;
	w->rwc[0].no_rekey = true;
	ck_assert_int_eq(peer_renew(&w->rw[0], &w->rwc[0]), 0);
	world_up(w, 1);
	c = child_of(&w->gw, rw_name[0]);
	ck_assert_ptr_nonnull(c);
	spi_in = c->spi_in;
	spi_out = c->spi_out;
	/* The gw's rekey as responder starts 30 s before the end; rw1 is
	 * silent from just before, so that Quick Mode stays open. */
	run_for(w, 560000);
	w->silent = rw_addr[0];
	for (int i = 0; i < 30 && !peer_log_has(&w->gw, "(as responder: the initiator did not)");
	     i++)
		run_for(w, 1000);
	ck_assert(peer_log_has(&w->gw, "(as responder: the initiator did not)"));
	peer_initiate(&w->rw[1], 0);
	run_for(w, 3000);
	ck_assert_ptr_nonnull(child_of(&w->gw, rw_name[1]));
	/* rw1's SA is still the gw's, in its kernel, not replaced. */
	c = child_of(&w->gw, rw_name[0]);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->spi_in, spi_in);
	ck_assert(kernel_has_spi(&w->gw, spi_in));
	ck_assert(kernel_has_spi(&w->gw, spi_out));
	world_free(w);
}
END_TEST

/*
 * An authenticated road warrior sends a Delete naming another road
 * warrior's SPI (rw1's Delete carries rw2's inbound SPI): the gw deletes
 * nothing of rw2's. Fails on 415b781: Delete by SPI checked only the
 * connection, and rw2's tunnel went.
 */
START_TEST(test_delete_of_another_peers_spi)
{
	struct world *w = world_new(3, false);
	struct ike_event t = { .type = IKE_EV_TERMINATE, .u.conn = 0 };
	struct ipsec_sa *c1;
	uint32_t rw2_in;

	world_up(w, 3);
	c1 = child_of(&w->rw[0], NULL);
	rw2_in = child_of(&w->rw[1], NULL)->spi_in;
	/* rw1 "deletes" its SA, naming rw2's SPI instead of its own. */
	sa_ipsec_set_spi(w->rw[0].eng, c1, true, rw2_in);
	peer_event(&w->rw[0], &t);
	run_for(w, 2000);
	ck_assert_ptr_nonnull(child_of(&w->gw, rw_name[1]));
	ck_assert(kernel_has_spi(&w->gw, rw2_in));
	assert_gw_has(w, 1);
	assert_gw_has(w, 2);
	ck_assert_uint_eq(peer_status(&w->rw[1]).ipsec_sas, 1);
	ck_assert(peer_log_has(&w->gw, "Delete for unknown SPI"));
	world_free(w);
}
END_TEST

/*
 * Aggressive Mode: a party claims rw2's identity in AM1, gets AM2 and never
 * sends AM3 (never authenticates), then sends a protected INITIAL-CONTACT
 * with the keys of its half-open SA. The gw must not act on it, and must
 * not even hold the claimed identity as the SA's peer. Fails on 415b781:
 * the identity was taken from AM1, and rw2's IKE and IPsec SAs were
 * removed.
 */
START_TEST(test_nothing_before_authentication)
{
	struct world *w = world_new(4, true);
	unsigned ic0;
	struct ike_sa *att, *half = NULL;

	world_up(w, 3);
	ic0 = w->gw.reasons[IKE_R_INITIAL_CONTACT];
	/* The attacker's AM1 goes through; its AM3 and all after do not. */
	w->drop_from = rw_addr[3];
	w->drop_after = 1;
	peer_initiate(&w->rw[3], 0);
	run_for(w, 2000);
	att = w->rw[3].eng->sas;
	ck_assert_ptr_nonnull(att);
	for (struct ike_sa *sa = w->gw.eng->sas; sa; sa = sa->next)
		if (!memcmp(sa->cky_i, att->cky_i, IKE_COOKIE_LEN))
			half = sa;
	ck_assert_ptr_nonnull(half);
	ck_assert_int_eq(half->x.state, V1_AGGR_R1);
	/* Its protected INITIAL-CONTACT: the half-open SA's keys and Phase 1
	 * IV (derived from public values), a fresh M-ID. */
	memcpy(att->p1_iv, half->p1_iv, sizeof(att->p1_iv));
	w->drop_from = NULL;
	send_built(&w->rw[3], build_ic, att);
	run_for(w, 1000);
	ck_assert_uint_eq(w->gw.reasons[IKE_R_INITIAL_CONTACT], ic0);
	ck_assert_ptr_nonnull(gw_ike(w, rw_name[1]));
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 3);
	for (int i = 0; i < 3; i++)
		assert_gw_has(w, i);
	/* The identity of AM1 is a claim until AM3 verifies it. */
	ck_assert_uint_eq(half->peer_id.type, 0);
	/* What a half-open SA needs to die still works: an error notify
	 * ends it (and only it). */
	ck_assert_uint_eq(peer_status(&w->gw).ike_sas, 4);
	send_built(&w->rw[3], build_auth_failed, att);
	run_for(w, 1000);
	ck_assert_uint_eq(peer_status(&w->gw).ike_sas, 3);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 3);
	world_free(w);
}
END_TEST

/* rw1 probes the gw with DPD; the gw does not (so every Informational from
 * rw1 after the setup is an R-U-THERE). */
static struct world *world_dpd_rw1(void)
{
	struct world *w = world_new(3, false);

	w->rwc[0].dpd_delay_s = 5;
	ck_assert_int_eq(peer_renew(&w->rw[0], &w->rwc[0]), 0);
	world_up(w, 3);
	return w;
}

static void capture_rw1_info(struct world *w, bool drop)
{
	w->cap_from = rw_addr[0];
	w->cap_exch = ISAKMP_XCHG_INFO;
	w->cap_drop = drop;
	for (int i = 0; i < 200 && !w->captured; i++)
		run_for(w, 100);
	ck_assert(w->captured);
	w->cap_from = NULL;
}

/*
 * A recorded R-U-THERE of rw1, replayed from another port: the gw neither
 * answers it as new liveness nor moves rw1's SAs there. Fails on 415b781:
 * the replay was "authenticated IKE from a new endpoint" and moved rw1's
 * IKE and IPsec SAs to the attacker's port.
 */
START_TEST(test_replayed_informational_moves_nothing)
{
	struct world *w = world_dpd_rw1();
	struct ike_sa *s1;
	uint16_t port;

	capture_rw1_info(w, false);
	run_for(w, 500); /* the original arrived and was answered */
	s1 = gw_ike(w, rw_name[0]);
	port = port_of(&s1->remote);
	inject(w, &w->cap, NAT, (uint16_t)(port + 1000));
	ck_assert_uint_eq(w->gw.reasons[IKE_R_MAPPING_CHANGED], 0);
	ck_assert_uint_eq(w->gw.n_move, 0);
	ck_assert_uint_eq(port_of(&gw_ike(w, rw_name[0])->remote), port);
	ck_assert(peer_log_has(&w->gw, "replayed Informational"));
	run_for(w, 30000);
	ck_assert_uint_eq(w->rw[0].reasons[IKE_R_DPD_DEAD], 0);
	for (int i = 0; i < 3; i++)
		assert_gw_has(w, i);
	world_free(w);
}
END_TEST

/*
 * rw1's QM1 recorded during the setup, replayed from another port once rw1
 * rekeyed that IPsec SA (the old one, and its exchange, are gone): the gw
 * starts no new Quick Mode (no SPI, no DH, no QM2 to answer) and moves
 * nothing. Fails on 415b781: the replay ran Quick Mode again and its
 * "authenticated" message moved rw1's SAs.
 */
START_TEST(test_replayed_quick_mode_does_nothing)
{
	struct world *w = world_new(3, false);
	unsigned spi0, sent0;
	uint16_t port;

	w->cap_from = rw_addr[0];
	w->cap_exch = ISAKMP_XCHG_QUICK;
	world_up(w, 3);
	ck_assert(w->captured);
	w->cap_from = NULL;
	{
		struct ike_actions *out = malloc(sizeof(*out));
		struct ipsec_sa *old = child_of(&w->rw[0], NULL);

		ike_actions_init(out);
		old->rekeying = true;
		quick_start(w->rw[0].eng, w->rw[0].eng->sas, old, sim_net_now(w->net), out);
		peer_process(&w->rw[0], out);
		ike_actions_wipe(out);
		free(out);
	}
	run_for(w, 3000);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 3);
	port = port_of(&gw_ike(w, rw_name[0])->remote);
	spi0 = w->gw.n_spi_alloc;
	sent0 = w->gw.sent;
	inject(w, &w->cap, NAT, (uint16_t)(port + 1000));
	run_for(w, 2000);
	ck_assert_uint_eq(w->gw.reasons[IKE_R_MAPPING_CHANGED], 0);
	ck_assert_uint_eq(port_of(&gw_ike(w, rw_name[0])->remote), port);
	ck_assert_uint_eq(w->gw.n_spi_alloc, spi0);
	ck_assert_uint_eq(w->gw.sent, sent0);
	ck_assert(peer_log_has(&w->gw, "replayed Quick Mode"));
	for (int i = 0; i < 3; i++)
		assert_gw_has(w, i);
	world_free(w);
}
END_TEST

/*
 * rw1's genuine (never seen) R-U-THERE arrives from another address: an
 * IKE message alone may move the port, not the address. ESP from that
 * address verified by the kernel (an XFRM MAPPING event) does. Fails on
 * 415b781: the IKE message alone moved rw1's SAs to the new address.
 */
START_TEST(test_new_address_needs_verified_esp)
{
	struct world *w = world_dpd_rw1();
	struct ike_event ev = { .type = IKE_EV_KERNEL };
	const struct ipsec_sa *g1;
	struct ike_sa *s1;
	char a[INET_ADDRSTRLEN];

	capture_rw1_info(w, true);
	inject(w, &w->cap, ELSEWHERE, 4500);
	ck_assert_uint_eq(w->gw.reasons[IKE_R_MAPPING_CHANGED], 0);
	s1 = gw_ike(w, rw_name[0]);
	inet_ntop(AF_INET, &s1->remote.in.sin_addr, a, sizeof(a));
	ck_assert_str_eq(a, NAT);
	ck_assert(peer_log_has(&w->gw, "a new address needs verified ESP"));
	/* Verified ESP from there: the kernel's MAPPING event moves it. */
	g1 = child_of(&w->gw, rw_name[0]);
	ev.u.kernel.type = XK_EV_MAPPING;
	sa_ep_to_xk(&g1->local, &ev.u.kernel.u.mapping.dst);
	ev.u.kernel.u.mapping.spi = g1->spi_in;
	sa_ep_to_xk(&g1->remote, &ev.u.kernel.u.mapping.old_addr);
	ev.u.kernel.u.mapping.old_port = port_of(&g1->remote);
	ev.u.kernel.u.mapping.new_addr.family = XK_AF_INET;
	inet_pton(AF_INET, ELSEWHERE, ev.u.kernel.u.mapping.new_addr.bytes);
	ev.u.kernel.u.mapping.new_port = 4500;
	peer_event(&w->gw, &ev);
	ck_assert_uint_eq(w->gw.reasons[IKE_R_MAPPING_CHANGED], 1);
	inet_ntop(AF_INET, &gw_ike(w, rw_name[0])->remote.in.sin_addr, a, sizeof(a));
	ck_assert_str_eq(a, ELSEWHERE);
	/* Only rw1's SAs moved (3 policies with their SAs). */
	ck_assert_uint_eq(w->gw.n_move, 3);
	world_free(w);
}
END_TEST

/*
 * rw1 rekeys Phase 1 (IKE SA B beside the old A); a minute later an
 * INITIAL-CONTACT arrives on the old A (a replayed or belated one). It
 * must not delete B. Fails on 415b781: INITIAL-CONTACT was honoured at any
 * time and removed every other SA of the identity, newer ones included.
 */
START_TEST(test_late_initial_contact_on_old_sa)
{
	struct world *w = world_new(3, false);
	struct ike_sa *a;

	world_up(w, 3);
	a = w->rw[0].eng->sas;
	ck_assert_ptr_nonnull(a);
	{
		struct ike_actions *out = malloc(sizeof(*out));

		ike_actions_init(out);
		ikev1_phase1_start(w->rw[0].eng, 0, a, sim_net_now(w->net), out);
		peer_process(&w->rw[0], out);
		ike_actions_wipe(out);
		free(out);
	}
	run_for(w, 5000);
	ck_assert_uint_eq(gw_ike_count(w, rw_name[0]), 2);
	run_for(w, 60000);
	send_built(&w->rw[0], build_ic, a);
	run_for(w, 1000);
	ck_assert_uint_eq(gw_ike_count(w, rw_name[0]), 2);
	for (int i = 0; i < 3; i++)
		assert_gw_has(w, i);
	ck_assert(peer_log_has(&w->gw, "INITIAL-CONTACT ignored"));
	world_free(w);
}
END_TEST

/*
 * The admin drops one road warrior (IKE_EV_TERMINATE_PEER with the serial
 * of its IKE SA, as `natkeyctl down CONN PEER` does): it hears its Deletes,
 * its SAs and policies leave the gw's kernel, the two others stay up.
 * Fails on 415b781: no such event; the only admin action was the whole
 * connection.
 */
START_TEST(test_terminate_one_peer)
{
	struct world *w = world_new(3, false);
	struct ike_event t = { .type = IKE_EV_TERMINATE_PEER };

	world_up(w, 3);
	t.u.serial = gw_ike(w, rw_name[1])->x.serial;
	peer_event(&w->gw, &t);
	run_for(w, 2000);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 2);
	ck_assert_ptr_null(gw_ike(w, rw_name[1]));
	ck_assert_uint_eq(peer_status(&w->rw[1]).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w->rw[1]).ike_sas, 0);
	ck_assert_uint_eq(w->gw.k.n_sa, 4);
	ck_assert_uint_eq(w->gw.k.n_pol, 6);
	assert_gw_has(w, 0);
	assert_gw_has(w, 2);
	ck_assert_uint_eq(peer_status(&w->rw[0]).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w->rw[2]).ipsec_sas, 1);
	world_free(w);
}
END_TEST

/* ---- a thousand road warriors ---- */

#define CROWD 1000

static void crowd_addr(unsigned i, char *buf, size_t cap)
{
	snprintf(buf, cap, "10.1.%u.%u", i / 250, i % 250 + 1);
}

/* Drop every datagram from the address in @ctx (a road warrior that died). */
static void silence(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	struct sockaddr_storage dead;

	(void)index;
	sim_addr4(&dead, ctx, 0);
	f->drop = !memcmp(&((const struct sockaddr_in *)&d->src)->sin_addr,
			  &((const struct sockaddr_in *)&dead)->sin_addr, 4);
}

/*
 * 1,000 road warriors (one engine with a connection each, an address and an
 * identity each) on the gw's %any connection, DPD on the gw; one of them
 * dies and only its SAs and policies go (999 tunnels stay in the kernel);
 * then the gw's TERMINATE. Every
 * decided deletion must reach the kernel and every road warrior its
 * Delete: zero SAs and zero policies left. Fails on 415b781: one engine
 * call emitted at most 32 actions and dropped the rest while forgetting the
 * SAs (12 road warriors already left 14 of 24 SAs).
 */
START_TEST(test_teardown_of_1000_road_warriors)
{
	struct sim_net *net = sim_net_new(1, 5);
	struct ike_conn_cfg gwc, *rc = calloc(CROWD, sizeof(*rc));
	struct ike_engine_cfg gcfg = { .conns = &gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = rc, .n_conns = CROWD };
	struct ike_event t = { .type = IKE_EV_TERMINATE, .u.conn = 0 };
	struct peer *gw = calloc(1, sizeof(*gw)), *rws = calloc(1, sizeof(*rws));
	struct timespec t0, t1;
	char addr[32];
	size_t backlog;

	ck_assert(rc && gw && rws);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	conn_psk(&gwc, "gw-any", GW, NULL, "group secret");
	gwc.p1[0].group = IKE_DH_ECP_256;
	gwc.dpd_delay_s = 5;
	gwc.dpd_timeout_s = 20;
	for (unsigned i = 0; i < CROWD; i++) {
		char name[32];

		crowd_addr(i, addr, sizeof(addr));
		conn_psk(&rc[i], "rw", addr, GW, "group secret");
		rc[i].p1[0].group = IKE_DH_ECP_256;
		snprintf(name, sizeof(name), "rw%u.example", i);
		set_fqdn(&rc[i].local_id, name);
	}
	peer_init(gw, "gw", net, GW, false, &gcfg);
	crowd_addr(0, addr, sizeof(addr));
	peer_init(rws, "rws", net, addr, false, &rcfg);
	for (unsigned i = 1; i < CROWD; i++) {
		crowd_addr(i, addr, sizeof(addr));
		ck_assert_int_ge(peer_alias(rws, addr, false), 0);
	}
	for (unsigned i = 0; i < CROWD; i++) {
		peer_initiate(rws, i);
		if (i % 50 == 49)
			sim_net_run(net, sim_net_now(net) + 2000, 100000000);
	}
	sim_net_run(net, sim_net_now(net) + 10000, 100000000);
	ck_assert_uint_eq(peer_status(gw).ike_established, CROWD);
	ck_assert_uint_eq(peer_status(gw).ipsec_sas, CROWD);
	ck_assert_uint_eq(gw->k.n_sa, 2 * CROWD);
	ck_assert_uint_eq(gw->k.n_pol, 3 * CROWD);

	/* Road warrior 500 dies: DPD on the gw removes its tunnel, no other. */
	crowd_addr(500, addr, sizeof(addr));
	sim_net_fault_set(net, silence, addr);
	sim_net_run(net, sim_net_now(net) + 40000, 100000000);
	ck_assert_uint_eq(gw->reasons[IKE_R_DPD_DEAD], 1);
	ck_assert_uint_eq(peer_status(gw).ike_established, CROWD - 1);
	ck_assert_uint_eq(peer_status(gw).ipsec_sas, CROWD - 1);
	ck_assert_uint_eq(gw->k.n_sa, 2 * (CROWD - 1));
	ck_assert_uint_eq(gw->k.n_pol, 3 * (CROWD - 1));
	ck_assert_ptr_null(peer_kernel_out_policy(gw, GW, addr));
	crowd_addr(499, addr, sizeof(addr));
	ck_assert_ptr_nonnull(peer_kernel_out_policy(gw, GW, addr));
	sim_net_fault_set(net, NULL, NULL);

	peer_event(gw, &t);
	/* The teardown did not fit in one call: the rest waits in the backlog
	 * (the test would prove nothing otherwise). */
	backlog = gw->eng->backlog.n;
	ck_assert_uint_gt(backlog, 1000);
	sim_net_run(net, sim_net_now(net) + 10000, 100000000);
	ck_assert_uint_eq(peer_status(gw).ike_sas, 0);
	ck_assert_uint_eq(peer_status(gw).ipsec_sas, 0);
	ck_assert_uint_eq(gw->k.n_sa, 0);
	ck_assert_uint_eq(gw->k.n_pol, 0);
	ck_assert_uint_eq(gw->dropped, 0);
	/* Every living road warrior heard its Deletes (IPsec and IKE SA);
	 * the dead one still believes in its tunnel. */
	ck_assert_uint_eq(peer_status(rws).ipsec_sas, 1);
	ck_assert_uint_le(peer_status(rws).ike_sas, 1);
	ck_assert_uint_eq(rws->dropped, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr,
		"1000 road warriors up and torn down in %.1f s (backlog after the TERMINATE "
		"call: %zu actions, %zu KiB)\n",
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, backlog,
		backlog * sizeof(struct eng_pending) / 1024);
	peer_free(gw);
	peer_free(rws);
	sim_net_free(net);
	free(gw);
	free(rws);
	free(rc);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("engine_peers");
	TCase *tc = tcase_create("peers");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_dpd_dead_only_its_peer);
	tcase_add_test(tc, test_rekey_of_one_peer_not_taken_by_another);
	tcase_add_test(tc, test_delete_of_another_peers_spi);
	tcase_add_test(tc, test_nothing_before_authentication);
	tcase_add_test(tc, test_replayed_informational_moves_nothing);
	tcase_add_test(tc, test_replayed_quick_mode_does_nothing);
	tcase_add_test(tc, test_new_address_needs_verified_esp);
	tcase_add_test(tc, test_late_initial_contact_on_old_sa);
	tcase_add_test(tc, test_terminate_one_peer);
	tcase_add_test(tc, test_teardown_of_1000_road_warriors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
