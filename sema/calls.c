/* Maps, calls of builtins, and the asynchronous actions they create. */
#include "internal.h"

#include <string.h>

#include "../types/btf.h"
#include "../types/fmtspec.h"

struct map_def *sema_map_def(struct sema *s, struct node *map)
{
	struct map_def *m = plan_find_map(s->plan, map->name);
	if (m)
		return m;
	m = arena_alloc(s->a, sizeof(*m));
	m->name = map->name;
	m->id = (int)s->plan->maps.n;
	m->kind = MAPK_HASH;
	m->max_entries = (uint32_t)s->plan->cfg.max_map_keys;
	m->loc = map->loc;
	m->bpf_name = arena_printf(s->a, "map_%s", map->name + 1);
	vec_push(&s->plan->maps, m);
	return m;
}

static const struct type *key_type(struct sema *s, struct node *n)
{
	if (!n->list.n)
		return type_none();
	const struct type **elems = arena_alloc(s->a, (n->list.n + 1) * sizeof(*elems));
	for (size_t i = 0; i < n->list.n; i++) {
		const struct type *t = sema_expr(s, n->list.v[i]);
		if (!t)
			return NULL;
		if (t->kind == TY_NONE || type_is_agg(t)) {
			diag_error(s->d, &n->list.v[i]->loc, "%s cannot be a map key",
				   t->kind == TY_NONE ? "this" : tname(s, t));
			return NULL;
		}
		elems[i] = storage_type(s, t);
	}
	return n->list.n == 1 ? elems[0] : type_tuple(s->a, n->list.n, elems);
}

static bool set_key(struct sema *s, struct map_def *m, const struct type *kt, struct node *n)
{
	if (!m->key) {
		m->key = kt;
		s->changed = true;
		return true;
	}
	if ((m->key->kind == TY_NONE) != (kt->kind == TY_NONE)) {
		diag_error(s->d, &n->loc, "map %s is used %s keys elsewhere", m->name,
			   m->key->kind == TY_NONE ? "without" : "with");
		return false;
	}
	const struct type *u = unify_types(s, m->key, kt);
	if (!u) {
		diag_error(s->d, &n->loc, "map %s has keys of type %s; this key is %s",
			   m->name, tname(s, m->key), tname(s, kt));
		return false;
	}
	if (!type_equal(u, m->key)) {
		m->key = u;
		s->changed = true;
	}
	return true;
}

/* The value of a map element as an expression sees aggregations as plain
 * integers. */
static const struct type *read_type(struct sema *s, struct node *n, const struct type *v)
{
	switch (v->kind) {
	case TY_COUNT:
		return type_u64();
	case TY_SUM: case TY_MIN: case TY_MAX: case TY_AVG:
		return type_int(8, v->is_signed);
	case TY_STATS: case TY_HIST: case TY_LHIST: case TY_TSERIES:
		diag_error(s->d, &n->loc, "the value of %s (%s) cannot be used in an expression",
			   n->map ? n->map->name : "the map", tname(s, v));
		return NULL;
	default:
		return v;
	}
}

const struct type *sema_map(struct sema *s, struct node *n, bool for_write)
{
	struct map_def *m = sema_map_def(s, n);
	n->map = m;
	const struct type *kt = key_type(s, n);
	if (!kt || !set_key(s, m, kt, n))
		return NULL;
	if (!m->value) {
		if (for_write) {
			m->value = type_s64();
			s->changed = true;
		} else if (m->assigned && !s->final) {
			return type_s64();
		} else {
			if (s->final)
				diag_error(s->d, &n->loc, "map %s is read but never assigned", m->name);
			return NULL;
		}
	}
	if (for_write && type_is_agg(m->value)) {
		diag_error(s->d, &n->loc, "map %s holds %s; it cannot be changed this way",
			   m->name, tname(s, m->value));
		return NULL;
	}
	return read_type(s, n, m->value);
}

static bool is_agg_call(const struct node *n)
{
	if (n->kind != N_CALL)
		return false;
	const struct builtin *bi = builtin_find(n->name);
	return bi && (bi->flags & BIF_AGG);
}

static const char *map_kind_name(enum map_kind k)
{
	static const char *const names[] = {
		[MAPK_HASH] = "hash", [MAPK_LRU_HASH] = "lruhash",
		[MAPK_PERCPU_HASH] = "percpuhash", [MAPK_PERCPU_LRU_HASH] = "percpulruhash",
	};
	return names[k];
}

/* A declared map's kind must suit its values: aggregations other than
 * tseries live per CPU, everything else in a shared map. */
