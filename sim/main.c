/*
 * main.c - faultline's command line: global options, then a subcommand
 * from the table below, each with its own options (two-stage parse).
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
	{ "show", sim_cmd_show, "MODEL", "print one model" },
	{ "explore", sim_cmd_explore, "SCENARIO -m MODEL | --all-models",
	  "search every interleaving: never / sometimes / incomplete" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: faultline [--models DIR] COMMAND [ARGS]\n\n"
		"commands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  %-8s %-36s %s\n", commands[i].name,
			commands[i].args, commands[i].summary);
	fprintf(f, "\n'faultline COMMAND --help' for a command's options\n");
}

/* The models directory: --models, $FAULTLINE_MODELS, ./models, or the
 * installed copy. */
static const char *models_dir(const char *opt)
{
	const char *env = g_getenv("FAULTLINE_MODELS");

	if (opt)
		return opt;
	if (env && *env)
		return env;
	if (g_file_test("models", G_FILE_TEST_IS_DIR))
		return "models";
	return FAULTLINE_DATADIR "/models";
}

int main(int argc, char **argv)
{
	char *models_opt = NULL;
	int i = 1;
	SimCli cli;

	/* Messages stay in the C locale: output must be byte-identical
	 * whatever the user's environment (G5). */
	setlocale(LC_ALL, "C");
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--models") == 0 && i + 1 < argc) {
			models_opt = argv[i + 1];
			i += 2;
		} else if (strcmp(argv[i], "--help") == 0 ||
			   strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return SIM_EXIT_OK;
		} else {
			fprintf(stderr, "faultline: unknown option '%s'\n",
				argv[i]);
			usage(stderr);
			return SIM_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return SIM_EXIT_USAGE;
	}
	cli.models_dir = models_dir(models_opt);
	for (size_t c = 0; c < G_N_ELEMENTS(commands); c++)
		if (strcmp(commands[c].name, argv[i]) == 0)
			return commands[c].fn(&cli, argc - i, argv + i);
	fprintf(stderr, "faultline: unknown command '%s'\n", argv[i]);
	usage(stderr);
	return SIM_EXIT_USAGE;
}
