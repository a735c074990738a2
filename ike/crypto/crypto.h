/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 cryptographic primitives over OpenSSL 3 EVP: hash and HMAC prf,
 * prf output expansion, Diffie-Hellman (MODP and ECP), CBC ciphers, ISAKMP
 * padding and random bytes.
 *
 * Everything here is a pure function of its arguments (plus OpenSSL's RNG):
 * no sockets, no clocks, no global mutable state. Functions return 0 (or a
 * byte count where documented) or a negative errno:
 *   -EINVAL      bad argument (unknown algorithm, wrong length, NULL)
 *   -ENOBUFS     output buffer too small
 *   -ENOTSUP     algorithm known but not available / not enabled
 *   -EBADMSG     peer-supplied value rejected (DH public value checks)
 *   -EIO         OpenSSL reported an internal failure
 *
 * Legacy algorithms (MD5, 3DES, MODP groups 2 and 5) are implemented but are
 * policy opt-in: crypto_*_allowed() refuse them unless CRYPTO_F_LEGACY is
 * given. The engine checks a proposal with crypto_*_allowed() before it
 * accepts it; the computation functions themselves accept every implemented
 * algorithm so that an already-negotiated SA can always be keyed.
 *
 * ---------------------------------------------------------------------------
 * Operation count for one Main Mode PSK + one Quick Mode (no PFS), per side
 * (for the "crypto bound" benchmark: time exactly these calls):
 *   Phase 1
 *     crypto_random()            cookie (8), nonce (e.g. 32)
 *     crypto_dh_generate()       1 keypair of the Phase 1 group
 *     crypto_dh_public()         1
 *     crypto_dh_compute()        1 (includes crypto_dh_check_peer())
 *     keys_phase1_derive()       SKEYID, _d, _a, _e (4 prf), enc key expansion
 *                                (0-2 prf), Phase 1 IV (1 hash)
 *     keys_hash_i() + keys_hash_r()  2 prf (own one to send, peer's to verify)
 *     crypto_cbc_encrypt()       1 (MM5 or MM6, ~60-100 bytes)
 *     crypto_cbc_decrypt()       1
 *   Quick Mode
 *     crypto_random()            message ID (4, initiator only), nonce (SPIs
 *                                come from the kernel, not from here)
 *     keys_phase2_iv()           1 hash
 *     keys_qm_hash1/2/3()        3 prf (compute or verify each)
 *     crypto_cbc_encrypt/decrypt 3 in total (QM1, QM2, QM3), ~200-400 bytes
 *     keys_child_derive()        2 (inbound + outbound SA); each 1-3 prf
 *                                (AES-256 + SHA2-256 needs 64 bytes)
 *   With PFS add one crypto_dh_generate/public/compute in Quick Mode.
 *   With RSA signatures add one sig_rsa_sign() and one sig_rsa_verify()
 *   (plus cert_chain_verify() when certificates are exchanged).
 * tests/bench/bench_crypto.c runs exactly this sequence for both sides (`make bench`,
 * line "BENCH crypto_ikev1 ...": microseconds per negotiation, both sides).
 * ---------------------------------------------------------------------------
 */
#ifndef NATKEYD_IKE_CRYPTO_H
#define NATKEYD_IKE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* Policy flag: allow the legacy algorithms MD5, 3DES-CBC, MODP groups 2, 5. */
#define CRYPTO_F_LEGACY 0x1u

/* Largest digest / prf output of any supported hash (SHA2-512). */
#define CRYPTO_HASH_MAX_LEN 64
/* Largest cipher block (AES) and key (AES-256; 3DES is 24). */
#define CRYPTO_BLOCK_MAX_LEN 16
#define CRYPTO_KEY_MAX_LEN   32
/* Largest DH public value (MODP 4096 = 512 bytes) and shared secret. */
#define CRYPTO_DH_MAX_LEN 512

/*
 * A read-only byte range; arrays of these describe the concatenated input of
 * a hash or prf ("A | B | C") without copying.
 */
struct crypto_chunk {
	const uint8_t *ptr;
	size_t len;
};

/* Convenience initialiser: CRYPTO_CHUNK(buf, len). */
#define CRYPTO_CHUNK(p, l) ((struct crypto_chunk){ .ptr = (const uint8_t *)(p), .len = (l) })

/*
 * Phase 1 Hash Algorithm attribute values (RFC 2409 App. A, class 2; the
 * SHA2 values are from the IANA registry, RFC 4868). The prf is HMAC of the
 * negotiated hash (2409-4.c).
 */
enum ike_hash_alg {
	IKE_HASH_MD5 = 1, /* legacy, opt-in */
	IKE_HASH_SHA1 = 2,
	IKE_HASH_SHA2_256 = 4,
	IKE_HASH_SHA2_384 = 5,
	IKE_HASH_SHA2_512 = 6,
};

/*
 * Phase 1 Encryption Algorithm attribute values (RFC 2409 App. A, class 1;
 * AES-CBC = 7 from RFC 3602 / IANA).
 */
enum ike_cipher_alg {
	IKE_CIPHER_3DES_CBC = 5, /* legacy, opt-in; fixed 192-bit key */
	IKE_CIPHER_AES_CBC = 7,	 /* Key Length attribute 128, 192 or 256 */
};

/*
 * Group Description values (RFC 2409 6.2, RFC 3526, RFC 5903 / IANA).
 * MODP groups 2 and 5 are legacy, opt-in.
 */
enum ike_dh_group {
	IKE_DH_MODP_1024 = 2,  /* RFC 2409 6.2 (Oakley group 2), legacy */
	IKE_DH_MODP_1536 = 5,  /* RFC 3526 s2, legacy */
	IKE_DH_MODP_2048 = 14, /* RFC 3526 s3 */
	IKE_DH_MODP_3072 = 15, /* RFC 3526 s4 */
	IKE_DH_MODP_4096 = 16, /* RFC 3526 s5 */
	IKE_DH_ECP_256 = 19,   /* NIST P-256 (RFC 5903) */
	IKE_DH_ECP_384 = 20,   /* NIST P-384 */
	IKE_DH_ECP_521 = 21,   /* NIST P-521 */
};

/* ---- hash and prf ------------------------------------------------------ */

/**
 * crypto_hash_allowed() - whether policy allows @alg as Phase 1 hash/prf.
 * @alg:   Hash Algorithm attribute value.
 * @flags: CRYPTO_F_LEGACY to allow MD5.
 *
 * Return: true if @alg is implemented and allowed under @flags.
 */
bool crypto_hash_allowed(enum ike_hash_alg alg, unsigned int flags);

/**
 * crypto_hash_md() - the OpenSSL digest for an IKE hash algorithm.
 * @alg: Hash Algorithm attribute value (any implemented one, MD5 included).
 *
 * For callers that hash with EVP directly (e.g. NAT-D, RFC 3947 s3.2).
 * Return: a static EVP_MD (never to be freed), or NULL if @alg is unknown.
 */
const EVP_MD *crypto_hash_md(enum ike_hash_alg alg);

/**
 * crypto_hash_len() - digest (= prf output) length of @alg in bytes.
 *
 * Return: 16, 20, 32, 48 or 64; 0 if @alg is unknown.
 */
size_t crypto_hash_len(enum ike_hash_alg alg);

/**
 * crypto_hash_name() - printable name ("SHA2-256") of @alg, for logs.
 *
 * Return: a static string; "unknown" for unknown values.
 */
const char *crypto_hash_name(enum ike_hash_alg alg);

/**
 * crypto_hash() - plain hash of a concatenation: hash(in[0] | ... | in[n-1]).
 * @alg:      hash algorithm.
 * @in:       input chunks (a chunk with len 0 may have ptr NULL).
 * @n:        number of chunks.
 * @out:      output buffer.
 * @out_size: size of @out; must be >= crypto_hash_len(@alg).
 *
 * Return: the digest length (> 0), or a negative errno.
 */
int crypto_hash(enum ike_hash_alg alg, const struct crypto_chunk *in, size_t n, uint8_t *out,
		size_t out_size);

/**
 * crypto_prf() - HMAC prf of a concatenation: prf(key, in[0] | ... ).
 * @alg:      hash underlying the HMAC.
 * @key:      HMAC key (any length >= 1; longer than the block is hashed).
 * @key_len:  its length.
 * @in, @n:   input chunks.
 * @out:      output buffer, @out_size >= crypto_hash_len(@alg).
 *
 * Return: the prf output length (> 0), or a negative errno.
 */
int crypto_prf(enum ike_hash_alg alg, const uint8_t *key, size_t key_len,
	       const struct crypto_chunk *in, size_t n, uint8_t *out, size_t out_size);

/**
 * crypto_prf_expand() - prf output expansion of RFC 2409 App. B (2409-B.b).
 * @alg, @key, @key_len: the prf and its key.
 * @in, @n:  the "data" input chunks.
 * @out:     receives exactly @out_len bytes of
 *           BLOCK1 | BLOCK2 | ..., BLOCK1 = prf(K, data),
 *           BLOCKn+1 = prf(K, BLOCKn | data).
 * @out_len: number of bytes wanted (any length; the last block is cut).
 *
 * Return: 0 or a negative errno (@out is wiped on failure).
 */
int crypto_prf_expand(enum ike_hash_alg alg, const uint8_t *key, size_t key_len,
		      const struct crypto_chunk *in, size_t n, uint8_t *out, size_t out_len);

/* ---- Diffie-Hellman ---------------------------------------------------- */

/** A DH key pair of one group; opaque, owned by the caller. */
struct crypto_dh;

/**
 * crypto_dh_allowed() - whether policy allows @group.
 * @flags: CRYPTO_F_LEGACY to allow MODP groups 2 and 5.
 */
bool crypto_dh_allowed(enum ike_dh_group group, unsigned int flags);

/**
 * crypto_dh_public_len() - exact length of the KE payload data of @group:
 * the prime length for MODP (RFC 2409 5.d), 2 * coordinate length for ECP
 * (x | y, no 0x04 prefix; RFC 5903 s7).
 *
 * Return: 128, 192, 256, 384, 512, 64, 96 or 132; 0 if @group is unknown.
 */
size_t crypto_dh_public_len(enum ike_dh_group group);

/**
 * crypto_dh_secret_len() - length of the shared secret g^xy: the prime
 * length for MODP (left-padded), the x coordinate length for ECP (RFC 5903).
 *
 * Return: the length in bytes, 0 if @group is unknown.
 */
size_t crypto_dh_secret_len(enum ike_dh_group group);

/**
 * crypto_dh_group_name() - printable name ("MODP-2048", "ECP-256").
 */
const char *crypto_dh_group_name(enum ike_dh_group group);

/**
 * crypto_dh_generate() - generate a fresh key pair for @group.
 * @group: any implemented group (policy is checked by crypto_dh_allowed()).
 * @out:   receives the key pair; free with crypto_dh_free().
 *
 * Return: 0 or a negative errno.
 */
int crypto_dh_generate(enum ike_dh_group group, struct crypto_dh **out);

/**
 * crypto_random_fn - a source of random bytes: 0 or a negative errno.
 */
typedef int (*crypto_random_fn)(void *arg, uint8_t *buf, size_t len);

/**
 * crypto_dh_generate_from() - crypto_dh_generate() with the private value
 * drawn from @rnd (a seeded simulation replays its key pairs); @rnd NULL is
 * crypto_dh_generate().
 *
 * Return: 0 or a negative errno.
 */
int crypto_dh_generate_from(enum ike_dh_group group, crypto_random_fn rnd, void *arg,
			    struct crypto_dh **out);

/**
 * crypto_dh_private_draw() - the private value crypto_dh_generate_from()
 * would draw from @rnd (crypto_random() when NULL), into @x (@cap bytes),
 * its length in *@len: a key pair built elsewhere from it with
 * crypto_dh_from_private() is the one crypto_dh_generate_from() makes.
 *
 * Return: 0 or a negative errno.
 */
int crypto_dh_private_draw(enum ike_dh_group group, crypto_random_fn rnd, void *arg, uint8_t *x,
			   size_t cap, size_t *len);

/**
 * crypto_dh_from_private() - build a key pair from a known private value
 * (big-endian). For test vectors (RFC 5114 A.6-A.8) and reproducible tests.
 * @priv, @priv_len: private exponent / scalar, 1 <= priv < order.
 *
 * Return: 0 or a negative errno.
 */
int crypto_dh_from_private(enum ike_dh_group group, const uint8_t *priv, size_t priv_len,
			   struct crypto_dh **out);

/**
 * crypto_dh_group() - the group of a key pair.
 */
enum ike_dh_group crypto_dh_group(const struct crypto_dh *dh);

/**
 * crypto_dh_public() - our public value in KE payload form.
 * @dh:      key pair.
 * @out:     output; receives exactly crypto_dh_public_len() bytes (MODP
 *           left-padded with zeros to the prime length; ECP x | y, each
 *           coordinate left-padded).
 * @out_len: must equal crypto_dh_public_len(group).
 *
 * Return: 0 or a negative errno.
 */
int crypto_dh_public(const struct crypto_dh *dh, uint8_t *out, size_t out_len);

/**
 * crypto_dh_check_peer() - validate a peer's KE payload data for @group.
 *
 * The length must be exactly crypto_dh_public_len(). MODP: 1 < y < p-1
 * (rejects 0, 1, p-1 and values >= p). ECP: both coordinates < p and the
 * point lies on the curve (and is not the point at infinity). For these
 * groups (safe primes, cofactor-1 curves) that is full validation (RFC 6989
 * s2.2); no subgroup exponentiation is done.
 *
 * Return: 0 if acceptable, -EBADMSG if not, -EINVAL for an unknown group.
 */
int crypto_dh_check_peer(enum ike_dh_group group, const uint8_t *peer, size_t peer_len);

/**
 * crypto_dh_compute() - shared secret g^xy with the peer's public value.
 * @dh:         our key pair.
 * @peer:       the peer's KE payload data (checked with crypto_dh_check_peer()).
 * @peer_len:   its length.
 * @secret:     output; receives exactly crypto_dh_secret_len() bytes
 *              (MODP left-padded to the prime length; ECP the x coordinate).
 * @secret_len: must equal crypto_dh_secret_len(group).
 *
 * Return: 0, -EBADMSG for an unacceptable peer value, or another negative
 * errno. @secret is wiped on failure.
 */
int crypto_dh_compute(const struct crypto_dh *dh, const uint8_t *peer, size_t peer_len,
		      uint8_t *secret, size_t secret_len);

/**
 * crypto_dh_free() - free a key pair (NULL is allowed); the private key is
 * cleared by OpenSSL.
 */
void crypto_dh_free(struct crypto_dh *dh);

/* ---- ciphers ----------------------------------------------------------- */

/**
 * crypto_cipher_allowed() - whether policy allows @alg with @key_bits.
 * @key_bits: Key Length attribute (AES: 128/192/256; 3DES: 0 = absent).
 * @flags:    CRYPTO_F_LEGACY to allow 3DES.
 */
bool crypto_cipher_allowed(enum ike_cipher_alg alg, unsigned int key_bits, unsigned int flags);

/**
 * crypto_cipher_key_len() - key length in bytes for @alg and its Key Length
 * attribute.
 * @key_bits: AES: 128, 192 or 256 (required, 2409-A.b); 3DES: 0 (absent) or
 *            192.
 *
 * Return: 16/24/32 for AES, 24 for 3DES, or -EINVAL.
 */
int crypto_cipher_key_len(enum ike_cipher_alg alg, unsigned int key_bits);

/**
 * crypto_cipher_block_len() - block (= IV) length: 16 for AES, 8 for 3DES.
 *
 * Return: the block length, 0 if @alg is unknown.
 */
size_t crypto_cipher_block_len(enum ike_cipher_alg alg);

/**
 * crypto_cipher_name() - printable name ("AES-CBC", "3DES-CBC").
 */
const char *crypto_cipher_name(enum ike_cipher_alg alg);

/**
 * crypto_cbc_encrypt() - CBC-encrypt whole blocks, no OpenSSL padding.
 * @alg:     cipher.
 * @key:     key of exactly crypto_cipher_key_len() bytes (@key_len).
 * @iv:      IV of crypto_cipher_block_len() bytes.
 * @in:      plaintext; @len must be a non-zero multiple of the block length
 *           (pad first with crypto_pad_len()/crypto_pad_write()).
 * @out:     ciphertext, @len bytes; may equal @in (in place).
 * @next_iv: if not NULL, receives the last ciphertext block = the IV of the
 *           next message of this exchange (2409-B.f).
 *
 * Return: 0 or a negative errno.
 */
int crypto_cbc_encrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t key_len,
		       const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
		       uint8_t *next_iv);

/**
 * crypto_cbc_decrypt() - CBC-decrypt whole blocks, no padding removal.
 *
 * Parameters as crypto_cbc_encrypt(); @next_iv receives the last block of
 * the ciphertext @in. Store it as the exchange IV only after the message has
 * been authenticated (2409-B.k): pass a scratch buffer and copy on success.
 * A length that is not a multiple of the block is -EBADMSG (peer input).
 *
 * Return: 0 or a negative errno.
 */
int crypto_cbc_decrypt(enum ike_cipher_alg alg, const uint8_t *key, size_t key_len,
		       const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
		       uint8_t *next_iv);

/* ---- ISAKMP padding (2409-B.g) ------------------------------------------ */

/**
 * crypto_pad_len() - number of padding bytes to append to @plain_len bytes
 * of payloads before encryption with block length @block_len.
 *
 * Convention: always 1..@block_len bytes (a block-aligned message gets a
 * whole block), all zero except the last, which holds the number of pad
 * bytes before it (racoon's pad_excltail, ESP-like). strongSwan and
 * Libreswan ignore padding content; racoon with pad_strict strips
 * (last byte + 1) bytes, so a message without any padding, or with zero
 * padding only, would lose payload bytes there.
 * The ISAKMP header Length includes the padding (2409-B.g).
 *
 * Return: the padding length, 0 if @block_len is 0.
 */
size_t crypto_pad_len(size_t plain_len, size_t block_len);

/**
 * crypto_pad_write() - write @pad_len bytes of padding at @dst in the
 * convention of crypto_pad_len().
 */
void crypto_pad_write(uint8_t *dst, size_t pad_len);

/*
 * No unpad function: received padding is never interpreted. The ISAKMP
 * payload chain says where the payloads end (the codec stops at Next
 * Payload 0 and ignores trailing bytes), which accepts zero padding, random
 * padding, pad-length-in-last-byte, and no padding alike.
 */

/* ---- comparison --------------------------------------------------------- */

/**
 * crypto_memeq() - constant-time comparison of two equal-length byte
 * strings (CRYPTO_memcmp). Use it to check a received HASH_I/HASH_R,
 * HASH(1)/(2)/(3) or Informational HASH against the computed value.
 *
 * Return: true if the @len bytes at @a and @b are equal.
 */
bool crypto_memeq(const void *a, const void *b, size_t len);

/* ---- random ------------------------------------------------------------ */

/**
 * crypto_random() - @len public random bytes (cookies, nonces, message IDs,
 * DPD sequence numbers) from OpenSSL's public DRBG, drawn in blocks
 * (crypto_random.c). Thread-safe (a pool per thread).
 *
 * Return: 0, -EINVAL or -EIO.
 */
int crypto_random(uint8_t *buf, size_t len);

/**
 * crypto_random_secret() - @len random bytes for a secret (Diffie-Hellman
 * private values) from OpenSSL's private DRBG, drawn in blocks.
 *
 * Return: 0, -EINVAL or -EIO.
 */
int crypto_random_secret(uint8_t *buf, size_t len);

#endif /* NATKEYD_IKE_CRYPTO_H */
