// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The engine's front door: configuration, the event switch and the
 * caller's action buffer. The helpers that append actions are in
 * engine_actions.c.
 */
#include "ike/engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/engine_crypto.h"
#include "ike/engine_int.h"
#include "ike/ikev1_frag.h"
#include "ike/wire/isakmp_frag.h"
#include "ike/v1/ikev1_cfg.h"
#include "ike/v1/ikev1_exchanges.h"
#include "natt/framing.h"

static const char *const reason_names[IKE_R_COUNT] = {
	[IKE_R_NONE] = "NONE",
	[IKE_R_MALFORMED] = "MALFORMED",
	[IKE_R_UNEXPECTED] = "UNEXPECTED",
	[IKE_R_NO_PROPOSAL] = "NO_PROPOSAL",
	[IKE_R_AUTH_FAILED] = "AUTH_FAILED",
	[IKE_R_ID_MISMATCH] = "ID_MISMATCH",
	[IKE_R_NO_CONN] = "NO_CONN",
	[IKE_R_TIMEOUT] = "TIMEOUT",
	[IKE_R_BAD_HASH] = "BAD_HASH",
	[IKE_R_DECRYPT] = "DECRYPT",
	[IKE_R_PEER_NOTIFY] = "PEER_NOTIFY",
	[IKE_R_PEER_DELETE] = "PEER_DELETE",
	[IKE_R_INITIAL_CONTACT] = "INITIAL_CONTACT",
	[IKE_R_IKE_ESTABLISHED] = "IKE_ESTABLISHED",
	[IKE_R_IPSEC_ESTABLISHED] = "IPSEC_ESTABLISHED",
	[IKE_R_TERMINATED] = "TERMINATED",
	[IKE_R_EXPIRED] = "EXPIRED",
	[IKE_R_REKEY] = "REKEY",
	[IKE_R_MAPPING_CHANGED] = "MAPPING_CHANGED",
	[IKE_R_NAT_AUDIT] = "NAT_AUDIT",
	[IKE_R_FLOAT] = "FLOAT",
	[IKE_R_NAT_DETECTED] = "NAT_DETECTED",
	[IKE_R_DPD_DEAD] = "DPD_DEAD",
	[IKE_R_KERNEL] = "KERNEL",
	[IKE_R_RESOURCE] = "RESOURCE",
	[IKE_R_TS_MISMATCH] = "TS_MISMATCH",
	[IKE_R_CRYPTO] = "CRYPTO",
	[IKE_R_RETRANSMIT] = "RETRANSMIT",
	[IKE_R_REJECTED] = "REJECTED",
	[IKE_R_REPLAY] = "REPLAY",
	[IKE_R_XAUTH_OK] = "XAUTH_OK",
	[IKE_R_XAUTH_FAILED] = "XAUTH_FAILED",
	[IKE_R_MODECFG] = "MODECFG",
	[IKE_R_POOL_EXHAUSTED] = "POOL_EXHAUSTED",
};

const char *ike_reason_name(enum ike_reason r)
{
	if ((unsigned)r >= IKE_R_COUNT || !reason_names[r])
		return "?";
	return reason_names[r];
}

void ike_actions_init(struct ike_actions *out)
{
	out->n = 0;
	out->buf_used = 0;
	out->dropped = 0;
	out->backlog = NULL;
}

void ike_actions_wipe(struct ike_actions *out)
{
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].type == IKE_ACT_KERNEL)
			OPENSSL_cleanse(&out->v[i].u.kernel, sizeof(out->v[i].u.kernel));
		else if (out->v[i].type == IKE_ACT_XAUTH_CHECK) /* a password */
			OPENSSL_cleanse(&out->v[i].u.xauth, sizeof(out->v[i].u.xauth));
	ike_actions_init(out);
}

const uint8_t *ike_actions_data(const struct ike_actions *out, const struct ike_action *a)
{
	return out->buf + a->u.send.off;
}

