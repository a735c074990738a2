// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The natcheck state file (natt/natcheck_state.*): format -> parse round
 * trips (IPv4, IPv6, unknown lifetime, every class), the result -> state
 * rule (only a measured lifetime), and every malformed case as a table.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "natt/natcheck_state.h"
#include "tests/lib/natt_test.h"

static void sa4(struct sockaddr_storage *ss, const char *a, uint16_t port)
{
	struct sockaddr_in *s = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	s->sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, a, &s->sin_addr), 1);
	s->sin_port = htons(port);
}

static void sa6(struct sockaddr_storage *ss, const char *a, uint16_t port)
{
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	s->sin6_family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, a, &s->sin6_addr), 1);
	s->sin6_port = htons(port);
}

static void state_v4(struct natcheck_state *s)
{
	memset(s, 0, sizeof(*s));
	s->time = 1796633700;
	sa4(&s->server, "192.0.2.1", 3478);
	sa4(&s->source, "10.0.0.2", 0);
	s->mapping = NATCHECK_CLASS_EI;
	s->filtering = NATCHECK_CLASS_AD;
	s->lifetime_ms = 90000;
}

static const char good_v4[] = "# natkeyctl natcheck --save (natkeyctl(8)); read by natkeyd for "
			      "nat_binding_lifetime=natcheck\n"
			      "version=1\n"
			      "time=1796633700\n"
			      "server=192.0.2.1:3478\n"
			      "source=10.0.0.2\n"
			      "mapping=endpoint-independent\n"
			      "filtering=address-dependent\n"
			      "lifetime_ms=90000\n";

static bool same_state(const struct natcheck_state *a, const struct natcheck_state *b)
{
	return a->time == b->time && !memcmp(&a->server, &b->server, sizeof(a->server)) &&
	       !memcmp(&a->source, &b->source, sizeof(a->source)) && a->mapping == b->mapping &&
	       a->filtering == b->filtering && a->lifetime_ms == b->lifetime_ms;
}

