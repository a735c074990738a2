// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `natkeyctl natcheck`, the built binary, against a small RFC 5780 STUN
 * server on loopback (127.0.0.1 and 127.0.0.2, two ports each, run in a
 * child process with natt/stun.*): the real sockets, poll loop and output
 * (human and JSON) of the "no NAT" case, UDP blocked, and usage errors;
 * --save FILE: the state file's content (natt/natcheck_state.h), written
 * into a folder it creates, replacing the file before.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "natt/natcheck_state.h"
#include "natt/stun.h"
#include "tests/lib/natt_test.h"

#ifndef NATKEYCTL
#error NATKEYCTL must name the natkeyctl binary
#endif

/* [address 0/1][port 0/1] */
static int srv_fd[2][2];
static struct sockaddr_storage srv_ep[2][2];
static pid_t srv_pid;

static void server_serve(void)
{
	struct pollfd p[4];
	uint8_t buf[1500], out[512];

	for (int k = 0; k < 4; k++) {
		p[k].fd = srv_fd[k / 2][k % 2];
		p[k].events = POLLIN;
	}
	for (;;) {
		if (poll(p, 4, -1) < 0)
			_exit(1);
		for (int k = 0; k < 4; k++) {
			struct sockaddr_storage from;
			socklen_t fl = sizeof(from);
			struct stun_msg m;
			struct stun_builder b;
			int a = k / 2, pt = k % 2, ra, rp;
			ssize_t n;

			if (!(p[k].revents & POLLIN))
				continue;
			n = recvfrom(p[k].fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
			if (n < 0 || stun_decode(buf, (size_t)n, &m) < 0 ||
			    m.cls != STUN_CLASS_REQUEST)
				continue;
			/* RFC 5780 s6: answer from the changed address/port. */
			ra = m.has_change && (m.change & STUN_CHANGE_IP) ? !a : a;
			rp = m.has_change && (m.change & STUN_CHANGE_PORT) ? !pt : pt;
			stun_build_start(&b, out, sizeof(out), STUN_METHOD_BINDING,
					 STUN_CLASS_SUCCESS, m.tid);
			stun_build_address(&b, STUN_ATTR_XOR_MAPPED_ADDRESS, SA(from));
			stun_build_address(&b, STUN_ATTR_OTHER_ADDRESS, SA(srv_ep[!a][!pt]));
			stun_build_address(&b, STUN_ATTR_RESPONSE_ORIGIN, SA(srv_ep[ra][rp]));
			stun_build_fingerprint(&b);
			n = stun_build_finish(&b);
			if (n > 0)
				sendto(srv_fd[ra][rp], out, (size_t)n, 0, SA(from),
				       sizeof(struct sockaddr_in));
		}
	}
}

static int bind_udp(const char *addr, uint16_t port, struct sockaddr_storage *ep)
{
	socklen_t len = sizeof(*ep);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	*ep = natt_test_ep(addr, port);
	ck_assert_int_ge(fd, 0);
	if (bind(fd, SA(*ep), sizeof(struct sockaddr_in)) < 0) {
		close(fd);
		return -1;
	}
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)ep, &len), 0);
	return fd;
}

static void server_start(void)
{
	for (int pt = 0; pt < 2; pt++) {
		srv_fd[0][pt] = bind_udp("127.0.0.1", 0, &srv_ep[0][pt]);
		ck_assert_int_ge(srv_fd[0][pt], 0);
		srv_fd[1][pt] = bind_udp("127.0.0.2",
					 ntohs(((struct sockaddr_in *)&srv_ep[0][pt])->sin_port),
					 &srv_ep[1][pt]);
		ck_assert_msg(srv_fd[1][pt] >= 0, "cannot bind 127.0.0.2");
	}
	srv_pid = fork();
	ck_assert_int_ge(srv_pid, 0);
	if (srv_pid == 0)
		server_serve();
}

static void server_stop(void)
{
	kill(srv_pid, SIGKILL);
	waitpid(srv_pid, NULL, 0);
	for (int k = 0; k < 4; k++)
		close(srv_fd[k / 2][k % 2]);
}

