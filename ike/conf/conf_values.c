// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Value syntax shared by ipsec.conf and ipsec.secrets: times, addresses,
 * subnets, identities; plus the diagnostics list and the edit distance used
 * for "did you mean".
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "ike/conf/conf.h"

int conf_why(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

void conf_diag_add(struct conf_diag *diag, const char *file, unsigned line, const char *fmt, ...)
{
	char msg[CONF_DIAG_LEN], full[CONF_DIAG_LEN];
	va_list ap;
	size_t i;
	int n;

	if (!diag)
		return; /* the caller reports the returned errno itself */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Long file names or values truncate the message, never overflow. */
	if (line)
		n = snprintf(full, sizeof(full), "%s:%u: %s", file, line, msg);
	else
		n = snprintf(full, sizeof(full), "%s: %s", file, msg);
	if (n < 0)
		return;
	/* The same also= section resolved for several conns reports once. */
	for (i = 0; i < diag->n; i++)
		if (!strcmp(diag->msg[i], full))
			return;
	if (diag->n == CONF_DIAG_MAX) {
		diag->dropped++;
		return;
	}
	memcpy(diag->msg[diag->n++], full, sizeof(full));
}

void conf_diag_print(const struct conf_diag *diag, FILE *out)
{
	size_t i;

	for (i = 0; i < diag->n; i++)
		fprintf(out, "%s\n", diag->msg[i]);
	if (diag->dropped)
		fprintf(out, "(%zu more errors not shown)\n", diag->dropped);
}

void conf_notes_print(const struct conf *conf, const char *prefix, FILE *out)
{
	size_t i;

	for (i = 0; i < conf->notes.n; i++)
		fprintf(out, "%s%s\n", prefix, conf->notes.msg[i]);
	if (conf->notes.dropped)
		fprintf(out, "%s(%zu more warnings not shown)\n", prefix, conf->notes.dropped);
}

int conf_time_parse(const char *s, uint32_t *out, char *why, size_t why_len)
{
	unsigned long long v = 0, mult = 1;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return conf_why(why, why_len, "'%s' is not a time (e.g. 30s, 10m, 3h, 1d)", s);
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (unsigned)(*p++ - '0');
		if (v > 0x7fffffffULL)
			return conf_why(why, why_len, "time '%s' is too large", s);
	}
	switch (*p) {
	case '\0':
		break;
	case 's':
		p++;
		break;
	case 'm':
		mult = 60;
		p++;
		break;
	case 'h':
		mult = 3600;
		p++;
		break;
	case 'd':
		mult = 86400;
		p++;
		break;
	default:
		return conf_why(why, why_len, "'%s' is not a time (e.g. 30s, 10m, 3h, 1d)", s);
	}
	if (*p)
		return conf_why(why, why_len, "'%s' is not a time (e.g. 30s, 10m, 3h, 1d)", s);
	if (v * mult > 0x7fffffffULL)
		return conf_why(why, why_len, "time '%s' is too large", s);
	*out = (uint32_t)(v * mult);
	return 0;
}

int conf_bytes_parse(const char *s, uint64_t *out, char *why, size_t why_len)
{
	static const struct {
		const char *suffix;
		unsigned shift;
	} units[] = {
		{ "", 0 },   { "K", 10 },   { "KiB", 10 }, { "M", 20 },	  { "MiB", 20 },
		{ "G", 30 }, { "GiB", 30 }, { "T", 40 },   { "TiB", 40 },
	};
	unsigned long long v = 0;
	const char *p = s;
	size_t i;

	if (!isdigit((unsigned char)*p))
		goto bad;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (unsigned)(*p++ - '0');
		if (v > CONF_BYTES_MAX)
			goto big;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(p, units[i].suffix))
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		goto bad;
	if (v > (CONF_BYTES_MAX >> units[i].shift))
		goto big;
	v <<= units[i].shift;
	/* RFC 2407 s4.5: IKEv1 expresses a byte lifetime in kilobytes. */
	if (v && v < 1024)
		return conf_why(
			why, why_len,
			"%llu bytes is less than 1 KiB (IKEv1 counts byte lifetimes in kilobytes)",
			v);
	*out = v;
	return 0;
