// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natkeyctl as a user runs it: the built binary (NATKEYCTL) against a fake
 * natkeyd, a UNIX socket in a temporary folder that records the request
 * and answers with canned bytes. Checked: the exit status contract of
 * natkeyctl(8) (0 done, 1 refused, 2 usage, 3 not running / not answering /
 * nonsense), the request line on the wire, the daemon's text and JSON
 * passed through byte for byte, and clear errors (no crash, no hang) for
 * malformed, truncated, oversized and missing answers.
 *
 * Also the view helper that ties IPsec SAs to their IKE SA for the
 * per-IKE-SA status lines (tools/natkeyd/natkeyd_view.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/ctl/ctl_proto.h"
#include "tools/natkeyd/natkeyd_view.h"

#ifndef NATKEYCTL
#error "NATKEYCTL: path of the built natkeyctl"
#endif

enum fake {
	FAKE_NONE,    /* no socket file at all */
	FAKE_REFUSE,  /* a socket file nobody listens on (a crashed natkeyd) */
	FAKE_ANSWER,  /* read the request line, send the canned answer, close */
	FAKE_SILENT,  /* read the request, never answer (until natkeyctl leaves) */
	FAKE_ENDLESS, /* read the request, send the answer then bytes without end */
};

struct run {
	int status; /* exit status, or 128 + signal */
	char out[1 << 17];
	size_t out_len;	  /* kept in out */
	size_t out_total; /* written by natkeyctl */
	char err[4096];
	size_t err_len;
	char req[CTL_REQUEST_MAX + 64];
	size_t req_len;
	bool connected; /* natkeyctl reached the fake daemon */
};

static char dir[64], sock_path[128];

static void dir_setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_natkeyctl.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sock_path, sizeof(sock_path), "%s/natkeyd.ctl", dir);
}

static void dir_teardown(void)
{
	unlink(sock_path);
	rmdir(dir);
}

