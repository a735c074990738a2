// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the control protocol: request parsing (an accepted request must
 * serialise back to exactly the input), response header parsing, and the
 * JSON string escaper (its output must be well-formed JSON text: checked by
 * a small validator of RFC 8259 string syntax).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "tools/ctl_proto.h"

/* RFC 8259 s7 string grammar plus UTF-8 well-formedness of raw bytes. */
static int json_string_valid(const unsigned char *s, size_t n)
{
	size_t i = 1;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return 0;
	while (i < n - 1) {
		unsigned char c = s[i];

		if (c < 0x20 || c == '"')
			return 0;
		if (c == '\\') {
			if (i + 1 >= n - 1)
				return 0;
			c = s[i + 1];
			if (c == 'u') {
				size_t k;

				if (i + 6 > n - 1)
					return 0;
				for (k = 2; k < 6; k++)
					if (!strchr("0123456789abcdefABCDEF", s[i + k]) ||
					    !s[i + k])
						return 0;
				i += 6;
				continue;
			}
			if (!strchr("\"\\/bfnrt", c) || !c)
				return 0;
			i += 2;
			continue;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		/* Multi-byte: lead byte and continuation count. */
		{
			size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2, k;

			if (c < 0xc2 || c > 0xf4 || i + len > n - 1)
				return 0;
			for (k = 1; k < len; k++)
				if ((s[i + k] & 0xc0) != 0x80)
					return 0;
			i += len;
		}
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_request req;
	char out[CTL_REQUEST_MAX];
	static char json[8 * 65536 + 16];
	struct ctl_json j;
	enum ctl_code code;
	size_t body, hl;
	ssize_t n;

	if (ctl_request_parse((const char *)data, size, &req) == CTL_OK) {
		n = ctl_request_format(&req, out, sizeof(out));
		if (n < 0 || (size_t)n != size || memcmp(out, data, size)) {
			fprintf(stderr, "accepted request does not serialise back\n");
			abort();
		}
	}
	if (ctl_response_header_parse((const char *)data, size, &code, &body, &hl) == CTL_OK) {
		if (hl > size || body > CTL_BODY_MAX)
			abort();
		n = ctl_response_header_format(out, sizeof(out), code, body);
		if (n != (ssize_t)hl || memcmp(out, data, hl))
			abort();
	}
	if (size <= 65536) {
		ctl_json_init(&j, json, sizeof(json));
		ctl_json_string_len(&j, (const char *)data, size);
		n = ctl_json_finish(&j);
		if (n < 0 || !json_string_valid((const unsigned char *)json, (size_t)n)) {
			fprintf(stderr, "escaper produced invalid JSON\n");
			abort();
		}
	}
	return 0;
}
