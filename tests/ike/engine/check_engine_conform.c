// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RFC 3947/3948 conformance rows that live in the engine, each proven on the
 * wire between two engines through the simulated NATs (docs/conformance.md):
 * what the engine sends is read back from the recorded datagrams, and the
 * encrypted ones are decrypted here, with the Phase 1 key taken from the
 * engine's IKE SA and the IVs computed from the wire (RFC 2409 App. B);
 * messages a peer would send and natkeyd never does (an AH proposal, NAT-OA
 * with non-zero reserved octets) are built with the codec and encrypted here.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "ike/crypto/keys.h"
#include "ike/engine_int.h"
#include "ike/ikev1_states.h"
#include "ike/wire/isakmp.h"
#include "ike/wire/isakmp_decode.h"
#include "ike/wire/isakmp_encode.h"
#include "natt/framing.h"
#include "natt/method.h"
#include "tests/lib/engine_harness.h"
#include "tests/lib/sim/nat.h"

#define GW	"198.51.100.1"
#define NAT	"203.0.113.7"
#define RW	"10.0.0.2"
#define GW_PRIV "10.2.0.1" /* the gateway behind a static 1:1 NAT */
#define GW_PUB	"203.0.113.1"
#define RW_PUB	"198.51.100.2"

/* Every datagram sent, as it left its sender (before any NAT). */
#define WIRE_MAX   2048
#define WIRE_BYTES 2048
struct rec {
	uint64_t t;
	struct sockaddr_storage src, dst;
	size_t len;
	uint8_t buf[WIRE_BYTES];
};

enum topo {
	TOPO_RW_NAT,	/* rw 10.0.0.2 behind an APD/EI NAPT 203.0.113.7, gw public */
	TOPO_DIRECT,	/* rw 198.51.100.2 and gw public, no NAT */
	TOPO_GW_STATIC, /* rw public, gw 10.2.0.1 behind a 1:1 NAT as 203.0.113.1 */
};

struct world {
	struct sim_net *net;
	struct sim_nat *nat;
	struct ike_conn_cfg gwc, rwc;
	struct peer gw, rw;
	const char *rw_addr, *gw_addr; /* own addresses */
	struct rec *wire;
	unsigned n_wire;
	/* Test-specific filter, called after recording: may drop. */
	bool (*drop)(struct world *w, const struct rec *r);
	unsigned dropped;
	bool pass_next; /* the next datagram is the test's own: never dropped */
};

static struct world *hook_world;

static void record(void *ctx, uint64_t index, const struct sim_dgram *d, struct sim_fault *f)
{
	struct world *w = ctx;
	struct rec *r;

	(void)index;
	ck_assert_uint_lt(w->n_wire, WIRE_MAX);
	r = &w->wire[w->n_wire++];
	r->t = sim_net_now(w->net);
	r->src = d->src;
	r->dst = d->dst;
	r->len = d->len;
	memcpy(r->buf, d->buf, d->len < WIRE_BYTES ? d->len : WIRE_BYTES);
	if (w->pass_next)
		w->pass_next = false;
	else if (w->drop && w->drop(w, r)) {
		f->drop = true;
		w->dropped++;
	}
}

static void set_fqdn(struct ike_id *id, const char *name)
{
	id->type = 2;
	id->len = (uint8_t)strlen(name);
	memcpy(id->data, name, id->len);
}

/* Configure both ends (the caller may change w->gwc / w->rwc, then start). */
static void world_cfg(struct world *w, enum topo topo)
{
	memset(w, 0, sizeof(*w));
	w->rw_addr = topo == TOPO_RW_NAT ? RW : RW_PUB;
	w->gw_addr = topo == TOPO_GW_STATIC ? GW_PRIV : GW;
	conn_psk(&w->gwc, "gw-any", w->gw_addr, NULL, "group secret");
	/* A NATed road warrior's private address needs the allow-list. */
	conn_client_allow(&w->gwc, "10.0.0.0", 8);
	w->gwc.client_hosts_only = true;
	conn_psk(&w->rwc, "rw-gw", w->rw_addr, topo == TOPO_GW_STATIC ? GW_PUB : GW,
		 "group secret");
	set_fqdn(&w->rwc.local_id, "rw.example");
	set_fqdn(&w->gwc.local_id, "gw.example");
	set_fqdn(&w->rwc.remote_id, "gw.example");
	w->gwc.keepalive_s = w->rwc.keepalive_s = 20;
	w->net = sim_net_new(31, 10);
	w->wire = calloc(WIRE_MAX, sizeof(*w->wire));
	ck_assert_ptr_nonnull(w->wire);
	if (topo != TOPO_DIRECT) {
		struct sim_nat_cfg nc;

		memset(&nc, 0, sizeof(nc));
		if (topo == TOPO_RW_NAT) {
			sim_addr4(&nc.pub, NAT, 0);
			nc.mapping = nc.filtering = SIM_NAT_APD;
		} else {
			sim_addr4(&nc.pub, GW_PUB, 0);
			sim_addr4(&nc.private_1to1, GW_PRIV, 0);
		}
		nc.seed = 7;
		w->nat = sim_nat_new(&nc);
		ck_assert_ptr_nonnull(w->nat);
		harness_nat_attach(w->net, w->nat);
	}
	sim_net_fault_set(w->net, record, w);
	hook_world = w;
}

static void world_start(struct world *w, enum topo topo)
{
	struct ike_engine_cfg gcfg = { .conns = &w->gwc, .n_conns = 1 };
	struct ike_engine_cfg rcfg = { .conns = &w->rwc, .n_conns = 1 };

	peer_init(&w->gw, "gw", w->net, w->gw_addr, topo == TOPO_GW_STATIC, &gcfg);
	peer_init(&w->rw, "rw", w->net, w->rw_addr, topo == TOPO_RW_NAT, &rcfg);
}

static void world_up(struct world *w, enum topo topo)
{
	world_start(w, topo);
	peer_initiate(&w->rw, 0);
	sim_net_run(w->net, 10000, 1000000);
	ck_assert_uint_eq(peer_status(&w->rw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w->gw).ipsec_sas, 1);
}

static void world_free(struct world *w)
{
	peer_free(&w->gw);
	peer_free(&w->rw);
	sim_nat_free(w->nat);
	sim_net_free(w->net);
	free(w->wire);
}

static bool host_is(const struct sockaddr_storage *ss, const char *ip)
{
	struct sockaddr_storage a;

	sim_addr4(&a, ip, 0);
	return sim_addr_same_host(ss, &a);
}

static bool from_rw(const struct world *w, const struct rec *r)
{
	return host_is(&r->src, w->rw_addr);
}

static bool from_gw(const struct world *w, const struct rec *r)
{
	return host_is(&r->src, w->gw_addr);
}

static bool is_keepalive(const struct rec *r)
{
	return r->len == NATT_KEEPALIVE_LEN && r->buf[0] == NATT_KEEPALIVE_BYTE;
}

