/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the natt/ and simulated-NAT unit tests. */
#ifndef NATKEYD_TESTS_NATT_TEST_H
#define NATKEYD_TESTS_NATT_TEST_H

#include <stdint.h>
#include <sys/socket.h>

#include <check.h>

#define N(a)   (sizeof(a) / sizeof((a)[0]))
#define SA(ss) ((const struct sockaddr *)&(ss))

/**
 * natt_test_ep() - an AF_INET or AF_INET6 endpoint from text ("192.0.2.1",
 * "2001:db8::1") and a host-order port; fails the test on bad text.
 */
struct sockaddr_storage natt_test_ep(const char *addr, uint16_t port);

/**
 * natt_test_run() - run one suite, free it, return the process exit status.
 */
int natt_test_run(Suite *s);

#endif
