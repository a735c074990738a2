// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Identification payload (RFC 2407 s4.6.2) and NAT-OA payload (RFC 3947
 * s5.2, drafts -00..-08 as types 131 and 16), which reuses its ID types.
 */
#include <string.h>

#include "ike/wire/isakmp_decode.h"
#include "ike/wire/isakmp_wire.h"

/* Required identification data length for the address forms, 0 = variable. */
static size_t id_data_len(uint8_t type)
{
	switch (type) {
	case ISAKMP_ID_IPV4_ADDR:
		return 4;
	case ISAKMP_ID_IPV4_ADDR_SUBNET:
	case ISAKMP_ID_IPV4_ADDR_RANGE:
		return 8;
	case ISAKMP_ID_IPV6_ADDR:
		return 16;
	case ISAKMP_ID_IPV6_ADDR_SUBNET:
	case ISAKMP_ID_IPV6_ADDR_RANGE:
		return 32;
	default:
		return 0;
	}
}

int isakmp_id_decode(const uint8_t *body, size_t len, struct isakmp_id *id, struct isakmp_err *err)
{
	const size_t fixed = ISAKMP_ID_MIN_LEN - ISAKMP_GEN_LEN;
	size_t want;

	memset(id, 0, sizeof(*id));
	if (len < fixed)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_ID, 0,
				   "ID payload too short for type, protocol and port");
	id->type = body[0];
	id->protocol = body[1];
	id->port = isakmp_get16(body + 2);
	id->data = body + fixed;
	id->len = len - fixed;
	id->body = body;
	id->body_len = len;
	if (id->type < ISAKMP_ID_IPV4_ADDR || id->type > ISAKMP_ID_KEY_ID)
		return isakmp_fail(err, ISAKMP_N_INVALID_ID_INFORMATION, ISAKMP_NP_ID, 0,
				   "unknown identification type");
	want = id_data_len(id->type);
	if (want && id->len != want)
		return isakmp_fail(err, ISAKMP_N_INVALID_ID_INFORMATION, ISAKMP_NP_ID, fixed,
				   "address length does not match the identification type");
	if (!want && id->len == 0)
		return isakmp_fail(err, ISAKMP_N_INVALID_ID_INFORMATION, ISAKMP_NP_ID, fixed,
				   "empty identification data");
	return 0;
}

int isakmp_natoa_decode(const uint8_t *body, size_t len, struct isakmp_id *id,
			struct isakmp_err *err)
{
	const size_t fixed = ISAKMP_NATOA_MIN_LEN - ISAKMP_GEN_LEN;

	memset(id, 0, sizeof(*id));
	if (len < fixed)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_NATOA, 0,
				   "NAT-OA payload too short for its ID type");
	id->type = body[0];
	/* RFC 3947 s5.2 says the reserved octets are zero; some Android clients
	 * set them, and nothing depends on them, so they are only reported. */
	id->protocol = body[1];
	id->port = isakmp_get16(body + 2);
	id->data = body + fixed;
	id->len = len - fixed;
	id->body = body;
	id->body_len = len;
	if (id->type != ISAKMP_ID_IPV4_ADDR && id->type != ISAKMP_ID_IPV6_ADDR)
		return isakmp_fail(err, ISAKMP_N_INVALID_ID_INFORMATION, ISAKMP_NP_NATOA, 0,
				   "NAT-OA ID type is neither ID_IPV4_ADDR nor ID_IPV6_ADDR");
	if (id->len != id_data_len(id->type))
		return isakmp_fail(err, ISAKMP_N_INVALID_ID_INFORMATION, ISAKMP_NP_NATOA, fixed,
				   "NAT-OA address length does not match its ID type");
	return 0;
}
