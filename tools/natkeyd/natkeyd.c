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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "config.h"
#include "tools/natkeyd/natkeyd.h"
#include "tools/natkeyd/natkeyd_cred.h"
#include "tools/natkeyd/natkeyd_log.h"
#include "tools/natkeyd/natkeyd_os.h"

enum {
	TAG_SIGNAL = 1,
	TAG_TIMER,
	TAG_XFRM,
	TAG_CTL,
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

/* Load and check configuration and secrets; on error, @err holds ONE line. */
static int config_load(const struct nkd_opts *o, struct conf **confp, struct conf_secrets **secp,
		       struct conf_diag *diag, char *err, size_t err_len)
{
	struct conf *conf = NULL;
	struct conf_secrets *sec = NULL;
	int rc;

	*confp = NULL;
	*secp = NULL;
	memset(diag, 0, sizeof(*diag));
	rc = conf_load_file(o->conf_path, &conf, diag);
	if (rc < 0)
		goto diag_err;
	/* Names and %defaultroute before the checks: identities and PSK
	 * lookups default to the resolved addresses. */
	rc = nkd_conf_resolve(conf, &nkd_os_resolver, err, err_len);
	if (rc < 0) {
		conf_free(conf);
		return rc;
	}
	rc = conf_secrets_load_file(o->secrets_path, &sec, diag);
	if (rc < 0)
		goto diag_err;
	rc = conf_validate(conf, sec, diag);
	if (rc < 0)
		goto diag_err;
	*confp = conf;
	*secp = sec;
	return 0;
diag_err:
	if (diag->n)
		snprintf(err, err_len, "%s%s", diag->msg[0],
			 diag->n + diag->dropped > 1
				 ? " (and more: natkeyd --check-config lists all)"
				 : "");
	else
		snprintf(err, err_len, "%s: %s", o->conf_path, strerror(-rc));
	conf_free(conf);
	conf_secrets_free(sec);
	return rc < 0 ? rc : -EINVAL;
}

/* Drop the daemon's credential references and wipe the PSKs. */
static void conns_free(struct ike_conn_cfg *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		nkd_creds_free(&v[i]);
	OPENSSL_cleanse(v, (n ? n : 1) * sizeof(*v));
	free(v);
}

/* nkd_conn_notes()'s warnings, one log line each. */
static void notes_log(const struct conf_conn *cc, const struct ike_conn_cfg *cfg)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *w = open_memstream(&buf, &len);

	if (!w)
		return;
	nkd_conn_notes(cc, cfg, NULL, w);
	fclose(w);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		nkd_log(NKD_MOD_CONF, NKD_WARN, "%s", line);
	free(buf);
}

/* Translate every loaded conn; all must pass before anything is applied. */
static int conns_build(const struct conf *conf, const struct conf_secrets *sec, const char *cacerts,
		       struct ike_conn_cfg **out, char *err, size_t err_len)
{
	struct ike_conn_cfg *v = calloc(conf->n_conns ? conf->n_conns : 1, sizeof(*v));

	*out = NULL;
	if (!v) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < conf->n_conns; i++) {
		char warn[NKD_ERR_MAX];

		if (conf->conns[i].autostart == CONF_AUTO_IGNORE)
			continue;
		if (nkd_conn_build(&conf->conns[i], sec, nkd_conn_reqid(0), &v[i], warn,
				   sizeof(warn)) < 0 ||
		    nkd_creds_load(&conf->conns[i], sec, cacerts, &v[i], warn, sizeof(warn)) < 0) {
			snprintf(err, err_len, "%s: %s", conf->file, warn);
			conns_free(v, conf->n_conns);
			return -EINVAL;
		}
		if (warn[0])
			nkd_log(NKD_MOD_CONF, NKD_WARN, "%s", warn);
		notes_log(&conf->conns[i], &v[i]);
		/* The legacy opt-in lives in config setup, not in the conn. */
		v[i].allow_legacy = conf->setup.allow_legacy;
	}
	*out = v;
	return 0;
}

static int check_config(const struct nkd_opts *o)
{
	struct conf *conf;
	struct conf_secrets *sec;
	struct conf_diag diag;
	struct ike_conn_cfg *v;
	char err[CONF_DIAG_LEN + 512];

	if (config_load(o, &conf, &sec, &diag, err, sizeof(err)) < 0) {
		if (diag.n)
			conf_diag_print(&diag, stderr);
		else
			fprintf(stderr, "natkeyd: %s\n", err);
		return 1;
	}
	if (conns_build(conf, sec, o->cacerts, &v, err, sizeof(err)) < 0) {
		fprintf(stderr, "natkeyd: %s\n", err);
		conf_free(conf);
		conf_secrets_free(sec);
		return 1;
	}
	conf_print(conf, stdout);
	fputc('\n', stdout);
	for (size_t i = 0; i < conf->n_conns; i++)
		if (conf->conns[i].autostart != CONF_AUTO_IGNORE)
			nkd_conn_notes(&conf->conns[i], &v[i], stdout, stderr);
	conns_free(v, conf->n_conns);
	conf_secrets_print(sec, stdout);
	conf_free(conf);
	conf_secrets_free(sec);
	return 0;
}

