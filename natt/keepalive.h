/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NAT-keepalive scheduling (RFC 3948 s4, RFC 3947 s4 4.n): a pure function
 * of the SA's state and the time, so the engine only has to arm a timer at
 * the returned deadline. Times are milliseconds on any monotonic clock.
 */
#ifndef NATKEYD_NATT_KEEPALIVE_H
#define NATKEYD_NATT_KEEPALIVE_H

#include <stdbool.h>
#include <stdint.h>

/* RFC 3948 s4 defaults: M = 20 s idle, N = 5 min after the last SA. */
#define NATT_KEEPALIVE_INTERVAL_MS_DEFAULT 20000u
#define NATT_KEEPALIVE_LINGER_MS_DEFAULT   300000u
/* next_ms value meaning "no keepalive timer". */
#define NATT_KEEPALIVE_NEVER UINT64_MAX

struct natt_keepalive_in {
	bool behind_nat; /* NAT-D: we are behind a NAT (3947-3.2.e) */
	/* IKE runs on 4500 (floated or started there). Drafts -00/-01 never
	 * float and carry ESP and keepalives on 500: pass true once their UDP
	 * encapsulation is in use. */
	bool floated;
	bool sa_exists;	       /* a Phase 1 or Phase 2 SA with the peer exists */
	uint64_t sa_gone_ms;   /* when the last SA went away (if !sa_exists) */
	uint32_t interval_ms;  /* M; 0 = NATT_KEEPALIVE_INTERVAL_MS_DEFAULT */
	uint32_t linger_ms;    /* N; 0 = NATT_KEEPALIVE_LINGER_MS_DEFAULT */
	uint64_t last_sent_ms; /* last packet of any kind we sent to the peer on
				* 4500, or the time of the float */
	uint64_t now_ms;
};

struct natt_keepalive_out {
	bool send;	  /* send one 0xFF keepalive now */
	uint64_t next_ms; /* when to call again, or NATT_KEEPALIVE_NEVER */
};

/**
 * natt_keepalive_schedule() - should we send a NAT-keepalive now, and when next?
 * @in: the state.
 * @out: the decision.
 *
 * Only the side behind a NAT sends, only after the move to 4500 (the first
 * timer starts at the float: pass its time in @last_sent_ms), only while an
 * SA exists or within N after the last one went away, and only when nothing
 * was sent to the peer for M (RFC 3948 s4). If @send, the caller sends and
 * then reports the send time as @last_sent_ms next time; @next_ms already
 * assumes the send happened at @now_ms.
 */
void natt_keepalive_schedule(const struct natt_keepalive_in *in, struct natt_keepalive_out *out);

#endif
