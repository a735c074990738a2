// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The connection view. The engine exposes no per-SA status (only counts),
 * so the daemon follows what the engine asks of the kernel: that is also
 * exactly the state natkeyd owns there.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "tools/natkeyd_view.h"

void nkd_view_reset(struct nkd_view *v)
{
	memset(v, 0, sizeof(*v));
}

static bool addr_eq(const struct xk_addr *a, const struct xk_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, 16) == 0;
}

static void child_drop(struct nkd_view *v, unsigned i)
{
	memmove(&v->children[i], &v->children[i + 1],
		(v->n_children - i - 1) * sizeof(v->children[0]));
	v->n_children--;
}

static struct nkd_child *child_add(struct nkd_view *v)
{
	if (v->n_children == NKD_VIEW_CHILDREN)
		child_drop(v, 0); /* the oldest: a view, not the truth */
	memset(&v->children[v->n_children], 0, sizeof(v->children[0]));
	return &v->children[v->n_children++];
}

static void sa_added(struct nkd_view *v, const struct xk_sa *s, uint64_t now)
{
	/* The engine installs inbound SAs with a replay window and outbound
	 * ones without (ike/ikev1_quick.c), inbound first. */
	bool inbound = s->replay_window != 0;
	struct nkd_child *c = NULL;

	for (unsigned i = 0; i < v->n_children; i++) {
		struct nkd_child *k = &v->children[i];

		if ((inbound && k->spi_in == s->spi && addr_eq(&k->in_dst, &s->dst)) ||
		    (!inbound && k->spi_out == s->spi && addr_eq(&k->out_dst, &s->dst)))
			c = k; /* SA_UPDATE of a known SA */
	}
	if (!c && !inbound && v->n_children && !v->children[v->n_children - 1].spi_out)
		c = &v->children[v->n_children - 1];
	if (!c) {
		c = child_add(v);
		c->added_ms = now;
	}
	c->mode = s->mode;
	c->enc = s->enc;
	c->enc_bits = (uint16_t)(s->enc == XK_ENC_AES_GCM_16 && s->enc_key_len >= 4
					 ? (s->enc_key_len - 4) * 8
					 : s->enc_key_len * 8);
	c->auth = s->auth;
	c->lifetime_s = s->lft.hard_add_s;
	if (inbound) {
		c->spi_in = s->spi;
		c->in_dst = s->dst;
	} else {
		c->spi_out = s->spi;
		c->out_dst = s->dst;
		c->udp_encap = s->encap.enabled;
		c->encap_sport = s->encap.sport;
		c->encap_dport = s->encap.dport;
	}
}

static void sa_deleted(struct nkd_view *v, const struct xk_sa_id *id)
{
	for (unsigned i = 0; i < v->n_children; i++) {
		struct nkd_child *k = &v->children[i];

		if (k->spi_in == id->spi && addr_eq(&k->in_dst, &id->dst))
			k->spi_in = 0;
		else if (k->spi_out == id->spi && addr_eq(&k->out_dst, &id->dst))
			k->spi_out = 0;
		else
			continue;
		if (!k->spi_in && !k->spi_out)
			child_drop(v, i);
		return;
	}
}

/* A kernel-request address and port as a sockaddr. */
static void xk_to_sockaddr(const struct xk_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == XK_AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, a->bytes, 4);
		in->sin_port = htons(port);
	} else if (a->family == XK_AF_INET6) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, a->bytes, 16);
		in6->sin6_port = htons(port);
	}
}

static void sa_moved(struct nkd_view *v, const struct xk_sa_move *m)
{
	/* RFC 3947 s7: IKE follows the authenticated ESP to the peer's new
	 * address and port, and so does what status shows. */
	if (m->policy.dir == XK_DIR_OUT && m->new_encap.enabled && v->have_endpoints)
		xk_to_sockaddr(&m->new_dst, m->new_encap.dport, &v->remote);
	for (unsigned i = 0; i < v->n_children; i++) {
		struct nkd_child *k = &v->children[i];

		if (m->policy.dir == XK_DIR_OUT && addr_eq(&k->out_dst, &m->old_dst)) {
			k->out_dst = m->new_dst;
			k->udp_encap = m->new_encap.enabled;
			k->encap_sport = m->new_encap.sport;
			k->encap_dport = m->new_encap.dport;
		} else if (m->policy.dir == XK_DIR_IN && addr_eq(&k->in_dst, &m->old_dst)) {
			k->in_dst = m->new_dst;
		}
	}
}

