// SPDX-License-Identifier: GPL-2.0-or-later
/* RFC 3947 s3.2 NAT discovery: hashing, building, detecting. */
#include "natt/natd.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "natt/endpoint.h"

/* CKY-I | CKY-R | IPv6 | port: the longest hash input. */
#define NATD_INPUT_MAX (2 * NATT_COOKIE_LEN + 16 + 2)

static int natd_input(const uint8_t *cky_i, const uint8_t *cky_r, const struct sockaddr *ep,
		      uint8_t *buf, size_t *len)
{
	const void *addr;
	size_t alen;
	uint16_t port; /* network byte order, copied as is */

	if (ep == NULL)
		return -EAFNOSUPPORT;
	if (ep->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ep;

		addr = &sin->sin_addr;
		alen = 4;
		port = sin->sin_port;
	} else if (ep->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ep;

		addr = &sin6->sin6_addr;
		alen = 16;
		port = sin6->sin6_port;
	} else {
		return -EAFNOSUPPORT;
	}
	memcpy(buf, cky_i, NATT_COOKIE_LEN);
	memcpy(buf + NATT_COOKIE_LEN, cky_r, NATT_COOKIE_LEN);
	memcpy(buf + 2 * NATT_COOKIE_LEN, addr, alen);
	memcpy(buf + 2 * NATT_COOKIE_LEN + alen, &port, sizeof(port));
	*len = 2 * NATT_COOKIE_LEN + alen + sizeof(port);
	return 0;
}

int natt_natd_compute(const EVP_MD *md, const uint8_t cky_i[NATT_COOKIE_LEN],
		      const uint8_t cky_r[NATT_COOKIE_LEN], const struct sockaddr *ep,
		      struct natt_natd_hash *out)
{
	uint8_t in[NATD_INPUT_MAX];
	size_t in_len;
	unsigned int hlen = 0;
	int size, ret;

	if (md == NULL || cky_i == NULL || cky_r == NULL || out == NULL)
		return -EINVAL;
	size = EVP_MD_get_size(md);
	if (size <= 0 || (size_t)size > NATT_NATD_MAX_LEN)
		return -EINVAL;
	ret = natd_input(cky_i, cky_r, ep, in, &in_len);
	if (ret < 0)
		return ret;
	/* A plain hash, not the prf (docs/requirements.md 12.2). */
	if (EVP_Digest(in, in_len, out->h, &hlen, md, NULL) != 1 || hlen != (unsigned int)size)
		return -ENOMEM;
	out->len = hlen;
	return 0;
}

/* The faked source hash for forced encapsulation: our address with port 0,
 * which no UDP datagram carries, so the peer's comparison always fails. */
static int natd_fake(const EVP_MD *md, const uint8_t *cky_i, const uint8_t *cky_r,
		     const struct sockaddr *local, struct natt_natd_hash *out)
{
	struct sockaddr_storage ss;
	socklen_t len = natt_endpoint_len(local);

	if (len == 0)
		return -EAFNOSUPPORT;
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, local, len);
	natt_endpoint_set_port((struct sockaddr *)&ss, 0);
	return natt_natd_compute(md, cky_i, cky_r, (const struct sockaddr *)&ss, out);
}

int natt_natd_build(const EVP_MD *md, const uint8_t cky_i[NATT_COOKIE_LEN],
		    const uint8_t cky_r[NATT_COOKIE_LEN], const struct sockaddr *peer,
		    const struct sockaddr *const *locals, size_t nlocals, bool force_encap,
		    struct natt_natd_hash *out, size_t cap)
{
	size_t want, n = 0;
	int ret;

