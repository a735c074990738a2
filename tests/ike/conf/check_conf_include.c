// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `include PATTERN` in ipsec.conf and ipsec.secrets (conf_load_file(),
 * conf_secrets_load_file()): glob matches relative to the including file's
 * folder, in place and in glob order; no match is fine; errors inside an
 * included file name that file and line; unreadable files, loops and nesting
 * deeper than CONF_INCL_DEPTH are errors at the include line; a second
 * load (reload) reads the included files again.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ike/conf/conf.h"
#include "ike/conf/conf_secrets.h"

static char dir[64];

static void put(const char *name, mode_t mode, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static const char *at(const char *name)
{
	static char path[4][256];
	static unsigned k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	return path[k];
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/natkeyd-incl-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(mkdir(at("ipsec.d"), 0700), 0);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

#define CONN(name) "conn " name "\n\tleft=192.0.2.1\n\tright=198.51.100.1\n\tauthby=secret\n"

static bool diag_has(const struct conf_diag *d, const char *want)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->msg[i], want))
			return true;
	return false;
}

static void diag_dump(const struct conf_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "diag: %s\n", d->msg[i]);
}

START_TEST(test_conf_include_glob)
{
	struct conf *c = NULL;
	struct conf_diag d;

	/* Libreswan's stock layout: the include line ends the file. */
	put("ipsec.conf", 0644,
	    "config setup\n\tuniqueids=no\n" CONN("main") "include ipsec.d/*.conf\n");
	put("ipsec.d/b.conf", 0644, CONN("b"));
	put("ipsec.d/a.conf", 0644, CONN("a"));
	put("ipsec.d/a.conf.disabled", 0644, "not parsed\n");
	if (conf_load_file(at("ipsec.conf"), &c, &d) < 0)
		diag_dump(&d);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->n_conns, 3);
	ck_assert_str_eq(c->conns[0].name, "main");
	ck_assert_str_eq(c->conns[1].name, "a"); /* glob order */
	ck_assert_str_eq(c->conns[2].name, "b");
	ck_assert_uint_eq(c->n_files, 3);
	ck_assert_str_eq(c->files[0], at("ipsec.conf"));
	ck_assert_str_eq(c->files[1], at("ipsec.d/a.conf"));
	ck_assert_str_eq(c->files[2], at("ipsec.d/b.conf"));
	ck_assert_str_eq(conf_conn_file(c, &c->conns[0]), at("ipsec.conf"));
	ck_assert_str_eq(conf_conn_file(c, &c->conns[2]), at("ipsec.d/b.conf"));
	ck_assert_uint_eq(c->conns[2].line, 1);
	/* config setup of the including file applies to included conns. */
	ck_assert_int_eq(c->conns[2].uniqueids, CONF_UNIQUE_NO);
	conf_free(c);
}
END_TEST

START_TEST(test_conf_include_absolute_and_none)
{
	char text[512];
	struct conf *c = NULL;
	struct conf_diag d;

	snprintf(text, sizeof(text),
		 CONN("main") "include %s/ipsec.d/*.conf\ninclude nothere/*.conf\n", dir);
	put("ipsec.conf", 0644, text);
	put("ipsec.d/x.conf", 0644, CONN("x"));
	ck_assert_int_eq(conf_load_file(at("ipsec.conf"), &c, &d), 0);
	ck_assert_uint_eq(c->n_conns, 2);
	ck_assert_uint_eq(c->n_files, 2);
	conf_free(c);
	/* An empty /etc/ipsec.d is the common case: no error. */
	unlink(at("ipsec.d/x.conf"));
	ck_assert_int_eq(conf_load_file(at("ipsec.conf"), &c, &d), 0);
	ck_assert_uint_eq(c->n_conns, 1);
	ck_assert_uint_eq(c->n_files, 1);
	conf_free(c);
}
END_TEST

