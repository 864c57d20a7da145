/*
 * check_oracle.c - the race detectors (sim/oracle.h) and the lock-order
 * graph (sim/lockdep.h), driven through the stepper.
 *
 * One TCase per property.  Each has a positive test, where the property
 * must fire with a message naming the thread, pgoff, block and the op
 * responsible (as far as the oracle records them), and a near miss, a
 * run that comes as close as possible without violating it, where it
 * must not fire:
 *
 *   stale_pte        a PTE (or page-cache page) for an offset the file no
 *                    longer has; near miss: past EOF while the truncate
 *                    that removed it is still running;
 *   write_to_freed   a store, direct write or page store after the block
 *                    or page went; near miss: freed and reallocated to the
 *                    file at the same pgoff before the store;
 *   uninit_read      a load of a never-written block or a page read from
 *                    one, or of a page older than a completed direct
 *                    write; near misses: the block was zeroed or written,
 *                    the page was made old by another direct write still
 *                    in flight;
 *   lost_store       zeroing after a completed store, or dropping a dirty
 *                    page outside the op's removed range; near misses:
 *                    zeroing before the store, dropping inside it;
 *   lost_flush       fsync returning with a line dirty since it began;
 *                    near misses: it flushed, or the line was dirtied
 *                    after it began, or punched after it began (and
 *                    its block reallocated and dirtied again);
 *   stale_zero_page  a zero-page PTE over a block, seen at quiescence
 *                    only, which a thread not yet started does not
 *                    hide; near miss: the allocation zapped it;
 *   deadlock         ABBA, self and three-way cycles; near misses: one
 *                    lock order, a wait chain ending at a running thread;
 *   lost_wakeup      one wake-up consumed by a wait_entry, the grabber left
 *                    asleep; near misses: wake-all, and a sleeper whose
 *                    lock is held (a deadlock, not a lost wake-up);
 *   lock_order       A->B and B->A in separate runs, never both at once,
 *                    reported as lockdep prints it; near misses: one
 *                    order, same-class nesting;
 *   wait_order       the same through a page lock, which lockdep does not
 *                    track; near miss: the slot's lock changing form
 *                    (entry and page of one pgoff) adds no edge;
 *   watched          sim_oracle_watched: the pgoffs with a page-cache page
 *                    or a PTE in any process, over page sets of several
 *                    bytes; a dirty flag without a page is not watched.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include "fixture.h"
#include "oracle.h"
#include "lockdep.h"

Suite *oracle_suite(void);

#define PROP(p) ((SimPropSet)(1u << (p)))

/* ---- fixture ---------------------------------------------------------- */

/* The lowest runnable thread, until none is. */
static void fx_finish(Fx *f)
{
	uint8_t m;

	while ((m = sim_step_runnable(f->w)) != 0) {
		ck_assert(f->notes->step < SIM_STEPS_MAX);
		sim_step(f->w, __builtin_ctz(m), &f->ctx);
		ck_assert_msg(!f->ctx.model_error, "%s", f->msg->str);
	}
}

/* No thread can run: ask the stuck oracles. */
static void fx_stuck(Fx *f)
{
	ck_assert_int_eq(sim_step_runnable(f->w), 0);
	sim_oracle_stuck(f->w, &f->ctx);
}

static bool all_done(const Fx *f)
{
	for (int t = 0; t < f->w->nthreads; t++)
		if (sim_thread(f->w, t)->status != SIM_TH_DONE)
			return false;
	return true;
}

static void assert_has(const Fx *f, const char *want)
{
	ck_assert_msg(strstr(f->msg->str, want) != NULL,
		      "message lacks \"%s\":\n%s", want, f->msg->str);
}

/* The 1-based line of the first NEEDLE in TEXT. */
static int line_of(const char *text, const char *needle)
{
	const char *hit = strstr(text, needle);
	int line = 1;

	ck_assert_ptr_nonnull(hit);
	for (const char *c = text; c < hit; c++)
		line += *c == '\n';
	return line;
}

/* ---- the model -------------------------------------------------------- */

