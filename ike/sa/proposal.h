/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Proposal construction and selection from a plain connection config:
 * Phase 1 (ISAKMP, RFC 2409 App. A) and Phase 2 (ESP, RFC 2407 s4.5).
 * Proposals are written and read only through the codec; this file decides
 * which offer is acceptable.
 */
#ifndef NATKEYD_IKE_PROPOSAL_H
#define NATKEYD_IKE_PROPOSAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ike/engine.h"
#include "ike/wire/isakmp_decode.h"
#include "ike/wire/isakmp_encode.h"
#include "natt/encap.h"
#include "natt/method.h"

/* What a Phase 1 SA payload negotiated. */
struct p1_choice {
	struct ike_p1_proposal p;
	uint16_t auth;	    /* Authentication Method: IKE_AUTH_PSK or _RSA_SIG */
	uint16_t auth_wire; /* as on the wire (an XAUTH method maps to its base) */
	uint32_t life_s;    /* 0 = not given */
	uint8_t prop_no;    /* proposal and transform numbers, to echo */
	struct isakmp_proposal prop;
	struct isakmp_transform xf;
};

/* What a Phase 2 SA payload negotiated. */
struct p2_choice {
	struct ike_p2_proposal p;
	uint8_t esp_id;	      /* ESP transform ID */
	uint16_t auth_attr;   /* Authentication Algorithm attribute (0 = absent) */
	uint16_t encap_value; /* Encapsulation Mode on the wire */
	enum natt_encap encap;
	uint16_t group;	       /* PFS group, 0 = none */
	uint32_t life_s;       /* what we use: min(offered, ours) */
	uint32_t life_offered; /* as proposed, echoed unchanged (0 = absent) */
	bool has_key_len;      /* the transform carried a Key Length */
	uint32_t peer_spi;     /* host order */
	struct isakmp_proposal prop;
	struct isakmp_transform xf;
	uint32_t life_kb;	  /* what we use (0 = no byte limit) */
	uint32_t life_kb_offered; /* as proposed (0 = absent) */
	bool shortened;		  /* responder: ours is shorter than offered
				   * (RFC 2407 s4.5.4: RESPONDER-LIFETIME) */
};

/* The Phase 2 offer an initiator makes. */
struct p2_offer {
	const struct ike_conn_cfg *conn;
	uint32_t spi; /* our inbound SPI, host order */
	uint16_t encap_value;
	uint16_t group;
	uint32_t life_s;
	uint32_t life_kb; /* 0 = not offered */
};

/* RFC 2407 s4.5: an IPsec SA without a negotiated lifetime lives 28800 s. */
#define P2_DEFAULT_LIFE_S 28800

/* NAT facts a Phase 2 responder checks the Encapsulation Mode against. */
struct p2_nat {
	enum natt_method method;
	bool nat_detected;
};

/**
 * proposal_p1_add() - the initiator's Phase 1 SA payload: one proposal,
 * one transform per configured suite (2409-5.h).
 *
 * Return: offset of the SA payload in the encoder, or a negative errno.
 */
ssize_t proposal_p1_add(struct isakmp_enc *e, const struct ike_conn_cfg *c);

/**
 * proposal_p1_select() - responder: the first transform of the peer's single
 * proposal that matches one of our suites and our authentication method.
 *
 * Return: 0, -ENOENT (nothing acceptable: NO-PROPOSAL-CHOSEN), -EBADMSG
 * (not exactly one ISAKMP proposal, 2409-5.h).
 */
int proposal_p1_select(const struct isakmp_sa *sa, const struct ike_conn_cfg *c,
		       struct p1_choice *out);

/**
 * proposal_p1_legacy_count() - how many transforms of a Phase 1 offer
 * natkeyd could take only with allow-legacy-algorithms=yes (3DES, MD5,
 * MODP-1024/1536 and otherwise supported), for the log line that explains
 * a refusal. 0 for a malformed offer.
 */
unsigned proposal_p1_legacy_count(const struct isakmp_sa *sa);

/**
 * proposal_p2_legacy_count() - the same for a Phase 2 (ESP) offer: 3DES
 * transforms, and a legacy PFS group.
 */
unsigned proposal_p2_legacy_count(const struct isakmp_sa *sa);

