/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UDP endpoints (address + port) as the NAT-T rules see them: plain
 * struct sockaddr_in / sockaddr_in6 values, port in network byte order.
 */
#ifndef NATKEYD_NATT_ENDPOINT_H
#define NATKEYD_NATT_ENDPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/**
 * natt_endpoint_equal() - same family, address and port.
 *
 * Only the family, address and port are compared (not sin6_flowinfo, nor
 * padding). Two endpoints of an unsupported family are never equal.
 */
bool natt_endpoint_equal(const struct sockaddr *a, const struct sockaddr *b);

/**
 * natt_endpoint_addr_equal() - same family and address, port ignored.
 */
bool natt_endpoint_addr_equal(const struct sockaddr *a, const struct sockaddr *b);

/**
 * natt_endpoint_port() - the port in host byte order (0 for other families).
 */
uint16_t natt_endpoint_port(const struct sockaddr *sa);

/**
 * natt_endpoint_set_port() - replace the port (host byte order argument).
 *
 * Return: 0, or -EAFNOSUPPORT if @sa is neither AF_INET nor AF_INET6.
 */
int natt_endpoint_set_port(struct sockaddr *sa, uint16_t port);

/**
 * natt_endpoint_len() - sizeof the sockaddr for its family, 0 if unsupported.
 */
socklen_t natt_endpoint_len(const struct sockaddr *sa);

/**
 * natt_endpoint_addr_only() - copy @sa's address into @out with port 0 (an
 * address as NAT-OA and IDs carry it). @out may alias @sa.
 *
 * Return: 0, or -EAFNOSUPPORT if @sa is neither AF_INET nor AF_INET6.
 */
int natt_endpoint_addr_only(const struct sockaddr *sa, struct sockaddr_storage *out);

/* Room for "[" IPv6 "]:" port and the NUL. */
#define NATT_ENDPOINT_STRLEN 56

/**
 * natt_endpoint_format() - "192.0.2.1:4500" or "[2001:db8::1]:4500", for logs
 * and audit lines (RFC 3947 s8 asks that every mapping change be audited, so
 * the line must name the address as well as the port).
 * @sa: AF_INET or AF_INET6 endpoint.
 * @buf: output, at least NATT_ENDPOINT_STRLEN bytes for any endpoint.
 * @len: size of @buf.
 *
 * Return: @buf; "?" in it for another family or a too-small buffer.
 */
const char *natt_endpoint_format(const struct sockaddr *sa, char *buf, size_t len);

#endif
