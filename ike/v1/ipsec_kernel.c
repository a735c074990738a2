// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel requests of an IPsec SA: its two SAs and its policies (install,
 * trap policies, remove, move after a peer's float). Used by Quick Mode, SA
 * teardown and kernel events; nothing here negotiates.
 */
#include <errno.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/sa/ikev1_ids.h"
#include "ike/v1/ikev1_exchanges.h"
#include "natt/encap.h"

void ike_ts_to_sel(const struct ike_ts *src, const struct ike_ts *dst, struct xk_selector *s)
{
	memset(s, 0, sizeof(*s));
	s->src = src->addr;
	s->dst = dst->addr;
	s->src_plen = src->plen;
	s->dst_plen = dst->plen;
	s->proto = src->proto ? src->proto : dst->proto;
	s->sport = src->port;
	s->dport = dst->port;
}

void ipsec_sa_fill(struct ike_engine *eng, const struct ipsec_sa *c, bool inbound,
		   const struct keys_child *k, struct xk_sa *s)
{
	memset(s, 0, sizeof(*s));
	if (inbound) {
		sa_ep_to_xk(&c->remote, &s->src);
		sa_ep_to_xk(&c->local, &s->dst);
		s->spi = c->spi_in;
		s->replay_window = 32;
		ike_ts_to_sel(&c->rts, &c->lts, &s->sel);
	} else {
		sa_ep_to_xk(&c->local, &s->src);
		sa_ep_to_xk(&c->remote, &s->dst);
		s->spi = c->spi_out;
		ike_ts_to_sel(&c->lts, &c->rts, &s->sel);
	}
	s->mode = natt_encap_is_tunnel(c->encap) ? XK_MODE_TUNNEL : XK_MODE_TRANSPORT;
	s->reqid = eng_reqid(eng, c->conn);
	s->enc = c->p2.enc;
	memcpy(s->enc_key, k->enc, k->enc_len);
	s->enc_key_len = k->enc_len;
	s->auth = c->p2.auth;
	if (s->auth == XK_AUTH_HMAC_SHA256_128 && eng->conns[c->conn].sha2_truncbug)
		s->auth = XK_AUTH_HMAC_SHA256_96; /* same key, 96-bit ICV */
	memcpy(s->auth_key, k->integ, k->integ_len);
	s->auth_key_len = k->integ_len;
	/* The engine rekeys on its own clock; the kernel enforces the end. */
	s->lft.hard_add_s = c->life_s;
	if (c->life_kb) {
		/* RFC 2407 s4.5 kilobytes: only the kernel counts bytes; its soft
		 * EXPIRE starts the rekey (ikev1_kernel_event.c) like our timer does. */
		const struct ike_conn_cfg *conn = &eng->conns[c->conn];
		uint64_t hard = (uint64_t)c->life_kb * 1024;
		uint64_t margin =
			conn->rekey_margin_kb ? (uint64_t)conn->rekey_margin_kb * 1024 : hard / 10;

		s->lft.hard_bytes = hard;
		s->lft.soft_bytes = margin < hard ? hard - margin : hard / 2;
	}
	if (natt_encap_is_udp(c->encap)) {
		/* RFC 3948 s2.1: the ports of the IKE traffic. */
		s->encap.enabled = true;
		s->encap.sport = inbound ? sa_ep_port(&c->remote) : sa_ep_port(&c->local);
		s->encap.dport = inbound ? sa_ep_port(&c->local) : sa_ep_port(&c->remote);
		/* The peer's NAT-OA (its own address), for the transport-mode
		 * checksum fix-up of RFC 3948 s3.1.2. Linux does not use it: it
		 * marks TCP/UDP checksums of UDP-encapsulated transport packets as
		 * verified (allowed there: ESP protected them), which is why a
		 * NATed transport SA passes traffic at all. */
		s->encap.oa = c->oa;
	}
}

static void policy_fill(struct ike_engine *eng, const struct ipsec_sa *c, enum xk_dir dir,
			struct xk_policy *p)
{
	bool out = dir == XK_DIR_OUT;

