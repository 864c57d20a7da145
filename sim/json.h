/*
 * json.h - reading back the JSON faultline writes, for `faultline merge`
 * (matrix shards, swarm members).
 *
 * A strict RFC 8259 reader into a tree in which every value keeps the
 * span of the document it was read from, so that a merge copies a value
 * byte for byte instead of printing it again: faultline's documents have
 * line breaks of their own that no generic printer reproduces, and a
 * merged matrix must equal one run's byte for byte.
 *
 * Errors: domain G_FILE_ERROR, "ORIGIN:LINE:COL: message" at the first
 * character that is wrong (columns count bytes, from 1).
 */
#ifndef SIM_JSON_H
#define SIM_JSON_H

#include <stdbool.h>
#include <glib.h>

typedef enum {
	SIM_JSON_NULL,
	SIM_JSON_BOOL,
	SIM_JSON_NUMBER,
	SIM_JSON_STRING,
	SIM_JSON_ARRAY,
	SIM_JSON_OBJECT,
} SimJsonKind;

typedef struct SimJson {
	SimJsonKind kind;
	const char *text;       /* the value's span in the document */
	gsize len;
	int line, col;          /* where it starts */
	bool b;                 /* BOOL */
	double num;             /* NUMBER */
	char *str;              /* STRING, decoded */
	GPtrArray *items;       /* ARRAY, OBJECT: struct SimJson * */
	GPtrArray *keys;        /* OBJECT: char *, decoded, as items */
} SimJson;

/* sim_json_read - the document TEXT (LEN bytes; ORIGIN names it in
 * messages).  The tree points into TEXT, which must outlive it.  NULL
 * with ERROR set. */
SimJson *sim_json_read(const char *text, gsize len, const char *origin,
		       GError **error);

void sim_json_free(SimJson *v);

/* sim_json_member - OBJ's member KEY (the first, if repeated), or NULL
 * (also when OBJ is no object). */
const SimJson *sim_json_member(const SimJson *obj, const char *key);

/* sim_json_string_of - the string value of OBJ's member KEY, or NULL. */
const char *sim_json_string_of(const SimJson *obj, const char *key);

#endif
