/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rebuild a decoded message from its decoded fields alone, with the encoder.
 * Equal bytes prove that decoding lost nothing and encoding adds nothing;
 * used by the unit tests and as the fuzzers' round-trip oracle.
 */
#ifndef NATKEYD_TESTS_LIB_ISAKMP_REENCODE_H
#define NATKEYD_TESTS_LIB_ISAKMP_REENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ike/wire/isakmp_decode.h"

/**
 * isakmp_test_reencode() - encode @m (a plaintext message) into @out.
 *
 * Return: bytes written, or a negative errno from the encoder.
 */
ssize_t isakmp_test_reencode(const struct isakmp_msg *m, uint8_t *out, size_t cap);

/**
 * isakmp_test_reencode_exact() - whether re-encoding must give the same
 * bytes: false when a NAT-OA carries non-zero reserved octets (tolerated on
 * input, always zero on output) or the message had alignment padding.
 */
bool isakmp_test_reencode_exact(const struct isakmp_msg *m);

#endif
