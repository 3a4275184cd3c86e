/* C definitions in scripts: a small C-declaration parser and the x86_64
 * struct layout rules.  See cdefs.h for what is accepted and produced.
 *
 * The text is split into tokens first (with their line and column in the
 * script), then parsed by recursive descent.  The first error is reported
 * and unwinds the parse with longjmp: everything the parser allocates lives
 * in the arena, except the token array, which cdefs_parse frees. */
#include "cdefs.h"

#include <ctype.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

/* ---- the definitions kept ------------------------------------------------ */

struct enum_def;

struct enumerator {
	struct enumerator *next;          /* every enumerator, in order */
	struct enumerator *next_in_enum;
	const char *name;
	int64_t value;
	const struct enum_def *owner;
	struct loc loc;
};

struct enum_def {
	struct type *type;
	struct enumerator *first, *last;
};

/* A struct, union or enum tag.  Tags share one namespace, as in C. */
struct tag {
	struct tag *next;
	const char *name;
	enum cdefs_kind kind;             /* CDEFS_STRUCT, CDEFS_UNION, CDEFS_ENUM */
	struct type *type;                /* filled in place by the definition */
	struct enum_def *en;              /* enums, once defined */
	bool defined, defining;
	struct loc loc;                   /* the definition, else the first mention */
};

struct tdef {
	struct tdef *next;
	const char *name;
	const struct type *type;
	const struct enum_def *en;        /* a typedef of an enum */
	struct loc loc;
};

struct cdefs {
	struct arena *a;
	struct tag *tags;
	struct tdef *tdefs;
	struct enumerator *enums, *enums_last;
	cdefs_resolver resolve;
	void *resolve_arg;
	cdefs_const_resolver cresolve;
	void *cresolve_arg;
	struct type *void_target;         /* what `void *` points to */
	struct type *wide;                /* long double, __int128: uint64[2], align 16 */
};

/* A function type: only ever behind a pointer (then a pointer to uint8). */
static const struct type func_marker = { .kind = TY_NONE, .name = "function" };

#define BUILTIN(n, sz, s) { .kind = TY_INT, .size = sz, .align = sz, .is_signed = s, .name = n }
static const struct type builtin_types[] = {
	BUILTIN("int8_t", 1, true), BUILTIN("int16_t", 2, true),
	BUILTIN("int32_t", 4, true), BUILTIN("int64_t", 8, true),
	BUILTIN("uint8_t", 1, false), BUILTIN("uint16_t", 2, false),
	BUILTIN("uint32_t", 4, false), BUILTIN("uint64_t", 8, false),
	BUILTIN("u8", 1, false), BUILTIN("u16", 2, false),
	BUILTIN("u32", 4, false), BUILTIN("u64", 8, false),
	BUILTIN("s8", 1, true), BUILTIN("s16", 2, true), BUILTIN("s32", 4, true), BUILTIN("s64", 8, true),
	BUILTIN("__u8", 1, false), BUILTIN("__u16", 2, false),
	BUILTIN("__u32", 4, false), BUILTIN("__u64", 8, false),
	BUILTIN("__s8", 1, true), BUILTIN("__s16", 2, true),
	BUILTIN("__s32", 4, true), BUILTIN("__s64", 8, true),
	BUILTIN("__le16", 2, false), BUILTIN("__le32", 4, false), BUILTIN("__le64", 8, false),
	BUILTIN("__be16", 2, false), BUILTIN("__be32", 4, false), BUILTIN("__be64", 8, false),
	BUILTIN("size_t", 8, false), BUILTIN("ssize_t", 8, true), BUILTIN("ptrdiff_t", 8, true),
	BUILTIN("intptr_t", 8, true), BUILTIN("uintptr_t", 8, false),
	BUILTIN("off_t", 8, true), BUILTIN("loff_t", 8, true),
	BUILTIN("pid_t", 4, true), BUILTIN("uid_t", 4, false), BUILTIN("gid_t", 4, false),
};
static const struct type float_type = BUILTIN("float", 4, false);
static const struct type double_type = BUILTIN("double", 8, false);

static const struct type *builtin_typedef(const char *name)
{
	if (!strcmp(name, "bool"))
		return type_bool();
	for (size_t i = 0; i < ARRAY_SIZE(builtin_types); i++)
		if (!strcmp(builtin_types[i].name, name))
			return &builtin_types[i];
	return NULL;
}

/* ---- tokens -------------------------------------------------------------- */

enum tok_kind { T_EOF, T_IDENT, T_NUM, T_STR, T_PUNCT };

enum {
	P_SHL = 256, P_SHR, P_LE, P_GE, P_EQ, P_NE, P_ANDAND, P_OROR, P_ELLIPSIS, P_ARROW,
	P_INC, P_DEC, P_ASSIGN_OP,
};

/* An integer constant with its C type: int (4, signed), unsigned int,
 * long or unsigned long; v holds the value sign- or zero-extended. */
struct cval {
	uint64_t v;
	uint8_t size;
	bool uns;
};

struct token {
	enum tok_kind kind;
	int punct;
	const char *s;                    /* T_IDENT: the name (arena); else into the text */
	size_t len;
	struct loc loc;
	struct cval num;
};

struct attrs {
	bool packed;
	uint32_t aligned;                 /* 0: none */
};

struct parser {
	struct cdefs *c;
	struct diag *d;
	struct arena *a;
	VEC(struct token) toks;
	size_t pos;
	int no_eval;                      /* inside the unevaluated side of && || ?: */
	int depth;                        /* of recursion, bounded */
	jmp_buf fail;
};

static _Noreturn void bail(struct parser *p)
{
	longjmp(p->fail, 1);
}

static void PRINTF_LIKE(3, 4) report(struct parser *p, const struct loc *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(p->d, "error", l, fmt, ap);
	va_end(ap);
	p->d->errors++;
}

static void PRINTF_LIKE(3, 4) note(struct parser *p, const struct loc *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(p->d, "note", l, fmt, ap);
	va_end(ap);
}

#define fail_at(p, l, ...) do { report(p, l, __VA_ARGS__); bail(p); } while (0)

/* Nesting (parentheses, declarators, struct bodies) is bounded so that no
 * input can exhaust the stack. */
#define MAX_DEPTH 200

static void enter(struct parser *p, const struct loc *l)
{
	if (++p->depth > MAX_DEPTH)
		fail_at(p, l, "nesting is too deep");
}

/* ---- the lexer ------------------------------------------------------------ */

struct lexer {
	struct parser *p;
	const char *s;
	const struct source *src;
	int line, col;
};

static struct loc lex_loc(const struct lexer *lx, size_t len)
{
	struct loc l = { lx->src, lx->line, lx->col, lx->line, lx->col + (int)len };
	return l;
}

static void lex_adv(struct lexer *lx, size_t n)
{
	for (; n && *lx->s; n--, lx->s++) {
		if (*lx->s == '\n') {
			lx->line++;
			lx->col = 1;
		} else {
			lx->col++;
		}
	}
}

static void skip_space(struct lexer *lx)
{
	for (;;) {
		if (isspace((unsigned char)*lx->s)) {
			lex_adv(lx, 1);
		} else if (lx->s[0] == '/' && lx->s[1] == '/') {
			while (*lx->s && *lx->s != '\n')
				lex_adv(lx, 1);
		} else if (lx->s[0] == '/' && lx->s[1] == '*') {
			struct loc l = lex_loc(lx, 2);
			const char *end = strstr(lx->s + 2, "*/");
			if (!end)
				fail_at(lx->p, &l, "unterminated comment");
			lex_adv(lx, (size_t)(end + 2 - lx->s));
		} else {
			return;
		}
	}
}

static int digit_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return 99;
}

