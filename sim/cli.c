/*
 * cli.c - helpers the subcommands share.  See cli.h.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "lockdep.h"
#include "parse.h"
#include "prim.h"
#include "run.h"
#include "suggest.h"
#include "trace.h"

static int cmp_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *sim_cli_model_names(const char *path, GError **error)
{
	return sim_cli_names(path, ".model", error);
}

GPtrArray *sim_cli_names(const char *path, const char *suffix,
			 GError **error)
{
	char **dirs = g_strsplit(path, G_SEARCHPATH_SEPARATOR_S, -1);
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	const char *f;

	for (int i = 0; dirs[i] && names; i++) {
		GDir *d;
		if (!dirs[i][0] || !g_file_test(dirs[i], G_FILE_TEST_EXISTS))
			continue;
		if (!(d = g_dir_open(dirs[i], 0, error))) {
			g_clear_pointer(&names, g_ptr_array_unref);
			break;
		}
		while ((f = g_dir_read_name(d))) {
			char *n;
			if (!g_str_has_suffix(f, suffix))
				continue;
			n = g_strndup(f, strlen(f) - strlen(suffix));
			if (g_hash_table_add(seen, n))
				g_ptr_array_add(names, n);
			else
				g_free(n);
		}
		g_dir_close(d);
	}
	if (names)
		g_ptr_array_sort(names, cmp_name);
	g_hash_table_destroy(seen);
	g_strfreev(dirs);
	return names;
}

/* Add the *.scn files under DIR, at any depth, to FILES. */
static gboolean scenarios_under(const char *dir, GPtrArray *files,
				GError **error)
{
	GDir *d = g_dir_open(dir, 0, error);
	const char *f;
	gboolean ok = TRUE;

	if (!d)
		return FALSE;
	while (ok && (f = g_dir_read_name(d))) {
		char *path = g_build_filename(dir, f, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(path, G_FILE_TEST_IS_SYMLINK))
			ok = scenarios_under(path, files, error);
		else if (g_str_has_suffix(f, ".scn"))
			g_ptr_array_add(files, g_steal_pointer(&path));
		g_free(path);
	}
	g_dir_close(d);
	return ok;
}

GPtrArray *sim_cli_scenario_files(char **paths, int n, GError **error)
{
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);

	for (int i = 0; i < n; i++) {
		if (!g_file_test(paths[i], G_FILE_TEST_IS_DIR))
			g_ptr_array_add(files, g_strdup(paths[i]));
		else if (!scenarios_under(paths[i], files, error))
			g_clear_pointer(&files, g_ptr_array_unref);
		if (!files)
			return NULL;
	}
	g_ptr_array_sort(files, cmp_name);
	return files;
}

void sim_cli_format_expect(GString *s, const SimExpect *e)
{
	if (e->na)
		g_string_append(s, "n/a");
	else if (!e->props)
		g_string_append(s, "never");
	else
		sim_props_format(s, e->props);
}

void sim_cli_scenario_line(const SimScenario *s, GString *out)
{
	g_string_append_printf(out, "scenario %s%s%s%s: %s\n", s->name,
			       s->race ? " (" : "", s->race ? s->race : "",
			       s->race ? ")" : "", s->summary ? s->summary : "");
}

/* Exit codes by precedence, and what each means. */
static const struct {
	int code;
	const char *meaning;
} exit_table[] = {
	{ SIM_EXIT_USAGE, "bad input: scenario, model, schedule, trail or "
	  "options (a file:line:col message on stderr)" },
	{ SIM_EXIT_VIOLATION, "a checked property was found (run, replay, "
	  "explore, perf); an expectation failed (check, matrix); a cell got "
	  "worse (diff); an op or fn cites nothing (show --lint)" },
	{ SIM_EXIT_IMPOSSIBLE, "the schedule cannot happen under the model "
	  "(run, replay)" },
	{ SIM_EXIT_INCOMPLETE, "incomplete and nothing found: a bound was "
	  "hit (explore; run: SIM_STEPS_MAX, verdict BOUND) or the search "
	  "was interrupted" },
	{ SIM_EXIT_OK, "nothing found, and the answer is complete" },
};

static int exit_rank(int code)
{
	for (size_t i = 0; i < G_N_ELEMENTS(exit_table); i++)
		if (exit_table[i].code == code)
			return (int)i;
	return 0;
}

