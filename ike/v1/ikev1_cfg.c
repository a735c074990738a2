// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Transaction exchange (ISAKMP exchange type 6) between Phase 1 and
 * Quick Mode: what the dispatcher calls, and the plumbing ikev1_xauth.c and
 * ikev1_modecfg.c share. See ikev1_cfg.h.
 *
 * Every message is HDR*, HASH, ATTR with HASH = prf(SKEYID_a, M-ID | ATTR)
 * (draft-dukes-ike-mode-cfg-02 s3.1, the HASH(1) of an Informational), and
 * is encrypted with the IV of its own M-ID (RFC 2409 App. B), chained
 * within an exchange. Nothing here runs before Phase 1 is authenticated.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/v1/ikev1_cfg.h"
#include "ike/v1/ikev1_exchanges.h"
#include "ike/ikev1_msg.h"
#include "ike/wire/isakmp_names.h"

/* ---- configuration and pools ---- */

int cfg_conn_check(const struct ike_conn_cfg *c)
{
	if (c->xauth > IKE_CFG_CLIENT || c->modecfg > IKE_CFG_CLIENT)
		return -EINVAL;
	if (c->xauth == IKE_CFG_CLIENT &&
	    (!c->xauth_user[0] || memchr(c->xauth_user, '\0', sizeof(c->xauth_user)) == NULL ||
	     !c->xauth_pass_len || c->xauth_pass_len > IKE_XAUTH_PASS_MAX))
		return -EINVAL;
	/* A pool of IPv4 (INTERNAL_IP4_ADDRESS) or IPv6 (INTERNAL_IP6_ADDRESS)
	 * addresses. */
	if (c->modecfg == IKE_CFG_SERVER &&
	    ((c->pool_first.family != XK_AF_INET && c->pool_first.family != XK_AF_INET6) ||
	     !c->pool_size || c->pool_size > POOL_SIZE_MAX))
		return -EINVAL;
	if (c->modecfg == IKE_CFG_CLIENT && c->pool_size && c->pool_first.family != XK_AF_INET)
		return -EINVAL;
	if (c->n_dns > IKE_MODECFG_DNS_MAX)
		return -EINVAL;
	for (unsigned i = 0; i < c->n_dns; i++)
		if (c->dns[i].family != XK_AF_INET)
			return -EINVAL;
	if (!memchr(c->domain, '\0', sizeof(c->domain)) ||
	    !memchr(c->banner, '\0', sizeof(c->banner)))
		return -EINVAL;
	if (c->modecfg != IKE_CFG_NONE && c->mode != XK_MODE_TUNNEL)
		return -EINVAL;
	return 0;
}

static struct pool_addr pool_addr_of(const struct xk_addr *a)
{
	struct pool_addr p;

	memset(&p, 0, sizeof(p));
	p.family = a->family;
	memcpy(p.bytes, a->bytes, sizeof(p.bytes));
	return p;
}

int cfg_engine_init(struct ike_engine *eng)
{
	struct cfg_pools *ps;
	size_t n = eng->cfg.n_conns;

	ps = calloc(1, sizeof(*ps));
	if (!ps)
		return -ENOMEM;
	eng->pools = ps;
	if (!n)
		return 0;
	ps->by_conn = calloc(n, sizeof(*ps->by_conn));
	ps->all = calloc(n, sizeof(*ps->all));
	if (!ps->by_conn || !ps->all)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct ike_conn_cfg *c = &eng->conns[i];
		struct pool_addr first;

		if (c->modecfg != IKE_CFG_SERVER)
			continue;
		/* strongSwan: conns that name the same range share one pool. */
		for (size_t j = 0; j < i; j++) {
			const struct ike_conn_cfg *o = &eng->conns[j];

			if (ps->by_conn[j] && o->pool_size == c->pool_size &&
			    !memcmp(&o->pool_first, &c->pool_first, sizeof(c->pool_first))) {
				ps->by_conn[i] = ps->by_conn[j];
				break;
			}
		}
		if (ps->by_conn[i])
			continue;
		first = pool_addr_of(&c->pool_first);
		ps->by_conn[i] = pool_create(&first, c->pool_size);
		if (!ps->by_conn[i])
			return -ENOMEM;
		ps->all[ps->n++] = ps->by_conn[i];
	}
	return 0;
}

