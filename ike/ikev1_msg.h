/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Message plumbing shared by the exchanges: frame a payload chain the codec
 * built into a whole message (header, padding, encryption), remember it for
 * retransmission, hand it to the actions; decrypt a received body; protect
 * and verify the HASH payloads of Quick Mode and Informational exchanges.
 */
#ifndef NATKEYD_IKE_IKEV1_MSG_H
#define NATKEYD_IKE_IKEV1_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/engine_int.h"

#define V1_BODY_MAX IKE_ENGINE_MAX_MSG

/**
 * v1_send() - frame and send a payload chain built in body mode.
 * @ctx: event context (SA, actions).
 * @x: the exchange that remembers the message for retransmission, or NULL
 *     (Informational: never retransmitted).
 * @exch: exchange type.
 * @msgid: Message ID (host order).
 * @body: finished body-mode encoder (its buffer is padded/encrypted in place
 *        and must have room for one more cipher block).
 * @iv: NULL to send in the clear; else the IV to encrypt with, replaced by
 *      the last ciphertext block (the next IV of this exchange, 2409-B.f).
 *
 * Return: 0 or a negative errno.
 */
int v1_send(struct ikev1_ctx *ctx, struct v1_xchg *x, uint8_t exch, uint32_t msgid,
	    struct isakmp_enc *body, uint8_t *iv);

/**
 * v1_resend() - send @x's remembered message again to the SA's peer.
 */
int v1_resend(struct ike_engine *eng, struct ike_sa *sa, const struct v1_xchg *x,
	      struct ike_actions *out);

/**
 * v1_retransmit() - one more try of @x: resend its message through @sa, double
 * its interval up to retransmit_max_ms (RFC 2408 5.1) and set the next
 * deadline. The caller decided that a try is left.
 */
void v1_retransmit(struct ike_engine *eng, struct ike_sa *sa, struct v1_xchg *x, uint64_t now,
		   struct ike_actions *out);

/**
 * v1_decrypt() - decrypt @msg's body with @iv and decode the payloads.
 * @sa: the IKE SA (keys).
 * @msg: decoded header of an encrypted message; payloads are filled.
 * @plain: scratch for the plaintext, at least @msg->body_len bytes; the
 *         payload views point into it.
 * @iv: the IV to use.
 * @next_iv: receives the last ciphertext block (commit only on success).
 *
 * Return: 0, -EBADMSG (bad length or payloads after decryption).
 */
int v1_decrypt(const struct ike_sa *sa, struct isakmp_msg *msg, uint8_t *plain, size_t cap,
	       const uint8_t *iv, uint8_t *next_iv);

/**
 * v1_hash_reserve() - add a HASH payload of the prf length, zero-filled,
 * as the first payload; returns its offset (or negative errno).
 */
ssize_t v1_hash_reserve(struct isakmp_enc *e, const struct ike_sa *sa);

/**
 * v1_hash_fill() - compute a message hash over everything after the HASH
 * payload at @hash_off and write it into that payload's body.
 * @kind: 1 = HASH(1)/Informational, 2 = HASH(2) (with @ni).
 *
 * Return: 0 or a negative errno.
 */
int v1_hash_fill(struct isakmp_enc *e, ssize_t hash_off, const struct ike_sa *sa, int kind,
		 uint32_t msgid, const uint8_t *ni, size_t ni_len);

/**
 * v1_hash_check() - verify the HASH payload (first payload) of a received
 * protected message: @kind as v1_hash_fill().
 *
 * Return: true if it verifies.
 */
bool v1_hash_check(const struct isakmp_msg *msg, const struct ike_sa *sa, int kind, uint32_t msgid,
		   const uint8_t *ni, size_t ni_len);

/**
 * v1_hash3_check() - verify the HASH(3) of a QM3: the only payload,
 * prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b).
 *
 * Return: true if it verifies.
 */
bool v1_hash3_check(const struct isakmp_msg *msg, const struct ike_sa *sa, uint32_t msgid,
		    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len);

/**
 * v1_enc_init() - start a body-mode encoder in @buf.
 */
void v1_enc_init(struct isakmp_enc *e, uint8_t *buf, size_t cap);

/**
 * v1_phase2_iv() - the first IV of a Quick Mode / Informational exchange.
 */
int v1_phase2_iv(const struct ike_sa *sa, uint32_t msgid, uint8_t *iv);

/**
 * v1_msgid_new() - a fresh non-zero random Message ID.
 */
uint32_t v1_msgid_new(struct ike_engine *eng);

/**
 * v1_fingerprint() - 64-bit fingerprint of a message (duplicate detection).
 */
uint64_t v1_fingerprint(const uint8_t *buf, size_t len);

#endif
