/*
 * cmd_merge.c - `faultline merge`: the documents that parts of one job
 * wrote on other machines, made one.
 *
 *   matrix shards   (`matrix --shard I/N --json F`, each I of one N once):
 *                   the matrix document one `matrix --json` run writes,
 *                   byte for byte (each cell's text is copied as its
 *                   shard wrote it, in the single run's order), and the
 *                   table matrix prints, with matrix's exit status.
 *   swarm members   (`explore --swarm I/N --json F`, each I of one N once):
 *                   per model, a property any member found is found,
 *                   with the cheapest counterexample among the members
 *                   (fewest preemptions, then steps, then the lowest
 *                   member); never only when some member covered the
 *                   whole space, else incomplete: a swarm is incomplete
 *                   by design, its members each bounded.  Each member's
 *                   figures are kept and printed.
 *
 * Shards of different inputs (scenarios or models differ), of different
 * N, a shard given twice, one missing, or a cell that is not where the
 * partition (cli.h, SIM_SHARD_OWNS) puts it: bad input, exit 2, with
 * FILE:LINE:COL where there is a place to point at.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "input.h"
#include "json.h"

/* One input document. */
typedef struct {
	const char *path;
	char *text;
	SimJson *doc;
	guint i, n;             /* matrix: shard I of N */
} Part;

static gboolean bad(GError **error, const Part *p, const SimJson *at,
		    const char *fmt, ...) G_GNUC_PRINTF(4, 5);

/* ERROR as "PATH:LINE:COL: message" at AT (NULL: the document). */
static gboolean bad(GError **error, const Part *p, const SimJson *at,
		    const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	at = at ? at : p->doc;
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s:%d:%d: %s",
		    p->path, at ? at->line : 1, at ? at->col : 1, msg);
	g_free(msg);
	return FALSE;
}

/* Read and parse P->path; a faultline document of this version. */
static gboolean part_read(Part *p, GError **error)
{
	gsize len;
	const SimJson *v;

	p->text = sim_input_read(p->path, FALSE, &len, error);
	if (!p->text)
		return FALSE;
	p->doc = sim_json_read(p->text, len, p->path, error);
	if (!p->doc)
		return FALSE;
	v = sim_json_member(p->doc, "faultline");
	if (!v || v->kind != SIM_JSON_NUMBER || v->num != SIM_JSON_VERSION)
		return bad(error, p, v, "not a faultline document of version "
			   "%d", SIM_JSON_VERSION);
	return TRUE;
}

static const SimJson *array_of(const Part *p, const char *key,
			       GError **error)
{
	const SimJson *v = sim_json_member(p->doc, key);

	if (!v || v->kind != SIM_JSON_ARRAY)
		bad(error, p, v, "\"%s\" must be an array", key);
	return v && v->kind == SIM_JSON_ARRAY ? v : NULL;
}

