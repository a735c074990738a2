// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target for IKEv1 fragment reassembly (ike/wire/isakmp_frag.c): the
 * input is a script of fragments fed to one reassembler, and the bounds are
 * checked with abort() after every step, so libFuzzer and the replay driver
 * (make check) both report a violation.
 *
 * Input: byte 0 selects the mode.
 *  - even: a script of records, each: 1 byte time step (x 500 ms), 1 byte
 *    Fragment ID, 1 byte number, 1 byte flags, 2 bytes length (capped by
 *    what is left), then the data; every record also goes through
 *    isakmp_frag_decode() wrapped in a fragment message.
 *  - odd: a message (the rest of the input behind a header) split with
 *    isakmp_frag_build() at a fragment size from byte 1 and fed back in an
 *    order from byte 2, with one duplicate: it must reassemble exactly.
 */
#include <stdlib.h>
#include <string.h>

#include "ike/wire/isakmp_encode.h"
#include "ike/wire/isakmp_frag.h"
#include "tests/fuzz/fuzz.h"

static struct isakmp_reasm r;
static uint8_t out[ISAKMP_REASM_MAX_LEN];
static uint8_t msgbuf[ISAKMP_REASM_MAX_LEN];
static uint8_t fragbuf[ISAKMP_FRAG_MAX_FRAGS][ISAKMP_REASM_MAX_LEN + ISAKMP_FRAG_OVERHEAD];

static void check_state(void)
{
	size_t sum = 0;

	if (r.used > ISAKMP_REASM_MAX_LEN || (r.have & 1u) ||
	    (r.have >> (ISAKMP_FRAG_MAX_FRAGS + 1)))
		abort();
	if (!r.active && (r.have || r.used || r.last))
		abort();
	if (r.last && (r.have >> (r.last + 1)))
		abort();
	for (unsigned n = 1; n <= ISAKMP_FRAG_MAX_FRAGS; n++)
		if (r.have & (1u << n)) {
			if (r.off[n] + r.len[n] > r.used)
				abort();
			sum += r.len[n];
		}
	if (sum != r.used)
		abort();
}

static void script(const uint8_t *d, size_t n)
{
	uint64_t now = 0;
	uint8_t m[ISAKMP_HDR_LEN + ISAKMP_FRAG_MIN_LEN + 600];

	isakmp_reasm_init(&r);
	while (n >= 6) {
		struct isakmp_frag f = { .id = d[1], .number = d[2], .flags = d[3] };
		size_t len = (size_t)d[4] << 8 | d[5];
		enum isakmp_reasm_result res;
		size_t got = 0, held = r.used;
		const char *why;

		now += (uint64_t)d[0] * 500;
		d += 6;
		n -= 6;
		if (len > n)
			len = n;
		f.data = d;
		f.len = len;
		res = isakmp_reasm_add(&r, &f, now, out, sizeof(out), &got, &why);
		check_state();
		switch (res) {
		case ISAKMP_REASM_DONE:
			if (r.active || got == 0 || got > ISAKMP_REASM_MAX_LEN)
				abort();
			break;
		case ISAKMP_REASM_ABANDONED:
			if (r.active || !why)
				abort();
			break;
		case ISAKMP_REASM_REFUSED:
			if (!why || r.used != held)
				abort();
			break;
		case ISAKMP_REASM_DUP:
			if (r.used != held)
				abort();
			break;
		case ISAKMP_REASM_MORE:
			break;
		}
		/* The same record as a fragment message on the wire. */
		if (len <= 600) {
			struct isakmp_enc e;
			struct isakmp_hdr h, hh;
			struct isakmp_frag ff;
			struct isakmp_err err;
			ssize_t ml;

			memset(&h, 0, sizeof(h));
			h.icookie[0] = 1;
			h.exchange = ISAKMP_XCHG_IDPROT;
			isakmp_enc_init(&e, m, sizeof(m));
			isakmp_enc_hdr(&e, &h);
			isakmp_enc_frag(&e, f.id, f.number, f.flags, f.data, f.len);
			ml = isakmp_enc_finish(&e);
			if (ml > 0 && isakmp_frag_decode(m, (size_t)ml, &hh, &ff, &err) == 0 &&
			    (ff.number == 0 || ff.number > ISAKMP_FRAG_MAX_FRAGS ||
			     ff.len != f.len))
				abort();
		}
		d += len;
		n -= len;
	}
}

static void roundtrip(const uint8_t *d, size_t n)
{
	size_t frag_max, len, got = 0;
	unsigned count, order[ISAKMP_FRAG_MAX_FRAGS + 1], dup;
	ssize_t fl[ISAKMP_FRAG_MAX_FRAGS];
	uint32_t seed;

	if (n < 4)
		return;
	frag_max = ISAKMP_FRAG_OVERHEAD + 1 + (size_t)d[1] * 4;
	seed = (uint32_t)d[2] << 8 | d[3];
	d += 4;
	n -= 4;
	len = ISAKMP_HDR_LEN +
	      (n > sizeof(msgbuf) - ISAKMP_HDR_LEN ? sizeof(msgbuf) - ISAKMP_HDR_LEN : n);
	memset(msgbuf, 0, ISAKMP_HDR_LEN);
	msgbuf[0] = 1;
	msgbuf[18] = ISAKMP_XCHG_IDPROT;
	memcpy(msgbuf + ISAKMP_HDR_LEN, d, len - ISAKMP_HDR_LEN);
	count = isakmp_frag_count(len, frag_max);
	if (count == 0)
		return;
	for (unsigned i = 0; i < count; i++) {
		fl[i] = isakmp_frag_build(msgbuf, len, frag_max, 7, i + 1, fragbuf[i],
					  sizeof(fragbuf[i]));
		if (fl[i] <= 0 || (size_t)fl[i] > frag_max)
			abort();
		order[i] = i;
	}
	for (unsigned i = count - 1; i > 0; i--) { /* Fisher-Yates from the seed */
		unsigned j, t;

		seed = seed * 1103515245u + 12345u;
		j = (seed >> 16) % (i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	dup = order[seed % count];
	isakmp_reasm_init(&r);
	for (unsigned k = 0; k <= count; k++) {
		unsigned i = k < count ? order[k] : dup;
		struct isakmp_hdr h;
		struct isakmp_frag f;
		struct isakmp_err err;
		enum isakmp_reasm_result res;

		if (isakmp_frag_decode(fragbuf[i], (size_t)fl[i], &h, &f, &err) < 0)
			abort();
		res = isakmp_reasm_add(&r, &f, 0, out, sizeof(out), &got, NULL);
		check_state();
		if (k == count) {
			/* The duplicate after completion starts a new (partial) message. */
			if (res != (count == 1 ? ISAKMP_REASM_DONE : ISAKMP_REASM_MORE))
				abort();
		} else if (res != (k + 1 == count ? ISAKMP_REASM_DONE : ISAKMP_REASM_MORE)) {
			abort();
		}
		if (k + 1 == count && (got != len || memcmp(out, msgbuf, len) != 0))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		roundtrip(data, size);
	else
		script(data + 1, size - 1);
	return 0;
}
