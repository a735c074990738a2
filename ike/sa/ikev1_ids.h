/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Traffic selectors as policy: which client networks a peer may claim in
 * Quick Mode (IDci/IDcr, RFC 2409 s5.5), and the kernel policy priority of
 * a selector. Pure functions over struct ike_ts; the Quick Mode handlers
 * (ikev1_quick.c) decide with them and log the verdict.
 */
#ifndef NATKEYD_IKE_IKEV1_IDS_H
#define NATKEYD_IKE_IKEV1_IDS_H

#include <stdbool.h>
#include <stddef.h>

#include "ike/engine.h"

/* Why a road warrior's client (IDci) is refused, or IDS_OK. */
enum ids_verdict {
	IDS_OK = 0,
	IDS_NOT_ALLOWED, /* outside the allow-list, and not the peer's own address */
	IDS_NOT_HOST,	 /* a network where only single addresses are allowed (vhost:) */
	IDS_NOT_NATED,	 /* vhost: a private address from a peer not behind a NAT */
	IDS_EXCLUDED,	 /* inside an excluded network (virtual-private=%v4:!NET) */
	IDS_GATEWAY,	 /* overlaps what the gateway itself protects (leftsubnet, its address) */
};

/**
 * ts_equal() - same address, prefix, protocol and port.
 */
bool ts_equal(const struct ike_ts *a, const struct ike_ts *b);

/**
 * ts_within() - @in lies inside @outer: its address range, and the same
 * protocol and port unless @outer allows any.
 */
bool ts_within(const struct ike_ts *in, const struct ike_ts *outer);

/**
 * ts_overlap() - the address ranges of @a and @b share an address (same
 * family, and one prefix contains the other); protocol and port ignored.
 */
bool ts_overlap(const struct ike_ts *a, const struct ike_ts *b);

/**
 * ts_format() - "10.1.0.2/32" (":PROTO/PORT" appended when set) into @buf.
 */
const char *ts_format(const struct ike_ts *ts, char *buf, size_t len);

/**
 * ids_client_check() - may a peer of the right=%any connection @c claim
 * the client @ci (its IDci; IDcr was checked against ours)?
 * @c: the connection.
 * @ci: the claimed client.
 * @self: the peer's own address as the wire shows it, as a host selector
 *        (strongSwan's "dynamic": always allowed).
 * @ours: the selector the gateway protects here (leftsubnet, or its own
 *        address).
 * @peer_nat: NAT-D showed the peer behind a NAT.
 *
 * Never what overlaps @ours (leftsubnet=0.0.0.0/0 or ::/0 excludes nothing);
 * else the peer's own address; else a network inside one of
 * c->client_allow and overlapping none of c->client_deny (with
 * c->client_hosts_only, as Libreswan's vhost:, a single address and only
 * from a peer behind a NAT: a private address through no NAT is a
 * misconfigured peer whose plain ESP would not arrive); with no allow-list,
 * c->remote_ts if set.
 *
 * Return: IDS_OK or why not.
 */
enum ids_verdict ids_client_check(const struct ike_conn_cfg *c, const struct ike_ts *ci,
				  const struct ike_ts *self, const struct ike_ts *ours,
				  bool peer_nat);

/**
 * ids_verdict_text() - the verdict for a log line ("outside the allow-list").
 * @has_list: the connection has an allow-list (changes the wording of
 * IDS_NOT_ALLOWED).
 */
const char *ids_verdict_text(enum ids_verdict v, bool has_list);

/**
 * ike_id_matches() - does a peer's Phase 1 identity (@type, @data, @len)
 * match the configured @want? Type 0 matches anything; FQDN "*.example.org"
 * matches every name under example.org and USER_FQDN "*@example.org" every
 * user of it (case-insensitive: the identity allow-list of a group-PSK
 * gateway); anything else must be equal.
 */
bool ike_id_matches(const struct ike_id *want, uint8_t type, const uint8_t *data, size_t len);

/**
 * ike_id_short() - an identity for a log line ("rw1.example", "10.1.0.2",
 * "DN"), at most 40 characters.
 */
const char *ike_id_short(const struct ike_id *id, char *buf, size_t len);

#endif
