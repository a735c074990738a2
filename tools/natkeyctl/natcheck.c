// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natkeyctl natcheck: the I/O loop around natt/natcheck. Three UDP sockets
 * on ephemeral ports of the address that routes to the STUN server (or
 * --source), poll(), a monotonic clock, getrandom() for transaction IDs;
 * everything RFC 5780 is in natt/natcheck.c. Does not need natkeyd.
 */
#include "tools/natkeyctl/natcheck.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "natt/natcheck.h"
#include "natt/natcheck_state.h"

enum {
	EXIT_NO_RESULT = 1,
	EXIT_USAGE = 2,
	EXIT_LOCAL = 3,
};

#define STUN_PORT_DEFAULT    "3478" /* RFC 5389 s18.4 */
#define MAX_LIFETIME_DEFAULT 120u
#define MAX_LIFETIME_LIMIT   3600u

static void natcheck_usage(FILE *f)
{
	fprintf(f,
		"Usage: natkeyctl natcheck --server HOST[:PORT] [--source ADDR] "
		"[--max-lifetime S] [--json] [--save [FILE]]\n"
		"RFC 5780 NAT behaviour discovery against a STUN server (default port %s):\n"
		"mapping and filtering behaviour, port preservation, hairpinning, and the\n"
		"binding lifetime (idle probes up to S seconds, default %u; 0 skips it),\n"
		"with a verdict for IPsec NAT-T keepalives. --save writes the result to FILE\n"
		"(default %s) for natkeyd's nat_binding_lifetime=natcheck.\n",
		STUN_PORT_DEFAULT, MAX_LIFETIME_DEFAULT, NATCHECK_STATE_FILE);
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void fill_random(uint8_t *buf, size_t n, void *arg)
{
	(void)arg;
	while (n) {
		ssize_t r = getrandom(buf, n, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* No entropy source at all: nothing sensible is left. */
			fprintf(stderr, "natkeyctl: getrandom: %s\n", strerror(errno));
			exit(EXIT_LOCAL);
		}
		buf += r;
		n -= (size_t)r;
	}
}

static socklen_t sa_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

static void ep_str(const struct sockaddr_storage *ss, char *out, size_t n)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof(a));
		snprintf(out, n, "[%s]:%u", a, ntohs(s->sin6_port));
	} else if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s->sin_addr, a, sizeof(a));
		snprintf(out, n, "%s:%u", a, ntohs(s->sin_port));
	} else {
		snprintf(out, n, "-");
	}
}

/* HOST[:PORT], [V6]:PORT or a bare IPv6 address. */
static int resolve_server(const char *text, int family, struct sockaddr_storage *out)
{
	char host[256];
	const char *port = STUN_PORT_DEFAULT;
	struct addrinfo hints, *res = NULL;
	const char *colon = strrchr(text, ':');
	int rc;

	if (text[0] == '[') {
		const char *end = strchr(text, ']');

		if (!end || (size_t)(end - text - 1) >= sizeof(host))
			return -1;
		memcpy(host, text + 1, (size_t)(end - text - 1));
		host[end - text - 1] = 0;
		if (end[1] == ':')
			port = end + 2;
		else if (end[1])
			return -1;
	} else if (colon && strchr(text, ':') == colon) {
		if ((size_t)(colon - text) >= sizeof(host))
			return -1;
		memcpy(host, text, (size_t)(colon - text));
		host[colon - text] = 0;
		port = colon + 1;
	} else {
		if (strlen(text) >= sizeof(host))
			return -1;
		strcpy(host, text);
	}
	if (!host[0] || !port[0])
		return -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		fprintf(stderr, "natkeyctl: cannot resolve %s: %s\n", text, gai_strerror(rc));
		return -2;
	}
	memset(out, 0, sizeof(*out));
	memcpy(out, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

static int parse_source(const char *text, struct sockaddr_storage *out)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)out;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)out;

	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, text, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		return 0;
	}
	return -1;
}

/* The local address the kernel would use towards @server. */
static int route_source(const struct sockaddr_storage *server, struct sockaddr_storage *out)
{
	socklen_t len = sizeof(*out);
	int fd = socket(server->ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)server, sa_len(server)) < 0 ||
	    getsockname(fd, (struct sockaddr *)out, &len) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static const char *tri_name(enum natcheck_tri t)
{
	return t == NATCHECK_YES ? "yes" : t == NATCHECK_NO ? "no" : "untested";
}

