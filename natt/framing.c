// SPDX-License-Identifier: GPL-2.0-or-later
/* RFC 3948 s2.2/s2.3 demultiplexing and framing of UDP 4500 payloads. */
#include "natt/framing.h"

#include <errno.h>
#include <string.h>

/* ESP needs at least SPI (4) and sequence number (4) to be anything at all. */
#define ESP_MIN_HEADER 8

static int has_marker(const uint8_t *buf, size_t len)
{
	static const uint8_t zero[NATT_NON_ESP_MARKER_LEN];

	return len >= NATT_NON_ESP_MARKER_LEN && memcmp(buf, zero, sizeof(zero)) == 0;
}

enum natt_frame_kind natt_frame_classify(const uint8_t *buf, size_t len)
{
	if (len == NATT_KEEPALIVE_LEN && buf[0] == NATT_KEEPALIVE_BYTE)
		return NATT_FRAME_KEEPALIVE;
	/* RFC 3948 s2.1: an ESP SPI is never zero, so a zero "SPI" is the marker. */
	if (has_marker(buf, len))
		return len > NATT_NON_ESP_MARKER_LEN ? NATT_FRAME_IKE : NATT_FRAME_INVALID;
	if (len >= ESP_MIN_HEADER)
		return NATT_FRAME_ESP;
	return NATT_FRAME_INVALID;
}

const char *natt_frame_kind_name(enum natt_frame_kind kind)
{
	switch (kind) {
	case NATT_FRAME_IKE:
		return "IKE";
	case NATT_FRAME_KEEPALIVE:
		return "NAT-keepalive";
	case NATT_FRAME_ESP:
		return "ESP";
	case NATT_FRAME_INVALID:
		break;
	}
	return "invalid";
}

int natt_marker_strip(const uint8_t *buf, size_t len, const uint8_t **ike, size_t *ike_len)
{
	if (!has_marker(buf, len) || len == NATT_NON_ESP_MARKER_LEN)
		return -EINVAL;
	*ike = buf + NATT_NON_ESP_MARKER_LEN;
	*ike_len = len - NATT_NON_ESP_MARKER_LEN;
	return 0;
}

ssize_t natt_marker_prepend(uint8_t *dst, size_t cap, const uint8_t *ike, size_t ike_len)
{
	if (cap < NATT_NON_ESP_MARKER_LEN || ike_len > cap - NATT_NON_ESP_MARKER_LEN)
		return -ENOSPC;
	memset(dst, 0, NATT_NON_ESP_MARKER_LEN);
	memcpy(dst + NATT_NON_ESP_MARKER_LEN, ike, ike_len);
	return (ssize_t)(ike_len + NATT_NON_ESP_MARKER_LEN);
}

ssize_t natt_keepalive_build(uint8_t *dst, size_t cap)
{
	if (cap < NATT_KEEPALIVE_LEN)
		return -ENOSPC;
	dst[0] = NATT_KEEPALIVE_BYTE;
	return NATT_KEEPALIVE_LEN;
}

/* An ISAKMP header is 28 octets (RFC 2408 s3.1); no shorter IKE exists. */
#define ISAKMP_HEADER_LEN 28

enum natt_frame_kind natt_frame_classify_500(const uint8_t *buf, size_t len)
{
	static const uint8_t zero[NATT_NON_IKE_MARKER_LEN];

	if (len >= NATT_NON_IKE_MARKER_LEN && memcmp(buf, zero, sizeof(zero)) == 0)
		return len >= NATT_NON_IKE_MARKER_LEN + ESP_MIN_HEADER ? NATT_FRAME_ESP
								       : NATT_FRAME_INVALID;
	return len >= ISAKMP_HEADER_LEN ? NATT_FRAME_IKE : NATT_FRAME_INVALID;
}

bool natt_spi_acceptable(uint32_t spi)
{
	return spi >= NATT_SPI_MIN;
}
