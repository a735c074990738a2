// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's NAT-keepalive observer (tools/natkeyd/natkeyd_ka.c): the
 * parser on hand-built IPv4 datagrams, and the raw socket with its kernel
 * filter on loopback: of datagrams to our port, only the lone 0xFF is
 * copied to it (not two bytes, not 0xFE, not another port).
 *
 * The live part needs CAP_NET_RAW: as root a failure to open is a failure;
 * otherwise the program reports SKIP (77) rather than a pass.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tools/natkeyd/natkeyd_ka.h"

/* IPv4 + UDP to @dport with @payload. */
static size_t dgram(uint8_t *b, uint8_t ihl_words, uint16_t dport, const uint8_t *payload,
		    size_t plen, uint16_t frag)
{
	size_t ihl = (size_t)ihl_words * 4;

	memset(b, 0, ihl + 8 + plen);
	b[0] = (uint8_t)(0x40 | ihl_words);
	b[6] = (uint8_t)(frag >> 8);
	b[7] = (uint8_t)frag;
	b[8] = 64;
	b[9] = IPPROTO_UDP;
	b[12] = 203, b[13] = 0, b[14] = 113, b[15] = 7;
	b[16] = 192, b[17] = 0, b[18] = 2, b[19] = 1;
	b[ihl] = 0xb0, b[ihl + 1] = 0x5e; /* 45150 */
	b[ihl + 2] = (uint8_t)(dport >> 8), b[ihl + 3] = (uint8_t)dport;
	b[ihl + 4] = (uint8_t)((8 + plen) >> 8), b[ihl + 5] = (uint8_t)(8 + plen);
	memcpy(b + ihl + 8, payload, plen);
	return ihl + 8 + plen;
}

START_TEST(test_parse)
{
	static const uint8_t ff = 0xff, fe = 0xfe, two[2] = { 0xff, 0xff };
	uint8_t b[128];
	struct sockaddr_storage from, to;
	char a[64];
	size_t n;

	n = dgram(b, 5, 4500, &ff, 1, 0);
	ck_assert(nkd_ka_parse(b, n, 4500, &from, &to));
	ck_assert_int_eq(from.ss_family, AF_INET);
	ck_assert_str_eq(inet_ntop(AF_INET, &((struct sockaddr_in *)&from)->sin_addr, a, sizeof(a)),
			 "203.0.113.7");
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&from)->sin_port), 45150);
	ck_assert_str_eq(inet_ntop(AF_INET, &((struct sockaddr_in *)&to)->sin_addr, a, sizeof(a)),
			 "192.0.2.1");
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&to)->sin_port), 4500);
	/* IP options: the UDP header moves. */
	n = dgram(b, 6, 4500, &ff, 1, 0);
	ck_assert(nkd_ka_parse(b, n, 4500, &from, &to));
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&from)->sin_port), 45150);
	/* Not keepalives. */
	n = dgram(b, 5, 4501, &ff, 1, 0);
	ck_assert(!nkd_ka_parse(b, n, 4500, &from, &to));
	n = dgram(b, 5, 4500, &fe, 1, 0);
	ck_assert(!nkd_ka_parse(b, n, 4500, &from, &to));
	n = dgram(b, 5, 4500, two, 2, 0);
	ck_assert(!nkd_ka_parse(b, n, 4500, &from, &to));
	n = dgram(b, 5, 4500, &ff, 1, 0x2000); /* more fragments */
	ck_assert(!nkd_ka_parse(b, n, 4500, &from, &to));
	n = dgram(b, 5, 4500, &ff, 1, 0);
	ck_assert(!nkd_ka_parse(b, n - 1, 4500, &from, &to));
	b[9] = IPPROTO_TCP;
	ck_assert(!nkd_ka_parse(b, n, 4500, &from, &to));
	n = dgram(b, 4, 4500, &ff, 1, 0); /* IHL below 5 */
	ck_assert(!nkd_ka_parse(b, n, 4500, &from, &to));
	ck_assert(!nkd_ka_parse(b, 0, 4500, &from, &to));
}
END_TEST