static const char model[] =
	"model t\n"
	"lock A mutex\n"
	"lock B mutex\n"
	"lock C mutex\n"
	"lock R rwsem\n"
	"op park() {\n\ti_size_read()\n\treturn 0\n}\n"
	/* faults: map the block at p writable (allocating), or zeroed, or
	 * the zero page */
	"op map(p) {\n\tb, n = get_block(p, 1)\n\tr = set_pte(p, b, 1)\n"
	"\treturn r\n}\n"
	"op mapz(p) {\n\tb, n = get_block_zeroed(p, 1)\n"
	"\tr = set_pte(p, b, 1)\n\treturn r\n}\n"
	"op maphole(p) {\n\tr = set_pte_zero(p)\n\treturn r\n}\n"
	"op mappage(p, b) {\n\tr = add_page(p, b)\n\tr = set_pte_page(p, 1)\n"
	"\treturn r\n}\n"
	"op st(p) {\n\tr = user_store(p)\n\treturn r\n}\n"
	"op ld(p) {\n\tr = user_load(p)\n\treturn r\n}\n"
	/* block removal, with and without unmapping */
	"op trunc(n) {\n\ti_size_write(n)\n\tzap_ptes(n, LAST)\n"
	"\tfree_blocks(n, LAST)\n\treturn 0\n}\n"
	"op trunc_nozap(n) {\n\ti_size_write(n)\n\tfree_blocks(n, LAST)\n"
	"\treturn 0\n}\n"
	"op trunc_pages(n) {\n\ti_size_write(n)\n\tdelete_pages(n, LAST)\n"
	"\treturn 0\n}\n"
	"op punch_nozap(s, e) {\n\tfree_blocks(s, e)\n\treturn 0\n}\n"
	"op punch(s, e) {\n\tzap_ptes(s, e)\n\tfree_blocks(s, e)\n"
	"\treturn 0\n}\n"
	"op punch_realloc(p) {\n\tfree_blocks(p, p)\n"
	"\tb, n = get_block(p, 1)\n\treturn 0\n}\n"
	"op oalloc() {\n\tb = other_alloc()\n\treturn b\n}\n"
	"op fill(p) {\n\tb, n = get_block_zeroed(p, 1)\n\treturn 0\n}\n"
	"op fill_zap(p) {\n\tb, n = get_block_zeroed(p, 1)\n"
	"\tzap_ptes(p, p)\n\treturn 0\n}\n"
	/* block I/O */
	"op diob(b) {\n\tdio_write(b)\n\treturn 0\n}\n"
	/* an AIO direct write of pgoff p into b: the bio lands, the iocb
	 * completes */
	"op dio(p, b) {\n\tdio_write(b)\n\tdio_done(p, p)\n\treturn 0\n}\n"
	"op zero(p) {\n\tb, n = get_block(p, 0)\n\tzero_block(b)\n"
	"\treturn 0\n}\n"
	/* page cache */
	"op addp(p, b) {\n\tr = add_page(p, b)\n\treturn r\n}\n"
	"op readp(p) {\n\tr = read_page(p)\n\treturn r\n}\n"
	"op writep(p) {\n\tr = write_page(p)\n\treturn r\n}\n"
	"op drop(p) {\n\tdelete_pages(p, p)\n\treturn 0\n}\n"
	"op dirty(p) {\n\tset_page_dirty(p)\n\treturn 0\n}\n"
	"op wb(p) {\n\tb, n = get_block(p, 0)\n\twriteback_page(p, b)\n"
	"\treturn 0\n}\n"
	/* fsync: the name matters (the stepper snapshots dirty lines when
	 * an op called "fsync" starts); b = 0 flushes nothing */
	"op fsync(b) {\n\tif b {\n\t\tflush_cache(b)\n\t}\n"
	"\ti_size_read()\n\treturn 0\n}\n"
	/* locks */
	"op ab() {\n\tmutex_lock(A)\n\tmutex_lock(B)\n\tmutex_unlock(B)\n"
	"\tmutex_unlock(A)\n\treturn 0\n}\n"
	"op ba() {\n\tmutex_lock(B)\n\tmutex_lock(A)\n\tmutex_unlock(A)\n"
	"\tmutex_unlock(B)\n\treturn 0\n}\n"
	"op bc() {\n\tmutex_lock(B)\n\tmutex_lock(C)\n\tmutex_unlock(C)\n"
	"\tmutex_unlock(B)\n\treturn 0\n}\n"
	"op ca() {\n\tmutex_lock(C)\n\tmutex_lock(A)\n\tmutex_unlock(A)\n"
	"\tmutex_unlock(C)\n\treturn 0\n}\n"
	"op aa() {\n\tmutex_lock(A)\n\tmutex_lock(A)\n\tmutex_unlock(A)\n"
	"\treturn 0\n}\n"
	"op ahold() {\n\tmutex_lock(A)\n\ti_size_read()\n\tmutex_unlock(A)\n"
	"\treturn 0\n}\n"
	"op rb() {\n\tdown_read(R)\n\tmutex_lock(B)\n\tmutex_unlock(B)\n"
	"\tup_read(R)\n\treturn 0\n}\n"
	"op br() {\n\tmutex_lock(B)\n\tdown_read(R)\n\tup_read(R)\n"
	"\tmutex_unlock(B)\n\treturn 0\n}\n"
	"op pages2() {\n\tlock_page(1)\n\tlock_page(2)\n\tunlock_page(2)\n"
	"\tunlock_page(1)\n\treturn 0\n}\n"
	/* DAX entries */
	"op ehold(p) {\n\te = grab_entry(p)\n\ti_size_read()\n"
	"\tunlock_entry(p)\n\treturn e\n}\n"
	"op eholdall(p) {\n\te = grab_entry(p)\n\ti_size_read()\n"
	"\tunlock_entry_all(p)\n\treturn e\n}\n"
	"op egrab(p) {\n\te = grab_entry(p)\n\tunlock_entry(p)\n\treturn e\n}\n"
	"op ewait(p) {\n\te = wait_entry(p)\n\treturn e\n}\n"
	"op eA(p) {\n\te = grab_entry(p)\n\tmutex_lock(A)\n\tmutex_unlock(A)\n"
	"\tunlock_entry(p)\n\treturn 0\n}\n"
	"op Ae(p) {\n\tmutex_lock(A)\n\te = grab_entry(p)\n\tunlock_entry(p)\n"
	"\tmutex_unlock(A)\n\treturn 0\n}\n"
	/* page lock against a mutex; the slot's lock changing form */
	"op pA(p) {\n\tlock_page(p)\n\tmutex_lock(A)\n\tmutex_unlock(A)\n"
	"\tunlock_page(p)\n\treturn 0\n}\n"
	"op Ap(p) {\n\tmutex_lock(A)\n\tlock_page(p)\n\tunlock_page(p)\n"
	"\tmutex_unlock(A)\n\treturn 0\n}\n"
	"op Aw(p) {\n\tmutex_lock(A)\n\te = wait_entry(p)\n"
	"\tmutex_unlock(A)\n\treturn 0\n}\n"
	"op ep(p, q) {\n\te = grab_entry(p)\n\tlock_page(q)\n"
	"\tunlock_page(q)\n\tunlock_entry(p)\n\treturn 0\n}\n"
	"op pe(p, q) {\n\tlock_page(p)\n\te = grab_entry(q)\n"
	"\tunlock_entry(q)\n\tunlock_page(p)\n\treturn 0\n}\n";

#define SCN2(file, b0, b1) \
	"scenario s\n" file "\nthread T0 {\n" b0 "\n}\nthread T1 {\n" b1 \
	"\n}\n"
#define SCN3(file, b0, b1, b2) \
	"scenario s\n" file "\nthread T0 {\n" b0 "\n}\nthread T1 {\n" b1 \
	"\n}\nthread T2 {\n" b2 "\n}\n"
#define FILE4 "file size 4 blocks 0..3"
#define FILE4_2 "file size 4 blocks 0..1"

/* ---- stale-pte -------------------------------------------------------- */

/* R1: the fault looks up B4, truncate runs whole, the fault installs the
 * PTE: at the fault's return it maps B4 past EOF. */
START_TEST(test_stale_pte_fault_vs_truncate)
{
	Fx *f = fx_new(model, SCN2(FILE4, "map(3)", "trunc(2)"));

	fx_run(f, "0111");
	ck_assert_int_eq(f->ctx.found, 0);
	fx_run(f, "0");
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_STALE_PTE));
	assert_has(f, "stale-pte: P0 pgoff 3 maps B4 writable, but i_size "
		   "is 2 pages, freed by T1 at step 4 (trunc)\n");
	fx_free(f);
}
END_TEST

/* A PTE past EOF while the truncate that removed it still runs is not
 * stale: another op returning meanwhile excuses it; the truncate then
 * unmaps it. */
START_TEST(test_stale_pte_near_miss_truncate_running)
{
	Fx *f = fx_new(model, SCN3(FILE4, "map(3)", "trunc(2)", "park()"));

	fx_run(f, "00");                /* PTE to B4 at pgoff 3 */
	fx_run(f, "1");                 /* i_size = 2, not yet unmapped */
	ck_assert_int_eq(sim_pte(f->w, 0, 3)->kind, SIM_PTE_K_BLOCK);
	fx_run(f, "2");                 /* an op returns meanwhile */
	ck_assert_int_eq(f->ctx.found, 0);
	fx_run(f, "11");
	ck_assert(all_done(f));
	ck_assert_int_eq(f->ctx.found, 0);
	ck_assert_uint_eq(f->msg->len, 0);
	fx_free(f);
}
END_TEST

/* The truncate's own return does not excuse itself.  T2 stays inside an
 * op, so this is the op-return check, not the quiescence one. */
