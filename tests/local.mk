# tests/: shared test infrastructure (simulator, end-to-end bed).
