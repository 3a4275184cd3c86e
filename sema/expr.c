/* Typing of expressions, with constant folding of integer arithmetic. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "../parser/parse.h"
#include "../types/btf.h"

static const struct type lit_int = {
	.kind = TY_INT, .size = 8, .align = 8, .is_signed = true, .is_literal = true,
};

static const struct type *expr(struct sema *s, struct node *n);

static bool count_node(const struct node *n, const void *count)
{
	(void)n;
	(*(size_t *)count)++;
	return false;
}

bool sema_expansion_budget(struct sema *s, const struct node *n, const struct loc *loc, const char *what)
{
	size_t count = 0;
	node_any(n, count_node, &count);
	if (s->expanded_nodes > MAX_EXPANDED_NODES - count) {
		/* Reported once, and in any pass: the expansion is for good. */
		if (s->expanded_nodes <= MAX_EXPANDED_NODES)
			diag_error(s->real, loc, "%s expands to too much: more than %d nodes in all", what,
				   MAX_EXPANDED_NODES);
		s->expanded_nodes = MAX_EXPANDED_NODES + 1;
		return false;
	}
	s->expanded_nodes += count;
	return true;
}

const struct type *sema_expr(struct sema *s, struct node *n)
{
	/* Only expansion nests deeper than the parser allows. */
	if (s->depth >= MAX_SEMA_DEPTH) {
		diag_error(s->d, &n->loc, "macros or #defines nest too deeply here (more than %d levels)", MAX_SEMA_DEPTH);
		n->type = NULL;
		return NULL;
	}
	s->depth++;
	const struct type *t = expr(s, n);
	s->depth--;
	n->type = t;
	return t;
}

static void set_const(struct node *n, int64_t v)
{
	n->is_const = true;
	n->cval = v;
}

/* The type an operand contributes to arithmetic: a negative literal is a
 * plain int64, a non-negative one adapts to the other side. */
static const struct type *operand_type(const struct node *n)
{
	if (n->type->is_literal && n->is_const && n->cval < 0)
		return type_s64();
	return n->type;
}

/* t, the type of n, is usable as a condition. */
static bool cond_type(struct sema *s, struct node *n, const struct type *t)
{
	if (!t)
		return false;
	if (type_is_int(t) || t->kind == TY_PTR)
		return true;
	diag_error(s->d, &n->loc, "a condition must be an integer, bool or pointer, not %s", tname(s, t));
	return false;
}

bool sema_cond(struct sema *s, struct node *n)
{
	return cond_type(s, n, sema_expr(s, n));
}

const char *sema_positional_text(struct sema *s, uint64_t num)
{
	return num >= 1 && num <= s->opts->nparams ? s->opts->params[num - 1] : NULL;
}

static const struct type *positional(struct sema *s, struct node *n)
{
	if (n->name) {   /* $# */
		n->kind = N_INT;
		n->num = s->opts->nparams;
		return sema_expr(s, n);
	}
	if (n->num == 0) {
		diag_error(s->d, &n->loc, "there is no $0: positional parameters start at $1");
		return NULL;
	}
	const char *text = sema_positional_text(s, n->num);
	if (!text) {
		diag_warning(s->d, &n->loc, "positional parameter $%llu is not set; using 0 (or \"\")",
			     (unsigned long long)n->num);
		text = "0";
	}
	char *end;
	unsigned long long v = strtoull(text, &end, 0);
	if (*text && !*end && *text != '-') {
		n->kind = N_INT;
		n->num = v;
	} else {
		n->kind = N_STR;
		n->name = text;
		n->len = strlen(text);
	}
	return sema_expr(s, n);
}

/* A #define's value parsed, once: every use gets a copy.  NULL after a
 * parse error, reported where this pass reports (not kept: a later pass
 * reports it again). */
static struct node *define_tree(struct sema *s, size_t i)
{
	if (!s->define_trees)
		s->define_trees = arena_alloc(s->a, s->opts->ndefines * sizeof(*s->define_trees));
	if (!s->define_trees[i]) {
		const char *value = s->opts->define_values[i];
		struct source *src = arena_alloc(s->a, sizeof(*src));
		src->name = arena_printf(s->a, "#define %s", s->opts->define_names[i]);
		src->text = *value ? value : "1";
		src->len = strlen(src->text);
		s->define_trees[i] = parse_expression(s->a, src, s->d);
	}
	return s->define_trees[i] ? node_clone(s->a, s->define_trees[i]) : NULL;
}

/* A #define'd name: its value, parsed as an expression, replaces the
 * identifier (keeping its position for messages). */