void cfg_engine_free(struct ike_engine *eng)
{
	struct cfg_pools *ps = eng->pools;

	if (!ps)
		return;
	for (size_t i = 0; i < ps->n; i++)
		pool_free(ps->all[i]);
	free(ps->all);
	free(ps->by_conn);
	free(ps);
	eng->pools = NULL;
}

struct pool *cfg_pool_of(const struct ike_engine *eng, unsigned conn)
{
	if (!eng->pools || !eng->pools->by_conn || conn >= eng->cfg.n_conns)
		return NULL;
	return eng->pools->by_conn[conn];
}

/* ---- conversations ---- */

struct v1_cfg *cfg_new(struct ike_engine *eng, struct ike_sa *sa, bool server)
{
	struct v1_cfg *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->server = server;
	c->x.state = V1_NONE;
	c->x.serial = sa->x.serial; /* logs name the IKE SA */
	c->x.timer_at = V1_NO_TIMER;
	c->x.th_at = V1_NO_TIMER;
	c->x.cfg = true; /* its deadlines are its IKE SA's (eng_due()) */
	if (eng_random(eng, &c->ident, sizeof(c->ident)) < 0)
		c->ident = 1;
	return c;
}

static void cfg_free_one(struct ike_engine *eng, struct v1_cfg *c)
{
	if (!c)
		return;
	/* The tunnel is gone: the address goes offline, still remembered for
	 * its owner (ike/sa/pool.h). */
	if (c->leased && c->pool)
		(void)pool_release(c->pool, &c->vip);
	(void)eng;
	sa_xchg_tx_clear(&c->x);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

void cfg_sa_free(struct ike_engine *eng, struct ike_sa *sa)
{
	cfg_free_one(eng, sa->xauth);
	cfg_free_one(eng, sa->mcfg);
	sa->xauth = sa->mcfg = NULL;
}

struct v1_cfg *cfg_of(const struct ikev1_ctx *ctx)
{
	if (ctx->sa->xauth && ctx->x == &ctx->sa->xauth->x)
		return ctx->sa->xauth;
	return ctx->sa->mcfg;
}

const struct isakmp_cfg *cfg_attr(const struct ikev1_ctx *ctx)
{
	for (unsigned i = 0; ctx->msg && i < ctx->msg->npayloads; i++)
		if (ctx->msg->payloads[i].type == ISAKMP_NP_ATTR)
			return &ctx->msg->payloads[i].u.cfg;
	return NULL;
}

void cfg_client_report(struct ike_engine *eng, struct ike_sa *sa, struct ike_actions *out, bool up)
{
	const struct v1_cfg *c = sa->mcfg;
	struct ike_modecfg *m;

	(void)eng;
	if (!out || !c || c->server || !c->have_vip || (!up && !c->reported))
		return;
	sa->mcfg->reported = up;
	m = eng_modecfg(out);
	if (!m)
		return;
	m->serial = sa->x.serial;
	m->conn = sa->conn;
	m->up = up;
	m->addr.family = XK_AF_INET;
	memcpy(m->addr.bytes, c->vip.bytes, 4);
	m->plen = c->plen;
	m->n_dns = c->n_dns;
	memcpy(m->dns, c->dns, sizeof(m->dns));
	m->n_split = c->n_split;
	memcpy(m->split, c->split, sizeof(m->split));
	memcpy(m->domain, c->domain, sizeof(m->domain));
}

void cfg_client_gone(struct ike_engine *eng, struct ike_sa *sa, struct ike_actions *out)
{
	cfg_client_report(eng, sa, out, false);
}

const char *cfg_user(const struct ike_sa *sa)
{
	return sa->xauth && sa->xauth->x.state == V1_XAUTH_DONE ? sa->xauth->user : "";
}

const struct pool_addr *cfg_vip(const struct ike_sa *sa)
{
	if (sa->mcfg && (sa->mcfg->leased || sa->mcfg->have_vip))
		return &sa->mcfg->vip;
	return NULL;
}

/* Failures during an event whose caller still holds @sa (the Phase 1 hook)
 * are carried out by the timer, at once. */
void cfg_doom(struct ike_engine *eng, struct v1_cfg *c, uint64_t now)
{
	c->doomed = true;
	c->x.timer_at = now;
	eng_due(eng, &c->x, now);
}

/* Ask the dispatcher to run @input on conversation @c of @sa. */
static void cfg_ask(struct cfg_step *step, struct ike_sa *sa, struct v1_cfg *c,
		    enum ikev1_input input)
{
	step->sa = sa;
	step->c = c;
	step->input = input;
}

void cfg_exchange_done(struct v1_cfg *c)
{
	if (c->msgid)
		sa_msgid_add(&c->done, c->msgid);
}

static bool cfg_is_done(const struct v1_cfg *c)
{
	return !c || c->x.state == V1_XAUTH_DONE || c->x.state == V1_MCFG_DONE;
}

bool cfg_blocks_quick(const struct ike_sa *sa)
{
	return !cfg_is_done(sa->xauth) || !cfg_is_done(sa->mcfg);
}

bool cfg_phase1_done(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		     struct ike_actions *out, struct cfg_step *step)
{
	const struct ike_conn_cfg *conn = &eng->conns[sa->conn];
	struct v1_cfg *c;

	if (conn->xauth == IKE_CFG_NONE)
		return cfg_mcfg_start(eng, sa, now, out, step);
	/* An INITIAL-CONTACT may have created it already. */
	c = sa->xauth ? sa->xauth : cfg_new(eng, sa, conn->xauth == IKE_CFG_SERVER);
	if (!c) {
		eng_log(eng, out, IKE_LOG_WARN, IKE_R_RESOURCE, sa->x.serial,
			"%s: out of memory for XAUTH", conn->name);
		sa->expire_at = now; /* the IKE SA cannot go on without it */
		eng_due(eng, &sa->x, now);
		return true;
	}
	sa->xauth = c;
	cfg_ask(step, sa, c,
		conn->xauth == IKE_CFG_SERVER ? V1_IN_START_XAUTH_S : V1_IN_START_XAUTH_C);
	return true;
}

bool cfg_mcfg_start(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		    struct ike_actions *out, struct cfg_step *step)
{
	const struct ike_conn_cfg *conn = &eng->conns[sa->conn];
	enum ikev1_input in;
	struct v1_cfg *c;

	if (conn->modecfg == IKE_CFG_NONE || sa->mcfg)
		return false;
	c = cfg_new(eng, sa, conn->modecfg == IKE_CFG_SERVER);
	if (!c) {
		eng_log(eng, out, IKE_LOG_WARN, IKE_R_RESOURCE, sa->x.serial,
			"%s: out of memory for Mode Config", conn->name);
		sa->expire_at = now;
		eng_due(eng, &sa->x, now);
		return true;
	}
	sa->mcfg = c;
	if (c->server)
		in = conn->modecfg_push ? V1_IN_START_MCFG_SPUSH : V1_IN_START_MCFG_SPULL;
	else
		in = conn->modecfg_push ? V1_IN_START_MCFG_CPUSH : V1_IN_START_MCFG_CPULL;
	cfg_ask(step, sa, c, in);
	return true;
}

bool cfg_initial_contact_defer(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
			       struct ike_actions *out)
{
	(void)now;
	if (eng->conns[sa->conn].xauth != IKE_CFG_SERVER)
		return false;
	if (!sa->xauth)
		sa->xauth = cfg_new(eng, sa, true);
	if (!sa->xauth)
		return true; /* out of memory: the IKE SA fails in cfg_phase1_done() */
	sa->xauth->ic_pending = true;
	eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_INITIAL_CONTACT, sa->x.serial,
		"INITIAL-CONTACT waits for the XAUTH user (the identity is a group's)");
	return true;
}

