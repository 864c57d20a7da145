/*
 * searchctx.c - the search's life, bounds, clock, steps and paths, shared
 * by the drivers.  See searchctx.h.  The only clock of the search is here.
 */
#include <string.h>
#include "lockdep.h"
#include "oracle.h"
#include "searchctx.h"

bool sim_search_init(SimSearch *s, const SimProgram *p,
		     const SimExploreOptions *o, SimExploreResult *r,
		     SimWorld *init)
{
	GString *msg = g_string_new(NULL);
	SimStepCtx ctx = { .prog = p, .msg = msg };

	memset(s, 0, sizeof(*s));
	s->p = p;
	s->o = o;
	s->r = r;
	s->t0 = g_get_monotonic_time();
	s->depth_max = o->depth_max && o->depth_max < SIM_STEPS_MAX ?
		       o->depth_max : SIM_STEPS_MAX;
	if (!sim_step_init(init, p, &ctx)) {
		r->model_error = true;
		r->model_error_msg = g_string_free(msg, FALSE);
		return false;
	}
	g_string_free(msg, TRUE);
	s->hsize = sim_world_hash_size(init);
	s->reduce = o->por && sim_por_fits(init);
	r->por = s->reduce;
	if (o->por && !s->reduce)
		r->unreduced_why = "the world is larger than the footprints";
	s->por = s->reduce ? sim_por_new(p, true) : NULL;
	s->lockdep = sim_lockdep_new(p);
	s->notes0 = sim_notes_new(init);
	s->init = init;
	return true;
}

void sim_search_finish(SimSearch *s)
{
	SimExploreResult *r = s->r;

	if (s->lockdep)
		sim_lockdep_collect(s->lockdep, &r->found, r->order);
	for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
		GArray *a = r->cex[prop];
		r->cex_preemptions[prop] = a ? sim_explore_preemptions(s->p,
			(const int *)(void *)a->data, (int)a->len) : 0;
	}
	uint64_t n = r->states;
	r->collision_bound = s->o->exact || s->o->kind != SIM_SEARCH_EXHAUSTIVE ?
			     0 : (double)n * (double)n / 36893488147419103232.0;
	r->seconds = sim_search_seconds(s);
	sim_lockdep_free(s->lockdep);
	g_free(s->notes0);
	sim_por_free(s->por);
}

double sim_search_seconds(const SimSearch *s)
{
	return (double)(g_get_monotonic_time() - s->t0) / 1e6;
}

void sim_search_bound(SimSearch *s, const char *what)
{
	s->r->complete = false;
	if (!s->r->bound)
		s->r->bound = g_strdup(what);
}

bool sim_search_out_of_bounds(SimSearch *s, uint64_t states, uint64_t bytes)
{
	const SimExploreOptions *o = s->o;

	if (s->stop)
		return true;
	if (o->interrupted && *o->interrupted)
		sim_search_bound(s, "interrupted");
	else if (o->states_max && states >= o->states_max)
		sim_search_bound(s, "states-max");
	else if (o->memory_max &&
		 bytes + SIM_EXPLORE_PROCESS_BYTES >
		 o->memory_max)
		sim_search_bound(s, "memory-max");
	else if ((o->time_max > 0 || o->progress) &&
		 s->r->transitions >= s->next_check) {
		s->next_check = s->r->transitions + 256;
		double el = sim_search_seconds(s);
		if (o->time_max > 0 && el > o->time_max)
			sim_search_bound(s, "time-max");
		if (o->progress && el >= s->next_progress) {
			s->next_progress = el + 0.5;
			o->progress(states, s->r->transitions, s->r->depth,
				    bytes, el, o->progress_data);
		}
	}
	s->stop = s->r->bound && strcmp(s->r->bound, "depth-max") != 0;
	return s->stop;
}

void sim_search_note_peak(SimSearch *s, uint64_t bytes)
{
	if (bytes > s->r->peak_bytes)
		s->r->peak_bytes = bytes;
}

