// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Steps shared by Main Mode and Aggressive Mode: SA payload, KE/nonce,
 * Vendor IDs, NAT-D, key derivation, ID and HASH_I/HASH_R, the float to
 * port 4500 and the end of Phase 1. Every NAT-T decision is a call into
 * natt/; every byte on the wire goes through the codec.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/engine_crypto.h"
#include "ike/engine_int.h"
#include "ike/v1/ikev1_adaptka.h"
#include "ike/v1/ikev1_cfg.h"
#include "ike/sa/ikev1_ids.h"
#include "ike/v1/ikev1_exchanges.h"
#include "ike/ikev1_frag.h"
#include "ike/ikev1_msg.h"
#include "ike/crypto/cert.h"
#include "ike/crypto/keys.h"
#include "ike/crypto/ocsp.h"
#include "ike/crypto/sig.h"
#include "ike/sa/proposal.h"
#include "natt/endpoint.h"
#include "natt/framing.h"
#include "natt/mapping.h"
#include "natt/method.h"
#include "natt/natd.h"
#include "natt/ports.h"

static natt_method_set natt_allowed(const struct ike_conn_cfg *c)
{
	if (!c->natt)
		return 0;
	return c->natt_methods ? c->natt_methods : NATT_METHODS_USABLE;
}

void p1_cookie_new(struct ike_engine *eng, const union ike_ep *peer, uint64_t now, uint8_t *cky)
{
	uint8_t out[CRYPTO_HASH_MAX_LEN];
	uint64_t ctr = ++eng->cookie_counter;
	struct crypto_chunk in[3] = {
		CRYPTO_CHUNK(peer, sizeof(*peer)),
		CRYPTO_CHUNK(&now, sizeof(now)),
		CRYPTO_CHUNK(&ctr, sizeof(ctr)),
	};

	/* RFC 2408 2.5.3: peer-dependent, unforgeable, time-unique, fast. */
	if (crypto_prf(IKE_HASH_SHA2_256, eng->cookie_secret, sizeof(eng->cookie_secret), in, 3,
		       out, sizeof(out)) < 0)
		eng_random(eng, out, IKE_COOKIE_LEN);
	memcpy(cky, out, IKE_COOKIE_LEN);
}

int p1_sa_add(struct ikev1_ctx *ctx, struct isakmp_enc *e)
{
	struct p1_work *w = ctx->sa->w;
	ssize_t off = proposal_p1_add(e, ctx->conn);
	size_t body;

	if (off < 0)
		return (int)off;
	body = e->len - (size_t)off - ISAKMP_GEN_LEN;
	if (body > sizeof(w->sai_b))
		return -EMSGSIZE;
	/* SAi_b: the SA payload body without its generic header (2409-5.o). */
	memcpy(w->sai_b, e->buf + off + ISAKMP_GEN_LEN, body);
	w->sai_b_len = body;
	return 0;
}

enum ikev1_ret p1_sa_select(struct ikev1_ctx *ctx, struct isakmp_enc *e)
{
	const struct isakmp_payload *sa_pl = isakmp_msg_find(ctx->msg, ISAKMP_NP_SA, 0);
	struct ike_sa *sa = ctx->sa;
	struct p1_choice ch;
	int rc;

	/* 2409-5.c: the SA payload comes first in Phase 1. */
	if (ctx->msg->payloads[0].type != ISAKMP_NP_SA ||
	    isakmp_msg_count(ctx->msg, ISAKMP_NP_SA) != 1)
		return ctx_fail(ctx, IKE_R_MALFORMED, ISAKMP_N_PAYLOAD_MALFORMED,
				"SA payload not first or not alone");
	if (sa_pl->body_len > sizeof(sa->w->sai_b))
		return ctx_fail(ctx, IKE_R_MALFORMED, ISAKMP_N_PAYLOAD_MALFORMED,
				"SA payload of %zu bytes", sa_pl->body_len);
	rc = proposal_p1_select(&sa_pl->u.sa, ctx->conn, &ch);
	if (rc == -EBADMSG)
		return ctx_fail(ctx, IKE_R_MALFORMED, ISAKMP_N_BAD_PROPOSAL_SYNTAX,
				"Phase 1 SA must carry exactly one ISAKMP proposal");
	if (rc < 0) {
		unsigned legacy =
			ctx->conn->allow_legacy ? 0 : proposal_p1_legacy_count(&sa_pl->u.sa);

		if (legacy)
			return ctx_fail(ctx, IKE_R_NO_PROPOSAL, ISAKMP_N_NO_PROPOSAL_CHOSEN,
					"no acceptable Phase 1 transform among %u offered (%u "
					"legacy: set allow-legacy-algorithms=yes)",
					ch.prop.ntransforms, legacy);
		return ctx_fail(ctx, IKE_R_NO_PROPOSAL, ISAKMP_N_NO_PROPOSAL_CHOSEN,
				"no acceptable Phase 1 transform among %u offered",
				ch.prop.ntransforms);
	}
	memcpy(sa->w->sai_b, sa_pl->body, sa_pl->body_len);
	sa->w->sai_b_len = sa_pl->body_len;
	sa->p1 = ch.p;
	sa->auth = ch.auth;
	sa->hybrid = ch.auth_wire == ISAKMP_AUTH_HYBRID_INIT_RSA;
	sa->life_s = ch.life_s;
	/* HybridInitRSA: the initiator is the XAUTH client, authenticated by
	 * XAUTH alone; only an XAUTH server may answer it. */
	if (sa->hybrid && ctx->conn->xauth != IKE_CFG_SERVER)
		return ctx_fail(ctx, IKE_R_NO_PROPOSAL, ISAKMP_N_NO_PROPOSAL_CHOSEN,
				"hybrid RSA offered to a conn that is no XAUTH server");
	if (proposal_echo(e, &sa_pl->u.sa, &ch.prop, &ch.xf, NULL, 0) < 0)
		return ctx_fail(ctx, IKE_R_RESOURCE, 0, "cannot encode the SA reply");
	return V1_OK;
}

enum ikev1_ret p1_sa_check(struct ikev1_ctx *ctx)
{
	const struct isakmp_payload *sa_pl = isakmp_msg_find(ctx->msg, ISAKMP_NP_SA, 0);
	struct p1_choice ch;
	int rc;

