// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of ike/sa/sa_store.c and ike/sa/sa_index.c on their own: IKE SAs
 * by cookie pair and serial, IPsec SAs by serial and SPI, thousands of
 * them, deletion while walking the lists, index growth, the index against
 * a reference under random additions and removals, and nothing found
 * (nothing dereferenced: run it in the ASan build) after a free.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/sa/sa_index.h"
#include "ike/sa/sa_store.h"

#define MANY 5000

static struct ike_conn_cfg conn;

static struct ike_engine *engine(uint32_t max_ike_sas)
{
	struct ike_engine_cfg cfg = { .conns = &conn, .n_conns = 1, .max_ike_sas = max_ike_sas };
	struct sockaddr_in *l = (struct sockaddr_in *)&conn.local;
	struct sockaddr_in *r = (struct sockaddr_in *)&conn.remote;
	struct ike_engine *eng = NULL;

	memset(&conn, 0, sizeof(conn));
	snprintf(conn.name, sizeof(conn.name), "store");
	l->sin_family = r->sin_family = AF_INET;
	l->sin_port = r->sin_port = htons(500);
	inet_pton(AF_INET, "192.0.2.1", &l->sin_addr);
	inet_pton(AF_INET, "198.51.100.2", &r->sin_addr);
	conn.auth = IKE_AUTH_PSK;
	conn.psk_len = 3;
	memcpy(conn.psk, "key", 3);
	conn.p1[0] = (struct ike_p1_proposal){ IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA2_256,
					       IKE_DH_MODP_2048 };
	conn.n_p1 = 1;
	conn.p2[0] = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 };
	conn.n_p2 = 1;
	conn.mode = XK_MODE_TUNNEL;
	ck_assert_int_eq(ike_engine_new(&cfg, &eng), 0);
	return eng;
}

static void cky(uint8_t *c, uint32_t i, uint8_t tag)
{
	memset(c, tag, IKE_COOKIE_LEN);
	memcpy(c, &i, sizeof(i));
}

static unsigned list_len(const struct ike_engine *eng)
{
	unsigned n = 0;

	for (const struct ike_sa *sa = eng->sas; sa; sa = sa->next) {
		ck_assert(sa->next == NULL || sa->next->prev == sa);
		n++;
	}
	return n;
}

static unsigned child_len(const struct ike_engine *eng)
{
	unsigned n = 0;

	for (const struct ipsec_sa *c = eng->children; c; c = c->next) {
		ck_assert(c->next == NULL || c->next->prev == c);
		n++;
	}
	return n;
}

START_TEST(test_ike_find_by_cookies)
{
	struct ike_engine *eng = engine(0);
	uint8_t i1[8], r1[8], i2[8], r2[8], zero[8] = { 0 };
	struct ike_sa *a, *b;

	cky(i1, 1, 0x11);
	cky(r1, 1, 0x22);
	cky(i2, 2, 0x11);
	cky(r2, 2, 0x22);
	a = sa_ike_new(eng, 0, true, i1); /* initiator: CKY-R not known yet */
	b = sa_ike_new(eng, 0, false, i2);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_ne(a->x.serial, b->x.serial);
	ck_assert_int_eq(a->x.state, V1_NONE);
	memcpy(b->cky_r, r2, 8);
	/* The initiator's SA takes MM2 whatever CKY-R it brings. */
	ck_assert_ptr_eq(sa_ike_find(eng, i1, r1), a);
	ck_assert_ptr_eq(sa_ike_find(eng, i1, zero), a);
	memcpy(a->cky_r, r1, 8);
	ck_assert_ptr_eq(sa_ike_find(eng, i1, r1), a);
	ck_assert_ptr_null(sa_ike_find(eng, i1, r2)); /* known now: must match */
	/* The responder: exact pair, or a retransmitted MM1 (CKY-R zero). */
	ck_assert_ptr_eq(sa_ike_find(eng, i2, r2), b);
	ck_assert_ptr_eq(sa_ike_find(eng, i2, zero), b);
	ck_assert_ptr_null(sa_ike_find(eng, i2, r1));
	ck_assert_ptr_null(sa_ike_find(eng, r1, r2));
	ck_assert_ptr_eq(sa_ike_by_serial(eng, a->x.serial), a);
	ck_assert_ptr_eq(sa_ike_by_serial(eng, b->x.serial), b);
	ck_assert_ptr_null(sa_ike_by_serial(eng, b->x.serial + 100));
	ck_assert_uint_eq(list_len(eng), 2);
	ike_engine_free(eng);
}
END_TEST

