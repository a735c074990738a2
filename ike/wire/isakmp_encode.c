// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ISAKMP encoder: appends payloads to a caller buffer, chaining Next Payload
 * fields and patching lengths. Sticky errors (see ike/wire/isakmp_encode.h).
 */
#include <errno.h>
#include <string.h>

#include "ike/wire/isakmp_encode.h"
#include "ike/wire/isakmp_wire.h"

ssize_t isakmp_hdr_encode(uint8_t *buf, size_t cap, const struct isakmp_hdr *hdr)
{
	if (!buf || cap < ISAKMP_HDR_LEN)
		return -ENOSPC;
	memcpy(buf, hdr->icookie, ISAKMP_COOKIE_LEN);
	memcpy(buf + 8, hdr->rcookie, ISAKMP_COOKIE_LEN);
	buf[16] = hdr->np;
	buf[17] = hdr->version;
	buf[18] = hdr->exchange;
	buf[19] = hdr->flags;
	isakmp_put32(buf + 20, hdr->msgid);
	isakmp_put32(buf + 24, hdr->length);
	return ISAKMP_HDR_LEN;
}

void isakmp_enc_init(struct isakmp_enc *e, uint8_t *buf, size_t cap)
{
	memset(e, 0, sizeof(*e));
	e->buf = buf;
	e->cap = buf ? cap : 0;
	e->sa_at = e->prop_at = e->xform_at = e->cfg_at = -1;
}

/* Reserve @n bytes; returns their offset or a sticky negative errno. */
static ssize_t reserve(struct isakmp_enc *e, size_t n)
{
	size_t at;

	if (e->err)
		return e->err;
	if (n > e->cap - e->len || e->len + n > ISAKMP_MAX_MSG_LEN) {
		e->err = -ENOSPC;
		return e->err;
	}
	at = e->len;
	memset(e->buf + at, 0, n);
	e->len += n;
	return (ssize_t)at;
}

static int fail(struct isakmp_enc *e, int rc)
{
	if (!e->err)
		e->err = rc;
	return e->err;
}

static void put(struct isakmp_enc *e, size_t at, const void *data, size_t len)
{
	if (len)
		memcpy(e->buf + at, data, len);
}

int isakmp_enc_hdr(struct isakmp_enc *e, const struct isakmp_hdr *hdr)
{
	struct isakmp_hdr h = *hdr;
	ssize_t at;

	if (e->len != 0)
		return fail(e, -EINVAL);
	at = reserve(e, ISAKMP_HDR_LEN);
	if (at < 0)
		return (int)at;
	h.np = ISAKMP_NP_NONE;
	h.version = ISAKMP_VERSION;
	h.length = ISAKMP_HDR_LEN;
	isakmp_hdr_encode(e->buf, e->cap, &h);
	e->has_hdr = true;
	e->np_at = 16;
	e->np_pending = true;
	return 0;
}

/* Open a top-level payload: link it from the previous Next Payload. */
static ssize_t top_begin(struct isakmp_enc *e, uint8_t type, size_t fixed)
{
	ssize_t at;

	if (e->sa_at >= 0 || e->cfg_at >= 0)
		return fail(e, -EINVAL); /* an SA or attribute payload is still open */
	at = reserve(e, ISAKMP_GEN_LEN + fixed);
	if (at < 0)
		return at;
	if (e->np_pending)
		e->buf[e->np_at] = type;
	else
		e->first_np = type;
	e->np_at = (size_t)at;
	e->np_pending = true;
	isakmp_put16(e->buf + at + 2, (uint16_t)(ISAKMP_GEN_LEN + fixed));
	return at;
}

/* Patch the Payload Length of the payload at @at to end at the current end. */
static int close_at(struct isakmp_enc *e, ssize_t at)
{
	size_t len;

	if (e->err)
		return e->err;
	if (at < 0)
		return fail(e, -EINVAL);
	len = e->len - (size_t)at;
	if (len > UINT16_MAX)
		return fail(e, -EMSGSIZE);
	isakmp_put16(e->buf + at + 2, (uint16_t)len);
	return 0;
}

