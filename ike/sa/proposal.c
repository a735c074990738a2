// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Proposal construction and selection. The responder walks the peer's offer
 * in the peer's preference order and takes the first transform that equals
 * one of our suites; an attribute we do not understand makes that transform
 * unacceptable (2407-4.5.3.a) rather than the whole message.
 */
#include "ike/sa/proposal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "ike/crypto/crypto.h"

int proposal_esp_ids(const struct ike_p2_proposal *p, uint8_t *esp_id, uint16_t *auth_attr)
{
	switch (p->enc) {
	case XK_ENC_AES_CBC:
		*esp_id = ISAKMP_ESP_AES;
		break;
	case XK_ENC_3DES_CBC:
		*esp_id = ISAKMP_ESP_3DES;
		break;
	case XK_ENC_AES_GCM_16:
		*esp_id = ISAKMP_ESP_AES_GCM_16;
		break;
	default:
		return -EINVAL;
	}
	switch (p->auth) {
	case XK_AUTH_NONE:
		*auth_attr = 0;
		break;
	case XK_AUTH_HMAC_SHA1_96:
		*auth_attr = ISAKMP_AUTH_ALG_HMAC_SHA;
		break;
	case XK_AUTH_HMAC_SHA256_128:
		*auth_attr = ISAKMP_AUTH_ALG_HMAC_SHA2_256;
		break;
	case XK_AUTH_HMAC_SHA384_192:
		*auth_attr = ISAKMP_AUTH_ALG_HMAC_SHA2_384;
		break;
	case XK_AUTH_HMAC_SHA512_256:
		*auth_attr = ISAKMP_AUTH_ALG_HMAC_SHA2_512;
		break;
	default:
		return -EINVAL;
	}
	/* GCM is an AEAD: no separate integrity (RFC 4106); CBC needs one. */
	if ((*esp_id == ISAKMP_ESP_AES_GCM_16) != (*auth_attr == 0))
		return -EINVAL;
	return 0;
}

static bool esp_from_wire(uint8_t esp_id, uint16_t key_bits, uint16_t auth_attr,
			  struct ike_p2_proposal *p)
{
	memset(p, 0, sizeof(*p));
	switch (esp_id) {
	case ISAKMP_ESP_AES:
		p->enc = XK_ENC_AES_CBC;
		break;
	case ISAKMP_ESP_3DES:
		p->enc = XK_ENC_3DES_CBC;
		break;
	case ISAKMP_ESP_AES_GCM_16:
		p->enc = XK_ENC_AES_GCM_16;
		break;
	default:
		return false;
	}
	p->key_bits = key_bits;
	switch (auth_attr) {
	case 0:
		p->auth = XK_AUTH_NONE;
		break;
	case ISAKMP_AUTH_ALG_HMAC_SHA:
		p->auth = XK_AUTH_HMAC_SHA1_96;
		break;
	case ISAKMP_AUTH_ALG_HMAC_SHA2_256:
		p->auth = XK_AUTH_HMAC_SHA256_128;
		break;
	case ISAKMP_AUTH_ALG_HMAC_SHA2_384:
		p->auth = XK_AUTH_HMAC_SHA384_192;
		break;
	case ISAKMP_AUTH_ALG_HMAC_SHA2_512:
		p->auth = XK_AUTH_HMAC_SHA512_256;
		break;
	default:
		return false;
	}
	return true;
}

static bool p2_equal(const struct ike_p2_proposal *a, const struct ike_p2_proposal *b)
{
	uint16_t ka = a->key_bits, kb = b->key_bits;

	if (a->enc == XK_ENC_3DES_CBC)
		ka = kb = 0;
	return a->enc == b->enc && ka == kb && a->auth == b->auth;
}

/* ---- Phase 1 ---- */

/* XAUTH's Authentication Methods (draft-beaulieu-ike-xauth-02 s7.2): the
 * method says who is the XAUTH client ("Init": the Phase 1 initiator), the
 * keys are those of the base method. */
static uint16_t auth_base(uint16_t wire)
{
	switch (wire) {
	case ISAKMP_AUTH_XAUTH_INIT_PSK:
	case ISAKMP_AUTH_XAUTH_RESP_PSK:
		return IKE_AUTH_PSK;
	case ISAKMP_AUTH_XAUTH_INIT_RSA:
	case ISAKMP_AUTH_XAUTH_RESP_RSA:
	case ISAKMP_AUTH_HYBRID_INIT_RSA: /* hybrid-auth-05: the responder signs */
		return IKE_AUTH_RSA_SIG;
	default:
		return wire;
	}
}

