/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv1 fragmentation (the Cisco "FRAGMENTATION" extension, payload type
 * 132, also specified in Microsoft's MS-IKEE): splitting a whole ISAKMP
 * message into fragment messages, and reassembling them.
 *
 * Wire format (docs/requirements.md s11): each fragment is an ISAKMP
 * message of its own, with the original's cookies, Next Payload 132, the E
 * flag clear and its own Length, carrying exactly one Fragment payload:
 * Fragment ID (2 octets), Fragment Number (1, from 1), Flags (1, LAST = 1),
 * then a slice of the original message (header and, for a protected
 * message, ciphertext included). The receiver concatenates the slices in
 * number order and processes the result as if it had arrived whole.
 *
 * Both halves are pure: the splitter writes into a caller buffer, the
 * reassembler works in a caller-owned, fixed-size struct and takes the time
 * as an argument. Nothing here allocates, logs or reads a clock, so the
 * fuzzer and the unit tests drive it byte by byte (sans-I/O).
 *
 * Reassembly is bounded by construction (the shapes of past IKEv1 fragment
 * bugs, CVE-2016-10396 and CVE-2009-1574 in racoon, are each a rule below):
 *  - at most ISAKMP_FRAG_MAX_FRAGS fragments per message (Libreswan's bound;
 *    numbers 0 and above it are refused before anything is stored);
 *  - at most ISAKMP_REASM_MAX_LEN bytes of reassembled message, checked
 *    before a slice is copied;
 *  - one message per struct (the engine keeps one per IKE SA): a fragment
 *    with another Fragment ID starts over;
 *  - a timeout (ISAKMP_REASM_TIMEOUT_MS from the first fragment): a stale
 *    partial message is dropped when the next fragment arrives;
 *  - a duplicate with the same bytes is ignored, one with other bytes
 *    ("overlapping" fragments: the same number, different content) abandons
 *    the message;
 *  - a LAST flag that disagrees with an earlier one (a second LAST on
 *    another number, a fragment numbered above LAST, LAST below a fragment
 *    already held) abandons the message.
 */
#ifndef NATKEYD_IKE_ISAKMP_FRAG_H
#define NATKEYD_IKE_ISAKMP_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ike/wire/isakmp.h"
#include "ike/wire/isakmp_decode.h"

#define ISAKMP_FRAG_MAX_FRAGS	16   /* fragments per message (Libreswan: 16) */
#define ISAKMP_REASM_MAX_LEN	8192 /* reassembled message (= IKE_ENGINE_MAX_MSG) */
#define ISAKMP_REASM_TIMEOUT_MS 10000
#define ISAKMP_FRAG_OVERHEAD	(ISAKMP_HDR_LEN + ISAKMP_FRAG_MIN_LEN) /* 36 */
/* Path and per-datagram overheads for the default fragment size: a
 * 576-byte IPv4 path (RFC 791's minimum reassembly size) minus the IPv4
 * (20) and UDP (8) headers and the non-ESP marker (4, on port 4500). */
#define ISAKMP_FRAG_PATH_DEFAULT 576
#define ISAKMP_FRAG_IP4_UDP	 28
#define ISAKMP_FRAG_IP6_UDP	 48
#define ISAKMP_FRAG_MARKER	 4
#define ISAKMP_FRAG_MSG_DEFAULT	 (576 - 28 - 4) /* 544 ISAKMP bytes per fragment */

/* The Cisco vendor ID: MD5("FRAGMENTATION"), optionally followed by a
 * 4-octet capability word (Cisco sends c0000000). */
#define ISAKMP_FRAG_VID_LEN 16
#define ISAKMP_FRAG_CAP_IKE 0x80000000u /* capability: Main/Aggressive Mode fragments */
extern const uint8_t isakmp_frag_vid[ISAKMP_FRAG_VID_LEN];

/**
 * isakmp_frag_vid_match() - true if a VID payload body is the FRAGMENTATION
 * vendor ID that covers Phase 1 messages: the bare 16 octets, or followed
 * by a capability word with ISAKMP_FRAG_CAP_IKE set.
 */
bool isakmp_frag_vid_match(const uint8_t *body, size_t len);

/**
 * isakmp_frag_count() - how many fragment messages of at most @frag_max
 * bytes (ISAKMP header and Fragment payload header included) carry a
 * message of @msg_len bytes.
 *
 * Return: the count (1 or more), or 0 when @frag_max leaves no room for
 * data or more than ISAKMP_FRAG_MAX_FRAGS would be needed.
 */
unsigned isakmp_frag_count(size_t msg_len, size_t frag_max);

/**
 * isakmp_frag_build() - write fragment message @number (1-based) of @msg.
 * @msg: the whole message (a valid ISAKMP header first).
 * @msg_len: its length.
 * @frag_max: the largest fragment message, as for isakmp_frag_count().
 * @frag_id: the Fragment ID (the same for every fragment of @msg).
 * @number: 1..isakmp_frag_count().
 * @out: output buffer.
 * @cap: its capacity.
 *
 * The header has @msg's cookies, Next Payload 132, exchange type Aggressive
 * Mode if @msg's is, else Main Mode, Message ID 0, no flags and the
 * fragment's own Length; the last fragment carries ISAKMP_FRAG_LAST.
 *
 * Return: bytes written, -EINVAL for a bad @number or @msg, -ENOSPC.
 */
ssize_t isakmp_frag_build(const uint8_t *msg, size_t msg_len, size_t frag_max, uint16_t frag_id,
			  unsigned number, uint8_t *out, size_t cap);

/**
 * isakmp_frag_is_fragment() - true if @buf is an ISAKMP message whose first
 * payload is a Fragment (the cheap test before isakmp_frag_decode()).
 */
bool isakmp_frag_is_fragment(const uint8_t *buf, size_t len);

/**
 * isakmp_frag_decode() - decode a fragment message.
 * @buf: the datagram payload (after the non-ESP marker).
 * @len: its length.
 * @hdr: its header, on success.
 * @f: its Fragment payload (a view into @buf), on success.
 * @err: why it was refused.
 *
 * A fragment message has Next Payload 132 in its header, the E flag clear
 * and exactly one payload, the Fragment payload, whose number is 1..
 * ISAKMP_FRAG_MAX_FRAGS and whose data is not empty.
 *
 * Return: 0, or -EBADMSG.
 */
int isakmp_frag_decode(const uint8_t *buf, size_t len, struct isakmp_hdr *hdr,
		       struct isakmp_frag *f, struct isakmp_err *err);

/* Reassembly state of one message. Fixed size: nothing else is allocated. */
struct isakmp_reasm {
	bool active;	     /* a message is being reassembled */
	uint16_t id;	     /* its Fragment ID */
	uint8_t last;	     /* number of the fragment flagged LAST, 0 = not seen */
	uint32_t have;	     /* bit n: fragment n held */
	uint64_t started_ms; /* arrival of its first fragment */
	size_t used;	     /* bytes of @data in use */
	uint16_t off[ISAKMP_FRAG_MAX_FRAGS + 1];
	uint16_t len[ISAKMP_FRAG_MAX_FRAGS + 1];
	uint8_t data[ISAKMP_REASM_MAX_LEN]; /* slices, in arrival order */
};

enum isakmp_reasm_result {
	ISAKMP_REASM_MORE,	/* stored; the message is not complete yet */
	ISAKMP_REASM_DONE,	/* complete: the message is in the output buffer */
	ISAKMP_REASM_DUP,	/* the same fragment again: ignored */
	ISAKMP_REASM_REFUSED,	/* this fragment refused, the state is unchanged */
	ISAKMP_REASM_ABANDONED, /* inconsistent with earlier fragments: all dropped */
};

/**
 * isakmp_reasm_init() - an empty reassembly state.
 */
void isakmp_reasm_init(struct isakmp_reasm *r);

/**
 * isakmp_reasm_check() - the checks that need no state: would @f be
 * refused whatever came before? Lets a caller refuse a fragment before it
 * allocates a struct isakmp_reasm for it.
 *
 * Return: NULL if acceptable, else the reason (static text).
 */
const char *isakmp_reasm_check(const struct isakmp_frag *f);

/**
 * isakmp_reasm_add() - add one fragment.
 * @r: the state.
 * @f: the fragment (from isakmp_frag_decode()).
 * @now_ms: the current time (monotonic).
 * @out: where the complete message goes (ISAKMP_REASM_MAX_LEN is enough).
 * @cap: its capacity.
 * @out_len: the message's length on ISAKMP_REASM_DONE.
 * @why: a static reason for REFUSED, ABANDONED and DUP, or a note for MORE
 *       (NULL if nothing to say); may be NULL.
 *
 * On DONE, ABANDONED and timeout the state is empty again.
 */
enum isakmp_reasm_result isakmp_reasm_add(struct isakmp_reasm *r, const struct isakmp_frag *f,
					  uint64_t now_ms, uint8_t *out, size_t cap,
					  size_t *out_len, const char **why);

/**
 * isakmp_reasm_expired() - true if a partial message is older than the
 * timeout at @now_ms.
 */
bool isakmp_reasm_expired(const struct isakmp_reasm *r, uint64_t now_ms);

/**
 * isakmp_reasm_result_name() - "more", "done", "duplicate", "refused",
 * "abandoned".
 */
const char *isakmp_reasm_result_name(enum isakmp_reasm_result res);

#endif