	if (isakmp_msg_count(ctx->msg, ISAKMP_NP_SA) != 1)
		return ctx_fail(ctx, IKE_R_MALFORMED, 0, "not exactly one SA payload");
	rc = proposal_p1_check_reply(&sa_pl->u.sa, ctx->conn, &ch);
	if (rc < 0)
		return ctx_fail(ctx, IKE_R_NO_PROPOSAL, 0,
				"responder's SA is not one of our Phase 1 offers");
	ctx->sa->p1 = ch.p;
	ctx->sa->auth = ch.auth;
	ctx->sa->hybrid = ch.auth_wire == ISAKMP_AUTH_HYBRID_INIT_RSA;
	ctx->sa->life_s = ch.life_s;
	return V1_OK;
}

/* Everything keys_phase1_derive() needs but g^xy. */
static void p1_keys_in(const struct ikev1_ctx *ctx, struct keys_phase1_in *in)
{
	const struct ike_sa *sa = ctx->sa;
	const struct p1_work *w = sa->w;

	memset(in, 0, sizeof(*in));
	in->hash = sa->p1.hash;
	in->cipher = sa->p1.cipher;
	in->key_bits = sa->p1.key_bits;
	/* 2409-5.k/5.l: the SKEYID formula follows the authentication method. */
	if (ike_auth_is_sig(sa->auth)) {
		in->auth = KEYS_AUTH_SIG;
	} else {
		in->auth = KEYS_AUTH_PSK;
		in->psk = CRYPTO_CHUNK(ctx->conn->psk, ctx->conn->psk_len);
	}
	in->ni_b = CRYPTO_CHUNK(w->ni, w->ni_len);
	in->nr_b = CRYPTO_CHUNK(w->nr, w->nr_len);
	in->gxi = CRYPTO_CHUNK(w->gxi, w->ke_len);
	in->gxr = CRYPTO_CHUNK(w->gxr, w->ke_len);
	memcpy(in->cky_i, sa->cky_i, IKE_COOKIE_LEN);
	memcpy(in->cky_r, sa->cky_r, IKE_COOKIE_LEN);
}

int p1_ke_nonce_add(struct ikev1_ctx *ctx, struct isakmp_enc *e)
{
	struct ike_sa *sa = ctx->sa;
	struct p1_work *w = sa->w;
	uint8_t *gx = sa->initiator ? w->gxi : w->gxr;
	uint8_t *n = sa->initiator ? w->ni : w->nr;
	size_t len = crypto_dh_public_len(sa->p1.group);
	int rc;

	if (!len)
		return -EINVAL;
	if (sa->initiator) {
		rc = eng_dh_gen(ctx, sa->p1.group, NULL, 0, &w->dh, gx, len);
		if (rc == 0)
			rc = eng_random(ctx->eng, n, V1_NONCE_LEN);
	} else {
		struct keys_phase1_in in;

		/* A responder knows the peer's value already: the same job
		 * (when jobs go out) computes the secret and the keys
		 * p1_keys_derive() asks for (our nonce and value go in
		 * there). */
		p1_keys_in(ctx, &in);
		in.nr_b = CRYPTO_CHUNK(n, V1_NONCE_LEN);
		in.gxr = CRYPTO_CHUNK(gx, len);
		rc = eng_dh_gen_p1(ctx, sa->p1.group, w->gxi, w->ke_len, &w->dh, gx, len, n,
				   V1_NONCE_LEN, &in);
		OPENSSL_cleanse(&in, sizeof(in));
	}
	if (rc < 0)
		return rc;
	w->ke_len = len;
	if (sa->initiator)
		w->ni_len = V1_NONCE_LEN;
	else
		w->nr_len = V1_NONCE_LEN;
	isakmp_enc_generic(e, ISAKMP_NP_KE, gx, len);
	isakmp_enc_generic(e, ISAKMP_NP_NONCE, n, V1_NONCE_LEN);
	return e->err;
}

enum ikev1_ret p1_ke_nonce_take(struct ikev1_ctx *ctx)
{
	const struct isakmp_payload *ke = isakmp_msg_find(ctx->msg, ISAKMP_NP_KE, 0);
	const struct isakmp_payload *no = isakmp_msg_find(ctx->msg, ISAKMP_NP_NONCE, 0);
	struct ike_sa *sa = ctx->sa;
	struct p1_work *w = sa->w;
	size_t want = crypto_dh_public_len(sa->p1.group);

	if (isakmp_msg_count(ctx->msg, ISAKMP_NP_KE) != 1 ||
	    isakmp_msg_count(ctx->msg, ISAKMP_NP_NONCE) != 1)
		return ctx_fail(ctx, IKE_R_MALFORMED, ISAKMP_N_PAYLOAD_MALFORMED,
				"not exactly one KE and one NONCE");
	/* 2409-5.d: exactly the group's length. */
	if (ke->body_len != want)
		return ctx_fail(ctx, IKE_R_MALFORMED, ISAKMP_N_INVALID_KEY_INFORMATION,
				"KE of %zu bytes for group %u (want %zu)", ke->body_len,
				sa->p1.group, want);
	/* The value itself is checked by crypto_dh_compute() (range / on the
	 * curve) in p1_keys_derive(), in this same handler: not twice. */
	/* 2409-5.e: 8..256 bytes. */
	if (no->body_len < ISAKMP_NONCE_MIN_LEN || no->body_len > ISAKMP_NONCE_MAX_LEN)
		return ctx_fail(ctx, IKE_R_MALFORMED, ISAKMP_N_PAYLOAD_MALFORMED,
				"nonce of %zu bytes", no->body_len);
	w->ke_len = want;
	if (sa->initiator) {
		memcpy(w->gxr, ke->body, want);
		memcpy(w->nr, no->body, no->body_len);
		w->nr_len = no->body_len;
	} else {
		memcpy(w->gxi, ke->body, want);
		memcpy(w->ni, no->body, no->body_len);
		w->ni_len = no->body_len;
	}
	return V1_OK;
}