/* The method an initiator of @c proposes: the XAUTH client says so, as
 * iOS, Android and strongSwan (authby=xauthpsk) do. */
static uint16_t auth_wire(const struct ike_conn_cfg *c)
{
	/* XAUTH has no ECDSA variants: those go as they are. */
	if (c->xauth != IKE_CFG_CLIENT || (ike_auth_is_sig(c->auth) && c->auth != IKE_AUTH_RSA_SIG))
		return (uint16_t)c->auth;
	if (c->hybrid)
		return ISAKMP_AUTH_HYBRID_INIT_RSA;
	return c->auth == IKE_AUTH_RSA_SIG ? ISAKMP_AUTH_XAUTH_INIT_RSA
					   : ISAKMP_AUTH_XAUTH_INIT_PSK;
}

ssize_t proposal_p1_add(struct isakmp_enc *e, const struct ike_conn_cfg *c)
{
	ssize_t off = isakmp_enc_sa_begin(e, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);

	isakmp_enc_prop_begin(e, 1, ISAKMP_PROTO_ISAKMP, NULL, 0);
	for (unsigned i = 0; i < c->n_p1; i++) {
		const struct ike_p1_proposal *p = &c->p1[i];

		isakmp_enc_xform_begin(e, (uint8_t)(i + 1), ISAKMP_KEY_IKE);
		isakmp_enc_attr_tv(e, ISAKMP_IKE_ENCR, p->cipher);
		/* 2409-A.b: Key Length only for variable-length ciphers. */
		if (p->cipher == IKE_CIPHER_AES_CBC)
			isakmp_enc_attr_tv(e, ISAKMP_IKE_KEY_LENGTH, p->key_bits);
		isakmp_enc_attr_tv(e, ISAKMP_IKE_HASH, p->hash);
		isakmp_enc_attr_tv(e, ISAKMP_IKE_AUTH, auth_wire(c));
		isakmp_enc_attr_tv(e, ISAKMP_IKE_GROUP_DESC, p->group);
		isakmp_enc_attr_tv(e, ISAKMP_IKE_LIFE_TYPE, ISAKMP_LIFE_SECONDS);
		isakmp_enc_attr_uint(e, ISAKMP_IKE_LIFE_DURATION, c->ike_lifetime_s);
		isakmp_enc_xform_end(e);
	}
	isakmp_enc_prop_end(e);
	isakmp_enc_sa_end(e);
	return e->err ? e->err : off;
}

/* Parse one Phase 1 transform; false if it has anything we cannot honour. */
static bool p1_xform_parse(const struct isakmp_transform *xf, struct p1_choice *ch)
{
	struct isakmp_attr_iter it;
	struct isakmp_attr a;
	uint16_t life_type = 0;

	memset(&ch->p, 0, sizeof(ch->p));
	ch->auth = 0;
	ch->auth_wire = 0;
	ch->life_s = 0;
	if (xf->id != ISAKMP_KEY_IKE)
		return false;
	isakmp_attr_iter_init(&it, xf->attrs, xf->attrs_len);
	while (isakmp_attr_next(&it, &a)) {
		uint64_t v;

		if (isakmp_attr_uint(&a, &v) < 0)
			return false;
		switch (a.type) {
		case ISAKMP_IKE_ENCR:
			ch->p.cipher = (uint16_t)v;
			break;
		case ISAKMP_IKE_KEY_LENGTH:
			ch->p.key_bits = (uint16_t)v;
			break;
		case ISAKMP_IKE_HASH:
			ch->p.hash = (uint16_t)v;
			break;
		case ISAKMP_IKE_AUTH:
			ch->auth_wire = (uint16_t)v;
			ch->auth = auth_base((uint16_t)v);
			break;
		case ISAKMP_IKE_GROUP_DESC:
			ch->p.group = (uint16_t)v;
			break;
		case ISAKMP_IKE_LIFE_TYPE:
			life_type = (uint16_t)v;
			break;
		case ISAKMP_IKE_LIFE_DURATION:
			/* 2407-4.5.2.a: kilobyte limits are parsed, not enforced. */
			if (life_type == ISAKMP_LIFE_SECONDS)
				ch->life_s = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
			break;
		default:
			return false; /* PRF, explicit groups, ... */
		}
	}
	return ch->p.cipher && ch->p.hash && ch->auth && ch->p.group;
}

