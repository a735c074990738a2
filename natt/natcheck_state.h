/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The natcheck state file: what `natkeyctl natcheck --save` measured, for
 * natkeyd's nat_binding_lifetime=natcheck (adaptive keepalive). Pure: text
 * in, struct out and back; natkeyctl writes the file, natkeyd reads it, and
 * both go through the one parser below (the writer parses what it formats
 * before it writes it).
 *
 * Format (docs/natkeyctl.8), at most NATCHECK_STATE_MAX bytes, lines of at
 * most NATCHECK_STATE_LINE_MAX bytes each ending in '\n', '#' comment lines,
 * and then every key exactly once, in any order, KEY=VALUE with no spaces:
 *
 *   # natkeyctl natcheck --save
 *   version=1
 *   time=1796633700                  measurement, seconds since 1970 (UTC)
 *   server=192.0.2.1:3478            the STUN server, ADDR:PORT or [V6]:PORT
 *   source=10.0.0.2                  the local address the probes left from
 *   mapping=endpoint-independent     RFC 4787 class, or unknown
 *   filtering=address-dependent      (natcheck_class_name())
 *   lifetime_ms=90000                measured binding lifetime, or unknown
 *
 * Only a measured lifetime (natcheck_result.life_known) is a number; one
 * that was not measured, or outlived --max-lifetime, is "unknown".
 */
#ifndef NATKEYD_NATT_NATCHECK_STATE_H
#define NATKEYD_NATT_NATCHECK_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "natt/natcheck.h"

/* Where natkeyctl writes it and natkeyd reads it: configure's localstatedir
 * (/var unless --localstatedir says otherwise) + /lib/natkeyd/natcheck. */
#ifndef NATKEYD_STATEDIR
#define NATKEYD_STATEDIR "/var/lib/natkeyd"
#endif
#define NATCHECK_STATE_FILE NATKEYD_STATEDIR "/natcheck"

#define NATCHECK_STATE_VERSION	1u
#define NATCHECK_STATE_MAX	1024u /* bytes of the whole file */
#define NATCHECK_STATE_LINE_MAX 128u  /* bytes of one line, '\n' included */
/* A lifetime is taken within these bounds (nat_binding_lifetime= allows
 * up to 1 d too); anything else is a malformed file. */
#define NATCHECK_STATE_LIFE_MIN_MS 1000u
#define NATCHECK_STATE_LIFE_MAX_MS 86400000u
/* time= is after 2000-01-01 and before 10000-01-01. */
#define NATCHECK_STATE_TIME_MIN 946684800ull
#define NATCHECK_STATE_TIME_MAX 253402300799ull

struct natcheck_state {
	uint64_t time;			/* seconds since 1970 (UTC) of the measurement */
	struct sockaddr_storage server; /* address and port (network order) */
	struct sockaddr_storage source; /* address; port 0 */
	enum natcheck_class mapping, filtering;
	uint32_t lifetime_ms; /* 0 = unknown */
};

/**
 * natcheck_state_from_result() - the state of a finished measurement.
 * @r: natcheck_result(); @server: the server probed; @time: now (UTC s).
 */
void natcheck_state_from_result(const struct natcheck_result *r,
				const struct sockaddr_storage *server, uint64_t time,
				struct natcheck_state *out);

/**
 * natcheck_state_format() - the file's text for @s into @buf.
 * Return: its length (no NUL counted; @buf is NUL-terminated), or 0 when
 * @buf is too small or @s cannot be written (address family, lifetime or
 * time out of range).
 */
size_t natcheck_state_format(const struct natcheck_state *s, char *buf, size_t len);

/**
 * natcheck_state_parse() - parse a state file's @len bytes of @text.
 * Return: 0 and @out filled, or -EINVAL and @why set to one line naming
 * the line and the problem (@out is then zeroed).
 */
int natcheck_state_parse(const char *text, size_t len, struct natcheck_state *out, char *why,
			 size_t why_len);

#endif
