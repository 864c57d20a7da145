/*
 * par.c - the unreduced search on several threads.  See par.h.
 *
 * An entry of a stack (a worker's or the shared pool) is a header - the
 * state's id and depth - and the whole world, ENTRY_HEAD + world bytes.
 * One mutex guards the pool, the counts of workers and the growth; the
 * hot path (expand a state, add its children) takes no lock.
 */
#include <stdatomic.h>
#include <string.h>
#include "par.h"
#include "lockdep.h"
#include "pool.h"
#include "visited.h"

#define ENTRY_HEAD 8u           /* id, depth: keeps the world 8-aligned */
/* Expansions between a worker's bound checks: the figures it publishes
 * for the others then cost no cache-line traffic on the hot path. */
#define CHECK_EVERY 64u

/* A state as the graph keeps it, and the run of NEDGES edges its
 * expansion appended to the worker's edges (0: a state with no thread to
 * run, or not expanded). */
typedef struct {
	uint32_t id;
	uint32_t nedges;
	SimThreadSet enabled, live;
} Node;

/* A property flagged on the way: by the step of thread TID from STATE,
 * or (TID TERMINAL) by STATE itself, where nothing can run. */
typedef struct {
	uint32_t state;
	uint8_t tid;
	SimPropSet props;
} Flag;

#define TERMINAL 0xffu

typedef struct {
	SimSearch s;            /* the pass's, with a result of its own */
	SimExploreResult r;
	SimLockdep *ld;         /* for the edges' acquisitions only */
	SimWorld *cur;          /* the state being expanded */
	SimWorld **kids;        /* its children, a runnable thread each */
	GArray *stack;          /* entries to expand, the top last */
	GArray *edges;          /* SimEdge */
	GArray *nodes;          /* Node: in the order of their runs */
	GArray *flags;          /* Flag */
	SimFpIds ids;           /* its block of ids */
	/* published every CHECK_EVERY expansions, for the bound checks */
	_Atomic uint64_t bytes; /* its arrays */
	_Atomic uint64_t nedges;
} Worker;

struct SimPar {
	SimSearch *s;
	SimFpSet *set;
	const SimWorld *init;
	size_t wsize;           /* bytes of a world */
	guint stride;           /* bytes of an entry */
	int jobs;
	Worker *workers;
	_Atomic int joined;     /* workers[] handed out */
	_Atomic bool stop;      /* done, or a bound or a model error */
	_Atomic bool grow;      /* the set must grow: park */
	_Atomic int idle;       /* workers waiting for work */
	GMutex lock;            /* the rest, and the pool */
	GCond cond;
	GArray *pool;           /* entries given away */
	_Atomic uint64_t pool_bytes;
	int active;             /* workers in sim_par_work() */
	int waiting;            /* of those, in coord_wait() */
	bool finished;
};

static SimWorld *entry_world(GArray *a, guint i, guint stride)
{
	return (SimWorld *)(void *)(a->data + (size_t)i * stride + ENTRY_HEAD);
}

static uint32_t *entry_head(GArray *a, guint i, guint stride)
{
	return (uint32_t *)(void *)(a->data + (size_t)i * stride);
}

/* Append an entry of world W (WSIZE bytes), id ID, depth DEPTH to A. */
static void entry_push(const SimPar *par, GArray *a, const SimWorld *w,
		       uint32_t id, uint32_t depth)
{
	g_array_set_size(a, a->len + 1);
	uint32_t *h = entry_head(a, a->len - 1, par->stride);
	h[0] = id;
	h[1] = depth;
	memcpy(entry_world(a, a->len - 1, par->stride), w, par->wsize);
}

/* Move entries [FROM, FROM + N) of A to the end of B. */
static void entries_move(const SimPar *par, GArray *a, guint from, guint n,
			 GArray *b)
{
	g_array_append_vals(b, a->data + (size_t)from * par->stride, n);
	g_array_remove_range(a, from, n);
}

static void pool_changed(SimPar *par)
{
	atomic_store(&par->pool_bytes, 2 * (uint64_t)par->pool->len *
		     par->stride);
}

