# natkeyd-xauth-badpw: natkeyd-xauth-gw.sh with a wrong XAUTH password:
# natkeyd asks three times, then refuses; nothing is left in its kernel.
XAUTH_BAD=1
source "$E2E_SRC/tests/e2e/scenarios/natkeyd-xauth-gw.sh"
