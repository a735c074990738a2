// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XAUTH and Mode Config end to end (issue 16): a natkeyd gateway and
 * natkeyd road warriors (group PSK, XAUTH users, Mode Config from a pool,
 * Cisco Unity attributes) through a simulated NAT. Every state of both
 * conversations, wrong passwords with retries then failure (no SA, nothing
 * in the fake kernel), the verdict logged with the user and never the
 * password, an exhausted pool, a client and a daemon that never answer,
 * two clients behind one NAT with the same group identity each with its
 * own address, the kernel policies on the virtual addresses, sticky leases,
 * and hostile Transaction messages that change nothing.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/engine_status.h"
#include "ike/v1/ikev1_cfg.h"
#include "ike/v1/ikev1_exchanges.h"
#include "ike/ikev1_msg.h"
#include "ike/wire/isakmp_encode.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/engine_pki.h"
#include "tests/lib/sim/nat.h"

#define GW  "198.51.100.1"
#define NAT "203.0.113.7"

static const char *const rw_addr[3] = { "10.0.0.2", "10.0.0.3", "10.0.0.4" };
static uint32_t rw_half_open_ms; /* 0: the engine's default */

struct world {
	struct sim_net *net;
	struct sim_nat *nat;
	struct ike_conn_cfg gwc, rwc[3];
	struct peer gw, rw[3];
	int nrw;
};

/* The gateway: group PSK, XAUTH server, Mode Config server from
 * 10.3.0.1..(10.3.0.0 + size), Cisco Unity. */
static void gw_conn(struct ike_conn_cfg *c, uint32_t pool_size, bool push)
{
	conn_psk(c, "gw-xauth", GW, NULL, "group secret");
	harness_ts4(&c->local_ts, "10.9.0.0", 24);
	c->xauth = IKE_CFG_SERVER;
	c->modecfg = IKE_CFG_SERVER;
	c->modecfg_push = push;
	harness_addr4(&c->pool_first, "10.3.0.1");
	c->pool_size = pool_size;
	harness_addr4(&c->dns[0], "10.9.0.53");
	c->n_dns = 1;
	snprintf(c->domain, sizeof(c->domain), "corp.example");
	snprintf(c->banner, sizeof(c->banner), "Authorised users only");
	c->unity = true;
}

/* A road warrior: the group identity "vpngroup" (KEY_ID, as iOS sends it),
 * its XAUTH user, asking for an address. */
static void rw_conn(struct ike_conn_cfg *c, const char *addr, const char *user, const char *pass,
		    bool push)
{
	conn_psk(c, "rw", addr, GW, "group secret");
	harness_ts4(&c->remote_ts, "10.9.0.0", 24);
	c->local_id.type = 11;
	c->local_id.len = 8;
	memcpy(c->local_id.data, "vpngroup", 8);
	c->xauth = IKE_CFG_CLIENT;
	snprintf(c->xauth_user, sizeof(c->xauth_user), "%s", user);
	c->xauth_pass_len = strlen(pass);
	memcpy(c->xauth_pass, pass, c->xauth_pass_len);
	c->modecfg = IKE_CFG_CLIENT;
	c->modecfg_push = push;
}

static void world_start(struct world *w, int nrw)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct sim_nat_cfg nc;

	w->nrw = nrw;
	w->net = sim_net_new(33, 10);
	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, NAT, 0);
	nc.mapping = SIM_NAT_APD;
	nc.filtering = SIM_NAT_APD;
	nc.seed = 7;
	w->nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(w->nat);
	harness_nat_attach(w->net, w->nat);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	w->gw.xauth_users[0] = "alice:alice's password";
	w->gw.xauth_users[1] = "bob:bob's password";
	w->gw.xauth_users[2] = "carol:carol's password";
	for (int i = 0; i < nrw; i++) {
		struct ike_engine_cfg rcfg = { .conns = &w->rwc[i],
					       .n_conns = 1,
					       .half_open_timeout_ms = rw_half_open_ms };

		peer_init(&w->rw[i], "rw", w->net, rw_addr[i], true, &rcfg);
		w->rw[i].next_spi = 0xd0000100u + 0x1000u * (uint32_t)i;
	}
}

/* The usual world: one gateway, @nrw clients alice, bob, carol. */
static void world_init(struct world *w, int nrw, uint32_t pool_size, bool push)
{
	static const char *const users[3] = { "alice", "bob", "carol" };
	static const char *const pw[3] = { "alice's password", "bob's password",
					   "carol's password" };

	memset(w, 0, sizeof(*w));
	gw_conn(&w->gwc, pool_size, push);
	for (int i = 0; i < nrw; i++)
		rw_conn(&w->rwc[i], rw_addr[i], users[i], pw[i], push);
	world_start(w, nrw);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	for (int i = 0; i < w->nrw; i++)
		peer_free(&w->rw[i]);
	sim_nat_free(w->nat);
	sim_net_free(w->net);
}

static void run(struct world *w, uint64_t ms)
{
	sim_net_run(w->net, sim_net_now(w->net) + ms, 1000000);
}

static bool any_log_has(const struct world *w, const char *needle)
{
	if (peer_log_has(&w->gw, needle))
		return true;
	for (int i = 0; i < w->nrw; i++)
		if (peer_log_has(&w->rw[i], needle))
			return true;
	return false;
}

static struct ike_sa *first_sa(struct peer *p)
{
	return p->eng->sas;
}

/* Pull and push, one road warrior: every state of both conversations on
 * both sides, the address, DNS, the policies on the virtual address. */