	if (locals == NULL || nlocals == 0 || out == NULL)
		return -EINVAL;
	want = force_encap ? 2 : 1 + nlocals;
	if (want > cap || want > NATT_NATD_MAX)
		return -ENOSPC;
	/* RFC 3947 s3.2: the destination (remote end) first. */
	ret = natt_natd_compute(md, cky_i, cky_r, peer, &out[n++]);
	if (ret < 0)
		return ret;
	if (force_encap) {
		ret = natd_fake(md, cky_i, cky_r, locals[0], &out[n++]);
		return ret < 0 ? ret : (int)n;
	}
	for (size_t i = 0; i < nlocals; i++) {
		ret = natt_natd_compute(md, cky_i, cky_r, locals[i], &out[n++]);
		if (ret < 0)
			return ret;
	}
	return (int)n;
}

static bool natd_match(const struct natt_natd_hash *h, const struct natt_natd_in *in)
{
	/* Not secret: NAT-D hashes travel in clear; memcmp is fine. */
	return in->len == h->len && memcmp(in->data, h->h, h->len) == 0;
}

int natt_natd_detect(const EVP_MD *md, const uint8_t cky_i[NATT_COOKIE_LEN],
		     const uint8_t cky_r[NATT_COOKIE_LEN], const struct sockaddr *const *locals,
		     size_t nlocals, const struct sockaddr *peer, const struct natt_natd_in *recv,
		     size_t nrecv, struct natt_natd_result *res)
{
	struct natt_natd_hash h;
	int size, ret;
	bool matched;

	if (md == NULL || res == NULL || locals == NULL || nlocals == 0 ||
	    (nrecv > 0 && recv == NULL))
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	if (nrecv == 0) {
		/* RFC 3947 s3.2/3.1: a peer without NAT-D gets no NAT treatment. */
		res->status = NATT_NATD_ABSENT;
		return 0;
	}
	if (nrecv > NATT_NATD_MAX) {
		res->status = NATT_NATD_TOO_MANY;
		return 0;
	}
	size = EVP_MD_get_size(md);
	for (size_t i = 0; i < nrecv; i++) {
		if (recv[i].data == NULL || size <= 0 || recv[i].len != (size_t)size) {
			res->status = NATT_NATD_BAD_LENGTH;
			return 0;
		}
	}

	/* First hash: our endpoint as the peer addressed it. */
	matched = false;
	for (size_t i = 0; i < nlocals && !matched; i++) {
		ret = natt_natd_compute(md, cky_i, cky_r, locals[i], &h);
		if (ret < 0)
			return ret;
		matched = natd_match(&h, &recv[0]);
	}
	res->we_behind_nat = !matched;

	if (nrecv == 1) {
		/* Nothing to compare the peer's address with; assuming a NAT
		 * only costs UDP encapsulation, assuming none could break ESP. */
		res->status = NATT_NATD_NO_PEER_HASH;
		res->peer_behind_nat = true;
		return 0;
	}
	ret = natt_natd_compute(md, cky_i, cky_r, peer, &h);
	if (ret < 0)
		return ret;
	matched = false;
	for (size_t i = 1; i < nrecv && !matched; i++)
		matched = natd_match(&h, &recv[i]);
	res->peer_behind_nat = !matched;
	res->status = NATT_NATD_OK;
	return 0;
}

bool natt_natd_in_message(enum natt_exchange exch, unsigned int msg)
{
	if (exch == NATT_EXCH_MAIN)
		return msg == 3 || msg == 4;
	if (exch == NATT_EXCH_AGGRESSIVE)
		return msg == 2 || msg == 3;
	return false;
}

const char *natt_natd_status_name(enum natt_natd_status st)
{
	switch (st) {
	case NATT_NATD_OK:
		return "ok";
	case NATT_NATD_ABSENT:
		return "no NAT-D payloads";
	case NATT_NATD_NO_PEER_HASH:
		return "only one NAT-D payload";
	case NATT_NATD_BAD_LENGTH:
		return "NAT-D hash of wrong length";
	case NATT_NATD_TOO_MANY:
		return "too many NAT-D payloads";
	}
	return "unknown";
}