/* Append @len bytes of @data to the payload being built. */
static int append(struct isakmp_enc *e, const void *data, size_t len)
{
	ssize_t at;

	if (!data && len)
		return fail(e, -EINVAL);
	at = reserve(e, len);

	if (at < 0)
		return (int)at;
	put(e, (size_t)at, data, len);
	return 0;
}

ssize_t isakmp_enc_generic(struct isakmp_enc *e, uint8_t type, const void *data, size_t len)
{
	ssize_t at = top_begin(e, type, 0);

	if (at < 0 || append(e, data, len) < 0 || close_at(e, at) < 0)
		return e->err;
	return at;
}

ssize_t isakmp_enc_sa_begin(struct isakmp_enc *e, uint32_t doi, uint32_t situation)
{
	ssize_t at = top_begin(e, ISAKMP_NP_SA, 8);

	if (at < 0)
		return at;
	isakmp_put32(e->buf + at + 4, doi);
	isakmp_put32(e->buf + at + 8, situation);
	e->sa_at = at;
	e->nprops = 0;
	return at;
}

ssize_t isakmp_enc_prop_begin(struct isakmp_enc *e, uint8_t number, uint8_t protocol,
			      const void *spi, uint8_t spi_size)
{
	ssize_t at;

	if (e->sa_at < 0 || e->prop_at >= 0)
		return fail(e, -EINVAL);
	at = reserve(e, ISAKMP_PROP_MIN_LEN);
	if (at < 0 || append(e, spi, spi_size) < 0)
		return e->err;
	/* RFC 2408 s3.5: Next Payload of a proposal is 2 (more) or 0 (last). */
	if (e->nprops)
		e->buf[e->prop_np_at] = ISAKMP_NP_P;
	e->prop_np_at = (size_t)at;
	e->buf[at + 4] = number;
	e->buf[at + 5] = protocol;
	e->buf[at + 6] = spi_size;
	e->prop_at = at;
	e->nxforms = 0;
	return at;
}

ssize_t isakmp_enc_xform_begin(struct isakmp_enc *e, uint8_t number, uint8_t id)
{
	ssize_t at;

	if (e->prop_at < 0 || e->xform_at >= 0)
		return fail(e, -EINVAL);
	at = reserve(e, ISAKMP_XFORM_MIN_LEN);
	if (at < 0)
		return at;
	if (e->nxforms)
		e->buf[e->xform_np_at] = ISAKMP_NP_T;
	e->xform_np_at = (size_t)at;
	e->buf[at + 4] = number;
	e->buf[at + 5] = id;
	e->xform_at = at;
	return at;
}

static bool attrs_open(const struct isakmp_enc *e)
{
	return e->xform_at >= 0 || e->cfg_at >= 0 || e->attr_list;
}

int isakmp_enc_attrs_begin(struct isakmp_enc *e)
{
	if (e->has_hdr || e->len || e->sa_at >= 0 || e->cfg_at >= 0)
		return fail(e, -EINVAL);
	e->attr_list = true;
	return 0;
}

int isakmp_enc_attr_tv(struct isakmp_enc *e, uint16_t type, uint16_t value)
{
	uint8_t a[ISAKMP_ATTR_HDR_LEN];

	if (!attrs_open(e) || (type & ISAKMP_ATTR_AF))
		return fail(e, -EINVAL);
	isakmp_put16(a, type | ISAKMP_ATTR_AF);
	isakmp_put16(a + 2, value);
	return append(e, a, sizeof(a));
}

