/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `natkeyctl status` shows of one connection. The facts (endpoints,
 * NAT-D outcome, SAs, SPIs, lifetimes) come from the engine's status
 * read-out (ike/engine_status.h); the only thing the daemon keeps on the
 * side is the last failure the engine logged, which the engine does not
 * remember. Pure: tested without a kernel.
 */
#ifndef NATKEYD_TOOLS_VIEW_H
#define NATKEYD_TOOLS_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike/engine.h"
#include "ike/engine_status.h"
#include "natt/endpoint.h"
#include "tools/ctl/ctl_proto.h"
#include "xfrm/kernel_req.h"

/* A gateway conn (right=%any) has one IKE SA per road warrior, two during a
 * rekey: the counts of what status shows, beyond which it says how many more
 * there are (nkd_facts.ike_total, child_total). */
#define NKD_VIEW_IKE	  256 /* IKE SAs shown per connection */
#define NKD_VIEW_CHILDREN 512 /* IPsec SAs shown per connection */
#define NKD_PROPOSAL_MAX  48
#define NKD_ID_MAX	  96   /* a peer identity as text ("@rw1.example", a DN) */
#define NKD_NO_IKE	  (-1) /* nkd_facts.child_ike: no IKE SA of the connection */

struct nkd_view {
	char last_error[IKE_LOG_TEXT_MAX + 32];
};

/* A connection's SAs as the engine reports them, plus printable proposals
 * in ipsec.conf syntax. */
struct nkd_facts {
	size_t n_ike;	  /* shown: min(ike_total, NKD_VIEW_IKE) */
	size_t ike_total; /* the engine's IKE SAs of the connection */
	struct ike_sa_status ike[NKD_VIEW_IKE];
	char ike_proposal[NKD_VIEW_IKE][NKD_PROPOSAL_MAX]; /* "aes256-sha256-modp2048" */
	char ike_peer_id[NKD_VIEW_IKE][NKD_ID_MAX];	   /* authenticated peer ID, "" before */
	const struct ike_sa_status *main; /* the one the connection summary shows, or NULL */
	size_t n_child;			  /* installed, not yet replaced IPsec SAs */
	size_t child_total;		  /* the engine's IPsec SAs, any state */
	struct ipsec_sa_status child[NKD_VIEW_CHILDREN];
	char child_proposal[NKD_VIEW_CHILDREN][NKD_PROPOSAL_MAX]; /* "aes128-sha1" */
	/* Index in ike[] of the IKE SA each child belongs to, or NKD_NO_IKE. */
	int child_ike[NKD_VIEW_CHILDREN];
};

/* The text a ctl_nat_view points into. */
struct nkd_nat_text {
	char leg500[NATT_ENDPOINT_STRLEN], leg4500[NATT_ENDPOINT_STRLEN], natoa[64];
	char hist[CTL_NAT_HISTORY_MAX][2][NATT_ENDPOINT_STRLEN];
	struct ctl_nat_remap_view remaps[CTL_NAT_HISTORY_MAX];
};

/**
 * nkd_nat_view() - the NAT facts of IKE SA @k (ike_status_ike_list() at
 * @now_ms) as the control protocol shows them; @v points into @t and @k.
 */
void nkd_nat_view(const struct ike_sa_status *k, uint64_t now_ms, struct nkd_nat_text *t,
		  struct ctl_nat_view *v);

/**
 * nkd_nat_shown() - whether `natkeyctl nat` lists IKE SA @i of @v (newest
 * first): established, and no newer established SA of the same peer
 * (identity and endpoint) in @v, so a peer in the middle of a rekey shows
 * once, with its newest facts.
 */
bool nkd_nat_shown(const struct ike_sa_status *v, size_t i);

/**
 * nkd_view_reset() - forget everything (connection loaded or torn down).
 */
void nkd_view_reset(struct nkd_view *v);

/**
 * nkd_view_on_action() - remember the last failure the engine logged
 * (warnings and errors; cleared when an IKE SA comes up).
 */
void nkd_view_on_action(struct nkd_view *v, const struct ike_action *a);

/**
 * nkd_facts_collect() - query @eng's status read-out at @now_ms.
 * @eng:    the connection's engine.
 * @now_ms: the time on the engine's clock.
 * @f:      filled; f->main is the newest established IKE SA (else the
 *          newest IKE SA, else NULL); children are the installed IPsec SAs
 *          not yet replaced by a rekey, newest first, each tied to its IKE
 *          SA by nkd_child_ike_find().
 */
void nkd_facts_collect(const struct ike_engine *eng, uint64_t now_ms, struct nkd_facts *f);

/**
 * nkd_child_ike_find() - the IKE SA an IPsec SA belongs to, for display:
 * the one that negotiated it while it exists; after that one is gone (an
 * IKE rekey), the newest established IKE SA with the same peer address and
 * port, so that two road warriors behind one NAT (same address, different
 * ports) are never mixed up.
 * @ike:   IKE SAs, newest first (ike_status_ike_list() order).
 * @n_ike: their number.
 * @child: the IPsec SA.
 *
 * Return: an index into @ike, or NKD_NO_IKE.
 */
int nkd_child_ike_find(const struct ike_sa_status *ike, size_t n_ike,
		       const struct ipsec_sa_status *child);

/**
 * nkd_sockaddr_same() - same family, address and port.
 */
bool nkd_sockaddr_same(const struct sockaddr_storage *a, const struct sockaddr_storage *b);

/**
 * nkd_natt_method_name() - the JSON name of a NAT-T method: "none",
 * "rfc3947", or the draft's name ("draft-ietf-ipsec-nat-t-ike-02").
 */
const char *nkd_natt_method_name(enum natt_method m, char *buf, size_t len);

/**
 * nkd_p1_name() - a Phase 1 transform in ike= syntax ("aes256-sha256-modp2048").
 */
const char *nkd_p1_name(const struct ike_p1_proposal *p, char *buf, size_t len);

/**
 * nkd_p2_name() - an ESP transform in esp= syntax ("aes128-sha1",
 * "aes256gcm16-modp2048" with PFS).
 */
const char *nkd_p2_name(const struct ike_p2_proposal *p, uint16_t pfs_group, char *buf, size_t len);

/**
 * nkd_enc_name() / nkd_auth_name() - "aes128", "aes256gcm16", "sha256".
 */
const char *nkd_enc_name(enum xk_enc_alg enc, uint16_t bits, char *buf, size_t len);
const char *nkd_auth_name(enum xk_auth_alg auth);

#endif
