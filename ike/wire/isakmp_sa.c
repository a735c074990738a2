// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SA, Proposal and Transform payloads (RFC 2408 s3.4-3.6, RFC 2407 s4.6.1)
 * and the iterators over a validated SA payload.
 */
#include <string.h>

#include "ike/wire/isakmp_decode.h"
#include "ike/wire/isakmp_wire.h"

enum isakmp_attr_space isakmp_attr_space_of(uint8_t protocol)
{
	return protocol == ISAKMP_PROTO_ISAKMP ? ISAKMP_ATTRS_IKE : ISAKMP_ATTRS_IPSEC;
}

/* RFC 2408 s3.5 (ISAKMP: 0..16, content ignored), RFC 2407 s4.4 (AH/ESP: the
 * 4-octet SPI; IPCOMP: the 2-octet CPI, some peers send it in 4 octets). */
static bool spi_size_ok(uint8_t protocol, uint8_t size)
{
	switch (protocol) {
	case ISAKMP_PROTO_ISAKMP:
		return size <= ISAKMP_SPI_MAX_LEN;
	case ISAKMP_PROTO_AH:
	case ISAKMP_PROTO_ESP:
		return size == 4;
	case ISAKMP_PROTO_IPCOMP:
		return size == 2 || size == 4;
	default:
		return false;
	}
}

/*
 * Generic header of a payload nested in a chain of one kind (proposals in an
 * SA, transforms in a proposal): the four checks, then the chain rule that
 * Next Payload is @more exactly when bytes follow.
 */
static int nested_hdr_check(const uint8_t *p, size_t left, uint8_t more, size_t min_len,
			    size_t *plen, struct isakmp_err *err)
{
	uint8_t np;
	size_t len;

	if (left < min_len)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, more, 0,
				   more == ISAKMP_NP_P ? "proposal header truncated"
						       : "transform header truncated");
	np = p[0];
	len = isakmp_get16(p + 2);
	if (p[1] != 0)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, more, 1,
				   "RESERVED octet of the generic header is not zero");
	if (len < min_len)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, more, 2,
				   "payload length shorter than its fixed fields");
	if (len > left)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, more, 2,
				   "payload length exceeds the enclosing payload");
	if (np != ISAKMP_NP_NONE && np != more)
		return isakmp_fail(
			err, ISAKMP_N_BAD_PROPOSAL_SYNTAX, more, 0,
			more == ISAKMP_NP_P
				? "proposal Next Payload is neither Proposal nor NONE"
				: "transform Next Payload is neither Transform nor NONE");
	if (np == ISAKMP_NP_NONE && len != left)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, more, 0,
				   "bytes after the last nested payload");
	if (np == more && len == left)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, more, 0,
				   "Next Payload announces a payload that is missing");
	*plen = len;
	return 0;
}

static int xform_check(const uint8_t *p, size_t len, uint8_t protocol, struct isakmp_err *err)
{
	int rc;

	/* RFC 2407 s4.4.2: KEY_IKE is the only ISAKMP transform. */
	if (protocol == ISAKMP_PROTO_ISAKMP && p[5] != ISAKMP_KEY_IKE)
		return isakmp_fail(err, ISAKMP_N_INVALID_TRANSFORM_ID, ISAKMP_NP_T, 5,
				   "ISAKMP transform ID is not KEY_IKE");
	if (p[5] == 0)
		return isakmp_fail(err, ISAKMP_N_INVALID_TRANSFORM_ID, ISAKMP_NP_T, 5,
				   "transform ID 0 is reserved");
	if (p[6] != 0 || p[7] != 0)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_T, 6,
				   "transform RESERVED2 is not zero");
	rc = isakmp_attrs_check(p + ISAKMP_XFORM_MIN_LEN, len - ISAKMP_XFORM_MIN_LEN,
				isakmp_attr_space_of(protocol), err);
	if (rc < 0 && err)
		err->payload = ISAKMP_NP_T;
	return isakmp_fail_shift(err, ISAKMP_XFORM_MIN_LEN, rc);
}

static int prop_check(const uint8_t *p, size_t len, struct isakmp_err *err)
{
	uint8_t protocol = p[5], spi_size = p[6], nxf = p[7];
	size_t off, hdr = ISAKMP_PROP_MIN_LEN + (size_t)spi_size;
	unsigned count = 0;
	int rc;

	if (protocol < ISAKMP_PROTO_ISAKMP || protocol > ISAKMP_PROTO_IPCOMP)
		return isakmp_fail(err, ISAKMP_N_INVALID_PROTOCOL_ID, ISAKMP_NP_P, 5,
				   "unknown proposal protocol");
	if (!spi_size_ok(protocol, spi_size))
		return isakmp_fail(err, ISAKMP_N_INVALID_SPI, ISAKMP_NP_P, 6,
				   "SPI size does not fit the protocol");
	if (hdr > len)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_P, 6,
				   "SPI exceeds the proposal payload");
	if (nxf == 0)
		return isakmp_fail(err, ISAKMP_N_BAD_PROPOSAL_SYNTAX, ISAKMP_NP_P, 7,
				   "proposal without transforms");
	for (off = hdr; off < len;) {
		size_t xlen;

		rc = nested_hdr_check(p + off, len - off, ISAKMP_NP_T, ISAKMP_XFORM_MIN_LEN, &xlen,
				      err);
		if (rc == 0)
			rc = xform_check(p + off, xlen, protocol, err);
		if (rc < 0)
			return isakmp_fail_shift(err, off, rc);
		off += xlen;
		count++;
	}
	/* Cross-field agreement: the count must match what is there. */
	if (count != nxf)
		return isakmp_fail(err, ISAKMP_N_BAD_PROPOSAL_SYNTAX, ISAKMP_NP_P, 7,
				   "number of transforms disagrees with the payload");
	return 0;
}

