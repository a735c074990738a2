// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKE and IPsec SA store. Doubly linked lists for the walks that concern
 * every SA (teardown, status) and O(1) unlink; keyed hash indexes for the
 * lookups an event makes: IKE SAs by cookie (below) and by serial, IPsec
 * SAs by serial and by SPI (sa_index.c), so the cost of one event does not
 * grow with the number of SAs.
 */
#include "ike/sa/sa_store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/engine_int.h"
#include "ike/sa/halfopen.h"
#include "ike/sa/sa_index.h"
#include "natt/endpoint.h"

static const uint8_t zero_cky[IKE_COOKIE_LEN];

/*
 * The cookie index: CKY-I hashed with a per-engine secret into the SA's
 * cky_key (the index hashes that again with its own), so a peer that picks
 * its own cookies cannot aim them all at one run of slots.
 */
static uint32_t cookie_key(const struct ike_engine *eng, const uint8_t *icky)
{
	uint64_t k, z;

	memcpy(&k, eng->cookie_secret, sizeof(k));
	memcpy(&z, icky, sizeof(z));
	return (uint32_t)sa_mix64(z ^ k);
}

static uint32_t ike_cky_of(const void *o)
{
	return ((const struct ike_sa *)o)->cky_key;
}

static uint32_t ike_serial_of(const void *o)
{
	return ((const struct ike_sa *)o)->x.serial;
}

static uint32_t ipsec_serial_of(const void *o)
{
	return ((const struct ipsec_sa *)o)->x.serial;
}

static uint32_t spi_in_of(const void *o)
{
	return ((const struct ipsec_sa *)o)->spi_in;
}

static uint32_t spi_out_of(const void *o)
{
	return ((const struct ipsec_sa *)o)->spi_out;
}

/* The endpoint's address and port folded into the index key (the index
 * hashes it with the engine's secret). */
static uint32_t ep_key_of(const union ike_ep *ep)
{
	uint32_t k = 0, w;

	if (ep->sa.sa_family == AF_INET) {
		memcpy(&k, &ep->in.sin_addr, 4);
		return k ^ ((uint32_t)ep->in.sin_port * 0x9e3779b1u);
	}
	if (ep->sa.sa_family == AF_INET6) {
		for (unsigned i = 0; i < 4; i++) {
			memcpy(&w, (const uint8_t *)&ep->in6.sin6_addr + 4 * i, 4);
			k = (k ^ w) * 0x01000193u;
		}
		return k ^ ((uint32_t)ep->in6.sin6_port * 0x9e3779b1u);
	}
	return 0;
}

static uint32_t ike_ep_of(const void *o)
{
	return ((const struct ike_sa *)o)->ep_key;
}

int sa_ike_ep_index(struct ike_engine *eng, struct ike_sa *sa)
{
	if (sa->ep_indexed)
		sa_index_del(&eng->ike_by_ep, sa);
	sa->ep_key = ep_key_of(&sa->remote);
	sa->ep_indexed = sa_index_add(&eng->ike_by_ep, sa) == 0;
	return sa->ep_indexed ? 0 : -ENOMEM;
}

struct ike_sa *sa_ike_by_ep(struct ike_engine *eng, const union ike_ep *ep)
{
	uint32_t k = ep_key_of(ep);

	for (struct ike_sa *sa = sa_index_first(&eng->ike_by_ep, k); sa;
	     sa = sa_index_next(&eng->ike_by_ep, sa, k))
		if (!sa->deleting && natt_endpoint_equal(&sa->remote.sa, &ep->sa))
			return sa;
	return NULL;
}

/* The identity folded into the index key with the engine's secret, so a
 * peer that picks its identities (a group PSK with rightid=@*.example)
 * cannot aim them at one chain: the 32-bit key depends on every byte. */
