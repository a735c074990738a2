#!/bin/sh
# Replay the committed corpus of fuzz_conf_secrets (built with replay_main.c).
exec ./tests/fuzz/fuzz_conf_secrets "${srcdir:-.}/tests/fuzz/corpus/conf_secrets"
