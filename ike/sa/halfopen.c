// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Half-open responder IKE SAs: global and per-source counts, the defence
 * mode, and the rule that a source which has not proven it receives gets
 * no unsolicited retransmissions (halfopen.h).
 *
 * Per-source counts live in a chained hash table keyed with a secret, so
 * spoofed addresses chosen to collide cannot make the lookup linear; an
 * entry exists only while its source holds a half-open SA, so the table is
 * bounded by the global cap.
 */
#include "ike/sa/halfopen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "ike/engine_int.h"
#include "ike/sa/sa_index.h"
#include "ike/sa/sa_store.h"

struct ho_src {
	struct ho_src *next;
	uint8_t fam;
	uint8_t addr[16];
	uint32_t n;	/* half-open SAs from this source */
	uint32_t quiet; /* ... of them still unproven (on the quiet list) */
};

static void src_key(const union ike_ep *ep, uint8_t *fam, uint8_t addr[16])
{
	memset(addr, 0, 16);
	*fam = (uint8_t)ep->sa.sa_family;
	if (ep->sa.sa_family == AF_INET)
		memcpy(addr, &ep->in.sin_addr, 4);
	else if (ep->sa.sa_family == AF_INET6)
		memcpy(addr, &ep->in6.sin6_addr, 16);
}

static unsigned src_bucket(const struct ike_halfopen *ho, uint8_t fam, const uint8_t addr[16],
			   unsigned nb)
{
	uint64_t a, b;

	memcpy(&a, addr, 8);
	memcpy(&b, addr + 8, 8);
	return (unsigned)(sa_mix64(sa_mix64(a ^ ho->key[0]) ^ b ^ ho->key[1] ^ fam) & (nb - 1));
}

static struct ho_src *src_find(const struct ike_halfopen *ho, uint8_t fam, const uint8_t addr[16])
{
	if (!ho->nb)
		return NULL;
	for (struct ho_src *s = ho->b[src_bucket(ho, fam, addr, ho->nb)]; s; s = s->next)
		if (s->fam == fam && !memcmp(s->addr, addr, 16))
			return s;
	return NULL;
}

static int src_grow(struct ike_halfopen *ho)
{
	unsigned n = ho->nb ? 2 * ho->nb : 64;
	struct ho_src **b = calloc(n, sizeof(*b));

	if (!b)
		return -ENOMEM;
	for (unsigned i = 0; i < ho->nb; i++) {
		struct ho_src *s, *sn;

		for (s = ho->b[i]; s; s = sn) {
			unsigned h = src_bucket(ho, s->fam, s->addr, n);

			sn = s->next;
			s->next = b[h];
			b[h] = s;
		}
	}
	free(ho->b);
	ho->b = b;
	ho->nb = n;
	return 0;
}

void ike_halfopen_configure(struct ike_halfopen *ho, const struct ike_halfopen_cfg *cfg)
{
	ho->cfg = *cfg;
	if (!ho->cfg.max)
		ho->cfg.max = IKE_HALFOPEN_MAX_DEFAULT;
	if (!ho->cfg.per_source)
		ho->cfg.per_source = IKE_HALFOPEN_PER_SOURCE_DEFAULT;
	if (!ho->cfg.defence_at)
		ho->cfg.defence_at = ho->cfg.max / 2 ? ho->cfg.max / 2 : 1;
}

struct ike_halfopen *ho_pool_new(const struct ike_halfopen_cfg *cfg, const uint8_t key[16])
{
	struct ike_halfopen *ho = calloc(1, sizeof(*ho));

	if (!ho)
		return NULL;
	ike_halfopen_configure(ho, cfg);
	memcpy(ho->key, key, sizeof(ho->key));
	return ho;
}

int ike_halfopen_new(const struct ike_halfopen_cfg *cfg, struct ike_halfopen **out)
{
	uint8_t key[16];

	if (crypto_random(key, sizeof(key)) < 0)
		return -EIO;
	*out = ho_pool_new(cfg, key);
	return *out ? 0 : -ENOMEM;
}

void ike_halfopen_free(struct ike_halfopen *ho)
{
	if (!ho)
		return;
	for (unsigned i = 0; i < ho->nb; i++) {
		struct ho_src *s, *sn;

		for (s = ho->b[i]; s; s = sn) {
			sn = s->next;
			free(s);
		}
	}
	free(ho->b);
	free(ho);
}

void ike_halfopen_stats(const struct ike_halfopen *ho, struct ike_halfopen_stats *st)
{
	*st = ho->st;
	st->halfopen = ho->n;
	st->sources = ho->n_src;
	st->defence = ho->n >= ho->cfg.defence_at;
}

static unsigned share(const struct ike_halfopen *ho)
{
	return ho->cfg.per_source / 4 ? ho->cfg.per_source / 4 : 1;
}

