// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natkeyctl: natkeyd's control CLI, in the wireguard-tools mould: a table of
 * subcommands, human output by default, --json for scripts. The protocol
 * (tools/ctl/ctl_proto.h) is one request line and one framed response.
 *
 * Exit status: 0 success; 1 the daemon refused (no such connection, reload
 * failed, ...); 2 usage error; 3 natkeyd is not running or unreachable, did
 * not answer in time, or answered with something that is not a response.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "config.h"
#include "tools/ctl/ctl_proto.h"
#include "tools/natkeyctl/natcheck.h"

#define DEFAULT_SOCKET	  "/run/natkeyd.ctl"
#define DEFAULT_TIMEOUT_S 15 /* natkeyd answers at once; a stalled one must not hang us */
#define MAX_TIMEOUT_S	  3600

enum {
	EXIT_REFUSED = 1,
	EXIT_USAGE = 2,
	EXIT_NOT_RUNNING = 3
};

struct subcommand {
	const char *name;
	enum ctl_cmd cmd;
	const char *args;
	const char *help;
};

static const struct subcommand subcommands[] = {
	{ "status", CTL_CMD_STATUS, "[--json]",
	  "one line per connection: state, endpoints, NAT, encapsulation, SPIs, bytes, age, rekey" },
	{ "sas", CTL_CMD_SAS, "[--json]", "the kernel SAs natkeyd owns" },
	{ "leases", CTL_CMD_LEASES, "[--json]",
	  "Mode Config address leases: address, owner (XAUTH user or identity), online" },
	{ "nat", CTL_CMD_NAT, "[--json]",
	  "per-peer NAT facts (ports, split NAT, CGN, keepalives, binding lifetime, mapping "
	  "changes) and a diagnosis" },
	{ "up", CTL_CMD_UP, "NAME", "initiate a connection" },
	{ "down", CTL_CMD_DOWN, "NAME [IKE-SA]",
	  "delete a connection's SAs (Deletes sent to the peer); with the number of an IKE SA "
	  "(status: \"IKE #N\"), only the SAs of that one peer" },
	{ "reload", CTL_CMD_RELOAD, "",
	  "re-read ipsec.conf and ipsec.secrets; unchanged connections stay up" },
	{ "log-level", CTL_CMD_LOG_LEVEL, "LEVEL [MODULE]",
	  "error|warn|info|debug, for one module (ike natt xfrm crypto engine conf ctl) or all" },
};

#define N_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "Usage: %s [-s SOCKET] [-t SECONDS] <command> [arguments]\n\nCommands:\n", prog);
	for (size_t i = 0; i < N_SUBCOMMANDS; i++)
		fprintf(f, "  %-9s %-15s %s\n", subcommands[i].name, subcommands[i].args,
			subcommands[i].help);
	fprintf(f,
		"  natcheck  --server HOST[:PORT] [--source ADDR] [--max-lifetime S] [--json]\n"
		"            NAT behaviour discovery with STUN (RFC 5780); no daemon needed\n"
		"\nThe socket is %s unless -s or $NATKEYD_SOCKET says otherwise.\n"
		"natkeyctl waits -t SECONDS (default %d) for the answer.\n"
		"Exit status: 0 done, 1 refused by natkeyd, 2 usage, 3 natkeyd not running\n"
		"or not answering.\n",
		DEFAULT_SOCKET, DEFAULT_TIMEOUT_S);
}

static int connect_daemon(const char *path, unsigned timeout_s)
{
	struct timeval tv = { .tv_sec = (time_t)timeout_s, .tv_usec = 0 };
	struct sockaddr_un sun;
	size_t n = strlen(path);
	int fd;

	if (n >= sizeof(sun.sun_path)) {
		fprintf(stderr, "natkeyctl: socket path %s is too long\n", path);
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	/* Bounded send and receive: a daemon that accepts and never answers
	 * (stopped, or stuck) gets a clear error, not a hung shell script. */
	if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
			setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)) {
		close(fd);
		fd = -1;
	}
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;

		if (e == ENOENT || e == ECONNREFUSED)
			fprintf(stderr, "natkeyctl: natkeyd is not running (%s: %s)\n", path,
				strerror(e));
		else if (e == EACCES)
			fprintf(stderr,
				"natkeyctl: permission denied on %s (run as root or a member of "
				"the socket's group)\n",
				path);
		else
			fprintf(stderr, "natkeyctl: cannot reach natkeyd at %s: %s\n", path,
				strerror(e));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Send the request, read the whole response. Returns the exit status. */
