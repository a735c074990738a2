// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Main Mode with pre-shared keys (RFC 2409 s5.4, 2409-5.4.a):
 *
 *   Initiator                         Responder
 *   HDR, SA [, VID...]          -->
 *                               <--   HDR, SA [, VID...]
 *   HDR, KE, Ni [, NAT-D x2]    -->
 *                               <--   HDR, KE, Nr [, NAT-D x2]
 *   HDR*, IDii, HASH_I [, N]    -->   (UDP 4500 + non-ESP marker if NAT)
 *                               <--   HDR*, IDir, HASH_R
 */
#include <errno.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/v1/ikev1_exchanges.h"
#include "ike/v1/ikev1_handlers.h"
#include "ike/ikev1_msg.h"

#define MM ISAKMP_XCHG_IDPROT

enum ikev1_ret main_i_start(struct ikev1_ctx *ctx)
{
	uint8_t buf[V1_BODY_MAX];
	struct isakmp_enc e;

	v1_enc_init(&e, buf, sizeof(buf));
	if (p1_sa_add(ctx, &e) < 0 || p1_vids_add(ctx, &e) < 0 ||
	    v1_send(ctx, ctx->x, MM, 0, &e, NULL) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot build MM1");
	eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_NONE, ctx->sa->x.serial,
		"%s: initiating Main Mode", ctx->conn->name);
	return V1_OK;
}

enum ikev1_ret main_i1_recv_mm2(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;
	uint8_t buf[V1_BODY_MAX];
	struct isakmp_enc e;
	enum ikev1_ret r;

	memcpy(sa->cky_r, ctx->msg->hdr.rcookie, IKE_COOKIE_LEN);
	r = p1_sa_check(ctx);
	if (r != V1_OK)
		return r;
	p1_vids_take(ctx);
	v1_enc_init(&e, buf, sizeof(buf));
	if (p1_ke_nonce_add(ctx, &e) < 0 || p1_certreq_add(ctx, &e) < 0 ||
	    p1_natd_add(ctx, &e) < 0 || v1_send(ctx, ctx->x, MM, 0, &e, NULL) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "cannot build MM3");
	return V1_OK;
}

enum ikev1_ret main_i2_recv_mm4(struct ikev1_ctx *ctx)
{
	uint8_t buf[V1_BODY_MAX];
	uint8_t id_b[V1_ID_BODY_MAX];
	size_t id_len;
	struct isakmp_enc e;
	enum ikev1_ret r;

	r = p1_ke_nonce_take(ctx);
	if (r == V1_OK)
		r = p1_natd_take(ctx);
	if (r == V1_OK)
		r = p1_keys_derive(ctx);
	if (r != V1_OK)
		return r;
	p1_float(ctx);
	v1_enc_init(&e, buf, sizeof(buf));
	if (p1_id_add(ctx, &e, id_b, &id_len) < 0 || p1_auth_add(ctx, &e, true, id_b, id_len) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "cannot build MM5");
	/* RFC 2407 4.6.3.b: INITIAL-CONTACT in a retransmitted Main Mode message. */
	if (p1_first_contact(ctx) && p1_initial_contact_add(ctx, &e) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot build MM5");
	/* 2409-B.e: the first encrypted message uses hash(g^xi | g^xr). */
	memcpy(ctx->iv, ctx->sa->p1_iv, sizeof(ctx->iv));
	ctx->iv_set = true;
	if (v1_send(ctx, ctx->x, MM, 0, &e, ctx->iv) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "cannot send MM5");
	return V1_OK;
}

enum ikev1_ret main_i3_recv_mm6(struct ikev1_ctx *ctx)
{
	enum ikev1_ret r = p1_auth_verify(ctx, false);

	if (r != V1_OK)
		return r;
	p1_notifies_take(ctx);
	p1_established(ctx);
	return V1_OK;
}

enum ikev1_ret main_r0_recv_mm1(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;
	uint8_t buf[V1_BODY_MAX];
	struct isakmp_enc e;
	enum ikev1_ret r;

	p1_cookie_new(ctx->eng, &sa->remote, ctx->now, sa->cky_r);
	p1_vids_take(ctx);
	v1_enc_init(&e, buf, sizeof(buf));
	r = p1_sa_select(ctx, &e);
	if (r != V1_OK)
		return r;
	if (p1_vids_add(ctx, &e) < 0 || v1_send(ctx, ctx->x, MM, 0, &e, NULL) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot build MM2");
	return V1_OK;
}

enum ikev1_ret main_r1_recv_mm3(struct ikev1_ctx *ctx)
{
	uint8_t buf[V1_BODY_MAX];
	struct isakmp_enc e;
	enum ikev1_ret r;

	r = p1_ke_nonce_take(ctx);
	if (r == V1_OK)
		r = p1_natd_take(ctx);
	if (r != V1_OK)
		return r;
	v1_enc_init(&e, buf, sizeof(buf));
	if (p1_ke_nonce_add(ctx, &e) < 0 || p1_certreq_add(ctx, &e) < 0 || p1_natd_add(ctx, &e) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "cannot build MM4");
	r = p1_keys_derive(ctx);
	if (r != V1_OK)
		return r;
	if (v1_send(ctx, ctx->x, MM, 0, &e, NULL) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send MM4");
	return V1_OK;
}

enum ikev1_ret main_r2_recv_mm5(struct ikev1_ctx *ctx)
{
	uint8_t buf[V1_BODY_MAX];
	uint8_t id_b[V1_ID_BODY_MAX];
	size_t id_len;
	struct isakmp_enc e;
	enum ikev1_ret r = p1_auth_verify(ctx, true);

	if (r != V1_OK)
		return r;
	/* Authenticated: now the packet's ports may be adopted (RFC 3947 4.e). */
	p1_follow(ctx);
	v1_enc_init(&e, buf, sizeof(buf));
	if (p1_id_add(ctx, &e, id_b, &id_len) < 0 ||
	    p1_auth_add(ctx, &e, false, id_b, id_len) < 0 ||
	    v1_send(ctx, ctx->x, MM, 0, &e, ctx->iv) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "cannot build MM6");
	p1_notifies_take(ctx);
	p1_established(ctx);
	return V1_OK;
}
