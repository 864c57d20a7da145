/*
 * parse_scenario.c - the scenario grammar (README.md, "Scenarios") and
 * the --schedule argument.
 *
 * Names that may be declared later in the file (processes, threads named
 * by schedules, properties an expect names) are checked at the end of
 * the file (scn_finish), from pending records that remember their
 * position.
 */
#include <stdio.h>
#include <string.h>
#include "cost.h"
#include "parse_code.h"
#include "suggest.h"

/* ---- scenarios -------------------------------------------------------- */

/* A name to check at the end of the file, where it was written, and what
 * it belongs to: a thread's process (a = thread), a segment's thread
 * (a = schedule, b = segment) or an expected property (a = property). */
typedef struct {
	char *name;
	int line, col;
	int a, b;
} Pending;

typedef struct {
	unsigned seen;          /* once-only headers given */
	GArray *thread_procs;   /* Pending, one per thread; name NULL: none */
	GArray *seg_threads;    /* Pending */
	GArray *expect_props;   /* Pending, name unused */
	GHashTable *expects;    /* model names with an expect line */
	GHashTable *schedules;  /* schedule names */
	GArray *loop_procs;     /* Pending, a = 0 the CPU loop, 1 + i the
				 * background loop i */
	SimToken kw;            /* the keyword of the line being read */
} ScnState;

/* tok_seen - whether T's text is in SET (a name given before). */
static bool tok_seen(GHashTable *set, const SimToken *t)
{
	char *n = sim_tok_dup(t);
	bool seen = g_hash_table_contains(set, n);

	g_free(n);
	return seen;
}

typedef gboolean (*ScnItemFn)(SimParser *p, SimScenario *s, ScnState *st,
			      size_t offset);

static gboolean scn_word_field(SimParser *p, SimScenario *s, ScnState *st,
			       size_t offset);
static gboolean scn_string_field(SimParser *p, SimScenario *s, ScnState *st,
				 size_t offset);
static gboolean scn_file(SimParser *p, SimScenario *s, ScnState *st,
			 size_t offset);
static gboolean scn_check(SimParser *p, SimScenario *s, ScnState *st,
			  size_t offset);
static gboolean scn_proc(SimParser *p, SimScenario *s, ScnState *st,
			 size_t offset);
static gboolean scn_thread(SimParser *p, SimScenario *s, ScnState *st,
			   size_t offset);
static gboolean scn_expect(SimParser *p, SimScenario *s, ScnState *st,
			   size_t offset);
static gboolean scn_schedule(SimParser *p, SimScenario *s, ScnState *st,
			     size_t offset);
static gboolean scn_workload(SimParser *p, SimScenario *s, ScnState *st,
			     size_t offset);

/* The lines of a scenario file; ONCE marks the headers. */
static const struct {
	const char *word;
	bool once;
	ScnItemFn fn;
	size_t offset;          /* the char * field a header sets */
} scn_items[] = {
	{ "scenario", true, scn_word_field, offsetof(SimScenario, name) },
	{ "race", true, scn_word_field, offsetof(SimScenario, race) },
	{ "summary", true, scn_string_field, offsetof(SimScenario, summary) },
	{ "source", true, scn_string_field, offsetof(SimScenario, source) },
	{ "file", true, scn_file, 0 },
	{ "check", true, scn_check, 0 },
	{ "proc", false, scn_proc, 0 },
	{ "thread", false, scn_thread, 0 },
	{ "expect", false, scn_expect, 0 },
	{ "schedule", false, scn_schedule, 0 },
	{ "workload", true, scn_workload, 0 },
};

static int scn_item_find(const SimToken *t)
{
	for (size_t i = 0; i < G_N_ELEMENTS(scn_items); i++)
		if (sim_tok_is(t, scn_items[i].word))
			return (int)i;
	return -1;
}

static char **scn_field(SimScenario *s, size_t offset)
{
	return (char **)(void *)((char *)s + offset);
}

static void pending_add(GArray *a, const SimToken *t, bool named, int x, int y)
{
	Pending pd = {
		.name = named ? sim_tok_dup(t) : NULL,
		.line = t->line, .col = t->col, .a = x, .b = y,
	};

	g_array_append_val(a, pd);
}

static void pending_free(GArray *a)
{
	for (guint i = 0; i < a->len; i++)
		g_free(g_array_index(a, Pending, i).name);
	g_array_free(a, TRUE);
}

static gboolean scn_word_field(SimParser *p, SimScenario *s, ScnState *st,
			       size_t offset)
{
	SimToken w;

	(void)st;
	if (!sim_parse_expect_word(p, "a name", &w))
		return FALSE;
	*scn_field(s, offset) = sim_tok_dup(&w);
	return TRUE;
}