/* What a worker's arrays may take through their next doubling. */
static uint64_t worker_bytes(const SimPar *par, const Worker *w)
{
	return 2 * ((uint64_t)w->stack->len * par->stride +
		    (uint64_t)w->edges->len * sizeof(SimEdge) +
		    (uint64_t)w->nodes->len * sizeof(Node) +
		    (uint64_t)w->flags->len * sizeof(Flag));
}

/* Everything: the set through its growth, every worker's arrays, the
 * pool, and the graph they will be gathered into with its analysis. */
static uint64_t total_bytes(SimPar *par)
{
	uint64_t b = sim_fpset_bytes_next(par->set) + par->s->extra_bytes +
		     atomic_load(&par->pool_bytes);
	uint64_t m = 0;

	for (int i = 0; i < par->jobs; i++) {
		b += atomic_load(&par->workers[i].bytes);
		m += atomic_load(&par->workers[i].nedges);
	}
	uint64_t n = sim_fpset_ids(par->set);
	/* and sim_par_finish's renumbering, 4 bytes an id */
	return b + sim_graph_cost(m, n) + n * sizeof(uint32_t);
}

/* Record state ID (WORLD) as W's next node, with no edges yet; its
 * runnable threads. */
static SimThreadSet add_node(Worker *w, uint32_t id, const SimWorld *world)
{
	Node n = { .id = id };

	sim_graph_threads(world, &n.enabled, &n.live);
	g_array_append_val(w->nodes, n);
	return n.enabled;
}

/* Stop every worker (a bound, a model error, or the end). */
static void stop_all(SimPar *par)
{
	g_mutex_lock(&par->lock);
	atomic_store(&par->stop, true);
	g_cond_broadcast(&par->cond);
	g_mutex_unlock(&par->lock);
}

/* Wait, under the lock, until W can go on: with WANT, for work (taken
 * from the pool into W's stack); without, for the growth it parked for.
 * The last worker to wait while growth is due grows the set (the others
 * are all waiting, so no one adds); the last to want work while the
 * pool is empty ends the search.  False when the search has ended. */
static bool coord_wait(SimPar *par, Worker *w, bool want)
{
	bool go = true;

	g_mutex_lock(&par->lock);
	par->waiting++;
	if (want)
		atomic_fetch_add(&par->idle, 1);
	for (;;) {
		if (atomic_load(&par->stop)) {
			go = false;
			break;
		}
		if (atomic_load(&par->grow)) {
			if (par->waiting == par->active) {
				sim_fpset_grow(par->set);
				atomic_store(&par->grow, false);
				g_cond_broadcast(&par->cond);
				continue;
			}
		} else if (!want) {
			break;
		} else if (par->pool->len) {
			guint n = (par->pool->len + 1) / 2;
			entries_move(par, par->pool, par->pool->len - n, n,
				     w->stack);
			pool_changed(par);
			break;
		} else if (atomic_load(&par->idle) == par->active) {
			par->finished = true;
			atomic_store(&par->stop, true);
			g_cond_broadcast(&par->cond);
			go = false;
			break;
		}
		g_cond_wait(&par->cond, &par->lock);
	}
	par->waiting--;
	if (want)
		atomic_fetch_sub(&par->idle, 1);
	g_mutex_unlock(&par->lock);
	return go;
}

/* Give the older half of W's stack to the pool if a worker is idle and
 * the pool is empty. */
static void share(SimPar *par, Worker *w)
{
	if (!atomic_load_explicit(&par->idle, memory_order_relaxed) ||
	    w->stack->len < 2)
		return;
	g_mutex_lock(&par->lock);
	if (!par->pool->len) {
		entries_move(par, w->stack, 0, w->stack->len / 2, par->pool);
		pool_changed(par);
		g_cond_broadcast(&par->cond);
	}
	g_mutex_unlock(&par->lock);
}

/* A step of the state being expanded, taken before any of its
 * siblings' fingerprints is added. */
