// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The natcheck state file (natt/natcheck_state.h): one formatter, one
 * strict parser. The file is written by root, but the parser treats it as
 * input: bounded size and line length, no NUL, CR or spaces, known keys
 * each exactly once, numbers as plain decimal digits and range-checked.
 */
#include "natt/natcheck_state.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum key {
	K_VERSION,
	K_TIME,
	K_SERVER,
	K_SOURCE,
	K_MAPPING,
	K_FILTERING,
	K_LIFETIME,
	K_COUNT,
};

static const char *const key_names[K_COUNT] = {
	[K_VERSION] = "version",      [K_TIME] = "time",       [K_SERVER] = "server",
	[K_SOURCE] = "source",	      [K_MAPPING] = "mapping", [K_FILTERING] = "filtering",
	[K_LIFETIME] = "lifetime_ms",
};

static const enum natcheck_class classes[] = {
	NATCHECK_CLASS_UNKNOWN,
	NATCHECK_CLASS_EI,
	NATCHECK_CLASS_AD,
	NATCHECK_CLASS_APD,
};

void natcheck_state_from_result(const struct natcheck_result *r,
				const struct sockaddr_storage *server, uint64_t time,
				struct natcheck_state *out)
{
	memset(out, 0, sizeof(*out));
	out->time = time;
	out->server = *server;
	out->source = r->local;
	if (out->source.ss_family == AF_INET)
		((struct sockaddr_in *)&out->source)->sin_port = 0;
	else if (out->source.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&out->source)->sin6_port = 0;
	out->mapping = r->mapping;
	out->filtering = r->filtering;
	/* Only a measured lifetime: one that outlived the maximum is not. */
	if (r->life_known && r->life_ms >= NATCHECK_STATE_LIFE_MIN_MS &&
	    r->life_ms <= NATCHECK_STATE_LIFE_MAX_MS)
		out->lifetime_ms = r->life_ms;
}

static bool class_valid(enum natcheck_class c)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (classes[i] == c)
			return true;
	return false;
}

/* "ADDR" (@with_port false) or "ADDR:PORT" / "[V6]:PORT". */
static bool addr_format(const struct sockaddr_storage *ss, bool with_port, char *out, size_t n)
{
	char a[INET6_ADDRSTRLEN];
	int w;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)ss;

		if (!inet_ntop(AF_INET, &s->sin_addr, a, sizeof(a)))
			return false;
		w = with_port ? snprintf(out, n, "%s:%u", a, ntohs(s->sin_port))
			      : snprintf(out, n, "%s", a);
		return w > 0 && (size_t)w < n && (!with_port || s->sin_port);
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)ss;

		if (!inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof(a)))
			return false;
		w = with_port ? snprintf(out, n, "[%s]:%u", a, ntohs(s->sin6_port))
			      : snprintf(out, n, "%s", a);
		return w > 0 && (size_t)w < n && (!with_port || s->sin6_port);
	}
	return false;
}

size_t natcheck_state_format(const struct natcheck_state *s, char *buf, size_t len)
{
	char server[INET6_ADDRSTRLEN + 8], source[INET6_ADDRSTRLEN], life[16];
	int w;

	if (!len)
		return 0;
	buf[0] = 0;
	if (!addr_format(&s->server, true, server, sizeof(server)) ||
	    !addr_format(&s->source, false, source, sizeof(source)) ||
	    s->server.ss_family != s->source.ss_family || !class_valid(s->mapping) ||
	    !class_valid(s->filtering) || s->time < NATCHECK_STATE_TIME_MIN ||
	    s->time > NATCHECK_STATE_TIME_MAX ||
	    (s->lifetime_ms && (s->lifetime_ms < NATCHECK_STATE_LIFE_MIN_MS ||
				s->lifetime_ms > NATCHECK_STATE_LIFE_MAX_MS)))
		return 0;
	if (s->lifetime_ms)
		snprintf(life, sizeof(life), "%u", s->lifetime_ms);
	else
		snprintf(life, sizeof(life), "unknown");
	w = snprintf(buf, len,
		     "# natkeyctl natcheck --save (natkeyctl(8)); read by natkeyd for "
		     "nat_binding_lifetime=natcheck\n"
		     "version=%u\ntime=%llu\nserver=%s\nsource=%s\nmapping=%s\nfiltering=%s\n"
		     "lifetime_ms=%s\n",
		     NATCHECK_STATE_VERSION, (unsigned long long)s->time, server, source,
		     natcheck_class_name(s->mapping), natcheck_class_name(s->filtering), life);
	if (w < 0 || (size_t)w >= len || (size_t)w > NATCHECK_STATE_MAX) {
		buf[0] = 0;
		return 0;
	}
	return (size_t)w;
}

