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
	}
	g_array_free(t->steps, TRUE);
	g_free(t->end_note);
	g_free(t->lockdep);
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

/* Lines of S as a JSON array of strings. */
static void json_lines(GString *out, const char *s)
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
	[SIM_END_STOPPED] = "stopped",
};

void sim_trace_json(const SimTrace *t, const char *command, GString *out)
{
	char *sched = sim_trace_schedule(t);

	g_string_append_printf(out, "{\"faultline\": %d, \"command\": ",
			       SIM_JSON_VERSION);
	sim_json_string(out, command);
	g_string_append(out, ", \"scenario\": ");
	sim_json_string(out, t->prog->scn->name);
	g_string_append(out, ", \"model\": ");
	sim_json_string(out, t->prog->model->name);
	g_string_append(out, ", \"schedule\": [");
	g_string_append(out, sched);
	g_string_append(out, "], \"end\": ");
	sim_json_string(out, end_names[t->end]);
	g_string_append(out, ", \"end_note\": ");
	sim_json_string(out, t->end_note ? t->end_note : "");
	g_string_append(out, ", \"properties\": [");
	for (int p = 0, n = 0; p < SIM_PROP_COUNT; p++) {
		if (!(t->found >> p & 1))
			continue;
		g_string_append(out, n++ ? ", " : "");
		sim_json_string(out, sim_prop_name(p));
	}
	g_string_append(out, "],\n \"steps\": [");
	for (guint i = 0; i < t->steps->len; i++) {
		const SimTraceStep *st = &g_array_index(t->steps,
							SimTraceStep, i);
		g_string_append_printf(out, "%s\n  {\"step\": %d, \"thread\": "
				       "%d, \"line\": %d, \"text\": ",
				       i ? "," : "", st->step, st->tid,
				       st->line);
		json_lines(out, st->text);
		g_string_append(out, ", \"violations\": ");
		json_lines(out, st->msg);
		g_string_append_c(out, '}');
	}
	g_string_append(out, "],\n \"lock_order\": ");
	json_lines(out, t->lockdep);
	g_string_append(out, "}\n");
	g_free(sched);
}

void sim_trace_trail(const SimTrace *t, GString *out)
{
	g_string_append_printf(out, "faultline-trail 1\nscenario %s\nmodel %s\n"
			       "steps %u\n", t->prog->scn->file,
			       t->prog->model->name, t->steps->len);
	for (guint i = 0; i < t->steps->len; i++) {
		const SimTraceStep *st = &g_array_index(t->steps,
							SimTraceStep, i);
		g_string_append_printf(out, "T%d %d:%d %s\n", st->tid,
				       st->line, st->col,
				       sim_prims[st->prim].name);
	}
}
