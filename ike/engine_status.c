// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The engine's status read-out. Read-only over the SA store: every fact is
 * copied from the record the engine itself acts on (the endpoints it sends
 * to, the NAT-D outcome it chose the encapsulation with, the deadlines its
 * timer walk uses), so the read-out cannot drift from the behaviour.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/x509.h>

#include "ike/crypto/crypto.h"
#include "ike/engine_int.h"
#include "ike/v1/ikev1_adaptka.h"
#include "ike/v1/ikev1_cfg.h"
#include "ike/engine_status.h"
#include "ike/ikev1_states.h"
#include "ike/sa/sa_store.h"
#include "natt/encap.h"
#include "natt/method.h"

/* Seconds from @now to deadline @at, IKE_STATUS_NO_TIME for none, 0 if due. */
static int64_t until_s(uint64_t at, uint64_t now)
{
	if (at == V1_NO_TIMER)
		return IKE_STATUS_NO_TIME;
	return at > now ? (int64_t)((at - now) / 1000) : 0;
}

/* Seconds since the SA of @life_s seconds that expires at @expire_at came up:
 * expire_at is set to now + life at installation and never moved. */
static uint32_t age_s(uint64_t expire_at, uint32_t life_s, uint64_t now)
{
	uint64_t up;

	if (expire_at == V1_NO_TIMER || expire_at < (uint64_t)life_s * 1000)
		return 0;
	up = expire_at - (uint64_t)life_s * 1000;
	return now > up ? (uint32_t)((now - up) / 1000) : 0;
}

static const char *auth_name(uint16_t auth)
{
	switch (auth) {
	case IKE_AUTH_PSK:
		return "PSK";
	case IKE_AUTH_RSA_SIG:
		return "RSA-SIG";
	case IKE_AUTH_ECDSA_256:
		return "ECDSA-256";
	case IKE_AUTH_ECDSA_384:
		return "ECDSA-384";
	case IKE_AUTH_ECDSA_521:
		return "ECDSA-521";
	default:
		return "unknown";
	}
}

const char *ike_status_p1_format(const struct ike_p1_proposal *p, uint16_t auth, char *buf,
				 size_t len)
{
	char cipher[24];

	if (!len)
		return buf;
	if (p->cipher == IKE_CIPHER_AES_CBC)
		snprintf(cipher, sizeof(cipher), "%s-%u", crypto_cipher_name(p->cipher),
			 p->key_bits);
	else
		snprintf(cipher, sizeof(cipher), "%s", crypto_cipher_name(p->cipher));
	snprintf(buf, len, "%s/%s/%s/%s", cipher, crypto_hash_name(p->hash),
		 crypto_dh_group_name(p->group), auth_name(auth));
	return buf;
}

static const char *esp_auth_name(enum xk_auth_alg a)
{
	switch (a) {
	case XK_AUTH_HMAC_SHA1_96:
		return "HMAC-SHA1-96";
	case XK_AUTH_HMAC_SHA256_128:
		return "HMAC-SHA2-256-128";
	case XK_AUTH_HMAC_SHA384_192:
		return "HMAC-SHA2-384-192";
	case XK_AUTH_HMAC_SHA512_256:
		return "HMAC-SHA2-512-256";
	case XK_AUTH_HMAC_SHA256_96:
		return "HMAC-SHA2-256-96";
	default:
		return NULL;
	}
}

