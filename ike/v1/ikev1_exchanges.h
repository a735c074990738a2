/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Functions the exchange files offer each other and the dispatcher
 * (besides the table handlers in ikev1_handlers.h).
 */
#ifndef NATKEYD_IKE_IKEV1_EXCHANGES_H
#define NATKEYD_IKE_IKEV1_EXCHANGES_H

#include <openssl/x509.h>
#include "ike/engine_int.h"

/* ---- ikev1_phase1.c: shared by Main and Aggressive Mode ---- */

/** p1_cookie_new() - a cookie bound to the peer, the time and a local secret (2408-2.5.3). */
void p1_cookie_new(struct ike_engine *eng, const union ike_ep *peer, uint64_t now, uint8_t *cky);
/** p1_sa_add() - initiator: our SA payload; remembers SAi_b. */
int p1_sa_add(struct ikev1_ctx *ctx, struct isakmp_enc *e);
/** p1_sa_take() - responder: select from the peer's SA, echo it; remembers SAi_b. */
enum ikev1_ret p1_sa_select(struct ikev1_ctx *ctx, struct isakmp_enc *e);
/** p1_sa_check() - initiator: check the responder's SA payload. */
enum ikev1_ret p1_sa_check(struct ikev1_ctx *ctx);
/** p1_ke_nonce_add() - a fresh DH key and nonce, as KE and NONCE payloads. */
int p1_ke_nonce_add(struct ikev1_ctx *ctx, struct isakmp_enc *e);
/** p1_ke_nonce_take() - the peer's KE and NONCE (length checks). */
enum ikev1_ret p1_ke_nonce_take(struct ikev1_ctx *ctx);
/** p1_vids_add() - NAT-T and DPD Vendor IDs for the first message of our role. */
int p1_vids_add(struct ikev1_ctx *ctx, struct isakmp_enc *e);
/** p1_vids_take() - what the peer's Vendor IDs announce; picks the NAT-T method. */
void p1_vids_take(struct ikev1_ctx *ctx);
/** p1_natd_add() - NAT-D payloads when NAT-T was negotiated (RFC 3947 s3.2). */
int p1_natd_add(struct ikev1_ctx *ctx, struct isakmp_enc *e);
/** p1_natd_take() - interpret received NAT-D payloads. */
enum ikev1_ret p1_natd_take(struct ikev1_ctx *ctx);
/** p1_keys_derive() - g^xy and SKEYID & co. */
enum ikev1_ret p1_keys_derive(struct ikev1_ctx *ctx);
/** p1_id_add() - our ID payload; @body/@len receive its body (for HASH_I/R). */
int p1_id_add(struct ikev1_ctx *ctx, struct isakmp_enc *e, uint8_t *body, size_t *len);
/** p1_auth_add() - HASH_I (@initiator) or HASH_R over @id_b as a HASH payload. */
int p1_auth_add(struct ikev1_ctx *ctx, struct isakmp_enc *e, bool initiator, const uint8_t *id_b,
		size_t id_len);
/** p1_auth_verify() - check the peer's ID against the config and its HASH. */
enum ikev1_ret p1_auth_verify(struct ikev1_ctx *ctx, bool peer_initiator);
/** p1_float() - initiator: move to port 4500 before MM5/AM3 when NAT-T says so. */
void p1_float(struct ikev1_ctx *ctx);
/** p1_follow() - responder: adopt the endpoints of an authenticated message. */
void p1_follow(struct ikev1_ctx *ctx);
/** p1_established() - Phase 1 done: timers, logs, scratch freed, Quick Mode. */
void p1_established(struct ikev1_ctx *ctx);
/**
 * p1_ocsp_check() - the OCSP status of the peer's verified certificate
 * (@built: leaf, issuer, ...): V1_OK if good or no responder applies,
 * V1_FAIL if revoked (or unknown under strictcrlpolicy), V1_IGNORE while
 * the answer is being fetched (IKE_ACT_OCSP_FETCH emitted).
 */
enum ikev1_ret p1_ocsp_check(struct ikev1_ctx *ctx, X509 *leaf, STACK_OF(X509) * built);

/** p1_ocsp_result() - IKE_EV_OCSP_RESULT: check and cache the answer. */
void p1_ocsp_result(struct ike_engine *eng, uint32_t id, const uint8_t *buf, size_t len,
		    const char *error, struct ike_actions *out);

/** p1_ocsp_free() - the engine's OCSP cache, at ike_engine_free(). */
void p1_ocsp_free(struct ike_engine *eng);

/** p1_certreq_add() - a CERTREQ when signatures authenticate this SA. */
int p1_certreq_add(struct ikev1_ctx *ctx, struct isakmp_enc *e);
/** p1_first_contact() - no SA with this peer exists: send INITIAL-CONTACT. */
bool p1_first_contact(const struct ikev1_ctx *ctx);
/** p1_initial_contact_add() - INITIAL-CONTACT notify (RFC 2407 4.6.3.3). */
int p1_initial_contact_add(struct ikev1_ctx *ctx, struct isakmp_enc *e);
/** p1_notifies_take() - act on notifies carried in MM5/MM6/AM3. */
void p1_notifies_take(struct ikev1_ctx *ctx);

/* ---- ipsec_kernel.c: an IPsec SA's kernel requests ---- */

/**
 * ipsec_sa_fill() - the kernel SA of @c for one direction, keyed with @k.
 */
