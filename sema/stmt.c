/* Statements and the block scopes of scratch variables. */
#include "internal.h"

#include <string.h>

struct sym *sema_lookup_var(struct sema *s, const char *name)
{
	for (struct scope *sc = s->scope; sc; sc = sc->up)
		for (size_t i = 0; i < sc->syms.n; i++)
			if (!strcmp(sc->syms.v[i]->name, name))
				return sc->syms.v[i];
	return NULL;
}

/* A variable's symbol lives on the node that declares it, so that its type
 * keeps growing across passes. */
static struct sym *declare(struct sema *s, struct node *decl, const char *name, const struct type *t)
{
	struct sym *sym = decl->sym;
	if (!sym) {
		sym = arena_alloc(s->a, sizeof(*sym));
		sym->name = name;
		sym->decl = decl;
		sym->index = s->nvars++;
		sym->type = t;
		decl->sym = sym;
	} else if (t && sym->type && !type_equal(sym->type, t)) {
		const struct type *u = unify_types(s, sym->type, t);
		if (u && !type_equal(u, sym->type)) {
			sym->type = u;
			s->changed = true;
		}
	} else if (t && !sym->type) {
		sym->type = t;
	}
	vec_push(&s->scope->syms, sym);
	return sym;
}

/* An integer literal must fit the type it is stored as. */
static bool literal_fits(struct sema *s, struct node *value, const struct type *to)
{
	if (!value || !value->is_const || !value->type || !value->type->is_literal || to->kind != TY_INT)
		return true;
	int64_t v = value->cval;
	bool ok;
	if (to->is_signed)
		ok = to->size >= 8 || (v >= -(INT64_C(1) << (to->size * 8 - 1)) && v < (INT64_C(1) << (to->size * 8 - 1)));
	else
		ok = v >= 0 && (to->size >= 8 || (uint64_t)v < (UINT64_C(1) << (to->size * 8)));
	if (!ok)
		diag_error(s->d, &value->loc, "%lld does not fit in %s", (long long)v, tname(s, to));
	return ok;
}

static void assign_var(struct sema *s, struct node *n, const struct type *t)
{
	struct node *lhs = n->left;
	unsigned value_size = t->kind == TY_INT && !t->is_literal ? t->size : 8;
	t = storage_type(s, t);
	struct sym *sym = sema_lookup_var(s, lhs->name);
	if (!sym) {
		sym = declare(s, n, lhs->name, t);
	} else if (!sym->type) {
		/* Typeless after an error in its first value: it takes this
		 * one's type, so later uses are checked against something. */
		sym->type = t;
		s->changed = true;
	} else if (sym->decl->kind == N_LET && sym->decl->decl_type) {
		/* A declared type stays: the value is converted to it, as in
		 * the let's own initialisation. */
		if (!literal_fits(s, n->right, sym->type))
			return;
		if (!(type_is_int(t) && type_is_int(sym->type)) && !unify_types(s, sym->type, t)) {
			diag_error(s->d, &n->right->loc, "%s is declared %s; it cannot be assigned %s",
				   var_name(s, lhs->name), tname(s, sym->type), tname(s, t));
			return;
		}
	} else {
		if (!literal_fits(s, n->right, sym->type))
			return;
		const struct type *u = unify_types(s, sym->type, t);
		if (!u) {
			diag_error(s->d, &n->right->loc, "%s holds %s; it cannot be assigned %s",
				   var_name(s, lhs->name), tname(s, sym->type), tname(s, t));
			return;
		}
		if (!type_equal(u, sym->type)) {
			sym->type = u;
			s->changed = true;
		}
	}
	if (value_size > sym->value_size)
		sym->value_size = value_size;
	lhs->sym = sym;
	lhs->type = sym->type;
}

/* "x op= e" becomes "x = x op e" the first time it is seen. */
static void lower_compound(struct sema *s, struct node *n)
{
	if (!n->op)
		return;
	struct node *lhs_copy = arena_alloc(s->a, sizeof(*lhs_copy));
	*lhs_copy = *n->left;
	struct node *bin = node_new(s->a, N_BINOP, n->loc);
	bin->op = n->op;
	bin->left = lhs_copy;
	bin->right = n->right;
	n->right = bin;
	n->op = OP_NONE;
}

