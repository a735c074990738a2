/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The natkeyctl <-> natkeyd control protocol over a UNIX stream socket, and
 * the JSON writer behind `status --json`. Pure: these functions parse and
 * build bytes in caller buffers; the socket belongs to the tools.
 *
 * Request: one line of printable ASCII, at most CTL_REQUEST_MAX bytes with
 * its '\n', words separated by single spaces, the protocol version first:
 *
 *   v1 status            v1 status --json
 *   v1 sas               v1 sas --json
 *   v1 up NAME           v1 down NAME [SERIAL]
 *   v1 reload
 *   v1 log-level LEVEL [MODULE]
 *   v1 leases            v1 leases --json
 *   v1 nat               v1 nat --json
 *
 * One request per connection: nothing may follow the '\n'.
 *
 * Response: a header line, then exactly LEN bytes of body:
 *
 *   OK LEN\n<body>               (text or JSON, as requested)
 *   ERR CODE LEN\n<message>      (CODE from enum ctl_code)
 *
 * docs/natkeyctl.8 documents the same, and the JSON schema.
 */
#ifndef NATKEYD_TOOLS_CTL_PROTO_H
#define NATKEYD_TOOLS_CTL_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ike/conf/conf.h"

#define CTL_PROTO_VERSION  "v1"
#define CTL_REQUEST_MAX	   512u		       /* bytes, including the '\n' */
#define CTL_HEADER_MAX	   32u		       /* "ERR 999 16777216\n" fits */
#define CTL_BODY_MAX	   (16u * 1024 * 1024) /* largest response body */
#define CTL_JSON_DEPTH_MAX 16u

enum ctl_cmd {
	CTL_CMD_STATUS,
	CTL_CMD_SAS,
	CTL_CMD_UP,
	CTL_CMD_DOWN,
	CTL_CMD_RELOAD,
	CTL_CMD_LOG_LEVEL,
	CTL_CMD_LEASES, /* Mode Config address leases (issue 16) */
	CTL_CMD_NAT,	/* per-peer NAT facts and diagnosis (issue 18) */
};

enum ctl_log_level {
	CTL_LOG_ERROR,
	CTL_LOG_WARN,
	CTL_LOG_INFO,
	CTL_LOG_DEBUG,
};

/* Which part of the daemon a log level applies to. */
enum ctl_log_module {
	CTL_MOD_ALL = 0, /* no MODULE argument */
	CTL_MOD_IKE,
	CTL_MOD_NATT,
	CTL_MOD_XFRM,
	CTL_MOD_CRYPTO,
	CTL_MOD_ENGINE,
	CTL_MOD_CONF,
	CTL_MOD_CTL,
};

/* Outcome codes. The numbers are part of the protocol (ERR CODE) and the
 * exit status contract of natkeyctl; never renumber. */
enum ctl_code {
	CTL_OK = 0,
	CTL_E_INCOMPLETE = 1, /* parser only: no '\n' yet; read more */
	/* malformed request (10-29) */
	CTL_E_TOO_LONG = 10,
	CTL_E_BAD_BYTE = 11,	/* NUL, control character or non-ASCII */
	CTL_E_BAD_SPACING = 12, /* leading, trailing or double space */
	CTL_E_EMPTY = 13,
	CTL_E_TRAILING_DATA = 14, /* bytes after the '\n' */
	CTL_E_BAD_VERSION = 15,
	CTL_E_UNKNOWN_COMMAND = 20,
	CTL_E_MISSING_ARGUMENT = 21,
	CTL_E_EXTRA_ARGUMENT = 22,
	CTL_E_BAD_OPTION = 23,
	CTL_E_BAD_NAME = 24,
	CTL_E_BAD_LEVEL = 25,
	CTL_E_BAD_MODULE = 26,
	CTL_E_BAD_PEER = 27, /* down NAME SERIAL: not an IKE SA number */
	/* daemon outcomes (40-59) */
	CTL_E_NO_SUCH_CONN = 40,
	CTL_E_BUSY = 41,
	CTL_E_RELOAD_FAILED = 42,
	CTL_E_NO_SUCH_PEER = 43, /* the connection has no IKE SA with that number */
	CTL_E_INTERNAL = 50,
	/* client side (60-69) */
	CTL_E_BAD_RESPONSE = 60,
};

struct ctl_request {
	enum ctl_cmd cmd;
	bool json;		      /* status/sas --json */
	char name[CONF_NAME_MAX + 1]; /* up/down */
	uint32_t peer;		    /* down: the IKE SA (status serial) whose peer goes; 0 = all */
	enum ctl_log_level level;   /* log-level */
	enum ctl_log_module module; /* log-level */
};

