/*
 * livelock.c - fair non-progress cycles.  See livelock.h.
 *
 * A livelock is a reachable cycle of states in which some unfinished
 * thread W never completes its op (SPIN's non-progress cycle, with "W's
 * op returned" as the progress label; where thread bodies do not loop,
 * a cycle in which no op completes at all) and which is
 * weakly fair, as SPIN's -l -f: every thread runnable in every state of
 * the cycle takes a step in it.  So no thread that could end the spin
 * is kept from running: a retry loop that waits for a thread which can
 * always run (a lock holder about to unlock) is no livelock, one that
 * waits for a sleeper, or for nobody, is.
 *
 * Weak fairness is a property of a strongly connected component, not of
 * one cycle: a closed walk through every state and edge of a component
 * C is fair iff for every thread T, C has an edge of T inside it or a
 * state where T cannot run; if C fails that for some T, every cycle
 * inside C fails it too (T runs nowhere in C yet can run everywhere).
 * So, for each thread W: Tarjan's SCCs over the edges but those that end
 * an op of W, and each component with an inner edge, W unfinished, is
 * checked once.  Those components lie inside the whole graph's, so one
 * pass over every edge first keeps the per-thread passes to the states
 * on some cycle (cycles()).
 *
 * On which graph.  The check runs on the unreduced graph, never on the
 * reduced one: sleep sets drop transitions out of states (and with them
 * cycle edges), and a persistent set may leave out exactly the thread
 * whose step makes a cycle fair, so the reduced graph can both hide a
 * livelock and show an unfair cycle as the only one.  So when livelock
 * is checked and the program can cycle at all (sim_livelock_may_cycle()),
 * the search is the unreduced one (explore.c).  The visited set folds
 * equal states into one id, which is what turns a repeated state into a
 * cycle (a state is the whole world, so equal ids are equal futures); a
 * fingerprint collision could fold two different states and so invent
 * a cycle, with the probability the coverage line prints (--exact:
 * none).
 */
#include <string.h>
#include "cex.h"
#include "livelock.h"
#include "loops.h"

/* ---- may the graph cycle at all ------------------------------------- */

/* Whether some thread's state can repeat.  A thread's position (the pcs
 * of its frames, a missing frame counting as past the end) grows with
 * every step that does not go back through a backward jump, except a
 * step that puts it to sleep, which changes nothing of its own; a cycle
 * of sleeps alone needs a waker that itself cycles.  So the graph is
 * acyclic unless some procedure has a backward jump over a primitive or
 * a call, other than a for loop whose variable only grows (loops.h:
 * nothing else assigns it) to a constant bound below 32767 (the
 * variable of `for i in 0..32767` wraps around 16 bits and the loop
 * never ends).  Loops of local instructions alone run inside one step
 * (step.c ends those that never leave). */
bool sim_livelock_may_cycle(const SimProgram *p)
{
	for (int i = 0; i < p->nprocs; i++) {
		const SimProc *pr = p->procs[i];
		SimLoops pi;
		sim_loops_scan(&pi, pr);
		for (int pc = 0; pc < pr->ncode; pc++) {
			const SimInsn *in = &pr->code[pc];
			if (!sim_insn_is_jump(in) || in->target > pc)
				continue;
			bool counted = false, blocking = false;
			const SimArg *hi = &pr->code[in->target].arg[1];
			for (int l = 0; l < pi.nloops; l++)
				counted |= pi.loop[l].body == in->target + 2 &&
					   pi.loop[l].end == pc - 1 &&
					   hi->kind == SIM_ARG_IMM &&
					   hi->v < INT16_MAX;
			for (int q = in->target; q <= pc; q++)
				blocking |= pr->code[q].op == SIM_I_PRIM ||
					    pr->code[q].op == SIM_I_CALL;
			if (blocking && !counted)
				return true;
		}
	}
	return false;
}

/* ---- components, fair ones, and a cycle through one ---------------- */

#define UNSEEN UINT32_MAX

/* Whether edge E is not one that ends an op of thread WHO (the edges a
 * cycle starving WHO may take); WHO -1: every edge. */
static bool starves(const SimEdge *e, int who)
{
	return !(e->tid & SIM_EDGE_PROGRESS) || sim_edge_tid(e) != who;
}