static bool p1_ours(const struct ike_conn_cfg *c, const struct p1_choice *ch)
{
	unsigned flags = c->allow_legacy ? CRYPTO_F_LEGACY : 0;

	if (ch->auth != (uint16_t)c->auth)
		return false;
	/* An XAUTH method only where we run XAUTH (the plain method too: the
	 * Transaction follows whatever Phase 1 said). */
	if (ch->auth_wire != ch->auth && c->xauth == IKE_CFG_NONE)
		return false;
	/* Hybrid RSA exactly where configured: a hybrid gateway must not take
	 * a client that would sign, nor another gateway one that will not. */
	if ((ch->auth_wire == ISAKMP_AUTH_HYBRID_INIT_RSA) != c->hybrid)
		return false;
	if (!crypto_cipher_allowed(ch->p.cipher, ch->p.key_bits, flags) ||
	    !crypto_hash_allowed(ch->p.hash, flags) || !crypto_dh_allowed(ch->p.group, flags))
		return false;
	for (unsigned i = 0; i < c->n_p1; i++) {
		const struct ike_p1_proposal *p = &c->p1[i];

		if (p->cipher == ch->p.cipher && p->hash == ch->p.hash && p->group == ch->p.group &&
		    (p->cipher != IKE_CIPHER_AES_CBC || p->key_bits == ch->p.key_bits))
			return true;
	}
	return false;
}

static int p1_single_proposal(const struct isakmp_sa *sa, struct isakmp_proposal *prop)
{
	struct isakmp_prop_iter it;

	/* 2409-5.h: one proposal in Phase 1. */
	if (sa->doi != ISAKMP_DOI_IPSEC || sa->situation != ISAKMP_SIT_IDENTITY_ONLY ||
	    sa->nprops != 1)
		return -EBADMSG;
	isakmp_prop_iter_init(&it, sa);
	if (!isakmp_prop_next(&it, prop) || prop->protocol != ISAKMP_PROTO_ISAKMP)
		return -EBADMSG;
	return 0;
}

int proposal_p1_select(const struct isakmp_sa *sa, const struct ike_conn_cfg *c,
		       struct p1_choice *out)
{
	struct isakmp_xform_iter it;
	struct isakmp_transform xf;
	int rc = p1_single_proposal(sa, &out->prop);

	if (rc < 0)
		return rc;
	isakmp_xform_iter_init(&it, &out->prop);
	while (isakmp_xform_next(&it, &xf)) {
		if (p1_xform_parse(&xf, out) && p1_ours(c, out)) {
			out->xf = xf;
			out->prop_no = out->prop.number;
			if (!out->life_s || out->life_s > c->ike_lifetime_s)
				out->life_s = c->ike_lifetime_s;
			return 0;
		}
	}
	return -ENOENT;
}

/* A transform natkeyd implements, but only behind the legacy opt-in. */
static bool p1_legacy(const struct p1_choice *ch)
{
	const struct ike_p1_proposal *p = &ch->p;

	if (!crypto_cipher_allowed(p->cipher, p->key_bits, CRYPTO_F_LEGACY) ||
	    !crypto_hash_allowed(p->hash, CRYPTO_F_LEGACY) ||
	    !crypto_dh_allowed(p->group, CRYPTO_F_LEGACY))
		return false;
	return !crypto_cipher_allowed(p->cipher, p->key_bits, 0) ||
	       !crypto_hash_allowed(p->hash, 0) || !crypto_dh_allowed(p->group, 0);
}

unsigned proposal_p1_legacy_count(const struct isakmp_sa *sa)
{
	struct isakmp_xform_iter it;
	struct isakmp_transform xf;
	struct p1_choice ch;
	unsigned n = 0;

	if (p1_single_proposal(sa, &ch.prop) < 0)
		return 0;
	isakmp_xform_iter_init(&it, &ch.prop);
	while (isakmp_xform_next(&it, &xf))
		n += p1_xform_parse(&xf, &ch) && p1_legacy(&ch);
	return n;
}

int proposal_p1_check_reply(const struct isakmp_sa *sa, const struct ike_conn_cfg *c,
			    struct p1_choice *out)
{
	struct isakmp_xform_iter it;
	struct isakmp_transform xf;
	int rc = p1_single_proposal(sa, &out->prop);

