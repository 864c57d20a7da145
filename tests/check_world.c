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
 *             world that breaks an invariant;
 *   bits      sim_bits_count64 counts the members of a 64-bit set, bit
 *             by bit, over the empty, full and single-member sets and a
 *             stream of mixed ones.
 *
 * The worlds are built by hand the way sim_step_init builds them: file
 * blocks B1..Bn at pgoffs 0..n-1, free stack B12 (bottom) .. Bn+1 (top).
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "bitset.h"
#include "world.h"
#include "parse.h"
#include "run.h"

Suite *world_suite(void);

/* The shape of a small scenario: one process, 8 pages, B1..B12. */
#define NBLOCKS 12

/* *W becomes a world of I_SIZE pages whose first NB pgoffs hold
 * B1..B(NB), with NTHREADS threads (not started) and NLOCKS unheld lock
 * instances, of the kinds in `kinds` below. */
static void make_world(SimWorld **w, int i_size, int nb, int nthreads,
		       int nlocks)
{
	static const uint8_t kinds[4] = {
		SIM_LK_MUTEX, SIM_LK_RWSEM, SIM_LK_ENTRY, SIM_LK_MUTEX,
	};
	SimShape shape = {
		.threads = (uint16_t)nthreads, .procs = 1, .pages = 8,
		.blocks = NBLOCKS, .locks = (uint16_t)nlocks, .lock_kind = kinds,
		.frames = SIM_FRAMES_MAX, .regs = SIM_REGS_MAX,
	};

	ck_assert_int_le(nlocks, (int)sizeof(kinds));
	g_free(*w);
	*w = sim_world_new(&shape);
	sim_core(*w)->i_size = (uint16_t)i_size;
	for (int b = 1; b <= nb; b++) {
		sim_bmap(*w)[b - 1] = (uint16_t)b;
		sim_block(*w, b)->owner_pgoff = (uint16_t)(b - 1);
		sim_block(*w, b)->state = SIM_BLK_WRITTEN;
	}
	for (int b = NBLOCKS; b > nb; b--)
		sim_free_stack(*w)[sim_core(*w)->nfree++] = (uint16_t)b;
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
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 0, 0);
	ck_assert_int_eq(sim_core(w)->nfree, NBLOCKS - 4);
	ck_assert_int_eq(sim_world_alloc_block(w, 0, 5), 5);
	ck_assert_int_eq(sim_core(w)->nfree, NBLOCKS - 5);
	ck_assert_int_eq(sim_free_stack(w)[sim_core(w)->nfree], 0);     /* slot cleared */
	ck_assert_int_eq(sim_block(w, 5)->owner_ino, 0);
	ck_assert_int_eq(sim_block(w, 5)->owner_pgoff, 5);
	ck_assert_int_eq(sim_block(w, 5)->state, SIM_BLK_NEW);
	ck_assert_int_eq(sim_block(w, 5)->stored, 0);
	ck_assert_int_eq(sim_world_alloc_block(w, 1, 0), 6);
	ck_assert_int_eq(sim_block(w, 6)->owner_ino, 1);
	ck_assert_int_eq(sim_block(w, 6)->owner_pgoff, 0);
	ck_assert_int_eq(sim_block(w, 6)->state, SIM_BLK_NEW);
}
END_TEST

START_TEST(test_alloc_lifo_reuse)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 0, 0);
	sim_bmap(w)[2] = 0;
	sim_world_free_block(w, 3);
	/* the block freed last comes back first, to whoever asks */
	ck_assert_int_eq(sim_world_alloc_block(w, 1, 0), 3);
	ck_assert_int_eq(sim_block(w, 3)->owner_ino, 1);

	sim_bmap(w)[0] = sim_bmap(w)[1] = 0;
	sim_world_free_block(w, 1);
	sim_world_free_block(w, 2);
	ck_assert_int_eq(sim_world_alloc_block(w, 0, 7), 2);
	ck_assert_int_eq(sim_world_alloc_block(w, 0, 6), 1);
	ck_assert_int_eq(sim_world_alloc_block(w, 0, 5), 5);
}
END_TEST

