/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every fuzz target defines LLVMFuzzerTestOneInput(). Built with
 * --enable-fuzzing it links against libFuzzer; otherwise it links against
 * replay_main.c, which feeds it every file of a corpus folder, so the corpus
 * and every crash reproducer replay in `make check` without libFuzzer.
 */
#ifndef NATKEYD_TESTS_FUZZ_H
#define NATKEYD_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
