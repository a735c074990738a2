// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IKEv1 dispatcher: the one place that maps a message to an exchange,
 * decrypts it, finds its row, checks the payloads the row requires before a
 * handler runs, runs the handler, and changes the exchange's state. Also the
 * timer walk (retransmission, timeouts, lifetimes) and SA deletion.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/engine_crypto.h"
#include "ike/engine_int.h"
#include "ike/v1/ikev1_cfg.h"
#include "ike/v1/ikev1_adaptka.h"
#include "ike/v1/ikev1_exchanges.h"
#include "ike/ikev1_frag.h"
#include "ike/ikev1_msg.h"
#include "ike/wire/isakmp_names.h"
#include "natt/endpoint.h"
#include "natt/framing.h"
#include "natt/mapping.h"
#include "natt/ports.h"

static const uint8_t zero_cky[IKE_COOKIE_LEN];

static enum ikev1_input input_of(uint8_t exch)
{
	switch (exch) {
	case ISAKMP_XCHG_IDPROT:
		return V1_IN_MM;
	case ISAKMP_XCHG_AGGR:
		return V1_IN_AM;
	case ISAKMP_XCHG_QUICK:
		return V1_IN_QM;
	case ISAKMP_XCHG_INFO:
		return V1_IN_INFO;
	case ISAKMP_XCHG_TRANSACTION: /* the attribute payload refines it (cfg_msg_prepare()) */
		return V1_IN_CFG_REQUEST;
	default:
		return 0;
	}
}

static enum natt_exchange natt_exch_of(enum ikev1_input in)
{
	switch (in) {
	case V1_IN_MM:
		return NATT_EXCH_MAIN;
	case V1_IN_AM:
		return NATT_EXCH_AGGRESSIVE;
	case V1_IN_QM:
		return NATT_EXCH_QUICK;
	default:
		return NATT_EXCH_INFORMATIONAL;
	}
}

/* The payload bit a decoded payload counts as in the row masks. */
static uint32_t payload_bit(const struct isakmp_payload *p)
{
	switch (p->type) {
	case ISAKMP_NP_NATD:
	case ISAKMP_NP_NATD_DRAFT:
	case ISAKMP_NP_NATD_OLD:
		return V1_P(ISAKMP_NP_NATD);
	case ISAKMP_NP_NATOA:
	case ISAKMP_NP_NATOA_DRAFT:
	case ISAKMP_NP_NATOA_OLD:
		return V1_P(ISAKMP_NP_NATOA);
	default:
		if (!p->known || p->type >= 31)
			return V1_P_OTHER;
		return V1_P(p->type);
	}
}

static void state_timer_arm(struct ike_engine *eng, struct v1_xchg *x, uint64_t now)
{
	switch (ikev1_state_info(x->state)->timeout) {
	case V1_TO_RETRANSMIT:
		x->tries = 0;
		x->rexmit_ms = eng->cfg.retransmit_ms;
		x->timer_at = now + x->rexmit_ms;
		eng_due(eng, x, x->timer_at);
		break;
	case V1_TO_KERNEL:
	case V1_TO_RESPONDER:
		x->timer_at = now + eng->cfg.half_open_timeout_ms;
		eng_due(eng, x, x->timer_at);
		break;
	default:
		x->timer_at = V1_NO_TIMER;
		break;
	}
}

/* The connection a new Phase 1 from @dg belongs to: the peer's own first,
 * else the first that accepts any peer (the rule a daemon with one engine
 * per connection applies too: ike_conn_match_new()). */
static int conn_for_peer(struct ike_engine *eng, const struct ike_dgram *dg, bool aggressive)
{
	int wild = -1;

	for (size_t i = 0; i < eng->cfg.n_conns; i++) {
		switch (ike_conn_match_new(&eng->conns[i], &dg->local, &dg->remote, aggressive)) {
		case IKE_MATCH_PEER:
			return (int)i;
		case IKE_MATCH_ANY:
			if (wild < 0)
				wild = (int)i;
			break;
		case IKE_MATCH_NONE:
			break;
		}
	}
	return wild;
}

/* How far a verified message on an established IKE SA may move its peer. */
enum follow {
	FOLLOW_NONE, /* nothing else moves the peer */
	FOLLOW_PORT, /* not a replay (M-ID windows), but not proven fresh */
	FOLLOW_ADDR, /* proven fresh: answers our nonce (QM2, QM3) */
};

static enum follow follow_of(const struct ikev1_row *row)
{
	switch (row->state) {
	case V1_QUICK_I1: /* QM2: HASH(2) covers our Ni */
	case V1_QUICK_R1: /* QM3: HASH(3) covers our Nr */
		return FOLLOW_ADDR;
	case V1_INFO_PROTECTED: /* past the replay window (info_recv_protected) */
	case V1_QUICK_R0:	/* QM1: past the Quick Mode window (dispatcher) */
		return FOLLOW_PORT;
	default:
		return FOLLOW_NONE;
	}
}

/* An Aggressive Mode no connection took while an Aggressive Mode PSK
 * connection lacks the responder opt-in: say why (rate-limited: anyone can
 * send AM1). */
static void am_psk_refused_log(struct ike_engine *eng, uint64_t now, struct ike_actions *out)
{
	for (size_t i = 0; i < eng->cfg.n_conns; i++) {
		const struct ike_conn_cfg *c = &eng->conns[i];

		if (!c->aggressive || ike_conn_aggr_responder_ok(c))
			continue;
		eng_log(eng, out, eng_peer_log_allowed(eng, now) ? IKE_LOG_WARN : IKE_LOG_DEBUG,
			IKE_R_REJECTED, 0,
			"%s: Aggressive Mode PSK as responder is off (its HASH_R allows offline "
			"PSK cracking); aggressive_psk_responder=yes enables it",
			c->name);
		return;
	}
}

/* The handler of the message that moved the peer ran before the move, so
 * what it sent (a QM2, an R-U-THERE-ACK, a notify) went to the old
 * endpoint, where a NAT that rebound no longer delivers: actions from
 * @mark on that go to @old go to @now instead. (Actions already spilled to
 * the engine's backlog, when @out is full, keep the old endpoint; the peer's
 * retransmission gets the reply then.) */
static void replies_follow(const union ike_ep *old, const union ike_ep *now, size_t mark,
			   struct ike_actions *out)
{
	for (size_t i = mark; i < out->n; i++) {
		struct ike_send *snd = &out->v[i].u.send;

		if (out->v[i].type == IKE_ACT_SEND &&
		    natt_endpoint_equal((const struct sockaddr *)&snd->remote, &old->sa))
			sa_ep_to_ss(now, &snd->remote);
	}
}

/* RFC 3947 s7: an authenticated message from a new address/port may move
 * the peer; natt/mapping.c decides. A new address needs more than a
 * message that verifies (a recorded one sent from anywhere would): ESP the
 * kernel verified (mapping_event()) or a fresh exchange; a message the
 * replay window let through may move the port only (a NAT rebinding). */
