// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Quick Mode lifetimes (RFC 2407 s4.5: seconds and kilobytes), the
 * RESPONDER-LIFETIME notify (RFC 2407 s4.5.4, s4.6.3.1) and the commit bit
 * with its CONNECTED notify (RFC 2408 s3.1, RFC 2409 s5.5), between two
 * engines over the simulator.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "ike/wire/isakmp.h"
#include "ike/wire/isakmp_encode.h"
#include "ike/sa/proposal.h"
#include "tests/lib/engine_harness.h"

#define GW "198.51.100.1"
#define RW "203.0.113.5"

struct world {
	struct sim_net *net;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
};

static void world_cfg(struct world *w)
{
	conn_psk(&w->gwc, "gw-rw", GW, RW, "life key");
	conn_psk(&w->rwc, "rw-gw", RW, GW, "life key");
}

static void world_start(struct world *w)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	w->net = sim_net_new(43, 5);
	peer_init(&w->gw, "gw", w->net, GW, false, &gcfg);
	peer_init(&w->rw, "rw", w->net, RW, false, &rcfg);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_net_free(w->net);
}

/* Every SA @p asked the kernel to install has these limits. */
static void sas_have(const struct peer *p, uint64_t hard_s, uint64_t hard_bytes,
		     uint64_t soft_bytes)
{
	ck_assert_uint_ge(p->n_sa, 2);
	for (unsigned i = 0; i < p->n_sa; i++) {
		ck_assert_uint_eq(p->sa[i].lft.hard_add_s, hard_s);
		ck_assert_uint_eq(p->sa[i].lft.hard_bytes, hard_bytes);
		ck_assert_uint_eq(p->sa[i].lft.soft_bytes, soft_bytes);
	}
}

/* ---- lifetimes as negotiated, both directions ---- */

struct life_case {
	const char *name;
	uint32_t i_s, i_kb; /* initiator (rw) policy; 0 s = default 3600 */
	uint32_t r_s, r_kb; /* responder (gw) policy */
	uint32_t want_s, want_kb;
	bool want_notify; /* the gw sent RESPONDER-LIFETIME */
};

static const struct life_case life_cases[] = {
	/* Equal: nothing to say. */
	{ "equal", 3600, 0, 3600, 0, 3600, 0, false },
	/* The initiator's shorter lifetime is accepted as is. */
	{ "initiator shorter s", 1200, 0, 3600, 0, 1200, 0, false },
	/* Longer offer: the responder uses its own and says so. */
	{ "responder shorter s", 3600, 0, 1200, 0, 1200, 0, true },
	/* Kilobytes offered, responder has no byte limit: accepted. */
	{ "initiator kb", 3600, 50000, 3600, 0, 3600, 50000, false },
	/* Kilobytes offered, responder's limit smaller: shortened. */
	{ "responder shorter kb", 3600, 50000, 3600, 20000, 3600, 20000, true },
	/* Kilobytes not offered at all: the responder's byte limit, notified. */
	{ "responder only kb", 3600, 0, 3600, 7000, 3600, 7000, true },
	/* Both shortened at once. */
	{ "responder shorter both", 3600, 90000, 900, 4096, 900, 4096, true },
	/* Initiator shorter in kb, responder shorter in seconds. */
	{ "mixed", 3600, 1000, 1800, 8000, 1800, 1000, true },
	/* A byte lifetime above 16 bits goes as a 4-byte variable attribute. */
	{ "large kb", 3600, 4000000, 3600, 4000000, 3600, 4000000, false },
};

START_TEST(test_lifetime_negotiated)
{
	const struct life_case *lc = &life_cases[_i];
	uint64_t hb = (uint64_t)lc->want_kb * 1024;
	struct world w;

	world_cfg(&w);
	w.rwc.ipsec_lifetime_s = lc->i_s;
	w.rwc.ipsec_lifetime_kb = lc->i_kb;
	w.gwc.ipsec_lifetime_s = lc->r_s;
	w.gwc.ipsec_lifetime_kb = lc->r_kb;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_msg(peer_status(&w.rw).ipsec_sas == 1, "%s", lc->name);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	/* Both ends install the same limits; soft = hard - 10%. */
	sas_have(&w.rw, lc->want_s, hb, hb - hb / 10);
	sas_have(&w.gw, lc->want_s, hb, hb - hb / 10);
	ck_assert_msg(peer_log_has(&w.rw, "RESPONDER-LIFETIME: using") == lc->want_notify,
		      "%s: notify", lc->name);
	world_free(&w);
}
END_TEST

