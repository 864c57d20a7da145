/*
 * cmd_models.c - `faultline models`, `faultline show MODEL` and
 * `faultline show --lint`.
 *
 * show prints the model's headers, its procedures after inheritance, and
 * for each op a listing to hold against the kernel function it cites: the
 * op's doc comment, the locks it takes in program order, the acquisition
 * order they imply (A -> B: B taken while A is held), and every primitive
 * and call with every call inlined, each with its file:line, its source
 * line and the locks held just before it (lockflow.h: "may:" marks a lock
 * held on some paths only).
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "lockflow.h"
#include "parse.h"

typedef void (*ModelFn)(const SimModel *m, void *data);

/* each_model - load each of NAMES (NULL: every model in the models
 * directory, sorted) and pass it to FN; a model that does not load is
 * reported and skipped.  Returns SIM_EXIT_OK or SIM_EXIT_USAGE. */
static int each_model(SimCli *cli, char **names, int n, ModelFn fn,
		      void *data)
{
	GError *error = NULL;
	GPtrArray *all = NULL;
	int rc = SIM_EXIT_OK;

	if (!names) {
		all = sim_cli_model_names(cli->models_dir, &error);
		if (!all)
			return sim_cli_fail(error);
		names = (char **)all->pdata;
		n = (int)all->len;
	}
	for (int i = 0; i < n; i++) {
		SimModel *m = sim_parse_model_load(cli->models_dir, names[i],
						   &error);
		if (!m) {
			rc = sim_cli_fail(error);
			error = NULL;
			continue;
		}
		fn(m, data);
		sim_model_free(m);
	}
	if (all)
		g_ptr_array_free(all, TRUE);
	return rc;
}

static void list_model(const SimModel *m, void *data)
{
	(void)data;
	if (!m->abstract)
		printf("%-24s %s\n", m->name, m->summary ? m->summary : "");
}

int sim_cmd_models(SimCli *cli, int argc, char **argv)
{
	GOptionEntry options[] = { { NULL, 0, 0, 0, NULL, NULL, NULL } };

	if (!sim_cli_parse_options("models", "", options, &argc, &argv))
		return SIM_EXIT_USAGE;
	if (argc != 1)
		return sim_cli_usage("models", "takes no arguments");
	return each_model(cli, NULL, 0, list_model, NULL);
}

typedef struct {
	int procs, uncited;
} LintCount;

static int proc_line_cmp(gconstpointer a, gconstpointer b)
{
	const SimProc *pa = *(const SimProc *const *)a;
	const SimProc *pb = *(const SimProc *const *)b;

	return pa->line - pb->line;
}

/* lint_model - every op and fn M's own file defines must open its doc
 * comment with a citation (parse.h, sim_parse_citation); inherited ones
 * are their own file's business.  Findings in file order. */
static void lint_model(const SimModel *m, void *data)
{
	LintCount *count = data;
	GPtrArray *own = g_ptr_array_new();

	for (int i = 0; i < m->nprocs; i++)
		if (strcmp(m->procs[i].file, m->file) == 0)
			g_ptr_array_add(own, &m->procs[i]);
	g_ptr_array_sort(own, proc_line_cmp);
	count->procs += (int)own->len;
	for (guint i = 0; i < own->len; i++) {
		const SimProc *p = own->pdata[i];
		const char *nl;

		if (sim_parse_citation(p->doc))
			continue;
		count->uncited++;
		nl = p->doc ? strchr(p->doc, '\n') : NULL;
		printf("%s:%d:%d: %s %s: no citation", p->file, p->line,
		       p->col, p->is_op ? "op" : "fn", p->name);
		if (p->doc)
			printf(" in '%.*s'", nl ? (int)(nl - p->doc) :
			       (int)strlen(p->doc), p->doc);
		printf(" (want 'FUNCTION, PATH, vX.Y', 'proposal: AUTHOR, "
		       "D Mon YYYY <MESSAGE-ID>' or 'model: WHAT')\n");
	}
	g_ptr_array_free(own, TRUE);
}

/* show_lint - `faultline show --lint [MODEL...]`. */
static int show_lint(SimCli *cli, int argc, char **argv)
{
	LintCount count = { 0, 0 };
	int rc = each_model(cli, argc > 1 ? argv + 1 : NULL, argc - 1,
			    lint_model, &count);

	printf("%d procedures, %d without a citation\n", count.procs,
	       count.uncited);
	if (rc != SIM_EXIT_OK)
		return rc;
	return count.uncited ? SIM_EXIT_VIOLATION : SIM_EXIT_OK;
}

static void show_field(const char *name, const char *value)
{
	if (value)
		printf("%-8s %s\n", name, value);
}

/* Source lines of the model files, for the listing: file -> lines; the
 * model's own file is the text it was parsed from, its parents' files
 * are read when first needed. */
