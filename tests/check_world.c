/*
 * check_world.c - the simulated machine (sim/world.h): allocator,
 * staleness test, invariant check, hashed size.
 *
 * Contracts tested, one TCase each:
 *   alloc     the free stack is LIFO (the block freed last comes back
 *             first), an allocation owns the block in state NEW, a free
 *             forgets the block and its dirty cache lines, a full disk
 *             returns 0 and changes nothing;
 *   stale     sim_world_pte_is_stale for each PTE kind, at, below and
 *             past i_size;
 *   check     sim_world_check accepts a world built like the stepper's
 *             and rejects each invariant violation with its own message;
 *   hash      sim_world_hash_size covers the state and the lock instances
 *             in use, and neither the unused ones nor the notes;
 *   assert    the run driver aborts (SIM_ASSERT) when a step leaves a
 *             world that breaks an invariant.
 *
 * The worlds are built by hand the way sim_step_init builds them: file
 * blocks B1..Bn at pgoffs 0..n-1, free stack B12 (bottom) .. Bn+1 (top).
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "world.h"
#include "parse.h"
#include "run.h"

Suite *world_suite(void);

/* A world of I_SIZE pages whose first NB pgoffs hold B1..B(NB). */
static void make_world(SimWorld *w, int i_size, int nb)
{
	memset(w, 0, sizeof(*w));
	w->i_size = (uint8_t)i_size;
	w->nprocs = 1;
	for (int b = 1; b <= nb; b++) {
		w->bmap[b - 1] = (uint8_t)b;
		w->block[b].owner_pgoff = (uint8_t)(b - 1);
		w->block[b].state = SIM_BLK_WRITTEN;
	}
	for (int b = SIM_BLOCKS_MAX; b > nb; b--)
		w->free_stack[w->nfree++] = (uint8_t)b;
}

static bool world_ok(const SimWorld *w)
{
	const char *what = NULL;
	bool ok = sim_world_check(w, &what);

	ck_assert(ok || what != NULL);
	return ok;
}

static const char *world_why(const SimWorld *w)
{
	const char *what = NULL;

	ck_assert(!sim_world_check(w, &what));
	ck_assert_ptr_nonnull(what);
	return what;
}

/* ---- alloc ------------------------------------------------------------ */

START_TEST(test_alloc_pops_top)
{
	SimWorld w;

	make_world(&w, 4, 4);
	ck_assert_int_eq(w.nfree, SIM_BLOCKS_MAX - 4);
	ck_assert_int_eq(sim_world_alloc_block(&w, 0, 5), 5);
	ck_assert_int_eq(w.nfree, SIM_BLOCKS_MAX - 5);
	ck_assert_int_eq(w.free_stack[w.nfree], 0);     /* slot cleared */
	ck_assert_int_eq(w.block[5].owner_ino, 0);
	ck_assert_int_eq(w.block[5].owner_pgoff, 5);
	ck_assert_int_eq(w.block[5].state, SIM_BLK_NEW);
	ck_assert_int_eq(w.block[5].stored, 0);
	ck_assert_int_eq(sim_world_alloc_block(&w, 1, 0), 6);
	ck_assert_int_eq(w.block[6].owner_ino, 1);
	ck_assert_int_eq(w.block[6].owner_pgoff, 0);
	ck_assert_int_eq(w.block[6].state, SIM_BLK_NEW);
}
END_TEST

START_TEST(test_alloc_lifo_reuse)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.bmap[2] = 0;
	sim_world_free_block(&w, 3);
	/* the block freed last comes back first, to whoever asks */
	ck_assert_int_eq(sim_world_alloc_block(&w, 1, 0), 3);
	ck_assert_int_eq(w.block[3].owner_ino, 1);

	w.bmap[0] = w.bmap[1] = 0;
	sim_world_free_block(&w, 1);
	sim_world_free_block(&w, 2);
	ck_assert_int_eq(sim_world_alloc_block(&w, 0, 7), 2);
	ck_assert_int_eq(sim_world_alloc_block(&w, 0, 6), 1);
	ck_assert_int_eq(sim_world_alloc_block(&w, 0, 5), 5);
}
END_TEST