static uint32_t id_key_of(const struct ike_engine *eng, const struct ike_id *id)
{
	uint64_t z = eng->id_secret ^ ((uint64_t)id->type << 8 | id->len), w;

	for (size_t i = 0; i < id->len; i += 8) {
		size_t n = id->len - i < 8 ? id->len - i : 8;

		w = 0;
		memcpy(&w, id->data + i, n);
		z = sa_mix64(z ^ w);
	}
	return (uint32_t)(z ^ (z >> 32));
}

static bool id_equal(const struct ike_id *a, const struct ike_id *b)
{
	return a->type == b->type && a->len == b->len && !memcmp(a->data, b->data, a->len);
}

static uint32_t ike_id_of(const void *o)
{
	return ((const struct ike_sa *)o)->id_key;
}

static uint32_t ipsec_id_of(const void *o)
{
	return ((const struct ipsec_sa *)o)->id_key;
}

int sa_ike_id_index(struct ike_engine *eng, struct ike_sa *sa)
{
	if (sa->id_indexed)
		sa_index_del(&eng->ike_by_id, sa);
	sa->id_indexed = false;
	if (!sa->peer_id.type)
		return 0;
	sa->id_key = id_key_of(eng, &sa->peer_id);
	sa->id_indexed = sa_index_add(&eng->ike_by_id, sa) == 0;
	if (!sa->id_indexed)
		eng->ids_lost = true;
	return sa->id_indexed ? 0 : -ENOMEM;
}

static void ipsec_id_index(struct ike_engine *eng, struct ipsec_sa *c)
{
	if (!c->peer_id.type)
		return;
	c->id_key = id_key_of(eng, &c->peer_id);
	c->id_indexed = sa_index_add(&eng->ipsec_by_id, c) == 0;
	if (!c->id_indexed)
		eng->ids_lost = true;
}

/* From @sa on (itself included), the first SA of identity @id: along the
 * index's key @k, or along the list without the index (eng->ids_lost). */
static struct ike_sa *ike_id_from(struct ike_engine *eng, struct ike_sa *sa,
				  const struct ike_id *id, uint32_t k)
{
	while (sa && !id_equal(&sa->peer_id, id))
		sa = eng->ids_lost ? sa->next : sa_index_next(&eng->ike_by_id, sa, k);
	return sa;
}

struct ike_sa *sa_ike_by_id_first(struct ike_engine *eng, const struct ike_id *id)
{
	uint32_t k = id_key_of(eng, id);

	return ike_id_from(eng, eng->ids_lost ? eng->sas : sa_index_first(&eng->ike_by_id, k), id,
			   k);
}

struct ike_sa *sa_ike_by_id_next(struct ike_engine *eng, const struct ike_sa *sa,
				 const struct ike_id *id)
{
	uint32_t k = id_key_of(eng, id);

	return ike_id_from(eng, eng->ids_lost ? sa->next : sa_index_next(&eng->ike_by_id, sa, k),
			   id, k);
}

static struct ipsec_sa *ipsec_id_from(struct ike_engine *eng, struct ipsec_sa *c,
				      const struct ike_id *id, uint32_t k)
{
	while (c && !id_equal(&c->peer_id, id))
		c = eng->ids_lost ? c->next : sa_index_next(&eng->ipsec_by_id, c, k);
	return c;
}

struct ipsec_sa *sa_ipsec_by_id_first(struct ike_engine *eng, const struct ike_id *id)
{
	uint32_t k = id_key_of(eng, id);

	return ipsec_id_from(
		eng, eng->ids_lost ? eng->children : sa_index_first(&eng->ipsec_by_id, k), id, k);
}

struct ipsec_sa *sa_ipsec_by_id_next(struct ike_engine *eng, const struct ipsec_sa *c,
				     const struct ike_id *id)
{
	uint32_t k = id_key_of(eng, id);

	return ipsec_id_from(eng, eng->ids_lost ? c->next : sa_index_next(&eng->ipsec_by_id, c, k),
			     id, k);
}

static uint32_t msgid_key(uint32_t ike_serial, uint32_t msgid)
{
	return ike_serial * 0x9e3779b1u ^ msgid;
}

static uint32_t ipsec_msgid_of(const void *o)
{
	const struct ipsec_sa *c = o;

	return msgid_key(c->ike_serial, c->msgid);
}

