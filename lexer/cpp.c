#include "cpp.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_NESTING 64

struct cond {
	bool parent_active;   /* the enclosing region is active */
	bool taken;           /* some branch of this #if was chosen */
	bool active;
	bool seen_else;
	struct loc loc;
};

struct cpp {
	const struct source *src;
	struct arena *a;
	struct diag *d;
	struct cpp_result *out;
	struct cond stack[MAX_NESTING];
	int depth;
	int line;
};

static bool active(const struct cpp *c)
{
	return c->depth == 0 || c->stack[c->depth - 1].active;
}

static struct loc line_loc(const struct cpp *c, int col, int len)
{
	return (struct loc){ c->src, c->line, col, c->line, col + (len > 0 ? len : 1) };
}

static const struct cpp_define *find_define(const struct cpp *c, const char *name, size_t n)
{
	for (size_t i = c->out->defines.n; i-- > 0;) {
		const struct cpp_define *def = &c->out->defines.v[i];
		if (strlen(def->name) == n && !strncmp(def->name, name, n))
			return def;
	}
	return NULL;
}

static void define(struct cpp *c, const char *name, size_t n, const char *value, struct loc loc)
{
	struct cpp_define def = { arena_strndup(c->a, name, n), arena_strdup(c->a, value), loc };
	vec_push(&c->out->defines, def);
}

static void undefine(struct cpp *c, const char *name, size_t n)
{
	for (size_t i = 0; i < c->out->defines.n; i++) {
		struct cpp_define *def = &c->out->defines.v[i];
		if (strlen(def->name) == n && !strncmp(def->name, name, n))
			def->name = "";
	}
}

/* ---- #if expressions ---- */

/* Expanding macros inside #if: C does not expand a macro inside its own
 * expansion (there it is an unknown name, 0), and a condition may expand
 * at most EVAL_EXPANSIONS macros, EVAL_DEPTH deep, since a few macros that
 * each name the next several times would otherwise take exponential time. */
#define EVAL_EXPANSIONS 4096
#define EVAL_DEPTH 64

struct eval_budget {
	unsigned expansions;
	bool exceeded;
};

struct eval {
	struct cpp *c;
	const char *p;
	bool error;
	int depth;
	const struct eval *up;             /* the expansion this one is inside */
	const struct cpp_define *def;      /* the macro being expanded, or NULL */
	struct eval_budget *budget;
};

static void skip_ws(struct eval *e)
{
	while (*e->p == ' ' || *e->p == '\t')
		e->p++;
}

static bool accept(struct eval *e, const char *tok)
{
	skip_ws(e);
	size_t n = strlen(tok);
	if (strncmp(e->p, tok, n))
		return false;
	/* "<" must not swallow the start of "<=" etc. */
	if (n == 1 && strchr("<>=!&|", tok[0]) && (e->p[1] == '=' || (tok[0] != '!' && e->p[1] == tok[0])))
		return false;
	e->p += n;
	return true;
}

static int64_t eval_or(struct eval *e);

static int64_t eval_define_value(struct eval *e, const struct cpp_define *def)
{
	for (const struct eval *u = e; u; u = u->up)
		if (u->def == def)
			return 0;
	if (e->depth >= EVAL_DEPTH || ++e->budget->expansions > EVAL_EXPANSIONS) {
		e->budget->exceeded = true;
		e->error = true;
		return 0;
	}
	struct eval sub = { e->c, def->value, false, e->depth + 1, e, def, e->budget };
	skip_ws(&sub);
	if (!*sub.p)
		return 0;
	int64_t v = eval_or(&sub);
	if (e->budget->exceeded)
		e->error = true;
	return sub.error ? 0 : v;
}

static int64_t eval_primary(struct eval *e)
{
	skip_ws(e);
	if (accept(e, "(")) {
		int64_t v = eval_or(e);
		if (!accept(e, ")"))
			e->error = true;
		return v;
	}
	if (isdigit((unsigned char)*e->p)) {
		char *end;
		int64_t v = (int64_t)strtoull(e->p, &end, 0);
		while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
			end++;
		e->p = end;
		return v;
	}
	if (isalpha((unsigned char)*e->p) || *e->p == '_') {
		const char *s = e->p;
		while (isalnum((unsigned char)*e->p) || *e->p == '_')
			e->p++;
		size_t n = (size_t)(e->p - s);
		if (n == 7 && !strncmp(s, "defined", 7)) {
			bool paren = accept(e, "(");
			skip_ws(e);
			const char *ns = e->p;
			while (isalnum((unsigned char)*e->p) || *e->p == '_')
				e->p++;
			/* The name's length, taken before the ')' is consumed. */
			size_t nn = (size_t)(e->p - ns);
			if (nn == 0 || (paren && !accept(e, ")")))
				e->error = true;
			return find_define(e->c, ns, nn) != NULL;
		}
		const struct cpp_define *def = find_define(e->c, s, n);
		return def ? eval_define_value(e, def) : 0;
	}
	e->error = true;
	return 0;
}

