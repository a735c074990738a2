// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of ike/ikev1_msg.c on its own: v1_send() framing, padding and
 * encryption against OpenSSL's with known keys and IVs, decryption of
 * bodies that OpenSSL encrypted here (the next IV is the last ciphertext
 * block), the Phase 2 IV per Message ID, HASH(1)/(2)/(3)
 * against HMACs computed here with OpenSSL, and refusal of truncated,
 * misaligned or garbage ciphertext.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ike/ikev1_msg.h"
#include "ike/sa/sa_store.h"

#define BLK 16

static const uint8_t NI[16] = "nonce-initiator";
static const uint8_t NR[20] = "nonce-responder-1234";

static void sa_setup(struct ike_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->keys.hash = IKE_HASH_SHA2_256;
	sa->keys.cipher = IKE_CIPHER_AES_CBC;
	sa->keys.prf_len = 32;
	sa->keys.enc_key_len = 16;
	sa->keys.block_len = BLK;
	for (unsigned i = 0; i < 32; i++) {
		sa->keys.skeyid_a[i] = (uint8_t)(0xa0 + i);
		sa->keys.skeyid_d[i] = (uint8_t)(0xd0 ^ i);
		sa->keys.skeyid_e[i] = (uint8_t)(0xe0 ^ i);
	}
	for (unsigned i = 0; i < 16; i++) {
		sa->keys.enc_key[i] = (uint8_t)(0x11 * (i + 1));
		sa->p1_iv[i] = (uint8_t)(0x5a ^ i);
	}
}

/* HMAC-SHA256(SKEYID_a, parts...) computed independently of ike/crypto. */
static void hmac_parts(const struct ike_sa *sa, const uint8_t *const *p, const size_t *l, int n,
		       uint8_t out[32])
{
	uint8_t buf[4096];
	size_t len = 0;
	unsigned olen = 0;

	for (int i = 0; i < n; i++) {
		memcpy(buf + len, p[i], l[i]);
		len += l[i];
	}
	ck_assert_ptr_nonnull(HMAC(EVP_sha256(), sa->keys.skeyid_a, 32, buf, len, out, &olen));
	ck_assert_uint_eq(olen, 32);
}

static void be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static void aes_cbc(const struct ike_sa *sa, const uint8_t *iv, const uint8_t *in, size_t len,
		    uint8_t *out)
{
	EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
	int n = 0, f = 0;

	ck_assert_ptr_nonnull(cx);
	ck_assert_int_eq(EVP_EncryptInit_ex(cx, EVP_aes_128_cbc(), NULL, sa->keys.enc_key, iv), 1);
	EVP_CIPHER_CTX_set_padding(cx, 0);
	ck_assert_int_eq(EVP_EncryptUpdate(cx, out, &n, in, (int)len), 1);
	ck_assert_int_eq(EVP_EncryptFinal_ex(cx, out + n, &f), 1);
	ck_assert_uint_eq((size_t)(n + f), len);
	EVP_CIPHER_CTX_free(cx);
}

/* A body: HASH (zeroed, prf length) then NONCE(@ni), built by the codec. */
static size_t body_build(const struct ike_sa *sa, uint8_t *buf, size_t cap, ssize_t *hoff)
{
	struct isakmp_enc e;
	ssize_t n;

	v1_enc_init(&e, buf, cap);
	*hoff = v1_hash_reserve(&e, sa);
	ck_assert_int_ge(*hoff, 0);
	ck_assert_int_ge(isakmp_enc_generic(&e, ISAKMP_NP_NONCE, NI, sizeof(NI)), 0);
	n = isakmp_enc_finish(&e);
	ck_assert_int_gt(n, 0);
	return (size_t)n;
}