START_TEST(test_conf_include_error_names_file)
{
	struct conf *c = NULL;
	struct conf_diag d;
	char want[300];

	put("ipsec.conf", 0644, CONN("main") "include ipsec.d/*.conf\n" CONN("after"));
	put("ipsec.d/bad.conf", 0644, "# comment\nconn bad\n\tleft=192.0.2.1\n\tfrobnicate=yes\n");
	ck_assert_int_eq(conf_load_file(at("ipsec.conf"), &c, &d), -EINVAL);
	ck_assert_ptr_null(c);
	snprintf(want, sizeof(want), "%s:4: unknown key 'frobnicate'", at("ipsec.d/bad.conf"));
	if (!diag_has(&d, want))
		diag_dump(&d);
	ck_assert(diag_has(&d, want));
	/* A conn defined twice across files says where the first is. */
	put("ipsec.d/bad.conf", 0644, CONN("main"));
	ck_assert_int_eq(conf_load_file(at("ipsec.conf"), &c, &d), -EINVAL);
	snprintf(want, sizeof(want), "%s:1: conn 'main' is defined twice (first at %s:1)",
		 at("ipsec.d/bad.conf"), at("ipsec.conf"));
	if (!diag_has(&d, want))
		diag_dump(&d);
	ck_assert(diag_has(&d, want));
}
END_TEST

START_TEST(test_conf_include_unreadable)
{
	struct conf *c = NULL;
	struct conf_diag d;
	char want[300];

	put("ipsec.conf", 0644, CONN("main") "\ninclude ipsec.d/*.conf\n");
	/* A folder matching the pattern cannot be read as a file (a mode 000
	 * file would be readable when the tests run as root). */
	ck_assert_int_eq(mkdir(at("ipsec.d/dir.conf"), 0700), 0);
	ck_assert_int_eq(conf_load_file(at("ipsec.conf"), &c, &d), -EINVAL);
	snprintf(want, sizeof(want), "%s:6: include: %s: not a regular file", at("ipsec.conf"),
		 at("ipsec.d/dir.conf"));
	if (!diag_has(&d, want))
		diag_dump(&d);
	ck_assert(diag_has(&d, want));
}
END_TEST

START_TEST(test_conf_include_loop)
{
	struct conf *c = NULL;
	struct conf_diag d;
	char want[300];

	put("ipsec.conf", 0644, CONN("main") "include ipsec.d/a.conf\n");
	put("ipsec.d/a.conf", 0644, CONN("a") "include ../ipsec.conf\n");
	ck_assert_int_eq(conf_load_file(at("ipsec.conf"), &c, &d), -EINVAL);
	snprintf(want, sizeof(want), "%s:5: include loop: '%s/ipsec.d/../ipsec.conf'",
		 at("ipsec.d/a.conf"), dir);
	if (!diag_has(&d, want))
		diag_dump(&d);
	ck_assert(diag_has(&d, want));
	/* A file including itself. */
	put("ipsec.d/a.conf", 0644, "include a.conf\n");
	ck_assert_int_eq(conf_load_file(at("ipsec.conf"), &c, &d), -EINVAL);
	snprintf(want, sizeof(want), "%s:1: include loop", at("ipsec.d/a.conf"));
	ck_assert(diag_has(&d, want));
}
END_TEST

START_TEST(test_conf_include_depth)
{
	struct conf *c = NULL;
	struct conf_diag d;
	char name[32], text[64], want[300];
	unsigned i;

	/* ipsec.conf -> f1 -> ... -> f8 is CONF_INCL_DEPTH nested files:
	 * fine; f8 including f9 is one too many. */
	put("ipsec.conf", 0644, "include ipsec.d/f1\n");
	for (i = 1; i <= CONF_INCL_DEPTH + 1; i++) {
		snprintf(name, sizeof(name), "ipsec.d/f%u", i);
		if (i <= CONF_INCL_DEPTH)
			snprintf(text, sizeof(text), "conn c%u\ninclude f%u\n", i, i + 1);
		else
			snprintf(text, sizeof(text), "conn c%u\n", i);
		put(name, 0644, text);
	}
	ck_assert_int_eq(conf_load_file(at("ipsec.conf"), &c, &d), -EINVAL);
	ck_assert_uint_eq(d.n, 1);
	snprintf(want, sizeof(want), "%s:2: include nested deeper than %d files", at("ipsec.d/f8"),
		 CONF_INCL_DEPTH);
	ck_assert_str_eq(d.msg[0], want);
	put("ipsec.d/f8", 0644, "conn c8\n");
	ck_assert_int_eq(conf_load_file(at("ipsec.conf"), &c, &d), 0);
	ck_assert_uint_eq(c->n_conns, 8);
	ck_assert_uint_eq(c->n_files, 9);
	conf_free(c);
}
END_TEST

