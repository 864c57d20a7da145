/*
 * des.c - timed runs (des.h): an event heap over sim_step().
 *
 * The core loop pops the earliest thread, takes its step and pushes its
 * next event; everything measured is read off the step's effect on that
 * thread (the locks it holds before and after, whether it blocked, whether
 * an op returned) and on the threads the step woke.  The world is only
 * read here, through the small accessors below, so the stepper stays the
 * one place where semantics live.
 */
#include <stdlib.h>
#include <string.h>
#include "des.h"
#include "hist.h"
#include "oracle.h"
#include "step.h"

#define TRACE_DEFAULT 64

/* ---- the event heap ------------------------------------------------------
 * One pending event per runnable thread, so (time, thread) is unique and
 * is the whole key: equal times go to the lower thread, on every run. */

typedef struct {
	uint64_t t;
	int tid;
} Event;

typedef struct {
	Event *e;
	int n;
} Heap;

static bool ev_before(const Event *a, const Event *b)
{
	return a->t < b->t || (a->t == b->t && a->tid < b->tid);
}

static void heap_push(Heap *h, uint64_t t, int tid)
{
	int i = h->n++;

	while (i > 0) {
		int up = (i - 1) / 2;
		if (!ev_before(&(Event){ t, tid }, &h->e[up]))
			break;
		h->e[i] = h->e[up];
		i = up;
	}
	h->e[i] = (Event){ t, tid };
}

static Event heap_pop(Heap *h)
{
	Event top = h->e[0], last = h->e[--h->n];
	int i = 0;

	for (;;) {
		int c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && ev_before(&h->e[c + 1], &h->e[c]))
			c++;
		if (!ev_before(&h->e[c], &last))
			break;
		h->e[i] = h->e[c];
		i = c;
	}
	h->e[i] = last;
	return top;
}

/* ---- per-thread and per-lock bookkeeping -------------------------------- */

typedef struct {
	const SimLoop *loop;    /* NULL: a race scenario's thread */
	bool background;
	int op;                 /* opstats index of the op under way, or -1 */
	uint64_t op_start;      /* when it arrived */
	uint64_t op_steps;      /* steps it has taken in it */
	bool waiting;           /* blocked since wait_start on wait_class */
	uint64_t wait_start;
	int wait_class;
	uint64_t woken_at;      /* set by the step that made it runnable */
	bool has_line;          /* its lock word's cache line has arrived */
	int remote;             /* the other threads of its process: the
				 * CPUs a TLB shootdown interrupts.  Counted
				 * once: a thread's process is the
				 * scenario's, set by sim_step_init() alike
				 * at every restart */
	uint8_t nheld;          /* the locks it held after its last step */
	uint16_t held[SIM_HELD_MAX];
	uint64_t held_since[SIM_HELD_MAX];
} ThreadState;

typedef struct {
	int last_cpu;           /* who touched the lock word last, or -1 */
	uint64_t line_free;     /* when its cache line can move again */
} LockWord;

typedef struct {
	uint64_t t;
	int tid;
	int op;                 /* procedure index of the op, or -1 */
	const SimInsn *in;
	int proc;               /* procedure the primitive is written in */
} Ring;

typedef struct {
	const SimProgram *p;
	const SimDesConfig *cfg;
	SimWorld *w;
	SimPrng g;
	SimPrng sample_g;       /* the queue samples' own stream, so that
				 * sampling does not change the run */
	uint64_t next_sample;   /* when the next queue sample is taken */
	Heap heap;
	ThreadState *ts;
	LockWord *word;         /* per lock instance */
	Ring *ring;             /* the last trace_steps steps */
	int nring;
	uint64_t steps;
	uint64_t last_op_step;  /* steps when a CPU-loop op last completed */
	SimHist *lat;           /* per opstat: its latencies */
	GHashTable *opidx;      /* 2 * op procedure + background + 1 ->
				 * opstat index + 1 */
	SimDesResult *res;
} Des;