static void log_seen(struct nkd_view *v, const struct ike_log *l, uint64_t now)
{
	switch (l->reason) {
	case IKE_R_IKE_ESTABLISHED:
		v->ike_up_ms = now ? now : 1;
		v->last_error[0] = '\0';
		break;
	case IKE_R_NAT_DETECTED: {
		/* "NAT detected (METHOD): we behind NAT, peer not behind NAT"
		 * (ike/ikev1_phase1.c): the engine reports NAT-D only here. */
		const char *m = strchr(l->text, '(');
		const char *e = m ? strchr(m, ')') : NULL;

		v->nat_known = true;
		v->nat_we = strstr(l->text, "we behind NAT") != NULL;
		v->nat_peer = strstr(l->text, "peer behind NAT") != NULL;
		if (m && e && (size_t)(e - m - 1) < sizeof(v->nat_method)) {
			memcpy(v->nat_method, m + 1, (size_t)(e - m - 1));
			v->nat_method[e - m - 1] = '\0';
		}
		break;
	}
	case IKE_R_FLOAT:
		if (!v->nat_method[0])
			snprintf(v->nat_method, sizeof(v->nat_method), "%s", "rfc3947");
		break;
	case IKE_R_TERMINATED:
		v->ike_up_ms = 0;
		v->nat_known = false;
		break;
	default:
		if (l->level >= IKE_LOG_WARN && l->level != IKE_LOG_AUDIT)
			snprintf(v->last_error, sizeof(v->last_error), "%s: %s",
				 ike_reason_name(l->reason), l->text);
		break;
	}
}

void nkd_view_on_action(struct nkd_view *v, const struct ike_action *a, uint64_t now_ms)
{
	switch (a->type) {
	case IKE_ACT_SEND:
		v->local = a->u.send.local;
		v->remote = a->u.send.remote;
		v->have_endpoints = true;
		break;
	case IKE_ACT_KERNEL:
		switch (a->u.kernel.type) {
		case XK_REQ_SA_ADD:
		case XK_REQ_SA_UPDATE:
			sa_added(v, &a->u.kernel.u.sa, now_ms);
			break;
		case XK_REQ_SA_DELETE:
			sa_deleted(v, &a->u.kernel.u.sa_id);
			break;
		case XK_REQ_SA_MOVE:
			sa_moved(v, &a->u.kernel.u.move);
			break;
		default:
			break;
		}
		break;
	case IKE_ACT_LOG:
		log_seen(v, &a->u.log, now_ms);
		break;
	default:
		break;
	}
}

void nkd_view_on_dgram(struct nkd_view *v, const struct sockaddr_storage *local,
		       const struct sockaddr_storage *remote)
{
	v->local = *local;
	v->remote = *remote;
	v->have_endpoints = true;
}

const char *nkd_enc_name(enum xk_enc_alg enc, uint16_t bits, char *buf, size_t len)
{
	switch (enc) {
	case XK_ENC_AES_CBC:
		snprintf(buf, len, "aes%u", bits);
		break;
	case XK_ENC_3DES_CBC:
		snprintf(buf, len, "3des");
		break;
	case XK_ENC_AES_GCM_16:
		snprintf(buf, len, "aes%ugcm16", bits);
		break;
	default:
		snprintf(buf, len, "none");
		break;
	}
	return buf;
}

const char *nkd_auth_name(enum xk_auth_alg auth)
{
	switch (auth) {
	case XK_AUTH_HMAC_SHA1_96:
		return "sha1";
	case XK_AUTH_HMAC_SHA256_128:
		return "sha256";
	case XK_AUTH_HMAC_SHA384_192:
		return "sha384";
	case XK_AUTH_HMAC_SHA512_256:
		return "sha512";
	default:
		return "";
	}
}