static void peer_follow(struct ike_engine *eng, struct ike_sa *sa, const struct ike_dgram *dg,
			enum follow how, size_t mark, uint64_t now, struct ike_actions *out)
{
	struct natt_mapping_in in;
	union ike_ep from, old = sa->remote;
	char old_s[NATT_ENDPOINT_STRLEN], new_s[NATT_ENDPOINT_STRLEN];
	const char *why = "";
	uint32_t binding;

	sa_ep_from_ss(&from, &dg->remote);
	memset(&in, 0, sizeof(in));
	in.natt_active = sa->natt != NATT_METHOD_NONE && sa->floated;
	in.we_behind_nat = sa->nat_we;
	in.auth = NATT_AUTH_IKE;
	in.old_ep = &old.sa;
	in.new_ep = &from.sa;
	switch (natt_mapping_decide(&in, &why)) {
	case NATT_MAPPING_UNCHANGED:
		return;
	case NATT_MAPPING_IGNORE:
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_REJECTED, sa->x.serial,
			"not following the peer to port %u: %s", sa_ep_port(&from), why);
		return;
	case NATT_MAPPING_MOVE:
		break;
	}
	if (how == FOLLOW_NONE ||
	    (how == FOLLOW_PORT && !natt_endpoint_addr_equal(&old.sa, &from.sa))) {
		eng_log(eng, out, eng_peer_log_allowed(eng, now) ? IKE_LOG_INFO : IKE_LOG_DEBUG,
			IKE_R_REJECTED, sa->x.serial, "%s: not following the peer to %s: %s",
			eng->conns[sa->conn].name,
			natt_endpoint_format(&from.sa, new_s, sizeof(new_s)),
			how == FOLLOW_NONE
				? "this message does not move the peer"
				: "a new address needs verified ESP or a fresh exchange");
		return;
	}
	/* RFC 3947 s8: audit every change of a peer's mapping. */
	eng_log(eng, out, IKE_LOG_AUDIT, IKE_R_MAPPING_CHANGED, sa->x.serial,
		"%s: peer moved from %s to %s (authenticated IKE; %s)", eng->conns[sa->conn].name,
		natt_endpoint_format(&old.sa, old_s, sizeof(old_s)),
		natt_endpoint_format(&from.sa, new_s, sizeof(new_s)), why);
	/* This peer's IPsec SAs only (another road warrior behind the same
	 * NAT has another port, a group identity may be shared). */
	for (struct ipsec_sa *c = sa_ipsec_peer_first(eng, &sa->peer_id); c;
	     c = sa_ipsec_peer_next(eng, c, &sa->peer_id))
		if (c->installed && sa_ipsec_of_peer(eng, sa, c) &&
		    natt_endpoint_equal(&c->remote.sa, &old.sa))
			ipsec_move(eng, c, &from, out);
	sa->remote = from;
	replies_follow(&old, &from, mark, out);
	binding = eng_nat_moved(eng, sa, &old, false, now, out);
	if (binding) /* after sa->remote moved: a notify goes to the new port */
		ike_peer_binding_lifetime_observed(eng, sa, binding, now, out);
}

static void send_error_notify(struct ike_engine *eng, const struct isakmp_hdr *hdr,
			      const struct ike_dgram *dg, uint16_t type, uint64_t now,
			      struct ike_actions *out)
{
	uint8_t body[256], msg[ISAKMP_HDR_LEN + 256];
	struct isakmp_enc e;
	struct isakmp_hdr h;
	union ike_ep l, r;
	uint8_t spi[2 * IKE_COOKIE_LEN];
	ssize_t n;

	/* RFC 2409 s9: never answer an Informational with one. */
	if (hdr->exchange == ISAKMP_XCHG_INFO || !eng_notify_allowed(eng, now))
		return;
	memcpy(spi, hdr->icookie, IKE_COOKIE_LEN);
	memcpy(spi + IKE_COOKIE_LEN, hdr->rcookie, IKE_COOKIE_LEN);
	isakmp_enc_init(&e, body, sizeof(body));
	isakmp_enc_notify(&e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, type, spi, sizeof(spi), NULL,
			  0);
	n = isakmp_enc_finish(&e);
	if (n < 0)
		return;
	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, hdr->icookie, IKE_COOKIE_LEN);
	memcpy(h.rcookie, hdr->rcookie, IKE_COOKIE_LEN);
	h.np = isakmp_enc_first_np(&e);
	h.version = ISAKMP_VERSION;
	h.exchange = ISAKMP_XCHG_INFO;
	/* 2409-5.7.c: before keys exist, in the clear, fresh M-ID (5.7.b). */
	h.msgid = v1_msgid_new(eng);
	h.length = (uint32_t)(ISAKMP_HDR_LEN + (size_t)n);
	if (isakmp_hdr_encode(msg, sizeof(msg), &h) < 0)
		return;
	memcpy(msg + ISAKMP_HDR_LEN, body, (size_t)n);
	sa_ep_from_ss(&l, &dg->local);
	sa_ep_from_ss(&r, &dg->remote);
	eng_send(out, &l, &r, msg, ISAKMP_HDR_LEN + (size_t)n);
}

/* Phase 1 done (and XAUTH / Mode Config, when the conn has them): a rekey
 * that waited for this Phase 1 goes first (with its SA's selectors); else
 * the conn's first Quick Mode, if the conn names its peer (a %any conn
 * cannot propose: its selectors came from the peer's IDs). */
static void quick_owed(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		       struct ike_actions *out)
{
	struct ipsec_sa *w = sa_ipsec_rekey_waiting(eng, sa);

	if (w || (eng->conns[sa->conn].remote.ss_family != AF_UNSPEC &&
		  !ikev1_conn_has_ipsec(eng, sa->conn)))
		quick_start(eng, sa, w, now, out);
	/* The other conns of its group (leftsubnet=a,b): one Quick Mode
	 * each on this IKE SA, one after the other. */
	else if (eng->conns[sa->conn].group)
		quick_group_next(eng, sa, now, out);
}

/* Run the row's handler and apply the outcome. Returns the handler result. */
static enum ikev1_ret ikev1_run_row(struct ikev1_ctx *ctx, const struct ikev1_row *row, uint64_t fp)
{
	const struct ikev1_state_info *si = ikev1_state_info(row->state);
	enum ikev1_ret ret = row->handler(ctx);
	struct v1_xchg *x = ctx->x;
	struct cfg_step step = { 0 };

