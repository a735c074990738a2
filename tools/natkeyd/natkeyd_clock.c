// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Clock readings kept for one wakeup of the event loop (natkeyd_clock.h).
 */
#include <string.h>

#include "tools/natkeyd/natkeyd_clock.h"

struct nkd_clock nkd_clk;

static void clock_read(const struct nkd_clock *k, clockid_t id, struct timespec *ts)
{
	if ((k->gettime ? k->gettime : clock_gettime)(id, ts) < 0)
		memset(ts, 0, sizeof(*ts));
}

void nkd_clock_hold(struct nkd_clock *k, bool on)
{
	k->held = on;
	k->have_mono = k->have_wall = false;
}

void nkd_clock_refresh(struct nkd_clock *k)
{
	k->have_mono = k->have_wall = false;
}

uint64_t nkd_clock_mono_ms(struct nkd_clock *k)
{
	struct timespec ts;

	if (k->held && k->have_mono)
		return k->mono_ms;
	clock_read(k, CLOCK_MONOTONIC, &ts);
	k->mono_ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	k->have_mono = k->held;
	return k->mono_ms;
}

struct timespec nkd_clock_wall(struct nkd_clock *k)
{
	uint64_t mono, d;

	if (k->held && k->have_wall)
		return k->wall;
	if (!k->held) {
		clock_read(k, CLOCK_REALTIME, &k->wall);
		k->have_base = false;
		return k->wall;
	}
	mono = nkd_clock_mono_ms(k);
	if (k->have_base && mono >= k->base_mono_ms &&
	    (d = mono - k->base_mono_ms) < NKD_CLOCK_WALL_MS) {
		long ns = k->base_wall.tv_nsec + (long)(d % 1000) * 1000000L;

		k->wall.tv_sec = k->base_wall.tv_sec + (time_t)(d / 1000) + ns / 1000000000L;
		k->wall.tv_nsec = ns % 1000000000L;
	} else {
		clock_read(k, CLOCK_REALTIME, &k->wall);
		k->base_wall = k->wall;
		k->base_mono_ms = mono;
		k->have_base = true;
	}
	k->have_wall = true;
	return k->wall;
}

uint64_t nkd_clock_mono_of(struct nkd_clock *k, struct timespec when, uint64_t max_age_ms)
{
	uint64_t now = nkd_clock_mono_ms(k);
	struct timespec wall = nkd_clock_wall(k);
	int64_t age;

	if (!when.tv_sec)
		return now;
	age = (int64_t)(wall.tv_sec - when.tv_sec) * 1000 + (wall.tv_nsec - when.tv_nsec) / 1000000;
	if (age < 0 || (uint64_t)age > max_age_ms || (uint64_t)age >= now)
		return now;
	return now - (uint64_t)age;
}
