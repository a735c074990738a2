/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Quick Mode encapsulation mode with NAT-T (RFC 3947 s5.1, RFC 2407 s4.5):
 * which mode to propose, which to accept, and its number on the wire for
 * the negotiated method (3/4 or 61443/61444).
 */
#ifndef NATKEYD_NATT_ENCAP_H
#define NATKEYD_NATT_ENCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "natt/method.h"

/* RFC 2407 s4.5 plain modes. */
#define NATT_ENCAP_VALUE_TUNNEL	   1
#define NATT_ENCAP_VALUE_TRANSPORT 2

/* Encapsulation mode independent of the method's numbering. */
enum natt_encap {
	NATT_ENCAP_TUNNEL,
	NATT_ENCAP_TRANSPORT,
	NATT_ENCAP_UDP_TUNNEL,
	NATT_ENCAP_UDP_TRANSPORT,
};

/**
 * natt_encap_choose() - the mode to propose.
 * @tunnel: the connection is tunnel mode (else transport).
 * @nat_detected: NAT-D showed a NAT on either side.
 * @force_encap: forced UDP encapsulation for this connection.
 *
 * UDP-encapsulated when a NAT is between the hosts (SHOULD, 3947-5.1.b),
 * plain otherwise (SHOULD NOT, 5.1.c). The initiator proposes one kind only
 * (5.1.d).
 */
enum natt_encap natt_encap_choose(bool tunnel, bool nat_detected, bool force_encap);

/**
 * natt_encap_is_udp() - true for the two UDP-encapsulated modes.
 */
bool natt_encap_is_udp(enum natt_encap e);

/**
 * natt_encap_is_tunnel() - true for tunnel and UDP-encapsulated tunnel.
 */
bool natt_encap_is_tunnel(enum natt_encap e);

/**
 * natt_encap_value() - the Encapsulation Mode attribute value to send.
 * @m: negotiated method; UDP modes need a method other than NONE.
 * @e: the mode.
 * @value: set to 1, 2, 3, 4, 61443 or 61444.
 *
 * Return: 0, or -EINVAL for a UDP mode without NAT-T or an unknown mode.
 */
int natt_encap_value(enum natt_method m, enum natt_encap e, uint16_t *value);

/**
 * natt_encap_parse() - decode a received Encapsulation Mode value.
 * @m: negotiated method (NONE: only 1 and 2 are valid).
 * @value: the attribute value.
 * @e: the mode.
 *
 * Accepts the method's own UDP values; draft-04 also accepts 61443/61444,
 * which its text still lists.
 *
 * Return: 0, or -EINVAL (unknown, or UDP value of another method).
 */
int natt_encap_parse(enum natt_method m, uint16_t value, enum natt_encap *e);

/**
 * natt_encap_proposals_consistent() - an initiator's proposal list does not
 * mix plain and UDP-encapsulated modes (RFC 3947 s5.1, 5.1.d).
 * @modes: the modes of all transforms the initiator offers.
 * @n: how many (0 is consistent).
 */
bool natt_encap_proposals_consistent(const enum natt_encap *modes, size_t n);

/* Responder's view of a proposed mode against the detected NAT state. */
enum natt_encap_verdict {
	NATT_ENCAP_OK,
	NATT_ENCAP_NEED_UDP,	   /* NAT detected but plain mode proposed: ESP
				    * would not pass the NAT; reject */
	NATT_ENCAP_UNEXPECTED_UDP, /* UDP mode proposed with no NAT detected and
				    * no forced encapsulation; reject */
};

/**
 * natt_encap_check() - may the responder select a proposed mode?
 * @proposed: mode of the transform under consideration.
 * @nat_detected: NAT-D showed a NAT on either side (a peer forcing
 *                encapsulation fakes its NAT-D, so shows up here).
 * @force_encap: we force encapsulation for this connection.
 */
enum natt_encap_verdict natt_encap_check(enum natt_encap proposed, bool nat_detected,
					 bool force_encap);

/**
 * natt_encap_name() - printable mode, for logs.
 */
const char *natt_encap_name(enum natt_encap e);

#endif
