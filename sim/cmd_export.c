/*
 * cmd_export.c - `faultline export --promela SCENARIO -m MODEL [-o FILE]
 * [--livelock] [--no-hidden]`: the pair as a Promela model for SPIN
 * (promela.h), on stdout or in FILE.  Lock-order and wait-order are not
 * exported, nor livelock without --livelock (progress labels for pan -l
 * -f; the file's header says how exact they are); --no-hidden is for pan
 * -DNCORE.  A construct the translation cannot express faithfully is an
 * error naming it, exit 2, never a silently different model.
 */
#include <stdio.h>
#include "cli.h"
#include "promela.h"

int sim_cmd_export(SimCli *cli, int argc, char **argv)
{
	gboolean promela = FALSE;
	SimPromelaOptions o = { 0 };
	gboolean livelock = FALSE, no_hidden = FALSE;
	char **models = NULL;
	char *output = NULL;
	GOptionEntry options[] = {
		{ "promela", 0, 0, G_OPTION_ARG_NONE, &promela,
		  "Promela for SPIN (the only format): the checked properties "
		  "as assertions, deadlock and lost-wakeup as invalid end "
		  "states; lock-order, wait-order and (without --livelock) "
		  "livelock are not exported", NULL },
		{ "livelock", 0, 0, G_OPTION_ARG_NONE, &livelock,
		  "also livelock: a progress label after every step that "
		  "completes an op, for pan -DNP -l -f (the header says "
		  "whether SPIN's non-progress cycle is exactly faultline's "
		  "livelock)", NULL },
		{ "no-hidden", 0, 0, G_OPTION_ARG_NONE, &no_hidden,
		  "scratch variables in the state vector, cleared at every "
		  "step's end, for pan -DNCORE=N (which refuses hidden "
		  "variables)", NULL },
		{ "model", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &models,
		  "the model (models/NAME.model)", "NAME" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
		  "write to FILE (default: stdout)", "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	SimScenario *scn = NULL;
	SimModel *m = NULL;
	SimProgram *prog = NULL;
	GError *error = NULL;
	char *text = NULL;
	int rc;

	if (!sim_cli_parse_options("export", "--promela SCENARIO", options,
				   &argc, &argv))
		return SIM_EXIT_USAGE;
	if (argc != 2 || !promela || !models || models[1]) {
		rc = sim_cli_usage("export", "needs --promela, one SCENARIO "
				   "and one -m MODEL");
		goto out;
	}
	rc = sim_cli_load(cli, argv[1], models[0], &scn, &m, &prog);
	if (rc)
		goto out;
	o.progress = livelock;
	o.no_hidden = no_hidden;
	text = sim_promela_export(prog, &o, &error);
	if (!text || !sim_cli_write_file(output ? output : "-", text, &error))
		rc = sim_cli_fail(error);
out:
	g_free(text);
	sim_program_free(prog);
	sim_model_free(m);
	sim_scenario_free(scn);
	g_strfreev(models);
	g_free(output);
	return rc;
}
