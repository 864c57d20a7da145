/*
 * cost.c - the cost-file parser and the draws (cost.h).
 *
 * A cost file is a list of lines, each a keyword and its operands; the
 * lexer below knows five token kinds (word, time, count, string,
 * punctuation) and nothing of the scenario language.  `extends NAME`
 * first reads NAME.cost from the same directory; the file then overrides
 * what it names again (a cost, a primitive, an event).  Named costs are
 * resolved once everything is read, so an override of a cost reaches
 * every sum that names it; a draw never looks anything up.
 */
#include <math.h>
#include <string.h>
#include "cost.h"
#include "parse.h"

#define TERMS_MAX 8

typedef struct {
	uint32_t mult;
	int named;              /* index of a named cost, or -1: d is inline */
	SimDist d;
} Term;

typedef struct {
	uint8_t nterms;
	bool given;             /* by this file or a file it extends */
	bool is_const;          /* every term constant: sum precomputed */
	uint64_t const_ns;
	Term term[TERMS_MAX];
} Sum;

struct SimCosts {
	char *name;
	char *summary;
	Sum prim[SIM_P_COUNT];
	Sum event[SIM_CE_COUNT];
};

static const char *const event_names[SIM_CE_COUNT] = {
	[SIM_CE_CONTENDED] = "contended",
	[SIM_CE_SLEEP] = "sleep",
	[SIM_CE_WAKE] = "wake",
	[SIM_CE_ALLOC] = "alloc",
	[SIM_CE_SHOOTDOWN] = "shootdown",
};

/* ---- draws -------------------------------------------------------------- */

static uint64_t sum_draw(const Sum *s, SimPrng *g)
{
	if (s->is_const)
		return s->const_ns;
	uint64_t t = 0;
	for (int i = 0; i < s->nterms; i++)
		t += s->term[i].mult * sim_dist_draw(&s->term[i].d, g);
	return t;
}

uint64_t sim_costs_prim(const SimCosts *c, SimPrimId p, SimPrng *g)
{
	return sum_draw(&c->prim[p], g);
}

uint64_t sim_costs_event(const SimCosts *c, SimCostEvent e, SimPrng *g)
{
	return sum_draw(&c->event[e], g);
}

/* prim.h lists the lock primitives first. */
static bool is_lock_prim(int p)
{
	return p < SIM_P_I_SIZE_READ;
}

SimCosts *sim_costs_widened(const SimCosts *c, uint32_t widen, bool lockfree)
{
	SimCosts *w = g_memdup2(c, sizeof(*c));

	w->name = g_strdup(c->name);
	w->summary = g_strdup(c->summary);
	for (int p = 0; p < SIM_P_COUNT; p++) {
		Sum *s = &w->prim[p];
		if (is_lock_prim(p)) {
			if (lockfree)   /* a constant sum of nothing: 0ns */
				*s = (Sum){ .given = true, .is_const = true };
			continue;
		}
		for (int i = 0; i < s->nterms; i++)
			s->term[i].mult *= widen;
		s->const_ns *= widen;   /* resolve()'s sum, WIDEN times */
	}
	return w;
}

const char *sim_costs_name(const SimCosts *c)
{
	return c->name;
}

const char *sim_costs_summary(const SimCosts *c)
{
	return c->summary ? c->summary : "";
}

void sim_costs_free(SimCosts *c)
{
	if (!c)
		return;
	g_free(c->name);
	g_free(c->summary);
	g_free(c);
}

/* ---- lexer -------------------------------------------------------------- */

typedef enum { T_EOF, T_NL, T_WORD, T_TIME, T_COUNT, T_STRING, T_PUNCT } Tok;

/* What every file of an extends chain adds to. */
typedef struct {
	SimCosts *c;
	GHashTable *named;      /* cost name -> index + 1 into dists */
	GArray *dists;          /* SimDist */
	int depth;              /* extends nesting */
} Build;

