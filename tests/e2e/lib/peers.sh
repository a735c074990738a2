# shellcheck shell=bash
# tests/e2e/lib/peers.sh: run the reference IKEv1 peers inside the guest.
#
#   strongSwan (charon + swanctl, installed from Debian packages)
#   Libreswan  (pluto, a private copy unpacked by tests/e2e/run into
#               build/peers/libreswan and linked to /usr/libexec/ipsec)
#
# Each peer runs on one host (network namespace) with that host's own /etc
# files (/etc/netns/HOST/...) and /run. Configuration is written from
# key=value options whose defaults come from the topology's variables, so the
# same call works in every topology:
#
#   strongswan_rw HOST [key=value...]    road warrior, connection "gw", child "net"
#   strongswan_gw HOST [key=value...]    gateway for road warriors, conn "rw"
#   libreswan_gw  HOST [key=value...]    gateway for road warriors, conn "rw"
#   libreswan_rw  HOST [key=value...]    road warrior, conn "gw"
#
# Options (all roles): psk, ike (proposal), esp (proposal), aggressive=yes|no,
# id, remote_id, dpd_delay, dpd_timeout (seconds; 0 = off). Road warrior:
# remote (the gateway's public address), remote_ts (protected subnet).
# Gateway: local (own address), local_ts (protected subnet), remote_ts
# (subnets road warriors may claim; strongSwan), remote_id (%any by default;
# Libreswan needs the road warrior's ID for Aggressive Mode).

E2E_PSK_DEFAULT="natkeyd-e2e-shared-secret"
LIBRESWAN_DIR=/usr/libexec/ipsec
# (Every Libreswan program is called by its full path: /usr/sbin/ipsec is
# strongSwan's. That includes the updown script, whose default "ipsec
# _updown" would run strongSwan's.)