static int transact(const char *path, unsigned timeout_s, const struct ctl_request *req)
{
	char line[CTL_REQUEST_MAX];
	size_t len = 0, cap = 64 * 1024, body_len = 0, hdr_len = 0;
	enum ctl_code code;
	char *buf;
	ssize_t n;
	int fd, rc = EXIT_NOT_RUNNING;

	n = ctl_request_format(req, line, sizeof(line));
	if (n < 0) {
		fprintf(stderr, "natkeyctl: cannot encode the request: %s\n", strerror((int)-n));
		return EXIT_USAGE;
	}
	fd = connect_daemon(path, timeout_s);
	if (fd < 0)
		return EXIT_NOT_RUNNING;
	buf = malloc(cap + 1);
	if (!buf) {
		fprintf(stderr, "natkeyctl: out of memory\n");
		goto out;
	}
	if (send(fd, line, (size_t)n, MSG_NOSIGNAL) != n) {
		fprintf(stderr, "natkeyctl: sending to natkeyd: %s\n", strerror(errno));
		goto out;
	}
	for (;;) {
		enum ctl_code h;

		if (len == cap) {
			char *nb;

			if (cap >= CTL_BODY_MAX + CTL_HEADER_MAX)
				break;
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb)
				break;
			buf = nb;
		}
		n = recv(fd, buf + len, cap - len, 0);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			fprintf(stderr, "natkeyctl: natkeyd at %s did not answer within %u s\n",
				path, timeout_s);
			goto out;
		}
		if (n <= 0)
			break;
		len += (size_t)n;
		h = ctl_response_header_parse(buf, len, &code, &body_len, &hdr_len);
		if (h == CTL_OK && len >= hdr_len + body_len)
			break;
		if (h == CTL_E_BAD_RESPONSE)
			break;
	}
	if (ctl_response_header_parse(buf, len, &code, &body_len, &hdr_len) != CTL_OK) {
		fprintf(stderr, "natkeyctl: %s: %s\n", ctl_code_message(CTL_E_BAD_RESPONSE),
			len ? "no valid header" : "connection closed without an answer");
		goto out;
	}
	if (len < hdr_len + body_len) {
		fprintf(stderr, "natkeyctl: %s: %zu of %zu bytes\n",
			ctl_code_message(CTL_E_BAD_RESPONSE), len - hdr_len, body_len);
		goto out;
	}
	if (code == CTL_OK) {
		rc = 0;
		if (fwrite(buf + hdr_len, 1, body_len, stdout) != body_len || fflush(stdout)) {
			fprintf(stderr, "natkeyctl: writing the answer: %s\n", strerror(errno));
			rc = EXIT_REFUSED;
		}
	} else {
		fprintf(stderr, "natkeyctl: %s: ", ctl_code_name(code));
		/* An error text goes to a terminal: no control bytes through,
		 * whatever names or values the daemon quotes. */
		for (size_t i = 0; i < body_len; i++) {
			unsigned char ch = (unsigned char)buf[hdr_len + i];

			fputc(ch == '\n' || ch == '\t' || (ch >= 0x20 && ch < 0x7f) ? ch : '?',
			      stderr);
		}
		if (!body_len || buf[hdr_len + body_len - 1] != '\n')
			fputc('\n', stderr);
		rc = code >= CTL_E_TOO_LONG && code < CTL_E_NO_SUCH_CONN ? EXIT_USAGE
									 : EXIT_REFUSED;
	}
out:
	free(buf);
	close(fd);
	return rc;
}

static int parse_level(const char *s, enum ctl_log_level *out)
{
	for (int i = CTL_LOG_ERROR; i <= CTL_LOG_DEBUG; i++)
		if (!strcmp(s, ctl_log_level_name((enum ctl_log_level)i))) {
			*out = (enum ctl_log_level)i;
			return 0;
		}
	return -EINVAL;
}

static int parse_module(const char *s, enum ctl_log_module *out)
{
	for (int i = CTL_MOD_ALL; i <= CTL_MOD_CTL; i++)
		if (!strcmp(s, ctl_log_module_name((enum ctl_log_module)i))) {
			*out = (enum ctl_log_module)i;
			return 0;
		}
	return -EINVAL;
}