START_TEST(test_ike_free_no_stale)
{
	struct ike_engine *eng = engine(0);
	uint8_t i1[8], r1[8];
	struct ike_sa *a, *b, *c;
	uint32_t sa_serial;

	cky(i1, 7, 0x33);
	cky(r1, 7, 0x44);
	a = sa_ike_new(eng, 0, false, i1);
	b = sa_ike_new(eng, 0, false, i1); /* same CKY-I, another CKY-R */
	memcpy(a->cky_r, r1, 8);
	r1[7] ^= 1;
	memcpy(b->cky_r, r1, 8);
	ck_assert_ptr_eq(sa_ike_find(eng, i1, r1), b);
	sa_serial = b->x.serial;
	sa_ike_free(eng, b);
	ck_assert_ptr_null(sa_ike_find(eng, i1, r1));
	ck_assert_ptr_null(sa_ike_by_serial(eng, sa_serial));
	r1[7] ^= 1;
	ck_assert_ptr_eq(sa_ike_find(eng, i1, r1), a);
	ck_assert_uint_eq(list_len(eng), 1);
	ck_assert_uint_eq(eng->n_sas, 1);
	/* A new SA gets a new serial, never the freed one. */
	c = sa_ike_new(eng, 0, true, i1);
	ck_assert_uint_gt(c->x.serial, sa_serial);
	sa_ike_free(eng, a);
	sa_ike_free(eng, c);
	ck_assert_ptr_null(eng->sas);
	ck_assert_uint_eq(eng->n_sas, 0);
	ck_assert_ptr_null(sa_ike_find(eng, i1, r1));
	ike_engine_free(eng);
}
END_TEST

START_TEST(test_ike_many_and_growth)
{
	struct ike_engine *eng = engine(0);
	static struct ike_sa *sas[MANY];
	uint8_t ic[8], rc[8];
	unsigned nb0 = 0;

	for (uint32_t i = 0; i < MANY; i++) {
		cky(ic, i, 0x55);
		sas[i] = sa_ike_new(eng, 0, false, ic);
		ck_assert_ptr_nonnull(sas[i]);
		cky(sas[i]->cky_r, i, 0x66);
		if (i == 0)
			nb0 = eng->ike_by_cookie.nb;
	}
	/* Both indexes grew with the load (at most 3/4 full). */
	ck_assert_uint_gt(eng->ike_by_cookie.nb, nb0);
	ck_assert_uint_ge(3 * eng->ike_by_cookie.nb, 4 * MANY);
	ck_assert_uint_eq(eng->ike_by_cookie.n, MANY);
	ck_assert_uint_ge(3 * eng->ike_by_serial.nb, 4 * MANY);
	ck_assert_uint_eq(eng->ike_by_serial.n, MANY);
	for (uint32_t i = 0; i < MANY; i++) {
		cky(ic, i, 0x55);
		cky(rc, i, 0x66);
		ck_assert_ptr_eq(sa_ike_find(eng, ic, rc), sas[i]);
		ck_assert_ptr_eq(sa_ike_by_serial(eng, sas[i]->x.serial), sas[i]);
	}
	/* Delete every other SA while walking the list. */
	for (struct ike_sa *sa = eng->sas, *next; sa; sa = next) {
		next = sa->next;
		if (sa->cky_i[0] % 2)
			sa_ike_free(eng, sa);
	}
	ck_assert_uint_eq(list_len(eng), MANY / 2);
	ck_assert_uint_eq(eng->n_sas, MANY / 2);
	ck_assert_uint_eq(eng->ike_by_serial.n, MANY / 2);
	for (uint32_t i = 0; i < MANY; i++) {
		struct ike_sa *f;

		cky(ic, i, 0x55);
		cky(rc, i, 0x66);
		f = sa_ike_find(eng, ic, rc);
		if (i % 2) {
			ck_assert_ptr_null(f);
		} else {
			ck_assert_ptr_eq(f, sas[i]);
			ck_assert_ptr_eq(sa_ike_by_serial(eng, sas[i]->x.serial), sas[i]);
		}
	}
	ike_engine_free(eng); /* frees the rest */
}
END_TEST

