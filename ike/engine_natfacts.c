// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Recording a peer's NAT facts (issue 18) on its IKE SA: the legs on 500
 * and 4500, NAT-D, NAT-OA, identity, authenticated mapping changes with the
 * idle time before them, keepalives received; and the keepalive audit
 * (natt/diag.c decides, this file keeps the record and logs). The facts
 * follow the peer to the IKE SA that replaces its SA (rekey), and stay
 * with the engine over a reload that keeps the connection.
 */
#include <string.h>

#include "ike/engine_int.h"
#include "ike/ikev1_states.h"
#include "natt/diag.h"
#include "natt/endpoint.h"

/* Audit warnings written per second at most, per engine; the rest wait
 * for their SA's next look a second later (none is lost, none repeats). */
#define NAT_AUDIT_PER_S 20

void eng_nat_rx(struct ike_sa *sa, const struct ike_dgram *dg, bool authenticated, uint64_t now)
{
	union ike_ep l;

	sa_ep_from_ss(&l, &dg->local);
	natt_diag_leg(&sa->nat, sa_ep_port(&l), (const struct sockaddr *)&dg->remote);
	if (authenticated)
		natt_diag_auth(&sa->nat, now);
}

void eng_nat_natd(struct ike_sa *sa)
{
	sa->nat.natt = sa->natt != NATT_METHOD_NONE;
	sa->nat.natd_done = true;
	sa->nat.we_behind_nat = sa->nat_we;
	sa->nat.natd_peer = sa->nat_peer;
}

void eng_nat_natoa(struct ike_sa *sa, const struct sockaddr_storage *oa)
{
	natt_ep_from_sa(&sa->nat.natoa, (const struct sockaddr *)oa);
	sa->nat.natoa.port = 0;
}

static bool same_id(const struct ike_id *a, const struct ike_id *b)
{
	return a->type == b->type && a->len == b->len && !memcmp(a->data, b->data, a->len);
}

/* The newest other established IKE SA of @sa's connection and peer (same
 * identity; the same endpoint, else the same address): the one @sa replaces. */
static struct ike_sa *predecessor(struct ike_engine *eng, const struct ike_sa *sa)
{
	struct ike_sa *addr_match = NULL;

	for (struct ike_sa *o = sa_ike_by_id_first(eng, &sa->peer_id); o;
	     o = sa_ike_by_id_next(eng, o, &sa->peer_id)) {
		if (o == sa || o->conn != sa->conn || !o->nat.established_ms ||
		    !same_id(&o->peer_id, &sa->peer_id))
			continue;
		if (natt_endpoint_equal(&o->remote.sa, &sa->remote.sa))
			return o;
		if (!addr_match && natt_endpoint_addr_equal(&o->remote.sa, &sa->remote.sa))
			addr_match = o;
	}
	return addr_match;
}

static uint32_t audit_ms(const struct ike_engine *eng)
{
	return eng->cfg.nat_audit_ms;
}

static void audit_arm(struct ike_engine *eng, struct ike_sa *sa, uint64_t at)
{
	sa->audit_at = at == UINT64_MAX ? V1_NO_TIMER : at;
	eng_due(eng, &sa->x, sa->audit_at);
}

void eng_nat_established(struct ike_engine *eng, struct ike_sa *sa, uint64_t now)
{
	struct ike_sa *old;
	uint64_t next;

	if (sa->peer_id.type == 1 && sa->peer_id.len == 4) { /* ID_IPV4_ADDR */
		sa->nat.id_addr.family = AF_INET;
		memcpy(sa->nat.id_addr.addr, sa->peer_id.data, 4);
	} else if (sa->peer_id.type == 5 && sa->peer_id.len == 16) { /* ID_IPV6_ADDR */
		sa->nat.id_addr.family = AF_INET6;
		memcpy(sa->nat.id_addr.addr, sa->peer_id.data, 16);
	}
	if (!sa->nat.established_ms)
		sa->nat.established_ms = now;
	if (!sa->nat.last_auth_ms)
		natt_diag_auth(&sa->nat, now);
	old = predecessor(eng, sa);
	if (old)
		natt_diag_carry(&sa->nat, &old->nat);
	sa_ike_ep_index(eng, sa);
	if (audit_ms(eng) == IKE_NAT_AUDIT_OFF)
		return;
	(void)natt_diag_audit(&sa->nat, now, audit_ms(eng), &next);
	audit_arm(eng, sa, next);
}

