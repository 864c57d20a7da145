/*
 * lex.c - the lexer, the parser's errors and token helpers, and reading a
 * source file.  See lex.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "input.h"
#include "lex.h"

G_DEFINE_QUARK(sim-parse-error-quark, sim_parse_error)

#define NEST_MAX            64  /* nested blocks, parentheses, unary ops */
#define NUMBER_MAX          32767

/* Punctuation, longest first where one is a prefix of another. */
static const struct {
	const char *text;
	SimTokKind kind;
} puncts[] = {
	{ "==", TK_EQ }, { "!=", TK_NE }, { "<=", TK_LE }, { ">=", TK_GE },
	{ "&&", TK_AND }, { "||", TK_OR }, { "..", TK_DOTDOT },
	{ "(", TK_LPAREN }, { ")", TK_RPAREN }, { "{", TK_LBRACE },
	{ "}", TK_RBRACE }, { ",", TK_COMMA }, { "=", TK_ASSIGN },
	{ "<", TK_LT }, { ">", TK_GT }, { "+", TK_PLUS }, { "-", TK_MINUS },
	{ "*", TK_STAR }, { "/", TK_SLASH }, { "%", TK_PERCENT },
	{ "!", TK_NOT }, { ":", TK_COLON }, { ";", TK_SEMI },
};

static bool is_ident_start(char c)
{
	return g_ascii_isalpha(c) || c == '_';
}

static bool is_ident_char(char c)
{
	return g_ascii_isalnum(c) || c == '_';
}

bool sim_lex_is_word_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '.' || c == '+' ||
	       c == '-';
}

static char char_at(const SimParser *p, size_t pos)
{
	return pos < p->len ? p->text[pos] : '\0';
}

static void cursor_step(const SimParser *p, SimCursor *c)
{
	if (p->text[c->pos] == '\n') {
		c->line++;
		c->col = 1;
	} else {
		c->col++;
	}
	c->pos++;
}

static void skip_space(const SimParser *p, SimCursor *c)
{
	while (c->pos < p->len) {
		char ch = p->text[c->pos];

		if (ch == '#' && !p->no_comments) {
			while (c->pos < p->len && p->text[c->pos] != '\n')
				cursor_step(p, c);
		} else if (ch == ' ' || ch == '\t' || ch == '\n' ||
			   ch == '\r' || ch == '\f' || ch == '\v') {
			cursor_step(p, c);
		} else {
			break;
		}
	}
}

static void tok_start(const SimParser *p, const SimCursor *c, SimToken *t)
{
	memset(t, 0, sizeof(*t));
	t->s = p->text + c->pos;
	t->line = c->line;
	t->col = c->col;
}

static void tok_finish(const SimParser *p, SimCursor *c, SimToken *t,
		       SimTokKind kind)
{
	t->kind = kind;
	t->len = (size_t)(p->text + c->pos - t->s);
	t->end = *c;
}

/* A number ends at the first non-digit; `12ab` is one bad token rather
 * than a number followed by a name, which would give a worse message. */
static void lex_number(const SimParser *p, SimCursor *c, SimToken *t)
{
	int v = 0;

	while (c->pos < p->len && g_ascii_isdigit(p->text[c->pos])) {
		if (v <= NUMBER_MAX)
			v = v * 10 + (p->text[c->pos] - '0');
		cursor_step(p, c);
	}
	t->value = v;
	if (c->pos < p->len && is_ident_char(p->text[c->pos])) {
		while (c->pos < p->len && is_ident_char(p->text[c->pos]))
			cursor_step(p, c);
		t->bad = BAD_NUMBER;
		tok_finish(p, c, t, TK_BAD);
		return;
	}
	tok_finish(p, c, t, TK_NUMBER);
	if (v > NUMBER_MAX) {
		t->kind = TK_BAD;
		t->bad = BAD_RANGE;
	}
}

/* Strings may not span lines; an unterminated one is reported at its
 * opening quote, a bad escape or a NUL byte where it is. */