/* Tarjan's strongly connected components over the edges that starve WHO
 * (iteratively: the graph can be deep), among the states CYCLIC marks
 * (NULL: all); every other state is a component of its own.  Returns
 * comp[v].  The search from state 0 is depth first, edges in adjacency
 * order, and reaches every state (each is reached from the root): with
 * every edge (WHO -1, CYCLIC NULL) it is VISIT's walk (may be NULL). */
static uint32_t *sccs(const SimCsr *c, int who, const uint8_t *cyclic,
		      const SimGraphVisit *visit, uint32_t *ncomp)
{
	uint32_t n = c->n, idx = 0, nc = 0, sp = 0, cp = 0;
	uint32_t *index = g_new(uint32_t, n), *low = g_new(uint32_t, n);
	uint32_t *comp = g_new(uint32_t, n), *next = g_new(uint32_t, n);
	uint32_t *stack = g_new(uint32_t, n), *calls = g_new(uint32_t, n);
	int *tids = visit ? g_new(int, n) : NULL;      /* by calls[] */

	memset(index, 0xff, sizeof(uint32_t) * n);
	/* seen and done: an edge into one is skipped below */
	for (uint32_t v = 0; cyclic && v < n; v++)
		if (!cyclic[v]) {
			index[v] = 0;
			comp[v] = nc++;
		}
	for (uint32_t root = 0; root < n; root++) {
		if (index[root] != UNSEEN)
			continue;
		calls[cp++] = root;
		index[root] = low[root] = idx++;
		next[root] = c->off[root];
		stack[sp++] = root;
		comp[root] = UNSEEN;
		while (cp) {
			uint32_t v = calls[cp - 1];
			if (next[v] < c->off[v + 1]) {
				const SimEdge *e = &c->adj[next[v]++];
				uint32_t w = e->dst;
				if (!starves(e, who))
					continue;
				if (visit) {
					tids[cp - 1] = sim_edge_tid(e);
					visit->edge(visit->data, e, tids,
						    (int)cp, index[w] == UNSEEN);
				}
				if (index[w] == UNSEEN) {
					index[w] = low[w] = idx++;
					next[w] = c->off[w];
					stack[sp++] = w;
					comp[w] = UNSEEN;
					calls[cp++] = w;
				} else if (comp[w] == UNSEEN) {
					low[v] = MIN(low[v], index[w]);
				}
				continue;
			}
			cp--;
			if (cp)
				low[calls[cp - 1]] = MIN(low[calls[cp - 1]],
							 low[v]);
			if (low[v] != index[v])
				continue;
			uint32_t w;
			do {
				w = stack[--sp];
				comp[w] = nc;
			} while (w != v);
			nc++;
		}
	}
	g_free(index);
	g_free(low);
	g_free(next);
	g_free(stack);
	g_free(calls);
	g_free(tids);
	*ncomp = nc;
	return comp;
}

/* The states on some cycle of the whole graph, or NULL if it has none.
 * A cycle that starves a thread is a cycle of the whole graph, so each
 * thread's components need computing only over these states (one pass
 * over every edge here instead of one a thread): most states of a
 * search lie on no cycle, and most graphs have none. */
static uint8_t *cycles(const SimCsr *c, const SimGraphVisit *visit)
{
	uint32_t ncomp;
	uint32_t *comp = sccs(c, -1, NULL, visit, &ncomp);
	uint32_t *size = g_new0(uint32_t, MAX(ncomp, 1));
	uint8_t *cyclic = g_malloc0(MAX(c->n, 1));
	bool any = false;

	for (uint32_t v = 0; v < c->n; v++)
		size[comp[v]]++;
	for (uint32_t v = 0; v < c->n; v++) {
		bool on = size[comp[v]] > 1;
		for (uint32_t i = c->off[v]; i < c->off[v + 1] && !on; i++)
			on = c->adj[i].dst == v;        /* a step back to v */
		cyclic[v] = on;
		any |= on;
	}
	g_free(size);
	g_free(comp);
	if (!any) {
		g_free(cyclic);
		return NULL;
	}
	return cyclic;
}

/* The components of one thread WHO's check. */
typedef struct {
	const SimCsr *c;
	int who;
	int nthreads;
	const uint8_t *cyclic;  /* cycles(): the states on some cycle */
	uint32_t *comp;
	uint32_t ncomp;
} Sccs;