int main(int argc, char **argv)
{
	const char *prog = argv[0] ? argv[0] : "natkeyctl";
	const char *path = getenv("NATKEYD_SOCKET");
	const struct subcommand *sc = NULL;
	unsigned timeout_s = DEFAULT_TIMEOUT_S;
	struct ctl_request req;
	int i = 1;

	if (!path || !path[0])
		path = DEFAULT_SOCKET;
	while (i < argc && argv[i][0] == '-') {
		if ((!strcmp(argv[i], "-s") || !strcmp(argv[i], "--socket")) && i + 1 < argc) {
			path = argv[i + 1];
			i += 2;
		} else if ((!strcmp(argv[i], "-t") || !strcmp(argv[i], "--timeout")) &&
			   i + 1 < argc) {
			char *end;
			unsigned long t;

			errno = 0;
			t = strtoul(argv[i + 1], &end, 10);
			if (errno || end == argv[i + 1] || *end || t == 0 || t > MAX_TIMEOUT_S ||
			    argv[i + 1][0] == '-') {
				fprintf(stderr, "natkeyctl: -t needs 1 to %d seconds\n",
					MAX_TIMEOUT_S);
				return EXIT_USAGE;
			}
			timeout_s = (unsigned)t;
			i += 2;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout, prog);
			return 0;
		} else if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
			printf("natkeyctl %s\n", PACKAGE_VERSION);
			return 0;
		} else {
			fprintf(stderr, "natkeyctl: unknown option %s\n", argv[i]);
			usage(stderr, prog);
			return EXIT_USAGE;
		}
	}
	if (i == argc) {
		usage(stderr, prog);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "help")) {
		usage(stdout, prog);
		return 0;
	}
	if (!strcmp(argv[i], "natcheck")) /* no daemon needed: tools/natkeyctl/natcheck.c */
		return natcheck_main(argc - i, argv + i);
	for (size_t k = 0; k < N_SUBCOMMANDS; k++)
		if (!strcmp(argv[i], subcommands[k].name))
			sc = &subcommands[k];
	if (!sc) {
		fprintf(stderr, "natkeyctl: unknown command '%s'\n", argv[i]);
		usage(stderr, prog);
		return EXIT_USAGE;
	}
	memset(&req, 0, sizeof(req));
	req.cmd = sc->cmd;
	i++;
	switch (sc->cmd) {
	case CTL_CMD_STATUS:
	case CTL_CMD_SAS:
	case CTL_CMD_LEASES:
	case CTL_CMD_NAT:
		if (i < argc && !strcmp(argv[i], "--json")) {
			req.json = true;
			i++;
		}
		break;
	case CTL_CMD_UP:
	case CTL_CMD_DOWN:
		if (i == argc || !conf_conn_name_valid(argv[i], strlen(argv[i]))) {
			fprintf(stderr, "natkeyctl: %s needs a connection NAME ([A-Za-z0-9._-])\n",
				sc->name);
			return EXIT_USAGE;
		}
		snprintf(req.name, sizeof(req.name), "%s", argv[i++]);
		if (sc->cmd == CTL_CMD_DOWN && i < argc) {
			/* One peer: its IKE SA's number, "7" or "#7" as status shows. */
			const char *s = argv[i][0] == '#' ? argv[i] + 1 : argv[i];
			char *end;
			unsigned long v;

			errno = 0;
			v = strtoul(s, &end, 10);
			if (errno || end == s || *end || v == 0 || v > UINT32_MAX || s[0] < '1' ||
			    s[0] > '9') {
				fprintf(stderr, "natkeyctl: %s\n",
					ctl_code_message(CTL_E_BAD_PEER));
				return EXIT_USAGE;
			}
			req.peer = (uint32_t)v;
			i++;
		}
		break;
	case CTL_CMD_LOG_LEVEL:
		if (i == argc || parse_level(argv[i], &req.level) < 0) {
			fprintf(stderr, "natkeyctl: log-level needs error, warn, info or debug\n");
			return EXIT_USAGE;
		}
		i++;
		if (i < argc) {
			if (parse_module(argv[i], &req.module) < 0) {
				fprintf(stderr, "natkeyctl: %s\n",
					ctl_code_message(CTL_E_BAD_MODULE));
				return EXIT_USAGE;
			}
			i++;
		}
		break;
	case CTL_CMD_RELOAD:
		break;
	}
	if (i != argc) {
		fprintf(stderr, "natkeyctl: unexpected argument '%s'\n", argv[i]);
		return EXIT_USAGE;
	}
	return transact(path, timeout_s, &req);
}
