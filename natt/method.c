// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NAT-T method table. The VIDs are the MD5 of the strings in the
 * names (tests/natt/check_natt_method.c recomputes them with OpenSSL and
 * tests/vectors/natt_vectors.py with hashlib), kept as constants so the
 * daemon does no hashing to recognise a VID.
 */
#include "natt/method.h"

#include <errno.h>
#include <string.h>

/*
 * One row per method (docs/requirements.md NT-a..NT-f, RFC 3947 s3.1, s3.2, s5.1,
 * s5.2, s9): NAT-D and NAT-OA payload types, UDP-Encapsulated-Tunnel and
 * -Transport values, floats to 4500, ESP-in-UDP framing, NAT-OA count.
 * -00..-03 use the private-use payload numbers 130/131 and 61443/61444;
 * -04..-08 use 15/16 (which collide with RFC 3547 GDOI) and 3/4; -00/-01
 * do not float and put ESP in UDP 500 behind the 8-byte non-IKE marker;
 * up to -04 one NAT-OA is sent, -05 introduced the NAT-OAi/NAT-OAr pair.
 */
#define ROW(m, n, natd, natoa, tun, trans, fl, enc, oa, ...)                                       \
	[m] = { .method = (m),                                                                     \
		.name = (n),                                                                       \
		.vid = { __VA_ARGS__ },                                                            \
		.natd_payload = (natd),                                                            \
		.natoa_payload = (natoa),                                                          \
		.encap_udp_tunnel = (tun),                                                         \
		.encap_udp_transport = (trans),                                                    \
		.floats = (fl),                                                                    \
		.udp_encap = NATT_UDP_ENCAP_##enc,                                                 \
		.natoa_count = (oa) }

/* Indexed by enum natt_method; row 0 (NONE) is unused. The VIDs are the MD5
 * of the names; draft -01 prints the -00 value but everyone uses MD5 of the
 * -01 name, and the value printed in -02 is MD5 of the name plus "\n"
 * (docs/requirements.md NT-h). */
/* clang-format off */
static const struct natt_method_info methods[NATT_METHOD_COUNT] = {
	ROW(NATT_METHOD_DRAFT_00, "draft-ietf-ipsec-nat-t-ike-00", 130, 131, 61443, 61444, false, NON_IKE, 1,
	    0x44, 0x85, 0x15, 0x2d, 0x18, 0xb6, 0xbb, 0xcd, 0x0b, 0xe8, 0xa8, 0x46, 0x95, 0x79, 0xdd, 0xcc),
	ROW(NATT_METHOD_DRAFT_01, "draft-ietf-ipsec-nat-t-ike-01", 130, 131, 61443, 61444, false, NON_IKE, 1,
	    0x16, 0xf6, 0xca, 0x16, 0xe4, 0xa4, 0x06, 0x6d, 0x83, 0x82, 0x1a, 0x0f, 0x0a, 0xea, 0xa8, 0x62),
	ROW(NATT_METHOD_DRAFT_02N, "draft-ietf-ipsec-nat-t-ike-02\\n", 130, 131, 61443, 61444, true, NON_ESP, 1,
	    0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e, 0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f),
	ROW(NATT_METHOD_DRAFT_02, "draft-ietf-ipsec-nat-t-ike-02", 130, 131, 61443, 61444, true, NON_ESP, 1,
	    0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf, 0x21, 0xf8, 0x7c, 0xfd, 0xb2, 0xfc, 0x68, 0xb6, 0xa4, 0x48),
	ROW(NATT_METHOD_DRAFT_03, "draft-ietf-ipsec-nat-t-ike-03", 130, 131, 61443, 61444, true, NON_ESP, 1,
	    0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10, 0xca, 0x6f, 0x2c, 0x17, 0x9d, 0x92, 0x15, 0x52, 0x9d, 0x56),
	ROW(NATT_METHOD_DRAFT_04, "draft-ietf-ipsec-nat-t-ike-04", 15, 16, 3, 4, true, NON_ESP, 1,
	    0x99, 0x09, 0xb6, 0x4e, 0xed, 0x93, 0x7c, 0x65, 0x73, 0xde, 0x52, 0xac, 0xe9, 0x52, 0xfa, 0x6b),
	ROW(NATT_METHOD_DRAFT_05, "draft-ietf-ipsec-nat-t-ike-05", 15, 16, 3, 4, true, NON_ESP, 2,
	    0x80, 0xd0, 0xbb, 0x3d, 0xef, 0x54, 0x56, 0x5e, 0xe8, 0x46, 0x45, 0xd4, 0xc8, 0x5c, 0xe3, 0xee),
	ROW(NATT_METHOD_DRAFT_06, "draft-ietf-ipsec-nat-t-ike-06", 15, 16, 3, 4, true, NON_ESP, 2,
	    0x4d, 0x1e, 0x0e, 0x13, 0x6d, 0xea, 0xfa, 0x34, 0xc4, 0xf3, 0xea, 0x9f, 0x02, 0xec, 0x72, 0x85),
	ROW(NATT_METHOD_DRAFT_07, "draft-ietf-ipsec-nat-t-ike-07", 15, 16, 3, 4, true, NON_ESP, 2,
	    0x43, 0x9b, 0x59, 0xf8, 0xba, 0x67, 0x6c, 0x4c, 0x77, 0x37, 0xae, 0x22, 0xea, 0xb8, 0xf5, 0x82),
	ROW(NATT_METHOD_DRAFT_08, "draft-ietf-ipsec-nat-t-ike-08", 15, 16, 3, 4, true, NON_ESP, 2,
	    0x8f, 0x8d, 0x83, 0x82, 0x6d, 0x24, 0x6b, 0x6f, 0xc7, 0xa8, 0xa6, 0xa4, 0x28, 0xc1, 0x1d, 0xe8),
	ROW(NATT_METHOD_RFC3947, "RFC 3947", 20, 21, 3, 4, true, NON_ESP, 2,
	    0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45, 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f),
};
/* clang-format on */