static void lex_string(const SimParser *p, SimCursor *c, SimToken *t)
{
	cursor_step(p, c);
	for (;;) {
		char ch = char_at(p, c->pos);

		if (c->pos >= p->len || ch == '\n') {
			t->bad = BAD_STRING;
			tok_finish(p, c, t, TK_BAD);
			return;
		}
		if (ch == '"') {
			cursor_step(p, c);
			tok_finish(p, c, t, TK_STRING);
			return;
		}
		if (ch == '\0' || (ch == '\\' && c->pos + 1 < p->len &&
				   p->text[c->pos + 1] != '"' &&
				   p->text[c->pos + 1] != '\\')) {
			tok_start(p, c, t);
			t->bad = ch ? BAD_ESCAPE : BAD_CHAR;
			cursor_step(p, c);
			if (ch)
				cursor_step(p, c);
			tok_finish(p, c, t, TK_BAD);
			return;
		}
		if (ch == '\\' && c->pos + 1 < p->len)
			cursor_step(p, c);
		cursor_step(p, c);
	}
}

static void lex_punct(const SimParser *p, SimCursor *c, SimToken *t)
{
	for (size_t i = 0; i < G_N_ELEMENTS(puncts); i++) {
		size_t n = strlen(puncts[i].text);

		if (c->pos + n <= p->len &&
		    memcmp(p->text + c->pos, puncts[i].text, n) == 0) {
			for (size_t j = 0; j < n; j++)
				cursor_step(p, c);
			tok_finish(p, c, t, puncts[i].kind);
			return;
		}
	}
	cursor_step(p, c);
	t->bad = BAD_CHAR;
	tok_finish(p, c, t, TK_BAD);
}

/* far_token - a token past line or column 65535 is bad: instructions
 * record 16-bit positions, and a wrong position is worse than none. */
static bool far_token(const SimParser *p, SimCursor *c, SimToken *t)
{
	if (t->line <= G_MAXUINT16 && t->col <= G_MAXUINT16)
		return false;
	cursor_step(p, c);
	t->bad = BAD_POS;
	tok_finish(p, c, t, TK_BAD);
	return true;
}

/* lex - the token at FROM (after whitespace and comments). */
static void lex(const SimParser *p, SimCursor from, SimToken *t)
{
	SimCursor c = from;

	skip_space(p, &c);
	tok_start(p, &c, t);
	if (c.pos >= p->len) {
		tok_finish(p, &c, t, TK_EOF);
		return;
	}
	if (far_token(p, &c, t))
		return;
	char ch = p->text[c.pos];
	if (is_ident_start(ch)) {
		while (c.pos < p->len && is_ident_char(p->text[c.pos]))
			cursor_step(p, &c);
		tok_finish(p, &c, t, TK_IDENT);
	} else if (g_ascii_isdigit(ch)) {
		lex_number(p, &c, t);
	} else if (ch == '"') {
		lex_string(p, &c, t);
	} else {
		lex_punct(p, &c, t);
	}
}

/* lex_word - a WORD at FROM, or (when no word character is there) the
 * ordinary token.  `n/a` is a word: `/` is not a word character, but an
 * expectation may say n/a. */
static void lex_word(const SimParser *p, SimCursor from, SimToken *t)
{
	SimCursor c = from;

	skip_space(p, &c);
	if (c.pos >= p->len || !sim_lex_is_word_char(p->text[c.pos])) {
		lex(p, from, t);
		return;
	}
	tok_start(p, &c, t);
	if (far_token(p, &c, t))
		return;
	if (c.pos + 3 <= p->len && memcmp(p->text + c.pos, "n/a", 3) == 0 &&
	    !sim_lex_is_word_char(char_at(p, c.pos + 3))) {
		for (int i = 0; i < 3; i++)
			cursor_step(p, &c);
		tok_finish(p, &c, t, TK_WORD);
		return;
	}
	while (c.pos < p->len && sim_lex_is_word_char(p->text[c.pos]))
		cursor_step(p, &c);
	tok_finish(p, &c, t, TK_WORD);
}

SimToken sim_lex_peek(const SimParser *p)
{
	SimToken t;

	lex(p, p->at, &t);
	return t;
}

