/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ISAKMP message decoder. Pure: no allocation, no I/O, no logging. Decoding
 * validates the whole message (header, payload chain, and the inside of every
 * known payload, down to each data attribute) and fills caller-owned structs
 * whose pointers are views into the caller's buffer; they stay valid as long
 * as that buffer does. Iterators (proposals, transforms, attributes, SPIs)
 * walk bytes that decoding has already validated and cannot fail.
 *
 * On bad input every entry point returns -EBADMSG and fills struct
 * isakmp_err with the reason, the byte offset and the notify type a
 * responder would send (RFC 2408 s5).
 *
 * Decisions (RFC 2408 s5.1, s5.2, RFC 2409 App. B):
 *  - The header Length must equal the datagram length: bytes after it are
 *    rejected with UNEQUAL-PAYLOAD-LENGTHS (RFC 2408 s5.1 "MUST be rejected").
 *  - A plaintext payload chain must end at the message end, except for 1-3
 *    zero octets that pad the whole message to a multiple of 4: Libreswan
 *    sends them (seen in its Aggressive Mode message 2) and the header
 *    Length counts them. They are reported in isakmp_msg.padding_len.
 *  - A decrypted body (isakmp_body_decode()) may carry padding after the
 *    payload whose Next Payload is NONE: RFC 2409 App. B pads to the cipher
 *    block and counts the pad in the header Length; padding belongs to no
 *    payload. Its content is not checked (0x00 per App. B, but some peers
 *    put the pad length in the last byte); it is reported in
 *    isakmp_msg.padding_len and may be at most ISAKMP_MAX_PADDING bytes.
 *  - Payload types 17-19 and 22-127 are reserved (RFC 2408 s3.1) and
 *    rejected with INVALID-PAYLOAD-TYPE (s5.2 step 2). Private-use types
 *    (128-255) other than 130-132 are kept as opaque payloads with
 *    known == false: the generic header makes them skippable and RFC 2408
 *    leaves their meaning to consenting parties; the engine ignores them.
 *    15/16 (NAT-T drafts -04..-08) are decoded as NAT-D/NAT-OA.
 *  - Proposal (2) and transform (3) payloads are only valid inside SA and
 *    proposal payloads; at the top level they are INVALID-PAYLOAD-TYPE.
 *  - A message carries at most ISAKMP_MAX_PAYLOADS top-level payloads.
 *  - RESERVED fields must be zero (RFC 2408 s2.5.2 SHOULD) except the NAT-OA
 *    reserved octets, which some Android clients set (tolerated on input).
 *  - Every header (message, payload, proposal, transform, attribute) passes
 *    four checks before a field is used: enough bytes for it, declared
 *    length >= its fixed part, declared length <= bytes left, and the
 *    cross-field rules (SPI size vs length, transform count vs transforms,
 *    Next Payload vs bytes left, #SPIs x SPI size vs length, TV/TLV form).
 *  - Semantics the wire fixes are checked here: SA DOI IPsec with
 *    SIT_IDENTITY_ONLY, KEY_IKE for ISAKMP proposals, SPI sizes per protocol,
 *    address lengths per ID type, nonce 8..256 octets, basic attributes as
 *    TV, Life-Duration after Life-Type. Policy (which algorithms, KE and
 *    NAT-D lengths that depend on the negotiated group/hash, payload order
 *    per exchange, Message IDs) is the engine's.
 */
#ifndef NATKEYD_IKE_ISAKMP_DECODE_H
#define NATKEYD_IKE_ISAKMP_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/wire/isakmp.h"

#define ISAKMP_MAX_PAYLOADS 48	/* top-level payloads per message */
#define ISAKMP_MAX_PADDING  255 /* bytes after the last payload of a decrypted body */
#define ISAKMP_PLAIN_ALIGN  4	/* plaintext messages may be zero-padded to this */

/* Why a message was rejected. */
struct isakmp_err {
	const char *reason; /* static English text, never NULL after a failure */
	uint16_t notify;    /* enum isakmp_notify_type a responder would send */
	uint8_t payload;    /* payload type being decoded, 0 for the header */
	size_t offset;	    /* byte offset into the decoded buffer */
};

/* The fixed ISAKMP header (RFC 2408 s3.1), in host byte order. */
struct isakmp_hdr {
	uint8_t icookie[ISAKMP_COOKIE_LEN];
	uint8_t rcookie[ISAKMP_COOKIE_LEN];
	uint8_t np;	 /* first payload type */
	uint8_t version; /* 0x10 */
	uint8_t exchange;
	uint8_t flags;
	uint32_t msgid;
	uint32_t length;
};

/* One data attribute (RFC 2408 s3.3). */
struct isakmp_attr {
	uint16_t type;	     /* without the AF bit */
	bool tv;	     /* basic (TV) form: value in @value, @data/@len too */
	uint16_t value;	     /* TV value; 0 for TLV */
	const uint8_t *data; /* TLV value bytes (or the 2 TV value bytes) */
	uint16_t len;	     /* TLV value length (2 for TV) */
};

/* Iterator over a validated attribute list. */
struct isakmp_attr_iter {
	const uint8_t *p;
	size_t left;
};

/* SA payload body (RFC 2408 s3.4, RFC 2407 s4.6.1), DOI IPsec only. */
struct isakmp_sa {
	uint32_t doi;
	uint32_t situation;
	const uint8_t *props; /* first proposal payload (with its generic header) */
	size_t props_len;
	unsigned nprops;
};

/* Proposal payload (RFC 2408 s3.5). */
struct isakmp_proposal {
	uint8_t number;
	uint8_t protocol; /* enum isakmp_proto */
	uint8_t spi_size;
	uint8_t ntransforms;
	const uint8_t *spi;
	const uint8_t *raw; /* proposal payload incl. generic header */
	size_t raw_len;
	const uint8_t *xforms; /* first transform payload */
	size_t xforms_len;
};

/* Transform payload (RFC 2408 s3.6). */
struct isakmp_transform {
	uint8_t number;
	uint8_t id; /* transform ID, meaning depends on the protocol */
	enum isakmp_attr_space space;
	const uint8_t *attrs; /* attribute list */
	size_t attrs_len;
};

/* Iterators over a validated SA payload. */
struct isakmp_prop_iter {
	const uint8_t *p;
	size_t left;
};
struct isakmp_xform_iter {
	const uint8_t *p;
	size_t left;
	enum isakmp_attr_space space;
};

/*
 * Identification payload body (RFC 2407 s4.6.2) and NAT-OA body (RFC 3947
 * s5.2, where protocol and port are the reserved octets).
 */
struct isakmp_id {
	uint8_t type;	     /* enum isakmp_id_type */
	uint8_t protocol;    /* IP protocol, 0 = any */
	uint16_t port;	     /* 0 = any */
	const uint8_t *data; /* identification data (addresses in network order) */
	size_t len;
	const uint8_t *body; /* whole body incl. type/protocol/port: what HASH_I/R cover */
	size_t body_len;
};

/* Notification payload (RFC 2408 s3.14). */
struct isakmp_notify {
	uint32_t doi;
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t type; /* enum isakmp_notify_type */
	const uint8_t *spi;
	uint32_t spi32; /* host order when spi_size is 4 (an ESP/AH SPI), else 0 */
	const uint8_t *data;
	size_t data_len;
};

/* Delete payload (RFC 2408 s3.15); SPIs are nspis * spi_size bytes. */
struct isakmp_delete {
	uint32_t doi;
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t nspis;
	const uint8_t *spis;
};

/* Certificate (RFC 2408 s3.9) and Certificate Request (s3.10) payloads. */
struct isakmp_cert {
	uint8_t encoding; /* enum isakmp_cert_encoding */
	const uint8_t *data;
	size_t len;
};

/* Attribute payload (mode-cfg-05 s3.2). */
struct isakmp_cfg {
	uint8_t type; /* enum isakmp_cfg_type */
	uint16_t identifier;
	const uint8_t *attrs;
	size_t attrs_len; /* without pad_len */
	size_t pad_len;	  /* zero bytes after the last attribute (Libreswan 4.10) */
};

/* IKE fragment payload (type 132). */
struct isakmp_frag {
	uint16_t id;
	uint8_t number;
	uint8_t flags; /* ISAKMP_FRAG_LAST */
	const uint8_t *data;
	size_t len;
};

/* One top-level payload. */
struct isakmp_payload {
	uint8_t type;	     /* enum isakmp_payload_type */
	bool known;	     /* false: private-use payload kept opaque */
	const uint8_t *raw;  /* generic header start: what HASH(1..3) cover */
	size_t raw_len;	     /* Payload Length, incl. the generic header */
	const uint8_t *body; /* after the generic header */
	size_t body_len;
	size_t offset; /* of @raw, in the decoded buffer */
	union {
		struct isakmp_sa sa;	     /* SA */
		struct isakmp_id id;	     /* ID, NAT-OA (all variants) */
		struct isakmp_notify notify; /* N */
		struct isakmp_delete del;    /* D */
		struct isakmp_cert cert;     /* CERT, CR */
		struct isakmp_cfg cfg;	     /* ATTR */
		struct isakmp_frag frag;     /* FRAG */
	} u; /* KE, HASH, SIG, NONCE, VID, NAT-D: the body is the value */
};

/* A decoded message. */
struct isakmp_msg {
	struct isakmp_hdr hdr;
	const uint8_t *raw; /* whole message */
	size_t raw_len;
	bool encrypted;	     /* E flag: @body is ciphertext, @payloads empty */
	const uint8_t *body; /* bytes after the header */
	size_t body_len;
	size_t padding_len; /* decrypted bodies only: bytes after the last payload */
	unsigned npayloads;
	struct isakmp_payload payloads[ISAKMP_MAX_PAYLOADS];
};

/**
 * isakmp_hdr_decode() - decode and check the 28-byte ISAKMP header.
 * @buf: datagram payload (after the non-ESP marker on port 4500).
 * @len: its length.
 * @hdr: filled on success.
 * @err: filled on failure.
 *
 * Checks, in the order of RFC 2408 s5.2: enough bytes, initiator cookie
 * non-zero, first payload type valid, version 1.0, exchange type defined,
 * flags, Length >= header and Length == @len (s5.1). The Message ID is left
 * to the caller (it depends on the exchange).
 *
 * Return: 0, or -EBADMSG.
 */
int isakmp_hdr_decode(const uint8_t *buf, size_t len, struct isakmp_hdr *hdr,
		      struct isakmp_err *err);

/**
 * isakmp_msg_decode() - decode a whole ISAKMP message.
 * @buf: datagram payload.
 * @len: its length.
 * @msg: filled on success (views into @buf).
 * @err: filled on failure.
 *
 * With the E flag set, only the header is decoded: @msg->encrypted is true
 * and @msg->body is the ciphertext. Decrypt it and call isakmp_body_decode()
 * with @msg->hdr.np. Otherwise the payload chain and every payload are
 * validated.
 *
 * Return: 0, or -EBADMSG.
 */
int isakmp_msg_decode(const uint8_t *buf, size_t len, struct isakmp_msg *msg,
		      struct isakmp_err *err);

/**
 * isakmp_body_decode() - decode a decrypted payload chain.
 * @first_np: the header's Next Payload (first payload type).
 * @buf: the plaintext after the header.
 * @len: its length, padding included.
 * @msg: payloads, npayloads and padding_len are filled; hdr, raw, body,
 *       encrypted are left as they were (so the header from
 *       isakmp_msg_decode() stays).
 * @err: filled on failure; offsets are relative to @buf.
 *
 * Bytes after the payload whose Next Payload is NONE are padding (RFC 2409
 * App. B), at most ISAKMP_MAX_PADDING of them.
 *
 * Return: 0, or -EBADMSG.
 */
int isakmp_body_decode(uint8_t first_np, const uint8_t *buf, size_t len, struct isakmp_msg *msg,
		       struct isakmp_err *err);

/**
 * isakmp_payload_decode() - validate one payload body of a known type.
 * @type: the payload type.
 * @pl: raw/body/type set by the caller; fills @pl->u and @pl->known.
 * @err: filled on failure.
 *
 * Used by the chain decoders; exported for the fuzzers and the tools.
 *
 * Return: 0, or -EBADMSG.
 */
int isakmp_payload_decode(uint8_t type, struct isakmp_payload *pl, struct isakmp_err *err);

/**
 * isakmp_msg_find() - the first payload of @type at or after index @from.
 *
 * Return: the payload, or NULL.
 */
const struct isakmp_payload *isakmp_msg_find(const struct isakmp_msg *msg, uint8_t type,
					     unsigned from);

/**
 * isakmp_msg_count() - how many payloads of @type the message carries.
 */
unsigned isakmp_msg_count(const struct isakmp_msg *msg, uint8_t type);

/**
 * isakmp_attrs_check() - validate a data attribute list (RFC 2408 s3.3).
 * @buf: first attribute.
 * @len: bytes of attributes; the list must end exactly there.
 * @space: which attribute table applies.
 * @err: filled on failure; offsets are relative to @buf.
 *
 * Checks every TLV length, that attributes defined as basic are sent as TV
 * (RFC 2409 App. A), that a Life Duration follows a Life Type (RFC 2407
 * s4.5), and that no attribute type is 0.
 *
 * Return: 0, or -EBADMSG.
 */
int isakmp_attrs_check(const uint8_t *buf, size_t len, enum isakmp_attr_space space,
		       struct isakmp_err *err);

/**
 * isakmp_cfg_attrs_check() - isakmp_attrs_check() for a Mode Config
 * attribute list, which may end in up to 3 zero bytes: Libreswan 4.10 pads
 * its REPLY to 4 octets inside the payload length.
 * @pad: set to the number of padding bytes after the last attribute.
 *
 * Return: 0, or -EBADMSG.
 */
int isakmp_cfg_attrs_check(const uint8_t *buf, size_t len, size_t *pad, struct isakmp_err *err);

/**
 * isakmp_attr_iter_init() - start iterating over an attribute list that
 * isakmp_attrs_check() (or a message decoder) accepted.
 */
void isakmp_attr_iter_init(struct isakmp_attr_iter *it, const uint8_t *buf, size_t len);

/**
 * isakmp_attr_next() - the next attribute.
 *
 * Return: true and fills @attr, or false at the end of the list.
 */
bool isakmp_attr_next(struct isakmp_attr_iter *it, struct isakmp_attr *attr);

/**
 * isakmp_attr_uint() - the integer value of an attribute (TV, or a TLV of
 * any length whose value fits in 64 bits, e.g. Life Duration).
 *
 * Return: 0, or -ERANGE when the value does not fit, -EINVAL for length 0.
 */
int isakmp_attr_uint(const struct isakmp_attr *attr, uint64_t *value);

/**
 * isakmp_prop_iter_init() - iterate over the proposals of a decoded SA.
 */
void isakmp_prop_iter_init(struct isakmp_prop_iter *it, const struct isakmp_sa *sa);

/**
 * isakmp_prop_next() - the next proposal.
 *
 * Return: true and fills @prop, or false after the last one.
 */
bool isakmp_prop_next(struct isakmp_prop_iter *it, struct isakmp_proposal *prop);

/**
 * isakmp_xform_iter_init() - iterate over the transforms of a proposal.
 */
void isakmp_xform_iter_init(struct isakmp_xform_iter *it, const struct isakmp_proposal *prop);

/**
 * isakmp_xform_next() - the next transform.
 *
 * Return: true and fills @xf, or false after the last one.
 */
bool isakmp_xform_next(struct isakmp_xform_iter *it, struct isakmp_transform *xf);

/**
 * isakmp_attr_space_of() - the attribute table a proposal protocol uses.
 */
enum isakmp_attr_space isakmp_attr_space_of(uint8_t protocol);

/**
 * isakmp_id_decode() - decode an identification payload body.
 * @body: the body (after the generic header).
 * @len: its length.
 * @id: filled on success.
 * @err: filled on failure (INVALID-ID-INFORMATION).
 *
 * Checks the data length for the address forms (IPv4 4, IPv6 16, subnets
 * and ranges twice that) and that the other forms are not empty.
 *
 * Return: 0, or -EBADMSG.
 */
int isakmp_id_decode(const uint8_t *body, size_t len, struct isakmp_id *id, struct isakmp_err *err);

/**
 * isakmp_natoa_decode() - decode a NAT-OA body (RFC 3947 s5.2).
 *
 * Only ID_IPV4_ADDR and ID_IPV6_ADDR with exactly 4/16 address bytes are
 * accepted; the reserved octets are tolerated (some Android clients set them)
 * and returned in @id->protocol/@id->port.
 *
 * Return: 0, or -EBADMSG.
 */
int isakmp_natoa_decode(const uint8_t *body, size_t len, struct isakmp_id *id,
			struct isakmp_err *err);

#endif