/* An integer constant, typed as C does on LP64. */
static void lex_number(struct lexer *lx, struct token *t)
{
	struct parser *p = lx->p;
	const char *s = lx->s, *e = s;
	/* A preprocessing number, so that 1e+5 and 0x1p-3 are seen whole. */
	while (isalnum((unsigned char)*e) || *e == '_' || *e == '.' ||
	       ((*e == '+' || *e == '-') && strchr("eEpP", e[-1])))
		e++;
	t->len = (size_t)(e - s);
	t->loc = lex_loc(lx, t->len);
	int base = 10;
	const char *d = s;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		d += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		d += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	if (memchr(s, '.', t->len) || (base != 16 && (memchr(s, 'e', t->len) || memchr(s, 'E', t->len))) ||
	    (base == 16 && (memchr(s, 'p', t->len) || memchr(s, 'P', t->len))))
		fail_at(p, &t->loc, "floating point constants are not supported");
	static const char *const base_names[] = {
		[2] = "binary", [8] = "octal", [10] = "decimal", [16] = "hexadecimal",
	};
	uint64_t v = 0;
	bool overflow = false;
	const char *q = d;
	for (; q < e && !strchr("uUlL", *q); q++) {
		int dv = digit_value(*q);
		if (dv >= base) {
			struct loc l = t->loc;
			l.col += (int)(q - s);
			l.end_col = l.col + 1;
			fail_at(p, &l, "invalid digit '%c' in %s constant", *q, base_names[base]);
		}
		if (v > (UINT64_MAX - (uint64_t)dv) / (uint64_t)base)
			overflow = true;
		v = v * (uint64_t)base + (uint64_t)dv;
	}
	if (q == d && base != 8)
		fail_at(p, &t->loc, "invalid integer constant '%.*s'", (int)t->len, s);
	int nu = 0, nl = 0;
	const char *suf = q;
	for (; q < e; q++) {
		if ((*q == 'u' || *q == 'U') && !nu) {
			nu = 1;
		} else if ((*q == 'l' || *q == 'L') && !nl) {
			nl = q + 1 < e && q[1] == *q ? 2 : 1;
			q += nl - 1;
		} else {
			fail_at(p, &t->loc, "invalid suffix '%.*s' on integer constant", (int)(e - suf), suf);
		}
	}
	if (overflow)
		fail_at(p, &t->loc, "integer constant is too large");
	/* The first type of the C list that holds the value. */
	struct cval cv = { v, 8, true };
	if (!nu && !nl && v <= INT32_MAX)
		cv = (struct cval){ v, 4, false };
	else if (!nu && !nl && base != 10 && v <= UINT32_MAX)
		cv = (struct cval){ v, 4, true };
	else if (nu && !nl && v <= UINT32_MAX)
		cv = (struct cval){ v, 4, true };
	else if (!nu && v <= INT64_MAX)
		cv = (struct cval){ v, 8, false };
	t->kind = T_NUM;
	t->num = cv;
	lex_adv(lx, t->len);
}

/* One character of a character or string constant, after the backslash
 * when there is one. */
static int lex_escape(struct lexer *lx, const char **sp)
{
	const char *s = *sp;
	if (*s != '\\') {
		*sp = s + 1;
		return (unsigned char)*s;
	}
	s++;
	int v;
	switch (*s) {
	case 'n': v = '\n'; s++; break;
	case 't': v = '\t'; s++; break;
	case 'r': v = '\r'; s++; break;
	case 'a': v = '\a'; s++; break;
	case 'b': v = '\b'; s++; break;
	case 'f': v = '\f'; s++; break;
	case 'v': v = '\v'; s++; break;
	case 'e': v = 27; s++; break;
	case 'x':
		s++;
		v = 0;
		while (digit_value(*s) < 16) {
			v = (v * 16 + digit_value(*s)) & 0xff;
			s++;
		}
		break;
	default:
		if (*s >= '0' && *s <= '7') {
			v = 0;
			for (int i = 0; i < 3 && *s >= '0' && *s <= '7'; i++, s++)
				v = (v * 8 + (*s - '0')) & 0xff;
		} else {
			v = (unsigned char)*s;
			if (*s)
				s++;
		}
	}
	*sp = s;
	return v;
}

static void lex_quoted(struct lexer *lx, struct token *t)
{
	char q = *lx->s;
	const char *s = lx->s + 1;
	int n = 0, v = 0;
	while (*s && *s != q && *s != '\n') {
		v = lex_escape(lx, &s);
		n++;
	}
	t->len = (size_t)(s - lx->s) + (*s == q);
	t->loc = lex_loc(lx, t->len);
	if (*s != q)
		fail_at(lx->p, &t->loc, "missing terminating %c character", q);
	if (q == '"') {
		t->kind = T_STR;
	} else {
		if (n == 0)
			fail_at(lx->p, &t->loc, "empty character constant");
		if (n > 1)
			fail_at(lx->p, &t->loc, "multi-character constants are not supported");
		/* char is signed: '\xff' is -1. */
		t->kind = T_NUM;
		t->num = (struct cval){ (uint64_t)(int64_t)(int8_t)(uint8_t)v, 4, false };
	}
	lex_adv(lx, t->len);
}

static const struct { const char *s; int punct; } multi_puncts[] = {
	{ "...", P_ELLIPSIS }, { "<<=", P_ASSIGN_OP }, { ">>=", P_ASSIGN_OP },
	{ "<<", P_SHL }, { ">>", P_SHR }, { "<=", P_LE }, { ">=", P_GE }, { "==", P_EQ },
	{ "!=", P_NE }, { "&&", P_ANDAND }, { "||", P_OROR }, { "->", P_ARROW },
	{ "++", P_INC }, { "--", P_DEC }, { "+=", P_ASSIGN_OP }, { "-=", P_ASSIGN_OP },
	{ "*=", P_ASSIGN_OP }, { "/=", P_ASSIGN_OP }, { "%=", P_ASSIGN_OP }, { "&=", P_ASSIGN_OP },
	{ "|=", P_ASSIGN_OP }, { "^=", P_ASSIGN_OP },
};

static void lex(struct parser *p, const char *text, const struct loc *at)
{
	struct lexer lx = { p, text, at ? at->src : NULL, at && at->line > 0 ? at->line : 1,
			    at && at->col > 0 ? at->col : 1 };
	for (;;) {
		skip_space(&lx);
		struct token t = { .s = lx.s };
		char ch = *lx.s;
		if (!ch) {
			t.kind = T_EOF;
			t.loc = lex_loc(&lx, 1);
			vec_push(&p->toks, t);
			return;
		}
		if (isalpha((unsigned char)ch) || ch == '_') {
			const char *e = lx.s;
			while (isalnum((unsigned char)*e) || *e == '_')
				e++;
			t.kind = T_IDENT;
			t.len = (size_t)(e - lx.s);
			t.s = arena_strndup(p->a, lx.s, t.len);
			t.loc = lex_loc(&lx, t.len);
			lex_adv(&lx, t.len);
		} else if (isdigit((unsigned char)ch)) {
			lex_number(&lx, &t);
		} else if (ch == '\'' || ch == '"') {
			lex_quoted(&lx, &t);
		} else {
			t.kind = T_PUNCT;
			t.len = 1;
			t.punct = (unsigned char)ch;
			for (size_t i = 0; i < ARRAY_SIZE(multi_puncts); i++) {
				size_t n = strlen(multi_puncts[i].s);
				if (!strncmp(lx.s, multi_puncts[i].s, n)) {
					t.len = n;
					t.punct = multi_puncts[i].punct;
					break;
				}
			}
			t.loc = lex_loc(&lx, t.len);
			if (t.len == 1 && !strchr("{}()[];,*:=+-/%<>|&^~!?.", ch)) {
				if (isprint((unsigned char)ch))
					fail_at(p, &t.loc, "unexpected character '%c'", ch);
				fail_at(p, &t.loc, "unexpected character '\\x%02x'", (unsigned char)ch);
			}
			lex_adv(&lx, t.len);
		}
		vec_push(&p->toks, t);
	}
}

/* ---- token helpers ---------------------------------------------------------- */

static const struct token *peek(struct parser *p)
{
	return &p->toks.v[p->pos];
}

static const struct token *peek_at(struct parser *p, size_t k)
{
	size_t i = p->pos + k;
	return &p->toks.v[i < p->toks.n ? i : p->toks.n - 1];
}

static const struct token *advance(struct parser *p)
{
	const struct token *t = &p->toks.v[p->pos];
	if (t->kind != T_EOF)
		p->pos++;
	return t;
}

static bool is_punct(const struct token *t, int c)
{
	return t->kind == T_PUNCT && t->punct == c;
}

static bool is_kw(const struct token *t, const char *kw)
{
	return t->kind == T_IDENT && !strcmp(t->s, kw);
}

static bool accept(struct parser *p, int c)
{
	if (!is_punct(peek(p), c))
		return false;
	advance(p);
	return true;
}

/* "'x'" or "end of input", for messages. */
static const char *describe(struct parser *p, const struct token *t)
{
	if (t->kind == T_EOF)
		return "end of input";
	return arena_printf(p->a, "'%.*s'", (int)t->len, t->s);
}

/* Just past the previous token: where a missing ';' belongs. */
static struct loc after_prev(struct parser *p)
{
	if (p->pos == 0)
		return peek(p)->loc;
	struct loc l = p->toks.v[p->pos - 1].loc;
	l.line = l.end_line;
	l.col = l.end_col;
	l.end_col = l.col + 1;
	return l;
}

/* From the token at index `from` to the previous one. */
static struct loc span_from(struct parser *p, size_t from)
{
	struct loc l = p->toks.v[from].loc;
	if (p->pos > from)
		l = loc_span(l, p->toks.v[p->pos - 1].loc);
	return l;
}

static void expect(struct parser *p, int c, const char *what)
{
	if (!accept(p, c))
		fail_at(p, &peek(p)->loc, "expected '%s', found %s", what, describe(p, peek(p)));
}

/* Skips a balanced (...) group, the opening one at the current token. */
static void skip_group(struct parser *p)
{
	const struct token *open = advance(p);
	int depth = 1;
	while (depth) {
		const struct token *t = advance(p);
		if (t->kind == T_EOF) {
			report(p, &t->loc, "expected ')'");
			note(p, &open->loc, "to match this '('");
			bail(p);
		}
		if (is_punct(t, '('))
			depth++;
		else if (is_punct(t, ')'))
			depth--;
	}
}

/* ---- names and lookups ------------------------------------------------------ */