/* The world, read through these only. */
static const SimThread *thread_of(const Des *d, int tid)
{
	return sim_thread(d->w, tid);
}

static int nfree_of(const Des *d)
{
	return sim_core(d->w)->nfree;
}

static int nthreads_of(const Des *d)
{
	return d->w->nthreads;
}

/* Whether V is among the N values at A. */
static bool held_has(const uint16_t *a, int n, uint16_t v)
{
	for (int i = 0; i < n; i++)
		if (a[i] == v)
			return true;
	return false;
}

static bool is_runnable(const Des *d, int tid)
{
	return thread_of(d, tid)->status == SIM_TH_RUNNABLE;
}

/* Whether a thread sleeps on a lock.  Every runnable thread has an
 * event, so with none left the sleepers wait for good, and the others
 * have finished. */
static bool any_asleep(const Des *d)
{
	for (int t = 0; t < nthreads_of(d); t++)
		if (thread_of(d, t)->status == SIM_TH_BLOCKED)
			return true;
	return false;
}

/* The outermost op TID is in: frame 0 is the loop body. */
static int op_proc(const Des *d, int tid)
{
	const SimThread *t = thread_of(d, tid);
	return t->depth >= 2 ? sim_th_frame(t)[1].proc : -1;
}

static int cur_proc(const Des *d, int tid)
{
	const SimThread *t = thread_of(d, tid);
	return sim_th_frame(t)[t->depth - 1].proc;
}

static int remote_cpus(const Des *d, int tid)
{
	int n = 0;
	for (int t = 0; t < nthreads_of(d); t++)
		n += t != tid && thread_of(d, t)->proc == thread_of(d, tid)->proc;
	return n;
}

/* ---- measurements ------------------------------------------------------- */

static void wait_begin(Des *d, int tid, uint64_t now)
{
	ThreadState *s = &d->ts[tid];
	if (s->waiting)         /* woken, retried, blocked again: one wait */
		return;
	s->waiting = true;
	s->wait_start = now;
	s->wait_class = sim_lock_decl_of(d->p, thread_of(d, tid)->wait_lock);
}

/* Queue samples at Poisson instants before T (cfg->sample_ns): each
 * counts the waiters per lock class as the world shows them, without
 * the wait accounting above (wait_begin/wait_end), which Little's law is
 * then checked against. */
static void sample_to(Des *d, uint64_t t)
{
	SimDist gap = { SIM_DIST_EXP, d->cfg->sample_ns, 0 };

	for (; gap.a && d->next_sample < t;
	     d->next_sample += sim_dist_draw(&gap, &d->sample_g)) {
		d->res->samples++;
		for (int tid = 0; tid < nthreads_of(d); tid++) {
			const SimThread *th = thread_of(d, tid);
			int inst = th->status == SIM_TH_BLOCKED ? th->wait_lock :
				th->granted ?
				sim_step_lock_target(d->w, d->p, tid) : -1;
			if (inst >= 0)
				d->res->locks[sim_lock_decl_of(d->p, inst)]
					.sampled++;
		}
	}
}

static void wait_end(Des *d, int tid, uint64_t now)
{
	ThreadState *s = &d->ts[tid];
	SimDesLockStat *ls = &d->res->locks[s->wait_class];
	uint64_t w = now - s->wait_start;

	s->waiting = false;
	ls->wait_ns += w;
	ls->wait_max_ns = MAX(ls->wait_max_ns, w);
}

