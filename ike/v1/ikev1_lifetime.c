// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What happens to an established IKE SA over time: expiry, DPD, and
 * NAT-keepalives (RFC 3948 s4, scheduled by natt/keepalive.c).
 */
#include <errno.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/v1/ikev1_adaptka.h"
#include "ike/v1/ikev1_exchanges.h"
#include "natt/framing.h"
#include "natt/keepalive.h"

static void keepalive_run(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
			  struct ike_actions *out)
{
	struct natt_keepalive_in in;
	struct natt_keepalive_out ko;

	if (sa->ka_at > now)
		return;
	memset(&in, 0, sizeof(in));
	in.behind_nat = sa->nat_we;
	in.floated = sa->floated;
	in.sa_exists = true;
	in.interval_ms = adaptka_interval_ms(eng, sa->conn, sa);
	in.last_sent_ms = sa->last_tx_ms;
	in.now_ms = now;
	natt_keepalive_schedule(&in, &ko);
	/* After a silence as long as the binding lifetime, an authenticated
	 * R-U-THERE instead (refresh after idle, ikev1_adaptka.c). */
	if (ko.send && !adaptka_refresh(eng, sa, now, out)) {
		uint8_t b[NATT_KEEPALIVE_LEN];

		/* The lone 0xFF goes without the non-ESP marker (RFC 3948 s2.3). */
		if (natt_keepalive_build(b, sizeof(b)) == NATT_KEEPALIVE_LEN &&
		    eng_send_raw(out, &sa->local, &sa->remote, b, sizeof(b)) == 0)
			sa->last_tx_ms = now;
	}
	sa->ka_at = ko.next_ms;
	eng_due(eng, &sa->x, sa->ka_at);
}

bool ike_lifetime_run(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		      struct ike_actions *out, struct v1_follow *f)
{
	if (!ikev1_state_info(sa->x.state)->established)
		return false;
	if (sa->expire_at <= now) {
		eng_log(eng, out, IKE_LOG_INFO, IKE_R_EXPIRED, sa->x.serial, "%s: IKE SA expired",
			eng->conns[sa->conn].name);
		ikev1_ike_delete(eng, sa, true, now, out);
		return true;
	}
	eng_nat_audit(eng, sa, now, out);
	if (sa->rekey_at <= now && !sa->rekey_started) {
		sa->rekey_started = true;
		sa->rekey_at = V1_NO_TIMER;
		if (eng->conns[sa->conn].no_rekey) {
			eng_log(eng, out, IKE_LOG_INFO, IKE_R_REKEY, sa->x.serial,
				"%s: IKE SA not rekeyed (rekey=no): it expires unless the peer rekeys",
				eng->conns[sa->conn].name);
			return false;
		}
		/* Not if the peer already rekeyed it; a responder rekeys only
		 * what the initiator left to expire (its timer runs later). */
		if (!sa_ike_successor(eng, sa)) {
			eng_log(eng, out, IKE_LOG_INFO, IKE_R_REKEY, sa->x.serial,
				"%s: rekeying the IKE SA%s", eng->conns[sa->conn].name,
				sa->initiator ? "" : " (as responder: the initiator did not)");
			f->what = V1_FOLLOW_PHASE1;
			f->conn = sa->conn;
			f->sa = sa;
		}
	}
	return false;
}

bool ike_liveness_run(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		      struct ike_actions *out, struct v1_follow *f)
{
	if (!ikev1_state_info(sa->x.state)->established)
		return false;
	if (dpd_timer_run(eng, sa, now, out, f))
		return true;
	keepalive_run(eng, sa, now, out);
	return false;
}