# peers_opts DEFAULTS... -- ARGS...: fill the associative array `o` (declared
# by the caller) with defaults then key=value arguments.
peers_opts() {
	local a seen=0
	for a in "$@"; do
		if [[ $a == -- ]]; then seen=1; continue; fi
		[[ $a == *=* ]] || fail "option '$a' is not key=value"
		o[${a%%=*}]=${a#*=}
	done
	: "$seen"
}

peers_common_defaults() {
	o[psk]=$E2E_PSK_DEFAULT
	o[aggressive]=no
	o[dpd_delay]=0
	o[dpd_timeout]=0
}

# ---------------------------------------------------------------- strongSwan

# strongswan_conf HOST [extra charon settings...]: write HOST's
# strongswan.conf: a short plugin list (faster start), file log in
# $E2E_OUT/logs/HOST-charon.log, Aggressive Mode with PSK allowed as responder.
strongswan_conf() {
	local h=$1 etc s
	shift
	etc=$(host_etc "$h")
	mkdir -p "$etc/swanctl"
	{
		cat <<-EOF
			charon {
			  load_modular = no
			  load = random nonce openssl pem pkcs1 x509 pubkey kernel-netlink socket-default vici
			  i_dont_care_about_security_and_use_aggressive_mode_psk = yes
			  retransmit_timeout = 2.0
			  retransmit_tries = 4
			  install_virtual_ip = no
		EOF
		for s in "$@"; do printf '  %s\n' "$s"; done
		cat <<-EOF
			  plugins {
			    vici {
			      socket = unix:///run/charon.vici
			    }
			  }
			  filelog {
			    main {
			      path = $E2E_OUT/logs/$h-charon.log
			      time_format = %T
			      ike_name = yes
			      append = no
			      flush_line = yes
			      default = 1
			      ike = 2
			      cfg = 2
			      knl = 2
			      net = 2
			      enc = 1
			    }
			  }
			  syslog {
			    identifier = charon-$h
			  }
			}
			swanctl {
			  load = random pem pkcs1 x509 pubkey
			}
		EOF
	} >"$etc/strongswan.conf"
}

# swanctl_psk_conf HOST CONN ADDRS DPD_ACTION SECRET_REMOTE: the swanctl.conf
# of one IKEv1 PSK tunnel from the options in o[] (the caller's peers_opts):
# ADDRS is its "remote_addrs = ..." or "local_addrs = ..." line, SECRET_REMOTE
# the secret's id-remote line (or nothing for a gateway's any-peer secret).
swanctl_psk_conf() {
	local h=$1 conn=$2 addrs=$3 dpd_action=$4 secret_remote=$5
	[[ -f $(host_etc "$h")/strongswan.conf ]] || strongswan_conf "$h"
	cat >"$(host_etc "$h")/swanctl/swanctl.conf" <<-EOF
		connections {
		  $conn {
		    version = 1
		    aggressive = ${o[aggressive]}
		    $addrs
		    proposals = ${o[ike]}
		    dpd_delay = ${o[dpd_delay]}s
		    dpd_timeout = ${o[dpd_timeout]}s
		    local {
		      auth = psk
		      id = ${o[id]}
		    }
		    remote {
		      auth = psk
		      id = ${o[remote_id]}
		    }
		    children {
		      net {
		        local_ts = ${o[local_ts]}
		        remote_ts = ${o[remote_ts]}
		        esp_proposals = ${o[esp]}
		        mode = tunnel
		        dpd_action = $dpd_action
		      }
		    }
		  }
		}
		secrets {
		  ike-$conn {
		    id-local = ${o[id]}
		    $secret_remote
		    secret = "${o[psk]}"
		  }
		}
	EOF
}

# strongswan_rw HOST [key=value...]: swanctl.conf for a road warrior that
# connects to the gateway (connection "gw", child "net").
strongswan_rw() {
	local h=$1
	shift
	local -A o
	peers_common_defaults
	o[remote]=${GW_PUB:-}
	o[remote_ts]=${GW_NET:-}
	o[local_ts]=dynamic
	o[id]=@$h.natkeyd.test
	o[remote_id]=@gw.natkeyd.test
	o[ike]=aes128-sha256-modp2048
	o[esp]=aes128-sha1-modp2048
	peers_opts -- "$@"
	swanctl_psk_conf "$h" gw "remote_addrs = ${o[remote]}" restart "id-remote = ${o[remote_id]}"
}

# strongswan_gw HOST [key=value...]: swanctl.conf for a gateway that accepts
# road warriors from anywhere (connection "rw", child "net").
strongswan_gw() {
	local h=$1
	shift
	local -A o
	peers_common_defaults
	o[local]=${GW_IP:-%any}
	o[local_ts]=${GW_NET:-}
	o[remote_ts]=10.0.0.0/8,198.51.100.0/24,203.0.113.0/24,192.0.2.0/24
	o[id]=@gw.natkeyd.test
	o[remote_id]=%any
	o[ike]=aes128-sha256-modp2048
	o[esp]=aes128-sha1-modp2048
	peers_opts -- "$@"
	swanctl_psk_conf "$h" rw "local_addrs = ${o[local]}" clear ""
}

# strongswan_start HOST: start charon on HOST, wait for its control socket,
# load the swanctl configuration.
strongswan_start() {
	local h=$1 sock
	sock=$(host_run "$h")/charon.vici
	[[ -f $(host_etc "$h")/strongswan.conf ]] || strongswan_conf "$h"
	daemon_start "$h" charon /usr/lib/ipsec/charon
	wait_until 30 test -S "$sock" || fail "charon on $h did not open $sock (logs/$h-charon.log, logs/$h-charon.out)"
	on "$h" swanctl --load-all --noprompt >>"$E2E_OUT/logs/$h-swanctl.log" 2>&1 ||
		fail "swanctl --load-all failed on $h (logs/$h-swanctl.log)"
	log "strongSwan up on $h"
}

# strongswan_initiate HOST [CHILD] [SECONDS]: bring CHILD (default net) up
# and wait for the result.
strongswan_initiate() {
	local h=$1 child=${2:-net} t=${3:-60}
	on "$h" swanctl --initiate --child "$child" --timeout "$t" >>"$E2E_OUT/logs/$h-swanctl.log" 2>&1 ||
		fail "strongSwan on $h could not bring up $child (logs/$h-swanctl.log, logs/$h-charon.log)"
	log "strongSwan on $h: $child up"
}

# strongswan_sas HOST: swanctl --list-sas (for logs and assert_output).
strongswan_sas() { on "$1" swanctl --list-sas; }

# ---------------------------------------------------------------- Libreswan

# libreswan_setup HOST: ipsec.conf "config setup", the secrets file and an
# empty NSS database under /etc/netns/HOST. Called by libreswan_gw/_rw.
libreswan_setup() {
	local h=$1 psk=$2 etc
	etc=$(host_etc "$h")
	mkdir -p "$etc/ipsec.d" "$(host_run "$h")/pluto"
	[[ -x $LIBRESWAN_DIR/pluto ]] || fail "Libreswan is not available at $LIBRESWAN_DIR (tests/e2e/run unpacks it into build/peers/libreswan)"
	certutil -N -d "sql:$etc/ipsec.d" --empty-password >>"$E2E_OUT/logs/$h-certutil.log" 2>&1 ||
		fail "certutil could not create the NSS db for $h"
	cat >"$etc/ipsec.conf" <<-EOF
		config setup
		  ikev1-policy=accept
		  virtual-private=%v4:10.0.0.0/8,%v4:!${GW_NET:-10.9.0.0/24}
		  nssdir=/etc/ipsec.d
		  dnssec-enable=no
		  logtime=yes
		  logappend=no
		  plutodebug=none
		  uniqueids=no

	EOF
	printf ': PSK "%s"\n' "$psk" >"$etc/ipsec.secrets"
	chmod 600 "$etc/ipsec.secrets"
}

# libreswan_gw HOST [key=value...]: a gateway for road warriors (conn "rw"):
# right=%any with rightsubnet=vhost:%no,%priv, the classic NAT-T road
# warrior setup (a road warrior may claim its own or a private address).
libreswan_gw() {
	local h=$1
	shift
	local -A o
	peers_common_defaults
	o[local]=${GW_IP:-}
	o[local_ts]=${GW_NET:-}
	o[id]=@gw.natkeyd.test
	o[remote_id]=%any
	o[ike]="aes128-sha2_256;modp2048"
	o[esp]="aes128-sha1;modp2048"
	peers_opts -- "$@"
	libreswan_setup "$h" "${o[psk]}"
	libreswan_conn_dpd
	cat >>"$(host_etc "$h")/ipsec.conf" <<-EOF
		conn rw
		  ikev2=no
		  authby=secret
		  aggressive=${o[aggressive]}
		  left=${o[local]}
		  leftid=${o[id]}
		  leftsubnet=${o[local_ts]}
		  right=%any
		  rightid=${o[remote_id]}
		  rightsubnet=vhost:%no,%priv
		  ike=${o[ike]}
		  esp=${o[esp]}
		  pfs=yes
		  rekey=no
		  encapsulation=auto
		  leftupdown=$LIBRESWAN_DIR/_updown
		  auto=add
	EOF
	printf '%s' "$dpd_lines" >>"$(host_etc "$h")/ipsec.conf"
}

# libreswan_rw HOST [key=value...]: a road warrior (conn "gw") that connects
# from its own address to the gateway's protected subnet.
libreswan_rw() {
	local h=$1
	shift
	local -A o
	peers_common_defaults
	o[remote]=${GW_PUB:-}
	o[remote_ts]=${GW_NET:-}
	o[id]=@$h.natkeyd.test
	o[remote_id]=@gw.natkeyd.test
	o[ike]="aes128-sha2_256;modp2048"
	o[esp]="aes128-sha1;modp2048"
	peers_opts -- "$@"
	libreswan_setup "$h" "${o[psk]}"
	libreswan_conn_dpd
	cat >>"$(host_etc "$h")/ipsec.conf" <<-EOF
		conn gw
		  ikev2=no
		  authby=secret
		  aggressive=${o[aggressive]}
		  left=%defaultroute
		  leftid=${o[id]}
		  right=${o[remote]}
		  rightid=${o[remote_id]}
		  rightsubnet=${o[remote_ts]}
		  ike=${o[ike]}
		  esp=${o[esp]}
		  pfs=yes
		  encapsulation=auto
		  leftupdown=$LIBRESWAN_DIR/_updown
		  auto=add
	EOF
	printf '%s' "$dpd_lines" >>"$(host_etc "$h")/ipsec.conf"
}

libreswan_conn_dpd() {
	dpd_lines=""
	if [[ ${o[dpd_delay]} != 0 ]]; then
		dpd_lines="  dpddelay=${o[dpd_delay]}"$'\n'"  dpdtimeout=${o[dpd_timeout]}"$'\n'"  dpdaction=restart"$'\n'
	fi
}

# libreswan_start HOST: start pluto on HOST, wait for its control socket,
# listen and load every connection.
libreswan_start() {
	local h=$1 sock
	sock=$(host_run "$h")/pluto/pluto.ctl
	mkdir -p "$(host_run "$h")/pluto"
	daemon_start "$h" pluto "$LIBRESWAN_DIR/pluto" --nofork --config /etc/ipsec.conf \
		--logfile "$E2E_OUT/logs/$h-pluto.log" --rundir /run/pluto
	wait_until 30 test -S "$sock" || fail "pluto on $h did not open $sock (logs/$h-pluto.log, logs/$h-pluto.out)"
	on "$h" "$LIBRESWAN_DIR/whack" --listen >>"$E2E_OUT/logs/$h-whack.log" 2>&1 ||
		fail "whack --listen failed on $h (logs/$h-whack.log)"
	on "$h" "$LIBRESWAN_DIR/addconn" --config /etc/ipsec.conf --autoall >>"$E2E_OUT/logs/$h-whack.log" 2>&1 ||
		fail "addconn --autoall failed on $h (logs/$h-whack.log)"
	log "Libreswan up on $h"
}

# libreswan_initiate HOST [CONN]: bring CONN (default gw) up; whack waits for
# the outcome.
libreswan_initiate() {
	local h=$1 conn=${2:-gw}
	on "$h" "$LIBRESWAN_DIR/whack" --name "$conn" --initiate >>"$E2E_OUT/logs/$h-whack.log" 2>&1 ||
		fail "Libreswan on $h could not bring up $conn (logs/$h-whack.log, logs/$h-pluto.log)"
	log "Libreswan on $h: $conn up"
}

# libreswan_status HOST: whack --trafficstatus (for logs and assert_output).
libreswan_status() { on "$1" "$LIBRESWAN_DIR/whack" --trafficstatus; }
