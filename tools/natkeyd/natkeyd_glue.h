/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure glue between the parsed configuration (ike/conf/conf.h) and the engine's
 * plain configuration (ike/engine.h), plus the kernel policies natkeyd keeps
 * in place for auto=route/start connections so that protected traffic never
 * leaves in clear text while no SA is installed.
 *
 * Nothing here touches a socket, a file or the clock: every function takes
 * values and fills caller-owned structs, so tests/tools/natkeyd/check_daemon_glue.c can
 * run it without privileges.
 */
#ifndef NATKEYD_TOOLS_GLUE_H
#define NATKEYD_TOOLS_GLUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ike/conf/conf.h"
#include "ike/conf/conf_secrets.h"
#include "ike/engine.h"
#include "xfrm/kernel_req.h"

#define NKD_ERR_MAX   512
#define NKD_TRAP_MAX  3 /* out, in, fwd */
#define NKD_SLOTS_MAX 1024

/**
 * nkd_conn_build() - translate one resolved conn into an engine connection.
 * @conn: the conn (auto != ignore).
 * @secrets: the parsed secrets (PSK lookup), or NULL.
 * @reqid: the reqid the daemon gives this connection (in natkeyd's range).
 * @out: filled completely (zeroed first); holds the PSK: wipe it with
 *       OPENSSL_cleanse() after use.
 * @err: on failure, one line naming the conn and the problem.
 * @err_len: size of @err.
 *
 * Return: 0, or -EINVAL (something the engine cannot express yet, or no PSK)
 * with @err set. A conn the daemon accepts with a reduced meaning (more
 * proposals than the engine takes) returns 0 and sets @err to a warning.
 */
int nkd_conn_build(const struct conf_conn *conn, const struct conf_secrets *secrets, uint32_t reqid,
		   struct ike_conn_cfg *out, char *err, size_t err_len);

#define NKD_PAIRS_MAX 16 /* pairs of subnets of one conn (leftsubnet=a,b) */

/**
 * nkd_conn_pairs() - the engine conns of a conn with several subnets on a
 * side (leftsubnet=a,b / leftsubnets={a b}): one per pair of a left and a
 * right subnet of one family, named NAME/LxR when that fits, all of engine
 * group 1 (one IKE SA, one Quick Mode each; ike/engine.h), pair k with
 * reqid @reqid + k. A conn with one subnet (or none) per side is one conn,
 * @base itself.
 * @c:    the conn.
 * @base: nkd_conn_build()'s result for it (the first pair's selectors).
 * @reqid: the first pair's reqid.
 * @out:  up to NKD_PAIRS_MAX conns (copies of @base: they hold the PSK).
 * @err:  on failure, one line naming the conn.
 *
 * Return: the number of conns, or -EINVAL (more than NKD_PAIRS_MAX pairs,
 * or no pair of one family).
 */
int nkd_conn_pairs(const struct conf_conn *c, const struct ike_conn_cfg *base, uint32_t reqid,
		   struct ike_conn_cfg *out, char *err, size_t err_len);

/**
 * nkd_conn_notes() - what `natkeyd --check-config` says about a built conn
 * besides its settings.
 * @conn: the conn.
 * @cfg: its engine connection (nkd_conn_build()).
 * @summary: receives, for right=%any, one comment line naming what a road
 *           warrior may claim as its client (Quick Mode IDci); may be NULL.
 * @warnings: receives one "warning: conn NAME: ..." line per risky setting:
 *            a right=%any PSK without an identity allow-list (rightid=
 *            pattern: group PSK), Aggressive Mode PSK as responder.
 *
 * Return: the number of warnings.
 */
int nkd_conn_notes(const struct conf_conn *conn, const struct ike_conn_cfg *cfg, FILE *summary,
		   FILE *warnings);

/**
 * nkd_halfopen_cfg() - the half-open limits of config setup @s (the pool all
 * engines share, struct nkd.halfopen).
 */
void nkd_halfopen_cfg(const struct conf_setup *s, struct ike_halfopen_cfg *out);

/**
 * nkd_conn_reqid() - the reqid of connection slot @slot: XK_REQID_MIN + slot.
 * Slots are never reused while the daemon runs, so a reload never hands an
 * old connection's reqid (and kernel state) to a new one.
 */
uint32_t nkd_conn_reqid(unsigned slot);

/**
 * nkd_trap_policies() - the policies that keep a connection's traffic from
 * leaving in clear text while no SA exists: same selector, direction and
 * template as the engine installs with the SA (it replaces them with
 * UPDPOLICY), so a packet that matches triggers an ACQUIRE instead.
 * @c: an engine connection with concrete local and remote addresses.
 * @out: up to NKD_TRAP_MAX policies.
 *
 * Return: the number of policies (2 transport, 3 tunnel), or -EINVAL when
 * the connection has no concrete peer (right=%any cannot be routed).
 */
int nkd_trap_policies(const struct ike_conn_cfg *c, struct xk_policy *out);

