/*
 * cmd_models.c - `faultline models` and `faultline show MODEL`.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
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
		GString *sig = g_string_new(p->name);
		g_string_append_c(sig, '(');
		for (int a = 0; a < p->nparams; a++)
			g_string_append_printf(sig, "%s%s", a ? ", " : "",
					       p->regnames[a]);
		g_string_append_c(sig, ')');
		printf("  %-3s %-44s %s:%d\n", p->is_op ? "op" : "fn",
		       sig->str, p->file, p->line);
		g_string_free(sig, TRUE);
	}
	printf("\n--- %s ---\n%s", m->file, m->text ? m->text : "");
	sim_model_free(m);
	return SIM_EXIT_OK;
}
