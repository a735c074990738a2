// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xauthby=pam (tools/natkeyd/natkeyd_pam.c): the runner that checks each
 * password in a child process (verdicts, timeout and kill, the limit on
 * checks at once, shutdown) with a stand-in check, and the real PAM
 * conversation through a PAM stack of the test's own (pam_start_confdir():
 * pam_exec.so with expose_authtok hands the password our conversation
 * gave to a script that compares it).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tools/natkeyd/natkeyd_pam.h"

struct seen {
	unsigned n;
	struct {
		unsigned slot;
		uint32_t serial;
		bool ok;
		char why[64];
		char user[IKE_XAUTH_USER_MAX + 1];
	} v[NKD_PAM_RUNNING + 4];
};

static void done(void *arg, const struct nkd_pam_job *j, bool ok, const char *why)
{
	struct seen *s = arg;

	ck_assert_uint_lt(s->n, sizeof(s->v) / sizeof(s->v[0]));
	s->v[s->n].slot = j->slot;
	s->v[s->n].serial = j->serial;
	s->v[s->n].ok = ok;
	snprintf(s->v[s->n].why, sizeof(s->v[s->n].why), "%s", why ? why : "");
	snprintf(s->v[s->n].user, sizeof(s->v[s->n].user), "%s", j->user);
	s->n++;
}

/* The stand-in: alice's password is "right"; "slow" sleeps (a hung stack). */
static bool fake(const char *service, const char *confdir, const char *user, const uint8_t *pass,
		 size_t len)
{
	(void)confdir;
	if (strcmp(service, "svc"))
		return false;
	if (len == 4 && !memcmp(pass, "slow", 4))
		sleep(30);
	return !strcmp(user, "alice") && len == 5 && !memcmp(pass, "right", 5);
}

static struct ike_xauth_check chk(uint32_t serial, const char *user, const char *pass)
{
	struct ike_xauth_check x;

	memset(&x, 0, sizeof(x));
	x.serial = serial;
	snprintf(x.user, sizeof(x.user), "%s", user);
	x.pass_len = strlen(pass);
	memcpy(x.pass, pass, x.pass_len);
	return x;
}

/* Reap until @n verdicts came (the daemon reaps after SIGCHLD). */
static void wait_for(struct nkd_pam_runner *r, struct seen *s, unsigned n)
{
	for (int i = 0; i < 500 && s->n < n; i++) {
		struct timespec ts = { 0, 10 * 1000000L };

		nkd_pam_reap(r);
		if (s->n < n)
			nanosleep(&ts, NULL);
	}
	ck_assert_uint_eq(s->n, n);
}

START_TEST(test_verdicts)
{
	struct nkd_pam_runner r;
	struct seen s = { 0 };
	struct ike_xauth_check a = chk(7, "alice", "right"), b = chk(9, "bob", "right"),
			       c = chk(11, "alice", "wrong");

	nkd_pam_init(&r, 5000, fake, done, &s);
	ck_assert_int_eq(nkd_pam_submit(&r, "svc", 3, &a, 1000), 0);
	ck_assert_int_eq(nkd_pam_submit(&r, "svc", 4, &b, 1000), 0);
	ck_assert_int_eq(nkd_pam_submit(&r, "svc", 5, &c, 1000), 0);
	ck_assert_uint_eq(nkd_pam_busy(&r), 3);
	ck_assert_uint_eq(nkd_pam_next_deadline(&r), 6000);
	wait_for(&r, &s, 3);
	ck_assert_uint_eq(nkd_pam_busy(&r), 0);
	ck_assert_uint_eq(nkd_pam_next_deadline(&r), UINT64_MAX);
	for (unsigned i = 0; i < 3; i++) {
		ck_assert_str_eq(s.v[i].why, "");
		if (s.v[i].serial == 7) {
			ck_assert(s.v[i].ok);
			ck_assert_uint_eq(s.v[i].slot, 3);
			ck_assert_str_eq(s.v[i].user, "alice");
		} else {
			ck_assert(!s.v[i].ok);
			ck_assert(s.v[i].serial == 9 || s.v[i].serial == 11);
		}
	}
	/* Nothing is reported twice. */
	nkd_pam_reap(&r);
	ck_assert_uint_eq(s.n, 3);
}
END_TEST

START_TEST(test_timeout)
{
	struct nkd_pam_runner r;
	struct seen s = { 0 };
	struct ike_xauth_check x = chk(5, "alice", "slow");

	nkd_pam_init(&r, 100, fake, done, &s);
	ck_assert_int_eq(nkd_pam_submit(&r, "svc", 1, &x, 1000), 0);
	nkd_pam_expire(&r, 1050);
	nkd_pam_reap(&r);
	ck_assert_uint_eq(s.n, 0);
	nkd_pam_expire(&r, 1100);
	ck_assert_uint_eq(s.n, 1);
	ck_assert(!s.v[0].ok);
	ck_assert_ptr_nonnull(strstr(s.v[0].why, "timed out"));
	ck_assert_uint_eq(nkd_pam_next_deadline(&r), UINT64_MAX);
	/* Killed: reaped at once, without a second verdict. */
	for (int i = 0; i < 200 && nkd_pam_busy(&r); i++) {
		struct timespec ts = { 0, 10 * 1000000L };

		nkd_pam_reap(&r);
		nanosleep(&ts, NULL);
	}
	ck_assert_uint_eq(nkd_pam_busy(&r), 0);
	ck_assert_uint_eq(s.n, 1);
}
END_TEST