static gboolean scn_string_field(SimParser *p, SimScenario *s, ScnState *st,
				 size_t offset)
{
	(void)st;
	return sim_parse_expect_string(p, scn_field(s, offset));
}

/* blocks LIST: pgoffs get blocks B1, B2, ... in the order listed. */
static gboolean scn_blocks(SimParser *p, SimScenario *s)
{
	int nblocks = 0;

	for (;;) {
		SimToken a, b, t;

		if (!sim_parse_expect(p, TK_NUMBER, "a pgoff", &a))
			return FALSE;
		b = a;
		t = sim_lex_peek(p);
		if (t.kind == TK_DOTDOT) {
			sim_lex_advance(p, &t);
			if (!sim_parse_expect(p, TK_NUMBER, "a pgoff", &b))
				return FALSE;
			if (b.value < a.value)
				return FAIL(p, &a, SIM_PARSE_ERROR_SYNTAX,
					    "empty range %d..%d", a.value,
					    b.value);
		}
		for (const SimToken *e = &a; e; e = e == &a ? &b : NULL)
			if (e->value >= sim_scenario_pages(s))
				return FAIL(p, e, SIM_PARSE_ERROR_BOUND,
					    "block pgoff %d out of range "
					    "(0..%d)", e->value,
					    sim_scenario_pages(s) - 1);
		for (int v = a.value; v <= b.value; v++) {
			if (s->blocks[v])
				return FAIL(p, &a, SIM_PARSE_ERROR_NAME,
					    "duplicate block pgoff %d", v);
			if (nblocks >= SIM_BLOCKS_MAX)
				return FAIL(p, &a, SIM_PARSE_ERROR_BOUND,
					    "too many blocks: more than "
					    "SIM_BLOCKS_MAX (%d)",
					    SIM_BLOCKS_MAX);
			s->blocks[v] = (uint16_t)++nblocks;
			s->written[v] = 1;
		}
		t = sim_lex_peek(p);
		if (t.kind == TK_COMMA)
			sim_lex_advance(p, &t);
		else if (t.kind != TK_NUMBER)
			return TRUE;
	}
}

/* file size N [blocks LIST]: the world has max(N, SIM_PAGES_DEFAULT)
 * pages (sim_scenario_pages), so the blocks may lie past i_size. */
static gboolean scn_file(SimParser *p, SimScenario *s, ScnState *st,
			 size_t offset)
{
	SimToken n, t;

	(void)st;
	(void)offset;
	if (!sim_parse_expect_keyword(p, "size") ||
	    !sim_parse_expect(p, TK_NUMBER, "a size in pages", &n))
		return FALSE;
	if (n.value > SIM_PAGES_MAX)
		return FAIL(p, &n, SIM_PARSE_ERROR_BOUND,
			    "file size %d out of range (0..%d)", n.value,
			    SIM_PAGES_MAX);
	s->i_size = n.value;
	t = sim_lex_peek(p);
	if (!sim_tok_is(&t, "blocks"))
		return TRUE;
	sim_lex_advance(p, &t);
	return scn_blocks(p, s);
}

static gboolean unknown_property(SimParser *p, const SimToken *w)
{
	const char *names[SIM_PROP_COUNT];
	char *name = sim_tok_dup(w);
	GString *hint = g_string_new(NULL);
	gboolean ok;

	for (int i = 0; i < SIM_PROP_COUNT; i++)
		names[i] = sim_prop_name((SimProp)i);
	sim_suggest_append(hint, name, names, SIM_PROP_COUNT);
	ok = FAIL(p, w, SIM_PARSE_ERROR_NAME, "unknown property '%s'%s", name,
		  hint->str);
	g_string_free(hint, TRUE);
	g_free(name);
	return ok;
}

/* prop_list - property WORDs up to the next line keyword (property names
 * never are one) into *SET; PENDING, if set, records each for checking
 * against `check`. */
static gboolean prop_list(SimParser *p, SimPropSet *set, GArray *pending)
{
	SimToken w = sim_lex_peek_word(p);

	if (w.kind != TK_WORD || scn_item_find(&w) >= 0)
		return sim_parse_unexpected(p, &w, "a property name");
	do {
		int pr = sim_parse_prop_find(&w);

		if (pr < 0)
			return unknown_property(p, &w);
		*set |= (SimPropSet)(1u << pr);
		if (pending)
			pending_add(pending, &w, false, pr, 0);
		sim_lex_advance(p, &w);
		w = sim_lex_peek_word(p);
	} while (w.kind == TK_WORD && scn_item_find(&w) < 0);
	return TRUE;
}

