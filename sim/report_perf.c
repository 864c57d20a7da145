/*
 * report_perf.c - `faultline perf`'s tables, JSON and CSV.  See
 * report_perf.h.
 */
#include <stdarg.h>
#include <string.h>
#include "report_perf.h"
#include "trace.h"

/* ---- figures ------------------------------------------------------------ */

double sim_perf_mean_ns(const SimDesResult *r)
{
	double sum = 0;
	uint64_t n = 0;

	for (int i = 0; i < r->nopstats; i++) {
		const SimDesOpStat *o = &r->opstats[i];
		if (o->background)
			continue;
		sum += o->mean_ns * (double)o->count;
		n += o->count;
	}
	return n ? sum / (double)n : 0;
}

/* The share of all threads' simulated time spent waiting for locks. */
static double wait_share(const SimDesResult *r)
{
	double wait = 0;

	for (int i = 0; i < r->nlocks; i++)
		wait += (double)r->locks[i].wait_ns;
	return r->sim_ns ? wait / ((double)r->nthreads * (double)r->sim_ns) : 0;
}

/* The races R hit: the occurrences (des.h ends an episode at each
 * violation and restarts the world, so each is independent) of the
 * checked property (or deadlock, which ends a run) found most often.
 * The most frequent one, not the sum: one race usually breaks several
 * properties at once (a stale PTE, then the store through it into a
 * freed block). */
static uint64_t races(const SimPerf *p, const SimDesResult *r)
{
	uint64_t n = 0;

	for (int i = 0; i < r->nviolations; i++)
		if (p->scn->check >> r->violations[i].prop & 1 ||
		    r->violations[i].prop == SIM_PROP_DEADLOCK)
			n = MAX(n, r->violations[i].count);
	return n;
}

static double per_mop(uint64_t n, uint64_t ops)
{
	return ops ? (double)n * 1e6 / (double)ops : 0;
}

bool sim_perf_violations(const SimPerf *p)
{
	for (int m = 0; m < p->nmodels; m++)
		for (int i = 0; i < p->models[m].nruns; i++)
			if (races(p, &p->models[m].runs[i].r))
				return true;
	return false;
}

/* The run of M at CPUS and the first widen factor, or NULL. */
static const SimPerfRun *base_run(const SimPerfModel *m, int cpus)
{
	for (int i = 0; i < m->nruns && m->runs[i].widen == m->runs[0].widen;
	     i++)
		if (m->runs[i].cpus == cpus)
			return &m->runs[i];
	return NULL;
}

void sim_perf_model_fit(const SimPerf *p, SimPerfModel *m)
{
	double *x = g_new(double, p->ncpus);
	int n = 0;

	for (int i = 0; i < p->ncpus; i++) {
		const SimPerfRun *r = base_run(m, p->cpus[i]);
		if (r)
			x[n++] = r->r.throughput;
	}
	m->usl_ok = n == p->ncpus && sim_usl_fit(p->cpus, x, n, &m->usl);
	g_free(x);
}

/* ---- text --------------------------------------------------------------- */

/* X scaled to the largest of UNITS (descending) it reaches, three
 * significant figures, with that unit's suffix (else NONE's). */
typedef struct {
	double div;
	const char *suffix;
} Unit;

static void fmt_units(GString *s, double x, const Unit *units, size_t n,
		      const char *none)
{
	for (size_t i = 0; i < n; i++)
		if (x >= units[i].div) {
			g_string_append_printf(s, "%.3g%s", x / units[i].div,
					       units[i].suffix);
			return;
		}
	g_string_append_printf(s, "%.3g%s", x, none);
}

/* NS with a unit. */
static void fmt_ns(GString *s, double ns)
{
	static const Unit units[] = {
		{ 1e9, " s" }, { 1e6, " ms" }, { 1e3, " us" },
	};

	fmt_units(s, ns, units, G_N_ELEMENTS(units), " ns");
}

/* X with an SI suffix. */
static void fmt_si(GString *s, double x)
{
	static const Unit units[] = { { 1e9, "G" }, { 1e6, "M" }, { 1e3, "k" } };

	fmt_units(s, x, units, G_N_ELEMENTS(units), "");
}