START_TEST(test_ike_limit)
{
	struct ike_engine *eng = engine(3);
	uint8_t ic[8];
	struct ike_sa *s[3];

	for (uint32_t i = 0; i < 3; i++) {
		cky(ic, i, 1);
		s[i] = sa_ike_new(eng, 0, false, ic);
		ck_assert_ptr_nonnull(s[i]);
	}
	cky(ic, 3, 1);
	ck_assert_ptr_null(sa_ike_new(eng, 0, false, ic));
	sa_ike_free(eng, s[1]);
	ck_assert_ptr_nonnull(sa_ike_new(eng, 0, false, ic));
	ike_engine_free(eng);
}
END_TEST

START_TEST(test_established_for)
{
	struct ike_engine *eng = engine(0);
	uint8_t ic[8];
	struct ike_sa *a, *b;

	cky(ic, 1, 2);
	a = sa_ike_new(eng, 0, true, ic);
	cky(ic, 2, 2);
	b = sa_ike_new(eng, 0, false, ic);
	ck_assert_ptr_null(sa_ike_established_for(eng, 0));
	a->x.state = V1_MAIN_I4;
	ck_assert_ptr_eq(sa_ike_established_for(eng, 0), a);
	b->x.state = V1_MAIN_R3;
	ck_assert_ptr_eq(sa_ike_established_for(eng, 0), b); /* the newest */
	b->deleting = true;
	ck_assert_ptr_eq(sa_ike_established_for(eng, 0), a);
	ike_engine_free(eng);
}
END_TEST

START_TEST(test_ipsec_serial_spi)
{
	struct ike_engine *eng = engine(0);
	uint8_t ic[8];
	struct ike_sa *ike;
	struct ipsec_sa *c, *d;
	uint32_t cs;

	cky(ic, 1, 3);
	ike = sa_ike_new(eng, 0, true, ic);
	c = sa_ipsec_new(eng, ike, true);
	d = sa_ipsec_new(eng, ike, false);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(d);
	ck_assert(ike->had_qm);
	ck_assert_uint_eq(c->ike_serial, ike->x.serial);
	ck_assert_uint_ne(c->x.serial, ike->x.serial);
	ck_assert_ptr_eq(sa_ipsec_by_serial(eng, c->x.serial), c);
	ck_assert_ptr_eq(sa_ipsec_by_serial(eng, d->x.serial), d);
	/* IKE and IPsec serials are separate indexes, one counter. */
	ck_assert_ptr_null(sa_ipsec_by_serial(eng, ike->x.serial));
	ck_assert_ptr_null(sa_ike_by_serial(eng, c->x.serial));

	ck_assert_ptr_null(sa_ipsec_find_spi(eng, 0, true));
	ck_assert_int_eq(sa_ipsec_set_spi(eng, c, true, 0xc0000001), 0);
	ck_assert_int_eq(sa_ipsec_set_spi(eng, c, false, 0xd0000001), 0);
	ck_assert_int_eq(sa_ipsec_set_spi(eng, d, true, 0xd0000001), 0); /* in/out separate */
	ck_assert_ptr_eq(sa_ipsec_find_spi(eng, 0xc0000001, true), c);
	ck_assert_ptr_null(sa_ipsec_find_spi(eng, 0xc0000001, false));
	ck_assert_ptr_eq(sa_ipsec_find_spi(eng, 0xd0000001, false), c);
	ck_assert_ptr_eq(sa_ipsec_find_spi(eng, 0xd0000001, true), d);
	/* Changing an SPI moves it in the index. */
	ck_assert_int_eq(sa_ipsec_set_spi(eng, c, true, 0xc0000002), 0);
	ck_assert_ptr_null(sa_ipsec_find_spi(eng, 0xc0000001, true));
	ck_assert_ptr_eq(sa_ipsec_find_spi(eng, 0xc0000002, true), c);
	ck_assert_int_eq(sa_ipsec_set_spi(eng, c, true, 0), 0);
	ck_assert_ptr_null(sa_ipsec_find_spi(eng, 0xc0000002, true));
	ck_assert_uint_eq(eng->ipsec_by_spi_in.n, 1);

	sa_ipsec_set_msgid(eng, c, 0x1234);
	ck_assert_ptr_eq(sa_ipsec_find_msgid(eng, ike, 0x1234), c);
	ck_assert_ptr_null(sa_ipsec_find_msgid(eng, ike, 0x1235));
	ck_assert(!sa_ipsec_msgid_taken(eng, ike, c, 0x1234));
	ck_assert(sa_ipsec_msgid_taken(eng, ike, d, 0x1234));
	/* A new Message ID moves it in the index. */
	sa_ipsec_set_msgid(eng, c, 0x4321);
	ck_assert_ptr_null(sa_ipsec_find_msgid(eng, ike, 0x1234));
	ck_assert_ptr_eq(sa_ipsec_find_msgid(eng, ike, 0x4321), c);
	{
		bool inst = true;

		sa_ipsec_set_kcookie(eng, c, 77);
		sa_ipsec_set_kinstall(eng, d, 78);
		ck_assert_ptr_eq(sa_ipsec_find_kcookie(eng, 77, &inst), c);
		ck_assert(!inst);
		ck_assert_ptr_eq(sa_ipsec_find_kcookie(eng, 78, &inst), d);
		ck_assert(inst);
		ck_assert_ptr_null(sa_ipsec_find_kcookie(eng, 0, &inst));
		/* Cleared (the kernel answered): found no more. */
		sa_ipsec_set_kcookie(eng, c, 0);
		ck_assert_ptr_null(sa_ipsec_find_kcookie(eng, 77, &inst));
		sa_ipsec_set_kcookie(eng, c, 79);
		/* Out of memory once: the lookups walk and still find all. */
		eng->ids_lost = true;
		ck_assert_ptr_eq(sa_ipsec_find_kcookie(eng, 79, &inst), c);
		ck_assert_ptr_eq(sa_ipsec_find_kcookie(eng, 78, &inst), d);
		ck_assert_ptr_eq(sa_ipsec_find_msgid(eng, ike, 0x4321), c);
		eng->ids_lost = false;
	}
	/* Free: gone from every index, the IKE SA untouched. */
	cs = c->x.serial;
	sa_ipsec_free(eng, c);
	ck_assert_ptr_null(sa_ipsec_by_serial(eng, cs));
	ck_assert_ptr_null(sa_ipsec_find_spi(eng, 0xd0000001, false));
	ck_assert_ptr_eq(sa_ipsec_find_spi(eng, 0xd0000001, true), d);
	ck_assert_ptr_null(sa_ipsec_find_msgid(eng, ike, 0x1234));
	ck_assert_uint_eq(child_len(eng), 1);
	ck_assert_ptr_eq(sa_ike_by_serial(eng, ike->x.serial), ike);
	/* IPsec SAs outlive the IKE SA that negotiated them. */
	sa_ike_free(eng, ike);
	ck_assert_ptr_eq(sa_ipsec_by_serial(eng, d->x.serial), d);
	ck_assert_ptr_eq(sa_ipsec_find_spi(eng, 0xd0000001, true), d);
	ike_engine_free(eng);
}
END_TEST

