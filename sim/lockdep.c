/*
 * lockdep.c - the lock-class dependency graph.  See lockdep.h.
 */
#include <string.h>
#include "lockdep.h"
#include "step.h"

typedef struct {
	uint8_t tid;
	uint16_t from_line;     /* where the held lock was taken */
	uint16_t from_proc;
	uint16_t to_line;       /* where the new one was taken */
	uint16_t to_proc;
} EdgeSite;

struct SimLockdep {
	const SimProgram *prog;
	int nclasses;
	uint16_t edge[SIM_LOCKDECLS_MAX];       /* edge[a] bit b: a -> b */
	EdgeSite site[SIM_LOCKDECLS_MAX][SIM_LOCKDECLS_MAX];
};

SimLockdep *sim_lockdep_new(const SimProgram *p)
{
	SimLockdep *ld = g_new0(SimLockdep, 1);

	ld->prog = p;
	ld->nclasses = p->model->nlocks;
	return ld;
}

void sim_lockdep_free(SimLockdep *ld)
{
	g_free(ld);
}

void sim_lockdep_acquire(SimLockdep *ld, const SimWorld *w, int tid, int inst,
			 int line, int proc)
{
	const SimThread *t = &w->thread[tid];
	int to = sim_lock_decl_of(ld->prog, inst);

	for (int i = 0; i < t->nheld; i++) {
		int from = sim_lock_decl_of(ld->prog, t->held[i]);
		if (from == to || (ld->edge[from] >> to & 1))
			continue;
		ld->edge[from] |= (uint16_t)(1u << to);
		ld->site[from][to] = (EdgeSite) {
			.tid = (uint8_t)tid,
			.from_line = w->notes.acq_line[tid][t->held[i]],
			.from_proc = w->notes.acq_proc[tid][t->held[i]],
			.to_line = (uint16_t)line,
			.to_proc = (uint16_t)proc,
		};
	}
}

int sim_lockdep_edges(const SimLockdep *ld)
{
	int n = 0;

	for (int a = 0; a < ld->nclasses; a++)
		n += __builtin_popcount(ld->edge[a]);
	return n;
}

static void describe(const SimLockdep *ld, const int *path, int len,
		     GString *out)
{
	const SimLockDecl *locks = ld->prog->model->locks;

	g_string_append(out, "lock-order: possible deadlock, cycle ");
	for (int i = 0; i < len; i++)
		g_string_append_printf(out, "%s -> ", locks[path[i]].name);
	g_string_append_printf(out, "%s\n", locks[path[0]].name);
	for (int i = 0; i < len; i++) {
		int a = path[i], b = path[(i + 1) % len];
		const EdgeSite *s = &ld->site[a][b];
		const SimProc *from = ld->prog->procs[s->from_proc];
		const SimProc *to = ld->prog->procs[s->to_proc];
		g_string_append_printf(out, "  %s -> %s: T%d took %s in %s "
				       "(%s:%d), then %s in %s (%s:%d)\n",
				       locks[a].name, locks[b].name, s->tid,
				       locks[a].name, from->name, from->file,
				       s->from_line, locks[b].name, to->name,
				       to->file, s->to_line);
	}
}

/* Elementary cycles whose smallest class is START: depth-first over
 * classes greater than START.  The graph has at most 16 nodes. */
static int cycles_from(const SimLockdep *ld, int start, int *path, int len,
		       uint16_t on_path, GString *out)
{
	int n = 0;
	int a = path[len - 1];

	for (int b = start; b < ld->nclasses; b++) {
		if (!(ld->edge[a] >> b & 1))
			continue;
		if (b == start) {
			if (out)
				describe(ld, path, len, out);
			n++;
		} else if (!(on_path >> b & 1)) {
			path[len] = b;
			n += cycles_from(ld, start, path, len + 1,
					 on_path | (uint16_t)(1u << b), out);
		}
	}
	return n;
}

int sim_lockdep_report(const SimLockdep *ld, GString *out)
{
	int path[SIM_LOCKDECLS_MAX + 1];
	int n = 0;

	for (int s = 0; s < ld->nclasses; s++) {
		path[0] = s;
		n += cycles_from(ld, s, path, 1, (uint16_t)(1u << s), out);
	}
	return n;
}