/* The rekey follows the shortened lifetime: the rw, told 1200 s instead of
 * its 3600 s, rekeys before 1200 s are over, and the gw's SA never expires. */
START_TEST(test_responder_lifetime_drives_rekey)
{
	struct world w;

	world_cfg(&w);
	w.rwc.ipsec_lifetime_s = 3600;
	w.gwc.ipsec_lifetime_s = 1200;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	sim_net_run(w.net, 1200 * 1000, 1000000);
	ck_assert_uint_ge(w.rw.reasons[IKE_R_REKEY], 1);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_EXPIRED], 0);
	ck_assert_uint_eq(w.rw.reasons[IKE_R_EXPIRED], 0);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 4);
	/* The initiator rekeyed in time: the responder did not. */
	ck_assert(!peer_log_has(&w.gw, "as responder"));
	world_free(&w);
}
END_TEST

/* What went over the wire, from the clear ISAKMP header. */
struct wire {
	unsigned n;
	struct {
		bool from_gw;
		uint8_t exch, flags;
		uint32_t msgid;
	} m[64];
	bool drop_gw_info; /* lose every Informational the gw sends */
	bool drop_rw_info; /* and the rw */
};

static void wire_hook(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	struct wire *w = ctx;
	struct sockaddr_storage gw;
	const uint8_t *h = d->buf;
	size_t len = d->len;

	(void)index;
	sim_addr4(&gw, GW, 500);
	if (len >= 4 && !memcmp(h, "\0\0\0\0", 4)) {
		h += 4; /* non-ESP marker (port 4500) */
		len -= 4;
	}
	if (len < 28 || w->n == 64)
		return;
	w->m[w->n].from_gw = sim_addr_same_host(&d->src, &gw);
	w->m[w->n].exch = h[18];
	w->m[w->n].flags = h[19];
	w->m[w->n].msgid =
		(uint32_t)h[20] << 24 | (uint32_t)h[21] << 16 | (uint32_t)h[22] << 8 | h[23];
	if (h[18] == ISAKMP_XCHG_INFO && (w->m[w->n].from_gw ? w->drop_gw_info : w->drop_rw_info))
		f->drop = true;
	w->n++;
}

static bool sel_same(const struct xk_selector *a, const struct xk_selector *b)
{
	return a->src.family == b->src.family && !memcmp(a->src.bytes, b->src.bytes, 16) &&
	       !memcmp(a->dst.bytes, b->dst.bytes, 16) && a->src_plen == b->src_plen &&
	       a->dst_plen == b->dst_plen && a->proto == b->proto && a->sport == b->sport &&
	       a->dport == b->dport;
}

/* An initiator that rekeys late (strongSwan and Libreswan road warriors
 * ignore RESPONDER-LIFETIME and keep their own 1-8 h): the responder rekeys
 * at life - margin / 2 itself, through the peer's IKE SA, with the old
 * SA's selectors; nothing expires on either side. */
START_TEST(test_responder_rekeys_late_initiator)
{
	struct world w;

	world_cfg(&w);
	w.rwc.ipsec_lifetime_s = w.gwc.ipsec_lifetime_s = 1200;
	w.rwc.rekey_margin_s = 1; /* would rekey at 1199 s */
	w.rwc.rekey_fuzz_pct = 1;
	w.gwc.rekey_margin_s = 120; /* rekeys at 1140 s */
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(w.gw.n_sa, 2);
	sim_net_run(w.net, 1150 * 1000, 1000000); /* simulated ms since the start */
	ck_assert(peer_log_has(&w.gw, "rekeying IPsec SA"));
	ck_assert(peer_log_has(&w.gw, "as responder: the initiator did not"));
	ck_assert_uint_eq(w.rw.reasons[IKE_R_REKEY], 0);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_EXPIRED] + w.rw.reasons[IKE_R_EXPIRED], 0);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 4);
	/* The successor pair protects the same traffic as the first. */
	ck_assert_uint_eq(w.gw.n_sa, 4);
	for (unsigned i = 2; i < 4; i++)
		ck_assert(sel_same(&w.gw.sa[i].sel, &w.gw.sa[0].sel) ||
			  sel_same(&w.gw.sa[i].sel, &w.gw.sa[1].sel));
	/* Past the first SA's end: still one pair, none expired. */
	sim_net_run(w.net, 1260 * 1000, 100000);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_EXPIRED] + w.rw.reasons[IKE_R_EXPIRED], 0);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	world_free(&w);
}
END_TEST

