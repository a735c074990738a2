// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Control protocol codec and JSON writer (see ctl_proto.h for the format).
 *
 * The request parser is deliberately strict: the daemon runs as root and the
 * socket is its only local attack surface, so anything that is not exactly
 * a request natkeyctl would send is refused with a code, before any word is
 * interpreted.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tools/ctl/ctl_proto.h"

#define N(t) (sizeof(t) / sizeof((t)[0]))

static const char *const level_names[] = {
	[CTL_LOG_ERROR] = "error",
	[CTL_LOG_WARN] = "warn",
	[CTL_LOG_INFO] = "info",
	[CTL_LOG_DEBUG] = "debug",
};

static const char *const module_names[] = {
	[CTL_MOD_ALL] = "all",	 [CTL_MOD_IKE] = "ike",	      [CTL_MOD_NATT] = "natt",
	[CTL_MOD_XFRM] = "xfrm", [CTL_MOD_CRYPTO] = "crypto", [CTL_MOD_ENGINE] = "engine",
	[CTL_MOD_CONF] = "conf", [CTL_MOD_CTL] = "ctl",
};

struct code_info {
	enum ctl_code code;
	const char *name;
	const char *message;
};

static const struct code_info codes[] = {
	{ CTL_OK, "ok", "success" },
	{ CTL_E_INCOMPLETE, "incomplete", "request not terminated by a newline yet" },
	{ CTL_E_TOO_LONG, "too-long", "request longer than 512 bytes" },
	{ CTL_E_BAD_BYTE, "bad-byte", "request contains a byte that is not printable ASCII" },
	{ CTL_E_BAD_SPACING, "bad-spacing", "words must be separated by exactly one space" },
	{ CTL_E_EMPTY, "empty", "empty request" },
	{ CTL_E_TRAILING_DATA, "trailing-data", "data after the end of the request" },
	{ CTL_E_BAD_VERSION, "bad-version",
	  "unsupported protocol version (natkeyctl and natkeyd differ?)" },
	{ CTL_E_UNKNOWN_COMMAND, "unknown-command", "unknown command" },
	{ CTL_E_MISSING_ARGUMENT, "missing-argument", "a required argument is missing" },
	{ CTL_E_EXTRA_ARGUMENT, "extra-argument", "too many arguments" },
	{ CTL_E_BAD_OPTION, "bad-option", "unknown option" },
	{ CTL_E_BAD_NAME, "bad-name", "invalid connection name" },
	{ CTL_E_BAD_LEVEL, "bad-level", "unknown log level (error, warn, info, debug)" },
	{ CTL_E_BAD_MODULE, "bad-module",
	  "unknown module (ike, natt, xfrm, crypto, engine, conf, ctl)" },
	{ CTL_E_BAD_PEER, "bad-peer", "not an IKE SA number (as natkeyctl status shows it)" },
	{ CTL_E_NO_SUCH_CONN, "no-such-connection", "no loaded connection has that name" },
	{ CTL_E_NO_SUCH_PEER, "no-such-peer", "the connection has no IKE SA with that number" },
	{ CTL_E_BUSY, "busy", "the connection is changing state; try again" },
	{ CTL_E_RELOAD_FAILED, "reload-failed",
	  "the new configuration has errors; the old one stays active" },
	{ CTL_E_INTERNAL, "internal", "internal error in natkeyd" },
	{ CTL_E_BAD_RESPONSE, "bad-response", "malformed response from natkeyd" },
};

static const struct code_info *code_info(enum ctl_code code)
{
	size_t i;

	for (i = 0; i < N(codes); i++)
		if (codes[i].code == code)
			return &codes[i];
	return NULL;
}

const char *ctl_code_name(enum ctl_code code)
{
	const struct code_info *c = code_info(code);

	return c ? c->name : "unknown";
}

const char *ctl_code_message(enum ctl_code code)
{
	const struct code_info *c = code_info(code);

	return c ? c->message : "unknown error code";
}

const char *ctl_log_level_name(enum ctl_log_level level)
{
	return (size_t)level < N(level_names) ? level_names[level] : "?";
}

const char *ctl_log_module_name(enum ctl_log_module module)
{
	return (size_t)module < N(module_names) ? module_names[module] : "?";
}