START_TEST(test_xauth_modecfg)
{
	bool push = _i & 1;
	struct world w;
	struct ike_sa *gsa, *rsa;

	world_init(&w, 1, 254, push);
	peer_initiate(&w.rw[0], 0);
	run(&w, 10000);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw[0], &w.gw), 2);
	/* XAUTH: one check, of alice, accepted; logged with the user name. */
	ck_assert_uint_eq(w.gw.n_xauth_checks, 1);
	ck_assert_uint_eq(w.gw.n_xauth_ok, 1);
	ck_assert_str_eq(w.gw.xauth_last_user, "alice");
	ck_assert(peer_log_has(&w.gw, "XAUTH user 'alice' authenticated"));
	ck_assert(peer_log_has(&w.rw[0], "XAUTH accepted for user 'alice'"));
	/* Mode Config: the first address of the pool, with the DNS server. */
	ck_assert(peer_log_has(&w.gw, "Mode Config address 10.3.0.1 for user 'alice'"));
	ck_assert(peer_log_has(&w.rw[0], "Mode Config gave us 10.3.0.1, DNS 10.9.0.53"));
	/* The state walk, from the dispatcher's debug records. */
	ck_assert(peer_log_has(&w.gw, "NONE -> XAUTH_S1 (xauth_s_start)"));
	ck_assert(peer_log_has(&w.gw, "XAUTH_S1 -> XAUTH_S2 (xauth_s1_recv_reply)"));
	ck_assert(peer_log_has(&w.gw, "XAUTH_S2 -> XAUTH_S3 (xauth_s2_ok)"));
	ck_assert(peer_log_has(&w.gw, "XAUTH_S3 -> XAUTH_DONE (xauth_s3_recv_ack)"));
	ck_assert(peer_log_has(&w.rw[0], "NONE -> XAUTH_C1 (xauth_c_start)"));
	ck_assert(peer_log_has(&w.rw[0], "XAUTH_C1 -> XAUTH_C2 (xauth_c_recv_request)"));
	ck_assert(peer_log_has(&w.rw[0], "XAUTH_C2 -> XAUTH_DONE (xauth_c2_recv_set)"));
	if (push) {
		ck_assert(peer_log_has(&w.gw, "NONE -> MCFG_S1 (mcfg_s_push)"));
		ck_assert(peer_log_has(&w.gw, "MCFG_S1 -> MCFG_DONE (mcfg_s1_recv_ack)"));
		ck_assert(peer_log_has(&w.rw[0], "NONE -> MCFG_C2 (mcfg_c_push)"));
		ck_assert(peer_log_has(&w.rw[0], "MCFG_C2 -> MCFG_DONE (mcfg_c_recv_attrs)"));
	} else {
		ck_assert(peer_log_has(&w.gw, "NONE -> MCFG_S2 (mcfg_s_pull)"));
		ck_assert(peer_log_has(&w.gw, "MCFG_S2 -> MCFG_DONE (mcfg_s_recv_request)"));
		ck_assert(peer_log_has(&w.rw[0], "NONE -> MCFG_C1 (mcfg_c_pull)"));
		ck_assert(peer_log_has(&w.rw[0], "MCFG_C1 -> MCFG_DONE (mcfg_c_recv_attrs)"));
	}
	gsa = first_sa(&w.gw);
	rsa = first_sa(&w.rw[0]);
	ck_assert_str_eq(cfg_user(gsa), "alice");
	ck_assert_ptr_nonnull(cfg_vip(gsa));
	ck_assert_ptr_nonnull(cfg_vip(rsa));
	ck_assert_mem_eq(cfg_vip(gsa)->bytes, "\x0a\x03\x00\x01", 4);
	ck_assert_mem_eq(cfg_vip(rsa)->bytes, "\x0a\x03\x00\x01", 4);
	/* The kernel state follows the virtual address: traffic of the gw's
	 * subnet to 10.3.0.1 and from it is protected, the client's own
	 * (private, NATed) address is not a selector anywhere. */
	ck_assert_ptr_nonnull(peer_kernel_out_policy(&w.gw, "10.9.0.5", "10.3.0.1"));
	ck_assert_ptr_nonnull(peer_kernel_out_policy(&w.rw[0], "10.3.0.1", "10.9.0.5"));
	ck_assert_ptr_null(peer_kernel_out_policy(&w.gw, "10.9.0.5", rw_addr[0]));
	ck_assert_ptr_null(peer_kernel_out_policy(&w.rw[0], rw_addr[0], "10.9.0.5"));
	/* The password is in no log line of either side. */
	ck_assert(!any_log_has(&w, "alice's password"));
	/* What `natkeyctl status` shows (ike/engine_status.c). */
	{
		struct ike_sa_status st[2];

		ck_assert_uint_eq(ike_status_ike_list(w.gw.eng, sim_net_now(w.net), st, 2), 1);
		ck_assert_str_eq(st[0].xauth_user, "alice");
		ck_assert_int_eq(st[0].virtual_ip.family, XK_AF_INET);
		ck_assert_mem_eq(st[0].virtual_ip.bytes, "\x0a\x03\x00\x01", 4);
		ck_assert_uint_eq(ike_status_ike_list(w.rw[0].eng, sim_net_now(w.net), st, 2), 1);
		ck_assert_str_eq(st[0].xauth_user, "alice");
		ck_assert_mem_eq(st[0].virtual_ip.bytes, "\x0a\x03\x00\x01", 4);
	}
	world_free(&w);
}
END_TEST

/* A wrong password: asked 3 times, then SET FAIL, the IKE SA goes; no SA
 * and nothing in either fake kernel. */
START_TEST(test_wrong_password)
{
	struct world w;

	memset(&w, 0, sizeof(w));
	gw_conn(&w.gwc, 254, false);
	rw_conn(&w.rwc[0], rw_addr[0], "alice", "guess", false);
	world_start(&w, 1);
	peer_initiate(&w.rw[0], 0);
	run(&w, 20000);
	ck_assert_uint_eq(w.gw.n_xauth_checks, 3);
	ck_assert_uint_eq(w.gw.n_xauth_ok, 0);
	ck_assert(peer_log_has(&w.gw,
			       "XAUTH user 'alice': wrong password (try 1 of 3), asking again"));
	ck_assert(peer_log_has(&w.gw,
			       "XAUTH user 'alice': wrong password (try 2 of 3), asking again"));
	ck_assert(peer_log_has(&w.gw, "XAUTH failed for user 'alice' after 3 tries"));
	ck_assert(peer_log_has(&w.gw, "XAUTH_S2 -> XAUTH_S1 (xauth_s2_retry)"));
	ck_assert(peer_log_has(&w.gw, "XAUTH_S2 -> XAUTH_S4 (xauth_s2_fail)"));
	ck_assert(peer_log_has(&w.rw[0], "the gateway asks again for the password of 'alice'"));
	ck_assert(peer_log_has(&w.rw[0], "the gateway refused XAUTH user 'alice'"));
	ck_assert_uint_ge(w.gw.reasons[IKE_R_XAUTH_FAILED], 3);
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 0);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 0);
	ck_assert_uint_eq(w.gw.k.n_sa, 0);
	ck_assert_uint_eq(w.gw.k.n_pol, 0);
	ck_assert_uint_eq(w.rw[0].k.n_sa, 0);
	ck_assert_uint_eq(w.rw[0].k.n_pol, 0);
	ck_assert_uint_eq(w.gw.n_spi_alloc, 0); /* no Quick Mode ever began */
	ck_assert(!any_log_has(&w, "guess"));
	world_free(&w);
}
END_TEST