START_TEST(test_stale_pte_truncate_forgets_unmap)
{
	Fx *f = fx_new(model, SCN3(FILE4, "map(3)", "trunc_nozap(2)",
				   "ahold()"));

	fx_run(f, "2001");              /* T2 holds A, inside its op */
	ck_assert_int_eq(f->ctx.found, 0);
	fx_run(f, "1");
	ck_assert(sim_oracle_in_op(f->w, 2));
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_STALE_PTE));
	assert_has(f, "stale-pte: P0 pgoff 3 maps B4 writable, but i_size "
		   "is 2 pages, freed by T1 at step 5 (trunc_nozap)\n");
	fx_free(f);
}
END_TEST

/* Inside i_size, a PTE to a block the file no longer has there. */
START_TEST(test_stale_pte_punched_block)
{
	Fx *f = fx_new(model, SCN2(FILE4, "map(1)", "punch_nozap(1, 1)"));

	fx_run(f, "001");
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_STALE_PTE));
	assert_has(f, "stale-pte: P0 pgoff 1 maps B2 writable, but the file "
		   "has a hole there, freed by T1 at step 3 (punch_nozap)\n");
	fx_free(f);
}
END_TEST

/* The page-cache form: a page past EOF, or holding a freed block's
 * data. */
START_TEST(test_stale_pte_page_cache)
{
	Fx *f = fx_new(model, SCN2(FILE4, "addp(3, 4)\naddp(1, 2)",
				   "trunc_nozap(2)\npunch_nozap(1, 1)"));

	fx_run(f, "0011");
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_STALE_PTE));
	assert_has(f, "stale-pte: the page cache holds pgoff 3, past i_size "
		   "(2 pages)\n");
	fx_run(f, "1");
	assert_has(f, "stale-pte: the page cache at pgoff 1 holds B2's data, "
		   "but the file has a hole there, freed by T1 at step 5 "
		   "(punch_nozap)\n");
	fx_free(f);
}
END_TEST

START_TEST(test_stale_pte_near_miss_pages_dropped)
{
	Fx *f = fx_new(model, SCN2(FILE4, "addp(3, 4)\naddp(1, 2)",
				   "trunc_pages(2)"));

	fx_finish(f);
	ck_assert(all_done(f));
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* ---- write-to-freed --------------------------------------------------- */

START_TEST(test_wtf_store_to_free_block)
{
	Fx *f = fx_new(model, SCN2(FILE4, "map(3)\nst(3)",
				   "punch_nozap(3, 3)"));

	fx_run(f, "001");
	f->ctx.found = 0;               /* the stale PTE is not the point */
	g_string_truncate(f->msg, 0);
	fx_run(f, "0");
	ck_assert(f->ctx.found & PROP(SIM_PROP_WRITE_TO_FREED));
	assert_has(f, "write-to-freed: T0 stored into B4 (pgoff 3): B4 is "
		   "free, freed by T1 at step 3 (punch_nozap)\n");
	ck_assert_int_eq(sim_block(f->w, 4)->state, SIM_BLK_FREE);
	fx_free(f);
}
END_TEST

START_TEST(test_wtf_store_to_other_files_block)
{
	Fx *f = fx_new(model, SCN3(FILE4, "map(3)\nst(3)",
				   "punch_nozap(3, 3)", "oalloc()"));

	fx_run(f, "0012");
	ck_assert_int_eq(sim_block(f->w, 4)->owner_ino, 1);
	f->ctx.found = 0;
	g_string_truncate(f->msg, 0);
	fx_run(f, "0");
	ck_assert(f->ctx.found & PROP(SIM_PROP_WRITE_TO_FREED));
	assert_has(f, "write-to-freed: T0 stored into B4 (pgoff 3): B4 is "
		   "another file's block now, freed by T1 at step 3 "
		   "(punch_nozap)\n");
	fx_free(f);
}
END_TEST

/* Freed and at once reallocated to the file at the same pgoff (the LIFO
 * allocator hands B4 back): the PTE is right again, and so is the store. */
START_TEST(test_wtf_near_miss_realloc_same_pgoff)
{
	Fx *f = fx_new(model, SCN2(FILE4, "map(3)\nst(3)",
				   "punch_realloc(3)"));

	fx_run(f, "0011");
	ck_assert_int_eq(sim_bmap(f->w)[3], 4);
	fx_run(f, "0");
	ck_assert_int_eq(f->ctx.found, 0);
	ck_assert_int_eq(sim_block(f->w, 4)->state, SIM_BLK_WRITTEN);
	fx_free(f);
}
END_TEST

START_TEST(test_wtf_dio_and_page)
{
	Fx *f = fx_new(model, SCN2(FILE4, "mappage(1, 2)\ndiob(4)\nst(1)",
				   "punch_nozap(3, 3)\ndrop(1)"));

	fx_run(f, "001");
	ck_assert_int_eq(f->ctx.found, 0);
	fx_run(f, "0");
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_WRITE_TO_FREED));
	assert_has(f, "write-to-freed: T0 completed a direct write into B4");
	assert_has(f, "B4 is free, freed by T1 at step 3 (punch_nozap)\n");
	f->ctx.found = 0;
	g_string_truncate(f->msg, 0);
	fx_run(f, "10");
	ck_assert(f->ctx.found & PROP(SIM_PROP_WRITE_TO_FREED));
	assert_has(f, "write-to-freed: T0 stored into a page no longer in "
		   "the page cache (pgoff 1)\n");
	fx_free(f);
}
END_TEST

/* ---- uninit-read ------------------------------------------------------ */

START_TEST(test_uninit_load_new_block)
{
	Fx *f = fx_new(model, SCN2(FILE4_2, "map(2)\nld(2)", "park()"));

	fx_run(f, "00");
	ck_assert_int_eq(f->ctx.found, 0);
	fx_run(f, "0");
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_UNINIT_READ));
	assert_has(f, "uninit-read: T0 loaded pgoff 2 from a block allocated "
		   "but never zeroed or written (B3)\n");
	fx_free(f);
}
END_TEST