static gboolean same_text(const SimJson *a, const SimJson *b)
{
	return a && b && a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* ---- matrix shards ---------------------------------------------------- */

/* P's shard I/N (a whole run is 1/1), checked against the first part's. */
static gboolean shard_of(Part *p, const Part *first, GError **error)
{
	const SimJson *v = sim_json_member(p->doc, "shard");

	p->i = p->n = 1;
	if (v && (v->kind != SIM_JSON_STRING ||
		  !sim_cli_shard_parse(v->str, &p->i, &p->n)))
		return bad(error, p, v, "\"shard\" must be \"I/N\", 1 <= I <= "
			   "N <= %d", SIM_SHARDS_MAX);
	if (p == first)
		return TRUE;
	if (p->n != first->n)
		return bad(error, p, v, "shard %u/%u, but %s is one of %u: "
			   "shards of different runs", p->i, p->n, first->path,
			   first->n);
	const char *keys[] = { "scenarios", "models" };
	for (int k = 0; k < 2; k++) {
		const SimJson *a = sim_json_member(first->doc, keys[k]),
			      *b = sim_json_member(p->doc, keys[k]);
		if (!same_text(a, b))
			return bad(error, p, b, "its %s differ from %s's: "
				   "shards of different inputs", keys[k],
				   first->path);
	}
	return TRUE;
}

/* Every item of LIST an object with a string "name" (and, with
 * SCENARIO_KEY, string "race" and "summary": what the table prints). */
static gboolean named(const Part *p, const SimJson *list,
		      const char *scenario_key, GError **error)
{
	for (guint i = 0; i < list->items->len; i++) {
		const SimJson *v = list->items->pdata[i];
		if (!sim_json_string_of(v, "name") ||
		    (scenario_key && (!sim_json_string_of(v, "race") ||
				      !sim_json_string_of(v, "summary"))))
			return bad(error, p, v, "an entry without its "
				   "\"name\"%s", scenario_key ?
				   ", \"race\" and \"summary\"" : "");
	}
	return TRUE;
}

/* The table from the merged cells. */
static void merged_table(const SimJson *scns, const SimJson *models,
			 const SimJson **cells)
{
	guint ns = scns->items->len, nm = models->items->len;
	SimMatrixText t;

	sim_cli_matrix_text_init(&t, ns, nm);

	for (guint i = 0; i < ns; i++) {
		const SimJson *s = scns->items->pdata[i];
		const char *race = sim_json_string_of(s, "race");
		t.name[i] = sim_json_string_of(s, "name");
		t.label[i] = race && *race ? race : t.name[i];
		t.summary[i] = sim_json_string_of(s, "summary");
	}
	for (guint m = 0; m < nm; m++)
		t.row[m] = sim_json_string_of(models->items->pdata[m], "name");
	for (guint k = 0; k < ns * nm; k++) {
		const SimJson *props = sim_json_member(cells[k], "properties");
		const SimJson *match = sim_json_member(cells[k], "match");
		SimPropSet found = 0;
		for (guint i = 0; props && i < props->items->len; i++)
			for (int p = 0; p < SIM_PROP_COUNT; p++)
				if (strcmp(((SimJson *)props->items->pdata[i])
					   ->str, sim_prop_name(p)) == 0)
					found |= (SimPropSet)(1u << p);
		sim_cli_matrix_cell(t.cell[k], SIM_MATRIX_CELL_MAX,
				    sim_json_string_of(cells[k], "verdict"),
				    found, match && match->kind ==
				    SIM_JSON_BOOL && !match->b);
	}
	sim_cli_matrix_table(&t);
	sim_cli_matrix_text_clear(&t);
}

/* Whether CELL is the matrix cell K of SCNS x MODELS. */
static gboolean cell_is(const SimJson *cell, guint k, const SimJson *scns,
			const SimJson *models)
{
	guint nm = models->items->len;
	const char *s = sim_json_string_of(cell, "scenario");
	const char *m = sim_json_string_of(cell, "model");
	const char *want_s = sim_json_string_of(scns->items->pdata[k / nm],
						"name");
	const char *want_m = sim_json_string_of(models->items->pdata[k % nm],
						"name");

	return s && m && want_s && want_m && strcmp(s, want_s) == 0 &&
	       strcmp(m, want_m) == 0 &&
	       sim_json_string_of(cell, "verdict") &&
	       sim_json_member(cell, "properties") &&
	       sim_json_member(cell, "properties")->kind == SIM_JSON_ARRAY;
}

static int merge_matrix(Part *parts, int nparts, const char *json)
{
	GError *error = NULL;
	const Part **by_index = NULL;
	const SimJson *scns = NULL, *models = NULL, **cells = NULL;
	guint n = 0;
	int rc = SIM_EXIT_OK;

	for (int p = 0; p < nparts && !error; p++)
		shard_of(&parts[p], &parts[0], &error);
	if (!error && (scns = array_of(&parts[0], "scenarios", &error)))
		models = array_of(&parts[0], "models", &error);
	if (models)
		named(&parts[0], scns, "race", &error);
	if (models && !error)
		named(&parts[0], models, NULL, &error);
	if (error)
		return sim_cli_fail(error);
	by_index = g_new0(const Part *, parts[0].n);
	n = scns->items->len * models->items->len;
	cells = g_new0(const SimJson *, n);
	for (int p = 0; p < nparts && !error; p++) {
		Part *part = &parts[p];
		const SimJson *list = array_of(part, "cells", &error);
		guint c = 0;
		if (!list)
			break;
		if (by_index[part->i - 1])
			bad(&error, part, sim_json_member(part->doc, "shard"),
			    "shard %u/%u again (%s is it too)", part->i,
			    part->n, by_index[part->i - 1]->path);
		by_index[part->i - 1] = part;
		for (guint k = part->i - 1; !error && k < n; k += part->n) {
			const SimJson *cell = c < list->items->len ?
					      list->items->pdata[c] : NULL;
			if (!cell || !cell_is(cell, k, scns, models))
				bad(&error, part, cell ? cell : list,
				    "cell %u of shard %u/%u should be %s x %s",
				    c + 1, part->i, part->n,
				    sim_json_string_of(scns->items->pdata[
					k / models->items->len], "name"),
				    sim_json_string_of(models->items->pdata[
					k % models->items->len], "name"));
			cells[k] = cell;
			c++;
		}
		if (!error && c < list->items->len)
			bad(&error, part, list->items->pdata[c], "shard %u/%u "
			    "has %u cells, not %u", part->i, part->n,
			    list->items->len, c);
	}
	for (guint i = 0; !error && i < parts[0].n; i++)
		if (!by_index[i])
			rc = sim_cli_usage("merge", "shard %u/%u is missing",
					   i + 1, parts[0].n);
	if (error)
		rc = sim_cli_fail(error);
	if (rc) {
		g_free(by_index);
		g_free(cells);
		return rc;
	}
	char **texts = g_new(char *, n);
	for (guint k = 0; k < n; k++) {
		const SimJson *bound = sim_json_member(cells[k], "bound");
		const SimJson *match = sim_json_member(cells[k], "match");
		texts[k] = g_strndup(cells[k]->text, cells[k]->len);
		if (match && match->kind == SIM_JSON_BOOL && !match->b)
			rc = MAX(rc, SIM_EXIT_VIOLATION);
		/* as the run interrupted would have said */
		if (bound && bound->str && strcmp(bound->str, "interrupted") == 0)
			rc = SIM_EXIT_INCOMPLETE;
	}
	GString *out = g_string_new(NULL);
	char *st = g_strndup(scns->text, scns->len);
	char *mt = g_strndup(models->text, models->len);
	sim_cli_matrix_json(out, NULL, st, mt, texts, n);
	merged_table(scns, models, cells);
	if (json && !sim_cli_write_file(json, out->str, &error))
		rc = sim_cli_fail(error);
	for (guint k = 0; k < n; k++)
		g_free(texts[k]);
	g_free(texts);
	g_free(st);
	g_free(mt);
	g_string_free(out, TRUE);
	g_free(by_index);
	g_free(cells);
	return rc;
}

/* ---- swarm members ---------------------------------------------------- */

/* What the members must share: the scenario, the models and how each
 * was searched; only "swarm" and the results may differ. */
static gboolean member_of(Part *p, const Part *first, GError **error)
{
	const SimJson *v = sim_json_member(p->doc, "swarm");
	const SimJson *models = sim_json_member(p->doc, "models");

	if (!v || v->kind != SIM_JSON_STRING ||
	    !sim_cli_shard_parse(v->str, &p->i, &p->n))
		return bad(error, p, v, "not a swarm member: \"swarm\" must "
			   "be \"I/N\", 1 <= I <= N <= %d (explore --swarm)",
			   SIM_SHARDS_MAX);
	if (!models || models->kind != SIM_JSON_ARRAY)
		return bad(error, p, models, "\"models\" must be an array");
	for (guint m = 0; m < models->items->len; m++) {
		const SimJson *e = models->items->pdata[m];
		const SimJson *props = sim_json_member(e, "properties");
		if (!sim_json_string_of(e, "model") ||
		    (!sim_json_member(e, "why") &&
		     (!props || props->kind != SIM_JSON_OBJECT)))
			return bad(error, p, e, "a model without its "
				   "\"model\" and \"properties\"");
	}
	if (p == first)
		return TRUE;
	if (p->n != first->n)
		return bad(error, p, v, "member %u/%u, but %s is one of %u: "
			   "members of different swarms", p->i, p->n,
			   first->path, first->n);
	const SimJson *a = sim_json_member(first->doc, "scenario"),
		      *b = sim_json_member(p->doc, "scenario");
	if (!same_text(a, b))
		return bad(error, p, b, "another scenario than %s's",
			   first->path);
	const SimJson *fm = sim_json_member(first->doc, "models");
	if (fm->items->len != models->items->len)
		return bad(error, p, models, "other models than %s's",
			   first->path);
	const char *same[] = { "model", "applicable", "search", "por" };
	for (guint m = 0; m < models->items->len; m++)
		for (int k = 0; k < 4; k++) {
			const SimJson *x = sim_json_member(
				fm->items->pdata[m], same[k]);
			const SimJson *y = sim_json_member(
				models->items->pdata[m], same[k]);
			if (!same_text(x, y) && (x || y))
				return bad(error, p, y ? y :
					   models->items->pdata[m],
					   "\"%s\" differs from %s's: members "
					   "of different searches", same[k],
					   first->path);
		}
	return TRUE;
}

static double number_of(const SimJson *obj, const char *key)
{
	const SimJson *v = sim_json_member(obj, key);

	return v && v->kind == SIM_JSON_NUMBER ? v->num : 0;
}

static gboolean is_true(const SimJson *obj, const char *key)
{
	const SimJson *v = sim_json_member(obj, key);

	return v && v->kind == SIM_JSON_BOOL && v->b;
}

/* Whether property entry A (a "sometimes") is a cheaper counterexample
 * than B (NULL: none yet): fewer preemptions, then fewer steps; the
 * earlier member on a tie (the caller goes in member order). */
static gboolean cheaper(const SimJson *a, const SimJson *b)
{
	if (!b)
		return TRUE;
	double pa = number_of(a, "preemptions"), pb = number_of(b, "preemptions");
	return pa < pb || (pa == pb && number_of(a, "steps") <
			   number_of(b, "steps"));
}

/* Model M across the members (BY_MEMBER, in member order): its lines
 * into OUT, its merged entry into J; the exit code. */
static int swarm_model(const Part **by_member, guint n, guint m,
		       GString *out, GString *j)
{
	const SimJson *e0 = sim_json_member(by_member[0]->doc, "models")
			    ->items->pdata[m];
	const char *name = sim_json_string_of(e0, "model");
	const SimJson *props0 = sim_json_member(e0, "properties");
	int complete_member = -1, rc = SIM_EXIT_OK;

	if (!props0) {          /* n/a: the same in every member */
		g_string_append_printf(out, "model %s: n/a: %s\n", name,
				       sim_json_string_of(e0, "why"));
		g_string_append_len(j, e0->text, e0->len);
		return rc;
	}
	g_string_append_printf(out, "model %s:\n", name);
	g_string_append(j, "    {\"model\": ");
	sim_json_string(j, name);
	g_string_append(j, ", \"members\": [");
	for (guint i = 0; i < n; i++) {
		const SimJson *e = sim_json_member(by_member[i]->doc, "models")
				   ->items->pdata[m];
		const char *bound = sim_json_string_of(e, "bound");
		gboolean complete = is_true(e, "complete");
		if (complete && complete_member < 0)
			complete_member = (int)i;
		g_string_append_printf(out, "  member %u/%u: %.0f states, %.0f "
				       "transitions, depth %.0f: ", i + 1, n,
				       number_of(e, "states"),
				       number_of(e, "transitions"),
				       number_of(e, "depth"));
		if (complete)
			g_string_append(out, "complete\n");
		else
			g_string_append_printf(out, "incomplete (%s)\n",
					       bound ? bound : "?");
		g_string_append_printf(j, "%s{\"member\": \"%u/%u\", "
				       "\"complete\": %s, \"bound\": ",
				       i ? ", " : "", i + 1, n,
				       complete ? "true" : "false");
		if (bound)
			sim_json_string(j, bound);
		else
			g_string_append(j, "null");
		g_string_append_printf(j, ", \"states\": %.0f, \"transitions\": "
				       "%.0f, \"depth\": %.0f}",
				       number_of(e, "states"),
				       number_of(e, "transitions"),
				       number_of(e, "depth"));
	}
	if (complete_member >= 0)
		g_string_append_printf(out, "  swarm: complete (member %d/%u "
				       "covered the whole space)\n",
				       complete_member + 1, n);
	else
		g_string_append(out, "  swarm: incomplete by design (no member "
				"covered the whole space)\n");
	g_string_append_printf(j, "], \"complete\": %s, \"properties\": {",
			       complete_member >= 0 ? "true" : "false");
	for (guint k = 0; k < props0->keys->len; k++) {
		const char *prop = props0->keys->pdata[k];
		const SimJson *best = NULL;
		guint from = 0;
		for (guint i = 0; i < n; i++) {
			const SimJson *e = sim_json_member(
				by_member[i]->doc, "models")->items->pdata[m];
			const SimJson *pv = sim_json_member(
				sim_json_member(e, "properties"), prop);
			const char *verdict = sim_json_string_of(pv, "verdict");
			if (verdict && strcmp(verdict, "sometimes") == 0 &&
			    cheaper(pv, best)) {
				best = pv;
				from = i;
			}
		}
		g_string_append(j, k ? ", " : "");
		sim_json_string(j, prop);
		g_string_append(j, ": ");
		if (best) {
			const SimJson *sched = sim_json_member(best, "schedule");
			g_string_append_len(j, best->text, best->len);
			g_string_append_printf(out, "  %s: sometimes", prop);
			if (sched && sched->kind == SIM_JSON_ARRAY) {
				double pre = number_of(best, "preemptions");
				g_string_append_printf(out, ": %.0f preemption"
					"%s, %.0f steps (member %u/%u), "
					"schedule ", pre, pre == 1 ? "" : "s",
					number_of(best, "steps"), from + 1, n);
				for (guint t = 0; t < sched->items->len; t++)
					g_string_append_printf(out, "%s%.0f",
						t ? "," : "", ((SimJson *)
						sched->items->pdata[t])->num);
			} else {
				g_string_append_printf(out, " (member %u/%u)",
						       from + 1, n);
			}
			g_string_append_c(out, '\n');
			rc = SIM_EXIT_VIOLATION;
		} else {
			const char *v = complete_member >= 0 ? "never" :
					"incomplete";
			g_string_append_printf(j, "{\"verdict\": \"%s\"}", v);
			g_string_append_printf(out, "  %s: %s\n", prop, v);
			if (complete_member < 0 && rc == SIM_EXIT_OK)
				rc = SIM_EXIT_INCOMPLETE;
		}
	}
	g_string_append(j, "}}");
	return rc;
}

static int merge_swarm(Part *parts, int nparts, const char *json)
{
	GError *error = NULL;
	const Part **by_member;
	int rc = SIM_EXIT_OK;

	for (int p = 0; p < nparts && !error; p++)
		member_of(&parts[p], &parts[0], &error);
	if (error)
		return sim_cli_fail(error);
	by_member = g_new0(const Part *, parts[0].n);
	for (int p = 0; p < nparts && !error; p++) {
		if (by_member[parts[p].i - 1])
			bad(&error, &parts[p], sim_json_member(parts[p].doc,
			    "swarm"), "member %u/%u again (%s is it too)",
			    parts[p].i, parts[p].n,
			    by_member[parts[p].i - 1]->path);
		by_member[parts[p].i - 1] = &parts[p];
	}
	for (guint i = 0; !error && !rc && i < parts[0].n; i++)
		if (!by_member[i])
			rc = sim_cli_usage("merge", "member %u/%u is missing",
					   i + 1, parts[0].n);
	if (error || rc) {
		g_free(by_member);
		return error ? sim_cli_fail(error) : rc;
	}
	const SimJson *scn = sim_json_member(parts[0].doc, "scenario");
	const SimJson *models = sim_json_member(parts[0].doc, "models");
	GString *out = g_string_new(NULL), *j = g_string_new(NULL);
	g_string_append_printf(out, "swarm of %u members: scenario %s\n",
			       parts[0].n, scn && scn->str ? scn->str : "?");
	g_string_append_printf(j, "{\n  \"faultline\": %d,\n  \"command\": "
			       "\"explore\",\n  \"scenario\": ",
			       SIM_JSON_VERSION);
	g_string_append_len(j, scn->text, scn->len);
	g_string_append_printf(j, ",\n  \"swarm\": %u,\n  \"models\": [\n",
			       parts[0].n);
	for (guint m = 0; m < models->items->len; m++) {
		rc = sim_cli_exit_worst(rc, swarm_model(by_member, parts[0].n,
							m, out, j));
		g_string_append(j, m + 1 < models->items->len ? ",\n" : "\n");
	}
	g_string_append(j, "  ]\n}\n");
	fputs(out->str, stdout);
	if (json && !sim_cli_write_file(json, j->str, &error))
		rc = sim_cli_fail(error);
	g_string_free(out, TRUE);
	g_string_free(j, TRUE);
	g_free(by_member);
	return rc;
}

int sim_cmd_merge(SimCli *cli, int argc, char **argv)
{
	char *json = NULL;
	GOptionEntry options[] = {
		{ "json", 0, 0, G_OPTION_ARG_FILENAME, &json,
		  "also write the merged document (- : stdout)", "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	GError *error = NULL;
	int rc = SIM_EXIT_OK, nparts = argc - 1;
	Part *parts;

	(void)cli;
	if (!sim_cli_parse_options("merge", "PART.json...", options, &argc,
				   &argv) || !sim_cli_outputs("merge", json, NULL)) {
		g_free(json);
		return SIM_EXIT_USAGE;
	}
	nparts = argc - 1;
	if (nparts < 1) {
		g_free(json);
		return sim_cli_usage("merge", "no documents to merge");
	}
	parts = g_new0(Part, nparts);
	for (int p = 0; p < nparts && !error; p++) {
		parts[p].path = argv[p + 1];
		if (part_read(&parts[p], &error) && p > 0) {
			const SimJson *c = sim_json_member(parts[p].doc,
							   "command");
			if (!same_text(c, sim_json_member(parts[0].doc,
							  "command")))
				bad(&error, &parts[p], c, "a different "
				    "command's document than %s's",
				    parts[0].path);
		}
	}
	const char *command = error ? NULL :
			      sim_json_string_of(parts[0].doc, "command");
	if (error)
		rc = sim_cli_fail(error);
	else if (command && strcmp(command, "matrix") == 0)
		rc = merge_matrix(parts, nparts, json);
	else if (command && strcmp(command, "explore") == 0)
		rc = merge_swarm(parts, nparts, json);
	else
		rc = sim_cli_fail(g_error_new(G_FILE_ERROR, G_FILE_ERROR_INVAL,
			"%s:1:1: neither matrix shards nor swarm members "
			"(\"command\": \"matrix\" or \"explore\")",
			parts[0].path));
	for (int p = 0; p < nparts; p++) {
		sim_json_free(parts[p].doc);
		g_free(parts[p].text);
	}
	g_free(parts);
	g_free(json);
	return rc;
}
