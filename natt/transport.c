// SPDX-License-Identifier: GPL-2.0-or-later
/* UDP-Encapsulated-Transport through NATs: client IDs and kernel selectors. */
#include "natt/transport.h"

#include <errno.h>
#include <string.h>

#include "natt/endpoint.h"

static bool view_valid(const struct natt_transport_view *v)
{
	return v != NULL && natt_endpoint_len(v->local) != 0 &&
	       natt_endpoint_len(v->peer_seen) != 0 &&
	       v->local->sa_family == v->peer_seen->sa_family;
}

enum natt_transport_id natt_transport_id_check(const struct natt_transport_view *v, bool ours,
					       const struct sockaddr *id)
{
	const struct natt_natoa_orig *oa = v ? v->oa : NULL;

	if (!view_valid(v) || natt_endpoint_len(id) == 0 || id->sa_family != v->local->sa_family)
		return NATT_TID_REFUSED;
	if (ours) {
		if (natt_endpoint_addr_equal(id, v->local))
			return NATT_TID_OWN;
		/* RFC 3947 s5.2: the peer's NAT-OA for us is where it sent to. */
		if (oa && oa->have_dst)
			return natt_endpoint_addr_equal(id, (const struct sockaddr *)&oa->dst)
				       ? NATT_TID_SEEN
				       : NATT_TID_REFUSED;
		return v->nat_we ? NATT_TID_UNVERIFIED : NATT_TID_REFUSED;
	}
	if (natt_endpoint_addr_equal(id, v->peer_seen))
		return NATT_TID_SEEN;
	/* RFC 3947 s5.2: the peer's NAT-OA for itself is its own address. */
	if (oa && oa->have_src)
		return natt_endpoint_addr_equal(id, (const struct sockaddr *)&oa->src)
			       ? NATT_TID_OWN
			       : NATT_TID_REFUSED;
	return v->nat_peer ? NATT_TID_UNVERIFIED : NATT_TID_REFUSED;
}

const char *natt_transport_id_name(enum natt_transport_id t)
{
	switch (t) {
	case NATT_TID_OWN:
		return "own address";
	case NATT_TID_SEEN:
		return "address as seen";
	case NATT_TID_UNVERIFIED:
		return "unverified";
	case NATT_TID_REFUSED:
	default:
		return "refused";
	}
}

int natt_transport_reply(enum natt_transport_reply style, const struct natt_transport_view *v,
			 const struct sockaddr *ci, const struct sockaddr *cr,
			 struct sockaddr_storage *out_ci, struct sockaddr_storage *out_cr)
{
	int ret;

	if (!view_valid(v))
		return -EAFNOSUPPORT;
	if (natt_endpoint_len(ci) == 0 || natt_endpoint_len(cr) == 0)
		return -EAFNOSUPPORT;
	if (ci->sa_family != v->local->sa_family || cr->sa_family != v->local->sa_family)
		return -EINVAL;
	if (style == NATT_REPLY_AS_SEEN) {
		ci = v->peer_seen;
		cr = v->local;
	}
	ret = natt_endpoint_addr_only(ci, out_ci);
	if (ret == 0)
		ret = natt_endpoint_addr_only(cr, out_cr);
	return ret;
}

int natt_transport_selector(const struct natt_transport_view *v, struct sockaddr_storage *sel_local,
			    struct sockaddr_storage *sel_peer)
{
	int ret;

	if (v == NULL || natt_endpoint_len(v->local) == 0 || natt_endpoint_len(v->peer_seen) == 0)
		return -EAFNOSUPPORT;
	if (!view_valid(v))
		return -EINVAL;
	ret = natt_endpoint_addr_only(v->local, sel_local);
	if (ret == 0)
		ret = natt_endpoint_addr_only(v->peer_seen, sel_peer);
	return ret;
}
