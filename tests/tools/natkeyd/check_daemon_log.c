// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's foreground log buffer (tools/natkeyd/natkeyd_log.c): info
 * lines wait up to NKD_LOG_FLUSH_MS for one write(), warnings go out at the
 * end of their wakeup, nothing is lost when the buffer fills, and a fatal
 * signal writes what waits before the process dies. stderr is a temporary
 * file; the clock a fake one.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/natkeyd/natkeyd_clock.h"
#include "tools/natkeyd/natkeyd_log.h"

static struct timespec fake_mono = { 500, 0 };

static int fake_gettime(clockid_t id, struct timespec *ts)
{
	if (id == CLOCK_MONOTONIC)
		*ts = fake_mono;
	else
		*ts = (struct timespec){ 1700000000, 0 };
	return 0;
}

/* stderr into a new temporary file; its descriptor for reading back. */
static int capture(void)
{
	char path[] = "/tmp/check_daemon_log.XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	nkd_clk.gettime = fake_gettime;
	fake_mono = (struct timespec){ 500, 0 };
	nkd_log_open(true, NKD_INFO);
	return fd;
}

static size_t captured(int fd, char *buf, size_t cap)
{
	ssize_t n = pread(fd, buf, cap - 1, 0);

	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	return (size_t)n;
}

START_TEST(test_info_waits)
{
	static char buf[4096];
	int fd = capture();

	nkd_log(NKD_MOD_IKE, NKD_INFO, "first %d", 1);
	nkd_log(NKD_MOD_IKE, NKD_DEBUG, "filtered");
	fake_mono.tv_sec = 500;
	fake_mono.tv_nsec = 100 * 1000000L;
	nkd_log(NKD_MOD_IKE, NKD_INFO, "second");
	ck_assert_uint_eq(captured(fd, buf, sizeof(buf)), 0);
	/* Due NKD_LOG_FLUSH_MS after the first line, not the last. */
	ck_assert_uint_eq(nkd_log_deadline(), 500000 + NKD_LOG_FLUSH_MS);
	nkd_log_flush_due(500000 + NKD_LOG_FLUSH_MS - 1);
	ck_assert_uint_eq(captured(fd, buf, sizeof(buf)), 0);
	nkd_log_flush_due(500000 + NKD_LOG_FLUSH_MS);
	captured(fd, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "info ike: first 1\n"));
	ck_assert_ptr_nonnull(strstr(buf, "info ike: second\n"));
	ck_assert(strstr(buf, "first 1") < strstr(buf, "second"));
	ck_assert_ptr_null(strstr(buf, "filtered"));
	ck_assert_uint_eq(nkd_log_deadline(), UINT64_MAX);
	close(fd);
}
END_TEST

START_TEST(test_warning_now)
{
	static char buf[4096];
	int fd = capture();

	nkd_log(NKD_MOD_IKE, NKD_INFO, "context");
	ck_assert_uint_gt(nkd_log_deadline(), 0);
	nkd_log(NKD_MOD_NATT, NKD_WARN, "mapping changed");
	ck_assert_uint_eq(nkd_log_deadline(), 0);
	nkd_log_flush_due(0);
	captured(fd, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "info ike: context\n"));
	ck_assert_ptr_nonnull(strstr(buf, "warn natt: mapping changed\n"));
	close(fd);
}
END_TEST

/* More than the buffer holds: written as it fills, in order, none lost. */
START_TEST(test_full_buffer)
{
	static char buf[1 << 20];
	int fd = capture();
	char want[64];

	for (int i = 0; i < 3000; i++)
		nkd_log(NKD_MOD_IKE, NKD_INFO, "line %05d of a long run of info lines", i);
	ck_assert_uint_gt(captured(fd, buf, sizeof(buf)), 0); /* some went out already */
	nkd_log_flush();
	captured(fd, buf, sizeof(buf));
	for (int i = 0; i < 3000; i += 499) {
		snprintf(want, sizeof(want), "line %05d of", i);
		ck_assert_msg(strstr(buf, want) != NULL, "%s missing", want);
	}
	ck_assert(strstr(buf, "line 01000 of") < strstr(buf, "line 02000 of"));
	close(fd);
}
END_TEST

/* A crash writes the waiting lines, then the process dies of its signal. */
START_TEST(test_crash_flush)
{
	static char buf[4096];
	int fd = capture();
	int st;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		nkd_log(NKD_MOD_DAEMON, NKD_INFO, "the last words");
		raise(SIGSEGV);
		_exit(0); /* not reached: the default action ends the process */
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	/* Killed by SIGSEGV, or (a sanitizer build, whose handler was there
	 * first and gets the signal next) ended by the sanitizer's report:
	 * never on to _exit(0). */
	ck_assert(WIFSIGNALED(st) ? WTERMSIG(st) == SIGSEGV : WEXITSTATUS(st) != 0);
	captured(fd, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "info daemon: the last words\n"));
	close(fd);
}
END_TEST

static Suite *log_suite(void)
{
	Suite *s = suite_create("daemon_log");
	TCase *tc = tcase_create("buffer");

	tcase_add_test(tc, test_info_waits);
	tcase_add_test(tc, test_warning_now);
	tcase_add_test(tc, test_full_buffer);
	tcase_add_test(tc, test_crash_flush);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(log_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