int sim_cli_exit_worst(int a, int b)
{
	return exit_rank(a) <= exit_rank(b) ? a : b;
}

void sim_cli_exit_table(GString *out)
{
	for (int code = 0; code < (int)G_N_ELEMENTS(exit_table); code++)
		g_string_append_printf(out, "| %d | %s |\n", code,
			exit_table[exit_rank(code)].meaning);
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

/* The real stdout once an output named "-" claimed it (the text that
 * would go there goes to stderr instead); -1 before.  Process state, as
 * the file descriptors it stands for are. */
static int claimed_stdout = -1;

gboolean sim_cli_outputs(const char *command, const char *a, const char *b)
{
	if (a && b && strcmp(a, b) == 0) {
		sim_cli_usage(command, "two outputs name the same file '%s'", a);
		return FALSE;
	}
	if ((a && strcmp(a, "-") == 0) || (b && strcmp(b, "-") == 0)) {
		fflush(stdout);
		claimed_stdout = dup(STDOUT_FILENO);
		dup2(STDERR_FILENO, STDOUT_FILENO);
	}
	return TRUE;
}

/* TEXT to F, or ERROR naming PATH. */
static gboolean write_all(FILE *f, const char *path, const char *text,
			  GError **error)
{
	if (f && fputs(text, f) >= 0 && fflush(f) == 0)
		return TRUE;
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: cannot write: "
		    "%s", path, g_strerror(errno));
	return FALSE;
}

gboolean sim_cli_write_file(const char *path, const char *text,
			    GError **error)
{
	struct stat st;
	gboolean ok;
	FILE *f;

	if (strcmp(path, "-") == 0 && claimed_stdout < 0)
		return write_all(stdout, "stdout", text, error);
	if (strcmp(path, "-") == 0) {
		f = fdopen(dup(claimed_stdout), "w");
		ok = write_all(f, "stdout", text, error);
	} else if (lstat(path, &st) != 0 || S_ISREG(st.st_mode)) {
		/* a regular file (or none yet) is replaced whole,
		 * atomically */
		return g_file_set_contents(path, text, -1, error);
	} else {
		/* a FIFO, a device or a symbolic link is written through */
		f = fopen(path, "w");
		ok = write_all(f, path, text, error);
	}
	if (f)
		fclose(f);
	return ok;
}

/* The unknown option is the first "--word" of argv that no entry has. */
static void suggest_option(GString *msg, const GOptionEntry *options,
			   int argc, char **argv)
{
	const char *names[64];
	int n = 0;

	for (; options[n].long_name && n < (int)G_N_ELEMENTS(names); n++)
		names[n] = options[n].long_name;
	for (int i = 1; i < argc; i++) {
		if (!g_str_has_prefix(argv[i], "--"))
			continue;
		char *name = g_strndup(argv[i] + 2, strcspn(argv[i] + 2, "="));
		const char *s = sim_suggest(name, names, n);
		bool known = false;
		for (int k = 0; k < n && !known; k++)
			known = strcmp(names[k], name) == 0;
		if (!known && s)
			g_string_append_printf(msg, " (did you mean '--%s'?)", s);
		g_free(name);
		if (!known)
			return;
	}
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
		GString *msg = g_string_new(error->message);
		if (g_error_matches(error, G_OPTION_ERROR,
				    G_OPTION_ERROR_UNKNOWN_OPTION))
			suggest_option(msg, options, *argc, *argv);
		sim_cli_usage(command, "%s", msg->str);
		g_string_free(msg, TRUE);
		g_error_free(error);
	}
	return ok;
}

SimScenario *sim_cli_load_scenario(SimCli *cli, const char *arg,
				   GError **error)
{
	char *path = sim_cli_scenario_path(cli, arg);
	SimScenario *s = sim_parse_scenario_file(path, error);

	g_free(path);
	return s;
}

SimModel *sim_cli_load_model(SimCli *cli, const char *model, GError **error)
{
	char *dir, *path;
	SimModel *m;

	if (!strchr(model, '/') && !g_str_has_suffix(model, ".model")) {
		m = sim_parse_model_load(cli->models_path, model, error);
		if (!m && g_error_matches(*error, SIM_PARSE_ERROR,
					  SIM_PARSE_ERROR_IO)) {
			GPtrArray *names = sim_cli_model_names(
				cli->models_path, NULL);
			GString *msg = g_string_new((*error)->message);
			if (names)
				sim_suggest_append(msg, model,
					(const char *const *)names->pdata,
					(int)names->len);
			g_free((*error)->message);
			(*error)->message = g_string_free(msg, FALSE);
			if (names)
				g_ptr_array_free(names, TRUE);
		}
		return m;
	}
	dir = g_path_get_dirname(model);
	path = g_strjoin(G_SEARCHPATH_SEPARATOR_S, dir, cli->models_path,
			 NULL);
	m = sim_parse_model_file(model, path, error);
	g_free(path);
	g_free(dir);
	return m;
}

