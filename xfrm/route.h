/* route.h: rtnetlink route lookups (RTM_GETROUTE) for left=%defaultroute and for checking that
 * an address belongs to this host; and, for a Mode Config client (leftsourceip=%config), the
 * address it received (RTM_NEWADDR / RTM_DELADDR) and its routes (RTM_NEWROUTE / RTM_DELROUTE).
 *
 * Builders and the reply parser are pure (caller buffers, no I/O); tests/xfrm/check_xfrm_route.c
 * replays kernel replies captured by tests/vectors/route/capture.py through them. The two
 * lookup functions at the end open a NETLINK_ROUTE socket for one query each: they run at
 * configuration load and reload, never on a per-packet path. Route lookups need no privilege.
 */
#ifndef NATKEYD_XFRM_ROUTE_H
#define NATKEYD_XFRM_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

/* One route as RTM_NEWROUTE describes it. */
struct route_info {
	int family;	   /* AF_INET or AF_INET6 */
	uint8_t type;	   /* RTN_UNICAST, RTN_LOCAL, ... */
	uint8_t dst_len;   /* prefix length: 0 for a default route */
	uint32_t table;	   /* RTA_TABLE, else rtm_table */
	uint32_t priority; /* RTA_PRIORITY (the metric); 0 when absent */
	uint32_t oif;	   /* RTA_OIF; 0 when absent */
	bool has_prefsrc;
	bool has_gateway;
	uint8_t prefsrc[16]; /* 4 or 16 bytes by family */
	uint8_t gateway[16];
};

enum route_query {
	ROUTE_QUERY_GET,     /* one route: the kernel's lookup for a destination */
	ROUTE_QUERY_DEFAULT, /* a dump, reduced to the best default route of the main table */
	ROUTE_QUERY_ACK,     /* a change (address, route): only the kernel's ack or error */
};

/* The routing protocol ("proto 78" in `ip route`) natkeyd's routes carry, so that they are
 * told apart from everyone else's and only they are removed. */
#define ROUTE_PROTO_NATKEYD 78

/* A route natkeyd adds or removes (main table, unicast). */
struct route_change {
	int family;		/* AF_INET or AF_INET6 */
	const uint8_t *dst;	/* the network: 4 or 16 bytes */
	uint8_t dst_len;	/* its prefix length */
	uint32_t oif;		/* output interface index, 0 = none */
	const uint8_t *gateway; /* NULL: on link */
	const uint8_t *prefsrc; /* NULL: none (the source address the kernel picks) */
};

/* The state of one query's reply, fed chunk by chunk to route_reply_parse(). */
struct route_reply {
	enum route_query query;
	int family;
	uint32_t seq;		 /* only messages with this sequence number count */
	bool found;		 /* GET: the route; DEFAULT: a default route so far */
	struct route_info route; /* GET: the route; DEFAULT: the lowest metric one */
	unsigned n_default;	 /* DEFAULT: default routes seen */
};

/**
 * route_msg_build_get() - RTM_GETROUTE for @dst (what `ip route get DST` sends).
 * @buf: where to build; @len: its size.
 * @seq: the netlink sequence number.
 * @family: AF_INET or AF_INET6.
 * @dst: 4 or 16 bytes.
 *
 * Return: the message length, -EMSGSIZE when @buf is too small, -EINVAL for a bad family.
 */
int route_msg_build_get(void *buf, size_t len, uint32_t seq, int family, const uint8_t *dst);

/**
 * route_msg_build_dump() - RTM_GETROUTE with NLM_F_DUMP: every route of @family.
 *
 * Return: the message length, -EMSGSIZE or -EINVAL.
 */
int route_msg_build_dump(void *buf, size_t len, uint32_t seq, int family);

/**
 * route_msg_parse() - one RTM_NEWROUTE message into @out.
 * @nlh: a message whose nlmsg_len the caller checked against the bytes it has.
 * @out: zeroed, then filled.
 *
 * Checks: payload holds a struct rtmsg; the family is AF_INET or AF_INET6 and the prefix
 * length fits it; every attribute fits the message; RTA_DST, RTA_GATEWAY and RTA_PREFSRC are
 * exactly one address of that family; RTA_OIF, RTA_PRIORITY and RTA_TABLE are 32 bits.
 * Unknown attributes are skipped.
 *
 * Return: 0 or -EBADMSG.
 */
