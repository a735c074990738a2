// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SA teardown: an IPsec SA (its kernel SAs, or the larval one), an IKE SA
 * with the Quick Modes still negotiating on it, everything of one peer.
 * Below the exchanges: Informational, DPD, lifetimes, Quick Mode and the
 * dispatcher call it (docs/architecture.md).
 */
#include "ike/engine_int.h"
#include "ike/v1/ikev1_exchanges.h"

void ikev1_ipsec_delete(struct ike_engine *eng, struct ipsec_sa *c, struct ike_sa *via,
			uint64_t now, struct ike_actions *out)
{
	if (c->installed) {
		if (via)
			info_send_delete_ipsec(eng, via, c, now, out);
		ipsec_kernel_remove(eng, c, out);
	} else if (c->spi_in) {
		/* The larval SA from ALLOCSPI. */
		struct xk_req *r = eng_kernel(out, XK_REQ_SA_DELETE);

		if (r) {
			sa_ep_to_xk(&c->local, &r->u.sa_id.dst);
			r->u.sa_id.spi = c->spi_in;
		}
	}
	sa_ipsec_free(eng, c);
}

void ikev1_ike_delete(struct ike_engine *eng, struct ike_sa *sa, bool send_delete, uint64_t now,
		      struct ike_actions *out)
{
	struct ipsec_sa *c;

	if (send_delete && ikev1_state_info(sa->x.state)->established)
		info_send_delete_ike(eng, sa, now, out);
	/* Quick Modes still negotiating on this IKE SA die with it (none on
	 * an SA that never started one: a half-open SA goes in O(1)). They
	 * are under its identity (sa_ipsec_peer_first()): O(the peer's SAs). */
	c = sa->had_qm ? sa_ipsec_peer_first(eng, &sa->peer_id) : NULL;
	while (c) {
		if (c->ike_serial == sa->x.serial && !c->installed) {
			ikev1_ipsec_delete(eng, c, NULL, now, out);
			c = sa_ipsec_peer_first(eng, &sa->peer_id); /* freed: again */
			continue;
		}
		c = sa_ipsec_peer_next(eng, c, &sa->peer_id);
	}
	if (eng->ike_sa_gone) /* our Mode Config address goes with it (ikev1_cfg.c) */
		eng->ike_sa_gone(eng, sa, out);
	sa_ike_free(eng, sa); /* with XAUTH / Mode Config: the address lease goes offline */
}

void ikev1_peer_delete(struct ike_engine *eng, struct ike_sa *sa, bool send_delete, bool policies,
		       uint64_t now, struct ike_actions *out)
{
	bool est = ikev1_state_info(sa->x.state)->established;
	struct ipsec_sa *c = sa_ipsec_peer_first(eng, &sa->peer_id);

	/* The peer's SAs are of its identity (or, negotiated on @sa, of the
	 * identity @sa has): O(the peer's SAs), not a walk over every peer. */
	while (c) {
		if (!c->installed || !sa_ipsec_of_peer(eng, sa, c)) {
			c = sa_ipsec_peer_next(eng, c, &sa->peer_id);
			continue;
		}
		if (policies && !c->replaced)
			ipsec_policies_remove(eng, c, out);
		ikev1_ipsec_delete(eng, c, send_delete && est ? sa : NULL, now, out);
		c = sa_ipsec_peer_first(eng, &sa->peer_id); /* freed: again */
	}
	ikev1_ike_delete(eng, sa, send_delete, now, out);
}