void eng_plog_tick(struct ike_engine *eng, uint64_t now, struct ike_actions *out)
{
	uint64_t *r = eng->plog_refused;
	uint64_t refused = r[HO_FULL] + r[HO_SOURCE] + r[HO_SHARE] + r[HO_AGGRESSIVE] + r[HO_NOMEM];
	struct ike_halfopen_stats st;

	if (now < eng->plog_window_ms + 1000)
		return;
	ike_halfopen_stats(eng->ho, &st);
	if (eng->plog_suppressed || refused || eng->plog_expired ||
	    st.evicted != eng->plog_evicted_seen) {
		eng_log(eng, out, IKE_LOG_WARN, IKE_R_REJECTED, 0,
			"in the last %llu ms: %u log lines suppressed; new half-open IKE SAs "
			"refused %llu (cap %llu, per source %llu, defence share %llu, "
			"defence Aggressive Mode %llu), quiet ones evicted at the cap %llu, "
			"expired %llu; now %u half-open from %u sources%s",
			(unsigned long long)(now - eng->plog_window_ms), eng->plog_suppressed,
			(unsigned long long)refused, (unsigned long long)r[HO_FULL],
			(unsigned long long)r[HO_SOURCE], (unsigned long long)r[HO_SHARE],
			(unsigned long long)r[HO_AGGRESSIVE],
			(unsigned long long)(st.evicted - eng->plog_evicted_seen),
			(unsigned long long)eng->plog_expired, st.halfopen, st.sources,
			st.defence ? ", defence mode" : "");
	}
	eng->plog_window_ms = now;
	eng->plog_count = 0;
	eng->plog_suppressed = 0;
	eng->plog_expired = 0;
	eng->plog_evicted_seen = st.evicted;
	memset(eng->plog_refused, 0, sizeof(eng->plog_refused));
}

const struct ike_halfopen *ike_engine_halfopen(const struct ike_engine *eng)
{
	return eng->ho;
}

static int conn_check(const struct ike_conn_cfg *c)
{
	if (c->n_p1 == 0 || c->n_p1 > IKE_PROPOSALS_MAX || c->n_p2 == 0 ||
	    c->n_p2 > IKE_PROPOSALS_MAX)
		return -EINVAL;
	if (c->auth == IKE_AUTH_PSK && (c->psk_len == 0 || c->psk_len > IKE_PSK_MAX))
		return -EINVAL;
	if (ike_auth_is_sig(c->auth)) {
		/* Hybrid RSA: the client does not sign, the gateway verifies
		 * no certificate. */
		bool signs = !(c->hybrid && c->xauth == IKE_CFG_CLIENT);
		bool verifies = !(c->hybrid && c->xauth == IKE_CFG_SERVER);

		if ((signs && (!c->key || !c->cert)) || (verifies && !c->ca))
			return -EINVAL;
	}
	if (c->hybrid && (c->auth != IKE_AUTH_RSA_SIG || c->xauth == IKE_CFG_NONE))
		return -EINVAL;
	if (c->auth != IKE_AUTH_PSK && !ike_auth_is_sig(c->auth))
		return -EINVAL;
	if (c->local.ss_family != AF_INET && c->local.ss_family != AF_INET6)
		return -EINVAL;
	if (c->local_id.len > IKE_ID_DATA_MAX || c->remote_id.len > IKE_ID_DATA_MAX)
		return -EINVAL;
	if (c->mode != XK_MODE_TUNNEL && c->mode != XK_MODE_TRANSPORT)
		return -EINVAL;
	if (c->dpd_action != IKE_DPD_CLEAR && c->dpd_action != IKE_DPD_HOLD &&
	    c->dpd_action != IKE_DPD_RESTART)
		return -EINVAL;
	return cfg_conn_check(c); /* XAUTH and Mode Config (ikev1_cfg.c) */
}

static void conn_defaults(struct ike_conn_cfg *c)
{
	if (!c->ike_lifetime_s)
		c->ike_lifetime_s = 28800;
	if (!c->ipsec_lifetime_s)
		c->ipsec_lifetime_s = 3600;
	if (!c->rekey_margin_s)
		c->rekey_margin_s = c->ipsec_lifetime_s / 6 < 540 ? c->ipsec_lifetime_s / 6 : 540;
	if (!c->rekey_fuzz_pct)
		c->rekey_fuzz_pct = 100;
	if (c->natt && !c->keepalive_s)
		c->keepalive_s = 20;
	if (c->dpd_delay_s && !c->dpd_timeout_s)
		c->dpd_timeout_s = 4 * c->dpd_delay_s;
}

