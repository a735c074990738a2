// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The connection view: the engine's status read-out put in ipsec.conf
 * terms. Nothing here is inferred from log text or from kernel requests:
 * the engine reports its own SAs (ike/engine_status.h).
 */
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "ike/crypto/crypto.h"
#include "tools/natkeyd/natkeyd_view.h"

void nkd_view_reset(struct nkd_view *v)
{
	memset(v, 0, sizeof(*v));
}

void nkd_view_on_action(struct nkd_view *v, const struct ike_action *a)
{
	const struct ike_log *l = &a->u.log;

	if (a->type != IKE_ACT_LOG)
		return;
	if (l->reason == IKE_R_IKE_ESTABLISHED)
		v->last_error[0] = '\0';
	else if (l->level >= IKE_LOG_WARN && l->level != IKE_LOG_AUDIT)
		snprintf(v->last_error, sizeof(v->last_error), "%s: %s", ike_reason_name(l->reason),
			 l->text);
}

bool nkd_sockaddr_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

		return x->sin6_port == y->sin6_port &&
		       !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
	}
	return false;
}

int nkd_child_ike_find(const struct ike_sa_status *ike, size_t n_ike,
		       const struct ipsec_sa_status *child)
{
	for (size_t i = 0; i < n_ike; i++)
		if (ike[i].serial == child->ike_serial)
			return (int)i;
	/* Its IKE SA was rekeyed away: the successor talks to the same peer
	 * endpoint (an authenticated mapping change moves both). */
	for (size_t i = 0; i < n_ike; i++)
		if (ike[i].established && !ike[i].deleting &&
		    nkd_sockaddr_same(&ike[i].remote, &child->remote))
			return (int)i;
	return NKD_NO_IKE;
}

void nkd_facts_collect(const struct ike_engine *eng, uint64_t now_ms, struct nkd_facts *f)
{
	struct ipsec_sa_status *all = f->child; /* filtered in place */
	size_t n;

	memset(f, 0, sizeof(*f));
	f->ike_total = ike_status_ike_list(eng, now_ms, f->ike, NKD_VIEW_IKE);
	f->n_ike = f->ike_total < NKD_VIEW_IKE ? f->ike_total : NKD_VIEW_IKE;
	for (size_t i = 0; i < f->n_ike; i++) {
		const struct ike_sa_status *s = &f->ike[i];

		if (s->auth)
			nkd_p1_name(&s->p1, f->ike_proposal[i], sizeof(f->ike_proposal[i]));
		if (s->peer_id.type)
			ike_status_id_format(&s->peer_id, f->ike_peer_id[i],
					     sizeof(f->ike_peer_id[i]));
		/* Newest first: the first established one is the current SA. */
		if (!f->main || (!f->main->established && s->established))
			f->main = s;
	}
	f->child_total = ike_status_ipsec_list(eng, now_ms, all, NKD_VIEW_CHILDREN);
	n = f->child_total < NKD_VIEW_CHILDREN ? f->child_total : NKD_VIEW_CHILDREN;
	for (size_t i = 0; i < n; i++) {
		/* A replaced pair lingers until its successor's Delete: the
		 * current SAs are the ones to show. */
		if (!all[i].installed || all[i].replaced)
			continue;
		if (f->n_child != i)
			f->child[f->n_child] = all[i];
		nkd_p2_name(&f->child[f->n_child].esp, f->child[f->n_child].pfs_group,
			    f->child_proposal[f->n_child], sizeof(f->child_proposal[0]));
		f->child_ike[f->n_child] =
			nkd_child_ike_find(f->ike, f->n_ike, &f->child[f->n_child]);
		f->n_child++;
	}
}

