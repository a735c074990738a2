# tests/e2e: the user-mode-linux end-to-end bed (run by scripts/test.sh through
# tests/e2e/run-all; see tests/e2e/README.md). Shell only, nothing to build.
# Whole directories: scenario and topology files added later are included
# without editing this fragment.
EXTRA_DIST += tests/e2e tests/corpus/isakmp/README.md tests/corpus/isakmp/baseline
EXTRA_DIST += tests/data/interop tests/data/interop-frag docs/interop.md
EXTRA_DIST += docs/nat-traversal.md docs/conformance.md docs/security.md