void ipsec_sa_fill(struct ike_engine *eng, const struct ipsec_sa *c, bool inbound,
		   const struct keys_child *k, struct xk_sa *s);
/**
 * ipsec_policies_add() - the policy requests of @c (tagged with c->kinstall);
 * -ENOSPC when the action buffer is full.
 */
int ipsec_policies_add(struct ike_engine *eng, const struct ipsec_sa *c, struct ike_actions *out);
/** ipsec_kernel_remove() - kernel deletes for both SAs of @c. */
void ipsec_kernel_remove(struct ike_engine *eng, struct ipsec_sa *c, struct ike_actions *out);
/** ipsec_move() - move @c's kernel SAs and policies to the peer endpoint @to. */
void ipsec_move(struct ike_engine *eng, struct ipsec_sa *c, const union ike_ep *to,
		struct ike_actions *out);
/**
 * ipsec_policies_shared() - does another installed IPsec SA of @c's
 * connection and peer (a rekey's predecessor or successor) use the same
 * selectors, hence the same kernel policies? O(the peer's SAs).
 */
bool ipsec_policies_shared(struct ike_engine *eng, const struct ipsec_sa *c);

/**
 * ipsec_policies_remove() - kernel policy deletes for the selectors of @c;
 * on a connection with traps (ike_conn_cfg.traps) the trap policies take
 * their place (UPDPOLICY, replacing an SA policy of the same selectors).
 */
void ipsec_policies_remove(struct ike_engine *eng, const struct ipsec_sa *c,
			   struct ike_actions *out);

/* ---- ikev1_info_send.c: protected Informationals we send ---- */

/** info_send_delete_ike() - protected Delete for the IKE SA itself. */
void info_send_delete_ike(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
			  struct ike_actions *out);
/** info_send_delete_ipsec() - protected Delete for an IPsec SA (our inbound SPI). */
void info_send_delete_ipsec(struct ike_engine *eng, struct ike_sa *sa, const struct ipsec_sa *c,
			    uint64_t now, struct ike_actions *out);
/**
 * info_send_connected() - the protected Informational with a CONNECTED
 * notify (RFC 2408 s3.1) for @c, carrying @c's Quick Mode M-ID.
 */
int info_send_connected(struct ike_engine *eng, struct ike_sa *sa, const struct ipsec_sa *c,
			uint64_t now, struct ike_actions *out);
/** info_send_notify() - protected Informational with one notify. */
int info_send_notify(struct ike_engine *eng, struct ike_sa *sa, uint16_t type, const void *data,
		     size_t len, uint64_t now, struct ike_actions *out);

/* ---- ikev1_quick.c ---- */

/**
 * ipsec_lifetime_run() - rekey/expire an IPsec SA; true if it was deleted.
 * A rekey is asked for in @f.
 */
bool ipsec_lifetime_run(struct ike_engine *eng, struct ipsec_sa *c, uint64_t now,
			struct ike_actions *out, struct v1_follow *f);

/* ---- ikev1_quick.c: answers that arrive in an Informational ---- */

/**
 * quick_connected_recv() - a verified Informational with CONNECTED: the
 * Quick Mode of the same M-ID on ctx->sa that waits for it (commit bit)
 * installs its outbound SA and policies. Anything else is logged and ignored.
 */
void quick_connected_recv(struct ikev1_ctx *ctx);

/**
 * quick_refused_recv() - a verified Informational with the error notify @n
 * (type < 16384): the Quick Mode we initiated on this IKE SA that it answers
 * (by SPI, else the only one waiting for QM2) ends at once instead of
 * retransmitting into the same refusal; a refused rekey is retried later
 * while the old SA lives.
 */
void quick_refused_recv(struct ikev1_ctx *ctx, const struct isakmp_notify *n);

/* ---- ikev1_info.c ---- */

/** info_initial_contact_apply() - remove the SAs of the identity @sa authenticated. */
void info_initial_contact_apply(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
				struct ike_actions *out);

/* ---- ikev1_lifetime.c: IKE SA lifetime, DPD, keepalives ---- */

/**
 * ike_lifetime_run() - expire / rekey @sa; true if deleted. A rekey (a new
 * Phase 1) is asked for in @f.
 */
bool ike_lifetime_run(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		      struct ike_actions *out, struct v1_follow *f);
/**
 * ike_liveness_run() - DPD and NAT-keepalives of @sa, after
 * ike_lifetime_run(); true if deleted (DPD: the peer is dead, and a restart
 * is asked for in @f).
 */
bool ike_liveness_run(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		      struct ike_actions *out, struct v1_follow *f);
/** dpd_recv() - an R-U-THERE / R-U-THERE-ACK arrived (protected). */
void dpd_recv(struct ike_engine *eng, struct ike_sa *sa, uint16_t type, const uint8_t *spi,
	      size_t spi_len, const uint8_t *data, size_t len, uint64_t now,
	      struct ike_actions *out);
/** dpd_timer_run() - send R-U-THERE / declare the peer dead; true if deleted. */
bool dpd_timer_run(struct ike_engine *eng, struct ike_sa *sa, uint64_t now, struct ike_actions *out,
		   struct v1_follow *f);
/**
 * dpd_probe_send() - send one R-U-THERE with the next sequence number and
 * wait for its ACK (at least one outstanding). 0 or -errno.
 */
int dpd_probe_send(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		   struct ike_actions *out);
/** dpd_vid() - the DPD Vendor ID (RFC 3706 s5.1), 16 bytes. */
const uint8_t *dpd_vid(size_t *len);

#endif