	memset(p, 0, sizeof(*p));
	if (out)
		ike_ts_to_sel(&c->lts, &c->rts, &p->sel);
	else
		ike_ts_to_sel(&c->rts, &c->lts, &p->sel);
	p->dir = dir;
	p->action = XK_ACTION_ALLOW;
	p->priority = ike_policy_priority(&p->sel);
	p->has_tmpl = true;
	p->tmpl.mode = natt_encap_is_tunnel(c->encap) ? XK_MODE_TUNNEL : XK_MODE_TRANSPORT;
	p->tmpl.reqid = eng_reqid(eng, c->conn);
	if (p->tmpl.mode == XK_MODE_TUNNEL) {
		sa_ep_to_xk(out ? &c->local : &c->remote, &p->tmpl.src);
		sa_ep_to_xk(out ? &c->remote : &c->local, &p->tmpl.dst);
	}
}

int ipsec_policies_add(struct ike_engine *eng, const struct ipsec_sa *c, struct ike_actions *out)
{
	/* Tagged: the kernel's answer reaches the engine (a refusal fails @c). */
	enum xk_dir dirs[3] = { XK_DIR_OUT, XK_DIR_IN, XK_DIR_FWD };
	int n = natt_encap_is_tunnel(c->encap) ? 3 : 2;

	for (int i = 0; i < n; i++) {
		/* UPDPOLICY creates or replaces: right for first install and rekey. */
		struct xk_req *r = eng_kernel(out, XK_REQ_POLICY_UPDATE);

		if (!r)
			return -ENOSPC;
		r->cookie = c->kinstall;
		policy_fill(eng, c, dirs[i], &r->u.policy);
	}
	return 0;
}

int ike_trap_policies(const struct ike_conn_cfg *c, uint32_t reqid, struct xk_policy *out)
{
	static const enum xk_dir dirs[3] = { XK_DIR_OUT, XK_DIR_IN, XK_DIR_FWD };
	int n = c->mode == XK_MODE_TUNNEL ? 3 : 2;
	union ike_ep le, re;
	struct xk_addr l, r;

	if (c->remote.ss_family != c->local.ss_family || !c->remote_ts.addr.family ||
	    !c->local_ts.addr.family)
		return -EINVAL;
	sa_ep_from_ss(&le, &c->local);
	sa_ep_from_ss(&re, &c->remote);
	sa_ep_to_xk(&le, &l);
	sa_ep_to_xk(&re, &r);
	for (int i = 0; i < n; i++) {
		struct xk_policy *p = &out[i];
		bool o = dirs[i] == XK_DIR_OUT;

		memset(p, 0, sizeof(*p));
		if (o)
			ike_ts_to_sel(&c->local_ts, &c->remote_ts, &p->sel);
		else
			ike_ts_to_sel(&c->remote_ts, &c->local_ts, &p->sel);
		p->dir = dirs[i];
		p->action = XK_ACTION_ALLOW;
		/* The SA policies' priority for the same selector: a trap never
		 * outranks a narrower tunnel, and is replaced by its own. */
		p->priority = ike_policy_priority(&p->sel);
		p->has_tmpl = true;
		p->tmpl.mode = c->mode;
		p->tmpl.reqid = reqid;
		if (c->mode == XK_MODE_TUNNEL) {
			p->tmpl.src = o ? l : r;
			p->tmpl.dst = o ? r : l;
		}
	}
	return n;
}

static bool sel_equal(const struct xk_selector *a, const struct xk_selector *b)
{
	return a->src.family == b->src.family && a->dst.family == b->dst.family &&
	       !memcmp(a->src.bytes, b->src.bytes, 16) && !memcmp(a->dst.bytes, b->dst.bytes, 16) &&
	       a->src_plen == b->src_plen && a->dst_plen == b->dst_plen && a->proto == b->proto &&
	       a->sport == b->sport && a->dport == b->dport;
}

bool ipsec_policies_shared(struct ike_engine *eng, const struct ipsec_sa *c)
{
	for (const struct ipsec_sa *o = sa_ipsec_peer_first(eng, &c->peer_id); o;
	     o = sa_ipsec_peer_next(eng, o, &c->peer_id))
		if (o != c && o->installed && !o->replaced && o->conn == c->conn &&
		    ts_equal(&o->lts, &c->lts) && ts_equal(&o->rts, &c->rts))
			return true;
	return false;
}

