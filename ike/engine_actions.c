// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The engine's action emitters and context helpers, the innermost layer
 * every other engine file uses: append a datagram, a kernel request or a log
 * line to the caller's buffer (or the engine's backlog), draw randomness
 * from the configured source, rate limiters, kernel cookies and reqids,
 * rekey delays, and recording why a handler fails. Nothing here calls
 * another engine file (docs/architecture.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/crypto/crypto.h"
#include "ike/engine.h"
#include "ike/engine_int.h"
#include "natt/framing.h"

static bool out_full(const struct ike_actions *out, enum ike_action_type type, size_t need)
{
	/* The last slot is kept for the timer, so the caller always learns
	 * when to come back for work that did not fit. */
	if (out->n >= IKE_ACTIONS_MAX - (type == IKE_ACT_TIMER ? 0 : 1))
		return true;
	return type == IKE_ACT_SEND && out->buf_used + need > sizeof(out->buf);
}

/* A slot for one action, with @need bytes at *@data for a datagram: in the
 * caller's buffer, or at the end of the engine's backlog once that buffer is
 * full (or anything already waits: the order of actions is kept). */
struct ike_action *eng_action_add(struct ike_actions *out, enum ike_action_type type, size_t need,
				  uint8_t **data)
{
	struct eng_backlog *bl = out->backlog;
	struct ike_action *a;

	if (type != IKE_ACT_TIMER && bl && (bl->head || out_full(out, type, need))) {
		struct eng_pending *p = NULL;

		if (bl->n < ENG_BACKLOG_MAX)
			p = calloc(1, sizeof(*p) + need);
		if (!p) {
			out->dropped++;
			return NULL;
		}
		p->a.type = type;
		p->len = need;
		*bl->tail = p;
		bl->tail = &p->next;
		bl->n++;
		if (data)
			*data = p->data;
		return &p->a;
	}
	if (out_full(out, type, need)) {
		out->dropped++;
		return NULL;
	}
	a = &out->v[out->n++];
	memset(a, 0, sizeof(*a));
	a->type = type;
	if (data) {
		*data = out->buf + out->buf_used;
		a->u.send.off = out->buf_used;
		out->buf_used += need;
	}
	return a;
}

/* Hand out waiting actions, oldest first, while they fit. */
void eng_backlog_drain(struct eng_backlog *bl, struct ike_actions *out)
{
	while (bl->head && !out_full(out, bl->head->a.type, bl->head->len)) {
		struct eng_pending *p = bl->head;
		struct ike_action *a = &out->v[out->n++];

		*a = p->a;
		if (a->type == IKE_ACT_SEND) {
			memcpy(out->buf + out->buf_used, p->data, p->len);
			a->u.send.off = out->buf_used;
			out->buf_used += p->len;
		}
		bl->head = p->next;
		if (!bl->head)
			bl->tail = &bl->head;
		bl->n--;
		OPENSSL_cleanse(p, sizeof(*p) + p->len); /* kernel requests carry keys */
		free(p);
	}
}

void eng_backlog_free(struct eng_backlog *bl)
{
	while (bl->head) {
		struct eng_pending *p = bl->head;

		bl->head = p->next;
		OPENSSL_cleanse(p, sizeof(*p) + p->len);
		free(p);
	}
	bl->tail = &bl->head;
	bl->n = 0;
}

void eng_log(struct ike_engine *eng, struct ike_actions *out, enum ike_log_level level,
	     enum ike_reason reason, uint32_t serial, const char *fmt, ...)
{
	struct ike_action *a;
	va_list ap;

	if (level == IKE_LOG_DEBUG) {
		if (!eng->cfg.log_debug)
			return;
		/* Bounded like every line a peer can trigger (engine_int.h). */
		if (eng->now_ms >= eng->dlog_window_ms + 1000) {
			eng->dlog_window_ms = eng->now_ms;
			eng->dlog_count = 0;
		}
		if (eng->dlog_count >= ENG_DEBUG_PER_S) {
			eng->plog_suppressed++;
			return;
		}
		eng->dlog_count++;
	}
	a = eng_action_add(out, IKE_ACT_LOG, 0, NULL);
	if (!a)
		return;
	a->u.log.level = level;
	a->u.log.reason = reason;
	a->u.log.sa_serial = serial;
	va_start(ap, fmt);
	vsnprintf(a->u.log.text, sizeof(a->u.log.text), fmt, ap);
	va_end(ap);
}

static int send_framed(struct ike_actions *out, const union ike_ep *local,
		       const union ike_ep *remote, const uint8_t *msg, size_t len, bool marker)
{
	size_t need = len + (marker ? NATT_NON_ESP_MARKER_LEN : 0);
	struct ike_action *a;
	uint8_t *dst;

	if (need > IKE_ACTIONS_BUF) {
		out->dropped++;
		return -ENOSPC;
	}
	a = eng_action_add(out, IKE_ACT_SEND, need, &dst);
	if (!a)
		return -ENOSPC;
	if (marker) {
		if (natt_marker_prepend(dst, need, msg, len) < 0)
			need = 0; /* cannot happen (room is exact): an empty datagram */
	} else {
		memcpy(dst, msg, len);
	}
	sa_ep_to_ss(local, &a->u.send.local);
	sa_ep_to_ss(remote, &a->u.send.remote);
	a->u.send.len = need;
	return 0;
}

int eng_send(struct ike_actions *out, const union ike_ep *local, const union ike_ep *remote,
	     const uint8_t *msg, size_t len)
{
	/* RFC 3947 s4 (4.d): IKE on 4500 carries the non-ESP marker. */
	return send_framed(out, local, remote, msg, len, sa_ep_port(local) == NATT_PORT);
}

int eng_send_raw(struct ike_actions *out, const union ike_ep *local, const union ike_ep *remote,
		 const uint8_t *buf, size_t len)
{
	return send_framed(out, local, remote, buf, len, false);
}

struct ike_xauth_check *eng_xauth_check(struct ike_actions *out)
{
	struct ike_action *a = eng_action_add(out, IKE_ACT_XAUTH_CHECK, 0, NULL);

	return a ? &a->u.xauth : NULL;
}

struct ike_modecfg *eng_modecfg(struct ike_actions *out)
{
	struct ike_action *a = eng_action_add(out, IKE_ACT_MODECFG, 0, NULL);

	if (!a)
		return NULL;
	memset(&a->u.modecfg, 0, sizeof(a->u.modecfg));
	return &a->u.modecfg;
}

struct xk_req *eng_kernel(struct ike_actions *out, enum xk_req_type type)
{
	struct ike_action *a = eng_action_add(out, IKE_ACT_KERNEL, 0, NULL);

	if (!a)
		return NULL;
	a->u.kernel.type = type;
	return &a->u.kernel;
}

/* The margin used for an SA of @life_s: never more than a quarter of it, so
 * no rekey starts before half the lifetime. */
static uint64_t rekey_margin_s(const struct ike_conn_cfg *c, uint32_t life_s)
{
	return c->rekey_margin_s > life_s / 4 ? life_s / 4 : c->rekey_margin_s;
}

/* A replay after a crypto job (engine_crypto.h) draws what the previous
 * replay of its message drew, and new bytes after that, kept for the next. */
static int replay_random(struct ike_engine *eng, uint8_t *buf, size_t len)
{
	size_t have = eng->rnd.len - eng->rnd.pos;
	int rc;

	if (have >= len) {
		memcpy(buf, eng->rnd.buf + eng->rnd.pos, len);
		eng->rnd.pos += len;
		return 0;
	}
	if (have) /* cannot happen: a replay asks for what the last one asked */
		return -EIO;
	rc = eng->cfg.random ? eng->cfg.random(eng->cfg.random_arg, buf, len)
			     : crypto_random(buf, len);
	if (rc < 0)
		return rc;
	if (eng->rnd.len + len > eng->rnd.cap) {
		size_t cap = (eng->rnd.len + len) * 2;
		uint8_t *n = malloc(cap);

		if (!n)
			return -ENOMEM;
		if (eng->rnd.buf) {
			memcpy(n, eng->rnd.buf, eng->rnd.len);
			OPENSSL_cleanse(eng->rnd.buf, eng->rnd.cap);
			free(eng->rnd.buf);
		}
		eng->rnd.buf = n;
		eng->rnd.cap = cap;
	}
	memcpy(eng->rnd.buf + eng->rnd.len, buf, len);
	eng->rnd.len += len;
	eng->rnd.pos = eng->rnd.len;
	return 0;
}

int eng_random(struct ike_engine *eng, void *buf, size_t len)
{
	if (eng->cw_cur)
		return replay_random(eng, buf, len);
	if (eng->cfg.random != NULL)
		return eng->cfg.random(eng->cfg.random_arg, buf, len);
	return crypto_random(buf, len);
}

int eng_dh_generate(struct ike_engine *eng, enum ike_dh_group group, struct crypto_dh **out)
{
	return crypto_dh_generate_from(group, eng->cfg.random, eng->cfg.random_arg, out);
}

uint64_t eng_rekey_delay_ms(struct ike_engine *eng, const struct ike_conn_cfg *c, uint32_t life_s)
{
	uint64_t margin = rekey_margin_s(c, life_s), fuzz = 0;

	/* Rekey in [life - margin - fuzz, life - margin], fuzz at most the
	 * margin. The fuzz spreads tunnels that came up together. */
	if (eng_random(eng, &fuzz, sizeof(fuzz)) < 0)
		fuzz = 0;
	fuzz %= margin * (c->rekey_fuzz_pct > 100 ? 100 : c->rekey_fuzz_pct) / 100 + 1;
	return ((uint64_t)life_s - margin - fuzz) * 1000;
}

uint64_t eng_rekey_delay_responder_ms(const struct ike_conn_cfg *c, uint32_t life_s)
{
	/* Libreswan's rule for its responders: half the margin, no fuzz. */
	return (uint64_t)life_s * 1000 - rekey_margin_s(c, life_s) * 500;
}

bool eng_out_room(const struct ike_actions *out)
{
	if (out->backlog && out->backlog->head)
		return false;
	return out->n + 16 < IKE_ACTIONS_MAX && out->buf_used + 4096 <= sizeof(out->buf);
}

uint32_t eng_kcookie(struct ike_engine *eng)
{
	if (++eng->next_kcookie == 0)
		++eng->next_kcookie;
	return eng->next_kcookie;
}

bool eng_notify_allowed(struct ike_engine *eng, uint64_t now)
{
	if (now >= eng->notify_window_ms + 1000) {
		eng->notify_window_ms = now;
		eng->notify_count = 0;
	}
	if (eng->notify_count >= eng->cfg.notify_per_s)
		return false;
	eng->notify_count++;
	return true;
}

bool eng_peer_log_allowed(struct ike_engine *eng, uint64_t now)
{
	if (now >= eng->plog_window_ms + 1000) {
		eng->plog_window_ms = now;
		eng->plog_count = 0;
	}
	if (eng->plog_count < 20) {
		eng->plog_count++;
		return true;
	}
	eng->plog_suppressed++;
	return false;
}

uint32_t eng_reqid(const struct ike_engine *eng, unsigned conn)
{
	if (eng->conns[conn].reqid)
		return eng->conns[conn].reqid;
	return XK_REQID_MIN + conn;
}

enum ikev1_ret ctx_fail(struct ikev1_ctx *ctx, enum ike_reason reason, uint16_t notify,
			const char *fmt, ...)
{
	va_list ap;

	ctx->reason = reason;
	ctx->notify = notify;
	va_start(ap, fmt);
	vsnprintf(ctx->why, sizeof(ctx->why), fmt, ap);
	va_end(ap);
	return V1_FAIL;
}

enum ikev1_ret ctx_ignore(struct ikev1_ctx *ctx, enum ike_reason reason, const char *fmt, ...)
{
	va_list ap;

	ctx->reason = reason;
	va_start(ap, fmt);
	vsnprintf(ctx->why, sizeof(ctx->why), fmt, ap);
	va_end(ap);
	return V1_IGNORE;
}
