// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which engine and which connection a datagram is for. The engine answers
 * from its own cookie index, so a daemon that runs one engine per
 * connection routes exactly as the engine would look up: no second table
 * that can forget a peer or be filled with junk.
 */
#include "ike/engine.h"

#include "ike/engine_int.h"
#include "natt/endpoint.h"

bool ike_conn_aggr_responder_ok(const struct ike_conn_cfg *c)
{
	return c->auth != IKE_AUTH_PSK || c->aggr_psk_responder;
}

bool ike_engine_owns(struct ike_engine *eng, const uint8_t *icky, const uint8_t *rcky)
{
	return sa_ike_find(eng, icky, rcky) != NULL;
}

enum ike_conn_match ike_conn_match_new(const struct ike_conn_cfg *c,
				       const struct sockaddr_storage *local,
				       const struct sockaddr_storage *remote, bool aggressive)
{
	union ike_ep l, r, cl, cr;

	if (c->aggressive != aggressive || (aggressive && !ike_conn_aggr_responder_ok(c)))
		return IKE_MATCH_NONE;
	sa_ep_from_ss(&l, local);
	sa_ep_from_ss(&cl, &c->local);
	if (!natt_endpoint_addr_equal(&cl.sa, &l.sa))
		return IKE_MATCH_NONE;
	if (c->remote.ss_family == AF_UNSPEC)
		return IKE_MATCH_ANY;
	sa_ep_from_ss(&r, remote);
	sa_ep_from_ss(&cr, &c->remote);
	return natt_endpoint_addr_equal(&cr.sa, &r.sa) ? IKE_MATCH_PEER : IKE_MATCH_NONE;
}
