// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * XAUTH (draft-beaulieu-ike-xauth-02, draft-ietf-ipsec-isakmp-xauth-06)
 * over Transaction exchanges, both roles:
 *
 *   gateway                                         client
 *   ATTR(REQUEST: TYPE, USER_NAME, USER_PASSWORD) ->
 *                          <- ATTR(REPLY: USER_NAME="joe", USER_PASSWORD)
 *   (the caller checks the password: IKE_ACT_XAUTH_CHECK / _VERDICT;
 *    a wrong one is asked again, 3 tries by default)
 *   ATTR(SET: STATUS=OK|FAIL)                    ->
 *                                               <- ATTR(ACK)
 *
 * The gateway's verdict is final (XA6-4.c: on FAIL the IKE SA goes) and
 * logged with the user name; a password is never logged, and every copy
 * of it is wiped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/v1/ikev1_cfg.h"
#include "ike/v1/ikev1_handlers.h"
#include "ike/wire/isakmp_names.h"

/* A name or message from the peer, made printable for a log line. */
static void printable(char *dst, size_t cap, const uint8_t *src, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 1 < cap; i++)
		dst[o++] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[o] = '\0';
}

static uint32_t tries_max(const struct ikev1_ctx *ctx)
{
	return ctx->conn->xauth_tries ? ctx->conn->xauth_tries : CFG_XAUTH_TRIES;
}

/* ---- gateway ---- */

static int add_request(struct ikev1_ctx *ctx, struct v1_cfg *c, struct isakmp_enc *e)
{
	static const char again[] = "Wrong user name or password. Please try again.";

	(void)ctx;
	isakmp_enc_attr_tv(e, ISAKMP_CFG_XAUTH_TYPE, ISAKMP_XAUTH_TYPE_GENERIC);
	isakmp_enc_attr_tlv(e, ISAKMP_CFG_XAUTH_USER_NAME, NULL, 0);
	isakmp_enc_attr_tlv(e, ISAKMP_CFG_XAUTH_USER_PASSWORD, NULL, 0);
	if (c->tries > 1) /* XA6-4.2.b: shown to the user */
		isakmp_enc_attr_tlv(e, ISAKMP_CFG_XAUTH_MESSAGE, again, sizeof(again) - 1);
	return e->err;
}

enum ikev1_ret xauth_s_start(struct ikev1_ctx *ctx)
{
	struct v1_cfg *c = cfg_of(ctx);

	c->tries = 1;
	if (cfg_send(ctx, c, true, ISAKMP_CFG_REQUEST, add_request) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send the XAUTH REQUEST");
	eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_NONE, ctx->sa->x.serial,
		"%s: XAUTH: asking the peer for its user name and password", ctx->conn->name);
	return V1_OK;
}

enum ikev1_ret xauth_s1_recv_reply(struct ikev1_ctx *ctx)
{
	const struct isakmp_cfg *attr = cfg_attr(ctx);
	struct v1_cfg *c = cfg_of(ctx);
	const struct isakmp_attr *name = NULL, *pass = NULL;
	struct ike_xauth_check *chk;
	struct isakmp_attr_iter it;
	struct isakmp_attr a, na, pa;
	uint64_t v;