/* The ISAKMP message in @r (after the non-ESP marker on 4500), or NULL. */
static const uint8_t *isakmp_of(const struct rec *r, size_t *len)
{
	size_t off = 0;

	if (r->len > WIRE_BYTES || is_keepalive(r))
		return NULL;
	if (sim_addr_port(&r->src) == 4500 || sim_addr_port(&r->dst) == 4500) {
		if (r->len < 4 + ISAKMP_HDR_LEN || memcmp(r->buf, "\0\0\0\0", 4) != 0)
			return NULL;
		off = 4;
	}
	if (r->len < off + ISAKMP_HDR_LEN)
		return NULL;
	*len = r->len - off;
	return r->buf + off;
}

static uint8_t exch_of(const struct rec *r)
{
	size_t len;
	const uint8_t *m = isakmp_of(r, &len);

	return m ? m[18] : 0;
}

static bool encrypted(const struct rec *r)
{
	size_t len;
	const uint8_t *m = isakmp_of(r, &len);

	return m && (m[19] & ISAKMP_FLAG_E);
}

static uint32_t msgid_of(const struct rec *r)
{
	size_t len;
	const uint8_t *m = isakmp_of(r, &len);

	return m ? (uint32_t)m[20] << 24 | (uint32_t)m[21] << 16 | (uint32_t)m[22] << 8 | m[23] : 0;
}

/* The @nth (from 0) recorded message from @gw or the rw with exchange @exch
 * and encryption @enc; NULL if there is none. */
static const struct rec *find_msg(const struct world *w, bool gw, uint8_t exch, bool enc,
				  unsigned nth)
{
	for (unsigned i = 0; i < w->n_wire; i++) {
		const struct rec *r = &w->wire[i];

		if ((gw ? from_gw(w, r) : from_rw(w, r)) && exch_of(r) == exch &&
		    encrypted(r) == enc && nth-- == 0)
			return r;
	}
	return NULL;
}

/* @p's established IKE SA (the newest one). */
static struct ike_sa *ike_sa_of(const struct peer *p)
{
	for (struct ike_sa *sa = p->eng->sas; sa; sa = sa->next)
		if (ikev1_state_info(sa->x.state)->established)
			return sa;
	return NULL;
}

/* Decrypt the body of the message in @r with the Phase 1 key of @sa and @iv;
 * decode it into @msg (which points into @plain). @next_iv (may be NULL)
 * receives the last ciphertext block. Return: the plaintext length. */
static size_t decrypt_rec(const struct ike_sa *sa, const struct rec *r, const uint8_t *iv,
			  uint8_t *plain, struct isakmp_msg *msg, uint8_t *next_iv)
{
	size_t len, blen;
	const uint8_t *m = isakmp_of(r, &len);
	struct isakmp_err err;
	uint8_t scratch[CRYPTO_BLOCK_MAX_LEN];

	ck_assert_ptr_nonnull(m);
	ck_assert(m[19] & ISAKMP_FLAG_E);
	blen = len - ISAKMP_HDR_LEN;
	ck_assert_int_eq(crypto_cbc_decrypt(sa->keys.cipher, sa->keys.enc_key, sa->keys.enc_key_len,
					    iv, m + ISAKMP_HDR_LEN, blen, plain,
					    next_iv ? next_iv : scratch),
			 0);
	memset(msg, 0, sizeof(*msg));
	ck_assert_int_eq(isakmp_hdr_decode(m, len, &msg->hdr, &err), 0);
	ck_assert_msg(isakmp_body_decode(msg->hdr.np, plain, blen, msg, &err) == 0,
		      "decrypted body does not decode: %s at %zu", err.reason, err.offset);
	return blen;
}

/* The IV of the first message of exchange @msgid (RFC 2409 B.h/i). */
static void phase2_iv(const struct ike_sa *sa, uint32_t msgid, uint8_t *iv)
{
	ck_assert_int_eq(keys_phase2_iv(&sa->keys, sa->p1_iv, msgid, iv), 0);
}

/* ---- 3947-4.l / NT-e: the port in the Phase 1 ID payload we send ---------- */

/* The KE payload body of the clear message @r. */
static struct crypto_chunk ke_of(const struct rec *r, struct isakmp_msg *msg)
{
	size_t len;
	const uint8_t *m = isakmp_of(r, &len);
	struct isakmp_err err;
	const struct isakmp_payload *ke;

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(isakmp_msg_decode(m, len, msg, &err), 0);
	ke = isakmp_msg_find(msg, ISAKMP_NP_KE, 0);
	ck_assert_ptr_nonnull(ke);
	return (struct crypto_chunk){ ke->body, ke->body_len };
}

static const struct isakmp_id *id_in(const struct isakmp_msg *msg)
{
	const struct isakmp_payload *id = isakmp_msg_find(msg, ISAKMP_NP_ID, 0);

	ck_assert_ptr_nonnull(id);
	return &id->u.id;
}

/* Main Mode: MM5 and MM6 decrypted here (IV = hash(g^xi | g^xr) from the
 * KE payloads on the wire, then MM5's last block). Loop: NAT-T on (through
 * the NAT: port 0, RFC 3947 s4), off (direct: UDP/500, RFC 2407 4.6.2), and
 * NAT-T draft-02 (port 0 while floating, NT-e). */
START_TEST(test_id_port_main)
{
	bool natt = _i != 1;
	enum topo topo = natt ? TOPO_RW_NAT : TOPO_DIRECT;
	struct world w;
	static struct isakmp_msg m3, m4, m5, m6;
	static uint8_t p5[WIRE_BYTES], p6[WIRE_BYTES];
	struct crypto_chunk gxi, gxr;
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN], iv6[CRYPTO_BLOCK_MAX_LEN];
	const struct rec *mm3, *mm4, *mm5, *mm6;
	const struct ike_sa *sa;
	const struct isakmp_id *id;

	world_cfg(&w, topo);
	w.rwc.natt = w.gwc.natt = natt;
	if (_i == 2) /* NT-e: the same with NAT-T draft-02 */
		w.rwc.natt_methods = w.gwc.natt_methods = NATT_METHOD_BIT(NATT_METHOD_DRAFT_02N);
	world_up(&w, topo);
	sa = ike_sa_of(&w.gw);
	ck_assert_ptr_nonnull(sa);
	ck_assert_uint_eq(sa->natt != NATT_METHOD_NONE, natt);
	if (_i == 2)
		ck_assert_uint_eq(sa->natt, NATT_METHOD_DRAFT_02N);
	mm3 = find_msg(&w, false, ISAKMP_XCHG_IDPROT, false, 1);
	mm4 = find_msg(&w, true, ISAKMP_XCHG_IDPROT, false, 1);
	mm5 = find_msg(&w, false, ISAKMP_XCHG_IDPROT, true, 0);
	mm6 = find_msg(&w, true, ISAKMP_XCHG_IDPROT, true, 0);
	ck_assert(mm3 && mm4 && mm5 && mm6);
	ck_assert_uint_eq(sim_addr_port(&mm5->dst), natt ? 4500 : 500);
	gxi = ke_of(mm3, &m3);
	gxr = ke_of(mm4, &m4);
	ck_assert_int_eq(keys_phase1_iv(sa->keys.hash, gxi, gxr, sa->keys.block_len, iv), 0);
	decrypt_rec(sa, mm5, iv, p5, &m5, iv6);
	decrypt_rec(sa, mm6, iv6, p6, &m6, NULL);
	/* The IDs decrypted are the ones configured: the decryption is real. */
	id = id_in(&m5);
	ck_assert_uint_eq(id->len, strlen("rw.example"));
	ck_assert_mem_eq(id->data, "rw.example", id->len);
	ck_assert_uint_eq(id->port, (natt ? 0 : 500));
	ck_assert_uint_eq(id->protocol, (natt ? 0 : 17));
	id = id_in(&m6);
	ck_assert_mem_eq(id->data, "gw.example", id->len);
	ck_assert_uint_eq(id->port, (natt ? 0 : 500));
	ck_assert_uint_eq(id->protocol, (natt ? 0 : 17));
	world_free(&w);
}
END_TEST

