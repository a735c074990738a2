# shellcheck shell=bash
# xfrm-bench-smoke: the xfrm benchmark (xfrm-bench.sh, `make bench`) with 200 SA pairs instead of
# 10,000, in the suite (suite.d/xfrm.txt) so that a broken benchmark fails CI: it must install and
# remove every SA both ways and print its BENCH xfrm line. Its figures are not meant to be read.
default_topology=direct
XFRM_BENCH_PAIRS=200
# shellcheck source=xfrm-bench.sh
source "$E2E_SRC/tests/e2e/scenarios/xfrm/xfrm-bench.sh"
