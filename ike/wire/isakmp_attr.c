// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Data attributes (RFC 2408 s3.3): validation of a whole list, then an
 * iterator over the validated bytes.
 */
#include <errno.h>
#include <string.h>

#include "ike/wire/isakmp_decode.h"
#include "ike/wire/isakmp_names.h"
#include "ike/wire/isakmp_wire.h"

/* The Life Type attribute that a Life Duration must follow (RFC 2407 s4.5,
 * RFC 2409 App. A), or 0 when the space has no such pair. */
static uint16_t life_type_of(enum isakmp_attr_space space, uint16_t *duration)
{
	switch (space) {
	case ISAKMP_ATTRS_IKE:
		*duration = ISAKMP_IKE_LIFE_DURATION;
		return ISAKMP_IKE_LIFE_TYPE;
	case ISAKMP_ATTRS_IPSEC:
		*duration = ISAKMP_IPSEC_LIFE_DURATION;
		return ISAKMP_IPSEC_LIFE_TYPE;
	default:
		*duration = 0;
		return 0;
	}
}

/* @pad NULL: the list must end exactly at @len. */
static int attrs_check(const uint8_t *buf, size_t len, enum isakmp_attr_space space, size_t *pad,
		       struct isakmp_err *err)
{
	uint16_t duration, life = life_type_of(space, &duration);
	uint16_t prev = 0;
	size_t off = 0;

	/* Each pass consumes at least ISAKMP_ATTR_HDR_LEN bytes: the loop ends. */
	while (off < len) {
		uint16_t raw, type;
		size_t alen;

		if (len - off < ISAKMP_ATTR_HDR_LEN) {
			/* Libreswan 4.10 pads a Mode Config attribute payload to
			 * 4 octets with zeros inside its length: tolerated there. */
			if (pad && !buf[off] && (len - off < 2 || !buf[off + 1]) &&
			    (len - off < 3 || !buf[off + 2])) {
				*pad = len - off;
				return 0;
			}
			return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, 0, off,
					   "attribute header truncated");
		}
		raw = isakmp_get16(buf + off);
		type = raw & (uint16_t)~ISAKMP_ATTR_AF;
		if (type == 0)
			return isakmp_fail(err, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 0, off,
					   "attribute type 0 is reserved");
		if (raw & ISAKMP_ATTR_AF) {
			alen = ISAKMP_ATTR_HDR_LEN;
		} else {
			/* RFC 2409 App. A: basic attributes MUST NOT be sent as variable. */
			if (space != ISAKMP_ATTRS_CFG && isakmp_attr_is_basic(space, type))
				return isakmp_fail(err, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 0, off,
						   "basic attribute encoded as variable (TLV)");
			alen = ISAKMP_ATTR_HDR_LEN + (size_t)isakmp_get16(buf + off + 2);
			if (alen > len - off)
				return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, 0, off,
						   "attribute length exceeds the attribute list");
		}
		/* RFC 2407 s4.5: an SA Life Duration always follows an SA Life Type. */
		if (life && type == duration && prev != life)
			return isakmp_fail(err, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 0, off,
					   "Life-Duration without a preceding Life-Type");
		prev = type;
		off += alen;
	}
	if (pad)
		*pad = 0;
	return 0;
}

int isakmp_attrs_check(const uint8_t *buf, size_t len, enum isakmp_attr_space space,
		       struct isakmp_err *err)
{
	return attrs_check(buf, len, space, NULL, err);
}

int isakmp_cfg_attrs_check(const uint8_t *buf, size_t len, size_t *pad, struct isakmp_err *err)
{
	return attrs_check(buf, len, ISAKMP_ATTRS_CFG, pad, err);
}

void isakmp_attr_iter_init(struct isakmp_attr_iter *it, const uint8_t *buf, size_t len)
{
	it->p = buf;
	it->left = buf ? len : 0;
}

bool isakmp_attr_next(struct isakmp_attr_iter *it, struct isakmp_attr *attr)
{
	uint16_t raw;
	size_t alen;

	/* Bounds are checked again: iterating unvalidated bytes stays safe. */
	if (it->left < ISAKMP_ATTR_HDR_LEN)
		return false;
	raw = isakmp_get16(it->p);
	memset(attr, 0, sizeof(*attr));
	attr->type = raw & (uint16_t)~ISAKMP_ATTR_AF;
	if (raw & ISAKMP_ATTR_AF) {
		attr->tv = true;
		attr->value = isakmp_get16(it->p + 2);
		attr->data = it->p + 2;
		attr->len = 2;
		alen = ISAKMP_ATTR_HDR_LEN;
	} else {
		attr->len = isakmp_get16(it->p + 2);
		attr->data = it->p + ISAKMP_ATTR_HDR_LEN;
		alen = ISAKMP_ATTR_HDR_LEN + (size_t)attr->len;
		if (alen > it->left) {
			it->left = 0;
			return false;
		}
	}
	it->p += alen;
	it->left -= alen;
	return true;
}

int isakmp_attr_uint(const struct isakmp_attr *attr, uint64_t *value)
{
	uint64_t v = 0;
	uint16_t i;

	if (attr->tv) {
		*value = attr->value;
		return 0;
	}
	if (attr->len == 0)
		return -EINVAL;
	for (i = 0; i < attr->len; i++) {
		/* Leading zero octets are allowed; significant ones must fit. */
		if (v >> 56)
			return -ERANGE;
		v = v << 8 | attr->data[i];
	}
	*value = v;
	return 0;
}
