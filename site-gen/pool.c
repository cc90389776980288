/*
 * pool: a fixed set of threads per call, taking job numbers from one
 * atomic counter.  Starting threads per call costs microseconds, far below
 * a page's rendering, and keeps no state between builds.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "pool.h"
#include "util.h"

static int threads;

struct run {
	size_t		 n;
	atomic_size_t	 next;
	void		(*fn)(void *, size_t);
	void		*arg;
};

void
sg_pool_set_threads(int n)
{
	threads = n;
}

int
sg_pool_threads(void)
{
	long n;

	if (threads > 0)
		return threads;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (n > 64 ? 64 : (int)n) : 1;
}

static void *
worker(void *p)
{
	struct run *r = p;
	size_t i;

	while ((i = atomic_fetch_add(&r->next, 1)) < r->n)
		r->fn(r->arg, i);
	return NULL;
}

void
sg_pool_run(size_t n, void (*fn)(void *arg, size_t i), void *arg)
{
	struct run r = {n, 0, fn, arg};
	int t = sg_pool_threads();
	pthread_t *tid;
	int started = 0;

	if ((size_t)t > n)
		t = (int)n;
	if (t <= 1) {
		for (size_t i = 0; i < n; i++)
			fn(arg, i);
		return;
	}
	tid = sg_xcalloc((size_t)t, sizeof(*tid));
	/* The calling thread works too. */
	for (int k = 1; k < t; k++)
		if (pthread_create(&tid[k], NULL, worker, &r) == 0)
			started++;
		else
			tid[k] = 0;
	worker(&r);
	for (int k = 1; k < t; k++)
		if (tid[k])
			pthread_join(tid[k], NULL);
	free(tid);
	(void)started;
}
