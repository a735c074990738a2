// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKEv1 fragmentation policy (ikev1_frag.h): when to announce, when to
 * send in fragments, which fragments to take. The bytes are the business
 * of ike/wire/isakmp_frag.c.
 *
 * Sending follows strongSwan's fragmentation= values with Libreswan's
 * timing: a message larger than the connection's fragment size goes out
 * whole first and in fragments from its first retransmission, if the peer
 * announced support (a peer that has sent us fragments gets them at once);
 * force fragments regardless. Main Mode 5/6 and Aggressive Mode 2/3 with
 * certificates are the messages this is for.
 */
#include "ike/ikev1_frag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ike/wire/isakmp_frag.h"
#include "natt/endpoint.h"
#include "natt/framing.h"

_Static_assert(ISAKMP_REASM_MAX_LEN == IKE_ENGINE_MAX_MSG,
	       "reassembled messages are dispatched like whole ones");

const char *ikev1_frag_mode_name(enum ike_frag_mode m)
{
	switch (m) {
	case IKE_FRAG_YES:
		return "yes";
	case IKE_FRAG_ACCEPT:
		return "accept";
	case IKE_FRAG_FORCE:
		return "force";
	case IKE_FRAG_NO:
		return "no";
	}
	return "?";
}

void ikev1_frag_vid_add(const struct ike_conn_cfg *c, const struct ike_sa *sa, struct isakmp_enc *e)
{
	/* The bare 16-octet form (as Libreswan and Windows): no capability
	 * word means Phase 1 fragmentation to every implementation. */
	if (c->fragmentation != IKE_FRAG_NO && (sa->initiator || sa->peer_frag))
		isakmp_enc_generic(e, ISAKMP_NP_VID, isakmp_frag_vid, ISAKMP_FRAG_VID_LEN);
}

void ikev1_frag_vid_take(struct ike_sa *sa, const struct isakmp_msg *msg)
{
	for (unsigned i = 0; i < msg->npayloads; i++) {
		const struct isakmp_payload *p = &msg->payloads[i];

		if (p->type == ISAKMP_NP_VID && isakmp_frag_vid_match(p->body, p->body_len))
			sa->peer_frag = true;
	}
}

size_t ikev1_frag_max(const struct ike_engine *eng, const struct ike_sa *sa)
{
	const struct ike_conn_cfg *c = &eng->conns[sa->conn];
	size_t path = c->fragment_size ? c->fragment_size : ISAKMP_FRAG_PATH_DEFAULT;
	size_t over =
		sa->remote.sa.sa_family == AF_INET6 ? ISAKMP_FRAG_IP6_UDP : ISAKMP_FRAG_IP4_UDP;

	if (sa_ep_port(&sa->local) == NATT_PORT)
		over += ISAKMP_FRAG_MARKER;
	return path > over ? path - over : 0;
}

/* Should this message go out in fragments? */
static bool frag_wanted(const struct ike_engine *eng, const struct ike_sa *sa, size_t len,
			bool resend)
{
	const struct ike_conn_cfg *c = &eng->conns[sa->conn];

	if (len <= ikev1_frag_max(eng, sa))
		return false;
	switch (c->fragmentation) {
	case IKE_FRAG_FORCE:
		return true;
	case IKE_FRAG_YES:
		return sa->peer_frag && (resend || sa->peer_sent_frags);
	default:
		return false;
	}
}