static int fail(char *why, size_t why_len, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *why, size_t why_len, unsigned line, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(why, why_len, "line %u: %s", line, msg);
	else
		snprintf(why, why_len, "%s", msg);
	return -EINVAL;
}

/* Plain decimal digits (no sign, space or leading zero), at most @max. */
static bool u64_parse(const char *v, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;

	if (!*v || (v[0] == '0' && v[1]))
		return false;
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return false;
		if (n > (max - (uint64_t)(*v - '0')) / 10)
			return false;
		n = n * 10 + (uint64_t)(*v - '0');
	}
	*out = n;
	return true;
}

static bool addr_parse(const char *v, struct sockaddr_storage *out)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)out;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)out;

	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, v, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, v, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		return true;
	}
	return false;
}

/* "A.B.C.D:PORT" or "[V6]:PORT", port 1-65535. */
static bool endpoint_parse(const char *v, struct sockaddr_storage *out)
{
	char host[INET6_ADDRSTRLEN];
	const char *port;
	uint64_t p;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (v[0] == '[') {
		const char *end = strchr(v, ']');

		if (!end || end[1] != ':')
			return false;
		n = (size_t)(end - v - 1);
		if (!n || n >= sizeof(host))
			return false;
		memcpy(host, v + 1, n);
		host[n] = 0;
		port = end + 2;
		if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)out)->sin6_addr) != 1)
			return false;
		out->ss_family = AF_INET6;
	} else {
		const char *colon = strchr(v, ':');

		if (!colon)
			return false;
		n = (size_t)(colon - v);
		if (!n || n >= sizeof(host))
			return false;
		memcpy(host, v, n);
		host[n] = 0;
		port = colon + 1;
		if (inet_pton(AF_INET, host, &((struct sockaddr_in *)out)->sin_addr) != 1)
			return false;
		out->ss_family = AF_INET;
	}
	if (!u64_parse(port, 65535, &p) || !p) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	if (out->ss_family == AF_INET)
		((struct sockaddr_in *)out)->sin_port = htons((uint16_t)p);
	else
		((struct sockaddr_in6 *)out)->sin6_port = htons((uint16_t)p);
	return true;
}

static bool class_parse(const char *v, enum natcheck_class *out)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (!strcmp(v, natcheck_class_name(classes[i]))) {
			*out = classes[i];
			return true;
		}
	return false;
}

