#!/bin/sh
# Replay the committed corpus of fuzz_conf (built with replay_main.c).
exec ./tests/fuzz/fuzz_conf "${srcdir:-.}/tests/fuzz/corpus/conf"
