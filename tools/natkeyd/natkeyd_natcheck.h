/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nat_binding_lifetime=natcheck: the daemon reads the natcheck state file
 * (`natkeyctl natcheck --save`, natt/natcheck_state.h) when it loads a
 * conn, at start and when a reload (re)loads it, and gives the engine its
 * measured binding lifetime as the conn's start value (source
 * NATT_LT_NATCHECK). File I/O: the daemon's, not the engine's.
 *
 * A file that is missing, unreadable, not a regular file, malformed, has
 * no measured lifetime, is older than NKD_NATCHECK_MAX_AGE_S or dated more
 * than NKD_NATCHECK_SKEW_S ahead gives no lifetime (nat_keepalive=auto:
 * 20 s until one is learned) and one log line saying why.
 */
#ifndef NATKEYD_TOOLS_NATCHECK_H
#define NATKEYD_TOOLS_NATCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "ike/conf/conf.h"
#include "ike/engine.h"

/* A measurement is taken for a week: a laptop moves between networks, and
 * a lifetime from the hotel must not steer the keepalives at home for
 * long; run natcheck --save again (e.g. from a network hook or a timer). */
#define NKD_NATCHECK_MAX_AGE_S (7u * 86400u)
/* A file dated in the future (clock set back, or a bad file): refused
 * beyond this much skew. */
#define NKD_NATCHECK_SKEW_S 300u

/**
 * nkd_natcheck_apply() - the natcheck state file's lifetime as @o's start
 * value, when @c asks for it (nat_binding_lifetime=natcheck).
 * @c: the conn.
 * @path: the state file (NATCHECK_STATE_FILE).
 * @now: the wall clock, seconds since 1970.
 * @o: nkd_conn_build()'s result for @c: binding_lifetime_ms and
 *     binding_lifetime_src set (NATT_LT_NATCHECK), or cleared.
 * @msg: one log line naming the conn and the file: what was taken, or why
 *       nothing was ("" when @c does not ask).
 * @msg_len: its size.
 *
 * Return: 1 taken, 0 not asked, -1 not taken (@o has no lifetime).
 */
int nkd_natcheck_apply(const struct conf_conn *c, const char *path, uint64_t now,
		       struct ike_conn_cfg *o, char *msg, size_t msg_len);

#endif
