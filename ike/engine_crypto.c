// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Crypto jobs: DH and RSA work computed in the engine's call or, with
 * ike_engine_cfg.crypto_async, by the caller (worker threads) while the
 * message that needs it waits. How a waiting message goes on: the replay
 * described in engine_crypto.h.
 *
 * A job is self-contained ("compute on copies"): the private value drawn
 * by the engine, the peer's public value, the hash to sign are copied in;
 * a key pair moves in and comes back with the result; a signing key is
 * referenced (EVP_PKEY_up_ref; read-only once loaded). A job never points
 * into the engine, so the engine may free the SA that asked for it while
 * the job runs: the result is discarded when it comes back.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike/engine_crypto.h"
#include "ike/engine_int.h"
#include "ike/crypto/keys.h"
#include "ike/crypto/sig.h"

#define CRYPTO_JOBS_DEFAULT 64
#define CWAIT_RESULTS_MAX   4 /* jobs one message may need: secret, verify, sign */
#define SIG_MAX		    1024
#define NONCE_MAX	    256 /* 2409-5.e */

enum job_kind {
	JOB_DH_GEN = 1, /* key pair from priv; with peer, the secret too */
	JOB_DH_SECRET,	/* secret from dh and peer */
	JOB_SIGN,
	JOB_VERIFY,
};

struct ike_crypto_job {
	uint64_t id;
	enum job_kind kind;
	enum ike_dh_group group;
	uint8_t priv[CRYPTO_DH_MAX_LEN];
	size_t priv_len;
	struct crypto_dh *dh; /* DH_GEN: made here; DH_SECRET: moved in; both: handed back */
	uint8_t peer[CRYPTO_DH_MAX_LEN];
	size_t peer_len;
	uint8_t secret[CRYPTO_DH_MAX_LEN];
	size_t secret_len;
	int secret_rc; /* crypto_dh_compute()'s answer */
	uint8_t pub[CRYPTO_DH_MAX_LEN];
	size_t pub_len;
	bool has_secret; /* DH_GEN computed the secret for peer */
	EVP_PKEY *key;	 /* SIGN / VERIFY: a reference */
	uint8_t hash[CRYPTO_HASH_MAX_LEN];
	size_t hash_len;
	uint8_t sig[SIG_MAX];
	size_t sig_len;
	int rc;
	/* DH_SECRET of eng_p1_keys(), DH_GEN of eng_dh_gen_p1(): SKEYID &
	 * co. from the secret too (keys_phase1_derive()); kin's chunks
	 * point into this job. */
	bool derive;
	struct keys_phase1_in kin;
	uint8_t k_psk[IKE_PSK_MAX], k_ni[NONCE_MAX], k_nr[NONCE_MAX];
	uint8_t k_gxi[CRYPTO_DH_MAX_LEN], k_gxr[CRYPTO_DH_MAX_LEN];
	struct keys_phase1 keys;
	int keys_rc;
};

/* A message waiting for its jobs (one per IKE SA at most). */
struct eng_cwait {
	struct eng_cwait *next;
	uint32_t serial;     /* the IKE SA */
	uint64_t job;	     /* the job out, 0 = none */
	struct ike_dgram dg; /* the datagram, buf -> bytes */
	uint8_t *bytes;
	struct ike_crypto_job *res[CWAIT_RESULTS_MAX];
	unsigned n_res, cursor;
	uint8_t *rnd; /* random bytes the replays drew (engine_crypto.h) */
	size_t rnd_len, rnd_cap;
};

