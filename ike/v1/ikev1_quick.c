// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Quick Mode (RFC 2409 s5.5, 2409-5.5.e):
 *
 *   HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr] [, NAT-OAi, NAT-OAr] -->
 *                 <-- HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr] [, NAT-OA...]
 *   HDR*, HASH(3) -->
 *
 * Our inbound SPI comes from the kernel (XFRM_MSG_ALLOCSPI, never 0 nor
 * 1..255, RFC 3948 s1), so each side waits for the kernel once: the
 * initiator before QM1 (QUICK_I0), the responder before QM2 (QUICK_R0W).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/engine_int.h"
#include "ike/v1/ikev1_cfg.h"
#include "ike/v1/ikev1_exchanges.h"
#include "ike/v1/ikev1_handlers.h"
#include "ike/sa/ikev1_ids.h"
#include "ike/ikev1_msg.h"
#include "ike/wire/isakmp_names.h"
#include "ike/crypto/keys.h"
#include "ike/sa/proposal.h"
#include "natt/encap.h"
#include "natt/endpoint.h"
#include "natt/framing.h"
#include "ike/v1/ikev1_adaptka.h"
#include "natt/keepalive.h"
#include "natt/mapping.h"
#include "natt/natoa.h"
#include "natt/transport.h"

#define QM ISAKMP_XCHG_QUICK

/* ---- traffic selectors <-> ID payloads ---- */

/* The selector a connection side stands for; the host address by default. */
static void ts_resolve(const struct ike_ts *cfg, const union ike_ep *host, struct ike_ts *out)
{
	if (cfg->addr.family) {
		*out = *cfg;
		return;
	}
	memset(out, 0, sizeof(*out));
	sa_ep_to_xk(host, &out->addr);
	out->plen = out->addr.family == XK_AF_INET ? 32 : 128;
	out->proto = cfg->proto;
	out->port = cfg->port;
}

static uint8_t ts_id_type(const struct ike_ts *ts)
{
	bool v4 = ts->addr.family == XK_AF_INET;

	if (ts->plen == (v4 ? 32 : 128))
		return v4 ? ISAKMP_ID_IPV4_ADDR : ISAKMP_ID_IPV6_ADDR;
	return v4 ? ISAKMP_ID_IPV4_ADDR_SUBNET : ISAKMP_ID_IPV6_ADDR_SUBNET;
}

static int ts_id_add(struct isakmp_enc *e, const struct ike_ts *ts, uint8_t type)
{
	size_t alen = ts->addr.family == XK_AF_INET ? 4 : 16;
	uint8_t data[32];

	memcpy(data, ts->addr.bytes, alen);
	if (type == ISAKMP_ID_IPV4_ADDR_SUBNET || type == ISAKMP_ID_IPV6_ADDR_SUBNET) {
		memset(data + alen, 0, alen);
		for (unsigned i = 0; i < ts->plen; i++)
			data[alen + i / 8] |= (uint8_t)(0x80u >> (i % 8));
		alen *= 2;
	}
	return isakmp_enc_id(e, type, ts->proto, ts->port, data, alen) < 0 ? -1 : 0;
}

/* An ID payload as a selector; false for ID types that are not addresses. */
static bool ts_from_id(const struct isakmp_id *id, struct ike_ts *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->proto = id->protocol;
	ts->port = id->port;
	switch (id->type) {
	case ISAKMP_ID_IPV4_ADDR:
		ts->addr.family = XK_AF_INET;
		memcpy(ts->addr.bytes, id->data, 4);
		ts->plen = 32;
		return true;
	case ISAKMP_ID_IPV6_ADDR:
		ts->addr.family = XK_AF_INET6;
		memcpy(ts->addr.bytes, id->data, 16);
		ts->plen = 128;
		return true;
	case ISAKMP_ID_IPV4_ADDR_SUBNET:
	case ISAKMP_ID_IPV6_ADDR_SUBNET: {
		size_t alen = id->type == ISAKMP_ID_IPV4_ADDR_SUBNET ? 4 : 16;
		bool ended = false;

		ts->addr.family = alen == 4 ? XK_AF_INET : XK_AF_INET6;
		memcpy(ts->addr.bytes, id->data, alen);
		/* The mask must be contiguous. */
		for (size_t i = 0; i < alen * 8; i++) {
			bool bit = id->data[alen + i / 8] & (0x80u >> (i % 8));

			if (bit && ended)
				return false;
			if (bit)
				ts->plen++;
			else
				ended = true;
		}
		for (size_t i = 0; i < alen; i++)
			ts->addr.bytes[i] &= id->data[alen + i];
		return true;
	}
	default:
		return false;
	}
}

static bool ts_is_host(const struct ike_ts *ts)
{
	return ts->plen == (ts->addr.family == XK_AF_INET ? 32 : 128);
}

/* A selector's address as a socket address (port 0); false if no address. */
static bool ts_addr_to_ss(const struct ike_ts *ts, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ts->addr.family == XK_AF_INET) {
		ss->ss_family = AF_INET;
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, ts->addr.bytes, 4);
		return true;
	}
	if (ts->addr.family == XK_AF_INET6) {
		ss->ss_family = AF_INET6;
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, ts->addr.bytes, 16);
		return true;
	}
	return false;
}

/* @ts with its address replaced by the host @ss (protocol and port kept). */
static void ts_set_host(struct ike_ts *ts, const struct sockaddr_storage *ss)
{
	union ike_ep ep;

	sa_ep_from_ss(&ep, ss);
	memset(&ts->addr, 0, sizeof(ts->addr));
	sa_ep_to_xk(&ep, &ts->addr);
	ts->plen = ts->addr.family == XK_AF_INET ? 32 : 128;
}

/* What natt/ needs to judge transport IDs: our address, the peer as seen
 * (the IKE SA's current remote endpoint), NAT-D, the peer's NAT-OA. */
static void transport_view(const struct ike_sa *sa, const struct ipsec_sa *c,
			   const struct natt_natoa_orig *oa, struct natt_transport_view *v)
{
	memset(v, 0, sizeof(*v));
	v->local = &c->local.sa;
	v->peer_seen = &c->remote.sa;
	v->nat_we = sa->nat_we;
	v->nat_peer = sa->nat_peer;
	v->oa = oa;
}

/* natt_transport_id_check() on a host ID, with the verdict logged. */
static bool transport_id_ok(struct ikev1_ctx *ctx, const struct natt_transport_view *v, bool ours,
			    const struct ike_ts *id, const char *what)
{
	struct sockaddr_storage ss;
	enum natt_transport_id t;
	char buf[INET6_ADDRSTRLEN];

	if (!ts_is_host(id) || !ts_addr_to_ss(id, &ss))
		return false;
	t = natt_transport_id_check(v, ours, (const struct sockaddr *)&ss);
	if (!inet_ntop(id->addr.family == XK_AF_INET ? AF_INET : AF_INET6, id->addr.bytes, buf,
		       sizeof(buf)))
		strcpy(buf, "?");
	/* Visible when it decides something (a refusal, an address nothing
	 * confirms); the usual own/as-seen verdicts are debug. */
	eng_log(ctx->eng, ctx->out,
		t == NATT_TID_REFUSED || t == NATT_TID_UNVERIFIED ? IKE_LOG_INFO : IKE_LOG_DEBUG,
		IKE_R_NONE, ctx->child->x.serial, "%s: transport %s %s: %s", ctx->conn->name, what,
		buf, natt_transport_id_name(t));
	return t != NATT_TID_REFUSED;
}