SimToken sim_lex_peek2(const SimParser *p)
{
	SimToken t, u;

	lex(p, p->at, &t);
	lex(p, t.end, &u);
	return u;
}

SimToken sim_lex_peek_word(const SimParser *p)
{
	SimToken t;

	lex_word(p, p->at, &t);
	return t;
}

void sim_lex_advance(SimParser *p, const SimToken *t)
{
	p->at = t->end;
}

SimToken sim_lex_next(SimParser *p)
{
	SimToken t = sim_lex_peek(p);

	sim_lex_advance(p, &t);
	return t;
}

/* hash_follows - whether `#N` (no space between) comes next on this line;
 * if so consume the `#`.  Only a schedule's `until NAME #N` asks. */
bool sim_lex_hash_follows(SimParser *p)
{
	SimCursor c = p->at;

	while (c.pos < p->len && (p->text[c.pos] == ' ' ||
				  p->text[c.pos] == '\t'))
		cursor_step(p, &c);
	if (char_at(p, c.pos) != '#' || !g_ascii_isdigit(char_at(p, c.pos + 1)))
		return false;
	cursor_step(p, &c);
	p->at = c;
	return true;
}

/* ---- errors and token helpers ----------------------------------------- */

gboolean sim_parse_fail_at(SimParser *p, int line, int col, int code,
			const char *fmt, ...) G_GNUC_PRINTF(5, 6);

gboolean sim_parse_fail_at(SimParser *p, int line, int col, int code,
			const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->err)
		return FALSE;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	p->err = g_error_new(SIM_PARSE_ERROR, code, "%s:%d:%d: %s", p->file,
			     line, col, msg);
	g_free(msg);
	return FALSE;
}

/* describe - T for a message: 'text' (shortened, non-printing bytes
 * escaped) or "end of file". */
static void describe(const SimToken *t, char *buf, size_t size)
{
	GString *s;

	if (t->kind == TK_EOF) {
		g_strlcpy(buf, "end of file", size);
		return;
	}
	s = g_string_new("'");
	for (size_t i = 0; i < t->len && i < 24; i++) {
		unsigned char ch = (unsigned char)t->s[i];

		if (ch >= 0x20 && ch < 0x7f)
			g_string_append_c(s, (char)ch);
		else
			g_string_append_printf(s, "\\x%02x", ch);
	}
	g_string_append(s, t->len > 24 ? "...'" : "'");
	g_strlcpy(buf, s->str, size);
	g_string_free(s, TRUE);
}

/* unexpected - report T where WHAT was expected; a TK_BAD token reports
 * why it is bad instead. */
gboolean sim_parse_unexpected(SimParser *p, const SimToken *t, const char *what)
{
	char d[128];

	describe(t, d, sizeof(d));
	if (t->kind != TK_BAD)
		return FAIL(p, t, SIM_PARSE_ERROR_SYNTAX,
			    "unexpected %s, expected %s", d, what);
	switch (t->bad) {
	case BAD_NUMBER:
		return FAIL(p, t, SIM_PARSE_ERROR_SYNTAX, "bad number %s", d);
	case BAD_RANGE:
		return FAIL(p, t, SIM_PARSE_ERROR_BOUND,
			    "number out of range %s (max %d)", d, NUMBER_MAX);
	case BAD_STRING:
		return FAIL(p, t, SIM_PARSE_ERROR_SYNTAX,
			    "unterminated string");
	case BAD_ESCAPE:
		return FAIL(p, t, SIM_PARSE_ERROR_SYNTAX,
			    "unknown escape %s in string", d);
	case BAD_POS:
		return FAIL(p, t, SIM_PARSE_ERROR_BOUND, "past line or column "
			    "65535: positions are recorded in 16 bits");
	case BAD_CHAR:
		break;
	}
	return FAIL(p, t, SIM_PARSE_ERROR_SYNTAX, "unexpected character %s",
		    d);
}

bool sim_tok_is(const SimToken *t, const char *word)
{
	return (t->kind == TK_IDENT || t->kind == TK_WORD) &&
	       t->len == strlen(word) && memcmp(t->s, word, t->len) == 0;
}