/* INITIAL-CONTACT of an XAUTH user: its older IKE SAs and their tunnels. */
static void cfg_initial_contact_apply(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
				      struct ike_actions *out)
{
	unsigned n = 0;
	bool again = true;

	sa->xauth->ic_pending = false;
	while (again) {
		again = false;
		for (struct ike_sa *o = eng->sas; o; o = o->next) {
			if (o == sa || o->conn != sa->conn || o->x.serial >= sa->x.serial ||
			    !o->xauth || o->xauth->x.state != V1_XAUTH_DONE ||
			    strcmp(o->xauth->user, sa->xauth->user))
				continue;
			/* The peer lost its state: no Delete to send it. */
			ikev1_peer_delete(eng, o, false, true, now, out);
			n++;
			again = true;
			break;
		}
	}
	eng_log(eng, out, IKE_LOG_INFO, IKE_R_INITIAL_CONTACT, sa->x.serial,
		"INITIAL-CONTACT: removed %u older IKE SA(s) of XAUTH user '%s' and their tunnels",
		n, sa->xauth->user);
}

bool cfg_after(struct ike_engine *eng, struct ike_sa *sa, uint64_t now, struct ike_actions *out,
	       struct cfg_step *step)
{
	struct v1_cfg *last;

	if (sa->xauth && sa->xauth->x.state == V1_XAUTH_DONE && sa->xauth->ic_pending)
		cfg_initial_contact_apply(eng, sa, now, out);
	if (sa->xauth && sa->xauth->x.state == V1_XAUTH_DONE && !sa->mcfg &&
	    cfg_mcfg_start(eng, sa, now, out, step))
		return false;
	last = sa->mcfg ? sa->mcfg : sa->xauth;
	if (cfg_blocks_quick(sa) || !sa->initiator || !last || last->quick_started)
		return false;
	/* Everything done: the initiator owes its Quick Mode, once. */
	last->quick_started = true;
	return true;
}