static bool expand_define(struct sema *s, struct node *n)
{
	for (size_t i = s->opts->ndefines; i-- > 0;) {
		if (strcmp(s->opts->define_names[i], n->name))
			continue;
		/* num counts expansions, so "#define A A" stops. */
		uint64_t depth = n->num;
		if (depth >= 32) {
			diag_error(s->d, &n->loc, "#define %s expands too deeply", n->name);
			return false;
		}
		if (s->expanded_nodes > MAX_EXPANDED_NODES) {   /* spent: reported once already */
			n->kind = N_INT;
			n->num = 0;
			return true;
		}
		struct node *e = define_tree(s, i);
		if (!e)
			return false;
		if (!sema_expansion_budget(s, e, &n->loc, arena_printf(s->a, "#define %s", n->name))) {
			n->kind = N_INT;   /* nothing cascades */
			n->num = 0;
			return true;
		}
		struct loc loc = n->loc;
		*n = *e;
		n->loc = loc;
		if (n->kind == N_IDENT || n->kind == N_CALL)
			n->num = depth + 1;
		return true;
	}
	return false;
}

/* args as a whole value: the record of the point's arguments, rebuilt by
 * codegen from whatever the context holds (a tracepoint's __data_loc
 * strings read in), so it must be the same record at every point. */
static const struct type *args_value(struct sema *s, const struct type *t)
{
	if (t->kind != TY_STRUCT || t->open_fields)
		return t;
	const char **names = arena_alloc(s->a, (t->nfields + 1) * sizeof(*names));
	const struct type **types = arena_alloc(s->a, (t->nfields + 1) * sizeof(*types));
	for (uint32_t i = 0; i < t->nfields; i++) {
		names[i] = t->fields[i].name;
		types[i] = t->fields[i].type;
	}
	return type_record(s->a, t->nfields, names, types);
}

static const struct type *args_type(struct sema *s, struct node *n, bool member)
{
	if (!(s->pb->caps & CAP_ARGS) || !s->pb->points.n || !s->pb->points.v[0]->args) {
		diag_error(s->d, &n->loc, "args is not available for this probe type");
		return NULL;
	}
	const struct probe_point *first = s->pb->points.v[0];
	if (member)   /* args.f: field() checks f at every point */
		return first->args;
	const struct type *t = args_value(s, first->args);
	for (size_t i = 1; i < s->pb->points.n; i++) {
		const struct probe_point *pt = s->pb->points.v[i];
		if (!pt->args || !type_equal(t, args_value(s, pt->args))) {
			diag_error(s->d, &n->loc, "args differs between %s and %s; use args.FIELD, or a probe for each",
				   first->name, pt->name);
			return NULL;
		}
	}
	return t;
}

/* argN (N in n->len) where the points say how many arguments there are:
 * libbpf's USDT specs describe USDT_MAX_ARGS of them, and the kernel will
 * not attach a raw tracepoint program that reads past its event's. */
static bool argn_exists(struct sema *s, struct node *n)
{
	for (size_t i = 0; i < s->pb->points.n; i++) {
		const struct probe_point *pt = s->pb->points.v[i];
		if ((pt->prov->caps & CAP_USDT) && n->len >= USDT_MAX_ARGS) {
			diag_error(s->d, &n->loc, "a USDT probe's arguments are arg0 to arg%d", USDT_MAX_ARGS - 1);
			return false;
		}
		uint64_t slots = pt->prov->ctx == CTX_ARGS && pt->args ? pt->args->size / 8 : UINT64_MAX;
		if (n->len >= slots) {
			if (slots)
				diag_error(s->d, &n->loc, "%s has %llu arguments: arg0 to arg%llu", pt->name,
					   (unsigned long long)slots, (unsigned long long)slots - 1);
			else
				diag_error(s->d, &n->loc, "%s has no arguments", pt->name);
			return false;
		}
	}
	return true;
}

/* probetype: the probe type's name, a constant ("special" for BEGIN and
 * END), the same for every attach point of the block. */
static const struct type *probetype(struct sema *s, struct node *n)
{
	const struct probe_block *pb = s->pb;
	const char *name = NULL;
	for (size_t i = 0; pb && i < pb->points.n; i++) {
		const struct provider *p = pb->points.v[i]->prov;
		const char *this = p->is_special ? "special" : p->name;
		if (name && strcmp(name, this)) {
			diag_error(s->d, &n->loc, "probetype differs between the attach points of this probe (%s, %s)",
				   name, this);
			return NULL;
		}
		name = this;
	}
	n->kind = N_STR;
	n->name = name ? name : "";
	n->len = strlen(n->name);
	return sema_expr(s, n);
}

