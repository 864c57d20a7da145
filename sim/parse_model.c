/*
 * parse_model.c - the model grammar (README.md, "The model language").
 *
 * `extends P` loads P (recursively) at the point it appears, which must
 * precede every lock, fn and op, so that the child's lock arguments
 * resolve against the parent's classes as they are parsed.  Calls are
 * resolved once the whole chain is merged (model_resolve).
 */
#include <stdio.h>
#include <string.h>
#include "input.h"
#include "parse_code.h"
#include "suggest.h"

#define EXTENDS_DEPTH_MAX   8   /* models in an extends chain below the root */
#define HASHED_SLOTS_MAX    16  /* hashed_mutex array size */

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
		if (!sim_lex_is_word_char(*c))
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

static gboolean model_name(SimParser *p, SimModel *m, ModelState *ms)
{
	SimToken w;
	char *base;
	gboolean ok = TRUE;

	if (!sim_parse_expect_word(p, "a model name", &w))
		return FALSE;
	m->name = sim_tok_dup(&w);
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

static gboolean extends_cycle(SimParser *p, const LoadCtx *lc,
			      const SimToken *w)
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
static SimModel *model_load_parent(SimParser *p, LoadCtx *lc, const SimToken *w,
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

static gboolean model_extends(SimParser *p, SimModel *m, ModelState *ms,
			      const SimToken *kw)
{
	LoadCtx *lc = ms->lc;
	SimModel *parent;
	SimToken w;

	if (ms->decls)
		return FAIL(p, kw, SIM_PARSE_ERROR_SYNTAX,
			    "'extends' must come before locks and procedures");
	if (!sim_parse_expect_word(p, "a model name", &w))
		return FALSE;
	m->extends = sim_tok_dup(&w);
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

static gboolean model_header(SimParser *p, SimModel *m, ModelState *ms,
			     const SimToken *kw, int h)
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
		if (!sim_parse_expect_string(p, &s))
			return FALSE;
		g_free(*model_field(m, h));
		*model_field(m, h) = s;
		return TRUE;
	}
}

/* lock IDENT KIND [NUMBER] */
static gboolean model_lock(SimParser *p, SimModel *m, ModelState *ms)
{
	SimToken name, kind, n;
	int k, d, nslots = 0;

	ms->decls = true;
	if (!sim_parse_expect(p, TK_IDENT, "a lock name", &name))
		return FALSE;
	d = sim_parse_lock_find(m, &name);
	if (d >= 0 && d < SIM_LOCKDECL_BUILTIN)
		return FAIL(p, &name, SIM_PARSE_ERROR_NAME,
			    "lock '%.*s' is built in", SPAN(&name));
	if (d >= 0)
		return FAIL(p, &name, SIM_PARSE_ERROR_NAME,
			    "duplicate lock '%.*s'", SPAN(&name));
	if (!sim_parse_expect(p, TK_IDENT, "a lock kind", &kind))
		return FALSE;
	k = sim_parse_lock_kind_find(&kind);
	if (k < 0 || k == SIM_LK_PAGE || k == SIM_LK_ENTRY)
		return FAIL(p, &kind, SIM_PARSE_ERROR_NAME,
			    "unknown lock kind '%.*s' (mutex, rwsem, "
			    "range_lock or hashed_mutex N)", SPAN(&kind));
	n = sim_lex_peek(p);
	if (k == SIM_LK_HASHED) {
		if (n.kind == TK_BAD)
			return sim_parse_unexpected(p, &n, "a size");
		if (n.kind != TK_NUMBER)
			return FAIL(p, &kind, SIM_PARSE_ERROR_SYNTAX,
				    "hashed_mutex needs a size (1..%d)",
				    HASHED_SLOTS_MAX);
		if (n.value < 1 || n.value > HASHED_SLOTS_MAX)
			return FAIL(p, &n, SIM_PARSE_ERROR_BOUND,
				    "hashed_mutex size %d out of range (1..%d)",
				    n.value, HASHED_SLOTS_MAX);
		sim_lex_advance(p, &n);
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
		.name = sim_tok_dup(&name), .kind = (uint8_t)k,
		.nslots = (uint8_t)nslots, .line = name.line, .col = name.col,
	};
	m->nlocks++;
	return TRUE;
}

/* params - '(' [IDENT {',' IDENT}] ')' into PB's first registers. */
static gboolean params(SimParser *p, SimProcBuilder *pb)
{
	SimToken t;

	p->pb = pb;
	if (!sim_parse_expect(p, TK_LPAREN, "'('", NULL))
		return FALSE;
	t = sim_lex_peek(p);
	if (t.kind == TK_RPAREN) {
		sim_lex_advance(p, &t);
		return TRUE;
	}
	for (;;) {
		if (!sim_parse_expect(p, TK_IDENT, "a parameter name", &t))
			return FALSE;
		if (sim_parse_local_find(p, &t) >= 0)
			return FAIL(p, &t, SIM_PARSE_ERROR_NAME,
				    "duplicate parameter '%.*s'", SPAN(&t));
		if (sim_parse_const_find(&t) || sim_parse_is_reserved(&t))
			return FAIL(p, &t, SIM_PARSE_ERROR_NAME,
				    "'%.*s' cannot be a parameter name",
				    SPAN(&t));
		if (pb->nparams >= SIM_ARGS_MAX)
			return FAIL(p, &t, SIM_PARSE_ERROR_BOUND,
				    "too many parameters: more than "
				    "SIM_ARGS_MAX (%d)", SIM_ARGS_MAX);
		g_ptr_array_add(pb->names, sim_tok_dup(&t));
		pb->nparams++;
		t = sim_lex_next(p);
		if (t.kind == TK_RPAREN)
			return TRUE;
		if (t.kind != TK_COMMA)
			return sim_parse_unexpected(p, &t, "',' or ')'");
	}
}

/* model_install - put PROC in M: it replaces an inherited procedure of
 * the same name, else it is appended (room was checked). */
static void model_install(SimModel *m, ModelState *ms, SimProc *proc)
{
	int i = sim_parse_proc_find(m, proc->name);

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
static char *doc_comment(const SimParser *p, const SimToken *kw)
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
static gboolean model_proc(SimParser *p, SimModel *m, ModelState *ms,
			   const SimToken *kw)
{
	SimToken name;
	SimProcBuilder pb;
	SimProc proc = { 0 };
	int i;

	ms->decls = true;
	if (!sim_parse_expect(p, TK_IDENT, "a procedure name", &name))
		return FALSE;
	if (sim_parse_prim_find(&name) >= 0 || sim_parse_is_reserved(&name))
		return FAIL(p, &name, SIM_PARSE_ERROR_NAME,
			    "'%.*s' cannot be a procedure name", SPAN(&name));
	proc.name = sim_tok_dup(&name);
	i = sim_parse_proc_find(m, proc.name);
	if (i >= 0 && ms->mine[i])
		FAIL(p, &name, SIM_PARSE_ERROR_NAME,
		     "duplicate procedure '%s'", proc.name);
	else if (i < 0 && m->nprocs >= SIM_PROCS_CODE_MAX)
		FAIL(p, &name, SIM_PARSE_ERROR_BOUND,
		     "too many procedures: more than SIM_PROCS_CODE_MAX (%d)",
		     SIM_PROCS_CODE_MAX);
	sim_pb_init(&pb);
	if (p->err || !params(p, &pb) || !sim_parse_body(p, &pb, &proc)) {
		sim_pb_free(&pb);
		g_free(proc.name);
		return FALSE;
	}
	proc.is_op = sim_tok_is(kw, "op");
	proc.doc = doc_comment(p, kw);
	proc.file = g_strdup(p->file);
	proc.line = name.line;
	proc.col = name.col;
	model_install(m, ms, &proc);
	return TRUE;
}

static gboolean model_items(SimParser *p, SimModel *m, ModelState *ms)
{
	for (;;) {
		SimToken t = sim_lex_peek(p);
		gboolean ok = FALSE;
		int h;

		if (t.kind == TK_EOF)
			return TRUE;
		sim_lex_advance(p, &t);
		if (t.kind == TK_SEMI)
			continue;
		for (h = 0; h < MH_COUNT; h++)
			if (sim_tok_is(&t, model_headers[h].word))
				break;
		if (h < MH_COUNT)
			ok = model_header(p, m, ms, &t, h);
		else if (sim_tok_is(&t, "lock"))
			ok = model_lock(p, m, ms);
		else if (sim_tok_is(&t, "fn") || sim_tok_is(&t, "op"))
			ok = model_proc(p, m, ms, &t);
		else
			ok = sim_parse_unexpected(p, &t,
				"a header, 'lock', 'fn' or 'op'");
		if (!ok)
			return FALSE;
	}
}

/* model_parse - one model file, its parents merged in; calls are not yet
 * resolved. */
static SimModel *model_parse(LoadCtx *lc, const char *text, size_t len,
			     const char *file, GError **error)
{
	SimParser p;
	ModelState ms;
	SimModel *m = model_new(text, len, file);

	sim_parser_init(&p, text, len, file);
	memset(&ms, 0, sizeof(ms));
	ms.lc = lc;
	p.model = m;
	if (!sim_parse_file_header(&p, "model", "model") ||
	    !model_items(&p, m, &ms)) {
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
			t = sim_parse_proc_find(m, in->callee);
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
	char *text = sim_parse_read_file(path, FALSE, &len, error);
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