int p1_vids_add(struct ikev1_ctx *ctx, struct isakmp_enc *e)
{
	struct ike_sa *sa = ctx->sa;
	size_t dlen;
	const uint8_t *dvid = dpd_vid(&dlen);

	if (sa->initiator) {
		const struct natt_method_info *rows[NATT_METHOD_COUNT];
		natt_method_set offer = !ctx->conn->natt	  ? 0
					: ctx->conn->natt_methods ? ctx->conn->natt_methods
								  : NATT_METHODS_SEND_DEFAULT;
		int n = natt_vids_to_send(offer, rows, NATT_METHOD_COUNT);

		for (int i = 0; i < n; i++)
			isakmp_enc_generic(e, ISAKMP_NP_VID, rows[i]->vid, NATT_VID_LEN);
	} else {
		const struct natt_method_info *row =
			natt_vid_to_echo(natt_allowed(ctx->conn), sa->w->peer_methods);

		if (row)
			isakmp_enc_generic(e, ISAKMP_NP_VID, row->vid, NATT_VID_LEN);
	}
	/* RFC 3706 s5.1: announce DPD when we take part in it (we always answer). */
	isakmp_enc_generic(e, ISAKMP_NP_VID, dvid, dlen);
	/* Two natkeyd ends exchange binding lifetimes (ikev1_adaptka.c). */
	if (ctx->conn->natt) {
		size_t klen;
		const uint8_t *kvid = natkeyd_vid(&klen);

		isakmp_enc_generic(e, ISAKMP_NP_VID, kvid, klen);
	}
	ikev1_frag_vid_add(ctx->conn, sa, e);
	cfg_vids_add(ctx->conn, e); /* XAUTH, Cisco Unity (ikev1_cfg.c) */
	return e->err;
}

void p1_vids_take(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;
	size_t dlen, klen;
	const uint8_t *dvid = dpd_vid(&dlen);

	for (unsigned i = 0; i < ctx->msg->npayloads; i++) {
		const struct isakmp_payload *p = &ctx->msg->payloads[i];
		enum natt_method m;

		if (p->type != ISAKMP_NP_VID)
			continue;
		m = natt_vid_lookup(p->body, p->body_len);
		if (m != NATT_METHOD_NONE)
			sa->w->peer_methods |= NATT_METHOD_BIT(m);
		if (p->body_len == dlen && memcmp(p->body, dvid, dlen) == 0)
			sa->peer_dpd = true;
		if (p->body_len == NATKEYD_VID_LEN &&
		    memcmp(p->body, natkeyd_vid(&klen), NATKEYD_VID_LEN) == 0)
			sa->peer_natkeyd = true;
	}
	ikev1_frag_vid_take(sa, ctx->msg);
	/* RFC 3947 s3.1: NAT-T only if both sides sent the VID. */
	sa->natt = natt_method_choose(natt_allowed(ctx->conn), sa->w->peer_methods);
}

static const EVP_MD *p1_md(const struct ike_sa *sa)
{
	return crypto_hash_md(sa->p1.hash);
}

int p1_natd_add(struct ikev1_ctx *ctx, struct isakmp_enc *e)
{
	struct ike_sa *sa = ctx->sa;
	const struct natt_method_info *mi = natt_method_info(sa->natt);
	struct natt_natd_hash h[2];
	const struct sockaddr *locals[1] = { &sa->local.sa };
	int n;

	if (!mi)
		return 0;
	n = natt_natd_build(p1_md(sa), sa->cky_i, sa->cky_r, &sa->remote.sa, locals, 1,
			    ctx->conn->natt_force, h, 2);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		isakmp_enc_generic(e, mi->natd_payload, h[i].h, h[i].len);
	return e->err;
}

enum ikev1_ret p1_natd_take(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;
	struct natt_natd_in in[NATT_NATD_MAX];
	struct natt_natd_result res;
	union ike_ep here, from;
	const struct sockaddr *locals[1];
	size_t n = 0;

	if (sa->natt == NATT_METHOD_NONE)
		return V1_OK;
	for (unsigned i = 0; i < ctx->msg->npayloads; i++) {
		const struct isakmp_payload *p = &ctx->msg->payloads[i];

		if (p->type != ISAKMP_NP_NATD && p->type != ISAKMP_NP_NATD_DRAFT &&
		    p->type != ISAKMP_NP_NATD_OLD)
			continue;
		if (n == NATT_NATD_MAX)
			return ctx_fail(ctx, IKE_R_MALFORMED, ISAKMP_N_PAYLOAD_MALFORMED,
					"more than %d NAT-D payloads", NATT_NATD_MAX);
		in[n].data = p->body;
		in[n].len = p->body_len;
		n++;
	}
	sa_ep_from_ss(&here, &ctx->dg->local);
	sa_ep_from_ss(&from, &ctx->dg->remote);
	locals[0] = &here.sa;
	if (natt_natd_detect(p1_md(sa), sa->cky_i, sa->cky_r, locals, 1, &from.sa, in, n, &res) < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "NAT-D computation failed");
	if (res.status == NATT_NATD_BAD_LENGTH || res.status == NATT_NATD_TOO_MANY)
		return ctx_fail(ctx, IKE_R_MALFORMED, ISAKMP_N_PAYLOAD_MALFORMED, "NAT-D: %s",
				natt_natd_status_name(res.status));
	sa->nat_we = res.we_behind_nat;
	sa->nat_peer = res.peer_behind_nat;
	eng_nat_natd(sa);
	if ((sa->nat_we || sa->nat_peer) && !eng_crypto_replaying(ctx->eng))
		eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_NAT_DETECTED, sa->x.serial,
			"NAT detected (%s): we %s, peer %s", natt_method_name(sa->natt),
			sa->nat_we ? "behind NAT" : "not behind NAT",
			sa->nat_peer ? "behind NAT" : "not behind NAT");
	return V1_OK;
}

enum ikev1_ret p1_keys_derive(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;
	struct p1_work *w = sa->w;
	size_t slen = crypto_dh_secret_len(sa->p1.group);
	struct keys_phase1_in in;
	struct keys_phase1 k;
	enum ikev1_ret ret = V1_OK;
	int rc, krc = 0;

	p1_keys_in(ctx, &in);
	/* g^xy, then SKEYID & co. from it (both in a job, when it goes out). */
	rc = eng_p1_keys(ctx, &w->dh, sa->initiator ? w->gxr : w->gxi, w->ke_len, slen, &in, &k,
			 &krc);
	if (rc < 0) {
		ret = ctx_fail(ctx, rc == -EBADMSG ? IKE_R_MALFORMED : IKE_R_CRYPTO,
			       ISAKMP_N_INVALID_KEY_INFORMATION, "%s",
			       rc == -EBADMSG ? "unacceptable DH public value"
					      : "DH computation failed");
		goto out;
	}
	if (krc < 0) {
		ret = ctx_fail(ctx, IKE_R_CRYPTO, 0, "Phase 1 key derivation failed");
		goto out;
	}
	/* Commit only now that every step succeeded. */
	sa->keys = k;
	memcpy(sa->p1_iv, k.iv, sizeof(sa->p1_iv));
	w->keys_done = true;
	crypto_dh_free(w->dh);
	w->dh = NULL;
out:
	OPENSSL_cleanse(&k, sizeof(k));
	OPENSSL_cleanse(&in, sizeof(in));
	return ret;
}

