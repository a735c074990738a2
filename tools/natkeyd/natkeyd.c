// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * natkeyd main: options, the startup order that leaves nothing half-done in
 * the kernel on an error, the epoll loop, reload and clean shutdown.
 *
 * Startup order: configuration and secrets (pure checks, refused before any
 * side effect), XFRM netlink (missing kernel support is found here), stale
 * state of a crashed natkeyd removed, IKE sockets (ports in use), control
 * socket and pid file, capabilities dropped, then connections loaded.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "config.h"
#include "tools/natkeyd/natkeyd.h"
#include "tools/natkeyd/natkeyd_clock.h"
#include "tools/natkeyd/natkeyd_cred.h"
#include "tools/natkeyd/natkeyd_log.h"
#include "tools/natkeyd/natkeyd_ka.h"
#include "tools/natkeyd/natkeyd_os.h"
#include "tools/natkeyd/natkeyd_workers.h"

enum {
	TAG_SIGNAL = 1,
	TAG_XFRM,
	TAG_CTL,
	TAG_WORKERS,
	TAG_SOCK = 16, /* + enum ike_sock_slot */
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: natkeyd [-F] [-c FILE] [-s SECRETS] [-S CTLSOCK] [-p PIDFILE] [-d]\n"
		   "       natkeyd --check-config [-c FILE] [-s SECRETS]\n"
		   "  -F, --foreground    stay in the foreground, log to stderr\n"
		   "  -c, --config FILE   ipsec.conf (default " NKD_DEFAULT_CONF ")\n"
		   "  -s, --secrets FILE  ipsec.secrets (default " NKD_DEFAULT_SECRETS ")\n"
		   "  -S, --socket PATH   control socket (default " NKD_DEFAULT_CTL ")\n"
		   "  -p, --pidfile PATH  pid file (default " NKD_DEFAULT_PID ")\n"
		   "  -d, --debug         log level debug for every module\n"
		   "  -n, --check-config  validate, print the effective configuration, exit\n"
		   "  -V, --version       print the version\n");
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ? -1 : 0;
}

