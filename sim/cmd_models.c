/*
 * cmd_models.c - `faultline models` and `faultline show MODEL`.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "parse.h"

int sim_cmd_models(SimCli *cli, int argc, char **argv)
{
	GOptionEntry options[] = { { NULL, 0, 0, 0, NULL, NULL, NULL } };
	GError *error = NULL;
	GPtrArray *names;
	int rc = SIM_EXIT_OK;

	if (!sim_cli_parse_options("models", "", options, &argc, &argv))
		return SIM_EXIT_USAGE;
	if (argc != 1)
		return sim_cli_usage("models", "takes no arguments");
	names = sim_cli_model_names(cli->models_path, &error);
	if (!names)
		return sim_cli_fail(error);
	for (guint i = 0; i < names->len; i++) {
		SimModel *m = sim_parse_model_load(cli->models_path,
						   names->pdata[i], &error);
		if (!m) {
			rc = sim_cli_fail(error);
			error = NULL;
			continue;
		}
		if (!m->abstract)
			printf("%-24s %s\n", m->name,
			       m->summary ? m->summary : "");
		sim_model_free(m);
	}
	g_ptr_array_free(names, TRUE);
	return rc;
}

static void show_field(const char *name, const char *value)
{
	if (value)
		printf("%-8s %s\n", name, value);
}

int sim_cmd_show(SimCli *cli, int argc, char **argv)
{
	GOptionEntry options[] = { { NULL, 0, 0, 0, NULL, NULL, NULL } };
	GError *error = NULL;
	SimModel *m;

	if (!sim_cli_parse_options("show", "MODEL | SCENARIO", options, &argc, &argv))
		return SIM_EXIT_USAGE;
	if (argc != 2)
		return sim_cli_usage("show", "needs one MODEL or SCENARIO");
	if (sim_cli_is_scenario(cli, argv[1]))
		return sim_cli_show_scenario(cli, argv[1]);
	m = sim_cli_load_model(cli, argv[1], &error);
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
