/*
 * lockdep.c - the lock-class dependency graph.  See lockdep.h.
 */
#include <string.h>
#include "lockdep.h"
#include "bug.h"

typedef struct {
	uint32_t seq;           /* order of first sighting, from 1 */
	uint8_t tid;
	uint16_t from_line;     /* where the held lock was taken */
	uint16_t from_proc;
	uint16_t to_line;       /* where the new one was tried */
	uint16_t to_proc;
	uint16_t from_inst;     /* the held instance, while unsited */
	bool unsited;           /* from_* not known yet (no notes) */
} EdgeSite;

struct SimLockdep {
	const SimProgram *prog;
	int nclasses;
	uint32_t nseq;
	int unsited;            /* edges of the last step without from_* */
	bool event;             /* an acquisition while holding since the
				 * last sim_lockdep_take_event */
	uint8_t event_to;
	uint16_t event_from;
	uint16_t edge[SIM_LOCKDECLS_MAX];       /* edge[a] bit b: a -> b */
	EdgeSite site[SIM_LOCKDECLS_MAX][SIM_LOCKDECLS_MAX];
};

/* Which kinds of lock carried a lockdep map (struct lockdep_map) in the
 * kernels of 2013-2016.  lock_page() is a bit in page->flags slept on
 * with wait_on_page_bit(); the DAX entry lock (v4.7) a bit in the radix
 * tree entry slept on with a hashed wait queue; neither told lockdep.
 * The range locks are Jan Kara's (2013) and Kirill Shutemov's (2015)
 * proposals, neither with an annotation.  Mutexes and rwsems have one
 * (mmap_sem, i_mmap_rwsem, i_rwsem, XFS's mrlocks; the array of a hashed
 * mutex is one class); the journal is jbd2's handle, which lockdep sees
 * through handle->h_lockdep_map ("jbd2_handle"). */