/* Compare TID's held locks with what it held before its step at NOW. */
static void held_diff(Des *d, int tid, uint64_t now)
{
	ThreadState *s = &d->ts[tid];
	const SimThread *t = thread_of(d, tid);
	uint8_t nheld = 0;
	uint16_t held[SIM_HELD_MAX];
	uint64_t since[SIM_HELD_MAX];

	if (t->nheld == s->nheld &&
	    memcmp(t->held, s->held, s->nheld * sizeof(s->held[0])) == 0)
		return;         /* most steps take and drop nothing */
	for (int i = 0; i < s->nheld; i++) {
		if (held_has(t->held, t->nheld, s->held[i])) {
			held[nheld] = s->held[i];
			since[nheld++] = s->held_since[i];
			continue;
		}
		int c = sim_lock_decl_of(d->p, s->held[i]);
		d->res->locks[c].hold_ns += now - s->held_since[i];
	}
	for (int i = 0; i < t->nheld; i++) {
		if (held_has(s->held, s->nheld, t->held[i]))
			continue;
		int c = sim_lock_decl_of(d->p, t->held[i]);
		d->res->locks[c].acquisitions++;
		if (s->waiting && s->wait_class == c) {
			d->res->locks[c].contended++;
			wait_end(d, tid, now);
		}
		held[nheld] = t->held[i];
		since[nheld++] = now;
	}
	s->nheld = nheld;
	memcpy(s->held, held, nheld * sizeof(held[0]));
	memcpy(s->held_since, since, nheld * sizeof(since[0]));
}

/* The stats of op PROC as the CPU loops (or the background loops) call
 * it: the two are counted apart. */
static int opstat_of(Des *d, int proc, bool background)
{
	gpointer key = GINT_TO_POINTER(2 * proc + background + 1);
	gpointer v = g_hash_table_lookup(d->opidx, key);
	if (v)
		return GPOINTER_TO_INT(v) - 1;
	SimDesResult *r = d->res;
	int i = r->nopstats++;
	r->opstats = g_renew(SimDesOpStat, r->opstats, r->nopstats);
	d->lat = g_renew(SimHist, d->lat, r->nopstats);
	r->opstats[i] = (SimDesOpStat){ .name = d->p->procs[proc]->name,
					 .background = background };
	sim_hist_init(&d->lat[i]);
	g_hash_table_insert(d->opidx, key, GINT_TO_POINTER(i + 1));
	return i;
}

static void op_begin(Des *d, int tid, uint64_t now)
{
	ThreadState *s = &d->ts[tid];
	int proc = op_proc(d, tid);
	s->op = proc < 0 ? -1 : opstat_of(d, proc, s->background);
	s->op_start = now;
	s->op_steps = 0;
}

static void op_end(Des *d, int tid, uint64_t now)
{
	ThreadState *s = &d->ts[tid];
	if (s->op < 0)
		return;
	d->res->opstats[s->op].count++;
	sim_hist_add(&d->lat[s->op], now - s->op_start);
	if (s->background)
		return;
	/* only the CPU loops' ops are progress: the run ends on their
	 * count, and a background loop that runs back to back (its ops
	 * arrive faster than it serves them) can starve them for good */
	d->res->ops++;
	d->last_op_step = d->steps;
}

static void op_summary(Des *d)
{
	for (int i = 0; i < d->res->nopstats; i++) {
		SimDesOpStat *o = &d->res->opstats[i];
		SimHist *h = &d->lat[i];
		if (h->count) {
			o->mean_ns = h->sum / (double)h->count;
			o->p50_ns = sim_hist_pct(h, 0.50);
			o->p99_ns = sim_hist_pct(h, 0.99);
			o->p999_ns = sim_hist_pct(h, 0.999);
			o->max_ns = h->max;
		}
		sim_hist_clear(h);
	}
}

static void ring_record(Des *d, uint64_t now, int tid, const SimInsn *in)
{
	Ring *r = &d->ring[d->steps % (uint64_t)d->nring];
	r->t = now;
	r->tid = tid;
	r->op = op_proc(d, tid);
	r->in = in;
	r->proc = cur_proc(d, tid);
}

/* The line of the step's messages MSG that reports PROP (the oracles
 * write "PROP: ..."), or all of MSG. */
static char *prop_line(const char *msg, SimProp prop)
{
	char *head = g_strdup_printf("%s: ", sim_prop_name(prop));
	const char *at = strstr(msg, head);
	char *line = at ? g_strndup(at, strcspn(at, "\n")) : g_strdup(msg);

	g_free(head);
	return line;
}

