/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 key derivation and message authentication values (RFC 2409 s5,
 * s5.5, s5.7 and App. B; docs/requirements.md 3.2-3.5).
 *
 * Notation as in the RFC: Ni_b/Nr_b nonce payload bodies, g^xy the shared
 * secret (crypto_dh_compute()), g^xi/g^xr the KE payload data, CKY-I/CKY-R
 * the cookies, SAi_b the initiator's SA payload body, IDii_b/IDir_b the ID
 * payload bodies. Message IDs are passed in host order and hashed as the
 * 4 octets of the ISAKMP header (network order).
 *
 * Derivations compute on locals and write their output only on success;
 * every intermediate secret is wiped with OPENSSL_cleanse() on every path.
 * Return 0 or a negative errno (see crypto.h).
 */
#ifndef NATKEYD_IKE_KEYS_H
#define NATKEYD_IKE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "ike/crypto/crypto.h"

#define IKE_COOKIE_LEN 8

/* Phase 1 authentication method that selects the SKEYID formula. */
enum keys_auth {
	KEYS_AUTH_PSK, /* SKEYID = prf(pre-shared-key, Ni_b | Nr_b) (2409-5.l) */
	KEYS_AUTH_SIG, /* SKEYID = prf(Ni_b | Nr_b, g^xy) (2409-5.k) */
};

/* Inputs of the Phase 1 derivation (all borrowed, not copied). */
struct keys_phase1_in {
	enum ike_hash_alg hash; /* negotiated hash; prf = HMAC-hash */
	enum ike_cipher_alg cipher;
	unsigned int key_bits; /* Key Length attribute (0 for 3DES) */
	enum keys_auth auth;
	struct crypto_chunk psk; /* KEYS_AUTH_PSK only */
	struct crypto_chunk ni_b;
	struct crypto_chunk nr_b;
	struct crypto_chunk gxy; /* shared secret, crypto_dh_secret_len() bytes */
	struct crypto_chunk gxi; /* initiator's KE data (for the Phase 1 IV) */
	struct crypto_chunk gxr; /* responder's KE data */
	uint8_t cky_i[IKE_COOKIE_LEN];
	uint8_t cky_r[IKE_COOKIE_LEN];
};

/*
 * Keys of an ISAKMP SA. Wipe with keys_phase1_wipe() when the SA goes away.
 * prf_len bytes of each SKEYID* are valid.
 */
struct keys_phase1 {
	enum ike_hash_alg hash;
	enum ike_cipher_alg cipher;
	size_t prf_len;
	uint8_t skeyid[CRYPTO_HASH_MAX_LEN];
	uint8_t skeyid_d[CRYPTO_HASH_MAX_LEN];
	uint8_t skeyid_a[CRYPTO_HASH_MAX_LEN];
	uint8_t skeyid_e[CRYPTO_HASH_MAX_LEN];
	size_t enc_key_len;		     /* crypto_cipher_key_len() */
	uint8_t enc_key[CRYPTO_KEY_MAX_LEN]; /* 2409-B.c: SKEYID_e or its expansion */
	size_t block_len;		     /* crypto_cipher_block_len() */
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN];    /* Phase 1 IV, hash(g^xi | g^xr) (2409-B.e) */
};

/**
 * keys_phase1_derive() - SKEYID, SKEYID_d/_a/_e, the encryption key and the
 * initial Phase 1 IV (2409-5.k/l/n, 2409-B.c, 2409-B.e).
 * @in:  inputs; @in->psk is used for KEYS_AUTH_PSK only.
 * @out: written only on success.
 *
 * SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0),
 * SKEYID_a = prf(SKEYID, SKEYID_d | g^xy | CKY-I | CKY-R | 1),
 * SKEYID_e = prf(SKEYID, SKEYID_a | g^xy | CKY-I | CKY-R | 2);
 * key = first bytes of SKEYID_e, or of K1 | K2 ... with K1 = prf(SKEYID_e, 0),
 * Kn+1 = prf(SKEYID_e, Kn) when SKEYID_e is shorter than the key.
 *
 * Return: 0 or a negative errno.
 */
int keys_phase1_derive(const struct keys_phase1_in *in, struct keys_phase1 *out);

/**
 * keys_phase1_wipe() - OPENSSL_cleanse() all key material in @k.
 */
void keys_phase1_wipe(struct keys_phase1 *k);

/**
 * keys_hash_i() - HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b).
 * @k:        Phase 1 keys.
 * @gxi, @gxr: initiator's and responder's KE data.
 * @cky_i, @cky_r: the cookies (8 bytes each).
 * @sai_b:    initiator's SA payload body (both directions use it).
 * @idii_b:   initiator's ID payload body.
 * @out:      receives @k->prf_len bytes; @out_size >= that.
 *
 * Return: the output length (> 0) or a negative errno.
 */
