// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Two IKE engines negotiate through the in-memory simulator: Main Mode PSK
 * + Quick Mode for several suites, with both ends installing the same keys;
 * and the ways it must fail (wrong PSK, no common proposal, wrong identity).
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "tests/lib/engine_harness.h"

#define GW "198.51.100.1"
#define RW "203.0.113.5"

struct world {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
};

static void world_start(struct world *w)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	w->net = sim_net_new(7, 5);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
}

static void world_default(struct world *w)
{
	conn_psk(&w->gwc, "gw-rw", GW, RW, "correct horse battery staple");
	conn_psk(&w->rwc, "rw-gw", RW, GW, "correct horse battery staple");
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_net_free(w->net);
}

/* Suites: Phase 1 (cipher/bits/hash/group) x Phase 2 (enc/bits/auth). */
struct suite_vector {
	const char *what;
	struct ike_p1_proposal p1;
	struct ike_p2_proposal p2;
	size_t enc_key_len, auth_key_len;
};

static const struct suite_vector suites[] = {
	{ "aes128-sha256-modp2048 / esp aes128-sha1",
	  { IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA2_256, IKE_DH_MODP_2048 },
	  { XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 },
	  16,
	  20 },
	{ "aes256-sha1-ecp256 / esp aes256-sha256",
	  { IKE_CIPHER_AES_CBC, 256, IKE_HASH_SHA1, IKE_DH_ECP_256 },
	  { XK_ENC_AES_CBC, 256, XK_AUTH_HMAC_SHA256_128 },
	  32,
	  32 },
	{ "aes128-sha256-ecp256 / esp aes128-gcm16",
	  { IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA2_256, IKE_DH_ECP_256 },
	  { XK_ENC_AES_GCM_16, 128, XK_AUTH_NONE },
	  20,
	  0 },
	{ "aes256-sha512-ecp384 / esp aes256-gcm16",
	  { IKE_CIPHER_AES_CBC, 256, IKE_HASH_SHA2_512, IKE_DH_ECP_384 },
	  { XK_ENC_AES_GCM_16, 256, XK_AUTH_NONE },
	  36,
	  0 },
	{ "aes192-sha384-modp3072 / esp aes192-sha512",
	  { IKE_CIPHER_AES_CBC, 192, IKE_HASH_SHA2_384, IKE_DH_MODP_3072 },
	  { XK_ENC_AES_CBC, 192, XK_AUTH_HMAC_SHA512_256 },
	  24,
	  64 },
};

START_TEST(test_mm_qm_suites)
{
	const struct suite_vector *v = &suites[_i];
	struct world w;
	struct ike_status gs, rs;
	const struct xk_sa *out_rw, *in_gw;

	world_default(&w);
	w.gwc.p1[0] = w.rwc.p1[0] = v->p1;
	w.gwc.p2[0] = w.rwc.p2[0] = v->p2;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 10000, 100000);

	gs = peer_status(&w.gw);
	rs = peer_status(&w.rw);
	ck_assert_msg(rs.ike_established == 1 && gs.ike_established == 1, "%s: IKE %u/%u", v->what,
		      rs.ike_established, gs.ike_established);
	ck_assert_msg(rs.ipsec_sas == 1 && gs.ipsec_sas == 1, "%s: IPsec %u/%u", v->what,
		      rs.ipsec_sas, gs.ipsec_sas);
	ck_assert_uint_eq(w.rw.reasons[IKE_R_IPSEC_ESTABLISHED], 1);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_IPSEC_ESTABLISHED], 1);
	/* One inbound (UPDATE of the allocated SPI) + one outbound per side. */
	ck_assert_uint_eq(w.rw.n_sa, 2);
	ck_assert_uint_eq(w.gw.n_sa, 2);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	ck_assert_int_eq(keys_match(&w.gw, &w.rw), 2);
	/* The rw's outbound SA is the gw's inbound one: gw's SPI, same keys. */
	out_rw = &w.rw.sa[w.rw.sa_inbound[0] ? 1 : 0];
	in_gw = peer_find_sa(&w.gw, out_rw->spi);
	ck_assert_ptr_nonnull(in_gw);
	ck_assert_uint_eq(out_rw->spi & 0xffff0000u, 0xc0000000u);
	ck_assert_uint_eq(out_rw->enc, v->p2.enc);
	ck_assert_uint_eq(out_rw->auth, v->p2.auth);
	ck_assert_uint_eq(out_rw->enc_key_len, v->enc_key_len);
	ck_assert_uint_eq(out_rw->auth_key_len, v->auth_key_len);
	ck_assert_uint_eq(out_rw->mode, XK_MODE_TUNNEL);
	ck_assert(!out_rw->encap.enabled); /* no NAT between them */
	/* Directions differ, so the two SAs of a side have different keys. */
	ck_assert(memcmp(w.rw.sa[0].enc_key, w.rw.sa[1].enc_key, v->enc_key_len) != 0);
	/* Policies: out, in, fwd on each side. */
	ck_assert_uint_eq(w.rw.n_policy, 3);
	ck_assert_uint_eq(w.gw.n_policy, 3);
	world_free(&w);
}
END_TEST

