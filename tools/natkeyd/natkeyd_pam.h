/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * xauthby=pam: XAUTH passwords checked by PAM, off the event loop.
 *
 * A PAM stack may block for seconds (pam_unix's failure delay, an LDAP or
 * RADIUS module waiting for its server), and the daemon's loop never
 * blocks outside epoll_wait(). So each check runs in a child process
 * (fork(), no exec: the child holds a copy of the password, talks to PAM
 * and exits 0 for "authenticated", 1 for "refused"). The daemon reaps it
 * after SIGCHLD and gives the verdict to the engine as
 * IKE_EV_XAUTH_VERDICT; a check that outlives its timeout is killed and
 * counts as refused. At most NKD_PAM_RUNNING checks run at once; one more
 * is refused at once (the client may try again).
 *
 * The PAM service is pam-service= (default "natkeyd": /etc/pam.d/natkeyd);
 * the stack's auth and account parts both must accept the user.
 */
#ifndef NATKEYD_TOOLS_PAM_H
#define NATKEYD_TOOLS_PAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ike/engine.h"

#define NKD_PAM_RUNNING	    16	  /* checks running at once */
#define NKD_PAM_TIMEOUT_MS  15000 /* a check running longer is killed (refused) */
#define NKD_PAM_SERVICE_MAX 63

/*
 * What the child runs: the verdict for @user and @pass of @service (PAM
 * configuration in @confdir, NULL: /etc/pam.d). nkd_pam_check() is the
 * real one; tests put in their own.
 */
typedef bool (*nkd_pam_fn)(const char *service, const char *confdir, const char *user,
			   const uint8_t *pass, size_t pass_len);

struct nkd_pam_job {
	pid_t pid;	 /* 0: a free place */
	unsigned slot;	 /* the connection (nkd_conn.slot) */
	uint32_t serial; /* the IKE SA (ike_xauth_check.serial) */
	uint64_t deadline;
	bool killed; /* timed out: refused already, waiting to be reaped */
	char user[IKE_XAUTH_USER_MAX + 1];
};

/* @ok: the password is right; @why: NULL, or why the check did not run to
 * its end (it then counts as refused). */
typedef void (*nkd_pam_done_fn)(void *arg, const struct nkd_pam_job *j, bool ok, const char *why);

struct nkd_pam_runner {
	struct nkd_pam_job run[NKD_PAM_RUNNING];
	uint64_t timeout_ms;
	nkd_pam_fn fn;
	const char *confdir;
	nkd_pam_done_fn done;
	void *arg;
};

/**
 * nkd_pam_available() - whether this natkeyd was built with PAM
 * (configure found libpam; --without-pam builds refuse xauthby=pam).
 */
bool nkd_pam_available(void);

/**
 * nkd_pam_check() - authenticate @user with @pass through PAM service
 * @service (pam_authenticate() and pam_acct_mgmt()); blocks. @confdir:
 * the PAM configuration folder (NULL: the system's; tests set their own).
 * Always false in a build without PAM.
 */
bool nkd_pam_check(const char *service, const char *confdir, const char *user, const uint8_t *pass,
		   size_t pass_len);

/**
 * nkd_pam_init() - an idle runner; @fn NULL: nkd_pam_check().
 */
void nkd_pam_init(struct nkd_pam_runner *r, uint64_t timeout_ms, nkd_pam_fn fn,
		  nkd_pam_done_fn done, void *arg);

/**
 * nkd_pam_submit() - start the check of @x for connection @slot.
 *
 * Return: 0 (the verdict comes through the done callback of
 * nkd_pam_reap() or nkd_pam_expire()), -EAGAIN when NKD_PAM_RUNNING checks
 * are running, or the errno of fork().
 */
int nkd_pam_submit(struct nkd_pam_runner *r, const char *service, unsigned slot,
		   const struct ike_xauth_check *x, uint64_t now_ms);

/**
 * nkd_pam_reap() - collect the checks that ended (after SIGCHLD); reports
 * each verdict not reported yet.
 */
void nkd_pam_reap(struct nkd_pam_runner *r);

/**
 * nkd_pam_expire() - kill the checks past their deadline and report them
 * refused.
 */
void nkd_pam_expire(struct nkd_pam_runner *r, uint64_t now_ms);

/** nkd_pam_next_deadline() - the earliest deadline (UINT64_MAX: none). */
uint64_t nkd_pam_next_deadline(const struct nkd_pam_runner *r);

/** nkd_pam_busy() - the checks not reaped yet. */
size_t nkd_pam_busy(const struct nkd_pam_runner *r);

/**
 * nkd_pam_stop() - kill and reap every check (shutdown); those not
 * reported yet are reported refused.
 */
void nkd_pam_stop(struct nkd_pam_runner *r);

#endif
