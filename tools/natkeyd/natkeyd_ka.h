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

/**
 * nkd_ka_observer_open() - a raw IPv4 UDP socket that receives a copy of
 * every NAT-keepalive (RFC 3948 s2.3: a UDP datagram to our @port whose
 * payload is the single octet 0xFF) delivered to this host: Linux's
 * UDP-encapsulation socket consumes them in the kernel
 * (xfrm4_udp_encap_rcv), so the IKE socket never sees them. A classic BPF
 * filter in the kernel passes only those (IPv4, unfragmented, UDP length
 * 9, destination @port, payload 0xFF): no other datagram is copied to us.
 * Needs CAP_NET_RAW (open it before the capabilities go).
 *
 * Return: the socket (non-blocking, close-on-exec), or a negative errno
 * with @err saying which step failed.
 */
int nkd_ka_observer_open(uint16_t port, char *err, size_t err_len);

/**
 * nkd_ka_parse() - one datagram as the observer reads it (IPv4 header
 * first): a NAT-keepalive to @port? Checked again here, whatever the filter
 * let through. @from / @to receive its source and destination endpoints.
 */
bool nkd_ka_parse(const uint8_t *buf, size_t len, uint16_t port, struct sockaddr_storage *from,
		  struct sockaddr_storage *to);

#endif
