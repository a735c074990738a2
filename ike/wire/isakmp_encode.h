/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ISAKMP message encoder. Pure: appends to a caller-owned, bounded buffer;
 * no allocation, no I/O. Errors are sticky: once a write does not fit, every
 * later call is a no-op and isakmp_enc_finish() returns -ENOSPC, so callers
 * may chain calls and check once. Next Payload fields and lengths are
 * patched by the encoder, never by the caller.
 *
 * Two modes:
 *  - message: isakmp_enc_init() + isakmp_enc_hdr() ... isakmp_enc_finish():
 *    a whole plaintext message, header Length and Next Payload filled in.
 *  - body: isakmp_enc_init() without isakmp_enc_hdr(): only the payload chain
 *    (for a message that the engine then pads and encrypts); the first
 *    payload type is isakmp_enc_first_np(). Write the header with
 *    isakmp_hdr_encode() and the ciphertext after it.
 *
 * Every payload function returns the offset of the payload's generic header
 * in the buffer (so the engine can hash payloads or fill a HASH payload it
 * reserved with zeros), or a negative errno.
 */
#ifndef NATKEYD_IKE_ISAKMP_ENCODE_H
#define NATKEYD_IKE_ISAKMP_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ike/wire/isakmp.h"
#include "ike/wire/isakmp_decode.h"

/* Encoder state. Treat as opaque. */
struct isakmp_enc {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int err;	 /* sticky: 0 or -ENOSPC / -EINVAL */
	bool has_hdr;	 /* message mode */
	size_t np_at;	 /* where the next top-level payload type is written */
	bool np_pending; /* np_at is valid */
	uint8_t first_np;
	/* Open SA / proposal / transform / attribute payloads. */
	ssize_t sa_at, prop_at, xform_at, cfg_at;
	size_t prop_np_at, xform_np_at; /* Next Payload of the last proposal/transform */
	unsigned nprops, nxforms;
	bool attr_list; /* a bare attribute list (isakmp_enc_attrs_begin) */
};

/**
 * isakmp_hdr_encode() - write a 28-byte ISAKMP header.
 * @buf: output, at least ISAKMP_HDR_LEN bytes.
 * @cap: capacity of @buf.
 * @hdr: the header; version, np, flags, length are written as given.
 *
 * Return: ISAKMP_HDR_LEN, or -ENOSPC.
 */
ssize_t isakmp_hdr_encode(uint8_t *buf, size_t cap, const struct isakmp_hdr *hdr);

/**
 * isakmp_enc_init() - start encoding into @buf of @cap bytes.
 */
void isakmp_enc_init(struct isakmp_enc *e, uint8_t *buf, size_t cap);

/**
 * isakmp_enc_hdr() - write the header (message mode).
 * @hdr: cookies, exchange, flags and msgid are taken from it; np and length
 *       are filled in as payloads are added and by isakmp_enc_finish();
 *       version is always 1.0.
 *
 * Return: 0, or a negative errno.
 */
int isakmp_enc_hdr(struct isakmp_enc *e, const struct isakmp_hdr *hdr);

/**
 * isakmp_enc_finish() - close the message (or body).
 *
 * Patches the header Length in message mode. Fails with -EINVAL if an SA,
 * proposal, transform or attribute payload is still open.
 *
 * Return: total bytes written, or a negative errno.
 */
ssize_t isakmp_enc_finish(struct isakmp_enc *e);

/**
 * isakmp_enc_first_np() - type of the first payload written (body mode).
 */
uint8_t isakmp_enc_first_np(const struct isakmp_enc *e);

/**
 * isakmp_enc_generic() - a payload whose body is one opaque value: KE, HASH,
 * SIG, NONCE, VID, NAT-D (20, 15 or 130) or a private-use type.
 *
 * Return: offset of the payload, or a negative errno.
 */
ssize_t isakmp_enc_generic(struct isakmp_enc *e, uint8_t type, const void *data, size_t len);

/**
 * isakmp_enc_sa_begin() - open an SA payload (RFC 2408 s3.4).
 *
 * Follow with proposals; close with isakmp_enc_sa_end().
 *
 * Return: offset of the payload, or a negative errno.
 */
ssize_t isakmp_enc_sa_begin(struct isakmp_enc *e, uint32_t doi, uint32_t situation);

/**
 * isakmp_enc_prop_begin() - open a proposal in the open SA payload.
 * @spi: @spi_size bytes (may be NULL when @spi_size is 0).
 *
 * The transform count is filled in by isakmp_enc_prop_end().
 */
ssize_t isakmp_enc_prop_begin(struct isakmp_enc *e, uint8_t number, uint8_t protocol,
			      const void *spi, uint8_t spi_size);

/**
 * isakmp_enc_xform_begin() - open a transform in the open proposal.
 *
 * Follow with attributes; close with isakmp_enc_xform_end().
 */
ssize_t isakmp_enc_xform_begin(struct isakmp_enc *e, uint8_t number, uint8_t id);