	/* XA6-4.a wants the REQUEST's identifier back; strongSwan sends 0 in a
	 * refusal. The M-ID and the HASH already tie the REPLY to our REQUEST. */
	if (attr->identifier != c->ident)
		eng_log(ctx->eng, ctx->out, IKE_LOG_DEBUG, IKE_R_NONE, ctx->sa->x.serial,
			"XAUTH REPLY with identifier %u, not %u: accepted", attr->identifier,
			c->ident);
	isakmp_attr_iter_init(&it, attr->attrs, attr->attrs_len);
	while (isakmp_attr_next(&it, &a)) {
		switch (a.type) {
		case ISAKMP_CFG_XAUTH_USER_NAME:
			na = a;
			name = &na;
			break;
		case ISAKMP_CFG_XAUTH_USER_PASSWORD:
			pa = a;
			pass = &pa;
			break;
		case ISAKMP_CFG_XAUTH_TYPE:
			/* XA6-4.2.a: as asked, and we ask for Generic only. */
			if (isakmp_attr_uint(&a, &v) < 0 || v != ISAKMP_XAUTH_TYPE_GENERIC)
				return ctx_ignore(ctx, IKE_R_MALFORMED,
						  "XAUTH REPLY with another XAUTH_TYPE");
			break;
		case ISAKMP_CFG_XAUTH_STATUS:
			/* XA6-4.2.d: a client that cannot answer says FAIL. */
			return ctx_fail(
				ctx, IKE_R_XAUTH_FAILED, 0,
				"the client refused to authenticate (XAUTH_STATUS in REPLY)");
		default:
			break; /* known, not asked for: not used */
		}
	}
	if (!name || !name->len || !pass || name->tv || pass->tv)
		return ctx_ignore(ctx, IKE_R_MALFORMED,
				  "XAUTH REPLY without a user name and a password");
	if (memchr(name->data, '\0', name->len))
		return ctx_ignore(ctx, IKE_R_MALFORMED, "XAUTH user name with a NUL byte");
	printable(c->user, sizeof(c->user), name->data, name->len);
	chk = eng_xauth_check(ctx->out);
	if (!chk)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "no room for the password check");
	chk->serial = ctx->sa->x.serial;
	chk->conn = ctx->sa->conn;
	memcpy(chk->user, name->data, name->len);
	chk->user[name->len] = '\0';
	memcpy(chk->pass, pass->data, pass->len);
	chk->pass_len = pass->len;
	cfg_exchange_done(c);
	eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_NONE, ctx->sa->x.serial,
		"%s: XAUTH user '%s' (try %u of %u): checking the password", ctx->conn->name,
		c->user, c->tries, tries_max(ctx));
	return V1_OK;
}

static int add_status(struct ikev1_ctx *ctx, struct v1_cfg *c, struct isakmp_enc *e)
{
	(void)ctx;
	isakmp_enc_attr_tv(e, ISAKMP_CFG_XAUTH_STATUS,
			   c->status_ok ? ISAKMP_XAUTH_STATUS_OK : ISAKMP_XAUTH_STATUS_FAIL);
	return e->err;
}

enum ikev1_ret xauth_s2_ok(struct ikev1_ctx *ctx)
{
	struct v1_cfg *c = cfg_of(ctx);

	c->status_ok = true;
	if (cfg_send(ctx, c, true, ISAKMP_CFG_SET, add_status) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send the XAUTH SET");
	eng_log(ctx->eng, ctx->out, IKE_LOG_AUDIT, IKE_R_XAUTH_OK, ctx->sa->x.serial,
		"%s: XAUTH user '%s' authenticated", ctx->conn->name, c->user);
	return V1_OK;
}

enum ikev1_ret xauth_s2_retry(struct ikev1_ctx *ctx)
{
	struct v1_cfg *c = cfg_of(ctx);

	eng_log(ctx->eng, ctx->out, IKE_LOG_AUDIT, IKE_R_XAUTH_FAILED, ctx->sa->x.serial,
		"%s: XAUTH user '%s': wrong password (try %u of %u), asking again", ctx->conn->name,
		c->user, c->tries, tries_max(ctx));
	c->tries++;
	if (cfg_send(ctx, c, true, ISAKMP_CFG_REQUEST, add_request) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send the XAUTH REQUEST");
	return V1_OK;
}

enum ikev1_ret xauth_s2_fail(struct ikev1_ctx *ctx)
{
	struct v1_cfg *c = cfg_of(ctx);

	c->status_ok = false;
	eng_log(ctx->eng, ctx->out, IKE_LOG_AUDIT, IKE_R_XAUTH_FAILED, ctx->sa->x.serial,
		"%s: XAUTH failed for user '%s' after %u tries", ctx->conn->name, c->user,
		c->tries);
	if (cfg_send(ctx, c, true, ISAKMP_CFG_SET, add_status) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send the XAUTH SET");
	return V1_OK;
}

enum ikev1_ret xauth_s3_recv_ack(struct ikev1_ctx *ctx)
{
	struct v1_cfg *c = cfg_of(ctx);