static bool inner(const SimEdge *e, const Sccs *k)
{
	return starves(e, k->who) && k->comp[e->src] == k->comp[e->dst];
}

/* Per component of K: the threads with an inner edge (*STEPPED), and
 * whether it is a livelock of K->who (returned: an inner edge, K->who
 * unfinished, weakly fair). */
static uint8_t *fair_components(const Sccs *k, SimThreadSet **stepped_out)
{
	const SimCsr *c = k->c;
	size_t n = MAX(k->ncomp, 1);
	SimThreadSet *always = g_new(SimThreadSet, n);
	SimThreadSet *stepped = g_new0(SimThreadSet, n);
	uint8_t *fair = g_malloc0(n);

	memset(always, 0xff, n * sizeof(SimThreadSet));
	for (uint32_t v = 0; v < c->n; v++) {
		if (!k->cyclic[v])
			continue;       /* alone: no inner edge */
		uint32_t x = k->comp[v];
		always[x] &= c->enabled[v];
		if (!(c->live[v] >> k->who & 1))
			continue;       /* done is for ever: all of x is */
		for (uint32_t i = c->off[v]; i < c->off[v + 1]; i++) {
			if (!inner(&c->adj[i], k))
				continue;
			fair[x] = 1;
			stepped[x] |= SIM_TSET(sim_edge_tid(&c->adj[i]));
		}
	}
	for (uint32_t x = 0; x < k->ncomp; x++)
		fair[x] = fair[x] && !(always[x] & ~stepped[x]);
	g_free(always);
	*stepped_out = stepped;
	return fair;
}

/* The cheapest path (preemptions, then steps, as the counterexample
 * search counts them) from state 0 to a state of a fair component of K,
 * over every edge: thread ids into PATH; returns the state reached. */
static uint32_t prefix_to(const Sccs *k, const uint8_t *fair, GArray *path)
{
	const SimCsr *c = k->c;
	uint32_t T = (uint32_t)k->nthreads + 1, nn = c->n * T, e;
	uint32_t goal = UNSEEN;
	uint32_t *key = g_new(uint32_t, nn), *from = g_new(uint32_t, nn);
	SimDial q;

	memset(key, 0xff, sizeof(uint32_t) * nn);
	sim_dial_init(&q);
	key[0] = 0;
	sim_dial_push(&q, 0, 0);
	while (sim_dial_pop(&q, &e)) {
		uint32_t v = e / T;
		int last = (int)(e % T) - 1;
		if (key[e] != q.key)
			continue;
		if (fair[k->comp[v]]) {
			goal = e;
			break;
		}
		for (uint32_t i = c->off[v]; i < c->off[v + 1]; i++) {
			int t = sim_edge_tid(&c->adj[i]);
			uint32_t kk = key[e] + (last >= 0 && t != last &&
				(c->enabled[v] >> last & 1) ? SIM_CEX_PREEMPT_COST :
				SIM_CEX_STEP_COST);
			uint32_t x = c->adj[i].dst * T + (uint32_t)t + 1;
			if (kk < key[x]) {
				key[x] = kk;
				from[x] = e;
				sim_dial_push(&q, x, kk);
			}
		}
	}
	SIM_ASSERT(goal != UNSEEN);
	guint at = path->len;
	for (uint32_t x = goal; x != 0; x = from[x]) {
		int t = (int)(x % T) - 1;
		g_array_insert_val(path, at, t);
	}
	sim_dial_free(&q);
	g_free(key);
	g_free(from);
	return goal / T;
}

typedef enum {
	W_IDLE,                 /* to a state where thread t cannot run */
	W_STEP,                 /* through an inner edge of thread t */
	W_BACK,                 /* through an inner edge into state to */
} WalkKind;

/* A shortest walk over inner edges of K from state V to what KIND says:
 * thread ids appended to PATH, the threads stepping ORed into *STEPPED
 * and those idle in a state passed into *IDLE; returns the state
 * reached.  The goal exists: the component is strongly connected and
 * fair. */
