// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natkeyd as Mode Config client (issue 16, client side): what the gateway
 * gives (address, DNS, domain, UNITY_SPLIT_INCLUDE) comes out as one
 * IKE_ACT_MODECFG report for the daemon to install, the Quick Mode
 * selectors use the address, and a report "gone" follows whenever the IKE
 * SA goes (our down, the gateway's Delete). Hostile SETs (an address no
 * host may have, the gateway's own address, a broken netmask, DNS server or
 * split network, a wrong attribute length) are refused with a log line: no
 * report, no SA, nothing in the fake kernel.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/engine_status.h"
#include "ike/ikev1_msg.h"
#include "ike/v1/ikev1_cfg.h"
#include "ike/v1/ikev1_exchanges.h"
#include "ike/wire/isakmp_encode.h"
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
};

/* @modecfg: the gateway runs XAUTH + Mode Config (pull); else it runs
 * neither, and the test speaks for it (craft()). */
static void world_conf(struct world *w, bool modecfg)
{
	memset(w, 0, sizeof(*w));
	conn_psk(&w->gwc, "gw", GW, NULL, "group secret");
	harness_ts4(&w->gwc.local_ts, "10.9.0.0", 24);
	conn_psk(&w->rwc, "rw", RW, GW, "group secret");
	harness_ts4(&w->rwc.remote_ts, "10.9.0.0", 24);
	w->rwc.modecfg = IKE_CFG_CLIENT;
	w->rwc.modecfg_push = !modecfg;
	if (modecfg) {
		w->gwc.xauth = IKE_CFG_SERVER;
		w->gwc.modecfg = IKE_CFG_SERVER;
		harness_addr4(&w->gwc.pool_first, "10.3.0.1");
		w->gwc.pool_size = 254;
		harness_addr4(&w->gwc.dns[0], "10.9.0.53");
		harness_addr4(&w->gwc.dns[1], "10.9.0.54");
		w->gwc.n_dns = 2;
		snprintf(w->gwc.domain, sizeof(w->gwc.domain), "corp.example");
		w->gwc.unity = true;
		w->rwc.unity = true;
		w->rwc.xauth = IKE_CFG_CLIENT;
		snprintf(w->rwc.xauth_user, sizeof(w->rwc.xauth_user), "alice");
		memcpy(w->rwc.xauth_pass, "pw", 2);
		w->rwc.xauth_pass_len = 2;
	}
}

/* The simulated network, the NAT and both engines, from the conns. */
static void world_start(struct world *w)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };
	struct sim_nat_cfg nc;

	w->net = sim_net_new(41, 10);
	memset(&nc, 0, sizeof(nc));
	sim_addr4(&nc.pub, NAT, 0);
	nc.mapping = SIM_NAT_APD;
	nc.filtering = SIM_NAT_APD;
	nc.seed = 9;
	w->nat = sim_nat_new(&nc);
	ck_assert_ptr_nonnull(w->nat);
	harness_nat_attach(w->net, w->nat);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	w->gw.xauth_users[0] = "alice:pw";
	peer_init(&w->rw, "rw", w->net, RW, true, &rcfg);
	w->rw.next_spi = 0xd0000100u;
}

static void world_init(struct world *w, bool modecfg)
{
	world_conf(w, modecfg);
	world_start(w);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_nat_free(w->nat);
	sim_net_free(w->net);
}

static void run(struct world *w, uint64_t ms)
{
	sim_net_run(w->net, sim_net_now(w->net) + ms, 1000000);
}

static void drop_all(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	(void)ctx;
	(void)index;
	(void)d;
	f->drop = true;
}

static void terminate(struct peer *p)
{
	struct ike_event ev = { .type = IKE_EV_TERMINATE, .u.conn = 0 };

	peer_event(p, &ev);
}

/* The address, the DNS servers, the domain and the split network reach the
 * daemon in one report; the selectors use the address; `status` shows it. */
