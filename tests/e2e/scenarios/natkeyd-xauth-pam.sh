# natkeyd-xauth-pam: natkeyd-xauth-gw.sh with xauthby=pam (XAUTH_PAM=1):
# the XAUTH users are users of the guest, checked by pam_unix through
# /etc/pam.d/natkeyd; a wrong password is refused after three tries, then
# the right one brings the tunnel up (virtual IP, ping, NAT-T).
XAUTH_PAM=1
source "$E2E_SRC/tests/e2e/scenarios/natkeyd-xauth-gw.sh"