/* The initiator rekeyed but its Delete of the old SA never arrived: the
 * responder's old SA has a successor and is left to expire, not rekeyed. */
START_TEST(test_responder_no_rekey_with_successor)
{
	struct world w;
	struct wire wire;

	memset(&wire, 0, sizeof(wire));
	wire.drop_rw_info = true;
	world_cfg(&w);
	w.rwc.ipsec_lifetime_s = w.gwc.ipsec_lifetime_s = 1200;
	world_start(&w);
	sim_net_fault_set(w.net, wire_hook, &wire);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 1250 * 1000, 1000000);
	ck_assert_uint_ge(w.rw.reasons[IKE_R_REKEY], 1);
	ck_assert(!peer_log_has(&w.gw, "as responder"));
	/* The orphan ended by its lifetime; the successor lives. */
	ck_assert_uint_eq(w.gw.reasons[IKE_R_EXPIRED], 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	world_free(&w);
}
END_TEST

/* Phase 1 likewise: the responder rekeys the IKE SA the initiator lets run
 * out, by Main Mode to the peer's current endpoint; the IPsec SA lives on. */
START_TEST(test_responder_rekeys_phase1)
{
	struct world w;

	world_cfg(&w);
	w.rwc.ike_lifetime_s = w.gwc.ike_lifetime_s = 600;
	w.rwc.rekey_margin_s = 1;
	w.rwc.rekey_fuzz_pct = 1;
	w.gwc.rekey_margin_s = 120; /* IKE SA rekey at 540 s */
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 1);
	sim_net_run(w.net, 565 * 1000, 1000000);
	ck_assert(peer_log_has(&w.gw, "rekeying the IKE SA (as responder"));
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 2);
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 2);
	/* The old one ends at 600 s; the new one (the gw's) carries on. */
	sim_net_run(w.net, 625 * 1000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 1);
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	world_free(&w);
}
END_TEST

/* A soft EXPIRE from the kernel's byte counter rekeys; the successor has
 * the byte limits too. */
START_TEST(test_soft_expire_bytes_rekeys)
{
	struct world w;
	struct ike_event ev = { .type = IKE_EV_KERNEL };
	uint64_t hb = 2048ull * 1024;

	world_cfg(&w);
	w.rwc.ipsec_lifetime_kb = 2048;
	w.rwc.rekey_margin_kb = 512;
	world_start(&w);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_uint_eq(w.rw.n_sa, 2);
	sas_have(&w.rw, 3600, hb, hb - 512 * 1024);
	ev.u.kernel.type = XK_EV_EXPIRE_SOFT;
	ev.u.kernel.u.expire.id.spi = w.rw.sa[w.rw.sa_inbound[0] ? 1 : 0].spi;
	peer_event(&w.rw, &ev);
	sim_net_run(w.net, 10000, 100000);
	ck_assert_uint_eq(w.rw.reasons[IKE_R_REKEY], 1);
	ck_assert_uint_eq(w.rw.n_sa, 4);
	sas_have(&w.rw, 3600, hb, hb - 512 * 1024);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 4);
	world_free(&w);
}
END_TEST

/* ---- RESPONDER-LIFETIME data, as bytes written by hand ---- */

struct rl_vec {
	const char *name;
	uint8_t data[24];
	size_t len;
	int rc;
	uint32_t s, kb; /* starting from 3600 s, 0 kb */
};

static const struct rl_vec rl_vecs[] = {
	/* Type seconds (TV 0x8001 = 1), Duration 1200 (TV 0x8002). */
	{ "seconds", { 0x80, 0x01, 0x00, 0x01, 0x80, 0x02, 0x04, 0xb0 }, 8, 0, 1200, 0 },
	/* Type kilobytes, Duration 100000 as a 4-byte TLV. */
	{ "kb tlv",
	  { 0x80, 0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x04, 0x00, 0x01, 0x86, 0xa0 },
	  12,
	  0,
	  3600,
	  100000 },
	/* Both pairs. */
	{ "both",
	  { 0x80, 0x01, 0x00, 0x02, 0x80, 0x02, 0x10, 0x00, 0x80, 0x01, 0x00, 0x01, 0x80, 0x02,
	    0x01, 0x2c },
	  16,
	  0,
	  300,
	  4096 },
	/* Duration without a Type. */
	{ "no type", { 0x80, 0x02, 0x04, 0xb0 }, 4, -1, 3600, 0 },
	/* Unknown Life Type 3. */
	{ "bad type", { 0x80, 0x01, 0x00, 0x03, 0x80, 0x02, 0x04, 0xb0 }, 8, -1, 3600, 0 },
	/* Type without a Duration. */
	{ "dangling", { 0x80, 0x01, 0x00, 0x01 }, 4, -1, 3600, 0 },
	/* Another attribute (Encapsulation Mode). */
	{ "other attr", { 0x80, 0x04, 0x00, 0x01 }, 4, -1, 3600, 0 },
	/* Truncated TLV. */
	{ "truncated", { 0x80, 0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x04, 0x00 }, 9, -1, 3600, 0 },
};

