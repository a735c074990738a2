/* route.c: RTM_GETROUTE requests and replies over libmnl (see route.h). The parser trusts no
 * length: libmnl checks that each message and attribute fits what is left, the table below
 * checks each attribute's size, and addresses must match the route's family. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "xfrm/route.h"

#define ROUTE_RECV_BYTES 16384
#define ROUTE_TIMEOUT_S	 2

static size_t family_addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

static struct nlmsghdr *request_start(void *buf, size_t len, uint32_t seq, int family,
				      uint16_t flags, struct rtmsg **rtm)
{
	struct nlmsghdr *nlh;

	if (!family_addr_len(family))
		return NULL;
	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(**rtm)))
		return NULL;
	memset(buf, 0, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(**rtm)));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	*rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(**rtm));
	(*rtm)->rtm_family = (uint8_t)family;
	return nlh;
}

int route_msg_build_get(void *buf, size_t len, uint32_t seq, int family, const uint8_t *dst)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	size_t alen = family_addr_len(family);

	if (!alen)
		return -EINVAL;
	nlh = request_start(buf, len, seq, family, 0, &rtm);
	if (!nlh)
		return -EMSGSIZE;
	rtm->rtm_dst_len = (uint8_t)(alen * 8);
	if (!mnl_attr_put_check(nlh, len, RTA_DST, alen, dst))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int route_msg_build_dump(void *buf, size_t len, uint32_t seq, int family)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (!family_addr_len(family))
		return -EINVAL;
	nlh = request_start(buf, len, seq, family, NLM_F_DUMP, &rtm);
	if (!nlh)
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

struct attr_ctx {
	const struct nlattr *tb[RTA_MAX + 1];
	size_t alen;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	struct attr_ctx *ctx = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type > RTA_MAX)
		return MNL_CB_OK; /* newer than our headers: skip */
	switch (type) {
	case RTA_DST:
	case RTA_GATEWAY:
	case RTA_PREFSRC:
		/* Cross-field check: exactly one address of the route's family. */
		if (mnl_attr_get_payload_len(attr) != ctx->alen)
			return MNL_CB_ERROR;
		break;
	case RTA_OIF:
	case RTA_PRIORITY:
	case RTA_TABLE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		break;
	default:
		return MNL_CB_OK;
	}
	ctx->tb[type] = attr;
	return MNL_CB_OK;
}

int route_msg_parse(const struct nlmsghdr *nlh, struct route_info *out)
{
	const struct nlattr *attr;
	struct attr_ctx ctx;
	struct rtmsg rtm;

	memset(out, 0, sizeof(*out));
	memset(&ctx, 0, sizeof(ctx));
	/* An aligned length keeps libmnl's payload tail inside the message. */
	if (nlh->nlmsg_type != RTM_NEWROUTE || nlh->nlmsg_len < MNL_NLMSG_HDRLEN ||
	    nlh->nlmsg_len % MNL_ALIGNTO || mnl_nlmsg_get_payload_len(nlh) < MNL_ALIGN(sizeof(rtm)))
		return -EBADMSG;
	memcpy(&rtm, mnl_nlmsg_get_payload(nlh), sizeof(rtm));
	ctx.alen = family_addr_len(rtm.rtm_family);
	if (!ctx.alen || rtm.rtm_dst_len > ctx.alen * 8)
		return -EBADMSG;
	/* Not mnl_attr_parse(): it stops quietly at a broken attribute. Every byte after the
	 * rtmsg must belong to a well-formed attribute. */
	mnl_attr_for_each(attr, nlh, MNL_ALIGN(sizeof(rtm)))
	{
		if (attr_cb(attr, &ctx) != MNL_CB_OK)
			return -EBADMSG;
	}
	if ((const void *)attr != mnl_nlmsg_get_payload_tail(nlh))
		return -EBADMSG;
	out->family = rtm.rtm_family;
	out->type = rtm.rtm_type;
	out->dst_len = rtm.rtm_dst_len;
	/* Table ids above 255 only fit the attribute. */
	out->table = ctx.tb[RTA_TABLE] ? mnl_attr_get_u32(ctx.tb[RTA_TABLE]) : rtm.rtm_table;
	if (ctx.tb[RTA_PRIORITY])
		out->priority = mnl_attr_get_u32(ctx.tb[RTA_PRIORITY]);
	if (ctx.tb[RTA_OIF])
		out->oif = mnl_attr_get_u32(ctx.tb[RTA_OIF]);
	if (ctx.tb[RTA_PREFSRC]) {
		out->has_prefsrc = true;
		memcpy(out->prefsrc, mnl_attr_get_payload(ctx.tb[RTA_PREFSRC]), ctx.alen);
	}
	if (ctx.tb[RTA_GATEWAY]) {
		out->has_gateway = true;
		memcpy(out->gateway, mnl_attr_get_payload(ctx.tb[RTA_GATEWAY]), ctx.alen);
	}
	return 0;
}

