#!/bin/bash
# Configure and build natkeyd out of tree.
#   scripts/build.sh BUILDDIR [configure options...]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$1; shift
"$src/scripts/deps.sh" build
if [ ! -x "$src/configure" ] || [ "$src/configure.ac" -nt "$src/configure" ]; then
	(cd "$src" && autoreconf -fi >/dev/null 2>&1) || { (cd "$src" && autoreconf -fi); exit 1; }
fi
mkdir -p "$build"
cd "$build"
if [ ! -f Makefile ] || [ "$src/configure" -nt Makefile ] || [ "${NATKEYD_RECONFIGURE:-0}" = 1 ]; then
	"$src/configure" --quiet "$@"
fi
make -s -j"$(nproc)"
