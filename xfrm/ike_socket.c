/* ike_socket.c: IKE UDP sockets with packet info, ESP-in-UDP and per-socket bypass policies. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/udp.h>
#include <linux/ipsec.h>
#include <linux/xfrm.h>

#include "natt/framing.h" /* the keepalive's shape (macros only: no link dependency) */
#include "xfrm/ike_socket.h"

#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif

void ike_sockets_close(struct ike_sockets *s)
{
	for (int i = 0; i < IKE_SOCK_COUNT; i++) {
		if (s->fd[i] >= 0)
			close(s->fd[i]);
		s->fd[i] = -1;
	}
}

/* One step failed: name the socket, the step and the reason. */
static int sock_fail(char *err, size_t err_len, int family, uint16_t port, const char *step)
{
	int e = errno;
	snprintf(err, err_len, "%s UDP %u: %s: %s", family == AF_INET ? "IPv4" : "IPv6", port, step,
		 strerror(e));
	return -e;
}

/* Per-socket bypass: an ALLOW policy without templates in each direction overrides the SPD
 * for this socket's packets (the same mechanism racoon/pluto/charon use). */
static int sock_bypass(int fd, int family)
{
	struct xfrm_userpolicy_info pol;
	int level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	int opt = family == AF_INET ? IP_XFRM_POLICY : IPV6_XFRM_POLICY;
	static const int dirs[] = { XFRM_POLICY_IN, XFRM_POLICY_OUT };

	for (size_t i = 0; i < 2; i++) {
		memset(&pol, 0, sizeof(pol));
		pol.action = XFRM_POLICY_ALLOW;
		pol.sel.family = (uint16_t)family;
		pol.dir = (uint8_t)dirs[i];
		pol.lft.soft_byte_limit = XFRM_INF;
		pol.lft.hard_byte_limit = XFRM_INF;
		pol.lft.soft_packet_limit = XFRM_INF;
		pol.lft.hard_packet_limit = XFRM_INF;
		if (setsockopt(fd, level, opt, &pol, sizeof(pol)) < 0)
			return -1;
	}
	return 0;
}

int ike_socket_bufsize_set(int fd, int bytes, bool *capped)
{
	static const int force[2] = { SO_RCVBUFFORCE, SO_SNDBUFFORCE };
	static const int plain[2] = { SO_RCVBUF, SO_SNDBUF };

	*capped = false;
	for (int i = 0; i < 2; i++) {
		if (setsockopt(fd, SOL_SOCKET, force[i], &bytes, sizeof(bytes)) == 0)
			continue;
		*capped = true; /* EPERM without CAP_NET_ADMIN: up to net.core.[rw]mem_max */
		if (setsockopt(fd, SOL_SOCKET, plain[i], &bytes, sizeof(bytes)) < 0)
			return -errno;
	}
	return 0;
}

/* The smaller of what the kernel granted so far and what fd has. */
static void sock_buf_granted(struct ike_sockets *s, int fd)
{
	int v;
	socklen_t l = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &l) == 0 && (!s->rcvbuf || v < s->rcvbuf))
		s->rcvbuf = v;
	l = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, &l) == 0 && (!s->sndbuf || v < s->sndbuf))
		s->sndbuf = v;
}

static int sock_open_one(struct ike_sockets *s, int *out, int family, uint16_t port, bool natt,
			 const struct ike_socket_cfg *cfg, char *err, size_t err_len)
{
	int one = 1;
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	int ret;

	if (fd < 0)
		return sock_fail(err, err_len, family, port, "socket()");
	/* No SO_REUSEADDR: a second daemon on the same ports must fail at bind(), not share
	 * (and steal) the datagrams of the first. */
	if (family == AF_INET) {
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0) {
			ret = sock_fail(err, err_len, family, port, "setsockopt(IP_PKTINFO)");
			goto fail;
		}
	} else {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) {
			ret = sock_fail(err, err_len, family, port, "setsockopt(IPV6_V6ONLY)");
			goto fail;
		}
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) < 0) {
			ret = sock_fail(err, err_len, family, port, "setsockopt(IPV6_RECVPKTINFO)");
			goto fail;
		}
	}
	if (cfg->bufsize > 0) {
		bool capped;

		if (ike_socket_bufsize_set(fd, cfg->bufsize, &capped) < 0) {
			ret = sock_fail(err, err_len, family, port,
					"setsockopt(SO_RCVBUF/SO_SNDBUF)");
			goto fail;
		}
		s->buf_capped |= capped;
	}
	sock_buf_granted(s, fd);
	if (!cfg->no_bypass && sock_bypass(fd, family) < 0) {
		ret = sock_fail(err, err_len, family, port,
				family == AF_INET ? "setsockopt(IP_XFRM_POLICY bypass)"
						  : "setsockopt(IPV6_XFRM_POLICY bypass)");
		goto fail;
	}
	if (natt && !cfg->no_encap) {
		int type = UDP_ENCAP_ESPINUDP; /* RFC 3948 s2.2: non-ESP marker framing */
		if (setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type)) < 0) {
			ret = sock_fail(err, err_len, family, port,
					"setsockopt(UDP_ENCAP_ESPINUDP)");
			goto fail;
		}
	}
	struct sockaddr_storage ss;
	socklen_t sl;
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sl = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sl = sizeof(*sin6);
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0) {
		if (errno == EADDRINUSE) {
			/* The usual cause, said so that an admin knows what to do. */
			snprintf(err, err_len,
				 "UDP port %u (%s) is already in use: stop the other IKE daemon "
				 "(natkeyd, charon, pluto, racoon) first",
				 port, family == AF_INET ? "IPv4" : "IPv6");
			ret = -EADDRINUSE;
			goto fail;
		}
		ret = sock_fail(err, err_len, family, port, "bind()");
		goto fail;
	}
	*out = fd;
	return 0;