/* The daemon answers later, wrong then right (a user retyping): the
 * second try opens the tunnel. */
START_TEST(test_retry_then_ok)
{
	struct world w;
	struct ike_event ev = { .type = IKE_EV_XAUTH_VERDICT };

	world_init(&w, 1, 254, false);
	w.gw.xauth_hold = true;
	peer_initiate(&w.rw[0], 0);
	run(&w, 2000);
	ck_assert_uint_eq(w.gw.n_xauth_checks, 1);
	ck_assert(peer_log_has(&w.gw, "XAUTH_S1 -> XAUTH_S2"));
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ev.u.xauth.serial = first_sa(&w.gw)->x.serial;
	ev.u.xauth.ok = false;
	peer_event(&w.gw, &ev);
	run(&w, 2000);
	ck_assert_uint_eq(w.gw.n_xauth_checks, 2);
	ck_assert(peer_log_has(&w.gw, "wrong password (try 1 of 3)"));
	/* A verdict for an SA that waits for none changes nothing. */
	ev.u.xauth.serial = 9999;
	peer_event(&w.gw, &ev);
	ev.u.xauth.serial = first_sa(&w.gw)->x.serial;
	ev.u.xauth.ok = true;
	peer_event(&w.gw, &ev);
	run(&w, 5000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	world_free(&w);
}
END_TEST

/* A pool of one address: the second user is refused with a clear log line,
 * the first keeps its tunnel. */
START_TEST(test_pool_exhausted)
{
	struct world w;

	world_init(&w, 2, 1, false);
	peer_initiate(&w.rw[0], 0);
	run(&w, 5000);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	peer_initiate(&w.rw[1], 0);
	run(&w, 10000);
	ck_assert(peer_log_has(
		&w.gw, "address pool exhausted (1 of 1 addresses in use): no address for bob"));
	ck_assert_uint_ge(w.gw.reasons[IKE_R_POOL_EXHAUSTED], 1);
	ck_assert_uint_eq(peer_status(&w.rw[1]).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 1); /* bob's went */
	world_free(&w);
}
END_TEST

/* A client without XAUTH never answers the REQUEST: the gateway
 * retransmits, gives up and deletes; the client's Quick Modes are refused
 * meanwhile; nothing reaches either kernel. */
START_TEST(test_client_never_answers)
{
	struct world w;

	memset(&w, 0, sizeof(w));
	gw_conn(&w.gwc, 254, false);
	conn_psk(&w.rwc[0], "rw", rw_addr[0], GW, "group secret");
	harness_ts4(&w.rwc[0].remote_ts, "10.9.0.0", 24);
	world_start(&w, 1);
	peer_initiate(&w.rw[0], 0);
	run(&w, 60000);
	ck_assert(peer_log_has(&w.rw[0],
			       "Transaction refused: no XAUTH or Mode Config on this conn"));
	ck_assert(peer_log_has(&w.gw, "dropped Quick Mode before XAUTH / Mode Config completed"));
	ck_assert(peer_log_has(&w.gw, "gave up in XAUTH_S1"));
	ck_assert_uint_ge(w.gw.reasons[IKE_R_TIMEOUT], 1);
	ck_assert_uint_eq(w.gw.n_xauth_checks, 0);
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 0);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_eq(w.gw.k.n_sa, 0);
	ck_assert_uint_eq(w.gw.k.n_pol, 0);
	world_free(&w);
}
END_TEST

/* The daemon never answers the password check: the gateway gives up after
 * the half-open timeout (the client here waits longer for the verdict). */
START_TEST(test_daemon_never_answers)
{
	struct world w;

	rw_half_open_ms = 90000;
	world_init(&w, 1, 254, false);
	rw_half_open_ms = 0;
	w.gw.xauth_hold = true;
	peer_initiate(&w.rw[0], 0);
	run(&w, 60000);
	ck_assert_uint_eq(w.gw.n_xauth_checks, 1);
	ck_assert(peer_log_has(&w.gw, "gave up in XAUTH_S2 (user 'alice')"));
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 0);
	ck_assert_uint_eq(w.gw.k.n_sa, 0);
	world_free(&w);
}
END_TEST

/* Two (three) road warriors behind one NAT, the same group identity, the
 * same private... no: different private addresses but one public one; each
 * user gets its own address and its own policies. */
START_TEST(test_clients_behind_one_nat)
{
	struct world w;

	world_init(&w, 3, 254, false);
	for (int i = 0; i < 3; i++) {
		peer_initiate(&w.rw[i], 0);
		run(&w, 5000);
	}
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(peer_status(&w.rw[i]).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 3);
	ck_assert_uint_eq(w.gw.n_xauth_ok, 3);
	ck_assert(peer_log_has(&w.rw[0], "Mode Config gave us 10.3.0.1"));
	ck_assert(peer_log_has(&w.rw[1], "Mode Config gave us 10.3.0.2"));
	ck_assert(peer_log_has(&w.rw[2], "Mode Config gave us 10.3.0.3"));
	ck_assert_ptr_nonnull(peer_kernel_out_policy(&w.gw, "10.9.0.5", "10.3.0.1"));
	ck_assert_ptr_nonnull(peer_kernel_out_policy(&w.gw, "10.9.0.5", "10.3.0.2"));
	ck_assert_ptr_nonnull(peer_kernel_out_policy(&w.gw, "10.9.0.5", "10.3.0.3"));
	ck_assert_ptr_nonnull(peer_kernel_out_policy(&w.rw[1], "10.3.0.2", "10.9.0.5"));
	/* The gw's outbound policies to each address lead to different SAs. */
	{
		const struct xk_policy *a = peer_kernel_out_policy(&w.gw, "10.9.0.5", "10.3.0.1");
		const struct xk_policy *b = peer_kernel_out_policy(&w.gw, "10.9.0.5", "10.3.0.2");

		ck_assert(a != b);
		ck_assert(a->tmpl.dst.family == XK_AF_INET && b->tmpl.dst.family == XK_AF_INET);
	}
	world_free(&w);
}
END_TEST

