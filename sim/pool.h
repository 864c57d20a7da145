/*
 * pool.h - N independent pieces of work on worker threads, their results
 * taken in order.
 *
 * What `check`, `matrix` and `explore --jobs` share: the work items are
 * numbered, workers take the next one in order, and the calling thread
 * hands each finished item to DONE in the order of the numbers as soon as
 * it and every item before it are finished, so what is printed never
 * depends on the number of workers or on which finished first.  The
 * workers are joined before sim_pool_run returns: no thread outlives the
 * call (valgrind sees no parked thread).
 */
#ifndef SIM_POOL_H
#define SIM_POOL_H

#include <glib.h>

/* sim_pool_run - WORK(I, DATA) for every I in [0, N) on NJOBS threads
 * (at least 1), and DONE(I, DATA) on the calling thread in order of I
 * (DONE may be NULL).  WORK must touch only item I's own state. */
void sim_pool_run(guint n, int njobs, void (*work)(guint i, void *data),
		  void (*done)(guint i, void *data), void *data);

#endif
