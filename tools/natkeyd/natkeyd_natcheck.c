// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nat_binding_lifetime=natcheck (tools/natkeyd/natkeyd_natcheck.h): read the
 * state file, bounded, and hand its parse to natt/natcheck_state.c.
 */
#include "tools/natkeyd/natkeyd_natcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "natt/adaptka.h"
#include "natt/natcheck_state.h"

#define EFTYPE_NKD EMEDIUMTYPE /* "not a regular file" below */

/* At most NATCHECK_STATE_MAX + 1 bytes of a regular file into @buf (so a
 * longer file is seen as one). Return: the length, or -errno. */
static ssize_t read_bounded(const char *path, char *buf)
{
	struct stat st;
	size_t got = 0;
	int fd, err;

	/* O_NONBLOCK: a FIFO in its place must not hang the daemon. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		err = errno;
		close(fd);
		return -err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -EFTYPE_NKD;
	}
	while (got < NATCHECK_STATE_MAX + 1) {
		ssize_t n = read(fd, buf + got, NATCHECK_STATE_MAX + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			close(fd);
			return -err;
		}
		if (!n)
			break;
		got += (size_t)n;
	}
	close(fd);
	return (ssize_t)got;
}

static void age_text(uint64_t s, char *out, size_t n)
{
	if (s < 120)
		snprintf(out, n, "%llu s", (unsigned long long)s);
	else if (s < 7200)
		snprintf(out, n, "%llu min", (unsigned long long)(s / 60));
	else if (s < 2 * 86400)
		snprintf(out, n, "%llu h", (unsigned long long)(s / 3600));
	else
		snprintf(out, n, "%llu d", (unsigned long long)(s / 86400));
}

int nkd_natcheck_apply(const struct conf_conn *c, const char *path, uint64_t now,
		       struct ike_conn_cfg *o, char *msg, size_t msg_len)
{
	char text[NATCHECK_STATE_MAX + 1], why[200], age[32];
	struct natcheck_state st;
	ssize_t len;

	if (msg_len)
		msg[0] = 0;
	if (!c->nat_binding_lifetime_natcheck)
		return 0;
	o->binding_lifetime_ms = 0;
	o->binding_lifetime_src = NATT_LT_NONE;
	len = read_bounded(path, text);
	if (len < 0) {
		snprintf(why, sizeof(why), "%s (run natkeyctl natcheck --save)",
			 len == -EFTYPE_NKD ? "not a regular file" : strerror((int)-len));
		goto none;
	}
	if ((size_t)len > NATCHECK_STATE_MAX) {
		snprintf(why, sizeof(why), "longer than %u bytes", NATCHECK_STATE_MAX);
		goto none;
	}
	if (natcheck_state_parse(text, (size_t)len, &st, why, sizeof(why)) < 0)
		goto none;
	if (st.time > now + NKD_NATCHECK_SKEW_S) {
		age_text(st.time - now, age, sizeof(age));
		snprintf(why, sizeof(why), "measured %s in the future (clock set back?)", age);
		goto none;
	}
	age_text(now > st.time ? now - st.time : 0, age, sizeof(age));
	if (now > st.time && now - st.time > NKD_NATCHECK_MAX_AGE_S) {
		snprintf(why, sizeof(why),
			 "measured %s ago, more than 7 d: this host may be on another network "
			 "now (run natkeyctl natcheck --save again)",
			 age);
		goto none;
	}
	if (!st.lifetime_ms) {
		snprintf(why, sizeof(why), "the natcheck %s ago measured no binding lifetime", age);
		goto none;
	}
	o->binding_lifetime_ms = st.lifetime_ms;
	o->binding_lifetime_src = NATT_LT_NATCHECK;
	snprintf(msg, msg_len,
		 "conn %s: NAT binding lifetime %u.%03u s from %s (natkeyctl natcheck %s ago)",
		 c->name, st.lifetime_ms / 1000, st.lifetime_ms % 1000, path, age);
	return 1;
none:
	snprintf(msg, msg_len,
		 "conn %s: nat_binding_lifetime=natcheck: %s: %s; no binding lifetime known%s",
		 c->name, path, why,
		 c->nat_keepalive_auto ? " (nat_keepalive=auto: 20 s until one is learned)" : "");
	return -1;
}
