/*
 * report_ci.c - JUnit, TAP, JSON and results/ for `faultline check`.  See
 * report_ci.h.
 */
#include <string.h>
#include "cli.h"
#include "report_ci.h"
#include "trace.h"

/* XML character data or attribute value: the five specials escaped, and
 * the control characters XML 1.0 forbids shown as '?' (a diagram never
 * holds one; a message might quote one). */
static void xml_text(GString *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '&': g_string_append(out, "&amp;"); break;
		case '<': g_string_append(out, "&lt;"); break;
		case '>': g_string_append(out, "&gt;"); break;
		case '"': g_string_append(out, "&quot;"); break;
		case '\'': g_string_append(out, "&apos;"); break;
		default:
			g_string_append_c(out, ch < 0x20 && ch != '\t' &&
					  ch != '\n' && ch != '\r' ? '?' :
					  (char)ch);
		}
	}
}

static void xml_attr(GString *out, const char *name, const char *value)
{
	g_string_append_printf(out, " %s=\"", name);
	xml_text(out, value);
	g_string_append_c(out, '"');
}

static void count(const SimCase *c, int n, int *failures, int *errors)
{
	*failures = *errors = 0;
	for (int i = 0; i < n; i++) {
		*errors += !c[i].ok && c[i].error;
		*failures += !c[i].ok && !c[i].error;
	}
}

/* "expected never, got stale-pte" */
static char *summary(const SimCase *c)
{
	if (!c->model)
		return g_strdup("the scenario does not parse");
	return g_strdup_printf("expected %s, got %s", c->expected, c->got);
}

static void junit_case(const SimCase *c, GString *out)
{
	char *line = g_strdup_printf("%d", c->line);

	g_string_append(out, "    <testcase");
	xml_attr(out, "name", c->model ? c->model : "parse");
	xml_attr(out, "classname", c->scenario);
	xml_attr(out, "file", c->file);
	xml_attr(out, "line", line);
	g_free(line);
	if (c->ok) {
		g_string_append(out, "/>\n");
		return;
	}
	char *what = summary(c);
	g_string_append_printf(out, ">\n      <%s", c->error ? "error" :
			       "failure");
	xml_attr(out, "message", what);
	xml_attr(out, "type", c->error ? "bad-input" : "expectation");
	g_string_append_c(out, '>');
	xml_text(out, c->message);
	g_string_append_c(out, '\n');
	xml_text(out, c->diagram);
	g_string_append_printf(out, "</%s>\n    </testcase>\n", c->error ?
			       "error" : "failure");
	g_free(what);
}

void sim_report_junit(const SimCase *c, int n, GString *out)
{
	int failures, errors;

	count(c, n, &failures, &errors);
	g_string_append_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
			       "\n<testsuites name=\"faultline check\" "
			       "tests=\"%d\" failures=\"%d\" errors=\"%d\">\n",
			       n, failures, errors);
	/* one testsuite per scenario: its cases are consecutive */
	for (int i = 0, j; i < n; i = j) {
		for (j = i; j < n && strcmp(c[j].file, c[i].file) == 0; j++)
			;
		count(c + i, j - i, &failures, &errors);
		g_string_append(out, "  <testsuite");
		xml_attr(out, "name", c[i].scenario);
		g_string_append_printf(out, " tests=\"%d\" failures=\"%d\" "
				       "errors=\"%d\" skipped=\"0\">\n", j - i,
				       failures, errors);
		for (int k = i; k < j; k++)
			junit_case(&c[k], out);
		g_string_append(out, "  </testsuite>\n");
	}
	g_string_append(out, "</testsuites>\n");
}

/* A TAP YAML block line by line, indented. */
static void tap_block(GString *out, const char *key, const char *text)
{
	if (!text)
		return;
	g_string_append_printf(out, "  %s: |\n", key);
	char **lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++)
		if (lines[i][0] || lines[i + 1])
			g_string_append_printf(out, "    %s\n", lines[i]);
	g_strfreev(lines);
}