START_TEST(test_hash1_fill_and_check)
{
	struct ike_sa sa;
	uint8_t buf[512], want[32], mid[4];
	struct isakmp_enc e;
	struct isakmp_msg msg;
	struct isakmp_err err;
	ssize_t hoff, n;
	uint32_t msgid = 0x01020304;

	sa_setup(&sa);
	v1_enc_init(&e, buf, sizeof(buf));
	hoff = v1_hash_reserve(&e, &sa);
	ck_assert_int_eq(hoff, 0);
	ck_assert_int_ge(isakmp_enc_generic(&e, ISAKMP_NP_NONCE, NI, sizeof(NI)), 0);
	ck_assert_int_eq(v1_hash_fill(&e, hoff, &sa, 1, msgid, NULL, 0), 0);
	n = isakmp_enc_finish(&e);
	ck_assert_int_eq(n, 4 + 32 + 4 + (ssize_t)sizeof(NI));
	{
		/* HASH(1) = prf(SKEYID_a, M-ID | everything after HASH). */
		const uint8_t *p[2] = { mid, buf + 4 + 32 };
		size_t l[2] = { 4, (size_t)n - 36 };

		be32(mid, msgid);
		hmac_parts(&sa, p, l, 2, want);
	}
	ck_assert_mem_eq(buf + 4, want, 32);

	memset(&msg, 0, sizeof(msg));
	ck_assert_int_eq(isakmp_body_decode(ISAKMP_NP_HASH, buf, (size_t)n, &msg, &err), 0);
	ck_assert(v1_hash_check(&msg, &sa, 1, msgid, NULL, 0));
	ck_assert(!v1_hash_check(&msg, &sa, 1, msgid + 1, NULL, 0));	/* another M-ID */
	ck_assert(!v1_hash_check(&msg, &sa, 2, msgid, NI, sizeof(NI))); /* another kind */
	buf[n - 1] ^= 1; /* a byte of the covered payload */
	ck_assert(!v1_hash_check(&msg, &sa, 1, msgid, NULL, 0));
}
END_TEST

START_TEST(test_hash2_fill_and_check)
{
	struct ike_sa sa;
	uint8_t buf[512], want[32], mid[4];
	struct isakmp_enc e;
	struct isakmp_msg msg;
	struct isakmp_err err;
	ssize_t hoff, n;
	uint32_t msgid = 0xdeadbeef;

	sa_setup(&sa);
	v1_enc_init(&e, buf, sizeof(buf));
	hoff = v1_hash_reserve(&e, &sa);
	ck_assert_int_ge(isakmp_enc_generic(&e, ISAKMP_NP_NONCE, NR, sizeof(NR)), 0);
	ck_assert_int_eq(v1_hash_fill(&e, hoff, &sa, 2, msgid, NI, sizeof(NI)), 0);
	n = isakmp_enc_finish(&e);
	ck_assert_int_gt(n, 36);
	{
		/* HASH(2) = prf(SKEYID_a, M-ID | Ni_b | everything after HASH). */
		const uint8_t *p[3] = { mid, NI, buf + 36 };
		size_t l[3] = { 4, sizeof(NI), (size_t)n - 36 };

		be32(mid, msgid);
		hmac_parts(&sa, p, l, 3, want);
	}
	ck_assert_mem_eq(buf + 4, want, 32);
	memset(&msg, 0, sizeof(msg));
	ck_assert_int_eq(isakmp_body_decode(ISAKMP_NP_HASH, buf, (size_t)n, &msg, &err), 0);
	ck_assert(v1_hash_check(&msg, &sa, 2, msgid, NI, sizeof(NI)));
	ck_assert(!v1_hash_check(&msg, &sa, 2, msgid, NR, sizeof(NR))); /* wrong Ni_b */
	ck_assert(!v1_hash_check(&msg, &sa, 1, msgid, NULL, 0));
	/* A negative HASH offset is refused. */
	ck_assert_int_eq(v1_hash_fill(&e, -1, &sa, 2, msgid, NI, sizeof(NI)), -EINVAL);
}
END_TEST

START_TEST(test_hash_not_first)
{
	struct ike_sa sa;
	uint8_t buf[512];
	struct isakmp_enc e;
	struct isakmp_msg msg;
	struct isakmp_err err;
	static const uint8_t zero[32];
	ssize_t n;

	sa_setup(&sa);
	v1_enc_init(&e, buf, sizeof(buf));
	ck_assert_int_ge(isakmp_enc_generic(&e, ISAKMP_NP_NONCE, NI, sizeof(NI)), 0);
	ck_assert_int_ge(isakmp_enc_generic(&e, ISAKMP_NP_HASH, zero, 32), 0);
	n = isakmp_enc_finish(&e);
	memset(&msg, 0, sizeof(msg));
	ck_assert_int_eq(isakmp_body_decode(ISAKMP_NP_NONCE, buf, (size_t)n, &msg, &err), 0);
	ck_assert(!v1_hash_check(&msg, &sa, 1, 1, NULL, 0));
	/* A HASH of the wrong length is refused. */
	v1_enc_init(&e, buf, sizeof(buf));
	ck_assert_int_ge(isakmp_enc_generic(&e, ISAKMP_NP_HASH, zero, 20), 0);
	n = isakmp_enc_finish(&e);
	memset(&msg, 0, sizeof(msg));
	ck_assert_int_eq(isakmp_body_decode(ISAKMP_NP_HASH, buf, (size_t)n, &msg, &err), 0);
	ck_assert(!v1_hash_check(&msg, &sa, 1, 1, NULL, 0));
}
END_TEST