bool sim_search_step(SimSearch *s, SimSlot parent, SimSlot child, int tid,
		     SimLockdep *ld, SimPropSet *found, bool *progress)
{
	SimNotes *notes = parent.notes ? child.notes : NULL;
	SimStepCtx ctx = { .prog = s->p, .lockdep = ld, .notes = notes };

	sim_world_copy(child.w, parent.w);
	if (notes)
		sim_notes_copy(notes, parent.notes);
	sim_step(child.w, tid, &ctx);
	s->r->transitions++;
	*found = ctx.found;
	if (progress)
		*progress = ctx.op_done;
	if (!ctx.model_error)
		return true;
	GString *msg = g_string_new(NULL);
	SimStepCtx again = { .prog = s->p, .msg = msg, .notes = notes };
	sim_world_copy(child.w, parent.w);
	if (notes)
		sim_notes_copy(notes, parent.notes);
	sim_step(child.w, tid, &again);
	s->r->model_error = true;
	if (!s->r->model_error_msg)
		s->r->model_error_msg = g_string_free(msg, FALSE);
	else
		g_string_free(msg, TRUE);
	s->stop = true;
	return false;
}

/* A slot's world and notes start 8-aligned, as their headers need. */
static size_t aligned(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

SimSlot *sim_slots_new(const SimSearch *s, const SimWorld *init, uint32_t n,
			bool notes)
{
	size_t ws = aligned(init->size);
	size_t ns = notes ? aligned(s->notes0->size) : 0;
	SimSlot *v = g_new(SimSlot, n);
	uint8_t *wb = g_malloc(ws * n);
	uint8_t *nb = notes ? g_malloc(ns * n) : NULL;

	for (uint32_t i = 0; i < n; i++) {
		v[i].w = (SimWorld *)(void *)(wb + ws * i);
		memcpy(v[i].w, init, init->size);
		v[i].notes = NULL;
		if (nb) {
			v[i].notes = (SimNotes *)(void *)(nb + ns * i);
			sim_notes_copy(v[i].notes, s->notes0);
		}
	}
	return v;
}

uint64_t sim_slots_bytes(const SimSearch *s, const SimWorld *init,
			 uint32_t n, bool notes)
{
	return (uint64_t)n * (sizeof(SimSlot) + aligned(init->size) +
			      (notes ? aligned(s->notes0->size) : 0));
}

void sim_slots_free(SimSlot *v)
{
	g_free(v[0].w);
	g_free(v[0].notes);
	g_free(v);
}

static bool all_done(const SimWorld *w)
{
	for (int t = 0; t < w->nthreads; t++)
		if (sim_thread(w, t)->status != SIM_TH_DONE)
			return false;
	return true;
}

/* Properties of a state where nothing can run. */
SimPropSet sim_search_terminal(const SimProgram *p, const SimWorld *w)
{
	SimStepCtx ctx = { .prog = p };

	if (sim_step_runnable(w) || all_done(w))
		return 0;
	sim_oracle_stuck(w, &ctx);
	return ctx.found;
}

/* A world with notes after path TIDS (N steps, all taken before: no
 * model error, no count). */
static SimSlot *replay(SimSearch *s, const int *tids, int n)
{
	SimSlot *w = sim_slots_new(s, s->init, 1, true);
	SimStepCtx ctx = { .prog = s->p, .notes = w->notes };

	for (int i = 0; i < n; i++)
		sim_step(w->w, tids[i], &ctx);
	return w;
}

void sim_search_site(SimSearch *s, const int *tids, int n)
{
	SimSlot *w = replay(s, tids, n);

	sim_lockdep_site(s->lockdep, w->notes);
	sim_slots_free(w);
}

void sim_search_replay_step(SimSearch *s, const int *tids, int n, int tid)
{
	SimSlot *w = replay(s, tids, n);
	SimStepCtx ctx = { .prog = s->p, .lockdep = s->lockdep,
			   .notes = w->notes };

	sim_step(w->w, tid, &ctx);
	sim_slots_free(w);
}

/* Keep TIDS (N steps) as the path to each property in FOUND that has
 * none yet. */
void sim_search_record(SimSearch *s, const int *tids, int n, SimPropSet found)
{
	for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
		if (!(found >> prop & 1) || s->r->cex[prop])
			continue;
		GArray *a = g_array_sized_new(FALSE, FALSE, sizeof(int),
					      (guint)n);
		g_array_append_vals(a, tids, (guint)n);
		s->r->cex[prop] = a;
	}
	s->r->found |= found;
}
