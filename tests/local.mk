# tests/: shared test infrastructure (simulator, end-to-end bed).
# The fuzz replay driver every fuzz target links with when not built with libFuzzer.
EXTRA_DIST += tests/fuzz/fuzz.h tests/fuzz/replay_main.c
