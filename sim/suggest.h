/*
 * suggest.h - "did you mean": the known name closest to a misspelt one.
 *
 * Closest is the fewest single-character insertions, deletions,
 * substitutions and transpositions (optimal string alignment distance);
 * a name farther than a third of its length (at least 1, at most 3) is no
 * suggestion.  Ties go to the first candidate, so the answer depends
 * only on the order the caller gives.
 */
#ifndef SIM_SUGGEST_H
#define SIM_SUGGEST_H

#include <glib.h>

/* sim_suggest - the candidate (N of them) closest to NAME, or NULL. */
const char *sim_suggest(const char *name, const char *const *candidates,
			int n);

/* sim_suggest_append - " (did you mean 'X'?)" to OUT when there is one. */
void sim_suggest_append(GString *out, const char *name,
			const char *const *candidates, int n);

#endif