/* A reused block does not keep the old owner's "stored" mark. */
START_TEST(test_alloc_resets_stored)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 1, 0, 0);
	sim_block(w, 1)->stored = 1;
	sim_bmap(w)[0] = 0;
	sim_world_free_block(w, 1);
	ck_assert_int_eq(sim_world_alloc_block(w, 0, 3), 1);
	ck_assert_int_eq(sim_block(w, 1)->stored, 0);
	ck_assert_int_eq(sim_block(w, 1)->state, SIM_BLK_NEW);
	ck_assert_int_eq(sim_block(w, 1)->owner_pgoff, 3);
}
END_TEST

START_TEST(test_free_clears_block_and_cache)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 3, 0, 0);
	sim_block(w, 2)->stored = 1;
	sim_bit_set(sim_cache_dirty(w), 2);
	sim_bit_set(sim_cache_dirty(w), 3);
	sim_bmap(w)[1] = 0;
	sim_world_free_block(w, 2);
	ck_assert_int_eq(sim_block(w, 2)->state, SIM_BLK_FREE);
	ck_assert_int_eq(sim_block(w, 2)->stored, 0);
	ck_assert_int_eq(sim_block(w, 2)->owner_pgoff, 0);
	ck_assert_int_eq(sim_cache_dirty(w)[0], 1u << 3);
	ck_assert_int_eq(sim_cache_dirty(w)[1], 0);
	ck_assert_int_eq(sim_free_stack(w)[sim_core(w)->nfree - 1], 2);
	ck_assert(world_ok(w));
}
END_TEST

START_TEST(test_alloc_disk_full)
{
	g_autofree SimWorld *w = NULL;
	g_autofree SimWorld *before = NULL;

	make_world(&w, 8, 8, 0, 0);
	for (int b = 9; b <= NBLOCKS; b++)
		ck_assert_int_eq(sim_world_alloc_block(w, 1, 0), b);
	ck_assert_int_eq(sim_core(w)->nfree, 0);
	before = sim_world_dup(w);
	ck_assert_int_eq(sim_world_alloc_block(w, 0, 3), 0);
	ck_assert_int_eq(sim_world_alloc_block(w, 1, 0), 0);
	ck_assert(sim_world_equal(before, w));
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
	g_autofree SimWorld *w = NULL;
	SimPte p = pte(SIM_PTE_K_NONE, 0);

	make_world(&w, 2, 2, 0, 0);
	ck_assert(!sim_world_pte_is_stale(w, &p, 0));
	ck_assert(!sim_world_pte_is_stale(w, &p, 5));  /* past EOF */
}
END_TEST

START_TEST(test_stale_block)
{
	g_autofree SimWorld *w = NULL;
	SimPte b2 = pte(SIM_PTE_K_BLOCK, 2);

	make_world(&w, 3, 3, 0, 0);
	ck_assert(!sim_world_pte_is_stale(w, &b2, 1));
	/* the file has another block there */
	ck_assert(sim_world_pte_is_stale(w, &b2, 2));
	/* the file has a hole there */
	sim_bmap(w)[1] = 0;
	ck_assert(sim_world_pte_is_stale(w, &b2, 1));
	/* the right block, but at or past i_size */
	sim_bmap(w)[1] = 2;
	sim_core(w)->i_size = 2;
	ck_assert(!sim_world_pte_is_stale(w, &b2, 1));
	sim_core(w)->i_size = 1;
	ck_assert(sim_world_pte_is_stale(w, &b2, 1));
}
END_TEST

START_TEST(test_stale_page)
{
	g_autofree SimWorld *w = NULL;
	SimPte pg = pte(SIM_PTE_K_PAGE, 2);

	make_world(&w, 4, 4, 0, 0);
	ck_assert(sim_world_pte_is_stale(w, &pg, 2));  /* no page */
	sim_mflags(w)[2] = SIM_MF_PAGE | SIM_MF_PDIRTY;
	ck_assert(!sim_world_pte_is_stale(w, &pg, 2));
	/* the page being there is what counts, not the block behind it */
	sim_bmap(w)[2] = 0;
	ck_assert(!sim_world_pte_is_stale(w, &pg, 2));
	sim_core(w)->i_size = 2;
	ck_assert(sim_world_pte_is_stale(w, &pg, 2));
	sim_core(w)->i_size = 3;
	ck_assert(!sim_world_pte_is_stale(w, &pg, 2));
}
END_TEST

