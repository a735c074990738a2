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
	struct wnode *spare; /* nodes to reuse: no malloc() per job */
	unsigned out, cap;   /* queued + running + done not taken */
	unsigned queued;     /* in todo */
	unsigned idle;	     /* workers asleep in pthread_cond_wait() */
	unsigned woken;	     /* of those, signalled and not yet running */
	unsigned writers;    /* workers about to write the eventfd */
	bool stale;	     /* a write is still to come after the last read */
	bool stop;
	bool signalled; /* the eventfd holds a count, or a writer is on its way */
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

		while (!w->stop && !w->todo.head) {
			w->idle++;
			pthread_cond_wait(&w->cv, &w->mu);
			w->idle--;
			if (w->woken)
				w->woken--;
		}
		if (w->stop)
			break;
		n = fifo_pop(&w->todo);
		w->queued--;
		pthread_mutex_unlock(&w->mu);
		ike_crypto_job_run(n->job);
		pthread_mutex_lock(&w->mu);
		fifo_push(&w->done, n);
		/* One write per batch: the loop takes everything at once.
		 * Outside the mutex: the write wakes the loop, which would
		 * otherwise block at once on the mutex this thread holds. */
		if (!w->signalled) {
			uint64_t one = 1;

			w->signalled = true;
			w->writers++;
			pthread_mutex_unlock(&w->mu);
			if (write(w->efd, &one, sizeof(one)) < 0) {
				/* cannot fail: the counter is far from overflow */
			}
			pthread_mutex_lock(&w->mu);
			w->writers--;
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
	n = w->spare;
	if (n) {
		w->spare = n->next;
	} else {
		n = malloc(sizeof(*n));
		if (!n) {
			pthread_mutex_unlock(&w->mu);
			return -EAGAIN;
		}
	}
	n->job = job;
	n->tag = tag;
	w->out++;
	fifo_push(&w->todo, n);
	w->queued++;
	/* Wake a sleeping worker only when the workers already awake and
	 * not yet running cannot take this job: no futex call per job while
	 * the workers are busy, and never more threads than jobs. */
	if (w->idle > w->woken && w->queued > w->woken) {
		w->woken++;
		pthread_cond_signal(&w->cv);
	}
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
		n->job = NULL;
		n->next = w->spare;
		w->spare = n;
	}
	/* Clear the eventfd once the queue is empty. A worker may be
	 * between setting signalled and its write: the count it writes
	 * then comes after this read (stale), and the next take clears it. */
	if (!w->done.head && (w->signalled || w->stale)) {
		uint64_t v;

		w->signalled = false;
		w->stale = w->writers > 0;
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
	while ((n = w->spare) != NULL) {
		w->spare = n->next;
		free(n);
	}
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	close(w->efd);
	free(w);
}
