/* Macros: "macro name(a, $b, @c) { ...; expr }".  A use is replaced by a
 * copy of the body: expression parameters are substituted, variable and map
 * parameters renamed to the caller's, and the body's own variables renamed
 * apart so that they never meet the caller's (hygiene).
 *
 * Every use in the probes is expanded once, before type inference, and
 * errors go straight to the real diagnostics: the type passes run several
 * times over a tree that expansion has already rewritten, so an error
 * reported during one of their quiet passes would be lost. */
#include "internal.h"

#include <string.h>

#include "../parser/parse.h"

/* A backstop for expansions that go through #defines (which the recursion
 * check below cannot see). */
#define MAX_MACRO_DEPTH 32

/* Builtins that are plain trawk code, as in bpftrace's standard library:
 * stdlib/prelude.bt, compiled in (prelude.c is generated from it). */
extern const char trawk_prelude[];
extern const size_t trawk_prelude_len;

/* A macro's body is checked for hygiene at its first use (as bpftrace does,
 * an unused macro is not checked); the verdict is kept in the node's id. */
enum { CHECK_PENDING = -1, CHECK_OK = 1, CHECK_FAILED = 2 };

static void load_prelude(struct sema *s)
{
	const struct source src = { "<builtin>", trawk_prelude, trawk_prelude_len };
	struct node *root = parse_program(s->a, &src, s->real);
	for (size_t i = 0; root && i < root->list.n; i++)
		vec_push(&s->macros, root->list.v[i]);
	s->nprelude = s->macros.n;
}

/* Two parameters with one name would make every use of it ambiguous. */
static bool params_unique(struct sema *s, struct node *m)
{
	for (size_t i = 0; i < m->list.n; i++) {
		for (size_t j = 0; j < i; j++) {
			struct node *p = m->list.v[i];
			if (!strcmp(p->name, m->list.v[j]->name)) {
				diag_error(s->real, &p->loc, "macro %s has two parameters named %s",
					   m->name, p->name);
				return false;
			}
		}
	}
	return true;
}

void sema_collect_macros(struct sema *s, struct node *prog)
{
	load_prelude(s);
	for (size_t i = 0; i < prog->list.n; i++) {
		struct node *m = prog->list.v[i];
		if (m->kind != N_MACRO)
			continue;
		m->id = params_unique(s, m) ? CHECK_PENDING : CHECK_FAILED;
		for (size_t j = s->nprelude; j < s->macros.n; j++) {
			struct node *o = s->macros.v[j];
			if (!strcmp(o->name, m->name) && o->list.n == m->list.n) {
				diag_error(s->real, &m->loc, "macro %s with %zu parameter%s is defined twice",
					   m->name, m->list.n, m->list.n == 1 ? "" : "s");
			}
		}
		vec_push(&s->macros, m);
	}
}

/* ---- hygiene: what a macro's body may see ---- */

struct hscope {
	struct hscope *up;
	VEC(const char *) names;
};

struct hygiene {
	struct sema *s;
	struct node *macro;
	struct hscope *scope;
	bool ok;
};

static bool is_param(const struct node *macro, enum node_kind kind, const char *name)
{
	for (size_t i = 0; i < macro->list.n; i++)
		if (macro->list.v[i]->kind == kind && !strcmp(macro->list.v[i]->name, name))
			return true;
	return false;
}

static bool visible(const struct hygiene *h, const char *name)
{
	if (is_param(h->macro, N_VAR, name))
		return true;
	for (const struct hscope *sc = h->scope; sc; sc = sc->up)
		for (size_t i = 0; i < sc->names.n; i++)
			if (!strcmp(sc->names.v[i], name))
				return true;
	return false;
}

static void declare(struct hygiene *h, const char *name)
{
	vec_push(&h->scope->names, name);
}

static bool declares(const struct node *n, const void *name)
{
	bool decl = n->kind == N_ASSIGN || n->kind == N_LET || n->kind == N_FOR_MAP ||
		    n->kind == N_FOR_RANGE;
	return decl && n->left && n->left->kind == N_VAR && !strcmp(n->left->name, name);
}