/* What `natkeyctl reload` does: load again; the included files are read
 * again, so an edit in /etc/ipsec.d is seen. */
START_TEST(test_conf_include_reload)
{
	struct conf *c = NULL, *c2 = NULL;
	struct conf_diag d;

	put("ipsec.conf", 0644, "include ipsec.d/*.conf\n");
	put("ipsec.d/a.conf", 0644, CONN("a") "\tikelifetime=1h\n");
	ck_assert_int_eq(conf_load_file(at("ipsec.conf"), &c, &d), 0);
	ck_assert_uint_eq(c->conns[0].ikelifetime, 3600);
	put("ipsec.d/a.conf", 0644, CONN("a") "\tikelifetime=2h\n");
	put("ipsec.d/b.conf", 0644, CONN("b"));
	ck_assert_int_eq(conf_load_file(at("ipsec.conf"), &c2, &d), 0);
	ck_assert_uint_eq(c2->n_conns, 2);
	ck_assert_uint_eq(c2->conns[0].ikelifetime, 7200);
	conf_free(c);
	conf_free(c2);
}
END_TEST

START_TEST(test_secrets_include)
{
	struct conf_secrets *s = NULL;
	struct conf_diag d;
	struct conf_id a, b;
	const struct conf_secret *hit;

	put("ipsec.secrets", 0600, ": PSK \"main\"\ninclude ipsec.d/*.secrets\n");
	put("ipsec.d/peer.secrets", 0600, "@a @b : PSK \"included\"\n");
	if (conf_secrets_load_file(at("ipsec.secrets"), &s, &d) < 0)
		diag_dump(&d);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->n, 2);
	ck_assert_uint_eq(s->n_files, 2);
	ck_assert_str_eq(s->files[1], at("ipsec.d/peer.secrets"));
	ck_assert_int_eq(conf_id_parse("@a", &a, NULL, 0), 0);
	ck_assert_int_eq(conf_id_parse("@b", &b, NULL, 0), 0);
	hit = conf_secrets_find_psk(s, &a, &b);
	ck_assert_ptr_nonnull(hit);
	ck_assert_mem_eq(hit->psk, "included", 8);
	conf_secrets_free(s);
	/* No match: fine. */
	unlink(at("ipsec.d/peer.secrets"));
	ck_assert_int_eq(conf_secrets_load_file(at("ipsec.secrets"), &s, &d), 0);
	ck_assert_uint_eq(s->n, 1);
	conf_secrets_free(s);
}
END_TEST