const char *nkd_natt_method_name(enum natt_method m, char *buf, size_t len)
{
	const char *name = natt_method_name(m);
	size_t i;

	if (!len)
		return buf;
	if (m == NATT_METHOD_RFC3947) {
		snprintf(buf, len, "rfc3947");
		return buf;
	}
	/* The drafts by the name of their VID string, lower case. */
	for (i = 0; i + 1 < len && name[i]; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[i] = '\0';
	return buf;
}

static const char *p1_cipher(const struct ike_p1_proposal *p, char *buf, size_t len)
{
	if (p->cipher == IKE_CIPHER_AES_CBC)
		snprintf(buf, len, "aes%u", p->key_bits);
	else if (p->cipher == IKE_CIPHER_3DES_CBC)
		snprintf(buf, len, "3des");
	else
		snprintf(buf, len, "cipher%u", p->cipher);
	return buf;
}

static const char *p1_hash(uint16_t hash)
{
	switch (hash) {
	case IKE_HASH_MD5:
		return "md5";
	case IKE_HASH_SHA1:
		return "sha1";
	case IKE_HASH_SHA2_256:
		return "sha256";
	case IKE_HASH_SHA2_384:
		return "sha384";
	case IKE_HASH_SHA2_512:
		return "sha512";
	default:
		return "unknown";
	}
}

/* ipsec.conf group names (ike/conf/conf_proposal.c): "modp2048", "ecp256". */
static const char *group_name(uint16_t group, char *buf, size_t len)
{
	switch (group) {
	case IKE_DH_MODP_1024:
		return "modp1024";
	case IKE_DH_MODP_1536:
		return "modp1536";
	case IKE_DH_MODP_2048:
		return "modp2048";
	case IKE_DH_MODP_3072:
		return "modp3072";
	case IKE_DH_MODP_4096:
		return "modp4096";
	case IKE_DH_ECP_256:
		return "ecp256";
	case IKE_DH_ECP_384:
		return "ecp384";
	case IKE_DH_ECP_521:
		return "ecp521";
	default:
		snprintf(buf, len, "group%u", group);
		return buf;
	}
}

const char *nkd_p1_name(const struct ike_p1_proposal *p, char *buf, size_t len)
{
	char c[16], g[16];

	snprintf(buf, len, "%s-%s-%s", p1_cipher(p, c, sizeof(c)), p1_hash(p->hash),
		 group_name(p->group, g, sizeof(g)));
	return buf;
}

const char *nkd_p2_name(const struct ike_p2_proposal *p, uint16_t pfs_group, char *buf, size_t len)
{
	char e[24], g[16];
	const char *auth = nkd_auth_name(p->auth);

	nkd_enc_name(p->enc, p->key_bits, e, sizeof(e));
	snprintf(buf, len, "%s%s%s%s%s", e, auth[0] ? "-" : "", auth, pfs_group ? "-" : "",
		 pfs_group ? group_name(pfs_group, g, sizeof(g)) : "");
	return buf;
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
	case XK_AUTH_HMAC_SHA256_96:
		return "sha256_96";
	default:
		return "";
	}
}

static uint64_t ago_s(uint64_t now, uint64_t t)
{
	return now > t ? (now - t + 500) / 1000 : 0;
}

void nkd_nat_view(const struct ike_sa_status *k, uint64_t now_ms, struct nkd_nat_text *t,
		  struct ctl_nat_view *v)
{
	const struct natt_facts *f = &k->nat;
	const struct natt_diag *d = &k->nat_diag;
	struct natt_remap h[NATT_DIAG_HISTORY];
	size_t n = natt_diag_history(f, h, NATT_DIAG_HISTORY);

	memset(v, 0, sizeof(*v));
	v->peer_nat = natt_peer_nat_name(d->peer_nat);
	v->local_behind_nat = f->we_behind_nat;
	v->port_preserved = natt_tri_name(d->port_preserved);
	v->split_nat = natt_tri_name(d->split_nat);
	v->cgn = d->cgn;
	v->leg_500 = f->ep500.family ? natt_ep_format(&f->ep500, true, t->leg500, sizeof(t->leg500))
				     : NULL;
	v->leg_4500 = f->ep4500.family
			      ? natt_ep_format(&f->ep4500, true, t->leg4500, sizeof(t->leg4500))
			      : NULL;
	v->natoa = f->natoa.family ? natt_ep_format(&f->natoa, false, t->natoa, sizeof(t->natoa))
				   : NULL;
	v->binding_s = (d->binding_ms + 500) / 1000;
	v->have_last_auth = f->last_auth_ms != 0;
	v->last_auth_ago_s = ago_s(now_ms, f->last_auth_ms);
	v->keepalives = f->ka_count;
	v->keepalive_interval_s = (d->ka_interval_ms + 500) / 1000;
	v->have_last_keepalive = f->ka_count != 0;
	v->last_keepalive_ago_s = ago_s(now_ms, f->ka_last_ms);
	v->mapping_changes = f->remaps;
	for (size_t i = 0; i < n && i < CTL_NAT_HISTORY_MAX; i++) {
		struct ctl_nat_remap_view *r = &t->remaps[i];

		r->ago_s = ago_s(now_ms, h[i].at_ms);
		r->old_ep =
			natt_ep_format(&h[i].old_ep, true, t->hist[i][0], sizeof(t->hist[i][0]));
		r->new_ep =
			natt_ep_format(&h[i].new_ep, true, t->hist[i][1], sizeof(t->hist[i][1]));
		r->idle_s = (h[i].idle_ms + 500) / 1000;
		r->esp = h[i].esp;
	}
	v->history = t->remaps;
	v->n_history = n < CTL_NAT_HISTORY_MAX ? n : CTL_NAT_HISTORY_MAX;
	v->audit = d->verdict == NATT_AUDIT_NO_KEEPALIVE     ? "no-keepalive"
		   : d->verdict == NATT_AUDIT_SLOW_KEEPALIVE ? "slow-keepalive"
							     : "ok";
	v->diagnosis = d->text;
}

bool nkd_nat_shown(const struct ike_sa_status *v, size_t i)
{
	if (!v[i].established || v[i].deleting)
		return false;
	for (size_t k = 0; k < i; k++)
		if (v[k].established && !v[k].deleting && v[k].conn_index == v[i].conn_index &&
		    v[k].peer_id.type == v[i].peer_id.type &&
		    v[k].peer_id.len == v[i].peer_id.len &&
		    !memcmp(v[k].peer_id.data, v[i].peer_id.data, v[i].peer_id.len) &&
		    nkd_sockaddr_same(&v[k].remote, &v[i].remote))
			return false;
	return true;
}
