/*
 * bounds.h - the hard ceilings of the simulated machine.
 *
 * A world is sized by its scenario and model when they are loaded (SimShape,
 * world.h): a two-thread scenario gets a two-thread world.  These are only
 * the ceilings a shape may reach, chosen by what the world's fields can
 * name (thread sets are 64 bits wide, block, page and lock ids 16 bits).
 * A scenario or model past one is rejected at load time with a
 * file:line:col error naming it; the engine never grows anything while it
 * runs.
 */
#ifndef SIM_BOUNDS_H
#define SIM_BOUNDS_H

#define SIM_THREADS_MAX     64   /* threads in a scenario (SimThreadSet) */
#define SIM_PROCS_MAX       16   /* processes (each has mmap_sem, page table) */
#define SIM_PAGES_MAX       4096 /* page offsets of the file */
#define SIM_PAGES_DEFAULT   8    /* a scenario without `pages N`: pgoff 0..7 */
#define SIM_BLOCKS_MAX      8192 /* disk / pmem blocks B1.. (0 is HOLE) */
#define SIM_FRAMES_MAX      8    /* call depth: body -> store -> mkwrite -> fault -> ... */
#define SIM_REGS_MAX        40   /* registers per thread, all frames */
#define SIM_LOCKDECLS_MAX   16   /* lock classes a model may declare */
#define SIM_LOCKS_MAX       16384 /* lock instances (per page, per process, ...) */
#define SIM_HELD_MAX        8    /* locks one thread holds at once */
#define SIM_PROCS_CODE_MAX  64   /* procedures in a model plus thread bodies */
#define SIM_CODE_MAX        512  /* instructions in one procedure */
#define SIM_STEPS_MAX       400  /* scheduling steps in one run */

#endif
