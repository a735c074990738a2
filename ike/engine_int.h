/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Engine internals shared by the dispatcher and the exchange handlers:
 * the engine struct, the per-event context handed to handlers, and the
 * helpers that append actions.
 */
#ifndef NATKEYD_IKE_ENGINE_INT_H
#define NATKEYD_IKE_ENGINE_INT_H

#include <stdarg.h>

#include "ike/engine.h"
#include "ike/wire/isakmp_decode.h"
#include "ike/wire/isakmp_encode.h"
#include "ike/sa/halfopen.h"
#include "ike/sa/sa_index.h"
#include "ike/sa/timer_heap.h"
#include "ike/sa/sa_store.h"
#include "natt/transport.h"

/* An action decided but not handed out yet (engine.h: nothing is lost). */
struct eng_pending {
	struct eng_pending *next;
	struct ike_action a;
	size_t len; /* IKE_ACT_SEND: the datagram's bytes in data */
	uint8_t data[];
};

/* Bounded by the work the SAs can cause; this cap only stops a bug from
 * eating memory (it counts as ike_actions.dropped). */
#define ENG_BACKLOG_MAX (1u << 20)
/* Debug lines an engine writes per second at most (eng_log()). */
#define ENG_DEBUG_PER_S 200

struct eng_backlog {
	struct eng_pending *head, **tail;
	size_t n;
};

struct eng_ocsp;

struct ike_engine {
	struct ike_engine_cfg cfg;
	struct ike_conn_cfg *conns;
	struct ike_sa *sas;
	/* Frees what a higher layer hangs on an IKE SA (the XAUTH / Mode
	 * Config conversations: cfg_sa_free()). Set by ike_engine_new();
	 * sa_ike_free() calls it, so SA teardown never calls upward. */
	void (*ike_sa_release)(struct ike_engine *eng, struct ike_sa *sa);
	/* Reports what a higher layer must announce when an IKE SA is
	 * deleted (our Mode Config address goes: cfg_client_gone()). Set by
	 * ike_engine_new(); SA teardown (ikev1_delete.c) calls it. */
	void (*ike_sa_gone)(struct ike_engine *eng, struct ike_sa *sa, struct ike_actions *out);
	struct ipsec_sa *children;
	struct sa_index ike_by_serial, ipsec_by_serial; /* sa_store.c */
	struct sa_index ipsec_by_spi_in, ipsec_by_spi_out;
	struct sa_index ike_by_ep; /* established IKE SAs by peer endpoint (sa_ike_ep_index()) */
	struct sa_index ike_by_cookie;		/* IKE SAs by CKY-I (its keyed hash, cky_key) */
	struct sa_index ike_by_id, ipsec_by_id; /* SAs by peer identity (sa_ike_id_index()) */
	struct sa_index ipsec_by_msgid;		/* by IKE SA serial + Message ID */
	struct sa_index ipsec_by_kcookie, ipsec_by_kinstall; /* by kernel request tag */
	uint64_t id_secret;				     /* keys the identity digest */
	/* One of the indexes above could not take an SA (out of memory):
	 * their lookups walk the lists from then on, so nothing is missed. */
	bool ids_lost;
	uint64_t audit_window_ms; /* keepalive audit warnings, per second (engine_natfacts.c) */
	unsigned audit_count;
	unsigned n_sas, n_children;
	uint32_t next_serial;
	uint32_t next_kcookie;
	uint64_t cookie_counter;
	uint8_t cookie_secret[32];
	uint64_t timer_emitted;	  /* last IKE_ACT_TIMER value, V1_NO_TIMER if none */
	struct timer_heap timers; /* every SA's next deadline (timer_heap.h) */
	bool timers_lost;	  /* a th_set() failed: rebuild the heap from the SAs */
	int64_t wall_s;		  /* last wall-clock time an event carried */
	struct eng_ocsp *ocsp;	  /* OCSP answers and requests in flight (ikev1_phase1.c) */
	uint32_t ocsp_next_id;
	uint64_t notify_window_ms;
	unsigned notify_count;
	uint64_t plog_window_ms; /* peer-triggered log lines, per second */
	unsigned plog_count;
	/* Debug lines (log_debug set), per second: at most ENG_DEBUG_PER_S,
	 * the rest counted in plog_suppressed (eng_log()). A flood of junk
	 * must not cost a formatted line and a write per datagram. */
	uint64_t now_ms; /* the time of the event being handled */
	uint64_t dlog_window_ms;
	unsigned dlog_count;
	/* Counted for the summary line of each interval (eng_plog_tick()). */
	unsigned plog_suppressed;	     /* peer-triggered lines not logged */
	uint64_t plog_refused[HO_NOMEM + 1]; /* new half-open SAs refused, by verdict */
	uint64_t plog_expired;		     /* half-open SAs that timed out */
	uint64_t plog_evicted_seen;	     /* the pool's evicted count at the last summary */
	struct ike_halfopen *ho;	     /* half-open pool (own or the caller's) */
	/* The IDs a transport-mode responder answers (echo by default, what
	 * every initiator accepts); tests set "as seen" to play strongSwan. */
	enum natt_transport_reply transport_reply;
	struct eng_backlog backlog;
	struct cfg_pools *pools; /* Mode Config address pools (ikev1_cfg.c) */
	/* Crypto jobs (engine_crypto.c): messages waiting for one, the one
	 * being replayed, jobs out, the last job number, jobs refused. */
	struct eng_cwait *cwaits, *cw_cur;
	/* During a replay (cw_cur): the random bytes earlier replays of the
	 * message drew, pos of them served (eng_random()). */
	struct {
		uint8_t *buf;
		size_t len, cap, pos;
	} rnd;
	unsigned crypto_out;
	uint64_t crypto_next_id;
	uint64_t crypto_refused;
};

