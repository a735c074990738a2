// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The engine's timers over the heap (timer_heap.h): which SA is due next,
 * in O(log n), without walking the SAs.
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
	if (th_push(&eng->timers, t, x->serial, x->ipsec) < 0) {
		eng->timers_lost = true;
		return;
	}
	x->th_at = t;
	eng->timers_top = NULL;
}

/* The SA an entry names, if the entry is its live one. */
static struct v1_xchg *entry_sa(struct ike_engine *eng, const struct th_ent *e)
{
	struct v1_xchg *x;

	if (e->ipsec) {
		struct ipsec_sa *c = sa_ipsec_by_serial(eng, e->serial);

		x = c ? &c->x : NULL;
	} else {
		struct ike_sa *sa = sa_ike_by_serial(eng, e->serial);

		x = sa ? &sa->x : NULL;
	}
	return x && x->th_at == e->at ? x : NULL;
}

/* Out of memory once (or too many stale entries): one entry per SA again. */
static void rebuild(struct ike_engine *eng)
{
	th_clear(&eng->timers);
	eng->timers_top = NULL;
	eng->timers_lost = false;
	for (struct ike_sa *sa = eng->sas; sa; sa = sa->next) {
		sa->x.th_at = V1_NO_TIMER;
		eng_due(eng, &sa->x, eng_sa_deadline(&sa->x));
	}
	for (struct ipsec_sa *c = eng->children; c; c = c->next) {
		c->x.th_at = V1_NO_TIMER;
		eng_due(eng, &c->x, eng_sa_deadline(&c->x));
	}
}

uint64_t eng_next_deadline(struct ike_engine *eng)
{
	const struct th_ent *e;

	if (eng->timers_lost)
		rebuild(eng);
	/* Validated since the heap or the SAs last changed: no lookup. */
	if (eng->timers_top)
		return th_top(&eng->timers)->at;
	while ((e = th_top(&eng->timers)) && !(eng->timers_top = entry_sa(eng, e)))
		th_pop(&eng->timers);
	return e ? e->at : V1_NO_TIMER;
}

struct v1_xchg *eng_timer_next(struct ike_engine *eng, uint64_t now)
{
	struct v1_xchg *x;
	uint64_t t;

	/* Stale entries are at most one per eng_due() that found an earlier
	 * time; keep them from piling up behind far deadlines. */
	if (eng->timers.n > 4 * ((size_t)eng->n_sas + eng->n_children) + 1024)
		rebuild(eng);
	t = eng_next_deadline(eng);
	if (t == V1_NO_TIMER || t > now)
		return NULL;
	x = eng->timers_top;
	eng->timers_top = NULL;
	th_pop(&eng->timers);
	x->th_at = V1_NO_TIMER;
	return x;
}