START_TEST(test_ipsec_many)
{
	struct ike_engine *eng = engine(0);
	static struct ipsec_sa *c[MANY];
	uint8_t ic[8];
	struct ike_sa *ike;
	unsigned nb_first = 0;

	cky(ic, 1, 4);
	ike = sa_ike_new(eng, 0, false, ic);
	for (uint32_t i = 0; i < MANY; i++) {
		c[i] = sa_ipsec_new(eng, ike, false);
		ck_assert_ptr_nonnull(c[i]);
		/* SPIs a peer might aim at one bucket: multiples of a power of 2. */
		ck_assert_int_eq(sa_ipsec_set_spi(eng, c[i], false, (i + 1) << 16), 0);
		ck_assert_int_eq(sa_ipsec_set_spi(eng, c[i], true, 0x80000000u | i), 0);
		if (i == 0)
			nb_first = eng->ipsec_by_spi_out.nb;
	}
	ck_assert_uint_eq(child_len(eng), MANY);
	ck_assert_uint_eq(eng->n_children, MANY);
	ck_assert_uint_gt(eng->ipsec_by_spi_out.nb, nb_first);
	ck_assert_uint_ge(3 * eng->ipsec_by_spi_out.nb, 4 * MANY); /* at most 3/4 full */
	{
		/* The keyed hash spreads them: no long run of full slots
		 * (consecutive SPIs unhashed would make one run of all). */
		const struct sa_index *ix = &eng->ipsec_by_spi_out;
		unsigned longest = 0, run = 0;

		for (unsigned b = 0; b < ix->nb; b++) {
			run = ix->b[b].obj ? run + 1 : 0;
			if (run > longest)
				longest = run;
		}
		ck_assert_uint_le(longest, 256);
	}
	for (uint32_t i = 0; i < MANY; i++) {
		ck_assert_ptr_eq(sa_ipsec_find_spi(eng, (i + 1) << 16, false), c[i]);
		ck_assert_ptr_eq(sa_ipsec_find_spi(eng, 0x80000000u | i, true), c[i]);
		ck_assert_ptr_eq(sa_ipsec_by_serial(eng, c[i]->x.serial), c[i]);
	}
	/* Delete two of three while walking the list. */
	for (struct ipsec_sa *o = eng->children, *next; o; o = next) {
		next = o->next;
		if ((o->spi_in & 0xffff) % 3)
			sa_ipsec_free(eng, o);
	}
	for (uint32_t i = 0; i < MANY; i++) {
		struct ipsec_sa *f = sa_ipsec_find_spi(eng, 0x80000000u | i, true);

		if (i % 3) {
			ck_assert_ptr_null(f);
			ck_assert_ptr_null(sa_ipsec_find_spi(eng, (i + 1) << 16, false));
		} else {
			ck_assert_ptr_eq(f, c[i]);
			ck_assert_ptr_eq(sa_ipsec_by_serial(eng, c[i]->x.serial), c[i]);
		}
	}
	ck_assert_uint_eq(child_len(eng), (MANY + 2) / 3);
	ck_assert_uint_eq(eng->ipsec_by_serial.n, (MANY + 2) / 3);
	ike_engine_free(eng);
}
END_TEST