	/* XA6-4.1.d: what an ACK carries does not matter (clients echo STATUS);
	 * the M-ID and the HASH tie it to our SET, whatever its identifier. */
	cfg_exchange_done(c);
	return V1_OK;
}

enum ikev1_ret xauth_s4_recv_ack(struct ikev1_ctx *ctx)
{
	struct v1_cfg *c = cfg_of(ctx);

	cfg_exchange_done(c);
	/* XA6-4.c: failed, the Phase 1 SA is deleted immediately. */
	return ctx_fail(ctx, IKE_R_XAUTH_FAILED, 0, "XAUTH failed for user '%s'", c->user);
}

/* ---- client ---- */

enum ikev1_ret xauth_c_start(struct ikev1_ctx *ctx)
{
	(void)ctx;
	return V1_OK; /* the gateway asks */
}

static int add_reply(struct ikev1_ctx *ctx, struct v1_cfg *c, struct isakmp_enc *e)
{
	const struct ike_conn_cfg *conn = ctx->conn;

	if (c->xauth_type_sent) /* XA6-4.2.a: echoed when asked with it */
		isakmp_enc_attr_tv(e, ISAKMP_CFG_XAUTH_TYPE, c->xauth_type);
	isakmp_enc_attr_tlv(e, ISAKMP_CFG_XAUTH_USER_NAME, conn->xauth_user,
			    (uint16_t)strlen(conn->xauth_user));
	isakmp_enc_attr_tlv(e, ISAKMP_CFG_XAUTH_USER_PASSWORD, conn->xauth_pass,
			    (uint16_t)conn->xauth_pass_len);
	return e->err;
}

static int add_refusal(struct ikev1_ctx *ctx, struct v1_cfg *c, struct isakmp_enc *e)
{
	(void)ctx;
	if (c->xauth_type_sent)
		isakmp_enc_attr_tv(e, ISAKMP_CFG_XAUTH_TYPE, c->xauth_type);
	isakmp_enc_attr_tv(e, ISAKMP_CFG_XAUTH_STATUS, ISAKMP_XAUTH_STATUS_FAIL);
	return e->err;
}

enum ikev1_ret xauth_c_recv_request(struct ikev1_ctx *ctx)
{
	const struct isakmp_cfg *attr = cfg_attr(ctx);
	struct v1_cfg *c = cfg_of(ctx);
	bool want_name = false, want_pass = false, unsupported = false;
	char text[96] = "";
	struct isakmp_attr_iter it;
	struct isakmp_attr a;
	uint64_t v;