static const struct type *ident(struct sema *s, struct node *n)
{
	bool args_member = s->args_member;
	s->args_member = false;
	if (sema_expand_macro(s, n) || expand_define(s, n))
		return sema_expr(s, n);
	if (!strcmp(n->name, "cpid") || !strcmp(n->name, "has_cpid")) {
		/* The child of -c is started before the compile: both are constants. */
		int cpid = s->plan->cfg.cpid;
		if (!cpid && n->name[0] == 'c')
			diag_warning(s->d, &n->loc, "cpid is 0: no child was started with -c");
		n->kind = n->name[0] == 'c' ? N_INT : N_BOOL;
		n->num = n->name[0] == 'c' ? (uint64_t)cpid : cpid != 0;
		return sema_expr(s, n);
	}
	if (!strcmp(n->name, "probetype"))
		return probetype(s, n);
	const struct builtin *bi = builtin_find(n->name);
	/* arg0, arg1, ...: one builtin, the index kept in len. */
	if (!bi && !strncmp(n->name, "arg", 3) && n->name[3] >= '0' && n->name[3] <= '9' &&
	    strspn(n->name + 3, "0123456789") == strlen(n->name + 3)) {
		bi = builtin_find("arg#");
		n->len = strtoul(n->name + 3, NULL, 10);
	}
	if (bi && (bi->flags & BIF_VAR)) {
		n->fn = bi;
		if (!s->pb && (bi->id == BI_ARGS || bi->id == BI_PROBE || bi->id == BI_ARGN)) {
			/* an enum's value, say: no probe to read it from */
			diag_error(s->d, &n->loc, "%s has a value only inside a probe", n->name);
			return NULL;
		}
		if (bi->id == BI_ARGS)
			return args_type(s, n, args_member);
		if (bi->id == BI_PROBE)
			return type_string(s->a, s->pb->probe_len ? s->pb->probe_len : 2);
		if (bi->id == BI_ARGN && !argn_exists(s, n))
			return NULL;
		struct bi_check c = { .bi = bi, .loc = n->loc };
		sema_probe_context(s, &c);
		return bi->check(&c);
	}
	int64_t ev;
	if (!bi && sema_enum_value(s, n->name, &ev)) {
		/* An enum constant of the script's C definitions or of the kernel;
		 * a script enum's keeps its type, so it prints by name. */
		n->kind = N_INT;   /* keeps its name: see the N_INT case */
		n->num = (uint64_t)ev;
		return sema_expr(s, n);
	}
	if (!bi && sema_libc_constant(n->name, &ev)) {
		n->kind = N_INT;
		n->num = (uint64_t)ev;
		return sema_expr(s, n);
	}
	if (bi)
		diag_error(s->d, &n->loc, "%s is a function: call it as %s(...)", n->name, n->name);
	else {
		const char *hint = closest_name(n->name, builtin_names());
		if (hint)
			diag_error(s->d, &n->loc, "unknown identifier '%s'; did you mean '%s'?", n->name, hint);
		else
			diag_error(s->d, &n->loc, "unknown identifier '%s'", n->name);
	}
	return NULL;
}

static const struct type *var(struct sema *s, struct node *n)
{
	struct sym *sym = sema_lookup_var(s, n->name);
	if (!sym) {
		diag_error(s->d, &n->loc, "variable %s is used before it is assigned", var_name(s, n->name));
		return NULL;
	}
	n->sym = sym;
	return sym->type;   /* NULL after its assignment failed: already reported */
}

static bool fold(struct sema *s, struct node *n, enum ast_op op, int64_t a, int64_t b, bool sign, int64_t *r)
{
	uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
	switch (op) {
	case OP_ADD: *r = (int64_t)(ua + ub); return true;
	case OP_SUB: *r = (int64_t)(ua - ub); return true;
	case OP_MUL: *r = (int64_t)(ua * ub); return true;
	case OP_DIV:
	case OP_MOD:
		if (b == 0) {
			diag_error(s->d, &n->right->loc, "%s by zero", op == OP_DIV ? "division" : "modulo");
			return false;
		}
		if (sign && b == -1)
			*r = op == OP_DIV ? (int64_t)(0 - ua) : 0;
		else if (sign)
			*r = op == OP_DIV ? a / b : a % b;
		else
			*r = (int64_t)(op == OP_DIV ? ua / ub : ua % ub);
		return true;
	case OP_BAND: *r = a & b; return true;
	case OP_BOR: *r = a | b; return true;
	case OP_BXOR: *r = a ^ b; return true;
	case OP_SHL: *r = ub >= 64 ? 0 : (int64_t)(ua << ub); return true;
	case OP_SHR: *r = ub >= 64 ? 0 : sign ? a >> ub : (int64_t)(ua >> ub); return true;
	case OP_EQ: *r = a == b; return true;
	case OP_NE: *r = a != b; return true;
	case OP_LT: *r = sign ? a < b : ua < ub; return true;
	case OP_GT: *r = sign ? a > b : ua > ub; return true;
	case OP_LE: *r = sign ? a <= b : ua <= ub; return true;
	case OP_GE: *r = sign ? a >= b : ua >= ub; return true;
	case OP_LAND: *r = a && b; return true;
	case OP_LOR: *r = a || b; return true;
	default: return false;   /* not a binary operator: nothing to fold */
	}
}