bool sim_tok_eq(const SimToken *t, const char *s)
{
	return s && t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

char *sim_tok_dup(const SimToken *t)
{
	return g_strndup(t->s, t->len);
}

gboolean sim_parse_expect(SimParser *p, SimTokKind kind, const char *what,
			  SimToken *out)
{
	SimToken t = sim_lex_peek(p);

	if (t.kind != kind)
		return sim_parse_unexpected(p, &t, what);
	sim_lex_advance(p, &t);
	if (out)
		*out = t;
	return TRUE;
}

gboolean sim_parse_expect_keyword(SimParser *p, const char *word)
{
	SimToken t = sim_lex_peek(p);
	char what[48];

	if (!sim_tok_is(&t, word)) {
		g_snprintf(what, sizeof(what), "'%s'", word);
		return sim_parse_unexpected(p, &t, what);
	}
	sim_lex_advance(p, &t);
	return TRUE;
}

gboolean sim_parse_expect_word(SimParser *p, const char *what, SimToken *out)
{
	SimToken t = sim_lex_peek_word(p);

	if (t.kind != TK_WORD)
		return sim_parse_unexpected(p, &t, what);
	sim_lex_advance(p, &t);
	*out = t;
	return TRUE;
}

/* expect_string - a STRING, unescaped into *OUT (newly allocated). */
gboolean sim_parse_expect_string(SimParser *p, char **out)
{
	SimToken t;
	GString *s;

	if (!sim_parse_expect(p, TK_STRING, "a string", &t))
		return FALSE;
	s = g_string_sized_new(t.len);
	for (size_t i = 1; i + 1 < t.len; i++) {
		if (t.s[i] == '\\')
			i++;
		g_string_append_c(s, t.s[i]);
	}
	/* every writer (JSON, JUnit, the report scripts) takes text as
	 * UTF-8: a string that is not is refused here, where it is */
	if (!g_utf8_validate(s->str, (gssize)s->len, NULL)) {
		g_string_free(s, TRUE);
		return FAIL(p, &t, SIM_PARSE_ERROR_SYNTAX,
			    "string is not valid UTF-8");
	}
	*out = g_string_free(s, FALSE);
	return TRUE;
}

gboolean sim_parse_nest_enter(SimParser *p, const SimToken *t)
{
	if (++p->nest > NEST_MAX)
		return FAIL(p, t, SIM_PARSE_ERROR_BOUND,
			    "nesting too deep (max %d)", NEST_MAX);
	return TRUE;
}

void sim_parser_init(SimParser *p, const char *text, size_t len,
			const char *file)
{
	memset(p, 0, sizeof(*p));
	p->text = text;
	p->len = len;
	p->file = file;
	p->at.line = 1;
	p->at.col = 1;
}

/* ---- source files --------------------------------------------------- */

/* The file PATH ("-": stdin when ALLOW_STDIN), as a parse error. */
char *sim_parse_read_file(const char *path, gboolean allow_stdin, gsize *len,
		       GError **error)
{
	GError *err = NULL;
	char *text = sim_input_read(path, allow_stdin, len, &err);

	if (!text) {
		g_set_error_literal(error, SIM_PARSE_ERROR, SIM_PARSE_ERROR_IO,
				    err->message);
		g_error_free(err);
	}
	return text;
}

/* A file starts with its header: reporting "missing header" beats
 * reporting whatever comes first as unexpected. */
gboolean sim_parse_file_header(SimParser *p, const char *word, const char *kind)
{
	SimToken t = sim_lex_peek(p);

	if (t.kind == TK_EOF)
		return FAIL(p, &t, SIM_PARSE_ERROR_SYNTAX, "empty file");
	if (t.kind == TK_BAD)
		return sim_parse_unexpected(p, &t, word);
	if (!sim_tok_is(&t, word))
		return FAIL(p, &t, SIM_PARSE_ERROR_SYNTAX,
			    "missing %s header: a %s file starts with "
			    "'%s NAME'", word, kind, word);
	return TRUE;
}