static void assign(struct sema *s, struct node *n)
{
	lower_compound(s, n);
	struct node *lhs = n->left;
	if (lhs->kind == N_MAP) {
		sema_map_assign(s, n);
		/* A full map refuses new keys: said at run time, as bpftrace does
		 * (a map without keys has its one entry always). */
		if (s->final && lhs->map && lhs->list.n) {
			struct action_def *act = sema_new_action(s, n, ACT_HELPER_ERROR);
			act->fmt = "Map full; can't update element. Try increasing max_map_keys config or "
				   "manually setting the max entries in a map declaration e.g. `let @a = hash(5000)`";
			n->aux = act;
		}
		return;
	}
	const struct type *t = sema_expr(s, n->right);
	if (!t || t->kind == TY_NONE) {
		if (t)
			diag_error(s->d, &n->right->loc, "this has no value to assign");
		/* Declared anyway, typeless: its uses will not complain again. */
		if (lhs->kind == N_VAR && !sema_lookup_var(s, lhs->name))
			lhs->sym = declare(s, n, lhs->name, NULL);
		return;
	}
	if (lhs->kind == N_IDENT)   /* _ = expr: discard */
		return;
	if (lhs->kind != N_VAR) {
		diag_error(s->d, &lhs->loc, "assigning through a pointer is not supported");
		return;
	}
	assign_var(s, n, t);
}

static void let(struct sema *s, struct node *n)
{
	struct node *v = n->left;
	struct sym *old = sema_lookup_var(s, v->name);
	if (old && old->decl != n) {
		diag_error(s->d, &v->loc, "variable %s is already declared", var_name(s, v->name));
		return;
	}
	const struct type *want = n->decl_type ? resolve_typespec(s, n->decl_type) : NULL;
	if (want && want->kind == TY_STRUCT)   /* known by name: its fields, its size */
		want = sema_complete_struct(s, want, &n->decl_type->loc);
	const struct type *t = n->right ? sema_expr(s, n->right) : NULL;
	if (n->decl_type && !want)
		return;
	if (n->right && !t) {
		/* Declared without a type: its uses are not errors of their own. */
		v->sym = declare(s, n, v->name, want);
		return;
	}
	if (t && want) {
		if (!literal_fits(s, n->right, want))
			return;
		bool ok = (type_is_int(t) && type_is_int(want)) || unify_types(s, want, storage_type(s, t));
		if (!ok) {
			diag_error(s->d, &n->right->loc, "%s is declared %s; it cannot be assigned %s",
				   var_name(s, v->name), tname(s, want), tname(s, t));
			return;
		}
	}
	if (t && t->kind == TY_NONE) {
		diag_error(s->d, &n->right->loc, "this has no value to assign");
		return;
	}
	/* "let $x;" takes its type from its first assignment (found by the
	 * passes before the last); never assigned, it is an int64. */
	const struct type *vt = want ? want : t ? storage_type(s, t) : NULL;
	struct sym *sym = declare(s, n, v->name, vt);
	if (!sym->type && s->final)
		sym->type = type_s64();
	if (want)
		sym->type = want;
	v->sym = sym;
	v->type = sym->type;
}

static void for_range(struct sema *s, struct node *n)
{
	bool ok = true;
	const struct type *a = sema_expr(s, n->cond), *b = sema_expr(s, n->right);
	if (a && !type_is_int(a)) {
		diag_error(s->d, &n->cond->loc, "a range bound must be an integer, not %s", tname(s, a));
		ok = false;
	}
	if (b && !type_is_int(b)) {
		diag_error(s->d, &n->right->loc, "a range bound must be an integer, not %s", tname(s, b));
		ok = false;
	}
	if (!a || !b || !ok)
		return;
	struct scope sc = { .up = s->scope };
	s->scope = &sc;
	if (sema_lookup_var(s, n->left->name) && sema_lookup_var(s, n->left->name)->decl != n)
		diag_error(s->d, &n->left->loc, "variable %s is already declared", var_name(s, n->left->name));
	struct sym *sym = declare(s, n, n->left->name, type_s64());
	n->left->sym = sym;
	n->left->type = sym->type;
	s->loop_depth++;
	sema_block(s, n->body, true);
	s->loop_depth--;
	s->scope = sc.up;
	vec_free(&sc.syms);
}

