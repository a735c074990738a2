// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of ike/sa/proposal.c on its own: SA payloads built here with the
 * codec, decoded, and handed to the selection functions. Phase 1: the
 * first acceptable transform in the peer's order, attribute mismatches,
 * lifetimes, legacy suites only with the opt-in, unknown transforms and
 * attributes, empty and long lists, XAUTH and hybrid method numbers, the
 * initiator's check of the answer. Quick Mode: selection, lifetimes and
 * RESPONDER-LIFETIME, PFS, encapsulation, the answer and its check.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "ike/sa/proposal.h"

#define BUF 16384
#define NA  12

struct at {
	uint16_t t;
	uint32_t v;
};

struct xfd {
	uint8_t id;
	unsigned n;
	struct at a[NA];
};

/* A built and decoded SA payload; @sa points into @buf. */
struct sapl {
	uint8_t buf[BUF];
	struct isakmp_msg msg;
	struct isakmp_sa *sa;
};

static void attr_put(struct isakmp_enc *e, const struct at *a)
{
	if (a->v > UINT16_MAX) /* Life Duration: a 4-byte TLV */
		isakmp_enc_attr_uint(e, a->t, a->v);
	else
		isakmp_enc_attr_tv(e, a->t, (uint16_t)a->v);
}

/* One SA payload: @nprops proposals (protocol @proto, @spi_size bytes of
 * SPI), each with the @n transforms of @x. Return: the decode result. */
static int sa_build(struct sapl *s, uint8_t proto, uint8_t spi_size, unsigned nprops,
		    const struct xfd *x, unsigned n)
{
	static struct isakmp_enc e;
	struct isakmp_err err;
	uint8_t spi[4] = { 0x12, 0x34, 0x56, 0x78 };
	ssize_t len;

	isakmp_enc_init(&e, s->buf, sizeof(s->buf));
	isakmp_enc_sa_begin(&e, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);
	for (unsigned p = 0; p < nprops; p++) {
		isakmp_enc_prop_begin(&e, (uint8_t)(p + 1), proto, spi_size ? spi : NULL, spi_size);
		for (unsigned i = 0; i < n; i++) {
			isakmp_enc_xform_begin(&e, (uint8_t)(i + 1), x[i].id);
			for (unsigned j = 0; j < x[i].n; j++)
				attr_put(&e, &x[i].a[j]);
			isakmp_enc_xform_end(&e);
		}
		isakmp_enc_prop_end(&e);
	}
	isakmp_enc_sa_end(&e);
	len = isakmp_enc_finish(&e);
	ck_assert_int_gt(len, 0);
	memset(&s->msg, 0, sizeof(s->msg));
	if (isakmp_body_decode(ISAKMP_NP_SA, s->buf, (size_t)len, &s->msg, &err) < 0)
		return -EBADMSG;
	ck_assert_uint_eq(s->msg.npayloads, 1);
	s->sa = &s->msg.payloads[0].u.sa;
	return 0;
}

/* Decode what an encoder of ours wrote. */
static void sa_take(struct sapl *s, size_t len)
{
	struct isakmp_err err;

	memset(&s->msg, 0, sizeof(s->msg));
	ck_assert_int_eq(isakmp_body_decode(ISAKMP_NP_SA, s->buf, len, &s->msg, &err), 0);
	s->sa = &s->msg.payloads[0].u.sa;
}

static struct xfd p1x(uint16_t cipher, uint16_t bits, uint16_t hash, uint16_t auth, uint16_t group,
		      uint32_t life)
{
	struct xfd x = { .id = ISAKMP_KEY_IKE };

	x.a[x.n++] = (struct at){ ISAKMP_IKE_ENCR, cipher };
	if (bits)
		x.a[x.n++] = (struct at){ ISAKMP_IKE_KEY_LENGTH, bits };
	x.a[x.n++] = (struct at){ ISAKMP_IKE_HASH, hash };
	x.a[x.n++] = (struct at){ ISAKMP_IKE_AUTH, auth };
	x.a[x.n++] = (struct at){ ISAKMP_IKE_GROUP_DESC, group };
	if (life) {
		x.a[x.n++] = (struct at){ ISAKMP_IKE_LIFE_TYPE, ISAKMP_LIFE_SECONDS };
		x.a[x.n++] = (struct at){ ISAKMP_IKE_LIFE_DURATION, life };
	}
	return x;
}

