// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Framing, encryption and message hashes. The payload bytes themselves are
 * always produced and parsed by the codec (ike/isakmp_*); this file only
 * adds the header, the App. B padding and the CBC layer around them.
 */
#include "ike/ikev1_msg.h"

#include <errno.h>
#include <string.h>

#include "ike/crypto/keys.h"
#include "ike/ikev1_frag.h"
#include "ike/ikev1_states.h"

void v1_enc_init(struct isakmp_enc *e, uint8_t *buf, size_t cap)
{
	/* Leave room for one cipher block of padding (2409-B.g). */
	isakmp_enc_init(e, buf, cap - CRYPTO_BLOCK_MAX_LEN);
}

int v1_send(struct ikev1_ctx *ctx, struct v1_xchg *x, uint8_t exch, uint32_t msgid,
	    struct isakmp_enc *body, uint8_t *iv)
{
	struct ike_sa *sa = ctx->sa;
	uint8_t msg[ISAKMP_HDR_LEN + V1_BODY_MAX];
	struct isakmp_hdr hdr;
	ssize_t blen = isakmp_enc_finish(body);
	size_t len;
	int rc;

	if (blen < 0)
		return (int)blen;
	if ((size_t)blen + CRYPTO_BLOCK_MAX_LEN > V1_BODY_MAX)
		return -EMSGSIZE;
	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.icookie, sa->cky_i, IKE_COOKIE_LEN);
	memcpy(hdr.rcookie, sa->cky_r, IKE_COOKIE_LEN);
	hdr.np = isakmp_enc_first_np(body);
	hdr.version = ISAKMP_VERSION;
	hdr.exchange = exch;
	hdr.msgid = msgid;
	len = (size_t)blen;
	if (iv) {
		size_t pad = crypto_pad_len(len, sa->keys.block_len);

		/* 2409-B.g: pad to the block; the header Length includes it. */
		crypto_pad_write(body->buf + len, pad);
		len += pad;
		hdr.flags = ISAKMP_FLAG_E;
		if (ctx->commit)
			hdr.flags |= ISAKMP_FLAG_C;
		rc = crypto_cbc_encrypt(sa->keys.cipher, sa->keys.enc_key, sa->keys.enc_key_len, iv,
					body->buf, len, msg + ISAKMP_HDR_LEN, iv);
		if (rc < 0)
			return rc;
	} else {
		memcpy(msg + ISAKMP_HDR_LEN, body->buf, len);
	}
	hdr.length = (uint32_t)(ISAKMP_HDR_LEN + len);
	if (isakmp_hdr_encode(msg, sizeof(msg), &hdr) < 0)
		return -ENOSPC;
	len += ISAKMP_HDR_LEN;
	if (x) {
		rc = sa_xchg_tx_set(x, msg, len);
		if (rc < 0)
			return rc;
		if (x == ctx->x)
			ctx->sent = true;
	}
	sa->last_tx_ms = ctx->now;
	rc = ikev1_frag_send(ctx->eng, sa, msg, len, false, ctx->out);
	OPENSSL_cleanse(body->buf, len);
	return rc;
}

int v1_resend(struct ike_engine *eng, struct ike_sa *sa, const struct v1_xchg *x,
	      struct ike_actions *out)
{
	if (!x->tx)
		return -ENOENT;
	return ikev1_frag_send(eng, sa, x->tx, x->tx_len, true, out);
}

void v1_retransmit(struct ike_engine *eng, struct ike_sa *sa, struct v1_xchg *x, uint64_t now,
		   struct ike_actions *out)
{
	x->tries++;
	v1_resend(eng, sa, x, out);
	sa->last_tx_ms = now;
	/* RFC 2408 5.1: exponential backoff, capped. */
	x->rexmit_ms = x->rexmit_ms * 2 > eng->cfg.retransmit_max_ms ? eng->cfg.retransmit_max_ms
								     : x->rexmit_ms * 2;
	x->timer_at = now + x->rexmit_ms;
	eng_due(eng, x, x->timer_at);
	eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_RETRANSMIT, x->serial, "retransmission %u in %s",
		x->tries, ikev1_state_name(x->state));
}