START_TEST(test_hash3)
{
	struct ike_sa sa;
	uint8_t buf[512], want[32], mid[4], zero1 = 0;
	struct isakmp_enc e;
	struct isakmp_msg msg;
	struct isakmp_err err;
	uint32_t msgid = 0x7f000001;
	ssize_t n;

	sa_setup(&sa);
	{
		/* HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b). */
		const uint8_t *p[4] = { &zero1, mid, NI, NR };
		size_t l[4] = { 1, 4, sizeof(NI), sizeof(NR) };

		be32(mid, msgid);
		hmac_parts(&sa, p, l, 4, want);
	}
	v1_enc_init(&e, buf, sizeof(buf));
	ck_assert_int_ge(isakmp_enc_generic(&e, ISAKMP_NP_HASH, want, 32), 0);
	n = isakmp_enc_finish(&e);
	memset(&msg, 0, sizeof(msg));
	ck_assert_int_eq(isakmp_body_decode(ISAKMP_NP_HASH, buf, (size_t)n, &msg, &err), 0);
	ck_assert(v1_hash3_check(&msg, &sa, msgid, NI, sizeof(NI), NR, sizeof(NR)));
	ck_assert(!v1_hash3_check(&msg, &sa, msgid, NR, sizeof(NR), NI, sizeof(NI)));
	ck_assert(!v1_hash3_check(&msg, &sa, msgid ^ 1, NI, sizeof(NI), NR, sizeof(NR)));
	/* A second payload after HASH(3) is refused. */
	v1_enc_init(&e, buf, sizeof(buf));
	ck_assert_int_ge(isakmp_enc_generic(&e, ISAKMP_NP_HASH, want, 32), 0);
	ck_assert_int_ge(isakmp_enc_generic(&e, ISAKMP_NP_NONCE, NI, sizeof(NI)), 0);
	n = isakmp_enc_finish(&e);
	memset(&msg, 0, sizeof(msg));
	ck_assert_int_eq(isakmp_body_decode(ISAKMP_NP_HASH, buf, (size_t)n, &msg, &err), 0);
	ck_assert(!v1_hash3_check(&msg, &sa, msgid, NI, sizeof(NI), NR, sizeof(NR)));
}
END_TEST

START_TEST(test_phase2_iv_per_msgid)
{
	struct ike_sa sa;
	uint8_t iv1[BLK], iv2[BLK], want[32], mid[4];
	unsigned olen = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint32_t ids[3] = { 1, 0x12345678, 0xffffffff };

	sa_setup(&sa);
	for (unsigned i = 0; i < 3; i++) {
		/* 2409-B.f: hash(last Phase 1 CBC block | M-ID), truncated. */
		be32(mid, ids[i]);
		ck_assert_int_eq(EVP_DigestInit_ex(md, EVP_sha256(), NULL), 1);
		EVP_DigestUpdate(md, sa.p1_iv, BLK);
		EVP_DigestUpdate(md, mid, 4);
		ck_assert_int_eq(EVP_DigestFinal_ex(md, want, &olen), 1);
		ck_assert_int_ge(v1_phase2_iv(&sa, ids[i], iv1), 0);
		ck_assert_mem_eq(iv1, want, BLK);
	}
	ck_assert_int_ge(v1_phase2_iv(&sa, 1, iv1), 0);
	ck_assert_int_ge(v1_phase2_iv(&sa, 2, iv2), 0);
	ck_assert(memcmp(iv1, iv2, BLK) != 0);
	EVP_MD_CTX_free(md);
}
END_TEST

/* Encrypt a framed body here, decrypt it with v1_decrypt(): payloads come
 * back, the next IV is the last ciphertext block, and a second message
 * of the same exchange decrypts with that IV (2409-B.f chaining). */