const char *ike_status_p2_format(const struct ike_p2_proposal *p, uint16_t pfs_group, char *buf,
				 size_t len)
{
	char enc[24];
	const char *auth = esp_auth_name(p->auth);
	size_t n;

	if (!len)
		return buf;
	switch (p->enc) {
	case XK_ENC_AES_CBC:
		snprintf(enc, sizeof(enc), "AES-CBC-%u", p->key_bits);
		break;
	case XK_ENC_3DES_CBC:
		snprintf(enc, sizeof(enc), "3DES-CBC");
		break;
	case XK_ENC_AES_GCM_16:
		snprintf(enc, sizeof(enc), "AES-GCM-16-%u", p->key_bits);
		break;
	default:
		snprintf(enc, sizeof(enc), "NULL");
		break;
	}
	snprintf(buf, len, "%s%s%s", enc, auth ? "/" : "", auth ? auth : "");
	n = strlen(buf);
	if (pfs_group && n < len)
		snprintf(buf + n, len - n, "/%s", crypto_dh_group_name(pfs_group));
	return buf;
}

static void ike_fill(const struct ike_engine *eng, const struct ike_sa *sa, uint64_t now,
		     struct ike_sa_status *s)
{
	const struct ike_conn_cfg *c = &eng->conns[sa->conn];
	bool negotiated = sa->life_s != 0; /* the SA proposal was agreed on */

	memset(s, 0, sizeof(*s));
	s->serial = sa->x.serial;
	s->conn_index = sa->conn;
	memcpy(s->conn, c->name, sizeof(s->conn));
	s->conn[sizeof(s->conn) - 1] = '\0';
	s->initiator = sa->initiator;
	s->aggressive = sa->aggressive;
	s->established = ikev1_state_info(sa->x.state)->established;
	s->deleting = sa->deleting;
	s->state = ikev1_state_name(sa->x.state);
	memcpy(s->cky_i, sa->cky_i, sizeof(s->cky_i));
	memcpy(s->cky_r, sa->cky_r, sizeof(s->cky_r));
	sa_ep_to_ss(&sa->local, &s->local);
	sa_ep_to_ss(&sa->remote, &s->remote);
	s->floated = sa->floated;
	s->method = sa->natt;
	s->natt = sa->natt != NATT_METHOD_NONE;
	s->natt_method = natt_method_name(sa->natt);
	s->local_behind_nat = sa->nat_we;
	s->peer_behind_nat = sa->nat_peer;
	s->force_encap = c->natt && c->natt_force;
	natt_diag_copy(&s->nat, &sa->nat, &s->nat_hist);
	natt_diag_classify(&sa->nat, now,
			   eng->cfg.nat_audit_ms == IKE_NAT_AUDIT_OFF ? 0 : eng->cfg.nat_audit_ms,
			   &s->nat_diag);
	/* RFC 3948 s4: only the side behind a NAT keeps its mapping alive,
	 * and only once IKE runs on 4500 (ike/v1/ikev1_lifetime.c). */
	if (sa->floated && sa->nat_we)
		s->keepalive_s = adaptka_interval_ms(eng, sa->conn, sa) / 1000; /* auto or fixed */
	if (negotiated) {
		s->p1 = sa->p1;
		s->auth = sa->auth;
		ike_status_p1_format(&sa->p1, sa->auth, s->proposal, sizeof(s->proposal));
	}
	s->life_s = sa->life_s;
	if (s->established) {
		/* Only now: Aggressive Mode stores it before verifying it. */
		s->peer_id = sa->peer_id;
		s->age_s = age_s(sa->expire_at, sa->life_s, now);
		s->rekey_in_s = sa->rekey_started ? IKE_STATUS_NO_TIME : until_s(sa->rekey_at, now);
		s->expire_in_s = until_s(sa->expire_at, now);
		snprintf(s->xauth_user, sizeof(s->xauth_user), "%s", cfg_user(sa));
		if (cfg_vip(sa)) {
			s->virtual_ip.family = (uint8_t)cfg_vip(sa)->family;
			memcpy(s->virtual_ip.bytes, cfg_vip(sa)->bytes,
			       sizeof(s->virtual_ip.bytes));
		}
		s->n_dns = (uint8_t)cfg_client_dns(sa, s->dns, IKE_MODECFG_DNS_MAX);
	} else {
		s->rekey_in_s = s->expire_in_s = IKE_STATUS_NO_TIME;
	}
}

