/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Expensive crypto of an exchange, computed in the call (ike_engine_cfg.
 * crypto_async false) or handed to the caller as a job (IKE_ACT_CRYPTO)
 * while the message that needs it waits (ike/engine_crypto.c).
 *
 * Replay, not continuation: a handler that needs a job gives up at that
 * point (the helper returns -EINPROGRESS and sets ctx->crypto_wait; the
 * dispatcher keeps the SA and its state as they were). When the job comes
 * back the engine runs the same datagram through the dispatcher again; the
 * handler's n-th crypto call now takes the n-th result instead of
 * computing, and everything before it is repeatable (it reads the same
 * message and the same SA). A handler that needs two jobs (verify, then
 * sign) waits twice; the random bytes a replay draws are drawn once and
 * served again to the next replay (eng_random()), so every pass builds the
 * same message.
 */
#ifndef NATKEYD_IKE_ENGINE_CRYPTO_H
#define NATKEYD_IKE_ENGINE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "ike/crypto/crypto.h"
#include "ike/engine.h"

struct ike_engine;
struct ikev1_ctx;
struct eng_cwait;

/**
 * eng_dh_gen() - our DH key pair for @group (p1_ke_nonce_add()), its
 * public value in @pub (@pub_len bytes). A later replay of the same
 * message (a second job) gets the public value again and *@dh NULL: the
 * key pair went to the first, which derived the keys with it. @peer
 * (@peer_len bytes, or NULL): the peer's public value when it is known
 * already (a responder), so the same job computes the secret that
 * eng_dh_secret() will ask for next.
 *
 * Return: 0, -EINPROGRESS (a job went out; the handler gives up), -EBUSY
 * (too many jobs; the message is dropped) or another negative errno.
 */
int eng_dh_gen(struct ikev1_ctx *ctx, enum ike_dh_group group, const uint8_t *peer, size_t peer_len,
	       struct crypto_dh **dh, uint8_t *pub, size_t pub_len);

/**
 * eng_dh_secret() - crypto_dh_compute() with our key *@dh and @peer; the
 * key goes into the job and comes back with the result.
 * Return: as crypto_dh_compute(), or -EINPROGRESS / -EBUSY.
 */
int eng_dh_secret(struct ikev1_ctx *ctx, struct crypto_dh **dh, const uint8_t *peer,
		  size_t peer_len, uint8_t *secret, size_t secret_len);

struct keys_phase1_in;
struct keys_phase1;

/**
 * eng_p1_keys() - eng_dh_secret() and keys_phase1_derive() of @in with the
 * secret as @in->gxy (the rest of @in set by the caller). When the secret
 * goes out as a job, @in is copied into it and the job derives the keys
 * too, so the loop gets SKEYID & co. ready (a responder's keys come with
 * its key pair's job: eng_dh_gen_p1()).
 * @krc: keys_phase1_derive()'s answer when the secret was computed.
 * Return: as eng_dh_secret(); when 0, *@krc says whether *@k is set.
 */
int eng_p1_keys(struct ikev1_ctx *ctx, struct crypto_dh **dh, const uint8_t *peer, size_t peer_len,
		size_t secret_len, struct keys_phase1_in *in, struct keys_phase1 *k, int *krc);

/**
 * eng_dh_gen_p1() - a responder's eng_dh_gen() with the peer's value, then
 * eng_random() of its @nonce (@nonce_len bytes), in that order. When the
 * key pair goes out as a job, the nonce is drawn before and @in (the keys'
 * inputs but g^xy and our own value; @in->nr_b is @nonce) is copied in: the
 * job derives the Phase 1 keys with the secret, and eng_p1_keys() takes
 * them. Return: as eng_dh_gen().
 */
int eng_dh_gen_p1(struct ikev1_ctx *ctx, enum ike_dh_group group, const uint8_t *peer,
		  size_t peer_len, struct crypto_dh **dh, uint8_t *pub, size_t pub_len,
		  uint8_t *nonce, size_t nonce_len, const struct keys_phase1_in *in);

/**
 * eng_sign() - sig_sign() (RSA or ECDSA) (@key is referenced by the job, not copied:
 * an EVP_PKEY is read-only once loaded).
 */
int eng_sign(struct ikev1_ctx *ctx, EVP_PKEY *key, const uint8_t *hash, size_t hash_len,
	     uint8_t *sig, size_t sig_size, size_t *sig_len);

/**
 * eng_verify() - sig_verify() with the method of @key (the caller checks it is
 * the negotiated one).
 */
int eng_verify(struct ikev1_ctx *ctx, EVP_PKEY *key, const uint8_t *hash, size_t hash_len,
	       const uint8_t *sig, size_t sig_len);

/**
 * eng_crypto_replaying() - the message being handled is a replay after a
 * job came back (a handler does not repeat what it logged or drew the
 * first time).
 */
bool eng_crypto_replaying(const struct ike_engine *eng);

/**
 * eng_crypto_done() - a job came back: the waiting record it belongs to,
 * with the result added and ready for a replay (eng_crypto_replay_begin()),
 * or NULL when nobody waits for it any more (the job is freed then).
 * @serial receives the IKE SA that waits.
 */
struct eng_cwait *eng_crypto_done(struct ike_engine *eng, struct ike_crypto_job *job,
				  uint32_t *serial);

/**
 * eng_crypto_replay_begin() - make @cw the replay of the handlers that run
 * next; its datagram in *@dg, *@buf, *@len.
 */
void eng_crypto_replay_begin(struct ike_engine *eng, struct eng_cwait *cw, struct ike_dgram *dg,
			     const uint8_t **buf, size_t *len);

/**
 * eng_crypto_replay_end() - the replay is over: @cw is freed unless it
 * waits for another job.
 */
void eng_crypto_replay_end(struct ike_engine *eng, struct eng_cwait *cw);

/**
 * eng_crypto_drop() - free @cw (its SA is gone).
 */
void eng_crypto_drop(struct ike_engine *eng, struct eng_cwait *cw);

/**
 * eng_crypto_free_all() - the engine goes: every waiting record (jobs out
 * stay the caller's: ike_crypto_job_free()).
 */
void eng_crypto_free_all(struct ike_engine *eng);

#endif
