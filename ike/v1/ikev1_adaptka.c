// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Adaptive NAT-keepalive (nat_keepalive=auto): the binding lifetime each
 * IKE SA learned for its peer's path, the natkeyd Vendor ID and the
 * NATKEYD-BINDING-LIFETIME notify two natkeyd ends exchange, and the
 * refresh after idle (ike/v1/ikev1_adaptka.h).
 *
 * Refresh after idle, and why not "before the next data": an installed SA
 * gives the daemon no event when traffic starts again (XFRM ACQUIRE is for
 * missing SAs only), and polling every SA's lastused would cost more than
 * it saves. The side behind the NAT instead acts when its own silence
 * reaches the learned lifetime, at the moment the keepalive timer fires:
 * the mapping has then probably expired (a timer ran late, the host slept,
 * a fixed nat_keepalive= is longer than the lifetime), the next packet
 * leaves from a new public port, and a lone 0xFF keepalive would open the
 * new binding without the gateway learning it (RFC 3947 s7: keepalives are
 * not authenticated). An R-U-THERE is authenticated, so the gateway moves
 * its SAs to the new port before its own traffic to us is lost, and the
 * ACK shows the way back works. Without DPD (the peer sent no DPD VID) a
 * keepalive is all we can send: no other Informational is understood by
 * every peer, and an unknown one may be logged as an error.
 */
#include <arpa/inet.h>
#include <string.h>

#include "ike/v1/ikev1_adaptka.h"
#include "ike/v1/ikev1_exchanges.h"
#include "natt/endpoint.h"

/* MD5("natkeyd NAT-T diagnostics 1") = 36095ba31d6ca4d926408bc8c7d7f233. */
static const uint8_t natkeyd_vid_bytes[NATKEYD_VID_LEN] = { 0x36, 0x09, 0x5b, 0xa3, 0x1d, 0x6c,
							    0xa4, 0xd9, 0x26, 0x40, 0x8b, 0xc8,
							    0xc7, 0xd7, 0xf2, 0x33 };

const uint8_t *natkeyd_vid(size_t *len)
{
	*len = sizeof(natkeyd_vid_bytes);
	return natkeyd_vid_bytes;
}

uint32_t adaptka_interval_ms(const struct ike_engine *eng, unsigned conn, const struct ike_sa *sa)
{
	const struct ike_conn_cfg *c = &eng->conns[conn];
	uint64_t max = (uint64_t)c->keepalive_max_s * 1000;

	if (!c->keepalive_auto)
		return c->keepalive_s * 1000;
	return natt_adaptka_interval(sa ? sa->bl_ms : c->binding_lifetime_ms,
				     max > UINT32_MAX ? UINT32_MAX : (uint32_t)max);
}

/* The newest other established IKE SA with @sa's peer (identity and
 * endpoint: a group identity is shared by many road warriors) that knows
 * a lifetime. */
static const struct ike_sa *older_with_lifetime(struct ike_engine *eng, const struct ike_sa *sa)
{
	const struct ike_sa *best = NULL;

	for (const struct ike_sa *o = sa_ike_by_id_first(eng, &sa->peer_id); o;
	     o = sa_ike_by_id_next(eng, o, &sa->peer_id)) {
		if (o == sa || o->conn != sa->conn || !o->bl_src ||
		    !ikev1_state_info(o->x.state)->established ||
		    o->peer_id.type != sa->peer_id.type || o->peer_id.len != sa->peer_id.len ||
		    memcmp(o->peer_id.data, sa->peer_id.data, sa->peer_id.len) != 0 ||
		    !natt_endpoint_equal(&o->remote.sa, &sa->remote.sa))
			continue;
		if (!best || o->x.serial > best->x.serial)
			best = o;
	}
	return best;
}

void adaptka_established(struct ike_engine *eng, struct ike_sa *sa, struct ike_actions *out)
{
	const struct ike_conn_cfg *c = &eng->conns[sa->conn];
	const struct ike_sa *o = older_with_lifetime(eng, sa);

	if (o) {
		sa->bl_ms = o->bl_ms;
		sa->bl_src = o->bl_src;
		sa->bl_told_ms = o->bl_told_ms;
	} else if (c->binding_lifetime_ms && c->binding_lifetime_src) {
		sa->bl_ms = c->binding_lifetime_ms;
		sa->bl_src = c->binding_lifetime_src;
	}
	if (sa->nat_we && sa->floated && c->keepalive_auto)
		eng_log(eng, out, IKE_LOG_INFO, IKE_R_NONE, sa->x.serial,
			"%s: nat_keepalive=auto: NAT binding lifetime %u s (%s), keepalive every %u s",
			c->name, sa->bl_ms / 1000, natt_lifetime_src_name(sa->bl_src),
			adaptka_interval_ms(eng, sa->conn, sa) / 1000);
}

void ike_sa_binding_lifetime_set(struct ike_engine *eng, struct ike_sa *sa, uint32_t ms,
				 enum natt_lifetime_src src, uint64_t now, struct ike_actions *out)
{
	const struct ike_conn_cfg *c = &eng->conns[sa->conn];
	uint32_t iv;