/* Does the subtree assign or declare the variable anywhere? */
static bool assigns(const struct node *n, const char *name)
{
	return node_any(n, declares, name);
}

static void read_var(struct hygiene *h, struct node *v)
{
	if (visible(h, v->name))
		return;
	if (assigns(h->macro->body, v->name))
		diag_error(h->s->real, &v->loc, "variable %s is used before it is assigned", v->name);
	else
		diag_error(h->s->real, &v->loc,
			   "macro %s uses variable %s, which is not one of its parameters; "
			   "a macro sees only its parameters and its own variables",
			   h->macro->name, v->name);
	h->ok = false;
	declare(h, v->name);   /* once is enough */
}

static void use_map(struct hygiene *h, struct node *m)
{
	if (is_param(h->macro, N_MAP, m->name))
		return;
	diag_error(h->s->real, &m->loc,
		   "macro %s uses map %s, which is not one of its parameters; "
		   "maps must be passed to a macro as arguments", h->macro->name, m->name);
	h->ok = false;
}

/* let, and the variable of a for loop: a new variable that must not hide
 * one already visible, as in any block. */
static void declare_new(struct hygiene *h, struct node *v)
{
	if (is_param(h->macro, N_VAR, v->name)) {
		diag_error(h->s->real, &v->loc, "variable %s is a parameter of macro %s; it cannot be declared again",
			   v->name, h->macro->name);
		h->ok = false;
	} else if (visible(h, v->name)) {
		diag_error(h->s->real, &v->loc, "variable %s is already declared", v->name);
		h->ok = false;
	}
	declare(h, v->name);
}

static void walk(struct hygiene *h, struct node *n);

static void walk_scoped(struct hygiene *h, struct node *n, struct node *loop_var)
{
	struct hscope sc = { .up = h->scope };
	h->scope = &sc;
	if (loop_var)
		declare_new(h, loop_var);
	walk(h, n);
	h->scope = sc.up;
	vec_free(&sc.names);
}

static void walk_child(struct node *n, void *h)
{
	walk(h, n);
}

static void walk_children(struct hygiene *h, struct node *n)
{
	node_each_child(n, walk_child, h);
}

/* Follows sema's scoping (stmt.c): a block opens a scope, an assignment to
 * an unknown variable declares it, its value is read first. */
static void walk(struct hygiene *h, struct node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case N_VAR:
		read_var(h, n);
		return;
	case N_MAP:
		use_map(h, n);
		walk_children(h, n);
		return;
	case N_BLOCK: {
		struct hscope sc = { .up = h->scope };
		h->scope = &sc;
		for (size_t i = 0; i < n->list.n; i++)
			walk(h, n->list.v[i]);
		h->scope = sc.up;
		vec_free(&sc.names);
		return;
	}
	case N_ASSIGN:
		walk(h, n->right);
		if (n->left && n->left->kind == N_VAR && !n->op && !visible(h, n->left->name))
			declare(h, n->left->name);
		else
			walk(h, n->left);
		return;
	case N_LET:
		walk(h, n->right);
		declare_new(h, n->left);
		return;
	case N_FOR_RANGE:
		walk(h, n->cond);
		walk(h, n->right);
		walk_scoped(h, n->body, n->left);
		return;
	case N_FOR_MAP:
		walk(h, n->right);
		walk_scoped(h, n->body, n->left);
		return;
	default:
		walk_children(h, n);
		return;
	}
}

/* Checked once per macro: errors point into its body. */
static bool hygienic(struct sema *s, struct node *macro)
{
	if (macro->id == CHECK_PENDING) {
		struct hscope root = {0};
		struct hygiene h = { s, macro, &root, true };
		walk(&h, macro->body);
		vec_free(&root.names);
		macro->id = h.ok ? CHECK_OK : CHECK_FAILED;
	}
	return macro->id == CHECK_OK;
}

/* ---- expansion ---- */

/* The macros being expanded around a use, innermost first. */
struct expansion {
	const struct node *macro;
	const struct expansion *up;
};