static gboolean scn_check(SimParser *p, SimScenario *s, ScnState *st,
			  size_t offset)
{
	(void)st;
	(void)offset;
	return prop_list(p, &s->check, NULL);
}

static gboolean scn_proc(SimParser *p, SimScenario *s, ScnState *st,
			 size_t offset)
{
	SimToken n;

	(void)st;
	(void)offset;
	if (!sim_parse_expect(p, TK_IDENT, "a process name", &n))
		return FALSE;
	for (int i = 0; i < s->nprocs; i++)
		if (sim_tok_eq(&n, s->procnames[i]))
			return FAIL(p, &n, SIM_PARSE_ERROR_NAME,
				    "duplicate process '%.*s'", SPAN(&n));
	if (s->nprocs >= SIM_PROCS_MAX)
		return FAIL(p, &n, SIM_PARSE_ERROR_BOUND,
			    "too many processes: more than SIM_PROCS_MAX (%d)",
			    SIM_PROCS_MAX);
	s->procnames[s->nprocs++] = sim_tok_dup(&n);
	return TRUE;
}

/* thread_body - compile the block at P's cursor as a scenario thread's
 * body named by N, with PB's parameters, into S->bodies (PROC is the
 * compiled procedure there, for the caller to look at).  PB is freed. */
static gboolean thread_body(SimParser *p, SimScenario *s, SimProcBuilder *pb,
			    const SimToken *n, SimProc *proc)
{
	p->thread_body = true;
	if (!sim_parse_body(p, pb, proc)) {
		sim_pb_free(pb);
		return FALSE;
	}
	proc->name = sim_tok_dup(n);
	proc->is_thread = true;
	proc->file = g_strdup(p->file);
	proc->line = n->line;
	proc->col = n->col;
	s->bodies = g_renew(SimProc, s->bodies, s->nbodies + 1);
	s->bodies[s->nbodies++] = *proc;
	return TRUE;
}

/* thread IDENT [in IDENT] block: the body is compiled like a procedure
 * without parameters, its calls left for sim_program_link. */
static gboolean scn_thread(SimParser *p, SimScenario *s, ScnState *st,
			   size_t offset)
{
	SimToken n, t, in;
	SimProcBuilder pb;
	SimProc proc = { 0 };

	(void)offset;
	if (!sim_parse_expect(p, TK_IDENT, "a thread name", &n))
		return FALSE;
	for (int i = 0; i < s->nthreads; i++)
		if (sim_tok_eq(&n, s->threads[i].name))
			return FAIL(p, &n, SIM_PARSE_ERROR_NAME,
				    "duplicate thread '%.*s'", SPAN(&n));
	if (s->nthreads >= SIM_THREADS_MAX)
		return FAIL(p, &n, SIM_PARSE_ERROR_BOUND,
			    "too many threads: more than SIM_THREADS_MAX (%d)",
			    SIM_THREADS_MAX);
	t = sim_lex_peek(p);
	if (sim_tok_is(&t, "in")) {
		sim_lex_advance(p, &t);
		if (!sim_parse_expect(p, TK_IDENT, "a process name", &in))
			return FALSE;
		pending_add(st->thread_procs, &in, true, s->nthreads, 0);
	} else {
		pending_add(st->thread_procs, &n, false, s->nthreads, 0);
	}
	sim_pb_init(&pb);
	if (!thread_body(p, s, &pb, &n, &proc))
		return FALSE;
	s->threads[s->nthreads] = (SimThreadDecl){
		.name = sim_tok_dup(&n), .body = s->nthreads,
		.line = n.line, .col = n.col,
	};
	s->nthreads++;
	return TRUE;
}

/* sim_parse_expect ( WORD | '*' ) ':' ( never | n/a | sometimes |
 *                              [ 'at' 'least' ] property+ )
 * '*' stands for every model without an expect line of its own. */