void cfg_failed(struct ike_engine *eng, struct ike_sa *sa, uint64_t now, struct ike_actions *out)
{
	/* XA6-4.c / 4.e: the IKE SA at once, and whatever this peer had. */
	ikev1_peer_delete(eng, sa, true, true, now, out);
}

void cfg_xauth_verdict(struct ike_engine *eng, uint32_t serial, bool ok, struct ike_actions *out,
		       struct cfg_step *step)
{
	struct ike_sa *sa = sa_ike_by_serial(eng, serial);
	const struct ike_conn_cfg *conn;
	struct v1_cfg *c;
	uint32_t max;

	if (!sa || !sa->xauth || sa->xauth->x.state != V1_XAUTH_S2) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_UNEXPECTED, serial,
			"XAUTH verdict for IKE SA #%u, which is not waiting for one", serial);
		return;
	}
	c = sa->xauth;
	conn = &eng->conns[sa->conn];
	max = conn->xauth_tries ? conn->xauth_tries : CFG_XAUTH_TRIES;
	cfg_ask(step, sa, c,
		ok		 ? V1_IN_XAUTH_OK
		: c->tries < max ? V1_IN_XAUTH_RETRY
				 : V1_IN_XAUTH_FAIL);
}

void cfg_vids_add(const struct ike_conn_cfg *c, struct isakmp_enc *e)
{
	/* XA6-2.a: the first 8 bytes of MD5("draft-ietf-ipsra-isakmp-xauth-06.txt"). */
	static const uint8_t xauth[8] = { 0x09, 0x00, 0x26, 0x89, 0xdf, 0xd6, 0xb7, 0x12 };
	/* Cisco Unity, major 1 minor 0, as strongSwan and Libreswan send it. */
	static const uint8_t unity[16] = { 0x12, 0xf5, 0xf2, 0x8c, 0x45, 0x71, 0x68, 0xa9,
					   0x70, 0x2d, 0x9f, 0xe2, 0x74, 0xcc, 0x01, 0x00 };

	if (c->xauth != IKE_CFG_NONE)
		isakmp_enc_generic(e, ISAKMP_NP_VID, xauth, sizeof(xauth));
	if (c->unity)
		isakmp_enc_generic(e, ISAKMP_NP_VID, unity, sizeof(unity));
}

/* ---- timers (cfg_deadline() is in engine_timers.c, with the heap) ---- */

static bool cfg_timer_one(struct ike_engine *eng, struct ike_sa *sa, struct v1_cfg *c, uint64_t now,
			  struct ike_actions *out)
{
	struct v1_xchg *x = &c->x;
	enum ikev1_timeout kind = ikev1_state_info(x->state)->timeout;
	const struct ike_conn_cfg *conn = &eng->conns[sa->conn];

	if (x->timer_at > now)
		return false;
	if (c->doomed) {
		eng_log(eng, out, IKE_LOG_WARN, IKE_R_XAUTH_FAILED, x->serial,
			"%s: %s failed: deleting the IKE SA", conn->name,
			ikev1_state_name(x->state));
		cfg_failed(eng, sa, now, out);
		return true;
	}
	if (kind == V1_TO_LIFETIME || kind == V1_TO_NONE) {
		x->timer_at = V1_NO_TIMER;
		return false;
	}
	if (kind == V1_TO_RETRANSMIT && x->tries < eng->cfg.retransmit_tries && x->tx) {
		v1_retransmit(eng, sa, x, now, out);
		return false;
	}
	eng_log(eng, out, IKE_LOG_WARN, IKE_R_TIMEOUT, x->serial,
		"%s: gave up in %s%s%s%s: deleting the IKE SA", conn->name,
		ikev1_state_name(x->state), c->user[0] ? " (user '" : "", c->user,
		c->user[0] ? "')" : "");
	cfg_failed(eng, sa, now, out);
	return true;
}