static uint32_t ipsec_kcookie_of(const void *o)
{
	return ((const struct ipsec_sa *)o)->kcookie;
}

static uint32_t ipsec_kinstall_of(const void *o)
{
	return ((const struct ipsec_sa *)o)->kinstall;
}

/* Unindex @c from @ix (under its current key), set the field, index it
 * again under the new value unless that is 0 (none). */
static void reindex(struct ike_engine *eng, struct sa_index *ix, struct ipsec_sa *c,
		    uint32_t *field, bool *indexed, uint32_t v)
{
	if (*indexed)
		sa_index_del(ix, c);
	*field = v;
	*indexed = v && sa_index_add(ix, c) == 0;
	if (v && !*indexed)
		eng->ids_lost = true;
}

void sa_ipsec_set_msgid(struct ike_engine *eng, struct ipsec_sa *c, uint32_t msgid)
{
	reindex(eng, &eng->ipsec_by_msgid, c, &c->msgid, &c->msgid_indexed, msgid);
}

void sa_ipsec_set_kcookie(struct ike_engine *eng, struct ipsec_sa *c, uint32_t v)
{
	reindex(eng, &eng->ipsec_by_kcookie, c, &c->kcookie, &c->kcookie_indexed, v);
}

void sa_ipsec_set_kinstall(struct ike_engine *eng, struct ipsec_sa *c, uint32_t v)
{
	reindex(eng, &eng->ipsec_by_kinstall, c, &c->kinstall, &c->kinstall_indexed, v);
}

void sa_store_init(struct ike_engine *eng)
{
	uint64_t k[4];

	memcpy(k, eng->cookie_secret + 0, sizeof(k));
	sa_index_init_dense(&eng->ike_by_serial, ike_serial_of);
	sa_index_init_dense(&eng->ipsec_by_serial, ipsec_serial_of);
	sa_index_init(&eng->ipsec_by_spi_in, spi_in_of, k[3]);
	sa_index_init(&eng->ipsec_by_spi_out, spi_out_of, k[3] ^ k[2]);
	sa_index_init(&eng->ike_by_ep, ike_ep_of, k[2] ^ k[1]);
	sa_index_init(&eng->ike_by_cookie, ike_cky_of, k[1] ^ k[3]);
	sa_index_init(&eng->ike_by_id, ike_id_of, k[1] ^ k[0]);
	sa_index_init(&eng->ipsec_by_id, ipsec_id_of, k[3] ^ k[0]);
	sa_index_init(&eng->ipsec_by_msgid, ipsec_msgid_of, k[2] ^ k[0]);
	sa_index_init(&eng->ipsec_by_kcookie, ipsec_kcookie_of, k[1]);
	sa_index_init(&eng->ipsec_by_kinstall, ipsec_kinstall_of, k[0]);
	eng->id_secret = k[0] + k[1] + k[2] + k[3];
}

void sa_store_free(struct ike_engine *eng)
{
	sa_index_free(&eng->ike_by_serial);
	sa_index_free(&eng->ipsec_by_serial);
	sa_index_free(&eng->ipsec_by_spi_in);
	sa_index_free(&eng->ipsec_by_spi_out);
	sa_index_free(&eng->ike_by_ep);
	sa_index_free(&eng->ike_by_id);
	sa_index_free(&eng->ipsec_by_id);
	sa_index_free(&eng->ipsec_by_msgid);
	sa_index_free(&eng->ipsec_by_kcookie);
	sa_index_free(&eng->ipsec_by_kinstall);
}

void sa_ike_store_free(struct ike_engine *eng)
{
	sa_index_free(&eng->ike_by_cookie);
}