/* Aggressive Mode: the IDs travel in clear in AM1 and AM2. "If the support of
 * the NAT-Traversal is enabled, the port in the ID payload in Main
 * Mode/Aggressive Mode MUST be set to 0" (RFC 3947 s4): the initiator has not
 * seen the peer's VID when it sends AM1, so enabled means configured. */
START_TEST(test_id_port_aggressive)
{
	struct world w;
	static struct isakmp_msg m1, m2;
	struct isakmp_err err;
	const struct rec *am1, *am2;
	const uint8_t *m;
	size_t len;

	world_cfg(&w, TOPO_RW_NAT);
	w.rwc.aggressive = w.gwc.aggressive = w.gwc.aggr_psk_responder = true;
	world_up(&w, TOPO_RW_NAT);
	am1 = find_msg(&w, false, ISAKMP_XCHG_AGGR, false, 0);
	am2 = find_msg(&w, true, ISAKMP_XCHG_AGGR, false, 0);
	ck_assert(am1 && am2);
	m = isakmp_of(am1, &len);
	ck_assert_int_eq(isakmp_msg_decode(m, len, &m1, &err), 0);
	m = isakmp_of(am2, &len);
	ck_assert_int_eq(isakmp_msg_decode(m, len, &m2, &err), 0);
	ck_assert_mem_eq(id_in(&m1)->data, "rw.example", id_in(&m1)->len);
	ck_assert_uint_eq(id_in(&m1)->port, 0);
	ck_assert_uint_eq(id_in(&m1)->protocol, 0);
	ck_assert_mem_eq(id_in(&m2)->data, "gw.example", id_in(&m2)->len);
	ck_assert_uint_eq(id_in(&m2)->port, 0);
	ck_assert_uint_eq(id_in(&m2)->protocol, 0);
	world_free(&w);
}
END_TEST

/* ---- 3947-4.i: an Informational on port 500 after the float ------------- */

static bool drop_rw_info(struct world *w, const struct rec *r)
{
	return from_rw(w, r) && exch_of(r) == ISAKMP_XCHG_INFO;
}

/* natkeyd's policy for the MAY of RFC 3947 s4: an Informational that arrives
 * on port 500 after the move to 4500 is old and is not processed. The rw's
 * Deletes (its teardown) are held back; a copy of each sent to port 500 (no
 * marker) changes nothing on the gw; the originals on 4500 then remove the
 * SAs, so the messages were valid and the port alone made the difference. */
START_TEST(test_info_on_500_after_float)
{
	struct world w;
	struct ike_event t = { .type = IKE_EV_TERMINATE, .u.conn = 0 };
	static struct sim_dgram d;
	unsigned first, end, n_info = 0, rejected;

	world_cfg(&w, TOPO_RW_NAT);
	world_up(&w, TOPO_RW_NAT);
	ck_assert(peer_log_has(&w.rw, "moving IKE to port 4500"));
	w.drop = drop_rw_info;
	first = w.n_wire;
	peer_event(&w.rw, &t);
	sim_net_run(w.net, 11000, 100000);
	ck_assert_uint_ge(w.dropped, 2); /* Delete of the IPsec SA and of the IKE SA */
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	rejected = w.gw.reasons[IKE_R_REJECTED];
	w.drop = NULL;
	end = w.n_wire;
	/* The same Informationals, on port 500. */
	for (unsigned i = first; i < end; i++) {
		const struct rec *r = &w.wire[i];

		if (!drop_rw_info(&w, r))
			continue;
		ck_assert_uint_eq(sim_addr_port(&r->dst), 4500);
		d.src = r->src;
		d.dst = r->dst;
		((struct sockaddr_in *)&d.src)->sin_port = htons(500);
		((struct sockaddr_in *)&d.dst)->sin_port = htons(500);
		d.len = r->len - 4;
		memcpy(d.buf, r->buf + 4, d.len);
		sim_net_send(w.net, &d);
		n_info++;
	}
	ck_assert_uint_ge(n_info, 2);
	sim_net_run(w.net, 12000, 100000);
	ck_assert(peer_log_has(&w.gw, "on port 500 after the move to 4500"));
	ck_assert_uint_eq(w.gw.reasons[IKE_R_REJECTED], rejected + n_info);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_PEER_DELETE], 0);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	ck_assert_uint_eq(peer_status(&w.gw).ike_established, 1);
	/* The originals, on 4500: processed. */
	for (unsigned i = first; i < end; i++) {
		const struct rec *r = &w.wire[i];

		if (!drop_rw_info(&w, r))
			continue;
		d.src = r->src;
		d.dst = r->dst;
		d.len = r->len;
		memcpy(d.buf, r->buf, d.len);
		sim_net_send(w.net, &d);
	}
	sim_net_run(w.net, 13000, 100000);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_PEER_DELETE], 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	world_free(&w);
}
END_TEST

/* ---- 3947-4.n: the first keepalive timer starts after the float ---------- */

/* Keepalives only from 4500 to 4500 (never to port 500), none before the
 * float, and the first one exactly one interval after the last thing the
 * road warrior sent (the float itself, MM5, starts the timer; the Quick Mode
 * that follows postpones it, RFC 3948 s4). Loop 1: a NAT-T draft -00 peer
 * on both ends detects the NAT but never floats (draft -00 keeps IKE on 500):
 * no keepalive at all, none to port 500. */