/* Several offered suites: the responder takes the first one it accepts. */
START_TEST(test_proposal_order)
{
	struct world w;
	const struct xk_sa *s;

	world_default(&w);
	w.rwc.p2[0] = (struct ike_p2_proposal){ XK_ENC_3DES_CBC, 0, XK_AUTH_HMAC_SHA1_96 };
	w.rwc.p2[1] = (struct ike_p2_proposal){ XK_ENC_AES_GCM_16, 256, XK_AUTH_NONE };
	w.rwc.p2[2] = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 };
	w.rwc.n_p2 = 3;
	w.gwc.p2[0] = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 };
	w.gwc.p2[1] = (struct ike_p2_proposal){ XK_ENC_AES_GCM_16, 256, XK_AUTH_NONE };
	w.gwc.n_p2 = 2;
	w.rwc.p1[1] = w.rwc.p1[0];
	w.rwc.p1[0] = (struct ike_p1_proposal){ IKE_CIPHER_AES_CBC, 256, IKE_HASH_SHA2_512,
						IKE_DH_ECP_384 };
	w.rwc.n_p1 = 2;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	s = &w.rw.sa[0];
	ck_assert_uint_eq(s->enc, XK_ENC_AES_GCM_16);
	ck_assert_uint_eq(s->enc_key_len, 36);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	world_free(&w);
}
END_TEST

START_TEST(test_wrong_psk)
{
	struct world w;

	world_default(&w);
	memcpy(w.rwc.psk, "wrong", 5);
	w.rwc.psk_len = 5;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 60000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_AUTH_FAILED], 1);
	ck_assert(peer_log_has(&w.gw, "pre-shared key mismatch"));
	/* The initiator gives up by retransmission timeout; nothing installed. */
	ck_assert_uint_ge(w.rw.reasons[IKE_R_TIMEOUT], 1);
	ck_assert_uint_eq(w.rw.n_sa + w.gw.n_sa, 0);
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas + peer_status(&w.rw).ike_sas, 0);
	world_free(&w);
}
END_TEST

START_TEST(test_no_common_p1)
{
	struct world w;

	world_default(&w);
	w.gwc.p1[0].hash = IKE_HASH_SHA2_512;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 60000, 100000);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_NO_PROPOSAL], 1);
	ck_assert(peer_log_has(&w.gw, "no acceptable Phase 1 transform"));
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 0);
	/* The initiator saw NO-PROPOSAL-CHOSEN (unprotected: logged only). */
	ck_assert_uint_ge(w.rw.reasons[IKE_R_PEER_NOTIFY], 1);
	ck_assert_uint_ge(w.rw.reasons[IKE_R_TIMEOUT], 1);
	world_free(&w);
}
END_TEST