/**
 * ctl_request_parse() - strictly parse one request.
 * @buf: bytes received so far.
 * @len: their number.
 * @req: the request, when CTL_OK is returned.
 *
 * Return: CTL_OK; CTL_E_INCOMPLETE when @buf holds no '\n' yet and is
 * shorter than CTL_REQUEST_MAX; otherwise the error code of the first rule
 * broken, checked in this order: bytes (so garbage is refused before a
 * newline arrives), length, trailing data, empty, spacing, version, command,
 * arguments.
 */
enum ctl_code ctl_request_parse(const char *buf, size_t len, struct ctl_request *req);

/**
 * ctl_request_format() - serialise @req with its '\n' (no NUL written).
 *
 * Return: the number of bytes written, -EINVAL if @req could not be parsed
 * back (bad name, level, module, command), or -ENOSPC.
 */
ssize_t ctl_request_format(const struct ctl_request *req, char *buf, size_t cap);

/**
 * ctl_response_header_format() - "OK LEN\n" or "ERR CODE LEN\n".
 *
 * Return: the number of bytes written, -EINVAL (@body_len over
 * CTL_BODY_MAX, or @code not a wire code), or -ENOSPC.
 */
ssize_t ctl_response_header_format(char *buf, size_t cap, enum ctl_code code, size_t body_len);

/**
 * ctl_response_header_parse() - parse a response header.
 * @buf: bytes received so far.
 * @len: their number.
 * @code: CTL_OK or the daemon's error code.
 * @body_len: the body length announced.
 * @header_len: bytes of @buf the header used (the body follows).
 *
 * Return: CTL_OK, CTL_E_INCOMPLETE (no '\n' within CTL_HEADER_MAX bytes
 * yet), or CTL_E_BAD_RESPONSE.
 */
enum ctl_code ctl_response_header_parse(const char *buf, size_t len, enum ctl_code *code,
					size_t *body_len, size_t *header_len);

/**
 * ctl_code_name() - stable token of a code ("bad-name"); "unknown" if none.
 */
const char *ctl_code_name(enum ctl_code code);

/**
 * ctl_code_message() - one-line human explanation of a code.
 */
const char *ctl_code_message(enum ctl_code code);

/**
 * ctl_log_level_name() / ctl_log_module_name() - the words the protocol uses.
 */
const char *ctl_log_level_name(enum ctl_log_level level);
const char *ctl_log_module_name(enum ctl_log_module module);

/* ---- JSON writer ---- */

/* Writes into a caller buffer; any overflow or misuse is remembered and
 * reported once by ctl_json_finish(). */
struct ctl_json {
	char *buf;
	size_t cap;
	size_t len;
	bool overflow;
	bool misuse;
	unsigned depth;
	bool is_object[CTL_JSON_DEPTH_MAX];
	bool has_items[CTL_JSON_DEPTH_MAX];
	bool want_value; /* a key was written */
	bool done;	 /* the top-level value was started */
};

/**
 * ctl_json_init() - start writing into @buf of @cap bytes.
 */
void ctl_json_init(struct ctl_json *j, char *buf, size_t cap);

/**
 * ctl_json_object_begin() / ctl_json_object_end() / ctl_json_array_begin() /
 * ctl_json_array_end() - open and close containers (depth CTL_JSON_DEPTH_MAX).
 */
void ctl_json_object_begin(struct ctl_json *j);
void ctl_json_object_end(struct ctl_json *j);
void ctl_json_array_begin(struct ctl_json *j);
void ctl_json_array_end(struct ctl_json *j);

/**
 * ctl_json_key() - write an object member name (escaped); a value must follow.
 */
void ctl_json_key(struct ctl_json *j, const char *key);

/**
 * ctl_json_string() - write a string value, escaped per RFC 8259 s7: '"', '\\'
 * and control characters escaped, DEL as \u007f, and every byte that is not
 * part of well-formed UTF-8 (overlong, surrogate, > U+10FFFF, truncated)
 * replaced by \ufffd, so the output is always valid JSON.
 */
void ctl_json_string(struct ctl_json *j, const char *s);

/**
 * ctl_json_string_len() - ctl_json_string() for @len bytes (may contain NUL).
 */
void ctl_json_string_len(struct ctl_json *j, const char *s, size_t len);

/**
 * ctl_json_uint() / ctl_json_int() / ctl_json_bool() / ctl_json_null() - scalars.
 */
void ctl_json_uint(struct ctl_json *j, uint64_t v);
void ctl_json_int(struct ctl_json *j, int64_t v);
void ctl_json_bool(struct ctl_json *j, bool v);
void ctl_json_null(struct ctl_json *j);