	isakmp_attr_iter_init(&it, attr->attrs, attr->attrs_len);
	c->xauth_type_sent = false;
	while (isakmp_attr_next(&it, &a)) {
		switch (a.type) {
		case ISAKMP_CFG_XAUTH_TYPE:
			c->xauth_type_sent = true;
			c->xauth_type =
				isakmp_attr_uint(&a, &v) == 0 && v <= 255 ? (uint8_t)v : 255;
			if (c->xauth_type != ISAKMP_XAUTH_TYPE_GENERIC)
				unsupported = true;
			break;
		case ISAKMP_CFG_XAUTH_USER_NAME:
			want_name = true;
			break;
		case ISAKMP_CFG_XAUTH_USER_PASSWORD:
			want_pass = true;
			break;
		case ISAKMP_CFG_XAUTH_MESSAGE:
			printable(text, sizeof(text), a.data, a.tv ? 0 : a.len);
			break;
		case ISAKMP_CFG_XAUTH_PASSCODE:
		case ISAKMP_CFG_XAUTH_CHALLENGE:
		case ISAKMP_CFG_XAUTH_NEXT_PIN:
		case ISAKMP_CFG_XAUTH_ANSWER:
			unsupported = true; /* tokens, challenges: natkeyd has a password only */
			break;
		default:
			break;
		}
	}
	if (!want_name && !want_pass && !unsupported)
		return ctx_ignore(ctx, IKE_R_MALFORMED, "XAUTH REQUEST that asks for nothing");
	if (++c->tries > CFG_CLIENT_REQS_MAX)
		return ctx_fail(ctx, IKE_R_XAUTH_FAILED, 0,
				"the gateway asked for the password %u times", c->tries - 1);
	c->ident = attr->identifier;
	if (unsupported) {
		/* XA6-3.c / 4.2.d: what we cannot answer, we refuse. */
		eng_log(ctx->eng, ctx->out, IKE_LOG_WARN, IKE_R_XAUTH_FAILED, ctx->sa->x.serial,
			"%s: the gateway asks for an XAUTH method natkeyd does not have (type %u)",
			ctx->conn->name, c->xauth_type);
		if (cfg_answer(ctx, c, ISAKMP_CFG_REPLY, add_refusal) < 0)
			return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send the XAUTH REPLY");
	} else {
		if (c->tries > 1)
			eng_log(ctx->eng, ctx->out, IKE_LOG_WARN, IKE_R_XAUTH_FAILED,
				ctx->sa->x.serial,
				"%s: the gateway asks again for the password of '%s'%s%s",
				ctx->conn->name, ctx->conn->xauth_user, text[0] ? ": " : "", text);
		if (cfg_answer(ctx, c, ISAKMP_CFG_REPLY, add_reply) < 0)
			return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send the XAUTH REPLY");
	}
	cfg_exchange_done(c);
	return V1_OK;
}

static int add_ack(struct ikev1_ctx *ctx, struct v1_cfg *c, struct isakmp_enc *e)
{
	(void)ctx;
	/* XA6-4.1.d: SHOULD be empty; strongSwan and Cisco echo STATUS and
	 * every gateway accepts it. */
	isakmp_enc_attr_tv(e, ISAKMP_CFG_XAUTH_STATUS,
			   c->status_ok ? ISAKMP_XAUTH_STATUS_OK : ISAKMP_XAUTH_STATUS_FAIL);
	return e->err;
}

enum ikev1_ret xauth_c2_recv_set(struct ikev1_ctx *ctx)
{
	const struct isakmp_cfg *attr = cfg_attr(ctx);
	struct v1_cfg *c = cfg_of(ctx);
	bool have = false;
	struct isakmp_attr_iter it;
	struct isakmp_attr a;
	uint64_t v = 0;

	isakmp_attr_iter_init(&it, attr->attrs, attr->attrs_len);
	while (isakmp_attr_next(&it, &a))
		if (a.type == ISAKMP_CFG_XAUTH_STATUS) {
			if (isakmp_attr_uint(&a, &v) < 0 || v > ISAKMP_XAUTH_STATUS_OK)
				return ctx_ignore(ctx, IKE_R_MALFORMED, "XAUTH_STATUS %llu",
						  (unsigned long long)v);
			have = true;
		}
	/* XA6-4.2.d: every SET carries the status. */
	if (!have)
		return ctx_ignore(ctx, IKE_R_MALFORMED, "XAUTH SET without XAUTH_STATUS");
	c->ident = attr->identifier;
	c->status_ok = v == ISAKMP_XAUTH_STATUS_OK;
	if (cfg_answer(ctx, c, ISAKMP_CFG_ACK, add_ack) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send the XAUTH ACK");
	cfg_exchange_done(c);
	if (!c->status_ok)
		return ctx_fail(ctx, IKE_R_XAUTH_FAILED, 0, "the gateway refused XAUTH user '%s'",
				ctx->conn->xauth_user);
	snprintf(c->user, sizeof(c->user), "%s", ctx->conn->xauth_user);
	eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_XAUTH_OK, ctx->sa->x.serial,
		"%s: XAUTH accepted for user '%s'", ctx->conn->name, c->user);
	return V1_OK;
}