static void conn_gw(struct ike_conn_cfg *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "gw");
	c->auth = IKE_AUTH_PSK;
	c->p1[0] = (struct ike_p1_proposal){ IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA2_256,
					     IKE_DH_MODP_2048 };
	c->p1[1] = (struct ike_p1_proposal){ IKE_CIPHER_AES_CBC, 256, IKE_HASH_SHA2_256,
					     IKE_DH_MODP_2048 };
	c->n_p1 = 2;
	c->p2[0] = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 };
	c->p2[1] = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 256, XK_AUTH_HMAC_SHA256_128 };
	c->n_p2 = 2;
	c->mode = XK_MODE_TUNNEL;
	c->ike_lifetime_s = 28800;
	c->ipsec_lifetime_s = 3600;
}

#define AES  IKE_CIPHER_AES_CBC
#define S256 IKE_HASH_SHA2_256
#define G14  IKE_DH_MODP_2048
#define PSK  ISAKMP_AUTH_PSK

START_TEST(test_p1_first_in_peer_order)
{
	static struct sapl s;
	struct ike_conn_cfg c;
	struct p1_choice ch;
	struct xfd x[3] = {
		p1x(AES, 192, S256, PSK, G14, 0), /* not ours */
		p1x(AES, 256, S256, PSK, G14, 0), /* ours, our second */
		p1x(AES, 128, S256, PSK, G14, 0), /* ours, our first */
	};

	conn_gw(&c);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, x, 3), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.xf.number, 2); /* the peer's preference wins */
	ck_assert_uint_eq(ch.p.key_bits, 256);
	ck_assert_uint_eq(ch.auth, IKE_AUTH_PSK);
	ck_assert_uint_eq(ch.prop_no, 1);
	ck_assert_uint_eq(ch.life_s, 28800); /* none offered: ours */
}
END_TEST

START_TEST(test_p1_attribute_mismatch)
{
	static struct sapl s;
	struct ike_conn_cfg c;
	struct p1_choice ch;
	struct xfd bad[] = {
		p1x(AES, 192, S256, PSK, G14, 0),		  /* key length */
		p1x(AES, 128, IKE_HASH_SHA1, PSK, G14, 0),	  /* hash */
		p1x(AES, 128, S256, PSK, 15, 0),		  /* group */
		p1x(AES, 128, S256, ISAKMP_AUTH_RSA_SIG, G14, 0), /* method */
		p1x(AES, 128, S256, PSK, 0, 0),			  /* group missing */
	};

	conn_gw(&c);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, &bad[i], 1), 0);
		ck_assert_msg(proposal_p1_select(s.sa, &c, &ch) == -ENOENT, "case %u", i);
	}
	/* Then all of them and one good one last: that one. */
	{
		struct xfd all[6];

		memcpy(all, bad, sizeof(bad));
		all[5] = p1x(AES, 128, S256, PSK, G14, 0);
		ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, all, 6), 0);
		ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
		ck_assert_uint_eq(ch.xf.number, 6);
	}
}
END_TEST

START_TEST(test_p1_lifetimes)
{
	static struct sapl s;
	struct ike_conn_cfg c;
	struct p1_choice ch;
	struct xfd x;

	conn_gw(&c);
	x = p1x(AES, 128, S256, PSK, G14, 3600); /* shorter: taken */
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.life_s, 3600);
	x = p1x(AES, 128, S256, PSK, G14, 86400); /* longer: ours */
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.life_s, 28800);
	x = p1x(AES, 128, S256, PSK, G14, 200000); /* 4-byte TLV duration */
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.life_s, 28800);
	/* Kilobytes only: parsed, not a limit in seconds. */
	x = p1x(AES, 128, S256, PSK, G14, 0);
	x.a[x.n++] = (struct at){ ISAKMP_IKE_LIFE_TYPE, ISAKMP_LIFE_KILOBYTES };
	x.a[x.n++] = (struct at){ ISAKMP_IKE_LIFE_DURATION, 1000 };
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.life_s, 28800);
}
END_TEST