START_TEST(test_uninit_near_miss_zeroed_or_written)
{
	Fx *f = fx_new(model, SCN2(FILE4_2, "mapz(2)\nld(2)",
				   "map(3)\nst(3)\nld(3)"));

	fx_finish(f);
	ck_assert(all_done(f));
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

START_TEST(test_uninit_load_freed_block)
{
	Fx *f = fx_new(model, SCN2(FILE4, "map(1)\nld(1)",
				   "punch_nozap(1, 1)"));

	fx_run(f, "001");
	f->ctx.found = 0;
	g_string_truncate(f->msg, 0);
	fx_run(f, "0");
	ck_assert(f->ctx.found & PROP(SIM_PROP_UNINIT_READ));
	assert_has(f, "uninit-read: T0 loaded pgoff 1 from a free block (B2, "
		   "freed by T1 at step 3 (punch_nozap))\n");
	fx_free(f);
}
END_TEST

START_TEST(test_uninit_page_from_new_block)
{
	Fx *f = fx_new(model, SCN2(FILE4_2, "fill(2)\naddp(2, 3)\nreadp(2)",
				   "map(3)\naddp(3, 4)\nwritep(3)\nreadp(3)"));

	fx_run(f, "00");
	ck_assert_int_eq(f->ctx.found, 0);      /* ZEROED: not stale */
	ck_assert_int_eq(sim_mflags(f->w)[2] & SIM_MF_PSTALE, 0);
	fx_run(f, "0");
	ck_assert_int_eq(f->ctx.found, 0);
	fx_run(f, "111");               /* page of a NEW block, */
	ck_assert_int_eq(sim_mflags(f->w)[3] & SIM_MF_PSTALE, SIM_MF_PSTALE);
	fx_run(f, "11");                /* rewritten, then read */
	ck_assert(all_done(f));
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
	/* the same page read before being written */
	f = fx_new(model, SCN2(FILE4_2, "park()",
			       "map(3)\naddp(3, 3)\nreadp(3)"));
	fx_run(f, "1111");
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_UNINIT_READ));
	assert_has(f, "uninit-read: T1 loaded pgoff 3 from a page read from "
		   "a block never zeroed or written for this file\n");
	fx_free(f);
}
END_TEST

/* R7a: a page cached before the direct write's bio landed is stale once
 * the write completes (dio-vs-buffered-read). */
START_TEST(test_uninit_page_older_than_dio)
{
	Fx *f = fx_new(model, SCN2(FILE4, "addp(1, 2)\nreadp(1)\nreadp(1)",
				   "dio(1, 2)"));

	fx_run(f, "01");                /* cached, then B2 written */
	ck_assert_int_eq(fx_set(sim_dio_old(f->w, 1), f->w->pgset), 1u << 1);
	fx_run(f, "0");                 /* a read racing the write */
	ck_assert_int_eq(f->ctx.found, 0);
	fx_run(f, "10");                /* the write completed */
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_UNINIT_READ));
	assert_has(f, "uninit-read: T0 loaded pgoff 1 from a page read from "
		   "a block never zeroed or written for this file\n");
	fx_free(f);
}
END_TEST

/* The page is older only than a second direct write still in flight:
 * the first one's completion leaves it, the second one's judges it.  T0
 * caches B2 after T1's bio landed (first run), or T1's bio made T0's
 * first copy old and T0 dropped and reread it (second run); T2's bio
 * then lands.  dio-vs-buffered-read with a copy of the writer under
 * invalidate-lock was reported uninit-read from the first. */
START_TEST(test_uninit_near_miss_other_dio_in_flight)
{
	Fx *f = fx_new(model, SCN3(FILE4, "addp(1, 2)\nreadp(1)",
				   "dio(1, 2)", "dio(1, 2)"));

	fx_run(f, "102");               /* T1's bio, T0 caches, T2's bio */
	ck_assert_int_eq(fx_set(sim_dio_old(f->w, 1), f->w->pgset), 0);
	fx_run(f, "10");                /* T1 completes; T0 reads */
	ck_assert_int_eq(f->ctx.found, 0);
	fx_run(f, "2");                 /* T2's completion: stale now */
	ck_assert_int_eq(sim_mflags(f->w)[1] & SIM_MF_PSTALE, SIM_MF_PSTALE);
	fx_free(f);
	f = fx_new(model, SCN3(FILE4, "addp(1, 2)\ndrop(1)\naddp(1, 2)\n"
			       "readp(1)", "dio(1, 2)", "dio(1, 2)"));
	fx_run(f, "01");                /* T1's bio makes the copy old */
	ck_assert_int_eq(fx_set(sim_dio_old(f->w, 1), f->w->pgset), 1u << 1);
	fx_run(f, "00");                /* dropped, reread */
	ck_assert_int_eq(fx_set(sim_dio_old(f->w, 1), f->w->pgset), 0);
	fx_run(f, "210");               /* T2's bio; T1 completes; read */
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* ---- lost-store ------------------------------------------------------- */

START_TEST(test_lost_store_zero_after_store)
{
	Fx *f = fx_new(model, SCN2(FILE4_2, "mapz(2)\nst(2)", "zero(2)"));

	fx_run(f, "0001");
	ck_assert_int_eq(f->ctx.found, 0);
	fx_run(f, "1");
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_LOST_STORE));
	assert_has(f, "lost-store: T1 zeroed B3 (pgoff 2) after T0's store "
		   "at step 3 had completed\n");
	fx_free(f);
}
END_TEST

/* Zeroing before the store; zeroing file data no store wrote. */
START_TEST(test_lost_store_near_miss_zero_first)
{
	Fx *f = fx_new(model, SCN2(FILE4_2, "mapz(2)\nst(2)",
				   "zero(2)\nzero(0)"));

	fx_run(f, "00111");
	ck_assert_int_eq(sim_block(f->w, 3)->state, SIM_BLK_ZEROED);
	fx_finish(f);
	ck_assert(all_done(f));
	ck_assert_int_eq(f->ctx.found, 0);
	ck_assert_int_eq(sim_block(f->w, 3)->stored, 1);
	fx_free(f);
}
END_TEST

START_TEST(test_lost_store_dirty_page_dropped)
{
	Fx *f = fx_new(model, SCN2(FILE4, "addp(1, 2)\nwritep(1)",
				   "drop(1)"));

	fx_run(f, "00");
	fx_run(f, "1");
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_LOST_STORE));
	assert_has(f, "lost-store: T1's drop dropped dirty page-cache data "
		   "at pgoffs 0x02, which it did not remove\n");
	fx_free(f);
}
END_TEST

/* A page ->page_mkwrite dirtied (set_page_dirty) for a store that has not
 * landed holds nothing its block lacks: dropping it loses nothing. */
START_TEST(test_lost_store_near_miss_store_not_landed)
{
	Fx *f = fx_new(model, SCN2(FILE4, "addp(1, 2)\ndirty(1)", "drop(1)"));

	fx_run(f, "00");
	ck_assert(sim_mflags(f->w)[1] & SIM_MF_PDIRTY);
	fx_run(f, "1");
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* Writeback write-protects the page's PTEs (clear_page_dirty_for_io ->
 * page_mkclean): the next store traps (FAULT_WP) to ->page_mkwrite
 * instead of dirtying a page behind the writer's back.  Near miss: a
 * clean page is skipped and its PTE keeps the write bit. */
