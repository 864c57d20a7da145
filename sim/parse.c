/*
 * parse.c - lexer and recursive-descent parser for the model and scenario
 * languages (README.md, "The model language").
 *
 * Lexing is on demand and has no state of its own: the parser keeps one
 * cursor (the position just past the last token it consumed) and peeks by
 * lexing from there.  That makes the two context-dependent token classes
 * easy: a WORD (`v4.2-dax`, `stale-pte`) is lexed only where the grammar
 * asks for one (lex_word), and `#` is a comment everywhere except right
 * after `until NAME` in a schedule, where `#2` is the occurrence count
 * (hash_follows).  A malformed token (bad character, `12ab`, an
 * unterminated string) lexes as TK_BAD; whoever finds it where it expected
 * something else reports the lexer's message at the token.
 *
 * Code generation is one pass.  Each statement compiles straight into the
 * procedure's instruction array; forward jumps are patched when their
 * target is reached.  Expressions return a SimArg: an immediate for
 * numbers and constants, the register of a local, or a temporary.
 * Temporaries are a stack: an expression started with N temporaries in
 * use ends with N (its value is an immediate or a local) or N + 1 (its
 * value is temporary N), so a statement frees its temporaries by restoring
 * the count.  Temporaries get provisional numbers TEMP_BASE + i and are
 * renumbered after the named locals when the procedure is finished,
 * because a local may first be assigned after a temporary was needed.
 *
 * Models: `extends P` loads P (recursively) at the point it appears, which
 * must precede every lock, fn and op, so that the child's lock arguments
 * resolve against the parent's classes as they are parsed.  Calls are
 * resolved once the whole chain is merged (model_resolve).  Scenarios:
 * names that may be declared later in the file (processes, threads named
 * by schedules, properties an expect names) are checked at the end of the
 * file (scn_finish), from pending records that remember their position.
 *
 * Errors: the first error wins (Parser.err); every parse function returns
 * FALSE once it is set and callers unwind, freeing what they built.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "input.h"
#include "parse.h"
#include "suggest.h"

G_DEFINE_QUARK(sim-parse-error-quark, sim_parse_error)

#define NEST_MAX            64  /* nested blocks, parentheses, unary ops */
#define EXTENDS_DEPTH_MAX   8   /* models in an extends chain below the root */
#define HASHED_SLOTS_MAX    16  /* hashed_mutex array size */
#define NUMBER_MAX          32767
#define TEMP_BASE           0x80

/* ---- lexer ------------------------------------------------------------ */

typedef enum {
	TK_EOF, TK_BAD, TK_IDENT, TK_WORD, TK_NUMBER, TK_STRING,
	TK_LPAREN, TK_RPAREN, TK_LBRACE, TK_RBRACE, TK_COMMA, TK_ASSIGN,
	TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE, TK_PLUS, TK_MINUS,
	TK_STAR, TK_SLASH, TK_PERCENT, TK_AND, TK_OR, TK_NOT, TK_COLON,
	TK_DOTDOT, TK_SEMI,
} TokKind;

/* Why a TK_BAD token is bad. */
typedef enum {
	BAD_CHAR, BAD_NUMBER, BAD_RANGE, BAD_STRING, BAD_ESCAPE, BAD_POS,
} BadKind;

typedef struct {
	size_t pos;
	int line, col;
} Cursor;

typedef struct {
	TokKind kind;
	BadKind bad;
	const char *s;          /* the token's text in the source */
	size_t len;
	int line, col;
	int value;              /* TK_NUMBER */
	Cursor end;             /* just past the token */
} Token;

/* Punctuation, longest first where one is a prefix of another. */
static const struct {
	const char *text;
	TokKind kind;
} puncts[] = {
	{ "==", TK_EQ }, { "!=", TK_NE }, { "<=", TK_LE }, { ">=", TK_GE },
	{ "&&", TK_AND }, { "||", TK_OR }, { "..", TK_DOTDOT },
	{ "(", TK_LPAREN }, { ")", TK_RPAREN }, { "{", TK_LBRACE },
	{ "}", TK_RBRACE }, { ",", TK_COMMA }, { "=", TK_ASSIGN },
	{ "<", TK_LT }, { ">", TK_GT }, { "+", TK_PLUS }, { "-", TK_MINUS },
	{ "*", TK_STAR }, { "/", TK_SLASH }, { "%", TK_PERCENT },
	{ "!", TK_NOT }, { ":", TK_COLON }, { ";", TK_SEMI },
};

typedef struct ProcBuilder ProcBuilder;

typedef struct {
	const char *text;
	size_t len;
	const char *file;
	Cursor at;              /* just past the last consumed token */
	GError *err;            /* the first error */
	int nest;
	int sline, scol;        /* the statement being compiled */
	SimModel *model;        /* lock classes for lock arguments */
	bool thread_body;       /* compiling a scenario thread: no primitives */
	bool no_comments;       /* a --schedule argument: '#' is no comment */
	ProcBuilder *pb;
} Parser;

static bool is_ident_start(char c)
{
	return g_ascii_isalpha(c) || c == '_';
}

static bool is_ident_char(char c)
{
	return g_ascii_isalnum(c) || c == '_';
}

static bool is_word_char(char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '.' || c == '+' ||
	       c == '-';
}

static char char_at(const Parser *p, size_t pos)
{
	return pos < p->len ? p->text[pos] : '\0';
}

static void cursor_step(const Parser *p, Cursor *c)
{
	if (p->text[c->pos] == '\n') {
		c->line++;
		c->col = 1;
	} else {
		c->col++;
	}
	c->pos++;
}

static void skip_space(const Parser *p, Cursor *c)
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

static void tok_start(const Parser *p, const Cursor *c, Token *t)
{
	memset(t, 0, sizeof(*t));
	t->s = p->text + c->pos;
	t->line = c->line;
	t->col = c->col;
}

static void tok_finish(const Parser *p, Cursor *c, Token *t, TokKind kind)
{
	t->kind = kind;
	t->len = (size_t)(p->text + c->pos - t->s);
	t->end = *c;
}

/* A number ends at the first non-digit; `12ab` is one bad token rather
 * than a number followed by a name, which would give a worse message. */
static void lex_number(const Parser *p, Cursor *c, Token *t)
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
static void lex_string(const Parser *p, Cursor *c, Token *t)
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

static void lex_punct(const Parser *p, Cursor *c, Token *t)
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
static bool far_token(const Parser *p, Cursor *c, Token *t)
{
	if (t->line <= G_MAXUINT16 && t->col <= G_MAXUINT16)
		return false;
	cursor_step(p, c);
	t->bad = BAD_POS;
	tok_finish(p, c, t, TK_BAD);
	return true;
}

