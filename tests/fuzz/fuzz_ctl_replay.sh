#!/bin/sh
# Replay the committed corpus of fuzz_ctl (built with replay_main.c).
exec ./tests/fuzz/fuzz_ctl "${srcdir:-.}/tests/fuzz/corpus/ctl"