int ike_engine_new(const struct ike_engine_cfg *cfg, struct ike_engine **out)
{
	struct ike_engine *eng;

	if (!cfg || !out || (cfg->n_conns && !cfg->conns))
		return -EINVAL;
	for (size_t i = 0; i < cfg->n_conns; i++)
		if (conn_check(&cfg->conns[i]) < 0)
			return -EINVAL;
	eng = calloc(1, sizeof(*eng));
	if (!eng)
		return -ENOMEM;
	eng->cfg = *cfg;
	eng->ike_sa_release = cfg_sa_free;
	eng->ike_sa_gone = cfg_client_gone;
	if (cfg->n_conns) {
		eng->conns = calloc(cfg->n_conns, sizeof(*eng->conns));
		if (!eng->conns) {
			free(eng);
			return -ENOMEM;
		}
		memcpy(eng->conns, cfg->conns, cfg->n_conns * sizeof(*eng->conns));
	}
	eng->cfg.conns = eng->conns;
	for (size_t i = 0; i < cfg->n_conns; i++) {
		struct ike_conn_cfg *c = &eng->conns[i];

		conn_defaults(c);
		/* Our own references: the caller may free its objects. */
		if (c->key)
			EVP_PKEY_up_ref(c->key);
		if (c->cert)
			X509_up_ref(c->cert);
		for (int j = 0; j < IKE_CERT_CHAIN_MAX; j++)
			if (c->cert_chain[j])
				X509_up_ref(c->cert_chain[j]);
		if (c->ca)
			X509_STORE_up_ref(c->ca);
	}
	if (!eng->cfg.retransmit_ms)
		eng->cfg.retransmit_ms = 500;
	if (!eng->cfg.retransmit_max_ms)
		eng->cfg.retransmit_max_ms = 8000;
	if (!eng->cfg.retransmit_tries)
		eng->cfg.retransmit_tries = 5;
	if (!eng->cfg.half_open_timeout_ms)
		eng->cfg.half_open_timeout_ms = 30000;
	if (!eng->cfg.notify_per_s)
		eng->cfg.notify_per_s = 5;
	eng->timer_emitted = V1_NO_TIMER;
	eng->backlog.tail = &eng->backlog.head;
	if (eng_random(eng, eng->cookie_secret, sizeof(eng->cookie_secret)) < 0) {
		ike_engine_free(eng);
		return -EIO;
	}
	sa_store_init(eng);
	if (cfg->halfopen_pool) {
		eng->ho = cfg->halfopen_pool;
	} else {
		uint8_t key[16];

		if (eng_random(eng, key, sizeof(key)) < 0) {
			ike_engine_free(eng);
			return -EIO;
		}
		eng->ho = ho_pool_new(&cfg->halfopen, key);
		if (!eng->ho) {
			ike_engine_free(eng);
			return -ENOMEM;
		}
		eng->ho->owned = true;
	}
	if (cfg_engine_init(eng) < 0) { /* Mode Config pools (ikev1_cfg.c) */
		ike_engine_free(eng);
		return -ENOMEM;
	}
	*out = eng;
	return 0;
}

void ike_engine_free(struct ike_engine *eng)
{
	if (!eng)
		return;
	/* Crypto jobs decided but never handed out are the engine's still. */
	for (struct eng_pending *p = eng->backlog.head; p; p = p->next)
		if (p->a.type == IKE_ACT_CRYPTO)
			ike_crypto_job_free(p->a.u.crypto);
	eng_backlog_free(&eng->backlog);
	eng_crypto_free_all(eng);
	while (eng->children)
		sa_ipsec_free(eng, eng->children);
	while (eng->sas) /* with their conversations, before the pools go */
		sa_ike_free(eng, eng->sas);
	sa_ike_store_free(eng);
	sa_store_free(eng);
	th_free(&eng->timers);
	if (eng->ho && eng->ho->owned)
		ike_halfopen_free(eng->ho);
	cfg_engine_free(eng);
	p1_ocsp_free(eng);
	for (size_t i = 0; i < eng->cfg.n_conns; i++) {
		struct ike_conn_cfg *c = &eng->conns[i];

		EVP_PKEY_free(c->key);
		X509_free(c->cert);
		for (int j = 0; j < IKE_CERT_CHAIN_MAX; j++)
			X509_free(c->cert_chain[j]);
		X509_STORE_free(c->ca);
	}
	if (eng->conns) {
		OPENSSL_cleanse(eng->conns, eng->cfg.n_conns * sizeof(*eng->conns));
		free(eng->conns);
	}
	OPENSSL_cleanse(eng, sizeof(*eng));
	free(eng);
}