/*
 * Follow-up work a timer asks of the dispatcher's timer walk: a timer of an
 * exchange never starts an exchange itself (docs/architecture.md). The walk
 * runs it as soon as the timer returns, so the actions keep their order.
 */
struct v1_follow {
	enum {
		V1_FOLLOW_NONE,
		V1_FOLLOW_QM,	    /* quick_start(sa, replaces) */
		V1_FOLLOW_INITIATE, /* ikev1_initiate(conn) */
		V1_FOLLOW_PHASE1,   /* ikev1_phase1_start(conn, sa) */
	} what;
	struct ike_sa *sa;
	struct ipsec_sa *replaces;
	unsigned conn;
};

/* Everything a handler may look at or produce for one event. */
struct ikev1_ctx {
	struct ike_engine *eng;
	uint64_t now;
	struct ike_actions *out;
	struct ike_sa *sa;
	struct ipsec_sa *child;
	struct v1_xchg *x; /* the exchange the row applies to (sa->x or child->x) */
	const struct ike_conn_cfg *conn;
	const struct ike_dgram *dg; /* NULL for internal events */
	struct isakmp_msg *msg;	    /* decoded (and decrypted) message, or NULL */
	const struct xk_result *kres;
	/* IV chain of this event: valid if iv_set; committed on V1_OK. */
	bool iv_set;
	bool sent;		   /* the handler sent a message on ctx->x */
	bool start_qm;		   /* Phase 1 done: start Quick Mode once the state is committed */
	bool group_next;	   /* our Quick Mode of a group done: start the group's next */
	bool delete_ike;	   /* the peer deleted ctx->sa: free it after the handler */
	uint16_t peer_error;	   /* an error notify in the clear: keyingtries= may count it */
	bool send_initial_contact; /* AM: INITIAL-CONTACT once the Phase 1 IV is committed */
	bool phase1_done;	   /* XAUTH / Mode Config may come first (ikev1_cfg.c) */
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN];
	/* Set by a failing handler. */
	enum ike_reason reason;
	uint16_t notify; /* error notify to send (unprotected, rate-limited) */
	char why[IKE_LOG_TEXT_MAX];
	bool commit; /* v1_send sets the commit bit (RFC 2408 s3.1) */
	/* A crypto job went out: the message waits (engine_crypto.h); or too
	 * many are out: the message is dropped. Whatever the handler returned. */
	bool crypto_wait, crypto_busy;
	const uint8_t *raw; /* the ISAKMP message as it arrived (whole, no marker) */
	size_t raw_len;
};