int p1_id_add(struct ikev1_ctx *ctx, struct isakmp_enc *e, uint8_t *body, size_t *len)
{
	const struct ike_conn_cfg *c = ctx->conn;
	struct ike_sa *sa = ctx->sa;
	/* RFC 3947 s4: port 0 "if the support of the NAT-Traversal is enabled";
	 * an Aggressive Mode initiator sends its ID in AM1, before the peer's
	 * VID can tell it whether NAT-T will be used. */
	bool natt_on = sa->natt != NATT_METHOD_NONE || (sa->aggressive && sa->initiator && c->natt);
	uint16_t port = natt_id_port_to_send(natt_on);
	/* RFC 2407 4.6.2: protocol/port 0/0 or UDP/500. */
	uint8_t proto = port ? 17 : 0;
	ssize_t off;

	if (c->local_id.type) {
		off = isakmp_enc_id(e, c->local_id.type, proto, port, c->local_id.data,
				    c->local_id.len);
	} else if (sa->local.sa.sa_family == AF_INET) {
		off = isakmp_enc_id(e, ISAKMP_ID_IPV4_ADDR, proto, port, &sa->local.in.sin_addr, 4);
	} else {
		off = isakmp_enc_id(e, ISAKMP_ID_IPV6_ADDR, proto, port, &sa->local.in6.sin6_addr,
				    16);
	}
	if (off < 0)
		return (int)off;
	*len = e->len - (size_t)off - ISAKMP_GEN_LEN;
	if (*len > V1_ID_BODY_MAX)
		return -EMSGSIZE;
	memcpy(body, e->buf + off + ISAKMP_GEN_LEN, *len);
	return 0;
}

static int p1_hash(const struct ike_sa *sa, bool hash_i, const uint8_t *id_b, size_t id_len,
		   uint8_t *out)
{
	const struct p1_work *w = sa->w;
	struct crypto_chunk gxi = CRYPTO_CHUNK(w->gxi, w->ke_len);
	struct crypto_chunk gxr = CRYPTO_CHUNK(w->gxr, w->ke_len);
	struct crypto_chunk sai = CRYPTO_CHUNK(w->sai_b, w->sai_b_len);
	struct crypto_chunk id = CRYPTO_CHUNK(id_b, id_len);

	if (hash_i)
		return keys_hash_i(&sa->keys, gxi, gxr, sa->cky_i, sa->cky_r, sai, id, out,
				   CRYPTO_HASH_MAX_LEN);
	return keys_hash_r(&sa->keys, gxi, gxr, sa->cky_i, sa->cky_r, sai, id, out,
			   CRYPTO_HASH_MAX_LEN);
}

int p1_auth_add(struct ikev1_ctx *ctx, struct isakmp_enc *e, bool initiator, const uint8_t *id_b,
		size_t id_len)
{
	const struct ike_conn_cfg *c = ctx->conn;
	uint8_t h[CRYPTO_HASH_MAX_LEN];
	int n = p1_hash(ctx->sa, initiator, id_b, id_len, h);
	int rc = 0;

	if (n < 0)
		return n;
	if (!ike_auth_is_sig(ctx->sa->auth) || (ctx->sa->hybrid && initiator)) {
		/* 2409-5.p: with a pre-shared key HASH_I/R go as they are; in
		 * hybrid RSA the initiator (the XAUTH client) sends HASH_I too
		 * (hybrid-auth-05 s3.2), over the signature SKEYID. */
		isakmp_enc_generic(e, ISAKMP_NP_HASH, h, (size_t)n);
	} else {
		uint8_t der[4096], sig[1024];
		size_t der_len, sig_len;
		bool send;

		if (ctx->msg && isakmp_msg_count(ctx->msg, ISAKMP_NP_CR) > 0)
			ctx->sa->w->peer_cr = true;
		/* leftsendcert=: always, only when asked (a CERTREQ in one of the
		 * peer's messages so far), or never. */
		send = c->sendcert == IKE_SENDCERT_ALWAYS ||
		       (c->sendcert == IKE_SENDCERT_IFASKED && ctx->sa->w->peer_cr);
		/* 2409-5.1.e: our certificate, then intermediates, then SIG. */
		for (int i = 0; send && i <= IKE_CERT_CHAIN_MAX && rc == 0; i++) {
			X509 *x = i == 0 ? c->cert : c->cert_chain[i - 1];

			if (!x)
				continue;
			rc = cert_to_der(x, der, sizeof(der), &der_len);
			if (rc == 0)
				isakmp_enc_cert(e, ISAKMP_NP_CERT, ISAKMP_CERT_X509_SIG, der,
						der_len);
		}
		if (rc == 0)
			rc = eng_sign(ctx, c->key, h, (size_t)n, sig, sizeof(sig), &sig_len);
		if (rc == 0)
			isakmp_enc_generic(e, ISAKMP_NP_SIG, sig, sig_len);
	}
	OPENSSL_cleanse(h, sizeof(h));
	return rc < 0 ? rc : e->err;
}

/* The peer's certificate (first X.509 CERT), verified up to our CAs and
 * naming the identity it claims. Returns the leaf (caller frees) or NULL. */