static void violation(Des *d, SimProp prop, uint64_t now, const char *msg)
{
	SimDesResult *r = d->res;
	for (int i = 0; i < r->nviolations; i++) {
		if (r->violations[i].prop == prop) {
			r->violations[i].count++;
			return;
		}
	}
	r->violations = g_renew(SimDesViolation, r->violations,
				r->nviolations + 1);
	SimDesViolation *v = &r->violations[r->nviolations++];
	uint64_t kept = MIN(d->steps, (uint64_t)d->nring);
	*v = (SimDesViolation){ .prop = prop, .count = 1, .first_ns = now,
				.msg = prop_line(msg, prop), .ntrace = (int)kept };
	v->trace = g_new(SimDesTraceStep, kept);
	for (uint64_t k = 0; k < kept; k++) {
		const Ring *s = &d->ring[(d->steps - kept + k) % (uint64_t)d->nring];
		const SimProc *in_proc = d->p->procs[s->proc];
		v->trace[k] = (SimDesTraceStep){
			.t_ns = s->t, .tid = s->tid,
			.op = s->op >= 0 ? d->p->procs[s->op]->name : NULL,
			.prim = sim_prims[s->in->sub].name,
			.file = in_proc->file, .line = s->in->line };
	}
}

/* Record every property the step or check that just ran at NOW found
 * (ctx->found; the messages in ctx->msg, emptied).  Whether there was
 * one. */
static bool report_found(Des *d, SimStepCtx *ctx, uint64_t now)
{
	for (int p = 0; p < SIM_PROP_COUNT; p++)
		if (ctx->found >> p & 1)
			violation(d, (SimProp)p, now, ctx->msg->str);
	g_string_truncate(ctx->msg, 0);
	return ctx->found != 0;
}

/* ---- the core loop ------------------------------------------------------ */

/* A lock primitive waits for its lock word's cache line if another CPU
 * touched it last; the line moves one CPU at a time.  Returns when the
 * step can run (NOW if no transfer). */
static uint64_t line_arrival(Des *d, int tid, const SimInsn *in,
			     uint64_t now)
{
	if (d->ts[tid].has_line || in->lock < 0)
		return now;
	int inst = sim_step_lock_target(d->w, d->p, tid);
	if (inst < 0)
		return now;     /* the step reports the model error */
	LockWord *lw = &d->word[inst];
	int last = lw->last_cpu;
	lw->last_cpu = tid;
	if (last < 0 || last == tid)
		return now;
	uint64_t start = MAX(now, lw->line_free);
	lw->line_free = start + sim_costs_event(d->cfg->costs,
						SIM_CE_CONTENDED, &d->g);
	d->ts[tid].has_line = true;
	return lw->line_free;
}

/* The cost under C of TID's step that just ran, from what it did. */
static uint64_t step_cost(Des *d, const SimCosts *c, int tid, SimPrimId prim,
			  int nfree_before)
{
	uint64_t ns = sim_costs_prim(c, prim, &d->g);

	if (nfree_of(d) < nfree_before)
		ns += sim_costs_event(c, SIM_CE_ALLOC, &d->g);
	if (prim == SIM_P_ZAP_PTES || prim == SIM_P_WRPROTECT)
		for (int k = d->ts[tid].remote; k > 0; k--)
			ns += sim_costs_event(c, SIM_CE_SHOOTDOWN, &d->g);
	return ns;
}

/* Give every thread in WOKEN (the step at NOW made them runnable) its
 * next event. */
static void wake_woken(Des *d, uint64_t now, SimThreadSet woken)
{
	for (int t = 0; woken; t++, woken >>= 1) {
		if (!(woken & 1))
			continue;
		ThreadState *s = &d->ts[t];
		uint64_t asleep = s->wait_start +
			sim_costs_event(d->cfg->costs, SIM_CE_SLEEP, &d->g);
		heap_push(&d->heap, MAX(now, asleep) +
			  sim_costs_event(d->cfg->costs, SIM_CE_WAKE, &d->g), t);
	}
}