/* The client leaves (Deletes for its IPsec and IKE SAs): the gateway's
 * kernel keeps nothing of it, neither SAs nor the policies on its virtual
 * address (which may go to another user next); the lease stays, offline. */
START_TEST(test_teardown_clean)
{
	struct world w;
	struct ike_event ev = { .type = IKE_EV_TERMINATE };
	struct ike_lease_status l[2];
	uint32_t size;

	world_init(&w, 1, 254, false);
	peer_initiate(&w.rw[0], 0);
	run(&w, 5000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(w.gw.k.n_pol, 3);
	ck_assert_uint_eq(w.gw.k.n_sa, 2);
	ev.u.conn = 0;
	peer_event(&w.rw[0], &ev);
	run(&w, 5000);
	ck_assert(peer_log_has(&w.gw, "peer deleted IPsec SA"));
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 0);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_eq(w.gw.k.n_sa, 0);
	ck_assert_uint_eq(w.gw.k.n_pol, 0);
	ck_assert_ptr_null(peer_kernel_out_policy(&w.gw, "10.9.0.5", "10.3.0.1"));
	ck_assert_uint_eq(ike_status_leases(w.gw.eng, 0, l, 2, &size), 1);
	ck_assert_str_eq(l[0].owner, "xauth:alice");
	ck_assert(!l[0].online);
	world_free(&w);
}
END_TEST

/* Leases stick to the user: alice leaves, bob comes and gets a new address,
 * alice comes back to hers. */
START_TEST(test_lease_sticky)
{
	struct world w;
	struct ike_event ev = { .type = IKE_EV_TERMINATE };

	world_init(&w, 2, 254, false);
	peer_initiate(&w.rw[0], 0);
	run(&w, 5000);
	ck_assert(peer_log_has(&w.gw, "Mode Config address 10.3.0.1 for user 'alice'"));
	ev.u.conn = 0;
	peer_event(&w.rw[0], &ev);
	run(&w, 5000);
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 0);
	peer_initiate(&w.rw[1], 0);
	run(&w, 5000);
	ck_assert(peer_log_has(&w.gw, "Mode Config address 10.3.0.2 for user 'bob'"));
	peer_initiate(&w.rw[0], 0);
	run(&w, 5000);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 2);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_MODECFG], 3);
	ck_assert(!peer_log_has(&w.gw, "Mode Config address 10.3.0.3"));
	/* What `natkeyctl leases` shows: two leases, both online, in order. */
	{
		struct ike_lease_status l[4];
		uint32_t size;

		ck_assert_uint_eq(ike_status_leases(w.gw.eng, 0, l, 4, &size), 2);
		ck_assert_uint_eq(size, 254);
		ck_assert_mem_eq(l[0].addr.bytes, "\x0a\x03\x00\x01", 4);
		ck_assert_str_eq(l[0].owner, "xauth:alice");
		ck_assert(l[0].online);
		ck_assert_mem_eq(l[1].addr.bytes, "\x0a\x03\x00\x02", 4);
		ck_assert_str_eq(l[1].owner, "xauth:bob");
		ck_assert(l[1].online);
		/* Alice leaves again: her lease stays hers, offline. */
		ev.u.conn = 0;
		peer_event(&w.rw[0], &ev);
		run(&w, 5000);
		ck_assert_uint_eq(ike_status_leases(w.gw.eng, 0, l, 4, &size), 2);
		ck_assert_str_eq(l[0].owner, "xauth:alice");
		ck_assert(!l[0].online);
		ck_assert(l[1].online);
		ck_assert_uint_eq(ike_status_leases(w.rw[0].eng, 0, NULL, 0, &size), 0);
		ck_assert_uint_eq(size, 0); /* a client has no pool */
	}
	world_free(&w);
}
END_TEST

/* The gateway offers an address the client must not take (a loopback one
 * here, or one outside the range its conn accepts): refused with a log
 * line, no address, no Quick Mode; the client gives up. */
START_TEST(test_client_refuses_address)
{
	struct world w;

	memset(&w, 0, sizeof(w));
	gw_conn(&w.gwc, 10, _i == 1);
	rw_conn(&w.rwc[0], rw_addr[0], "alice", "alice's password", _i == 1);
	if (_i == 0) {
		harness_addr4(&w.gwc.pool_first, "127.0.0.5");
	} else {
		harness_addr4(&w.rwc[0].pool_first, "10.200.0.1"); /* what the client accepts */
		w.rwc[0].pool_size = 100;
	}
	world_start(&w, 1);
	peer_initiate(&w.rw[0], 0);
	run(&w, 60000);
	if (_i == 0)
		ck_assert(peer_log_has(&w.rw[0], "address 127.0.0.5 refused: loopback"));
	else
		ck_assert(peer_log_has(
			&w.rw[0], "address 10.3.0.1 refused: outside the range this conn accepts"));
	ck_assert(!peer_log_has(&w.rw[0], "Mode Config gave us"));
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 0);
	ck_assert_uint_eq(w.rw[0].n_spi_alloc, 0);
	ck_assert_uint_eq(w.rw[0].k.n_sa, 0);
	ck_assert_uint_eq(w.gw.k.n_sa, 0);
	world_free(&w);
}
END_TEST

/* ---- hostile Transaction messages, built with the client's own keys ---- */

struct attr_spec {
	uint16_t type;
	uint16_t len;
	uint8_t fill;
};