static X509 *peer_cert_verify(struct ikev1_ctx *ctx, uint8_t id_type, const uint8_t *id_data,
			      size_t id_len, STACK_OF(X509) * *built)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	X509 *leaf = NULL;
	struct cert_result res;
	struct cert_policy pol = {
		.crl = (enum cert_crl_policy)ctx->conn->crl_policy,
		.ca_der = ctx->conn->rightca_len ? ctx->conn->rightca : NULL,
		.ca_der_len = ctx->conn->rightca_len,
		.eku = true,
		.keep_chain = true,
	};

	if (!chain)
		goto fail;
	for (unsigned i = 0; i < ctx->msg->npayloads; i++) {
		const struct isakmp_payload *p = &ctx->msg->payloads[i];
		X509 *x = NULL;

		if (p->type != ISAKMP_NP_CERT || p->u.cert.encoding != ISAKMP_CERT_X509_SIG)
			continue;
		if (cert_from_der(p->u.cert.data, p->u.cert.len, &x) < 0) {
			ctx_fail(ctx, IKE_R_AUTH_FAILED, ISAKMP_N_INVALID_CERTIFICATE,
				 "CERT payload does not parse");
			goto fail;
		}
		if (!leaf) {
			leaf = x;
		} else if (!sk_X509_push(chain, x)) {
			X509_free(x);
			goto fail;
		}
	}
	if (!leaf) {
		ctx_fail(ctx, IKE_R_AUTH_FAILED, ISAKMP_N_CERTIFICATE_UNAVAILABLE,
			 "no X.509 certificate from the peer");
		goto fail;
	}
	if (!ctx->eng->wall_s) {
		ctx_fail(ctx, IKE_R_AUTH_FAILED, 0, "no wall-clock time to check certificates");
		goto fail;
	}
	if (cert_chain_check(ctx->conn->ca, leaf, chain, (time_t)ctx->eng->wall_s, &pol, &res) <
	    0) {
		/* One line naming the certificate (the leaf or a CA of its
		 * chain), its serial and why, e.g. the CRL that revokes it. */
		ctx_fail(ctx, IKE_R_AUTH_FAILED,
			 res.verdict == CERT_CA_MISMATCH ? ISAKMP_N_INVALID_CERT_AUTHORITY
							 : ISAKMP_N_INVALID_CERTIFICATE,
			 "peer certificate rejected: %s \"%s\" (serial %s): %s",
			 res.depth ? "CA certificate" : "certificate", res.subject, res.serial,
			 res.detail);
		goto fail;
	}
	*built = res.built;
	if (cert_id_match(leaf, (enum cert_id_type)id_type, id_data, id_len) < 0) {
		ctx_fail(ctx, IKE_R_ID_MISMATCH, ISAKMP_N_INVALID_ID_INFORMATION,
			 "peer identity (type %u) is not in its certificate", id_type);
		sk_X509_pop_free(*built, X509_free);
		*built = NULL;
		goto fail;
	}
	sk_X509_pop_free(chain, X509_free);
	return leaf;
fail:
	X509_free(leaf);
	if (chain)
		sk_X509_pop_free(chain, X509_free);
	return NULL;
}

/* ---- OCSP (RFC 6960) ---- */

/* Answers kept per engine (one per peer certificate), and the requests in
 * flight. Oldest entry replaced when full. */
#define ENG_OCSP_MAX   16
#define OCSP_RETRY_S   60 /* a failed fetch is retried after this */
#define OCSP_PENDING_S 10 /* a request in flight longer is asked again */
#define OCSP_WHY_MAX   120

enum eng_ocsp_state {
	OCSP_FREE = 0,
	OCSP_PENDING,
	OCSP_DONE
};

struct eng_ocsp {
	enum eng_ocsp_state state;
	uint32_t id;
	uint8_t key[32]; /* SHA-256 of the leaf's DER */
	int64_t asked_s, until_s;
	enum ocsp_verdict verdict;
	unsigned conn;
	X509 *leaf;		/* while pending: to check the answer */
	STACK_OF(X509) * chain; /* issuer and up */
	char uri[IKE_OCSP_URI_MAX];
	char why[OCSP_WHY_MAX];
};

static void ocsp_entry_clear(struct eng_ocsp *o)
{
	X509_free(o->leaf);
	if (o->chain)
		sk_X509_pop_free(o->chain, X509_free);
	memset(o, 0, sizeof(*o));
}

void p1_ocsp_free(struct ike_engine *eng)
{
	if (!eng->ocsp)
		return;
	for (unsigned i = 0; i < ENG_OCSP_MAX; i++)
		ocsp_entry_clear(&eng->ocsp[i]);
	free(eng->ocsp);
	eng->ocsp = NULL;
}

static struct eng_ocsp *ocsp_find(struct ike_engine *eng, const uint8_t key[32])
{
	for (unsigned i = 0; eng->ocsp && i < ENG_OCSP_MAX; i++)
		if (eng->ocsp[i].state != OCSP_FREE && !memcmp(eng->ocsp[i].key, key, 32))
			return &eng->ocsp[i];
	return NULL;
}

static struct eng_ocsp *ocsp_slot(struct ike_engine *eng)
{
	struct eng_ocsp *old = NULL;

	if (!eng->ocsp)
		eng->ocsp = calloc(ENG_OCSP_MAX, sizeof(*eng->ocsp));
	if (!eng->ocsp)
		return NULL;
	for (unsigned i = 0; i < ENG_OCSP_MAX; i++) {
		struct eng_ocsp *o = &eng->ocsp[i];

		if (o->state == OCSP_FREE)
			return o;
		if (!old || o->asked_s < old->asked_s)
			old = o;
	}
	ocsp_entry_clear(old);
	return old;
}

/* The verdict of a cached answer, as the exchange's outcome. */
static enum ikev1_ret ocsp_apply(struct ikev1_ctx *ctx, const struct eng_ocsp *o, X509 *leaf)
{
	char who[320];
	bool strict = ctx->conn->crl_policy != CERT_CRL_NO;

	if (o->verdict == OCSP_V_GOOD)
		return V1_OK;
	cert_describe(leaf, who, sizeof(who));
	if (o->verdict == OCSP_V_REVOKED)
		return ctx_fail(ctx, IKE_R_AUTH_FAILED, ISAKMP_N_INVALID_CERTIFICATE,
				"peer certificate rejected: certificate %s: %s (OCSP %s)", who,
				o->why, o->uri);
	/* Unknown or unreachable: strictcrlpolicy=yes|ifuri (a URL exists
	 * here) refuse, no accepts with a line saying so. */
	if (strict)
		return ctx_fail(ctx, IKE_R_AUTH_FAILED, ISAKMP_N_INVALID_CERTIFICATE,
				"peer certificate rejected: certificate %s: %s (OCSP %s, "
				"strictcrlpolicy)",
				who, o->why, o->uri);
	eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_NONE, ctx->sa->x.serial,
		"%s: OCSP status of %s not known (%s, %s): accepted (strictcrlpolicy=no)",
		ctx->conn->name, who, o->why, o->uri);
	return V1_OK;
}

enum ikev1_ret p1_ocsp_check(struct ikev1_ctx *ctx, X509 *leaf, STACK_OF(X509) * built)
{
	struct ike_engine *eng = ctx->eng;
	char uri[IKE_OCSP_URI_MAX];
	uint8_t key[32];
	unsigned klen = 0;
	struct eng_ocsp *o;
	struct ike_action *a;
	X509 *issuer = built && sk_X509_num(built) > 1 ? sk_X509_value(built, 1) : NULL;

