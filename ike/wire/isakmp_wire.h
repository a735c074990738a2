/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal to the ike/ codec: big-endian field access and error reporting.
 * Not for use outside ike/isakmp_*.c.
 */
#ifndef NATKEYD_IKE_ISAKMP_WIRE_H
#define NATKEYD_IKE_ISAKMP_WIRE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/wire/isakmp_decode.h"

static inline uint16_t isakmp_get16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t isakmp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void isakmp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void isakmp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Record why decoding failed; always returns -EBADMSG so callers can
 * `return isakmp_fail(...)`. @err may be NULL. */
static inline int isakmp_fail(struct isakmp_err *err, uint16_t notify, uint8_t payload,
			      size_t offset, const char *reason)
{
	if (err) {
		err->reason = reason;
		err->notify = notify;
		err->payload = payload;
		err->offset = offset;
	}
	return -EBADMSG;
}

/* Shift an error's offset by the position of the sub-buffer it refers to. */
static inline int isakmp_fail_shift(struct isakmp_err *err, size_t base, int rc)
{
	if (err && rc < 0)
		err->offset += base;
	return rc;
}

/*
 * Body decoders of the payload kinds, one per file (isakmp_sa.c,
 * isakmp_notify.c, isakmp_misc.c); isakmp_payload_decode() dispatches.
 * Offsets in @err are relative to @body.
 */
int isakmp_sa_body_decode(const uint8_t *body, size_t len, struct isakmp_sa *sa,
			  struct isakmp_err *err);
int isakmp_notify_body_decode(const uint8_t *body, size_t len, struct isakmp_notify *n,
			      struct isakmp_err *err);
int isakmp_delete_body_decode(const uint8_t *body, size_t len, struct isakmp_delete *d,
			      struct isakmp_err *err);

/* Whether @type may appear in a top-level payload chain. */
bool isakmp_payload_type_valid(uint8_t type);

#endif
