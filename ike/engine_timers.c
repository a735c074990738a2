// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The engine's timers over the heap (timer_heap.h): which SA is due next,
 * in O(log n), without walking the SAs. Each SA has one entry at most,
 * removed when the SA is freed.
 */
#include <stddef.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/v1/ikev1_cfg.h"

_Static_assert(offsetof(struct ike_sa, x) == 0 && offsetof(struct ipsec_sa, x) == 0,
	       "an SA is found from its exchange");

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* An IKE SA's XAUTH / Mode Config conversations (ikev1_cfg.h): their
 * timers are part of the SA's deadline. */
uint64_t cfg_deadline(const struct ike_sa *sa)
{
	uint64_t t = V1_NO_TIMER;

	if (sa->xauth && sa->xauth->x.timer_at < t)
		t = sa->xauth->x.timer_at;
	if (sa->mcfg && sa->mcfg->x.timer_at < t)
		t = sa->mcfg->x.timer_at;
	return t;
}

uint64_t eng_sa_deadline(const struct v1_xchg *x)
{
	if (x->ipsec) {
		const struct ipsec_sa *c = (const struct ipsec_sa *)x;

		return min_u64(min_u64(c->x.timer_at, c->expire_at),
			       min_u64(c->rekey_at, c->ka_at));
	} else {
		const struct ike_sa *sa = (const struct ike_sa *)x;

		return min_u64(min_u64(min_u64(sa->x.timer_at, sa->expire_at),
				       min_u64(sa->rekey_at, sa->dpd_at)),
			       min_u64(min_u64(sa->ka_at, sa->audit_at), cfg_deadline(sa)));
	}
}

void eng_due(struct ike_engine *eng, struct v1_xchg *x, uint64_t t)
{
	/* An XAUTH / Mode Config conversation's deadline is its IKE SA's
	 * (eng_sa_deadline() includes cfg_deadline()): the heap holds SAs. */
	if (x->cfg) {
		struct ike_sa *sa = sa_ike_by_serial(eng, x->serial);

		if (!sa)
			return;
		x = &sa->x;
	}
	if (t == V1_NO_TIMER || t >= x->th_at)
		return;
	if (th_set(&eng->timers, &x->th_slot, t, x->serial, x) < 0) {
		eng->timers_lost = true;
		return;
	}
	x->th_at = t;
}

/* Out of memory once: one entry per SA again. */
static void rebuild(struct ike_engine *eng)
{
	th_clear(&eng->timers);
	eng->timers_lost = false;
	for (struct ike_sa *sa = eng->sas; sa; sa = sa->next) {
		sa->x.th_slot = TH_NONE;
		sa->x.th_at = V1_NO_TIMER;
	}
	for (struct ipsec_sa *c = eng->children; c; c = c->next) {
		c->x.th_slot = TH_NONE;
		c->x.th_at = V1_NO_TIMER;
	}
	for (struct ike_sa *sa = eng->sas; sa; sa = sa->next)
		eng_due(eng, &sa->x, eng_sa_deadline(&sa->x));
	for (struct ipsec_sa *c = eng->children; c; c = c->next)
		eng_due(eng, &c->x, eng_sa_deadline(&c->x));
}

uint64_t eng_next_deadline(struct ike_engine *eng)
{
	const struct th_ent *e;

	if (eng->timers_lost)
		rebuild(eng);
	e = th_top(&eng->timers);
	return e ? e->at : V1_NO_TIMER;
}

struct v1_xchg *eng_timer_next(struct ike_engine *eng, uint64_t now)
{
	uint64_t t = eng_next_deadline(eng);
	struct v1_xchg *x;

	if (t == V1_NO_TIMER || t > now)
		return NULL;
	x = th_owner(&eng->timers, th_top(&eng->timers));
	eng_timers_forget(eng, x);
	return x;
}