/* TID's op ended with the step that ends at END: its next op arrives a
 * think time after (closed loop) or an inter-arrival time after the
 * previous arrival (open loop).  Returns when TID's next step runs. */
static uint64_t next_op(Des *d, int tid, uint64_t end)
{
	const SimLoop *l = d->ts[tid].loop;
	uint64_t arrive = !l ? end :    /* a thread body: ops back to back */
		(l->every ? d->ts[tid].op_start : end) +
		sim_dist_draw(&l->think, &d->g);

	op_end(d, tid, end);
	op_begin(d, tid, arrive);
	return MAX(end, arrive);
}

/* Every loop starts its first op a think time after NOW (not all at
 * once); a race scenario's thread at a uniform offset in [0, spread]. */
static void start_loops(Des *d, uint64_t now)
{
	for (int t = 0; t < nthreads_of(d); t++) {
		const SimLoop *l = d->ts[t].loop;
		uint64_t first = now + (l ? sim_dist_draw(&l->think, &d->g) :
			sim_prng_next(&d->g) % (d->res->spread_ns + 1));
		op_begin(d, t, first);
		if (is_runnable(d, t))
			heap_push(&d->heap, first, t);
	}
}

/* Close every wait and hold at NOW, so the sums cover [0, NOW]. */
static void close_all(Des *d, uint64_t now)
{
	for (int t = 0; t < nthreads_of(d); t++) {
		ThreadState *s = &d->ts[t];
		if (s->waiting)
			wait_end(d, t, now);
		for (int i = 0; i < s->nheld; i++)
			d->res->locks[sim_lock_decl_of(d->p, s->held[i])].hold_ns +=
				now - s->held_since[i];
		s->nheld = 0;
	}
}

/* End the episode at NOW: a violation ends it (what the world does after
 * it is the corrupt machine's, not the scheme's), and so does a race
 * scenario's run out of events (episode_end).  The world starts again
 * from the scenario's initial state at NOW, every loop or thread from its
 * top (the ops under way are dropped), so each count is one independent
 * occurrence and a count per million ops is a rate.  False on a model
 * error. */
static bool restart(Des *d, SimStepCtx *ctx, uint64_t now)
{
	d->res->episodes++;
	close_all(d, now);
	d->heap.n = 0;
	for (int i = 0; i < d->p->nlocks; i++)
		d->word[i] = (LockWord){ .last_cpu = -1 };
	if (!sim_step_init(d->w, d->p, ctx)) {
		d->res->model_error = g_strdup(ctx->msg->str);
		return false;
	}
	start_loops(d, now);
	return true;
}

/* One step of TID (parked at IN) at NOW, measured.  False on a model
 * error. */
static bool take_step(Des *d, SimStepCtx *ctx, int tid, const SimInsn *in,
		      uint64_t now)
{
	int nfree = nfree_of(d);

	ring_record(d, now, tid, in);
	d->steps++;
	d->ts[tid].op_steps++;
	ctx->found = 0;         /* the step adds to it */
	sim_step(d->w, tid, ctx);
	if (ctx->model_error) {
		d->res->model_error = g_strdup(ctx->msg->str);
		return false;
	}
	if (report_found(d, ctx, now))
		return restart(d, ctx, now);
	held_diff(d, tid, now);
	if (ctx->blocked) {
		wait_begin(d, tid, now);
	} else {
		if (d->ts[tid].waiting)     /* woken, not granted */
			wait_end(d, tid, now);
		uint64_t next = now + step_cost(d, d->cfg->costs, tid, in->sub,
						nfree);
		if (ctx->op_done)
			next = next_op(d, tid, next);
		if (is_runnable(d, tid))
			heap_push(&d->heap, next, tid);
	}
	if (ctx->woken)
		wake_woken(d, now, ctx->woken);
	return true;
}

/* The name perf gives thread TID. */
static void thread_name(const Des *d, int tid, GString *out)
{
	if (tid < d->res->cpus)
		g_string_append_printf(out, "CPU%d", tid);
	else
		g_string_append_printf(out, "BG%d", tid - d->res->cpus);
}