/**
 * proposal_p1_check_reply() - initiator: the responder's SA payload holds
 * exactly one transform, equal to one we offered (2408-4.2.d, 2409-5.j).
 *
 * Return: 0, or -ENOENT / -EBADMSG.
 */
int proposal_p1_check_reply(const struct isakmp_sa *sa, const struct ike_conn_cfg *c,
			    struct p1_choice *out);

/**
 * proposal_echo() - responder: an SA payload with the chosen proposal and
 * transform only, attributes unchanged (2409-3.2.a, 2409-5.j), with @spi.
 *
 * Return: offset of the SA payload, or a negative errno.
 */
ssize_t proposal_echo(struct isakmp_enc *e, const struct isakmp_sa *sa_in,
		      const struct isakmp_proposal *prop, const struct isakmp_transform *xf,
		      const void *spi, uint8_t spi_size);

/**
 * proposal_p2_reply_add() - responder: QM2's SA payload, the chosen proposal
 * and transform with their numbers and attribute values as offered, and
 * our SPI @spi (host order).
 *
 * Return: offset of the SA payload, or a negative errno.
 */
ssize_t proposal_p2_reply_add(struct isakmp_enc *e, const struct p2_choice *ch, uint32_t spi);

/**
 * proposal_p2_add() - the initiator's Phase 2 SA payload: one ESP proposal
 * with one transform per configured suite.
 *
 * Return: offset of the SA payload, or a negative errno.
 */
ssize_t proposal_p2_add(struct isakmp_enc *e, const struct p2_offer *o);

/**
 * proposal_p2_select() - responder: the first acceptable ESP transform.
 * @nat: the NAT facts, for the Encapsulation Mode (natt/encap.h decides).
 *
 * Return: 0, -ENOENT (NO-PROPOSAL-CHOSEN) or -EBADMSG.
 */
int proposal_p2_select(const struct isakmp_sa *sa, const struct ike_conn_cfg *c,
		       const struct p2_nat *nat, struct p2_choice *out);

/**
 * proposal_p2_check_reply() - initiator: the responder chose exactly one of
 * our transforms, unchanged.
 *
 * Return: 0, -ENOENT or -EBADMSG.
 */
int proposal_p2_check_reply(const struct isakmp_sa *sa, const struct p2_offer *o,
			    const struct p2_nat *nat, struct p2_choice *out);

/**
 * proposal_p2_lifetime_add() - the attribute list of a RESPONDER-LIFETIME
 * notify (RFC 2407 s4.6.3.1): our seconds and, if any, kilobytes.
 * @e: an empty body-mode encoder.
 *
 * Return: bytes written, or a negative errno.
 */
ssize_t proposal_p2_lifetime_add(struct isakmp_enc *e, uint32_t life_s, uint32_t life_kb);

/**
 * proposal_p2_lifetime_parse() - the lifetimes of a RESPONDER-LIFETIME
 * notify's data; a value absent from it is left unchanged.
 *
 * Return: 0, or -EBADMSG (malformed list, unknown attribute or Life Type,
 * a Duration without a Type before it).
 */
int proposal_p2_lifetime_parse(const uint8_t *data, size_t len, uint32_t *life_s,
			       uint32_t *life_kb);

/**
 * proposal_p2_responder_lifetime() - initiator: apply a RESPONDER-LIFETIME
 * notify (RFC 2407 s4.6.3.1) to the lifetimes of the SA whose outbound SPI
 * (the responder's inbound one) is @peer_spi: each becomes the shorter of
 * ours and the responder's; a longer value never lengthens ours.
 *
 * Return: 1 applied, 0 not about this SA (protocol or SPI differ),
 * -EBADMSG malformed data (nothing changed).
 */
int proposal_p2_responder_lifetime(const struct isakmp_notify *n, uint32_t peer_spi,
				   uint32_t *life_s, uint32_t *life_kb);

/**
 * proposal_esp_ids() - the ESP transform ID and auth attribute of a suite,
 * as the key derivation (ike/crypto/keys.h) wants them.
 *
 * Return: 0 or -EINVAL.
 */
int proposal_esp_ids(const struct ike_p2_proposal *p, uint8_t *esp_id, uint16_t *auth_attr);

#endif
