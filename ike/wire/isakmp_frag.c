// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKEv1 fragments: split, decode, reassemble (isakmp_frag.h). The
 * reassembler sits in ike/wire rather than in the engine because it only
 * ever looks at bytes: it needs no keys, no SA and no configuration, so it
 * links into the fuzzer with the codec alone. The engine (ike/ikev1_frag.c)
 * decides when to use it.
 */
#include "ike/wire/isakmp_frag.h"

#include <errno.h>
#include <string.h>

#include "ike/wire/isakmp_encode.h"
#include "ike/wire/isakmp_wire.h"

const uint8_t isakmp_frag_vid[ISAKMP_FRAG_VID_LEN] = {
	0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85,
	0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3,
};

bool isakmp_frag_vid_match(const uint8_t *body, size_t len)
{
	if (len < ISAKMP_FRAG_VID_LEN || memcmp(body, isakmp_frag_vid, ISAKMP_FRAG_VID_LEN) != 0)
		return false;
	/* The capability word, as racoon reads it: 0x80000000 = Main and
	 * Aggressive Mode messages, 0x40000000 = base ISAKMP messages only
	 * (Cisco sends both). Without it (Windows, Libreswan): Phase 1. */
	if (len == ISAKMP_FRAG_VID_LEN)
		return true;
	return len == ISAKMP_FRAG_VID_LEN + 4 &&
	       (isakmp_get32(body + ISAKMP_FRAG_VID_LEN) & ISAKMP_FRAG_CAP_IKE);
}

unsigned isakmp_frag_count(size_t msg_len, size_t frag_max)
{
	size_t room, n;

	if (frag_max <= ISAKMP_FRAG_OVERHEAD || msg_len == 0)
		return 0;
	room = frag_max - ISAKMP_FRAG_OVERHEAD;
	n = (msg_len + room - 1) / room;
	return n > ISAKMP_FRAG_MAX_FRAGS ? 0 : (unsigned)n;
}

ssize_t isakmp_frag_build(const uint8_t *msg, size_t msg_len, size_t frag_max, uint16_t frag_id,
			  unsigned number, uint8_t *out, size_t cap)
{
	unsigned count = isakmp_frag_count(msg_len, frag_max);
	size_t room, at, n;
	struct isakmp_enc e;
	struct isakmp_hdr h;

	if (msg_len < ISAKMP_HDR_LEN || count == 0 || number == 0 || number > count)
		return -EINVAL;
	room = frag_max - ISAKMP_FRAG_OVERHEAD;
	at = (number - 1) * room;
	n = msg_len - at < room ? msg_len - at : room;
	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, msg, ISAKMP_COOKIE_LEN);
	memcpy(h.rcookie, msg + ISAKMP_COOKIE_LEN, ISAKMP_COOKIE_LEN);
	/* Phase 1's exchange type and Message ID 0 for every fragment, also of
	 * a Quick Mode or Informational message (as strongSwan): Libreswan
	 * looks a fragment's state up by its header, and only the IKE SA's is
	 * sure to exist. Flags stay clear: E, C and A belong to the original
	 * header, inside the first slice. */
	h.exchange = msg[18] == ISAKMP_XCHG_AGGR ? ISAKMP_XCHG_AGGR : ISAKMP_XCHG_IDPROT;
	isakmp_enc_init(&e, out, cap);
	isakmp_enc_hdr(&e, &h);
	isakmp_enc_frag(&e, frag_id, (uint8_t)number, number == count ? ISAKMP_FRAG_LAST : 0,
			msg + at, n);
	return isakmp_enc_finish(&e);
}

bool isakmp_frag_is_fragment(const uint8_t *buf, size_t len)
{
	/* The header's Next Payload names the first payload (RFC 2408 s3.1). */
	return len >= ISAKMP_HDR_LEN && buf[16] == ISAKMP_NP_FRAG;
}

int isakmp_frag_decode(const uint8_t *buf, size_t len, struct isakmp_hdr *hdr,
		       struct isakmp_frag *f, struct isakmp_err *err)
{
	const uint8_t *b = buf + ISAKMP_HDR_LEN;
	struct isakmp_payload pl;
	const char *why;
	size_t plen;

	if (isakmp_hdr_decode(buf, len, hdr, err) < 0)
		return -EBADMSG;
	if (hdr->np != ISAKMP_NP_FRAG)
		return isakmp_fail(err, ISAKMP_N_INVALID_PAYLOAD_TYPE, 0, 16,
				   "not a fragment: first payload is not type 132");
	if (hdr->flags & ISAKMP_FLAG_E)
		return isakmp_fail(err, ISAKMP_N_INVALID_FLAGS, 0, 19,
				   "fragment message with the E flag set");
	/* The four checks on the one payload: room for its generic header,
	 * declared length >= the fixed part, == the bytes left (nothing may
	 * follow), and Next Payload NONE. */
	if (len - ISAKMP_HDR_LEN < ISAKMP_GEN_LEN)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_FRAG, ISAKMP_HDR_LEN,
				   "fragment message without a payload");
	plen = isakmp_get16(b + 2);
	if (plen < ISAKMP_FRAG_MIN_LEN)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_FRAG,
				   ISAKMP_HDR_LEN + 2, "Fragment payload too short");
	if (plen != len - ISAKMP_HDR_LEN)
		return isakmp_fail(err, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, ISAKMP_NP_FRAG,
				   ISAKMP_HDR_LEN + 2,
				   "Fragment payload length is not the rest of the message");
	if (b[0] != ISAKMP_NP_NONE || b[1] != 0)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_FRAG, ISAKMP_HDR_LEN,
				   "fragment message with other payloads");
	memset(&pl, 0, sizeof(pl));
	pl.type = ISAKMP_NP_FRAG;
	pl.raw = b;
	pl.raw_len = plen;
	pl.body = b + ISAKMP_GEN_LEN;
	pl.body_len = plen - ISAKMP_GEN_LEN;
	pl.offset = ISAKMP_HDR_LEN;
	if (isakmp_fail_shift(err, ISAKMP_HDR_LEN + ISAKMP_GEN_LEN,
			      isakmp_payload_decode(ISAKMP_NP_FRAG, &pl, err)) < 0)
		return -EBADMSG;
	*f = pl.u.frag;
	why = isakmp_reasm_check(f);
	if (why)
		return isakmp_fail(err, ISAKMP_N_PAYLOAD_MALFORMED, ISAKMP_NP_FRAG,
				   ISAKMP_HDR_LEN + 6, why);
	return 0;
}