/* Whether the run has stalled after TID's step: no CPU-loop op completed in
 * SIM_DES_STALL_STEPS steps (every thread spins or sleeps), or TID has
 * taken that many steps in one op while other ops complete (it spins
 * alone).  If so, res->stall says which and names every thread that
 * loops (runnable inside an op: all of them in the first case, those
 * past half the bound in the second; one that has taken less than its
 * share of the steps is "running" its op, not looping) with its op and
 * the primitive it is at, and every thread asleep with its lock class.  What it cannot
 * tell: whether a loop would end under another timing, or an op that
 * does complete takes part in a livelock (explore's livelock does). */
static bool stalled(Des *d, int tid)
{
	bool none = d->steps - d->last_op_step > SIM_DES_STALL_STEPS;

	if (!none && d->ts[tid].op_steps <= SIM_DES_STALL_STEPS)
		return false;
	GString *m = g_string_new(NULL);
	if (none) {
		g_string_append_printf(m, "no CPU op completed in %u steps",
				       SIM_DES_STALL_STEPS);
	} else {
		thread_name(d, tid, m);
		g_string_append_printf(m, " took %u steps in one op while "
				       "other ops completed", SIM_DES_STALL_STEPS);
	}
	const char *sep = " (";
	for (int t = 0; t < nthreads_of(d); t++) {
		const SimThread *th = thread_of(d, t);
		int op = op_proc(d, t);
		if (th->status == SIM_TH_BLOCKED) {
			g_string_append(m, sep);
			thread_name(d, t, m);
			g_string_append_printf(m, " sleeps on %s",
				d->res->locks[sim_lock_decl_of(d->p,
							       th->wait_lock)].name);
		} else if (th->status == SIM_TH_RUNNABLE && op >= 0 &&
			   (none || d->ts[t].op_steps > SIM_DES_STALL_STEPS / 2)) {
			/* its share of the window's steps, or more: it loops;
			 * less: it completes ops that are not progress (a
			 * background loop) */
			bool loops = d->ts[t].op_steps >
				SIM_DES_STALL_STEPS / 2 / (uint64_t)nthreads_of(d);
			const SimInsn *in = sim_step_next_insn(d->w, d->p, t);
			g_string_append(m, sep);
			thread_name(d, t, m);
			g_string_append_printf(m, " %s op %s at %s:%d "
				"(%s, %" G_GUINT64_FORMAT " steps into the op)",
				loops ? "looping in" : "running",
				d->p->procs[op]->name,
				d->p->procs[cur_proc(d, t)]->file, in->line,
				sim_prims[in->sub].name, d->ts[t].op_steps);
		} else {
			continue;
		}
		sep = "; ";
	}
	if (*sep == ';')
		g_string_append_c(m, ')');
	d->res->stalled = true;
	d->res->stall = g_string_free(m, FALSE);
	return true;
}


/* A race scenario's episode ended at NOW with no event left: every
 * thread finished (the checks at quiescence ran in its last step), or
 * the rest wait for good (deadlock, lost wake-up: a violation).  The
 * next episode starts; false on a model error. */
static bool episode_end(Des *d, SimStepCtx *ctx, uint64_t now)
{
	if (any_asleep(d)) {
		ctx->found = 0;
		sim_oracle_stuck(d->w, ctx);
		report_found(d, ctx, now);
	}
	return restart(d, ctx, now);
}

/* Run until the workload's end (END_OPS CPU-loop ops or END_NS; a race
 * scenario's: END_EPISODES episodes), a model error (false), a deadlock
 * (workloads) or a stall. */