START_TEST(test_responder_lifetime_parse)
{
	const struct rl_vec *v = &rl_vecs[_i];
	uint32_t s = 3600, kb = 0;
	int rc = proposal_p2_lifetime_parse(v->data, v->len, &s, &kb);

	ck_assert_msg((rc == 0) == (v->rc == 0), "%s: rc %d", v->name, rc);
	ck_assert_uint_eq(s, v->s);
	ck_assert_uint_eq(kb, v->kb);
}
END_TEST

/* Applying a RESPONDER-LIFETIME to an SA of 3600 s / 10000 KB whose
 * outbound SPI is 0x11223344. */
struct rla_vec {
	const char *name;
	uint8_t protocol, spi_size;
	uint8_t spi[16];
	uint8_t data[16];
	size_t len;
	int rc;
	uint32_t s, kb;
};

static const struct rla_vec rla_vecs[] = {
	/* 1200 s, 4096 KB: both shorter, both taken. */
	{ "shorter",
	  ISAKMP_PROTO_ESP,
	  4,
	  { 0x11, 0x22, 0x33, 0x44 },
	  { 0x80, 0x01, 0x00, 0x01, 0x80, 0x02, 0x04, 0xb0, 0x80, 0x01, 0x00, 0x02, 0x80, 0x02,
	    0x10, 0x00 },
	  16,
	  1,
	  1200,
	  4096 },
	/* 7200 s: longer, ours stays. */
	{ "longer",
	  ISAKMP_PROTO_ESP,
	  4,
	  { 0x11, 0x22, 0x33, 0x44 },
	  { 0x80, 0x01, 0x00, 0x01, 0x80, 0x02, 0x1c, 0x20 },
	  8,
	  1,
	  3600,
	  10000 },
	/* Another SA's SPI: not ours. */
	{ "other spi",
	  ISAKMP_PROTO_ESP,
	  4,
	  { 0x11, 0x22, 0x33, 0x45 },
	  { 0x80, 0x01, 0x00, 0x01, 0x80, 0x02, 0x04, 0xb0 },
	  8,
	  0,
	  3600,
	  10000 },
	/* AH, not ESP. */
	{ "other protocol",
	  ISAKMP_PROTO_AH,
	  4,
	  { 0x11, 0x22, 0x33, 0x44 },
	  { 0x80, 0x01, 0x00, 0x01, 0x80, 0x02, 0x04, 0xb0 },
	  8,
	  0,
	  3600,
	  10000 },
	/* The two cookies as SPI (RFC 2407 s4.6.3.1 allows it). */
	{ "cookies",
	  ISAKMP_PROTO_ESP,
	  16,
	  { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 },
	  { 0x80, 0x01, 0x00, 0x02, 0x80, 0x02, 0x03, 0xe8 },
	  8,
	  1,
	  3600,
	  1000 },
	/* Malformed: nothing changes. */
	{ "malformed",
	  ISAKMP_PROTO_ESP,
	  4,
	  { 0x11, 0x22, 0x33, 0x44 },
	  { 0x80, 0x01, 0x00, 0x01, 0x80, 0x02, 0x04, 0xb0, 0x80, 0x01, 0x00, 0x07 },
	  12,
	  -1,
	  3600,
	  10000 },
};