/* Decimal without sign or leading zeros, at most @max; advances *p. */
static int decimal_take(const char **p, const char *end, unsigned long max, unsigned long *out)
{
	const char *s = *p;
	unsigned long v = 0;

	if (s == end || *s < '0' || *s > '9')
		return -1;
	if (*s == '0' && s + 1 < end && s[1] >= '0' && s[1] <= '9')
		return -1;
	while (s < end && *s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -1;
		s++;
	}
	*p = s;
	*out = v;
	return 0;
}

static int word_index(const char *const *names, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], w))
			return (int)i;
	return -1;
}

#define WORDS_MAX 6

enum ctl_code ctl_request_parse(const char *buf, size_t len, struct ctl_request *req)
{
	size_t scan = len < CTL_REQUEST_MAX ? len : CTL_REQUEST_MAX;
	const char *nl = memchr(buf, '\n', scan);
	size_t line_len = nl ? (size_t)(nl - buf) : scan, i, n = 0;
	char line[CTL_REQUEST_MAX], *w[WORDS_MAX + 1], *p;
	int idx;

	memset(req, 0, sizeof(*req));
	/* Bytes first, so that garbage is refused before a newline arrives. */
	for (i = 0; i < line_len; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e)
			return CTL_E_BAD_BYTE;
	if (!nl)
		return len >= CTL_REQUEST_MAX ? CTL_E_TOO_LONG : CTL_E_INCOMPLETE;
	if ((size_t)(nl - buf) + 1 != len)
		return CTL_E_TRAILING_DATA;
	if (line_len == 0)
		return CTL_E_EMPTY;
	if (buf[0] == ' ' || buf[line_len - 1] == ' ')
		return CTL_E_BAD_SPACING;
	for (i = 1; i < line_len; i++)
		if (buf[i] == ' ' && buf[i - 1] == ' ')
			return CTL_E_BAD_SPACING;
	memcpy(line, buf, line_len);
	line[line_len] = '\0';
	for (p = line; p; n++) {
		if (n == WORDS_MAX + 1)
			return CTL_E_EXTRA_ARGUMENT;
		w[n] = p;
		p = strchr(p, ' ');
		if (p)
			*p++ = '\0';
	}
	if (strcmp(w[0], CTL_PROTO_VERSION))
		return CTL_E_BAD_VERSION;
	if (n < 2)
		return CTL_E_MISSING_ARGUMENT;
	if (!strcmp(w[1], "status") || !strcmp(w[1], "sas") || !strcmp(w[1], "leases") ||
	    !strcmp(w[1], "nat")) {
		req->cmd = !strcmp(w[1], "status")   ? CTL_CMD_STATUS
			   : !strcmp(w[1], "sas")    ? CTL_CMD_SAS
			   : !strcmp(w[1], "leases") ? CTL_CMD_LEASES
						     : CTL_CMD_NAT;
		if (n >= 3) {
			if (!strcmp(w[2], "--json"))
				req->json = true;
			else if (!strncmp(w[2], "--", 2))
				return CTL_E_BAD_OPTION;
			else
				return CTL_E_EXTRA_ARGUMENT;
		}
		return n > 3 ? CTL_E_EXTRA_ARGUMENT : CTL_OK;
	}
	if (!strcmp(w[1], "up") || !strcmp(w[1], "down")) {
		req->cmd = !strcmp(w[1], "up") ? CTL_CMD_UP : CTL_CMD_DOWN;
		if (n < 3)
			return CTL_E_MISSING_ARGUMENT;
		if (!conf_conn_name_valid(w[2], strlen(w[2])))
			return CTL_E_BAD_NAME;
		if (n > 3 && req->cmd == CTL_CMD_DOWN) {
			/* down NAME SERIAL: only the peer of that IKE SA. */
			const char *d = w[3];
			unsigned long v;

			if (decimal_take(&d, w[3] + strlen(w[3]), UINT32_MAX, &v) < 0 || *d ||
			    v == 0)
				return CTL_E_BAD_PEER;
			req->peer = (uint32_t)v;
		}
		if (n > (req->cmd == CTL_CMD_DOWN ? 4 : 3))
			return CTL_E_EXTRA_ARGUMENT;
		memcpy(req->name, w[2], strlen(w[2]) + 1);
		return CTL_OK;
	}
	if (!strcmp(w[1], "reload")) {
		req->cmd = CTL_CMD_RELOAD;
		return n > 2 ? CTL_E_EXTRA_ARGUMENT : CTL_OK;
	}
	if (!strcmp(w[1], "log-level")) {
		req->cmd = CTL_CMD_LOG_LEVEL;
		if (n < 3)
			return CTL_E_MISSING_ARGUMENT;
		idx = word_index(level_names, N(level_names), w[2]);
		if (idx < 0)
			return CTL_E_BAD_LEVEL;
		req->level = (enum ctl_log_level)idx;
		if (n >= 4) {
			/* "all" is the absence of MODULE, not a MODULE. */
			idx = word_index(module_names, N(module_names), w[3]);
			if (idx <= 0)
				return CTL_E_BAD_MODULE;
			req->module = (enum ctl_log_module)idx;
		}
		return n > 4 ? CTL_E_EXTRA_ARGUMENT : CTL_OK;
	}
	return CTL_E_UNKNOWN_COMMAND;
}