enum ho_verdict ho_admit(struct ike_halfopen *ho, const union ike_ep *remote, bool aggressive,
			 struct ike_sa **evict)
{
	bool defence = ho->n >= ho->cfg.defence_at;
	const struct ho_src *s;
	uint8_t fam, addr[16];
	unsigned held;

	*evict = NULL;
	if (defence && aggressive) {
		ho->st.refused_aggressive++;
		return HO_AGGRESSIVE;
	}
	src_key(remote, &fam, addr);
	s = src_find(ho, fam, addr);
	held = s ? s->n : 0;
	if (held >= ho->cfg.per_source) {
		ho->st.refused_source++;
		return HO_SOURCE;
	}
	/* The share counts the SAs whose peer has not answered with our
	 * cookie yet: a forged source never answers, so all of its SAs count;
	 * a NAT address with many real road warriors starting at once holds
	 * few of those (each answers within a round trip), and is not turned
	 * away for its busy but answering clients (issue 15's flood bench:
	 * 50 road warriors behind one NAT waited 4 s per refused MM1). */
	if (defence && s && s->quiet >= share(ho)) {
		ho->st.refused_share++;
		return HO_SHARE;
	}
	if (ho->n >= ho->cfg.max) {
		struct ike_sa *old = ho->quiet.head;

		if (!old) {
			ho->st.refused_full++;
			return HO_FULL;
		}
		ho->st.evicted++;
		*evict = old;
	}
	return HO_OK;
}

static void quiet_unlink(struct ike_halfopen *ho, struct ike_sa *sa)
{
	if (!sa->ho_eng)
		return;
	if (sa->ho_src)
		sa->ho_src->quiet--;
	if (sa->ho_prev)
		sa->ho_prev->ho_next = sa->ho_next;
	else
		ho->quiet.head = sa->ho_next;
	if (sa->ho_next)
		sa->ho_next->ho_prev = sa->ho_prev;
	else
		ho->quiet.tail = sa->ho_prev;
	sa->ho_prev = sa->ho_next = NULL;
	sa->ho_eng = NULL;
}

void ho_proven(struct ike_halfopen *ho, struct ike_sa *sa)
{
	quiet_unlink(ho, sa);
}

int ho_enter(struct ike_halfopen *ho, struct ike_engine *eng, struct ike_sa *sa,
	     const union ike_ep *remote)
{
	uint8_t fam, addr[16];
	struct ho_src *s;

	src_key(remote, &fam, addr);
	s = src_find(ho, fam, addr);
	if (!s) {
		unsigned h;

		if (ho->n_src + 1 > 2 * ho->nb && src_grow(ho) < 0 && !ho->nb)
			return -ENOMEM;
		s = calloc(1, sizeof(*s));
		if (!s)
			return -ENOMEM;
		s->fam = fam;
		memcpy(s->addr, addr, 16);
		h = src_bucket(ho, fam, addr, ho->nb);
		s->next = ho->b[h];
		ho->b[h] = s;
		ho->n_src++;
	}
	s->n++;
	s->quiet++;
	ho->n++;
	if (ho->n == ho->cfg.defence_at)
		ho->st.defence_entered++;
	sa->ho_src = s;
	sa->ho_eng = eng;
	sa->ho_prev = ho->quiet.tail;
	sa->ho_next = NULL;
	if (ho->quiet.tail)
		ho->quiet.tail->ho_next = sa;
	else
		ho->quiet.head = sa;
	ho->quiet.tail = sa;
	return 0;
}

void ho_leave(struct ike_halfopen *ho, struct ike_sa *sa)
{
	struct ho_src *s = sa->ho_src;

	if (!s)
		return;
	quiet_unlink(ho, sa);
	sa->ho_src = NULL;
	ho->n--;
	if (--s->n)
		return;
	for (struct ho_src **p = &ho->b[src_bucket(ho, s->fam, s->addr, ho->nb)]; *p;
	     p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	ho->n_src--;
	free(s);
}

bool ho_quiet(const struct ike_sa *sa)
{
	return sa->ho_src && (sa->x.state == V1_MAIN_R0 || sa->x.state == V1_AGGR_R0 ||
			      sa->x.state == V1_MAIN_R1 || sa->x.state == V1_AGGR_R1);
}

const char *ho_verdict_name(enum ho_verdict v)
{
	switch (v) {
	case HO_OK:
		return "admitted";
	case HO_FULL:
		return "half-open cap (max-halfopen-ike)";
	case HO_SOURCE:
		return "per-source cap (max-halfopen-ike-per-source)";
	case HO_SHARE:
		return "defence mode: source over its share";
	case HO_AGGRESSIVE:
		return "defence mode: no new Aggressive Mode";
	case HO_NOMEM:
		return "out of memory";
	}
	return "?";
}