/* The value of a map element as the loop sees it: aggregations as the
 * integer of this CPU's part. */
static const struct type *loop_value_type(struct sema *s, const struct map_def *m, struct node *n)
{
	switch (m->value->kind) {
	case TY_COUNT:
		return type_u64();
	case TY_SUM: case TY_MIN: case TY_MAX:
		return type_int(8, m->value->is_signed);
	case TY_AVG: case TY_STATS: case TY_HIST: case TY_LHIST: case TY_TSERIES:
		diag_error(s->d, &n->loc, "cannot iterate over %s, which holds %s", m->name, tname(s, m->value));
		return NULL;
	default:
		return m->value;
	}
}

static void for_map(struct sema *s, struct node *n)
{
	struct node *mapn = n->right;
	struct map_def *m = sema_map_def(s, mapn);
	mapn->map = m;
	if (!m->value || !m->key) {
		if (s->final)
			diag_error(s->d, &mapn->loc, "map %s is iterated but never assigned", m->name);
		return;
	}
	if (m->key->kind == TY_NONE) {
		diag_error(s->d, &mapn->loc, "cannot iterate over %s: it has no keys", m->name);
		return;
	}
	const struct type *vt = loop_value_type(s, m, mapn);
	if (!vt)
		return;
	const struct type *elems[2] = { m->key, vt };
	struct scope sc = { .up = s->scope };
	s->scope = &sc;
	struct sym *old = sema_lookup_var(s, n->left->name);
	if (old && old->decl != n)
		diag_error(s->d, &n->left->loc, "variable %s is already declared", var_name(s, n->left->name));
	struct sym *sym = declare(s, n, n->left->name, type_tuple(s->a, 2, elems));
	sym->type = type_tuple(s->a, 2, elems);
	n->left->sym = sym;
	n->left->type = sym->type;
	s->loop_depth++;
	sema_block(s, n->body, true);
	s->loop_depth--;
	s->scope = sc.up;
	vec_free(&sc.syms);
}

void sema_stmt(struct sema *s, struct node *n)
{
	switch (n->kind) {
	case N_EXPR_STMT:
		sema_expr(s, n->left);
		break;
	case N_ASSIGN:
		assign(s, n);
		break;
	case N_LET:
		let(s, n);
		break;
	case N_IF:
		sema_cond(s, n->cond);
		sema_block(s, n->body, true);
		if (n->els && n->els->kind == N_IF)
			sema_stmt(s, n->els);
		else if (n->els)
			sema_block(s, n->els, true);
		break;
	case N_WHILE:
		sema_cond(s, n->cond);
		s->loop_depth++;
		sema_block(s, n->body, true);
		s->loop_depth--;
		break;
	case N_FOR_RANGE:
		for_range(s, n);
		break;
	case N_FOR_MAP:
		for_map(s, n);
		break;
	case N_UNROLL: {
		const struct type *t = sema_expr(s, n->left);
		if (t && (!n->left->is_const || n->left->cval < 1 || n->left->cval > 100)) {
			diag_error(s->d, &n->left->loc, "unroll needs a constant count from 1 to 100");
			break;
		}
		sema_block(s, n->body, true);
		break;
	}
	case N_BREAK:
	case N_CONTINUE:
		if (!s->loop_depth)
			diag_error(s->d, &n->loc, "'%s' outside a loop", n->kind == N_BREAK ? "break" : "continue");
		break;
	case N_RETURN:
		if (n->left)
			sema_expr(s, n->left);
		break;
	case N_BLOCK:
		sema_block(s, n, true);
		break;
	default:
		diag_error(s->d, &n->loc, "%s is not allowed here", node_kind_name(n->kind));
		break;
	}
}

void sema_block(struct sema *s, struct node *block, bool new_scope)
{
	if (!new_scope) {
		for (size_t i = 0; i < block->list.n; i++)
			sema_stmt(s, block->list.v[i]);
		return;
	}
	struct scope sc = { .up = s->scope };
	s->scope = &sc;
	for (size_t i = 0; i < block->list.n; i++)
		sema_stmt(s, block->list.v[i]);
	s->scope = sc.up;
	vec_free(&sc.syms);
}