START_TEST(test_writeback_write_protects)
{
	Fx *f = fx_new(model, SCN2(FILE4, "mappage(1, 2)\nst(1)\nwb(1)\n"
				   "st(1)", "mappage(2, 3)\nwb(2)"));

	fx_run(f, "000");               /* stored through a writable PTE */
	ck_assert(sim_mflags(f->w)[1] & SIM_MF_PDIRTY);
	fx_run(f, "00");                /* written back */
	ck_assert(!(sim_mflags(f->w)[1] & SIM_MF_PDIRTY));
	fx_run(f, "0");                 /* the store traps: nothing dirtied */
	ck_assert_int_eq(sim_pte(f->w, 0, 1)->writable, 0);
	ck_assert(!(sim_mflags(f->w)[1] & SIM_MF_PDIRTY));
	fx_run(f, "1111");
	ck_assert_int_eq(sim_pte(f->w, 0, 2)->writable, 1);
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* A dirty page dropped inside the range the op removed (truncate), and a
 * clean page dropped anywhere, lose nothing. */
START_TEST(test_lost_store_near_miss_removed_range)
{
	Fx *f = fx_new(model, SCN3(FILE4, "addp(3, 4)\nwritep(3)",
				   "addp(1, 2)\ndrop(1)", "trunc_pages(2)"));

	fx_finish(f);
	ck_assert(all_done(f));
	ck_assert_int_eq(sim_mflags(f->w)[3], 0);
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* ---- lost-flush ------------------------------------------------------- */

START_TEST(test_lost_flush)
{
	Fx *f = fx_new(model, SCN2(FILE4_2, "mapz(2)\nst(2)",
				   "park()\nfsync(0)"));

	fx_run(f, "000");               /* B3's lines dirty */
	fx_run(f, "1");                 /* fsync starts */
	ck_assert_int_eq(fx_set(sim_fsync_pending(f->w, 1), f->w->blkset), 1u << 3);
	fx_run(f, "1");
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_LOST_FLUSH));
	assert_has(f, "lost-flush: T1's fsync returned while B3 (pgoff 2), "
		   "dirty in the CPU cache since before it started, was never "
		   "flushed\n");
	fx_free(f);
}
END_TEST

START_TEST(test_lost_flush_near_miss_flushed)
{
	Fx *f = fx_new(model, SCN2(FILE4_2, "mapz(2)\nst(2)",
				   "park()\nfsync(3)"));

	fx_run(f, "00011");
	ck_assert_int_eq(fx_set(sim_cache_dirty(f->w), f->w->blkset), 0);
	fx_run(f, "1");
	ck_assert(all_done(f));
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* Dirtied after fsync began: not fsync's to flush. */
START_TEST(test_lost_flush_near_miss_dirtied_later)
{
	Fx *f = fx_new(model, SCN2(FILE4_2, "mapz(2)\nst(2)", "fsync(0)"));

	ck_assert_int_eq(fx_set(sim_fsync_pending(f->w, 1), f->w->blkset), 0);
	fx_run(f, "0001");
	ck_assert(all_done(f));
	ck_assert_int_eq(fx_set(sim_cache_dirty(f->w), f->w->blkset), 1u << 3);
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* Punched after fsync began and reallocated at the same pgoff: the data
 * fsync owed went with the punch, and the new lines came after it began
 * (fsync-vs-punch-hole with a second store; fsync thread). */
START_TEST(test_lost_flush_near_miss_punched)
{
	Fx *f = fx_new(model, SCN3(FILE4_2, "mapz(2)\nst(2)\nfsync(0)",
				   "punch(2, 2)", "mapz(2)\nst(2)"));

	fx_run(f, "000");               /* B3 dirty; T0's fsync owes it */
	ck_assert_int_eq(fx_set(sim_fsync_pending(f->w, 0), f->w->blkset), 1u << 3);
	fx_run(f, "11");                /* punched: B3 free */
	ck_assert_int_eq(sim_block(f->w, 3)->state, SIM_BLK_FREE);
	fx_run(f, "222");               /* B3 back at pgoff 2, dirty again */
	ck_assert_int_eq(sim_bmap(f->w)[2], 3);
	fx_run(f, "0");
	ck_assert(all_done(f));
	ck_assert_int_eq(fx_set(sim_cache_dirty(f->w), f->w->blkset), 1u << 3);
	ck_assert_msg(f->ctx.found == 0, "%s", f->msg->str);
	fx_free(f);
}
END_TEST

/* ---- stale-zero-page -------------------------------------------------- */

/* Checked at quiescence only: while T2 is inside an op nothing is
 * reported; when it returns, the zero page over B3 is. */
START_TEST(test_stale_zero_page)
{
	Fx *f = fx_new(model, SCN3(FILE4_2, "maphole(2)", "fill(2)",
				   "ahold()"));

	fx_run(f, "201");               /* T2 holds A, inside its op */
	ck_assert_int_eq(sim_pte(f->w, 0, 2)->kind, SIM_PTE_K_ZERO);
	ck_assert_int_eq(sim_bmap(f->w)[2], 3);
	ck_assert_int_eq(f->ctx.found, 0);
	fx_run(f, "22");
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_STALE_ZERO_PAGE));
	assert_has(f, "stale-zero-page: P0 pgoff 2 still maps the zero page, "
		   "but B3 is allocated there\n");
	fx_free(f);
}
END_TEST

/* A thread that has not taken a step yet is not inside an op: it does
 * not hide the quiescent state in which the zero page is stale, though
 * its own op would zap it later (dax-write-vs-read-fault-hole with a
 * copy of the write thread). */
START_TEST(test_stale_zero_page_unstarted_thread)
{
	Fx *f = fx_new(model, SCN3(FILE4_2, "maphole(2)", "fill(2)",
				   "fill_zap(2)"));

	fx_run(f, "01");
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_STALE_ZERO_PAGE));
	assert_has(f, "stale-zero-page: P0 pgoff 2 still maps the zero page, "
		   "but B3 is allocated there\n");
	fx_free(f);
}
END_TEST

START_TEST(test_stale_zero_page_near_miss_zapped)
{
	Fx *f = fx_new(model, SCN3(FILE4_2, "maphole(2)\nmaphole(3)",
				   "fill_zap(2)", "park()"));

	fx_finish(f);
	ck_assert(all_done(f));
	ck_assert_int_eq(sim_pte(f->w, 0, 3)->kind, SIM_PTE_K_ZERO); /* a hole */
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* ---- deadlock --------------------------------------------------------- */

START_TEST(test_deadlock_abba)
{
	Fx *f = fx_new(model, SCN2("file size 1", "ab()", "ba()"));
	char *held_b = g_strdup_printf("held by T1 (taken in ba, t.model:%d)",
				       line_of(model, "mutex_lock(B)\n\t"
					       "mutex_lock(A)"));
	char *held_a = g_strdup_printf("held by T0 (taken in ab, t.model:%d)",
				       line_of(model, "mutex_lock(A)\n\t"
					       "mutex_lock(B)"));

	fx_run(f, "0101");
	ck_assert_int_eq(f->ctx.found, 0);
	fx_stuck(f);
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_DEADLOCK));
	assert_has(f, "deadlock: wait-for cycle:\n");
	assert_has(f, "  T0 waits for B");
	assert_has(f, "  T1 waits for A");
	assert_has(f, held_b);
	assert_has(f, held_a);
	g_free(held_a);
	g_free(held_b);
	fx_free(f);
}
END_TEST