START_TEST(test_no_common_p2)
{
	struct world w;

	world_default(&w);
	w.gwc.p2[0].auth = XK_AUTH_HMAC_SHA256_128;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 60000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_NO_PROPOSAL], 1);
	ck_assert(peer_log_has(&w.gw, "no acceptable Phase 2 proposal"));
	/* The rw was told, under the IKE SA's protection. */
	ck_assert_uint_ge(w.rw.reasons[IKE_R_PEER_NOTIFY], 1);
	ck_assert(peer_log_has(&w.rw, "peer says NO"));
	ck_assert_uint_eq(w.rw.n_sa + w.gw.n_sa, 0);
	world_free(&w);
}
END_TEST

START_TEST(test_wrong_id)
{
	struct world w;

	world_default(&w);
	w.gwc.remote_id.type = 2; /* FQDN */
	memcpy(w.gwc.remote_id.data, "rw.example.net", 14);
	w.gwc.remote_id.len = 14;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 60000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_ID_MISMATCH], 1);
	ck_assert(peer_log_has(&w.gw, "not the one configured"));
	world_free(&w);
}
END_TEST

START_TEST(test_fqdn_ids)
{
	struct world w;

	world_default(&w);
	w.gwc.remote_id.type = 2;
	memcpy(w.gwc.remote_id.data, "rw.example.net", 14);
	w.gwc.remote_id.len = 14;
	w.rwc.local_id = w.gwc.remote_id;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.gw, &w.rw), 2);
	world_free(&w);
}
END_TEST

START_TEST(test_transport_pfs)
{
	struct world w;

	world_default(&w);
	w.gwc.mode = w.rwc.mode = XK_MODE_TRANSPORT;
	w.gwc.pfs_group = w.rwc.pfs_group = IKE_DH_ECP_256;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	ck_assert_uint_eq(w.rw.sa[0].mode, XK_MODE_TRANSPORT);
	/* Transport mode: in + out policies, no fwd. */
	ck_assert_uint_eq(w.rw.n_policy, 2);
	world_free(&w);
}
END_TEST

START_TEST(test_pfs_mismatch)
{
	struct world w;

	world_default(&w);
	w.gwc.pfs_group = IKE_DH_ECP_256;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 60000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_NO_PROPOSAL], 1);
	world_free(&w);
}
END_TEST

START_TEST(test_subnets)
{
	struct world w;
	const struct xk_sa *s;

	world_default(&w);
	w.rwc.local_ts.addr.family = XK_AF_INET;
	memcpy(w.rwc.local_ts.addr.bytes, "\x0a\x01\x00\x00", 4);
	w.rwc.local_ts.plen = 16;
	w.rwc.remote_ts.addr.family = XK_AF_INET;
	memcpy(w.rwc.remote_ts.addr.bytes, "\x0a\x02\x00\x00", 4);
	w.rwc.remote_ts.plen = 24;
	w.gwc.local_ts = w.rwc.remote_ts;
	w.gwc.remote_ts = w.rwc.local_ts;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	s = &w.gw.sa[0];
	ck_assert_uint_eq(s->sel.src_plen + s->sel.dst_plen, 40);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	world_free(&w);
}
END_TEST

START_TEST(test_subnet_outside_policy)
{
	struct world w;

	world_default(&w);
	w.rwc.local_ts.addr.family = XK_AF_INET;
	memcpy(w.rwc.local_ts.addr.bytes, "\x0a\x09\x00\x00", 4);
	w.rwc.local_ts.plen = 16;
	w.gwc.remote_ts.addr.family = XK_AF_INET;
	memcpy(w.gwc.remote_ts.addr.bytes, "\x0a\x01\x00\x00", 4);
	w.gwc.remote_ts.plen = 16;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 60000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_TS_MISMATCH], 1);
	world_free(&w);
}
END_TEST

START_TEST(test_spi_failure)
{
	struct world w;

	world_default(&w);
	world_start(&w);
	w.gw.fail_spi = true;
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 60000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_KERNEL], 1);
	world_free(&w);
}
END_TEST

