/*
 * check_trace.c - trail files: written and read back, and every malformed
 * trail rejected with its line.
 */
#include <check.h>
#include <string.h>
#include "trace.h"

Suite *trace_suite(void);

static const char good[] =
	"faultline-trail 1\n"
	"scenario scenarios/fault-vs-truncate.scn\n"
	"model boaz-early-unlock\n"
	"steps 2\n"
	"T0 26:6 user_store\n"
	"T1 28:3 down_read\n";

START_TEST(test_trail_parse)
{
	SimTrail t;
	GError *err = NULL;

	ck_assert(sim_trail_parse(good, "t.trail", &t, &err));
	ck_assert_str_eq(t.scenario, "scenarios/fault-vs-truncate.scn");
	ck_assert_str_eq(t.model, "boaz-early-unlock");
	ck_assert_ptr_null(t.model_file);
	ck_assert_ptr_null(g_ptr_array_index(t.files, 0));
	ck_assert_uint_eq(t.steps->len, 2);
	SimTraceStep *s = &g_array_index(t.steps, SimTraceStep, 1);
	ck_assert_int_eq(s->tid, 1);
	ck_assert_int_eq(s->line, 28);
	ck_assert_int_eq(s->col, 3);
	ck_assert_int_eq(s->prim, SIM_P_DOWN_READ);
	ck_assert_int_eq(g_array_index(t.lines, int, 1), 6);
	sim_trail_clear(&t);
}
END_TEST

/* The model line may name the model's file, a path with spaces. */
START_TEST(test_trail_model_file)
{
	SimTrail t;
	GError *err = NULL;

	ck_assert(sim_trail_parse("faultline-trail 1\nscenario /s d/a.scn\n"
				  "model m /x y/m.model\nsteps 1\n"
				  "T1 2:3 down_read /m d/b.model\n", "t",
				  &t, &err));
	ck_assert_str_eq(t.scenario, "/s d/a.scn");
	ck_assert_str_eq(t.model, "m");
	ck_assert_str_eq(t.model_file, "/x y/m.model");
	ck_assert_str_eq(g_ptr_array_index(t.files, 0), "/m d/b.model");
	ck_assert_int_eq(g_array_index(t.steps, SimTraceStep, 0).prim,
			 SIM_P_DOWN_READ);
	sim_trail_clear(&t);
}
END_TEST

static const struct {
	const char *text;
	const char *prefix;
} bad[] = {
	{ "", "t.trail:1:1: not a faultline trail" },
	{ "faultline-trail 2\nscenario s\nmodel m\nsteps 0\n",
	  "t.trail:1:1: not a faultline trail" },
	{ "faultline-trail 1\nscenari s\nmodel m\nsteps 0\n",
	  "t.trail:2:1: expected 'scenario PATH'" },
	{ "faultline-trail 1\nscenario s\nmodel \nsteps 0\n",
	  "t.trail:3:1: expected 'model NAME [FILE]'" },
	{ "faultline-trail 1\nscenario s\nmodel m\nsteps -1\n",
	  "t.trail:4:1: expected 'steps N'" },
	{ "faultline-trail 1\nscenario s\nmodel m\nsteps 99999999999999999999\n",
	  "t.trail:4:1: expected 'steps N'" },
	{ "faultline-trail 1\nscenario s\nmodel m\nsteps 1\nT0 1:1 frobnicate\n",
	  "t.trail:5:1: malformed step" },
	{ "faultline-trail 1\nscenario s\nmodel m\nsteps 1\nT64 1:1 get_block\n",
	  "t.trail:5:1: malformed step" },
	{ "faultline-trail 1\nscenario s\nmodel m\nsteps 1\nT0 70000:1 get_block\n",
	  "t.trail:5:1: malformed step" },
	{ "faultline-trail 1\nscenario s\nmodel m\nsteps 1\nT0 1-1 get_block\n",
	  "t.trail:5:1: malformed step" },
	{ "faultline-trail 1\nscenario s\nmodel m\nsteps 2\nT0 1:1 get_block\n",
	  "t.trail:4:1: step count does not match" },
};

START_TEST(test_trail_bad)
{
	SimTrail t;
	GError *err = NULL;

	ck_assert(!sim_trail_parse(bad[_i].text, "t.trail", &t, &err));
	ck_assert_msg(g_str_has_prefix(err->message, bad[_i].prefix),
		      "got '%s', want '%s'", err->message, bad[_i].prefix);
	ck_assert_ptr_null(t.steps);
	g_error_free(err);
}
END_TEST

Suite *trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("trail");

	tcase_add_test(tc, test_trail_parse);
	tcase_add_test(tc, test_trail_model_file);
	tcase_add_loop_test(tc, test_trail_bad, 0, G_N_ELEMENTS(bad));
	suite_add_tcase(s, tc);
	return s;
}
