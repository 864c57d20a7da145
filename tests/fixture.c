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
	f->w = sim_step_world_new(f->p);
	f->notes = sim_notes_new(f->w);
	f->ctx.notes = f->notes;
	f->init_ok = sim_step_init(f->w, f->p, &f->ctx);
	return f;
}

void fx_free(Fx *f)
{
	sim_program_free(f->p);
	sim_scenario_free(f->s);
	sim_model_free(f->m);
	g_string_free(f->msg, TRUE);
	g_free(f->w);
	g_free(f->notes);
	g_free(f);
}

void fx_step(Fx *f, int tid)
{
	ck_assert_msg(sim_step_runnable(f->w) >> tid & 1,
		      "T%d is not runnable at step %u", tid, f->notes->step);
	ck_assert_msg(!f->ctx.model_error, "model error: %s", f->msg->str);
	sim_step(f->w, tid, &f->ctx);
}

void fx_run(Fx *f, const char *sched)
{
	for (const char *c = sched; *c; c++)
		fx_step(f, *c - '0');
}

uint64_t fx_set(const uint8_t *set, int nbytes)
{
	uint64_t m = 0;

	for (int i = 0; i < nbytes && i < 8; i++)
		m |= (uint64_t)set[i] << (8 * i);
	return m;
}