START_TEST(test_full_and_stop)
{
	struct nkd_pam_runner r;
	struct seen s = { 0 };
	struct ike_xauth_check x = chk(1, "alice", "slow");

	nkd_pam_init(&r, 60000, fake, done, &s);
	for (unsigned i = 0; i < NKD_PAM_RUNNING; i++) {
		x.serial = i + 1;
		ck_assert_int_eq(nkd_pam_submit(&r, "svc", 1, &x, 0), 0);
	}
	ck_assert_int_eq(nkd_pam_submit(&r, "svc", 1, &x, 0), -EAGAIN);
	ck_assert_uint_eq(nkd_pam_busy(&r), NKD_PAM_RUNNING);
	nkd_pam_stop(&r);
	ck_assert_uint_eq(nkd_pam_busy(&r), 0);
	ck_assert_uint_eq(s.n, NKD_PAM_RUNNING);
	for (unsigned i = 0; i < s.n; i++)
		ck_assert(!s.v[i].ok);
}
END_TEST

#ifdef HAVE_PAM
static char dir[64];

/* A PAM stack of our own: pam_exec.so gives the password the conversation
 * answered to a script; pam_permit.so for the account part. */
static void stack_make(void)
{
	char path[128];
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/nkd-pam-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/check.sh", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "#!/bin/sh\npw=$(tr -d '\\000')\n"
		   "[ \"$PAM_USER\" = alice ] && [ \"$pw\" = 's3cret pass' ]\n");
	fclose(f);
	ck_assert_int_eq(chmod(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/natkeyd-test", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f,
		"auth required pam_exec.so expose_authtok quiet %s/check.sh\n"
		"account required pam_permit.so\n",
		dir);
	fclose(f);
}

static void stack_remove(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* nkd_pam_check() in a child, as the daemon runs it (and libpam 1.5's
 * pam_start_confdir() leaks 96 bytes that LeakSanitizer would report in
 * this process: the child ends with _exit()). */
static bool check_in_child(const char *service, const char *user, const uint8_t *pass, size_t len)
{
	int status = 0;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(nkd_pam_check(service, dir, user, pass, len) ? 0 : 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) <= 1);
	return WEXITSTATUS(status) == 0;
}

START_TEST(test_real_pam)
{
	static const uint8_t right[] = "s3cret pass", nul[] = "s3cret\0pass";

	ck_assert(nkd_pam_available());
	stack_make();
	ck_assert(check_in_child("natkeyd-test", "alice", right, sizeof(right) - 1));
	ck_assert(!check_in_child("natkeyd-test", "alice", right, sizeof(right) - 2));
	ck_assert(!check_in_child("natkeyd-test", "bob", right, sizeof(right) - 1));
	ck_assert(!check_in_child("natkeyd-test", "alice", nul, sizeof(nul) - 1));
	ck_assert(!check_in_child("natkeyd-test", "alice", right, 0));
	/* A service without a file: PAM's "other" of this folder (none): refused. */
	ck_assert(!check_in_child("no-such-service", "alice", right, sizeof(right) - 1));
	{
		/* The same through the runner, in a child. */
		struct nkd_pam_runner r;
		struct seen s = { 0 };
		struct ike_xauth_check a = chk(1, "alice", "s3cret pass"),
				       b = chk(2, "alice", "s3cret Pass");

		nkd_pam_init(&r, 10000, NULL, done, &s);
		r.confdir = dir;
		ck_assert_int_eq(nkd_pam_submit(&r, "natkeyd-test", 1, &a, 0), 0);
		ck_assert_int_eq(nkd_pam_submit(&r, "natkeyd-test", 1, &b, 0), 0);
		wait_for(&r, &s, 2);
		for (unsigned i = 0; i < 2; i++)
			ck_assert(s.v[i].ok == (s.v[i].serial == 1));
	}
	stack_remove();
}
END_TEST
#else
START_TEST(test_no_pam)
{
	ck_assert(!nkd_pam_available());
	ck_assert(!nkd_pam_check("natkeyd", NULL, "alice", (const uint8_t *)"x", 1));
}
END_TEST
#endif

static Suite *suite(void)
{
	Suite *s = suite_create("natkeyd_pam");
	TCase *tc = tcase_create("pam");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_verdicts);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_full_and_stop);
#ifdef HAVE_PAM
	tcase_add_test(tc, test_real_pam);
#else
	tcase_add_test(tc, test_no_pam);
#endif
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
