/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Port rules of NAT-T (RFC 3947 s3, s4): when IKE moves from 500 to 4500,
 * where replies go, what to do with packets still arriving on 500 after
 * the move, and the port field of the Phase 1 ID payload.
 */
#ifndef NATKEYD_NATT_PORTS_H
#define NATKEYD_NATT_PORTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "natt/method.h"

/* The exchange a Phase 1 message belongs to, as far as NAT-T cares. */
enum natt_exchange {
	NATT_EXCH_MAIN,		 /* Identity Protection (Main Mode) */
	NATT_EXCH_AGGRESSIVE,	 /* Aggressive Mode */
	NATT_EXCH_INFORMATIONAL, /* Informational (notify, delete, DPD) */
	NATT_EXCH_QUICK,	 /* Quick Mode */
	NATT_EXCH_TRANSACTION,	 /* Mode Config / XAUTH */
};

/**
 * natt_float_needed() - should the initiator move IKE to port 4500 now?
 * @m: negotiated method (NONE = NAT-T not negotiated).
 * @nat_detected: NAT-D showed a NAT on either side.
 * @force_encap: per-connection forced encapsulation.
 * @already_on_4500: the exchange already runs on 4500 (started there, or
 *                   floated before): nothing to do (RFC 3947 s4, 4.h).
 *
 * Called by the initiator before sending MM5 / AM3 (RFC 3947 s4: "changes
 * ports when sending the ID payload"). Drafts -00/-01 never float.
 *
 * Return: true if MM5/AM3 and everything after go UDP(4500, 4500) with the
 * non-ESP marker.
 */
bool natt_float_needed(enum natt_method m, bool nat_detected, bool force_encap,
		       bool already_on_4500);

/**
 * natt_float_follow() - should the responder adopt the endpoint of this packet?
 * @m: negotiated method.
 * @sa_floated: the SA already moved to 4500.
 * @local_port: the local port the packet arrived on (host byte order).
 * @processed_ok: the packet decrypted and was processed successfully.
 *
 * RFC 3947 s4 (4.e/4.f): after the initiator's first packet on 4500 has
 * been decrypted and processed, the responder sends everything later to
 * UDP(4500, Y), Y and the address taken from that packet. This applies
 * whether or not the responder is behind a NAT (unlike the later mapping
 * changes of natt_mapping_decide()).
 *
 * Return: true if the caller should set the peer endpoint to the packet's
 * source and mark the SA as floated.
 */
bool natt_float_follow(enum natt_method m, bool sa_floated, uint16_t local_port, bool processed_ok);

/**
 * natt_float_dest() - the destination of the first floated packet.
 * @peer: the peer endpoint used so far.
 * @out: @peer with the port set to 4500 (RFC 3947 s4: UDP(4500,4500)); may
 *       be the storage @peer points to.
 *
 * Return: 0, or -EAFNOSUPPORT.
 */
int natt_float_dest(const struct sockaddr *peer, struct sockaddr_storage *out);

/**
 * natt_reply_dest() - where a responder answers (RFC 3947 s3, 3947-3.b).
 * @received_from: the source address and port of the packet being answered.
 * @out: copy of @received_from: never a configured address nor port 500,
 *       because a NAT may have rewritten both. May alias @received_from.
 *
 * Return: 0, or -EAFNOSUPPORT.
 */
int natt_reply_dest(const struct sockaddr *received_from, struct sockaddr_storage *out);

/* What to do with a packet that arrived on port 500. */
enum natt_port500_verdict {
	NATT_PORT500_PROCESS, /* handle normally */
	NATT_PORT500_DROP,    /* discard (log at debug: a peer can trigger it) */
};

/**
 * natt_port500_check() - the after-float rule (RFC 3947 s4, 4.i/4.j).
 * @sa_floated: an IKE SA with the packet's cookies exists and has moved to
 *              4500 (false when no SA matches: a new exchange).
 * @exch: the packet's exchange.
 * @allow_info_on_500: local policy for informational packets on 500.
 *
 * Packets of a floated SA still arriving on 500: Main/Aggressive Mode with
 * the same cookies are discarded (SHOULD, 4.j); informational ones are
 * processed only if policy allows (MAY, 4.i); Quick Mode and Transaction
 * exchanges are discarded (4.c: all later packets MUST use 4500). A new
 * exchange on 500 (no matching floated SA) is processed normally: the peer
 * may have rebooted.
 */
enum natt_port500_verdict natt_port500_check(bool sa_floated, enum natt_exchange exch,
					     bool allow_info_on_500);

/**
 * natt_id_port_to_send() - port field of our Phase 1 ID payload.
 * @natt_on: NAT-T was negotiated for this SA.
 *
 * Return: 0 with NAT-T (RFC 3947 s4, draft-02/-03 s4), 500 without (RFC 2407
 * s4.6.2 allows 0 or 500).
 */
uint16_t natt_id_port_to_send(bool natt_on);

/**
 * natt_id_port_acceptable() - is a received Phase 1 ID port acceptable?
 * @natt_on: NAT-T was negotiated for this SA.
 * @port: the port field, host byte order.
 *
 * Accept 0 and 500 always (RFC 2407), and 4500 when NAT-T is on (peers put
 * their floated port there). HASH_I/HASH_R cover the port as received:
 * never normalise it.
 */
bool natt_id_port_acceptable(bool natt_on, uint16_t port);

#endif