	if (ctx->crypto_wait || ctx->crypto_busy) {
		/* Nothing changes: the message waits for its crypto job
		 * (engine_crypto.h), or is dropped while too many are out. */
		eng_log(ctx->eng, ctx->out, IKE_LOG_DEBUG, ctx->crypto_busy ? IKE_R_RESOURCE : 0,
			x ? x->serial : 0, "%s: %s", row->handler_name,
			ctx->crypto_busy ? "dropped, too many crypto jobs out"
					 : "waits for a crypto job");
		OPENSSL_cleanse(ctx->iv, sizeof(ctx->iv));
		return V1_IGNORE;
	}
	switch (ret) {
	case V1_OK:
		if (row->state == V1_INFO || row->state == V1_INFO_PROTECTED)
			break; /* informational: no exchange state changes */
		x->state = row->next;
		if (fp) {
			x->rx_fp = fp;
			x->answered = ctx->sent;
		} else if (ctx->sent) {
			x->answered = true;
		}
		if (ctx->iv_set) {
			if (ctx->child && x == &ctx->child->x)
				memcpy(ctx->child->iv, ctx->iv, sizeof(ctx->iv));
			else if (ctx->sa && x == &ctx->sa->x)
				memcpy(ctx->sa->p1_iv, ctx->iv, sizeof(ctx->iv));
		}
		state_timer_arm(ctx->eng, x, ctx->now);
		if (ctx->sa && x == &ctx->sa->x) {
			if (ikev1_state_info(x->state)->established)
				ho_leave(ctx->eng->ho, ctx->sa);
			else if (ctx->sa->ho_src && !ho_quiet(ctx->sa))
				ho_proven(ctx->eng->ho, ctx->sa);
			else if (ho_quiet(ctx->sa))
				/* No retransmission towards a source that has not
				 * shown it receives: wait for its next message
				 * until the half-open lifetime ends. */
				x->timer_at = ctx->now + ctx->eng->cfg.half_open_timeout_ms;
		}
		eng_log(ctx->eng, ctx->out, IKE_LOG_DEBUG, IKE_R_NONE, x->serial, "%s -> %s (%s)",
			si->name, ikev1_state_name(row->next), row->handler_name);
		/* Both need the committed state and the final Phase 1 IV. */
		if (ctx->send_initial_contact)
			info_send_notify(ctx->eng, ctx->sa, ISAKMP_N_INITIAL_CONTACT, NULL, 0,
					 ctx->now, ctx->out);
		if (ctx->phase1_done &&
		    cfg_phase1_done(ctx->eng, ctx->sa, ctx->now, ctx->out, &step)) {
			/* XAUTH / Mode Config first; Quick Mode once they are
			 * done (cfg_after()). */
			ikev1_cfg_step(ctx->eng, &step, ctx->now, ctx->out);
		} else if (ctx->start_qm) {
			quick_owed(ctx->eng, ctx->sa, ctx->now, ctx->out);
		}
		if (ctx->group_next && ctx->sa) {
			struct ike_sa *via =
				ctx->child ? sa_ike_for_child(ctx->eng, ctx->child) : ctx->sa;

			if (via)
				quick_group_next(ctx->eng, via, ctx->now, ctx->out);
		}
		break;
	case V1_IGNORE:
		/* Visible when there is a reason (a bad HASH is worth knowing about),
		 * still not an error: anyone on the path can cause it. */
		eng_log(ctx->eng, ctx->out, ctx->reason ? IKE_LOG_INFO : IKE_LOG_DEBUG, ctx->reason,
			x ? x->serial : 0, "%s: ignored in %s: %s", row->handler_name, si->name,
			ctx->why[0] ? ctx->why : "-");
		break;
	case V1_FAIL:
		/* Before authentication anyone can cause this: rate-limited. */
		eng_log(ctx->eng, ctx->out,
			(ctx->sa && ikev1_state_info(ctx->sa->x.state)->established) ||
					eng_peer_log_allowed(ctx->eng, ctx->now)
				? IKE_LOG_WARN
				: IKE_LOG_DEBUG,
			ctx->reason ? ctx->reason : IKE_R_UNEXPECTED, x ? x->serial : 0,
			"%s failed in %s: %s", row->handler_name, si->name,
			ctx->why[0] ? ctx->why : "-");
		break;
	}
	OPENSSL_cleanse(ctx->iv, sizeof(ctx->iv));
	return ret;
}

/* One datagram on its way through the stages of ikev1_dispatch_dgram(). */
struct dgram_walk {
	struct isakmp_msg msg;
	uint8_t plain[IKE_ENGINE_MAX_MSG];
	struct ikev1_ctx ctx;
	const struct ikev1_row *row;
	enum ikev1_input input;
	enum ikev1_state state;
	struct ike_sa *sa;
	struct ipsec_sa *child;
	bool new_sa, new_child;
	union ike_ep local;
	uint64_t fp;
	size_t out_mark; /* out->n when the handler began (peer_follow()) */
};

/* What a stage says: go on, stop (nothing to undo), or drop the message
 * (an SA or a Quick Mode created for it goes again). */
enum dgram_stage {
	DG_GO,
	DG_STOP,
	DG_DROP
};

/* Stage 1: decode; find the IKE SA, or make a responder's for a first
 * Main or Aggressive Mode message of a peer some connection accepts. */
static enum dgram_stage dgram_find_sa(struct ike_engine *eng, const struct ike_dgram *dg,
				      const uint8_t *buf, size_t len, uint64_t now,
				      struct ike_actions *out, struct dgram_walk *w)
{
	struct isakmp_err err;
	union ike_ep remote;
	enum ho_verdict verdict;
	struct ike_sa *sa, *evict;