int isakmp_enc_unity_split(struct isakmp_enc *e, const uint8_t addr4[4], unsigned plen)
{
	uint8_t v[ISAKMP_UNITY_SPLIT_LEN];
	uint32_t mask = plen >= 32 ? 0xffffffffu : plen ? ~(0xffffffffu >> plen) : 0;

	memset(v, 0, sizeof(v));
	memcpy(v, addr4, 4);
	v[4] = (uint8_t)(mask >> 24);
	v[5] = (uint8_t)(mask >> 16);
	v[6] = (uint8_t)(mask >> 8);
	v[7] = (uint8_t)mask;
	return isakmp_enc_attr_tlv(e, ISAKMP_CFG_UNITY_SPLIT_INCLUDE, v, sizeof(v));
}

int isakmp_enc_attr_tlv(struct isakmp_enc *e, uint16_t type, const void *data, uint16_t len)
{
	uint8_t a[ISAKMP_ATTR_HDR_LEN];

	if (!attrs_open(e) || (type & ISAKMP_ATTR_AF))
		return fail(e, -EINVAL);
	isakmp_put16(a, type);
	isakmp_put16(a + 2, len);
	if (append(e, a, sizeof(a)) < 0)
		return e->err;
	return append(e, data, len);
}

int isakmp_enc_attr_uint(struct isakmp_enc *e, uint16_t type, uint64_t value)
{
	uint8_t v[8];

	if (value <= UINT16_MAX)
		return isakmp_enc_attr_tv(e, type, (uint16_t)value);
	if (value <= UINT32_MAX) {
		isakmp_put32(v, (uint32_t)value);
		return isakmp_enc_attr_tlv(e, type, v, 4);
	}
	isakmp_put32(v, (uint32_t)(value >> 32));
	isakmp_put32(v + 4, (uint32_t)value);
	return isakmp_enc_attr_tlv(e, type, v, 8);
}

int isakmp_enc_xform_end(struct isakmp_enc *e)
{
	if (e->xform_at < 0)
		return fail(e, -EINVAL);
	if (close_at(e, e->xform_at) < 0)
		return e->err;
	e->xform_at = -1;
	e->nxforms++;
	return 0;
}

int isakmp_enc_prop_end(struct isakmp_enc *e)
{
	if (e->prop_at < 0 || e->xform_at >= 0 || e->nxforms == 0 || e->nxforms > UINT8_MAX)
		return fail(e, -EINVAL);
	if (close_at(e, e->prop_at) < 0)
		return e->err;
	e->buf[e->prop_at + 7] = (uint8_t)e->nxforms;
	e->prop_at = -1;
	e->nprops++;
	return 0;
}

int isakmp_enc_sa_end(struct isakmp_enc *e)
{
	if (e->sa_at < 0 || e->prop_at >= 0 || e->nprops == 0)
		return fail(e, -EINVAL);
	if (close_at(e, e->sa_at) < 0)
		return e->err;
	e->sa_at = -1;
	return 0;
}

ssize_t isakmp_enc_id(struct isakmp_enc *e, uint8_t id_type, uint8_t protocol, uint16_t port,
		      const void *data, size_t len)
{
	ssize_t at = top_begin(e, ISAKMP_NP_ID, 4);

	if (at < 0)
		return at;
	e->buf[at + 4] = id_type;
	e->buf[at + 5] = protocol;
	isakmp_put16(e->buf + at + 6, port);
	if (append(e, data, len) < 0 || close_at(e, at) < 0)
		return e->err;
	return at;
}

ssize_t isakmp_enc_natoa(struct isakmp_enc *e, uint8_t type, uint8_t id_type, const void *addr)
{
	size_t alen;
	ssize_t at;

	if (type != ISAKMP_NP_NATOA && type != ISAKMP_NP_NATOA_DRAFT && type != ISAKMP_NP_NATOA_OLD)
		return fail(e, -EINVAL);
	if (id_type == ISAKMP_ID_IPV4_ADDR)
		alen = 4;
	else if (id_type == ISAKMP_ID_IPV6_ADDR)
		alen = 16;
	else
		return fail(e, -EINVAL);
	at = top_begin(e, type, 4);
	if (at < 0)
		return at;
	e->buf[at + 4] = id_type; /* RFC 3947 s5.2: the reserved octets stay zero */
	if (append(e, addr, alen) < 0 || close_at(e, at) < 0)
		return e->err;
	return at;
}

