/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A datagram in flight in the in-memory network simulator. Shared by the
 * simulated network (tests/lib/sim/net.*) and the simulated NATs (tests/lib/sim/nat.*).
 */
#ifndef NATKEYD_TESTS_SIM_DGRAM_H
#define NATKEYD_TESTS_SIM_DGRAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define SIM_DGRAM_MAX 65535

struct sim_dgram {
	struct sockaddr_storage src; /* AF_INET or AF_INET6, port in network order */
	struct sockaddr_storage dst;
	size_t len;
	uint8_t buf[SIM_DGRAM_MAX];
};

/* What a middlebox did with a datagram. */
enum sim_verdict {
	SIM_PASS, /* forward it (possibly rewritten) */
	SIM_DROP, /* filtered or no mapping */
};

#endif