struct subst {
	struct sema *s;
	struct node *macro;
	struct node *call;
	int serial;
	uint64_t depth;     /* expansion depth of the body's own macro uses */
	bool from_prelude;
};

static long param_index(struct node *macro, enum node_kind kind, const char *name)
{
	for (size_t i = 0; i < macro->list.n; i++)
		if (macro->list.v[i]->kind == kind && !strcmp(macro->list.v[i]->name, name))
			return (long)i;
	return -1;
}

/* The body's own variables get the expansion's serial number. */
static const char *private_name(struct subst *x, const char *name)
{
	return arena_printf(x->s->a, "%s`%d", name, x->serial);
}

static void substitute(struct subst *x, struct node **slot);

/* An operator chain: its operators only move, when from the prelude. */
static void substitute_chain(struct subst *x, struct node *top)
{
	size_t len;
	struct node **chain = binop_chain(top, &len);
	for (size_t i = 0; i < len; i++)
		if (x->from_prelude)
			chain[i]->loc = x->call->loc;
	substitute(x, &chain[0]->left);
	for (size_t i = 0; i < len; i++)
		substitute(x, &chain[i]->right);
	free(chain);
}

static void substitute(struct subst *x, struct node **slot)
{
	struct node *n = *slot;
	if (!n)
		return;
	if (n->kind == N_BINOP) {
		substitute_chain(x, n);
		return;
	}
	if (n->kind == N_IDENT) {
		long i = param_index(x->macro, N_IDENT, n->name);
		if (i >= 0) {
			*slot = node_clone(x->s->a, x->call->list.v[i]);
			return;
		}
	}
	if (n->kind == N_VAR) {
		long i = param_index(x->macro, N_VAR, n->name);
		struct node *arg = i >= 0 ? x->call->list.v[i] : NULL;
		/* A variable argument is passed by reference; any other value was
		 * bound to a private variable (bind_values). */
		n->name = arg && arg->kind == N_VAR ? arg->name : private_name(x, n->name);
	}
	if (n->kind == N_MAP) {
		long i = param_index(x->macro, N_MAP, n->name);
		if (i >= 0)
			n->name = x->call->list.v[i]->name;
	}
	/* A builtin macro's errors belong at the script's use of it. */
	if (x->from_prelude)
		n->loc = x->call->loc;
	/* Calls and identifiers carry their expansion depth in num. */
	if (n->kind == N_CALL || n->kind == N_IDENT)
		n->num = x->depth;
	for (size_t i = 0; i < n->list.n; i++)
		substitute(x, &n->list.v[i]);
	substitute(x, &n->left);
	substitute(x, &n->right);
	substitute(x, &n->cond);
	substitute(x, &n->body);
	substitute(x, &n->els);
}

/* A $x parameter given a value rather than a variable: the value is
 * evaluated once, into a private variable, before the body. */
static void bind_values(struct subst *x, struct node *body)
{
	nodelist stmts = {0};
	for (size_t i = 0; i < x->macro->list.n; i++) {
		struct node *p = x->macro->list.v[i], *arg = x->call->list.v[i];
		if (p->kind != N_VAR || arg->kind == N_VAR)
			continue;
		struct node *var = node_new(x->s->a, N_VAR, arg->loc);
		var->name = private_name(x, p->name);
		struct node *assign = node_new(x->s->a, N_ASSIGN, arg->loc);
		assign->left = var;
		assign->right = arg;
		nodelist_push(x->s->a, &stmts, assign);
	}
	if (!stmts.n)
		return;
	for (size_t i = 0; i < body->list.n; i++)
		nodelist_push(x->s->a, &stmts, body->list.v[i]);
	body->list = stmts;
}

static const char *arg_kind(const struct node *a)
{
	if (a->kind == N_VAR)
		return "a variable";
	if (a->kind == N_MAP && !a->list.n)
		return "a map";
	return "an expression";
}