typedef struct {
	Build *b;
	const char *file;
	const char *s;          /* next character */
	int line, col;
	/* the current token */
	Tok tok;
	int tline, tcol;
	char text[256];         /* word, string (truncated), punctuation */
	uint64_t ns;            /* T_TIME */
	uint64_t count;         /* T_COUNT */
	GError *err;            /* the first error, "FILE:LINE:COL: why" */
	char *why;              /* its message alone */
	int ecol;               /* and its column */
	GHashTable *seen;       /* "cost NAME", "prim NAME"... in this file */
} Lex;

static bool fail_at(Lex *x, int line, int col, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

static bool fail_at(Lex *x, int line, int col, const char *fmt, ...)
{
	va_list ap;

	if (x->err)
		return false;
	va_start(ap, fmt);
	x->why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	x->ecol = col;
	x->err = g_error_new(SIM_PARSE_ERROR, SIM_PARSE_ERROR_SYNTAX,
			     "%s:%d:%d: %s", x->file, line, col, x->why);
	return false;
}

#define FAIL(x, ...) fail_at((x), (x)->tline, (x)->tcol, __VA_ARGS__)

static void advance(Lex *x, int n)
{
	x->s += n;
	x->col += n;
}

/* A number with a unit: a time in ns; without: a count. */
static bool lex_number(Lex *x)
{
	static const struct { const char *unit; double ns; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	const char *start = x->s;
	bool neg = *x->s == '-';
	if (neg)
		advance(x, 1);
	while (g_ascii_isdigit(*x->s) || *x->s == '.')
		advance(x, 1);
	char *num = g_strndup(start, (size_t)(x->s - start));
	char *end;
	double v = g_ascii_strtod(num, &end);
	bool ok = *end == '\0' && end != num;
	g_free(num);
	if (!ok)
		return FAIL(x, "bad number");
	const char *u = x->s;
	while (g_ascii_isalpha(*x->s))
		advance(x, 1);
	size_t ulen = (size_t)(x->s - u);
	if (neg)
		return FAIL(x, "negative time");
	if (ulen == 0) {
		if (v != floor(v) || v > 1e9)
			return FAIL(x, "a count is a whole number up to 1e9");
		x->tok = T_COUNT;
		x->count = (uint64_t)v;
		return true;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
		if (strlen(units[i].unit) == ulen &&
		    strncmp(u, units[i].unit, ulen) == 0) {
			if (v * units[i].ns > 1e15)
				return FAIL(x, "time too large");
			x->tok = T_TIME;
			x->ns = (uint64_t)llround(v * units[i].ns);
			return true;
		}
	}
	return FAIL(x, "unknown unit '%.*s' (ns, us, ms, s)", (int)ulen, u);
}

static bool next(Lex *x)
{
	while (*x->s == ' ' || *x->s == '\t' || *x->s == '\r')
		advance(x, 1);
	if (*x->s == '#')
		while (*x->s && *x->s != '\n')
			advance(x, 1);
	x->tline = x->line;
	x->tcol = x->col;
	x->text[0] = '\0';
	char c = *x->s;
	if (c == '\0') {
		x->tok = T_EOF;
		return true;
	}
	if (c == '\n') {
		x->tok = T_NL;
		x->s++;
		x->line++;
		x->col = 1;
		return true;
	}
	if (g_ascii_isdigit(c) || c == '.' || c == '-')
		return lex_number(x);
	if (g_ascii_isalpha(c) || c == '_') {
		const char *w = x->s;
		while (g_ascii_isalnum(*x->s) || *x->s == '_' || *x->s == '-')
			advance(x, 1);
		size_t n = (size_t)(x->s - w);
		if (n >= sizeof(x->text))
			return FAIL(x, "name too long");
		memcpy(x->text, w, n);
		x->text[n] = '\0';
		x->tok = T_WORD;
		return true;
	}
	if (c == '"') {
		advance(x, 1);
		const char *w = x->s;
		while (*x->s && *x->s != '"' && *x->s != '\n')
			advance(x, 1);
		if (*x->s != '"')
			return FAIL(x, "unterminated string");
		size_t n = MIN((size_t)(x->s - w), sizeof(x->text) - 1);
		memcpy(x->text, w, n);
		x->text[n] = '\0';
		advance(x, 1);
		x->tok = T_STRING;
		return true;
	}
	if (strchr("()+*,", c)) {
		x->text[0] = c;
		x->text[1] = '\0';
		advance(x, 1);
		x->tok = T_PUNCT;
		return true;
	}
	return FAIL(x, "unexpected character '%c'", g_ascii_isprint(c) ? c : '?');
}

static bool punct(Lex *x, char c)
{
	if (x->tok != T_PUNCT || x->text[0] != c)
		return FAIL(x, "expected '%c'", c);
	return next(x);
}

static bool want_time(Lex *x, uint64_t *ns)
{
	if (x->tok != T_TIME)
		return FAIL(x, "expected a time with a unit (ns, us, ms, s)");
	*ns = x->ns;
	return next(x);
}

/* ---- grammar ------------------------------------------------------------ */

/* DIST := TIME | exp(TIME) | uniform(TIME, TIME) */
static bool parse_dist(Lex *x, SimDist *d)
{
	memset(d, 0, sizeof(*d));
	if (x->tok == T_TIME) {
		d->kind = SIM_DIST_CONST;
		return want_time(x, &d->a);
	}
	int line = x->tline, col = x->tcol;
	if (x->tok == T_WORD && strcmp(x->text, "exp") == 0) {
		d->kind = SIM_DIST_EXP;
		return next(x) && punct(x, '(') && want_time(x, &d->a) &&
		       punct(x, ')');
	}
	if (x->tok == T_WORD && strcmp(x->text, "uniform") == 0) {
		d->kind = SIM_DIST_UNIFORM;
		if (!(next(x) && punct(x, '(') && want_time(x, &d->a) &&
		      punct(x, ',') && want_time(x, &d->b) && punct(x, ')')))
			return false;
		if (d->b < d->a)
			return fail_at(x, line, col,
				       "uniform(LO, HI) needs LO <= HI");
		return true;
	}
	return FAIL(x, "expected a time, exp(MEAN) or uniform(LO, HI)");
}

/* TERM := DIST | NAME | COUNT * NAME */
static bool parse_term(Lex *x, Term *t)
{
	t->mult = 1;
	t->named = -1;
	if (x->tok == T_COUNT) {
		t->mult = (uint32_t)x->count;
		if (!(next(x) && punct(x, '*')))
			return false;
		if (x->tok != T_WORD)
			return FAIL(x, "expected a cost name after '*'");
	}
	if (x->tok == T_WORD && strcmp(x->text, "exp") != 0 &&
	    strcmp(x->text, "uniform") != 0) {
		gpointer i = g_hash_table_lookup(x->b->named, x->text);
		if (!i)
			return FAIL(x, "unknown cost '%s'", x->text);
		t->named = GPOINTER_TO_INT(i) - 1;
		return next(x);
	}
	if (t->mult != 1)
		return FAIL(x, "expected a cost name after '*'");
	return parse_dist(x, &t->d);
}

/* SUM := TERM ('+' TERM)* */
static bool parse_sum(Lex *x, Sum *s)
{
	memset(s, 0, sizeof(*s));
	do {
		if (s->nterms == TERMS_MAX)
			return FAIL(x, "more than %d terms", TERMS_MAX);
		if (!parse_term(x, &s->term[s->nterms++]))
			return false;
	} while (x->tok == T_PUNCT && x->text[0] == '+' && next(x));
	s->given = true;
	return true;
}

/* Named costs into the terms; a sum of constants is precomputed. */
static void resolve(Sum *s, const GArray *dists)
{
	s->is_const = true;
	s->const_ns = 0;
	for (int i = 0; i < s->nterms; i++) {
		Term *t = &s->term[i];
		if (t->named >= 0)
			t->d = g_array_index(dists, SimDist, t->named);
		s->is_const &= t->d.kind == SIM_DIST_CONST;
		s->const_ns += t->mult * t->d.a;
	}
}

bool sim_dist_parse(const char *s, SimDist *d, size_t *len, char **why,
		    size_t *at)
{
	/* its extent first, so the lexer sees nothing past it */
	size_t n = 0;
	if (g_str_has_prefix(s, "exp(") || g_str_has_prefix(s, "uniform(")) {
		while (s[n] && s[n] != ')' && s[n] != '\n')
			n++;
		n += s[n] == ')';
	} else {
		while (g_ascii_isalnum(s[n]) || s[n] == '.' || s[n] == '-')
			n++;
	}
	char *text = g_strndup(s, n);
	Lex x = { .file = "", .s = text, .line = 1, .col = 1 };
	bool ok = next(&x) && parse_dist(&x, d);

	if (ok && x.tok != T_EOF)
		ok = FAIL(&x, "unexpected '%s' in a time", x.text);
	*len = n;
	if (!ok) {
		*at = (size_t)x.ecol - 1;       /* one line: column = offset */
		*why = g_steal_pointer(&x.why);
		g_error_free(x.err);
	}
	g_free(text);
	return ok;
}

static int event_lookup(const char *name)
{
	for (int e = 0; e < SIM_CE_COUNT; e++)
		if (strcmp(event_names[e], name) == 0)
			return e;
	return -1;
}

static bool parse_file(Build *b, const char *text, const char *filename,
		       GError **error);

/* extends NAME: NAME.cost beside this file, read first. */
static bool parse_extends(Lex *x)
{
	if (x->tok != T_WORD)
		return FAIL(x, "expected a cost model name");
	if (x->b->depth >= 8)
		return FAIL(x, "extends nested more than 8 deep");
	char *dir = g_path_get_dirname(x->file);
	char *path = g_strdup_printf("%s/%s.cost", dir, x->text);
	char *text = NULL;
	bool ok;

	if (!g_file_get_contents(path, &text, NULL, NULL)) {
		ok = FAIL(x, "cannot read '%s'", path);
	} else {
		x->b->depth++;
		ok = parse_file(x->b, text, path, &x->err) && next(x);
		x->b->depth--;
	}
	g_free(text);
	g_free(path);
	g_free(dir);
	return ok;
}

/* A name defined once per file: KW NAME. */
static bool once(Lex *x, const char *kw, const char *what, int line, int col)
{
	char *key = g_strdup_printf("%s %s", kw, what);
	if (g_hash_table_contains(x->seen, key)) {
		g_free(key);
		return fail_at(x, line, col, "%s '%s' given twice", kw, what);
	}
	g_hash_table_add(x->seen, key);
	return true;
}

/* One line after its keyword. */
static bool parse_line(Lex *x)
{
	SimCosts *c = x->b->c;
	char kw[sizeof(x->text)];
	int line = x->tline, col = x->tcol;

	g_strlcpy(kw, x->text, sizeof(kw));
	if (!next(x))
		return false;
	if (strcmp(kw, "extends") == 0)
		return once(x, kw, "", line, col) && parse_extends(x);
	if (strcmp(kw, "costs") == 0 || strcmp(kw, "summary") == 0) {
		bool name = kw[0] == 'c';
		if (x->tok != (name ? T_WORD : T_STRING))
			return FAIL(x, name ? "expected a name" : "expected a string");
		if (!once(x, kw, "", line, col))
			return false;
		char **dst = name ? &c->name : &c->summary;
		g_free(*dst);
		*dst = g_strdup(x->text);
		return next(x);
	}
	if (x->tok != T_WORD)
		return FAIL(x, "expected a name");
	char what[sizeof(x->text)];
	int wline = x->tline, wcol = x->tcol;
	g_strlcpy(what, x->text, sizeof(what));
	if (!next(x))
		return false;
	if (strcmp(kw, "cost") == 0) {
		if (!once(x, kw, what, wline, wcol))
			return false;
		SimDist d;
		if (!parse_dist(x, &d))
			return false;
		gpointer i = g_hash_table_lookup(x->b->named, what);
		if (i) {        /* overrides the file it extends */
			g_array_index(x->b->dists, SimDist,
				      GPOINTER_TO_INT(i) - 1) = d;
			return true;
		}
		g_array_append_val(x->b->dists, d);
		g_hash_table_insert(x->b->named, g_strdup(what),
				    GINT_TO_POINTER(x->b->dists->len));
		return true;
	}
	Sum *s;
	if (strcmp(kw, "prim") == 0) {
		int p = sim_prim_lookup(what);
		if (p < 0)
			return fail_at(x, wline, wcol, "unknown primitive '%s'",
				       what);
		s = &c->prim[p];
	} else if (strcmp(kw, "event") == 0) {
		int e = event_lookup(what);
		if (e < 0)
			return fail_at(x, wline, wcol, "unknown event '%s' "
				       "(contended, sleep, wake, alloc, "
				       "shootdown)", what);
		s = &c->event[e];
	} else {
		return fail_at(x, line, col, "unknown word '%s' (costs, extends, "
			       "summary, cost, prim, event)", kw);
	}
	return once(x, kw, what, wline, wcol) && parse_sum(x, s);
}

static bool parse_file(Build *b, const char *text, const char *filename,
		       GError **error)
{
	Lex x = { .b = b, .file = filename, .s = text, .line = 1, .col = 1 };
	bool ok;

	x.seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	ok = next(&x);
	while (ok && x.tok != T_EOF) {
		if (x.tok == T_NL) {
			ok = next(&x);
			continue;
		}
		if (x.tok != T_WORD) {
			ok = FAIL(&x, "expected a keyword (costs, extends, "
				  "summary, cost, prim, event)");
			break;
		}
		ok = parse_line(&x);
		if (ok && x.tok != T_NL && x.tok != T_EOF)
			ok = FAIL(&x, "unexpected '%s' at the end of the line",
				  x.text[0] ? x.text : "token");
	}
	if (ok && b->depth == 0) {
		/* the whole chain is read: everything must be priced */
		if (!b->c->name)
			ok = fail_at(&x, 1, 1, "no 'costs NAME' line");
		for (int p = 0; ok && p < SIM_P_COUNT; p++)
			if (!b->c->prim[p].given)
				ok = fail_at(&x, x.line, x.col, "no cost for "
					     "primitive '%s'", sim_prims[p].name);
		for (int e = 0; ok && e < SIM_CE_COUNT; e++)
			if (!b->c->event[e].given)
				ok = fail_at(&x, x.line, x.col, "no cost for "
					     "event '%s'", event_names[e]);
	}
	g_hash_table_destroy(x.seen);
	g_free(x.why);
	if (!ok)
		g_propagate_error(error, x.err);
	return ok;
}

SimCosts *sim_costs_parse(const char *text, const char *filename,
			  GError **error)
{
	Build b = { .c = g_new0(SimCosts, 1),
		    .named = g_hash_table_new_full(g_str_hash, g_str_equal,
						   g_free, NULL),
		    .dists = g_array_new(FALSE, FALSE, sizeof(SimDist)) };
	bool ok = parse_file(&b, text, filename, error);

	if (ok) {
		for (int p = 0; p < SIM_P_COUNT; p++)
			resolve(&b.c->prim[p], b.dists);
		for (int e = 0; e < SIM_CE_COUNT; e++)
			resolve(&b.c->event[e], b.dists);
	}
	g_hash_table_destroy(b.named);
	g_array_free(b.dists, TRUE);
	if (!ok) {
		sim_costs_free(b.c);
		return NULL;
	}
	return b.c;
}

SimCosts *sim_costs_load(const char *arg, const char *dir, GError **error)
{
	char *path = strchr(arg, '/') || g_str_has_suffix(arg, ".cost") ?
		g_strdup(arg) : g_strdup_printf("%s/%s.cost", dir, arg);
	char *text = NULL;
	SimCosts *c = NULL;

	if (g_file_get_contents(path, &text, NULL, NULL)) {
		c = sim_costs_parse(text, path, error);
	} else {
		g_set_error(error, SIM_PARSE_ERROR, SIM_PARSE_ERROR_IO,
			    "%s: cannot read the cost file", path);
	}
	g_free(text);
	g_free(path);
	return c;
}
