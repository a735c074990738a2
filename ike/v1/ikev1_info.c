// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Informational exchanges (RFC 2409 s5.7, RFC 2408 s3.14/3.15):
 *   HDR*, HASH(1), N/D        HASH(1) = prf(SKEYID_a, M-ID | N/D)
 * Only protected ones can change anything: an unprotected notify is logged
 * and otherwise ignored (anyone can forge it). Delete and INITIAL-CONTACT
 * act only after HASH(1) verified; INITIAL-CONTACT removes SAs by the
 * peer's authenticated identity, never by address (RFC 3947 s6).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/v1/ikev1_adaptka.h"
#include "ike/v1/ikev1_cfg.h"
#include "ike/v1/ikev1_exchanges.h"
#include "ike/v1/ikev1_handlers.h"
#include "ike/ikev1_msg.h"
#include "ike/wire/isakmp_names.h"
#include "natt/endpoint.h"
#include "natt/mapping.h"

#define INFO ISAKMP_XCHG_INFO

void info_initial_contact_apply(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
				struct ike_actions *out)
{
	struct natt_identity who = { sa->peer_id.type, sa->peer_id.data, sa->peer_id.len };
	unsigned n_ike = 0, n_ipsec = 0;
	bool again = true;

	if (!sa->peer_id.type)
		return;
	if (eng->conns[sa->conn].ignore_initial_contact) {
		eng_log(eng, out, IKE_LOG_INFO, IKE_R_INITIAL_CONTACT, sa->x.serial,
			"INITIAL-CONTACT: nothing removed (uniqueids=no: identities may be shared)");
		return;
	}
	/* Under XAUTH the identity is a group's: the user decides (ikev1_cfg.c). */
	if (cfg_initial_contact_defer(eng, sa, now, out))
		return;
	while (again) {
		again = false;
		/* The identity's own SAs (sa_store.h index), not every SA. */
		for (struct ipsec_sa *c = sa_ipsec_by_id_first(eng, &sa->peer_id); c;
		     c = sa_ipsec_by_id_next(eng, c, &sa->peer_id)) {
			struct natt_identity id = { c->peer_id.type, c->peer_id.data,
						    c->peer_id.len };

			/* Only state older than this IKE SA: "I have none of
			 * it" cannot speak of SAs made after it (a replayed
			 * INITIAL-CONTACT must not delete the newer ones). */
			if (c->ike_serial >= sa->x.serial || !c->installed ||
			    !natt_initial_contact_matches(&id, &who))
				continue;
			ikev1_ipsec_delete(eng, c, NULL, now, out);
			n_ipsec++;
			again = true;
			break;
		}
	}
	again = true;
	while (again) {
		again = false;
		for (struct ike_sa *o = sa_ike_by_id_first(eng, &sa->peer_id); o;
		     o = sa_ike_by_id_next(eng, o, &sa->peer_id)) {
			struct natt_identity id = { o->peer_id.type, o->peer_id.data,
						    o->peer_id.len };

			if (o->x.serial >= sa->x.serial ||
			    !ikev1_state_info(o->x.state)->established ||
			    !natt_initial_contact_matches(&id, &who))
				continue;
			/* The peer lost its state: no Delete to send it. */
			ikev1_ike_delete(eng, o, false, now, out);
			n_ike++;
			again = true;
			break;
		}
	}
	eng_log(eng, out, IKE_LOG_INFO, IKE_R_INITIAL_CONTACT, sa->x.serial,
		"INITIAL-CONTACT: removed %u IKE SA(s) and %u IPsec SA(s) of the same identity",
		n_ike, n_ipsec);
}

enum ikev1_ret info_recv_clear(struct ikev1_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->msg->npayloads; i++) {
		const struct isakmp_payload *p = &ctx->msg->payloads[i];