#define NKD_SHUNT_PRIO 100 /* shunts win over every tunnel and trap (>= 4 x (1024 - 256)) */
#define NKD_SHUNT_MAX  (CONF_SUBNETS_MAX * CONF_SUBNETS_MAX * 3)

/**
 * nkd_shunt_policies() - the kernel policies of a type=passthrough, drop or
 * reject conn: for every pair of a left and a right network of one family
 * (leftsubnet=, else left=ADDRESS) one policy out (left to right), in and
 * fwd (right to left), with leftprotoport=/rightprotoport=; no template:
 * passthrough lets the packets bypass IPsec, drop and reject discard them.
 * Their priority (NKD_SHUNT_PRIO) puts them before every tunnel policy, so
 * a gateway's own LAN stays out of a leftsubnet=0.0.0.0/0 tunnel.
 * @c:   the conn (c->shunt set).
 * @out: up to NKD_SHUNT_MAX policies.
 *
 * Return: their number, or -EINVAL (no pair of one family).
 */
int nkd_shunt_policies(const struct conf_conn *c, struct xk_policy *out);

/**
 * nkd_xauth_file_check() - xauthby=file: whether @x names a user of the
 * XAUTH entries of @secrets and its password (compared in constant time).
 */
bool nkd_xauth_file_check(const struct conf_secrets *secrets, const struct ike_xauth_check *x);

/**
 * nkd_policy_id_of() - the identity (selector, direction, mark) of @p, for
 * a POLICY_DELETE request.
 */
void nkd_policy_id_of(const struct xk_policy *p, struct xk_policy_id *id);

/**
 * nkd_sockaddr_to_text() - "192.0.2.1" (no port) into @buf; "" when unset.
 */
const char *nkd_sockaddr_to_text(const struct sockaddr_storage *ss, char *buf, size_t len);

/**
 * nkd_sockaddr_port() - the port of @ss in host order (0 when unset).
 */
uint16_t nkd_sockaddr_port(const struct sockaddr_storage *ss);

/**
 * nkd_xk_addr_from_sockaddr() - the address of @ss in kernel-request form.
 */
void nkd_xk_addr_from_sockaddr(const struct sockaddr_storage *ss, struct xk_addr *out);

/**
 * nkd_xk_addr_to_text() - print a kernel-request address.
 */
const char *nkd_xk_addr_to_text(const struct xk_addr *a, char *buf, size_t len);

/**
 * nkd_sockaddr_same_addr() - whether two sockaddrs carry the same address
 * (ports ignored).
 */
bool nkd_sockaddr_same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b);

/* How names and %defaultroute are looked up: the daemon's are getaddrinfo
 * and rtnetlink (tools/natkeyd/natkeyd_os.c), the tests' are tables. */
struct nkd_resolver {
	/* Up to @max addresses of @name in @family (AF_UNSPEC: any), in the
	 * resolver's order. Return: their number, or a negative errno with
	 * @why set ("no IPv4 address", the resolver's message). */
	int (*name)(void *arg, const char *name, int family, struct conf_addr *out, size_t max,
		    char *why, size_t why_len);
	/* This host's source address towards @peer, or when @peer is NULL on
	 * the default route of @family. Return: 0, or a negative errno with
	 * @why set ("no IPv4 default route"). */
	int (*defaultroute)(void *arg, int family, const struct conf_addr *peer,
			    struct conf_addr *out, char *why, size_t why_len);
	/* 1 when @a is an address of this host, 0 when not, negative errno. */
	int (*is_local)(void *arg, const struct conf_addr *a);
	void *arg;
};

/**
 * nkd_conn_resolve() - resolve left=/right= names and left=%defaultroute of
 * @c into their `resolved` addresses (ike/conf/conf.h; cleared first).
 * @c: the conn.
 * @r: the lookups.
 * @err: on failure one line "conn NAME: KEY=VALUE: reason".
 * @err_len: its size.
 *
 * Order: a literal address on either side fixes the family; right=NAME is
 * resolved first (its first address decides the family otherwise); a
 * left=NAME takes the first of its addresses that is local; %defaultroute
 * is the source towards the peer, or the default route's for right=%any
 * (IPv4, else IPv6, unless a literal fixes the family).
 *
 * Return: 0 or -EINVAL.
 */
int nkd_conn_resolve(struct conf_conn *c, const struct nkd_resolver *r, char *err, size_t err_len);

/**
 * nkd_conf_resolve() - nkd_conn_resolve() for every conn with auto != ignore.
 *
 * Return: 0, or -EINVAL with @err "FILE:LINE: conn NAME: KEY=VALUE: reason" for
 * the first failure.
 */
int nkd_conf_resolve(struct conf *conf, const struct nkd_resolver *r, char *err, size_t err_len);

/**
 * nkd_iface_allowed() - whether IKE arriving on interface @ifname is
 * accepted under interfaces= (Libreswan): every interface when the list is
 * empty; else only the listed ones. @ifname NULL or "" (unknown) is
 * refused when there is a list.
 */
bool nkd_iface_allowed(const struct conf_setup *s, const char *ifname);

#endif
