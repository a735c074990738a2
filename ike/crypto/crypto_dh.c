// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Diffie-Hellman for IKEv1 over OpenSSL 3 EVP_PKEY: MODP groups 2, 5, 14,
 * 15, 16 and ECP groups 19, 20, 21.
 *
 * MODP 5/14/15/16 use OpenSSL's built-in RFC 3526 groups by name
 * ("modp_1536".."modp_4096"; the tests compare their primes with the RFC
 * text). OpenSSL has no Oakley group 2, so that one is built from the RFC
 * 2409 6.2 prime. ECP public values are x | y without the 0x04 point-format
 * octet and the shared secret is the x coordinate (RFC 5903 s7, RFC 5114
 * s3.2).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "ike/crypto/crypto.h"

struct crypto_dh {
	enum ike_dh_group group;
	EVP_PKEY *pkey;
};

struct dh_group_info {
	enum ike_dh_group group;
	bool ecp;
	bool legacy;
	size_t len;	  /* prime / field length in bytes */
	const char *ossl; /* OpenSSL group name, NULL = explicit prime */
	const char *name;
	/*
	 * MODP private exponent length in bits: what OpenSSL's keygen draws
	 * for the named groups (twice the security strength, NIST SP 800-56A
	 * rev3 5.6.1.1.1 for safe-prime groups: 2048 bits, 225); group 2 has
	 * no q in OpenSSL, 256 bits (well above 2 * 80). ECP: 0 (field length).
	 */
	unsigned priv_bits;
};

static const struct dh_group_info dh_groups[] = {
	{ IKE_DH_MODP_1024, false, true, 128, NULL, "MODP-1024", 256 },
	{ IKE_DH_MODP_1536, false, true, 192, "modp_1536", "MODP-1536", 200 },
	{ IKE_DH_MODP_2048, false, false, 256, "modp_2048", "MODP-2048", 225 },
	{ IKE_DH_MODP_3072, false, false, 384, "modp_3072", "MODP-3072", 275 },
	{ IKE_DH_MODP_4096, false, false, 512, "modp_4096", "MODP-4096", 325 },
	{ IKE_DH_ECP_256, true, false, 32, "P-256", "ECP-256", 0 },
	{ IKE_DH_ECP_384, true, false, 48, "P-384", "ECP-384", 0 },
	{ IKE_DH_ECP_521, true, false, 66, "P-521", "ECP-521", 0 },
};

#define DH_GROUPS (sizeof(dh_groups) / sizeof(dh_groups[0]))

/*
 * Per group, what computing a public value needs, built once: p, g and
 * p's Montgomery context, or the curve. Read-only afterwards, so shared
 * by the loop and the crypto workers (BN_mod_exp_mont_consttime() and
 * EC_POINT_mul() take them const). A group whose entry could not be built
 * builds its own per call.
 */
struct dh_group_cache {
	BIGNUM *p, *g;
	BN_MONT_CTX *mont;
	EC_GROUP *ec;
	/* The domain parameters as a key: a peer's public value goes into a
	 * copy (EVP_PKEY_dup(), 4 us for P-256) rather than a key built from
	 * the group's name (EVP_PKEY_fromdata(), 17 us: a new EC_GROUP). */
	EVP_PKEY *params;
};

static struct dh_group_cache dh_cache[DH_GROUPS];
static pthread_once_t dh_cache_once = PTHREAD_ONCE_INIT;

/* RFC 2409 6.2, Second Oakley Group: 2^1024 - 2^960 - 1 + 2^64 * { [2^894 pi] + 129093 }. */
static const char oakley2_p_hex[] = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
				    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
				    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
				    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
				    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
				    "FFFFFFFFFFFFFFFF";

static const struct dh_group_info *dh_info(enum ike_dh_group group)
{
	for (size_t i = 0; i < DH_GROUPS; i++)
		if (dh_groups[i].group == group)
			return &dh_groups[i];
	return NULL;
}

bool crypto_dh_allowed(enum ike_dh_group group, unsigned int flags)
{
	const struct dh_group_info *gi = dh_info(group);

	if (gi == NULL)
		return false;
	return !gi->legacy || (flags & CRYPTO_F_LEGACY) != 0;
}

