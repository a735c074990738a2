/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Transaction exchange (ISAKMP exchange type 6) that carries XAUTH
 * (draft-beaulieu-ike-xauth-02) and Mode Config (draft-dukes-ike-mode-cfg-02)
 * between Phase 1 and Quick Mode:
 *
 *   HDR*, HASH, ATTR(REQUEST|SET)  ->      HASH = prf(SKEYID_a, M-ID | ATTR)
 *                                  <-  HDR*, HASH, ATTR(REPLY|ACK)
 *
 * Each IKE SA may carry two such conversations, one object each: XAUTH
 * (sa->xauth) and then Mode Config (sa->mcfg). Each object is an exchange
 * of the state table (its own struct v1_xchg: states V1_XAUTH_* and
 * V1_MCFG_*), so the dispatcher runs it like any other; this file holds
 * what the dispatcher calls (message classification and decryption, the
 * hook where Phase 1 completes, timers, the Quick Mode gate) and the
 * plumbing the two exchange files share (ikev1_xauth.c, ikev1_modecfg.c).
 *
 * Sans-I/O like the rest of the engine: a password is checked by the
 * caller (IKE_ACT_XAUTH_CHECK out, IKE_EV_XAUTH_VERDICT in), so the engine
 * never waits on PAM or a file.
 */
#ifndef NATKEYD_IKE_IKEV1_CFG_H
#define NATKEYD_IKE_IKEV1_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "ike/engine_int.h"
#include "ike/sa/pool.h"

#define CFG_XAUTH_TRIES	    3 /* passwords asked before the verdict is final */
#define CFG_ATTR_TEXT_MAX   255
#define CFG_SPLIT_MAX	    8 /* UNITY_SPLIT_INCLUDE entries */
#define CFG_CLIENT_REQS_MAX 5 /* client: XAUTH REQUESTs answered on one IKE SA */

/* One Transaction conversation on an IKE SA. */
struct v1_cfg {
	struct v1_xchg x;
	bool server;			  /* we are the gateway of this conversation */
	uint32_t msgid;			  /* the running exchange's M-ID, 0 = none */
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN]; /* its running IV */
	uint16_t ident;			  /* attribute payload Identifier (XA6-4.a) */
	struct v1_msgid_window done;	  /* M-IDs of finished exchanges (no reuse) */
	uint8_t tries;			  /* server: passwords asked; client: REQUESTs answered */
	bool status_ok;			  /* XAUTH SET: the verdict sent / received */
	uint8_t xauth_type;		  /* the REQUEST's XAUTH_TYPE, echoed (XA6-4.2.a) */
	bool xauth_type_sent;
	unsigned want;	    /* Mode Config server: what the REPLY / SET carries */
	bool doomed;	    /* failed during an event: the timer deletes the IKE SA */
	bool quick_started; /* the initiator's Quick Mode after everything was done */
	bool ic_pending;    /* server: INITIAL-CONTACT, applied to the user once known */
	char user[IKE_XAUTH_USER_MAX + 1]; /* XAUTH: the user (server: as the client gave it) */
	/* Mode Config: the address (server: leased from pool; client: received). */
	struct pool *pool;
	struct pool_addr vip;
	bool leased;
	bool have_vip;
	/* Mode Config client: the rest of what the gateway gave us. */
	uint8_t plen;
	uint8_t n_dns;
	struct xk_addr dns[IKE_MODECFG_DNS_MAX];
	uint8_t n_split;
	struct ike_ts split[IKE_MODECFG_SPLIT_MAX];
	char domain[IKE_MODECFG_DOMAIN_MAX];
	bool reported; /* IKE_ACT_MODECFG up went out: a down follows */
};

/* The engine's address pools, one per distinct range of the conns. */
struct cfg_pools {
	size_t n;
	struct pool **by_conn; /* eng->cfg.n_conns entries (NULL: no pool) */
	struct pool **all;     /* the distinct pools, n of them */
};

/* ---- called by engine.c, sa_store.c, the dispatcher and Quick Mode ---- */

/** cfg_conn_check() - XAUTH / Mode Config fields of a conn: 0 or -EINVAL. */
int cfg_conn_check(const struct ike_conn_cfg *c);

/** cfg_engine_init() - create the pools of the conns (shared when equal). */
int cfg_engine_init(struct ike_engine *eng);

/** cfg_engine_free() - free the pools (after every SA). */
void cfg_engine_free(struct ike_engine *eng);

