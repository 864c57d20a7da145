/*
 * input.h - reading the files faultline is given: scenarios, models,
 * trails.
 *
 * Only regular files are read: a FIFO, a device or a directory named as
 * an input is an error at once, never a hang on an open() that waits for
 * a writer nor an endless read of /dev/zero.  "-" names standard input
 * where the caller allows it (a scenario), whatever stdin is, because
 * the user asked for it.
 *
 * Errors: domain G_FILE_ERROR, "PATH: cannot read: why" (no line:col:
 * there is no position in a file that cannot be read).
 */
#ifndef SIM_INPUT_H
#define SIM_INPUT_H

#include <glib.h>

/* sim_input_read - the whole of PATH ("-": stdin when ALLOW_STDIN), NUL
 * terminated, its length in *LEN; NULL with ERROR set. */
char *sim_input_read(const char *path, gboolean allow_stdin, gsize *len,
		     GError **error);

#endif