START_TEST(test_responder_lifetime_apply)
{
	const struct rla_vec *v = &rla_vecs[_i];
	struct isakmp_notify n = { .doi = ISAKMP_DOI_IPSEC,
				   .protocol = v->protocol,
				   .spi_size = v->spi_size,
				   .type = ISAKMP_N_RESPONDER_LIFETIME,
				   .spi = v->spi,
				   .data = v->data,
				   .data_len = v->len };
	uint32_t s = 3600, kb = 10000;
	int rc = proposal_p2_responder_lifetime(&n, 0x11223344, &s, &kb);

	ck_assert_msg(rc == v->rc || (v->rc < 0 && rc < 0), "%s: rc %d", v->name, rc);
	ck_assert_uint_eq(s, v->s);
	ck_assert_uint_eq(kb, v->kb);
}
END_TEST

/* What we write is the hand-made encoding (and parses back). */
START_TEST(test_responder_lifetime_encode)
{
	static const uint8_t want[] = {
		0x80, 0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x04, 0x00, 0x01,
		0x51, 0x80, 0x80, 0x01, 0x00, 0x02, 0x80, 0x02, 0x10, 0x00
	};
	uint8_t buf[32];
	struct isakmp_enc e;
	uint32_t s = 0, kb = 0;

	isakmp_enc_init(&e, buf, sizeof(buf));
	ck_assert_int_eq(proposal_p2_lifetime_add(&e, 86400, 4096), (int)sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
	ck_assert_int_eq(proposal_p2_lifetime_parse(buf, sizeof(want), &s, &kb), 0);
	ck_assert_uint_eq(s, 86400);
	ck_assert_uint_eq(kb, 4096);
	/* Only into an empty encoder. */
	isakmp_enc_init(&e, buf, sizeof(buf));
	ck_assert_int_eq(isakmp_enc_generic(&e, ISAKMP_NP_NONCE, "x", 1) >= 0, 1);
	ck_assert_int_lt(isakmp_enc_attrs_begin(&e), 0);
	/* Too small a buffer fails, it is not cut short. */
	isakmp_enc_init(&e, buf, 10);
	ck_assert_int_lt(proposal_p2_lifetime_add(&e, 86400, 4096), 0);
}
END_TEST

/* ---- commit bit and CONNECTED (RFC 2408 s3.1) ---- */

/* The flags of the first Quick Mode message of one side; its M-ID. */
static uint8_t qm_flags(const struct wire *w, bool from_gw, uint32_t *msgid)
{
	for (unsigned i = 0; i < w->n; i++)
		if (w->m[i].exch == ISAKMP_XCHG_QUICK && w->m[i].from_gw == from_gw) {
			*msgid = w->m[i].msgid;
			return w->m[i].flags;
		}
	ck_abort_msg("no Quick Mode message");
	return 0;
}

/* Informationals from the gw carrying the Quick Mode's M-ID (CONNECTED). */
static unsigned connected_sent(const struct wire *w, uint32_t qm_msgid)
{
	unsigned n = 0;

	for (unsigned i = 0; i < w->n; i++)
		n += w->m[i].from_gw && w->m[i].exch == ISAKMP_XCHG_INFO &&
		     w->m[i].msgid == qm_msgid;
	return n;
}

struct commit_case {
	const char *name;
	bool rw_sets, gw_sets;
	bool c_in_qm1, c_in_qm2; /* expected on the wire */
};

static const struct commit_case commit_cases[] = {
	{ "off by default", false, false, false, false },
	{ "responder sets it", false, true, false, true },
	{ "initiator sets it", true, false, true, true },
	{ "both set it", true, true, true, true },
};

START_TEST(test_commit_bit)
{
	const struct commit_case *cc = &commit_cases[_i];
	struct world w;
	struct wire wire;
	uint32_t id1 = 0, id2 = 0;
	bool commit = cc->c_in_qm2;

	memset(&wire, 0, sizeof(wire));
	world_cfg(&w);
	w.rwc.commit_bit = cc->rw_sets;
	w.gwc.commit_bit = cc->gw_sets;
	w.rwc.pfs_group = IKE_DH_MODP_2048; /* keys derived twice when waiting */
	w.gwc.pfs_group = IKE_DH_MODP_2048;
	world_start(&w);
	sim_net_fault_set(w.net, wire_hook, &wire);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_msg(!!(qm_flags(&wire, false, &id1) & ISAKMP_FLAG_C) == cc->c_in_qm1, "%s QM1",
		      cc->name);
	ck_assert_msg(!!(qm_flags(&wire, true, &id2) & ISAKMP_FLAG_C) == cc->c_in_qm2, "%s QM2",
		      cc->name);
	ck_assert_uint_eq(id1, id2);
	/* 2408-3.1.g: CONNECTED in an Informational with the QM's M-ID. */
	ck_assert_uint_eq(connected_sent(&wire, id1), commit ? 1 : 0);
	ck_assert_int_eq(peer_log_has(&w.rw, "waiting for CONNECTED"), commit);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(w.rw.n_sa, 2);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	ck_assert_uint_eq(w.rw.reasons[IKE_R_TIMEOUT], 0);
	ck_assert_uint_eq(w.rw.reasons[IKE_R_BAD_HASH] + w.gw.reasons[IKE_R_BAD_HASH], 0);
	world_free(&w);
}
END_TEST

/* The responder's CONNECTED never arrives: until the deadline the initiator
 * has only its inbound SA (no outbound SA, no policy: traffic is not sent
 * over it), then it removes it and tells the responder. */
START_TEST(test_commit_connected_lost)
{
	struct world w;
	struct wire wire;
	uint32_t spi_in;

	memset(&wire, 0, sizeof(wire));
	wire.drop_gw_info = true;
	world_cfg(&w);
	w.gwc.commit_bit = true;
	w.rwc.connected_timeout_ms = 8000;
	world_start(&w);
	sim_net_fault_set(w.net, wire_hook, &wire);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 4000, 100000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 0);
	ck_assert_uint_eq(w.rw.n_sa, 1);
	ck_assert(w.rw.sa_inbound[0]);
	ck_assert_uint_eq(w.rw.n_policy, 0);
	spi_in = w.rw.sa[0].spi;
	/* Still waiting just before the deadline... */
	ck_assert_uint_eq(w.rw.reasons[IKE_R_TIMEOUT], 0);
	sim_net_run(w.net, 30000, 100000);
	/* ...then gone, cleanly, on both ends. */
	ck_assert_uint_eq(w.rw.reasons[IKE_R_TIMEOUT], 1);
	ck_assert(peer_log_has(&w.rw, "no CONNECTED"));
	ck_assert_uint_eq(w.rw.n_sa, 1);
	ck_assert_uint_eq(w.rw.n_policy, 0);
	ck_assert_uint_ge(w.rw.n_sa_delete, 1);
	ck_assert_uint_eq(w.rw.sa_delete[w.rw.n_sa_delete - 1].spi, spi_in);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_PEER_DELETE], 1);
	/* The IKE SA survives: a later negotiation works (no commit this time
	 * would need a new gw config; the lost notify is the only fault). */
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 1);
	world_free(&w);
}
END_TEST