static bool run_loop(Des *d, SimStepCtx *ctx, uint64_t end_ops,
		     uint64_t end_ns, uint64_t end_episodes)
{
	uint64_t now = 0;
	bool ok = true;

	start_loops(d, 0);
	while (ok && (!end_ops || d->res->ops < end_ops) &&
	       (!end_episodes || d->res->episodes < end_episodes)) {
		if (d->heap.n == 0) {
			if (!end_episodes)
				break;
			ok = episode_end(d, ctx, now);
			continue;
		}
		if (d->cfg->interrupted && *d->cfg->interrupted) {
			d->res->interrupted = true;
			break;
		}
		Event e = heap_pop(&d->heap);
		if (end_ns && e.t > end_ns) {
			now = end_ns;
			break;
		}
		now = e.t;
		if (d->cfg->sample_ns)
			sample_to(d, now);
		const SimInsn *in = sim_step_next_insn(d->w, d->p, e.tid);
		uint64_t at = line_arrival(d, e.tid, in, now);
		if (at > now) {
			heap_push(&d->heap, at, e.tid);
			continue;
		}
		d->ts[e.tid].has_line = false;
		ok = take_step(d, ctx, e.tid, in, now);
		if (ok && stalled(d, e.tid))
			break;
	}
	if (ok && !end_episodes && d->heap.n == 0 && any_asleep(d)) {
		/* nobody can run and somebody waits: for good */
		d->res->deadlock = true;
		violation(d, SIM_PROP_DEADLOCK, now, "no thread can run");
	}
	sample_to(d, now);
	close_all(d, now);
	d->res->sim_ns = now;
	return ok;
}

/* ---- the run ------------------------------------------------------------ */

/* A race scenario's spread, into res->spread_ns: the time of its longest
 * thread run alone from the initial state (until it finishes or waits
 * for another) under cfg->offset_costs, so that the threads' windows
 * overlap as ops that collide in a test suite do, whatever --widen does
 * to the window.  False on a model error. */
static bool solo_spread(Des *d, SimStepCtx *ctx)
{
	const SimCosts *c = d->cfg->offset_costs ? d->cfg->offset_costs :
			    d->cfg->costs;

	for (int t = 0; t < nthreads_of(d); t++) {
		uint64_t ns = 0;
		if (!sim_step_init(d->w, d->p, ctx))
			return false;
		for (int k = 0; k < SIM_DES_SOLO_STEPS && is_runnable(d, t); k++) {
			const SimInsn *in = sim_step_next_insn(d->w, d->p, t);
			int nfree = nfree_of(d);
			sim_step(d->w, t, ctx);
			if (ctx->model_error)
				return false;
			ns += step_cost(d, c, t, in->sub, nfree);
		}
		g_string_truncate(ctx->msg, 0);
		d->res->spread_ns = MAX(d->res->spread_ns, ns);
	}
	return sim_step_init(d->w, d->p, ctx);
}

/* SCN's threads for a timed run: CPUS copies of the CPU loop, then the
 * background loops.  The copy borrows everything else from SCN. */
static bool workload_threads(const SimScenario *scn, int cpus, SimScenario *out,
			     GError **error)
{
	const SimWorkload *wl = scn->workload;
	int n = cpus + wl->nbackground;

	*out = *scn;
	if (cpus < 1 || n > SIM_THREADS_MAX) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "%s:%d:%d: %d CPUs and %d background loops: the "
			    "world has %d threads at most", scn->file,
			    wl->line, wl->col, cpus, wl->nbackground,
			    SIM_THREADS_MAX);
		return false;
	}
	out->nthreads = n;
	for (int t = 0; t < n; t++) {
		bool cpu = t < cpus;
		const SimLoop *l = cpu ? &wl->cpu : &wl->background[t - cpus];
		out->threads[t] = (SimThreadDecl){
			.name = cpu ? g_strdup_printf("CPU%d", t) :
				g_strdup_printf("BG%d", t - cpus),
			.proc = l->proc, .body = l->body,
			.arg = cpu ? t : t - cpus, .line = l->line, .col = l->col };
	}
	return true;
}

static void lock_stats_init(SimDesResult *r, const SimModel *m)
{
	r->nlocks = m->nlocks;
	r->locks = g_new0(SimDesLockStat, m->nlocks);
	for (int c = 0; c < m->nlocks; c++)
		r->locks[c].name = m->locks[c].name;
}

