/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * natkeyd, the daemon: one epoll loop around the sans-I/O engine.
 *
 * Every loaded connection runs in its own engine instance (ike/engine.h
 * takes a fixed connection list), so that a reload can add and remove
 * connections while the unchanged ones keep their SAs. The daemon
 * demultiplexes datagrams to engines by asking each engine for the IKE SA
 * of the cookie pair (natkeyd_route.c), kernel events by reqid, and each
 * engine's timer through the loop's epoll_wait() timeout.
 */
#ifndef NATKEYD_TOOLS_NATKEYD_H
#define NATKEYD_TOOLS_NATKEYD_H

#include <stdbool.h>
#include <stdint.h>

#include "ike/conf/conf.h"
#include "ike/conf/conf_secrets.h"
#include "ike/engine.h"
#include "ike/wire/isakmp_decode.h"
#include "tools/natkeyd/natkeyd_glue.h"
#include "tools/natkeyd/natkeyd_pam.h"
#include "tools/natkeyd/natkeyd_updown.h"
#include "tools/natkeyd/natkeyd_view.h"
#include "tools/natkeyd/natkeyd_vip.h"
#include "xfrm/ike_socket.h"
#include "xfrm/xfrm_io.h"

#define NKD_CONNS_MAX 256
/* Datagrams read from one IKE socket per epoll wakeup. */
#define NKD_RECV_BATCH	    64
#define NKD_RECV_MMSG	    16 /* datagrams per recvmmsg() */
#define NKD_DEFAULT_CONF    "/etc/ipsec.conf"
#define NKD_DEFAULT_SECRETS "/etc/ipsec.secrets"
#define NKD_DEFAULT_CTL	    "/run/natkeyd.ctl"
#define NKD_DEFAULT_PID	    "/run/natkeyd.pid"

/* One loaded connection and its engine. */
struct nkd_conn {
	unsigned slot; /* never reused: the reqid is nkd_conn_reqid(slot) */
	char name[CONF_NAME_MAX + 1];
	enum conf_auto autostart;
	struct ike_conn_cfg cfg; /* holds the PSK: wiped on free; = pair_cfg[0] */
	/* The engine's conns: one per pair of subnets (nkd_conn_pairs()),
	 * reqids cfg.reqid .. cfg.reqid + n_pairs - 1; slots as many. */
	struct ike_conn_cfg *pair_cfg;
	unsigned n_pairs;
	struct ike_engine *eng;
	uint64_t timer_at; /* UINT64_MAX: none */
	uint64_t loaded_ms;
	struct nkd_view view;
	struct xk_policy trap[NKD_TRAP_MAX * NKD_PAIRS_MAX];
	int n_trap; /* > 0 while trap policies are installed */
	bool down;  /* admin `down`: no traps re-installed */
	/* leftupdown=: the command ("" = none), our identity for PLUTO_MY_ID,
	 * and the IPsec SAs the script was told about. */
	char updown[NKD_UD_CMD_MAX];
	bool firewall; /* leftfirewall=yes: nkd_updown_firewall_cmd first */
	char my_id[NKD_ID_MAX];
	struct nkd_ud_track *ud;
	bool ud_dirty; /* the last event touched SAs: compare again */
	/* xauthby=pam: passwords go to PAM service pam_service (natkeyd_pam.h). */
	bool xauth_pam;
	char pam_service[NKD_PAM_SERVICE_MAX + 1];
	/* type=passthrough|drop|reject: no engine (eng is NULL), only these
	 * policies, installed while n_shunt_in > 0. */
	enum conf_shunt shunt;
	struct xk_policy *shunt_pol;
	int n_shunt, n_shunt_in;
	/* leftsourceip=%config: the virtual IPs installed (natkeyd_vip.c). */
	struct nkd_vip_set vip;
};

struct nkd_opts {
	const char *conf_path;
	const char *secrets_path;
	const char *ctl_path;
	const char *pid_path;
	const char *cacerts;
	bool foreground;
	bool check_only;
	int level; /* enum nkd_level */
	uint16_t port_ike, port_natt;
};

/* A set of connections, for the engines' client_held query (nkd_client_held()). */
struct nkd_conn_set {
	struct nkd_conn *const *v;
	size_t n;
};

/* An OCSP fetch in flight (natkeyd_ocsp.c). */
#define NKD_OCSP_JOBS 8
#define NKD_TAG_OCSP  64 /* epoll tag of job 0; job i is NKD_TAG_OCSP + i */
struct nkd_ocsp_job {
	bool used, reaped;
	unsigned slot;
	pid_t pid;
	int fd;
	uint32_t id;
	char conn[CONF_NAME_MAX + 1];
	char uri[IKE_OCSP_URI_MAX];
	size_t len;
	uint8_t buf[64 * 1024 + 3];
};