static int ep_add(int epfd, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

static bool conf_wants_family(const struct conf *conf, int family)
{
	for (size_t i = 0; i < conf->n_conns; i++)
		if (conf->conns[i].autostart != CONF_AUTO_IGNORE &&
		    conf_host_addr(&conf->conns[i].left.host) &&
		    conf_host_addr(&conf->conns[i].left.host)->family == family)
			return true;
	return false;
}

/* The IKE sockets: IPv4 always, IPv6 when a connection uses it. */
static int sockets_open(struct nkd *d, char *err, size_t err_len)
{
	struct ike_socket_cfg sc = {
		.v4 = true,
		.v6 = conf_wants_family(d->conf, AF_INET6),
		.port_ike = d->o.port_ike,
		.port_natt = d->o.port_natt,
		.bufsize = (int)d->conf->setup.ike_socket_bufsize,
	};
	int rc = ike_sockets_open(&d->socks, &sc, err, err_len);

	if (rc == 0)
		/* The kernel reports twice what it grants (the doubled figure
		 * includes its bookkeeping share): halved, this is the size asked
		 * for unless the sysctls capped it. */
		nkd_log(NKD_MOD_XFRM, d->socks.buf_capped ? NKD_WARN : NKD_INFO,
			"IKE socket buffers: receive %d KiB, send %d KiB (ike-socket-bufsize=%u%s)",
			d->socks.rcvbuf / 2048, d->socks.sndbuf / 2048, sc.bufsize,
			d->socks.buf_capped ? "; no CAP_NET_ADMIN: capped by net.core.rmem_max / "
					      "wmem_max"
					    : "");
	return rc;
}

static void on_signal(struct nkd *d)
{
	struct signalfd_siginfo si;
	char msg[512];

	while (read(d->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			nkd_log(NKD_MOD_DAEMON, NKD_INFO, "SIGHUP: reloading the configuration");
			nkd_reload(d, msg, sizeof(msg));
			break;
		case SIGCHLD:
			nkd_ud_reap(&d->ud, nkd_now_ms());
			nkd_ocsp_reap(d);
			nkd_pam_reap(&d->pam);
			nkd_timer_rearm(d);
			break;
		case SIGTERM:
		case SIGINT:
			nkd_log(NKD_MOD_DAEMON, NKD_INFO, "signal %u: shutting down", si.ssi_signo);
			d->stop = true;
			break;
		default:
			break;
		}
	}
}

/* An updown script ended: one line, a warning unless it succeeded. */
static void updown_report(void *arg, const struct nkd_ud_job *j, int status, const char *why)
{
	(void)arg;
	if (why)
		nkd_log(NKD_MOD_DAEMON, NKD_WARN, "[%s] updown %s: %s", j->key, j->verb, why);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		nkd_log(NKD_MOD_DAEMON, NKD_INFO, "[%s] updown %s: done", j->key, j->verb);
	else if (WIFEXITED(status))
		nkd_log(NKD_MOD_DAEMON, NKD_WARN, "[%s] updown %s: exit status %d", j->key, j->verb,
			WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		nkd_log(NKD_MOD_DAEMON, NKD_WARN, "[%s] updown %s: killed by signal %d", j->key,
			j->verb, WTERMSIG(status));
}

/* The down scripts of a shutdown get their time (up to their timeout), so
 * that the admin's routes and rules go with the tunnels. */
static void updown_drain(struct nkd *d)
{
	uint64_t until = nkd_now_ms() + NKD_UD_TIMEOUT_MS;

	while (nkd_ud_busy(&d->ud) && nkd_now_ms() < until) {
		struct timespec ts = { 0, 20 * 1000000L };

		nkd_ud_reap(&d->ud, nkd_now_ms());
		nkd_ud_expire(&d->ud, nkd_now_ms());
		nkd_log_flush(); /* outside the loop: nobody else writes them out */
		nanosleep(&ts, NULL);
	}
	nkd_ud_runner_stop(&d->ud);
}

static void shutdown_all(struct nkd *d)
{
	unsigned n_sa = 0, n_pol = 0;
	int rc;

	nkd_sd_notify("STOPPING=1");
	/* Deletes go to every peer first, then the kernel state goes. */
	d->pam.done = NULL; /* the engines go: no verdict is wanted any more */
	nkd_pam_stop(&d->pam);
	for (unsigned i = 0; i < NKD_CONNS_MAX; i++)
		if (d->conns[i])
			nkd_conn_unload(d, d->conns[i]);
	updown_drain(d);
	rc = xfrm_io_cleanup_owned(&d->req, &n_sa, &n_pol);
	if (rc < 0)
		nkd_log(NKD_MOD_XFRM, NKD_ERROR, "final cleanup of natkeyd's kernel state: %s",
			strerror(-rc));
	else if (n_sa || n_pol)
		nkd_log(NKD_MOD_XFRM, NKD_INFO,
			"final cleanup removed %u SAs and %u policies left over", n_sa, n_pol);
}

/* An OCSP fetch ended: its answer to the engine that asked, if still loaded. */
static void ocsp_input(struct nkd *d, unsigned slot)
{
	struct ike_event ev;
	const char *name;
	struct nkd_conn *c;

	if (!nkd_ocsp_input(d, slot, &ev, &name))
		return;
	c = nkd_conn_find(d, name);
	if (c)
		nkd_conn_event(d, c, &ev);
}

/* Crypto jobs back from the workers: each to its connection's engine, by
 * slot (never reused); a job of a connection unloaded meanwhile is freed. */
static void workers_input(struct nkd *d)
{
	struct nkd_job_done done[64];
	size_t n;

	while ((n = nkd_workers_take(d->workers, done, 64)) > 0) {
		for (size_t i = 0; i < n; i++) {
			struct nkd_conn *c = NULL;
			struct ike_event ev = { .type = IKE_EV_CRYPTO_DONE };

			for (unsigned k = 0; k < NKD_CONNS_MAX && !c; k++)
				if (d->conns[k] && d->conns[k]->eng &&
				    (uintptr_t)d->conns[k]->slot == (uintptr_t)done[i].tag)
					c = d->conns[k];
			if (!c) {
				ike_crypto_job_free(done[i].job);
				continue;
			}
			ev.u.crypto = done[i].job;
			nkd_conn_event(d, c, &ev);
		}
	}
}

/*
 * How long epoll_wait() may sleep: until the earliest deadline
 * (nkd_timer_rearm()), in milliseconds from the wakeup's clock reading. The
 * loop has no timerfd: re-arming one was two system calls per tunnel, the
 * timeout none. The reading is the one the wakeup's events took (no read
 * when they took one), so the sleep can end up to the wakeup's own length
 * late: milliseconds, for timers of a second and more.
 */
static int loop_timeout(struct nkd *d)
{
	uint64_t now, at = d->armed_at;

	if (nkd_log_deadline() < at)
		at = nkd_log_deadline();
	if (at == UINT64_MAX)
		return -1;
	now = nkd_now_ms();
	if (at <= now)
		return 0;
	/* Timer slack: deadlines that fall within one NKD_TIMER_SLACK_MS
	 * period share a wakeup at its end (deadlines already due run in any
	 * wakeup). A gateway bringing up tunnels had ~one timer wakeup per
	 * tunnel (four system calls in user-mode-linux); IKE's timers are of
	 * a second and more. */
	at = (at + NKD_TIMER_SLACK_MS - 1) / NKD_TIMER_SLACK_MS * NKD_TIMER_SLACK_MS;
	return at - now > INT_MAX ? INT_MAX : (int)(at - now);
}

static int run(struct nkd *d)
{
	struct epoll_event evs[16];

	while (!d->stop) {
		int n, timeout;

		/* Log lines go out in one write() when due (natkeyd_log.c),
		 * and the wakeup's clock readings are forgotten: the next
		 * wakeup reads the clocks once (natkeyd_clock.h), for all of
		 * its events. */
		if (nkd_log_deadline() != UINT64_MAX)
			nkd_log_flush_due(nkd_now_ms());
		timeout = loop_timeout(d);
		nkd_clock_hold(&nkd_clk, false);
		n = epoll_wait(d->epfd, evs, 16, timeout);
		nkd_clock_hold(&nkd_clk, true);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			nkd_log(NKD_MOD_DAEMON, NKD_ERROR, "epoll_wait: %s", strerror(errno));
			return -errno;
		}
		for (int i = 0; i < n && !d->stop; i++) {
			uint64_t tag = evs[i].data.u64;

			if (tag == TAG_SIGNAL)
				on_signal(d);
			else if (tag == TAG_XFRM)
				nkd_kernel_input(d);
			else if (tag == TAG_CTL)
				nkd_ctl_accept(d);
			else if (tag >= NKD_TAG_OCSP && tag < NKD_TAG_OCSP + NKD_OCSP_JOBS)
				ocsp_input(d, (unsigned)(tag - NKD_TAG_OCSP));
			else if (tag == TAG_WORKERS)
				workers_input(d);
			else if (tag >= TAG_SOCK && tag < TAG_SOCK + IKE_SOCK_COUNT)
				/* Up to NKD_RECV_BATCH datagrams per wakeup, taken
				 * NKD_RECV_MMSG at a time by one recvmmsg(): under a
				 * flood one system call per datagram (and one
				 * epoll_wait() each) costs dearly in user-mode-linux
				 * and under seccomp; the level-triggered epoll brings
				 * us back for the rest after the other sources. A
				 * short batch means the socket is empty. */
				for (unsigned k = 0; k < NKD_RECV_BATCH && !d->stop;) {
					unsigned got = nkd_dgram_input(
						d, (enum ike_sock_slot)(tag - TAG_SOCK));

					k += got;
					if (got < NKD_RECV_MMSG)
						break;
				}
		}
		if (!d->stop && d->armed_at != UINT64_MAX && d->armed_at <= nkd_now_ms())
			nkd_timers_run(d);
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct nkd_opts *o)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'F' },
		{ "config", required_argument, NULL, 'c' },
		{ "secrets", required_argument, NULL, 's' },
		{ "socket", required_argument, NULL, 'S' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "cacerts", required_argument, NULL, 'C' },
		{ "debug", no_argument, NULL, 'd' },
		{ "check-config", no_argument, NULL, 'n' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	o->conf_path = NKD_DEFAULT_CONF;
	o->secrets_path = NKD_DEFAULT_SECRETS;
	o->ctl_path = NKD_DEFAULT_CTL;
	o->pid_path = NKD_DEFAULT_PID;
	o->cacerts = NKD_DEFAULT_CACERTS;
	o->level = NKD_INFO;
	o->port_ike = 500;
	o->port_natt = 4500;
	while ((ch = getopt_long(argc, argv, "Fc:s:S:p:C:dnVh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'F':
			o->foreground = true;
			break;
		case 'c':
			o->conf_path = optarg;
			break;
		case 's':
			o->secrets_path = optarg;
			break;
		case 'S':
			o->ctl_path = optarg;
			break;
		case 'p':
			o->pid_path = optarg;
			break;
		case 'C':
			o->cacerts = optarg;
			break;
		case 'd':
			o->level = NKD_DEBUG;
			break;
		case 'n':
			o->check_only = true;
			break;
		case 'V':
			printf("natkeyd %s\n", PACKAGE_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "natkeyd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return -EINVAL;
	}
	return 0;
}

/* Everything before the loop; on failure @err holds the one line to print. */
static int startup(struct nkd *d, char *err, size_t err_len)
{
	struct ike_conn_cfg *v = NULL;
	struct conf_diag diag;
	sigset_t mask;
	unsigned n_sa = 0, n_pol = 0;
	int rc;

	rc = nkd_config_load(&d->o, &d->conf, &d->secrets, &diag, err, err_len);
	if (rc < 0)
		return rc;
	rc = nkd_conns_build(d->conf, d->secrets, d->o.cacerts, &v, err, err_len);
	if (rc < 0)
		return rc;
	nkd_conf_notes_log(d->conf);
	/* The pid file lock first: nothing below may touch the state of a
	 * natkeyd that is running. */
	rc = nkd_pidfile_write(d->o.pid_path, err, err_len);
	if (rc < 0)
		goto out;
	d->pid_written = true;
	rc = xfrm_io_open(&d->req, false, err, err_len);
	if (rc < 0)
		goto out;
	rc = xfrm_io_open(&d->ev, true, err, err_len);
	if (rc < 0)
		goto out;
	/* The sockets before the cleanup below: a port held by another IKE
	 * daemon stops the start before anything in the kernel changes. */
	rc = sockets_open(d, err, err_len);
	if (rc < 0)
		goto out;
	/* NAT-keepalives the kernel consumes, seen on a raw copy (needs
	 * CAP_NET_RAW, so before the capabilities go); without it the facts
	 * lack keepalives, nothing else changes. */
	{
		char kerr[128];
		int kfd = nkd_ka_observer_open(d->o.port_natt, kerr, sizeof(kerr));

		d->ka_fd = kfd >= 0 ? kfd : -1;
		if (kfd < 0)
			nkd_log(NKD_MOD_NATT, NKD_WARN,
				"NAT-keepalives received are not counted (%s); natkeyctl nat "
				"shows none",
				kerr);
	}
	/* A crashed natkeyd may have left SAs and policies: ours only. */
	rc = xfrm_io_cleanup_owned(&d->req, &n_sa, &n_pol);
	if (rc < 0) {
		snprintf(err, err_len, "removing stale natkeyd kernel state: %s", strerror(-rc));
		goto out;
	}
	if (n_sa || n_pol)
		nkd_log(NKD_MOD_XFRM, NKD_WARN,
			"removed %u SAs and %u policies left by an earlier natkeyd", n_sa, n_pol);
	rc = nkd_ctl_open(d->o.ctl_path, err, err_len);
	if (rc < 0)
		goto out;
	d->ctlfd = rc;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD); /* updown scripts ending */
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* crypto-workers= (default one per CPU, none on one CPU; 0: DH and
	 * signatures in the loop). Before the first engine: engines hand jobs out only then.
	 * After the signal mask: threads inherit it, and a SIGTERM taken by
	 * a worker would end natkeyd at once, without its cleanup. */
	{
		int nw = d->conf->setup.crypto_workers;

		if (nw < 0)
			nw = (int)nkd_workers_for_cpus(nkd_workers_default());
		if (nw > 0) {
			rc = nkd_workers_new((unsigned)nw, 0, &d->workers);
			if (rc < 0) {
				snprintf(err, err_len, "crypto workers: %s", strerror(-rc));
				goto out;
			}
			nkd_log(NKD_MOD_DAEMON, NKD_INFO, "%d crypto worker thread(s)", nw);
		}
	}
	d->sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->sfd < 0 || d->epfd < 0) {
		rc = -errno;
		snprintf(err, err_len, "signalfd/epoll: %s", strerror(errno));
		goto out;
	}
	/* The loop must never block outside epoll_wait(). */
	rc = 0;
	rc |= set_nonblock(xfrm_io_fd(&d->ev));
	for (int i = 0; i < IKE_SOCK_COUNT; i++)
		if (d->socks.fd[i] >= 0)
			rc |= set_nonblock(d->socks.fd[i]);
	rc |= ep_add(d->epfd, d->sfd, TAG_SIGNAL);
	rc |= ep_add(d->epfd, xfrm_io_fd(&d->ev), TAG_XFRM);
	rc |= ep_add(d->epfd, d->ctlfd, TAG_CTL);
	if (d->workers)
		rc |= ep_add(d->epfd, nkd_workers_fd(d->workers), TAG_WORKERS);
	for (int i = 0; i < IKE_SOCK_COUNT; i++)
		if (d->socks.fd[i] >= 0)
			rc |= ep_add(d->epfd, d->socks.fd[i], TAG_SOCK + (uint64_t)i);
	if (rc) {
		rc = -errno;
		snprintf(err, err_len, "epoll_ctl/fcntl: %s", strerror(errno));
		goto out;
	}
	/* Scripts inherit what the daemon keeps (no_new_privs): with updown
	 * or leftfirewall conns, CAP_NET_RAW too (iptables-legacy), never
	 * effective in the daemon. */
	bool scripts = false;

	for (size_t i = 0; i < d->conf->n_conns; i++)
		scripts |= d->conf->conns[i].autostart != CONF_AUTO_IGNORE &&
			   (d->conf->conns[i].updown[0] || d->conf->conns[i].firewall);
	rc = nkd_caps_drop(scripts, err, err_len);
	if (rc < 0)
		goto out;
	nkd_log(NKD_MOD_DAEMON, NKD_DEBUG, "capabilities now %#llx (CAP_NET_ADMIN only)%s",
		nkd_caps_effective(),
		scripts ? "; CAP_NET_RAW kept for leftupdown/leftfirewall scripts (not effective)"
			: "");
	for (size_t i = 0; i < d->conf->n_conns; i++)
		if (d->conf->conns[i].autostart != CONF_AUTO_IGNORE)
			nkd_conn_load(d, &d->conf->conns[i], &v[i]);
out:
	nkd_conns_free(v, d->conf ? d->conf->n_conns : 0);
	return rc;
}

int main(int argc, char **argv)
{
	struct nkd d;
	char err[CONF_DIAG_LEN + 512];
	int rc;

	memset(&d, 0, sizeof(d));
	d.epfd = d.sfd = d.ctlfd = d.ka_fd = -1;
	for (int i = 0; i < IKE_SOCK_COUNT; i++)
		d.socks.fd[i] = -1;
	if (parse_args(argc, argv, &d.o) < 0)
		return 2;
	if (d.o.check_only)
		return nkd_check_config(&d.o);
	nkd_log_open(d.o.foreground, (enum nkd_level)d.o.level);
	d.acts = calloc(1, sizeof(*d.acts));
	if (!d.acts) {
		fprintf(stderr, "natkeyd: out of memory\n");
		return 1;
	}
	d.start_ms = nkd_now_ms();
	nkd_ud_runner_init(&d.ud, NKD_UD_TIMEOUT_MS, updown_report, &d);
	nkd_pam_init(&d.pam, NKD_PAM_TIMEOUT_MS, NULL, nkd_pam_verdict, &d);
	err[0] = '\0';
	rc = startup(&d, err, sizeof(err));
	if (rc < 0) {
		/* ONE line, on stderr even under syslog: the admin is watching. */
		nkd_log_flush();
		fprintf(stderr, "natkeyd: %s\n", err);
		if (!d.o.foreground)
			nkd_log(NKD_MOD_DAEMON, NKD_ERROR, "%s", err);
		rc = 1;
		goto out;
	}
	nkd_log(NKD_MOD_DAEMON, NKD_INFO, "natkeyd %s running (pid %ld, config %s)",
		PACKAGE_VERSION, (long)getpid(), d.o.conf_path);
	nkd_log_flush(); /* the startup lines, before anyone is told we run */
	nkd_sd_notify("READY=1");
	rc = run(&d) < 0 ? 1 : 0;
	/* Out of the loop: every call reads the clock again (the shutdown
	 * waits for updown scripts against it). */
	nkd_clock_hold(&nkd_clk, false);
	shutdown_all(&d);
	nkd_log(NKD_MOD_DAEMON, NKD_INFO, "natkeyd stopped");
out:
	if (d.ctlfd >= 0) {
		close(d.ctlfd);
		unlink(d.o.ctl_path);
	}
	if (d.pid_written)
		unlink(d.o.pid_path);
	nkd_workers_free(d.workers); /* jobs still out are wiped and freed */
	ike_sockets_close(&d.socks);
	if (d.ka_fd >= 0)
		close(d.ka_fd);
	xfrm_io_close(&d.ev);
	xfrm_io_close(&d.req);
	conf_free(d.conf);
	conf_secrets_free(d.secrets);
	ike_halfopen_free(d.halfopen);
	if (d.acts)
		ike_actions_wipe(d.acts);
	free(d.acts);
	nkd_log_close();
	return rc;
}