static void dgram_in(struct ike_engine *eng, const struct ike_dgram *dg, uint64_t now,
		     struct ike_actions *out)
{
	uint8_t whole[ISAKMP_REASM_MAX_LEN]; /* a message reassembled from fragments */
	size_t whole_len;
	union ike_ep local;
	const uint8_t *ike = dg->buf;
	size_t len = dg->len;

	sa_ep_from_ss(&local, &dg->local);
	if (sa_ep_port(&local) == NATT_PORT) {
		/* RFC 3948 s2.2: demultiplex port 4500. */
		switch (natt_frame_classify(dg->buf, dg->len)) {
		case NATT_FRAME_IKE:
			if (natt_marker_strip(dg->buf, dg->len, &ike, &len) < 0)
				return;
			break;
		case NATT_FRAME_KEEPALIVE:
			/* RFC 3948 s2.3/s4: never liveness, never a move; counted
			 * for the peer's NAT facts only. */
			eng_nat_keepalive(eng, &dg->remote, now, out);
			return;
		default:
			return; /* ESP is the kernel's; garbage is dropped */
		}
	}
	/* Cisco/MS-IKEE fragments are reassembled first (ike/ikev1_frag.c). */
	if (ikev1_frag_input(eng, dg, ike, len, whole, &whole_len, now, out)) {
		if (whole_len)
			ikev1_dispatch_dgram(eng, dg, whole, whole_len, now, out);
		return;
	}
	ikev1_dispatch_dgram(eng, dg, ike, len, now, out);
}

/* A crypto job came back: its message goes through the dispatcher again,
 * unless its SA went meanwhile (engine_crypto.h). */
static void crypto_done(struct ike_engine *eng, struct ike_crypto_job *job, uint64_t now,
			struct ike_actions *out)
{
	struct eng_cwait *cw;
	struct ike_sa *sa;
	struct ike_dgram dg;
	const uint8_t *buf;
	size_t len;
	uint32_t serial = 0;

	if (!job)
		return;
	cw = eng_crypto_done(eng, job, &serial);
	if (!cw)
		return;
	sa = sa_ike_by_serial(eng, serial);
	if (!sa || sa->deleting || sa->crypto_wait != ike_crypto_job_id(job)) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_NONE, serial,
			"crypto job %llu discarded: its SA is gone",
			(unsigned long long)ike_crypto_job_id(job));
		eng_crypto_drop(eng, cw);
		return;
	}
	sa->crypto_wait = 0;
	eng_crypto_replay_begin(eng, cw, &dg, &buf, &len);
	ikev1_dispatch_dgram(eng, &dg, buf, len, now, out);
	eng_crypto_replay_end(eng, cw);
}

int ike_engine_handle(struct ike_engine *eng, const struct ike_event *ev, uint64_t now_ms,
		      struct ike_actions *out)
{
	uint64_t next;
	int rc = 0;

