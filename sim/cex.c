/*
 * cex.c - counterexamples by a 0-1 search.  See cex.h.
 *
 * A node is (world, last thread), stored whole (an exact visited set of
 * the world's hashed prefix and the thread); a goal is an edge that
 * flags a wanted property, queued at its cost so that the first goal
 * popped for a property is a cheapest path to it.
 */
#include <string.h>
#include "cex.h"
#include "visited.h"

#define GOAL_BIT 0x80000000u

/* ---- Dial's buckets ------------------------------------------------ */

void sim_dial_init(SimDial *q)
{
	memset(q, 0, sizeof(*q));
	for (unsigned i = 0; i < SIM_DIAL_BUCKETS; i++)
		q->bucket[i] = g_array_new(FALSE, FALSE, sizeof(uint32_t));
}

void sim_dial_free(SimDial *q)
{
	for (unsigned i = 0; i < SIM_DIAL_BUCKETS; i++)
		g_array_free(q->bucket[i], TRUE);
}

void sim_dial_push(SimDial *q, uint32_t entry, uint32_t key)
{
	g_array_append_val(q->bucket[key % SIM_DIAL_BUCKETS], entry);
	q->queued++;
}

bool sim_dial_pop(SimDial *q, uint32_t *entry)
{
	if (!q->queued)
		return false;
	for (;; q->key++) {
		unsigned i = q->key % SIM_DIAL_BUCKETS;
		GArray *b = q->bucket[i];
		if (q->head[i] == b->len) {
			q->head[i] = 0;
			g_array_set_size(b, 0);
			continue;
		}
		*entry = g_array_index(b, uint32_t, q->head[i]++);
		q->queued--;
		return true;
	}
}

/* ---- the 0-1 search over (world, last thread) --------------------- */

typedef struct {
	uint32_t parent;
	uint32_t key;
	uint8_t tid;
	uint8_t closed;
} Node;

typedef struct {
	uint32_t node;
	uint32_t key;
	uint8_t tid;
	SimPropSet props;
} Goal;

typedef struct {
	SimSearch *s;
	SimVisited *nodes;      /* exact: world prefix + last thread + 1 */
	GArray *meta;           /* Node, by id */
	GArray *goals;          /* Goal */
	SimDial q;
	uint8_t *rec;           /* hsize + 1 scratch */
	SimSlot w[2];           /* [0] expanded node, [1] child */
	SimPropSet want, got;
} Cex;

static void cex_goal(Cex *x, uint32_t node, int tid, uint32_t key,
		     SimPropSet props)
{
	Goal g = { .node = node, .key = key, .tid = (uint8_t)tid,
		   .props = props };

	if (!(props & x->want & ~x->got))
		return;
	uint32_t gi = (uint32_t)x->goals->len;
	g_array_append_val(x->goals, g);
	sim_dial_push(&x->q, gi | GOAL_BIT, key);
}

/* Add (state x->w[1], last TID) reached from PARENT at KEY. */
static void cex_node(Cex *x, uint32_t parent, int tid, uint32_t key)
{
	size_t hs = x->s->hsize;
	bool is_new;

	memcpy(x->rec, sim_world_state(x->w[1].w), hs);
	x->rec[hs] = (uint8_t)(tid + 1);
	uint32_t id = sim_visited_add(x->nodes, x->rec, &is_new);
	if (is_new) {
		Node n = { .parent = parent, .key = key, .tid = (uint8_t)tid };
		g_array_append_val(x->meta, n);
	} else {
		Node *n = &g_array_index(x->meta, Node, id);
		if (n->closed || n->key <= key)
			return;
		n->parent = parent;
		n->key = key;
		n->tid = (uint8_t)tid;
	}
	sim_dial_push(&x->q, id, key);
}

static void cex_expand(Cex *x, uint32_t id)
{
	SimSearch *s = x->s;
	Node *n = &g_array_index(x->meta, Node, id);
	const uint8_t *rec = sim_visited_state(x->nodes, id);
	int last = rec[s->hsize] - 1;
	uint32_t key = n->key;
	SimPropSet found;

	n->closed = 1;
	memcpy(SIM_W_AT(x->w[0].w, x->w[0].w->state), rec, s->hsize);
	SimThreadSet runnable = sim_step_runnable(x->w[0].w);
	if (key % (SIM_STEPS_MAX + 1) >= s->depth_max)
		return;
	for (int t = 0; runnable >> t; t++) {
		if (!(runnable >> t & 1))
			continue;
		uint32_t k = key + (last >= 0 && t != last &&
				    (runnable >> last & 1) ? SIM_CEX_PREEMPT_COST :
				    SIM_CEX_STEP_COST);
		if (!sim_search_step(s, x->w[0], x->w[1], t, NULL, &found,
				     NULL))
			return;
		s->r->transitions--;    /* not the main search's */
		cex_goal(x, id, t, k, found);
		cex_goal(x, id, t, k, sim_search_terminal(s->p, x->w[1].w));
		cex_node(x, id, t, k);
	}
}