void ipsec_policies_remove(struct ike_engine *eng, const struct ipsec_sa *c,
			   struct ike_actions *out)
{
	enum xk_dir dirs[3] = { XK_DIR_OUT, XK_DIR_IN, XK_DIR_FWD };
	int n = natt_encap_is_tunnel(c->encap) ? 3 : 2;
	const struct ike_conn_cfg *conn = &eng->conns[c->conn];
	struct xk_policy trap[3];
	int nt = conn->traps ? ike_trap_policies(conn, eng_reqid(eng, c->conn), trap) : -EINVAL;

	for (int i = 0; i < n; i++) {
		const struct xk_policy *t = NULL;
		struct xk_policy p;
		struct xk_req *r;

		policy_fill(eng, c, dirs[i], &p);
		for (int j = 0; j < nt; j++)
			if (trap[j].dir == p.dir)
				t = &trap[j];
		if (t && sel_equal(&t->sel, &p.sel)) {
			/* The trap replaces the SA policy in one request: no
			 * moment without a policy for this traffic. */
			r = eng_kernel(out, XK_REQ_POLICY_UPDATE);
			if (r)
				r->u.policy = *t;
			continue;
		}
		r = eng_kernel(out, XK_REQ_POLICY_DELETE);
		if (r) {
			r->u.policy_id.sel = p.sel;
			r->u.policy_id.dir = p.dir;
		}
		if (t) {
			/* Narrower SA selectors: the trap is still in; make sure. */
			r = eng_kernel(out, XK_REQ_POLICY_UPDATE);
			if (r)
				r->u.policy = *t;
		}
	}
}

/*
 * The peer moved (RFC 3947 s7): MIGRATE the SAs and policy templates. The
 * policies are found by the selectors installed (c->lts/c->rts). A
 * UDP-Encapsulated-Transport SA's selectors name the peer's old address
 * (transport_selectors_set()) and keep it: MIGRATE changes endpoints, not
 * selectors, so a port change (a NAT reboot, the usual case) is followed
 * completely, while a new peer address needs a new Quick Mode.
 */
void ipsec_move(struct ike_engine *eng, struct ipsec_sa *c, const union ike_ep *to,
		struct ike_actions *out)
{
	enum xk_dir dirs[3] = { XK_DIR_OUT, XK_DIR_IN, XK_DIR_FWD };
	int n = natt_encap_is_tunnel(c->encap) ? 3 : 2;

	for (int i = 0; i < n; i++) {
		struct xk_req *r = eng_kernel(out, XK_REQ_SA_MOVE);
		bool o = dirs[i] == XK_DIR_OUT;
		struct xk_sa_move *m;
		struct xk_policy p;

		if (!r)
			return;
		m = &r->u.move;
		policy_fill(eng, c, dirs[i], &p);
		m->policy.sel = p.sel;
		m->policy.dir = p.dir;
		sa_ep_to_xk(o ? &c->local : &c->remote, &m->old_src);
		sa_ep_to_xk(o ? &c->remote : &c->local, &m->old_dst);
		sa_ep_to_xk(o ? &c->local : to, &m->new_src);
		sa_ep_to_xk(o ? to : &c->local, &m->new_dst);
		m->mode = p.tmpl.mode;
		m->reqid = p.tmpl.reqid;
		if (natt_encap_is_udp(c->encap)) {
			m->new_encap.enabled = true;
			m->new_encap.sport = o ? sa_ep_port(&c->local) : sa_ep_port(to);
			m->new_encap.dport = o ? sa_ep_port(to) : sa_ep_port(&c->local);
			m->new_encap.oa = c->oa;
		}
	}
	c->remote = *to;
}

void ipsec_kernel_remove(struct ike_engine *eng, struct ipsec_sa *c, struct ike_actions *out)
{
	struct xk_req *r;

	(void)eng;
	r = eng_kernel(out, XK_REQ_SA_DELETE);
	if (r) {
		sa_ep_to_xk(&c->local, &r->u.sa_id.dst);
		r->u.sa_id.spi = c->spi_in;
	}
	r = eng_kernel(out, XK_REQ_SA_DELETE);
	if (r) {
		sa_ep_to_xk(&c->remote, &r->u.sa_id.dst);
		r->u.sa_id.spi = c->spi_out;
	}
	c->installed = false;
}
