/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The NAT-keepalive observer (issue 18): keepalives the kernel consumes,
 * seen on a filtered raw copy, so that the engines can count them.
 */
#ifndef NATKEYD_TOOLS_KA_H
#define NATKEYD_TOOLS_KA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

/**
 * nkd_ka_observer_open() - a raw IPv4 UDP socket that receives a copy of
 * every NAT-keepalive (RFC 3948 s2.3: a UDP datagram to our @port whose
 * payload is the single octet 0xFF) delivered to this host: Linux's
 * UDP-encapsulation socket consumes them in the kernel
 * (xfrm4_udp_encap_rcv), so the IKE socket never sees them. A classic BPF
 * filter in the kernel passes only those (IPv4, unfragmented, UDP length
 * 9, destination @port, payload 0xFF): no other datagram is copied to us.
 * Needs CAP_NET_RAW (open it before the capabilities go). Its buffer is
 * NKD_KA_RCVBUF (SO_RCVBUFFORCE, which needs CAP_NET_ADMIN; else as much as
 * SO_RCVBUF gets), with receive timestamps and the drop count on.
 *
 * Return: the socket (non-blocking, close-on-exec), or a negative errno
 * with @err saying which step failed.
 */
int nkd_ka_observer_open(uint16_t port, char *err, size_t err_len);

/*
 * The observer is not in the loop's epoll set: keepalives wait in its
 * socket buffer and the loop drains them every NKD_KA_DRAIN_MS, each with
 * the time the kernel received it. One wakeup per keepalive was about four
 * system calls each (epoll_wait(), the clock, two recv()): with 10,000 road
 * warriors sending one every 20 s, 2,000 per second for nothing but a
 * count. The buffer holds far more than a drain period of keepalives from
 * 100,000 peers (5,000 a second, ~1 KiB of kernel memory each).
 */
#define NKD_KA_DRAIN_MS 2000
#define NKD_KA_RCVBUF	(16 * 1024 * 1024)
#define NKD_KA_RECV_MAX 32 /* datagrams per nkd_ka_recv() */

/* One datagram as nkd_ka_recv() hands it over. */
struct nkd_ka_rx {
	uint8_t buf[128]; /* IPv4 header first; longer datagrams are not keepalives */
	size_t len;
	struct timespec ts; /* when the kernel received it (CLOCK_REALTIME), 0 if unknown */
};

/**
 * nkd_ka_recv() - up to @max datagrams waiting on the observer @fd (one
 * recvmmsg(), at most NKD_KA_RECV_MAX), with their receive times; *@drops is set to the kernel's
 * count of datagrams this socket dropped for want of buffer space
 * (cumulative, SO_RXQ_OVFL) when a datagram carries it: the kernel puts it
 * on datagrams it queued after a drop, so it arrives with the next one.
 *
 * Return: how many (0: none waiting, or an error).
 */
unsigned nkd_ka_recv(int fd, struct nkd_ka_rx *rx, unsigned max, uint32_t *drops);

/**
 * nkd_ka_parse() - one datagram as the observer reads it (IPv4 header
 * first): a NAT-keepalive to @port? Checked again here, whatever the filter
 * let through. @from / @to receive its source and destination endpoints.
 */
bool nkd_ka_parse(const uint8_t *buf, size_t len, uint16_t port, struct sockaddr_storage *from,
		  struct sockaddr_storage *to);

#endif
