/*
 * cmd_merge.c - `faultline merge`: the documents that parts of one job
 * wrote on other machines, made one.
 *
 *   matrix shards   (`matrix --shard I/N --json F`, each I of one N once):
 *                   the matrix document one `matrix --json` run writes,
 *                   byte for byte (each cell's text is copied as its
 *                   shard wrote it, in the single run's order), and the
 *                   table matrix prints, with matrix's exit status.
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
	SimMatrixText t = {
		.ncols = ns, .nrows = nm,
		.label = g_new(const char *, ns),
		.name = g_new(const char *, ns),
		.summary = g_new(const char *, ns),
		.row = g_new(const char *, nm),
		.cell = g_new(char *, ns * nm),
	};

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
		t.cell[k] = g_malloc(24);
		sim_cli_matrix_cell(t.cell[k], 24,
				    sim_json_string_of(cells[k], "verdict"),
				    found, match && match->kind ==
				    SIM_JSON_BOOL && !match->b);
	}
	sim_cli_matrix_table(&t);
	for (guint k = 0; k < ns * nm; k++)
		g_free(t.cell[k]);
	g_free(t.label);
	g_free(t.name);
	g_free(t.summary);
	g_free(t.row);
	g_free(t.cell);
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