static const char *method_name(enum natcheck_life_method m)
{
	switch (m) {
	case NATCHECK_LIFE_RESPONSE_PORT:
		return "response-port";
	case NATCHECK_LIFE_REPROBE:
		return "re-probe";
	default:
		return "none";
	}
}

static void print_json(const struct natcheck_result *r, const struct sockaddr_storage *server)
{
	char s[80], l[80], m[80], o[80];

	ep_str(server, s, sizeof(s));
	ep_str(&r->local, l, sizeof(l));
	ep_str(&r->mapped, m, sizeof(m));
	ep_str(&r->other, o, sizeof(o));
	printf("{\"server\":\"%s\",\"local\":\"%s\",\"udp_blocked\":%s,\"server_error\":%u,", s, l,
	       r->udp_blocked ? "true" : "false", r->server_error ? r->error_code : 0u);
	printf("\"mapped\":%s%s%s,\"behind_nat\":%s,\"port_preserved\":%s,",
	       r->mapped.ss_family ? "\"" : "", r->mapped.ss_family ? m : "null",
	       r->mapped.ss_family ? "\"" : "", r->behind_nat ? "true" : "false",
	       r->port_preserved ? "true" : "false");
	printf("\"rfc5780\":%s,\"other_address\":%s%s%s,", r->rfc5780 ? "true" : "false",
	       r->rfc5780 ? "\"" : "", r->rfc5780 ? o : "null", r->rfc5780 ? "\"" : "");
	printf("\"mapping\":\"%s\",\"filtering\":\"%s\",\"hairpinning\":\"%s\",",
	       natcheck_class_name(r->mapping), natcheck_class_name(r->filtering),
	       tri_name(r->hairpin));
	printf("\"lifetime\":{\"method\":\"%s\",\"known\":%s,\"exceeds_max\":%s,\"ms\":%u,"
	       "\"low_ms\":%u,\"high_ms\":%u},",
	       method_name(r->life_method), r->life_known ? "true" : "false",
	       r->life_exceeds ? "true" : "false", r->life_known ? r->life_ms : 0u, r->life_low_ms,
	       r->life_high_ms);
	printf("\"keepalive_s\":%u,\"sent\":%u,\"received\":%u,\"verdict\":", r->keepalive_s,
	       r->sent, r->received);
	json_str(r->verdict);
	printf("}\n");
}