/* The thread sequence to goal G. */
static GArray *cex_path(Cex *x, const Goal *g)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(int));
	int t = g->tid;

	g_array_append_val(a, t);
	for (uint32_t id = g->node; id != 0;) {
		const Node *n = &g_array_index(x->meta, Node, id);
		t = n->tid;
		g_array_prepend_val(a, t);
		id = n->parent;
	}
	return a;
}

static void cex_take(Cex *x, const Goal *g)
{
	SimExploreResult *r = x->s->r;

	for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
		if (!(g->props & x->want & ~x->got) || !(g->props >> prop & 1))
			continue;
		if (!(x->want >> prop & 1) || (x->got >> prop & 1))
			continue;
		x->got |= (SimPropSet)(1u << prop);
		if (r->cex[prop])
			g_array_free(r->cex[prop], TRUE);
		r->cex[prop] = cex_path(x, g);
		r->cex_minimal[prop] = true;
	}
}

static void cex_init(Cex *x, SimSearch *s, const SimWorld *init)
{
	x->s = s;
	x->nodes = sim_visited_new(s->hsize + 1, true, 0);
	x->meta = g_array_new(FALSE, FALSE, sizeof(Node));
	x->goals = g_array_new(FALSE, FALSE, sizeof(Goal));
	sim_dial_init(&x->q);
	x->rec = g_malloc0(s->hsize + 1);
	x->w[0] = (SimSlot){ sim_world_dup(init), NULL };
	x->w[1] = (SimSlot){ sim_world_dup(init), NULL };
	cex_node(x, 0, -1, 0);
}

static void cex_free(Cex *x)
{
	sim_visited_free(x->nodes);
	g_array_free(x->meta, TRUE);
	g_array_free(x->goals, TRUE);
	sim_dial_free(&x->q);
	g_free(x->rec);
	g_free(x->w[0].w);
	g_free(x->w[1].w);
}

void sim_cex_minimise(SimSearch *s, const SimWorld *init,
				 SimPropSet want)
{
	uint64_t budget = s->o->cex_nodes_max ? s->o->cex_nodes_max :
			  4u << 20;
	Cex x = { .want = want };
	uint32_t e;

	cex_init(&x, s, init);
	while (x.got != want && sim_dial_pop(&x.q, &e) && !s->stop) {
		if (e & GOAL_BIT) {
			cex_take(&x, &g_array_index(x.goals, Goal,
						    e & ~GOAL_BIT));
			continue;
		}
		const Node *n = &g_array_index(x.meta, Node, e);
		if (n->closed || n->key != x.q.key)
			continue;
		uint64_t bytes = sim_visited_bytes_next(x.nodes) +
				 x.meta->len * sizeof(Node);
		sim_search_note_peak(s, sim_visited_bytes(x.nodes) +
			  x.meta->len * sizeof(Node));
		/* --time-max covers minimising too: past it the paths
		 * found so far stand, marked not minimal */
		if (sim_visited_count(x.nodes) > budget ||
		    (s->o->memory_max &&
		     bytes + SIM_EXPLORE_PROCESS_BYTES > s->o->memory_max) ||
		    (s->o->interrupted && *s->o->interrupted) ||
		    (s->o->time_max > 0 &&
		     sim_search_seconds(s) > s->o->time_max))
			break;
		cex_expand(&x, e);
	}
	s->r->cex_nodes = sim_visited_count(x.nodes);
	cex_free(&x);
}

/* Each path is re-run as its drawing will be.  A random walk that hits
 * one property may pass another the walks never flagged (the 0-1 search
 * draws a different run).  Returns the properties added. */
SimPropSet sim_cex_paths_see(SimSearch *s, const SimWorld *init)
{
	SimExploreResult *r = s->r;
	SimSlot w[2] = { { sim_world_dup(init), NULL },
			 { sim_world_dup(init), NULL } };
	SimPropSet added = 0, found;

	for (int prop = 0; prop < SIM_PROP_COUNT; prop++) {
		const GArray *a = r->cex[prop];
		if (!a || prop == SIM_PROP_LIVELOCK)
			continue;
		const int *tids = (const int *)(const void *)a->data;
		int cur = 0;
		sim_world_copy(w[0].w, init);
		for (guint i = 0; i < a->len; i++) {
			if (!sim_search_step(s, w[cur], w[cur ^ 1], tids[i],
					     NULL, &found, NULL))
				break;
			s->r->transitions--;    /* not the search's */
			cur ^= 1;
			found |= sim_search_terminal(s->p, w[cur].w);
			found &= (SimPropSet)~r->found;
			added |= found;
			sim_search_record(s, tids, (int)i + 1, found);
		}
	}
	g_free(w[0].w);
	g_free(w[1].w);
	return added;
}