void ike_crypto_job_run(struct ike_crypto_job *j)
{
	switch (j->kind) {
	case JOB_DH_GEN:
		/* Without a seeded source the worker draws (OpenSSL's
		 * generator, thread-safe), as crypto_dh_generate() does in
		 * the call; with one, the engine drew the private value. */
		j->rc = j->priv_len ? crypto_dh_from_private(j->group, j->priv, j->priv_len, &j->dh)
				    : crypto_dh_generate(j->group, &j->dh);
		OPENSSL_cleanse(j->priv, sizeof(j->priv));
		if (j->rc == 0)
			j->rc = crypto_dh_public(j->dh, j->pub, j->pub_len);
		if (j->rc == 0 && j->peer_len) {
			j->secret_rc = crypto_dh_compute(j->dh, j->peer, j->peer_len, j->secret,
							 j->secret_len);
			j->has_secret = true;
		}
		/* eng_dh_gen_p1(): the responder's keys, with our value. */
		if (j->has_secret && j->secret_rc == 0 && j->derive) {
			j->kin.gxy = CRYPTO_CHUNK(j->secret, j->secret_len);
			j->kin.gxr = CRYPTO_CHUNK(j->pub, j->pub_len);
			j->keys_rc = keys_phase1_derive(&j->kin, &j->keys);
			j->kin.gxy = (struct crypto_chunk){ 0 };
		}
		break;
	case JOB_DH_SECRET:
		j->rc = crypto_dh_compute(j->dh, j->peer, j->peer_len, j->secret, j->secret_len);
		if (j->rc == 0 && j->derive) {
			j->kin.gxy = CRYPTO_CHUNK(j->secret, j->secret_len);
			j->keys_rc = keys_phase1_derive(&j->kin, &j->keys);
			/* The secret and the key pair have no other use
			 * (p1_keys_derive() frees the pair after the keys):
			 * wipe and free them here, not in the loop. */
			OPENSSL_cleanse(j->secret, sizeof(j->secret));
			j->kin.gxy = (struct crypto_chunk){ 0 };
			if (j->keys_rc == 0) {
				crypto_dh_free(j->dh);
				j->dh = NULL;
			}
		}
		break;
	case JOB_SIGN:
		j->rc = sig_sign(j->key, j->hash, j->hash_len, j->sig, sizeof(j->sig), &j->sig_len);
		break;
	case JOB_VERIFY:
		j->rc = sig_verify(j->key, sig_auth_method(j->key), j->hash, j->hash_len, j->sig,
				   j->sig_len);
		break;
	default:
		j->rc = -EINVAL;
		break;
	}
}

uint64_t ike_crypto_job_id(const struct ike_crypto_job *j)
{
	return j->id;
}

void ike_crypto_job_free(struct ike_crypto_job *j)
{
	if (!j)
		return;
	crypto_dh_free(j->dh);
	EVP_PKEY_free(j->key);
	OPENSSL_cleanse(j, sizeof(*j));
	free(j);
}

bool eng_crypto_replaying(const struct ike_engine *eng)
{
	return eng->cw_cur != NULL;
}

static void cwait_free(struct ike_engine *eng, struct eng_cwait *cw)
{
	for (struct eng_cwait **pp = &eng->cwaits; *pp; pp = &(*pp)->next) {
		if (*pp == cw) {
			*pp = cw->next;
			break;
		}
	}
	for (unsigned i = 0; i < cw->n_res; i++)
		ike_crypto_job_free(cw->res[i]);
	free(cw->bytes);
	if (cw->rnd)
		OPENSSL_cleanse(cw->rnd, cw->rnd_cap);
	free(cw->rnd);
	free(cw);
}

/* The result the replay's next crypto call takes, or NULL: compute. */
static struct ike_crypto_job *replay_next(struct ikev1_ctx *ctx, enum job_kind kind)
{
	struct eng_cwait *cw = ctx->eng->cw_cur;

	if (!cw || cw->cursor >= cw->n_res)
		return NULL;
	if (cw->res[cw->cursor]->kind != kind)
		return NULL; /* cannot happen: the handler repeats itself */
	return cw->res[cw->cursor++];
}

/* Whether this call hands its work out: async mode, a datagram being
 * handled (internal events compute in the call), and no result waiting. */
static bool goes_out(const struct ikev1_ctx *ctx)
{
	return ctx->eng->cfg.crypto_async && ctx->dg && ctx->raw && ctx->sa;
}

/* A new job of @kind for ctx's message, or NULL with *rc = -EBUSY/-ENOMEM. */
static struct ike_crypto_job *job_new(struct ikev1_ctx *ctx, enum job_kind kind, int *rc)
{
	struct ike_engine *eng = ctx->eng;
	uint32_t cap = eng->cfg.crypto_max_jobs ? eng->cfg.crypto_max_jobs : CRYPTO_JOBS_DEFAULT;
	struct ike_crypto_job *j;

	/* Half-open responder work may take three quarters: the rest is
	 * for our own exchanges and the SAs already up (engine.h). */
	if (eng->crypto_out >= cap || (ctx->sa->ho_src && eng->crypto_out >= cap - cap / 4)) {
		eng->crypto_refused++;
		ctx->crypto_busy = true;
		*rc = -EBUSY;
		return NULL;
	}
	j = calloc(1, sizeof(*j));
	if (!j) {
		*rc = -ENOMEM;
		return NULL;
	}
	j->kind = kind;
	j->id = ++eng->crypto_next_id;
	return j;
}