static uint32_t walk_within(const Sccs *k, uint32_t v, WalkKind kind, int t,
			    uint32_t to, GArray *path, SimThreadSet *stepped,
			    SimThreadSet *idle)
{
	const SimCsr *c = k->c;
	uint32_t *via = g_new(uint32_t, c->n);  /* edge index in */
	GArray *fifo = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	GArray *edges = g_array_new(FALSE, FALSE, sizeof(uint32_t));
	uint32_t end = UNSEEN, last = UNSEEN;

	memset(via, 0xff, sizeof(uint32_t) * c->n);
	g_array_append_val(fifo, v);
	for (guint h = 0; h < fifo->len && end == UNSEEN; h++) {
		uint32_t u = g_array_index(fifo, uint32_t, h);
		if (kind == W_IDLE && !(c->enabled[u] >> t & 1)) {
			end = u;
			break;
		}
		for (uint32_t i = c->off[u]; i < c->off[u + 1]; i++) {
			const SimEdge *e = &c->adj[i];
			if (!inner(e, k))
				continue;
			if ((kind == W_STEP && sim_edge_tid(e) == t) ||
			    (kind == W_BACK && e->dst == to)) {
				end = u;
				last = i;
				break;
			}
			if (e->dst == v || via[e->dst] != UNSEEN)
				continue;
			via[e->dst] = i;
			g_array_append_val(fifo, e->dst);
		}
	}
	SIM_ASSERT(end != UNSEEN);
	if (last != UNSEEN)
		g_array_append_val(edges, last);
	for (uint32_t x = end; x != v; x = c->adj[via[x]].src)
		g_array_prepend_val(edges, via[x]);
	for (guint i = 0; i < edges->len; i++) {
		const SimEdge *e = &c->adj[g_array_index(edges, uint32_t, i)];
		int tid = sim_edge_tid(e);
		g_array_append_val(path, tid);
		*stepped |= SIM_TSET(tid);
		*idle |= ~c->enabled[e->dst];
		end = e->dst;
	}
	g_array_free(edges, TRUE);
	g_array_free(fifo, TRUE);
	g_free(via);
	return end;
}

/* A fair cycle of the component of state V, from V: for each thread,
 * unless the walk already took one of its steps or passed a state where
 * it cannot run, walk on to one of the two (the component has an inner
 * edge of it, STEPPED, or else a state where it cannot run: it is
 * fair), then back to V.  The walk is not empty: V has a thread that
 * can run (it has an inner edge), which is neither idle nor stepped. */
static void fair_cycle(const Sccs *k, uint32_t v, int nthreads,
		       SimThreadSet comp_stepped, GArray *path)
{
	SimThreadSet stepped = 0, idle = ~k->c->enabled[v];
	uint32_t u = v;

	for (int t = 0; t < nthreads; t++)
		if (!((stepped | idle) >> t & 1))
			u = walk_within(k, u, comp_stepped >> t & 1 ? W_STEP :
					W_IDLE, t, 0, path, &stepped, &idle);
	if (u != v)
		walk_within(k, u, W_BACK, -1, v, path, &stepped, &idle);
}

void sim_livelock_check(SimSearch *s, const SimCsr *c,
			const SimGraphVisit *visit)
{
	SimExploreResult *r = s->r;
	bool any = false;
	uint8_t *cyclic = cycles(c, visit);
	for (int who = 0; cyclic && who < s->p->scn->nthreads && !any; who++) {
		Sccs k = { .c = c, .who = who, .cyclic = cyclic,
			   .nthreads = s->p->scn->nthreads };
		SimThreadSet *stepped;
		k.comp = sccs(c, who, cyclic, NULL, &k.ncomp);
		uint8_t *fair = fair_components(&k, &stepped);
		for (uint32_t x = 0; x < k.ncomp && !any; x++)
			any = fair[x];
		if (any) {
			GArray *path = g_array_new(FALSE, FALSE, sizeof(int));
			uint32_t v = prefix_to(&k, fair, path);
			r->cycle_from = (int)path->len;
			fair_cycle(&k, v, s->p->scn->nthreads,
				   stepped[k.comp[v]], path);
			r->found |= (SimPropSet)(1u << SIM_PROP_LIVELOCK);
			if (r->cex[SIM_PROP_LIVELOCK])
				g_array_free(r->cex[SIM_PROP_LIVELOCK], TRUE);
			r->cex[SIM_PROP_LIVELOCK] = path;
			r->cex_minimal[SIM_PROP_LIVELOCK] = true;
		}
		g_free(fair);
		g_free(stepped);
		g_free(k.comp);
	}
	g_free(cyclic);
}