static bool declared_kind_fits(struct sema *s, struct map_def *m, const struct type *t, const struct loc *loc)
{
	if (!m->declared)
		return true;
	bool want_percpu = type_is_agg(t) && t->kind != TY_TSERIES;
	if (map_def_is_percpu(m) == want_percpu)
		return true;
	diag_error(s->d, loc, "map %s is declared %s(); %s needs %s", m->name,
		   map_kind_name(m->kind), tname(s, t),
		   want_percpu ? "percpuhash() or percpulruhash()" : "hash() or lruhash()");
	return false;
}

void sema_map_assign(struct sema *s, struct node *n)
{
	struct node *lhs = n->left;
	bool agg = is_agg_call(n->right) && !sema_expand_macro(s, n->right);
	const struct type *t = agg ? sema_call(s, n->right, true) : sema_expr(s, n->right);
	struct map_def *m = sema_map_def(s, lhs);
	lhs->map = m;
	const struct type *kt = key_type(s, lhs);
	if (!kt || !set_key(s, m, kt, lhs) || !t)
		return;
	if (t->kind == TY_NONE) {
		diag_error(s->d, &n->right->loc, "this has no value to assign");
		return;
	}
	t = storage_type(s, t);
	if (!m->value && !declared_kind_fits(s, m, t, &n->right->loc))
		return;
	if (!m->value) {
		m->value = t;
		/* Aggregations are per CPU, folded in user space; a time series
		 * keeps its intervals in one shared value. */
		if (agg && !m->declared)
			m->kind = t->kind == TY_TSERIES ? MAPK_HASH : MAPK_PERCPU_HASH;
		s->changed = true;
	} else if (type_is_agg(m->value) != agg || (agg && m->value->kind != t->kind)) {
		diag_error(s->d, &n->right->loc, "map %s holds %s; it cannot be assigned %s",
			   m->name, tname(s, m->value), tname(s, t));
		return;
	} else {
		const struct type *u = unify_types(s, m->value, t);
		if (!u) {
			diag_error(s->d, &n->right->loc, "map %s holds %s; it cannot be assigned %s",
				   m->name, tname(s, m->value), tname(s, t));
			return;
		}
		if (!type_equal(u, m->value)) {
			m->value = u;
			s->changed = true;
		}
	}
	lhs->type = m->value;
}

/* ---- calls ---- */

static bool map_arg(struct sema *s, const struct builtin *bi, struct node *arg, struct bi_arg *a)
{
	if (arg->kind != N_MAP) {
		if (bi->id == BI_PRINT) {
			a->type = sema_expr(s, arg);
			return a->type != NULL;
		}
		a->type = type_none();
		return true;   /* the type rule reports it */
	}
	a->map = arg->name;
	a->map_keyed = arg->list.n > 0;
	if (a->map_keyed) {
		a->type = sema_map(s, arg, false);
		arg->type = a->type;
		return a->type != NULL;
	}
	struct map_def *m = sema_map_def(s, arg);
	arg->map = m;
	if (!m->value) {
		if (s->final)
			diag_error(s->d, &arg->loc, "map %s is used but never assigned", m->name);
		return false;
	}
	a->type = m->value;
	a->map_scalar = m->key && m->key->kind == TY_NONE;
	arg->type = m->value;
	return true;
}

/* delete(@m, k) and has_key(@m, k): the key must fit the map's key type. */
static bool key_arg(struct sema *s, struct node *call)
{
	struct node *mapn = call->list.v[0];
	if (call->list.n < 2 || mapn->kind != N_MAP || mapn->list.n)
		return true;
	struct node *key = call->list.v[1];
	struct node fake = *mapn;
	fake.list = (nodelist){0};
	/* A tuple key stands for the map's several keys. */
	if (key->kind == N_TUPLE)
		fake.list = key->list;
	else
		nodelist_push(s->a, &fake.list, key);
	const struct type *kt = key_type(s, &fake);
	if (!kt)
		return false;
	struct map_def *m = mapn->map;
	if (m->key && m->key->kind != TY_NONE && !unify_types(s, m->key, kt)) {
		diag_error(s->d, &key->loc, "map %s has keys of type %s; this key is %s",
			   m->name, tname(s, m->key), tname(s, kt));
		return false;
	}
	key->type = kt;
	return true;
}

static const struct type *args_tuple(struct sema *s, struct node *call, size_t from)
{
	size_t n = call->list.n - from;
	const struct type **elems = arena_alloc(s->a, (n + 1) * sizeof(*elems));
	for (size_t i = 0; i < n; i++) {
		const struct type *t = call->list.v[from + i]->type;
		if (t->kind == TY_NONE || type_is_agg(t)) {
			diag_error(s->d, &call->list.v[from + i]->loc, "%s cannot be printed this way",
				   t->kind == TY_NONE ? "this" : tname(s, t));
			return NULL;
		}
		elems[i] = storage_type(s, t);
	}
	return type_tuple(s->a, n, elems);
}