/* $x takes a variable (or a value, bound once), @m a whole map. */
static bool args_fit(struct sema *s, struct node *macro, struct node *call)
{
	bool ok = true;
	for (size_t i = 0; i < macro->list.n; i++) {
		struct node *p = macro->list.v[i], *a = call->list.v[i];
		bool bad_var = p->kind == N_VAR && a->kind == N_MAP && !a->list.n;
		bool bad_map = p->kind == N_MAP && (a->kind != N_MAP || a->list.n);
		if (bad_var || bad_map) {
			diag_error(s->real, &a->loc, "macro %s expects %s for %s, not %s", macro->name,
				   bad_var ? "a variable" : "a map", p->name, arg_kind(a));
			ok = false;
		}
	}
	return ok;
}

struct lookup {
	struct node *found;     /* same name and arity: the script's, else the prelude's */
	bool found_in_prelude;
	struct node *named;     /* any macro of that name, the script's first */
	bool named_in_prelude;
};

static struct lookup find_macro(struct sema *s, const char *name, size_t nargs)
{
	struct lookup l = {0};
	for (size_t i = 0; i < s->macros.n; i++) {
		struct node *m = s->macros.v[i];
		if (strcmp(m->name, name))
			continue;
		bool prelude = i < s->nprelude;
		if (!l.named || !prelude) {
			l.named = m;
			l.named_in_prelude = prelude;
		}
		if (m->list.n == nargs) {
			l.found = m;
			l.found_in_prelude = prelude;
		}
	}
	return l;
}

static bool is_define(const struct sema *s, const char *name)
{
	for (size_t i = 0; i < s->opts->ndefines; i++)
		if (!strcmp(s->opts->define_names[i], name))
			return true;
	return false;
}

/* A use that cannot be expanded becomes 0, so that nothing cascades. */
static void drop_use(struct node *n)
{
	n->kind = N_INT;
	n->num = 0;
	n->list = (nodelist){0};
}

/* "1 argument", "0 or 1 arguments": what the macros of that name take,
 * the script's if it has any, else the prelude's. */
static const char *arities(struct sema *s, const char *name, bool in_prelude)
{
	size_t from = in_prelude ? 0 : s->nprelude, to = in_prelude ? s->nprelude : s->macros.n;
	const char *text = NULL;
	size_t count = 0, last = 0;
	/* Ascending, each arity once: the smallest above the last listed. */
	for (;;) {
		size_t next = SIZE_MAX;
		for (size_t i = from; i < to; i++) {
			const struct node *m = s->macros.v[i];
			bool above = count == 0 || m->list.n > last;
			if (!strcmp(m->name, name) && above && m->list.n < next)
				next = m->list.n;
		}
		if (next == SIZE_MAX)
			break;
		text = count ? arena_printf(s->a, "%s or %zu", text, next) : arena_printf(s->a, "%zu", next);
		last = next;
		count++;
	}
	return arena_printf(s->a, "%s argument%s", text, count == 1 && last == 1 ? "" : "s");
}

static bool wrong_arity(struct sema *s, struct node *n, const struct lookup *l)
{
	size_t nargs = n->kind == N_CALL ? n->list.n : 0;
	/* A bare name that is also a builtin or a #define is that instead. */
	if (n->kind == N_IDENT && (builtin_find(n->name) || is_define(s, n->name)))
		return false;
	diag_error(s->real, &n->loc, "macro %s takes %s, not %zu", n->name,
		   arities(s, n->name, l->named_in_prelude), nargs);
	drop_use(n);
	return true;
}

static bool recursive(struct sema *s, struct node *n, const struct node *m, const struct expansion *up)
{
	const struct expansion *e = up;
	while (e && e->macro != m)
		e = e->up;
	if (!e)
		return false;
	/* The chain from the first use of m down to this one, outermost first. */
	const char *chain = n->name;
	for (const struct expansion *c = up; c != e->up; c = c->up)
		chain = arena_printf(s->a, "%s > %s", c->macro->name, chain);
	diag_error(s->real, &n->loc, "recursive macro call: %s", chain);
	((struct node *)m)->id = CHECK_FAILED;   /* one report per macro */
	return true;
}

static void expand_tree(struct sema *s, struct node *n, const struct expansion *up);

/* Replaces the use n by the macro's expanded body, when n names a macro.
 * Returns true when it did, or when it reported why it could not. */