size_t crypto_dh_public_len(enum ike_dh_group group)
{
	const struct dh_group_info *gi = dh_info(group);

	if (gi == NULL)
		return 0;
	return gi->ecp ? 2 * gi->len : gi->len;
}

size_t crypto_dh_secret_len(enum ike_dh_group group)
{
	const struct dh_group_info *gi = dh_info(group);

	return gi == NULL ? 0 : gi->len;
}

const char *crypto_dh_group_name(enum ike_dh_group group)
{
	const struct dh_group_info *gi = dh_info(group);

	return gi == NULL ? "unknown" : gi->name;
}

enum ike_dh_group crypto_dh_group(const struct crypto_dh *dh)
{
	return dh->group;
}

/*
 * Push the domain parameters of @gi: the group name, or for Oakley group 2
 * p and g = 2 (no q: peer values get the same 1 < y < p-1 check as the
 * named groups, RFC 6989 s2.2).
 */
static int dh_push_domain(const struct dh_group_info *gi, OSSL_PARAM_BLD *bld, BIGNUM **p_out,
			  BIGNUM **g_out)
{
	if (gi->ossl != NULL)
		return OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, gi->ossl,
						       0) == 1
			       ? 0
			       : -EIO;
	if (BN_hex2bn(p_out, oakley2_p_hex) == 0)
		return -ENOMEM;
	*g_out = BN_new();
	if (*g_out == NULL || BN_set_word(*g_out, 2) != 1)
		return -ENOMEM;
	if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, *p_out) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, *g_out) != 1)
		return -EIO;
	return 0;
}

/*
 * Build an EVP_PKEY of @gi's group from domain parameters plus optional
 * public (@pub: MODP big-endian value, ECP 0x04|x|y) and private values.
 */
static int dh_pkey_build(const struct dh_group_info *gi, const uint8_t *pub, size_t pub_len,
			 const BIGNUM *priv, int selection, EVP_PKEY **out)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BIGNUM *p = NULL, *g = NULL, *pub_bn = NULL;
	int ret = -ENOMEM;

	*out = NULL;
	if (bld == NULL)
		goto out;
	ret = dh_push_domain(gi, bld, &p, &g);
	if (ret < 0)
		goto out;
	ret = -EIO;
	if (pub != NULL) {
		if (gi->ecp) {
			if (OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub,
							     pub_len) != 1)
				goto out;
		} else {
			pub_bn = BN_bin2bn(pub, (int)pub_len, NULL);
			if (pub_bn == NULL ||
			    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, pub_bn) != 1)
				goto out;
		}
	}
	if (priv != NULL && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) != 1)
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, gi->ecp ? "EC" : "DH", NULL);
	if (params == NULL || ctx == NULL)
		goto out;
	if (EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, out, selection, params) != 1) {
		ret = pub != NULL ? -EBADMSG : -EIO;
		goto out;
	}
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(p);
	BN_free(g);
	BN_free(pub_bn);
	return ret;
}

/* Build dh_cache[] (pthread_once): failures leave an entry empty. */
static void dh_cache_build(void)
{
	for (size_t i = 0; i < DH_GROUPS; i++) {
		const struct dh_group_info *gi = &dh_groups[i];
		struct dh_group_cache *c = &dh_cache[i];
		BN_CTX *bnctx;

		if (dh_pkey_build(gi, NULL, 0, NULL, EVP_PKEY_KEY_PARAMETERS, &c->params) < 0)
			c->params = NULL;
		if (gi->ecp) {
			c->ec = EC_GROUP_new_by_curve_name_ex(NULL, NULL,
							      EC_curve_nist2nid(gi->ossl));
			continue;
		}
		/* p and g from the parameters just built. */
		bnctx = c->params != NULL ? BN_CTX_new() : NULL;
		if (bnctx != NULL &&
		    EVP_PKEY_get_bn_param(c->params, OSSL_PKEY_PARAM_FFC_P, &c->p) == 1 &&
		    EVP_PKEY_get_bn_param(c->params, OSSL_PKEY_PARAM_FFC_G, &c->g) == 1) {
			c->mont = BN_MONT_CTX_new();
			if (c->mont != NULL && BN_MONT_CTX_set(c->mont, c->p, bnctx) != 1) {
				BN_MONT_CTX_free(c->mont);
				c->mont = NULL;
			}
		}
		if (c->mont == NULL) {
			BN_free(c->p);
			BN_free(c->g);
			c->p = c->g = NULL;
		}
		BN_CTX_free(bnctx);
	}
}