static const char *kind_word(enum cdefs_kind k)
{
	return k == CDEFS_UNION ? "union" : k == CDEFS_ENUM ? "enum" : "struct";
}

static struct tag *find_tag(const struct cdefs *c, const char *name)
{
	for (struct tag *t = c->tags; t; t = t->next)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

static struct tag *tag_of_type(const struct cdefs *c, const struct type *ty)
{
	for (struct tag *t = c->tags; t; t = t->next)
		if (t->type == ty)
			return t;
	return NULL;
}

static struct tdef *find_tdef(const struct cdefs *c, const char *name)
{
	for (struct tdef *t = c->tdefs; t; t = t->next)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

static struct enumerator *find_enumerator(const struct cdefs *c, const char *name)
{
	for (struct enumerator *e = c->enums; e; e = e->next)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

/* A new tag; for a struct/union, its still incomplete type object. */
static struct tag *new_tag(struct parser *p, const char *name, enum cdefs_kind kind,
			   const struct loc *l)
{
	struct cdefs *c = p->c;
	struct tag *t = arena_alloc(c->a, sizeof(*t));
	t->name = name;
	t->kind = kind;
	t->loc = *l;
	if (kind == CDEFS_ENUM) {
		t->type = type_new(c->a, TY_INT);
		t->type->size = t->type->align = 4;
		t->type->name = arena_printf(c->a, "enum %s", name);
	} else {
		t->type = type_new(c->a, TY_STRUCT);
		t->type->name = name;
		t->type->is_union = kind == CDEFS_UNION;
		t->type->btf_id = -1;
	}
	t->next = c->tags;
	c->tags = t;
	return t;
}

/* The tag `name` of `kind`, created when new. */
static struct tag *use_tag(struct parser *p, const struct token *name, enum cdefs_kind kind)
{
	struct tag *t = find_tag(p->c, name->s);
	if (!t)
		return new_tag(p, name->s, kind, &name->loc);
	if (t->kind != kind) {
		report(p, &name->loc, "use of '%s' with tag type that does not match previous declaration",
		       name->s);
		note(p, &t->loc, "previous declaration is here");
		bail(p);
	}
	return t;
}

static const char *const int_keywords[] = {
	"void", "char", "short", "int", "long", "signed", "unsigned", "_Bool", "float", "double",
	"__int128",
};

/* "unknown type name 'x'; did you mean 'y'?" */
static _Noreturn void unknown_type(struct parser *p, const struct token *t)
{
	VEC(const char *) cands = {0};
	for (struct tdef *td = p->c->tdefs; td; td = td->next)
		vec_push(&cands, td->name);
	for (size_t i = 0; i < ARRAY_SIZE(builtin_types); i++)
		vec_push(&cands, builtin_types[i].name);
	vec_push(&cands, "bool");
	for (size_t i = 0; i < ARRAY_SIZE(int_keywords); i++)
		vec_push(&cands, int_keywords[i]);
	vec_push(&cands, "struct");
	vec_push(&cands, "union");
	vec_push(&cands, "enum");
	vec_push(&cands, NULL);
	const char *best = closest_name(t->s, cands.v);
	char *msg = best ? arena_printf(p->a, "; did you mean '%s'?", best) : "";
	vec_free(&cands);
	fail_at(p, &t->loc, "unknown type name '%s'%s", t->s, msg);
}

/* A tag of `kind` that is not defined: "struct foo is not defined". */
static _Noreturn void undefined_tag(struct parser *p, const struct loc *l, const char *name,
				    enum cdefs_kind kind)
{
	VEC(const char *) cands = {0};
	for (struct tag *t = p->c->tags; t; t = t->next)
		if (t->kind == kind && t->defined)
			vec_push(&cands, t->name);
	vec_push(&cands, NULL);
	const char *best = closest_name(name, cands.v);
	char *msg = best ? arena_printf(p->a, "; did you mean '%s %s'?", kind_word(kind), best) : "";
	vec_free(&cands);
	fail_at(p, l, "%s %s is not defined%s", kind_word(kind), name, msg);
}

/* The C spelling of a type, for messages. */
static const char *tname(struct parser *p, const struct type *t)
{
	if (t == &func_marker)
		return "function";
	if (t == type_none())
		return "void";
	if (t == &float_type || t == &double_type)
		return t->name;
	if (t->kind == TY_INT && t->name && strncmp(t->name, "enum ", 5))
		return arena_printf(p->a, "%sint%u", t->is_signed ? "" : "u", t->size * 8);
	return type_str(p->a, t);
}

/* t, which a value is needed of: a struct/union/enum the script has not
 * defined goes to the resolver; void and functions are errors.  `what` names
 * the value in messages ("member 'x'", "array element"). */
static const struct type *complete(struct parser *p, const struct type *t, const struct loc *l,
				   const char *what)
{
	if (t == type_none())
		fail_at(p, l, "%s has incomplete type 'void'", what);
	if (t == &func_marker)
		fail_at(p, l, "%s is declared as a function; use a pointer to one", what);
	struct tag *tg = tag_of_type(p->c, t);
	if (!tg || tg->defined)
		return t;
	if (tg->defining)
		fail_at(p, l, "%s has incomplete type '%s %s'", what, kind_word(tg->kind), tg->name);
	const struct type *r = NULL;
	if (p->c->resolve)
		r = p->c->resolve(p->c->resolve_arg, tg->name, tg->kind);
	if (!r)
		undefined_tag(p, l, tg->name, tg->kind);
	return r;
}

static const struct type *make_ptr(struct parser *p, const struct type *to)
{
	if (to == &func_marker)
		to = type_int(1, false);
	else if (to == type_none())
		to = p->c->void_target;
	return type_ptr(p->a, to, AS_NONE);
}

static const struct type *make_array(struct parser *p, const struct type *elem, uint64_t n,
				     const struct loc *elem_loc, const struct loc *size_loc)
{
	if (elem == &func_marker)
		fail_at(p, elem_loc, "arrays of functions are not allowed");
	elem = complete(p, elem, elem_loc, "array element");
	if (elem->size && n > UINT32_MAX / elem->size)
		fail_at(p, size_loc, "array is too large");
	struct type *t;
	/* char arrays print as strings; a 1-byte (packed) enum's do not. */
	if (elem->kind == TY_INT && elem->size == 1 && !(elem->name && !strncmp(elem->name, "enum ", 5))) {
		t = type_new(p->a, TY_STRING);
		t->size = (uint32_t)n;
		t->align = 1;
	} else {
		t = type_new(p->a, TY_ARRAY);
		t->elem = elem;
		t->count = (uint32_t)n;
		t->size = elem->size * (uint32_t)n;
		t->align = elem->align ? elem->align : 1;
	}
	return t;
}

/* ---- constant expressions ----------------------------------------------------- */

static struct cval cv_make(uint64_t v, int size, bool uns)
{
	switch (size) {
	case 1: v = uns ? (uint8_t)v : (uint64_t)(int64_t)(int8_t)(uint8_t)v; break;
	case 2: v = uns ? (uint16_t)v : (uint64_t)(int64_t)(int16_t)(uint16_t)v; break;
	case 4: v = uns ? (uint32_t)v : (uint64_t)(int64_t)(int32_t)(uint32_t)v; break;
	default: size = 8; break;
	}
	return (struct cval){ v, (uint8_t)size, uns };
}

static struct cval cv_int(int64_t v)
{
	return cv_make((uint64_t)v, 4, false);
}

/* The integer promotions: anything narrower than int becomes int. */
static struct cval cv_promote(struct cval a)
{
	if (a.size < 4)
		a = cv_make(a.v, 4, false);
	return a;
}

/* The usual arithmetic conversions, on LP64. */
static void cv_common(struct cval *a, struct cval *b)
{
	*a = cv_promote(*a);
	*b = cv_promote(*b);
	int size;
	bool uns;
	if (a->size != b->size) {
		size = 8;
		uns = a->size == 8 ? a->uns : b->uns;
	} else {
		size = a->size;
		uns = a->uns || b->uns;
	}
	*a = cv_make(a->v, size, uns);
	*b = cv_make(b->v, size, uns);
}

/* Is it a negative value of a signed type? */
static bool cv_neg(struct cval a)
{
	return !a.uns && (int64_t)a.v < 0;
}

static struct cval parse_cond(struct parser *p);
static const struct type *parse_type_name(struct parser *p, struct loc *l);

/* Does a type name start here (for casts and sizeof)? */
static bool starts_type(struct parser *p, const struct token *t);

static struct cval parse_unary(struct parser *p);

static struct cval parse_primary(struct parser *p)
{
	const struct token *t = peek(p);
	if (t->kind == T_NUM) {
		advance(p);
		return t->num;
	}
	if (is_punct(t, '(')) {
		if (starts_type(p, peek_at(p, 1))) {
			advance(p);
			struct loc tl;
			const struct type *ty = parse_type_name(p, &tl);
			expect(p, ')', ")");
			struct cval v = parse_unary(p);
			if (ty->kind == TY_BOOL)
				return cv_make(v.v != 0, 1, true);
			if (ty->kind == TY_INT)
				return cv_make(v.v, (int)ty->size, !ty->is_signed);
			if (ty->kind == TY_PTR)
				return cv_make(v.v, 8, true);
			fail_at(p, &tl, "cannot cast to '%s' in a constant expression", tname(p, ty));
		}
		advance(p);
		struct cval v = parse_cond(p);
		expect(p, ')', ")");
		return v;
	}
	if (t->kind == T_IDENT) {
		bool is_sizeof = !strcmp(t->s, "sizeof");
		if (is_sizeof || !strcmp(t->s, "_Alignof") || !strcmp(t->s, "__alignof__") ||
		    !strcmp(t->s, "__alignof")) {
			advance(p);
			uint64_t n;
			if (is_punct(peek(p), '(') && starts_type(p, peek_at(p, 1))) {
				advance(p);
				struct loc tl;
				const struct type *ty = parse_type_name(p, &tl);
				expect(p, ')', ")");
				ty = complete(p, ty, &tl, "the operand of sizeof");
				n = is_sizeof ? ty->size : ty->align;
			} else {
				struct cval v = parse_unary(p);
				n = v.size;
			}
			return cv_make(n, 8, true);
		}
		advance(p);
		struct enumerator *e = find_enumerator(p->c, t->s);
		int64_t v;
		if (e) {
			v = e->value;
			/* An enumerator above INT64_MAX belongs to an unsigned long enum. */
			if (e->owner && e->owner->type->size == 8 && !e->owner->type->is_signed)
				return cv_make((uint64_t)v, 8, true);
		} else if (!p->c->cresolve || !p->c->cresolve(p->c->cresolve_arg, t->s, &v)) {
			VEC(const char *) cands = {0};
			for (struct enumerator *x = p->c->enums; x; x = x->next)
				vec_push(&cands, x->name);
			vec_push(&cands, NULL);
			const char *best = closest_name(t->s, cands.v);
			char *msg = best ? arena_printf(p->a, "; did you mean '%s'?", best) : "";
			vec_free(&cands);
			fail_at(p, &t->loc, "use of undeclared identifier '%s'%s", t->s, msg);
		}
		if (v >= INT32_MIN && v <= INT32_MAX)
			return cv_int(v);
		return cv_make((uint64_t)v, 8, false);
	}
	fail_at(p, &t->loc, "expected an expression, found %s", describe(p, t));
}

static struct cval parse_unary(struct parser *p)
{
	const struct token *t = peek(p);
	enter(p, &t->loc);
	if (t->kind == T_PUNCT && t->punct < 256 && strchr("-+~!", t->punct)) {
		advance(p);
		struct cval v = cv_promote(parse_unary(p));
		p->depth--;
		switch (t->punct) {
		case '-': return cv_make(0 - v.v, v.size, v.uns);
		case '~': return cv_make(~v.v, v.size, v.uns);
		case '!': return cv_int(v.v == 0);
		default: return v;
		}
	}
	struct cval v = parse_primary(p);
	p->depth--;
	return v;
}

/* Binary operators by precedence, loosest first. */
static const int binop_levels[][4] = {
	{ P_OROR }, { P_ANDAND }, { '|' }, { '^' }, { '&' }, { P_EQ, P_NE },
	{ '<', '>', P_LE, P_GE }, { P_SHL, P_SHR }, { '+', '-' }, { '*', '/', '%' },
};

static int binop_at(const struct token *t, int level)
{
	if (t->kind != T_PUNCT)
		return 0;
	for (int i = 0; i < 4 && binop_levels[level][i]; i++)
		if (binop_levels[level][i] == t->punct)
			return t->punct;
	return 0;
}

static struct cval apply_binop(struct parser *p, int op, struct cval a, struct cval b,
			       const struct loc *l)
{
	if (op == P_ANDAND)
		return cv_int(a.v && b.v);
	if (op == P_OROR)
		return cv_int(a.v || b.v);
	if (op == P_SHL || op == P_SHR) {
		a = cv_promote(a);
		b = cv_promote(b);
		if (cv_neg(b)) {
			if (p->no_eval)
				return a;
			fail_at(p, l, "shift count is negative");
		}
		if (b.v >= (uint64_t)a.size * 8) {
			if (p->no_eval)
				return a;
			fail_at(p, l, "shift count >= width of type");
		}
		if (op == P_SHL)
			return cv_make(a.v << b.v, a.size, a.uns);
		if (a.uns)
			return cv_make(a.v >> b.v, a.size, a.uns);
		return cv_make((uint64_t)((int64_t)a.v >> b.v), a.size, a.uns);
	}
	cv_common(&a, &b);
	uint64_t r;
	switch (op) {
	case '+': r = a.v + b.v; break;
	case '-': r = a.v - b.v; break;
	case '*': r = a.v * b.v; break;
	case '/':
	case '%':
		if (b.v == 0) {
			if (p->no_eval)
				return a;
			fail_at(p, l, "division by zero in a constant expression");
		}
		if (a.uns) {
			r = op == '/' ? a.v / b.v : a.v % b.v;
		} else if ((int64_t)a.v == INT64_MIN && (int64_t)b.v == -1) {
			r = op == '/' ? a.v : 0;
		} else {
			int64_t x = (int64_t)a.v, y = (int64_t)b.v;
			r = (uint64_t)(op == '/' ? x / y : x % y);
		}
		break;
	case '&': r = a.v & b.v; break;
	case '|': r = a.v | b.v; break;
	case '^': r = a.v ^ b.v; break;
	default: {
		bool lt = a.uns ? a.v < b.v : (int64_t)a.v < (int64_t)b.v;
		bool eq = a.v == b.v;
		switch (op) {
		case P_EQ: return cv_int(eq);
		case P_NE: return cv_int(!eq);
		case '<': return cv_int(lt);
		case '>': return cv_int(!lt && !eq);
		case P_LE: return cv_int(lt || eq);
		default: return cv_int(!lt);
		}
	}
	}
	return cv_make(r, a.size, a.uns);
}

static struct cval parse_binary(struct parser *p, int level)
{
	if (level == (int)ARRAY_SIZE(binop_levels))
		return parse_unary(p);
	struct cval a = parse_binary(p, level + 1);
	int op;
	while ((op = binop_at(peek(p), level))) {
		struct loc l = advance(p)->loc;
		/* The right side of a decided && or || is not evaluated. */
		bool skip = (op == P_ANDAND && !a.v) || (op == P_OROR && a.v);
		p->no_eval += skip;
		struct cval b = parse_binary(p, level + 1);
		p->no_eval -= skip;
		a = apply_binop(p, op, a, b, &l);
	}
	return a;
}

static struct cval parse_cond(struct parser *p)
{
	struct cval c = parse_binary(p, 0);
	if (!accept(p, '?'))
		return c;
	enter(p, &p->toks.v[p->pos - 1].loc);
	p->no_eval += !c.v;
	struct cval a = parse_cond(p);
	p->no_eval -= !c.v;
	expect(p, ':', ":");
	p->no_eval += !!c.v;
	struct cval b = parse_cond(p);
	p->no_eval -= !!c.v;
	cv_common(&a, &b);
	p->depth--;
	return c.v ? a : b;
}

/* A constant expression, and where it is. */
static struct cval const_expr(struct parser *p, struct loc *l)
{
	size_t from = p->pos;
	struct cval v = parse_cond(p);
	*l = span_from(p, from);
	return v;
}

/* ---- attributes ------------------------------------------------------------ */

static uint32_t alignment_value(struct parser *p)
{
	struct loc l;
	struct cval v = const_expr(p, &l);
	if (cv_neg(v) || v.v == 0 || (v.v & (v.v - 1)))
		fail_at(p, &l, "requested alignment is not a positive power of 2");
	if (v.v > (1u << 28))
		fail_at(p, &l, "requested alignment is too large");
	return (uint32_t)v.v;
}

static bool is_attr_start(const struct token *t)
{
	return is_kw(t, "__attribute__") || is_kw(t, "__attribute") || is_kw(t, "__packed") ||
	       is_kw(t, "__aligned") || is_kw(t, "_Alignas");
}

/* GCC's attribute name without the __ decoration. */
static bool attr_is(const char *name, const char *want)
{
	size_t n = strlen(want), len = strlen(name);
	if (!strcmp(name, want))
		return true;
	return len == n + 4 && !strncmp(name, "__", 2) && !strncmp(name + 2, want, n) &&
	       !strcmp(name + 2 + n, "__");
}

/* Any attributes at the current token, into at.  True when there were. */
static bool parse_attributes(struct parser *p, struct attrs *at)
{
	bool any = false;
	for (;;) {
		const struct token *t = peek(p);
		if (is_kw(t, "__packed")) {
			advance(p);
			at->packed = true;
		} else if (is_kw(t, "__aligned") || is_kw(t, "_Alignas")) {
			advance(p);
			expect(p, '(', "(");
			uint32_t n;
			if (starts_type(p, peek(p))) {
				struct loc tl;
				const struct type *ty = complete(p, parse_type_name(p, &tl), &tl, "the operand of _Alignas");
				n = ty->align;
			} else {
				n = alignment_value(p);
			}
			if (n > at->aligned)
				at->aligned = n;
			expect(p, ')', ")");
		} else if (is_kw(t, "__attribute__") || is_kw(t, "__attribute")) {
			advance(p);
			expect(p, '(', "(");
			expect(p, '(', "(");
			while (!accept(p, ')')) {
				const struct token *a = peek(p);
				if (accept(p, ','))
					continue;
				if (a->kind != T_IDENT)
					fail_at(p, &a->loc, "expected an attribute name, found %s", describe(p, a));
				advance(p);
				if (attr_is(a->s, "packed")) {
					at->packed = true;
				} else if (attr_is(a->s, "aligned")) {
					uint32_t n = 16;   /* the largest alignment on x86_64 */
					if (accept(p, '(')) {
						n = alignment_value(p);
						expect(p, ')', ")");
					}
					if (n > at->aligned)
						at->aligned = n;
					continue;
				}
				if (is_punct(peek(p), '('))
					skip_group(p);
			}
			expect(p, ')', ")");
		} else {
			return any;
		}
		any = true;
	}
}

/* ---- declaration specifiers ----------------------------------------------------- */

enum { K_VOID, K_CHAR, K_SHORT, K_INT, K_LONG, K_SIGNED, K_UNSIGNED, K_BOOL, K_FLOAT, K_DOUBLE,
       K_INT128, K_OTHER, NKW };

/* Words that change nothing here: qualifiers, storage classes, and the
 * kernel's sparse annotations. */
static const char *const ignored_words[] = {
	"const", "volatile", "restrict", "__restrict", "__restrict__", "__const", "__const__",
	"__volatile", "__volatile__", "_Atomic", "static", "extern", "register", "inline",
	"__inline", "__inline__", "auto", "__extension__", "_Thread_local", "__thread",
	"__user", "__kernel", "__iomem", "__rcu", "__percpu", "__force", "__bitwise",
};

static bool is_ignored_word(const struct token *t)
{
	if (t->kind != T_IDENT)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(ignored_words); i++)
		if (!strcmp(t->s, ignored_words[i]))
			return true;
	return false;
}

static int int_keyword(const struct token *t)
{
	if (t->kind != T_IDENT)
		return -1;
	if (!strcmp(t->s, "__signed__") || !strcmp(t->s, "__signed"))
		return K_SIGNED;
	for (size_t i = 0; i < ARRAY_SIZE(int_keywords); i++)
		if (!strcmp(t->s, int_keywords[i]))
			return (int)i;
	return -1;
}

static bool is_tag_kw(const struct token *t)
{
	return is_kw(t, "struct") || is_kw(t, "union") || is_kw(t, "enum");
}

static bool starts_type(struct parser *p, const struct token *t)
{
	if (t->kind != T_IDENT)
		return false;
	if (int_keyword(t) >= 0 || is_ignored_word(t) || is_tag_kw(t))
		return true;
	if (find_enumerator(p->c, t->s))
		return false;
	return find_tdef(p->c, t->s) || builtin_typedef(t->s);
}

/* Can the counted type words still make a valid type? */
static bool specs_ok(const int n[NKW])
{
	int sign = n[K_SIGNED] + n[K_UNSIGNED];
	int other = n[K_VOID] + n[K_BOOL] + n[K_FLOAT] + n[K_OTHER];
	if (sign > 1 || n[K_INT] > 1 || n[K_LONG] > 2)
		return false;
	if (other + n[K_CHAR] + n[K_SHORT] + n[K_DOUBLE] + n[K_INT128] > 1)
		return false;
	if (other && (sign || n[K_INT] || n[K_LONG]))
		return false;
	if ((n[K_CHAR] || n[K_INT128]) && (n[K_INT] || n[K_LONG]))
		return false;
	if (n[K_SHORT] && n[K_LONG])
		return false;
	if (n[K_DOUBLE] && (sign || n[K_INT] || n[K_LONG] > 1))
		return false;
	return true;
}

struct spec {
	const struct type *type;
	struct loc loc;                   /* the type's words */
	struct attrs attrs;               /* of the declaration, not of a struct type */
	const struct enum_def *en;        /* the type is this enum */
	const char *defined;              /* "struct", "union", "enum": a body was given */
	bool anon_body;                   /* an anonymous struct/union body */
	bool tagged;                      /* `struct X`/`enum X` with a tag */
	const struct loc *body_locs;      /* the locations of that body's fields */
	size_t brace_end;                 /* token index just after the body and its attributes */
};

struct member {
	struct member *next;
	const char *name;                 /* NULL: unnamed bitfield, anonymous struct/union */
	struct loc loc;
	const struct type *type;
	struct attrs attrs;
	bool is_bitfield, flex;
	uint32_t width;
	const struct loc *sub_locs;       /* anonymous struct/union: its fields' locations */
};

static void parse_specs(struct parser *p, struct spec *sp);
static const struct type *parse_struct(struct parser *p, struct spec *sp);
static const struct type *parse_enum(struct parser *p, struct spec *sp);

enum { DECL_ABSTRACT = 1, DECL_FLEX = 2 };

struct decl {
	const char *name;
	struct loc loc;                   /* the name, or where it would be */
	const struct type *type;
	bool flex;                        /* the outermost dimension is [] or [0] */
};

static bool at_new_definition(struct parser *p)
{
	const struct token *t = peek(p);
	if (p->pos == 0 || t->loc.line <= p->toks.v[p->pos - 1].loc.end_line)
		return false;
	return is_tag_kw(t) || is_kw(t, "typedef");
}

static void parse_specs(struct parser *p, struct spec *sp)
{
	int n[NKW] = {0};
	const struct type *other = NULL;
	bool any = false;
	struct loc loc = peek(p)->loc;
	for (;;) {
		const struct token *t = peek(p);
		if (t->kind != T_IDENT)
			break;
		if (parse_attributes(p, &sp->attrs))
			continue;
		if (is_ignored_word(t)) {
			advance(p);
			continue;
		}
		int kw = int_keyword(t);
		bool is_tag = is_tag_kw(t);
		/* No type word can follow a body: a ';' is missing. */
		if (sp->brace_end && sp->brace_end == p->pos && (kw >= 0 || is_tag))
			break;
		if (kw < 0 && !is_tag && any)
			break;   /* the declarator's name */
		n[kw >= 0 ? kw : K_OTHER]++;
		if (!specs_ok(n))
			fail_at(p, &t->loc, "cannot combine '%s' with the previous type specifiers", t->s);
		struct loc wl = t->loc;
		if (is_kw(t, "enum")) {
			other = parse_enum(p, sp);
			wl = sp->loc;
		} else if (is_tag) {
			other = parse_struct(p, sp);
			wl = sp->loc;
		} else if (kw < 0) {
			struct tdef *td = find_tdef(p->c, t->s);
			if (td) {
				other = td->type;
				sp->en = td->en;
			} else {
				other = builtin_typedef(t->s);
			}
			if (!other && p->c->resolve)
				other = p->c->resolve(p->c->resolve_arg, t->s, CDEFS_TYPEDEF);
			if (!other)
				unknown_type(p, t);
			advance(p);
		} else {
			advance(p);
		}
		loc = any ? loc_span(loc, wl) : wl;
		any = true;
	}
	if (!any)
		fail_at(p, &peek(p)->loc, "expected a type, found %s", describe(p, peek(p)));
	sp->loc = loc;
	if (n[K_OTHER])
		sp->type = other;
	else if (n[K_VOID])
		sp->type = type_none();
	else if (n[K_BOOL])
		sp->type = type_bool();
	else if (n[K_FLOAT])
		sp->type = &float_type;
	else if (n[K_DOUBLE])
		sp->type = n[K_LONG] ? p->c->wide : &double_type;
	else if (n[K_INT128])
		sp->type = p->c->wide;
	else if (n[K_CHAR])
		sp->type = type_int(1, !n[K_UNSIGNED]);
	else
		sp->type = type_int(n[K_SHORT] ? 2 : n[K_LONG] ? 8 : 4, !n[K_UNSIGNED]);
	if (!n[K_OTHER])
		sp->en = NULL;
}

static void parse_declarator(struct parser *p, const struct type *base, const struct loc *base_loc,
			     struct decl *d, unsigned flags);

/* A type name in a cast, sizeof or _Alignas: specifiers and an abstract
 * declarator. */
static const struct type *parse_type_name(struct parser *p, struct loc *l)
{
	size_t from = p->pos;
	struct spec sp = {0};
	parse_specs(p, &sp);
	struct decl d = {0};
	parse_declarator(p, sp.type, &sp.loc, &d, DECL_ABSTRACT);
	*l = span_from(p, from);
	return d.type;
}

/* ---- declarators --------------------------------------------------------------- */

struct dim {
	uint64_t n;
	bool zero, empty;
	struct loc loc;
};

static void parse_declarator(struct parser *p, const struct type *base, const struct loc *base_loc,
			     struct decl *d, unsigned flags)
{
	while (accept(p, '*')) {
		/* `* const`, `* __restrict`, `* __attribute__((...))` */
		struct attrs scratch = {0};
		for (;;) {
			if (is_ignored_word(peek(p)))
				advance(p);
			else if (!parse_attributes(p, &scratch))
				break;
		}
		base = make_ptr(p, base);
	}
	size_t inner = 0;
	const struct token *t = peek(p);
	d->loc = t->loc;
	if (is_punct(t, '(') && (!(flags & DECL_ABSTRACT) || is_punct(peek_at(p, 1), '*') ||
				 is_punct(peek_at(p, 1), '(') || is_punct(peek_at(p, 1), '['))) {
		inner = p->pos + 1;
		skip_group(p);
	} else if (t->kind == T_IDENT && !(flags & DECL_ABSTRACT) && !is_attr_start(t)) {
		d->name = t->s;
		advance(p);
	} else if (!(flags & DECL_ABSTRACT)) {
		fail_at(p, &t->loc, "expected a name, found %s", describe(p, t));
	}
	struct dim dims[16];
	size_t ndims = 0;
	bool func = false;
	for (;;) {
		const struct token *o = peek(p);
		if (is_punct(o, '[')) {
			advance(p);
			if (ndims == ARRAY_SIZE(dims))
				fail_at(p, &o->loc, "too many array dimensions");
			struct dim *dm = &dims[ndims++];
			dm->loc = o->loc;
			dm->n = 0;
			dm->zero = dm->empty = true;
			if (!is_punct(peek(p), ']')) {
				struct cval v = const_expr(p, &dm->loc);
				if (cv_neg(v)) {
					if (d->name)
						fail_at(p, &dm->loc, "size of array '%s' is negative", d->name);
					fail_at(p, &dm->loc, "size of array is negative");
				}
				if (v.v > UINT32_MAX)
					fail_at(p, &dm->loc, "array is too large");
				dm->n = v.v;
				dm->zero = v.v == 0;
				dm->empty = false;
			}
			expect(p, ']', "]");
			if (func)
				fail_at(p, &o->loc, "functions cannot return arrays");
		} else if (is_punct(o, '(')) {
			if (ndims)
				fail_at(p, &o->loc, "arrays of functions are not allowed");
			if (func)
				fail_at(p, &o->loc, "functions cannot return functions");
			skip_group(p);
			func = true;
		} else {
			break;
		}
	}
	const struct type *ty = func ? &func_marker : base;
	for (size_t i = ndims; i-- > 0;) {
		if (dims[i].zero) {
			/* Behind a pointer, any size goes; a member may end in a
			 * flexible array; otherwise it is an error. */
			if (i == 0 && (flags & DECL_FLEX))
				d->flex = true;
			else if (!inner && dims[i].empty)
				fail_at(p, &dims[i].loc, "array%s%s%s has no size", d->name ? " '" : "",
					d->name ? d->name : "", d->name ? "'" : "");
			else if (!inner)
				fail_at(p, &dims[i].loc, "zero-size array%s%s%s", d->name ? " '" : "",
					d->name ? d->name : "", d->name ? "'" : "");
		}
		ty = make_array(p, ty, dims[i].n, base_loc, &dims[i].loc);
	}
	if (inner) {
		size_t end = p->pos;
		p->pos = inner;
		enter(p, &p->toks.v[inner].loc);
		parse_declarator(p, ty, base_loc, d, flags & ~DECL_FLEX);
		p->depth--;
		if (!is_punct(peek(p), ')'))
			fail_at(p, &peek(p)->loc, "expected ')', found %s", describe(p, peek(p)));
		p->pos = end;
	} else {
		d->type = ty;
	}
}

/* ---- struct and union ------------------------------------------------------------- */

/* Where a bitfield of type ft starting at bit `start` lives: see cdefs.h. */
static void place_bits(struct field *f, uint64_t start, uint32_t width, const struct type *ft)
{
	uint64_t unit = (uint64_t)ft->size * 8;
	uint64_t ustart = start / unit * unit;
	if (start + width <= ustart + unit) {
		f->offset = (uint32_t)(ustart / 8);
		f->bit_offset = (uint16_t)(start - ustart);
	} else {
		f->offset = (uint32_t)(start / 8);
		f->bit_offset = (uint16_t)(start % 8);
	}
	f->bit_size = (uint16_t)width;
}

/* Lays the members out into t (GCC's x86_64 rules, see cdefs.h) and
 * returns the locations of its fields. */
static const struct loc *layout(struct parser *p, struct type *t, struct member *members,
				const struct attrs *sa, const struct loc *name_loc)
{
	size_t n = 0;
	for (struct member *m = members; m; m = m->next)
		n += m->sub_locs ? m->type->nfields : m->name ? 1 : 0;
	struct field *fields = arena_alloc(p->a, n * sizeof(*fields));
	struct loc *locs = arena_alloc(p->a, n * sizeof(*locs));
	size_t nf = 0;
	uint64_t bitpos = 0, size_bits = 0;
	uint32_t align = 1;
	bool is_union = t->is_union;
	for (struct member *m = members; m; m = m->next) {
		const struct type *ft = m->type;
		bool packed = sa->packed || m->attrs.packed;
		uint32_t natural = ft->align ? ft->align : 1;
		if (m->is_bitfield) {
			if (m->attrs.aligned) {
				/* Unnamed ones move, but do not align the struct. */
				if (!is_union)
					bitpos = ALIGN_UP(bitpos, (uint64_t)m->attrs.aligned * 8);
				if (m->name && m->attrs.aligned > align)
					align = m->attrs.aligned;
			}
			if (m->width == 0) {
				/* `T : 0` ends the unit, even when packed. */
				if (!is_union)
					bitpos = ALIGN_UP(bitpos, (uint64_t)natural * 8);
				continue;
			}
			uint64_t unit = (uint64_t)ft->size * 8;
			if (!packed) {
				if (!is_union && bitpos / unit != (bitpos + m->width - 1) / unit)
					bitpos = ALIGN_UP(bitpos, unit);
				if (m->name && natural > align)
					align = natural;
			}
			uint64_t start = is_union ? 0 : bitpos;
			if (m->name) {
				struct field *f = &fields[nf];
				f->name = m->name;
				f->type = ft;
				place_bits(f, start, m->width, ft);
				locs[nf++] = m->loc;
			}
			if (!is_union)
				bitpos = start + m->width;
			if (start + m->width > size_bits)
				size_bits = start + m->width;
			continue;
		}
		uint32_t ma = packed ? 1 : natural;
		if (m->attrs.aligned)
			ma = packed || m->attrs.aligned > ma ? m->attrs.aligned : ma;
		uint64_t off = is_union ? 0 : ALIGN_UP((bitpos + 7) / 8, ma);
		if (ma > align)
			align = ma;
		if (m->sub_locs) {
			for (uint32_t i = 0; i < ft->nfields; i++) {
				fields[nf] = ft->fields[i];
				fields[nf].offset += (uint32_t)off;
				locs[nf++] = m->sub_locs[i];
			}
		} else if (m->name) {
			fields[nf] = (struct field){ .name = m->name, .type = ft, .offset = (uint32_t)off };
			locs[nf++] = m->loc;
		}
		uint64_t end = (off + ft->size) * 8;
		if (!is_union)
			bitpos = end;
		if (end > size_bits)
			size_bits = end;
		if (off + ft->size > UINT32_MAX)
			break;
	}
	if (sa->aligned > align)
		align = sa->aligned;
	uint64_t size = ALIGN_UP((size_bits + 7) / 8, align);
	if (size > UINT32_MAX) {
		if (t->name)
			fail_at(p, name_loc, "%s %s is too large", is_union ? "union" : "struct", t->name);
		fail_at(p, name_loc, "%s is too large", is_union ? "union" : "struct");
	}
	for (size_t i = 1; i < nf; i++) {
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(fields[i].name, fields[j].name)) {
				report(p, &locs[i], "duplicate member '%s'", fields[i].name);
				note(p, &locs[j], "previous declaration is here");
				bail(p);
			}
		}
	}
	t->fields = fields;
	t->nfields = (uint32_t)nf;
	t->size = (uint32_t)size;
	t->align = align;
	return locs;
}

