// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ISAKMP header (RFC 2408 s3.1) and the generic payload chain (s3.2):
 * whole-message decode, decrypted-body decode, lookups.
 */
#include <string.h>

#include "ike/wire/isakmp_decode.h"
#include "ike/wire/isakmp_wire.h"

/* RFC 2408 s3.1, RFC 2409 App. A, mode-cfg-05 s3.1; 240-255 private use. */
static bool exchange_valid(uint8_t x)
{
	switch (x) {
	case ISAKMP_XCHG_BASE:
	case ISAKMP_XCHG_IDPROT:
	case ISAKMP_XCHG_AUTH_ONLY:
	case ISAKMP_XCHG_AGGR:
	case ISAKMP_XCHG_INFO:
	case ISAKMP_XCHG_TRANSACTION:
	case ISAKMP_XCHG_QUICK:
	case ISAKMP_XCHG_NGM:
		return true;
	default:
		return x >= ISAKMP_XCHG_PRIVATE_MIN;
	}
}

int isakmp_hdr_decode(const uint8_t *buf, size_t len, struct isakmp_hdr *hdr,
		      struct isakmp_err *err)
{
	uint32_t length;
	static const uint8_t zero[ISAKMP_COOKIE_LEN];

	/* The four length checks come before any field is trusted. */
	if (!buf || len < ISAKMP_HDR_LEN)
		return isakmp_fail(err, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 0, 0,
				   "message shorter than the 28-byte ISAKMP header");
	length = isakmp_get32(buf + 24);
	if (length < ISAKMP_HDR_LEN)
		return isakmp_fail(err, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 0, 24,
				   "header Length smaller than the header");
	if (length > len)
		return isakmp_fail(err, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 0, 24,
				   "header Length larger than the datagram");
	/* RFC 2408 s5.1: lengths that differ MUST be rejected. */
	if (length != len)
		return isakmp_fail(err, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 0, 24,
				   "bytes after the header Length");

	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr->icookie, buf, ISAKMP_COOKIE_LEN);
	memcpy(hdr->rcookie, buf + 8, ISAKMP_COOKIE_LEN);
	hdr->np = buf[16];
	hdr->version = buf[17];
	hdr->exchange = buf[18];
	hdr->flags = buf[19];
	hdr->msgid = isakmp_get32(buf + 20);
	hdr->length = length;

	/* Then the fields, in the order of RFC 2408 s5.2. The responder
	 * cookie is zero in the first message, so only CKY-I is checked. */
	if (memcmp(hdr->icookie, zero, ISAKMP_COOKIE_LEN) == 0)
		return isakmp_fail(err, ISAKMP_N_INVALID_COOKIE, 0, 0, "initiator cookie is zero");
	if (hdr->np == ISAKMP_NP_NONE || !isakmp_payload_type_valid(hdr->np))
		return isakmp_fail(err, ISAKMP_N_INVALID_PAYLOAD_TYPE, 0, 16,
				   "first payload type is not valid");
	if (hdr->version >> 4 != ISAKMP_VERSION_MAJOR)
		return isakmp_fail(err, ISAKMP_N_INVALID_MAJOR_VERSION, 0, 17,
				   "major version is not 1");
	if ((hdr->version & 0x0f) != ISAKMP_VERSION_MINOR)
		return isakmp_fail(err, ISAKMP_N_INVALID_MINOR_VERSION, 0, 17,
				   "minor version is not 0");
	if (!exchange_valid(hdr->exchange))
		return isakmp_fail(err, ISAKMP_N_INVALID_EXCHANGE_TYPE, 0, 18,
				   "exchange type is not defined");
	if (hdr->flags & ~ISAKMP_FLAGS_ALL)
		return isakmp_fail(err, ISAKMP_N_INVALID_FLAGS, 0, 19, "undefined flag bits set");
	return 0;
}

/*
 * Walk a payload chain that starts with @np at @buf. Each round consumes at
 * least the 4-byte generic header and the count is bounded, so it ends.
 * @base is added to offsets stored in payloads and errors.
 */
static int chain_decode(uint8_t np, const uint8_t *buf, size_t len, size_t base, bool allow_padding,
			struct isakmp_msg *msg, struct isakmp_err *err)
{
	size_t off = 0, np_at = base > 0 ? 16 : 0; /* where @np was read from */
	unsigned n = 0;
	int rc;