START_TEST(test_stale_zero)
{
	g_autofree SimWorld *w = NULL;
	SimPte z = pte(SIM_PTE_K_ZERO, 0);

	make_world(&w, 4, 0, 0, 0);
	ck_assert(!sim_world_pte_is_stale(w, &z, 3));
	/* a block under a zero-page PTE is stale-zero-page, not this */
	sim_bmap(w)[3] = 12;
	ck_assert(!sim_world_pte_is_stale(w, &z, 3));
	ck_assert(sim_world_pte_is_stale(w, &z, 4));
	sim_core(w)->i_size = 0;
	ck_assert(sim_world_pte_is_stale(w, &z, 0));
}
END_TEST

/* ---- check ------------------------------------------------------------ */

START_TEST(test_check_accepts_valid)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 2, 3);
	sim_thread(w, 0)->depth = 2;
	sim_thread(w, 1)->status = SIM_TH_DONE;
	sim_lock_acquire(sim_lock(w, 0), 0, SIM_MODE_WRITE, 0, 0);
	ck_assert(world_ok(w));
	/* a disk with every block allocated is fine too */
	make_world(&w, 8, 8, 0, 0);
	while (sim_core(w)->nfree)
		sim_world_alloc_block(w, 1, 0);
	ck_assert(world_ok(w));
}
END_TEST

START_TEST(test_check_mapped_block_free)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 0, 0);
	/* B3 freed but still in the block map */
	sim_world_free_block(w, 3);
	ck_assert_str_eq(world_why(w),
			 "a mapped block is free or owned elsewhere");
}
END_TEST

START_TEST(test_check_mapped_block_other_file)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 0, 0);
	sim_block(w, 2)->owner_ino = 1;
	ck_assert_str_eq(world_why(w),
			 "a mapped block is free or owned elsewhere");
}
END_TEST

START_TEST(test_check_mapped_block_other_pgoff)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 0, 0);
	sim_block(w, 2)->owner_pgoff = 3;
	ck_assert_str_eq(world_why(w),
			 "a mapped block is free or owned elsewhere");
}
END_TEST

START_TEST(test_check_stack_bad_id)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 0, 0);
	sim_free_stack(w)[0] = 0;            /* B12 replaced by "block 0" */
	ck_assert_str_eq(world_why(w), "the free stack is corrupt");
	make_world(&w, 4, 4, 0, 0);
	sim_free_stack(w)[0] = NBLOCKS + 1;
	ck_assert_str_eq(world_why(w), "the free stack is corrupt");
}
END_TEST

START_TEST(test_check_stack_duplicate)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 0, 0);
	sim_free_stack(w)[sim_core(w)->nfree++] = 12;   /* B12 twice */
	ck_assert_str_eq(world_why(w), "the free stack is corrupt");
}
END_TEST

START_TEST(test_check_stack_holds_used_block)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 0, 0);
	sim_free_stack(w)[sim_core(w)->nfree++] = 2;    /* B2 is the file's */
	ck_assert_str_eq(world_why(w), "the free stack is corrupt");
}
END_TEST

START_TEST(test_check_free_block_missing)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 0, 0);
	sim_core(w)->nfree--;                      /* B5 dropped off the top */
	ck_assert_str_eq(world_why(w),
			 "a free block is missing from the free stack");
}
END_TEST

START_TEST(test_check_bad_lock)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 2, 2);
	sim_thread(w, 0)->status = sim_thread(w, 1)->status = SIM_TH_DONE;
	ck_assert(world_ok(w));
	/* T0 and T1 both hold the mutex */
	for (int t = 0; t < 2; t++) {
		sim_bit_set(sim_lock_tset(sim_lock(w, 0), SIM_LOCK_OWN), t);
		sim_bit_set(sim_lock_tset(sim_lock(w, 0), SIM_LOCK_XOWN), t);
	}
	ck_assert_str_eq(world_why(w), "a lock instance is inconsistent");
}
END_TEST