/* One member declaration ("int a, *b;", "int x : 3;", "union { ... };"),
 * appended at *tail. */
static void parse_member(struct parser *p, struct member ***tail, struct member **flex)
{
	struct spec sp = {0};
	parse_specs(p, &sp);
	if (sp.brace_end && sp.brace_end == p->pos &&
	    (int_keyword(peek(p)) >= 0 || is_tag_kw(peek(p)))) {
		struct loc l = after_prev(p);
		fail_at(p, &l, "expected ';' after %s", sp.defined);
	}
	if (is_punct(peek(p), ';') || is_punct(peek(p), '}')) {
		if (sp.anon_body) {
			struct member *m = arena_alloc(p->a, sizeof(*m));
			m->type = sp.type;
			m->loc = sp.loc;
			m->attrs = sp.attrs;
			m->sub_locs = sp.body_locs;
			**tail = m;
			*tail = &m->next;
			if (*flex)
				goto flex_not_last;
		} else if (!(sp.defined && sp.tagged)) {
			fail_at(p, &sp.loc, "declaration does not declare anything");
		}
		accept(p, ';');
		return;
	}
	for (;;) {
		struct member *m = arena_alloc(p->a, sizeof(*m));
		m->attrs = sp.attrs;
		if (is_punct(peek(p), ':')) {
			m->loc = peek(p)->loc;
			m->type = sp.type;
		} else {
			struct decl d = {0};
			parse_declarator(p, sp.type, &sp.loc, &d, DECL_FLEX);
			m->name = d.name;
			m->loc = d.loc;
			m->flex = d.flex;
			const char *what = arena_printf(p->a, "member '%s'", d.name);
			m->type = complete(p, d.type, d.type == sp.type ? &sp.loc : &d.loc, what);
		}
		parse_attributes(p, &m->attrs);
		if (accept(p, ':')) {
			m->is_bitfield = true;
			struct loc wl;
			struct cval w = const_expr(p, &wl);
			const char *nm = m->name ? m->name : "(anonymous)";
			const struct type *ft = m->type;
			if ((ft->kind != TY_INT && ft->kind != TY_BOOL) || ft == &float_type ||
			    ft == &double_type)
				fail_at(p, &m->loc, "bit-field '%s' has non-integer type '%s'", nm, tname(p, ft));
			uint64_t bits = ft->kind == TY_BOOL ? 1 : (uint64_t)ft->size * 8;
			if (cv_neg(w))
				fail_at(p, &wl, "bit-field '%s' has negative width (%" PRId64 ")", nm, (int64_t)w.v);
			if (w.v > bits)
				fail_at(p, &wl, "width of bit-field '%s' (%" PRIu64 " bits) exceeds "
					"the width of its type (%" PRIu64 " bit%s)", nm, w.v, bits,
					bits == 1 ? "" : "s");
			if (w.v == 0 && m->name)
				fail_at(p, &wl, "named bit-field '%s' has zero width", nm);
			m->width = (uint32_t)w.v;
			parse_attributes(p, &m->attrs);
		} else if (!m->name) {
			fail_at(p, &peek(p)->loc, "expected ':', found %s", describe(p, peek(p)));
		}
		if (*flex)
			goto flex_not_last;
		if (m->flex)
			*flex = m;
		**tail = m;
		*tail = &m->next;
		if (!accept(p, ','))
			break;
	}
	if (!accept(p, ';') && !is_punct(peek(p), '}')) {
		struct loc l = after_prev(p);
		fail_at(p, &l, "expected ';' at end of declaration");
	}
	return;
flex_not_last:
	fail_at(p, &(*flex)->loc, "flexible array member '%s' is not at the end of the struct",
		(*flex)->name);
}