bool cfg_timer_run(struct ike_engine *eng, struct ike_sa *sa, uint64_t now, struct ike_actions *out)
{
	if (sa->xauth && cfg_timer_one(eng, sa, sa->xauth, now, out))
		return true;
	return sa->mcfg && cfg_timer_one(eng, sa, sa->mcfg, now, out);
}

/* ---- messages ---- */

static int cfg_build_send(struct ikev1_ctx *ctx, struct v1_cfg *c, uint8_t type, cfg_attrs_fn add)
{
	uint8_t buf[V1_BODY_MAX];
	struct isakmp_enc e;
	ssize_t h;
	int rc;

	v1_enc_init(&e, buf, sizeof(buf));
	h = v1_hash_reserve(&e, ctx->sa);
	if (h < 0)
		return (int)h;
	if (isakmp_enc_cfg_begin(&e, type, c->ident) < 0)
		return e.err ? e.err : -ENOSPC;
	rc = add ? add(ctx, c, &e) : 0;
	if (rc == 0)
		rc = isakmp_enc_cfg_end(&e);
	if (rc == 0)
		rc = v1_hash_fill(&e, h, ctx->sa, 1, c->msgid, NULL, 0);
	if (rc == 0)
		rc = v1_send(ctx, &c->x, ISAKMP_XCHG_TRANSACTION, c->msgid, &e, c->iv);
	OPENSSL_cleanse(buf, sizeof(buf)); /* may hold a password */
	return rc;
}

int cfg_send(struct ikev1_ctx *ctx, struct v1_cfg *c, bool fresh, uint8_t type, cfg_attrs_fn add)
{
	int rc;

	if (fresh) {
		/* 2409-5.7.b: a new exchange, a new M-ID, never one spent. */
		do
			c->msgid = v1_msgid_new(ctx->eng);
		while (sa_msgid_seen(&c->done, c->msgid));
		rc = v1_phase2_iv(ctx->sa, c->msgid, c->iv);
		if (rc < 0)
			return rc;
	}
	return cfg_build_send(ctx, c, type, add);
}

int cfg_answer(struct ikev1_ctx *ctx, struct v1_cfg *c, uint8_t type, cfg_attrs_fn add)
{
	c->msgid = ctx->msg->hdr.msgid;
	memcpy(c->iv, ctx->iv, sizeof(c->iv));
	return cfg_build_send(ctx, c, type, add);
}

bool cfg_attr_known(uint16_t type)
{
	return (type >= ISAKMP_CFG_INTERNAL_IP4_ADDRESS &&
		type <= ISAKMP_CFG_INTERNAL_IP6_SUBNET) ||
	       (type >= ISAKMP_CFG_XAUTH_TYPE && type <= ISAKMP_CFG_XAUTH_ANSWER) ||
	       (type >= ISAKMP_CFG_UNITY_BANNER && type <= ISAKMP_CFG_UNITY_DDNS_HOSTNAME);
}

/* Whether a value of @len bytes is possible for @type (0 = "please send
 * it", in a REQUEST or an ACK). */
