#!/bin/sh
# bench_xfrm.sh: `make bench` entry for xfrm/ (BENCH_SHELL). Boots the user-mode-linux bed with
# the xfrm-bench scenario (tests/e2e/scenarios/xfrm/xfrm-bench.sh): 10,000 SA pairs + policies
# installed and removed by natkeyd's batched netlink code and by `ip -batch`, same run, same
# kernel. Run from the build folder (make bench does); needs root and the bed's packages.
# Last line: BENCH xfrm sa_per_s=... ipbatch_sa_per_s=... ratio=... remove_s=...
here=$(cd "$(dirname "$0")" && pwd)
build=${NATKEYD_BUILD:-$(pwd)}
out=${XFRM_BENCH_OUT:-$build/bench-xfrm}
[ -x "$build/tests/xfrm/xfrm_ktest" ] || { echo "bench_xfrm: $build/tests/xfrm/xfrm_ktest not built (make)" >&2; exit 1; }
NATKEYD_BUILD=$build E2E_TIMEOUT=${E2E_TIMEOUT:-1500} E2E_MEM=${E2E_MEM:-1024M} \
	"$here/../e2e/run" xfrm-bench "$out" >&2 || { echo "bench_xfrm: the bench scenario failed (see $out)" >&2; exit 1; }
tail -n 1 "$out/xfrm/bench.txt"
