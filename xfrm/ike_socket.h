/* ike_socket.h: the daemon's IKE sockets (UDP 500 and 4500, IPv4 and IPv6).
 *
 * Every socket: IP_PKTINFO / IPV6_RECVPKTINFO so a reply leaves from the address the request
 * reached (a multi-homed gateway must answer from the address the peer talked to, or the peer's
 * NAT drops the reply), and a per-socket bypass policy in both directions (IKE itself must never
 * be caught by an IPsec policy). The 4500 sockets also get UDP_ENCAP_ESPINUDP so the kernel
 * decapsulates ESP-in-UDP and hands only non-ESP-marker IKE to us (RFC 3948 s2.2).
 *
 * Buffers: a gateway for hundreds of road warriors, or one under a flood of forged first
 * messages, receives bursts while a Diffie-Hellman computation holds the event loop; the
 * kernel's default receive buffer (net.core.rmem_default, 208 KiB: about 270 small datagrams
 * at their in-kernel size) then overflows and drops legitimate IKE with the flood
 * (RcvbufErrors). So every socket asks for bufsize bytes each way: SO_RCVBUFFORCE /
 * SO_SNDBUFFORCE (CAP_NET_ADMIN: past net.core.rmem_max / wmem_max) first, SO_RCVBUF /
 * SO_SNDBUF (capped at those sysctls) when refused.
 */
#ifndef NATKEYD_XFRM_IKE_SOCKET_H
#define NATKEYD_XFRM_IKE_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "xfrm/kernel_req.h"

enum ike_sock_slot {
	IKE_SOCK_V4_IKE = 0,
	IKE_SOCK_V4_NATT,
	IKE_SOCK_V6_IKE,
	IKE_SOCK_V6_NATT,
	IKE_SOCK_COUNT,
};

struct ike_socket_cfg {
	bool v4;
	bool v6;
	uint16_t port_ike;  /* 500 */
	uint16_t port_natt; /* 4500 */
	bool no_bypass;	    /* tests without CAP_NET_ADMIN only: skip the bypass policies */
	bool no_encap;	    /* tests only: skip UDP_ENCAP */
	int bufsize;	    /* SO_RCVBUF and SO_SNDBUF to ask for, bytes; 0 = kernel default */
};

/* `config setup` ike-socket-bufsize= default (Libreswan's name): 4 MiB, about 5,000 small
 * datagrams or 5 s of a 1,000/s flood while the loop is busy. */
#define IKE_SOCKET_BUFSIZE_DEFAULT (4 << 20)

struct ike_sockets {
	int fd[IKE_SOCK_COUNT]; /* -1 when not open */
	/* What the kernel granted (getsockopt: the kernel doubles a request for its own
	 * bookkeeping and reports the doubled figure), the smallest over the open sockets, and
	 * whether the FORCE variants were refused (no CAP_NET_ADMIN: capped by the sysctls). */
	int rcvbuf, sndbuf;
	bool buf_capped;
};

/** ike_sockets_open() - open, configure and bind every socket cfg asks for. On any failure
 * closes what it opened, returns a negative errno and writes into err which socket and which
 * step failed ("IPv4 UDP 4500: setsockopt(UDP_ENCAP_ESPINUDP): Permission denied"). */
int ike_sockets_open(struct ike_sockets *s, const struct ike_socket_cfg *cfg, char *err,
		     size_t err_len);

/** ike_socket_bufsize_set() - ask for bytes of receive and send buffer on fd (FORCE first,
 * then the capped options); *capped tells whether FORCE was refused. Returns 0 or a negative
 * errno of the capped setsockopt. */
int ike_socket_bufsize_set(int fd, int bytes, bool *capped);

/** ike_sockets_close() - close every open socket (idempotent). */
void ike_sockets_close(struct ike_sockets *s);

/** ike_cmsg_build_local() - write an IP_PKTINFO / IPV6_PKTINFO control message asking the
 * kernel to send from local (and ifindex, 0 = any) into ctl. Returns the control length used or
 * -EMSGSIZE / -EINVAL. Pure. */
int ike_cmsg_build_local(void *ctl, size_t ctl_len, const struct xk_addr *local, int ifindex);

/** ike_cmsg_parse_local() - find IP_PKTINFO / IPV6_PKTINFO in a received message's control
 * data: local = the address the datagram was sent to, ifindex = where it arrived. Returns 0 or
 * -ENOENT when absent. Pure. */
int ike_cmsg_parse_local(const struct msghdr *mh, struct xk_addr *local, int *ifindex);

/** ike_socket_recv() - recvmsg one datagram with its peer and local address. Returns the
 * length or a negative errno. */
ssize_t ike_socket_recv(int fd, void *buf, size_t len, struct sockaddr_storage *peer,
			struct xk_addr *local, int *ifindex);

/* One datagram of ike_socket_recv_batch(): buf/cap in, the rest out. */
struct ike_sock_dgram {
	void *buf;
	size_t cap;
	size_t len;		      /* bytes received (at most cap: longer ones are cut) */
	struct sockaddr_storage peer; /* the sender */
	struct xk_addr local;	      /* where it was sent to (XK_AF_UNSPEC if unknown) */
	int ifindex;		      /* where it arrived (0 if unknown) */
};

#define IKE_RECV_BATCH_MAX 64

/** ike_socket_recv_batch() - up to n (<= IKE_RECV_BATCH_MAX) datagrams with one recvmmsg(),
 * never blocking, each with its peer and local address as ike_socket_recv(). Returns how many
 * were received (fewer than n: the socket is now empty) or a negative errno (-EAGAIN: none). */
int ike_socket_recv_batch(int fd, struct ike_sock_dgram *v, unsigned n);

/** ike_socket_send() - sendmsg from local (XK_AF_UNSPEC = kernel's choice) to peer. A
 * NAT-keepalive (the lone 0xFF octet) to an IPv4 peer goes out with a zero UDP checksum
 * (RFC 3948 s2.3); everything else is checksummed by the kernel. Returns the length sent or a
 * negative errno. */
ssize_t ike_socket_send(int fd, const void *buf, size_t len, const struct sockaddr_storage *peer,
			const struct xk_addr *local, int ifindex);

#endif