/* `struct|union|enum [attributes] [tag] [attributes]`, up to what follows:
 * the tag's name, or NULL for an anonymous body (which must follow). */
static const struct token *tag_head(struct parser *p, struct spec *sp, struct attrs *a)
{
	const struct token *kw = advance(p);
	parse_attributes(p, a);
	const struct token *name = NULL;
	if (peek(p)->kind == T_IDENT && !is_attr_start(peek(p)))
		name = advance(p);
	parse_attributes(p, a);
	sp->loc = name ? loc_span(kw->loc, name->loc) : kw->loc;
	sp->tagged = name != NULL;
	if (!name && !is_punct(peek(p), '{'))
		fail_at(p, &peek(p)->loc, "expected a name or '{' after '%s'", kw->s);
	return name;
}

/* The tag a body defines; defining it twice is an error. */
static struct tag *begin_definition(struct parser *p, const struct token *name, enum cdefs_kind kind)
{
	struct tag *tg = use_tag(p, name, kind);
	if (tg->defined || tg->defining) {
		report(p, &name->loc, "redefinition of '%s %s'", kind_word(kind), name->s);
		note(p, &tg->loc, "previous definition is here");
		bail(p);
	}
	tg->defining = true;
	tg->loc = name->loc;
	return tg;
}

/* `struct [tag] [{ members }]` (or union), at the keyword. */
static const struct type *parse_struct(struct parser *p, struct spec *sp)
{
	enum cdefs_kind kind = is_kw(peek(p), "union") ? CDEFS_UNION : CDEFS_STRUCT;
	struct attrs sa = {0};
	const struct token *name = tag_head(p, sp, &sa);
	if (!is_punct(peek(p), '{'))
		return use_tag(p, name, kind)->type;
	struct tag *tg = NULL;
	struct type *t;
	if (name) {
		tg = begin_definition(p, name, kind);
		t = tg->type;
	} else {
		t = type_new(p->a, TY_STRUCT);
		t->is_union = kind == CDEFS_UNION;
		t->btf_id = -1;
		sp->anon_body = true;
	}
	const struct token *open = advance(p);
	enter(p, &open->loc);
	struct member *members = NULL, **tail = &members, *flex = NULL;
	while (!accept(p, '}')) {
		if (peek(p)->kind == T_EOF) {
			struct loc l = after_prev(p);
			report(p, &l, "expected '}'");
			note(p, &open->loc, "to match this '{'");
			bail(p);
		}
		if (accept(p, ';'))
			continue;
		parse_member(p, &tail, &flex);
	}
	p->depth--;
	parse_attributes(p, &sa);
	if (flex && kind == CDEFS_UNION)
		fail_at(p, &flex->loc, "flexible array member '%s' in a union", flex->name);
	sp->body_locs = layout(p, t, members, &sa, &sp->loc);
	if (tg) {
		tg->defining = false;
		tg->defined = true;
	}
	sp->defined = kind_word(kind);
	sp->brace_end = p->pos;
	return t;
}