static void craft(struct peer *p, struct ike_sa *sa, uint32_t msgid, uint8_t cfg_type,
		  uint16_t ident, const struct attr_spec *attrs, size_t n)
{
	struct ike_actions *out = calloc(1, sizeof(*out));
	uint8_t buf[V1_BODY_MAX], iv[CRYPTO_BLOCK_MAX_LEN], val[512];
	struct ikev1_ctx ctx;
	struct isakmp_enc e;
	ssize_t h;

	ck_assert_ptr_nonnull(out);
	ike_actions_init(out);
	memset(&ctx, 0, sizeof(ctx));
	ctx.eng = p->eng;
	ctx.now = sim_net_now(p->net);
	ctx.out = out;
	ctx.sa = sa;
	v1_enc_init(&e, buf, sizeof(buf));
	h = v1_hash_reserve(&e, sa);
	ck_assert_int_ge(h, 0);
	ck_assert_int_ge(isakmp_enc_cfg_begin(&e, cfg_type, ident), 0);
	for (size_t i = 0; i < n; i++) {
		memset(val, attrs[i].fill, attrs[i].len);
		isakmp_enc_attr_tlv(&e, attrs[i].type, val, attrs[i].len);
	}
	ck_assert_int_eq(isakmp_enc_cfg_end(&e), 0);
	ck_assert_int_eq(v1_hash_fill(&e, h, sa, 1, msgid, NULL, 0), 0);
	ck_assert_int_eq(v1_phase2_iv(sa, msgid, iv), 0);
	ck_assert_int_eq(v1_send(&ctx, NULL, ISAKMP_XCHG_TRANSACTION, msgid, &e, iv), 0);
	peer_process(p, out);
	ike_actions_wipe(out);
	free(out);
}

/* The gateway waits for alice's REPLY (her engine has no XAUTH, so it never
 * answers); forged REPLYs on her authenticated SA with an unknown attribute
 * or a user name too long are refused with a log line: the gateway stays
 * in XAUTH_S1, asks nobody's password. */
START_TEST(test_hostile_attributes)
{
	static const struct attr_spec unknown[] = { { ISAKMP_CFG_XAUTH_USER_NAME, 5, 'a' },
						    { ISAKMP_CFG_XAUTH_USER_PASSWORD, 3, 'p' },
						    { 0x1234, 4, 0 } };
	static const struct attr_spec too_long[] = { { ISAKMP_CFG_XAUTH_USER_NAME, 200, 'a' },
						     { ISAKMP_CFG_XAUTH_USER_PASSWORD, 3, 'p' } };
	static const struct attr_spec bad_addr[] = { { ISAKMP_CFG_INTERNAL_IP4_ADDRESS, 3, 1 } };
	struct world w;
	struct ike_sa *gsa, *rsa;

	memset(&w, 0, sizeof(w));
	gw_conn(&w.gwc, 254, false);
	conn_psk(&w.rwc[0], "rw", rw_addr[0], GW, "group secret");
	world_start(&w, 1);
	peer_initiate(&w.rw[0], 0);
	run(&w, 300);
	gsa = first_sa(&w.gw);
	rsa = first_sa(&w.rw[0]);
	ck_assert_ptr_nonnull(gsa);
	ck_assert_ptr_nonnull(rsa);
	ck_assert_ptr_nonnull(gsa->xauth);
	ck_assert_int_eq(gsa->xauth->x.state, V1_XAUTH_S1);
	craft(&w.rw[0], rsa, 0x11111111, ISAKMP_CFG_REPLY, gsa->xauth->ident, unknown, 3);
	run(&w, 100);
	ck_assert(peer_log_has(&w.gw, "Transaction refused: unknown attribute type 4660"));
	craft(&w.rw[0], rsa, 0x22222222, ISAKMP_CFG_REPLY, gsa->xauth->ident, too_long, 2);
	run(&w, 100);
	ck_assert(peer_log_has(&w.gw, "Transaction refused: attribute 16521 with 200 bytes"));
	craft(&w.rw[0], rsa, 0x33333333, ISAKMP_CFG_SET, 1, bad_addr, 1);
	run(&w, 100);
	ck_assert(peer_log_has(&w.gw, "Transaction refused: attribute 1 with 3 bytes"));
	ck_assert_int_eq(first_sa(&w.gw)->xauth->x.state, V1_XAUTH_S1);
	ck_assert_uint_eq(w.gw.n_xauth_checks, 0);
	world_free(&w);
}
END_TEST

/* A Message ID already spent: after XAUTH completed, a REQUEST forged with
 * the M-ID of the finished REQUEST/REPLY exchange is refused; the gateway
 * is where it was. */