START_TEST(test_deadlock_three_way)
{
	Fx *f = fx_new(model, SCN3("file size 1", "ab()", "bc()", "ca()"));

	fx_run(f, "012012");
	fx_stuck(f);
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_DEADLOCK));
	assert_has(f, "  T0 waits for B");
	assert_has(f, "  T1 waits for C");
	assert_has(f, "  T2 waits for A");
	fx_free(f);
}
END_TEST

/* D1: a thread taking a mutex it holds waits for itself. */
START_TEST(test_deadlock_self)
{
	Fx *f = fx_new(model, "scenario s\nfile size 1\nthread T0 {\n"
		       "\taa()\n}\n");

	fx_run(f, "00");
	fx_stuck(f);
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_DEADLOCK));
	assert_has(f, "  T0 waits for A");
	assert_has(f, "held by T0");
	fx_free(f);
}
END_TEST

/* The same lock order in both threads never deadlocks. */
START_TEST(test_deadlock_near_miss_same_order)
{
	Fx *f = fx_new(model, SCN2("file size 1", "ab()", "ab()"));

	fx_run(f, "01");                /* T1 waits for A behind T0 */
	fx_finish(f);
	ck_assert(all_done(f));
	sim_oracle_stuck(f->w, &f->ctx);
	ck_assert_int_eq(f->ctx.found, 0);
	ck_assert_uint_eq(f->msg->len, 0);
	fx_free(f);
}
END_TEST

/* A wait chain that ends at a thread still running is not a cycle. */
START_TEST(test_deadlock_near_miss_chain)
{
	Fx *f = fx_new(model, SCN2("file size 1", "ahold()", "ahold()"));

	fx_run(f, "01");
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_BLOCKED);
	sim_oracle_stuck(f->w, &f->ctx);
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* ---- lost-wakeup ------------------------------------------------------ */

/* T2's wait_entry and T1's grab_entry sleep on T0's entry; unlock_entry
 * wakes one, T2, which takes nothing and leaves: T1 sleeps on an entry
 * nobody holds. */
START_TEST(test_lost_wakeup)
{
	Fx *f = fx_new(model, SCN3(FILE4, "ehold(1)", "egrab(1)",
				   "ewait(1)"));

	fx_run(f, "021");
	fx_run(f, "00");
	ck_assert_int_eq(sim_thread(f->w, 2)->status, SIM_TH_RUNNABLE);
	ck_assert_int_eq(sim_thread(f->w, 1)->status, SIM_TH_BLOCKED);
	fx_run(f, "2");
	ck_assert_int_eq(f->ctx.found, 0);
	fx_stuck(f);
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_LOST_WAKEUP));
	assert_has(f, "lost-wakeup: T1 sleeps on dax_entry[1], which nobody "
		   "holds, and no thread is left to wake it\n");
	fx_free(f);
}
END_TEST

START_TEST(test_lost_wakeup_near_miss_wake_all)
{
	Fx *f = fx_new(model, SCN3(FILE4, "eholdall(1)", "egrab(1)",
				   "ewait(1)"));

	fx_run(f, "02100");
	fx_finish(f);
	ck_assert(all_done(f));
	sim_oracle_stuck(f->w, &f->ctx);
	ck_assert_int_eq(f->ctx.found, 0);
	fx_free(f);
}
END_TEST

/* A sleeper on an entry that is held (by a thread stuck on a mutex the
 * sleeper holds) is a deadlock, not a lost wake-up. */
START_TEST(test_lost_wakeup_near_miss_held)
{
	Fx *f = fx_new(model, SCN2(FILE4, "eA(1)", "Ae(1)"));

	fx_run(f, "0101");
	fx_stuck(f);
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_DEADLOCK));
	assert_has(f, "waits for dax_entry[1]");
	fx_free(f);
}
END_TEST

/* ---- lock-order ------------------------------------------------------- */

/* Run ONLY's thread to the end from a fresh world, feeding LD. */
static void run_alone(Fx *f, SimLockdep *ld, int only)
{
	f->ctx.lockdep = ld;
	ck_assert(sim_step_init(f->w, f->p, &f->ctx));
	while (sim_step_runnable(f->w) >> only & 1)
		sim_step(f->w, only, &f->ctx);
	ck_assert_int_eq(sim_thread(f->w, only)->status, SIM_TH_DONE);
	ck_assert(!f->ctx.model_error);
}

/* Each thread alone, one after the other, into one graph. */
static void run_each_alone(Fx *f, SimLockdep *ld)
{
	for (int t = 0; t < f->s->nthreads; t++)
		run_alone(f, ld, t);
}

/* T0 takes A then B, T1 B then A, in two runs that never overlap: no
 * run deadlocks, and the graph has the cycle, reported as lockdep's
 * print_circular_bug() would: T1's B -> A closed it. */
START_TEST(test_lock_order_abba_separate_runs)
{
	Fx *f = fx_new(model, SCN2("file size 1", "ab()", "ba()"));
	SimLockdep *ld = sim_lockdep_new(f->p);
	GString *out = g_string_new(NULL);
	int a_ab = line_of(model, "mutex_lock(A)\n\tmutex_lock(B)");
	int b_ba = line_of(model, "mutex_lock(B)\n\tmutex_lock(A)");
	char *want = g_strdup_printf(
		"lock-order: possible circular locking dependency detected\n"
		"  T1 is trying to acquire lock: A, at ba (t.model:%d)\n"
		"  but task is already holding lock: B, at ba (t.model:%d)\n"
		"  which lock already depends on the new lock.\n"
		"  the existing dependency chain (in reverse order) is:\n"
		"  -> #1 (B): T0 took it at ab (t.model:%d), holding A taken "
		"at ab (t.model:%d)\n"
		"  -> #0 (A): the acquisition above\n"
		"  Possible unsafe locking scenario:\n"
		"        CPU0                    CPU1\n"
		"        ----                    ----\n"
		"   lock(B);\n"
		"                                lock(A);\n"
		"                                lock(B);\n"
		"   lock(A);\n"
		"   *** DEADLOCK ***\n", b_ba + 1, b_ba, a_ab + 1, a_ab);

	run_alone(f, ld, 0);
	ck_assert_int_eq(sim_lockdep_report(ld, SIM_PROP_LOCK_ORDER, NULL), 0);
	run_alone(f, ld, 1);
	ck_assert_int_eq(f->ctx.found, 0);      /* no run deadlocked */
	ck_assert_int_eq(sim_lockdep_edges(ld), 2);
	ck_assert_int_eq(sim_lockdep_report(ld, SIM_PROP_WAIT_ORDER, NULL), 0);
	ck_assert_int_eq(sim_lockdep_report(ld, SIM_PROP_LOCK_ORDER, out), 1);
	ck_assert_str_eq(out->str, want);
	g_free(want);
	g_string_free(out, TRUE);
	sim_lockdep_free(ld);
	fx_free(f);
}
END_TEST