static const struct dh_group_cache *dh_cached(const struct dh_group_info *gi)
{
	pthread_once(&dh_cache_once, dh_cache_build);
	return &dh_cache[gi - dh_groups];
}

/*
 * The key pair is built from a private value drawn here, not by OpenSSL's
 * keygen: its DRBG costs two system calls per key pair (crypto_random.c),
 * the pool a fraction of one. Same exponent lengths as OpenSSL's keygen.
 */
int crypto_dh_generate(enum ike_dh_group group, struct crypto_dh **out)
{
	return crypto_dh_generate_from(group, NULL, NULL, out);
}

int crypto_dh_private_draw(enum ike_dh_group group, crypto_random_fn rnd, void *arg, uint8_t *x,
			   size_t cap, size_t *len)
{
	const struct dh_group_info *gi = dh_info(group);
	size_t n;
	int ret;

	if (gi == NULL || x == NULL || len == NULL)
		return -EINVAL;
	/*
	 * Below the group order without reduction: ECP, the field length with a
	 * zero top byte (every NIST order here is larger); MODP, priv_bits
	 * bits with the top one set.
	 */
	n = gi->ecp ? gi->len : (gi->priv_bits + 7) / 8;
	if (n > cap)
		return -EINVAL;
	ret = rnd ? rnd(arg, x, n) : crypto_random_secret(x, n);
	if (ret < 0)
		return ret;
	if (gi->ecp) {
		x[0] = 0;
	} else {
		unsigned top = gi->priv_bits % 8 ? gi->priv_bits % 8 : 8;

		x[0] &= (uint8_t)((1u << top) - 1);
		x[0] |= (uint8_t)(1u << (top - 1));
	}
	*len = n;
	return 0;
}

int crypto_dh_generate_from(enum ike_dh_group group, crypto_random_fn rnd, void *arg,
			    struct crypto_dh **out)
{
	uint8_t x[CRYPTO_DH_MAX_LEN];
	size_t n;
	int ret;

	if (dh_info(group) == NULL || out == NULL)
		return -EINVAL;
	*out = NULL;
	ret = crypto_dh_private_draw(group, rnd, arg, x, sizeof(x), &n);
	if (ret == 0)
		ret = crypto_dh_from_private(group, x, n, out);
	OPENSSL_cleanse(x, sizeof(x));
	return ret;
}

/*
 * Compute our public value from @priv: g^x mod p, or x * G on the curve.
 * @priv is secret: constant time (BN_FLG_CONSTTIME selects
 * BN_mod_exp_mont_consttime(); EC_POINT_mul() of the generator alone is a
 * constant-time ladder).
 */
static int dh_public_from_private(const struct dh_group_info *gi, BIGNUM *priv, uint8_t *pub,
				  size_t pub_len)
{
	const struct dh_group_cache *c = dh_cached(gi);
	EVP_PKEY *params = NULL;
	BN_CTX *bnctx = BN_CTX_secure_new();
	BIGNUM *p = NULL, *g = NULL, *y = NULL;
	EC_GROUP *ecg = NULL;
	EC_POINT *pt = NULL;
	int ret = -EIO;

	if (bnctx == NULL)
		return -ENOMEM;
	BN_set_flags(priv, BN_FLG_CONSTTIME);
	if (gi->ecp) {
		const EC_GROUP *grp = c->ec;

		if (grp == NULL)
			grp = ecg = EC_GROUP_new_by_curve_name_ex(NULL, NULL,
								  EC_curve_nist2nid(gi->ossl));
		pt = grp != NULL ? EC_POINT_new(grp) : NULL;
		if (pt == NULL || EC_POINT_mul(grp, pt, priv, NULL, NULL, bnctx) != 1 ||
		    EC_POINT_point2oct(grp, pt, POINT_CONVERSION_UNCOMPRESSED, pub, pub_len,
				       bnctx) != pub_len)
			goto out;
	} else {
		y = BN_new();
		if (y == NULL)
			goto out;
		if (c->mont != NULL) {
			if (BN_mod_exp_mont_consttime(y, c->g, priv, c->p, bnctx, c->mont) != 1)
				goto out;
		} else if (dh_pkey_build(gi, NULL, 0, NULL, EVP_PKEY_KEY_PARAMETERS, &params) < 0 ||
			   EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_P, &p) != 1 ||
			   EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_G, &g) != 1 ||
			   BN_mod_exp(y, g, priv, p, bnctx) != 1) {
			goto out;
		}
		if (BN_bn2binpad(y, pub, (int)pub_len) != (int)pub_len)
			goto out;
	}
	ret = 0;