START_TEST(test_msgid_reuse)
{
	static const struct attr_spec req[] = { { ISAKMP_CFG_INTERNAL_IP4_ADDRESS, 0, 0 } };
	struct world w;
	struct ike_sa *gsa, *rsa;
	uint32_t spent;

	world_init(&w, 1, 254, false);
	peer_initiate(&w.rw[0], 0);
	run(&w, 5000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	gsa = first_sa(&w.gw);
	rsa = first_sa(&w.rw[0]);
	/* XAUTH's first exchange (REQUEST/REPLY), finished on both sides. */
	spent = gsa->xauth->done.id[0];
	ck_assert_uint_ne(spent, gsa->xauth->msgid);
	ck_assert(sa_msgid_seen(&rsa->xauth->done, spent));
	craft(&w.rw[0], rsa, spent, ISAKMP_CFG_REQUEST, 7, req, 1);
	run(&w, 100);
	ck_assert(peer_log_has(&w.gw, "Transaction refused: Message ID"));
	ck_assert(peer_log_has(&w.gw, "was used by an earlier exchange"));
	ck_assert_int_eq(gsa->mcfg->x.state, V1_MCFG_DONE);
	ck_assert_int_eq(gsa->xauth->x.state, V1_XAUTH_DONE);
	world_free(&w);
}
END_TEST

/* An IPv6 pool: a client that asks for INTERNAL_IP6_ADDRESS gets the
 * pool's first address (as a /128 with its prefix byte), owned by its
 * XAUTH user, and only that /128 may be its Quick Mode client; a client
 * that asks for an IPv4 address only gets none (the pool has no IPv4). The
 * REQUESTs are the client's own, built with its keys (natkeyd as client
 * asks for IPv4 only). */
START_TEST(test_ipv6_pool)
{
	static const struct attr_spec ask6[] = { { ISAKMP_CFG_INTERNAL_IP6_ADDRESS, 0, 0 },
						 { ISAKMP_CFG_INTERNAL_IP4_DNS, 0, 0 } };
	static const struct attr_spec ask4[] = { { ISAKMP_CFG_INTERNAL_IP4_ADDRESS, 0, 0 } };
	bool want6 = _i == 0;
	struct world w;
	struct ike_sa *gsa, *rsa;
	struct ike_ts ts;
	uint8_t first[16];

	memset(&w, 0, sizeof(w));
	gw_conn(&w.gwc, 254, false);
	memset(&w.gwc.pool_first, 0, sizeof(w.gwc.pool_first));
	w.gwc.pool_first.family = XK_AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8:3::1", w.gwc.pool_first.bytes), 1);
	memcpy(first, w.gwc.pool_first.bytes, 16);
	rw_conn(&w.rwc[0], rw_addr[0], "alice", "alice's password", false);
	w.rwc[0].modecfg = IKE_CFG_NONE; /* the REQUEST is crafted below */
	world_start(&w, 1);
	peer_initiate(&w.rw[0], 0);
	run(&w, 3000);
	gsa = first_sa(&w.gw);
	rsa = first_sa(&w.rw[0]);
	ck_assert_ptr_nonnull(gsa);
	ck_assert_ptr_nonnull(gsa->mcfg);
	ck_assert_int_eq(gsa->xauth->x.state, V1_XAUTH_DONE);
	ck_assert_int_eq(gsa->mcfg->x.state, V1_MCFG_S2);
	craft(&w.rw[0], rsa, 0x44444444, ISAKMP_CFG_REQUEST, 9, want6 ? ask6 : ask4, want6 ? 2 : 1);
	run(&w, 100);
	ck_assert_int_eq(gsa->mcfg->x.state, V1_MCFG_DONE);
	if (!want6) {
		ck_assert(peer_log_has(&w.gw, "the client asks for no IPv6 address"));
		ck_assert_ptr_null(cfg_vip(gsa));
		world_free(&w);
		return;
	}
	ck_assert(peer_log_has(&w.gw, "Mode Config address 2001:db8:3::1 for user 'alice'"));
	ck_assert_ptr_nonnull(cfg_vip(gsa));
	ck_assert_int_eq(cfg_vip(gsa)->family, AF_INET6);
	ck_assert_mem_eq(cfg_vip(gsa)->bytes, first, 16);
	/* Its Quick Mode client: that /128 only. */
	memset(&ts, 0, sizeof(ts));
	ts.addr.family = XK_AF_INET6;
	memcpy(ts.addr.bytes, first, 16);
	ts.plen = 128;
	ck_assert_int_eq(cfg_quick_peer_ts_ok(gsa, &ts), 1);
	ts.addr.bytes[15] = 2;
	ck_assert_int_eq(cfg_quick_peer_ts_ok(gsa, &ts), 0);
	harness_ts4(&ts, "10.3.0.1", 32);
	ck_assert_int_eq(cfg_quick_peer_ts_ok(gsa, &ts), 0);
	/* natkeyctl status and leases show it. */
	{
		struct ike_sa_status st[1];
		struct ike_lease_status l[1];
		uint32_t size;

		ck_assert_uint_eq(ike_status_ike_list(w.gw.eng, sim_net_now(w.net), st, 1), 1);
		ck_assert_int_eq(st[0].virtual_ip.family, XK_AF_INET6);
		ck_assert_mem_eq(st[0].virtual_ip.bytes, first, 16);
		ck_assert_uint_eq(ike_status_leases(w.gw.eng, 0, l, 1, &size), 1);
		ck_assert_str_eq(l[0].owner, "xauth:alice");
		ck_assert_mem_eq(l[0].addr.bytes, first, 16);
	}
	world_free(&w);
}
END_TEST

/* ---- hybrid RSA (draft-ietf-ipsec-isakmp-hybrid-auth-05) ---- */

static X509_STORE *pki_store(const char *name)
{
	X509_STORE *st = X509_STORE_new();
	X509 *ca = load_cert(name);

	X509_STORE_add_cert(st, ca);
	X509_free(ca);
	return st;
}

/* The gateway signs with gw.pem (FQDN gw.example.org) and verifies no
 * certificate; alice's client has the CA only, no key: HybridInitRSA. In
 * Aggressive Mode when @aggressive. */
static void hybrid_world(struct world *w, const char *client_ca, bool client_hybrid,
			 const char *pass, bool aggressive, bool gw_hybrid)
{
	memset(w, 0, sizeof(*w));
	gw_conn(&w->gwc, 254, false);
	w->gwc.psk_len = 0;
	w->gwc.auth = IKE_AUTH_RSA_SIG;
	w->gwc.hybrid = gw_hybrid;
	if (!gw_hybrid) /* an xauthrsasig gateway: verifies the client's certificate */
		w->gwc.ca = pki_store("ca");
	w->gwc.cert = load_cert("gw");
	w->gwc.key = load_key("gw");
	w->gwc.local_id.type = 2;
	w->gwc.local_id.len = 14;
	memcpy(w->gwc.local_id.data, "gw.example.org", 14);
	rw_conn(&w->rwc[0], rw_addr[0], "alice", pass, false);
	w->rwc[0].psk_len = 0;
	w->rwc[0].auth = IKE_AUTH_RSA_SIG;
	w->rwc[0].hybrid = client_hybrid;
	w->rwc[0].ca = pki_store(client_ca);
	if (!client_hybrid) { /* an xauthrsasig client: signs too */
		w->rwc[0].cert = load_cert("leaf2");
		w->rwc[0].key = load_key("leaf2");
		w->rwc[0].cert_chain[0] = load_cert("sub-ca");
		w->rwc[0].local_id.type = 2;
		w->rwc[0].local_id.len = 16;
		memcpy(w->rwc[0].local_id.data, "road.example.net", 16);
	}
	w->gwc.aggressive = aggressive;
	w->rwc[0].aggressive = aggressive;
	world_start(w, 1);
	/* The engines hold their own references now. */
	X509_free(w->gwc.cert);
	EVP_PKEY_free(w->gwc.key);
	X509_STORE_free(w->gwc.ca);
	X509_STORE_free(w->rwc[0].ca);
	X509_free(w->rwc[0].cert);
	EVP_PKEY_free(w->rwc[0].key);
	X509_free(w->rwc[0].cert_chain[0]);
}

/* Hybrid RSA: the gateway's signature and alice's XAUTH password are the
 * whole authentication; Mode Config and the tunnel follow as usual. Main
 * Mode (0) and Aggressive Mode (1, the client's HASH_I in AM3), both
 * through the NAT: the client verified the gateway's certificate. */
START_TEST(test_hybrid_rsa)
{
	struct world w;
	struct ike_sa *gsa, *rsa;

	hybrid_world(&w, "ca", true, "alice's password", _i == 1, true);
	peer_initiate(&w.rw[0], 0);
	run(&w, 10000);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw[0], &w.gw), 2);
	gsa = first_sa(&w.gw);
	rsa = first_sa(&w.rw[0]);
	ck_assert(gsa->hybrid && rsa->hybrid);
	ck_assert_uint_eq(gsa->auth, IKE_AUTH_RSA_SIG);
	ck_assert_uint_eq(rsa->auth, IKE_AUTH_RSA_SIG);
	ck_assert(gsa->aggressive == (_i == 1) && rsa->aggressive == (_i == 1));
	ck_assert(rsa->natt != NATT_METHOD_NONE);
	ck_assert(peer_log_has(&w.rw[0], "peer authenticated by certificate"));
	ck_assert(!peer_log_has(&w.gw, "peer authenticated by certificate"));
	ck_assert_uint_eq(w.gw.n_xauth_ok, 1);
	ck_assert(peer_log_has(&w.gw, "XAUTH user 'alice' authenticated"));
	ck_assert(peer_log_has(&w.rw[0], "Mode Config gave us 10.3.0.1"));
	world_free(&w);
}
END_TEST