static int listener(enum fake mode)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (mode == FAKE_NONE)
		return -1;
	memcpy(sun.sun_path, sock_path, strlen(sock_path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	if (mode == FAKE_REFUSE) {
		close(fd); /* the file stays: connect() gets ECONNREFUSED */
		return -1;
	}
	ck_assert_int_eq(listen(fd, 1), 0);
	return fd;
}

/* Read from both pipes until both are closed. */
static void drain(int out, int err, struct run *r)
{
	struct pollfd p[2] = { { .fd = out, .events = POLLIN }, { .fd = err, .events = POLLIN } };
	int open_n = 2;

	while (open_n) {
		ck_assert_int_gt(poll(p, 2, 20000), 0);
		for (int i = 0; i < 2; i++) {
			char *dst = i ? r->err : r->out;
			size_t *len = i ? &r->err_len : &r->out_len;
			size_t cap = (i ? sizeof(r->err) : sizeof(r->out)) - 1;
			char scratch[4096];
			ssize_t n;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (*len < cap)
				n = read(p[i].fd, dst + *len, cap - *len);
			else
				n = read(p[i].fd, scratch, sizeof(scratch));
			if (n <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open_n--;
				continue;
			}
			if (!i)
				r->out_total += (size_t)n;
			if (*len < cap)
				*len += (size_t)n;
		}
	}
	r->out[r->out_len] = '\0';
	r->err[r->err_len] = '\0';
}

/* The fake daemon's side of one connection. natkeyctl connects before it
 * writes anything, so output on @out/@err first means it will not connect. */
static void serve(int lfd, int out, int err, enum fake mode, const char *answer, size_t answer_len,
		  struct run *r)
{
	struct pollfd p[3] = { { .fd = lfd, .events = POLLIN },
			       { .fd = out, .events = POLLIN },
			       { .fd = err, .events = POLLIN } };
	int c;

	if (poll(p, 3, 20000) <= 0 || !(p[0].revents & POLLIN))
		return; /* natkeyctl gave up (or never came) */
	c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	ck_assert_int_ge(c, 0);
	r->connected = true;
	/* natkeyctl sends one line, then waits. */
	while (r->req_len < sizeof(r->req) - 1 && !memchr(r->req, '\n', r->req_len)) {
		ssize_t n = recv(c, r->req + r->req_len, sizeof(r->req) - 1 - r->req_len, 0);

		if (n <= 0)
			break;
		r->req_len += (size_t)n;
	}
	r->req[r->req_len] = '\0';
	if (mode == FAKE_ANSWER || mode == FAKE_ENDLESS) {
		for (size_t off = 0; off < answer_len;) {
			ssize_t n = send(c, answer + off, answer_len - off, MSG_NOSIGNAL);

			if (n <= 0)
				break;
			off += (size_t)n;
		}
	}
	if (mode == FAKE_ENDLESS) {
		static char junk[65536];

		memset(junk, 'x', sizeof(junk));
		while (send(c, junk, sizeof(junk), MSG_NOSIGNAL) > 0)
			; /* until natkeyctl closes: EPIPE/ECONNRESET */
	}
	if (mode == FAKE_SILENT) {
		char b;

		/* Wait for natkeyctl to give up and close. */
		while (recv(c, &b, 1, 0) > 0)
			;
	}
	close(c);
}

/* Run natkeyctl ARGS (NULL-terminated, without argv[0]) against the fake. */
static void run_ctl(const char *const *args, enum fake mode, const char *answer, size_t answer_len,
		    struct run *r)
{
	const char *argv[16];
	int out[2], err[2], lfd;
	size_t n = 0;
	pid_t pid;
	int st;

	memset(r, 0, sizeof(*r));
	argv[n++] = NATKEYCTL;
	for (; *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	lfd = listener(mode);
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(err, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		setenv("NATKEYD_SOCKET", sock_path, 1);
		execv(NATKEYCTL, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	if (lfd >= 0) {
		serve(lfd, out[0], err[0], mode, answer, answer_len, r);
		close(lfd);
	}
	drain(out[0], err[0], r);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	unlink(sock_path);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* ---- not running ---- */

START_TEST(test_not_running)
{
	struct run *r = malloc(sizeof(*r));

	run_ctl(ARGS("status"), _i ? FAKE_REFUSE : FAKE_NONE, NULL, 0, r);
	ck_assert_int_eq(r->status, 3);
	ck_assert_uint_eq(r->out_len, 0);
	ck_assert_ptr_nonnull(strstr(r->err, "natkeyctl: natkeyd is not running ("));
	ck_assert_ptr_nonnull(strstr(r->err, sock_path));
	ck_assert_ptr_nonnull(strstr(r->err, _i ? "Connection refused" : "No such file"));
	free(r);
}
END_TEST

/* ---- usage errors: exit 2 before any connection (no socket exists, so a
 * connection attempt would exit 3) ---- */

static const struct {
	const char *args[6];
	const char *err; /* in stderr */
} usage_vecs[] = {
	{ { NULL }, "Usage:" },
	{ { "frobnicate" }, "unknown command 'frobnicate'" },
	{ { "-x", "status" }, "unknown option -x" },
	{ { "up" }, "up needs a connection NAME" },
	{ { "down", "bad/name" }, "down needs a connection NAME" },
	{ { "down", "gw", "0" }, "not an IKE SA number" },
	{ { "down", "gw", "#x" }, "not an IKE SA number" },
	{ { "down", "gw", "-7" }, "not an IKE SA number" },
	{ { "down", "gw", "7", "8" }, "unexpected argument '8'" },
	{ { "up", "-gw" }, "up needs a connection NAME" },
	{ { "up", "gw", "extra" }, "unexpected argument 'extra'" },
	{ { "status", "--yaml" }, "unexpected argument '--yaml'" },
	{ { "nat", "--json", "rw" }, "unexpected argument 'rw'" },
	{ { "status", "--json", "--json" }, "unexpected argument '--json'" },
	{ { "reload", "now" }, "unexpected argument 'now'" },
	{ { "log-level" }, "log-level needs error, warn, info or debug" },
	{ { "log-level", "loud" }, "log-level needs error, warn, info or debug" },
	{ { "log-level", "debug", "nosuch" }, "unknown module" },
	{ { "-t", "0", "status" }, "-t needs 1 to 3600 seconds" },
	{ { "-t", "-5", "status" }, "-t needs 1 to 3600 seconds" },
	{ { "-t", "9999", "status" }, "-t needs 1 to 3600 seconds" },
	{ { "-t", "5s", "status" }, "-t needs 1 to 3600 seconds" },
	{ { "-s" }, "unknown option -s" },
};

START_TEST(test_usage)
{
	struct run *r = malloc(sizeof(*r));
	const char *argv[8] = { NULL };
	size_t n = 0;

	while (usage_vecs[_i].args[n]) {
		argv[n] = usage_vecs[_i].args[n];
		n++;
	}
	argv[n] = NULL;
	run_ctl(argv, FAKE_NONE, NULL, 0, r);
	ck_assert_int_eq(r->status, 2);
	ck_assert_uint_eq(r->out_len, 0);
	ck_assert_msg(strstr(r->err, usage_vecs[_i].err), "stderr '%s' lacks '%s'", r->err,
		      usage_vecs[_i].err);
	free(r);
}
END_TEST

START_TEST(test_help_version)
{
	struct run *r = malloc(sizeof(*r));

	run_ctl(ARGS("--help"), FAKE_NONE, NULL, 0, r);
	ck_assert_int_eq(r->status, 0);
	ck_assert_ptr_nonnull(strstr(r->out, "Usage:"));
	ck_assert_ptr_nonnull(strstr(r->out, "log-level"));
	run_ctl(ARGS("help"), FAKE_NONE, NULL, 0, r);
	ck_assert_int_eq(r->status, 0);
	ck_assert_ptr_nonnull(strstr(r->out, "Exit status"));
	run_ctl(ARGS("--version"), FAKE_NONE, NULL, 0, r);
	ck_assert_int_eq(r->status, 0);
	ck_assert_int_eq(strncmp(r->out, "natkeyctl ", 10), 0);
	free(r);
}
END_TEST

/* ---- requests on the wire and the answer's fate ---- */

static const struct {
	const char *args[5];
	const char *request; /* what the fake daemon must receive */
	const char *answer;  /* what it sends back */
	int status;
	const char *out; /* exact stdout */
	const char *err; /* in stderr ("" = stderr empty) */
} answer_vecs[] = {
	{ { "up", "gw" }, "v1 up gw\n", "OK 14\ninitiating gw\n", 0, "initiating gw\n", "" },
	{ { "down", "hq-branch_1.x" }, "v1 down hq-branch_1.x\n", "OK 0\n", 0, "", "" },
	{ { "down", "rw", "#12" }, "v1 down rw 12\n", "OK 0\n", 0, "", "" },
	{ { "down", "rw", "12" }, "v1 down rw 12\n", "OK 0\n", 0, "", "" },
	{ { "reload" }, "v1 reload\n", "OK 3\nok\n", 0, "ok\n", "" },
	{ { "sas", "--json" }, "v1 sas --json\n", "OK 10\n{\"sas\":[]}", 0, "{\"sas\":[]}", "" },
	{ { "nat" }, "v1 nat\n", "OK 20\nno established peer\n", 0, "no established peer\n", "" },
	{ { "nat", "--json" },
	  "v1 nat --json\n",
	  "OK 13\n{\"peers\":[]}\n",
	  0,
	  "{\"peers\":[]}\n",
	  "" },
	{ { "log-level", "debug", "natt" },
	  "v1 log-level debug natt\n",
	  "OK 4\nok\n\n",
	  0,
	  "ok\n\n",
	  "" },
	{ { "log-level", "warn" }, "v1 log-level warn\n", "OK 2\nok", 0, "ok", "" },
	/* The daemon refuses: its message on stderr, exit 1 ... */
	{ { "up", "nosuch" },
	  "v1 up nosuch\n",
	  "ERR 40 48\nnosuch: no such connection in the configuration\n",
	  1,
	  "",
	  "natkeyctl: no-such-connection: nosuch: no such connection in the configuration\n" },
	{ { "reload" },
	  "v1 reload\n",
	  "ERR 42 31\nipsec.conf:3: unknown key 'foo'",
	  1,
	  "",
	  "natkeyctl: reload-failed: ipsec.conf:3: unknown key 'foo'\n" },
	{ { "status" }, "v1 status\n", "ERR 50 0\n", 1, "", "natkeyctl: internal: \n" },
	/* Control bytes in an error text never reach the terminal. */
	{ { "up", "gw" },
	  "v1 up gw\n",
	  "ERR 40 14\nno \x1b[31mred\x07\r\x7f",
	  1,
	  "",
	  "natkeyctl: no-such-connection: no ?[31mred???\n" },
	/* ... or 2 when it says the request was malformed (a version skew). */
	{ { "status" },
	  "v1 status\n",
	  "ERR 15 9\nbad v1?!\n",
	  2,
	  "",
	  "natkeyctl: bad-version: bad v1?!\n" },
	/* More bytes than announced: exactly the announced body is printed. */
	{ { "status" }, "v1 status\n", "OK 3\nabcdef", 0, "abc", "" },
	/* Malformed answers: a clear error, exit 3, nothing on stdout. */
	{ { "status" },
	  "v1 status\n",
	  "garbage\n",
	  3,
	  "",
	  "natkeyctl: malformed response from natkeyd: no valid header\n" },
	{ { "status" },
	  "v1 status\n",
	  "OK 16777217\n",
	  3,
	  "",
	  "natkeyctl: malformed response from natkeyd: no valid header\n" },
	{ { "status" },
	  "v1 status\n",
	  "OK 012\nleading zero",
	  3,
	  "",
	  "malformed response from natkeyd: no valid header" },
	{ { "status" },
	  "v1 status\n",
	  "ERR 0 2\nok",
	  3,
	  "",
	  "malformed response from natkeyd: no valid header" },
	{ { "status" },
	  "v1 status\n",
	  "ERR 40\nno length",
	  3,
	  "",
	  "malformed response from natkeyd: no valid header" },
	{ { "status" },
	  "v1 status\n",
	  "OK 1000\nonly a little",
	  3,
	  "",
	  "natkeyctl: malformed response from natkeyd: 13 of 1000 bytes\n" },
	{ { "status" },
	  "v1 status\n",
	  "OK 5", /* header never finished */
	  3,
	  "",
	  "malformed response from natkeyd: no valid header" },
	{ { "status" },
	  "v1 status\n",
	  "",
	  3,
	  "",
	  "natkeyctl: malformed response from natkeyd: connection closed without an answer\n" },
	{ { "status" },
	  "v1 status\n",
	  "OK 99999999999999999999999\n",
	  3,
	  "",
	  "malformed response from natkeyd: no valid header" },
};

START_TEST(test_answer)
{
	struct run *r = malloc(sizeof(*r));
	const char *argv[6] = { NULL };
	size_t n = 0;

	while (answer_vecs[_i].args[n]) {
		argv[n] = answer_vecs[_i].args[n];
		n++;
	}
	argv[n] = NULL;
	run_ctl(argv, FAKE_ANSWER, answer_vecs[_i].answer, strlen(answer_vecs[_i].answer), r);
	ck_assert(r->connected);
	ck_assert_str_eq(r->req, answer_vecs[_i].request);
	ck_assert_int_eq(r->status, answer_vecs[_i].status);
	ck_assert_str_eq(r->out, answer_vecs[_i].out);
	if (!answer_vecs[_i].err[0])
		ck_assert_str_eq(r->err, "");
	else
		ck_assert_msg(strstr(r->err, answer_vecs[_i].err), "stderr '%s' lacks '%s'", r->err,
			      answer_vecs[_i].err);
	free(r);
}
END_TEST

/* Without -s, $NATKEYD_SOCKET names the socket (run_ctl sets it); -s wins. */
START_TEST(test_socket_option)
{
	struct run *r = malloc(sizeof(*r));

	run_ctl(ARGS("-s", "/nonexistent/natkeyd.ctl", "status"), FAKE_ANSWER, "OK 0\n", 5, r);
	ck_assert(!r->connected);
	ck_assert_int_eq(r->status, 3);
	ck_assert_ptr_nonnull(strstr(r->err, "/nonexistent/natkeyd.ctl"));
	run_ctl(ARGS("--socket", sock_path, "status"), FAKE_ANSWER, "OK 3\nup\n", 8, r);
	ck_assert(r->connected);
	ck_assert_int_eq(r->status, 0);
	ck_assert_str_eq(r->out, "up\n");
	free(r);
}
END_TEST

/* A body with NUL bytes and non-UTF-8 passes through untouched. */
START_TEST(test_binary_body)
{
	static const char answer[] = "OK 6\na\0b\xff\n\0";
	struct run *r = malloc(sizeof(*r));

	run_ctl(ARGS("status"), FAKE_ANSWER, answer, sizeof(answer) - 1, r);
	ck_assert_int_eq(r->status, 0);
	ck_assert_uint_eq(r->out_len, 6);
	ck_assert_mem_eq(r->out, "a\0b\xff\n\0", 6);
	free(r);
}
END_TEST

/* A daemon that accepts and never answers: natkeyctl gives up after -t. */
START_TEST(test_silent_daemon)
{
	struct run *r = malloc(sizeof(*r));

	run_ctl(ARGS("-t", "1", "status"), FAKE_SILENT, NULL, 0, r);
	ck_assert(r->connected);
	ck_assert_str_eq(r->req, "v1 status\n");
	ck_assert_int_eq(r->status, 3);
	ck_assert_ptr_nonnull(strstr(r->err, "did not answer within 1 s"));
	free(r);
}
END_TEST

/* A daemon that talks without end: after a complete answer natkeyctl stops
 * reading; after a header that never ends it gives up at CTL_HEADER_MAX. */
START_TEST(test_endless_daemon)
{
	struct run *r = malloc(sizeof(*r));

	run_ctl(ARGS("status"), FAKE_ENDLESS, "OK 4\nabcd", 9, r);
	ck_assert_int_eq(r->status, 0);
	ck_assert_str_eq(r->out, "abcd");
	run_ctl(ARGS("status"), FAKE_ENDLESS, "OK ", 3, r);
	ck_assert_int_eq(r->status, 3);
	ck_assert_uint_eq(r->out_len, 0);
	ck_assert_ptr_nonnull(strstr(r->err, "malformed response from natkeyd: no valid header"));
	free(r);
}
END_TEST

/* An answer at the protocol's size limit (CTL_BODY_MAX) is printed whole. */
START_TEST(test_largest_answer)
{
	size_t body = CTL_BODY_MAX, hl;
	char *answer = malloc(body + CTL_HEADER_MAX);
	struct run *r = malloc(sizeof(*r));
	unsigned long sum = 0;

	ck_assert_ptr_nonnull(answer);
	hl = (size_t)snprintf(answer, CTL_HEADER_MAX, "OK %zu\n", body);
	for (size_t i = 0; i < body; i++)
		answer[hl + i] = (char)('a' + i % 26);
	run_ctl(ARGS("sas"), FAKE_ANSWER, answer, hl + body, r);
	ck_assert_int_eq(r->status, 0);
	/* run.out keeps the first 128 KiB: check them, and the whole count. */
	ck_assert_uint_eq(r->out_total, body);
	ck_assert_uint_eq(r->out_len, sizeof(r->out) - 1);
	for (size_t i = 0; i < r->out_len; i++)
		sum += r->out[i] != (char)('a' + i % 26);
	ck_assert_uint_eq(sum, 0);
	free(answer);
	free(r);
}
END_TEST

/* ---- the status documents through natkeyctl ---- */

/* A gateway conn with two road warriors behind one NAT (ports 40001 and
 * 40002), one IPsec SA each, plus a road-warrior conn behind a NAT and a
 * conn that is down. */
static void view_fill(struct ctl_status_view *st, struct ctl_conn_view *c,
		      struct ctl_ike_sa_view *ike, struct ctl_child_sa_view *child)
{
	memset(c, 0, 3 * sizeof(*c));
	memset(ike, 0, 3 * sizeof(*ike));
	memset(child, 0, 3 * sizeof(*child));
	for (int i = 0; i < 2; i++) {
		ike[i].serial = 4 - (uint32_t)i * 2; /* #4 (newest), #2 */
		ike[i].cookie_i[0] = (uint8_t)(0x10 + i);
		ike[i].cookie_r[7] = (uint8_t)(0x20 + i);
		ike[i].state = "MAIN_R3";
		ike[i].established = true;
		ike[i].exchange = "main";
		ike[i].local = (struct ctl_endpoint_view){ "192.0.2.1", 4500 };
		ike[i].remote = (struct ctl_endpoint_view){ "198.51.100.9", (uint16_t)(40002 - i) };
		ike[i].remote_id = i ? "@rw1.example" : "@rw2.example";
		ike[i].floated = true;
		ike[i].nat_method = "rfc3947";
		ike[i].remote_behind_nat = true;
		ike[i].proposal = "aes128-sha256-modp2048";
		ike[i].age_s = 30 + (uint32_t)i * 10;
		ike[i].expires = true;
		ike[i].expire_in_s = 3570 - (uint32_t)i * 10;
		child[i] = (struct ctl_child_sa_view){
			.spi_in = 0xc1000000u + (uint32_t)i,
			.spi_out = 0xd1000000u + (uint32_t)i,
			.ike_serial = ike[i].serial,
			.mode = "tunnel",
			.udp_encap = true,
			.local = ike[i].local,
			.remote = ike[i].remote,
			.proposal = "aes128-sha1-modp2048",
			.bytes_in = 840,
			.bytes_out = 1680,
			.age_s = 29,
			.expires = true,
			.expire_in_s = 3000,
		};
	}
	c[0] = (struct ctl_conn_view){
		.name = "rw",
		.state = "up",
		.autostart = "add",
		.local_addr = "192.0.2.1",
		.local_port = 4500,
		.remote_addr = "198.51.100.9",
		.remote_port = 40002,
		.local_id = "@gw.example",
		.remote_id = "%any",
		.nat_method = "rfc3947",
		.remote_behind_nat = true,
		.ike_sas = ike,
		.n_ike_sas = 2,
		.child_sas = child,
		.n_child_sas = 2,
	};
	ike[2] = (struct ctl_ike_sa_view){ .serial = 1,
					   .state = "MAIN_I4",
					   .established = true,
					   .exchange = "main",
					   .initiator = true,
					   .local = { "10.1.0.2", 4500 },
					   .remote = { "203.0.113.5", 4500 },
					   .remote_id = "@hq.example",
					   .floated = true,
					   .nat_method = "rfc3947",
					   .local_behind_nat = true,
					   .keepalive_s = 20,
					   .proposal = "aes256-sha256-modp2048",
					   .age_s = 5,
					   .rekey_planned = true,
					   .rekey_in_s = 3300 };
	child[2] = (struct ctl_child_sa_view){ .spi_in = 0xabcdef01,
					       .spi_out = 0x12345678,
					       .ike_serial = 1,
					       .mode = "tunnel",
					       .udp_encap = true,
					       .local = { "10.1.0.2", 4500 },
					       .remote = { "203.0.113.5", 4500 },
					       .proposal = "aes256gcm16",
					       .age_s = 4,
					       .rekey_planned = true,
					       .rekey_in_s = 1000 };
	c[1] = (struct ctl_conn_view){ .name = "hq",
				       .state = "up",
				       .autostart = "start",
				       .local_addr = "10.1.0.2",
				       .local_port = 4500,
				       .remote_addr = "203.0.113.5",
				       .remote_port = 4500,
				       .nat_method = "rfc3947",
				       .local_behind_nat = true,
				       .keepalive_s = 20,
				       .ike_sas = &ike[2],
				       .n_ike_sas = 1,
				       .child_sas = &child[2],
				       .n_child_sas = 1 };
	c[2] = (struct ctl_conn_view){ .name = "spare",
				       .state = "down",
				       .autostart = "add",
				       .local_addr = "192.0.2.1",
				       .local_port = 500,
				       .last_error = "PEER_UNREACHABLE: no answer" };
	memset(st, 0, sizeof(*st));
	st->version = "0.1.0";
	st->pid = 99;
	st->config_file = "/etc/ipsec.conf";
	st->conns = c;
	st->n_conns = 3;
}

static char *framed(const char *body, size_t len, size_t *out_len)
{
	char *a = malloc(len + CTL_HEADER_MAX);
	ssize_t hl;

	ck_assert_ptr_nonnull(a);
	hl = ctl_response_header_format(a, CTL_HEADER_MAX, CTL_OK, len);
	ck_assert_int_gt(hl, 0);
	memcpy(a + hl, body, len);
	*out_len = (size_t)hl + len;
	return a;
}

START_TEST(test_status_text)
{
	struct ctl_status_view st;
	struct ctl_conn_view c[3];
	struct ctl_ike_sa_view ike[3];
	struct ctl_child_sa_view child[3];
	struct run *r = malloc(sizeof(*r));
	char body[8192], *answer;
	size_t alen;
	ssize_t n;

	view_fill(&st, c, ike, child);
	n = ctl_status_write_text(&st, body, sizeof(body));
	ck_assert_int_gt(n, 0);
	answer = framed(body, (size_t)n, &alen);
	run_ctl(ARGS("status"), FAKE_ANSWER, answer, alen, r);
	ck_assert_str_eq(r->req, "v1 status\n");
	ck_assert_int_eq(r->status, 0);
	ck_assert_str_eq(r->err, "");
	ck_assert_str_eq(r->out, body);
	/* Independently of the renderer: every IKE SA on its own line, with its
	 * own peer port, NAT facts and IPsec SA; the down conn with its error. */
	ck_assert_ptr_nonnull(
		strstr(r->out, "rw: up, auto=add, 192.0.2.1:4500 -> 198.51.100.9:40002, NAT: peer "
			       "(RFC 3947), ESP-in-UDP aes128-sha1-modp2048, SPIs in c1000000 out "
			       "d1000000, bytes in 840 out 1680, age 29s, expires in 3000s, IKE #4 "
			       "MAIN_R3 main responder peer @rw2.example aes128-sha256-modp2048 "
			       "age 30s expires in 3570s\n"));
	ck_assert_ptr_nonnull(strstr(
		r->out, "\nrw: up, auto=add, 192.0.2.1:4500 -> 198.51.100.9:40001, NAT: peer "
			"(RFC 3947), ESP-in-UDP aes128-sha1-modp2048, SPIs in c1000001 out "
			"d1000001, bytes in 840 out 1680, age 29s, expires in 3000s, IKE #2 "
			"MAIN_R3 main responder peer @rw1.example aes128-sha256-modp2048 "
			"age 40s expires in 3560s\n"));
	ck_assert_ptr_nonnull(strstr(
		r->out, "\nhq: up, auto=start, 10.1.0.2:4500 -> 203.0.113.5:4500, NAT: local "
			"(RFC 3947), ESP-in-UDP aes256gcm16, SPIs in abcdef01 out 12345678, "
			"bytes in 0 out 0, age 4s, rekey in 1000s, keepalive 20s, IKE #1 "
			"MAIN_I4 main initiator peer @hq.example aes256-sha256-modp2048 age "
			"5s rekey in 3300s\n"));
	ck_assert_ptr_nonnull(strstr(r->out, "\nspare: down, auto=add, 192.0.2.1:500 -> %any, "
					     "NAT: unknown, last error: PEER_UNREACHABLE: no "
					     "answer\n"));
	ck_assert_uint_eq(r->out_len, (size_t)n);
	free(answer);
	free(r);
}
END_TEST

START_TEST(test_status_json)
{
	struct ctl_status_view st;
	struct ctl_conn_view c[3];
	struct ctl_ike_sa_view ike[3];
	struct ctl_child_sa_view child[3];
	struct run *r = malloc(sizeof(*r));
	char body[16384], *answer;
	size_t alen;
	ssize_t n;

	view_fill(&st, c, ike, child);
	n = ctl_status_write_json(&st, body, sizeof(body) - 1);
	ck_assert_int_gt(n, 0);
	body[n++] = '\n'; /* as natkeyd sends it */
	answer = framed(body, (size_t)n, &alen);
	run_ctl(ARGS("status", "--json"), FAKE_ANSWER, answer, alen, r);
	ck_assert_str_eq(r->req, "v1 status --json\n");
	ck_assert_int_eq(r->status, 0);
	ck_assert_str_eq(r->err, "");
	ck_assert_uint_eq(r->out_len, (size_t)n);
	ck_assert_mem_eq(r->out, body, (size_t)n);
	ck_assert_ptr_nonnull(strstr(r->out, "\"remote\":{\"address\":\"198.51.100.9\",\"port\":"
					     "40001,\"id\":\"@rw1.example\"}"));
	free(answer);
	free(r);
}
END_TEST

/* ---- nkd_child_ike_find(): which IKE SA an IPsec SA is shown under ---- */

static void ss4(struct sockaddr_storage *ss, const char *ip, uint16_t port)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	ck_assert_int_eq(inet_pton(AF_INET, ip, &in->sin_addr), 1);
}

START_TEST(test_child_ike_find)
{
	struct ike_sa_status ike[4];
	struct ipsec_sa_status k;

	memset(ike, 0, sizeof(ike));
	/* Newest first: #9 rw2 (port 40002), #8 rw1 (40001) being deleted, #5
	 * rw1 (40001), #3 rw1 still negotiating. */
	ike[0].serial = 9;
	ike[0].established = true;
	ss4(&ike[0].remote, "198.51.100.9", 40002);
	ike[1].serial = 8;
	ike[1].established = true;
	ike[1].deleting = true;
	ss4(&ike[1].remote, "198.51.100.9", 40001);
	ike[2].serial = 5;
	ike[2].established = true;
	ss4(&ike[2].remote, "198.51.100.9", 40001);
	ike[3].serial = 3;
	ss4(&ike[3].remote, "198.51.100.9", 40001);
	memset(&k, 0, sizeof(k));
	/* The negotiating IKE SA while it exists, whatever its state. */
	k.ike_serial = 8;
	ss4(&k.remote, "198.51.100.9", 40001);
	ck_assert_int_eq(nkd_child_ike_find(ike, 4, &k), 1);
	k.ike_serial = 3;
	ck_assert_int_eq(nkd_child_ike_find(ike, 4, &k), 3);
	/* Gone: the newest established, not deleting, same address AND port. */
	k.ike_serial = 7;
	ck_assert_int_eq(nkd_child_ike_find(ike, 4, &k), 2);
	ss4(&k.remote, "198.51.100.9", 40002);
	ck_assert_int_eq(nkd_child_ike_find(ike, 4, &k), 0);
	/* Same address, another port (a third road warrior): none. */
	ss4(&k.remote, "198.51.100.9", 40003);
	ck_assert_int_eq(nkd_child_ike_find(ike, 4, &k), NKD_NO_IKE);
	ss4(&k.remote, "198.51.100.8", 40002);
	ck_assert_int_eq(nkd_child_ike_find(ike, 4, &k), NKD_NO_IKE);
	ck_assert_int_eq(nkd_child_ike_find(ike, 0, &k), NKD_NO_IKE);
}
END_TEST

START_TEST(test_sockaddr_same)
{
	struct sockaddr_storage a, b;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&a, *b6 = (struct sockaddr_in6 *)&b;

	ss4(&a, "192.0.2.1", 500);
	ss4(&b, "192.0.2.1", 500);
	ck_assert(nkd_sockaddr_same(&a, &b));
	ss4(&b, "192.0.2.1", 4500);
	ck_assert(!nkd_sockaddr_same(&a, &b));
	ss4(&b, "192.0.2.2", 500);
	ck_assert(!nkd_sockaddr_same(&a, &b));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a6->sin6_family = b6->sin6_family = AF_INET6;
	a6->sin6_port = b6->sin6_port = htons(4500);
	inet_pton(AF_INET6, "2001:db8::1", &a6->sin6_addr);
	inet_pton(AF_INET6, "2001:db8::1", &b6->sin6_addr);
	ck_assert(nkd_sockaddr_same(&a, &b));
	b6->sin6_addr.s6_addr[15] = 2;
	ck_assert(!nkd_sockaddr_same(&a, &b));
	a.ss_family = b.ss_family = AF_UNSPEC;
	ck_assert(!nkd_sockaddr_same(&a, &b));
}
END_TEST

/* natkeyctl nat lists a peer once, with its newest established IKE SA (a
 * rekey leaves two for a while), and never a half-open one. */
START_TEST(test_nat_shown)
{
	static struct ike_sa_status v[5];

	memset(v, 0, sizeof(v));
	for (int i = 0; i < 5; i++) {
		v[i].established = true;
		v[i].peer_id.type = 2;
		v[i].peer_id.len = 3;
		memcpy(v[i].peer_id.data, "rwA", 3);
		ss4(&v[i].remote, "198.51.100.7", 40001);
	}
	v[1].serial = 3; /* older SA of the same peer as v[0] */
	v[2].peer_id.data[2] = 'B';
	ss4(&v[3].remote, "198.51.100.7", 40002); /* another rw behind the same NAT */
	v[4].established = false;
	ss4(&v[4].remote, "198.51.100.9", 500);
	ck_assert(nkd_nat_shown(v, 0));
	ck_assert(!nkd_nat_shown(v, 1));
	ck_assert(nkd_nat_shown(v, 2));
	ck_assert(nkd_nat_shown(v, 3));
	ck_assert(!nkd_nat_shown(v, 4));
	v[0].deleting = true; /* the older one shows while the newer goes */
	ck_assert(nkd_nat_shown(v, 1));
}
END_TEST

/* The daemon's view of an IKE SA's facts: names, history strings, times. */
START_TEST(test_nat_view)
{
	static struct ike_sa_status k;
	struct nkd_nat_text t;
	struct ctl_nat_view v;
	struct sockaddr_storage a, b;

	memset(&k, 0, sizeof(k));
	k.nat.hist = &k.nat_hist; /* a status snapshot's own storage: nothing to free */
	k.nat.natt = k.nat.natd_done = k.nat.natd_peer = true;
	ss4(&a, "198.51.100.7", 40001);
	natt_diag_leg(&k.nat, 500, (struct sockaddr *)&a);
	ss4(&a, "198.51.100.7", 40002);
	natt_diag_leg(&k.nat, 4500, (struct sockaddr *)&a);
	k.nat.established_ms = 1000;
	natt_diag_auth(&k.nat, 1000);
	ss4(&b, "198.51.100.7", 40003);
	natt_diag_remap(&k.nat, 46000, (struct sockaddr *)&a, (struct sockaddr *)&b, true);
	natt_diag_classify(&k.nat, 50000, 0, &k.nat_diag);
	nkd_nat_view(&k, 50000, &t, &v);
	ck_assert_str_eq(v.peer_nat, "translated");
	ck_assert_str_eq(v.port_preserved, "no");
	ck_assert_str_eq(v.split_nat, "no");
	ck_assert_str_eq(v.leg_500, "198.51.100.7:40001");
	ck_assert_str_eq(v.leg_4500, "198.51.100.7:40002");
	ck_assert_ptr_null(v.natoa);
	ck_assert_uint_eq(v.binding_s, 45);
	ck_assert(v.have_last_auth);
	ck_assert_uint_eq(v.last_auth_ago_s, 4);
	ck_assert(!v.have_last_keepalive);
	ck_assert_uint_eq(v.mapping_changes, 1);
	ck_assert_uint_eq(v.n_history, 1);
	ck_assert_str_eq(v.history[0].old_ep, "198.51.100.7:40002");
	ck_assert_str_eq(v.history[0].new_ep, "198.51.100.7:40003");
	ck_assert_uint_eq(v.history[0].ago_s, 4);
	ck_assert_uint_eq(v.history[0].idle_s, 45);
	ck_assert(v.history[0].esp);
	ck_assert_str_eq(v.audit, "ok");
	ck_assert_str_eq(v.diagnosis,
			 "behind NAT, port not preserved, NAT rebinds after ~45 s idle, no "
			 "keepalive yet");
}
END_TEST

#define N(t) ((int)(sizeof(t) / sizeof((t)[0])))

int main(void)
{
	Suite *s = suite_create("natkeyctl");
	TCase *tc = tcase_create("cli");
	TCase *tv = tcase_create("view");
	SRunner *sr;
	int failed;

	signal(SIGPIPE, SIG_IGN);
	tcase_add_checked_fixture(tc, dir_setup, dir_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_not_running, 0, 2);
	tcase_add_loop_test(tc, test_usage, 0, N(usage_vecs));
	tcase_add_test(tc, test_help_version);
	tcase_add_loop_test(tc, test_answer, 0, N(answer_vecs));
	tcase_add_test(tc, test_socket_option);
	tcase_add_test(tc, test_binary_body);
	tcase_add_test(tc, test_silent_daemon);
	tcase_add_test(tc, test_endless_daemon);
	tcase_add_test(tc, test_largest_answer);
	tcase_add_test(tc, test_status_text);
	tcase_add_test(tc, test_status_json);
	tcase_add_test(tv, test_child_ike_find);
	tcase_add_test(tv, test_sockaddr_same);
	tcase_add_test(tv, test_nat_shown);
	tcase_add_test(tv, test_nat_view);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tv);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