START_TEST(test_p1_legacy_opt_in)
{
	static struct sapl s;
	struct ike_conn_cfg c;
	struct p1_choice ch;
	struct xfd x[2] = {
		p1x(IKE_CIPHER_3DES_CBC, 0, IKE_HASH_SHA1, PSK, IKE_DH_MODP_1024, 0),
		p1x(AES, 128, IKE_HASH_MD5, PSK, G14, 0),
	};

	conn_gw(&c);
	c.p1[0] =
		(struct ike_p1_proposal){ IKE_CIPHER_3DES_CBC, 0, IKE_HASH_SHA1, IKE_DH_MODP_1024 };
	c.p1[1] = (struct ike_p1_proposal){ AES, 128, IKE_HASH_MD5, G14 };
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, x, 2), 0);
	ck_assert_uint_eq(proposal_p1_legacy_count(s.sa), 2);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), -ENOENT);
	c.allow_legacy = true;
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.p.cipher, IKE_CIPHER_3DES_CBC);
	ck_assert_uint_eq(ch.xf.number, 1);
	/* A modern offer counts no legacy transform. */
	x[0] = p1x(AES, 128, S256, PSK, G14, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, x, 1), 0);
	ck_assert_uint_eq(proposal_p1_legacy_count(s.sa), 0);
}
END_TEST

START_TEST(test_p1_unknown)
{
	static struct sapl s;
	struct ike_conn_cfg c;
	struct p1_choice ch;
	struct xfd x[5] = {
		p1x(AES, 128, 200, PSK, G14, 0),  /* unknown hash */
		p1x(99, 128, S256, PSK, G14, 0),  /* unknown cipher */
		p1x(AES, 128, S256, PSK, 999, 0), /* unknown group */
		p1x(AES, 128, S256, PSK, G14, 0), /* plus a PRF attribute */
		p1x(AES, 128, S256, PSK, G14, 0),
	};

	x[3].a[x[3].n++] = (struct at){ ISAKMP_IKE_PRF, 1 };
	conn_gw(&c);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, x, 4), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), -ENOENT);
	ck_assert_uint_eq(proposal_p1_legacy_count(s.sa), 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, x, 5), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.xf.number, 5);
	/* A transform ID other than KEY_IKE: the codec refuses the payload
	 * before any selection (ike/wire/isakmp_sa.c). */
	x[0] = x[4];
	x[0].id = 2;
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, x, 1), -EBADMSG);
}
END_TEST

START_TEST(test_p1_empty_and_long)
{
	static struct sapl s;
	static struct xfd x[200];
	struct ike_conn_cfg c;
	struct p1_choice ch;
	int rc;

	conn_gw(&c);
	/* No transform (the encoder will not write it: by hand): the codec
	 * refuses it (BAD-PROPOSAL-SYNTAX); a decoded SA without proposals
	 * is refused by the selection itself. */
	{
		static const uint8_t empty[20] = { 0, 0, 0, 20, 0, 0, 0, 1, 0, 0,
						   0, 1, 0, 0,	0, 8, 1, 1, 0, 0 };
		struct isakmp_sa none = { .doi = ISAKMP_DOI_IPSEC,
					  .situation = ISAKMP_SIT_IDENTITY_ONLY };
		struct isakmp_err err;
		struct p2_choice ch2;
		struct p2_nat nonat = { NATT_METHOD_NONE, false };

		memcpy(s.buf, empty, sizeof(empty));
		memset(&s.msg, 0, sizeof(s.msg));
		rc = isakmp_body_decode(ISAKMP_NP_SA, s.buf, sizeof(empty), &s.msg, &err);
		ck_assert_int_lt(rc, 0);
		ck_assert_int_eq(proposal_p1_select(&none, &c, &ch), -EBADMSG);
		ck_assert_int_eq(proposal_p2_select(&none, &c, &nonat, &ch2), -EBADMSG);
		ck_assert_uint_eq(proposal_p1_legacy_count(&none), 0);
	}
	/* Two proposals in Phase 1 (2409-5.h), or another protocol. */
	x[0] = p1x(AES, 128, S256, PSK, G14, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 2, x, 1), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), -EBADMSG);
	ck_assert_uint_eq(proposal_p1_legacy_count(s.sa), 0);
	{
		struct xfd esp = { .id = ISAKMP_ESP_AES,
				   .n = 1,
				   .a = { { ISAKMP_IPSEC_ENCAP_MODE, ISAKMP_ENCAP_TUNNEL } } };

		ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &esp, 1), 0);
		ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), -EBADMSG);
	}
	/* 200 transforms, the acceptable one last. */
	for (unsigned i = 0; i < 199; i++)
		x[i] = p1x(AES, 192, S256, PSK, G14, 0);
	x[199] = p1x(AES, 128, S256, PSK, G14, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, x, 200), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.xf.number, 200);
	x[199] = x[0];
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, x, 200), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), -ENOENT);
}
END_TEST