out:
	EC_POINT_free(pt);
	EC_GROUP_free(ecg);
	BN_free(p);
	BN_free(g);
	BN_free(y);
	BN_CTX_free(bnctx);
	EVP_PKEY_free(params);
	return ret;
}

int crypto_dh_from_private(enum ike_dh_group group, const uint8_t *priv, size_t priv_len,
			   struct crypto_dh **out)
{
	const struct dh_group_info *gi = dh_info(group);
	/* ECP: 0x04 | x | y; MODP: y. */
	uint8_t pub[CRYPTO_DH_MAX_LEN + 1];
	size_t pub_len;
	struct crypto_dh *dh = NULL;
	BIGNUM *x = NULL;
	int ret;

	if (gi == NULL || out == NULL || priv == NULL || priv_len == 0 || priv_len > gi->len)
		return -EINVAL;
	*out = NULL;
	pub_len = gi->ecp ? 1 + 2 * gi->len : gi->len;
	x = BN_secure_new();
	if (x == NULL)
		return -ENOMEM;
	ret = -EINVAL;
	if (BN_bin2bn(priv, (int)priv_len, x) == NULL || BN_is_zero(x) || BN_is_one(x))
		goto out;
	ret = dh_public_from_private(gi, x, pub, pub_len);
	if (ret < 0)
		goto out;
	ret = -ENOMEM;
	dh = calloc(1, sizeof(*dh));
	if (dh == NULL)
		goto out;
	dh->group = group;
	ret = dh_pkey_build(gi, pub, pub_len, x, EVP_PKEY_KEYPAIR, &dh->pkey);
	if (ret < 0) {
		ret = -EINVAL;
		goto out;
	}
	*out = dh;
	dh = NULL;
	ret = 0;
out:
	BN_clear_free(x);
	crypto_dh_free(dh);
	return ret;
}

int crypto_dh_public(const struct crypto_dh *dh, uint8_t *out, size_t out_len)
{
	const struct dh_group_info *gi;
	uint8_t enc[CRYPTO_DH_MAX_LEN + 1];
	size_t enc_len = 0;
	BIGNUM *y = NULL;
	int ret = -EIO;

	if (dh == NULL || dh->pkey == NULL || out == NULL)
		return -EINVAL;
	gi = dh_info(dh->group);
	if (gi == NULL || out_len != crypto_dh_public_len(dh->group))
		return -EINVAL;
	if (gi->ecp) {
		/* RFC 5903 s7: the KE data is x | y, without the 0x04 octet. */
		if (EVP_PKEY_get_octet_string_param(dh->pkey, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
						    enc, sizeof(enc), &enc_len) != 1 ||
		    enc_len != 1 + out_len || enc[0] != POINT_CONVERSION_UNCOMPRESSED)
			return -EIO;
		memcpy(out, enc + 1, out_len);
		return 0;
	}
	/* 2409-5.d: exactly the group's length, left-padded with zeros. */
	if (EVP_PKEY_get_bn_param(dh->pkey, OSSL_PKEY_PARAM_PUB_KEY, &y) != 1)
		return -EIO;
	if (BN_bn2binpad(y, out, (int)out_len) == (int)out_len)
		ret = 0;
	BN_free(y);
	return ret;
}

