/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A read-only view of an engine's SAs for the control socket and tests:
 * plain structs filled from the engine's own records, so that nobody has
 * to reconstruct NAT facts, SPIs or lifetimes from log text or from the
 * kernel requests going by. Times are computed from the caller's @now_ms
 * (the engine never reads a clock); nothing in the engine changes.
 */
#ifndef NATKEYD_IKE_ENGINE_STATUS_H
#define NATKEYD_IKE_ENGINE_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ike/engine.h"
#include "natt/diag.h"
#include "natt/method.h"

#define IKE_STATUS_PROPOSAL_MAX 64
#define IKE_STATUS_NO_TIME	(-1) /* rekey_in_s / expire_in_s: no such deadline */

/* One IKE (Phase 1) SA. */
struct ike_sa_status {
	uint32_t serial;
	unsigned conn_index;	 /* in ike_engine_cfg.conns */
	char conn[IKE_NAME_MAX]; /* connection name */
	bool initiator;		 /* we sent the first message */
	bool aggressive;	 /* Aggressive Mode (else Main Mode) */
	bool established;	 /* Phase 1 complete */
	bool deleting;		 /* being deleted */
	const char *state;	 /* "MAIN_I4", ... (static string) */
	uint8_t cky_i[8], cky_r[8];
	/* Where IKE runs now: after the float to 4500 and after any
	 * authenticated mapping change (RFC 3947 s4, s7). */
	struct sockaddr_storage local, remote;
	bool floated;		   /* IKE moved to port 4500 */
	const char *natt_method;   /* "none", "RFC 3947", ... (static) */
	enum natt_method method;   /* negotiated NAT-T method, NATT_METHOD_NONE before/without */
	bool natt;		   /* a NAT-T method was negotiated */
	bool local_behind_nat;	   /* NAT-D: our address is translated */
	bool peer_behind_nat;	   /* NAT-D: the peer's address is translated */
	bool force_encap;	   /* the connection forces UDP encapsulation */
	uint32_t keepalive_s;	   /* NAT-keepalive interval we send at, 0 = none */
	struct ike_p1_proposal p1; /* negotiated transform (zero before negotiation) */
	uint16_t auth;		   /* enum ike_auth_method, 0 before negotiation */
	/* "AES-CBC-256/SHA2-256/MODP-2048/PSK"; "" before negotiation. */
	char proposal[IKE_STATUS_PROPOSAL_MAX];
	struct ike_id peer_id; /* authenticated peer identity; type 0 until established */
	uint32_t life_s;       /* negotiated lifetime, 0 before negotiation */
	uint32_t age_s;	       /* since established; 0 while negotiating */
	int64_t rekey_in_s;    /* IKE_STATUS_NO_TIME: no rekey planned (responder, or started) */
	int64_t expire_in_s;   /* IKE_STATUS_NO_TIME: not established */
	/* XAUTH and Mode Config (ike/v1/ikev1_cfg.c): "" / family 0 when none. */
	char xauth_user[IKE_XAUTH_USER_MAX + 1]; /* the authenticated XAUTH user */
	struct xk_addr virtual_ip;		 /* the Mode Config address (either role) */
	uint8_t n_dns;				 /* client: the DNS servers received */
	struct xk_addr dns[IKE_MODECFG_DNS_MAX];
	/* The peer's NAT facts as measured (natt/diag.h; carried over rekeys)
	 * and their classification and diagnosis at @now_ms. */
	struct natt_facts nat;
	struct natt_diag nat_diag;
	/* nat.hist points here when there is a history (natt_diag_copy()): a
	 * copy of this struct still points at the original's. */
	struct natt_history nat_hist;
};

/* One IPsec SA pair (inbound + outbound kernel SA) or a Quick Mode in progress. */
struct ipsec_sa_status {
	uint32_t serial;
	uint32_t ike_serial; /* the IKE SA that negotiated it (may be gone) */
	unsigned conn_index;
	char conn[IKE_NAME_MAX];
	bool initiator;
	bool installed;		    /* both kernel SAs are in */
	bool replaced;		    /* a rekeyed successor is installed */
	bool rekeying;		    /* a successor is being negotiated */
	const char *state;	    /* "QUICK_I2", ... (static) */
	uint32_t spi_in, spi_out;   /* host order; 0 = not allocated/known yet */
	enum xk_mode mode;	    /* tunnel or transport */
	bool udp_encap;		    /* RFC 3948 UDP-encapsulated ESP */
	const char *encap;	    /* natt_encap_name(), "" before install (static) */
	struct ike_p2_proposal esp; /* negotiated ESP transform */
	uint16_t pfs_group;	    /* 0 = no PFS */
	/* "AES-CBC-128/HMAC-SHA1-96[/MODP-2048]"; "" before install. */
	char proposal[IKE_STATUS_PROPOSAL_MAX];
	struct ike_ts local_ts, remote_ts;     /* negotiated selectors */
	struct sockaddr_storage local, remote; /* outer endpoints (current) */
	uint32_t reqid;
	uint32_t life_s;
	uint32_t age_s;	     /* since installed; 0 before */
	int64_t rekey_in_s;  /* IKE_STATUS_NO_TIME: none planned (responder, or started) */
	int64_t expire_in_s; /* IKE_STATUS_NO_TIME: not installed */
};