		if (p->type != ISAKMP_NP_N)
			continue;
		/* keyingtries=: an error notify (RFC 2408 3.14.1: types below
		 * 16384) may end our unauthenticated Phase 1 attempt; the
		 * dispatcher decides (ikev1_keying_failed()). Nothing else
		 * changes: anyone who saw our cookie can send it. */
		if (p->u.notify.type > 0 && p->u.notify.type < 16384 && !ctx->peer_error) {
			ctx->peer_error = p->u.notify.type;
			continue;
		}
		eng_log(ctx->eng, ctx->out, IKE_LOG_DEBUG, IKE_R_PEER_NOTIFY, ctx->sa->x.serial,
			"unprotected notify %s ignored", isakmp_notify_name(p->u.notify.type));
	}
	return V1_OK;
}

static void delete_recv(struct ikev1_ctx *ctx, const struct isakmp_delete *d)
{
	struct ike_sa *sa = ctx->sa;

	if (d->protocol == ISAKMP_PROTO_ISAKMP && d->spi_size == 2 * IKE_COOKIE_LEN) {
		for (unsigned i = 0; i < d->nspis; i++) {
			const uint8_t *spi = d->spis + (size_t)i * d->spi_size;

			if (memcmp(spi, sa->cky_i, IKE_COOKIE_LEN) == 0 &&
			    memcmp(spi + IKE_COOKIE_LEN, sa->cky_r, IKE_COOKIE_LEN) == 0)
				ctx->delete_ike = true;
		}
		return;
	}
	if (d->protocol != ISAKMP_PROTO_ESP || d->spi_size != 4)
		return;
	for (unsigned i = 0; i < d->nspis; i++) {
		uint32_t spi;
		struct ipsec_sa *c;

		memcpy(&spi, d->spis + (size_t)i * 4, 4);
		/* The peer names its inbound SPI: our outbound one. */
		c = sa_ipsec_find_spi(ctx->eng, ntohl(spi), false);
		/* Only the sender's own SAs: another road warrior of the same
		 * connection could name them too. */
		if (!c || !sa_ipsec_of_peer(ctx->eng, sa, c)) {
			eng_log(ctx->eng, ctx->out, IKE_LOG_DEBUG, IKE_R_PEER_DELETE, sa->x.serial,
				"Delete for unknown SPI %08x", ntohl(spi));
			continue;
		}
		eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_PEER_DELETE, c->x.serial,
			"%s: peer deleted IPsec SA %08x/%08x", ctx->conn->name, c->spi_in,
			c->spi_out);
		/* A Mode Config client's policies name the address it leased,
		 * which may go to another user next: they go with its SAs. */
		if (c->installed && !c->replaced &&
		    ctx->eng->conns[c->conn].modecfg == IKE_CFG_SERVER)
			ipsec_policies_remove(ctx->eng, c, ctx->out);
		ikev1_ipsec_delete(ctx->eng, c, NULL, ctx->now, ctx->out);
	}
}

/*
 * A protected Informational on an IKE SA whose Phase 1 has not completed:
 * its keys may be known to an unauthenticated party (with signatures,
 * anyone who did the DH exchange), so nothing in it acts on any SA except
 * an error notify, which ends this half-open SA (the only one its sender
 * can know the keys of).
 */
static enum ikev1_ret info_before_auth(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;

	for (unsigned i = 1; i < ctx->msg->npayloads; i++) {
		const struct isakmp_payload *p = &ctx->msg->payloads[i];

		if (p->type == ISAKMP_NP_N && p->u.notify.type < 16384) {
			eng_log(ctx->eng, ctx->out,
				eng_peer_log_allowed(ctx->eng, ctx->now) ? IKE_LOG_WARN
									 : IKE_LOG_DEBUG,
				IKE_R_PEER_NOTIFY, sa->x.serial,
				"%s: peer says %s before Phase 1 completed: giving up",
				ctx->conn->name, isakmp_notify_name(p->u.notify.type));
			ctx->delete_ike = true;
			return V1_OK;
		}
	}
	eng_log(ctx->eng, ctx->out, IKE_LOG_DEBUG, IKE_R_REJECTED, sa->x.serial,
		"Informational before Phase 1 authentication ignored");
	return V1_OK;
}

