/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `natkeyctl status` shows of one connection, learned from the actions
 * its engine emits: the kernel SAs it installs and deletes (SPIs, outer
 * endpoints, UDP encapsulation), the NAT-D outcome and the endpoints IKE
 * currently uses. Pure: fed with actions and the time, tested without a
 * kernel.
 */
#ifndef NATKEYD_TOOLS_VIEW_H
#define NATKEYD_TOOLS_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "ike/engine.h"
#include "xfrm/kernel_req.h"

#define NKD_VIEW_CHILDREN 8

/* One installed IPsec SA pair (inbound + outbound kernel SA). */
struct nkd_child {
	uint32_t spi_in, spi_out; /* 0 = that half not installed (yet/anymore) */
	struct xk_addr in_dst;	  /* our address: identifies the inbound SA */
	struct xk_addr out_dst;	  /* the peer's address: the outbound SA */
	enum xk_mode mode;
	enum xk_enc_alg enc;
	uint16_t enc_bits;
	enum xk_auth_alg auth;
	bool udp_encap;
	uint16_t encap_sport, encap_dport; /* outbound SA's UDP ports */
	uint64_t added_ms;
	uint64_t lifetime_s;
};

struct nkd_view {
	struct sockaddr_storage local, remote; /* last IKE datagram's endpoints */
	bool have_endpoints;
	bool nat_known;
	bool nat_we, nat_peer;
	char nat_method[32];
	char last_error[IKE_LOG_TEXT_MAX + 32];
	uint64_t ike_up_ms; /* time of the last IKE_ESTABLISHED, 0 = never */
	unsigned n_children;
	struct nkd_child children[NKD_VIEW_CHILDREN];
};

/**
 * nkd_view_reset() - forget everything (connection loaded or torn down).
 */
void nkd_view_reset(struct nkd_view *v);

/**
 * nkd_view_on_action() - learn from one action of the connection's engine.
 * @v: the view.
 * @a: the action (IKE_ACT_SEND's endpoints, IKE_ACT_KERNEL's SA requests,
 *     IKE_ACT_LOG's reasons).
 * @now_ms: the time the action was produced.
 */
void nkd_view_on_action(struct nkd_view *v, const struct ike_action *a, uint64_t now_ms);

/**
 * nkd_view_on_dgram() - learn the endpoints of a datagram given to the
 * engine (the peer's address and port as seen after any NAT).
 */
void nkd_view_on_dgram(struct nkd_view *v, const struct sockaddr_storage *local,
		       const struct sockaddr_storage *remote);

/**
 * nkd_enc_name() / nkd_auth_name() - "aes128", "aes256gcm16", "sha256".
 */
const char *nkd_enc_name(enum xk_enc_alg enc, uint16_t bits, char *buf, size_t len);
const char *nkd_auth_name(enum xk_auth_alg auth);

#endif