/* sa_index.c directly: equal keys newest first, also across growth. */
struct obj {
	uint32_t k;
};

static uint32_t obj_key(const void *o)
{
	return ((const struct obj *)o)->k;
}

/* The identity index: every SA of an identity, newest first, none of
 * another (among 300 SAs of 100 identities, same lengths), the same with
 * the walk it falls back to; a freed SA leaves it. */
static void set_id(struct ike_sa *sa, unsigned k)
{
	sa->peer_id.type = 2; /* ID_FQDN */
	sa->peer_id.len = (uint8_t)snprintf((char *)sa->peer_id.data, sizeof(sa->peer_id.data),
					    "rw%03u.example", k);
}

static unsigned id_count(struct ike_engine *eng, const struct ike_id *id, bool children)
{
	unsigned n = 0;
	uint32_t last = UINT32_MAX;

	if (children) {
		for (struct ipsec_sa *c = sa_ipsec_by_id_first(eng, id); c;
		     c = sa_ipsec_by_id_next(eng, c, id), n++) {
			ck_assert(c->peer_id.len == id->len &&
				  !memcmp(c->peer_id.data, id->data, id->len));
			ck_assert_uint_lt(c->x.serial, last); /* newest first */
			last = c->x.serial;
		}
		return n;
	}
	for (struct ike_sa *sa = sa_ike_by_id_first(eng, id); sa;
	     sa = sa_ike_by_id_next(eng, sa, id), n++) {
		ck_assert(sa->peer_id.len == id->len &&
			  !memcmp(sa->peer_id.data, id->data, id->len));
		ck_assert_uint_lt(sa->x.serial, last);
		last = sa->x.serial;
	}
	return n;
}

START_TEST(test_by_identity)
{
	struct ike_engine *eng = engine(0);
	struct ike_sa *sa[300], other;
	uint8_t ic[8];

	for (unsigned i = 0; i < 300; i++) {
		cky(ic, i + 1, 9);
		sa[i] = sa_ike_new(eng, 0, false, ic);
		ck_assert_ptr_nonnull(sa[i]);
		set_id(sa[i], i % 100);
		ck_assert_int_eq(sa_ike_id_index(eng, sa[i]), 0);
		if (i % 2)
			ck_assert_ptr_nonnull(sa_ipsec_new(eng, sa[i], false));
	}
	for (int lost = 0; lost < 2; lost++) {
		eng->ids_lost = lost;
		for (unsigned k = 0; k < 100; k++) {
			set_id(&other, k);
			ck_assert_uint_eq(id_count(eng, &other.peer_id, false), 3);
			/* i odd: k odd (i = k, k + 100, k + 200) has 3 children. */
			ck_assert_uint_eq(id_count(eng, &other.peer_id, true), k % 2 ? 3 : 0);
		}
		set_id(&other, 100);
		ck_assert_uint_eq(id_count(eng, &other.peer_id, false), 0);
		set_id(&other, 7);
		other.peer_id.type = 3; /* same bytes, another type */
		ck_assert_uint_eq(id_count(eng, &other.peer_id, false), 0);
	}
	eng->ids_lost = false;
	ck_assert_uint_eq(eng->ike_by_id.n, 300);
	ck_assert_int_eq(sa_ike_id_index(eng, sa[200]), 0); /* again: indexed once */
	ck_assert_uint_eq(eng->ike_by_id.n, 300);
	sa_ike_free(eng, sa[107]);
	set_id(&other, 7);
	ck_assert_uint_eq(id_count(eng, &other.peer_id, false), 2);
	ck_assert_uint_eq(eng->ike_by_id.n, 299);
	ike_engine_free(eng);
}
END_TEST