size_t ike_status_leases(const struct ike_engine *eng, unsigned conn, struct ike_lease_status *v,
			 size_t max, uint32_t *size)
{
	const struct pool *p = cfg_pool_of(eng, conn);
	struct pool_lease l;
	size_t n = 0;

	*size = p ? pool_size(p) : 0;
	for (uint32_t i = 0; i < *size; i++) {
		if (pool_lease_get(p, i, &l) < 0 || !l.owner)
			continue;
		if (n < max) {
			memset(&v[n], 0, sizeof(v[n]));
			v[n].addr.family = (uint8_t)l.addr.family;
			memcpy(v[n].addr.bytes, l.addr.bytes, sizeof(v[n].addr.bytes));
			snprintf(v[n].owner, sizeof(v[n].owner), "%s", l.owner);
			v[n].online = l.online;
		}
		n++;
	}
	return n;
}

size_t ike_status_ike_list(const struct ike_engine *eng, uint64_t now_ms, struct ike_sa_status *v,
			   size_t max)
{
	size_t n = 0;

	for (const struct ike_sa *sa = eng->sas; sa; sa = sa->next, n++)
		if (n < max)
			ike_fill(eng, sa, now_ms, &v[n]);
	return n;
}

bool ike_status_ike_exists(const struct ike_engine *eng, uint32_t serial)
{
	for (const struct ike_sa *sa = eng->sas; sa; sa = sa->next)
		if (sa->x.serial == serial)
			return true;
	return false;
}

static void ipsec_fill(const struct ike_engine *eng, const struct ipsec_sa *k, uint64_t now,
		       struct ipsec_sa_status *s)
{
	const struct ike_conn_cfg *c = &eng->conns[k->conn];

	memset(s, 0, sizeof(*s));
	s->serial = k->x.serial;
	s->ike_serial = k->ike_serial;
	s->conn_index = k->conn;
	memcpy(s->conn, c->name, sizeof(s->conn));
	s->conn[sizeof(s->conn) - 1] = '\0';
	s->initiator = k->initiator;
	s->installed = k->installed;
	s->replaced = k->replaced;
	s->rekeying = k->rekeying;
	s->state = ikev1_state_name(k->x.state);
	s->spi_in = k->spi_in;
	s->spi_out = k->spi_out;
	s->reqid = eng_reqid(eng, k->conn);
	s->life_s = k->life_s;
	if (!k->installed) {
		/* Still negotiating: the transform is not chosen yet. */
		s->mode = c->mode;
		s->encap = "";
		s->rekey_in_s = s->expire_in_s = IKE_STATUS_NO_TIME;
		return;
	}
	s->mode = natt_encap_is_tunnel(k->encap) ? XK_MODE_TUNNEL : XK_MODE_TRANSPORT;
	s->udp_encap = natt_encap_is_udp(k->encap);
	s->encap = natt_encap_name(k->encap);
	s->esp = k->p2;
	s->pfs_group = k->pfs_group;
	ike_status_p2_format(&k->p2, k->pfs_group, s->proposal, sizeof(s->proposal));
	s->local_ts = k->lts;
	s->remote_ts = k->rts;
	sa_ep_to_ss(&k->local, &s->local);
	sa_ep_to_ss(&k->remote, &s->remote);
	s->age_s = age_s(k->expire_at, k->life_s, now);
	s->rekey_in_s = k->rekeying ? IKE_STATUS_NO_TIME : until_s(k->rekey_at, now);
	s->expire_in_s = until_s(k->expire_at, now);
}

size_t ike_status_ipsec_list(const struct ike_engine *eng, uint64_t now_ms,
			     struct ipsec_sa_status *v, size_t max)
{
	size_t n = 0;

	for (const struct ipsec_sa *k = eng->children; k; k = k->next, n++)
		if (n < max)
			ipsec_fill(eng, k, now_ms, &v[n]);
	return n;
}