/*
 * A UDP-Encapsulated-Transport SA's selectors and policies carry our
 * address and the peer's as we see it, whatever the IDs said
 * (natt_transport_selector(): the decapsulated packet has the NATed outer
 * addresses). Protocol and ports stay those of the IDs. Done once the IDs
 * are no longer needed on the wire, so that the policies removed or moved
 * later, the conflict check and the status show what the kernel holds.
 */
static int transport_selectors_set(const struct ike_sa *sa, struct ipsec_sa *c)
{
	struct natt_transport_view v;
	struct sockaddr_storage l, r;

	if (c->encap != NATT_ENCAP_UDP_TRANSPORT)
		return 0;
	transport_view(sa, c, NULL, &v);
	if (natt_transport_selector(&v, &l, &r) < 0)
		return -1;
	ts_set_host(&c->lts, &l);
	ts_set_host(&c->rts, &r);
	return 0;
}

/* ---- a group's Quick Modes ---- */

bool quick_group_busy(struct ike_engine *eng, const struct ike_sa *sa)
{
	/* Its Quick Modes are under its identity: O(the peer's SAs). */
	for (const struct ipsec_sa *c = sa_ipsec_peer_first(eng, &sa->peer_id); c;
	     c = sa_ipsec_peer_next(eng, c, &sa->peer_id))
		if (c->ike_serial == sa->x.serial && c->initiator && !c->installed)
			return true;
	return false;
}

static int spi_request(struct ikev1_ctx *ctx, struct ipsec_sa *c)
{
	struct xk_req *r = eng_kernel(ctx->out, XK_REQ_SPI_ALLOC);

	if (!r)
		return -ENOSPC;
	sa_ipsec_set_kcookie(ctx->eng, c, eng_kcookie(ctx->eng));
	r->cookie = c->kcookie;
	sa_ep_to_xk(&c->remote, &r->u.spi.src);
	sa_ep_to_xk(&c->local, &r->u.spi.dst);
	r->u.spi.mode = natt_encap_is_tunnel(c->encap) ? XK_MODE_TUNNEL : XK_MODE_TRANSPORT;
	r->u.spi.reqid = eng_reqid(ctx->eng, c->conn);
	r->u.spi.min = XK_SPI_MIN;
	r->u.spi.max = XK_SPI_MAX;
	return 0;
}

enum ikev1_ret quick_i_start(struct ikev1_ctx *ctx)
{
	struct ipsec_sa *c = ctx->child;
	struct ike_sa *sa = ctx->sa;
	const struct ike_conn_cfg *conn = ctx->conn;
	const struct ipsec_sa *replaced =
		c->w->replaces ? sa_ipsec_by_serial(ctx->eng, c->w->replaces) : NULL;

	c->local = sa->local;
	c->remote = sa->remote;
	/* RFC 3947 s5.1: natt/ decides plain vs UDP-encapsulated. */
	c->encap = natt_encap_choose(conn->mode == XK_MODE_TUNNEL, sa->nat_we || sa->nat_peer,
				     conn->natt_force);
	c->pfs_group = conn->pfs_group;
	c->life_s = conn->ipsec_lifetime_s;
	c->life_kb = conn->ipsec_lifetime_kb;
	if (replaced) {
		/* A rekey protects what the old SA did; its selectors may have
		 * come from the peer's IDs (a %any conn knows no remote subnet). */
		c->lts = replaced->lts;
		c->rts = replaced->rts;
	} else {
		ts_resolve(&conn->local_ts, &sa->local, &c->lts);
		ts_resolve(&conn->remote_ts, &sa->remote, &c->rts);
		cfg_quick_local_ts(sa, &c->lts); /* our Mode Config address, if any */
	}
	if (spi_request(ctx, c) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "action buffer full");
	return V1_OK;
}

static int natoa_add(struct ikev1_ctx *ctx, struct isakmp_enc *e, enum natt_role role,
		     bool udp_transport)
{
	const struct natt_method_info *mi = natt_method_info(ctx->sa->natt);
	struct ipsec_sa *c = ctx->child;
	struct natt_natoa_plan plan;

	if (!mi)
		return 0;
	if (natt_natoa_plan(role, ctx->sa->natt, udp_transport, &c->local.sa, &c->remote.sa,
			    &plan) < 0)
		return -1;
	for (size_t i = 0; i < plan.count; i++) {
		const struct sockaddr_storage *ss = &plan.oa[i];

		if (ss->ss_family == AF_INET)
			isakmp_enc_natoa(e, mi->natoa_payload, ISAKMP_ID_IPV4_ADDR,
					 &((const struct sockaddr_in *)ss)->sin_addr);
		else
			isakmp_enc_natoa(e, mi->natoa_payload, ISAKMP_ID_IPV6_ADDR,
					 &((const struct sockaddr_in6 *)ss)->sin6_addr);
	}
	return e->err;
}

/* The peer's NAT-OA payloads: @orig says what they mean (RFC 3947 s5.2);
 * its own address goes to the kernel SA as encap_oa (RFC 3948 s3.1.2). */
static int natoa_take(struct ikev1_ctx *ctx, enum natt_role role, struct natt_natoa_orig *orig)
{
	struct sockaddr_storage recv[4];
	struct ipsec_sa *c = ctx->child;
	size_t n = 0;

	for (unsigned i = 0; i < ctx->msg->npayloads; i++) {
		const struct isakmp_payload *p = &ctx->msg->payloads[i];

		if (p->type != ISAKMP_NP_NATOA && p->type != ISAKMP_NP_NATOA_DRAFT &&
		    p->type != ISAKMP_NP_NATOA_OLD)
			continue;
		if (n == 4)
			return -1;
		memset(&recv[n], 0, sizeof(recv[n]));
		if (p->u.id.type == ISAKMP_ID_IPV4_ADDR) {
			recv[n].ss_family = AF_INET;
			memcpy(&((struct sockaddr_in *)&recv[n])->sin_addr, p->u.id.data, 4);
		} else {
			recv[n].ss_family = AF_INET6;
			memcpy(&((struct sockaddr_in6 *)&recv[n])->sin6_addr, p->u.id.data, 16);
		}
		n++;
	}
	if (natt_natoa_original(role, ctx->sa->natt, recv, n, orig) < 0)
		return -1;
	memset(&c->oa, 0, sizeof(c->oa));
	if (orig->have_src) {
		union ike_ep ep;

		sa_ep_from_ss(&ep, &orig->src);
		sa_ep_to_xk(&ep, &c->oa);
		eng_nat_natoa(ctx->sa, &orig->src);
	}
	return 0;
}

/* IDci is the initiator's side, IDcr the responder's (2409-5.5.d). */
static int ids_add(struct isakmp_enc *e, const struct ipsec_sa *c, const struct ike_ts *ci,
		   const struct ike_ts *cr)
{
	uint8_t tci = c->w->have_ids ? c->w->idci_type : ts_id_type(ci);
	uint8_t tcr = c->w->have_ids ? c->w->idcr_type : ts_id_type(cr);

	if (ts_id_add(e, ci, tci) < 0 || ts_id_add(e, cr, tcr) < 0)
		return -1;
	return 0;
}

/* 2409-5.5: with PFS, a fresh DH key in a KE payload of each Quick Mode
 * message (its private half kept in the child's work for HASH and KEYMAT). */
static int pfs_ke_add(struct ikev1_ctx *ctx, struct isakmp_enc *e, struct ipsec_sa *c)
{
	uint8_t ke[CRYPTO_DH_MAX_LEN];
	size_t len = crypto_dh_public_len(c->pfs_group);

	if (!len || eng_dh_generate(ctx->eng, c->pfs_group, &c->w->dh) < 0 ||
	    crypto_dh_public(c->w->dh, ke, len) < 0)
		return -1;
	isakmp_enc_generic(e, ISAKMP_NP_KE, ke, len);
	return 0;
}

