#!/bin/sh
# Replay the committed corpus and every crash reproducer of the ISAKMP fuzz
# targets through the plain main() driver (tests/fuzz/replay_main.c).
set -e
d=${srcdir:-.}/tests/fuzz
./tests/fuzz/fuzz_isakmp_msg "$d/corpus/isakmp_msg" "$d/crashes/isakmp_msg"
./tests/fuzz/fuzz_isakmp_attr "$d/corpus/isakmp_attr" "$d/crashes/isakmp_attr"