static bool is_compare(enum ast_op op)
{
	return op == OP_EQ || op == OP_NE || op == OP_LT || op == OP_GT || op == OP_LE || op == OP_GE;
}

static const struct type *binop_error(struct sema *s, struct node *n, const struct type *l, const struct type *r)
{
	diag_error(s->d, &n->loc, "operator '%s' cannot be applied to %s and %s",
		   op_name(n->op), tname(s, l), tname(s, r));
	return NULL;
}

/* Pointer p with a pointee of known size, which pointer arithmetic steps
 * by: a struct known only by name (curtask, a cast) is completed. */
static const struct type *sized_ptr(struct sema *s, const struct type *p, const struct loc *loc)
{
	if (p->elem->kind != TY_STRUCT || p->elem->nfields)
		return p;
	const struct type *st = sema_complete_struct(s, p->elem, loc);
	return st ? type_ptr(s->a, st, p->as) : NULL;
}

/* n, its left operand already typed l (NULL after an error there). */
static const struct type *binop_step(struct sema *s, struct node *n, const struct type *l)
{
	enum ast_op op = n->op;
	n->is_const = false;
	if (op == OP_LAND || op == OP_LOR) {
		bool ok = cond_type(s, n->left, l);
		ok = sema_cond(s, n->right) && ok;
		if (!ok)
			return NULL;
		if (n->left->is_const && n->right->is_const)
			set_const(n, op == OP_LAND ? n->left->cval && n->right->cval : n->left->cval || n->right->cval);
		return type_bool();
	}
	const struct type *r = sema_expr(s, n->right);
	if (!l || !r)
		return NULL;
	if (type_is_int(l) && type_is_int(r)) {
		const struct type *lo = operand_type(n->left), *ro = operand_type(n->right);
		const struct type *t = arith_type(lo, ro);
		if (sema_mixed_signs(lo, ro))
			diag_warning(s->d, &n->loc, "operator '%s' mixes signed %s and unsigned %s: computed as %s",
				     op_name(op), tname(s, lo->is_signed ? lo : ro), tname(s, lo->is_signed ? ro : lo),
				     tname(s, t));
		if (op == OP_SUB && !(l->is_literal && r->is_literal))
			t = type_int(t->size, true);
		n->optype = t;
		if ((op == OP_DIV || op == OP_MOD) && !n->right->is_const && s->final) {
			struct action_def *act = sema_new_action(s, n, ACT_RUNTIME_WARNING);
			act->fmt = "Divide or modulo by 0 detected. This can lead to unexpected results. "
				   "1 is being used as the result.";
		}
		int64_t v = 0;
		if (n->left->is_const && n->right->is_const &&
		    fold(s, n, op, n->left->cval, n->right->cval, t->is_signed, &v))
			set_const(n, v);
		if (is_compare(op))
			return type_bool();
		if (n->is_const && l->is_literal && r->is_literal)
			return v < 0 ? type_s64() : &lit_int;
		return t;
	}
	if (is_compare(op) && l->kind == TY_STRING && r->kind == TY_STRING) {
		if (op != OP_EQ && op != OP_NE)
			return binop_error(s, n, l, r);
		n->optype = l;
		return type_bool();
	}
	if (is_compare(op) && (l->kind == TY_PTR || r->kind == TY_PTR) &&
	    (l->kind == TY_PTR || type_is_int(l)) && (r->kind == TY_PTR || type_is_int(r))) {
		n->optype = type_u64();
		return type_bool();
	}
	if ((op == OP_EQ || op == OP_NE) && l->kind == TY_ARRAY && r->kind == TY_ARRAY &&
	    l->count == r->count && type_equal(l->elem, r->elem)) {
		n->optype = l;
		return type_bool();
	}
	if ((op == OP_EQ || op == OP_NE) && (l->kind == TY_TUPLE || l->kind == TY_RECORD) &&
	    unify_types(s, l, r)) {
		n->optype = unify_types(s, l, r);
		return type_bool();
	}
	if (l->kind == TY_PTR && type_is_int(r) && (op == OP_ADD || op == OP_SUB)) {
		n->optype = sized_ptr(s, l, &n->left->loc);
		return n->optype ? l : NULL;
	}
	if (r->kind == TY_PTR && type_is_int(l) && op == OP_ADD) {
		n->optype = sized_ptr(s, r, &n->right->loc);
		return n->optype ? r : NULL;
	}
	if (l->kind == TY_PTR && r->kind == TY_PTR && op == OP_SUB) {
		n->optype = sized_ptr(s, l, &n->left->loc);
		return n->optype ? type_s64() : NULL;
	}
	return binop_error(s, n, l, r);
}