	if (len > IKE_ENGINE_MAX_MSG)
		return DG_STOP;
	if (isakmp_msg_decode(buf, len, &w->msg, &err) < 0) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_MALFORMED, 0,
			"dropped malformed message: %s at offset %zu", err.reason, err.offset);
		return DG_STOP;
	}
	w->input = input_of(w->msg.hdr.exchange);
	if (!w->input) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_UNEXPECTED, 0,
			"dropped unsupported exchange %s",
			isakmp_exchange_name(w->msg.hdr.exchange));
		return DG_STOP;
	}
	w->fp = v1_fingerprint(buf, len);
	sa_ep_from_ss(&w->local, &dg->local);
	sa = sa_ike_find(eng, w->msg.hdr.icookie, w->msg.hdr.rcookie);
	if (!sa) {
		int conn;

		if ((w->input != V1_IN_MM && w->input != V1_IN_AM) || w->msg.encrypted ||
		    memcmp(w->msg.hdr.rcookie, zero_cky, IKE_COOKIE_LEN) != 0 ||
		    w->msg.hdr.msgid != 0) {
			eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_UNEXPECTED, 0,
				"dropped %s for unknown cookies",
				isakmp_exchange_name(w->msg.hdr.exchange));
			return DG_STOP;
		}
		conn = conn_for_peer(eng, dg, w->input == V1_IN_AM);
		if (conn < 0 && w->input == V1_IN_AM)
			am_psk_refused_log(eng, now, out);
		if (conn < 0) {
			eng_log(eng, out,
				eng_peer_log_allowed(eng, now) ? IKE_LOG_INFO : IKE_LOG_DEBUG,
				IKE_R_NO_CONN, 0, "no connection for a %s from this peer",
				isakmp_exchange_name(w->msg.hdr.exchange));
			send_error_notify(eng, &w->msg.hdr, dg, ISAKMP_N_NO_PROPOSAL_CHOSEN, now,
					  out);
			return DG_STOP;
		}
		sa_ep_from_ss(&remote, &dg->remote);
		verdict = ho_admit(eng->ho, &remote, w->input == V1_IN_AM, &evict);
		if (evict)
			sa_ike_free(evict->ho_eng, evict); /* leaves the pool too */
		if (verdict != HO_OK) {
			/* Counted for the interval's summary line (eng_plog_tick()). */
			eng->plog_refused[verdict]++;
			eng_log(eng, out,
				eng_peer_log_allowed(eng, now) ? IKE_LOG_INFO : IKE_LOG_DEBUG,
				IKE_R_RESOURCE, 0, "%s: new %s refused: %s", eng->conns[conn].name,
				isakmp_exchange_name(w->msg.hdr.exchange),
				ho_verdict_name(verdict));
			return DG_STOP;
		}
		sa = sa_ike_new(eng, (unsigned)conn, false, w->msg.hdr.icookie);
		if (sa && ho_enter(eng->ho, eng, sa, &remote) < 0) {
			sa_ike_free(eng, sa);
			sa = NULL;
		}
		if (!sa) {
			eng->plog_refused[HO_NOMEM]++;
			eng_log(eng, out,
				eng_peer_log_allowed(eng, now) ? IKE_LOG_WARN : IKE_LOG_DEBUG,
				IKE_R_RESOURCE, 0, "IKE SA table full or out of memory");
			return DG_STOP;
		}
		w->new_sa = true;
		sa->aggressive = w->input == V1_IN_AM;
		sa->x.state = sa->aggressive ? V1_AGGR_R0 : V1_MAIN_R0;
		sa->local = w->local;
		/* RFC 3947 s3: answer where it came from, whatever the port. */
		sa->remote = remote;
	}
	w->sa = sa;
	/* The SA's last message waits for a crypto job: this one is a
	 * retransmission of it or comes too early; a second job is never
	 * started for one message (engine_crypto.h). */
	if (sa->crypto_wait) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_RETRANSMIT, sa->x.serial,
			"dropped %s: waiting for a crypto job",
			isakmp_exchange_name(w->msg.hdr.exchange));
		return DG_STOP;
	}
	/* RFC 3947 s4 (4.i, 4.j): after the float, port 500 is for new exchanges
	 * (a replay after a crypto job is the message that made us float). */
	if (!w->new_sa && sa->floated && !eng_crypto_replaying(eng) &&
	    sa_ep_port(&w->local) == IKE_PORT &&
	    natt_port500_check(true, natt_exch_of(w->input), false) == NATT_PORT500_DROP) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_REJECTED, sa->x.serial,
			"dropped %s on port 500 after the move to 4500",
			isakmp_exchange_name(w->msg.hdr.exchange));
		return DG_STOP;
	}
	return DG_GO;
}

/* Stage 2: route to the exchange (the IKE SA's Phase 1, a Quick Mode by
 * M-ID, Informational), answering a retransmission from our last message
 * and dropping a replayed Quick Mode; sets the state the row is looked up
 * in. */
static enum dgram_stage dgram_route(struct ike_engine *eng, struct dgram_walk *w, uint64_t now,
				    struct ike_actions *out)
{
	struct ike_sa *sa = w->sa;
	struct ipsec_sa *child;

	switch (w->input) {
	case V1_IN_MM:
	case V1_IN_AM:
		if ((w->input == V1_IN_AM) != sa->aggressive || w->msg.hdr.msgid != 0) {
			/* 2409-5.b: never switch exchange type mid-exchange. */
			eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_UNEXPECTED, sa->x.serial,
				"dropped %s on a %s SA", isakmp_exchange_name(w->msg.hdr.exchange),
				sa->aggressive ? "Aggressive Mode" : "Main Mode");
			return DG_STOP;
		}
		if (!w->new_sa && w->fp == sa->x.rx_fp) {
			/* A retransmission of the message we already answered. */
			if (sa->x.answered && sa->x.tx)
				v1_resend(eng, sa, &sa->x, out);
			eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_RETRANSMIT, sa->x.serial,
				"duplicate %s answered from the last message",
				isakmp_exchange_name(w->msg.hdr.exchange));
			return DG_STOP;
		}
		w->ctx.x = &sa->x;
		w->state = sa->x.state;
		break;
	case V1_IN_QM:
		if (!ikev1_state_info(sa->x.state)->established || w->msg.hdr.msgid == 0) {
			eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_UNEXPECTED, sa->x.serial,
				"dropped Quick Mode before Phase 1 completed");
			return DG_STOP;
		}
		if (cfg_blocks_quick(sa)) { /* XA6-4.b */
			eng_log(eng, out,
				eng_peer_log_allowed(eng, now) ? IKE_LOG_INFO : IKE_LOG_DEBUG,
				IKE_R_UNEXPECTED, sa->x.serial,
				"%s: dropped Quick Mode before XAUTH / Mode Config completed",
				eng->conns[sa->conn].name);
			return DG_STOP;
		}
		child = sa_ipsec_find_msgid(eng, sa, w->msg.hdr.msgid);
		w->child = child;
		if (child && w->fp == child->x.rx_fp) {
			if (child->x.answered && child->x.tx)
				v1_resend(eng, sa, &child->x, out);
			eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_RETRANSMIT, child->x.serial,
				"duplicate Quick Mode message answered from the last message");
			return DG_STOP;
		}
		if (!child && sa_msgid_seen(&sa->qm_seen, w->msg.hdr.msgid)) {
			/* QM1 of a Quick Mode that ended: a replay. No new
			 * exchange (no DH, no SPI, no QM2), no move. */
			if (eng_peer_log_allowed(eng, now))
				eng_log(eng, out, IKE_LOG_INFO, IKE_R_REPLAY, sa->x.serial,
					"%s: replayed Quick Mode (M-ID %08x) dropped",
					eng->conns[sa->conn].name, w->msg.hdr.msgid);
			return DG_STOP;
		}
		if (!child) {
			child = sa_ipsec_new(eng, sa, false);
			w->child = child;
			if (!child) {
				eng_log(eng, out, IKE_LOG_WARN, IKE_R_RESOURCE, sa->x.serial,
					"out of memory for a Quick Mode");
				return DG_STOP;
			}
			w->new_child = true;
			sa_ipsec_set_msgid(eng, child, w->msg.hdr.msgid);
			child->x.state = V1_QUICK_R0;
		}
		w->ctx.child = child;
		w->ctx.x = &child->x;
		w->state = child->x.state;
		break;
	case V1_IN_CFG_REQUEST: /* any Transaction message: decrypted, checked, classified there */
		if (cfg_msg_prepare(&w->ctx, &w->msg, w->plain, sizeof(w->plain), w->fp, &w->input,
				    &w->state) < 0)
			return DG_STOP;
		break;
	default:
		w->state = w->msg.encrypted ? V1_INFO_PROTECTED : V1_INFO;
		break;
	}
	return DG_GO;
}

/* Stage 3: the state table's row for this message in this state, and
 * whether it must arrive encrypted or in the clear. */
static enum dgram_stage dgram_row(struct ike_engine *eng, struct dgram_walk *w,
				  struct ike_actions *out)
{
	w->row = ikev1_row_find(w->state, w->input);
	if (!w->row) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_UNEXPECTED, w->sa->x.serial,
			"dropped %s: not expected in state %s",
			isakmp_exchange_name(w->msg.hdr.exchange), ikev1_state_name(w->state));
		return DG_DROP;
	}
	if (((w->row->flags & V1_F_ENCRYPTED) && !w->msg.encrypted) ||
	    ((w->row->flags & V1_F_CLEAR) && w->msg.encrypted)) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_UNEXPECTED, w->sa->x.serial,
			"dropped %s: must %sbe encrypted in %s",
			isakmp_exchange_name(w->msg.hdr.exchange), w->msg.encrypted ? "not " : "",
			ikev1_state_name(w->state));
		return DG_DROP;
	}
	return DG_GO;
}

