// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-peer NAT facts: the recording primitives and the pure rules that
 * classify them (natt/diag.h has the rules in words).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "natt/diag.h"

#define IKE_PORT_500   500u
#define NATT_PORT_4500 4500u
#define NEVER	       UINT64_MAX

void natt_ep_from_sa(struct natt_ep *ep, const struct sockaddr *sa)
{
	memset(ep, 0, sizeof(*ep));
	if (!sa)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		ep->family = AF_INET;
		ep->port = ntohs(in->sin_port);
		memcpy(ep->addr, &in->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		ep->family = AF_INET6;
		ep->port = ntohs(in6->sin6_port);
		memcpy(ep->addr, &in6->sin6_addr, 16);
	}
}

void natt_ep_to_ss(const struct natt_ep *ep, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (ep->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(ep->port);
		memcpy(&in->sin_addr, ep->addr, 4);
	} else if (ep->family == AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(ep->port);
		memcpy(&in6->sin6_addr, ep->addr, 16);
	}
}

static size_t ep_alen(const struct natt_ep *ep)
{
	return ep->family == AF_INET ? 4 : ep->family == AF_INET6 ? 16 : 0;
}

bool natt_ep_addr_equal(const struct natt_ep *a, const struct natt_ep *b)
{
	return a->family && a->family == b->family && !memcmp(a->addr, b->addr, ep_alen(a));
}

bool natt_ep_equal(const struct natt_ep *a, const struct natt_ep *b)
{
	return natt_ep_addr_equal(a, b) && a->port == b->port;
}

const char *natt_ep_format(const struct natt_ep *ep, bool port, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (!len)
		return buf;
	if (!ep->family || !inet_ntop(ep->family, ep->addr, a, sizeof(a))) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (!port)
		snprintf(buf, len, "%s", a);
	else if (ep->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, (unsigned)ep->port);
	else
		snprintf(buf, len, "%s:%u", a, (unsigned)ep->port);
	return buf;
}

bool natt_diag_is_cgn(const struct natt_ep *ep)
{
	/* RFC 6598: 100.64.0.0/10. */
	return ep->family == AF_INET && ep->addr[0] == 100 && (ep->addr[1] & 0xc0) == 64;
}

void natt_diag_leg(struct natt_facts *f, uint16_t local_port, const struct sockaddr *from)
{
	struct natt_ep *leg = local_port == NATT_PORT_4500 ? &f->ep4500
			      : local_port == IKE_PORT_500 ? &f->ep500
							   : NULL;

	if (leg && !leg->family)
		natt_ep_from_sa(leg, from);
}

void natt_diag_auth(struct natt_facts *f, uint64_t now)
{
	f->last_auth_ms = now;
	f->last_seen_ms = now;
}

/* @f's history, allocated empty if it has none; NULL when out of memory. */
static struct natt_history *history_of(struct natt_facts *f)
{
	if (!f->hist)
		f->hist = calloc(1, sizeof(*f->hist));
	return f->hist;
}

void natt_diag_remap(struct natt_facts *f, uint64_t now, const struct sockaddr *old_ep,
		     const struct sockaddr *new_ep, bool esp)
{
	struct natt_history *h = history_of(f);

	if (h) {
		struct natt_remap *r = &h->v[h->next];

		memset(r, 0, sizeof(*r));
		r->at_ms = now;
		natt_ep_from_sa(&r->old_ep, old_ep);
		natt_ep_from_sa(&r->new_ep, new_ep);
		r->idle_ms = f->last_seen_ms && now > f->last_seen_ms ? now - f->last_seen_ms : 0;
		r->esp = esp;
		h->next = (uint8_t)((h->next + 1) % NATT_DIAG_HISTORY);
		if (h->n < NATT_DIAG_HISTORY)
			h->n++;
	}
	f->remaps++;
	natt_diag_auth(f, now);
}

