/*
 * lex.h - the lexer and the parser's cursor, shared by the grammars
 * (internal to the parser: parse_code.c, parse_model.c,
 * parse_scenario.c; parse.h is the public contract).
 *
 * Lexing is on demand and has no state of its own: the parser keeps one
 * cursor (the position just past the last token it consumed) and peeks
 * by lexing from there.  That makes the two context-dependent token
 * classes easy: a WORD (`v4.2-dax`, `stale-pte`) is lexed only where the
 * grammar asks for one (sim_lex_peek_word), and `#` is a comment
 * everywhere except right after `until NAME` in a schedule, where `#2`
 * is the occurrence count (sim_lex_hash_follows).  A malformed token
 * (bad character, `12ab`, an unterminated string) lexes as TK_BAD;
 * whoever finds it where it expected something else reports the
 * lexer's message at the token (sim_parse_unexpected).
 *
 * Errors: the first error wins (SimParser.err); every parse function
 * returns FALSE once it is set and callers unwind, freeing what they
 * built.  Messages are "FILE:LINE:COL: message" (parse.h).
 */
#ifndef SIM_LEX_H
#define SIM_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>
#include "parse.h"

typedef enum {
	TK_EOF, TK_BAD, TK_IDENT, TK_WORD, TK_NUMBER, TK_STRING,
	TK_LPAREN, TK_RPAREN, TK_LBRACE, TK_RBRACE, TK_COMMA, TK_ASSIGN,
	TK_EQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE, TK_PLUS, TK_MINUS,
	TK_STAR, TK_SLASH, TK_PERCENT, TK_AND, TK_OR, TK_NOT, TK_COLON,
	TK_DOTDOT, TK_SEMI,
} SimTokKind;

/* Why a TK_BAD token is bad. */
typedef enum {
	BAD_CHAR, BAD_NUMBER, BAD_RANGE, BAD_STRING, BAD_ESCAPE, BAD_POS,
} SimBadKind;

typedef struct {
	size_t pos;
	int line, col;
} SimCursor;

typedef struct {
	SimTokKind kind;
	SimBadKind bad;
	const char *s;          /* the token's text in the source */
	size_t len;
	int line, col;
	int value;              /* TK_NUMBER */
	SimCursor end;          /* just past the token */
} SimToken;

typedef struct SimProcBuilder SimProcBuilder;

typedef struct {
	const char *text;
	size_t len;
	const char *file;
	SimCursor at;           /* just past the last consumed token */
	GError *err;            /* the first error */
	int nest;
	int sline, scol;        /* the statement being compiled */
	SimModel *model;        /* lock classes for lock arguments */
	bool thread_body;       /* compiling a scenario thread: no primitives */
	bool no_comments;       /* a --schedule argument: '#' is no comment */
	SimProcBuilder *pb;
} SimParser;

/* FAIL - report at token T; SPAN - T's text for "%.*s". */
#define FAIL(p, t, code, ...) \
	sim_parse_fail_at((p), (t)->line, (t)->col, (code), __VA_ARGS__)
#define SPAN(t) (int)(t)->len, (t)->s

/* ---- lexing --------------------------------------------------------- */

/* sim_lex_is_word_char - a character of a WORD (`v4.2-dax`). */
bool sim_lex_is_word_char(char c);

/* sim_lex_peek - the next token (IDENT, not WORD), not consumed;
 * sim_lex_peek2 the one after it; sim_lex_peek_word the next token lexed
 * as a WORD where the grammar wants one. */
SimToken sim_lex_peek(const SimParser *p);
SimToken sim_lex_peek2(const SimParser *p);
SimToken sim_lex_peek_word(const SimParser *p);

/* sim_lex_advance - consume T (peeked); sim_lex_next - peek and consume. */
void sim_lex_advance(SimParser *p, const SimToken *t);
SimToken sim_lex_next(SimParser *p);

/* sim_lex_hash_follows - whether `#N` (no space between) comes next on
 * this line; if so consume the `#`.  Only a schedule's `until NAME #N`
 * asks. */
bool sim_lex_hash_follows(SimParser *p);

/* ---- tokens --------------------------------------------------------- */

/* sim_tok_is - T is the identifier or keyword WORD; sim_tok_eq - T's text
 * is S; sim_tok_dup - T's text, newly allocated. */
bool sim_tok_is(const SimToken *t, const char *word);
bool sim_tok_eq(const SimToken *t, const char *s);
char *sim_tok_dup(const SimToken *t);

/* ---- errors and expectations ---------------------------------------- */

/* sim_parse_fail_at - the error at LINE:COL, unless one is already set;
 * returns FALSE. */
gboolean sim_parse_fail_at(SimParser *p, int line, int col, int code,
			   const char *fmt, ...) G_GNUC_PRINTF(5, 6);

/* sim_parse_unexpected - report T where WHAT was expected; a TK_BAD token
 * reports why it is bad instead. */
gboolean sim_parse_unexpected(SimParser *p, const SimToken *t,
			      const char *what);

/* sim_parse_expect - consume a token of KIND into *OUT (may be NULL),
 * else report it as not WHAT; _keyword: the identifier WORD; _word: a
 * WORD; _string: a STRING, unescaped into *OUT (newly allocated). */
gboolean sim_parse_expect(SimParser *p, SimTokKind kind, const char *what,
			  SimToken *out);
gboolean sim_parse_expect_keyword(SimParser *p, const char *word);
gboolean sim_parse_expect_word(SimParser *p, const char *what,
			       SimToken *out);
gboolean sim_parse_expect_string(SimParser *p, char **out);

/* sim_parse_nest_enter - one more level of nesting at T; FALSE (reported)
 * past the limit.  The caller decrements p->nest on the way out. */
gboolean sim_parse_nest_enter(SimParser *p, const SimToken *t);

/* ---- source files --------------------------------------------------- */

/* sim_parser_init - P at the start of TEXT (LEN bytes) from FILE. */
void sim_parser_init(SimParser *p, const char *text, size_t len,
		     const char *file);

/* sim_parse_read_file - the file PATH ("-": stdin when ALLOW_STDIN), or
 * NULL with a parse error (SIM_PARSE_ERROR_IO). */
char *sim_parse_read_file(const char *path, gboolean allow_stdin, gsize *len,
			  GError **error);

/* sim_parse_file_header - a file starts with its header `WORD NAME`
 * (KIND names the file kind): reporting "missing header" beats reporting
 * whatever comes first as unexpected.  Only checks the keyword. */
gboolean sim_parse_file_header(SimParser *p, const char *word,
			       const char *kind);

#endif
