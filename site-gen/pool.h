/*
 * pool: runs n independent jobs on a few threads.  Pages render in
 * parallel through it; what each job writes is its own, and the shared
 * parts (output counts, findings, the sitemap list) take their own locks.
 */
#ifndef SG_POOL_H
#define SG_POOL_H

#include <stddef.h>

/* Threads to use: set by -j, else the number of online CPUs. */
void sg_pool_set_threads(int n);
int sg_pool_threads(void);

/*
 * Calls fn(arg, i) once for every i in [0, n), on up to sg_pool_threads()
 * threads, and returns when all are done.  Jobs run in any order.
 */
void sg_pool_run(size_t n, void (*fn)(void *arg, size_t i), void *arg);

#endif