static gboolean scn_expect(SimParser *p, SimScenario *s, ScnState *st,
			   size_t offset)
{
	SimToken m = sim_lex_peek(p), w;
	SimExpect e = { 0 };

	(void)offset;
	if (m.kind == TK_STAR)
		sim_lex_advance(p, &m);
	else if (!sim_parse_expect_word(p, "a model name or '*'", &m))
		return FALSE;
	if (!sim_parse_expect(p, TK_COLON, "':'", NULL))
		return FALSE;
	if (tok_seen(st->expects, &m))
		return FAIL(p, &m, SIM_PARSE_ERROR_NAME,
			    "duplicate expect for model '%.*s'", SPAN(&m));
	w = sim_lex_peek_word(p);
	if (sim_tok_is(&w, "never")) {
		sim_lex_advance(p, &w);
	} else if (sim_tok_is(&w, "n/a")) {
		sim_lex_advance(p, &w);
		e.na = true;
	} else if (sim_tok_is(&w, "sometimes")) {
		sim_lex_advance(p, &w);
		e.sometimes = true;
	} else {
		if (sim_tok_is(&w, "at")) {
			sim_lex_advance(p, &w);
			if (!sim_parse_expect_keyword(p, "least"))
				return FALSE;
			e.at_least = true;
		}
		if (!prop_list(p, &e.props, st->expect_props))
			return FALSE;
	}
	e.model = sim_tok_dup(&m);
	e.line = m.line;
	e.col = m.col;
	g_hash_table_add(st->expects, e.model);
	s->expects = g_renew(SimExpect, s->expects, s->nexpects + 1);
	s->expects[s->nexpects++] = e;
	return TRUE;
}

/* segment := THREAD [ NUMBER | 'until' IDENT [ '#' NUMBER ] ], appended
 * to SC (schedule SI); the thread name is checked later, from PENDING. */
static gboolean segment(SimParser *p, SimSchedule *sc, int si, GArray *pending)
{
	SimToken th, t, u, n;
	SimSegment *g;

	if (!sim_parse_expect(p, TK_IDENT, "a thread name", &th))
		return FALSE;
	sc->seg = g_renew(SimSegment, sc->seg, sc->nseg + 1);
	g = &sc->seg[sc->nseg++];
	*g = (SimSegment){ .nth = 1, .line = th.line, .col = th.col };
	pending_add(pending, &th, true, si, sc->nseg - 1);
	t = sim_lex_peek(p);
	if (t.kind == TK_NUMBER) {
		sim_lex_advance(p, &t);
		if (t.value < 1)
			return FAIL(p, &t, SIM_PARSE_ERROR_BOUND,
				    "step count must be at least 1");
		g->count = t.value;
	} else if (sim_tok_is(&t, "until")) {
		sim_lex_advance(p, &t);
		if (!sim_parse_expect(p, TK_IDENT, "a primitive or op name", &u))
			return FALSE;
		g->until = sim_tok_dup(&u);
		g->uline = u.line;
		g->ucol = u.col;
		if (!sim_lex_hash_follows(p))
			return TRUE;
		if (!sim_parse_expect(p, TK_NUMBER, "a count", &n))
			return FALSE;
		if (n.value < 1)
			return FAIL(p, &n, SIM_PARSE_ERROR_BOUND,
				    "occurrence must be at least 1");
		g->nth = n.value;
	}
	return TRUE;
}

static gboolean segments(SimParser *p, SimSchedule *sc, int si, GArray *pending)
{
	for (;;) {
		SimToken t;

		if (!segment(p, sc, si, pending))
			return FALSE;
		t = sim_lex_peek(p);
		if (t.kind != TK_COMMA)
			return TRUE;
		sim_lex_advance(p, &t);
	}
}

/* schedule WORD ':' segment { ',' segment } */
static gboolean scn_schedule(SimParser *p, SimScenario *s, ScnState *st,
			     size_t offset)
{
	SimToken n;
	SimSchedule *sc;

	(void)offset;
	if (!sim_parse_expect_word(p, "a schedule name", &n) ||
	    !sim_parse_expect(p, TK_COLON, "':'", NULL))
		return FALSE;
	if (tok_seen(st->schedules, &n))
		return FAIL(p, &n, SIM_PARSE_ERROR_NAME,
			    "duplicate schedule '%.*s'", SPAN(&n));
	s->schedules = g_renew(SimSchedule, s->schedules, s->nschedules + 1);
	sc = &s->schedules[s->nschedules++];
	*sc = (SimSchedule){ .name = sim_tok_dup(&n), .line = n.line,
			     .col = n.col };
	g_hash_table_add(st->schedules, sc->name);
	return segments(p, sc, s->nschedules - 1, st->seg_threads);
}

/* ---- the workload block (des.h) ---------------------------------------- */

/* A count: a word of digits up to MAX (past the statement language's
 * numbers, which stop at NUMBER_MAX). */