enum ikev1_ret info_recv_protected(struct ikev1_ctx *ctx)
{
	struct ike_sa *sa = ctx->sa;

	/* 2409-5.7.a: nothing in it counts unless HASH(1) verifies: the
	 * row's, checked by the dispatcher before this runs. */
	if (sa_msgid_seen(&sa->info_seen, ctx->msg->hdr.msgid)) {
		/* A copy of one we took already (HASH(1) binds only the M-ID):
		 * no second Delete, INITIAL-CONTACT, liveness or move. */
		if (eng_peer_log_allowed(ctx->eng, ctx->now))
			eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_REPLAY, sa->x.serial,
				"%s: replayed Informational (M-ID %08x) dropped", ctx->conn->name,
				ctx->msg->hdr.msgid);
		return ctx_ignore(ctx, IKE_R_NONE, "replayed M-ID %08x", ctx->msg->hdr.msgid);
	}
	sa_msgid_add(&sa->info_seen, ctx->msg->hdr.msgid);
	if (!ikev1_state_info(sa->x.state)->established)
		return info_before_auth(ctx);
	for (unsigned i = 1; i < ctx->msg->npayloads; i++) {
		const struct isakmp_payload *p = &ctx->msg->payloads[i];

		if (p->type == ISAKMP_NP_D) {
			delete_recv(ctx, &p->u.del);
			continue;
		}
		if (p->type != ISAKMP_NP_N)
			continue;
		switch (p->u.notify.type) {
		case ISAKMP_N_R_U_THERE:
		case ISAKMP_N_R_U_THERE_ACK:
			/* An ACK sent to the old endpoint of a peer that moved
			 * goes to the new one (replies_follow(), dispatcher). */
			dpd_recv(ctx->eng, sa, p->u.notify.type, p->u.notify.spi,
				 p->u.notify.spi_size, p->u.notify.data, p->u.notify.data_len,
				 ctx->now, ctx->out);
			break;
		case ISAKMP_N_INITIAL_CONTACT:
			/* Right after Phase 1 only, once (a replay days later on
			 * an old IKE SA must not act). */
			if (sa->ic_until && ctx->now <= sa->ic_until) {
				sa->ic_until = 0;
				info_initial_contact_apply(ctx->eng, sa, ctx->now, ctx->out);
			} else {
				eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_REJECTED,
					sa->x.serial,
					"%s: INITIAL-CONTACT ignored: not right after Phase 1",
					ctx->conn->name);
			}
			break;
		case ISAKMP_N_CONNECTED:
			quick_connected_recv(ctx);
			break;
		case NATKEYD_N_BINDING_LIFETIME:
			adaptka_notify_recv(ctx->eng, sa, p->u.notify.spi, p->u.notify.spi_size,
					    p->u.notify.data, p->u.notify.data_len, ctx->now,
					    ctx->out);
			break;
		default:
			eng_log(ctx->eng, ctx->out,
				p->u.notify.type < 16384 ? IKE_LOG_WARN : IKE_LOG_INFO,
				IKE_R_PEER_NOTIFY, sa->x.serial, "%s: peer says %s",
				ctx->conn->name, isakmp_notify_name(p->u.notify.type));
			if (p->u.notify.type < 16384) /* RFC 2408 s3.14.1: an error */
				quick_refused_recv(ctx, &p->u.notify);
			break;
		}
	}
	if (ctx->delete_ike)
		eng_log(ctx->eng, ctx->out, IKE_LOG_INFO, IKE_R_PEER_DELETE, sa->x.serial,
			"%s: peer deleted the IKE SA", ctx->conn->name);
	return V1_OK;
}
