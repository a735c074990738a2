// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ikedump - print ISAKMP/IKEv1 messages payload by payload, and say exactly
 * why a malformed one is refused.
 *
 *   ikedump [-x]            hex on stdin, one message per line
 *   ikedump -r FILE.pcap    UDP 500 and 4500 (non-ESP marker stripped)
 *
 * Exit status: 0 all messages decoded, 1 some were malformed, 2 usage/I/O.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ike/wire/isakmp.h"
#include "natt/framing.h"
#include "tools/ikedump/ikedump_print.h"

#define MAXMSG 65536

static int usage(void)
{
	fprintf(stderr, "usage: ikedump [-x]          read hex messages from stdin, one per line\n"
			"       ikedump -r FILE.pcap  read UDP 500/4500 from a capture\n");
	return 2;
}

/* Hex on stdin: one message per line; whitespace, ':' and '#' comments ok. */
static int dump_hex(FILE *in)
{
	static char line[4 * MAXMSG];
	static uint8_t msg[MAXMSG];
	unsigned n = 0;
	int rc = 0;

	while (fgets(line, sizeof(line), in)) {
		size_t len = 0;
		int hi = -1, bad = 0;
		char *p;

		line[strcspn(line, "#")] = 0;
		for (p = line; *p && !bad; p++) {
			int v;

			if (isspace((unsigned char)*p) || *p == ':')
				continue;
			if (!isxdigit((unsigned char)*p) || len == sizeof(msg)) {
				bad = 1;
				break;
			}
			v = isdigit((unsigned char)*p) ? *p - '0'
						       : tolower((unsigned char)*p) - 'a' + 10;
			if (hi < 0) {
				hi = v;
			} else {
				msg[len++] = (uint8_t)(hi << 4 | v);
				hi = -1;
			}
		}
		if (!len && !bad && hi < 0)
			continue;
		printf("message %u:\n", ++n);
		if (bad || hi >= 0) {
			printf("  MALFORMED: input is not an even number of hex digits\n");
			rc = 1;
			continue;
		}
		/* A leading non-ESP marker (copied from port 4500) is stripped. */
		if (natt_frame_classify(msg, len) == NATT_FRAME_IKE) {
			const uint8_t *ike;
			size_t ike_len;

			natt_marker_strip(msg, len, &ike, &ike_len);
			printf("  (non-ESP marker stripped)\n");
			rc |= ikedump_print_msg(stdout, ike, ike_len);
		} else {
			rc |= ikedump_print_msg(stdout, msg, len);
		}
	}
	return rc;
}

/* Find the IP header in a captured frame; returns its offset or -1. */
static long ip_offset(int dlt, const uint8_t *p, size_t len)
{
	switch (dlt) {
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return 0;
	case DLT_NULL:
	case DLT_LOOP:
		return len >= 4 ? 4 : -1;
	case DLT_EN10MB: {
		size_t off = 12;

		while (len >= off + 2 && (p[off] == 0x81 || p[off] == 0x88) && p[off + 1] == 0x00)
			off += 4; /* 802.1Q / QinQ tags */
		return len >= off + 2 ? (long)off + 2 : -1;
	}
	case DLT_LINUX_SLL:
		return len >= 16 ? 16 : -1;
	case DLT_LINUX_SLL2:
		return len >= 20 ? 20 : -1;
	default:
		return -1;
	}
}

/* Returns the UDP payload of an IPv4/IPv6 packet, or NULL. */
static const uint8_t *udp_payload(const uint8_t *ip, size_t len, size_t *plen, char *src, char *dst,
				  uint16_t *sport, uint16_t *dport)
{
	const uint8_t *udp;
	size_t ulen;

	if (len >= 20 && ip[0] >> 4 == 4) {
		size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
		size_t tot = (size_t)ip[2] << 8 | ip[3];

		if (ihl < 20 || tot < ihl || tot > len || ip[9] != 17)
			return NULL;
		if (((ip[6] & 0x1f) << 8 | ip[7]) != 0)
			return NULL; /* not the first fragment */
		inet_ntop(AF_INET, ip + 12, src, INET6_ADDRSTRLEN);
		inet_ntop(AF_INET, ip + 16, dst, INET6_ADDRSTRLEN);
		udp = ip + ihl;
		len = tot - ihl;
	} else if (len >= 40 && ip[0] >> 4 == 6) {
		size_t pl = (size_t)ip[4] << 8 | ip[5];

		if (ip[6] != 17 || pl > len - 40)
			return NULL;
		inet_ntop(AF_INET6, ip + 8, src, INET6_ADDRSTRLEN);
		inet_ntop(AF_INET6, ip + 24, dst, INET6_ADDRSTRLEN);
		udp = ip + 40;
		len = pl;
	} else {
		return NULL;
	}
	if (len < 8)
		return NULL;
	*sport = (uint16_t)(udp[0] << 8 | udp[1]);
	*dport = (uint16_t)(udp[2] << 8 | udp[3]);
	ulen = (size_t)udp[4] << 8 | udp[5];
	if (ulen < 8 || ulen > len)
		return NULL;
	*plen = ulen - 8;
	return udp + 8;
}

static int dump_pcap(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const u_char *data;
	pcap_t *pc = pcap_open_offline(path, errbuf);
	unsigned frame = 0, shown = 0;
	int dlt, rc = 0, r;

	if (!pc) {
		fprintf(stderr, "ikedump: %s\n", errbuf);
		return 2;
	}
	dlt = pcap_datalink(pc);
	while ((r = pcap_next_ex(pc, &ph, &data)) == 1) {
		char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
		uint16_t sport, dport;
		const uint8_t *pl;
		size_t plen;
		long off;

		frame++;
		off = ip_offset(dlt, data, ph->caplen);
		if (off < 0)
			continue;
		pl = udp_payload(data + off, ph->caplen - (size_t)off, &plen, src, dst, &sport,
				 &dport);
		if (!pl)
			continue;
		if (sport == IKE_PORT || dport == IKE_PORT) {
			printf("frame %u: %s:%u -> %s:%u\n", frame, src, sport, dst, dport);
			rc |= ikedump_print_msg(stdout, pl, plen);
		} else if (sport == NATT_PORT || dport == NATT_PORT) {
			enum natt_frame_kind k = natt_frame_classify(pl, plen);
			const uint8_t *ike;
			size_t ike_len;

			printf("frame %u: %s:%u -> %s:%u, %s%s\n", frame, src, sport, dst, dport,
			       natt_frame_kind_name(k),
			       k == NATT_FRAME_IKE ? " (non-ESP marker stripped)" : "");
			if (k == NATT_FRAME_IKE && natt_marker_strip(pl, plen, &ike, &ike_len) == 0)
				rc |= ikedump_print_msg(stdout, ike, ike_len);
			else if (k == NATT_FRAME_INVALID)
				rc = 1;
		} else {
			continue;
		}
		shown++;
	}
	if (r == -1)
		fprintf(stderr, "ikedump: %s: %s\n", path, pcap_geterr(pc));
	pcap_close(pc);
	printf("%u frame(s), %u IKE/NAT-T datagram(s)\n", frame, shown);
	return r == -1 ? 2 : rc;
}

int main(int argc, char **argv)
{
	const char *pcap = NULL;
	int c;

	while ((c = getopt(argc, argv, "xr:h")) != -1) {
		switch (c) {
		case 'x':
			break;
		case 'r':
			pcap = optarg;
			break;
		default:
			return usage();
		}
	}
	if (optind != argc)
		return usage();
	return pcap ? dump_pcap(pcap) : dump_hex(stdin);
}