START_TEST(test_p1_xauth_hybrid_methods)
{
	static struct sapl s;
	struct ike_conn_cfg c, cl;
	struct p1_choice ch;
	struct xfd x;
	struct isakmp_enc e;
	ssize_t len;

	conn_gw(&c);
	/* XAUTH method numbers only where XAUTH runs. */
	x = p1x(AES, 128, S256, ISAKMP_AUTH_XAUTH_INIT_PSK, G14, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), -ENOENT);
	c.xauth = IKE_CFG_SERVER;
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.auth, IKE_AUTH_PSK);
	ck_assert_uint_eq(ch.auth_wire, ISAKMP_AUTH_XAUTH_INIT_PSK);
	/* XAuthInitRSA is not PSK. */
	x = p1x(AES, 128, S256, ISAKMP_AUTH_XAUTH_INIT_RSA, G14, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), -ENOENT);
	/* Hybrid exactly where configured. */
	c.auth = IKE_AUTH_RSA_SIG;
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.auth, IKE_AUTH_RSA_SIG);
	x = p1x(AES, 128, S256, ISAKMP_AUTH_HYBRID_INIT_RSA, G14, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), -ENOENT);
	c.hybrid = true;
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.auth_wire, ISAKMP_AUTH_HYBRID_INIT_RSA);
	x = p1x(AES, 128, S256, ISAKMP_AUTH_XAUTH_INIT_RSA, G14, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ISAKMP, 0, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), -ENOENT);

	/* What a client's proposal_p1_add() says on the wire. */
	conn_gw(&cl);
	cl.xauth = IKE_CFG_CLIENT;
	isakmp_enc_init(&e, s.buf, sizeof(s.buf));
	ck_assert_int_ge(proposal_p1_add(&e, &cl), 0);
	len = isakmp_enc_finish(&e);
	sa_take(&s, (size_t)len);
	c.auth = IKE_AUTH_PSK;
	c.hybrid = false;
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.auth_wire, ISAKMP_AUTH_XAUTH_INIT_PSK);
	ck_assert_uint_eq(ch.xf.number, 1);
	cl.auth = IKE_AUTH_RSA_SIG;
	cl.hybrid = true;
	isakmp_enc_init(&e, s.buf, sizeof(s.buf));
	ck_assert_int_ge(proposal_p1_add(&e, &cl), 0);
	len = isakmp_enc_finish(&e);
	sa_take(&s, (size_t)len);
	c.auth = IKE_AUTH_RSA_SIG;
	c.hybrid = true;
	ck_assert_int_eq(proposal_p1_select(s.sa, &c, &ch), 0);
	ck_assert_uint_eq(ch.auth_wire, ISAKMP_AUTH_HYBRID_INIT_RSA);
}
END_TEST