	if (ctx->conn->ocsp_uri[0])
		snprintf(uri, sizeof(uri), "%s", ctx->conn->ocsp_uri);
	else if (ocsp_uri(leaf, uri, sizeof(uri)) < 0)
		return V1_OK; /* no responder to ask: CRLs only */
	if (!issuer || X509_digest(leaf, EVP_sha256(), key, &klen) != 1 || klen != 32)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "cannot build an OCSP request");
	o = ocsp_find(eng, key);
	if (o && o->state == OCSP_DONE && o->until_s > eng->wall_s)
		return ocsp_apply(ctx, o, leaf);
	if (!o || (o->state == OCSP_PENDING && eng->wall_s - o->asked_s >= OCSP_PENDING_S) ||
	    o->state == OCSP_DONE) {
		if (o)
			ocsp_entry_clear(o);
		else
			o = ocsp_slot(eng);
		if (!o)
			return ctx_fail(ctx, IKE_R_RESOURCE, 0, "no memory for an OCSP request");
		a = eng_action_add(ctx->out, IKE_ACT_OCSP_FETCH, 0, NULL);
		if (!a)
			return ctx_fail(ctx, IKE_R_RESOURCE, 0, "no room for an OCSP request");
		memset(&a->u.ocsp, 0, sizeof(a->u.ocsp));
		if (ocsp_request(leaf, issuer, a->u.ocsp.req, sizeof(a->u.ocsp.req),
				 &a->u.ocsp.req_len) < 0)
			return ctx_fail(ctx, IKE_R_CRYPTO, 0, "cannot build an OCSP request");
		o->state = OCSP_PENDING;
		o->id = ++eng->ocsp_next_id;
		memcpy(o->key, key, 32);
		o->asked_s = eng->wall_s;
		o->conn = ctx->sa->conn;
		X509_up_ref(leaf);
		o->leaf = leaf;
		o->chain = X509_chain_up_ref(built);
		snprintf(o->uri, sizeof(o->uri), "%s", uri);
		a->u.ocsp.id = o->id;
		snprintf(a->u.ocsp.uri, sizeof(a->u.ocsp.uri), "%s", uri);
		eng_log(eng, ctx->out, IKE_LOG_INFO, IKE_R_NONE, ctx->sa->x.serial,
			"%s: asking %s for the OCSP status of the peer's certificate",
			ctx->conn->name, uri);
	}
	/* Aggressive Mode initiator: AM2 cannot be processed twice (its
	 * keys are derived): this attempt fails, the next one finds the
	 * answer. Otherwise the peer's retransmission brings the message
	 * back once the answer is in. */
	if (ctx->sa->aggressive && ctx->sa->initiator)
		return ctx_fail(ctx, IKE_R_AUTH_FAILED, 0,
				"OCSP status of the peer's certificate not known yet: asked %s, "
				"the next attempt uses the answer",
				uri);
	return ctx_ignore(ctx, IKE_R_NONE, "waiting for the OCSP answer of %s", uri);
}

void p1_ocsp_result(struct ike_engine *eng, uint32_t id, const uint8_t *buf, size_t len,
		    const char *error, struct ike_actions *out)
{
	struct eng_ocsp *o = NULL;
	time_t until = 0;

	for (unsigned i = 0; eng->ocsp && i < ENG_OCSP_MAX; i++)
		if (eng->ocsp[i].state == OCSP_PENDING && eng->ocsp[i].id == id)
			o = &eng->ocsp[i];
	if (!o)
		return; /* replaced meanwhile */
	if (!len) {
		o->verdict = OCSP_V_ERROR;
		snprintf(o->why, sizeof(o->why), "no answer from the OCSP responder: %s",
			 error && error[0] ? error : "failed");
		until = (time_t)eng->wall_s + OCSP_RETRY_S;
	} else {
		X509 *issuer = sk_X509_value(o->chain, 1);
		STACK_OF(X509) *rest = sk_X509_new_null();

		for (int i = 2; rest && i < sk_X509_num(o->chain); i++)
			sk_X509_push(rest, sk_X509_value(o->chain, i));
		o->verdict =
			ocsp_response_check(buf, len, o->leaf, issuer, eng->conns[o->conn].ca, rest,
					    (time_t)eng->wall_s, &until, o->why, sizeof(o->why));
		sk_X509_free(rest);
		if (o->verdict == OCSP_V_ERROR || o->verdict == OCSP_V_UNKNOWN)
			until = (time_t)eng->wall_s + OCSP_RETRY_S;
	}
	o->until_s = until;
	o->state = OCSP_DONE;
	eng_log(eng, out, o->verdict == OCSP_V_GOOD ? IKE_LOG_INFO : IKE_LOG_WARN, IKE_R_NONE, 0,
		"%s: OCSP %s: %s", eng->conns[o->conn].name, o->uri, o->why);
	X509_free(o->leaf);
	o->leaf = NULL;
}

/* Does the peer's ID payload name who the connection expects? */
static bool id_acceptable(const struct ikev1_ctx *ctx, const struct isakmp_id *id)
{
	/* Type 0: any identity that knows the key; patterns: ike/sa/ikev1_ids.c. */
	return ike_id_matches(&ctx->conn->remote_id, id->type, id->data, id->len);
}

static bool ep_equal(const union ike_ep *a, const union ike_ep *b)
{
	struct xk_addr x, y;

	sa_ep_to_xk(a, &x);
	sa_ep_to_xk(b, &y);
	return x.family == y.family && !memcmp(x.bytes, y.bytes, sizeof(x.bytes)) &&
	       sa_ep_port(a) == sa_ep_port(b);
}

/* uniqueids=keep (strongSwan): an identity that already has an established
 * IKE SA of this conn from another endpoint keeps it, the new one is refused
 * (from the same endpoint it is the peer re-authenticating: allowed). */
static enum ikev1_ret unique_keep_check(struct ikev1_ctx *ctx)
{
	struct ike_engine *eng = ctx->eng;
	struct ike_sa *sa = ctx->sa;
	struct natt_identity who = { sa->peer_id.type, sa->peer_id.data, sa->peer_id.len };