typedef struct {
	SimEdge e;              /* but its destination */
	SimPropSet found;
	uint64_t fp;
} Kid;

/* Expand W's top entry by every runnable thread: its node, then its run
 * of edges in thread order (the graph's order); a new child with a
 * thread to run goes on the stack, one without gets its node (and no
 * run) here.  Every child is stepped and hashed, and the set's slot where
 * its probe starts prefetched, before the first is added: the set is
 * large and its probes random, so the adds' cache misses then overlap
 * instead of coming one after another. */
static void expand(SimPar *par, Worker *w)
{
	SimSearch *s = &w->s;
	guint top = w->stack->len - 1;
	uint32_t *h = entry_head(w->stack, top, par->stride);
	uint32_t id = h[0], depth = h[1];
	guint node = w->nodes->len, first = w->edges->len;
	Kid kid[SIM_THREADS_MAX];
	int nk = 0;

	memcpy(w->cur, entry_world(w->stack, top, par->stride), par->wsize);
	g_array_set_size(w->stack, top);
	SimThreadSet en = add_node(w, id, w->cur);
	/* as dfs.c: a state at the depth bound is not expanded (an entry
	 * has a runnable thread: entry_push's callers see to it) */
	if (depth + 1 >= s->depth_max) {
		sim_search_bound(s, "depth-max");
		return;
	}
	for (int t = 0; en >> t; t++) {
		if (!(en >> t & 1))
			continue;
		Kid *k = &kid[nk];
		bool progress;
		if (!sim_search_step(s, (SimSlot){ w->cur, NULL },
				     (SimSlot){ w->kids[nk], NULL }, t, w->ld,
				     &k->found, &progress))
			break;
		k->e = (SimEdge){ .src = id, .tid = (uint8_t)(t |
			   (progress ? SIM_EDGE_PROGRESS : 0) |
			   (k->found ? SIM_EDGE_FOUND : 0)) };
		sim_lockdep_take_event(w->ld, &k->e.ld_to, &k->e.ld_from);
		k->fp = sim_visited_hash(sim_world_state(w->kids[nk]),
					 s->hsize);
		sim_fpset_prefetch(par->set, k->fp);
		nk++;
	}
	for (int i = 0; i < nk; i++) {
		const SimWorld *child = w->kids[i];
		SimEdge e = kid[i].e;
		SimPropSet found = kid[i].found;
		bool is_new;
		e.dst = sim_fpset_add(par->set, kid[i].fp, &w->ids, &is_new);
		g_array_append_val(w->edges, e);
		if (found)
			g_array_append_val(w->flags, ((Flag){
				id, (uint8_t)sim_edge_tid(&e), found }));
		if (!is_new)
			continue;
		if (sim_step_runnable(child)) {
			entry_push(par, w->stack, child, e.dst, depth + 1);
		} else {
			add_node(w, e.dst, child);
			if ((found = sim_search_terminal(s->p, child)))
				g_array_append_val(w->flags, ((Flag){
					e.dst, TERMINAL, found }));
		}
		if (sim_fpset_full(par->set))
			atomic_store(&par->grow, true);
	}
	g_array_index(w->nodes, Node, node).nedges = w->edges->len - first;
}

/* Publish W's bytes and check the bounds on the shared figures; true
 * when W must stop. */
static bool check(SimPar *par, Worker *w)
{
	atomic_store(&w->bytes, worker_bytes(par, w));
	atomic_store(&w->nedges, w->edges->len);
	uint64_t bytes = total_bytes(par);
	sim_search_note_peak(&w->s, bytes);
	return sim_search_out_of_bounds(&w->s, sim_fpset_ids(par->set),
					bytes);
}

/* The root, as worker W: its node and its run first of all (so
 * sim_par_finish numbers it 0), its children into the pool. */