struct nkd {
	struct nkd_opts o;
	struct conf *conf;
	struct conf_secrets *secrets;
	struct nkd_conn *conns[NKD_CONNS_MAX];
	struct nkd_conn_set set; /* conns, as the engines see them */
	unsigned next_slot;
	int epfd, sfd, ctlfd;
	int ka_fd; /* the NAT-keepalive observer, -1 without (nkd_ka_observer_open()) */
	uint64_t ka_seen, ka_unmatched; /* keepalives it saw; of those, for no engine's peer */
	uint32_t ka_drops;		/* its kernel drop count (SO_RXQ_OVFL) at the last drain */
	uint64_t ka_drain_at;		/* the next drain (nkd_keepalives_drain()) */
	struct ike_sockets socks;
	struct xfrm_io req, ev;
	uint64_t start_ms;
	uint64_t armed_at; /* the earliest deadline, UINT64_MAX none (nkd_timer_rearm()) */
	bool stop;
	bool pid_written;
	struct ike_actions *acts;
	unsigned depth;
	struct ike_halfopen *halfopen; /* half-open IKE SAs of all engines (config setup) */
	struct nkd_ud_runner ud;       /* leftupdown= scripts */
	struct nkd_ocsp_job ocsp[NKD_OCSP_JOBS];
	/* crypto-workers=: DH and signature jobs of every engine run there
	 * (natkeyd_workers.h); NULL: in the loop (crypto-workers=0). */
	struct nkd_workers *workers;
	struct nkd_pam_runner pam; /* xauthby=pam checks */
};

/* natkeyd_ocsp.c: OCSP requests of the engines, carried over HTTP. */

/**
 * nkd_ocsp_start() - fork the fetch of @f for connection @c; its answer
 * reaches the engine as IKE_EV_OCSP_RESULT from nkd_ocsp_input().
 * Return: 0 or a negative errno.
 */
int nkd_ocsp_start(struct nkd *d, struct nkd_conn *c, const struct ike_ocsp_fetch *f);

/**
 * nkd_ocsp_input() - the pipe of job @slot is readable. True when the fetch
 * is over: @ev is the IKE_EV_OCSP_RESULT for the engine of connection
 * @conn (its body valid until the next nkd_ocsp_start()).
 */
bool nkd_ocsp_input(struct nkd *d, unsigned slot, struct ike_event *ev, const char **conn);

/** nkd_ocsp_reap() - SIGCHLD: collect finished fetch processes. */
void nkd_ocsp_reap(struct nkd *d);

/* natkeyd_conn.c: connections and their engines. */

/**
 * nkd_now_ms() - CLOCK_MONOTONIC in milliseconds: read once per loop wakeup
 * (nkd_clock_mono_ms(&nkd_clk)), read each time outside the loop.
 */
uint64_t nkd_now_ms(void);

/**
 * nkd_conn_load() - create the engine of a built connection, install its
 * trap policies (auto=route/start) and initiate it (auto=start).
 *
 * Return: 0 or a negative errno (logged).
 */
int nkd_conn_load(struct nkd *d, const struct conf_conn *cc, const struct ike_conn_cfg *cfg);

/**
 * nkd_conn_unload() - send Deletes, remove its SAs and policies from the
 * kernel, free it.
 */
void nkd_conn_unload(struct nkd *d, struct nkd_conn *c);

/**
 * nkd_conn_find() - the loaded connection named @name, or NULL.
 */
struct nkd_conn *nkd_conn_find(struct nkd *d, const char *name);

/**
 * nkd_conn_up() / nkd_conn_down() - admin initiate / terminate. `up` of a
 * right=NAME connection without an IPsec SA resolves the name again first
 * and, when the address changed, gives @c a new engine for it (@c itself
 * stays valid).
 */
void nkd_conn_up(struct nkd *d, struct nkd_conn *c);
void nkd_conn_down(struct nkd *d, struct nkd_conn *c);

/**
 * nkd_conn_down_peer() - admin: delete the SAs of one peer of @c, the one
 * of IKE SA @serial (Deletes sent to it; traps come back on auto=route and
 * auto=start). Other peers of the connection stay up.
 */
void nkd_conn_down_peer(struct nkd *d, struct nkd_conn *c, uint32_t serial);

/**
 * nkd_conn_event() - feed one event to a connection's engine and perform
 * the actions it returns (and the kernel results they produce).
 */
void nkd_conn_event(struct nkd *d, struct nkd_conn *c, const struct ike_event *ev);

/**
 * nkd_pam_verdict() - nkd_pam_done_fn of the daemon's PAM runner (@arg:
 * the struct nkd): log the verdict and give it to the engine of the
 * connection, if it is still loaded.
 */
void nkd_pam_verdict(void *arg, const struct nkd_pam_job *j, bool ok, const char *why);
/**
 * nkd_timers_run() - deliver IKE_EV_TIMER to every engine whose time came,
 * then compute the next deadline.
 */
void nkd_timers_run(struct nkd *d);

/* How late the loop may run a deadline to share a wakeup with others. */
#define NKD_TIMER_SLACK_MS 250

/**
 * nkd_timer_rearm() - d->armed_at: the earliest engine timer (or updown
 * script, PAM or keepalive drain deadline), CLOCK_MONOTONIC ms; the loop sleeps until then
 * (epoll_wait()'s timeout). No system call.
 */
void nkd_timer_rearm(struct nkd *d);

