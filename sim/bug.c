/*
 * bug.c - the engine assertion's report.  See bug.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include "bug.h"

G_NORETURN void sim_assert_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "faultline: engine bug: %s:%d: assertion '%s' "
		"failed\n", file, line, what);
	abort();
}
