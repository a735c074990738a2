/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-peer NAT facts and their diagnosis (issue 18): what the engine
 * measured about one peer's NAT (struct natt_facts, filled by the engine's
 * recording in ike/engine_natfacts.c) and the pure rules that classify those
 * facts, audit the peer's NAT-keepalives and write the one-line diagnosis
 * `natkeyctl nat` prints. No clock, no I/O: every time is passed in, in
 * milliseconds on the engine's monotonic clock.
 *
 * The vocabulary is RFC 4787's (mapping, binding lifetime); the rules:
 *
 * - Peer behind a NAT: the peer's NAT-D hash of its own address does not
 *   match the address its messages arrive from (RFC 3947 s3.2). A peer may
 *   fake that hash to force UDP encapsulation (strongSwan's forceencaps).
 *   What tells a real NAT from a faked hash is the peer's own view of its
 *   address: its NAT-OA (RFC 3947 s5.2, Quick Mode) or an ID_IPV4_ADDR
 *   identity. Equal to the address the messages arrive from, from port 500
 *   on the 500 leg: nothing translated it, the NAT-D hash was faked
 *   (NATT_PEER_NAT_FAKED). Different, or the 500 leg arrived from another
 *   port than 500: something translated (NATT_PEER_NAT_TRANSLATED).
 *   Neither known (an FQDN identity, tunnel mode without NAT-OA, a
 *   port-preserving NAT): a real NAT and a faked hash look alike on the
 *   wire (NATT_PEER_NAT_CLAIMED). A peer that uses its NAT's public address
 *   as its identity looks faked; the NAT-OA, when sent, decides first.
 * - Port preserved: the peer's first message on our port 500 came from
 *   port 500, and its first on our 4500 from port 4500 (the NAT keeps the
 *   peer's ports; RFC 4787 s4.1 "port preservation").
 * - Split NAT: the 4500 leg arrived from another public address than the
 *   500 leg (a NAT with an address pool and "paired" pooling off, RFC 4787
 *   s4.1 REQ-2, or two NATs).
 * - Carrier-grade NAT likely: the peer's identity or NAT-OA is in
 *   100.64.0.0/10, the shared address space of RFC 6598.
 * - Mapping changes: each authenticated move of the peer (RFC 3947 s7),
 *   with the idle time before it: the time since the last packet we saw
 *   from the peer at its old endpoint (authenticated IKE or a keepalive).
 *   The NAT dropped its binding within that idle time, so the shortest one
 *   seen is an upper bound of the NAT's binding lifetime. ESP is the
 *   kernel's and not seen here: a peer that sent ESP meanwhile makes the
 *   idle time, and the bound, longer than the truth. A change after less
 *   than NATT_DIAG_BINDING_MIN_MS of silence is no idle expiry (the peer
 *   was talking: a NAT reboot, a new address) and bounds nothing; a reboot
 *   after a longer silence looks like an expiry, which nothing on the wire
 *   tells apart.
 * - Keepalives: RFC 3948 s4 sends one only after M seconds without
 *   another packet to the peer, so a peer with steady ESP traffic sends
 *   none; the audit therefore warns of "no keepalive seen for N s", not of
 *   a broken peer.
 */
#ifndef NATKEYD_NATT_DIAG_H
#define NATKEYD_NATT_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define NATT_DIAG_HISTORY 8 /* mapping changes kept per peer */
/* Default audit threshold: no keepalive seen this long (3 x RFC 3948's 20 s). */
#define NATT_DIAG_AUDIT_MS_DEFAULT 60000u
#define NATT_DIAG_TEXT_MAX	   256
/* Silence before a mapping change below which it is not an idle expiry. */
#define NATT_DIAG_BINDING_MIN_MS 10000u

/* A UDP endpoint in 20 bytes (the history keeps 16 of them per peer). */
struct natt_ep {
	uint8_t family; /* 0 = none, AF_INET, AF_INET6 */
	uint16_t port;	/* host order */
	uint8_t addr[16];
};

/* One authenticated mapping change. */
struct natt_remap {
	uint64_t at_ms;
	struct natt_ep old_ep, new_ep;
	uint64_t idle_ms; /* since the last packet seen from old_ep; 0 = unknown */
	bool esp;	  /* learned from ESP the kernel verified (else authenticated IKE) */
};

/* The last NATT_DIAG_HISTORY mapping changes, oldest at v[next] once full. */
struct natt_history {
	struct natt_remap v[NATT_DIAG_HISTORY];
	uint8_t n, next;
};

/* What the engine measured about one peer (one IKE SA, carried to the
 * IKE SA that replaces it). Zero is "nothing known".
 *
 * The history of mapping changes is most of the size and most peers never
 * move: it is allocated by the first natt_diag_remap() (or
 * natt_diag_carry() of a history) when hist is NULL, and freed with
 * natt_diag_free(). A caller may point hist at its own storage instead
 * (a status snapshot: natt_diag_copy()); then it must not call
 * natt_diag_free(). */
struct natt_facts {
	bool natt;		   /* a NAT-T method was negotiated */
	bool natd_done;		   /* NAT-D payloads were compared */
	bool we_behind_nat;	   /* NAT-D: our address is translated */
	bool natd_peer;		   /* NAT-D: the peer's hash does not match its address */
	struct natt_ep ep500;	   /* where the peer's first message to our 500 came from */
	struct natt_ep ep4500;	   /* ... to our 4500 */
	struct natt_ep id_addr;	   /* the peer's ID_IPV4_ADDR/ID_IPV6_ADDR identity, if one */
	struct natt_ep natoa;	   /* the peer's NAT-OA (its own address), if sent */
	uint64_t established_ms;   /* Phase 1 done (the first of the peer's SAs) */
	uint64_t last_auth_ms;	   /* last authenticated packet (IKE, or ESP the kernel verified) */
	uint64_t last_seen_ms;	   /* last packet of any kind from the peer (auth or keepalive) */
	struct natt_history *hist; /* mapping changes (see above), NULL: none kept */
	uint32_t remaps;	   /* all of them */
	/* Keepalives received (RFC 3948 s2.3 0xFF), from the peer's endpoint. */
	uint64_t ka_count;
	uint64_t ka_first_ms, ka_last_ms;
	uint32_t ka_interval_ms; /* the last gap between two */
	/* The audit's warnings, once per peer. */
	bool warned_none, warned_slow;
};

enum natt_tri {
	NATT_UNKNOWN = 0,
	NATT_NO,
	NATT_YES,
};

enum natt_peer_nat {
	NATT_PEER_NAT_UNKNOWN = 0, /* no NAT-T, or NAT-D not seen yet */
	NATT_PEER_NAT_NONE,	   /* NAT-D: the peer's address arrives untranslated */
	NATT_PEER_NAT_CLAIMED,	   /* NAT-D says NAT; a faked hash would look the same */
	NATT_PEER_NAT_TRANSLATED,  /* NAT-D says NAT and the wire shows a translation */
	NATT_PEER_NAT_FAKED,	   /* NAT-D says NAT but the peer's own address arrives: forced */
};

/* What the audit asks for (natt_diag_audit()). */
enum natt_audit {
	NATT_AUDIT_NONE = 0,
	NATT_AUDIT_NO_KEEPALIVE,   /* a NATed peer sent no keepalive for the threshold */
	NATT_AUDIT_SLOW_KEEPALIVE, /* its keepalives come slower than its NAT's binding lifetime */
};

/* The classification of a peer's facts at one time. */
struct natt_diag {
	enum natt_peer_nat peer_nat;
	enum natt_tri port_preserved;
	enum natt_tri split_nat;
	bool cgn;		       /* identity or NAT-OA in 100.64.0.0/10 */
	uint64_t binding_ms;	       /* shortest idle before a mapping change; 0 = none seen */
	uint64_t idle_ms;	       /* since the last packet seen; 0 = nothing seen */
	bool keepalives;	       /* keepalives were seen */
	uint32_t ka_interval_ms;       /* their last interval, 0 = fewer than two */
	enum natt_audit verdict;       /* what the audit says now (threshold applied) */
	char text[NATT_DIAG_TEXT_MAX]; /* the one-line diagnosis */
};

/** natt_ep_from_sa() - @sa as a natt_ep (family 0 for another family). */
void natt_ep_from_sa(struct natt_ep *ep, const struct sockaddr *sa);

/** natt_ep_to_ss() - @ep as a sockaddr (family AF_UNSPEC when none). */
void natt_ep_to_ss(const struct natt_ep *ep, struct sockaddr_storage *ss);

/** natt_ep_equal() / natt_ep_addr_equal() - same endpoint / same address. */
bool natt_ep_equal(const struct natt_ep *a, const struct natt_ep *b);
bool natt_ep_addr_equal(const struct natt_ep *a, const struct natt_ep *b);

/**
 * natt_ep_format() - "192.0.2.1:4500", "[2001:db8::1]:4500", or the address
 * alone with @port false; "-" for none. Return: @buf.
 */
const char *natt_ep_format(const struct natt_ep *ep, bool port, char *buf, size_t len);

/**
 * natt_diag_is_cgn() - @ep's address is in 100.64.0.0/10 (RFC 6598).
 */
bool natt_diag_is_cgn(const struct natt_ep *ep);

/**
 * natt_diag_leg() - the peer's message from @from arrived at our port
 * @local_port: the first one per port is kept (ep500 / ep4500).
 */
void natt_diag_leg(struct natt_facts *f, uint16_t local_port, const struct sockaddr *from);

/**
 * natt_diag_binding() - the NAT's binding lifetime as observed: the shortest
 * idle time (at least NATT_DIAG_BINDING_MIN_MS) before a mapping change in
 * the history, an upper bound; 0 when none was seen.
 */
uint64_t natt_diag_binding(const struct natt_facts *f);

/**
 * natt_diag_remap() - record an authenticated move of the peer from @old_ep
 * to @new_ep at @now (@esp: verified ESP, else IKE); the idle time is taken
 * from last_seen_ms, which becomes @now, as last_auth_ms. The first one
 * allocates the history; out of memory, the move is counted (remaps) but
 * not kept.
 */
void natt_diag_remap(struct natt_facts *f, uint64_t now, const struct sockaddr *old_ep,
		     const struct sockaddr *new_ep, bool esp);

/**
 * natt_diag_auth() - an authenticated packet from the peer at @now.
 */
void natt_diag_auth(struct natt_facts *f, uint64_t now);

/**
 * natt_diag_keepalive() - a keepalive from the peer at @now: counted, its
 * interval measured.
 */
void natt_diag_keepalive(struct natt_facts *f, uint64_t now);

/**
 * natt_diag_carry() - the IKE SA @dst replaces @src for the same peer
 * (rekey): @dst takes @src's history, keepalive counts, audit flags and
 * first establishment time; what @dst measured itself (NAT-D, legs) stays.
 */
void natt_diag_carry(struct natt_facts *dst, const struct natt_facts *src);

/**
 * natt_diag_free() - free @f's history (allocated by natt_diag_remap() or
 * natt_diag_carry()); hist is NULL after.
 */
void natt_diag_free(struct natt_facts *f);

/**
 * natt_diag_copy() - @dst becomes a copy of @src whose history, if any, is
 * in @hist (the caller's storage: nothing to free).
 */
void natt_diag_copy(struct natt_facts *dst, const struct natt_facts *src,
		    struct natt_history *hist);

/**
 * natt_diag_history() - the mapping changes oldest first: @v receives up
 * to @max. Return: how many are kept (at most NATT_DIAG_HISTORY).
 */
size_t natt_diag_history(const struct natt_facts *f, struct natt_remap *v, size_t max);

/**
 * natt_diag_audit() - should the gateway warn about this peer now?
 * @f:          the facts.
 * @now:        the time.
 * @threshold:  no keepalive seen for this long is worth a warning (0: the
 *              default NATT_DIAG_AUDIT_MS_DEFAULT).
 * @next:       receives when to ask again (UINT64_MAX: never).
 *
 * Only a peer behind a NAT (NAT-D, not proven faked) is audited, from its
 * establishment on, and each warning is given once (the caller sets
 * warned_none / warned_slow when it warns).
 *
 * Return: the warning due now, or NATT_AUDIT_NONE.
 */
enum natt_audit natt_diag_audit(const struct natt_facts *f, uint64_t now, uint32_t threshold,
				uint64_t *next);

/**
 * natt_diag_classify() - the classification and one-line diagnosis of @f
 * at @now, with the audit's @threshold (as natt_diag_audit()).
 */
void natt_diag_classify(const struct natt_facts *f, uint64_t now, uint32_t threshold,
			struct natt_diag *d);

/** natt_peer_nat_name() - "none", "claimed", "translated", "faked", "unknown". */
const char *natt_peer_nat_name(enum natt_peer_nat v);

/** natt_tri_name() - "yes", "no", "unknown". */
const char *natt_tri_name(enum natt_tri v);

#endif