START_TEST(test_check_blocked_not_queued)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 2, 1);
	sim_thread(w, 0)->depth = sim_thread(w, 1)->depth = 2;
	sim_lock_acquire(sim_lock(w, 0), 0, SIM_MODE_WRITE, 0, 0);
	sim_lock_acquire(sim_lock(w, 0), 1, SIM_MODE_WRITE, 0, 0);
	sim_thread(w, 1)->status = SIM_TH_BLOCKED;
	sim_thread(w, 1)->wait_lock = 0;
	ck_assert(world_ok(w));
	/* queued nowhere */
	sim_lock_wake_all(sim_lock(w, 0));
	ck_assert_str_eq(world_why(w),
			 "a blocked thread is not queued on its lock");
}
END_TEST

/* Asleep on a lock it holds (recursive mutex_lock, reported as a
 * deadlock) is a legal state. */
START_TEST(test_check_blocked_on_own_lock)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 1, 1);
	sim_lock_acquire(sim_lock(w, 0), 0, SIM_MODE_WRITE, 0, 0);
	sim_thread(w, 0)->depth = 2;
	sim_thread(w, 0)->status = SIM_TH_BLOCKED;
	ck_assert(world_ok(w));
}
END_TEST

START_TEST(test_check_status_vs_stack)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 1, 0);
	sim_thread(w, 0)->status = SIM_TH_DONE;
	sim_thread(w, 0)->depth = 1;
	ck_assert_str_eq(world_why(w),
			 "a thread's status disagrees with its stack");
	sim_thread(w, 0)->status = SIM_TH_RUNNABLE;
	sim_thread(w, 0)->depth = 0;
	ck_assert_str_eq(world_why(w),
			 "a thread's status disagrees with its stack");
	sim_thread(w, 0)->depth = 1;
	ck_assert(world_ok(w));
}
END_TEST

/* ---- hash ------------------------------------------------------------- */

/* The state proper is every array the shape sizes, and nothing else:
 * the header is outside it, a thread and two locks more add their
 * records (and a few bytes of sets and padding). */
START_TEST(test_hash_size_is_the_shape)
{
	g_autofree SimWorld *w = NULL;

	make_world(&w, 4, 4, 0, 0);
	size_t small = sim_world_hash_size(w);
	ck_assert_uint_eq(small, w->size - w->state);
	ck_assert_uint_ge(w->state, sizeof(SimWorld));
	make_world(&w, 4, 4, 1, 2);
	size_t more = sim_th_size(SIM_FRAMES_MAX, SIM_REGS_MAX) +
		      2 * sim_lock_size(SIM_LK_MUTEX, 1, 1);
	ck_assert_uint_ge(sim_world_hash_size(w), small + more);
	ck_assert_uint_le(sim_world_hash_size(w), small + more + 16);
}
END_TEST

/* What the search compares: the state differs wherever it does; the
 * header and the notes (a separate allocation) are not in it. */
START_TEST(test_hash_size_excludes_notes)
{
	g_autofree SimWorld *a = NULL;

	make_world(&a, 4, 4, 4, 3);
	g_autofree SimWorld *b = sim_world_dup(a);
	g_autofree SimNotes *n = sim_notes_new(b);

	n->step = 99;
	n->block[3].freed_by = 2;
	sim_notes_acq(n, 1, 2)->line = 17;
	ck_assert(sim_world_equal(a, b));

	sim_lock_acquire(sim_lock(b, 2), 0, SIM_MODE_WRITE, 0, 0);
	ck_assert(!sim_world_equal(a, b));
	sim_lock_init(sim_lock(b, 2).st, SIM_LK_ENTRY, b->nthreads, b->pgset);
	ck_assert(sim_world_equal(a, b));
	sim_th_reg(sim_thread(b, 3))[sim_thread(b, 3)->nregs - 1] = 1;
	ck_assert(!sim_world_equal(a, b));
	sim_th_reg(sim_thread(b, 3))[sim_thread(b, 3)->nregs - 1] = 0;
	sim_pte(b, 0, 7)->writable = 1;
	ck_assert(!sim_world_equal(a, b));
	sim_pte(b, 0, 7)->writable = 0;
	sim_bit_set(sim_inval(b, 3), 7);
	ck_assert(!sim_world_equal(a, b));
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
	sim_free_stack(run.w)[0] = sim_free_stack(run.w)[1];
	sim_run_step(&run, 0);
	ck_abort_msg("sim_run_step accepted a corrupt world");
}
END_TEST