/**
 * eng_due() - note a deadline @t just set on the SA whose exchange is @x
 * (an ike_sa's, an ipsec_sa's, or a Transaction conversation's, which
 * stands for its IKE SA): it goes into the timer heap unless the SA
 * has an entry at least as early (then that entry moves: an SA has one
 * entry at most). Every code path that sets a finite deadline calls this;
 * postponing one needs no call (the early entry pops, finds nothing due
 * and pushes the SA's next deadline).
 */
void eng_due(struct ike_engine *eng, struct v1_xchg *x, uint64_t t);

/**
 * eng_next_deadline() - the earliest entry of the timer heap (V1_NO_TIMER
 * if none).
 */
uint64_t eng_next_deadline(struct ike_engine *eng);

/**
 * eng_timers_forget() - @x's SA has no entry in the timer heap any more
 * (it is being freed: sa_store.c, or its timers are about to run).
 */
static inline void eng_timers_forget(struct ike_engine *eng, struct v1_xchg *x)
{
	th_del(&eng->timers, &x->th_slot);
	x->th_at = V1_NO_TIMER;
}

/**
 * eng_timer_next() - the exchange (of an ike_sa or an ipsec_sa) of the SA
 * whose deadline has come by @now, taken off the heap (its th_at cleared:
 * the caller runs its timers, then eng_due()s its next deadline), or NULL.
 */
struct v1_xchg *eng_timer_next(struct ike_engine *eng, uint64_t now);

/**
 * eng_sa_deadline() - the earliest deadline of the SA whose exchange is @x.
 */
uint64_t eng_sa_deadline(const struct v1_xchg *x);

/* ---- actions (engine_actions.c) ---- */

/**
 * eng_action_add() - a slot for one action of @type, with @need bytes at *@data
 * for a datagram: in the caller's buffer, or in the engine's backlog once
 * that is full; NULL (counted in out->dropped) if neither has room.
 */
struct ike_action *eng_action_add(struct ike_actions *out, enum ike_action_type type, size_t need,
				  uint8_t **data);

/**
 * eng_backlog_drain() - hand out waiting actions, oldest first, while they fit.
 */
void eng_backlog_drain(struct eng_backlog *bl, struct ike_actions *out);

/**
 * eng_backlog_free() - drop (and wipe) every waiting action.
 */
void eng_backlog_free(struct eng_backlog *bl);

/**
 * eng_log() - append a log action.
 */