typedef GHashTable Sources;

static Sources *sources_new(const SimModel *m)
{
	Sources *src = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					     (GDestroyNotify)g_strfreev);

	g_hash_table_insert(src, g_strdup(m->file),
			    g_strsplit(m->text, "\n", -1));
	return src;
}

static const char *source_line(Sources *src, const char *file, int line)
{
	char **lines = g_hash_table_lookup(src, file);

	if (!lines) {
		char *text = NULL;

		if (!g_file_get_contents(file, &text, NULL, NULL))
			text = g_strdup("");
		lines = g_strsplit(text, "\n", -1);
		g_free(text);
		g_hash_table_insert(src, g_strdup(file), lines);
	}
	return line >= 1 && line <= (int)g_strv_length(lines) ?
	       lines[line - 1] : "";
}

/* statement - the source line of IN, without indentation or comment. */
static char *statement(Sources *src, const SimProc *p, const SimInsn *in)
{
	const char *l = source_line(src, p->file, in->line);
	const char *hash = strchr(l, '#');
	char *s = hash ? g_strndup(l, (gsize)(hash - l)) : g_strdup(l);

	return g_strstrip(s);
}

/* Keys are listed in the order the op first takes them (outermost
 * first, as a lock-order comment lists them); keys it never takes last. */
typedef struct {
	const SimModel *m;
	int order[SIM_LOCKFLOW_KEYS];   /* keys by first acquisition */
} Ranks;

static void ranks_init(Ranks *rk, const SimModel *m, const SimLockflow *f)
{
	bool seen[SIM_LOCKFLOW_KEYS] = { false };
	int n = 0;

	rk->m = m;
	for (int i = 0; i < f->nrows; i++) {
		int k = f->rows[i].key;

		if (k >= 0 && !seen[k]) {
			seen[k] = true;
			rk->order[n++] = k;
		}
	}
	for (int k = 0; k < SIM_LOCKFLOW_KEYS; k++)
		if (!seen[k])
			rk->order[n++] = k;
}

static void put_keys(const Ranks *rk, GString *out, SimKeySet set,
		     const char *prefix)
{
	char name[64];

	for (int i = 0; i < SIM_LOCKFLOW_KEYS; i++)
		if (set & (1u << rk->order[i]))
			g_string_append_printf(out, " %s%s", prefix,
				sim_lockflow_key_name(rk->m, rk->order[i],
						      name, sizeof(name)));
}

static void put_held(const Ranks *rk, const SimFlowRow *r, GString *out)
{
	if (!r->reached) {
		g_string_append(out, " (not reached)");
		return;
	}
	if (!r->may)
		g_string_append(out, " -");
	put_keys(rk, out, r->must, "");
	put_keys(rk, out, r->may & ~r->must, "may:");
}

#define STMT_WIDTH 50

static void show_rows(const Ranks *rk, const SimLockflow *f, Sources *src)
{
	GString *line = g_string_new(NULL);
	int width = 0;

	for (int i = 0; i < f->nrows; i++) {
		char *loc = g_strdup_printf("%s:%d", f->rows[i].proc->file,
					    f->rows[i].in->line);

		width = MAX(width, (int)strlen(loc));
		g_free(loc);
	}
	for (int i = 0; i < f->nrows; i++) {
		const SimFlowRow *r = &f->rows[i];
		char *stmt = statement(src, r->proc, r->in);
		char *loc = g_strdup_printf("%s:%d", r->proc->file,
					    r->in->line);

		g_string_printf(line, "  %-*s %*s", width,
				r->kind == SIM_FLOW_END ? "" : loc,
				2 * r->depth, "");
		switch (r->kind) {
		case SIM_FLOW_PRIM:
			g_string_append_printf(line, "%-*s", STMT_WIDTH -
					       2 * r->depth, stmt);
			put_held(rk, r, line);
			break;
		case SIM_FLOW_CALL:
			g_string_append_printf(line, "%s {  -> %s:%d", stmt,
					       r->callee->file,
					       r->callee->line);
			break;
		case SIM_FLOW_END:
			g_string_append(line, "}");
			break;
		case SIM_FLOW_OPAQUE:
			g_string_append_printf(line, "%s  (not expanded: %s)",
					       stmt, rk->m->abstract ?
					       "defined by the models that "
					       "extend this one" : "recursive");
			break;
		}
		printf("%s\n", line->str);
		g_free(stmt);
		g_free(loc);
	}
	g_string_free(line, TRUE);
}

/* show_order - the keys the op takes in program order; then each edge
 * HELD -> KEY of the acquisition order (KEY taken or waited for while
 * HELD is held; "may:" when HELD is held on some paths only), grouped by
 * KEY in the order it is first taken, with the first place it arises. */