static bool cfg_attr_len_ok(uint16_t type, bool tv, uint16_t len)
{
	if (tv)
		return true; /* 2 bytes, a small integer: checked by the handler */
	switch (type) {
	case ISAKMP_CFG_INTERNAL_IP4_ADDRESS:
	case ISAKMP_CFG_INTERNAL_IP4_NETMASK:
	case ISAKMP_CFG_INTERNAL_IP4_DNS:
	case ISAKMP_CFG_INTERNAL_IP4_NBNS:
	case ISAKMP_CFG_INTERNAL_IP4_DHCP:
	case ISAKMP_CFG_INTERNAL_ADDRESS_EXPIRY:
		return len == 0 || len == 4;
	case ISAKMP_CFG_INTERNAL_IP4_SUBNET:
		return len == 0 || len == 8;
	case ISAKMP_CFG_INTERNAL_IP6_ADDRESS:
	case ISAKMP_CFG_INTERNAL_IP6_SUBNET:
		return len == 0 || len == 17;
	case ISAKMP_CFG_INTERNAL_IP6_NETMASK:
	case ISAKMP_CFG_INTERNAL_IP6_DNS:
	case ISAKMP_CFG_INTERNAL_IP6_NBNS:
	case ISAKMP_CFG_INTERNAL_IP6_DHCP:
		return len == 0 || len == 16;
	case ISAKMP_CFG_SUPPORTED_ATTRIBUTES:
		return len % 2 == 0;
	case ISAKMP_CFG_XAUTH_TYPE:
	case ISAKMP_CFG_XAUTH_STATUS:
	case ISAKMP_CFG_UNITY_SAVE_PASSWD:
	case ISAKMP_CFG_UNITY_NATT_PORT:
	case ISAKMP_CFG_UNITY_PFS:
	case ISAKMP_CFG_UNITY_FW_TYPE:
		return len <= 4;
	case ISAKMP_CFG_XAUTH_USER_NAME:
		return len <= IKE_XAUTH_USER_MAX;
	case ISAKMP_CFG_XAUTH_USER_PASSWORD:
	case ISAKMP_CFG_XAUTH_PASSCODE:
		return len <= IKE_XAUTH_PASS_MAX;
	case ISAKMP_CFG_UNITY_SPLIT_INCLUDE:
	case ISAKMP_CFG_UNITY_LOCAL_LAN:
		/* strongSwan 5.9 (a swanctl pool's split_include) sends the last
		 * entry as address and mask only: 8 bytes. */
		return len % ISAKMP_UNITY_SPLIT_LEN == 0 ||
		       (len % ISAKMP_UNITY_SPLIT_LEN == 8 && len >= 8);
	default:
		return len <= 1024; /* text: messages, banner, domains, versions */
	}
}

