/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UDP-Encapsulated-Transport through NATs (RFC 3947 s5.2, RFC 3948 s3.1.2):
 * in transport mode the Quick Mode client IDs name the two hosts, and a NAT
 * rewrote at least one of their addresses. Which ID addresses a side may
 * accept, what a responder answers, and which addresses the kernel SA
 * selectors and policies carry.
 *
 * Each host has two addresses: its own (the one on its interface; what it
 * sends as its NAT-OA) and the one the other side sees (after the NATs; what
 * the other side sends as its NAT-OA for it). Both name the same host, so an
 * ID may carry either. strongSwan rewrites the IDs it receives to the
 * addresses it sees ("changing received traffic selectors ... due to NAT")
 * and answers with those; Libreswan keeps and echoes the initiator's IDs and
 * requires them back unchanged.
 *
 * docs/requirements.md: 3947-5.2.a (which NAT-OA carries which view), 3947-5.2.b
 * (both NAT-OA in transport mode), NT-f (drafts send one, redundant ones may
 * be missing), 3948-3.1.2.a/b (checksums after transport decapsulation),
 * 3948-5.2.a (two hosts behind one NAT: overlapping transport selectors).
 */
#ifndef NATKEYD_NATT_TRANSPORT_H
#define NATKEYD_NATT_TRANSPORT_H

#include <stdbool.h>
#include <sys/socket.h>

#include "natt/natoa.h"

/* What one side knows about the two hosts of a transport-mode Quick Mode. */
struct natt_transport_view {
	const struct sockaddr *local;	  /* our own address (the IKE SA's local) */
	const struct sockaddr *peer_seen; /* the peer as we see it (the IKE SA's
					   * current remote endpoint) */
	bool nat_we;			  /* NAT-D: a NAT in front of us */
	bool nat_peer;			  /* NAT-D: a NAT in front of the peer */
	const struct natt_natoa_orig *oa; /* the peer's NAT-OA (natt_natoa_original);
					   * NULL = none received */
};

/* Which address of a host an ID carries. */
enum natt_transport_id {
	NATT_TID_REFUSED,    /* neither: the ID names some other host */
	NATT_TID_OWN,	     /* the host's own address */
	NATT_TID_SEEN,	     /* the host's address as the other side sees it */
	NATT_TID_UNVERIFIED, /* behind a NAT, and no NAT-OA tells its other address */
};

/**
 * natt_transport_id_check() - may a transport-mode client ID name this host?
 * @v: what we know (addresses, NAT-D, the peer's NAT-OA).
 * @ours: true for the ID of our side (IDci when we initiate, IDcr when we
 *        respond), false for the peer's.
 * @id: the ID's address (port ignored).
 *
 * Our ID: our own address (OWN), or our address as the peer sees it, which
 * its NAT-OA for us tells (RFC 3947 s5.2: the initiator's NAT-OAr, the
 * responder's NAT-OAi) (SEEN). The peer's ID: the address we see it at, the
 * IKE source address (SEEN), or its own address, which its NAT-OA for itself
 * tells (OWN). When a NAT is in front of a host and the peer sent no NAT-OA
 * for it, nothing can confirm the other address: drafts -02/-03 send one
 * NAT-OA only and a peer need not send a redundant one (docs/requirements.md NT-f),
 * so any address of the family is UNVERIFIED rather than refused. The
 * kernel selectors do not depend on the ID (natt_transport_selector()), so an
 * unverified ID cannot steer traffic.
 *
 * Return: the verdict; NATT_TID_REFUSED also for a family mismatch or an
 * unsupported family.
 */
enum natt_transport_id natt_transport_id_check(const struct natt_transport_view *v, bool ours,
					       const struct sockaddr *id);

/**
 * natt_transport_id_name() - "refused", "own address", "address as seen",
 * "unverified", for logs.
 */
const char *natt_transport_id_name(enum natt_transport_id t);

/* What a responder puts in QM2's IDci/IDcr. */
enum natt_transport_reply {
	/* The initiator's IDs unchanged. Libreswan as initiator requires them
	 * back as it sent them; strongSwan rewrites whatever it receives to
	 * its own view. So this is what every initiator accepts. */
	NATT_REPLY_ECHO,
	/* The addresses as the responder sees them (IDci = the initiator's IKE
	 * source, IDcr = our own address), as strongSwan answers. */
	NATT_REPLY_AS_SEEN,
};

/**
 * natt_transport_reply() - the ID addresses a responder answers with.
 * @style: echo or as seen.
 * @v: the responder's view.
 * @ci, @cr: the addresses of the initiator's IDci and IDcr.
 * @out_ci, @out_cr: what to answer (ports 0).
 *
 * Return: 0, or -EAFNOSUPPORT / -EINVAL (mixed families).
 */
int natt_transport_reply(enum natt_transport_reply style, const struct natt_transport_view *v,
			 const struct sockaddr *ci, const struct sockaddr *cr,
			 struct sockaddr_storage *out_ci, struct sockaddr_storage *out_cr);

/**
 * natt_transport_selector() - the host addresses of a UDP-Encapsulated-
 * Transport SA's selectors and policies.
 * @v: our view.
 * @sel_local: our own address (ports 0).
 * @sel_peer: the peer's address as we see it, the IKE SA's current remote.
 *
 * Not the IDs: after decapsulation a transport-mode packet carries the outer
 * header as the NATs left it (RFC 3948 s3.1.2), so its source is the peer as
 * we see it, and what we send to the peer must be addressed there too. The
 * TCP/UDP checksums inside still cover the original addresses: RFC 3948
 * s3.1.2 lets the receiver fix them with NAT-OA or skip the check (the
 * packet is integrity-protected); Linux skips it for UDP-encapsulated
 * transport SAs (the NAT-OA goes into XFRMA_ENCAP encap_oa all the same).
 *
 * Return: 0, or -EAFNOSUPPORT / -EINVAL (mixed families).
 */
int natt_transport_selector(const struct natt_transport_view *v, struct sockaddr_storage *sel_local,
			    struct sockaddr_storage *sel_peer);

#endif