START_TEST(test_decrypt_round_trip_chain)
{
	struct ike_sa sa;
	uint8_t body[512], ct[512], plain[512], iv[BLK], next[BLK];
	struct isakmp_msg msg;
	ssize_t hoff;
	size_t n, padded;
	uint32_t msgid = 0x0badcafe;

	sa_setup(&sa);
	n = body_build(&sa, body, sizeof(body), &hoff);
	padded = (n + BLK - 1) / BLK * BLK;
	if (padded == n)
		padded += BLK;
	memset(body + n, 0, padded - n);
	body[padded - 1] = (uint8_t)(padded - n - 1); /* 2409-B.g: pad length last */
	ck_assert_int_ge(v1_phase2_iv(&sa, msgid, iv), 0);

	for (int round = 0; round < 2; round++) {
		aes_cbc(&sa, iv, body, padded, ct);
		memset(&msg, 0, sizeof(msg));
		msg.hdr.np = ISAKMP_NP_HASH;
		msg.body = ct;
		msg.body_len = padded;
		ck_assert_int_eq(v1_decrypt(&sa, &msg, plain, sizeof(plain), iv, next), 0);
		ck_assert_mem_eq(plain, body, n);
		ck_assert_uint_eq(msg.npayloads, 2);
		ck_assert_uint_eq(msg.payloads[0].type, ISAKMP_NP_HASH);
		ck_assert_uint_eq(msg.payloads[1].type, ISAKMP_NP_NONCE);
		ck_assert_mem_eq(msg.payloads[1].body, NI, sizeof(NI));
		ck_assert_mem_eq(next, ct + padded - BLK, BLK);
		memcpy(iv, next, BLK); /* the next message of this exchange */
	}
}
END_TEST

START_TEST(test_decrypt_refuses)
{
	struct ike_sa sa;
	uint8_t body[512], ct[512], plain[512], iv[BLK], next[BLK], keep[BLK];
	struct isakmp_msg msg;
	ssize_t hoff;
	size_t n, padded;

	sa_setup(&sa);
	n = body_build(&sa, body, sizeof(body), &hoff);
	padded = (n + BLK) / BLK * BLK;
	memset(body + n, 0, padded - n);
	ck_assert_int_ge(v1_phase2_iv(&sa, 9, iv), 0);
	aes_cbc(&sa, iv, body, padded, ct);
	memset(keep, 0x77, BLK);

	/* Truncated to a non-multiple of the block: refused, next IV untouched. */
	memcpy(next, keep, BLK);
	memset(&msg, 0, sizeof(msg));
	msg.hdr.np = ISAKMP_NP_HASH;
	msg.body = ct;
	msg.body_len = padded - 3;
	ck_assert_int_eq(v1_decrypt(&sa, &msg, plain, sizeof(plain), iv, next), -EBADMSG);
	ck_assert_mem_eq(next, keep, BLK);
	/* Empty. */
	msg.body_len = 0;
	ck_assert_int_eq(v1_decrypt(&sa, &msg, plain, sizeof(plain), iv, next), -EBADMSG);
	/* Larger than the scratch. */
	msg.body_len = padded;
	ck_assert_int_eq(v1_decrypt(&sa, &msg, plain, padded - BLK, iv, next), -EBADMSG);
	/* Truncated by whole blocks: the payload chain no longer fits. */
	msg.body_len = padded - 2 * BLK;
	memset(&msg.payloads, 0, sizeof(msg.payloads));
	ck_assert_int_eq(v1_decrypt(&sa, &msg, plain, sizeof(plain), iv, next), -EBADMSG);
	/* Garbage ciphertext (the wrong IV garbles the first block). */
	msg.body_len = padded;
	memset(iv, 0xee, BLK);
	ck_assert_int_eq(v1_decrypt(&sa, &msg, plain, sizeof(plain), iv, next), -EBADMSG);
	/* No keys yet (block length 0). */
	sa.keys.block_len = 0;
	ck_assert_int_eq(v1_decrypt(&sa, &msg, plain, sizeof(plain), iv, next), -EBADMSG);
}
END_TEST