/* A -> B, B -> C, C -> A: a chain of three, so lockdep's "Chain exists
 * of: source --> parent --> target" line, and the scenario table drawn
 * with the parent. */
START_TEST(test_lock_order_chain_of_three)
{
	Fx *f = fx_new(model, SCN3("file size 1", "ab()", "bc()", "ca()"));
	SimLockdep *ld = sim_lockdep_new(f->p);
	GString *out = g_string_new(NULL);

	run_each_alone(f, ld);
	ck_assert_int_eq(sim_lockdep_report(ld, SIM_PROP_LOCK_ORDER, out), 1);
	ck_assert_ptr_nonnull(strstr(out->str, "T2 is trying to acquire lock: "
				     "A, at ca"));
	ck_assert_ptr_nonnull(strstr(out->str, "  -> #2 (C): T1 took it at bc"));
	ck_assert_ptr_nonnull(strstr(out->str, "  -> #1 (B): T0 took it at ab"));
	ck_assert_ptr_nonnull(strstr(out->str, "  Chain exists of:\n"
				     "    A --> B --> C\n"));
	ck_assert_ptr_nonnull(strstr(out->str, "   lock(C);\n"
				     "                                lock(B);\n"
				     "                                lock(C);\n"
				     "   lock(A);\n"));
	g_string_free(out, TRUE);
	sim_lockdep_free(ld);
	fx_free(f);
}
END_TEST

START_TEST(test_lock_order_near_miss_one_order)
{
	Fx *f = fx_new(model, SCN2("file size 1", "ab()", "ab()"));
	SimLockdep *ld = sim_lockdep_new(f->p);
	GString *out = g_string_new(NULL);

	run_each_alone(f, ld);
	ck_assert_int_eq(sim_lockdep_edges(ld), 1);
	ck_assert_int_eq(sim_lockdep_report(ld, SIM_PROP_LOCK_ORDER, out), 0);
	ck_assert_uint_eq(out->len, 0);
	g_string_free(out, TRUE);
	sim_lockdep_free(ld);
	fx_free(f);
}
END_TEST

/* Two page locks nested: same class, no edge. */
START_TEST(test_lock_order_near_miss_same_class)
{
	Fx *f = fx_new(model, "scenario s\nfile size 4\nthread T0 {\n"
		       "\tpages2()\n}\n");
	SimLockdep *ld = sim_lockdep_new(f->p);

	run_alone(f, ld, 0);
	ck_assert_int_eq(sim_lockdep_edges(ld), 0);
	ck_assert_int_eq(sim_lockdep_report(ld, SIM_PROP_LOCK_ORDER, NULL), 0);
	sim_lockdep_free(ld);
	fx_free(f);
}
END_TEST

/* down_read is an ordinary acquisition: R(read) -> B and B -> R(read)
 * is a cycle too. */
START_TEST(test_lock_order_read_counts)
{
	Fx *f = fx_new(model, SCN2("file size 1", "rb()", "br()"));
	SimLockdep *ld = sim_lockdep_new(f->p);
	GString *out = g_string_new(NULL);

	run_each_alone(f, ld);
	ck_assert_int_eq(sim_lockdep_report(ld, SIM_PROP_LOCK_ORDER, out), 1);
	ck_assert_ptr_nonnull(strstr(out->str, "T1 is trying to acquire lock: "
				     "R, at br"));
	ck_assert_ptr_nonnull(strstr(out->str, "  -> #1 (B): T0 took it at rb"));
	g_string_free(out, TRUE);
	sim_lockdep_free(ld);
	fx_free(f);
}
END_TEST

/* lockdep.h: "an attempt that may sleep orders the locks from the moment
 * it is made".  In the run where both threads are at once inside ab() and
 * ba(), each sleeps on its second lock and is never granted it; lockdep
 * (which validates before sleeping) records both edges, so the cycle must
 * be in the graph. */
START_TEST(test_lock_order_sleeping_attempt_counts)
{
	Fx *f = fx_new(model, SCN2("file size 1", "ab()", "ba()"));
	SimLockdep *ld = sim_lockdep_new(f->p);

	f->ctx.lockdep = ld;
	fx_run(f, "0101");
	fx_stuck(f);
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_DEADLOCK));
	ck_assert_int_eq(sim_lockdep_edges(ld), 2);
	ck_assert_int_eq(sim_lockdep_report(ld, SIM_PROP_LOCK_ORDER, NULL), 1);
	sim_lockdep_free(ld);
	fx_free(f);
}
END_TEST

/* page -> A and A -> page: the page lock has no lockdep map, so this is
 * a wait-order cycle, and lockdep (lock-order) says nothing. */
START_TEST(test_wait_order_through_page_lock)
{
	Fx *f = fx_new(model, SCN2("file size 4", "pA(1)", "Ap(2)"));
	SimLockdep *ld = sim_lockdep_new(f->p);
	GString *out = g_string_new(NULL);
	SimPropSet found = 0;
	char *text[2];

	run_each_alone(f, ld);
	ck_assert_int_eq(sim_lockdep_edges(ld), 2);
	ck_assert_int_eq(sim_lockdep_report(ld, SIM_PROP_LOCK_ORDER, NULL), 0);
	ck_assert_int_eq(sim_lockdep_report(ld, SIM_PROP_WAIT_ORDER, out), 1);
	ck_assert_ptr_nonnull(strstr(out->str, "wait-order: possible circular "
				     "wait, not lockdep-visible (no lockdep "
				     "map: page)\n"));
	sim_lockdep_collect(ld, &found, text);
	ck_assert_int_eq(found, PROP(SIM_PROP_WAIT_ORDER));
	ck_assert_ptr_null(text[0]);
	ck_assert_str_eq(text[1], out->str);
	g_free(text[1]);
	g_string_free(out, TRUE);
	sim_lockdep_free(ld);
	fx_free(f);
}
END_TEST

/* SCN's threads each run alone into one graph: it must have EDGES edges;
 * returns its wait-order cycles. */
static int wait_cycles(const char *scn, int edges)
{
	Fx *f = fx_new(model, scn);
	SimLockdep *ld = sim_lockdep_new(f->p);

	run_each_alone(f, ld);
	ck_assert_int_eq(sim_lockdep_edges(ld), edges);
	int n = sim_lockdep_report(ld, SIM_PROP_WAIT_ORDER, NULL);
	sim_lockdep_free(ld);
	fx_free(f);
	return n;
}

/* Waiting for an entry to unlock while holding A orders A before the
 * entry like a lock attempt: against entry -> A, a wait-order cycle. */
START_TEST(test_wait_order_entry_wait)
{
	ck_assert_int_eq(wait_cycles(SCN2("file size 4", "eA(1)", "Aw(1)"), 2),
			 1);
}
END_TEST