static gboolean wl_count(SimParser *p, const char *what, uint64_t max,
			 uint64_t *v)
{
	SimToken t = sim_lex_peek_word(p);
	char *end, *text = sim_tok_dup(&t);
	bool ok = t.kind == TK_WORD && g_ascii_isdigit(text[0]);

	*v = ok ? g_ascii_strtoull(text, &end, 10) : 0;
	ok = ok && *end == '\0';
	g_free(text);
	if (!ok)
		return sim_parse_unexpected(p, &t, what);
	if (*v < 1 || *v > max)
		return FAIL(p, &t, SIM_PARSE_ERROR_BOUND,
			    "%s %" G_GUINT64_FORMAT " out of range (1..%"
			    G_GUINT64_FORMAT ")", what, *v, max);
	sim_lex_advance(p, &t);
	return TRUE;
}

/* A time, as a cost file writes it (cost.h: 200ns, exp(1us),
 * uniform(1us, 2us)): cost.c reads it, and the tokens it took are
 * skipped. */
static gboolean wl_time(SimParser *p, SimDist *d)
{
	SimToken t = sim_lex_peek_word(p);
	size_t len, at;
	char *why;

	if (!sim_dist_parse(t.s, d, &len, &why, &at)) {
		sim_parse_fail_at(p, t.line, t.col + (int)at,
				  SIM_PARSE_ERROR_SYNTAX, "%s", why);
		g_free(why);
		return FALSE;
	}
	for (const char *end = t.s + len; t.kind != TK_EOF && t.s < end;
	     t = sim_lex_peek_word(p))
		sim_lex_advance(p, &t);
	return TRUE;
}

/* ( think | every ) TIME block: one loop body, a thread body whose one
 * parameter is `cpu`, repeated for ever: its closing RET becomes a jump
 * to the top (a `return` still ends the loop). */
static gboolean wl_loop(SimParser *p, SimScenario *s, const SimToken *kw,
			SimLoop *l)
{
	SimToken t = sim_lex_peek(p);
	SimProcBuilder pb;
	SimProc proc = { 0 };
	bool calls = false;

	if (!sim_tok_is(&t, "think") && !sim_tok_is(&t, "every"))
		return sim_parse_unexpected(p, &t, "'think' or 'every'");
	sim_lex_advance(p, &t);
	l->every = sim_tok_is(&t, "every");
	if (!wl_time(p, &l->think))
		return FALSE;
	sim_pb_init(&pb);
	g_ptr_array_add(pb.names, g_strdup("cpu"));
	pb.nparams = 1;
	if (!thread_body(p, s, &pb, kw, &proc))
		return FALSE;
	SimProc *body = &s->bodies[s->nbodies - 1];
	for (int i = 0; i < body->ncode; i++)
		calls |= body->code[i].op == SIM_I_CALL;
	if (!calls)
		return sim_parse_fail_at(p, body->code[body->ncode - 1].line,
					 body->code[body->ncode - 1].col,
					 SIM_PARSE_ERROR_SYNTAX,
					 "a loop calls at least one op");
	/* the RET at the closing brace: a jump back, then the RET every
	 * procedure ends with (parse.h guarantee 1), never reached */
	body->code = g_renew(SimInsn, body->code, body->ncode + 1);
	body->code[body->ncode] = body->code[body->ncode - 1];
	body->code[body->ncode - 1].op = SIM_I_JMP;
	body->code[body->ncode - 1].nargs = 0;
	body->code[body->ncode - 1].target = 0;
	body->ncode++;
	l->body = s->nbodies - 1;
	l->line = kw->line;
	l->col = kw->col;
	return TRUE;
}

/* 'in' PROCESS, checked at the end of the file (loop LOOP). */
static gboolean wl_in(SimParser *p, ScnState *st, int loop)
{
	SimToken in;

	if (!sim_parse_expect_keyword(p, "in") ||
	    !sim_parse_expect(p, TK_IDENT, "a process name", &in))
		return FALSE;
	pending_add(st->loop_procs, &in, true, loop, 0);
	return TRUE;
}

/* One line of a workload block, after its keyword K (wl_words). */
static const char *const wl_words[] = {
	"cpus", "ops", "duration", "seed", "loop", "background",
};

static gboolean wl_line(SimParser *p, SimScenario *s, ScnState *st, int k,
			const SimToken *t)
{
	SimWorkload *w = s->workload;
	SimDist d;
	uint64_t v;

	switch (k) {
	case 0:
		if (!wl_count(p, "a CPU count", SIM_THREADS_MAX, &v))
			return FALSE;
		w->cpus = (int)v;
		return wl_in(p, st, 0);
	case 1:
		return wl_count(p, "an op count", G_MAXUINT32, &w->ops);
	case 2:
		if (!wl_time(p, &d))
			return FALSE;
		if (d.kind != SIM_DIST_CONST || d.a == 0)
			return FAIL(p, t, SIM_PARSE_ERROR_SYNTAX,
				    "a duration is a constant time above 0");
		w->duration_ns = d.a;
		return TRUE;
	case 3:
		return wl_count(p, "a seed", G_MAXUINT32, &w->seed);
	case 4:
		return wl_loop(p, s, t, &w->cpu);
	default:
		w->background = g_renew(SimLoop, w->background,
					w->nbackground + 1);
		SimLoop *l = &w->background[w->nbackground++];
		*l = (SimLoop){ 0 };
		return wl_in(p, st, w->nbackground) && wl_loop(p, s, t, l);
	}
}