enum ikev1_ret quick_i0_spi(struct ikev1_ctx *ctx)
{
	struct ipsec_sa *c = ctx->child;
	struct ike_sa *sa = ctx->sa;
	struct qm_work *w = c->w;
	uint8_t buf[V1_BODY_MAX];
	struct isakmp_enc e;
	struct p2_offer o;
	ssize_t h;

	sa_ipsec_set_kcookie(ctx->eng, c, 0);
	sa_ipsec_set_spi(ctx->eng, c, true, ctx->kres->spi);
	memset(&o, 0, sizeof(o));
	o.conn = ctx->conn;
	o.spi = c->spi_in;
	o.group = c->pfs_group;
	o.life_s = c->life_s;
	o.life_kb = c->life_kb;
	if (natt_encap_value(sa->natt, c->encap, &o.encap_value) < 0)
		return ctx_fail(ctx, IKE_R_NO_PROPOSAL, 0, "no encapsulation value for %s",
				natt_encap_name(c->encap));
	if (eng_random(ctx->eng, w->ni, V1_NONCE_LEN) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "no random nonce");
	w->ni_len = V1_NONCE_LEN;
	v1_enc_init(&e, buf, sizeof(buf));
	h = v1_hash_reserve(&e, sa);
	proposal_p2_add(&e, &o);
	isakmp_enc_generic(&e, ISAKMP_NP_NONCE, w->ni, w->ni_len);
	if (c->pfs_group && pfs_ke_add(ctx, &e, c) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "PFS key generation failed");
	if (ids_add(&e, c, &c->lts, &c->rts) < 0 ||
	    natoa_add(ctx, &e, NATT_ROLE_INITIATOR, c->encap == NATT_ENCAP_UDP_TRANSPORT) < 0 ||
	    v1_hash_fill(&e, h, sa, 1, c->msgid, NULL, 0) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot build QM1");
	/* 2409-B.h: first IV of the exchange from the Phase 1 IV and M-ID. */
	if (v1_phase2_iv(sa, c->msgid, ctx->iv) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "Phase 2 IV");
	ctx->iv_set = true;
	/* RFC 2408 s3.1: only when configured; the responder then confirms. */
	ctx->commit = ctx->conn->commit_bit;
	if (v1_send(ctx, &c->x, QM, c->msgid, &e, ctx->iv) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send QM1");
	return V1_OK;
}

/* Peer's nonce and (PFS) KE from QM1/QM2. */
static enum ikev1_ret nonce_ke_take(struct ikev1_ctx *ctx, uint16_t group, bool initiator)
{
	const struct isakmp_payload *no = isakmp_msg_find(ctx->msg, ISAKMP_NP_NONCE, 0);
	const struct isakmp_payload *ke = isakmp_msg_find(ctx->msg, ISAKMP_NP_KE, 0);
	struct qm_work *w = ctx->child->w;

	if (isakmp_msg_count(ctx->msg, ISAKMP_NP_NONCE) != 1 ||
	    isakmp_msg_count(ctx->msg, ISAKMP_NP_SA) != 1 || no->body_len < ISAKMP_NONCE_MIN_LEN ||
	    no->body_len > ISAKMP_NONCE_MAX_LEN)
		return ctx_fail(ctx, IKE_R_MALFORMED, 0, "bad SA or nonce payload");
	if (initiator) {
		memcpy(w->nr, no->body, no->body_len);
		w->nr_len = no->body_len;
	} else {
		memcpy(w->ni, no->body, no->body_len);
		w->ni_len = no->body_len;
	}
	if (!group != !ke)
		return ctx_fail(ctx, IKE_R_NO_PROPOSAL, ISAKMP_N_NO_PROPOSAL_CHOSEN,
				"KE payload %s without PFS group", ke ? "present" : "absent");
	if (ke) {
		if (ke->body_len != crypto_dh_public_len(group) ||
		    crypto_dh_check_peer(group, ke->body, ke->body_len) < 0)
			return ctx_fail(ctx, IKE_R_MALFORMED, 0, "unacceptable PFS KE");
		memcpy(w->gx_peer, ke->body, ke->body_len);
		w->gx_peer_len = ke->body_len;
	}
	return V1_OK;
}

/* ---- installation ---- */

static int child_keys(const struct ike_sa *sa, const struct ipsec_sa *c, uint32_t spi,
		      const uint8_t *gxy, size_t gxy_len, struct keys_child *k)
{
	const struct qm_work *w = c->w;
	uint32_t nspi = htonl(spi);

	return keys_child_derive(&sa->keys, CRYPTO_CHUNK(gxy, gxy_len), ISAKMP_PROTO_ESP,
				 CRYPTO_CHUNK(&nspi, 4), CRYPTO_CHUNK(w->ni, w->ni_len),
				 CRYPTO_CHUNK(w->nr, w->nr_len), w->ch.esp_id, c->p2.key_bits,
				 w->ch.auth_attr, k);
}

/* Which kernel SAs ipsec_install() emits. */
enum install_part {
	INSTALL_ALL,	  /* both SAs and the policies */
	INSTALL_INBOUND,  /* commit bit: the inbound SA only, wait for CONNECTED */
	INSTALL_OUTBOUND, /* CONNECTED arrived: the outbound SA and the policies */
};

/*
 * The IPsec SA that @c, just installed through @sa, replaces: the one named
 * when the rekey ran on a live IKE SA (by serial, O(1)), else the one of
 * this connection and this peer that asked for a rekey (among the peer's
 * own SAs: a new road warrior's first SA must not replace another road
 * warrior's SA that the gateway is rekeying). Once per new IPsec SA, so
 * never a walk over every SA.
 */
static struct ipsec_sa *quick_predecessor(struct ike_engine *eng, struct ike_sa *sa,
					  const struct ipsec_sa *c, uint32_t replaces)
{
	struct ipsec_sa *old;

	if (replaces) {
		old = sa_ipsec_by_serial(eng, replaces);
		return old && old != c && old->installed ? old : NULL;
	}
	for (old = sa_ipsec_peer_first(eng, &c->peer_id); old;
	     old = sa_ipsec_peer_next(eng, old, &c->peer_id))
		if (old != c && old->installed && old->rekeying && old->conn == c->conn &&
		    sa_ipsec_of_peer(eng, sa, old))
			return old;
	return NULL;
}

/* Derive both directions' keys and emit the kernel requests; then the
 * rekey/expiry clock starts and a rekeyed predecessor goes away. */
static enum ikev1_ret ipsec_install(struct ikev1_ctx *ctx, enum install_part part)
{
	struct ipsec_sa *c = ctx->child;
	struct ike_sa *sa = ctx->sa;
	struct qm_work *w = c->w;
	uint8_t gxy[CRYPTO_DH_MAX_LEN];
	size_t gxy_len = 0;
	struct keys_child kin, kout;
	struct xk_req *rin = NULL, *rout = NULL;
	enum ikev1_ret ret = V1_OK;
	uint32_t replaces = w->replaces;

	memset(&kin, 0, sizeof(kin));
	memset(&kout, 0, sizeof(kout));
	if (c->pfs_group) {
		gxy_len = crypto_dh_secret_len(c->pfs_group);
		if (!w->dh ||
		    crypto_dh_compute(w->dh, w->gx_peer, w->gx_peer_len, gxy, gxy_len) < 0) {
			ret = ctx_fail(ctx, IKE_R_CRYPTO, 0, "PFS DH failed");
			goto out;
		}
	}
	if (transport_selectors_set(sa, c) < 0) {
		ret = ctx_fail(ctx, IKE_R_RESOURCE, 0, "no transport selectors");
		goto out;
	}
	/* 2409-5.5.k: each direction keyed with the SPI its receiver chose. */
	if (child_keys(sa, c, c->spi_in, gxy, gxy_len, &kin) < 0 ||
	    child_keys(sa, c, c->spi_out, gxy, gxy_len, &kout) < 0) {
		ret = ctx_fail(ctx, IKE_R_CRYPTO, 0, "KEYMAT derivation failed");
		goto out;
	}
	if (!c->kinstall)
		sa_ipsec_set_kinstall(ctx->eng, c, eng_kcookie(ctx->eng));
	/* The inbound SA exists as the larval one ALLOCSPI made: update it. */
	if (part != INSTALL_OUTBOUND)
		rin = eng_kernel(ctx->out, XK_REQ_SA_UPDATE);
	if (part != INSTALL_INBOUND)
		rout = eng_kernel(ctx->out, XK_REQ_SA_ADD);
	if ((part != INSTALL_OUTBOUND && !rin) || (part != INSTALL_INBOUND && !rout) ||
	    (part != INSTALL_INBOUND && ipsec_policies_add(ctx->eng, c, ctx->out) < 0)) {
		ret = ctx_fail(ctx, IKE_R_RESOURCE, 0, "action buffer full");
		goto out;
	}
	if (rin) {
		ipsec_sa_fill(ctx->eng, c, true, &kin, &rin->u.sa);
		rin->cookie = c->kinstall;
	}
	if (rout) {
		ipsec_sa_fill(ctx->eng, c, false, &kout, &rout->u.sa);
		rout->cookie = c->kinstall;
	}
	if (part == INSTALL_INBOUND) {
		/* RFC 2408 s3.1: the responder set the commit bit; we must not
		 * use the SA before its CONNECTED. Inbound is harmless (the
		 * responder may already send); outbound and the policies wait.
		 * expire_at is the deadline for CONNECTED meanwhile. */
		c->await_connected = true;
		c->expire_at =
			ctx->now +
			(ctx->conn->connected_timeout_ms ? ctx->conn->connected_timeout_ms : 30000);
		c->rekey_at = V1_NO_TIMER;
		eng_due(ctx->eng, &c->x, c->expire_at);
		eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_NONE, c->x.serial,
			"%s: commit bit set by the responder, waiting for CONNECTED",
			ctx->conn->name);
		goto out;
	}
	c->await_connected = false;
	c->installed = true;
	c->expire_at = ctx->now + (uint64_t)c->life_s * 1000;
	eng_due(ctx->eng, &c->x, c->expire_at);
	/* The Quick Mode initiator rekeys before expiry, with jitter so tunnels
	 * do not rekey in step; the old pair stays until the new one is in. */
	c->rekey_at =
		ctx->now + (c->initiator ? eng_rekey_delay_ms(ctx->eng, ctx->conn, c->life_s)
					 : eng_rekey_delay_responder_ms(ctx->conn, c->life_s));
	eng_due(ctx->eng, &c->x, c->rekey_at);
	c->ka_duty = sa->nat_we && sa->floated && natt_encap_is_udp(c->encap);
	if (c->ka_duty) {
		c->ka_last = ctx->now;
		c->ka_at = ctx->now + adaptka_interval_ms(ctx->eng, c->conn, sa);
		eng_due(ctx->eng, &c->x, c->ka_at);
	}
	eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_IPSEC_ESTABLISHED, c->x.serial,
		"%s: IPsec SA established, ESP %s, SPIs in %08x out %08x", ctx->conn->name,
		natt_encap_name(c->encap), c->spi_in, c->spi_out);
	sa_ipsec_work_free(c);
	{
		struct ipsec_sa *old = quick_predecessor(ctx->eng, sa, c, replaces);

		if (old) {
			old->replaced = true;
			ikev1_ipsec_delete(ctx->eng, old, sa, ctx->now, ctx->out);
		}
	}
	ctx->group_next = c->initiator && ctx->conn->group;
out:
	keys_child_wipe(&kin);
	keys_child_wipe(&kout);
	OPENSSL_cleanse(gxy, sizeof(gxy));
	return ret;
}