/* A CONNECTED for a Quick Mode nobody waits for changes nothing. */
START_TEST(test_commit_connected_late_ignored)
{
	struct world w;
	struct wire wire;

	memset(&wire, 0, sizeof(wire));
	world_cfg(&w);
	w.rwc.commit_bit = true;
	w.gwc.commit_bit = true;
	world_start(&w);
	sim_net_fault_set(w.net, wire_hook, &wire);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 5000, 100000);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_eq(w.rw.n_sa, 2);
	/* Run long: no second install, no timeout. */
	sim_net_run(w.net, 120000, 100000);
	ck_assert_uint_eq(w.rw.n_sa, 2);
	ck_assert_uint_eq(w.rw.reasons[IKE_R_TIMEOUT], 0);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	world_free(&w);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("engine_life");
	TCase *tc = tcase_create("lifetime");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_lifetime_negotiated, 0,
			    (int)(sizeof(life_cases) / sizeof(life_cases[0])));
	tcase_add_test(tc, test_responder_lifetime_drives_rekey);
	tcase_add_test(tc, test_soft_expire_bytes_rekeys);
	tcase_add_test(tc, test_responder_rekeys_late_initiator);
	tcase_add_test(tc, test_responder_no_rekey_with_successor);
	tcase_add_test(tc, test_responder_rekeys_phase1);
	tcase_add_loop_test(tc, test_responder_lifetime_parse, 0,
			    (int)(sizeof(rl_vecs) / sizeof(rl_vecs[0])));
	tcase_add_test(tc, test_responder_lifetime_encode);
	tcase_add_loop_test(tc, test_responder_lifetime_apply, 0,
			    (int)(sizeof(rla_vecs) / sizeof(rla_vecs[0])));
	suite_add_tcase(s, tc);
	tc = tcase_create("commit");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_commit_bit, 0,
			    (int)(sizeof(commit_cases) / sizeof(commit_cases[0])));
	tcase_add_test(tc, test_commit_connected_lost);
	tcase_add_test(tc, test_commit_connected_late_ignored);
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