static const bool tracks[SIM_LK_COUNT] = {
	[SIM_LK_MUTEX] = true,
	[SIM_LK_RWSEM] = true,
	[SIM_LK_HASHED] = true,
	[SIM_LK_PAGE] = false,
	[SIM_LK_ENTRY] = false,
	[SIM_LK_RANGE] = false,
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

static bool holds(const SimThread *t, int inst)
{
	for (int i = 0; i < t->nheld; i++)
		if (t->held[i] == inst)
			return true;
	return false;
}

/* The page lock and the DAX entry lock of one pgoff are the two forms of
 * one radix-tree slot's lock: taking one while holding the other is the
 * slot changing form under its owner, which cannot block (lockdep.h). */
static bool slot_changes_form(const SimProgram *p, const SimThread *t,
			      int inst)
{
	int to = sim_lock_decl_of(p, inst);
	int other = to == SIM_LOCKDECL_PAGE ? SIM_LOCKDECL_ENTRY :
		    to == SIM_LOCKDECL_ENTRY ? SIM_LOCKDECL_PAGE : -1;

	if (other < 0)
		return false;
	return holds(t, sim_lock_instance(p, other, inst - p->lock_base[to]));
}

void sim_lockdep_acquire(SimLockdep *ld, const SimWorld *w,
			 const SimNotes *notes, int tid, int inst, int line,
			 int proc)
{
	const SimThread *t = sim_thread(w, tid);
	int to = sim_lock_decl_of(ld->prog, inst);
	uint16_t from_mask = 0;

	if (slot_changes_form(ld->prog, t, inst))
		return;
	for (int i = 0; i < t->nheld; i++) {
		int from = sim_lock_decl_of(ld->prog, t->held[i]);
		if (from == to)
			continue;
		from_mask |= (uint16_t)(1u << from);
		if (ld->edge[from] >> to & 1)
			continue;
		SimSite from_site = { 0, 0 };
		if (notes)
			from_site = *sim_notes_acq(notes, tid, t->held[i]);
		ld->unsited += !notes;
		ld->edge[from] |= (uint16_t)(1u << to);
		ld->site[from][to] = (EdgeSite) {
			.seq = ++ld->nseq,
			.tid = (uint8_t)tid,
			.from_line = from_site.line,
			.from_proc = from_site.proc,
			.to_line = (uint16_t)line,
			.to_proc = (uint16_t)proc,
			.from_inst = t->held[i],
			.unsited = !notes,
		};
	}
	if (from_mask) {
		ld->event = true;
		ld->event_to = (uint8_t)to;
		ld->event_from = from_mask;
	}
}

bool sim_lockdep_take_event(SimLockdep *ld, uint8_t *to, uint16_t *from)
{
	bool any = ld->event;

	*to = ld->event_to;
	*from = any ? ld->event_from : 0;
	ld->event = false;
	return any;
}

bool sim_lockdep_would_add(const SimLockdep *ld, int to, uint16_t from)
{
	for (int a = 0; from >> a; a++)
		if ((from >> a & 1) && !(ld->edge[a] >> to & 1))
			return true;
	return false;
}

bool sim_lockdep_unsited(const SimLockdep *ld)
{
	return ld && ld->unsited;
}

void sim_lockdep_site(SimLockdep *ld, const SimNotes *notes)
{
	for (int a = 0; a < ld->nclasses && ld->unsited; a++) {
		for (int b = 0; b < ld->nclasses; b++) {
			EdgeSite *e = &ld->site[a][b];
			if (!(ld->edge[a] >> b & 1) || !e->unsited)
				continue;
			const SimSite *at = sim_notes_acq(notes, e->tid,
							  e->from_inst);
			e->from_line = at->line;
			e->from_proc = at->proc;
			e->unsited = false;
			ld->unsited--;
		}
	}
}

int sim_lockdep_edges(const SimLockdep *ld)
{
	int n = 0;

	for (int a = 0; a < ld->nclasses; a++)
		n += __builtin_popcount(ld->edge[a]);
	return n;
}

/* ---- the report ------------------------------------------------------- */

static const char *class_name(const SimLockdep *ld, int c)
{
	return ld->prog->model->locks[c].name;
}

/* "proc (file:line)" */
static void append_site(const SimLockdep *ld, GString *out, int proc, int line)
{
	const SimProc *pr = ld->prog->procs[proc];

	g_string_append_printf(out, "%s (%s:%d)", pr->name, pr->file, line);
}

static bool all_tracked(const SimLockdep *ld, const int *path, int len)
{
	for (int i = 0; i < len; i++)
		if (!tracks[ld->prog->model->locks[path[i]].kind])
			return false;
	return true;
}

/* One cycle as print_circular_bug() prints it.  The edge seen last,
 * prev -> next, is the acquisition that closed the cycle; the others are
 * the existing chain next -> ... -> prev, printed from prev back to next
 * (#0).  print_circular_lock_scenario() draws the deadlock with three
 * classes: source (next), target (prev) and parent, the class the chain
 * reaches prev from. */
static void describe(const SimLockdep *ld, SimProp prop, const int *path,
		     int len, GString *out)
{
	int last = 0, chain[SIM_LOCKDECLS_MAX] = { 0 };

	for (int i = 1; i < len; i++)
		if (ld->site[path[i]][path[(i + 1) % len]].seq >
		    ld->site[path[last]][path[(last + 1) % len]].seq)
			last = i;
	for (int k = 0; k < len; k++)           /* chain[0] next .. prev */
		chain[k] = path[(last + 1 + k) % len];
	int next = chain[0], prev = chain[len - 1], parent = chain[len - 2];
	const EdgeSite *closing = &ld->site[prev][next];

	if (prop == SIM_PROP_LOCK_ORDER) {
		g_string_append(out, "lock-order: possible circular locking "
				"dependency detected\n");
	} else {
		g_string_append(out, "wait-order: possible circular wait, not "
				"lockdep-visible (no lockdep map:");
		for (int k = 0; k < len; k++)
			if (!tracks[ld->prog->model->locks[chain[k]].kind])
				g_string_append_printf(out, " %s",
						       class_name(ld, chain[k]));
		g_string_append(out, ")\n");
	}
	g_string_append_printf(out, "  T%d is trying to acquire lock: %s, at ",
			       closing->tid, class_name(ld, next));
	append_site(ld, out, closing->to_proc, closing->to_line);
	g_string_append_printf(out, "\n  but task is already holding lock: "
			       "%s, at ", class_name(ld, prev));
	append_site(ld, out, closing->from_proc, closing->from_line);
	g_string_append(out, "\n  which lock already depends on the new "
			"lock.\n  the existing dependency chain (in reverse "
			"order) is:\n");
	for (int k = len - 1; k >= 1; k--) {
		const EdgeSite *s = &ld->site[chain[k - 1]][chain[k]];
		g_string_append_printf(out, "  -> #%d (%s): T%d took it at ", k,
				       class_name(ld, chain[k]), s->tid);
		append_site(ld, out, s->to_proc, s->to_line);
		g_string_append_printf(out, ", holding %s taken at ",
				       class_name(ld, chain[k - 1]));
		append_site(ld, out, s->from_proc, s->from_line);
		g_string_append_c(out, '\n');
	}
	g_string_append_printf(out, "  -> #0 (%s): the acquisition above\n",
			       class_name(ld, next));
	if (parent != next)
		g_string_append_printf(out, "  Chain exists of:\n    %s --> %s "
				       "--> %s\n", class_name(ld, next),
				       class_name(ld, parent),
				       class_name(ld, prev));
	g_string_append_printf(out,
		"  Possible unsafe locking scenario:\n"
		"        CPU0                    CPU1\n"
		"        ----                    ----\n"
		"   lock(%s);\n"
		"                                lock(%s);\n"
		"                                lock(%s);\n"
		"   lock(%s);\n"
		"   *** DEADLOCK ***\n", class_name(ld, prev),
		class_name(ld, parent), class_name(ld, prev),
		class_name(ld, next));
}

/* Elementary cycles of kind PROP whose smallest class is START:
 * depth-first over classes greater than START.  The graph has at most 16
 * nodes. */
static int cycles_from(const SimLockdep *ld, SimProp prop, int start,
		       int *path, int len, uint16_t on_path, GString *out)
{
	int n = 0;
	int a = path[len - 1];

	for (int b = start; b < ld->nclasses; b++) {
		if (!(ld->edge[a] >> b & 1))
			continue;
		if (b == start) {
			if (all_tracked(ld, path, len) !=
			    (prop == SIM_PROP_LOCK_ORDER))
				continue;
			if (out)
				describe(ld, prop, path, len, out);
			n++;
		} else if (!(on_path >> b & 1)) {
			path[len] = b;
			n += cycles_from(ld, prop, start, path, len + 1,
					 on_path | (uint16_t)(1u << b), out);
		}
	}
	return n;
}

int sim_lockdep_report(const SimLockdep *ld, SimProp prop, GString *out)
{
	int path[SIM_LOCKDECLS_MAX + 1];
	int n = 0;

	SIM_ASSERT(prop == SIM_PROP_LOCK_ORDER || prop == SIM_PROP_WAIT_ORDER);
	for (int s = 0; s < ld->nclasses; s++) {
		path[0] = s;
		n += cycles_from(ld, prop, s, path, 1, (uint16_t)(1u << s),
				 out);
	}
	return n;
}

const SimProp sim_lockdep_props[2] = { SIM_PROP_LOCK_ORDER,
				       SIM_PROP_WAIT_ORDER };

void sim_lockdep_collect(const SimLockdep *ld, SimPropSet *found,
			 char *text[2])
{
	for (int i = 0; i < 2; i++) {
		GString *s = g_string_new(NULL);
		text[i] = NULL;
		if (sim_lockdep_report(ld, sim_lockdep_props[i], s) > 0) {
			*found |= (SimPropSet)(1u << sim_lockdep_props[i]);
			text[i] = g_string_free(s, FALSE);
		} else {
			g_string_free(s, TRUE);
		}
	}
}
