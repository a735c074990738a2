// SPDX-License-Identifier: GPL-2.0-or-later
/* Tiny pcap writer for tests (see isakmp_pcap.h). */
#include <string.h>

#include "tests/lib/isakmp_pcap.h"

#define LINKTYPE_RAW 101

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

FILE *test_pcap_open(const char *path)
{
	uint8_t h[24] = { 0 };
	FILE *f = fopen(path, "wb");

	if (!f)
		return NULL;
	le32(h, 0xa1b2c3d4); /* microsecond timestamps, little-endian file */
	h[4] = 2;	     /* version 2.4 */
	h[6] = 4;
	le32(h + 16, 65535); /* snaplen */
	le32(h + 20, LINKTYPE_RAW);
	if (fwrite(h, sizeof(h), 1, f) != 1) {
		fclose(f);
		return NULL;
	}
	return f;
}

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int test_pcap_udp(FILE *f, uint16_t sport, uint16_t dport, const uint8_t *payload, size_t len)
{
	static uint32_t seq;
	uint8_t rec[16], pkt[28 + 65507];
	size_t total = 28 + len;

	if (len > 65507)
		return -1;
	memset(pkt, 0, 28);
	pkt[0] = 0x45; /* IPv4, 20-byte header */
	be16(pkt + 2, (uint16_t)total);
	pkt[8] = 64;
	pkt[9] = 17; /* UDP */
	memcpy(pkt + 12, (const uint8_t[]){ 192, 0, 2, 1 }, 4);
	memcpy(pkt + 16, (const uint8_t[]){ 198, 51, 100, 1 }, 4);
	be16(pkt + 10, ip_checksum(pkt, 20));
	be16(pkt + 20, sport);
	be16(pkt + 22, dport);
	be16(pkt + 24, (uint16_t)(8 + len)); /* UDP checksum 0: none (RFC 768) */
	memcpy(pkt + 28, payload, len);
	le32(rec, 1700000000u + seq); /* fixed timestamps: reproducible files */
	le32(rec + 4, 0);
	le32(rec + 8, (uint32_t)total);
	le32(rec + 12, (uint32_t)total);
	seq++;
	if (fwrite(rec, sizeof(rec), 1, f) != 1 || fwrite(pkt, total, 1, f) != 1)
		return -1;
	return 0;
}
