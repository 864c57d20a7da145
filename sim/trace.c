/*
 * trace.c - render a recorded run: column diagram, JSON, trail.
 */
#include <string.h>
#include "trace.h"

#define COL_MIN 30
#define COL_MAX 44

SimTrace *sim_trace_new(const SimProgram *p)
{
	SimTrace *t = g_new0(SimTrace, 1);

	t->prog = p;
	t->steps = g_array_new(FALSE, TRUE, sizeof(SimTraceStep));
	t->cycle_from = -1;
	return t;
}

void sim_trace_free(SimTrace *t)
{
	if (!t)
		return;
	for (guint i = 0; i < t->steps->len; i++) {
		SimTraceStep *s = &g_array_index(t->steps, SimTraceStep, i);
		g_free(s->text);
		g_free(s->msg);
		g_free(s->locks);
	}
	g_array_free(t->steps, TRUE);
	g_free(t->end_note);
	g_free(t->order[0]);
	g_free(t->order[1]);
	g_free(t);
}

char *sim_trace_schedule(const SimTrace *t)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < t->steps->len; i++)
		g_string_append_printf(s, "%s%d", i ? "," : "",
			g_array_index(t->steps, SimTraceStep, i).tid);
	return g_string_free(s, FALSE);
}

void sim_props_format(GString *out, SimPropSet set)
{
	bool any = false;

	for (int p = 0; p < SIM_PROP_COUNT; p++) {
		if (!(set >> p & 1))
			continue;
		g_string_append_printf(out, "%s%s", any ? " " : "",
				       sim_prop_name(p));
		any = true;
	}
	if (!any)
		g_string_append(out, "none");
}

/* Column width: the longest line any thread prints, within bounds. */
static int column_width(const SimTrace *t)
{
	int w = COL_MIN;

	for (guint i = 0; i < t->steps->len; i++) {
		const char *p = g_array_index(t->steps, SimTraceStep, i).text;
		while (*p) {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);
			if (len + 2 > w)
				w = len + 2;
			p += len + (nl ? 1 : 0);
		}
	}
	return w > COL_MAX ? COL_MAX : w;
}

static void pad_to(GString *out, gsize start, int col)
{
	while (out->len - start < (gsize)col)
		g_string_append_c(out, ' ');
}

static void diagram_header(const SimTrace *t, int width, GString *out)
{
	const SimScenario *s = t->prog->scn;
	gsize start = out->len;

	g_string_append(out, "      ");
	for (int i = 0; i < s->nthreads; i++) {
		gsize col = out->len;
		g_string_append_printf(out, "%s (%s)", s->threads[i].name,
				       s->procnames[s->threads[i].proc]);
		if (i + 1 < s->nthreads)
			pad_to(out, col, width);
	}
	g_string_append_c(out, '\n');
	start = out->len;
	g_string_append(out, "      ");
	for (int i = 0; i < s->nthreads; i++) {
		for (int k = 0; k < width - 2; k++)
			g_string_append_c(out, '-');
		if (i + 1 < s->nthreads)
			g_string_append(out, "  ");
	}
	(void)start;
	g_string_append_c(out, '\n');
}

void sim_trace_diagram(const SimTrace *t, GString *out)
{
	int width = column_width(t);

	diagram_header(t, width, out);
	for (guint i = 0; i < t->steps->len; i++) {
		const SimTraceStep *st = &g_array_index(t->steps,
							SimTraceStep, i);
		const char *p = st->text;
		bool first = true;
		if ((int)i == t->cycle_from)
			g_string_append_printf(out, "      -- cycle: steps %d-%u "
					       "repeat forever --\n", st->step,
					       t->steps->len);
		while (*p) {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);
			gsize row = out->len;
			if (first)
				g_string_append_printf(out, "%4d  ", st->step);
			else
				g_string_append(out, "      ");
			pad_to(out, row, 6 + st->tid * width);
			g_string_append_len(out, p, len);
			g_string_append_c(out, '\n');
			p += len + (nl ? 1 : 0);
			first = false;
		}
		for (p = st->msg; p && *p;) {
			const char *nl = strchr(p, '\n');
			int len = nl ? (int)(nl - p) : (int)strlen(p);
			g_string_append(out, "  !! ");
			g_string_append_len(out, p, len);
			g_string_append_c(out, '\n');
			p += len + (nl ? 1 : 0);
		}
	}
}

void sim_json_string(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			g_string_append_printf(out, "\\%c", ch);
		else if (ch == '\n')
			g_string_append(out, "\\n");
		else if (ch < 0x20)
			g_string_append_printf(out, "\\u%04x", ch);
		else
			g_string_append_c(out, (char)ch);
	}
	g_string_append_c(out, '"');
}

