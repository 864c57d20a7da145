/*
 * pool.c - joined worker threads over numbered work.  See pool.h.
 */
#include "pool.h"

typedef struct {
	GMutex lock;
	GCond done;
	guint n, next;          /* the next item to take, under lock */
	gboolean *finished;     /* under lock */
	void (*work)(guint i, void *data);
	void *data;
} Pool;

static gpointer pool_work(gpointer user)
{
	Pool *pool = user;

	for (;;) {
		g_mutex_lock(&pool->lock);
		guint i = pool->next < pool->n ? pool->next++ : pool->n;
		g_mutex_unlock(&pool->lock);
		if (i >= pool->n)
			return NULL;
		pool->work(i, pool->data);
		g_mutex_lock(&pool->lock);
		pool->finished[i] = TRUE;
		g_cond_broadcast(&pool->done);
		g_mutex_unlock(&pool->lock);
	}
}

void sim_pool_run(guint n, int njobs, void (*work)(guint i, void *data),
		  void (*done)(guint i, void *data), void *data)
{
	Pool pool = { .n = n, .work = work, .data = data };
	guint nthreads = (guint)MAX(njobs, 1);
	GThread **workers;

	nthreads = MIN(nthreads, MAX(n, 1u));
	workers = g_new(GThread *, nthreads);
	pool.finished = g_new0(gboolean, n);
	g_mutex_init(&pool.lock);
	g_cond_init(&pool.done);
	for (guint w = 0; w < nthreads; w++)
		workers[w] = g_thread_new("faultline", pool_work, &pool);
	for (guint i = 0; i < n; i++) {
		g_mutex_lock(&pool.lock);
		while (!pool.finished[i])
			g_cond_wait(&pool.done, &pool.lock);
		g_mutex_unlock(&pool.lock);
		if (done)
			done(i, data);
	}
	for (guint w = 0; w < nthreads; w++)
		g_thread_join(workers[w]);
	g_free(workers);
	g_mutex_clear(&pool.lock);
	g_cond_clear(&pool.done);
	g_free(pool.finished);
}