ssize_t ctl_request_format(const struct ctl_request *req, char *buf, size_t cap)
{
	char line[CTL_REQUEST_MAX + 64];
	struct ctl_request check;
	int n;

	switch (req->cmd) {
	case CTL_CMD_STATUS:
	case CTL_CMD_SAS:
	case CTL_CMD_LEASES:
	case CTL_CMD_NAT:
		n = snprintf(line, sizeof(line), "%s %s%s\n", CTL_PROTO_VERSION,
			     req->cmd == CTL_CMD_STATUS	  ? "status"
			     : req->cmd == CTL_CMD_SAS	  ? "sas"
			     : req->cmd == CTL_CMD_LEASES ? "leases"
							  : "nat",
			     req->json ? " --json" : "");
		break;
	case CTL_CMD_UP:
	case CTL_CMD_DOWN:
		if (!conf_conn_name_valid(req->name, strnlen(req->name, sizeof(req->name))))
			return -EINVAL;
		if (req->cmd == CTL_CMD_DOWN && req->peer)
			n = snprintf(line, sizeof(line), "%s down %s %" PRIu32 "\n",
				     CTL_PROTO_VERSION, req->name, req->peer);
		else
			n = snprintf(line, sizeof(line), "%s %s %s\n", CTL_PROTO_VERSION,
				     req->cmd == CTL_CMD_UP ? "up" : "down", req->name);
		break;
	case CTL_CMD_RELOAD:
		n = snprintf(line, sizeof(line), "%s reload\n", CTL_PROTO_VERSION);
		break;
	case CTL_CMD_LOG_LEVEL:
		if ((size_t)req->level >= N(level_names) || (size_t)req->module >= N(module_names))
			return -EINVAL;
		if (req->module == CTL_MOD_ALL)
			n = snprintf(line, sizeof(line), "%s log-level %s\n", CTL_PROTO_VERSION,
				     level_names[req->level]);
		else
			n = snprintf(line, sizeof(line), "%s log-level %s %s\n", CTL_PROTO_VERSION,
				     level_names[req->level], module_names[req->module]);
		break;
	default:
		return -EINVAL;
	}
	if (n < 0 || (size_t)n >= sizeof(line))
		return -EINVAL;
	/* What we send must be what the daemon accepts. */
	if (ctl_request_parse(line, (size_t)n, &check) != CTL_OK)
		return -EINVAL;
	if ((size_t)n > cap)
		return -ENOSPC;
	memcpy(buf, line, (size_t)n);
	return n;
}

ssize_t ctl_response_header_format(char *buf, size_t cap, enum ctl_code code, size_t body_len)
{
	char line[CTL_HEADER_MAX + 8];
	int n;

	if (body_len > CTL_BODY_MAX || code == CTL_E_INCOMPLETE || (unsigned)code > 999)
		return -EINVAL;
	if (code == CTL_OK)
		n = snprintf(line, sizeof(line), "OK %zu\n", body_len);
	else
		n = snprintf(line, sizeof(line), "ERR %u %zu\n", (unsigned)code, body_len);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -EINVAL;
	if ((size_t)n > cap)
		return -ENOSPC;
	memcpy(buf, line, (size_t)n);
	return n;
}

