/*
 * suggest.c - the closest known name.  See suggest.h.
 */
#include <string.h>
#include "suggest.h"

#define SUGGEST_LEN_MAX 64      /* longer names get no suggestion */

static int distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	int d[SUGGEST_LEN_MAX + 1][SUGGEST_LEN_MAX + 1];

	for (int i = 0; i <= la; i++)
		d[i][0] = i;
	for (int j = 0; j <= lb; j++)
		d[0][j] = j;
	for (int i = 1; i <= la; i++) {
		for (int j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = MIN(d[i - 1][j] + 1, d[i][j - 1] + 1);
			v = MIN(v, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1])
				v = MIN(v, d[i - 2][j - 2] + 1);
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *sim_suggest(const char *name, const char *const *candidates,
			int n)
{
	int limit = CLAMP((int)strlen(name) / 3, 1, 3);
	const char *best = NULL;
	int best_d = limit + 1;

	if (strlen(name) > SUGGEST_LEN_MAX)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (strlen(candidates[i]) > SUGGEST_LEN_MAX)
			continue;
		int dd = distance(name, candidates[i]);
		if (dd > 0 && dd < best_d) {
			best = candidates[i];
			best_d = dd;
		}
	}
	return best;
}

void sim_suggest_append(GString *out, const char *name,
			const char *const *candidates, int n)
{
	const char *s = sim_suggest(name, candidates, n);

	if (s)
		g_string_append_printf(out, " (did you mean '%s'?)", s);
}