/* Run natkeyctl with @args; its stdout into @out; returns the exit status. */
static int natkeyctl(const char *args, char *out, size_t n)
{
	char cmd[512];
	FILE *f;
	size_t got;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s 2>/dev/null", NATKEYCTL, args);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	got = fread(out, 1, n - 1, f);
	out[got] = 0;
	st = pclose(f);
	ck_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

START_TEST(test_no_nat_json)
{
	char args[128], out[4096];
	uint16_t p1;

	server_start();
	p1 = ntohs(((struct sockaddr_in *)&srv_ep[0][0])->sin_port);
	snprintf(args, sizeof(args), "natcheck --server 127.0.0.1:%u --max-lifetime 0 --json", p1);
	ck_assert_int_eq(natkeyctl(args, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "\"behind_nat\":false,\"port_preserved\":true"), "%s", out);
	ck_assert_msg(strstr(out, "\"rfc5780\":true"), "%s", out);
	ck_assert_msg(strstr(out, "\"mapping\":\"endpoint-independent\","
				  "\"filtering\":\"endpoint-independent\","
				  "\"hairpinning\":\"untested\""),
		      "%s", out);
	ck_assert_msg(strstr(out, "\"verdict\":\"no NAT: NAT-T keepalives are not needed\"}\n"),
		      "%s", out);
	snprintf(args, sizeof(args), "natcheck --server 127.0.0.1:%u --max-lifetime 0", p1);
	ck_assert_int_eq(natkeyctl(args, out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "NAT:          no\n"), "%s", out);
	ck_assert_msg(strstr(out, "verdict:      no NAT: NAT-T keepalives are not needed\n"), "%s",
		      out);
	server_stop();
}
END_TEST

START_TEST(test_udp_blocked)
{
	char args[128], out[4096];
	struct sockaddr_storage ep;
	int fd = bind_udp("127.0.0.1", 0, &ep); /* bound, never answers */

	snprintf(args, sizeof(args), "natcheck --server 127.0.0.1:%u --json",
		 ntohs(((struct sockaddr_in *)&ep)->sin_port));
	ck_assert_int_eq(natkeyctl(args, out, sizeof(out)), 1);
	ck_assert_msg(strstr(out, "\"udp_blocked\":true"), "%s", out);
	ck_assert_msg(strstr(out, "\"sent\":14,\"received\":0"), "%s", out);
	close(fd);
}
END_TEST

/* The whole content of @path into @buf (NUL-terminated); its length. */
static size_t slurp(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY);
	ssize_t got;

	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	got = read(fd, buf, n - 1);
	ck_assert_int_ge(got, 0);
	buf[got] = 0;
	close(fd);
	return (size_t)got;
}