START_TEST(test_index_equal_keys_growth)
{
	struct sa_index ix;
	static struct obj o[300];

	sa_index_init(&ix, obj_key, 0x0123456789abcdefULL);
	ck_assert_ptr_null(sa_index_first(&ix, 5));
	for (unsigned i = 0; i < 300; i++) {
		o[i].k = i < 3 ? 42 : 1000 + i; /* three objects with key 42 */
		ck_assert_int_eq(sa_index_add(&ix, &o[i]), 0);
	}
	ck_assert_uint_eq(ix.n, 300);
	ck_assert_uint_ge(ix.nb, 300); /* grew 64 -> 128 -> 256 -> 512 */
	ck_assert_ptr_eq(sa_index_first(&ix, 42), &o[2]);
	ck_assert_ptr_eq(sa_index_next(&ix, &o[2], 42), &o[1]);
	ck_assert_ptr_eq(sa_index_next(&ix, &o[1], 42), &o[0]);
	ck_assert_ptr_null(sa_index_next(&ix, &o[0], 42));
	sa_index_del(&ix, &o[1]);
	ck_assert_ptr_eq(sa_index_next(&ix, &o[2], 42), &o[0]);
	sa_index_del(&ix, &o[1]); /* not indexed: nothing happens */
	ck_assert_uint_eq(ix.n, 299);
	for (unsigned i = 3; i < 300; i++)
		ck_assert_ptr_eq(sa_index_first(&ix, 1000 + i), &o[i]);
	ck_assert_ptr_null(sa_index_first(&ix, 1300));
	sa_index_free(&ix);
	ck_assert_ptr_null(sa_index_first(&ix, 42));
	sa_index_del(&ix, &o[0]); /* freed index: nothing happens */
}
END_TEST

START_TEST(test_index_dense)
{
	struct sa_index ix;
	static struct obj o[1000];

	sa_index_init_dense(&ix, obj_key);
	for (unsigned i = 0; i < 1000; i++) {
		o[i].k = 1000 + i;
		ck_assert_int_eq(sa_index_add(&ix, &o[i]), 0);
	}
	/* Consecutive serials are spread: no long run of full slots. */
	{
		unsigned longest = 0, run = 0;

		for (unsigned b = 0; b < ix.nb; b++) {
			run = ix.b[b].obj ? run + 1 : 0;
			if (run > longest)
				longest = run;
		}
		ck_assert_uint_le(longest, 100);
	}
	for (unsigned i = 0; i < 1000; i++)
		ck_assert_ptr_eq(sa_index_first(&ix, 1000 + i), &o[i]);
	sa_index_free(&ix);
}
END_TEST

/* sa_index.c against a reference (a list in insertion order): random
 * additions and removals over few keys (long runs of equal keys and of
 * neighbours, removal shifting them back), across growth; every key's
 * objects must come newest first, exactly those indexed. */
struct robj {
	uint32_t k;
	uint64_t seq; /* 0: not indexed */
};

static uint32_t robj_key(const void *o)
{
	return ((const struct robj *)o)->k;
}

static uint64_t rs = 99;

