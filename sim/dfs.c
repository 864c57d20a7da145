/*
 * dfs.c - the exhaustive search.  See dfs.h.
 *
 * A frame (Frame) holds a whole world, its runnable and ample sets and
 * what is done of them, and with POR the footprints and futures the
 * reduction uses (por.h): a thread's footprint and future depend on its own
 * SimThread only, so a frame copies them from its parent for every
 * thread but the one that stepped and those it woke.  Those two arrays
 * are sized by the scenario's threads, not SIM_THREADS_MAX, in one
 * allocation each for the whole stack: the frames of a 4-thread search
 * are a few cache lines each, not 4 KB on a page of their own.  A
 * thread's cut futures (SimCuts) depend on the same, but are filled
 * lazily: a frame points to those of the frame where the thread last
 * stepped, below it on the stack, so what one state computes serves
 * every state above it in which the thread has not stepped again.
 */
#include <string.h>
#include "dfs.h"
#include "livelock.h"
#include "prng.h"
#include "visited.h"

#define ONSTACK 0x80u
#define SLEEP_MASK 0x0fu

typedef struct {
	SimWorld *w;            /* no notes: lockdep's sites by replay */
	uint32_t id;            /* in the visited set */
	SimThreadSet enabled, ample, done;
	int8_t via;             /* thread whose step led here, -1 at root */
	int8_t order[SIM_THREADS_MAX];     /* with order_seed: choice order */
	SimFp *fp;              /* [nthreads]: of the enabled threads (POR) */
	SimFuture *fut;         /* [nthreads]: of every thread (with POR) */
	SimCuts **cuts;         /* [nthreads]: of every thread, in this frame's
				 * own[] or an ancestor's (with POR) */
	SimCuts *own;           /* [nthreads]: of the threads that stepped
				 * into this frame */
} Frame;

/* Fill F's runnable set, and with POR its footprints, futures and ample
 * set (without, the ample set is the runnable set) (F->w is set).  PARENT
 * is the frame F's world was stepped from by thread VIA, or NULL.  A
 * thread's next-step footprint and its future depend on its own SimThread
 * only (frames, registers, process), which a step of another thread never
 * changes (a wake-up changes status and granted, flush_cache and
 * freeing a block fsync_pending: neither is read by them), so they are
 * copied from the parent for every thread but VIA and those the step
 * made runnable, and but footprints that depend on more and that VIA's
 * step may have changed (sim_por_fp_kept); a kept reader's sharing is
 * set anew (sim_por_fp_reshare).  The
 * op-boundary reads of a footprint (SimFp.brd) depend on which pgoffs
 * have a PTE or a page: sim_por_ample refreshes them for every state
 * with a choice, the only states whose footprints are compared
 * (child_sleep). */
static void frame_setup(const SimSearch *s, Frame *f, const Frame *parent,
			int via)
{
	const SimWorld *w = f->w;
	SimThreadSet fresh = ~(SimThreadSet)0;

	f->enabled = sim_step_runnable(w);
	f->done = 0;
	f->via = (int8_t)via;
	f->ample = f->enabled;
	if (!s->reduce)
		return;         /* nothing else reads footprints or futures */
	if (parent && via >= 0)
		fresh = SIM_TSET(via) | ~parent->enabled;
	for (int t = 0; t < w->nthreads; t++) {
		if (parent && via >= 0 && (parent->enabled >> t & 1) &&
		    !sim_por_fp_kept(&parent->fp[t], &parent->fp[via]))
			fresh |= SIM_TSET(t);
		if (f->enabled >> t & 1) {
			if (fresh >> t & 1) {
				f->fp[t] = sim_por_step_fp(s->por, w, t);
			} else {
				f->fp[t] = parent->fp[t];
				if (f->fp[t].reader)
					sim_por_fp_reshare(w, &f->fp[t]);
			}
		}
		if (parent && via >= 0 && t != via) {
			f->fut[t] = parent->fut[t];
			f->cuts[t] = parent->cuts[t];
		} else {
			f->fut[t] = sim_por_future(s->por, w, t);
			f->own[t].known = 0;
			f->cuts[t] = &f->own[t];
		}
	}
	f->ample = sim_por_ample(s->por, w, f->enabled, f->fp, f->fut,
				 f->cuts);
}

typedef struct {
	SimSearch *s;
	SimVisited *vis;
	Frame *st;
	int sp;
	SimPrng order;          /* order_seed's stream */
} Dfs;

static uint8_t *data_of(Dfs *d, uint32_t id)
{
	return sim_visited_data(d->vis, id);
}

