// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The crypto worker pool (natkeyd_workers.h): one mutex, a FIFO of jobs to
 * run, a FIFO of jobs done, an eventfd towards the epoll loop. Jobs carry
 * their inputs (ike/engine_crypto.c): a worker reads and writes nothing
 * but the job it took; keys in a job are wiped when it is freed.
 */
#define _GNU_SOURCE
#include "tools/natkeyd/natkeyd_workers.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define WORKERS_MAX 64
#define CAP_DEFAULT 256

struct wnode {
	struct wnode *next;
	struct ike_crypto_job *job;
	void *tag;
};

struct fifo {
	struct wnode *head, *tail;
};

struct nkd_workers {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct fifo todo, done;
	unsigned out, cap; /* queued + running + done not taken */
	bool stop;
	bool signalled; /* the eventfd holds a count */
	int efd;
	unsigned n;
	pthread_t th[WORKERS_MAX];
};

static void fifo_push(struct fifo *f, struct wnode *n)
{
	n->next = NULL;
	if (f->tail)
		f->tail->next = n;
	else
		f->head = n;
	f->tail = n;
}

static struct wnode *fifo_pop(struct fifo *f)
{
	struct wnode *n = f->head;

	if (n) {
		f->head = n->next;
		if (!f->head)
			f->tail = NULL;
	}
	return n;
}

static void *worker(void *arg)
{
	struct nkd_workers *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct wnode *n;
		bool wake;

		while (!w->stop && !w->todo.head)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->stop)
			break;
		n = fifo_pop(&w->todo);
		pthread_mutex_unlock(&w->mu);
		ike_crypto_job_run(n->job);
		pthread_mutex_lock(&w->mu);
		fifo_push(&w->done, n);
		/* One write per batch: the loop takes everything at once. */
		wake = !w->signalled;
		w->signalled = true;
		if (wake) {
			uint64_t one = 1;

			if (write(w->efd, &one, sizeof(one)) < 0) {
				/* cannot fail: the counter is far from overflow */
			}
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

unsigned nkd_workers_default(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		n = CPU_COUNT(&set);
		if (n > 0)
			return n > WORKERS_MAX ? WORKERS_MAX : (unsigned)n;
	}
	n = (int)sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (n > WORKERS_MAX ? WORKERS_MAX : (unsigned)n) : 1;
}

unsigned nkd_workers_for_cpus(unsigned cpus)
{
	return cpus > 1 ? cpus : 0;
}

int nkd_workers_new(unsigned n, unsigned cap, struct nkd_workers **out)
{
	struct nkd_workers *w;
	int rc;

	if (n == 0 || n > WORKERS_MAX || !out)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->cap = cap ? cap : CAP_DEFAULT;
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->efd < 0) {
		rc = -errno;
		free(w);
		return rc;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	for (w->n = 0; w->n < n; w->n++) {
		rc = pthread_create(&w->th[w->n], NULL, worker, w);
		if (rc) {
			nkd_workers_free(w);
			return -rc;
		}
	}
	*out = w;
	return 0;
}

int nkd_workers_fd(const struct nkd_workers *w)
{
	return w->efd;
}

int nkd_workers_submit(struct nkd_workers *w, struct ike_crypto_job *job, void *tag)
{
	struct wnode *n;

	pthread_mutex_lock(&w->mu);
	if (w->out >= w->cap) {
		pthread_mutex_unlock(&w->mu);
		return -EAGAIN;
	}
	pthread_mutex_unlock(&w->mu);
	n = malloc(sizeof(*n));
	if (!n)
		return -EAGAIN;
	n->job = job;
	n->tag = tag;
	pthread_mutex_lock(&w->mu);
	w->out++;
	fifo_push(&w->todo, n);
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

size_t nkd_workers_take(struct nkd_workers *w, struct nkd_job_done *out, size_t max)
{
	size_t k = 0;
	struct wnode *n;

	pthread_mutex_lock(&w->mu);
	while (k < max && (n = fifo_pop(&w->done)) != NULL) {
		out[k].job = n->job;
		out[k].tag = n->tag;
		k++;
		w->out--;
		free(n);
	}
	if (!w->done.head && w->signalled) {
		uint64_t v;

		w->signalled = false;
		if (read(w->efd, &v, sizeof(v)) < 0) {
			/* EAGAIN: nothing to clear */
		}
	}
	pthread_mutex_unlock(&w->mu);
	return k;
}

unsigned nkd_workers_out(struct nkd_workers *w)
{
	unsigned n;

	pthread_mutex_lock(&w->mu);
	n = w->out;
	pthread_mutex_unlock(&w->mu);
	return n;
}

void nkd_workers_free(struct nkd_workers *w)
{
	struct wnode *n;

	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	for (unsigned i = 0; i < w->n; i++)
		pthread_join(w->th[i], NULL);
	while ((n = fifo_pop(&w->todo)) != NULL) {
		ike_crypto_job_free(n->job);
		free(n);
	}
	while ((n = fifo_pop(&w->done)) != NULL) {
		ike_crypto_job_free(n->job);
		free(n);
	}
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	close(w->efd);
	free(w);
}