void sim_json_props(GString *out, SimPropSet set)
{
	g_string_append_c(out, '[');
	for (int p = 0, n = 0; p < SIM_PROP_COUNT; p++) {
		if (!(set >> p & 1))
			continue;
		g_string_append(out, n++ ? ", " : "");
		sim_json_string(out, sim_prop_name(p));
	}
	g_string_append_c(out, ']');
}

void sim_json_lines(GString *out, const char *s)
{
	bool first = true;

	g_string_append_c(out, '[');
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		int len = nl ? (int)(nl - s) : (int)strlen(s);
		char *line = g_strndup(s, (gsize)len);
		if (!first)
			g_string_append(out, ", ");
		sim_json_string(out, line);
		g_free(line);
		s += len + (nl ? 1 : 0);
		first = false;
	}
	g_string_append_c(out, ']');
}

static const char *const end_names[] = {
	[SIM_END_DONE] = "done", [SIM_END_STUCK] = "stuck",
	[SIM_END_IMPOSSIBLE] = "impossible",
	[SIM_END_MODEL_ERROR] = "model-error", [SIM_END_BOUND] = "bound",
	[SIM_END_STOPPED] = "stopped", [SIM_END_LIVELOCK] = "livelock",
};

/* The members of a run, shared by sim_trace_json and sim_trace_json_run. */
static void json_run_members(const SimTrace *t, GString *out)
{
	char *sched = sim_trace_schedule(t);
	GString *diagram = g_string_new(NULL);

	g_string_append(out, "\"schedule\": [");
	g_string_append(out, sched);
	g_string_append(out, "], \"end\": ");
	sim_json_string(out, end_names[t->end]);
	if (t->cycle_from >= 0)
		g_string_append_printf(out, ", \"cycle_from\": %d",
				       t->cycle_from);
	g_string_append(out, ", \"end_note\": ");
	sim_json_string(out, t->end_note ? t->end_note : "");
	g_string_append(out, ", \"properties\": ");
	sim_json_props(out, t->found);
	g_string_append(out, ",\n \"steps\": [");
	for (guint i = 0; i < t->steps->len; i++) {
		const SimTraceStep *st = &g_array_index(t->steps,
							SimTraceStep, i);
		g_string_append_printf(out, "%s\n  {\"step\": %d, \"thread\": "
				       "%d, \"file\": ", i ? "," : "",
				       st->step, st->tid);
		sim_json_string(out, st->file);
		g_string_append_printf(out, ", \"line\": %d, \"col\": %d, "
				       "\"text\": ", st->line, st->col);
		sim_json_lines(out, st->text);
		g_string_append(out, ", \"violations\": ");
		sim_json_lines(out, st->msg);
		g_string_append(out, ", \"locks\": ");
		sim_json_lines(out, st->locks);
		g_string_append_c(out, '}');
	}
	g_string_append(out, "],\n \"lock_order\": ");
	sim_json_lines(out, t->order[0]);
	g_string_append(out, ",\n \"wait_order\": ");
	sim_json_lines(out, t->order[1]);
	sim_trace_diagram(t, diagram);
	g_string_append(out, ",\n \"diagram\": ");
	sim_json_lines(out, diagram->str);
	g_string_free(diagram, TRUE);
	g_free(sched);
}

void sim_trace_json(const SimTrace *t, const char *command, GString *out)
{
	g_string_append_printf(out, "{\"faultline\": %d, \"command\": ",
			       SIM_JSON_VERSION);
	sim_json_string(out, command);
	g_string_append(out, ", \"scenario\": ");
	sim_json_string(out, t->prog->scn->name);
	g_string_append(out, ", \"model\": ");
	sim_json_string(out, t->prog->model->name);
	g_string_append(out, ", ");
	json_run_members(t, out);
	g_string_append(out, "}\n");
}

void sim_trace_json_run(const SimTrace *t, GString *out)
{
	g_string_append_c(out, '{');
	json_run_members(t, out);
	g_string_append_c(out, '}');
}

void sim_trace_trail(const SimTrace *t, GString *out)
{
	g_string_append_printf(out, "faultline-trail 1\nscenario %s\nmodel %s\n"
			       "steps %u", t->prog->scn->file,
			       t->prog->model->name, t->steps->len);
	if (t->cycle_from >= 0)
		g_string_append_printf(out, " cycle %d", t->cycle_from);
	g_string_append_c(out, '\n');
	for (guint i = 0; i < t->steps->len; i++) {
		const SimTraceStep *st = &g_array_index(t->steps,
							SimTraceStep, i);
		g_string_append_printf(out, "T%d %d:%d %s\n", st->tid,
				       st->line, st->col,
				       sim_prims[st->prim].name);
	}
}

