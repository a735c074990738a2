// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Client address policy for Quick Mode, and policy priorities (see
 * ikev1_ids.h). A road warrior on a right=%any connection proves who it is
 * in Phase 1, not which addresses it owns: the networks it may claim are
 * the admin's (Libreswan's virtual-private= with rightsubnet=vhost:/vnet:,
 * or rightsubnet= as strongSwan writes it), plus its own address as the
 * wire shows it, never the gateway's own networks.
 */
#include "ike/sa/ikev1_ids.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ike/wire/isakmp.h"

bool ts_equal(const struct ike_ts *a, const struct ike_ts *b)
{
	return a->addr.family == b->addr.family && a->plen == b->plen &&
	       memcmp(a->addr.bytes, b->addr.bytes, 16) == 0 && a->proto == b->proto &&
	       a->port == b->port;
}

/* The first @plen bits of two addresses are equal. */
static bool prefix_equal(const uint8_t *a, const uint8_t *b, unsigned plen)
{
	size_t bytes = plen / 8;
	uint8_t rest = (uint8_t)(0xff00u >> (plen % 8));

	if (memcmp(a, b, bytes) != 0)
		return false;
	return !(plen % 8) || (a[bytes] & rest) == (b[bytes] & rest);
}

bool ts_within(const struct ike_ts *in, const struct ike_ts *outer)
{
	if (in->addr.family != outer->addr.family || in->plen < outer->plen)
		return false;
	if (!prefix_equal(in->addr.bytes, outer->addr.bytes, outer->plen))
		return false;
	return (!outer->proto || outer->proto == in->proto) &&
	       (!outer->port || outer->port == in->port);
}

bool ts_overlap(const struct ike_ts *a, const struct ike_ts *b)
{
	if (a->addr.family != b->addr.family)
		return false;
	return prefix_equal(a->addr.bytes, b->addr.bytes, a->plen < b->plen ? a->plen : b->plen);
}

static bool ts_host(const struct ike_ts *ts)
{
	return ts->plen == (ts->addr.family == XK_AF_INET ? 32 : 128);
}

const char *ts_format(const struct ike_ts *ts, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	int af = ts->addr.family == XK_AF_INET ? AF_INET : AF_INET6;

	if (!ts->addr.family || !inet_ntop(af, ts->addr.bytes, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (ts->proto || ts->port)
		snprintf(buf, len, "%s/%u:%u/%u", a, ts->plen, ts->proto, ts->port);
	else
		snprintf(buf, len, "%s/%u", a, ts->plen);
	return buf;
}

enum ids_verdict ids_client_check(const struct ike_conn_cfg *c, const struct ike_ts *ci,
				  const struct ike_ts *self, const struct ike_ts *ours,
				  bool peer_nat)
{
	bool has_list = c->n_client_allow > 0;

	/* What the gateway protects is never a road warrior's, whatever the
	 * allow-list says; a default route (prefix 0) protects no network. */
	if (ours->plen && ts_overlap(ci, ours))
		return IDS_GATEWAY;
	if (ts_within(ci, self))
		return IDS_OK;
	for (unsigned i = 0; i < c->n_client_deny && i < IKE_CLIENT_NETS_MAX; i++)
		if (ts_overlap(ci, &c->client_deny[i]))
			return IDS_EXCLUDED;
	for (unsigned i = 0; i < c->n_client_allow && i < IKE_CLIENT_NETS_MAX; i++) {
		if (!ts_within(ci, &c->client_allow[i]))
			continue;
		if (c->client_hosts_only && !ts_host(ci))
			return IDS_NOT_HOST;
		return c->client_hosts_only && !peer_nat ? IDS_NOT_NATED : IDS_OK;
	}
	if (!has_list && c->remote_ts.addr.family && ts_within(ci, &c->remote_ts))
		return IDS_OK;
	return IDS_NOT_ALLOWED;
}

const char *ids_verdict_text(enum ids_verdict v, bool has_list)
{
	switch (v) {
	case IDS_OK:
		return "allowed";
	case IDS_NOT_ALLOWED:
		return has_list ? "outside the allow-list"
				: "not its own address, and no allow-list";
	case IDS_NOT_HOST:
		return "a network where vhost: allows single addresses";
	case IDS_NOT_NATED:
		return "a vhost: address from a peer not behind a NAT";
	case IDS_EXCLUDED:
		return "in a network virtual-private= excludes";
	case IDS_GATEWAY:
		return "overlaps what this gateway protects";
	}
	return "?";
}

bool ike_id_matches(const struct ike_id *want, uint8_t type, const uint8_t *data, size_t len)
{
	size_t sfx;

	if (!want->type)
		return true;
	if (type != want->type)
		return false;
	if (want->len >= 2 && want->data[0] == '*' &&
	    ((type == ISAKMP_ID_FQDN && want->data[1] == '.') ||
	     (type == ISAKMP_ID_USER_FQDN && want->data[1] == '@'))) {
		/* The suffix ".example.org" / "@example.org", after at least
		 * one character of the peer's own. */
		sfx = want->len - 1u;
		return len > sfx && !strncasecmp((const char *)data + len - sfx,
						 (const char *)want->data + 1, sfx);
	}
	return len == want->len && !memcmp(data, want->data, len);
}

const char *ike_id_short(const struct ike_id *id, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	switch (id->type) {
	case ISAKMP_ID_IPV4_ADDR:
	case ISAKMP_ID_IPV6_ADDR:
		if (id->len != (id->type == ISAKMP_ID_IPV4_ADDR ? 4 : 16) ||
		    !inet_ntop(id->type == ISAKMP_ID_IPV4_ADDR ? AF_INET : AF_INET6, id->data, a,
			       sizeof(a)))
			snprintf(a, sizeof(a), "?");
		snprintf(buf, len, "%s", a);
		break;
	case ISAKMP_ID_FQDN:
	case ISAKMP_ID_USER_FQDN:
		snprintf(buf, len, "%.*s", id->len > 40 ? 40 : (int)id->len,
			 (const char *)id->data);
		/* A peer's bytes: nothing unprintable in our log. */
		for (char *p = buf; *p; p++)
			if (*p < 0x21 || *p > 0x7e)
				*p = '?';
		break;
	case 0:
		snprintf(buf, len, "(no identity)");
		break;
	default:
		snprintf(buf, len, "ID type %u", id->type);
		break;
	}
	return buf;
}

uint32_t ike_policy_priority(const struct xk_selector *sel)
{
	return 4u * (1024u - sel->src_plen - sel->dst_plen) + (sel->sport || sel->dport ? 0 : 2) +
	       (sel->proto ? 0 : 1);
}