START_TEST(test_p1_echo_and_check_reply)
{
	static struct sapl off, ans;
	struct ike_conn_cfg ini, gw;
	struct p1_choice ch, got;
	struct isakmp_enc e;
	ssize_t len;

	conn_gw(&ini);
	ini.p1[0].key_bits = 256; /* offer 256 first, then 256 again: one match */
	conn_gw(&gw);
	gw.n_p1 = 1;
	gw.p1[0].key_bits = 256;
	isakmp_enc_init(&e, off.buf, sizeof(off.buf));
	ck_assert_int_ge(proposal_p1_add(&e, &ini), 0);
	len = isakmp_enc_finish(&e);
	sa_take(&off, (size_t)len);
	ck_assert_int_eq(proposal_p1_select(off.sa, &gw, &ch), 0);
	isakmp_enc_init(&e, ans.buf, sizeof(ans.buf));
	ck_assert_int_ge(proposal_echo(&e, off.sa, &ch.prop, &ch.xf, NULL, 0), 0);
	len = isakmp_enc_finish(&e);
	sa_take(&ans, (size_t)len);
	ck_assert_int_eq(proposal_p1_check_reply(ans.sa, &ini, &got), 0);
	ck_assert_uint_eq(got.p.key_bits, 256);
	ck_assert_uint_eq(got.life_s, 28800);
	/* The whole offer back (two transforms) is not an answer. */
	ck_assert_int_eq(proposal_p1_check_reply(off.sa, &ini, &got), -EBADMSG);
	/* Nor a transform we did not offer, nor another lifetime. */
	{
		struct xfd x = p1x(AES, 192, S256, PSK, G14, 28800);

		ck_assert_int_eq(sa_build(&ans, ISAKMP_PROTO_ISAKMP, 0, 1, &x, 1), 0);
		ck_assert_int_eq(proposal_p1_check_reply(ans.sa, &ini, &got), -ENOENT);
		x = p1x(AES, 256, S256, PSK, G14, 3600);
		ck_assert_int_eq(sa_build(&ans, ISAKMP_PROTO_ISAKMP, 0, 1, &x, 1), 0);
		ck_assert_int_eq(proposal_p1_check_reply(ans.sa, &ini, &got), -ENOENT);
		x = p1x(AES, 256, S256, PSK, G14, 28800);
		ck_assert_int_eq(sa_build(&ans, ISAKMP_PROTO_ISAKMP, 0, 1, &x, 1), 0);
		ck_assert_int_eq(proposal_p1_check_reply(ans.sa, &ini, &got), 0);
	}
}
END_TEST

/* ---- Quick Mode ---- */

static struct xfd p2x(uint8_t esp, uint16_t bits, uint16_t auth, uint16_t encap, uint16_t group,
		      uint32_t life_s, uint32_t life_kb)
{
	struct xfd x = { .id = esp };

	if (life_s) {
		x.a[x.n++] = (struct at){ ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_SECONDS };
		x.a[x.n++] = (struct at){ ISAKMP_IPSEC_LIFE_DURATION, life_s };
	}
	if (life_kb) {
		x.a[x.n++] = (struct at){ ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_KILOBYTES };
		x.a[x.n++] = (struct at){ ISAKMP_IPSEC_LIFE_DURATION, life_kb };
	}
	if (group)
		x.a[x.n++] = (struct at){ ISAKMP_IPSEC_GROUP_DESC, group };
	x.a[x.n++] = (struct at){ ISAKMP_IPSEC_ENCAP_MODE, encap };
	if (auth)
		x.a[x.n++] = (struct at){ ISAKMP_IPSEC_AUTH_ALG, auth };
	if (bits)
		x.a[x.n++] = (struct at){ ISAKMP_IPSEC_KEY_LENGTH, bits };
	return x;
}

#define ESP_AES ISAKMP_ESP_AES
#define HSHA	ISAKMP_AUTH_ALG_HMAC_SHA
#define TUN	ISAKMP_ENCAP_TUNNEL

static const struct p2_nat NONAT = { NATT_METHOD_NONE, false };