bad:
	return conf_why(why, why_len, "'%s' is not a byte count (e.g. 1000000000, 512M, 4G)", s);
big:
	return conf_why(
		why, why_len,
		"'%s' is more than %llu bytes (2^32-1 KiB, the IKEv1 maximum natkeyd offers)", s,
		(unsigned long long)CONF_BYTES_MAX);
}

int conf_addr_parse(const char *s, struct conf_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->bytes) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->bytes) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

const char *conf_addr_format(const struct conf_addr *a, char *buf, size_t len)
{
	if (!len)
		return buf;
	buf[0] = '\0';
	if ((a->family == AF_INET || a->family == AF_INET6) &&
	    !inet_ntop(a->family, a->bytes, buf, (socklen_t)len))
		buf[0] = '\0';
	return buf;
}

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

int conf_subnet_parse(const char *s, struct conf_subnet *out, char *why, size_t why_len)
{
	char copy[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long prefix;
	size_t bits, i;
	bool host_bits = false;

	memset(out, 0, sizeof(*out));
	if (strlen(s) >= sizeof(copy))
		return conf_why(why, why_len, "'%s' is not a subnet (e.g. 10.1.0.0/16)", s);
	strcpy(copy, s);
	slash = strchr(copy, '/');
	if (slash)
		*slash = '\0';
	if (conf_addr_parse(copy, &out->addr) < 0)
		return conf_why(why, why_len, "'%s' is not a subnet (e.g. 10.1.0.0/16)", s);
	bits = addr_len(out->addr.family) * 8;
	if (!slash) {
		out->prefix = (uint8_t)bits;
		return 0;
	}
	if (!isdigit((unsigned char)slash[1]))
		return conf_why(why, why_len, "'%s' has no prefix length after '/'", s);
	errno = 0;
	prefix = strtoul(slash + 1, &end, 10);
	if (*end || errno || prefix > bits)
		return conf_why(why, why_len, "'%s': prefix length must be 0..%zu", s, bits);
	out->prefix = (uint8_t)prefix;
	for (i = 0; i < bits; i++) {
		uint8_t bit = (uint8_t)(0x80u >> (i % 8));

		if (i >= prefix && (out->addr.bytes[i / 8] & bit)) {
			out->addr.bytes[i / 8] &= (uint8_t)~bit;
			host_bits = true;
		}
	}
	if (host_bits) {
		char net[INET6_ADDRSTRLEN];

		return conf_why(why, why_len, "'%s' has host bits set (did you mean %s/%lu?)", s,
				conf_addr_format(&out->addr, net, sizeof(net)), prefix);
	}
	return 0;
}

/* Canonical DN text: "A=v, B=w" from ',' or '/' separated RDNs. */
static int dn_canonicalise(const char *s, char *out, size_t out_len, char *why, size_t why_len)
{
	char copy[CONF_ID_MAX + 1], *p, *save = NULL;
	size_t off = 0;
	const char *sep = strchr(s, ',') ? "," : "/";
	int n;

	if (strlen(s) >= sizeof(copy))
		return conf_why(why, why_len, "identity is longer than %d characters", CONF_ID_MAX);
	strcpy(copy, s);
	out[0] = '\0';
	for (p = strtok_r(copy, sep, &save); p; p = strtok_r(NULL, sep, &save)) {
		char *eq, *end, *attr = p, *val;

		while (*attr == ' ' || *attr == '\t')
			attr++;
		if (!*attr)
			continue; /* "/C=CH/O=x" starts with a separator */
		eq = strchr(attr, '=');
		if (!eq)
			return conf_why(why, why_len,
					"distinguished name '%s': '%s' is not ATTRIBUTE=value", s,
					attr);
		end = eq;
		while (end > attr && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		*end = '\0';
		val = eq + 1;
		while (*val == ' ' || *val == '\t')
			val++;
		end = val + strlen(val);
		while (end > val && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!*attr || !*val)
			return conf_why(why, why_len,
					"distinguished name '%s' has an empty attribute or value",
					s);
		for (end = attr; *end; end++)
			if (!isalnum((unsigned char)*end) && *end != '.')
				return conf_why(why, why_len,
						"distinguished name '%s': bad attribute type '%s'",
						s, attr);
		n = snprintf(out + off, out_len - off, "%s%s=%s", off ? ", " : "", attr, val);
		if (n < 0 || (size_t)n >= out_len - off)
			return conf_why(why, why_len, "identity is longer than %d characters",
					CONF_ID_MAX);
		off += (size_t)n;
	}
	if (!off)
		return conf_why(why, why_len, "distinguished name '%s' is empty", s);
	return 0;
}

static bool fqdn_valid(const char *s)
{
	const char *p;

	if (!*s || strlen(s) > CONF_HOST_MAX)
		return false;
	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' && *p != '_')
			return false;
	return true;
}

int conf_id_parse(const char *s, struct conf_id *out, char *why, size_t why_len)
{
	const char *at;

	memset(out, 0, sizeof(*out));
	if (!*s)
		return conf_why(why, why_len, "empty identity");
	if (strlen(s) > CONF_ID_MAX)
		return conf_why(why, why_len, "identity is longer than %d characters", CONF_ID_MAX);
	if (!strcmp(s, "%any") || !strcmp(s, "%any6")) {
		out->type = CONF_ID_ANY;
		return 0;
	}
	if (!strcmp(s, "%fromcert")) {
		out->type = CONF_ID_FROMCERT;
		return 0;
	}
	if (s[0] == '%')
		return conf_why(why, why_len, "unknown identity keyword '%s'", s);
	if (conf_addr_parse(s, &out->addr) == 0) {
		out->type = out->addr.family == AF_INET ? CONF_ID_IPV4_ADDR : CONF_ID_IPV6_ADDR;
		return 0;
	}
	if (strchr(s, '=')) {
		out->type = CONF_ID_DER_ASN1_DN;
		return dn_canonicalise(s, out->value, sizeof(out->value), why, why_len);
	}
	if (s[0] == '@') {
		/* "@#hex" is strongSwan's key-id form, "@@" Libreswan's; neither
		 * is an IKEv1 identity natkeyd sends. */
		/* "@*.example.org": any name under example.org (rightid pattern). */
		const char *name = !strncmp(s + 1, "*.", 2) ? s + 3 : s + 1;

		if (s[1] == '#' || s[1] == '@' || !fqdn_valid(name))
			return conf_why(why, why_len, "'%s' is not a valid FQDN identity", s);
		out->type = CONF_ID_FQDN;
		strcpy(out->value, s + 1);
		return 0;
	}
	at = strchr(s, '@');
	if (at) {
		const char *p;

		if (at == s || !fqdn_valid(at + 1) || strchr(at + 1, '@'))
			return conf_why(why, why_len, "'%s' is not a valid user@host identity", s);
		/* The local part: printable, no blanks or quotes (RFC 5322 atoms,
		 * loosely), so that it prints and parses back unchanged. */
		for (p = s; p < at; p++)
			if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == '"')
				return conf_why(why, why_len,
						"'%s' is not a valid user@host identity", s);
		out->type = CONF_ID_USER_FQDN;
		strcpy(out->value, s);
		return 0;
	}
	if (!fqdn_valid(s))
		return conf_why(why, why_len, "'%s' is not a valid identity", s);
	out->type = CONF_ID_FQDN;
	strcpy(out->value, s);
	return 0;
}

const char *conf_id_format(const struct conf_id *id, char *buf, size_t len)
{
	if (!len)
		return buf;
	switch (id->type) {
	case CONF_ID_NONE:
		buf[0] = '\0';
		break;
	case CONF_ID_ANY:
		snprintf(buf, len, "%%any");
		break;
	case CONF_ID_FROMCERT:
		snprintf(buf, len, "%%fromcert");
		break;
	case CONF_ID_IPV4_ADDR:
	case CONF_ID_IPV6_ADDR:
		conf_addr_format(&id->addr, buf, len);
		break;
	case CONF_ID_FQDN:
		snprintf(buf, len, "@%s", id->value);
		break;
	case CONF_ID_USER_FQDN:
		snprintf(buf, len, "%s", id->value);
		break;
	case CONF_ID_DER_ASN1_DN:
		snprintf(buf, len, "\"%s\"", id->value);
		break;
	}
	return buf;
}

bool conf_id_equal(const struct conf_id *a, const struct conf_id *b)
{
	const char *at_a, *at_b;

	if (a->type != b->type)
		return false;
	switch (a->type) {
	case CONF_ID_NONE:
	case CONF_ID_ANY:
	case CONF_ID_FROMCERT:
		return true;
	case CONF_ID_IPV4_ADDR:
		return !memcmp(a->addr.bytes, b->addr.bytes, 4);
	case CONF_ID_IPV6_ADDR:
		return !memcmp(a->addr.bytes, b->addr.bytes, 16);
	case CONF_ID_FQDN:
		return !strcasecmp(a->value, b->value);
	case CONF_ID_USER_FQDN:
		/* The local part is case-sensitive (RFC 5321 s2.4), the domain is not. */
		at_a = strchr(a->value, '@');
		at_b = strchr(b->value, '@');
		if (!at_a || !at_b || at_a - a->value != at_b - b->value)
			return false;
		return !strncmp(a->value, b->value, (size_t)(at_a - a->value)) &&
		       !strcasecmp(at_a, at_b);
	case CONF_ID_DER_ASN1_DN:
		/* Both are canonicalised by conf_id_parse(). */
		return !strcmp(a->value, b->value);
	}
	return false;
}

void conf_id_from_addr(const struct conf_addr *addr, struct conf_id *out)
{
	memset(out, 0, sizeof(*out));
	out->addr = *addr;
	out->type = addr->family == AF_INET ? CONF_ID_IPV4_ADDR : CONF_ID_IPV6_ADDR;
}

const struct conf_addr *conf_host_addr(const struct conf_host *h)
{
	switch (h->kind) {
	case CONF_HOST_ADDR:
		return &h->addr;
	case CONF_HOST_NAME:
	case CONF_HOST_DEFAULTROUTE:
		return h->resolved.family ? &h->resolved : NULL;
	default:
		return NULL;
	}
}

static void end_id(const struct conf_end *end, struct conf_id *out)
{
	if (end->id.type != CONF_ID_NONE) {
		*out = end->id;
		return;
	}
	if (conf_host_addr(&end->host)) {
		conf_id_from_addr(conf_host_addr(&end->host), out);
		return;
	}
	memset(out, 0, sizeof(*out));
	out->type = CONF_ID_ANY;
}

void conf_conn_local_id(const struct conf_conn *conn, struct conf_id *out)
{
	end_id(&conn->left, out);
}

void conf_conn_remote_id(const struct conf_conn *conn, struct conf_id *out)
{
	end_id(&conn->right, out);
}

bool conf_conn_name_valid(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || len > CONF_NAME_MAX || name[0] == '.' || name[0] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '.' && name[i] != '_' &&
		    name[i] != '-')
			return false;
	return true;
}

unsigned conf_edit_distance(const char *a, const char *b)
{
	unsigned row[65], i, j, diag, up;
	size_t la = strnlen(a, 64), lb = strnlen(b, 64);

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			unsigned best;

			up = row[j];
			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}