/* MD5("draft-ietf-ipsec-nat-t-ike"). */
static const uint8_t vid_unversioned[NATT_VID_LEN] = { 0x4d, 0xf3, 0x79, 0x28, 0xe9, 0xfc,
						       0x4f, 0xd1, 0xb3, 0x26, 0x21, 0x70,
						       0xd5, 0x15, 0xc6, 0x62 };

static bool method_valid(enum natt_method m)
{
	return m > NATT_METHOD_NONE && m < NATT_METHOD_COUNT;
}

const struct natt_method_info *natt_method_info(enum natt_method m)
{
	return method_valid(m) ? &methods[m] : NULL;
}

const char *natt_method_name(enum natt_method m)
{
	return method_valid(m) ? methods[m].name : "none";
}

enum natt_method natt_vid_lookup(const uint8_t *vid, size_t len)
{
	if (vid == NULL || len != NATT_VID_LEN)
		return NATT_METHOD_NONE;
	for (int m = NATT_METHOD_NONE + 1; m < NATT_METHOD_COUNT; m++)
		if (memcmp(methods[m].vid, vid, NATT_VID_LEN) == 0)
			return (enum natt_method)m;
	return NATT_METHOD_NONE;
}

bool natt_vid_is_unversioned(const uint8_t *vid, size_t len)
{
	return vid != NULL && len == NATT_VID_LEN &&
	       memcmp(vid, vid_unversioned, NATT_VID_LEN) == 0;
}

enum natt_method natt_method_choose(natt_method_set allowed, natt_method_set peer)
{
	natt_method_set common = allowed & peer & NATT_METHODS_ALL;

	/* The enum is ordered by preference: take the highest common bit. */
	for (int m = NATT_METHOD_COUNT - 1; m > NATT_METHOD_NONE; m--)
		if (common & NATT_METHOD_BIT(m))
			return (enum natt_method)m;
	return NATT_METHOD_NONE;
}

int natt_vids_to_send(natt_method_set offer, const struct natt_method_info **out, size_t cap)
{
	size_t n = 0;

	for (int m = NATT_METHOD_COUNT - 1; m > NATT_METHOD_NONE; m--) {
		if (!(offer & NATT_METHOD_BIT(m)))
			continue;
		if (n == cap)
			return -ENOSPC;
		out[n++] = &methods[m];
	}
	return (int)n;
}

const struct natt_method_info *natt_vid_to_echo(natt_method_set allowed, natt_method_set peer)
{
	return natt_method_info(natt_method_choose(allowed, peer));
}