void isakmp_reasm_init(struct isakmp_reasm *r)
{
	/* Only the bookkeeping: the slices are dead once 'active' is false. */
	r->active = false;
	r->id = 0;
	r->last = 0;
	r->have = 0;
	r->started_ms = 0;
	r->used = 0;
}

const char *isakmp_reasm_check(const struct isakmp_frag *f)
{
	if (f->number == 0)
		return "fragment number 0";
	if (f->number > ISAKMP_FRAG_MAX_FRAGS)
		return "fragment number above 16";
	if (f->len == 0)
		return "empty fragment";
	if (f->len > ISAKMP_REASM_MAX_LEN)
		return "fragment larger than a whole message may be";
	return NULL;
}

bool isakmp_reasm_expired(const struct isakmp_reasm *r, uint64_t now_ms)
{
	return r->active && now_ms - r->started_ms > ISAKMP_REASM_TIMEOUT_MS;
}

static enum isakmp_reasm_result abandon(struct isakmp_reasm *r, const char **why, const char *text)
{
	isakmp_reasm_init(r);
	if (why)
		*why = text;
	return ISAKMP_REASM_ABANDONED;
}

enum isakmp_reasm_result isakmp_reasm_add(struct isakmp_reasm *r, const struct isakmp_frag *f,
					  uint64_t now_ms, uint8_t *out, size_t cap,
					  size_t *out_len, const char **why)
{
	const char *bad = isakmp_reasm_check(f);
	const char *note = NULL;
	uint32_t bit, all;
	size_t at = 0;

	if (why)
		*why = NULL;
	if (bad) {
		if (why)
			*why = bad;
		return ISAKMP_REASM_REFUSED;
	}
	bit = 1u << f->number;
	if (isakmp_reasm_expired(r, now_ms)) {
		isakmp_reasm_init(r);
		note = "an earlier partial message timed out";
	}
	if (r->active && f->id != r->id) {
		/* One message per SA: the peer has moved on (strongSwan numbers
		 * its messages), or an old fragment strayed in. Start over. */
		isakmp_reasm_init(r);
		note = "another Fragment ID: the partial message was dropped";
	}
	if (!r->active) {
		r->active = true;
		r->id = f->id;
		r->started_ms = now_ms;
	}
	if (r->have & bit) {
		if (r->len[f->number] == f->len &&
		    memcmp(r->data + r->off[f->number], f->data, f->len) == 0) {
			if (why)
				*why = "duplicate fragment";
			return ISAKMP_REASM_DUP;
		}
		return abandon(r, why, "the same fragment number with other contents");
	}
	if (r->last && f->number > r->last)
		return abandon(r, why, "a fragment numbered above the one flagged last");
	if (f->flags & ISAKMP_FRAG_LAST) {
		if (r->last && r->last != f->number)
			return abandon(r, why, "two fragments flagged last");
		/* Bits above @number: fragments held beyond the new last one. */
		if (r->have & ~((bit << 1) - 1))
			return abandon(r, why, "last flag below a fragment already received");
	}
	if (f->len > ISAKMP_REASM_MAX_LEN - r->used)
		return abandon(r, why, "reassembled message too large");
	memcpy(r->data + r->used, f->data, f->len);
	r->off[f->number] = (uint16_t)r->used;
	r->len[f->number] = (uint16_t)f->len;
	r->used += f->len;
	r->have |= bit;
	if (f->flags & ISAKMP_FRAG_LAST)
		r->last = f->number;
	if (why)
		*why = note;
	all = r->last ? ((1u << (r->last + 1)) - 2) : 0; /* bits 1..last */
	if (!r->last || r->have != all)
		return ISAKMP_REASM_MORE;
	if (r->used > cap)
		return abandon(r, why, "reassembled message larger than the output buffer");
	for (unsigned n = 1; n <= r->last; n++) {
		memcpy(out + at, r->data + r->off[n], r->len[n]);
		at += r->len[n];
	}
	*out_len = at;
	isakmp_reasm_init(r);
	return ISAKMP_REASM_DONE;
}

const char *isakmp_reasm_result_name(enum isakmp_reasm_result res)
{
	switch (res) {
	case ISAKMP_REASM_MORE:
		return "more";
	case ISAKMP_REASM_DONE:
		return "done";
	case ISAKMP_REASM_DUP:
		return "duplicate";
	case ISAKMP_REASM_REFUSED:
		return "refused";
	case ISAKMP_REASM_ABANDONED:
		return "abandoned";
	}
	return "?";
}