/* What hybrid RSA must refuse: a gateway certificate from a CA the client
 * does not trust (0); a client that signs (xauthrsasig) at a hybrid
 * gateway: no common method (1); a wrong XAUTH password, which is all the
 * client has (2); a hybrid client at an xauthrsasig gateway, which wants
 * the client's signature: no common method either (3). */
START_TEST(test_hybrid_rsa_refused)
{
	struct world w;

	if (_i == 0)
		hybrid_world(&w, "other-ca", true, "alice's password", false, true);
	else if (_i == 3)
		hybrid_world(&w, "ca", true, "alice's password", false, false);
	else
		hybrid_world(&w, "ca", _i == 2, _i == 2 ? "guess" : "alice's password", false,
			     true);
	peer_initiate(&w.rw[0], 0);
	run(&w, 20000);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_eq(w.gw.k.n_sa, 0);
	if (_i == 0)
		ck_assert(peer_log_has(&w.rw[0], "peer certificate rejected"));
	else if (_i == 1 || _i == 3)
		ck_assert(peer_log_has(&w.gw, "no acceptable Phase 1 transform"));
	else
		ck_assert(peer_log_has(&w.gw, "XAUTH failed for user 'alice' after 3 tries"));
	world_free(&w);
}
END_TEST

/* A Transaction on a half-open SA (before Phase 1 is authenticated): refused. */
START_TEST(test_before_phase1)
{
	struct world w;
	struct ike_sa *gsa;
	struct isakmp_enc e;
	struct isakmp_hdr hdr;
	uint8_t body[64], msg[ISAKMP_HDR_LEN + 64];
	struct ike_event ev = { .type = IKE_EV_DGRAM };
	ssize_t n;
	enum ikev1_state before;

	world_init(&w, 1, 254, false);
	peer_initiate(&w.rw[0], 0);
	run(&w, 15);
	gsa = first_sa(&w.gw);
	ck_assert_ptr_nonnull(gsa);
	before = gsa->x.state;
	ck_assert(!ikev1_state_info(before)->established);
	isakmp_enc_init(&e, body, sizeof(body));
	ck_assert_int_ge(isakmp_enc_cfg_begin(&e, ISAKMP_CFG_REPLY, 1), 0);
	isakmp_enc_attr_tlv(&e, ISAKMP_CFG_XAUTH_USER_NAME, "alice", 5);
	ck_assert_int_eq(isakmp_enc_cfg_end(&e), 0);
	n = isakmp_enc_finish(&e);
	ck_assert_int_gt(n, 0);
	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.icookie, gsa->cky_i, IKE_COOKIE_LEN);
	memcpy(hdr.rcookie, gsa->cky_r, IKE_COOKIE_LEN);
	hdr.np = isakmp_enc_first_np(&e);
	hdr.version = ISAKMP_VERSION;
	hdr.exchange = ISAKMP_XCHG_TRANSACTION;
	hdr.msgid = 0x44444444;
	hdr.length = (uint32_t)(ISAKMP_HDR_LEN + (size_t)n);
	ck_assert_int_eq(isakmp_hdr_encode(msg, sizeof(msg), &hdr), ISAKMP_HDR_LEN);
	memcpy(msg + ISAKMP_HDR_LEN, body, (size_t)n);
	sa_ep_to_ss(&gsa->local, &ev.u.dgram.local);
	sa_ep_to_ss(&gsa->remote, &ev.u.dgram.remote);
	ev.u.dgram.buf = msg;
	ev.u.dgram.len = ISAKMP_HDR_LEN + (size_t)n;
	peer_event(&w.gw, &ev);
	ck_assert(peer_log_has(&w.gw, "Transaction refused: before Phase 1 is authenticated"));
	ck_assert_int_eq(first_sa(&w.gw)->x.state, before);
	ck_assert_ptr_null(first_sa(&w.gw)->xauth);
	/* And Phase 1 goes on unharmed. */
	run(&w, 5000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	world_free(&w);
}
END_TEST

/* A client may use only the address leased to it: a Quick Mode from
 * alice's IKE SA with another address of the pool (bob's, say) is refused
 * and installs nothing. */