/* A reused block does not keep the old owner's "stored" mark. */
START_TEST(test_alloc_resets_stored)
{
	SimWorld w;

	make_world(&w, 4, 1);
	w.block[1].stored = 1;
	w.bmap[0] = 0;
	sim_world_free_block(&w, 1);
	ck_assert_int_eq(sim_world_alloc_block(&w, 0, 3), 1);
	ck_assert_int_eq(w.block[1].stored, 0);
	ck_assert_int_eq(w.block[1].state, SIM_BLK_NEW);
	ck_assert_int_eq(w.block[1].owner_pgoff, 3);
}
END_TEST

START_TEST(test_free_clears_block_and_cache)
{
	SimWorld w;

	make_world(&w, 4, 3);
	w.block[2].stored = 1;
	w.cache_dirty = (uint16_t)(1u << 2 | 1u << 3);
	w.bmap[1] = 0;
	sim_world_free_block(&w, 2);
	ck_assert_int_eq(w.block[2].state, SIM_BLK_FREE);
	ck_assert_int_eq(w.block[2].stored, 0);
	ck_assert_int_eq(w.block[2].owner_pgoff, 0);
	ck_assert_int_eq(w.cache_dirty, 1u << 3);
	ck_assert_int_eq(w.free_stack[w.nfree - 1], 2);
	ck_assert(world_ok(&w));
}
END_TEST

START_TEST(test_alloc_disk_full)
{
	SimWorld w;
	SimWorld before;

	make_world(&w, 8, 8);
	for (int b = 9; b <= SIM_BLOCKS_MAX; b++)
		ck_assert_int_eq(sim_world_alloc_block(&w, 1, 0), b);
	ck_assert_int_eq(w.nfree, 0);
	memcpy(&before, &w, sizeof(w));
	ck_assert_int_eq(sim_world_alloc_block(&w, 0, 3), 0);
	ck_assert_int_eq(sim_world_alloc_block(&w, 1, 0), 0);
	ck_assert(memcmp(&before, &w, sizeof(w)) == 0);
}
END_TEST

/* ---- stale ------------------------------------------------------------ */

static SimPte pte(int kind, int target)
{
	SimPte p = { .kind = (uint8_t)kind, .target = (uint8_t)target };

	return p;
}

START_TEST(test_stale_none)
{
	SimWorld w;
	SimPte p = pte(SIM_PTE_K_NONE, 0);

	make_world(&w, 2, 2);
	ck_assert(!sim_world_pte_is_stale(&w, &p, 0));
	ck_assert(!sim_world_pte_is_stale(&w, &p, 5));  /* past EOF */
}
END_TEST

START_TEST(test_stale_block)
{
	SimWorld w;
	SimPte b2 = pte(SIM_PTE_K_BLOCK, 2);

	make_world(&w, 3, 3);
	ck_assert(!sim_world_pte_is_stale(&w, &b2, 1));
	/* the file has another block there */
	ck_assert(sim_world_pte_is_stale(&w, &b2, 2));
	/* the file has a hole there */
	w.bmap[1] = 0;
	ck_assert(sim_world_pte_is_stale(&w, &b2, 1));
	/* the right block, but at or past i_size */
	w.bmap[1] = 2;
	w.i_size = 2;
	ck_assert(!sim_world_pte_is_stale(&w, &b2, 1));
	w.i_size = 1;
	ck_assert(sim_world_pte_is_stale(&w, &b2, 1));
}
END_TEST

