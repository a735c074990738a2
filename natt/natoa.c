// SPDX-License-Identifier: GPL-2.0-or-later
/* RFC 3947 s5.2 original addresses: what to send, what the received ones mean. */
#include "natt/natoa.h"

#include <errno.h>
#include <string.h>

#include "natt/endpoint.h"

int natt_natoa_plan(enum natt_role role, enum natt_method m, bool udp_transport,
		    const struct sockaddr *local, const struct sockaddr *peer_seen,
		    struct natt_natoa_plan *plan)
{
	const struct natt_method_info *mi = natt_method_info(m);
	const struct sockaddr *oai, *oar;
	int ret;

	memset(plan, 0, sizeof(*plan));
	if (natt_endpoint_len(local) == 0 || natt_endpoint_len(peer_seen) == 0)
		return -EAFNOSUPPORT;
	if (local->sa_family != peer_seen->sa_family)
		return -EINVAL;
	/* 5.2.c/5.2.d/5.2.e: tunnel modes and plain ESP carry no NAT-OA. */
	if (mi == NULL || !udp_transport)
		return 0;
	if (mi->natoa_count == 1) {
		/* Drafts up to -04: one NAT-OA, the sender's original source. */
		plan->count = 1;
		return natt_endpoint_addr_only(local, &plan->oa[0]);
	}
	/* 5.2.a: the initiator's view first, whoever sends. */
	oai = role == NATT_ROLE_INITIATOR ? local : peer_seen;
	oar = role == NATT_ROLE_INITIATOR ? peer_seen : local;
	ret = natt_endpoint_addr_only(oai, &plan->oa[0]);
	if (ret == 0)
		ret = natt_endpoint_addr_only(oar, &plan->oa[1]);
	if (ret == 0)
		plan->count = 2;
	return ret;
}

int natt_natoa_original(enum natt_role role, enum natt_method m,
			const struct sockaddr_storage *recv, size_t nrecv,
			struct natt_natoa_orig *orig)
{
	const struct natt_method_info *mi = natt_method_info(m);
	const struct sockaddr *src = NULL, *dst = NULL;
	int ret;

	memset(orig, 0, sizeof(*orig));
	if (nrecv == 0)
		return 0; /* NT-f / drafts: redundant NAT-OA may be left out */
	if (mi == NULL || nrecv > mi->natoa_count || recv == NULL)
		return -EINVAL;
	if (mi->natoa_count == 1) {
		src = (const struct sockaddr *)&recv[0];
	} else if (nrecv == 2) {
		const struct sockaddr *oai = (const struct sockaddr *)&recv[0];
		const struct sockaddr *oar = (const struct sockaddr *)&recv[1];

		/* The responder's NAT-OAr and the initiator's NAT-OAi are the
		 * sender's own address; the other one is us as it saw us. */
		src = role == NATT_ROLE_INITIATOR ? oar : oai;
		dst = role == NATT_ROLE_INITIATOR ? oai : oar;
	} else {
		/* 5.2.b requires both in transport mode; one alone is ambiguous. */
		return -EINVAL;
	}
	ret = natt_endpoint_addr_only(src, &orig->src);
	if (ret < 0)
		return ret;
	orig->have_src = true;
	if (dst != NULL) {
		ret = natt_endpoint_addr_only(dst, &orig->dst);
		if (ret < 0)
			return ret;
		orig->have_dst = true;
	}
	return 0;
}