	msg->npayloads = 0;
	msg->padding_len = 0;
	while (np != ISAKMP_NP_NONE) {
		struct isakmp_payload *pl;
		size_t plen;

		if (!isakmp_payload_type_valid(np))
			return isakmp_fail(err, ISAKMP_N_INVALID_PAYLOAD_TYPE, np, np_at,
					   "Next Payload names a reserved or nested-only type");
		if (n == ISAKMP_MAX_PAYLOADS)
			return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, np, base + off,
					   "too many payloads in one message");
		if (len - off < ISAKMP_GEN_LEN)
			return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, np, base + off,
					   "payload header truncated: message ends first");
		plen = isakmp_get16(buf + off + 2);
		if (plen < ISAKMP_GEN_LEN)
			return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, np, base + off + 2,
					   "payload length smaller than the generic header");
		if (plen > len - off)
			return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, np, base + off + 2,
					   "payload length runs past the end of the message");
		if (buf[off + 1] != 0)
			return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, np, base + off + 1,
					   "RESERVED octet of the generic header is not zero");
		pl = &msg->payloads[n];
		memset(pl, 0, sizeof(*pl));
		pl->raw = buf + off;
		pl->raw_len = plen;
		pl->body = buf + off + ISAKMP_GEN_LEN;
		pl->body_len = plen - ISAKMP_GEN_LEN;
		pl->offset = base + off;
		rc = isakmp_payload_decode(np, pl, err);
		if (rc < 0)
			return isakmp_fail_shift(err, base + off + ISAKMP_GEN_LEN, rc);
		np_at = base + off;
		np = buf[off];
		off += plen;
		msg->npayloads = ++n;
	}
	if (off == len)
		return 0;
	/* RFC 2409 App. B: padding after the last payload of a decrypted body. */
	if (allow_padding && len - off <= ISAKMP_MAX_PADDING) {
		msg->padding_len = len - off;
		return 0;
	}
	/* Plaintext: Libreswan pads every message to a multiple of 4 octets
	 * with zeros (its AM2 ends with one 0x00 after the last payload); the
	 * header Length counts them. Accept exactly that and nothing else. */
	if (!allow_padding && len - off < ISAKMP_PLAIN_ALIGN &&
	    (base + len) % ISAKMP_PLAIN_ALIGN == 0) {
		size_t i;

		for (i = off; i < len && buf[i] == 0; i++)
			;
		if (i == len) {
			msg->padding_len = len - off;
			return 0;
		}
	}
	return isakmp_fail(
		err, ISAKMP_N_PAYLOAD_MALFORMED, 0, base + off,
		allow_padding ? "more bytes after the last payload than any padding"
			      : "bytes after the last payload (Next Payload NONE) that are not "
				"4-octet alignment zeros");
}

int isakmp_msg_decode(const uint8_t *buf, size_t len, struct isakmp_msg *msg,
		      struct isakmp_err *err)
{
	int rc;

	msg->npayloads = 0;
	msg->padding_len = 0;
	rc = isakmp_hdr_decode(buf, len, &msg->hdr, err);
	if (rc < 0)
		return rc;
	msg->raw = buf;
	msg->raw_len = len;
	msg->body = buf + ISAKMP_HDR_LEN;
	msg->body_len = len - ISAKMP_HDR_LEN;
	msg->encrypted = (msg->hdr.flags & ISAKMP_FLAG_E) != 0;
	if (msg->encrypted) {
		/* RFC 2409 s3.2: everything after the header is ciphertext. */
		if (msg->body_len == 0)
			return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, 0, ISAKMP_HDR_LEN,
					   "encrypted message without a body");
		return 0;
	}
	return chain_decode(msg->hdr.np, msg->body, msg->body_len, ISAKMP_HDR_LEN, false, msg, err);
}

int isakmp_body_decode(uint8_t first_np, const uint8_t *buf, size_t len, struct isakmp_msg *msg,
		       struct isakmp_err *err)
{
	msg->npayloads = 0;
	msg->padding_len = 0;
	if (!buf && len)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, 0, 0, "no body");
	if (first_np == ISAKMP_NP_NONE)
		return isakmp_fail(err, ISAKMP_N_INVALID_PAYLOAD_TYPE, 0, 0,
				   "first payload type is NONE");
	return chain_decode(first_np, buf, len, 0, true, msg, err);
}

const struct isakmp_payload *isakmp_msg_find(const struct isakmp_msg *msg, uint8_t type,
					     unsigned from)
{
	unsigned i;

	for (i = from; i < msg->npayloads && i < ISAKMP_MAX_PAYLOADS; i++)
		if (msg->payloads[i].type == type)
			return &msg->payloads[i];
	return NULL;
}

unsigned isakmp_msg_count(const struct isakmp_msg *msg, uint8_t type)
{
	unsigned i, n = 0;

	for (i = 0; i < msg->npayloads && i < ISAKMP_MAX_PAYLOADS; i++)
		n += msg->payloads[i].type == type;
	return n;
}