int keys_hash_i(const struct keys_phase1 *k, struct crypto_chunk gxi, struct crypto_chunk gxr,
		const uint8_t *cky_i, const uint8_t *cky_r, struct crypto_chunk sai_b,
		struct crypto_chunk idii_b, uint8_t *out, size_t out_size);

/**
 * keys_hash_r() - HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b).
 *
 * Takes the same arguments in the same order as keys_hash_i() (g^xi, g^xr,
 * CKY-I, CKY-R) and does the swap itself (2409-5.o); @idir_b is the
 * responder's ID payload body.
 *
 * Return: the output length (> 0) or a negative errno.
 */
int keys_hash_r(const struct keys_phase1 *k, struct crypto_chunk gxi, struct crypto_chunk gxr,
		const uint8_t *cky_i, const uint8_t *cky_r, struct crypto_chunk sai_b,
		struct crypto_chunk idir_b, uint8_t *out, size_t out_size);

/**
 * keys_phase1_iv() - Phase 1 IV = hash(g^xi | g^xr) cut to @block_len (2409-B.e).
 * (keys_phase1_derive() already fills keys_phase1.iv; this is the same
 * computation on its own.)
 *
 * Return: 0 or a negative errno.
 */
int keys_phase1_iv(enum ike_hash_alg hash, struct crypto_chunk gxi, struct crypto_chunk gxr,
		   size_t block_len, uint8_t *iv);

/**
 * keys_phase2_iv() - IV of the first message of a Quick Mode, Informational
 * or Transaction exchange: hash(last Phase 1 CBC block | M-ID) cut to the
 * block length (2409-B.h/i).
 * @k:          Phase 1 keys (hash and block length).
 * @last_block: the last ciphertext block of the final Phase 1 message
 *              (@k->block_len bytes; the ISAKMP SA keeps it, 2409-B.j).
 * @msgid:      this exchange's own Message ID (host order).
 * @iv:         receives @k->block_len bytes.
 *
 * Return: 0 or a negative errno.
 */
int keys_phase2_iv(const struct keys_phase1 *k, const uint8_t *last_block, uint32_t msgid,
		   uint8_t *iv);

/**
 * keys_qm_hash1() - HASH(1) = prf(SKEYID_a, M-ID | payloads) (2409-5.5.f).
 * @payloads, @n: all payloads after the HASH payload, with their generic
 *                headers, without padding (usually one chunk).
 * @out: receives @k->prf_len bytes; @out_size >= that.
 *
 * The same formula is the HASH(1) of an Informational exchange (2409-5.7.a)
 * and the HASH of a Mode Config / XAUTH Transaction message: use
 * keys_msg_hash() for those to make the intent clear.
 *
 * Return: the output length (> 0) or a negative errno.
 */
int keys_qm_hash1(const struct keys_phase1 *k, uint32_t msgid, const struct crypto_chunk *payloads,
		  size_t n, uint8_t *out, size_t out_size);

/**
 * keys_qm_hash2() - HASH(2) = prf(SKEYID_a, M-ID | Ni_b | payloads) (2409-5.5.g).
 * @ni_b: the initiator's nonce body from QM1.
 *
 * Return: the output length (> 0) or a negative errno.
 */
int keys_qm_hash2(const struct keys_phase1 *k, uint32_t msgid, struct crypto_chunk ni_b,
		  const struct crypto_chunk *payloads, size_t n, uint8_t *out, size_t out_size);

/**
 * keys_qm_hash3() - HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) (2409-5.5.h).
 *
 * Return: the output length (> 0) or a negative errno.
 */
int keys_qm_hash3(const struct keys_phase1 *k, uint32_t msgid, struct crypto_chunk ni_b,
		  struct crypto_chunk nr_b, uint8_t *out, size_t out_size);

/**
 * keys_msg_hash() - HASH(1) of an Informational (2409-5.7.a: N/D payloads)
 * or the HASH of a Transaction message (Mode Config/XAUTH: ATTR payload):
 * prf(SKEYID_a, M-ID | payloads). Identical to keys_qm_hash1().
 *
 * Return: the output length (> 0) or a negative errno.
 */
int keys_msg_hash(const struct keys_phase1 *k, uint32_t msgid, const struct crypto_chunk *payloads,
		  size_t n, uint8_t *out, size_t out_size);