START_TEST(test_p2_select)
{
	static struct sapl s;
	struct ike_conn_cfg c;
	struct p2_choice ch;
	struct xfd x[4] = {
		p2x(ESP_AES, 192, HSHA, TUN, 0, 0, 0),			   /* key length */
		p2x(ESP_AES, 128, ISAKMP_AUTH_ALG_HMAC_MD5, TUN, 0, 0, 0), /* integrity */
		p2x(ESP_AES, 256, ISAKMP_AUTH_ALG_HMAC_SHA2_256, TUN, 0, 7200, 0),
		p2x(ESP_AES, 128, HSHA, TUN, 0, 600, 0),
	};

	conn_gw(&c);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, x, 4), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), 0);
	ck_assert_uint_eq(ch.xf.number, 3); /* first acceptable in the peer's order */
	ck_assert_uint_eq(ch.p.auth, XK_AUTH_HMAC_SHA256_128);
	ck_assert_uint_eq(ch.peer_spi, 0x12345678);
	ck_assert_uint_eq(ch.life_s, 3600); /* ours, shorter */
	ck_assert_uint_eq(ch.life_offered, 7200);
	ck_assert(ch.shortened);
	ck_assert_uint_eq(ch.encap, NATT_ENCAP_TUNNEL);
	/* Without it: the fourth, whose 600 s are taken as they are. */
	x[2] = x[3];
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, x, 3), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), 0);
	ck_assert_uint_eq(ch.life_s, 600);
	ck_assert(!ch.shortened);
	/* None acceptable. */
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, x, 2), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), -ENOENT);
	/* An SPI that is not 4 bytes, or AH: nothing taken. */
	if (sa_build(&s, ISAKMP_PROTO_ESP, 0, 1, &x[2], 1) == 0) /* the codec may refuse it */
		ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), -ENOENT);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_AH, 4, 1, &x[2], 1), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), -ENOENT);
}
END_TEST

START_TEST(test_p2_lifetimes_kb)
{
	static struct sapl s;
	struct ike_conn_cfg c;
	struct p2_choice ch;
	struct xfd x;

	conn_gw(&c);
	/* Absent seconds = 28800 (2407-4.5.a): longer than ours. */
	x = p2x(ESP_AES, 128, HSHA, TUN, 0, 0, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), 0);
	ck_assert_uint_eq(ch.life_s, 3600);
	ck_assert_uint_eq(ch.life_offered, 0);
	ck_assert(ch.shortened);
	/* Kilobytes: ours when the offer has none or more. */
	c.ipsec_lifetime_kb = 5000;
	x = p2x(ESP_AES, 128, HSHA, TUN, 0, 600, 100000);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), 0);
	ck_assert_uint_eq(ch.life_kb, 5000);
	ck_assert_uint_eq(ch.life_kb_offered, 100000);
	ck_assert(ch.shortened);
	x = p2x(ESP_AES, 128, HSHA, TUN, 0, 600, 1000);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), 0);
	ck_assert_uint_eq(ch.life_kb, 1000);
	ck_assert(!ch.shortened);
	/* A repeated Life Type, or a Type without Duration: refused. */
	x = p2x(ESP_AES, 128, HSHA, TUN, 0, 600, 0);
	x.a[x.n++] = (struct at){ ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_SECONDS };
	x.a[x.n++] = (struct at){ ISAKMP_IPSEC_LIFE_DURATION, 60 };
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), -ENOENT);
	x = p2x(ESP_AES, 128, HSHA, TUN, 0, 600, 0);
	x.a[x.n++] = (struct at){ ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_KILOBYTES };
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), -ENOENT);
}
END_TEST