	if (!ctx->conn->unique_keep || !sa->peer_id.type)
		return V1_OK;
	/* Same identity only: its index, not every IKE SA. */
	for (const struct ike_sa *o = sa_ike_by_id_first(eng, &sa->peer_id); o;
	     o = sa_ike_by_id_next(eng, o, &sa->peer_id)) {
		struct natt_identity id = { o->peer_id.type, o->peer_id.data, o->peer_id.len };

		if (o == sa || !ikev1_state_info(o->x.state)->established ||
		    !eng_same_group(eng, o->conn, sa->conn) || ep_equal(&o->remote, &sa->remote) ||
		    !natt_initial_contact_matches(&id, &who))
			continue;
		return ctx_fail(ctx, IKE_R_AUTH_FAILED, ISAKMP_N_AUTHENTICATION_FAILED,
				"uniqueids=keep: the identity already has IKE SA #%u from another "
				"endpoint; the new IKE SA is refused",
				o->x.serial);
	}
	return V1_OK;
}

enum ikev1_ret p1_auth_verify(struct ikev1_ctx *ctx, bool peer_initiator)
{
	struct ike_sa *sa = ctx->sa;
	const struct isakmp_payload *idp = isakmp_msg_find(ctx->msg, ISAKMP_NP_ID, 0);
	const struct isakmp_payload *hp = isakmp_msg_find(ctx->msg, ISAKMP_NP_HASH, 0);
	const uint8_t *id_b;
	size_t id_len;
	uint8_t h[CRYPTO_HASH_MAX_LEN];
	int n;

	if (idp) {
		id_b = idp->u.id.body;
		id_len = idp->u.id.body_len;
	} else {
		/* Aggressive Mode: the ID came in AM1. */
		id_b = sa->w->peer_id_b;
		id_len = sa->w->peer_id_b_len;
	}
	n = p1_hash(sa, peer_initiator, id_b, id_len, h);
	if (n < 0)
		return ctx_fail(ctx, IKE_R_CRYPTO, 0, "HASH computation failed");
	if (ike_auth_is_sig(sa->auth) && !(sa->hybrid && peer_initiator)) {
		const struct isakmp_payload *sp = isakmp_msg_find(ctx->msg, ISAKMP_NP_SIG, 0);
		const uint8_t *idd = idp ? idp->u.id.data : sa->w->peer_id_claim.data;
		size_t idl = idp ? idp->u.id.len : sa->w->peer_id_claim.len;
		uint8_t idt = idp ? idp->u.id.type : sa->w->peer_id_claim.type;
		STACK_OF(X509) *built = NULL;
		enum ikev1_ret r = V1_OK;
		X509 *leaf;
		int rc;

		/* SIG is there: the row requires it with signatures. */
		leaf = peer_cert_verify(ctx, idt, idd, idl, &built);
		if (!leaf)
			return V1_FAIL;
		/* The negotiated method fixes the key type (RFC 4754 s3). */
		if (sig_auth_method(X509_get0_pubkey(leaf)) != sa->auth)
			rc = -EBADMSG;
		else
			rc = eng_verify(ctx, X509_get0_pubkey(leaf), h, (size_t)n, sp->body,
					sp->body_len);
		OPENSSL_cleanse(h, sizeof(h));
		if (rc < 0)
			r = ctx_fail(ctx, IKE_R_AUTH_FAILED, ISAKMP_N_INVALID_SIGNATURE,
				     "%s does not verify", peer_initiator ? "SIG_I" : "SIG_R");
		/* Revocation by OCSP last: only a peer that proved its key
		 * makes us ask a responder. */
		else
			r = p1_ocsp_check(ctx, leaf, built);
		if (r == V1_OK) {
			char who[320];

			/* Who proved what: the certificate and the method. */
			eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_NONE, sa->x.serial,
				"%s: peer authenticated by certificate %s, %s signature",
				ctx->conn->name, cert_describe(leaf, who, sizeof(who)),
				sa->auth == IKE_AUTH_RSA_SIG	 ? "RSA"
				: sa->auth == IKE_AUTH_ECDSA_256 ? "ECDSA-256"
				: sa->auth == IKE_AUTH_ECDSA_384 ? "ECDSA-384"
								 : "ECDSA-521");
		}
		X509_free(leaf);
		sk_X509_pop_free(built, X509_free);
		if (r != V1_OK)
			return r;
	} else {
		/* HASH is there: the row requires it with a pre-shared key. */
		bool ok = (size_t)n == hp->body_len && crypto_memeq(h, hp->body, (size_t)n);

		OPENSSL_cleanse(h, sizeof(h));
		if (!ok)
			return ctx_fail(ctx, IKE_R_AUTH_FAILED, ISAKMP_N_AUTHENTICATION_FAILED,
					"%s does not verify%s",
					peer_initiator ? "HASH_I" : "HASH_R",
					sa->hybrid ? " (hybrid RSA)" : " (wrong pre-shared key?)");
	}
	if (idp) {
		const struct isakmp_id *id = &idp->u.id;

		if (!natt_id_port_acceptable(sa->natt != NATT_METHOD_NONE, id->port) ||
		    (id->protocol != 0 && id->protocol != 17))
			return ctx_fail(ctx, IKE_R_ID_MISMATCH, ISAKMP_N_INVALID_ID_INFORMATION,
					"ID protocol/port %u/%u not allowed in Phase 1",
					id->protocol, id->port);
		if (!id_acceptable(ctx, id) || id->len > IKE_ID_DATA_MAX)
			return ctx_fail(ctx, IKE_R_ID_MISMATCH, ISAKMP_N_INVALID_ID_INFORMATION,
					"peer identity (type %u, %zu bytes) is not the one "
					"configured for %s",
					id->type, id->len, ctx->conn->name);
		sa->peer_id.type = id->type;
		sa->peer_id.len = (uint8_t)id->len;
		memcpy(sa->peer_id.data, id->data, id->len);
	} else {
		/* Aggressive Mode responder: AM1's identity, verified just now. */
		sa->peer_id = sa->w->peer_id_claim;
	}
	/* Out of memory only makes the identity lookups walk (sa_store.h). */
	(void)sa_ike_id_index(ctx->eng, sa);
	return unique_keep_check(ctx);
}

