// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target for the NAT-T entry points that see peer bytes: UDP 4500 and
 * draft port-500 demultiplexing, marker strip/prepend, and NAT-D detection
 * with hostile payload counts and lengths. Invariants are checked with
 * abort() so the replay driver and libFuzzer both report violations.
 *
 * Input layout for the NAT-D part: byte 0 = hash selector, byte 1 = number
 * of NAT-D payloads, then per payload one length byte and that many bytes
 * (truncated at the end of the input).
 */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "natt/framing.h"
#include "natt/natd.h"
#include "tests/fuzz/fuzz.h"

static void check_framing(const uint8_t *data, size_t size)
{
	static uint8_t out[70000];
	enum natt_frame_kind k = natt_frame_classify(data, size);
	const uint8_t *ike;
	size_t ike_len;
	int strip = natt_marker_strip(data, size, &ike, &ike_len);

	/* IKE on 4500 iff the marker can be stripped. */
	if ((k == NATT_FRAME_IKE) != (strip == 0))
		abort();
	if (strip == 0) {
		ssize_t n;

		if (ike != data + NATT_NON_ESP_MARKER_LEN ||
		    ike_len + NATT_NON_ESP_MARKER_LEN != size)
			abort();
		n = natt_marker_prepend(out, sizeof(out), ike, ike_len);
		if (n != (ssize_t)size || memcmp(out, data, size) != 0)
			abort();
	}
	if (k == NATT_FRAME_KEEPALIVE && (size != 1 || data[0] != 0xff))
		abort();
	k = natt_frame_classify_500(data, size);
	if (k == NATT_FRAME_KEEPALIVE)
		abort();
	(void)natt_frame_kind_name(k);
}

static void check_natd(const uint8_t *data, size_t size)
{
	static const uint8_t ci[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, cr[8] = { 9 };
	const EVP_MD *mds[] = { EVP_md5(), EVP_sha1(), EVP_sha256(), EVP_sha384(), EVP_sha512() };
	struct natt_natd_in in[NATT_NATD_MAX + 4];
	struct natt_natd_result res;
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(500) };
	struct sockaddr_in peer = { .sin_family = AF_INET, .sin_port = htons(4500) };
	const struct sockaddr *locals[] = { (const struct sockaddr *)&me };
	size_t n, pos = 2;

	if (size < 2)
		return;
	n = data[1] % (NATT_NATD_MAX + 4);
	for (size_t i = 0; i < n; i++) {
		size_t len = pos < size ? data[pos++] : 0;

		if (len > size - pos)
			len = size - pos;
		in[i] = (struct natt_natd_in){ data + pos, len };
		pos += len;
	}
	me.sin_addr.s_addr = htonl(0xc6336401);	  /* 198.51.100.1 */
	peer.sin_addr.s_addr = htonl(0xcb007105); /* 203.0.113.5 */
	if (natt_natd_detect(mds[data[0] % 5], ci, cr, locals, 1, (const struct sockaddr *)&peer,
			     in, n, &res) != 0)
		abort();
	if (res.status != NATT_NATD_OK && res.status != NATT_NATD_NO_PEER_HASH &&
	    (res.we_behind_nat || res.peer_behind_nat))
		abort();
	if ((n == 0) != (res.status == NATT_NATD_ABSENT))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_framing(data, size);
	check_natd(data, size);
	return 0;
}
