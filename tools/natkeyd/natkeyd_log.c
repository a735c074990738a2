// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The log sink. The daemon is single-threaded, so the thresholds are plain
 * process state owned by this file (the one place natkeyd keeps any).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "tools/natkeyd/natkeyd_clock.h"
#include "tools/natkeyd/natkeyd_log.h"

static struct {
	bool foreground;
	bool open;
	enum nkd_level level[NKD_MOD_COUNT];
} nkd_log_state = { .foreground = true };

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

void nkd_log_open(bool foreground, enum nkd_level level)
{
	nkd_log_state.foreground = foreground;
	/* stderr fully buffered: the loop writes a wakeup's lines with one
	 * write() (nkd_log_flush() before every epoll_wait()), not one each. */
	if (foreground)
		setvbuf(stderr, NULL, _IOFBF, 64 * 1024);
	for (int i = 0; i < NKD_MOD_COUNT; i++)
		nkd_log_state.level[i] = level;
	if (!foreground) {
		openlog("natkeyd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		nkd_log_state.open = true;
	}
}

void nkd_log_flush(void)
{
	if (nkd_log_state.foreground)
		fflush(stderr);
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

		gmtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld %s %s: %s\n", when, ts.tv_nsec / 1000000,
			nkd_level_name(level), nkd_module_name(mod), text);
		return;
	}
	syslog((level == NKD_AUDIT ? LOG_AUTHPRIV : LOG_DAEMON) | prio[level], "%s %s: %s",
	       level == NKD_AUDIT ? "AUDIT" : nkd_level_name(level), nkd_module_name(mod), text);
}