ssize_t isakmp_enc_cert(struct isakmp_enc *e, uint8_t type, uint8_t encoding, const void *data,
			size_t len)
{
	ssize_t at;

	if (type != ISAKMP_NP_CERT && type != ISAKMP_NP_CR)
		return fail(e, -EINVAL);
	at = top_begin(e, type, 1);
	if (at < 0)
		return at;
	e->buf[at + 4] = encoding;
	if (append(e, data, len) < 0 || close_at(e, at) < 0)
		return e->err;
	return at;
}

ssize_t isakmp_enc_notify(struct isakmp_enc *e, uint32_t doi, uint8_t protocol,
			  uint16_t notify_type, const void *spi, uint8_t spi_size, const void *data,
			  size_t data_len)
{
	ssize_t at = top_begin(e, ISAKMP_NP_N, 8);

	if (at < 0)
		return at;
	isakmp_put32(e->buf + at + 4, doi);
	e->buf[at + 8] = protocol;
	e->buf[at + 9] = spi_size;
	isakmp_put16(e->buf + at + 10, notify_type);
	if (append(e, spi, spi_size) < 0 || append(e, data, data_len) < 0 || close_at(e, at) < 0)
		return e->err;
	return at;
}

ssize_t isakmp_enc_delete(struct isakmp_enc *e, uint32_t doi, uint8_t protocol, uint8_t spi_size,
			  const void *spis, uint16_t nspis)
{
	ssize_t at = top_begin(e, ISAKMP_NP_D, 8);

	if (at < 0)
		return at;
	isakmp_put32(e->buf + at + 4, doi);
	e->buf[at + 8] = protocol;
	e->buf[at + 9] = spi_size;
	isakmp_put16(e->buf + at + 10, nspis);
	if (append(e, spis, (size_t)spi_size * nspis) < 0 || close_at(e, at) < 0)
		return e->err;
	return at;
}

ssize_t isakmp_enc_cfg_begin(struct isakmp_enc *e, uint8_t cfg_type, uint16_t identifier)
{
	ssize_t at = top_begin(e, ISAKMP_NP_ATTR, 4);

	if (at < 0)
		return at;
	e->buf[at + 4] = cfg_type;
	isakmp_put16(e->buf + at + 6, identifier);
	e->cfg_at = at;
	return at;
}

int isakmp_enc_cfg_end(struct isakmp_enc *e)
{
	if (e->cfg_at < 0)
		return fail(e, -EINVAL);
	if (close_at(e, e->cfg_at) < 0)
		return e->err;
	e->cfg_at = -1;
	return 0;
}

ssize_t isakmp_enc_frag(struct isakmp_enc *e, uint16_t frag_id, uint8_t number, uint8_t flags,
			const void *data, size_t len)
{
	ssize_t at = top_begin(e, ISAKMP_NP_FRAG, 4);

	if (at < 0)
		return at;
	isakmp_put16(e->buf + at + 4, frag_id);
	e->buf[at + 6] = number;
	e->buf[at + 7] = flags;
	if (append(e, data, len) < 0 || close_at(e, at) < 0)
		return e->err;
	return at;
}

ssize_t isakmp_enc_finish(struct isakmp_enc *e)
{
	if (e->err)
		return e->err;
	if (e->sa_at >= 0 || e->cfg_at >= 0)
		return fail(e, -EINVAL);
	if (e->has_hdr)
		isakmp_put32(e->buf + 24, (uint32_t)e->len);
	return (ssize_t)e->len;
}

uint8_t isakmp_enc_first_np(const struct isakmp_enc *e)
{
	return e->has_hdr ? e->buf[16] : e->first_np;
}
