/* SPDX-License-Identifier: GPL-2.0-or-later */
/* natkeyctl natcheck: RFC 5780 NAT behaviour discovery from this host. */
#ifndef NATKEYD_TOOLS_NATKEYCTL_NATCHECK_H
#define NATKEYD_TOOLS_NATKEYCTL_NATCHECK_H

/**
 * natcheck_main() - run `natkeyctl natcheck`; @argv[0] is "natcheck".
 * Return: the exit status (0 result, 1 UDP blocked or the server refused,
 * 2 usage, 3 local failure: resolving, sockets).
 */
int natcheck_main(int argc, char **argv);

#endif
