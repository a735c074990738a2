# shellcheck shell=bash
# tests/e2e/lib/host.sh: the host side of the bed (tests/e2e/run, run-all):
# checks tools, fetches the private Libreswan copy, boots one user-mode-linux
# guest per scenario, evaluates the capture assertions with tshark afterwards
# and prints the verdict.
#
# Writes only to the scenario's output folder, to build/peers/ (the private
# Libreswan copy, once) and to /dev/shm (UML's memory file and uml_dir).

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E2E_SRC=$(cd "$E2E_DIR/../.." && pwd)
E2E_PEERS=${E2E_PEERS:-$E2E_SRC/build/peers}
# Guest-side scenario timeout and the host's hard limit for the whole boot.
E2E_TIMEOUT=${E2E_TIMEOUT:-240}
E2E_MEM=${E2E_MEM:-512M}

e2e_die() {
	echo "e2e: $*" >&2
	exit 2
}

# e2e_check_tools: every program the bed runs, host and guest side.
e2e_check_tools() {
	local t missing=()
	for t in linux.uml tshark tcpdump iptables-legacy iptables-legacy-restore conntrack \
		ip tc ping sysctl swanctl /usr/lib/ipsec/charon certutil modprobe timeout; do
		command -v "$t" >/dev/null 2>&1 || missing+=("$t")
	done
	[[ -d /usr/lib/uml/modules ]] || missing+=(/usr/lib/uml/modules)
	((${#missing[@]} == 0)) ||
		e2e_die "missing ${missing[*]}: install the bed's packages with scripts/deps.sh bed (as root)"
}

# e2e_prepare_peers: unpack Libreswan into $E2E_PEERS/libreswan once. Its
# Debian package conflicts with strongSwan's, so it is never installed:
# `apt-get download` + `dpkg -x`; its runtime libraries are ordinary packages
# (scripts/packages/bed.txt).
e2e_prepare_peers() {
	local dir=$E2E_PEERS/libreswan tmp deb missing
	if [[ ! -x $dir/usr/libexec/ipsec/pluto ]]; then
		mkdir -p "$E2E_PEERS" || e2e_die "cannot create $E2E_PEERS"
		(
			flock 9
			[[ -x $dir/usr/libexec/ipsec/pluto ]] && exit 0
			tmp=$(mktemp -d "$E2E_PEERS/.fetch.XXXXXX") || exit 1
			trap 'rm -rf "$tmp"' EXIT
			cd "$tmp" || exit 1
			if ! apt-get -q -o APT::Sandbox::User=root download libreswan >fetch.log 2>&1; then
				# A fresh machine may have no package lists yet.
				if [[ $(id -u) == 0 ]]; then
					apt-get -q update >>fetch.log 2>&1
					apt-get -q -o APT::Sandbox::User=root download libreswan >>fetch.log 2>&1
				fi
			fi
			deb=$(ls libreswan_*.deb 2>/dev/null | head -n1)
			if [[ -z $deb ]]; then
				cat fetch.log >&2
				echo "e2e: could not download libreswan (apt-get download libreswan)" >&2
				exit 1
			fi
			dpkg -x "$deb" root || exit 1
			dpkg-deb -f "$deb" Version >root/VERSION
			rm -rf "$dir"
			mv root "$dir"
		) 9>"$E2E_PEERS/.lock" || e2e_die "could not prepare the private Libreswan copy in $dir"
	fi
	missing=$(ldd "$dir/usr/libexec/ipsec/pluto" "$dir/usr/libexec/ipsec/whack" \
		"$dir/usr/libexec/ipsec/addconn" 2>&1 | grep 'not found' | sort -u)
	[[ -z $missing ]] ||
		e2e_die "Libreswan's libraries are missing ($(echo $missing)): run scripts/deps.sh bed (as root)"
}

# e2e_scenario_names: every scenario name (scenarios/FAMILY/NAME.sh), sorted.
e2e_scenario_names() {
	local f
	for f in "$E2E_DIR"/scenarios/*/*.sh; do
		[[ -e $f ]] || continue
		f=${f##*/}
		echo "${f%.sh}"
	done | sort
}

# e2e_scenario_file NAME: the file of scenario NAME (scenarios/*/NAME.sh),
# relative to tests/e2e; dies when there is none or more than one.
e2e_scenario_file() {
	local name=$1 f found=()
	[[ $name =~ ^[A-Za-z0-9_-]+$ ]] || e2e_die "no scenario '$name': names are letters, digits, - and _"
	for f in "$E2E_DIR"/scenarios/*/"$name".sh; do
		[[ -r $f ]] && found+=("${f#"$E2E_DIR"/}")
	done
	((${#found[@]} > 1)) && e2e_die "scenario name '$name' exists twice: ${found[*]}"
	((${#found[@]} == 1)) ||
		e2e_die "no scenario '$name' (tests/e2e/scenarios/*/$name.sh); known: $(e2e_scenario_names | tr '\n' ' ')"
	echo "${found[0]}"
}

# e2e_default_topology SCENARIO: the scenario file's default_topology=.
e2e_default_topology() {
	local file
	file=$(e2e_scenario_file "$1") || exit 2
	sed -n 's/^default_topology=\([A-Za-z0-9_-]*\).*/\1/p' "$E2E_DIR/$file" | head -n1
}

# e2e_run_one SCENARIO[@TOPOLOGY] [OUTDIR]: run one scenario; prints one
# verdict line; returns 0 if it passed.
e2e_run_one() {
	local spec=$1 scen sfile topo name out t0 t1 ms rc status uml umldir line fails
	scen=${spec%%@*}
	sfile=$(e2e_scenario_file "$scen") || exit 2
	sfile=$E2E_DIR/$sfile
	if [[ $spec == *@* ]]; then topo=${spec#*@}; else topo=$(e2e_default_topology "$scen"); fi
	[[ -n $topo ]] || e2e_die "scenario $scen names no default_topology: use $scen@TOPOLOGY"
	[[ -r $E2E_DIR/topologies/$topo.topo ]] ||
		e2e_die "no topology '$topo'; known: $(cd "$E2E_DIR/topologies" && ls | sed 's/\.topo$//' | tr '\n' ' ')"
	name=$scen@$topo
	if [[ -n ${NATKEYD_BUILD:-} ]]; then
		[[ -d $NATKEYD_BUILD ]] || e2e_die "NATKEYD_BUILD=$NATKEYD_BUILD is not a folder"
		NATKEYD_BUILD=$(cd "$NATKEYD_BUILD" && pwd)
	fi
	out=${2:-$E2E_SRC/build/e2e/$name}
	mkdir -p "$out" || e2e_die "cannot create $out"
	out=$(cd "$out" && pwd)
	case $out in
	/run/* | /dev/* | /proc/* | /sys/*) e2e_die "the output folder cannot live under /run, /dev, /proc or /sys" ;;
	esac
	for p in "$out" "$E2E_SRC" "$E2E_PEERS" "${NATKEYD_BUILD:--}"; do
		[[ $p =~ ^[A-Za-z0-9_./@+-]+$ ]] ||
			e2e_die "path '$p' has characters the UML kernel command line cannot carry"
	done
	# Only ever empty a folder this harness made.
	if [[ -n $(ls -A "$out") ]]; then
		[[ -e $out/.natkeyd-e2e ]] || e2e_die "$out is not empty and not a previous e2e output folder"
		find "$out" -mindepth 1 -delete
	fi
	touch "$out/.natkeyd-e2e"
	e2e_check_tools
	e2e_prepare_peers
	# A scenario may ask for more time or memory (e2e_timeout=S, e2e_mem=SIZE
	# lines in its file; E2E_TIMEOUT/E2E_MEM win when larger) and for
	# strongSwan's load-tester (`# needs: loadtester`, built once per machine).
	local timeout=$E2E_TIMEOUT mem=$E2E_MEM want v
	want=$(sed -n 's/^e2e_timeout=\([0-9]*\).*/\1/p' "$sfile" | head -n1)
	[[ -n $want ]] && ((want > timeout)) && timeout=$want
	want=$(sed -n 's/^e2e_mem=\([0-9]*\)M.*/\1/p' "$sfile" | head -n1)
	[[ -n $want && $mem == *M ]] && ((want > ${mem%M})) && mem=${want}M
	if grep -q '^# needs: loadtester' "$sfile"; then
		"$E2E_DIR/lib/loadtester-build.sh" >/dev/null ||
			e2e_die "$scen needs strongSwan's load-tester: tests/e2e/lib/loadtester-build.sh could not build it"
	fi
	# E2E_VAR_NAME=value in the environment: NAME=value for the scenario
	# (vars.env, sourced before the scenario file).
	for v in ${!E2E_VAR_@}; do
		[[ ${!v} =~ ^[A-Za-z0-9_.,:/@%+\ -]*$ ]] || e2e_die "$v has characters vars.env does not carry"
		printf '%s="%s"\n' "${v#E2E_VAR_}" "${!v}"
	done >"$out/vars.env"

	umldir=$(mktemp -d /dev/shm/natkeyd-uml.XXXXXX) || e2e_die "mktemp in /dev/shm"
	# shellcheck disable=SC2064
	trap "rm -rf '$umldir'" EXIT
	uml=(linux.uml "mem=$mem" "uml_dir=$umldir" "umid=natkeyd$$"
		rootfstype=hostfs rootflags=/ rw "init=$E2E_DIR/lib/init.sh"
		con=null con0=null,fd:1 loglevel=4
		"E2E_SRC=$E2E_SRC" "E2E_OUT=$out" "E2E_SCENARIO=$scen" "E2E_TOPOLOGY=$topo"
		"E2E_TIMEOUT=$timeout" "E2E_PEERS=$E2E_PEERS" "NATKEYD_BUILD=${NATKEYD_BUILD:--}")
	t0=${EPOCHREALTIME/./}
	TMPDIR=/dev/shm timeout -k 10 $((timeout + 120)) "${uml[@]}" </dev/null >"$out/console.log" 2>&1
	rc=$?
	rm -rf "$umldir"
	t1=${EPOCHREALTIME/./}
	status=
	[[ -s $out/status ]] && read -r status <"$out/status"
	if [[ -z $status ]]; then
		echo "FAIL guest never wrote its status (UML exit $rc$( ((rc == 124)) && echo ', killed after the host timeout'); see console.log)" >>"$out/failures.txt"
		status=99
	fi

	# Capture assertions, in the order the scenario made them.
	if [[ $status == 0 && -s $out/deferred.tsv ]]; then
		E2E_OUT=$out
		# shellcheck source=common.sh
		source "$E2E_DIR/lib/common.sh"
		e2e_deferred_eval || status=1
	fi
	ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
	printf '%d.%d\n' $((ms / 1000)) $((ms % 1000 / 100)) >"$out/time.txt"
	# Where the time went (microsecond clocks of host and guest agree: UML
	# reads the host's clock).
	local g0 g1
	if read -r g0 g1 2>/dev/null <"$out/.guest-times"; then
		printf 'boot %d ms, guest %d ms, halt %d ms, host checks %d ms, total %d ms\n' \
			$(((g0 - t0) / 1000)) $(((g1 - g0) / 1000)) $(((t1 - g1) / 1000)) \
			$((ms - (t1 - t0) / 1000)) "$ms" >"$out/timing.txt"
	fi
	if [[ $status == 0 ]]; then
		echo "PASS $name" >"$out/result.txt"
		printf 'PASS %s (%d.%d s; boot+run %d.%d s)\n' "$name" $((ms / 1000)) $((ms % 1000 / 100)) \
			$(((t1 - t0) / 1000000)) $(((t1 - t0) / 100000 % 10))
		return 0
	fi
	echo "FAIL $name" >"$out/result.txt"
	fails=$(grep -c . "$out/failures.txt" 2>/dev/null)
	line=$(head -n1 "$out/failures.txt" 2>/dev/null)
	printf 'FAIL %s (%d.%d s): %s%s\n     logs: %s\n' "$name" $((ms / 1000)) $((ms % 1000 / 100)) \
		"${line#FAIL }" "$( ((fails > 1)) && echo " (+$((fails - 1)) more in failures.txt)")" "$out"
	return 1
}
