// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IKEv1 state table. Every message natkeyd accepts, in every state, is
 * one row here; a message with no row is refused by the dispatcher before
 * any handler sees it.
 */
#include "ike/ikev1_states.h"

#include <errno.h>
#include <stdio.h>

#include "ike/wire/isakmp.h"
#include "ike/v1/ikev1_handlers.h"

#define P(t) V1_P(ISAKMP_NP_##t)

/* Payloads any Phase 1 message may carry in addition to its own. */
#define P1_ANY (P(VID) | P(CR) | V1_P_OTHER)
#define AUTH   (P(HASH) | P(SIG) | P(CERT))
#define NATD   P(NATD)
#define CFG    P(ATTR) /* every Transaction message: HDR*, HASH, ATTR */

/* A row without a message hash or per-method payloads. */
#define ROW(st, in, rq, op, fl, h, nx)                                                             \
	{                                                                                          \
		.state = st, .input = in, .req = rq, .opt = op, .flags = fl, .handler = h,         \
		.handler_name = #h, .next = nx                                                     \
	}

/* A Phase 1 message that authenticates the peer: HASH_I/HASH_R with a
 * pre-shared key, SIG_I/SIG_R with signatures (both also in AUTH). */
#define AUTH_ROW(st, in, rq, op, fl, h, nx)                                                        \
	{                                                                                          \
		.state = st, .input = in, .req = rq, .opt = op, .req_psk = P(HASH),                \
		.req_sig = P(SIG), .flags = fl, .handler = h, .handler_name = #h, .next = nx       \
	}

/* A protected message that opens with HASH(n): encrypted, HASH required. */
#define HASH_ROW(st, in, hn, rq, op, h, nx)                                                        \
	{                                                                                          \
		.state = st, .input = in, .req = P(HASH) | (rq), .opt = op, .hash = hn,            \
		.flags = V1_F_ENCRYPTED, .handler = h, .handler_name = #h, .next = nx              \
	}

