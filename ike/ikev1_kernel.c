// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Starting negotiations (admin request, kernel ACQUIRE) and the other
 * kernel events: EXPIRE (soft: rekey, hard: gone) and MAPPING (ESP arrived
 * from a new address/port; natt/mapping.c decides whether to follow).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/ikev1_exchanges.h"
#include "natt/endpoint.h"
#include "natt/framing.h"
#include "natt/mapping.h"

static bool negotiating(struct ike_engine *eng, unsigned conn)
{
	for (struct ike_sa *sa = eng->sas; sa; sa = sa->next)
		if (sa->conn == conn && sa->initiator &&
		    !ikev1_state_info(sa->x.state)->established)
			return true;
	for (struct ipsec_sa *c = eng->children; c; c = c->next)
		if (c->conn == conn && !c->installed)
			return true;
	return false;
}

bool ikev1_conn_has_ipsec(const struct ike_engine *eng, unsigned conn)
{
	for (const struct ipsec_sa *c = eng->children; c; c = c->next)
		if (c->conn == conn && c->installed && !c->replaced && !c->rekeying)
			return true;
	return false;
}

void ikev1_phase1_start(struct ike_engine *eng, unsigned conn, const struct ike_sa *from,
			uint64_t now, struct ike_actions *out)
{
	const struct ike_conn_cfg *c = &eng->conns[conn];
	union ike_ep local, remote;
	uint8_t icky[IKE_COOKIE_LEN];
	struct ike_sa *sa;

	if (from) {
		/* A rekey starts where the old SA lives now: after a float that is
		 * UDP(4500, 4500 or Y) (RFC 3947 4.g, 4.h). */
		local = from->local;
		remote = from->remote;
	} else {
		sa_ep_from_ss(&local, &c->local);
		sa_ep_from_ss(&remote, &c->remote);
		if (!sa_ep_port(&local))
			natt_endpoint_set_port(&local.sa, IKE_PORT);
		if (!sa_ep_port(&remote))
			natt_endpoint_set_port(&remote.sa, IKE_PORT);
	}
	p1_cookie_new(eng, &remote, now, icky);
	sa = sa_ike_new(eng, conn, true, icky);
	if (!sa) {
		eng_log(eng, out, IKE_LOG_WARN, IKE_R_RESOURCE, 0, "%s: IKE SA table full",
			c->name);
		return;
	}
	sa->aggressive = c->aggressive;
	sa->local = local;
	sa->remote = remote;
	/* A negotiation on 4500 is already "floated" (RFC 3947 4.h). */
	sa->floated = sa_ep_port(&sa->local) == NATT_PORT;
	ikev1_dispatch_event(eng, sa, NULL, c->aggressive ? V1_IN_START_AM : V1_IN_START_MM, NULL,
			     now, out);
}

void ikev1_initiate(struct ike_engine *eng, unsigned conn, uint64_t now, struct ike_actions *out)
{
	const struct ike_conn_cfg *c = &eng->conns[conn];
	struct ike_sa *sa;

	if (c->remote.ss_family != AF_INET && c->remote.ss_family != AF_INET6) {
		eng_log(eng, out, IKE_LOG_WARN, IKE_R_NO_CONN, 0,
			"%s: cannot initiate without a peer address", c->name);
		return;
	}
	if (negotiating(eng, conn))
		return;
	sa = sa_ike_established_for(eng, conn);
	if (sa) {
		if (!ikev1_conn_has_ipsec(eng, conn))
			quick_start(eng, sa, NULL, now, out);
		return;
	}
	ikev1_phase1_start(eng, conn, NULL, now, out);
}

static int conn_by_reqid(const struct ike_engine *eng, uint32_t reqid)
{
	for (size_t i = 0; i < eng->cfg.n_conns; i++)
		if (eng_reqid(eng, (unsigned)i) == reqid)
			return (int)i;
	return -1;
}