int ikev1_frag_send(struct ike_engine *eng, struct ike_sa *sa, const uint8_t *msg, size_t len,
		    bool resend, struct ike_actions *out)
{
	uint8_t frag[IKE_ENGINE_MAX_MSG + ISAKMP_FRAG_OVERHEAD];
	size_t max = ikev1_frag_max(eng, sa);
	unsigned count = frag_wanted(eng, sa, len, resend) ? isakmp_frag_count(len, max) : 0;
	bool was_frag = sa->frag_tx;

	if (count == 0) {
		/* Too many fragments would be needed (> 16): whole is all we can do. */
		sa->frag_tx = false;
		return eng_send(out, &sa->local, &sa->remote, msg, len);
	}
	/* All or nothing: half a set is as lost as none, and the last action
	 * slot is the timer's. The next retransmission tries again. */
	if (out->n + count + 2 > IKE_ACTIONS_MAX ||
	    out->buf_used + count * (max + ISAKMP_FRAG_MARKER) > sizeof(out->buf)) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_RESOURCE, sa->x.serial,
			"no room for %u fragments in this round: sent later", count);
		return -ENOSPC;
	}
	/* A retransmission keeps the Fragment ID, so that the peer can complete
	 * the message from the fragments of several copies. */
	if (!resend || !was_frag)
		sa->frag_id++;
	sa->frag_tx = true;
	/* Once per message at info (a handful of Phase 1 messages per SA);
	 * further copies of the same set at debug. */
	eng_log(eng, out, resend && was_frag ? IKE_LOG_DEBUG : IKE_LOG_INFO, IKE_R_NONE,
		sa->x.serial, "%s: %s a %zu-byte message in %u fragments of at most %zu bytes",
		eng->conns[sa->conn].name, resend ? "resending" : "sending", len, count, max);
	for (unsigned n = 1; n <= count; n++) {
		ssize_t fl = isakmp_frag_build(msg, len, max, sa->frag_id, n, frag, sizeof(frag));
		int rc;

		if (fl < 0)
			return (int)fl;
		rc = eng_send(out, &sa->local, &sa->remote, frag, (size_t)fl);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Peer-triggered, before authentication: rate-limited above debug. */
static enum ike_log_level peer_level(struct ike_engine *eng, uint64_t now)
{
	return eng_peer_log_allowed(eng, now) ? IKE_LOG_INFO : IKE_LOG_DEBUG;
}

bool ikev1_frag_input(struct ike_engine *eng, const struct ike_dgram *dg, const uint8_t *buf,
		      size_t len, uint8_t *whole, size_t *whole_len, uint64_t now,
		      struct ike_actions *out)
{
	struct isakmp_hdr hdr;
	struct isakmp_frag f;
	struct isakmp_err err;
	enum isakmp_reasm_result res;
	struct ike_sa *sa;
	union ike_ep from;
	const char *why = NULL;
	size_t n = 0;

	*whole_len = 0;
	if (!isakmp_frag_is_fragment(buf, len))
		return false;
	if (isakmp_frag_decode(buf, len, &hdr, &f, &err) < 0) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_MALFORMED, 0,
			"dropped malformed fragment: %s at offset %zu", err.reason, err.offset);
		return true;
	}
	/* No SA, no state: nothing is allocated for a stranger's fragments
	 * (a first message is never fragmented: it carries no certificate). */
	sa = sa_ike_find(eng, hdr.icookie, hdr.rcookie);
	if (!sa) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_UNEXPECTED, 0,
			"dropped fragment %u (id %u) for unknown cookies", f.number, f.id);
		return true;
	}
	/* Only the peer's own address may add to its SA's reassembly (the
	 * port may move: the float to 4500, a NAT); anyone else could only
	 * spoil it. */
	sa_ep_from_ss(&from, &dg->remote);
	if (!natt_endpoint_addr_equal(&from.sa, &sa->remote.sa)) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_REJECTED, sa->x.serial,
			"dropped fragment %u from another address than the peer's", f.number);
		return true;
	}
	if (eng->conns[sa->conn].fragmentation == IKE_FRAG_NO) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_REJECTED, sa->x.serial,
			"dropped fragment %u: fragmentation=no", f.number);
		return true;
	}
	if (!sa->reasm) {
		sa->reasm = malloc(sizeof(*sa->reasm));
		if (!sa->reasm) {
			eng_log(eng, out, IKE_LOG_WARN, IKE_R_RESOURCE, sa->x.serial,
				"out of memory for IKE fragment reassembly");
			return true;
		}
		isakmp_reasm_init(sa->reasm);
	}
	res = isakmp_reasm_add(sa->reasm, &f, now, whole, ISAKMP_REASM_MAX_LEN, &n, &why);
	switch (res) {
	case ISAKMP_REASM_MORE:
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_NONE, sa->x.serial,
			"fragment %u (id %u%s) stored%s%s", f.number, f.id,
			f.flags & ISAKMP_FRAG_LAST ? ", last" : "", why ? ": " : "",
			why ? why : "");
		return true;
	case ISAKMP_REASM_DUP:
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_RETRANSMIT, sa->x.serial,
			"duplicate fragment %u (id %u) ignored", f.number, f.id);
		return true;
	case ISAKMP_REASM_REFUSED:
	case ISAKMP_REASM_ABANDONED:
		eng_log(eng, out, peer_level(eng, now), IKE_R_MALFORMED, sa->x.serial,
			"IKE fragment %u (id %u) %s: %s", f.number, f.id,
			isakmp_reasm_result_name(res), why ? why : "-");
		if (!sa->reasm->active) {
			free(sa->reasm);
			sa->reasm = NULL;
		}
		return true;
	case ISAKMP_REASM_DONE:
		break;
	}
	free(sa->reasm);
	sa->reasm = NULL;
	/* The message must belong to the SA its fragments came on, and must
	 * not be a fragment itself (no nesting). */
	if (n < ISAKMP_HDR_LEN || memcmp(whole, buf, 2 * ISAKMP_COOKIE_LEN) != 0 ||
	    isakmp_frag_is_fragment(whole, n)) {
		eng_log(eng, out, peer_level(eng, now), IKE_R_MALFORMED, sa->x.serial,
			"dropped a reassembled message of %zu bytes: not a message of this SA", n);
		return true;
	}
	sa->peer_sent_frags = true;
	eng_log(eng, out, peer_level(eng, now), IKE_R_NONE, sa->x.serial,
		"reassembled a %zu-byte message from %u fragments (id %u)", n, f.number, f.id);
	*whole_len = n;
	return true;
}

void ikev1_frag_giveup_hint(struct ike_engine *eng, const struct ike_sa *sa,
			    const struct v1_xchg *x, struct ike_actions *out)
{
	const struct ike_conn_cfg *c = &eng->conns[sa->conn];
	size_t len = x->tx_len;

	/* A message that fits a 576-byte path whole, or that went out in
	 * fragments, did not get lost for being large. */
	if (!x->tx || len <= ikev1_frag_max(eng, sa) || sa->frag_tx)
		return;
	eng_log(eng, out, IKE_LOG_WARN, IKE_R_TIMEOUT, x->serial,
		"%s: %zu-byte message unanswered after %u retransmissions (IP fragments "
		"dropped on the path?): %s",
		c->name, len, x->tries,
		c->fragmentation == IKE_FRAG_NO ? "fragmentation=no, set fragmentation=yes"
		: c->fragmentation == IKE_FRAG_ACCEPT
			? "fragmentation=accept, set fragmentation=yes"
		: !sa->peer_frag ? "the peer did not announce IKE fragmentation"
				 : "IKE fragmentation was not used");
}