START_TEST(test_stale_page)
{
	SimWorld w;
	SimPte pg = pte(SIM_PTE_K_PAGE, 2);

	make_world(&w, 4, 4);
	ck_assert(sim_world_pte_is_stale(&w, &pg, 2));  /* no page */
	w.mflags[2] = SIM_MF_PAGE | SIM_MF_PDIRTY;
	ck_assert(!sim_world_pte_is_stale(&w, &pg, 2));
	/* the page being there is what counts, not the block behind it */
	w.bmap[2] = 0;
	ck_assert(!sim_world_pte_is_stale(&w, &pg, 2));
	w.i_size = 2;
	ck_assert(sim_world_pte_is_stale(&w, &pg, 2));
	w.i_size = 3;
	ck_assert(!sim_world_pte_is_stale(&w, &pg, 2));
}
END_TEST

START_TEST(test_stale_zero)
{
	SimWorld w;
	SimPte z = pte(SIM_PTE_K_ZERO, 0);

	make_world(&w, 4, 0);
	ck_assert(!sim_world_pte_is_stale(&w, &z, 3));
	/* a block under a zero-page PTE is stale-zero-page, not this */
	w.bmap[3] = 12;
	ck_assert(!sim_world_pte_is_stale(&w, &z, 3));
	ck_assert(sim_world_pte_is_stale(&w, &z, 4));
	w.i_size = 0;
	ck_assert(sim_world_pte_is_stale(&w, &z, 0));
}
END_TEST

/* ---- check ------------------------------------------------------------ */

START_TEST(test_check_accepts_valid)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.nthreads = 2;
	w.thread[0].depth = 2;
	w.thread[1].status = SIM_TH_DONE;
	w.nlocks = 3;
	sim_lock_init(&w.lock[0], SIM_LK_MUTEX);
	sim_lock_init(&w.lock[1], SIM_LK_RWSEM);
	sim_lock_init(&w.lock[2], SIM_LK_ENTRY);
	sim_lock_acquire(&w.lock[0], 0, SIM_MODE_WRITE, 0, 0);
	ck_assert(world_ok(&w));
	/* a disk with every block allocated is fine too */
	make_world(&w, 8, 8);
	while (w.nfree)
		sim_world_alloc_block(&w, 1, 0);
	ck_assert(world_ok(&w));
}
END_TEST

START_TEST(test_check_mapped_block_free)
{
	SimWorld w;

	make_world(&w, 4, 4);
	/* B3 freed but still in the block map */
	sim_world_free_block(&w, 3);
	ck_assert_str_eq(world_why(&w),
			 "a mapped block is free or owned elsewhere");
}
END_TEST

START_TEST(test_check_mapped_block_other_file)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.block[2].owner_ino = 1;
	ck_assert_str_eq(world_why(&w),
			 "a mapped block is free or owned elsewhere");
}
END_TEST

START_TEST(test_check_mapped_block_other_pgoff)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.block[2].owner_pgoff = 3;
	ck_assert_str_eq(world_why(&w),
			 "a mapped block is free or owned elsewhere");
}
END_TEST

START_TEST(test_check_stack_bad_id)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.free_stack[0] = 0;            /* B12 replaced by "block 0" */
	ck_assert_str_eq(world_why(&w), "the free stack is corrupt");
	make_world(&w, 4, 4);
	w.free_stack[0] = SIM_BLOCKS_MAX + 1;
	ck_assert_str_eq(world_why(&w), "the free stack is corrupt");
}
END_TEST

START_TEST(test_check_stack_duplicate)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.free_stack[w.nfree++] = 12;   /* B12 twice */
	ck_assert_str_eq(world_why(&w), "the free stack is corrupt");
}
END_TEST

START_TEST(test_check_stack_holds_used_block)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.free_stack[w.nfree++] = 2;    /* B2 is the file's */
	ck_assert_str_eq(world_why(&w), "the free stack is corrupt");
}
END_TEST

START_TEST(test_check_free_block_missing)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.nfree--;                      /* B5 dropped off the top */
	ck_assert_str_eq(world_why(&w),
			 "a free block is missing from the free stack");
}
END_TEST

