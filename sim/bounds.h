/*
 * bounds.h - the named bounds of the simulated machine.
 *
 * Every array in SimWorld is sized by one of these, so a state is flat,
 * fixed-size and cheap to copy and hash.  A scenario or model that needs more
 * is rejected at load time with a file:line:col error naming the bound; the
 * engine never grows anything while it runs.
 */
#ifndef SIM_BOUNDS_H
#define SIM_BOUNDS_H

#define SIM_THREADS_MAX     4   /* threads in a scenario (bitmasks are uint8) */
#define SIM_PROCS_MAX       2   /* processes (each has mmap_sem, page table) */
#define SIM_PAGES_MAX       8   /* page offsets of the file: pgoff 0..7 */
#define SIM_BLOCKS_MAX      12  /* disk / pmem blocks B1..B12 (0 is HOLE) */
#define SIM_FRAMES_MAX      8   /* call depth: body -> store -> mkwrite -> fault -> ... */
#define SIM_REGS_MAX        40  /* registers per thread, all frames */
#define SIM_LOCKDECLS_MAX   16  /* lock classes a model may declare */
#define SIM_LOCKS_MAX       40  /* lock instances (hashed slots, per page, ...) */
#define SIM_HELD_MAX        8   /* locks one thread holds at once */
#define SIM_PROCS_CODE_MAX  64  /* procedures in a model plus thread bodies */
#define SIM_CODE_MAX        512 /* instructions in one procedure */
#define SIM_STEPS_MAX       400 /* scheduling steps in one run */

#endif