enum ctl_code ctl_response_header_parse(const char *buf, size_t len, enum ctl_code *code,
					size_t *body_len, size_t *header_len)
{
	size_t scan = len < CTL_HEADER_MAX ? len : CTL_HEADER_MAX;
	const char *nl = memchr(buf, '\n', scan), *p = buf;
	unsigned long c = 0, l;

	if (!nl)
		return len >= CTL_HEADER_MAX ? CTL_E_BAD_RESPONSE : CTL_E_INCOMPLETE;
	if ((size_t)(nl - buf) >= 3 && !memcmp(buf, "OK ", 3)) {
		p = buf + 3;
	} else if ((size_t)(nl - buf) >= 4 && !memcmp(buf, "ERR ", 4)) {
		p = buf + 4;
		if (decimal_take(&p, nl, 999, &c) < 0 || c == CTL_OK || c == CTL_E_INCOMPLETE ||
		    p == nl || *p != ' ')
			return CTL_E_BAD_RESPONSE;
		p++;
	} else {
		return CTL_E_BAD_RESPONSE;
	}
	if (decimal_take(&p, nl, CTL_BODY_MAX, &l) < 0 || p != nl)
		return CTL_E_BAD_RESPONSE;
	*code = (enum ctl_code)c;
	*body_len = l;
	*header_len = (size_t)(nl - buf) + 1;
	return CTL_OK;
}

/* ---- JSON ---- */

void ctl_json_init(struct ctl_json *j, char *buf, size_t cap)
{
	memset(j, 0, sizeof(*j));
	j->buf = buf;
	j->cap = cap;
	if (cap)
		buf[0] = '\0';
}

static void put(struct ctl_json *j, const char *s, size_t n)
{
	/* Keep one byte for the NUL ctl_json_finish() writes. */
	if (j->overflow || n >= j->cap - j->len || j->cap == 0) {
		j->overflow = true;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static void puts_(struct ctl_json *j, const char *s)
{
	put(j, s, strlen(s));
}

/* Before any value: the comma, and the check that a value is allowed here. */
static void value_prefix(struct ctl_json *j)
{
	if (j->depth == 0) {
		if (j->done)
			j->misuse = true; /* one top-level value only */
		j->done = true;
		return;
	}
	if (j->is_object[j->depth - 1]) {
		if (!j->want_value)
			j->misuse = true;
		j->want_value = false;
		return;
	}
	if (j->has_items[j->depth - 1])
		put(j, ",", 1);
	j->has_items[j->depth - 1] = true;
}

static void container_begin(struct ctl_json *j, bool object)
{
	value_prefix(j);
	if (j->depth == CTL_JSON_DEPTH_MAX) {
		j->misuse = true;
		return;
	}
	j->is_object[j->depth] = object;
	j->has_items[j->depth] = false;
	j->depth++;
	put(j, object ? "{" : "[", 1);
}

static void container_end(struct ctl_json *j, bool object)
{
	if (j->depth == 0 || j->is_object[j->depth - 1] != object || j->want_value) {
		j->misuse = true;
		return;
	}
	j->depth--;
	put(j, object ? "}" : "]", 1);
}

void ctl_json_object_begin(struct ctl_json *j)
{
	container_begin(j, true);
}

void ctl_json_object_end(struct ctl_json *j)
{
	container_end(j, true);
}

void ctl_json_array_begin(struct ctl_json *j)
{
	container_begin(j, false);
}

void ctl_json_array_end(struct ctl_json *j)
{
	container_end(j, false);
}

/* Length of the well-formed UTF-8 sequence at @s (Unicode 15 table 3-7),
 * or 0 if the byte at @s does not start one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0; /* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f; /* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90; /* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f; /* > U+10FFFF */
	if (len > n)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

static void string_escaped(struct ctl_json *j, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	char esc[8];
	size_t i = 0, run;

	put(j, "\"", 1);
	while (i < n) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			/* Copy a run of plain ASCII at once. */
			for (run = i; run < n && s[run] >= 0x20 && s[run] < 0x7f && s[run] != '"' &&
				      s[run] != '\\';
			     run++)
				;
			put(j, str + i, run - i);
			i = run;
			continue;
		}
		if (c >= 0x80) {
			size_t l = utf8_len(s + i, n - i);

			if (l) {
				put(j, str + i, l);
				i += l;
			} else {
				puts_(j, "\\ufffd");
				i++;
			}
			continue;
		}
		switch (c) {
		case '"':
			puts_(j, "\\\"");
			break;
		case '\\':
			puts_(j, "\\\\");
			break;
		case '\b':
			puts_(j, "\\b");
			break;
		case '\f':
			puts_(j, "\\f");
			break;
		case '\n':
			puts_(j, "\\n");
			break;
		case '\r':
			puts_(j, "\\r");
			break;
		case '\t':
			puts_(j, "\\t");
			break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			puts_(j, esc);
			break;
		}
		i++;
	}
	put(j, "\"", 1);
}