struct action_def *sema_new_action(struct sema *s, struct node *n, enum action_kind kind)
{
	struct action_def *act = arena_alloc(s->a, sizeof(*act));
	act->kind = kind;
	act->id = (int)s->plan->actions.n;
	act->loc = n->loc;
	vec_push(&s->plan->actions, act);
	n->id = act->id;
	return act;
}

static void make_action(struct sema *s, struct node *n, const struct bi_arg *args)
{
	const struct builtin *bi = n->fn;
	struct action_def *act;
	switch (bi->id) {
	case BI_PRINTF:
	case BI_CAT:
	case BI_SYSTEM:
	case BI_ERRORF:
	case BI_WARNF: {
		const struct type **ts = arena_alloc(s->a, n->list.n * sizeof(*ts) + 1);
		for (size_t i = 1; i < n->list.n; i++)
			ts[i - 1] = n->list.v[i]->type;
		struct strbuf err = {0};
		if (fmtspec_check(args[0].str, ts, n->list.n - 1, &err)) {
			diag_error(s->d, &n->loc, "%s(): %s", bi->name, sb_str(&err));
			sb_free(&err);
			return;
		}
		sb_free(&err);
		const struct type *t = args_tuple(s, n, 1);
		if (!t)
			return;
		static const enum action_kind kinds[] = {
			[BI_PRINTF] = ACT_PRINTF, [BI_CAT] = ACT_CAT, [BI_SYSTEM] = ACT_SYSTEM,
			[BI_ERRORF] = ACT_ERRORF, [BI_WARNF] = ACT_WARNF,
		};
		act = sema_new_action(s, n, kinds[bi->id]);
		act->fmt = args[0].str;
		act->args = t;
		break;
	}
	case BI_JOIN: {
		const struct type *elems[2] = {
			type_u64(), type_array(s->a, type_string(s->a, JOIN_ARG_SIZE), JOIN_MAX_ARGS),
		};
		act = sema_new_action(s, n, ACT_JOIN);
		act->fmt = n->list.n > 1 ? args[1].str : " ";
		act->args = type_tuple(s->a, 2, elems);
		break;
	}
	case BI_EXIT: {
		const struct type *code = type_s64();
		act = sema_new_action(s, n, ACT_EXIT);
		act->args = type_tuple(s->a, 1, &code);
		break;
	}
	case BI_PRINT:
		if (args[0].map && !args[0].map_keyed) {
			act = sema_new_action(s, n, ACT_PRINT_MAP);
			act->map = n->list.v[0]->map;
			act->top = n->list.n > 1 ? (uint64_t)args[1].ival : 0;
			act->div = n->list.n > 2 ? (uint64_t)args[2].ival : 0;
		} else {
			const struct type *t = args_tuple(s, n, 0);
			if (!t)
				return;
			act = sema_new_action(s, n, ACT_PRINT_VALUE);
			act->args = t;
		}
		break;
	case BI_CLEAR:
	case BI_ZERO:
		act = sema_new_action(s, n, bi->id == BI_CLEAR ? ACT_CLEAR_MAP : ACT_ZERO_MAP);
		act->map = n->list.v[0]->map;
		break;
	case BI_TIME:
		act = sema_new_action(s, n, ACT_TIME);
		act->fmt = n->list.n ? args[0].str : "%H:%M:%S\n";
		break;
	default:
		break;
	}
}

void sema_probe_context(struct sema *s, struct bi_check *c)
{
	c->a = s->a;
	c->d = s->d;
	c->cfg = &s->plan->cfg;
	if (!s->pb || !s->pb->points.n)
		return;
	const struct probe_point *pt = s->pb->points.v[0];
	c->probe_caps = s->pb->caps;
	c->user = pt->prov->user;
	c->func_len = s->pb->func_len;
	c->pb = s->pb;
	if (pt->prov->ctx == CTX_ARGS && pt->prov->is_return && btf_available()) {
		struct strbuf err = {0};
		c->retval = btf_func_return(s->a, pt->func, &err);
		sb_free(&err);
	}
}

/* str($1) is the parameter's text even when it looks like a number, and
 * str($1 + k) its text from byte k on, as bpftrace's pointer arithmetic
 * into the argument gives. */