	if (sa->bl_ms == ms && sa->bl_src == (uint8_t)src)
		return;
	sa->bl_ms = ms;
	sa->bl_src = ms ? (uint8_t)src : NATT_LT_NONE;
	iv = adaptka_interval_ms(eng, sa->conn, sa);
	eng_log(eng, out, IKE_LOG_INFO, IKE_R_NONE, sa->x.serial,
		"%s: NAT binding lifetime %u.%03u s (%s)%s", c->name, ms / 1000, ms % 1000,
		natt_lifetime_src_name(src),
		!sa->nat_we	    ? ""
		: c->keepalive_auto ? ": keepalive interval follows it"
				    : ": nat_keepalive is fixed, refresh after idle follows it");
	/* Behind the NAT: the next keepalive is due one (new) interval after
	 * our last packet, not one old interval from now. */
	if (sa->nat_we && sa->floated && sa->ka_at != V1_NO_TIMER) {
		uint64_t due = sa->last_tx_ms + iv;

		sa->ka_at = due > now ? due : now;
		eng_due(eng, &sa->x, sa->ka_at);
	}
}

void ike_peer_binding_lifetime_observed(struct ike_engine *eng, struct ike_sa *sa, uint32_t idle_ms,
					uint64_t now, struct ike_actions *out)
{
	uint32_t n;

	if (!natt_adaptka_peer_ok(idle_ms) || !ikev1_state_info(sa->x.state)->established)
		return;
	ike_sa_binding_lifetime_set(eng, sa, idle_ms, NATT_LT_OBSERVED, now, out);
	/* Only a natkeyd peer behind the NAT keeps the binding alive, and
	 * only it understands the notify (never sent to others). */
	if (!sa->peer_natkeyd || !sa->nat_peer || sa->bl_told_ms == idle_ms)
		return;
	n = htonl(idle_ms);
	if (info_send_notify(eng, sa, NATKEYD_N_BINDING_LIFETIME, &n, sizeof(n), now, out) == 0) {
		sa->bl_told_ms = idle_ms;
		eng_log(eng, out, IKE_LOG_INFO, IKE_R_NONE, sa->x.serial,
			"%s: told the peer its NAT binding lifetime (%u s)",
			eng->conns[sa->conn].name, idle_ms / 1000);
	}
}

void adaptka_notify_recv(struct ike_engine *eng, struct ike_sa *sa, const uint8_t *spi,
			 size_t spi_len, const uint8_t *data, size_t len, uint64_t now,
			 struct ike_actions *out)
{
	const char *name = eng->conns[sa->conn].name;
	uint32_t ms;

	if (!sa->peer_natkeyd) {
		/* Not ours: another implementation's private notify that
		 * happens to use the number. */
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_REJECTED, sa->x.serial,
			"%s: private notify %u from a peer without the natkeyd VID ignored", name,
			NATKEYD_N_BINDING_LIFETIME);
		return;
	}
	if (len != 4 || spi_len != 2 * IKE_COOKIE_LEN ||
	    memcmp(spi, sa->cky_i, IKE_COOKIE_LEN) != 0 ||
	    memcmp(spi + IKE_COOKIE_LEN, sa->cky_r, IKE_COOKIE_LEN) != 0) {
		eng_log(eng, out, eng_peer_log_allowed(eng, now) ? IKE_LOG_WARN : IKE_LOG_DEBUG,
			IKE_R_MALFORMED, sa->x.serial,
			"%s: NATKEYD-BINDING-LIFETIME with wrong SPI or data length %zu ignored",
			name, len);
		return;
	}
	memcpy(&ms, data, 4);
	ms = ntohl(ms);
	/* Opt-in (issue 18): a fixed nat_keepalive keeps the admin's choice.
	 * The gateway's value is the idle time before a mapping change, which
	 * a NAT reboot also makes (then shorter than the NAT's real lifetime):
	 * taken as it is, it would turn a fixed-interval road warrior's
	 * keepalives into R-U-THEREs (refresh after idle). */
	if (!eng->conns[sa->conn].keepalive_auto) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_NONE, sa->x.serial,
			"%s: NATKEYD-BINDING-LIFETIME %u ms ignored: nat_keepalive is fixed", name,
			ms);
		return;
	}
	if (!natt_adaptka_peer_ok(ms)) {
		eng_log(eng, out, eng_peer_log_allowed(eng, now) ? IKE_LOG_WARN : IKE_LOG_DEBUG,
			IKE_R_REJECTED, sa->x.serial,
			"%s: NATKEYD-BINDING-LIFETIME %u ms refused (outside %u..%u ms)", name, ms,
			NATT_ADAPTKA_PEER_MIN_MS, NATT_ADAPTKA_PEER_MAX_MS);
		return;
	}
	ike_sa_binding_lifetime_set(eng, sa, ms, NATT_LT_PEER, now, out);
}

bool adaptka_refresh(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		     struct ike_actions *out)
{
	if (!sa->peer_dpd || !natt_adaptka_refresh(sa->bl_ms, sa->last_tx_ms, now))
		return false;
	/* Below the 10 s floor every keepalive is a refresh: said once, when
	 * the lifetime was set. */
	eng_log(eng, out, sa->bl_ms >= NATT_ADAPTKA_MIN_MS ? IKE_LOG_INFO : IKE_LOG_DEBUG,
		IKE_R_NONE, sa->x.serial,
		"%s: silent for %llu s, longer than the NAT binding lifetime (%u s): R-U-THERE so "
		"the peer learns our new mapping",
		eng->conns[sa->conn].name, (unsigned long long)((now - sa->last_tx_ms) / 1000),
		sa->bl_ms / 1000);
	return dpd_probe_send(eng, sa, now, out) == 0;
}