/* Printable ASCII as is, anything else as '?': the text reaches terminals. */
static void printable_copy(char *dst, size_t cap, const char *prefix, const uint8_t *b, size_t n)
{
	size_t o = 0, i;

	for (; *prefix && o + 1 < cap; prefix++)
		dst[o++] = *prefix;
	for (i = 0; i < n && o + 1 < cap; i++)
		dst[o++] = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '?';
	dst[o] = '\0';
	if (i < n && cap > 4)
		memcpy(dst + cap - 4, "...", 4);
}

static void hex_copy(char *dst, size_t cap, const char *prefix, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t o = 0, i;

	for (; *prefix && o + 1 < cap; prefix++)
		dst[o++] = *prefix;
	for (i = 0; i < n && o + 2 < cap; i++) {
		dst[o++] = digits[b[i] >> 4];
		dst[o++] = digits[b[i] & 15];
	}
	dst[o] = '\0';
	if (i < n && cap > 4)
		memcpy(dst + cap - 4, "...", 4);
}

/* A DER DN the way ipsec.conf writes it ("C=CH, O=Example, CN=gw"). The
 * bytes are the peer's: d2i refuses malformed ones, shown as hex then. */
static bool dn_copy(char *dst, size_t cap, const uint8_t *der, size_t n)
{
	const unsigned char *p = der;
	X509_NAME *name = d2i_X509_NAME(NULL, &p, (long)n);
	BIO *bio = NULL;
	bool ok = false;
	int got;

	if (!name || p != der + n)
		goto out;
	bio = BIO_new(BIO_s_mem());
	if (!bio || X509_NAME_print_ex(bio, name, 0,
				       XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN |
					       (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB)) < 0)
		goto out;
	got = BIO_read(bio, dst, (int)(cap - 1));
	if (got < 0)
		goto out;
	dst[got] = '\0';
	/* Escaped by RFC 2253 rules, but keep the terminal rule anyway. */
	for (int i = 0; i < got; i++)
		if ((unsigned char)dst[i] < 0x20 || (unsigned char)dst[i] >= 0x7f)
			dst[i] = '?';
	if (BIO_pending(bio) > 0 && cap > 4)
		memcpy(dst + cap - 4, "...", 4);
	ok = true;
out:
	BIO_free(bio);
	X509_NAME_free(name);
	return ok;
}

const char *ike_status_id_format(const struct ike_id *id, char *buf, size_t len)
{
	size_t n = id->len < sizeof(id->data) ? id->len : sizeof(id->data);

	if (!len)
		return buf;
	buf[0] = '\0';
	switch (id->type) {
	case 0:
		snprintf(buf, len, "%%any");
		break;
	case 1: /* ID_IPV4_ADDR */
	case 5: /* ID_IPV6_ADDR */
		if (n == (id->type == 1 ? 4u : 16u) &&
		    inet_ntop(id->type == 1 ? AF_INET : AF_INET6, id->data, buf, (socklen_t)len))
			break;
		hex_copy(buf, len, "%bad-address:", id->data, n);
		break;
	case 2: /* ID_FQDN: "@" marks it as a name in ipsec.conf */
		printable_copy(buf, len, "@", id->data, n);
		break;
	case 3: /* ID_USER_FQDN */
		printable_copy(buf, len, "", id->data, n);
		break;
	case 9: /* ID_DER_ASN1_DN */
		if (!dn_copy(buf, len, id->data, n))
			hex_copy(buf, len, "%bad-dn:", id->data, n);
		break;
	case 11: /* ID_KEY_ID */
		hex_copy(buf, len, "@#", id->data, n);
		break;
	default: {
		char prefix[24];

		snprintf(prefix, sizeof(prefix), "%%id%u:", id->type);
		hex_copy(buf, len, prefix, id->data, n);
		break;
	}
	}
	return buf;
}