/**
 * cfg_sa_free() - free @sa's conversations; its address lease goes offline.
 * The engine's ike_sa_release hook: sa_ike_free() calls it.
 */
void cfg_sa_free(struct ike_engine *eng, struct ike_sa *sa);

/*
 * An internal event of a conversation (its start, the XAUTH verdict) that
 * the functions below ask for: the dispatcher runs its row
 * (ikev1_cfg_step()); this file never runs a row itself.
 */
struct cfg_step {
	struct ike_sa *sa;
	struct v1_cfg *c; /* NULL: nothing to run */
	enum ikev1_input input;
};

/**
 * cfg_phase1_done() - Phase 1 of @sa just completed (state committed):
 * start XAUTH, else Mode Config, when the conn has them; @step receives
 * the conversation's start event.
 *
 * Return: true when a conversation started (Quick Mode waits for it).
 */
bool cfg_phase1_done(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		     struct ike_actions *out, struct cfg_step *step);

/**
 * cfg_msg_prepare() - a Transaction message for @ctx->sa: refuse it before
 * Phase 1 is authenticated, in the clear, or with a Message ID already used;
 * answer a retransmission; decrypt it (ctx->iv_set), check its HASH and its
 * one attribute payload, and choose the exchange (ctx->x), its @state and
 * the @input (the attribute payload's type).
 *
 * Return: 0 to go on with the row, -1 when the message was dealt with
 * (dropped with a log line, or answered from the last message).
 */
int cfg_msg_prepare(struct ikev1_ctx *ctx, struct isakmp_msg *msg, uint8_t *plain, size_t cap,
		    uint64_t fp, enum ikev1_input *input, enum ikev1_state *state);

/**
 * cfg_after() - a Transaction row succeeded: start what comes next (Mode
 * Config after XAUTH: its start event in @step).
 *
 * Return: true once everything is done on an initiator's IKE SA (once):
 * the dispatcher then starts the Quick Mode it owes.
 */
bool cfg_after(struct ike_engine *eng, struct ike_sa *sa, uint64_t now, struct ike_actions *out,
	       struct cfg_step *step);

/**
 * cfg_failed() - a conversation failed (wrong password, no address, the
 * peer's refusal): delete @sa at once, with a Delete (XA6-4.c).
 */
void cfg_failed(struct ike_engine *eng, struct ike_sa *sa, uint64_t now, struct ike_actions *out);

/**
 * cfg_initial_contact_defer() - on an XAUTH server conn the Phase 1
 * identity is a group's (every iPhone of the company sends the same), so an
 * INITIAL-CONTACT must not remove the state of everyone using it: it waits
 * for XAUTH and then removes the older IKE SAs (and tunnels) of the same
 * user only.
 *
 * Return: true when deferred.
 */
bool cfg_initial_contact_defer(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
			       struct ike_actions *out);

/**
 * cfg_vids_add() - the XAUTH VID (XA6-2.a) when @c runs XAUTH, the Cisco
 * Unity VID when it speaks Unity.
 */
void cfg_vids_add(const struct ike_conn_cfg *c, struct isakmp_enc *e);

/** cfg_blocks_quick() - XAUTH or Mode Config still runs on @sa (XA6-4.b). */
bool cfg_blocks_quick(const struct ike_sa *sa);

/** cfg_deadline() - the earliest timer of @sa's conversations (engine_timers.c). */
uint64_t cfg_deadline(const struct ike_sa *sa);

/**
 * cfg_timer_run() - retransmit or give up; true if @sa was deleted.
 */
bool cfg_timer_run(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		   struct ike_actions *out);

/**
 * cfg_xauth_verdict() - the caller's answer to IKE_ACT_XAUTH_CHECK: @step
 * receives the event it means (OK, RETRY or FAIL) for the dispatcher.
 */
void cfg_xauth_verdict(struct ike_engine *eng, uint32_t serial, bool ok, struct ike_actions *out,
		       struct cfg_step *step);

/**
 * cfg_quick_local_ts() - a Mode Config client proposes its assigned
 * address (a host selector) instead of its own address.
 */
void cfg_quick_local_ts(const struct ike_sa *sa, struct ike_ts *ts);

/**
 * cfg_quick_peer_ts_ok() - for a Mode Config server: whether @ci is the
 * host selector of the address leased to this peer (1) or not (0); -1 when
 * no address was handed out on @sa (the usual rules apply).
 */
