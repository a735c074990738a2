// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Notification (RFC 2408 s3.14) and Delete (s3.15) payloads.
 */
#include <string.h>

#include "ike/wire/isakmp_decode.h"
#include "ike/wire/isakmp_wire.h"

int isakmp_notify_body_decode(const uint8_t *body, size_t len, struct isakmp_notify *n,
			      struct isakmp_err *err)
{
	const size_t fixed = ISAKMP_NOTIFY_MIN_LEN - ISAKMP_GEN_LEN;

	memset(n, 0, sizeof(*n));
	if (len < fixed)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_N, 0,
				   "Notification payload too short for its fixed fields");
	n->doi = isakmp_get32(body);
	n->protocol = body[4];
	n->spi_size = body[5];
	n->type = isakmp_get16(body + 6);
	if (n->doi != ISAKMP_DOI_ISAKMP && n->doi != ISAKMP_DOI_IPSEC)
		return isakmp_fail(err, ISAKMP_N_DOI_NOT_SUPPORTED, ISAKMP_NP_N, 0,
				   "Notification DOI is neither ISAKMP nor IPsec");
	/* Protocol 0 is seen in notifies sent before any SA exists. */
	if (n->protocol > ISAKMP_PROTO_IPCOMP)
		return isakmp_fail(err, ISAKMP_N_INVALID_PROTOCOL_ID, ISAKMP_NP_N, 4,
				   "unknown Notification protocol");
	if (n->spi_size > ISAKMP_SPI_MAX_LEN)
		return isakmp_fail(err, ISAKMP_N_INVALID_SPI, ISAKMP_NP_N, 5,
				   "Notification SPI size above 16");
	if (n->spi_size > len - fixed)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_N, 5,
				   "Notification SPI exceeds the payload");
	if (n->type == 0)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_N, 6,
				   "Notify message type 0 is reserved");
	n->spi = body + fixed;
	if (n->spi_size == 4)
		n->spi32 = isakmp_get32(n->spi);
	n->data = n->spi + n->spi_size;
	n->data_len = len - fixed - n->spi_size;
	return 0;
}

int isakmp_delete_body_decode(const uint8_t *body, size_t len, struct isakmp_delete *d,
			      struct isakmp_err *err)
{
	const size_t fixed = ISAKMP_DELETE_MIN_LEN - ISAKMP_GEN_LEN;
	bool size_ok;

	memset(d, 0, sizeof(*d));
	if (len < fixed)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_D, 0,
				   "Delete payload too short for its fixed fields");
	d->doi = isakmp_get32(body);
	d->protocol = body[4];
	d->spi_size = body[5];
	d->nspis = isakmp_get16(body + 6);
	d->spis = body + fixed;
	if (d->doi != ISAKMP_DOI_ISAKMP && d->doi != ISAKMP_DOI_IPSEC)
		return isakmp_fail(err, ISAKMP_N_DOI_NOT_SUPPORTED, ISAKMP_NP_D, 0,
				   "Delete DOI is neither ISAKMP nor IPsec");
	/* RFC 2408 s3.15: ISAKMP SA = CKY-I|CKY-R (16), AH/ESP = 4; IPCOMP CPI. */
	switch (d->protocol) {
	case ISAKMP_PROTO_ISAKMP:
		size_ok = d->spi_size == 16;
		break;
	case ISAKMP_PROTO_AH:
	case ISAKMP_PROTO_ESP:
		size_ok = d->spi_size == 4;
		break;
	case ISAKMP_PROTO_IPCOMP:
		size_ok = d->spi_size == 2 || d->spi_size == 4;
		break;
	default:
		return isakmp_fail(err, ISAKMP_N_INVALID_PROTOCOL_ID, ISAKMP_NP_D, 4,
				   "unknown Delete protocol");
	}
	if (!size_ok)
		return isakmp_fail(err, ISAKMP_N_INVALID_SPI, ISAKMP_NP_D, 5,
				   "Delete SPI size does not fit the protocol");
	if (d->nspis == 0)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_D, 6,
				   "Delete payload without SPIs");
	/* Cross-field agreement: #SPIs x SPI size is exactly the rest. */
	if ((size_t)d->nspis * d->spi_size != len - fixed)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_D, 6,
				   "number of SPIs x SPI size disagrees with the payload length");
	return 0;
}