struct ike_sa *sa_ike_new(struct ike_engine *eng, unsigned conn, bool initiator,
			  const uint8_t *icky)
{
	struct ike_sa *sa;

	if (eng->cfg.max_ike_sas && eng->n_sas >= eng->cfg.max_ike_sas)
		return NULL;
	sa = calloc(1, sizeof(*sa));
	if (!sa)
		return NULL;
	sa->w = calloc(1, sizeof(*sa->w));
	if (!sa->w) {
		free(sa);
		return NULL;
	}
	sa->x.serial = ++eng->next_serial;
	memcpy(sa->cky_i, icky, IKE_COOKIE_LEN);
	sa->cky_key = cookie_key(eng, icky);
	if (sa_index_add(&eng->ike_by_serial, sa) < 0) {
		free(sa->w);
		free(sa);
		return NULL;
	}
	if (sa_index_add(&eng->ike_by_cookie, sa) < 0) {
		sa_index_del(&eng->ike_by_serial, sa);
		free(sa->w);
		free(sa);
		return NULL;
	}
	sa->x.timer_at = V1_NO_TIMER;
	sa->x.th_at = V1_NO_TIMER;
	sa->conn = conn;
	sa->initiator = initiator;
	sa->expire_at = sa->rekey_at = sa->dpd_at = sa->ka_at = sa->audit_at = V1_NO_TIMER;
	sa->next = eng->sas;
	if (eng->sas)
		eng->sas->prev = sa;
	eng->sas = sa;
	eng->n_sas++;
	return sa;
}

void sa_ike_work_free(struct ike_sa *sa)
{
	if (!sa->w)
		return;
	crypto_dh_free(sa->w->dh);
	OPENSSL_cleanse(sa->w, sizeof(*sa->w));
	free(sa->w);
	sa->w = NULL;
}

void sa_ike_free(struct ike_engine *eng, struct ike_sa *sa)
{
	if (eng->ike_sa_release) /* what a higher layer hangs on it (ikev1_cfg.c) */
		eng->ike_sa_release(eng, sa);
	ho_leave(eng->ho, sa);
	eng_timers_forget(eng, &sa->x);
	if (sa->prev)
		sa->prev->next = sa->next;
	else
		eng->sas = sa->next;
	if (sa->next)
		sa->next->prev = sa->prev;
	eng->n_sas--;
	sa_index_del(&eng->ike_by_serial, sa);
	if (sa->ep_indexed)
		sa_index_del(&eng->ike_by_ep, sa);
	if (sa->id_indexed)
		sa_index_del(&eng->ike_by_id, sa);
	sa_index_del(&eng->ike_by_cookie, sa);
	sa_ike_work_free(sa);
	free(sa->reasm); /* slices of messages on the wire: nothing secret */
	sa_xchg_tx_clear(&sa->x);
	keys_phase1_wipe(&sa->keys);
	natt_diag_free(&sa->nat);
	OPENSSL_cleanse(sa, sizeof(*sa));
	free(sa);
}

struct ike_sa *sa_ike_find(struct ike_engine *eng, const uint8_t *icky, const uint8_t *rcky)
{
	uint32_t k = cookie_key(eng, icky);

	for (struct ike_sa *sa = sa_index_first(&eng->ike_by_cookie, k); sa;
	     sa = sa_index_next(&eng->ike_by_cookie, sa, k)) {
		if (memcmp(sa->cky_i, icky, IKE_COOKIE_LEN) != 0)
			continue;
		if (memcmp(sa->cky_r, rcky, IKE_COOKIE_LEN) == 0)
			return sa;
		/* MM2/AM2 reaching an initiator that does not know CKY-R yet. */
		if (sa->initiator && memcmp(sa->cky_r, zero_cky, IKE_COOKIE_LEN) == 0)
			return sa;
		/* A retransmitted MM1/AM1 reaching the responder that answered it. */
		if (!sa->initiator && memcmp(rcky, zero_cky, IKE_COOKIE_LEN) == 0)
			return sa;
	}
	return NULL;
}

struct ike_sa *sa_ike_by_serial(struct ike_engine *eng, uint32_t serial)
{
	return sa_index_first(&eng->ike_by_serial, serial);
}

struct ike_sa *sa_ike_established_for(struct ike_engine *eng, unsigned conn)
{
	struct ike_sa *best = NULL;