static void root(SimPar *par, Worker *w)
{
	bool is_new;
	uint32_t id = sim_fpset_add(par->set, sim_visited_hash(
		sim_world_state(par->init), par->s->hsize), &w->ids, &is_new);

	if (!sim_step_runnable(par->init)) {
		add_node(w, id, par->init);
		return;
	}
	entry_push(par, w->stack, par->init, id, 0);
	if (!check(par, w))
		expand(par, w);
	atomic_store(&par->stop, w->s.stop);
	entries_move(par, w->stack, 0, w->stack->len, par->pool);
	pool_changed(par);
}

SimPar *sim_par_new(SimSearch *s, const SimWorld *init, int jobs)
{
	SimPar *par = g_new0(SimPar, 1);

	par->s = s;
	par->jobs = jobs;
	par->init = init;
	par->wsize = init->size;
	par->stride = (guint)(ENTRY_HEAD + ((init->size + 7) & ~(size_t)7));
	par->set = sim_fpset_new(s->o->states_max ? s->o->states_max :
				 1u << 16);
	par->pool = g_array_new(FALSE, FALSE, par->stride);
	g_mutex_init(&par->lock);
	g_cond_init(&par->cond);
	par->workers = g_new0(Worker, jobs);
	for (int i = 0; i < jobs; i++) {
		Worker *w = &par->workers[i];
		w->s = *s;
		w->s.r = &w->r;
		w->s.g = NULL;
		w->r.complete = true;
		w->stack = g_array_new(FALSE, FALSE, par->stride);
		w->edges = g_array_new(FALSE, FALSE, sizeof(SimEdge));
		w->nodes = g_array_new(FALSE, FALSE, sizeof(Node));
		w->flags = g_array_new(FALSE, FALSE, sizeof(Flag));
		w->ld = sim_lockdep_new(s->p);
		/* a step copies the state only (world.h): whole worlds */
		w->cur = sim_world_dup(init);
		w->kids = g_new(SimWorld *, init->nthreads);
		for (int t = 0; t < init->nthreads; t++)
			w->kids[t] = sim_world_dup(init);
	}
	root(par, &par->workers[0]);
	return par;
}

void sim_par_work(SimPar *par)
{
	int i = atomic_fetch_add(&par->joined, 1);
	g_assert(i < par->jobs);
	Worker *w = &par->workers[i];

	g_mutex_lock(&par->lock);
	bool late = par->finished;
	if (!late)
		par->active++;
	g_mutex_unlock(&par->lock);
	for (uint32_t n = 0; !late; n++) {
		if (atomic_load(&par->grow) && !coord_wait(par, w, false))
			break;
		if (!w->stack->len && !coord_wait(par, w, true))
			break;
		if (atomic_load(&par->stop) ||
		    (n % CHECK_EVERY == 0 && check(par, w)))
			break;
		share(par, w);
		expand(par, w);
		if (w->s.stop)
			break;
	}
	if (!late) {
		if (w->s.stop)
			stop_all(par);
		g_mutex_lock(&par->lock);
		par->active--;
		g_cond_broadcast(&par->cond);
		g_mutex_unlock(&par->lock);
	}
}

/* Worker W's figures, bound and model error into R. */
static void fold(SimExploreResult *r, SimExploreResult *wr)
{
	r->transitions += wr->transitions;
	r->peak_bytes = MAX(r->peak_bytes, wr->peak_bytes);
	if (wr->bound && !r->bound) {
		r->complete = false;
		r->bound = g_strdup(wr->bound);
	}
	if (wr->model_error && !r->model_error) {
		r->model_error = true;
		r->model_error_msg = g_strdup(wr->model_error_msg);
	}
	sim_explore_result_clear(wr);
}

/* The states left on stack A by a bound: nodes of W without a run. */
static void leftovers(SimPar *par, Worker *w, GArray *a)
{
	for (guint i = 0; i < a->len; i++)
		add_node(w, entry_head(a, i, par->stride)[0],
			 entry_world(a, i, par->stride));
}