static uint64_t rnd(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void check_key(const struct sa_index *ix, struct robj *o, unsigned n, uint32_t k)
{
	uint64_t prev = UINT64_MAX;
	unsigned found = 0, want = 0;

	for (struct robj *r = sa_index_first(ix, k); r; r = sa_index_next(ix, r, k)) {
		ck_assert_uint_eq(r->k, k);
		ck_assert_uint_ne(r->seq, 0);
		ck_assert_uint_lt(r->seq, prev); /* newest first */
		prev = r->seq;
		found++;
	}
	for (unsigned i = 0; i < n; i++)
		want += o[i].seq && o[i].k == k;
	ck_assert_uint_eq(found, want);
}

START_TEST(test_index_random_vs_reference)
{
	enum {
		N = 4000,
		KEYS = 600,
		OPS = 60000
	};
	static struct robj o[N];
	struct sa_index ix;
	uint64_t seq = 0;
	unsigned live = 0;

	memset(o, 0, sizeof(o));
	sa_index_init(&ix, robj_key, 0x0123456789abcdefULL);
	for (unsigned op = 0; op < OPS; op++) {
		struct robj *r = &o[rnd() % N];

		if (!r->seq) {
			r->k = (uint32_t)(rnd() % KEYS);
			ck_assert_int_eq(sa_index_add(&ix, r), 0);
			r->seq = ++seq;
			live++;
		} else if (rnd() % 3 == 0) {
			sa_index_del(&ix, r);
			r->seq = 0;
			live--;
			sa_index_del(&ix, r); /* not indexed any more: nothing happens */
		}
		ck_assert_uint_eq(ix.n, live);
		if (op % 997 == 0)
			check_key(&ix, o, N, (uint32_t)(rnd() % KEYS));
	}
	ck_assert_uint_ge(3 * ix.nb, 4 * live);
	for (uint32_t k = 0; k < KEYS + 5; k++)
		check_key(&ix, o, N, k);
	/* Everything out again: the index is empty. */
	for (unsigned i = 0; i < N; i++)
		if (o[i].seq) {
			sa_index_del(&ix, &o[i]);
			o[i].seq = 0;
		}
	ck_assert_uint_eq(ix.n, 0);
	for (unsigned b = 0; b < ix.nb; b++)
		ck_assert_ptr_null(ix.b[b].obj);
	sa_index_free(&ix);
}
END_TEST

START_TEST(test_msgid_window)
{
	struct v1_msgid_window w;

	memset(&w, 0, sizeof(w));
	ck_assert(!sa_msgid_seen(&w, 0));
	for (uint32_t i = 1; i <= V1_INFO_SEEN; i++)
		sa_msgid_add(&w, i);
	for (uint32_t i = 1; i <= V1_INFO_SEEN; i++)
		ck_assert(sa_msgid_seen(&w, i));
	sa_msgid_add(&w, 1000); /* the oldest (1) goes */
	ck_assert(!sa_msgid_seen(&w, 1));
	ck_assert(sa_msgid_seen(&w, 2));
	ck_assert(sa_msgid_seen(&w, 1000));
}
END_TEST

START_TEST(test_xchg_tx)
{
	struct v1_xchg x;
	uint8_t a[100], b[200];

	memset(&x, 0, sizeof(x));
	memset(a, 1, sizeof(a));
	memset(b, 2, sizeof(b));
	ck_assert_int_eq(sa_xchg_tx_set(&x, a, sizeof(a)), 0);
	ck_assert_uint_eq(x.tx_len, sizeof(a));
	ck_assert_mem_eq(x.tx, a, sizeof(a));
	ck_assert_int_eq(sa_xchg_tx_set(&x, b, sizeof(b)), 0);
	ck_assert_uint_eq(x.tx_len, sizeof(b));
	ck_assert_mem_eq(x.tx, b, sizeof(b));
	ck_assert_int_eq(sa_xchg_tx_set(&x, b, 70000), -EINVAL);
	ck_assert_uint_eq(x.tx_len, sizeof(b));
	sa_xchg_tx_clear(&x);
	ck_assert_ptr_null(x.tx);
	ck_assert_uint_eq(x.tx_len, 0);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("sa_store");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ike_find_by_cookies);
	tcase_add_test(tc, test_ike_free_no_stale);
	tcase_add_test(tc, test_ike_many_and_growth);
	tcase_add_test(tc, test_ike_limit);
	tcase_add_test(tc, test_established_for);
	tcase_add_test(tc, test_ipsec_serial_spi);
	tcase_add_test(tc, test_ipsec_many);
	tcase_add_test(tc, test_by_identity);
	tcase_add_test(tc, test_index_equal_keys_growth);
	tcase_add_test(tc, test_index_dense);
	tcase_add_test(tc, test_index_random_vs_reference);
	tcase_add_test(tc, test_msgid_window);
	tcase_add_test(tc, test_xchg_tx);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(store_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