/* A chain of operators, typed from its innermost one up: a chain of any
 * length takes no stack. */
static const struct type *binop(struct sema *s, struct node *top)
{
	size_t len;
	struct node **chain = binop_chain(top, &len);
	const struct type *t = sema_expr(s, chain[0]->left);
	for (size_t i = 0; i < len; i++) {
		t = binop_step(s, chain[i], t);
		chain[i]->type = t;
	}
	free(chain);
	return t;
}

static const struct type *unop(struct sema *s, struct node *n)
{
	if (n->op == OP_NOT) {
		if (!sema_cond(s, n->left))
			return NULL;
		if (n->left->is_const)
			set_const(n, !n->left->cval);
		return type_bool();
	}
	const struct type *t = sema_expr(s, n->left);
	if (!t)
		return NULL;
	switch (n->op) {
	case OP_NEG:
	case OP_BNOT:
		if (!type_is_int(t))
			break;
		if (n->left->is_const)
			set_const(n, n->op == OP_NEG ? (int64_t)(0 - (uint64_t)n->left->cval) : ~n->left->cval);
		if (n->op == OP_NEG && t->is_literal)
			return &lit_int;
		if (t->kind == TY_BOOL)
			t = type_int(8, false);
		return n->op == OP_NEG ? type_int(t->size, true) : t;
	case OP_DEREF:
		if (t->kind == TY_PTR) {
			if (t->elem->kind == TY_INT || t->elem->kind == TY_PTR || t->elem->kind == TY_BOOL)
				return t->elem;
			if (t->elem->kind == TY_STRUCT) {
				const struct type *st = sema_complete_struct(s, t->elem, &n->loc);
				return st ? type_with_as(s->a, st, t->as) : NULL;
			}
			diag_error(s->d, &n->loc, "cannot dereference %s here", tname(s, t));
			return NULL;
		}
		break;
	case OP_ADDR:
		/* The address of a variable's storage or of a map's value. */
		if (n->left->kind == N_VAR || n->left->kind == N_MAP)
			return type_ptr(s->a, t, AS_KERNEL);
		diag_error(s->d, &n->loc, "'&' takes a variable or a map element");
		return NULL;
	default:
		break;
	}
	diag_error(s->d, &n->loc, "operator '%s' cannot be applied to %s", op_name(n->op), tname(s, t));
	return NULL;
}

static const struct type *ternary(struct sema *s, struct node *n)
{
	bool ok = sema_cond(s, n->cond);
	const struct type *l = n->left ? sema_expr(s, n->left) : n->cond->type;
	const struct type *r = sema_expr(s, n->right);
	if (!ok || !l || !r)
		return NULL;
	if (type_is_int(l) && type_is_int(r)) {
		if (l->kind == TY_BOOL && r->kind == TY_BOOL)
			return l;
		return storage_type(s, arith_type(operand_type(n->left ? n->left : n->cond), operand_type(n->right)));
	}
	const struct type *t = unify_types(s, storage_type(s, l), storage_type(s, r));
	if (!t) {
		diag_error(s->d, &n->loc, "the branches of '?:' have different types: %s and %s",
			   tname(s, l), tname(s, r));
		return NULL;
	}
	return t;
}

static const struct field *find_field(const struct type *t, const char *name)
{
	for (uint32_t i = 0; i < t->nfields; i++)
		if (t->fields[i].name && !strcmp(t->fields[i].name, name))
			return &t->fields[i];
	return NULL;
}

static const struct type *field_error(struct sema *s, struct node *n, const struct type *t)
{
	const char *names[64];
	uint32_t k = 0;
	for (uint32_t i = 0; i < t->nfields && k < 63; i++)
		if (t->fields[i].name)
			names[k++] = t->fields[i].name;
	names[k] = NULL;
	const char *hint = closest_name(n->name, names);
	const char *what = n->left->kind == N_IDENT && !strcmp(n->left->name, "args") ? "args" : tname(s, t);
	if (hint)
		diag_error(s->d, &n->loc, "%s has no field '%s'; did you mean '%s'?", what, n->name, hint);
	else
		diag_error(s->d, &n->loc, "%s has no field '%s'", what, n->name);
	return NULL;
}