/**
 * isakmp_enc_attr_tv() - a basic (TV) attribute in the open transform or
 * attribute payload.
 *
 * Return: 0, or a negative errno.
 */
int isakmp_enc_attr_tv(struct isakmp_enc *e, uint16_t type, uint16_t value);

/**
 * isakmp_enc_attr_tlv() - a variable (TLV) attribute; @len may be 0 (Mode
 * Config requests).
 *
 * Return: 0, or a negative errno.
 */
int isakmp_enc_attr_tlv(struct isakmp_enc *e, uint16_t type, const void *data, uint16_t len);

/**
 * isakmp_enc_unity_split() - one UNITY_SPLIT_INCLUDE entry for the IPv4
 * network @addr4/@plen, in Cisco's layout (ISAKMP_UNITY_SPLIT_LEN bytes:
 * address, mask, protocol 0, ports 0).
 */
int isakmp_enc_unity_split(struct isakmp_enc *e, const uint8_t addr4[4], unsigned plen);

/**
 * isakmp_enc_attr_uint() - an integer attribute in its shortest form: TV when
 * it fits in 16 bits (RFC 2409 App. A allows variable attributes as basic),
 * otherwise a 4- or 8-byte TLV. Only for attributes defined as variable
 * (Life Duration) or basic ones whose value fits in 16 bits.
 *
 * Return: 0, or a negative errno.
 */
int isakmp_enc_attr_uint(struct isakmp_enc *e, uint16_t type, uint64_t value);

/**
 * isakmp_enc_attrs_begin() - encode a bare attribute list (no payload
 * header) into an empty body-mode encoder, e.g. the Notification Data of a
 * RESPONDER-LIFETIME (RFC 2407 s4.6.3.1); add attributes with
 * isakmp_enc_attr_*(), take the length from isakmp_enc_finish().
 * Return: 0, or -EINVAL when the encoder is not empty or has a header.
 */
int isakmp_enc_attrs_begin(struct isakmp_enc *e);

/**
 * isakmp_enc_xform_end() / isakmp_enc_prop_end() / isakmp_enc_sa_end() -
 * close the innermost open payload, patching its length (and the proposal's
 * transform count).
 *
 * Return: 0, or a negative errno.
 */
int isakmp_enc_xform_end(struct isakmp_enc *e);
int isakmp_enc_prop_end(struct isakmp_enc *e);
int isakmp_enc_sa_end(struct isakmp_enc *e);

/**
 * isakmp_enc_id() - an identification payload (RFC 2407 s4.6.2).
 *
 * Return: offset of the payload, or a negative errno.
 */
ssize_t isakmp_enc_id(struct isakmp_enc *e, uint8_t id_type, uint8_t protocol, uint16_t port,
		      const void *data, size_t len);

/**
 * isakmp_enc_natoa() - a NAT-OA payload (RFC 3947 s5.2), reserved octets zero.
 * @type: ISAKMP_NP_NATOA, ISAKMP_NP_NATOA_DRAFT or ISAKMP_NP_NATOA_OLD.
 * @id_type: ISAKMP_ID_IPV4_ADDR (4-byte @addr) or ISAKMP_ID_IPV6_ADDR (16).
 *
 * Return: offset of the payload, or -EINVAL for another ID type.
 */
ssize_t isakmp_enc_natoa(struct isakmp_enc *e, uint8_t type, uint8_t id_type, const void *addr);

/**
 * isakmp_enc_cert() - a CERT or CR payload: encoding octet + data.
 */
ssize_t isakmp_enc_cert(struct isakmp_enc *e, uint8_t type, uint8_t encoding, const void *data,
			size_t len);

/**
 * isakmp_enc_notify() - a Notification payload (RFC 2408 s3.14).
 */
ssize_t isakmp_enc_notify(struct isakmp_enc *e, uint32_t doi, uint8_t protocol,
			  uint16_t notify_type, const void *spi, uint8_t spi_size, const void *data,
			  size_t data_len);

/**
 * isakmp_enc_delete() - a Delete payload (RFC 2408 s3.15).
 * @spis: @nspis SPIs of @spi_size bytes each, back to back.
 */
ssize_t isakmp_enc_delete(struct isakmp_enc *e, uint32_t doi, uint8_t protocol, uint8_t spi_size,
			  const void *spis, uint16_t nspis);

/**
 * isakmp_enc_cfg_begin() - open an attribute payload (mode-cfg-05 s3.2);
 * add attributes with isakmp_enc_attr_*(), close with isakmp_enc_cfg_end().
 */
ssize_t isakmp_enc_cfg_begin(struct isakmp_enc *e, uint8_t cfg_type, uint16_t identifier);
int isakmp_enc_cfg_end(struct isakmp_enc *e);

/**
 * isakmp_enc_frag() - an IKE fragment payload (type 132).
 */
ssize_t isakmp_enc_frag(struct isakmp_enc *e, uint16_t frag_id, uint8_t number, uint8_t flags,
			const void *data, size_t len);

#endif
