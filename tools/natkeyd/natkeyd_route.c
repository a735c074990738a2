// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which connection's engine a datagram goes to. Every engine answers for
 * the IKE SAs it holds (ike_engine_owns(): its own cookie index), and a new
 * Phase 1 goes where the engine's own rule would put it
 * (ike_conn_match_new()). Nothing here remembers cookies: any number of
 * peers per connection, and junk with random cookies displaces nobody.
 */
#include <errno.h>
#include <string.h>

#include "ike/wire/isakmp_decode.h"
#include "natt/framing.h"
#include "tools/natkeyd/natkeyd.h"

int nkd_dgram_hdr(const uint8_t *buf, size_t len, bool natt, struct isakmp_hdr *hdr)
{
	struct isakmp_err err;
	const uint8_t *ike = buf;
	size_t ike_len = len;

	if (natt) {
		if (natt_frame_classify(buf, len) != NATT_FRAME_IKE ||
		    natt_marker_strip(buf, len, &ike, &ike_len) < 0)
			return -EINVAL;
	}
	return isakmp_hdr_decode(ike, ike_len, hdr, &err);
}

struct nkd_conn *nkd_route(struct nkd_conn *const *conns, size_t n, const struct isakmp_hdr *hdr,
			   const struct sockaddr_storage *local,
			   const struct sockaddr_storage *remote)
{
	static const uint8_t zero[8];
	struct nkd_conn *any = NULL;
	bool aggressive = hdr->exchange == ISAKMP_XCHG_AGGR;

	for (size_t i = 0; i < n; i++)
		if (conns[i] && conns[i]->eng &&
		    ike_engine_owns(conns[i]->eng, hdr->icookie, hdr->rcookie))
			return conns[i];
	/* A new Phase 1: no responder cookie yet, Main or Aggressive Mode. */
	if (memcmp(hdr->rcookie, zero, 8) != 0 ||
	    (hdr->exchange != ISAKMP_XCHG_IDPROT && !aggressive))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!conns[i] || !conns[i]->eng) /* shunts (type=passthrough) have no IKE */
			continue;
		switch (ike_conn_match_new(&conns[i]->cfg, local, remote, aggressive)) {
		case IKE_MATCH_PEER:
			return conns[i];
		case IKE_MATCH_ANY:
			if (!any)
				any = conns[i];
			break;
		case IKE_MATCH_NONE:
			break;
		}
	}
	return any;
}

bool nkd_client_held(void *arg, const struct ike_engine *self, const struct ike_ts *rts,
		     const struct ike_ts *lts, const struct ike_id *id)
{
	const struct nkd_conn_set *set = arg;

	for (size_t i = 0; i < set->n; i++) {
		const struct nkd_conn *c = set->v[i];

		if (c && c->eng && c->eng != self &&
		    ike_engine_client_held(c->eng, rts, lts, id, NULL))
			return true;
	}
	return false;
}
