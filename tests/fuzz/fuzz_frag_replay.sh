#!/bin/sh
# Replay the committed corpus of fuzz_frag (built with replay_main.c).
exec ./tests/fuzz/fuzz_frag "${srcdir:-.}/tests/fuzz/corpus/frag"
