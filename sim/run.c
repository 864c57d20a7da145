/*
 * run.c - execute one interleaving with text on, recording a SimTrace.
 */
#include <string.h>
#include "run.h"
#include "oracle.h"

bool sim_run_start(SimRun *r, const SimProgram *p, SimTrace *trace)
{
	SimStepCtx ctx = { .prog = p };

	memset(r, 0, sizeof(*r));
	r->prog = p;
	r->trace = trace;
	r->w = sim_step_world_new(p);
	r->notes = sim_notes_new(r->w);
	ctx.notes = r->notes;
	r->lockdep = sim_lockdep_new(p);
	r->errors = g_string_new(NULL);
	ctx.msg = r->errors;
	if (!sim_step_init(r->w, p, &ctx)) {
		trace->end = SIM_END_MODEL_ERROR;
		return false;
	}
	return true;
}

void sim_run_finish(SimRun *r)
{
	sim_lockdep_free(r->lockdep);
	g_string_free(r->errors, TRUE);
	g_free(r->w);
	g_free(r->notes);
}

/* One violation can be seen twice in a step (at an op's return and at
 * the quiescence that follows): keep each line once. */
static void dedup_lines(GString *msg)
{
	char **lines = g_strsplit(msg->str, "\n", -1);

	g_string_truncate(msg, 0);
	for (int i = 0; lines[i]; i++) {
		bool seen = lines[i][0] == '\0';
		for (int j = 0; j < i && !seen; j++)
			seen = strcmp(lines[i], lines[j]) == 0;
		if (!seen)
			g_string_append_printf(msg, "%s\n", lines[i]);
	}
	g_strfreev(lines);
}

const char *sim_run_insn_file(const SimRun *r, int tid)
{
	const SimThread *t = sim_thread(r->w, tid);

	return t->depth ? r->prog->procs[sim_th_frame(t)[t->depth - 1].proc]->file :
	       NULL;
}

/* What every thread holds or waits for, one line each (SimTraceStep). */
static char *lock_lines(const SimRun *r)
{
	GString *s = g_string_new(NULL);
	char name[48];

	for (int tid = 0; tid < r->w->nthreads; tid++) {
		const SimThread *t = sim_thread(r->w, tid);
		for (int i = 0; i < t->nheld; i++) {
			SimLock l = sim_lock(r->w, t->held[i]);
			g_string_append_printf(s, "T%d holds %s %s\n", tid,
				sim_lock_name(r->prog, t->held[i], name,
					      sizeof(name)),
				sim_lock_mode_of(l, tid) == SIM_MODE_WRITE ?
				"write" : "read");
		}
		if (t->status == SIM_TH_BLOCKED) {
			int mode = sim_lock_waiter_mode(
				sim_lock(r->w, t->wait_lock), tid);
			g_string_append_printf(s, "T%d waits %s %s\n", tid,
				sim_lock_name(r->prog, t->wait_lock, name,
					      sizeof(name)),
				mode == SIM_MODE_READ ? "read" : "write");
		}
	}
	return g_string_free(s, FALSE);
}

bool sim_run_step(SimRun *r, int tid)
{
	GString *text = g_string_new(NULL);
	GString *msg = g_string_new(NULL);
	SimStepCtx ctx = {
		.prog = r->prog, .lockdep = r->lockdep, .notes = r->notes,
		.text = text, .msg = msg,
	};
	const SimInsn *in = sim_step_next_insn(r->w, r->prog, tid);
	SimTraceStep st = {
		.tid = tid, .step = (int)r->notes->step + 1,
		.line = in->line, .col = in->col, .prim = in->sub,
		.file = sim_run_insn_file(r, tid),
	};

	sim_step(r->w, tid, &ctx);
	if (ctx.model_error) {
		g_string_append(r->errors, msg->str);
		g_string_free(text, TRUE);
		g_string_free(msg, TRUE);
		r->trace->end = SIM_END_MODEL_ERROR;
		return false;
	}
	const char *what;
	if (!sim_world_check(r->w, &what)) {
		g_printerr("faultline: engine bug: %s after step %d of T%d\n",
			   what, st.step, tid);
		SIM_ASSERT(!"world invariant");
	}
	dedup_lines(msg);
	st.text = g_string_free(text, FALSE);
	st.locks = lock_lines(r);
	st.msg = msg->len ? g_string_free(msg, FALSE) :
		 (g_string_free(msg, TRUE), NULL);
	r->trace->found |= ctx.found;
	if (ctx.op_done)
		r->completed |= SIM_TSET(tid);
	g_array_append_val(r->trace->steps, st);
	return true;
}

static int lowest_runnable(const SimWorld *w)
{
	SimThreadSet m = sim_step_runnable(w);

	return m ? __builtin_ctzll(m) : -1;
}