START_TEST(test_decrypt_padding)
{
	struct ike_sa sa;
	static uint8_t body[1024], ct[1024], plain[1024];
	uint8_t iv[BLK], next[BLK];
	struct isakmp_msg msg;
	ssize_t hoff;
	size_t n, padded;

	sa_setup(&sa);
	n = body_build(&sa, body, sizeof(body), &hoff);
	ck_assert_int_ge(v1_phase2_iv(&sa, 5, iv), 0);
	/* 2409-B.g: up to ISAKMP_MAX_PADDING bytes after the last payload. */
	padded = (n + ISAKMP_MAX_PADDING) / BLK * BLK;
	ck_assert_uint_le(padded - n, ISAKMP_MAX_PADDING);
	memset(body + n, 0, padded - n);
	aes_cbc(&sa, iv, body, padded, ct);
	memset(&msg, 0, sizeof(msg));
	msg.hdr.np = ISAKMP_NP_HASH;
	msg.body = ct;
	msg.body_len = padded;
	ck_assert_int_eq(v1_decrypt(&sa, &msg, plain, sizeof(plain), iv, next), 0);
	ck_assert_uint_eq(msg.padding_len, padded - n);
	/* More than that is not padding: refused. */
	padded = (n + ISAKMP_MAX_PADDING + 2 * BLK) / BLK * BLK;
	ck_assert_uint_gt(padded - n, ISAKMP_MAX_PADDING);
	memset(body + n, 0, padded - n);
	aes_cbc(&sa, iv, body, padded, ct);
	memset(&msg, 0, sizeof(msg));
	msg.hdr.np = ISAKMP_NP_HASH;
	msg.body = ct;
	msg.body_len = padded;
	ck_assert_int_eq(v1_decrypt(&sa, &msg, plain, sizeof(plain), iv, next), -EBADMSG);
}
END_TEST

/* v1_send(): an engine, an IKE SA with known keys, a Quick Mode message
 * framed, padded (2409-B.g: zeros, the last byte the count before it) and
 * encrypted; the ciphertext is OpenSSL's of that plaintext, the IV becomes
 * the last ciphertext block, and v1_decrypt() gives the payloads back. */
static struct ike_engine *send_engine(struct ike_conn_cfg *c)
{
	struct ike_engine_cfg cfg = { .conns = c, .n_conns = 1 };
	struct sockaddr_in *l = (struct sockaddr_in *)&c->local;
	struct sockaddr_in *r = (struct sockaddr_in *)&c->remote;
	struct ike_engine *eng = NULL;

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "msg");
	l->sin_family = r->sin_family = AF_INET;
	l->sin_port = r->sin_port = htons(500);
	inet_pton(AF_INET, "192.0.2.1", &l->sin_addr);
	inet_pton(AF_INET, "198.51.100.2", &r->sin_addr);
	c->auth = IKE_AUTH_PSK;
	c->psk_len = 3;
	memcpy(c->psk, "key", 3);
	c->p1[0] = (struct ike_p1_proposal){ IKE_CIPHER_AES_CBC, 128, IKE_HASH_SHA2_256, 14 };
	c->n_p1 = 1;
	c->p2[0] = (struct ike_p2_proposal){ XK_ENC_AES_CBC, 128, XK_AUTH_HMAC_SHA1_96 };
	c->n_p2 = 1;
	c->mode = XK_MODE_TUNNEL;
	ck_assert_int_eq(ike_engine_new(&cfg, &eng), 0);
	return eng;
}

