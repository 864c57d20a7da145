/*
 * main.c - faultline's command line: global options (anywhere on the line,
 * before a "--"), then a subcommand from the table below, each with its
 * own options (two-stage parse).
 */
#define _POSIX_C_SOURCE 200809L
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#ifndef FAULTLINE_DATADIR
#define FAULTLINE_DATADIR "/usr/local/share/faultline"
#endif

#ifndef FAULTLINE_VERSION
#define FAULTLINE_VERSION "unknown"
#endif

static int cmd_help(SimCli *cli, int argc, char **argv);

static const SimCommand commands[] = {
	{ "run", sim_cmd_run, "SCENARIO -m MODEL [--schedule S]",
	  "execute one interleaving and draw it as columns",
	  "faultline run fault-vs-truncate -m boaz-early-unlock "
	  "--schedule seed-001\n"
	  "faultline run my.scn -m ./my.model --trail race.trail" },
	{ "explore", sim_cmd_explore, "SCENARIO -m MODEL | --all-models",
	  "search every interleaving: never / sometimes / incomplete",
	  "faultline explore fault-vs-truncate -m xfs-mmaplock\n"
	  "faultline explore fault-vs-truncate --all-models --json -\n"
	  "faultline explore big.scn -m xfs-mmaplock --jobs 2\n"
	  "faultline explore big.scn -m xfs-mmaplock --swarm 3/8 "
	  "--time-max 600 --json m3.json" },
	{ "check", sim_cmd_check, "[PATH...]",
	  "judge every scenario's expectations (N passed, N failed)",
	  "faultline check\n"
	  "faultline check --junit report.xml --results out/ scenarios/\n"
	  "faultline --models ~/patch check -m my-model scenarios/" },
	{ "matrix", sim_cmd_matrix, "[PATH...] [-m MODEL...] [--json FILE]",
	  "every scenario x model verdict as a table",
	  "faultline matrix\n"
	  "faultline matrix -m xfs-mmaplock -m v4.2-dax --json m.json\n"
	  "faultline matrix --shard 2/3 --json part2.json --jobs 2" },
	{ "merge", sim_cmd_merge, "PART.json... [--json FILE]",
	  "one document from matrix shards or swarm members",
	  "faultline matrix --shard 1/2 --json a.json; faultline matrix "
	  "--shard 2/2 --json b.json\n"
	  "faultline merge a.json b.json --json matrix.json" },
	{ "perf", sim_cmd_perf, "SCENARIO -m MODEL | --all-models",
	  "a workload on N simulated CPUs: throughput, latency, lock_stat",
	  "faultline perf perf-disjoint-faults --all-models "
	  "--cpus 1,2,4,8,16,32,64\n"
	  "faultline perf perf-truncate-faults -m boaz-early-unlock "
	  "--widen 1,10,100 --json p.json" },
	{ "diff", sim_cmd_diff, "MODEL_A MODEL_B [SCENARIO...]",
	  "the cells where two models differ, with the counterexample",
	  "faultline diff xfs-mmaplock ./patched.model" },
	{ "export", sim_cmd_export, "--promela SCENARIO -m MODEL [-o FILE]",
	  "the pair as Promela for SPIN (no lock-order, wait-order, livelock)",
	  "faultline export --promela fault-vs-truncate -m xfs-mmaplock "
	  "-o r1.pml\n"
	  "spin -a r1.pml && cc -O2 -DSAFETY -DNOFAIR -DVECTORSZ=4096 "
	  "-o pan pan.c && ./pan" },
	{ "replay", sim_cmd_replay, "TRAIL",
	  "reproduce a trail file step by step",
	  "faultline replay out/fault-vs-truncate/boaz-early-unlock.trail" },
	{ "models", sim_cmd_models, "", "list the models",
	  "FAULTLINE_MODELS=~/patch faultline models" },
	{ "scenarios", sim_cmd_scenarios, "", "list the scenario library",
	  "faultline scenarios" },
	{ "show", sim_cmd_show, "MODEL | SCENARIO",
	  "print a model, or a scenario's schedules and expectations",
	  "faultline show xfs-mmaplock\nfaultline show fault-vs-truncate" },
	{ "help", cmd_help, "[COMMAND]",
	  "this summary, or a command's options, examples and exit status",
	  "faultline help check" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: faultline [--models DIR[:DIR...]] COMMAND [ARGS]\n"
		"       faultline --version\n\ncommands:\n");
	for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  %-9s %-38s %s\n", commands[i].name,
			commands[i].args, commands[i].summary);
	fprintf(f, "\n'faultline help COMMAND' for a command's options, "
		"examples and exit status\n");
}

static const SimCommand *find_command(const char *name)
{
	for (size_t c = 0; c < G_N_ELEMENTS(commands); c++)
		if (strcmp(commands[c].name, name) == 0)
			return &commands[c];
	return NULL;
}

/* `faultline help [COMMAND]`: the summary, or the command's usage,
 * examples, the exit table and (last: GOption exits after printing
 * them) its options. */
static int cmd_help(SimCli *cli, int argc, char **argv)
{
	const SimCommand *c = argc == 2 ? find_command(argv[1]) : NULL;
	GString *out = g_string_new(NULL);

	if (argc > 2 || (argc == 2 && !c)) {
		g_string_free(out, TRUE);
		return sim_cli_usage("help", "no command '%s'",
				     argc > 2 ? argv[2] : argv[1]);
	}
	if (!c) {
		g_string_free(out, TRUE);
		usage(stdout);
		return SIM_EXIT_OK;
	}
	g_string_append_printf(out, "faultline %s %s\n  %s\n\nexamples:\n",
			       c->name, c->args, c->summary);
	char **ex = g_strsplit(c->examples, "\n", -1);
	for (int i = 0; ex[i]; i++)
		g_string_append_printf(out, "  %s\n", ex[i]);
	g_strfreev(ex);
	g_string_append(out, "\nexit status:\n");
	sim_cli_exit_table(out);
	fputs(out->str, stdout);
	g_string_free(out, TRUE);
	if (c->fn == cmd_help)
		return SIM_EXIT_OK;
	fputs("\n", stdout);
	fflush(stdout);
	char *args[] = { (char *)c->name, "--help", NULL };
	return c->fn(cli, 2, args);
}

/* SIGINT or SIGTERM, once or more: searches end with `incomplete
 * (interrupted)`.  The only file-scope state, as a signal handler needs
 * one. */
static volatile int interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Installed before anything is parsed, without SA_RESTART, so that a
 * read waiting on stdin returns and the command can end cleanly. */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
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
	catch_signals();
	if (!global_options(&argc, argv, &models_opt)) {
		usage(stderr);
		return SIM_EXIT_USAGE;
	}
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
			 strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return SIM_EXIT_OK;
	}
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("faultline %s\n", FAULTLINE_VERSION);
		return SIM_EXIT_OK;
	}
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2)
			fprintf(stderr, "faultline: unknown option '%s'\n",
				argv[1]);
		usage(stderr);
		return SIM_EXIT_USAGE;
	}
	const SimCommand *c = find_command(argv[1]);
	if (c) {
		cli.models_path = models_path(models_opt);
		cli.scenarios_dir = library("scenarios");
		cli.interrupted = &interrupted;
		rc = c->fn(&cli, argc - 1, argv + 1);
		g_free(cli.models_path);
		g_free(cli.scenarios_dir);
		return rc;
	}
	fprintf(stderr, "faultline: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return SIM_EXIT_USAGE;
}
