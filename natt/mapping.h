/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Peer endpoint changes after the NAT mapping expired or changed
 * (RFC 3947 s7, s8) and the INITIAL-CONTACT match rule (RFC 3947 s6).
 */
#ifndef NATKEYD_NATT_MAPPING_H
#define NATKEYD_NATT_MAPPING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* How much we know about the packet that came from a new endpoint. */
enum natt_auth {
	NATT_AUTH_NONE,	     /* unauthenticated (cleartext, failed to decrypt or verify) */
	NATT_AUTH_KEEPALIVE, /* a NAT-keepalive: never authenticated */
	NATT_AUTH_IKE,	     /* an IKE message that decrypted and verified (HASH) */
	NATT_AUTH_ESP,	     /* ESP the kernel verified (XFRM_MSG_MAPPING event) */
};

enum natt_mapping_decision {
	NATT_MAPPING_UNCHANGED, /* same endpoint: nothing to do */
	NATT_MAPPING_IGNORE,	/* keep the old endpoint (log at debug) */
	NATT_MAPPING_MOVE,	/* move IKE and ESP SAs to the new endpoint and
				 * audit the change (RFC 3947 s8, SHOULD) */
};

/* The inputs of the decision. */
struct natt_mapping_in {
	bool natt_active;   /* NAT-T negotiated and UDP encapsulation in use */
	bool we_behind_nat; /* NAT-D: we are behind a NAT */
	enum natt_auth auth;
	const struct sockaddr *old_ep; /* the peer endpoint we use now */
	const struct sockaddr *new_ep; /* where the packet came from */
};

/**
 * natt_mapping_decide() - follow the peer to a new address/port or not.
 * @in: inputs.
 * @why: if not NULL, set to a constant string explaining the decision, for
 *       the audit/debug log.
 *
 * RFC 3947 s7: the end NOT behind a NAT follows the last valid
 * (authenticated) UDP-encapsulated IKE or ESP packet (7.a); the host behind
 * the NAT never does (7.b, DoS); keepalives and anything not authenticated
 * never move the peer (7.c). A forged packet from a new port carrying valid
 * cookies that fails decryption is NATT_AUTH_NONE: ignored.
 */
enum natt_mapping_decision natt_mapping_decide(const struct natt_mapping_in *in, const char **why);

/* An authenticated Phase 1 identity: ID type and identification data. */
struct natt_identity {
	uint8_t id_type;     /* RFC 2407 s4.6.2.1 ID type */
	const uint8_t *data; /* identification data (after type/protocol/port) */
	size_t len;
};

/**
 * natt_initial_contact_matches() - does INITIAL-CONTACT from @contact
 * concern an SA authenticated as @sa?
 * @sa: the identity an existing IKE/IPsec SA was authenticated with.
 * @contact: the authenticated identity of the SA that carried the
 *           INITIAL-CONTACT notification.
 *
 * RFC 3947 s6: behind a NAT the source IP/port says nothing, so SAs are
 * matched by the peer's ID payload only (type and data; the protocol/port
 * fields of the ID differ between 0/500/4500 and are ignored). There is
 * deliberately no address parameter.
 */
bool natt_initial_contact_matches(const struct natt_identity *sa,
				  const struct natt_identity *contact);

/**
 * natt_mapping_decision_name() - printable decision, for logs.
 */
const char *natt_mapping_decision_name(enum natt_mapping_decision d);

/**
 * natt_auth_name() - printable authentication status, for logs.
 */
const char *natt_auth_name(enum natt_auth a);

#endif