	if (!eng || !ev || !out)
		return -EINVAL;
	if (ev->wall_s)
		eng->wall_s = ev->wall_s;
	eng->now_ms = now_ms;
	/* Work decided earlier goes out first (engine.h). */
	out->backlog = &eng->backlog;
	eng_backlog_drain(&eng->backlog, out);
	eng_plog_tick(eng, now_ms, out);
	switch (ev->type) {
	case IKE_EV_DGRAM:
		dgram_in(eng, &ev->u.dgram, now_ms, out);
		break;
	case IKE_EV_TIMER:
		break; /* timers run below, for every event */
	case IKE_EV_INITIATE:
		if (ev->u.conn >= eng->cfg.n_conns) {
			rc = -EINVAL;
			break;
		}
		ikev1_initiate(eng, ev->u.conn, now_ms, out);
		break;
	case IKE_EV_TERMINATE:
		if (ev->u.conn >= eng->cfg.n_conns) {
			rc = -EINVAL;
			break;
		}
		ikev1_conn_teardown(eng, ev->u.conn, now_ms, out);
		break;
	case IKE_EV_TERMINATE_PEER:
		ikev1_peer_terminate(eng, ev->u.serial, now_ms, out);
		break;
	case IKE_EV_KERNEL:
		ikev1_kernel_event(eng, &ev->u.kernel, now_ms, out);
		break;
	case IKE_EV_XAUTH_VERDICT: {
		struct cfg_step step = { 0 };

		cfg_xauth_verdict(eng, ev->u.xauth.serial, ev->u.xauth.ok, out, &step);
		ikev1_cfg_step(eng, &step, now_ms, out);
		break;
	}
	case IKE_EV_OCSP_RESULT:
		p1_ocsp_result(eng, ev->u.ocsp.id, ev->u.ocsp.buf, ev->u.ocsp.len, ev->u.ocsp.error,
			       out);
		break;
	case IKE_EV_KERNEL_RESULT: {
		bool install = false;
		struct ipsec_sa *c = sa_ipsec_find_kcookie(eng, ev->u.result.cookie, &install);

		if (!c)
			break; /* answer to a request whose exchange is gone */
		if (install) {
			/* An SA or policy the kernel refused: the tunnel is not up,
			 * whatever the negotiation said. Remove what was installed
			 * and tell the peer (Delete), so neither side keeps half. */
			if (ev->u.result.error) {
				eng_log(eng, out, IKE_LOG_ERROR, IKE_R_KERNEL, c->x.serial,
					"kernel refused the IPsec SA (SPIs in %08x out %08x): %s (%d)",
					c->spi_in, c->spi_out,
					ev->u.result.msg[0] ? ev->u.result.msg : "no reason given",
					ev->u.result.error);
				/* Its policies too (or the conn's traps back), unless
				 * a live SA of the peer with the same selectors (the
				 * one a refused rekey was to replace) still needs them:
				 * no policy left pointing at SAs that are not there. */
				if (c->installed && !c->replaced && !ipsec_policies_shared(eng, c))
					ipsec_policies_remove(eng, c, out);
				ikev1_ipsec_delete(eng, c, sa_ike_for_child(eng, c), now_ms, out);
			}
			break;
		}
		if (ev->u.result.error) {
			eng_log(eng, out, IKE_LOG_ERROR, IKE_R_KERNEL, c->x.serial,
				"kernel request failed: %s (%d)", ev->u.result.msg,
				ev->u.result.error);
			ikev1_ipsec_delete(eng, c, NULL, now_ms, out);
			break;
		}
		ikev1_dispatch_event(eng, NULL, c, V1_IN_SPI, &ev->u.result, now_ms, out);
		break;
	}
	case IKE_EV_CRYPTO_DONE:
		crypto_done(eng, ev->u.crypto, now_ms, out);
		break;
	case IKE_EV_KEEPALIVE: {
		/* Read in a batch: when it arrived, if that was earlier. */
		uint64_t rx = ev->u.dgram.rx_ms;

		eng_nat_keepalive(eng, &ev->u.dgram.remote, rx && rx < now_ms ? rx : now_ms, out);
		break;
	}
	default:
		rc = -EINVAL;
		break;
	}
	ikev1_timers_run(eng, now_ms, out);
	next = eng_next_deadline(eng); /* at worst an early, empty wake-up */
	/* Due work left over (the buffer filled up, or actions wait in the
	 * backlog): ask to be called again now. */
	if (next <= now_ms || eng->backlog.head)
		next = now_ms;
	if (next != eng->timer_emitted || next == now_ms) {
		struct ike_action *a = eng_action_add(out, IKE_ACT_TIMER, 0, NULL);

		if (a) {
			a->u.timer_at_ms = next;
			eng->timer_emitted = next;
		}
	}
	out->backlog = NULL;
	if (out->dropped)
		return -ENOSPC;
	return rc;
}

void ike_engine_status(const struct ike_engine *eng, struct ike_status *st)
{
	memset(st, 0, sizeof(*st));
	for (const struct ike_sa *sa = eng->sas; sa; sa = sa->next) {
		st->ike_sas++;
		if (ikev1_state_info(sa->x.state)->established)
			st->ike_established++;
		else
			st->half_open++;
	}
	for (const struct ipsec_sa *c = eng->children; c; c = c->next)
		if (c->installed)
			st->ipsec_sas++;
}

bool ike_engine_peer_at(struct ike_engine *eng, const struct sockaddr_storage *ep)
{
	union ike_ep e;

	sa_ep_from_ss(&e, ep);
	return sa_ike_by_ep(eng, &e) != NULL;
}