/* The graph gathered from the workers' nodes and runs: the states are
 * numbered in the order of their runs, worker after worker (the root,
 * worker 0's first, is 0), so the runs laid end to end are the graph by
 * source, each state's edges in thread order (graph.h); only the edges'
 * destinations need renumbering, and worker 0's edges are already where
 * they go: its array, grown to hold the others' after them (a large
 * block's realloc remaps its pages rather than copying them), becomes
 * the graph's.  Each worker's part is gathered on a thread of its own:
 * the parts write disjoint ranges of the graph and of REMAP (a state has
 * one node), and the edges read REMAP only once every part's nodes are
 * in (two sim_pool_run calls). */
typedef struct {
	SimPar *par;
	SimCsr *c;
	SimThreadSet *enabled, *live;
	uint32_t *remap;        /* by the set's id: the state's number */
	uint32_t *base;         /* by worker: its first state's number */
	uint32_t *ebase;        /* and its first edge's index */
	const SimEdge **edges;  /* and its edges (worker 0's: in place) */
} Gather;

static void gather_nodes(guint i, void *data)
{
	Gather *x = data;
	const GArray *nodes = x->par->workers[i].nodes;
	uint32_t v = x->base[i], e = x->ebase[i];

	for (guint j = 0; j < nodes->len; j++, v++) {
		const Node *d = &g_array_index(nodes, Node, j);
		x->remap[d->id] = v;
		x->enabled[v] = d->enabled;
		x->live[v] = d->live;
		x->c->off[v] = e;
		e += d->nedges;
	}
}

static void gather_edges(guint i, void *data)
{
	Gather *x = data;
	const Worker *w = &x->par->workers[i];
	const SimEdge *e = x->edges[i];
	SimEdge *out = x->c->adj + x->ebase[i];
	uint32_t v = x->base[i];

	for (guint j = 0; j < w->nodes->len; j++, v++)
		for (uint32_t k = g_array_index(w->nodes, Node, j).nedges; k;
		     k--, e++, out++) {
			*out = *e;
			out->src = v;
			out->dst = x->remap[e->dst];
		}
}

static void gather(SimPar *par, SimCsr *c, uint32_t *remap)
{
	SimGraph *g = par->s->g;
	uint32_t n = 0, m = 0;
	Gather x = { .par = par, .c = c, .remap = remap,
		     .base = g_new(uint32_t, par->jobs),
		     .ebase = g_new(uint32_t, par->jobs),
		     .edges = g_new(const SimEdge *, par->jobs) };

	leftovers(par, &par->workers[0], par->pool);
	for (int i = 0; i < par->jobs; i++) {
		Worker *w = &par->workers[i];
		leftovers(par, w, w->stack);
		x.base[i] = n;
		x.ebase[i] = m;
		n += w->nodes->len;
		m += w->edges->len;
	}
	g_array_set_size(g->enabled, n);
	g_array_set_size(g->live, n);
	x.enabled = (SimThreadSet *)(void *)g->enabled->data;
	x.live = (SimThreadSet *)(void *)g->live->data;
	sim_csr_alloc(c, g, g_renew(SimEdge, (SimEdge *)(void *)g_array_free(
		par->workers[0].edges, FALSE), MAX(m, 1)), m);
	x.edges[0] = c->adj;
	for (int i = 1; i < par->jobs; i++)
		x.edges[i] = (const SimEdge *)(void *)
			     par->workers[i].edges->data;
	sim_pool_run((guint)par->jobs, par->jobs, gather_nodes, NULL, &x);
	sim_pool_run((guint)par->jobs, par->jobs, gather_edges, NULL, &x);
	for (int i = 1; i < par->jobs; i++)
		g_array_free(par->workers[i].edges, TRUE);
	g_free(x.base);
	g_free(x.ebase);
	g_free(x.edges);
}

static int flag_cmp(const void *a, const void *b)
{
	const Flag *x = a, *y = b;

	if (x->state != y->state)
		return x->state < y->state ? -1 : 1;
	return (int)x->tid - (int)y->tid;
}