int nkd_reload(struct nkd *d, char *msg, size_t msg_len)
{
	struct conf *conf;
	struct conf_secrets *sec;
	struct conf_diag diag;
	struct conf_diff diff;
	struct ike_conn_cfg *v;
	unsigned added = 0, removed = 0, changed = 0, kept = 0;
	char err[CONF_DIAG_LEN + 512];
	int rc;

	nkd_sd_notify("RELOADING=1");
	rc = config_load(&d->o, &conf, &sec, &diag, err, sizeof(err));
	if (rc == 0) {
		rc = conns_build(conf, sec, d->o.cacerts, &v, err, sizeof(err));
		if (rc < 0) {
			conf_free(conf);
			conf_secrets_free(sec);
		}
	}
	if (rc < 0) {
		snprintf(msg, msg_len, "reload refused, the running configuration stays: %s", err);
		nkd_log(NKD_MOD_CONF, NKD_ERROR, "%s", msg);
		nkd_sd_notify("READY=1");
		return rc;
	}
	rc = conf_diff(d->conf, conf, d->secrets, sec, &diff);
	if (rc < 0) {
		snprintf(msg, msg_len, "reload: %s", strerror(-rc));
		conns_free(v, conf->n_conns);
		conf_free(conf);
		conf_secrets_free(sec);
		nkd_sd_notify("READY=1");
		return rc;
	}
	for (size_t i = 0; i < diff.n; i++) {
		const struct conf_diff_entry *e = &diff.v[i];
		struct nkd_conn *c = nkd_conn_find(d, e->name);

		if (e->kind == CONF_DIFF_REMOVED || e->kind == CONF_DIFF_CHANGED) {
			if (c)
				nkd_conn_unload(d, c);
			c = NULL;
			if (e->kind == CONF_DIFF_REMOVED)
				removed++;
		}
		if (e->kind == CONF_DIFF_UNCHANGED) {
			kept++;
			continue;
		}
		if (e->kind == CONF_DIFF_ADDED || e->kind == CONF_DIFF_CHANGED) {
			for (size_t k = 0; k < conf->n_conns; k++) {
				const struct conf_conn *cc = &conf->conns[k];

				if (strcmp(cc->name, e->name) || cc->autostart == CONF_AUTO_IGNORE)
					continue;
				nkd_conn_load(d, cc, &v[k]);
			}
			if (e->kind == CONF_DIFF_ADDED)
				added++;
			else
				changed++;
		}
	}
	conf_diff_free(&diff);
	conns_free(v, conf->n_conns);
	conf_free(d->conf);
	conf_secrets_free(d->secrets);
	d->conf = conf;
	d->secrets = sec;
	snprintf(msg, msg_len,
		 "reloaded %s: %u added, %u removed, %u changed (re-established), %u unchanged "
		 "(kept up)",
		 d->o.conf_path, added, removed, changed, kept);
	nkd_log(NKD_MOD_CONF, NKD_INFO, "%s", msg);
	nkd_sd_notify("READY=1");
	return 0;
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
	};

	return ike_sockets_open(&d->socks, &sc, err, err_len);
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

static void shutdown_all(struct nkd *d)
{
	unsigned n_sa = 0, n_pol = 0;
	int rc;

	nkd_sd_notify("STOPPING=1");
	/* Deletes go to every peer first, then the kernel state goes. */
	for (unsigned i = 0; i < NKD_CONNS_MAX; i++)
		if (d->conns[i])
			nkd_conn_unload(d, d->conns[i]);
	rc = xfrm_io_cleanup_owned(&d->req, &n_sa, &n_pol);
	if (rc < 0)
		nkd_log(NKD_MOD_XFRM, NKD_ERROR, "final cleanup of natkeyd's kernel state: %s",
			strerror(-rc));
	else if (n_sa || n_pol)
		nkd_log(NKD_MOD_XFRM, NKD_INFO,
			"final cleanup removed %u SAs and %u policies left over", n_sa, n_pol);
}

