/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NAT-T methods: the RFC 3947 variant and the pre-RFC drafts peers still
 * send. A method fixes, for the whole IKE SA, the Vendor ID, the NAT-D and
 * NAT-OA payload numbers, the Quick Mode encapsulation-mode values, whether
 * IKE floats to port 4500, and how many NAT-OA payloads are exchanged
 * (docs/requirements.md 10 NT-a..NT-i, 11.9).
 */
#ifndef NATKEYD_NATT_METHOD_H
#define NATKEYD_NATT_METHOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Ordered by preference: a larger value is preferred when both peers
 * announce several (RFC 3947 > -08 > ... > -03 > -02 > -02\n > -01 > -00,
 * docs/requirements.md NT-i). NATT_METHOD_NONE means NAT-T is not used.
 */
enum natt_method {
	NATT_METHOD_NONE = 0,
	NATT_METHOD_DRAFT_00,
	NATT_METHOD_DRAFT_01,
	NATT_METHOD_DRAFT_02N, /* MD5("draft-ietf-ipsec-nat-t-ike-02\n") */
	NATT_METHOD_DRAFT_02,  /* MD5("draft-ietf-ipsec-nat-t-ike-02") */
	NATT_METHOD_DRAFT_03,
	NATT_METHOD_DRAFT_04,
	NATT_METHOD_DRAFT_05,
	NATT_METHOD_DRAFT_06,
	NATT_METHOD_DRAFT_07,
	NATT_METHOD_DRAFT_08,
	NATT_METHOD_RFC3947,
	NATT_METHOD_COUNT,
};

/* A set of methods: bit (1u << method). Bit 0 (NONE) is never set. */
typedef uint32_t natt_method_set;

#define NATT_METHOD_BIT(m) ((natt_method_set)1u << (unsigned)(m))
/* Every real method (RFC and all drafts). */
#define NATT_METHODS_ALL                                                                           \
	((NATT_METHOD_BIT(NATT_METHOD_COUNT) - 1u) & ~NATT_METHOD_BIT(NATT_METHOD_NONE))
/* What natkeyd negotiates when a conn does not restrict it: every method
 * whose ESP goes on 4500 behind the non-ESP marker. Drafts -00/-01 carry
 * ESP on port 500 behind an 8-byte non-IKE marker, which no natkeyd socket
 * does: they are recognised (logged) but never chosen. */
#define NATT_METHODS_USABLE                                                                        \
	(NATT_METHODS_ALL &                                                                        \
	 ~(NATT_METHOD_BIT(NATT_METHOD_DRAFT_00) | NATT_METHOD_BIT(NATT_METHOD_DRAFT_01)))
/* What an initiator announces by default: RFC + draft-02\n + draft-03, like
 * the widely deployed daemons, so old peers still find a common method. */
#define NATT_METHODS_SEND_DEFAULT                                                                  \
	(NATT_METHOD_BIT(NATT_METHOD_RFC3947) | NATT_METHOD_BIT(NATT_METHOD_DRAFT_02N) |           \
	 NATT_METHOD_BIT(NATT_METHOD_DRAFT_03))

#define NATT_VID_LEN 16

/* How ESP is carried in UDP for a method (Linux UDP_ENCAP_* values). */
enum natt_udp_encap {
	NATT_UDP_ENCAP_NON_IKE = 1, /* drafts -00/-01: 8-byte non-IKE marker on 500 */
	NATT_UDP_ENCAP_NON_ESP = 2, /* -02 and later: 4-byte non-ESP marker on 4500 */
};

/* Everything that differs between NAT-T variants. */
struct natt_method_info {
	enum natt_method method;
	const char *name;	       /* "RFC 3947", "draft-ietf-ipsec-nat-t-ike-02\\n" ... */
	uint8_t vid[NATT_VID_LEN];     /* the Vendor ID payload body, as sent */
	uint8_t natd_payload;	       /* NAT-D payload type: 20, 15 or 130 */
	uint8_t natoa_payload;	       /* NAT-OA payload type: 21, 16 or 131 */
	uint16_t encap_udp_tunnel;     /* UDP-Encapsulated-Tunnel: 3 or 61443 */
	uint16_t encap_udp_transport;  /* UDP-Encapsulated-Transport: 4 or 61444 */
	bool floats;		       /* IKE moves to 4500 when a NAT is found */
	enum natt_udp_encap udp_encap; /* ESP-in-UDP framing */
	uint8_t natoa_count;	       /* NAT-OA payloads per QM message: 1 (<= -04) or 2 */
};

/**
 * natt_method_info() - the properties of one method.
 * @m: a method other than NATT_METHOD_NONE.
 *
 * Return: the constant table row, or NULL for NATT_METHOD_NONE or an
 * out-of-range value.
 */
const struct natt_method_info *natt_method_info(enum natt_method m);

/**
 * natt_method_name() - printable name of a method ("none" for NONE).
 */
const char *natt_method_name(enum natt_method m);

/**
 * natt_vid_lookup() - recognise a received Vendor ID payload body.
 * @vid: the VID payload body (without the generic payload header).
 * @len: its length; NAT-T VIDs are exactly 16 bytes.
 *
 * Return: the method the VID announces, or NATT_METHOD_NONE if it is not a
 * NAT-T VID (including the unversioned "draft-ietf-ipsec-nat-t-ike" VID,
 * which does not say which payload numbers the peer uses; see
 * natt_vid_is_unversioned()).
 */
enum natt_method natt_vid_lookup(const uint8_t *vid, size_t len);

/**
 * natt_vid_is_unversioned() - true for MD5("draft-ietf-ipsec-nat-t-ike").
 *
 * Seen in the wild next to a versioned draft VID; only worth a log line.
 */
bool natt_vid_is_unversioned(const uint8_t *vid, size_t len);

/**
 * natt_method_choose() - the best method both sides can use.
 * @allowed: the methods local policy accepts (0 = NAT-T off).
 * @peer: the methods the peer announced (natt_vid_lookup() of each VID).
 *
 * Return: the most preferred method in @allowed & @peer, or
 * NATT_METHOD_NONE if there is none: then NAT detection does not happen
 * (RFC 3947 s3.1: only if the VID was both sent and received).
 */
enum natt_method natt_method_choose(natt_method_set allowed, natt_method_set peer);

/**
 * natt_vids_to_send() - the NAT-T VIDs an initiator puts in MM1/AM1.
 * @offer: methods to announce (NATT_METHODS_SEND_DEFAULT, or a per-connection
 *         restriction such as NATT_METHOD_BIT(NATT_METHOD_RFC3947); 0 = NAT-T off).
 * @out: filled with the table rows, most preferred first.
 * @cap: capacity of @out (NATT_METHOD_COUNT always suffices).
 *
 * Return: the number of VIDs written (0 when NAT-T is off), or -ENOSPC.
 */
int natt_vids_to_send(natt_method_set offer, const struct natt_method_info **out, size_t cap);

/**
 * natt_vid_to_echo() - the one NAT-T VID a responder sends in MM2/AM2.
 * @allowed: methods local policy accepts for this connection (0 = off).
 * @peer: methods announced in MM1/AM1.
 *
 * The responder answers with the VID of the chosen method only, so both ends
 * agree on one variant (RFC 3947 s3.1; docs/requirements.md NT-i).
 *
 * Return: the chosen row, or NULL: send no NAT-T VID (NAT-T off or no common
 * method).
 */
const struct natt_method_info *natt_vid_to_echo(natt_method_set allowed, natt_method_set peer);

#endif
