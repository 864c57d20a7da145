/*
 * traces.c - Mazurkiewicz trace counts.  See traces.h.
 */
#include <string.h>
#include <glib.h>
#include "por.h"
#include "step.h"
#include "traces.h"

#define DEPTH_MAX 256

typedef struct {
	int8_t tid;
	SimFp fp;
} Event;

typedef struct {
	const SimProgram *p;
	SimPor *por;
	SimWorld *w[DEPTH_MAX + 1];
	Event ev[DEPTH_MAX];
	GHashTable *forms;      /* GBytes of Foata normal forms */
	uint64_t max_runs;
	TraceCount *out;
} Enum;

/* What identifies an event in a normal form: its level, thread and
 * label (the footprint's fields, not its padding). */
typedef struct {
	int32_t level, tid;
	uint64_t rd, wr, brd;
	int32_t lock, shared;
} Key;

static int key_cmp(const void *a, const void *b)
{
	const Key *x = a, *y = b;

	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static void add_form(Enum *e, int n)
{
	Key *k = g_new0(Key, n ? n : 1);

	for (int j = 0; j < n; j++) {
		int level = 0;
		for (int i = 0; i < j; i++)
			if ((e->ev[i].tid == e->ev[j].tid ||
			     sim_por_dependent(&e->ev[i].fp, &e->ev[j].fp)) &&
			    k[i].level + 1 > level)
				level = k[i].level + 1;
		k[j] = (Key){ .level = level, .tid = e->ev[j].tid,
			      .rd = e->ev[j].fp.rd, .wr = e->ev[j].fp.wr,
			      .brd = e->ev[j].fp.brd, .lock = e->ev[j].fp.lock,
			      .shared = e->ev[j].fp.shared };
	}
	qsort(k, (size_t)n, sizeof(Key), key_cmp);
	g_hash_table_add(e->forms, g_bytes_new_take(k, sizeof(Key) * (size_t)n));
}

static void walk(Enum *e, int d)
{
	SimThreadSet r = sim_step_runnable(e->w[d]);

	if (!e->out->complete)
		return;
	if (!r) {
		e->out->runs++;
		add_form(e, d);
		if (e->out->runs >= e->max_runs)
			e->out->complete = false;
		return;
	}
	if (d == DEPTH_MAX) {
		e->out->complete = false;
		return;
	}
	for (int t = 0; t < e->w[d]->nthreads; t++) {
		if (!(r >> t & 1))
			continue;
		SimStepCtx ctx = { .prog = e->p };
		e->ev[d] = (Event){ .tid = (int8_t)t,
				    .fp = sim_por_next_fp(e->por, e->w[d], t) };
		sim_world_copy(e->w[d + 1], e->w[d]);
		sim_step(e->w[d + 1], t, &ctx);
		if (ctx.model_error) {
			e->out->runs++;
			add_form(e, d + 1);
			continue;
		}
		walk(e, d + 1);
	}
}

void trace_count(const SimProgram *p, uint64_t max_runs, TraceCount *out)
{
	Enum e = { .p = p, .max_runs = max_runs, .out = out };
	SimStepCtx ctx = { .prog = p };

	memset(out, 0, sizeof(*out));
	out->complete = true;
	e.por = sim_por_new(p, false);
	e.forms = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
					(GDestroyNotify)g_bytes_unref, NULL);
	for (int i = 0; i <= DEPTH_MAX; i++)
		e.w[i] = sim_step_world_new(p);
	if (sim_step_init(e.w[0], p, &ctx))
		walk(&e, 0);
	out->traces = g_hash_table_size(e.forms);
	for (int i = 0; i <= DEPTH_MAX; i++)
		g_free(e.w[i]);
	g_hash_table_destroy(e.forms);
	sim_por_free(e.por);
}