START_TEST(test_send_encrypt_round_trip)
{
	static struct ike_actions out;
	static uint8_t body[V1_BODY_MAX], plain[V1_BODY_MAX], want[V1_BODY_MAX], pt[V1_BODY_MAX];
	struct ike_conn_cfg c;
	struct ike_engine *eng = send_engine(&c);
	struct ike_sa keys, *sa;
	struct ikev1_ctx ctx;
	struct isakmp_enc e;
	struct isakmp_msg msg;
	struct isakmp_err err;
	uint8_t icky[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, rcky[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
	uint8_t iv[BLK], iv0[BLK], next[BLK];
	const struct ike_action *a = NULL;
	const uint8_t *wire;
	uint32_t msgid = 0x31323334;
	ssize_t hoff;
	size_t n, pad, wlen;

	sa = sa_ike_new(eng, 0, true, icky);
	ck_assert_ptr_nonnull(sa);
	memcpy(sa->cky_r, rcky, 8);
	sa_setup(&keys);
	sa->keys = keys.keys;
	memcpy(sa->p1_iv, keys.p1_iv, BLK);
	sa_ep_from_ss(&sa->local, &c.local);
	sa_ep_from_ss(&sa->remote, &c.remote);
	ike_actions_init(&out);
	memset(&ctx, 0, sizeof(ctx));
	ctx.eng = eng;
	ctx.sa = sa;
	ctx.out = &out;
	ctx.now = 1000;

	v1_enc_init(&e, body, sizeof(body));
	hoff = v1_hash_reserve(&e, sa);
	ck_assert_int_ge(isakmp_enc_generic(&e, ISAKMP_NP_NONCE, NI, sizeof(NI)), 0);
	ck_assert_int_eq(v1_hash_fill(&e, hoff, sa, 1, msgid, NULL, 0), 0);
	n = e.len;
	memcpy(plain, body, n);
	ck_assert_int_ge(v1_phase2_iv(sa, msgid, iv), 0);
	memcpy(iv0, iv, BLK);
	ck_assert_int_eq(v1_send(&ctx, NULL, ISAKMP_XCHG_QUICK, msgid, &e, iv), 0);

	for (size_t i = 0; i < out.n; i++)
		if (out.v[i].type == IKE_ACT_SEND)
			a = &out.v[i];
	ck_assert_ptr_nonnull(a);
	wire = ike_actions_data(&out, a);
	wlen = a->u.send.len;
	pad = BLK - n % BLK;
	ck_assert_uint_eq(wlen, ISAKMP_HDR_LEN + n + pad);
	memset(&msg, 0, sizeof(msg));
	ck_assert_int_eq(isakmp_msg_decode(wire, wlen, &msg, &err), 0);
	ck_assert(msg.encrypted);
	ck_assert_uint_eq(msg.hdr.flags & ISAKMP_FLAG_E, ISAKMP_FLAG_E);
	ck_assert_uint_eq(msg.hdr.flags & ISAKMP_FLAG_C, 0);
	ck_assert_uint_eq(msg.hdr.exchange, ISAKMP_XCHG_QUICK);
	ck_assert_uint_eq(msg.hdr.msgid, msgid);
	ck_assert_mem_eq(msg.hdr.icookie, icky, 8);
	ck_assert_mem_eq(msg.hdr.rcookie, rcky, 8);
	ck_assert_uint_eq(msg.body_len, n + pad);
	/* The same plaintext and padding, encrypted here. */
	memcpy(want, plain, n);
	memset(want + n, 0, pad);
	want[n + pad - 1] = (uint8_t)(pad - 1);
	aes_cbc(sa, iv0, want, n + pad, pt);
	ck_assert_mem_eq(msg.body, pt, n + pad);
	/* The next IV of the exchange is the last ciphertext block. */
	ck_assert_mem_eq(iv, msg.body + n + pad - BLK, BLK);
	/* And back. */
	ck_assert_int_eq(v1_decrypt(sa, &msg, pt, sizeof(pt), iv0, next), 0);
	ck_assert_mem_eq(pt, plain, n);
	ck_assert_mem_eq(next, iv, BLK);
	ck_assert_uint_eq(msg.npayloads, 2);
	ck_assert_uint_eq(msg.padding_len, pad);
	ck_assert(v1_hash_check(&msg, sa, 1, msgid, NULL, 0));
	/* One IV further along, the same message decrypts to garbage. */
	ck_assert(v1_decrypt(sa, &msg, pt, sizeof(pt), iv, next) != 0 ||
		  memcmp(pt, plain, BLK) != 0);
	ike_actions_wipe(&out);
	ike_engine_free(eng);
}
END_TEST

START_TEST(test_fingerprint)
{
	uint8_t a[64];

	for (unsigned i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)i;
	ck_assert_uint_eq(v1_fingerprint(a, sizeof(a)), v1_fingerprint(a, sizeof(a)));
	ck_assert_uint_ne(v1_fingerprint(a, sizeof(a)), v1_fingerprint(a, sizeof(a) - 1));
	{
		uint64_t f = v1_fingerprint(a, sizeof(a));

		a[10] ^= 0x80;
		ck_assert_uint_ne(f, v1_fingerprint(a, sizeof(a)));
	}
}
END_TEST

static Suite *msg_suite(void)
{
	Suite *s = suite_create("ikev1_msg");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_hash1_fill_and_check);
	tcase_add_test(tc, test_hash2_fill_and_check);
	tcase_add_test(tc, test_hash_not_first);
	tcase_add_test(tc, test_hash3);
	tcase_add_test(tc, test_phase2_iv_per_msgid);
	tcase_add_test(tc, test_decrypt_round_trip_chain);
	tcase_add_test(tc, test_decrypt_refuses);
	tcase_add_test(tc, test_decrypt_padding);
	tcase_add_test(tc, test_send_encrypt_round_trip);
	tcase_add_test(tc, test_fingerprint);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(msg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
