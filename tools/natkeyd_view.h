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
#include "xfrm/kernel_req.h"

#define NKD_VIEW_IKE	  8  /* IKE SAs shown per connection */
#define NKD_VIEW_CHILDREN 16 /* IPsec SAs shown per connection */
#define NKD_PROPOSAL_MAX  48

struct nkd_view {
	char last_error[IKE_LOG_TEXT_MAX + 32];
};

/* A connection's SAs as the engine reports them, plus printable proposals
 * in ipsec.conf syntax. */
struct nkd_facts {
	size_t n_ike;
	struct ike_sa_status ike[NKD_VIEW_IKE];
	char ike_proposal[NKD_VIEW_IKE][NKD_PROPOSAL_MAX]; /* "aes256-sha256-modp2048" */
	const struct ike_sa_status *main; /* the one the connection line shows, or NULL */
	size_t n_child;			  /* installed, not yet replaced IPsec SAs */
	struct ipsec_sa_status child[NKD_VIEW_CHILDREN];
	char child_proposal[NKD_VIEW_CHILDREN][NKD_PROPOSAL_MAX]; /* "aes128-sha1" */
};

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
 *          not yet replaced by a rekey, newest first.
 */
void nkd_facts_collect(const struct ike_engine *eng, uint64_t now_ms, struct nkd_facts *f);

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