/* Stage 4: decrypt with the IV of the exchange (Phase 1's, the Quick
 * Mode's, or a new Phase 2 IV); the next IV waits in ctx.iv. */
static enum dgram_stage dgram_decrypt(struct ike_engine *eng, struct dgram_walk *w,
				      struct ike_actions *out)
{
	static const size_t plain_cap = IKE_ENGINE_MAX_MSG;
	struct ike_sa *sa = w->sa;
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN];
	int rc = 0;

	if (!w->msg.encrypted || w->ctx.iv_set) /* a Transaction is decrypted already */
		return DG_GO;
	if (!sa->w || !sa->w->keys_done) {
		if (!ikev1_state_info(sa->x.state)->established) {
			eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_DECRYPT, sa->x.serial,
				"dropped encrypted message before keys exist");
			return DG_DROP;
		}
	}
	if (w->input == V1_IN_MM || w->input == V1_IN_AM)
		memcpy(iv, sa->p1_iv, sizeof(iv));
	else if (w->child && !w->new_child)
		memcpy(iv, w->child->iv, sizeof(iv));
	else
		rc = v1_phase2_iv(sa, w->msg.hdr.msgid, iv);
	if (rc == 0)
		rc = v1_decrypt(sa, &w->msg, w->plain, plain_cap, iv, w->ctx.iv);
	OPENSSL_cleanse(iv, sizeof(iv));
	if (rc < 0 && (w->input == V1_IN_MM || w->input == V1_IN_AM) && !sa->psk_warned) {
		/* The first encrypted Phase 1 message is where a PSK mismatch
		 * shows: SKEYID_e differs. Said once per SA; the exchange is
		 * not torn down, since anyone knowing the cookies can send
		 * garbage, and times out instead. */
		sa->psk_warned = true;
		eng_log(eng, out, IKE_LOG_WARN, IKE_R_AUTH_FAILED, sa->x.serial,
			"%s: %s does not decrypt: pre-shared key mismatch?",
			eng->conns[sa->conn].name, isakmp_exchange_name(w->msg.hdr.exchange));
		return DG_DROP;
	}
	if (rc < 0) {
		/* Debug only: anyone who saw the cookies can send garbage. */
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_DECRYPT, sa->x.serial,
			"dropped %s: does not decrypt to valid payloads",
			isakmp_exchange_name(w->msg.hdr.exchange));
		return DG_DROP;
	}
	w->ctx.iv_set = true;
	return DG_GO;
}

/* The payloads the IKE SA's authentication method adds to the row's:
 * HASH_I/HASH_R or SIG_I/SIG_R. The initiator of Aggressive Mode learns
 * the chosen method from AM2 itself, so until then its connection's. */
static uint32_t dgram_method_req(const struct ike_engine *eng, const struct dgram_walk *w)
{
	uint16_t auth = w->sa->auth ? w->sa->auth : (uint16_t)eng->conns[w->sa->conn].auth;

	/* Hybrid RSA (hybrid-auth-05 s3.2): the responder signs, the initiator
	 * (the XAUTH client) proves itself with HASH_I, so a responder wants
	 * HASH in MM5/AM3. */
	if (auth == IKE_AUTH_RSA_SIG && w->sa->hybrid && !w->sa->initiator)
		return w->row->req_psk;
	return ike_auth_is_sig(auth) ? w->row->req_sig : w->row->req_psk;
}

/* The row's message hash: first, and right (RFC 2409 5.5, 5.7). */
static bool dgram_hash_ok(const struct dgram_walk *w)
{
	const struct qm_work *q = w->child ? w->child->w : NULL;
	uint32_t msgid = w->msg.hdr.msgid;

	switch (w->row->hash) {
	case V1_HASH_NONE:
		return true;
	case V1_HASH_1:
		return v1_hash_check(&w->msg, w->sa, 1, msgid, NULL, 0);
	case V1_HASH_2:
		return q && v1_hash_check(&w->msg, w->sa, 2, msgid, q->ni, q->ni_len);
	case V1_HASH_3:
		return q &&
		       v1_hash3_check(&w->msg, w->sa, msgid, q->ni, q->ni_len, q->nr, q->nr_len);
	}
	return false;
}

static const char *const hash_names[] = { "-", "HASH(1)", "HASH(2)", "HASH(3)" };

/* Stage 5: the payloads the row requires (and those the IKE SA's
 * authentication method requires) are there, no other than it allows, and
 * the message hash it opens with verifies: all before any handler runs. */
static enum dgram_stage dgram_payloads(struct ike_engine *eng, struct dgram_walk *w, uint64_t now,
				       struct ike_actions *out)
{
	uint32_t present = 0, missing, extra;

	for (unsigned i = 0; i < w->msg.npayloads; i++)
		present |= payload_bit(&w->msg.payloads[i]);
	missing = (w->row->req | dgram_method_req(eng, w)) & ~present;
	extra = present & ~(w->row->req | w->row->opt);
	if (missing || extra) {
		unsigned t = (unsigned)__builtin_ctz(missing ? missing : extra);

		eng_log(eng, out, eng_peer_log_allowed(eng, now) ? IKE_LOG_INFO : IKE_LOG_DEBUG,
			IKE_R_MALFORMED, w->sa->x.serial, "dropped %s in %s (%s): payload %s %s",
			isakmp_exchange_name(w->msg.hdr.exchange), ikev1_state_name(w->state),
			w->row->handler_name, t == 31 ? "private" : isakmp_payload_name((uint8_t)t),
			missing ? "missing" : "not allowed");
		return DG_DROP;
	}
	if (!dgram_hash_ok(w)) {
		/* Visible (a bad HASH is worth knowing about) but rate-limited:
		 * anyone on the path can send one. */
		eng_log(eng, out, eng_peer_log_allowed(eng, now) ? IKE_LOG_INFO : IKE_LOG_DEBUG,
			IKE_R_BAD_HASH, w->ctx.x ? w->ctx.x->serial : w->sa->x.serial,
			"dropped %s in %s (%s): %s does not verify",
			isakmp_exchange_name(w->msg.hdr.exchange), ikev1_state_name(w->state),
			w->row->handler_name, hash_names[w->row->hash]);
		OPENSSL_cleanse(w->ctx.iv, sizeof(w->ctx.iv));
		return DG_DROP;
	}
	return DG_GO;
}

/* Stage 6: act on the handler's outcome: follow the peer and run what it
 * asked for (V1_OK), tell the peer and end the exchange (V1_FAIL), or drop
 * (V1_IGNORE). */
static enum dgram_stage dgram_act(struct ike_engine *eng, struct dgram_walk *w,
				  const struct ike_dgram *dg, enum ikev1_ret ret, uint64_t now,
				  struct ike_actions *out)
{
	struct ike_sa *sa = w->sa;
	struct cfg_step step = { 0 };

