// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xauthby=pam: each password check in a child process (natkeyd_pam.h).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>

#ifdef HAVE_PAM
#include <security/pam_appl.h>
#endif

#include "tools/natkeyd/natkeyd_pam.h"

#ifdef HAVE_PAM
struct conv_data {
	const char *user;
	const uint8_t *pass;
	size_t pass_len;
};

static void responses_free(struct pam_response *r, int n)
{
	for (int i = 0; i < n; i++)
		if (r[i].resp) {
			OPENSSL_cleanse(r[i].resp, strlen(r[i].resp));
			free(r[i].resp);
		}
	free(r);
}

/* The PAM conversation: the password for a hidden prompt, the user name
 * for a visible one, nothing for messages. */
static int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *arg)
{
	const struct conv_data *cd = arg;
	struct pam_response *r;

	if (n <= 0 || n > PAM_MAX_NUM_MSG)
		return PAM_CONV_ERR;
	r = calloc((size_t)n, sizeof(*r));
	if (!r)
		return PAM_BUF_ERR;
	for (int i = 0; i < n; i++) {
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
			r[i].resp = strndup((const char *)cd->pass, cd->pass_len);
			break;
		case PAM_PROMPT_ECHO_ON:
			r[i].resp = strdup(cd->user);
			break;
		case PAM_ERROR_MSG:
		case PAM_TEXT_INFO:
			continue;
		default:
			responses_free(r, n);
			return PAM_CONV_ERR;
		}
		if (!r[i].resp) {
			responses_free(r, n);
			return PAM_BUF_ERR;
		}
	}
	*resp = r;
	return PAM_SUCCESS;
}
#endif

bool nkd_pam_available(void)
{
#ifdef HAVE_PAM
	return true;
#else
	return false;
#endif
}

bool nkd_pam_check(const char *service, const char *confdir, const char *user, const uint8_t *pass,
		   size_t pass_len)
{
#ifdef HAVE_PAM
	struct conv_data cd = { user, pass, pass_len };
	struct pam_conv pc = { conv, &cd };
	pam_handle_t *h = NULL;
	int rc;

	/* A password with a NUL byte cannot reach PAM whole. */
	if (!pass_len || memchr(pass, '\0', pass_len) || !user[0])
		return false;
	if (confdir) {
#ifdef HAVE_PAM_START_CONFDIR
		rc = pam_start_confdir(service, user, &pc, confdir, &h);
#else
		return false;
#endif
	} else {
		rc = pam_start(service, user, &pc, &h);
	}
	if (rc != PAM_SUCCESS)
		return false;
	rc = pam_authenticate(h, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
	if (rc == PAM_SUCCESS)
		rc = pam_acct_mgmt(h, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
	pam_end(h, rc);
	return rc == PAM_SUCCESS;
#else
	(void)service;
	(void)confdir;
	(void)user;
	(void)pass;
	(void)pass_len;
	return false;
#endif
}

void nkd_pam_init(struct nkd_pam_runner *r, uint64_t timeout_ms, nkd_pam_fn fn,
		  nkd_pam_done_fn done, void *arg)
{
	memset(r, 0, sizeof(*r));
	r->timeout_ms = timeout_ms ? timeout_ms : NKD_PAM_TIMEOUT_MS;
	r->fn = fn ? fn : nkd_pam_check;
	r->done = done;
	r->arg = arg;
}

int nkd_pam_submit(struct nkd_pam_runner *r, const char *service, unsigned slot,
		   const struct ike_xauth_check *x, uint64_t now_ms)
{
	struct nkd_pam_job *j = NULL;
	pid_t pid;

	for (size_t i = 0; i < NKD_PAM_RUNNING && !j; i++)
		if (!r->run[i].pid)
			j = &r->run[i];
	if (!j)
		return -EAGAIN;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		sigset_t none;
		bool ok;

		/* Its own process group (a module's helpers go with it on a
		 * timeout) and the signals the daemon blocks for signalfd. */
		setpgid(0, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		ok = r->fn(service, r->confdir, x->user, x->pass, x->pass_len);
		_exit(ok ? 0 : 1);
	}
	setpgid(pid, pid); /* also here: no race with a kill before the child ran */
	memset(j, 0, sizeof(*j));
	j->pid = pid;
	j->slot = slot;
	j->serial = x->serial;
	j->deadline = now_ms + r->timeout_ms;
	memcpy(j->user, x->user, sizeof(j->user));
	j->user[sizeof(j->user) - 1] = '\0';
	return 0;
}

static void report(struct nkd_pam_runner *r, struct nkd_pam_job *j, bool ok, const char *why)
{
	if (r->done)
		r->done(r->arg, j, ok, why);
}

void nkd_pam_reap(struct nkd_pam_runner *r)
{
	for (size_t i = 0; i < NKD_PAM_RUNNING; i++) {
		struct nkd_pam_job *j = &r->run[i];
		int status = 0;
		pid_t p;

		if (!j->pid)
			continue;
		p = waitpid(j->pid, &status, WNOHANG);
		if (p == 0 || (p < 0 && errno == EINTR))
			continue;
		if (!j->killed) {
			if (p < 0)
				report(r, j, false, "the PAM check was lost");
			else if (WIFEXITED(status) && WEXITSTATUS(status) <= 1)
				report(r, j, WEXITSTATUS(status) == 0, NULL);
			else
				report(r, j, false, "the PAM check crashed");
		}
		memset(j, 0, sizeof(*j));
	}
}

static void kill_job(struct nkd_pam_job *j)
{
	kill(-j->pid, SIGKILL);
	kill(j->pid, SIGKILL);
	j->killed = true;
}

void nkd_pam_expire(struct nkd_pam_runner *r, uint64_t now_ms)
{
	for (size_t i = 0; i < NKD_PAM_RUNNING; i++) {
		struct nkd_pam_job *j = &r->run[i];

		if (!j->pid || j->killed || j->deadline > now_ms)
			continue;
		kill_job(j);
		report(r, j, false, "the PAM check timed out (killed)");
	}
}

uint64_t nkd_pam_next_deadline(const struct nkd_pam_runner *r)
{
	uint64_t t = UINT64_MAX;

	for (size_t i = 0; i < NKD_PAM_RUNNING; i++)
		if (r->run[i].pid && !r->run[i].killed && r->run[i].deadline < t)
			t = r->run[i].deadline;
	return t;
}

size_t nkd_pam_busy(const struct nkd_pam_runner *r)
{
	size_t n = 0;

	for (size_t i = 0; i < NKD_PAM_RUNNING; i++)
		n += r->run[i].pid != 0;
	return n;
}

void nkd_pam_stop(struct nkd_pam_runner *r)
{
	for (size_t i = 0; i < NKD_PAM_RUNNING; i++) {
		struct nkd_pam_job *j = &r->run[i];
		int status;

		if (!j->pid)
			continue;
		if (!j->killed) {
			kill_job(j);
			report(r, j, false, "the PAM check was stopped (shutdown)");
		}
		while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
			;
		memset(j, 0, sizeof(*j));
	}
}