/**
 * ctl_json_finish() - end the document.
 *
 * Return: its length (a NUL follows it in the buffer), -ENOSPC if it did
 * not fit, -EINVAL if containers are unbalanced, a key lacks its value, or a
 * value was written where a key was expected.
 */
ssize_t ctl_json_finish(struct ctl_json *j);

/* ---- status document (schema 1, documented in natkeyctl(8)) ---- */

/* An address and UDP port; @addr NULL when unknown (JSON null). */
struct ctl_endpoint_view {
	const char *addr;
	uint16_t port;
};

struct ctl_child_sa_view {
	uint32_t spi_in; /* host order */
	uint32_t spi_out;
	uint32_t ike_serial; /* the IKE SA (ctl_ike_sa_view.serial) it belongs to, 0 = none */
	const char *mode;    /* "tunnel" | "transport" */
	bool udp_encap;	     /* RFC 3948 UDP encapsulation */
	struct ctl_endpoint_view local, remote; /* outer (ESP or ESP-in-UDP) endpoints */
	const char *proposal;			/* "aes128gcm16", "aes256-sha256-modp2048" */
	uint64_t bytes_in, bytes_out;
	uint64_t packets_in, packets_out;
	uint32_t age_s;
	uint32_t rekey_in_s;  /* 0 when no rekey is planned (see rekey_planned) */
	bool rekey_planned;   /* this end will rekey (Quick Mode initiator) */
	bool expires;	      /* expire_in_s is set */
	uint32_t expire_in_s; /* until the hard lifetime */
};

/* ---- per-peer NAT facts (natt/diag.h), in `nat` and `status --json` ---- */

#define CTL_NAT_HISTORY_MAX 8

/* One authenticated mapping change of a peer. */
struct ctl_nat_remap_view {
	uint64_t ago_s;		     /* how long ago */
	const char *old_ep, *new_ep; /* "192.0.2.1:4500" */
	uint64_t idle_s;	     /* silence before it; 0 = unknown */
	bool esp;		     /* learned from verified ESP (else authenticated IKE) */
};

struct ctl_nat_view {
	const char *peer_nat;	    /* "none" | "claimed" | "translated" | "faked" | "unknown" */
	bool local_behind_nat;	    /* NAT-D: our address is translated */
	const char *port_preserved; /* "yes" | "no" | "unknown" */
	const char *split_nat;	    /* "yes" | "no" | "unknown" */
	bool cgn;		    /* identity or NAT-OA in 100.64.0.0/10 */
	const char *leg_500, *leg_4500; /* where the peer's first message to 500 / 4500 came from */
	const char *natoa;		/* the peer's NAT-OA, NULL = none */
	uint64_t binding_s; /* the NAT's observed binding lifetime (upper bound), 0 = unknown */
	bool have_last_auth;
	uint64_t last_auth_ago_s;      /* last authenticated packet */
	uint64_t keepalives;	       /* NAT-keepalives received */
	uint32_t keepalive_interval_s; /* their last interval, 0 = fewer than two */
	bool have_last_keepalive;
	uint64_t last_keepalive_ago_s;
	uint32_t mapping_changes; /* all of them; the last CTL_NAT_HISTORY_MAX in history */
	const struct ctl_nat_remap_view *history; /* oldest first */
	size_t n_history;
	const char *audit;     /* "ok" | "no-keepalive" | "slow-keepalive" */
	const char *diagnosis; /* the one-line diagnosis */
};

/* One row of `natkeyctl nat`: a peer (an established IKE SA). */
struct ctl_nat_peer_view {
	const char *conn;
	uint32_t serial;  /* its IKE SA */
	const char *peer; /* "203.0.113.7:4500", where IKE runs now */
	const char *id;	  /* authenticated identity, NULL = none */
	const struct ctl_nat_view *nat;
};

/**
 * ctl_nat_json_write() - @v as a JSON object (status --json's "facts",
 * nat --json's "nat").
 */
void ctl_nat_json_write(struct ctl_json *j, const struct ctl_nat_view *v);

/**
 * ctl_nat_json_peer() - one peer of `nat --json`'s "peers" array.
 */
void ctl_nat_json_peer(struct ctl_json *j, const struct ctl_nat_peer_view *p);