	for (struct ike_sa *sa = eng->sas; sa; sa = sa->next) {
		if (sa->conn != conn || sa->deleting || !ikev1_state_info(sa->x.state)->established)
			continue;
		if (!best || sa->x.serial > best->x.serial)
			best = sa;
	}
	return best;
}

/* The same authenticated peer: by identity once both sides of the
 * comparison know one, else by host (its port may have moved). */
static bool same_peer_as(const struct ike_id *id, const union ike_ep *remote,
			 const struct ike_id *oid, const union ike_ep *oremote)
{
	if (id->type && oid->type)
		return id->type == oid->type && id->len == oid->len &&
		       !memcmp(id->data, oid->data, id->len);
	return natt_endpoint_addr_equal(&remote->sa, &oremote->sa);
}

static bool same_peer(const struct ike_sa *sa, const struct ipsec_sa *c)
{
	return same_peer_as(&sa->peer_id, &sa->remote, &c->peer_id, &c->remote);
}

bool sa_msgid_seen(const struct v1_msgid_window *w, uint32_t id)
{
	for (unsigned i = 0; i < w->n; i++)
		if (w->id[i] == id)
			return true;
	return false;
}

void sa_msgid_add(struct v1_msgid_window *w, uint32_t id)
{
	w->id[w->next] = id;
	w->next = (uint8_t)((w->next + 1) % V1_INFO_SEEN);
	if (w->n < V1_INFO_SEEN)
		w->n++;
}

bool sa_ipsec_of_peer(const struct ike_engine *eng, const struct ike_sa *sa,
		      const struct ipsec_sa *c)
{
	/* A group's conns share their IKE SA (leftsubnet=a,b). */
	if (!eng_same_group(eng, c->conn, sa->conn))
		return false;
	if (c->ike_serial == sa->x.serial)
		return true;
	return sa->peer_id.type && c->peer_id.type == sa->peer_id.type &&
	       c->peer_id.len == sa->peer_id.len &&
	       !memcmp(c->peer_id.data, sa->peer_id.data, c->peer_id.len) &&
	       natt_endpoint_equal(&c->remote.sa, &sa->remote.sa);
}

/*
 * The IKE SAs that may be of the peer @id names: those of that identity
 * (its index: O(SAs of the peer)), or every one when there is no identity
 * to go by (before Phase 1 authentication; same_peer_as() then compares
 * hosts).
 */
static struct ike_sa *peer_sas_first(struct ike_engine *eng, const struct ike_id *id)
{
	return id->type ? sa_ike_by_id_first(eng, id) : eng->sas;
}

static struct ike_sa *peer_sas_next(struct ike_engine *eng, const struct ike_sa *sa,
				    const struct ike_id *id)
{
	return id->type ? sa_ike_by_id_next(eng, sa, id) : sa->next;
}

struct ike_sa *sa_ike_for_child(struct ike_engine *eng, const struct ipsec_sa *c)
{
	struct ike_sa *own = sa_ike_by_serial(eng, c->ike_serial), *best = NULL;

	if (own && !own->deleting && ikev1_state_info(own->x.state)->established)
		return own;
	for (struct ike_sa *sa = peer_sas_first(eng, &c->peer_id); sa;
	     sa = peer_sas_next(eng, sa, &c->peer_id)) {
		if (!eng_same_group(eng, sa->conn, c->conn) || sa->deleting ||
		    !ikev1_state_info(sa->x.state)->established || !same_peer(sa, c))
			continue;
		if (!best || sa->x.serial > best->x.serial)
			best = sa;
	}
	return best;
}

struct ike_sa *sa_ike_successor(struct ike_engine *eng, const struct ike_sa *sa)
{
	for (struct ike_sa *o = peer_sas_first(eng, &sa->peer_id); o;
	     o = peer_sas_next(eng, o, &sa->peer_id)) {
		if (o == sa || o->conn != sa->conn || o->deleting || o->x.serial < sa->x.serial)
			continue;
		if (same_peer_as(&o->peer_id, &o->remote, &sa->peer_id, &sa->remote))
			return o;
	}
	return NULL;
}