/* workload { line... } (README "Workloads"):
 *   cpus N in PROCESS | ops N | duration TIME | seed N
 *   loop (think | every) TIME block
 *   background in PROCESS (think | every) TIME block */
static gboolean scn_workload(SimParser *p, SimScenario *s, ScnState *st,
			     size_t offset)
{
	const SimToken wkw = st->kw;
	SimWorkload *w = s->workload = g_new0(SimWorkload, 1);
	unsigned seen = 0;

	(void)offset;
	w->line = wkw.line;
	w->col = wkw.col;
	if (!sim_parse_expect(p, TK_LBRACE, "'{'", NULL))
		return FALSE;
	for (;;) {
		SimToken t = sim_lex_peek(p);
		int k = -1;

		if (t.kind == TK_SEMI) {
			sim_lex_advance(p, &t);
			continue;
		}
		if (t.kind == TK_RBRACE) {
			sim_lex_advance(p, &t);
			break;
		}
		for (int i = 0; i < (int)G_N_ELEMENTS(wl_words); i++)
			if (sim_tok_is(&t, wl_words[i]))
				k = i;
		if (k < 0)
			return sim_parse_unexpected(p, &t, "a workload line "
				"(cpus, ops, duration, seed, loop, background)");
		sim_lex_advance(p, &t);
		if (k != 5 && (seen & (1u << k)))
			return FAIL(p, &t, SIM_PARSE_ERROR_SYNTAX,
				    "duplicate '%s'", wl_words[k]);
		seen |= 1u << k;
		if (!wl_line(p, s, st, k, &t))
			return FALSE;
	}
	if (!(seen & (1u << 0)) || !(seen & (1u << 4)))
		return FAIL(p, &wkw, SIM_PARSE_ERROR_SYNTAX,
			    "a workload needs 'cpus N in PROCESS' and a "
			    "'loop'");
	if (!w->ops && !w->duration_ns)
		return FAIL(p, &wkw, SIM_PARSE_ERROR_SYNTAX,
			    "a workload that never ends: give 'ops N' or "
			    "'duration TIME'");
	return TRUE;
}

static gboolean scn_lines(SimParser *p, SimScenario *s, ScnState *st)
{
	for (;;) {
		SimToken t = sim_lex_peek(p);
		int k;

		if (t.kind == TK_EOF)
			return TRUE;
		sim_lex_advance(p, &t);
		if (t.kind == TK_SEMI)
			continue;
		k = scn_item_find(&t);
		if (k < 0)
			return sim_parse_unexpected(p, &t, "a scenario line");
		if (scn_items[k].once && (st->seen & (1u << k)))
			return FAIL(p, &t, SIM_PARSE_ERROR_SYNTAX,
				    "duplicate header '%s'", scn_items[k].word);
		st->seen |= 1u << k;
		st->kw = t;
		if (!scn_items[k].fn(p, s, st, scn_items[k].offset))
			return FALSE;
	}
}

static gboolean thread_resolve(SimParser *p, const SimScenario *s,
			       const Pending *pd, int *thread)
{
	for (int i = 0; i < s->nthreads; i++) {
		if (strcmp(s->threads[i].name, pd->name) == 0) {
			*thread = i;
			return TRUE;
		}
	}
	return sim_parse_fail_at(p, pd->line, pd->col, SIM_PARSE_ERROR_NAME,
		       "unknown thread '%s'", pd->name);
}

/* proc_index - the process PD names, into *PROC. */
static gboolean proc_index(SimParser *p, const SimScenario *s,
			   const Pending *pd, int *proc)
{
	for (int i = 0; i < s->nprocs; i++) {
		if (strcmp(s->procnames[i], pd->name) == 0) {
			*proc = i;
			return TRUE;
		}
	}
	return sim_parse_fail_at(p, pd->line, pd->col, SIM_PARSE_ERROR_NAME,
		       "unknown process '%s'", pd->name);
}

