/*
 * cli.c - helpers the subcommands share.  See cli.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include "cli.h"

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