START_TEST(test_first_keepalive_after_float)
{
	bool draft00 = _i == 1;
	struct world w;
	uint64_t t_float = 0, t_last_ike = 0, t_ka = 0;
	unsigned n_ka = 0;

	world_cfg(&w, TOPO_RW_NAT);
	if (draft00)
		w.rwc.natt_methods = w.gwc.natt_methods = NATT_METHOD_BIT(NATT_METHOD_DRAFT_00);
	world_start(&w, TOPO_RW_NAT);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 100000, 1000000);
	ck_assert_uint_ge(w.rw.reasons[IKE_R_NAT_DETECTED], 1);
	ck_assert_uint_ge(peer_status(&w.rw).ike_established, 1);
	for (unsigned i = 0; i < w.n_wire; i++) {
		const struct rec *r = &w.wire[i];

		if (!from_rw(&w, r))
			continue;
		if (is_keepalive(r)) {
			ck_assert_uint_eq(sim_addr_port(&r->src), 4500);
			ck_assert_uint_eq(sim_addr_port(&r->dst), 4500);
			if (!n_ka++)
				t_ka = r->t;
			continue;
		}
		if (!t_float && sim_addr_port(&r->src) == 4500)
			t_float = r->t;
		if (!n_ka)
			t_last_ike = r->t;
	}
	ck_assert_uint_eq(w.gw.keepalives, 0);
	if (draft00) {
		ck_assert_uint_eq(t_float, 0);
		ck_assert_uint_eq(n_ka, 0);
		world_free(&w);
		return;
	}
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_gt(t_float, 0);
	ck_assert_uint_ge(n_ka, 4);
	ck_assert_uint_ge(t_ka, t_float + 20000);
	ck_assert_uint_ge(t_ka, t_last_ike + 20000);
	ck_assert_uint_le(t_ka, t_last_ike + 20000 + 50);
	world_free(&w);
}
END_TEST

/* ---- 3947-3.2.e, 3947-4.m: the responder behind a 1:1 NAT --------------- */

/* The NAT-D result, not the role, decides who sends keepalives: here the
 * gateway (responder) is behind a static NAT and the road warrior is not.
 * The initiator still floats both ports to 4500, and Y = 4500 (no port
 * translation): every SA of both ends uses 4500 on both sides. */
START_TEST(test_responder_behind_static_nat)
{
	struct world w;

	world_cfg(&w, TOPO_GW_STATIC);
	/* A subnet behind the gateway, as a real 1:1-NATed gateway has. */
	w.rwc.remote_ts.addr.family = w.gwc.local_ts.addr.family = XK_AF_INET;
	memcpy(w.rwc.remote_ts.addr.bytes, "\x0a\x09\x00\x00", 4);
	memcpy(w.gwc.local_ts.addr.bytes, "\x0a\x09\x00\x00", 4);
	w.rwc.remote_ts.plen = w.gwc.local_ts.plen = 24;
	world_up(&w, TOPO_GW_STATIC);
	ck_assert(peer_log_has(&w.gw, "we behind NAT, peer not behind NAT"));
	ck_assert(peer_log_has(&w.rw, "we not behind NAT, peer behind NAT"));
	ck_assert(peer_log_has(&w.rw, "moving IKE to port 4500"));
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	for (unsigned i = 0; i < w.rw.n_sa; i++) {
		ck_assert(w.rw.sa[i].encap.enabled);
		ck_assert_uint_eq(w.rw.sa[i].encap.sport, 4500);
		ck_assert_uint_eq(w.rw.sa[i].encap.dport, 4500);
	}
	for (unsigned i = 0; i < w.gw.n_sa; i++) {
		ck_assert(w.gw.sa[i].encap.enabled);
		ck_assert_uint_eq(w.gw.sa[i].encap.sport, 4500);
		ck_assert_uint_eq(w.gw.sa[i].encap.dport, 4500);
	}
	/* The rw's outbound SA goes to the NAT's public address. */
	for (unsigned i = 0; i < w.rw.n_sa; i++)
		if (!w.rw.sa_inbound[i])
			ck_assert(memcmp(w.rw.sa[i].dst.bytes, "\xcb\x00\x71\x01", 4) == 0);
	sim_net_run(w.net, 100000, 1000000);
	ck_assert_uint_ge(w.gw.keepalives, 4);
	ck_assert_uint_eq(w.rw.keepalives, 0);
	for (unsigned i = 0; i < w.n_wire; i++)
		if (is_keepalive(&w.wire[i])) {
			ck_assert(from_gw(&w, &w.wire[i]));
			ck_assert_uint_eq(sim_addr_port(&w.wire[i].dst), 4500);
		}
	world_free(&w);
}
END_TEST

/* ---- 3948-4.a: keepalives are not liveness ------------------------------- */

static bool drop_all_but_keepalives(struct world *w, const struct rec *r)
{
	(void)w;
	return !is_keepalive(r);
}

/* The gateway runs DPD; from some moment on only the road warrior's
 * keepalives get through (everything else, both ways, is lost). The gw must
 * still declare the peer dead: receiving keepalives says nothing about the
 * peer's IKE (RFC 3948 s4). */
START_TEST(test_keepalives_not_liveness)
{
	struct world w;
	unsigned first, ka = 0;

	world_cfg(&w, TOPO_RW_NAT);
	w.gwc.dpd_delay_s = 10;
	w.gwc.dpd_timeout_s = 60;
	world_up(&w, TOPO_RW_NAT);
	ck_assert(ike_sa_of(&w.gw)->peer_dpd);
	sim_net_run(w.net, 30000, 1000000);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_DPD_DEAD], 0);
	w.drop = drop_all_but_keepalives;
	first = w.n_wire;
	sim_net_run(w.net, 30000 + 10000 + 60000 + 15000, 1000000);
	for (unsigned i = first; i < w.n_wire; i++)
		ka += is_keepalive(&w.wire[i]) && from_rw(&w, &w.wire[i]);
	ck_assert_uint_ge(ka, 3);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_DPD_DEAD], 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	world_free(&w);
}
END_TEST

/* ---- 3948-4.b: keepalives stop after the last SA ------------------------- */

static unsigned rw_keepalives_between(const struct world *w, uint64_t from, uint64_t to)
{
	unsigned n = 0;

	for (unsigned i = 0; i < w->n_wire; i++)
		n += is_keepalive(&w->wire[i]) && from_rw(w, &w->wire[i]) && w->wire[i].t >= from &&
		     w->wire[i].t < to;
	return n;
}

/* The gateway deletes everything (its teardown): the road warrior, left
 * without any SA, stops its keepalives, at the latest after the 5 minutes
 * RFC 3948 s4 allows (natkeyd: at once). */
START_TEST(test_keepalives_stop_after_last_sa)
{
	struct world w;
	struct ike_event t = { .type = IKE_EV_TERMINATE, .u.conn = 0 };
	uint64_t gone;

	world_cfg(&w, TOPO_RW_NAT);
	world_up(&w, TOPO_RW_NAT);
	sim_net_run(w.net, 70000, 1000000);
	ck_assert_uint_ge(rw_keepalives_between(&w, 0, 70000), 2);
	peer_event(&w.gw, &t);
	sim_net_run(w.net, 71000, 1000000);
	gone = sim_net_now(w.net);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ike_sas, 0);
	sim_net_run(w.net, gone + 900000, 1000000);
	ck_assert_uint_eq(rw_keepalives_between(&w, gone + 300000, UINT64_MAX), 0);
	ck_assert_uint_eq(rw_keepalives_between(&w, gone, UINT64_MAX), 0);
	world_free(&w);
}
END_TEST