static void check_up(struct world *w)
{
	const struct ike_modecfg *m = &w->rw.modecfg_last;
	struct ike_sa_status st[2];

	ck_assert_uint_eq(peer_status(&w->rw).ipsec_sas, 1);
	ck_assert_uint_eq(w->rw.n_modecfg_up, 1);
	ck_assert_uint_eq(w->rw.n_modecfg_down, 0);
	ck_assert(m->up);
	ck_assert_uint_eq(m->serial, w->rw.eng->sas->x.serial);
	ck_assert_mem_eq(m->addr.bytes, "\x0a\x03\x00\x01", 4);
	ck_assert_uint_eq(m->plen, 32);
	ck_assert_uint_eq(m->n_dns, 2);
	ck_assert_mem_eq(m->dns[0].bytes, "\x0a\x09\x00\x35", 4);
	ck_assert_mem_eq(m->dns[1].bytes, "\x0a\x09\x00\x36", 4);
	ck_assert_str_eq(m->domain, "corp.example");
	ck_assert_uint_eq(m->n_split, 1);
	ck_assert_mem_eq(m->split[0].addr.bytes, "\x0a\x09\x00\x00", 4);
	ck_assert_uint_eq(m->split[0].plen, 24);
	ck_assert(peer_log_has(&w->rw, "Mode Config gave us 10.3.0.1, DNS 10.9.0.53,10.9.0.54, "
				       "domain corp.example, 1 split network"));
	ck_assert_ptr_nonnull(peer_kernel_out_policy(&w->rw, "10.3.0.1", "10.9.0.5"));
	ck_assert_ptr_null(peer_kernel_out_policy(&w->rw, RW, "10.9.0.5"));
	ck_assert_uint_eq(ike_status_ike_list(w->rw.eng, sim_net_now(w->net), st, 2), 1);
	ck_assert_mem_eq(st[0].virtual_ip.bytes, "\x0a\x03\x00\x01", 4);
	ck_assert_uint_eq(st[0].n_dns, 2);
	ck_assert_mem_eq(st[0].dns[1].bytes, "\x0a\x09\x00\x36", 4);
}

/* _i 0: we go down; 1: the gateway deletes the tunnel (its Delete); 2: the
 * gateway vanishes and DPD declares it dead. Each way one report "gone" for
 * the same address. */
START_TEST(test_client_lifecycle)
{
	struct world w;

	world_conf(&w, true);
	w.rwc.dpd_delay_s = 10;
	w.rwc.dpd_timeout_s = 30;
	w.rwc.dpd_action = IKE_DPD_CLEAR;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	run(&w, 10000);
	check_up(&w);
	if (_i == 2) {
		sim_net_fault_set(w.net, drop_all, NULL);
		run(&w, 90000);
		ck_assert_uint_eq(w.rw.reasons[IKE_R_DPD_DEAD], 1);
	} else {
		terminate(_i == 0 ? &w.rw : &w.gw);
		run(&w, 5000);
	}
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);
	ck_assert_uint_eq(w.rw.n_modecfg_up, 1);
	ck_assert_uint_eq(w.rw.n_modecfg_down, 1);
	ck_assert(!w.rw.modecfg_last.up);
	ck_assert_mem_eq(w.rw.modecfg_last.addr.bytes, "\x0a\x03\x00\x01", 4);
	ck_assert_uint_eq(w.rw.k.n_sa, 0);
	world_free(&w);
}
END_TEST

/* An IKE SA that never got an address reports nothing when it goes. */
START_TEST(test_no_address_no_report)
{
	struct world w;

	world_init(&w, false);
	peer_initiate(&w.rw, 0);
	run(&w, 500);
	ck_assert_ptr_nonnull(w.rw.eng->sas);
	terminate(&w.rw);
	run(&w, 1000);
	ck_assert_uint_eq(w.rw.n_modecfg_up, 0);
	ck_assert_uint_eq(w.rw.n_modecfg_down, 0);
	world_free(&w);
}
END_TEST

