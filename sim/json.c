/*
 * json.c - a strict JSON reader keeping each value's span.  See json.h.
 */
#include <stdlib.h>
#include <string.h>
#include "json.h"

/* Nesting beyond this is refused: the reader recurses, and faultline's
 * own documents nest 8 deep. */
#define JSON_DEPTH_MAX 64

typedef struct {
	const char *p, *end, *origin;
	const char *line_start;
	int line;
	GError **error;
} Reader;

static bool fail_at(Reader *r, const char *at, const char *what)
{
	if (!*r->error)
		g_set_error(r->error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "%s:%d:%d: %s", r->origin, r->line,
			    (int)(at - r->line_start) + 1, what);
	return false;
}

static void skip_space(Reader *r)
{
	for (; r->p < r->end; r->p++) {
		if (*r->p == '\n') {
			r->line++;
			r->line_start = r->p + 1;
		} else if (*r->p != ' ' && *r->p != '\t' && *r->p != '\r') {
			return;
		}
	}
}

static bool literal(Reader *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return fail_at(r, r->p, "not a JSON value");
	r->p += n;
	return true;
}

static int hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int c = p[i], d = g_ascii_xdigit_value(c);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A string at r->p (the opening quote), decoded into *OUT. */
static bool string(Reader *r, char **out)
{
	GString *s = g_string_new(NULL);
	const char *start = r->p++;

	while (r->p < r->end && *r->p != '"') {
		unsigned char c = (unsigned char)*r->p;
		if (c < 0x20)
			goto bad;
		if (c != '\\') {
			g_string_append_c(s, (char)c);
			r->p++;
			continue;
		}
		if (r->end - r->p < 2)
			goto bad;
		const char *esc = strchr("\"\\/bfnrt", r->p[1]);
		if (esc && r->p[1] != '\0') {
			g_string_append_c(s, "\"\\/\b\f\n\r\t"[esc - "\"\\/bfnrt"]);
			r->p += 2;
			continue;
		}
		int u = r->p[1] == 'u' && r->end - r->p >= 6 ? hex4(r->p + 2) : -1;
		if (u < 0)
			goto bad;
		r->p += 6;
		if (u >= 0xd800 && u < 0xdc00) {        /* a surrogate pair */
			int lo = r->end - r->p >= 6 && r->p[0] == '\\' &&
				 r->p[1] == 'u' ? hex4(r->p + 2) : -1;
			if (lo < 0xdc00 || lo >= 0xe000)
				goto bad;
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			r->p += 6;
		} else if (u >= 0xdc00 && u < 0xe000) {
			goto bad;
		}
		g_string_append_unichar(s, (gunichar)u);
	}
	if (r->p >= r->end) {
		g_string_free(s, TRUE);
		return fail_at(r, start, "unterminated string");
	}
	r->p++;
	if (!g_utf8_validate(s->str, (gssize)s->len, NULL)) {
		g_string_free(s, TRUE);
		return fail_at(r, start, "a string that is not UTF-8");
	}
	*out = g_string_free(s, FALSE);
	return true;
bad:
	g_string_free(s, TRUE);
	return fail_at(r, r->p, "bad character or escape in a string");
}

static bool number(Reader *r, double *out)
{
	const char *p = r->p;

	if (*p == '-')
		p++;
	if (p < r->end && *p == '0')
		p++;
	else if (p < r->end && g_ascii_isdigit(*p))
		while (p < r->end && g_ascii_isdigit(*p))
			p++;
	else
		return fail_at(r, r->p, "not a JSON value");
	if (p < r->end && *p == '.') {
		if (++p >= r->end || !g_ascii_isdigit(*p))
			return fail_at(r, p, "a digit must follow '.'");
		while (p < r->end && g_ascii_isdigit(*p))
			p++;
	}
	if (p < r->end && (*p == 'e' || *p == 'E')) {
		if (++p < r->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= r->end || !g_ascii_isdigit(*p))
			return fail_at(r, p, "a digit must follow the exponent");
		while (p < r->end && g_ascii_isdigit(*p))
			p++;
	}
	char *copy = g_strndup(r->p, (gsize)(p - r->p));
	*out = g_ascii_strtod(copy, NULL);
	g_free(copy);
	r->p = p;
	return true;
}

