/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny pcap writer for tests: UDP/IPv4 datagrams between two documentation
 * addresses, so tshark and tools/ikedump/ikedump can read codec output. No libpcap
 * needed: the file format is a 24-byte header and 16-byte record headers.
 */
#ifndef NATKEYD_TESTS_TSHARK_ISAKMP_PCAP_H
#define NATKEYD_TESTS_TSHARK_ISAKMP_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/**
 * test_pcap_open() - create @path and write the pcap file header
 * (LINKTYPE_RAW: each record is an IPv4 packet).
 *
 * Return: the stream, or NULL.
 */
FILE *test_pcap_open(const char *path);

/**
 * test_pcap_udp() - append one IPv4/UDP packet 192.0.2.1:@sport ->
 * 198.51.100.1:@dport carrying @len bytes of @payload.
 *
 * Return: 0, or -1 on a write error or a payload that does not fit.
 */
int test_pcap_udp(FILE *f, uint16_t sport, uint16_t dport, const uint8_t *payload, size_t len);

#endif
