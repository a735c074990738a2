#!/bin/sh
# make check: the engine's and the daemon's calls between files run one way
# (docs/architecture.md; tests/lib/check_layers.py says how it is checked).
exec python3 "${srcdir:-.}/tests/lib/check_layers.py" "${srcdir:-.}" .
