/*
 * input.c - read a regular file (or stdin for "-").  See input.h.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "input.h"

static char *fail(const char *path, const char *why, GError **error)
{
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		    "%s: cannot read: %s", path, why);
	return NULL;
}

/* Read FD to its end. */
static char *read_all(int fd, const char *path, gsize *len, GError **error)
{
	GString *s = g_string_new(NULL);
	char buf[65536];
	ssize_t n;

	/* EINTR ends the read too: a signal while waiting on stdin means
	 * the user wants out */
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			g_string_free(s, TRUE);
			return fail(path, g_strerror(errno), error);
		}
		g_string_append_len(s, buf, n);
	}
	*len = s->len;
	return g_string_free(s, FALSE);
}

char *sim_input_read(const char *path, gboolean allow_stdin, gsize *len,
		     GError **error)
{
	struct stat st;
	char *text;
	int fd;

	if (allow_stdin && strcmp(path, "-") == 0)
		return read_all(STDIN_FILENO, "<stdin>", len, error);
	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fail(path, g_strerror(errno), error);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(path, "not a regular file", error);
	}
	text = read_all(fd, path, len, error);
	close(fd);
	return text;
}