struct ctl_ike_sa_view {
	uint32_t serial; /* the daemon's number for it, > 0, unique per connection */
	uint8_t cookie_i[8];
	uint8_t cookie_r[8];
	const char *state;    /* engine state name */
	bool established;     /* Phase 1 complete */
	const char *exchange; /* "main" | "aggressive" */
	bool initiator;
	struct ctl_endpoint_view local, remote; /* where this SA's IKE runs now */
	const char *remote_id;			/* authenticated peer ID, NULL before */
	bool floated;				/* IKE moved to port 4500 (RFC 3947 s4) */
	const char *nat_method;			/* as ctl_conn_view.nat_method */
	bool local_behind_nat, remote_behind_nat;
	uint32_t keepalive_s;
	const char *proposal;
	uint32_t age_s;
	uint32_t rekey_in_s; /* as ctl_child_sa_view */
	bool rekey_planned;
	bool expires;
	uint32_t expire_in_s;
	const char *xauth_user; /* the XAUTH user, NULL = none */
	const char *virtual_ip; /* the Mode Config address, NULL = none */
	const char *dns[4];	/* Mode Config client: the DNS servers received */
	unsigned n_dns;
	const struct ctl_nat_view *nat; /* the peer's NAT facts ("nat": {"facts"}), NULL = none */
};

struct ctl_conn_view {
	const char *name;
	const char *state;     /* "down" | "connecting" | "up" */
	const char *autostart; /* conf_auto names: "ignore", "add", "start", "route" */
	const char *local_addr, *remote_addr; /* NULL when unknown */
	uint16_t local_port, remote_port;
	const char *local_id, *remote_id;
	const char *nat_method; /* "none" | "rfc3947" | "draft-ietf-ipsec-nat-t-ike-02" ... */
	bool local_behind_nat, remote_behind_nat;
	uint32_t keepalive_s;
	const struct ctl_ike_sa_view *ike_sas;
	size_t n_ike_sas;
	bool truncated;		  /* the connection has more SAs than listed */
	uint64_t ike_sas_total;	  /* all of its IKE SAs, listed or not */
	uint64_t child_sas_total; /* all of its IPsec SAs, listed or not */
	const char *last_error;	  /* the engine's last warning or error, NULL = none */
	const struct ctl_child_sa_view *child_sas;
	size_t n_child_sas;
};

struct ctl_status_view {
	const char *version;
	uint32_t pid;
	uint64_t uptime_s;
	const char *config_file;
	const struct ctl_conn_view *conns;
	size_t n_conns;
};

/**
 * ctl_status_write_json() - the `status --json` document.
 *
 * Return: its length, or -ENOSPC / -EINVAL as ctl_json_finish().
 */
ssize_t ctl_status_write_json(const struct ctl_status_view *st, char *buf, size_t cap);

/**
 * ctl_status_json_begin() / ctl_status_json_conn() / ctl_status_json_end() -
 * the same document written one connection at a time, so that the daemon
 * holds the facts of one connection at once: begin writes the daemon part
 * (@st->conns is not used), conn appends one connection, end closes the
 * document.
 *
 * Return (end): as ctl_status_write_json().
 */
void ctl_status_json_begin(struct ctl_json *j, const struct ctl_status_view *st);
void ctl_status_json_conn(struct ctl_json *j, const struct ctl_conn_view *c);
ssize_t ctl_status_json_end(struct ctl_json *j);

/**
 * ctl_status_write_text() - the human `status` output of the same view:
 * one line per IKE SA (one per connection that has none), each starting
 * "NAME: STATE, auto=AUTO, LOCAL:PORT -> REMOTE:PORT, NAT: ..." and
 * followed by that SA's IPsec SAs and its own facts; IPsec SAs that belong
 * to no listed IKE SA get a line of their own. Bytes of names and IDs
 * that are not printable ASCII are shown as '?'. Always NUL-terminated
 * when @cap > 0.
 *
 * Return: its length, or -ENOSPC (the text is cut at a line boundary).
 */
ssize_t ctl_status_write_text(const struct ctl_status_view *st, char *buf, size_t cap);

/*
 * A text buffer appended to piece by piece (the status text, the daemon's
 * response bodies). One overflow rule: a piece that does not fit whole is
 * not written, @overflow is set and nothing after it is written either, so
 * the text ends at a piece boundary; @buf stays NUL-terminated.
 */
struct ctl_buf {
	char *buf;
	size_t cap, len;
	bool overflow;
};

/** ctl_buf_put() - append printf-style to @b (see struct ctl_buf). */
void ctl_buf_put(struct ctl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * ctl_nat_text_peer() - one peer of `natkeyctl nat`: a table row, its
 * diagnosis on the next line, then its mapping changes, newest first.
 * ctl_nat_text_header() - the table's header line.
 */
void ctl_nat_text_header(struct ctl_buf *b);
void ctl_nat_text_peer(struct ctl_buf *b, const struct ctl_nat_peer_view *p);

#endif