START_TEST(test_check_bad_lock)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.nlocks = 2;
	sim_lock_init(&w.lock[0], SIM_LK_MUTEX);
	sim_lock_init(&w.lock[1], SIM_LK_MUTEX);
	w.lock[1].held = 0x3;
	w.lock[1].excl = 0x3;
	ck_assert_str_eq(world_why(&w), "a lock instance is inconsistent");
	/* an instance past nlocks is not looked at */
	w.nlocks = 1;
	ck_assert(world_ok(&w));
}
END_TEST

START_TEST(test_check_blocked_not_queued)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.nthreads = 2;
	w.nlocks = 1;
	sim_lock_init(&w.lock[0], SIM_LK_MUTEX);
	w.thread[0].depth = w.thread[1].depth = 2;
	sim_lock_acquire(&w.lock[0], 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(&w.lock[0], 1, SIM_MODE_WRITE, 0, 0);
	w.thread[1].status = SIM_TH_BLOCKED;
	w.thread[1].wait_lock = 0;
	ck_assert(world_ok(&w));
	/* queued nowhere */
	sim_lock_wake_all(&w.lock[0]);
	ck_assert_str_eq(world_why(&w),
			 "a blocked thread is not queued on its lock");
}
END_TEST

/* Asleep on a lock it holds (recursive mutex_lock, reported as a
 * deadlock) is a legal state. */
START_TEST(test_check_blocked_on_own_lock)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.nthreads = 1;
	w.nlocks = 1;
	sim_lock_init(&w.lock[0], SIM_LK_MUTEX);
	sim_lock_acquire(&w.lock[0], 0, SIM_MODE_WRITE, 0, 0);
	w.thread[0].depth = 2;
	w.thread[0].status = SIM_TH_BLOCKED;
	ck_assert(world_ok(&w));
}
END_TEST

START_TEST(test_check_status_vs_stack)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.nthreads = 1;
	w.thread[0].status = SIM_TH_DONE;
	w.thread[0].depth = 1;
	ck_assert_str_eq(world_why(&w),
			 "a thread's status disagrees with its stack");
	w.thread[0].status = SIM_TH_RUNNABLE;
	w.thread[0].depth = 0;
	ck_assert_str_eq(world_why(&w),
			 "a thread's status disagrees with its stack");
	/* threads past nthreads are not looked at */
	w.nthreads = 0;
	ck_assert(world_ok(&w));
}
END_TEST

/* ---- hash ------------------------------------------------------------- */

START_TEST(test_hash_size_covers_locks_in_use)
{
	SimWorld w;

	make_world(&w, 4, 4);
	w.nlocks = 0;
	ck_assert_uint_eq(sim_world_hash_size(&w), offsetof(SimWorld, lock));
	w.nlocks = 5;
	ck_assert_uint_eq(sim_world_hash_size(&w),
			  offsetof(SimWorld, lock) + 5 * sizeof(SimLock));
	w.nlocks = SIM_LOCKS_MAX;
	ck_assert_uint_le(sim_world_hash_size(&w), offsetof(SimWorld, notes));
}
END_TEST

/* What the search compares: state and used locks differ, notes and
 * unused lock slots do not. */
START_TEST(test_hash_size_excludes_notes)
{
	SimWorld a, b;

	make_world(&a, 4, 4);
	a.nlocks = 3;
	memcpy(&b, &a, sizeof(a));
	size_t n = sim_world_hash_size(&a);

	b.notes.step = 99;
	b.notes.freed_by[3] = 2;
	b.notes.acq_line[1][2] = 17;
	b.lock[3].held = 1;             /* instance 3 is not in use */
	ck_assert(memcmp(&a, &b, n) == 0);

	b.lock[2].held = 1;
	ck_assert(memcmp(&a, &b, n) != 0);
	b.lock[2].held = 0;
	b.thread[3].reg[SIM_REGS_MAX - 1] = 1;
	ck_assert(memcmp(&a, &b, n) != 0);
	b.thread[3].reg[SIM_REGS_MAX - 1] = 0;
	b.pte[1][7].writable = 1;
	ck_assert(memcmp(&a, &b, n) != 0);
}
END_TEST

