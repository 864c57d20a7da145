/*
 * cli.c - helpers the subcommands share.  See cli.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "parse.h"

static int cmp_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *sim_cli_model_names(const char *dir, GError **error)
{
	GDir *d = g_dir_open(dir, 0, error);
	GPtrArray *names;
	const char *f;

	if (!d)
		return NULL;
	names = g_ptr_array_new_with_free_func(g_free);
	while ((f = g_dir_read_name(d)))
		if (g_str_has_suffix(f, ".model"))
			g_ptr_array_add(names, g_strndup(f, strlen(f) - 6));
	g_dir_close(d);
	g_ptr_array_sort(names, cmp_name);
	return names;
}

void sim_cli_scenario_line(const SimScenario *s, GString *out)
{
	g_string_append_printf(out, "scenario %s%s%s%s: %s\n", s->name,
			       s->race ? " (" : "", s->race ? s->race : "",
			       s->race ? ")" : "", s->summary ? s->summary : "");
}

int sim_cli_fail(GError *error)
{
	fprintf(stderr, "faultline: %s\n", error->message);
	g_error_free(error);
	return SIM_EXIT_USAGE;
}

int sim_cli_usage(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "faultline %s: ", command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return SIM_EXIT_USAGE;
}

gboolean sim_cli_write_file(const char *path, const char *text,
			    GError **error)
{
	return g_file_set_contents(path, text, -1, error);
}

gboolean sim_cli_parse_options(const char *command, const char *params,
			       GOptionEntry *options, int *argc, char ***argv)
{
	GError *error = NULL;
	char *title = g_strdup_printf("%s - faultline %s", params, command);
	GOptionContext *ctx = g_option_context_new(title);
	gboolean ok;

	g_free(title);
	g_option_context_add_main_entries(ctx, options, NULL);
	ok = g_option_context_parse(ctx, argc, argv, &error);
	g_option_context_free(ctx);
	if (!ok) {
		sim_cli_usage(command, "%s", error->message);
		g_error_free(error);
	}
	return ok;
}

int sim_cli_load(SimCli *cli, const char *scn_path, const char *model,
		 SimScenario **scn, SimModel **m, SimProgram **prog)
{
	GError *error = NULL;
	char *missing = NULL;

	*scn = NULL;
	*m = NULL;
	*prog = NULL;
	*scn = sim_parse_scenario_file(scn_path, &error);
	if (!*scn)
		return sim_cli_fail(error);
	*m = sim_parse_model_load(cli->models_dir, model, &error);
	if (!*m)
		return sim_cli_fail(error);
	if ((*m)->abstract) {
		fprintf(stderr, "faultline: %s: model '%s' is abstract: it "
			"is a base for others and cannot run alone\n",
			(*m)->file, model);
		return SIM_EXIT_USAGE;
	}
	*prog = sim_program_link(*m, *scn, &missing, &error);
	if (*prog)
		return 0;
	if (error)
		return sim_cli_fail(error);
	fprintf(stderr, "faultline: %s: model '%s' has no op '%s' (n/a for "
		"this scenario)\n", scn_path, model, missing);
	g_free(missing);
	return SIM_EXIT_USAGE;
}