/* A table: rows of cells, columns right-aligned but the first, padded to
 * the widest cell; each line indented by INDENT. */
typedef struct {
	GPtrArray *cells;       /* char *, row-major */
	int ncols;
} Table;

static Table table_new(int ncols)
{
	return (Table){ g_ptr_array_new_with_free_func(g_free), ncols };
}

static void cell(Table *t, GString *s)
{
	g_ptr_array_add(t->cells, g_strdup(s->str));
	g_string_truncate(s, 0);
}

static void cellf(Table *t, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void cellf(Table *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_ptr_array_add(t->cells, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

static void table_print(Table *t, const char *indent, GString *out)
{
	int *w = g_new0(int, t->ncols);

	for (guint i = 0; i < t->cells->len; i++)
		w[i % t->ncols] = MAX(w[i % t->ncols],
				      (int)strlen(t->cells->pdata[i]));
	for (guint i = 0; i < t->cells->len; i++) {
		int c = (int)(i % t->ncols);
		const char *s = t->cells->pdata[i];
		if (c == 0)
			g_string_append(out, indent);
		if (c + 1 == t->ncols)
			g_string_append_printf(out, "%*s\n", w[c], s);
		else
			g_string_append_printf(out, c ? "%*s  " : "%-*s  ",
					       w[c], s);
	}
	g_ptr_array_free(t->cells, TRUE);
	g_free(w);
}

static void text_runs(const SimPerf *p, const SimPerfModel *m, GString *out)
{
	Table t = table_new(9);
	GString *s = g_string_new(NULL);
	const SimPerfRun *one = base_run(m, 1);

	for (const char *const *h = (const char *const[]){ "cpus", "widen",
	     "ops", "simulated", "ops/s", "speedup", "mean op", "lock wait",
	     "races/Mop", NULL }; *h; h++)
		cellf(&t, "%s", *h);
	for (int i = 0; i < m->nruns; i++) {
		const SimPerfRun *r = &m->runs[i];
		cellf(&t, "%d", r->cpus);
		cellf(&t, "%d", r->widen);
		cellf(&t, "%" G_GUINT64_FORMAT, r->r.ops);
		fmt_ns(s, (double)r->r.sim_ns);
		cell(&t, s);
		fmt_si(s, r->r.throughput);
		cell(&t, s);
		if (one && one->r.throughput > 0 && r->widen == one->widen)
			cellf(&t, "%.2f", r->r.throughput / one->r.throughput);
		else
			cellf(&t, "-");
		fmt_ns(s, sim_perf_mean_ns(&r->r));
		cell(&t, s);
		cellf(&t, "%.1f %%", 100 * wait_share(&r->r));
		cellf(&t, "%.1f", per_mop(races(p, &r->r), r->r.ops));
	}
	table_print(&t, "  ", out);
	g_string_free(s, TRUE);
}

static void text_usl(const SimPerfModel *m, GString *out)
{
	if (!m->usl_ok) {
		g_string_append(out, "  USL: not fitted (needs --cpus with 1 "
				"and another count)\n");
		return;
	}
	g_string_append_printf(out, "  USL: sigma %.4f (contention), kappa "
			       "%.6f (coherency), lambda ", m->usl.sigma,
			       m->usl.kappa);
	fmt_si(out, m->usl.lambda);
	g_string_append(out, " ops/s, ");
	if (m->usl.peak > 0)
		g_string_append_printf(out, "peak at %.0f CPUs", m->usl.peak);
	else
		g_string_append(out, "no peak");
	g_string_append_printf(out, ", R^2 %.3f\n", m->usl.r2);
}

static void text_latency(const SimPerfModel *m, GString *out)
{
	Table t = table_new(7);
	GString *s = g_string_new(NULL);

	for (const char *const *h = (const char *const[]){ "op latency",
	     "cpus", "count", "p50", "p99", "p99.9", "max", NULL }; *h; h++)
		cellf(&t, "%s", *h);
	for (int i = 0; i < m->nruns; i++) {
		const SimPerfRun *r = &m->runs[i];
		if (r->widen != m->runs[0].widen)
			break;
		for (int k = 0; k < r->r.nopstats; k++) {
			const SimDesOpStat *o = &r->r.opstats[k];
			cellf(&t, "%s%s", o->name, o->background ?
			      " (background)" : "");
			cellf(&t, "%d", r->cpus);
			cellf(&t, "%" G_GUINT64_FORMAT, o->count);
			const uint64_t v[] = { o->p50_ns, o->p99_ns,
					       o->p999_ns, o->max_ns };
			for (size_t j = 0; j < G_N_ELEMENTS(v); j++) {
				fmt_ns(s, (double)v[j]);
				cell(&t, s);
			}
		}
	}
	table_print(&t, "  ", out);
	g_string_free(s, TRUE);
}

/* /proc/lock_stat's columns, per class and CPU count. */
static void text_locks(const SimPerfModel *m, GString *out)
{
	Table t = table_new(9);
	GString *s = g_string_new(NULL);

	for (const char *const *h = (const char *const[]){ "lock_stat",
	     "cpus", "acquisitions", "contended", "waittime-total",
	     "waittime-max", "waittime-avg", "holdtime-total", "holdtime-avg",
	     NULL }; *h; h++)
		cellf(&t, "%s", *h);
	for (int i = 0; i < m->nruns; i++) {
		const SimPerfRun *r = &m->runs[i];
		if (r->widen != m->runs[0].widen)
			break;
		for (int k = 0; k < r->r.nlocks; k++) {
			const SimDesLockStat *l = &r->r.locks[k];
			if (!l->acquisitions)
				continue;
			cellf(&t, "%s", l->name);
			cellf(&t, "%d", r->cpus);
			cellf(&t, "%" G_GUINT64_FORMAT, l->acquisitions);
			cellf(&t, "%" G_GUINT64_FORMAT, l->contended);
			const double v[] = { (double)l->wait_ns,
				(double)l->wait_max_ns, l->contended ?
				(double)l->wait_ns / (double)l->contended : 0,
				(double)l->hold_ns,
				(double)l->hold_ns / (double)l->acquisitions };
			for (size_t j = 0; j < G_N_ELEMENTS(v); j++) {
				fmt_ns(s, v[j]);
				cell(&t, s);
			}
		}
	}
	table_print(&t, "  ", out);
	g_string_free(s, TRUE);
}

/* The steps of a violation's timed trace the text shows: the last ones
 * (--json has them all). */
#define TRACE_SHOWN 16

/* One violation: the oracle's message, then the last steps before it
 * with their simulated times. */
static void text_trace(const SimDesViolation *v, GString *out)
{
	char **lines = g_strsplit(v->msg ? v->msg : "", "\n", -1);
	int from = MAX(v->ntrace - TRACE_SHOWN, 0);

	for (int i = 0; lines[i]; i++)
		if (*lines[i])
			g_string_append_printf(out, "    %s\n", lines[i]);
	g_strfreev(lines);
	if (from)
		g_string_append_printf(out, "    (the last %d steps before it; "
				       "--json has %d)\n", TRACE_SHOWN,
				       v->ntrace);
	for (int i = from; i < v->ntrace; i++) {
		const SimDesTraceStep *st = &v->trace[i];
		g_string_append_printf(out, "    %12" G_GUINT64_FORMAT " ns  T%-2d "
				       "%-16s %-20s %s:%d\n", st->t_ns, st->tid,
				       st->op ? st->op : "-", st->prim,
				       st->file, st->line);
	}
}

/* Every property a run violated: per run how often; for
 * the first run that saw each, the message and the timed trace. */
static void text_violations(const SimPerfModel *m, GString *out)
{
	SimPropSet drawn = 0;

	for (int i = 0; i < m->nruns; i++) {
		const SimPerfRun *r = &m->runs[i];
		if (r->r.stalled)
			g_string_append_printf(out, "  stalled at %d CPU%s, widen "
				"%d: %s (threads spin: a livelock, if explore "
				"agrees; or a background loop slower than its "
				"rate starves them)\n", r->cpus,
				r->cpus == 1 ? "" : "s", r->widen, r->r.stall);
		if (r->r.interrupted)
			g_string_append_printf(out, "  interrupted at %d CPU%s, "
				"widen %d after %" G_GUINT64_FORMAT " ops\n",
				r->cpus, r->cpus == 1 ? "" : "s", r->widen,
				r->r.ops);
		for (int k = 0; k < r->r.nviolations; k++) {
			const SimDesViolation *v = &r->r.violations[k];
			g_string_append_printf(out, "  %s: %" G_GUINT64_FORMAT
				" at %d CPU%s, widen %d (%.1f per million ops)",
				sim_prop_name(v->prop), v->count, r->cpus,
				r->cpus == 1 ? "" : "s", r->widen,
				per_mop(v->count, r->r.ops));
			if (drawn >> v->prop & 1) {
				g_string_append_c(out, '\n');
				continue;
			}
			drawn |= (SimPropSet)(1u << v->prop);
			g_string_append_printf(out, "; the first at %"
				G_GUINT64_FORMAT " ns:\n", v->first_ns);
			text_trace(v, out);
		}
	}
	if (!drawn)
		g_string_append(out, "  violations: none\n");
}

static void text_model(const SimPerf *p, const SimPerfModel *m, GString *out)
{
	if (m->why) {
		g_string_append_printf(out, "model %s: n/a: %s\n\n", m->name,
				       m->why);
		return;
	}
	g_string_append_printf(out, "model %s: %s\n", m->name,
			       m->summary ? m->summary : "");
	text_runs(p, m, out);
	text_usl(m, out);
	text_latency(m, out);
	text_locks(m, out);
	text_violations(m, out);
	g_string_append_c(out, '\n');
}

/* One row per model: the seed's two questions side by side. */
static void text_summary(const SimPerf *p, GString *out)
{
	int top = p->cpus[p->ncpus - 1];
	Table t = table_new(8);
	GString *s = g_string_new(NULL);

	cellf(&t, "summary");
	cellf(&t, "1-CPU ops/s");
	cellf(&t, "vs no locking");
	cellf(&t, "ops/s @%d", top);
	cellf(&t, "speedup @%d", top);
	cellf(&t, "sigma");
	cellf(&t, "kappa");
	cellf(&t, "races/Mop @%d", top);
	for (int i = 0; i < p->nmodels; i++) {
		const SimPerfModel *m = &p->models[i];
		const SimPerfRun *one = base_run(m, 1), *hi = base_run(m, top);
		if (m->why)
			continue;
		cellf(&t, "%s", m->name);
		if (one) {
			fmt_si(s, one->r.throughput);
			cell(&t, s);
		} else {
			cellf(&t, "-");
		}
		if (one && m->nolock_ns > 0)
			cellf(&t, "%.2fx", sim_perf_mean_ns(&one->r) /
			      m->nolock_ns);
		else
			cellf(&t, "-");
		/* no run at TOP: interrupted before it */
		if (hi) {
			fmt_si(s, hi->r.throughput);
			cell(&t, s);
		} else {
			cellf(&t, "-");
		}
		if (one && hi && one->r.throughput > 0)
			cellf(&t, "%.2f", hi->r.throughput / one->r.throughput);
		else
			cellf(&t, "-");
		cellf(&t, m->usl_ok ? "%.4f" : "-", m->usl.sigma);
		cellf(&t, m->usl_ok ? "%.6f" : "-", m->usl.kappa);
		if (hi)
			cellf(&t, "%.1f", per_mop(races(p, &hi->r), hi->r.ops));
		else
			cellf(&t, "-");
	}
	table_print(&t, "", out);
	g_string_free(s, TRUE);
}

/* Races per million ops per model, CPU count and widen factor: only
 * the models that raced somewhere. */
static void text_race_rates(const SimPerf *p, GString *out)
{
	Table t = table_new(2 + p->nwiden);
	int rows = 0;

	cellf(&t, "races per million ops");
	cellf(&t, "cpus");
	for (int w = 0; w < p->nwiden; w++)
		cellf(&t, "widen %d", p->widen[w]);
	for (int i = 0; i < p->nmodels; i++) {
		const SimPerfModel *m = &p->models[i];
		bool any = false;
		for (int k = 0; k < m->nruns; k++)
			any = any || races(p, &m->runs[k].r);
		if (!any)
			continue;
		for (int c = 0; c < p->ncpus; c++, rows++) {
			cellf(&t, "%s", m->name);
			cellf(&t, "%d", p->cpus[c]);
			for (int w = 0; w < p->nwiden; w++) {
				const SimDesResult *r =
					&m->runs[w * p->ncpus + c].r;
				cellf(&t, "%.1f", per_mop(races(p, r), r->ops));
			}
		}
	}
	if (rows) {
		g_string_append_c(out, '\n');
		table_print(&t, "", out);
	} else {
		g_ptr_array_free(t.cells, TRUE);
	}
}

void sim_perf_text(const SimPerf *p, GString *out)
{
	bool any = false;

	for (int i = 0; i < p->nmodels; i++) {
		text_model(p, &p->models[i], out);
		any = any || !p->models[i].why;
	}
	if (any)
		text_summary(p, out);
	text_race_rates(p, out);
}

/* ---- JSON --------------------------------------------------------------- */

static void json_run(const SimPerf *p, const SimPerfRun *r, GString *j)
{
	const SimDesResult *d = &r->r;

	g_string_append_printf(j, "        {\"cpus\": %d, \"widen\": %d, "
		"\"ops\": %" G_GUINT64_FORMAT ", \"simulated_ns\": %"
		G_GUINT64_FORMAT ", \"events\": %" G_GUINT64_FORMAT
		", \"throughput\": %.17g, \"mean_ns\": %.17g, "
		"\"lock_wait_share\": %.17g, \"stalled\": %s,\n         "
		"\"latency\": [", r->cpus, r->widen, d->ops, d->sim_ns,
		d->events, d->throughput, sim_perf_mean_ns(d), wait_share(d),
		d->stalled ? "true" : "false");
	for (int k = 0; k < d->nopstats; k++) {
		const SimDesOpStat *o = &d->opstats[k];
		g_string_append_printf(j, "%s{\"op\": ", k ? ", " : "");
		sim_json_string(j, o->name);
		g_string_append_printf(j, ", \"background\": %s, \"count\": %"
			G_GUINT64_FORMAT ", \"mean_ns\": %.17g, \"p50_ns\": %"
			G_GUINT64_FORMAT ", \"p99_ns\": %" G_GUINT64_FORMAT
			", \"p999_ns\": %" G_GUINT64_FORMAT ", \"max_ns\": %"
			G_GUINT64_FORMAT "}", o->background ? "true" : "false",
			o->count, o->mean_ns, o->p50_ns, o->p99_ns, o->p999_ns,
			o->max_ns);
	}
	g_string_append(j, "],\n         \"locks\": [");
	for (int k = 0; k < d->nlocks; k++) {
		const SimDesLockStat *l = &d->locks[k];
		g_string_append_printf(j, "%s{\"class\": ", k ? ", " : "");
		sim_json_string(j, l->name);
		g_string_append_printf(j, ", \"acquisitions\": %"
			G_GUINT64_FORMAT ", \"contended\": %" G_GUINT64_FORMAT
			", \"wait_ns\": %" G_GUINT64_FORMAT ", \"wait_max_ns\": %"
			G_GUINT64_FORMAT ", \"hold_ns\": %" G_GUINT64_FORMAT "}",
			l->acquisitions, l->contended, l->wait_ns,
			l->wait_max_ns, l->hold_ns);
	}
	g_string_append_printf(j, "],\n         \"violations\": {\"count\": %"
		G_GUINT64_FORMAT ", \"per_million_ops\": %.17g, "
		"\"properties\": {", races(p, d), per_mop(races(p, d), d->ops));
	for (int k = 0; k < d->nviolations; k++) {
		const SimDesViolation *v = &d->violations[k];
		g_string_append_printf(j, "%s\"%s\": {\"count\": %"
			G_GUINT64_FORMAT ", \"time_ns\": %" G_GUINT64_FORMAT
			", \"message\": ", k ? ", " : "", sim_prop_name(v->prop),
			v->count, v->first_ns);
		sim_json_lines(j, v->msg);
		g_string_append(j, ", \"trace\": [");
		for (int s = 0; s < v->ntrace; s++) {
			const SimDesTraceStep *st = &v->trace[s];
			g_string_append_printf(j, "%s{\"time_ns\": %"
				G_GUINT64_FORMAT ", \"thread\": %d, \"op\": ",
				s ? ", " : "", st->t_ns, st->tid);
			if (st->op)
				sim_json_string(j, st->op);
			else
				g_string_append(j, "null");
			g_string_append(j, ", \"primitive\": ");
			sim_json_string(j, st->prim);
			g_string_append(j, ", \"file\": ");
			sim_json_string(j, st->file);
			g_string_append_printf(j, ", \"line\": %d}", st->line);
		}
		g_string_append(j, "]}");
	}
	g_string_append(j, "}}}");
}

static void json_model(const SimPerf *p, const SimPerfModel *m, GString *j)
{
	g_string_append(j, "    {\"model\": ");
	sim_json_string(j, m->name);
	if (m->why) {
		g_string_append(j, ", \"applicable\": false, \"why\": ");
		sim_json_string(j, m->why);
		g_string_append_c(j, '}');
		return;
	}
	g_string_append_printf(j, ", \"applicable\": true, \"nolock_ns\": "
			       "%.17g, \"usl\": ", m->nolock_ns);
	if (m->usl_ok)
		g_string_append_printf(j, "{\"lambda\": %.17g, \"sigma\": "
			"%.17g, \"kappa\": %.17g, \"r2\": %.17g, \"peak\": "
			"%.17g}", m->usl.lambda, m->usl.sigma, m->usl.kappa,
			m->usl.r2, m->usl.peak);
	else
		g_string_append(j, "null");
	g_string_append(j, ",\n      \"runs\": [\n");
	for (int i = 0; i < m->nruns; i++) {
		json_run(p, &m->runs[i], j);
		g_string_append(j, i + 1 < m->nruns ? ",\n" : "\n");
	}
	g_string_append(j, "      ]}");
}

void sim_perf_json(const SimPerf *p, GString *j)
{
	g_string_append_printf(j, "{\n  \"faultline\": %d,\n  \"command\": "
			       "\"perf\",\n  \"scenario\": ", SIM_JSON_VERSION);
	sim_json_string(j, p->scenario);
	g_string_append(j, ",\n  \"workload\": ");
	sim_json_string(j, p->scn->name);
	g_string_append(j, ",\n  \"costs\": ");
	sim_json_string(j, p->costs);
	g_string_append_printf(j, ",\n  \"seed\": %" G_GUINT64_FORMAT
			       ",\n  \"cpus\": [", p->seed);
	for (int i = 0; i < p->ncpus; i++)
		g_string_append_printf(j, "%s%d", i ? ", " : "", p->cpus[i]);
	g_string_append(j, "],\n  \"widen\": [");
	for (int i = 0; i < p->nwiden; i++)
		g_string_append_printf(j, "%s%d", i ? ", " : "", p->widen[i]);
	g_string_append(j, "],\n  \"models\": [\n");
	for (int i = 0; i < p->nmodels; i++) {
		json_model(p, &p->models[i], j);
		g_string_append(j, i + 1 < p->nmodels ? ",\n" : "\n");
	}
	g_string_append(j, "  ]\n}\n");
}

/* ---- CSV ---------------------------------------------------------------- */

void sim_perf_csv(const SimPerf *p, GString *c)
{
	g_string_append(c, "model,cpus,widen,kind,name,count,throughput,"
			"mean_ns,p50_ns,p99_ns,p999_ns,contended,wait_ns,"
			"wait_max_ns,hold_ns,per_million_ops\n");
	for (int i = 0; i < p->nmodels; i++) {
		const SimPerfModel *m = &p->models[i];
		for (int k = 0; k < m->nruns; k++) {
			const SimPerfRun *r = &m->runs[k];
			const SimDesResult *d = &r->r;
			const char *pre = m->name;
			g_string_append_printf(c, "%s,%d,%d,run,,%" G_GUINT64_FORMAT
				",%.6g,%.6g,,,,,,,,%.6g\n", pre, r->cpus, r->widen,
				d->ops, d->throughput, sim_perf_mean_ns(d),
				per_mop(races(p, d), d->ops));
			for (int o = 0; o < d->nopstats; o++) {
				const SimDesOpStat *s = &d->opstats[o];
				g_string_append_printf(c, "%s,%d,%d,op,%s,%"
					G_GUINT64_FORMAT ",,%.6g,%" G_GUINT64_FORMAT
					",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
					",,,,,\n", pre, r->cpus, r->widen, s->name,
					s->count, s->mean_ns, s->p50_ns, s->p99_ns,
					s->p999_ns);
			}
			for (int l = 0; l < d->nlocks; l++) {
				const SimDesLockStat *s = &d->locks[l];
				g_string_append_printf(c, "%s,%d,%d,lock,%s,%"
					G_GUINT64_FORMAT ",,,,,,%" G_GUINT64_FORMAT
					",%" G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT
					",%" G_GUINT64_FORMAT ",\n", pre, r->cpus,
					r->widen, s->name, s->acquisitions,
					s->contended, s->wait_ns, s->wait_max_ns,
					s->hold_ns);
			}
		}
	}
}

/* ---- race rates (perf --races) ------------------------------------------ */

/* Properties a timed run cannot see (des.h): they need the lock graph
 * over every interleaving, or the whole state space. */
#define UNTIMED ((SimPropSet)(1u << SIM_PROP_LOCK_ORDER | \
			      1u << SIM_PROP_WAIT_ORDER | \
			      1u << SIM_PROP_LIVELOCK))

static void race_row(Table *t, const SimRaceCell *c, int prop)
{
	bool untimed = UNTIMED >> prop & 1;

	cellf(t, "%s", c->race);
	cellf(t, "%s", c->model);
	cellf(t, "%s", sim_prop_name((SimProp)prop));
	cellf(t, "%s", c->found >> prop & 1 ? "found" :
	      c->complete ? "CLEAN" : "-");
	/* no op completed: every episode ended before one returned */
	for (int w = 0; w < c->nwiden; w++)
		if (untimed || !c->ops[w])
			cellf(t, "-");
		else
			cellf(t, "%.1f", per_mop(c->count[w][prop], c->ops[w]));
	for (int w = 0; w < c->nwiden; w++)
		if (untimed)
			cellf(t, "-");
		else
			cellf(t, "%" G_GUINT64_FORMAT, c->count[w][prop]);
	cellf(t, "%" G_GUINT64_FORMAT, c->episodes[0]);
	cellf(t, "%.1f", c->episodes[0] ?
	      (double)c->ops[0] / (double)c->episodes[0] : 0);
}

int sim_perf_races_text(const SimRaceCell *cells, int n, const int *widen,
			int nwiden, GString *out)
{
	Table t = table_new(6 + 2 * nwiden);
	int clean = 0, clean_raced = 0, racing = 0;

	cellf(&t, "race");
	cellf(&t, "model");
	cellf(&t, "property");
	cellf(&t, "explore");
	for (int w = 0; w < nwiden; w++)
		cellf(&t, "races/Mop @%d", widen[w]);
	for (int w = 0; w < nwiden; w++)
		cellf(&t, "races @%d", widen[w]);
	cellf(&t, "episodes");
	cellf(&t, "ops/episode");
	for (int i = 0; i < n; i++) {
		const SimRaceCell *c = &cells[i];
		SimPropSet timed = 0;
		for (int w = 0; w < c->nwiden; w++)
			for (int p = 0; p < SIM_PROP_COUNT; p++)
				timed |= (SimPropSet)(c->count[w][p] != 0) << p;
		timed &= c->check;
		racing += c->found != 0;
		if (!c->found && c->complete) {
			clean++;
			clean_raced += timed != 0;
		}
		for (int p = 0; p < SIM_PROP_COUNT; p++)
			if ((c->found | timed) >> p & 1)
				race_row(&t, c, p);
	}
	table_print(&t, "", out);
	g_string_append_printf(out, "%d racing cells (explore); %d CLEAN "
			       "cells, %d of them raced under timing\n"
			       "races @F: episodes a property ended (the first "
			       "the race tripped); -: no op completed, or a "
			       "property timed runs cannot see (lock-order, "
			       "wait-order, livelock)\n",
			       racing, clean, clean_raced);
	return clean_raced;
}