static gboolean proc_resolve(SimParser *p, SimScenario *s, const Pending *pd)
{
	SimThreadDecl *td = &s->threads[pd->a];

	if (!pd->name) {
		if (s->nprocs > 1)
			return sim_parse_fail_at(p, pd->line, pd->col,
				       SIM_PARSE_ERROR_NAME,
				       "thread '%s' needs 'in PROCESS': there "
				       "are %d processes", td->name, s->nprocs);
		td->proc = 0;
		return TRUE;
	}
	return proc_index(p, s, pd, &td->proc);
}

/* scn_finish - the checks that need the whole file. */
static gboolean scn_finish(SimParser *p, SimScenario *s, ScnState *st)
{
	SimToken eof = sim_lex_peek(p);

	if (s->nthreads == 0 && !s->workload)
		return FAIL(p, &eof, SIM_PARSE_ERROR_SYNTAX,
			    "scenario has no threads");
	if (s->nprocs == 0)
		s->procnames[s->nprocs++] = g_strdup("P0");
	for (guint i = 0; i < st->thread_procs->len; i++)
		if (!proc_resolve(p, s, &g_array_index(st->thread_procs,
						       Pending, i)))
			return FALSE;
	for (guint i = 0; i < st->loop_procs->len; i++) {
		const Pending *pd = &g_array_index(st->loop_procs, Pending, i);
		SimLoop *l = pd->a ? &s->workload->background[pd->a - 1] :
			&s->workload->cpu;
		if (!proc_index(p, s, pd, &l->proc))
			return FALSE;
	}
	for (guint i = 0; i < st->seg_threads->len; i++) {
		const Pending *pd = &g_array_index(st->seg_threads, Pending, i);

		if (!thread_resolve(p, s, pd,
				    &s->schedules[pd->a].seg[pd->b].thread))
			return FALSE;
	}
	/* A scheme under which a thread spins forever is never a clean
	 * answer, whatever race the scenario was written for. */
	s->check |= 1u << SIM_PROP_LIVELOCK;
	for (guint i = 0; i < st->expect_props->len; i++) {
		const Pending *pd = &g_array_index(st->expect_props, Pending, i);

		if (!(s->check & (1u << pd->a)))
			return sim_parse_fail_at(p, pd->line, pd->col,
				       SIM_PARSE_ERROR_NAME,
				       "expect property '%s' is not in 'check'",
				       sim_prop_name((SimProp)pd->a));
	}
	return TRUE;
}

static SimScenario *scn_parse(const char *text, size_t len, const char *file,
			      GError **error)
{
	SimParser p;
	ScnState st = { 0 };
	SimScenario *s = g_new0(SimScenario, 1);
	gboolean ok;

	sim_parser_init(&p, text, len, file);
	s->file = g_strdup(file);
	st.thread_procs = g_array_new(FALSE, TRUE, sizeof(Pending));
	st.seg_threads = g_array_new(FALSE, TRUE, sizeof(Pending));
	st.expect_props = g_array_new(FALSE, TRUE, sizeof(Pending));
	/* the keys are the scenario's own strings */
	st.expects = g_hash_table_new(g_str_hash, g_str_equal);
	st.schedules = g_hash_table_new(g_str_hash, g_str_equal);
	st.loop_procs = g_array_new(FALSE, TRUE, sizeof(Pending));
	ok = sim_parse_file_header(&p, "scenario", "scenario") &&
	     scn_lines(&p, s, &st) && scn_finish(&p, s, &st);
	pending_free(st.thread_procs);
	pending_free(st.seg_threads);
	pending_free(st.expect_props);
	pending_free(st.loop_procs);
	g_hash_table_destroy(st.expects);
	g_hash_table_destroy(st.schedules);
	if (!ok) {
		sim_scenario_free(s);
		g_propagate_error(error, p.err);
		return NULL;
	}
	return s;
}

SimScenario *sim_parse_scenario_string(const char *text, const char *filename,
				       GError **error)
{
	return scn_parse(text, strlen(text), filename, error);
}

SimScenario *sim_parse_scenario_file(const char *path, GError **error)
{
	gsize len;
	char *text = sim_parse_read_file(path, TRUE, &len, error);
	SimScenario *s;

	if (!text)
		return NULL;
	s = scn_parse(text, len, strcmp(path, "-") ? path : "<stdin>", error);
	g_free(text);
	return s;
}

/* ---- the --schedule argument ------------------------------------------ */

void sim_schedule_clear(SimSchedule *s)
{
	for (int i = 0; i < s->nseg; i++)
		g_free(s->seg[i].until);
	g_free(s->seg);
	g_free(s->name);
	memset(s, 0, sizeof(*s));
}