	if (w->ctx.crypto_wait)
		return DG_STOP; /* the SA (new or not) waits as it is */
	if (ret == V1_OK && w->ctx.peer_error) {
		char why[64];

		/* keyingtries=: a refusal of our Phase 1 attempt counts. */
		snprintf(why, sizeof(why), "peer sent %s", isakmp_notify_name(w->ctx.peer_error));
		if (!ikev1_keying_failed(eng, sa, why, now, out))
			eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_PEER_NOTIFY, sa->x.serial,
				"unprotected notify %s ignored",
				isakmp_notify_name(w->ctx.peer_error));
	}
	if (ret == V1_OK) {
		eng_nat_rx(sa, dg, false, now);
		sa->last_rx_ms = now;
		if (w->new_child)
			sa_msgid_add(&sa->qm_seen, w->msg.hdr.msgid);
		if (w->msg.encrypted && ikev1_state_info(sa->x.state)->established &&
		    !w->ctx.delete_ike)
			peer_follow(eng, sa, dg, follow_of(w->row), w->out_mark, now, out);
		if (w->msg.encrypted)
			eng_nat_rx(sa, dg, true, now);
		if (w->ctx.delete_ike)
			ikev1_ike_delete(eng, sa, false, now, out);
		else if (w->msg.hdr.exchange == ISAKMP_XCHG_TRANSACTION &&
			 cfg_after(eng, sa, now, out, &step))
			quick_owed(eng, sa, now,
				   out); /* everything done: the initiator's Quick Mode */
		ikev1_cfg_step(eng, &step, now, out); /* Mode Config after XAUTH */
		return DG_STOP;
	}
	if (ret == V1_FAIL && w->msg.hdr.exchange == ISAKMP_XCHG_TRANSACTION) {
		cfg_failed(eng, sa, now, out); /* XA6-4.c: the IKE SA goes at once */
		return DG_STOP;
	}
	if (ret == V1_FAIL) {
		if (w->ctx.notify && !w->msg.encrypted)
			send_error_notify(eng, &w->msg.hdr, dg, w->ctx.notify, now, out);
		/* Under an established IKE SA the notify is protected (2408-4.8.a);
		 * rate-limited like the clear ones. */
		if (w->ctx.notify && w->msg.encrypted &&
		    ikev1_state_info(sa->x.state)->established && eng_notify_allowed(eng, now))
			info_send_notify(eng, sa, w->ctx.notify, NULL, 0, now, out);
		if (w->child) {
			ikev1_ipsec_delete(eng, w->child, NULL, now, out);
			return DG_STOP;
		}
		if (w->input == V1_IN_MM || w->input == V1_IN_AM) {
			/* keyingtries=: a failed attempt of ours counts. */
			if (!ikev1_keying_failed(eng, sa,
						 w->ctx.why[0] ? w->ctx.why : "negotiation failed",
						 now, out))
				ikev1_ike_delete(eng, sa, false, now, out);
			return DG_STOP;
		}
		return DG_STOP;
	}
	return DG_DROP;
}

void ikev1_dispatch_dgram(struct ike_engine *eng, const struct ike_dgram *dg, const uint8_t *buf,
			  size_t len, uint64_t now, struct ike_actions *out)
{
	struct dgram_walk w;
	enum dgram_stage st;

	w.child = NULL;
	w.new_sa = false;
	w.new_child = false;
	if (dgram_find_sa(eng, dg, buf, len, now, out, &w) != DG_GO)
		return;
	memset(&w.ctx, 0, sizeof(w.ctx));
	w.ctx.eng = eng;
	w.ctx.now = now;
	w.ctx.out = out;
	w.ctx.sa = w.sa;
	w.ctx.conn = &eng->conns[w.sa->conn];
	w.ctx.dg = dg;
	w.ctx.raw = buf;
	w.ctx.raw_len = len;
	w.ctx.msg = &w.msg;
	if (dgram_route(eng, &w, now, out) != DG_GO)
		return;
	st = dgram_row(eng, &w, out);
	if (st == DG_GO)
		st = dgram_decrypt(eng, &w, out);
	if (st == DG_GO)
		st = dgram_payloads(eng, &w, now, out);
	w.out_mark = out->n;
	if (st == DG_GO)
		st = dgram_act(eng, &w, dg, ikev1_run_row(&w.ctx, w.row, w.fp), now, out);
	if (st != DG_DROP)
		return;
	if (w.new_child)
		sa_ipsec_free(eng, w.child);
	else if (w.new_sa)
		sa_ike_free(eng, w.sa);
}

void ikev1_cfg_step(struct ike_engine *eng, const struct cfg_step *step, uint64_t now,
		    struct ike_actions *out)
{
	struct v1_cfg *c = step->c;
	const struct ikev1_row *row;
	struct ikev1_ctx ctx;

	if (!c)
		return;
	row = ikev1_row_find(c->x.state, step->input);
	if (!row) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_UNEXPECTED, c->x.serial,
			"event %s not expected in state %s", ikev1_input_name(step->input),
			ikev1_state_name(c->x.state));
		return;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.eng = eng;
	ctx.now = now;
	ctx.out = out;
	ctx.sa = step->sa;
	ctx.x = &c->x;
	ctx.conn = &eng->conns[step->sa->conn];
	if (ikev1_run_row(&ctx, row, 0) == V1_FAIL)
		cfg_doom(eng, c, now);
}

void ikev1_dispatch_event(struct ike_engine *eng, struct ike_sa *sa, struct ipsec_sa *child,
			  enum ikev1_input input, const struct xk_result *kres, uint64_t now,
			  struct ike_actions *out)
{
	struct ikev1_ctx ctx;
	const struct ikev1_row *row;
	struct v1_xchg *x = child ? &child->x : &sa->x;

	if (child && !sa) {
		sa = sa_ike_by_serial(eng, child->ike_serial);
		if (!sa || !ikev1_state_info(sa->x.state)->established) {
			eng_log(eng, out, IKE_LOG_INFO, IKE_R_UNEXPECTED, child->x.serial,
				"Quick Mode lost its IKE SA");
			ikev1_ipsec_delete(eng, child, NULL, now, out);
			return;
		}
	}
	row = ikev1_row_find(x->state, input);
	if (!row) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_UNEXPECTED, x->serial,
			"event %s not expected in state %s", ikev1_input_name(input),
			ikev1_state_name(x->state));
		return;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.eng = eng;
	ctx.now = now;
	ctx.out = out;
	ctx.sa = sa;
	ctx.child = child;
	ctx.x = x;
	ctx.conn = &eng->conns[child ? child->conn : sa->conn];
	ctx.kres = kres;
	if (ikev1_run_row(&ctx, row, 0) == V1_FAIL) {
		if (child)
			ikev1_ipsec_delete(eng, child, NULL, now, out);
		else if (!ikev1_keying_failed(eng, sa, ctx.why[0] ? ctx.why : "negotiation failed",
					      now, out))
			ikev1_ike_delete(eng, sa, false, now, out);
	}
}