int cfg_quick_peer_ts_ok(const struct ike_sa *sa, const struct ike_ts *ci);

/**
 * cfg_quick_unity_wildcard() - for a Mode Config server with Cisco Unity:
 * whether @cr (the client's ID for our side) is the 0.0.0.0/0 a Unity
 * client proposes once it has the split include (strongSwan's unity
 * plugin, Cisco clients). The responder then echoes it in QM2 and installs
 * its own subnet (conn.local_ts), as Cisco gateways do.
 */
bool cfg_quick_unity_wildcard(const struct ike_sa *sa, const struct ike_conn_cfg *conn,
			      const struct ike_ts *cr);

/**
 * cfg_client_dns() - the DNS servers a Mode Config client received on @sa
 * (at most @max into @out).
 *
 * Return: their number.
 */
size_t cfg_client_dns(const struct ike_sa *sa, struct xk_addr *out, size_t max);

/**
 * cfg_client_report() - IKE_ACT_MODECFG for @sa's Mode Config client: @up
 * when it took an address; !@up when @sa is being deleted and its address
 * was reported (the caller removes the address and routes). Else nothing.
 */
void cfg_client_report(struct ike_engine *eng, struct ike_sa *sa, struct ike_actions *out, bool up);

/**
 * cfg_client_gone() - cfg_client_report(..., false): the engine's ike_sa_gone
 * hook, which SA teardown calls (so it never calls upward).
 */
void cfg_client_gone(struct ike_engine *eng, struct ike_sa *sa, struct ike_actions *out);

/**
 * cfg_user() - the XAUTH user of @sa ("" if none), for status and logs.
 * cfg_vip() - its Mode Config address, or NULL.
 */
const char *cfg_user(const struct ike_sa *sa);
const struct pool_addr *cfg_vip(const struct ike_sa *sa);

/* ---- shared by ikev1_xauth.c and ikev1_modecfg.c ---- */

/** cfg_of() - the conversation @ctx->x belongs to. */
struct v1_cfg *cfg_of(const struct ikev1_ctx *ctx);

/** cfg_attr() - the attribute payload of @ctx->msg (cfg_msg_prepare() found it). */
const struct isakmp_cfg *cfg_attr(const struct ikev1_ctx *ctx);

/* Adds the attributes of one message to an open attribute payload. */
typedef int (*cfg_attrs_fn)(struct ikev1_ctx *ctx, struct v1_cfg *c, struct isakmp_enc *e);

/**
 * cfg_send() - send HASH, ATTR(@type, @c->ident) with @add's attributes on
 * @c's running exchange; a new exchange (@fresh) gets a fresh M-ID and its
 * own IV first. Remembered for retransmission.
 *
 * Return: 0 or a negative errno.
 */
int cfg_send(struct ikev1_ctx *ctx, struct v1_cfg *c, bool fresh, uint8_t type, cfg_attrs_fn add);

/**
 * cfg_answer() - reply within the exchange the received message opened or
 * continued: its M-ID, the IV after it. Same as cfg_send() otherwise.
 */
int cfg_answer(struct ikev1_ctx *ctx, struct v1_cfg *c, uint8_t type, cfg_attrs_fn add);

/** cfg_exchange_done() - the running exchange of @c ended: its M-ID is spent. */
void cfg_exchange_done(struct v1_cfg *c);

/**
 * cfg_attr_known() - whether @type is an attribute natkeyd knows (Mode
 * Config, XAUTH, Cisco Unity). Anything else in a message is refused.
 */
bool cfg_attr_known(uint16_t type);

/**
 * cfg_mcfg_start() - start Mode Config on @sa when its conn has it (the
 * start event in @step).
 */
bool cfg_mcfg_start(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		    struct ike_actions *out, struct cfg_step *step);

/**
 * cfg_doom() - a conversation's internal event failed while its caller
 * still holds @sa: the timer deletes the IKE SA, at once.
 */
void cfg_doom(struct ike_engine *eng, struct v1_cfg *c, uint64_t now);

/** cfg_new() - attach a new conversation to @sa (state V1_NONE). */
struct v1_cfg *cfg_new(struct ike_engine *eng, struct ike_sa *sa, bool server);

/** cfg_pool_of() - the pool of @conn, or NULL. */
struct pool *cfg_pool_of(const struct ike_engine *eng, unsigned conn);

#endif