static void positional_as_string(struct sema *s, struct node *arg)
{
	struct node *pos = arg;
	uint64_t skip = 0;
	if (arg->kind == N_BINOP && arg->op == OP_ADD && arg->right->kind == N_INT) {
		pos = arg->left;
		skip = arg->right->num;
	}
	if (pos->kind != N_POSITIONAL || pos->name)
		return;
	const char *text = sema_positional_text(s, pos->num);
	if (!text)
		text = "";
	size_t len = strlen(text);
	text += skip < len ? skip : len;
	struct loc loc = arg->loc;
	*arg = (struct node){ .kind = N_STR, .loc = loc, .id = -1, .name = text, .len = strlen(text) };
}

/* Argument i of bi is a format (or join's separator): text the runtime
 * keeps, never in the program, so not bounded by max_strlen. */
static bool is_format(const struct builtin *bi, size_t i)
{
	switch (bi->id) {
	case BI_PRINTF: case BI_CAT: case BI_SYSTEM: case BI_ERRORF: case BI_WARNF: case BI_TIME:
		return i == 0;
	case BI_JOIN:
		return i == 1;
	default:
		return false;
	}
}

const struct type *sema_call(struct sema *s, struct node *n, bool agg_ok)
{
	const struct builtin *bi = builtin_find(n->name);
	/* cpid() and has_cpid() are the constants cpid and has_cpid. */
	if (!bi && !n->list.n && (!strcmp(n->name, "cpid") || !strcmp(n->name, "has_cpid"))) {
		n->kind = N_IDENT;
		return sema_expr(s, n);
	}
	if (!bi) {
		const char *hint = closest_name(n->name, builtin_names());
		if (hint)
			diag_error(s->d, &n->loc, "unknown function '%s'; did you mean '%s'?", n->name, hint);
		else
			diag_error(s->d, &n->loc, "unknown function '%s'", n->name);
		return NULL;
	}
	n->fn = bi;
	if ((bi->flags & BIF_AGG) && !agg_ok) {
		diag_error(s->d, &n->loc, "%s() can only be assigned to a map, as in @x = %s(...)", bi->name, bi->name);
		return NULL;
	}
	if ((bi->flags & BIF_NOT_IN_LOOP) && s->loop_depth) {
		diag_error(s->d, &n->loc, "%s() is not allowed inside a loop", bi->name);
		return NULL;
	}
	int nargs = (int)n->list.n;
	if (nargs < bi->min_args || nargs > bi->max_args) {
		if (bi->min_args == bi->max_args)
			diag_error(s->d, &n->loc, "%s() takes %d argument%s, not %d", bi->name, bi->min_args,
				   bi->min_args == 1 ? "" : "s", nargs);
		else if (nargs < bi->min_args)
			diag_error(s->d, &n->loc, "%s() takes at least %d argument%s", bi->name, bi->min_args,
				   bi->min_args == 1 ? "" : "s");
		else
			diag_error(s->d, &n->loc, "%s() takes at most %d argument%s", bi->name, bi->max_args,
				   bi->max_args == 1 ? "" : "s");
		return NULL;
	}
	if (bi->id == BI_STR)
		positional_as_string(s, n->list.v[0]);
	struct bi_arg *args = arena_alloc(s->a, (n->list.n + 1) * sizeof(*args));
	bool ok = true;
	for (size_t i = 0; i < n->list.n; i++) {
		struct node *arg = n->list.v[i];
		struct bi_arg *a = &args[i];
		a->loc = arg->loc;
		if (i == 0 && (bi->flags & BIF_MAP_ARG)) {
			ok = map_arg(s, bi, arg, a) && ok;
			continue;
		}
		if (i == 1 && (bi->id == BI_DELETE || bi->id == BI_HAS_KEY)) {
			ok = key_arg(s, n) && ok;
			a->type = arg->type ? arg->type : type_none();
			continue;
		}
		if ((bi->flags & BIF_IDENT_ARGS) && arg->kind == N_IDENT) {
			a->ident = arg->name;
			a->type = type_none();
			arg->type = a->type;
			continue;
		}
		s->format_arg = is_format(bi, i) ? arg : NULL;
		a->type = sema_expr(s, arg);
		s->format_arg = NULL;
		if (!a->type) {
			ok = false;
			continue;
		}
		a->is_const = arg->is_const;
		a->ival = arg->cval;
		if (arg->kind == N_VAR && arg->sym)
			a->value_size = arg->sym->value_size;
		if (arg->kind == N_STR)
			a->str = arg->name;
	}
	if (!ok)
		return NULL;
	struct bi_check c = { .bi = bi, .loc = n->loc, .nargs = n->list.n, .args = args };
	sema_probe_context(s, &c);
	const struct type *t = bi->check(&c);
	n->aux = args;   /* what the emitter may need: constants, identifiers */
	if (t && s->final && (bi->flags & BIF_ASYNC))
		make_action(s, n, args);
	return t;
}