SimDesStatus sim_des_run(const SimModel *model, const SimScenario *scn,
			 const SimDesConfig *cfg, SimDesResult *res,
			 char **missing, GError **error)
{
	const SimWorkload *wl = scn->workload;
	SimScenario s;

	memset(res, 0, sizeof(*res));
	*missing = NULL;
	if (!wl && !scn->nthreads) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "%s: the scenario has neither threads nor a "
			    "workload block", scn->file);
		return SIM_DES_ERROR;
	}
	int cpus = !wl ? scn->nthreads : cfg->cpus ? cfg->cpus : wl->cpus;
	if (!wl)
		s = *scn;       /* its threads as they are, borrowed */
	else if (!workload_threads(scn, cpus, &s, error))
		return SIM_DES_ERROR;
	SimDesStatus st = SIM_DES_OK;
	SimProgram *p = sim_program_link(model, &s, missing, error);
	if (!p) {
		st = *missing ? SIM_DES_NA : SIM_DES_ERROR;
		goto out;
	}
	Des d = { .p = p, .cfg = cfg, .res = res };
	res->cpus = cpus;
	res->nthreads = s.nthreads;
	res->seed = cfg->seed_set ? cfg->seed : wl ? wl->seed : 1;
	lock_stats_init(res, model);
	sim_prng_seed(&d.g, res->seed);
	sim_prng_seed(&d.sample_g, ~res->seed);
	d.w = sim_step_world_new(p);
	d.ts = g_new0(ThreadState, s.nthreads);
	d.heap.e = g_new(Event, s.nthreads);
	d.word = g_new(LockWord, p->nlocks);
	for (int i = 0; i < p->nlocks; i++)
		d.word[i] = (LockWord){ .last_cpu = -1 };
	d.nring = cfg->trace_steps > 0 ? cfg->trace_steps : TRACE_DEFAULT;
	d.ring = g_new(Ring, d.nring);
	d.opidx = g_hash_table_new(NULL, NULL);
	for (int t = 0; t < s.nthreads; t++) {
		d.ts[t].background = t >= cpus;
		d.ts[t].loop = !wl ? NULL : t < cpus ? &wl->cpu :
			       &wl->background[t - cpus];
	}
	SimStepCtx ctx = { .prog = p, .msg = g_string_new(NULL) };
	bool ok = sim_step_init(d.w, p, &ctx);
	for (int t = 0; ok && t < s.nthreads; t++)
		d.ts[t].remote = remote_cpus(&d, t);
	if (ok && !wl)
		ok = solo_spread(&d, &ctx);
	if (!ok) {
		res->model_error = g_strdup(ctx.msg->str);
	} else {
		run_loop(&d, &ctx, cfg->ops ? cfg->ops : wl ? wl->ops : 0,
			 cfg->duration_ns ? cfg->duration_ns :
			 wl ? wl->duration_ns : 0,
			 wl ? 0 : cfg->episodes ? cfg->episodes :
			 SIM_DES_EPISODES_DEFAULT);
		res->events = d.steps;
		res->throughput = res->sim_ns ?
			(double)res->ops * 1e9 / (double)res->sim_ns : 0;
	}
	op_summary(&d);
	g_string_free(ctx.msg, TRUE);
	g_hash_table_destroy(d.opidx);
	g_free(d.lat);
	g_free(d.ring);
	g_free(d.word);
	g_free(d.heap.e);
	g_free(d.ts);
	g_free(d.w);
	sim_program_free(p);
out:
	for (int t = 0; wl && t < s.nthreads; t++)
		g_free(s.threads[t].name);
	return st;
}

void sim_des_result_clear(SimDesResult *res)
{
	for (int i = 0; i < res->nviolations; i++) {
		g_free(res->violations[i].msg);
		g_free(res->violations[i].trace);
	}
	g_free(res->violations);
	g_free(res->opstats);
	g_free(res->locks);
	g_free(res->model_error);
	g_free(res->stall);
	memset(res, 0, sizeof(*res));
}
