/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NAT original addresses in Quick Mode (RFC 3947 s5.2): which NAT-OA
 * payloads each side sends, with which address, and which received
 * address the kernel needs for the transport-mode checksum fix-up
 * (RFC 3948 s3.1.2). NAT-OA carries addresses only; ports are zero here.
 */
#ifndef NATKEYD_NATT_NATOA_H
#define NATKEYD_NATT_NATOA_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "natt/method.h"

enum natt_role {
	NATT_ROLE_INITIATOR,
	NATT_ROLE_RESPONDER,
};

/* The NAT-OA payloads to put in QM1/QM2, in order. */
struct natt_natoa_plan {
	size_t count; /* 0, 1 (drafts -00..-04: own address) or 2 (NAT-OAi, NAT-OAr) */
	struct sockaddr_storage oa[2];
};

/**
 * natt_natoa_plan() - the NAT-OA payloads this side sends.
 * @role: our role in the Quick Mode.
 * @m: negotiated method (NONE: nothing is sent).
 * @udp_transport: initiator: it proposes any UDP-Encapsulated-Transport
 *                 mode; responder: it selected UDP-Encapsulated-Transport.
 *                 False (tunnel modes): nothing is sent (RFC 3947 s5.2:
 *                 SHOULD NOT for tunnel, responder only if it selected
 *                 transport).
 * @local: our own address (the one the kernel SA uses).
 * @peer_seen: the peer's address as we see it (packet source).
 * @plan: the result; ports of the addresses are 0.
 *
 * RFC 3947 s5.2: initiator NAT-OAi = own address, NAT-OAr = peer as seen;
 * responder NAT-OAi = peer as seen, NAT-OAr = own address; NAT-OAi first.
 * Drafts up to -04 send one NAT-OA: the sender's own address.
 *
 * Return: 0, -EAFNOSUPPORT, or -EINVAL for mixed families.
 */
int natt_natoa_plan(enum natt_role role, enum natt_method m, bool udp_transport,
		    const struct sockaddr *local, const struct sockaddr *peer_seen,
		    struct natt_natoa_plan *plan);

/* The peer's view of the addresses, recovered from its NAT-OA payloads. */
struct natt_natoa_orig {
	bool have_src, have_dst;
	struct sockaddr_storage src; /* the peer's own address: its packets'
				      * original source; XFRMA_ENCAP encap_oa */
	struct sockaddr_storage dst; /* our address as the peer sees it: its
				      * packets' original destination */
};

/**
 * natt_natoa_original() - interpret the NAT-OA payloads received in QM1/QM2.
 * @role: our role in the Quick Mode.
 * @m: negotiated method.
 * @recv: the received NAT-OA addresses in message order (ports ignored).
 * @nrecv: how many (0 is legal: the peer need not send redundant NAT-OA).
 * @orig: what they say. With nothing received, have_src/have_dst are false
 *        and the caller uses the addresses it sees (no NAT on that side).
 *
 * Initiator: responder's NAT-OAi = us as seen (dst), NAT-OAr = responder's
 * own (src). Responder: NAT-OAi = initiator's own (src), NAT-OAr = us as
 * seen by the initiator (dst). One NAT-OA (drafts): the sender's own (src).
 *
 * Return: 0, or -EINVAL if more payloads than the method allows arrived.
 */
int natt_natoa_original(enum natt_role role, enum natt_method m,
			const struct sockaddr_storage *recv, size_t nrecv,
			struct natt_natoa_orig *orig);

#endif
