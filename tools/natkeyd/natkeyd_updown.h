/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * leftupdown=: the admin's script, run when an IPsec SA comes up, goes down,
 * is rekeyed or follows a NAT mapping change, with the environment
 * strongSwan's and Libreswan's updown scripts read (PLUTO_VERB, PLUTO_PEER,
 * PLUTO_MY_CLIENT, ...; natkeyd.conf(5) lists them).
 *
 * Two halves. The pure one compares the IPsec SAs a connection's engine
 * reports with those a script was last told about and says what to tell
 * (nkd_updown_diff()), and writes the environment (nkd_updown_env()). The
 * runner starts each script with posix_spawn() (never waiting for it: the
 * event loop goes on), one at a time per connection so that a script sees
 * "up" before "down", at most NKD_UD_RUNNING at once, reaps them after
 * SIGCHLD and kills a script (its process group) that outlives its timeout.
 */
#ifndef NATKEYD_TOOLS_UPDOWN_H
#define NATKEYD_TOOLS_UPDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ike/engine.h"
#include "ike/engine_status.h"

#define NKD_UD_TRACK	  64	/* IPsec SAs a connection's script knows of */
#define NKD_UD_EVENTS	  16	/* events of one reconciliation */
#define NKD_UD_ENV_MAX	  48	/* environment entries of one run */
#define NKD_UD_ENV_BUF	  4096	/* their text */
#define NKD_UD_QUEUE	  128	/* scripts waiting to run */
#define NKD_UD_RUNNING	  4	/* scripts running at once */
#define NKD_UD_TIMEOUT_MS 30000 /* a script running longer is killed */
#define NKD_UD_CMD_MAX	  1024	/* a job's command (leftupdown= is at most 255) */

enum nkd_ud_verb {
	NKD_UD_UP,     /* up-client / up-host */
	NKD_UD_DOWN,   /* down-client / down-host */
	NKD_UD_REKEY,  /* rekey-client / rekey-host: a new SA pair replaced one */
	NKD_UD_UPDATE, /* update-client / update-host: the peer's NAT mapping moved */
};

/* What a script was told about one IPsec SA pair. */
struct nkd_ud_sa {
	uint32_t serial, ike_serial;
	struct ike_ts local_ts, remote_ts;
	struct sockaddr_storage local, remote; /* outer endpoints */
	uint32_t spi_in, spi_out, reqid;
	bool udp_encap;
	enum xk_mode mode;
	char peer_id[96];
	bool local_nat, peer_nat;
	/* Mode Config client: our virtual address and the DNS servers received. */
	struct xk_addr vip;
	uint8_t n_dns;
	struct xk_addr dns[IKE_MODECFG_DNS_MAX];
};

/* The SAs of one connection its script knows of. */
struct nkd_ud_track {
	struct nkd_ud_sa v[NKD_UD_TRACK];
	size_t n;
};

struct nkd_ud_event {
	enum nkd_ud_verb verb;
	struct nkd_ud_sa sa;
	struct sockaddr_storage old_remote; /* UPDATE: where the peer was */
	uint32_t old_spi_in, old_spi_out;   /* REKEY: the pair replaced */
};

/**
 * nkd_updown_diff() - what to tell a connection's script.
 * @t:     the SAs the script knows of; updated.
 * @ike:   the engine's IKE SAs of the connection (peer ID, NAT facts).
 * @n_ike: their number.
 * @cur:   the engine's IPsec SAs (ike_status_ipsec_list()); only installed,
 *         not replaced ones count.
 * @n_cur: their number.
 * @ev:    receives the events, in order: downs, then ups and rekeys, then
 *         updates.
 * @max:   room in @ev.
 *
 * An installed SA the script does not know is "rekey" when it has the
 * selectors and peer address of a known one (which it replaces in @t), else
 * "up"; a known SA that is gone is "down" unless a newer SA with its
 * selectors and peer took over; a known SA whose peer endpoint changed is
 * "update".
 *
 * Return: the number of events written (at most @max; the rest is found
 * on the next call).
 */
size_t nkd_updown_diff(struct nkd_ud_track *t, const struct ike_sa_status *ike, size_t n_ike,
		       const struct ipsec_sa_status *cur, size_t n_cur, struct nkd_ud_event *ev,
		       size_t max);