static int udp_bound(uint16_t *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	ck_assert_int_ge(fd, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void send_to(int fd, uint16_t port, const uint8_t *b, size_t n)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(sendto(fd, b, n, 0, (struct sockaddr *)&sin, sizeof(sin)), (ssize_t)n);
}

START_TEST(test_observer_loopback)
{
	static const uint8_t ff = 0xff, fe = 0xfe, two[2] = { 0xff, 0xff };
	uint16_t port, other, sport;
	int rx = udp_bound(&port), rx2 = udp_bound(&other), tx = udp_bound(&sport);
	char err[128];
	int ka = nkd_ka_observer_open(port, err, sizeof(err));
	unsigned seen = 0, keepalives = 0;
	struct pollfd pfd;

	ck_assert_msg(ka >= 0, "observer: %s", err);
	send_to(tx, port, two, 2);
	send_to(tx, port, &fe, 1);
	send_to(tx, other, &ff, 1);
	send_to(tx, port, &ff, 1);
	send_to(tx, port, &ff, 1);
	pfd.fd = ka;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 300) > 0) {
		uint8_t b[256];
		struct sockaddr_storage from, to;
		ssize_t n = recv(ka, b, sizeof(b), MSG_DONTWAIT);

		if (n < 0)
			break;
		seen++;
		if (nkd_ka_parse(b, (size_t)n, port, &from, &to)) {
			keepalives++;
			ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&from)->sin_port), sport);
		}
	}
	/* The kernel filter let exactly the two keepalives through. */
	ck_assert_uint_eq(keepalives, 2);
	ck_assert_uint_eq(seen, 2);
	close(ka);
	close(rx);
	close(rx2);
	close(tx);
}
END_TEST

/*
 * nkd_ka_recv(): what waited since the last drain comes in one call, each
 * with the time the kernel received it; the buffer is the large one asked
 * for; a buffer that overflowed says how many it dropped.
 */
START_TEST(test_observer_batch)
{
	static const uint8_t ff = 0xff;
	uint16_t port, sport;
	int rx = udp_bound(&port), tx = udp_bound(&sport);
	char err[128];
	int ka = nkd_ka_observer_open(port, err, sizeof(err)), v = 0, small = 1;
	socklen_t vl = sizeof(v);
	struct nkd_ka_rx got[32];
	struct timespec t0, t1;
	uint32_t drops = 0;
	unsigned n, keepalives = 0;

	ck_assert_msg(ka >= 0, "observer: %s", err);
	ck_assert_int_eq(getsockopt(ka, SOL_SOCKET, SO_RCVBUF, &v, &vl), 0);
	ck_assert_int_ge(v, NKD_KA_RCVBUF); /* the kernel reports it doubled */
	ck_assert_uint_eq(nkd_ka_recv(ka, got, 32, &drops), 0);
	clock_gettime(CLOCK_REALTIME, &t0);
	for (int i = 0; i < 5; i++)
		send_to(tx, port, &ff, 1);
	usleep(100 * 1000);
	clock_gettime(CLOCK_REALTIME, &t1);
	n = nkd_ka_recv(ka, got, 32, &drops);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(drops, 0);
	for (unsigned i = 0; i < n; i++) {
		struct sockaddr_storage from, to;

		keepalives += nkd_ka_parse(got[i].buf, got[i].len, port, &from, &to);
		ck_assert(got[i].ts.tv_sec > t0.tv_sec ||
			  (got[i].ts.tv_sec == t0.tv_sec && got[i].ts.tv_nsec >= t0.tv_nsec));
		ck_assert(got[i].ts.tv_sec < t1.tv_sec ||
			  (got[i].ts.tv_sec == t1.tv_sec && got[i].ts.tv_nsec <= t1.tv_nsec));
	}
	ck_assert_uint_eq(keepalives, 5);

	/* The smallest buffer the kernel allows: 200 keepalives overflow it. */
	ck_assert_int_eq(setsockopt(ka, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
	for (int i = 0; i < 200; i++)
		send_to(tx, port, &ff, 1);
	usleep(100 * 1000);
	n = 0;
	for (unsigned k; (k = nkd_ka_recv(ka, got, 32, &drops)) > 0;)
		n += k;
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_lt(n, 200);
	/* The count rides on the next datagram the socket takes. */
	send_to(tx, port, &ff, 1);
	usleep(100 * 1000);
	ck_assert_uint_ge(nkd_ka_recv(ka, got, 32, &drops), 1);
	/* Loopback delivery may lag the drain by a datagram or two: the count
	 * is the kernel's, about 200 - n, never more than was sent. */
	ck_assert_uint_ge(drops + n + 5, 200);
	ck_assert_uint_le(drops, 200);
	close(ka);
	close(rx);
	close(tx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ka_observer");
	TCase *tc = tcase_create("observer");
	SRunner *sr;
	char err[128];
	int failed, fd;
	bool live;

	/* The live test runs where a raw socket can be opened, always as root. */
	fd = nkd_ka_observer_open(4500, err, sizeof(err));
	live = fd >= 0 || geteuid() == 0;
	if (fd >= 0)
		close(fd);
	tcase_add_test(tc, test_parse);
	if (live)
		tcase_add_test(tc, test_observer_loopback);
	if (live)
		tcase_add_test(tc, test_observer_batch);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (failed)
		return EXIT_FAILURE;
	return live ? EXIT_SUCCESS : 77;
}