void ikev1_peer_terminate(struct ike_engine *eng, uint32_t serial, uint64_t now,
			  struct ike_actions *out)
{
	struct ike_sa *sa = sa_ike_by_serial(eng, serial);

	if (!sa) {
		eng_log(eng, out, IKE_LOG_INFO, IKE_R_NO_CONN, 0, "no IKE SA #%u to terminate",
			serial);
		return;
	}
	eng_log(eng, out, IKE_LOG_INFO, IKE_R_TERMINATED, serial,
		"%s: peer of IKE SA #%u terminated by the admin", eng->conns[sa->conn].name,
		serial);
	ikev1_peer_delete(eng, sa, true, true, now, out);
}

void ikev1_conn_teardown(struct ike_engine *eng, unsigned conn, uint64_t now,
			 struct ike_actions *out)
{
	struct ipsec_sa *c, *cn;
	struct ike_sa *sa, *sn;

	/* A group goes as a whole: every IPsec SA (Deletes through the shared
	 * IKE SA while it exists), then the IKE SAs. */
	for (c = eng->children; c; c = cn) {
		cn = c->next;
		if (!eng_same_group(eng, c->conn, conn))
			continue;
		if (c->installed && !c->replaced)
			ipsec_policies_remove(eng, c, out);
		/* Each Delete to its own peer (a %any conn has many). */
		ikev1_ipsec_delete(eng, c, sa_ike_for_child(eng, c), now, out);
	}
	for (sa = eng->sas; sa; sa = sn) {
		sn = sa->next;
		if (eng_same_group(eng, sa->conn, conn))
			ikev1_ike_delete(eng, sa, true, now, out);
	}
	eng_log(eng, out, IKE_LOG_INFO, IKE_R_TERMINATED, 0, "connection %s terminated",
		eng->conns[conn].name);
}

/* ---- starting exchanges ---- */

static bool negotiating(struct ike_engine *eng, unsigned conn)
{
	/* A group's Phase 1 starts the Quick Modes of all its conns. */
	for (struct ike_sa *sa = eng->sas; sa; sa = sa->next)
		if (eng_same_group(eng, sa->conn, conn) && sa->initiator &&
		    !ikev1_state_info(sa->x.state)->established)
			return true;
	for (struct ipsec_sa *c = eng->children; c; c = c->next)
		if (c->conn == conn && !c->installed)
			return true;
	return false;
}

bool ikev1_conn_has_ipsec(const struct ike_engine *eng, unsigned conn)
{
	for (const struct ipsec_sa *c = eng->children; c; c = c->next)
		if (c->conn == conn && c->installed && !c->replaced && !c->rekeying)
			return true;
	return false;
}

void ikev1_phase1_start(struct ike_engine *eng, unsigned conn, const struct ike_sa *from,
			uint64_t now, struct ike_actions *out)
{
	ikev1_phase1_start_try(eng, conn, from, 1, now, out);
}

void ikev1_phase1_start_try(struct ike_engine *eng, unsigned conn, const struct ike_sa *from,
			    uint32_t keying_try, uint64_t now, struct ike_actions *out)
{
	const struct ike_conn_cfg *c = &eng->conns[conn];
	union ike_ep local, remote;
	uint8_t icky[IKE_COOKIE_LEN];
	struct ike_sa *sa;

	if (from) {
		/* A rekey starts where the old SA lives now: after a float that is
		 * UDP(4500, 4500 or Y) (RFC 3947 4.g, 4.h). */
		local = from->local;
		remote = from->remote;
	} else {
		sa_ep_from_ss(&local, &c->local);
		sa_ep_from_ss(&remote, &c->remote);
		if (!sa_ep_port(&local))
			natt_endpoint_set_port(&local.sa, IKE_PORT);
		if (!sa_ep_port(&remote))
			natt_endpoint_set_port(&remote.sa, IKE_PORT);
	}
	p1_cookie_new(eng, &remote, now, icky);
	sa = sa_ike_new(eng, conn, true, icky);
	if (!sa) {
		eng_log(eng, out, IKE_LOG_WARN, IKE_R_RESOURCE, 0, "%s: IKE SA table full",
			c->name);
		return;
	}
	sa->aggressive = c->aggressive;
	sa->keying_try = keying_try;
	sa->local = local;
	sa->remote = remote;
	/* A negotiation on 4500 is already "floated" (RFC 3947 4.h). */
	sa->floated = sa_ep_port(&sa->local) == NATT_PORT;
	ikev1_dispatch_event(eng, sa, NULL, c->aggressive ? V1_IN_START_AM : V1_IN_START_MM, NULL,
			     now, out);
}

void ikev1_initiate(struct ike_engine *eng, unsigned conn, uint64_t now, struct ike_actions *out)
{
	const struct ike_conn_cfg *c = &eng->conns[conn];
	struct ike_sa *sa;

	if (c->remote.ss_family != AF_INET && c->remote.ss_family != AF_INET6) {
		eng_log(eng, out, IKE_LOG_WARN, IKE_R_NO_CONN, 0,
			"%s: cannot initiate without a peer address", c->name);
		return;
	}
	if (negotiating(eng, conn))
		return;
	sa = sa_ike_established_for(eng, conn);
	for (unsigned k = 0; !sa && k < eng->cfg.n_conns; k++)
		if (k != conn && eng_same_group(eng, k, conn))
			sa = sa_ike_established_for(eng, k);
	if (sa) {
		/* A group's Quick Modes chain (quick_group_next()). */
		if (!ikev1_conn_has_ipsec(eng, conn) && !(c->group && quick_group_busy(eng, sa)))
			quick_start_conn(eng, sa, conn, NULL, now, out);
		return;
	}
	ikev1_phase1_start(eng, conn, NULL, now, out);
}

void quick_group_next(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		      struct ike_actions *out)
{
	if (quick_group_busy(eng, sa))
		return;
	for (unsigned k = 0; k < eng->cfg.n_conns; k++)
		if (eng_same_group(eng, k, sa->conn) &&
		    eng->conns[k].remote.ss_family != AF_UNSPEC && !ikev1_conn_has_ipsec(eng, k)) {
			quick_start_conn(eng, sa, k, NULL, now, out);
			return;
		}
}

void quick_start(struct ike_engine *eng, struct ike_sa *sa, struct ipsec_sa *replaces, uint64_t now,
		 struct ike_actions *out)
{
	quick_start_conn(eng, sa, replaces ? replaces->conn : sa->conn, replaces, now, out);
}

void quick_start_conn(struct ike_engine *eng, struct ike_sa *sa, unsigned conn,
		      struct ipsec_sa *replaces, uint64_t now, struct ike_actions *out)
{
	struct ipsec_sa *c = sa_ipsec_new(eng, sa, true);

	if (!c) {
		eng_log(eng, out, IKE_LOG_WARN, IKE_R_RESOURCE, sa->x.serial,
			"out of memory for a Quick Mode");
		return;
	}
	c->conn = conn; /* a conn of the IKE SA's group (leftsubnet=a,b) */
	do
		sa_ipsec_set_msgid(eng, c, v1_msgid_new(eng));
	while (sa_ipsec_msgid_taken(eng, sa, c, c->msgid));
	if (replaces)
		c->w->replaces = replaces->x.serial;
	ikev1_dispatch_event(eng, sa, c, V1_IN_START_QM, NULL, now, out);
}