/* One "KEY=VALUE" line (NUL-terminated, no '\n') into @s. */
static int line_parse(char *l, unsigned line, bool seen[K_COUNT], struct natcheck_state *s,
		      char *why, size_t why_len)
{
	char *eq = strchr(l, '=');
	const char *v;
	uint64_t n;
	int k;

	if (!eq)
		return fail(why, why_len, line, "not KEY=VALUE");
	*eq = 0;
	v = eq + 1;
	for (k = 0; k < K_COUNT; k++)
		if (!strcmp(l, key_names[k]))
			break;
	if (k == K_COUNT)
		return fail(why, why_len, line, "unknown key '%.40s'", l);
	if (seen[k])
		return fail(why, why_len, line, "%s= given twice", key_names[k]);
	seen[k] = true;
	switch (k) {
	case K_VERSION:
		if (!u64_parse(v, UINT32_MAX, &n) || n != NATCHECK_STATE_VERSION)
			return fail(why, why_len, line, "version=%.20s: only %u is known", v,
				    NATCHECK_STATE_VERSION);
		return 0;
	case K_TIME:
		if (!u64_parse(v, NATCHECK_STATE_TIME_MAX, &n) || n < NATCHECK_STATE_TIME_MIN)
			return fail(why, why_len, line,
				    "time= needs seconds since 1970, from 2000 to 9999");
		s->time = n;
		return 0;
	case K_SERVER:
		if (!endpoint_parse(v, &s->server))
			return fail(why, why_len, line, "server= needs ADDR:PORT or [V6]:PORT");
		return 0;
	case K_SOURCE:
		if (!addr_parse(v, &s->source))
			return fail(why, why_len, line, "source= needs an IPv4 or IPv6 address");
		return 0;
	case K_MAPPING:
	case K_FILTERING:
		if (!class_parse(v, k == K_MAPPING ? &s->mapping : &s->filtering))
			return fail(why, why_len, line,
				    "%s= needs endpoint-independent, address-dependent, "
				    "address-and-port-dependent or unknown",
				    key_names[k]);
		return 0;
	default: /* K_LIFETIME */
		if (!strcmp(v, "unknown")) {
			s->lifetime_ms = 0;
			return 0;
		}
		if (!u64_parse(v, NATCHECK_STATE_LIFE_MAX_MS, &n) || n < NATCHECK_STATE_LIFE_MIN_MS)
			return fail(why, why_len, line,
				    "lifetime_ms= needs unknown or %u to %u (milliseconds)",
				    NATCHECK_STATE_LIFE_MIN_MS, NATCHECK_STATE_LIFE_MAX_MS);
		s->lifetime_ms = (uint32_t)n;
		return 0;
	}
}

static int parse(const char *text, size_t len, struct natcheck_state *out, char *why,
		 size_t why_len)
{
	bool seen[K_COUNT] = { false };
	char l[NATCHECK_STATE_LINE_MAX];
	size_t off = 0;
	unsigned line = 0;
	int rc;

	if (len > NATCHECK_STATE_MAX)
		return fail(why, why_len, 0, "longer than %u bytes", NATCHECK_STATE_MAX);
	if (!len)
		return fail(why, why_len, 0, "empty");
	if (memchr(text, 0, len))
		return fail(why, why_len, 0, "contains a NUL byte");
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n;

		line++;
		if (!nl)
			return fail(why, why_len, line, "does not end in a newline");
		n = (size_t)(nl - (text + off));
		if (n + 1 > NATCHECK_STATE_LINE_MAX)
			return fail(why, why_len, line, "longer than %u bytes",
				    NATCHECK_STATE_LINE_MAX);
		memcpy(l, text + off, n);
		l[n] = 0;
		off += n + 1;
		if (l[0] == '#')
			continue;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)l[i] <= ' ' || (unsigned char)l[i] >= 0x7f)
				return fail(why, why_len, line,
					    "space, control or non-ASCII character");
		if (!n)
			return fail(why, why_len, line, "empty line");
		rc = line_parse(l, line, seen, out, why, why_len);
		if (rc < 0)
			return rc;
	}
	for (int k = 0; k < K_COUNT; k++)
		if (!seen[k])
			return fail(why, why_len, 0, "no %s= line", key_names[k]);
	if (out->server.ss_family != out->source.ss_family)
		return fail(why, why_len, 0,
			    "server= and source= are of different address families");
	return 0;
}

int natcheck_state_parse(const char *text, size_t len, struct natcheck_state *out, char *why,
			 size_t why_len)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if (why_len)
		why[0] = 0;
	rc = parse(text, len, out, why, why_len);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}