/* ---- reading a trail back --------------------------------------------- */

void sim_trail_clear(SimTrail *t)
{
	g_free(t->scenario);
	g_free(t->model);
	if (t->steps)
		g_array_free(t->steps, TRUE);
	if (t->lines)
		g_array_free(t->lines, TRUE);
	memset(t, 0, sizeof(*t));
}

static gboolean trail_error(GError **error, const char *origin, int line,
			    const char *what)
{
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%d:1: %s",
		    origin, line, what);
	return FALSE;
}

/* A decimal number in [0, max] at *s, advancing *s; false otherwise.
 * (sscanf's %d has undefined behaviour on overflow.) */
static bool read_uint(const char **s, long max, long *out)
{
	const char *p = *s;
	long v = 0;

	if (!g_ascii_isdigit(*p))
		return false;
	while (g_ascii_isdigit(*p)) {
		v = v * 10 + (*p++ - '0');
		if (v > max)
			return false;
	}
	*s = p;
	*out = v;
	return true;
}

/* "T<tid> <line>:<col> <primitive>" */
static bool parse_step(const char *s, SimTraceStep *st)
{
	long tid, line, col;
	int p;

	if (*s++ != 'T' || !read_uint(&s, SIM_THREADS_MAX - 1, &tid) ||
	    *s++ != ' ' || !read_uint(&s, 65535, &line) || *s++ != ':' ||
	    !read_uint(&s, 65535, &col) || *s++ != ' ' ||
	    (p = sim_prim_lookup(s)) < 0)
		return false;
	st->tid = (int)tid;
	st->line = (uint16_t)line;
	st->col = (uint16_t)col;
	st->prim = (uint8_t)p;
	return true;
}

static gboolean trail_header(char **lines, int n, const char *origin,
			     SimTrail *t, long *nsteps, GError **error)
{
	const char *p;

	if (n < 4 || strcmp(lines[0], "faultline-trail 1") != 0)
		return trail_error(error, origin, 1, "not a faultline trail "
				   "(expected 'faultline-trail 1')");
	if (!g_str_has_prefix(lines[1], "scenario ") || !lines[1][9])
		return trail_error(error, origin, 2, "expected 'scenario PATH'");
	if (!g_str_has_prefix(lines[2], "model ") || !lines[2][6])
		return trail_error(error, origin, 3, "expected 'model NAME'");
	p = lines[3] + 6;
	long from = -1;
	if (!g_str_has_prefix(lines[3], "steps ") ||
	    !read_uint(&p, SIM_STEPS_MAX, nsteps) ||
	    (g_str_has_prefix(p, " cycle ") && (p += 7, true) &&
	     (!read_uint(&p, *nsteps - 1, &from))) || *p)
		return trail_error(error, origin, 4, "expected 'steps N' with "
				   "N at most SIM_STEPS_MAX, or 'steps N cycle "
				   "K' with K < N");
	t->cycle_from = (int)from;
	t->scenario = g_strdup(lines[1] + 9);
	t->model = g_strdup(lines[2] + 6);
	return TRUE;
}

gboolean sim_trail_parse(const char *text, const char *origin, SimTrail *out,
			 GError **error)
{
	char **lines = g_strsplit(text, "\n", -1);
	int n = (int)g_strv_length(lines);
	long nsteps = 0;
	gboolean ok = FALSE;

	memset(out, 0, sizeof(*out));
	out->steps = g_array_new(FALSE, TRUE, sizeof(SimTraceStep));
	out->lines = g_array_new(FALSE, TRUE, sizeof(int));
	if (!trail_header(lines, n, origin, out, &nsteps, error))
		goto out;
	for (int i = 4; i < n; i++) {
		SimTraceStep st = { 0 };
		int ln = i + 1;
		if (lines[i][0] == '\0' && i == n - 1)
			break;
		if (!parse_step(lines[i], &st)) {
			trail_error(error, origin, ln, "malformed step "
				    "(expected 'T<n> <line>:<col> <primitive>')");
			goto out;
		}
		g_array_append_val(out->steps, st);
		g_array_append_val(out->lines, ln);
	}
	if ((long)out->steps->len != nsteps) {
		trail_error(error, origin, 4, "step count does not match the "
			    "steps listed");
		goto out;
	}
	ok = TRUE;
out:
	g_strfreev(lines);
	if (!ok)
		sim_trail_clear(out);
	return ok;
}