/* The properties flagged by state V's step of TID (or TERMINAL). */
static SimPropSet flagged(const GArray *flags, uint32_t v, int tid)
{
	if (!flags->len)
		return 0;
	Flag key = { .state = v, .tid = (uint8_t)tid };
	const Flag *f = bsearch(&key, flags->data, flags->len, sizeof(Flag),
				flag_cmp);

	return f ? f->props : 0;
}

/* What a one-thread search (dfs.c, unreduced) would have found on the
 * same graph, in the order it would have found it: the graph walked depth
 * first from the root, each state's edges in thread order, as dfs.c
 * takes them (livelock.c's first pass, which walks it so: a
 * SimGraphVisit).  So every figure and path that depends on the order -
 * the first path to each property (kept when the counterexample search's
 * budget runs out), lockdep's edges with their sequence and the site
 * where each was first seen (sited by replaying the walk's path, as
 * dfs.c does), the depth - is the one-thread search's, whatever the
 * workers' schedule: the same bytes for any N.  Only the acquisitions
 * that order an edge lockdep lacks, and the steps that flagged a
 * property, cost more than the walk itself. */
typedef struct {
	SimSearch *s;
	const SimCsr *c;
	const GArray *flags;    /* Flag, sorted */
} Walk;

static void walk_edge(void *data, const SimEdge *e, const int *tids, int n,
		      bool first)
{
	const Walk *k = data;
	SimSearch *s = k->s;
	SimExploreResult *r = s->r;
	int tid = tids[n - 1];

	if (e->ld_from && sim_lockdep_would_add(s->lockdep, e->ld_to,
						e->ld_from))
		sim_search_replay_step(s, tids, n - 1, tid);
	SimPropSet found = e->tid & SIM_EDGE_FOUND ?
			   flagged(k->flags, e->src, tid) : 0;
	if (found & ~r->found)
		sim_search_record(s, tids, n, found);
	if (!first)
		return;
	SimPropSet stuck = flagged(k->flags, e->dst, TERMINAL);
	if (stuck & ~r->found)
		sim_search_record(s, tids, n, stuck);
	/* dfs.c's stack holds the states with a thread to run */
	if (k->c->enabled[e->dst])
		r->depth = MAX(r->depth, (uint32_t)n + 1);
}

void sim_par_finish(SimPar *par, SimCsr *c)
{
	SimSearch *s = par->s;
	const SimWorld *init = par->init;
	uint32_t *remap = g_new(uint32_t, MAX(sim_fpset_ids(par->set), 1));
	GArray *flags = g_array_new(FALSE, FALSE, sizeof(Flag));

	gather(par, c, remap);
	for (int i = 0; i < par->jobs; i++) {
		Worker *w = &par->workers[i];
		for (guint j = 0; j < w->flags->len; j++) {
			Flag f = g_array_index(w->flags, Flag, j);
			f.state = remap[f.state];
			g_array_append_val(flags, f);
		}
		fold(s->r, &w->r);
		g_array_free(w->stack, TRUE);
		g_array_free(w->nodes, TRUE);
		g_array_free(w->flags, TRUE);
		sim_lockdep_free(w->ld);
		g_free(w->cur);
		for (int t = 0; t < init->nthreads; t++)
			g_free(w->kids[t]);
		g_free(w->kids);
	}
	g_free(remap);
	s->r->states = c->n;
	s->r->store_bytes = sim_fpset_bytes(par->set);
	/* all but the graph freed before the analysis allocates over it */
	sim_fpset_free(par->set);
	g_array_free(par->pool, TRUE);
	g_mutex_clear(&par->lock);
	g_cond_clear(&par->cond);
	g_free(par->workers);
	g_free(par);
	if (flags->len)         /* qsort's base may not be NULL */
		qsort(flags->data, flags->len, sizeof(Flag), flag_cmp);
	if (s->r->model_error) {
		s->stop = true;
	} else {
		Walk k = { s, c, flags };
		SimGraphVisit v = { walk_edge, &k };
		sim_search_record(s, NULL, 0, sim_search_terminal(s->p, init));
		s->r->depth = 1;
		sim_livelock_check(s, c, &v);
	}
	g_array_free(flags, TRUE);
}