void natt_diag_free(struct natt_facts *f)
{
	free(f->hist);
	f->hist = NULL;
}

void natt_diag_copy(struct natt_facts *dst, const struct natt_facts *src, struct natt_history *hist)
{
	*dst = *src;
	dst->hist = NULL;
	if (src->hist) {
		*hist = *src->hist;
		dst->hist = hist;
	}
}

void natt_diag_keepalive(struct natt_facts *f, uint64_t now)
{
	if (f->ka_count) {
		uint64_t gap = now > f->ka_last_ms ? now - f->ka_last_ms : 0;

		f->ka_interval_ms = gap > UINT32_MAX ? UINT32_MAX : (uint32_t)gap;
	} else {
		f->ka_first_ms = now;
	}
	f->ka_count++;
	f->ka_last_ms = now;
	/* @now may be a receive time older than the last message seen. */
	if (now > f->last_seen_ms)
		f->last_seen_ms = now;
}

size_t natt_diag_history(const struct natt_facts *f, struct natt_remap *v, size_t max)
{
	const struct natt_history *h = f->hist;
	size_t first;

	if (!h)
		return 0;
	first = h->n < NATT_DIAG_HISTORY ? 0 : h->next;
	for (size_t i = 0; i < h->n && i < max; i++)
		v[i] = h->v[(first + i) % NATT_DIAG_HISTORY];
	return h->n;
}

void natt_diag_carry(struct natt_facts *dst, const struct natt_facts *src)
{
	struct natt_remap mine[NATT_DIAG_HISTORY], all[2 * NATT_DIAG_HISTORY];
	size_t n_old = natt_diag_history(src, all, NATT_DIAG_HISTORY);
	size_t n_mine = natt_diag_history(dst, mine, NATT_DIAG_HISTORY);
	struct natt_history *h;
	size_t n, from;

	/* The predecessor's changes first, then any the new SA saw itself. */
	memcpy(all + n_old, mine, n_mine * sizeof(mine[0]));
	n = n_old + n_mine;
	from = n > NATT_DIAG_HISTORY ? n - NATT_DIAG_HISTORY : 0;
	if (n && (h = history_of(dst))) {
		memset(h, 0, sizeof(*h));
		for (size_t i = from; i < n; i++)
			h->v[i - from] = all[i];
		h->n = (uint8_t)(n - from);
		h->next = (uint8_t)(h->n % NATT_DIAG_HISTORY);
	}
	dst->remaps += src->remaps;
	if (src->ka_count) {
		if (!dst->ka_count) {
			dst->ka_first_ms = src->ka_first_ms;
			dst->ka_last_ms = src->ka_last_ms;
			dst->ka_interval_ms = src->ka_interval_ms;
		} else {
			dst->ka_first_ms = src->ka_first_ms;
		}
		dst->ka_count += src->ka_count;
	}
	if (src->established_ms &&
	    (!dst->established_ms || src->established_ms < dst->established_ms))
		dst->established_ms = src->established_ms;
	if (src->last_seen_ms > dst->last_seen_ms)
		dst->last_seen_ms = src->last_seen_ms;
	if (src->last_auth_ms > dst->last_auth_ms)
		dst->last_auth_ms = src->last_auth_ms;
	dst->warned_none |= src->warned_none;
	dst->warned_slow |= src->warned_slow;
	if (!dst->natoa.family)
		dst->natoa = src->natoa;
	/* A rekey started on 4500: the legs of the first contact stay the
	 * measurement of the NAT's behaviour. */
	if (!dst->ep500.family && src->ep500.family) {
		dst->ep500 = src->ep500;
		if (src->ep4500.family)
			dst->ep4500 = src->ep4500;
	}
}

static enum natt_peer_nat peer_nat_of(const struct natt_facts *f)
{
	const struct natt_ep *wire = f->ep500.family ? &f->ep500 : &f->ep4500;

