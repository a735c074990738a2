# natkeyd-xauth-libreswan: natkeyd-xauth-gw.sh with Libreswan road warriors
# (leftxauthclient=yes, leftmodecfgclient=yes, modecfgpull=yes) instead of
# strongSwan.
XAUTH_PEER=libreswan
source "$E2E_SRC/tests/e2e/scenarios/natkeyd/natkeyd-xauth-gw.sh"
