// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * OCSP transport for the engines (IKE_ACT_OCSP_FETCH -> IKE_EV_OCSP_RESULT):
 * an HTTP/1.0 POST of the request the engine built (RFC 6960 A.1) to the
 * responder, in a child process so that the event loop never waits on the
 * network; the child has NKD_OCSP_TIMEOUT_S seconds in all, and hands the
 * body back through a pipe the loop watches. The engine checks the answer.
 */
#define _GNU_SOURCE /* pipe2, strcasestr */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tools/natkeyd/natkeyd.h"
#include "tools/natkeyd/natkeyd_log.h"

#define NKD_OCSP_TIMEOUT_S 5
#define NKD_OCSP_BODY_MAX  (64 * 1024)

/* http://host[:port]/path -> host, port, path. */
static int uri_split(const char *uri, char *host, size_t hl, char *port, size_t pl, char *path,
		     size_t ptl)
{
	const char *h, *slash, *colon, *end;

	if (strncmp(uri, "http://", 7))
		return -EINVAL;
	h = uri + 7;
	slash = strchr(h, '/');
	end = slash ? slash : h + strlen(h);
	colon = memchr(h, ':', (size_t)(end - h));
	if (h[0] == '[') /* [IPv6]:port */
		colon = memchr(strchr(h, ']') ? strchr(h, ']') : h, ':',
			       (size_t)(end - (strchr(h, ']') ? strchr(h, ']') : h)));
	if ((size_t)((colon ? colon : end) - h) >= hl || (colon && (size_t)(end - colon) > pl))
		return -EINVAL;
	snprintf(host, hl, "%.*s", (int)((colon ? colon : end) - h), h);
	if (host[0] == '[') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	snprintf(port, pl, "%.*s", colon ? (int)(end - colon - 1) : 2, colon ? colon + 1 : "80");
	snprintf(path, ptl, "%s", slash ? slash : "/");
	return 0;
}

static bool write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* In the child: "OK\n" + body, or "ER reason\n", on @out. */
static void __attribute__((noreturn)) child_fetch(int out, const struct ike_ocsp_fetch *f)
{
	char host[256], port[16], path[512], head[1024], why[96];
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	struct timeval tv = { .tv_sec = NKD_OCSP_TIMEOUT_S };
	static uint8_t resp[NKD_OCSP_BODY_MAX + 4096];
	size_t got = 0;
	int s = -1, n;
	const char *body, *cl;

	alarm(NKD_OCSP_TIMEOUT_S + 1); /* name resolution included */
	snprintf(why, sizeof(why), "bad responder URL");
	if (uri_split(f->uri, host, sizeof(host), port, sizeof(port), path, sizeof(path)) < 0)
		goto fail;
	snprintf(why, sizeof(why), "cannot resolve %s", host);
	if (getaddrinfo(host, port, &hints, &ai) != 0 || !ai)
		goto fail;
	s = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	snprintf(why, sizeof(why), "cannot connect to %s port %s: %s", host, port,
		 strerror(errno ? errno : ECONNREFUSED));
	if (s < 0 || connect(s, ai->ai_addr, ai->ai_addrlen) < 0) {
		snprintf(why, sizeof(why), "cannot connect to %s port %s: %s", host, port,
			 strerror(errno));
		goto fail;
	}
	n = snprintf(head, sizeof(head),
		     "POST %s HTTP/1.0\r\nHost: %s\r\nContent-Type: application/ocsp-request\r\n"
		     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
		     path, host, f->req_len);
	snprintf(why, sizeof(why), "cannot send the request: %s", strerror(errno));
	if (n <= 0 || (size_t)n >= sizeof(head) || !write_all(s, head, (size_t)n) ||
	    !write_all(s, f->req, f->req_len))
		goto fail;
	for (;;) {
		ssize_t r = read(s, resp + got, sizeof(resp) - 1 - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(why, sizeof(why), "no answer within %d s", NKD_OCSP_TIMEOUT_S);
			goto fail;
		}
		if (r == 0)
			break;
		got += (size_t)r;
		if (got >= sizeof(resp) - 1) {
			snprintf(why, sizeof(why), "answer larger than %d bytes",
				 NKD_OCSP_BODY_MAX);
			goto fail;
		}
	}
	resp[got] = '\0';
	snprintf(why, sizeof(why), "not an HTTP 200 answer");
	if (got < 12 || strncmp((char *)resp, "HTTP/1.", 7) || strncmp((char *)resp + 8, " 200", 4))
		goto fail;
	body = strstr((char *)resp, "\r\n\r\n");
	if (!body)
		goto fail;
	body += 4;
	cl = strcasestr((char *)resp, "\r\nContent-Length:");
	if (cl && cl < body) {
		size_t want = strtoul(cl + 17, NULL, 10);

		if (want > (size_t)((char *)resp + got - body))
			goto fail;
		got = (size_t)(body - (char *)resp) + want;
	}
	if (!write_all(out, "OK\n", 3) ||
	    !write_all(out, body, (size_t)((char *)resp + got - body)))
		_exit(1);
	_exit(0);
fail:
	if (ai)
		freeaddrinfo(ai);
	dprintf(out, "ER %s\n", why);
	_exit(1);
}