/* ---- enum ------------------------------------------------------------------------ */

static void add_enumerator(struct parser *p, struct enum_def *en, const struct token *name,
			   int64_t v)
{
	struct cdefs *c = p->c;
	struct enumerator *old = find_enumerator(c, name->s);
	if (old) {
		report(p, &name->loc, "redefinition of enumerator '%s'", name->s);
		note(p, &old->loc, "previous definition is here");
		bail(p);
	}
	struct tdef *td = find_tdef(c, name->s);
	if (td) {
		report(p, &name->loc, "redefinition of '%s' as a different kind of symbol", name->s);
		note(p, &td->loc, "previous definition is here");
		bail(p);
	}
	struct enumerator *e = arena_alloc(c->a, sizeof(*e));
	e->name = name->s;
	e->value = v;
	e->owner = en;
	e->loc = name->loc;
	if (c->enums_last)
		c->enums_last->next = e;
	else
		c->enums = e;
	c->enums_last = e;
	if (en->last)
		en->last->next_in_enum = e;
	else
		en->first = e;
	en->last = e;
}

/* The type keeps its enumerators, so values of it print by name. */
static void set_enum_vals(struct parser *p, struct type *t, const struct enum_def *en)
{
	uint32_t n = 0;
	for (const struct enumerator *e = en->first; e; e = e->next_in_enum)
		n++;
	struct enum_val *v = arena_alloc(p->a, n * sizeof(*v) + 1);
	n = 0;
	for (const struct enumerator *e = en->first; e; e = e->next_in_enum)
		v[n++] = (struct enum_val){ e->name, e->value };
	t->enum_vals = v;
	t->n_enum_vals = n;
}