fail:
	close(fd);
	return ret;
}

int ike_sockets_open(struct ike_sockets *s, const struct ike_socket_cfg *cfg, char *err,
		     size_t err_len)
{
	int ret = 0;

	for (int i = 0; i < IKE_SOCK_COUNT; i++)
		s->fd[i] = -1;
	s->rcvbuf = s->sndbuf = 0;
	s->buf_capped = false;
	if (cfg->v4) {
		ret = sock_open_one(s, &s->fd[IKE_SOCK_V4_IKE], AF_INET, cfg->port_ike, false, cfg,
				    err, err_len);
		if (ret == 0)
			ret = sock_open_one(s, &s->fd[IKE_SOCK_V4_NATT], AF_INET, cfg->port_natt,
					    true, cfg, err, err_len);
	}
	if (ret == 0 && cfg->v6) {
		ret = sock_open_one(s, &s->fd[IKE_SOCK_V6_IKE], AF_INET6, cfg->port_ike, false, cfg,
				    err, err_len);
		if (ret == 0)
			ret = sock_open_one(s, &s->fd[IKE_SOCK_V6_NATT], AF_INET6, cfg->port_natt,
					    true, cfg, err, err_len);
	}
	if (ret < 0)
		ike_sockets_close(s);
	return ret;
}

int ike_cmsg_build_local(void *ctl, size_t ctl_len, const struct xk_addr *local, int ifindex)
{
	struct msghdr mh;
	struct cmsghdr *c;

	memset(&mh, 0, sizeof(mh));
	mh.msg_control = ctl;
	if (local->family == XK_AF_INET) {
		if (ctl_len < CMSG_SPACE(sizeof(struct in_pktinfo)))
			return -EMSGSIZE;
		memset(ctl, 0, CMSG_SPACE(sizeof(struct in_pktinfo)));
		mh.msg_controllen = CMSG_SPACE(sizeof(struct in_pktinfo));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
		struct in_pktinfo pi;
		memset(&pi, 0, sizeof(pi));
		memcpy(&pi.ipi_spec_dst, local->bytes, 4);
		pi.ipi_ifindex = ifindex;
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		return (int)mh.msg_controllen;
	}
	if (local->family == XK_AF_INET6) {
		if (ctl_len < CMSG_SPACE(sizeof(struct in6_pktinfo)))
			return -EMSGSIZE;
		memset(ctl, 0, CMSG_SPACE(sizeof(struct in6_pktinfo)));
		mh.msg_controllen = CMSG_SPACE(sizeof(struct in6_pktinfo));
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(struct in6_pktinfo));
		struct in6_pktinfo pi;
		memset(&pi, 0, sizeof(pi));
		memcpy(&pi.ipi6_addr, local->bytes, 16);
		pi.ipi6_ifindex = (unsigned)ifindex;
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		return (int)mh.msg_controllen;
	}
	return -EINVAL;
}