static int reply_error(const struct nlmsghdr *nlh)
{
	struct nlmsgerr e;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(e))
		return -EBADMSG;
	memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	if (e.error > 0)
		return -EBADMSG;
	return e.error; /* 0: an ack, which also ends a request */
}

static bool route_is_default(const struct route_info *r)
{
	return r->dst_len == 0 && r->table == RT_TABLE_MAIN && r->type == RTN_UNICAST;
}

int route_reply_parse(struct route_reply *st, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	struct route_info ri;
	int left, rc;

	if (len > INT_MAX)
		return -EBADMSG; /* libmnl counts in int */
	left = (int)len;
	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		if (nlh->nlmsg_seq != st->seq)
			continue; /* not an answer to this query */
		switch (nlh->nlmsg_type) {
		case NLMSG_ERROR:
			rc = reply_error(nlh);
			return rc < 0 ? rc : 1;
		case NLMSG_DONE:
			/* A dump ends here; a DONE that carries an error reports it. */
			if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
				int err;

				memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
				if (err < 0)
					return err;
			}
			return 1;
		case RTM_NEWROUTE:
			if (st->query == ROUTE_QUERY_ACK)
				break; /* a change waits for its ack only */
			if (route_msg_parse(nlh, &ri) < 0 || ri.family != st->family)
				return -EBADMSG;
			if (st->query == ROUTE_QUERY_GET) {
				st->route = ri;
				st->found = true;
				return 1;
			}
			if (!route_is_default(&ri))
				break;
			st->n_default++;
			if (!st->found || ri.priority < st->route.priority) {
				st->route = ri;
				st->found = true;
			}
			break;
		default:
			break; /* NLMSG_NOOP and the like */
		}
	}
	/* Bytes that do not form a whole message: a broken reply, not "more to come". */
	return left > 0 ? -EBADMSG : 0;
}

/* One request on its own socket, receiving until route_reply_parse() is done. @msg is built
 * in @buf (NULL: build the query @st describes for @dst). */
static int query_run_msg(struct route_reply *st, const uint8_t *dst, void *msg, size_t msg_len)
{
	static const struct timeval tmo = { .tv_sec = ROUTE_TIMEOUT_S };
	uint8_t buf[ROUTE_RECV_BYTES] __attribute__((aligned(8)));
	struct mnl_socket *nl;
	ssize_t n;
	int rc, l;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo)) < 0) {
		rc = -errno;
		goto out;
	}
	st->seq = 1;
	if (msg) {
		if (msg_len < sizeof(struct nlmsghdr) || msg_len > sizeof(buf)) {
			rc = -EINVAL;
			goto out;
		}
		((struct nlmsghdr *)msg)->nlmsg_seq = st->seq;
		memcpy(buf, msg, msg_len);
		l = (int)msg_len;
	} else {
		l = st->query == ROUTE_QUERY_GET
			    ? route_msg_build_get(buf, sizeof(buf), st->seq, st->family, dst)
			    : route_msg_build_dump(buf, sizeof(buf), st->seq, st->family);
	}
	if (l < 0) {
		rc = l;
		goto out;
	}
	if (mnl_socket_sendto(nl, buf, (size_t)l) < 0) {
		rc = -errno;
		goto out;
	}
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			rc = errno == EAGAIN || errno == EWOULDBLOCK ? -ETIMEDOUT : -errno;
			goto out;
		}
		rc = route_reply_parse(st, buf, (size_t)n);
	} while (rc == 0);
	if (rc == 1)
		rc = 0;
out:
	mnl_socket_close(nl);
	return rc;
}

static int query_run(struct route_reply *st, const uint8_t *dst)
{
	return query_run_msg(st, dst, NULL, 0);
}