void ctl_json_key(struct ctl_json *j, const char *key)
{
	if (j->depth == 0 || !j->is_object[j->depth - 1] || j->want_value) {
		j->misuse = true;
		return;
	}
	if (j->has_items[j->depth - 1])
		put(j, ",", 1);
	j->has_items[j->depth - 1] = true;
	string_escaped(j, key, strlen(key));
	put(j, ":", 1);
	j->want_value = true;
}

void ctl_json_string_len(struct ctl_json *j, const char *s, size_t len)
{
	value_prefix(j);
	string_escaped(j, s, len);
}

void ctl_json_string(struct ctl_json *j, const char *s)
{
	if (!s) {
		ctl_json_null(j);
		return;
	}
	ctl_json_string_len(j, s, strlen(s));
}

void ctl_json_uint(struct ctl_json *j, uint64_t v)
{
	char num[24];

	value_prefix(j);
	snprintf(num, sizeof(num), "%" PRIu64, v);
	puts_(j, num);
}

void ctl_json_int(struct ctl_json *j, int64_t v)
{
	char num[24];

	value_prefix(j);
	snprintf(num, sizeof(num), "%" PRId64, v);
	puts_(j, num);
}

void ctl_json_bool(struct ctl_json *j, bool v)
{
	value_prefix(j);
	puts_(j, v ? "true" : "false");
}

void ctl_json_null(struct ctl_json *j)
{
	value_prefix(j);
	puts_(j, "null");
}

ssize_t ctl_json_finish(struct ctl_json *j)
{
	if (j->misuse || j->depth || j->want_value || !j->done)
		return -EINVAL;
	if (j->overflow)
		return -ENOSPC;
	j->buf[j->len] = '\0';
	return (ssize_t)j->len;
}

/* ---- status document ---- */

static void kv_str(struct ctl_json *j, const char *k, const char *v)
{
	ctl_json_key(j, k);
	ctl_json_string(j, v);
}

static void kv_uint(struct ctl_json *j, const char *k, uint64_t v)
{
	ctl_json_key(j, k);
	ctl_json_uint(j, v);
}

static void kv_bool(struct ctl_json *j, const char *k, bool v)
{
	ctl_json_key(j, k);
	ctl_json_bool(j, v);
}

static void kv_hex(struct ctl_json *j, const char *k, const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char hex[2 * 16 + 1];
	size_t i;

	for (i = 0; i < n && i < 16; i++) {
		hex[2 * i] = digits[b[i] >> 4];
		hex[2 * i + 1] = digits[b[i] & 15];
	}
	hex[2 * i] = '\0';
	kv_str(j, k, hex);
}

static void kv_spi(struct ctl_json *j, const char *k, uint32_t spi)
{
	char hex[9];

	snprintf(hex, sizeof(hex), "%08" PRIx32, spi);
	kv_str(j, k, hex);
}

static void endpoint_write(struct ctl_json *j, const char *k, const char *addr, uint16_t port,
			   const char *id)
{
	ctl_json_key(j, k);
	ctl_json_object_begin(j);
	kv_str(j, "address", addr);
	kv_uint(j, "port", port);
	kv_str(j, "id", id);
	ctl_json_object_end(j);
}

/* A deadline: seconds, or null when there is none. */
static void kv_deadline(struct ctl_json *j, const char *k, bool set, uint32_t v)
{
	ctl_json_key(j, k);
	if (set)
		ctl_json_uint(j, v);
	else
		ctl_json_null(j);
}

static void addr_port_write(struct ctl_json *j, const char *k, const struct ctl_endpoint_view *e,
			    bool with_id, const char *id)
{
	ctl_json_key(j, k);
	ctl_json_object_begin(j);
	kv_str(j, "address", e->addr);
	kv_uint(j, "port", e->port);
	if (with_id)
		kv_str(j, "id", id);
	ctl_json_object_end(j);
}

static void kv_ago(struct ctl_json *j, const char *k, bool set, uint64_t v)
{
	ctl_json_key(j, k);
	if (set)
		ctl_json_uint(j, v);
	else
		ctl_json_null(j);
}

