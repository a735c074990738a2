/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The crypto worker pool (config setup crypto-workers=N): N threads run the
 * engines' IKE_ACT_CRYPTO jobs (ike_crypto_job_run(), which touches nothing
 * but its job); finished jobs wait in a queue and an eventfd wakes the
 * epoll loop, which hands each back to its engine (IKE_EV_CRYPTO_DONE). The
 * engines stay single-threaded: only jobs cross threads. The bench
 * (tests/bench/bench_handshake_workers.c) links this same file.
 */
#ifndef NATKEYD_TOOLS_NATKEYD_WORKERS_H
#define NATKEYD_TOOLS_NATKEYD_WORKERS_H

#include <stddef.h>

#include "ike/engine.h"

struct nkd_workers;

/* A job back from a worker, with the tag it was submitted with (the
 * engine it belongs to). */
struct nkd_job_done {
	struct ike_crypto_job *job;
	void *tag;
};

/**
 * nkd_workers_new() - start @n threads (1..64) with room for @cap jobs
 * queued or running (0 = 256).
 * Return: 0, -EINVAL, -ENOMEM or the errno of pthread_create()/eventfd().
 */
int nkd_workers_new(unsigned n, unsigned cap, struct nkd_workers **out);

/**
 * nkd_workers_fd() - readable when finished jobs wait (nkd_workers_take()).
 */
int nkd_workers_fd(const struct nkd_workers *w);

/**
 * nkd_workers_submit() - queue @job for a worker.
 * Return: 0, or -EAGAIN when @cap jobs are out (the caller keeps @job).
 */
int nkd_workers_submit(struct nkd_workers *w, struct ike_crypto_job *job, void *tag);

/**
 * nkd_workers_take() - up to @max finished jobs into @out; clears the
 * eventfd when none is left. Return: how many.
 */
size_t nkd_workers_take(struct nkd_workers *w, struct nkd_job_done *out, size_t max);

/**
 * nkd_workers_out() - jobs queued, running or finished and not taken.
 */
unsigned nkd_workers_out(struct nkd_workers *w);

/**
 * nkd_workers_free() - stop the threads (after the job each one runs) and
 * free every job not taken (ike_crypto_job_free() wipes it).
 */
void nkd_workers_free(struct nkd_workers *w);

/**
 * nkd_workers_default() - the CPUs this process may run on (at least 1).
 * natkeyd starts that many threads, except on one CPU: see
 * nkd_workers_for_cpus().
 */
unsigned nkd_workers_default(void);

/**
 * nkd_workers_for_cpus() - the threads natkeyd starts by default on @cpus
 * CPUs: one per CPU, none on one CPU. A worker only pays when it runs beside
 * the loop; on one CPU every job would cost two thread switches and gain no
 * parallelism (in user-mode-linux, whose thread switches are slow, 4.83 ms
 * of CPU per road warrior with one worker against 2.50 ms with none).
 */
unsigned nkd_workers_for_cpus(unsigned cpus);

#endif