/* `enum [tag] [{ enumerators }]`, at the keyword. */
static const struct type *parse_enum(struct parser *p, struct spec *sp)
{
	struct attrs ea = {0};
	const struct token *name = tag_head(p, sp, &ea);
	if (!is_punct(peek(p), '{')) {
		struct tag *tg = use_tag(p, name, CDEFS_ENUM);
		sp->en = tg->en;
		return tg->type;
	}
	struct tag *tg = NULL;
	struct type *t;
	if (name) {
		tg = begin_definition(p, name, CDEFS_ENUM);
		t = tg->type;
	} else {
		t = type_new(p->a, TY_INT);
	}
	struct enum_def *en = arena_alloc(p->a, sizeof(*en));
	en->type = t;
	const struct token *open = advance(p);
	__int128 next = 0, lo = 0, hi = 0;
	bool any = false;
	while (!is_punct(peek(p), '}')) {
		const struct token *e = peek(p);
		if (e->kind != T_IDENT) {
			if (e->kind == T_EOF) {
				struct loc l = after_prev(p);
				report(p, &l, "expected '}'");
				note(p, &open->loc, "to match this '{'");
				bail(p);
			}
			fail_at(p, &e->loc, "expected an enumerator name, found %s", describe(p, e));
		}
		advance(p);
		struct attrs scratch = {0};
		parse_attributes(p, &scratch);
		__int128 v = next;
		if (accept(p, '=')) {
			struct loc l;
			struct cval cv = const_expr(p, &l);
			v = cv.uns ? (__int128)cv.v : (__int128)(int64_t)cv.v;
		} else if (v > (__int128)UINT64_MAX) {
			fail_at(p, &e->loc, "overflow in enumeration value for '%s'", e->s);
		}
		add_enumerator(p, en, e, (int64_t)(uint64_t)(unsigned __int128)v);
		if (!any || v < lo)
			lo = v;
		if (!any || v > hi)
			hi = v;
		any = true;
		next = v + 1;
		if (!accept(p, ','))
			break;
	}
	if (!accept(p, '}')) {
		struct loc l = after_prev(p);
		report(p, &l, peek(p)->kind == T_EOF ? "expected '}'" : "expected ',' or '}'");
		note(p, &open->loc, "to match this '{'");
		bail(p);
	}
	parse_attributes(p, &ea);
	if (!any)
		fail_at(p, &sp->loc, "enum has no enumerators");
	if (lo < 0 && hi > INT64_MAX)
		fail_at(p, &sp->loc, "enumeration values exceed the range of the largest integer");
	bool is_signed = lo < 0;
	uint32_t size;
	if (ea.packed) {
		size = 8;
		for (uint32_t s = 1; s < 8; s *= 2) {
			__int128 min = is_signed ? -((__int128)1 << (8 * s - 1)) : 0;
			__int128 max = is_signed ? ((__int128)1 << (8 * s - 1)) - 1 : ((__int128)1 << (8 * s)) - 1;
			if (lo >= min && hi <= max) {
				size = s;
				break;
			}
		}
	} else if (is_signed) {
		size = lo >= INT32_MIN && hi <= INT32_MAX ? 4 : 8;
	} else {
		size = hi <= UINT32_MAX ? 4 : 8;
	}
	t->size = size;
	t->align = ea.aligned > size ? ea.aligned : size;
	set_enum_vals(p, t, en);
	t->is_signed = is_signed;
	if (tg) {
		tg->en = en;
		tg->defining = false;
		tg->defined = true;
	}
	sp->en = en;
	sp->defined = "enum";
	sp->brace_end = p->pos;
	return t;
}