void ctl_nat_json_write(struct ctl_json *j, const struct ctl_nat_view *v)
{
	ctl_json_object_begin(j);
	kv_str(j, "peer_nat", v->peer_nat);
	kv_bool(j, "local_behind_nat", v->local_behind_nat);
	kv_str(j, "port_preserved", v->port_preserved);
	kv_str(j, "split_nat", v->split_nat);
	kv_bool(j, "cgn_likely", v->cgn);
	kv_str(j, "first_500_from", v->leg_500);
	kv_str(j, "first_4500_from", v->leg_4500);
	kv_str(j, "natoa", v->natoa);
	kv_ago(j, "binding_lifetime_s", v->binding_s != 0, v->binding_s);
	kv_ago(j, "last_authenticated_s_ago", v->have_last_auth, v->last_auth_ago_s);
	kv_uint(j, "keepalives", v->keepalives);
	kv_ago(j, "keepalive_interval_s", v->keepalive_interval_s != 0, v->keepalive_interval_s);
	kv_ago(j, "last_keepalive_s_ago", v->have_last_keepalive, v->last_keepalive_ago_s);
	kv_uint(j, "mapping_changes", v->mapping_changes);
	ctl_json_key(j, "history");
	ctl_json_array_begin(j);
	for (size_t i = 0; i < v->n_history && i < CTL_NAT_HISTORY_MAX; i++) {
		const struct ctl_nat_remap_view *r = &v->history[i];

		ctl_json_object_begin(j);
		kv_uint(j, "s_ago", r->ago_s);
		kv_str(j, "from", r->old_ep);
		kv_str(j, "to", r->new_ep);
		kv_ago(j, "idle_s", r->idle_s != 0, r->idle_s);
		kv_str(j, "by", r->esp ? "esp" : "ike");
		ctl_json_object_end(j);
	}
	ctl_json_array_end(j);
	kv_str(j, "audit", v->audit);
	kv_str(j, "diagnosis", v->diagnosis);
	ctl_json_object_end(j);
}

void ctl_nat_json_peer(struct ctl_json *j, const struct ctl_nat_peer_view *p)
{
	ctl_json_object_begin(j);
	kv_str(j, "conn", p->conn);
	kv_uint(j, "serial", p->serial);
	kv_str(j, "peer", p->peer);
	kv_str(j, "id", p->id);
	ctl_json_key(j, "nat");
	ctl_nat_json_write(j, p->nat);
	ctl_json_object_end(j);
}

static void nat_write(struct ctl_json *j, const char *method, bool local, bool remote,
		      uint32_t keepalive_s, const struct ctl_nat_view *facts)
{
	ctl_json_key(j, "nat");
	ctl_json_object_begin(j);
	kv_str(j, "method", method ? method : "none");
	kv_bool(j, "local_behind_nat", local);
	kv_bool(j, "remote_behind_nat", remote);
	kv_uint(j, "keepalive_s", keepalive_s);
	if (facts) {
		ctl_json_key(j, "facts");
		ctl_nat_json_write(j, facts);
	}
	ctl_json_object_end(j);
}

/* The fields of schema 1 as first published come first, in their order
 * (scripts match on neighbours, e.g. "role" then "proposal"); the
 * per-IKE-SA endpoints and NAT facts follow. */
static void ike_sa_write(struct ctl_json *j, const struct ctl_ike_sa_view *s)
{
	ctl_json_object_begin(j);
	kv_hex(j, "initiator_cookie", s->cookie_i, sizeof(s->cookie_i));
	kv_hex(j, "responder_cookie", s->cookie_r, sizeof(s->cookie_r));
	kv_str(j, "state", s->state);
	kv_str(j, "exchange", s->exchange);
	kv_str(j, "role", s->initiator ? "initiator" : "responder");
	kv_str(j, "proposal", s->proposal);
	kv_uint(j, "age_s", s->age_s);
	kv_uint(j, "rekey_in_s", s->rekey_in_s);
	kv_deadline(j, "expire_in_s", s->expires, s->expire_in_s);
	kv_uint(j, "serial", s->serial);
	kv_bool(j, "established", s->established);
	addr_port_write(j, "local", &s->local, false, NULL);
	addr_port_write(j, "remote", &s->remote, true, s->remote_id);
	kv_bool(j, "floated", s->floated);
	nat_write(j, s->nat_method, s->local_behind_nat, s->remote_behind_nat, s->keepalive_s,
		  s->nat);
	if (s->xauth_user)
		kv_str(j, "xauth_user", s->xauth_user);
	if (s->virtual_ip)
		kv_str(j, "virtual_ip", s->virtual_ip);
	if (s->n_dns) {
		ctl_json_key(j, "dns");
		ctl_json_array_begin(j);
		for (unsigned k = 0; k < s->n_dns && k < 4; k++)
			ctl_json_string(j, s->dns[k]);
		ctl_json_array_end(j);
	}
	ctl_json_object_end(j);
}

