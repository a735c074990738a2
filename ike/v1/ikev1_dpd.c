// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dead Peer Detection (RFC 3706): R-U-THERE / R-U-THERE-ACK notifies in
 * protected Informational exchanges, a 32-bit sequence number per sender
 * (random start, high bit clear), answered only when we announced the VID.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/v1/ikev1_exchanges.h"
#include "natt/endpoint.h"

/* RFC 3706 s5.1: MD5("CISCO-DEAD-PEER-DETECTION") cut to 14 bytes, + 1.0. */
static const uint8_t dpd_vid_bytes[16] = { 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
					   0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 };

const uint8_t *dpd_vid(size_t *len)
{
	*len = sizeof(dpd_vid_bytes);
	return dpd_vid_bytes;
}

void dpd_recv(struct ike_engine *eng, struct ike_sa *sa, uint16_t type, const uint8_t *spi,
	      size_t spi_len, const uint8_t *data, size_t len, uint64_t now,
	      struct ike_actions *out)
{
	uint32_t seq;

	/* RFC 3706 s5.3 / 6.1: SPI = CKY-I | CKY-R, data = 4-octet sequence. */
	if (len != 4 || spi_len != 2 * IKE_COOKIE_LEN ||
	    memcmp(spi, sa->cky_i, IKE_COOKIE_LEN) != 0 ||
	    memcmp(spi + IKE_COOKIE_LEN, sa->cky_r, IKE_COOKIE_LEN) != 0) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_MALFORMED, sa->x.serial,
			"DPD notify with wrong SPI or data length %zu", len);
		return;
	}
	memcpy(&seq, data, 4);
	seq = ntohl(seq);
	if (type == ISAKMP_N_R_U_THERE) {
		/* RFC 3706 s5.2: we sent the VID, so we answer every one. */
		uint32_t n = htonl(seq);

		info_send_notify(eng, sa, ISAKMP_N_R_U_THERE_ACK, &n, 4, now, out);
		return;
	}
	if (!sa->dpd_pending || seq != sa->dpd_wait_seq) {
		eng_log(eng, out, IKE_LOG_DEBUG, IKE_R_REJECTED, sa->x.serial,
			"R-U-THERE-ACK with unexpected sequence %u", seq);
		return;
	}
	sa->dpd_pending = 0;
	if (sa->dpd_at != V1_NO_TIMER)
		sa->dpd_at = now + (uint64_t)eng->conns[sa->conn].dpd_delay_s * 1000;
	eng_due(eng, &sa->x, sa->dpd_at);
}

static const char *const dpd_action_names[] = {
	[IKE_DPD_CLEAR] = "clear",
	[IKE_DPD_HOLD] = "hold",
	[IKE_DPD_RESTART] = "restart",
};

/*
 * The peer is dead: delete its IKE SA and its IPsec SAs (no Delete is
 * sent, it would not arrive), then apply the connection's action. Only
 * this peer's: a gateway connection serves many road warriors, and one
 * going silent says nothing about the others (sa_ipsec_of_peer()). clear
 * also removes the policies, so traffic flows as without the connection
 * (or hits the connection's traps again, ike_conn_cfg.traps); hold and
 * restart keep them, so nothing leaks in clear text: the kernel ACQUIREs on
 * the next packet (hold) or we re-initiate at once (restart). When the peer
 * has a newer established IKE SA (it rekeyed Phase 1), only this one goes.
 */
static void dpd_dead(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		     struct ike_actions *out, struct v1_follow *f)
{
	const struct ike_conn_cfg *c = &eng->conns[sa->conn];
	enum ike_dpd_action act = c->dpd_action;
	unsigned conn = sa->conn;
	struct ike_sa *succ = sa_ike_successor(eng, sa);

	eng_log(eng, out, IKE_LOG_WARN, IKE_R_DPD_DEAD, sa->x.serial,
		"%s: peer dead (no R-U-THERE-ACK for %u s), action %s", c->name, c->dpd_timeout_s,
		dpd_action_names[act]);
	/* The same peer rekeyed Phase 1 (same endpoint: a group identity may
	 * be shared by road warriors that are not this one). */
	if (succ && ikev1_state_info(succ->x.state)->established &&
	    natt_endpoint_equal(&succ->remote.sa, &sa->remote.sa)) {
		ikev1_ike_delete(eng, sa, false, now, out);
		return;
	}
	ikev1_peer_delete(eng, sa, false, act == IKE_DPD_CLEAR, now, out);
	if (act == IKE_DPD_RESTART) {
		f->what = V1_FOLLOW_INITIATE;
		f->conn = conn;
	}
}

int dpd_probe_send(struct ike_engine *eng, struct ike_sa *sa, uint64_t now, struct ike_actions *out)
{
	uint32_t n;

	if (!sa->dpd_seq) {
		/* RFC 3706 s6.2: random start, high bit clear. */
		eng_random(eng, &sa->dpd_seq, sizeof(sa->dpd_seq));
		sa->dpd_seq = (sa->dpd_seq & 0x7fffffffu) | 1u;
	} else {
		sa->dpd_seq++;
	}
	sa->dpd_wait_seq = sa->dpd_seq;
	/* An ACK of this one answers the DPD timer's outstanding ones too. */
	if (!sa->dpd_pending)
		sa->dpd_pending = 1;
	n = htonl(sa->dpd_seq);
	return info_send_notify(eng, sa, ISAKMP_N_R_U_THERE, &n, 4, now, out);
}

/* Returns true if the IKE SA was deleted (peer declared dead). */
bool dpd_timer_run(struct ike_engine *eng, struct ike_sa *sa, uint64_t now, struct ike_actions *out,
		   struct v1_follow *f)
{
	const struct ike_conn_cfg *c = &eng->conns[sa->conn];
	uint64_t delay = (uint64_t)c->dpd_delay_s * 1000;

	if (sa->dpd_at > now)
		return false;
	/* RFC 3706 s5.4: recent traffic from the peer is proof of liveness. */
	if (!sa->dpd_pending && sa->last_rx_ms + delay > now) {
		sa->dpd_at = sa->last_rx_ms + delay;
		eng_due(eng, &sa->x, sa->dpd_at);
		return false;
	}
	if ((uint64_t)sa->dpd_pending * delay >= (uint64_t)c->dpd_timeout_s * 1000) {
		dpd_dead(eng, sa, now, out, f);
		return true;
	}
	sa->dpd_pending++;
	dpd_probe_send(eng, sa, now, out);
	sa->dpd_at = now + delay;
	eng_due(eng, &sa->x, sa->dpd_at);
	return false;
}
