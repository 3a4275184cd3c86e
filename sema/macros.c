/* Macros: "macro name(a, $b, @c) { ...; expr }".  A use is replaced by a
 * copy of the body: expression parameters are substituted, variable and map
 * parameters renamed to the caller's, and the body's own variables renamed
 * apart so that they never meet the caller's (hygiene). */
#include "internal.h"

#include <string.h>

#include "../parser/parse.h"

#define MAX_MACRO_DEPTH 32

/* Builtins that are plain trawk code, as in bpftrace's standard library.
 * A script's own macro of the same name and arity wins. */
static const char prelude[] =
	"macro ppid() { curtask->real_parent->pid }\n"
	"macro ppid(task) { task->real_parent->pid }\n"
	"macro pcomm() { curtask->real_parent->comm }\n"
	"macro pcomm(task) { task->real_parent->comm }\n"
	"macro leader_tid() { curtask->group_leader->pid }\n"
	"macro leader_comm() { curtask->group_leader->comm }\n";

static void load_prelude(struct sema *s)
{
	static const struct source src = { "<builtin>", prelude, sizeof(prelude) - 1 };
	struct node *root = parse_program(s->a, &src, s->real);
	for (size_t i = 0; root && i < root->list.n; i++)
		vec_push(&s->macros, root->list.v[i]);
	s->nprelude = s->macros.n;
}

void sema_collect_macros(struct sema *s, struct node *prog)
{
	load_prelude(s);
	for (size_t i = 0; i < prog->list.n; i++) {
		struct node *m = prog->list.v[i];
		if (m->kind != N_MACRO)
			continue;
		for (size_t j = s->nprelude; j < s->macros.n; j++) {
			struct node *o = s->macros.v[j];
			if (!strcmp(o->name, m->name) && o->list.n == m->list.n) {
				diag_error(s->real, &m->loc, "macro %s with %zu parameters is defined twice",
					   m->name, m->list.n);
			}
		}
		vec_push(&s->macros, m);
	}
}

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

static void substitute(struct subst *x, struct node **slot)
{
	struct node *n = *slot;
	if (!n)
		return;
	if (n->kind == N_IDENT) {
		long i = param_index(x->macro, N_IDENT, n->name);
		if (i >= 0) {
			*slot = node_clone(x->s->a, x->call->list.v[i]);
			return;
		}
	}
	if (n->kind == N_VAR) {
		long i = param_index(x->macro, N_VAR, n->name);
		if (i >= 0)
			n->name = x->call->list.v[i]->name;
		else
			n->name = arena_printf(x->s->a, "%s`%d", n->name, x->serial);
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

static bool args_fit(struct sema *s, struct node *macro, struct node *call)
{
	for (size_t i = 0; i < macro->list.n; i++) {
		struct node *p = macro->list.v[i], *a = call->list.v[i];
		if (p->kind == N_VAR && a->kind != N_VAR) {
			diag_error(s->d, &a->loc, "macro %s: argument %zu must be a variable, for %s",
				   macro->name, i + 1, p->name);
			return false;
		}
		if (p->kind == N_MAP && (a->kind != N_MAP || a->list.n)) {
			diag_error(s->d, &a->loc, "macro %s: argument %zu must be a map, for %s",
				   macro->name, i + 1, p->name);
			return false;
		}
	}
	return true;
}

bool sema_expand_macro(struct sema *s, struct node *n)
{
	size_t nargs = n->kind == N_CALL ? n->list.n : 0;
	struct node *found = NULL, *named = NULL;
	size_t found_at = 0;
	for (size_t i = 0; i < s->macros.n; i++) {
		struct node *m = s->macros.v[i];
		if (strcmp(m->name, n->name))
			continue;
		named = m;
		if (m->list.n == nargs) {
			found = m;
			found_at = i;
		}
	}
	if (!found) {
		if (named && n->kind == N_CALL) {
			diag_error(s->d, &n->loc, "macro %s takes %zu argument%s, not %zu", n->name,
				   named->list.n, named->list.n == 1 ? "" : "s", nargs);
			n->kind = N_INT;   /* keep going without cascading errors */
			n->num = 0;
			return true;
		}
		return false;
	}
	if (n->num >= MAX_MACRO_DEPTH) {
		diag_error(s->d, &n->loc, "macro %s expands too deeply (recursion?)", n->name);
		n->kind = N_INT;
		n->num = 0;
		return true;
	}
	if (!args_fit(s, found, n)) {
		n->kind = N_INT;
		n->num = 0;
		return true;
	}
	struct subst x = { s, found, n, ++s->macro_serial, n->num + 1, found_at < s->nprelude };
	struct node *body = node_clone(s->a, found->body);
	for (size_t i = 0; i < body->list.n; i++)
		substitute(&x, &body->list.v[i]);
	n->kind = N_BLOCK_EXPR;
	n->body = body;
	n->list = (nodelist){0};
	return true;
}