/* ---- hostile SETs from an authenticated gateway ---- */

struct attr_spec {
	uint16_t type;
	uint16_t len;
	const char *val; /* NULL: @len bytes of 0x0a */
};

static void craft_type(struct peer *p, struct ike_sa *sa, uint32_t msgid, uint8_t type,
		       const struct attr_spec *attrs, size_t n)
{
	struct ike_actions *out = calloc(1, sizeof(*out));
	uint8_t buf[V1_BODY_MAX], iv[CRYPTO_BLOCK_MAX_LEN], val[64];
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
	ck_assert_int_ge(isakmp_enc_cfg_begin(&e, type, 7), 0);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_le(attrs[i].len, sizeof(val));
		memset(val, 0x0a, sizeof(val));
		if (attrs[i].val)
			memcpy(val, attrs[i].val, attrs[i].len);
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

static void craft(struct peer *p, struct ike_sa *sa, uint32_t msgid, const struct attr_spec *attrs,
		  size_t n)
{
	craft_type(p, sa, msgid, ISAKMP_CFG_SET, attrs, n);
}

#define A(v)                                                                                       \
	{                                                                                          \
		ISAKMP_CFG_INTERNAL_IP4_ADDRESS, 4, v                                              \
	}
#define MASK(v)                                                                                    \
	{                                                                                          \
		ISAKMP_CFG_INTERNAL_IP4_NETMASK, 4, v                                              \
	}
#define DNS(v)                                                                                     \
	{                                                                                          \
		ISAKMP_CFG_INTERNAL_IP4_DNS, 4, v                                                  \
	}
#define SPLIT(v)                                                                                   \
	{                                                                                          \
		ISAKMP_CFG_UNITY_SPLIT_INCLUDE, ISAKMP_UNITY_SPLIT_LEN, v                          \
	}

static const struct {
	struct attr_spec a[2];
	size_t n;
	const char *log;
} hostile[] = {
	{ { A("\0\0\0\0") }, 1, "address 0.0.0.0 refused: not a host address" },
	{ { A("\xff\xff\xff\xff") }, 1, "address 255.255.255.255 refused: not a host address" },
	{ { A("\xe0\0\0\x01") }, 1, "address 224.0.0.1 refused: loopback, link-local, multicast" },
	{ { A("\x7f\0\0\x01") }, 1, "address 127.0.0.1 refused: loopback" },
	{ { A("\xc6\x33\x64\x01") }, 1, "address 198.51.100.1 refused: the gateway's own address" },
	{ { A("\x0a\0\0\x02") }, 1, "address 10.0.0.2 refused: our own IKE address" },
	{ { A("\x0a\x03\0\x01"), MASK("\xff\0\xff\0") },
	  2,
	  "Mode Config SET refused: netmask 255.0.255.0 is not a usable mask" },
	{ { A("\x0a\x03\0\x01"), DNS("\0\0\0\0") },
	  2,
	  "Mode Config SET refused: DNS server 0.0.0.0 is not a host address" },
	{ { A("\x0a\x03\0\x01"), SPLIT("\0\0\0\0\0\0\0\0\0\0\0\0\0\0") },
	  2,
	  "would route everything through the tunnel" },
	{ { A("\x0a\x03\0\x01"), SPLIT("\x0a\x09\0\x05\xff\xff\xff\0\0\0\0\0\0\0") },
	  2,
	  "split network 10.9.0.5 mask 255.255.255.0: not a network" },
	{ { A("\x0a\x03\0\x01"), { ISAKMP_CFG_UNITY_DEF_DOMAIN, 9, "corp;rm x" } },
	  2,
	  "domain with a character no domain name has" },
	{ { { ISAKMP_CFG_INTERNAL_IP4_ADDRESS, 5, NULL } },
	  1,
	  "Transaction refused: attribute 1 with 5 bytes" },
	{ { A("\x0a\x03\0\x01"), { ISAKMP_CFG_UNITY_SPLIT_INCLUDE, 13, NULL } },
	  2,
	  "Transaction refused: attribute 28676 with 13 bytes" },
	{ { MASK("\xff\xff\xff\xff") }, 1, "Mode Config SET without an address" },
};

/* _i: one hostile SET each, then (check the harness can see success) a good
 * one is taken. */
START_TEST(test_hostile_set)
{
	static const struct attr_spec good[] = { A("\x0a\x03\0\x09") };
	struct world w;
	struct ike_sa *gsa, *rsa;

	world_init(&w, false);
	peer_initiate(&w.rw, 0);
	run(&w, 500);
	gsa = w.gw.eng->sas;
	rsa = w.rw.eng->sas;
	ck_assert_ptr_nonnull(gsa);
	ck_assert_ptr_nonnull(rsa);
	ck_assert_ptr_nonnull(rsa->mcfg);
	ck_assert_int_eq(rsa->mcfg->x.state, V1_MCFG_C2);
	craft(&w.gw, gsa, 0x01020304u + (uint32_t)_i, hostile[_i].a, hostile[_i].n);
	run(&w, 200);
	ck_assert_msg(peer_log_has(&w.rw, hostile[_i].log), "no log line '%s'", hostile[_i].log);
	ck_assert_uint_eq(w.rw.n_modecfg_up, 0);
	ck_assert_uint_eq(w.rw.k.n_sa, 0);
	ck_assert_uint_eq(w.rw.n_spi_alloc, 0);
	ck_assert_ptr_null(cfg_vip(rsa));
	ck_assert_int_eq(rsa->mcfg->x.state, V1_MCFG_C2);
	craft(&w.gw, gsa, 0x7f000000u, good, 1);
	run(&w, 200);
	ck_assert_uint_eq(w.rw.n_modecfg_up, 1);
	ck_assert_mem_eq(w.rw.modecfg_last.addr.bytes, "\x0a\x03\x00\x09", 4);
	world_free(&w);
}
END_TEST

/* strongSwan 5.9 sends a swanctl pool's split_include as address and mask
 * only (8 bytes): taken, like a 14-byte entry followed by an 8-byte one. */
START_TEST(test_split_short_entry)
{
	static const struct attr_spec set[] = {
		A("\x0a\x03\0\x01"),
		{ ISAKMP_CFG_UNITY_SPLIT_INCLUDE, 22,
		  "\x0a\x09\0\0\xff\xff\xff\0\0\0\0\0\0\0\xac\x10\0\0\xff\xf0\0\0" },
	};
	struct world w;

	world_init(&w, false);
	peer_initiate(&w.rw, 0);
	run(&w, 500);
	craft(&w.gw, w.gw.eng->sas, 0x0badcafeu, set, 2);
	run(&w, 200);
	ck_assert_uint_eq(w.rw.n_modecfg_up, 1);
	ck_assert_uint_eq(w.rw.modecfg_last.n_split, 2);
	ck_assert_mem_eq(w.rw.modecfg_last.split[0].addr.bytes, "\x0a\x09\x00\x00", 4);
	ck_assert_uint_eq(w.rw.modecfg_last.split[0].plen, 24);
	ck_assert_mem_eq(w.rw.modecfg_last.split[1].addr.bytes, "\xac\x10\x00\x00", 4);
	ck_assert_uint_eq(w.rw.modecfg_last.split[1].plen, 12);
	world_free(&w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("engine_mcclient");
	TCase *tc = tcase_create("mcclient");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_client_lifecycle, 0, 3);
	tcase_add_test(tc, test_no_address_no_report);
	tcase_add_test(tc, test_split_short_entry);
	tcase_add_loop_test(tc, test_hostile_set, 0, (int)(sizeof(hostile) / sizeof(hostile[0])));
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
