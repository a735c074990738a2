// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target for the STUN decoder (natt/stun.c): the input is one datagram.
 * Invariants, checked with abort() so the replay driver (make check) and
 * libFuzzer both report a violation:
 *  - a decoded message is rebuilt attribute by attribute with the builder;
 *    when every padding byte of the input was zero the result is the input,
 *    byte for byte, and in any case it decodes to the same values;
 *  - each decoded address re-encoded alone decodes to the same address;
 *  - the integrity and fingerprint checks run on whatever was decoded.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "natt/stun.h"
#include "tests/fuzz/fuzz.h"

static uint8_t out[STUN_MSG_MAX];

static void same_values(const struct stun_msg *a, const struct stun_msg *b)
{
	if (a->method != b->method || a->cls != b->cls || memcmp(a->tid, b->tid, STUN_TID_LEN) ||
	    a->len != b->len || a->has_xor_mapped != b->has_xor_mapped ||
	    a->has_mapped != b->has_mapped || a->has_other != b->has_other ||
	    a->has_origin != b->has_origin ||
	    memcmp(&a->xor_mapped, &b->xor_mapped, sizeof(a->xor_mapped)) ||
	    memcmp(&a->mapped, &b->mapped, sizeof(a->mapped)) ||
	    memcmp(&a->other, &b->other, sizeof(a->other)) ||
	    memcmp(&a->origin, &b->origin, sizeof(a->origin)) || a->has_change != b->has_change ||
	    a->change != b->change || a->has_response_port != b->has_response_port ||
	    a->response_port != b->response_port || a->has_error != b->has_error ||
	    a->error_code != b->error_code || a->reason_len != b->reason_len ||
	    a->software_len != b->software_len || a->username_len != b->username_len ||
	    a->has_integrity != b->has_integrity || a->integrity_off != b->integrity_off ||
	    a->has_fingerprint != b->has_fingerprint || a->fingerprint_off != b->fingerprint_off ||
	    a->n_unknown != b->n_unknown || a->n_attrs != b->n_attrs ||
	    memcmp(a->unknown, b->unknown, sizeof(a->unknown)))
		abort();
}

static void addr_round_trip(const struct stun_msg *m, uint16_t type,
			    const struct sockaddr_storage *ss)
{
	struct stun_builder b;
	struct stun_msg m2;
	int n;

	stun_build_start(&b, out, sizeof(out), m->method, m->cls, m->tid);
	stun_build_address(&b, type, (const struct sockaddr *)ss);
	n = stun_build_finish(&b);
	if (n < 0 || stun_decode(out, (size_t)n, &m2) != 0)
		abort();
	if (type == STUN_ATTR_XOR_MAPPED_ADDRESS &&
	    (!m2.has_xor_mapped || memcmp(&m2.xor_mapped, ss, sizeof(*ss))))
		abort();
	if (type == STUN_ATTR_MAPPED_ADDRESS &&
	    (!m2.has_mapped || memcmp(&m2.mapped, ss, sizeof(*ss))))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stun_builder b;
	struct stun_attr a;
	struct stun_msg m, m2;
	size_t pos = STUN_HDR_LEN;
	bool zero_pad = true;
	int rc, n;

	rc = stun_decode(data, size, &m);
	if (rc != 0) {
		if (rc != -EBADMSG && rc != -EPROTO)
			abort();
		return 0;
	}
	if (!stun_is_stun(data, size) || m.len != size)
		abort();
	if (m.has_integrity && (m.integrity_off + 24 > size || m.integrity_off < STUN_HDR_LEN))
		abort();
	if (m.has_fingerprint && m.fingerprint_off + 8 != size)
		abort();
	(void)stun_check_fingerprint(data, &m);
	rc = stun_check_integrity(data, &m, (const uint8_t *)"fuzz", 4);
	if (rc != 0 && rc != -EBADMSG && rc != -ENOENT)
		abort();

	stun_build_start(&b, out, sizeof(out), m.method, m.cls, m.tid);
	while ((rc = stun_attr_next(data, size, &pos, &a)) > 0) {
		for (size_t i = a.len; i < ((a.len + 3u) & ~3u); i++)
			if (a.val[i])
				zero_pad = false;
		stun_build_attr(&b, a.type, a.val, a.len);
	}
	if (rc != 0)
		abort(); /* stun_decode() walked the same list */
	n = stun_build_finish(&b);
	if (n != (int)size)
		abort();
	if (zero_pad && memcmp(out, data, size))
		abort();
	if (stun_decode(out, (size_t)n, &m2) != 0)
		abort();
	same_values(&m, &m2);

	if (m.has_xor_mapped)
		addr_round_trip(&m, STUN_ATTR_XOR_MAPPED_ADDRESS, &m.xor_mapped);
	if (m.has_mapped)
		addr_round_trip(&m, STUN_ATTR_MAPPED_ADDRESS, &m.mapped);
	return 0;
}