	if (rc < 0)
		return rc;
	if (out->prop.ntransforms != 1)
		return -EBADMSG; /* 2408-4.2.c: one transform in the answer */
	isakmp_xform_iter_init(&it, &out->prop);
	if (!isakmp_xform_next(&it, &xf))
		return -EBADMSG;
	/* 2409-5.j: the answer must be one of our transforms, unchanged. */
	if (!p1_xform_parse(&xf, out) || !p1_ours(c, out))
		return -ENOENT;
	if (out->life_s && out->life_s != c->ike_lifetime_s)
		return -ENOENT;
	out->xf = xf;
	out->life_s = c->ike_lifetime_s;
	return 0;
}

ssize_t proposal_echo(struct isakmp_enc *e, const struct isakmp_sa *sa_in,
		      const struct isakmp_proposal *prop, const struct isakmp_transform *xf,
		      const void *spi, uint8_t spi_size)
{
	struct isakmp_attr_iter it;
	struct isakmp_attr a;
	ssize_t off = isakmp_enc_sa_begin(e, sa_in->doi, sa_in->situation);

	isakmp_enc_prop_begin(e, prop->number, prop->protocol, spi, spi_size);
	isakmp_enc_xform_begin(e, xf->number, xf->id);
	isakmp_attr_iter_init(&it, xf->attrs, xf->attrs_len);
	while (isakmp_attr_next(&it, &a)) {
		if (a.tv)
			isakmp_enc_attr_tv(e, a.type, a.value);
		else
			isakmp_enc_attr_tlv(e, a.type, a.data, a.len);
	}
	isakmp_enc_xform_end(e);
	isakmp_enc_prop_end(e);
	isakmp_enc_sa_end(e);
	return e->err ? e->err : off;
}

/* ---- Phase 2 ---- */

ssize_t proposal_p2_add(struct isakmp_enc *e, const struct p2_offer *o)
{
	const struct ike_conn_cfg *c = o->conn;
	uint32_t spi = htonl(o->spi);
	ssize_t off = isakmp_enc_sa_begin(e, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);

	isakmp_enc_prop_begin(e, 1, ISAKMP_PROTO_ESP, &spi, sizeof(spi));
	for (unsigned i = 0; i < c->n_p2; i++) {
		uint8_t esp_id;
		uint16_t auth;

		if (proposal_esp_ids(&c->p2[i], &esp_id, &auth) < 0)
			return -EINVAL;
		isakmp_enc_xform_begin(e, (uint8_t)(i + 1), esp_id);
		isakmp_enc_attr_tv(e, ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_SECONDS);
		isakmp_enc_attr_uint(e, ISAKMP_IPSEC_LIFE_DURATION, o->life_s);
		/* RFC 2407 s4.5.2: several Type/Duration pairs; the SA ends at
		 * whichever comes first. */
		if (o->life_kb) {
			isakmp_enc_attr_tv(e, ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_KILOBYTES);
			isakmp_enc_attr_uint(e, ISAKMP_IPSEC_LIFE_DURATION, o->life_kb);
		}
		/* 2409-5.5.i: with PFS the group is in every transform. */
		if (o->group)
			isakmp_enc_attr_tv(e, ISAKMP_IPSEC_GROUP_DESC, o->group);
		isakmp_enc_attr_tv(e, ISAKMP_IPSEC_ENCAP_MODE, o->encap_value);
		if (auth)
			isakmp_enc_attr_tv(e, ISAKMP_IPSEC_AUTH_ALG, auth);
		if (esp_id != ISAKMP_ESP_3DES)
			isakmp_enc_attr_tv(e, ISAKMP_IPSEC_KEY_LENGTH, c->p2[i].key_bits);
		isakmp_enc_xform_end(e);
	}
	isakmp_enc_prop_end(e);
	isakmp_enc_sa_end(e);
	return e->err ? e->err : off;
}

static bool p2_xform_parse(const struct isakmp_transform *xf, const struct p2_nat *nat,
			   struct p2_choice *ch)
{
	struct isakmp_attr_iter it;
	struct isakmp_attr a;
	uint16_t life_type = 0, key_bits = 0, auth = 0;
	bool have_encap = false;