static int64_t eval_unary(struct eval *e)
{
	if (accept(e, "!"))
		return !eval_unary(e);
	if (accept(e, "-"))
		return -eval_unary(e);
	if (accept(e, "~"))
		return ~eval_unary(e);
	return eval_primary(e);
}

static int64_t eval_mul(struct eval *e)
{
	int64_t v = eval_unary(e);
	for (;;) {
		if (accept(e, "*"))
			v *= eval_unary(e);
		else if (accept(e, "/") || accept(e, "%")) {
			char op = e->p[-1];
			int64_t r = eval_unary(e);
			if (r == 0) {
				e->error = true;
				return 0;
			}
			v = op == '/' ? v / r : v % r;
		} else
			return v;
	}
}

static int64_t eval_add(struct eval *e)
{
	int64_t v = eval_mul(e);
	for (;;) {
		if (accept(e, "+"))
			v += eval_mul(e);
		else if (accept(e, "-"))
			v -= eval_mul(e);
		else
			return v;
	}
}

static int64_t eval_rel(struct eval *e)
{
	int64_t v = eval_add(e);
	for (;;) {
		if (accept(e, "<="))
			v = v <= eval_add(e);
		else if (accept(e, ">="))
			v = v >= eval_add(e);
		else if (accept(e, "<"))
			v = v < eval_add(e);
		else if (accept(e, ">"))
			v = v > eval_add(e);
		else
			return v;
	}
}

static int64_t eval_eq(struct eval *e)
{
	int64_t v = eval_rel(e);
	for (;;) {
		if (accept(e, "=="))
			v = v == eval_rel(e);
		else if (accept(e, "!="))
			v = v != eval_rel(e);
		else
			return v;
	}
}

static int64_t eval_and(struct eval *e)
{
	int64_t v = eval_eq(e);
	while (accept(e, "&&")) {
		int64_t r = eval_eq(e);
		v = v && r;
	}
	return v;
}

static int64_t eval_or(struct eval *e)
{
	int64_t v = eval_and(e);
	while (accept(e, "||")) {
		int64_t r = eval_and(e);
		v = v || r;
	}
	return v;
}

static bool eval_condition(struct cpp *c, const char *expr, int col)
{
	struct eval_budget budget = { 0, false };
	struct eval e = { c, expr, false, 0, NULL, NULL, &budget };
	int64_t v = eval_or(&e);
	skip_ws(&e);
	if (e.error || *e.p) {
		struct loc l = line_loc(c, col, (int)strlen(expr));
		if (budget.exceeded)
			diag_error(c->d, &l, "this #if condition expands more than %d macros, or nests them deeper than %d",
				   EVAL_EXPANSIONS, EVAL_DEPTH);
		else
			diag_error(c->d, &l, "cannot evaluate this #if condition");
		return false;
	}
	return v != 0;
}

/* ---- directives ---- */

static size_t ident_len(const char *s)
{
	size_t n = 0;
	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n;
}

/* The directive's argument text with comments and trailing space removed. */
static char *directive_arg(struct cpp *c, const char *s, size_t len)
{
	char *r = arena_strndup(c->a, s, len);
	char *cut = strstr(r, "//");
	if (cut)
		*cut = 0;
	while ((cut = strstr(r, "/*"))) {
		char *end = strstr(cut + 2, "*/");
		if (!end) {
			*cut = 0;
			break;
		}
		memmove(cut, end + 2, strlen(end + 2) + 1);
	}
	size_t n = strlen(r);
	while (n && isspace((unsigned char)r[n - 1]))
		r[--n] = 0;
	while (*r == ' ' || *r == '\t')
		r++;
	return r;
}

static void push_cond(struct cpp *c, bool value, struct loc loc)
{
	if (c->depth == MAX_NESTING) {
		diag_error(c->d, &loc, "#if nesting is too deep");
		return;
	}
	bool parent = active(c);
	c->stack[c->depth++] = (struct cond){ parent, parent && value, parent && value, false, loc };
}

