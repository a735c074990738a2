// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: data attribute lists (isakmp_attrs_check + iterator). The
 * first byte selects the attribute space (Phase 1, Phase 2, Mode Config).
 * An accepted list must iterate to exactly its end (a Mode Config list
 * to the start of its zero padding, at most 3 bytes).
 */
#include <stdlib.h>

#include "ike/wire/isakmp_decode.h"
#include "ike/wire/isakmp_names.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct isakmp_attr_iter it;
	struct isakmp_attr a;
	struct isakmp_err err;
	enum isakmp_attr_space space;
	size_t consumed = 0;
	uint64_t v;
	size_t pad = 0;

	if (size < 1)
		return 0;
	space = (enum isakmp_attr_space)(data[0] % 3);
	if ((space == ISAKMP_ATTRS_CFG ? isakmp_cfg_attrs_check(data + 1, size - 1, &pad, &err)
				       : isakmp_attrs_check(data + 1, size - 1, space, &err)) < 0) {
		if (!err.reason || err.offset > size - 1)
			abort();
		return 0;
	}
	if (pad > 3)
		abort();
	isakmp_attr_iter_init(&it, data + 1, size - 1 - pad);
	while (isakmp_attr_next(&it, &a)) {
		consumed += 4 + (a.tv ? 0 : a.len);
		(void)isakmp_attr_uint(&a, &v);
		(void)isakmp_attr_name(space, a.type);
		(void)isakmp_attr_value_name(space, a.type, a.value);
	}
	if (consumed + pad != size - 1)
		abort();
	return 0;
}
