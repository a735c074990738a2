// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel events, the dispatcher's second entry: ACQUIRE (start a
 * negotiation), EXPIRE (soft: rekey, hard: gone) and MAPPING (ESP arrived
 * from a new address/port; natt/mapping.c decides whether to follow).
 * Starting an exchange is the dispatcher's (ikev1_dispatch.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/v1/ikev1_adaptka.h"
#include "ike/v1/ikev1_exchanges.h"
#include "natt/endpoint.h"
#include "natt/framing.h"
#include "natt/mapping.h"

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
	for (struct ipsec_sa *o = sa_ipsec_peer_first(eng, &c->peer_id); o;
	     o = sa_ipsec_peer_next(eng, o, &c->peer_id))
		if (o != c && eng_same_group(eng, o->conn, c->conn) && o->installed &&
		    o->peer_id.type == c->peer_id.type && o->peer_id.len == c->peer_id.len &&
		    !memcmp(o->peer_id.data, c->peer_id.data, c->peer_id.len) &&
		    natt_endpoint_equal(&o->remote.sa, &c->remote.sa))
			ipsec_move(eng, o, &nep, out);
	ipsec_move(eng, c, &nep, out);
	/* RFC 3947 s7: IKE follows the authenticated ESP too. */
	if (sa && !natt_endpoint_equal(&sa->remote.sa, &nep.sa)) {
		union ike_ep old = sa->remote;

		uint32_t binding;

		sa->remote = nep;
		binding = eng_nat_moved(eng, sa, &old, true, now, out);
		if (binding)
			ike_peer_binding_lifetime_observed(eng, sa, binding, now, out);
	}
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
			eng_due(eng, &c->x, now);
		} else if (c->rekey_at != V1_NO_TIMER) {
			c->rekey_at = now;
			eng_due(eng, &c->x, now);
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