/* Import and validate a peer's KE data as an EVP_PKEY of @gi's group. */
static int dh_peer_import(const struct dh_group_info *gi, const uint8_t *peer, size_t peer_len,
			  EVP_PKEY **out)
{
	uint8_t enc[CRYPTO_DH_MAX_LEN + 1];
	const uint8_t *pub = peer;
	size_t pub_len = peer_len;
	EVP_PKEY_CTX *ctx = NULL;
	int ret;

	*out = NULL;
	if (peer == NULL || peer_len != (gi->ecp ? 2 * gi->len : gi->len))
		return -EBADMSG;
	if (gi->ecp) {
		enc[0] = POINT_CONVERSION_UNCOMPRESSED;
		memcpy(enc + 1, peer, peer_len);
		pub = enc;
		pub_len = peer_len + 1;
	}
	if (dh_cached(gi)->params != NULL) {
		*out = EVP_PKEY_dup(dh_cached(gi)->params);
		if (*out == NULL)
			return -ENOMEM;
		/* ECP: decodes the point, refused off the curve. */
		if (EVP_PKEY_set1_encoded_public_key(*out, pub, pub_len) != 1) {
			EVP_PKEY_free(*out);
			*out = NULL;
			return -EBADMSG;
		}
	} else {
		ret = dh_pkey_build(gi, pub, pub_len, NULL, EVP_PKEY_PUBLIC_KEY, out);
		if (ret < 0)
			return ret == -EBADMSG ? -EBADMSG : ret;
	}
	/*
	 * EVP_PKEY_public_check_quick(): MODP 1 < y < p-1 (rejects 0, 1, p-1
	 * and values >= p); ECP coordinates in [0, p-1], on the curve, not the
	 * point at infinity. That is full validation for these groups (RFC 6989
	 * s2.2): the MODP primes are safe primes, whose only small subgroup is
	 * {1, p-1}, and the NIST curves have cofactor 1. The full check would add
	 * a y^q mod p exponentiation that costs more than the DH itself.
	 */
	ret = -EBADMSG;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, *out, NULL);
	if (ctx == NULL) {
		ret = -ENOMEM;
		goto out;
	}
	if (EVP_PKEY_public_check_quick(ctx) == 1)
		ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	if (ret < 0) {
		EVP_PKEY_free(*out);
		*out = NULL;
	}
	return ret;
}

int crypto_dh_check_peer(enum ike_dh_group group, const uint8_t *peer, size_t peer_len)
{
	const struct dh_group_info *gi = dh_info(group);
	EVP_PKEY *pkey = NULL;
	int ret;

	if (gi == NULL)
		return -EINVAL;
	ret = dh_peer_import(gi, peer, peer_len, &pkey);
	EVP_PKEY_free(pkey);
	return ret;
}

int crypto_dh_compute(const struct crypto_dh *dh, const uint8_t *peer, size_t peer_len,
		      uint8_t *secret, size_t secret_len)
{
	const struct dh_group_info *gi;
	uint8_t buf[CRYPTO_DH_MAX_LEN];
	size_t len = sizeof(buf);
	EVP_PKEY *peer_key = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int ret;

	if (dh == NULL || dh->pkey == NULL || secret == NULL)
		return -EINVAL;
	gi = dh_info(dh->group);
	if (gi == NULL || secret_len != gi->len)
		return -EINVAL;
	ret = dh_peer_import(gi, peer, peer_len, &peer_key);
	if (ret < 0)
		goto out;
	ret = -EIO;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->pkey, NULL);
	if (ctx == NULL || EVP_PKEY_derive_init(ctx) != 1 ||
	    EVP_PKEY_derive_set_peer_ex(ctx, peer_key, 0) != 1 ||
	    EVP_PKEY_derive(ctx, buf, &len) != 1 || len == 0 || len > secret_len)
		goto out;
	/*
	 * MODP: OpenSSL strips leading zero octets unless padding is asked
	 * for; g^xy is always the prime's length (2409-5.d), so right-align.
	 * ECP: the x coordinate is already the field length.
	 */
	memset(secret, 0, secret_len - len);
	memcpy(secret + (secret_len - len), buf, len);
	ret = 0;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer_key);
	if (ret < 0)
		OPENSSL_cleanse(secret, secret_len);
	return ret;
}

void crypto_dh_free(struct crypto_dh *dh)
{
	if (dh == NULL)
		return;
	EVP_PKEY_free(dh->pkey);
	free(dh);
}