/**
 * nkd_dgram_input() - read up to NKD_RECV_MMSG datagrams from IKE socket
 * @slot with one recvmmsg() and hand each to the engine it belongs to.
 * Returns how many were taken (handled or dropped): 0 when the socket had
 * nothing to read (or failed), fewer than NKD_RECV_MMSG when it is empty.
 */
unsigned nkd_dgram_input(struct nkd *d, enum ike_sock_slot slot);

/**
 * nkd_keepalives_drain() - read every datagram waiting on the keepalive
 * observer (natkeyd_ka.h: nkd_timers_run() calls this every NKD_KA_DRAIN_MS,
 * one of the deadlines of nkd_timer_rearm()) and
 * hand each keepalive (IKE_EV_KEEPALIVE, with the time the kernel received
 * it) to the engine whose peer is at its source (ike_engine_peer_at(),
 * O(1) per engine); no log line per packet, one warning per drain when the
 * kernel dropped some.
 */
void nkd_keepalives_drain(struct nkd *d);

/**
 * nkd_kernel_input() - read kernel events and route them by reqid.
 */
void nkd_kernel_input(struct nkd *d);

/**
 * nkd_kernel_submit() - perform one kernel request, logging a failure with
 * the kernel's message. @res (may be NULL) receives the result.
 *
 * Return: the request's errno (0 = done).
 */
int nkd_kernel_submit(struct nkd *d, const struct xk_req *r, struct xk_result *res);

/* natkeyd_route.c: which engine a datagram is for (pure: tests link it). */

/**
 * nkd_dgram_hdr() - the ISAKMP header of a datagram; @natt: it arrived on
 * the NAT-T port (the non-ESP marker in front; keepalives and ESP are not
 * ISAKMP).
 *
 * Return: 0 or a negative errno.
 */
int nkd_dgram_hdr(const uint8_t *buf, size_t len, bool natt, struct isakmp_hdr *hdr);

/**
 * nkd_route() - the connection whose engine a message with header @hdr
 * belongs to: the one holding its IKE SA (full cookie pair), else, for a
 * new Main or Aggressive Mode (zero responder cookie), the connection of
 * this peer, else the first that accepts any peer on @local. NULL: no
 * connection (the message is dropped). Nothing is remembered.
 */
struct nkd_conn *nkd_route(struct nkd_conn *const *conns, size_t n, const struct isakmp_hdr *hdr,
			   const struct sockaddr_storage *local,
			   const struct sockaddr_storage *remote);

/**
 * nkd_client_held() - ike_engine_cfg.client_held for a daemon with one
 * engine per connection: whether an engine of @arg (a struct nkd_conn_set)
 * other than @self holds a live client of another identity overlapping
 * @rts/@lts, so that road warriors of two right=%any connections cannot
 * take each other's clients either.
 */
bool nkd_client_held(void *arg, const struct ike_engine *self, const struct ike_ts *rts,
		     const struct ike_ts *lts, const struct ike_id *id);

/**
 * nkd_updown_run() - tell @c's leftupdown= script what changed in its IPsec
 * SAs since it was last told (@gone: the engine is going away, every SA it
 * knew of is down).
 */
void nkd_updown_run(struct nkd *d, struct nkd_conn *c, bool gone);

/* natkeyd_ctl.c: the control socket. */

/**
 * nkd_ctl_open() - create the control socket at @path (mode 0660).
 *
 * Return: the listening descriptor or a negative errno (@err set).
 */
int nkd_ctl_open(const char *path, char *err, size_t err_len);

/**
 * nkd_ctl_accept() - serve one control connection.
 */
void nkd_ctl_accept(struct nkd *d);

/* natkeyd.c */

/**
 * nkd_config_load() - read, resolve and check ipsec.conf and ipsec.secrets of
 * @o; on error @err holds one line and @diag the details.
 */
int nkd_config_load(const struct nkd_opts *o, struct conf **confp, struct conf_secrets **secp,
		    struct conf_diag *diag, char *err, size_t err_len);

/**
 * nkd_conns_build() - the engine connections of @conf (credentials loaded,
 * notes logged); free them with nkd_conns_free().
 */
int nkd_conns_build(const struct conf *conf, const struct conf_secrets *sec, const char *cacerts,
		    struct ike_conn_cfg **out, char *err, size_t err_len);

/**
 * nkd_conf_notes_log() - log the warnings of @conf (accepted foreign keys), one
 * line each, before it runs.
 */
void nkd_conf_notes_log(const struct conf *conf);

/**
 * nkd_conns_free() - drop the credential references of @n connections and wipe them.
 */
void nkd_conns_free(struct ike_conn_cfg *v, size_t n);

/**
 * nkd_check_config() - natkeyd --check-config: print the effective
 * configuration or the errors; the process's exit status.
 */
int nkd_check_config(const struct nkd_opts *o);

/**
 * nkd_reload() - re-read the configuration and apply the difference.
 * @d: the daemon.
 * @msg: receives a summary or the error.
 * @msg_len: its size.
 *
 * Return: 0, or a negative errno when the new configuration was refused
 * (the running one stays).
 */
int nkd_reload(struct nkd *d, char *msg, size_t msg_len);

#endif
