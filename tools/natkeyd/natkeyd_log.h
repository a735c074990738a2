/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * natkeyd's log output: stderr in the foreground (tests, containers), syslog
 * otherwise; one level threshold per module so that `natkeyctl log-level
 * debug xfrm` turns on exactly the kernel side. Audit records (RFC 3947 s8:
 * mapping changes) always go out, to LOG_AUTHPRIV under syslog.
 */
#ifndef NATKEYD_TOOLS_LOG_H
#define NATKEYD_TOOLS_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum nkd_level {
	NKD_ERROR = 0,
	NKD_WARN,
	NKD_INFO,
	NKD_DEBUG,
	NKD_AUDIT, /* never filtered */
};

enum nkd_module {
	NKD_MOD_DAEMON = 0, /* the daemon itself (startup, reload, signals) */
	NKD_MOD_IKE,
	NKD_MOD_NATT,
	NKD_MOD_XFRM,
	NKD_MOD_CRYPTO,
	NKD_MOD_ENGINE,
	NKD_MOD_CONF,
	NKD_MOD_CTL,
	NKD_MOD_COUNT,
};

/**
 * nkd_log_open() - start logging: @foreground writes to stderr, otherwise
 * openlog("natkeyd"). Every module starts at @level.
 */
void nkd_log_open(bool foreground, enum nkd_level level);

/** How long an info or debug line may wait for its write() (stderr). */
#define NKD_LOG_FLUSH_MS 200

/**
 * nkd_log_flush() - write out the lines buffered for stderr now (before a
 * child process is started, at exit).
 */
void nkd_log_flush(void);

/**
 * nkd_log_deadline() - when the buffered lines are due (monotonic ms, as
 * nkd_now_ms()): 0 with a warning, error or audit record among them (at the
 * end of this wakeup), the oldest line's time + NKD_LOG_FLUSH_MS otherwise,
 * UINT64_MAX with nothing buffered (or under syslog).
 */
uint64_t nkd_log_deadline(void);

/** nkd_log_flush_due() - nkd_log_flush() if nkd_log_deadline() <= @now. */
void nkd_log_flush_due(uint64_t now);

/**
 * nkd_log_close() - closelog() when syslog was used.
 */
void nkd_log_close(void);

/**
 * nkd_log_set_level() - set the threshold of @mod, or of every module when
 * @mod is NKD_MOD_COUNT.
 */
void nkd_log_set_level(enum nkd_module mod, enum nkd_level level);

/**
 * nkd_log_enabled() - whether a record of @level for @mod would be written.
 */
bool nkd_log_enabled(enum nkd_module mod, enum nkd_level level);

/**
 * nkd_log() - write one record ("LEVEL module: text").
 */
void nkd_log(enum nkd_module mod, enum nkd_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * nkd_level_name() / nkd_module_name() - "info", "xfrm".
 */
const char *nkd_level_name(enum nkd_level level);
const char *nkd_module_name(enum nkd_module mod);

#endif