static void print_human(const struct natcheck_result *r, const struct sockaddr_storage *server)
{
	char s[80], l[80], m[80], o[80];

	ep_str(server, s, sizeof(s));
	ep_str(&r->local, l, sizeof(l));
	ep_str(&r->mapped, m, sizeof(m));
	ep_str(&r->other, o, sizeof(o));
	printf("server:       %s", s);
	if (r->rfc5780)
		printf(" (other address %s, RFC 5780)\n", o);
	else if (!r->udp_blocked && !r->server_error)
		printf(" (no OTHER-ADDRESS: mapping and filtering cannot be tested)\n");
	else
		printf("\n");
	printf("local:        %s\n", l);
	if (!r->udp_blocked && !r->server_error) {
		printf("mapped:       %s%s\n", m, r->port_preserved ? " (port preserved)" : "");
		printf("NAT:          %s\n", r->behind_nat ? "yes" : "no");
		printf("mapping:      %s\n", natcheck_class_name(r->mapping));
		printf("filtering:    %s\n", natcheck_class_name(r->filtering));
		printf("hairpinning:  %s\n", tri_name(r->hairpin));
		if (r->life_known)
			printf("lifetime:     ~%u s idle (between %u and %u s; %s)\n",
			       (r->life_ms + 500) / 1000, r->life_low_ms / 1000,
			       r->life_high_ms / 1000, method_name(r->life_method));
		else if (r->life_exceeds)
			printf("lifetime:     more than %u s idle (%s)\n", r->life_low_ms / 1000,
			       method_name(r->life_method));
		else
			printf("lifetime:     not measured\n");
		if (r->life_method == NATCHECK_LIFE_REPROBE)
			printf("              (re-probe method: a NAT that reuses the same port "
			       "after expiry looks longer-lived)\n");
	}
	printf("verdict:      %s\n", r->verdict);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* --save: the state file (natt/natcheck_state.h), atomically: a temporary
 * file in the same folder, fsync, rename. The folder is created (0755)
 * when missing. */
static int save_state(const char *path, const struct natcheck_result *r,
		      const struct sockaddr_storage *server)
{
	struct natcheck_state st, check;
	char text[NATCHECK_STATE_MAX + 1], why[200], dir[PATH_MAX], tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t len;
	int fd;

	natcheck_state_from_result(r, server, (uint64_t)time(NULL), &st);
	len = natcheck_state_format(&st, text, sizeof(text));
	/* What natkeyd will read goes through its parser first. */
	if (!len || natcheck_state_parse(text, len, &check, why, sizeof(why)) < 0) {
		fprintf(stderr, "natkeyctl: cannot save this result: %s\n",
			len ? why : "address or clock out of range");
		return -1;
	}
	if (slash && slash != path) {
		if ((size_t)(slash - path) >= sizeof(dir))
			goto toolong;
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = 0;
		if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
			fprintf(stderr, "natkeyctl: cannot create %s: %s\n", dir, strerror(errno));
			return -1;
		}
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= sizeof(tmp))
		goto toolong;
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "natkeyctl: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0644) < 0 || write_all(fd, text, len) < 0 || fsync(fd) < 0) {
		fprintf(stderr, "natkeyctl: cannot write %s: %s\n", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		fprintf(stderr, "natkeyctl: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (st.lifetime_ms)
		fprintf(stderr, "natkeyctl: saved to %s (binding lifetime %u ms)\n", path,
			st.lifetime_ms);
	else
		fprintf(stderr, "natkeyctl: saved to %s (binding lifetime unknown)\n", path);
	return 0;
toolong:
	fprintf(stderr, "natkeyctl: --save: path too long\n");
	return -1;
}

static int run_loop(struct natcheck *nc, const int fd[NATCHECK_SOCKS])
{
	struct pollfd pfd[NATCHECK_SOCKS];
	struct natcheck_tx tx;
	uint8_t buf[2048];

	for (int i = 0; i < NATCHECK_SOCKS; i++) {
		pfd[i].fd = fd[i];
		pfd[i].events = POLLIN;
	}
	for (;;) {
		uint64_t next, now;
		int timeout, rc;

		/* A failed send is a lost datagram: the engine retransmits. */
		while (natcheck_next_tx(nc, &tx))
			(void)sendto(fd[tx.sock], tx.buf, tx.len, 0,
				     (const struct sockaddr *)&tx.to, sa_len(&tx.to));
		if (natcheck_done(nc))
			return 0;
		next = natcheck_next_timeout(nc);
		now = mono_ms();
		timeout = next <= now ? 0 : next - now > INT_MAX ? INT_MAX : (int)(next - now);
		rc = poll(pfd, NATCHECK_SOCKS, timeout);
		if (rc < 0 && errno != EINTR) {
			fprintf(stderr, "natkeyctl: poll: %s\n", strerror(errno));
			return -1;
		}
		now = mono_ms();
		for (int i = 0; rc > 0 && i < NATCHECK_SOCKS; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			for (;;) {
				struct sockaddr_storage from;
				socklen_t fl = sizeof(from);
				ssize_t n = recvfrom(fd[i], buf, sizeof(buf), MSG_DONTWAIT,
						     (struct sockaddr *)&from, &fl);

				if (n < 0)
					break;
				natcheck_on_datagram(nc, now, (enum natcheck_sock)i,
						     (const struct sockaddr *)&from, buf,
						     (size_t)n);
			}
		}
		if (now >= natcheck_next_timeout(nc))
			natcheck_on_timer(nc, now);
	}
}

int natcheck_main(int argc, char **argv)
{
	const char *server_arg = NULL, *source_arg = NULL, *save_path = NULL;
	unsigned long max_life = MAX_LIFETIME_DEFAULT;
	bool json = false;
	struct natcheck_cfg cfg;
	struct sockaddr_storage src, local[NATCHECK_SOCKS];
	int fd[NATCHECK_SOCKS] = { -1, -1, -1 };
	struct natcheck *nc = NULL;
	const struct natcheck_result *r;
	int ret = EXIT_LOCAL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--server") && i + 1 < argc) {
			server_arg = argv[++i];
		} else if (!strcmp(argv[i], "--source") && i + 1 < argc) {
			source_arg = argv[++i];
		} else if (!strcmp(argv[i], "--max-lifetime") && i + 1 < argc) {
			char *end;

			errno = 0;
			max_life = strtoul(argv[++i], &end, 10);
			if (errno || end == argv[i] || *end || argv[i][0] == '-' ||
			    max_life > MAX_LIFETIME_LIMIT) {
				fprintf(stderr, "natkeyctl: --max-lifetime needs 0 to %u seconds\n",
					MAX_LIFETIME_LIMIT);
				return EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--save")) {
			/* An optional FILE: the next argument unless it is an option. */
			if (i + 1 < argc && argv[i + 1][0] != '-')
				save_path = argv[++i];
			else
				save_path = NATCHECK_STATE_FILE;
		} else if (!strncmp(argv[i], "--save=", 7) && argv[i][7]) {
			save_path = argv[i] + 7;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			natcheck_usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "natkeyctl: natcheck: unexpected argument '%s'\n", argv[i]);
			natcheck_usage(stderr);
			return EXIT_USAGE;
		}
	}
	/* No default server: a probe must never leave for a third party
	 * the admin did not name. */
	if (!server_arg) {
		fprintf(stderr, "natkeyctl: natcheck needs --server HOST[:PORT]\n");
		natcheck_usage(stderr);
		return EXIT_USAGE;
	}
	if (source_arg && parse_source(source_arg, &src) < 0) {
		fprintf(stderr, "natkeyctl: --source needs an IPv4 or IPv6 address\n");
		return EXIT_USAGE;
	}
	memset(&cfg, 0, sizeof(cfg));
	switch (resolve_server(server_arg, source_arg ? src.ss_family : AF_UNSPEC, &cfg.server)) {
	case 0:
		break;
	case -1:
		fprintf(stderr, "natkeyctl: --server needs HOST[:PORT] or [IPV6]:PORT\n");
		return EXIT_USAGE;
	default:
		return EXIT_LOCAL;
	}
	if (!source_arg && route_source(&cfg.server, &src) < 0) {
		fprintf(stderr, "natkeyctl: no route to %s: %s\n", server_arg, strerror(errno));
		return EXIT_LOCAL;
	}
	for (int i = 0; i < NATCHECK_SOCKS; i++) {
		socklen_t len = sizeof(local[i]);

		/* Ephemeral port on the source address: getsockname() tells
		 * the engine which, so it can see a NAT or its absence. */
		if (src.ss_family == AF_INET)
			((struct sockaddr_in *)&src)->sin_port = 0;
		else
			((struct sockaddr_in6 *)&src)->sin6_port = 0;
		fd[i] = socket(src.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd[i] < 0 || bind(fd[i], (const struct sockaddr *)&src, sa_len(&src)) < 0 ||
		    getsockname(fd[i], (struct sockaddr *)&local[i], &len) < 0) {
			fprintf(stderr, "natkeyctl: UDP socket: %s\n", strerror(errno));
			goto out;
		}
	}
	cfg.life_max_ms = (uint32_t)max_life * 1000u;
	cfg.random = fill_random;
	nc = natcheck_new(&cfg, local, mono_ms());
	if (!nc) {
		fprintf(stderr, "natkeyctl: natcheck: bad configuration or out of memory\n");
		goto out;
	}
	if (!json && max_life)
		fprintf(stderr,
			"natkeyctl: probing %s; measuring the binding lifetime can take up to "
			"about %lu s\n",
			server_arg, 2 * max_life + 60);
	if (run_loop(nc, fd) < 0)
		goto out;
	r = natcheck_result(nc);
	if (json)
		print_json(r, &cfg.server);
	else
		print_human(r, &cfg.server);
	ret = r->udp_blocked || r->server_error ? EXIT_NO_RESULT : 0;
	/* Saved even without a result: a lifetime measured on the network
	 * before must not outlive the move to this one. */
	if (save_path && save_state(save_path, r, &cfg.server) < 0)
		ret = EXIT_LOCAL;
out:
	natcheck_free(nc);
	for (int i = 0; i < NATCHECK_SOCKS; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return ret;
}