/* ---- shape: worlds as large as the ceilings ---------------------------- */

/* SCN (text) linked to MODEL (a library model, or inline text). */
static SimProgram *shape_link(const char *model, bool library,
			      const char *scn, SimModel **m, SimScenario **s)
{
	GError *err = NULL;
	char *missing = NULL;

	*m = library ? sim_parse_model_load("models", model, &err) :
	     sim_parse_model_string(model, "t.model", NULL, &err);
	ck_assert_msg(*m != NULL, "%s", err ? err->message : "");
	*s = sim_parse_scenario_string(scn, "s.scn", &err);
	ck_assert_msg(*s != NULL, "%s", err ? err->message : "");
	SimProgram *p = sim_program_link(*m, *s, &missing, &err);
	ck_assert_msg(p != NULL, "link: %s", missing ? missing : "");
	return p;
}

static void shape_unlink(SimRun *run, SimTrace *tr, SimProgram *p,
			 SimScenario *s, SimModel *m, GString *scn)
{
	sim_run_finish(run);
	sim_trace_free(tr);
	sim_program_free(p);
	sim_scenario_free(s);
	sim_model_free(m);
	g_string_free(scn, TRUE);
}

/* Eight threads in four processes run by the default policy through the
 * v4.2-dax model: every process gets its own page table (each thread
 * stores to its own pgoff, two per process), and the run finishes with
 * nothing found. */
START_TEST(test_shape_eight_threads_four_procs)
{
	GString *scn = g_string_new("scenario eight\nfile size 8 blocks "
				    "0..7\nproc P0\nproc P1\nproc P2\n"
				    "proc P3\n");
	SimModel *m;
	SimScenario *s;
	SimRun run;

	for (int t = 0; t < 8; t++)
		g_string_append_printf(scn, "thread T%d in P%d { store(%d) }\n",
				       t, t % 4, t);
	SimProgram *p = shape_link("v4.2-dax", true, scn->str, &m, &s);
	ck_assert_int_eq(p->shape.threads, 8);
	ck_assert_int_eq(p->shape.procs, 4);
	SimTrace *tr = sim_trace_new(p);
	ck_assert(sim_run_start(&run, p, tr));
	ck_assert_int_eq(run.w->nthreads, 8);
	ck_assert_int_eq(run.w->nprocs, 4);
	sim_run_schedule(&run, NULL);
	ck_assert_int_eq(tr->end, SIM_END_DONE);
	ck_assert_int_eq(tr->found, 0);
	for (int t = 0; t < 8; t++) {
		const SimPte *pte = sim_pte(run.w, t % 4, t);
		ck_assert_int_eq(pte->kind, SIM_PTE_K_BLOCK);
		ck_assert_int_eq(pte->target, t + 1);
		ck_assert(pte->writable);
		/* the other processes did not map it */
		ck_assert_int_eq(sim_pte(run.w, (t + 1) % 4, t)->kind,
				 SIM_PTE_K_NONE);
	}
	shape_unlink(&run, tr, p, s, m, scn);
}
END_TEST

static const char crit_model[] =
	"model t\n"
	"lock M mutex\n"
	"op crit() {\n"
	"\tmutex_lock(M)\n"
	"\ti_size_read()\n"
	"\tmutex_unlock(M)\n"
	"\treturn 0\n"
	"}\n";