struct ipsec_sa *sa_ipsec_new(struct ike_engine *eng, struct ike_sa *ike, bool initiator)
{
	struct ipsec_sa *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->w = calloc(1, sizeof(*c->w));
	if (!c->w) {
		free(c);
		return NULL;
	}
	c->x.serial = ++eng->next_serial;
	if (sa_index_add(&eng->ipsec_by_serial, c) < 0) {
		free(c->w);
		free(c);
		return NULL;
	}
	c->x.timer_at = V1_NO_TIMER;
	c->x.th_at = V1_NO_TIMER;
	c->x.ipsec = true;
	c->ike_serial = ike->x.serial;
	ike->had_qm = true;
	c->conn = ike->conn;
	c->initiator = initiator;
	c->peer_id = ike->peer_id;
	ipsec_id_index(eng, c);
	c->expire_at = c->rekey_at = c->ka_at = V1_NO_TIMER;
	c->next = eng->children;
	if (eng->children)
		eng->children->prev = c;
	eng->children = c;
	eng->n_children++;
	return c;
}

void sa_ipsec_work_free(struct ipsec_sa *c)
{
	if (!c->w)
		return;
	crypto_dh_free(c->w->dh);
	OPENSSL_cleanse(c->w, sizeof(*c->w));
	free(c->w);
	c->w = NULL;
}