	ch->group = 0;
	ch->life_s = 0;
	ch->life_kb = 0;
	ch->shortened = false;
	ch->has_key_len = false;
	isakmp_attr_iter_init(&it, xf->attrs, xf->attrs_len);
	while (isakmp_attr_next(&it, &a)) {
		uint64_t v;

		if (isakmp_attr_uint(&a, &v) < 0)
			return false;
		switch (a.type) {
		case ISAKMP_IPSEC_LIFE_TYPE:
			life_type = (uint16_t)v;
			break;
		case ISAKMP_IPSEC_LIFE_DURATION:
			/* 2407-4.5.b: a Duration follows its Type; a repeated
			 * type conflicts (2407-4.5.2.a). */
			if (life_type == ISAKMP_LIFE_SECONDS && !ch->life_s)
				ch->life_s = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
			else if (life_type == ISAKMP_LIFE_KILOBYTES && !ch->life_kb)
				ch->life_kb = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
			else
				return false;
			life_type = 0;
			break;
		case ISAKMP_IPSEC_GROUP_DESC:
			ch->group = (uint16_t)v;
			break;
		case ISAKMP_IPSEC_ENCAP_MODE:
			ch->encap_value = (uint16_t)v;
			have_encap = true;
			break;
		case ISAKMP_IPSEC_AUTH_ALG:
			auth = (uint16_t)v;
			break;
		case ISAKMP_IPSEC_KEY_LENGTH:
			key_bits = (uint16_t)v;
			ch->has_key_len = true;
			break;
		default:
			return false;
		}
	}
	if (!have_encap || natt_encap_parse(nat->method, ch->encap_value, &ch->encap) < 0)
		return false;
	ch->esp_id = xf->id;
	ch->auth_attr = auth;
	if (life_type)
		return false; /* a Type without its Duration */
	ch->life_offered = ch->life_s;
	ch->life_kb_offered = ch->life_kb;
	return esp_from_wire(xf->id, key_bits, auth, &ch->p);
}

int proposal_p2_select(const struct isakmp_sa *sa, const struct ike_conn_cfg *c,
		       const struct p2_nat *nat, struct p2_choice *out)
{
	struct isakmp_prop_iter pit;
	struct isakmp_proposal prop, next;
	bool have = false;

	if (sa->doi != ISAKMP_DOI_IPSEC || sa->nprops == 0)
		return -EBADMSG;
	isakmp_prop_iter_init(&pit, sa);
	have = isakmp_prop_next(&pit, &prop);
	while (have) {
		bool more = isakmp_prop_next(&pit, &next);
		bool combined = more && next.number == prop.number;
		struct isakmp_xform_iter xit;
		struct isakmp_transform xf;

		/* 2408-4.2.a: same number = AND (e.g. AH+ESP); we do ESP alone. */
		if (combined) {
			uint8_t n = prop.number;

			while (more && next.number == n)
				more = isakmp_prop_next(&pit, &next);
			prop = next;
			have = more;
			continue;
		}
		if (prop.protocol == ISAKMP_PROTO_ESP && prop.spi_size == 4) {
			isakmp_xform_iter_init(&xit, &prop);
			while (isakmp_xform_next(&xit, &xf)) {
				bool ok = false;

				if (!p2_xform_parse(&xf, nat, out))
					continue;
				for (unsigned i = 0; i < c->n_p2 && !ok; i++)
					ok = p2_equal(&c->p2[i], &out->p);
				if (!ok)
					continue;
				/* Tunnel vs transport must be the connection's. */
				if (natt_encap_is_tunnel(out->encap) != (c->mode == XK_MODE_TUNNEL))
					continue;
				/* RFC 3947 s5.1: the NAT rule lives in natt/. */
				if (natt_encap_check(out->encap, nat->nat_detected,
						     c->natt_force) != NATT_ENCAP_OK)
					continue;
				if (out->group && out->group != c->pfs_group &&
				    !(c->pfs_group == 0 &&
				      crypto_dh_allowed(out->group,
							c->allow_legacy ? CRYPTO_F_LEGACY : 0)))
					continue;
				if (!out->group && c->pfs_group)
					continue; /* we insist on PFS */
				memcpy(&out->peer_spi, prop.spi, 4);
				out->peer_spi = ntohl(out->peer_spi);
				out->prop = prop;
				out->xf = xf;
				/* 2407-4.5.4.a: a shorter offer is taken as is;
				 * a longer (or absent = 28800 s, 2407-4.5.a)
				 * one gets ours and a RESPONDER-LIFETIME. */
				if ((out->life_s ? out->life_s : P2_DEFAULT_LIFE_S) >
				    c->ipsec_lifetime_s)
					out->shortened = true;
				if (!out->life_s || out->life_s > c->ipsec_lifetime_s)
					out->life_s = c->ipsec_lifetime_s;
				if (c->ipsec_lifetime_kb &&
				    (!out->life_kb || out->life_kb > c->ipsec_lifetime_kb)) {
					out->life_kb = c->ipsec_lifetime_kb;
					out->shortened = true;
				}
				return 0;
			}
		}
		prop = next;
		have = more;
	}
	return -ENOENT;
}

