// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz the control protocol: request parsing (an accepted request must
 * serialise back to exactly the input), response header parsing, and the
 * JSON string escaper (its output must be well-formed JSON text: checked by
 * a small validator of RFC 8259 string syntax), and the human status text
 * (nothing but printable ASCII and newlines, whatever the names and IDs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "tools/ctl/ctl_proto.h"

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

/* The human status text with the input as every field that comes from a
 * configuration file or a peer (names, addresses, the peer's ID, the last
 * error): only printable ASCII and newlines may come out. */
static int status_text_unsafe(const uint8_t *data, size_t size)
{
	static char text[65536];
	char s[4097];
	struct ctl_ike_sa_view ike;
	struct ctl_child_sa_view ch;
	struct ctl_conn_view c;
	struct ctl_status_view st;
	ssize_t n;

	memcpy(s, data, size);
	s[size] = '\0';
	memset(&ike, 0, sizeof(ike));
	memset(&ch, 0, sizeof(ch));
	memset(&c, 0, sizeof(c));
	memset(&st, 0, sizeof(st));
	ike = (struct ctl_ike_sa_view){ .serial = 1,
					.state = "MAIN_R3",
					.established = true,
					.exchange = "main",
					.local = { s, 500 },
					.remote = { s, 4500 },
					.remote_id = s,
					.nat_method = "rfc3947",
					.remote_behind_nat = true,
					.proposal = "aes128-sha256-modp2048" };
	ch = (struct ctl_child_sa_view){ .ike_serial = size & 1,
					 .mode = "tunnel",
					 .local = { s, 1 },
					 .remote = { s, 2 },
					 .proposal = "aes128-sha1" };
	c = (struct ctl_conn_view){ .name = s,
				    .state = "up",
				    .autostart = "add",
				    .local_addr = s,
				    .remote_addr = s,
				    .ike_sas = &ike,
				    .n_ike_sas = size & 2 ? 1 : 0,
				    .child_sas = &ch,
				    .n_child_sas = 1,
				    .truncated = size & 4,
				    .last_error = s };
	st.conns = &c;
	st.n_conns = 1;
	n = ctl_status_write_text(&st, text, sizeof(text));
	if (n < 0 || (size_t)n != strlen(text))
		return 1;
	for (ssize_t i = 0; i < n; i++)
		if (text[i] != '\n' && (text[i] < 0x20 || text[i] > 0x7e))
			return 1;
	return 0;
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
	if (size <= 4096 && status_text_unsafe(data, size)) {
		fprintf(stderr, "status text lets a control or non-ASCII byte through\n");
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
