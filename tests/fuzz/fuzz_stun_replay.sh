#!/bin/sh
# Replay the committed STUN corpus through the fuzz target (make check).
exec ./tests/fuzz/fuzz_stun "${srcdir:-.}/tests/fuzz/corpus/stun"