void sa_ipsec_free(struct ike_engine *eng, struct ipsec_sa *c)
{
	eng_timers_forget(eng, &c->x);
	if (c->prev)
		c->prev->next = c->next;
	else
		eng->children = c->next;
	if (c->next)
		c->next->prev = c->prev;
	eng->n_children--;
	sa_index_del(&eng->ipsec_by_serial, c);
	if (c->spi_in)
		sa_index_del(&eng->ipsec_by_spi_in, c);
	if (c->spi_out)
		sa_index_del(&eng->ipsec_by_spi_out, c);
	if (c->id_indexed)
		sa_index_del(&eng->ipsec_by_id, c);
	if (c->msgid_indexed)
		sa_index_del(&eng->ipsec_by_msgid, c);
	if (c->kcookie_indexed)
		sa_index_del(&eng->ipsec_by_kcookie, c);
	if (c->kinstall_indexed)
		sa_index_del(&eng->ipsec_by_kinstall, c);
	sa_ipsec_work_free(c);
	sa_xchg_tx_clear(&c->x);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

/* The first IPsec SA of @ike with @msgid other than @skip, newest first. */
static struct ipsec_sa *msgid_find(struct ike_engine *eng, const struct ike_sa *ike, uint32_t msgid,
				   const struct ipsec_sa *skip)
{
	uint32_t k = msgid_key(ike->x.serial, msgid);

	if (eng->ids_lost) {
		for (struct ipsec_sa *c = eng->children; c; c = c->next)
			if (c != skip && c->ike_serial == ike->x.serial && c->msgid == msgid)
				return c;
		return NULL;
	}
	for (struct ipsec_sa *c = sa_index_first(&eng->ipsec_by_msgid, k); c;
	     c = sa_index_next(&eng->ipsec_by_msgid, c, k))
		if (c != skip && c->ike_serial == ike->x.serial && c->msgid == msgid)
			return c;
	return NULL;
}

struct ipsec_sa *sa_ipsec_find_msgid(struct ike_engine *eng, const struct ike_sa *ike,
				     uint32_t msgid)
{
	return msgid_find(eng, ike, msgid, NULL);
}

bool sa_ipsec_msgid_taken(struct ike_engine *eng, const struct ike_sa *ike,
			  const struct ipsec_sa *c, uint32_t msgid)
{
	return msgid_find(eng, ike, msgid, c) != NULL;
}

struct ipsec_sa *sa_ipsec_find_kcookie(struct ike_engine *eng, uint32_t cookie, bool *install)
{
	struct ipsec_sa *c;

	if (cookie == 0)
		return NULL;
	if (eng->ids_lost) {
		for (c = eng->children; c; c = c->next)
			if (c->kcookie == cookie || c->kinstall == cookie) {
				*install = c->kinstall == cookie;
				return c;
			}
		return NULL;
	}
	/* Tags come from one counter (eng_kcookie()): one SA holds a tag. */
	for (c = sa_index_first(&eng->ipsec_by_kcookie, cookie); c;
	     c = sa_index_next(&eng->ipsec_by_kcookie, c, cookie))
		if (c->kcookie == cookie) {
			*install = c->kinstall == cookie;
			return c;
		}
	for (c = sa_index_first(&eng->ipsec_by_kinstall, cookie); c;
	     c = sa_index_next(&eng->ipsec_by_kinstall, c, cookie))
		if (c->kinstall == cookie) {
			*install = true;
			return c;
		}
	return NULL;
}

struct ipsec_sa *sa_ipsec_peer_first(struct ike_engine *eng, const struct ike_id *id)
{
	return id->type ? sa_ipsec_by_id_first(eng, id) : eng->children;
}

struct ipsec_sa *sa_ipsec_peer_next(struct ike_engine *eng, const struct ipsec_sa *c,
				    const struct ike_id *id)
{
	return id->type ? sa_ipsec_by_id_next(eng, c, id) : c->next;
}

struct ipsec_sa *sa_ipsec_rekey_waiting(struct ike_engine *eng, const struct ike_sa *sa)
{
	/* Called for every new IKE SA: the peer's IPsec SAs only, not all. */
	for (struct ipsec_sa *c = sa_ipsec_peer_first(eng, &sa->peer_id); c;
	     c = sa_ipsec_peer_next(eng, c, &sa->peer_id)) {
		bool taken = false;

		if (!eng_same_group(eng, c->conn, sa->conn) || !c->installed || !c->rekeying ||
		    c->replaced || !same_peer(sa, c))
			continue;
		/* Its rekey is negotiated with the same peer, so under the
		 * same identity. */
		for (const struct ipsec_sa *o = sa_ipsec_peer_first(eng, &c->peer_id); o && !taken;
		     o = sa_ipsec_peer_next(eng, o, &c->peer_id))
			taken = o->w && o->w->replaces == c->x.serial;
		if (!taken)
			return c;
	}
	return NULL;
}

struct ipsec_sa *sa_ipsec_by_serial(struct ike_engine *eng, uint32_t serial)
{
	return sa_index_first(&eng->ipsec_by_serial, serial);
}

struct ipsec_sa *sa_ipsec_find_spi(struct ike_engine *eng, uint32_t spi, bool inbound)
{
	if (spi == 0)
		return NULL;
	return sa_index_first(inbound ? &eng->ipsec_by_spi_in : &eng->ipsec_by_spi_out, spi);
}

int sa_ipsec_set_spi(struct ike_engine *eng, struct ipsec_sa *c, bool inbound, uint32_t spi)
{
	struct sa_index *ix = inbound ? &eng->ipsec_by_spi_in : &eng->ipsec_by_spi_out;
	uint32_t *f = inbound ? &c->spi_in : &c->spi_out;

	if (*f == spi)
		return 0;
	if (*f)
		sa_index_del(ix, c);
	*f = spi;
	return spi ? sa_index_add(ix, c) : 0;
}

int sa_xchg_tx_set(struct v1_xchg *x, const uint8_t *buf, size_t len)
{
	uint8_t *p;

	if (len > UINT16_MAX)
		return -EINVAL;
	if (x->tx && x->tx_len == len) {
		memcpy(x->tx, buf, len);
		return 0;
	}
	p = malloc(len);
	if (!p)
		return -ENOMEM;
	memcpy(p, buf, len);
	sa_xchg_tx_clear(x);
	x->tx = p;
	x->tx_len = (uint16_t)len;
	return 0;
}

void sa_xchg_tx_clear(struct v1_xchg *x)
{
	free(x->tx);
	x->tx = NULL;
	x->tx_len = 0;
}