/* args.f across the points of a probe: f must exist in all of them. */
static const struct type *args_field(struct sema *s, struct node *n, const struct type *t)
{
	if (t->open_fields)
		return type_u64();
	const struct field *f = find_field(t, n->name);
	if (!f)
		return field_error(s, n, t);
	const struct type *ft = f->type;
	for (size_t i = 1; i < s->pb->points.n; i++) {
		const struct type *other = s->pb->points.v[i]->args;
		const struct field *g = other ? find_field(other, n->name) : NULL;
		if (!g) {
			diag_error(s->d, &n->loc, "%s has no field '%s'", s->pb->points.v[i]->name, n->name);
			return NULL;
		}
		const struct type *u = type_is_int(ft) && type_is_int(g->type) ?
			type_int(8, ft->is_signed || g->type->is_signed) : unify_types(s, ft, g->type);
		if (!u) {
			diag_error(s->d, &n->loc, "field '%s' has different types in %s and %s",
				   n->name, s->pb->points.v[0]->name, s->pb->points.v[i]->name);
			return NULL;
		}
		ft = u;
	}
	return ft;
}

/* p->f, p.f (pointers are followed either way) and s.f on a struct value:
 * the field's type, with the address space of the memory it is read from. */
static const struct type *struct_member(struct sema *s, struct node *n, const struct type *t)
{
	enum addrspace as = t->as;
	const struct type *st = sema_complete_struct(s, t->kind == TY_PTR ? t->elem : t, &n->left->loc);
	if (!st)
		return NULL;
	const struct field *f = find_field(st, n->name);
	if (!f)
		return field_error(s, n, st);
	n->optype = st;
	const struct type *ft = f->type;
	if (ft->kind == TY_STRUCT || ft->kind == TY_PTR)
		ft = type_with_as(s->a, ft, as);
	return ft;
}

static const struct type *field(struct sema *s, struct node *n)
{
	s->args_member = n->name && n->left->kind == N_IDENT;
	const struct type *t = sema_expr(s, n->left);
	s->args_member = false;
	if (!t)
		return NULL;
	if (!n->name) {
		if (t->kind != TY_TUPLE) {
			diag_error(s->d, &n->loc, "only tuples have numbered fields; this is %s", tname(s, t));
			return NULL;
		}
		if (n->num >= t->nfields) {
			diag_error(s->d, &n->loc, "tuple index %llu is out of range: the tuple has %u elements",
				   (unsigned long long)n->num, t->nfields);
			return NULL;
		}
		return t->fields[n->num].type;
	}
	if (n->left->kind == N_IDENT && n->left->fn && n->left->fn->id == BI_ARGS)
		return args_field(s, n, t);
	if (t->kind == TY_RECORD) {
		const struct field *f = find_field(t, n->name);
		return f ? f->type : field_error(s, n, t);
	}
	if ((t->kind == TY_PTR && t->elem->kind == TY_STRUCT) || t->kind == TY_STRUCT)
		return struct_member(s, n, t);
	diag_error(s->d, &n->loc, "%s has no fields", tname(s, t));
	return NULL;
}

static const struct type *index_expr(struct sema *s, struct node *n)
{
	const struct type *t = sema_expr(s, n->left);
	const struct type *i = sema_expr(s, n->right);
	if (!t || !i)
		return NULL;
	if (!type_is_int(i)) {
		diag_error(s->d, &n->right->loc, "an index must be an integer, not %s", tname(s, i));
		return NULL;
	}
	switch (t->kind) {
	case TY_TUPLE:
		if (!n->right->is_const || n->right->cval < 0 || (uint64_t)n->right->cval >= t->nfields) {
			diag_error(s->d, &n->right->loc, "a tuple index must be a constant from 0 to %u", t->nfields - 1);
			return NULL;
		}
		return t->fields[n->right->cval].type;
	case TY_STRING:
		return type_int(1, false);
	case TY_ARRAY:
		if (!t->count) {   /* a flexible array member: none of it is read */
			diag_error(s->d, &n->loc, "%s has no length to index: read its elements through a pointer "
				   "(cast the struct's address plus offsetof())", tname(s, t));
			return NULL;
		}
		if (n->right->is_const && (n->right->cval < 0 || (uint64_t)n->right->cval >= t->count)) {
			diag_error(s->d, &n->right->loc, "index %lld is out of bounds: the array has %u elements",
				   (long long)n->right->cval, t->count);
			return NULL;
		}
		return t->elem;
	case TY_PTR:   /* p[i] is *(p + i) */
		if (t->elem->kind == TY_INT || t->elem->kind == TY_PTR || t->elem->kind == TY_BOOL)
			return t->elem;
		if (t->elem->kind == TY_STRUCT) {
			const struct type *st = sema_complete_struct(s, t->elem, &n->loc);
			return st ? type_with_as(s->a, st, t->as) : NULL;
		}
		/* fall through */
	default:
		diag_error(s->d, &n->loc, "%s cannot be indexed", tname(s, t));
		return NULL;
	}
}