static void schedule_copy(SimSchedule *out, const SimSchedule *in)
{
	*out = *in;
	out->name = g_strdup(in->name);
	out->seg = g_new0(SimSegment, in->nseg > 0 ? in->nseg : 1);
	for (int i = 0; i < in->nseg; i++) {
		out->seg[i] = in->seg[i];
		out->seg[i].until = g_strdup(in->seg[i].until);
	}
}

/* A lone word that may name a schedule: no separator, not a number. */
static bool is_schedule_name(const char *s)
{
	if (!s[0] || g_ascii_isdigit(s[0]))
		return false;
	for (; *s; s++)
		if (!sim_lex_is_word_char(*s))
			return false;
	return true;
}

static bool thread_named(const SimScenario *scn, const char *name)
{
	for (int i = 0; i < scn->nthreads; i++)
		if (strcmp(scn->threads[i].name, name) == 0)
			return true;
	return false;
}

/* "0,0,1": one step of thread 0, another, one of thread 1. */
static gboolean number_list(SimParser *p, const SimScenario *scn,
			    SimSchedule *out)
{
	for (;;) {
		SimToken n, t;
		SimSegment *g;

		if (!sim_parse_expect(p, TK_NUMBER, "a thread number", &n))
			return FALSE;
		if (n.value >= scn->nthreads)
			return FAIL(p, &n, SIM_PARSE_ERROR_NAME,
				    "no thread %d: the scenario has %d",
				    n.value, scn->nthreads);
		out->seg = g_renew(SimSegment, out->seg, out->nseg + 1);
		g = &out->seg[out->nseg++];
		*g = (SimSegment){ .thread = n.value, .count = 1, .nth = 1,
				   .line = n.line, .col = n.col };
		t = sim_lex_next(p);
		if (t.kind == TK_EOF)
			return TRUE;
		if (t.kind != TK_COMMA)
			return sim_parse_unexpected(p, &t, "',' or the end");
	}
}

static gboolean segment_text(SimParser *p, const SimScenario *scn,
			     SimSchedule *out)
{
	GArray *pending = g_array_new(FALSE, TRUE, sizeof(Pending));
	gboolean ok = segments(p, out, 0, pending) &&
		      sim_parse_expect(p, TK_EOF, "',' or the end", NULL);

	for (guint i = 0; ok && i < pending->len; i++) {
		const Pending *pd = &g_array_index(pending, Pending, i);

		ok = thread_resolve(p, scn, pd, &out->seg[pd->b].thread);
	}
	pending_free(pending);
	return ok;
}

gboolean sim_parse_schedule(const char *text, const char *origin,
			    const SimScenario *scn, SimSchedule *out,
			    GError **error)
{
	char *name = g_strstrip(g_strdup(text));
	size_t len = strlen(text);
	SimParser p;
	gboolean ok;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < scn->nschedules; i++) {
		if (strcmp(scn->schedules[i].name, name) == 0) {
			schedule_copy(out, &scn->schedules[i]);
			g_free(name);
			return TRUE;
		}
	}
	sim_parser_init(&p, text, len, origin);
	/* on a command line '#' would silently cut the schedule short */
	p.no_comments = true;
	for (const char *h = strchr(text, '#'); h; h = strchr(h + 1, '#'))
		if (!g_ascii_isdigit(h[1])) {
			sim_parse_fail_at(&p, 1, (int)(h - text) + 1,
				SIM_PARSE_ERROR_SYNTAX,
				"'#' is not a comment here: only 'until NAME#N' "
				"takes one");
			goto fail;
		}
	if (is_schedule_name(name) && !thread_named(scn, name)) {
		GString *names = g_string_new(NULL);
		for (int i = 0; i < scn->nschedules; i++)
			g_string_append_printf(names, "%s%s", i ? ", " : "",
					       scn->schedules[i].name);
		g_string_append(names, scn->nschedules ? "; threads: " :
				"none; threads: ");
		for (int i = 0; i < scn->nthreads; i++)
			g_string_append_printf(names, "%s%s", i ? ", " : "",
					       scn->threads[i].name);
		sim_parse_fail_at(&p, 1, 1 + (int)(strstr(text, name) - text),
			SIM_PARSE_ERROR_NAME, "unknown schedule or thread "
			"'%s' (the scenario's schedules: %s)", name,
			names->str);
		g_string_free(names, TRUE);
		goto fail;
	}
	if (name[0] && strspn(text, "0123456789, \t") == len)
		ok = number_list(&p, scn, out);
	else
		ok = segment_text(&p, scn, out);
	if (ok) {
		out->name = name;
		out->line = out->col = 1;
		return TRUE;
	}
fail:
	g_free(name);
	sim_schedule_clear(out);
	g_propagate_error(error, p.err);
	return FALSE;
}