static void child_sa_write(struct ctl_json *j, const struct ctl_child_sa_view *s)
{
	ctl_json_object_begin(j);
	kv_spi(j, "spi_in", s->spi_in);
	kv_spi(j, "spi_out", s->spi_out);
	kv_str(j, "mode", s->mode);
	kv_bool(j, "udp_encap", s->udp_encap);
	kv_str(j, "proposal", s->proposal);
	kv_uint(j, "bytes_in", s->bytes_in);
	kv_uint(j, "bytes_out", s->bytes_out);
	kv_uint(j, "packets_in", s->packets_in);
	kv_uint(j, "packets_out", s->packets_out);
	kv_uint(j, "age_s", s->age_s);
	kv_uint(j, "rekey_in_s", s->rekey_in_s);
	kv_deadline(j, "expire_in_s", s->expires, s->expire_in_s);
	ctl_json_key(j, "ike_sa");
	if (s->ike_serial)
		ctl_json_uint(j, s->ike_serial);
	else
		ctl_json_null(j);
	addr_port_write(j, "local", &s->local, false, NULL);
	addr_port_write(j, "remote", &s->remote, false, NULL);
	ctl_json_object_end(j);
}

static void conn_write(struct ctl_json *j, const struct ctl_conn_view *c)
{
	size_t i;

	ctl_json_object_begin(j);
	kv_str(j, "name", c->name);
	kv_str(j, "state", c->state);
	kv_str(j, "auto", c->autostart);
	endpoint_write(j, "local", c->local_addr, c->local_port, c->local_id);
	endpoint_write(j, "remote", c->remote_addr, c->remote_port, c->remote_id);
	nat_write(j, c->nat_method, c->local_behind_nat, c->remote_behind_nat, c->keepalive_s,
		  NULL);
	ctl_json_key(j, "ike_sas");
	ctl_json_array_begin(j);
	for (i = 0; i < c->n_ike_sas; i++)
		ike_sa_write(j, &c->ike_sas[i]);
	ctl_json_array_end(j);
	ctl_json_key(j, "child_sas");
	ctl_json_array_begin(j);
	for (i = 0; i < c->n_child_sas; i++)
		child_sa_write(j, &c->child_sas[i]);
	ctl_json_array_end(j);
	kv_bool(j, "truncated", c->truncated);
	/* What a script needs when the lists are cut (thousands of road
	 * warriors on one conn): how many there are in all. */
	kv_uint(j, "ike_sas_total", c->ike_sas_total);
	kv_uint(j, "child_sas_total", c->child_sas_total);
	kv_str(j, "last_error", c->last_error);
	ctl_json_object_end(j);
}

void ctl_status_json_begin(struct ctl_json *j, const struct ctl_status_view *st)
{
	ctl_json_object_begin(j);
	kv_uint(j, "schema", 1);
	ctl_json_key(j, "daemon");
	ctl_json_object_begin(j);
	kv_str(j, "version", st->version);
	kv_uint(j, "pid", st->pid);
	kv_uint(j, "uptime_s", st->uptime_s);
	kv_str(j, "config", st->config_file);
	ctl_json_object_end(j);
	ctl_json_key(j, "connections");
	ctl_json_array_begin(j);
}

void ctl_status_json_conn(struct ctl_json *j, const struct ctl_conn_view *c)
{
	conn_write(j, c);
}

ssize_t ctl_status_json_end(struct ctl_json *j)
{
	ctl_json_array_end(j);
	ctl_json_object_end(j);
	return ctl_json_finish(j);
}

ssize_t ctl_status_write_json(const struct ctl_status_view *st, char *buf, size_t cap)
{
	struct ctl_json j;

	ctl_json_init(&j, buf, cap);
	ctl_status_json_begin(&j, st);
	for (size_t i = 0; i < st->n_conns; i++)
		ctl_status_json_conn(&j, &st->conns[i]);
	return ctl_status_json_end(&j);
}