/* Hand @j out and make ctx's message wait for it. */
static int job_out(struct ikev1_ctx *ctx, struct ike_crypto_job *j)
{
	struct ike_engine *eng = ctx->eng;
	struct eng_cwait *cw = eng->cw_cur;
	struct ike_action *a;

	if (!cw) {
		cw = calloc(1, sizeof(*cw));
		if (cw)
			cw->bytes = malloc(ctx->raw_len ? ctx->raw_len : 1);
		if (!cw || !cw->bytes) {
			if (cw)
				free(cw);
			ike_crypto_job_free(j);
			return -ENOMEM;
		}
		cw->serial = ctx->sa->x.serial;
		cw->dg = *ctx->dg;
		memcpy(cw->bytes, ctx->raw, ctx->raw_len);
		cw->dg.buf = cw->bytes;
		cw->dg.len = ctx->raw_len;
		cw->next = eng->cwaits;
		eng->cwaits = cw;
	}
	a = eng_action_add(ctx->out, IKE_ACT_CRYPTO, 0, NULL);
	if (!a) {
		ike_crypto_job_free(j);
		if (cw != eng->cw_cur)
			cwait_free(eng, cw);
		return -ENOMEM;
	}
	a->u.crypto = j;
	cw->job = j->id;
	ctx->sa->crypto_wait = j->id;
	ctx->crypto_wait = true;
	eng->crypto_out++;
	return -EINPROGRESS;
}

/* A key pair job for @group, not yet out. With a seeded source (a
 * simulation) its private value is drawn here, in the engine's order, so
 * the key pair is the one eng_dh_generate() would have made. Without one
 * the worker generates it (crypto_dh_generate(), OpenSSL's keygen, as
 * eng_dh_generate() does then). NULL with *@rc on failure. */
static struct ike_crypto_job *dh_gen_job(struct ikev1_ctx *ctx, enum ike_dh_group group,
					 size_t pub_len, int *rc)
{
	struct ike_engine *eng = ctx->eng;
	struct ike_crypto_job *j = job_new(ctx, JOB_DH_GEN, rc);

	if (!j)
		return NULL;
	j->group = group;
	j->pub_len = pub_len;
	*rc = 0;
	if (eng->cfg.random)
		*rc = crypto_dh_private_draw(group, eng->cfg.random, eng->cfg.random_arg, j->priv,
					     sizeof(j->priv), &j->priv_len);
	if (*rc < 0) {
		ike_crypto_job_free(j);
		return NULL;
	}
	return j;
}

int eng_dh_gen(struct ikev1_ctx *ctx, enum ike_dh_group group, const uint8_t *peer, size_t peer_len,
	       struct crypto_dh **dh, uint8_t *pub, size_t pub_len)
{
	struct ike_engine *eng = ctx->eng;
	struct ike_crypto_job *j = replay_next(ctx, JOB_DH_GEN);
	int rc;

	if (j) {
		if (j->rc < 0)
			return j->rc;
		if (j->pub_len != pub_len)
			return -EINVAL;
		memcpy(pub, j->pub, pub_len);
		*dh = j->dh; /* NULL from the second replay on */
		j->dh = NULL;
		return 0;
	}
	if (!goes_out(ctx)) {
		rc = eng_dh_generate(eng, group, dh);
		return rc < 0 ? rc : crypto_dh_public(*dh, pub, pub_len);
	}
	if (pub_len > sizeof(j->pub))
		return -EINVAL;
	j = dh_gen_job(ctx, group, pub_len, &rc);
	if (!j)
		return rc;
	if (peer && peer_len <= sizeof(j->peer) && crypto_dh_secret_len(group)) {
		memcpy(j->peer, peer, peer_len);
		j->peer_len = peer_len;
		j->secret_len = crypto_dh_secret_len(group);
	}
	return job_out(ctx, j);
}

/* The key pair's job that computed the secret for @peer already (a
 * responder), or NULL. */