START_TEST(test_quick_other_address)
{
	struct world w;
	struct ike_actions *out = malloc(sizeof(*out));
	struct ike_sa *rsa;
	unsigned gw_sa_before;

	ck_assert_ptr_nonnull(out);
	world_init(&w, 1, 254, false);
	peer_initiate(&w.rw[0], 0);
	run(&w, 5000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	gw_sa_before = w.gw.n_sa;
	rsa = first_sa(&w.rw[0]);
	rsa->mcfg->vip.bytes[3] = 2; /* claim 10.3.0.2 */
	ike_actions_init(out);
	quick_start(w.rw[0].eng, rsa, NULL, sim_net_now(w.net), out);
	peer_process(&w.rw[0], out);
	ike_actions_wipe(out);
	free(out);
	run(&w, 5000);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_TS_MISMATCH], 1);
	ck_assert_uint_eq(w.gw.n_sa, gw_sa_before);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_ptr_null(peer_kernel_out_policy(&w.gw, "10.9.0.5", "10.3.0.2"));
	world_free(&w);
}
END_TEST

/* Phase 1 says XAUTH (65001, XAUTHInitPreShared, what iOS, Android and
 * strongSwan propose): a gateway that runs no XAUTH refuses it. */
START_TEST(test_xauth_method_needs_xauth)
{
	struct world w;

	world_init(&w, 1, 254, false);
	peer_free(&w.gw);
	w.gwc.xauth = IKE_CFG_NONE;
	w.gwc.modecfg = IKE_CFG_NONE;
	{
		struct ike_engine_cfg gcfg = { .conns = &w.gwc, .n_conns = 1 };

		peer_init(&w.gw, "gw", w.net, GW, false, &gcfg);
	}
	peer_initiate(&w.rw[0], 0);
	run(&w, 10000);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_NO_PROPOSAL], 1);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	world_free(&w);
}
END_TEST

/* Cisco Unity: a client that got the split include proposes 0.0.0.0/0 for
 * the gateway's side in Quick Mode (strongSwan's unity plugin, Cisco
 * clients). With cisco-unity the gateway echoes 0.0.0.0/0 in QM2 (the
 * client accepts only its own IDs back) and installs its own subnet;
 * without, the proposal is refused. */
START_TEST(test_unity_wildcard)
{
	bool unity = _i == 0;
	struct world w;

	memset(&w, 0, sizeof(w));
	gw_conn(&w.gwc, 254, false);
	w.gwc.unity = unity;
	rw_conn(&w.rwc[0], rw_addr[0], "alice", "alice's password", false);
	harness_ts4(&w.rwc[0].remote_ts, "0.0.0.0", 0);
	world_start(&w, 1);
	peer_initiate(&w.rw[0], 0);
	run(&w, 10000);
	if (!unity) {
		ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
		ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 0);
		ck_assert(peer_log_has(&w.gw, "TS_MISMATCH"));
		ck_assert_uint_eq(w.gw.k.n_sa, 0);
		world_free(&w);
		return;
	}
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.rw[0]).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw[0], &w.gw), 2);
	/* The gateway's kernel: its subnet to the virtual IP, nothing wider. */
	ck_assert_ptr_nonnull(peer_kernel_out_policy(&w.gw, "10.9.0.5", "10.3.0.1"));
	ck_assert_ptr_null(peer_kernel_out_policy(&w.gw, "198.51.100.77", "10.3.0.1"));
	/* The client got its 0.0.0.0/0 back (it refuses changed IDs). */
	ck_assert_ptr_nonnull(peer_kernel_out_policy(&w.rw[0], "10.3.0.1", "198.51.100.77"));
	ck_assert(!peer_log_has(&w.rw[0], "responder changed the client IDs"));
	world_free(&w);
}
END_TEST

/* Configuration the engine refuses. */
START_TEST(test_conn_check)
{
	struct ike_conn_cfg c;
	struct ike_engine_cfg ec = { .conns = &c, .n_conns = 1 };
	struct ike_engine *eng = NULL;

	gw_conn(&c, 0, false); /* a server without a pool */
	ck_assert_int_eq(ike_engine_new(&ec, &eng), -EINVAL);
	gw_conn(&c, POOL_SIZE_MAX + 1, false);
	ck_assert_int_eq(ike_engine_new(&ec, &eng), -EINVAL);
	rw_conn(&c, rw_addr[0], "", "x", false); /* a client without a user */
	ck_assert_int_eq(ike_engine_new(&ec, &eng), -EINVAL);
	rw_conn(&c, rw_addr[0], "alice", "x", false);
	c.mode = XK_MODE_TRANSPORT; /* virtual addresses need a tunnel */
	ck_assert_int_eq(ike_engine_new(&ec, &eng), -EINVAL);
	gw_conn(&c, 254, false);
	ck_assert_int_eq(ike_engine_new(&ec, &eng), 0);
	ike_engine_free(eng);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("engine_xauth");
	TCase *tc = tcase_create("xauth");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_xauth_modecfg, 0, 2);
	tcase_add_test(tc, test_wrong_password);
	tcase_add_test(tc, test_retry_then_ok);
	tcase_add_test(tc, test_pool_exhausted);
	tcase_add_test(tc, test_client_never_answers);
	tcase_add_test(tc, test_daemon_never_answers);
	tcase_add_test(tc, test_clients_behind_one_nat);
	tcase_add_test(tc, test_lease_sticky);
	tcase_add_test(tc, test_teardown_clean);
	tcase_add_loop_test(tc, test_ipv6_pool, 0, 2);
	tcase_add_loop_test(tc, test_hybrid_rsa, 0, 2);
	tcase_add_loop_test(tc, test_hybrid_rsa_refused, 0, 4);
	tcase_add_loop_test(tc, test_client_refuses_address, 0, 2);
	tcase_add_test(tc, test_hostile_attributes);
	tcase_add_test(tc, test_msgid_reuse);
	tcase_add_test(tc, test_before_phase1);
	tcase_add_test(tc, test_quick_other_address);
	tcase_add_test(tc, test_xauth_method_needs_xauth);
	tcase_add_test(tc, test_conn_check);
	tcase_add_loop_test(tc, test_unity_wildcard, 0, 2);
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