static const struct ikev1_row rows[] = {
	/* Main Mode initiator: HDR,SA -> ; HDR,KE,Ni -> ; HDR*,IDii,HASH_I|SIG_I -> */
	ROW(V1_NONE, V1_IN_START_MM, 0, 0, 0, main_i_start, V1_MAIN_I1),
	ROW(V1_MAIN_I1, V1_IN_MM, P(SA), P1_ANY, V1_F_CLEAR, main_i1_recv_mm2, V1_MAIN_I2),
	ROW(V1_MAIN_I2, V1_IN_MM, P(KE) | P(NONCE), P1_ANY | NATD, V1_F_CLEAR, main_i2_recv_mm4,
	    V1_MAIN_I3),
	AUTH_ROW(V1_MAIN_I3, V1_IN_MM, P(ID), P1_ANY | AUTH | P(N), V1_F_ENCRYPTED,
		 main_i3_recv_mm6, V1_MAIN_I4),
	/* Main Mode responder */
	ROW(V1_MAIN_R0, V1_IN_MM, P(SA), P1_ANY, V1_F_CLEAR, main_r0_recv_mm1, V1_MAIN_R1),
	ROW(V1_MAIN_R1, V1_IN_MM, P(KE) | P(NONCE), P1_ANY | NATD, V1_F_CLEAR, main_r1_recv_mm3,
	    V1_MAIN_R2),
	AUTH_ROW(V1_MAIN_R2, V1_IN_MM, P(ID), P1_ANY | AUTH | P(N), V1_F_ENCRYPTED,
		 main_r2_recv_mm5, V1_MAIN_R3),
	/* Aggressive Mode: HDR,SA,KE,Ni,IDii -> ; <- HDR,SA,KE,Nr,IDir,AUTH_R ; HDR[*],AUTH_I -> */
	ROW(V1_NONE, V1_IN_START_AM, 0, 0, 0, aggr_i_start, V1_AGGR_I1),
	AUTH_ROW(V1_AGGR_I1, V1_IN_AM, P(SA) | P(KE) | P(NONCE) | P(ID), P1_ANY | AUTH | NATD,
		 V1_F_CLEAR, aggr_i1_recv_am2, V1_AGGR_I2),
	ROW(V1_AGGR_R0, V1_IN_AM, P(SA) | P(KE) | P(NONCE) | P(ID), P1_ANY, V1_F_CLEAR,
	    aggr_r0_recv_am1, V1_AGGR_R1),
	/* RFC 2409 s5: AM3 may come encrypted or not (2409-5.f). */
	AUTH_ROW(V1_AGGR_R1, V1_IN_AM, 0, P1_ANY | AUTH | NATD | P(N), 0, aggr_r1_recv_am3,
		 V1_AGGR_R2),
	/* Quick Mode: HDR*,HASH(1),SA,Ni[,KE][,IDci,IDcr] -> ; <- HDR*,HASH(2),... ; HDR*,HASH(3)
	   -> */
	ROW(V1_NONE, V1_IN_START_QM, 0, 0, 0, quick_i_start, V1_QUICK_I0),
	ROW(V1_QUICK_I0, V1_IN_SPI, 0, 0, 0, quick_i0_spi, V1_QUICK_I1),
	HASH_ROW(V1_QUICK_I1, V1_IN_QM, V1_HASH_2, P(SA) | P(NONCE),
		 P(KE) | P(ID) | P(NATOA) | P(N), quick_i1_recv_qm2, V1_QUICK_I2),
	HASH_ROW(V1_QUICK_R0, V1_IN_QM, V1_HASH_1, P(SA) | P(NONCE),
		 P(KE) | P(ID) | P(NATOA) | P(N), quick_r0_recv_qm1, V1_QUICK_R0W),
	ROW(V1_QUICK_R0W, V1_IN_SPI, 0, 0, 0, quick_r0w_spi, V1_QUICK_R1),
	HASH_ROW(V1_QUICK_R1, V1_IN_QM, V1_HASH_3, 0, 0, quick_r1_recv_qm3, V1_QUICK_R2),
	/* XAUTH: gateway asks, client answers; SET carries the verdict, ACK
	 * closes (draft-beaulieu-ike-xauth-02 s4); HASH = prf(SKEYID_a, M-ID |
	 * ATTR) in every message (draft-dukes-ike-mode-cfg-02 s3.1). */
	ROW(V1_NONE, V1_IN_START_XAUTH_S, 0, 0, 0, xauth_s_start, V1_XAUTH_S1),
	HASH_ROW(V1_XAUTH_S1, V1_IN_CFG_REPLY, V1_HASH_1, CFG, 0, xauth_s1_recv_reply, V1_XAUTH_S2),
	ROW(V1_XAUTH_S2, V1_IN_XAUTH_OK, 0, 0, 0, xauth_s2_ok, V1_XAUTH_S3),
	ROW(V1_XAUTH_S2, V1_IN_XAUTH_RETRY, 0, 0, 0, xauth_s2_retry, V1_XAUTH_S1),
	ROW(V1_XAUTH_S2, V1_IN_XAUTH_FAIL, 0, 0, 0, xauth_s2_fail, V1_XAUTH_S4),
	HASH_ROW(V1_XAUTH_S3, V1_IN_CFG_ACK, V1_HASH_1, CFG, 0, xauth_s3_recv_ack, V1_XAUTH_DONE),
	HASH_ROW(V1_XAUTH_S4, V1_IN_CFG_ACK, V1_HASH_1, CFG, 0, xauth_s4_recv_ack, V1_XAUTH_S4),
	ROW(V1_NONE, V1_IN_START_XAUTH_C, 0, 0, 0, xauth_c_start, V1_XAUTH_C1),
	HASH_ROW(V1_XAUTH_C1, V1_IN_CFG_REQUEST, V1_HASH_1, CFG, 0, xauth_c_recv_request,
		 V1_XAUTH_C2),
	HASH_ROW(V1_XAUTH_C2, V1_IN_CFG_REQUEST, V1_HASH_1, CFG, 0, xauth_c_recv_request,
		 V1_XAUTH_C2),
	HASH_ROW(V1_XAUTH_C2, V1_IN_CFG_SET, V1_HASH_1, CFG, 0, xauth_c2_recv_set, V1_XAUTH_DONE),
	/* Mode Config: pull (REQUEST/REPLY) or push (SET/ACK); a gateway that
	 * pushes still answers a client that pulls. */
	ROW(V1_NONE, V1_IN_START_MCFG_SPUSH, 0, 0, 0, mcfg_s_push, V1_MCFG_S1),
	HASH_ROW(V1_MCFG_S1, V1_IN_CFG_ACK, V1_HASH_1, CFG, 0, mcfg_s1_recv_ack, V1_MCFG_DONE),
	HASH_ROW(V1_MCFG_S1, V1_IN_CFG_REQUEST, V1_HASH_1, CFG, 0, mcfg_s_recv_request,
		 V1_MCFG_DONE),
	ROW(V1_NONE, V1_IN_START_MCFG_SPULL, 0, 0, 0, mcfg_s_pull, V1_MCFG_S2),
	HASH_ROW(V1_MCFG_S2, V1_IN_CFG_REQUEST, V1_HASH_1, CFG, 0, mcfg_s_recv_request,
		 V1_MCFG_DONE),
	ROW(V1_NONE, V1_IN_START_MCFG_CPULL, 0, 0, 0, mcfg_c_pull, V1_MCFG_C1),
	HASH_ROW(V1_MCFG_C1, V1_IN_CFG_REPLY, V1_HASH_1, CFG, 0, mcfg_c_recv_attrs, V1_MCFG_DONE),
	HASH_ROW(V1_MCFG_C1, V1_IN_CFG_SET, V1_HASH_1, CFG, 0, mcfg_c_recv_attrs, V1_MCFG_DONE),
	ROW(V1_NONE, V1_IN_START_MCFG_CPUSH, 0, 0, 0, mcfg_c_push, V1_MCFG_C2),
	HASH_ROW(V1_MCFG_C2, V1_IN_CFG_SET, V1_HASH_1, CFG, 0, mcfg_c_recv_attrs, V1_MCFG_DONE),
	/* Informational: no state change (RFC 2409 5.7) */
	ROW(V1_INFO, V1_IN_INFO, 0, P(N) | P(D) | V1_P_OTHER, V1_F_CLEAR, info_recv_clear, V1_INFO),
	HASH_ROW(V1_INFO_PROTECTED, V1_IN_INFO, V1_HASH_1, 0, P(N) | P(D) | V1_P_OTHER,
		 info_recv_protected, V1_INFO_PROTECTED),
};