static const struct ike_crypto_job *gen_with_secret(const struct ikev1_ctx *ctx,
						    const uint8_t *peer, size_t peer_len,
						    size_t secret_len)
{
	const struct eng_cwait *cw = ctx->eng->cw_cur;
	const struct ike_crypto_job *j;

	if (!cw || cw->cursor == 0)
		return NULL;
	j = cw->res[cw->cursor - 1];
	if (j->kind == JOB_DH_GEN && j->has_secret && j->peer_len == peer_len &&
	    j->secret_len == secret_len && memcmp(j->peer, peer, peer_len) == 0)
		return j;
	return NULL;
}

int eng_dh_secret(struct ikev1_ctx *ctx, struct crypto_dh **dh, const uint8_t *peer,
		  size_t peer_len, uint8_t *secret, size_t secret_len)
{
	const struct ike_crypto_job *g = gen_with_secret(ctx, peer, peer_len, secret_len);
	struct ike_crypto_job *j;
	int rc;

	if (g) {
		if (g->secret_rc == 0)
			memcpy(secret, g->secret, secret_len);
		return g->secret_rc;
	}
	j = replay_next(ctx, JOB_DH_SECRET);
	if (j) {
		if (j->rc == 0 && j->secret_len == secret_len)
			memcpy(secret, j->secret, secret_len);
		*dh = j->dh; /* back where it was */
		j->dh = NULL;
		return j->rc == 0 && j->secret_len != secret_len ? -EINVAL : j->rc;
	}
	if (!goes_out(ctx))
		return crypto_dh_compute(*dh, peer, peer_len, secret, secret_len);
	if (peer_len > sizeof(((struct ike_crypto_job *)0)->peer) ||
	    secret_len > sizeof(((struct ike_crypto_job *)0)->secret))
		return -EINVAL;
	j = job_new(ctx, JOB_DH_SECRET, &rc);
	if (!j)
		return rc;
	j->dh = *dh;
	*dh = NULL;
	memcpy(j->peer, peer, peer_len);
	j->peer_len = peer_len;
	j->secret_len = secret_len;
	return job_out(ctx, j);
}

/* Whether eng_p1_keys() can copy @in into a job. */
static bool p1_in_fits(const struct keys_phase1_in *in)
{
	const struct ike_crypto_job *j = NULL;

	return in->psk.len <= sizeof(j->k_psk) && in->ni_b.len <= sizeof(j->k_ni) &&
	       in->nr_b.len <= sizeof(j->k_nr) && in->gxi.len <= sizeof(j->k_gxi) &&
	       in->gxr.len <= sizeof(j->k_gxr);
}

/* Copy @c into @buf (p1_in_fits() checked the size) and point @c there. */
#define chunk_into(c, buf)                                                                         \
	do {                                                                                       \
		if ((c)->len && (c)->ptr)                                                          \
			memcpy((buf), (c)->ptr, (c)->len);                                         \
		(c)->ptr = (c)->len && (c)->ptr ? (buf) : NULL;                                    \
	} while (0)

int eng_p1_keys(struct ikev1_ctx *ctx, struct crypto_dh **dh, const uint8_t *peer, size_t peer_len,
		size_t secret_len, struct keys_phase1_in *in, struct keys_phase1 *k, int *krc)
{
	struct eng_cwait *cw = ctx->eng->cw_cur;
	uint8_t gxy[CRYPTO_DH_MAX_LEN];
	const struct ike_crypto_job *g;
	struct ike_crypto_job *j;
	int rc;

	*krc = 0;
	/* The key pair's job derived them with the secret (a responder). */
	g = gen_with_secret(ctx, peer, peer_len, secret_len);
	if (g && g->derive) {
		if (g->secret_rc < 0)
			return g->secret_rc;
		*krc = g->keys_rc;
		if (g->keys_rc == 0)
			*k = g->keys;
		return 0;
	}
	/* The replay after a job that derived the keys: take them. */
	if (cw && cw->cursor < cw->n_res && cw->res[cw->cursor]->kind == JOB_DH_SECRET &&
	    cw->res[cw->cursor]->derive) {
		j = cw->res[cw->cursor++];
		*dh = j->dh; /* back where it was */
		j->dh = NULL;
		if (j->rc < 0)
			return j->rc;
		*krc = j->keys_rc;
		if (j->keys_rc == 0)
			*k = j->keys;
		return 0;
	}
	/* A new job computes the secret and the keys; otherwise (in the
	 * call, or the secret came with the key pair's job, or inputs too
	 * large to copy) eng_dh_secret() and keys_phase1_derive() here. */
	if (goes_out(ctx) && (!cw || cw->cursor >= cw->n_res) && !g &&
	    peer_len <= sizeof(((struct ike_crypto_job *)0)->peer) &&
	    secret_len <= sizeof(((struct ike_crypto_job *)0)->secret) && p1_in_fits(in)) {
		j = job_new(ctx, JOB_DH_SECRET, &rc);
		if (!j)
			return rc;
		j->kin = *in;
		j->kin.gxy = (struct crypto_chunk){ 0 };
		chunk_into(&j->kin.psk, j->k_psk);
		chunk_into(&j->kin.ni_b, j->k_ni);
		chunk_into(&j->kin.nr_b, j->k_nr);
		chunk_into(&j->kin.gxi, j->k_gxi);
		chunk_into(&j->kin.gxr, j->k_gxr);
		j->derive = true;
		j->dh = *dh;
		*dh = NULL;
		memcpy(j->peer, peer, peer_len);
		j->peer_len = peer_len;
		j->secret_len = secret_len;
		return job_out(ctx, j);
	}
	if (secret_len > sizeof(gxy))
		return -EINVAL;
	rc = eng_dh_secret(ctx, dh, peer, peer_len, gxy, secret_len);
	if (rc == 0) {
		in->gxy = CRYPTO_CHUNK(gxy, secret_len);
		*krc = keys_phase1_derive(in, k);
		in->gxy = (struct crypto_chunk){ 0 };
	}
	OPENSSL_cleanse(gxy, sizeof(gxy));
	return rc;
}