int v1_decrypt(const struct ike_sa *sa, struct isakmp_msg *msg, uint8_t *plain, size_t cap,
	       const uint8_t *iv, uint8_t *next_iv)
{
	struct isakmp_err err;
	int rc;

	if (!sa->keys.block_len || msg->body_len == 0 || msg->body_len > cap ||
	    msg->body_len % sa->keys.block_len)
		return -EBADMSG;
	rc = crypto_cbc_decrypt(sa->keys.cipher, sa->keys.enc_key, sa->keys.enc_key_len, iv,
				msg->body, msg->body_len, plain, next_iv);
	if (rc < 0)
		return -EBADMSG;
	if (isakmp_body_decode(msg->hdr.np, plain, msg->body_len, msg, &err) < 0)
		return -EBADMSG;
	return 0;
}

ssize_t v1_hash_reserve(struct isakmp_enc *e, const struct ike_sa *sa)
{
	static const uint8_t zero[CRYPTO_HASH_MAX_LEN];

	return isakmp_enc_generic(e, ISAKMP_NP_HASH, zero, sa->keys.prf_len);
}

static int msg_hash(const struct ike_sa *sa, int kind, uint32_t msgid, const uint8_t *ni,
		    size_t ni_len, const uint8_t *after, size_t after_len, uint8_t *out)
{
	struct crypto_chunk c = CRYPTO_CHUNK(after, after_len);

	if (kind == 2)
		return keys_qm_hash2(&sa->keys, msgid, CRYPTO_CHUNK(ni, ni_len), &c, 1, out,
				     CRYPTO_HASH_MAX_LEN);
	return keys_qm_hash1(&sa->keys, msgid, &c, 1, out, CRYPTO_HASH_MAX_LEN);
}

int v1_hash_fill(struct isakmp_enc *e, ssize_t hash_off, const struct ike_sa *sa, int kind,
		 uint32_t msgid, const uint8_t *ni, size_t ni_len)
{
	size_t after = (size_t)hash_off + ISAKMP_GEN_LEN + sa->keys.prf_len;
	uint8_t h[CRYPTO_HASH_MAX_LEN];
	int n;

	if (hash_off < 0 || e->err || after > e->len)
		return -EINVAL;
	n = msg_hash(sa, kind, msgid, ni, ni_len, e->buf + after, e->len - after, h);
	if (n < 0)
		return n;
	/* The codec reserved these bytes for us (isakmp_encode.h). */
	memcpy(e->buf + hash_off + ISAKMP_GEN_LEN, h, sa->keys.prf_len);
	return 0;
}

bool v1_hash_check(const struct isakmp_msg *msg, const struct ike_sa *sa, int kind, uint32_t msgid,
		   const uint8_t *ni, size_t ni_len)
{
	const struct isakmp_payload *h, *last;
	uint8_t want[CRYPTO_HASH_MAX_LEN];
	const uint8_t *after;
	size_t after_len;

	/* 2409-5.5.b / 5.7.a: the HASH comes first. */
	if (msg->npayloads == 0 || msg->payloads[0].type != ISAKMP_NP_HASH)
		return false;
	h = &msg->payloads[0];
	if (h->body_len != sa->keys.prf_len)
		return false;
	last = &msg->payloads[msg->npayloads - 1];
	after = h->raw + h->raw_len;
	after_len = (size_t)(last->raw + last->raw_len - after);
	if (msg_hash(sa, kind, msgid, ni, ni_len, after, after_len, want) < 0)
		return false;
	return crypto_memeq(want, h->body, sa->keys.prf_len);
}

bool v1_hash3_check(const struct isakmp_msg *msg, const struct ike_sa *sa, uint32_t msgid,
		    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len)
{
	const struct isakmp_payload *h = &msg->payloads[0];
	uint8_t want[CRYPTO_HASH_MAX_LEN];
	int n;

	if (msg->npayloads != 1 || h->type != ISAKMP_NP_HASH)
		return false;
	n = keys_qm_hash3(&sa->keys, msgid, CRYPTO_CHUNK(ni, ni_len), CRYPTO_CHUNK(nr, nr_len),
			  want, sizeof(want));
	return n > 0 && h->body_len == (size_t)n && crypto_memeq(want, h->body, (size_t)n);
}

int v1_phase2_iv(const struct ike_sa *sa, uint32_t msgid, uint8_t *iv)
{
	return keys_phase2_iv(&sa->keys, sa->p1_iv, msgid, iv);
}

uint32_t v1_msgid_new(struct ike_engine *eng)
{
	uint32_t id = 0;

	while (id == 0)
		if (eng_random(eng, &id, sizeof(id)) < 0)
			return 1;
	return id;
}

uint64_t v1_fingerprint(const uint8_t *buf, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a: a collision only costs a resend */

	for (size_t i = 0; i < len; i++) {
		h ^= buf[i];
		h *= 0x100000001b3ULL;
	}
	return h ^ len;
}