int route_msg_parse(const struct nlmsghdr *nlh, struct route_info *out);

/**
 * route_reply_parse() - consume one received chunk of the reply to the query @st describes.
 * @st: query, family and seq set by the caller, the rest zeroed before the first chunk.
 * @buf: the bytes of one recv(); @len: their number.
 *
 * Messages of another sequence number are ignored. GET keeps the first route; DEFAULT keeps
 * the unicast default route (prefix length 0) of the main table with the lowest metric.
 *
 * Return: 1 when the reply is complete, 0 when more chunks follow, the kernel's negative errno
 * from an NLMSG_ERROR (e.g. -ENETUNREACH: no route), or -EBADMSG for a malformed chunk (a
 * message that does not fit, trailing bytes, a route of the wrong family).
 */
int route_reply_parse(struct route_reply *st, const void *buf, size_t len);

/**
 * route_lookup() - ask the kernel for its route to @dst (one query on a new socket).
 * @family: AF_INET or AF_INET6; @dst: 4 or 16 bytes.
 * @out: the route; for an outgoing route, prefsrc is the source address the kernel chooses.
 *
 * Return: 0, the kernel's negative errno (-ENETUNREACH, -EHOSTUNREACH), -ETIMEDOUT when the
 * kernel did not answer within 2 s, -EBADMSG, or the errno of socket/bind/send/recv.
 */
int route_lookup(int family, const uint8_t *dst, struct route_info *out);

/**
 * route_default_source() - this host's source address on the default route of @family.
 * @src: receives 4 or 16 bytes.
 * @oif: receives the route's output interface index (may be NULL).
 *
 * The route's own preferred source (`src` in `ip route`) when it has one, else the source the
 * kernel chooses for the route's gateway (route_lookup()).
 *
 * Return: 0, -ENOENT when there is no default route, -EADDRNOTAVAIL when it has neither a
 * source nor a gateway, or an error of the queries.
 */
int route_default_source(int family, uint8_t *src, uint32_t *oif);

/**
 * route_msg_build_addr() - RTM_NEWADDR (@add: NLM_F_CREATE | NLM_F_EXCL) or RTM_DELADDR for
 * @addr/@plen on interface @ifindex, asking for an ack (`ip addr add|del ADDR/PLEN dev IF`).
 *
 * Return: the message length, -EMSGSIZE or -EINVAL (family, prefix length, no interface).
 */
int route_msg_build_addr(void *buf, size_t len, uint32_t seq, bool add, int family,
			 const uint8_t *addr, uint8_t plen, uint32_t ifindex);

/**
 * route_msg_build_route() - RTM_NEWROUTE (@add: NLM_F_CREATE | NLM_F_EXCL) or RTM_DELROUTE of
 * @r in the main table with protocol ROUTE_PROTO_NATKEYD, asking for an ack.
 *
 * Return: the message length, -EMSGSIZE or -EINVAL.
 */
int route_msg_build_route(void *buf, size_t len, uint32_t seq, bool add,
			  const struct route_change *r);

/**
 * route_request() - send one change built above (its nlmsg_seq is set here) on a new
 * NETLINK_ROUTE socket and wait for the kernel's answer.
 *
 * Return: 0 (acked), the kernel's negative errno (-EEXIST, -EADDRNOTAVAIL, -ESRCH, -EPERM),
 * -ETIMEDOUT, -EBADMSG, or the errno of socket/bind/send/recv.
 */
int route_request(void *msg, size_t len);

/**
 * route_addr_change() / route_route_change() - build and send (route_request()).
 */
int route_addr_change(bool add, int family, const uint8_t *addr, uint8_t plen, uint32_t ifindex);
int route_route_change(bool add, const struct route_change *r);

#endif
