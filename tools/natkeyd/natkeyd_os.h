/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's dealings with the operating system that are not IKE traffic:
 * capabilities, the systemd readiness datagram, the pid file, and the host
 * name and route lookups behind left=/right=.
 */
#ifndef NATKEYD_TOOLS_OS_H
#define NATKEYD_TOOLS_OS_H

#include <stddef.h>

#include "tools/natkeyd/natkeyd_glue.h"

/**
 * nkd_caps_drop() - keep only CAP_NET_ADMIN (XFRM netlink, bypass policies)
 * in the permitted and effective sets, empty the inheritable set, drop every
 * other capability from the bounding set and set no_new_privs. Called after
 * the sockets (ports 500/4500: CAP_NET_BIND_SERVICE) and netlink are open.
 * Raw prctl/capset system calls: no libcap dependency.
 *
 * @keep_raw: also keep CAP_NET_RAW in the bounding and permitted sets, not
 *            effective: leftupdown=/leftfirewall= scripts (root, no new
 *            privileges) then get it, which iptables-legacy needs.
 *
 * Return: 0 or a negative errno with @err describing the failed step.
 */
int nkd_caps_drop(bool keep_raw, char *err, size_t err_len);

/**
 * nkd_caps_effective() - the effective capability set (bits 0..63), for
 * logs and tests.
 */
unsigned long long nkd_caps_effective(void);

/**
 * nkd_sd_notify() - send @state ("READY=1", "STOPPING=1", "RELOADING=1")
 * to $NOTIFY_SOCKET, the systemd notify protocol without libsystemd.
 *
 * Return: 1 sent, 0 not under systemd (no $NOTIFY_SOCKET), negative errno.
 */
int nkd_sd_notify(const char *state);

/**
 * nkd_pidfile_write() - create @path exclusively-locked with our pid.
 *
 * Return: 0, -EEXIST when another natkeyd holds it (@err names its pid), or
 * a negative errno.
 */
int nkd_pidfile_write(const char *path, char *err, size_t err_len);

/* nkd_os_resolver - the daemon's lookups for left=/right= (struct
 * nkd_resolver): getaddrinfo(3) for host names (so /etc/hosts and DNS, as
 * nsswitch.conf says), rtnetlink route queries (xfrm/route.h) for
 * %defaultroute and for whether an address is this host's. They block for
 * as long as the resolver takes; the daemon calls them at load, reload and
 * `up`, never per packet. */
extern const struct nkd_resolver nkd_os_resolver;

/**
 * nkd_family_name() - "IPv4" or "IPv6", for messages.
 */
const char *nkd_family_name(int family);

#endif
