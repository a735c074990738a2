#!/bin/sh
# Replay the committed NAT-T corpus through the fuzz target (make check).
exec ./tests/fuzz/fuzz_natt "${srcdir:-.}/tests/fuzz/corpus/natt"
