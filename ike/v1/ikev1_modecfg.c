// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Mode Config (draft-dukes-ike-mode-cfg-02, draft-ietf-ipsec-isakmp-mode-
 * cfg-05) over Transaction exchanges, after XAUTH when there is one, both
 * roles and both styles:
 *
 *   pull: client ATTR(REQUEST: INTERNAL_IP4_ADDRESS, ...) -> gateway
 *         gateway ATTR(REPLY: INTERNAL_IP4_ADDRESS=a, NETMASK, DNS, ...)
 *   push: gateway ATTR(SET: ...) -> client; client ATTR(ACK)
 *
 * The gateway leases the address from the conn's pool (ike/sa/pool.h), owned
 * by the XAUTH user (else the peer's identity), so a user who comes back
 * gets the same address and two tunnels never share one. With Cisco Unity
 * (conn.unity) it adds UNITY_SPLIT_INCLUDE (the conn's local subnet: the
 * client routes only that through the tunnel) and UNITY_SAVE_PASSWD off;
 * a domain and a banner go out as UNITY_DEF_DOMAIN and UNITY_BANNER, as
 * Libreswan sends them.
 *
 * The client takes only a usable unicast address (and, when its conn names
 * a range, one inside it); anything else is refused and changes nothing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ike/v1/ikev1_cfg.h"
#include "ike/v1/ikev1_handlers.h"

/* What a REQUEST asked for (bits), or everything when it named nothing. */
enum {
	WANT_ADDR = 1u << 0,
	WANT_MASK = 1u << 1,
	WANT_DNS = 1u << 2,
	WANT_SPLIT = 1u << 3,
	WANT_DOMAIN = 1u << 4,
	WANT_BANNER = 1u << 5,
	WANT_SAVE_PASSWD = 1u << 6,
	WANT_ADDR6 = 1u << 7, /* INTERNAL_IP6_ADDRESS: from an IPv6 pool */
	WANT_ALL = 0xffu,
};

/* An address of a pool, either family, for a log line. */
static const char *vip_format(const struct pool_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, a->bytes, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static const char *ip4(const uint8_t *b, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

/* ---- gateway ---- */

/* The lease's owner: the XAUTH user, else the peer's authenticated identity. */
static void owner_of(const struct ike_sa *sa, char *buf, size_t len)
{
	size_t o, i;

	if (sa->xauth && sa->xauth->user[0]) {
		snprintf(buf, len, "xauth:%s", sa->xauth->user);
		return;
	}
	o = (size_t)snprintf(buf, len, "id%u:", sa->peer_id.type);
	for (i = 0; i < sa->peer_id.len && o + 3 < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%02x", sa->peer_id.data[i]);
}

/* Lease an address when the client asks for one of the pool's family
 * (@want; a push offers it unasked). */
static enum ikev1_ret lease(struct ikev1_ctx *ctx, struct v1_cfg *c, unsigned want)
{
	char owner[POOL_OWNER_MAX + 1], a[INET6_ADDRSTRLEN];
	bool v6 = ctx->conn->pool_first.family == XK_AF_INET6;
	int rc;

	if (c->leased)
		return V1_OK;
	c->pool = cfg_pool_of(ctx->eng, ctx->sa->conn);
	if (!c->pool)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "no address pool");
	if (!(want & (v6 ? WANT_ADDR6 : WANT_ADDR))) {
		eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_MODECFG, ctx->sa->x.serial,
			"%s: Mode Config: the client asks for no %s address (the pool's family): "
			"none given",
			ctx->conn->name, v6 ? "IPv6" : "IPv4");
		return V1_OK;
	}
	owner_of(ctx->sa, owner, sizeof(owner));
	rc = pool_acquire(c->pool, owner, &c->vip);
	if (rc == -ENOSPC) {
		eng_log(ctx->eng, ctx->out, IKE_LOG_WARN, IKE_R_POOL_EXHAUSTED, ctx->sa->x.serial,
			"%s: address pool exhausted (%u of %u addresses in use): no address for %s",
			ctx->conn->name, pool_online(c->pool), pool_size(c->pool),
			cfg_user(ctx->sa)[0] ? cfg_user(ctx->sa) : "the peer");
		return ctx_fail(ctx, IKE_R_POOL_EXHAUSTED, 0, "address pool exhausted");
	}
	if (rc < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "pool_acquire: %d", rc);
	c->leased = true;
	eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_MODECFG, ctx->sa->x.serial,
		"%s: Mode Config address %s for %s%s%s", ctx->conn->name,
		vip_format(&c->vip, a, sizeof(a)), cfg_user(ctx->sa)[0] ? "user '" : "the peer",
		cfg_user(ctx->sa), cfg_user(ctx->sa)[0] ? "'" : "");
	return V1_OK;
}

static int add_split(struct isakmp_enc *e, const struct ike_ts *ts)
{
	if (ts->addr.family != XK_AF_INET || !ts->plen)
		return 0;
	return isakmp_enc_unity_split(e, ts->addr.bytes, ts->plen);
}

static int add_server_attrs(struct ikev1_ctx *ctx, struct v1_cfg *c, struct isakmp_enc *e)
{
	const struct ike_conn_cfg *conn = ctx->conn;
	static const uint8_t host_mask[4] = { 255, 255, 255, 255 };
	unsigned want = c->want;

	if (c->leased && c->vip.family == AF_INET6 && (want & WANT_ADDR6)) {
		/* 16 bytes of address and the prefix length, as strongSwan
		 * parses it (and as in IKEv2): a host address. */
		uint8_t v[17];

		memcpy(v, c->vip.bytes, 16);
		v[16] = 128;
		isakmp_enc_attr_tlv(e, ISAKMP_CFG_INTERNAL_IP6_ADDRESS, v, sizeof(v));
	}
	if (c->leased && c->vip.family == AF_INET && (want & WANT_ADDR))
		isakmp_enc_attr_tlv(e, ISAKMP_CFG_INTERNAL_IP4_ADDRESS, c->vip.bytes, 4);
	if (c->leased && c->vip.family == AF_INET && (want & WANT_MASK))
		isakmp_enc_attr_tlv(e, ISAKMP_CFG_INTERNAL_IP4_NETMASK, host_mask, 4);
	for (unsigned i = 0; (want & WANT_DNS) && i < conn->n_dns; i++)
		isakmp_enc_attr_tlv(e, ISAKMP_CFG_INTERNAL_IP4_DNS, conn->dns[i].bytes, 4);
	if ((want & WANT_DOMAIN) && conn->domain[0])
		isakmp_enc_attr_tlv(e, ISAKMP_CFG_UNITY_DEF_DOMAIN, conn->domain,
				    (uint16_t)strlen(conn->domain));
	if ((want & WANT_BANNER) && conn->banner[0])
		isakmp_enc_attr_tlv(e, ISAKMP_CFG_UNITY_BANNER, conn->banner,
				    (uint16_t)strlen(conn->banner));
	if (conn->unity && (want & WANT_SAVE_PASSWD))
		isakmp_enc_attr_tv(e, ISAKMP_CFG_UNITY_SAVE_PASSWD, 0);
	if (conn->unity && (want & WANT_SPLIT))
		add_split(e, &conn->local_ts);
	return e->err;
}

enum ikev1_ret mcfg_s_push(struct ikev1_ctx *ctx)
{
	struct v1_cfg *c = cfg_of(ctx);
	enum ikev1_ret r = lease(ctx, c, WANT_ALL);

	if (r != V1_OK)
		return r;
	c->want = WANT_ALL;
	if (cfg_send(ctx, c, true, ISAKMP_CFG_SET, add_server_attrs) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send the Mode Config SET");
	return V1_OK;
}

enum ikev1_ret mcfg_s1_recv_ack(struct ikev1_ctx *ctx)
{
	struct v1_cfg *c = cfg_of(ctx);

	/* The M-ID and the HASH tie the ACK to our SET, whatever its identifier. */
	cfg_exchange_done(c);
	return V1_OK;
}

enum ikev1_ret mcfg_s_pull(struct ikev1_ctx *ctx)
{
	(void)ctx;
	return V1_OK; /* the client asks */
}

enum ikev1_ret mcfg_s_recv_request(struct ikev1_ctx *ctx)
{
	const struct isakmp_cfg *attr = cfg_attr(ctx);
	struct v1_cfg *c = cfg_of(ctx);
	struct isakmp_attr_iter it;
	struct isakmp_attr a;
	unsigned want = 0;
	enum ikev1_ret r;

	isakmp_attr_iter_init(&it, attr->attrs, attr->attrs_len);
	while (isakmp_attr_next(&it, &a)) {
		switch (a.type) {
		case ISAKMP_CFG_INTERNAL_IP4_ADDRESS:
			want |= WANT_ADDR; /* a value is the client's wish: not honoured */
			break;
		case ISAKMP_CFG_INTERNAL_IP4_NETMASK:
			want |= WANT_MASK;
			break;
		case ISAKMP_CFG_INTERNAL_IP6_ADDRESS:
			want |= WANT_ADDR6; /* where the client asks (an IPv6 pool) */
			break;
		case ISAKMP_CFG_INTERNAL_IP4_DNS:
			want |= WANT_DNS;
			break;
		case ISAKMP_CFG_UNITY_SPLIT_INCLUDE:
			want |= WANT_SPLIT;
			break;
		case ISAKMP_CFG_UNITY_DEF_DOMAIN:
			want |= WANT_DOMAIN;
			break;
		case ISAKMP_CFG_UNITY_BANNER:
			want |= WANT_BANNER;
			break;
		case ISAKMP_CFG_UNITY_SAVE_PASSWD:
			want |= WANT_SAVE_PASSWD;
			break;
		default:
			break; /* not offered: left out of the REPLY */
		}
	}
	/* An address always comes with its mask; an empty REQUEST gets all. */
	want = !want ? WANT_ALL : want & WANT_ADDR ? want | WANT_MASK : want;
	r = lease(ctx, c, want);
	if (r != V1_OK)
		return r;
	c->ident = attr->identifier;
	c->want = want;
	if (cfg_answer(ctx, c, ISAKMP_CFG_REPLY, add_server_attrs) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send the Mode Config REPLY");
	cfg_exchange_done(c);
	return V1_OK;
}

/* ---- client ---- */

static int add_client_request(struct ikev1_ctx *ctx, struct v1_cfg *c, struct isakmp_enc *e)
{
	(void)c;
	isakmp_enc_attr_tlv(e, ISAKMP_CFG_INTERNAL_IP4_ADDRESS, NULL, 0);
	isakmp_enc_attr_tlv(e, ISAKMP_CFG_INTERNAL_IP4_NETMASK, NULL, 0);
	isakmp_enc_attr_tlv(e, ISAKMP_CFG_INTERNAL_IP4_DNS, NULL, 0);
	if (ctx->conn->unity) {
		isakmp_enc_attr_tlv(e, ISAKMP_CFG_UNITY_SPLIT_INCLUDE, NULL, 0);
		isakmp_enc_attr_tlv(e, ISAKMP_CFG_UNITY_DEF_DOMAIN, NULL, 0);
		isakmp_enc_attr_tlv(e, ISAKMP_CFG_UNITY_BANNER, NULL, 0);
	}
	return e->err;
}

enum ikev1_ret mcfg_c_pull(struct ikev1_ctx *ctx)
{
	struct v1_cfg *c = cfg_of(ctx);

	if (cfg_send(ctx, c, true, ISAKMP_CFG_REQUEST, add_client_request) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send the Mode Config REQUEST");
	return V1_OK;
}

enum ikev1_ret mcfg_c_push(struct ikev1_ctx *ctx)
{
	(void)ctx;
	return V1_OK; /* the gateway sends SET */
}

/* Why @b (4 bytes) cannot be our address, or NULL. */
static const char *unusable(const struct ike_conn_cfg *conn, const uint8_t *b)
{
	uint32_t v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];

	if (v == 0 || v == 0xffffffffu)
		return "not a host address";
	if (b[0] == 127 || b[0] >= 224 || (b[0] == 169 && b[1] == 254))
		return "loopback, link-local, multicast or reserved";
	if (conn->pool_size && conn->pool_first.family == XK_AF_INET) {
		const uint8_t *f = conn->pool_first.bytes;
		uint32_t first =
			(uint32_t)f[0] << 24 | (uint32_t)f[1] << 16 | (uint32_t)f[2] << 8 | f[3];

		if (v < first || v - first >= conn->pool_size)
			return "outside the range this conn accepts";
	}
	return NULL;
}

static int add_client_ack(struct ikev1_ctx *ctx, struct v1_cfg *c, struct isakmp_enc *e)
{
	(void)ctx;
	(void)c;
	/* mode-cfg-05 s3.3: the ACK names what was accepted, without values. */
	isakmp_enc_attr_tlv(e, ISAKMP_CFG_INTERNAL_IP4_ADDRESS, NULL, 0);
	return e->err;
}

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The prefix length of a contiguous mask, or -1. */
static int mask_plen(const uint8_t *b)
{
	uint32_t m = be32(b);
	int n = 0;

	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	return n < 32 && (m << n) ? -1 : n;
}

/* What the client keeps of one message before it takes any of it. */
struct mc_recv {
	const uint8_t *addr;
	int plen;
	uint8_t n_dns;
	struct xk_addr dns[IKE_MODECFG_DNS_MAX];
	uint8_t n_split;
	struct ike_ts split[IKE_MODECFG_SPLIT_MAX];
	char domain[IKE_MODECFG_DOMAIN_MAX];
};

/* Why the attribute @at is refused, or NULL; what it carries goes to @r. */
static const char *mc_take(const struct isakmp_attr *at, struct mc_recv *r, char *why, size_t len)
{
	char a[16];

	if (at->tv || !at->len)
		return NULL; /* not a value we use */
	switch (at->type) {
	case ISAKMP_CFG_INTERNAL_IP4_ADDRESS:
		if (r->addr)
			return "two addresses offered";
		r->addr = at->data;
		return NULL;
	case ISAKMP_CFG_INTERNAL_IP4_NETMASK:
		r->plen = mask_plen(at->data);
		if (r->plen <= 0) {
			snprintf(why, len, "netmask %s is not a usable mask",
				 ip4(at->data, a, sizeof(a)));
			return why;
		}
		return NULL;
	case ISAKMP_CFG_INTERNAL_IP4_DNS: {
		uint32_t v = be32(at->data);

		if (!v || v == 0xffffffffu || at->data[0] >= 224) {
			snprintf(why, len, "DNS server %s is not a host address",
				 ip4(at->data, a, sizeof(a)));
			return why;
		}
		if (r->n_dns == IKE_MODECFG_DNS_MAX)
			return NULL; /* the first ones are enough */
		r->dns[r->n_dns].family = XK_AF_INET;
		memcpy(r->dns[r->n_dns++].bytes, at->data, 4);
		return NULL;
	}
	case ISAKMP_CFG_UNITY_SPLIT_INCLUDE:
		/* cfg_msg_prepare() checked the length: 14-byte entries, the
		 * last may be 8 (address and mask, as strongSwan sends it). */
		for (size_t o = 0; o + 8 <= at->len; o += ISAKMP_UNITY_SPLIT_LEN) {
			const uint8_t *e = at->data + o;
			int plen = mask_plen(e + 4);
			struct ike_ts *ts;

			if (plen <= 0 || (be32(e) & ~be32(e + 4))) {
				snprintf(why, len, "split network %s mask %u.%u.%u.%u: %s",
					 ip4(e, a, sizeof(a)), e[4], e[5], e[6], e[7],
					 plen == 0 ? "would route everything through the tunnel"
						   : "not a network");
				return why;
			}
			if (r->n_split == IKE_MODECFG_SPLIT_MAX)
				continue; /* kept: the first IKE_MODECFG_SPLIT_MAX */
			ts = &r->split[r->n_split++];
			ts->addr.family = XK_AF_INET;
			memcpy(ts->addr.bytes, e, 4);
			ts->plen = (uint8_t)plen;
		}
		return NULL;
	case ISAKMP_CFG_UNITY_DEF_DOMAIN:
		if (at->len >= sizeof(r->domain)) {
			snprintf(why, len, "domain of %u bytes", at->len);
			return why;
		}
		for (uint16_t i = 0; i < at->len; i++) {
			char ch = (char)at->data[i];

			if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			      (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
				return "domain with a character no domain name has";
		}
		memcpy(r->domain, at->data, at->len);
		r->domain[at->len] = '\0';
		return NULL;
	default:
		return NULL;
	}
}

enum ikev1_ret mcfg_c_recv_attrs(struct ikev1_ctx *ctx)
{
	const struct isakmp_cfg *attr = cfg_attr(ctx);
	struct v1_cfg *c = cfg_of(ctx);
	char a[16], dns[72] = "", d[16], why[96];
	const char *bad;
	struct isakmp_attr_iter it;
	struct isakmp_attr at;
	struct xk_addr own;
	struct mc_recv r;
	size_t o = 0;

	if (c->have_vip)
		return ctx_ignore(ctx, IKE_R_UNEXPECTED, "Mode Config: an address is already set");
	memset(&r, 0, sizeof(r));
	r.plen = 32;
	isakmp_attr_iter_init(&it, attr->attrs, attr->attrs_len);
	while (isakmp_attr_next(&it, &at)) {
		bad = mc_take(&at, &r, why, sizeof(why));
		if (bad)
			return ctx_ignore(ctx, IKE_R_MALFORMED, "Mode Config %s refused: %s",
					  attr->type == ISAKMP_CFG_SET ? "SET" : "REPLY", bad);
	}
	if (!r.addr)
		return ctx_ignore(ctx, IKE_R_MALFORMED, "Mode Config %s without an address",
				  attr->type == ISAKMP_CFG_SET ? "SET" : "REPLY");
	bad = unusable(ctx->conn, r.addr);
	sa_ep_to_xk(&ctx->sa->remote, &own);
	if (!bad && own.family == XK_AF_INET && !memcmp(own.bytes, r.addr, 4))
		bad = "the gateway's own address";
	sa_ep_to_xk(&ctx->sa->local, &own);
	if (!bad && own.family == XK_AF_INET && !memcmp(own.bytes, r.addr, 4))
		bad = "our own IKE address";
	if (bad)
		return ctx_ignore(ctx, IKE_R_MALFORMED, "address %s refused: %s",
				  ip4(r.addr, a, sizeof(a)), bad);
	if (attr->type == ISAKMP_CFG_SET) {
		c->ident = attr->identifier;
		if (cfg_answer(ctx, c, ISAKMP_CFG_ACK, add_client_ack) < 0)
			return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot send the Mode Config ACK");
	}
	memset(&c->vip, 0, sizeof(c->vip));
	c->vip.family = XK_AF_INET;
	memcpy(c->vip.bytes, r.addr, 4);
	c->have_vip = true;
	c->plen = (uint8_t)r.plen;
	c->n_dns = r.n_dns;
	memcpy(c->dns, r.dns, sizeof(c->dns));
	c->n_split = r.n_split;
	memcpy(c->split, r.split, sizeof(c->split));
	memcpy(c->domain, r.domain, sizeof(c->domain));
	cfg_exchange_done(c);
	for (unsigned i = 0; i < r.n_dns; i++)
		o += (size_t)snprintf(dns + o, sizeof(dns) - o, "%s%s", o ? "," : "",
				      ip4(r.dns[i].bytes, d, sizeof(d)));
	eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_MODECFG, ctx->sa->x.serial,
		"%s: Mode Config gave us %s%s%s%s%s, %u split network%s", ctx->conn->name,
		ip4(r.addr, a, sizeof(a)), dns[0] ? ", DNS " : "", dns,
		r.domain[0] ? ", domain " : "", r.domain, r.n_split, r.n_split == 1 ? "" : "s");
	cfg_client_report(ctx->eng, ctx->sa, ctx->out, true);
	return V1_OK;
}

size_t cfg_client_dns(const struct ike_sa *sa, struct xk_addr *out, size_t max)
{
	const struct v1_cfg *c = sa->mcfg;
	size_t n;

	if (!c || c->server || !c->have_vip)
		return 0;
	n = c->n_dns < max ? c->n_dns : max;
	memcpy(out, c->dns, n * sizeof(*out));
	return n;
}