int nkd_ocsp_start(struct nkd *d, struct nkd_conn *c, const struct ike_ocsp_fetch *f)
{
	struct nkd_ocsp_job *j = NULL;
	int p[2];
	pid_t pid;

	for (unsigned i = 0; i < NKD_OCSP_JOBS; i++)
		if (!d->ocsp[i].used) {
			j = &d->ocsp[i];
			j->slot = i;
			break;
		}
	if (!j) {
		nkd_log(NKD_MOD_DAEMON, NKD_WARN, "[%s] %d OCSP requests in flight: %s not asked",
			c->name, NKD_OCSP_JOBS, f->uri);
		return -EBUSY;
	}
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	if (pid == 0) {
		sigset_t all;

		close(p[0]);
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		signal(SIGALRM, SIG_DFL);
		fcntl(p[1], F_SETFL, 0); /* blocking in the child */
		child_fetch(p[1], f);
	}
	close(p[1]);
	j->used = true;
	j->pid = pid;
	j->reaped = false;
	j->fd = p[0];
	j->id = f->id;
	j->len = 0;
	snprintf(j->conn, sizeof(j->conn), "%s", c->name);
	snprintf(j->uri, sizeof(j->uri), "%s", f->uri);
	{
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = NKD_TAG_OCSP + j->slot };

		if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, j->fd, &ev) < 0) {
			close(j->fd);
			j->used = false;
			return -errno;
		}
	}
	nkd_log(NKD_MOD_DAEMON, NKD_DEBUG, "[%s] OCSP request %u to %s (pid %d)", c->name, f->id,
		f->uri, (int)pid);
	return 0;
}

static void job_reap(struct nkd_ocsp_job *j)
{
	int status;

	if (!j->reaped && waitpid(j->pid, &status, WNOHANG) == j->pid)
		j->reaped = true;
}

void nkd_ocsp_reap(struct nkd *d)
{
	for (unsigned i = 0; i < NKD_OCSP_JOBS; i++)
		if (d->ocsp[i].pid > 0 && !d->ocsp[i].reaped) {
			job_reap(&d->ocsp[i]);
			if (d->ocsp[i].reaped && !d->ocsp[i].used)
				d->ocsp[i].pid = 0;
		}
}

bool nkd_ocsp_input(struct nkd *d, unsigned slot, struct ike_event *ev, const char **conn)
{
	struct nkd_ocsp_job *j = &d->ocsp[slot];

	if (slot >= NKD_OCSP_JOBS || !j->used)
		return false;
	for (;;) {
		ssize_t n;

		if (j->len == sizeof(j->buf)) {
			/* Larger than any answer we take: the child is told by EOF. */
			break;
		}
		n = read(j->fd, j->buf + j->len, sizeof(j->buf) - j->len);
		if (n > 0) {
			j->len += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return false; /* more to come */
		break;		      /* EOF or error: the child is done */
	}
	epoll_ctl(d->epfd, EPOLL_CTL_DEL, j->fd, NULL);
	close(j->fd);
	j->used = false;
	job_reap(j);
	memset(ev, 0, sizeof(*ev));
	ev->type = IKE_EV_OCSP_RESULT;
	ev->u.ocsp.id = j->id;
	if (j->len >= 3 && !memcmp(j->buf, "OK\n", 3)) {
		ev->u.ocsp.buf = j->buf + 3;
		ev->u.ocsp.len = j->len - 3;
	} else {
		size_t l = j->len > 3 ? j->len - 3 : 0;

		while (l && (j->buf[3 + l - 1] == '\n'))
			l--;
		snprintf(ev->u.ocsp.error, sizeof(ev->u.ocsp.error), "%.*s", (int)l,
			 l ? (const char *)j->buf + 3 : "the fetch ended without an answer");
		nkd_log(NKD_MOD_DAEMON, NKD_WARN, "[%s] OCSP %s: %s", j->conn, j->uri,
			ev->u.ocsp.error);
	}
	/* The body stays in j->buf until the slot is used again. */
	*conn = j->conn;
	return true;
}