static bool expand_use(struct sema *s, struct node *n, const struct expansion *up)
{
	size_t nargs = n->kind == N_CALL ? n->list.n : 0;
	struct lookup l = find_macro(s, n->name, nargs);
	struct node *m = l.found;
	/* A bare name is a macro use only when a script's macro has that name. */
	if (!m)
		return l.named && (n->kind == N_CALL || !l.named_in_prelude) && wrong_arity(s, n, &l);
	if (recursive(s, n, m, up))
		return drop_use(n), true;
	if (n->num >= MAX_MACRO_DEPTH) {
		diag_error(s->real, &n->loc, "macro %s expands too deeply", n->name);
		return drop_use(n), true;
	}
	/* A macro that failed its check was reported once; its uses just stop. */
	if (!hygienic(s, m) || !args_fit(s, m, n))
		return drop_use(n), true;
	if (s->expanded_nodes > MAX_EXPANDED_NODES)   /* spent: reported once already */
		return drop_use(n), true;
	struct subst x = { s, m, n, ++s->macro_serial, n->num + 1, l.found_in_prelude };
	struct node *body = node_clone(s->a, m->body);
	for (size_t i = 0; i < body->list.n; i++)
		substitute(&x, &body->list.v[i]);
	bind_values(&x, body);
	if (!sema_expansion_budget(s, body, &n->loc, arena_printf(s->a, "macro %s", n->name)))
		return drop_use(n), true;
	n->kind = N_BLOCK_EXPR;
	n->body = body;
	n->list = (nodelist){0};
	struct expansion e = { m, up };
	expand_tree(s, body, &e);
	return true;
}

/* Arguments are expanded before the use that receives them, so an
 * argument's macros are the caller's and never count as recursion. */
static void expand_tree_at(struct sema *s, struct node *n, const struct expansion *up);

/* Nested expansions deepen this walk: it stops, reported, where sema's
 * walk would. */
static void expand_tree(struct sema *s, struct node *n, const struct expansion *up)
{
	if (!n)
		return;
	if (s->depth >= MAX_SEMA_DEPTH) {
		diag_error(s->real, &n->loc, "macros nest too deeply here (more than %d levels)", MAX_SEMA_DEPTH);
		drop_use(n);
		n->left = n->right = n->cond = n->body = n->els = n->pred = NULL;
		return;
	}
	s->depth++;
	expand_tree_at(s, n, up);
	s->depth--;
}

static void expand_tree_at(struct sema *s, struct node *n, const struct expansion *up)
{
	if (n->kind == N_BINOP) {   /* along the chain, without recursing down it */
		size_t len;
		struct node **chain = binop_chain(n, &len);
		expand_tree(s, chain[0]->left, up);
		for (size_t i = 0; i < len; i++)
			expand_tree(s, chain[i]->right, up);
		free(chain);
		return;
	}
	for (size_t i = 0; i < n->list.n; i++)
		expand_tree(s, n->list.v[i], up);
	expand_tree(s, n->left, up);
	expand_tree(s, n->right, up);
	expand_tree(s, n->cond, up);
	expand_tree(s, n->body, up);
	expand_tree(s, n->els, up);
	expand_tree(s, n->pred, up);
	if (n->decl_type)
		expand_tree(s, n->decl_type->typeof_expr, up);
	if (n->kind == N_CALL || n->kind == N_IDENT)
		expand_use(s, n, up);
}

void sema_expand_macros(struct sema *s, struct node *prog)
{
	for (size_t i = 0; i < prog->list.n; i++)
		if (prog->list.v[i]->kind == N_PROBE)
			expand_tree(s, prog->list.v[i], NULL);
}

/* The uses that reach here were made by #defines, during type inference:
 * their arguments have not been through expand_tree yet. */
bool sema_expand_macro(struct sema *s, struct node *n)
{
	if (n->kind == N_CALL && find_macro(s, n->name, n->list.n).named)
		for (size_t i = 0; i < n->list.n; i++)
			expand_tree(s, n->list.v[i], NULL);
	return expand_use(s, n, NULL);
}
