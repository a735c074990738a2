#!/bin/sh
# Replay the crypto fuzz corpus (tests/vectors/crypto/corpus) through the
# fuzz target linked with tests/fuzz/replay_main.c.
set -e
exec ./tests/fuzz/fuzz_crypto_peer "${srcdir:-.}/tests/vectors/crypto/corpus"