int eng_dh_gen_p1(struct ikev1_ctx *ctx, enum ike_dh_group group, const uint8_t *peer,
		  size_t peer_len, struct crypto_dh **dh, uint8_t *pub, size_t pub_len,
		  uint8_t *nonce, size_t nonce_len, const struct keys_phase1_in *in)
{
	struct ike_engine *eng = ctx->eng;
	struct eng_cwait *cw = eng->cw_cur;
	struct ike_crypto_job *j;
	uint8_t *rec = NULL;
	uint64_t id;
	int rc;

	/* In the call, a replay that takes its result, or too large: the
	 * key pair (and secret) as eng_dh_gen() makes it, then the nonce. */
	if (!goes_out(ctx) || (cw && cw->cursor < cw->n_res) || !peer || !peer_len ||
	    peer_len > sizeof(j->peer) || pub_len > sizeof(j->pub) ||
	    !crypto_dh_secret_len(group) || !p1_in_fits(in) || in->nr_b.ptr != nonce ||
	    in->nr_b.len != nonce_len) {
		rc = eng_dh_gen(ctx, group, peer, peer_len, dh, pub, pub_len);
		return rc < 0 ? rc : eng_random(eng, nonce, nonce_len);
	}
	/* The first pass draws the nonce now (after the private value, as
	 * in the call) for the job's keys; the replay must serve the same
	 * bytes: they go into the waiting record's replay randomness. In a
	 * replay already, eng_random() records them itself. */
	if (!cw) {
		rec = malloc(nonce_len);
		if (!rec)
			return -ENOMEM;
	}
	j = dh_gen_job(ctx, group, pub_len, &rc);
	if (!j) {
		free(rec);
		return rc;
	}
	rc = eng_random(eng, nonce, nonce_len);
	if (rc < 0) {
		ike_crypto_job_free(j);
		free(rec);
		return rc;
	}
	memcpy(j->peer, peer, peer_len);
	j->peer_len = peer_len;
	j->secret_len = crypto_dh_secret_len(group);
	j->kin = *in;
	j->kin.gxy = (struct crypto_chunk){ 0 };
	j->kin.gxr = (struct crypto_chunk){ 0 }; /* ours: the job's pub */
	chunk_into(&j->kin.psk, j->k_psk);
	chunk_into(&j->kin.ni_b, j->k_ni);
	chunk_into(&j->kin.nr_b, j->k_nr);
	chunk_into(&j->kin.gxi, j->k_gxi);
	j->derive = true;
	id = j->id;
	rc = job_out(ctx, j);
	if (rec && rc == -EINPROGRESS) {
		for (cw = eng->cwaits; cw; cw = cw->next) {
			if (cw->job == id) {
				memcpy(rec, nonce, nonce_len);
				cw->rnd = rec;
				cw->rnd_len = cw->rnd_cap = nonce_len;
				rec = NULL;
				break;
			}
		}
	}
	if (rec)
		OPENSSL_cleanse(rec, nonce_len);
	free(rec);
	return rc;
}

