/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RFC 3948 framing of UDP port 4500: the 4-byte non-ESP marker in front of
 * IKE, the one-byte NAT-keepalive, and ESP (everything else).
 */
#ifndef NATKEYD_NATT_FRAMING_H
#define NATKEYD_NATT_FRAMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* RFC 3948 s2.2: four zero octets, aligned with the ESP SPI field. */
#define NATT_NON_ESP_MARKER_LEN 4
/* RFC 3948 s2.3: a keepalive is exactly one octet of 0xFF. */
#define NATT_KEEPALIVE_BYTE 0xFF
#define NATT_KEEPALIVE_LEN  1
/* Drafts nat-t-ike-00/-01 (udp-encaps-01 s2.2): ESP on UDP 500 behind eight
 * zero octets, the "non-IKE marker" (Linux UDP_ENCAP_ESPINUDP_NON_IKE). */
#define NATT_NON_IKE_MARKER_LEN 8
/* RFC 3948 s1/s2.1: SPI 0 would read as the non-ESP marker; RFC 4303 also
 * reserves 1-255. SPIs we allocate stay within [NATT_SPI_MIN, UINT32_MAX]. */
#define NATT_SPI_MIN 256u
/* IANA port for IKE and ESP after NAT-T floating (RFC 3947 s9). */
#define NATT_PORT 4500
#define IKE_PORT  500

/* What a datagram received on UDP 4500 carries. */
enum natt_frame_kind {
	NATT_FRAME_IKE,	      /* non-ESP marker followed by an ISAKMP message */
	NATT_FRAME_KEEPALIVE, /* the lone 0xFF octet */
	NATT_FRAME_ESP,	      /* ESP: non-zero SPI first */
	NATT_FRAME_INVALID,   /* too short to be any of the above */
};

/**
 * natt_frame_classify() - demultiplex a UDP 4500 payload (RFC 3948 s2.2).
 * @buf: the UDP payload.
 * @len: its length in bytes.
 *
 * A lone 0xFF is a keepalive; four leading zero octets are the non-ESP
 * marker; anything of at least 8 bytes (SPI + sequence number) with a
 * non-zero SPI is ESP. Shorter datagrams are invalid.
 */
enum natt_frame_kind natt_frame_classify(const uint8_t *buf, size_t len);

/**
 * natt_frame_kind_name() - printable name of a frame kind, for logs.
 */
const char *natt_frame_kind_name(enum natt_frame_kind kind);

/**
 * natt_marker_strip() - return the ISAKMP message behind the non-ESP marker.
 * @buf: UDP 4500 payload.
 * @len: its length.
 * @ike: set to the first byte after the marker.
 * @ike_len: set to the length of the ISAKMP message.
 *
 * Return: 0, or -EINVAL if @buf does not start with the marker or nothing
 * follows it.
 */
int natt_marker_strip(const uint8_t *buf, size_t len, const uint8_t **ike, size_t *ike_len);

/**
 * natt_marker_prepend() - frame an ISAKMP message for UDP 4500.
 * @dst: output buffer (must not overlap @ike).
 * @cap: capacity of @dst.
 * @ike: the ISAKMP message.
 * @ike_len: its length.
 *
 * Return: the number of bytes written (@ike_len + 4), or -ENOSPC.
 */
ssize_t natt_marker_prepend(uint8_t *dst, size_t cap, const uint8_t *ike, size_t ike_len);

/**
 * natt_keepalive_build() - write a NAT-keepalive datagram payload.
 *
 * Return: 1 (bytes written), or -ENOSPC when @cap is 0.
 */
ssize_t natt_keepalive_build(uint8_t *dst, size_t cap);

/**
 * natt_frame_classify_500() - demultiplex a UDP 500 payload of a draft
 * -00/-01 peer (draft-ietf-ipsec-udp-encaps-01 s2.2).
 * @buf: the UDP payload.
 * @len: its length.
 *
 * Eight leading zero octets (never a valid initiator cookie) are the
 * non-IKE marker in front of ESP; an ESP header (SPI + sequence) must
 * follow. Anything else of at least an ISAKMP header's length (28) is IKE.
 * Return: NATT_FRAME_ESP, NATT_FRAME_IKE or NATT_FRAME_INVALID.
 */
enum natt_frame_kind natt_frame_classify_500(const uint8_t *buf, size_t len);

/**
 * natt_spi_acceptable() - may this SPI be used for ESP (in UDP)?
 *
 * Return: false for 0 (RFC 3948 s2.1: the SPI field is never zero) and the
 * reserved 1..255.
 */
bool natt_spi_acceptable(uint32_t spi);

#endif