void p1_float(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;
	struct sockaddr_storage dst;

	/* RFC 3947 s4: the initiator changes ports when sending the ID. */
	if (!natt_float_needed(sa->natt, sa->nat_we || sa->nat_peer, ctx->conn->natt_force,
			       sa->floated))
		return;
	if (natt_float_dest(&sa->remote.sa, &dst) < 0)
		return;
	sa_ep_from_ss(&sa->remote, &dst);
	natt_endpoint_set_port(&sa->local.sa, NATT_PORT);
	sa->floated = true;
	eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_FLOAT, sa->x.serial,
		"%s: NAT-T %s, moving IKE to port 4500", ctx->conn->name,
		natt_method_name(sa->natt));
}

void p1_follow(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;
	union ike_ep l, r;

	sa_ep_from_ss(&l, &ctx->dg->local);
	sa_ep_from_ss(&r, &ctx->dg->remote);
	/* RFC 3947 s4 (4.e, 4.f): after the packet on the new port processed
	 * successfully, answer UDP(4500, Y) from where it came. */
	if (sa_ep_port(&l) == NATT_PORT && !sa->floated) {
		sa->floated = true;
		eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_FLOAT, sa->x.serial,
			"%s: peer moved IKE to port 4500", ctx->conn->name);
	}
	sa->local = l;
	sa->remote = r;
}

static void certreq_one(void *arg, const uint8_t *der, size_t len)
{
	isakmp_enc_cert(arg, ISAKMP_NP_CR, ISAKMP_CERT_X509_SIG, der, len);
}

/* At most this many CERTREQ payloads (one per trusted CA). */
#define V1_CERTREQ_MAX 8

int p1_certreq_add(struct ikev1_ctx *ctx, struct isakmp_enc *e)
{
	uint16_t auth = ctx->sa->auth ? ctx->sa->auth : (uint16_t)ctx->conn->auth;

	if (ctx->sa->w && ctx->msg && isakmp_msg_count(ctx->msg, ISAKMP_NP_CR) > 0)
		ctx->sa->w->peer_cr = true;
	/* RFC 2408 3.10: ask for an X.509 signature certificate, naming each
	 * CA we trust by its DER subject (RFC 4945 3.2.5), or from any CA
	 * (empty Certificate Authority); the answer never adds a message to
	 * the exchange (2409-5.g). */
	if (!ike_auth_is_sig(auth))
		return e->err;
	if (!ctx->conn->certreq_names ||
	    cert_store_ca_names(ctx->conn->ca, V1_CERTREQ_MAX, certreq_one, e) == 0)
		isakmp_enc_cert(e, ISAKMP_NP_CR, ISAKMP_CERT_X509_SIG, NULL, 0);
	return e->err;
}

bool p1_first_contact(const struct ikev1_ctx *ctx)
{
	struct ike_engine *eng = ctx->eng;

	/* No other IKE SA and no IPsec SA with this peer: we may have lost
	 * state it still holds (RFC 2407 4.6.3.3). */
	if (sa_ike_established_for(eng, ctx->sa->conn))
		return false;
	for (const struct ipsec_sa *c = eng->children; c; c = c->next)
		if (eng_same_group(eng, c->conn, ctx->sa->conn) && c->installed)
			return false;
	return true;
}

int p1_initial_contact_add(struct ikev1_ctx *ctx, struct isakmp_enc *e)
{
	uint8_t spi[2 * IKE_COOKIE_LEN];

	/* RFC 2407 4.6.3.3: SPI = CKY-I | CKY-R, no data. */
	memcpy(spi, ctx->sa->cky_i, IKE_COOKIE_LEN);
	memcpy(spi + IKE_COOKIE_LEN, ctx->sa->cky_r, IKE_COOKIE_LEN);
	isakmp_enc_notify(e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, ISAKMP_N_INITIAL_CONTACT, spi,
			  sizeof(spi), NULL, 0);
	return e->err;
}

void p1_notifies_take(struct ikev1_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->msg->npayloads; i++) {
		const struct isakmp_payload *p = &ctx->msg->payloads[i];

		if (p->type == ISAKMP_NP_N && p->u.notify.type == ISAKMP_N_INITIAL_CONTACT &&
		    !ctx->sa->ic_done) {
			/* In the message that completes Phase 1, after its
			 * authentication verified (the caller's order). */
			ctx->sa->ic_done = true;
			info_initial_contact_apply(ctx->eng, ctx->sa, ctx->now, ctx->out);
		}
	}
}

void p1_established(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;
	const struct ike_conn_cfg *c = ctx->conn;

	sa->expire_at = ctx->now + (uint64_t)sa->life_s * 1000;
	eng_due(ctx->eng, &sa->x, sa->expire_at);
	/* The initiator rekeys Phase 1 before it expires; the old SA stays
	 * until its end, so nothing waits for the new one. The responder
	 * rekeys later, only if the initiator did not (ike_lifetime_run()). */
	sa->rekey_at = ctx->now + (sa->initiator ? eng_rekey_delay_ms(ctx->eng, c, sa->life_s)
						 : eng_rekey_delay_responder_ms(c, sa->life_s));
	eng_due(ctx->eng, &sa->x, sa->rekey_at);
	if (c->dpd_delay_s && sa->peer_dpd)
		sa->dpd_at = ctx->now + (uint64_t)c->dpd_delay_s * 1000;
	eng_due(ctx->eng, &sa->x, sa->dpd_at);
	adaptka_established(ctx->eng, sa, ctx->out);
	if (sa->floated && sa->nat_we)
		sa->ka_at = ctx->now + adaptka_interval_ms(ctx->eng, sa->conn, sa);
	eng_due(ctx->eng, &sa->x, sa->ka_at);
	/* An INITIAL-CONTACT may follow in its own Informational (RFC 2407
	 * 4.6.3.3: Aggressive Mode cannot carry it), right after this. */
	sa->ic_until = sa->ic_done ? 0 : ctx->now + V1_IC_WINDOW_MS;
	sa_ike_work_free(sa);
	/* The initiator may owe a Quick Mode: the dispatcher decides which
	 * (a waiting rekey, the conn's first, or none when this Phase 1 only
	 * replaces one that expires while the IPsec SAs live on). */
	ctx->start_qm = sa->initiator;
	ctx->phase1_done = true;
	eng_nat_established(ctx->eng, sa, ctx->now);
	eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_IKE_ESTABLISHED, sa->x.serial,
		"%s: IKE SA established (%s, %s, group %u%s%s)", c->name,
		crypto_cipher_name(sa->p1.cipher), crypto_hash_name(sa->p1.hash), sa->p1.group,
		sa->natt ? ", NAT-T " : "", sa->natt ? natt_method_name(sa->natt) : "");
}