int eng_sign(struct ikev1_ctx *ctx, EVP_PKEY *key, const uint8_t *hash, size_t hash_len,
	     uint8_t *sig, size_t sig_size, size_t *sig_len)
{
	struct ike_crypto_job *j = replay_next(ctx, JOB_SIGN);
	int rc;

	if (j) {
		if (j->rc < 0)
			return j->rc;
		if (j->sig_len > sig_size)
			return -ENOSPC;
		memcpy(sig, j->sig, j->sig_len);
		*sig_len = j->sig_len;
		return 0;
	}
	if (!goes_out(ctx))
		return sig_sign(key, hash, hash_len, sig, sig_size, sig_len);
	if (!key || hash_len > sizeof(j->hash))
		return -EINVAL;
	j = job_new(ctx, JOB_SIGN, &rc);
	if (!j)
		return rc;
	if (EVP_PKEY_up_ref(key) != 1) {
		ike_crypto_job_free(j);
		return -EIO;
	}
	j->key = key;
	memcpy(j->hash, hash, hash_len);
	j->hash_len = hash_len;
	return job_out(ctx, j);
}

int eng_verify(struct ikev1_ctx *ctx, EVP_PKEY *key, const uint8_t *hash, size_t hash_len,
	       const uint8_t *sig, size_t sig_len)
{
	struct ike_crypto_job *j = replay_next(ctx, JOB_VERIFY);
	int rc;

	if (j)
		return j->rc;
	if (!goes_out(ctx))
		return sig_verify(key, sig_auth_method(key), hash, hash_len, sig, sig_len);
	if (!key || hash_len > sizeof(j->hash) || sig_len > sizeof(j->sig))
		return -EBADMSG;
	j = job_new(ctx, JOB_VERIFY, &rc);
	if (!j)
		return rc;
	if (EVP_PKEY_up_ref(key) != 1) {
		ike_crypto_job_free(j);
		return -EIO;
	}
	j->key = key;
	memcpy(j->hash, hash, hash_len);
	j->hash_len = hash_len;
	memcpy(j->sig, sig, sig_len);
	j->sig_len = sig_len;
	return job_out(ctx, j);
}

struct eng_cwait *eng_crypto_done(struct ike_engine *eng, struct ike_crypto_job *job,
				  uint32_t *serial)
{
	struct eng_cwait *cw;

	for (cw = eng->cwaits; cw; cw = cw->next)
		if (cw->job && cw->job == job->id)
			break;
	if (!cw) {
		ike_crypto_job_free(job); /* not ours, or handed back twice */
		return NULL;
	}
	if (eng->crypto_out)
		eng->crypto_out--;
	cw->job = 0;
	if (cw->n_res == CWAIT_RESULTS_MAX) {
		ike_crypto_job_free(job);
		cwait_free(eng, cw);
		return NULL;
	}
	cw->res[cw->n_res++] = job;
	*serial = cw->serial;
	return cw;
}

void eng_crypto_replay_begin(struct ike_engine *eng, struct eng_cwait *cw, struct ike_dgram *dg,
			     const uint8_t **buf, size_t *len)
{
	cw->cursor = 0;
	eng->cw_cur = cw;
	/* The random bytes earlier replays drew (eng_random()). */
	eng->rnd.buf = cw->rnd;
	eng->rnd.len = cw->rnd_len;
	eng->rnd.cap = cw->rnd_cap;
	eng->rnd.pos = 0;
	*dg = cw->dg;
	*buf = cw->bytes;
	*len = cw->dg.len;
}

void eng_crypto_replay_end(struct ike_engine *eng, struct eng_cwait *cw)
{
	cw->rnd = eng->rnd.buf;
	cw->rnd_len = eng->rnd.len;
	cw->rnd_cap = eng->rnd.cap;
	memset(&eng->rnd, 0, sizeof(eng->rnd));
	eng->cw_cur = NULL;
	if (!cw->job)
		cwait_free(eng, cw);
}

void eng_crypto_drop(struct ike_engine *eng, struct eng_cwait *cw)
{
	cwait_free(eng, cw);
}

void eng_crypto_free_all(struct ike_engine *eng)
{
	while (eng->cwaits)
		cwait_free(eng, eng->cwaits);
	eng->cw_cur = NULL;
}