const struct ikev1_row *ikev1_row_find(enum ikev1_state state, enum ikev1_input input)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].state == state && rows[i].input == input)
			return &rows[i];
	return NULL;
}

const struct ikev1_row *ikev1_rows(size_t *n)
{
	*n = sizeof(rows) / sizeof(rows[0]);
	return rows;
}

/* States an exchange can begin in without a transition leading there. */
static bool is_entry(enum ikev1_state s)
{
	return s == V1_NONE || s == V1_MAIN_R0 || s == V1_AGGR_R0 || s == V1_QUICK_R0 ||
	       s == V1_INFO || s == V1_INFO_PROTECTED;
}

int ikev1_table_check(char *why, size_t cap)
{
	const size_t n = sizeof(rows) / sizeof(rows[0]);
	bool reach[V1_STATE_COUNT] = { false };
	bool changed = true;

	for (size_t i = 0; i < n; i++) {
		const struct ikev1_row *r = &rows[i];

		if (!r->handler) {
			snprintf(why, cap, "row %zu (%s/%s) has no handler", i,
				 ikev1_state_name(r->state), ikev1_input_name(r->input));
			return -EINVAL;
		}
		if ((unsigned)r->next >= V1_STATE_COUNT || r->next == V1_NONE) {
			snprintf(why, cap, "row %zu (%s) leads nowhere", i, r->handler_name);
			return -EINVAL;
		}
		if (r->req & r->opt) {
			snprintf(why, cap, "row %zu (%s): payload both required and optional", i,
				 r->handler_name);
			return -EINVAL;
		}
		if ((r->flags & V1_F_ENCRYPTED) && (r->flags & V1_F_CLEAR)) {
			snprintf(why, cap, "row %zu (%s): both clear and encrypted", i,
				 r->handler_name);
			return -EINVAL;
		}
		if ((r->req_psk | r->req_sig) & ~r->opt) {
			snprintf(why, cap, "row %zu (%s): a per-method payload is not allowed", i,
				 r->handler_name);
			return -EINVAL;
		}
		if ((r->req_psk | r->req_sig) && r->input != V1_IN_MM && r->input != V1_IN_AM) {
			snprintf(why, cap, "row %zu (%s): per-method payloads outside Phase 1", i,
				 r->handler_name);
			return -EINVAL;
		}
		if (r->hash != V1_HASH_NONE &&
		    (!(r->flags & V1_F_ENCRYPTED) || !(r->req & V1_P(ISAKMP_NP_HASH)))) {
			snprintf(why, cap, "row %zu (%s): a message hash needs HDR* and HASH", i,
				 r->handler_name);
			return -EINVAL;
		}
		for (size_t j = i + 1; j < n; j++) {
			if (rows[j].state == r->state && rows[j].input == r->input) {
				snprintf(why, cap, "duplicate rows for %s/%s",
					 ikev1_state_name(r->state), ikev1_input_name(r->input));
				return -EINVAL;
			}
		}
		/* A message row's payload masks must be consistent with its input. */
		if ((r->input == V1_IN_START_MM || r->input == V1_IN_START_AM ||
		     r->input == V1_IN_START_QM || r->input == V1_IN_SPI ||
		     r->input >= V1_IN_START_XAUTH_S) &&
		    (r->req | r->opt)) {
			snprintf(why, cap, "row %zu (%s): internal event with payload masks", i,
				 r->handler_name);
			return -EINVAL;
		}
	}
	for (int s = 0; s < V1_STATE_COUNT; s++) {
		if (ikev1_state_info((enum ikev1_state)s)->state != (enum ikev1_state)s ||
		    !ikev1_state_info((enum ikev1_state)s)->name) {
			snprintf(why, cap, "state %d missing from the state list", s);
			return -EINVAL;
		}
		reach[s] = is_entry((enum ikev1_state)s);
	}
	while (changed) {
		changed = false;
		for (size_t i = 0; i < n; i++) {
			if (reach[rows[i].state] && !reach[rows[i].next]) {
				reach[rows[i].next] = true;
				changed = true;
			}
		}
	}
	for (int s = 0; s < V1_STATE_COUNT; s++) {
		const struct ikev1_state_info *si = ikev1_state_info((enum ikev1_state)s);
		bool leaves = false;

		if (!reach[s]) {
			snprintf(why, cap, "state %s is unreachable", si->name);
			return -EINVAL;
		}
		for (size_t i = 0; i < n; i++)
			if (rows[i].state == (enum ikev1_state)s)
				leaves = true;
		/* A state that waits for something must have a row for it ... */
		if (!si->established && s != V1_NONE && !leaves) {
			snprintf(why, cap, "state %s waits but no row leaves it", si->name);
			return -EINVAL;
		}
		/* ... and a timer so it cannot wait forever. */
		if (!si->established && s != V1_NONE && s != V1_INFO && s != V1_INFO_PROTECTED &&
		    si->timeout == V1_TO_NONE) {
			snprintf(why, cap, "state %s can wait forever (no timeout)", si->name);
			return -EINVAL;
		}
		if (si->established && si->timeout != V1_TO_LIFETIME) {
			snprintf(why, cap, "established state %s without a lifetime", si->name);
			return -EINVAL;
		}
	}
	return 0;
}