int route_request(void *msg, size_t len)
{
	struct route_reply st;

	memset(&st, 0, sizeof(st));
	st.query = ROUTE_QUERY_ACK;
	return query_run_msg(&st, NULL, msg, len);
}

int route_msg_build_addr(void *buf, size_t len, uint32_t seq, bool add, int family,
			 const uint8_t *addr, uint8_t plen, uint32_t ifindex)
{
	size_t alen = family_addr_len(family);
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;

	if (!alen || plen > alen * 8 || !ifindex)
		return -EINVAL;
	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifa)))
		return -EMSGSIZE;
	memset(buf, 0, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*ifa)));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	if (!mnl_attr_put_check(nlh, len, IFA_LOCAL, alen, addr) ||
	    !mnl_attr_put_check(nlh, len, IFA_ADDRESS, alen, addr))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int route_msg_build_route(void *buf, size_t len, uint32_t seq, bool add,
			  const struct route_change *r)
{
	size_t alen = family_addr_len(r->family);
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (!alen || !r->dst || r->dst_len > alen * 8)
		return -EINVAL;
	nlh = request_start(buf, len, seq, r->family,
			    NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_EXCL : 0), &rtm);
	if (!nlh)
		return -EMSGSIZE;
	nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	rtm->rtm_dst_len = r->dst_len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = ROUTE_PROTO_NATKEYD;
	/* As `ip route` sends them: a delete matches any scope. */
	rtm->rtm_scope = !add ? RT_SCOPE_NOWHERE : r->gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	if (!mnl_attr_put_check(nlh, len, RTA_DST, alen, r->dst))
		return -EMSGSIZE;
	if (r->oif && !mnl_attr_put_u32_check(nlh, len, RTA_OIF, r->oif))
		return -EMSGSIZE;
	if (r->gateway && !mnl_attr_put_check(nlh, len, RTA_GATEWAY, alen, r->gateway))
		return -EMSGSIZE;
	if (r->prefsrc && !mnl_attr_put_check(nlh, len, RTA_PREFSRC, alen, r->prefsrc))
		return -EMSGSIZE;
	return (int)nlh->nlmsg_len;
}

int route_addr_change(bool add, int family, const uint8_t *addr, uint8_t plen, uint32_t ifindex)
{
	uint8_t buf[256] __attribute__((aligned(8)));
	int l = route_msg_build_addr(buf, sizeof(buf), 0, add, family, addr, plen, ifindex);

	return l < 0 ? l : route_request(buf, (size_t)l);
}

int route_route_change(bool add, const struct route_change *r)
{
	uint8_t buf[256] __attribute__((aligned(8)));
	int l = route_msg_build_route(buf, sizeof(buf), 0, add, r);

	return l < 0 ? l : route_request(buf, (size_t)l);
}

int route_lookup(int family, const uint8_t *dst, struct route_info *out)
{
	struct route_reply st;
	int rc;

	memset(&st, 0, sizeof(st));
	st.query = ROUTE_QUERY_GET;
	st.family = family;
	rc = query_run(&st, dst);
	if (rc == 0 && !st.found)
		rc = -EBADMSG; /* an ack without the route */
	if (rc == 0)
		*out = st.route;
	return rc;
}

int route_default_source(int family, uint8_t *src, uint32_t *oif)
{
	struct route_reply st;
	struct route_info via;
	size_t alen = family_addr_len(family);
	int rc;

	if (!alen)
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	st.query = ROUTE_QUERY_DEFAULT;
	st.family = family;
	rc = query_run(&st, NULL);
	if (rc < 0)
		return rc;
	if (!st.found)
		return -ENOENT;
	if (oif)
		*oif = st.route.oif;
	if (st.route.has_prefsrc) {
		memcpy(src, st.route.prefsrc, alen);
		return 0;
	}
	if (!st.route.has_gateway)
		return -EADDRNOTAVAIL;
	/* No `src` on the route: the source the kernel picks to reach the gateway, which is
	 * the one it picks for everything sent over this route. */
	rc = route_lookup(family, st.route.gateway, &via);
	if (rc < 0)
		return rc;
	/* A link-local source (an IPv6 gateway fe80::/10) cannot be an IKE endpoint. */
	if (!via.has_prefsrc ||
	    (family == AF_INET6 && via.prefsrc[0] == 0xfe && (via.prefsrc[1] & 0xc0) == 0x80))
		return -EADDRNOTAVAIL;
	memcpy(src, via.prefsrc, alen);
	return 0;
}
