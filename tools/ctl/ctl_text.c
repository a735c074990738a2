// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The human `natkeyctl status` text, written from the same view as
 * `status --json` (tools/ctl/ctl_proto.h), so the two cannot disagree. Pure:
 * tested with canned views in tests/tools/ctl/check_ctl_proto.c.
 *
 * The line format predates per-IKE-SA lines and scripts match it
 * ("gw: up, auto=add, 10.1.0.2:4500 -> 192.0.2.1:4500, NAT: local
 * (RFC 3947), ESP-in-UDP ..."): a gateway connection (right=%any) with two
 * road warriors now prints two such lines, one per IKE SA, each with its
 * own endpoints, NAT facts and IPsec SAs.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tools/ctl/ctl_proto.h"

struct text {
	struct ctl_buf b;
	size_t line_start; /* where the current line began, for a clean cut */
};

void ctl_buf_put(struct ctl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->overflow || b->len >= b->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		b->buf[b->len] = '\0';
		b->overflow = true;
		return;
	}
	b->len += (size_t)n;
}

/* Names and IDs come from config files and peers: never let a control
 * character reach the admin's terminal. */
static void put_safe(struct text *t, const char *s)
{
	char c[2] = { 0, 0 };

	for (; s && *s; s++) {
		c[0] = (unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f ? *s : '?';
		ctl_buf_put(&t->b, "%s", c);
	}
}

static void line_end(struct text *t)
{
	ctl_buf_put(&t->b, "\n");
	if (!t->b.overflow)
		t->line_start = t->b.len;
}

static const char *nat_where(bool local, bool remote)
{
	if (local && remote)
		return "both";
	if (local)
		return "local";
	if (remote)
		return "peer";
	return "none";
}

/* The JSON method name in the words of the RFC ("RFC 3947"); drafts by name. */
static const char *method_label(const char *m)
{
	return m && !strcmp(m, "rfc3947") ? "RFC 3947" : m ? m : "none";
}

static void endpoint_put(struct text *t, const char *addr, unsigned port)
{
	if (addr && addr[0]) {
		bool v6 = strchr(addr, ':') != NULL;

		ctl_buf_put(&t->b, "%s", v6 ? "[" : ""); /* RFC 5952 s6: [2001:db8::1]:500 */
		put_safe(t, addr);
		ctl_buf_put(&t->b, "%s:%u", v6 ? "]" : "", port);
	} else {
		ctl_buf_put(&t->b, "%%any");
	}
}

static void child_put(struct text *t, const struct ctl_child_sa_view *s)
{
	ctl_buf_put(&t->b,
		    ", %s %s, SPIs in %08" PRIx32 " out %08" PRIx32 ", bytes in %" PRIu64
		    " out %" PRIu64 ", age %" PRIu32 "s",
		    s->udp_encap ? "ESP-in-UDP" : "ESP", s->proposal ? s->proposal : "", s->spi_in,
		    s->spi_out, s->bytes_in, s->bytes_out, s->age_s);
	/* The Quick Mode initiator rekeys; the responder waits for it,
	 * bounded by the expiry. */
	if (s->rekey_planned)
		ctl_buf_put(&t->b, ", rekey in %" PRIu32 "s", s->rekey_in_s);
	else if (s->expires)
		ctl_buf_put(&t->b, ", expires in %" PRIu32 "s", s->expire_in_s);
}

static void ike_put(struct text *t, const struct ctl_ike_sa_view *m)
{
	ctl_buf_put(&t->b, ", IKE #%" PRIu32 " %s %s %s", m->serial, m->state ? m->state : "?",
		    m->exchange ? m->exchange : "?", m->initiator ? "initiator" : "responder");
	if (m->remote_id) {
		ctl_buf_put(&t->b, " peer ");
		put_safe(t, m->remote_id);
	}
	if (m->proposal && m->proposal[0])
		ctl_buf_put(&t->b, " %s", m->proposal);
	if (m->established)
		ctl_buf_put(&t->b, " age %" PRIu32 "s", m->age_s);
	if (m->rekey_planned)
		ctl_buf_put(&t->b, " rekey in %" PRIu32 "s", m->rekey_in_s);
	else if (m->expires)
		ctl_buf_put(&t->b, " expires in %" PRIu32 "s", m->expire_in_s);
}

/* One line of connection @c: through IKE SA @m with its IPsec SAs, or
 * (@m NULL) through orphan IPsec SA @orphan, or (both NULL) the connection
 * alone with every IPsec SA that has no IKE SA. */
static void line_put(struct text *t, const struct ctl_conn_view *c, const struct ctl_ike_sa_view *m,
		     const struct ctl_child_sa_view *orphan)
{
	bool any_child = false;

	put_safe(t, c->name);
	ctl_buf_put(&t->b, ": %s, auto=%s, ", c->state, c->autostart);
	if (m) {
		endpoint_put(t, m->local.addr, m->local.port);
		ctl_buf_put(&t->b, " -> ");
		endpoint_put(t, m->remote.addr, m->remote.port);
	} else if (orphan) {
		endpoint_put(t, orphan->local.addr, orphan->local.port);
		ctl_buf_put(&t->b, " -> ");
		endpoint_put(t, orphan->remote.addr, orphan->remote.port);
	} else {
		endpoint_put(t, c->local_addr, c->local_port);
		ctl_buf_put(&t->b, " -> ");
		endpoint_put(t, c->remote_addr, c->remote_port);
	}
	/* NAT-D runs in Main Mode messages 3/4 (AM 1/2); before that, and
	 * without an IKE SA, the answer is "unknown". */
	if (m && (m->local_behind_nat || m->remote_behind_nat))
		ctl_buf_put(&t->b, ", NAT: %s (%s)",
			    nat_where(m->local_behind_nat, m->remote_behind_nat),
			    method_label(m->nat_method));
	else
		ctl_buf_put(&t->b, ", NAT: %s", m && m->established ? "none" : "unknown");
	for (size_t k = 0; k < c->n_child_sas; k++) {
		const struct ctl_child_sa_view *s = &c->child_sas[k];

		if (orphan ? s != orphan : s->ike_serial != (m ? m->serial : 0))
			continue;
		child_put(t, s);
		any_child = true;
	}
	if (m && m->keepalive_s)
		ctl_buf_put(&t->b, ", keepalive %" PRIu32 "s", m->keepalive_s);
	if (m && m->xauth_user) {
		ctl_buf_put(&t->b, ", user ");
		put_safe(t, m->xauth_user);
	}
	if (m && m->virtual_ip)
		ctl_buf_put(&t->b, ", virtual IP %s", m->virtual_ip);
	for (unsigned k = 0; m && k < m->n_dns && k < 4; k++)
		ctl_buf_put(&t->b, "%s%s", k ? "," : ", DNS ", m->dns[k]);
	if (m)
		ike_put(t, m);
	if (!any_child && c->last_error) {
		ctl_buf_put(&t->b, ", last error: ");
		put_safe(t, c->last_error);
	}
	line_end(t);
}

ssize_t ctl_status_write_text(const struct ctl_status_view *st, char *buf, size_t cap)
{
	struct text t = { .b = { .buf = buf, .cap = cap } };

	if (!cap)
		return -ENOSPC;
	buf[0] = '\0';
	for (size_t i = 0; i < st->n_conns; i++) {
		const struct ctl_conn_view *c = &st->conns[i];

		if (!c->n_ike_sas)
			line_put(&t, c, NULL, NULL);
		for (size_t k = 0; k < c->n_ike_sas; k++)
			line_put(&t, c, &c->ike_sas[k], NULL);
		/* IPsec SAs whose IKE SA is gone and has no successor towards
		 * the same peer: still in the kernel, so still shown. */
		for (size_t k = 0; k < c->n_child_sas && c->n_ike_sas; k++)
			if (!c->child_sas[k].ike_serial)
				line_put(&t, c, NULL, &c->child_sas[k]);
		if (c->truncated) {
			put_safe(&t, c->name);
			ctl_buf_put(&t.b,
				    ": more SAs than shown here (%" PRIu64 " IKE SAs, %" PRIu64
				    " IPsec SAs in all)",
				    c->ike_sas_total, c->child_sas_total);
			line_end(&t);
		}
	}
	if (!st->n_conns) {
		ctl_buf_put(&t.b, "no connections loaded");
		line_end(&t);
	}
	if (t.b.overflow) {
		buf[t.line_start] = '\0';
		return -ENOSPC;
	}
	return (ssize_t)t.b.len;
}

/* ---- natkeyctl nat ---- */

/* Text that came from a peer or a config file, control bytes as '?'. */
static void buf_safe(struct ctl_buf *b, const char *s, int width)
{
	char c[2] = { 0, 0 };
	int n = 0;

	if (!s) {
		ctl_buf_put(b, "-");
		n = 1;
	}
	for (; s && *s; s++, n++) {
		c[0] = (unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f ? *s : '?';
		ctl_buf_put(b, "%s", c);
	}
	for (; n < width; n++)
		ctl_buf_put(b, " ");
}

/* "45 s", "3 min", "2 h" for a duration in seconds. */
static const char *dur(uint64_t s, char *buf, size_t len)
{
	if (s < 120)
		snprintf(buf, len, "%" PRIu64 " s", s);
	else if (s < 7200)
		snprintf(buf, len, "%" PRIu64 " min", s / 60);
	else
		snprintf(buf, len, "%" PRIu64 " h", s / 3600);
	return buf;
}

void ctl_nat_text_header(struct ctl_buf *b)
{
	ctl_buf_put(b, "%-12s %-6s %-26s %-20s %-10s %-5s %-5s %-4s %-18s %-9s %-9s %s\n", "CONN",
		    "IKE", "PEER", "ID", "NAT", "PORTS", "SPLIT", "CGN", "KEEPALIVES", "BINDING",
		    "LAST-AUTH", "CHANGES");
}

void ctl_nat_text_peer(struct ctl_buf *b, const struct ctl_nat_peer_view *p)
{
	const struct ctl_nat_view *v = p->nat;
	char ka[40], bind[24], last[24], t1[24], t2[24], serial[16];

	if (v->keepalives > 1 && v->keepalive_interval_s)
		snprintf(ka, sizeof(ka), "%" PRIu64 " every %" PRIu32 " s", v->keepalives,
			 v->keepalive_interval_s);
	else
		snprintf(ka, sizeof(ka), "%" PRIu64, v->keepalives);
	if (v->binding_s)
		snprintf(bind, sizeof(bind), "<=%s", dur(v->binding_s, t1, sizeof(t1)));
	else
		snprintf(bind, sizeof(bind), "-");
	if (v->have_last_auth)
		snprintf(last, sizeof(last), "%s ago", dur(v->last_auth_ago_s, t1, sizeof(t1)));
	else
		snprintf(last, sizeof(last), "-");
	snprintf(serial, sizeof(serial), "#%" PRIu32, p->serial);
	buf_safe(b, p->conn, 12);
	ctl_buf_put(b, " %-6s ", serial);
	buf_safe(b, p->peer, 26);
	ctl_buf_put(b, " ");
	buf_safe(b, p->id, 20);
	ctl_buf_put(b, " %-10s %-5s %-5s %-4s %-18s %-9s %-9s %" PRIu32 "\n", v->peer_nat,
		    !strcmp(v->port_preserved, "yes")  ? "kept"
		    : !strcmp(v->port_preserved, "no") ? "new"
						       : "?",
		    !strcmp(v->split_nat, "yes")  ? "yes"
		    : !strcmp(v->split_nat, "no") ? "no"
						  : "?",
		    v->cgn ? "yes" : "no", ka, bind, last, v->mapping_changes);
	ctl_buf_put(b, "  ");
	buf_safe(b, v->diagnosis, 0);
	ctl_buf_put(b, "\n");
	for (size_t i = v->n_history; i-- > 0;) {
		const struct ctl_nat_remap_view *r = &v->history[i];

		ctl_buf_put(b, "    %s ago: ", dur(r->ago_s, t1, sizeof(t1)));
		buf_safe(b, r->old_ep, 0);
		ctl_buf_put(b, " -> ");
		buf_safe(b, r->new_ep, 0);
		if (r->idle_s)
			ctl_buf_put(b, " after %s idle", dur(r->idle_s, t2, sizeof(t2)));
		ctl_buf_put(b, " (%s)\n", r->esp ? "ESP" : "IKE");
	}
}
