/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The clocks the event loop reads, once per wakeup. In user-mode-linux (and
 * under seccomp filters) clock_gettime() and time() are real system calls
 * (no vDSO): read for every engine event and log line they were ~24 of the
 * ~62 system calls a tunnel cost. While the loop holds the clock (from
 * epoll_wait() returning to the next epoll_wait()), the first reading of
 * each clock is kept and handed to every event of that wakeup; work that may
 * take long (a Diffie-Hellman computed in the loop) refreshes it. Outside a
 * hold every call reads the clock.
 *
 * The wall clock is read at most once a second while held: in between it is
 * the last reading plus the monotonic time since (one read per wakeup
 * instead of two); a step of the wall clock (NTP, the admin) shows within a
 * second. It serves certificate validity (seconds) and log timestamps.
 *
 * A kept reading is never ahead of the real clock, so a deadline computed
 * from it is at most the wakeup's length early; the loop's sleep until the
 * next deadline (epoll_wait()'s timeout, natkeyd.c loop_timeout()) is
 * measured from it too, so a timer fires at most the wakeup's length late.
 */
#ifndef NATKEYD_TOOLS_CLOCK_H
#define NATKEYD_TOOLS_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct nkd_clock {
	/* clock_gettime() unless a test puts its own here */
	int (*gettime)(clockid_t id, struct timespec *ts);
	bool held;
	bool have_mono, have_wall;
	uint64_t mono_ms;
	struct timespec wall;
	/* the last real wall reading and the monotonic time it was taken at */
	bool have_base;
	struct timespec base_wall;
	uint64_t base_mono_ms;
};

/* How long a wall clock reading is extended by the monotonic clock. */
#define NKD_CLOCK_WALL_MS 1000

/* The daemon's clock (process state, like the log thresholds). */
extern struct nkd_clock nkd_clk;

/**
 * nkd_clock_hold() - @on: keep the next reading of each clock until
 * nkd_clock_refresh() or nkd_clock_hold(false); off: forget them, every call
 * reads the clock again.
 */
void nkd_clock_hold(struct nkd_clock *k, bool on);

/** nkd_clock_refresh() - forget the readings (after long work in a wakeup). */
void nkd_clock_refresh(struct nkd_clock *k);

/** nkd_clock_mono_ms() - CLOCK_MONOTONIC in milliseconds. */
uint64_t nkd_clock_mono_ms(struct nkd_clock *k);

/** nkd_clock_wall() - CLOCK_REALTIME. */
struct timespec nkd_clock_wall(struct nkd_clock *k);

/**
 * nkd_clock_mono_of() - the CLOCK_MONOTONIC ms of a CLOCK_REALTIME @when in
 * the past (a kernel receive timestamp), by its age on the wall clock;
 * now when @when is zero, in the future, or older than @max_age_ms (the
 * wall clock stepped in between).
 */
uint64_t nkd_clock_mono_of(struct nkd_clock *k, struct timespec when, uint64_t max_age_ms);

#endif
