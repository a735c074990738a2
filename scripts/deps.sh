#!/bin/bash
# Install the Debian packages a natkeyd workflow needs.
#   scripts/deps.sh [LIST...]   (LIST = a file name under scripts/packages/ without
#                                .txt; no argument = every list)
# As root: `apt-get update` once, then `apt-get install -y` of what is missing.
# Not root: print the exact apt-get line and fail.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

want=()
lists=("$@")
if [ ${#lists[@]} -eq 0 ]; then
	for f in "$here"/packages/*.txt; do lists+=("$(basename "$f" .txt)"); done
fi
for list in "${lists[@]}"; do
	f="$here/packages/$list.txt"
	[ -f "$f" ] || { echo "deps.sh: no package list $f" >&2; exit 2; }
	while read -r pkg _; do
		case "$pkg" in ''|\#*) continue ;; esac
		want+=("$pkg")
	done < "$f"
done

missing=()
for pkg in "${want[@]}"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "natkeyd needs these Debian packages; run as root:" >&2
	echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# apt-get update once per machine boot of this script family (cheap marker in /run).
if [ ! -e /run/natkeyd-apt-updated ]; then
	apt-get update -q >/dev/null
	touch /run/natkeyd-apt-updated 2>/dev/null || true
fi
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
