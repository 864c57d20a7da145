/*
 * main.c - faultline's command line: global options (anywhere on the line,
 * before a "--"), then a subcommand from the table below, each with its
 * own options (two-stage parse).
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#ifndef FAULTLINE_DATADIR
#define FAULTLINE_DATADIR "/usr/local/share/faultline"
#endif

static const SimCommand commands[] = {
	{ "run", sim_cmd_run, "SCENARIO -m MODEL [--schedule S]",
	  "execute one interleaving and draw it as columns" },
	{ "check", sim_cmd_check, "[PATH...]",
	  "judge every scenario's expectations (N passed, N failed)" },
	{ "matrix", sim_cmd_matrix, "[PATH...] [--json FILE]",
	  "every scenario x model verdict as a table" },
	{ "replay", sim_cmd_replay, "TRAIL",
	  "reproduce a trail file step by step" },
	{ "models", sim_cmd_models, "", "list the models" },
	{ "show", sim_cmd_show, "MODEL | SCENARIO",
	  "print a model, or a scenario's schedules and expectations" },
	{ "scenarios", sim_cmd_scenarios, "", "list the scenario library" },
	{ "explore", sim_cmd_explore, "SCENARIO -m MODEL | --all-models",
	  "search every interleaving: never / sometimes / incomplete" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: faultline [--models DIR[:DIR...]] COMMAND [ARGS]\n\n"
		"commands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  %-8s %-36s %s\n", commands[i].name,
			commands[i].args, commands[i].summary);
	fprintf(f, "\n'faultline COMMAND --help' for a command's options\n");
}

/* A directory if it exists here (running from a checkout), else the
 * installed copy. */
static char *library(const char *name)
{
	if (g_file_test(name, G_FILE_TEST_IS_DIR))
		return g_strdup(name);
	return g_build_filename(FAULTLINE_DATADIR, name, NULL);
}

/* The model search path: --models, else $FAULTLINE_MODELS (both
 * DIR:DIR:...), then the library, which user models may extend. */
static char *models_path(const char *opt)
{
	const char *env = g_getenv("FAULTLINE_MODELS");
	const char *user = opt ? opt : env && *env ? env : NULL;
	char *lib = library("models"), *path;

	path = user ? g_strjoin(G_SEARCHPATH_SEPARATOR_S, user, lib, NULL) :
		      g_strdup(lib);
	g_free(lib);
	return path;
}

/* Take the global options out of argv wherever they stand (up to a
 * "--"), so that `faultline run X -m M --models D` works as well as
 * `faultline --models D run X -m M`.  Returns FALSE on a malformed one. */
static gboolean global_options(int *argc, char **argv, char **models)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--models") == 0) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "faultline: --models needs "
					"DIR[:DIR...]\n");
				return FALSE;
			}
			*models = argv[++i];
		} else if (g_str_has_prefix(argv[i], "--models=")) {
			*models = argv[i] + strlen("--models=");
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return TRUE;
}

int main(int argc, char **argv)
{
	char *models_opt = NULL;
	SimCli cli;
	int rc;

	/* Messages stay in the C locale: output must be byte-identical
	 * whatever the user's environment (G5). */
	setlocale(LC_ALL, "C");
	if (!global_options(&argc, argv, &models_opt)) {
		usage(stderr);
		return SIM_EXIT_USAGE;
	}
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
			 strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return SIM_EXIT_OK;
	}
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2)
			fprintf(stderr, "faultline: unknown option '%s'\n",
				argv[1]);
		usage(stderr);
		return SIM_EXIT_USAGE;
	}
	for (size_t c = 0; c < G_N_ELEMENTS(commands); c++) {
		if (strcmp(commands[c].name, argv[1]) != 0)
			continue;
		cli.models_path = models_path(models_opt);
		cli.scenarios_dir = library("scenarios");
		rc = commands[c].fn(&cli, argc - 1, argv + 1);
		g_free(cli.models_path);
		g_free(cli.scenarios_dir);
		return rc;
	}
	fprintf(stderr, "faultline: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return SIM_EXIT_USAGE;
}