static struct p2_nat nat_of(const struct ike_sa *sa)
{
	struct p2_nat n = { .method = sa->natt, .nat_detected = sa->nat_we || sa->nat_peer };

	return n;
}

/*
 * RFC 2407 s4.6.3.1 / 2407-4.5.4.a: the responder's RESPONDER-LIFETIME
 * (Protocol ESP, SPI = its inbound SPI, or the two cookies) carries the
 * lifetimes it actually uses: ours become the shorter of both, so the rekey
 * comes before the responder's SA ends. A longer value never lengthens ours.
 */
static void responder_lifetime_take(struct ikev1_ctx *ctx)
{
	struct ipsec_sa *c = ctx->child;

	for (unsigned i = 0; i < ctx->msg->npayloads; i++) {
		const struct isakmp_notify *n = &ctx->msg->payloads[i].u.notify;
		int rc;

		if (ctx->msg->payloads[i].type != ISAKMP_NP_N ||
		    n->type != ISAKMP_N_RESPONDER_LIFETIME)
			continue;
		rc = proposal_p2_responder_lifetime(n, c->spi_out, &c->life_s, &c->life_kb);
		if (rc < 0)
			eng_log(ctx->eng, ctx->out, IKE_LOG_WARN, IKE_R_MALFORMED, c->x.serial,
				"%s: malformed RESPONDER-LIFETIME ignored", ctx->conn->name);
		if (rc <= 0)
			continue;
		eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_NONE, c->x.serial,
			"%s: RESPONDER-LIFETIME: using %u s, %u KB", ctx->conn->name, c->life_s,
			c->life_kb);
	}
}

/*
 * Initiator: the responder's IDci/IDcr in QM2. Unchanged is always right.
 * In UDP-Encapsulated-Transport the IDs name hosts whose addresses a NAT
 * rewrote, and a responder may name them as it sees them: strongSwan
 * answers with the initiator's NATed address and its own address (RFC 3947
 * s5.2 gives both views through NAT-OA). natt/ judges each address; the
 * protocol and port must stay what we proposed.
 */
static bool reply_ids_ok(struct ikev1_ctx *ctx, const struct ike_ts *ci, const struct ike_ts *cr,
			 const struct natt_natoa_orig *oa)
{
	struct ipsec_sa *c = ctx->child;
	struct natt_transport_view v;

	if (ts_equal(ci, &c->lts) && ts_equal(cr, &c->rts))
		return true;
	if (c->encap != NATT_ENCAP_UDP_TRANSPORT || ci->proto != c->lts.proto ||
	    ci->port != c->lts.port || cr->proto != c->rts.proto || cr->port != c->rts.port)
		return false;
	transport_view(ctx->sa, c, oa, &v);
	return (ts_equal(ci, &c->lts) || transport_id_ok(ctx, &v, true, ci, "IDci")) &&
	       (ts_equal(cr, &c->rts) || transport_id_ok(ctx, &v, false, cr, "IDcr"));
}

enum ikev1_ret quick_i1_recv_qm2(struct ikev1_ctx *ctx)
{
	struct ipsec_sa *c = ctx->child;
	struct ike_sa *sa = ctx->sa;
	struct qm_work *w = c->w;
	const struct isakmp_payload *sap = isakmp_msg_find(ctx->msg, ISAKMP_NP_SA, 0);
	struct p2_nat nat = nat_of(sa);
	struct p2_offer o;
	uint8_t buf[V1_BODY_MAX];
	uint8_t h3[CRYPTO_HASH_MAX_LEN];
	struct isakmp_enc e;
	struct natt_natoa_orig orig;
	enum ikev1_ret r;
	int n;

