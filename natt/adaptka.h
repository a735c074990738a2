/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Adaptive NAT-keepalive (nat_keepalive=auto) and refresh after idle, as
 * pure functions: the interval follows the NAT's learned binding lifetime
 * instead of RFC 3948's fixed 20 s. Times are milliseconds.
 *
 * The fraction: RFC 4787 REQ-5 asks NATs to keep an idle UDP binding for
 * at least 2 minutes (5 recommended), RFC 3948 s4 suggests 20 s because
 * many NATs do not; a learned lifetime L tells which case we are in. We
 * send after L / 2 of silence: a lifetime measured up to 20% too long (the
 * natcheck tolerance, or the idle time the gateway saw before a rebinding,
 * which is an upper bound) still leaves the interval at 0.625 of the real
 * lifetime, so every binding is refreshed before it ends with a third of
 * it to spare for timer latency and path delay. One lost keepalive is not
 * covered by the fraction alone (that would take three sends per
 * lifetime); natt_adaptka_refresh() covers it: after a silence of L or
 * more the next packet is an authenticated one, which makes the peer
 * follow a new mapping.
 */
#ifndef NATKEYD_NATT_ADAPTKA_H
#define NATKEYD_NATT_ADAPTKA_H

#include <stdbool.h>
#include <stdint.h>

#define NATT_ADAPTKA_MIN_MS	    10000u  /* never more than one keepalive per 10 s */
#define NATT_ADAPTKA_MAX_MS_DEFAULT 120000u /* nat_keepalive_max= default */
#define NATT_ADAPTKA_UNKNOWN_MS	    20000u  /* RFC 3948 s4 M, until a lifetime is known */
/* Interval = lifetime * NUM / DEN (see above). */
#define NATT_ADAPTKA_NUM 1u
#define NATT_ADAPTKA_DEN 2u
/* A lifetime a peer tells us is taken only within these bounds (a
 * hostile or broken value is refused, not clamped). */
#define NATT_ADAPTKA_PEER_MIN_MS 1000u
#define NATT_ADAPTKA_PEER_MAX_MS 86400000u /* 24 h */

/* Where a learned binding lifetime came from (the lower the weaker). */
enum natt_lifetime_src {
	NATT_LT_NONE = 0,   /* unknown */
	NATT_LT_CONFIGURED, /* nat_binding_lifetime= */
	NATT_LT_NATCHECK,   /* natkeyctl natcheck's measurement, passed in by the daemon */
	NATT_LT_PEER,	    /* the natkeyd gateway's notify (what it observed for us) */
	NATT_LT_OBSERVED,   /* observed here: an authenticated mapping change after idle */
	NATT_LT_COUNT,
};

/**
 * natt_lifetime_src_name() - "configured", "natcheck", "peer", "observed",
 * or "unknown".
 */
const char *natt_lifetime_src_name(enum natt_lifetime_src s);

/**
 * natt_adaptka_interval() - the keepalive interval for a binding lifetime.
 * @lifetime_ms: the learned lifetime, 0 = unknown.
 * @max_ms: the configured maximum (nat_keepalive_max=), 0 = default;
 *          raised to NATT_ADAPTKA_MIN_MS if below it.
 *
 * Return: lifetime * NUM / DEN bounded to [NATT_ADAPTKA_MIN_MS, max];
 * for an unknown lifetime NATT_ADAPTKA_UNKNOWN_MS (bounded by max too).
 */
uint32_t natt_adaptka_interval(uint32_t lifetime_ms, uint32_t max_ms);

/**
 * natt_adaptka_refresh() - whether the next packet to the peer should be
 * an authenticated refresh (DPD R-U-THERE) instead of a lone keepalive.
 * @lifetime_ms: the learned lifetime, 0 = unknown (never a refresh).
 * @last_sent_ms: when we last sent anything to the peer on 4500.
 * @now_ms: now.
 *
 * True when we have been silent for the whole lifetime or longer: the NAT
 * has probably dropped the binding (the host slept, a timer ran late, the
 * fixed interval is longer than the lifetime), the next packet gets a new
 * public port, and only an authenticated one makes the gateway follow it
 * (RFC 3947 s7: "Keepalives cannot be used for these purposes, as they are
 * not authenticated"; ESP would do, but the gateway's traffic may come
 * first).
 */
bool natt_adaptka_refresh(uint32_t lifetime_ms, uint64_t last_sent_ms, uint64_t now_ms);

/**
 * natt_adaptka_peer_ok() - whether a lifetime a peer sent is acceptable
 * (within [NATT_ADAPTKA_PEER_MIN_MS, NATT_ADAPTKA_PEER_MAX_MS]).
 */
bool natt_adaptka_peer_ok(uint32_t lifetime_ms);

#endif