/* The peer deletes the IKE SA alone (IKEv1 IPsec SAs outlive the IKE SA
 * that negotiated them; natkeyd itself always rekeys, some peers do not):
 * the road warrior keeps its IPsec SA and, behind the NAT, the NAT binding of
 * its ESP: keepalives go on while "a Phase 1 or Phase 2 SA exists with the
 * peer" (RFC 3948 s4). */
static void protect(const struct ike_sa *sa, uint8_t exch, uint32_t msgid, uint8_t np,
		    uint8_t *body, size_t n, struct sim_dgram *d, uint8_t *next_iv);

START_TEST(test_keepalives_while_ipsec_sa_only)
{
	struct world w;
	static struct sim_dgram d;
	static uint8_t body[512];
	uint8_t zero[CRYPTO_HASH_MAX_LEN] = { 0 }, cky[16];
	const struct ike_sa *sa;
	struct isakmp_enc e;
	ssize_t n;
	uint64_t t0;

	world_cfg(&w, TOPO_RW_NAT);
	world_up(&w, TOPO_RW_NAT);
	sa = ike_sa_of(&w.gw);
	memcpy(cky, sa->cky_i, 8);
	memcpy(cky + 8, sa->cky_r, 8);
	isakmp_enc_init(&e, body, sizeof(body) - 64);
	isakmp_enc_generic(&e, ISAKMP_NP_HASH, zero, sa->keys.prf_len);
	isakmp_enc_delete(&e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, 16, cky, 1);
	n = isakmp_enc_finish(&e);
	ck_assert_int_gt(n, 0);
	protect(sa, ISAKMP_XCHG_INFO, 0x5a5a0002, isakmp_enc_first_np(&e), body, (size_t)n, &d,
		NULL);
	memcpy(&d.src, &sa->local, sizeof(sa->local.in));
	memcpy(&d.dst, &sa->remote, sizeof(sa->remote.in));
	sim_net_send(w.net, &d);
	sim_net_run(w.net, 11000, 1000000);
	ck_assert_uint_ge(w.rw.reasons[IKE_R_PEER_DELETE], 1);
	ck_assert_uint_eq(peer_status(&w.rw).ike_established, 0);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	t0 = sim_net_now(w.net);
	sim_net_run(w.net, t0 + 100000, 1000000);
	ck_assert_uint_eq(peer_status(&w.rw).ipsec_sas, 1);
	ck_assert_uint_ge(rw_keepalives_between(&w, t0, t0 + 100000), 4);
	ck_assert_uint_le(rw_keepalives_between(&w, t0, t0 + 100000), 5);
	for (unsigned i = 0; i < w.n_wire; i++)
		if (is_keepalive(&w.wire[i])) {
			ck_assert_uint_eq(sim_addr_port(&w.wire[i].src), 4500);
			ck_assert_uint_eq(sim_addr_port(&w.wire[i].dst), 4500);
		}
	world_free(&w);
}
END_TEST

/* ---- 3947-5.1.d: one encapsulation mode per offer ------------------------ */

/* The Encapsulation Mode values of every transform of the QM1 in @r. */
static unsigned qm1_encaps(const struct world *w, const struct rec *r, uint16_t *modes,
			   unsigned max)
{
	static uint8_t plain[WIRE_BYTES];
	static struct isakmp_msg msg;
	const struct ike_sa *sa = ike_sa_of(&w->gw);
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN];
	const struct isakmp_payload *sap;
	struct isakmp_prop_iter pit;
	struct isakmp_proposal prop;
	unsigned n = 0;

	ck_assert_ptr_nonnull(sa);
	phase2_iv(sa, msgid_of(r), iv);
	decrypt_rec(sa, r, iv, plain, &msg, NULL);
	sap = isakmp_msg_find(&msg, ISAKMP_NP_SA, 0);
	ck_assert_ptr_nonnull(sap);
	isakmp_prop_iter_init(&pit, &sap->u.sa);
	while (isakmp_prop_next(&pit, &prop)) {
		struct isakmp_xform_iter xit;
		struct isakmp_transform xf;

		ck_assert_uint_eq(prop.protocol, ISAKMP_PROTO_ESP);
		isakmp_xform_iter_init(&xit, &prop);
		while (isakmp_xform_next(&xit, &xf)) {
			struct isakmp_attr_iter ait;
			struct isakmp_attr a;
			bool have = false;

			isakmp_attr_iter_init(&ait, xf.attrs, xf.attrs_len);
			while (isakmp_attr_next(&ait, &a))
				if (a.type == ISAKMP_IPSEC_ENCAP_MODE) {
					ck_assert_uint_lt(n, max);
					modes[n++] = a.value;
					have = true;
				}
			ck_assert_msg(have, "a transform without Encapsulation Mode");
		}
	}
	return n;
}

/* Three ESP transforms offered; loop: tunnel / transport x behind a NAT /
 * not. Every transform of the offer carries the same mode: the UDP-
 * encapsulated one through the NAT, the normal one without (RFC 3947 s5.1:
 * the initiator SHOULD NOT offer both). */
START_TEST(test_one_encap_mode_per_offer)
{
	bool nat = _i & 1, transport = _i & 2;
	enum topo topo = nat ? TOPO_RW_NAT : TOPO_DIRECT;
	struct world w;
	const struct rec *qm1;
	uint16_t modes[16], want;
	unsigned n;

	world_cfg(&w, topo);
	w.rwc.p2[1] = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 256, XK_AUTH_HMAC_SHA256_128 };
	w.rwc.p2[2] = (struct ike_p2_proposal){ XK_ENC_AES_GCM_16, 128, XK_AUTH_NONE };
	w.rwc.n_p2 = 3;
	if (transport)
		w.rwc.mode = w.gwc.mode = XK_MODE_TRANSPORT;
	world_up(&w, topo);
	qm1 = find_msg(&w, false, ISAKMP_XCHG_QUICK, true, 0);
	ck_assert_ptr_nonnull(qm1);
	n = qm1_encaps(&w, qm1, modes, 16);
	ck_assert_uint_eq(n, 3);
	want = transport ? (nat ? ISAKMP_ENCAP_UDP_TRANSPORT : ISAKMP_ENCAP_TRANSPORT)
			 : (nat ? ISAKMP_ENCAP_UDP_TUNNEL : ISAKMP_ENCAP_TUNNEL);
	for (unsigned i = 0; i < n; i++)
		ck_assert_uint_eq(modes[i], want);
	world_free(&w);
}
END_TEST

/* ---- NT-b: a NAT-T draft -04..-08 peer ---------------------------------- */

/* Both ends speak only draft-ietf-ipsec-nat-t-ike-08, transport mode through
 * the NAT: NAT-D travels as payload 15 in MM3/MM4 (clear), NAT-OA as 16 and
 * Encapsulation Mode 4 in QM1 (decrypted here), and the SAs are
 * UDP-encapsulated with the rw's original address. */