	memset(&o, 0, sizeof(o));
	o.conn = ctx->conn;
	o.spi = c->spi_in;
	o.group = c->pfs_group;
	o.life_s = c->life_s;
	o.life_kb = c->life_kb;
	natt_encap_value(sa->natt, c->encap, &o.encap_value);
	if (proposal_p2_check_reply(&sap->u.sa, &o, &nat, &w->ch) < 0)
		return ctx_fail(ctx, IKE_R_NO_PROPOSAL, 0,
				"responder's Phase 2 SA is not one of our offers");
	r = nonce_ke_take(ctx, c->pfs_group, true);
	if (r != V1_OK)
		return r;
	if (natoa_take(ctx, NATT_ROLE_INITIATOR, &orig) < 0)
		return ctx_fail(ctx, IKE_R_MALFORMED, ISAKMP_N_INVALID_ID_INFORMATION,
				"bad NAT-OA payloads");
	if (isakmp_msg_count(ctx->msg, ISAKMP_NP_ID) != 0) {
		const struct isakmp_payload *ci = isakmp_msg_find(ctx->msg, ISAKMP_NP_ID, 0);
		const struct isakmp_payload *cr = isakmp_msg_find(
			ctx->msg, ISAKMP_NP_ID, 1 + (unsigned)(ci - ctx->msg->payloads));
		struct ike_ts tci, tcr;

		/* A refusal tells the responder (protected INVALID-ID-INFORMATION,
		 * 2408-4.8.a), which then ends its half of the exchange instead of
		 * retransmitting QM2 into an exchange we no longer have. */
		if (!cr || !ts_from_id(&ci->u.id, &tci) || !ts_from_id(&cr->u.id, &tcr) ||
		    !reply_ids_ok(ctx, &tci, &tcr, &orig))
			return ctx_fail(ctx, IKE_R_TS_MISMATCH, ISAKMP_N_INVALID_ID_INFORMATION,
					"responder changed the client IDs");
	}
	c->p2 = w->ch.p;
	sa_ipsec_set_spi(ctx->eng, c, false, w->ch.peer_spi);
	c->life_s = w->ch.life_s;
	c->life_kb = w->ch.life_kb;
	responder_lifetime_take(ctx);
	n = keys_qm_hash3(&sa->keys, c->msgid, CRYPTO_CHUNK(w->ni, w->ni_len),
			  CRYPTO_CHUNK(w->nr, w->nr_len), h3, sizeof(h3));
	if (n < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "HASH(3)");
	v1_enc_init(&e, buf, sizeof(buf));
	isakmp_enc_generic(&e, ISAKMP_NP_HASH, h3, (size_t)n);
	if (v1_send(ctx, &c->x, QM, c->msgid, &e, ctx->iv) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send QM3");
	/* 2408-3.1.f: a commit bit in QM2 means the responder will confirm with
	 * CONNECTED (whether it echoes ours or set its own). */
	w->commit = ctx->msg->hdr.flags & ISAKMP_FLAG_C;
	return ipsec_install(ctx, w->commit ? INSTALL_INBOUND : INSTALL_ALL);
}

/*
 * Responder, UDP-Encapsulated-Transport with host IDs: each ID must name
 * its host by one of its addresses (natt/: our own or ours as the
 * initiator sees us, e.g. our static NAT's public address; the initiator's
 * own, its NAT-OA, or as we see it). The connection's selectors then limit
 * protocol and port, on the addresses the kernel will use (or on the ID,
 * for a selector configured with the other address).
 */
static bool transport_ids_acceptable(struct ikev1_ctx *ctx, const struct ike_ts *ci,
				     const struct ike_ts *cr, const struct natt_natoa_orig *oa,
				     const struct ike_ts *lts, const struct ike_ts *rts)
{
	struct natt_transport_view v;
	struct sockaddr_storage l, r;
	struct ike_ts sel_l = *cr, sel_r = *ci;

	transport_view(ctx->sa, ctx->child, oa, &v);
	if (!transport_id_ok(ctx, &v, true, cr, "IDcr") ||
	    !transport_id_ok(ctx, &v, false, ci, "IDci") || natt_transport_selector(&v, &l, &r) < 0)
		return false;
	ts_set_host(&sel_l, &l);
	ts_set_host(&sel_r, &r);
	return (ts_within(&sel_l, lts) || ts_within(cr, lts)) &&
	       (ts_within(&sel_r, rts) || ts_within(ci, rts));
}

/* A refusal's text; truncation is fine (the peer's ID may be long). */
static void why_set(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void why_set(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

/* "rw1.example at 203.0.113.7:4500": the peer of @ctx for a log line. */
static const char *peer_format(const struct ikev1_ctx *ctx, char *buf, size_t len)
{
	char id[48], ep[NATT_ENDPOINT_STRLEN];

	why_set(buf, len, "%s at %s", ike_id_short(&ctx->sa->peer_id, id, sizeof(id)),
		natt_endpoint_format(&ctx->sa->remote.sa, ep, sizeof(ep)));
	return buf;
}

/*
 * Responder: are the proposed client IDs within what the connection allows?
 * On refusal @why says which ID and why, naming the peer (one log line, with
 * INVALID-ID-INFORMATION to the peer).
 */
static bool ids_acceptable(struct ikev1_ctx *ctx, const struct ike_ts *ci, const struct ike_ts *cr,
			   const struct natt_natoa_orig *oa, char *why, size_t why_len)
{
	const struct ike_conn_cfg *conn = ctx->conn;
	struct ike_sa *sa = ctx->sa;
	struct ike_ts lts, rts;
	enum ids_verdict v;
	char net[64], peer[112];
	int vip;

	why_set(why, why_len, "client IDs outside what %s allows", conn->name);
	ts_resolve(&conn->local_ts, &sa->local, &lts);
	/* A Mode Config client may use the address we leased it, nothing else. */
	vip = cfg_quick_peer_ts_ok(sa, ci);
	if (vip == 0)
		why_set(why, why_len,
			"%s: refused client %s of %s: not the address Mode Config gave it",
			conn->name, ts_format(ci, net, sizeof(net)),
			peer_format(ctx, peer, sizeof(peer)));
	if (vip >= 0)
		return vip && ts_within(cr, &lts);
	if (ctx->child->encap == NATT_ENCAP_UDP_TRANSPORT && ts_is_host(ci) && ts_is_host(cr)) {
		ts_resolve(&conn->remote_ts, &sa->remote, &rts);
		return transport_ids_acceptable(ctx, ci, cr, oa, &lts, &rts);
	}
	if (!ts_within(cr, &lts)) {
		why_set(why, why_len, "%s: refused IDcr %s of %s: not what we protect", conn->name,
			ts_format(cr, net, sizeof(net)), peer_format(ctx, peer, sizeof(peer)));
		return false;
	}
	ts_resolve(&(struct ike_ts){ 0 }, &sa->remote, &rts);
	if (conn->remote.ss_family == AF_UNSPEC) {
		/* A road warrior: the admin's allow-list (ike/sa/ikev1_ids.c). */
		v = ids_client_check(conn, ci, &rts, &lts, sa->nat_peer);
		if (v == IDS_OK)
			return true;
		why_set(why, why_len, "%s: refused client %s of %s: %s", conn->name,
			ts_format(ci, net, sizeof(net)), peer_format(ctx, peer, sizeof(peer)),
			ids_verdict_text(v, conn->n_client_allow > 0));
		return false;
	}
	/* A named peer: its configured network, else host-to-host: its own
	 * address, which behind a NAT is the private one it claims (its
	 * NAT-OA), not the one we see. */
	if (conn->remote_ts.addr.family)
		return ts_within(ci, &conn->remote_ts);
	ts_resolve(&conn->remote_ts, &sa->remote, &rts);
	return ts_within(ci, &rts) ||
	       ((sa->nat_peer) && ci->plen == (ci->addr.family == XK_AF_INET ? 32 : 128));
}

bool ike_engine_client_held(const struct ike_engine *eng, const struct ike_ts *rts,
			    const struct ike_ts *lts, const struct ike_id *id, struct ike_ts *held)
{
	struct natt_identity me = { id->type, id->data, id->len };

	for (const struct ipsec_sa *o = eng->children; o; o = o->next) {
		struct natt_identity other = { o->peer_id.type, o->peer_id.data, o->peer_id.len };
		/* Live: installed, or accepted as responder and being finished (two
		 * Quick Modes racing for one client must not both get it). */
		bool live = o->installed || o->x.state == V1_QUICK_R0W || o->x.state == V1_QUICK_R1;

		if (!live || o->replaced || !ts_overlap(&o->rts, rts) || !ts_overlap(&o->lts, lts))
			continue;
		if (!natt_initial_contact_matches(&other, &me)) {
			if (held)
				*held = o->rts;
			return true;
		}
	}
	return false;
}

/*
 * RFC 3948 s5.1/5.2: two peers behind different NATs may claim the same
 * inner address; installing the second would steal the first one's traffic.
 * Another peer identity with live SAs whose selectors overlap (remote and
 * local side: a /24 claimed over another's /32 would shadow it too) wins, in
 * this engine or, through ike_engine_cfg.client_held, in the daemon's other
 * engines; the same identity (a rekey, a reconnect) may reuse them. @other
 * receives the conflicting client (@rsel itself when another engine holds
 * it).
 */
static bool ts_taken(const struct ikev1_ctx *ctx, const struct ipsec_sa *c,
		     const struct ike_ts *rsel, struct ike_ts *other_ts)
{
	const struct ike_engine_cfg *cfg = &ctx->eng->cfg;

	/* @c itself is not live yet (QUICK_R0). */
	if (ike_engine_client_held(ctx->eng, rsel, &c->lts, &ctx->sa->peer_id, other_ts))
		return true;
	*other_ts = *rsel;
	return cfg->client_held &&
	       cfg->client_held(cfg->client_held_arg, ctx->eng, rsel, &c->lts, &ctx->sa->peer_id);
}

enum ikev1_ret quick_r0_recv_qm1(struct ikev1_ctx *ctx)
{
	struct ipsec_sa *c = ctx->child;
	struct ike_sa *sa = ctx->sa;
	struct qm_work *w = c->w;
	const struct isakmp_payload *sap = isakmp_msg_find(ctx->msg, ISAKMP_NP_SA, 0);
	struct p2_nat nat = nat_of(sa);
	enum ikev1_ret r;
	unsigned nid = isakmp_msg_count(ctx->msg, ISAKMP_NP_ID);
	struct natt_natoa_orig orig;
	struct ike_ts rsel, taken;
	char why[IKE_LOG_TEXT_MAX];
	int rc;

	/* 2409-5.5.b: HASH(1) came first and verified (the row's, checked by
	 * the dispatcher) before anything here is believed. */
	c->local = sa->local;
	c->remote = sa->remote;
	rc = proposal_p2_select(&sap->u.sa, ctx->conn, &nat, &w->ch);
	if (rc < 0) {
		unsigned legacy =
			ctx->conn->allow_legacy ? 0 : proposal_p2_legacy_count(&sap->u.sa);

		if (legacy)
			return ctx_fail(ctx, IKE_R_NO_PROPOSAL, ISAKMP_N_NO_PROPOSAL_CHOSEN,
					"no acceptable Phase 2 proposal (%u legacy transforms: "
					"set allow-legacy-algorithms=yes)",
					legacy);
		return ctx_fail(ctx, IKE_R_NO_PROPOSAL, ISAKMP_N_NO_PROPOSAL_CHOSEN,
				"no acceptable Phase 2 proposal");
	}
	/* 2408-3.1.f: the initiator's commit bit (or our own policy) makes us
	 * set it in QM2 and send CONNECTED once our SAs are in. */
	w->commit = (ctx->msg->hdr.flags & ISAKMP_FLAG_C) || ctx->conn->commit_bit;
	c->p2 = w->ch.p;
	c->encap = w->ch.encap;
	c->pfs_group = w->ch.group;
	c->life_s = w->ch.life_s;
	c->life_kb = w->ch.life_kb;
	sa_ipsec_set_spi(ctx->eng, c, false, w->ch.peer_spi);
	r = nonce_ke_take(ctx, c->pfs_group, false);
	if (r != V1_OK)
		return r;
	if (nid != 0 && nid != 2)
		return ctx_fail(ctx, IKE_R_MALFORMED, 0, "%u client IDs", nid);
	if (nid == 2) {
		const struct isakmp_payload *ci = isakmp_msg_find(ctx->msg, ISAKMP_NP_ID, 0);
		const struct isakmp_payload *cr = isakmp_msg_find(
			ctx->msg, ISAKMP_NP_ID, 1 + (unsigned)(ci - ctx->msg->payloads));

		if (!ts_from_id(&ci->u.id, &c->rts) || !ts_from_id(&cr->u.id, &c->lts))
			return ctx_fail(ctx, IKE_R_TS_MISMATCH, ISAKMP_N_INVALID_ID_INFORMATION,
					"client IDs are not addresses");
		w->idci_type = ci->u.id.type;
		w->idcr_type = cr->u.id.type;
		w->have_ids = true;
		/* Cisco Unity: a client with a split include proposes
		 * 0.0.0.0/0 for our side; echoed in QM2, our subnet in the
		 * kernel (as Cisco gateways do). */
		if (cfg_quick_unity_wildcard(sa, ctx->conn, &c->lts)) {
			w->wire_lts = c->lts;
			w->unity_wild = true;
			ts_resolve(&ctx->conn->local_ts, &sa->local, &c->lts);
		}
	} else {
		/* 2409-5.5.d: no IDs = the ISAKMP peers' addresses. */
		ts_resolve(&(struct ike_ts){ 0 }, &sa->remote, &c->rts);
		ts_resolve(&(struct ike_ts){ 0 }, &sa->local, &c->lts);
	}
	/* NAT-OA first: it says which addresses the IDs may carry. */
	if (natoa_take(ctx, NATT_ROLE_RESPONDER, &orig) < 0)
		return ctx_fail(ctx, IKE_R_MALFORMED, ISAKMP_N_INVALID_ID_INFORMATION,
				"bad NAT-OA payloads");
	if (!ids_acceptable(ctx, &c->rts, &c->lts, &orig, why, sizeof(why))) {
		/* leftsubnet=a,b: the conn of the IKE SA's group whose
		 * selectors the peer proposes (its Quick Mode from here on). */
		const struct ike_conn_cfg *first = ctx->conn;
		bool found = false;

		for (unsigned k = 0; !found && k < ctx->eng->cfg.n_conns; k++) {
			char other[sizeof(why)];

			if (k == c->conn || !eng_same_group(ctx->eng, k, c->conn))
				continue;
			ctx->conn = &ctx->eng->conns[k];
			if (ids_acceptable(ctx, &c->rts, &c->lts, &orig, other, sizeof(other))) {
				c->conn = k;
				found = true;
			}
		}
		if (!found) {
			ctx->conn = first;
			return ctx_fail(ctx, IKE_R_TS_MISMATCH, ISAKMP_N_INVALID_ID_INFORMATION,
					"%s", why);
		}
	}
	/* In UDP-Encapsulated-Transport the conflict is on what the kernel
	 * would hold: two hosts behind one NAT share its address (RFC 3948
	 * s5.2: the second is refused). */
	rsel = c->rts;
	if (c->encap == NATT_ENCAP_UDP_TRANSPORT) {
		struct natt_transport_view v;
		struct sockaddr_storage sl, sr;

		transport_view(sa, c, NULL, &v);
		if (natt_transport_selector(&v, &sl, &sr) < 0)
			return ctx_fail(ctx, IKE_R_TS_MISMATCH, ISAKMP_N_INVALID_ID_INFORMATION,
					"no transport selectors");
		ts_set_host(&rsel, &sr);
	}
	if (ts_taken(ctx, c, &rsel, &taken)) {
		char net[64], other[64], peer[112];

		return ctx_fail(ctx, IKE_R_TS_MISMATCH, ISAKMP_N_INVALID_ID_INFORMATION,
				"%s: refused client %s of %s: overlaps another peer's %s",
				ctx->conn->name, ts_format(&rsel, net, sizeof(net)),
				peer_format(ctx, peer, sizeof(peer)),
				ts_format(&taken, other, sizeof(other)));
	}
	if (spi_request(ctx, c) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "action buffer full");
	return V1_OK;
}

/* 2407-4.5.4.a: we took a shorter lifetime than offered: say so, inside
 * QM2 where HASH(2) covers it (RFC 2407 s4.6.3). */
static int responder_lifetime_add(struct isakmp_enc *e, const struct ipsec_sa *c)
{
	uint8_t data[32];
	uint32_t nspi = htonl(c->spi_in);
	struct isakmp_enc a;
	ssize_t n;

	isakmp_enc_init(&a, data, sizeof(data));
	n = proposal_p2_lifetime_add(&a, c->life_s, c->life_kb);
	if (n < 0)
		return -1;
	return isakmp_enc_notify(e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ESP, ISAKMP_N_RESPONDER_LIFETIME,
				 &nspi, 4, data, (size_t)n) < 0
		       ? -1
		       : 0;
}

/*
 * Responder: the IDs QM2 carries back. Echoed by default: Libreswan as
 * initiator requires its IDs back unchanged, strongSwan rewrites whatever
 * it receives to its own view, so both accept the echo. The engine can
 * answer UDP-Encapsulated-Transport host IDs as seen instead, as strongSwan
 * does (natt_transport_reply()).
 */
static void reply_ids(struct ikev1_ctx *ctx, struct ike_ts *ci, struct ike_ts *cr)
{
	struct ipsec_sa *c = ctx->child;
	struct natt_transport_view v;
	struct sockaddr_storage ici, icr, oci, ocr;

	*ci = c->rts;
	*cr = c->lts;
	if (c->w->unity_wild) {
		*cr = c->w->wire_lts;
		return;
	}
	if (c->encap != NATT_ENCAP_UDP_TRANSPORT || ctx->eng->transport_reply == NATT_REPLY_ECHO ||
	    !ts_is_host(ci) || !ts_is_host(cr) || !ts_addr_to_ss(ci, &ici) ||
	    !ts_addr_to_ss(cr, &icr))
		return;
	transport_view(ctx->sa, c, NULL, &v);
	if (natt_transport_reply(ctx->eng->transport_reply, &v, (const struct sockaddr *)&ici,
				 (const struct sockaddr *)&icr, &oci, &ocr) < 0)
		return;
	ts_set_host(ci, &oci);
	ts_set_host(cr, &ocr);
}

enum ikev1_ret quick_r0w_spi(struct ikev1_ctx *ctx)
{
	struct ipsec_sa *c = ctx->child;
	struct ike_sa *sa = ctx->sa;
	struct qm_work *w = c->w;
	uint8_t buf[V1_BODY_MAX];
	struct isakmp_enc e;
	struct ike_ts rci, rcr;
	ssize_t h;

	sa_ipsec_set_kcookie(ctx->eng, c, 0);
	sa_ipsec_set_spi(ctx->eng, c, true, ctx->kres->spi);
	if (eng_random(ctx->eng, w->nr, V1_NONCE_LEN) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "no random nonce");
	w->nr_len = V1_NONCE_LEN;
	v1_enc_init(&e, buf, sizeof(buf));
	h = v1_hash_reserve(&e, sa);
	proposal_p2_reply_add(&e, &w->ch, c->spi_in);
	isakmp_enc_generic(&e, ISAKMP_NP_NONCE, w->nr, w->nr_len);
	if (c->pfs_group && pfs_ke_add(ctx, &e, c) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "PFS key generation failed");
	if (w->have_ids)
		reply_ids(ctx, &rci, &rcr);
	if ((w->have_ids && ids_add(&e, c, &rci, &rcr) < 0) ||
	    natoa_add(ctx, &e, NATT_ROLE_RESPONDER, c->encap == NATT_ENCAP_UDP_TRANSPORT) < 0 ||
	    (w->ch.shortened && responder_lifetime_add(&e, c) < 0) ||
	    v1_hash_fill(&e, h, sa, 2, c->msgid, w->ni, w->ni_len) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot build QM2");
	memcpy(ctx->iv, c->iv, sizeof(ctx->iv));
	ctx->iv_set = true;
	ctx->commit = w->commit;
	if (v1_send(ctx, &c->x, QM, c->msgid, &e, ctx->iv) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send QM2");
	return V1_OK;
}

enum ikev1_ret quick_r1_recv_qm3(struct ikev1_ctx *ctx)
{
	struct ipsec_sa *c = ctx->child;
	struct qm_work *w = c->w;
	bool commit = w->commit;
	enum ikev1_ret r;

	/* HASH(3), alone, verified by the dispatcher (the row's). */
	r = ipsec_install(ctx, INSTALL_ALL);
	/* RFC 2408 s3.1: our SAs are in; the initiator may use its own now. */
	if (r == V1_OK && commit &&
	    info_send_connected(ctx->eng, ctx->sa, c, ctx->now, ctx->out) < 0)
		eng_log(ctx->eng, ctx->out, IKE_LOG_WARN, IKE_R_RESOURCE, c->x.serial,
			"%s: cannot send CONNECTED", ctx->conn->name);
	return r;
}

void quick_connected_recv(struct ikev1_ctx *ctx)
{
	struct ipsec_sa *c = sa_ipsec_find_msgid(ctx->eng, ctx->sa, ctx->msg->hdr.msgid);
	struct ikev1_ctx qc;

	if (!c || !c->initiator || !c->await_connected || !c->w) {
		eng_log(ctx->eng, ctx->out, IKE_LOG_DEBUG, IKE_R_UNEXPECTED, ctx->sa->x.serial,
			"%s: CONNECTED for no Quick Mode waiting for it", ctx->conn->name);
		return;
	}
	/* A handler-style context for the child; its state does not change
	 * (QUICK_I2 already), only what is installed. */
	qc = *ctx;
	qc.child = c;
	qc.x = &c->x;
	qc.conn = &ctx->eng->conns[c->conn];
	if (ipsec_install(&qc, INSTALL_OUTBOUND) != V1_OK) {
		eng_log(ctx->eng, ctx->out, IKE_LOG_WARN, qc.reason, c->x.serial, "%s: %s",
			qc.conn->name, qc.why);
		ikev1_ipsec_delete(ctx->eng, c, ctx->sa, ctx->now, ctx->out);
	}
}

void quick_refused_recv(struct ikev1_ctx *ctx, const struct isakmp_notify *n)
{
	struct ipsec_sa *hit = NULL, *last = NULL;
	unsigned waiting = 0;

	for (struct ipsec_sa *c = sa_ipsec_peer_first(ctx->eng, &ctx->sa->peer_id); c;
	     c = sa_ipsec_peer_next(ctx->eng, c, &ctx->sa->peer_id)) {
		if (c->ike_serial != ctx->sa->x.serial || !c->initiator ||
		    c->x.state != V1_QUICK_I1)
			continue;
		waiting++;
		last = c;
		if (n->spi_size == 4 && n->spi32 == c->spi_in)
			hit = c;
	}
	/* Notifies carry our SPI, the cookies or nothing (RFC 2407 s4.6.3
	 * leaves it open): without our SPI only an unambiguous one counts. */
	if (!hit && waiting == 1)
		hit = last;
	if (!hit)
		return;
	eng_log(ctx->eng, ctx->out, IKE_LOG_WARN, IKE_R_PEER_NOTIFY, hit->x.serial,
		"%s: peer refused our Quick Mode: %s", ctx->conn->name,
		isakmp_notify_name(n->type));
	if (hit->w && hit->w->replaces) {
		struct ipsec_sa *old = sa_ipsec_by_serial(ctx->eng, hit->w->replaces);

		/* Try again in a while (the peer's policy may change, or its
		 * rekey may come first); the old SA protects meanwhile. */
		if (old && old->installed && old->rekeying) {
			old->rekeying = false;
			old->rekey_at =
				ctx->now + 10000 < old->expire_at ? ctx->now + 10000 : V1_NO_TIMER;
			eng_due(ctx->eng, &old->x, old->rekey_at);
		}
	}
	ikev1_ipsec_delete(ctx->eng, hit, NULL, ctx->now, ctx->out);
}

/* ---- lifetime ---- */

/* A newer SA of the same conn, peer and selectors, installed or being
 * negotiated: the peer rekeyed (or reconnected), so @c needs no successor. */
static bool ipsec_successor(struct ike_engine *eng, const struct ipsec_sa *c)
{
	struct natt_identity me = { c->peer_id.type, c->peer_id.data, c->peer_id.len };

	/* Only SAs of the same identity can match: its index, not every SA
	 * (this runs at each IPsec SA's rekey time). */
	for (const struct ipsec_sa *o = sa_ipsec_peer_first(eng, &c->peer_id); o;
	     o = sa_ipsec_peer_next(eng, o, &c->peer_id)) {
		struct natt_identity other = { o->peer_id.type, o->peer_id.data, o->peer_id.len };

		if (o == c || o->x.serial < c->x.serial || o->replaced || o->conn != c->conn ||
		    !ts_equal(&o->lts, &c->lts) || !ts_equal(&o->rts, &c->rts))
			continue;
		if (natt_initial_contact_matches(&other, &me))
			return true;
	}
	return false;
}

/* RFC 3948 s4: keepalives go on while an IPsec SA with the peer exists.
 * While an IKE SA with the peer is established it sends them
 * (ike_lifetime_run()); once none is left (the peer deleted or let expire
 * the IKE SA alone) the SA sends them itself, from its own endpoints. */
static void ipsec_keepalive_run(struct ike_engine *eng, struct ipsec_sa *c, uint64_t now,
				struct ike_actions *out)
{
	const struct ike_sa *sa = sa_ike_for_child(eng, c);
	struct natt_keepalive_in in = { 0 };
	struct natt_keepalive_out ko;
	uint8_t b[NATT_KEEPALIVE_LEN];

	if (sa && sa->nat_we && sa->floated) {
		if (sa->last_tx_ms > c->ka_last)
			c->ka_last = sa->last_tx_ms;
		c->ka_at = now + adaptka_interval_ms(eng, c->conn, sa);
		eng_due(eng, &c->x, c->ka_at);
		return;
	}
	in.behind_nat = in.floated = in.sa_exists = true;
	in.interval_ms = adaptka_interval_ms(eng, c->conn, NULL);
	in.last_sent_ms = c->ka_last;
	in.now_ms = now;
	natt_keepalive_schedule(&in, &ko);
	if (ko.send && natt_keepalive_build(b, sizeof(b)) == NATT_KEEPALIVE_LEN &&
	    eng_send_raw(out, &c->local, &c->remote, b, sizeof(b)) == 0)
		c->ka_last = now;
	c->ka_at = ko.next_ms;
	eng_due(eng, &c->x, c->ka_at);
}

bool ipsec_lifetime_run(struct ike_engine *eng, struct ipsec_sa *c, uint64_t now,
			struct ike_actions *out, struct v1_follow *f)
{
	if (c->await_connected && c->expire_at <= now) {
		struct ike_sa *via = sa_ike_by_serial(eng, c->ike_serial);

		/* RFC 2408 s3.1: no CONNECTED, no SA. Tell the responder, whose
		 * SAs are in, that ours (its outbound) is gone. */
		eng_log(eng, out, IKE_LOG_WARN, IKE_R_TIMEOUT, c->x.serial,
			"%s: no CONNECTED for IPsec SA %08x/%08x, deleting it",
			eng->conns[c->conn].name, c->spi_in, c->spi_out);
		if (via)
			info_send_delete_ipsec(eng, via, c, now, out);
		ikev1_ipsec_delete(eng, c, NULL, now, out);
		return true;
	}
	if (!c->installed)
		return false;
	if (c->expire_at <= now) {
		struct ike_sa *via = sa_ike_for_child(eng, c);

		eng_log(eng, out, IKE_LOG_INFO, IKE_R_EXPIRED, c->x.serial,
			"%s: IPsec SA %08x/%08x expired", eng->conns[c->conn].name, c->spi_in,
			c->spi_out);
		ikev1_ipsec_delete(eng, c, via, now, out);
		return true;
	}
	if (c->ka_at <= now) {
		if (c->ka_duty && !c->replaced)
			ipsec_keepalive_run(eng, c, now, out);
		else
			c->ka_at = V1_NO_TIMER;
	}
	if (c->rekey_at <= now) {
		/* Through the IKE SA of this SA's peer: a gateway conn serves
		 * many road warriors, the conn's newest IKE SA may be another's. */
		struct ike_sa *sa = sa_ike_for_child(eng, c);

		c->rekey_at = V1_NO_TIMER;
		/* Not if the peer already rekeyed it; a responder rekeys only
		 * what the initiator left to expire (its timer runs later). */
		if (ipsec_successor(eng, c))
			return false;
		if (eng->conns[c->conn].group && sa && quick_group_busy(eng, sa)) {
			/* One Quick Mode of ours at a time on a group's IKE SA. */
			c->rekey_at = now + 1000;
			eng_due(eng, &c->x, c->rekey_at);
			return false;
		}
		if (eng->conns[c->conn].no_rekey) {
			eng_log(eng, out, IKE_LOG_INFO, IKE_R_REKEY, c->x.serial,
				"%s: IPsec SA %08x/%08x not rekeyed (rekey=no): it expires unless the peer rekeys",
				eng->conns[c->conn].name, c->spi_in, c->spi_out);
			return false;
		}
		if (!c->initiator && !sa) {
			/* Our Phase 1 with this peer is gone and we do not know
			 * how to reach a %any peer without it: the initiator
			 * must come back (or DPD/expiry clean up). */
			eng_log(eng, out, IKE_LOG_INFO, IKE_R_REKEY, c->x.serial,
				"%s: IPsec SA %08x/%08x not rekeyed: no IKE SA with its peer",
				eng->conns[c->conn].name, c->spi_in, c->spi_out);
			return false;
		}
		c->rekeying = true;
		eng_log(eng, out, IKE_LOG_INFO, IKE_R_REKEY, c->x.serial,
			"%s: rekeying IPsec SA %08x/%08x%s", eng->conns[c->conn].name, c->spi_in,
			c->spi_out, c->initiator ? "" : " (as responder: the initiator did not)");
		if (sa) {
			f->what = V1_FOLLOW_QM;
			f->sa = sa;
			f->replaces = c;
		} else {
			f->what = V1_FOLLOW_INITIATE;
			f->conn = c->conn;
		}
	}
	return false;
}