/* The path to frame SP into TIDS; its length. */
static int dfs_path(const Dfs *d, int sp, int *tids)
{
	int n = 0;

	for (int i = 1; i <= sp && n < SIM_STEPS_MAX; i++)
		tids[n++] = d->st[i].via;
	return n;
}

/* The path to the top frame, then LAST. */
static void dfs_record(Dfs *d, int sp, int last, SimPropSet found)
{
	int tids[SIM_STEPS_MAX + 1], n = dfs_path(d, sp, tids);

	tids[n++] = last;
	sim_search_record(d->s, tids, n, found);
}

/* Child sleep set after thread T from frame F with sleep set Z.  It is
 * kept in the visited set's data byte, so only threads 0..3 can sleep
 * (SLEEP_MASK): a smaller sleep set prunes less, never wrongly. */
static uint8_t child_sleep(const Frame *f, uint8_t z, int t)
{
	SimThreadSet cand = (z | f->done) & f->enabled & ~SIM_TSET(t) &
			    SLEEP_MASK;
	uint8_t out = 0;

	for (int u = 0; cand >> u; u++)
		if ((cand >> u & 1) && !sim_por_dependent(&f->fp[u], &f->fp[t]))
			out |= (uint8_t)(1u << u);
	return out;
}

/* ORDER[0..N) a uniform permutation of the threads (Fisher-Yates). */
static void shuffle(SimPrng *g, int8_t *order, int n)
{
	for (int i = 0; i < n; i++)
		order[i] = (int8_t)i;
	for (int i = n - 1; i > 0; i--) {
		int j = (int)sim_prng_below(g, (uint32_t)i + 1);
		int8_t x = order[i];
		order[i] = order[j];
		order[j] = x;
	}
}

/* The thread of TODO (not empty) that F explores next: the lowest, or
 * with order_seed the first in F's order.  Any order is sound: the
 * sleep sets take what F has done, whichever it was, and neither the
 * persistent sets nor the cycle proviso depend on the order. */
static int next_choice(const Dfs *d, const Frame *f, SimThreadSet todo)
{
	if (!d->s->o->order_seed)
		return __builtin_ctzll(todo);
	for (int i = 0;; i++)
		if (todo >> f->order[i] & 1)
			return f->order[i];
}

/* Push the world in st[sp + 1] (already stepped, reached by VIA) as a
 * frame to explore with ample set AMPLE (0: choose). */
static void dfs_push(Dfs *d, uint32_t id, int via, SimThreadSet ample)
{
	Frame *c = &d->st[d->sp + 1];

	c->id = id;
	frame_setup(d->s, c, d->sp >= 0 ? &d->st[d->sp] : NULL, via);
	if (d->s->o->order_seed)
		shuffle(&d->order, c->order, c->w->nthreads);
	if (ample)
		c->ample = ample & c->enabled;
	*data_of(d, id) |= ONSTACK;
	d->sp++;
	if ((uint32_t)d->sp + 1 > d->s->r->depth)
		d->s->r->depth = (uint32_t)d->sp + 1;
}

/* A state already seen, with sleep set Z on this path. */
static void dfs_revisit(Dfs *d, uint32_t id, uint8_t z, int via)
{
	Frame *f = &d->st[d->sp];
	uint8_t *data = data_of(d, id);
	uint8_t woken = (uint8_t)(*data & SLEEP_MASK & ~z);

	*data = (uint8_t)((*data & ~SLEEP_MASK) | (*data & z & SLEEP_MASK));
	if (*data & ONSTACK) {
		f->ample = f->enabled;          /* cycle proviso */
		for (int i = d->sp; woken && i >= 0; i--)
			if (d->st[i].id == id)
				d->st[i].ample |= woken;
		return;
	}
	if (woken)
		dfs_push(d, id, via, woken);
}

/* Explore thread T from the top frame. */
static void dfs_expand(Dfs *d, int t, uint8_t z)
{
	SimSearch *s = d->s;
	Frame *f = &d->st[d->sp], *c = &d->st[d->sp + 1];
	SimPropSet found;
	bool is_new;

	bool progress;
	bool ok = sim_search_step(s, (SimSlot){ f->w, NULL },
				  (SimSlot){ c->w, NULL }, t, s->lockdep,
				  &found, &progress);
	if (sim_lockdep_unsited(s->lockdep)) {
		int tids[SIM_STEPS_MAX];
		sim_search_site(s, tids, dfs_path(d, d->sp, tids));
	}
	if (!ok)
		return;
	if (found & ~s->r->found)
		dfs_record(d, d->sp, t, found);
	uint8_t zc = s->reduce ? child_sleep(f, z, t) : 0;
	uint32_t id = sim_visited_add(d->vis, sim_world_state(c->w), &is_new);
	if (s->g) {
		SimEdge e = { .src = f->id, .dst = id, .tid = (uint8_t)(t |
			   (progress ? SIM_EDGE_PROGRESS : 0)) };
		g_array_append_val(s->g->edges, e);
		if (is_new)
			sim_graph_add_state(s->g, c->w);
	}
	if (!is_new) {
		dfs_revisit(d, id, zc, t);
		return;
	}
	s->r->states++;
	*data_of(d, id) = zc;
	SimPropSet stuck = sim_search_terminal(s->p, c->w);
	if (stuck & ~s->r->found)
		dfs_record(d, d->sp, t, stuck);
	if (sim_step_runnable(c->w))
		dfs_push(d, id, t, 0);
}

