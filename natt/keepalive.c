// SPDX-License-Identifier: GPL-2.0-or-later
/* RFC 3948 s4 NAT-keepalive timer as a pure function. */
#include "natt/keepalive.h"

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

void natt_keepalive_schedule(const struct natt_keepalive_in *in, struct natt_keepalive_out *out)
{
	uint64_t interval = in->interval_ms ? in->interval_ms : NATT_KEEPALIVE_INTERVAL_MS_DEFAULT;
	uint64_t linger = in->linger_ms ? in->linger_ms : NATT_KEEPALIVE_LINGER_MS_DEFAULT;
	uint64_t due, stop;

	out->send = false;
	out->next_ms = NATT_KEEPALIVE_NEVER;
	/* Only the side behind the NAT keeps the mapping open (3947-3.2.e),
	 * and only once on 4500: none to port 500 (3947-4.n). */
	if (!in->behind_nat || !in->floated)
		return;
	/* 3948-4.b: while an SA exists, or for N after the last one. */
	stop = in->sa_exists ? NATT_KEEPALIVE_NEVER : add_sat(in->sa_gone_ms, linger);
	if (in->now_ms >= stop)
		return;
	due = add_sat(in->last_sent_ms, interval);
	if (in->now_ms >= due) {
		out->send = true;
		due = add_sat(in->now_ms, interval);
	}
	/* Past the linger end there is nothing more to send. */
	out->next_ms = due < stop ? due : NATT_KEEPALIVE_NEVER;
}