void eng_log(struct ike_engine *eng, struct ike_actions *out, enum ike_log_level level,
	     enum ike_reason reason, uint32_t serial, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/**
 * eng_send() - append a datagram to @remote from @local, prepending the
 * non-ESP marker when the local port is 4500 (RFC 3947 s4, 4.d).
 *
 * Return: 0 or -ENOSPC.
 */
int eng_send(struct ike_actions *out, const union ike_ep *local, const union ike_ep *remote,
	     const uint8_t *msg, size_t len);

/**
 * eng_send_raw() - append a datagram without any framing (NAT-keepalives).
 *
 * Return: 0 or -ENOSPC.
 */
int eng_send_raw(struct ike_actions *out, const union ike_ep *local, const union ike_ep *remote,
		 const uint8_t *buf, size_t len);

/**
 * eng_kernel() - append a kernel request; returns the request in the
 * buffer so the caller may fill it, or NULL if the buffer is full.
 */
struct xk_req *eng_kernel(struct ike_actions *out, enum xk_req_type type);

/**
 * eng_xauth_check() - append a password check for the caller (engine.h
 * IKE_ACT_XAUTH_CHECK); NULL if the buffer and backlog are full.
 */
struct ike_xauth_check *eng_xauth_check(struct ike_actions *out);

/**
 * eng_modecfg() - append a Mode Config client report (engine.h struct
 * ike_modecfg), zeroed, for the caller to fill; NULL when out of room.
 */
struct ike_modecfg *eng_modecfg(struct ike_actions *out);

/**
 * eng_random() - @len random bytes from the engine's source (ike_engine_cfg.random).
 *
 * Return: 0 or a negative errno.
 */
int eng_random(struct ike_engine *eng, void *buf, size_t len);

/**
 * eng_dh_generate() - a DH key pair whose private value comes from the
 * engine's random source.
 */
int eng_dh_generate(struct ike_engine *eng, enum ike_dh_group group, struct crypto_dh **out);

/**
 * eng_rekey_delay_ms() - when to rekey an SA of @life_s seconds, from its
 * installation, with the connection's margin and random fuzz.
 */
uint64_t eng_rekey_delay_ms(struct ike_engine *eng, const struct ike_conn_cfg *c, uint32_t life_s);

/**
 * eng_rekey_delay_responder_ms() - when the responder of an SA of @life_s
 * seconds rekeys it if the initiator has not: after half the margin is
 * left, later than any initiator using the same margin. Peers that ignore
 * RESPONDER-LIFETIME (strongSwan, Libreswan) would otherwise keep using
 * their longer lifetime while ours ends.
 */
uint64_t eng_rekey_delay_responder_ms(const struct ike_conn_cfg *c, uint32_t life_s);

/**
 * eng_out_room() - room for one more SA's worth of timer work (a Delete,
 * kernel deletes, logs); the timer walk stops when this is false and the
 * rest runs on the next call.
 */
bool eng_out_room(const struct ike_actions *out);

/**
 * eng_kcookie() - a fresh cookie for a kernel request.
 */
uint32_t eng_kcookie(struct ike_engine *eng);

/**
 * eng_notify_allowed() - rate limiter for unprotected error notifies.
 */
bool eng_notify_allowed(struct ike_engine *eng, uint64_t now);

/**
 * eng_peer_log_allowed() - rate limiter for log lines a peer can trigger
 * before authentication (20 per second; the rest go to debug).
 */
bool eng_peer_log_allowed(struct ike_engine *eng, uint64_t now);

/**
 * eng_plog_tick() - at the start of every event: when the rate limiter's
 * interval has passed, one summary line with what it suppressed and what
 * the half-open limits refused in that interval, then a new interval.
 */
void eng_plog_tick(struct ike_engine *eng, uint64_t now, struct ike_actions *out);

/**
 * eng_reqid() - the reqid of connection @conn.
 */
uint32_t eng_reqid(const struct ike_engine *eng, unsigned conn);

/**
 * ctx_fail() - record why a handler fails; returns V1_FAIL.
 */
enum ikev1_ret ctx_fail(struct ikev1_ctx *ctx, enum ike_reason reason, uint16_t notify,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * ctx_ignore() - the message is not genuine or not for us (e.g. its HASH
 * does not verify: corrupted or forged): drop it, keep the exchange, let
 * retransmission bring the real one; returns V1_IGNORE.
 */
enum ikev1_ret ctx_ignore(struct ikev1_ctx *ctx, enum ike_reason reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- NAT facts (engine_natfacts.c, rules in natt/diag.c) ---- */

/**
 * eng_nat_rx() - the handler accepted a message of @sa from @dg (V1_OK):
 * the first one per local port (500, 4500) is the peer's leg there;
 * @authenticated (it was protected) makes it the last authenticated packet.
 */
void eng_nat_rx(struct ike_sa *sa, const struct ike_dgram *dg, bool authenticated, uint64_t now);

/**
 * eng_nat_natd() - NAT-D was compared on @sa.
 */
void eng_nat_natd(struct ike_sa *sa);

/**
 * eng_nat_established() - Phase 1 of @sa is complete: its identity is
 * noted, the facts of an older IKE SA of the same peer are carried over,
 * the SA is indexed by endpoint and its keepalive audit armed.
 */
void eng_nat_established(struct ike_engine *eng, struct ike_sa *sa, uint64_t now);

/**
 * eng_nat_natoa() - the peer sent @oa (its own address) in a Quick Mode on @sa.
 */
void eng_nat_natoa(struct ike_sa *sa, const struct sockaddr_storage *oa);

/**
 * eng_nat_moved() - @sa's peer moved from @old to its current sa->remote
 * (authenticated: @esp verified ESP, else IKE): recorded, re-indexed.
 *
 * Return: the peer NAT's binding lifetime as now observed (ms, an upper
 * bound, natt_diag_binding()), 0 when none is known: the caller passes it
 * to ike_peer_binding_lifetime_observed() (adaptive keepalive).
 */
uint32_t eng_nat_moved(struct ike_engine *eng, struct ike_sa *sa, const union ike_ep *old, bool esp,
		       uint64_t now, struct ike_actions *out);

/**
 * eng_nat_keepalive() - a NAT-keepalive from @from (engine.h
 * IKE_EV_KEEPALIVE, or a 0xFF datagram on 4500): counted on the IKE SA
 * whose peer is at @from now (O(1)); unknown senders are ignored.
 */
void eng_nat_keepalive(struct ike_engine *eng, const struct sockaddr_storage *from, uint64_t now,
		       struct ike_actions *out);

/**
 * eng_nat_audit() - the keepalive audit of @sa (its audit_at came): warn
 * once per peer, rate-limited, and arm the next look.
 */
void eng_nat_audit(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		   struct ike_actions *out);

/* ---- SA teardown (ikev1_delete.c) ---- */

/**
 * ikev1_ike_delete() - delete an IKE SA: optionally send a Delete (when
 * established), free it.
 */
void ikev1_ike_delete(struct ike_engine *eng, struct ike_sa *sa, bool send_delete, uint64_t now,
		      struct ike_actions *out);

/**
 * ikev1_ipsec_delete() - delete an IPsec SA: kernel deletes (if installed),
 * optionally a Delete to the peer over @via, free it.
 */
void ikev1_ipsec_delete(struct ike_engine *eng, struct ipsec_sa *c, struct ike_sa *via,
			uint64_t now, struct ike_actions *out);

/**
 * ikev1_peer_delete() - delete @sa and the installed IPsec SAs of its peer
 * (sa_ipsec_of_peer()): with @send_delete a Delete for each over @sa (if
 * established); with @policies their policies too (traps come back).
 */
void ikev1_peer_delete(struct ike_engine *eng, struct ike_sa *sa, bool send_delete, bool policies,
		       uint64_t now, struct ike_actions *out);

/* ---- dispatcher (ikev1_dispatch.c) ---- */

/**
 * ikev1_dispatch_dgram() - process one received ISAKMP message.
 */
void ikev1_dispatch_dgram(struct ike_engine *eng, const struct ike_dgram *dg, const uint8_t *buf,
			  size_t len, uint64_t now, struct ike_actions *out);

struct cfg_step;

/**
 * ikev1_cfg_step() - run the row of the XAUTH / Mode Config event that
 * ikev1_cfg.c asked for in @step (nothing when @step->c is NULL); a failure
 * dooms the conversation (cfg_doom()).
 */
void ikev1_cfg_step(struct ike_engine *eng, const struct cfg_step *step, uint64_t now,
		    struct ike_actions *out);

/**
 * ikev1_dispatch_event() - run the row for an internal input (START_*,
 * SPI) on an exchange.
 */
void ikev1_dispatch_event(struct ike_engine *eng, struct ike_sa *sa, struct ipsec_sa *child,
			  enum ikev1_input input, const struct xk_result *kres, uint64_t now,
			  struct ike_actions *out);

/**
 * ikev1_timers_run() - run every due timer (retransmits, timeouts, rekey,
 * expiry, DPD, keepalives).
 */
void ikev1_timers_run(struct ike_engine *eng, uint64_t now, struct ike_actions *out);

/**
 * ikev1_peer_terminate() - admin: delete the IKE SA @serial and the IPsec
 * SAs of its peer (sa_ipsec_of_peer()), with Deletes to that peer; the
 * policies go (traps come back, ike_conn_cfg.traps). Other peers of the
 * same connection are not touched.
 */
void ikev1_peer_terminate(struct ike_engine *eng, uint32_t serial, uint64_t now,
			  struct ike_actions *out);

/**
 * ikev1_conn_teardown() - delete every SA of @conn (admin terminate).
 */
void ikev1_conn_teardown(struct ike_engine *eng, unsigned conn, uint64_t now,
			 struct ike_actions *out);

/**
 * ikev1_kernel_event() - ACQUIRE, EXPIRE, MAPPING from the kernel
 * (ikev1_kernel_event.c).
 */
void ikev1_kernel_event(struct ike_engine *eng, const struct xk_event *ev, uint64_t now,
			struct ike_actions *out);

/**
 * ikev1_initiate() - admin/ACQUIRE: bring @conn up (Phase 1 if needed, then
 * Quick Mode).
 */
void ikev1_initiate(struct ike_engine *eng, unsigned conn, uint64_t now, struct ike_actions *out);

/**
 * eng_same_group() - whether conns @a and @b share their IKE SA (the same
 * conn, or one group: ike_conn_cfg.group).
 */
static inline bool eng_same_group(const struct ike_engine *eng, unsigned a, unsigned b)
{
	return a == b || (eng->conns[a].group && eng->conns[a].group == eng->conns[b].group);
}

/**
 * quick_group_busy() - whether a Quick Mode we initiated on @sa is still in
 * progress. A group's Quick Modes run one after the other: strongSwan keeps
 * the IVs of only three concurrent Quick Modes per IKE SA (keymat_v1.c).
 * (ikev1_quick.c)
 */
bool quick_group_busy(struct ike_engine *eng, const struct ike_sa *sa);

/**
 * quick_group_next() - start the Quick Mode of the next conn of @sa's
 * group without an IPsec SA, unless one of ours is in progress
 * (ikev1_dispatch.c, with quick_start_conn()).
 */
void quick_group_next(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		      struct ike_actions *out);

/**
 * quick_start_conn() - quick_start() for conn @conn of @sa's group.
 */
void quick_start_conn(struct ike_engine *eng, struct ike_sa *sa, unsigned conn,
		      struct ipsec_sa *replaces, uint64_t now, struct ike_actions *out);

/**
 * ikev1_phase1_start() - a new Phase 1 as initiator for @conn; @from (or NULL)
 * is the IKE SA it replaces, whose current endpoints it starts on.
 */
void ikev1_phase1_start(struct ike_engine *eng, unsigned conn, const struct ike_sa *from,
			uint64_t now, struct ike_actions *out);

/**
 * ikev1_phase1_start_try() - ikev1_phase1_start() as keying attempt
 * @keying_try (keyingtries=; 1 = the first).
 */
void ikev1_phase1_start_try(struct ike_engine *eng, unsigned conn, const struct ike_sa *from,
			    uint32_t keying_try, uint64_t now, struct ike_actions *out);

/**
 * ikev1_keying_failed() - keyingtries=: Phase 1 attempt @sa (ours, not yet
 * established) failed for @why (the peer refused, or its answer did not
 * verify). When another attempt is allowed, @sa ends as if the peer never
 * answered (the next attempt follows from its timer) and true is returned;
 * else false and the caller ends @sa as before.
 */
bool ikev1_keying_failed(struct ike_engine *eng, struct ike_sa *sa, const char *why, uint64_t now,
			 struct ike_actions *out);

/**
 * ikev1_conn_has_ipsec() - @conn has an installed IPsec SA that is neither
 * replaced nor being rekeyed.
 */
bool ikev1_conn_has_ipsec(const struct ike_engine *eng, unsigned conn);

/** quick_start() - start a Quick Mode for @conn on @sa (initiator). */
void quick_start(struct ike_engine *eng, struct ike_sa *sa, struct ipsec_sa *replaces, uint64_t now,
		 struct ike_actions *out);

#endif