static void mapping_event(struct ike_engine *eng, const struct xk_ev_mapping *m, uint64_t now,
			  struct ike_actions *out)
{
	struct ipsec_sa *c = sa_ipsec_find_spi(eng, m->spi, true);
	struct natt_mapping_in in;
	union ike_ep nep;
	char old_s[NATT_ENDPOINT_STRLEN], new_s[NATT_ENDPOINT_STRLEN];
	const char *why = "";
	struct ike_sa *sa;

	if (!c)
		return;
	sa = sa_ike_for_child(eng, c); /* this SA's peer, not the conn's newest */
	memset(&nep, 0, sizeof(nep));
	if (m->new_addr.family == XK_AF_INET) {
		nep.in.sin_family = AF_INET;
		memcpy(&nep.in.sin_addr, m->new_addr.bytes, 4);
		nep.in.sin_port = htons(m->new_port);
	} else {
		nep.in6.sin6_family = AF_INET6;
		memcpy(&nep.in6.sin6_addr, m->new_addr.bytes, 16);
		nep.in6.sin6_port = htons(m->new_port);
	}
	memset(&in, 0, sizeof(in));
	in.natt_active = natt_encap_is_udp(c->encap);
	in.we_behind_nat = sa ? sa->nat_we : false;
	in.auth = NATT_AUTH_ESP; /* the kernel verified the ESP packet */
	in.old_ep = &c->remote.sa;
	in.new_ep = &nep.sa;
	if (natt_mapping_decide(&in, &why) != NATT_MAPPING_MOVE) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_REJECTED, c->x.serial,
			"mapping change not followed: %s", why);
		return;
	}
	eng_log(eng, out, IKE_LOG_AUDIT, IKE_R_MAPPING_CHANGED, c->x.serial,
		"%s: peer moved from %s to %s (verified ESP; %s)", eng->conns[c->conn].name,
		natt_endpoint_format(&c->remote.sa, old_s, sizeof(old_s)),
		natt_endpoint_format(&nep.sa, new_s, sizeof(new_s)), why);
	/* The other SAs of the same peer (same identity and endpoint), not
	 * those of another road warrior behind the same NAT. */
	for (struct ipsec_sa *o = eng->children; o; o = o->next)
		if (o != c && o->conn == c->conn && o->installed &&
		    o->peer_id.type == c->peer_id.type && o->peer_id.len == c->peer_id.len &&
		    !memcmp(o->peer_id.data, c->peer_id.data, c->peer_id.len) &&
		    natt_endpoint_equal(&o->remote.sa, &c->remote.sa))
			ipsec_move(eng, o, &nep, out);
	ipsec_move(eng, c, &nep, out);
	/* RFC 3947 s7: IKE follows the authenticated ESP too. */
	if (sa)
		sa->remote = nep;
	(void)now;
}

void ikev1_kernel_event(struct ike_engine *eng, const struct xk_event *ev, uint64_t now,
			struct ike_actions *out)
{
	switch (ev->type) {
	case XK_EV_ACQUIRE: {
		int conn = conn_by_reqid(eng, ev->u.acquire.reqid);

		if (conn >= 0)
			ikev1_initiate(eng, (unsigned)conn, now, out);
		break;
	}
	case XK_EV_EXPIRE_SOFT:
	case XK_EV_EXPIRE_HARD: {
		struct ipsec_sa *c = sa_ipsec_find_spi(eng, ev->u.expire.id.spi, true);

		if (!c)
			c = sa_ipsec_find_spi(eng, ev->u.expire.id.spi, false);
		if (!c)
			break;
		if (ev->type == XK_EV_EXPIRE_HARD) {
			c->expire_at = now;
			eng_due(eng, now);
		} else if (c->rekey_at != V1_NO_TIMER) {
			c->rekey_at = now;
			eng_due(eng, now);
		}
		break;
	}
	case XK_EV_MAPPING:
		mapping_event(eng, &ev->u.mapping, now, out);
		break;
	default:
		break;
	}
}