START_TEST(test_format_exact)
{
	struct natcheck_state s;
	char buf[NATCHECK_STATE_MAX + 1];

	state_v4(&s);
	ck_assert_uint_eq(natcheck_state_format(&s, buf, sizeof(buf)), strlen(good_v4));
	ck_assert_str_eq(buf, good_v4);
	/* too small a buffer: nothing */
	ck_assert_uint_eq(natcheck_state_format(&s, buf, 40), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

/* Round trips: every class on both sides, both families, unknown lifetime. */
START_TEST(test_round_trip)
{
	static const enum natcheck_class cl[] = { NATCHECK_CLASS_UNKNOWN, NATCHECK_CLASS_EI,
						  NATCHECK_CLASS_AD, NATCHECK_CLASS_APD };
	struct natcheck_state s, p;
	char buf[NATCHECK_STATE_MAX + 1], why[200];
	size_t n;

	for (int fam = 0; fam < 2; fam++)
		for (size_t m = 0; m < 4; m++)
			for (size_t f = 0; f < 4; f++) {
				state_v4(&s);
				if (fam) {
					sa6(&s.server, "2001:db8::1", 3478);
					sa6(&s.source, "2001:db8:1::2", 0);
				}
				s.mapping = cl[m];
				s.filtering = cl[f];
				s.lifetime_ms = (m + f) % 3 == 0 ? 0
						: m == 1	 ? NATCHECK_STATE_LIFE_MIN_MS
								 : NATCHECK_STATE_LIFE_MAX_MS;
				n = natcheck_state_format(&s, buf, sizeof(buf));
				ck_assert_uint_gt(n, 0);
				ck_assert_int_eq(natcheck_state_parse(buf, n, &p, why, sizeof(why)),
						 0);
				ck_assert_msg(same_state(&s, &p), "round trip differs: %s", buf);
			}
	/* the v6 server is bracketed, an unknown lifetime is the word */
	state_v4(&s);
	sa6(&s.server, "2001:db8::1", 3478);
	sa6(&s.source, "2001:db8:1::2", 0);
	s.lifetime_ms = 0;
	ck_assert_uint_gt(natcheck_state_format(&s, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "\nserver=[2001:db8::1]:3478\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\nlifetime_ms=unknown\n"));
}
END_TEST

/* What cannot be written is not: no file the reader would refuse. */
START_TEST(test_format_refuses)
{
	struct natcheck_state s;
	char buf[NATCHECK_STATE_MAX + 1];

	state_v4(&s);
	s.lifetime_ms = NATCHECK_STATE_LIFE_MIN_MS - 1;
	ck_assert_uint_eq(natcheck_state_format(&s, buf, sizeof(buf)), 0);
	state_v4(&s);
	s.time = 0;
	ck_assert_uint_eq(natcheck_state_format(&s, buf, sizeof(buf)), 0);
	state_v4(&s);
	s.server.ss_family = AF_UNIX;
	ck_assert_uint_eq(natcheck_state_format(&s, buf, sizeof(buf)), 0);
	state_v4(&s);
	sa4(&s.server, "192.0.2.1", 0); /* no port */
	ck_assert_uint_eq(natcheck_state_format(&s, buf, sizeof(buf)), 0);
	state_v4(&s);
	sa6(&s.source, "2001:db8::2", 0); /* families differ */
	ck_assert_uint_eq(natcheck_state_format(&s, buf, sizeof(buf)), 0);
}
END_TEST

/* Only a measured lifetime becomes one; the source loses its port. */
START_TEST(test_from_result)
{
	struct natcheck_result r;
	struct natcheck_state s;
	struct sockaddr_storage server;

	memset(&r, 0, sizeof(r));
	sa4(&server, "192.0.2.1", 3478);
	sa4(&r.local, "10.0.0.2", 40001);
	r.mapping = NATCHECK_CLASS_APD;
	r.filtering = NATCHECK_CLASS_APD;
	r.life_known = true;
	r.life_ms = 57000;
	natcheck_state_from_result(&r, &server, 1796633700, &s);
	ck_assert_uint_eq(s.lifetime_ms, 57000);
	ck_assert_uint_eq(((struct sockaddr_in *)&s.source)->sin_port, 0);
	ck_assert_int_eq(s.mapping, NATCHECK_CLASS_APD);
	ck_assert_uint_eq(s.time, 1796633700);
	/* alive after the maximum: not a lifetime */
	r.life_known = false;
	r.life_exceeds = true;
	r.life_ms = 0;
	r.life_low_ms = 120000;
	natcheck_state_from_result(&r, &server, 1796633700, &s);
	ck_assert_uint_eq(s.lifetime_ms, 0);
}
END_TEST

/* Each malformed file: a line from good_v4 replaced (or the text edited)
 * and the reason the parser must give. */
static const struct bad {
	const char *from, *to; /* replace @from in good_v4 by @to */
	const char *why;       /* substring of the reason */
} bad[] = {
	{ "version=1\n", "version=2\n", "line 2: version=2" },
	{ "version=1\n", "version=01\n", "line 2: version=01" },
	{ "version=1\n", "", "no version= line" },
	{ "version=1\n", "version=1\nversion=1\n", "line 3: version= given twice" },
	{ "time=1796633700\n", "time=\n", "line 3: time=" },
	{ "time=1796633700\n", "time=-1796633700\n", "line 3: time=" },
	{ "time=1796633700\n", "time=+1796633700\n", "line 3: time=" },
	{ "time=1796633700\n", "time=1796633700x\n", "line 3: time=" },
	{ "time=1796633700\n", "time=0\n", "line 3: time=" },
	{ "time=1796633700\n", "time=253402300800\n", "line 3: time=" },
	{ "time=1796633700\n", "time=99999999999999999999999\n", "line 3: time=" },
	{ "time=1796633700\n", "", "no time= line" },
	{ "server=192.0.2.1:3478\n", "server=192.0.2.1\n", "line 4: server=" },
	{ "server=192.0.2.1:3478\n", "server=192.0.2.1:0\n", "line 4: server=" },
	{ "server=192.0.2.1:3478\n", "server=192.0.2.1:65536\n", "line 4: server=" },
	{ "server=192.0.2.1:3478\n", "server=192.0.2.1:\n", "line 4: server=" },
	{ "server=192.0.2.1:3478\n", "server=stun.example:3478\n", "line 4: server=" },
	{ "server=192.0.2.1:3478\n", "server=192.0.2.1:3478:1\n", "line 4: server=" },
	{ "server=192.0.2.1:3478\n", "server=[2001:db8::1:3478\n", "line 4: server=" },
	{ "server=192.0.2.1:3478\n", "server=2001:db8::1:3478\n", "line 4: server=" },
	{ "server=192.0.2.1:3478\n", "server=[192.0.2.1]:3478\n", "line 4: server=" },
	{ "server=192.0.2.1:3478\n", "", "no server= line" },
	{ "source=10.0.0.2\n", "source=10.0.0.256\n", "line 5: source=" },
	{ "source=10.0.0.2\n", "source=10.0.0.2:1\n", "line 5: source=" },
	{ "source=10.0.0.2\n", "source=2001:db8::2\n", "different address families" },
	{ "source=10.0.0.2\n", "", "no source= line" },
	{ "mapping=endpoint-independent\n", "mapping=full-cone\n", "line 6: mapping=" },
	{ "mapping=endpoint-independent\n", "mapping=\n", "line 6: mapping=" },
	{ "mapping=endpoint-independent\n", "", "no mapping= line" },
	{ "filtering=address-dependent\n", "filtering=Address-Dependent\n", "line 7: filtering=" },
	{ "filtering=address-dependent\n", "", "no filtering= line" },
	{ "lifetime_ms=90000\n", "lifetime_ms=999\n", "line 8: lifetime_ms=" },
	{ "lifetime_ms=90000\n", "lifetime_ms=86400001\n", "line 8: lifetime_ms=" },
	{ "lifetime_ms=90000\n", "lifetime_ms=4294967296\n", "line 8: lifetime_ms=" },
	{ "lifetime_ms=90000\n", "lifetime_ms=90000.5\n", "line 8: lifetime_ms=" },
	{ "lifetime_ms=90000\n", "lifetime_ms=0x15f90\n", "line 8: lifetime_ms=" },
	{ "lifetime_ms=90000\n", "lifetime_ms=\n", "line 8: lifetime_ms=" },
	{ "lifetime_ms=90000\n", "lifetime_ms=Unknown\n", "line 8: lifetime_ms=" },
	{ "lifetime_ms=90000\n", "", "no lifetime_ms= line" },
	{ "lifetime_ms=90000\n", "lifetime_ms=90000", "line 8: does not end in a newline" },
	{ "lifetime_ms=90000\n", "lifetime_ms=90000\r\n", "line 8: space, control" },
	{ "lifetime_ms=90000\n", "lifetime_ms = 90000\n", "line 8: space, control" },
	{ "lifetime_ms=90000\n", "lifetime_ms=90000\nkeepalive=45\n", "line 9: unknown key" },
	{ "lifetime_ms=90000\n", "lifetime_ms=90000\n\n", "line 9: empty line" },
	{ "lifetime_ms=90000\n", "lifetime_ms=90000\nnonsense\n", "line 9: not KEY=VALUE" },
	{ "lifetime_ms=90000\n", "lifetime_ms=90000\n=1\n", "line 9: unknown key" },
	{ "lifetime_ms=90000\n", "lifetime_ms=9\xc3\xa9\n", "line 8: space, control" },
};

static void replace(const char *from, const char *to, char *out, size_t n)
{
	const char *at = strstr(good_v4, from);

	ck_assert_ptr_nonnull(at);
	ck_assert_int_lt(
		snprintf(out, n, "%.*s%s%s", (int)(at - good_v4), good_v4, to, at + strlen(from)),
		(int)n);
}

START_TEST(test_malformed)
{
	struct natcheck_state s;
	char text[NATCHECK_STATE_MAX * 2], why[200];

	replace(bad[_i].from, bad[_i].to, text, sizeof(text));
	memset(&s, 0xa5, sizeof(s));
	ck_assert_int_eq(natcheck_state_parse(text, strlen(text), &s, why, sizeof(why)), -EINVAL);
	ck_assert_msg(strstr(why, bad[_i].why), "case %d: why '%s', expected '%s'", _i, why,
		      bad[_i].why);
	ck_assert_uint_eq(s.lifetime_ms, 0); /* nothing half-parsed is left */
	ck_assert_uint_eq(s.time, 0);
}
END_TEST

/* Size, NUL and line length limits, and the good file itself. */
START_TEST(test_limits)
{
	struct natcheck_state s;
	char text[NATCHECK_STATE_MAX * 2], why[200];
	size_t n = strlen(good_v4);

	ck_assert_int_eq(natcheck_state_parse(good_v4, n, &s, why, sizeof(why)), 0);
	ck_assert_uint_eq(s.lifetime_ms, 90000);
	ck_assert_int_eq(natcheck_state_parse("", 0, &s, why, sizeof(why)), -EINVAL);
	ck_assert_str_eq(why, "empty");
	/* a NUL byte inside */
	memcpy(text, good_v4, n);
	text[20] = 0;
	ck_assert_int_eq(natcheck_state_parse(text, n, &s, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "NUL"));
	/* a comment line of NATCHECK_STATE_LINE_MAX bytes with its newline is
	 * fine, one byte more is not */
	for (int extra = 0; extra < 2; extra++) {
		size_t c = NATCHECK_STATE_LINE_MAX - 1 + (size_t)extra;

		memset(text, '#', c);
		text[c] = '\n';
		memcpy(text + c + 1, good_v4, n);
		ck_assert_int_eq(natcheck_state_parse(text, c + 1 + n, &s, why, sizeof(why)),
				 extra ? -EINVAL : 0);
		if (extra)
			ck_assert_str_eq(why, "line 1: longer than 128 bytes");
	}
	/* the whole file: at most NATCHECK_STATE_MAX bytes */
	memset(text, '#', NATCHECK_STATE_MAX * 2);
	for (size_t i = 0; i + 1 < NATCHECK_STATE_MAX * 2; i += 64)
		text[i + 63] = '\n';
	memcpy(text + NATCHECK_STATE_MAX + 1 - n, good_v4, n);
	ck_assert_int_eq(natcheck_state_parse(text, NATCHECK_STATE_MAX + 1, &s, why, sizeof(why)),
			 -EINVAL);
	ck_assert_str_eq(why, "longer than 1024 bytes");
}
END_TEST

static Suite *state_suite(void)
{
	Suite *s = suite_create("natt_natcheck_state");
	TCase *tc = tcase_create("state");

	tcase_add_test(tc, test_format_exact);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_format_refuses);
	tcase_add_test(tc, test_from_result);
	tcase_add_loop_test(tc, test_malformed, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return natt_test_run(state_suite());
}