static SimJson *value(Reader *r, int depth);

/* The items of an array or object after its opening bracket, up to
 * CLOSE; for an object each item is "key": value. */
static bool items(Reader *r, SimJson *v, char close, int depth)
{
	bool object = close == '}';

	r->p++;
	skip_space(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return true;
	}
	for (;;) {
		char *key = NULL;
		skip_space(r);
		if (object) {
			if (r->p >= r->end || *r->p != '"')
				return fail_at(r, r->p, "a member name must "
					       "be a string");
			if (!string(r, &key))
				return false;
			g_ptr_array_add(v->keys, key);
			skip_space(r);
			if (r->p >= r->end || *r->p != ':')
				return fail_at(r, r->p, "':' must follow a "
					       "member name");
			r->p++;
		}
		SimJson *item = value(r, depth + 1);
		if (!item)
			return false;
		g_ptr_array_add(v->items, item);
		skip_space(r);
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return true;
		}
		if (r->p >= r->end || *r->p != ',')
			return fail_at(r, r->p, object ? "',' or '}' expected" :
				       "',' or ']' expected");
		r->p++;
	}
}

static SimJson *value(Reader *r, int depth)
{
	SimJson *v = g_new0(SimJson, 1);
	bool ok;

	skip_space(r);
	v->text = r->p;
	v->line = r->line;
	v->col = (int)(r->p - r->line_start) + 1;
	if (depth > JSON_DEPTH_MAX) {
		ok = fail_at(r, r->p, "nested too deep");
	} else if (r->p >= r->end) {
		ok = fail_at(r, r->p, "a value is missing");
	} else if (*r->p == '{' || *r->p == '[') {
		v->kind = *r->p == '{' ? SIM_JSON_OBJECT : SIM_JSON_ARRAY;
		v->items = g_ptr_array_new_with_free_func(
			(GDestroyNotify)sim_json_free);
		if (v->kind == SIM_JSON_OBJECT)
			v->keys = g_ptr_array_new_with_free_func(g_free);
		ok = items(r, v, *r->p == '{' ? '}' : ']', depth);
	} else if (*r->p == '"') {
		v->kind = SIM_JSON_STRING;
		ok = string(r, &v->str);
	} else if (*r->p == 't' || *r->p == 'f') {
		v->kind = SIM_JSON_BOOL;
		v->b = *r->p == 't';
		ok = literal(r, v->b ? "true" : "false");
	} else if (*r->p == 'n') {
		ok = literal(r, "null");
	} else {
		v->kind = SIM_JSON_NUMBER;
		ok = number(r, &v->num);
	}
	v->len = (gsize)(r->p - v->text);
	if (!ok) {
		sim_json_free(v);
		return NULL;
	}
	return v;
}

SimJson *sim_json_read(const char *text, gsize len, const char *origin,
		       GError **error)
{
	Reader r = { .p = text, .end = text + len, .origin = origin,
		     .line_start = text, .line = 1, .error = error };
	SimJson *v = value(&r, 0);

	if (v) {
		skip_space(&r);
		if (r.p < r.end) {
			fail_at(&r, r.p, "text after the document");
			g_clear_pointer(&v, sim_json_free);
		}
	}
	return v;
}

void sim_json_free(SimJson *v)
{
	if (!v)
		return;
	g_free(v->str);
	if (v->items)
		g_ptr_array_free(v->items, TRUE);
	if (v->keys)
		g_ptr_array_free(v->keys, TRUE);
	g_free(v);
}

const SimJson *sim_json_member(const SimJson *obj, const char *key)
{
	if (!obj || obj->kind != SIM_JSON_OBJECT)
		return NULL;
	for (guint i = 0; i < obj->keys->len; i++)
		if (strcmp(obj->keys->pdata[i], key) == 0)
			return obj->items->pdata[i];
	return NULL;
}

const char *sim_json_string_of(const SimJson *obj, const char *key)
{
	const SimJson *v = sim_json_member(obj, key);

	return v && v->kind == SIM_JSON_STRING ? v->str : NULL;
}