/* Validate the proposal chain of an SA body; sets sa->nprops. */
static int props_check(struct isakmp_sa *sa, struct isakmp_err *err)
{
	const uint8_t *p = sa->props;
	size_t off, len = sa->props_len;
	int last_number = -1;
	int rc;

	if (len == 0)
		return isakmp_fail(err, ISAKMP_N_BAD_PROPOSAL_SYNTAX, ISAKMP_NP_SA, 0,
				   "SA payload without proposals");
	sa->nprops = 0;
	for (off = 0; off < len;) {
		size_t plen;

		rc = nested_hdr_check(p + off, len - off, ISAKMP_NP_P, ISAKMP_PROP_MIN_LEN, &plen,
				      err);
		if (rc == 0 && (int)p[off + 4] < last_number)
			rc = isakmp_fail(err, ISAKMP_N_BAD_PROPOSAL_SYNTAX, ISAKMP_NP_P, 4,
					 "proposal numbers decrease (RFC 2408 s4.2)");
		if (rc == 0)
			rc = prop_check(p + off, plen, err);
		if (rc < 0)
			return isakmp_fail_shift(err, off, rc);
		last_number = p[off + 4];
		off += plen;
		sa->nprops++;
	}
	return 0;
}

/* SA body: DOI, situation, proposals. Offsets in @err are relative to @body. */
int isakmp_sa_body_decode(const uint8_t *body, size_t len, struct isakmp_sa *sa,
			  struct isakmp_err *err)
{
	const size_t fixed = ISAKMP_SA_MIN_LEN - ISAKMP_GEN_LEN;
	int rc;

	memset(sa, 0, sizeof(*sa));
	if (len < 4)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_SA, 0,
				   "SA payload too short for the DOI");
	sa->doi = isakmp_get32(body);
	/* The situation's format belongs to the DOI: only IPsec is known. */
	if (sa->doi != ISAKMP_DOI_IPSEC)
		return isakmp_fail(err, ISAKMP_N_DOI_NOT_SUPPORTED, ISAKMP_NP_SA, 0,
				   "SA DOI is not IPsec");
	if (len < fixed)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_SA, 4,
				   "SA payload too short for the situation");
	sa->situation = isakmp_get32(body + 4);
	/* RFC 2407 s4.2: SECRECY/INTEGRITY add labelled-domain fields we do not
	 * support; the responder answers SITUATION-NOT-SUPPORTED (s4.2.2). */
	if (sa->situation != ISAKMP_SIT_IDENTITY_ONLY)
		return isakmp_fail(err, ISAKMP_N_SITUATION_NOT_SUPPORTED, ISAKMP_NP_SA, 4,
				   "situation other than SIT_IDENTITY_ONLY");
	sa->props = body + fixed;
	sa->props_len = len - fixed;
	rc = props_check(sa, err);
	return isakmp_fail_shift(err, fixed, rc);
}

void isakmp_prop_iter_init(struct isakmp_prop_iter *it, const struct isakmp_sa *sa)
{
	it->p = sa->props;
	it->left = sa->props ? sa->props_len : 0;
}

bool isakmp_prop_next(struct isakmp_prop_iter *it, struct isakmp_proposal *prop)
{
	size_t len;

	if (it->left < ISAKMP_PROP_MIN_LEN)
		return false;
	len = isakmp_get16(it->p + 2);
	if (len < ISAKMP_PROP_MIN_LEN + (size_t)it->p[6] || len > it->left) {
		it->left = 0;
		return false;
	}
	memset(prop, 0, sizeof(*prop));
	prop->number = it->p[4];
	prop->protocol = it->p[5];
	prop->spi_size = it->p[6];
	prop->ntransforms = it->p[7];
	prop->spi = it->p + ISAKMP_PROP_MIN_LEN;
	prop->raw = it->p;
	prop->raw_len = len;
	prop->xforms = prop->spi + prop->spi_size;
	prop->xforms_len = len - ISAKMP_PROP_MIN_LEN - prop->spi_size;
	it->p += len;
	it->left -= len;
	return true;
}

void isakmp_xform_iter_init(struct isakmp_xform_iter *it, const struct isakmp_proposal *prop)
{
	it->p = prop->xforms;
	it->left = prop->xforms ? prop->xforms_len : 0;
	it->space = isakmp_attr_space_of(prop->protocol);
}

bool isakmp_xform_next(struct isakmp_xform_iter *it, struct isakmp_transform *xf)
{
	size_t len;

	if (it->left < ISAKMP_XFORM_MIN_LEN)
		return false;
	len = isakmp_get16(it->p + 2);
	if (len < ISAKMP_XFORM_MIN_LEN || len > it->left) {
		it->left = 0;
		return false;
	}
	memset(xf, 0, sizeof(*xf));
	xf->number = it->p[4];
	xf->id = it->p[5];
	xf->space = it->space;
	xf->attrs = it->p + ISAKMP_XFORM_MIN_LEN;
	xf->attrs_len = len - ISAKMP_XFORM_MIN_LEN;
	it->p += len;
	it->left -= len;
	return true;
}
