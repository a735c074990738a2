// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Aggressive Mode with pre-shared keys (RFC 2409 s5.4, 2409-5.4.b; NAT-T
 * RFC 3947 s4, 4.k):
 *
 *   HDR, SA, KE, Ni, IDii [, VID...]            -->
 *                        <-- HDR, SA, KE, Nr, IDir, HASH_R [, VID...] [, NAT-D x2]
 *   HDR*, [NAT-D x2,] HASH_I                    -->  (UDP 4500 if NAT)
 *
 * The DH group is fixed by the first message, so every offered transform
 * should use the group of the first configured suite.
 */
#include <errno.h>
#include <string.h>

#include "ike/engine_crypto.h"
#include "ike/engine_int.h"
#include "ike/sa/ikev1_ids.h"
#include "ike/v1/ikev1_exchanges.h"
#include "ike/v1/ikev1_handlers.h"
#include "ike/ikev1_msg.h"

#define AM ISAKMP_XCHG_AGGR

enum ikev1_ret aggr_i_start(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;
	struct p1_work *w = sa->w;
	uint8_t buf[V1_BODY_MAX];
	struct isakmp_enc e;

	sa->p1 = ctx->conn->p1[0];
	v1_enc_init(&e, buf, sizeof(buf));
	if (p1_sa_add(ctx, &e) < 0 || p1_ke_nonce_add(ctx, &e) < 0 ||
	    p1_id_add(ctx, &e, w->my_id_b, &w->my_id_b_len) < 0 || p1_certreq_add(ctx, &e) < 0 ||
	    p1_vids_add(ctx, &e) < 0 || v1_send(ctx, ctx->x, AM, 0, &e, NULL) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot build AM1");
	eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_NONE, sa->x.serial,
		"%s: initiating Aggressive Mode", ctx->conn->name);
	return V1_OK;
}

enum ikev1_ret aggr_r0_recv_am1(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;
	const struct isakmp_payload *idp = isakmp_msg_find(ctx->msg, ISAKMP_NP_ID, 0);
	const struct ike_id *want = &ctx->conn->remote_id;
	uint8_t buf[V1_BODY_MAX];
	uint8_t id_b[V1_ID_BODY_MAX];
	size_t id_len;
	struct isakmp_enc e;
	enum ikev1_ret r;

	/* A replay after a crypto job keeps the cookie of the first pass. */
	if (!eng_crypto_replaying(ctx->eng))
		p1_cookie_new(ctx->eng, &sa->remote, ctx->now, sa->cky_r);
	p1_vids_take(ctx);
	v1_enc_init(&e, buf, sizeof(buf));
	r = p1_sa_select(ctx, &e);
	if (r == V1_OK)
		r = p1_ke_nonce_take(ctx);
	if (r != V1_OK)
		return r;
	/* Aggressive Mode sends the identity up front: check it before any work. */
	if (isakmp_msg_count(ctx->msg, ISAKMP_NP_ID) != 1 || idp->u.id.body_len > V1_ID_BODY_MAX ||
	    idp->u.id.len > IKE_ID_DATA_MAX)
		return ctx_fail(ctx, IKE_R_MALFORMED, ISAKMP_N_INVALID_ID_INFORMATION, "bad IDii");
	if (!ike_id_matches(want, idp->u.id.type, idp->u.id.data, idp->u.id.len))
		return ctx_fail(ctx, IKE_R_ID_MISMATCH, ISAKMP_N_INVALID_ID_INFORMATION,
				"peer identity is not the one configured for %s", ctx->conn->name);
	memcpy(sa->w->peer_id_b, idp->u.id.body, idp->u.id.body_len);
	sa->w->peer_id_b_len = idp->u.id.body_len;
	/* Only a claim until AM3 verifies it (p1_auth_verify() sets peer_id):
	 * nothing may act on this identity before that. */
	sa->w->peer_id_claim.type = idp->u.id.type;
	sa->w->peer_id_claim.len = (uint8_t)idp->u.id.len;
	memcpy(sa->w->peer_id_claim.data, idp->u.id.data, idp->u.id.len);
	if (p1_ke_nonce_add(ctx, &e) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "cannot build AM2");
	r = p1_keys_derive(ctx);
	if (r != V1_OK)
		return r;
	if (p1_id_add(ctx, &e, id_b, &id_len) < 0 ||
	    p1_auth_add(ctx, &e, false, id_b, id_len) < 0 || p1_certreq_add(ctx, &e) < 0 ||
	    p1_vids_add(ctx, &e) < 0 || p1_natd_add(ctx, &e) < 0 ||
	    v1_send(ctx, ctx->x, AM, 0, &e, NULL) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot build AM2");
	return V1_OK;
}

enum ikev1_ret aggr_i1_recv_am2(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;
	uint8_t buf[V1_BODY_MAX];
	struct isakmp_enc e;
	enum ikev1_ret r;
	bool first;

	memcpy(sa->cky_r, ctx->msg->hdr.rcookie, IKE_COOKIE_LEN);
	r = p1_sa_check(ctx);
	if (r == V1_OK && ctx->sa->p1.group != ctx->conn->p1[0].group)
		r = ctx_fail(ctx, IKE_R_NO_PROPOSAL, 0, "responder chose another DH group");
	if (r == V1_OK)
		r = p1_ke_nonce_take(ctx);
	if (r != V1_OK)
		return r;
	p1_vids_take(ctx);
	r = p1_natd_take(ctx);
	if (r == V1_OK)
		r = p1_keys_derive(ctx);
	if (r == V1_OK)
		r = p1_auth_verify(ctx, false);
	if (r != V1_OK)
		return r;
	/* RFC 3947 s4 (4.k): AM3 goes UDP(4500, 4500) when NAT was found. */
	p1_float(ctx);
	v1_enc_init(&e, buf, sizeof(buf));
	if (p1_natd_add(ctx, &e) < 0 ||
	    p1_auth_add(ctx, &e, true, sa->w->my_id_b, sa->w->my_id_b_len) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "cannot build AM3");
	memcpy(ctx->iv, sa->p1_iv, sizeof(ctx->iv));
	ctx->iv_set = true;
	if (v1_send(ctx, ctx->x, AM, 0, &e, ctx->iv) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send AM3");
	first = p1_first_contact(ctx);
	p1_established(ctx);
	/* 2407-4.6.3.a: never in Aggressive Mode itself; a separate Informational. */
	ctx->send_initial_contact = first;
	return V1_OK;
}

enum ikev1_ret aggr_r1_recv_am3(struct ikev1_ctx *ctx)
{
	enum ikev1_ret r = p1_natd_take(ctx);

	if (r == V1_OK)
		r = p1_auth_verify(ctx, true);
	if (r != V1_OK)
		return r;
	p1_follow(ctx);
	p1_notifies_take(ctx);
	p1_established(ctx);
	return V1_OK;
}
