/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 fragmentation in the engine: the policy around the pure splitter
 * and reassembler of ike/wire/isakmp_frag.c. It hooks into the engine at
 * four points only: the Phase 1 vendor IDs (announce, recognise), the send
 * and resend of a message (ike/ikev1_msg.c), the arrival of a datagram
 * (ike/engine.c, before the dispatcher) and the give-up of a retransmitted
 * exchange (a log line that says why, ike/ikev1_dispatch.c).
 */
#ifndef NATKEYD_IKE_IKEV1_FRAG_H
#define NATKEYD_IKE_IKEV1_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/engine_int.h"

/**
 * ikev1_frag_vid_add() - announce fragmentation (the Cisco FRAGMENTATION
 * vendor ID) in a first Phase 1 message, unless @c says fragmentation=no;
 * a responder only answers a peer that announced it (as strongSwan).
 */
void ikev1_frag_vid_add(const struct ike_conn_cfg *c, const struct ike_sa *sa,
			struct isakmp_enc *e);

/**
 * ikev1_frag_vid_take() - note whether the peer announced fragmentation.
 */
void ikev1_frag_vid_take(struct ike_sa *sa, const struct isakmp_msg *msg);

/**
 * ikev1_frag_max() - the largest ISAKMP message (marker excluded) @sa
 * sends in one datagram before fragmenting: the connection's
 * fragment_size minus the IP and UDP headers and the non-ESP marker.
 */
size_t ikev1_frag_max(const struct ike_engine *eng, const struct ike_sa *sa);

/**
 * ikev1_frag_send() - send a whole ISAKMP message to @sa's peer, in
 * fragments when the policy says so.
 * @resend: a retransmission (Libreswan's rule: the first one switches to
 *          fragments when the peer announced support).
 *
 * Return: 0 or a negative errno.
 */
int ikev1_frag_send(struct ike_engine *eng, struct ike_sa *sa, const uint8_t *msg, size_t len,
		    bool resend, struct ike_actions *out);

/**
 * ikev1_frag_input() - take a datagram whose first payload is a Fragment.
 * Fragments of an existing IKE SA, from the peer's address, on a connection
 * that accepts fragmentation, go to the SA's reassembler (one message at a
 * time, allocated on the first fragment, freed when it completes or is
 * abandoned, or with the SA). A complete message is copied to @whole
 * (ISAKMP_REASM_MAX_LEN bytes) and its length set in @whole_len: the caller
 * dispatches it as if it had arrived whole.
 *
 * Return: true if @buf was a fragment message (handled here; dispatch
 * @whole if @whole_len is not 0), false if the caller should dispatch @buf.
 */
bool ikev1_frag_input(struct ike_engine *eng, const struct ike_dgram *dg, const uint8_t *buf,
		      size_t len, uint8_t *whole, size_t *whole_len, uint64_t now,
		      struct ike_actions *out);

/**
 * ikev1_frag_giveup_hint() - an exchange of @sa gave up after
 * retransmitting @x: if its message was too large for one unfragmented
 * datagram on a small path and was never sent in fragments, say so and
 * what to do (a path that drops IP fragments loses such messages).
 */
void ikev1_frag_giveup_hint(struct ike_engine *eng, const struct ike_sa *sa,
			    const struct v1_xchg *x, struct ike_actions *out);

/**
 * ikev1_frag_mode_name() - "yes", "accept", "force", "no".
 */
const char *ikev1_frag_mode_name(enum ike_frag_mode m);

#endif