START_TEST(test_secrets_include_errors)
{
	struct conf_secrets *s = NULL;
	struct conf_diag d;
	char want[400];

	put("ipsec.secrets", 0600, ": PSK \"main\"\ninclude ipsec.d/*.secrets\n");
	/* An included secrets file is checked like the main one. */
	put("ipsec.d/open.secrets", 0644, ": PSK \"x\"\n");
	ck_assert_int_eq(conf_secrets_load_file(at("ipsec.secrets"), &s, &d), -EINVAL);
	snprintf(want, sizeof(want), "%s:2: include: %s: mode 0644 lets group or others",
		 at("ipsec.secrets"), at("ipsec.d/open.secrets"));
	if (!diag_has(&d, want))
		diag_dump(&d);
	ck_assert(diag_has(&d, want));
	/* An error inside names the included file and its line. */
	put("ipsec.d/open.secrets", 0600, "\n\n: PSK x\"y\"\n");
	ck_assert_int_eq(conf_secrets_load_file(at("ipsec.secrets"), &s, &d), -EINVAL);
	snprintf(want, sizeof(want), "%s:3: ", at("ipsec.d/open.secrets"));
	if (!diag_has(&d, want))
		diag_dump(&d);
	ck_assert(diag_has(&d, want));
	/* A loop. */
	put("ipsec.d/open.secrets", 0600, "include ../ipsec.secrets\n");
	ck_assert_int_eq(conf_secrets_load_file(at("ipsec.secrets"), &s, &d), -EINVAL);
	snprintf(want, sizeof(want), "%s:1: include loop", at("ipsec.d/open.secrets"));
	if (!diag_has(&d, want))
		diag_dump(&d);
	ck_assert(diag_has(&d, want));
	/* A symlink is refused, as for the main file. */
	unlink(at("ipsec.d/open.secrets"));
	put("real", 0600, ": PSK \"x\"\n");
	ck_assert_int_eq(symlink(at("real"), at("ipsec.d/link.secrets")), 0);
	ck_assert_int_eq(conf_secrets_load_file(at("ipsec.secrets"), &s, &d), -EINVAL);
	snprintf(want, sizeof(want), "%s:2: include: %s: cannot open", at("ipsec.secrets"),
		 at("ipsec.d/link.secrets"));
	if (!diag_has(&d, want))
		diag_dump(&d);
	ck_assert(diag_has(&d, want));
}
END_TEST

/* Libreswan's stock layout (tests/data/conf/real-libreswan-include): an
 * ipsec.conf and an ipsec.secrets that only include ipsec.d/. The secrets
 * are copied to make them private (git keeps no 0600). */
START_TEST(test_real_libreswan_include)
{
	static const char *const files[] = {
		"ipsec.conf",	       "ipsec.secrets",		 "ipsec.d/branch.conf",
		"ipsec.d/backup.conf", "ipsec.d/branch.secrets", "ipsec.d/backup.secrets"
	};
	struct conf_secrets *s = NULL;
	struct conf *c = NULL;
	struct conf_diag d;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char src[512], text[4096];
		FILE *f;
		size_t n;

		snprintf(src, sizeof(src), "%s/real-libreswan-include/%s", CONF_TEST_DATA,
			 files[i]);
		f = fopen(src, "r");
		ck_assert_msg(f != NULL, "%s", src);
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		put(files[i], 0600, text);
	}
	if (conf_load_file(at("ipsec.conf"), &c, &d) < 0)
		diag_dump(&d);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->n_files, 3);
	ck_assert_uint_eq(c->n_conns, 2);
	ck_assert_str_eq(c->conns[0].name, "hq-backup");
	ck_assert_str_eq(c->conns[1].name, "hq-branch");
	ck_assert_uint_eq(c->conns[1].left.n_subnets, 2);
	ck_assert_uint_eq(c->conns[1].right.n_subnets, 2);
	ck_assert_int_eq(c->conns[1].uniqueids, CONF_UNIQUE_YES);
	if (conf_secrets_load_file(at("ipsec.secrets"), &s, &d) < 0)
		diag_dump(&d);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->n_files, 3);
	ck_assert_uint_eq(s->n, 2);
	memset(&d, 0, sizeof(d));
	if (conf_validate(c, s, &d) < 0)
		diag_dump(&d);
	ck_assert_uint_eq(d.n, 0);
	conf_secrets_free(s);
	conf_free(c);
}
END_TEST

static Suite *include_suite(void)
{
	Suite *s = suite_create("conf_include");
	TCase *tc = tcase_create("include");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_conf_include_glob);
	tcase_add_test(tc, test_conf_include_absolute_and_none);
	tcase_add_test(tc, test_conf_include_error_names_file);
	tcase_add_test(tc, test_conf_include_unreadable);
	tcase_add_test(tc, test_conf_include_loop);
	tcase_add_test(tc, test_conf_include_depth);
	tcase_add_test(tc, test_conf_include_reload);
	tcase_add_test(tc, test_secrets_include);
	tcase_add_test(tc, test_secrets_include_errors);
	tcase_add_test(tc, test_real_libreswan_include);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(include_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