static bool all_done(const SimWorld *w)
{
	for (int t = 0; t < w->nthreads; t++)
		if (sim_thread(w, t)->status != SIM_TH_DONE)
			return false;
	return true;
}

/* Why TID cannot run, for an IMPOSSIBLE ending. */
static void cannot_run(SimRun *r, int tid, const char *extra)
{
	const SimThread *t = sim_thread(r->w, tid);
	GString *s = g_string_new(NULL);
	char name[48];

	g_string_append_printf(s, "step %u: T%d cannot run: ",
			       r->notes->step + 1, tid);
	if (t->status == SIM_TH_DONE) {
		g_string_append(s, "it has finished");
	} else if (t->status == SIM_TH_BLOCKED) {
		SimLock l = sim_lock(r->w, t->wait_lock);
		g_string_append_printf(s, "waits for %s",
			sim_lock_name(r->prog, t->wait_lock, name,
				      sizeof(name)));
		SimThreadSet by = sim_lock_blockers(l, tid);
		if (by) {
			g_string_append(s, " held by");
			for (int h = 0; h < r->w->nthreads; h++)
				if (by >> h & 1)
					g_string_append_printf(s, " T%d", h);
		}
	}
	if (extra)
		g_string_append(s, extra);
	r->trace->end = SIM_END_IMPOSSIBLE;
	r->trace->end_note = g_string_free(s, FALSE);
}

/* No thread can run and some have not finished: deadlock or lost
 * wake-up, classified by the oracle. */
static void end_stuck(SimRun *r)
{
	GString *msg = g_string_new(NULL);
	SimStepCtx ctx = { .prog = r->prog, .msg = msg, .notes = r->notes };

	sim_oracle_stuck(r->w, &ctx);
	r->trace->found |= ctx.found;
	r->trace->end = SIM_END_STUCK;
	r->trace->end_note = g_string_free(msg, FALSE);
}

/* Whether the run is at SIM_STEPS_MAX, which then ends it as BOUND: no
 * verdict, the run did not finish. */
static bool at_bound(SimRun *r)
{
	if (r->notes->step < SIM_STEPS_MAX)
		return false;
	r->trace->end = SIM_END_BOUND;
	r->trace->end_note = g_strdup_printf("stopped after SIM_STEPS_MAX (%d) "
		"steps with threads still running: no verdict (`faultline "
		"explore` decides whether they can run forever: livelock)",
		SIM_STEPS_MAX);
	return true;
}

static void finish_default(SimRun *r)
{
	int tid;

	while ((tid = lowest_runnable(r->w)) >= 0) {
		if (at_bound(r))
			return;
		if (!sim_run_step(r, tid))
			return;
	}
	if (all_done(r->w))
		r->trace->end = SIM_END_DONE;
	else
		end_stuck(r);
}

static void add_lockdep(SimRun *r)
{
	sim_lockdep_collect(r->lockdep, &r->trace->found, r->trace->order);
}

/* Whether TID is parked where segment SEG says to stop. */
static bool at_until(SimRun *r, int tid, const SimSegment *seg)
{
	const SimThread *t = sim_thread(r->w, tid);
	const SimInsn *in = sim_step_next_insn(r->w, r->prog, tid);

	if (!in)
		return false;
	if (strcmp(sim_prims[in->sub].name, seg->until) == 0)
		return true;
	/* an op name matches while the thread sits at that op's first
	 * primitive, i.e. about to start it */
	for (int d = 1; d < t->depth; d++) {
		const SimProc *pr = r->prog->procs[sim_th_frame(t)[d].proc];
		if (strcmp(pr->name, seg->until) != 0)
			continue;
		int first = 0;
		while (pr->code[first].op != SIM_I_PRIM)
			first++;
		if (d == t->depth - 1 && sim_th_frame(t)[d].pc == first)
			return true;
	}
	return false;
}

/* Run one segment; false if the run ended (impossible, error). */
static bool run_segment(SimRun *r, const SimSegment *seg)
{
	int tid = seg->thread;
	int taken = 0, seen = 0;

	for (;;) {
		const SimThread *t = sim_thread(r->w, tid);
		if (seg->until && t->status != SIM_TH_DONE &&
		    at_until(r, tid, seg) && ++seen >= seg->nth)
			return true;
		if (!seg->until && seg->count && taken == seg->count)
			return true;
		if (t->status == SIM_TH_DONE && !seg->until && !seg->count)
			return true;
		if (t->status != SIM_TH_RUNNABLE) {
			char extra[96] = "";
			if (seg->until && t->status == SIM_TH_DONE)
				g_snprintf(extra, sizeof(extra), " (before "
					   "reaching %s)", seg->until);
			cannot_run(r, tid, extra);
			return false;
		}
		if (at_bound(r))
			return false;
		if (!sim_run_step(r, tid))
			return false;
		taken++;
	}
}