/* lex - the token at FROM (after whitespace and comments). */
static void lex(const Parser *p, Cursor from, Token *t)
{
	Cursor c = from;

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
static void lex_word(const Parser *p, Cursor from, Token *t)
{
	Cursor c = from;

	skip_space(p, &c);
	if (c.pos >= p->len || !is_word_char(p->text[c.pos])) {
		lex(p, from, t);
		return;
	}
	tok_start(p, &c, t);
	if (far_token(p, &c, t))
		return;
	if (c.pos + 3 <= p->len && memcmp(p->text + c.pos, "n/a", 3) == 0 &&
	    !is_word_char(char_at(p, c.pos + 3))) {
		for (int i = 0; i < 3; i++)
			cursor_step(p, &c);
		tok_finish(p, &c, t, TK_WORD);
		return;
	}
	while (c.pos < p->len && is_word_char(p->text[c.pos]))
		cursor_step(p, &c);
	tok_finish(p, &c, t, TK_WORD);
}

static Token peek(const Parser *p)
{
	Token t;

	lex(p, p->at, &t);
	return t;
}

static Token peek2(const Parser *p)
{
	Token t, u;

	lex(p, p->at, &t);
	lex(p, t.end, &u);
	return u;
}

static Token peek_word(const Parser *p)
{
	Token t;

	lex_word(p, p->at, &t);
	return t;
}

static void advance(Parser *p, const Token *t)
{
	p->at = t->end;
}

static Token next(Parser *p)
{
	Token t = peek(p);

	advance(p, &t);
	return t;
}

/* hash_follows - whether `#N` (no space between) comes next on this line;
 * if so consume the `#`.  Only a schedule's `until NAME #N` asks. */
static bool hash_follows(Parser *p)
{
	Cursor c = p->at;

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

static gboolean fail_at(Parser *p, int line, int col, int code,
			const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static gboolean fail_at(Parser *p, int line, int col, int code,
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

#define FAIL(p, t, code, ...) fail_at((p), (t)->line, (t)->col, (code), \
				      __VA_ARGS__)
#define SPAN(t) (int)(t)->len, (t)->s

/* describe - T for a message: 'text' (shortened, non-printing bytes
 * escaped) or "end of file". */
static void describe(const Token *t, char *buf, size_t size)
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
static gboolean unexpected(Parser *p, const Token *t, const char *what)
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

static bool tok_is(const Token *t, const char *word)
{
	return (t->kind == TK_IDENT || t->kind == TK_WORD) &&
	       t->len == strlen(word) && memcmp(t->s, word, t->len) == 0;
}

static bool span_eq(const Token *t, const char *s)
{
	return s && t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

static char *tok_dup(const Token *t)
{
	return g_strndup(t->s, t->len);
}

static gboolean expect(Parser *p, TokKind kind, const char *what, Token *out)
{
	Token t = peek(p);

	if (t.kind != kind)
		return unexpected(p, &t, what);
	advance(p, &t);
	if (out)
		*out = t;
	return TRUE;
}

static gboolean expect_keyword(Parser *p, const char *word)
{
	Token t = peek(p);
	char what[48];

	if (!tok_is(&t, word)) {
		g_snprintf(what, sizeof(what), "'%s'", word);
		return unexpected(p, &t, what);
	}
	advance(p, &t);
	return TRUE;
}

static gboolean expect_word(Parser *p, const char *what, Token *out)
{
	Token t = peek_word(p);

	if (t.kind != TK_WORD)
		return unexpected(p, &t, what);
	advance(p, &t);
	*out = t;
	return TRUE;
}

/* expect_string - a STRING, unescaped into *OUT (newly allocated). */
static gboolean expect_string(Parser *p, char **out)
{
	Token t;
	GString *s;

	if (!expect(p, TK_STRING, "a string", &t))
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

static gboolean nest_enter(Parser *p, const Token *t)
{
	if (++p->nest > NEST_MAX)
		return FAIL(p, t, SIM_PARSE_ERROR_BOUND,
			    "nesting too deep (max %d)", NEST_MAX);
	return TRUE;
}

static void parser_init(Parser *p, const char *text, size_t len,
			const char *file)
{
	memset(p, 0, sizeof(*p));
	p->text = text;
	p->len = len;
	p->file = file;
	p->at.line = 1;
	p->at.col = 1;
}

/* ---- name tables ------------------------------------------------------ */

static int prim_find(const Token *t)
{
	for (int i = 0; i < SIM_P_COUNT; i++)
		if (span_eq(t, sim_prims[i].name))
			return i;
	return -1;
}

static bool const_find(const Token *t, int *value)
{
	for (const SimConst *c = sim_consts; c->name; c++) {
		if (span_eq(t, c->name)) {
			*value = c->value;
			return true;
		}
	}
	return false;
}

static int prop_find(const Token *t)
{
	for (int i = 0; i < SIM_PROP_COUNT; i++)
		if (span_eq(t, sim_prop_name((SimProp)i)))
			return i;
	return -1;
}

static int lock_kind_find(const Token *t)
{
	for (int k = 0; k < SIM_LK_COUNT; k++)
		if (span_eq(t, sim_lock_kind_name((SimLockKind)k)))
			return k;
	return -1;
}

static int lock_find(const SimModel *m, const Token *t)
{
	for (int i = 0; i < m->nlocks; i++)
		if (span_eq(t, m->locks[i].name))
			return i;
	return -1;
}

static int proc_find(const SimModel *m, const char *name)
{
	for (int i = 0; i < m->nprocs; i++)
		if (strcmp(m->procs[i].name, name) == 0)
			return i;
	return -1;
}

/* Words the statement language reserves. */
static bool is_reserved(const Token *t)
{
	static const char *const words[] = {
		"if", "else", "while", "for", "in", "return",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
		if (tok_is(t, words[i]))
			return true;
	return false;
}

/* ---- procedure builder ------------------------------------------------ */

struct ProcBuilder {
	GArray *code;           /* SimInsn */
	GPtrArray *names;       /* parameters, then named locals */
	int nparams;
	int ntemps, maxtemps;
};

static void pb_init(ProcBuilder *pb)
{
	memset(pb, 0, sizeof(*pb));
	pb->code = g_array_new(FALSE, TRUE, sizeof(SimInsn));
	pb->names = g_ptr_array_new_with_free_func(g_free);
}

static void pb_free(ProcBuilder *pb)
{
	for (guint i = 0; pb->code && i < pb->code->len; i++)
		g_free(g_array_index(pb->code, SimInsn, i).callee);
	if (pb->code)
		g_array_free(pb->code, TRUE);
	if (pb->names)
		g_ptr_array_free(pb->names, TRUE);
	memset(pb, 0, sizeof(*pb));
}

static int pb_ncode(const Parser *p)
{
	return (int)p->pb->code->len;
}

static SimInsn *pb_insn(const Parser *p, int i)
{
	return &g_array_index(p->pb->code, SimInsn, i);
}

static int local_find(const Parser *p, const Token *t)
{
	for (guint i = 0; i < p->pb->names->len; i++)
		if (span_eq(t, g_ptr_array_index(p->pb->names, i)))
			return (int)i;
	return -1;
}

static gboolean regs_check(Parser *p, int line, int col)
{
	int n = (int)p->pb->names->len + p->pb->maxtemps;

	if (n > SIM_REGS_MAX)
		return fail_at(p, line, col, SIM_PARSE_ERROR_BOUND,
			       "too many registers: %d locals and temporaries, "
			       "more than SIM_REGS_MAX (%d)", n, SIM_REGS_MAX);
	return TRUE;
}

static gboolean local_new(Parser *p, const Token *t, int *reg)
{
	*reg = (int)p->pb->names->len;
	g_ptr_array_add(p->pb->names, tok_dup(t));
	return regs_check(p, t->line, t->col);
}

static gboolean temp_new(Parser *p, int *reg)
{
	*reg = TEMP_BASE + p->pb->ntemps++;
	if (p->pb->ntemps > p->pb->maxtemps)
		p->pb->maxtemps = p->pb->ntemps;
	return regs_check(p, p->sline, p->scol);
}

static SimArg arg_imm(int v)
{
	return (SimArg){ .kind = SIM_ARG_IMM, .v = (int16_t)v };
}

static SimArg arg_reg(int r)
{
	return (SimArg){ .kind = SIM_ARG_REG, .v = (int16_t)r };
}

static bool arg_is_temp(SimArg a)
{
	return a.kind == SIM_ARG_REG && a.v >= TEMP_BASE;
}

static void insn_init(SimInsn *in, SimOpcode op, int line, int col)
{
	memset(in, 0, sizeof(*in));
	in->op = (uint8_t)op;
	in->dst = in->dst2 = SIM_NOREG;
	in->lock = -1;
	in->line = (uint16_t)CLAMP(line, 0, G_MAXUINT16);
	in->col = (uint16_t)CLAMP(col, 0, G_MAXUINT16);
}

/* emit - append IN (taking its callee); its index, or -1 when the
 * procedure is full. */
static int emit(Parser *p, SimInsn *in)
{
	if (pb_ncode(p) >= SIM_CODE_MAX) {
		g_free(in->callee);
		fail_at(p, in->line, in->col, SIM_PARSE_ERROR_BOUND,
			"procedure too long: more than SIM_CODE_MAX (%d) "
			"instructions", SIM_CODE_MAX);
		return -1;
	}
	g_array_append_val(p->pb->code, *in);
	return pb_ncode(p) - 1;
}

static gboolean emit_mov(Parser *p, int dst, SimArg a)
{
	SimInsn in;

	insn_init(&in, SIM_I_MOV, p->sline, p->scol);
	in.dst = (uint8_t)dst;
	in.nargs = 1;
	in.arg[0] = a;
	return emit(p, &in) >= 0;
}

/* emit_jump - JMP (A ignored) or JZ A, to TARGET (patched later when the
 * target is ahead). */
static int emit_jump(Parser *p, SimOpcode op, SimArg a, int target)
{
	SimInsn in;

	insn_init(&in, op, p->sline, p->scol);
	in.target = (uint16_t)target;
	if (op == SIM_I_JZ) {
		in.nargs = 1;
		in.arg[0] = a;
	}
	return emit(p, &in);
}

static void patch_here(Parser *p, int jump)
{
	pb_insn(p, jump)->target = (uint16_t)pb_ncode(p);
}

/* emit_alu - *OUT = A op B in a temporary.  BASE is the temporaries in use
 * before the operands were computed: the operands' temporaries are free
 * once the instruction has read them, so the result reuses the first. */
static gboolean emit_alu(Parser *p, SimAluOp op, SimArg a, SimArg b,
			 int nargs, int base, SimArg *out)
{
	SimInsn in;
	int r;

	p->pb->ntemps = base;
	if (!temp_new(p, &r))
		return FALSE;
	insn_init(&in, SIM_I_ALU, p->sline, p->scol);
	in.sub = (uint8_t)op;
	in.dst = (uint8_t)r;
	in.nargs = (uint8_t)nargs;
	in.arg[0] = a;
	in.arg[1] = b;
	*out = arg_reg(r);
	return emit(p, &in) >= 0;
}

static void remap_reg(const ProcBuilder *pb, uint8_t *r)
{
	if (*r != SIM_NOREG && *r >= TEMP_BASE)
		*r = (uint8_t)(pb->names->len + (*r - TEMP_BASE));
}

/* pb_finish - move the built code into OUT, numbering temporaries after
 * the named registers (guarantee 2 of parse.h). */
static void pb_finish(ProcBuilder *pb, SimProc *out)
{
	int nnamed = (int)pb->names->len;

	for (guint i = 0; i < pb->code->len; i++) {
		SimInsn *in = &g_array_index(pb->code, SimInsn, i);

		remap_reg(pb, &in->dst);
		remap_reg(pb, &in->dst2);
		for (int a = 0; a < in->nargs && a < SIM_ARGS_MAX; a++)
			if (arg_is_temp(in->arg[a]))
				in->arg[a].v = (int16_t)(nnamed +
					       (in->arg[a].v - TEMP_BASE));
	}
	out->nparams = pb->nparams;
	out->nregs = nnamed + pb->maxtemps;
	out->regnames = g_new0(char *, out->nregs + 1);
	for (int i = 0; i < out->nregs; i++)
		out->regnames[i] = i < nnamed ?
			g_strdup(g_ptr_array_index(pb->names, i)) : g_strdup("");
	out->ncode = (int)pb->code->len;
	out->code = (SimInsn *)(void *)g_array_free(pb->code, FALSE);
	pb->code = NULL;
	pb_free(pb);
}

/* ---- expressions ------------------------------------------------------ */

#define LEVEL_UNARY 6

/* Binary operators by precedence level, lowest first. */
static const struct {
	TokKind tok;
	SimAluOp op;
	int level;
} binops[] = {
	{ TK_OR, SIM_ALU_OR, 0 }, { TK_AND, SIM_ALU_AND, 1 },
	{ TK_EQ, SIM_ALU_EQ, 2 }, { TK_NE, SIM_ALU_NE, 2 },
	{ TK_LT, SIM_ALU_LT, 3 }, { TK_LE, SIM_ALU_LE, 3 },
	{ TK_GT, SIM_ALU_GT, 3 }, { TK_GE, SIM_ALU_GE, 3 },
	{ TK_PLUS, SIM_ALU_ADD, 4 }, { TK_MINUS, SIM_ALU_SUB, 4 },
	{ TK_STAR, SIM_ALU_MUL, 5 }, { TK_SLASH, SIM_ALU_DIV, 5 },
	{ TK_PERCENT, SIM_ALU_MOD, 5 },
};

static gboolean expr_level(Parser *p, int level, SimArg *out);

static gboolean expr(Parser *p, SimArg *out)
{
	return expr_level(p, 0, out);
}

/* A name in an expression: a local, else a constant.  A call is never
 * part of an expression, because each primitive must be its own
 * scheduling point (README.md). */
static gboolean expr_name(Parser *p, const Token *t, SimArg *out)
{
	Token u = peek(p);
	int v;

	if (u.kind == TK_LPAREN) {
		if (prim_find(t) >= 0)
			return FAIL(p, t, SIM_PARSE_ERROR_SYNTAX,
				    "primitive '%.*s' must stand alone: "
				    "assign its result first", SPAN(t));
		return FAIL(p, t, SIM_PARSE_ERROR_SYNTAX,
			    "call to '%.*s' must stand alone: assign its "
			    "result first", SPAN(t));
	}
	v = local_find(p, t);
	if (v >= 0) {
		*out = arg_reg(v);
		return TRUE;
	}
	if (const_find(t, &v)) {
		*out = arg_imm(v);
		return TRUE;
	}
	return FAIL(p, t, SIM_PARSE_ERROR_NAME, "unknown name '%.*s'",
		    SPAN(t));
}

static gboolean expr_primary(Parser *p, SimArg *out)
{
	Token t = next(p);
	gboolean ok;

	switch (t.kind) {
	case TK_NUMBER:
		*out = arg_imm(t.value);
		return TRUE;
	case TK_IDENT:
		return expr_name(p, &t, out);
	case TK_LPAREN:
		if (!nest_enter(p, &t))
			return FALSE;
		ok = expr(p, out) && expect(p, TK_RPAREN, "')'", NULL);
		p->nest--;
		return ok;
	default:
		return unexpected(p, &t, "an expression");
	}
}

/* Unary operators fold on immediates, so `-7` is an immediate. */
static gboolean expr_unary(Parser *p, SimArg *out)
{
	Token t = peek(p);
	int base = p->pb->ntemps;
	gboolean ok;

	if (t.kind != TK_MINUS && t.kind != TK_NOT)
		return expr_primary(p, out);
	advance(p, &t);
	if (!nest_enter(p, &t))
		return FALSE;
	ok = expr_unary(p, out);
	p->nest--;
	if (!ok)
		return FALSE;
	if (out->kind == SIM_ARG_IMM) {
		int v = t.kind == TK_MINUS ? -out->v : !out->v;

		*out = arg_imm((int16_t)(uint16_t)v);
		return TRUE;
	}
	if (t.kind == TK_MINUS)
		return emit_alu(p, SIM_ALU_SUB, arg_imm(0), *out, 2, base, out);
	return emit_alu(p, SIM_ALU_NOT, *out, arg_imm(0), 1, base, out);
}

static int binop_find(TokKind kind, int level)
{
	for (size_t i = 0; i < G_N_ELEMENTS(binops); i++)
		if (binops[i].tok == kind && binops[i].level == level)
			return (int)i;
	return -1;
}

static gboolean expr_level(Parser *p, int level, SimArg *out)
{
	int base = p->pb->ntemps;

	if (level == LEVEL_UNARY)
		return expr_unary(p, out);
	if (!expr_level(p, level + 1, out))
		return FALSE;
	for (;;) {
		Token t = peek(p);
		int i = binop_find(t.kind, level);
		SimArg rhs;

		if (i < 0)
			return TRUE;
		advance(p, &t);
		if (!expr_level(p, level + 1, &rhs) ||
		    !emit_alu(p, binops[i].op, *out, rhs, 2, base, out))
			return FALSE;
	}
}

/* ---- statements ------------------------------------------------------- */

static gboolean stmt(Parser *p);

/* Words that start a line of a model or scenario file. */
static bool is_file_word(const Token *t)
{
	static const char *const words[] = {
		"model", "extends", "abstract", "summary", "source", "order",
		"omits", "lock", "fn", "op", "scenario", "race", "file",
		"proc", "thread", "check", "expect", "schedule",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
		if (tok_is(t, words[i]))
			return true;
	return false;
}

/* A forgotten '}' shows as a file line (`op f() {`) inside the block;
 * saying so at the brace beats an "unexpected" at the next line. */
static bool looks_like_file_line(const Parser *p, const Token *t)
{
	Token u;

	if (t->col != 1 || !is_file_word(t))
		return false;
	u = peek2(p);
	return u.kind != TK_ASSIGN && u.kind != TK_COMMA &&
	       u.kind != TK_LPAREN;
}

/* block - '{' stmt* '}'; *CLOSE gets the closing brace. */
static gboolean block(Parser *p, Token *close)
{
	Token open;

	if (!expect(p, TK_LBRACE, "'{'", &open) || !nest_enter(p, &open))
		return FALSE;
	for (;;) {
		Token t = peek(p);

		if (t.kind == TK_SEMI) {
			advance(p, &t);
		} else if (t.kind == TK_RBRACE) {
			advance(p, &t);
			if (close)
				*close = t;
			p->nest--;
			return TRUE;
		} else if (t.kind == TK_EOF || looks_like_file_line(p, &t)) {
			return FAIL(p, &open, SIM_PARSE_ERROR_SYNTAX,
				    "unterminated block: '{' has no "
				    "matching '}'");
		} else if (!stmt(p)) {
			return FALSE;
		}
	}
}

/* dst_reg - the register assignment to T writes: its local, or a new one
 * (so the right-hand side must have been compiled first). */
static gboolean dst_reg(Parser *p, const Token *t, int *reg)
{
	int v;

	*reg = local_find(p, t);
	if (*reg >= 0)
		return TRUE;
	if (const_find(t, &v))
		return FAIL(p, t, SIM_PARSE_ERROR_NAME,
			    "cannot assign to constant '%.*s'", SPAN(t));
	if (is_reserved(t))
		return FAIL(p, t, SIM_PARSE_ERROR_SYNTAX,
			    "'%.*s' is a reserved word", SPAN(t));
	return local_new(p, t, reg);
}

/* arg_list - expressions up to ')'; MORE: one is required first (after a
 * comma).  Stores up to SIM_ARGS_MAX, counts all in *N. */
static gboolean arg_list(Parser *p, bool more, SimArg *args, int *n)
{
	Token t = peek(p);

	if (!more && t.kind == TK_RPAREN) {
		advance(p, &t);
		return TRUE;
	}
	for (;;) {
		SimArg a;

		if (!expr(p, &a))
			return FALSE;
		if (*n < SIM_ARGS_MAX)
			args[*n] = a;
		(*n)++;
		t = next(p);
		if (t.kind == TK_RPAREN)
			return TRUE;
		if (t.kind != TK_COMMA)
			return unexpected(p, &t, "',' or ')'");
	}
}

static gboolean lock_arg(Parser *p, const Token *name, const SimPrim *pr,
			 SimInsn *in)
{
	Token l;
	int d;

	if (!expect(p, TK_IDENT, "a lock name", &l))
		return FALSE;
	d = lock_find(p->model, &l);
	if (d < 0)
		return FAIL(p, &l, SIM_PARSE_ERROR_NAME, "unknown lock '%.*s'",
			    SPAN(&l));
	if (p->model->locks[d].kind != pr->lockkind)
		return FAIL(p, &l, SIM_PARSE_ERROR_NAME,
			    "%.*s needs a %s, '%.*s' is a %s", SPAN(name),
			    sim_lock_kind_name((SimLockKind)pr->lockkind),
			    SPAN(&l), sim_lock_kind_name(
				    (SimLockKind)p->model->locks[d].kind));
	in->lock = (int8_t)d;
	return TRUE;
}

/* prim_args - the arguments of primitive ID after '(': a lock class first
 * for SIM_PA_LOCK primitives, then values. */
static gboolean prim_args(Parser *p, const Token *name, int id, SimInsn *in)
{
	const SimPrim *pr = &sim_prims[id];
	int n = 0, nlock = 0;
	Token t = peek(p);

	if (p->thread_body)
		return FAIL(p, name, SIM_PARSE_ERROR_NAME,
			    "thread bodies call ops; '%.*s' is a primitive",
			    SPAN(name));
	if (pr->argkind == SIM_PA_LOCK && t.kind != TK_RPAREN) {
		if (!lock_arg(p, name, pr, in))
			return FALSE;
		nlock = 1;
		t = next(p);
		if (t.kind == TK_COMMA) {
			if (!arg_list(p, true, in->arg, &n))
				return FALSE;
		} else if (t.kind != TK_RPAREN) {
			return unexpected(p, &t, "',' or ')'");
		}
	} else if (!arg_list(p, false, in->arg, &n)) {
		return FALSE;
	}
	if (n + nlock != pr->nargs)
		return FAIL(p, name, SIM_PARSE_ERROR_SYNTAX,
			    "wrong number of arguments to '%s': expected %d, "
			    "got %d", pr->name, pr->nargs, n + nlock);
	in->nargs = (uint8_t)n;
	return TRUE;
}

/* bind_results - the result registers of a call statement: D1 (and D2)
 * or none; a procedure returns one value, a primitive as many as
 * sim_prims[] says. */
static gboolean bind_results(Parser *p, const Token *name, int id,
			     const Token *d1, const Token *d2, SimInsn *in)
{
	int nres = id >= 0 ? sim_prims[id].nresults : 1;
	const char *what = id >= 0 ? "primitive" : "procedure";
	int r;

	if (d1 && nres == 0)
		return FAIL(p, name, SIM_PARSE_ERROR_SYNTAX,
			    "%s '%.*s' returns no value", what, SPAN(name));
	if (d2 && nres < 2)
		return FAIL(p, name, SIM_PARSE_ERROR_SYNTAX,
			    "too many results: %s '%.*s' returns one value",
			    what, SPAN(name));
	if (d2 && d1->len == d2->len && memcmp(d1->s, d2->s, d1->len) == 0)
		return FAIL(p, d2, SIM_PARSE_ERROR_NAME,
			    "'%.*s' assigned twice", SPAN(d2));
	if (d1) {
		if (!dst_reg(p, d1, &r))
			return FALSE;
		in->dst = (uint8_t)r;
	}
	if (d2) {
		if (!dst_reg(p, d2, &r))
			return FALSE;
		in->dst2 = (uint8_t)r;
	}
	return TRUE;
}

/* call - NAME '(' args ')' as a statement assigning D1 (and D2) or
 * nothing.  The cursor is at the '('. */
static gboolean call(Parser *p, const Token *name, const Token *d1,
		     const Token *d2)
{
	int id = prim_find(name);
	SimInsn in;
	int n = 0;

	insn_init(&in, id >= 0 ? SIM_I_PRIM : SIM_I_CALL, name->line,
		  name->col);
	if (!expect(p, TK_LPAREN, "'('", NULL))
		return FALSE;
	if (id >= 0) {
		in.sub = (uint8_t)id;
		if (!prim_args(p, name, id, &in))
			return FALSE;
	} else {
		if (!arg_list(p, false, in.arg, &n))
			return FALSE;
		if (n > SIM_ARGS_MAX)
			return FAIL(p, name, SIM_PARSE_ERROR_BOUND,
				    "too many arguments to '%.*s': more than "
				    "SIM_ARGS_MAX (%d)", SPAN(name),
				    SIM_ARGS_MAX);
		in.nargs = (uint8_t)n;
	}
	if (!bind_results(p, name, id, d1, d2, &in))
		return FALSE;
	if (id < 0)
		in.callee = tok_dup(name);
	return emit(p, &in) >= 0;
}

/* assign - DST '=' rhs, the cursor after the '='. */
static gboolean assign(Parser *p, const Token *dst)
{
	Token t = peek(p);
	SimArg v;
	int r;

	if (t.kind == TK_IDENT && peek2(p).kind == TK_LPAREN) {
		advance(p, &t);
		return call(p, &t, dst, NULL);
	}
	if (!expr(p, &v) || !dst_reg(p, dst, &r))
		return FALSE;
	/* The value was just computed into a temporary by the last
	 * instruction: compute it into DST instead of copying. */
	if (arg_is_temp(v) && pb_ncode(p) > 0 &&
	    pb_insn(p, pb_ncode(p) - 1)->dst == v.v) {
		pb_insn(p, pb_ncode(p) - 1)->dst = (uint8_t)r;
		return TRUE;
	}
	return emit_mov(p, r, v);
}

/* stmt_simple - a statement starting with a name: assignment, two-result
 * assignment, or a call whose result is discarded. */
static gboolean stmt_simple(Parser *p, const Token *name)
{
	Token u, d2, f;

	advance(p, name);
	u = peek(p);
	if (u.kind == TK_LPAREN)
		return call(p, name, NULL, NULL);
	if (u.kind == TK_ASSIGN) {
		advance(p, &u);
		return assign(p, name);
	}
	if (u.kind != TK_COMMA)
		return unexpected(p, &u, "'=', ',' or '('");
	advance(p, &u);
	if (!expect(p, TK_IDENT, "a name", &d2) ||
	    !expect(p, TK_ASSIGN, "'='", NULL) ||
	    !expect(p, TK_IDENT, "a primitive", &f))
		return FALSE;
	return call(p, &f, name, &d2);
}

/* if E {..} [else if E {..}]... [else {..}]: a flat chain of arms is one
 * level of nesting however long it is (each arm's block nests once). */
static gboolean stmt_if(Parser *p)
{
	Token kw = next(p), e;
	int mark = p->pb->ntemps, jz, jmp;
	GArray *ends = g_array_new(FALSE, FALSE, sizeof(int));
	gboolean ok = nest_enter(p, &kw);
	SimArg c;

	while (ok) {
		p->sline = kw.line;
		p->scol = kw.col;
		if (!expr(p, &c))
			ok = FALSE;
		else if ((jz = emit_jump(p, SIM_I_JZ, c, 0)) < 0)
			ok = FALSE;
		p->pb->ntemps = mark;
		if (!ok || !block(p, NULL)) {
			ok = FALSE;
			break;
		}
		e = peek(p);
		if (!tok_is(&e, "else")) {
			patch_here(p, jz);
			break;
		}
		advance(p, &e);
		p->sline = e.line;
		p->scol = e.col;
		if ((jmp = emit_jump(p, SIM_I_JMP, arg_imm(0), 0)) < 0) {
			ok = FALSE;
			break;
		}
		g_array_append_val(ends, jmp);
		patch_here(p, jz);
		kw = peek(p);
		if (!tok_is(&kw, "if")) {
			ok = block(p, NULL);
			break;
		}
		advance(p, &kw);
	}
	for (guint i = 0; ok && i < ends->len; i++)
		patch_here(p, g_array_index(ends, int, i));
	g_array_free(ends, TRUE);
	p->nest--;
	return ok;
}

static gboolean stmt_while(Parser *p)
{
	Token kw = next(p);
	int top = pb_ncode(p), mark = p->pb->ntemps, jz;
	SimArg c;

	if (!expr(p, &c))
		return FALSE;
	jz = emit_jump(p, SIM_I_JZ, c, 0);
	p->pb->ntemps = mark;
	if (jz < 0 || !block(p, NULL))
		return FALSE;
	p->sline = kw.line;
	p->scol = kw.col;
	if (emit_jump(p, SIM_I_JMP, arg_imm(0), top) < 0)
		return FALSE;
	patch_here(p, jz);
	return TRUE;
}

/* for VAR in LO .. HI: HI is evaluated once, so a named register is
 * copied to a temporary the body cannot assign. */
static gboolean stmt_for(Parser *p)
{
	Token kw = next(p), var;
	SimArg lo, hi, c;
	int r, t, top, jz;

	if (!expect(p, TK_IDENT, "a loop variable", &var) ||
	    !expect_keyword(p, "in") || !expr(p, &lo) ||
	    !expect(p, TK_DOTDOT, "'..'", NULL) || !expr(p, &hi))
		return FALSE;
	if (hi.kind == SIM_ARG_REG && !arg_is_temp(hi)) {
		if (!temp_new(p, &t) || !emit_mov(p, t, hi))
			return FALSE;
		hi = arg_reg(t);
	}
	if (!dst_reg(p, &var, &r) || !emit_mov(p, r, lo))
		return FALSE;
	top = pb_ncode(p);
	if (!emit_alu(p, SIM_ALU_LE, arg_reg(r), hi, 2, p->pb->ntemps, &c))
		return FALSE;
	jz = emit_jump(p, SIM_I_JZ, c, 0);
	p->pb->ntemps--;
	if (jz < 0 || !block(p, NULL))
		return FALSE;
	p->sline = kw.line;
	p->scol = kw.col;
	if (!emit_alu(p, SIM_ALU_ADD, arg_reg(r), arg_imm(1), 2,
		      p->pb->ntemps, &c))
		return FALSE;
	pb_insn(p, pb_ncode(p) - 1)->dst = (uint8_t)r;
	p->pb->ntemps--;
	if (emit_jump(p, SIM_I_JMP, arg_imm(0), top) < 0)
		return FALSE;
	patch_here(p, jz);
	return TRUE;
}

/* return [expr]: the value, if any, starts on the return's line, since
 * newlines are only whitespace and the next statement may start with a
 * name. */
static gboolean stmt_return(Parser *p)
{
	Token kw = next(p), t = peek(p);
	SimInsn in;

	insn_init(&in, SIM_I_RET, kw.line, kw.col);
	if (t.line == kw.line && t.kind != TK_RBRACE && t.kind != TK_SEMI &&
	    t.kind != TK_EOF) {
		if (!expr(p, &in.arg[0]))
			return FALSE;
		in.nargs = 1;
	}
	return emit(p, &in) >= 0;
}

static gboolean stmt(Parser *p)
{
	Token t = peek(p);
	int mark = p->pb->ntemps, sline = p->sline, scol = p->scol;
	gboolean ok;

	if (t.kind != TK_IDENT)
		return unexpected(p, &t, "a statement");
	p->sline = t.line;
	p->scol = t.col;
	if (tok_is(&t, "if"))
		ok = stmt_if(p);
	else if (tok_is(&t, "while"))
		ok = stmt_while(p);
	else if (tok_is(&t, "for"))
		ok = stmt_for(p);
	else if (tok_is(&t, "return"))
		ok = stmt_return(p);
	else if (is_reserved(&t))
		ok = FAIL(p, &t, SIM_PARSE_ERROR_SYNTAX,
			  "unexpected '%.*s', expected a statement", SPAN(&t));
	else
		ok = stmt_simple(p, &t);
	p->pb->ntemps = mark;
	p->sline = sline;
	p->scol = scol;
	return ok;
}

/* body - a procedure's block, compiled into OUT with the implicit
 * `RET 0` at its closing brace.  PB holds the parameters already. */
static gboolean body(Parser *p, ProcBuilder *pb, SimProc *out)
{
	Token close;
	SimInsn in;

	p->pb = pb;
	if (!block(p, &close))
		return FALSE;
	insn_init(&in, SIM_I_RET, close.line, close.col);
	if (emit(p, &in) < 0)
		return FALSE;
	pb_finish(pb, out);
	p->pb = NULL;
	return TRUE;
}

/* ---- models ----------------------------------------------------------- */

/* Headers a model file may give at most once (bit h of ModelState.seen);
 * OFFSET locates the string field of those that are strings. */
enum {
	MH_MODEL, MH_EXTENDS, MH_ABSTRACT, MH_SUMMARY, MH_SOURCE, MH_ORDER,
	MH_OMITS, MH_COUNT
};

static const struct {
	const char *word;
	size_t offset;
} model_headers[MH_COUNT] = {
	[MH_MODEL] = { "model", 0 },
	[MH_EXTENDS] = { "extends", 0 },
	[MH_ABSTRACT] = { "abstract", 0 },
	[MH_SUMMARY] = { "summary", offsetof(SimModel, summary) },
	[MH_SOURCE] = { "source", offsetof(SimModel, source) },
	[MH_ORDER] = { "order", offsetof(SimModel, order) },
	[MH_OMITS] = { "omits", offsetof(SimModel, omits) },
};

static const struct {
	const char *name;
	SimLockKind kind;
	bool per_proc;
} builtin_locks[SIM_LOCKDECL_BUILTIN] = {
	[SIM_LOCKDECL_MMAP_SEM] = { "mmap_sem", SIM_LK_RWSEM, true },
	[SIM_LOCKDECL_PAGE] = { "page", SIM_LK_PAGE, false },
	[SIM_LOCKDECL_ENTRY] = { "dax_entry", SIM_LK_ENTRY, false },
};

/* The models being loaded, root first: chain[depth] is the file being
 * parsed (its `model` name), for finding extends cycles; parents are
 * looked up along PATH. */
typedef struct {
	const char *path;
	const char *chain[EXTENDS_DEPTH_MAX + 2];
	int depth;
} LoadCtx;

typedef struct {
	LoadCtx *lc;
	unsigned seen;                  /* headers this file gave */
	bool decls;                     /* a lock, fn or op came */
	bool mine[SIM_PROCS_CODE_MAX];  /* procs defined by this file */
} ModelState;

static SimModel *model_parse(LoadCtx *lc, const char *text, size_t len,
			     const char *file, GError **error);

static char **model_field(SimModel *m, int h)
{
	return (char **)(void *)((char *)m + model_headers[h].offset);
}

static SimModel *model_new(const char *text, size_t len, const char *file)
{
	SimModel *m = g_new0(SimModel, 1);

	m->file = g_strdup(file);
	m->text = g_strndup(text, len);
	for (int i = 0; i < SIM_LOCKDECL_BUILTIN; i++) {
		m->locks[i].name = g_strdup(builtin_locks[i].name);
		m->locks[i].kind = (uint8_t)builtin_locks[i].kind;
		m->locks[i].per_proc = builtin_locks[i].per_proc;
	}
	m->nlocks = SIM_LOCKDECL_BUILTIN;
	return m;
}

/* A name we may turn into DIR/NAME.model: a WORD not starting with '.',
 * so it cannot leave the directory. */
static bool model_name_ok(const char *name)
{
	if (!name[0] || name[0] == '.')
		return false;
	for (const char *c = name; *c; c++)
		if (!is_word_char(*c))
			return false;
	return true;
}

/* The first DIR/NAME.model along PATH (DIR:DIR:..., empty entries
 * skipped) that exists and is no directory, or NULL.  (Not "regular":
 * a FIFO found here is refused when read, with a message saying so.) */
static char *model_find(const char *path, const char *name)
{
	char **dirs = g_strsplit(path, G_SEARCHPATH_SEPARATOR_S, -1);
	char *base = g_strconcat(name, ".model", NULL), *found = NULL;

	for (int i = 0; model_name_ok(name) && dirs[i] && !found; i++) {
		found = g_build_filename(dirs[i], base, NULL);
		if (!dirs[i][0] || !g_file_test(found, G_FILE_TEST_EXISTS) ||
		    g_file_test(found, G_FILE_TEST_IS_DIR))
			g_clear_pointer(&found, g_free);
	}
	g_free(base);
	g_strfreev(dirs);
	return found;
}

static gboolean model_name(Parser *p, SimModel *m, ModelState *ms)
{
	Token w;
	char *base;
	gboolean ok = TRUE;

	if (!expect_word(p, "a model name", &w))
		return FALSE;
	m->name = tok_dup(&w);
	ms->lc->chain[ms->lc->depth] = m->name;
	base = g_path_get_basename(p->file);
	if (g_str_has_suffix(base, ".model")) {
		base[strlen(base) - strlen(".model")] = '\0';
		if (strcmp(base, m->name) != 0)
			ok = FAIL(p, &w, SIM_PARSE_ERROR_NAME,
				  "model name '%s' does not match its file "
				  "name '%s.model'", m->name, base);
	}
	g_free(base);
	return ok;
}

static gboolean extends_cycle(Parser *p, const LoadCtx *lc, const Token *w)
{
	GString *s = g_string_new(NULL);
	gboolean ok;

	for (int i = 0; i <= lc->depth; i++)
		g_string_append_printf(s, "%s -> ", lc->chain[i]);
	g_string_append_len(s, w->s, (gssize)w->len);
	ok = FAIL(p, w, SIM_PARSE_ERROR_NAME, "extends cycle: %s", s->str);
	g_string_free(s, TRUE);
	return ok;
}

/* model_load_parent - parse the parent NAME (named by W) from the first
 * directory of the search path holding it, one level deeper in the
 * chain. */
static SimModel *model_load_parent(Parser *p, LoadCtx *lc, const Token *w,
				   const char *name)
{
	char *path = model_find(lc->path, name), *text = NULL;
	gsize len = 0;
	GError *err = NULL;
	SimModel *parent = NULL;

	if (!path) {
		FAIL(p, w, SIM_PARSE_ERROR_NAME, "unknown parent model '%s' "
		     "(no %s.model in %s)", name, name, lc->path);
		return NULL;
	}
	if (!(text = sim_input_read(path, FALSE, &len, &err))) {
		FAIL(p, w, SIM_PARSE_ERROR_IO, "parent model '%s': %s", name,
		     err->message);
		g_error_free(err);
		g_free(path);
		return NULL;
	}
	lc->depth++;
	parent = model_parse(lc, text, len, path, &err);
	lc->chain[lc->depth] = NULL;
	lc->depth--;
	if (!parent)
		p->err = err;
	g_free(text);
	g_free(path);
	return parent;
}

/* model_merge - M (which has no declarations yet) takes PARENT's lock
 * classes, procedures and the headers M has not given; PARENT is freed.
 * `abstract` is not inherited. */
static void model_merge(SimModel *m, SimModel *parent, ModelState *ms)
{
	for (int i = SIM_LOCKDECL_BUILTIN; i < parent->nlocks; i++) {
		m->locks[i] = parent->locks[i];
		parent->locks[i].name = NULL;
	}
	m->nlocks = parent->nlocks;
	m->procs = parent->procs;
	m->nprocs = parent->nprocs;
	parent->procs = NULL;
	parent->nprocs = 0;
	for (int h = MH_SUMMARY; h < MH_COUNT; h++) {
		char **f = model_field(m, h), **pf = model_field(parent, h);

		if (ms->seen & (1u << h))
			continue;
		g_free(*f);
		*f = *pf;
		*pf = NULL;
	}
	sim_model_free(parent);
}

static gboolean model_extends(Parser *p, SimModel *m, ModelState *ms,
			      const Token *kw)
{
	LoadCtx *lc = ms->lc;
	SimModel *parent;
	Token w;

	if (ms->decls)
		return FAIL(p, kw, SIM_PARSE_ERROR_SYNTAX,
			    "'extends' must come before locks and procedures");
	if (!expect_word(p, "a model name", &w))
		return FALSE;
	m->extends = tok_dup(&w);
	for (int i = 0; i <= lc->depth; i++)
		if (lc->chain[i] && strcmp(lc->chain[i], m->extends) == 0)
			return extends_cycle(p, lc, &w);
	if (lc->depth >= EXTENDS_DEPTH_MAX)
		return FAIL(p, &w, SIM_PARSE_ERROR_BOUND,
			    "extends chain too deep: more than %d parents",
			    EXTENDS_DEPTH_MAX);
	parent = model_load_parent(p, lc, &w, m->extends);
	if (!parent)
		return FALSE;
	model_merge(m, parent, ms);
	return TRUE;
}

static gboolean model_header(Parser *p, SimModel *m, ModelState *ms,
			     const Token *kw, int h)
{
	char *s;

	if (ms->seen & (1u << h))
		return FAIL(p, kw, SIM_PARSE_ERROR_SYNTAX,
			    "duplicate header '%s'", model_headers[h].word);
	ms->seen |= 1u << h;
	switch (h) {
	case MH_MODEL:
		return model_name(p, m, ms);
	case MH_EXTENDS:
		return model_extends(p, m, ms, kw);
	case MH_ABSTRACT:
		m->abstract = true;
		return TRUE;
	default:
		if (!expect_string(p, &s))
			return FALSE;
		g_free(*model_field(m, h));
		*model_field(m, h) = s;
		return TRUE;
	}
}

/* lock IDENT KIND [NUMBER] */
static gboolean model_lock(Parser *p, SimModel *m, ModelState *ms)
{
	Token name, kind, n;
	int k, d, nslots = 0;

	ms->decls = true;
	if (!expect(p, TK_IDENT, "a lock name", &name))
		return FALSE;
	d = lock_find(m, &name);
	if (d >= 0 && d < SIM_LOCKDECL_BUILTIN)
		return FAIL(p, &name, SIM_PARSE_ERROR_NAME,
			    "lock '%.*s' is built in", SPAN(&name));
	if (d >= 0)
		return FAIL(p, &name, SIM_PARSE_ERROR_NAME,
			    "duplicate lock '%.*s'", SPAN(&name));
	if (!expect(p, TK_IDENT, "a lock kind", &kind))
		return FALSE;
	k = lock_kind_find(&kind);
	if (k < 0 || k == SIM_LK_PAGE || k == SIM_LK_ENTRY)
		return FAIL(p, &kind, SIM_PARSE_ERROR_NAME,
			    "unknown lock kind '%.*s' (mutex, rwsem, "
			    "range_lock or hashed_mutex N)", SPAN(&kind));
	n = peek(p);
	if (k == SIM_LK_HASHED) {
		if (n.kind == TK_BAD)
			return unexpected(p, &n, "a size");
		if (n.kind != TK_NUMBER)
			return FAIL(p, &kind, SIM_PARSE_ERROR_SYNTAX,
				    "hashed_mutex needs a size (1..%d)",
				    HASHED_SLOTS_MAX);
		if (n.value < 1 || n.value > HASHED_SLOTS_MAX)
			return FAIL(p, &n, SIM_PARSE_ERROR_BOUND,
				    "hashed_mutex size %d out of range (1..%d)",
				    n.value, HASHED_SLOTS_MAX);
		advance(p, &n);
		nslots = n.value;
	} else if (n.kind == TK_NUMBER) {
		return FAIL(p, &n, SIM_PARSE_ERROR_SYNTAX,
			    "only a hashed_mutex takes a size");
	}
	if (m->nlocks >= SIM_LOCKDECLS_MAX)
		return FAIL(p, &name, SIM_PARSE_ERROR_BOUND,
			    "too many lock classes: more than "
			    "SIM_LOCKDECLS_MAX (%d)", SIM_LOCKDECLS_MAX);
	m->locks[m->nlocks] = (SimLockDecl){
		.name = tok_dup(&name), .kind = (uint8_t)k,
		.nslots = (uint8_t)nslots, .line = name.line, .col = name.col,
	};
	m->nlocks++;
	return TRUE;
}

/* params - '(' [IDENT {',' IDENT}] ')' into PB's first registers. */
static gboolean params(Parser *p, ProcBuilder *pb)
{
	Token t;
	int v;

	p->pb = pb;
	if (!expect(p, TK_LPAREN, "'('", NULL))
		return FALSE;
	t = peek(p);
	if (t.kind == TK_RPAREN) {
		advance(p, &t);
		return TRUE;
	}
	for (;;) {
		if (!expect(p, TK_IDENT, "a parameter name", &t))
			return FALSE;
		if (local_find(p, &t) >= 0)
			return FAIL(p, &t, SIM_PARSE_ERROR_NAME,
				    "duplicate parameter '%.*s'", SPAN(&t));
		if (const_find(&t, &v) || is_reserved(&t))
			return FAIL(p, &t, SIM_PARSE_ERROR_NAME,
				    "'%.*s' cannot be a parameter name",
				    SPAN(&t));
		if (pb->nparams >= SIM_ARGS_MAX)
			return FAIL(p, &t, SIM_PARSE_ERROR_BOUND,
				    "too many parameters: more than "
				    "SIM_ARGS_MAX (%d)", SIM_ARGS_MAX);
		g_ptr_array_add(pb->names, tok_dup(&t));
		pb->nparams++;
		t = next(p);
		if (t.kind == TK_RPAREN)
			return TRUE;
		if (t.kind != TK_COMMA)
			return unexpected(p, &t, "',' or ')'");
	}
}

/* model_install - put PROC in M: it replaces an inherited procedure of
 * the same name, else it is appended (room was checked). */
static void model_install(SimModel *m, ModelState *ms, SimProc *proc)
{
	int i = proc_find(m, proc->name);

	if (i >= 0) {
		sim_proc_clear(&m->procs[i]);
	} else {
		i = m->nprocs++;
		m->procs = g_renew(SimProc, m->procs, m->nprocs);
	}
	m->procs[i] = *proc;
	ms->mine[i] = true;
}

/* ---- citations (parse.h) ---------------------------------------------- */

/* One citation of the rule in parse.h, as a whole-string pattern. */
static const char citation_re[] =
	"(?:[A-Za-z_][A-Za-z0-9_]*, [a-z0-9_-]+(?:/[A-Za-z0-9_.-]+)*\\.[ch], "
	"v[0-9]+\\.[0-9]+(?:\\.[0-9]+)?(?:-rc[0-9]+)?"
	"|proposal: [^,<>]*[^ ,<>], [0-9]{1,2} "
	"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
	"<[^<>@ ]+@[^<>@ ]+>)";

bool sim_parse_citation(const char *doc)
{
	const char *nl = doc ? strchr(doc, '\n') : NULL;
	char *line, *pattern;
	bool ok;

	if (!doc)
		return false;
	line = nl ? g_strndup(doc, (gsize)(nl - doc)) : g_strdup(doc);
	if (g_str_has_prefix(line, "model: ")) {
		ok = line[strlen("model: ")] != '\0' &&
		     !g_ascii_isspace(line[strlen("model: ")]);
	} else {
		pattern = g_strdup_printf("^%s(?:; %s)*$", citation_re,
					  citation_re);
		ok = g_regex_match_simple(pattern, line, 0, 0);
		g_free(pattern);
	}
	g_free(line);
	return ok;
}

/* doc_comment - the doc comment of the procedure whose keyword is KW:
 * the contiguous lines directly above KW's line whose first non-blank
 * character is `#`, top to bottom, each without its `#`, one space after
 * it and trailing blanks, joined by newlines.  NULL when there is none or
 * KW is not the first token on its line. */
static char *doc_comment(const Parser *p, const Token *kw)
{
	size_t start = (size_t)(kw->s - p->text), top;
	GString *doc;

	while (start > 0 && p->text[start - 1] != '\n') {
		if (p->text[start - 1] != ' ' && p->text[start - 1] != '\t')
			return NULL;
		start--;
	}
	/* Walk up while the line above is a comment line; TOP is the start
	 * of the topmost one. */
	for (top = start; top > 0;) {
		size_t ls = top - 1, c;

		while (ls > 0 && p->text[ls - 1] != '\n')
			ls--;
		for (c = ls; p->text[c] == ' ' || p->text[c] == '\t'; c++)
			;
		if (p->text[c] != '#')
			break;
		top = ls;
	}
	if (top == start)
		return NULL;
	doc = g_string_new(NULL);
	while (top < start) {
		const char *line = p->text + top;
		const char *nl = memchr(line, '\n', start - top);
		const char *c = strchr(line, '#') + 1, *end = nl;

		if (*c == ' ')
			c++;
		while (end > c && g_ascii_isspace(end[-1]))
			end--;
		if (doc->len)
			g_string_append_c(doc, '\n');
		g_string_append_len(doc, c, end - c);
		top = (size_t)(nl - p->text) + 1;
	}
	return g_string_free(doc, FALSE);
}

/* (fn | op) IDENT params block; KW is the fn or op. */
static gboolean model_proc(Parser *p, SimModel *m, ModelState *ms,
			   const Token *kw)
{
	Token name;
	ProcBuilder pb;
	SimProc proc = { 0 };
	int i;

	ms->decls = true;
	if (!expect(p, TK_IDENT, "a procedure name", &name))
		return FALSE;
	if (prim_find(&name) >= 0 || is_reserved(&name))
		return FAIL(p, &name, SIM_PARSE_ERROR_NAME,
			    "'%.*s' cannot be a procedure name", SPAN(&name));
	proc.name = tok_dup(&name);
	i = proc_find(m, proc.name);
	if (i >= 0 && ms->mine[i])
		FAIL(p, &name, SIM_PARSE_ERROR_NAME,
		     "duplicate procedure '%s'", proc.name);
	else if (i < 0 && m->nprocs >= SIM_PROCS_CODE_MAX)
		FAIL(p, &name, SIM_PARSE_ERROR_BOUND,
		     "too many procedures: more than SIM_PROCS_CODE_MAX (%d)",
		     SIM_PROCS_CODE_MAX);
	pb_init(&pb);
	if (p->err || !params(p, &pb) || !body(p, &pb, &proc)) {
		pb_free(&pb);
		g_free(proc.name);
		return FALSE;
	}
	proc.is_op = tok_is(kw, "op");
	proc.doc = doc_comment(p, kw);
	proc.file = g_strdup(p->file);
	proc.line = name.line;
	proc.col = name.col;
	model_install(m, ms, &proc);
	return TRUE;
}

static gboolean model_items(Parser *p, SimModel *m, ModelState *ms)
{
	for (;;) {
		Token t = peek(p);
		gboolean ok = FALSE;
		int h;

		if (t.kind == TK_EOF)
			return TRUE;
		advance(p, &t);
		if (t.kind == TK_SEMI)
			continue;
		for (h = 0; h < MH_COUNT; h++)
			if (tok_is(&t, model_headers[h].word))
				break;
		if (h < MH_COUNT)
			ok = model_header(p, m, ms, &t, h);
		else if (tok_is(&t, "lock"))
			ok = model_lock(p, m, ms);
		else if (tok_is(&t, "fn") || tok_is(&t, "op"))
			ok = model_proc(p, m, ms, &t);
		else
			ok = unexpected(p, &t, "a header, 'lock', 'fn' or 'op'");
		if (!ok)
			return FALSE;
	}
}

/* A file starts with its header: reporting "missing header" beats
 * reporting whatever comes first as unexpected. */
static gboolean file_header(Parser *p, const char *word, const char *kind)
{
	Token t = peek(p);

	if (t.kind == TK_EOF)
		return FAIL(p, &t, SIM_PARSE_ERROR_SYNTAX, "empty file");
	if (t.kind == TK_BAD)
		return unexpected(p, &t, word);
	if (!tok_is(&t, word))
		return FAIL(p, &t, SIM_PARSE_ERROR_SYNTAX,
			    "missing %s header: a %s file starts with "
			    "'%s NAME'", word, kind, word);
	return TRUE;
}

/* model_parse - one model file, its parents merged in; calls are not yet
 * resolved. */
static SimModel *model_parse(LoadCtx *lc, const char *text, size_t len,
			     const char *file, GError **error)
{
	Parser p;
	ModelState ms;
	SimModel *m = model_new(text, len, file);

	parser_init(&p, text, len, file);
	memset(&ms, 0, sizeof(ms));
	ms.lc = lc;
	p.model = m;
	if (!file_header(&p, "model", "model") || !model_items(&p, m, &ms)) {
		sim_model_free(m);
		g_propagate_error(error, p.err);
		return NULL;
	}
	return m;
}


/* "FILE:LINE:COL: unknown procedure 'NAME' (did you mean ...?)" */
static void unknown_procedure(const SimModel *m, const SimProc *pr,
			      const SimInsn *in, GError **error)
{
	const char **names = g_new(const char *, m->nprocs + 1);
	GString *msg = g_string_new(NULL);

	for (int i = 0; i < m->nprocs; i++)
		names[i] = m->procs[i].name;
	g_string_printf(msg, "%s:%d:%d: unknown procedure '%s'", pr->file,
			in->line, in->col, in->callee);
	sim_suggest_append(msg, in->callee, names, m->nprocs);
	g_set_error_literal(error, SIM_PARSE_ERROR, SIM_PARSE_ERROR_NAME,
			    msg->str);
	g_string_free(msg, TRUE);
	g_free(names);
}

/* model_resolve - bind every call of the merged model M to its callee. */
static gboolean model_resolve(SimModel *m, GError **error)
{
	for (int i = 0; i < m->nprocs; i++) {
		SimProc *pr = &m->procs[i];

		for (int j = 0; j < pr->ncode; j++) {
			SimInsn *in = &pr->code[j];
			int t;

			if (in->op != SIM_I_CALL)
				continue;
			t = proc_find(m, in->callee);
			/* an abstract base may call ops only its children
			 * define (base.model's store calls fault) */
			if (t < 0 && m->abstract)
				continue;
			if (t < 0) {
				unknown_procedure(m, pr, in, error);
				return FALSE;
			}
			if (m->procs[t].nparams != in->nargs) {
				g_set_error(error, SIM_PARSE_ERROR,
					    SIM_PARSE_ERROR_SYNTAX,
					    "%s:%d:%d: wrong number of arguments "
					    "to '%s': expected %d, got %d",
					    pr->file, in->line, in->col,
					    in->callee, m->procs[t].nparams,
					    in->nargs);
				return FALSE;
			}
			in->target = (uint16_t)t;
		}
	}
	return TRUE;
}

static SimModel *model_load_root(const char *text, size_t len,
				 const char *file, const char *models_path,
				 GError **error)
{
	LoadCtx lc;
	char *path = models_path ? g_strdup(models_path) :
				   g_path_get_dirname(file);
	SimModel *m;

	memset(&lc, 0, sizeof(lc));
	lc.path = path;
	m = model_parse(&lc, text, len, file, error);
	if (m && !model_resolve(m, error)) {
		sim_model_free(m);
		m = NULL;
	}
	g_free(path);
	return m;
}

/* The file PATH ("-": stdin when ALLOW_STDIN), as a parse error. */
static char *read_file(const char *path, gboolean allow_stdin, gsize *len,
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

SimModel *sim_parse_model_string(const char *text, const char *filename,
				 const char *models_path, GError **error)
{
	return model_load_root(text, strlen(text), filename, models_path,
			       error);
}

SimModel *sim_parse_model_file(const char *path, const char *models_path,
			       GError **error)
{
	gsize len;
	char *text = read_file(path, FALSE, &len, error);
	SimModel *m;

	if (!text)
		return NULL;
	m = model_load_root(text, len, path, models_path, error);
	g_free(text);
	return m;
}

SimModel *sim_parse_model_load(const char *models_path, const char *name,
			       GError **error)
{
	char *path = model_find(models_path ? models_path : ".", name);
	SimModel *m = NULL;

	if (!path)
		g_set_error(error, SIM_PARSE_ERROR, SIM_PARSE_ERROR_IO,
			    "unknown model '%s' (no %s.model in %s)", name,
			    name, models_path ? models_path : ".");
	else
		m = sim_parse_model_file(path, models_path, error);
	g_free(path);
	return m;
}

/* ---- scenarios -------------------------------------------------------- */

/* A name to check at the end of the file, where it was written, and what
 * it belongs to: a thread's process (a = thread), a segment's thread
 * (a = schedule, b = segment) or an expected property (a = property). */
typedef struct {
	char *name;
	int line, col;
	int a, b;
} Pending;

typedef struct {
	unsigned seen;          /* once-only headers given */
	GArray *thread_procs;   /* Pending, one per thread; name NULL: none */
	GArray *seg_threads;    /* Pending */
	GArray *expect_props;   /* Pending, name unused */
	GHashTable *expects;    /* model names with an expect line */
	GHashTable *schedules;  /* schedule names */
	GArray *loop_procs;     /* Pending, a = 0 the CPU loop, 1 + i the
				 * background loop i */
	Token kw;               /* the keyword of the line being read */
} ScnState;

/* tok_seen - whether T's text is in SET (a name given before). */
static bool tok_seen(GHashTable *set, const Token *t)
{
	char *n = tok_dup(t);
	bool seen = g_hash_table_contains(set, n);

	g_free(n);
	return seen;
}

typedef gboolean (*ScnItemFn)(Parser *p, SimScenario *s, ScnState *st,
			      size_t offset);

static gboolean scn_word_field(Parser *p, SimScenario *s, ScnState *st,
			       size_t offset);
static gboolean scn_string_field(Parser *p, SimScenario *s, ScnState *st,
				 size_t offset);
static gboolean scn_file(Parser *p, SimScenario *s, ScnState *st,
			 size_t offset);
static gboolean scn_check(Parser *p, SimScenario *s, ScnState *st,
			  size_t offset);
static gboolean scn_proc(Parser *p, SimScenario *s, ScnState *st,
			 size_t offset);
static gboolean scn_thread(Parser *p, SimScenario *s, ScnState *st,
			   size_t offset);
static gboolean scn_expect(Parser *p, SimScenario *s, ScnState *st,
			   size_t offset);
static gboolean scn_schedule(Parser *p, SimScenario *s, ScnState *st,
			     size_t offset);
static gboolean scn_workload(Parser *p, SimScenario *s, ScnState *st,
			     size_t offset);

/* The lines of a scenario file; ONCE marks the headers. */
static const struct {
	const char *word;
	bool once;
	ScnItemFn fn;
	size_t offset;          /* the char * field a header sets */
} scn_items[] = {
	{ "scenario", true, scn_word_field, offsetof(SimScenario, name) },
	{ "race", true, scn_word_field, offsetof(SimScenario, race) },
	{ "summary", true, scn_string_field, offsetof(SimScenario, summary) },
	{ "source", true, scn_string_field, offsetof(SimScenario, source) },
	{ "file", true, scn_file, 0 },
	{ "check", true, scn_check, 0 },
	{ "proc", false, scn_proc, 0 },
	{ "thread", false, scn_thread, 0 },
	{ "expect", false, scn_expect, 0 },
	{ "schedule", false, scn_schedule, 0 },
	{ "workload", true, scn_workload, 0 },
};

static int scn_item_find(const Token *t)
{
	for (size_t i = 0; i < G_N_ELEMENTS(scn_items); i++)
		if (tok_is(t, scn_items[i].word))
			return (int)i;
	return -1;
}

static char **scn_field(SimScenario *s, size_t offset)
{
	return (char **)(void *)((char *)s + offset);
}

static void pending_add(GArray *a, const Token *t, bool named, int x, int y)
{
	Pending pd = {
		.name = named ? tok_dup(t) : NULL,
		.line = t->line, .col = t->col, .a = x, .b = y,
	};

	g_array_append_val(a, pd);
}

static void pending_free(GArray *a)
{
	for (guint i = 0; i < a->len; i++)
		g_free(g_array_index(a, Pending, i).name);
	g_array_free(a, TRUE);
}

static gboolean scn_word_field(Parser *p, SimScenario *s, ScnState *st,
			       size_t offset)
{
	Token w;

	(void)st;
	if (!expect_word(p, "a name", &w))
		return FALSE;
	*scn_field(s, offset) = tok_dup(&w);
	return TRUE;
}

static gboolean scn_string_field(Parser *p, SimScenario *s, ScnState *st,
				 size_t offset)
{
	(void)st;
	return expect_string(p, scn_field(s, offset));
}

/* blocks LIST: pgoffs get blocks B1, B2, ... in the order listed. */
static gboolean scn_blocks(Parser *p, SimScenario *s)
{
	int nblocks = 0;

	for (;;) {
		Token a, b, t;

		if (!expect(p, TK_NUMBER, "a pgoff", &a))
			return FALSE;
		b = a;
		t = peek(p);
		if (t.kind == TK_DOTDOT) {
			advance(p, &t);
			if (!expect(p, TK_NUMBER, "a pgoff", &b))
				return FALSE;
			if (b.value < a.value)
				return FAIL(p, &a, SIM_PARSE_ERROR_SYNTAX,
					    "empty range %d..%d", a.value,
					    b.value);
		}
		for (const Token *e = &a; e; e = e == &a ? &b : NULL)
			if (e->value >= SIM_PAGES_DEFAULT)
				return FAIL(p, e, SIM_PARSE_ERROR_BOUND,
					    "block pgoff %d out of range "
					    "(0..%d)", e->value,
					    SIM_PAGES_DEFAULT - 1);
		for (int v = a.value; v <= b.value; v++) {
			if (s->blocks[v])
				return FAIL(p, &a, SIM_PARSE_ERROR_NAME,
					    "duplicate block pgoff %d", v);
			if (nblocks >= SIM_BLOCKS_MAX)
				return FAIL(p, &a, SIM_PARSE_ERROR_BOUND,
					    "too many blocks: more than "
					    "SIM_BLOCKS_MAX (%d)",
					    SIM_BLOCKS_MAX);
			s->blocks[v] = (uint16_t)++nblocks;
			s->written[v] = 1;
		}
		t = peek(p);
		if (t.kind == TK_COMMA)
			advance(p, &t);
		else if (t.kind != TK_NUMBER)
			return TRUE;
	}
}

/* file size N [blocks LIST] */
static gboolean scn_file(Parser *p, SimScenario *s, ScnState *st,
			 size_t offset)
{
	Token n, t;

	(void)st;
	(void)offset;
	if (!expect_keyword(p, "size") ||
	    !expect(p, TK_NUMBER, "a size in pages", &n))
		return FALSE;
	if (n.value > SIM_PAGES_DEFAULT)
		return FAIL(p, &n, SIM_PARSE_ERROR_BOUND,
			    "file size %d out of range (0..%d)", n.value,
			    SIM_PAGES_DEFAULT);
	s->i_size = n.value;
	t = peek(p);
	if (!tok_is(&t, "blocks"))
		return TRUE;
	advance(p, &t);
	return scn_blocks(p, s);
}


static gboolean unknown_property(Parser *p, const Token *w)
{
	const char *names[SIM_PROP_COUNT];
	char *name = tok_dup(w);
	GString *hint = g_string_new(NULL);
	gboolean ok;

	for (int i = 0; i < SIM_PROP_COUNT; i++)
		names[i] = sim_prop_name((SimProp)i);
	sim_suggest_append(hint, name, names, SIM_PROP_COUNT);
	ok = FAIL(p, w, SIM_PARSE_ERROR_NAME, "unknown property '%s'%s", name,
		  hint->str);
	g_string_free(hint, TRUE);
	g_free(name);
	return ok;
}

/* prop_list - property WORDs up to the next line keyword (property names
 * never are one) into *SET; PENDING, if set, records each for checking
 * against `check`. */
static gboolean prop_list(Parser *p, SimPropSet *set, GArray *pending)
{
	Token w = peek_word(p);

	if (w.kind != TK_WORD || scn_item_find(&w) >= 0)
		return unexpected(p, &w, "a property name");
	do {
		int pr = prop_find(&w);

		if (pr < 0)
			return unknown_property(p, &w);
		*set |= (SimPropSet)(1u << pr);
		if (pending)
			pending_add(pending, &w, false, pr, 0);
		advance(p, &w);
		w = peek_word(p);
	} while (w.kind == TK_WORD && scn_item_find(&w) < 0);
	return TRUE;
}

static gboolean scn_check(Parser *p, SimScenario *s, ScnState *st,
			  size_t offset)
{
	(void)st;
	(void)offset;
	return prop_list(p, &s->check, NULL);
}

static gboolean scn_proc(Parser *p, SimScenario *s, ScnState *st,
			 size_t offset)
{
	Token n;

	(void)st;
	(void)offset;
	if (!expect(p, TK_IDENT, "a process name", &n))
		return FALSE;
	for (int i = 0; i < s->nprocs; i++)
		if (span_eq(&n, s->procnames[i]))
			return FAIL(p, &n, SIM_PARSE_ERROR_NAME,
				    "duplicate process '%.*s'", SPAN(&n));
	if (s->nprocs >= SIM_PROCS_MAX)
		return FAIL(p, &n, SIM_PARSE_ERROR_BOUND,
			    "too many processes: more than SIM_PROCS_MAX (%d)",
			    SIM_PROCS_MAX);
	s->procnames[s->nprocs++] = tok_dup(&n);
	return TRUE;
}

/* thread IDENT [in IDENT] block: the body is compiled like a procedure
 * without parameters, its calls left for sim_program_link. */
static gboolean scn_thread(Parser *p, SimScenario *s, ScnState *st,
			   size_t offset)
{
	Token n, t, in;
	ProcBuilder pb;
	SimProc proc = { 0 };

	(void)offset;
	if (!expect(p, TK_IDENT, "a thread name", &n))
		return FALSE;
	for (int i = 0; i < s->nthreads; i++)
		if (span_eq(&n, s->threads[i].name))
			return FAIL(p, &n, SIM_PARSE_ERROR_NAME,
				    "duplicate thread '%.*s'", SPAN(&n));
	if (s->nthreads >= SIM_THREADS_MAX)
		return FAIL(p, &n, SIM_PARSE_ERROR_BOUND,
			    "too many threads: more than SIM_THREADS_MAX (%d)",
			    SIM_THREADS_MAX);
	t = peek(p);
	if (tok_is(&t, "in")) {
		advance(p, &t);
		if (!expect(p, TK_IDENT, "a process name", &in))
			return FALSE;
		pending_add(st->thread_procs, &in, true, s->nthreads, 0);
	} else {
		pending_add(st->thread_procs, &n, false, s->nthreads, 0);
	}
	pb_init(&pb);
	p->thread_body = true;
	if (!body(p, &pb, &proc)) {
		pb_free(&pb);
		return FALSE;
	}
	proc.name = tok_dup(&n);
	proc.is_thread = true;
	proc.file = g_strdup(p->file);
	proc.line = n.line;
	proc.col = n.col;
	s->bodies = g_renew(SimProc, s->bodies, s->nbodies + 1);
	s->bodies[s->nbodies++] = proc;
	s->threads[s->nthreads] = (SimThreadDecl){
		.name = tok_dup(&n), .body = s->nthreads,
		.line = n.line, .col = n.col,
	};
	s->nthreads++;
	return TRUE;
}

/* expect ( WORD | '*' ) ':' ( never | n/a | sometimes |
 *                              [ 'at' 'least' ] property+ )
 * '*' stands for every model without an expect line of its own. */
static gboolean scn_expect(Parser *p, SimScenario *s, ScnState *st,
			   size_t offset)
{
	Token m = peek(p), w;
	SimExpect e = { 0 };

	(void)offset;
	if (m.kind == TK_STAR)
		advance(p, &m);
	else if (!expect_word(p, "a model name or '*'", &m))
		return FALSE;
	if (!expect(p, TK_COLON, "':'", NULL))
		return FALSE;
	if (tok_seen(st->expects, &m))
		return FAIL(p, &m, SIM_PARSE_ERROR_NAME,
			    "duplicate expect for model '%.*s'", SPAN(&m));
	w = peek_word(p);
	if (tok_is(&w, "never")) {
		advance(p, &w);
	} else if (tok_is(&w, "n/a")) {
		advance(p, &w);
		e.na = true;
	} else if (tok_is(&w, "sometimes")) {
		advance(p, &w);
		e.sometimes = true;
	} else {
		if (tok_is(&w, "at")) {
			advance(p, &w);
			if (!expect_keyword(p, "least"))
				return FALSE;
			e.at_least = true;
		}
		if (!prop_list(p, &e.props, st->expect_props))
			return FALSE;
	}
	e.model = tok_dup(&m);
	e.line = m.line;
	e.col = m.col;
	g_hash_table_add(st->expects, e.model);
	s->expects = g_renew(SimExpect, s->expects, s->nexpects + 1);
	s->expects[s->nexpects++] = e;
	return TRUE;
}

/* segment := THREAD [ NUMBER | 'until' IDENT [ '#' NUMBER ] ], appended
 * to SC (schedule SI); the thread name is checked later, from PENDING. */
static gboolean segment(Parser *p, SimSchedule *sc, int si, GArray *pending)
{
	Token th, t, u, n;
	SimSegment *g;

	if (!expect(p, TK_IDENT, "a thread name", &th))
		return FALSE;
	sc->seg = g_renew(SimSegment, sc->seg, sc->nseg + 1);
	g = &sc->seg[sc->nseg++];
	*g = (SimSegment){ .nth = 1, .line = th.line, .col = th.col };
	pending_add(pending, &th, true, si, sc->nseg - 1);
	t = peek(p);
	if (t.kind == TK_NUMBER) {
		advance(p, &t);
		if (t.value < 1)
			return FAIL(p, &t, SIM_PARSE_ERROR_BOUND,
				    "step count must be at least 1");
		g->count = t.value;
	} else if (tok_is(&t, "until")) {
		advance(p, &t);
		if (!expect(p, TK_IDENT, "a primitive or op name", &u))
			return FALSE;
		g->until = tok_dup(&u);
		g->uline = u.line;
		g->ucol = u.col;
		if (!hash_follows(p))
			return TRUE;
		if (!expect(p, TK_NUMBER, "a count", &n))
			return FALSE;
		if (n.value < 1)
			return FAIL(p, &n, SIM_PARSE_ERROR_BOUND,
				    "occurrence must be at least 1");
		g->nth = n.value;
	}
	return TRUE;
}

static gboolean segments(Parser *p, SimSchedule *sc, int si, GArray *pending)
{
	for (;;) {
		Token t;

		if (!segment(p, sc, si, pending))
			return FALSE;
		t = peek(p);
		if (t.kind != TK_COMMA)
			return TRUE;
		advance(p, &t);
	}
}

/* schedule WORD ':' segment { ',' segment } */
static gboolean scn_schedule(Parser *p, SimScenario *s, ScnState *st,
			     size_t offset)
{
	Token n;
	SimSchedule *sc;

	(void)offset;
	if (!expect_word(p, "a schedule name", &n) ||
	    !expect(p, TK_COLON, "':'", NULL))
		return FALSE;
	if (tok_seen(st->schedules, &n))
		return FAIL(p, &n, SIM_PARSE_ERROR_NAME,
			    "duplicate schedule '%.*s'", SPAN(&n));
	s->schedules = g_renew(SimSchedule, s->schedules, s->nschedules + 1);
	sc = &s->schedules[s->nschedules++];
	*sc = (SimSchedule){ .name = tok_dup(&n), .line = n.line,
			     .col = n.col };
	g_hash_table_add(st->schedules, sc->name);
	return segments(p, sc, s->nschedules - 1, st->seg_threads);
}

/* ---- the workload block (des.h) ---------------------------------------- */

/* A count: a word of digits up to MAX (past the statement language's
 * numbers, which stop at NUMBER_MAX). */
static gboolean wl_count(Parser *p, const char *what, uint64_t max,
			 uint64_t *v)
{
	Token t = peek_word(p);
	char *end, *text = tok_dup(&t);
	bool ok = t.kind == TK_WORD && g_ascii_isdigit(text[0]);

	*v = ok ? g_ascii_strtoull(text, &end, 10) : 0;
	ok = ok && *end == '\0';
	g_free(text);
	if (!ok)
		return unexpected(p, &t, what);
	if (*v < 1 || *v > max)
		return FAIL(p, &t, SIM_PARSE_ERROR_BOUND,
			    "%s %" G_GUINT64_FORMAT " out of range (1..%"
			    G_GUINT64_FORMAT ")", what, *v, max);
	advance(p, &t);
	return TRUE;
}

/* A time, as a cost file writes it (cost.h): 200ns, exp(1us),
 * uniform(1us, 2us). */
static gboolean wl_time(Parser *p, SimDist *d)
{
	Cursor c = p->at;
	size_t len, at;
	char *why;

	skip_space(p, &c);
	if (!sim_dist_parse(p->text + c.pos, d, &len, &why, &at)) {
		while (at-- > 0)
			cursor_step(p, &c);
		fail_at(p, c.line, c.col, SIM_PARSE_ERROR_SYNTAX, "%s", why);
		g_free(why);
		return FALSE;
	}
	while (len-- > 0)
		cursor_step(p, &c);
	p->at = c;
	return TRUE;
}

/* ( think | every ) TIME block: one loop body, compiled as a thread body
 * whose one parameter is `cpu`, its block repeated for ever. */
static gboolean wl_loop(Parser *p, SimScenario *s, const Token *kw,
			SimLoop *l)
{
	Token t = peek(p), close;
	ProcBuilder pb;
	SimProc proc = { 0 };
	SimInsn in;

	if (!tok_is(&t, "think") && !tok_is(&t, "every"))
		return unexpected(p, &t, "'think' or 'every'");
	advance(p, &t);
	l->every = tok_is(&t, "every");
	if (!wl_time(p, &l->think))
		return FALSE;
	pb_init(&pb);
	g_ptr_array_add(pb.names, g_strdup("cpu"));
	pb.nparams = 1;
	p->pb = &pb;
	p->thread_body = true;
	bool ok = block(p, &close);
	bool calls = false;
	for (guint i = 0; ok && i < pb.code->len; i++)
		calls |= g_array_index(pb.code, SimInsn, i).op == SIM_I_CALL;
	if (ok && !calls)
		ok = FAIL(p, &close, SIM_PARSE_ERROR_SYNTAX,
			  "a loop calls at least one op");
	if (ok) {
		/* again from the top; the RET closes the procedure (parse.h
		 * guarantee 1) and is never reached */
		insn_init(&in, SIM_I_JMP, close.line, close.col);
		ok = emit(p, &in) >= 0;
		insn_init(&in, SIM_I_RET, close.line, close.col);
		ok = ok && emit(p, &in) >= 0;
	}
	p->pb = NULL;
	if (!ok) {
		pb_free(&pb);
		return FALSE;
	}
	pb_finish(&pb, &proc);
	proc.name = tok_dup(kw);
	proc.is_thread = true;
	proc.file = g_strdup(p->file);
	proc.line = kw->line;
	proc.col = kw->col;
	l->body = s->nbodies;
	l->line = kw->line;
	l->col = kw->col;
	s->bodies = g_renew(SimProc, s->bodies, s->nbodies + 1);
	s->bodies[s->nbodies++] = proc;
	return TRUE;
}

/* 'in' PROCESS, checked at the end of the file (loop LOOP). */
static gboolean wl_in(Parser *p, ScnState *st, int loop)
{
	Token in;

	if (!expect_keyword(p, "in") ||
	    !expect(p, TK_IDENT, "a process name", &in))
		return FALSE;
	pending_add(st->loop_procs, &in, true, loop, 0);
	return TRUE;
}

/* workload { line... } (README "Workloads"):
 *   cpus N in PROCESS | ops N | duration TIME | seed N
 *   loop (think | every) TIME block
 *   background in PROCESS (think | every) TIME block */
static gboolean scn_workload(Parser *p, SimScenario *s, ScnState *st,
			     size_t offset)
{
	const Token wkw = st->kw;
	SimWorkload *w = s->workload = g_new0(SimWorkload, 1);
	unsigned seen = 0;
	Token open;

	(void)offset;
	w->line = wkw.line;
	w->col = wkw.col;
	if (!expect(p, TK_LBRACE, "'{'", &open))
		return FALSE;
	for (;;) {
		static const char *const words[] = {
			"cpus", "ops", "duration", "seed", "loop", "background",
		};
		Token t = peek(p);
		SimDist d;
		uint64_t v;
		int k = -1;

		if (t.kind == TK_SEMI) {
			advance(p, &t);
			continue;
		}
		if (t.kind == TK_RBRACE) {
			advance(p, &t);
			break;
		}
		for (int i = 0; i < (int)G_N_ELEMENTS(words); i++)
			if (tok_is(&t, words[i]))
				k = i;
		if (k < 0)
			return unexpected(p, &t, "a workload line (cpus, ops, "
					  "duration, seed, loop, background)");
		advance(p, &t);
		if (k != 5 && (seen & (1u << k)))
			return FAIL(p, &t, SIM_PARSE_ERROR_SYNTAX,
				    "duplicate '%s'", words[k]);
		seen |= 1u << k;
		gboolean ok;
		switch (k) {
		case 0:
			ok = wl_count(p, "a CPU count", SIM_THREADS_MAX, &v) &&
			     wl_in(p, st, 0);
			w->cpus = (int)v;
			break;
		case 1:
			ok = wl_count(p, "an op count", G_MAXUINT32, &w->ops);
			break;
		case 2:
			ok = wl_time(p, &d);
			if (ok && (d.kind != SIM_DIST_CONST || d.a == 0))
				ok = FAIL(p, &t, SIM_PARSE_ERROR_SYNTAX,
					  "a duration is a constant time "
					  "above 0");
			w->duration_ns = d.a;
			break;
		case 3:
			ok = wl_count(p, "a seed", G_MAXUINT32, &w->seed);
			break;
		case 4:
			ok = wl_loop(p, s, &t, &w->cpu);
			break;
		default:
			w->background = g_renew(SimLoop, w->background,
						w->nbackground + 1);
			w->background[w->nbackground] = (SimLoop){ 0 };
			ok = wl_in(p, st, 1 + w->nbackground) &&
			     wl_loop(p, s, &t, &w->background[w->nbackground]);
			w->nbackground++;
			break;
		}
		if (!ok)
			return FALSE;
	}
	if (!(seen & (1u << 0)) || !(seen & (1u << 4)))
		return FAIL(p, &wkw, SIM_PARSE_ERROR_SYNTAX,
			    "a workload needs 'cpus N in PROCESS' and a "
			    "'loop'");
	if (!w->ops && !w->duration_ns)
		return FAIL(p, &wkw, SIM_PARSE_ERROR_SYNTAX,
			    "a workload that never ends: give 'ops N' or "
			    "'duration TIME'");
	return TRUE;
}

static gboolean scn_lines(Parser *p, SimScenario *s, ScnState *st)
{
	for (;;) {
		Token t = peek(p);
		int k;

		if (t.kind == TK_EOF)
			return TRUE;
		advance(p, &t);
		if (t.kind == TK_SEMI)
			continue;
		k = scn_item_find(&t);
		if (k < 0)
			return unexpected(p, &t, "a scenario line");
		if (scn_items[k].once && (st->seen & (1u << k)))
			return FAIL(p, &t, SIM_PARSE_ERROR_SYNTAX,
				    "duplicate header '%s'", scn_items[k].word);
		st->seen |= 1u << k;
		st->kw = t;
		if (!scn_items[k].fn(p, s, st, scn_items[k].offset))
			return FALSE;
	}
}

static gboolean thread_resolve(Parser *p, const SimScenario *s,
			       const Pending *pd, int *thread)
{
	for (int i = 0; i < s->nthreads; i++) {
		if (strcmp(s->threads[i].name, pd->name) == 0) {
			*thread = i;
			return TRUE;
		}
	}
	return fail_at(p, pd->line, pd->col, SIM_PARSE_ERROR_NAME,
		       "unknown thread '%s'", pd->name);
}

/* proc_index - the process PD names, into *PROC. */
static gboolean proc_index(Parser *p, const SimScenario *s, const Pending *pd,
			   int *proc)
{
	for (int i = 0; i < s->nprocs; i++) {
		if (strcmp(s->procnames[i], pd->name) == 0) {
			*proc = i;
			return TRUE;
		}
	}
	return fail_at(p, pd->line, pd->col, SIM_PARSE_ERROR_NAME,
		       "unknown process '%s'", pd->name);
}

static gboolean proc_resolve(Parser *p, SimScenario *s, const Pending *pd)
{
	SimThreadDecl *td = &s->threads[pd->a];

	if (!pd->name) {
		if (s->nprocs > 1)
			return fail_at(p, pd->line, pd->col,
				       SIM_PARSE_ERROR_NAME,
				       "thread '%s' needs 'in PROCESS': there "
				       "are %d processes", td->name, s->nprocs);
		td->proc = 0;
		return TRUE;
	}
	return proc_index(p, s, pd, &td->proc);
}

/* scn_finish - the checks that need the whole file. */
static gboolean scn_finish(Parser *p, SimScenario *s, ScnState *st)
{
	Token eof = peek(p);

	if (s->nthreads == 0 && !s->workload)
		return FAIL(p, &eof, SIM_PARSE_ERROR_SYNTAX,
			    "scenario has no threads");
	if (s->nprocs == 0)
		s->procnames[s->nprocs++] = g_strdup("P0");
	for (guint i = 0; i < st->thread_procs->len; i++)
		if (!proc_resolve(p, s, &g_array_index(st->thread_procs,
						       Pending, i)))
			return FALSE;
	for (guint i = 0; i < st->loop_procs->len; i++) {
		const Pending *pd = &g_array_index(st->loop_procs, Pending, i);
		SimLoop *l = pd->a ? &s->workload->background[pd->a - 1] :
			&s->workload->cpu;
		if (!proc_index(p, s, pd, &l->proc))
			return FALSE;
	}
	for (guint i = 0; i < st->seg_threads->len; i++) {
		const Pending *pd = &g_array_index(st->seg_threads, Pending, i);

		if (!thread_resolve(p, s, pd,
				    &s->schedules[pd->a].seg[pd->b].thread))
			return FALSE;
	}
	/* A scheme under which a thread spins forever is never a clean
	 * answer, whatever race the scenario was written for. */
	s->check |= 1u << SIM_PROP_LIVELOCK;
	for (guint i = 0; i < st->expect_props->len; i++) {
		const Pending *pd = &g_array_index(st->expect_props, Pending, i);

		if (!(s->check & (1u << pd->a)))
			return fail_at(p, pd->line, pd->col,
				       SIM_PARSE_ERROR_NAME,
				       "expect property '%s' is not in 'check'",
				       sim_prop_name((SimProp)pd->a));
	}
	return TRUE;
}

static SimScenario *scn_parse(const char *text, size_t len, const char *file,
			      GError **error)
{
	Parser p;
	ScnState st = { 0 };
	SimScenario *s = g_new0(SimScenario, 1);
	gboolean ok;

	parser_init(&p, text, len, file);
	s->file = g_strdup(file);
	st.thread_procs = g_array_new(FALSE, TRUE, sizeof(Pending));
	st.seg_threads = g_array_new(FALSE, TRUE, sizeof(Pending));
	st.expect_props = g_array_new(FALSE, TRUE, sizeof(Pending));
	/* the keys are the scenario's own strings */
	st.expects = g_hash_table_new(g_str_hash, g_str_equal);
	st.schedules = g_hash_table_new(g_str_hash, g_str_equal);
	st.loop_procs = g_array_new(FALSE, TRUE, sizeof(Pending));
	ok = file_header(&p, "scenario", "scenario") &&
	     scn_lines(&p, s, &st) && scn_finish(&p, s, &st);
	pending_free(st.thread_procs);
	pending_free(st.seg_threads);
	pending_free(st.expect_props);
	pending_free(st.loop_procs);
	g_hash_table_destroy(st.expects);
	g_hash_table_destroy(st.schedules);
	if (!ok) {
		sim_scenario_free(s);
		g_propagate_error(error, p.err);
		return NULL;
	}
	return s;
}

SimScenario *sim_parse_scenario_string(const char *text, const char *filename,
				       GError **error)
{
	return scn_parse(text, strlen(text), filename, error);
}

SimScenario *sim_parse_scenario_file(const char *path, GError **error)
{
	gsize len;
	char *text = read_file(path, TRUE, &len, error);
	SimScenario *s;

	if (!text)
		return NULL;
	s = scn_parse(text, len, strcmp(path, "-") ? path : "<stdin>", error);
	g_free(text);
	return s;
}

/* ---- the --schedule argument ------------------------------------------ */

void sim_schedule_clear(SimSchedule *s)
{
	for (int i = 0; i < s->nseg; i++)
		g_free(s->seg[i].until);
	g_free(s->seg);
	g_free(s->name);
	memset(s, 0, sizeof(*s));
}

static void schedule_copy(SimSchedule *out, const SimSchedule *in)
{
	*out = *in;
	out->name = g_strdup(in->name);
	out->seg = g_new0(SimSegment, in->nseg > 0 ? in->nseg : 1);
	for (int i = 0; i < in->nseg; i++) {
		out->seg[i] = in->seg[i];
		out->seg[i].until = g_strdup(in->seg[i].until);
	}
}

/* A lone word that may name a schedule: no separator, not a number. */
static bool is_schedule_name(const char *s)
{
	if (!s[0] || g_ascii_isdigit(s[0]))
		return false;
	for (; *s; s++)
		if (!is_word_char(*s))
			return false;
	return true;
}

static bool thread_named(const SimScenario *scn, const char *name)
{
	for (int i = 0; i < scn->nthreads; i++)
		if (strcmp(scn->threads[i].name, name) == 0)
			return true;
	return false;
}

/* "0,0,1": one step of thread 0, another, one of thread 1. */
static gboolean number_list(Parser *p, const SimScenario *scn,
			    SimSchedule *out)
{
	for (;;) {
		Token n, t;
		SimSegment *g;

		if (!expect(p, TK_NUMBER, "a thread number", &n))
			return FALSE;
		if (n.value >= scn->nthreads)
			return FAIL(p, &n, SIM_PARSE_ERROR_NAME,
				    "no thread %d: the scenario has %d",
				    n.value, scn->nthreads);
		out->seg = g_renew(SimSegment, out->seg, out->nseg + 1);
		g = &out->seg[out->nseg++];
		*g = (SimSegment){ .thread = n.value, .count = 1, .nth = 1,
				   .line = n.line, .col = n.col };
		t = next(p);
		if (t.kind == TK_EOF)
			return TRUE;
		if (t.kind != TK_COMMA)
			return unexpected(p, &t, "',' or the end");
	}
}

static gboolean segment_text(Parser *p, const SimScenario *scn,
			     SimSchedule *out)
{
	GArray *pending = g_array_new(FALSE, TRUE, sizeof(Pending));
	gboolean ok = segments(p, out, 0, pending) &&
		      expect(p, TK_EOF, "',' or the end", NULL);

	for (guint i = 0; ok && i < pending->len; i++) {
		const Pending *pd = &g_array_index(pending, Pending, i);

		ok = thread_resolve(p, scn, pd, &out->seg[pd->b].thread);
	}
	pending_free(pending);
	return ok;
}

gboolean sim_parse_schedule(const char *text, const char *origin,
			    const SimScenario *scn, SimSchedule *out,
			    GError **error)
{
	char *name = g_strstrip(g_strdup(text));
	size_t len = strlen(text);
	Parser p;
	gboolean ok;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < scn->nschedules; i++) {
		if (strcmp(scn->schedules[i].name, name) == 0) {
			schedule_copy(out, &scn->schedules[i]);
			g_free(name);
			return TRUE;
		}
	}
	parser_init(&p, text, len, origin);
	/* on a command line '#' would silently cut the schedule short */
	p.no_comments = true;
	for (const char *h = strchr(text, '#'); h; h = strchr(h + 1, '#'))
		if (!g_ascii_isdigit(h[1])) {
			fail_at(&p, 1, (int)(h - text) + 1, SIM_PARSE_ERROR_SYNTAX,
				"'#' is not a comment here: only 'until NAME#N' "
				"takes one");
			goto fail;
		}
	if (is_schedule_name(name) && !thread_named(scn, name)) {
		GString *names = g_string_new(NULL);
		for (int i = 0; i < scn->nschedules; i++)
			g_string_append_printf(names, "%s%s", i ? ", " : "",
					       scn->schedules[i].name);
		g_string_append(names, scn->nschedules ? "; threads: " :
				"none; threads: ");
		for (int i = 0; i < scn->nthreads; i++)
			g_string_append_printf(names, "%s%s", i ? ", " : "",
					       scn->threads[i].name);
		fail_at(&p, 1, 1 + (int)(strstr(text, name) - text),
			SIM_PARSE_ERROR_NAME, "unknown schedule or thread "
			"'%s' (the scenario's schedules: %s)", name,
			names->str);
		g_string_free(names, TRUE);
		goto fail;
	}
	if (name[0] && strspn(text, "0123456789, \t") == len)
		ok = number_list(&p, scn, out);
	else
		ok = segment_text(&p, scn, out);
	if (ok) {
		out->name = name;
		out->line = out->col = 1;
		return TRUE;
	}
fail:
	g_free(name);
	sim_schedule_clear(out);
	g_propagate_error(error, p.err);
	return FALSE;
}
