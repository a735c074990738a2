/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Adaptive NAT-keepalive in the engine (ike/v1/ikev1_adaptka.c; the rule is
 * natt/adaptka.c): each IKE SA keeps the NAT binding lifetime learned for
 * its peer's path and where it came from, and two natkeyd ends tell each
 * other what they observed, in a private notify announced by a natkeyd
 * Vendor ID (docs/nat-traversal.md, "Adaptive keepalive").
 */
#ifndef NATKEYD_IKE_V1_ADAPTKA_H
#define NATKEYD_IKE_V1_ADAPTKA_H

#include <stddef.h>
#include <stdint.h>

#include "ike/engine_int.h"
#include "natt/adaptka.h"

/* The natkeyd Vendor ID: MD5("natkeyd NAT-T diagnostics 1"), all 16 bytes. */
#define NATKEYD_VID_LEN 16
/*
 * NATKEYD-BINDING-LIFETIME: a status notify of RFC 2408 s3.14.1's Private
 * Use range (32768-40959; 16385-24575 is reserved, 24576-32767 DOI
 * specific; DPD uses 36136/36137). Protocol ISAKMP, SPI = CKY-I | CKY-R,
 * data = the binding lifetime in milliseconds, 4 octets, network order.
 * Sent only in a protected Informational, only to a peer that sent the
 * natkeyd VID, and only taken from such a peer.
 */
#define NATKEYD_N_BINDING_LIFETIME 39680

/** natkeyd_vid() - the natkeyd Vendor ID bytes (NATKEYD_VID_LEN). */
const uint8_t *natkeyd_vid(size_t *len);

/**
 * adaptka_interval_ms() - the NAT-keepalive interval of connection @conn
 * towards the peer of @sa (NULL: no IKE SA, the connection's start value):
 * keepalive_s, or with keepalive_auto natt_adaptka_interval() of the
 * lifetime learned for @sa.
 */
uint32_t adaptka_interval_ms(const struct ike_engine *eng, unsigned conn, const struct ike_sa *sa);

/**
 * adaptka_established() - Phase 1 of @sa completed: its lifetime starts as
 * the one of an older IKE SA with the same peer (a rekey keeps what was
 * learned), else the connection's (configured or natcheck). Logs the
 * keepalive interval that follows when we are behind the NAT.
 */
void adaptka_established(struct ike_engine *eng, struct ike_sa *sa, struct ike_actions *out);

/**
 * ike_sa_binding_lifetime_set() - the seam: set the NAT binding lifetime of
 * @sa's path to @ms (0 = unknown) from @src (enum natt_lifetime_src). Logs
 * a change; re-arms the keepalive timer of a side behind the NAT so the new
 * interval applies from its last packet. No message is sent.
 */
void ike_sa_binding_lifetime_set(struct ike_engine *eng, struct ike_sa *sa, uint32_t ms,
				 enum natt_lifetime_src src, uint64_t now, struct ike_actions *out);

/**
 * ike_peer_binding_lifetime_observed() - the entry point for the NAT facts
 * code: on @sa (established), an authenticated mapping change of the peer
 * after @idle_ms of silence showed its NAT's binding lifetime. Records it
 * (NATT_LT_OBSERVED) and, when the peer is behind the NAT and sent the
 * natkeyd VID, tells it in NATKEYD-BINDING-LIFETIME (once per new value).
 * A value outside natt_adaptka_peer_ok() is ignored.
 */
void ike_peer_binding_lifetime_observed(struct ike_engine *eng, struct ike_sa *sa, uint32_t idle_ms,
					uint64_t now, struct ike_actions *out);

/**
 * adaptka_notify_recv() - NATKEYD-BINDING-LIFETIME arrived in a protected
 * Informational on @sa (established): taken only from a natkeyd peer, with
 * the right SPI and a value within natt_adaptka_peer_ok(); else logged and
 * ignored.
 */
void adaptka_notify_recv(struct ike_engine *eng, struct ike_sa *sa, const uint8_t *spi,
			 size_t spi_len, const uint8_t *data, size_t len, uint64_t now,
			 struct ike_actions *out);

/**
 * adaptka_refresh() - the keepalive of @sa is due: if we have been silent
 * for the whole learned lifetime (natt_adaptka_refresh()) and the peer
 * takes DPD, send an R-U-THERE instead and return true (the caller sends
 * no keepalive). Else false.
 */
bool adaptka_refresh(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		     struct ike_actions *out);

#endif
