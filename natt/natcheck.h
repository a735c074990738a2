/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NAT behaviour discovery (RFC 5780 s4, vocabulary of RFC 4787), sans-I/O:
 * the engine is told the STUN server and the local addresses of three UDP
 * sockets, and the time; it hands out datagrams to send (from which socket,
 * to which address) and the time it wants to be called again, consumes the
 * datagrams the sockets receive and the timer, and ends with a result and
 * a verdict for IPsec NAT traversal.
 *
 * Sockets: NATCHECK_SOCK_MAP runs the mapping tests (s4.3) and is the
 * binding whose lifetime is measured (s4.6) and the hairpin target (s4.5);
 * NATCHECK_SOCK_FILTER runs the filtering tests (s4.4) on a binding that has
 * only ever talked to the server's primary address (so the mapping tests
 * cannot open its filter); NATCHECK_SOCK_PROBE sends the hairpin request and
 * the lifetime probes with RESPONSE-PORT (s4.6, RFC 5780 s7.5).
 *
 * Times are milliseconds on any monotonic clock. The engine never reads a
 * clock, never sleeps and never touches a socket.
 */
#ifndef NATKEYD_NATT_NATCHECK_H
#define NATKEYD_NATT_NATCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum natcheck_sock {
	NATCHECK_SOCK_MAP,
	NATCHECK_SOCK_FILTER,
	NATCHECK_SOCK_PROBE,
	NATCHECK_SOCKS,
};

#define NATCHECK_MSG_MAX 128 /* every request the engine builds fits */
#define NATCHECK_NEVER	 UINT64_MAX

/* Retransmission (RFC 5389 s7.2.1: RTO 500 ms doubling, Rc = 7; the wait
 * is capped here so a test that expects silence takes seconds, not 39.5 s). */
#define NATCHECK_RTO_MS_DEFAULT	    500u
#define NATCHECK_RTO_MAX_MS_DEFAULT 1600u
#define NATCHECK_TRIES_DEFAULT	    7u
/* Binding lifetime search (s4.6): first idle time, then doubling up to the
 * maximum, then bisection until the bracket is within 1/8 of its low end. */
#define NATCHECK_LIFE_MIN_MS_DEFAULT 4000u
#define NATCHECK_LIFE_MAX_MS_DEFAULT 120000u

/* RFC 4787 s4.1 mapping and s5 filtering behaviours. */
enum natcheck_class {
	NATCHECK_CLASS_UNKNOWN,
	NATCHECK_CLASS_EI,  /* endpoint-independent */
	NATCHECK_CLASS_AD,  /* address-dependent */
	NATCHECK_CLASS_APD, /* address-and-port-dependent */
};

enum natcheck_tri {
	NATCHECK_UNTESTED,
	NATCHECK_NO,
	NATCHECK_YES,
};

/* How the binding lifetime was measured (s4.6). */
enum natcheck_life_method {
	NATCHECK_LIFE_NONE,	     /* not measured */
	NATCHECK_LIFE_RESPONSE_PORT, /* probes from another socket, answered to the binding */
	NATCHECK_LIFE_REPROBE,	     /* re-probe the binding: a new mapping means it expired;
				      * blind to a NAT that reuses the same port */
};

struct natcheck_cfg {
	struct sockaddr_storage server; /* primary address and port, port in network order */
	uint32_t rto_ms;		/* 0 = NATCHECK_RTO_MS_DEFAULT */
	uint32_t rto_max_ms;		/* 0 = NATCHECK_RTO_MAX_MS_DEFAULT */
	unsigned tries;			/* 0 = NATCHECK_TRIES_DEFAULT */
	uint32_t life_min_ms;		/* 0 = NATCHECK_LIFE_MIN_MS_DEFAULT */
	uint32_t life_max_ms;		/* 0 = no lifetime test */
	/* Fills @n bytes with fresh random bytes (transaction IDs, RFC 5389 s6:
	 * cryptographically random). */
	void (*random)(uint8_t *buf, size_t n, void *arg);
	void *random_arg;
};