/**
 * nkd_updown_env() - the environment of one script run.
 * @e:     the event.
 * @conn:  the connection's name (PLUTO_CONNECTION).
 * @my_id: our identity as text (PLUTO_MY_ID), "" for our address.
 * @buf:   holds the "KEY=VALUE" strings.
 * @len:   its size.
 * @envp:  receives pointers into @buf, NULL-terminated.
 * @max:   room in @envp (including the NULL).
 *
 * Return: the number of entries, or -ENOSPC.
 */
int nkd_updown_env(const struct nkd_ud_event *e, const char *conn, const char *my_id, char *buf,
		   size_t len, char **envp, size_t max);

/**
 * nkd_updown_verb() - "up-client", "down-host-v6", ... for @e.
 */
const char *nkd_updown_verb(const struct nkd_ud_event *e, char *buf, size_t len);

/* leftfirewall=yes: the forwarding rules of strongSwan's _updown (iptables),
 * as a script over the same environment: on up-client the two FORWARD
 * accepts for the tunnel's traffic, matched by the IPsec policy and reqid
 * (-m policy), inserted first; removed on down-client; nothing for -host
 * (no forwarding) or rekey/update (the reqid and selectors stay). iptables
 * is the admin's (iptables-nft or -legacy through Debian's alternatives),
 * ip6tables for IPv6. */
extern const char nkd_updown_firewall_cmd[];

/* ---- the runner ---- */

struct nkd_ud_job {
	char key[IKE_NAME_MAX]; /* the connection: its jobs run one at a time, in order */
	char cmd[NKD_UD_CMD_MAX];
	char verb[40]; /* for the log: "up-client", "leftfirewall up-client" */
	char envbuf[NKD_UD_ENV_BUF];
	char *env[NKD_UD_ENV_MAX];
	pid_t pid;	   /* 0 while queued */
	uint64_t deadline; /* when a running job is killed */
	bool killed;
};

/* Reports a finished (or killed, or unstartable) script. */
typedef void (*nkd_ud_report)(void *arg, const struct nkd_ud_job *j, int status, const char *why);

struct nkd_ud_runner {
	struct nkd_ud_job *queue[NKD_UD_QUEUE]; /* FIFO of waiting jobs */
	size_t n_queue;
	struct nkd_ud_job *run[NKD_UD_RUNNING];
	uint32_t timeout_ms;
	const char *shell; /* "/bin/sh" */
	nkd_ud_report report;
	void *arg;
	unsigned dropped; /* jobs lost to a full queue */
};

/**
 * nkd_ud_runner_init() - an empty runner.
 */
void nkd_ud_runner_init(struct nkd_ud_runner *r, uint32_t timeout_ms, nkd_ud_report report,
			void *arg);

/**
 * nkd_ud_submit() - run `@shell -c @cmd` with @env (copied) for connection
 * @key: now if it may start, else when the connection's earlier scripts are
 * done and a slot is free.
 *
 * Return: 0, -ENOSPC (queue full: dropped), -E2BIG (@cmd longer than
 * NKD_UD_CMD_MAX), -ENOMEM.
 */
int nkd_ud_submit(struct nkd_ud_runner *r, const char *key, const char *cmd, const char *verb,
		  char *const env[], uint64_t now_ms);

/**
 * nkd_ud_reap() - collect finished scripts (after SIGCHLD), report them and
 * start waiting ones.
 */
void nkd_ud_reap(struct nkd_ud_runner *r, uint64_t now_ms);

/**
 * nkd_ud_expire() - kill (SIGKILL to the process group) every script past
 * its deadline; nkd_ud_reap() reports it once it is gone.
 */
void nkd_ud_expire(struct nkd_ud_runner *r, uint64_t now_ms);

/**
 * nkd_ud_next_deadline() - the earliest deadline of a running script, or
 * UINT64_MAX.
 */
uint64_t nkd_ud_next_deadline(const struct nkd_ud_runner *r);

/**
 * nkd_ud_busy() - scripts running or waiting.
 */
size_t nkd_ud_busy(const struct nkd_ud_runner *r);

/**
 * nkd_ud_runner_stop() - kill every running script, wait for them, drop
 * the queue (daemon shutdown).
 */
void nkd_ud_runner_stop(struct nkd_ud_runner *r);

#endif
