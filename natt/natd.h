/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NAT discovery (RFC 3947 s3.2): the NAT-D hashes we send and what the
 * hashes we receive tell us. The hash is the plain negotiated Phase 1 hash
 * (not the prf, not HMAC) over CKY-I | CKY-R | IP | port, all in network
 * byte order, IP 4 or 16 octets.
 */
#ifndef NATKEYD_NATT_NATD_H
#define NATKEYD_NATT_NATD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/evp.h>

#include "natt/ports.h"

#define NATT_COOKIE_LEN	  8
#define NATT_NATD_MAX_LEN EVP_MAX_MD_SIZE
/* Most NAT-D hashes we build or look at in one message: 1 destination +
 * local source addresses. More received than this is treated as malformed. */
#define NATT_NATD_MAX 16

/* One NAT-D hash (the body of a NAT-D payload). */
struct natt_natd_hash {
	size_t len;
	uint8_t h[NATT_NATD_MAX_LEN];
};

/* A received NAT-D payload body, as the codec found it (not copied). */
struct natt_natd_in {
	const uint8_t *data;
	size_t len;
};

/**
 * natt_natd_compute() - HASH(CKY-I | CKY-R | IP | port) (RFC 3947 s3.2).
 * @md: the negotiated Phase 1 hash (EVP_md5(), EVP_sha1(), EVP_sha256() ...).
 * @cky_i: initiator cookie, 8 bytes.
 * @cky_r: responder cookie, 8 bytes.
 * @ep: AF_INET or AF_INET6 endpoint; port taken from it.
 * @out: the hash.
 *
 * Return: 0, -EAFNOSUPPORT for another family, -EINVAL for a NULL @md or a
 * digest longer than NATT_NATD_MAX_LEN, -ENOMEM if OpenSSL fails.
 */
int natt_natd_compute(const EVP_MD *md, const uint8_t cky_i[NATT_COOKIE_LEN],
		      const uint8_t cky_r[NATT_COOKIE_LEN], const struct sockaddr *ep,
		      struct natt_natd_hash *out);

/**
 * natt_natd_build() - the NAT-D payload bodies to send, in order.
 * @md: negotiated hash.
 * @cky_i: initiator cookie.
 * @cky_r: responder cookie.
 * @peer: the destination of the packet these payloads go in (peer endpoint).
 * @locals: each possible local source endpoint of that packet (at least 1).
 * @nlocals: number of @locals.
 * @force_encap: per-connection forced UDP encapsulation: instead of the
 *               local hashes send one hash the peer cannot match (the local
 *               address with port 0, which no UDP packet ever carries), so
 *               the peer believes we are behind a NAT and both ends use
 *               UDP encapsulation. Deterministic; RFC 3947 does not forbid
 *               it and strongSwan/Libreswan do the same.
 * @out: filled with the hashes: [0] = destination, then the local ones.
 * @cap: capacity of @out.
 *
 * RFC 3947 s3.2: first the hash of the remote end, then one per local
 * address. MM3/MM4, AM2/AM3.
 *
 * Return: number of hashes written, -EINVAL (no locals, bad args), -ENOSPC,
 * or an error of natt_natd_compute().
 */
int natt_natd_build(const EVP_MD *md, const uint8_t cky_i[NATT_COOKIE_LEN],
		    const uint8_t cky_r[NATT_COOKIE_LEN], const struct sockaddr *peer,
		    const struct sockaddr *const *locals, size_t nlocals, bool force_encap,
		    struct natt_natd_hash *out, size_t cap);

/* How complete the received NAT-D set was. */
enum natt_natd_status {
	NATT_NATD_OK,		/* >= 2 well-formed hashes: both facts known */
	NATT_NATD_ABSENT,	/* peer sent no NAT-D: no NAT assumed either way */
	NATT_NATD_NO_PEER_HASH, /* only the destination hash: peer's side unknown,
				 * treated as "peer behind NAT" (safe: encapsulate) */
	NATT_NATD_BAD_LENGTH,	/* a hash whose length is not the digest size */
	NATT_NATD_TOO_MANY,	/* more than NATT_NATD_MAX payloads */
};

/* What the received NAT-D payloads say. */
struct natt_natd_result {
	enum natt_natd_status status;
	bool we_behind_nat;   /* first hash matched none of our endpoints */
	bool peer_behind_nat; /* none of the peer's local hashes matched its
			       * address as we see it */
};

/**
 * natt_natd_detect() - interpret the NAT-D payloads of MM3/MM4 or AM2/AM3.
 * @md: negotiated hash.
 * @cky_i: initiator cookie.
 * @cky_r: responder cookie.
 * @locals: our endpoints the packet may have been sent to; [0] should be the
 *          one it arrived on (address and port).
 * @nlocals: number of @locals (>= 1).
 * @peer: the packet's source as we received it.
 * @recv: the received NAT-D payload bodies, in message order.
 * @nrecv: how many.
 * @res: the result. On NATT_NATD_BAD_LENGTH/TOO_MANY both facts are false
 *       and the engine should reject the message (PAYLOAD-MALFORMED).
 *
 * RFC 3947 s3.2: the first hash is our address as the peer saw it; if it
 * matches none of ours, we are behind a NAT. The others are the peer's
 * possible source addresses; if none matches what we saw, the peer is
 * behind a NAT. A peer that sent no NAT-D means no NAT.
 *
 * Return: 0 (look at @res->status), or a negative errno of
 * natt_natd_compute() / -EINVAL for bad arguments.
 */
int natt_natd_detect(const EVP_MD *md, const uint8_t cky_i[NATT_COOKIE_LEN],
		     const uint8_t cky_r[NATT_COOKIE_LEN], const struct sockaddr *const *locals,
		     size_t nlocals, const struct sockaddr *peer, const struct natt_natd_in *recv,
		     size_t nrecv, struct natt_natd_result *res);

/**
 * natt_natd_in_message() - do NAT-D payloads belong in this message?
 * @exch: NATT_EXCH_MAIN or NATT_EXCH_AGGRESSIVE (others: never).
 * @msg: message number within the exchange, from 1 (MM1 = 1, AM3 = 3).
 *
 * RFC 3947 s3.2 (3.2.d): Main Mode messages 3 and 4, Aggressive Mode
 * messages 2 and 3, when NAT-T was negotiated.
 */
bool natt_natd_in_message(enum natt_exchange exch, unsigned int msg);

/**
 * natt_natd_status_name() - printable status, for logs.
 */
const char *natt_natd_status_name(enum natt_natd_status st);

#endif