void sim_report_tap(const SimCase *c, int n, GString *out)
{
	g_string_append_printf(out, "TAP version 13\n1..%d\n", n);
	for (int i = 0; i < n; i++) {
		char *what = summary(&c[i]);
		g_string_append_printf(out, "%s %d - %s %s: %s\n", c[i].ok ?
				       "ok" : "not ok", i + 1, c[i].scenario,
				       c[i].model ? c[i].model : "", what);
		g_free(what);
		if (c[i].ok)
			continue;
		g_string_append(out, "  ---\n");
		tap_block(out, "message", c[i].message);
		tap_block(out, "diagram", c[i].diagram);
		g_string_append(out, "  ...\n");
	}
}

static void json_field(GString *out, const char *key, const char *value)
{
	g_string_append_printf(out, ", \"%s\": ", key);
	if (value)
		sim_json_string(out, value);
	else
		g_string_append(out, "null");
}

void sim_report_json(const SimCase *c, int n, GString *out)
{
	int failures, errors;

	count(c, n, &failures, &errors);
	g_string_append_printf(out, "{\"faultline\": %d, \"command\": \"check\","
			       " \"passed\": %d, \"failed\": %d,\n  \"cases\": [",
			       SIM_JSON_VERSION, n - failures - errors,
			       failures + errors);
	for (int i = 0; i < n; i++) {
		g_string_append(out, i ? ",\n    {\"scenario\": " :
				"\n    {\"scenario\": ");
		sim_json_string(out, c[i].scenario);
		json_field(out, "file", c[i].file);
		g_string_append_printf(out, ", \"line\": %d, \"col\": %d",
				       c[i].line, c[i].col);
		json_field(out, "model", c[i].model);
		g_string_append_printf(out, ", \"ok\": %s, \"error\": %s",
				       c[i].ok ? "true" : "false",
				       c[i].error ? "true" : "false");
		json_field(out, "expected", c[i].expected);
		json_field(out, "got", c[i].got);
		g_string_append_printf(out, ", \"states\": %" G_GUINT64_FORMAT,
				       c[i].states);
		json_field(out, "message", c[i].ok ? NULL : c[i].message);
		json_field(out, "diagram", c[i].ok ? NULL : c[i].diagram);
		g_string_append_c(out, '}');
	}
	g_string_append(out, "\n  ]}\n");
}

/* DIR/SCENARIO/MODEL.SUFFIX with TEXT. */
static gboolean result_file(const char *dir, const SimCase *c,
			    const char *suffix, const char *text,
			    GError **error)
{
	char *base = g_path_get_basename(c->file);
	char *sub, *name, *path;
	gboolean ok;

	if (g_str_has_suffix(base, ".scn"))
		base[strlen(base) - 4] = '\0';
	sub = g_build_filename(dir, base, NULL);
	name = g_strconcat(c->model ? c->model : "parse", suffix, NULL);
	path = g_build_filename(sub, name, NULL);
	ok = g_mkdir_with_parents(sub, 0777) == 0 ||
	     (g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
			  "%s: cannot create the directory", sub), FALSE);
	ok = ok && sim_cli_write_file(path, text, error);
	g_free(path);
	g_free(name);
	g_free(sub);
	g_free(base);
	return ok;
}

gboolean sim_report_results(const char *dir, const SimCase *c, int n,
			    GError **error)
{
	for (int i = 0; i < n; i++) {
		if (c[i].ok)
			continue;
		char *what = summary(&c[i]);
		char *text = g_strdup_printf("%s %s: %s\n%s\n\n%s",
					     c[i].scenario, c[i].model ?
					     c[i].model : "", what,
					     c[i].message, c[i].diagram ?
					     c[i].diagram : "");
		gboolean ok = result_file(dir, &c[i], ".out.bad", text,
					  error) &&
			      (!c[i].trail || result_file(dir, &c[i], ".trail",
							  c[i].trail, error));
		g_free(text);
		g_free(what);
		if (!ok)
			return FALSE;
	}
	return TRUE;
}