START_TEST(test_draft08_peer)
{
	struct world w;
	static struct isakmp_msg msg;
	static uint8_t plain[WIRE_BYTES];
	struct isakmp_err err;
	const struct rec *r;
	const struct ike_sa *sa;
	const struct xk_sa *gw_in = NULL;
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN];
	uint16_t modes[8];
	const uint8_t *m;
	size_t len;

	world_cfg(&w, TOPO_RW_NAT);
	w.rwc.natt_methods = w.gwc.natt_methods = NATT_METHOD_BIT(NATT_METHOD_DRAFT_08);
	w.rwc.mode = w.gwc.mode = XK_MODE_TRANSPORT;
	world_up(&w, TOPO_RW_NAT);
	sa = ike_sa_of(&w.gw);
	ck_assert_uint_eq(sa->natt, NATT_METHOD_DRAFT_08);
	for (int gw = 0; gw < 2; gw++) {
		r = find_msg(&w, gw, ISAKMP_XCHG_IDPROT, false, 1);
		ck_assert_ptr_nonnull(r);
		m = isakmp_of(r, &len);
		ck_assert_int_eq(isakmp_msg_decode(m, len, &msg, &err), 0);
		ck_assert_uint_eq(isakmp_msg_count(&msg, ISAKMP_NP_NATD_DRAFT), 2);
		ck_assert_uint_eq(isakmp_msg_count(&msg, ISAKMP_NP_NATD), 0);
	}
	r = find_msg(&w, false, ISAKMP_XCHG_QUICK, true, 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(qm1_encaps(&w, r, modes, 8), 1);
	ck_assert_uint_eq(modes[0], ISAKMP_ENCAP_UDP_TRANSPORT);
	phase2_iv(sa, msgid_of(r), iv);
	decrypt_rec(sa, r, iv, plain, &msg, NULL);
	ck_assert_uint_eq(isakmp_msg_count(&msg, ISAKMP_NP_NATOA_DRAFT), 2);
	ck_assert_uint_eq(isakmp_msg_count(&msg, ISAKMP_NP_NATOA), 0);
	for (unsigned i = w.gw.n_sa; i-- > 0 && !gw_in;)
		if (w.gw.sa_inbound[i])
			gw_in = &w.gw.sa[i];
	ck_assert_ptr_nonnull(gw_in);
	ck_assert(gw_in->encap.enabled);
	ck_assert_mem_eq(gw_in->encap.oa.bytes, "\x0a\x00\x00\x02", 4);
	ck_assert_int_eq(keys_match(&w.rw, &w.gw), 2);
	world_free(&w);
}
END_TEST

/* ---- 3947-7.c: nothing unauthenticated moves the peer -------------------- */

/* From new source ports of the road warrior (new NAT mappings): a forged
 * message with the SA's cookies and a garbage body, a verbatim replay of the
 * rw's QM3 (authentic but old), a keepalive. The gateway moves nothing, logs
 * no MAPPING_CHANGED and sends nothing anywhere but the old mapping; a real
 * message from the old port still works (the SA is intact). */
START_TEST(test_unauthenticated_moves_nothing)
{
	struct world w;
	static struct sim_dgram d;
	const struct rec *qm3;
	struct ike_sa *gsa;
	uint16_t y;
	unsigned first, end;

	world_cfg(&w, TOPO_RW_NAT);
	world_up(&w, TOPO_RW_NAT);
	gsa = ike_sa_of(&w.gw);
	y = ntohs(gsa->remote.in.sin_port);
	qm3 = find_msg(&w, false, ISAKMP_XCHG_QUICK, true, 1);
	ck_assert_ptr_nonnull(qm3);
	first = w.n_wire;
	for (int k = 0; k < 3; k++) {
		d.src = qm3->src;
		d.dst = qm3->dst;
		((struct sockaddr_in *)&d.src)->sin_port = htons((uint16_t)(4600 + k));
		d.len = qm3->len;
		memcpy(d.buf, qm3->buf, d.len);
		if (k == 0) /* forged: valid cookies, body bytes changed */
			for (size_t j = 4 + ISAKMP_HDR_LEN; j < d.len; j++)
				d.buf[j] ^= 0x5a;
		if (k == 2) { /* a keepalive */
			d.len = 1;
			d.buf[0] = NATT_KEEPALIVE_BYTE;
		}
		w.pass_next = true;
		sim_net_send(w.net, &d);
		sim_net_run(w.net, sim_net_now(w.net) + 1000, 100000);
	}
	end = w.n_wire;
	ck_assert_uint_eq(w.gw.reasons[IKE_R_MAPPING_CHANGED], 0);
	ck_assert_uint_eq(w.gw.n_move, 0);
	ck_assert_uint_eq(ntohs(ike_sa_of(&w.gw)->remote.in.sin_port), y);
	for (unsigned i = first; i < end; i++)
		if (from_gw(&w, &w.wire[i]))
			ck_assert_uint_eq(sim_addr_port(&w.wire[i].dst), y);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	/* The real peer, from its real mapping, is still heard: its Deletes. */
	{
		struct ike_event t = { .type = IKE_EV_TERMINATE, .u.conn = 0 };

		peer_event(&w.rw, &t);
	}
	sim_net_run(w.net, sim_net_now(w.net) + 1000, 100000);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_PEER_DELETE], 1);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	ck_assert_uint_eq(w.gw.reasons[IKE_R_MAPPING_CHANGED], 0);
	world_free(&w);
}
END_TEST

/* ---- building protected Quick Mode messages here ------------------------ */

/* Pad and encrypt @body (@n bytes of payloads, the first of type @np) as
 * a protected message of exchange @exch and M-ID @msgid in @sa, with @iv
 * (NULL: the exchange's first IV, RFC 2409 B.h/i); @d gets the datagram with
 * the non-ESP marker, @next_iv (may be NULL) the last ciphertext block. */
static void seal(const struct ike_sa *sa, uint8_t exch, uint32_t msgid, uint8_t np, uint8_t *body,
		 size_t n, const uint8_t *iv, struct sim_dgram *d, uint8_t *next_iv)
{
	size_t pad = crypto_pad_len(n, sa->keys.block_len), total = n + pad;
	uint8_t first[CRYPTO_BLOCK_MAX_LEN];
	struct isakmp_hdr h;

	crypto_pad_write(body + n, pad);
	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, sa->cky_i, 8);
	memcpy(h.rcookie, sa->cky_r, 8);
	h.np = np;
	h.version = ISAKMP_VERSION;
	h.exchange = exch;
	h.flags = ISAKMP_FLAG_E;
	h.msgid = msgid;
	h.length = (uint32_t)(ISAKMP_HDR_LEN + total);
	memset(d->buf, 0, 4);
	ck_assert_int_eq(isakmp_hdr_encode(d->buf + 4, sizeof(d->buf) - 4, &h), ISAKMP_HDR_LEN);
	if (!iv) {
		phase2_iv(sa, msgid, first);
		iv = first;
	}
	ck_assert_int_eq(crypto_cbc_encrypt(sa->keys.cipher, sa->keys.enc_key, sa->keys.enc_key_len,
					    iv, body, total, d->buf + 4 + ISAKMP_HDR_LEN, next_iv),
			 0);
	d->len = 4 + ISAKMP_HDR_LEN + total;
}

