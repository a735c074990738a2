// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Capabilities with the raw system calls (see capset(2)): the daemon needs
 * one capability after startup, so a library for the general case would be
 * a dependency for three calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "tools/natkeyd_os.h"

static int capget_v3(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };

	return (int)syscall(SYS_capget, &h, d);
}

unsigned long long nkd_caps_effective(void)
{
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (capget_v3(d) < 0)
		return 0;
	return (unsigned long long)d[0].effective | ((unsigned long long)d[1].effective << 32);
}

int nkd_caps_drop(char *err, size_t err_len)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];
	int last = CAP_LAST_CAP;
	FILE *f;

	/* The running kernel may know more capabilities than our headers. */
	f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	if (f) {
		if (fscanf(f, "%d", &last) != 1)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	/* Bounding set first: dropping needs CAP_SETPCAP, which goes next. */
	for (int cap = 0; cap <= last && cap < 64; cap++) {
		if (cap == CAP_NET_ADMIN)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
			int e = errno;

			snprintf(err, err_len, "prctl(PR_CAPBSET_DROP, %d): %s", cap, strerror(e));
			return -e;
		}
	}
	memset(d, 0, sizeof(d));
	d[0].permitted = d[0].effective = 1u << CAP_NET_ADMIN;
	if (syscall(SYS_capset, &h, d) < 0) {
		int e = errno;

		snprintf(err, err_len, "capset(CAP_NET_ADMIN only): %s", strerror(e));
		return -e;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		int e = errno;

		snprintf(err, err_len, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(e));
		return -e;
	}
	return 0;
}

int nkd_sd_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun;
	socklen_t sl;
	size_t n;
	int fd, rc = 1;

	if (!path || !path[0])
		return 0;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sun.sun_path))
		return -EINVAL;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0'; /* abstract namespace */
	sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sun, sl) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int nkd_pidfile_write(const char *path, char *err, size_t err_len)
{
	char buf[32];
	int fd, n;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;

		snprintf(err, err_len, "pid file %s: %s", path, strerror(e));
		return -e;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		ssize_t r = read(fd, buf, sizeof(buf) - 1);

		buf[r > 0 ? r : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(err, err_len, "pid file %s is locked: natkeyd is already running (pid %s)",
			 path, buf);
		close(fd);
		return -EEXIST;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || write(fd, buf, (size_t)n) != n) {
		int e = errno;

		snprintf(err, err_len, "pid file %s: %s", path, strerror(e));
		close(fd);
		return -e;
	}
	/* The descriptor stays open (and locked) until the process exits. */
	return 0;
}
