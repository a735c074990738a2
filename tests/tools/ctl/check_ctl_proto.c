// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Control protocol: request parser tables (every error code), request
 * serialisation round trips, response headers, JSON escaping (expected
 * strings cross-checked with Python's json module, see comments) and the
 * status document.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tools/ctl/ctl_proto.h"

struct req_vec {
	const char *in;
	size_t len; /* 0: strlen */
	enum ctl_code code;
	enum ctl_cmd cmd;
	bool json;
	const char *name;
	enum ctl_log_level level;
	enum ctl_log_module module;
};

#define NAME63 "x123456789012345678901234567890123456789012345678901234567890ab"

static const struct req_vec req_vecs[] = {
	{ "v1 status\n", 0, CTL_OK, CTL_CMD_STATUS, false, "", 0, 0 },
	{ "v1 status --json\n", 0, CTL_OK, CTL_CMD_STATUS, true, "", 0, 0 },
	{ "v1 sas\n", 0, CTL_OK, CTL_CMD_SAS, false, "", 0, 0 },
	{ "v1 sas --json\n", 0, CTL_OK, CTL_CMD_SAS, true, "", 0, 0 },
	{ "v1 leases\n", 0, CTL_OK, CTL_CMD_LEASES, false, "", 0, 0 },
	{ "v1 leases --json\n", 0, CTL_OK, CTL_CMD_LEASES, true, "", 0, 0 },
	{ "v1 leases --all\n", 0, CTL_E_BAD_OPTION, 0, false, "", 0, 0 },
	{ "v1 leases rw\n", 0, CTL_E_EXTRA_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 nat\n", 0, CTL_OK, CTL_CMD_NAT, false, "", 0, 0 },
	{ "v1 nat --json\n", 0, CTL_OK, CTL_CMD_NAT, true, "", 0, 0 },
	{ "v1 nat --all\n", 0, CTL_E_BAD_OPTION, 0, false, "", 0, 0 },
	{ "v1 nat rw\n", 0, CTL_E_EXTRA_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 nat --json x\n", 0, CTL_E_EXTRA_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 up hq-branch1\n", 0, CTL_OK, CTL_CMD_UP, false, "hq-branch1", 0, 0 },
	{ "v1 down rw_v4.2\n", 0, CTL_OK, CTL_CMD_DOWN, false, "rw_v4.2", 0, 0 },
	{ "v1 down rw 7\n", 0, CTL_OK, CTL_CMD_DOWN, false, "rw", 0, 0 },
	{ "v1 down rw 0\n", 0, CTL_E_BAD_PEER, 0, false, "", 0, 0 },
	{ "v1 down rw 07\n", 0, CTL_E_BAD_PEER, 0, false, "", 0, 0 },
	{ "v1 down rw #7\n", 0, CTL_E_BAD_PEER, 0, false, "", 0, 0 },
	{ "v1 down rw 7x\n", 0, CTL_E_BAD_PEER, 0, false, "", 0, 0 },
	{ "v1 down rw 4294967296\n", 0, CTL_E_BAD_PEER, 0, false, "", 0, 0 },
	{ "v1 down rw 7 8\n", 0, CTL_E_EXTRA_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 up rw 7\n", 0, CTL_E_EXTRA_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 up " NAME63 "\n", 0, CTL_OK, CTL_CMD_UP, false, NAME63, 0, 0 },
	{ "v1 reload\n", 0, CTL_OK, CTL_CMD_RELOAD, false, "", 0, 0 },
	{ "v1 log-level debug\n", 0, CTL_OK, CTL_CMD_LOG_LEVEL, false, "", CTL_LOG_DEBUG,
	  CTL_MOD_ALL },
	{ "v1 log-level error natt\n", 0, CTL_OK, CTL_CMD_LOG_LEVEL, false, "", CTL_LOG_ERROR,
	  CTL_MOD_NATT },
	{ "v1 log-level warn ctl\n", 0, CTL_OK, CTL_CMD_LOG_LEVEL, false, "", CTL_LOG_WARN,
	  CTL_MOD_CTL },
	{ "v1 log-level info xfrm\n", 0, CTL_OK, CTL_CMD_LOG_LEVEL, false, "", CTL_LOG_INFO,
	  CTL_MOD_XFRM },
	/* incomplete and framing */
	{ "", 0, CTL_E_INCOMPLETE, 0, false, "", 0, 0 },
	{ "v1 sta", 0, CTL_E_INCOMPLETE, 0, false, "", 0, 0 },
	{ "v1 status", 0, CTL_E_INCOMPLETE, 0, false, "", 0, 0 },
	{ "v1 status\n\n", 0, CTL_E_TRAILING_DATA, 0, false, "", 0, 0 },
	{ "v1 status\nv1 reload\n", 0, CTL_E_TRAILING_DATA, 0, false, "", 0, 0 },
	{ "\n", 0, CTL_E_EMPTY, 0, false, "", 0, 0 },
	{ "v1 status\r\n", 0, CTL_E_BAD_BYTE, 0, false, "", 0, 0 },
	{ "v1\tstatus\n", 0, CTL_E_BAD_BYTE, 0, false, "", 0, 0 },
	{ "v1 up caf\xc3\xa9\n", 0, CTL_E_BAD_BYTE, 0, false, "", 0, 0 },
	{ "v1 up a\0b\n", 10, CTL_E_BAD_BYTE, 0, false, "", 0, 0 },
	{ "v1 up \x7f\n", 0, CTL_E_BAD_BYTE, 0, false, "", 0, 0 },
	{ "\x01", 0, CTL_E_BAD_BYTE, 0, false, "", 0, 0 }, /* refused before any newline */
	{ " v1 status\n", 0, CTL_E_BAD_SPACING, 0, false, "", 0, 0 },
	{ "v1 status \n", 0, CTL_E_BAD_SPACING, 0, false, "", 0, 0 },
	{ "v1  status\n", 0, CTL_E_BAD_SPACING, 0, false, "", 0, 0 },
	{ " \n", 0, CTL_E_BAD_SPACING, 0, false, "", 0, 0 },
	/* version */
	{ "status\n", 0, CTL_E_BAD_VERSION, 0, false, "", 0, 0 },
	{ "v2 status\n", 0, CTL_E_BAD_VERSION, 0, false, "", 0, 0 },
	{ "V1 status\n", 0, CTL_E_BAD_VERSION, 0, false, "", 0, 0 },
	{ "v1\n", 0, CTL_E_MISSING_ARGUMENT, 0, false, "", 0, 0 },
	/* commands and arguments */
	{ "v1 stat\n", 0, CTL_E_UNKNOWN_COMMAND, 0, false, "", 0, 0 },
	{ "v1 STATUS\n", 0, CTL_E_UNKNOWN_COMMAND, 0, false, "", 0, 0 },
	{ "v1 --json\n", 0, CTL_E_UNKNOWN_COMMAND, 0, false, "", 0, 0 },
	{ "v1 status --yaml\n", 0, CTL_E_BAD_OPTION, 0, false, "", 0, 0 },
	{ "v1 status -j\n", 0, CTL_E_EXTRA_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 status all\n", 0, CTL_E_EXTRA_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 status --json --json\n", 0, CTL_E_EXTRA_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 up\n", 0, CTL_E_MISSING_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 down\n", 0, CTL_E_MISSING_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 up a b\n", 0, CTL_E_EXTRA_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 up %default\n", 0, CTL_E_BAD_NAME, 0, false, "", 0, 0 },
	{ "v1 up ../etc\n", 0, CTL_E_BAD_NAME, 0, false, "", 0, 0 },
	{ "v1 up -x\n", 0, CTL_E_BAD_NAME, 0, false, "", 0, 0 },
	{ "v1 up a/b\n", 0, CTL_E_BAD_NAME, 0, false, "", 0, 0 },
	{ "v1 up " NAME63 "c\n", 0, CTL_E_BAD_NAME, 0, false, "", 0, 0 },
	{ "v1 reload now\n", 0, CTL_E_EXTRA_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 log-level\n", 0, CTL_E_MISSING_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 log-level loud\n", 0, CTL_E_BAD_LEVEL, 0, false, "", 0, 0 },
	{ "v1 log-level DEBUG\n", 0, CTL_E_BAD_LEVEL, 0, false, "", 0, 0 },
	{ "v1 log-level debug kernel\n", 0, CTL_E_BAD_MODULE, 0, false, "", 0, 0 },
	{ "v1 log-level debug all\n", 0, CTL_E_BAD_MODULE, 0, false, "", 0, 0 },
	{ "v1 log-level debug ike natt\n", 0, CTL_E_EXTRA_ARGUMENT, 0, false, "", 0, 0 },
	{ "v1 a b c d e f g h\n", 0, CTL_E_EXTRA_ARGUMENT, 0, false, "", 0, 0 },
};

START_TEST(test_request_parse)
{
	const struct req_vec *v = &req_vecs[_i];
	struct ctl_request r;
	enum ctl_code got = ctl_request_parse(v->in, v->len ? v->len : strlen(v->in), &r);

	ck_assert_msg(got == v->code, "'%s': got %s want %s", v->in, ctl_code_name(got),
		      ctl_code_name(v->code));
	if (v->code != CTL_OK)
		return;
	ck_assert_int_eq(r.cmd, v->cmd);
	ck_assert(r.json == v->json);
	ck_assert_str_eq(r.name, v->name);
	ck_assert_int_eq(r.level, v->level);
	ck_assert_int_eq(r.module, v->module);
}
END_TEST

/* down NAME SERIAL: one peer, by the IKE SA number status shows (issue 14);
 * without SERIAL, the whole connection (peer 0). */
static const struct {
	const char *in;
	uint32_t peer;
} peer_vecs[] = {
	{ "v1 down rw\n", 0 },
	{ "v1 down rw 7\n", 7 },
	{ "v1 down rw 4294967295\n", 4294967295u },
};

START_TEST(test_request_down_peer)
{
	struct ctl_request r;
	char buf[CTL_REQUEST_MAX];

	ck_assert_int_eq(ctl_request_parse(peer_vecs[_i].in, strlen(peer_vecs[_i].in), &r), CTL_OK);
	ck_assert_uint_eq(r.peer, peer_vecs[_i].peer);
	ck_assert_int_eq(ctl_request_format(&r, buf, sizeof(buf)),
			 (ssize_t)strlen(peer_vecs[_i].in));
	ck_assert_mem_eq(buf, peer_vecs[_i].in, strlen(peer_vecs[_i].in));
}
END_TEST

START_TEST(test_request_round_trip)
{
	const struct req_vec *v = &req_vecs[_i];
	struct ctl_request r;
	char buf[CTL_REQUEST_MAX];
	ssize_t n;

	if (v->code != CTL_OK)
		return;
	ck_assert_int_eq(ctl_request_parse(v->in, strlen(v->in), &r), CTL_OK);
	n = ctl_request_format(&r, buf, sizeof(buf));
	ck_assert_int_eq(n, (ssize_t)strlen(v->in));
	ck_assert_mem_eq(buf, v->in, (size_t)n);
	ck_assert_int_eq(ctl_request_format(&r, buf, (size_t)n - 1), -ENOSPC);
}
END_TEST

START_TEST(test_request_limits)
{
	char buf[CTL_REQUEST_MAX + 8];
	struct ctl_request r;

	/* 511 bytes + '\n' = 512: complete; the name is too long, not the line. */
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "v1 up ", 6);
	buf[CTL_REQUEST_MAX - 1] = '\n';
	ck_assert_int_eq(ctl_request_parse(buf, CTL_REQUEST_MAX, &r), CTL_E_BAD_NAME);
	/* 512 bytes without '\n': too long, no matter what follows. */
	buf[CTL_REQUEST_MAX - 1] = 'a';
	ck_assert_int_eq(ctl_request_parse(buf, CTL_REQUEST_MAX, &r), CTL_E_TOO_LONG);
	buf[CTL_REQUEST_MAX] = '\n';
	ck_assert_int_eq(ctl_request_parse(buf, CTL_REQUEST_MAX + 1, &r), CTL_E_TOO_LONG);
	ck_assert_int_eq(ctl_request_parse(buf, CTL_REQUEST_MAX - 1, &r), CTL_E_INCOMPLETE);
}
END_TEST

START_TEST(test_request_format_invalid)
{
	struct ctl_request r;
	char buf[CTL_REQUEST_MAX];

	memset(&r, 0, sizeof(r));
	r.cmd = CTL_CMD_UP;
	ck_assert_int_eq(ctl_request_format(&r, buf, sizeof(buf)), -EINVAL); /* empty name */
	strcpy(r.name, "a b");
	ck_assert_int_eq(ctl_request_format(&r, buf, sizeof(buf)), -EINVAL);
	r.cmd = CTL_CMD_LOG_LEVEL;
	r.level = (enum ctl_log_level)9;
	ck_assert_int_eq(ctl_request_format(&r, buf, sizeof(buf)), -EINVAL);
	r.level = CTL_LOG_INFO;
	r.module = (enum ctl_log_module)99;
	ck_assert_int_eq(ctl_request_format(&r, buf, sizeof(buf)), -EINVAL);
	r.cmd = (enum ctl_cmd)77;
	ck_assert_int_eq(ctl_request_format(&r, buf, sizeof(buf)), -EINVAL);
}
END_TEST

/* ---- response headers ---- */

struct hdr_vec {
	const char *in;
	enum ctl_code rc;
	enum ctl_code code;
	size_t body_len;
	size_t header_len;
};

static const struct hdr_vec hdr_vecs[] = {
	{ "OK 0\n", CTL_OK, CTL_OK, 0, 5 },
	{ "OK 1234\n{\"schema\":1}", CTL_OK, CTL_OK, 1234, 8 },
	{ "OK 16777216\n", CTL_OK, CTL_OK, 16777216, 12 },
	{ "ERR 40 27\nno such connection: x", CTL_OK, CTL_E_NO_SUCH_CONN, 27, 10 },
	{ "ERR 999 0\n", CTL_OK, (enum ctl_code)999, 0, 10 },
	{ "OK 16777217\n", CTL_E_BAD_RESPONSE, CTL_OK, 0, 0 },
	{ "OK 012\n", CTL_E_BAD_RESPONSE, CTL_OK, 0, 0 },
	{ "OK -1\n", CTL_E_BAD_RESPONSE, CTL_OK, 0, 0 },
	{ "OK 12 \n", CTL_E_BAD_RESPONSE, CTL_OK, 0, 0 },
	{ "OK\n", CTL_E_BAD_RESPONSE, CTL_OK, 0, 0 },
	{ "ok 1\n", CTL_E_BAD_RESPONSE, CTL_OK, 0, 0 },
	{ "ERR 0 5\n", CTL_E_BAD_RESPONSE, CTL_OK, 0, 0 },
	{ "ERR 1 5\n", CTL_E_BAD_RESPONSE, CTL_OK, 0, 0 },
	{ "ERR 1000 5\n", CTL_E_BAD_RESPONSE, CTL_OK, 0, 0 },
	{ "ERR 40\n", CTL_E_BAD_RESPONSE, CTL_OK, 0, 0 },
	{ "ERR 40  5\n", CTL_E_BAD_RESPONSE, CTL_OK, 0, 0 },
	{ "OK 99999999999999999999999\n", CTL_E_BAD_RESPONSE, CTL_OK, 0, 0 },
	{ "OK 12", CTL_E_INCOMPLETE, CTL_OK, 0, 0 },
	{ "", CTL_E_INCOMPLETE, CTL_OK, 0, 0 },
	{ "OK 1111111111111111111111111111111", CTL_E_BAD_RESPONSE, CTL_OK, 0,
	  0 }, /* 32 bytes, no '\n' */
};

START_TEST(test_header_parse)
{
	const struct hdr_vec *v = &hdr_vecs[_i];
	enum ctl_code code = 12345;
	size_t body = 7, hl = 7;

	ck_assert_int_eq(ctl_response_header_parse(v->in, strlen(v->in), &code, &body, &hl), v->rc);
	if (v->rc != CTL_OK)
		return;
	ck_assert_int_eq(code, v->code);
	ck_assert_uint_eq(body, v->body_len);
	ck_assert_uint_eq(hl, v->header_len);
}
END_TEST

START_TEST(test_header_format)
{
	char buf[CTL_HEADER_MAX];
	enum ctl_code code;
	size_t body, hl;
	ssize_t n;

	n = ctl_response_header_format(buf, sizeof(buf), CTL_OK, 42);
	ck_assert_int_eq(n, 6);
	ck_assert_mem_eq(buf, "OK 42\n", 6);
	n = ctl_response_header_format(buf, sizeof(buf), CTL_E_RELOAD_FAILED, CTL_BODY_MAX);
	ck_assert_int_eq(n, 16);
	ck_assert_mem_eq(buf, "ERR 42 16777216\n", 16);
	ck_assert_int_eq(ctl_response_header_parse(buf, (size_t)n, &code, &body, &hl), CTL_OK);
	ck_assert_int_eq(code, CTL_E_RELOAD_FAILED);
	ck_assert_uint_eq(body, CTL_BODY_MAX);
	ck_assert_int_eq(ctl_response_header_format(buf, sizeof(buf), CTL_OK, CTL_BODY_MAX + 1),
			 -EINVAL);
	ck_assert_int_eq(ctl_response_header_format(buf, sizeof(buf), CTL_E_INCOMPLETE, 0),
			 -EINVAL);
	ck_assert_int_eq(ctl_response_header_format(buf, 5, CTL_OK, 42), -ENOSPC);
	ck_assert_int_eq(ctl_response_header_format(buf, 6, CTL_OK, 42), 6);
}
END_TEST

struct code_vec {
	enum ctl_code code;
	int number;
	const char *name;
};

/* The numbers are wire protocol: this table pins them. */
static const struct code_vec code_vecs[] = {
	{ CTL_OK, 0, "ok" },
	{ CTL_E_TOO_LONG, 10, "too-long" },
	{ CTL_E_BAD_BYTE, 11, "bad-byte" },
	{ CTL_E_BAD_SPACING, 12, "bad-spacing" },
	{ CTL_E_EMPTY, 13, "empty" },
	{ CTL_E_TRAILING_DATA, 14, "trailing-data" },
	{ CTL_E_BAD_VERSION, 15, "bad-version" },
	{ CTL_E_UNKNOWN_COMMAND, 20, "unknown-command" },
	{ CTL_E_MISSING_ARGUMENT, 21, "missing-argument" },
	{ CTL_E_EXTRA_ARGUMENT, 22, "extra-argument" },
	{ CTL_E_BAD_OPTION, 23, "bad-option" },
	{ CTL_E_BAD_NAME, 24, "bad-name" },
	{ CTL_E_BAD_LEVEL, 25, "bad-level" },
	{ CTL_E_BAD_MODULE, 26, "bad-module" },
	{ CTL_E_BAD_PEER, 27, "bad-peer" },
	{ CTL_E_NO_SUCH_CONN, 40, "no-such-connection" },
	{ CTL_E_BUSY, 41, "busy" },
	{ CTL_E_RELOAD_FAILED, 42, "reload-failed" },
	{ CTL_E_NO_SUCH_PEER, 43, "no-such-peer" },
	{ CTL_E_INTERNAL, 50, "internal" },
	{ CTL_E_BAD_RESPONSE, 60, "bad-response" },
	{ (enum ctl_code)77, 77, "unknown" },
};

START_TEST(test_codes)
{
	const struct code_vec *v = &code_vecs[_i];

	ck_assert_int_eq((int)v->code, v->number);
	ck_assert_str_eq(ctl_code_name(v->code), v->name);
	ck_assert_ptr_nonnull(ctl_code_message(v->code));
}
END_TEST

/* ---- JSON ---- */

struct esc_vec {
	const char *in;
	size_t len;
	const char *out;
};

/* Valid-UTF-8 expectations equal Python's json.dumps(s, ensure_ascii=False)
 * (which also escapes control characters as \u00XX, lower-case hex), except
 * DEL, which natkeyd escapes as well; the ill-formed cases follow Unicode's
 * table 3-7 (one U+FFFD per byte that starts no well-formed sequence). */
static const struct esc_vec esc_vecs[] = {
	{ "plain", 5, "\"plain\"" },
	{ "", 0, "\"\"" },
	{ "q\"b\\s/", 6, "\"q\\\"b\\\\s/\"" },
	{ "\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"" },
	{ "\x01\x1f", 2, "\"\\u0001\\u001f\"" },
	{ "a\0b", 3, "\"a\\u0000b\"" },
	{ "\x7f", 1, "\"\\u007f\"" },
	{ "caf\xc3\xa9", 5, "\"caf\xc3\xa9\"" },
	{ "\xe2\x82\xac", 3, "\"\xe2\x82\xac\"" },
	{ "\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"" },
	{ "\xf4\x8f\xbf\xbf", 4, "\"\xf4\x8f\xbf\xbf\"" }, /* U+10FFFF */
	{ "\xef\xbf\xbd", 3, "\"\xef\xbf\xbd\"" },	   /* U+FFFD itself */
	{ "\xe2\x80\xa8", 3, "\"\xe2\x80\xa8\"" },	   /* U+2028 */
	{ "\xc3", 1, "\"\\ufffd\"" },			   /* truncated */
	{ "\xc3(", 2, "\"\\ufffd(\"" },
	{ "\xc0\xaf", 2, "\"\\ufffd\\ufffd\"" },		       /* overlong '/' */
	{ "\xe0\x80\xaf", 3, "\"\\ufffd\\ufffd\\ufffd\"" },	       /* overlong */
	{ "\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"" },	       /* surrogate D800 */
	{ "\xf4\x90\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* > U+10FFFF */
	{ "\xf5\x80", 2, "\"\\ufffd\\ufffd\"" },
	{ "\xff\xfe", 2, "\"\\ufffd\\ufffd\"" },
	{ "\x80", 1, "\"\\ufffd\"" },
	{ "\xe2\x82", 2, "\"\\ufffd\\ufffd\"" },
};

START_TEST(test_json_escape)
{
	const struct esc_vec *v = &esc_vecs[_i];
	char buf[128];
	struct ctl_json j;
	ssize_t n;

	ctl_json_init(&j, buf, sizeof(buf));
	ctl_json_string_len(&j, v->in, v->len);
	n = ctl_json_finish(&j);
	ck_assert_int_eq(n, (ssize_t)strlen(v->out));
	ck_assert_str_eq(buf, v->out);
}
END_TEST

START_TEST(test_json_structure)
{
	char buf[256];
	struct ctl_json j;

	ctl_json_init(&j, buf, sizeof(buf));
	ctl_json_object_begin(&j);
	ctl_json_key(&j, "a\"k");
	ctl_json_array_begin(&j);
	ctl_json_uint(&j, 18446744073709551615ull);
	ctl_json_int(&j, -9223372036854775807ll - 1);
	ctl_json_bool(&j, true);
	ctl_json_bool(&j, false);
	ctl_json_null(&j);
	ctl_json_string(&j, NULL);
	ctl_json_object_begin(&j);
	ctl_json_object_end(&j);
	ctl_json_array_begin(&j);
	ctl_json_array_end(&j);
	ctl_json_array_end(&j);
	ctl_json_key(&j, "b");
	ctl_json_string(&j, "x");
	ctl_json_object_end(&j);
	ck_assert_int_gt(ctl_json_finish(&j), 0);
	ck_assert_str_eq(buf, "{\"a\\\"k\":[18446744073709551615,-9223372036854775808,true,false,"
			      "null,null,{},[]],\"b\":\"x\"}");
}
END_TEST

START_TEST(test_json_misuse)
{
	char buf[64];
	struct ctl_json j;
	int i;

	ctl_json_init(&j, buf, sizeof(buf)); /* nothing written */
	ck_assert_int_eq(ctl_json_finish(&j), -EINVAL);

	ctl_json_init(&j, buf, sizeof(buf)); /* unbalanced */
	ctl_json_object_begin(&j);
	ck_assert_int_eq(ctl_json_finish(&j), -EINVAL);

	ctl_json_init(&j, buf, sizeof(buf)); /* value without key */
	ctl_json_object_begin(&j);
	ctl_json_uint(&j, 1);
	ctl_json_object_end(&j);
	ck_assert_int_eq(ctl_json_finish(&j), -EINVAL);

	ctl_json_init(&j, buf, sizeof(buf)); /* key without value */
	ctl_json_object_begin(&j);
	ctl_json_key(&j, "k");
	ctl_json_object_end(&j);
	ck_assert_int_eq(ctl_json_finish(&j), -EINVAL);

	ctl_json_init(&j, buf, sizeof(buf)); /* key in an array */
	ctl_json_array_begin(&j);
	ctl_json_key(&j, "k");
	ctl_json_array_end(&j);
	ck_assert_int_eq(ctl_json_finish(&j), -EINVAL);

	ctl_json_init(&j, buf, sizeof(buf)); /* mismatched close */
	ctl_json_array_begin(&j);
	ctl_json_object_end(&j);
	ck_assert_int_eq(ctl_json_finish(&j), -EINVAL);

	ctl_json_init(&j, buf, sizeof(buf)); /* two documents */
	ctl_json_uint(&j, 1);
	ctl_json_uint(&j, 2);
	ck_assert_int_eq(ctl_json_finish(&j), -EINVAL);

	ctl_json_init(&j, buf, sizeof(buf)); /* too deep */
	for (i = 0; i < (int)CTL_JSON_DEPTH_MAX + 1; i++)
		ctl_json_array_begin(&j);
	for (i = 0; i < (int)CTL_JSON_DEPTH_MAX + 1; i++)
		ctl_json_array_end(&j);
	ck_assert_int_eq(ctl_json_finish(&j), -EINVAL);

	ctl_json_init(&j, buf, 8); /* "\"abcdef\"" needs 8 + NUL */
	ctl_json_string(&j, "abcdef");
	ck_assert_int_eq(ctl_json_finish(&j), -ENOSPC);
	ctl_json_init(&j, buf, 9);
	ctl_json_string(&j, "abcdef");
	ck_assert_int_eq(ctl_json_finish(&j), 8);
	ctl_json_init(&j, buf, 0);
	ctl_json_null(&j);
	ck_assert_int_eq(ctl_json_finish(&j), -ENOSPC);
}
END_TEST

/* The schema documented in natkeyctl(8): a gateway connection with two road
 * warriors behind one NAT (same address, ports 40001 and 40002) and one
 * IPsec SA each, and a connection that is down. The expected text was
 * checked with python3 -c 'import json,sys; json.loads(sys.stdin.read())'. */
static const char status_expected[] =
	"{\"schema\":1,"
	"\"daemon\":{\"version\":\"0.1.0\",\"pid\":4242,\"uptime_s\":3600,"
	"\"config\":\"/etc/ipsec.conf\"},"
	"\"connections\":["
	"{\"name\":\"hq-rw\",\"state\":\"up\",\"auto\":\"add\","
	"\"local\":{\"address\":\"192.0.2.1\",\"port\":4500,\"id\":\"@gw.hq.example\"},"
	"\"remote\":{\"address\":\"198.51.100.7\",\"port\":40002,\"id\":\"%any\"},"
	"\"nat\":{\"method\":\"rfc3947\",\"local_behind_nat\":false,\"remote_behind_nat\":true,"
	"\"keepalive_s\":0},"
	"\"ike_sas\":["
	"{\"initiator_cookie\":\"0123456789abcdef\","
	"\"responder_cookie\":\"fedcba9876543210\",\"state\":\"MAIN_R3\","
	"\"exchange\":\"main\",\"role\":\"responder\","
	"\"proposal\":\"aes256-sha256-modp2048\",\"age_s\":120,\"rekey_in_s\":0,"
	"\"expire_in_s\":3480,\"serial\":7,\"established\":true,"
	"\"local\":{\"address\":\"192.0.2.1\",\"port\":4500},"
	"\"remote\":{\"address\":\"198.51.100.7\",\"port\":40002,\"id\":\"@rw2.example\"},"
	"\"floated\":true,"
	"\"nat\":{\"method\":\"rfc3947\",\"local_behind_nat\":false,\"remote_behind_nat\":true,"
	"\"keepalive_s\":0},\"xauth_user\":\"alice\",\"virtual_ip\":\"10.3.0.1\"},"
	"{\"initiator_cookie\":\"0000000000000001\","
	"\"responder_cookie\":\"0000000000000000\",\"state\":\"AGGR_R1\","
	"\"exchange\":\"aggressive\",\"role\":\"responder\","
	"\"proposal\":\"\",\"age_s\":0,\"rekey_in_s\":0,\"expire_in_s\":null,"
	"\"serial\":3,\"established\":false,"
	"\"local\":{\"address\":\"192.0.2.1\",\"port\":500},"
	"\"remote\":{\"address\":\"198.51.100.7\",\"port\":40001,\"id\":null},"
	"\"floated\":false,"
	"\"nat\":{\"method\":\"draft-ietf-ipsec-nat-t-ike-02\",\"local_behind_nat\":true,"
	"\"remote_behind_nat\":true,\"keepalive_s\":20}}],"
	"\"child_sas\":["
	"{\"spi_in\":\"c0ffee01\",\"spi_out\":\"0000beef\",\"mode\":\"tunnel\","
	"\"udp_encap\":true,\"proposal\":\"aes256gcm16-modp2048\",\"bytes_in\":1000,"
	"\"bytes_out\":2000,\"packets_in\":10,\"packets_out\":20,\"age_s\":60,"
	"\"rekey_in_s\":3000,\"expire_in_s\":3100,\"ike_sa\":7,"
	"\"local\":{\"address\":\"192.0.2.1\",\"port\":4500},"
	"\"remote\":{\"address\":\"198.51.100.7\",\"port\":40002}},"
	"{\"spi_in\":\"00000100\",\"spi_out\":\"ffffffff\",\"mode\":\"transport\","
	"\"udp_encap\":false,\"proposal\":\"aes128-sha1\",\"bytes_in\":18446744073709551615,"
	"\"bytes_out\":0,\"packets_in\":0,\"packets_out\":0,\"age_s\":4294967295,"
	"\"rekey_in_s\":0,\"expire_in_s\":null,\"ike_sa\":null,"
	"\"local\":{\"address\":null,\"port\":0},"
	"\"remote\":{\"address\":\"2001:db8::1\",\"port\":500}}],"
	"\"truncated\":true,\"ike_sas_total\":300,\"child_sas_total\":600,"
	"\"last_error\":\"AUTH_FAILED: no PSK\\u001b[0m\"},"
	"{\"name\":\"rw\",\"state\":\"down\",\"auto\":\"add\","
	"\"local\":{\"address\":null,\"port\":0,\"id\":null},"
	"\"remote\":{\"address\":null,\"port\":0,\"id\":\"we\\\"ird\\n\"},"
	"\"nat\":{\"method\":\"none\",\"local_behind_nat\":false,\"remote_behind_nat\":false,"
	"\"keepalive_s\":0},\"ike_sas\":[],\"child_sas\":[],\"truncated\":false,"
	"\"ike_sas_total\":0,\"child_sas_total\":0,\"last_error\":null}"
	"]}";

static void status_fill(struct ctl_status_view *st, struct ctl_conn_view *c,
			struct ctl_ike_sa_view *ike, struct ctl_child_sa_view *child)
{
	static const uint8_t ci[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	static const uint8_t cr[8] = { 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 };

	memset(ike, 0, 2 * sizeof(*ike));
	ike[0].serial = 7;
	memcpy(ike[0].cookie_i, ci, 8);
	memcpy(ike[0].cookie_r, cr, 8);
	ike[0].state = "MAIN_R3";
	ike[0].established = true;
	ike[0].exchange = "main";
	ike[0].local = (struct ctl_endpoint_view){ "192.0.2.1", 4500 };
	ike[0].remote = (struct ctl_endpoint_view){ "198.51.100.7", 40002 };
	ike[0].remote_id = "@rw2.example";
	ike[0].floated = true;
	ike[0].nat_method = "rfc3947";
	ike[0].remote_behind_nat = true;
	ike[0].proposal = "aes256-sha256-modp2048";
	ike[0].age_s = 120;
	ike[0].expires = true;
	ike[0].expire_in_s = 3480;
	ike[0].xauth_user = "alice"; /* XAUTH + Mode Config (issue 16) */
	ike[0].virtual_ip = "10.3.0.1";
	ike[1].serial = 3;
	ike[1].cookie_i[7] = 1;
	ike[1].state = "AGGR_R1";
	ike[1].exchange = "aggressive";
	ike[1].local = (struct ctl_endpoint_view){ "192.0.2.1", 500 };
	ike[1].remote = (struct ctl_endpoint_view){ "198.51.100.7", 40001 };
	ike[1].nat_method = "draft-ietf-ipsec-nat-t-ike-02";
	ike[1].local_behind_nat = ike[1].remote_behind_nat = true;
	ike[1].keepalive_s = 20;
	ike[1].proposal = "";
	child[0] = (struct ctl_child_sa_view){
		.spi_in = 0xc0ffee01,
		.spi_out = 0xbeef,
		.ike_serial = 7,
		.mode = "tunnel",
		.udp_encap = true,
		.local = { "192.0.2.1", 4500 },
		.remote = { "198.51.100.7", 40002 },
		.proposal = "aes256gcm16-modp2048",
		.bytes_in = 1000,
		.bytes_out = 2000,
		.packets_in = 10,
		.packets_out = 20,
		.age_s = 60,
		.rekey_in_s = 3000,
		.rekey_planned = true,
		.expires = true,
		.expire_in_s = 3100, /* text: shown only when no rekey is planned */
	};
	child[1] = (struct ctl_child_sa_view){
		.spi_in = 0x100,
		.spi_out = UINT32_MAX,
		.mode = "transport",
		.remote = { "2001:db8::1", 500 },
		.proposal = "aes128-sha1",
		.bytes_in = UINT64_MAX,
		.age_s = UINT32_MAX,
	};
	memset(c, 0, 2 * sizeof(*c));
	c[0].name = "hq-rw";
	c[0].state = "up";
	c[0].autostart = "add";
	c[0].local_addr = "192.0.2.1";
	c[0].local_port = 4500;
	c[0].local_id = "@gw.hq.example";
	c[0].remote_addr = "198.51.100.7";
	c[0].remote_port = 40002;
	c[0].remote_id = "%any";
	c[0].nat_method = "rfc3947";
	c[0].remote_behind_nat = true;
	c[0].ike_sas = ike;
	c[0].n_ike_sas = 2;
	c[0].child_sas = child;
	c[0].n_child_sas = 2;
	c[0].truncated = true;
	c[0].ike_sas_total = 300;
	c[0].child_sas_total = 600;
	c[0].last_error = "AUTH_FAILED: no PSK\x1b[0m";
	c[1].name = "rw";
	c[1].state = "down";
	c[1].autostart = "add";
	c[1].remote_id = "we\"ird\n";
	st->version = "0.1.0";
	st->pid = 4242;
	st->uptime_s = 3600;
	st->config_file = "/etc/ipsec.conf";
	st->conns = c;
	st->n_conns = 2;
}

START_TEST(test_status_json)
{
	struct ctl_status_view st;
	struct ctl_conn_view c[2];
	struct ctl_ike_sa_view ike[2];
	struct ctl_child_sa_view child[2];
	char buf[8192];
	ssize_t n;

	status_fill(&st, c, ike, child);
	n = ctl_status_write_json(&st, buf, sizeof(buf));
	ck_assert_int_eq(n, (ssize_t)strlen(status_expected));
	ck_assert_str_eq(buf, status_expected);
	ck_assert_int_eq(ctl_status_write_json(&st, buf, (size_t)n), -ENOSPC);
	ck_assert_int_eq(ctl_status_write_json(&st, buf, (size_t)n + 1), n);
	st.n_conns = 0;
	ck_assert_int_gt(ctl_status_write_json(&st, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "{\"schema\":1,\"daemon\":{\"version\":\"0.1.0\",\"pid\":4242,"
			      "\"uptime_s\":3600,\"config\":\"/etc/ipsec.conf\"},"
			      "\"connections\":[]}");
}
END_TEST

/* The same view as text (ctl_status_write_text), lines written by hand from
 * status_fill(): one line per IKE SA with its own endpoints, NAT facts and
 * IPsec SAs, the orphan IPsec SA on a line of its own, the truncation note,
 * the connection without SAs on its configured endpoints. */
static const char status_text_expected[] =
	"hq-rw: up, auto=add, 192.0.2.1:4500 -> 198.51.100.7:40002, NAT: peer (RFC 3947), "
	"ESP-in-UDP aes256gcm16-modp2048, SPIs in c0ffee01 out 0000beef, bytes in 1000 out 2000, "
	"age 60s, rekey in 3000s, user alice, virtual IP 10.3.0.1, IKE #7 MAIN_R3 main responder "
	"peer @rw2.example "
	"aes256-sha256-modp2048 age 120s expires in 3480s\n"
	"hq-rw: up, auto=add, 192.0.2.1:500 -> 198.51.100.7:40001, "
	"NAT: both (draft-ietf-ipsec-nat-t-ike-02), keepalive 20s, IKE #3 AGGR_R1 aggressive "
	"responder, last error: AUTH_FAILED: no PSK?[0m\n"
	"hq-rw: up, auto=add, %any -> [2001:db8::1]:500, NAT: unknown, ESP aes128-sha1, "
	"SPIs in 00000100 out ffffffff, bytes in 18446744073709551615 out 0, age 4294967295s\n"
	"hq-rw: more SAs than shown here (300 IKE SAs, 600 IPsec SAs in all)\n"
	"rw: down, auto=add, %any -> %any, NAT: unknown\n";

/* One overflow rule for every appended text (status text, daemon bodies):
 * a piece that does not fit whole is not written, nor anything after it. */
START_TEST(test_buf_overflow)
{
	char mem[12];
	struct ctl_buf b = { .buf = mem, .cap = sizeof(mem) };

	ctl_buf_put(&b, "%s", "hello ");
	ck_assert_uint_eq(b.len, 6);
	ck_assert(!b.overflow);
	ctl_buf_put(&b, "%s", "world!"); /* 6 + 6 + NUL does not fit 12 */
	ck_assert(b.overflow);
	ck_assert_uint_eq(b.len, 6);
	ck_assert_str_eq(mem, "hello ");
	ctl_buf_put(&b, "%s", "x"); /* would fit, but the text already ended */
	ck_assert_uint_eq(b.len, 6);
	ck_assert_str_eq(mem, "hello ");
}
END_TEST

START_TEST(test_status_text)
{
	struct ctl_status_view st;
	struct ctl_conn_view c[2];
	struct ctl_ike_sa_view ike[2];
	struct ctl_child_sa_view child[2];
	char buf[4096];
	ssize_t n;
	size_t cut;

	status_fill(&st, c, ike, child);
	n = ctl_status_write_text(&st, buf, sizeof(buf));
	ck_assert_int_eq(n, (ssize_t)strlen(status_text_expected));
	ck_assert_str_eq(buf, status_text_expected);
	/* One byte short (no room for the NUL): cut after the last whole line. */
	ck_assert_int_eq(ctl_status_write_text(&st, buf, (size_t)n), -ENOSPC);
	cut = strlen(status_text_expected) -
	      strlen("rw: down, auto=add, %any -> %any, NAT: unknown\n");
	ck_assert_uint_eq(strlen(buf), cut);
	ck_assert_int_eq(strncmp(buf, status_text_expected, cut), 0);
	ck_assert_int_eq(ctl_status_write_text(&st, buf, 10), -ENOSPC);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(ctl_status_write_text(&st, buf, 0), -ENOSPC);
	st.n_conns = 0;
	ck_assert_int_eq(ctl_status_write_text(&st, buf, sizeof(buf)), 22);
	ck_assert_str_eq(buf, "no connections loaded\n");
}
END_TEST

/* ---- natkeyctl nat ---- */

static void nat_fill(struct ctl_nat_view *v, struct ctl_nat_remap_view *h,
		     struct ctl_nat_peer_view *p)
{
	memset(v, 0, sizeof(*v));
	memset(h, 0, 2 * sizeof(*h));
	h[0].ago_s = 300;
	h[0].old_ep = "203.0.113.7:4500";
	h[0].new_ep = "203.0.113.7:41000";
	h[0].idle_s = 45;
	h[1].ago_s = 12;
	h[1].old_ep = "203.0.113.7:41000";
	h[1].new_ep = "203.0.113.7:41002";
	h[1].esp = true;
	v->peer_nat = "translated";
	v->port_preserved = "no";
	v->split_nat = "no";
	v->cgn = true;
	v->leg_500 = "203.0.113.7:1024";
	v->leg_4500 = "203.0.113.7:1025";
	v->binding_s = 45;
	v->have_last_auth = true;
	v->last_auth_ago_s = 12;
	v->mapping_changes = 9;
	v->history = h;
	v->n_history = 2;
	v->audit = "no-keepalive";
	v->diagnosis = "behind NAT, port not preserved, NAT rebinds after ~45 s idle and the peer "
		       "sends no keepalives: tunnel will break when idle; set keep_alive<45 on the "
		       "client; CGN likely (100.64/10)";
	memset(p, 0, sizeof(*p));
	p->conn = "rw";
	p->serial = 7;
	p->peer = "203.0.113.7:41002";
	p->id = "@rw\x1b.example";
	p->nat = v;
}

static const char nat_json_expected[] =
	"{\"conn\":\"rw\",\"serial\":7,\"peer\":\"203.0.113.7:41002\",\"id\":\"@rw\\u001b.example\","
	"\"nat\":{\"peer_nat\":\"translated\",\"local_behind_nat\":false,\"port_preserved\":\"no\","
	"\"split_nat\":\"no\",\"cgn_likely\":true,\"first_500_from\":\"203.0.113.7:1024\","
	"\"first_4500_from\":\"203.0.113.7:1025\",\"natoa\":null,\"binding_lifetime_s\":45,"
	"\"last_authenticated_s_ago\":12,\"keepalives\":0,\"keepalive_interval_s\":null,"
	"\"last_keepalive_s_ago\":null,\"mapping_changes\":9,\"history\":["
	"{\"s_ago\":300,\"from\":\"203.0.113.7:4500\",\"to\":\"203.0.113.7:41000\",\"idle_s\":45,"
	"\"by\":\"ike\"},"
	"{\"s_ago\":12,\"from\":\"203.0.113.7:41000\",\"to\":\"203.0.113.7:41002\",\"idle_s\":null,"
	"\"by\":\"esp\"}],"
	"\"audit\":\"no-keepalive\",\"diagnosis\":\"behind NAT, port not preserved, NAT rebinds "
	"after ~45 s idle and the peer sends no keepalives: tunnel will break when idle; set "
	"keep_alive<45 on the client; CGN likely (100.64/10)\"}}";

START_TEST(test_nat_json)
{
	struct ctl_nat_view v;
	struct ctl_nat_remap_view h[2];
	struct ctl_nat_peer_view p;
	struct ctl_json j;
	char buf[4096];

	nat_fill(&v, h, &p);
	ctl_json_init(&j, buf, sizeof(buf));
	ctl_nat_json_peer(&j, &p);
	ck_assert_int_eq(ctl_json_finish(&j), (ssize_t)strlen(nat_json_expected));
	ck_assert_str_eq(buf, nat_json_expected);
}
END_TEST

/* The table: the row, the diagnosis, the changes newest first; a peer's
 * control bytes never reach the terminal. */
static const char nat_text_expected[] =
	"CONN         IKE    PEER                       ID                   NAT        PORTS SPLIT "
	"CGN  KEEPALIVES         BINDING   LAST-AUTH CHANGES\n"
	"rw           #7     203.0.113.7:41002          @rw?.example         translated new   no    "
	"yes  0                  <=45 s    12 s ago  9\n"
	"  behind NAT, port not preserved, NAT rebinds after ~45 s idle and the peer sends no "
	"keepalives: tunnel will break when idle; set keep_alive<45 on the client; CGN likely "
	"(100.64/10)\n"
	"    12 s ago: 203.0.113.7:41000 -> 203.0.113.7:41002 (ESP)\n"
	"    5 min ago: 203.0.113.7:4500 -> 203.0.113.7:41000 after 45 s idle (IKE)\n";

START_TEST(test_nat_text)
{
	struct ctl_nat_view v;
	struct ctl_nat_remap_view h[2];
	struct ctl_nat_peer_view p;
	char mem[2048];
	struct ctl_buf b = { .buf = mem, .cap = sizeof(mem) };

	nat_fill(&v, h, &p);
	ctl_nat_text_header(&b);
	ctl_nat_text_peer(&b, &p);
	ck_assert(!b.overflow);
	ck_assert_str_eq(mem, nat_text_expected);
	/* Keepalives with an interval, no binding, no identity. */
	b.len = 0;
	mem[0] = '\0';
	v.keepalives = 31;
	v.keepalive_interval_s = 20;
	v.binding_s = 0;
	v.n_history = 0;
	v.cgn = false;
	v.port_preserved = "yes";
	v.split_nat = "unknown";
	v.diagnosis = "behind NAT, port preserved, keepalive every 20 s: fine";
	p.id = NULL;
	ctl_nat_text_peer(&b, &p);
	ck_assert_str_eq(mem, "rw           #7     203.0.113.7:41002          -                    "
			      "translated kept  ?     no   31 every 20 s      -         12 s ago  "
			      "9\n  behind NAT, port preserved, keepalive every 20 s: fine\n");
}
END_TEST

/* status --json: an IKE SA's "nat" object carries the facts. */
START_TEST(test_status_json_nat_facts)
{
	struct ctl_status_view st;
	struct ctl_conn_view c[2];
	struct ctl_ike_sa_view ike[2];
	struct ctl_child_sa_view child[2];
	struct ctl_nat_view v;
	struct ctl_nat_remap_view h[2];
	struct ctl_nat_peer_view p;
	char buf[16384];
	const char *facts, *want;

	status_fill(&st, c, ike, child);
	nat_fill(&v, h, &p);
	ike[0].nat = &v;
	ck_assert_int_gt(ctl_status_write_json(&st, buf, sizeof(buf)), 0);
	/* The facts object as nat --json writes it, after keepalive_s. */
	want = strstr(nat_json_expected, "\"nat\":{") + strlen("\"nat\":");
	facts = strstr(buf, "\"keepalive_s\":0,\"facts\":{");
	ck_assert_ptr_nonnull(facts);
	facts += strlen("\"keepalive_s\":0,\"facts\":");
	ck_assert_int_eq(strncmp(facts, want, strlen(want) - 1), 0);
	/* Only that SA has them. */
	ck_assert_ptr_null(strstr(facts + 1, "\"facts\""));
}
END_TEST

#define LOOP(tc, fn, table)                                                                        \
	tcase_add_loop_test(tc, fn, 0, (int)(sizeof(table) / sizeof((table)[0])))

int main(void)
{
	Suite *s = suite_create("ctl_proto");
	TCase *tc = tcase_create("ctl");
	SRunner *sr;
	int failed;

	LOOP(tc, test_request_parse, req_vecs);
	LOOP(tc, test_request_round_trip, req_vecs);
	LOOP(tc, test_request_down_peer, peer_vecs);
	LOOP(tc, test_header_parse, hdr_vecs);
	LOOP(tc, test_codes, code_vecs);
	LOOP(tc, test_json_escape, esc_vecs);
	tcase_add_test(tc, test_request_limits);
	tcase_add_test(tc, test_request_format_invalid);
	tcase_add_test(tc, test_header_format);
	tcase_add_test(tc, test_json_structure);
	tcase_add_test(tc, test_json_misuse);
	tcase_add_test(tc, test_status_json);
	tcase_add_test(tc, test_status_text);
	tcase_add_test(tc, test_buf_overflow);
	tcase_add_test(tc, test_nat_json);
	tcase_add_test(tc, test_nat_text);
	tcase_add_test(tc, test_status_json_nat_facts);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