START_TEST(test_bad_config)
{
	struct ike_conn_cfg c;
	struct ike_engine_cfg cfg = { .conns = &c, .n_conns = 1 };
	struct ike_engine *e = NULL;

	conn_psk(&c, "x", GW, RW, "k");
	c.psk_len = 0;
	ck_assert_int_eq(ike_engine_new(&cfg, &e), -EINVAL);
	conn_psk(&c, "x", GW, RW, "k");
	c.n_p1 = 0;
	ck_assert_int_eq(ike_engine_new(&cfg, &e), -EINVAL);
	conn_psk(&c, "x", GW, RW, "k");
	ck_assert_int_eq(ike_engine_new(&cfg, &e), 0);
	ike_engine_free(e);
}
END_TEST

START_TEST(test_aggressive)
{
	struct world w;

	world_default(&w);
	w.gwc.aggressive = w.rwc.aggressive = true;
	w.gwc.aggr_psk_responder = true;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert(peer_log_has(&w.rw, "initiating Aggressive Mode"));
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	/* INITIAL-CONTACT came in its own Informational (2407-4.6.3.a). */
	ck_assert_uint_eq(w.gw.reasons[IKE_R_INITIAL_CONTACT], 1);
	world_free(&w);
}
END_TEST

START_TEST(test_aggressive_wrong_psk)
{
	struct world w;

	world_default(&w);
	w.gwc.aggressive = w.rwc.aggressive = true;
	w.gwc.aggr_psk_responder = true;
	memcpy(w.gwc.psk, "other", 5);
	w.gwc.psk_len = 5;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 60000, 100000);
	/* The initiator checks HASH_R in AM2 and stops there. */
	ck_assert_uint_ge(w.rw.reasons[IKE_R_AUTH_FAILED], 1);
	ck_assert(peer_log_has(&w.rw, "HASH_R does not verify"));
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 0);
	ck_assert_uint_eq(w.rw.n_sa + w.gw.n_sa, 0);
	world_free(&w);
}
END_TEST

START_TEST(test_aggressive_wrong_id)
{
	struct world w;

	world_default(&w);
	w.gwc.aggressive = w.rwc.aggressive = true;
	w.gwc.aggr_psk_responder = true;
	w.gwc.remote_id.type = 2;
	memcpy(w.gwc.remote_id.data, "someone.else", 12);
	w.gwc.remote_id.len = 12;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 60000, 100000);
	/* Aggressive Mode: the ID is refused in AM1, before any DH work. */
	ck_assert_uint_ge(w.gw.reasons[IKE_R_ID_MISMATCH], 1);
	ck_assert_uint_eq(peer_status(&w.gw).ike_sas, 0);
	world_free(&w);
}
END_TEST

/* No NAT, but the rw forces UDP encapsulation (e.g. a firewall eats ESP):
 * it fakes its NAT-D, both ends move to 4500 and install UDP-encapsulated
 * SAs. */
START_TEST(test_force_encap)
{
	struct world w;
	const struct xk_sa *s;

	world_default(&w);
	w.rwc.natt_force = true;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert(peer_log_has(&w.rw, "moving IKE to port 4500"));
	ck_assert(peer_log_has(&w.gw, "peer behind NAT"));
	s = &w.gw.sa[0];
	ck_assert(s->encap.enabled);
	ck_assert_uint_eq(s->encap.sport, 4500);
	ck_assert_uint_eq(s->encap.dport, 4500);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	world_free(&w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("mm_qm");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_mm_qm_suites, 0, sizeof(suites) / sizeof(suites[0]));
	tcase_add_test(tc, test_proposal_order);
	tcase_add_test(tc, test_wrong_psk);
	tcase_add_test(tc, test_no_common_p1);
	tcase_add_test(tc, test_no_common_p2);
	tcase_add_test(tc, test_wrong_id);
	tcase_add_test(tc, test_fqdn_ids);
	tcase_add_test(tc, test_transport_pfs);
	tcase_add_test(tc, test_pfs_mismatch);
	tcase_add_test(tc, test_subnets);
	tcase_add_test(tc, test_subnet_outside_policy);
	tcase_add_test(tc, test_spi_failure);
	tcase_add_test(tc, test_bad_config);
	tcase_add_test(tc, test_aggressive);
	tcase_add_test(tc, test_aggressive_wrong_psk);
	tcase_add_test(tc, test_aggressive_wrong_id);
	tcase_add_test(tc, test_force_encap);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