int ike_cmsg_parse_local(const struct msghdr *mh, struct xk_addr *local, int *ifindex)
{
	/* CMSG_NXTHDR checks each header against msg_controllen (the kernel's own macro). */
	for (struct cmsghdr *c = CMSG_FIRSTHDR((struct msghdr *)mh); c;
	     c = CMSG_NXTHDR((struct msghdr *)mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memset(local, 0, sizeof(*local));
			local->family = XK_AF_INET;
			memcpy(local->bytes, &pi.ipi_addr, 4); /* header destination address */
			if (ifindex)
				*ifindex = pi.ipi_ifindex;
			return 0;
		}
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memset(local, 0, sizeof(*local));
			local->family = XK_AF_INET6;
			memcpy(local->bytes, &pi.ipi6_addr, 16);
			if (ifindex)
				*ifindex = (int)pi.ipi6_ifindex;
			return 0;
		}
	}
	return -ENOENT;
}

ssize_t ike_socket_recv(int fd, void *buf, size_t len, struct sockaddr_storage *peer,
			struct xk_addr *local, int *ifindex)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = {
		.msg_name = peer,
		.msg_namelen = sizeof(*peer),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	ssize_t n = recvmsg(fd, &mh, 0);

	if (n < 0)
		return -errno;
	if (ike_cmsg_parse_local(&mh, local, ifindex) < 0)
		memset(local, 0, sizeof(*local));
	return n;
}

int ike_socket_recv_batch(int fd, struct ike_sock_dgram *v, unsigned n)
{
	union ctl {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
	};
	struct mmsghdr mm[IKE_RECV_BATCH_MAX];
	struct iovec iov[IKE_RECV_BATCH_MAX];
	union ctl ctl[IKE_RECV_BATCH_MAX];
	int got;

	if (n == 0 || n > IKE_RECV_BATCH_MAX)
		return -EINVAL;
	memset(mm, 0, n * sizeof(mm[0]));
	for (unsigned i = 0; i < n; i++) {
		iov[i].iov_base = v[i].buf;
		iov[i].iov_len = v[i].cap;
		mm[i].msg_hdr.msg_name = &v[i].peer;
		mm[i].msg_hdr.msg_namelen = sizeof(v[i].peer);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = ctl[i].buf;
		mm[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
	}
	got = recvmmsg(fd, mm, n, MSG_DONTWAIT, NULL);
	if (got < 0)
		return -errno;
	for (int i = 0; i < got; i++) {
		v[i].len = mm[i].msg_len;
		v[i].ifindex = 0;
		if (ike_cmsg_parse_local(&mm[i].msg_hdr, &v[i].local, &v[i].ifindex) < 0)
			memset(&v[i].local, 0, sizeof(v[i].local));
	}
	return got;
}

ssize_t ike_socket_send(int fd, const void *buf, size_t len, const struct sockaddr_storage *peer,
			const struct xk_addr *local, int ifindex)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} ctl;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = {
		.msg_name = (void *)peer,
		.msg_namelen = peer->ss_family == AF_INET ? sizeof(struct sockaddr_in)
							  : sizeof(struct sockaddr_in6),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	if (local && local->family != XK_AF_UNSPEC) {
		int l = ike_cmsg_build_local(ctl.buf, sizeof(ctl.buf), local, ifindex);
		if (l < 0)
			return l;
		mh.msg_control = ctl.buf;
		mh.msg_controllen = (size_t)l;
	}
	/* RFC 3948 s2.3: the IPv4 UDP checksum of a NAT-keepalive SHOULD be zero. SO_NO_CHECK is
	 * set for that one datagram only, not for the socket: IKE on 4500 keeps its checksum
	 * (RFC 3948 s2.2 adds no checksum rule for IKE), because a negotiation may start on 4500
	 * (RFC 3947 s4) and its first two messages carry no hash, so the UDP checksum is their only
	 * protection against corruption. A peer would accept IKE with a zero checksum (strongSwan
	 * and Libreswan read through ordinary kernel sockets, and Linux accepts a zero IPv4 UDP
	 * checksum as "none", RFC 768), so this is a choice for robustness, not for interop.
	 * ESP-in-UDP is unaffected: the kernel's ESP output always sends a zero checksum
	 * (RFC 3948 s2.1). IPv6 has no zero checksum (RFC 8200 s8.1): the kernel computes it. The
	 * daemon is single-threaded, so nothing else sends on @fd between the two setsockopt(). */
	bool nocheck = peer->ss_family == AF_INET && len == NATT_KEEPALIVE_LEN &&
		       ((const uint8_t *)buf)[0] == NATT_KEEPALIVE_BYTE;
	int on = 1, off = 0;
	if (nocheck && setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &on, sizeof(on)) < 0)
		nocheck = false; /* SHOULD: a checksummed keepalive still keeps the mapping */
	ssize_t n = sendmsg(fd, &mh, 0);
	int e = errno;
	if (nocheck)
		(void)setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &off, sizeof(off));
	return n < 0 ? -e : n;
}
