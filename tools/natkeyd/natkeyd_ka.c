// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NAT-keepalive observer: a raw IPv4 UDP socket with a classic BPF
 * filter that passes only 1-byte 0xFF datagrams to our NAT-T port.
 */
#include "config.h" /* _GNU_SOURCE: recvmmsg() */

#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tools/natkeyd/natkeyd_ka.h"

#include "natt/framing.h"

/* The observer's filter: offsets are from the IPv4 header. */
#define KA_FILTER_LEN 13

int nkd_ka_observer_open(uint16_t port, char *err, size_t err_len)
{
	struct sock_filter code[KA_FILTER_LEN] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), /* version / IHL */
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x40, 0, 9),    /* IPv4 */
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),		    /* flags / fragment offset */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 7, 0), /* a fragment (MF or offset) */
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),		    /* X = IHL * 4 */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),		    /* UDP destination port */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, 4),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4), /* UDP length: header + 1 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 8 + NATT_KEEPALIVE_LEN, 0, 2),
		BPF_STMT(BPF_LD | BPF_B | BPF_IND, 8), /* the payload octet */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATT_KEEPALIVE_BYTE, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, 0), /* not a keepalive: dropped in the kernel */
	};
	struct sock_filter prog_code[KA_FILTER_LEN + 1];
	struct sock_fprog prog = { .len = KA_FILTER_LEN + 1, .filter = prog_code };
	int fd, rc;

	/* The accept statement after the reject one: jumps above land on it. */
	memcpy(prog_code, code, sizeof(code));
	prog_code[KA_FILTER_LEN] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 128);
	fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, err_len, "raw UDP socket: %s", strerror(errno));
		return rc;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
		rc = -errno;
		snprintf(err, err_len, "keepalive filter: %s", strerror(errno));
		close(fd);
		return rc;
	}
	/* Room for the keepalives of a drain period (natkeyd_ka.h); the
	 * options past the filter are best effort: without them keepalives
	 * count at drain time, and drops go unreported. */
	{
		int v = NKD_KA_RCVBUF, on = 1;

		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0)
			(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
		(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
		(void)setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on));
	}
	/* Nothing that arrived before the filter stays queued. */
	{
		uint8_t junk[128];

		while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) >= 0)
			;
	}
	return fd;
}

unsigned nkd_ka_recv(int fd, struct nkd_ka_rx *rx, unsigned max, uint32_t *drops)
{
	struct mmsghdr mm[NKD_KA_RECV_MAX];
	struct iovec iov[NKD_KA_RECV_MAX];
	/* Room for SCM_TIMESTAMPNS and SO_RXQ_OVFL's counter. */
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec)) + CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr align;
	} ctl[NKD_KA_RECV_MAX];
	int n;

	if (max > NKD_KA_RECV_MAX)
		max = NKD_KA_RECV_MAX;
	memset(mm, 0, sizeof(mm[0]) * max);
	for (unsigned i = 0; i < max; i++) {
		iov[i].iov_base = rx[i].buf;
		iov[i].iov_len = sizeof(rx[i].buf);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_hdr.msg_control = ctl[i].buf;
		mm[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
	}
	n = recvmmsg(fd, mm, max, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++) {
		struct msghdr *h = &mm[i].msg_hdr;

		/* A truncated datagram is longer than any keepalive: the parser
		 * refuses the length. */
		rx[i].len = (h->msg_flags & MSG_TRUNC) ? sizeof(rx[i].buf) + 1 : mm[i].msg_len;
		rx[i].ts = (struct timespec){ 0, 0 };
		for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
			if (c->cmsg_level != SOL_SOCKET)
				continue;
			if (c->cmsg_type == SCM_TIMESTAMPNS &&
			    c->cmsg_len >= CMSG_LEN(sizeof(struct timespec)))
				memcpy(&rx[i].ts, CMSG_DATA(c), sizeof(struct timespec));
			else if (c->cmsg_type == SO_RXQ_OVFL &&
				 c->cmsg_len >= CMSG_LEN(sizeof(uint32_t)))
				memcpy(drops, CMSG_DATA(c), sizeof(uint32_t));
		}
	}
	return (unsigned)n;
}

bool nkd_ka_parse(const uint8_t *buf, size_t len, uint16_t port, struct sockaddr_storage *from,
		  struct sockaddr_storage *to)
{
	struct sockaddr_in *f = (struct sockaddr_in *)from, *t = (struct sockaddr_in *)to;
	size_t ihl;

	if (len < 20 || (buf[0] >> 4) != 4 || buf[9] != IPPROTO_UDP)
		return false;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (ihl < 20 || len != ihl + 8 + NATT_KEEPALIVE_LEN || (((buf[6] << 8) | buf[7]) & 0x3fff))
		return false;
	if (((buf[ihl + 2] << 8) | buf[ihl + 3]) != port ||
	    ((buf[ihl + 4] << 8) | buf[ihl + 5]) != 8 + NATT_KEEPALIVE_LEN ||
	    buf[ihl + 8] != NATT_KEEPALIVE_BYTE)
		return false;
	memset(from, 0, sizeof(*from));
	memset(to, 0, sizeof(*to));
	f->sin_family = t->sin_family = AF_INET;
	memcpy(&f->sin_addr, buf + 12, 4);
	memcpy(&t->sin_addr, buf + 16, 4);
	memcpy(&f->sin_port, buf + ihl, 2);
	memcpy(&t->sin_port, buf + ihl + 2, 2);
	return true;
}
