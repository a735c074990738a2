/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ikedump: human-readable rendering of one ISAKMP message, payload by
 * payload, with the names from ike/wire/isakmp_names.h. Decoding is the codec's;
 * this file only prints what it returned (or why it refused).
 */
#ifndef NATKEYD_TOOLS_IKEDUMP_PRINT_H
#define NATKEYD_TOOLS_IKEDUMP_PRINT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/**
 * ikedump_print_msg() - decode @len bytes of ISAKMP at @buf and print them.
 * @out: where to print.
 * @buf: the message (after any non-ESP marker).
 * @len: its length.
 *
 * Return: 0 when the message decoded, 1 when it is malformed (the reason,
 * byte offset and the notify a responder would send are printed).
 */
int ikedump_print_msg(FILE *out, const uint8_t *buf, size_t len);

#endif
