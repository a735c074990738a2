// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Endpoint conversions (declared in sa_store.h): between the engine's
 * union ike_ep, the caller's sockaddr_storage and the kernel request's
 * address. The action emitters need them, so they sit in the innermost
 * layer with them (docs/architecture.md).
 */
#include <arpa/inet.h>
#include <string.h>

#include "ike/sa/sa_store.h"

void sa_ep_from_ss(union ike_ep *ep, const struct sockaddr_storage *ss)
{
	memset(ep, 0, sizeof(*ep));
	if (ss->ss_family == AF_INET)
		memcpy(&ep->in, ss, sizeof(ep->in));
	else if (ss->ss_family == AF_INET6)
		memcpy(&ep->in6, ss, sizeof(ep->in6));
}

void sa_ep_to_ss(const union ike_ep *ep, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ep->sa.sa_family == AF_INET)
		memcpy(ss, &ep->in, sizeof(ep->in));
	else if (ep->sa.sa_family == AF_INET6)
		memcpy(ss, &ep->in6, sizeof(ep->in6));
}

void sa_ep_to_xk(const union ike_ep *ep, struct xk_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (ep->sa.sa_family == AF_INET) {
		out->family = XK_AF_INET;
		memcpy(out->bytes, &ep->in.sin_addr, 4);
	} else if (ep->sa.sa_family == AF_INET6) {
		out->family = XK_AF_INET6;
		memcpy(out->bytes, &ep->in6.sin6_addr, 16);
	}
}

uint16_t sa_ep_port(const union ike_ep *ep)
{
	if (ep->sa.sa_family == AF_INET)
		return ntohs(ep->in.sin_port);
	if (ep->sa.sa_family == AF_INET6)
		return ntohs(ep->in6.sin6_port);
	return 0;
}
