# tests/e2e: the user-mode-linux end-to-end bed.