/* Warn now if due and the engine's budget allows; true when warned or
 * nothing was due, false when the warning has to wait. */
static bool audit_warn(struct ike_engine *eng, struct ike_sa *sa, enum natt_audit a, uint64_t now,
		       struct ike_actions *out)
{
	struct natt_diag d;
	char ep[NATT_ENDPOINT_STRLEN];

	if (a == NATT_AUDIT_NONE)
		return true;
	if (now >= eng->audit_window_ms + 1000) {
		eng->audit_window_ms = now;
		eng->audit_count = 0;
	}
	if (eng->audit_count >= NAT_AUDIT_PER_S)
		return false;
	eng->audit_count++;
	if (a == NATT_AUDIT_NO_KEEPALIVE)
		sa->nat.warned_none = true;
	else
		sa->nat.warned_slow = true;
	natt_diag_classify(&sa->nat, now, audit_ms(eng), &d);
	eng_log(eng, out, IKE_LOG_WARN, IKE_R_NAT_AUDIT, sa->x.serial, "%s: peer %s: %s",
		eng->conns[sa->conn].name, natt_endpoint_format(&sa->remote.sa, ep, sizeof(ep)),
		d.text);
	return true;
}

void eng_nat_audit(struct ike_engine *eng, struct ike_sa *sa, uint64_t now, struct ike_actions *out)
{
	enum natt_audit a;
	uint64_t next;

	if (sa->audit_at > now)
		return;
	sa->audit_at = V1_NO_TIMER;
	if (audit_ms(eng) == IKE_NAT_AUDIT_OFF || sa->deleting)
		return;
	a = natt_diag_audit(&sa->nat, now, audit_ms(eng), &next);
	if (!audit_warn(eng, sa, a, now, out)) {
		audit_arm(eng, sa, now + 1000);
		return;
	}
	(void)natt_diag_audit(&sa->nat, now, audit_ms(eng), &next);
	audit_arm(eng, sa, next);
}

/* Between timer looks: a keepalive or a move may show keepalives slower
 * than the NAT's binding lifetime (natt_diag_audit()). */
static void audit_event(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
			struct ike_actions *out)
{
	uint64_t next;
	enum natt_audit a;

	if (audit_ms(eng) == IKE_NAT_AUDIT_OFF || !ikev1_state_info(sa->x.state)->established)
		return;
	a = natt_diag_audit(&sa->nat, now, audit_ms(eng), &next);
	if (a == NATT_AUDIT_SLOW_KEEPALIVE && !audit_warn(eng, sa, a, now, out))
		audit_arm(eng, sa, now + 1000);
}

uint32_t eng_nat_moved(struct ike_engine *eng, struct ike_sa *sa, const union ike_ep *old, bool esp,
		       uint64_t now, struct ike_actions *out)
{
	uint64_t b;

	natt_diag_remap(&sa->nat, now, &old->sa, &sa->remote.sa, esp);
	if (sa->ep_indexed)
		sa_ike_ep_index(eng, sa);
	audit_event(eng, sa, now, out);
	b = natt_diag_binding(&sa->nat);
	return b > UINT32_MAX ? UINT32_MAX : (uint32_t)b;
}

void eng_nat_keepalive(struct ike_engine *eng, const struct sockaddr_storage *from, uint64_t now,
		       struct ike_actions *out)
{
	union ike_ep ep;
	struct ike_sa *sa;

	sa_ep_from_ss(&ep, from);
	sa = sa_ike_by_ep(eng, &ep);
	if (!sa)
		return; /* not a peer of ours (or not established): no state, no log */
	natt_diag_keepalive(&sa->nat, now);
	audit_event(eng, sa, now, out);
}