void sim_run_schedule(SimRun *r, const SimSchedule *sched)
{
	for (int i = 0; sched && i < sched->nseg; i++)
		if (!run_segment(r, &sched->seg[i]))
			goto out;
	finish_default(r);
out:
	add_lockdep(r);
}

/* Take the N steps TIDS; false (the run ended: impossible, model error)
 * if one cannot be taken. */
static bool run_steps(SimRun *r, const int *tids, int n)
{
	for (int i = 0; i < n; i++) {
		if (tids[i] < 0 || tids[i] >= r->w->nthreads ||
		    sim_thread(r->w, tids[i])->status != SIM_TH_RUNNABLE) {
			if (tids[i] < 0 || tids[i] >= r->w->nthreads) {
				r->trace->end = SIM_END_IMPOSSIBLE;
				r->trace->end_note = g_strdup_printf("step %u: "
					"no thread T%d", r->notes->step + 1,
					tids[i]);
			} else {
				cannot_run(r, tids[i], NULL);
			}
			return false;
		}
		if (!sim_run_step(r, tids[i]))
			return false;
	}
	return true;
}

void sim_run_choices(SimRun *r, const int *tids, int n, bool finish)
{
	if (!run_steps(r, tids, n)) {
		add_lockdep(r);
		return;
	}
	if (finish) {
		finish_default(r);
	} else if (all_done(r->w)) {
		r->trace->end = SIM_END_DONE;
	} else if (!sim_step_runnable(r->w)) {
		end_stuck(r);
	} else {
		r->trace->end = SIM_END_STOPPED;
	}
	add_lockdep(r);
}

/* What each thread of STUCK is doing in a livelock's cycle. */
static void describe_stuck(SimRun *r, SimThreadSet stuck, GString *s)
{
	char name[48];

	for (int tid = 0; tid < r->w->nthreads; tid++) {
		const SimThread *t = sim_thread(r->w, tid);
		if (!(stuck >> tid & 1))
			continue;
		const char *op = t->depth > 1 ?
				 r->prog->procs[sim_th_frame(t)[1].proc]->name : "?";
		if (t->status == SIM_TH_BLOCKED)
			g_string_append_printf(s, "; T%d sleeps on %s in %s", tid,
				sim_lock_name(r->prog, t->wait_lock, name,
					      sizeof(name)), op);
		else
			g_string_append_printf(s, "; T%d never completes %s",
					       tid, op);
	}
}

void sim_run_end_cycle(SimRun *r, const SimWorld *start, int from)
{
	int n = (int)r->notes->step;
	SimThreadSet stuck = 0;

	for (int tid = 0; tid < r->w->nthreads; tid++)
		if (sim_thread(r->w, tid)->status != SIM_TH_DONE &&
		    !(r->completed >> tid & 1))
			stuck |= SIM_TSET(tid);
	r->trace->cycle_from = from;
	if (n == from || !stuck || !sim_world_equal(start, r->w)) {
		r->trace->end = SIM_END_STOPPED;
		r->trace->end_note = g_strdup_printf("steps %d-%d do not lead "
			"back to the state after step %d with a thread that ends no op "
			"in them: no livelock", from + 1, n, from);
		add_lockdep(r);
		return;
	}
	GString *s = g_string_new(NULL);
	g_string_append_printf(s, "!! livelock: steps %d-%d lead back to the "
		"state after step %d, for ever, and every thread that can run "
		"all along steps in them", from + 1, n, from);
	describe_stuck(r, stuck, s);
	r->trace->found |= 1u << SIM_PROP_LIVELOCK;
	r->trace->end = SIM_END_LIVELOCK;
	r->trace->end_note = g_string_free(s, FALSE);
	add_lockdep(r);
}

void sim_run_cycle(SimRun *r, const int *tids, int n, int from)
{
	SimWorld *start = sim_world_dup(r->w);

	if (run_steps(r, tids, from)) {
		sim_world_copy(start, r->w);
		r->completed = 0;
		if (run_steps(r, tids + from, n - from))
			sim_run_end_cycle(r, start, from);
		else
			add_lockdep(r);
	} else {
		add_lockdep(r);
	}
	g_free(start);
}

SimTrace *sim_run_path(const SimProgram *p, const GArray *tids,
		       int cycle_from)
{
	SimTrace *t = sim_trace_new(p);
	const int *path = (const int *)(const void *)tids->data;
	SimRun run;

	if (sim_run_start(&run, p, t) && cycle_from >= 0)
		sim_run_cycle(&run, path, (int)tids->len, cycle_from);
	else if (t->end != SIM_END_MODEL_ERROR)
		sim_run_choices(&run, path, (int)tids->len, false);
	sim_run_finish(&run);
	return t;
}