unsigned proposal_p2_legacy_count(const struct isakmp_sa *sa)
{
	struct isakmp_prop_iter pit;
	struct isakmp_proposal prop;
	unsigned n = 0;

	if (sa->doi != ISAKMP_DOI_IPSEC)
		return 0;
	isakmp_prop_iter_init(&pit, sa);
	while (isakmp_prop_next(&pit, &prop)) {
		struct isakmp_xform_iter xit;
		struct isakmp_transform xf;

		if (prop.protocol != ISAKMP_PROTO_ESP)
			continue;
		isakmp_xform_iter_init(&xit, &prop);
		while (isakmp_xform_next(&xit, &xf)) {
			struct isakmp_attr_iter it;
			struct isakmp_attr a;
			bool legacy = xf.id == ISAKMP_ESP_3DES;

			isakmp_attr_iter_init(&it, xf.attrs, xf.attrs_len);
			while (isakmp_attr_next(&it, &a)) {
				uint64_t v;

				if (a.type == ISAKMP_IPSEC_GROUP_DESC &&
				    isakmp_attr_uint(&a, &v) == 0 && v <= UINT16_MAX &&
				    crypto_dh_allowed((uint16_t)v, CRYPTO_F_LEGACY) &&
				    !crypto_dh_allowed((uint16_t)v, 0))
					legacy = true;
			}
			n += legacy;
		}
	}
	return n;
}

int proposal_p2_check_reply(const struct isakmp_sa *sa, const struct p2_offer *o,
			    const struct p2_nat *nat, struct p2_choice *out)
{
	struct isakmp_prop_iter pit;
	struct isakmp_xform_iter xit;
	struct isakmp_transform xf;
	bool ok = false;

	if (sa->doi != ISAKMP_DOI_IPSEC || sa->nprops != 1)
		return -EBADMSG;
	isakmp_prop_iter_init(&pit, sa);
	if (!isakmp_prop_next(&pit, &out->prop) || out->prop.protocol != ISAKMP_PROTO_ESP ||
	    out->prop.spi_size != 4 || out->prop.ntransforms != 1)
		return -EBADMSG;
	isakmp_xform_iter_init(&xit, &out->prop);
	if (!isakmp_xform_next(&xit, &xf) || !p2_xform_parse(&xf, nat, out))
		return -ENOENT;
	for (unsigned i = 0; i < o->conn->n_p2 && !ok; i++)
		ok = p2_equal(&o->conn->p2[i], &out->p);
	if (!ok || out->encap_value != o->encap_value || out->group != o->group ||
	    (out->life_s && out->life_s > o->life_s) ||
	    (out->life_kb && o->life_kb && out->life_kb > o->life_kb) ||
	    (out->life_kb && !o->life_kb))
		return -ENOENT;
	memcpy(&out->peer_spi, out->prop.spi, 4);
	out->peer_spi = ntohl(out->peer_spi);
	out->xf = xf;
	if (!out->life_s)
		out->life_s = o->life_s;
	if (!out->life_kb)
		out->life_kb = o->life_kb;
	return 0;
}