static const struct type *tuple(struct sema *s, struct node *n)
{
	const struct type **elems = arena_alloc(s->a, (n->list.n + 1) * sizeof(*elems));
	for (size_t i = 0; i < n->list.n; i++) {
		const struct type *t = sema_expr(s, n->list.v[i]);
		if (!t)
			return NULL;
		if (t->kind == TY_NONE) {
			diag_error(s->d, &n->list.v[i]->loc, "this has no value to put in a tuple");
			return NULL;
		}
		elems[i] = storage_type(s, t);
	}
	return type_tuple(s->a, n->list.n, elems);
}

static const struct type *record(struct sema *s, struct node *n)
{
	const struct type **elems = arena_alloc(s->a, (n->list.n + 1) * sizeof(*elems));
	const char **names = arena_alloc(s->a, (n->list.n + 1) * sizeof(*names));
	for (size_t i = 0; i < n->list.n; i++) {
		struct node *f = n->list.v[i];
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(names[j], f->name)) {
				diag_error(s->d, &f->loc, "record field '%s' appears twice", f->name);
				return NULL;
			}
		}
		const struct type *t = sema_expr(s, f->right);
		if (!t)
			return NULL;
		names[i] = f->name;
		elems[i] = storage_type(s, t);
	}
	return type_record(s->a, n->list.n, names, elems);
}

static const struct type *cast_error(struct sema *s, struct node *n, const struct type *from, const struct type *to)
{
	diag_error(s->d, &n->loc, "cannot cast %s to %s", tname(s, from), tname(s, to));
	return NULL;
}

/* An integer, a string or an array seen as an array of the same size in
 * bytes; "(uint8[])x" takes its length from x. */
static const struct type *cast_to_array(struct sema *s, struct node *n, const struct type *from,
					const struct type *to)
{
	bool bytes = type_is_int(from) || from->kind == TY_STRING || from->kind == TY_ARRAY;
	uint32_t esize = to->elem->size;
	if (!bytes || !type_is_int(to->elem) || !esize)
		return cast_error(s, n, from, to);
	if (!to->count && from->size % esize == 0)
		to = type_array(s->a, to->elem, from->size / esize);
	if (to->size != from->size) {
		diag_error(s->d, &n->loc, "cannot cast %s to %s: the sizes differ (%u and %u bytes)",
			   tname(s, from), tname(s, to), from->size, to->size);
		return NULL;
	}
	return to;
}

static const struct type *cast(struct sema *s, struct node *n)
{
	const struct type *from = sema_expr(s, n->left);
	const struct type *to = resolve_typespec(s, n->decl_type);
	if (!from || !to)
		return NULL;
	bool from_scalar = type_is_int(from) || from->kind == TY_PTR;
	bool to_scalar = type_is_int(to) || to->kind == TY_PTR;
	if (from_scalar && to_scalar) {
		if (to->kind == TY_PTR && to->as == AS_NONE && from->kind == TY_PTR)
			to = type_ptr(s->a, to->elem, from->as);
		if (n->left->is_const && type_is_int(to)) {
			int64_t v = n->left->cval;
			if (to->kind == TY_BOOL)
				v = v != 0;
			else if (to->size < 8)
				v = type_load_int(to, &v);
			set_const(n, v);
		}
		return to;
	}
	if (to->kind == TY_ARRAY)
		return cast_to_array(s, n, from, to);
	if (to->kind == TY_BOOL && from->kind == TY_STRING)   /* true when not empty */
		return to;
	if (type_is_int(to) && from->kind == TY_ARRAY && to->size == from->size)
		return to;
	return cast_error(s, n, from, to);
}

/* offsetof(struct T, a.b.c): the byte offset, through nested structs. */
static const struct type *offsetof_expr(struct sema *s, struct node *n)
{
	const struct type *t = n->decl_type ? resolve_typespec(s, n->decl_type) : sema_expr(s, n->left);
	if (t && t->kind == TY_PTR)
		t = t->elem;
	uint64_t off = 0;
	const char *path = n->name;
	while (t && *path) {
		if (t->kind == TY_STRUCT)
			t = sema_complete_struct(s, t, &n->loc);
		if (!t || (t->kind != TY_STRUCT && t->kind != TY_RECORD)) {
			if (t)
				diag_error(s->d, &n->loc, "offsetof() needs a struct, not %s", tname(s, t));
			return NULL;
		}
		size_t len = strcspn(path, ".");
		char *name = arena_strndup(s->a, path, len);
		const struct field *f = find_field(t, name);
		if (!f) {
			diag_error(s->d, &n->loc, "%s has no field '%s'", tname(s, t), name);
			return NULL;
		}
		off += f->offset;
		t = f->type;
		path += len + (path[len] == '.');
	}
	if (!t)
		return NULL;
	set_const(n, (int64_t)off);
	return type_u64();
}

