// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Capabilities with the raw system calls (see capset(2)): the daemon needs
 * one capability after startup, so a library for the general case would be
 * a dependency for three calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <linux/capability.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "tools/natkeyd/natkeyd_os.h"
#include "xfrm/route.h"

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

int nkd_caps_drop(bool keep_raw, char *err, size_t err_len)
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
		if (cap == CAP_NET_ADMIN || (keep_raw && cap == CAP_NET_RAW))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
			int e = errno;

			snprintf(err, err_len, "prctl(PR_CAPBSET_DROP, %d): %s", cap, strerror(e));
			return -e;
		}
	}
	memset(d, 0, sizeof(d));
	d[0].permitted = d[0].effective = 1u << CAP_NET_ADMIN;
	if (keep_raw)
		d[0].permitted |= 1u << CAP_NET_RAW; /* for scripts only: not effective */
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

/* ---- lookups for left=/right= ---- */

static size_t addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static int os_name(void *arg, const char *name, int family, struct conf_addr *out, size_t max,
		   char *why, size_t why_len)
{
	struct addrinfo hints, *res = NULL, *ai;
	size_t n = 0;
	int rc;

	(void)arg;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family ? family : AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM; /* one entry per address, not per socket type */
	rc = getaddrinfo(name, NULL, &hints, &res);
	if (rc) {
		const char *m = rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc);

		if (family)
			snprintf(why, why_len, "no %s address for this name (%s)",
				 nkd_family_name(family), m);
		else
			snprintf(why, why_len, "cannot resolve the host name (%s)", m);
		return rc == EAI_MEMORY ? -ENOMEM : -ENOENT;
	}
	for (ai = res; ai && n < max; ai = ai->ai_next) {
		struct conf_addr a;
		size_t k;

		memset(&a, 0, sizeof(a));
		if (ai->ai_family == AF_INET && ai->ai_addrlen >= sizeof(struct sockaddr_in))
			memcpy(a.bytes, &((const struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
		else if (ai->ai_family == AF_INET6 && ai->ai_addrlen >= sizeof(struct sockaddr_in6))
			memcpy(a.bytes, &((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
		else
			continue;
		a.family = ai->ai_family;
		for (k = 0; k < n; k++)
			if (out[k].family == a.family && !memcmp(out[k].bytes, a.bytes, 16))
				break;
		if (k == n)
			out[n++] = a;
	}
	freeaddrinfo(res);
	if (!n) {
		snprintf(why, why_len, "the name has no %s address",
			 family ? nkd_family_name(family) : "IP");
		return -ENOENT;
	}
	return (int)n;
}

static int os_defaultroute(void *arg, int family, const struct conf_addr *peer,
			   struct conf_addr *out, char *why, size_t why_len)
{
	struct route_info ri;
	char p[64];
	int rc;

	(void)arg;
	memset(out, 0, sizeof(*out));
	if (!peer) {
		rc = route_default_source(family, out->bytes, NULL);
		if (rc == -ENOENT)
			snprintf(
				why, why_len,
				"no %s default route (add one, or set left= to this host's address)",
				nkd_family_name(family));
		else if (rc == -EADDRNOTAVAIL)
			snprintf(
				why, why_len,
				"the %s default route has no source address and no gateway (set left= to this host's address)",
				nkd_family_name(family));
		else if (rc < 0)
			snprintf(why, why_len, "%s default route lookup failed: %s",
				 nkd_family_name(family), strerror(-rc));
		if (rc < 0)
			return rc;
		out->family = family;
		return 0;
	}
	conf_addr_format(peer, p, sizeof(p));
	rc = route_lookup(peer->family, peer->bytes, &ri);
	if (rc == -ENETUNREACH || rc == -EHOSTUNREACH) {
		snprintf(why, why_len,
			 "no route to the peer %s (%s; is there an %s default route?)", p,
			 strerror(-rc), nkd_family_name(peer->family));
		return rc;
	}
	if (rc < 0) {
		snprintf(why, why_len, "route lookup towards %s failed: %s", p, strerror(-rc));
		return rc;
	}
	if (ri.type == RTN_LOCAL) {
		snprintf(why, why_len, "the peer %s is an address of this host", p);
		return -EINVAL;
	}
	if (ri.type != RTN_UNICAST || !ri.has_prefsrc) {
		snprintf(why, why_len, "the kernel has no source address for %s (route type %u)", p,
			 ri.type);
		return -EADDRNOTAVAIL;
	}
	memcpy(out->bytes, ri.prefsrc, addr_len(peer->family));
	out->family = peer->family;
	return 0;
}

static int os_is_local(void *arg, const struct conf_addr *a)
{
	struct route_info ri;
	int rc;

	(void)arg;
	rc = route_lookup(a->family, a->bytes, &ri);
	if (rc == -ENETUNREACH || rc == -EHOSTUNREACH)
		return 0;
	if (rc < 0)
		return rc;
	return ri.type == RTN_LOCAL;
}

const struct nkd_resolver nkd_os_resolver = {
	.name = os_name,
	.defaultroute = os_defaultroute,
	.is_local = os_is_local,
	.arg = NULL,
};

static const char *family_name(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

const char *nkd_family_name(int family)
{
	return family_name(family);
}