static void show_order(const Ranks *rk, const SimLockflow *f)
{
	char a[64], b[64];
	const char *sep = "";
	bool first = true;

	printf("  takes:");
	for (int i = 0; i < f->nrows; i++) {
		const SimFlowRow *r = &f->rows[i];

		if (r->key < 0 || !r->reached)
			continue;
		printf("%s %s%s", sep, sim_lockflow_key_name(rk->m, r->key, a,
							       sizeof(a)),
		       r->waits ? " (waits)" : r->may_take ? " (may)" : "");
		sep = ",";
	}
	printf("%s\n", *sep ? "" : " none");
	for (int i = 0; i < SIM_LOCKFLOW_KEYS; i++) {
		for (int j = 0; j < SIM_LOCKFLOW_KEYS; j++) {
			for (int e = 0; e < f->nedges; e++) {
				const SimFlowEdge *ed = &f->edges[e];
				const SimFlowRow *r = &f->rows[ed->row];
				char *edge;

				if (ed->to != rk->order[i] ||
				    ed->from != rk->order[j])
					continue;
				edge = g_strdup_printf("%s%s -> %s",
					ed->must ? "" : "may: ",
					sim_lockflow_key_name(rk->m, ed->from,
							      a, sizeof(a)),
					sim_lockflow_key_name(rk->m, ed->to,
							      b, sizeof(b)));
				printf("  %s %-*s first at %s:%d\n",
				       first ? "order:" : "      ",
				       STMT_WIDTH - 6, edge, r->proc->file,
				       r->in->line);
				first = false;
				g_free(edge);
			}
		}
	}
}

/* signature - "name(a, b)". */
static char *signature(const SimProc *p)
{
	GString *sig = g_string_new(p->name);

	g_string_append_c(sig, '(');
	for (int a = 0; a < p->nparams; a++)
		g_string_append_printf(sig, "%s%s", a ? ", " : "",
				       p->regnames[a]);
	g_string_append_c(sig, ')');
	return g_string_free(sig, FALSE);
}

static void show_op(const SimModel *m, int i, Sources *src)
{
	const SimProc *p = &m->procs[i];
	SimLockflow *f = sim_lockflow_op(m, i);
	char *sig = signature(p);

	printf("\nop %s  %s:%d\n", sig, p->file, p->line);
	g_free(sig);
	if (p->doc) {
		char **lines = g_strsplit(p->doc, "\n", -1);

		for (char **l = lines; *l; l++)
			printf("  #%s%s\n", **l ? " " : "", *l);
		g_strfreev(lines);
	}
	Ranks rk;

	ranks_init(&rk, m, f);
	show_order(&rk, f);
	show_rows(&rk, f, src);
	sim_lockflow_free(f);
}

int sim_cmd_show(SimCli *cli, int argc, char **argv)
{
	gboolean lint = FALSE;
	GOptionEntry options[] = {
		{ "lint", 0, 0, G_OPTION_ARG_NONE, &lint,
		  "check that every op and fn of MODEL (default: every "
		  "model) cites the code it follows", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL }
	};
	GError *error = NULL;
	Sources *src;
	SimModel *m;

	if (!sim_cli_parse_options("show", "MODEL", options, &argc, &argv))
		return SIM_EXIT_USAGE;
	if (lint)
		return show_lint(cli, argc, argv);
	if (argc != 2)
		return sim_cli_usage("show", "needs one MODEL");
	m = sim_parse_model_load(cli->models_dir, argv[1], &error);
	if (!m)
		return sim_cli_fail(error);
	printf("model    %s%s%s%s\n", m->name, m->extends ? " (extends " : "",
	       m->extends ? m->extends : "", m->extends ? ")" : "");
	show_field("summary", m->summary);
	show_field("source", m->source);
	show_field("order", m->order);
	show_field("omits", m->omits);
	printf("locks   ");
	for (int i = 0; i < m->nlocks; i++)
		printf(" %s (%s%s)", m->locks[i].name,
		       sim_lock_kind_name(m->locks[i].kind),
		       m->locks[i].per_proc ? ", per process" : "");
	printf("\nops      (after inheritance)\n");
	for (int i = 0; i < m->nprocs; i++) {
		const SimProc *p = &m->procs[i];
		char *sig = signature(p);

		printf("  %-3s %-44s %s:%d\n", p->is_op ? "op" : "fn", sig,
		       p->file, p->line);
		g_free(sig);
	}
	printf("\nEach op: its doc comment; the locks it takes in program "
	       "order; the order\nthey imply (A -> B: B taken while A is "
	       "held; \"may:\" on some paths only);\nthen every primitive, "
	       "calls inlined, with the locks held just before it.\n");
	src = sources_new(m);
	for (int i = 0; i < m->nprocs; i++)
		if (m->procs[i].is_op)
			show_op(m, i, src);
	g_hash_table_destroy(src);
	sim_model_free(m);
	return SIM_EXIT_OK;
}
