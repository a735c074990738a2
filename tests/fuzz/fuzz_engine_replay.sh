#!/bin/sh
# Replay the committed corpus of fuzz_engine_protected (built with replay_main.c).
exec ./tests/fuzz/fuzz_engine_protected "${srcdir:-.}/tests/fuzz/corpus/engine_protected"
