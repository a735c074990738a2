/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ISAKMP messages built with the encoder, one per situation the codec must
 * handle (every payload type, both NAT-T numberings, all ID forms, Mode
 * Config, fragments, an encrypted body). Shared by the codec unit tests, the
 * tshark test, the corpus/mutation test and the benchmark.
 */
#ifndef NATKEYD_TESTS_LIB_ISAKMP_SAMPLES_H
#define NATKEYD_TESTS_LIB_ISAKMP_SAMPLES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Vendor IDs used by the samples (docs/requirements.md s11.9). */
extern const uint8_t sample_vid_rfc3947[16];
extern const uint8_t sample_vid_draft02[16];
extern const uint8_t sample_vid_draft02n[16];
extern const uint8_t sample_vid_draft03[16];
extern const uint8_t sample_vid_dpd[16];
extern const uint8_t sample_vid_xauth[8];

struct isakmp_sample {
	const char *name;
	/* Build the message into @buf; returns its length or a negative errno. */
	ssize_t (*build)(uint8_t *buf, size_t cap);
	uint16_t port; /* UDP port it travels on: 500, or 4500 (non-ESP marker) */
};

extern const struct isakmp_sample isakmp_samples[];
extern const size_t isakmp_nsamples;

#endif
