// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The log sink. The daemon is single-threaded, so the thresholds are plain
 * process state owned by this file (the one place natkeyd keeps any).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "tools/natkeyd/natkeyd_clock.h"
#include "tools/natkeyd/natkeyd_log.h"

/*
 * Foreground lines wait in out[] and go out with one write(): within
 * NKD_LOG_FLUSH_MS of the first one (a busy gateway logs a few lines per
 * tunnel; each write() is a system call, about 55 us in user-mode-linux), at
 * the end of the wakeup that logged a warning, an error or an audit record,
 * when out[] is full, before a child process starts and at exit. A fatal
 * signal writes out[] before the process dies (nkd_log_crash_flush()).
 */
#define NKD_LOG_BUF (64 * 1024)

static struct {
	bool foreground;
	bool open;
	bool urgent;	/* a line that must not wait is in out[] */
	uint64_t since; /* monotonic ms of the oldest line in out[] */
	size_t len;
	char out[NKD_LOG_BUF];
	enum nkd_level level[NKD_MOD_COUNT];
} nkd_log_state = { .foreground = true };

/* The fatal signals whose previous handlers nkd_log_crash_flush() restores. */
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
static struct sigaction crash_prev[sizeof(crash_signals) / sizeof(crash_signals[0])];

static const char *const level_names[] = {
	[NKD_ERROR] = "error", [NKD_WARN] = "warn",   [NKD_INFO] = "info",
	[NKD_DEBUG] = "debug", [NKD_AUDIT] = "audit",
};

static const char *const module_names[NKD_MOD_COUNT] = {
	[NKD_MOD_DAEMON] = "daemon", [NKD_MOD_IKE] = "ike",	  [NKD_MOD_NATT] = "natt",
	[NKD_MOD_XFRM] = "xfrm",     [NKD_MOD_CRYPTO] = "crypto", [NKD_MOD_ENGINE] = "engine",
	[NKD_MOD_CONF] = "conf",     [NKD_MOD_CTL] = "ctl",
};

const char *nkd_level_name(enum nkd_level level)
{
	return (unsigned)level <= NKD_AUDIT ? level_names[level] : "?";
}

const char *nkd_module_name(enum nkd_module mod)
{
	return (unsigned)mod < NKD_MOD_COUNT ? module_names[mod] : "?";
}

/* write() all of out[]; async-signal-safe. */
static void out_write(void)
{
	size_t done = 0;

	while (done < nkd_log_state.len) {
		ssize_t n =
			write(STDERR_FILENO, nkd_log_state.out + done, nkd_log_state.len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* stderr is gone: the lines are lost, not retried forever */
		done += (size_t)n;
	}
	nkd_log_state.len = 0;
	nkd_log_state.urgent = false;
}

/*
 * On a fatal signal: write the waiting lines (the last ones before a crash
 * are the ones an admin needs), put back the handler that was there before
 * (the default, or a sanitizer's) and deliver the signal to it: raised now,
 * it arrives when this handler returns, or a fault that recurs hits it.
 */
static void crash_flush(int sig)
{
	int saved = errno;

	out_write();
	for (size_t i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++)
		if (crash_signals[i] == sig)
			sigaction(sig, &crash_prev[i], NULL);
	raise(sig);
	errno = saved;
}

void nkd_log_open(bool foreground, enum nkd_level level)
{
	nkd_log_state.foreground = foreground;
	nkd_log_state.len = 0;
	for (int i = 0; i < NKD_MOD_COUNT; i++)
		nkd_log_state.level[i] = level;
	if (!foreground) {
		openlog("natkeyd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		nkd_log_state.open = true;
		return;
	}
	for (size_t i = 0; i < sizeof(crash_signals) / sizeof(crash_signals[0]); i++) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = crash_flush;
		sigemptyset(&sa.sa_mask);
		sigaction(crash_signals[i], &sa, &crash_prev[i]);
	}
}

void nkd_log_flush(void)
{
	if (nkd_log_state.foreground && nkd_log_state.len)
		out_write();
}

uint64_t nkd_log_deadline(void)
{
	if (!nkd_log_state.foreground || !nkd_log_state.len)
		return UINT64_MAX;
	return nkd_log_state.urgent ? 0 : nkd_log_state.since + NKD_LOG_FLUSH_MS;
}

void nkd_log_flush_due(uint64_t now)
{
	if (nkd_log_deadline() <= now)
		out_write();
}

void nkd_log_close(void)
{
	nkd_log_flush();
	if (nkd_log_state.open)
		closelog();
	nkd_log_state.open = false;
}

void nkd_log_set_level(enum nkd_module mod, enum nkd_level level)
{
	if (level > NKD_DEBUG)
		return;
	if (mod == NKD_MOD_COUNT) {
		for (int i = 0; i < NKD_MOD_COUNT; i++)
			nkd_log_state.level[i] = level;
	} else if ((unsigned)mod < NKD_MOD_COUNT) {
		nkd_log_state.level[mod] = level;
	}
}

bool nkd_log_enabled(enum nkd_module mod, enum nkd_level level)
{
	if (level == NKD_AUDIT || (unsigned)mod >= NKD_MOD_COUNT)
		return true;
	return level <= nkd_log_state.level[mod];
}

void nkd_log(enum nkd_module mod, enum nkd_level level, const char *fmt, ...)
{
	static const int prio[] = {
		[NKD_ERROR] = LOG_ERR,	 [NKD_WARN] = LOG_WARNING, [NKD_INFO] = LOG_INFO,
		[NKD_DEBUG] = LOG_DEBUG, [NKD_AUDIT] = LOG_NOTICE,
	};
	char text[512];
	va_list ap;

	if (!nkd_log_enabled(mod, level))
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (nkd_log_state.foreground) {
		/* The wakeup's reading (natkeyd_clock.h): one clock read per
		 * wakeup, not per line. */
		struct timespec ts = nkd_clock_wall(&nkd_clk);
		struct tm tm;
		char when[32];

		char line[sizeof(text) + 64];
		int n;

		gmtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		n = snprintf(line, sizeof(line), "%s.%03ld %s %s: %s\n", when, ts.tv_nsec / 1000000,
			     nkd_level_name(level), nkd_module_name(mod), text);
		if (n < 0)
			return;
		if ((size_t)n >= sizeof(line))
			n = (int)sizeof(line) - 1;
		if (nkd_log_state.len + (size_t)n > sizeof(nkd_log_state.out))
			out_write();
		if (!nkd_log_state.len)
			nkd_log_state.since = nkd_clock_mono_ms(&nkd_clk);
		memcpy(nkd_log_state.out + nkd_log_state.len, line, (size_t)n);
		nkd_log_state.len += (size_t)n;
		if (level <= NKD_WARN || level == NKD_AUDIT)
			nkd_log_state.urgent = true;
		return;
	}
	syslog((level == NKD_AUDIT ? LOG_AUTHPRIV : LOG_DAEMON) | prio[level], "%s %s: %s",
	       level == NKD_AUDIT ? "AUDIT" : nkd_level_name(level), nkd_module_name(mod), text);
}
