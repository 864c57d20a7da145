/*
 * fixture.c - see fixture.h.
 */
#include <check.h>
#include "fixture.h"

Fx *fx_new(const char *model, const char *scn)
{
	Fx *f = g_new0(Fx, 1);
	GError *err = NULL;
	char *missing = NULL;

	f->m = sim_parse_model_string(model, "t.model", NULL, &err);
	ck_assert_msg(f->m != NULL, "model: %s", err ? err->message : "?");
	f->s = sim_parse_scenario_string(scn, "s.scn", &err);
	ck_assert_msg(f->s != NULL, "scenario: %s", err ? err->message : "?");
	f->p = sim_program_link(f->m, f->s, &missing, &err);
	ck_assert_msg(f->p != NULL, "link: missing %s", missing);
	f->msg = g_string_new(NULL);
	f->ctx.prog = f->p;
	f->ctx.msg = f->msg;
	f->init_ok = sim_step_init(&f->w, f->p, &f->ctx);
	return f;
}

void fx_free(Fx *f)
{
	sim_program_free(f->p);
	sim_scenario_free(f->s);
	sim_model_free(f->m);
	g_string_free(f->msg, TRUE);
	g_free(f);
}

void fx_step(Fx *f, int tid)
{
	ck_assert_msg(sim_step_runnable(&f->w) >> tid & 1,
		      "T%d is not runnable at step %u", tid, f->w.notes.step);
	ck_assert_msg(!f->ctx.model_error, "model error: %s", f->msg->str);
	sim_step(&f->w, tid, &f->ctx);
}

void fx_run(Fx *f, const char *sched)
{
	for (const char *c = sched; *c; c++)
		fx_step(f, *c - '0');
}