/* Refuse a Transaction message with a log line; nothing changes. */
static int cfg_refuse(struct ikev1_ctx *ctx, enum ike_reason reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int cfg_refuse(struct ikev1_ctx *ctx, enum ike_reason reason, const char *fmt, ...)
{
	char text[IKE_LOG_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	eng_log(ctx->eng, ctx->out,
		eng_peer_log_allowed(ctx->eng, ctx->now) ? IKE_LOG_INFO : IKE_LOG_DEBUG, reason,
		ctx->sa->x.serial, "%s: Transaction refused: %s", ctx->conn->name, text);
	if (ctx->iv_set) {
		OPENSSL_cleanse(ctx->iv, sizeof(ctx->iv));
		ctx->iv_set = false;
	}
	return -1;
}

int cfg_msg_prepare(struct ikev1_ctx *ctx, struct isakmp_msg *msg, uint8_t *plain, size_t cap,
		    uint64_t fp, enum ikev1_input *input, enum ikev1_state *state)
{
	struct ike_sa *sa = ctx->sa;
	struct v1_cfg *c = NULL, *objs[2] = { sa->xauth, sa->mcfg };
	const struct isakmp_cfg *attr = NULL;
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN];
	uint32_t msgid = msg->hdr.msgid;
	struct isakmp_attr_iter it;
	struct isakmp_attr a;
	unsigned n_attr = 0;
	int rc;

	if (!ikev1_state_info(sa->x.state)->established)
		return cfg_refuse(ctx, IKE_R_UNEXPECTED, "before Phase 1 is authenticated");
	if (!msg->encrypted || msgid == 0)
		return cfg_refuse(ctx, IKE_R_UNEXPECTED, "%s",
				  msgid ? "not encrypted" : "Message ID 0");
	if (!sa->xauth && !sa->mcfg)
		return cfg_refuse(ctx, IKE_R_UNEXPECTED, "no XAUTH or Mode Config on this conn");
	for (int i = 0; i < 2; i++)
		if (objs[i] && objs[i]->msgid == msgid)
			c = objs[i];
	if (c && fp == c->x.rx_fp) {
		if (c->x.answered && c->x.tx)
			v1_resend(ctx->eng, sa, &c->x, ctx->out);
		eng_log(ctx->eng, ctx->out, IKE_LOG_DEBUG, IKE_R_RETRANSMIT, sa->x.serial,
			"duplicate Transaction answered from the last message");
		return -1;
	}
	if (!c) {
		for (int i = 0; i < 2; i++)
			if (objs[i] && sa_msgid_seen(&objs[i]->done, msgid))
				return cfg_refuse(ctx, IKE_R_REPLAY,
						  "Message ID %08x was used by an earlier exchange",
						  msgid);
		/* XA6-4.b: XAUTH first; after it, Mode Config. */
		c = sa->xauth && sa->xauth->x.state != V1_XAUTH_DONE ? sa->xauth : sa->mcfg;
		if (!c)
			return cfg_refuse(ctx, IKE_R_UNEXPECTED, "no Mode Config on this conn");
		rc = v1_phase2_iv(sa, msgid, iv);
	} else {
		memcpy(iv, c->iv, sizeof(iv));
		rc = 0;
	}
	if (rc == 0)
		rc = v1_decrypt(sa, msg, plain, cap, iv, ctx->iv);
	OPENSSL_cleanse(iv, sizeof(iv));
	if (rc < 0) {
		eng_log(ctx->eng, ctx->out, IKE_LOG_DEBUG, IKE_R_DECRYPT, sa->x.serial,
			"dropped Transaction: does not decrypt to valid payloads");
		return -1;
	}
	ctx->iv_set = true;
	/* The HASH is the row's, verified by the dispatcher (dgram_payloads). */
	for (unsigned i = 0; i < msg->npayloads; i++)
		if (msg->payloads[i].type == ISAKMP_NP_ATTR) {
			attr = &msg->payloads[i].u.cfg;
			n_attr++;
		}
	if (n_attr != 1)
		return cfg_refuse(ctx, IKE_R_MALFORMED, "%u attribute payloads (one expected)",
				  n_attr);
	switch (attr->type) {
	case ISAKMP_CFG_REQUEST:
		*input = V1_IN_CFG_REQUEST;
		break;
	case ISAKMP_CFG_REPLY:
		*input = V1_IN_CFG_REPLY;
		break;
	case ISAKMP_CFG_SET:
		*input = V1_IN_CFG_SET;
		break;
	case ISAKMP_CFG_ACK:
		*input = V1_IN_CFG_ACK;
		break;
	default:
		return cfg_refuse(ctx, IKE_R_MALFORMED, "attribute payload type %u", attr->type);
	}
	/* The codec checked the TLV framing; here what each value may be.
	 * A REQUEST may name attributes we do not know (clients ask for
	 * plenty): they are not answered. Anywhere else they are refused. */
	isakmp_attr_iter_init(&it, attr->attrs, attr->attrs_len);
	while (isakmp_attr_next(&it, &a)) {
		if (!cfg_attr_known(a.type)) {
			if (attr->type == ISAKMP_CFG_REQUEST)
				continue;
			return cfg_refuse(ctx, IKE_R_MALFORMED, "unknown attribute type %u",
					  a.type);
		}
		if (!cfg_attr_len_ok(a.type, a.tv, a.len))
			return cfg_refuse(ctx, IKE_R_MALFORMED, "attribute %u with %u bytes",
					  a.type, a.len);
	}
	ctx->x = &c->x;
	*state = c->x.state;
	return 0;
}

/* ---- Quick Mode with the virtual address ---- */

void cfg_quick_local_ts(const struct ike_sa *sa, struct ike_ts *ts)
{
	if (!sa->mcfg || sa->mcfg->server || !sa->mcfg->have_vip)
		return;
	memset(&ts->addr, 0, sizeof(ts->addr));
	ts->addr.family = XK_AF_INET;
	memcpy(ts->addr.bytes, sa->mcfg->vip.bytes, 4);
	ts->plen = 32;
}

int cfg_quick_peer_ts_ok(const struct ike_sa *sa, const struct ike_ts *ci)
{
	if (!sa->mcfg || !sa->mcfg->server || !sa->mcfg->leased)
		return -1;
	if (sa->mcfg->vip.family == AF_INET6)
		return ci->addr.family == XK_AF_INET6 && ci->plen == 128 &&
		       !memcmp(ci->addr.bytes, sa->mcfg->vip.bytes, 16);
	return ci->addr.family == XK_AF_INET && ci->plen == 32 &&
	       !memcmp(ci->addr.bytes, sa->mcfg->vip.bytes, 4);
}

bool cfg_quick_unity_wildcard(const struct ike_sa *sa, const struct ike_conn_cfg *conn,
			      const struct ike_ts *cr)
{
	return conn->unity && sa->mcfg && sa->mcfg->server && sa->mcfg->leased &&
	       cr->addr.family == XK_AF_INET && cr->plen == 0 && !cr->proto && !cr->port &&
	       conn->local_ts.addr.family == XK_AF_INET && conn->local_ts.plen;
}