/* An acquisition that cannot block adds no edge: the page lock of pgoff 1
 * under the entry lock of pgoff 1 (a locked page inserted in place of the
 * locked entry) and the reverse (a locked entry in place of the page).
 * Near miss: across two pgoffs the same nesting is an ordinary edge, and
 * the two orders a wait-order cycle. */
START_TEST(test_wait_order_slot_changes_form)
{
	ck_assert_int_eq(wait_cycles(SCN2("file size 4", "ep(1, 1)",
					  "pe(1, 1)"), 0), 0);
	ck_assert_int_eq(wait_cycles(SCN2("file size 4", "ep(1, 2)",
					  "pe(1, 2)"), 2), 1);
}
END_TEST

/* Without a message buffer the properties are flagged all the same. */
START_TEST(test_found_without_msg)
{
	Fx *f = fx_new(model, SCN2(FILE4, "map(3)", "trunc(2)"));

	f->ctx.msg = NULL;
	fx_run(f, "01110");
	ck_assert_int_eq(f->ctx.found, PROP(SIM_PROP_STALE_PTE));
	ck_assert_uint_eq(f->msg->len, 0);
	ck_assert(!sim_oracle_in_op(f->w, 0));
	fx_free(f);
}
END_TEST

/* ---- watched ---------------------------------------------------------- */

START_TEST(test_watched_pages_and_ptes)
{
	static const uint8_t no_locks[1];
	SimShape shape = { .procs = 2, .pages = 20, .blocks = 4,
			   .lock_kind = no_locks };
	g_autofree SimWorld *w = sim_world_new(&shape);
	uint8_t set[3];

	ck_assert_int_eq(w->pgset, 3);
	sim_mflags(w)[0] = SIM_MF_PAGE;
	sim_mflags(w)[9] = SIM_MF_PDIRTY;
	sim_pte(w, 1, 8)->kind = SIM_PTE_K_ZERO;
	sim_pte(w, 0, 15)->kind = SIM_PTE_K_BLOCK;
	sim_pte(w, 1, 19)->kind = SIM_PTE_K_PAGE;
	memset(set, 0xff, sizeof(set));
	sim_oracle_watched(w, set);
	ck_assert_uint_eq(set[0], 0x01);
	ck_assert_uint_eq(set[1], 0x81);        /* 8 and 15 */
	ck_assert_uint_eq(set[2], 0x08);        /* 19 */
}
END_TEST

Suite *oracle_suite(void)
{
	Suite *s = suite_create("oracle");
	TCase *tc;

	tc = tcase_create("stale_pte");
	tcase_add_test(tc, test_stale_pte_fault_vs_truncate);
	tcase_add_test(tc, test_stale_pte_near_miss_truncate_running);
	tcase_add_test(tc, test_stale_pte_truncate_forgets_unmap);
	tcase_add_test(tc, test_stale_pte_punched_block);
	tcase_add_test(tc, test_stale_pte_page_cache);
	tcase_add_test(tc, test_stale_pte_near_miss_pages_dropped);
	tcase_add_test(tc, test_found_without_msg);
	suite_add_tcase(s, tc);

	tc = tcase_create("watched");
	tcase_add_test(tc, test_watched_pages_and_ptes);
	suite_add_tcase(s, tc);

	tc = tcase_create("write_to_freed");
	tcase_add_test(tc, test_wtf_store_to_free_block);
	tcase_add_test(tc, test_wtf_store_to_other_files_block);
	tcase_add_test(tc, test_wtf_near_miss_realloc_same_pgoff);
	tcase_add_test(tc, test_wtf_dio_and_page);
	suite_add_tcase(s, tc);

	tc = tcase_create("uninit_read");
	tcase_add_test(tc, test_uninit_load_new_block);
	tcase_add_test(tc, test_uninit_near_miss_zeroed_or_written);
	tcase_add_test(tc, test_uninit_load_freed_block);
	tcase_add_test(tc, test_uninit_page_from_new_block);
	tcase_add_test(tc, test_uninit_page_older_than_dio);
	tcase_add_test(tc, test_uninit_near_miss_other_dio_in_flight);
	suite_add_tcase(s, tc);

	tc = tcase_create("lost_store");
	tcase_add_test(tc, test_lost_store_zero_after_store);
	tcase_add_test(tc, test_lost_store_near_miss_zero_first);
	tcase_add_test(tc, test_lost_store_dirty_page_dropped);
	tcase_add_test(tc, test_lost_store_near_miss_removed_range);
	tcase_add_test(tc, test_lost_store_near_miss_store_not_landed);
	tcase_add_test(tc, test_writeback_write_protects);
	suite_add_tcase(s, tc);

	tc = tcase_create("lost_flush");
	tcase_add_test(tc, test_lost_flush);
	tcase_add_test(tc, test_lost_flush_near_miss_flushed);
	tcase_add_test(tc, test_lost_flush_near_miss_dirtied_later);
	tcase_add_test(tc, test_lost_flush_near_miss_punched);
	suite_add_tcase(s, tc);

	tc = tcase_create("stale_zero_page");
	tcase_add_test(tc, test_stale_zero_page);
	tcase_add_test(tc, test_stale_zero_page_unstarted_thread);
	tcase_add_test(tc, test_stale_zero_page_near_miss_zapped);
	suite_add_tcase(s, tc);

	tc = tcase_create("deadlock");
	tcase_add_test(tc, test_deadlock_abba);
	tcase_add_test(tc, test_deadlock_three_way);
	tcase_add_test(tc, test_deadlock_self);
	tcase_add_test(tc, test_deadlock_near_miss_same_order);
	tcase_add_test(tc, test_deadlock_near_miss_chain);
	suite_add_tcase(s, tc);

	tc = tcase_create("lost_wakeup");
	tcase_add_test(tc, test_lost_wakeup);
	tcase_add_test(tc, test_lost_wakeup_near_miss_wake_all);
	tcase_add_test(tc, test_lost_wakeup_near_miss_held);
	suite_add_tcase(s, tc);

	tc = tcase_create("lock_order");
	tcase_add_test(tc, test_lock_order_abba_separate_runs);
	tcase_add_test(tc, test_lock_order_chain_of_three);
	tcase_add_test(tc, test_lock_order_near_miss_one_order);
	tcase_add_test(tc, test_lock_order_near_miss_same_class);
	tcase_add_test(tc, test_lock_order_read_counts);
	tcase_add_test(tc, test_lock_order_sleeping_attempt_counts);
	suite_add_tcase(s, tc);

	tc = tcase_create("wait_order");
	tcase_add_test(tc, test_wait_order_through_page_lock);
	tcase_add_test(tc, test_wait_order_entry_wait);
	tcase_add_test(tc, test_wait_order_slot_changes_form);
	suite_add_tcase(s, tc);
	return s;
}