struct natcheck_result {
	bool udp_blocked; /* no answer to the first Binding request */
	bool server_error;
	uint16_t error_code; /* server_error: its ERROR-CODE, 0 = other failure */
	bool behind_nat;     /* the mapped address is not the local one */
	struct sockaddr_storage local, mapped;
	bool port_preserved; /* mapped port = local port */
	bool rfc5780;	     /* the server gave a usable OTHER-ADDRESS */
	struct sockaddr_storage other;
	enum natcheck_class mapping, filtering;
	enum natcheck_tri hairpin;
	enum natcheck_life_method life_method;
	bool life_known;   /* an expiry was seen: lifetime in [low, high] */
	bool life_exceeds; /* alive after the configured maximum (low = maximum) */
	uint32_t life_ms;  /* life_known: (low + high) / 2 */
	uint32_t life_low_ms, life_high_ms;
	uint32_t keepalive_s; /* suggested NAT-keepalive interval, 0 = none needed */
	unsigned sent, received;
	char verdict[256];
};

struct natcheck_tx {
	enum natcheck_sock sock;
	struct sockaddr_storage to;
	size_t len;
	uint8_t buf[NATCHECK_MSG_MAX];
};

struct natcheck;

/**
 * natcheck_new() - create an engine and queue its first requests.
 * @cfg: the configuration (copied); @cfg->server and @cfg->random are required.
 * @local: the bound address of each socket (address and port, port in
 *         network order), as getsockname() gives them for sockets bound to
 *         the address that routes to the server.
 * @now_ms: the current time.
 * Return: the engine, or NULL (bad configuration, out of memory).
 */
struct natcheck *natcheck_new(const struct natcheck_cfg *cfg,
			      const struct sockaddr_storage local[NATCHECK_SOCKS], uint64_t now_ms);

/** natcheck_free() - destroy an engine (NULL is allowed). */
void natcheck_free(struct natcheck *nc);

/**
 * natcheck_next_tx() - take the next datagram to send.
 * Return: true and @tx filled, or false when there is nothing to send.
 */
bool natcheck_next_tx(struct natcheck *nc, struct natcheck_tx *tx);

/**
 * natcheck_next_timeout() - when natcheck_on_timer() is due, or
 * NATCHECK_NEVER (done).
 */
uint64_t natcheck_next_timeout(const struct natcheck *nc);

/** natcheck_on_timer() - retransmit, give up, or end an idle wait. */
void natcheck_on_timer(struct natcheck *nc, uint64_t now_ms);

/**
 * natcheck_on_datagram() - a datagram arrived on socket @sock from @from.
 * Anything that is not a well-formed answer to an outstanding request (or
 * the engine's own hairpin request) is ignored: bad FINGERPRINT, unknown
 * comprehension-required attributes (RFC 5389 s7.3.3), unknown transaction.
 */
void natcheck_on_datagram(struct natcheck *nc, uint64_t now_ms, enum natcheck_sock sock,
			  const struct sockaddr *from, const uint8_t *buf, size_t len);

/** natcheck_done() - has the engine reached its result? */
bool natcheck_done(const struct natcheck *nc);

/** natcheck_result() - the result (complete once natcheck_done()). */
const struct natcheck_result *natcheck_result(const struct natcheck *nc);

/** natcheck_class_name() - "endpoint-independent", ..., "unknown". */
const char *natcheck_class_name(enum natcheck_class c);

/**
 * natcheck_keepalive_s() - the keepalive interval for a binding lifetime
 * of @life_s seconds: half of it, at least 10 s and at most @life_s (a
 * lifetime under 10 s gets half of it anyway: no interval of 10 s would do).
 */
uint32_t natcheck_keepalive_s(uint32_t life_s);

#endif