/* SIM_THREADS_MAX threads in SIM_PROCS_MAX processes on one mutex: the
 * first takes it, the other 63 queue behind it (thread sets of 64 bits,
 * a wait queue of 63), and the lock is handed on in FIFO order to the
 * last thread. */
START_TEST(test_shape_ceiling_threads)
{
	GString *scn = g_string_new("scenario many\nfile size 1\n");
	SimModel *m;
	SimScenario *s;
	SimRun run;

	for (int pr = 0; pr < SIM_PROCS_MAX; pr++)
		g_string_append_printf(scn, "proc P%d\n", pr);
	for (int t = 0; t < SIM_THREADS_MAX; t++)
		g_string_append_printf(scn, "thread T%d in P%d { crit() }\n",
				       t, t % SIM_PROCS_MAX);
	SimProgram *p = shape_link(crit_model, false, scn->str, &m, &s);
	SimTrace *tr = sim_trace_new(p);
	ck_assert(sim_run_start(&run, p, tr));
	int inst = sim_lock_instance(p, SIM_LOCKDECL_BUILTIN, 0);
	SimLock l = sim_lock(run.w, inst);
	for (int t = 0; t < SIM_THREADS_MAX; t++)
		ck_assert(sim_run_step(&run, t));
	ck_assert_uint_eq(sim_lock_held(l), SIM_TSET(0));
	ck_assert_int_eq(l.st->nwait, SIM_THREADS_MAX - 1);
	ck_assert_int_eq(sim_step_runnable(run.w), SIM_TSET(0));
	ck_assert_int_eq(sim_thread(run.w, 63)->status, SIM_TH_BLOCKED);
	ck_assert_int_eq(sim_lock_waiter_mode(l, 63), SIM_MODE_WRITE);
	/* T0 unlocks: T1 is handed the lock, T63 still waits; each next
	 * holder returns from its lock call, then runs as T0 did */
	ck_assert(sim_run_step(&run, 0) && sim_run_step(&run, 0));
	ck_assert_uint_eq(sim_lock_held(l), SIM_TSET(1));
	for (int t = 1; t < SIM_THREADS_MAX - 1; t++)
		for (int k = 0; k < 3; k++)
			ck_assert(sim_run_step(&run, t));
	ck_assert_uint_eq(sim_lock_held(l), SIM_TSET(63));
	ck_assert_int_eq(sim_step_runnable(run.w), SIM_TSET(63));
	sim_run_schedule(&run, NULL);
	ck_assert_int_eq(tr->end, SIM_END_DONE);
	ck_assert_int_eq(tr->found, 0);
	shape_unlink(&run, tr, p, s, m, scn);
}
END_TEST

/* ---- bits ------------------------------------------------------------- */

static int count_by_bit(uint64_t x)
{
	int n = 0;

	for (int i = 0; i < 64; i++)
		n += (int)(x >> i & 1);
	return n;
}

START_TEST(test_bits_count64)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	ck_assert_int_eq(sim_bits_count64(0), 0);
	ck_assert_int_eq(sim_bits_count64(~0ull), 64);
	for (int i = 0; i < 64; i++)
		ck_assert_int_eq(sim_bits_count64(1ull << i), 1);
	for (int i = 0; i < 1000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ck_assert_int_eq(sim_bits_count64(x), count_by_bit(x));
		ck_assert_int_eq(sim_bits_count64(x & (x >> 3)),
				 count_by_bit(x & (x >> 3)));
	}
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
	tcase_add_test(tc, test_hash_size_is_the_shape);
	tcase_add_test(tc, test_hash_size_excludes_notes);
	suite_add_tcase(s, tc);

	tc = tcase_create("shape");
	tcase_add_test(tc, test_shape_eight_threads_four_procs);
	tcase_add_test(tc, test_shape_ceiling_threads);
	suite_add_tcase(s, tc);

	tc = tcase_create("assert");
	tcase_add_test_raise_signal(tc, test_run_step_asserts_world, SIGABRT);
	suite_add_tcase(s, tc);

	tc = tcase_create("bits");
	tcase_add_test(tc, test_bits_count64);
	suite_add_tcase(s, tc);
	return s;
}