static void dfs_loop(Dfs *d)
{
	SimSearch *s = d->s;
	uint64_t checked = UINT64_MAX;  /* transitions at the last check */

	while (d->sp >= 0) {
		Frame *f = &d->st[d->sp];
		/* States, bytes and the clock's turn move only with a
		 * transition: a frame popped or cut at the depth bound
		 * changes none of them, so it is not checked again. */
		if (s->r->transitions != checked) {
			checked = s->r->transitions;
			uint64_t graph = sim_graph_bytes(s->g);
			sim_search_note_peak(s, sim_visited_bytes(d->vis) +
					     s->extra_bytes + graph);
			/* the bound holds through the next growth, not
			 * after it */
			if (sim_search_out_of_bounds(s, s->r->states,
					  sim_visited_bytes_next(d->vis) +
					  s->extra_bytes + graph))
				return;
		}
		uint8_t z = *data_of(d, f->id) & SLEEP_MASK;
		SimThreadSet todo = f->ample & ~f->done & ~(SimThreadSet)z;
		if (!todo) {
			*data_of(d, f->id) &= (uint8_t)~ONSTACK;
			d->sp--;
			continue;
		}
		int t = next_choice(d, f, todo);
		if ((uint32_t)d->sp + 1 >= s->depth_max) {
			sim_search_bound(s, "depth-max");
			f->done |= SIM_TSET(t);
			continue;
		}
		dfs_expand(d, t, z);
		f->done |= SIM_TSET(t);
		if (s->stop)
			return;
	}
}

void sim_dfs_run(SimSearch *s, const SimWorld *init)
{
	Dfs d = { .s = s, .sp = -1 };
	bool is_new;

	sim_prng_seed(&d.order, s->o->order_seed);
	d.vis = sim_visited_new(s->hsize, s->o->exact,
				s->o->states_max ? s->o->states_max : 0);
	uint32_t n = s->depth_max + 1;
	size_t nt = init->nthreads ? init->nthreads : 1;
	d.st = g_new0(Frame, n);
	SimFp *fps = g_new0(SimFp, n * nt);
	SimFuture *futs = g_new0(SimFuture, n * nt);
	size_t ncuts = s->por ? (size_t)sim_por_cuts(s->por) : 0;
	SimCuts **cutp = g_new0(SimCuts *, n * nt);
	SimCuts *owns = g_new0(SimCuts, n * nt);
	SimFuture *cutf = g_new0(SimFuture, n * nt * ncuts);
	SimSlot *slots = sim_slots_new(s, init, n, false);
	for (uint32_t i = 0; i < n; i++) {
		d.st[i].w = slots[i].w;
		d.st[i].fp = fps + i * nt;
		d.st[i].fut = futs + i * nt;
		d.st[i].cuts = cutp + i * nt;
		d.st[i].own = owns + i * nt;
		for (size_t t = 0; t < nt; t++)
			owns[i * nt + t].cut = cutf + (i * nt + t) * ncuts;
	}
	s->extra_bytes = (sizeof(Frame) + (sizeof(SimFp) + sizeof(SimFuture) +
			  sizeof(SimCuts *) + sizeof(SimCuts) +
			  sizeof(SimFuture) * ncuts) * nt) * n +
			 sim_slots_bytes(s, init, n, false);
	uint32_t id = sim_visited_add(d.vis, sim_world_state(init), &is_new);
	if (s->g)
		sim_graph_add_state(s->g, init);
	s->r->states = 1;
	sim_search_record(s, NULL, 0, sim_search_terminal(s->p, init));
	dfs_push(&d, id, -1, 0);
	dfs_loop(&d);
	s->r->collisions = sim_visited_collisions(d.vis);
	s->r->store_bytes = sim_visited_bytes(d.vis);
	sim_visited_free(d.vis);
	sim_slots_free(slots);
	g_free(fps);
	g_free(futs);
	g_free(cutp);
	g_free(owns);
	g_free(cutf);
	g_free(d.st);
}