int sim_cli_load(SimCli *cli, const char *scn_path, const char *model,
		 SimScenario **scn, SimModel **m, SimProgram **prog)
{
	GError *error = NULL;
	char *missing = NULL;

	*scn = NULL;
	*m = NULL;
	*prog = NULL;
	*scn = sim_cli_load_scenario(cli, scn_path, &error);
	if (!*scn)
		return sim_cli_fail(error);
	/* A workload alone has no threads to interleave: a search or a run
	 * of it would answer about nothing. */
	if (!(*scn)->nthreads && (*scn)->workload) {
		fprintf(stderr, "%s:%d:%d: a workload and no threads: `faultline "
			"perf` runs it; run, explore, replay and export need "
			"threads\n", (*scn)->file, (*scn)->workload->line,
			(*scn)->workload->col);
		return SIM_EXIT_USAGE;
	}
	*m = sim_cli_load_model(cli, model, &error);
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
	const char **ops = g_new(const char *, (*m)->nprocs + 1);
	int nops = 0;
	for (int i = 0; i < (*m)->nprocs; i++)
		if ((*m)->procs[i].is_op)
			ops[nops++] = (*m)->procs[i].name;
	GString *hint = g_string_new(NULL);
	sim_suggest_append(hint, missing, ops, nops);
	fprintf(stderr, "faultline: %s: model '%s' has no op '%s'%s (n/a for "
		"this scenario)\n", scn_path, model, missing, hint->str);
	g_string_free(hint, TRUE);
	g_free(ops);
	g_free(missing);
	return SIM_EXIT_USAGE;
}

SimProgram *sim_cli_link(const SimModel *m, const SimScenario *scn,
			 char **why, GError **error)
{
	char *missing = NULL;
	SimProgram *prog = NULL;

	*why = NULL;
	if (m->abstract)
		*why = g_strdup("abstract (a base for other models)");
	else if (!(prog = sim_program_link(m, scn, &missing, error)) && missing)
		*why = g_strdup_printf("no op '%s'", missing);
	g_free(missing);
	return prog;
}

SimTrace *sim_cli_draw(const SimProgram *prog, const GArray *path,
		       int cycle_from, GString *out)
{
	SimTrace *t = sim_run_path(prog, path, cycle_from);

	sim_trace_diagram(t, out);
	g_string_append_c(out, '\n');
	if (t->end_note)
		g_string_append_printf(out, "%s%s", t->end_note,
			g_str_has_suffix(t->end_note, "\n") ? "" : "\n");
	char *sched = sim_trace_schedule(t);
	g_string_append_printf(out, "schedule: %s\n", sched);
	g_free(sched);
	return t;
}

gboolean sim_cli_check_untils(const SimProgram *prog, const SimSchedule *sc,
			      GError **error)
{
	const SimScenario *s = prog->scn;
	const char *origin = "--schedule";

	for (int i = 0; i < s->nschedules; i++)
		if (strcmp(s->schedules[i].name, sc->name) == 0)
			origin = s->file;
	for (int i = 0; i < sc->nseg; i++) {
		const SimSegment *g = &sc->seg[i];
		bool known = !g->until || sim_prim_lookup(g->until) >= 0;
		for (int k = 0; !known && k < prog->model->nprocs; k++)
			known = prog->model->procs[k].is_op &&
				strcmp(prog->model->procs[k].name, g->until) == 0;
		if (!known) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
				    "%s:%d:%d: until '%s': no primitive, and no "
				    "op of model '%s', has that name", origin,
				    g->uline, g->ucol, g->until,
				    prog->model->name);
			return FALSE;
		}
	}
	return TRUE;
}

const char *sim_cli_order_report(const SimExploreResult *r, int prop)
{
	for (int i = 0; i < 2; i++)
		if ((int)sim_lockdep_props[i] == prop)
			return r->order[i];
	return NULL;
}
