// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: whole-message decode (isakmp_msg_decode), and the same bytes
 * as a decrypted body (isakmp_body_decode, first byte = first payload type).
 * Every view a successful decode returns is walked to the end, and a
 * decoded plaintext message re-encoded from its fields alone must give back
 * the same bytes (the encoder is fuzzed through the decoder's output).
 */
#include <stdlib.h>
#include <string.h>

#include "ike/wire/isakmp_decode.h"
#include "tests/lib/isakmp_reencode.h"
#include "tests/fuzz/fuzz.h"

static void walk(const struct isakmp_msg *m, const uint8_t *buf, size_t len)
{
	unsigned i;

	if (m->npayloads > ISAKMP_MAX_PAYLOADS)
		abort();
	for (i = 0; i < m->npayloads; i++) {
		const struct isakmp_payload *pl = &m->payloads[i];
		struct isakmp_prop_iter pi;
		struct isakmp_proposal p;

		if (pl->raw < buf || pl->raw + pl->raw_len > buf + len)
			abort();
		if (pl->type != ISAKMP_NP_SA)
			continue;
		isakmp_prop_iter_init(&pi, &pl->u.sa);
		while (isakmp_prop_next(&pi, &p)) {
			struct isakmp_xform_iter xi;
			struct isakmp_transform t;

			isakmp_xform_iter_init(&xi, &p);
			while (isakmp_xform_next(&xi, &t)) {
				struct isakmp_attr_iter ai;
				struct isakmp_attr a;
				uint64_t v;

				isakmp_attr_iter_init(&ai, t.attrs, t.attrs_len);
				while (isakmp_attr_next(&ai, &a))
					(void)isakmp_attr_uint(&a, &v);
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct isakmp_msg msg;
	struct isakmp_err err;
	static uint8_t again[ISAKMP_MAX_MSG_LEN];

	if (isakmp_msg_decode(data, size, &msg, &err) == 0) {
		walk(&msg, data, size);
		if (!msg.encrypted && isakmp_test_reencode_exact(&msg) &&
		    (isakmp_test_reencode(&msg, again, sizeof(again)) != (ssize_t)size ||
		     memcmp(again, data, size) != 0))
			abort(); /* decode and encode disagree */
		if (msg.encrypted &&
		    isakmp_body_decode(msg.hdr.np, msg.body, msg.body_len, &msg, &err) == 0)
			walk(&msg, msg.body, msg.body_len);
	} else if (!err.reason) {
		abort(); /* every rejection names its reason */
	}
	if (size > 1 && isakmp_body_decode(data[0], data + 1, size - 1, &msg, &err) == 0)
		walk(&msg, data + 1, size - 1);
	return 0;
}