/* ---- typedefs and the top level ---------------------------------------------------- */

static bool same_type(const struct type *a, const struct type *b)
{
	if (a == b)
		return true;
	if (a == &func_marker || b == &func_marker || a->kind != b->kind || a->kind == TY_STRUCT)
		return false;
	return type_equal(a, b) && a->align == b->align;
}

static void define_typedef(struct parser *p, const struct decl *d, const struct type *t,
			   const struct enum_def *en)
{
	struct cdefs *c = p->c;
	struct enumerator *e = find_enumerator(c, d->name);
	if (e) {
		report(p, &d->loc, "redefinition of '%s' as a different kind of symbol", d->name);
		note(p, &e->loc, "previous definition is here");
		bail(p);
	}
	struct tdef *old = find_tdef(c, d->name);
	if (old) {
		if (same_type(old->type, t))
			return;
		report(p, &d->loc, "typedef redefinition with different types ('%s' vs '%s')",
		       tname(p, t), tname(p, old->type));
		note(p, &old->loc, "previous definition is here");
		bail(p);
	}
	struct tdef *td = arena_alloc(c->a, sizeof(*td));
	td->name = d->name;
	td->type = t;
	td->en = en;
	td->loc = d->loc;
	td->next = c->tdefs;
	c->tdefs = td;
}

static void parse_typedef(struct parser *p)
{
	advance(p);
	struct spec sp = {0};
	parse_specs(p, &sp);
	if (is_punct(peek(p), ';'))
		fail_at(p, &peek(p)->loc, "typedef requires a name");
	for (;;) {
		struct decl d = {0};
		parse_declarator(p, sp.type, &sp.loc, &d, 0);
		struct attrs at = sp.attrs;
		parse_attributes(p, &at);
		const struct type *t = d.type;
		const struct enum_def *en = t == sp.type ? sp.en : NULL;
		struct tag *tg = tag_of_type(p->c, t);
		bool incomplete = tg && !tg->defined;
		if (t == sp.type && sp.anon_body && !t->name) {
			/* typedef struct { ... } name_t; */
			((struct type *)t)->name = d.name;
		} else if (t->kind == TY_INT && !incomplete) {
			/* Integers and enums keep the typedef's name. */
			struct type *named = arena_alloc(p->a, sizeof(*named));
			*named = *t;
			named->name = d.name;
			t = named;
		}
		if (at.aligned) {
			if (incomplete || t == type_none() || t == &func_marker)
				fail_at(p, &d.loc, "aligned attribute on a typedef of an incomplete type");
			struct type *al = arena_alloc(p->a, sizeof(*al));
			*al = *t;
			al->align = at.aligned;
			t = al;
		}
		define_typedef(p, &d, t, en);
		if (!accept(p, ','))
			break;
	}
	if (!accept(p, ';')) {
		struct loc l = after_prev(p);
		fail_at(p, &l, "expected ';' after typedef");
	}
}

static void parse_top(struct parser *p)
{
	while (peek(p)->kind != T_EOF) {
		if (accept(p, ';'))
			continue;
		if (is_kw(peek(p), "typedef")) {
			parse_typedef(p);
			continue;
		}
		struct spec sp = {0};
		parse_specs(p, &sp);
		const struct token *t = peek(p);
		bool after_body = sp.brace_end && sp.brace_end == p->pos;
		/* `struct { ... };` or `int;` (an anonymous enum defines its
		 * enumerators) */
		if ((is_punct(t, ';') || (after_body && t->kind == T_EOF)) &&
		    (sp.anon_body || (!sp.tagged && !sp.defined)))
			fail_at(p, &sp.loc, "declaration does not declare anything");
		if (accept(p, ';'))
			continue;
		after_body = sp.brace_end && sp.brace_end == p->pos;
		/* bpftrace takes `struct foo { ... }` without the ';'. */
		if (after_body && (t->kind == T_EOF || at_new_definition(p)))
			continue;
		if (after_body && (int_keyword(t) >= 0 || is_tag_kw(t) || is_kw(t, "typedef")))
			t = NULL;
		if (t && (t->kind == T_IDENT || is_punct(t, '*') || is_punct(t, '(')))
			fail_at(p, &t->loc, "declarations of variables and functions are not supported; "
			        "only struct, union and enum definitions and typedefs are");
		struct loc l = after_prev(p);
		if (sp.defined)
			fail_at(p, &l, "expected ';' after %s", sp.defined);
		fail_at(p, &l, "expected ';' after declaration");
	}
}

/* ---- the API ---------------------------------------------------------------------- */

struct cdefs *cdefs_new(struct arena *a)
{
	struct cdefs *c = arena_alloc(a, sizeof(*c));
	c->a = a;
	c->void_target = type_new(a, TY_INT);
	c->void_target->size = c->void_target->align = 1;
	c->void_target->name = "void";
	c->wide = type_new(a, TY_ARRAY);
	c->wide->elem = type_u64();
	c->wide->count = 2;
	c->wide->size = c->wide->align = 16;
	return c;
}

int cdefs_parse(struct cdefs *c, const char *text, const struct loc *at, struct diag *d)
{
	struct parser *p = xcalloc(1, sizeof(*p));
	p->c = c;
	p->d = d;
	p->a = c->a;
	int rc = 0;
	if (!setjmp(p->fail)) {
		lex(p, text ? text : "", at);
		parse_top(p);
	} else {
		rc = -1;
		for (struct tag *t = c->tags; t; t = t->next)
			t->defining = false;
	}
	vec_free(&p->toks);
	free(p);
	return rc;
}

static const char *skip_prefix(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(name, prefix, n) ? name : name + n;
}

const struct type *cdefs_struct(const struct cdefs *c, const char *name, bool is_union)
{
	(void)is_union;
	name = skip_prefix(skip_prefix(name, "struct "), "union ");
	struct tag *t = find_tag(c, name);
	return t && t->defined && t->kind != CDEFS_ENUM ? t->type : NULL;
}

const struct type *cdefs_enum(const struct cdefs *c, const char *name)
{
	struct tag *t = find_tag(c, skip_prefix(name, "enum "));
	return t && t->defined && t->kind == CDEFS_ENUM ? t->type : NULL;
}

const struct type *cdefs_typedef(const struct cdefs *c, const char *name)
{
	struct tdef *t = find_tdef(c, name);
	return t && t->type != &func_marker ? t->type : NULL;
}

bool cdefs_enum_value(const struct cdefs *c, const char *name, int64_t *value)
{
	struct enumerator *e = find_enumerator(c, name);
	if (e && value)
		*value = e->value;
	return e != NULL;
}

const struct type *cdefs_enumerator_type(const struct cdefs *c, const char *name)
{
	struct enumerator *e = find_enumerator(c, name);
	return e ? e->owner->type : NULL;
}

const char *cdefs_enum_name(const struct cdefs *c, const char *enum_name, int64_t value)
{
	if (!enum_name)
		return NULL;
	const struct enum_def *en = NULL;
	struct tag *t = find_tag(c, skip_prefix(enum_name, "enum "));
	if (t && t->kind == CDEFS_ENUM)
		en = t->en;
	if (!en) {
		struct tdef *td = find_tdef(c, enum_name);
		if (td)
			en = td->en;
	}
	if (!en)
		return NULL;
	for (struct enumerator *e = en->first; e; e = e->next_in_enum)
		if (e->value == value)
			return e->name;
	return NULL;
}

void cdefs_set_resolver(struct cdefs *c, cdefs_resolver resolve, void *arg)
{
	c->resolve = resolve;
	c->resolve_arg = arg;
}

void cdefs_set_const_resolver(struct cdefs *c, cdefs_const_resolver resolve, void *arg)
{
	c->cresolve = resolve;
	c->cresolve_arg = arg;
}