/**
 * keys_keymat() - KEYMAT for one SA direction (2409-5.5.j/l):
 * K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
 * Kn+1 = prf(SKEYID_d, Kn | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b),
 * KEYMAT = K1 | K2 | ... cut to @out_len.
 * @k:        Phase 1 keys (SKEYID_d and prf).
 * @gqm_xy:   Quick Mode PFS shared secret, or a zero-length chunk without PFS.
 * @protocol: Protocol-ID of the chosen proposal (3 = ESP, 2 = AH, 4 = IPCOMP).
 * @spi:      SPI as on the wire (4 octets for ESP), chosen by the
 *            destination of this SA (2409-5.5.k: inbound = ours).
 * @ni_b, @nr_b: the Quick Mode nonce bodies.
 * @out:      receives exactly @out_len bytes.
 *
 * Return: 0 or a negative errno (@out wiped on failure).
 */
int keys_keymat(const struct keys_phase1 *k, struct crypto_chunk gqm_xy, uint8_t protocol,
		struct crypto_chunk spi, struct crypto_chunk ni_b, struct crypto_chunk nr_b,
		uint8_t *out, size_t out_len);

/* ESP transform IDs (RFC 2407 4.4.4, RFC 3602, RFC 4106) keyed here. */
enum keys_esp_transform {
	KEYS_ESP_3DES = 3,
	KEYS_ESP_NULL = 11,
	KEYS_ESP_AES_CBC = 12,
	KEYS_ESP_AES_GCM_8 = 18,
	KEYS_ESP_AES_GCM_12 = 19,
	KEYS_ESP_AES_GCM_16 = 20,
};

/* Phase 2 Authentication Algorithm attribute values (RFC 2407 4.5, RFC 4868). */
enum keys_esp_auth {
	KEYS_AUTH_NONE = 0, /* attribute absent (AES-GCM) */
	KEYS_AUTH_HMAC_MD5 = 1,
	KEYS_AUTH_HMAC_SHA1 = 2,
	KEYS_AUTH_HMAC_SHA2_256 = 5,
	KEYS_AUTH_HMAC_SHA2_384 = 6,
	KEYS_AUTH_HMAC_SHA2_512 = 7,
};

#define KEYS_CHILD_ENC_MAX   36 /* AES-256 key + 4-byte GCM salt */
#define KEYS_CHILD_INTEG_MAX 64 /* HMAC-SHA2-512 */

/* Keys of one IPsec SA direction, cut from KEYMAT. */
struct keys_child {
	size_t enc_len;	 /* encryption key length incl. salt_len */
	size_t salt_len; /* 4 for AES-GCM (salt after the key), else 0 */
	uint8_t enc[KEYS_CHILD_ENC_MAX];
	size_t integ_len;
	uint8_t integ[KEYS_CHILD_INTEG_MAX];
};

/**
 * keys_esp_lengths() - key lengths of an ESP transform.
 * @transform: ESP transform ID.
 * @key_bits:  Key Length attribute (AES: 128/192/256, 3DES/NULL: 0).
 * @auth:      Authentication Algorithm attribute (KEYS_AUTH_NONE for GCM).
 * @enc_len:   receives the encryption key length incl. salt (GCM: key + 4).
 * @salt_len:  receives the salt length (4 for GCM, else 0).
 * @integ_len: receives the integrity key length (16/20/32/48/64, 0 for GCM).
 *
 * Return: 0, or -EINVAL for unknown or inconsistent combinations (GCM with
 * an auth algorithm, CBC/NULL without one).
 */
int keys_esp_lengths(enum keys_esp_transform transform, unsigned int key_bits,
		     enum keys_esp_auth auth, size_t *enc_len, size_t *salt_len, size_t *integ_len);

/**
 * keys_child_derive() - KEYMAT for one ESP SA direction, split into the
 * encryption key (first; for GCM key then 4-byte salt) and the integrity
 * key (next bytes) (2409-5.5.m).
 * @k, @gqm_xy, @protocol, @spi, @ni_b, @nr_b: as keys_keymat().
 * @transform, @key_bits, @auth: as keys_esp_lengths().
 * @out: written only on success.
 *
 * Return: 0 or a negative errno.
 */
int keys_child_derive(const struct keys_phase1 *k, struct crypto_chunk gqm_xy, uint8_t protocol,
		      struct crypto_chunk spi, struct crypto_chunk ni_b, struct crypto_chunk nr_b,
		      enum keys_esp_transform transform, unsigned int key_bits,
		      enum keys_esp_auth auth, struct keys_child *out);

/**
 * keys_child_wipe() - OPENSSL_cleanse() @c.
 */
void keys_child_wipe(struct keys_child *c);

#endif /* NATKEYD_IKE_KEYS_H */