/* seal() the first message of an exchange whose first payload is a HASH of
 * prf_len bytes, after computing it as HASH(1) = prf(SKEYID_a, M-ID |
 * everything after the HASH payload) (RFC 2409 s5.5, s5.7). */
static void protect(const struct ike_sa *sa, uint8_t exch, uint32_t msgid, uint8_t np,
		    uint8_t *body, size_t n, struct sim_dgram *d, uint8_t *next_iv)
{
	size_t hl = ISAKMP_GEN_LEN + sa->keys.prf_len;
	struct crypto_chunk rest = { body + hl, n - hl };

	ck_assert_int_eq(
		keys_qm_hash1(&sa->keys, msgid, &rest, 1, body + ISAKMP_GEN_LEN, sa->keys.prf_len),
		(int)sa->keys.prf_len);
	seal(sa, exch, msgid, np, body, n, NULL, d, next_iv);
}

/* ---- 3948-1.d: an AH proposal is refused --------------------------------- */

/* After the tunnel is up, the road warrior's end (keys from its IKE SA)
 * sends a Quick Mode offering AH only (SHA, UDP-Encapsulated-Tunnel), built
 * with the codec. The gateway installs nothing and answers with a protected
 * NO-PROPOSAL-CHOSEN, read back here. */
START_TEST(test_ah_proposal_refused)
{
	struct world w;
	static struct sim_dgram d;
	static uint8_t body[1024], plain[WIRE_BYTES];
	static struct isakmp_msg msg;
	const uint32_t msgid = 0x5a5a0001, spi = htonl(0x0badc0de);
	const struct ike_sa *sa;
	struct isakmp_enc e;
	uint8_t nonce[32], zero[CRYPTO_HASH_MAX_LEN] = { 0 }, iv[CRYPTO_BLOCK_MAX_LEN];
	unsigned n_sa, first;
	const struct rec *ans = NULL;
	const struct isakmp_payload *np;
	ssize_t n;

	world_cfg(&w, TOPO_RW_NAT);
	/* The gw also takes ESP 3DES-SHA1: ESP transform 3 (3DES) has the
	 * number of AH transform 3 (AH_SHA), so an AH proposal read as ESP
	 * would be accepted; only its protocol refuses it. */
	w.gwc.p2[1] = (struct ike_p2_proposal){ XK_ENC_3DES_CBC, 0, XK_AUTH_HMAC_SHA1_96 };
	w.gwc.n_p2 = 2;
	w.gwc.allow_legacy = true;
	world_up(&w, TOPO_RW_NAT);
	sa = ike_sa_of(&w.rw);
	ck_assert_ptr_nonnull(sa);
	memset(nonce, 0x4e, sizeof(nonce));
	isakmp_enc_init(&e, body, sizeof(body) - 64);
	isakmp_enc_generic(&e, ISAKMP_NP_HASH, zero, sa->keys.prf_len);
	isakmp_enc_sa_begin(&e, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	isakmp_enc_prop_begin(&e, 1, ISAKMP_PROTO_AH, &spi, 4);
	isakmp_enc_xform_begin(&e, 1, ISAKMP_AH_SHA);
	isakmp_enc_attr_tv(&e, ISAKMP_IPSEC_ENCAP_MODE, ISAKMP_ENCAP_UDP_TUNNEL);
	isakmp_enc_attr_tv(&e, ISAKMP_IPSEC_AUTH_ALG, 2 /* HMAC-SHA */);
	isakmp_enc_xform_end(&e);
	isakmp_enc_prop_end(&e);
	isakmp_enc_sa_end(&e);
	isakmp_enc_generic(&e, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
	n = isakmp_enc_finish(&e);
	ck_assert_int_gt(n, 0);
	protect(sa, ISAKMP_XCHG_QUICK, msgid, isakmp_enc_first_np(&e), body, (size_t)n, &d, NULL);
	sim_addr4(&d.src, RW, 4500);
	sim_addr4(&d.dst, GW, 4500);
	n_sa = w.gw.n_sa;
	first = w.n_wire;
	sim_net_send(w.net, &d);
	sim_net_run(w.net, 11000, 100000);
	ck_assert_uint_ge(w.gw.reasons[IKE_R_NO_PROPOSAL], 1);
	ck_assert_uint_eq(w.gw.n_sa, n_sa);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	/* The answer: a protected Informational with NO-PROPOSAL-CHOSEN. */
	for (unsigned i = first; i < w.n_wire && !ans; i++)
		if (from_gw(&w, &w.wire[i]) && exch_of(&w.wire[i]) == ISAKMP_XCHG_INFO &&
		    encrypted(&w.wire[i]))
			ans = &w.wire[i];
	ck_assert_ptr_nonnull(ans);
	sa = ike_sa_of(&w.gw);
	phase2_iv(sa, msgid_of(ans), iv);
	decrypt_rec(sa, ans, iv, plain, &msg, NULL);
	np = isakmp_msg_find(&msg, ISAKMP_NP_N, 0);
	ck_assert_ptr_nonnull(np);
	ck_assert_uint_eq(np->u.notify.type, ISAKMP_N_NO_PROPOSAL_CHOSEN);
	world_free(&w);
}
END_TEST

/* ---- 3947-5.2.g: reserved octets of NAT-OA ------------------------------- */

static bool drop_rw_qm(struct world *w, const struct rec *r)
{
	return from_rw(w, r) && exch_of(r) == ISAKMP_XCHG_QUICK;
}

/* Transport mode through the NAT. natkeyd's own NAT-OA payloads (QM1 and
 * QM2, decrypted here) carry zero reserved octets. A QM1 whose NAT-OA
 * reserved octets are not zero (re-encrypted here with a valid HASH(1)) is
 * tolerated by design (ike/wire/isakmp_decode.h: some clients set them; RFC
 * 3947 s5.2 asks senders for zero): its address is read from the right
 * octets, never from the reserved ones. */
START_TEST(test_natoa_reserved)
{
	struct world w;
	static struct sim_dgram d;
	static uint8_t plain[WIRE_BYTES];
	static struct isakmp_msg msg;
	const struct rec *qm1, *qm2 = NULL;
	const struct isakmp_payload *ni, *nr;
	const struct ike_sa *sa;
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN], next[CRYPTO_BLOCK_MAX_LEN], ni_b[V1_NONCE_MAX];
	uint8_t nr_b[V1_NONCE_MAX];
	size_t ni_len, nr_len;
	unsigned noa = 0, first;
	size_t blen;
	const struct xk_sa *gw_in = NULL;

	/* 1. What natkeyd sends. */
	world_cfg(&w, TOPO_RW_NAT);
	w.rwc.mode = w.gwc.mode = XK_MODE_TRANSPORT;
	world_up(&w, TOPO_RW_NAT);
	sa = ike_sa_of(&w.gw);
	for (int gw = 0; gw < 2; gw++) {
		const struct rec *r = find_msg(&w, gw, ISAKMP_XCHG_QUICK, true, 0);

		ck_assert_ptr_nonnull(r);
		/* QM1's IV from the M-ID; QM2's is QM1's last block. */
		if (!gw)
			phase2_iv(sa, msgid_of(r), iv);
		decrypt_rec(sa, r, iv, plain, &msg, next);
		memcpy(iv, next, sizeof(iv));
		ck_assert_uint_eq(isakmp_msg_count(&msg, ISAKMP_NP_NATOA), 2);
		for (unsigned i = 0; i < msg.npayloads; i++)
			if (msg.payloads[i].type == ISAKMP_NP_NATOA) {
				ck_assert_mem_eq(msg.payloads[i].body + 1, "\0\0\0", 3);
				noa++;
			}
	}
	ck_assert_uint_eq(noa, 4);
	world_free(&w);

	/* 2. A peer that sets them: the rw's QM1 is held back, re-encrypted here
	 * with the reserved octets set and a valid HASH(1), and the exchange
	 * finished here with QM3 (the rw's own IV chain no longer matches). */
	world_cfg(&w, TOPO_RW_NAT);
	w.rwc.mode = w.gwc.mode = XK_MODE_TRANSPORT;
	w.drop = drop_rw_qm;
	world_start(&w, TOPO_RW_NAT);
	peer_initiate(&w.rw, 0);
	sim_net_run(w.net, 300, 1000000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 0);
	qm1 = find_msg(&w, false, ISAKMP_XCHG_QUICK, true, 0);
	ck_assert_ptr_nonnull(qm1);
	sa = ike_sa_of(&w.rw);
	phase2_iv(sa, msgid_of(qm1), iv);
	blen = decrypt_rec(sa, qm1, iv, plain, &msg, NULL);
	noa = 0;
	for (unsigned i = 0; i < msg.npayloads; i++)
		if (msg.payloads[i].type == ISAKMP_NP_NATOA) {
			uint8_t *b = plain + msg.payloads[i].offset + ISAKMP_GEN_LEN;

			b[1] = 0xa5;
			b[2] = 0x5a;
			b[3] = 0xff;
			noa++;
		}
	ck_assert_uint_eq(noa, 2);
	ni = isakmp_msg_find(&msg, ISAKMP_NP_NONCE, 0);
	ck_assert_ptr_nonnull(ni);
	memcpy(ni_b, ni->body, ni->body_len);
	ni_len = ni->body_len;
	first = w.n_wire;
	protect(sa, ISAKMP_XCHG_QUICK, msgid_of(qm1), msg.hdr.np, plain, blen - msg.padding_len, &d,
		next);
	d.src = qm1->src;
	d.dst = qm1->dst;
	w.pass_next = true;
	sim_net_send(w.net, &d);
	sim_net_run(w.net, 400, 1000000);
	/* The gw answered it with QM2: decrypt it for Nr, then QM3. */
	for (unsigned i = first; i < w.n_wire && !qm2; i++)
		if (from_gw(&w, &w.wire[i]) && exch_of(&w.wire[i]) == ISAKMP_XCHG_QUICK)
			qm2 = &w.wire[i];
	ck_assert_ptr_nonnull(qm2);
	ck_assert_uint_eq(msgid_of(qm2), msgid_of(qm1));
	decrypt_rec(sa, qm2, next, plain, &msg, iv);
	nr = isakmp_msg_find(&msg, ISAKMP_NP_NONCE, 0);
	ck_assert_ptr_nonnull(nr);
	memcpy(nr_b, nr->body, nr->body_len);
	nr_len = nr->body_len;
	memset(plain, 0, sizeof(plain));
	plain[2] = 0;
	plain[3] = (uint8_t)(ISAKMP_GEN_LEN + sa->keys.prf_len);
	ck_assert_int_eq(keys_qm_hash3(&sa->keys, msgid_of(qm1),
				       (struct crypto_chunk){ ni_b, ni_len },
				       (struct crypto_chunk){ nr_b, nr_len },
				       plain + ISAKMP_GEN_LEN, sa->keys.prf_len),
			 (int)sa->keys.prf_len);
	seal(sa, ISAKMP_XCHG_QUICK, msgid_of(qm1), ISAKMP_NP_HASH, plain,
	     ISAKMP_GEN_LEN + sa->keys.prf_len, iv, &d, NULL);
	d.src = qm1->src;
	d.dst = qm1->dst;
	w.pass_next = true;
	sim_net_send(w.net, &d);
	sim_net_run(w.net, 600, 1000000);
	ck_assert_uint_eq(peer_status(&w.gw).ipsec_sas, 1);
	for (unsigned i = w.gw.n_sa; i-- > 0 && !gw_in;)
		if (w.gw.sa_inbound[i])
			gw_in = &w.gw.sa[i];
	ck_assert_ptr_nonnull(gw_in);
	ck_assert_uint_eq(gw_in->encap.oa.family, XK_AF_INET);
	ck_assert_mem_eq(gw_in->encap.oa.bytes, "\x0a\x00\x00\x02", 4);
	world_free(&w);
}
END_TEST

/* One test case per test, so that CK_RUN_CASE=test_name runs one alone. */
static void add(Suite *s, const char *name, const TTest *t, int loops)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, 120);
	if (loops)
		tcase_add_loop_test(tc, t, 0, loops);
	else
		tcase_add_test(tc, t);
	suite_add_tcase(s, tc);
}

int main(void)
{
	Suite *s = suite_create("engine_conform");
	SRunner *sr;
	int failed;

	add(s, "id_port_main", test_id_port_main, 3);
	add(s, "id_port_aggressive", test_id_port_aggressive, 0);
	add(s, "info_on_500_after_float", test_info_on_500_after_float, 0);
	add(s, "first_keepalive_after_float", test_first_keepalive_after_float, 2);
	add(s, "responder_behind_static_nat", test_responder_behind_static_nat, 0);
	add(s, "keepalives_not_liveness", test_keepalives_not_liveness, 0);
	add(s, "keepalives_stop_after_last_sa", test_keepalives_stop_after_last_sa, 0);
	add(s, "keepalives_while_ipsec_sa_only", test_keepalives_while_ipsec_sa_only, 0);
	add(s, "one_encap_mode_per_offer", test_one_encap_mode_per_offer, 4);
	add(s, "draft08_peer", test_draft08_peer, 0);
	add(s, "unauthenticated_moves_nothing", test_unauthenticated_moves_nothing, 0);
	add(s, "ah_proposal_refused", test_ah_proposal_refused, 0);
	add(s, "natoa_reserved", test_natoa_reserved, 0);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
