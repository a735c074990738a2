// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sending protected Informational messages (RFC 2409 s5.7):
 *   HDR*, HASH(1), N/D        HASH(1) = prf(SKEYID_a, M-ID | N/D)
 * Delete for an IKE SA or an IPsec SA, a notify, CONNECTED. Used by SA
 * teardown, DPD and Quick Mode; receiving is ikev1_info.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "ike/engine_int.h"
#include "ike/v1/ikev1_exchanges.h"
#include "ike/ikev1_msg.h"

#define INFO ISAKMP_XCHG_INFO

/* Send one protected Informational with @build's payload after HASH(1). */
static int info_send_id(struct ike_engine *eng, struct ike_sa *sa, uint32_t msgid, uint64_t now,
			struct ike_actions *out, int (*build)(struct isakmp_enc *, const void *),
			const void *arg)
{
	struct ikev1_ctx ctx;
	uint8_t buf[V1_BODY_MAX];
	uint8_t iv[CRYPTO_BLOCK_MAX_LEN];
	struct isakmp_enc e;
	ssize_t h;
	int rc;

	if (!sa->keys.prf_len)
		return -EINVAL;
	memset(&ctx, 0, sizeof(ctx));
	ctx.eng = eng;
	ctx.now = now;
	ctx.out = out;
	ctx.sa = sa;
	v1_enc_init(&e, buf, sizeof(buf));
	h = v1_hash_reserve(&e, sa);
	rc = build(&e, arg);
	if (rc == 0)
		rc = v1_hash_fill(&e, h, sa, 1, msgid, NULL, 0);
	/* 2409-B.i: the exchange's own IV from its own M-ID. */
	if (rc == 0)
		rc = v1_phase2_iv(sa, msgid, iv);
	if (rc == 0)
		rc = v1_send(&ctx, NULL, INFO, msgid, &e, iv);
	return rc;
}

static int info_send(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
		     struct ike_actions *out, int (*build)(struct isakmp_enc *, const void *),
		     const void *arg)
{
	/* 2409-5.7.b: a fresh M-ID, never one of a running exchange. */
	return info_send_id(eng, sa, v1_msgid_new(eng), now, out, build, arg);
}

static int build_connected(struct isakmp_enc *e, const void *arg)
{
	const struct ipsec_sa *c = arg;
	uint32_t spi = htonl(c->spi_in);

	isakmp_enc_notify(e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ESP, ISAKMP_N_CONNECTED, &spi, 4, NULL,
			  0);
	return e->err;
}

int info_send_connected(struct ike_engine *eng, struct ike_sa *sa, const struct ipsec_sa *c,
			uint64_t now, struct ike_actions *out)
{
	/* 2408-3.1.g: the exception to 2409-5.7.b, the Quick Mode's own M-ID
	 * (and so the IV both sides derive from it, 2409-B.i). */
	return info_send_id(eng, sa, c->msgid, now, out, build_connected, c);
}

static void cookies(const struct ike_sa *sa, uint8_t *spi)
{
	memcpy(spi, sa->cky_i, IKE_COOKIE_LEN);
	memcpy(spi + IKE_COOKIE_LEN, sa->cky_r, IKE_COOKIE_LEN);
}

static int build_delete_ike(struct isakmp_enc *e, const void *arg)
{
	uint8_t spi[2 * IKE_COOKIE_LEN];

	/* 2408-3.15.b: protocol ISAKMP, SPI = CKY-I | CKY-R. */
	cookies(arg, spi);
	isakmp_enc_delete(e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, sizeof(spi), spi, 1);
	return e->err;
}

void info_send_delete_ike(struct ike_engine *eng, struct ike_sa *sa, uint64_t now,
			  struct ike_actions *out)
{
	info_send(eng, sa, now, out, build_delete_ike, sa);
}

static int build_delete_ipsec(struct isakmp_enc *e, const void *arg)
{
	const struct ipsec_sa *c = arg;
	uint32_t spi = htonl(c->spi_in);

	/* 2408-3.15.b: ESP, 4-octet SPI, the sender's own inbound SPI. */
	isakmp_enc_delete(e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ESP, 4, &spi, 1);
	return e->err;
}

void info_send_delete_ipsec(struct ike_engine *eng, struct ike_sa *sa, const struct ipsec_sa *c,
			    uint64_t now, struct ike_actions *out)
{
	info_send(eng, sa, now, out, build_delete_ipsec, c);
}

struct notify_arg {
	const struct ike_sa *sa;
	uint16_t type;
	const void *data;
	size_t len;
};

static int build_notify(struct isakmp_enc *e, const void *arg)
{
	const struct notify_arg *n = arg;
	uint8_t spi[2 * IKE_COOKIE_LEN];

	cookies(n->sa, spi);
	isakmp_enc_notify(e, ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, n->type, spi, sizeof(spi),
			  n->data, n->len);
	return e->err;
}

int info_send_notify(struct ike_engine *eng, struct ike_sa *sa, uint16_t type, const void *data,
		     size_t len, uint64_t now, struct ike_actions *out)
{
	struct notify_arg n = { sa, type, data, len };

	return info_send(eng, sa, now, out, build_notify, &n);
}