	if (!f->natt || !f->natd_done)
		return NATT_PEER_NAT_UNKNOWN;
	if (!f->natd_peer)
		return NATT_PEER_NAT_NONE;
	if (!wire->family)
		return NATT_PEER_NAT_CLAIMED;
	/* The peer's own view of its address decides: NAT-OA first. */
	if (f->natoa.family)
		return natt_ep_addr_equal(&f->natoa, wire) ? NATT_PEER_NAT_FAKED
							   : NATT_PEER_NAT_TRANSLATED;
	if (f->ep500.family && f->ep500.port != IKE_PORT_500)
		return NATT_PEER_NAT_TRANSLATED;
	if (f->id_addr.family)
		return natt_ep_addr_equal(&f->id_addr, wire) ? NATT_PEER_NAT_FAKED
							     : NATT_PEER_NAT_TRANSLATED;
	return NATT_PEER_NAT_CLAIMED;
}

uint64_t natt_diag_binding(const struct natt_facts *f)
{
	uint64_t b = 0;

	for (unsigned i = 0; f->hist && i < f->hist->n; i++)
		if (f->hist->v[i].idle_ms >= NATT_DIAG_BINDING_MIN_MS &&
		    (!b || f->hist->v[i].idle_ms < b))
			b = f->hist->v[i].idle_ms;
	return b;
}

static bool audited(const struct natt_facts *f)
{
	enum natt_peer_nat p = peer_nat_of(f);

	return f->established_ms && (p == NATT_PEER_NAT_CLAIMED || p == NATT_PEER_NAT_TRANSLATED);
}

/* The audit's finding at @now, whatever was warned before. */
static enum natt_audit audit_state(const struct natt_facts *f, uint64_t now, uint32_t thr,
				   uint64_t *due)
{
	uint64_t base, b;

	*due = NEVER;
	if (!audited(f))
		return NATT_AUDIT_NONE;
	base = f->ka_count ? f->ka_last_ms : f->established_ms;
	*due = base + thr;
	if (now >= base + thr)
		return NATT_AUDIT_NO_KEEPALIVE;
	b = natt_diag_binding(f);
	if (b && f->ka_count >= 2 && f->ka_interval_ms > b)
		return NATT_AUDIT_SLOW_KEEPALIVE;
	return NATT_AUDIT_NONE;
}

enum natt_audit natt_diag_audit(const struct natt_facts *f, uint64_t now, uint32_t threshold,
				uint64_t *next)
{
	uint32_t thr = threshold ? threshold : NATT_DIAG_AUDIT_MS_DEFAULT;
	uint64_t due;
	enum natt_audit a = audit_state(f, now, thr, &due);

	/* Once per peer: one warning says what is wrong. */
	if (f->warned_none || f->warned_slow) {
		*next = NEVER;
		return NATT_AUDIT_NONE;
	}
	/* Keepalives slower than the binding lifetime show at a keepalive or
	 * a mapping change (the caller asks then too), not by time. */
	*next = due;
	return a;
}

const char *natt_peer_nat_name(enum natt_peer_nat v)
{
	switch (v) {
	case NATT_PEER_NAT_NONE:
		return "none";
	case NATT_PEER_NAT_CLAIMED:
		return "claimed";
	case NATT_PEER_NAT_TRANSLATED:
		return "translated";
	case NATT_PEER_NAT_FAKED:
		return "faked";
	default:
		return "unknown";
	}
}

const char *natt_tri_name(enum natt_tri v)
{
	return v == NATT_YES ? "yes" : v == NATT_NO ? "no" : "unknown";
}

struct text {
	char *buf;
	size_t cap, len;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len >= t->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len = t->len + (size_t)n < t->cap ? t->len + (size_t)n : t->cap - 1;
}

/* Seconds, rounded to the nearest. */
static unsigned long secs(uint64_t ms)
{
	return (unsigned long)((ms + 500) / 1000);
}