ssize_t proposal_p2_reply_add(struct isakmp_enc *e, const struct p2_choice *ch, uint32_t spi)
{
	uint32_t nspi = htonl(spi);
	ssize_t off = isakmp_enc_sa_begin(e, ISAKMP_DOI_IPSEC, ISAKMP_SIT_IDENTITY_ONLY);

	/* 2408-4.2.c: keep the proposal and transform numbers. */
	isakmp_enc_prop_begin(e, ch->prop.number, ISAKMP_PROTO_ESP, &nspi, sizeof(nspi));
	isakmp_enc_xform_begin(e, ch->xf.number, ch->esp_id);
	if (ch->life_offered) {
		isakmp_enc_attr_tv(e, ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_SECONDS);
		isakmp_enc_attr_uint(e, ISAKMP_IPSEC_LIFE_DURATION, ch->life_offered);
	}
	if (ch->life_kb_offered) {
		isakmp_enc_attr_tv(e, ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_KILOBYTES);
		isakmp_enc_attr_uint(e, ISAKMP_IPSEC_LIFE_DURATION, ch->life_kb_offered);
	}
	if (ch->group)
		isakmp_enc_attr_tv(e, ISAKMP_IPSEC_GROUP_DESC, ch->group);
	isakmp_enc_attr_tv(e, ISAKMP_IPSEC_ENCAP_MODE, ch->encap_value);
	if (ch->auth_attr)
		isakmp_enc_attr_tv(e, ISAKMP_IPSEC_AUTH_ALG, ch->auth_attr);
	if (ch->has_key_len)
		isakmp_enc_attr_tv(e, ISAKMP_IPSEC_KEY_LENGTH, ch->p.key_bits);
	isakmp_enc_xform_end(e);
	isakmp_enc_prop_end(e);
	isakmp_enc_sa_end(e);
	return e->err ? e->err : off;
}

ssize_t proposal_p2_lifetime_add(struct isakmp_enc *e, uint32_t life_s, uint32_t life_kb)
{
	isakmp_enc_attrs_begin(e);
	isakmp_enc_attr_tv(e, ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_SECONDS);
	isakmp_enc_attr_uint(e, ISAKMP_IPSEC_LIFE_DURATION, life_s);
	if (life_kb) {
		isakmp_enc_attr_tv(e, ISAKMP_IPSEC_LIFE_TYPE, ISAKMP_LIFE_KILOBYTES);
		isakmp_enc_attr_uint(e, ISAKMP_IPSEC_LIFE_DURATION, life_kb);
	}
	return isakmp_enc_finish(e);
}

int proposal_p2_lifetime_parse(const uint8_t *data, size_t len, uint32_t *life_s, uint32_t *life_kb)
{
	struct isakmp_attr_iter it;
	struct isakmp_attr a;
	struct isakmp_err err;
	uint16_t type = 0;
	uint32_t s = *life_s, kb = *life_kb;

	if (isakmp_attrs_check(data, len, ISAKMP_ATTRS_IPSEC, &err) < 0)
		return -EBADMSG;
	isakmp_attr_iter_init(&it, data, len);
	while (isakmp_attr_next(&it, &a)) {
		uint64_t v;

		if (isakmp_attr_uint(&a, &v) < 0)
			return -EBADMSG;
		if (a.type == ISAKMP_IPSEC_LIFE_TYPE) {
			if (v != ISAKMP_LIFE_SECONDS && v != ISAKMP_LIFE_KILOBYTES)
				return -EBADMSG;
			type = (uint16_t)v;
		} else if (a.type == ISAKMP_IPSEC_LIFE_DURATION && type && v) {
			uint32_t v32 = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;

			if (type == ISAKMP_LIFE_SECONDS)
				s = v32;
			else
				kb = v32;
			type = 0;
		} else {
			return -EBADMSG;
		}
	}
	if (type)
		return -EBADMSG;
	*life_s = s;
	*life_kb = kb;
	return 0;
}

int proposal_p2_responder_lifetime(const struct isakmp_notify *n, uint32_t peer_spi,
				   uint32_t *life_s, uint32_t *life_kb)
{
	uint32_t s = *life_s, kb = *life_kb, spi;

	/* SPI: the responder's inbound SPI (ESP), or the two ISAKMP cookies. */
	if (n->spi_size == 4) {
		memcpy(&spi, n->spi, 4);
		if (n->protocol != ISAKMP_PROTO_ESP || ntohl(spi) != peer_spi)
			return 0;
	} else if (n->spi_size != 2 * ISAKMP_COOKIE_LEN) {
		return 0;
	}
	if (proposal_p2_lifetime_parse(n->data, n->data_len, &s, &kb) < 0)
		return -EBADMSG;
	if (s && s < *life_s)
		*life_s = s;
	if (kb && (!*life_kb || kb < *life_kb))
		*life_kb = kb;
	return 1;
}