/**
 * ike_status_ike_list() - describe the engine's IKE SAs, newest first.
 * @eng:    the engine (not changed).
 * @now_ms: the current time, on the clock the engine is fed with.
 * @v:      receives up to @max entries (may be NULL when @max is 0).
 * @max:    room in @v.
 *
 * Return: the number of IKE SAs the engine has (may exceed @max).
 */
size_t ike_status_ike_list(const struct ike_engine *eng, uint64_t now_ms, struct ike_sa_status *v,
			   size_t max);

/* One address of a Mode Config pool that has been leased (ike/sa/pool.h). */
struct ike_lease_status {
	struct xk_addr addr;
	char owner[256]; /* "xauth:USER", else "idTYPE:HEX" (the peer's identity) */
	bool online;	 /* a tunnel uses it now; else remembered for its owner */
};

/**
 * ike_status_leases() - the leases of connection @conn's pool, in address
 * order (addresses never leased are left out).
 * @eng:  the engine (not changed).
 * @conn: index in ike_engine_cfg.conns.
 * @v:    receives up to @max entries (may be NULL when @max is 0).
 * @max:  room in @v.
 * @size: receives the pool's number of addresses (0: the conn has no pool).
 *
 * Return: the number of leases (may exceed @max).
 */
size_t ike_status_leases(const struct ike_engine *eng, unsigned conn, struct ike_lease_status *v,
			 size_t max, uint32_t *size);

/**
 * ike_status_ike_exists() - does the engine have an IKE SA with @serial
 * (ike_sa_status.serial), in any state?
 */
bool ike_status_ike_exists(const struct ike_engine *eng, uint32_t serial);

/**
 * ike_status_ipsec_list() - describe the engine's IPsec SAs (installed ones
 * and Quick Modes in progress), newest first.
 * @eng:    the engine (not changed).
 * @now_ms: the current time.
 * @v:      receives up to @max entries (may be NULL when @max is 0).
 * @max:    room in @v.
 *
 * Return: the number of IPsec SAs the engine has (may exceed @max).
 */
size_t ike_status_ipsec_list(const struct ike_engine *eng, uint64_t now_ms,
			     struct ipsec_sa_status *v, size_t max);

/**
 * ike_status_p1_format() - a Phase 1 transform as "AES-CBC-256/SHA2-256/MODP-2048/PSK".
 * @p:    the transform.
 * @auth: enum ike_auth_method value.
 * @buf:  receives the text (always terminated when @len > 0).
 * @len:  its size.
 *
 * Return: @buf.
 */
const char *ike_status_p1_format(const struct ike_p1_proposal *p, uint16_t auth, char *buf,
				 size_t len);

/**
 * ike_status_p2_format() - an ESP transform as "AES-CBC-128/HMAC-SHA1-96" or
 * "AES-GCM-16-256", with "/MODP-2048" appended when @pfs_group is set.
 * @p:         the transform.
 * @pfs_group: enum ike_dh_group value, 0 = no PFS.
 * @buf:       receives the text (always terminated when @len > 0).
 * @len:       its size.
 *
 * Return: @buf.
 */
const char *ike_status_p2_format(const struct ike_p2_proposal *p, uint16_t pfs_group, char *buf,
				 size_t len);

/**
 * ike_status_id_format() - an identity in ipsec.conf syntax: "192.0.2.1",
 * "2001:db8::1", "@host.example", "user@example", a DN as
 * "C=CH, O=Example, CN=gw", a KEY_ID as "@#0a1b...", "%any" for type 0.
 * @id:  the identity (bytes as the peer sent them).
 * @buf: receives the text (always terminated when @len > 0); bytes of an
 *       FQDN or USER_FQDN that are not printable ASCII show as '?', so the
 *       text is safe on a terminal; a truncated text ends in "...".
 * @len: its size.
 *
 * Return: @buf.
 */
const char *ike_status_id_format(const struct ike_id *id, char *buf, size_t len);

#endif
