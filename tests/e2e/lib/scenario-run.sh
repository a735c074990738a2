#!/bin/bash
# tests/e2e/lib/scenario-run.sh: runs one scenario inside the guest (under
# guest.sh's timeout). Loads the harness, the topology's variables and the
# scenario file, then calls its scenario() function. Exit 0 = passed.
# shellcheck source=common.sh
source "$E2E_LIB/common.sh"
# shellcheck source=peers.sh
source "$E2E_LIB/peers.sh"
# shellcheck source=natt.sh
source "$E2E_LIB/natt.sh"
# shellcheck disable=SC1091
source "$E2E_OUT/meta.env"
# Variables the caller gave as E2E_VAR_NAME=value (lib/host.sh).
# shellcheck disable=SC1091
[[ -r $E2E_OUT/vars.env ]] && source "$E2E_OUT/vars.env"
# scenarios/FAMILY/NAME.sh (lib/host.sh checked that the name is there once).
f=$(compgen -G "$E2E_SRC/tests/e2e/scenarios/*/$E2E_SCENARIO.sh" | head -n1)
[[ -n $f && -r $f ]] || fail "no scenario file tests/e2e/scenarios/*/$E2E_SCENARIO.sh"
# shellcheck disable=SC1090
source "$f"
declare -F scenario >/dev/null || fail "$f defines no scenario() function"
exec {xfd}>>"$E2E_OUT/trace.log"
BASH_XTRACEFD=$xfd
PS4='+ ${BASH_SOURCE[0]##*/}:${LINENO}: '
log "scenario $E2E_SCENARIO starts"
set -x
scenario
rc=$?
set +x
if ((rc != 0)); then
	echo "FAIL scenario() returned $rc without a failed assertion (see trace.log)" >>"$E2E_OUT/failures.txt"
	exit "$rc"
fi
log "scenario $E2E_SCENARIO passed"
exit 0