static const struct type *block_expr(struct sema *s, struct node *n)
{
	sema_block(s, n->body, true);
	nodelist *l = &n->body->list;
	struct node *last = l->n ? l->v[l->n - 1] : NULL;
	/* Without a final expression the block has no value; that is an error
	 * only where a value is needed. */
	if (!last || !last->tail_expr)
		return type_none();
	if (!last->left->type)
		return NULL;   /* already reported: no second error */
	/* Folding a block with other statements would drop their effects. */
	if (last->left->is_const && l->n == 1)
		set_const(n, last->left->cval);
	return last->left->type;
}

static const struct type *int_literal(struct sema *s, struct node *n)
{
	set_const(n, (int64_t)n->num);
	/* A script enum's enumerator keeps its enum type (n->name is the
	 * identifier it was), so it prints by name. */
	const struct type *et = n->name ? sema_enum_type(s, n->name) : NULL;
	if (et && et->n_enum_vals) {   /* an int64 in arithmetic, as C's int constants are */
		struct type *t = type_new(s->a, TY_INT);
		*t = *et;
		t->size = t->align = 8;
		t->is_signed = true;
		return t;
	}
	return n->num > INT64_MAX ? type_u64() : &lit_int;
}

static const struct type *expr(struct sema *s, struct node *n)
{
	n->is_const = false;
	switch (n->kind) {
	case N_INT: return int_literal(s, n);
	case N_BOOL:
		set_const(n, (int64_t)n->num);
		return type_bool();
	case N_STR: {
		/* A format string stays in user space; any other string is a
		 * value in the program, bounded by max_strlen, or when that is
		 * set below its default (for str()), by the default. */
		uint64_t max = s->plan->cfg.max_strlen;
		if (max < DEFAULT_MAX_STRLEN)
			max = DEFAULT_MAX_STRLEN;
		if (n != s->format_arg && n->len > max - 1) {
			diag_error(s->d, &n->loc, "string is too long (over %llu bytes, the max_strlen limit)",
				   (unsigned long long)max);
			return NULL;
		}
		struct type *t = type_new(s->a, TY_STRING);
		t->size = (uint32_t)n->len + 1;
		t->is_literal = true;
		return t;
	}
	case N_POSITIONAL: return positional(s, n);
	case N_IDENT: return ident(s, n);
	case N_VAR: return var(s, n);
	case N_MAP: return sema_map(s, n, false);
	case N_CALL:
		if (sema_expand_macro(s, n))
			return sema_expr(s, n);
		if (!strcmp(n->name, "getopt"))
			return sema_getopt(s, n);
		return sema_call(s, n, false);
	case N_BINOP: return binop(s, n);
	case N_UNOP: return unop(s, n);
	case N_TERNARY: return ternary(s, n);
	case N_FIELD: return field(s, n);
	case N_INDEX: return index_expr(s, n);
	case N_TUPLE: return tuple(s, n);
	case N_RECORD: return record(s, n);
	case N_CAST: return cast(s, n);
	case N_BLOCK_EXPR: return block_expr(s, n);
	case N_INCDEC: {
		const struct type *t;
		if (n->left->kind == N_MAP)
			t = sema_map(s, n->left, true);
		else if (n->left->kind == N_VAR)
			t = var(s, n->left);
		else {
			diag_error(s->d, &n->loc, "'%s' needs a variable or a map", op_name(n->op));
			return NULL;
		}
		n->left->type = t;
		if (t && !type_is_int(t) && t->kind != TY_PTR) {
			diag_error(s->d, &n->loc, "'%s' needs an integer, not %s", op_name(n->op), tname(s, t));
			return NULL;
		}
		if (t && t->kind == TY_PTR && !(n->optype = sized_ptr(s, t, &n->left->loc)))
			return NULL;
		return t;
	}
	case N_SIZEOF: {
		const struct type *t = n->decl_type ? resolve_typespec(s, n->decl_type) : sema_expr(s, n->left);
		if (t && t->kind == TY_STRUCT)
			t = sema_complete_struct(s, t, &n->loc);
		if (!t)
			return NULL;
		set_const(n, t->size);
		return type_u64();
	}
	case N_OFFSETOF:
		return offsetof_expr(s, n);
	default:
		diag_error(s->d, &n->loc, "%s is not supported here yet", node_kind_name(n->kind));
		return NULL;
	}
}
