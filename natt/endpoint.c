// SPDX-License-Identifier: GPL-2.0-or-later
/* Comparing and editing AF_INET/AF_INET6 endpoints without touching padding. */
#include "natt/endpoint.h"

#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

static bool addr_equal(const struct sockaddr *a, const struct sockaddr *b, bool with_port)
{
	if (a == NULL || b == NULL || a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET) {
		const struct sockaddr_in *x = (const struct sockaddr_in *)a;
		const struct sockaddr_in *y = (const struct sockaddr_in *)b;

		return x->sin_addr.s_addr == y->sin_addr.s_addr &&
		       (!with_port || x->sin_port == y->sin_port);
	}
	if (a->sa_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
		const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)b;

		/* Scope matters for link-local addresses: fe80::1%eth0 != %eth1. */
		return memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0 &&
		       x->sin6_scope_id == y->sin6_scope_id &&
		       (!with_port || x->sin6_port == y->sin6_port);
	}
	return false;
}

bool natt_endpoint_equal(const struct sockaddr *a, const struct sockaddr *b)
{
	return addr_equal(a, b, true);
}

bool natt_endpoint_addr_equal(const struct sockaddr *a, const struct sockaddr *b)
{
	return addr_equal(a, b, false);
}

uint16_t natt_endpoint_port(const struct sockaddr *sa)
{
	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

int natt_endpoint_set_port(struct sockaddr *sa, uint16_t port)
{
	if (sa == NULL)
		return -EAFNOSUPPORT;
	if (sa->sa_family == AF_INET) {
		((struct sockaddr_in *)sa)->sin_port = htons(port);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		((struct sockaddr_in6 *)sa)->sin6_port = htons(port);
		return 0;
	}
	return -EAFNOSUPPORT;
}

socklen_t natt_endpoint_len(const struct sockaddr *sa)
{
	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET)
		return sizeof(struct sockaddr_in);
	if (sa->sa_family == AF_INET6)
		return sizeof(struct sockaddr_in6);
	return 0;
}

int natt_endpoint_addr_only(const struct sockaddr *sa, struct sockaddr_storage *out)
{
	struct sockaddr_storage tmp;
	socklen_t len = natt_endpoint_len(sa);

	if (len == 0)
		return -EAFNOSUPPORT;
	/* Through a copy: @out may be @sa itself. */
	memset(&tmp, 0, sizeof(tmp));
	memcpy(&tmp, sa, len);
	*out = tmp;
	return natt_endpoint_set_port((struct sockaddr *)out, 0);
}

const char *natt_endpoint_format(const struct sockaddr *sa, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	int n = -1;

	if (len == 0)
		return buf;
	if (sa && sa->sa_family == AF_INET &&
	    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof(addr)))
		n = snprintf(buf, len, "%s:%u", addr, natt_endpoint_port(sa));
	else if (sa && sa->sa_family == AF_INET6 &&
		 inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr,
			   sizeof(addr)))
		n = snprintf(buf, len, "[%s]:%u", addr, natt_endpoint_port(sa));
	if (n < 0 || (size_t)n >= len)
		snprintf(buf, len, "?");
	return buf;
}
