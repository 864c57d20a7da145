/*
 * bug.h - the engine's own assertion (G7 kind 2: the engine is broken).
 *
 * A broken model is a model error with the model's file:line (step.h);
 * a broken engine is this: the condition, where, and abort().  Always on:
 * the search must never carry on from a world it cannot trust.
 */
#ifndef SIM_BUG_H
#define SIM_BUG_H

#include <glib.h>

#define SIM_ASSERT(cond) \
	((cond) ? (void)0 : sim_assert_fail(#cond, __FILE__, __LINE__))
G_NORETURN void sim_assert_fail(const char *what, const char *file,
				int line);

#endif