START_TEST(test_p2_pfs_encap_legacy)
{
	static struct sapl s;
	struct ike_conn_cfg c;
	struct p2_choice ch;
	struct xfd x;

	conn_gw(&c);
	/* We insist on PFS: an offer without is refused; with another group too. */
	c.pfs_group = G14;
	x = p2x(ESP_AES, 128, HSHA, TUN, 0, 0, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), -ENOENT);
	x = p2x(ESP_AES, 128, HSHA, TUN, 15, 0, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), -ENOENT);
	x = p2x(ESP_AES, 128, HSHA, TUN, G14, 0, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), 0);
	ck_assert_uint_eq(ch.group, G14);
	/* Without PFS configured, a legacy group only with the opt-in. */
	c.pfs_group = 0;
	x = p2x(ESP_AES, 128, HSHA, TUN, IKE_DH_MODP_1024, 0, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
	ck_assert_uint_eq(proposal_p2_legacy_count(s.sa), 1);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), -ENOENT);
	c.allow_legacy = true;
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), 0);
	c.allow_legacy = false;
	/* 3DES counts as legacy. */
	x = p2x(ISAKMP_ESP_3DES, 0, HSHA, TUN, 0, 0, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
	ck_assert_uint_eq(proposal_p2_legacy_count(s.sa), 1);
	/* Transport offered to a tunnel conn; UDP encapsulation without NAT-T. */
	x = p2x(ESP_AES, 128, HSHA, ISAKMP_ENCAP_TRANSPORT, 0, 0, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), -ENOENT);
	x = p2x(ESP_AES, 128, HSHA, ISAKMP_ENCAP_UDP_TUNNEL, 0, 0, 0);
	ck_assert_int_eq(sa_build(&s, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
	ck_assert_int_eq(proposal_p2_select(s.sa, &c, &NONAT, &ch), -ENOENT);
	{
		struct p2_nat nat = { NATT_METHOD_RFC3947, true };

		ck_assert_int_eq(proposal_p2_select(s.sa, &c, &nat, &ch), 0);
		ck_assert_uint_eq(ch.encap, NATT_ENCAP_UDP_TUNNEL);
	}
}
END_TEST

START_TEST(test_p2_offer_reply_check)
{
	static struct sapl off, ans;
	struct ike_conn_cfg ini, gw;
	struct p2_offer o;
	struct p2_choice ch, got;
	struct isakmp_enc e;
	ssize_t len;

	conn_gw(&ini);
	conn_gw(&gw);
	gw.p2[0] = gw.p2[1]; /* the gateway takes only the second suite */
	gw.n_p2 = 1;
	gw.ipsec_lifetime_s = 1800;
	o = (struct p2_offer){ .conn = &ini,
			       .spi = 0xc0ffee01,
			       .encap_value = TUN,
			       .group = 0,
			       .life_s = 3600,
			       .life_kb = 0 };
	isakmp_enc_init(&e, off.buf, sizeof(off.buf));
	ck_assert_int_ge(proposal_p2_add(&e, &o), 0);
	len = isakmp_enc_finish(&e);
	sa_take(&off, (size_t)len);
	ck_assert_int_eq(proposal_p2_select(off.sa, &gw, &NONAT, &ch), 0);
	ck_assert_uint_eq(ch.xf.number, 2);
	ck_assert_uint_eq(ch.peer_spi, 0xc0ffee01);
	ck_assert_uint_eq(ch.life_s, 1800);
	ck_assert(ch.shortened);
	/* QM2 echoes the offered values with our SPI. */
	isakmp_enc_init(&e, ans.buf, sizeof(ans.buf));
	ck_assert_int_ge(proposal_p2_reply_add(&e, &ch, 0xbeef0002), 0);
	len = isakmp_enc_finish(&e);
	sa_take(&ans, (size_t)len);
	ck_assert_int_eq(proposal_p2_check_reply(ans.sa, &o, &NONAT, &got), 0);
	ck_assert_uint_eq(got.peer_spi, 0xbeef0002);
	ck_assert_uint_eq(got.p.key_bits, 256);
	ck_assert_uint_eq(got.life_s, 3600); /* as offered: RESPONDER-LIFETIME shortens */
	/* The whole offer back (two transforms) is not an answer. */
	ck_assert_int_eq(proposal_p2_check_reply(off.sa, &o, &NONAT, &got), -EBADMSG);
	/* A changed lifetime, encapsulation or group is refused. */
	{
		struct xfd x = p2x(ESP_AES, 256, ISAKMP_AUTH_ALG_HMAC_SHA2_256, TUN, 0, 7200, 0);

		ck_assert_int_eq(sa_build(&ans, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
		ck_assert_int_eq(proposal_p2_check_reply(ans.sa, &o, &NONAT, &got), -ENOENT);
		x = p2x(ESP_AES, 256, ISAKMP_AUTH_ALG_HMAC_SHA2_256, TUN, G14, 3600, 0);
		ck_assert_int_eq(sa_build(&ans, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
		ck_assert_int_eq(proposal_p2_check_reply(ans.sa, &o, &NONAT, &got), -ENOENT);
		x = p2x(ESP_AES, 256, ISAKMP_AUTH_ALG_HMAC_SHA2_256, TUN, 0, 3600, 10);
		ck_assert_int_eq(sa_build(&ans, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
		ck_assert_int_eq(proposal_p2_check_reply(ans.sa, &o, &NONAT, &got), -ENOENT);
		x = p2x(ESP_AES, 256, ISAKMP_AUTH_ALG_HMAC_SHA2_256, TUN, 0, 1800, 0);
		ck_assert_int_eq(sa_build(&ans, ISAKMP_PROTO_ESP, 4, 1, &x, 1), 0);
		ck_assert_int_eq(proposal_p2_check_reply(ans.sa, &o, &NONAT, &got), 0);
		ck_assert_uint_eq(got.life_s, 1800);
	}
}
END_TEST

START_TEST(test_p2_responder_lifetime)
{
	uint8_t buf[64];
	struct isakmp_enc e;
	struct isakmp_notify n;
	uint32_t s = 3600, kb = 0, spi = htonl(0xabcd0001);
	ssize_t len;

	isakmp_enc_init(&e, buf, sizeof(buf));
	len = proposal_p2_lifetime_add(&e, 1200, 500);
	ck_assert_int_gt(len, 0);
	ck_assert_int_eq(proposal_p2_lifetime_parse(buf, (size_t)len, &s, &kb), 0);
	ck_assert_uint_eq(s, 1200);
	ck_assert_uint_eq(kb, 500);
	ck_assert_int_eq(proposal_p2_lifetime_parse(buf, (size_t)len - 4, &s, &kb), -EBADMSG);

	memset(&n, 0, sizeof(n));
	n.protocol = ISAKMP_PROTO_ESP;
	n.spi_size = 4;
	n.spi = (const uint8_t *)&spi;
	n.data = buf;
	n.data_len = (size_t)len;
	s = 3600;
	kb = 0;
	ck_assert_int_eq(proposal_p2_responder_lifetime(&n, 0xabcd0002, &s, &kb), 0);
	ck_assert_uint_eq(s, 3600);
	ck_assert_int_eq(proposal_p2_responder_lifetime(&n, 0xabcd0001, &s, &kb), 1);
	ck_assert_uint_eq(s, 1200);
	ck_assert_uint_eq(kb, 500);
	/* A longer value never lengthens ours. */
	s = 600;
	kb = 100;
	ck_assert_int_eq(proposal_p2_responder_lifetime(&n, 0xabcd0001, &s, &kb), 1);
	ck_assert_uint_eq(s, 600);
	ck_assert_uint_eq(kb, 100);
}
END_TEST

START_TEST(test_esp_ids)
{
	struct ike_p2_proposal p = { XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA256_128 };
	uint8_t id;
	uint16_t auth;

	ck_assert_int_eq(proposal_esp_ids(&p, &id, &auth), 0);
	ck_assert_uint_eq(id, ISAKMP_ESP_AES);
	ck_assert_uint_eq(auth, ISAKMP_AUTH_ALG_HMAC_SHA2_256);
	p = (struct ike_p2_proposal){ XK_ENC_AES_GCM_16, 128, XK_AUTH_NONE };
	ck_assert_int_eq(proposal_esp_ids(&p, &id, &auth), 0);
	ck_assert_uint_eq(id, ISAKMP_ESP_AES_GCM_16);
	ck_assert_uint_eq(auth, 0);
	p.auth = XK_AUTH_HMAC_SHA1_96; /* GCM with an integrity algorithm */
	ck_assert_int_eq(proposal_esp_ids(&p, &id, &auth), -EINVAL);
	p = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 128, XK_AUTH_NONE };
	ck_assert_int_eq(proposal_esp_ids(&p, &id, &auth), -EINVAL);
}
END_TEST

static Suite *proposal_suite(void)
{
	Suite *s = suite_create("proposal");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_p1_first_in_peer_order);
	tcase_add_test(tc, test_p1_attribute_mismatch);
	tcase_add_test(tc, test_p1_lifetimes);
	tcase_add_test(tc, test_p1_legacy_opt_in);
	tcase_add_test(tc, test_p1_unknown);
	tcase_add_test(tc, test_p1_empty_and_long);
	tcase_add_test(tc, test_p1_xauth_hybrid_methods);
	tcase_add_test(tc, test_p1_echo_and_check_reply);
	tcase_add_test(tc, test_p2_select);
	tcase_add_test(tc, test_p2_lifetimes_kb);
	tcase_add_test(tc, test_p2_pfs_encap_legacy);
	tcase_add_test(tc, test_p2_offer_reply_check);
	tcase_add_test(tc, test_p2_responder_lifetime);
	tcase_add_test(tc, test_esp_ids);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(proposal_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