void natt_diag_classify(const struct natt_facts *f, uint64_t now, uint32_t threshold,
			struct natt_diag *d)
{
	uint32_t thr = threshold ? threshold : NATT_DIAG_AUDIT_MS_DEFAULT;
	struct text t;
	uint64_t due;

	memset(d, 0, sizeof(*d));
	t.buf = d->text;
	t.cap = sizeof(d->text);
	t.len = 0;
	d->peer_nat = peer_nat_of(f);
	if (f->ep4500.family) {
		bool p500 = !f->ep500.family || f->ep500.port == IKE_PORT_500;

		d->port_preserved = p500 && f->ep4500.port == NATT_PORT_4500 ? NATT_YES : NATT_NO;
		if (f->ep500.family)
			d->split_nat =
				natt_ep_addr_equal(&f->ep500, &f->ep4500) ? NATT_NO : NATT_YES;
	}
	d->cgn = natt_diag_is_cgn(&f->id_addr) || natt_diag_is_cgn(&f->natoa);
	d->binding_ms = natt_diag_binding(f);
	d->idle_ms = f->last_seen_ms && now > f->last_seen_ms ? now - f->last_seen_ms : 0;
	d->keepalives = f->ka_count > 0;
	d->ka_interval_ms = f->ka_count >= 2 ? f->ka_interval_ms : 0;
	d->verdict = audit_state(f, now, thr, &due);

	switch (d->peer_nat) {
	case NATT_PEER_NAT_UNKNOWN:
		put(&t, f->natt ? "NAT-D not compared yet" : "no NAT-T negotiated");
		break;
	case NATT_PEER_NAT_NONE:
		put(&t, f->we_behind_nat ? "we are behind a NAT, the peer is not: nothing to audit "
					   "here (this side keeps alive)"
					 : "no NAT between us: fine");
		break;
	case NATT_PEER_NAT_FAKED:
		put(&t,
		    "peer not behind a NAT: its own address arrives untranslated, it faked NAT-D "
		    "to force UDP encapsulation");
		break;
	case NATT_PEER_NAT_CLAIMED:
	case NATT_PEER_NAT_TRANSLATED:
		put(&t, "behind NAT");
		if (d->port_preserved == NATT_YES)
			put(&t, ", port preserved");
		else if (d->port_preserved == NATT_NO)
			put(&t, ", port not preserved");
		if (d->split_nat == NATT_YES)
			put(&t, ", split NAT (4500 from another public address than 500)");
		if (d->ka_interval_ms)
			put(&t, ", keepalive every %lu s", secs(d->ka_interval_ms));
		else if (f->ka_count)
			put(&t, ", 1 keepalive so far");
		if (d->binding_ms)
			put(&t, ", NAT rebinds after ~%lu s idle", secs(d->binding_ms));
		if (d->verdict == NATT_AUDIT_SLOW_KEEPALIVE)
			put(&t,
			    ": keepalives slower than the NAT's binding lifetime, the tunnel breaks "
			    "when idle; set keep_alive<%lu on the client",
			    secs(d->binding_ms));
		else if (d->verdict == NATT_AUDIT_NO_KEEPALIVE && d->binding_ms)
			put(&t,
			    " and the peer sends no keepalives: tunnel will break when idle; set "
			    "keep_alive<%lu on the client",
			    secs(d->binding_ms));
		else if (d->verdict == NATT_AUDIT_NO_KEEPALIVE)
			put(&t,
			    ", no keepalive for %lu s: the tunnel breaks once the NAT drops the idle "
			    "binding; enable NAT-keepalives on the client (keep_alive=20s)",
			    secs(now - (f->ka_count ? f->ka_last_ms : f->established_ms)));
		else if (f->ka_count)
			put(&t, ": fine");
		else
			put(&t, ", no keepalive yet");
		break;
	}
	if (d->cgn)
		put(&t, "; CGN likely (100.64/10)");
}