/* ---- assert ----------------------------------------------------------- */

static const char assert_model[] =
	"model t\n"
	"op nop() {\n"
	"\ti_size_read()\n"
	"\ti_size_read()\n"
	"\treturn 0\n"
	"}\n";

static const char assert_scn[] =
	"scenario s\n"
	"file size 2 blocks 0..1\n"
	"thread T0 {\n"
	"\tnop()\n"
	"}\n";

/* A world corrupted between steps makes sim_run_step abort (SIM_ASSERT
 * after sim_world_check) rather than carry on.  Without fork (CK_FORK=no)
 * an abort would end the whole runner, so the test does nothing there
 * (Check does not check the expected signal in that mode). */
START_TEST(test_run_step_asserts_world)
{
	GError *err = NULL;
	char *missing = NULL;
	SimRun run;

	if (g_strcmp0(getenv("CK_FORK"), "no") == 0)
		return;         /* Check ignores the signal without fork */
	SimModel *m = sim_parse_model_string(assert_model, "t.model", NULL,
					     &err);
	ck_assert_ptr_nonnull(m);
	SimScenario *s = sim_parse_scenario_string(assert_scn, "s.scn", &err);
	ck_assert_ptr_nonnull(s);
	SimProgram *p = sim_program_link(m, s, &missing, &err);
	ck_assert_ptr_nonnull(p);
	SimTrace *tr = sim_trace_new(p);
	ck_assert(sim_run_start(&run, p, tr));
	ck_assert(sim_run_step(&run, 0));       /* a clean step passes */
	run.w.free_stack[0] = run.w.free_stack[1];
	sim_run_step(&run, 0);
	ck_abort_msg("sim_run_step accepted a corrupt world");
}
END_TEST

Suite *world_suite(void)
{
	Suite *s = suite_create("world");
	TCase *tc;

	tc = tcase_create("alloc");
	tcase_add_test(tc, test_alloc_pops_top);
	tcase_add_test(tc, test_alloc_lifo_reuse);
	tcase_add_test(tc, test_alloc_resets_stored);
	tcase_add_test(tc, test_free_clears_block_and_cache);
	tcase_add_test(tc, test_alloc_disk_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("stale");
	tcase_add_test(tc, test_stale_none);
	tcase_add_test(tc, test_stale_block);
	tcase_add_test(tc, test_stale_page);
	tcase_add_test(tc, test_stale_zero);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_add_test(tc, test_check_accepts_valid);
	tcase_add_test(tc, test_check_mapped_block_free);
	tcase_add_test(tc, test_check_mapped_block_other_file);
	tcase_add_test(tc, test_check_mapped_block_other_pgoff);
	tcase_add_test(tc, test_check_stack_bad_id);
	tcase_add_test(tc, test_check_stack_duplicate);
	tcase_add_test(tc, test_check_stack_holds_used_block);
	tcase_add_test(tc, test_check_free_block_missing);
	tcase_add_test(tc, test_check_bad_lock);
	tcase_add_test(tc, test_check_blocked_not_queued);
	tcase_add_test(tc, test_check_blocked_on_own_lock);
	tcase_add_test(tc, test_check_status_vs_stack);
	suite_add_tcase(s, tc);

	tc = tcase_create("hash");
	tcase_add_test(tc, test_hash_size_covers_locks_in_use);
	tcase_add_test(tc, test_hash_size_excludes_notes);
	suite_add_tcase(s, tc);

	tc = tcase_create("assert");
	tcase_add_test_raise_signal(tc, test_run_step_asserts_world, SIGABRT);
	suite_add_tcase(s, tc);
	return s;
}