START_TEST(test_save)
{
	char dir[] = "/tmp/natcheck-save-XXXXXX", sub[64], file[96], args[256], out[4096];
	char text[2048], why[200], expect[128];
	struct natcheck_state st;
	struct stat sb;
	uint16_t p1;
	time_t t0, t1;
	size_t n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/lib", dir);
	snprintf(file, sizeof(file), "%s/natcheck", sub);
	server_start();
	p1 = ntohs(((struct sockaddr_in *)&srv_ep[0][0])->sin_port);
	/* --save FILE: the folder is created 0755, the file 0644 */
	t0 = time(NULL);
	snprintf(args, sizeof(args),
		 "natcheck --server 127.0.0.1:%u --max-lifetime 0 --save %s --json", p1, file);
	ck_assert_int_eq(natkeyctl(args, out, sizeof(out)), 0);
	t1 = time(NULL);
	ck_assert_msg(strstr(out, "\"behind_nat\":false"), "--save changed the output: %s", out);
	ck_assert_int_eq(stat(sub, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0755);
	ck_assert_int_eq(stat(file, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0644);
	n = slurp(file, text, sizeof(text));
	ck_assert_int_eq(natcheck_state_parse(text, n, &st, why, sizeof(why)), 0);
	ck_assert_ptr_eq(strstr(text, "# natkeyctl natcheck --save"), text);
	ck_assert_msg(strstr(text, "\nversion=1\n"), "%s", text);
	snprintf(expect, sizeof(expect), "\nserver=127.0.0.1:%u\n", p1);
	ck_assert_msg(strstr(text, expect), "%s", text);
	ck_assert_msg(strstr(text, "\nsource=127.0.0.1\n"), "%s", text);
	ck_assert_msg(strstr(text, "\nmapping=endpoint-independent\n"
				   "filtering=endpoint-independent\n"
				   "lifetime_ms=unknown\n"),
		      "%s", text);
	ck_assert_msg(st.time >= (uint64_t)t0 && st.time <= (uint64_t)t1,
		      "time=%llu not in [%lld, %lld]", (unsigned long long)st.time, (long long)t0,
		      (long long)t1);
	/* --save=FILE over the file before: replaced, no temporary left */
	ck_assert_int_eq(truncate(file, 3), 0);
	snprintf(args, sizeof(args), "natcheck --server 127.0.0.1:%u --max-lifetime 0 --save=%s",
		 p1, file);
	ck_assert_int_eq(natkeyctl(args, out, sizeof(out)), 0);
	n = slurp(file, text, sizeof(text));
	ck_assert_int_eq(natcheck_state_parse(text, n, &st, why, sizeof(why)), 0);
	snprintf(args, sizeof(args), "ls -A %s", sub);
	{
		FILE *f = popen(args, "r");

		ck_assert_ptr_nonnull(f);
		n = fread(out, 1, sizeof(out) - 1, f);
		out[n] = 0;
		pclose(f);
		ck_assert_str_eq(out, "natcheck\n");
	}
	/* a folder it cannot create: exit 3, nothing written */
	snprintf(args, sizeof(args),
		 "natcheck --server 127.0.0.1:%u --max-lifetime 0 --save %s/no/such/natcheck", p1,
		 dir);
	ck_assert_int_eq(natkeyctl(args, out, sizeof(out)), 3);
	server_stop();
	/* UDP blocked: saved too (nothing known), so that a lifetime from the
	 * network before does not outlive the move */
	{
		struct sockaddr_storage ep;
		int fd = bind_udp("127.0.0.1", 0, &ep);

		snprintf(args, sizeof(args), "natcheck --server 127.0.0.1:%u --save %s",
			 ntohs(((struct sockaddr_in *)&ep)->sin_port), file);
		ck_assert_int_eq(natkeyctl(args, out, sizeof(out)), 1);
		close(fd);
	}
	n = slurp(file, text, sizeof(text));
	ck_assert_int_eq(natcheck_state_parse(text, n, &st, why, sizeof(why)), 0);
	ck_assert_msg(strstr(text, "\nmapping=unknown\nfiltering=unknown\nlifetime_ms=unknown\n"),
		      "%s", text);
	unlink(file);
	rmdir(sub);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_usage)
{
	char out[4096];

	ck_assert_int_eq(natkeyctl("natcheck", out, sizeof(out)), 2);
	ck_assert_int_eq(natkeyctl("natcheck --server", out, sizeof(out)), 2);
	ck_assert_int_eq(
		natkeyctl("natcheck --server 127.0.0.1 --max-lifetime 3601", out, sizeof(out)), 2);
	ck_assert_int_eq(
		natkeyctl("natcheck --server 127.0.0.1 --max-lifetime x", out, sizeof(out)), 2);
	ck_assert_int_eq(
		natkeyctl("natcheck --server 127.0.0.1 --source nowhere", out, sizeof(out)), 2);
	ck_assert_int_eq(natkeyctl("natcheck --server [::1 --max-lifetime 0", out, sizeof(out)), 2);
	ck_assert_int_eq(natkeyctl("natcheck --server 127.0.0.1 --bogus", out, sizeof(out)), 2);
	ck_assert_int_eq(natkeyctl("natcheck --help", out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "Usage: natkeyctl natcheck --server HOST[:PORT]"));
}
END_TEST

static Suite *tool_suite(void)
{
	Suite *s = suite_create("natt_natcheck_tool");
	TCase *tc = tcase_create("natcheck_tool");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_no_nat_json);
	tcase_add_test(tc, test_udp_blocked);
	tcase_add_test(tc, test_usage);
	tcase_add_test(tc, test_save);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(tool_suite());
}
