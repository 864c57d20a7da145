/*
 * cmd_scenarios.c - the scenario library: `faultline scenarios` lists it,
 * `faultline show SCENARIO` prints one scenario's named schedules and
 * expectations.  A scenario argument anywhere is a file, or the NAME of a
 * scenario in the library (cli->scenarios_dir/NAME.scn).
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "parse.h"
#include "trace.h"

char *sim_cli_scenario_path(SimCli *cli, const char *arg)
{
	char *base, *path;

	if (strchr(arg, '/') || strcmp(arg, "-") == 0 ||
	    g_file_test(arg, G_FILE_TEST_EXISTS))
		return g_strdup(arg);
	base = g_strconcat(arg, ".scn", NULL);
	path = g_build_filename(cli->scenarios_dir, base, NULL);
	g_free(base);
	if (g_file_test(path, G_FILE_TEST_EXISTS))
		return path;
	g_free(path);
	return g_strdup(arg);
}

gboolean sim_cli_is_scenario(SimCli *cli, const char *arg)
{
	char *path = sim_cli_scenario_path(cli, arg);
	gboolean yes = g_str_has_suffix(path, ".scn") ||
		       strcmp(path, "-") == 0;

	g_free(path);
	return yes;
}

int sim_cmd_scenarios(SimCli *cli, int argc, char **argv)
{
	GOptionEntry options[] = { { NULL, 0, 0, 0, NULL, NULL, NULL } };
	GError *error = NULL;
	GPtrArray *files;
	int rc = SIM_EXIT_OK;

	if (!sim_cli_parse_options("scenarios", "", options, &argc, &argv))
		return SIM_EXIT_USAGE;
	if (argc != 1)
		return sim_cli_usage("scenarios", "takes no arguments");
	files = sim_cli_scenario_files(&cli->scenarios_dir, 1, &error);
	if (!files)
		return sim_cli_fail(error);
	for (guint i = 0; i < files->len; i++) {
		SimScenario *s = sim_parse_scenario_file(files->pdata[i],
							 &error);
		if (!s) {
			rc = sim_cli_fail(error);
			error = NULL;
			continue;
		}
		printf("%-34s %-4s %s\n", s->name, s->race ? s->race : "-",
		       s->summary ? s->summary : "");
		sim_scenario_free(s);
	}
	g_ptr_array_free(files, TRUE);
	return rc;
}

/* "T0 until set_pte#2, T1 2, T0" */
static void format_schedule(const SimScenario *s, const SimSchedule *sc,
			    GString *out)
{
	for (int i = 0; i < sc->nseg; i++) {
		const SimSegment *g = &sc->seg[i];
		g_string_append_printf(out, "%s%s", i ? ", " : "",
				       s->threads[g->thread].name);
		if (g->until)
			g_string_append_printf(out, " until %s", g->until);
		if (g->until && g->nth > 1)
			g_string_append_printf(out, "#%d", g->nth);
		if (!g->until && g->count)
			g_string_append_printf(out, " %d", g->count);
	}
}

int sim_cli_show_scenario(SimCli *cli, const char *arg)
{
	GError *error = NULL;
	SimScenario *s = sim_cli_load_scenario(cli, arg, &error);
	GString *out = g_string_new(NULL);

	if (!s) {
		g_string_free(out, TRUE);
		return sim_cli_fail(error);
	}
	sim_cli_scenario_line(s, out);
	g_string_append_printf(out, "file     %s\n", s->file);
	if (s->source)
		g_string_append_printf(out, "source   %s\n", s->source);
	g_string_append(out, "check    ");
	sim_props_format(out, s->check);
	g_string_append(out, "\nschedules\n");
	for (int i = 0; i < s->nschedules; i++) {
		g_string_append_printf(out, "  %-24s ", s->schedules[i].name);
		format_schedule(s, &s->schedules[i], out);
		g_string_append_printf(out, "   (line %d)\n",
				       s->schedules[i].line);
	}
	g_string_append(out, "expectations\n");
	for (int i = 0; i < s->nexpects; i++) {
		const SimExpect *e = &s->expects[i];
		g_string_append_printf(out, "  %-24s ", e->model);
		sim_cli_format_expect(out, e);
		g_string_append_printf(out, "   (line %d)\n", e->line);
	}
	fputs(out->str, stdout);
	g_string_free(out, TRUE);
	sim_scenario_free(s);
	return SIM_EXIT_OK;
}
