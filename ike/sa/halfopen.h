/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Half-open responder IKE SAs: the state anyone can make us create with one
 * spoofed datagram. A pool counts them in all and per source address and
 * decides whether a new one may be created (ike_halfopen_cfg in engine.h);
 * a daemon shares one pool among its engines, so the caps are per process.
 *
 * An IKE SA is half-open from the first message we answer as responder
 * until Phase 1 is established (or it goes). While in MAIN_R1/AGGR_R1 the
 * source has not shown that it receives what we send (its next message
 * would carry our cookie), so we never retransmit towards it on our own:
 * one answer per datagram received (ho_quiet()).
 */
#ifndef NATKEYD_IKE_HALFOPEN_H
#define NATKEYD_IKE_HALFOPEN_H

#include <stdbool.h>
#include <stdint.h>

#include "ike/engine.h"

struct ike_engine;
struct ike_sa;
struct ho_src;
union ike_ep;

/* Why a new half-open SA was refused. */
enum ho_verdict {
	HO_OK = 0,
	HO_FULL,       /* the global cap */
	HO_SOURCE,     /* the per-source cap */
	HO_SHARE,      /* defence mode: the source holds its share already */
	HO_AGGRESSIVE, /* defence mode: no new Aggressive Mode work */
	HO_NOMEM,
};

/* The quiet list: half-open SAs whose source has not shown it receives. */
struct ho_quiet_list {
	struct ike_sa *head, *tail;
};

struct ike_halfopen {
	struct ike_halfopen_cfg cfg;
	uint64_t key[2];       /* keyed source hash: nobody aims at one bucket */
	struct ho_src **b;     /* source buckets */
	unsigned nb, n_src, n; /* buckets, sources with a half-open SA, half-open SAs */
	struct ike_halfopen_stats st;
	struct ho_quiet_list quiet;
	bool owned; /* created by an engine for itself */
};

/**
 * ho_pool_new() - a pool with @cfg's limits (defaults filled in) and hash
 * key @key. Return: the pool or NULL.
 */
struct ike_halfopen *ho_pool_new(const struct ike_halfopen_cfg *cfg, const uint8_t key[16]);

/**
 * ho_admit() - may a new half-open SA from @remote be created (@aggressive:
 * an Aggressive Mode, whose first answer costs a DH operation)? At the
 * global cap the oldest quiet half-open SA (of any engine of the pool) goes
 * to make room (HO_OK with *@evict set: the caller frees it with
 * sa_ike_free(), its engine being (*@evict)->ho_eng): a spoofed source never answers, a real
 * initiator answers within a round trip, so a flood that fills the cap shortens the life of the
 * spoofed SAs instead of locking real peers out. Only when no SA is quiet is the new one refused.
 */
enum ho_verdict ho_admit(struct ike_halfopen *ho, const union ike_ep *remote, bool aggressive,
			 struct ike_sa **evict);

/**
 * ho_enter() - count @sa (just created by @eng as responder for @remote)
 * as half-open, quiet. Return: 0 or -ENOMEM.
 */
int ho_enter(struct ike_halfopen *ho, struct ike_engine *eng, struct ike_sa *sa,
	     const union ike_ep *remote);

/**
 * ho_proven() - @sa's peer answered with our cookie: off the quiet list
 * (it is no longer the first to go at the cap); still half-open.
 */
void ho_proven(struct ike_halfopen *ho, struct ike_sa *sa);

/**
 * ho_leave() - @sa is no longer half-open (established, or freed); no-op
 * for an SA that is not counted.
 */
void ho_leave(struct ike_halfopen *ho, struct ike_sa *sa);

/**
 * ho_quiet() - @sa is a half-open responder whose peer has not proven it
 * receives our messages: no retransmission towards it, only answers.
 */
bool ho_quiet(const struct ike_sa *sa);

/**
 * ho_verdict_name() - "half-open cap" and so on, for logs.
 */
const char *ho_verdict_name(enum ho_verdict v);

#endif
