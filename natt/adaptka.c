// SPDX-License-Identifier: GPL-2.0-or-later
/* Adaptive NAT-keepalive interval and refresh after idle (natt/adaptka.h). */
#include "natt/adaptka.h"

static const char *const src_names[NATT_LT_COUNT] = {
	[NATT_LT_NONE] = "unknown",	 [NATT_LT_CONFIGURED] = "configured",
	[NATT_LT_NATCHECK] = "natcheck", [NATT_LT_PEER] = "peer",
	[NATT_LT_OBSERVED] = "observed",
};

const char *natt_lifetime_src_name(enum natt_lifetime_src s)
{
	return (unsigned)s < NATT_LT_COUNT ? src_names[s] : "unknown";
}

uint32_t natt_adaptka_interval(uint32_t lifetime_ms, uint32_t max_ms)
{
	uint64_t v;

	if (!max_ms)
		max_ms = NATT_ADAPTKA_MAX_MS_DEFAULT;
	if (max_ms < NATT_ADAPTKA_MIN_MS)
		max_ms = NATT_ADAPTKA_MIN_MS;
	v = lifetime_ms ? (uint64_t)lifetime_ms * NATT_ADAPTKA_NUM / NATT_ADAPTKA_DEN
			: NATT_ADAPTKA_UNKNOWN_MS;
	if (v < NATT_ADAPTKA_MIN_MS)
		v = NATT_ADAPTKA_MIN_MS;
	if (v > max_ms)
		v = max_ms;
	return (uint32_t)v;
}

bool natt_adaptka_refresh(uint32_t lifetime_ms, uint64_t last_sent_ms, uint64_t now_ms)
{
	return lifetime_ms && now_ms >= last_sent_ms && now_ms - last_sent_ms >= lifetime_ms;
}

bool natt_adaptka_peer_ok(uint32_t lifetime_ms)
{
	return lifetime_ms >= NATT_ADAPTKA_PEER_MIN_MS && lifetime_ms <= NATT_ADAPTKA_PEER_MAX_MS;
}