static void directive(struct cpp *c, const char *line, size_t len, int hash_col)
{
	const char *p = line + hash_col;   /* just past '#' */
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = ident_len(p);
	char name[16];
	snprintf(name, sizeof(name), "%.*s", (int)(n < 15 ? n : 15), p);
	const char *rest = p + n;
	size_t rest_len = len - (size_t)(rest - line);
	char *arg = directive_arg(c, rest, rest_len);
	int col = (int)(p - line) + 1;
	struct loc l = line_loc(c, col, (int)n);
	struct cond *top = c->depth ? &c->stack[c->depth - 1] : NULL;

	if (!strcmp(name, "ifdef") || !strcmp(name, "ifndef")) {
		bool def = find_define(c, arg, ident_len(arg)) != NULL;
		push_cond(c, name[2] == 'd' ? def : !def, l);
	} else if (!strcmp(name, "if")) {
		push_cond(c, active(c) && eval_condition(c, arg, col + 3), l);
	} else if (!strcmp(name, "elif") || !strcmp(name, "else")) {
		if (!top || top->seen_else) {
			diag_error(c->d, &l, top ? "#%s after #else" : "#%s without #if", name);
			return;
		}
		bool take = !top->taken && top->parent_active &&
			    (name[1] == 'l' && name[2] == 's' ? true : eval_condition(c, arg, col + 5));
		top->active = take;
		top->taken = top->taken || take;
		top->seen_else = name[2] == 's';
	} else if (!strcmp(name, "endif")) {
		if (!top)
			diag_error(c->d, &l, "#endif without #if");
		else
			c->depth--;
	} else if (!active(c)) {
		return;
	} else if (!strcmp(name, "define")) {
		size_t nl = ident_len(arg);
		if (!nl) {
			diag_error(c->d, &l, "#define needs a name");
		} else if (arg[nl] == '(') {
			diag_error(c->d, &l, "function-like macros are not supported; use a macro definition");
		} else {
			const char *v = arg + nl;
			while (*v == ' ' || *v == '\t')
				v++;
			define(c, arg, nl, v, l);
		}
	} else if (!strcmp(name, "undef")) {
		undefine(c, arg, ident_len(arg));
	} else if (!strcmp(name, "include") || !strcmp(name, "pragma")) {
		/* Types come from BTF: headers are not read. */
	} else if (!strcmp(name, "error")) {
		diag_error(c->d, &l, "#error %s", arg);
	} else if (!strcmp(name, "warning")) {
		diag_warning(c->d, &l, "#warning %s", arg);
	} else {
		diag_error(c->d, &l, "unknown preprocessor directive #%s", name);
	}
}

static void blank(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\n')
			s[i] = ' ';
}

int cpp_run(const struct source *src, struct arena *a, struct cpp_result *out, struct diag *d)
{
	memset(out, 0, sizeof(*out));
	struct cpp c = { .src = src, .a = a, .d = d, .out = out };
	if (access("/sys/kernel/btf/vmlinux", R_OK) == 0) {
		struct loc none = {0};
		define(&c, "BPFTRACE_HAVE_BTF", 17, "1", none);
		define(&c, "TRAWK_HAVE_BTF", 14, "1", none);
	}
	int errors = d->errors;
	out->text = xmalloc(src->len + 1);
	memcpy(out->text, src->text, src->len);
	out->text[src->len] = 0;
	char *s = out->text, *end = s + src->len;
	bool in_comment = false;
	for (c.line = 1; s < end; c.line++) {
		char *eol = memchr(s, '\n', (size_t)(end - s));
		size_t len = eol ? (size_t)(eol - s) : (size_t)(end - s);
		size_t i = 0;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		bool is_directive = !in_comment && i < len && s[i] == '#';
		if (c.line == 1 && len >= 2 && s[0] == '#' && s[1] == '!') {
			blank(s, len);
		} else if (is_directive) {
			/* Directives may continue on the next line after a backslash. */
			size_t total = len;
			while (eol && total && s[total - 1] == '\\') {
				s[total - 1] = ' ';
				char *next = memchr(eol + 1, '\n', (size_t)(end - eol - 1));
				total = next ? (size_t)(next - s) : (size_t)(end - s);
				eol = next;
				c.line++;
			}
			char *copy = arena_strndup(a, s, total);
			for (char *q = copy; *q; q++)
				if (*q == '\n')
					*q = ' ';
			directive(&c, copy, total, (int)i + 1);
			blank(s, total);
			len = total;
		} else if (!active(&c)) {
			blank(s, len);
		} else {
			/* Track block comments so a '#' inside one is not a directive. */
			for (size_t k = 0; k + 1 < len; k++) {
				if (!in_comment && s[k] == '/' && s[k + 1] == '*')
					in_comment = true, k++;
				else if (in_comment && s[k] == '*' && s[k + 1] == '/')
					in_comment = false, k++;
			}
		}
		s += len + (eol ? 1 : 0);
		if (!eol)
			break;
	}
	if (c.depth)
		diag_error(d, &c.stack[c.depth - 1].loc, "#if without #endif");
	return d->errors > errors ? -1 : 0;
}

void cpp_result_free(struct cpp_result *r)
{
	free(r->text);
	vec_free(&r->defines);
}