/* ---- timers ---- */

/* keyingtries=: may attempt @next of a Phase 1 we initiate start? */
static bool keying_retry(const struct ike_engine *eng, unsigned conn, uint32_t next)
{
	uint32_t tries = eng->conns[conn].keying_tries;

	return tries == IKE_TRIES_FOREVER || next <= (tries ? tries : 1);
}

bool ikev1_keying_failed(struct ike_engine *eng, struct ike_sa *sa, const char *why, uint64_t now,
			 struct ike_actions *out)
{
	struct v1_xchg *x = &sa->x;

	/* Only a state whose timer gives up (xchg_timer_run()): any other
	 * would keep @sa for ever. */
	if (!sa->initiator || !sa->keying_try || ikev1_state_info(x->state)->established ||
	    ikev1_state_info(x->state)->timeout != V1_TO_RETRANSMIT ||
	    !keying_retry(eng, sa->conn, sa->keying_try + 1))
		return false;
	if (x->tries >= eng->cfg.retransmit_tries)
		return true; /* already ending: its timer gives up */
	eng_log(eng, out, IKE_LOG_INFO, IKE_R_UNEXPECTED, x->serial,
		"%s: keying attempt %u failed: %s", eng->conns[sa->conn].name, sa->keying_try, why);
	/* Ends like an attempt the peer never answered (xchg_timer_run(): gave
	 * up, next attempt), after one retransmission interval: a peer that
	 * refuses at once is not asked again in a tight loop. */
	x->tries = eng->cfg.retransmit_tries;
	x->timer_at = now + (x->rexmit_ms ? x->rexmit_ms : eng->cfg.retransmit_max_ms);
	eng_due(eng, x, x->timer_at);
	return true;
}

/* Returns true if the exchange was deleted. */
static bool xchg_timer_run(struct ike_engine *eng, struct ike_sa *sa, struct ipsec_sa *c,
			   uint64_t now, struct ike_actions *out)
{
	struct v1_xchg *x = c ? &c->x : &sa->x;
	enum ikev1_timeout kind = ikev1_state_info(x->state)->timeout;

	if (x->timer_at > now)
		return false;
	if (!c && sa->ho_src) {
		/* A half-open responder SA: anyone can make them, so the end of
		 * one is counted, not logged (eng_plog_tick()). */
		if (ho_quiet(sa) || x->tries >= eng->cfg.retransmit_tries || !x->tx ||
		    kind != V1_TO_RETRANSMIT) {
			eng->plog_expired++;
			eng->ho->st.expired++;
			eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_TIMEOUT, x->serial,
				"%s: half-open IKE SA gave up in %s", eng->conns[sa->conn].name,
				ikev1_state_name(x->state));
			ikev1_ike_delete(eng, sa, false, now, out);
			return true;
		}
	}
	if (kind == V1_TO_RETRANSMIT && x->tries < eng->cfg.retransmit_tries && x->tx) {
		struct ike_sa *via = c ? sa_ike_by_serial(eng, c->ike_serial) : sa;

		if (via) {
			v1_retransmit(eng, via, x, now, out);
			return false;
		}
	}
	if (kind == V1_TO_LIFETIME || kind == V1_TO_NONE) {
		x->timer_at = V1_NO_TIMER;
		return false;
	}
	eng_log(eng, out, IKE_LOG_WARN, IKE_R_TIMEOUT, x->serial, "%s: gave up in %s",
		eng->conns[c ? c->conn : sa->conn].name, ikev1_state_name(x->state));
	if (kind == V1_TO_RETRANSMIT && !c)
		ikev1_frag_giveup_hint(eng, sa, x, out);
	if (c) {
		ikev1_ipsec_delete(eng, c, NULL, now, out);
	} else {
		unsigned conn = sa->conn;
		uint32_t next = sa->keying_try + 1;
		bool retry = sa->initiator && sa->keying_try && keying_retry(eng, conn, next);

		ikev1_ike_delete(eng, sa, false, now, out);
		if (retry) {
			const struct ike_conn_cfg *cc = &eng->conns[conn];

			if (cc->keying_tries == IKE_TRIES_FOREVER)
				eng_log(eng, out, IKE_LOG_INFO, IKE_R_TIMEOUT, 0,
					"%s: keying attempt %u (keyingtries=%%forever)", cc->name,
					next);
			else
				eng_log(eng, out, IKE_LOG_INFO, IKE_R_TIMEOUT, 0,
					"%s: keying attempt %u of %u", cc->name, next,
					cc->keying_tries);
			ikev1_phase1_start_try(eng, conn, NULL, next, now, out);
		}
	}
	return true;
}

/* Start what a timer asked for (struct v1_follow), and clear the request. */
static void follow_run(struct ike_engine *eng, struct v1_follow *f, uint64_t now,
		       struct ike_actions *out)
{
	switch (f->what) {
	case V1_FOLLOW_QM:
		quick_start(eng, f->sa, f->replaces, now, out);
		break;
	case V1_FOLLOW_INITIATE:
		ikev1_initiate(eng, f->conn, now, out);
		break;
	case V1_FOLLOW_PHASE1:
		ikev1_phase1_start(eng, f->conn, f->sa, now, out);
		break;
	case V1_FOLLOW_NONE:
		break;
	}
	f->what = V1_FOLLOW_NONE;
}

void ikev1_timers_run(struct ike_engine *eng, uint64_t now, struct ike_actions *out)
{
	struct v1_xchg *x;

	/* Only the SAs whose deadline has come, earliest first, from the heap
	 * (engine_timers.c): no walk over all SAs, nothing restarted when one
	 * is deleted (the entries of SAs freed meanwhile are skipped). */
	while (eng_out_room(out) && (x = eng_timer_next(eng, now))) {
		if (x->ipsec) {
			struct ipsec_sa *c = (struct ipsec_sa *)x;
			struct v1_follow f = { .what = V1_FOLLOW_NONE };
			bool gone = xchg_timer_run(eng, NULL, c, now, out) ||
				    ipsec_lifetime_run(eng, c, now, out, &f);

			follow_run(eng, &f, now, out); /* the rekey's Quick Mode */
			if (gone)
				continue;
		} else {
			struct ike_sa *sa = (struct ike_sa *)x;
			struct v1_follow f = { .what = V1_FOLLOW_NONE };
			bool gone = xchg_timer_run(eng, sa, NULL, now, out) ||
				    cfg_timer_run(eng, sa, now, out) ||
				    ike_lifetime_run(eng, sa, now, out, &f);

			if (!gone) {
				follow_run(eng, &f, now, out); /* the rekey's new Phase 1 */
				gone = ike_liveness_run(eng, sa, now, out, &f);
			}
			follow_run(eng, &f, now, out); /* DPD's restart */
			if (gone)
				continue;
		}
		eng_due(eng, x, eng_sa_deadline(x));
	}
	/* Out of room: what is still due stays on the heap, and the timer
	 * action the engine emits is "now". */
}