static int run(struct nkd *d)
{
	struct epoll_event evs[16];

	while (!d->stop) {
		int n = epoll_wait(d->epfd, evs, 16, -1);

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
			else if (tag == TAG_TIMER)
				nkd_timers_run(d);
			else if (tag == TAG_XFRM)
				nkd_kernel_input(d);
			else if (tag == TAG_CTL)
				nkd_ctl_accept(d);
			else if (tag >= TAG_SOCK && tag < TAG_SOCK + IKE_SOCK_COUNT)
				nkd_dgram_input(d, (enum ike_sock_slot)(tag - TAG_SOCK));
		}
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

	rc = config_load(&d->o, &d->conf, &d->secrets, &diag, err, err_len);
	if (rc < 0)
		return rc;
	rc = conns_build(d->conf, d->secrets, d->o.cacerts, &v, err, err_len);
	if (rc < 0)
		return rc;
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
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d->sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->sfd < 0 || d->tfd < 0 || d->epfd < 0) {
		rc = -errno;
		snprintf(err, err_len, "signalfd/timerfd/epoll: %s", strerror(errno));
		goto out;
	}
	/* The loop must never block outside epoll_wait(). */
	rc = 0;
	rc |= set_nonblock(xfrm_io_fd(&d->ev));
	for (int i = 0; i < IKE_SOCK_COUNT; i++)
		if (d->socks.fd[i] >= 0)
			rc |= set_nonblock(d->socks.fd[i]);
	rc |= ep_add(d->epfd, d->sfd, TAG_SIGNAL);
	rc |= ep_add(d->epfd, d->tfd, TAG_TIMER);
	rc |= ep_add(d->epfd, xfrm_io_fd(&d->ev), TAG_XFRM);
	rc |= ep_add(d->epfd, d->ctlfd, TAG_CTL);
	for (int i = 0; i < IKE_SOCK_COUNT; i++)
		if (d->socks.fd[i] >= 0)
			rc |= ep_add(d->epfd, d->socks.fd[i], TAG_SOCK + (uint64_t)i);
	if (rc) {
		rc = -errno;
		snprintf(err, err_len, "epoll_ctl/fcntl: %s", strerror(errno));
		goto out;
	}
	rc = nkd_caps_drop(err, err_len);
	if (rc < 0)
		goto out;
	nkd_log(NKD_MOD_DAEMON, NKD_DEBUG, "capabilities now %#llx (CAP_NET_ADMIN only)",
		nkd_caps_effective());
	for (size_t i = 0; i < d->conf->n_conns; i++)
		if (d->conf->conns[i].autostart != CONF_AUTO_IGNORE)
			nkd_conn_load(d, &d->conf->conns[i], &v[i]);
out:
	conns_free(v, d->conf ? d->conf->n_conns : 0);
	return rc;
}

int main(int argc, char **argv)
{
	struct nkd d;
	char err[CONF_DIAG_LEN + 512];
	int rc;

	memset(&d, 0, sizeof(d));
	d.epfd = d.tfd = d.sfd = d.ctlfd = -1;
	for (int i = 0; i < IKE_SOCK_COUNT; i++)
		d.socks.fd[i] = -1;
	if (parse_args(argc, argv, &d.o) < 0)
		return 2;
	if (d.o.check_only)
		return check_config(&d.o);
	nkd_log_open(d.o.foreground, (enum nkd_level)d.o.level);
	d.acts = calloc(1, sizeof(*d.acts));
	if (!d.acts) {
		fprintf(stderr, "natkeyd: out of memory\n");
		return 1;
	}
	d.start_ms = nkd_now_ms();
	err[0] = '\0';
	rc = startup(&d, err, sizeof(err));
	if (rc < 0) {
		/* ONE line, on stderr even under syslog: the admin is watching. */
		fprintf(stderr, "natkeyd: %s\n", err);
		if (!d.o.foreground)
			nkd_log(NKD_MOD_DAEMON, NKD_ERROR, "%s", err);
		rc = 1;
		goto out;
	}
	nkd_log(NKD_MOD_DAEMON, NKD_INFO, "natkeyd %s running (pid %ld, config %s)",
		PACKAGE_VERSION, (long)getpid(), d.o.conf_path);
	nkd_sd_notify("READY=1");
	rc = run(&d) < 0 ? 1 : 0;
	shutdown_all(&d);
	nkd_log(NKD_MOD_DAEMON, NKD_INFO, "natkeyd stopped");
out:
	if (d.ctlfd >= 0) {
		close(d.ctlfd);
		unlink(d.o.ctl_path);
	}
	if (d.pid_written)
		unlink(d.o.pid_path);
	ike_sockets_close(&d.socks);
	xfrm_io_close(&d.ev);
	xfrm_io_close(&d.req);
	conf_free(d.conf);
	conf_secrets_free(d.secrets);
	if (d.acts)
		ike_actions_wipe(d.acts);
	free(d.acts);
	nkd_log_close();
	return rc;
}
