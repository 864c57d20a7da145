/*
 * dfs.h - the exhaustive search: stateful depth-first, reduced.
 *
 * A depth-first search with an explicit stack of whole worlds,
 * preallocated to depth_max: a step is a memcpy of the parent's world and
 * one sim_step(); nothing in the loop allocates except the visited set
 * (visited.h: 64-bit fingerprints, or whole states with --exact) when it
 * grows.  With s->o->por, each state is expanded for its ample set
 * (por.h) only, with
 *
 *   sleep sets     per state, in the visited set's data byte; a state
 *                  seen again with a sleep set missing some of the
 *                  stored one is explored again for those threads
 *                  (Godefroid's state-caching rule);
 *   cycle proviso  a reduced state with a successor on the DFS stack is
 *                  fully expanded (bit 7 of the data byte marks states
 *                  on the stack).
 *
 * Each state's choices are taken in thread order, or with
 * s->o->order_seed in a permutation drawn from it per state (a swarm
 * member: another order covers another part first under a bound; a
 * complete search answers the same).
 *
 * Every property a step or a stuck state flags is recorded with the path
 * to it (sim_search_record); with s->g set, every transition taken goes
 * into that graph for the livelock check (livelock.h).
 */
#ifndef SIM_DFS_H
#define SIM_DFS_H

#include "searchctx.h"

/* sim_dfs_run - search every state reachable from INIT under S's bounds;
 * the figures go to s->r (states, transitions, depth, collisions). */
void sim_dfs_run(SimSearch *s, const SimWorld *init);

#endif
